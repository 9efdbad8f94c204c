// libFuzzer target: one `--set KEY=VALUE` argument (the command line's and a
// lecture step's "set") through ApplySet and the JSON input gate.
//
// Input: the raw bytes of the assignment (any bytes: invalid UTF-8, control
// characters, deep brackets, huge keys). Checks: ApplySet only ever throws
// ScenarioError; its message is one line of bounded length (a 60 KB key or
// value is never repeated whole); a scenario it accepts validates or is refused
// by ValidateScenario with a ScenarioError, and then evaluates without NaN or
// negative figures (fuzz_checks.hpp).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "blackboard/scenario.hpp"
#include "fuzz_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 128 * 1024) return -1;
  const std::string assignment(reinterpret_cast<const char*>(data), size);
  static const blackboard::Scenario base = blackboard::DefaultScenario();
  blackboard::Scenario s = base;
  try {
    blackboard::ApplySet(s, assignment, "--set");
  } catch (const blackboard::ScenarioError& e) {
    const std::string message = e.what();
    if (message.size() > 1200 || message.find('\n') != std::string::npos) {
      std::fprintf(stderr, "fuzz: an error message of %zu bytes or several lines:\n%.2000s\n", message.size(),
                   message.c_str());
      __builtin_trap();
    }
    return 0;
  }
  try {
    blackboard::ValidateScenario(s, "--set");
  } catch (const blackboard::ScenarioError&) {
    return 0;
  }
  blackboard::fuzz::CheckEvaluations(s);
  return 0;
}
