// Summary collective plans (CollectiveDetail::kSummary): the same times and
// byte meters as the plan that lists every step, at a cost linear in the ranks
// (issue 17: the collectives board at 2,048 and 16,384 racks).
#include <gtest/gtest.h>

#include "blackboard/collectives.hpp"

namespace blackboard {
namespace {

ClusterTopology Topo(int racks, int gpus_per_rack) {
  return ClusterTopology{racks, gpus_per_rack, {450e9, 2e-6}, {50e9, 10e-6}};
}

TEST(CollectiveSummary, SameTimesAndMetersAsEveryStep) {
  const ClusterTopology t = Topo(6, 4);
  for (const bool hierarchical : {true, false}) {
    const CollectivePlan full = hierarchical ? HierarchicalAllReduce(t, 1e9) : CrossRackRingAllReduce(t, 1e9);
    const CollectivePlan sum = hierarchical ? HierarchicalAllReduce(t, 1e9, CollectiveDetail::kSummary)
                                            : CrossRackRingAllReduce(t, 1e9, CollectiveDetail::kSummary);
    EXPECT_LT(sum.steps.size(), full.steps.size());
    ASSERT_EQ(StepCount(sum), StepCount(full));
    EXPECT_EQ(StepCount(full), static_cast<int>(full.steps.size()));
    EXPECT_DOUBLE_EQ(CollectiveTime(sum), CollectiveTime(full));
    const std::vector<double> a = StepTimes(sum), b = StepTimes(full);
    ASSERT_EQ(a.size(), b.size());
    for (size_t i = 0; i < a.size(); ++i) EXPECT_DOUBLE_EQ(a[i], b[i]) << i;
    for (int k = 0; k <= StepCount(full); ++k) {
      const ByteMeter ms = MeterAfterStep(sum, k), mf = MeterAfterStep(full, k);
      for (size_t r = 0; r < ms.size(); ++r)
        for (int c = 0; c < kLinkClasses; ++c)
          EXPECT_NEAR(ms[r][static_cast<size_t>(c)], mf[r][static_cast<size_t>(c)], 1e-3);
      if (k < StepCount(full)) {
        EXPECT_EQ(StepAt(sum, k).phase, StepAt(full, k).phase) << k;
      }
    }
    const ByteMeter total_sum = BytesSentPerRank(sum), total_full = BytesSentPerRank(full);
    EXPECT_NEAR(MaxBytesSent(total_sum, LinkClass::kScaleOut), MaxBytesSent(total_full, LinkClass::kScaleOut), 1e-3);
    EXPECT_THROW(SimulateCollective(sum, std::vector<std::vector<double>>(24, std::vector<double>(24, 1.0))),
                 std::invalid_argument);
  }
  EXPECT_THROW(StepAt(HierarchicalAllReduce(t, 1e9), 1000), std::out_of_range);
}

// 131,072 GPUs (16,384 racks of 8): a summary plan holds one step per ring
// pass, O(ranks) transfers.
TEST(CollectiveSummary, ScalesLinearlyToAHundredThousandGpus) {
  const ClusterTopology t = Topo(16384, 8);
  const CollectivePlan p = HierarchicalAllReduce(t, 140e9, CollectiveDetail::kSummary);
  EXPECT_EQ(p.steps.size(), 4u);
  size_t transfers = 0;
  for (const CollectiveStep& s : p.steps) transfers += s.transfers.size();
  EXPECT_EQ(transfers, 4u * 131072u);
  EXPECT_EQ(StepCount(p), 2 * 7 + 2 * 16383);
  EXPECT_NEAR(CollectiveTime(p), ClosedFormTime(p.kind, t, 140e9), 1e-9 * CollectiveTime(p));
}

}  // namespace
}  // namespace blackboard
