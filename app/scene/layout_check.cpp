// The layout check: texts off the canvas, texts on texts, curves and markers through texts.
#include "layout_check.hpp"

#include <algorithm>
#include <cstdio>

namespace blackboard {

namespace {

bool IsCurve(const std::string& role) { return role == "curve"; }
bool IsMarker(const std::string& role) { return role == "marker"; }

std::string BoxText(const Box& b) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "[%.0f,%.0f - %.0f,%.0f]", b.min.x, b.min.y, b.max.x, b.max.y);
  return buf;
}

}  // namespace

bool BoxesOverlap(const Box& a, const Box& b, float tolerance_px) {
  return std::min(a.max.x, b.max.x) - std::max(a.min.x, b.min.x) > tolerance_px &&
         std::min(a.max.y, b.max.y) - std::max(a.min.y, b.min.y) > tolerance_px;
}

bool SegmentCrossesBox(Vec2 a, Vec2 b, const Box& box) {
  // Liang-Barsky: does any part of a-b lie inside the box?
  double t0 = 0, t1 = 1;
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double p[4] = {-dx, dx, -dy, dy};
  const double q[4] = {a.x - box.min.x, box.max.x - a.x, a.y - box.min.y, box.max.y - a.y};
  for (int k = 0; k < 4; ++k) {
    if (p[k] == 0) {
      if (q[k] < 0) return false;
    } else {
      const double t = q[k] / p[k];
      if (p[k] < 0) t0 = std::max(t0, t);
      else t1 = std::min(t1, t);
      if (t0 > t1) return false;
    }
  }
  return true;
}

namespace {
// What of `shape` crosses `box`: its role when it is a curve or a marker that does, else "".
std::string CrossingRole(const Shape& shape, const Box& box) {
  if (const auto* p = std::get_if<PolylineShape>(&shape)) {
    if (!IsCurve(p->role)) return {};
    const Box bounds = ShapeBounds(shape);
    if (!BoxesOverlap(bounds, box, -p->width) ) return {};
    for (size_t i = 0; i + 1 < p->points.size(); ++i)
      if (SegmentCrossesBox(p->points[i], p->points[i + 1], box)) return p->role;
  } else if (const auto* c = std::get_if<CircleShape>(&shape)) {
    if (IsMarker(c->role) && BoxesOverlap(ShapeBounds(shape), box)) return c->role;
  }
  return {};
}
}  // namespace

bool CurveCrossesBox(const Scene& scene, const Box& box) {
  for (const Shape& s : scene.shapes)
    if (!CrossingRole(s, box).empty()) return true;
  return false;
}

bool BoxIsFree(const Scene& scene, const Box& box) {
  for (const Shape& s : scene.shapes) {
    if (const auto* t = std::get_if<TextShape>(&s)) {
      if (BoxesOverlap(TextBounds(*t), box, kTextOverlapTolerance * t->size)) return false;
    } else if (!CrossingRole(s, box).empty()) {
      return false;
    }
  }
  return true;
}

void AddTextOverCurves(Scene& scene, TextShape text, Color patch) {
  if (const Box b = TextBounds(text); CurveCrossesBox(scene, b))
    scene.Rect({{b.min.x - 3, b.min.y - 1}, {b.max.x + 3, b.max.y + 1}}, patch, {}, 0, 3, text.role + "-backing");
  scene.shapes.push_back(std::move(text));
}

std::string LayoutProblem::Describe() const {
  switch (kind) {
    case Kind::kOffCanvas: return "off the canvas: \"" + text + "\" " + BoxText(box);
    case Kind::kTextOnText: return "text on text: \"" + text + "\" " + BoxText(box) + " and \"" + other + "\"";
    case Kind::kCurveThroughText: return "a " + other + " crosses \"" + text + "\" " + BoxText(box);
  }
  return {};
}

std::vector<LayoutProblem> CheckLayout(const Scene& scene) {
  std::vector<LayoutProblem> problems;
  std::vector<const TextShape*> texts;
  std::vector<Box> boxes;
  std::vector<size_t> text_index;  // where each text is in the scene's drawing order
  for (size_t k = 0; k < scene.shapes.size(); ++k)
    if (const auto* t = std::get_if<TextShape>(&scene.shapes[k])) {
      if (t->text.find_first_not_of(' ') == std::string::npos || t->color.a == 0) continue;
      texts.push_back(t);
      boxes.push_back(TextBounds(*t));
      text_index.push_back(k);
    }
  constexpr float kEdge = 0.5f;
  for (size_t i = 0; i < texts.size(); ++i) {
    const Box& b = boxes[i];
    if (b.min.x < -kEdge || b.min.y < -kEdge || b.max.x > scene.width + kEdge || b.max.y > scene.height + kEdge)
      problems.push_back({LayoutProblem::Kind::kOffCanvas, texts[i]->text, {}, b});
    for (size_t j = i + 1; j < texts.size(); ++j) {
      // The same text drawn twice in place (a glow, a shadow) is one text.
      if (texts[i]->text == texts[j]->text && texts[i]->pos == texts[j]->pos) continue;
      const float tolerance = kTextOverlapTolerance * std::min(texts[i]->size, texts[j]->size);
      if (BoxesOverlap(b, boxes[j], tolerance))
        problems.push_back({LayoutProblem::Kind::kTextOnText, texts[i]->text, texts[j]->text, b});
    }
    // A curve through the middle of a line of text: the box less a margin of a tenth of the size,
    // so a curve that only grazes the line box's empty top or bottom does not count, nor does one
    // hidden under an opaque patch drawn after it and before the text (a label's backing).
    const float inset = 0.1f * texts[i]->size;
    const Box core{{b.min.x + inset, b.min.y + inset}, {b.max.x - inset, b.max.y - inset}};
    size_t hidden_before = 0;  // curves drawn before this index are covered
    for (size_t k = 0; k < text_index[i]; ++k)
      if (const auto* r = std::get_if<RectShape>(&scene.shapes[k]); r && r->fill.a == 255 && r->box.min.x <= core.min.x &&
                                                                      r->box.min.y <= core.min.y &&
                                                                      r->box.max.x >= core.max.x && r->box.max.y >= core.max.y)
        hidden_before = k;
    for (size_t k = hidden_before; k < scene.shapes.size(); ++k) {
      const std::string role = CrossingRole(scene.shapes[k], core);
      if (!role.empty()) {
        problems.push_back({LayoutProblem::Kind::kCurveThroughText, texts[i]->text, role, b});
        break;
      }
    }
  }
  return problems;
}

}  // namespace blackboard
