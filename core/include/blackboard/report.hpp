// The eval report of shared/SCENARIO.md: every figure of a scenario as JSON or as a readable table.
//
// Use: `EvalReportJson(s).dump(2)` for `blackboard eval --json`; `EvalReportText(s)` for the table.
// Seconds, bytes, FLOP/s and US dollars throughout.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include <optional>

#include "blackboard/scenario.hpp"
#include "blackboard/training.hpp"

namespace blackboard {

// The training engine on the scenario's plan, or why it was not run (a plan that does not fit the
// cluster, CheckTrainingPlan; or one the engine refuses). The eval report's training section.
struct TrainingOutcome {
  std::optional<TrainingReport> report;
  std::string reason;  // when !report
};
TrainingOutcome TryEvaluateTraining(const Scenario& s);

nlohmann::json EvalReportJson(const Scenario& s);
std::string EvalReportText(const Scenario& s);

// Human-readable quantities: FormatSeconds(0.0172) == "17.2 ms", FormatBytes(8e10) == "80 GB".
std::string FormatSeconds(double s);
std::string FormatBytes(double b);
std::string FormatCount(double n);      // 1.23 K / M / B / T
std::string FormatUsd(double usd);
std::string FormatFlops(double flops_per_s);

}  // namespace blackboard
