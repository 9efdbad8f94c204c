// Glyph advances read once per face from the font file with stb_truetype (Debian's libstb).
#include "text_metrics.hpp"

#include <array>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <unordered_map>

#include <stb_truetype.h>

namespace blackboard {

namespace {

// Advance widths in units of the line height (stbtt_ScaleForPixelHeight: ascent - descent = 1), as
// ImGui lays text out.
struct FaceMetrics {
  bool from_file = false;
  float fallback_advance = 0.55f;
  float ascent = 0.8f;
  float em = 1;
  std::array<float, 256> latin1{};                // Latin-1 by index (most text): no hashing
  std::unordered_map<char32_t, float> advance;  // the other baked ranges
};


FaceMetrics LoadFace(FontFace face) {
  FaceMetrics m;
  m.fallback_advance = face == FontFace::kMono ? 0.60f : face == FontFace::kChalk ? 0.52f : 0.55f;
  const std::string path = FontPath(face);
  if (path.empty()) return m;
  std::ifstream in(path, std::ios::binary);
  const std::vector<unsigned char> data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  stbtt_fontinfo info;
  if (data.empty() || !stbtt_InitFont(&info, data.data(), stbtt_GetFontOffsetForIndex(data.data(), 0))) return m;
  const float scale = stbtt_ScaleForPixelHeight(&info, 1.0f);
  int ascent = 0, descent = 0, line_gap = 0;
  stbtt_GetFontVMetrics(&info, &ascent, &descent, &line_gap);
  m.ascent = static_cast<float>(ascent) * scale;
  m.em = stbtt_ScaleForMappingEmToPixels(&info, 1.0f) > 0 ? scale / stbtt_ScaleForMappingEmToPixels(&info, 1.0f) : 1;
  auto advance_of = [&](int glyph) {
    int adv = 0, lsb = 0;
    stbtt_GetGlyphHMetrics(&info, glyph, &adv, &lsb);
    return static_cast<float>(adv) * scale;
  };
  const int question = stbtt_FindGlyphIndex(&info, '?');
  m.fallback_advance = advance_of(question);
  for (const unsigned short* r = BakedGlyphRanges(); r[0] != 0; r += 2)
    for (char32_t cp = r[0]; cp <= r[1]; ++cp) {
      const int glyph = stbtt_FindGlyphIndex(&info, static_cast<int>(cp));
      if (glyph != 0) m.advance[cp] = advance_of(glyph);
    }
  for (char32_t cp = 0; cp < 256; ++cp) {
    const auto it = m.advance.find(cp);
    m.latin1[cp] = it != m.advance.end() ? it->second : m.fallback_advance;
  }
  m.from_file = true;
  return m;
}

const FaceMetrics& Metrics(FontFace face) {
  static std::array<FaceMetrics, 3> faces;
  static std::once_flag once;
  std::call_once(once, [] {
    for (int f = 0; f < 3; ++f) faces[static_cast<size_t>(f)] = LoadFace(static_cast<FontFace>(f));
  });
  return faces[static_cast<size_t>(face)];
}

}  // namespace

// One code point of UTF-8 text from byte i (advancing i); malformed bytes are read as they come.
char32_t NextCodePoint(const std::string& s, size_t& i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(k < s.size() ? s[k] : 0); };
  const unsigned char c = byte(i);
  if (c < 0x80) return ++i, c;
  if ((c >> 5) == 0x6) {
    const char32_t cp = ((c & 0x1Fu) << 6) | (byte(i + 1) & 0x3Fu);
    i += 2;
    return cp;
  }
  if ((c >> 4) == 0xE) {
    const char32_t cp = ((c & 0x0Fu) << 12) | ((byte(i + 1) & 0x3Fu) << 6) | (byte(i + 2) & 0x3Fu);
    i += 3;
    return cp;
  }
  const char32_t cp = ((c & 0x07u) << 18) | ((byte(i + 1) & 0x3Fu) << 12) | ((byte(i + 2) & 0x3Fu) << 6) |
                      (byte(i + 3) & 0x3Fu);
  i += 4;
  return cp;
}

std::string FontPath(FontFace face) {
  static const char* const chalk[] = {"/usr/share/fonts/truetype/humor-sans/Humor-Sans.ttf"};
  static const char* const ui[] = {"/usr/share/fonts/opentype/inter/Inter-Regular.otf",
                                   "/usr/share/fonts/truetype/inter/Inter-Regular.ttf",
                                   "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"};
  static const char* const mono[] = {"/usr/share/fonts/truetype/jetbrains-mono/JetBrainsMono-Regular.ttf",
                                     "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"};
  auto first = [](auto& list) -> std::string {
    for (const char* p : list) {
      std::error_code ec;
      if (std::filesystem::is_regular_file(p, ec)) return p;
    }
    return {};
  };
  switch (face) {
    case FontFace::kChalk: {
      std::string p = first(chalk);
      return p.empty() ? first(ui) : p;
    }
    case FontFace::kMono: return first(mono);
    default: return first(ui);
  }
}

const unsigned short* BakedGlyphRanges() {
  // Latin-1, Greek letters, and the few symbols the boards print (µ × ≈ ≤ ≥ → ∝ √ · − ² ₀ …); a short
  // list keeps the atlas small, which is most of the start-up time.
  static const unsigned short kRanges[] = {
      0x0020, 0x00FF, 0x0391, 0x03C9, 0x2013, 0x2014, 0x2018, 0x201D, 0x2022, 0x2022, 0x2026, 0x2026, 0x2070,
      0x2079, 0x2080, 0x2089, 0x2190, 0x2193, 0x21D2, 0x21D2, 0x2202, 0x2202, 0x2211, 0x2212, 0x221A, 0x221E,
      0x2248, 0x2248, 0x2260, 0x2265, 0x22C5, 0x22C5, 0x25A0, 0x25A0, 0x25CF, 0x25CF, 0};
  return kRanges;
}

bool HasFontFile(FontFace face) { return Metrics(face).from_file; }

float FontAscent(FontFace face) { return Metrics(face).ascent; }
float FontEmSize(FontFace face) { return Metrics(face).em; }

float MeasureTextWidth(const std::string& text, float size_px, FontFace face) {
  const FaceMetrics& m = Metrics(face);
  float width = 0;
  for (size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80 && m.from_file) {  // ASCII: one byte, one table entry
      width += m.latin1[byte];
      ++i;
      continue;
    }
    const char32_t cp = NextCodePoint(text, i);
    if (!m.from_file) {
      width += m.fallback_advance;
    } else if (cp < 256) {
      width += m.latin1[cp];
    } else {
      const auto it = m.advance.find(cp);
      width += it != m.advance.end() ? it->second : m.fallback_advance;
    }
  }
  return width * size_px;
}

}  // namespace blackboard
