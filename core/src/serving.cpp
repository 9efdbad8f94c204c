// Serving economics. Index: PeakFlops | ServingTorus | MakeServingModel | ExpertsTouched |
// ServingModel::Decode (the lecture's step) | ServingModel::Engine (an engine's step) | EvaluateServing
// (continuous batching: TPOT, TTFT).
// Formulas: lecture.md §1.2 (decode roofline), §1.3-1.4 (critical batch), §1.5 (drain time),
// §1.9 (pipeline across racks: memory per chip, hops), Scaling Book inference.md (kv_serial step model),
// ESTI (Pope et al. 2022) §3.2 (FFN layouts, layout.hpp) and §3.3 (attention by heads or by batch).
#include "blackboard/serving.hpp"

#include <algorithm>
#include <cmath>

#include "blackboard/layout.hpp"
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

namespace {

// The divisor of n closest to `target` (ties: the smaller).
int DivisorNear(int n, double target) {
  int best = 1;
  for (int d = 1; d <= n; ++d)
    if (n % d == 0 && std::fabs(d - target) < std::fabs(best - target)) best = d;
  return best;
}

// ESTI §3.2: the stage's n chips as an X x Y x Z torus, X at the 2D layout's optimum sqrt(n E / F),
// Y x Z = n / X split as evenly as it divides.
void ServingTorus(int n, double d_model, double d_ff, int& x, int& y, int& z) {
  x = DivisorNear(n, std::sqrt(n * d_model / std::max(1.0, d_ff)));
  const int yz = n / x;
  y = DivisorNear(yz, std::sqrt(static_cast<double>(yz)));
  z = yz / y;
}

// Ring all-reduce of `bytes` over n chips, alpha-beta (Megatron MEG-F9; lecture.md "Collectives").
double AllReduceS(double n, double bytes, double bytes_per_s, double latency_s) {
  if (n <= 1) return 0;
  return 2 * (n - 1) / n * bytes / bytes_per_s + latency_s;
}

}  // namespace

ServingModel MakeServingModel(const Scenario& s) {
  const Model& m = s.model;
  const ParamCount pc = CountParameters(m);
  ServingModel sm;
  sm.params_total = pc.total;
  sm.params_active = pc.active;
  sm.weight_bytes_total = pc.total * s.serving.weight_bytes;
  sm.weight_bytes_per_param = s.serving.weight_bytes;
  sm.matmul_flops_per_token = MatmulFlopsPerToken(m);
  sm.kv_bytes_per_token = KvBytesPerToken(m, s.serving.kv_bytes);
  sm.context = s.serving.context;
  sm.tp = ResolveServingTp(s);  // 0 = auto
  sm.ep = s.serving.ep;
  // Attention (TP over tp chips, data-parallel over ep / tp groups) and the experts (EP) share the
  // stage's chips: max(tp, ep) (SGLang DP attention, vLLM/TRT-LLM attention DP + EP).
  sm.chips_per_stage = std::max(sm.tp, sm.ep);
  sm.dense_weight_chips = sm.tp;
  sm.stages = s.serving.pp;
  sm.flops_per_chip = PeakFlops(s.hardware, s.serving.math) * s.efficiency.compute;
  sm.hbm_bytes_per_s = s.hardware.hbm_bytes_per_s * s.efficiency.memory;
  sm.scaleup_bytes_per_s = s.hardware.scaleup_bytes_per_s * s.efficiency.network;
  sm.scaleout_bytes_per_s = s.hardware.scaleout_bytes_per_s * s.efficiency.network;
  sm.scaleup_latency_s = s.hardware.scaleup_latency_s;
  sm.hop_latency_s = s.serving.hop_latency_s > 0 ? s.serving.hop_latency_s : s.hardware.scaleout_latency_s;
  sm.layer_overhead_s = s.efficiency.serving_layer_overhead_s;
  sm.d_model = m.d_model;
  sm.d_ff = m.d_ff;
  sm.layers = m.layers;
  const bool moe = IsMoe(m);
  sm.moe_layers = moe ? std::max(0, m.layers - m.dense_layers) : 0;
  sm.dense_layers = sm.layers - sm.moe_layers;
  sm.experts_active = m.experts_active;
  sm.kv_serial = s.serving.step_model == "kv_serial";
  sm.usd_per_chip_s = s.UsdPerChipHour() / 3600.0;

  // ESTI §3.3: by heads, a chip holds kv_heads / tp heads, or one head copied tp / kv_heads times when
  // there are fewer KV heads than chips (multiquery, GQA; MLA's one latent is such a head); by batch,
  // each chip holds all heads of its share of the sequences.
  sm.attention_batch_sharded = s.serving.attention_layout == AttentionLayout::kBatch;
  const double kv_shards = m.attention == "mla" ? 1.0 : m.kv_heads;
  sm.kv_replication = sm.attention_batch_sharded ? 1.0 : sm.tp / std::min(sm.tp, kv_shards);

  // Per-layer parameter groups (layout.hpp's split, which sums to CountParameters' total).
  const LayoutModel lm = LayoutModelFromModel(m);
  const double matrices = m.mlp == "gated" ? 3.0 : 2.0;
  const double dense_mlp = matrices * m.d_model * static_cast<double>(m.d_ff);
  sm.attn_params_per_layer = (pc.attention + pc.norms_and_biases) / std::max(1, m.layers);
  sm.dense_mlp_params = dense_mlp;
  sm.head_params = pc.unembedding > 0 ? pc.unembedding : pc.embedding;
  if (moe) {
    const LayerParams& last = lm.layers.back();
    sm.experts = last.experts;
    sm.expert_bytes = last.params_per_expert * s.serving.weight_bytes;
    sm.moe_dense_params = last.dense_params - sm.attn_params_per_layer;  // shared experts + router
  }
  sm.attention_flops_per_ctx_token = AttentionFlopsPerToken(m, 1.0);
  const bool mla = m.attention == "mla";
  sm.projection_kernels = mla ? 5 : 2;
  sm.elementwise_kernels = kElementwiseKernelsPerLayer + (mla ? 2 : 0);
  // Matmuls at a quantised precision the chip runs (not weight-only quantisation at bf16 math) first
  // quantise each input: attention's qkv and out inputs (MLA: q_a/kv_a, q_b, out), the MLP's gate-up and
  // down inputs, the MoE layer's shared gate-up / expert input, expert down and shared down inputs.
  if (PeakFlops(s.hardware, s.serving.math) != s.hardware.bf16_flops) {
    sm.quant_kernels_attention = mla ? 3 : 2;
    sm.quant_kernels_dense_mlp = 2;
    sm.quant_kernels_moe = 3;
  }

  // ESTI §3.2 layouts for the dense FFN (serving.ffn_layout).
  sm.ffn_layout_auto = s.serving.ffn_layout_auto;
  sm.ffn_layout = s.serving.ffn_layout;
  ServingTorus(static_cast<int>(sm.tp), sm.d_model, sm.d_ff, sm.torus_x, sm.torus_y, sm.torus_z);

  // The engine's constants (efficiency.*; RooflineEfficiency() sets the latencies to 0).
  sm.attention_hbm_bytes_per_s = s.hardware.hbm_bytes_per_s * s.efficiency.attention_memory;
  sm.collective_latency_s = s.efficiency.collective_latency_s;
  sm.collective_bytes_per_s = s.hardware.scaleup_bytes_per_s * s.efficiency.collective_network;
  sm.kernel_latency_s = s.efficiency.kernel_latency_s;
  sm.attention_latency_s = s.efficiency.attention_latency_s;
  sm.step_overhead_s = s.efficiency.serving_step_overhead_s;
  return sm;
}

double MatmulKernelS(const ServingModel& m, double flops, double bytes) {
  return m.kernel_latency_s + std::max(flops / m.flops_per_chip, bytes / m.hbm_bytes_per_s);
}

double DecodeAttentionKernelS(const ServingModel& m, double kv_bytes) {
  const double bw = m.attention_hbm_bytes_per_s > 0 ? m.attention_hbm_bytes_per_s : m.hbm_bytes_per_s;
  return m.attention_latency_s + kv_bytes / bw;
}

double SmallAllReduceS(const ServingModel& m, double n, double bytes) {
  const double bw = m.collective_bytes_per_s > 0 ? m.collective_bytes_per_s : m.scaleup_bytes_per_s;
  return AllReduceS(n, bytes, bw, m.collective_latency_s);
}

FfnLayout ServingFfnLayout(const Scenario& s, double tokens) {
  return MakeServingModel(s).FfnLayoutFor(tokens);
}

namespace {

FfnProblem ServingFfnProblem(const ServingModel& m, double tokens, double bytes_per_s) {
  FfnProblem p;
  p.tokens = tokens;
  p.d_model = m.d_model;
  p.d_ff = m.d_ff;
  p.x = m.torus_x;
  p.y = m.torus_y;
  p.z = m.torus_z;
  p.bytes_per_s = bytes_per_s;
  p.bytes_per_element = m.act_bytes;
  return p;
}

}  // namespace

FfnLayout ServingModel::FfnLayoutFor(double tokens) const {
  if (!ffn_layout_auto) return ffn_layout;
  return ChooseFfnLayout(ServingFfnProblem(*this, tokens, scaleup_bytes_per_s)).best.layout;
}

double ServingModel::ExpertsTouched(double tokens) const {
  if (experts <= 0) return 0;
  // Each token picks k of E experts; an expert is untouched by all tokens with probability
  // (1 - k/E)^tokens (uniform routing): expected distinct experts E·(1 - (1 - k/E)^tokens).
  const double k = std::min(experts_active, experts);
  return experts * (1.0 - std::pow(1.0 - k / experts, std::max(0.0, tokens)));
}

double ServingModel::WeightBytesTouched(double tokens) const {
  if (experts <= 0) return weight_bytes_total;
  return weight_bytes_total - moe_layers * (experts - ExpertsTouched(tokens)) * expert_bytes;
}

namespace {

// Weight bytes one chip reads per step: non-expert weights over the tp chips that split them,
// touched experts over the stage's chips (a hand-made model: everything over chips_per_stage).
double WeightBytesPerChip(const ServingModel& m, double tokens) {
  const double touched = m.WeightBytesTouched(tokens);
  if (m.dense_weight_chips <= 0) return touched / m.chips_per_stage;
  const double experts_bytes = m.moe_layers * m.ExpertsTouched(tokens) * m.expert_bytes;
  return (touched - experts_bytes) / m.dense_weight_chips + experts_bytes / m.chips_per_stage;
}

}  // namespace

DecodeStep ServingModel::Decode(double batch) const {
  DecodeStep d;
  d.batch = batch;
  // The batch loops through the pipeline as `stages` micro-batches of b sequences (lecture §1.9); a
  // token's latency is the sum over stages, which is the whole model over one stage's chips.
  const double b = batch / stages;
  const double stage_chips = chips_per_stage;
  d.compute_s = b * matmul_flops_per_token / (stage_chips * flops_per_chip);
  // Lecture §1.2: the weights the step reads (MoE: the experts the batch's tokens touch, the weight
  // floor rising with batch toward N_total), and the KV cache (ESTI §3.3 copies under the heads layout).
  d.experts_touched = ExpertsTouched(b);
  d.weights_s = WeightBytesPerChip(*this, b) / hbm_bytes_per_s;
  d.kv_s = b * context * kv_bytes_per_token * kv_replication / (stage_chips * hbm_bytes_per_s);
  d.memory_s = d.weights_s + d.kv_s;
  // Network inside the domain: 2 ring all-reduces per layer over TP (Megatron, MEG-F9) and a dispatch
  // plus combine all-to-all per MoE layer over EP (lecture §1.8), alpha-beta model. A dense FFN in an
  // ESTI layout other than 1D weight-stationary costs FfnCommTime (ESTI §3.2) instead of its all-reduce.
  const double act = b * d_model * act_bytes;
  double net = 0;
  if (tp > 1) {
    const double ar = 2 * (tp - 1) / tp * act / scaleup_bytes_per_s + 2 * (tp - 1) * scaleup_latency_s;
    const FfnLayout layout = FfnLayoutFor(b);
    const double dense_ffn =
        layout == FfnLayout::k1DWeightStationary
            ? ar
            : FfnCommTime(layout, ServingFfnProblem(*this, b, scaleup_bytes_per_s)) + 2 * scaleup_latency_s;
    const double moe_ffn = ep > tp ? 0.0 : ar;  // experts over the TP chips: one all-reduce combines
    net += layers * ar + (layers - moe_layers) * dense_ffn + moe_layers * moe_ffn;
    // ESTI §3.3: batch-sharded attention moves Q and the output between head and batch sharding.
    if (attention_batch_sharded)
      net += layers * 2 * ((tp - 1) / (tp * tp) * act / scaleup_bytes_per_s + scaleup_latency_s);
  }
  if (ep > 1 && moe_layers > 0 && ep > tp)
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

EngineStep ServingModel::Engine(double decode_tokens, double prefill_tokens, double prefill_context) const {
  EngineStep e;
  e.decode_tokens = decode_tokens;
  e.prefill_tokens = prefill_tokens;
  // Per pipeline stage a micro-batch; the token's step is every layer over one stage's chips.
  const double dt = decode_tokens / stages, pt = prefill_tokens / stages, tokens = dt + pt;
  const double chips = chips_per_stage;
  const double dense_chips = dense_weight_chips > 0 ? dense_weight_chips : chips;
  const double wb = weight_bytes_per_param;
  // One matmul kernel chain (aiconfigurator gemm_perf form): per kernel a fixed latency, plus FLOPs
  // (split over all the stage's chips: attention-DP groups each take their tokens) against weight
  // bytes (split over the chips sharing them), whichever is longer.
  auto gemm = [&](double params, double params_chips, double token_count, double kernels) {
    return kernels * MatmulKernelS(*this, 2 * params * token_count / (chips * kernels),
                                   params * wb / (params_chips * kernels));
  };
  // Non-expert matmuls per layer: attention projections (qkv, out) and the dense MLP or the MoE
  // layer's shared experts and router (gate-up, down); the LM head once per step.
  const double per_dense_layer = gemm(dense_mlp_params, dense_chips, tokens, 2);
  const double per_attention = gemm(attn_params_per_layer, dense_chips, tokens, projection_kernels);
  double gemm_s = layers * per_attention + dense_layers * per_dense_layer +
                  gemm(head_params, dense_chips, dt + (pt > 0 ? 1 : 0), 1);
  if (moe_layers > 0) {
    gemm_s += moe_layers * (gemm(moe_dense_params, dense_chips, tokens, kMoeDenseKernels) +
                            kMoeSmallKernels * kernel_latency_s);
    // Routed experts: the touched experts' bytes over the stage's chips; k experts' FLOPs per token.
    const double touched = ExpertsTouched(tokens);
    gemm_s += moe_layers * kMoeExpertKernels *
              MatmulKernelS(*this, 2 * experts_active * (expert_bytes / wb) * tokens / (kMoeExpertKernels * chips),
                            touched * expert_bytes / (kMoeExpertKernels * chips));
  }
  // Paged-KV decode attention: per layer a fixed latency plus each sequence's KV at its own fraction
  // of HBM (ESTI §3.3 copies); the prefill chunks' attention is compute (causal: each chunk token sees
  // prefill_context earlier tokens on average).
  const double kv_per_layer = dt * context * kv_bytes_per_token * kv_replication / (chips * layers);
  const double prefill_attention =
      pt * prefill_context * attention_flops_per_ctx_token / (layers * chips * flops_per_chip);
  e.attention_s = layers * (DecodeAttentionKernelS(*this, kv_per_layer) + prefill_attention +
                            elementwise_kernels * kernel_latency_s);
  // Activation quantisation before FP8 / FP4 matmuls: small kernels, latency-bound at decode sizes.
  const double quant_kernels = quant_kernels_attention * layers + quant_kernels_dense_mlp * dense_layers +
                               quant_kernels_moe * moe_layers;
  e.gemm_s = gemm_s + quant_kernels * kernel_latency_s;
  // Kernels: the attention projections and element-wise kernels of every layer, 2 per dense MLP, the
  // MoE layer's kernels, the quantisation kernels, 1 LM head, and the attention kernels.
  e.kernel_latency_s =
      kernel_latency_s * ((projection_kernels + elementwise_kernels) * layers + 2 * dense_layers +
                          (kMoeDenseKernels + kMoeExpertKernels + kMoeSmallKernels) * moe_layers + quant_kernels + 1) +
      layers * attention_latency_s;

  // Collectives, in sequence with the kernels (a decode step has nothing to hide them behind): each
  // message its latency plus its bytes at the small-message rate (efficiency.collective_*).
  const double cbw = collective_bytes_per_s > 0 ? collective_bytes_per_s : scaleup_bytes_per_s;
  const double lat = collective_latency_s;  // per message (SmallAllReduceS)
  const double group_tokens = tokens * tp / chips;  // tokens in one attention group (TP, DP over the rest)
  const double act = group_tokens * d_model * act_bytes;
  double coll = 0;
  if (tp > 1) {
    const double ar = SmallAllReduceS(*this, tp, act);
    const FfnLayout layout = FfnLayoutFor(tokens);
    const double dense_ffn = layout == FfnLayout::k1DWeightStationary
                                 ? ar
                                 : FfnCommTime(layout, ServingFfnProblem(*this, tokens, cbw)) + 2 * lat;
    coll += layers * ar + dense_layers * dense_ffn + (ep > tp ? 0.0 : moe_layers * ar);
    if (attention_batch_sharded) coll += layers * 2 * ((tp - 1) / (tp * tp) * act / cbw + lat);
  }
  if (ep > tp && moe_layers > 0) {
    // Dispatch and combine all-to-alls: each chip sends its tokens' k copies to the experts' chips.
    const double per_chip = tokens / chips * experts_active * d_model * act_bytes * (ep - 1) / ep;
    coll += moe_layers * 2 * (per_chip / cbw + lat);
  }
  e.collectives_s = coll;
  if (stages > 1) e.hops_s = stages * (hop_latency_s + tokens * d_model * act_bytes / scaleout_bytes_per_s);
  e.fixed_s = step_overhead_s + layers * layer_overhead_s;
  e.step_s = e.gemm_s + e.attention_s + e.collectives_s + e.hops_s + e.fixed_s;
  return e;
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
  // Memory per chip: c_mem = N_total/(E·P) + b·ctx·bytes/E (lecture §1.9), E = chips per stage; with
  // attention DP (ep > tp) the non-expert weights are copied on each group, and ESTI §3.3 KV copies.
  const double expert_total = sm.moe_layers * sm.experts * sm.expert_bytes;
  r.memory.capacity = s.hardware.hbm_bytes;
  r.memory.weights = ((sm.weight_bytes_total - expert_total) / sm.dense_weight_chips +
                      expert_total / sm.chips_per_stage) / sm.stages;
  const double kv_per_sequence = sm.context * sm.kv_bytes_per_token * sm.kv_replication / r.chips;
  r.memory.kv_cache = s.serving.batch * kv_per_sequence;
  r.memory.total = r.memory.weights + r.memory.kv_cache;
  r.fits = r.memory.total <= r.memory.capacity;
  r.overflow_bytes = std::max(0.0, r.memory.total - r.memory.capacity);
  r.max_batch = std::max(0.0, std::floor((r.memory.capacity - r.memory.weights) / kv_per_sequence));
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

  // Continuous batching (vLLM, Kwon et al. 2023; SGLang; Sarathi-Serve, Agrawal et al. 2024, chunked
  // prefill): at concurrency B with P-token prompts and O-token outputs, B/O requests finish per step in
  // steady state and as many arrive. TPOT is a request's time per token after its first, so its own
  // prompt is not in it: while it decodes, each of the other B - 1 slots turns over once per O steps,
  // so its steps carry (B - 1)·P/O prefill tokens (less the prefix-cache hits) beside the B decodes.
  const double B = s.serving.batch, P = T * (1.0 - s.serving.cache_hit_rate);
  const double O = std::max(1, s.serving.output_tokens);
  r.prefill_tokens_per_step = std::max(0.0, B - 1) * P / O;
  r.engine = sm.Engine(B, r.prefill_tokens_per_step, 0.5 * T);
  r.tpot_s = r.engine.step_s;
  // TTFT: a request arrives during the step in flight (half a step on average), then its prompt runs in
  // chunks of the step's token budget beside the other B - 1 requests' decodes; the first token comes
  // out of the step that finishes the prompt.
  r.ttft_wait_s = 0.5 * r.tpot_s;
  const double others = std::max(0.0, B - 1);
  const double chunk = std::max(1.0, s.serving.prefill_chunk_tokens - others);
  const double full_chunks = std::floor(P / chunk), rest = P - full_chunks * chunk;
  double prefill_under_load = 0;
  if (full_chunks > 0) prefill_under_load += full_chunks * sm.Engine(others, chunk, 0.5 * T).step_s;
  if (rest > 0 || full_chunks == 0) prefill_under_load += sm.Engine(others, std::max(rest, 1.0), 0.5 * T).step_s;
  r.ttft_s = r.ttft_wait_s + prefill_under_load;
  r.ffn_layout = FfnLayoutName(sm.FfnLayoutFor(s.serving.batch / sm.stages));
  return r;
}

}  // namespace blackboard
