// Contrast for a hall: WCAG contrast of each text against the colours drawn under it.
#include "contrast.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace blackboard {

namespace {
// WCAG 2.2 "relative luminance": sRGB channel linearised (0.04045 knee, 2.4 gamma).
double Linear(uint8_t v) {
  const double c = v / 255.0;
  return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}
}  // namespace

double RelativeLuminance(Color c) { return 0.2126 * Linear(c.r) + 0.7152 * Linear(c.g) + 0.0722 * Linear(c.b); }

double ContrastRatio(Color a, Color b) {
  const double la = RelativeLuminance(a), lb = RelativeLuminance(b);
  return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

Color CompositeOver(Color top, Color bottom) {
  const float a = top.a / 255.0f;
  auto mix = [a](uint8_t t, uint8_t b) { return static_cast<uint8_t>(std::lround(t * a + b * (1 - a))); };
  return {mix(top.r, bottom.r), mix(top.g, bottom.g), mix(top.b, bottom.b), 255};
}

Color ReadableOn(Color fill, Color board, Color a, Color b) {
  board.a = 255;
  const Color under = CompositeOver(fill, board);
  return ContrastRatio(a, under) >= ContrastRatio(b, under) ? a : b;
}

std::string ContrastProblem::Describe() const {
  char buf[128];
  std::snprintf(buf, sizeof buf, "%.2f:1 (%s on %s)", ratio, ColorToHex(color).c_str(), ColorToHex(backdrop).c_str());
  return "\"" + text + "\" " + buf;
}

Color TextBackdrop(const Scene &scene, size_t text_index) {
  Color under = scene.background;
  under.a = 255;
  const auto *text = std::get_if<TextShape>(&scene.shapes.at(text_index));
  if (!text) return under;
  const Box tb = ShapeBounds(scene.shapes[text_index]);
  const Vec2 c{(tb.min.x + tb.max.x) / 2, (tb.min.y + tb.max.y) / 2};
  for (size_t i = 0; i < text_index; ++i) {
    if (const auto *r = std::get_if<RectShape>(&scene.shapes[i]); r && r->fill.a > 0 && r->box.Contains(c)) {
      under = CompositeOver(r->fill, under);
    } else if (const auto *ci = std::get_if<CircleShape>(&scene.shapes[i]); ci && ci->fill.a > 0) {
      const float dx = c.x - ci->center.x, dy = c.y - ci->center.y;
      if (dx * dx + dy * dy <= ci->radius * ci->radius) under = CompositeOver(ci->fill, under);
    }
  }
  return under;
}

std::vector<ContrastProblem> CheckContrast(const Scene &scene, double min_ratio) {
  std::vector<ContrastProblem> problems;
  for (size_t i = 0; i < scene.shapes.size(); ++i) {
    const auto *t = std::get_if<TextShape>(&scene.shapes[i]);
    if (!t || t->text.empty() || t->color.a == 0) continue;
    const Color backdrop = TextBackdrop(scene, i);
    const Color ink = CompositeOver(t->color, backdrop);
    const double ratio = ContrastRatio(ink, backdrop);
    if (ratio < min_ratio) problems.push_back({t->text, ink, backdrop, ratio});
  }
  return problems;
}

}  // namespace blackboard
