// Activation memory and recompute cost (see activation.hpp). Index: parse/name, per-layer bytes
// (Korthikanti Table 2), stage stash, working set, FLOP ratios (Korthikanti Appendix A).
#include "blackboard/activation.hpp"

#include <stdexcept>

namespace blackboard {

Recompute ParseRecompute(const std::string& name) {
  if (name == "none") return Recompute::kNone;
  if (name == "selective") return Recompute::kSelective;
  if (name == "full") return Recompute::kFull;
  if (name == "reversible") return Recompute::kReversible;
  throw std::invalid_argument("recompute = " + name + ": allowed none, selective, full, reversible");
}

const char* RecomputeName(Recompute mode) {
  switch (mode) {
    case Recompute::kNone: return "none";
    case Recompute::kSelective: return "selective";
    case Recompute::kFull: return "full";
    case Recompute::kReversible: return "reversible";
  }
  return "none";
}

namespace {

// The attention-core term 5as/h of Korthikanti Table 2 (KOR-A1, KOR-A10).
double AttentionCoreFactor(const ActivationShape& x) { return 5.0 * x.heads * x.seq_len / x.hidden; }

// No recompute: KOR-A1 (t = 1), KOR-A2 (TP), KOR-A3 (TP + SP), bytes = sbh x factor.
double NoRecomputeFactor(const ActivationShape& x) {
  const double t = x.tp;
  const double core = AttentionCoreFactor(x);
  if (x.sequence_parallel) return 34.0 / t + core / t;  // KOR-A3: sbh(34/t + 5as/(ht))
  return 10.0 + 24.0 / t + core / t;                    // KOR-A2: sbh(10 + 24/t + 5as/(ht)); t=1 is KOR-A1
}

// Fused attention, per tensor in units of sbh bytes (Korthikanti §4.1's count with the model's shape;
// for MHA, a 4h GeLU MLP and dropout it gives KOR-A2's 10 outside + 24 inside the TP region).
struct FusedCounts {
  double outside = 0, inside = 0;
};
FusedCounts FusedFactors(const ActivationShape& x, bool selective) {
  const double drop = x.dropout ? 1.0 : 0.0, r = x.mlp_ratio, gate = x.gated_mlp ? 1.0 : 0.0;
  const double cached = x.fp8_cache ? 1.0 : 2.0;  // bytes per element of FP8-cached tensors
  FusedCounts c;
  // Outside TP: the two norm inputs (4), the residual dropout masks (2); unless selective, the norm
  // outputs feeding QKV and fc1 (GEMM inputs).
  c.outside = 4.0 + 2.0 * drop + (selective ? 0.0 : 2.0 * cached);
  // Inside TP: Q (2), K and V (4 x kv fraction), the kernel output (2), its fp32 log-sum-exp
  // (4 bytes per head and token = 4a/h), fc1's output r(1 + gate) elements; unless selective, the
  // activation-function output r (the fc2 input).
  c.inside = 2.0 + 4.0 * x.kv_fraction + 2.0 + 4.0 * x.heads / x.hidden + cached * r * (1.0 + gate) +
             (selective ? 0.0 : cached * r);
  return c;
}
double FusedBytes(const ActivationShape& x, bool selective) {
  const FusedCounts c = FusedFactors(x, selective);
  const double sbh = x.seq_len * x.micro_batch * x.hidden;
  return sbh * ((x.sequence_parallel ? c.outside / x.tp : c.outside) + c.inside / x.tp);
}

}  // namespace

double SelectiveDroppedBytesPerLayer(const ActivationShape& x) {
  return x.fused_attention ? FusedBytes(x, false) - FusedBytes(x, true) : 0.0;
}

double ActivationBytesPerLayer(const ActivationShape& x, Recompute mode) {
  const double sbh = x.seq_len * x.micro_batch * x.hidden;
  const double t = x.tp;
  if (x.fused_attention && (mode == Recompute::kNone || mode == Recompute::kSelective))
    return FusedBytes(x, mode == Recompute::kSelective);
  switch (mode) {
    case Recompute::kNone: return sbh * NoRecomputeFactor(x);
    case Recompute::kSelective:
      // KOR-A5: sbh·34/t with SP; KOR-A4: sbh(10 + 24/t) without.
      return x.sequence_parallel ? sbh * 34.0 / t : sbh * (10.0 + 24.0 / t);
    case Recompute::kFull:  // KOR-A6: only the layer input, 2sbh; today's frameworks keep the
                            // sequence-parallel shard of it (2sbh/t) with fused attention
      return sbh * 2.0 / (x.fused_attention && x.sequence_parallel ? t : 1.0);
    case Recompute::kReversible: return 0.0;  // Gomez et al. 2017 §3: no per-layer stash
  }
  return 0.0;
}

double StashBytesPerMicroBatch(const ActivationShape& x, Recompute mode, double layers) {
  double bytes = ActivationBytesPerLayer(x, mode) * layers;
  if (mode == Recompute::kReversible && layers > 0) {
    // Gomez et al. 2017 Alg. 1: the stage output pair (x, y) is kept to invert the layers, 2 x 2sbh bytes.
    const double pair_bytes = 2.0 * 2.0 * x.seq_len * x.micro_batch * x.hidden;
    bytes += x.sequence_parallel ? pair_bytes / x.tp : pair_bytes;
  }
  return bytes;
}

double RecomputeWorkingBytes(const ActivationShape& x, Recompute mode) {
  const double sb = x.seq_len * x.micro_batch;
  switch (mode) {
    case Recompute::kNone: return 0.0;
    case Recompute::kSelective:
      if (x.fused_attention) return SelectiveDroppedBytesPerLayer(x);
      return 5.0 * x.heads * x.seq_len * sb / x.tp;  // KOR-A2 term 5as²b/t
    case Recompute::kFull:
    case Recompute::kReversible: return ActivationBytesPerLayer(x, Recompute::kNone);  // one layer, KOR-A2/A3
                                                                                      // (or fused count)
  }
  return 0.0;
}

double HardwareFlopsRatio(const ActivationShape& x, Recompute mode, double layers, double vocab) {
  const double s = x.seq_len, h = x.hidden;
  const double logits = vocab / (12.0 * h * layers);
  const double model = 1.0 + s / (6.0 * h) + logits;  // KOR-F2 / (72BLsh²)
  switch (mode) {
    case Recompute::kNone: return 1.0;
    case Recompute::kSelective:  // KOR-F3 / KOR-F2; fused attention recomputes no GEMM
      return x.fused_attention ? 1.0 : (1.0 + s / (3.0 * h) + logits) / model;
    case Recompute::kFull:
    case Recompute::kReversible:
      // One more layer forward 24Bsh²(1 + s/(6h)) per layer (KOR-F1); sum equals MEG-F2 / KOR-F2.
      return (model + (1.0 + s / (6.0 * h)) / 3.0) / model;
  }
  return 1.0;
}

double RecomputeFlopsPerLayer(const ActivationShape& x, Recompute mode) {
  const double b = x.micro_batch, s = x.seq_len, h = x.hidden;
  switch (mode) {
    case Recompute::kNone: return 0.0;
    case Recompute::kSelective:  // KOR-F3 - KOR-F2 per layer
      return x.fused_attention ? 0.0 : 12.0 * b * s * s * h / x.tp;
    case Recompute::kFull:
    case Recompute::kReversible: return (24.0 * b * s * h * h + 4.0 * b * s * s * h) / x.tp;  // KOR-F1
  }
  return 0.0;
}

}  // namespace blackboard
