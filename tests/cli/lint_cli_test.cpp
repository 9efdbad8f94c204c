// `blackboard lint LECTURE.json` (issue 16): silent and 0 for the default lecture; one line per
// problem, named by step and title, and 1 for a lecture that shows nothing or does not fit; one line
// and 2 for a file that is not a readable lecture. And `render` prints the engine's figures for the
// default scenario, as the window does (both build the board with BuildAnnotatedBoard).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "../test_files.hpp"
#include "run_exe.hpp"

namespace {

using blackboard_test::Exec;

std::string Lecture(const nlohmann::json& steps) { return nlohmann::json{{"steps", steps}}.dump(1); }

TEST(Lint, TheDefaultLectureIsClean) {
  const auto r = Exec("lint \"" + std::string(BLACKBOARD_TEST_DIR) + "/../assets/lectures/default.json\"");
  EXPECT_EQ(r.status, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
}

TEST(Lint, NamesTheStepAndTheReason) {
  const auto dir = blackboard::test::FreshTestDir("lint", "problems");
  const auto file = dir / "talk.json";
  blackboard::test::WriteText(
      file, Lecture({{{"board", "roofline"}, {"title", "Decode is memory-bound"}, {"set", {{"serving.batch", 64}}}},
                     {{"board", "sharding"}, {"title", "ZeRO-1"}, {"set", {{"training.zero", 1}}}},
                     {{"board", "batch"}, {"title", "A big batch"}, {"set", {{"serving.batch", 1024}}}}}));
  const auto r = Exec("lint \"" + file.string() + "\"");
  EXPECT_EQ(r.status, 1) << r.err;
  EXPECT_EQ(r.out.find("step 1 "), std::string::npos) << r.out;  // step 1 holds
  EXPECT_NE(r.out.find("step 2 \"ZeRO-1\": sharding has nothing to show: DP = 1: nothing to shard"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("step 3 \"A big batch\": does not fit in memory: serving (weights + KV) needs"),
            std::string::npos)
      << r.out;
  for (size_t a = 0, b; (b = r.out.find('\n', a)) != std::string::npos; a = b + 1)
    EXPECT_EQ(r.out.compare(a, file.string().size(), file.string()), 0) << "each line names the file";
}

TEST(Lint, AFileThatIsNotALectureIsOneLineAndTwo) {
  const auto dir = blackboard::test::FreshTestDir("lint", "bad");
  blackboard::test::WriteText(dir / "scenario.json", R"({"title": "a scenario, not a lecture"})");
  blackboard::test::WriteText(dir / "broken.json", "{\"steps\": [");
  for (const char* name : {"scenario.json", "broken.json", "missing.json"}) {
    const auto r = Exec("lint \"" + (dir / name).string() + "\"");
    EXPECT_EQ(r.status, 2) << name;
    EXPECT_EQ(r.out, "") << name;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << name << ": " << r.err;
  }
  EXPECT_EQ(Exec("lint").status, 2);
}

TEST(RenderAsTheWindow, TheDefaultScenarioPrintsEvalsDecodeStep) {
  // The window starts a board from the default scenario unless a lecture step is the view
  // (ScenarioForPickedBoard); render with no file does too: the batch board's step is eval's.
  const auto eval = Exec("eval --json");
  ASSERT_EQ(eval.status, 0);
  const double step_s = nlohmann::json::parse(eval.out)["serving"]["decode_step_s"].get<double>();
  const auto dir = blackboard::test::FreshTestDir("lint", "render");
  const auto svg = dir / "batch.svg";
  ASSERT_EQ(Exec("render batch --out \"" + svg.string() + "\"").status, 0);
  char want[48];
  std::snprintf(want, sizeof want, "step %.3g ms", step_s * 1e3);  // FormatSeconds: 3 significant digits
  std::ifstream in(svg);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find(want), std::string::npos) << want;
  EXPECT_NE(text.str().find("calibrated public-v1"), std::string::npos);
}

}  // namespace
