// Layouts of shards on devices, for training and serving, and the traffic of each parallelism.
//
// Use (training): `ParallelPlan plan = PlanFromScenario(s);` then
// `GpuLayout g = LayoutForRank(LayoutModelFromModel(s.model), plan, rank);` gives which shard of which
// tensor (per layer: weights bf16, gradients bf16, fp32 master, Adam momentum and variance; experts)
// that GPU holds, with bytes, and its (dp, pp, tp, cp, ep) coordinates; `BuildTrainingLayout` does
// every rank. Memory per GPU agrees with ZeRO's formulas (ZERO-F0..F3).
// Use (serving): `FfnCommTimes(ffn)` gives the ESTI feed-forward layouts' communication times and the
// cheapest allowed one; `FfnWeightBlocks` which chip holds which block of the E x F weight;
// `MaxContextTokens` ESTI Table 1's KV-cache capacity.
// Use (traffic): `TrainingStepTraffic(s)` gives bytes per GPU and seconds per step of DP/FSDP, TP, PP,
// EP and CP, and how much of each is exposed (not hidden behind compute).
//
// Rank order (Megatron-LM's default, "tp-cp-dp-pp"): tp varies fastest, then cp, then dp, then pp:
// rank = tp + TP*(cp + CP*(dp + DP*pp)). Expert parallelism is carved out of the dp x tp ranks of a
// stage (as in Megatron-Core with expert tensor parallelism 1; ScenarioValidate requires ep | dp*tp):
// f = dp*TP + tp, ep = f mod EP, expert-data-parallel index = f / EP. Dense weights are split over tp
// and replicated over dp and cp; ZeRO shards their optimizer state (and gradients, weights) over the
// dp*cp ranks that hold the same weights. Experts are whole on a rank (E/EP per rank) and ZeRO shards
// them over the dp*tp*cp/EP ranks that hold the same experts.
#pragma once

#include <string>
#include <vector>

#include "blackboard/collectives.hpp"
#include "blackboard/scenario.hpp"

namespace blackboard {

// ---------------------------------------------------------------- training layout

struct LayerParams {
  double dense_params = 0;       // attention, norms, dense MLP, shared experts, router
  int experts = 0;               // routed experts (0 = dense layer)
  double params_per_expert = 0;
};

struct LayoutModel {
  std::vector<LayerParams> layers;
  double embedding_params = 0;   // on the first pipeline stage
  double unembedding_params = 0; // on the last pipeline stage (0 when tied)
  double TotalParams() const;
};

// Per-layer split of CountParameters(m): the sum over layers plus embeddings equals p.total.
LayoutModel LayoutModelFromModel(const Model& m);
// `total_params` spread evenly over `layers` dense layers, no embeddings (ZeRO's Ψ).
LayoutModel UniformLayoutModel(double total_params, int layers);

struct ParallelPlan {
  int dp = 1, tp = 1, pp = 1, ep = 1, cp = 1;
  int zero = 0;                  // 0-3 (3 = FSDP)
  bool sequence_parallel = false;
  int Ranks() const { return dp * tp * pp * cp; }
};
// training.*; dp = 0 (auto) becomes chips / (tp*pp*cp).
ParallelPlan PlanFromScenario(const Scenario& s);

struct RankCoord {
  int rank = 0;
  int tp = 0, cp = 0, dp = 0, pp = 0;
  int ep = 0;                    // expert-parallel index (which experts)
  int edp = 0;                   // expert-data-parallel index (which replica of them)
};
RankCoord CoordOfRank(const ParallelPlan& plan, int rank);
int RankOfCoord(const ParallelPlan& plan, int tp, int cp, int dp, int pp);

enum class StateKind { kWeights, kGradients, kMasterWeights, kAdamMomentum, kAdamVariance };
const char* StateKindName(StateKind k);
// Mixed-precision Adam (ZeRO §3.1, ZERO-F0): bf16 weights 2, bf16 gradients 2, and K = 12 bytes of
// optimizer state: fp32 master 4 + momentum 4 + variance 4.
double BytesPerParam(StateKind k);

enum class TensorGroup { kEmbedding, kLayerDense, kLayerExperts, kUnembedding };
const char* TensorGroupName(TensorGroup g);

struct ShardRef {
  int layer = -1;                // -1 for embeddings
  TensorGroup group = TensorGroup::kLayerDense;
  StateKind state = StateKind::kWeights;
  int tp_shard = 0, tp_shards = 1;      // slice of the tensor-parallel split (dense, embeddings)
  int first_expert = 0, experts = 0;    // expert range (experts group)
  int zero_shard = 0, zero_shards = 1;  // slice of the flattened parameters under ZeRO
  double params = 0;             // elements of this state held here
  double bytes = 0;
};

struct GpuMemory {
  double weights_bytes = 0, gradients_bytes = 0, optimizer_bytes = 0;  // optimizer: master + Adam
  double TotalBytes() const { return weights_bytes + gradients_bytes + optimizer_bytes; }
};

struct GpuLayout {
  RankCoord coord;
  int first_layer = 0, layer_count = 0;  // this pipeline stage
  std::vector<ShardRef> shards;
  GpuMemory memory;
};

GpuLayout LayoutForRank(const LayoutModel& model, const ParallelPlan& plan, int rank);
std::vector<GpuLayout> BuildTrainingLayout(const LayoutModel& model, const ParallelPlan& plan);

// ZeRO §5.1-5.3 closed forms per device (ZERO-F0..F3) with K = 12: stage 0 16Ψ, 1 4Ψ + KΨ/N_d,
// 2 2Ψ + 14Ψ/N_d, 3 16Ψ/N_d.
double ZeroModelStateBytes(double params, int zero_stage, int dp_degree);

// ---------------------------------------------------------------- serving: ESTI layouts

// FfnLayout (scenario.hpp): the five ESTI §3.2 layouts.
const char* FfnLayoutName(FfnLayout l);

struct FfnProblem {
  double tokens = 1;             // B·L: tokens in flight in this forward pass
  double d_model = 18432;        // E (PaLM 540B)
  double d_ff = 73728;           // F
  int x = 4, y = 4, z = 4;       // the chips' 3D torus (n = x*y*z)
  double bytes_per_s = 270e9;    // interconnect bandwidth per chip (ESTI TPU v4: 270 GB/s)
  double bytes_per_element = 2;  // activations and weights on the wire
  int Chips() const { return x * y * z; }
};

struct FfnLayoutCost {
  FfnLayout layout = FfnLayout::k2DWeightStationary;
  double comm_s = 0;
  double gather_chips = 0;       // N for weight-gathered layouts, 0 otherwise
};

struct FfnLayoutChoice {
  std::vector<FfnLayoutCost> costs;  // every allowed layout
  FfnLayoutCost best;                // the cheapest (ties: the earlier in FfnLayout order)
};

double FfnCommTime(FfnLayout layout, const FfnProblem& p);
// 2D weight-stationary at the continuous optimum X = sqrt(n E / F) (ESTI §3.2): 8BLE/(sqrt(n) BW)
// for F = 4E.
double FfnComm2DOptimalS(const FfnProblem& p);
// Weight-gathered at the continuous optimum N = sqrt(BL n / F): 4E sqrt(BLF)/(sqrt(n) BW).
double FfnCommWeightGatheredOptimalS(const FfnProblem& p);
FfnLayoutChoice ChooseFfnLayout(const FfnProblem& p, const std::vector<FfnLayout>& allowed = {
    FfnLayout::k1DWeightStationary, FfnLayout::k2DWeightStationary, FfnLayout::kWeightGatheredX,
    FfnLayout::kWeightGatheredXY, FfnLayout::kWeightGatheredXYZ});

// A block of the stored E x F weight (W_in) held by one chip: rows [row0, row1) of E, columns
// [col0, col1) of F. Chips are numbered x + X*(y + Y*z).
struct WeightBlock {
  int chip = 0;
  double row0 = 0, row1 = 0, col0 = 0, col1 = 0;
};
// 1D: F split over all n chips. 2D and weight-gathered (which store the same E_x F_yz layout, ESTI
// §3.2): E split over x, F over y*z.
std::vector<WeightBlock> FfnWeightBlocks(FfnLayout layout, const FfnProblem& p);

// ESTI Table 1: the longest context that fits when `kv_fraction` of HBM holds the KV cache.
struct KvCapacityProblem {
  int layers = 118;
  int kv_heads = 1;
  int head_dim = 256;
  double bytes_per_element = 2;
  int chips = 64;
  double hbm_bytes = 32.0 * 1024 * 1024 * 1024;  // TPU v4: 32 GiB
  double kv_fraction = 0.3;
  int batch = 128;
  bool batch_sharded = false;    // false: heads sharded (a head is replicated if kv_heads < chips)
};
double MaxContextTokens(const KvCapacityProblem& p);

// ---------------------------------------------------------------- traffic per training step

struct ParallelismTraffic {
  std::string name;              // "dp", "fsdp", "tp", "pp", "ep", "cp"
  double bytes_per_gpu = 0;      // sent per GPU per step
  double comm_s = 0;             // time on its links if nothing overlapped
  double exposed_s = 0;          // the part on the critical path under the stated overlap model
  LinkClass link = LinkClass::kScaleUp;  // slowest link class the group spans
  std::string overlap;           // the overlap model in words
};

struct TrainingTraffic {
  std::vector<ParallelismTraffic> parts;
  double backward_compute_s = 0;   // 4·N_active·tokens per GPU / FLOP/s (what DP/FSDP hide behind)
  double exposed_s = 0;
  const ParallelismTraffic* Find(const std::string& name) const;
};

// ZeRO §7 volumes in units of Ψ per step (ZERO-C1..C3): 2 for stages 0-2, 3 for stage 3.
double DataParallelVolumeInParams(int zero_stage);

TrainingTraffic TrainingStepTraffic(const Scenario& s);

}  // namespace blackboard
