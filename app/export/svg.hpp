// Scene -> SVG text: true vector output with text as <text> (selectable, searchable in a blog post).
//
// Use: `std::string svg = SceneToSvg(scene);` then WriteFileAtomic(path, svg). Fonts are named by
// family with generic fallbacks (the reader's system draws them); colours are the theme's, and each
// shape's role becomes its class attribute, so a post's CSS can restyle a figure.
#pragma once

#include <string>

#include "../scene/scene.hpp"

namespace blackboard {

std::string SceneToSvg(const Scene& scene);
std::string EscapeXml(const std::string& s);

}  // namespace blackboard
