// Price reading helpers for the boards (lecture.md §1.5, §1.6, §1.11a, test vectors 4 and 5).
#include <gtest/gtest.h>

#include "blackboard/model.hpp"
#include "blackboard/price_reading.hpp"
#include "blackboard/serving.hpp"

namespace blackboard {
namespace {

TEST(PriceReading, LectureKinkReadingTestVector5) {
  // lecture §1.11a: (1/300) x 100e9 / 200e3 ≈ 1,667 B/token from Gemini 3.1's 200K step.
  const KinkReading k = LectureKinkReading(LoadPriceSheet("gemini-3.1-pro"));
  EXPECT_DOUBLE_EQ(k.kink_context_tokens, 200e3);
  EXPECT_DOUBLE_EQ(k.params_active, 100e9);
  EXPECT_DOUBLE_EQ(k.flops_to_bandwidth_ratio, 300.0);
  EXPECT_NEAR(k.kv_bytes_per_token, 1666.67, 0.01);
  EXPECT_FALSE(k.kink_source.empty());
}

TEST(PriceReading, SheetWithoutKinkThrows) {
  EXPECT_THROW(PriceKinkContextTokens(LoadPriceSheet("anthropic-opus-4.6")), ScenarioError);
}

TEST(PriceReading, ScenarioKinkReadingUsesModelAndChip) {
  const Scenario s = DefaultScenario();
  const KinkReading k = ScenarioKinkReading(LoadPriceSheet("gemini-3.1-pro"), s);
  EXPECT_DOUBLE_EQ(k.params_active, CountParameters(s.model).active);
  EXPECT_DOUBLE_EQ(k.flops_to_bandwidth_ratio, LectureFlopsToBandwidthRatio(s.hardware, s.serving.math));
  EXPECT_DOUBLE_EQ(k.kv_bytes_per_token,
                   k.params_active / (k.flops_to_bandwidth_ratio * k.kink_context_tokens));
}

TEST(PriceReading, TrainQueueFromScenarioUsesTheDecodeStep) {
  Scenario s = DefaultScenario();
  s.serving.batch = 2000;
  const TrainQueueParams q = TrainQueueFromScenario(s, 50);
  // lecture §1.5: a train departs every decode step: the serving engine's pure step at this batch
  // (serving.decode_step_s, what the batch board draws), not a separate full-HBM drain.
  EXPECT_DOUBLE_EQ(q.period_s, EvaluateServing(s).decode.step_s);
  s.serving.queue_period_s = 0.02;
  EXPECT_DOUBLE_EQ(TrainQueueFromScenario(s, 50).period_s, 0.02);
  s.serving.queue_period_s = 0;
  EXPECT_DOUBLE_EQ(q.service_s, q.period_s);
  // The mean train carries the scenario's batch (lecture §1.6: tokens/s = B / T).
  EXPECT_NEAR(TrainClosedFormOf(q).mean_batch, 2000, 1e-9);
  EXPECT_NEAR(q.duration_s / q.period_s, 50, 1e-9);
  // The arrival cap shortens the run but keeps at least 4 periods.
  s.serving.batch = 100000;
  const TrainQueueParams big = TrainQueueFromScenario(s, 50);
  EXPECT_NEAR(big.duration_s / big.period_s, 4, 1e-9);
  const TrainQueueParams d = TrainQueueFromScenario(DefaultScenario(), 100);
  const TrainTimeline t = SimulateTrainDeparture(d);
  EXPECT_NEAR(t.mean_latency_s / d.period_s, 1.5, 0.05);
}

}  // namespace
}  // namespace blackboard
