// Collectives as step-by-step transfers (see collectives.hpp).
//
// Index: ring builder (AppendRings) -> the plan builders -> alpha-beta timing and byte meters ->
// closed forms -> functional simulator.
#include "blackboard/collectives.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace blackboard {
namespace {

int Mod(int a, int n) { return ((a % n) + n) % n; }

// Which chunks piece j of ring q covers: {first chunk, chunk count}.
using PieceFn = std::pair<int, int> (*)(int ring, int piece, int arg);

enum class RingPass { kReduceScatter, kAllGather };

// Appends g-1 steps in which every ring (all of length g) runs one ring pass at the same time.
// Reduce-scatter: at step k member i sends piece (i-k-1) mod g to member i+1, which adds it, so
// member i ends with the sum of piece i. All-gather: member i sends piece (i-k) mod g (it starts
// with piece i). (Ring algorithms as in nccl-tests PERFORMANCE.md / published-numbers §8.1.)
void AppendRings(CollectivePlan& plan, const std::vector<std::vector<int>>& rings, RingPass pass,
                 const std::string& phase, PieceFn piece_fn, int arg) {
  if (rings.empty()) return;
  const int g = static_cast<int>(rings.front().size());
  if (g < 2) return;
  const double chunk_bytes = plan.bytes / plan.chunks;
  const int listed = plan.summary ? 1 : g - 1;  // a summary lists the pass's first step once
  for (int k = 0; k < listed; ++k) {
    CollectiveStep step;
    step.phase = phase;
    step.transfers.reserve(rings.size() * static_cast<size_t>(g));
    for (size_t q = 0; q < rings.size(); ++q) {
      const std::vector<int>& ring = rings[q];
      for (int i = 0; i < g; ++i) {
        const int piece = pass == RingPass::kReduceScatter ? Mod(i - k - 1, g) : Mod(i - k, g);
        const auto [chunk, count] = piece_fn(static_cast<int>(q), piece, arg);
        Transfer t;
        t.src_rank = ring[static_cast<size_t>(i)];
        t.dst_rank = ring[static_cast<size_t>(Mod(i + 1, g))];
        t.chunk = t.dst_chunk = chunk;
        t.chunk_count = count;
        t.bytes = chunk_bytes * count;
        t.link = plan.topology.Between(t.src_rank, t.dst_rank);
        t.op = pass == RingPass::kReduceScatter ? TransferOp::kReduce : TransferOp::kCopy;
        step.transfers.push_back(t);
      }
    }
    step.repeat = plan.summary ? g - 1 : 1;
    plan.steps.push_back(std::move(step));
  }
}

std::pair<int, int> OneChunk(int /*ring*/, int piece, int /*arg*/) { return {piece, 1}; }
// Hierarchical, in-rack phases: piece l = rack shard l = chunks [l*M, l*M + M).
std::pair<int, int> RackShard(int /*ring*/, int piece, int racks) { return {piece * racks, racks}; }
// Hierarchical, cross-rack phase: ring q (= local rank l) works on sub-chunk `piece` of shard l.
std::pair<int, int> ShardSubChunk(int ring, int piece, int racks) {
  return {ring * racks + piece, 1};
}

std::vector<std::vector<int>> FlatRing(const ClusterTopology& t) {
  std::vector<int> ring(static_cast<size_t>(t.Ranks()));
  for (int r = 0; r < t.Ranks(); ++r) ring[static_cast<size_t>(r)] = r;
  return {ring};
}
std::vector<std::vector<int>> InRackRings(const ClusterTopology& t) {
  std::vector<std::vector<int>> rings;
  for (int m = 0; m < t.racks; ++m) {
    std::vector<int> ring;
    for (int l = 0; l < t.gpus_per_rack; ++l) ring.push_back(m * t.gpus_per_rack + l);
    rings.push_back(ring);
  }
  return rings;
}
std::vector<std::vector<int>> CrossRackRings(const ClusterTopology& t) {
  std::vector<std::vector<int>> rings;
  for (int l = 0; l < t.gpus_per_rack; ++l) {
    std::vector<int> ring;
    for (int m = 0; m < t.racks; ++m) ring.push_back(m * t.gpus_per_rack + l);
    rings.push_back(ring);
  }
  return rings;
}

CollectivePlan NewPlan(CollectiveKind kind, const ClusterTopology& topo, double bytes, int chunks) {
  if (topo.racks < 1 || topo.gpus_per_rack < 1)
    throw std::invalid_argument("collective topology needs racks >= 1 and gpus_per_rack >= 1");
  if (!(bytes >= 0)) throw std::invalid_argument("collective bytes must be >= 0");
  CollectivePlan p;
  p.kind = kind;
  p.topology = topo;
  p.bytes = bytes;
  p.chunks = std::max(1, chunks);
  return p;
}

int FloorLog2(int x) {
  int d = 0;
  while (x > 1) {
    x /= 2;
    ++d;
  }
  return d;
}

}  // namespace

const char* LinkClassName(LinkClass c) {
  return c == LinkClass::kScaleUp ? "scale-up" : "scale-out";
}

const char* CollectiveName(CollectiveKind k) {
  switch (k) {
    case CollectiveKind::kRingReduceScatter: return "ring reduce-scatter";
    case CollectiveKind::kRingAllGather: return "ring all-gather";
    case CollectiveKind::kRingAllReduce: return "ring all-reduce";
    case CollectiveKind::kTreeAllReduce: return "tree all-reduce";
    case CollectiveKind::kHierarchicalAllReduce: return "hierarchical all-reduce";
    case CollectiveKind::kCrossRackRingAllReduce: return "cross-rack ring all-reduce";
    case CollectiveKind::kAllToAll: return "all-to-all";
  }
  return "?";
}

ClusterTopology TopologyFromScenario(const Scenario& s) {
  ClusterTopology t;
  t.racks = s.cluster.racks;
  t.gpus_per_rack = s.cluster.chips_per_rack;
  t.scaleup = {s.hardware.scaleup_bytes_per_s, s.hardware.scaleup_latency_s};
  t.scaleout = {s.hardware.scaleout_bytes_per_s, s.hardware.scaleout_latency_s};
  return t;
}

CollectivePlan RingReduceScatter(const ClusterTopology& topo, double bytes) {
  CollectivePlan p = NewPlan(CollectiveKind::kRingReduceScatter, topo, bytes, topo.Ranks());
  AppendRings(p, FlatRing(topo), RingPass::kReduceScatter, "reduce-scatter", OneChunk, 0);
  return p;
}

CollectivePlan RingAllGather(const ClusterTopology& topo, double bytes) {
  CollectivePlan p = NewPlan(CollectiveKind::kRingAllGather, topo, bytes, topo.Ranks());
  AppendRings(p, FlatRing(topo), RingPass::kAllGather, "all-gather", OneChunk, 0);
  return p;
}

CollectivePlan RingAllReduce(const ClusterTopology& topo, double bytes) {
  CollectivePlan p = NewPlan(CollectiveKind::kRingAllReduce, topo, bytes, topo.Ranks());
  AppendRings(p, FlatRing(topo), RingPass::kReduceScatter, "reduce-scatter", OneChunk, 0);
  AppendRings(p, FlatRing(topo), RingPass::kAllGather, "all-gather", OneChunk, 0);
  return p;
}

CollectivePlan TreeAllReduce(const ClusterTopology& topo, double bytes, int pipeline_chunks) {
  CollectivePlan p = NewPlan(CollectiveKind::kTreeAllReduce, topo, bytes, pipeline_chunks);
  const int n = topo.Ranks();
  if (n < 2) return p;
  const int c_count = p.chunks;
  const int depth_max = FloorLog2(n);  // depth of rank n-1 in the heap-ordered tree
  // Chunk c leaves depth d for the parent at step c + (D - d) (its children sent at the step
  // before), reaches the root complete after step c + D - 1, and goes down from depth d at step
  // c + D + d. Total C + 2D - 1 steps.
  p.steps.resize(static_cast<size_t>(c_count + 2 * depth_max - 1));
  for (size_t i = 0; i < p.steps.size(); ++i) p.steps[i].phase = "tree reduce + broadcast";
  const double chunk_bytes = bytes / c_count;
  for (int r = 0; r < n; ++r) {
    const int d = FloorLog2(r + 1);
    for (int c = 0; c < c_count; ++c) {
      if (r > 0) {
        const int parent = (r - 1) / 2;
        Transfer t{r, parent, c, c, 1, chunk_bytes, topo.Between(r, parent), TransferOp::kReduce};
        p.steps[static_cast<size_t>(c + depth_max - d)].transfers.push_back(t);
      }
      for (int child = 2 * r + 1; child <= 2 * r + 2 && child < n; ++child) {
        Transfer t{r, child, c, c, 1, chunk_bytes, topo.Between(r, child), TransferOp::kCopy};
        p.steps[static_cast<size_t>(c + depth_max + d)].transfers.push_back(t);
      }
    }
  }
  for (CollectiveStep& s : p.steps) {
    bool up = false, down = false;
    for (const Transfer& t : s.transfers) (t.op == TransferOp::kReduce ? up : down) = true;
    s.phase = up && down ? "reduce up + broadcast down" : (up ? "reduce up" : "broadcast down");
  }
  return p;
}

CollectivePlan HierarchicalAllReduce(const ClusterTopology& topo, double bytes, CollectiveDetail detail) {
  const int n = topo.gpus_per_rack, m = topo.racks;
  CollectivePlan p = NewPlan(CollectiveKind::kHierarchicalAllReduce, topo, bytes, n * m);
  p.summary = detail == CollectiveDetail::kSummary;
  const auto in_rack = InRackRings(topo);
  const auto cross = CrossRackRings(topo);
  AppendRings(p, in_rack, RingPass::kReduceScatter, "reduce-scatter in rack", RackShard, m);
  AppendRings(p, cross, RingPass::kReduceScatter, "cross-rack reduce-scatter", ShardSubChunk, m);
  AppendRings(p, cross, RingPass::kAllGather, "cross-rack all-gather", ShardSubChunk, m);
  AppendRings(p, in_rack, RingPass::kAllGather, "all-gather in rack", RackShard, m);
  return p;
}

CollectivePlan CrossRackRingAllReduce(const ClusterTopology& topo, double bytes, CollectiveDetail detail) {
  CollectivePlan p = NewPlan(CollectiveKind::kCrossRackRingAllReduce, topo, bytes, topo.racks);
  p.summary = detail == CollectiveDetail::kSummary;
  const auto cross = CrossRackRings(topo);
  AppendRings(p, cross, RingPass::kReduceScatter, "cross-rack reduce-scatter", OneChunk, 0);
  AppendRings(p, cross, RingPass::kAllGather, "cross-rack all-gather", OneChunk, 0);
  return p;
}

CollectivePlan AllToAll(const ClusterTopology& topo, double bytes) {
  const int n = topo.Ranks();
  CollectivePlan p = NewPlan(CollectiveKind::kAllToAll, topo, bytes, n);
  p.out_of_place = true;  // slot (i+k) is sent at step k but written at step n-k
  const double chunk_bytes = bytes / n;
  for (int k = 1; k < n; ++k) {
    CollectiveStep step;
    step.phase = "all-to-all shift " + std::to_string(k);
    for (int i = 0; i < n; ++i) {
      const int j = (i + k) % n;
      step.transfers.push_back(
          Transfer{i, j, j, i, 1, chunk_bytes, topo.Between(i, j), TransferOp::kCopy});
    }
    p.steps.push_back(std::move(step));
  }
  return p;
}

CollectivePlan BuildCollective(CollectiveKind kind, const ClusterTopology& topo, double bytes) {
  switch (kind) {
    case CollectiveKind::kRingReduceScatter: return RingReduceScatter(topo, bytes);
    case CollectiveKind::kRingAllGather: return RingAllGather(topo, bytes);
    case CollectiveKind::kRingAllReduce: return RingAllReduce(topo, bytes);
    case CollectiveKind::kTreeAllReduce: return TreeAllReduce(topo, bytes);
    case CollectiveKind::kHierarchicalAllReduce: return HierarchicalAllReduce(topo, bytes);
    case CollectiveKind::kCrossRackRingAllReduce: return CrossRackRingAllReduce(topo, bytes);
    case CollectiveKind::kAllToAll: return AllToAll(topo, bytes);
  }
  throw std::invalid_argument("unknown collective kind");
}

// ---- alpha-beta timing and meters ----

double StepTime(const CollectivePlan& plan, const CollectiveStep& step) {
  const size_t n = static_cast<size_t>(plan.topology.Ranks());
  // [class][egress | ingress][rank]
  std::vector<double> load(static_cast<size_t>(kLinkClasses) * 2 * n, 0.0);
  bool used[kLinkClasses] = {false, false};
  for (const Transfer& t : step.transfers) {
    const size_t c = static_cast<size_t>(t.link);
    used[c] = true;
    load[(c * 2 + 0) * n + static_cast<size_t>(t.src_rank)] += t.bytes;
    load[(c * 2 + 1) * n + static_cast<size_t>(t.dst_rank)] += t.bytes;
  }
  double time_s = 0;
  for (int c = 0; c < kLinkClasses; ++c) {
    if (!used[c]) continue;
    const auto begin = load.begin() + static_cast<std::ptrdiff_t>(static_cast<size_t>(c) * 2 * n);
    const double busiest_bytes = *std::max_element(begin, begin + static_cast<std::ptrdiff_t>(2 * n));
    const LinkSpec& link = plan.topology.Link(static_cast<LinkClass>(c));
    // Alpha-beta (Hockney) model: latency + bytes / bandwidth on the busiest link of the class.
    time_s = std::max(time_s, link.latency_s + busiest_bytes / link.bytes_per_s);
  }
  return time_s;
}

int StepCount(const CollectivePlan& plan) {
  int count = 0;
  for (const CollectiveStep& s : plan.steps) count += s.repeat;
  return count;
}

const CollectiveStep& StepAt(const CollectivePlan& plan, int k) {
  for (const CollectiveStep& s : plan.steps) {
    if (k < s.repeat) return s;
    k -= s.repeat;
  }
  throw std::out_of_range("StepAt: step index past the plan's steps");
}

std::vector<double> StepTimes(const CollectivePlan& plan) {
  std::vector<double> out;
  out.reserve(static_cast<size_t>(StepCount(plan)));
  for (const CollectiveStep& s : plan.steps) out.insert(out.end(), static_cast<size_t>(s.repeat), StepTime(plan, s));
  return out;
}

double CollectiveTime(const CollectivePlan& plan) {
  double sum_s = 0;
  for (const CollectiveStep& s : plan.steps) sum_s += s.repeat * StepTime(plan, s);
  return sum_s;
}

ByteMeter MeterAfterStep(const CollectivePlan& plan, int steps_done) {
  ByteMeter meter(static_cast<size_t>(plan.topology.Ranks()), std::array<double, kLinkClasses>{});
  int left = std::max(0, steps_done);
  for (size_t i = 0; i < plan.steps.size() && left > 0; ++i) {
    const int times = std::min(left, plan.steps[i].repeat);
    left -= times;
    for (const Transfer& t : plan.steps[i].transfers)
      meter[static_cast<size_t>(t.src_rank)][static_cast<size_t>(t.link)] += times * t.bytes;
  }
  return meter;
}

ByteMeter BytesSentPerRank(const CollectivePlan& plan) {
  return MeterAfterStep(plan, StepCount(plan));
}

double MaxBytesSent(const ByteMeter& meter, LinkClass link) {
  double m = 0;
  for (const auto& r : meter) m = std::max(m, r[static_cast<size_t>(link)]);
  return m;
}

// ---- closed forms ----

double BusBandwidthFactor(CollectiveKind kind, int ranks) {
  const double n = ranks;
  switch (kind) {
    case CollectiveKind::kRingAllReduce:
    case CollectiveKind::kTreeAllReduce:
    case CollectiveKind::kHierarchicalAllReduce:
    case CollectiveKind::kCrossRackRingAllReduce:
      return 2 * (n - 1) / n;  // nccl-tests PERFORMANCE.md AllReduce (published-numbers §8.1)
    case CollectiveKind::kRingReduceScatter:
    case CollectiveKind::kRingAllGather:
    case CollectiveKind::kAllToAll:
      return (n - 1) / n;  // nccl-tests PERFORMANCE.md ReduceScatter/AllGather/AlltoAll (§8.1)
  }
  return 1;
}

double ClosedFormTime(CollectiveKind kind, const ClusterTopology& topo, double bytes) {
  const double g = topo.Ranks();
  const double n = topo.gpus_per_rack, m = topo.racks;
  const LinkSpec& up = topo.scaleup;
  const LinkSpec& out = topo.scaleout;
  // One ring step of S/g bytes: every link class that the ring crosses is busy at once.
  auto flat_step_s = [&](double piece_bytes) {
    double t_s = n > 1 ? up.latency_s + piece_bytes / up.bytes_per_s : 0.0;
    if (m > 1) t_s = std::max(t_s, out.latency_s + piece_bytes / out.bytes_per_s);
    return t_s;
  };
  switch (kind) {
    case CollectiveKind::kRingAllReduce:
    case CollectiveKind::kTreeAllReduce:
      // nccl-tests §8.1: t = (S/B)·2(n-1)/n, plus 2(n-1) latencies (ring).
      return g < 2 ? 0.0 : 2 * (g - 1) * flat_step_s(bytes / g);
    case CollectiveKind::kRingReduceScatter:
    case CollectiveKind::kRingAllGather:
    case CollectiveKind::kAllToAll:
      // nccl-tests §8.1: t = S(n-1)/(nB), plus (n-1) latencies. All-to-all spanning racks: exact
      // when the scale-out term is the larger one (every shift step crosses racks).
      return g < 2 ? 0.0 : (g - 1) * flat_step_s(bytes / g);
    case CollectiveKind::kHierarchicalAllReduce:
      // lecture.md §2.2: 2·G(n-1)/(n W_up) in rack + 2·(G/n)(M-1)/(M W_out) across, with latencies.
      return 2 * (n - 1) * (n > 1 ? up.latency_s + bytes / (n * up.bytes_per_s) : 0.0) +
             2 * (m - 1) * (m > 1 ? out.latency_s + bytes / (n * m * out.bytes_per_s) : 0.0);
    case CollectiveKind::kCrossRackRingAllReduce:
      // nccl-tests §8.1 all-reduce over the M racks' ring, on scale-out.
      return m < 2 ? 0.0 : 2 * (m - 1) * (out.latency_s + bytes / (m * out.bytes_per_s));
  }
  return 0;
}

// ---- functional simulator ----

std::vector<std::vector<double>> SimulateCollective(const CollectivePlan& plan,
                                                    std::vector<std::vector<double>> buffers) {
  const size_t ranks = static_cast<size_t>(plan.topology.Ranks());
  if (buffers.size() != ranks)
    throw std::invalid_argument("SimulateCollective: need one buffer per rank");
  if (plan.summary) throw std::invalid_argument("SimulateCollective: a summary plan does not list every transfer");
  const size_t len = buffers.empty() ? 0 : buffers.front().size();
  for (const auto& b : buffers)
    if (b.size() != len) throw std::invalid_argument("SimulateCollective: buffers differ in length");
  const size_t chunks = static_cast<size_t>(plan.chunks);
  auto chunk_begin = [&](size_t c) { return c * len / chunks; };
  std::vector<std::vector<double>> payloads;
  const std::vector<std::vector<double>> input = plan.out_of_place ? buffers
                                                                   : std::vector<std::vector<double>>{};
  for (const CollectiveStep& step : plan.steps) {
    // Read every source first: the transfers of a step are simultaneous.
    payloads.resize(step.transfers.size());
    for (size_t i = 0; i < step.transfers.size(); ++i) {
      const Transfer& t = step.transfers[i];
      const size_t c0 = static_cast<size_t>(t.chunk), c1 = c0 + static_cast<size_t>(t.chunk_count);
      if (t.src_rank < 0 || static_cast<size_t>(t.src_rank) >= ranks || c1 > chunks)
        throw std::invalid_argument("SimulateCollective: transfer out of range");
      const auto& src = (plan.out_of_place ? input : buffers)[static_cast<size_t>(t.src_rank)];
      payloads[i].assign(src.begin() + static_cast<std::ptrdiff_t>(chunk_begin(c0)),
                         src.begin() + static_cast<std::ptrdiff_t>(chunk_begin(c1)));
    }
    for (size_t i = 0; i < step.transfers.size(); ++i) {
      const Transfer& t = step.transfers[i];
      const size_t d0 = static_cast<size_t>(t.dst_chunk);
      if (t.dst_rank < 0 || static_cast<size_t>(t.dst_rank) >= ranks ||
          d0 + static_cast<size_t>(t.chunk_count) > chunks ||
          chunk_begin(d0 + static_cast<size_t>(t.chunk_count)) - chunk_begin(d0) != payloads[i].size())
        throw std::invalid_argument("SimulateCollective: transfer destination out of range");
      auto& dst = buffers[static_cast<size_t>(t.dst_rank)];
      const size_t base = chunk_begin(d0);
      for (size_t e = 0; e < payloads[i].size(); ++e) {
        if (t.op == TransferOp::kReduce)
          dst[base + e] += payloads[i][e];
        else
          dst[base + e] = payloads[i][e];
      }
    }
  }
  return buffers;
}

}  // namespace blackboard
