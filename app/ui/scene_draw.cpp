// Scene -> ImDrawList.
#include "scene_draw.hpp"

#include <algorithm>
#include <cfloat>
#include <cmath>

#include <imgui.h>

#include "scene/stroke.hpp"

namespace blackboard {

namespace {

constexpr float kMinRoundPx = 2.5f;  // corner radii below this many pixels are drawn square

ImU32 Col(Color c) { return IM_COL32(c.r, c.g, c.b, c.a); }

// A third of a pixel: samples closer than this to a stroke's chord are not drawn.
constexpr float kLodPx = 0.33f;

// An open path through `pts` (scene units) as one ImGui stroke.
void StrokePath(ImDrawList* dl, const std::vector<Vec2>& pts, Vec2 origin, float scale, ImU32 col, float width,
                bool closed) {
  dl->PathClear();
  for (Vec2 p : pts) dl->PathLineTo({origin.x + p.x * scale, origin.y + p.y * scale});
  dl->PathStroke(col, closed ? ImDrawFlags_Closed : 0, width);
}

// Fills a convex polygon with ImGui's one-pixel anti-aliased rim, but triangulates the interior as a
// strip swept from the leftmost vertex to the rightmost, always advancing the chain whose next vertex
// lies further left. ImGui's own convex fill fans every triangle out of the first vertex: a large
// rounded panel becomes dozens of slivers that each span the panel, and a software rasteriser
// (llvmpipe) walks every sliver over the panel's tiles; the strip's triangles are narrow and each
// pixel is visited about once.
void FillConvex(ImDrawList* dl, const ImVec2* p, int n, ImU32 col) {
  if (n < 3) return;
  double area2 = 0;  // twice the signed area: its sign says which side of each edge is outside
  for (int i = 0, j = n - 1; i < n; j = i++) area2 += static_cast<double>(p[j].x) * p[i].y - static_cast<double>(p[i].x) * p[j].y;
  if (area2 == 0) return;
  const float outward = area2 > 0 ? 1.0f : -1.0f;
  const float half = dl->_FringeScale * 0.5f;
  const ImU32 clear = col & ~IM_COL32_A_MASK;
  const ImVec2 uv = ImGui::GetFontTexUvWhitePixel();

  dl->PrimReserve((n - 2) * 3 + n * 6, n * 2);
  const auto base = static_cast<unsigned>(dl->_VtxCurrentIdx);
  auto edge_normal = [&](int i) {  // outward unit normal of the edge from p[i] to p[i + 1]
    const ImVec2 a = p[i], b = p[(i + 1) % n];
    float dx = b.x - a.x, dy = b.y - a.y;
    const float len = std::sqrt(dx * dx + dy * dy);
    if (len > 0) dx /= len, dy /= len;
    return ImVec2(dy * outward, -dx * outward);
  };
  ImVec2 previous = edge_normal(n - 1);
  for (int i = 0; i < n; ++i) {
    const ImVec2 next = edge_normal(i);
    // The rim's offset at a corner: the mean of the two edge normals, lengthened so that both edges
    // move by `half` (capped so sharp corners do not spike).
    float mx = (previous.x + next.x) * 0.5f, my = (previous.y + next.y) * 0.5f;
    const float d2 = std::max(mx * mx + my * my, 0.25f);
    mx *= half / d2, my *= half / d2;
    dl->PrimWriteVtx({p[i].x - mx, p[i].y - my}, uv, col);    // inner: 2 i
    dl->PrimWriteVtx({p[i].x + mx, p[i].y + my}, uv, clear);  // outer: 2 i + 1
    previous = next;
  }
  auto idx = [&](int vertex, int outer) { dl->PrimWriteIdx(static_cast<ImDrawIdx>(base + 2 * static_cast<unsigned>(vertex) + static_cast<unsigned>(outer))); };
  int lo = 0;
  for (int i = 1; i < n; ++i)
    if (p[i].x < p[lo].x) lo = i;
  // The part still to fill runs forward from lo to hi; each triangle cuts off lo or hi.
  int hi = (lo + n - 1) % n;
  for (int t = 0; t < n - 2; ++t) {
    const int lo_next = (lo + 1) % n, hi_next = (hi + n - 1) % n;
    if (p[lo_next].x <= p[hi_next].x) {
      idx(lo, 0), idx(lo_next, 0), idx(hi, 0);
      lo = lo_next;
    } else {
      idx(lo, 0), idx(hi_next, 0), idx(hi, 0);
      hi = hi_next;
    }
  }
  for (int i = 0; i < n; ++i) {  // the rim: a quad per edge from the inner ring to the transparent outer ring
    const int j = (i + 1) % n;
    idx(i, 0), idx(j, 0), idx(j, 1);
    idx(j, 1), idx(i, 1), idx(i, 0);
  }
}

}  // namespace

std::vector<BackdropRect> BackdropPanels(const Scene& scene) {
  std::vector<BackdropRect> panels;
  for (const Shape& shape : scene.shapes) {
    const auto* r = std::get_if<RectShape>(&shape);
    if (!r || !r->backdrop) continue;
    if (panels.size() == BoardBackground::kMaxPanels) break;
    BackdropRect p{r->box.min.x, r->box.min.y, r->box.max.x, r->box.max.y, r->radius, {}};
    const Color c = r->fill;
    p.rgba[0] = c.r / 255.0f, p.rgba[1] = c.g / 255.0f, p.rgba[2] = c.b / 255.0f, p.rgba[3] = c.a / 255.0f;
    panels.push_back(p);
  }
  return panels;
}

void DrawScene(ImDrawList* dl, const Scene& scene, Vec2 origin, float scale, const FontSet& fonts,
               bool backdrop_painted) {
  auto P = [&](Vec2 p) { return ImVec2(origin.x + p.x * scale, origin.y + p.y * scale); };
  int painted = backdrop_painted ? BoardBackground::kMaxPanels : 0;  // backdrops still to skip
  for (const Shape& shape : scene.shapes) {
    if (const auto* r = std::get_if<RectShape>(&shape); r && r->backdrop && painted > 0) {
      --painted;
      continue;
    }
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, RectShape>) {
            // Corners rounder than a couple of pixels are not visible but cost dozens of triangles.
            const float radius = v.radius * scale < kMinRoundPx ? 0 : v.radius * scale;
            if (v.fill.a > 0 && radius == 0) {
              dl->AddRectFilled(P(v.box.min), P(v.box.max), Col(v.fill));
            } else if (v.fill.a > 0) {
              dl->PathRect(P(v.box.min), P(v.box.max), radius);
              FillConvex(dl, dl->_Path.Data, dl->_Path.Size, Col(v.fill));
              dl->PathClear();
            }
            if (v.stroke_width > 0 && v.stroke.a > 0)
              dl->AddRect(P(v.box.min), P(v.box.max), Col(v.stroke), radius, 0, v.stroke_width * scale);
          } else if constexpr (std::is_same_v<T, PolylineShape>) {
            if (v.points.size() < 2) return;
            // A curve sampled for print is drawn through the samples that bend it on this screen.
            std::vector<Vec2> pts = SimplifyPolyline(v.points, kLodPx / scale);
            if (v.dash > 0) {
              if (v.closed) pts.push_back(pts.front());
              for (const auto& run : DashRuns(pts, v.dash)) StrokePath(dl, run, origin, scale, Col(v.color), v.width * scale, false);
              return;
            }
            StrokePath(dl, pts, origin, scale, Col(v.color), v.width * scale, v.closed);
          } else if constexpr (std::is_same_v<T, PolygonShape>) {
            dl->PathClear();
            for (Vec2 p : v.points) dl->PathLineTo(P(p));
            FillConvex(dl, dl->_Path.Data, dl->_Path.Size, Col(v.fill));
            dl->PathClear();
          } else if constexpr (std::is_same_v<T, BandShape>) {
            // Quads between samples; anti-aliased fill off so that no seams show. Samples that lie on a
            // straight run of both edges (within a third of a pixel) are skipped: a band sampled every
            // few pixels is otherwise hundreds of slivers, which a software rasteriser shades several
            // times over.
            const ImDrawListFlags saved = dl->Flags;
            dl->Flags &= ~ImDrawListFlags_AntiAliasedFill;
            const size_t n = std::min(v.upper.size(), v.lower.size());
            for (size_t i = 0; i + 1 < n;) {
              size_t j = i + 1;
              while (j + 1 < n && WithinChord(v.upper, i, j + 1, kLodPx / scale) &&
                     WithinChord(v.lower, i, j + 1, kLodPx / scale))
                ++j;
              dl->AddQuadFilled(P(v.upper[i]), P(v.upper[j]), P(v.lower[j]), P(v.lower[i]), Col(v.fill));
              i = j;
            }
            dl->Flags = saved;
          } else if constexpr (std::is_same_v<T, CircleShape>) {
            const float r = v.radius * scale;
            if (v.fill.a > 0) {
              if (const BakedDot* dot = fonts.Dot(r)) {  // a small dot: one quad of a baked disc
                const ImVec2 c = P(v.center);
                const float e = dot->half_extent * r / dot->radius;
                dl->PrimReserve(6, 4);  // the draw list's texture is the atlas
                dl->PrimRectUV({c.x - e, c.y - e}, {c.x + e, c.y + e}, {dot->uv_min[0], dot->uv_min[1]},
                               {dot->uv_max[0], dot->uv_max[1]}, Col(v.fill));
              } else {
                dl->AddCircleFilled(P(v.center), r, Col(v.fill));
              }
            }
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
