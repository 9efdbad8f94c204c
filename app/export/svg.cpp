// SVG writer: one element per Scene shape, in order.
#include "svg.hpp"

#include "scene/stroke.hpp"
#include "scene/text_metrics.hpp"
#ifdef BLACKBOARD_HAVE_FONT_SUBSET
#include "font_subset.hpp"
#endif

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <mutex>
#include <set>
#include <sstream>
#include <stdexcept>

namespace blackboard {

namespace {

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s = buf;
  while (s.size() > 1 && s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

std::string Paint(const char* attr, Color c) {
  if (c.a == 0) return std::string(" ") + attr + "=\"none\"";
  std::string s = std::string(" ") + attr + "=\"" + ColorToHex(c) + "\"";
  if (c.a != 255) s += std::string(" ") + attr + "-opacity=\"" + Num(c.a / 255.0) + "\"";
  return s;
}

std::string Class(const std::string& role) { return role.empty() ? "" : " class=\"" + EscapeXml(role) + "\""; }

// The embedded faces are named bb-chalk, bb-ui, bb-mono; the named families after them are for a
// reader whose viewer ignores embedded fonts.
const char* FontFamily(FontFace f) {
  switch (f) {
    case FontFace::kChalk: return "bb-chalk, 'Humor Sans', 'Comic Neue', cursive";
    case FontFace::kMono: return "bb-mono, 'JetBrains Mono', 'DejaVu Sans Mono', monospace";
    default: return "bb-ui, Inter, 'Helvetica Neue', Arial, sans-serif";
  }
}

std::string Base64(const std::string& bytes) {
  static const char kDigits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (size_t i = 0; i < bytes.size(); i += 3) {
    const auto byte = [&](size_t k) { return k < bytes.size() ? static_cast<unsigned char>(bytes[k]) : 0u; };
    const unsigned v = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    out += kDigits[(v >> 18) & 63];
    out += kDigits[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kDigits[(v >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kDigits[v & 63] : '=';
  }
  return out;
}

const char* const kFaceNames[3] = {"bb-chalk", "bb-ui", "bb-mono"};

// "@font-face{...}" with these font bytes as a data: URL.
std::string FontFaceCss(FontFace face, const std::string& path, const std::string& data) {
  const bool otf = path.size() > 4 && path.compare(path.size() - 4, 4, ".otf") == 0;
  return std::string("@font-face{font-family:") + kFaceNames[static_cast<int>(face)] + ";src:url(data:font/" +
         (otf ? "otf" : "ttf") + ";base64," + Base64(data) + ") format('" + (otf ? "opentype" : "truetype") + "');}\n";
}

// "@font-face{...}" for a face, its file whole (read once); "" without a file.
const std::string& FontFaceRule(FontFace face) {
  static std::string rules[3];
  static std::once_flag once;
  std::call_once(once, [] {
    for (int f = 0; f < 3; ++f) {
      const std::string path = FontPath(static_cast<FontFace>(f));
      if (path.empty()) continue;
      std::ifstream in(path, std::ios::binary);
      const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      if (!data.empty()) rules[f] = FontFaceCss(static_cast<FontFace>(f), path, data);
    }
  });
  return rules[static_cast<int>(face)];
}

// The rule for one picture: with HarfBuzz (the desktop build), the face cut to the characters the
// picture uses (a board's SVG: about 40 KB of fonts instead of 500 KB); otherwise the whole file.
std::string FontFaceRuleFor(FontFace face, [[maybe_unused]] const std::set<char32_t>& codepoints) {
#ifdef BLACKBOARD_HAVE_FONT_SUBSET
  const std::string path = FontPath(face);
  if (!path.empty()) {
    std::set<char32_t> keep = codepoints;
    keep.insert(U' ');
    if (const std::string subset = SubsetFontFile(path, keep); !subset.empty()) return FontFaceCss(face, path, subset);
  }
#endif
  return FontFaceRule(face);
}

void Points(std::ostringstream& o, const std::vector<Vec2>& pts) {
  for (size_t i = 0; i < pts.size(); ++i) o << (i ? " " : "") << Num(pts[i].x) << "," << Num(pts[i].y);
}

// C0 control characters other than tab, newline and carriage return cannot appear in XML 1.0, not
// even as character references: they are written as U+FFFD so the SVG stays well-formed.
bool IsXmlForbiddenControl(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u < 0x20 && c != '\t' && c != '\n' && c != '\r';
}

}  // namespace

std::string EscapeXml(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += IsXmlForbiddenControl(c) ? std::string("\xEF\xBF\xBD") : std::string(1, c);
    }
  }
  return out;
}

std::string SvgFontFaceCss() {
  std::string css;
  for (int f = 0; f < 3; ++f) css += FontFaceRule(static_cast<FontFace>(f));
  return css;
}

std::string SceneToSvg(const Scene& scene, bool embed_fonts) {
  std::ostringstream o;
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << Num(scene.width) << "\" height=\""
    << Num(scene.height) << "\" viewBox=\"0 0 " << Num(scene.width) << " " << Num(scene.height) << "\">\n";
  if (!scene.title.empty()) o << "<title>" << EscapeXml(scene.title) << "</title>\n";
  // The fonts the scene uses, embedded; text keeps its spaces and is drawn without kerning, as the
  // PNG draws it.
  bool used[3] = {false, false, false};
  std::set<char32_t> characters[3];
  for (const Shape& shape : scene.shapes)
    if (const auto* t = std::get_if<TextShape>(&shape)) {
      const int f = static_cast<int>(t->face);
      used[f] = true;
      for (size_t i = 0; embed_fonts && i < t->text.size();) characters[f].insert(NextCodePoint(t->text, i));
    }
  o << "<style>\n";
  for (int f = 0; f < 3; ++f)
    if (used[f] && embed_fonts) o << FontFaceRuleFor(static_cast<FontFace>(f), characters[f]);
  o << "text{white-space:pre;font-kerning:none}\n</style>\n";
  o << "<rect class=\"background\" x=\"0\" y=\"0\" width=\"" << Num(scene.width) << "\" height=\""
    << Num(scene.height) << "\"" << Paint("fill", scene.background) << "/>\n";
  for (const Shape& shape : scene.shapes) {
    std::visit(
        [&](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, RectShape>) {
            o << "<rect" << Class(v.role) << " x=\"" << Num(v.box.min.x) << "\" y=\"" << Num(v.box.min.y)
              << "\" width=\"" << Num(v.box.Width()) << "\" height=\"" << Num(v.box.Height()) << "\"";
            if (v.radius > 0) o << " rx=\"" << Num(v.radius) << "\"";
            o << Paint("fill", v.fill);
            if (v.stroke_width > 0 && v.stroke.a > 0)
              o << Paint("stroke", v.stroke) << " stroke-width=\"" << Num(v.stroke_width) << "\"";
            o << "/>\n";
          } else if constexpr (std::is_same_v<T, PolylineShape>) {
            o << "<" << (v.closed ? "polygon" : "polyline") << Class(v.role) << " points=\"";
            Points(o, v.points);
            o << "\" fill=\"none\"" << Paint("stroke", v.color) << " stroke-width=\"" << Num(v.width)
              << "\" stroke-linejoin=\"round\" stroke-linecap=\"round\"";
            if (v.dash > 0) o << " stroke-dasharray=\"" << Num(v.dash) << " " << Num(v.dash * kDashGapRatio) << "\"";
            o << "/>\n";
          } else if constexpr (std::is_same_v<T, PolygonShape>) {
            o << "<polygon" << Class(v.role) << " points=\"";
            Points(o, v.points);
            o << "\"" << Paint("fill", v.fill) << "/>\n";
          } else if constexpr (std::is_same_v<T, BandShape>) {
            std::vector<Vec2> pts = v.upper;
            pts.insert(pts.end(), v.lower.rbegin(), v.lower.rend());
            o << "<polygon" << Class(v.role) << " points=\"";
            Points(o, pts);
            o << "\"" << Paint("fill", v.fill) << "/>\n";
          } else if constexpr (std::is_same_v<T, CircleShape>) {
            o << "<circle" << Class(v.role) << " cx=\"" << Num(v.center.x) << "\" cy=\"" << Num(v.center.y)
              << "\" r=\"" << Num(v.radius) << "\"" << Paint("fill", v.fill);
            if (v.stroke_width > 0 && v.stroke.a > 0)
              o << Paint("stroke", v.stroke) << " stroke-width=\"" << Num(v.stroke_width) << "\"";
            o << "/>\n";
          } else if constexpr (std::is_same_v<T, TextShape>) {
            const char* anchor = v.halign == HAlign::kLeft ? "start" : v.halign == HAlign::kCenter ? "middle" : "end";
            // The baseline where the PNG puts it: the font's ascent below the line box's top.
            const double ascent = FontAscent(v.face);
            const double dy = v.valign == VAlign::kTop ? ascent : v.valign == VAlign::kMiddle ? ascent - 0.5 : ascent - 1;
            o << "<text" << Class(v.role) << " x=\"" << Num(v.pos.x) << "\" y=\"" << Num(v.pos.y) << "\" dy=\""
              << Num(dy * v.size) << "\" font-family=\"" << FontFamily(v.face) << "\" font-size=\"" << Num(v.size * FontEmSize(v.face))
              << "\" text-anchor=\"" << anchor << "\"" << Paint("fill", v.color);
            if (v.vertical) o << " transform=\"rotate(-90 " << Num(v.pos.x) << " " << Num(v.pos.y) << ")\"";
            // The PNG's width: a viewer with another font (or none embedded) still fits the box.
            o << " textLength=\"" << Num(MeasureTextWidth(v.text, v.size, v.face))
              << "\" lengthAdjust=\"spacingAndGlyphs\" xml:space=\"preserve\">" << EscapeXml(v.text) << "</text>\n";
          } else if constexpr (std::is_same_v<T, ArrowShape>) {
            const double dx = v.to.x - v.from.x, dy = v.to.y - v.from.y;
            const double len = std::max(1e-6, std::hypot(dx, dy));
            const double ux = dx / len, uy = dy / len;
            const double bx = v.to.x - ux * v.head, by = v.to.y - uy * v.head;
            o << "<g" << Class(v.role) << "><line x1=\"" << Num(v.from.x) << "\" y1=\"" << Num(v.from.y)
              << "\" x2=\"" << Num(bx) << "\" y2=\"" << Num(by) << "\"" << Paint("stroke", v.color)
              << " stroke-width=\"" << Num(v.width) << "\"/><polygon points=\"" << Num(v.to.x) << ","
              << Num(v.to.y) << " " << Num(bx - uy * v.head * 0.5) << "," << Num(by + ux * v.head * 0.5) << " "
              << Num(bx + uy * v.head * 0.5) << "," << Num(by - ux * v.head * 0.5) << "\""
              << Paint("fill", v.color) << "/></g>\n";
          }
        },
        shape);
  }
  for (const HoverRegion& h : scene.hovers) {
    o << "<rect class=\"hover\" x=\"" << Num(h.box.min.x) << "\" y=\"" << Num(h.box.min.y) << "\" width=\""
      << Num(h.box.Width()) << "\" height=\"" << Num(h.box.Height()) << "\" fill=\"none\" pointer-events=\"all\">"
      << "<title>" << EscapeXml(h.title + ": " + h.formula) << "</title></rect>\n";
  }
  o << "</svg>\n";
  if (!o) throw std::runtime_error("SVG: the document could not be built in memory (out of memory?)");  // never truncated
  return o.str();
}

}  // namespace blackboard
