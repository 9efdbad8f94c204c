// Lecture lint: does every step show the idea its title names, with numbers that hold?
//
// Use: `for (const LintProblem& p : LintLecture(lecture)) std::cout << p.Text() << "\n";`
// (`blackboard lint LECTURE.json`). Each step is evaluated once (serving and training engines) and
// checked for:
//   - a degenerate board (BoardInfo::degenerate_reason: sharding with DP 1, collectives on one rack,
//     ...): the step would show the board's worked example, not its own scenario;
//   - a point that does not fit in memory (the training plan per chip on a training board, the
//     serving weights + KV per chip otherwise, against HBM), unless the title says it is about not
//     fitting ("does not fit", "overflow", "out of memory", ...); a title that says so of a point
//     that fits is a problem too;
//   - every claim in the title the engine can check: "no bubble" (each rack / stage busy at least
//     kNoBubbleBusyFraction of the time), "memory-bound" / "compute-bound" / "network-bound" (the
//     serving decode step's bound), "fits" (as the memory check).
#pragma once

#include <string>
#include <vector>

#include "blackboard/lecture.hpp"

namespace blackboard {

// "No bubble" holds when every rack (pipeline-serving) or stage (training) is busy at least this
// fraction of the step.
inline constexpr double kNoBubbleBusyFraction = 0.95;

struct LintProblem {
  int step = 0;              // 1-based, as `render --step N`
  std::string title;         // the step's title
  std::string reason;        // what does not hold, with the engine's numbers
  std::string Text() const;  // step 11 "4. Where the weights live: ZeRO stages": sharding has nothing ...
};

std::vector<LintProblem> LintLecture(const Lecture& lecture);

// The title says the step is about not fitting in memory.
bool TitleIsAboutNotFitting(const std::string& title);

}  // namespace blackboard
