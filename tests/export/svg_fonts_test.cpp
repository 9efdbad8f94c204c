// SVG exports embed their fonts cut to the characters they use (issue 15, HarfBuzz hb-subset): each
// embedded face is a font that still maps every character of its texts to a glyph, and a board's SVG
// carries tens of kilobytes of font, not whole files.
#include <gtest/gtest.h>

#include <stb/stb_truetype.h>

#include <fstream>
#include <map>
#include <set>
#include <string>

#include "blackboard/scenario.hpp"
#include "export/svg.hpp"
#include "scene/board.hpp"
#include "scene/text_metrics.hpp"
#include "scene/theme.hpp"

namespace blackboard {
namespace {

std::string DecodeBase64(const std::string& in) {
  std::string out;
  int bits = 0, value = 0;
  for (const char c : in) {
    int d = -1;
    if (c >= 'A' && c <= 'Z') d = c - 'A';
    else if (c >= 'a' && c <= 'z') d = c - 'a' + 26;
    else if (c >= '0' && c <= '9') d = c - '0' + 52;
    else if (c == '+') d = 62;
    else if (c == '/') d = 63;
    if (d < 0) continue;
    value = (value << 6) | d;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((value >> bits) & 0xFF);
    }
  }
  return out;
}

// family name -> the embedded font's bytes
std::map<std::string, std::string> EmbeddedFonts(const std::string& svg) {
  std::map<std::string, std::string> fonts;
  for (size_t p = svg.find("@font-face{font-family:"); p != std::string::npos;
       p = svg.find("@font-face{font-family:", p + 1)) {
    const size_t name = p + 23, name_end = svg.find(';', name);
    const size_t data = svg.find(";base64,", name_end) + 8, data_end = svg.find(')', data);
    fonts[svg.substr(name, name_end - name)] = DecodeBase64(svg.substr(data, data_end - data));
  }
  return fonts;
}

TEST(SvgFonts, EmbeddedFacesAreSubsetsThatCoverEveryCharacter) {
  const Scenario s = DefaultScenario();
  const char* const families[3] = {"bb-chalk", "bb-ui", "bb-mono"};
  for (const char* board : {"batch", "pipeline-training", "memory"}) {
    SCOPED_TRACE(board);
    const Scene scene = BuildBoard(*FindBoard(board), BoardContext{s, GetTheme("blackboard"), 0.4, 1600, 900});
    const std::string svg = SceneToSvg(scene);
    const auto fonts = EmbeddedFonts(svg);
    std::set<char32_t> used[3];
    for (const Shape& shape : scene.shapes)
      if (const auto* t = std::get_if<TextShape>(&shape))
        for (size_t i = 0; i < t->text.size();) used[static_cast<int>(t->face)].insert(NextCodePoint(t->text, i));
    size_t embedded = 0;
    for (int f = 0; f < 3; ++f) {
      if (used[f].empty() || !HasFontFile(static_cast<FontFace>(f))) continue;
      const auto it = fonts.find(families[f]);
      ASSERT_NE(it, fonts.end()) << families[f] << " not embedded";
      const std::string& font = it->second;
      embedded += font.size();
      std::ifstream file(FontPath(static_cast<FontFace>(f)), std::ios::binary | std::ios::ate);
      EXPECT_LT(font.size(), static_cast<size_t>(file.tellg()) / 2) << families[f] << " is not cut down";
      stbtt_fontinfo info;
      const auto* bytes = reinterpret_cast<const unsigned char*>(font.data());
      ASSERT_TRUE(stbtt_InitFont(&info, bytes, stbtt_GetFontOffsetForIndex(bytes, 0))) << families[f];
      for (const char32_t cp : used[f]) {
        if (cp < 0x20) continue;
        EXPECT_NE(stbtt_FindGlyphIndex(&info, static_cast<int>(cp)), 0)
            << families[f] << " lost U+" << std::hex << static_cast<unsigned>(cp);
      }
    }
    EXPECT_LT(embedded, 150u * 1024) << "fonts in the SVG";
    EXPECT_LT(svg.size(), 300u * 1024);
  }
}

}  // namespace
}  // namespace blackboard
