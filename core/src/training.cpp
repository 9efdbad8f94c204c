// Training step time, MFU/HFU, memory and cost of a parallel plan.
// Index: efficiency defaults | MatmulEfficiency | layer times | stage layout | memory | DP comm |
// pipeline (simulated or closed form) | EvaluatePlan | JSON / text.
#include "blackboard/training.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <utility>

#include "blackboard/activation.hpp"
#include "blackboard/collectives.hpp"
#include "blackboard/layout.hpp"
#include "blackboard/model.hpp"
#include "blackboard/pipeline.hpp"
#include "blackboard/report.hpp"

namespace blackboard {
namespace {

struct NamedField {
  const char* name;
  double TrainingEfficiency::*field;
};
constexpr NamedField kFields[] = {
    {"matmul_max", &TrainingEfficiency::matmul_max},
    {"matmul_half_dim", &TrainingEfficiency::matmul_half_dim},
    {"hbm_fraction", &TrainingEfficiency::hbm_fraction},
    {"elementwise_bytes_per_act_byte", &TrainingEfficiency::elementwise_bytes_per_act_byte},
    {"attention_core_bytes_per_act_byte", &TrainingEfficiency::attention_core_bytes_per_act_byte},
    {"backward_memory_ratio", &TrainingEfficiency::backward_memory_ratio},
    {"scaleup_fraction", &TrainingEfficiency::scaleup_fraction},
    {"scaleout_fraction", &TrainingEfficiency::scaleout_fraction},
    {"layer_overhead_s", &TrainingEfficiency::layer_overhead_s},
    {"runtime_reserved_bytes", &TrainingEfficiency::runtime_reserved_bytes},
    {"optimizer_bytes_per_param", &TrainingEfficiency::optimizer_bytes_per_param},
    {"flash_attention_fraction", &TrainingEfficiency::flash_attention_fraction},
    {"fp8_matmul_max", &TrainingEfficiency::fp8_matmul_max},
    {"fp8_cast_bytes_per_element", &TrainingEfficiency::fp8_cast_bytes_per_element},
    {"moe_load_imbalance", &TrainingEfficiency::moe_load_imbalance},
    {"tp_overlap_fraction", &TrainingEfficiency::tp_overlap_fraction},
    {"comm_sm_fraction", &TrainingEfficiency::comm_sm_fraction},
    {"gemm_in_framework_ratio", &TrainingEfficiency::gemm_in_framework_ratio},
};

constexpr double kActBytes = 2;
// How MFU counts: PaLM App. B (PALM-3), Megatron's num_floating_point_operations and torchtitan's
// get_num_flop_per_token all count the full s x s attention (no causal halving), over the bf16 peak.
constexpr const char* kMfuFormula = "model FLOPs 6N + 12*L*H*Q*T per token (PaLM App. B), no causal halving, over the bf16 peak";  // bf16 activations and gradients on the wire and in HBM

double Dv(int x) { return static_cast<double>(x); }

}  // namespace

// ---------------------------------------------------------------- efficiency

TrainingEfficiency DefaultTrainingEfficiency() { return TrainingEfficiency{}; }

TrainingEfficiency RooflineTrainingEfficiency() {
  TrainingEfficiency e;
  e.matmul_max = 1;
  e.matmul_half_dim = 0;
  e.hbm_fraction = 1;
  e.elementwise_bytes_per_act_byte = 1;
  e.attention_core_bytes_per_act_byte = 1;
  e.backward_memory_ratio = 1;
  e.scaleup_fraction = 1;
  e.scaleout_fraction = 1;
  e.layer_overhead_s = 0;
  e.runtime_reserved_bytes = 0;
  e.optimizer_bytes_per_param = 30;
  e.flash_attention_fraction = 1;
  e.fp8_matmul_max = 1;
  e.moe_load_imbalance = 1;
  e.tp_overlap_fraction = 1;
  e.comm_sm_fraction = 0;
  e.gemm_in_framework_ratio = 1;
  return e;
}

std::vector<std::string> TrainingEfficiencyNames() {
  std::vector<std::string> names;
  for (const auto& f : kFields) names.emplace_back(f.name);
  return names;
}

namespace {
// matmul_max / fp8_matmul_max from the chip's measured per-operation fractions (docs/validation.md
// "Absolute level"), unless `keep_bf16` / `keep_fp8` (the scenario named the field).
void ApplyChipGemmFractions(const Hardware& h, bool keep_bf16, bool keep_fp8, TrainingEfficiency& e) {
  if (h.gemm_bf16_fraction > 0 && !keep_bf16) e.matmul_max = h.gemm_bf16_fraction * e.gemm_in_framework_ratio;
  if (h.gemm_fp8_fraction > 0 && !keep_fp8) e.fp8_matmul_max = h.gemm_fp8_fraction * e.gemm_in_framework_ratio;
}
}  // namespace

TrainingEfficiency DefaultTrainingEfficiency(const Hardware& h) {
  TrainingEfficiency e = DefaultTrainingEfficiency();
  ApplyChipGemmFractions(h, false, false, e);
  return e;
}

TrainingEfficiency TrainingEfficiencyFromScenario(const Scenario& s) {
  TrainingEfficiency e = DefaultTrainingEfficiency();
  for (const auto& f : kFields) {
    const auto it = s.efficiency.overheads.find(f.name);
    if (it != s.efficiency.overheads.end()) e.*(f.field) = it->second;
  }
  // The chip's measured GEMM fractions; efficiency.overheads (and efficiency = roofline) still win.
  ApplyChipGemmFractions(s.hardware, s.efficiency.overheads.count("matmul_max") > 0,
                         s.efficiency.overheads.count("fp8_matmul_max") > 0, e);
  // efficiency.compute/memory/network are the serving engine's fractions (SCENARIO.md): the training
  // engine's own calibrated fractions above are not scaled by them.
  return e;
}

std::map<std::string, double> TrainingEfficiencyValues(const TrainingEfficiency& e) {
  std::map<std::string, double> values;
  for (const auto& f : kFields) values[f.name] = e.*(f.field);
  return values;
}

double MatmulEfficiency(double m, double n, double k, const TrainingEfficiency& eff) {
  // Saturating size penalty (calibrated, docs/validation.md): small dims under-fill the tiles.
  const double h = eff.matmul_half_dim;
  return eff.matmul_max * (m / (m + h)) * (n / (n + h)) * (k / (k + h));
}

// ---------------------------------------------------------------- context

TrainingContext MakeTrainingContext(const Scenario& s, const TrainingEfficiency& eff) {
  TrainingContext c;
  c.scenario = s;
  c.eff = eff;
  const LayoutModel lm = LayoutModelFromModel(s.model);
  const std::size_t n = lm.layers.size();
  c.layer_dense_params.resize(n);
  c.layer_expert_params.resize(n);
  c.prefix_dense.assign(n + 1, 0.0);
  c.prefix_expert.assign(n + 1, 0.0);
  c.prefix_moe.assign(n + 1, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    c.layer_dense_params[i] = lm.layers[i].dense_params;
    c.layer_expert_params[i] = Dv(lm.layers[i].experts) * lm.layers[i].params_per_expert;
    c.prefix_dense[i + 1] = c.prefix_dense[i] + c.layer_dense_params[i];
    c.prefix_expert[i + 1] = c.prefix_expert[i] + c.layer_expert_params[i];
    c.prefix_moe[i + 1] = c.prefix_moe[i] + (lm.layers[i].experts > 0 ? 1.0 : 0.0);
  }
  c.embedding_params = lm.embedding_params;
  c.unembedding_params = lm.unembedding_params;
  // KOR-F2 generalised (PALM-3's 6N + 12LHQT): 3 x forward (matmul KAP-2 + attention over s).
  // A tied embedding is also the output layer: its logits GEMM (KOR-F1: 2Bshv) is a matmul too.
  const double tied_logits = s.model.tied_embeddings ? 2.0 * s.model.vocab * s.model.d_model : 0.0;
  c.model_flops_per_token = 3.0 * (MatmulFlopsPerToken(s.model) + tied_logits +
                                   AttentionFlopsPerToken(s.model, s.training.seq_len));
  return c;
}

// ---------------------------------------------------------------- layer times

namespace {

enum class TrainingMath { kBf16, kFp8, kMxfp8 };

struct PlanShape {
  int chips = 1, dp = 1, tp = 1, pp = 1, ep = 1, cp = 1, zero = 0, mb = 1, m = 1, v = 1;
  ScheduleKind schedule = ScheduleKind::k1F1B;
  Recompute recompute = Recompute::kSelective;
  bool sp = false;
  bool flash = true;        // training.attention_kernel = flash (fused) or materialized
  TrainingMath math = TrainingMath::kBf16;
  bool tp_overlap = false;  // training.tp_comm_overlap
};

// Which link class a group of `size` members with rank stride `stride` spans (tp fastest, then cp,
// dp, pp: layout.hpp), and how many members share a rack.
struct Span {
  double per_rack = 1, racks = 1;
  LinkClass link = LinkClass::kScaleUp;
};
Span SpanOf(int size, int stride, int rack) {
  Span g;
  const int per = stride >= rack ? 1 : std::max(1, std::min(size, rack / std::max(1, stride)));
  g.per_rack = per;
  g.racks = std::ceil(Dv(size) / per);
  g.link = g.racks > 1 ? LinkClass::kScaleOut : LinkClass::kScaleUp;
  return g;
}

double LinkBw(const Scenario& s, const TrainingEfficiency& e, LinkClass c) {
  return c == LinkClass::kScaleUp ? s.hardware.scaleup_bytes_per_s * e.scaleup_fraction
                                  : s.hardware.scaleout_bytes_per_s * e.scaleout_fraction;
}
double LinkLat(const Scenario& s, LinkClass c) {
  return c == LinkClass::kScaleUp ? s.hardware.scaleup_latency_s : s.hardware.scaleout_latency_s;
}

ActivationShape ShapeOf(const Scenario& s, const PlanShape& p) {
  const Model& md = s.model;
  ActivationShape a{static_cast<double>(s.training.seq_len) / p.cp, static_cast<double>(p.mb),
                    static_cast<double>(md.d_model), static_cast<double>(md.heads),
                    static_cast<double>(p.tp), p.sp};
  a.fused_attention = p.flash;
  if (p.flash) {
    a.kv_fraction = md.attention == "gqa" && md.kv_heads > 0 && md.heads > 0
                        ? static_cast<double>(md.kv_heads) / md.heads
                        : (md.attention == "mqa" ? 1.0 / std::max(1, md.heads) : 1.0);
    // MoE layers keep the routed (k x d_ff_expert) and shared widths; dense layers d_ff.
    const double width = IsMoe(md) ? (Dv(md.shared_experts) + std::max(1, md.experts_active)) * md.d_ff_expert
                                    : md.d_ff;
    a.mlp_ratio = width / std::max(1, md.d_model);
    a.gated_mlp = md.mlp == "gated";
    a.dropout = false;  // 2024-25 pre-training runs use none (Llama 3, DeepSeek-V3, torchtitan)
    a.fp8_cache = p.math != TrainingMath::kBf16;
  }
  return a;
}

double GemmPeak(const Scenario& s, const PlanShape& p) {
  return p.math == TrainingMath::kBf16 ? s.hardware.bf16_flops : s.hardware.fp8_flops;
}

LayerTimes ComputeLayerTimes(const Scenario& s, const TrainingEfficiency& e, const PlanShape& p,
                             bool moe) {
  const Model& md = s.model;
  const double peak = s.hardware.bf16_flops;  // attention, router: bf16 in every recipe
  const double gemm_peak = GemmPeak(s, p);     // projections and MLP: training.math
  const bool fp8 = p.math != TrainingMath::kBf16;
  const double hbm = s.hardware.hbm_bytes_per_s * e.hbm_fraction;
  const double t = p.tp, b = p.mb, seq = s.training.seq_len, sq = seq / p.cp, h = md.d_model;
  const double tokens = b * sq;  // tokens of this micro-batch on this chip's TP group
  const double heads = md.heads, hd = md.head_dim > 0 ? md.head_dim : h / heads;
  const double rack = std::max(1, s.cluster.chips_per_rack);
  LayerTimes lt;
  // FP8 GEMMs: the FP8 peak times fp8_matmul_max with the same size penalty; each GEMM also casts
  // its input (m x k) forward and its output gradient (m x n) and transposed input backward.
  TrainingEfficiency fp8_eff = e;
  fp8_eff.matmul_max = e.fp8_matmul_max;
  double cast_elements_fwd = 0, cast_elements_bwd = 0;
  auto gemm_s = [&](double m, double n, double k) {
    const double eff = MatmulEfficiency(m, n, k, fp8 ? fp8_eff : e);
    if (fp8) {
      cast_elements_fwd += m * k;
      cast_elements_bwd += m * n + m * k;
    }
    return eff > 0 ? 2.0 * m * n * k / (gemm_peak * eff) : 0.0;
  };
  auto bf16_gemm_s = [&](double m, double n, double k) {
    const double eff = MatmulEfficiency(m, n, k, e);
    return eff > 0 ? 2.0 * m * n * k / (peak * eff) : 0.0;
  };
  double routed_gemm_s = 0;
  // Projections (KOR-F1's 24Bsh² for MHA + 4h MLP; per GEMM so each gets its own efficiency).
  const double gated = md.mlp == "gated" ? 1.0 : 0.0;
  if (md.attention == "mla") {
    const ParamCount pc = CountParameters(md);
    const double attn_per_layer = pc.attention / std::max(1, md.layers);
    lt.matmul_fwd_s += gemm_s(tokens, attn_per_layer / (h * t), h);
  } else {
    const double kv = md.attention == "mqa" ? 1.0 : (md.kv_heads > 0 ? md.kv_heads : heads);
    lt.matmul_fwd_s += gemm_s(tokens, (heads + 2.0 * kv) * hd / t, h);  // QKV
    lt.matmul_fwd_s += gemm_s(tokens, h, heads * hd / t);               // output projection
  }
  double mlp_width = md.d_ff;  // intermediate width of the dense MLP (or shared experts)
  if (moe) {
    mlp_width = Dv(md.shared_experts) * md.d_ff_expert;
    // Routed experts: each chip runs its E/ep experts on the tokens routed to them; ep chips route
    // tokens/t each (SP-style split over tp), k experts per token (lecture §1.8).
    const double k = std::max(1, md.experts_active), experts = std::max(1, md.experts);
    // Grouped GEMMs: each expert's GEMM sees only its tokens, so MatmulEfficiency's M factor falls
    // with the tokens per expert; the busiest expert sets the time (moe_load_imbalance = max/mean).
    const double routed_tokens_per_expert = tokens / t * p.ep * k / experts;
    const double local_experts = experts / p.ep;
    routed_gemm_s = local_experts * ((1.0 + gated) * gemm_s(routed_tokens_per_expert, md.d_ff_expert, h) +
                                     gemm_s(routed_tokens_per_expert, h, md.d_ff_expert));
    lt.matmul_fwd_s += e.moe_load_imbalance * routed_gemm_s;
    lt.matmul_fwd_s += bf16_gemm_s(tokens, experts, h);  // router (bf16/fp32 in FP8 recipes, DSV3 §3.3)
  }
  if (mlp_width > 0) {
    lt.matmul_fwd_s += gemm_s(tokens, (1.0 + gated) * mlp_width / t, h);  // up (and gate)
    lt.matmul_fwd_s += gemm_s(tokens, h, mlp_width / t);                 // down
  }
  // Attention core: QK^T and AV, 4·b·s_q·s·h/t (KOR-F1's 4Bs²h), batched over heads/t. The fused
  // kernel skips the masked half under causal masking (FlashAttention-2 §3.1.1) and runs at its own
  // measured fraction of the bf16 peak (flash_attention_fraction); materialized runs them as GEMMs.
  {
    const double att_flops = AttentionFlopsPerToken(md, seq) / std::max(1, md.layers) * tokens / t;
    if (p.flash) {
      lt.attention_fwd_s = e.flash_attention_fraction > 0 ? 0.5 * att_flops / (peak * e.flash_attention_fraction) : 0.0;
    } else {
      const double eff = MatmulEfficiency(sq, seq, hd, e);
      lt.attention_fwd_s = eff > 0 ? att_flops / (peak * eff) : 0.0;
    }
  }
  // Element-wise work in proportion to Korthikanti Table 2's stored bytes (KOR-A2/A3): 10sbh outside
  // the TP region (split by t with SP), 24sbh/t inside (MLP part scaled by its width vs 4h), and
  // the attention core's 5as²b/t.
  {
    const double width_factor = (1.0 + 0.5 * gated) * (moe ? (Dv(md.shared_experts) * md.d_ff_expert +
                                                            std::max(1, md.experts_active) * md.d_ff_expert)
                                                         : md.d_ff) / (4.0 * h);
    const double sbh = sq * b * h;
    const double outside = 10.0 * sbh / (p.sp ? t : 1.0);
    const double inside = (8.0 + 16.0 * width_factor) * sbh / t;
    lt.memory_fwd_s = e.elementwise_bytes_per_act_byte * (outside + inside) / hbm;
    // Materialized: softmax, mask, dropout on the s x s scores in HBM (KOR-A2's 5as²b/t); fused: none.
    lt.attention_memory_fwd_s =
        p.flash ? 0.0 : e.attention_core_bytes_per_act_byte * 5.0 * heads * sq * seq * b / t / hbm;
    if (moe) {
      // Token permutation before the experts and un-permutation after (memory-bound gathers): each
      // reads and writes the tokens' k copies, tokens/t per chip (Megatron-Core moe_utils permute).
      const double k = std::max(1, md.experts_active);
      lt.memory_fwd_s += 2.0 * (1.0 + k) * (tokens / t) * h * kActBytes / hbm;
    }
  }
  // FP8 casts (read bf16, write fp8 and its scale) at HBM speed: forward inputs, backward gradients
  // and transposes (Transformer Engine tensorwise / MX recipes); MX adds one byte of scale per 32.
  double cast_bwd_s = 0;
  if (fp8) {
    const double per_element = e.fp8_cast_bytes_per_element + (p.math == TrainingMath::kMxfp8 ? 1.0 / 32.0 : 0.0);
    lt.memory_fwd_s += per_element * cast_elements_fwd / hbm;
    cast_bwd_s = per_element * cast_elements_bwd / hbm;
  }
  // TP/SP: MEG-F9, 2 all-reduces of b·s·h (or RS + AG) per pass, ring busbw 2(t-1)/t (§8.1).
  if (p.tp > 1) {
    const Span g = SpanOf(p.tp, 1, static_cast<int>(rack));
    const double bytes = tokens * h * kActBytes;
    lt.tp_comm_fwd_s = 2.0 * (2.0 * (t - 1) / t * bytes / LinkBw(s, e, g.link) +
                              2.0 * (t - 1) * LinkLat(s, g.link));
    // TP overlap (Megatron --tp-comm-overlap, torchtitan AsyncTP): the all-gather / reduce-scatter
    // is split into chunks pipelined with the GEMM it feeds; only what exceeds the GEMMs shows.
    if (p.tp_overlap)
      lt.tp_comm_fwd_s = std::max(0.0, lt.tp_comm_fwd_s - e.tp_overlap_fraction *
                                                             (lt.matmul_fwd_s - e.moe_load_imbalance * routed_gemm_s));
  }
  // EP: dispatch + combine per pass; the in-rack share on scale-up, the rest on scale-out, at once
  // (nccl-tests §8.1 (n-1)/n, lecture.md §4.5 all-to-all).
  if (moe && p.ep > 1) {
    // Hierarchical all-to-all (DeepEP, DeepSeek-V3 §3.2.2): a token crosses the scale-out link once
    // per destination rack, then fans out to its experts there over scale-up. Of R racks in the EP
    // group, k uniform picks hit R(1 - (1 - 1/R)^k) distinct racks, (R-1)/R of them remote. Dispatch
    // goes in FP8 with an FP8 recipe (DSV3 §3.3), combine in bf16.
    const Span g = SpanOf(p.ep, 1, static_cast<int>(rack));
    const double k = std::max(1, md.experts_active), racks = g.racks;
    const double tokens_chip = tokens / t;
    const double dispatch_bytes = fp8 ? 1.0 : kActBytes, combine_bytes = kActBytes;
    const double local_share = (g.per_rack - 1.0) / std::max(1.0, g.per_rack);
    auto pass = [&](double bytes_per_element) {
      const double up = tokens_chip * k * h * bytes_per_element * local_share;
      double one = LinkLat(s, LinkClass::kScaleUp) + up / LinkBw(s, e, LinkClass::kScaleUp);
      if (racks > 1) {
        const double remote_racks = racks * (1.0 - std::pow(1.0 - 1.0 / racks, k)) * (racks - 1.0) / racks;
        const double out = tokens_chip * remote_racks * h * bytes_per_element;
        one = std::max(one, LinkLat(s, LinkClass::kScaleOut) + out / LinkBw(s, e, LinkClass::kScaleOut));
      }
      return one;
    };
    lt.ep_comm_fwd_s = (pass(dispatch_bytes) + pass(combine_bytes)) * e.moe_load_imbalance;
    // DualPipe overlaps one micro-batch's all-to-all with another's compute (DSV3-3/DSV3-4); the
    // communication kernels hold comm_sm_fraction of the SMs meanwhile, so the compute they hide
    // behind runs that much slower (DSV3-3: 20 of the H800's 132 SMs).
    if (p.schedule == ScheduleKind::kDualPipe || p.schedule == ScheduleKind::kDualPipeV) {
      const double slow = 1.0 / (1.0 - std::clamp(e.comm_sm_fraction, 0.0, 0.9));
      lt.matmul_fwd_s *= slow;
      lt.attention_fwd_s *= slow;
      lt.ep_comm_fwd_s = std::max(0.0, lt.ep_comm_fwd_s - (lt.matmul_fwd_s + lt.attention_fwd_s));
    }
  }
  // CP ring attention: cp-1 KV passes per layer forward (K and V of s/cp tokens, kv heads / t),
  // hidden behind the attention core when it is longer (Liu et al. 2023 ring attention).
  double cp_fwd_total = 0;
  if (p.cp > 1) {
    const Span g = SpanOf(p.cp, p.tp, static_cast<int>(rack));
    const double kv = md.attention == "mla" ? (md.kv_latent + md.rope_dim) / 2.0
                                            : (md.attention == "mqa" ? 1.0 : std::max(1, md.kv_heads)) * hd;
    const double bytes = b * sq * 2.0 * kv * kActBytes / t;
    cp_fwd_total = (p.cp - 1) * (bytes / LinkBw(s, e, g.link) + LinkLat(s, g.link));
    lt.cp_ring_fwd_s = cp_fwd_total;
    lt.cp_comm_fwd_s = std::max(0.0, cp_fwd_total - lt.attention_fwd_s);
    lt.cp_comm_bwd_s = std::max(0.0, 2.0 * cp_fwd_total - 2.0 * lt.attention_fwd_s);
  }
  lt.forward_s = lt.matmul_fwd_s + lt.attention_fwd_s + lt.memory_fwd_s + lt.attention_memory_fwd_s +
                 lt.tp_comm_fwd_s + lt.ep_comm_fwd_s + lt.cp_comm_fwd_s + e.layer_overhead_s;
  // Backward: dgrad GEMMs (= forward FLOPs) in B, wgrad in W (Zero Bubble Table 1), attention core
  // twice its forward, element-wise x ratio, the same collectives again (MEG-F9: 2 fwd + 2 bwd).
  // The fused kernel's backward recomputes the scores: 5 GEMM-sized products vs 2 forward, 2.5x
  // (FlashAttention-2 §3.1.2 / Dao 2023 Table 1's fwd+bwd = 3.5x fwd FLOPs).
  const double attention_bwd_ratio = p.flash ? 2.5 : 2.0;
  lt.backward_input_s = lt.matmul_fwd_s + attention_bwd_ratio * lt.attention_fwd_s +
                        e.backward_memory_ratio * (lt.memory_fwd_s + lt.attention_memory_fwd_s) + cast_bwd_s +
                        lt.tp_comm_fwd_s + lt.ep_comm_fwd_s + lt.cp_comm_bwd_s + e.layer_overhead_s;
  lt.backward_weight_s = lt.matmul_fwd_s;
  switch (p.recompute) {
    case Recompute::kNone: break;
    case Recompute::kSelective:
      // KOR §5: only the attention core (QK^T, softmax, dropout, AV). Fused: the kernel's backward
      // already rebuilds the scores; the dropped element-wise tensors (norm outputs, activation
      // function) are rewritten at HBM speed.
      lt.recompute_s = p.flash ? e.elementwise_bytes_per_act_byte * SelectiveDroppedBytesPerLayer(ShapeOf(s, p)) / hbm
                               : lt.attention_fwd_s + lt.attention_memory_fwd_s;
      break;
    case Recompute::kFull:       // MEG-F2: one more forward, with its collectives
    case Recompute::kReversible:
      lt.recompute_s = lt.matmul_fwd_s + lt.attention_fwd_s + lt.memory_fwd_s +
                       lt.attention_memory_fwd_s + e.layer_overhead_s;
      lt.recompute_comm_s = lt.tp_comm_fwd_s + lt.ep_comm_fwd_s + lt.cp_comm_fwd_s;
      break;
  }
  lt.backward_s = lt.backward_input_s + lt.backward_weight_s + lt.recompute_s + lt.recompute_comm_s;
  return lt;
}

PlanShape ShapeFromTraining(const Scenario& s, const Training& tr) {
  PlanShape p;
  // Products of degrees in 64 bits: each field fits an int, their products may not (racks 10^6 x
  // chips_per_rack 10^5; dp x micro_batch).
  using Wide = long long;
  const Wide chips = Wide{s.cluster.racks} * s.cluster.chips_per_rack;
  if (chips > std::numeric_limits<int>::max())
    throw std::invalid_argument("training: more than 2^31 - 1 chips");
  p.chips = static_cast<int>(chips);
  // Degrees 0 = auto (ResolveTrainingDegrees, scenario.hpp).
  const Training rt = tr.tp > 0 && tr.pp > 0 && tr.cp > 0 ? tr : ResolveTrainingDegrees(s, tr);
  p.tp = std::max(1, rt.tp);
  p.pp = std::max(1, rt.pp);
  p.cp = std::max(1, rt.cp);
  p.ep = std::max(1, tr.ep);
  const Wide model_par = Wide{p.tp} * p.pp * p.cp;
  if (chips % model_par != 0) throw std::invalid_argument("training: tp x pp x cp does not divide the chips");
  p.dp = tr.dp > 0 ? tr.dp : static_cast<int>(chips / model_par);
  if (Wide{p.dp} * model_par != chips) throw std::invalid_argument("training: dp x tp x pp x cp != chips");
  if (s.model.heads % p.tp != 0) throw std::invalid_argument("training: tp does not divide heads");
  if (p.pp > s.model.layers) throw std::invalid_argument("training: pp exceeds layers");
  if (p.ep > 1 && (s.model.experts <= 1 || s.model.experts % p.ep != 0 || (Wide{p.dp} * p.tp) % p.ep != 0))
    throw std::invalid_argument("training: ep must divide experts and dp x tp");
  if (s.training.seq_len % p.cp != 0) throw std::invalid_argument("training: cp does not divide seq_len");
  p.zero = std::clamp(tr.zero, 0, 3);
  p.mb = std::max(1, tr.micro_batch);
  const Wide per_step = Wide{p.dp} * p.mb;
  if (tr.dp > 0) {
    if (s.training.global_batch % per_step != 0)
      throw std::invalid_argument("training: global_batch is not a multiple of dp x micro_batch");
    p.m = static_cast<int>(s.training.global_batch / per_step);
  } else {
    // dp = 0 (auto) follows the cluster, so the batch cannot be required to divide: every rank runs
    // the whole micro-batches that fit in the global batch, at least one (ValidateScenario and
    // MakePipelineSpec count the same way).
    p.m = static_cast<int>(std::max<Wide>(1, s.training.global_batch / per_step));
  }
  p.schedule = ParseSchedule(tr.schedule);
  p.v = VirtualStagesFor(p.schedule, tr.virtual_stages, s.model.layers, p.pp);
  p.recompute = ParseRecompute(tr.recompute);
  p.sp = tr.sequence_parallel && p.tp > 1;
  p.flash = tr.attention_kernel != "materialized";
  p.math = tr.math == "fp8" ? TrainingMath::kFp8 : (tr.math == "mxfp8" ? TrainingMath::kMxfp8 : TrainingMath::kBf16);
  if (p.math != TrainingMath::kBf16 && !(s.hardware.fp8_flops > 0))
    throw std::invalid_argument("training: math " + tr.math + " needs hardware.fp8_flops > 0");
  if (p.math != TrainingMath::kBf16 && !s.hardware.fp8_native)
    throw std::invalid_argument("training: math " + tr.math + " needs FP8 tensor cores (hardware.fp8_native)");
  p.tp_overlap = tr.tp_comm_overlap;
  if (p.pp > 1) {
    if (p.schedule == ScheduleKind::kInterleaved && (p.m % p.pp != 0 || p.pp * p.v > s.model.layers))
      throw std::invalid_argument("training: interleaved needs m a multiple of pp and pp x v <= layers");
    if ((p.schedule == ScheduleKind::kDualPipe || p.schedule == ScheduleKind::kDualPipeV) &&
        (p.pp % 2 != 0 || p.m < 2 * p.pp))
      throw std::invalid_argument("training: dualpipe needs even pp and m >= 2 pp");
    if (p.schedule == ScheduleKind::kDualPipeV && 2 * p.pp > s.model.layers)
      throw std::invalid_argument("training: dualpipe-v needs 2 pp <= layers");
  }
  return p;
}

// Model chunks and the device each lives on (pipeline.hpp's conventions).
int ChunkCount(const PlanShape& p) {
  if (p.pp <= 1) return 1;
  if (p.schedule == ScheduleKind::kInterleaved) return p.pp * p.v;
  if (p.schedule == ScheduleKind::kDualPipeV) return 2 * p.pp;
  return p.pp;
}
int DeviceOfChunk(const PlanShape& p, int c) {
  if (p.pp <= 1) return 0;
  if (p.schedule == ScheduleKind::kInterleaved) return c % p.pp;
  if (p.schedule == ScheduleKind::kDualPipeV) return c < p.pp ? c : 2 * p.pp - 1 - c;
  return c;
}

struct ChunkCost {
  int first_layer = 0, layers = 0;
  double moe_layers = 0;
  double f_s = 0, b_s = 0, w_s = 0;  // per micro-batch
  double compute_s = 0, recompute_s = 0, tp_s = 0, ep_s = 0, cp_s = 0;  // fwd + bwd parts
  double stash_bytes = 0, weight_grad_bytes = 0;
};

struct Stage {
  double busy_s = 0, f_s = 0, b_s = 0, w_s = 0;  // per micro-batch
  double compute_s = 0, recompute_s = 0, tp_s = 0, ep_s = 0, cp_s = 0;
  double dense_params = 0, expert_params = 0;     // held by one chip before ZeRO
  int layers = 0;
  bool first = false, last = false;
  double stash_bytes = 0;                          // per in-flight micro-batch (all its chunks)
};

}  // namespace

LayerTimes LayerTimesFor(const Scenario& s, const TrainingEfficiency& eff, bool moe) {
  return ComputeLayerTimes(s, eff, ShapeFromTraining(s, s.training), moe);
}

// ---------------------------------------------------------------- evaluation

TrainingReport EvaluatePlan(const TrainingContext& ctx, const Training& plan, bool simulate) {
  const Scenario& s = ctx.scenario;
  const TrainingEfficiency& e = ctx.eff;
  const Model& md = s.model;
  const PlanShape p = ShapeFromTraining(s, plan);
  const int rack = std::max(1, s.cluster.chips_per_rack);
  const double peak = s.hardware.bf16_flops;
  const double hbm = s.hardware.hbm_bytes_per_s * e.hbm_fraction;
  if (!(peak > 0) || !(hbm > 0)) throw std::invalid_argument("training: hardware peaks must be > 0");
  if (!(e.scaleup_fraction > 0) || !(e.scaleout_fraction > 0))
    throw std::invalid_argument("training: scaleup_fraction and scaleout_fraction must be > 0");

  const LayerTimes dense = ComputeLayerTimes(s, e, p, false);
  const bool has_moe = IsMoe(md) && ctx.prefix_moe.back() > 0;
  const LayerTimes moe = has_moe ? ComputeLayerTimes(s, e, p, true) : dense;
  const ActivationShape shape = ShapeOf(s, p);
  const double t = p.tp, b = p.mb, sq = static_cast<double>(s.training.seq_len) / p.cp, h = md.d_model;
  const double tokens = b * sq;

  // Output layer on the last chunk: logits GEMM (KOR-F1 2Bshv, split over t), dgrad and wgrad, and
  // the fp32 cross-entropy as element-wise bytes; the embedding lookup on the first chunk.
  const double logits_gemm_s = [&] {
    const double eff = MatmulEfficiency(tokens, md.vocab / t, h, e);
    return eff > 0 ? 2.0 * tokens * md.vocab / t * h / (peak * eff) : 0.0;
  }();
  const double logits_mem_s = e.elementwise_bytes_per_act_byte * 4.0 * tokens * md.vocab / t / hbm;
  const double embed_mem_s = e.elementwise_bytes_per_act_byte * tokens * h * kActBytes / hbm;

  // Chunks: layers spread with the extra ones on the first chunks (as MakePipelineSpec).
  const int chunks = ChunkCount(p);
  std::vector<ChunkCost> cc(static_cast<std::size_t>(chunks));
  {
    const int base = md.layers / chunks, extra = md.layers % chunks;
    int first = 0;
    for (int c = 0; c < chunks; ++c) {
      ChunkCost& k = cc[static_cast<std::size_t>(c)];
      k.first_layer = first;
      k.layers = base + (c < extra ? 1 : 0);
      first += k.layers;
      const auto lo = static_cast<std::size_t>(k.first_layer), hi = static_cast<std::size_t>(first);
      k.moe_layers = has_moe ? ctx.prefix_moe[hi] - ctx.prefix_moe[lo] : 0.0;
      const double nd = k.layers - k.moe_layers, nm = k.moe_layers;
      auto sum = [&](auto f) { return nd * f(dense) + nm * f(moe); };
      k.f_s = sum([](const LayerTimes& l) { return l.forward_s; });
      k.b_s = sum([](const LayerTimes& l) { return l.backward_input_s + l.recompute_s + l.recompute_comm_s; });
      k.w_s = sum([](const LayerTimes& l) { return l.backward_weight_s; });
      k.tp_s = sum([](const LayerTimes& l) {
        return (l.recompute_comm_s > 0 ? 3.0 : 2.0) * l.tp_comm_fwd_s;
      });
      k.ep_s = sum([](const LayerTimes& l) {
        return (l.recompute_comm_s > 0 ? 3.0 : 2.0) * l.ep_comm_fwd_s;
      });
      k.cp_s = sum([](const LayerTimes& l) {
        return (l.recompute_comm_s > 0 ? 2.0 : 1.0) * l.cp_comm_fwd_s + l.cp_comm_bwd_s;
      });
      k.recompute_s = sum([](const LayerTimes& l) { return l.recompute_s; });
      if (c == 0) k.f_s += embed_mem_s;
      if (c == chunks - 1) {
        k.f_s += logits_gemm_s + logits_mem_s;
        k.b_s += logits_gemm_s + e.backward_memory_ratio * logits_mem_s;
        k.w_s += logits_gemm_s;
      }
      k.stash_bytes = StashBytesPerMicroBatch(shape, p.recompute, k.layers);
      k.weight_grad_bytes = k.layers * 32.0 * sq * b * h / t;  // Zero Bubble Table 1: M_W = 32sbh
      k.compute_s = k.f_s + k.b_s + k.w_s - k.recompute_s - k.tp_s - k.ep_s - k.cp_s;
    }
  }
  // Stages (devices).
  std::vector<Stage> st(static_cast<std::size_t>(p.pp));
  for (int c = 0; c < chunks; ++c) {
    const ChunkCost& k = cc[static_cast<std::size_t>(c)];
    Stage& g = st[static_cast<std::size_t>(DeviceOfChunk(p, c))];
    g.f_s += k.f_s;
    g.b_s += k.b_s;
    g.w_s += k.w_s;
    g.compute_s += k.compute_s;
    g.recompute_s += k.recompute_s;
    g.tp_s += k.tp_s;
    g.ep_s += k.ep_s;
    g.cp_s += k.cp_s;
    g.layers += k.layers;
    g.stash_bytes += k.stash_bytes;
    const auto lo = static_cast<std::size_t>(k.first_layer), hi = static_cast<std::size_t>(k.first_layer + k.layers);
    g.dense_params += (ctx.prefix_dense[hi] - ctx.prefix_dense[lo]) / t;  // split over tp
    g.expert_params += (ctx.prefix_expert[hi] - ctx.prefix_expert[lo]) / p.ep;  // E/ep whole experts
    if (c == 0) { g.first = true; g.dense_params += ctx.embedding_params / t; }
    if (c == chunks - 1) {
      g.last = true;
      // Megatron keeps a copy of a tied embedding on the last stage for the output layer.
      g.dense_params += (ctx.unembedding_params > 0 ? ctx.unembedding_params
                                                    : (p.pp > 1 ? ctx.embedding_params : 0.0)) / t;
    }
  }
  for (Stage& g : st) g.busy_s = g.f_s + g.b_s + g.w_s;
  // DualPipe: each device holds two stages' parameters (PP-10/PP-11: params 2x).
  const double param_copies =
      (p.pp > 1 && (p.schedule == ScheduleKind::kDualPipe)) ? 2.0 : 1.0;

  // ---- memory per chip (ZERO-F0..F3; mixed-precision Adam, K = 12)
  const double dense_shards = Dv(p.dp) * p.cp;
  const double expert_shards = Dv(p.dp) * p.tp * p.cp / p.ep;
  auto shard = [&](double dense_psi, double expert_psi, bool sharded) {
    return sharded ? dense_psi / dense_shards + expert_psi / expert_shards : dense_psi + expert_psi;
  };
  // In-flight micro-batches on a stage, closed form (KOR-A7/A8, PP-1..PP-11).
  auto in_flight = [&](int stage) -> double {
    if (p.pp <= 1) return 1.0;
    const double pp = p.pp, m = p.m;
    switch (p.schedule) {
      case ScheduleKind::kGPipe: return m;
      case ScheduleKind::k1F1B:
      case ScheduleKind::kZbH1: return std::min(m, pp - stage);
      case ScheduleKind::kInterleaved: return std::min(m, pp * (1.0 + (pp - 1.0) / (pp * p.v)) - stage);
      case ScheduleKind::kZbH2: return std::min(m, 2.0 * pp - 1.0 - stage);
      case ScheduleKind::kDualPipe:
      case ScheduleKind::kDualPipeV: return std::min(m, pp + 1.0);
    }
    return pp;
  };
  PipelineSchedule sched;
  double pipeline_nop2p_s = 0, pipeline_s = 0;
  const Span pp_span = SpanOf(p.pp, p.tp * p.cp * p.dp, rack);
  const double p2p_bytes = tokens * h * kActBytes / (p.sp ? t : 1.0);  // MEG-F10 (scatter/gather)
  const double p2p_s = p.pp > 1 ? p2p_bytes / LinkBw(s, e, pp_span.link) + LinkLat(s, pp_span.link) : 0.0;
  std::size_t busiest = 0;
  for (std::size_t i = 0; i < st.size(); ++i)
    if (st[i].busy_s > st[busiest].busy_s) busiest = i;
  const Stage& bz = st[busiest];
  const double ideal_s = p.m * bz.busy_s;
  std::vector<double> sim_peak_act;
  double sim_ideal_s = 0;
  // The simulator keeps every event (about 3 per micro-batch per model chunk): past kMaxSimulatedOps
  // the closed form stands in (r.simulated says which), so a huge global batch cannot exhaust memory.
  constexpr double kMaxSimulatedOps = 1 << 18;
  const bool run_simulator = simulate && p.pp > 1 && 3.0 * p.m * ChunkCount(p) <= kMaxSimulatedOps;
  PipelineSpec spec;
  if (run_simulator) {
    spec.schedule = p.schedule;
    spec.stages = p.pp;
    spec.micro_batches = p.m;
    spec.virtual_stages = p.v;
    spec.forward_s.clear();
    spec.backward_s.clear();
    spec.weight_s.clear();
    spec.activation_bytes.clear();
    spec.weight_grad_bytes.clear();
    for (const ChunkCost& k : cc) {
      spec.forward_s.push_back(k.f_s);
      spec.backward_s.push_back(k.b_s);
      spec.weight_s.push_back(k.w_s);
      spec.activation_bytes.push_back(k.stash_bytes);
      spec.weight_grad_bytes.push_back(k.weight_grad_bytes);
    }
    spec.emit_transfers = false;
    spec.p2p_s = 0;
    const PipelineSchedule free_p2p = SimulateSchedule(spec);
    pipeline_nop2p_s = free_p2p.pipeline_s;
    // The simulator places the chunks (DualPipe: two per device); take its busiest stage.
    sim_ideal_s = free_p2p.ideal_s;
    spec.p2p_s = p2p_s;
    sched = SimulateSchedule(spec);
    pipeline_s = sched.pipeline_s;
    sim_peak_act = sched.peak_activation_bytes;
  } else {
    // Closed-form bubbles with the busiest stage's per-micro-batch F, B, W (PP-2..PP-11).
    const double F = bz.f_s, B = bz.b_s, W = bz.w_s, pp = p.pp;
    double bubble = 0;
    if (p.pp > 1) {
      switch (p.schedule) {
        case ScheduleKind::kGPipe:
        case ScheduleKind::k1F1B: bubble = (pp - 1) * (F + B + W); break;                 // PP-2
        case ScheduleKind::kInterleaved: bubble = (pp - 1) * (F + B + W) / p.v; break;    // PP-3
        case ScheduleKind::kZbH1: bubble = (pp - 1) * std::max(0.0, F + B - W); break;    // PP-5
        case ScheduleKind::kZbH2: bubble = (pp - 1) * std::max(0.0, F + B - 2 * W); break; // PP-6
        case ScheduleKind::kDualPipe:
        case ScheduleKind::kDualPipeV: bubble = (pp / 2 - 1) * std::max(0.0, F + 2 * B - 3 * W); break;  // PP-10/11
      }
    }
    pipeline_nop2p_s = ideal_s + bubble;
    // p2p on the critical path in fill and drain: 2(p-1) transfers (x v chunks when interleaved).
    pipeline_s = pipeline_nop2p_s + (p.pp > 1 ? 2.0 * (pp - 1) * p.v * p2p_s : 0.0);
  }
  if (p.pp <= 1) pipeline_nop2p_s = pipeline_s = ideal_s;

  TrainingReport r;
  r.chips = p.chips;
  r.dp = p.dp; r.tp = p.tp; r.pp = p.pp; r.ep = p.ep; r.cp = p.cp; r.zero = p.zero;
  r.micro_batch = p.mb; r.micro_batches = p.m; r.virtual_stages = p.v;
  r.schedule = ScheduleName(p.schedule);
  r.recompute = RecomputeName(p.recompute);
  r.sequence_parallel = p.sp;
  r.simulated = run_simulator;
  r.attention_kernel = p.flash ? "flash" : "materialized";
  r.math = plan.math;
  r.gemm_fraction_of_peak = p.math == TrainingMath::kBf16 ? e.matmul_max : e.fp8_matmul_max;
  r.tp_comm_overlap = p.tp_overlap;
  if (p.ep > 1) {
    // EP groups take consecutive ranks (tp fastest: Megatron's EP over the DP x TP ranks).
    const Span g = SpanOf(p.ep, 1, rack);
    r.ep_links = g.racks > 1 ? "scale-up inside each rack (" + std::to_string(static_cast<int>(g.per_rack)) +
                                   " ranks) + scale-out across " + std::to_string(static_cast<int>(g.racks)) + " racks"
                             : "scale-up (the " + std::to_string(p.ep) + " ranks share a rack)";
  }

  // Memory: the fullest stage.
  TrainingMemory best_mem;
  for (std::size_t i = 0; i < st.size(); ++i) {
    const Stage& g = st[i];
    TrainingMemory mem;
    const double dpsi = g.dense_params * param_copies, epsi = g.expert_params * param_copies;
    mem.weights_bytes = 2.0 * shard(dpsi, epsi, p.zero >= 3);    // bf16 weights
    // FP8 recipes keep the step's FP8 weights in both orientations (row- and column-wise for the
    // forward and the weight-gradient GEMMs: Transformer Engine, MXFP8), 2 bytes per parameter.
    // FSDP (zero 3) casts its shard and gathers FP8 on the fly (torchao float8 all-gather).
    if (p.math != TrainingMath::kBf16) mem.weights_bytes += 2.0 * shard(dpsi, epsi, p.zero >= 3);
    mem.gradients_bytes = 2.0 * shard(dpsi, epsi, p.zero >= 2);  // bf16 gradients
    mem.optimizer_bytes = 12.0 * shard(dpsi, epsi, p.zero >= 1); // fp32 master + Adam m, v
    if (!sim_peak_act.empty()) {
      mem.activations_bytes = sim_peak_act[i];
    } else {
      // Without a pipeline: the stage's stash of one micro-batch, the RevNet input pair included
      // (Gomez et al. 2017 Alg. 1), as StashBytesPerMicroBatch counts it for a pipeline stage.
      const double per_mb = p.pp > 1 ? g.stash_bytes : StashBytesPerMicroBatch(shape, p.recompute, g.layers);
      mem.activations_bytes = in_flight(static_cast<int>(i)) * per_mb;
    }
    // KOR-A9 fp32 logits (and their gradient) on the last stage; one layer's recompute working set.
    mem.buffers_bytes = (g.last ? 2.0 * 4.0 * tokens * md.vocab / t : 0.0) +
                        RecomputeWorkingBytes(shape, p.recompute) + e.runtime_reserved_bytes;
    if (p.zero >= 3) mem.buffers_bytes += 2.0 * 2.0 * g.dense_params / std::max(1, g.layers);  // gathered layers
    mem.total_bytes = mem.weights_bytes + mem.gradients_bytes + mem.optimizer_bytes +
                      mem.activations_bytes + mem.buffers_bytes;
    if (r.simulated) r.stage_model_state_bytes.push_back(mem.weights_bytes + mem.gradients_bytes + mem.optimizer_bytes);
    if (mem.total_bytes > best_mem.total_bytes) best_mem = mem;
  }
  best_mem.capacity_bytes = s.hardware.hbm_bytes;
  r.memory = best_mem;
  r.fits = best_mem.total_bytes <= best_mem.capacity_bytes;

  // ---- DP / FSDP: ZERO-C1..C3 volumes on the two-level all-reduce (lecture.md §2.2).
  double dp_comm = 0, dp_exposed = 0;
  {
    const double n_dense = Dv(p.dp) * p.cp;
    const Span g = SpanOf(static_cast<int>(n_dense), p.tp, rack);
    ClusterTopology topo{static_cast<int>(g.racks), static_cast<int>(g.per_rack),
                         {LinkBw(s, e, LinkClass::kScaleUp), LinkLat(s, LinkClass::kScaleUp)},
                         {LinkBw(s, e, LinkClass::kScaleOut), LinkLat(s, LinkClass::kScaleOut)}};
    const double ar_dense = n_dense > 1 ? ClosedFormTime(CollectiveKind::kHierarchicalAllReduce, topo,
                                                         bz.dense_params * param_copies * kActBytes) : 0.0;
    const double n_exp = expert_shards;
    double ar_exp = 0;
    if (n_exp > 1 && bz.expert_params > 0) {
      const Span ge = SpanOf(static_cast<int>(n_exp), p.ep, rack);
      ClusterTopology te{static_cast<int>(ge.racks), static_cast<int>(ge.per_rack), topo.scaleup, topo.scaleout};
      ar_exp = ClosedFormTime(CollectiveKind::kHierarchicalAllReduce, te, bz.expert_params * param_copies * kActBytes);
    }
    const double ar = ar_dense + ar_exp;
    const double layers_here = std::max(1, bz.layers);
    if (p.zero >= 3) {
      // ZERO-C3 per micro-batch: all-gather in forward and backward (each half an all-reduce), one
      // gradient reduce-scatter at the end; prefetched a layer ahead behind the stage's compute.
      dp_comm = ar / 2.0 * (2.0 * p.m) + ar / 2.0;
      dp_exposed = std::max(ar / layers_here, dp_comm - ideal_s);
    } else {
      dp_comm = ar;
      if (p.zero >= 1) {
        // Distributed optimizer (ZERO-C1/C2, 2Ψ as reduce-scatter + all-gather): the gradient
        // reduce-scatter runs bucket by bucket under the last micro-batch's backward (Megatron
        // --overlap-grad-reduce), the all-gather of updated parameters under the next step's first
        // forward (--overlap-param-gather); the last bucket of each shows.
        const double half = ar / 2.0;
        dp_exposed = std::max(half / layers_here, half - (bz.b_s + bz.w_s)) +
                     std::max(half / layers_here, half - bz.f_s);
      } else {
        // Plain DP: gradient buckets all-reduce during the last micro-batch's backward.
        dp_exposed = std::max(ar / layers_here, dp_comm - (bz.b_s + bz.w_s));
      }
    }
    dp_exposed = std::min(dp_exposed, dp_comm);
  }
  // Optimizer: Adam reads bf16 weights + grads and fp32 master, m, v and writes them back
  // (ZERO-F0 byte counts: 2 + 2 + 12 read, 2 + 12 written per parameter), at HBM speed.
  const double opt_psi = shard(bz.dense_params * param_copies, bz.expert_params * param_copies, p.zero >= 1);
  double optimizer_s = e.optimizer_bytes_per_param * opt_psi / hbm;
  // FP8: the updated weights are cast once per step (read bf16 2, write two fp8 copies 2).
  if (p.math != TrainingMath::kBf16)
    optimizer_s += 4.0 * shard(bz.dense_params * param_copies, bz.expert_params * param_copies, false) / hbm;

  r.step_s = pipeline_s + dp_exposed + optimizer_s;
  if (r.simulated) {
    spec.tail_s = dp_exposed + optimizer_s;
    r.pipeline = std::move(spec);
  }
  TrainingBreakdown& br = r.breakdown;
  // Busy time of the busiest stage split by kind; with the simulator its busiest stage sets the scale.
  const double busy_s = sim_ideal_s > 0 ? sim_ideal_s : ideal_s;
  const double scale = ideal_s > 0 ? busy_s / ideal_s : 1.0;
  br.compute_s = p.m * bz.compute_s * scale;
  br.recompute_s = p.m * bz.recompute_s * scale;
  br.tp_s = p.m * bz.tp_s * scale;
  br.ep_s = p.m * bz.ep_s * scale;
  br.cp_s = p.m * bz.cp_s * scale;
  // The pipeline's time beyond the busiest stage's work is split into exposed p2p transfers and
  // bubble, so the parts always add up to the step (a schedule can finish sooner with transfers than
  // without, e.g. ZB-H1 reordering; then the transfers cost nothing and the rest is bubble).
  const double beyond_busy_s = std::max(0.0, pipeline_s - busy_s);
  br.pp_s = std::clamp(pipeline_s - pipeline_nop2p_s, 0.0, beyond_busy_s);
  br.bubble_s = beyond_busy_s - br.pp_s;
  br.dp_s = dp_exposed;
  br.optimizer_s = optimizer_s;
  r.comm_tp_s = br.tp_s;
  r.comm_ep_s = br.ep_s;
  // CP ring traffic if nothing overlapped: forward passes plus twice that backward.
  r.comm_cp_s = p.m * 3.0 * (bz.layers * dense.cp_ring_fwd_s);
  r.comm_pp_s = p.pp > 1 ? 2.0 * p.m * p.v * p2p_s : 0.0;
  r.comm_dp_s = dp_comm;
  r.exposed_comm_s = br.dp_s + br.tp_s + br.pp_s + br.ep_s + br.cp_s;
  r.bubble_fraction = r.step_s > 0 ? br.bubble_s / r.step_s : 0.0;

  // The sequences the step runs: the global batch, or with dp = 0 (auto) its whole micro-batches.
  r.tokens_per_step = static_cast<double>(p.m) * p.dp * p.mb * s.training.seq_len;
  r.tokens_per_s = r.tokens_per_step / r.step_s;
  r.model_flops_per_step = ctx.model_flops_per_token * r.tokens_per_step;
  ActivationShape whole_sequence = shape;
  whole_sequence.seq_len = static_cast<double>(s.training.seq_len);
  r.hardware_flops_per_step =
      r.model_flops_per_step * HardwareFlopsRatio(whole_sequence, p.recompute, md.layers, md.vocab);
  r.mfu = r.model_flops_per_step / (r.step_s * p.chips * peak);  // PALM-3
  r.hfu = r.hardware_flops_per_step / (r.step_s * p.chips * peak);
  // MEG-F3 in the other direction: days = tokens / (tokens/s); cost = chips x hours x price.
  r.days = r.tokens_per_s > 0 ? s.training.tokens / r.tokens_per_s / 86400.0 : 0.0;
  r.usd = r.days * 24.0 * p.chips * s.UsdPerChipHour();
  // Bound: the largest share among compute (GEMMs), memory (element-wise), network, bubble.
  {
    const double nl = bz.layers;
    const double mem_s = p.m * nl * (dense.memory_fwd_s + dense.attention_memory_fwd_s) *
                         (1.0 + e.backward_memory_ratio);
    const double gemm_s = br.compute_s + br.recompute_s - mem_s;
    const double net_s = r.exposed_comm_s;
    const std::pair<double, const char*> parts[] = {
        {gemm_s, "compute"}, {mem_s, "memory"}, {net_s, "network"}, {br.bubble_s, "bubble"}};
    r.bound = std::max_element(std::begin(parts), std::end(parts),
                               [](const auto& a, const auto& c) { return a.first < c.first; })->second;
  }
  return r;
}

TrainingReport EvaluateTraining(const Scenario& s, const TrainingEfficiency& eff) {
  return EvaluatePlan(MakeTrainingContext(s, eff), s.training, true);
}
TrainingReport EvaluateTraining(const Scenario& s) {
  return EvaluateTraining(s, TrainingEfficiencyFromScenario(s));
}
TrainingReport EvaluatePlanClosedForm(const Scenario& s, const TrainingEfficiency& eff) {
  return EvaluatePlan(MakeTrainingContext(s, eff), s.training, false);
}
ActivationShape TrainingActivationShape(const Scenario& s) {
  return ShapeOf(s, ShapeFromTraining(s, s.training));
}

// ---------------------------------------------------------------- report

nlohmann::json TrainingReportJson(const TrainingReport& r) {
  nlohmann::json j;
  j["step_s"] = r.step_s;
  j["mfu"] = r.mfu;
  j["hfu"] = r.hfu;
  j["bubble_fraction"] = r.bubble_fraction;
  j["tokens_per_s"] = r.tokens_per_s;
  j["memory_per_chip_bytes"] = {{"weights", r.memory.weights_bytes},
                                {"gradients", r.memory.gradients_bytes},
                                {"optimizer", r.memory.optimizer_bytes},
                                {"activations", r.memory.activations_bytes},
                                {"buffers", r.memory.buffers_bytes},
                                {"total", r.memory.total_bytes},
                                {"capacity", r.memory.capacity_bytes}};
  j["fits"] = r.fits;
  j["comm_s"] = {{"dp", r.comm_dp_s}, {"tp", r.comm_tp_s}, {"pp", r.comm_pp_s}, {"ep", r.comm_ep_s},
                 {"cp", r.comm_cp_s}};
  j["exposed_comm_s"] = r.exposed_comm_s;
  const TrainingBreakdown& b = r.breakdown;
  j["breakdown_s"] = {{"compute", b.compute_s}, {"recompute", b.recompute_s}, {"dp", b.dp_s},
                      {"tp", b.tp_s},           {"pp", b.pp_s},               {"ep", b.ep_s},
                      {"cp", b.cp_s},           {"bubble", b.bubble_s},       {"optimizer", b.optimizer_s}};
  j["days"] = r.days;
  j["usd"] = r.usd;
  j["bound"] = r.bound;
  j["model_flops_per_step"] = r.model_flops_per_step;
  j["hardware_flops_per_step"] = r.hardware_flops_per_step;
  j["plan"] = {{"chips", r.chips}, {"dp", r.dp}, {"tp", r.tp}, {"pp", r.pp}, {"ep", r.ep}, {"cp", r.cp},
               {"zero", r.zero}, {"micro_batch", r.micro_batch}, {"micro_batches", r.micro_batches},
               {"schedule", r.schedule}, {"virtual_stages", r.virtual_stages},
               {"recompute", r.recompute}, {"sequence_parallel", r.sequence_parallel},
               {"bubble_model", r.simulated ? "simulated" : "closed-form"},
               {"attention_kernel", r.attention_kernel}, {"math", r.math},
               {"tp_comm_overlap", r.tp_comm_overlap}};
  j["mfu_formula"] = kMfuFormula;
  j["gemm_fraction_of_peak"] = r.gemm_fraction_of_peak;
  if (!r.ep_links.empty()) j["ep_links"] = r.ep_links;
  return j;
}

std::string TrainingReportText(const TrainingReport& r) {
  std::ostringstream o;
  char buf[160];
  auto pct = [](double x) { return std::to_string(static_cast<int>(std::lround(x * 1000.0)) / 10) + "." +
                                   std::to_string(static_cast<int>(std::lround(x * 1000.0)) % 10) + " %"; };
  std::snprintf(buf, sizeof buf, "plan: %d chips = dp %d x tp %d x pp %d x cp %d, ep %d, zero %d, mb %d x %d, %s",
                r.chips, r.dp, r.tp, r.pp, r.cp, r.ep, r.zero, r.micro_batch, r.micro_batches,
                r.schedule.c_str());
  o << buf << (r.virtual_stages > 1 ? " v" + std::to_string(r.virtual_stages) : std::string())
    << ", recompute " << r.recompute << (r.sequence_parallel ? ", SP" : "") << "\n";
  std::snprintf(buf, sizeof buf, " (at most %.2f of their peak)", r.gemm_fraction_of_peak);
  o << "kernels: " << r.attention_kernel << " attention, " << r.math << " GEMMs" << buf
    << (r.tp_comm_overlap ? ", TP comm overlapped" : "") << "\n";
  if (!r.ep_links.empty()) o << "ep all-to-all: " << r.ep_links << "\n";
  o << "training.step_s          " << FormatSeconds(r.step_s) << "   (bound: " << r.bound << ")\n";
  o << "training.mfu             " << pct(r.mfu) << "   hfu " << pct(r.hfu) << "   (" << kMfuFormula << ")\n";
  o << "training.bubble_fraction " << pct(r.bubble_fraction)
    << (r.simulated ? "   (pipeline simulator)" : "   (closed form)") << "\n";
  o << "training.tokens_per_s    " << FormatCount(r.tokens_per_s) << "\n";
  o << "training.memory_per_chip weights " << FormatBytes(r.memory.weights_bytes) << ", gradients "
    << FormatBytes(r.memory.gradients_bytes) << ", optimizer " << FormatBytes(r.memory.optimizer_bytes)
    << ", activations " << FormatBytes(r.memory.activations_bytes) << ", buffers "
    << FormatBytes(r.memory.buffers_bytes) << "\n";
  o << "                         total " << FormatBytes(r.memory.total_bytes) << " of "
    << FormatBytes(r.memory.capacity_bytes) << (r.fits ? "  (fits)" : "  (DOES NOT FIT)") << "\n";
  const TrainingBreakdown& b = r.breakdown;
  o << "breakdown: compute " << FormatSeconds(b.compute_s) << ", recompute " << FormatSeconds(b.recompute_s)
    << ", tp " << FormatSeconds(b.tp_s) << ", pp " << FormatSeconds(b.pp_s) << ", dp " << FormatSeconds(b.dp_s)
    << ", ep " << FormatSeconds(b.ep_s) << ", cp " << FormatSeconds(b.cp_s) << ", bubble "
    << FormatSeconds(b.bubble_s) << ", optimizer " << FormatSeconds(b.optimizer_s) << "\n";
  o << "training.exposed_comm_s  " << FormatSeconds(r.exposed_comm_s) << "\n";
  o << "training.days            " << FormatCount(r.days) << "   usd " << FormatUsd(r.usd) << "\n";
  return o.str();
}

}  // namespace blackboard
