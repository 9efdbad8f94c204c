// Eval report: JSON (SCENARIO.md field names, a promise to users) and the text table.
#include "blackboard/report.hpp"

#include <cmath>
#include <cstdio>
#include <sstream>

#include "blackboard/model.hpp"
#include "blackboard/serving.hpp"
#include "blackboard/training.hpp"

namespace blackboard {

using nlohmann::json;

namespace {

std::string Scaled(double v, const char* const* units, int n, double step, const char* fmt_unit) {
  int i = 0;
  double a = std::fabs(v);
  while (i + 1 < n && a >= step) {
    a /= step;
    v /= step;
    ++i;
  }
  char buf[64];
  const double mag = std::fabs(v);
  const char* fmt = mag >= 100 ? "%.0f %s%s" : mag >= 10 ? "%.1f %s%s" : "%.2f %s%s";
  std::snprintf(buf, sizeof buf, fmt, v, units[i], fmt_unit);
  return buf;
}

}  // namespace

TrainingOutcome TryEvaluateTraining(const Scenario& s) {
  TrainingOutcome out;
  const TrainingPlanProblem problem = CheckTrainingPlan(s);
  if (!problem.empty()) {
    out.reason = problem.Reason();
    return out;
  }
  try {
    out.report = EvaluateTraining(s);
  } catch (const std::invalid_argument& e) {
    out.reason = e.what();
  }
  return out;
}

std::string FormatSeconds(double s) {
  char buf[64];
  const double a = std::fabs(s);
  auto fmt = [&](double v, const char* unit) {
    const double m = std::fabs(v);
    std::snprintf(buf, sizeof buf, m >= 100 ? "%.0f %s" : m >= 10 ? "%.1f %s" : "%.2f %s", v, unit);
    return std::string(buf);
  };
  if (a == 0) return "0 s";
  if (a < 1e-6) return fmt(s * 1e9, "ns");
  if (a < 1e-3) return fmt(s * 1e6, "µs");
  if (a < 1) return fmt(s * 1e3, "ms");
  if (a < 120) return fmt(s, "s");
  if (a < 7200) return fmt(s / 60, "min");
  if (a < 3 * 86400) return fmt(s / 3600, "h");
  return fmt(s / 86400, "days");
}

std::string FormatBytes(double b) {
  static const char* const u[] = {"", "K", "M", "G", "T", "P", "E"};
  return Scaled(b, u, 7, 1000, "B");
}

std::string FormatCount(double n) {
  static const char* const u[] = {"", "K", "M", "B", "T", "Q"};
  std::string s = Scaled(n, u, 6, 1000, "");
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

std::string FormatFlops(double f) {
  static const char* const u[] = {"", "K", "M", "G", "T", "P", "E"};
  return Scaled(f, u, 7, 1000, "FLOP/s");
}

std::string FormatUsd(double usd) {
  char buf[64];
  const double a = std::fabs(usd);
  if (a >= 1e6) std::snprintf(buf, sizeof buf, "$%.2fM", usd / 1e6);
  else if (a >= 100) std::snprintf(buf, sizeof buf, "$%.0f", usd);
  else if (a >= 0.1) std::snprintf(buf, sizeof buf, "$%.2f", usd);
  else std::snprintf(buf, sizeof buf, "$%.4f", usd);
  return buf;
}

json EvalReportJson(const Scenario& s) {
  const ParamCount pc = CountParameters(s.model);
  const ServingReport r = EvaluateServing(s);
  json j;
  j["title"] = s.title;
  j["model"] = {{"params_total", pc.total},
                {"params_active", pc.active},
                {"kv_bytes_per_token", KvBytesPerToken(s.model, s.serving.kv_bytes)},
                {"flops_per_token", MatmulFlopsPerToken(s.model) +
                                        AttentionFlopsPerToken(s.model, s.serving.context)}};
  json sv;
  sv["decode_step_s"] = r.decode.step_s;
  sv["decode_compute_s"] = r.decode.compute_s;
  sv["decode_memory_s"] = r.decode.memory_s;
  sv["decode_weights_s"] = r.decode.weights_s;
  sv["decode_kv_s"] = r.decode.kv_s;
  sv["decode_network_s"] = r.decode.network_s;
  sv["decode_hops_s"] = r.decode.hops_s;
  sv["decode_overhead_s"] = r.decode.overhead_s;
  sv["bound"] = BoundName(r.decode.bound);
  sv["prefill_s"] = r.prefill_s;
  sv["tokens_per_s"] = r.tokens_per_s;
  sv["tokens_per_s_per_chip"] = r.tokens_per_s_per_chip;
  sv["latency_floor_s"] = r.latency_floor_s;
  sv["critical_batch"] = r.critical_batch;
  sv["max_batch"] = r.max_batch;
  sv["mfu_decode"] = r.mfu_decode;
  sv["mfu_prefill"] = r.mfu_prefill;
  sv["memory_per_chip_bytes"] = {{"weights", r.memory.weights},
                                 {"kv_cache", r.memory.kv_cache},
                                 {"total", r.memory.total},
                                 {"capacity", r.memory.capacity}};
  sv["fits"] = r.fits;
  sv["overflow_bytes"] = r.overflow_bytes;
  sv["hbm_drain_s"] = r.hbm_drain_s;
  sv["chips"] = r.chips;
  sv["usd_per_mtok_output"] = r.usd_per_mtok_output;
  sv["usd_per_mtok_input"] = r.usd_per_mtok_input;
  // The decode step's layouts (ESTI §3.2-3.3) and the MoE weights it touches.
  sv["attention_layout"] = s.serving.attention_layout == AttentionLayout::kBatch ? "batch" : "heads";
  sv["ffn_layout"] = r.ffn_layout;
  sv["decode_experts_touched"] = r.decode.experts_touched;
  // Continuous batching as engines run it (SCENARIO.md "serving"): TPOT, TTFT and the engine step.
  sv["tpot_s"] = r.tpot_s;
  sv["ttft_s"] = r.ttft_s;
  sv["ttft_wait_s"] = r.ttft_wait_s;
  sv["prefill_tokens_per_step"] = r.prefill_tokens_per_step;
  sv["engine_gemm_s"] = r.engine.gemm_s;
  sv["engine_attention_s"] = r.engine.attention_s;
  sv["engine_collectives_s"] = r.engine.collectives_s;
  sv["engine_kernel_latency_s"] = r.engine.kernel_latency_s;
  sv["engine_fixed_s"] = r.engine.fixed_s;
  sv["engine_hops_s"] = r.engine.hops_s;
  j["serving"] = sv;
  // Which efficiencies produced these figures, and from where (SCENARIO.md, docs/validation.md).
  j["efficiency"] = {{"calibration", s.efficiency.calibration},
                     {"unchanged", IsNamedEfficiency(s.efficiency)},
                     {"label", EfficiencyLabel(s.efficiency)},
                     {"compute", s.efficiency.compute},
                     {"memory", s.efficiency.memory},
                     {"network", s.efficiency.network},
                     {"serving_layer_overhead_s", s.efficiency.serving_layer_overhead_s},
                     {"attention_memory", s.efficiency.attention_memory},
                     {"collective_latency_s", s.efficiency.collective_latency_s},
                     {"collective_network", s.efficiency.collective_network},
                     {"kernel_latency_s", s.efficiency.kernel_latency_s},
                     {"attention_latency_s", s.efficiency.attention_latency_s},
                     {"serving_step_overhead_s", s.efficiency.serving_step_overhead_s},
                     {"sources", "docs/validation.md (Serving; Training for the named training fractions)"}};
  for (const auto& [k, v] : s.efficiency.overheads) j["efficiency"]["overheads"][k] = v;
  // The training plan may not fit this cluster (degrees that do not divide its chips) or be invalid
  // for the schedule (e.g. one that needs more micro-batches); the report then says why instead of
  // failing the whole eval: serving is answered whatever the training plan.
  const TrainingOutcome t = TryEvaluateTraining(s);
  if (t.report) {
    j["training"] = TrainingReportJson(*t.report);
    j["training"]["evaluated"] = true;
  } else {
    j["training"] = {{"evaluated", false}, {"reason", t.reason}};
  }
  return j;
}

std::string EvalReportText(const Scenario& s) {
  const ParamCount pc = CountParameters(s.model);
  const ServingReport r = EvaluateServing(s);
  std::ostringstream o;
  auto row = [&](const char* name, const std::string& value, const std::string& note = "") {
    char buf[256];
    std::snprintf(buf, sizeof buf, "  %-26s %-14s %s\n", name, value.c_str(), note.c_str());
    o << buf;
  };
  o << s.title << "\n" << s.model.name << " on " << r.chips << " x " << s.hardware.name
    << " (tp " << ResolveServingTp(s) << ", ep " << s.serving.ep << ", pp " << s.serving.pp << ")\n";
  o << "efficiency: " << EfficiencyLabel(s.efficiency) << " (sources: docs/validation.md)\n\n";
  o << "model\n";
  row("params total", FormatCount(pc.total));
  row("params active", FormatCount(pc.active));
  row("KV per token", FormatBytes(KvBytesPerToken(s.model, s.serving.kv_bytes)));
  o << "\nserving (batch " << s.serving.batch << ", context " << s.serving.context << ")\n";
  const char* bound = BoundName(r.decode.bound);
  row("decode step", FormatSeconds(r.decode.step_s), std::string("bound by ") + bound);
  row("  compute", FormatSeconds(r.decode.compute_s), "matmul FLOPs / (chips x FLOP/s)");
  row("  memory", FormatSeconds(r.decode.memory_s),
      "weights " + FormatSeconds(r.decode.weights_s) + " + KV " + FormatSeconds(r.decode.kv_s));
  row("  network", FormatSeconds(r.decode.network_s), "TP all-reduce + EP all-to-all");
  if (r.decode.hops_s > 0) row("  pipeline hops", FormatSeconds(r.decode.hops_s), "serial, per token");
  if (r.decode.overhead_s > 0)
    row("  layer overheads", FormatSeconds(r.decode.overhead_s), "layers x efficiency.serving_layer_overhead_s");
  if (r.decode.experts_touched > 0) {
    char ex[96];
    std::snprintf(ex, sizeof ex, "of %d per MoE layer: E(1-(1-k/E)^b)", s.model.experts);
    char n[32];
    std::snprintf(n, sizeof n, "%.1f", r.decode.experts_touched);
    row("  experts touched", n, ex);
  }
  row("attention sharded by", s.serving.attention_layout == AttentionLayout::kBatch ? "batch" : "heads",
      "FFN " + r.ffn_layout + " (ESTI §3.2-3.3)");
  char pf[64];
  std::snprintf(pf, sizeof pf, "%.0f prefill tokens per step", r.prefill_tokens_per_step);
  row("TPOT (engine)", FormatSeconds(r.tpot_s),
      std::string("continuous batching, ") + pf + " (chunked prefill)");
  row("  matmuls", FormatSeconds(r.engine.gemm_s), "each kernel: latency + max(FLOPs, bytes)");
  row("  attention", FormatSeconds(r.engine.attention_s), "paged KV at efficiency.attention_memory");
  row("  collectives", FormatSeconds(r.engine.collectives_s), "per message: latency + bytes");
  row("  kernel latencies", FormatSeconds(r.engine.kernel_latency_s), "of the two above: fixed per kernel");
  row("  per-step fixed", FormatSeconds(r.engine.fixed_s), "scheduling, sampling, launch");
  if (r.engine.hops_s > 0) row("  pipeline hops", FormatSeconds(r.engine.hops_s));
  row("TTFT", FormatSeconds(r.ttft_s),
      "waiting " + FormatSeconds(r.ttft_wait_s) + " + prompt chunks under load");
  row("prefill", FormatSeconds(r.prefill_s), std::to_string(s.serving.prompt_tokens) + " prompt tokens");
  row("tokens/s", FormatCount(r.tokens_per_s), FormatCount(r.tokens_per_s_per_chip) + " per chip");
  row("latency floor", FormatSeconds(r.latency_floor_s), "N_total bytes / (chips x HBM BW)");
  char cb[64];
  std::snprintf(cb, sizeof cb, "%.0f", r.critical_batch);
  row("critical batch", cb, "compute = weight fetch");
  std::snprintf(cb, sizeof cb, "%.0f", r.max_batch);
  row("max batch", cb, "weights + KV fit in HBM");
  std::snprintf(cb, sizeof cb, "%.1f %%", 100 * r.mfu_decode);
  row("MFU decode", cb);
  std::snprintf(cb, sizeof cb, "%.1f %%", 100 * r.mfu_prefill);
  row("MFU prefill", cb);
  row("memory per chip", FormatBytes(r.memory.total),
      "weights " + FormatBytes(r.memory.weights) + " + KV " + FormatBytes(r.memory.kv_cache) + " of " +
          FormatBytes(r.memory.capacity) + (r.fits ? " (fits)" : " (DOES NOT FIT)"));
  row("HBM drain time", FormatSeconds(r.hbm_drain_s), "capacity / bandwidth");
  row("$ / M output tokens", FormatUsd(r.usd_per_mtok_output));
  row("$ / M input tokens", FormatUsd(r.usd_per_mtok_input));
  o << "\ntraining (" << s.training.schedule << ", recompute " << s.training.recompute << ")\n";
  const TrainingOutcome t = TryEvaluateTraining(s);
  if (t.report)
    o << TrainingReportText(*t.report);
  else
    o << "  not evaluated: " << t.reason << "\n";
  return o.str();
}

}  // namespace blackboard
