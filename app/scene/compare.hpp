// A/B compare: one board for two scenarios side by side, with what differs highlighted below (the
// scenario fields that differ and the headline figures of each, with their ratio).
#pragma once

#include "board.hpp"

namespace blackboard {

// Scenario fields whose values differ, as "field: a -> b" (dotted paths, presets by name).
std::vector<std::string> ScenarioDifferences(const Scenario& a, const Scenario& b);

// Builds `board` for both scenarios (each on its own 1600 x 900 board) and lays them side by side
// on one canvas with a comparison strip underneath.
Scene BuildComparison(const BoardInfo& board, const Scenario& a, const Scenario& b, const Theme& th, double time_s);

// Moves every shape, hover region and handle of `s` by `d`.
void TranslateScene(Scene& s, Vec2 d);

}  // namespace blackboard
