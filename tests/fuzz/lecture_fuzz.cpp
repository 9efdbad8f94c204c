// libFuzzer target: the lecture loader (lecture.hpp), then every step's scenario through the engines.
//
// Input: a lecture JSON document ({"title": ..., "steps": [{"board", "scenario", "set",
// "annotations", ...}]}). Scenario paths in steps resolve against the installed example lectures'
// folder (assets/lectures), so "../scenarios/x.json" reaches the example scenarios.
//
// Checks: LectureFromJson and LoadLectureFile only ever throw ScenarioError; each step's resolved
// scenario validates and its serving and training figures are finite and non-negative
// (fuzz_checks.hpp). Built only when core/include/blackboard/lecture.hpp exists (CMakeLists.txt).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "blackboard/assets.hpp"
#include "blackboard/json_input.hpp"
#include "blackboard/lecture.hpp"
#include "fuzz_checks.hpp"

namespace {

using blackboard::ScenarioError;
using nlohmann::json;

// Steps whose scenarios go through the engines; the loader itself sees every step.
constexpr std::size_t kEvaluatedSteps = 4;

std::string& InputPath() {
  static std::string path;
  return path;
}

void RemoveInputFile() {
  if (InputPath().empty()) return;
  std::remove(InputPath().c_str());
  const std::string dir = InputPath().substr(0, InputPath().rfind('/'));
  ::rmdir(dir.c_str());
}

void CheckLecture(const blackboard::Lecture& lecture) {
  for (std::size_t i = 0; i < lecture.steps.size() && i < kEvaluatedSteps; ++i) {
    const blackboard::LectureStep& step = lecture.steps[i];
    try {
      blackboard::ValidateScenario(step.scenario, "lecture step");
    } catch (const ScenarioError& e) {
      std::fprintf(stderr, "fuzz: lecture step %zu holds an invalid scenario: %s\n", i, e.what());
      __builtin_trap();
    }
    blackboard::fuzz::CheckEvaluations(step.scenario);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* tmp = std::getenv("TMPDIR");
  std::string dir = std::string(tmp && *tmp ? tmp : "/tmp") + "/blackboard-lecture-fuzz-XXXXXX";
  if (::mkdtemp(dir.data()) == nullptr) {
    std::fprintf(stderr, "fuzz: mkdtemp failed: %s\n", dir.c_str());
    __builtin_trap();
  }
  InputPath() = dir + "/lecture.json";
  std::atexit(RemoveInputFile);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 64 * 1024) return -1;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::string lectures_dir = blackboard::AssetDir() + "/lectures";

  json doc;
  try {
    doc = blackboard::ParseJsonInput(text, "fuzz-lecture.json");  // the input gate, as for a file
  } catch (const ScenarioError&) {
  }
  try {
    CheckLecture(blackboard::LectureFromJson(doc, "fuzz-lecture.json", {}, lectures_dir));
  } catch (const ScenarioError&) {
  }
  // With a board list, unknown boards are rejected by name.
  try {
    CheckLecture(blackboard::LectureFromJson(doc, "fuzz-lecture.json", {"batch", "roofline"}, lectures_dir));
  } catch (const ScenarioError&) {
  }
  // The file route (the GUI's open and the command line's FILE argument).
  {
    std::ofstream out(InputPath(), std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
  }
  try {
    CheckLecture(blackboard::LoadLectureFile(InputPath(), {}));
  } catch (const ScenarioError&) {
  }
  return 0;
}
