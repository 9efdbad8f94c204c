// Scene: the display list every board builds once and every backend interprets (screen, SVG, PNG).
//
// Use: a board fills `Scene scene(1600, 900)` with shapes in logical pixels (origin top-left, y down):
//   scene.Rect({10, 10}, {200, 80}, theme.compute);  scene.Text({20, 40}, "17 ms", style);
// Backends never invent geometry: SVG writes the shapes as they are, the ImGui backend maps them to
// an ImDrawList with one offset and one scale. Colours are resolved from the Theme at build time;
// `role` strings (e.g. "compute") travel along so SVG can carry them as classes.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace blackboard {

struct Color {
  uint8_t r = 0, g = 0, b = 0, a = 255;
  Color WithAlpha(float alpha) const;  // alpha in [0, 1], multiplies the current alpha
  Color Mix(Color other, float t) const;
  bool operator==(const Color&) const = default;
};
Color ColorFromHex(const std::string& hex);  // "#rrggbb" or "#rrggbbaa"; throws on bad input
std::string ColorToHex(Color c);             // "#rrggbb" (alpha separately)

struct Vec2 {
  float x = 0, y = 0;
  Vec2 operator+(Vec2 o) const { return {x + o.x, y + o.y}; }
  Vec2 operator-(Vec2 o) const { return {x - o.x, y - o.y}; }
  Vec2 operator*(float s) const { return {x * s, y * s}; }
  bool operator==(const Vec2&) const = default;
};

struct Box {
  Vec2 min, max;
  float Width() const { return max.x - min.x; }
  float Height() const { return max.y - min.y; }
  bool Contains(Vec2 p) const { return p.x >= min.x && p.x <= max.x && p.y >= min.y && p.y <= max.y; }
};

enum class FontFace { kChalk, kUi, kMono };
enum class HAlign { kLeft, kCenter, kRight };
enum class VAlign { kTop, kMiddle, kBottom };

struct RectShape {
  Box box;
  Color fill{0, 0, 0, 0};
  Color stroke{0, 0, 0, 0};
  float stroke_width = 0;
  float radius = 0;
  std::string role;
  // A panel behind other shapes (opaque fill, no stroke, drawn before anything it overlaps): the
  // screen and PNG backends paint it once with the cached board background instead of every frame.
  bool backdrop = false;
};

struct PolylineShape {
  std::vector<Vec2> points;
  Color color;
  float width = 2;
  bool closed = false;
  float dash = 0;  // dash length; 0 = solid
  std::string role;
};

// A filled polygon; `points` need not be convex (backends triangulate by fan only when convex, so
// boards use BandShape for areas under curves).
struct PolygonShape {
  std::vector<Vec2> points;  // convex
  Color fill;
  std::string role;
};

// The area between two curves sampled at the same x positions (upper[i].x == lower[i].x).
struct BandShape {
  std::vector<Vec2> upper, lower;
  Color fill;
  std::string role;
};

struct CircleShape {
  Vec2 center;
  float radius = 4;
  Color fill{0, 0, 0, 0};
  Color stroke{0, 0, 0, 0};
  float stroke_width = 0;
  std::string role;
};

struct TextShape {
  Vec2 pos;
  std::string text;  // UTF-8
  float size = 18;   // pixel height
  FontFace face = FontFace::kUi;
  Color color;
  HAlign halign = HAlign::kLeft;
  VAlign valign = VAlign::kTop;
  bool vertical = false;  // rotated 90° counter-clockwise about pos (y-axis labels)
  std::string role;
};

struct ArrowShape {
  Vec2 from, to;
  Color color;
  float width = 2;
  float head = 10;
  std::string role;
};

using Shape = std::variant<RectShape, PolylineShape, PolygonShape, BandShape, CircleShape, TextShape,
                           ArrowShape>;

// A region that explains itself on hover (screen) and as a <title> in SVG.
struct HoverRegion {
  Box box;
  std::string title;    // "Weight fetch"
  std::string formula;  // "N_total x bytes / (chips x HBM BW) = 141 GB / (8 x 3.35 TB/s) = 5.3 ms"
};

// A control that a board can make draggable on the canvas (e.g. a roofline point).
struct DragHandle {
  Vec2 pos;
  std::string id;     // e.g. "serving.batch"
  Box track;          // where it may move
  // Dragging by the track's full width multiplies the value by 10^decades_across_track (log axes).
  double decades_across_track = 1;
  double value_min = 1, value_max = 1;
};

struct Scene {
  Scene() = default;
  Scene(float w, float h) : width(w), height(h) {}
  float width = 1600, height = 900;
  Color background;
  float board_texture = 0;  // 0..1: strength of the slate texture drawn behind the shapes
  float chalk = 0;          // 0..1: chalk grain applied over the shapes (PNG and screen; SVG stays crisp)
  std::string title;
  std::vector<Shape> shapes;
  std::vector<HoverRegion> hovers;
  std::vector<DragHandle> handles;

  void Rect(Box b, Color fill, Color stroke = {0, 0, 0, 0}, float stroke_width = 0, float radius = 0,
            std::string role = {});
  // A backdrop panel (RectShape::backdrop): call before the shapes drawn on it. A stroke becomes a
  // separate outline rect right after it (the outline is cheap; the fill is what costs per frame).
  void Panel(Box b, Color fill, float radius = 8, std::string role = "panel", Color stroke = {0, 0, 0, 0},
             float stroke_width = 0);
  void Line(Vec2 a, Vec2 b, Color c, float line_width = 2, float dash = 0, std::string role = {});
  void Polyline(std::vector<Vec2> pts, Color c, float line_width = 2, float dash = 0, std::string role = {});
  void Circle(Vec2 c, float r, Color fill, Color stroke = {0, 0, 0, 0}, float stroke_width = 0,
              std::string role = {});
  void Arrow(Vec2 from, Vec2 to, Color c, float line_width = 2, float head = 10, std::string role = {});
  void Text(Vec2 pos, std::string text, float size, Color c, FontFace face = FontFace::kUi,
            HAlign h = HAlign::kLeft, VAlign v = VAlign::kTop, std::string role = {});
  // Text rotated 90° counter-clockwise about pos, centred along its run (axis labels).
  void VerticalText(Vec2 pos, std::string text, float size, Color c, VAlign v = VAlign::kMiddle,
                    std::string role = "axis-label");
  void Band(std::vector<Vec2> upper, std::vector<Vec2> lower, Color fill, std::string role = {});

  // Bounding box of every shape (text by its estimated extent). Used by tests: nothing outside.
  Box Bounds() const;
};

// Width of one line of UTF-8 `text` in pixels at `size` in `face`, from the font file's glyph
// advances (text_metrics.cpp): the width the screen and PNG draw and the SVG embeds.
float MeasureTextWidth(const std::string& text, float size, FontFace face);
// The box a text shape covers (its measured width by its line height `size`).
Box TextBounds(const TextShape& t);
// The box any shape covers (text by its measured box; line widths not included).
Box ShapeBounds(const Shape& shape);
size_t Utf8Length(const std::string& s);

}  // namespace blackboard
