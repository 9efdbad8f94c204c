// Plan search: every plan it returns fits and has degrees that divide; on small cases the best plan
// equals a brute force over every training-field combination evaluated with the same model.
#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "blackboard/scenario.hpp"
#include "blackboard/search.hpp"
#include "blackboard/training.hpp"

namespace blackboard {
namespace {

Scenario Small(const char* model, int racks, int global_batch, int seq) {
  Scenario s = DefaultScenario();
  ApplySet(s, std::string("model=") + model);
  ApplySet(s, "hardware=h100-sxm");
  s.cluster.racks = racks;
  s.cluster.chips_per_rack = 8;
  s.training.global_batch = global_batch;
  s.training.seq_len = seq;
  return s;
}

TEST(Search, EveryPlanFitsAndDivides) {
  const Scenario s = Small("llama-3-8b", 8, 128, 4096);
  const SearchResult r = SearchPlans(s);
  ASSERT_FALSE(r.plans.empty());
  const int chips = 64;
  for (const SearchPlan& p : r.plans) {
    const Training& t = p.training;
    EXPECT_EQ(t.dp * t.tp * t.pp * t.cp, chips);
    EXPECT_EQ(s.model.heads % t.tp, 0);
    EXPECT_EQ(s.training.global_batch % (t.dp * t.micro_batch), 0);
    EXPECT_EQ(s.training.seq_len % t.cp, 0);
    EXPECT_LE(p.memory_per_chip_bytes, s.hardware.hbm_bytes);
    // Re-evaluating the plan from scratch agrees (no state leaks between plans).
    Scenario one = s;
    one.training = t;
    EXPECT_DOUBLE_EQ(EvaluatePlanClosedForm(one, TrainingEfficiencyFromScenario(s)).step_s, p.step_s);
  }
  for (std::size_t i = 1; i < r.plans.size(); ++i) EXPECT_LE(r.plans[i - 1].step_s, r.plans[i].step_s);
  EXPECT_GT(r.evaluated, static_cast<long long>(r.plans.size()));
  const nlohmann::json j = SearchResultJson(r, 5);
  EXPECT_EQ(j["plans"].size(), 5u);
  EXPECT_TRUE(j.contains("evaluated") && j.contains("seconds"));
  for (const char* k : {"dp", "tp", "pp", "ep", "cp", "zero", "micro_batch", "schedule", "virtual_stages",
                        "recompute", "step_s", "mfu", "usd", "memory_per_chip_bytes"})
    EXPECT_TRUE(j["plans"][0].contains(k)) << k;
  // Pareto front: fastest plan first, memory strictly falling along it.
  ASSERT_FALSE(r.pareto.empty());
  EXPECT_EQ(r.pareto.front(), 0u);
  for (std::size_t i = 1; i < r.pareto.size(); ++i)
    EXPECT_LT(r.plans[r.pareto[i]].memory_per_chip_bytes, r.plans[r.pareto[i - 1]].memory_per_chip_bytes);
}

double BruteForceBest(const Scenario& s, int max_ep) {
  const TrainingContext ctx = MakeTrainingContext(s, TrainingEfficiencyFromScenario(s));
  double best = std::numeric_limits<double>::infinity();
  const int chips = s.cluster.racks * s.cluster.chips_per_rack;
  Training t = s.training;
  for (const char* math : {"bf16", "fp8"})  // the search tries FP8 where the chip has it (H100 here)
  for (int tp = 1; tp <= 8; ++tp)
    for (int pp = 1; pp <= chips; ++pp)
      for (int cp : {1, 2, 4, 8})
        for (int ep = 1; ep <= max_ep; ++ep) {
          if (chips % (tp * pp * cp) != 0) continue;  // not a plan: skip before the (slow) throw
          for (int zero = 0; zero <= 3; ++zero)
            for (int mb : {1, 2, 4, 8})
              for (const char* sched : {"1f1b", "interleaved", "zb-h1", "zb-h2", "dualpipe", "dualpipe-v"})
                for (int v : {1, 2, 4})
                  for (const char* rc : {"none", "selective", "full"}) {
                    if ((std::string(sched) == "interleaved") != (v > 1)) continue;
                    if (pp == 1 && std::string(sched) != "1f1b") continue;
                    t.dp = 0; t.tp = tp; t.pp = pp; t.cp = cp; t.ep = ep; t.zero = zero; t.micro_batch = mb;
                    t.schedule = sched; t.virtual_stages = v; t.recompute = rc; t.sequence_parallel = tp > 1;
                    t.math = math;
                    try {
                      const TrainingReport r = EvaluatePlan(ctx, t, false);
                      if (r.fits && r.step_s < best) best = r.step_s;
                    } catch (const std::exception&) {
                      // degrees that do not divide or a schedule that cannot run: not a plan
                    }
                  }
        }
  return best;
}

TEST(Search, SameBestPlanAsBruteForceDense) {
  const Scenario s = Small("llama-3-8b", 2, 32, 4096);
  const SearchResult r = SearchPlans(s);
  ASSERT_FALSE(r.plans.empty());
  EXPECT_DOUBLE_EQ(r.plans.front().step_s, BruteForceBest(s, 1));
}

TEST(Search, SameBestPlanAsBruteForceMoe) {
  const Scenario s = Small("mixtral-8x7b", 2, 16, 2048);
  const SearchResult r = SearchPlans(s);
  ASSERT_FALSE(r.plans.empty());
  EXPECT_DOUBLE_EQ(r.plans.front().step_s, BruteForceBest(s, 8));
  EXPECT_FALSE(SearchResultText(r, 5).empty());
}

}  // namespace
}  // namespace blackboard
