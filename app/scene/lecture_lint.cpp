// Lecture lint (lecture_lint.hpp). Index: title words | step evaluation | LintLecture.
#include "lecture_lint.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <optional>

#include "blackboard/report.hpp"
#include "blackboard/serving.hpp"
#include "blackboard/training.hpp"
#include "board.hpp"
#include "boards/pipeline_common.hpp"

namespace blackboard {

namespace {

// ---------------------------------------------------------------- title words

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

bool Has(const std::string& lower_title, const char* phrase) { return lower_title.find(phrase) != std::string::npos; }

std::string Percent(double fraction) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %%", 100 * fraction);
  return buf;
}

// ---------------------------------------------------------------- step evaluation

// What a step's board needs in memory per chip: the training plan on a training board, the serving
// weights + KV otherwise. `evaluated` false: the training plan did not run (why in `what`).
struct MemoryAtStep {
  bool evaluated = true;
  bool fits = true;
  double per_chip_bytes = 0, capacity_bytes = 0;
  std::string what;  // "the training plan" / "serving (weights + KV)", or why the plan did not run
};

// The step's evaluations, each computed once, when first asked for (issue 14 item 3).
struct StepEvaluation {
  const BoardInfo* board = nullptr;
  Scenario scenario;
  std::optional<ServingReport> serving_report;
  std::optional<TrainingOutcome> training_outcome;
  const ServingReport& Serving() {
    if (!serving_report) serving_report = EvaluateServing(scenario);
    return *serving_report;
  }
  const TrainingOutcome& Training() {
    if (!training_outcome) training_outcome = TryEvaluateTraining(scenario);
    return *training_outcome;
  }
  MemoryAtStep Memory() {
    MemoryAtStep m;
    if (board && board->training) {
      const TrainingOutcome& t = Training();
      if (!t.report) return {false, false, 0, 0, "the training plan does not run: " + t.reason};
      m.fits = t.report->fits;
      m.per_chip_bytes = t.report->memory.total_bytes;
      m.capacity_bytes = t.report->memory.capacity_bytes;
      m.what = "the training plan";
    } else {
      const ServingReport& r = Serving();
      m.fits = r.fits;
      m.per_chip_bytes = r.memory.total;
      m.capacity_bytes = r.memory.capacity;
      m.what = "serving (weights + KV)";
    }
    return m;
  }
};

}  // namespace

bool TitleIsAboutNotFitting(const std::string& title) {
  const std::string t = Lower(title);
  for (const char* phrase : {"not fit", "n't fit", "no longer fit", "overflow", "out of memory", "too big",
                             "too large", "exceeds hbm", "over hbm"})
    if (Has(t, phrase)) return true;
  return false;
}

std::string LintProblem::Text() const { return "step " + std::to_string(step) + " \"" + title + "\": " + reason; }

// ---------------------------------------------------------------- LintLecture

std::vector<LintProblem> LintLecture(const Lecture& lecture) {
  std::vector<LintProblem> problems;
  for (size_t i = 0; i < lecture.steps.size(); ++i) {
    const LectureStep& step = lecture.steps[i];
    auto problem = [&](const std::string& reason) { problems.push_back({static_cast<int>(i) + 1, step.title, reason}); };
    StepEvaluation ev;
    ev.board = FindBoard(step.board);
    ev.scenario = WithResolvedDegrees(step.scenario);
    if (!ev.board) {
      problem("board " + step.board + " is not a board");
      continue;
    }
    if (const std::optional<std::string> why = DegenerateReason(*ev.board, step.scenario))
      problem(step.board + " has nothing to show: " + *why + " (it would draw its worked example instead)");

    // Memory: the point the step sits at fits, unless the title is about not fitting (then it must not).
    const MemoryAtStep mem = ev.Memory();
    const std::string t = Lower(step.title);
    const bool about_not_fitting = TitleIsAboutNotFitting(step.title);
    if (!mem.evaluated) {
      problem(mem.what);
    } else if (!mem.fits && !about_not_fitting) {
      // A title that claims "fits" is held to it here too.
      problem(std::string(Has(t, "fits") ? "says it fits but it " : "") + "does not fit in memory: " + mem.what +
              " needs " + FormatBytes(mem.per_chip_bytes) + " per chip of " + FormatBytes(mem.capacity_bytes) +
              " HBM (" + step.scenario.hardware.name + "); move the point or say so in the title");
    } else if (mem.fits && about_not_fitting) {
      problem("the title says it does not fit, but " + mem.what + " fits: " + FormatBytes(mem.per_chip_bytes) +
              " per chip of " + FormatBytes(mem.capacity_bytes) + " HBM");
    }

    // Claims the engine can check.
    if (Has(t, "no bubble")) {
      double busy = 0;
      std::string what;
      if (step.board == "pipeline-serving") {
        busy = MakeDecodePipeline(ev.scenario).loop.stage_utilization;
        what = "each rack is busy ";
      } else if (const TrainingOutcome& tr = ev.Training(); tr.report) {
        busy = 1 - tr.report->bubble_fraction;
        what = "each stage is busy ";
      } else {
        what = "the training plan does not run (" + tr.reason + "): busy ";
      }
      if (busy < kNoBubbleBusyFraction)
        problem("says \"no bubble\" but " + what + Percent(busy) + " of the time (needs " +
                Percent(kNoBubbleBusyFraction) + ")");
    }
    for (const Bound b : {Bound::kMemory, Bound::kCompute, Bound::kNetwork}) {
      const std::string claim = std::string(BoundName(b)) + "-bound";
      if (!Has(t, claim.c_str()) || Has(t, ("not " + claim).c_str())) continue;
      const Bound actual = ev.Serving().decode.bound;
      if (actual != b) problem("says \"" + claim + "\" but the decode step is " + BoundName(actual) + "-bound");
    }
  }
  return problems;
}

}  // namespace blackboard
