// Stroke level of detail: which samples of a polyline a display at a given resolution needs, and the
// dashes along it. Pure geometry in scene units (no GL), shared by the screen and PNG interpreter.
//
// Use: a curve sampled at 240 points drawn 900 pixels wide keeps only the samples that bend it by a
// third of a pixel or more: `SimplifyPolyline(points, 0.33f / pixels_per_unit)`.
#pragma once

#include <cstddef>
#include <vector>

#include "scene/scene.hpp"

namespace blackboard {

// The gap between dashes, as a fraction of the dash (the SVG writer uses the same ratio).
inline constexpr float kDashGapRatio = 0.7f;

// Whether every sample strictly between pts[a] and pts[b] lies within `tolerance` of the segment
// from pts[a] to pts[b] (not only of its line: a sample that runs back past an end does not).
bool WithinChord(const std::vector<Vec2>& pts, size_t a, size_t b, float tolerance);

// The samples a stroke needs: the first and last always, and each sample where the stroke leaves
// the chord from the last kept sample by more than `tolerance`. Greedy (each chord is extended while
// every sample it skips stays within tolerance): straight runs collapse to their ends.
std::vector<Vec2> SimplifyPolyline(const std::vector<Vec2>& pts, float tolerance);

// The dashes of a dashed stroke: runs of `dash` length separated by gaps of dash * kDashGapRatio,
// measured along the whole polyline (the pattern carries across its vertices, as SVG's
// stroke-dasharray does), each run as the points it passes through.
std::vector<std::vector<Vec2>> DashRuns(const std::vector<Vec2>& pts, float dash);

}  // namespace blackboard
