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

}  // namespace

double ActivationBytesPerLayer(const ActivationShape& x, Recompute mode) {
  const double sbh = x.seq_len * x.micro_batch * x.hidden;
  const double t = x.tp;
  switch (mode) {
    case Recompute::kNone: return sbh * NoRecomputeFactor(x);
    case Recompute::kSelective:
      // KOR-A5: sbh·34/t with SP; KOR-A4: sbh(10 + 24/t) without.
      return x.sequence_parallel ? sbh * 34.0 / t : sbh * (10.0 + 24.0 / t);
    case Recompute::kFull: return sbh * 2.0;  // KOR-A6: only the layer input, 2sbh
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
    case Recompute::kSelective: return 5.0 * x.heads * x.seq_len * sb / x.tp;  // KOR-A2 term 5as²b/t
    case Recompute::kFull:
    case Recompute::kReversible: return ActivationBytesPerLayer(x, Recompute::kNone);  // one layer, KOR-A2/A3
  }
  return 0.0;
}

double HardwareFlopsRatio(const ActivationShape& x, Recompute mode, double layers, double vocab) {
  const double s = x.seq_len, h = x.hidden;
  const double logits = vocab / (12.0 * h * layers);
  const double model = 1.0 + s / (6.0 * h) + logits;  // KOR-F2 / (72BLsh²)
  switch (mode) {
    case Recompute::kNone: return 1.0;
    case Recompute::kSelective: return (1.0 + s / (3.0 * h) + logits) / model;  // KOR-F3 / KOR-F2
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
    case Recompute::kSelective: return 12.0 * b * s * s * h / x.tp;  // KOR-F3 - KOR-F2 per layer
    case Recompute::kFull:
    case Recompute::kReversible: return (24.0 * b * s * h * h + 4.0 * b * s * s * h) / x.tp;  // KOR-F1
  }
  return 0.0;
}

}  // namespace blackboard
