// Lecture files: the default lecture loads; bad steps give errors naming the step and the field.
#include <gtest/gtest.h>

#include <filesystem>

#include "blackboard/assets.hpp"
#include "blackboard/lecture.hpp"
#include "blackboard/serving.hpp"

namespace blackboard {
namespace {

using nlohmann::json;

TEST(Lecture, DefaultLectureLoadsAndChainsScenarios) {
  const Lecture lec = LoadLectureFile(AssetDir() + "/lectures/default.json", {});
  ASSERT_GE(lec.steps.size(), 8u);
  EXPECT_EQ(lec.steps[0].board, "batch");
  EXPECT_EQ(lec.steps[0].scenario.serving.batch, 1);
  EXPECT_EQ(lec.steps[1].scenario.serving.batch, 256);
  // "set" changes the previous step's scenario: step 3 keeps the efficiency (pure roofline, below)
  // and changes the batch and the context (8 sequences of 128K tokens: what fits in 80 GB).
  EXPECT_EQ(lec.steps[1].scenario.serving.context, 2048);
  EXPECT_EQ(lec.steps[2].scenario.serving.batch, 8);
  EXPECT_EQ(lec.steps[2].scenario.serving.context, 131072);
  EXPECT_FALSE(lec.steps[0].annotations.empty());
  // The lecture's roofline math (batch and roofline boards, the context kink) runs at the pure
  // roofline so the quoted B* ~ 300 stays true; steps loading a scenario file are calibrated.
  for (const std::size_t i : {0u, 1u, 2u, 3u, 15u}) {
    EXPECT_EQ(EfficiencyLabel(lec.steps[i].scenario.efficiency), "pure roofline") << "step " << i;
  }
  EXPECT_NEAR(EvaluateServing(lec.steps[1].scenario).critical_batch, 295, 6);  // lecture §1.4
  EXPECT_EQ(lec.steps[5].scenario.efficiency.calibration, kCalibrationName);
}

std::string ErrorOf(const json& doc, const std::vector<std::string>& boards = {"batch", "roofline"}) {
  try {
    LectureFromJson(doc, "talk.json", boards);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(Lecture, BadStepsNameTheStepAndField) {
  EXPECT_EQ(ErrorOf(json::parse(R"({"steps": [{"board": "batch"}, {"board": "bach"}]})")),
            "talk.json: steps[1].board = \"bach\" is not a board; known: batch, roofline");
  EXPECT_EQ(ErrorOf(json::parse(R"({"steps": [{"board": "batch", "set": {"serving.batch": 0}}]})")),
            "talk.json steps[0].set: serving.batch = 0 must be an integer from 1 to 10000000");
  EXPECT_EQ(ErrorOf(json::parse(R"({"steps": [{"board": "batch", "annotations": [{"kind": "arrow", "from": [1, 2]}]}]})")),
            "talk.json: steps[0].annotations[0] = {\"from\":[1,2],\"kind\":\"arrow\"} an arrow needs \"from\" and \"to\"");
  EXPECT_EQ(ErrorOf(json::parse(R"({"steps": [{"title": "no board"}]})")),
            "talk.json: steps[0].board is missing: every step names a board");
  EXPECT_EQ(ErrorOf(json::parse(R"({"steps": []})")), "talk.json: steps = [] must have at least one step");
  EXPECT_EQ(ErrorOf(json::parse(R"({"steps": [{"board": "batch", "tme": 3}]})")).rfind("talk.json: steps[0].tme is not a step field", 0),
            0u);
}

TEST(Lecture, SaveRoundTripsAnnotations) {
  Lecture lec = LoadLectureFile(AssetDir() + "/lectures/default.json", {});
  Annotation a;
  a.kind = "stroke";
  a.points = {{10, 10}, {20, 30}, {40, 35}};
  lec.steps[3].annotations.push_back(a);
  const std::string path = (std::filesystem::temp_directory_path() / "blackboard-lecture-test.json").string();
  SaveLectureFile(lec, path);
  const Lecture back = LoadLectureFile(path, {});
  ASSERT_EQ(back.steps.size(), lec.steps.size());
  ASSERT_EQ(back.steps[3].annotations.size(), lec.steps[3].annotations.size());
  EXPECT_EQ(back.steps[3].annotations.back().points.size(), 3u);
  EXPECT_EQ(back.steps[2].scenario.serving.context, 131072);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace blackboard
