// Chalk annotations.
#include "annotations.hpp"

#include "board.hpp"

#include <cmath>

namespace blackboard {

Color ThemeColorByName(const Theme& th, const std::string& n) {
  if (n == "ink") return th.ink;
  if (n == "ink_dim") return th.ink_dim;
  if (n == "compute") return th.compute;
  if (n == "memory_bw") return th.memory_bw;
  if (n == "memory_cap") return th.memory_cap;
  if (n == "network") return th.network;
  if (n == "forward") return th.forward;
  if (n == "backward") return th.backward;
  if (n == "wgrad") return th.wgrad;
  if (n == "kv") return th.kv;
  if (n == "weights") return th.weights;
  return th.accent;
}

void ChalkPolyline(Scene& s, const std::vector<Vec2>& pts, Color c, float width) {
  if (pts.size() < 2) return;
  s.Polyline(pts, c.WithAlpha(0.9f), width, 0, "chalk");
  // Two faint passes offset across the stroke give the dusty edge of chalk.
  for (float off : {-0.45f, 0.55f}) {
    std::vector<Vec2> q;
    q.reserve(pts.size());
    for (size_t i = 0; i < pts.size(); ++i) {
      const Vec2 a = pts[i == 0 ? 0 : i - 1], b = pts[i + 1 < pts.size() ? i + 1 : i];
      const float dx = b.x - a.x, dy = b.y - a.y, len = std::max(1e-3f, std::sqrt(dx * dx + dy * dy));
      const float wobble = 0.35f * std::sin(static_cast<float>(i) * 2.1f + off * 7.0f);
      q.push_back({pts[i].x - dy / len * width * (off + wobble * 0.3f), pts[i].y + dx / len * width * (off + wobble * 0.3f)});
    }
    s.Polyline(std::move(q), c.WithAlpha(0.28f), width * 0.55f, 0, "chalk-edge");
  }
}

void AddAnnotations(Scene& board, const std::vector<Annotation>& annotations, const Theme& th) {
  // Annotations are written in design-canvas coordinates (1600 x 900): drawn there, then placed on
  // the board's canvas in proportion (x by W/1600, y by H/900: a board laid out for another aspect
  // stretches the same way), their sizes scaled by the board's unit.
  Scene s(board.width, board.height);
  const float w = th.bold_line_width * 0.8f;
  for (const Annotation& a : annotations) {
    const Color c = ThemeColorByName(th, a.color);
    auto P = [](std::pair<float, float> p) { return Vec2{p.first, p.second}; };
    if (a.kind == "stroke") {
      std::vector<Vec2> pts;
      for (const auto& p : a.points) pts.push_back(P(p));
      ChalkPolyline(s, pts, c, w);
    } else if (a.kind == "arrow") {
      const Vec2 from = P(a.points[0]), to = P(a.points[1]);
      const float dx = to.x - from.x, dy = to.y - from.y, len = std::max(1e-3f, std::sqrt(dx * dx + dy * dy));
      const float ux = dx / len, uy = dy / len, head = 18;
      ChalkPolyline(s, {from, to}, c, w);
      ChalkPolyline(s, {{to.x - ux * head - uy * head * 0.6f, to.y - uy * head + ux * head * 0.6f}, to,
                        {to.x - ux * head + uy * head * 0.6f, to.y - uy * head - ux * head * 0.6f}},
                    c, w);
      if (!a.text.empty())
        s.Text(from, a.text, th.heading_size, c, FontFace::kChalk, HAlign::kCenter, dy > 0 ? VAlign::kBottom : VAlign::kTop,
               "annotation");
    } else if (a.kind == "circle") {
      std::vector<Vec2> pts;
      const Vec2 c0 = P(a.points[0]);
      for (int i = 0; i <= 48; ++i) {
        const float t = static_cast<float>(i) / 48.0f * 6.4f;  // a little past a full turn, like a hand
        pts.push_back({c0.x + a.radius * std::cos(t), c0.y + a.radius * 0.92f * std::sin(t)});
      }
      ChalkPolyline(s, pts, c, w);
      if (!a.text.empty())
        s.Text({c0.x, c0.y + a.radius + 6}, a.text, th.heading_size, c, FontFace::kChalk, HAlign::kCenter, VAlign::kTop,
               "annotation");
    } else {
      const bool formula = a.kind == "formula";
      const Vec2 at = P(a.points[0]);
      if (formula) {
        const float tw = MeasureTextWidth(a.text, th.heading_size, FontFace::kMono);
        s.Rect({{at.x - 10, at.y - 8}, {at.x + tw + 10, at.y + th.heading_size + 8}}, th.panel, c.WithAlpha(0.6f), 1.5f, 6,
               "formula-box");
      }
      s.Text(at, a.text, th.heading_size, c, formula ? FontFace::kMono : FontFace::kChalk, HAlign::kLeft, VAlign::kTop,
             "annotation");
    }
  }
  const float unit = BoardUnit(board.width, board.height);
  if (unit != 1) ScaleScene(s, unit, board.width, board.height);
  const Vec2 stretch{board.width / kDesignWidth / unit, board.height / kDesignHeight / unit};
  auto place = [&](Vec2 p) { return Vec2{p.x * stretch.x, p.y * stretch.y}; };
  for (Shape& shape : s.shapes) {
    if (auto* line = std::get_if<PolylineShape>(&shape)) {
      for (Vec2& p : line->points) p = place(p);
    } else if (auto* text = std::get_if<TextShape>(&shape)) {
      text->pos = place(text->pos);
    } else if (auto* box = std::get_if<RectShape>(&shape)) {  // a formula's box moves with its text
      const Vec2 size = box->box.max - box->box.min;
      box->box.min = place(box->box.min), box->box.max = box->box.min + size;
    }
    board.shapes.push_back(std::move(shape));
  }
}

}  // namespace blackboard
