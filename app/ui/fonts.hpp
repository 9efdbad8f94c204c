// Fonts resolved at run time from Debian's packages: Humor Sans (chalk), Inter (UI), JetBrains
// Mono (numbers); ImGui's built-in font when a file is missing. Each face is baked at a list of
// pixel sizes; Get() returns the smallest baked size >= the request (text is drawn at the exact
// size, so it is only ever scaled down a little and stays crisp at 2x/4x export).
#pragma once

#include <string>
#include <vector>

#include "scene/scene.hpp"

struct ImFont;
struct ImFontAtlas;

namespace blackboard {

std::string FontPath(FontFace face);  // "" when no file is found

class FontSet {
 public:
  // Clears `atlas` and bakes every face at every size (pixels). Call between frames.
  void Build(ImFontAtlas* atlas, std::vector<float> sizes);
  ImFont* Get(FontFace face, float px) const;
  const std::vector<float>& sizes() const { return sizes_; }

 private:
  std::vector<float> sizes_;
  std::vector<ImFont*> fonts_[3];
};

// The text sizes (pixels, rounded up) a scene needs at `scale`.
std::vector<float> SceneFontSizes(const Scene& scene, float scale);

}  // namespace blackboard
