// Issue 16 part A: boards that have nothing to show draw a worked example and say so; the lecture
// lint names the steps that show nothing, do not fit or claim what the engine does not hold; every
// board's subtitle names the efficiency in force; the boards' headline figures are the engine's.
#include "scene/lecture_lint.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "blackboard/activation.hpp"
#include "blackboard/assets.hpp"
#include "blackboard/collectives.hpp"
#include "blackboard/layout.hpp"
#include "blackboard/lecture.hpp"
#include "blackboard/model.hpp"
#include "blackboard/moe_rack.hpp"
#include "blackboard/price_reading.hpp"
#include "blackboard/pricing.hpp"
#include "blackboard/report.hpp"
#include "blackboard/scaling.hpp"
#include "blackboard/search.hpp"
#include "blackboard/serving.hpp"
#include "blackboard/training.hpp"
#include "scene/board.hpp"
#include "scene/boards/pipeline_common.hpp"
#include "scene/text_format.hpp"
#include "scene/theme.hpp"

namespace blackboard {
namespace {

std::vector<std::string> BoardNames() {
  std::vector<std::string> names;
  for (const BoardInfo &b : AllBoards()) names.push_back(b.name);
  return names;
}

Lecture DefaultLecture() { return LoadLectureFile(AssetDir() + "/lectures/default.json", BoardNames()); }

Lecture OneStep(const nlohmann::json &step) {
  return LectureFromJson(nlohmann::json{{"steps", nlohmann::json::array({step})}}, "test.json", BoardNames());
}

std::string AllProblems(const std::vector<LintProblem> &problems) {
  std::string out;
  for (const LintProblem &p : problems) out += p.Text() + "\n";
  return out;
}

// Every text of a scene with the given role, joined by newlines.
std::string TextsWithRole(const Scene &s, const std::string &role) {
  std::string out;
  for (const Shape &shape : s.shapes)
    if (const auto *t = std::get_if<TextShape>(&shape); t && t->role == role) out += t->text + "\n";
  return out;
}

std::string AllText(const Scene &s) {
  std::string out;
  for (const Shape &shape : s.shapes)
    if (const auto *t = std::get_if<TextShape>(&shape)) out += t->text + "\n";
  return out;
}

Scene Build(const std::string &board, const Scenario &s, double time_s = 100) {
  const BoardInfo *b = FindBoard(board);
  EXPECT_NE(b, nullptr) << board;
  return BuildBoard(*b, BoardContext{s, GetTheme("blackboard"), time_s});
}

// ---------------------------------------------------------------- degenerate boards

TEST(DegenerateBoards, DefaultScenarioDrawsAWorkedExampleAndSaysSo) {
  const Scenario d = DefaultScenario();  // one rack of 8 H100, Llama 3 70B at tp 8: DP 1, P 1
  struct Case {
    const char *board;
    const char *reason;
    const char *example;
  };
  for (const Case &c : {Case{"sharding", "DP = 1", "worked example with DP 4"},
                        Case{"gradient-flow", "DP = 1", "worked example with DP 4"},
                        Case{"pipeline-serving", "P = 1", "worked example with P 4"},
                        Case{"collectives", "one rack", "worked example with 4 racks"}}) {
    const BoardInfo &b = *FindBoard(c.board);
    const auto why = DegenerateReason(b, d);
    ASSERT_TRUE(why.has_value()) << c.board;
    EXPECT_NE(why->find(c.reason), std::string::npos) << *why;
    std::string note;
    const Scenario drawn = ScenarioDrawn(b, d, &note);
    EXPECT_FALSE(DegenerateReason(b, drawn).has_value()) << c.board << ": the worked example is degenerate too";
    EXPECT_NE(note.find(c.example), std::string::npos) << note;
    EXPECT_NE(TextsWithRole(Build(c.board, d), "subtitle").find(c.example), std::string::npos) << c.board;
  }
  // The worked examples: 4 data-parallel replicas, 4 pipeline stages, 4 racks.
  EXPECT_EQ(PlanFromScenario(ScenarioDrawn(*FindBoard("sharding"), d)).dp, 4);
  EXPECT_EQ(ScenarioDrawn(*FindBoard("pipeline-serving"), d).serving.pp, 4);
  EXPECT_EQ(ScenarioDrawn(*FindBoard("collectives"), d).cluster.racks, 4);
}

TEST(DegenerateBoards, AScenarioWithSomethingToShowIsDrawnAsGiven) {
  Scenario s = DefaultScenario();
  s.cluster.racks = 2;  // DP 2 (auto), two racks
  for (const char *board : {"sharding", "gradient-flow", "collectives"}) {
    EXPECT_FALSE(DegenerateReason(*FindBoard(board), s).has_value()) << board;
    EXPECT_EQ(TextsWithRole(Build(board, s), "subtitle").find("worked example"), std::string::npos) << board;
  }
  // The ZeRO-1 and ZeRO-3 pictures differ once there is something to shard.
  s.training.zero = 1;
  const std::string zero1 = AllText(Build("sharding", s));
  s.training.zero = 3;
  EXPECT_NE(zero1, AllText(Build("sharding", s)));
}

// ---------------------------------------------------------------- efficiency in every subtitle

TEST(BoardSubtitles, EveryBoardNamesTheEfficiencyInForce) {
  Scenario calibrated = DefaultScenario();
  Scenario roofline = DefaultScenario();
  ApplySet(roofline, "efficiency=roofline", "test");
  EXPECT_EQ(EfficiencyInForce(calibrated), "calibrated public-v1");
  EXPECT_EQ(EfficiencyInForce(roofline), "pure roofline");
  for (const BoardInfo &b : AllBoards()) {
    EXPECT_NE(TextsWithRole(Build(b.name, calibrated), "subtitle").find("calibrated public-v1"), std::string::npos)
        << b.name;
    EXPECT_NE(TextsWithRole(Build(b.name, roofline), "subtitle").find("pure roofline"), std::string::npos) << b.name;
  }
}

// ---------------------------------------------------------------- lint

TEST(LectureLint, TheDefaultLectureIsClean) {
  const std::vector<LintProblem> problems = LintLecture(DefaultLecture());
  EXPECT_TRUE(problems.empty()) << AllProblems(problems);
}

TEST(LectureLint, ADataParallelOneZeroStepIsNamed) {
  const Lecture lec = OneStep({{"board", "sharding"}, {"title", "ZeRO-1"}, {"set", {{"training.zero", 1}}}});
  // (The default's training plan, 70B on one node of 8 H100, does not fit either: a second problem.)
  const std::vector<LintProblem> problems = LintLecture(lec);
  const auto dp1 = std::find_if(problems.begin(), problems.end(), [](const LintProblem &p) {
    return p.reason.find("DP = 1: nothing to shard") != std::string::npos;
  });
  ASSERT_NE(dp1, problems.end()) << AllProblems(problems);
  EXPECT_EQ(dp1->step, 1);
  EXPECT_EQ(dp1->title, "ZeRO-1");
  EXPECT_EQ(dp1->Text().rfind("step 1 \"ZeRO-1\": sharding has nothing to show", 0), 0u) << dp1->Text();
  // With four replicas (4 racks) there is something to shard, and ZeRO-1 fits.
  const Lecture four =
      OneStep({{"board", "sharding"}, {"title", "ZeRO-1"}, {"set", {{"training.zero", 1}, {"cluster.racks", 4}}}});
  EXPECT_TRUE(LintLecture(four).empty()) << AllProblems(LintLecture(four));
}

TEST(LectureLint, AnOverMemoryBatchStepIsNamedUnlessItsTitleSaysSo) {
  // Llama 3 70B on 8 H100 at 8K context: the KV of 1024 sequences is 2.7 TB, 340 GB per chip.
  const nlohmann::json set = {{"serving.batch", 1024}, {"serving.context", 8192}};
  const ServingReport r = EvaluateServing([&] {
    Scenario s = DefaultScenario();
    ApplySet(s, "serving.batch=1024", "test");
    ApplySet(s, "serving.context=8192", "test");
    return s;
  }());
  ASSERT_FALSE(r.fits);
  const std::vector<LintProblem> over =
      LintLecture(OneStep({{"board", "batch"}, {"title", "A big batch"}, {"set", set}}));
  ASSERT_EQ(over.size(), 1u) << AllProblems(over);
  EXPECT_NE(over[0].reason.find("does not fit in memory"), std::string::npos) << over[0].reason;
  EXPECT_NE(over[0].reason.find(FormatBytes(r.memory.total)), std::string::npos) << over[0].reason;
  // A title about not fitting makes it the point of the step; a title that says so of a point that
  // fits is a problem.
  EXPECT_TRUE(TitleIsAboutNotFitting("A batch that does not fit"));
  EXPECT_TRUE(LintLecture(OneStep({{"board", "batch"}, {"title", "A batch that does not fit"}, {"set", set}})).empty());
  const auto wrong = LintLecture(OneStep({{"board", "batch"}, {"title", "This does not fit"}}));
  ASSERT_EQ(wrong.size(), 1u);
  EXPECT_NE(wrong[0].reason.find("fits"), std::string::npos);
}

TEST(LectureLint, TitleClaimsAreChecked) {
  // "memory-bound" at batch 64 holds; at a batch far past the critical batch it does not.
  EXPECT_TRUE(LintLecture(OneStep({{"board", "roofline"},
                                   {"title", "decode is memory-bound"},
                                   {"set", {{"serving.batch", 64}, {"efficiency", "roofline"}}}}))
                  .empty());
  const auto compute =
      LintLecture(OneStep({{"board", "roofline"},
                           {"title", "decode is memory-bound"},
                           {"set", {{"serving.batch", 700}, {"serving.context", 128}, {"efficiency", "roofline"}}}}));
  ASSERT_EQ(compute.size(), 1u) << AllProblems(compute);
  EXPECT_NE(compute[0].reason.find("compute-bound"), std::string::npos) << compute[0].reason;
  // "no bubble" with 2 ms hops and a small batch: each rack waits on the hops.
  const auto bubble = LintLecture(OneStep({{"board", "pipeline-serving"},
                                           {"title", "decode loops with no bubble"},
                                           {"scenario", {{"cluster", {{"racks", 4}}}, {"serving", {{"pp", 4}}}}},
                                           {"set", {{"serving.batch", 16}, {"serving.hop_latency_s", 0.002}}}}));
  ASSERT_EQ(bubble.size(), 1u) << AllProblems(bubble);
  EXPECT_NE(bubble[0].reason.find("no bubble"), std::string::npos) << bubble[0].reason;
}

// ---------------------------------------------------------------- headline figures are eval's

// The scenarios the boards are held on: the default and every step of the default lecture.
std::vector<std::pair<std::string, Scenario>> HeldScenarios(const std::string &board) {
  std::vector<std::pair<std::string, Scenario>> out{{"default", DefaultScenario()}};
  const Lecture lec = DefaultLecture();
  for (size_t i = 0; i < lec.steps.size(); ++i)
    if (lec.steps[i].board == board) out.push_back({"step " + std::to_string(i + 1), lec.steps[i].scenario});
  return out;
}

TEST(HeadlineFigures, GradientFlowPrintsTheTrainingEnginesStep) {
  for (const auto &[name, s] : HeldScenarios("gradient-flow")) {
    const Scenario drawn = ScenarioDrawn(*FindBoard("gradient-flow"), s);
    const TrainingOutcome t = TryEvaluateTraining(drawn);
    ASSERT_TRUE(t.report) << name << ": " << t.reason;
    const std::string line = TextsWithRole(Build("gradient-flow", s), "step-time");
    EXPECT_EQ(line.rfind("step " + FormatSeconds(t.report->step_s) + " = ", 0), 0u) << name << ": " << line;
  }
}

TEST(HeadlineFigures, ShardingPrintsTheTrainingEnginesModelState) {
  for (const auto &[name, s] : HeldScenarios("sharding")) {
    const Scenario drawn = ScenarioDrawn(*FindBoard("sharding"), s);
    const TrainingOutcome t = TryEvaluateTraining(drawn);
    ASSERT_TRUE(t.report) << name << ": " << t.reason;
    const TrainingMemory &m = t.report->memory;
    const std::string legend = TextsWithRole(Build("sharding", s), "legend");
    // GPU 0's held weights, gradients and optimizer state, as eval reports them
    // per chip.
    for (double bytes : {m.weights_bytes, m.gradients_bytes, m.optimizer_bytes})
      EXPECT_NE(legend.find(FormatBytes(bytes) + "\n"), std::string::npos)
          << name << ": " << FormatBytes(bytes) << " in\n"
          << legend;
  }
}

TEST(HeadlineFigures, PipelineServingPrintsTheServingEnginesStep) {
  for (const auto &[name, s] : HeldScenarios("pipeline-serving")) {
    const Scenario drawn = ScenarioDrawn(*FindBoard("pipeline-serving"), s);
    const ServingReport r = EvaluateServing(drawn);
    const std::string readout = TextsWithRole(Build("pipeline-serving", s), "readout");
    EXPECT_NE(readout.find("latency " + FormatSeconds(r.decode.step_s)), std::string::npos) << name << ":\n" << readout;
    EXPECT_NE(readout.find("weights / chip " + FormatBytes(MakeDecodePipeline(drawn).memory.weights_bytes)),
              std::string::npos);
  }
}

TEST(HeadlineFigures, PipelineTrainingPrintsEvalsStep) {
  int held = 0;
  for (const auto& [name, s] : HeldScenarios("pipeline-training")) {
    const TrainingOutcome t = TryEvaluateTraining(WithResolvedDegrees(s));
    // Without a pipeline (pp 1, the default) the board draws its stand-in of 4 stages and says so.
    if (!t.report || t.report->pp < 2) continue;
    EXPECT_NE(AllText(Build("pipeline-training", s)).find("step " + FormatSeconds(t.report->step_s)), std::string::npos)
        << name;
    ++held;
  }
  EXPECT_GE(held, 3);  // the lecture's GPipe, 1F1B and zero-bubble steps
}

TEST(HeadlineFigures, BatchAndRooflinePrintTheServingEnginesStep) {
  for (const char* board : {"batch", "roofline"}) {
    int held = 0;
    for (const auto& [name, s] : HeldScenarios(board)) {
      const ServingReport r = EvaluateServing(WithResolvedDegrees(s));
      const std::string text = AllText(Build(board, s));
      const std::string want = std::string(board) == "batch" ? "step " + FormatSeconds(r.decode.step_s) + " ("
                                                             : "time       " + FormatSeconds(r.decode.step_s);
      EXPECT_NE(text.find(want), std::string::npos) << board << " " << name << ": " << want;
      ++held;
    }
    EXPECT_GE(held, 2) << board;  // the default and at least one lecture step
  }
}


// ---------------------------------------------------------------- the other eight boards

// Dollars as the context, cache and serving-queue boards print them (three significant figures).
std::string Usd3(double usd) {
  if (usd >= 1e6) return Fmt("$%.0fM", usd / 1e6);
  if (usd >= 1e4) return Fmt("$%.0fK", usd / 1e3);
  if (usd >= 100) return Fmt("$%.0f", usd);
  return Fmt("$%.3g", usd);
}

bool Has(const std::string &text, const std::string &want) { return text.find(want) != std::string::npos; }

TEST(HeadlineFigures, MemoryPrintsTheEnginesActivationPeak) {
  for (const auto &[name, s] : HeldScenarios("memory")) {
    const Scenario drawn = ScenarioDrawn(*FindBoard("memory"), s);
    const Training tr = ResolveTrainingDegrees(drawn);
    const int pp = std::max(1, tr.pp);
    const int layers = (drawn.model.layers + pp - 1) / pp;
    const ActivationShape shape = TrainingActivationShape(drawn);
    const Recompute mode = ParseRecompute(tr.recompute);
    const double stash = StashBytesPerMicroBatch(shape, mode, layers);
    const double peak = stash + RecomputeWorkingBytes(shape, mode);
    const std::string peaks = TextsWithRole(Build("memory", s), "mode-peak");
    EXPECT_TRUE(Has(peaks, "peak " + FormatBytes(peak) + "\n")) << name << ": " << FormatBytes(peak) << " in\n" << peaks;
    // Without a pipeline one micro-batch is in flight: the engine's activations are that stash.
    const TrainingOutcome t = TryEvaluateTraining(drawn);
    ASSERT_TRUE(t.report) << name << ": " << t.reason;
    if (pp == 1) {
      EXPECT_EQ(FormatBytes(t.report->memory.activations_bytes), FormatBytes(stash)) << name;
    }
  }
}

TEST(HeadlineFigures, BudgetPrintsTheEnginesOverTrainingFactor) {
  for (const auto &[name, s] : HeldScenarios("budget")) {
    const Budget &bu = s.budget;
    ComputeBudgetInput in;  // lecture §1.10 with the scenario's budget section (30-day months)
    in.active_params = CountParameters(s.model).active;
    in.inference_tokens_per_s = bu.tokens_per_s;
    in.deployment_s = bu.months * 30 * 86400.0;
    in.inference_inefficiency = bu.inference_inefficiency;
    in.rl_tokens = bu.tokens_per_s * in.deployment_s * bu.rl_tokens_ratio;
    in.rl_flops_per_param = bu.rl_flops_per_param;
    in.rl_inefficiency = bu.inference_inefficiency;
    const double factor = BalanceCompute(in).overtraining_factor;
    const std::string want = (factor >= 10 ? Fmt("%.0fx", factor) : Fmt("%.1fx", factor)) + " over-trained\n";
    EXPECT_EQ(TextsWithRole(Build("budget", s), "overtraining"), want) << name;
  }
}

TEST(HeadlineFigures, ContextPrintsTheEnginesCostAndKink) {
  for (const auto &[name, s] : HeldScenarios("context")) {
    const ContextCostInputs in = ContextCostInputsFromScenario(s);
    const ContextCostPoint here = ContextCostAt(in, s.serving.context);
    const Scene scene = Build("context", s);
    EXPECT_EQ(TextsWithRole(scene, "you-are-here"),
              "ctx " + FormatCount(s.serving.context) + ": " + Usd3(here.usd_per_token * 1e6) + "/M\n")
        << name;
    // The engine's kink (or why there is none) at the scenario's batch.
    const ContextKink kink = ContextKinkOf(in);
    std::string want;
    switch (kink.kind) {
      case ContextKink::Kind::kAt:
        want = "engine kink at B = " + Grouped(in.batch) + ": " + FormatCount(kink.context_tokens) + " tokens";
        break;
      case ContextKink::Kind::kMemoryBoundEverywhere:
        want = "B = " + Grouped(in.batch) + ": memory-bound at every context";
        break;
      case ContextKink::Kind::kComputeBoundEverywhere: want = "compute-bound at every context"; break;
      default: want = "compute overtakes memory at " + FormatCount(kink.context_tokens) + " tokens";
    }
    const std::string note = TextsWithRole(scene, "kink-note");
    EXPECT_EQ(note.rfind(want, 0), 0u) << name << ": " << want << " in\n" << note;
  }
}

TEST(HeadlineFigures, CachePrintsTheEnginesDrainTimesAndCheapestHolds) {
  for (const auto &[name, s] : HeldScenarios("cache")) {
    TierSet set = LoadTierSet("lecture");
    for (StorageTier &t : set.tiers)
      if (t.name == "hbm") t = HbmTierFromHardware(s.hardware);
    const TierWorkload w = TierWorkloadFromScenario(s);
    const std::string panel = TextsWithRole(Build("cache", s), "tiers-panel");
    for (const StorageTier &t : set.tiers) {
      if (t.remat) continue;
      EXPECT_TRUE(Has(panel, FormatSeconds(t.DrainS()) + "\n")) << name << " " << t.name;
    }
    const double tokens = s.serving.context;
    // The cache board prints dollars under a tenth of a cent in scientific notation.
    auto usd = [](double v) { return v < 1e-3 ? Fmt("$%.2e", v) : Usd3(v); };
    const std::string kept = "kept 5 min " + usd(CheapestTier(set.tiers, w, 300).total_usd_per_token * tokens) +
                             ", kept 1 h " + usd(CheapestTier(set.tiers, w, 3600).total_usd_per_token * tokens);
    EXPECT_TRUE(Has(panel, kept)) << name << ": " << kept << " in\n" << panel;
  }
}

TEST(HeadlineFigures, ServingQueuePrintsTheBatchBoardsStepAndTheEnginesTpot) {
  for (const auto &[name, s] : HeldScenarios("serving-queue")) {
    const ServingReport r = EvaluateServing(s);
    const std::string text = AllText(Build("serving-queue", s));
    // The train's period is the decode step the batch board prints at the same batch.
    EXPECT_TRUE(Has(text, "as on the batch board: " + FormatSeconds(r.decode.step_s) + " ")) << name;
    EXPECT_TRUE(Has(AllText(Build("batch", s)), "step " + FormatSeconds(r.decode.step_s) + " (")) << name;
    EXPECT_TRUE(Has(text, "(TPOT) is " + FormatSeconds(r.tpot_s) + ";")) << name;
    const TrainClosedForm cf = TrainClosedFormOf(TrainQueueFromScenario(s, 1, 1));
    EXPECT_TRUE(Has(text, "mean, T/2 + T     " + FormatSeconds(cf.mean_latency_s) + "\n")) << name;
    EXPECT_TRUE(Has(text, "worst, T + T = 2T " + FormatSeconds(cf.worst_latency_s) + "\n")) << name;
  }
}

TEST(HeadlineFigures, CollectivesPrintsTheEnginesAllReduceTime) {
  for (const auto &[name, s] : HeldScenarios("collectives")) {
    const Scenario drawn = ScenarioDrawn(*FindBoard("collectives"), s);
    const ClusterTopology topo = TopologyFromScenario(drawn);
    const Training tr = ResolveTrainingDegrees(drawn);
    const double bytes = CountParameters(drawn.model).total * 2 / std::max(1, tr.tp) / std::max(1, tr.pp);
    const CollectivePlan plan = topo.racks > 1 ? HierarchicalAllReduce(topo, bytes) : RingAllReduce(topo, bytes);
    const std::string total = TextsWithRole(Build("collectives", s), "total-time");
    EXPECT_NE(total.find(" step times = " + FormatSeconds(CollectiveTime(plan)) + "\n"), std::string::npos)
        << name << ": " << FormatSeconds(CollectiveTime(plan)) << " in " << total;
  }
}

TEST(HeadlineFigures, MoeRackPrintsTheEnginesDispatchAndCombine) {
  int held = 0;
  for (const auto &[name, s] : HeldScenarios("moe-rack")) {
    // A dense model (the default) draws a DeepSeek-V3-like layer of the board's own: no engine figure
    // of the scenario to hold it to.
    if (s.model.experts <= 1) continue;
    int gpus = 1;
    if (s.serving.ep > 1 && s.model.experts % s.serving.ep == 0) {
      gpus = s.serving.ep;
    } else {
      const int domain = std::max(1, std::min(s.hardware.scaleup_domain, s.cluster.chips_per_rack));
      for (int g = 1; g <= domain; ++g)
        if (s.model.experts % g == 0) gpus = g;
    }
    const MoeAllToAll one =
        MoeLayerAllToAll({std::max(1.0, static_cast<double>(s.serving.batch)), static_cast<double>(s.model.d_model), 2,
                          std::max(1, s.model.experts_active), gpus, 1},
                         TopologyFromScenario(s));
    EXPECT_TRUE(Has(AllText(Build("moe-rack", s)), "(dispatch + combine) = " + FormatSeconds(one.layer_s)))
        << name << ": " << FormatSeconds(one.layer_s);
    ++held;
  }
  EXPECT_GE(held, 1);  // the lecture's DeepSeek-V3 step
}

TEST(HeadlineFigures, PlansPrintsTheSearchsFastestPlan) {
  for (const auto &[name, s] : HeldScenarios("plans")) {
    // Nothing fits (the default): the board searches twice, four times, ... the racks, and says so.
    Scenario shown = s;
    SearchResult res = SearchPlans(shown);
    while (res.plans.empty() && res.evaluated > 0 && shown.cluster.racks < s.cluster.racks * 64) {
      shown.cluster.racks *= 2;
      shown.training.dp = 0;
      res = SearchPlans(shown);
    }
    ASSERT_FALSE(res.plans.empty()) << name;
    const std::string labels = TextsWithRole(Build("plans", s), "plan-label");
    const bool fastest = Has(labels, "fastest " + FormatSeconds(res.plans[0].step_s) + "\n");
    // When the scenario's own plan is the fastest, its label carries the simulator's step.
    const bool current = Has(labels, "current = fastest " + FormatSeconds(EvaluateTraining(s).step_s));
    EXPECT_TRUE(fastest || current) << name << ": fastest " << FormatSeconds(res.plans[0].step_s) << " in\n" << labels;
  }
}

}  // namespace
}  // namespace blackboard
