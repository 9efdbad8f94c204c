// The window starts a board from the default scenario unless a lecture step is the view (issue 16):
// `blackboard --board pipeline-training` no longer carries step 1's efficiency = roofline, batch = 1.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "blackboard/assets.hpp"
#include "blackboard/lecture.hpp"
#include "blackboard/scenario.hpp"
#include "scene/board.hpp"
#include "ui/app.hpp"

namespace blackboard {
namespace {

Lecture DefaultLecture() {
  std::vector<std::string> names;
  for (const BoardInfo& b : AllBoards()) names.push_back(b.name);
  return LoadLectureFile(AssetDir() + "/lectures/default.json", names);
}

TEST(BoardStart, AnotherBoardThanTheStepsStartsFromTheDefaultScenario) {
  const Lecture lec = DefaultLecture();
  const LectureStep& step1 = lec.steps[0];  // batch, efficiency = roofline, batch = 1
  ASSERT_EQ(step1.board, "batch");
  ASSERT_EQ(step1.scenario.serving.batch, 1);
  const Scenario picked = ScenarioForPickedBoard(lec, 0, step1.scenario, "pipeline-training");
  EXPECT_EQ(ToJson(picked), ToJson(DefaultScenario()));
  EXPECT_EQ(EfficiencyInForce(picked), "calibrated public-v1");
  // Back on the step's own board: the step's scenario.
  EXPECT_EQ(ToJson(ScenarioForPickedBoard(lec, 0, picked, "batch")), ToJson(step1.scenario));
}

TEST(BoardStart, AScenarioChangedByHandIsKept) {
  const Lecture lec = DefaultLecture();
  Scenario mine = lec.steps[0].scenario;
  ApplySet(mine, "serving.batch=77", "test");
  EXPECT_EQ(ToJson(ScenarioForPickedBoard(lec, 0, mine, "roofline")), ToJson(mine));
  // Without a lecture (a scenario file was opened) the scenario stays whatever the board.
  EXPECT_EQ(ToJson(ScenarioForPickedBoard(Lecture{}, 0, mine, "roofline")), ToJson(mine));
}

}  // namespace
}  // namespace blackboard
