// The "plans" and "budget" boards (issue 5): the numbers they draw are the engine's.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "blackboard/model.hpp"
#include "blackboard/report.hpp"
#include "blackboard/scaling.hpp"
#include "blackboard/search.hpp"
#include "blackboard/training.hpp"
#include "scene/board.hpp"
#include "scene/theme.hpp"

namespace blackboard {
namespace {

Scene BuildBoard(const std::string& name, const Scenario& s, const std::string& theme = "blackboard") {
  const BoardInfo* b = FindBoard(name);
  EXPECT_NE(b, nullptr);
  return b->build(BoardContext{s, GetTheme(theme), 0, 1600, 900});
}

Scenario WithSets(std::initializer_list<const char*> sets) {
  Scenario s = DefaultScenario();
  for (const char* a : sets) ApplySet(s, a);
  return s;
}

std::vector<const TextShape*> TextsWithRole(const Scene& s, const std::string& role) {
  std::vector<const TextShape*> out;
  for (const Shape& sh : s.shapes)
    if (const auto* t = std::get_if<TextShape>(&sh); t && t->role == role) out.push_back(t);
  return out;
}

int CirclesWithRole(const Scene& s, const std::string& role) {
  int n = 0;
  for (const Shape& sh : s.shapes)
    if (const auto* c = std::get_if<CircleShape>(&sh); c && c->role == role) ++n;
  return n;
}

bool HasText(const Scene& s, const std::string& needle) {
  for (const Shape& sh : s.shapes)
    if (const auto* t = std::get_if<TextShape>(&sh); t && t->text.find(needle) != std::string::npos) return true;
  return false;
}

void ExpectOnCanvas(const Scene& s) {
  const Box b = s.Bounds();
  EXPECT_GE(b.min.x, -0.5f);
  EXPECT_GE(b.min.y, -0.5f);
  EXPECT_LE(b.max.x, s.width + 0.5f);
  EXPECT_LE(b.max.y, s.height + 0.5f);
  EXPECT_LT(s.shapes.size(), 5000u);
}

TEST(PlansBoard, HighlightsTheCurrentPlanAtEvaluateTrainingsStepTime) {
  const Scenario s = DefaultScenario();
  const TrainingReport r = EvaluateTraining(s);
  const Scene scene = BuildBoard("plans", s);
  EXPECT_EQ(CirclesWithRole(scene, "current-plan"), 1);
  bool labelled = false;
  for (const TextShape* t : TextsWithRole(scene, "plan-label"))
    if (t->text.rfind("current", 0) == 0 && t->text.find(FormatSeconds(r.step_s)) != std::string::npos) labelled = true;
  EXPECT_TRUE(labelled) << "no 'current ... " << FormatSeconds(r.step_s) << "' label";
  // The first stacked bar is the current plan: its total is EvaluateTraining's step time.
  const auto totals = TextsWithRole(scene, "bar-total");
  ASSERT_FALSE(totals.empty());
  EXPECT_EQ(totals.front()->text, "= " + FormatSeconds(r.step_s));
}

TEST(PlansBoard, DrawsOneDotPerPlanUnlessTwoShareASpot) {
  for (const char* racks : {"cluster.racks=4", "cluster.racks=16"}) {
    const Scenario s = WithSets({racks});
    const SearchResult res = SearchPlans(s);
    const Scene scene = BuildBoard("plans", s);
    const int dots = CirclesWithRole(scene, "plan-dot");
    // Plans that land on the same 2-pixel cell with the same bound share a dot; the Pareto front
    // plans are always drawn.
    EXPECT_LE(dots, static_cast<int>(res.plans.size())) << racks;
    EXPECT_GE(dots, static_cast<int>(res.pareto.size())) << racks;
    EXPECT_GT(dots, 0) << racks;
    EXPECT_TRUE(HasText(scene, std::to_string(res.plans.size()) + " plans fit of " + std::to_string(res.evaluated)))
        << racks;
    ExpectOnCanvas(scene);
  }
}

TEST(PlansBoard, PlanHandlesLoadThePlansTheyMark) {
  const Scenario s = WithSets({"cluster.racks=16"});
  const SearchResult res = SearchPlans(s);
  const Scene scene = BuildBoard("plans", s);
  std::size_t expected = res.pareto.size();
  for (std::size_t i = 0; i < std::min<std::size_t>(5, res.plans.size()); ++i)
    if (std::find(res.pareto.begin(), res.pareto.end(), i) == res.pareto.end()) ++expected;
  ASSERT_EQ(scene.handles.size(), expected);
  for (const DragHandle& h : scene.handles) {
    ASSERT_EQ(h.id.rfind("plan:", 0), 0u) << h.id;
    Scenario loaded = s;
    std::stringstream sets(h.id.substr(5));
    std::string a;
    while (std::getline(sets, a, ';')) ApplySet(loaded, a);
    ValidateScenario(loaded, "test");
    const TrainingReport r = EvaluatePlanClosedForm(loaded, TrainingEfficiencyFromScenario(loaded));
    const bool found = std::any_of(res.plans.begin(), res.plans.end(), [&](const SearchPlan& p) {
      return std::fabs(p.step_s - r.step_s) <= 1e-9 * p.step_s &&
             std::fabs(p.memory_per_chip_bytes - r.memory.total_bytes) <= 1.0;
    });
    EXPECT_TRUE(found) << h.id;
  }
}

TEST(PlansBoard, WhenNothingFitsShowsTheFirstDoublingThatDoes) {
  // The default (Llama 3 70B on 8 x H100): no training plan fits, 2 racks is the first doubling.
  const Scenario s = DefaultScenario();
  ASSERT_TRUE(SearchPlans(s).plans.empty());
  Scenario two = s;
  ApplySet(two, "cluster.racks=2");
  const SearchResult res = SearchPlans(two);
  ASSERT_FALSE(res.plans.empty());
  const Scene scene = BuildBoard("plans", s);
  EXPECT_TRUE(HasText(scene, "nothing fits on 8 chips: showing 2 racks = 16 chips"));
  EXPECT_TRUE(HasText(scene, std::to_string(res.plans.size()) + " plans fit of " + std::to_string(res.evaluated)));
  ASSERT_FALSE(scene.handles.empty());
  for (const DragHandle& h : scene.handles) EXPECT_EQ(h.id.rfind("plan:cluster.racks=2;training.dp=", 0), 0u) << h.id;
  ExpectOnCanvas(scene);
}

// 1,878 racks x 8 with a global batch of 16 sequences: no plan's dp x micro-batch divides 16, so no
// plan is enumerated; more racks cannot help and the board says what can.
TEST(PlansBoard, WhenTheBatchCannotBeSplitSaysSoInsteadOfAddingRacks) {
  const Scenario s = WithSets({"cluster.racks=1878"});
  const SearchResult res = SearchPlans(s);
  ASSERT_EQ(res.evaluated, 0);
  const Scene scene = BuildBoard("plans", s);
  EXPECT_TRUE(HasText(scene, "No plan splits 16 sequences over 15,024 chips:"));
  EXPECT_TRUE(HasText(scene, "raise it, or use fewer racks"));
  EXPECT_FALSE(HasText(scene, "add racks or chips"));
  EXPECT_FALSE(HasText(scene, "nothing fits on"));  // no doubling: it cannot help
  EXPECT_TRUE(HasText(scene, "0 plans fit of 0 enumerated"));
  ExpectOnCanvas(scene);
}

TEST(PlansBoard, LargeClusterAndMoeStayOnTheCanvas) {
  ExpectOnCanvas(BuildBoard("plans", WithSets({"cluster.racks=128"})));
  ExpectOnCanvas(BuildBoard("plans", WithSets({"model=mixtral-8x7b", "cluster.racks=4"}), "print"));
  // A model that fits nowhere still draws (the current plan's breakdown and a message).
  const Scene none = BuildBoard("plans", WithSets({"model=llama-3-405b"}));
  ExpectOnCanvas(none);
}

ComputeBudgetInput LectureBudget(double active_params) {
  ComputeBudgetInput in;  // the board's named constants: lecture.md §1.10
  in.active_params = active_params;
  in.inference_tokens_per_s = 50e6;
  in.deployment_s = 60 * 86400.0;
  in.inference_inefficiency = 3;
  in.rl_tokens = 50e6 * in.deployment_s / 1.5;
  in.rl_flops_per_param = 2;
  in.rl_inefficiency = 3;
  return in;
}

TEST(BudgetBoard, BarsAreBalanceCompute) {
  const Scenario s = DefaultScenario();
  const ComputeBudget b = BalanceCompute(LectureBudget(CountParameters(s.model).active));
  const Scene scene = BuildBoard("budget", s);
  std::vector<float> heights;
  for (const Shape& sh : scene.shapes)
    if (const auto* r = std::get_if<RectShape>(&sh); r && r->role == "budget-bar") heights.push_back(r->box.Height());
  ASSERT_EQ(heights.size(), 3u);  // pre-training, RL, inference
  EXPECT_NEAR(heights[1] / heights[0], b.rl_flops / b.pretrain_flops, 1e-4);
  EXPECT_NEAR(heights[2] / heights[0], b.inference_flops / b.pretrain_flops, 1e-4);
  const auto over = TextsWithRole(scene, "overtraining");
  ASSERT_EQ(over.size(), 1u);
  char want[64];
  std::snprintf(want, sizeof want, "%.0fx over-trained", b.overtraining_factor);
  EXPECT_EQ(over[0]->text, want);
}

TEST(BudgetBoard, LectureExampleIs100xOverTrained) {
  const Scene scene = BuildBoard("budget", DefaultScenario(), "print");
  const auto check = TextsWithRole(scene, "lecture-check");
  ASSERT_EQ(check.size(), 1u);
  EXPECT_NE(check[0]->text.find("200T / (20 x 100B) = 100x over-trained"), std::string::npos) << check[0]->text;
}

TEST(BudgetBoard, MoeModelUsesActiveParameters) {
  const Scenario s = WithSets({"model=deepseek-v3"});
  const Scene scene = BuildBoard("budget", s);
  ExpectOnCanvas(scene);
  const ParamCount pc = CountParameters(s.model);
  std::string n = FormatCount(pc.active);
  n.erase(std::remove(n.begin(), n.end(), ' '), n.end());
  EXPECT_TRUE(HasText(scene, "N_active = " + n)) << n;
}

}  // namespace
}  // namespace blackboard
