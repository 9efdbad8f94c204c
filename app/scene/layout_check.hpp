// The layout check: what a reader of the board would call a layout bug, found on the Scene itself
// with the font files' metrics (MeasureTextWidth), so it holds for the screen, the PNG and the SVG.
//
// Use: `for (const LayoutProblem& p : CheckLayout(scene)) std::puts(p.Describe().c_str());`
// Three kinds: a text that leaves the canvas, two texts that overlap, a text that a plotted curve or
// a marker crosses (unless an opaque patch drawn between them hides the curve: a label's backing).
// Tests run it over every board, theme, size, moment and lecture step.
#pragma once

#include <string>
#include <vector>

#include "scene.hpp"

namespace blackboard {

struct LayoutProblem {
  enum class Kind { kOffCanvas, kTextOnText, kCurveThroughText };
  Kind kind = Kind::kOffCanvas;
  std::string text;   // the text concerned
  std::string other;  // the other text (kTextOnText) or the crossing shape's role (kCurveThroughText)
  Box box;            // the text's box
  std::string Describe() const;
};

// Overlaps smaller than this fraction of the smaller text's size (in both directions) are not
// counted: line boxes of stacked lines touch without any ink meeting.
inline constexpr float kTextOverlapTolerance = 0.12f;

std::vector<LayoutProblem> CheckLayout(const Scene& scene);

// Box helpers shared by the check and by boards that choose among candidate label positions.
bool BoxesOverlap(const Box& a, const Box& b, float tolerance_px = 0);
bool SegmentCrossesBox(Vec2 a, Vec2 b, const Box& box);
// True when any curve or marker of `scene` (roles "curve", "marker") crosses `box`.
bool CurveCrossesBox(const Scene& scene, const Box& box);
// True when no curve or marker crosses `box` and no text of `scene` overlaps it: a free place for a
// label (boards try candidate positions in order and take the first free one).
bool BoxIsFree(const Scene& scene, const Box& box);
// Adds `text` to `scene`; where a curve or marker already drawn crosses it, on an opaque patch of
// `patch` (the board's colour, role "<role>-backing") so that it reads.
void AddTextOverCurves(Scene& scene, TextShape text, Color patch);

}  // namespace blackboard
