// The pipeline boards (pipeline-training, pipeline-serving, memory): what they print agrees with the
// engine, blocks on a lane never overlap, the time cursor moves with the board's time, bad shapes
// are explained on the board instead of thrown, and pipeline-training morphs between two layouts.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>
#include <nlohmann/json.hpp>

#include "blackboard/activation.hpp"
#include "blackboard/training.hpp"
#include "blackboard/pipeline.hpp"
#include "blackboard/report.hpp"
#include "blackboard/serving.hpp"
#include "export/svg.hpp"
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

// The pipeline-training legend puts F, B, W, the all-reduce and the activations side by side: in
// every theme they must be told apart.
TEST(PipelineTrainingBoard, LegendColoursAreDistinctInEveryTheme) {
  for (const std::string name : {"blackboard", "print", "screen"}) {
    const Theme& th = GetTheme(name);
    const Color colours[] = {th.forward, th.backward, th.wgrad, th.network, th.memory_cap};
    for (size_t i = 0; i < std::size(colours); ++i)
      for (size_t j = i + 1; j < std::size(colours); ++j)
        EXPECT_NE(colours[i], colours[j]) << name << ": legend entries " << i << " and " << j << " share a colour";
  }
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
  ASSERT_EQ(ResolveTrainingDegrees(s).pp, 1);
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

TEST(MemoryBoard, PerLayerBytesFollowTheAttentionKernel) {
  // The default, fused (flash) attention: the engine's own shape and bytes, no s² term in the formula,
  // and the kernel and precision named in the subtitle.
  Scenario f = DefaultScenario();
  ASSERT_EQ(f.training.attention_kernel, "flash");
  for (const char* mode : {"none", "selective"}) {
    f.training.recompute = mode;
    const double per_layer = ActivationBytesPerLayer(TrainingActivationShape(f), ParseRecompute(mode));
    const Scene scene = Build("memory", f, 6);
    EXPECT_TRUE(HasText(scene, std::string("recompute ") + mode + ": " + FormatBytes(per_layer) + " per layer",
                        "formula"))
        << mode;
    EXPECT_TRUE(HasText(scene, "flash keeps no s×s scores", "formula")) << mode;
    EXPECT_FALSE(HasText(scene, "5·a·s", "formula")) << mode;
    EXPECT_TRUE(HasText(scene, "flash attention, " + f.training.math));
  }
}

TEST(MemoryBoard, PerLayerBytesAreKorthikanti) {
  Scenario s = DefaultScenario();
  s.training.attention_kernel = "materialized";  // Korthikanti Table 2 exactly
  for (const char* mode : {"none", "selective", "full"}) {
    s.training.recompute = mode;
    const ActivationShape shape{static_cast<double>(s.training.seq_len), static_cast<double>(s.training.micro_batch),
                                static_cast<double>(s.model.d_model), static_cast<double>(s.model.heads),
                                static_cast<double>(ResolveTrainingDegrees(s).tp), s.training.sequence_parallel};
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

// ---------------------------------------------------------------- morph (BoardContext::morph_from)
// Its ends are the two boards, matched blocks move in between, the others fade, nothing leaves the
// canvas, and the same inputs give the same scene.

// GPipe4x8 with another schedule: blocks wide enough that none are merged into strips.
Scenario Pipeline4x8(const std::string& schedule) {
  Scenario s = GPipe4x8();
  s.training.schedule = schedule;
  return s;
}

// At the end of the loop the cursor has passed every block: one rect per block, all solid.
constexpr double kEnd = kPipelineLoopS;

Scene Morph(const Scenario& from, const Scenario& to, double morph, double t = kEnd,
            const std::string& board = "pipeline-training") {
  const BoardInfo* b = FindBoard(board);
  EXPECT_NE(b, nullptr);
  BoardContext ctx{to, GetTheme("print"), t, 1600, 900};
  ctx.morph_from = &from;
  ctx.morph = morph;
  return BuildBoard(*b, ctx);
}

Scene Plain(const Scenario& s, double t = kEnd, const std::string& board = "pipeline-training") {
  return BuildBoard(*FindBoard(board), BoardContext{s, GetTheme("print"), t, 1600, 900});
}

std::vector<RectShape> Blocks(const Scene& s) {
  std::vector<RectShape> out;
  for (const Shape& sh : s.shapes)
    if (const auto* r = std::get_if<RectShape>(&sh))
      if (r->role == "block") out.push_back(*r);
  std::sort(out.begin(), out.end(), [](const RectShape& a, const RectShape& b) {
    return std::tuple{a.box.min.y, a.box.min.x, a.box.max.x} < std::tuple{b.box.min.y, b.box.min.x, b.box.max.x};
  });
  return out;
}

void ExpectSameBlocks(const Scene& got, const Scene& want, float tol, bool colours, const std::string& what) {
  const auto a = Blocks(got), b = Blocks(want);
  ASSERT_EQ(a.size(), b.size()) << what;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_NEAR(a[i].box.min.x, b[i].box.min.x, tol) << what << " block " << i;
    EXPECT_NEAR(a[i].box.max.x, b[i].box.max.x, tol) << what << " block " << i;
    EXPECT_NEAR(a[i].box.min.y, b[i].box.min.y, tol) << what << " block " << i;
    EXPECT_NEAR(a[i].box.max.y, b[i].box.max.y, tol) << what << " block " << i;
    if (colours) {
      EXPECT_EQ(a[i].fill, b[i].fill) << what << " block " << i;
    }
  }
}

TEST(PipelineMorph, EndsAreTheSourceAndTheTargetBoards) {
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"gpipe", "1f1b"}, {"1f1b", "zb-h1"}, {"zb-h2", "1f1b"}, {"1f1b", "interleaved"}, {"zb-h1", "dualpipe"}};
  for (const auto& [a, b] : pairs) {
    Scenario from = Pipeline4x8(a), to = Pipeline4x8(b);
    from.training.virtual_stages = to.training.virtual_stages = 2;
    const std::string what = a + " -> " + b;
    ExpectSameBlocks(Morph(from, to, 0), Plain(from), 0.0f, true, what + " at 0");
    ExpectSameBlocks(Morph(from, to, 1), Plain(to), 0.0f, true, what + " at 1");
    // Just short of the end the moving blocks are where the target has them (the fading ones are
    // almost opaque but drawn on their own, so only places are compared).
    ExpectSameBlocks(Morph(from, to, 1 - 1e-7), Plain(to), 0.01f, false, what + " near 1");
  }
}

// Full recompute lengthens every backward: the same blocks in the same order on each lane, later.
// Halfway each one lies between its two places, and some have moved.
TEST(PipelineMorph, MatchedBlocksLieBetweenTheirTwoPlaces) {
  Scenario from = Pipeline4x8("1f1b"), to = from;
  from.training.recompute = "none";
  to.training.recompute = "full";
  const auto a = Blocks(Morph(from, to, 0)), m = Blocks(Morph(from, to, 0.5)), b = Blocks(Morph(from, to, 1));
  ASSERT_EQ(a.size(), m.size());
  ASSERT_EQ(b.size(), m.size());
  ASSERT_EQ(a.size(), 4u * 8u * 2u);  // F and B (W fused) of 8 micro-batches on 4 stages
  int moved = 0;
  for (size_t i = 0; i < m.size(); ++i) {
    for (auto [lo, mid, hi] : {std::tuple{a[i].box.min.x, m[i].box.min.x, b[i].box.min.x},
                               std::tuple{a[i].box.max.x, m[i].box.max.x, b[i].box.max.x}}) {
      EXPECT_GE(mid, std::min(lo, hi) - 0.01f) << "block " << i;
      EXPECT_LE(mid, std::max(lo, hi) + 0.01f) << "block " << i;
      moved += std::abs(hi - lo) > 4 && std::abs(mid - lo) > 1 && std::abs(mid - hi) > 1;
    }
  }
  EXPECT_GT(moved, 20);
}

// 1F1B has no separate W: switching to ZB-H1 fades the W blocks in, switching back fades them out.
TEST(PipelineMorph, BlocksOfOneScheduleFade) {
  const Theme& th = GetTheme("print");
  const Scenario one = Pipeline4x8("1f1b"), zb = Pipeline4x8("zb-h1");
  auto w_alphas = [&](const Scene& s) {
    std::vector<int> out;
    for (const RectShape& r : Blocks(s))
      if (r.fill.r == th.wgrad.r && r.fill.g == th.wgrad.g && r.fill.b == th.wgrad.b) out.push_back(r.fill.a);
    return out;
  };
  EXPECT_TRUE(w_alphas(Morph(one, zb, 0)).empty());  // not yet there: not drawn at all
  const auto full = w_alphas(Plain(zb));
  ASSERT_EQ(full.size(), 4u * 8u);
  // smoothstep(0.25) = 0.15625, smoothstep(0.5) = 0.5, smoothstep(0.75) = 0.84375 of the opacity.
  for (auto [t, eased] : {std::pair{0.25, 0.15625}, std::pair{0.5, 0.5}, std::pair{0.75, 0.84375}}) {
    const auto in = w_alphas(Morph(one, zb, t)), out = w_alphas(Morph(zb, one, t));
    ASSERT_EQ(in.size(), full.size()) << t;
    ASSERT_EQ(out.size(), full.size()) << t;
    for (int a : in) EXPECT_NEAR(a, eased * full[0], 1.0) << "fade in at " << t;
    for (int a : out) EXPECT_NEAR(a, (1 - eased) * full[0], 1.0) << "fade out at " << t;
  }
  EXPECT_TRUE(w_alphas(Morph(zb, one, 1)).empty());
}

// The time axis stretches between the two extents, so the tail (all-reduce + optimizer) ends between
// the two boards' ends, and the readout already gives the target's numbers.
TEST(PipelineMorph, AxisAndTailMoveReadoutIsTheTargets) {
  Scenario from = Pipeline4x8("1f1b"), to = from;
  to.training.recompute = "full";
  auto tail_end = [](const Scene& s) {
    for (const Shape& sh : s.shapes)
      if (const auto* r = std::get_if<RectShape>(&sh))
        if (r->role == "optimizer") return r->box.max.x;
    ADD_FAILURE() << "no optimizer block";
    return 0.0f;
  };
  auto readout = [](const Scene& s) {
    for (const Shape& sh : s.shapes)
      if (const auto* t = std::get_if<TextShape>(&sh))
        if (t->role == "readout") return t->text;
    return std::string();
  };
  const float a = tail_end(Plain(from)), b = tail_end(Plain(to)), m = tail_end(Morph(from, to, 0.5));
  EXPECT_GE(m, std::min(a, b) - 0.01f);
  EXPECT_LE(m, std::max(a, b) + 0.01f);
  // The step's end is not the cursor's: the readout's "t = ..." is on the second line.
  EXPECT_EQ(readout(Morph(from, to, 0.5)), readout(Plain(to)));
  EXPECT_EQ(readout(Morph(from, to, 0)), readout(Plain(to)));
}

TEST(PipelineMorph, StaysOnTheCanvasWhateverChanges) {
  struct Case {
    std::string what;
    Scenario from, to;
  };
  std::vector<Case> cases;
  auto add = [&](const std::string& what, auto edit_from, auto edit_to) {
    Scenario a = Pipeline4x8("1f1b"), b = a;
    edit_from(a), edit_to(b);
    cases.push_back({what, a, b});
  };
  auto none = [](Scenario&) {};
  add("1f1b -> zb-h2", none, [](Scenario& s) { s.training.schedule = "zb-h2"; });
  add("4 -> 8 stages", none, [](Scenario& s) { s.cluster.racks = s.training.pp = 8; });
  add("8 -> 4 stages, gpipe", [](Scenario& s) { s.cluster.racks = s.training.pp = 8; },
      [](Scenario& s) { s.training.schedule = "gpipe"; });
  add("interleaved v 2 -> 4", [](Scenario& s) { s.training.schedule = "interleaved", s.training.virtual_stages = 2; },
      [](Scenario& s) { s.training.schedule = "interleaved", s.training.virtual_stages = 4; });
  add("8 -> 64 micro-batches", none, [](Scenario& s) { s.training.global_batch = 64; });
  add("the default (merged strips) -> zb-h1", [](Scenario& s) { s = DefaultScenario(); },
      [](Scenario& s) { s = DefaultScenario(), s.training.schedule = "zb-h1"; });
  // Nothing of a morph reaches past what the two boards draw themselves (their readout lines are
  // estimated wider than they render, so the canvas edge is not the bound for text) and the blocks
  // stay on the canvas.
  for (const Case& c : cases)
    for (double t : {1.3, kEnd}) {
      const Box a = Plain(c.from, t).Bounds(), z = Plain(c.to, t).Bounds();
      for (double morph : {0.0, 0.25, 0.5, 0.75}) {
        const Scene s = Morph(c.from, c.to, morph, t);
        const Box b = s.Bounds();
        const std::string at = c.what + " at " + std::to_string(morph) + ", t " + std::to_string(t);
        EXPECT_GE(b.min.x, std::min({a.min.x, z.min.x, 0.0f}) - 0.5f) << at;
        EXPECT_GE(b.min.y, std::min({a.min.y, z.min.y, 0.0f}) - 0.5f) << at;
        EXPECT_LE(b.max.x, std::max({a.max.x, z.max.x, s.width}) + 0.5f) << at;
        EXPECT_LE(b.max.y, std::max({a.max.y, z.max.y, s.height}) + 0.5f) << at;
        const auto blocks = Blocks(s);
        EXPECT_FALSE(blocks.empty()) << at;
        for (const RectShape& r : blocks) {
          EXPECT_GE(r.box.min.x, 0.0f) << at;
          EXPECT_LE(r.box.max.x, s.width) << at;
          EXPECT_GE(r.box.min.y, 0.0f) << at;
          EXPECT_LE(r.box.max.y, s.height) << at;
        }
        for (const Shape& sh : s.shapes) {
          if (const auto* t_shape = std::get_if<TextShape>(&sh)) {
            EXPECT_GE(t_shape->size, 12.0f) << at;
          }
        }
      }
    }
}

// 4 -> 8 stages: the four lanes shrink while the new ones grow from the bottom; no two lanes (block
// rows) overlap at any moment.
TEST(PipelineMorph, LanesNeverOverlapWhenTheStageCountChanges) {
  Scenario four = Pipeline4x8("1f1b"), eight = four;
  eight.cluster.racks = eight.training.pp = 8;
  for (auto [a, b] : {std::pair{&four, &eight}, std::pair{&eight, &four}})
    for (double morph : {0.1, 0.3, 0.5, 0.7, 0.9}) {
      std::map<std::pair<float, float>, int> rows;  // (top, bottom) of each lane's blocks
      for (const RectShape& r : Blocks(Morph(*a, *b, morph))) ++rows[{r.box.min.y, r.box.max.y}];
      EXPECT_EQ(rows.size(), 8u) << morph;
      float bottom = -1;
      for (const auto& [span, n] : rows) {
        EXPECT_GE(span.first, bottom - 0.01f) << "lanes overlap at " << morph;
        bottom = span.second;
      }
    }
}

// 1F1B -> ZB-H1: each W starts as its micro-batch's fused B (it splits off that B), so at the start
// of the morph every faint W block covers the same span as an orange one.
TEST(PipelineMorph, WeightGradientsSplitOffTheFusedBackward) {
  const Theme& th = GetTheme("print");
  const Scene s = Morph(Pipeline4x8("1f1b"), Pipeline4x8("zb-h1"), 0.02);
  std::vector<Box> w, b;
  for (const RectShape& r : Blocks(s)) {
    const Color rgb{r.fill.r, r.fill.g, r.fill.b, 255};
    if (rgb == Color{th.wgrad.r, th.wgrad.g, th.wgrad.b, 255}) w.push_back(r.box);
    if (rgb == Color{th.backward.r, th.backward.g, th.backward.b, 255}) b.push_back(r.box);
  }
  ASSERT_EQ(w.size(), 4u * 8u);
  for (const Box& x : w) {
    const bool under = std::any_of(b.begin(), b.end(), [&](const Box& y) {
      return y.min.y == x.min.y && std::abs(x.min.x - y.min.x) < 2 && std::abs(x.max.x - y.max.x) < 2;
    });
    EXPECT_TRUE(under) << x.min.x << ".." << x.max.x << " at y " << x.min.y;
  }
}

TEST(PipelineMorph, IsDeterministic) {
  const Scenario from = Pipeline4x8("gpipe"), to = Pipeline4x8("zb-h2");
  EXPECT_EQ(SceneToSvg(Morph(from, to, 0.4, 2.2)), SceneToSvg(Morph(from, to, 0.4, 2.2)));
  EXPECT_NE(SceneToSvg(Morph(from, to, 0.4, 2.2)), SceneToSvg(Morph(from, to, 0.6, 2.2)));
}

// A source the engine cannot run (DualPipe needs an even number of stages) has no layout to move
// from: the target is drawn as it is. Other boards ignore the morph.
TEST(PipelineMorph, UnrunnableSourceAndOtherBoardsDrawTheTarget) {
  Scenario bad = Pipeline4x8("dualpipe");
  bad.cluster.racks = bad.training.pp = 3;
  const Scenario to = Pipeline4x8("zb-h1");
  EXPECT_EQ(SceneToSvg(Morph(bad, to, 0.3)), SceneToSvg(Plain(to)));
  const Scenario other = Pipeline4x8("gpipe");
  for (const char* board : {"batch", "pipeline-serving", "memory"})
    EXPECT_EQ(SceneToSvg(Morph(other, to, 0.3, 1.0, board)), SceneToSvg(Plain(to, 1.0, board))) << board;
}

TEST(PipelineMorph, OnlyPipelineTrainingMorphs) {
  for (const BoardInfo& b : AllBoards()) EXPECT_EQ(b.morphs, b.name == "pipeline-training") << b.name;
}

}  // namespace
}  // namespace blackboard
