// Serving economics. Index: PeakFlops | MakeServingModel | ServingModel::Decode | EvaluateServing.
// Formulas: lecture.md §1.2 (decode roofline), §1.3-1.4 (critical batch), §1.5 (drain time),
// §1.9 (pipeline across racks: memory per chip, hops), Scaling Book inference.md (kv_serial step model).
#include "blackboard/serving.hpp"

#include <algorithm>
#include <cmath>

#include "blackboard/model.hpp"

namespace blackboard {

const char* BoundName(Bound b) {
  switch (b) {
    case Bound::kCompute: return "compute";
    case Bound::kMemory: return "memory";
    case Bound::kNetwork: return "network";
  }
  return "memory";
}

double PeakFlops(const Hardware& h, const std::string& math) {
  if (math == "fp4" && h.fp4_flops > 0) return h.fp4_flops;
  if ((math == "fp4" || math == "fp8") && h.fp8_flops > 0) return h.fp8_flops;
  return h.bf16_flops;
}

ServingModel MakeServingModel(const Scenario& s) {
  const Model& m = s.model;
  const ParamCount pc = CountParameters(m);
  ServingModel sm;
  sm.params_total = pc.total;
  sm.params_active = pc.active;
  sm.weight_bytes_total = pc.total * s.serving.weight_bytes;
  sm.matmul_flops_per_token = MatmulFlopsPerToken(m);
  sm.kv_bytes_per_token = KvBytesPerToken(m, s.serving.kv_bytes);
  sm.context = s.serving.context;
  sm.tp = s.serving.tp;
  sm.ep = s.serving.ep;
  sm.chips_per_stage = sm.tp * sm.ep;
  sm.stages = s.serving.pp;
  sm.flops_per_chip = PeakFlops(s.hardware, s.serving.math) * s.efficiency.compute;
  sm.hbm_bytes_per_s = s.hardware.hbm_bytes_per_s * s.efficiency.memory;
  sm.scaleup_bytes_per_s = s.hardware.scaleup_bytes_per_s * s.efficiency.network;
  sm.scaleout_bytes_per_s = s.hardware.scaleout_bytes_per_s * s.efficiency.network;
  sm.scaleup_latency_s = s.hardware.scaleup_latency_s;
  sm.hop_latency_s = s.serving.hop_latency_s > 0 ? s.serving.hop_latency_s : s.hardware.scaleout_latency_s;
  sm.layer_overhead_s = s.efficiency.serving_layer_overhead_s;
  sm.d_model = m.d_model;
  sm.layers = m.layers;
  sm.moe_layers = IsMoe(m) ? std::max(0, m.layers - m.dense_layers) : 0;
  sm.experts_active = m.experts_active;
  sm.kv_serial = s.serving.step_model == "kv_serial";
  sm.usd_per_chip_s = s.UsdPerChipHour() / 3600.0;
  return sm;
}

DecodeStep ServingModel::Decode(double batch) const {
  DecodeStep d;
  d.batch = batch;
  // The batch loops through the pipeline as `stages` micro-batches of b sequences (lecture §1.9); a
  // token's latency is the sum over stages, which is the whole model over one stage's chips.
  const double b = batch / stages;
  const double stage_chips = chips_per_stage;
  d.compute_s = b * matmul_flops_per_token / (stage_chips * flops_per_chip);
  d.weights_s = weight_bytes_total / (stage_chips * hbm_bytes_per_s);
  d.kv_s = b * context * kv_bytes_per_token / (stage_chips * hbm_bytes_per_s);
  d.memory_s = d.weights_s + d.kv_s;
  // Network inside the domain: 2 ring all-reduces per layer over TP (Megatron, MEG-F9) and a dispatch
  // plus combine all-to-all per MoE layer over EP (lecture §1.8), alpha-beta model.
  const double act = b * d_model * act_bytes;
  double net = 0;
  if (tp > 1)
    net += layers * 2 * (2 * (tp - 1) / tp * act / scaleup_bytes_per_s + 2 * (tp - 1) * scaleup_latency_s);
  if (ep > 1 && moe_layers > 0)
    net += moe_layers * 2 * (act / ep * experts_active * (ep - 1) / ep / scaleup_bytes_per_s +
                             scaleup_latency_s);
  d.network_s = net;
  // Pipeline: after the last stage the micro-batch wraps to stage 1, so `stages` hops per token.
  if (stages > 1) d.hops_s = stages * (hop_latency_s + act / scaleout_bytes_per_s);

  double core;
  if (kv_serial) {
    core = d.kv_s + std::max({d.compute_s, d.weights_s, d.network_s});
  } else {
    core = std::max({d.compute_s, d.memory_s, d.network_s});
  }
  // Fixed per-layer costs (launches, synchronisation) add to every token, whatever bounds the step.
  d.overhead_s = layers * layer_overhead_s;
  d.step_s = core + d.hops_s + d.overhead_s;
  if (d.network_s >= d.compute_s && d.network_s >= d.memory_s)
    d.bound = Bound::kNetwork;
  else
    d.bound = d.compute_s > d.memory_s ? Bound::kCompute : Bound::kMemory;
  d.usd_per_token = d.step_s * stage_chips * stages * usd_per_chip_s / batch;
  return d;
}

ServingReport EvaluateServing(const Scenario& s) {
  const ServingModel sm = MakeServingModel(s);
  ServingReport r;
  r.decode = sm.Decode(s.serving.batch);
  r.chips = sm.chips_per_stage * sm.stages;
  r.tokens_per_s = s.serving.batch / r.decode.step_s;
  r.tokens_per_s_per_chip = r.tokens_per_s / r.chips;
  r.latency_floor_s = sm.weight_bytes_total / (sm.chips_per_stage * sm.hbm_bytes_per_s);
  // Lecture §1.3-1.4: where the compute line crosses the weight-fetch floor (KV ignored).
  r.critical_batch = sm.stages * sm.weight_bytes_total * sm.flops_per_chip /
                     (sm.matmul_flops_per_token * sm.hbm_bytes_per_s);
  // Memory per chip: c_mem = N_total/(E·P) + b·ctx·bytes/E (lecture §1.9), E = chips per stage.
  r.memory.capacity = s.hardware.hbm_bytes;
  r.memory.weights = sm.weight_bytes_total / r.chips;
  r.memory.kv_cache = s.serving.batch * sm.context * sm.kv_bytes_per_token / r.chips;
  r.memory.total = r.memory.weights + r.memory.kv_cache;
  r.fits = r.memory.total <= r.memory.capacity;
  r.overflow_bytes = std::max(0.0, r.memory.total - r.memory.capacity);
  r.max_batch = std::max(0.0, std::floor((r.memory.capacity - r.memory.weights) * r.chips /
                                         (sm.context * sm.kv_bytes_per_token)));
  r.hbm_drain_s = s.hardware.hbm_bytes / s.hardware.hbm_bytes_per_s;

  // Prefill of one request: compute-bound matmuls over the replica plus causal attention
  // (half of 4·L·T²·N·H), against one read of the weights; TP all-reduces of T x d per layer.
  const double T = s.serving.prompt_tokens;
  const double flops = T * sm.matmul_flops_per_token + 0.5 * T * AttentionFlopsPerToken(s.model, T);
  const double compute = flops / (r.chips * sm.flops_per_chip);
  const double weights = sm.weight_bytes_total / (r.chips * sm.hbm_bytes_per_s);
  double net = 0;
  if (sm.tp > 1)
    net = sm.layers * 2 * 2 * (sm.tp - 1) / sm.tp * (T * sm.d_model * sm.act_bytes) /
          sm.scaleup_bytes_per_s / sm.stages;
  r.prefill_s = std::max({compute, weights, net}) + sm.layers * sm.layer_overhead_s;
  const double peak = PeakFlops(s.hardware, s.serving.math);
  r.mfu_prefill = flops / (r.prefill_s * r.chips * peak);
  r.mfu_decode = s.serving.batch * sm.matmul_flops_per_token / (r.decode.step_s * r.chips * peak);
  r.usd_per_mtok_output = r.decode.usd_per_token * 1e6;
  r.usd_per_mtok_input =
      r.prefill_s * r.chips * sm.usd_per_chip_s / T * 1e6 * (1.0 - s.serving.cache_hit_rate);
  return r;
}

}  // namespace blackboard
