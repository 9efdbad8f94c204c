// Scenario I/O (shared/SCENARIO.md): load/validate/save round trips, --set assignments, and the
// error messages a user sees (file, field, value, what is allowed; DESIGN.md convention 8).
//
// Index: round trips | ApplySet | error messages | the bad-scenario corpus
//        (tests/fixtures/bad_scenarios/NAME.json + NAME.expected).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "blackboard/assets.hpp"
#include "blackboard/scenario.hpp"

namespace blackboard {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string OutPath(const std::string& name) {
  fs::create_directories(BLACKBOARD_TEST_OUT);
  return std::string(BLACKBOARD_TEST_OUT) + "/" + name;
}

// Runs `f`, which must throw a ScenarioError, and returns it.
template <class F>
ScenarioError ExpectScenarioError(F&& f) {
  try {
    f();
  } catch (const ScenarioError& e) {
    return e;
  }
  ADD_FAILURE() << "no ScenarioError thrown";
  return ScenarioError("", "", "", "");
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

// ---------------------------------------------------------------------------------------------
// Round trips: SaveScenarioFile then LoadScenarioFile gives the same ToJson.

void ExpectRoundTrip(const Scenario& s, const std::string& file_name) {
  const std::string path = OutPath(file_name);
  SaveScenarioFile(s, path);
  const Scenario back = LoadScenarioFile(path);
  EXPECT_EQ(ToJson(back), ToJson(s)) << path;
  // And a second save is byte-identical (deterministic output).
  const std::string again = OutPath("again-" + file_name);
  SaveScenarioFile(back, again);
  EXPECT_EQ(ReadTextFile(again), ReadTextFile(path));
}

TEST(ScenarioIo, DefaultRoundTrip) { ExpectRoundTrip(DefaultScenario(), "default.json"); }

TEST(ScenarioIo, ExampleScenariosRoundTrip) {
  for (const auto& name : ListAssets("scenarios")) {
    SCOPED_TRACE(name);
    const Scenario s = LoadScenarioFile(AssetDir() + "/scenarios/" + name + ".json");
    ExpectRoundTrip(s, "roundtrip-" + name + ".json");
  }
}

TEST(ScenarioIo, EditedScenarioRoundTrip) {
  Scenario s = DefaultScenario();
  ApplySet(s, "model=deepseek-v3");
  ApplySet(s, "hardware=gb200-nvl72");
  ApplySet(s, "cluster.chips_per_rack=72");
  ApplySet(s, "serving.tp=1");
  ApplySet(s, "serving.ep=64");
  ApplySet(s, "training.tp=1");
  ApplySet(s, "training.dp=72");
  ApplySet(s, "training.global_batch=4608");
  ApplySet(s, "efficiency.compute=0.55");
  ApplySet(s, "efficiency.kernel_launch_s=2e-6");  // a named overhead
  ApplySet(s, "title=DeepSeek on a rack");
  ApplySet(s, "serving.cache_hit_rate=0.3");
  ValidateScenario(s, "edited");
  ExpectRoundTrip(s, "edited.json");
  const Scenario back = LoadScenarioFile(OutPath("edited.json"));
  EXPECT_EQ(back.model.name, "deepseek-v3");
  EXPECT_EQ(back.hardware.name, "gb200-nvl72");
  EXPECT_EQ(back.efficiency.overheads.at("kernel_launch_s"), 2e-6);
  EXPECT_EQ(back.hardware.sources, s.hardware.sources);
}

TEST(ScenarioIo, SaveIsAtomicAndLeavesNoTemporaryFile) {
  const std::string path = OutPath("atomic.json");
  SaveScenarioFile(DefaultScenario(), path);
  for (const auto& e : fs::directory_iterator(fs::path(path).parent_path()))
    EXPECT_FALSE(Contains(e.path().filename().string(), "atomic.json.tmp")) << e.path();
}

// A model object may start from a preset and override fields; the file's fields win.
TEST(ScenarioIo, PresetWithOverrides) {
  const Scenario s = ScenarioFromJson(
      json::parse(R"({"model": {"preset": "llama-3-8b", "layers": 16}, "serving": {"batch": 7}})"),
      "inline");
  EXPECT_EQ(s.model.name, "llama-3-8b");
  EXPECT_EQ(s.model.layers, 16);
  EXPECT_EQ(s.model.d_model, 4096);
  EXPECT_EQ(s.serving.batch, 7);
}

// ---------------------------------------------------------------------------------------------
// ApplySet: numbers, strings, booleans, presets.

TEST(ScenarioSet, Numbers) {
  Scenario s = DefaultScenario();
  ApplySet(s, "serving.batch=128");
  ApplySet(s, "hardware.hbm_bytes=1.5e11");
  ApplySet(s, "efficiency.memory=0.8");
  ApplySet(s, "serving.weight_bytes=0.5");
  EXPECT_EQ(s.serving.batch, 128);
  EXPECT_EQ(s.hardware.hbm_bytes, 1.5e11);
  EXPECT_EQ(s.efficiency.memory, 0.8);
  EXPECT_EQ(s.serving.weight_bytes, 0.5);
}

TEST(ScenarioSet, StringsAndBooleans) {
  Scenario s = DefaultScenario();
  ApplySet(s, "serving.math=fp8");
  ApplySet(s, "training.schedule=zb-h1");
  ApplySet(s, "title=A bare word is a string");
  ApplySet(s, "model.tied_embeddings=true");
  ApplySet(s, "serving.step_model=\"kv_serial\"");  // a quoted JSON string works too
  EXPECT_EQ(s.serving.math, "fp8");
  EXPECT_EQ(s.training.schedule, "zb-h1");
  EXPECT_EQ(s.title, "A bare word is a string");
  EXPECT_TRUE(s.model.tied_embeddings);
  EXPECT_EQ(s.serving.step_model, "kv_serial");
}

TEST(ScenarioSet, Presets) {
  Scenario s = DefaultScenario();
  ApplySet(s, "model=deepseek-v3");
  EXPECT_EQ(s.model.name, "deepseek-v3");
  EXPECT_EQ(s.model.attention, "mla");
  EXPECT_EQ(s.model.kv_latent, 512);
  EXPECT_EQ(s.model.experts, 256);
  ApplySet(s, "hardware=gb200-nvl72");
  EXPECT_EQ(s.hardware.name, "gb200-nvl72");
  EXPECT_EQ(s.hardware.scaleup_domain, 72);
  EXPECT_FALSE(s.hardware.sources.empty());
  // Through LoadScenarioFile's sets, after the file.
  const Scenario f = LoadScenarioFile(AssetDir() + "/scenarios/llama-70b-h100-serving.json",
                                      {"model=llama-3-8b", "serving.batch=256"});
  EXPECT_EQ(f.model.name, "llama-3-8b");
  EXPECT_EQ(f.serving.batch, 256);
}

// A failed assignment changes nothing.
TEST(ScenarioSet, FailureLeavesScenarioUnchanged) {
  Scenario s = DefaultScenario();
  const json before = ToJson(s);
  EXPECT_THROW(ApplySet(s, "serving.batch=-1"), ScenarioError);
  EXPECT_THROW(ApplySet(s, "model=no-such-model"), ScenarioError);
  EXPECT_THROW(ApplySet(s, "model={\"preset\": \"llama-3-8b\", \"layers\": 0}"), ScenarioError);
  EXPECT_EQ(ToJson(s), before);
}

// ---------------------------------------------------------------------------------------------
// Error messages name the file (source), the field, the value and what is allowed.

TEST(ScenarioErrors, UnknownFieldSuggestsTheNearestOne) {
  Scenario s = DefaultScenario();
  const ScenarioError e = ExpectScenarioError([&] { ApplySet(s, "serving.bach=64"); });
  EXPECT_EQ(e.file(), "--set");
  EXPECT_EQ(e.field(), "serving.bach");
  EXPECT_TRUE(Contains(e.what(), "did you mean serving.batch?")) << e.what();
  const ScenarioError h = ExpectScenarioError([&] { ApplySet(s, "hardware.hbm_byte=1e9"); });
  EXPECT_TRUE(Contains(h.what(), "did you mean hardware.hbm_bytes?")) << h.what();
  // Nothing close: no guess, but a pointer to the documentation.
  const ScenarioError far = ExpectScenarioError([&] { ApplySet(s, "zzzzzzzzzzzz=1"); });
  EXPECT_TRUE(Contains(far.what(), "is not a scenario field")) << far.what();
  EXPECT_FALSE(Contains(far.what(), "did you mean")) << far.what();
}

TEST(ScenarioErrors, RangeErrorNamesFieldValueAndRange) {
  Scenario s = DefaultScenario();
  const ScenarioError e = ExpectScenarioError([&] { ApplySet(s, "serving.batch=0", "cli"); });
  EXPECT_EQ(e.file(), "cli");
  EXPECT_EQ(e.field(), "serving.batch");
  EXPECT_EQ(e.value(), "0");
  EXPECT_EQ(e.allowed(), "must be an integer from 1 to 10000000");
  EXPECT_STREQ(e.what(), "cli: serving.batch = 0 must be an integer from 1 to 10000000");
}

TEST(ScenarioErrors, SetsThroughLoadNameTheAssignment) {
  const std::string path = AssetDir() + "/scenarios/llama-70b-h100-serving.json";
  const ScenarioError e =
      ExpectScenarioError([&] { LoadScenarioFile(path, {"serving.math=fp16"}); });
  EXPECT_EQ(e.file(), "--set serving.math=fp16");
  EXPECT_EQ(e.allowed(), "must be one of: bf16, fp8, fp4");
  // A set that is valid alone but breaks a cross-field rule names the file and the assignment.
  const ScenarioError v = ExpectScenarioError([&] { LoadScenarioFile(path, {"training.tp=3"}); });
  EXPECT_STREQ(v.what(),
               (path + " with --set training.tp=3: training.tp = 3 does not divide model.heads = 64").c_str());
}

TEST(ScenarioErrors, ValidateNamesTheSource) {
  Scenario s = DefaultScenario();
  s.training.tp = 3;
  const ScenarioError e = ExpectScenarioError([&] { ValidateScenario(s, "scenario.json"); });
  EXPECT_STREQ(e.what(), "scenario.json: training.tp = 3 does not divide model.heads = 64");
}

TEST(ScenarioErrors, MissingFileAndMalformedSet) {
  const ScenarioError e = ExpectScenarioError([] { LoadScenarioFile("/no/such/scenario.json"); });
  EXPECT_EQ(e.file(), "/no/such/scenario.json");
  EXPECT_TRUE(Contains(e.what(), "cannot be read")) << e.what();
  Scenario s = DefaultScenario();
  const ScenarioError m = ExpectScenarioError([&] { ApplySet(s, "serving.batch"); });
  EXPECT_TRUE(Contains(m.what(), "must have the form KEY=VALUE")) << m.what();
}

// ---------------------------------------------------------------------------------------------
// The corpus: every tests/fixtures/bad_scenarios/NAME.json fails to load with a ScenarioError whose
// message starts with the file's path and contains the line in NAME.expected.

TEST(BadScenarios, EachFailsWithTheExpectedMessage) {
  const fs::path dir = fs::path(BLACKBOARD_TEST_DIR) / "fixtures" / "bad_scenarios";
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  EXPECT_GE(files.size(), 15u);
  for (const auto& file : files) {
    const std::string path = file.string();
    SCOPED_TRACE(path);
    fs::path expected_path = file;
    expected_path.replace_extension(".expected");
    ASSERT_TRUE(fs::exists(expected_path)) << "missing " << expected_path;
    const std::string expected = Trim(ReadTextFile(expected_path.string()));
    ASSERT_FALSE(expected.empty());
    try {
      LoadScenarioFile(path);
      ADD_FAILURE() << "loaded without error";
    } catch (const ScenarioError& e) {
      const std::string what = e.what();
      EXPECT_EQ(what.rfind(path + ": ", 0), 0u) << "does not start with the path: " << what;
      EXPECT_TRUE(Contains(what, expected)) << "message: " << what << "\nexpected: " << expected;
      EXPECT_EQ(what.find('\n'), std::string::npos) << "not one line: " << what;
    } catch (const std::exception& e) {
      ADD_FAILURE() << "not a ScenarioError: " << e.what();
    }
  }
}


// Found by the --set fuzzer in CI: a preset name holding newlines was echoed whole, so the message
// spanned many lines. It is one line of bounded length, with the newlines shown escaped.
TEST(ScenarioErrors, APresetNameWithNewlinesIsOneBoundedLine) {
  Scenario s = DefaultScenario();
  const std::string value = "{\"p\":" + std::string(300, '\n') + " \"h100-sxm\", \"es\"| 2 80e9}";
  try {
    ApplySet(s, "hardware=" + value, "--set");
    ADD_FAILURE() << "accepted";
  } catch (const ScenarioError& e) {
    const std::string what = e.what();
    EXPECT_EQ(what.find('\n'), std::string::npos) << what;
    EXPECT_LE(what.size(), 1200u);
    EXPECT_TRUE(Contains(what, "is not a known preset")) << what;
    EXPECT_TRUE(Contains(what, "\\u000a")) << "newlines shown escaped: " << what;
  }
}

}  // namespace
}  // namespace blackboard
