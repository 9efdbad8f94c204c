// The real executable: exit codes and one-line messages (SCENARIO.md), eval fields, list, render.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "run_exe.hpp"

namespace {

namespace fs = std::filesystem;

using blackboard_test::Exec;
using blackboard_test::RunResult;

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string s = ss.str();
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// Every file of the bad-scenario corpus gives exit 2 and one line naming the file and the problem.
TEST(Cli, BadScenarioCorpusExitsTwoWithOneLine) {
  const fs::path dir = fs::path(BLACKBOARD_TEST_DIR) / "fixtures" / "bad_scenarios";
  int cases = 0;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() != ".json") continue;
    const std::string expected = ReadFile(fs::path(e.path()).replace_extension(".expected"));
    const RunResult r = Exec("eval \"" + e.path().string() + "\"");
    EXPECT_EQ(r.status, 2) << e.path();
    EXPECT_NE(r.err.find(expected), std::string::npos) << e.path() << "\n" << r.err;
    EXPECT_EQ(r.err.find(e.path().string() + ":"), 0u) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    ++cases;
  }
  EXPECT_GE(cases, 15);
}

TEST(Cli, SetWithBadValueNamesTheField) {
  const RunResult r = Exec("eval --set training.tp=3");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("training.tp = 3 does not divide model.heads = 64"), std::string::npos) << r.err;
  const RunResult u = Exec("eval --set serving.bach=3");
  EXPECT_EQ(u.status, 2);
  EXPECT_NE(u.err.find("did you mean serving.batch?"), std::string::npos) << u.err;
}

// The "done when" command prints every field of SCENARIO.md's serving section.
TEST(Cli, EvalJsonHasEveryServingField) {
  const RunResult r = Exec(
      "eval --set model=llama-3-70b --set hardware=h100-sxm --set cluster.chips_per_rack=8 "
      "--set serving.tp=8 --set serving.batch=64 --json");
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  for (const char* k : {"params_total", "params_active", "kv_bytes_per_token", "flops_per_token"})
    EXPECT_TRUE(j["model"].contains(k)) << k;
  for (const char* k : {"decode_step_s", "decode_compute_s", "decode_memory_s", "decode_network_s", "bound",
                        "prefill_s", "tokens_per_s", "tokens_per_s_per_chip", "latency_floor_s", "critical_batch",
                        "max_batch", "mfu_decode", "mfu_prefill", "memory_per_chip_bytes", "fits",
                        "usd_per_mtok_output", "usd_per_mtok_input"})
    EXPECT_TRUE(j["serving"].contains(k)) << k;
  for (const char* k : {"weights", "kv_cache", "total", "capacity"})
    EXPECT_TRUE(j["serving"]["memory_per_chip_bytes"].contains(k)) << k;
  EXPECT_EQ(j["model"]["kv_bytes_per_token"].get<double>(), 327680.0);  // lecture.md §4.4 (bf16)
}

// Issue 19: the command that used to exit 2 over the training defaults now answers both sections; a
// training plan that does not fit the cluster is reported with its reason, exit 0; TPOT and TTFT are
// in the text and the JSON report.
TEST(Cli, EvalAnswersServingWhateverTheTrainingPlan) {
  const RunResult r = Exec(
      "eval --set model=llama-3-70b --set cluster.racks=1 --set cluster.chips_per_rack=2 --set serving.tp=2 --json");
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  for (const char* k : {"tpot_s", "ttft_s", "attention_layout", "ffn_layout", "engine_gemm_s",
                        "engine_collectives_s", "engine_kernel_latency_s", "decode_experts_touched"})
    EXPECT_TRUE(j["serving"].contains(k)) << k;
  EXPECT_EQ(j["training"]["evaluated"], true);
  const RunResult t = Exec("eval --set cluster.chips_per_rack=2 --set serving.tp=2 --set training.tp=8");
  ASSERT_EQ(t.status, 0) << t.err;
  EXPECT_NE(t.out.find("TPOT (engine)"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("not evaluated: training.tp = 8"), std::string::npos) << t.out;
  const RunResult bad = Exec("eval --set serving.attention_layout=rows");
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("serving.attention_layout"), std::string::npos) << bad.err;
}

// The report names the efficiencies in use; one word switches to the pure roofline (SCENARIO.md).
TEST(Cli, EvalNamesTheEfficienciesAndTheRooflineSwitch) {
  const RunResult cal = Exec("eval --json");
  ASSERT_EQ(cal.status, 0) << cal.err;
  const auto c = nlohmann::json::parse(cal.out);
  EXPECT_EQ(c["efficiency"]["calibration"], "public-v1");
  EXPECT_EQ(c["efficiency"]["compute"].get<double>(), 0.76);
  const RunResult roof = Exec("eval --set efficiency=roofline --json");
  ASSERT_EQ(roof.status, 0) << roof.err;
  const auto r = nlohmann::json::parse(roof.out);
  EXPECT_EQ(r["efficiency"]["label"], "pure roofline");
  // Lecture §1.4: at the pure roofline the H100 critical batch is ~295 (FLOP/s / BW).
  EXPECT_NEAR(r["serving"]["critical_batch"].get<double>(), 295, 6);
  const RunResult text = Exec("eval --set efficiency=roofline");
  EXPECT_NE(text.out.find("efficiency: pure roofline"), std::string::npos) << text.out;
  const RunResult bad = Exec("eval --set efficiency=fast");
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("efficiency = \"fast\" must be one of: public-v1"), std::string::npos) << bad.err;
}

TEST(Cli, ListAndHelp) {
  const RunResult boards = Exec("list boards");
  EXPECT_EQ(boards.status, 0);
  EXPECT_EQ(boards.out.rfind("batch", 0), 0u);
  const RunResult hw = Exec("list hardware");
  EXPECT_NE(hw.out.find("h100-sxm"), std::string::npos);
  EXPECT_NE(hw.out.find("gb200-nvl72"), std::string::npos);
  EXPECT_EQ(Exec("--help").status, 0);
  EXPECT_EQ(Exec("--version").out.rfind("blackboard ", 0), 0u);
  EXPECT_EQ(Exec("frobnicate").status, 2);
  EXPECT_EQ(Exec("list nothing").status, 2);
}

TEST(Cli, RenderWritesSvgAndPngHeadless) {
  const fs::path dir = fs::path(BLACKBOARD_TEST_OUT) / "cli-render";
  fs::create_directories(dir);
  const RunResult svg = Exec("render batch --out \"" + (dir / "batch.svg").string() + "\" --with-scenario");
  ASSERT_EQ(svg.status, 0) << svg.err;
  EXPECT_TRUE(fs::exists(dir / "batch.svg.scenario.json"));
  const RunResult png = Exec("render roofline --theme print --size 800x450 --scale 2 --out \"" + (dir / "r.png").string() + "\"");
  ASSERT_EQ(png.status, 0) << png.err;
  EXPECT_GT(fs::file_size(dir / "r.png"), 10000u);
  const RunResult bad = Exec("render nosuchboard --out x.png");
  EXPECT_EQ(bad.status, 2);
  EXPECT_NE(bad.err.find("known: batch"), std::string::npos);
  const RunResult ext = Exec("render batch --out x.bmp");
  EXPECT_EQ(ext.status, 2);
}

}  // namespace

namespace {

// `search --json` prints {"plans": [...], "evaluated": N, "seconds": S} with each plan's training
// fields and figures (SCENARIO.md), best first; every plan fits.
TEST(Cli, SearchJsonListsPlansBestFirst) {
  const RunResult r = Exec("search --set cluster.racks=16 --top 5 --json");
  ASSERT_EQ(r.status, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_TRUE(j.contains("evaluated"));
  ASSERT_TRUE(j.contains("seconds"));
  ASSERT_GE(j["plans"].size(), 1u);
  ASSERT_LE(j["plans"].size(), 5u);
  double last = 0;
  for (const auto& p : j["plans"]) {
    for (const char* k : {"dp", "tp", "pp", "ep", "cp", "zero", "micro_batch", "schedule", "virtual_stages",
                          "recompute", "step_s", "mfu", "usd", "memory_per_chip_bytes"})
      EXPECT_TRUE(p.contains(k)) << k;
    EXPECT_GE(p["step_s"].get<double>(), last);
    last = p["step_s"].get<double>();
    EXPECT_LE(p["memory_per_chip_bytes"].get<double>(), 80e9);
  }
}

// eval --json carries the training section of SCENARIO.md.
TEST(Cli, EvalJsonHasTrainingFields) {
  const RunResult r = Exec("eval --set cluster.racks=4 --set training.pp=4 --json");
  ASSERT_EQ(r.status, 0) << r.err;
  const auto t = nlohmann::json::parse(r.out)["training"];
  for (const char* k : {"step_s", "mfu", "hfu", "bubble_fraction", "tokens_per_s", "memory_per_chip_bytes", "fits",
                        "comm_s", "exposed_comm_s", "days", "usd"})
    EXPECT_TRUE(t.contains(k)) << k;
  for (const char* k : {"dp", "tp", "pp", "ep", "cp"}) EXPECT_TRUE(t["comm_s"].contains(k)) << k;
  EXPECT_GT(t["bubble_fraction"].get<double>(), 0.0);
}

}  // namespace
