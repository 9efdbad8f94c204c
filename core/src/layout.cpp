// Layouts of shards on devices and the traffic of each parallelism (see layout.hpp).
//
// Index: layout model from a Model -> rank coordinates -> per-rank shards (ZeRO) -> ESTI feed-forward
// layouts and KV capacity -> traffic per training step.
#include "blackboard/layout.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>

#include "blackboard/model.hpp"

namespace blackboard {

// ---------------------------------------------------------------- layout model

double LayoutModel::TotalParams() const {
  double sum = embedding_params + unembedding_params;
  for (const LayerParams& l : layers) sum += l.dense_params + l.experts * l.params_per_expert;
  return sum;
}

LayoutModel LayoutModelFromModel(const Model& m) {
  const ParamCount p = CountParameters(m);
  const int layers = std::max(1, m.layers);
  const double matrices = m.mlp == "gated" ? 3.0 : 2.0;  // SwiGLU 3 matrices, GeLU 2 (model.hpp)
  const bool moe = IsMoe(m);
  const int dense_layers = moe ? std::min(m.dense_layers, layers) : layers;
  const int moe_layers = layers - dense_layers;
  const double per_expert = matrices * m.d_model * static_cast<double>(m.d_ff_expert);
  const double dense_mlp = matrices * m.d_model * static_cast<double>(m.d_ff);
  // What is left of the MLP total (biases, shared experts, routers) goes evenly to the MoE layers,
  // or to all layers when dense, so that the layers sum to CountParameters' total.
  const double routed = moe ? moe_layers * m.experts * per_expert : 0.0;
  const double dense_mlps = dense_layers * dense_mlp;
  const double rest = p.mlp_total - routed - dense_mlps;
  LayoutModel out;
  out.embedding_params = p.embedding;
  out.unembedding_params = p.unembedding;
  for (int l = 0; l < layers; ++l) {
    LayerParams lp;
    lp.dense_params = (p.attention + p.norms_and_biases) / layers;
    if (moe && l >= dense_layers) {
      lp.experts = m.experts;
      lp.params_per_expert = per_expert;
      lp.dense_params += rest / moe_layers;
    } else {
      lp.dense_params += dense_mlp + (moe ? 0.0 : rest / layers);
    }
    out.layers.push_back(lp);
  }
  return out;
}

LayoutModel UniformLayoutModel(double total_params, int layers) {
  LayoutModel out;
  const int n = std::max(1, layers);
  out.layers.assign(static_cast<size_t>(n), LayerParams{total_params / n, 0, 0});
  return out;
}

ParallelPlan PlanFromScenario(const Scenario& s) {
  const Training t = ResolveTrainingDegrees(s);  // 0 = auto
  ParallelPlan p;
  p.tp = t.tp;
  p.pp = t.pp;
  p.cp = t.cp;
  p.ep = t.ep;
  p.zero = t.zero;
  p.sequence_parallel = t.sequence_parallel;
  const int chips = s.cluster.racks * s.cluster.chips_per_rack;
  p.dp = t.dp > 0 ? t.dp : std::max(1, chips / std::max(1, t.tp * t.pp * t.cp));
  return p;
}

// ---------------------------------------------------------------- coordinates

RankCoord CoordOfRank(const ParallelPlan& plan, int rank) {
  // Megatron-LM order tp-cp-dp-pp: tp fastest (layout.hpp).
  RankCoord c;
  c.rank = rank;
  c.tp = rank % plan.tp;
  c.cp = (rank / plan.tp) % plan.cp;
  c.dp = (rank / (plan.tp * plan.cp)) % plan.dp;
  c.pp = rank / (plan.tp * plan.cp * plan.dp);
  const int f = c.dp * plan.tp + c.tp;  // expert ranks: flattened dp x tp of the stage
  c.ep = f % plan.ep;
  c.edp = f / plan.ep;
  return c;
}

int RankOfCoord(const ParallelPlan& plan, int tp, int cp, int dp, int pp) {
  return tp + plan.tp * (cp + plan.cp * (dp + plan.dp * pp));
}

const char* StateKindName(StateKind k) {
  switch (k) {
    case StateKind::kWeights: return "weights (bf16)";
    case StateKind::kGradients: return "gradients (bf16)";
    case StateKind::kMasterWeights: return "master weights (fp32)";
    case StateKind::kAdamMomentum: return "Adam momentum (fp32)";
    case StateKind::kAdamVariance: return "Adam variance (fp32)";
  }
  return "?";
}

double BytesPerParam(StateKind k) {
  // ZeRO §3.1 (ZERO-F0): fp16/bf16 params 2, grads 2; K = 12 = fp32 params 4 + momentum 4 + variance 4.
  switch (k) {
    case StateKind::kWeights:
    case StateKind::kGradients: return 2;
    case StateKind::kMasterWeights:
    case StateKind::kAdamMomentum:
    case StateKind::kAdamVariance: return 4;
  }
  return 0;
}

const char* TensorGroupName(TensorGroup g) {
  switch (g) {
    case TensorGroup::kEmbedding: return "embedding";
    case TensorGroup::kLayerDense: return "layer (attention + MLP)";
    case TensorGroup::kLayerExperts: return "experts";
    case TensorGroup::kUnembedding: return "unembedding";
  }
  return "?";
}

// ---------------------------------------------------------------- per-rank shards

namespace {

constexpr StateKind kStates[] = {StateKind::kWeights, StateKind::kGradients,
                                 StateKind::kMasterWeights, StateKind::kAdamMomentum,
                                 StateKind::kAdamVariance};

// ZeRO stages (Rajbhandari et al. §5): 1 partitions optimizer states, 2 also gradients, 3 also
// parameters, over the N_d ranks that hold the same parameters.
bool ZeroPartitions(StateKind k, int stage) {
  switch (k) {
    case StateKind::kWeights: return stage >= 3;
    case StateKind::kGradients: return stage >= 2;
    default: return stage >= 1;
  }
}

void AddShards(GpuLayout& g, int stage, ShardRef base, double params, int zero_index, int zero_group) {
  for (StateKind k : kStates) {
    ShardRef s = base;
    s.state = k;
    const bool split = ZeroPartitions(k, stage) && zero_group > 1;
    s.zero_shard = split ? zero_index : 0;
    s.zero_shards = split ? zero_group : 1;
    s.params = params / s.zero_shards;
    s.bytes = s.params * BytesPerParam(k);
    if (k == StateKind::kWeights)
      g.memory.weights_bytes += s.bytes;
    else if (k == StateKind::kGradients)
      g.memory.gradients_bytes += s.bytes;
    else
      g.memory.optimizer_bytes += s.bytes;
    g.shards.push_back(s);
  }
}

void CheckPlan(const LayoutModel& model, const ParallelPlan& plan) {
  if (plan.dp < 1 || plan.tp < 1 || plan.pp < 1 || plan.cp < 1 || plan.ep < 1)
    throw std::invalid_argument("parallel degrees must be >= 1");
  if (plan.zero < 0 || plan.zero > 3) throw std::invalid_argument("zero stage must be 0-3");
  if ((plan.dp * plan.tp) % plan.ep != 0) throw std::invalid_argument("ep must divide dp x tp");
  if (plan.pp > static_cast<int>(model.layers.size()))
    throw std::invalid_argument("pp exceeds the number of layers");
  for (const LayerParams& l : model.layers)
    if (l.experts > 0 && l.experts % plan.ep != 0)
      throw std::invalid_argument("ep must divide the number of experts");
}

}  // namespace

GpuLayout LayoutForRank(const LayoutModel& model, const ParallelPlan& plan, int rank) {
  CheckPlan(model, plan);
  if (rank < 0 || rank >= plan.Ranks()) throw std::invalid_argument("rank out of range");
  GpuLayout g;
  g.coord = CoordOfRank(plan, rank);
  const int layers = static_cast<int>(model.layers.size());
  // Contiguous stages; the first (layers mod pp) stages take one layer more.
  const int base = layers / plan.pp, extra = layers % plan.pp;
  g.layer_count = base + (g.coord.pp < extra ? 1 : 0);
  g.first_layer = g.coord.pp * base + std::min(g.coord.pp, extra);
  // Dense weights: replicated over dp and cp, so ZeRO's group is dp x cp (Megatron's dp-cp group).
  const int dense_group = plan.dp * plan.cp;
  const int dense_index = g.coord.dp * plan.cp + g.coord.cp;
  // Experts: replicated over the expert-data-parallel ranks and cp.
  const int expert_group = plan.dp * plan.tp / plan.ep * plan.cp;
  const int expert_index = g.coord.edp * plan.cp + g.coord.cp;

  auto dense = [&](TensorGroup group, int layer, double params) {
    ShardRef s;
    s.layer = layer;
    s.group = group;
    s.tp_shard = g.coord.tp;
    s.tp_shards = plan.tp;
    AddShards(g, plan.zero, s, params / plan.tp, dense_index, dense_group);
  };
  if (g.coord.pp == 0 && model.embedding_params > 0)
    dense(TensorGroup::kEmbedding, -1, model.embedding_params);  // vocab-parallel over tp
  for (int l = g.first_layer; l < g.first_layer + g.layer_count; ++l) {
    const LayerParams& lp = model.layers[static_cast<size_t>(l)];
    dense(TensorGroup::kLayerDense, l, lp.dense_params);
    if (lp.experts > 0) {
      ShardRef s;
      s.layer = l;
      s.group = TensorGroup::kLayerExperts;
      s.experts = lp.experts / plan.ep;
      s.first_expert = g.coord.ep * s.experts;
      AddShards(g, plan.zero, s, s.experts * lp.params_per_expert, expert_index, expert_group);
    }
  }
  if (g.coord.pp == plan.pp - 1 && model.unembedding_params > 0)
    dense(TensorGroup::kUnembedding, layers, model.unembedding_params);
  return g;
}

std::vector<GpuLayout> BuildTrainingLayout(const LayoutModel& model, const ParallelPlan& plan) {
  std::vector<GpuLayout> out;
  out.reserve(static_cast<size_t>(plan.Ranks()));
  for (int r = 0; r < plan.Ranks(); ++r) out.push_back(LayoutForRank(model, plan, r));
  return out;
}

double ZeroModelStateBytes(double params, int zero_stage, int dp_degree) {
  const double k = 12, nd = dp_degree, psi = params;
  switch (zero_stage) {
    case 0: return (2 + 2 + k) * psi;       // ZERO-F0
    case 1: return 4 * psi + k * psi / nd;  // ZERO-F1
    case 2: return 2 * psi + (2 + k) * psi / nd;  // ZERO-F2
    default: return (2 + 2 + k) * psi / nd;  // ZERO-F3
  }
}

// ---------------------------------------------------------------- ESTI feed-forward layouts

const char* FfnLayoutName(FfnLayout l) {
  switch (l) {
    case FfnLayout::k1DWeightStationary: return "1D weight-stationary";
    case FfnLayout::k2DWeightStationary: return "2D weight-stationary";
    case FfnLayout::kWeightGatheredX: return "X-weight-gathered";
    case FfnLayout::kWeightGatheredXY: return "XY-weight-gathered";
    case FfnLayout::kWeightGatheredXYZ: return "XYZ-weight-gathered";
  }
  return "?";
}

namespace {
double GatherChips(FfnLayout l, const FfnProblem& p) {
  switch (l) {
    case FfnLayout::kWeightGatheredX: return p.x;
    case FfnLayout::kWeightGatheredXY: return static_cast<double>(p.x) * p.y;
    case FfnLayout::kWeightGatheredXYZ: return static_cast<double>(p.Chips());
    default: return 0;
  }
}
}  // namespace

double FfnCommTime(FfnLayout layout, const FfnProblem& p) {
  const double bl = p.tokens, e = p.d_model, f = p.d_ff, n = p.Chips();
  const double bw = p.bytes_per_s / p.bytes_per_element;  // elements per second
  switch (layout) {
    case FfnLayout::k1DWeightStationary:
      return 2 * bl * e / bw;  // ESTI §3.2 (lecture.md §3.2): 2BLE/BW, independent of n
    case FfnLayout::k2DWeightStationary:
      // ESTI §3.2: (2BL/BW)(E/X + F/YZ) on the torus' own X and YZ.
      return 2 * bl / bw * (e / p.x + f / (static_cast<double>(p.y) * p.z));
    default: {
      const double gather = GatherChips(layout, p);
      // ESTI §3.2: 2EFN/(n BW) + 2BLE/(N BW), N chips gather the weights.
      return 2 * e * f * gather / (n * bw) + 2 * bl * e / (gather * bw);
    }
  }
}

double FfnComm2DOptimalS(const FfnProblem& p) {
  const double n = p.Chips(), e = p.d_model, f = p.d_ff;
  const double bw = p.bytes_per_s / p.bytes_per_element;
  const double x = std::sqrt(n * e / f);  // ESTI §3.2: X = sqrt(n E / F)
  return 2 * p.tokens / bw * (e / x + f / (n / x));
}

double FfnCommWeightGatheredOptimalS(const FfnProblem& p) {
  const double n = p.Chips(), e = p.d_model, f = p.d_ff;
  const double bw = p.bytes_per_s / p.bytes_per_element;
  return 4 * e * std::sqrt(p.tokens * f) / (std::sqrt(n) * bw);  // ESTI §3.2: 4E sqrt(BLF)/(sqrt(n) BW)
}

FfnLayoutChoice ChooseFfnLayout(const FfnProblem& p, const std::vector<FfnLayout>& allowed) {
  if (allowed.empty()) throw std::invalid_argument("ChooseFfnLayout: no layout allowed");
  FfnLayoutChoice out;
  // ESTI's rule as the lecture notes state it: compute every layout's time and take the minimum.
  for (FfnLayout l : allowed) out.costs.push_back({l, FfnCommTime(l, p), GatherChips(l, p)});
  out.best = *std::min_element(out.costs.begin(), out.costs.end(),
                               [](const FfnLayoutCost& a, const FfnLayoutCost& b) {
                                 return a.comm_s < b.comm_s ||
                                        (a.comm_s == b.comm_s && a.layout < b.layout);
                               });
  return out;
}

std::vector<WeightBlock> FfnWeightBlocks(FfnLayout layout, const FfnProblem& p) {
  std::vector<WeightBlock> out;
  const int n = p.Chips();
  for (int chip = 0; chip < n; ++chip) {
    WeightBlock b;
    b.chip = chip;
    if (layout == FfnLayout::k1DWeightStationary) {  // E F_xyz
      b.row0 = 0;
      b.row1 = p.d_model;
      b.col0 = p.d_ff * chip / n;
      b.col1 = p.d_ff * (chip + 1) / n;
    } else {  // E_x F_yz
      const int x = chip % p.x, yz = chip / p.x, ny = p.y * p.z;
      b.row0 = p.d_model * x / p.x;
      b.row1 = p.d_model * (x + 1) / p.x;
      b.col0 = p.d_ff * yz / ny;
      b.col1 = p.d_ff * (yz + 1) / ny;
    }
    out.push_back(b);
  }
  return out;
}

double MaxContextTokens(const KvCapacityProblem& p) {
  // ESTI §3.3 / lecture.md §3.2: KV bytes per token = 2 · layers · kv_heads · d_head · bytes.
  const double per_head_token = 2.0 * p.layers * p.head_dim * p.bytes_per_element;
  double heads_per_chip = 0, sequences_per_chip = 0;
  if (p.batch_sharded) {  // every chip holds all KV heads of batch/chips sequences
    heads_per_chip = p.kv_heads;
    sequences_per_chip = std::ceil(static_cast<double>(p.batch) / p.chips);
  } else {  // heads split over chips; with fewer heads than chips a head is replicated
    heads_per_chip = std::ceil(static_cast<double>(p.kv_heads) / p.chips);
    sequences_per_chip = p.batch;
  }
  const double budget_bytes = p.kv_fraction * p.hbm_bytes;
  return std::floor(budget_bytes / (per_head_token * heads_per_chip * sequences_per_chip));
}

// ---------------------------------------------------------------- traffic per training step

double DataParallelVolumeInParams(int zero_stage) {
  // ZeRO §7.2-7.3: baseline all-reduce 2Ψ (ZERO-C1); P_os+g reduce-scatter + all-gather 2Ψ
  // (ZERO-C2); P_os+g+p all-gather fwd + all-gather bwd + reduce-scatter 3Ψ (ZERO-C3).
  return zero_stage >= 3 ? 3.0 : 2.0;
}

const ParallelismTraffic* TrainingTraffic::Find(const std::string& name) const {
  for (const ParallelismTraffic& p : parts)
    if (p.name == name) return &p;
  return nullptr;
}

namespace {

// Racks spanned by a group of ranks, and members per rack (assumed equal).
struct GroupSpan {
  int members = 1, racks = 1, per_rack = 1;
};
GroupSpan SpanOf(const std::vector<int>& ranks, int chips_per_rack) {
  std::set<int> racks;
  for (int r : ranks) racks.insert(r / chips_per_rack);
  GroupSpan g;
  g.members = static_cast<int>(ranks.size());
  g.racks = static_cast<int>(racks.size());
  g.per_rack = std::max(1, g.members / g.racks);
  return g;
}

ClusterTopology GroupTopology(const ClusterTopology& t, const GroupSpan& g) {
  ClusterTopology out = t;
  out.racks = g.racks;
  out.gpus_per_rack = g.per_rack;
  return out;
}

}  // namespace

TrainingTraffic TrainingStepTraffic(const Scenario& s) {
  const ParallelPlan plan = PlanFromScenario(s);
  const ClusterTopology topo = TopologyFromScenario(s);
  const int rack = std::max(1, s.cluster.chips_per_rack);
  const Model& m = s.model;
  const Training& tr = s.training;
  const double act_bytes = 2;  // bf16 activations on the wire
  const double b = tr.micro_batch, seq = static_cast<double>(tr.seq_len) / plan.cp, h = m.d_model;
  const double t = plan.tp;
  const double micro_batches = static_cast<double>(tr.global_batch) / (plan.dp * tr.micro_batch);
  const LayoutModel lm = LayoutModelFromModel(m);
  ParallelPlan plan0 = plan;
  plan0.zero = 0;
  const GpuLayout g0 = LayoutForRank(lm, plan0, 0);
  const double layers_here = g0.layer_count;
  const double moe_layers_here = static_cast<double>(std::count_if(
      lm.layers.begin() + g0.first_layer, lm.layers.begin() + g0.first_layer + g0.layer_count,
      [](const LayerParams& l) { return l.experts > 0; }));
  const double params_here = g0.memory.weights_bytes / BytesPerParam(StateKind::kWeights);

  TrainingTraffic out;
  const ParamCount pc = CountParameters(m);
  const double chips = plan.Ranks();
  // Peak bf16: a roofline time axis (efficiency.compute is the serving engine's fraction, SCENARIO.md).
  const double flops_per_s = s.hardware.bf16_flops;
  // 6N FLOPs per token (KAP-3): forward 2N, backward 4N.
  const double tokens = static_cast<double>(tr.global_batch) * tr.seq_len;
  out.backward_compute_s = flops_per_s > 0 ? 4 * pc.active * tokens / chips / flops_per_s : 0;
  const double forward_compute_s = out.backward_compute_s / 2;

  auto group_of = [&](auto coord_fn, int size) {
    std::vector<int> ranks;
    for (int i = 0; i < size; ++i) ranks.push_back(coord_fn(i));
    return SpanOf(ranks, rack);
  };
  auto link_of = [](const GroupSpan& g) {
    return g.racks > 1 ? LinkClass::kScaleOut : LinkClass::kScaleUp;
  };

  // Data parallel / FSDP over dp x cp (the ranks holding the same weights). Time: the two-level
  // all-reduce when the group spans racks (lecture.md §2.2); reduce-scatter/all-gather are half of it.
  {
    const GroupSpan g = group_of([&](int i) { return RankOfCoord(plan, 0, i % plan.cp, i / plan.cp, 0); },
                                 plan.dp * plan.cp);
    const double grad_bytes = params_here * act_bytes;
    const double volume = DataParallelVolumeInParams(plan.zero);
    const double n = g.members;
    ParallelismTraffic p;
    p.name = plan.zero >= 3 ? "fsdp" : "dp";
    // ZERO-C1..C3: volume·Ψ, each element of a reduce-scatter/all-gather sent (n-1)/n times (§8.1).
    p.bytes_per_gpu = n > 1 ? volume * (n - 1) / n * grad_bytes : 0;
    const double all_reduce_s =
        n > 1 ? ClosedFormTime(CollectiveKind::kHierarchicalAllReduce, GroupTopology(topo, g), grad_bytes)
              : 0;
    p.comm_s = volume / 2 * all_reduce_s;
    p.link = link_of(g);
    // Overlap model: gradient buckets (one per layer) reduce during the backward pass; FSDP's
    // all-gathers are prefetched one layer ahead during forward and backward. Exposed: the last
    // bucket (and FSDP's first gather), or whatever does not fit in the compute it hides behind.
    // A bucket is one layer: an all-reduce (stages 0-1) or a reduce-scatter/all-gather (2-3).
    const double bucket_s =
        layers_here > 0 ? all_reduce_s / layers_here * (plan.zero >= 2 ? 0.5 : 1.0) : 0;
    const double window_s = plan.zero >= 3 ? out.backward_compute_s + forward_compute_s
                                           : out.backward_compute_s;
    const double buckets_exposed = plan.zero >= 3 ? 2 : 1;
    p.exposed_s = std::min(p.comm_s, std::max(buckets_exposed * bucket_s, p.comm_s - window_s));
    p.overlap = plan.zero >= 3
                    ? "all-gathers prefetched a layer ahead, gradient reduce-scatter during backward; "
                      "exposed: first gather + last bucket, or comm beyond compute"
                    : "gradient buckets reduce during backward; exposed: the last bucket, or comm "
                      "beyond backward compute";
    out.parts.push_back(p);
  }
  // Tensor parallel: MEG-F9, 8bsh(t-1)/t elements per layer per micro-batch (2 all-reduces forward,
  // 2 backward; sequence parallel swaps each for reduce-scatter + all-gather, same volume).
  {
    const GroupSpan g = group_of([&](int i) { return RankOfCoord(plan, i, 0, 0, 0); }, plan.tp);
    ParallelismTraffic p;
    p.name = "tp";
    p.link = link_of(g);
    const double per_layer = t > 1 ? 8 * b * seq * h * (t - 1) / t * act_bytes : 0;
    p.bytes_per_gpu = per_layer * layers_here * micro_batches;
    const LinkSpec& link = topo.Link(p.link);
    const double collectives = 4 * layers_here * micro_batches;
    p.comm_s = t > 1 ? p.bytes_per_gpu / link.bytes_per_s + collectives * 2 * (t - 1) * link.latency_s : 0;
    p.exposed_s = p.comm_s;  // on the critical path: each layer waits for its all-reduce
    p.overlap = "none: every layer's output waits for its all-reduce (critical path)";
    out.parts.push_back(p);
  }
  // Pipeline: MEG-F10, bsh per stage boundary per micro-batch (bsh/t with scatter/gather = sequence
  // parallel), forward activations and backward gradients.
  {
    ParallelismTraffic p;
    p.name = "pp";
    const bool crosses = plan.pp > 1 && RankOfCoord(plan, 0, 0, 0, 1) / rack != 0;
    p.link = crosses ? LinkClass::kScaleOut : LinkClass::kScaleUp;
    const double per_transfer = b * seq * h * act_bytes / (plan.sequence_parallel ? t : 1.0);
    const double transfers = plan.pp > 1 ? 2 * micro_batches : 0;
    p.bytes_per_gpu = per_transfer * transfers;
    const LinkSpec& link = topo.Link(p.link);
    const double one_s = per_transfer / link.bytes_per_s + link.latency_s;
    p.comm_s = transfers * one_s;
    // 1F1B: sends overlap other micro-batches' compute except during fill and drain, where
    // 2(p-1) transfers sit on the critical path.
    p.exposed_s = plan.pp > 1 ? std::min(p.comm_s, 2.0 * (plan.pp - 1) * one_s) : 0;
    p.overlap = "hidden behind other micro-batches except 2(p-1) transfers in fill and drain";
    out.parts.push_back(p);
  }
  // Expert parallel: dispatch + combine all-to-all per MoE layer, forward and backward (4 per layer
  // per micro-batch); each token goes to k experts, (ep-1)/ep of them on other ranks (lecture §1.8).
  {
    const GroupSpan g = group_of(
        [&](int f) { return RankOfCoord(plan, f % plan.tp, 0, f / plan.tp, 0); }, plan.ep);
    ParallelismTraffic p;
    p.name = "ep";
    p.link = link_of(g);
    const double tokens_here = b * seq / t;  // tokens routed by this rank (split over tp)
    const double send_bytes = tokens_here * std::max(1, m.experts_active) * h * act_bytes;
    const double e = plan.ep;
    const double a2a = plan.ep > 1 ? 4 * moe_layers_here * micro_batches : 0;
    p.bytes_per_gpu = a2a * send_bytes * (e - 1) / e;
    // One all-to-all: the in-rack share on scale-up, the rest on scale-out, concurrently
    // (nccl-tests §8.1 (n-1)/n factor split by destination).
    const double in_rack = (g.per_rack - 1.0) / e, out_rack = (e - g.per_rack) / e;
    double one_s = 0;
    if (plan.ep > 1) {
      one_s = topo.scaleup.latency_s + send_bytes * in_rack / topo.scaleup.bytes_per_s;
      if (out_rack > 0)
        one_s = std::max(one_s, topo.scaleout.latency_s + send_bytes * out_rack / topo.scaleout.bytes_per_s);
    }
    p.comm_s = a2a * one_s;
    p.exposed_s = p.comm_s;  // critical path unless overlapped with another micro-batch (DualPipe)
    p.overlap = "none: the experts wait for dispatch, the next layer for combine";
    out.parts.push_back(p);
  }
  // Context parallel (ring attention): each layer passes its KV chunk around the cp ring, cp-1 sends
  // forward and twice that backward (KV and dKV); KV split over tp by heads.
  {
    const GroupSpan g = group_of([&](int i) { return RankOfCoord(plan, 0, i, 0, 0); }, plan.cp);
    ParallelismTraffic p;
    p.name = "cp";
    p.link = link_of(g);
    const double kv_chunk = 2.0 * m.kv_heads * m.head_dim * b * seq * act_bytes / t;
    const double sends = plan.cp > 1 ? 3.0 * (plan.cp - 1) * layers_here * micro_batches : 0;
    p.bytes_per_gpu = sends * kv_chunk;
    const LinkSpec& link = topo.Link(p.link);
    p.comm_s = sends > 0 ? sends * (kv_chunk / link.bytes_per_s + link.latency_s) : 0;
    p.exposed_s = 0;  // ring attention computes on the chunk it holds while the next one arrives
    p.overlap = "hidden behind the attention of the chunk already held (assumed long enough)";
    out.parts.push_back(p);
  }
  for (const ParallelismTraffic& p : out.parts) out.exposed_s += p.exposed_s;
  return out;
}

}  // namespace blackboard
