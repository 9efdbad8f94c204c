// Helpers shared by the training tests: a scenario from --set assignments, and a check that
// validation rejects a scenario naming a given field.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "blackboard/scenario.hpp"

namespace blackboard {

// DefaultScenario() with `sets` applied (the --set syntax), validated. BLACKBOARD_FIT="name=value;..."
// overrides training efficiency fields by name while fitting (docs/validation.md); unset in CI.
inline Scenario ScenarioFromSets(const std::vector<std::string>& sets) {
  Scenario s = DefaultScenario();
  for (const std::string& a : sets) ApplySet(s, a, "test");
  if (const char* fit = std::getenv("BLACKBOARD_FIT")) {
    std::string rest = fit;
    while (!rest.empty()) {
      const auto semi = rest.find(';');
      const std::string one = rest.substr(0, semi);
      if (!one.empty()) ApplySet(s, "efficiency." + one, "BLACKBOARD_FIT");
      rest = semi == std::string::npos ? "" : rest.substr(semi + 1);
    }
  }
  ValidateScenario(s, "test");
  return s;
}

// ValidateScenario must throw a ScenarioError naming `field` (and `needle` in its message, if given).
inline void ExpectRejected(const Scenario& s, const std::string& field, const std::string& needle = "") {
  try {
    ValidateScenario(s, "test.json");
    ADD_FAILURE() << field << " must be rejected";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.field(), field);
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
}

}  // namespace blackboard
