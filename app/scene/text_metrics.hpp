// Text metrics from the font files themselves: the one measuring function the board layout, the
// layout check and the SVG writer share, so a box measured here is the box the PNG and the screen
// draw (ImGui reads the same files with stb_truetype and advances by the same glyph advances, no
// kerning). GL- and ImGui-free: runs in blackboard_scene_tests.
//
// Use: `float w = MeasureTextWidth("17.2 ms", 16, FontFace::kMono);`. Faces are resolved from
// Debian's packages (fonts-humor-sans, fonts-inter, fonts-jetbrains-mono; DejaVu as a fallback) at
// first use; a face with no file is measured with an average advance (as ImGui's built-in font).
#pragma once

#include <string>
#include <vector>

#include "scene.hpp"

namespace blackboard {

std::string FontPath(FontFace face);  // "" when no file is found
// The code point of UTF-8 text at byte i, advancing i past it.
char32_t NextCodePoint(const std::string& s, size_t& i);
// The code point ranges every backend bakes (pairs, 0-terminated, as ImGui's glyph ranges): text
// outside them is drawn (and measured) as the fallback glyph '?'.
const unsigned short* BakedGlyphRanges();
// MeasureTextWidth (declared in scene.hpp) is defined here.
// The baseline's distance below the top of the line box, in line heights (ascent / (ascent -
// descent), as ImGui places glyphs): where an SVG puts the baseline of top-anchored text.
float FontAscent(FontFace face);
// The em in line heights (ImGui's pixel size is the line height, ascent - descent; CSS's font-size
// is the em): an SVG's font-size is size x FontEmSize(face).
float FontEmSize(FontFace face);
// True when `face` is measured from a font file (false: the average-advance estimate).
bool HasFontFile(FontFace face);

}  // namespace blackboard
