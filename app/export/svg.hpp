// Scene -> SVG text: true vector output with text as <text> (selectable, searchable in a blog post).
//
// Use: `std::string svg = SceneToSvg(scene);` then WriteFileAtomic(path, svg). The font files the
// scene uses are embedded (@font-face, data: URLs) and every text carries the width the PNG draws
// it at (textLength, from MeasureTextWidth), so the SVG's text is the PNG's; spaces are preserved
// (aligned columns). Colours are the theme's, and each shape's role becomes its class attribute, so
// a post's CSS can restyle a figure.
#pragma once

#include <string>

#include "../scene/scene.hpp"

namespace blackboard {

// `embed_fonts` false leaves the @font-face rules out: a page that shows many SVGs of the same faces
// (the web module's live board) states them once with SvgFontFaceCss() and redraws without them.
std::string SceneToSvg(const Scene& scene, bool embed_fonts = true);
// The @font-face rules of the three faces (bb-chalk, bb-ui, bb-mono), as SceneToSvg embeds them.
std::string SvgFontFaceCss();
std::string EscapeXml(const std::string& s);

}  // namespace blackboard
