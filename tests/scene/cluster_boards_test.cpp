// The cluster boards (sharding, gradient-flow, collectives, moe-rack) show the engine's numbers.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "blackboard/collectives.hpp"
#include "blackboard/layout.hpp"
#include "blackboard/model.hpp"
#include "blackboard/moe_rack.hpp"
#include "blackboard/report.hpp"
#include "blackboard/training.hpp"
#include "scene/board.hpp"
#include "scene/theme.hpp"

namespace blackboard {
namespace {

Scenario With(const std::vector<std::string>& sets) {
  Scenario s = DefaultScenario();
  ApplySet(s, "training.global_batch=3456");  // divisible by every dp these tests reach
  for (const auto& kv : sets) ApplySet(s, kv);
  ValidateScenario(s, "test");
  return s;
}

Scene Build(const std::string& board, const Scenario& s, double t = 0.4) {
  const BoardInfo* b = FindBoard(board);
  EXPECT_NE(b, nullptr) << board;
  return b->build(BoardContext{s, GetTheme("blackboard"), t, 1600, 900});
}

std::vector<std::string> TextsWithRole(const Scene& s, const std::string& role) {
  std::vector<std::string> out;
  for (const Shape& sh : s.shapes)
    if (const auto* t = std::get_if<TextShape>(&sh); t && t->role == role) out.push_back(t->text);
  return out;
}

std::vector<Box> RectsWithRole(const Scene& s, const std::string& role) {
  std::vector<Box> out;
  for (const Shape& sh : s.shapes)
    if (const auto* r = std::get_if<RectShape>(&sh); r && r->role == role) out.push_back(r->box);
  return out;
}

void ExpectOnCanvas(const Scene& s, const std::string& what) {
  const Box b = s.Bounds();
  EXPECT_GE(b.min.x, -0.5f) << what;
  EXPECT_GE(b.min.y, -0.5f) << what;
  EXPECT_LE(b.max.x, s.width + 0.5f) << what;
  EXPECT_LE(b.max.y, s.height + 0.5f) << what;
  EXPECT_LT(s.shapes.size(), 5000u) << what;
  for (const Shape& sh : s.shapes)
    if (const auto* t = std::get_if<TextShape>(&sh)) {
      const Box tb = TextBounds(*t);
      EXPECT_TRUE(tb.min.x >= -0.5f && tb.max.x <= s.width + 0.5f && tb.max.y <= s.height + 0.5f)
          << what << ": text off the canvas: " << t->text;
    }
}

TEST(ShardingBoard, PerGpuBytesAreTheLayoutsForEveryZeroStage) {
  for (int zero = 0; zero <= 3; ++zero) {
    const Scenario s = With({"cluster.racks=2", "training.dp=0", "training.zero=" + std::to_string(zero)});
    const Scene scene = Build("sharding", s);
    const std::vector<std::string> texts = TextsWithRole(scene, "gpu-bytes");
    const ParallelPlan plan = PlanFromScenario(s);
    ASSERT_EQ(static_cast<int>(texts.size()), plan.Ranks()) << "zero " << zero;
    const LayoutModel lm = LayoutModelFromModel(s.model);
    for (int r = 0; r < plan.Ranks(); ++r)
      EXPECT_EQ(texts[static_cast<size_t>(r)], FormatBytes(LayoutForRank(lm, plan, r).memory.TotalBytes()))
          << "rank " << r << " zero " << zero;
  }
}

TEST(ShardingBoard, ZeroSplitAnimatesOverTheLoop) {
  // On B200 (180 GB) the unsharded 70B model state (141 GB) fits: no segment is cut at the HBM line.
  const Scenario s = With({"hardware=b200", "cluster.racks=2", "training.dp=0", "training.zero=1"});
  const auto opt_height = [&](double t) {
    return RectsWithRole(Build("sharding", s, t), "tile-optimizer").front().Height();
  };
  // At the loop start the optimizer segment is whole (as ZeRO-0); later it is 1/N_d as tall: its
  // height is its bytes.
  const float whole = opt_height(0.0), split = opt_height(3.0);
  EXPECT_NEAR(split * 2, whole, 1.0f);  // N_d = 2 (16 GPUs, tp 8)
  EXPECT_TRUE(RectsWithRole(Build("sharding", s, 3.0), "tile-overflow").empty());
  // Weights, gradients and optimizer state stand 2 : 2 : 12 (bf16 + Adam) before the split.
  const Scene whole_scene = Build("sharding", s, 0.0);
  const float w = RectsWithRole(whole_scene, "tile-weights").front().Height();
  EXPECT_NEAR(RectsWithRole(whole_scene, "tile-gradients").front().Height(), w, 1.0f);
  EXPECT_NEAR(whole / w, 6.0f, 0.2f);
}

TEST(ShardingBoard, WhatDoesNotFitIsDrawnPastTheHbmLine) {
  // 70B on H100 under ZeRO-0: 141 GB of model state per GPU against 80 GB.
  const Scenario s = With({"cluster.racks=2", "training.dp=0", "training.zero=0"});
  const Scene scene = Build("sharding", s, 3.0);
  EXPECT_FALSE(RectsWithRole(scene, "tile-overflow").empty());
  EXPECT_FALSE(TextsWithRole(scene, "tile-bytes").empty());  // GB written on the segments
}

TEST(ShardingBoard, LargeClustersStayReadableAndBounded) {
  for (const auto& sets : std::vector<std::vector<std::string>>{
           {"cluster.racks=16", "training.dp=0"},
           {"hardware=gb200-nvl72", "cluster.chips_per_rack=72", "training.dp=0"},
           {"hardware=gb200-nvl72", "cluster.racks=16", "cluster.chips_per_rack=72", "training.dp=0",
            "training.zero=3"}}) {
    const Scene scene = Build("sharding", With(sets));
    ExpectOnCanvas(scene, sets.back());
  }
}

TEST(CollectivesBoard, MeterAfterLastStepEqualsBytesSentPerRank) {
  const Scenario s = With({"cluster.racks=4", "training.dp=0"});
  const Scene scene = Build("collectives", s, 11.5);  // the hold at the end of the loop
  const ClusterTopology topo = TopologyFromScenario(s);
  const double S = CountParameters(s.model).total * 2 / ResolveTrainingDegrees(s).tp / ResolveTrainingDegrees(s).pp;
  const ByteMeter m = BytesSentPerRank(HierarchicalAllReduce(topo, S));
  double up = 0, out = 0;
  for (const auto& r : m) {
    up += r[0];
    out += r[1];
  }
  EXPECT_EQ(TextsWithRole(scene, "meter-scale-up"),
            std::vector<std::string>{FormatBytes(up) + " of " + FormatBytes(up)});
  EXPECT_EQ(TextsWithRole(scene, "meter-scale-out"),
            std::vector<std::string>{FormatBytes(out) + " of " + FormatBytes(out)});
}

TEST(CollectivesBoard, HierarchicalScaleOutBytesPerGpuAreOneNthOfFlat) {
  for (int n : {8, 72}) {
    const Scenario s = With({"hardware=" + std::string(n == 8 ? "h100-sxm" : "gb200-nvl72"), "cluster.racks=3",
                             "cluster.chips_per_rack=" + std::to_string(n), "training.dp=0"});
    const Scene scene = Build("collectives", s);
    const std::vector<Box> flat = RectsWithRole(scene, "flat-out"), hier = RectsWithRole(scene, "hier-out");
    ASSERT_EQ(flat.size(), 1u);
    ASSERT_EQ(hier.size(), 1u);
    EXPECT_NEAR(hier[0].Width() * static_cast<float>(n), flat[0].Width(), 0.01f * flat[0].Width()) << n;
    const ClusterTopology topo = TopologyFromScenario(s);
    const double S = CountParameters(s.model).total * 2 / ResolveTrainingDegrees(s).tp / ResolveTrainingDegrees(s).pp;
    const double h = MaxBytesSent(BytesSentPerRank(HierarchicalAllReduce(topo, S)), LinkClass::kScaleOut);
    const double f = MaxBytesSent(BytesSentPerRank(CrossRackRingAllReduce(topo, S)), LinkClass::kScaleOut);
    EXPECT_NEAR(h * n, f, 1e-9 * f);
    EXPECT_EQ(TextsWithRole(scene, "hier-out-text"), std::vector<std::string>{FormatBytes(h)});
  }
}

TEST(CollectivesBoard, EveryDoneWhenSizeRendersInBounds) {
  for (int racks : {1, 2, 16})
    for (int n : {8, 72}) {
      const Scenario s = With({"hardware=" + std::string(n == 8 ? "h100-sxm" : "gb200-nvl72"),
                               "cluster.racks=" + std::to_string(racks),
                               "cluster.chips_per_rack=" + std::to_string(n), "training.dp=0"});
      for (double t : {0.0, 1.3, 5.0, 9.7, 11.9}) ExpectOnCanvas(Build("collectives", s, t), "racks " + std::to_string(racks));
    }
}

TEST(MoeRackBoard, TimesAreTheEnginesForOneAndTwoRacks) {
  const Scenario s = With({"model=deepseek-v3", "hardware=gb200-nvl72", "cluster.chips_per_rack=72",
                           "serving.tp=1", "serving.ep=64", "serving.batch=4096", "training.dp=0"});
  const Scene scene = Build("moe-rack", s);
  const ClusterTopology topo = TopologyFromScenario(s);
  const MoeAllToAll one = MoeLayerAllToAll({4096, static_cast<double>(s.model.d_model), 2, s.model.experts_active, 64, 1}, topo);
  const MoeAllToAll two = MoeLayerAllToAll({4096, static_cast<double>(s.model.d_model), 2, s.model.experts_active, 64, 2}, topo);
  const auto t1 = TextsWithRole(scene, "time-one"), t2 = TextsWithRole(scene, "time-two");
  ASSERT_EQ(t1.size(), 1u);
  ASSERT_EQ(t2.size(), 1u);
  EXPECT_NE(t1[0].find(FormatSeconds(one.layer_s) + " per layer"), std::string::npos) << t1[0];
  EXPECT_NE(t2[0].find(FormatSeconds(two.layer_s) + " per layer"), std::string::npos) << t2[0];
  EXPECT_NE(t2[0].find(FormatBytes(two.scaleout_bytes)), std::string::npos) << t2[0];
  ExpectOnCanvas(scene, "moe-rack deepseek");
}

TEST(GradientFlowBoard, LanesShowTheEnginesSeconds) {
  for (int zero : {1, 3}) {
    const Scenario s = With({"cluster.racks=4", "training.dp=0", "training.zero=" + std::to_string(zero)});
    // The training engine's seconds (eval's training.comm_s.dp and breakdown_s.dp), not a peak-rate model.
    const TrainingReport r = EvaluateTraining(WithResolvedDegrees(s));
    const Scene scene = Build("gradient-flow", s);
    const auto subs = TextsWithRole(scene, "lane-sub");
    ASSERT_GE(subs.size(), 2u);
    EXPECT_EQ(subs[1], FormatSeconds(r.comm_dp_s) + ", exposed " + FormatSeconds(r.breakdown.dp_s));
    const auto step = TextsWithRole(scene, "step-time");
    ASSERT_EQ(step.size(), 1u);
    EXPECT_EQ(step[0].rfind("step " + FormatSeconds(r.step_s) + " = ", 0), 0u) << step[0];
    const auto labels = TextsWithRole(scene, "lane-label");
    EXPECT_EQ(labels[1], zero == 3 ? "FSDP" : "DP");
    ExpectOnCanvas(scene, "gradient-flow zero " + std::to_string(zero));
  }
}

}  // namespace
}  // namespace blackboard
