// Serving economics: the decode-step roofline of the lecture (shared/reference/lecture.md §1.2-1.6),
// and the step as engines run it (vLLM, SGLang, TensorRT-LLM: continuous batching, chunked prefill).
//
// Two steps, both reported: `DecodeStep` (serving.decode_step_s) is the lecture's pure step,
// max(compute, weights + KV, network) at the efficiency fractions; `EngineStep` (serving.tpot_s) is a
// step of a serving engine: each layer's kernels in sequence, each a fixed latency plus its work, paged-KV
// attention at its own fraction, every all-reduce / all-to-all with its per-message latency, a fixed
// cost per step, and the prefill chunks of arriving requests mixed in (Sarathi-Serve).
//
// Use: `ServingReport r = EvaluateServing(scenario);` for every figure of the eval report, or
// `ServingModel m = MakeServingModel(scenario);` once and then `m.Decode(batch)` in a loop: a decode
// step is a handful of multiplies, so a 4,096-point sweep costs microseconds (plots call it every
// frame). All times are lower bounds ("the time must be >="), scaled by the efficiency knobs:
// efficiency.compute, memory and network are achievable fractions of peak (calibrated defaults,
// docs/validation.md "Serving"; RooflineEfficiency() gives the lecture's pure roofline).
#pragma once

#include <string>

#include "blackboard/scenario.hpp"

namespace blackboard {

enum class Bound { kCompute, kMemory, kNetwork };
const char* BoundName(Bound b);

// One decode step (one new token for each sequence in the batch) and its parts, in seconds.
struct DecodeStep {
  double batch = 0;          // sequences (global)
  double compute_s = 0;      // matmul FLOPs / (chips x FLOP/s)
  double weights_s = 0;      // weight fetch: stage weights / (chips x HBM bandwidth)
  double kv_s = 0;           // KV fetch: batch x context x bytes/token / (chips x HBM bandwidth)
  double memory_s = 0;       // weights_s + kv_s
  double network_s = 0;      // TP all-reduces + EP dispatch/combine inside the domain
  double hops_s = 0;         // pipeline hops between racks (latency + transfer), serial
  double overhead_s = 0;     // layers x efficiency.serving_layer_overhead_s, serial
  double experts_touched = 0;  // expected distinct routed experts per MoE layer (0 for a dense model)
  double step_s = 0;         // per-token latency of every sequence
  Bound bound = Bound::kMemory;
  double usd_per_token = 0;  // step cost over the replica's chips / tokens in the step
};

// One step of a serving engine: `decode_tokens` sequences each get a token while `prefill_tokens`
// prompt tokens of arriving requests ride along (chunked prefill), in seconds.
struct EngineStep {
  double decode_tokens = 0, prefill_tokens = 0;
  double gemm_s = 0;           // every weight matmul: kernel latency + max(FLOPs, weight bytes)
  double attention_s = 0;      // paged-KV decode attention + the prefill chunks' attention
  double collectives_s = 0;    // TP all-reduces, EP all-to-alls: latency + bytes, in sequence
  double kernel_latency_s = 0; // part of gemm_s + attention_s that is the kernels' fixed latencies
  double fixed_s = 0;          // efficiency.serving_step_overhead_s (scheduling, sampling, launch)
  double hops_s = 0;           // pipeline hops
  double step_s = 0;           // the sum: what the engine's step takes
};

// The scenario reduced to the handful of numbers a decode step needs (precomputed once).
struct ServingModel {
  double params_total = 0, params_active = 0;
  double weight_bytes_total = 0;     // params_total x bytes per weight
  double matmul_flops_per_token = 0; // forward, 2 x active matmul params
  double kv_bytes_per_token = 0;     // over all layers
  double context = 0;
  double chips_per_stage = 1;        // max(tp, ep): the chips sharing one stage's weights and KV
  double stages = 1;                 // pp
  double flops_per_chip = 0;         // effective (peak x efficiency.compute)
  double hbm_bytes_per_s = 0;        // effective
  double scaleup_bytes_per_s = 0;    // effective
  double scaleout_bytes_per_s = 0;   // effective
  double scaleup_latency_s = 0, hop_latency_s = 0;
  double layer_overhead_s = 0;       // efficiency.serving_layer_overhead_s (per layer per step)
  double tp = 1, ep = 1;
  double d_model = 0, layers = 0, moe_layers = 0, experts_active = 0;
  double act_bytes = 2;              // activation element size on the wire
  bool kv_serial = false;            // Scaling Book step model
  double usd_per_chip_s = 0;
  // Layouts (0 = the lecture's even split over chips_per_stage; a hand-made model keeps that).
  double dense_weight_chips = 0;     // chips sharing the non-expert weights: tp (attention DP replicates)
  double kv_replication = 1;         // copies of each KV head (heads layout with fewer KV heads than tp)
  bool attention_batch_sharded = false;
  // MoE: routed expert bytes of one expert in one layer; experts per layer (0 = dense model).
  double expert_bytes = 0, experts = 0;
  bool ffn_layout_auto = false;
  FfnLayout ffn_layout = FfnLayout::k1DWeightStationary;
  double d_ff = 0;
  int torus_x = 1, torus_y = 1, torus_z = 1;  // the stage's chips as ESTI's X x Y x Z (ServingTorus)
  // The engine step (EngineStep): per-layer parameter groups and the engine's constants.
  double attn_params_per_layer = 0, dense_mlp_params = 0, moe_dense_params = 0;  // moe_dense: shared + router
  double head_params = 0;            // unembedding (the LM head matmul)
  double weight_bytes_per_param = 2;
  double attention_flops_per_ctx_token = 0;  // attention FLOPs per (query token x context token), all layers
  double attention_hbm_bytes_per_s = 0;      // effective, paged-KV attention
  double collective_latency_s = 0, collective_bytes_per_s = 0;
  double kernel_latency_s = 0, attention_latency_s = 0, step_overhead_s = 0;
  double dense_layers = 0;           // layers with a dense MLP
  // Kernels per layer besides attention (structure of the vLLM / SGLang decode layer, not a fit):
  // attention projections (qkv + out = 2; MLA: q_a/kv_a, q_b, the absorbed W_UK and W_UV, out = 5) and
  // small element-wise kernels (kElementwiseKernelsPerLayer; MLA adds its two latent norms).
  double projection_kernels = 2, elementwise_kernels = 4;
  // FP8 / FP4 matmuls quantise their input activations first, one small kernel per distinct matmul
  // input (vLLM / SGLang per-token-group FP8, NVFP4): per attention (2; MLA 3), dense MLP and MoE layer.
  double quant_kernels_attention = 0, quant_kernels_dense_mlp = 0, quant_kernels_moe = 0;

  DecodeStep Decode(double batch) const;
  // The FFN layout and its communication time for one dense FFN layer at `tokens` tokens.
  FfnLayout FfnLayoutFor(double tokens) const;
  // Expected distinct routed experts per MoE layer for `tokens` tokens: E·(1-(1-k/E)^tokens).
  double ExpertsTouched(double tokens) const;
  // Weight bytes one step reads per stage for `tokens` tokens (all dense weights + touched experts).
  double WeightBytesTouched(double tokens) const;
  EngineStep Engine(double decode_tokens, double prefill_tokens, double prefill_context) const;
};

ServingModel MakeServingModel(const Scenario& s);

// The engine step's three kinds of operation (aiconfigurator's per-operation tables fit these, see
// docs/validation.md "Serving: the engine's step"), in seconds on one chip:
// a matmul kernel: efficiency.kernel_latency_s + max(FLOPs / FLOP/s, bytes / HBM bytes/s);
double MatmulKernelS(const ServingModel& m, double flops, double bytes);
// a decode-attention kernel reading `kv_bytes`: efficiency.attention_latency_s + bytes / (HBM x
// efficiency.attention_memory);
double DecodeAttentionKernelS(const ServingModel& m, double kv_bytes);
// an all-reduce of `bytes` over n chips: efficiency.collective_latency_s + 2(n-1)/n x bytes /
// (scale-up line rate x efficiency.collective_network).
double SmallAllReduceS(const ServingModel& m, double n, double bytes);
// Small kernels per layer besides the matmuls and attention: two norms with their residual adds,
// rotary embedding with the KV-cache write, the MLP activation (vLLM / SGLang decode layer).
inline constexpr double kElementwiseKernelsPerLayer = 4;
// A MoE layer's kernels: router, shared expert gate-up and down (matmuls), the two grouped expert
// matmuls, and top-k, token sort/align and the weighted combine (small kernels).
inline constexpr double kMoeDenseKernels = 3, kMoeExpertKernels = 2, kMoeSmallKernels = 3;

struct MemoryPerChip {
  double weights = 0, kv_cache = 0, total = 0, capacity = 0;
};

struct ServingReport {
  DecodeStep decode;
  double prefill_s = 0;              // one request of prompt_tokens through the replica
  double tokens_per_s = 0;           // output tokens/s of the replica
  double tokens_per_s_per_chip = 0;
  double latency_floor_s = 0;        // N_total bytes / (chips in the domain x HBM bandwidth)
  double critical_batch = 0;         // (FLOP/s / BW) x (bytes/weight / 2) x (N_total / N_active)
  double max_batch = 0;              // largest global batch whose weights + KV fit in HBM
  double mfu_decode = 0, mfu_prefill = 0;
  MemoryPerChip memory;
  bool fits = false;
  double overflow_bytes = 0;         // per chip, when it does not fit
  double hbm_drain_s = 0;            // HBM capacity / bandwidth (lecture §1.5)
  double usd_per_mtok_output = 0;
  double usd_per_mtok_input = 0;
  double chips = 0;                  // in one serving replica (max(tp, ep) x pp)
  // Continuous batching at concurrency serving.batch (vLLM / SGLang / TensorRT-LLM, chunked prefill).
  EngineStep engine;                 // one steady-state step: batch decodes + the prefill mixed in
  double tpot_s = 0;                 // time per output token: engine.step_s
  double ttft_s = 0;                 // time to first token: waiting + the prompt's chunks under load
  double ttft_wait_s = 0;            // of which waiting for the step in flight
  double prefill_tokens_per_step = 0;  // (batch - 1) x prompt_tokens / output_tokens: the others' prompts
  std::string ffn_layout;            // the layout used (ESTI §3.2 name)
};

ServingReport EvaluateServing(const Scenario& s);

// The ESTI FFN layout the serving step uses for `tokens` tokens per stage: serving.ffn_layout, or with
// "auto" the cheapest of ChooseFfnLayout (layout.hpp) on the stage's chips as a torus (ServingTorus).
FfnLayout ServingFfnLayout(const Scenario& s, double tokens);

// Peak FLOP/s of the chip for the scenario's serving math precision (falls back to bf16).
double PeakFlops(const Hardware& h, const std::string& math);

}  // namespace blackboard
