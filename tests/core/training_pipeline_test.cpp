// EvaluateTraining hands out the pipeline it simulated, so a board or a trace shows the step `eval`
// reports: SimulateSchedule(report.pipeline).step_s == report.step_s for every schedule.
#include <gtest/gtest.h>

#include <algorithm>

#include "blackboard/pipeline.hpp"
#include "blackboard/training.hpp"

namespace blackboard {
namespace {

Scenario FourStages(const std::string& schedule) {
  Scenario s = DefaultScenario();
  s.cluster.racks = 4;
  s.training.pp = 4;
  s.training.dp = 0;
  s.training.global_batch = 16;
  s.training.schedule = schedule;
  s.training.virtual_stages = 2;
  return s;
}

TEST(TrainingPipeline, ReportCarriesTheSimulatedSpec) {
  for (const char* schedule : {"gpipe", "1f1b", "interleaved", "zb-h1", "zb-h2", "dualpipe", "dualpipe-v"}) {
    SCOPED_TRACE(schedule);
    const TrainingReport r = EvaluateTraining(FourStages(schedule));
    ASSERT_TRUE(r.simulated);
    EXPECT_EQ(r.pipeline.stages, 4);
    EXPECT_EQ(r.pipeline.micro_batches, 16);
    EXPECT_EQ(ScheduleName(r.pipeline.schedule), std::string(schedule));
    EXPECT_NEAR(r.pipeline.tail_s, r.breakdown.dp_s + r.breakdown.optimizer_s, 1e-15);
    const PipelineSchedule sched = SimulateSchedule(r.pipeline);
    EXPECT_NEAR(sched.step_s, r.step_s, 1e-9 * r.step_s);
    // Per-stage model state; the fullest stage is the report's memory.
    ASSERT_EQ(r.stage_model_state_bytes.size(), 4u);
    const double state = r.memory.weights_bytes + r.memory.gradients_bytes + r.memory.optimizer_bytes;
    const auto it = std::find_if(r.stage_model_state_bytes.begin(), r.stage_model_state_bytes.end(),
                                 [&](double b) { return std::abs(b - state) <= 1e-6 * state; });
    EXPECT_NE(it, r.stage_model_state_bytes.end());
  }
}

TEST(TrainingPipeline, NoSpecWithoutASimulatedPipeline) {
  const TrainingReport one = EvaluateTraining(DefaultScenario());  // pp = 1
  EXPECT_FALSE(one.simulated);
  EXPECT_TRUE(one.stage_model_state_bytes.empty());
  const TrainingReport closed = EvaluatePlanClosedForm(FourStages("1f1b"), DefaultTrainingEfficiency());
  EXPECT_FALSE(closed.simulated);
  EXPECT_TRUE(closed.stage_model_state_bytes.empty());
}

}  // namespace
}  // namespace blackboard
