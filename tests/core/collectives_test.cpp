// Collectives: simulated on real buffers, byte meters and times against the closed forms of
// nccl-tests PERFORMANCE.md (published-numbers §8.1) and the hierarchical all-reduce of lecture.md §2.2.
// Buffers hold small integers (r*1000 + i), so sums are exact in double: tests compare with ==.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "blackboard/collectives.hpp"

namespace blackboard {
namespace {

ClusterTopology Topo(int racks, int gpus, double up_lat_s = 0, double out_lat_s = 0) {
  // H100-like: 450 GB/s NVLink per direction, 50 GB/s NIC per GPU (published-numbers HW-H100).
  return ClusterTopology{racks, gpus, {450e9, up_lat_s}, {50e9, out_lat_s}};
}

std::vector<std::vector<double>> Inputs(int ranks, size_t len) {
  std::vector<std::vector<double>> b(static_cast<size_t>(ranks), std::vector<double>(len));
  for (int r = 0; r < ranks; ++r)
    for (size_t i = 0; i < len; ++i) b[static_cast<size_t>(r)][i] = r * 1000.0 + static_cast<double>(i);
  return b;
}

double SumOverRanks(int ranks, size_t i) {
  double s = 0;
  for (int r = 0; r < ranks; ++r) s += r * 1000.0 + static_cast<double>(i);
  return s;
}

void ExpectAllReduced(const CollectivePlan& plan, size_t len) {
  const int n = plan.topology.Ranks();
  const auto out = SimulateCollective(plan, Inputs(n, len));
  for (int r = 0; r < n; ++r)
    for (size_t i = 0; i < len; ++i)
      ASSERT_EQ(out[static_cast<size_t>(r)][i], SumOverRanks(n, i))
          << CollectiveName(plan.kind) << " rank " << r << " element " << i;
}

TEST(Collectives, EveryAllReduceSumsExactly) {
  for (int racks : {1, 2, 3}) {
    for (int gpus : {1, 2, 5, 8}) {
      const ClusterTopology t = Topo(racks, gpus);
      const size_t len = static_cast<size_t>(t.Ranks()) * 6;  // also non-divisible chunkings
      ExpectAllReduced(RingAllReduce(t, 1e6), len);
      ExpectAllReduced(TreeAllReduce(t, 1e6, 1), len + 1);
      ExpectAllReduced(TreeAllReduce(t, 1e6, 7), len + 3);
      ExpectAllReduced(HierarchicalAllReduce(t, 1e6), len);
      // The cross-rack baseline sums over the M peers of each local rank only.
      const auto out = SimulateCollective(CrossRackRingAllReduce(t, 1e6), Inputs(t.Ranks(), len));
      for (int r = 0; r < t.Ranks(); ++r)
        for (size_t i = 0; i < len; ++i) {
          double peers = 0;
          for (int m = 0; m < racks; ++m) peers += (m * gpus + r % gpus) * 1000.0 + static_cast<double>(i);
          ASSERT_EQ(out[static_cast<size_t>(r)][i], peers);
        }
    }
  }
  ExpectAllReduced(HierarchicalAllReduce(Topo(4, 72), 1e6), 72 * 4 * 2);
}

TEST(Collectives, ReduceScatterLeavesEachRankItsShardOfTheSum) {
  const ClusterTopology t = Topo(2, 4);
  const int n = t.Ranks();
  const size_t per = 3, len = per * static_cast<size_t>(n);
  const auto out = SimulateCollective(RingReduceScatter(t, 1e6), Inputs(n, len));
  for (int r = 0; r < n; ++r)
    for (size_t i = per * static_cast<size_t>(r); i < per * static_cast<size_t>(r + 1); ++i)
      EXPECT_EQ(out[static_cast<size_t>(r)][i], SumOverRanks(n, i));
}

TEST(Collectives, AllGatherConcatenates) {
  const ClusterTopology t = Topo(1, 8);
  const int n = t.Ranks();
  const size_t per = 4, len = per * static_cast<size_t>(n);
  std::vector<std::vector<double>> in(static_cast<size_t>(n), std::vector<double>(len, -1.0));
  for (int r = 0; r < n; ++r)
    for (size_t i = 0; i < per; ++i) in[static_cast<size_t>(r)][per * static_cast<size_t>(r) + i] = r * 1000.0 + static_cast<double>(i);
  const auto out = SimulateCollective(RingAllGather(t, 1e6), in);
  for (int r = 0; r < n; ++r)
    for (int owner = 0; owner < n; ++owner)
      for (size_t i = 0; i < per; ++i)
        EXPECT_EQ(out[static_cast<size_t>(r)][per * static_cast<size_t>(owner) + i], owner * 1000.0 + static_cast<double>(i));
}

TEST(Collectives, AllToAllDeliversChunkJOfRankIToRankJ) {
  const ClusterTopology t = Topo(2, 3);
  const int n = t.Ranks();
  const size_t per = 2, len = per * static_cast<size_t>(n);
  const auto out = SimulateCollective(AllToAll(t, 1e6), Inputs(n, len));
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j)
      for (size_t e = 0; e < per; ++e)  // chunk j of rank i lands as chunk i of rank j
        EXPECT_EQ(out[static_cast<size_t>(j)][per * static_cast<size_t>(i) + e],
                  i * 1000.0 + static_cast<double>(per * static_cast<size_t>(j) + e));
}

// nccl-tests §8.1 bus-bandwidth factors as bytes sent per rank: all-reduce 2(n-1)/n S,
// reduce-scatter and all-gather (n-1)/n S, all-to-all (n-1)/n S. Exact up to fp rounding (1e-12).
TEST(Collectives, BytesSentPerRankMatchBusBandwidthFactors) {
  const double s_bytes = 1e9;
  for (int gpus : {2, 8, 72}) {
    const ClusterTopology t = Topo(1, gpus);
    const double n = gpus;
    struct Case {
      CollectivePlan plan;
      double factor;
    } cases[] = {{RingAllReduce(t, s_bytes), 2 * (n - 1) / n},
                 {RingReduceScatter(t, s_bytes), (n - 1) / n},
                 {RingAllGather(t, s_bytes), (n - 1) / n},
                 {AllToAll(t, s_bytes), (n - 1) / n}};
    for (const Case& c : cases) {
      EXPECT_DOUBLE_EQ(c.factor, BusBandwidthFactor(c.plan.kind, gpus));
      for (const auto& rank : BytesSentPerRank(c.plan)) {
        EXPECT_NEAR(rank[0] + rank[1], c.factor * s_bytes, 1e-12 * s_bytes) << CollectiveName(c.plan.kind);
      }
    }
  }
}

// lecture.md §2.2: the hierarchical all-reduce sends 2(M-1)/M · S/n per GPU over scale-out, 1/n of
// the cross-rack ring each GPU would run without the in-rack stages. Against the single flat ring over
// all nM GPUs, the busiest GPU's scale-out bytes fall by (nM-1)/(M-1) >= n.
TEST(Collectives, HierarchicalScaleOutBytesAreOneNthOfFlat) {
  const double s_bytes = 1e9;
  for (int n : {8, 72}) {
    for (int m = 2; m <= 16; ++m) {
      const ClusterTopology t = Topo(m, n);
      const ByteMeter hier = BytesSentPerRank(HierarchicalAllReduce(t, s_bytes));
      const ByteMeter cross = BytesSentPerRank(CrossRackRingAllReduce(t, s_bytes));
      const double expected = 2.0 * (m - 1) / m * s_bytes / n;  // lecture.md §2.2 step 2
      for (int r = 0; r < t.Ranks(); ++r) {
        const double h = hier[static_cast<size_t>(r)][static_cast<size_t>(LinkClass::kScaleOut)];
        const double c = cross[static_cast<size_t>(r)][static_cast<size_t>(LinkClass::kScaleOut)];
        ASSERT_NEAR(h, expected, 1e-12 * s_bytes);
        ASSERT_NEAR(h, c / n, 1e-12 * s_bytes);
      }
      if (m <= 4) {  // the flat ring plan over 1152 ranks is large; a few sizes suffice
        const ByteMeter flat = BytesSentPerRank(RingAllReduce(t, s_bytes));
        const double flat_max = MaxBytesSent(flat, LinkClass::kScaleOut);
        EXPECT_NEAR(flat_max, 2.0 * (n * m - 1) / (n * m) * s_bytes, 1e-12 * s_bytes);
        EXPECT_NEAR(MaxBytesSent(hier, LinkClass::kScaleOut) / flat_max,
                    (m - 1.0) / (n * m - 1.0), 1e-12);
        EXPECT_LE(MaxBytesSent(hier, LinkClass::kScaleOut), flat_max / n);
      }
    }
  }
}

// With zero latency the step sums equal the nccl-tests ideal times (§8.1): all-reduce
// (S/B)·2(n-1)/n, reduce-scatter/all-gather S(n-1)/(nB). Relative 1e-12: fp summation only.
TEST(Collectives, TimesMatchNcclTestsFormulasAtZeroLatency) {
  const double s_bytes = 256e6;
  for (int n : {2, 8, 72}) {
    const ClusterTopology t = Topo(1, n);
    const double b = t.scaleup.bytes_per_s;
    const double ar_s = s_bytes / b * 2 * (n - 1) / n;
    const double rs_s = s_bytes * (n - 1) / (n * b);
    EXPECT_NEAR(CollectiveTime(RingAllReduce(t, s_bytes)), ar_s, 1e-12 * ar_s);
    EXPECT_NEAR(CollectiveTime(RingReduceScatter(t, s_bytes)), rs_s, 1e-12 * rs_s);
    EXPECT_NEAR(CollectiveTime(RingAllGather(t, s_bytes)), rs_s, 1e-12 * rs_s);
    EXPECT_NEAR(CollectiveTime(AllToAll(t, s_bytes)), rs_s, 1e-12 * rs_s);
    EXPECT_NEAR(ClosedFormTime(CollectiveKind::kRingAllReduce, t, s_bytes), ar_s, 1e-12 * ar_s);
  }
  // Hierarchical: 2·S(n-1)/(n B_up) + 2·(S/n)(M-1)/(M B_out) (lecture.md §2.2).
  for (int n : {8, 72}) {
    for (int m : {2, 4, 16}) {
      const ClusterTopology t = Topo(m, n);
      const double expected_s = 2 * s_bytes * (n - 1) / (n * t.scaleup.bytes_per_s) +
                                2 * (s_bytes / n) * (m - 1) / (m * t.scaleout.bytes_per_s);
      const CollectivePlan p = HierarchicalAllReduce(t, s_bytes);
      EXPECT_NEAR(CollectiveTime(p), expected_s, 1e-12 * expected_s);
      EXPECT_NEAR(ClosedFormTime(p.kind, t, s_bytes), expected_s, 1e-12 * expected_s);
    }
  }
}

// With latency the plan's step sum and the closed form agree term by term.
TEST(Collectives, LatencyTermsAgreeWithClosedForms) {
  const double s_bytes = 64e6;
  const ClusterTopology one_rack = Topo(1, 8, 2e-6, 5e-6);
  for (CollectiveKind k : {CollectiveKind::kRingAllReduce, CollectiveKind::kRingReduceScatter,
                           CollectiveKind::kRingAllGather, CollectiveKind::kAllToAll}) {
    const double plan_s = CollectiveTime(BuildCollective(k, one_rack, s_bytes));
    EXPECT_NEAR(plan_s, ClosedFormTime(k, one_rack, s_bytes), 1e-12 * plan_s) << CollectiveName(k);
  }
  const ClusterTopology racks = Topo(4, 8, 2e-6, 5e-6);
  for (CollectiveKind k : {CollectiveKind::kRingAllReduce, CollectiveKind::kHierarchicalAllReduce,
                           CollectiveKind::kCrossRackRingAllReduce, CollectiveKind::kAllToAll}) {
    const double plan_s = CollectiveTime(BuildCollective(k, racks, s_bytes));
    EXPECT_NEAR(plan_s, ClosedFormTime(k, racks, s_bytes), 1e-12 * plan_s) << CollectiveName(k);
  }
  // The 2(n-1) latencies: ring all-reduce of 0 bytes costs 14 alphas on 8 GPUs.
  EXPECT_NEAR(CollectiveTime(RingAllReduce(one_rack, 0)), 14 * 2e-6, 1e-18);
}

// Simple binary tree: C + 2D - 1 steps; with many pipeline chunks an inner node receives from two
// children and its parent at once, so the time tends to 3S/B (documented in collectives.hpp).
TEST(Collectives, TreeStepCountAndBandwidthTerm) {
  const ClusterTopology t = Topo(1, 8);
  const CollectivePlan p = TreeAllReduce(t, 1e9, 64);
  EXPECT_EQ(p.steps.size(), static_cast<size_t>(64 + 2 * 3 - 1));  // D = floor(log2 8) = 3
  const double three_s_over_b = 3 * 1e9 / t.scaleup.bytes_per_s;
  const double time_s = CollectiveTime(p);
  EXPECT_LT(time_s, three_s_over_b * (64.0 + 5) / 64);  // ramp steps cost at most a full step
  EXPECT_GT(time_s, three_s_over_b * 0.9);
}

TEST(Collectives, MeterGrowsStepByStep) {
  const CollectivePlan p = HierarchicalAllReduce(Topo(2, 8), 1e9);
  const ByteMeter half = MeterAfterStep(p, 7);  // after the in-rack reduce-scatter (n-1 = 7 steps)
  EXPECT_NEAR(half[0][0], 7.0 / 8 * 1e9, 1.0);
  EXPECT_EQ(half[0][1], 0.0);
  EXPECT_EQ(p.steps.size(), static_cast<size_t>(2 * 7 + 2 * 1));
}

}  // namespace
}  // namespace blackboard
