// Font discovery and baking.
#include "fonts.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <imgui.h>

namespace blackboard {

void FontSet::Build(ImFontAtlas* atlas, std::vector<float> sizes) {
  const ImWchar* const kRanges = BakedGlyphRanges();
  std::sort(sizes.begin(), sizes.end());
  sizes.erase(std::unique(sizes.begin(), sizes.end()), sizes.end());
  sizes_ = sizes;
  atlas->Clear();
  for (int f = 0; f < 3; ++f) {
    fonts_[f].clear();
    const std::string path = FontPath(static_cast<FontFace>(f));
    for (float px : sizes_) {
      ImFont* font = nullptr;
      if (!path.empty()) {
        ImFontConfig cfg;
        cfg.OversampleH = px < 24 ? 2 : 1;
        cfg.OversampleV = 1;
        font = atlas->AddFontFromFileTTF(path.c_str(), px, &cfg, kRanges);
      }
      if (!font) {
        ImFontConfig cfg;
        cfg.SizePixels = px;
        font = atlas->AddFontDefault(&cfg);
      }
      fonts_[f].push_back(font);
    }
  }
  // Discs of radius 1, 1.5, ..., kMaxDotRadius pixels, each in a square with a pixel of margin.
  std::vector<int> rects;
  dots_.clear();
  for (float r = 1; r <= kMaxDotRadius; r += 0.5f) {
    const int side = 2 * static_cast<int>(std::ceil(r + 1));
    rects.push_back(atlas->AddCustomRectRegular(side, side));
    BakedDot d;
    d.radius = r;
    d.half_extent = static_cast<float>(side) / 2;
    dots_.push_back(d);
  }
  atlas->Build();
  unsigned char* pixels = nullptr;
  int tex_w = 0, tex_h = 0;
  atlas->GetTexDataAsAlpha8(&pixels, &tex_w, &tex_h);
  for (size_t i = 0; i < dots_.size(); ++i) {
    const ImFontAtlasCustomRect* rect = atlas->GetCustomRectByIndex(rects[i]);
    BakedDot& d = dots_[i];
    for (int y = 0; y < rect->Height; ++y)
      for (int x = 0; x < rect->Width; ++x) {
        // Coverage of the texel by the disc: 1 inside, a one-pixel ramp across the edge.
        const float dx = static_cast<float>(x) + 0.5f - d.half_extent, dy = static_cast<float>(y) + 0.5f - d.half_extent;
        const float cover = std::clamp(d.radius + 0.5f - std::sqrt(dx * dx + dy * dy), 0.0f, 1.0f);
        pixels[(rect->Y + y) * tex_w + rect->X + x] = static_cast<unsigned char>(std::lround(cover * 255));
      }
    ImVec2 uv0, uv1;
    atlas->CalcCustomRectUV(rect, &uv0, &uv1);
    d.uv_min[0] = uv0.x, d.uv_min[1] = uv0.y, d.uv_max[0] = uv1.x, d.uv_max[1] = uv1.y;
  }
}

const BakedDot* FontSet::Dot(float radius_px) const {
  for (const BakedDot& d : dots_)
    if (d.radius >= radius_px) return &d;
  return nullptr;
}

ImFont* FontSet::Get(FontFace face, float px) const {
  const auto& list = fonts_[static_cast<int>(face)];
  if (list.empty()) return ImGui::GetFont();
  for (size_t i = 0; i < sizes_.size(); ++i)
    if (sizes_[i] >= px - 0.5f) return list[i];
  return list.back();
}

std::vector<float> SceneFontSizes(const Scene& scene, float scale) {
  std::set<float> sizes;
  for (const Shape& s : scene.shapes)
    if (const auto* t = std::get_if<TextShape>(&s)) sizes.insert(std::ceil(t->size * scale));
  return {sizes.begin(), sizes.end()};
}

}  // namespace blackboard
