// The real executable on the pipeline boards: `render pipeline-training --out step.json` writes the
// schedule as a Chrome trace (Perfetto, chrome://tracing), `--time` renders a chosen moment, and a
// schedule that cannot run exits 2 with one line.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "run_exe.hpp"

namespace {

namespace fs = std::filesystem;

using blackboard_test::Exec;
using blackboard_test::RunResult;

fs::path OutDir() { return blackboard_test::OutDir("cli-pipeline"); }

nlohmann::json ReadJson(const fs::path& p) {
  std::ifstream in(p);
  return nlohmann::json::parse(in);
}

TEST(PipelineCli, RenderJsonWritesAChromeTrace) {
  const fs::path out = OutDir() / "step.json";
  const RunResult r = Exec("render pipeline-training --set training.global_batch=8 --set training.schedule=zb-h1 --out \"" +
                           out.string() + "\"");
  ASSERT_EQ(r.status, 0) << r.err;
  const nlohmann::json j = ReadJson(out);
  ASSERT_TRUE(j.contains("traceEvents"));
  ASSERT_TRUE(j["traceEvents"].is_array());
  std::set<std::string> kinds;
  int complete = 0;
  for (const auto& e : j["traceEvents"]) {
    ASSERT_TRUE(e.contains("ph"));
    if (e["ph"] != "X") continue;
    ++complete;
    EXPECT_GE(e["dur"].get<double>(), 0.0);
    kinds.insert(e["name"].get<std::string>().substr(0, 1));
  }
  // 4 stages (pp = 1 in the default scenario: the board's 4) x 8 micro-batches x F, B, W, plus the tail.
  EXPECT_GE(complete, 4 * 8 * 3);
  for (const char* k : {"F", "B", "W", "o"}) EXPECT_TRUE(kinds.count(k)) << k;
  EXPECT_EQ(j["otherData"]["schedule"], "zb-h1");
  EXPECT_EQ(j["otherData"]["stages"], 4);
  EXPECT_EQ(j["otherData"]["micro_batches"], 8);
}

TEST(PipelineCli, ServingBoardExportsTheDecodeLoop) {
  const fs::path out = OutDir() / "decode.json";
  const RunResult r = Exec("render pipeline-serving --set training.dp=0 --set cluster.racks=4 --set serving.pp=4 --out \"" +
                           out.string() + "\"");
  ASSERT_EQ(r.status, 0) << r.err;
  const nlohmann::json j = ReadJson(out);
  EXPECT_EQ(j["otherData"]["schedule"], "decode loop");
  int blocks = 0;
  for (const auto& e : j["traceEvents"]) blocks += e["ph"] == "X";
  EXPECT_EQ(blocks, 4 * 4 * 3);  // racks x micro-batches x tokens
}

TEST(PipelineCli, JsonNeedsAPipelineBoardAndARunnableSchedule) {
  const RunResult batch = Exec("render batch --out \"" + (OutDir() / "x.json").string() + "\"");
  EXPECT_EQ(batch.status, 2);
  EXPECT_NE(batch.err.find("needs a pipeline board"), std::string::npos) << batch.err;
  const RunResult dual = Exec("render pipeline-training --set training.schedule=dualpipe --set training.global_batch=6 "
                              "--out \"" + (OutDir() / "y.json").string() + "\"");
  EXPECT_EQ(dual.status, 2);
  EXPECT_NE(dual.err.find("dualpipe needs"), std::string::npos) << dual.err;
  EXPECT_EQ(std::count(dual.err.begin(), dual.err.end(), '\n'), 1) << dual.err;
}

TEST(PipelineCli, RenderAChosenMoment) {
  for (const char* board : {"pipeline-training", "pipeline-serving", "memory"}) {
    const fs::path png = OutDir() / (std::string(board) + ".png");
    const RunResult r = Exec(std::string("render ") + board + " --time 0.4 --size 800x450 --out \"" + png.string() + "\"");
    ASSERT_EQ(r.status, 0) << board << ": " << r.err;
    EXPECT_GT(fs::file_size(png), 10000u) << board;
    const fs::path svg = OutDir() / (std::string(board) + ".svg");
    ASSERT_EQ(Exec(std::string("render ") + board + " --time 3 --out \"" + svg.string() + "\"").status, 0) << board;
  }
}

}  // namespace
