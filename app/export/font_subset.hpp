// Font subsetting for SVG export: a font file cut to the glyphs a picture uses (HarfBuzz's hb-subset,
// Debian's libharfbuzz-dev), so an SVG embeds tens of kilobytes of font instead of whole files.
#pragma once

#include <set>
#include <string>

namespace blackboard {

// The bytes of the font file at `path` keeping only the glyphs of `codepoints` (plus .notdef), in the
// file's own format (TrueType or CFF OpenType); "" when the file cannot be read or subset.
std::string SubsetFontFile(const std::string& path, const std::set<char32_t>& codepoints);

}  // namespace blackboard
