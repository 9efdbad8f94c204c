// The real executable on `render pipeline-training --morph T --morph-from-set K=V`: a moment of the
// switch from one schedule to another, and one-line usage errors (exit 2) that name the flag.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "run_exe.hpp"

namespace {

namespace fs = std::filesystem;

using blackboard_test::Exec;
using blackboard_test::RunResult;

fs::path OutDir() { return blackboard_test::OutDir("cli-morph"); }

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Small enough that the SVGs are quick: 4 stages, 8 micro-batches.
const std::string kShape = "--set cluster.racks=4 --set training.pp=4 --set training.dp=1 --set training.global_batch=8 ";
const std::string kFromShape =
    "--morph-from-set cluster.racks=4 --morph-from-set training.pp=4 --morph-from-set training.dp=1 "
    "--morph-from-set training.global_batch=8 ";

std::string RenderSvg(const std::string& flags, const std::string& name) {
  const fs::path out = OutDir() / name;
  const RunResult r = Exec("render pipeline-training " + flags + " --time 6 --out \"" + out.string() + "\"");
  EXPECT_EQ(r.status, 0) << flags << "\n" << r.err;
  return Slurp(out);
}

TEST(MorphCli, RendersAMomentOfTheMorph) {
  const std::string to = kShape + "--set training.schedule=zb-h1 ";
  const std::string from = kFromShape + "--morph-from-set training.schedule=1f1b ";
  const std::string plain = RenderSvg(to, "plain.svg");
  const std::string half = RenderSvg(to + from + "--morph 0.5", "half.svg");
  const std::string end = RenderSvg(to + from + "--morph 1", "end.svg");
  const std::string start = RenderSvg(to + from + "--morph 0", "start.svg");
  ASSERT_FALSE(plain.empty());
  // Compared as booleans: a failure should not print two whole SVGs.
  EXPECT_TRUE(end == plain) << "the end of the morph is the target board";
  EXPECT_TRUE(half != plain);
  EXPECT_TRUE(half != start);
  EXPECT_NE(start.find("from 1F1B"), std::string::npos);  // where the blocks come from
  // --morph-from-set=K=V works as well, and PNG goes through the headless renderer.
  const fs::path png = OutDir() / "half.png";
  const RunResult r = Exec("render pipeline-training " + to + "--morph-from-set=training.schedule=1f1b " + kFromShape +
                           "--morph 0.5 --out \"" + png.string() + "\"");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_GT(fs::file_size(png), 10000u);
}

// Each bad use exits 2 with one line that names the flag, the value and what is allowed.
TEST(MorphCli, BadUseExitsTwoNamingTheFlag) {
  const std::string out = " --out \"" + (OutDir() / "bad.svg").string() + "\"";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"--morph 1.5 --morph-from-set training.schedule=1f1b", "--morph = 1.5 must be a number from 0 to 1"},
      {"--morph half", "--morph = half must be a number from 0 to 1"},
      {"--morph -0.1", "--morph = -0.1 must be a number from 0 to 1"},
      {"--morph", "--morph needs a value"},
      {"--morph-from-set training.schedule=1f1b", "--morph-from-set needs --morph T"},
      {"--morph 0.5 --morph-from-set training.schedule=fast", "--morph-from-set training.schedule=fast"},
      {"--morph 0.5 --morph-from-set training.shedule=1f1b", "did you mean training.schedule?"},
      {"--morph 0.5 --morph-from-set schedule", "must have the form KEY=VALUE"},
  };
  for (const auto& [flags, message] : cases) {
    const RunResult r = Exec("render pipeline-training" + out + " " + flags);
    EXPECT_EQ(r.status, 2) << flags << "\n" << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << flags << "\n" << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  const RunResult batch = Exec("render batch --morph 0.5" + out);
  EXPECT_EQ(batch.status, 2);
  EXPECT_NE(batch.err.find("--morph: board = batch does not morph; boards that do: pipeline-training"),
            std::string::npos)
      << batch.err;
  const RunResult json =
      Exec("render pipeline-training --morph 0.5 --out \"" + (OutDir() / "trace.json").string() + "\"");
  EXPECT_EQ(json.status, 2);
  EXPECT_NE(json.err.find("a Chrome trace is one schedule"), std::string::npos) << json.err;
}

}  // namespace
