// The pipeline boards (pipeline-training, pipeline-serving, memory): what they print agrees with the
// engine, blocks on a lane never overlap, the time cursor moves with the board's time, and bad
// shapes are explained on the board instead of thrown.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "blackboard/activation.hpp"
#include "blackboard/pipeline.hpp"
#include "blackboard/report.hpp"
#include "blackboard/serving.hpp"
#include "scene/board.hpp"
#include "scene/boards/pipeline_common.hpp"
#include "scene/theme.hpp"

namespace blackboard {
namespace {

Scene Build(const std::string& board, const Scenario& s, double t, const std::string& theme = "print") {
  const BoardInfo* b = FindBoard(board);
  EXPECT_NE(b, nullptr) << board;
  return b->build(BoardContext{s, GetTheme(theme), t, 1600, 900});
}

std::vector<std::string> Texts(const Scene& s, const std::string& role = {}) {
  std::vector<std::string> out;
  for (const Shape& sh : s.shapes)
    if (const auto* t = std::get_if<TextShape>(&sh))
      if (role.empty() || t->role == role) out.push_back(t->text);
  return out;
}

bool HasText(const Scene& s, const std::string& needle, const std::string& role = {}) {
  for (const auto& t : Texts(s, role))
    if (t.find(needle) != std::string::npos) return true;
  return false;
}

std::vector<RectShape> Rects(const Scene& s, const std::string& role) {
  std::vector<RectShape> out;
  for (const Shape& sh : s.shapes)
    if (const auto* r = std::get_if<RectShape>(&sh))
      if (r->role == role) out.push_back(*r);
  return out;
}

// The first polyline with this role: its x (cursors are vertical lines).
float LineX(const Scene& s, const std::string& role) {
  for (const Shape& sh : s.shapes)
    if (const auto* p = std::get_if<PolylineShape>(&sh))
      if (p->role == role && !p->points.empty()) return p->points.front().x;
  ADD_FAILURE() << "no line with role " << role;
  return NAN;
}

std::string Percent(double f) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %%", 100 * f);
  return buf;
}

// GPipe, p = 4 racks, m = 8 micro-batches, nearly equal stages: no output layer on the last stage
// (vocab 0) and free hops, so the simulated bubble is the closed form 3/11 (PP-1) but for the
// embedding lookup on the first stage.
Scenario GPipe4x8() {
  Scenario s = DefaultScenario();
  s.cluster.racks = 4;
  s.training.pp = 4;
  s.training.dp = 1;
  s.training.global_batch = 8;
  s.training.micro_batch = 1;
  s.training.schedule = "gpipe";
  s.model.vocab = 0;
  s.hardware.scaleout_bytes_per_s = 1e30;
  s.hardware.scaleout_latency_s = 0;
  return s;
}

TEST(PipelineTrainingBoard, PrintsTheEnginesBubbleForGPipe4x8) {
  const Scenario s = GPipe4x8();
  const TrainingPipeline tp = MakeTrainingPipeline(s);
  ASSERT_EQ(tp.spec.stages, 4);
  ASSERT_EQ(tp.spec.micro_batches, 8);
  EXPECT_FALSE(tp.stages_defaulted);
  const PipelineSchedule engine = SimulateSchedule(tp.spec);
  EXPECT_NEAR(engine.bubble_fraction, 3.0 / 11.0, 2e-3);
  EXPECT_NEAR(engine.step_s, tp.report.step_s, 1e-9 * engine.step_s);  // the step `eval` reports
  const Scene scene = Build("pipeline-training", s, 6);
  EXPECT_TRUE(HasText(scene, "bubble " + Percent(engine.bubble_fraction) + " (simulated)", "readout"));
  EXPECT_TRUE(HasText(scene, "(p-1)/(m+p-1) = 3/11 = 27.3 %", "readout-formula"));
  EXPECT_TRUE(HasText(scene, "GPipe", "readout"));
  EXPECT_TRUE(HasText(scene, "step " + FormatSeconds(engine.step_s), "readout"));
}

TEST(PipelineTrainingBoard, ClosedFormsMatchThePublishedOnes) {
  PipelineSpec sp;
  sp.stages = 4;
  sp.micro_batches = 8;
  for (ScheduleKind k : {ScheduleKind::kGPipe, ScheduleKind::k1F1B}) {
    sp.schedule = k;
    EXPECT_NEAR(ClosedFormBubble(sp).fraction, 3.0 / 11.0, 1e-12);
  }
  sp.schedule = ScheduleKind::kInterleaved;
  sp.virtual_stages = 2;
  EXPECT_NEAR(ClosedFormBubble(sp).fraction, 3.0 / 19.0, 1e-12);  // (p-1)/(v m) of ideal
  sp.virtual_stages = 1;
  sp.schedule = ScheduleKind::kZbH1;  // (p-1)(F+B-W) = 3 with unit costs, busy 8 x 3
  EXPECT_NEAR(ClosedFormBubble(sp).fraction, 3.0 / 27.0, 1e-12);
  sp.schedule = ScheduleKind::kZbH2;
  EXPECT_NEAR(ClosedFormBubble(sp).fraction, 0.0, 1e-12);
}

// Blocks on one stage never overlap, at every cursor position (blocks split at the cursor touch).
TEST(PipelineTrainingBoard, BlocksOnALaneNeverOverlap) {
  for (const char* schedule : {"gpipe", "1f1b", "interleaved", "zb-h1", "zb-h2", "dualpipe", "dualpipe-v"}) {
    Scenario s = GPipe4x8();
    s.training.schedule = schedule;
    s.training.virtual_stages = 2;
    s.model.vocab = 128256;
    for (double t : {1.7, 6.0}) {
      const Scene scene = Build("pipeline-training", s, t);
      std::map<int, std::vector<Box>> lanes;
      for (const RectShape& r : Rects(scene, "block")) lanes[static_cast<int>(std::lround(r.box.min.y))].push_back(r.box);
      ASSERT_EQ(lanes.size(), 4u) << schedule;
      for (auto& [y, boxes] : lanes) {
        std::sort(boxes.begin(), boxes.end(), [](const Box& a, const Box& b) { return a.min.x < b.min.x; });
        for (size_t i = 1; i < boxes.size(); ++i)
          EXPECT_LE(boxes[i - 1].max.x, boxes[i].min.x + 0.01f) << schedule << " lane y " << y << " t " << t;
      }
    }
  }
}

TEST(PipelineTrainingBoard, CursorSweepsTheStep) {
  const Scenario s = GPipe4x8();
  const float x0 = LineX(Build("pipeline-training", s, 0), "cursor");
  const float x1 = LineX(Build("pipeline-training", s, 1.5), "cursor");
  const float x2 = LineX(Build("pipeline-training", s, 3.0), "cursor");
  const float x_end = LineX(Build("pipeline-training", s, 6.0), "cursor");
  EXPECT_LT(x0, x1);
  EXPECT_LT(x1, x2);
  EXPECT_LT(x2, x_end);
  // Blocks before the cursor are solid, after it faint: more solid blocks as time goes on.
  auto solid = [&](double t) {
    int n = 0;
    for (const RectShape& r : Rects(Build("pipeline-training", s, t), "block")) n += r.fill.a > 200;
    return n;
  };
  EXPECT_LT(solid(0.5), solid(3.0));
  EXPECT_EQ(solid(6.0), static_cast<int>(Rects(Build("pipeline-training", s, 6.0), "block").size()));
}

TEST(PipelineTrainingBoard, ShowsFourStagesWhenTheScenarioHasNoPipeline) {
  const Scenario s = DefaultScenario();
  ASSERT_EQ(s.training.pp, 1);
  const TrainingPipeline tp = MakeTrainingPipeline(s);
  EXPECT_TRUE(tp.stages_defaulted);
  EXPECT_EQ(tp.spec.stages, kDefaultPipelineStages);
  const Scene scene = Build("pipeline-training", s, 0.4);
  EXPECT_TRUE(HasText(scene, "pp = 1 in the scenario: showing 4 stages (raise racks, then stages)"));
  EXPECT_EQ(Texts(scene, "lane-label").size(), 4u);
}

TEST(PipelineTrainingBoard, ScheduleThatCannotRunIsExplained) {
  Scenario s = GPipe4x8();
  s.training.schedule = "dualpipe";
  s.training.global_batch = 6;  // DualPipe needs an even m >= 2p = 8
  const Scene scene = Build("pipeline-training", s, 0.4);
  EXPECT_TRUE(HasText(scene, "This step cannot run: dualpipe"));
  EXPECT_THROW(PipelineBoardTrace("pipeline-training", s), std::invalid_argument);
}

TEST(PipelineTrainingBoard, TailIsTheAllReduceAndOptimizer) {
  Scenario s = GPipe4x8();
  s.cluster.racks = 8;
  s.training.dp = 2;
  const TrainingPipeline tp = MakeTrainingPipeline(s);
  EXPECT_GT(tp.allreduce_s, 0);
  EXPECT_GT(tp.optimizer_s, 0);
  EXPECT_DOUBLE_EQ(tp.spec.tail_s, tp.allreduce_s + tp.optimizer_s);
  const Scene scene = Build("pipeline-training", s, 6);
  EXPECT_FALSE(Rects(scene, "allreduce").empty());
  EXPECT_FALSE(Rects(scene, "optimizer").empty());
}

TEST(PipelineTrainingBoard, TraceIsTheBoardsSchedule) {
  const Scenario s = GPipe4x8();
  const nlohmann::json trace = PipelineBoardTrace("pipeline-training", s);
  const PipelineSchedule sched = SimulateSchedule(MakeTrainingPipeline(s).spec);
  ASSERT_TRUE(trace.contains("traceEvents"));
  EXPECT_EQ(trace["otherData"]["schedule"], "gpipe");
  EXPECT_DOUBLE_EQ(trace["otherData"]["bubble_fraction"].get<double>(), sched.bubble_fraction);
}

// ---------------------------------------------------------------- pipeline-serving

Scenario Decode4Racks() {
  Scenario s = DefaultScenario();
  s.cluster.racks = 4;
  s.serving.pp = 4;
  s.serving.batch = 256;
  s.serving.hop_latency_s = 2e-3;
  return s;
}

TEST(PipelineServingBoard, ReadoutAgreesWithTheServingEngine) {
  const Scenario s = Decode4Racks();
  const ServingReport r = EvaluateServing(s);
  const DecodePipeline dp = MakeDecodePipeline(s);
  EXPECT_NEAR(dp.loop.token_latency_s, r.decode.step_s, 1e-12);
  EXPECT_NEAR(dp.memory.weights_bytes, r.memory.weights, 1e-3);
  EXPECT_NEAR(dp.memory.kv_bytes, r.memory.kv_cache, 1e-3);
  const Scene scene = Build("pipeline-serving", s, 2);
  EXPECT_TRUE(HasText(scene, "latency " + FormatSeconds(r.decode.step_s) + " = model", "readout"));
  EXPECT_TRUE(HasText(scene, "weights / chip " + FormatBytes(r.memory.weights), "readout"));
  EXPECT_TRUE(HasText(scene, "KV / chip " + FormatBytes(r.memory.kv_cache), "readout"));
  // The lecture's hop rule with its numbers: 2 x 1 x 20 layers x 50 GB/s / 450 GB/s.
  const double ratio = RackHopRatio(1, 20, s.hardware.scaleout_bytes_per_s, s.hardware.scaleup_bytes_per_s);
  char buf[32];
  std::snprintf(buf, sizeof buf, "= %.3g >= 1", ratio);
  EXPECT_TRUE(HasText(scene, buf, "readout")) << buf;
}

TEST(PipelineServingBoard, EveryRackRunsEveryMicroBatchWithHopsBetween) {
  const Scenario s = Decode4Racks();
  const Scene scene = Build("pipeline-serving", s, 6);
  EXPECT_EQ(Rects(scene, "block").size(), 4u * 4u * 3u);  // racks x micro-batches x tokens
  int hops = 0, wraps = 0;
  for (const Shape& sh : scene.shapes)
    if (const auto* a = std::get_if<ArrowShape>(&sh)) hops += a->role == "hop", wraps += a->role == "wrap";
  EXPECT_EQ(hops, 3 * 3);  // micro-batch 1, three tokens, three rack-to-rack hops each
  EXPECT_EQ(wraps, 2);     // back to rack 1 before tokens 2 and 3
  // One rack: no hops, and the board says how to get a pipeline.
  const Scene one = Build("pipeline-serving", DefaultScenario(), 1);
  EXPECT_TRUE(HasText(one, "serving.pp = 1: one rack, no hops"));
}

TEST(PipelineServingBoard, CursorMovesWithTime) {
  const Scenario s = Decode4Racks();
  EXPECT_LT(LineX(Build("pipeline-serving", s, 0.5), "cursor"), LineX(Build("pipeline-serving", s, 2.5), "cursor"));
}

// ---------------------------------------------------------------- memory

TEST(MemoryBoard, PerLayerBytesAreKorthikanti) {
  Scenario s = DefaultScenario();
  for (const char* mode : {"none", "selective", "full"}) {
    s.training.recompute = mode;
    const ActivationShape shape{static_cast<double>(s.training.seq_len), static_cast<double>(s.training.micro_batch),
                                static_cast<double>(s.model.d_model), static_cast<double>(s.model.heads),
                                static_cast<double>(s.training.tp), s.training.sequence_parallel};
    const double per_layer = ActivationBytesPerLayer(shape, ParseRecompute(mode));
    const Scene scene = Build("memory", s, 6);
    EXPECT_TRUE(HasText(scene, std::string("recompute ") + mode + ": " + FormatBytes(per_layer) + " per layer",
                        "formula"))
        << mode;
    // Every layer's stash is one block in the large panel and in each small panel that stashes.
    const int stashing_panels = 3 + 1;  // none, selective, full, plus the large copy of the selected one
    EXPECT_EQ(Rects(scene, "layer-stash").size(), static_cast<size_t>(stashing_panels * s.model.layers)) << mode;
  }
  s.training.sequence_parallel = true;
  s.training.recompute = "selective";
  EXPECT_TRUE(HasText(Build("memory", s, 1), "KOR-A5", "formula"));
  s.training.sequence_parallel = false;
  EXPECT_TRUE(HasText(Build("memory", s, 1), "KOR-A4", "formula"));
}

TEST(MemoryBoard, ReversibleRebuildsEveryLayerInReverse) {
  Scenario s = DefaultScenario();
  s.training.recompute = "reversible";
  const Scene scene = Build("memory", s, 6);
  // Stashes only in the small none, selective and full panels; the large reversible panel keeps none.
  EXPECT_EQ(Rects(scene, "layer-stash").size(), static_cast<size_t>(3 * s.model.layers));
  // Rebuilt blocks in the backward pass: one per layer in each of the large and the three small
  // panels that rebuild (selective, full, reversible).
  EXPECT_EQ(Rects(scene, "rebuilt").size(), static_cast<size_t>(4 * s.model.layers));
  EXPECT_TRUE(HasText(scene, "each input rebuilt from its output", "phase-label"));
  EXPECT_EQ(Rects(scene, "selected").size(), 1u);
  // The Feistel step and its inverse, drawn once.
  EXPECT_TRUE(HasText(scene, "x' = y + f(x)"));
  EXPECT_TRUE(HasText(scene, "y = x' − f(y')"));
}

TEST(MemoryBoard, CursorMovesWithTime) {
  const Scenario s = DefaultScenario();
  EXPECT_LT(LineX(Build("memory", s, 0.5), "cursor"), LineX(Build("memory", s, 2.5), "cursor"));
}

// The animated boards loop and say so; the GUI plays them.
TEST(PipelineBoards, AreAnimatedAndRegistered) {
  for (const char* name : {"pipeline-training", "pipeline-serving", "memory"}) {
    const BoardInfo* b = FindBoard(name);
    ASSERT_NE(b, nullptr) << name;
    EXPECT_DOUBLE_EQ(b->duration_s, kPipelineLoopS);
    EXPECT_FALSE(b->controls.empty());
  }
  EXPECT_EQ(LoopCursorSeconds(0, 2.0), 0.0);
  EXPECT_EQ(LoopCursorSeconds(kPipelineLoopS, 2.0), 2.0);
  EXPECT_NEAR(LoopCursorSeconds(0.45 * kPipelineLoopS, 2.0), 1.0, 1e-12);
}

}  // namespace
}  // namespace blackboard
