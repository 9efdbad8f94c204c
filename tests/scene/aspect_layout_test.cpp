// Boards laid out for the canvas's aspect (issue 15 item 1): on a 4:3 canvas
// moe-rack, collectives and plans give the extra height to their diagrams
// instead of keeping the 16:9 arrangement with an empty band across the bottom.
// Measured on the Scene: the lowest drawn shape (backdrop panels left out, text
// by its measured box) reaches below 85 % of the canvas height, and nothing
// leaves the canvas.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <variant>

#include "blackboard/scenario.hpp"
#include "scene/board.hpp"
#include "scene/theme.hpp"

namespace blackboard {
namespace {

// The lowest y any drawn shape covers, and the highest; backdrop panels (which
// fill their box whatever is drawn on them) are not content.
struct Extent {
  float top = 1e9f, bottom = -1e9f;
};
Extent ContentExtent(const Scene &s) {
  Extent e;
  for (const Shape &shape : s.shapes) {
    if (const auto *r = std::get_if<RectShape>(&shape); r && r->backdrop) continue;
    const Box b = ShapeBounds(shape);
    if (b.min.y > b.max.y) continue;  // an empty shape
    e.top = std::min(e.top, b.min.y);
    e.bottom = std::max(e.bottom, b.max.y);
  }
  return e;
}

struct Canvas {
  float w, h;
};

TEST(AspectLayout, TallCanvasesHaveNoEmptyBottomBand) {
  const Canvas canvases[] = {{1024, 768}, {800, 600}, {1280, 960}, {1600, 1000}, {1600, 900}, {1920, 1080}};
  for (const char *name : {"moe-rack", "collectives", "plans"}) {
    const BoardInfo *b = FindBoard(name);
    ASSERT_NE(b, nullptr) << name;
    for (const std::string &theme : ThemeNames())
      for (const Canvas &c : canvases) {
        const Scene s = BuildBoard(*b, BoardContext{DefaultScenario(), GetTheme(theme), b->still_time_s, c.w, c.h});
        const Extent e = ContentExtent(s);
        const std::string where = std::string(name) + " " + theme + " " + std::to_string(static_cast<int>(c.w)) + "x" +
                                  std::to_string(static_cast<int>(c.h));
        EXPECT_GE(e.bottom, 0.85f * c.h) << where << ": content ends at " << e.bottom;
        EXPECT_LE(e.bottom, c.h) << where;
        EXPECT_GE(e.top, 0.0f) << where;
      }
  }
}

// On a logical canvas 300 px taller than 16:9 (what a 4:3 canvas is laid out
// on) the content reaches most of those 300 px further down: the extra height
// goes to the board, not to an empty band.
TEST(AspectLayout, TallLayoutUsesTheExtraHeight) {
  for (const char *name : {"moe-rack", "collectives", "plans"}) {
    const BoardInfo *b = FindBoard(name);
    ASSERT_NE(b, nullptr) << name;
    const Theme &th = GetTheme("print");
    const Scene wide = BuildBoard(*b, BoardContext{DefaultScenario(), th, b->still_time_s, 1600, 900});
    const Scene tall = BuildBoard(*b, BoardContext{DefaultScenario(), th, b->still_time_s, 1600, 1200});
    const Extent ew = ContentExtent(wide), et = ContentExtent(tall);
    // The same width, 300 px more height: the content grows by most of it.
    EXPECT_GE(et.bottom - ew.bottom, 250.0f) << name << ": " << ew.bottom << " -> " << et.bottom;
  }
}

}  // namespace
}  // namespace blackboard
