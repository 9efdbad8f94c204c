// Theme: colours with fixed meanings across boards, type sizes, and the board texture.
//
// Use: `const Theme& t = GetTheme("print");` (loaded once from assets/themes/<name>.json, falling
// back to the built-in blackboard palette for any missing key). Colour carries meaning and never
// changes between boards: compute, memory bandwidth, memory capacity, network, bubble, forward,
// backward and weight-gradient each have one colour per theme.
#pragma once

#include <string>
#include <vector>

#include "scene.hpp"

namespace blackboard {

struct Theme {
  std::string name = "blackboard";
  Color background{0x23, 0x2b, 0x2a, 255};
  Color ink{0xf2, 0xf0, 0xe6, 255};      // chalk white / ink black
  Color ink_dim{0xb4, 0xb8, 0xb0, 255};  // secondary text, ticks
  Color grid{0xff, 0xff, 0xff, 40};
  Color panel{0x00, 0x00, 0x00, 60};     // soft fill behind legends and readouts
  Color accent{0xff, 0xd8, 0x4d, 255};   // "you are here", highlights
  Color compute{0x6f, 0xc3, 0xff, 255};
  Color memory_bw{0xff, 0x9e, 0x5e, 255};
  Color memory_cap{0xc7, 0x92, 0xea, 255};
  Color network{0x7e, 0xe0, 0x8e, 255};
  Color bubble{0x80, 0x80, 0x80, 110};
  Color forward{0x6f, 0xc3, 0xff, 255};
  Color backward{0xff, 0x9e, 0x5e, 255};
  Color wgrad{0xc7, 0x92, 0xea, 255};
  Color kv{0xff, 0x7a, 0x9a, 255};
  Color weights{0xff, 0xc8, 0x6e, 255};
  float board_texture = 1.0f;  // strength of the slate texture (0 = flat)
  float chalk = 0.6f;          // strength of the chalk grain on strokes and letters (0 = crisp ink)
  bool chalk_titles = true;    // titles and annotations in the handwriting face
  float title_size = 34, heading_size = 24, label_size = 19, tick_size = 16, note_size = 17;
  float line_width = 2.5f, bold_line_width = 5.0f;
  // The smallest size text is drawn at on this board's canvas (logical pixels; BuildBoard sets it on
  // small canvases, where the type scale stops shrinking). A size a board derives (0.85 x tick) goes
  // through Size() so that the board measures the text as it will be drawn.
  float min_text_size = 0;
  float Size(float px) const { return px > min_text_size ? px : min_text_size; }

  FontFace TitleFace() const { return chalk_titles ? FontFace::kChalk : FontFace::kUi; }
};

// Built-in names: blackboard, print, screen. Unknown names throw std::invalid_argument listing them.
const Theme& GetTheme(const std::string& name);
std::vector<std::string> ThemeNames();
// Parses a theme JSON document over the defaults (throws std::invalid_argument naming the key).
Theme ThemeFromJsonText(const std::string& json_text, const std::string& source);

}  // namespace blackboard
