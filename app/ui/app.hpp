// The GUI: a board canvas, a controls panel, a numbers panel, a board picker and the live plot
// strip. Immediate mode with one source of truth: panels read AppState every frame and change it
// only through commands applied between frames (so a bad value never half-applies).
#pragma once

#include <string>
#include <vector>

#include "blackboard/lecture.hpp"
#include "blackboard/scenario.hpp"

namespace blackboard {

// args: [FILE.json] [--frames N] [--screenshot OUT.png] [--board NAME] [--theme NAME] [--fresh]
//       [--open FILE.json] (as if the file were dropped on the window)
// (--frames/--screenshot are for the smoke test: run N frames, save the window, print the status
// line, exit).
int RunGui(const std::vector<std::string>& args);

// The scenario a board starts from when it is picked in the window (or named by --board) while
// `lecture` is open at `step` (0-based): the step's own board shows the step's scenario; any other
// board starts from the default scenario, so a step's settings (step 1's efficiency = roofline,
// batch = 1) do not follow into other boards. A `current` scenario changed by hand (neither the
// step's nor the default) is kept; without a lecture `current` is kept.
Scenario ScenarioForPickedBoard(const Lecture& lecture, int step, const Scenario& current, const std::string& board);

}  // namespace blackboard
