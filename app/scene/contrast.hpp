// Contrast for a hall: WCAG 2.x contrast ratio of every text of a Scene against what lies under it.
//
// Use: `for (const ContrastProblem& p : CheckContrast(scene)) puts(p.Describe().c_str());`
// The backdrop of a text is the board's background with every filled rectangle
// and circle drawn before the text that contains the text's centre composited over it, in drawing order (a
// label's patch, a panel, a train's box). Text colours with alpha are composited over that backdrop first.
// Source: WCAG 2.2 §1.4.3 (contrast minimum 4.5:1) and its definitions of relative luminance and contrast
// ratio (sRGB linearisation, (L1 + 0.05) / (L2 + 0.05)).
#pragma once

#include <string>
#include <vector>

#include "scene.hpp"

namespace blackboard {

// WCAG 2.2 §1.4.3 level AA for body text: the bar every text of a board is held to (issue 16).
inline constexpr double kMinTextContrast = 4.5;

// Relative luminance of an opaque sRGB colour (alpha ignored), 0 (black) to 1 (white).
double RelativeLuminance(Color c);
// (L_lighter + 0.05) / (L_darker + 0.05), 1 to 21.
double ContrastRatio(Color a, Color b);
// `top` (with its alpha) over the opaque `bottom`.
Color CompositeOver(Color top, Color bottom);

// Of two text colours, the one that reads better on `fill` (composited over `board`): dark ink or light on a
// coloured box, whichever the theme's box colour calls for.
Color ReadableOn(Color fill, Color board, Color a, Color b);

struct ContrastProblem {
  std::string text;
  Color color, backdrop;
  double ratio = 0;
  std::string Describe() const;
};

// The opaque colour under the text at `text_index` (an index into scene.shapes).
Color TextBackdrop(const Scene &scene, size_t text_index);
// Every non-empty text whose contrast against its backdrop is below `min_ratio`.
std::vector<ContrastProblem> CheckContrast(const Scene &scene, double min_ratio = kMinTextContrast);

}  // namespace blackboard
