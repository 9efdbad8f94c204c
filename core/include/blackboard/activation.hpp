// Activation memory per transformer layer and the compute cost of each recompute mode.
//
// Use: fill an ActivationShape (sequence length, micro-batch, hidden size, heads, TP degree, whether
// sequence parallelism is on) and call `ActivationBytesPerLayer(shape, Recompute::kSelective)` for
// the bytes one layer stashes for one micro-batch on one chip (Korthikanti et al. 2022, Table 2).
// `StashBytesPerMicroBatch(shape, mode, layers)` adds the per-stage constant that reversible layers
// keep (the input pair of the stage) and `RecomputeWorkingBytes` the transient working set of one
// layer being rebuilt. `HardwareFlopsRatio` gives hardware / model FLOPs of a training step for each
// mode (Korthikanti Appendix A). All sizes are bytes with 16-bit activations and 1-byte dropout masks.
#pragma once

#include <string>

namespace blackboard {

enum class Recompute { kNone, kSelective, kFull, kReversible };

// "none" | "selective" | "full" | "reversible"; throws std::invalid_argument otherwise.
Recompute ParseRecompute(const std::string& name);
const char* RecomputeName(Recompute mode);

struct ActivationShape {
  double seq_len = 2048;      // s, tokens per sequence
  double micro_batch = 1;     // b, sequences per micro-batch
  double hidden = 12288;      // h, d_model
  double heads = 96;          // a, attention heads
  double tp = 1;              // t, tensor-parallel degree
  bool sequence_parallel = false;
  // Fused attention (FlashAttention-2/3): the s x s scores never reach HBM, so no 5as/h term; the
  // kernel keeps Q, K, V, its output and an fp32 log-sum-exp per head and token. With it the
  // per-tensor count below uses the model's own shape (Korthikanti's 34 assumes MHA, a 4h GeLU MLP
  // and dropout); materialized attention (false) is Korthikanti Table 2 exactly.
  bool fused_attention = false;
  double kv_fraction = 1;     // kv heads / heads (GQA, MQA)
  double mlp_ratio = 4;       // MLP width / h (routed + shared experts for MoE layers)
  bool gated_mlp = false;     // SwiGLU: fc1 writes 2 x width
  bool dropout = true;        // residual and attention dropout masks (GPT-3 yes, Llama no)
  // FP8 training: tensors saved for FP8 GEMMs (their inputs) and the MLP's fc1 output are cached as
  // FP8, 1 byte (DeepSeek-V3 §3.3.3 "low-precision storage"; Transformer Engine keeps the FP8 casts).
  bool fp8_cache = false;
};

// Bytes one layer keeps for the backward pass, per micro-batch per chip (KOR-A1..A6). Reversible
// layers keep nothing per layer (Gomez et al. 2017 §3: activations are rebuilt from the outputs).
// With fused attention, selective recompute keeps the layer's norm inputs and the outputs of its
// GEMMs and attention kernel and rebuilds the element-wise tensors (norm outputs, activation
// function) in backward: torchtitan's per-op selective checkpointing, Megatron-Core
// --recompute-modules layernorm/moe_act.
double ActivationBytesPerLayer(const ActivationShape& shape, Recompute mode);

// Bytes a stage of `layers` layers keeps per in-flight micro-batch: per-layer stash x layers, plus
// for reversible layers the stage's input pair (x, y), each s·b·h 16-bit values (/t with SP).
double StashBytesPerMicroBatch(const ActivationShape& shape, Recompute mode, double layers);

// Transient bytes while one layer is recomputed in the backward pass (full and reversible rebuild
// the whole layer: KOR-A2/A3; selective rebuilds the attention core 5as²b/t, or with fused attention
// the element-wise tensors it dropped; none: 0).
double RecomputeWorkingBytes(const ActivationShape& shape, Recompute mode);

// Hardware FLOPs / model FLOPs of a training step (KOR-F2..F4; full and reversible recompute one
// extra forward of every layer, MEG-F2). `layers` L and `vocab` v enter through the logits term.
double HardwareFlopsRatio(const ActivationShape& shape, Recompute mode, double layers, double vocab);

// Forward FLOPs one layer recomputes in the backward pass, per micro-batch on one chip:
// selective 12·b·s²·h/t (KOR-F3 minus KOR-F2; 0 with fused attention, whose own backward rebuilds the
// scores), full/reversible one forward 24bsh²+4bs²h (KOR-F1).
// Bytes selective recompute drops (and rebuilds) per layer under fused attention: none - selective.
double SelectiveDroppedBytesPerLayer(const ActivationShape& shape);
double RecomputeFlopsPerLayer(const ActivationShape& shape, Recompute mode);

}  // namespace blackboard
