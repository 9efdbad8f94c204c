// Fonts resolved at run time from Debian's packages: Humor Sans (chalk), Inter (UI), JetBrains
// Mono (numbers); ImGui's built-in font when a file is missing. Each face is baked at a list of
// pixel sizes; Get() returns the smallest baked size >= the request (text is drawn at the exact
// size, so it is only ever scaled down a little and stays crisp at 2x/4x export).
#pragma once

#include <string>
#include <vector>

#include "scene/scene.hpp"
#include "scene/text_metrics.hpp"

struct ImFont;
struct ImFontAtlas;

namespace blackboard {

// A filled disc baked into the font atlas (white, alpha = coverage with a one-pixel anti-aliased
// edge): a small dot drawn as one textured quad instead of a polygon with a fringe (a scatter plot
// of a thousand dots is ~17,000 triangles as polygons, 2,000 as quads).
struct BakedDot {
  float radius = 0;       // pixels, of the baked disc
  float half_extent = 0;  // pixels from the centre to the edge of its texture square
  float uv_min[2] = {0, 0}, uv_max[2] = {0, 0};
};

class FontSet {
 public:
  static constexpr float kMaxDotRadius = 8;  // pixels; larger discs are drawn as polygons

  // Clears `atlas` and bakes every face at every size (pixels). Call between frames.
  void Build(ImFontAtlas* atlas, std::vector<float> sizes);
  ImFont* Get(FontFace face, float px) const;
  // The smallest baked disc with a radius >= `radius_px` (radii every half pixel from 1 to
  // kMaxDotRadius), or nullptr when the radius is larger or nothing is baked.
  const BakedDot* Dot(float radius_px) const;
  const std::vector<float>& sizes() const { return sizes_; }

 private:
  std::vector<float> sizes_;
  std::vector<ImFont*> fonts_[3];
  std::vector<BakedDot> dots_;
};

// The text sizes (pixels, rounded up) a scene needs at `scale`.
std::vector<float> SceneFontSizes(const Scene& scene, float scale);

}  // namespace blackboard
