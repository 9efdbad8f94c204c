// Scenario I/O and validation.
// Index: field table (kFields) | JSON parsing (ScenarioFromJson) | --set (ApplySet) |
//        cross-field checks (ValidateScenario) | serialisation (ToJson) | atomic writes.
#include "blackboard/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "blackboard/assets.hpp"
#include "blackboard/model.hpp"
#include "blackboard/json_input.hpp"
#include "blackboard/training.hpp"

namespace blackboard {

using nlohmann::json;

namespace {

std::string ErrorText(const std::string& file, const std::string& field, const std::string& value,
                      const std::string& allowed) {
  // A field may come from a 10 MB key: the message names it abbreviated.
  // "--set <130 KB>" or a key with a newline: the message stays one line of bounded length.
  std::string s = Abbreviate(OneLine(file), 160) + ": " + Abbreviate(OneLine(field), 120);
  // The value too: a preset name or bare word may hold newlines (found by the --set fuzzer in CI).
  if (!value.empty()) s += " = " + Abbreviate(OneLine(value), 240);
  return s + " " + OneLine(allowed);
}

std::string Show(const json& v) {
  // A --set bare word may hold any bytes; never let the error message itself throw (type_error 316).
  return ShowJson(v);
}

std::string ShowNumber(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

// One settable field: its dotted path, how to read it from JSON (with the checks) and how to write it,
// the JSON Schema of its value (the same type, range and names the checks allow: `blackboard schema`)
// and what it means, with its unit (the schema's description, for editors).
struct Field {
  std::string path;
  std::function<void(Scenario&, const json&, const std::string& src)> set;
  std::function<json(const Scenario&)> get;
  json value_schema;
  std::string description;
};

// A bound as JSON: integral values as integers (1000000, not 1000000.0) so the schema reads as written.
json BoundJson(double x) {
  if (std::floor(x) == x && std::fabs(x) < 1e15) return json(static_cast<long long>(x));
  return json(x);
}

json RangeSchema(const char* type, double lo, double hi) {
  return json{{"type", type}, {"minimum", BoundJson(lo)}, {"maximum", BoundJson(hi)}};
}

[[noreturn]] void Fail(const std::string& src, const std::string& path, const json& v,
                       const std::string& allowed) {
  throw ScenarioError(src, path, Show(v), allowed);
}

double ReadNumber(const json& v, const std::string& src, const std::string& path, double lo, double hi,
                  bool integer) {
  const std::string range = (integer ? "must be an integer from " : "must be a number from ") +
                            ShowNumber(lo) + " to " + ShowNumber(hi);
  if (!v.is_number()) Fail(src, path, v, range);
  const double x = v.get<double>();
  if (!std::isfinite(x) || x < lo || x > hi) Fail(src, path, v, range);
  if (integer && std::floor(x) != x) Fail(src, path, v, range);
  return x;
}

template <class S, class T>
Field IntField(std::string path, S Scenario::*section, T S::*member, double lo, double hi,
               std::string description = "") {
  return {path,
          [=](Scenario& s, const json& v, const std::string& src) {
            (s.*section).*member = static_cast<T>(ReadNumber(v, src, path, lo, hi, true));
          },
          [=](const Scenario& s) { return json((s.*section).*member); },
          RangeSchema("integer", lo, hi),
          std::move(description)};
}

template <class S>
Field NumField(std::string path, S Scenario::*section, double S::*member, double lo, double hi,
               std::string description = "") {
  return {path,
          [=](Scenario& s, const json& v, const std::string& src) {
            (s.*section).*member = ReadNumber(v, src, path, lo, hi, false);
          },
          [=](const Scenario& s) { return json((s.*section).*member); },
          RangeSchema("number", lo, hi),
          std::move(description)};
}

template <class S>
Field BoolField(std::string path, S Scenario::*section, bool S::*member, std::string description = "") {
  return {path,
          [=](Scenario& s, const json& v, const std::string& src) {
            if (!v.is_boolean()) Fail(src, path, v, "must be true or false");
            (s.*section).*member = v.get<bool>();
          },
          [=](const Scenario& s) { return json((s.*section).*member); },
          json{{"type", "boolean"}},
          std::move(description)};
}

template <class S>
Field EnumField(std::string path, S Scenario::*section, std::string S::*member,
                std::vector<std::string> allowed, std::string description = "") {
  return {path,
          [=](Scenario& s, const json& v, const std::string& src) {
            std::string list;
            for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
            if (!v.is_string() || std::find(allowed.begin(), allowed.end(), v.get<std::string>()) ==
                                      allowed.end())
              Fail(src, path, v, "must be one of: " + list);
            (s.*section).*member = v.get<std::string>();
          },
          [=](const Scenario& s) { return json((s.*section).*member); },
          json{{"type", "string"}, {"enum", allowed}},
          std::move(description)};
}

// A field whose value is one of a few words, held as an enum (or any value type) in the scenario.
template <class S, class T>
Field ChoiceField(std::string path, S Scenario::*section, T S::*member,
                  std::vector<std::pair<std::string, T>> choices, std::string description = "") {
  return {path,
          [=](Scenario& s, const json& v, const std::string& src) {
            std::string list;
            for (const auto& c : choices) list += (list.empty() ? "" : ", ") + c.first;
            if (v.is_string())
              for (const auto& c : choices)
                if (c.first == v.get<std::string>()) {
                  (s.*section).*member = c.second;
                  return;
                }
            Fail(src, path, v, "must be one of: " + list);
          },
          [=](const Scenario& s) {
            for (const auto& c : choices)
              if (c.second == (s.*section).*member) return json(c.first);
            return json(choices.front().first);
          },
          [&] {
            json names = json::array();
            for (const auto& c : choices) names.push_back(c.first);
            return json{{"type", "string"}, {"enum", names}};
          }(),
          std::move(description)};
}

template <class S>
Field TextField(std::string path, S Scenario::*section, std::string S::*member, std::string description = "") {
  return {path,
          [=](Scenario& s, const json& v, const std::string& src) {
            if (!v.is_string()) Fail(src, path, v, "must be a string");
            (s.*section).*member = v.get<std::string>();
          },
          [=](const Scenario& s) { return json((s.*section).*member); },
          json{{"type", "string"}},
          std::move(description)};
}

constexpr double kBig = 1e30;

constexpr std::pair<const char*, FfnLayout> kFfnLayoutKeys[] = {
    {"1d-ws", FfnLayout::k1DWeightStationary}, {"2d-ws", FfnLayout::k2DWeightStationary},
    {"wg-x", FfnLayout::kWeightGatheredX},     {"wg-xy", FfnLayout::kWeightGatheredXY},
    {"wg-xyz", FfnLayout::kWeightGatheredXYZ}};

bool ParseFfnLayout(const std::string& name, FfnLayout& out) {
  for (const auto& [key, layout] : kFfnLayoutKeys)
    if (name == key) {
      out = layout;
      return true;
    }
  return false;
}

const char* FfnLayoutKey(FfnLayout l) {
  for (const auto& [key, layout] : kFfnLayoutKeys)
    if (layout == l) return key;
  return "1d-ws";
}

const std::vector<Field>& Fields() {
  static const std::vector<Field> fields = [] {
    using H = Hardware;
    using M = Model;
    using V = Serving;
    using T = Training;
    std::vector<Field> f;
    auto hw = &Scenario::hardware;
    f.push_back(TextField("hardware.name", hw, &H::name, "Name of the chip (a preset's name, or custom)"));
    f.push_back(NumField("hardware.bf16_flops", hw, &H::bf16_flops, 1e6, kBig,
                         "Dense peak bf16 matmul throughput per chip, FLOP/s"));
    f.push_back(NumField("hardware.fp8_flops", hw, &H::fp8_flops, 0, kBig,
                         "Dense peak fp8 matmul throughput per chip, FLOP/s (0 = not supported: bf16 is used)"));
    f.push_back(NumField("hardware.fp4_flops", hw, &H::fp4_flops, 0, kBig,
                         "Dense peak fp4 matmul throughput per chip, FLOP/s (0 = not supported)"));
    f.push_back(BoolField("hardware.fp8_native", hw, &H::fp8_native,
                          "The chip has FP8 tensor cores (false: fp8_flops is its int8 peak, which serving's "
                          "fp8/int8 math uses; training.math fp8 and mxfp8 are refused)"));
    f.push_back(NumField("hardware.gemm_bf16_fraction", hw, &H::gemm_bf16_fraction, 0, 1,
                         "Measured fraction of bf16_flops that large bf16 GEMMs reach on this chip (per-operation "
                         "benchmarks, docs/validation.md); 0 = the training engine's calibrated matmul_max"));
    f.push_back(NumField("hardware.gemm_fp8_fraction", hw, &H::gemm_fp8_fraction, 0, 1,
                         "Measured fraction of fp8_flops that large FP8 GEMMs reach on this chip; 0 = the "
                         "training engine's fp8_matmul_max"));
    f.push_back(NumField("hardware.hbm_bytes", hw, &H::hbm_bytes, 1e3, kBig, "HBM capacity per chip, bytes"));
    f.push_back(NumField("hardware.hbm_bytes_per_s", hw, &H::hbm_bytes_per_s, 1e3, kBig,
                         "HBM bandwidth per chip, bytes/s"));
    f.push_back(NumField("hardware.scaleup_bytes_per_s", hw, &H::scaleup_bytes_per_s, 1e3, kBig,
                         "Scale-up (NVLink, ICI) bandwidth per chip, one direction, bytes/s"));
    f.push_back(IntField("hardware.scaleup_domain", hw, &H::scaleup_domain, 1, 1e6,
                         "Chips in one scale-up domain (8 for HGX, 72 for NVL72), count"));
    f.push_back(NumField("hardware.scaleup_latency_s", hw, &H::scaleup_latency_s, 0, 10,
                         "Latency per hop inside the scale-up domain, seconds"));
    f.push_back(NumField("hardware.scaleout_bytes_per_s", hw, &H::scaleout_bytes_per_s, 1e3, kBig,
                         "Scale-out (NIC) bandwidth per chip between domains, one direction, bytes/s"));
    f.push_back(NumField("hardware.scaleout_latency_s", hw, &H::scaleout_latency_s, 0, 10,
                         "Latency per hop between scale-up domains, seconds"));
    f.push_back(NumField("hardware.usd_per_hour", hw, &H::usd_per_hour, 0, 1e6,
                         "Rental price per chip, US dollars per hour"));
    f.push_back({"hardware.sources",
                 [](Scenario& s, const json& v, const std::string& src) {
                   if (!v.is_object()) Fail(src, "hardware.sources", v, "must be an object of strings");
                   s.hardware.sources.clear();
                   for (auto it = v.begin(); it != v.end(); ++it) {
                     if (!it->is_string())
                       Fail(src, "hardware.sources." + it.key(), *it, "must be a string");
                     s.hardware.sources[it.key()] = it->get<std::string>();
                   }
                 },
                 [](const Scenario& s) { return json(s.hardware.sources); },
                 json{{"type", "object"}, {"additionalProperties", {{"type", "string"}}}},
                 "Where each number comes from: field name -> source (dense or sparse, per direction or "
                 "both)"});

    auto cl = &Scenario::cluster;
    f.push_back(IntField("cluster.racks", cl, &Cluster::racks, 1, 1e6,
                         "Racks (scale-up domains) in the cluster, count"));
    f.push_back(IntField("cluster.chips_per_rack", cl, &Cluster::chips_per_rack, 1, 1e5,
                         "Chips in each rack, count (a hardware preset sets it to its scale-up domain, "
                         "at most 256)"));

    auto md = &Scenario::model;
    f.push_back(TextField("model.name", md, &M::name, "Name of the model (a preset's name, or custom)"));
    f.push_back(IntField("model.layers", md, &M::layers, 1, 1e5, "Transformer layers, count"));
    f.push_back(IntField("model.d_model", md, &M::d_model, 1, 1e7, "Hidden (residual stream) width, elements"));
    f.push_back(IntField("model.heads", md, &M::heads, 1, 1e5, "Attention query heads, count"));
    f.push_back(IntField("model.kv_heads", md, &M::kv_heads, 1, 1e5,
                         "Key/value heads, count (must divide model.heads)"));
    f.push_back(IntField("model.head_dim", md, &M::head_dim, 1, 1e5, "Dimension of each attention head, elements"));
    f.push_back(IntField("model.d_ff", md, &M::d_ff, 1, 1e8, "Dense MLP inner width, elements"));
    f.push_back(IntField("model.vocab", md, &M::vocab, 1, 1e8, "Vocabulary size, tokens"));
    f.push_back(EnumField("model.mlp", md, &M::mlp, {"gated", "plain"},
                          "MLP form: gated (SwiGLU, 3 matrices) or plain (GeLU, 2 matrices)"));
    f.push_back(BoolField("model.tied_embeddings", md, &M::tied_embeddings,
                          "Input and output embeddings share one matrix"));
    f.push_back(EnumField("model.attention", md, &M::attention, {"mha", "gqa", "mqa", "mla"},
                          "Attention form: mha, gqa, mqa or mla (multi-head latent: set kv_latent and rope_dim)"));
    f.push_back(IntField("model.kv_latent", md, &M::kv_latent, 0, 1e6,
                         "MLA compressed KV dimension d_c, elements (0 = not MLA)"));
    f.push_back(IntField("model.q_latent", md, &M::q_latent, 0, 1e6,
                         "MLA compressed query dimension d_c', elements (0 = no query compression)"));
    f.push_back(IntField("model.rope_dim", md, &M::rope_dim, 0, 1e5,
                         "MLA decoupled RoPE key dimension d_h^R, elements"));
    f.push_back(EnumField("model.norm", md, &M::norm, {"rmsnorm", "layernorm"},
                          "Normalisation: rmsnorm (weight) or layernorm (weight + bias)"));
    f.push_back(BoolField("model.bias", md, &M::bias, "Biases on the linear layers (GPT-3 style)"));
    f.push_back(IntField("model.learned_positions", md, &M::learned_positions, 0, 1e8,
                         "Learned position embedding rows, count (0 = RoPE)"));
    f.push_back(BoolField("model.parallel_block", md, &M::parallel_block,
                          "Attention and MLP share one norm and run side by side (PaLM)"));
    f.push_back(IntField("model.experts", md, &M::experts, 0, 1e5,
                         "Routed experts per MoE layer, count (0 or 1 = dense)"));
    f.push_back(IntField("model.experts_active", md, &M::experts_active, 0, 1e5,
                         "Routed experts per token (top-k), count"));
    f.push_back(IntField("model.shared_experts", md, &M::shared_experts, 0, 1e4,
                         "Shared experts per MoE layer, count"));
    f.push_back(IntField("model.d_ff_expert", md, &M::d_ff_expert, 0, 1e8,
                         "Inner width of each expert's MLP, elements"));
    f.push_back(IntField("model.dense_layers", md, &M::dense_layers, 0, 1e5,
                         "Leading layers with a dense MLP, count (DeepSeek: 3)"));

    auto sv = &Scenario::serving;
    f.push_back(IntField("serving.batch", sv, &V::batch, 1, 1e7,
                         "Sequences decoding at once, over all pipeline stages, count"));
    f.push_back(IntField("serving.context", sv, &V::context, 1, 1e8, "KV cache length per sequence, tokens"));
    f.push_back(IntField("serving.prompt_tokens", sv, &V::prompt_tokens, 1, 1e8, "Prompt length per request, tokens"));
    f.push_back(IntField("serving.output_tokens", sv, &V::output_tokens, 1, 1e8, "Generated tokens per request, tokens"));
    f.push_back(IntField("serving.tp", sv, &V::tp, 0, 1e5, "Tensor-parallel degree of serving, chips (0 = auto: ResolveServingTp)"));
    f.push_back(IntField("serving.ep", sv, &V::ep, 1, 1e5, "Expert-parallel degree of serving, chips (MoE only)"));
    f.push_back(IntField("serving.pp", sv, &V::pp, 1, 1e4, "Pipeline stages of serving (one rack each), count"));
    f.push_back(NumField("serving.weight_bytes", sv, &V::weight_bytes, 0.125, 8,
                         "Bytes per weight (2 bf16, 1 fp8 or int8, 0.5 fp4), bytes"));
    f.push_back(NumField("serving.kv_bytes", sv, &V::kv_bytes, 0.125, 8, "Bytes per KV cache element, bytes"));
    f.push_back(EnumField("serving.math", sv, &V::math, {"bf16", "fp8", "fp4"}, "Which peak the serving matmuls run at: bf16, fp8 or fp4"));
    f.push_back(NumField("serving.cache_hit_rate", sv, &V::cache_hit_rate, 0, 1, "Fraction of prompt tokens served from a prefix cache, 0 to 1"));
    f.push_back(NumField("serving.hop_latency_s", sv, &V::hop_latency_s, 0, 10, "Extra latency per rack-to-rack hop, seconds (0 = hardware.scaleout_latency_s)"));
    f.push_back(EnumField("serving.step_model", sv, &V::step_model, {"max", "kv_serial"}, "Decode step time: max = max(compute, weights + KV) (lecture); kv_serial = KV + max(compute, weights) (Scaling Book)"));
    f.push_back(NumField("serving.queue_period_s", sv, &V::queue_period_s, 0, 3600, "A batch departs every period, seconds (0 = the decode step at serving.batch, serving.decode_step_s; lecture 1.5)"));
    f.push_back(NumField("serving.arrival_rate_per_s", sv, &V::arrival_rate_per_s, 0, 1e9, "Requests joining the trains, per second (0 = batch / period)"));
    f.push_back(ChoiceField("serving.attention_layout", sv, &V::attention_layout,
                            std::vector<std::pair<std::string, AttentionLayout>>{
                                {"heads", AttentionLayout::kHeads}, {"batch", AttentionLayout::kBatch}},
                            "Attention sharded over TP by heads (KV replicated when kv_heads < tp) or by batch (ESTI 3.3)"));
    // "auto" or one ESTI layout: two members behind one word.
    f.push_back({"serving.ffn_layout",
                 [](Scenario& s, const json& v, const std::string& src) {
                   const std::string name = v.is_string() ? v.get<std::string>() : "";
                   if (name == "auto") {
                     s.serving.ffn_layout_auto = true;
                     return;
                   }
                   if (!ParseFfnLayout(name, s.serving.ffn_layout))
                     Fail(src, "serving.ffn_layout", v, "must be one of: auto, 1d-ws, 2d-ws, wg-x, wg-xy, wg-xyz");
                   s.serving.ffn_layout_auto = false;
                 },
                 [](const Scenario& s) {
                   return json(s.serving.ffn_layout_auto ? "auto" : FfnLayoutKey(s.serving.ffn_layout));
                 },
                 json{{"type", "string"}, {"enum", {"auto", "1d-ws", "2d-ws", "wg-x", "wg-xy", "wg-xyz"}}},
                 "FFN layout over the serving chips (ESTI 3.2): auto, 1d-ws, 2d-ws, wg-x, wg-xy, wg-xyz"});
    f.push_back(IntField("serving.prefill_chunk_tokens", sv, &V::prefill_chunk_tokens, 1, 1e7, "Prefill tokens per chunk mixed into decode steps (chunked prefill), tokens"));

    auto tr = &Scenario::training;
    f.push_back(NumField("training.tokens", tr, &T::tokens, 1, 1e18, "Tokens in the whole training run, tokens"));
    f.push_back(IntField("training.seq_len", tr, &T::seq_len, 1, 1e8, "Sequence length, tokens"));
    f.push_back(IntField("training.global_batch", tr, &T::global_batch, 1, 1e9,
                         "Sequences per optimizer step, count (a multiple of dp x micro_batch when dp is set)"));
    f.push_back(IntField("training.micro_batch", tr, &T::micro_batch, 1, 1e6, "Sequences per micro-batch, count"));
    f.push_back(IntField("training.dp", tr, &T::dp, 0, 1e7, "Data-parallel degree, chips (0 = auto: chips / (tp x pp x cp))"));
    f.push_back(IntField("training.tp", tr, &T::tp, 0, 1e5, "Tensor-parallel degree of training, chips (0 = auto: ResolveTrainingDegrees)"));
    f.push_back(IntField("training.pp", tr, &T::pp, 0, 1e4, "Pipeline stages of training, count (0 = auto: ResolveTrainingDegrees)"));
    f.push_back(IntField("training.ep", tr, &T::ep, 1, 1e5, "Expert-parallel degree of training, chips (MoE only)"));
    f.push_back(IntField("training.cp", tr, &T::cp, 0, 1e5, "Context-parallel degree of training, chips (0 = auto: 1)"));
    f.push_back(IntField("training.zero", tr, &T::zero, 0, 3, "ZeRO stage, 0 to 3 (3 = FSDP)"));
    f.push_back(BoolField("training.sequence_parallel", tr, &T::sequence_parallel,
                          "Norms and dropout sharded along the sequence across the TP group"));
    f.push_back(EnumField("training.schedule", tr, &T::schedule,
                          {"gpipe", "1f1b", "interleaved", "zb-h1", "zb-h2", "dualpipe", "dualpipe-v"}, "Pipeline schedule: gpipe, 1f1b, interleaved, zb-h1, zb-h2, dualpipe or dualpipe-v"));
    f.push_back(IntField("training.virtual_stages", tr, &T::virtual_stages, 0, 1e3, "Model chunks per pipeline stage (interleaved schedules), count (0 = auto for interleaved)"));
    f.push_back(EnumField("training.recompute", tr, &T::recompute,
                          {"none", "selective", "full", "reversible"}, "Activation recomputation: none, selective, full or reversible"));
    f.push_back(EnumField("training.attention_kernel", tr, &T::attention_kernel, {"flash", "materialized"}, "Attention kernel: flash (fused, scores never in HBM) or materialized (the 2021-22 Megatron kernels)"));
    f.push_back(EnumField("training.math", tr, &T::math, {"bf16", "fp8", "mxfp8"}, "Precision of the training GEMMs: bf16, fp8 or mxfp8 (needs hardware.fp8_flops and hardware.fp8_native)"));
    f.push_back(BoolField("training.tp_comm_overlap", tr, &T::tp_comm_overlap, "Tensor-parallel collectives overlapped with the GEMMs (Megatron-Core tp_comm_overlap)"));

    auto ef = &Scenario::efficiency;
    // A calibration name replaces the whole efficiency section with that named set (applied before
    // the section's other keys, see ApplyObject); the other keys then override single values.
    f.push_back({"efficiency.calibration",
                 [](Scenario& s, const json& v, const std::string& src) {
                   if (!v.is_string())
                     Fail(src, "efficiency.calibration", v,
                          std::string("must be one of: ") + kCalibrationName + ", " + kRooflineName);
                   s.efficiency = NamedEfficiency(v.get<std::string>(), src, "efficiency.calibration");
                 },
                 [](const Scenario& s) { return json(s.efficiency.calibration); },
                 json{{"type", "string"}, {"enum", json::array({kCalibrationName, kRooflineName})}},
                 "The named set the values start from: public-v1 (calibrated on public measurements, "
                 "docs/validation.md) or roofline (every fraction 1, no overheads); applied before the "
                 "section's other keys"});
    f.push_back(NumField("efficiency.compute", ef, &Efficiency::compute, 1e-3, 1, "Achieved matmul FLOP/s over peak, fraction"));
    f.push_back(NumField("efficiency.memory", ef, &Efficiency::memory, 1e-3, 1, "Achieved HBM bytes/s over peak, fraction"));
    f.push_back(NumField("efficiency.network", ef, &Efficiency::network, 1e-3, 1, "Achieved scale-up and scale-out bytes/s over line rate, fraction"));
    f.push_back(NumField("efficiency.serving_layer_overhead_s", ef, &Efficiency::serving_layer_overhead_s, 0, 1, "Fixed cost per layer per decode step, seconds"));
    f.push_back(NumField("efficiency.attention_memory", ef, &Efficiency::attention_memory, 1e-3, 1, "Achieved HBM bytes/s of paged decode attention over peak, fraction"));
    f.push_back(NumField("efficiency.collective_latency_s", ef, &Efficiency::collective_latency_s, 0, 1, "Fixed latency of each small collective (all-reduce, all-to-all), seconds"));
    f.push_back(NumField("efficiency.collective_network", ef, &Efficiency::collective_network, 1e-3, 1, "Achieved bandwidth of the decode step's small collectives over line rate, fraction"));
    f.push_back(NumField("efficiency.attention_latency_s", ef, &Efficiency::attention_latency_s, 0, 1, "Fixed cost of one decode attention kernel per layer, seconds"));
    f.push_back(NumField("efficiency.kernel_latency_s", ef, &Efficiency::kernel_latency_s, 0, 1, "Fixed cost per kernel in the decode step, seconds"));
    f.push_back(NumField("efficiency.serving_step_overhead_s", ef, &Efficiency::serving_step_overhead_s, 0, 10, "Fixed cost per decode step (sampling, scheduling), seconds"));
    f.push_back(NumField("economics.usd_per_chip_hour", &Scenario::economics,
                         &Economics::usd_per_chip_hour, 0, 1e6,
                         "Price per chip, US dollars per hour (0 = hardware.usd_per_hour)"));
    auto bu = &Scenario::budget;
    f.push_back(NumField("budget.tokens_per_s", bu, &Budget::tokens_per_s, 1, 1e12,
                         "Tokens served per second by this model once deployed, tokens/s"));
    f.push_back(NumField("budget.months", bu, &Budget::months, 0.01, 1200,
                         "Deployment time before the next model replaces it, months"));
    f.push_back(NumField("budget.inference_inefficiency", bu, &Budget::inference_inefficiency, 1, 1000,
                         "Training MFU over decode MFU, ratio (3: decode runs at a third of training MFU)"));
    f.push_back(NumField("budget.rl_tokens_ratio", bu, &Budget::rl_tokens_ratio, 0, 1000,
                         "RL rollout tokens per inference token, ratio"));
    f.push_back(NumField("budget.rl_flops_per_param", bu, &Budget::rl_flops_per_param, 2, 6,
                         "FLOPs per parameter per RL token: 2 = rollouts only, 6 = also trained on"));
    return f;
  }();
  return fields;
}

const Field* FindField(const std::string& path) {
  for (const auto& f : Fields())
    if (f.path == path) return &f;
  return nullptr;
}

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string Suggest(const std::string& path) {
  std::string best;
  // Field paths are short: a long key is no typo of one (and the distance would cost |key| x |field|).
  if (path.size() > 64) return best;
  size_t best_d = 4;
  for (const auto& f : Fields()) {
    const size_t d = EditDistance(path, f.path);
    if (d < best_d) best_d = d, best = f.path;
  }
  const char* tops[] = {"title", "schema_version", "hardware", "model", "cluster", "serving",
                        "training", "efficiency", "economics", "budget"};
  for (const char* t : tops) {
    const size_t d = EditDistance(path, t);
    if (d < best_d) best_d = d, best = t;
  }
  return best;
}

[[noreturn]] void UnknownField(const std::string& src, const std::string& path) {
  const std::string guess = Suggest(path);
  throw ScenarioError(src, path, "",
                      guess.empty() ? "is not a scenario field (see SCENARIO.md)"
                                    : "is not a scenario field; did you mean " + guess + "?");
}

void SetPreset(Scenario& s, const std::string& key, const json& v, const std::string& src) {
  if (!v.is_string()) Fail(src, key, v, "must be a preset name or an object");
  if (key == "hardware") {
    s.hardware = LoadHardwarePreset(v.get<std::string>(), src, key);
    // A rack is one scale-up domain (8 for HGX, 72 for NVL72); TPU pods are capped at a 256-chip slice.
    s.cluster.chips_per_rack = std::min(s.hardware.scaleup_domain, 256);
  } else
    s.model = LoadModelPreset(v.get<std::string>(), src, key);
}

void ApplyValue(Scenario& s, const std::string& path, const json& v, const std::string& src);

void ApplyObject(Scenario& s, const std::string& prefix, const json& obj, const std::string& src) {
  // A section object may name a preset to start from ("hardware": {"preset": "h100-sxm", ...}).
  if ((prefix == "hardware" || prefix == "model") && obj.contains("preset"))
    SetPreset(s, prefix, obj["preset"], src);
  // Likewise an efficiency section may name its calibration set first, then override single values.
  const bool named_efficiency = prefix == "efficiency" && obj.contains("calibration");
  if (named_efficiency) ApplyValue(s, "efficiency.calibration", obj["calibration"], src);
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (it.key() == "preset" && (prefix == "hardware" || prefix == "model")) continue;
    if (named_efficiency && it.key() == "calibration") continue;
    ApplyValue(s, prefix + "." + it.key(), it.value(), src);
  }
}

void ApplyValue(Scenario& s, const std::string& path, const json& v, const std::string& src) {
  if (const Field* f = FindField(path)) {
    f->set(s, v, src);
    return;
  }
  if (path == "hardware" || path == "model") {
    if (v.is_object())
      ApplyObject(s, path, v, src);
    else
      SetPreset(s, path, v, src);
    return;
  }
  if (path == "title") {
    if (!v.is_string()) Fail(src, path, v, "must be a string");
    s.title = v.get<std::string>();
    return;
  }
  if (path == "$schema") {  // the editor's schema (blackboard schema); not a field
    if (!v.is_string()) Fail(src, path, v, "must be a string (the path or URL of a JSON Schema)");
    return;
  }
  if (path == "schema_version") {
    if (!v.is_number_integer() || v.get<int>() != 1) Fail(src, path, v, "must be 1");
    return;
  }
  if (path == "efficiency" && v.is_string()) {
    // One word for a whole named set: "efficiency": "roofline" (or --set efficiency=roofline).
    s.efficiency = NamedEfficiency(v.get<std::string>(), src, path);
    return;
  }
  if (path == "efficiency" && !v.is_object())
    Fail(src, path, v,
         std::string("must be an object or a calibration name: ") + kCalibrationName + ", " + kRooflineName);
  if (path == "cluster" || path == "serving" || path == "training" || path == "efficiency" ||
      path == "economics" || path == "budget") {
    if (!v.is_object()) Fail(src, path, v, "must be an object");
    ApplyObject(s, path, v, src);
    return;
  }
  if (path.rfind("efficiency.", 0) == 0 && path.find('.', 11) == std::string::npos) {
    // Named overheads: any other efficiency.<name> is a documented extra factor.
    s.efficiency.overheads[path.substr(11)] = ReadNumber(v, src, path, 0, 1e6, false);
    return;
  }
  UnknownField(src, path);
}

int HeadsFor(const Model& m) { return m.heads; }

}  // namespace

ScenarioError::ScenarioError(std::string file, std::string field, std::string value, std::string allowed)
    : std::runtime_error(ErrorText(file, field, value, allowed)),
      file_(std::move(file)),
      field_(std::move(field)),
      value_(std::move(value)),
      allowed_(std::move(allowed)) {}

double Scenario::UsdPerChipHour() const {
  return economics.usd_per_chip_hour > 0 ? economics.usd_per_chip_hour : hardware.usd_per_hour;
}

Efficiency CalibratedEfficiency() { return Efficiency{}; }

Efficiency RooflineEfficiency() {
  Efficiency e;
  e.calibration = kRooflineName;
  e.compute = e.memory = e.network = 1.0;
  e.serving_layer_overhead_s = 0;
  e.attention_memory = e.collective_network = 1.0;
  e.collective_latency_s = e.kernel_latency_s = e.attention_latency_s = e.serving_step_overhead_s = 0;
  e.overheads = TrainingEfficiencyValues(RooflineTrainingEfficiency());
  return e;
}

Efficiency NamedEfficiency(const std::string& name, const std::string& source, const std::string& field) {
  if (name == kCalibrationName) return CalibratedEfficiency();
  if (name == kRooflineName) return RooflineEfficiency();
  throw ScenarioError(source, field, Show(json(name)),
                      std::string("must be one of: ") + kCalibrationName + " (calibrated on public "
                      "measurements, docs/validation.md), " + kRooflineName + " (every fraction 1, no overheads)");
}

bool IsNamedEfficiency(const Efficiency& e) {
  Efficiency named;
  if (e.calibration == kRooflineName)
    named = RooflineEfficiency();
  else if (e.calibration != kCalibrationName)
    return false;
  return e.compute == named.compute && e.memory == named.memory && e.network == named.network &&
         e.serving_layer_overhead_s == named.serving_layer_overhead_s &&
         e.attention_memory == named.attention_memory && e.collective_latency_s == named.collective_latency_s &&
         e.collective_network == named.collective_network && e.kernel_latency_s == named.kernel_latency_s &&
         e.attention_latency_s == named.attention_latency_s &&
         e.serving_step_overhead_s == named.serving_step_overhead_s && e.overheads == named.overheads;
}

std::string EfficiencyLabel(const Efficiency& e) {
  const bool named = IsNamedEfficiency(e);
  if (named && e.calibration == kRooflineName) return "pure roofline";
  char buf[160];
  std::snprintf(buf, sizeof buf, "compute %.2f, memory %.2f, network %.2f", e.compute, e.memory, e.network);
  std::string values = buf;
  if (e.serving_layer_overhead_s > 0) {
    std::snprintf(buf, sizeof buf, ", %.3g us/layer", e.serving_layer_overhead_s * 1e6);
    values += buf;
  }
  if (named) return "calibrated " + e.calibration + ": " + values;
  return "custom (from " + e.calibration + "): " + values;
}

std::string EfficiencyShortLabel(const Efficiency& e) {
  const bool named = IsNamedEfficiency(e);
  if (named && e.calibration == kRooflineName) return "pure roofline";
  char buf[120];
  std::snprintf(buf, sizeof buf, "(compute %.2f, HBM %.2f, net %.2f)", e.compute, e.memory, e.network);
  return (named ? "calibrated " + e.calibration + " " : std::string("custom efficiency ")) + buf;
}

Scenario DefaultScenario() {
  Scenario s;
  s.title = "Llama 3 70B on one H100 node";
  s.hardware = LoadHardwarePreset("h100-sxm", "default scenario", "hardware");
  s.model = LoadModelPreset("llama-3-70b", "default scenario", "model");
  // A training step small enough to read on the pipeline board: 16 micro-batches of one sequence.
  s.training.global_batch = 16;
  return s;
}

Scenario ScenarioFromJson(const json& doc, const std::string& source, TrainingPlanCheck check) {
  if (!doc.is_object()) throw ScenarioError(source, "(document)", Show(doc), "must be a JSON object");
  Scenario s = DefaultScenario();
  // Presets first so that the other fields in the file override them.
  for (const char* key : {"hardware", "model"})
    if (doc.contains(key)) ApplyValue(s, key, doc[key], source);
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (it.key() == "hardware" || it.key() == "model") continue;
    if (it.key() == "$schema") {  // the editor's JSON Schema link: documentation only
      if (!it.value().is_string()) throw ScenarioError(source, "$schema", Show(it.value()), "must be a string (a schema URL)");
      continue;
    }
    ApplyValue(s, it.key(), it.value(), source);
  }
  ValidateScenario(s, source, check);
  return s;
}

void ApplySet(Scenario& s, const std::string& assignment, const std::string& source) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ScenarioError(source, assignment, "", "must have the form KEY=VALUE (e.g. serving.batch=64)");
  const std::string key = assignment.substr(0, eq);
  const std::string text = assignment.substr(eq + 1);
  // Keys and bare words must be UTF-8, as in a JSON file, or saving the scenario would fail later
  // (efficiency.<name> keeps any key).
  const auto is_utf8 = [](const std::string& t) {
    try {
      (void)json(t).dump();
      return true;
    } catch (const json::type_error&) {
      return false;
    }
  };
  if (!is_utf8(key)) throw ScenarioError(source, Show(json(key)), "", "is not UTF-8 text");
  if (key.size() > kMaxJsonKeyBytes)
    throw ScenarioError(source, key, "",
                        "is a key of " + std::to_string(key.size()) + " bytes; keys are at most " +
                            std::to_string(kMaxJsonKeyBytes) + " bytes");
  if (const std::string bad = FirstControlCharacter(key, /*in_key=*/true); !bad.empty())
    throw ScenarioError(source, Show(json(key)), "", "contains the control character " + bad);
  // A value goes through the same gate as a file (depth, size, control characters); text that is not
  // JSON at all is a bare word.
  json v;
  if (std::optional<json> parsed = TryParseJsonInput(text, source, key)) {
    v = std::move(*parsed);
  } else {
    v = text;  // a bare word is a string: model=llama-3-70b
    if (!is_utf8(text)) throw ScenarioError(source, key, Show(v), "must be UTF-8 text");
    if (const std::string bad = FirstControlCharacter(text); !bad.empty())
      throw ScenarioError(source, key, Show(v),
                          "contains the control character " + bad +
                              "; text may hold no control characters other than tab and newline");
  }
  Scenario copy = s;
  ApplyValue(copy, key, v, source);
  s = std::move(copy);
}

Scenario LoadScenarioFile(const std::string& path, const std::vector<std::string>& sets,
                          TrainingPlanCheck check) {
  const json doc = ReadJsonFile(path);
  // With --set the file alone need not hold together (the sets may fix it): checked once, at the end.
  Scenario s = ScenarioFromJson(doc, path, sets.empty() ? check : TrainingPlanCheck::kReported);
  for (const auto& a : sets) ApplySet(s, a, "--set " + a);
  std::string source = path;
  for (const auto& a : sets) source += (source == path ? " with --set " : ", ") + a;
  ValidateScenario(s, source, check);
  return s;
}

namespace {

// bf16 weight bytes per chip with the weights split over tp x pp and the routed experts over ep as
// well: what the auto pipeline depth must fit ("the model does not fit" otherwise).
double TrainingWeightBytesPerChip(const Model& m, const Training& t) {
  const ParamCount pc = CountParameters(m);
  double expert_params = 0;
  if (IsMoe(m))
    expert_params = static_cast<double>(m.layers - m.dense_layers) * m.experts *
                    (m.mlp == "gated" ? 3.0 : 2.0) * m.d_model * m.d_ff_expert;
  const double dense_params = std::max(0.0, pc.total - expert_params);
  return 2.0 * (dense_params + expert_params / std::max(1, t.ep)) / (static_cast<double>(t.tp) * t.pp);
}

}  // namespace

Training ResolveTrainingDegrees(const Scenario& s, const Training& given) {
  Training t = given;
  const Model& m = s.model;
  const long long chips = static_cast<long long>(s.cluster.racks) * s.cluster.chips_per_rack;
  if (t.cp <= 0) t.cp = 1;
  if (t.tp <= 0) {
    // Megatron splits query heads and KV groups alike; multiquery (one KV head) and MLA's latent are
    // replicated. Up to 8: one NVLink/ICI domain's worth, where TP's all-reduces stay cheap.
    const bool split_kv = m.attention != "mla" && m.kv_heads > 1;
    const long long others = static_cast<long long>(t.cp) * std::max(1, t.pp) * std::max(1, t.dp);
    t.tp = 1;
    for (int c = std::min(8, s.cluster.chips_per_rack); c > 1; --c)
      if (m.heads % c == 0 && (!split_kv || m.kv_heads % c == 0) && chips % (c * others) == 0) {
        t.tp = c;
        break;
      }
  }
  if (t.pp <= 0) {
    const long long left = chips / (static_cast<long long>(t.tp) * t.cp);
    if (t.dp > 0) {
      // An explicit dp leaves the pipeline the rest of the chips.
      t.pp = left % t.dp == 0 && left / t.dp >= 1 ? static_cast<int>(std::min<long long>(left / t.dp, m.layers)) : 1;
    } else {
      const double budget = 0.8 * s.hardware.hbm_bytes;
      t.pp = 0;
      int deepest = 1;
      for (int p = 1; p <= m.layers && p <= left; ++p) {
        if (left % p != 0) continue;
        Training trial = t;
        trial.pp = p;
        deepest = p;
        if (TrainingWeightBytesPerChip(m, trial) <= budget) {
          t.pp = p;
          break;
        }
      }
      if (t.pp == 0) t.pp = deepest;  // nothing fits: the deepest pipeline the chips allow
    }
  }
  return t;
}

Training ResolveTrainingDegrees(const Scenario& s) { return ResolveTrainingDegrees(s, s.training); }

int ResolveServingTp(const Scenario& s) {
  const Serving& v = s.serving;
  if (v.tp > 0) return v.tp;
  const bool any = v.attention_layout == AttentionLayout::kBatch;
  const int ep = std::max(1, v.ep);
  for (int c = std::min(8, s.cluster.chips_per_rack); c > 1; --c)
    if ((any || s.model.heads % c == 0) && (c % ep == 0 || ep % c == 0)) return c;
  return 1;
}

Scenario WithResolvedDegrees(const Scenario& s) {
  Scenario out = s;
  out.training = ResolveTrainingDegrees(s);
  out.serving.tp = ResolveServingTp(s);
  return out;
}

std::string TrainingPlanProblem::Reason() const {
  return field + (value.empty() ? "" : " = " + value) + " " + allowed;
}

TrainingPlanProblem CheckTrainingPlan(const Scenario& s) {
  auto num = [](double v) { return ShowNumber(v); };
  const Training t = ResolveTrainingDegrees(s);
  const double chips = static_cast<double>(s.cluster.racks) * s.cluster.chips_per_rack;
  auto problem = [](std::string field, double value, std::string allowed) {
    return TrainingPlanProblem{std::move(field), ShowNumber(value), std::move(allowed)};
  };
  const double model_par = static_cast<double>(t.tp) * t.pp * t.cp;
  if (std::fmod(chips, model_par) != 0)
    return problem("training.tp", t.tp,
                   "x training.pp x training.cp = " + num(model_par) + " does not divide the " + num(chips) +
                       " chips of the cluster");
  if (t.dp > 0 && t.dp * model_par != chips)
    return problem("training.dp", t.dp,
                   "x tp x pp x cp = " + num(t.dp * model_par) + " must equal the cluster's " + num(chips) +
                       " chips (or set training.dp = 0 for auto)");
  const double dp = t.dp > 0 ? t.dp : chips / model_par;
  // An explicit dp must divide the batch (the training engine requires it). With dp = 0 (auto) dp
  // follows the cluster, so the engine runs the whole micro-batches that fit, at least one per rank.
  if (t.dp > 0 && std::fmod(t.global_batch, dp * t.micro_batch) != 0)
    return problem("training.global_batch", t.global_batch,
                   "must be a multiple of dp x micro_batch = " + num(dp * t.micro_batch));
  if (t.ep > 1 && std::fmod(dp * t.tp, t.ep) != 0)
    return problem("training.ep", t.ep, "must divide dp x tp = " + num(dp * t.tp));
  return {};
}

void ValidateScenario(const Scenario& s, const std::string& src, TrainingPlanCheck check) {
  auto num = [](double v) { return ShowNumber(v); };
  const Model& m = s.model;
  const std::string heads = num(HeadsFor(m));
  if (m.kv_heads > m.heads || m.heads % m.kv_heads != 0)
    throw ScenarioError(src, "model.kv_heads", num(m.kv_heads), "must divide model.heads = " + heads);
  if (m.attention == "mla" && m.kv_latent <= 0)
    throw ScenarioError(src, "model.kv_latent", num(m.kv_latent), "must be >= 1 when model.attention = mla");
  if (m.experts > 1) {
    if (m.experts_active < 1 || m.experts_active > m.experts)
      throw ScenarioError(src, "model.experts_active", num(m.experts_active),
                          "must be from 1 to model.experts = " + num(m.experts));
    if (m.d_ff_expert < 1)
      throw ScenarioError(src, "model.d_ff_expert", num(m.d_ff_expert), "must be >= 1 for a MoE model");
    if (m.dense_layers > m.layers)
      throw ScenarioError(src, "model.dense_layers", num(m.dense_layers),
                          "must be at most model.layers = " + num(m.layers));
  }
  Serving v = s.serving;
  v.tp = ResolveServingTp(s);
  // ESTI §3.3: sharding attention by heads needs whole heads per chip; by batch it does not.
  if (v.attention_layout == AttentionLayout::kHeads && m.heads % v.tp != 0)
    throw ScenarioError(src, "serving.tp", num(v.tp),
                        "does not divide model.heads = " + heads +
                            " (or set serving.attention_layout = batch, ESTI §3.3)");
  if (v.ep > 1 && (m.experts <= 1 || m.experts % v.ep != 0))
    throw ScenarioError(src, "serving.ep", num(v.ep),
                        m.experts <= 1 ? "must be 1 for a dense model"
                                       : "does not divide model.experts = " + num(m.experts));
  if (v.pp > m.layers)
    throw ScenarioError(src, "serving.pp", num(v.pp), "must be at most model.layers = " + num(m.layers));
  // Attention (TP, or DP when ep > tp) and the experts (EP) share one stage's chips: max(tp, ep).
  const int per_stage = std::max(v.tp, v.ep);
  if (per_stage % std::min(v.tp, v.ep) != 0)
    throw ScenarioError(src, "serving.ep", num(v.ep),
                        "and serving.tp = " + num(v.tp) + " must divide one another (one stage's " +
                            num(per_stage) + " chips hold both)");
  if (per_stage > s.cluster.chips_per_rack)
    throw ScenarioError(src, v.ep > v.tp ? "serving.ep" : "serving.tp", num(per_stage),
                        "exceeds cluster.chips_per_rack = " + num(s.cluster.chips_per_rack) +
                            " (a stage's max(tp, ep) chips live in one rack)");
  if (v.pp > s.cluster.racks)
    throw ScenarioError(src, "serving.pp", num(v.pp),
                        "exceeds cluster.racks = " + num(s.cluster.racks) + " (one stage per rack)");
  const double chips = static_cast<double>(s.cluster.racks) * s.cluster.chips_per_rack;
  // Rank arithmetic (layouts, collectives, plan search) uses int: keep the cluster well inside it.
  if (chips > 1e7)
    throw ScenarioError(src, "cluster.racks", num(s.cluster.racks),
                        "x cluster.chips_per_rack = " + num(chips) + " chips exceeds the 10,000,000 allowed");
  // The training plan against the model (always an error), then against the cluster (an error, or
  // with kReported a "not evaluated" training section in the report).
  const Training t = ResolveTrainingDegrees(s);
  if (m.heads % t.tp != 0)
    throw ScenarioError(src, "training.tp", num(t.tp), "does not divide model.heads = " + heads);
  if (t.pp > m.layers)
    throw ScenarioError(src, "training.pp", num(t.pp), "must be at most model.layers = " + num(m.layers));
  if (t.ep > 1 && (m.experts <= 1 || m.experts % t.ep != 0))
    throw ScenarioError(src, "training.ep", num(t.ep),
                        m.experts <= 1 ? "must be 1 for a dense model"
                                       : "does not divide model.experts = " + num(m.experts));
  if (t.virtual_stages > 1 && t.pp * t.virtual_stages > m.layers)
    throw ScenarioError(src, "training.virtual_stages", num(t.virtual_stages),
                        "x training.pp must be at most model.layers = " + num(m.layers));
  if (t.schedule == "interleaved" && t.virtual_stages == 1)
    throw ScenarioError(src, "training.virtual_stages", "1",
                        "must be >= 2 with schedule interleaved (or 0 = auto); one chunk per stage is schedule 1f1b");
  if (t.schedule == "interleaved" && t.pp > 1 && t.virtual_stages == 0 && m.layers < 2 * t.pp)
    throw ScenarioError(src, "training.schedule", "interleaved",
                        "needs at least 2 layers per stage (model.layers = " + num(m.layers) +
                            ", training.pp = " + num(t.pp) + ")");
  if (t.math != "bf16" && (s.hardware.fp8_flops <= 0 || !s.hardware.fp8_native))
    throw ScenarioError(src, "training.math", t.math,
                        "must be bf16 on " + s.hardware.name + " (no FP8 tensor cores: " +
                            (s.hardware.fp8_flops <= 0 ? "hardware.fp8_flops = 0" : "hardware.fp8_native = false") + ")");
  if (check == TrainingPlanCheck::kRequired) {
    const TrainingPlanProblem plan = CheckTrainingPlan(s);
    if (!plan.empty()) throw ScenarioError(src, plan.field, plan.value, plan.allowed);
  }
  if (s.hardware.bf16_flops <= 0)
    throw ScenarioError(src, "hardware.bf16_flops", num(s.hardware.bf16_flops), "must be > 0");
}

json ToJson(const Scenario& s) {
  json j;
  j["schema_version"] = s.schema_version;
  j["title"] = s.title;
  for (const auto& f : Fields()) {
    json* node = &j;
    std::string rest = f.path;
    for (auto dot = rest.find('.'); dot != std::string::npos; dot = rest.find('.')) {
      node = &(*node)[rest.substr(0, dot)];
      rest = rest.substr(dot + 1);
    }
    (*node)[rest] = f.get(s);
  }
  for (const auto& [k, v] : s.efficiency.overheads) j["efficiency"][k] = v;
  return j;
}

json ScenarioJsonSchema() {
  const Scenario defaults = DefaultScenario();
  // Each section's properties, from the field table (a field added there appears here).
  json sections = json::object();
  for (const auto& f : Fields()) {
    const auto dot = f.path.find('.');
    json p = f.value_schema;
    if (!f.description.empty()) p["description"] = f.description;
    const std::string section = f.path.substr(0, dot);
    // Hardware and model defaults depend on the preset: only the other sections show theirs.
    if (section != "hardware" && section != "model" && !p.contains("additionalProperties"))
      p["default"] = f.get(defaults);
    sections[section][f.path.substr(dot + 1)] = p;
  }
  const std::map<std::string, std::string> about = {
      {"hardware", "A hardware preset (blackboard list hardware) or per-chip figures, optionally starting "
                   "from {\"preset\": NAME}"},
      {"model", "A model preset (blackboard list models) or the transformer's shape, optionally starting "
                "from {\"preset\": NAME}"},
      {"cluster", "How many chips: racks (scale-up domains) and chips in each"},
      {"serving", "The serving deployment: batch, request shape, layout and precision"},
      {"training", "The training run: tokens, batch, parallelism, schedule, recomputation"},
      {"efficiency", "A calibration name (public-v1, roofline) or achievable fractions of peak and named "
                     "overheads"},
      {"economics", "Prices"},
      {"budget", "The lecture's compute budget (1.10): what the model serves once deployed"}};
  json props = json::object();
  props["$schema"] = {{"type", "string"}, {"description", "This schema, for editors (blackboard ignores it)"}};
  props["schema_version"] = {{"const", 1}, {"description", "The scenario format's version: 1"}};
  props["title"] = {{"type", "string"}, {"description", "Shown on boards and exports"}};
  for (auto& [name, fields] : sections.items()) {
    json object = {{"type", "object"}, {"properties", fields}, {"additionalProperties", false}};
    json section;
    if (name == "hardware" || name == "model") {
      const json presets = ListAssets(name == "hardware" ? "hardware" : "models");
      const json preset = {{"type", "string"}, {"enum", presets}, {"description", "A preset to start from"}};
      object["properties"]["preset"] = preset;
      section["anyOf"] = {preset, object};
    } else if (name == "efficiency") {
      object["additionalProperties"] = {
          {"type", "number"},
          {"minimum", 0},
          {"maximum", BoundJson(1e6)},
          {"description", "A named overhead of the training engine, a fraction or seconds (docs/validation.md)"}};
      section["anyOf"] = {fields["calibration"], object};
    } else {
      section = object;
    }
    if (auto it = about.find(name); it != about.end()) section["description"] = it->second;
    props[name] = section;
  }
  return {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
          {"title", "Blackboard scenario"},
          {"description", "A scenario: every field has a default, a file says what differs (SCENARIO.md). "
                          "Generated by `blackboard schema scenario` from the field table."},
          {"type", "object"},
          {"properties", props},
          {"additionalProperties", false}};
}

json ToJson(const Hardware& h) {
  Scenario s;
  s.hardware = h;
  return ToJson(s)["hardware"];
}

json ToJson(const Model& m) {
  Scenario s;
  s.model = m;
  return ToJson(s)["model"];
}

void SaveScenarioFile(const Scenario& s, const std::string& path) {
  WriteFileAtomic(path, ToJson(s).dump(2) + "\n");
}

}  // namespace blackboard

// Presets live here (not in assets.cpp) because they are parsed with the scenario field table.
namespace blackboard {

namespace {

template <class Section>
Section LoadPresetUncached(const std::string& kind, const std::string& name, const std::string& source,
                           const std::string& field, Section Scenario::*section) {
  const auto names = ListAssets(kind);
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    throw ScenarioError(source, field, "\"" + name + "\"", "is not a known preset; known: " + list);
  }
  const std::string path = AssetDir() + "/" + kind + "/" + name + ".json";
  const json doc = ReadJsonFile(path);
  if (!doc.is_object()) throw ScenarioError(path, "(document)", "", "is not a JSON object");
  Scenario tmp;
  const std::string prefix = kind == "hardware" ? "hardware" : "model";
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (it.key() == "description" || it.key() == "published") continue;  // documentation fields
    ApplyValue(tmp, prefix + "." + it.key(), it.value(), path);
  }
  Section out = tmp.*section;
  out.name = name;
  return out;
}

// Presets are read once per process (start-up loads a lecture whose steps resolve many scenarios).
template <class Section>
Section LoadPreset(const std::string& kind, const std::string& name, const std::string& source,
                   const std::string& field, Section Scenario::*section) {
  static std::mutex mu;
  static std::map<std::string, Section> cache;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (auto it = cache.find(name); it != cache.end()) return it->second;
  }
  Section out = LoadPresetUncached(kind, name, source, field, section);
  std::lock_guard<std::mutex> lock(mu);
  cache.emplace(name, out);
  return out;
}

}  // namespace

Hardware LoadHardwarePreset(const std::string& name, const std::string& source, const std::string& field) {
  return LoadPreset("hardware", name, source, field, &Scenario::hardware);
}

Model LoadModelPreset(const std::string& name, const std::string& source, const std::string& field) {
  return LoadPreset("models", name, source, field, &Scenario::model);
}

}  // namespace blackboard
