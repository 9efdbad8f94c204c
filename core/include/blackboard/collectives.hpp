// Collectives as step-by-step transfers, their alpha-beta times and a functional simulator.
//
// Use: describe the machine with `ClusterTopology topo{racks, gpus_per_rack, {up_Bps, up_lat_s},
// {out_Bps, out_lat_s}}` (or `TopologyFromScenario(s)`), then build a plan, e.g.
// `CollectivePlan p = HierarchicalAllReduce(topo, 1e9);`. A plan is a list of steps; each step is a
// list of transfers {src rank, dst rank, chunk range, bytes, link class, reduce or copy} that happen at
// the same time. `StepTimes(p)` gives each step's alpha-beta time (the board animates step k over
// that duration), `BytesSentPerRank(p)` / `MeterAfterStep(p, k)` the per-link-class byte meters, and
// `ClosedFormTime(kind, topo, bytes)` the nccl-tests formula to print beside it.
// Summary plans (CollectiveDetail::kSummary, for clusters of thousands of GPUs): each ring pass is one
// step with `repeat` = g-1 (its link loads are the same at every step, only the pieces rotate; the
// transfers listed are the pass's first step), so building and timing cost O(ranks) instead of
// O(ranks^2). Count and index steps with StepCount(p) / StepAt(p, k); times and meters are exact.
// `SimulateCollective(p, buffers)` applies the transfers to real numbers (one vector<double> per rank,
// each split into p.chunks equal chunks) so tests can check that an all-reduce really sums.
//
// Conventions. Ranks are numbered rack-major: rank = rack * gpus_per_rack + local. `bytes` is S, the
// size of the whole array on each rank (nccl-tests' S: for reduce-scatter the input size, for
// all-gather the output size, for all-to-all the send buffer). Within a step all transfers read the
// state at the start of the step (they are simultaneous). Postconditions:
//   ring reduce-scatter: rank r holds the sum of chunk r (p.chunks = n ranks);
//   ring all-gather:     input chunk r on rank r; afterwards every rank holds every chunk;
//   all-reduce (ring, tree, hierarchical): every rank holds the sum of all ranks' buffers;
//   cross-rack ring:     every rank holds the sum over its M peers (same local index, every rack);
//   all-to-all:          chunk j of rank i ends as chunk i of rank j (out of place, see below).
#pragma once

#include <array>
#include <string>
#include <vector>

#include "blackboard/scenario.hpp"

namespace blackboard {

enum class LinkClass { kScaleUp = 0, kScaleOut = 1 };
constexpr int kLinkClasses = 2;
const char* LinkClassName(LinkClass c);

enum class TransferOp { kCopy, kReduce };  // reduce = add into the destination chunk

struct LinkSpec {
  double bytes_per_s = 0;  // per GPU, per direction
  double latency_s = 0;    // per step that uses this link class (alpha)
};

struct ClusterTopology {
  int racks = 1;           // scale-up domains (M)
  int gpus_per_rack = 8;   // n (8 = an HGX node, 72 = an NVL72 rack)
  LinkSpec scaleup;
  LinkSpec scaleout;

  int Ranks() const { return racks * gpus_per_rack; }
  int RackOf(int rank) const { return rank / gpus_per_rack; }
  LinkClass Between(int a, int b) const {
    return RackOf(a) == RackOf(b) ? LinkClass::kScaleUp : LinkClass::kScaleOut;
  }
  const LinkSpec& Link(LinkClass c) const { return c == LinkClass::kScaleUp ? scaleup : scaleout; }
};

// hardware.scaleup/scaleout bytes/s and latencies, cluster.racks x cluster.chips_per_rack.
ClusterTopology TopologyFromScenario(const Scenario& s);

struct Transfer {
  int src_rank = 0;
  int dst_rank = 0;
  int chunk = 0;          // first chunk read on the source
  int dst_chunk = 0;      // first chunk written on the destination (== chunk except all-to-all)
  int chunk_count = 1;    // contiguous chunks moved
  double bytes = 0;
  LinkClass link = LinkClass::kScaleUp;
  TransferOp op = TransferOp::kCopy;
};

struct CollectiveStep {
  std::string phase;      // "reduce-scatter", "all-gather", "cross-rack all-reduce", ...
  std::vector<Transfer> transfers;
  int repeat = 1;         // summary plans: this step stands for `repeat` steps of equal link loads
};

// Every step listed (for the simulator, tests and small clusters), or one step per ring pass.
enum class CollectiveDetail { kEveryStep, kSummary };

enum class CollectiveKind {
  kRingReduceScatter,
  kRingAllGather,
  kRingAllReduce,          // flat ring over all ranks in rank order
  kTreeAllReduce,          // simple binary tree, pipelined (see TreeAllReduce)
  kHierarchicalAllReduce,  // RS in rack, n parallel cross-rack rings on 1/n shards, AG in rack
  kCrossRackRingAllReduce, // the non-hierarchical baseline: n parallel cross-rack rings on all S
  kAllToAll,
};
const char* CollectiveName(CollectiveKind k);

struct CollectivePlan {
  CollectiveKind kind = CollectiveKind::kRingAllReduce;
  ClusterTopology topology;
  double bytes = 0;       // S per rank
  int chunks = 1;         // each rank's buffer is split into this many equal chunks
  // Out of place (MPI sendbuf/recvbuf; all-to-all): transfers read the input buffers and write
  // output buffers that start as a copy of the input. In place: reads see earlier steps' writes.
  bool out_of_place = false;
  bool summary = false;   // CollectiveDetail::kSummary: ring passes listed once with a repeat count
  std::vector<CollectiveStep> steps;
};

// Ring over all ranks in rank order, n-1 steps of S/n bytes (nccl-tests PERFORMANCE.md, §8.1).
CollectivePlan RingReduceScatter(const ClusterTopology& topo, double bytes);
CollectivePlan RingAllGather(const ClusterTopology& topo, double bytes);
// Reduce-scatter then all-gather: 2(n-1) steps of S/n bytes.
CollectivePlan RingAllReduce(const ClusterTopology& topo, double bytes);
// Simple (single) binary tree in heap order (parent of r is (r-1)/2), the buffer cut into
// `pipeline_chunks` chunks; reduction up and broadcast down are pipelined and overlap. Not NCCL's
// double binary tree: an inner node receives from two children, so its bandwidth term tends to
// 3S/B rather than the ring's 2S(n-1)/n/B.
CollectivePlan TreeAllReduce(const ClusterTopology& topo, double bytes, int pipeline_chunks = 8);
// Two-level all-reduce (lecture.md §2.2): ring reduce-scatter inside each rack (n-1 steps), n
// parallel cross-rack ring all-reduces of the 1/n shards (2(M-1) steps), ring all-gather inside.
// Buffer chunks: n*M, chunk l*M + m is sub-chunk m of rack shard l.
CollectivePlan HierarchicalAllReduce(const ClusterTopology& topo, double bytes,
                                     CollectiveDetail detail = CollectiveDetail::kEveryStep);
// Baseline without the intra-rack stages: local rank l of every rack runs a ring all-reduce of its
// whole S with its M peers over scale-out (n rings at once), as when the GPUs of a rack hold
// different shards (TP) and only the racks are data-parallel. Each GPU sends 2(M-1)/M S over
// scale-out: n times the hierarchical all-reduce's 2(M-1)/M S/n.
CollectivePlan CrossRackRingAllReduce(const ClusterTopology& topo, double bytes,
                                      CollectiveDetail detail = CollectiveDetail::kEveryStep);
// Pairwise shifts: at step k (1..n-1) rank i sends its chunk (i+k) mod n to rank (i+k) mod n.
CollectivePlan AllToAll(const ClusterTopology& topo, double bytes);

CollectivePlan BuildCollective(CollectiveKind kind, const ClusterTopology& topo, double bytes);

// Alpha-beta time of a step: max over the link classes it uses of (latency + bytes on the busiest
// link of that class / bandwidth). A GPU's link in a class is its egress or ingress (per direction).
double StepTime(const CollectivePlan& plan, const CollectiveStep& step);
// Steps of the plan, a summary's repeats counted, and the step at index k of them (0 <= k < count).
int StepCount(const CollectivePlan& plan);
const CollectiveStep& StepAt(const CollectivePlan& plan, int k);
std::vector<double> StepTimes(const CollectivePlan& plan);
double CollectiveTime(const CollectivePlan& plan);  // sum of the steps

// Bytes sent by each rank over each link class: [rank][LinkClass].
using ByteMeter = std::vector<std::array<double, kLinkClasses>>;
ByteMeter BytesSentPerRank(const CollectivePlan& plan);
ByteMeter MeterAfterStep(const CollectivePlan& plan, int steps_done);  // first `steps_done` steps
double MaxBytesSent(const ByteMeter& meter, LinkClass link);           // busiest rank

// Closed-form times (nccl-tests PERFORMANCE.md, published-numbers §8.1) with per-step latency:
// all-reduce 2(n-1)(alpha + S/(nB)); reduce-scatter, all-gather, all-to-all (n-1)(alpha + S/(nB)).
// For a single rack B is the scale-up link; spanning racks, a flat ring is limited by scale-out.
// Hierarchical (lecture.md §2.2): 2(n-1)(a_up + S/(n B_up)) + 2(M-1)(a_out + S/(n M B_out)).
// Tree: not given (the plan's step sum is the number); returns the ring formula as nccl-tests does.
double ClosedFormTime(CollectiveKind kind, const ClusterTopology& topo, double bytes);
// Bus-bandwidth factor of nccl-tests: busbw = (S/t) * factor (2(n-1)/n, (n-1)/n, (n-1)/n).
double BusBandwidthFactor(CollectiveKind kind, int ranks);

// Applies every transfer to the buffers (one per rank, all the same length) and returns them.
// Throws std::invalid_argument if the buffer count or lengths do not fit the plan, or for a summary.
std::vector<std::vector<double>> SimulateCollective(const CollectivePlan& plan,
                                                    std::vector<std::vector<double>> buffers);

}  // namespace blackboard
