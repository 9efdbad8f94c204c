// Scenario: the one input every figure is computed from (see shared/SCENARIO.md, schema_version 1).
//
// Use: `Scenario s = LoadScenarioFile("x.json", {"serving.batch=64"});` or start from
// `DefaultScenario()` and call `ApplySet(s, "model=llama-3-70b")`. Every field has a default and a
// scenario file only says what differs. Invalid input throws ScenarioError, whose message names the
// file, the field, the value and what is allowed; nothing is half-applied (functions work on a copy).
//
// Units are in the field names' meaning: seconds, bytes, FLOP/s, US dollars.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace blackboard {

// Per-chip hardware description. Bandwidths are per chip and per direction.
struct Hardware {
  std::string name = "custom";
  double bf16_flops = 0;            // dense peak FLOP/s
  double fp8_flops = 0;             // dense peak FLOP/s (0 = not supported: bf16 is used)
  double fp4_flops = 0;             // dense peak FLOP/s (0 = not supported)
  bool fp8_native = true;           // FP8 tensor cores (false: fp8_flops holds an int8 peak, serving only)
  // Measured per-operation GEMM throughput of large GEMMs (M, N, K >= 4096) over the dense peak above
  // (docs/validation.md "Absolute level"); 0 = the training engine's calibrated matmul_max / fp8_matmul_max.
  double gemm_bf16_fraction = 0;
  double gemm_fp8_fraction = 0;
  double hbm_bytes = 0;             // capacity per chip
  double hbm_bytes_per_s = 0;       // HBM bandwidth per chip
  double scaleup_bytes_per_s = 0;   // NVLink / ICI, per chip, one direction
  int scaleup_domain = 8;           // chips in one scale-up domain
  double scaleup_latency_s = 1e-6;  // per hop inside the domain
  double scaleout_bytes_per_s = 0;  // NIC per chip, one direction
  double scaleout_latency_s = 5e-6; // per hop between domains
  double usd_per_hour = 0;          // rental price per chip
  std::map<std::string, std::string> sources;  // field -> where the number comes from
};

struct Cluster {
  int racks = 1;            // scale-up domains
  int chips_per_rack = 8;   // chips in each (choosing a hardware preset sets it to the preset's
                            // scale-up domain, at most 256; a file's cluster section overrides it)
};

// Transformer shape. Parameter counts come from CountParameters (model.hpp).
struct Model {
  std::string name = "custom";
  int layers = 32;
  int d_model = 4096;
  int heads = 32;
  int kv_heads = 8;
  int head_dim = 128;
  int d_ff = 14336;
  int vocab = 128256;
  std::string mlp = "gated";        // gated (SwiGLU, 3 matrices) | plain (GeLU, 2 matrices)
  bool tied_embeddings = false;
  std::string attention = "gqa";    // mha | gqa | mqa | mla
  int kv_latent = 0;                // MLA: compressed KV dimension d_c
  int q_latent = 0;                 // MLA: compressed query dimension d_c' (0 = no query compression)
  int rope_dim = 0;                 // MLA: decoupled RoPE key dimension d_h^R
  std::string norm = "rmsnorm";     // rmsnorm (weight) | layernorm (weight + bias)
  bool bias = false;                // biases on the linear layers (GPT-3 style)
  int learned_positions = 0;        // learned position embeddings (rows); 0 = RoPE
  bool parallel_block = false;      // attention and MLP share one norm (PaLM)
  int experts = 0;                  // routed experts; 0 or 1 = dense
  int experts_active = 0;           // routed experts per token (top-k)
  int shared_experts = 0;
  int d_ff_expert = 0;
  int dense_layers = 0;             // leading layers with a dense MLP (DeepSeek: 3)
};

// ESTI (Pope et al. 2022) §3.2 feed-forward layouts: 1D / 2D weight-stationary, weight-gathered over
// X, XY or XYZ of the chips' 3D torus (the sharding board's ESTI panel and the serving engine).
enum class FfnLayout {
  k1DWeightStationary,
  k2DWeightStationary,
  kWeightGatheredX,
  kWeightGatheredXY,
  kWeightGatheredXYZ,
};
// ESTI §3.3: attention sharded over heads (a KV head is replicated on tp / kv_heads chips when there
// are fewer KV heads than chips: multiquery, GQA, MLA's one latent) or over the batch (KV split).
enum class AttentionLayout { kHeads, kBatch };

struct Serving {
  int batch = 64;                   // sequences decoding at once (global, over all pipeline stages)
  int context = 8192;               // KV length per sequence (tokens)
  int prompt_tokens = 2048;
  int output_tokens = 512;
  int tp = 0;                       // 0 = auto: ResolveServingTp (below)
  int ep = 1;
  int pp = 1;
  double weight_bytes = 2;          // bytes per weight (2 bf16, 1 fp8/int8, 0.5 fp4)
  double kv_bytes = 2;              // bytes per KV element
  std::string math = "bf16";        // bf16 | fp8 | fp4: which peak the matmuls run at
  double cache_hit_rate = 0;        // fraction of prompt tokens served from a prefix cache
  double hop_latency_s = 0;         // extra latency per rack-to-rack hop (0 = hardware.scaleout_latency_s)
  double queue_period_s = 0;        // a batch departs every period (0 = the decode step at serving.batch, lecture §1.5)
  double arrival_rate_per_s = 0;    // requests per second joining the trains (0 = batch / period)
  std::string step_model = "max";   // max: max(compute, weights+KV) (lecture);
                                    // kv_serial: KV + max(compute, weights) (Scaling Book)
  AttentionLayout attention_layout = AttentionLayout::kHeads;  // "heads" | "batch" (ESTI §3.3)
  bool ffn_layout_auto = false;     // "auto": the cheapest ESTI layout for the step (ChooseFfnLayout);
                                    // default "1d-ws", Megatron TP: what GPU engines run
  FfnLayout ffn_layout = FfnLayout::k1DWeightStationary;  // when not auto: "1d-ws" | "2d-ws" | "wg-x" |
                                                          // "wg-xy" | "wg-xyz"
  int prefill_chunk_tokens = 8192;  // token budget of one engine step (vLLM max_num_batched_tokens,
                                    // SGLang chunked_prefill_size): decode tokens + prefill chunks
};

struct Training {
  double tokens = 15e12;
  int seq_len = 8192;
  int global_batch = 1024;          // sequences per step: a multiple of dp x micro_batch, except
  int micro_batch = 1;              // with dp = 0, which runs the whole micro-batches that fit (>= 1)
  int dp = 0;                       // 0 = auto: chips / (tp x pp x cp)
  int tp = 0, pp = 0, ep = 1, cp = 1;  // tp, pp, cp 0 = auto: ResolveTrainingDegrees (below)
  int zero = 1;                     // 0-3 (3 = FSDP)
  bool sequence_parallel = true;
  std::string schedule = "1f1b";    // gpipe | 1f1b | interleaved | zb-h1 | zb-h2 | dualpipe | dualpipe-v
  int virtual_stages = 0;           // interleaved chunks per stage; 0 = auto (AutoVirtualStages)
  std::string recompute = "selective";  // none | selective | full | reversible
  std::string attention_kernel = "flash";  // flash (fused, scores stay on chip) | materialized (2022)
  std::string math = "bf16";        // bf16 | fp8 (tensorwise scaling) | mxfp8 (32-element blocks)
  bool tp_comm_overlap = false;     // TP collectives overlapped with the GEMMs (Megatron
                                    // --tp-comm-overlap, torchtitan AsyncTP)
};

// The serving engine's achievable fractions of peak, calibrated on public measurements (the set named
// kCalibrationName; docs/validation.md "Serving" lists each source). 1.0 everywhere and no overhead
// gives the pure roofline: RooflineEfficiency(), or `efficiency = "roofline"` in a file or --set.
// The training engine has its own named calibrated fractions (TrainingEfficiency, training.hpp), read
// from `overheads` by name; compute, memory and network do not scale them.
inline constexpr const char* kCalibrationName = "public-v1";
inline constexpr const char* kRooflineName = "roofline";
// ESTI (Pope et al. 2022, lecture.md §3.1): 76% MFU on large-batch prefill of PaLM 540B, 64 TPU v4.
inline constexpr double kCalibratedCompute = 0.76;
// H100 SXM device-to-device copy 2,903 of 3,350 GB/s = 0.867 (NVBench, ZiyanIshani/vpbenchmarking
// results/stream_nvbench); an A100 80 GB read kernel 1.80 of 2.04 TB/s = 0.88, Nsight-confirmed
// (forums.developer.nvidia.com/t/339083). Rounded to 0.87.
inline constexpr double kCalibratedMemory = 0.87;
// 8x H100 NCCL ring all-reduce ~370 of 450 GB/s busbw (published-numbers NC-2; lecture.md
// "Collectives on GPUs", measured): 370 / 450 = 0.822.
inline constexpr double kCalibratedNetwork = 0.82;
// No public per-layer measurement of a serving decode step: engines replay the step as one CUDA graph
// or one compiled XLA program, so kernel-launch costs are not paid per layer; 0 until one is measured.
inline constexpr double kCalibratedServingLayerOverheadS = 0.0;
// The engine's decode step (serving.tpot_s; not the lecture's decode_step_s). Fitted on aiconfigurator's
// public per-operation tables for H100 SXM (ai-dynamo/aiconfigurator systems/data/h100_sxm, vLLM 0.24.0;
// docs/validation.md "Serving: the engine's step"); each is one physical quantity:
// paged-KV decode attention (generation_attention_perf, FlashAttention-3, bf16 KV, head_dim 128, 119
// rows, mean error 6.7 %): each layer's kernel takes a fixed latency plus its KV bytes at this
// fraction of HBM peak.
inline constexpr double kCalibratedAttentionMemory = 0.91;
inline constexpr double kCalibratedAttentionLatencyS = 12.5e-6;
// one small collective message: vLLM custom all-reduce under CUDA graphs (custom_allreduce_perf,
// 8 Ki - 16 Mi bf16 elements, TP 2, 4, 8; 36 rows, mean error 12.4 %): a latency per message and the
// fraction of the scale-up line rate the message's ring bytes 2(n-1)/n x S reach.
inline constexpr double kCalibratedCollectiveLatencyS = 4.75e-6;
inline constexpr double kCalibratedCollectiveNetwork = 0.60;
// the fixed latency of one kernel beside its roofline time, at compute 0.76 and memory 0.87 above
// (gemm_perf, bf16, m 1-512, 49 rows of Llama-shaped n x k, mean error 6.8 %).
inline constexpr double kCalibratedKernelLatencyS = 2.5e-6;
// per step outside the model's kernels: the engine's CPU work between two GPU steps (scheduling, input
// preparation, sampling, output processing) that CUDA-graph replay does not hide. Fitted on one
// end-to-end row, gpt-oss-120b on 8 H100 (vLLM, concurrency 4, 1k/1k: 3.72 ms TPOT, SemiAnalysisAI/
// InferenceX issue #828), where the model's kernels take 2.7 ms; a scan of 0.5 / 1.0 / 1.5 ms. The other
// 17 end-to-end rows are held out (docs/validation.md "Serving: end-to-end TPOT").
inline constexpr double kCalibratedServingStepOverheadS = 1.0e-3;

struct Efficiency {
  std::string calibration = kCalibrationName;  // the named set the values started from
  double compute = kCalibratedCompute;          // matmul FLOP/s / peak (decode and prefill)
  double memory = kCalibratedMemory;            // HBM bytes/s / peak
  double network = kCalibratedNetwork;          // scale-up and scale-out bytes/s / line rate
  double serving_layer_overhead_s = kCalibratedServingLayerOverheadS;  // per layer per decode step
  // The engine's step (serving.tpot_s / ttft_s only; the lecture's decode_step_s does not use them):
  double attention_memory = kCalibratedAttentionMemory;          // paged-KV attention HBM bytes/s / peak
  double collective_latency_s = kCalibratedCollectiveLatencyS;   // per all-reduce / all-to-all message
  double collective_network = kCalibratedCollectiveNetwork;      // small-message bytes/s / line rate
  double attention_latency_s = kCalibratedAttentionLatencyS;     // per decode-attention kernel
  double kernel_latency_s = kCalibratedKernelLatencyS;           // per matmul kernel, beside its work
  double serving_step_overhead_s = kCalibratedServingStepOverheadS;  // per engine step, outside the model
  std::map<std::string, double> overheads;  // named extra fractions or seconds, documented per name
};

// The calibrated defaults above (calibration = kCalibrationName).
Efficiency CalibratedEfficiency();
// The pure roofline for both engines: compute, memory, network 1, no serving overhead, and the
// training engine's named fractions at RooflineTrainingEfficiency() (calibration = "roofline").
Efficiency RooflineEfficiency();
// Efficiency for a calibration name ("public-v1" or "roofline"); throws ScenarioError otherwise.
Efficiency NamedEfficiency(const std::string& name, const std::string& source,
                           const std::string& field = "efficiency.calibration");
// One line for boards and reports: "pure roofline", "calibrated public-v1: compute 0.76, memory 0.87,
// network 0.82" or "custom (from public-v1): ..." when values differ from the named set.
std::string EfficiencyLabel(const Efficiency& e);
// The short form for board subtitles: "pure roofline", "calibrated public-v1 (compute 0.76, HBM 0.87,
// net 0.82)" or "custom efficiency (...)".
std::string EfficiencyShortLabel(const Efficiency& e);
// True when every value equals the named set of e.calibration.
bool IsNamedEfficiency(const Efficiency& e);

// The lecture's compute budget (lecture.md §1.10): what the model serves once deployed.
struct Budget {
  double tokens_per_s = 50e6;             // tokens served per second by this model (500M/s over ~10 models)
  double months = 2;                      // deployment before the next model replaces it
  double inference_inefficiency = 3;      // decode runs at 1/3 of training MFU (S2)
  double rl_tokens_ratio = 1.0 / 1.5;     // RL rollout tokens per inference token (D_pre ~ 1.5 D_RL ~ D_inf)
  double rl_flops_per_param = 2;          // 2 = rollouts only, 6 = also trained on
};

struct Economics {
  double usd_per_chip_hour = 0;     // 0 = use hardware.usd_per_hour
};

struct Scenario {
  int schema_version = 1;
  std::string title = "Untitled";
  Hardware hardware;
  Cluster cluster;
  Model model;
  Serving serving;
  Training training;
  Efficiency efficiency;
  Economics economics;
  Budget budget;

  double UsdPerChipHour() const;
};

// A bad input: names the file, the field, the value and what is allowed.
class ScenarioError : public std::runtime_error {
 public:
  ScenarioError(std::string file, std::string field, std::string value, std::string allowed);
  const std::string& file() const { return file_; }
  const std::string& field() const { return field_; }
  const std::string& value() const { return value_; }
  const std::string& allowed() const { return allowed_; }

 private:
  std::string file_, field_, value_, allowed_;
};

// kRequired: a training plan that does not fit the cluster is an error. kReported: it is left to the
// report (`eval` says why in its training section, CheckTrainingPlan); invalid values still throw.
enum class TrainingPlanCheck { kRequired, kReported };

// The default scenario: Llama 3 70B on one H100 SXM node, TP 8 (presets from the asset folder).
Scenario DefaultScenario();

// Parses a scenario JSON document (`source` names it in errors). Presets named by string
// ("hardware": "h100-sxm") are resolved from the asset folder, then object fields override them.
Scenario ScenarioFromJson(const nlohmann::json& doc, const std::string& source,
                          TrainingPlanCheck check = TrainingPlanCheck::kRequired);
Scenario LoadScenarioFile(const std::string& path, const std::vector<std::string>& sets = {},
                          TrainingPlanCheck check = TrainingPlanCheck::kRequired);

// Applies one "dotted.path=value" (the --set syntax). Throws ScenarioError naming `source`.
void ApplySet(Scenario& s, const std::string& assignment, const std::string& source = "--set");

// Training degrees 0 = auto, resolved in one place (SCENARIO.md "training"): tp = the largest divisor
// of model.heads (and of model.kv_heads for GQA) that is at most 8 and at most cluster.chips_per_rack
// and divides the chips; pp = 1 unless the model does not fit: the fewest stages (dividing the chips
// left, at most the layers) that bring the bf16 weights per chip under 80 % of HBM (with an explicit
// dp: the chips left over); cp = 1. Explicit (non-zero) degrees are kept; tp, pp, cp come back >= 1.
Training ResolveTrainingDegrees(const Scenario& s);
Training ResolveTrainingDegrees(const Scenario& s, const Training& given);  // given in place of s.training
// serving.tp 0 = auto: the largest divisor of model.heads (any size with serving.attention_layout =
// batch) that is at most 8 and at most cluster.chips_per_rack, and that divides serving.ep or is
// divided by it (one stage's max(tp, ep) chips). An explicit serving.tp is kept.
int ResolveServingTp(const Scenario& s);
// The scenario with its auto degrees (training tp/pp/cp, serving tp) resolved: what the engines and
// the boards read.
Scenario WithResolvedDegrees(const Scenario& s);

// Why the training plan cannot run on this cluster (degrees that do not divide the chips, an explicit
// dp that does not match them or the batch), or empty when it can. Problems with the model itself
// (tp not dividing the heads, pp above the layers) are ValidateScenario's errors in any case.
struct TrainingPlanProblem {
  std::string field, value, allowed;
  bool empty() const { return field.empty(); }
  std::string Reason() const;  // "training.tp = 8 x training.pp x ... does not divide the 2 chips ..."
};
TrainingPlanProblem CheckTrainingPlan(const Scenario& s);

// Checks cross-field constraints (degrees that divide, positive sizes). Throws ScenarioError.
// kReported (TrainingPlanCheck, above) leaves a training plan that does not fit the cluster to the
// report; values that are invalid in themselves still throw.
void ValidateScenario(const Scenario& s, const std::string& source,
                      TrainingPlanCheck check = TrainingPlanCheck::kRequired);

nlohmann::json ToJson(const Scenario& s);
// The JSON Schema (draft 2020-12) of a scenario file, generated from the field table: types, ranges,
// enums, descriptions with units, presets (from the asset folder) and defaults. `blackboard schema`.
// Cross-field rules (degrees that divide, top-k <= experts) are checked by ValidateScenario only.
nlohmann::json ScenarioJsonSchema();
nlohmann::json ToJson(const Hardware& h);
nlohmann::json ToJson(const Model& m);

// Writes `content` to `path` atomically (temporary file in the same folder, then rename); a symlink
// keeps its link (its target is written). Throws OutputError (output_file.hpp) naming the reason.
void WriteFileAtomic(const std::string& path, const std::string& content);
void SaveScenarioFile(const Scenario& s, const std::string& path);

}  // namespace blackboard
