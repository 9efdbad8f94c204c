// The live plot strip beside every board: the figures the board is about (step time, cost per
// token, memory per chip) against the field being dragged, recomputed whenever the scenario changes.
#pragma once

#include "board.hpp"

namespace blackboard {

// Samples `sweep` over its range (log or linear) and plots three small charts stacked vertically:
// serving (decode step time, $ per million output tokens, memory per chip against HBM) or, for a
// board about training, training (step time, cost of the run for training.tokens, memory per chip
// against HBM; the training report with the closed-form bubble, which a 64-sample sweep can afford
// every frame: the simulated schedule, which the board and the numbers panel show, can differ a
// little for zero-bubble schedules).
Scene BuildLiveStrip(const Scenario& s, const Control& sweep, const Theme& th, float width, float height,
                     bool training = false);

}  // namespace blackboard
