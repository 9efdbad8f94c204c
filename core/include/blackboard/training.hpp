// Training step time, MFU/HFU, memory per chip and cost of a full parallel plan.
//
// Use: `TrainingReport r = EvaluateTraining(scenario);` then r.step_s, r.mfu, r.memory, r.breakdown;
// `TrainingReportJson(r)` gives the `training.*` block of the eval report (shared/SCENARIO.md) and
// `TrainingReportText(r)` a readable table. `LayerTimesFor(scenario, eff)` gives one transformer
// layer's forward / backward / recompute seconds for one micro-batch (Korthikanti Table 4's view).
//
// The model. One layer on one chip is the sum of (a) its GEMMs, each at MatmulEfficiency(M, N, K)
// of peak bf16, (b) memory-bound element-wise work (LayerNorm, dropout, GeLU, softmax, residuals)
// as bytes in proportion to the activations Korthikanti Table 2 counts, over HBM, (c) tensor- and
// sequence-parallel collectives (MEG-F9), exposed, (d) the EP all-to-all and the CP ring. Backward is
// twice the GEMMs plus `backward_memory_ratio` x the element-wise work, plus recompute. The pipeline
// (forward, backward-input and weight-gradient per model chunk, p2p) runs through SimulateSchedule
// (EvaluateTraining) or the schedules' closed-form bubbles (EvaluatePlanClosedForm, used by the plan
// search). DP / FSDP gradient and parameter collectives overlap the last micro-batch's backward; the
// optimizer step runs at HBM speed. Every efficiency is a named field of TrainingEfficiency; the
// defaults are calibrated once on Korthikanti Tables 4 and 5 (docs/validation.md) and used for all rows.
// 2024-25 runs (training.attention_kernel, math, tp_comm_overlap): the fused attention kernel keeps
// no scores in HBM and runs at flash_attention_fraction with causal halving; FP8 GEMMs run at the
// FP8 peak plus casts; MoE layers add router, permutation, grouped GEMMs and a hierarchical EP
// all-to-all; those fractions are fitted on torchtitan's published ratios (docs/validation.md).
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "blackboard/activation.hpp"
#include "blackboard/pipeline.hpp"
#include "blackboard/scenario.hpp"

namespace blackboard {

// Achievable fractions and overheads. The values below were fitted once (random search, one set for
// all rows) on Korthikanti Tables 4 and 5; the link fractions are the published busbw figures
// (NC-2, NC-5/NC-6), not fitted. docs/validation.md documents the fit. Scenario overrides: efficiency.overheads[<field name>] sets a
// field by name. efficiency.compute, memory and network are the serving engine's fractions and do not
// scale these; `efficiency = "roofline"` sets every field here to RooflineTrainingEfficiency().
struct TrainingEfficiency {
  double matmul_max = 0.7468;          // best GEMM fraction of peak (large square GEMMs); a chip's
                                       // measured hardware.gemm_bf16_fraction replaces it
  double matmul_half_dim = 42.58;      // each GEMM dim d contributes d/(d + half_dim)
  double hbm_fraction = 0.80;          // achievable HBM bandwidth fraction (element-wise kernels)
  double elementwise_bytes_per_act_byte = 1.140;  // HBM bytes moved per stashed activation byte (fwd)
  double attention_core_bytes_per_act_byte = 3.192;  // same for the softmax/dropout of the s x s scores
  double backward_memory_ratio = 0.959;  // backward element-wise bytes / forward
  double scaleup_fraction = 0.82;      // NVLink/ICI ring busbw / line rate (NC-2: 370 of 450 GB/s)
  double scaleout_fraction = 0.96;     // NIC ring busbw / line rate (NC-5/NC-6: 24 of 25 GB/s HDR)
  double layer_overhead_s = 6.91e-6;  // fixed seconds per layer per micro-batch per pass (launches)
  double runtime_reserved_bytes = 2e9; // CUDA context, cuBLAS/NCCL workspaces (assumption)
  double optimizer_bytes_per_param = 38.45;  // HBM bytes per Adam step (ZERO-F0 30 + fp32 main grads, norm)
  // Fused attention (training.attention_kernel = flash): forward + backward FLOP/s over the bf16
  // peak. FlashAttention-2 reaches 50-73 % of A100 peak forward and less backward (Dao 2023 §4.1);
  // FlashAttention-3 740 TF/s = 75 % of H100 forward BF16, FA2 35 % on H100 (Shah et al. 2024
  // abstract). Not fitted: 0.6 sits between the forward-only bests and the slower backward.
  double flash_attention_fraction = 0.30;
  // FP8 GEMMs (training.math = fp8 | mxfp8): best fraction of the FP8 peak on a chip without a measured
  // hardware.gemm_fp8_fraction (the Hopper/Blackwell presets have one: docs/validation.md).
  double fp8_matmul_max = 0.75;
  // HBM bytes per element cast to FP8 beyond what the producing kernel moves anyway: the FP8 copy it
  // writes (1 byte); its bf16 read is shared with the fused norm/activation/amax pass (Transformer
  // Engine's LayerNormLinear, torch.compile under torchao float8). Derived, not fitted (a separate
  // cast kernel would be 3: read bf16, write fp8); MX adds 1/32 for the block scale.
  double fp8_cast_bytes_per_element = 1.0;
  // MoE: tokens on the busiest expert / mean (routed GEMMs and all-to-all wait for it). Assumption:
  // auxiliary-loss-free balancing keeps it near 1 (DeepSeek-V3 §2.1.2); 1.1 until measured.
  double moe_load_imbalance = 1.10;
  // training.tp_comm_overlap: share of the layer's dense GEMM time that can hide the TP collectives
  // (chunked AG/RS pipelined with the GEMM; the comm kernels also take SMs from it). Fitted on
  // torchtitan's async-TP speedup (docs/validation.md).
  double tp_overlap_fraction = 0.15;
  // Share of the SMs the EP all-to-all kernels hold while DualPipe hides them behind compute:
  // DeepSeek-V3 §3.2.2 dedicates 20 of the H800's 132 SMs (DSV3-3). Published, not fitted.
  double comm_sm_fraction = 20.0 / 132.0;
  // In-framework / per-operation GEMM speed: a chip's measured hardware.gemm_*_fraction (one GEMM
  // repeated alone, warm caches, boost clock) times this is its matmul_max / fp8_matmul_max inside a
  // training step (interleaved memory-bound and communication kernels, sustained clocks). Derived on
  // the A100, where both are known: Korthikanti's fitted matmul_max 0.7468 over aiconfigurator's A100
  // per-operation median 0.839 = 0.89 (docs/validation.md); not fitted on any Hopper/Blackwell row.
  double gemm_in_framework_ratio = 0.89;
};

TrainingEfficiency DefaultTrainingEfficiency();
// The defaults on chip `h`: its measured hardware.gemm_bf16_fraction / gemm_fp8_fraction (when > 0)
// times gemm_in_framework_ratio replace matmul_max / fp8_matmul_max.
TrainingEfficiency DefaultTrainingEfficiency(const Hardware& h);
// Pure roofline: every fraction 1, no size penalty, element-wise traffic 1 byte per byte.
TrainingEfficiency RooflineTrainingEfficiency();
// Defaults, then scenario.efficiency.overheads by field name; then the chip's measured GEMM fractions
// x gemm_in_framework_ratio for matmul_max / fp8_matmul_max unless the overheads name those fields.
TrainingEfficiency TrainingEfficiencyFromScenario(const Scenario& s);
// Names accepted in efficiency.overheads (the field names above).
std::vector<std::string> TrainingEfficiencyNames();
// Every field of `e` by name, as efficiency.overheads holds them.
std::map<std::string, double> TrainingEfficiencyValues(const TrainingEfficiency& e);

// Fraction of peak a GEMM of M x K times K x N reaches: matmul_max x prod d/(d + half_dim).
double MatmulEfficiency(double m, double n, double k, const TrainingEfficiency& eff);

// One transformer layer, one micro-batch, one chip (seconds).
struct LayerTimes {
  double matmul_fwd_s = 0;        // projection + MLP GEMMs
  double attention_fwd_s = 0;     // QK^T and AV batched GEMMs
  double memory_fwd_s = 0;        // element-wise work outside the attention core
  double attention_memory_fwd_s = 0;  // softmax, mask, dropout on the s x s scores
  double tp_comm_fwd_s = 0;       // 2 all-reduces (or RS + AG with SP)
  double ep_comm_fwd_s = 0;       // dispatch + combine all-to-all (MoE layers)
  double cp_comm_fwd_s = 0;       // ring-attention KV passes (exposed part)
  double cp_comm_bwd_s = 0;       // backward KV + dKV passes (exposed part)
  double cp_ring_fwd_s = 0;       // forward ring time if nothing overlapped
  double forward_s = 0;           // sum of the above + overhead
  double backward_input_s = 0;    // B: input gradient, element-wise backward, comm
  double backward_weight_s = 0;   // W: weight-gradient GEMMs
  double recompute_s = 0;         // extra forward work in the backward pass (compute part)
  double recompute_comm_s = 0;    // collectives repeated by full recompute
  double backward_s = 0;          // B + W + recompute + recompute comm
};

// Layer times of the scenario's first (dense, or MoE if `moe`) layer under its training plan.
LayerTimes LayerTimesFor(const Scenario& s, const TrainingEfficiency& eff, bool moe = false);

struct TrainingMemory {
  double weights_bytes = 0, gradients_bytes = 0, optimizer_bytes = 0;
  double activations_bytes = 0;   // in-flight micro-batches of the schedule on the fullest stage
  double buffers_bytes = 0;       // fp32 logits (KOR-A9), recompute working set, runtime reserve
  double total_bytes = 0, capacity_bytes = 0;
};

// Step time split so that the parts sum to step_s.
struct TrainingBreakdown {
  double compute_s = 0;           // forward + backward work of the busiest stage, all micro-batches
  double recompute_s = 0;
  double dp_s = 0, tp_s = 0, pp_s = 0, ep_s = 0, cp_s = 0;  // exposed communication
  double bubble_s = 0;            // pipeline idle
  double optimizer_s = 0;         // optimizer step at HBM speed
};

struct TrainingReport {
  int chips = 0, dp = 1, tp = 1, pp = 1, ep = 1, cp = 1, zero = 0, micro_batch = 1, micro_batches = 1;
  int virtual_stages = 1;
  std::string schedule, recompute;
  bool sequence_parallel = false;
  std::string attention_kernel = "flash", math = "bf16";
  bool tp_comm_overlap = false;
  std::string ep_links;           // which tier the EP all-to-all uses ("" when ep = 1)
  // Best fraction of the GEMM peak (bf16 or fp8, as training.math) the GEMMs ran at: the chip's
  // measured hardware.gemm_*_fraction, else the calibrated default, unless efficiency overrides it.
  double gemm_fraction_of_peak = 0;
  bool simulated = false;         // bubble from SimulateSchedule (true) or closed form
  double step_s = 0;
  // Model FLOPs as frameworks publish them: 6N + 12·L·H·Q·T per token (PaLM App. B, Megatron
  // num_floating_point_operations, torchtitan), attention counted without causal halving.
  double model_flops_per_step = 0;
  double hardware_flops_per_step = 0;  // + recompute (KOR-F3 / MEG-F2)
  double mfu = 0, hfu = 0;
  double bubble_fraction = 0;     // bubble_s / step_s
  double tokens_per_step = 0, tokens_per_s = 0;
  TrainingMemory memory;
  bool fits = false;
  double comm_dp_s = 0, comm_tp_s = 0, comm_pp_s = 0, comm_ep_s = 0, comm_cp_s = 0;  // if serial
  double exposed_comm_s = 0;
  TrainingBreakdown breakdown;
  double days = 0, usd = 0;       // for training.tokens
  std::string bound;              // "compute" | "memory" | "network" | "bubble"
  // What the simulator ran (simulated, i.e. pp > 1 with EvaluateTraining), for boards and traces:
  // the per-chunk spec with tail_s = exposed DP + optimizer, so SimulateSchedule(pipeline).step_s
  // equals step_s; and per stage the model state of one chip (weights + gradients + optimizer
  // after ZeRO). Left default (and the vector empty) when the bubble came from the closed form.
  PipelineSpec pipeline;
  std::vector<double> stage_model_state_bytes;
};

// Everything about a scenario that does not depend on the plan (model shape, per-layer parameters,
// hardware, efficiency), prepared once so the plan search can evaluate many plans quickly.
struct TrainingContext {
  Scenario scenario;
  TrainingEfficiency eff;
  std::vector<double> layer_dense_params;   // per layer: attention, norms, dense MLP, shared, router
  std::vector<double> layer_expert_params;  // per layer: all routed experts (0 = dense layer)
  std::vector<double> prefix_dense, prefix_expert, prefix_moe;  // prefix sums (size layers + 1)
  double embedding_params = 0, unembedding_params = 0;
  double model_flops_per_token = 0;  // 3 x (matmul + attention) forward FLOPs per token (KOR-F2)
};
TrainingContext MakeTrainingContext(const Scenario& s, const TrainingEfficiency& eff);
// Evaluates `plan` (training fields; dp 0 = auto) in the context; `simulate` selects the pipeline
// simulator (true) or the closed-form bubble (false). Throws std::invalid_argument on a plan whose
// degrees do not divide or whose schedule cannot run.
TrainingReport EvaluatePlan(const TrainingContext& ctx, const Training& plan, bool simulate);

// Full evaluation with the pipeline simulator. Throws ScenarioError / std::invalid_argument for a
// plan the scenario validation or the schedule rejects.
TrainingReport EvaluateTraining(const Scenario& s);
TrainingReport EvaluateTraining(const Scenario& s, const TrainingEfficiency& eff);
// Same model with the closed-form bubble (PP-2..PP-11) instead of the simulator (fast; search).
TrainingReport EvaluatePlanClosedForm(const Scenario& s, const TrainingEfficiency& eff);
// The activation shape the engine uses for one micro-batch on one chip of `s`'s plan (degrees 0 =
// auto; training.attention_kernel and training.math set the fused-attention and FP8-cache fields), so
// a board draws the same bytes as EvaluateTraining. Throws std::invalid_argument as EvaluatePlan does.
ActivationShape TrainingActivationShape(const Scenario& s);

// {"step_s", "mfu", "hfu", "bubble_fraction", "tokens_per_s", "memory_per_chip_bytes": {weights,
// gradients, optimizer, activations, buffers, total, capacity}, "fits", "comm_s": {dp,tp,pp,ep,cp},
// "exposed_comm_s", "breakdown_s": {...}, "days", "usd", plan fields}.
nlohmann::json TrainingReportJson(const TrainingReport& r);
std::string TrainingReportText(const TrainingReport& r);

}  // namespace blackboard
