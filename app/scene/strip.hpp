// The live plot strip beside every board: the figures the board is about (step time, cost per
// token, memory per chip) against the field being dragged, recomputed whenever the scenario changes.
#pragma once

#include "board.hpp"

namespace blackboard {

// Samples `sweep` over its range (log or linear) and plots three small charts stacked vertically.
Scene BuildLiveStrip(const Scenario& s, const Control& sweep, const Theme& th, float width, float height);

}  // namespace blackboard
