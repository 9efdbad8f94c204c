// Scene helpers: colour parsing, shape builders, bounds.
#include "scene.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace blackboard {

namespace {
uint8_t ClampByte(float v) { return static_cast<uint8_t>(std::clamp(std::lround(v), 0L, 255L)); }
}  // namespace

Color Color::WithAlpha(float alpha) const { return {r, g, b, ClampByte(static_cast<float>(a) * alpha)}; }

Color Color::Mix(Color o, float t) const {
  auto m = [t](uint8_t x, uint8_t y) { return ClampByte(static_cast<float>(x) + (static_cast<float>(y) - x) * t); };
  return {m(r, o.r), m(g, o.g), m(b, o.b), m(a, o.a)};
}

Color ColorFromHex(const std::string& hex) {
  if ((hex.size() != 7 && hex.size() != 9) || hex[0] != '#')
    throw std::invalid_argument("colour '" + hex + "' must be #rrggbb or #rrggbbaa");
  for (size_t i = 1; i < hex.size(); ++i)
    if (!std::isxdigit(static_cast<unsigned char>(hex[i])))
      throw std::invalid_argument("colour '" + hex + "' must be #rrggbb or #rrggbbaa");
  auto byte = [&](size_t i) { return static_cast<uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)); };
  return {byte(1), byte(3), byte(5), hex.size() == 9 ? byte(7) : uint8_t{255}};
}

std::string ColorToHex(Color c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", c.r, c.g, c.b);
  return buf;
}

void Scene::Rect(Box b, Color fill, Color stroke, float stroke_width, float radius, std::string role) {
  shapes.push_back(RectShape{b, fill, stroke, stroke_width, radius, std::move(role)});
}
void Scene::Panel(Box b, Color fill, float radius, std::string role, Color stroke, float stroke_width) {
  shapes.push_back(RectShape{b, fill, {0, 0, 0, 0}, 0, radius, role, true});
  if (stroke_width > 0 && stroke.a > 0)
    shapes.push_back(RectShape{b, {0, 0, 0, 0}, stroke, stroke_width, radius, std::move(role) + "-outline"});
}
void Scene::Line(Vec2 a, Vec2 b, Color c, float line_width, float dash, std::string role) {
  shapes.push_back(PolylineShape{{a, b}, c, line_width, false, dash, std::move(role)});
}
void Scene::Polyline(std::vector<Vec2> pts, Color c, float line_width, float dash, std::string role) {
  shapes.push_back(PolylineShape{std::move(pts), c, line_width, false, dash, std::move(role)});
}
void Scene::Circle(Vec2 c, float r, Color fill, Color stroke, float stroke_width, std::string role) {
  shapes.push_back(CircleShape{c, r, fill, stroke, stroke_width, std::move(role)});
}
void Scene::Arrow(Vec2 from, Vec2 to, Color c, float line_width, float head, std::string role) {
  shapes.push_back(ArrowShape{from, to, c, line_width, head, std::move(role)});
}
void Scene::Text(Vec2 pos, std::string text, float size, Color c, FontFace face, HAlign h, VAlign v,
                 std::string role) {
  TextShape t;
  t.pos = pos;
  t.text = std::move(text);
  t.size = size;
  t.color = c;
  t.face = face;
  t.halign = h;
  t.valign = v;
  t.role = std::move(role);
  shapes.push_back(std::move(t));
}
void Scene::VerticalText(Vec2 pos, std::string text, float size, Color c, VAlign v, std::string role) {
  Text(pos, std::move(text), size, c, FontFace::kUi, HAlign::kCenter, v, std::move(role));
  std::get<TextShape>(shapes.back()).vertical = true;
}
void Scene::Band(std::vector<Vec2> upper, std::vector<Vec2> lower, Color fill, std::string role) {
  shapes.push_back(BandShape{std::move(upper), std::move(lower), fill, std::move(role)});
}

size_t Utf8Length(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

Box TextBounds(const TextShape& t) {
  const float w = MeasureTextWidth(t.text, t.size, t.face);
  const float h = t.size;
  // Extent along the text direction, then across it.
  float along0 = t.halign == HAlign::kLeft ? 0 : t.halign == HAlign::kCenter ? -w / 2 : -w;
  float across0 = t.valign == VAlign::kTop ? 0 : t.valign == VAlign::kMiddle ? -h / 2 : -h;
  if (!t.vertical) return {{t.pos.x + along0, t.pos.y + across0}, {t.pos.x + along0 + w, t.pos.y + across0 + h}};
  // Rotated 90° counter-clockwise: text runs upward (along -y), its top faces -x.
  return {{t.pos.x + across0, t.pos.y - along0 - w}, {t.pos.x + across0 + h, t.pos.y - along0}};
}

Box ShapeBounds(const Shape& shape) {
  Box b{{1e9f, 1e9f}, {-1e9f, -1e9f}};
  auto add = [&](Vec2 p) {
    b.min.x = std::min(b.min.x, p.x);
    b.min.y = std::min(b.min.y, p.y);
    b.max.x = std::max(b.max.x, p.x);
    b.max.y = std::max(b.max.y, p.y);
  };
  std::visit(
      [&](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, RectShape>) {
          add(v.box.min), add(v.box.max);
        } else if constexpr (std::is_same_v<T, PolylineShape> || std::is_same_v<T, PolygonShape>) {
          for (Vec2 p : v.points) add(p);
        } else if constexpr (std::is_same_v<T, BandShape>) {
          for (Vec2 p : v.upper) add(p);
          for (Vec2 p : v.lower) add(p);
        } else if constexpr (std::is_same_v<T, CircleShape>) {
          add(v.center - Vec2{v.radius, v.radius}), add(v.center + Vec2{v.radius, v.radius});
        } else if constexpr (std::is_same_v<T, TextShape>) {
          const Box tb = TextBounds(v);
          add(tb.min), add(tb.max);
        } else if constexpr (std::is_same_v<T, ArrowShape>) {
          add(v.from), add(v.to);
        }
      },
      shape);
  return b;
}

Box Scene::Bounds() const {
  Box b{{1e9f, 1e9f}, {-1e9f, -1e9f}};
  for (const Shape& s : shapes) {
    const Box sb = ShapeBounds(s);
    b.min.x = std::min(b.min.x, sb.min.x);
    b.min.y = std::min(b.min.y, sb.min.y);
    b.max.x = std::max(b.max.x, sb.max.x);
    b.max.y = std::max(b.max.y, sb.max.y);
  }
  return b;
}

}  // namespace blackboard
