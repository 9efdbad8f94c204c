// The API-price boards (context, cache, serving-queue): the numbers they print are the engine's
// (lecture.md §1.5, §1.6, §1.11a-e), they survive every preset, and they stay light enough to animate.
#include <gtest/gtest.h>

#include "blackboard/serving.hpp"

#include <string>
#include <vector>

#include "blackboard/price_reading.hpp"
#include "blackboard/pricing.hpp"
#include "blackboard/report.hpp"
#include "scene/board.hpp"
#include "scene/theme.hpp"

namespace blackboard {
namespace {

Scene BuildBoard(const std::string& name, const Scenario& s, double t = 0.4) {
  const BoardInfo* b = FindBoard(name);
  EXPECT_NE(b, nullptr) << name;
  return b->build(BoardContext{s, GetTheme("blackboard"), t, 1600, 900});
}

std::vector<std::string> Texts(const Scene& s) {
  std::vector<std::string> out;
  for (const Shape& sh : s.shapes)
    if (const auto* t = std::get_if<TextShape>(&sh)) out.push_back(t->text);
  return out;
}

bool HasText(const Scene& s, const std::string& needle) {
  for (const std::string& t : Texts(s))
    if (t.find(needle) != std::string::npos) return true;
  return false;
}

Scenario With(std::initializer_list<const char*> sets) {
  Scenario s = DefaultScenario();
  for (const char* a : sets) ApplySet(s, a);
  return s;
}

TEST(ContextBoard, SolverShowsLectureReading) {
  // lecture §1.11a: kink 200K, N_active 100B, ratio 300 -> 1,667 B/token, every step on screen.
  const Scene s = BuildBoard("context", DefaultScenario());
  EXPECT_TRUE(HasText(s, "= 1,667 B per token"));
  EXPECT_TRUE(HasText(s, "= 100B / (300 x 200,000)"));
  EXPECT_TRUE(HasText(s, "price kink    200K tokens"));
  EXPECT_TRUE(HasText(s, "FLOP/s : BW   300"));
  // Every architecture candidate is listed with its bytes per token.
  for (const KvArchitecture& a : KvArchitectureCandidates(LectureKinkReading(LoadPriceSheet("gemini-3.1-pro"))
                                                              .kv_bytes_per_token))
    EXPECT_TRUE(HasText(s, a.name)) << a.name;
}

TEST(ContextBoard, KinkMarkerAtEngineKink) {
  const Scenario sc = With({"serving.batch=4096"});
  const ContextKink k = ContextKinkOf(ContextCostInputsFromScenario(sc));
  ASSERT_EQ(k.kind, ContextKink::Kind::kAt);
  const Scene s = BuildBoard("context", sc);
  EXPECT_TRUE(HasText(s, "kink: memory overtakes compute at " + FormatCount(k.context_tokens) + " tokens"));
  bool hover = false;
  for (const HoverRegion& h : s.hovers)
    if (h.title == "The kink") {
      hover = true;
      // The hover strip is centred on the kink's x; its formula names the kink.
      EXPECT_NEAR(h.box.Width(), 16.0f, 0.01f);
    }
  EXPECT_TRUE(hover);
}

TEST(ContextBoard, SaysWhenThereIsNoKink) {
  // At the default batch the weight floor / B stays above compute at every context.
  const Scenario sc = DefaultScenario();
  ASSERT_EQ(ContextKinkOf(ContextCostInputsFromScenario(sc)).kind, ContextKink::Kind::kMemoryBoundEverywhere);
  EXPECT_TRUE(HasText(BuildBoard("context", sc), "memory-bound at every context"));
}

TEST(CacheBoard, PricesAndRuleAreShown) {
  const Scene s = BuildBoard("cache", DefaultScenario());
  const PriceSheet opus = LoadPriceSheet("anthropic-opus-4.6");
  const CacheReading r = ReadCachePrices(opus, LoadTierSet("lecture").tiers);
  EXPECT_TRUE(HasText(s, "0.1x"));  // cache hit against base input (lecture §1.11c)
  EXPECT_TRUE(HasText(s, "write premium $1.25/M"));
  EXPECT_DOUBLE_EQ(r.hold_5m_premium_usd_per_mtok, 1.25);
  EXPECT_TRUE(HasText(s, "5-min hold:  drain rule "));
  EXPECT_TRUE(HasText(s, "1-h hold:  drain rule "));
}

TEST(ServingQueueBoard, MeanLatencyTextEqualsSimulation) {
  const Scenario sc = DefaultScenario();
  // The board simulates 200 periods with at most 50,000 arrivals.
  const TrainQueueParams q = TrainQueueFromScenario(sc, 200, 5e4);
  const TrainTimeline tl = SimulateTrainDeparture(q);
  const TrainClosedForm cf = TrainClosedFormOf(q);
  const Scene s = BuildBoard("serving-queue", sc);
  EXPECT_TRUE(HasText(s, "mean, simulated   " + FormatSeconds(tl.mean_latency_s)));
  EXPECT_TRUE(HasText(s, "mean, T/2 + T     " + FormatSeconds(cf.mean_latency_s)));
  EXPECT_TRUE(HasText(s, "worst, T + T = 2T " + FormatSeconds(2 * q.period_s)));
  // The period is the serving engine's pure decode step at the scenario's batch (the step the batch
  // board draws), stated in the subtitle beside the full-HBM drain it is not.
  const ServingReport r = EvaluateServing(sc);
  EXPECT_DOUBLE_EQ(q.period_s, r.decode.step_s);
  EXPECT_TRUE(HasText(s, "T = the pure decode step at B = 64, as on the batch board: " + FormatSeconds(r.decode.step_s) +
                             " (a full-HBM drain would be " + FormatSeconds(r.hbm_drain_s) + ")"));
  EXPECT_NEAR(tl.mean_latency_s, cf.mean_latency_s, 0.02 * cf.mean_latency_s);
}

TEST(ServingQueueBoard, AnimatesDeterministically) {
  const BoardInfo* b = FindBoard("serving-queue");
  ASSERT_NE(b, nullptr);
  EXPECT_GT(b->duration_s, 0);
  const Scenario sc = DefaultScenario();
  const Scene a = BuildBoard("serving-queue", sc, 1.3), a2 = BuildBoard("serving-queue", sc, 1.3);
  EXPECT_EQ(Texts(a), Texts(a2));
  EXPECT_EQ(a.shapes.size(), a2.shapes.size());
  // The current train fills: later in the loop more requests have arrived.
  EXPECT_LT(BuildBoard("serving-queue", sc, 0.2).shapes.size(), BuildBoard("serving-queue", sc, 4.0).shapes.size());
}

TEST(PricingBoards, EveryPresetBuildsOnCanvasAndLight) {
  for (const char* hw : {"h100-sxm", "tpu-v5e", "gb200-nvl72"})
    for (const char* model : {"llama-3-8b", "deepseek-v3", "llama-3-405b"})
      for (const char* batch : {"serving.batch=1", "serving.batch=16384"})
        for (const char* board : {"context", "cache", "serving-queue"}) {
          const Scenario sc = With({(std::string("hardware=") + hw).c_str(), (std::string("model=") + model).c_str(),
                                    batch});
          const Scene s = BuildBoard(board, sc, 2.7);
          const Box bb = s.Bounds();
          EXPECT_GE(bb.min.x, -0.5f) << board << " " << hw << " " << model << " " << batch;
          EXPECT_GE(bb.min.y, -0.5f) << board << " " << hw << " " << model << " " << batch;
          EXPECT_LE(bb.max.x, s.width + 0.5f) << board << " " << hw << " " << model << " " << batch;
          EXPECT_LE(bb.max.y, s.height + 0.5f) << board << " " << hw << " " << model << " " << batch;
          EXPECT_LT(s.shapes.size(), 5000u) << board << " " << hw << " " << model << " " << batch;
        }
}

}  // namespace
}  // namespace blackboard
