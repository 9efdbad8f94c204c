// The GUI: a board canvas, a controls panel, a numbers panel, a board picker and the live plot
// strip. Immediate mode with one source of truth: panels read AppState every frame and change it
// only through commands applied between frames (so a bad value never half-applies).
#pragma once

#include <string>
#include <vector>

namespace blackboard {

// args: [FILE.json] [--frames N] [--screenshot OUT.png] [--board NAME] [--theme NAME] [--fresh]
//       [--open FILE.json] (as if the file were dropped on the window)
// (--frames/--screenshot are for the smoke test: run N frames, save the window, print the status
// line, exit).
int RunGui(const std::vector<std::string>& args);

}  // namespace blackboard
