// Scene -> ImDrawList.
#include "scene_draw.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>

#include <imgui.h>

namespace blackboard {

namespace {

ImU32 Col(Color c) { return IM_COL32(c.r, c.g, c.b, c.a); }

void DashedLine(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float width, float dash) {
  const float dx = b.x - a.x, dy = b.y - a.y, len = std::sqrt(dx * dx + dy * dy);
  if (len <= 0) return;
  const float gap = dash * 0.7f;
  for (float t = 0; t < len; t += dash + gap) {
    const float t1 = std::min(len, t + dash);
    dl->AddLine({a.x + dx * t / len, a.y + dy * t / len}, {a.x + dx * t1 / len, a.y + dy * t1 / len}, col, width);
  }
}

}  // namespace

void DrawScene(ImDrawList* dl, const Scene& scene, Vec2 origin, float scale, const FontSet& fonts) {
  auto P = [&](Vec2 p) { return ImVec2(origin.x + p.x * scale, origin.y + p.y * scale); };
  for (const Shape& shape : scene.shapes) {
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, RectShape>) {
            if (v.fill.a > 0) dl->AddRectFilled(P(v.box.min), P(v.box.max), Col(v.fill), v.radius * scale);
            if (v.stroke_width > 0 && v.stroke.a > 0)
              dl->AddRect(P(v.box.min), P(v.box.max), Col(v.stroke), v.radius * scale, 0, v.stroke_width * scale);
          } else if constexpr (std::is_same_v<T, PolylineShape>) {
            if (v.points.size() < 2) return;
            if (v.dash > 0) {
              for (size_t i = 0; i + 1 < v.points.size(); ++i)
                DashedLine(dl, P(v.points[i]), P(v.points[i + 1]), Col(v.color), v.width * scale, v.dash * scale);
              return;
            }
            dl->PathClear();
            for (Vec2 p : v.points) dl->PathLineTo(P(p));
            dl->PathStroke(Col(v.color), v.closed ? ImDrawFlags_Closed : 0, v.width * scale);
          } else if constexpr (std::is_same_v<T, PolygonShape>) {
            dl->PathClear();
            for (Vec2 p : v.points) dl->PathLineTo(P(p));
            dl->PathFillConvex(Col(v.fill));
          } else if constexpr (std::is_same_v<T, BandShape>) {
            // Quads between consecutive samples; anti-aliased fill off so that no seams show.
            const ImDrawListFlags saved = dl->Flags;
            dl->Flags &= ~ImDrawListFlags_AntiAliasedFill;
            for (size_t i = 0; i + 1 < v.upper.size() && i + 1 < v.lower.size(); ++i)
              dl->AddQuadFilled(P(v.upper[i]), P(v.upper[i + 1]), P(v.lower[i + 1]), P(v.lower[i]), Col(v.fill));
            dl->Flags = saved;
          } else if constexpr (std::is_same_v<T, CircleShape>) {
            if (v.fill.a > 0) dl->AddCircleFilled(P(v.center), v.radius * scale, Col(v.fill));
            if (v.stroke_width > 0 && v.stroke.a > 0)
              dl->AddCircle(P(v.center), v.radius * scale, Col(v.stroke), 0, v.stroke_width * scale);
          } else if constexpr (std::is_same_v<T, TextShape>) {
            const float px = v.size * scale;
            ImFont* font = fonts.Get(v.face, px);
            const char* begin = v.text.c_str();
            const char* end = begin + v.text.size();
            const ImVec2 sz = font->CalcTextSizeA(px, FLT_MAX, 0, begin, end);
            const float ax = v.halign == HAlign::kLeft ? 0 : v.halign == HAlign::kCenter ? -sz.x / 2 : -sz.x;
            const float ay = v.valign == VAlign::kTop ? 0 : v.valign == VAlign::kMiddle ? -sz.y / 2 : -sz.y;
            const ImVec2 at = P(v.pos);
            if (!v.vertical) {
              dl->AddText(font, px, {std::round(at.x + ax), std::round(at.y + ay)}, Col(v.color), begin, end);
              return;
            }
            // Rotate the glyph quads 90° counter-clockwise about the anchor. ImGui drops glyphs outside
            // the clip rectangle before we rotate them, so lay the text out without clipping.
            const int first = dl->VtxBuffer.Size;
            dl->PushClipRect({-1e6f, -1e6f}, {1e6f, 1e6f}, false);
            dl->AddText(font, px, {at.x + ax, at.y + ay}, Col(v.color), begin, end);
            dl->PopClipRect();
            for (int i = first; i < dl->VtxBuffer.Size; ++i) {
              ImDrawVert& vert = dl->VtxBuffer[i];
              const float rx = vert.pos.x - at.x, ry = vert.pos.y - at.y;
              vert.pos = {at.x + ry, at.y - rx};
            }
          } else if constexpr (std::is_same_v<T, ArrowShape>) {
            const ImVec2 a = P(v.from), b = P(v.to);
            const float dx = b.x - a.x, dy = b.y - a.y, len = std::max(1e-3f, std::sqrt(dx * dx + dy * dy));
            const float ux = dx / len, uy = dy / len, h = v.head * scale;
            const ImVec2 base{b.x - ux * h, b.y - uy * h};
            dl->AddLine(a, base, Col(v.color), v.width * scale);
            dl->AddTriangleFilled(b, {base.x - uy * h * 0.5f, base.y + ux * h * 0.5f},
                                  {base.x + uy * h * 0.5f, base.y - ux * h * 0.5f}, Col(v.color));
          }
        },
        shape);
  }
}

}  // namespace blackboard
