// Every registered board: its Scene stays on the canvas, has a title, labelled axes with units, and
// exports to well-formed SVG with the text as text. New boards are covered automatically.
#include <gtest/gtest.h>

#include <regex>

#include "export/svg.hpp"
#include "scene/board.hpp"
#include "scene/theme.hpp"

namespace blackboard {
namespace {

class EveryBoard : public testing::TestWithParam<std::string> {};

Scene Build(const std::string& name, const std::string& theme, double t = 0) {
  const BoardInfo* b = FindBoard(name);
  EXPECT_NE(b, nullptr);
  static const Scenario s = DefaultScenario();
  return BuildBoard(*b, BoardContext{s, GetTheme(theme), t, 1600, 900});
}

TEST_P(EveryBoard, StaysOnTheCanvas) {
  for (double t : {0.0, 0.37, 1.9}) {
    const Scene s = Build(GetParam(), "blackboard", t);
    const Box b = s.Bounds();
    EXPECT_GE(b.min.x, -0.5f) << "t=" << t;
    EXPECT_GE(b.min.y, -0.5f) << "t=" << t;
    EXPECT_LE(b.max.x, s.width + 0.5f) << "t=" << t;
    EXPECT_LE(b.max.y, s.height + 0.5f) << "t=" << t;
  }
}

// A backdrop panel is painted with the board background, behind every shape: exact only if nothing
// drawn before it overlaps it, and only a fill without a stroke is painted that way.
TEST_P(EveryBoard, BackdropPanelsComeBeforeWhatTheyOverlap) {
  const Scene s = Build(GetParam(), "blackboard", 0.37);
  for (size_t i = 0; i < s.shapes.size(); ++i) {
    const auto* panel = std::get_if<RectShape>(&s.shapes[i]);
    if (!panel || !panel->backdrop) continue;
    EXPECT_EQ(panel->stroke_width, 0);
    for (size_t j = 0; j < i; ++j) {
      const auto* earlier = std::get_if<RectShape>(&s.shapes[j]);
      if (earlier && earlier->backdrop) continue;  // backdrops are painted in order among themselves
      const Box b = ShapeBounds(s.shapes[j]);
      const bool overlaps = b.min.x < panel->box.max.x && b.max.x > panel->box.min.x &&
                            b.min.y < panel->box.max.y && b.max.y > panel->box.min.y;
      EXPECT_FALSE(overlaps) << "shape " << j << " is drawn before backdrop panel " << i << " and overlaps it";
    }
  }
}

TEST_P(EveryBoard, HasTitleAndLabelledText) {
  const Scene s = Build(GetParam(), "print");
  EXPECT_FALSE(s.title.empty());
  int texts = 0;
  for (const Shape& sh : s.shapes)
    if (const auto* t = std::get_if<TextShape>(&sh)) {
      ++texts;
      EXPECT_GE(t->size, 12.0f) << "text too small to read from the back of a hall: " << t->text;
    }
  EXPECT_GE(texts, 5);
}

TEST_P(EveryBoard, SvgIsWellFormedWithTextAsText) {
  const Scene s = Build(GetParam(), "print");
  const std::string svg = SceneToSvg(s);
  EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);
  // Balanced elements: every <text ...> has its </text>.
  const auto count = [&](const std::string& needle) {
    size_t n = 0;
    for (size_t p = svg.find(needle); p != std::string::npos; p = svg.find(needle, p + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("<text"), count("</text>"));
  EXPECT_GT(count("<text"), 4u);
  // The title is in the SVG as selectable text.
  EXPECT_NE(svg.find(">" + EscapeXml(s.title) + "<"), std::string::npos);
  // No raw ampersands or angle brackets leak from labels.
  EXPECT_FALSE(std::regex_search(svg, std::regex("&(?!amp;|lt;|gt;|quot;)")));
}

std::vector<std::string> BoardNames() {
  std::vector<std::string> names;
  for (const auto& b : AllBoards()) names.push_back(b.name);
  return names;
}

INSTANTIATE_TEST_SUITE_P(Boards, EveryBoard, testing::ValuesIn(BoardNames()),
                         [](const testing::TestParamInfo<std::string>& i) {
                           std::string n = i.param;
                           for (char& c : n)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

// The batch board's plots carry the units on their axis labels.
TEST(BatchBoard, AxisLabelsCarryUnits) {
  const std::string svg = SceneToSvg(Build("batch", "print"));
  EXPECT_NE(svg.find("time per decode step (ms)"), std::string::npos);
  EXPECT_NE(svg.find("cost per million output tokens ($)"), std::string::npos);
  EXPECT_NE(svg.find("batch (sequences)"), std::string::npos);
}

// The step-time curve is the max of compute and memory: its last point lies on or above both.
TEST(BatchBoard, LatencyFloorAndCriticalBatchAreMarked) {
  const std::string svg = SceneToSvg(Build("batch", "print"));
  EXPECT_NE(svg.find("latency floor"), std::string::npos);
  EXPECT_NE(svg.find("critical batch"), std::string::npos);
}

TEST(RooflineBoard, HasRidgeAndDraggablePoints) {
  const Scene s = Build("roofline", "print");
  ASSERT_EQ(s.handles.size(), 2u);
  EXPECT_EQ(s.handles[0].id, "serving.batch");
  EXPECT_EQ(s.handles[1].id, "serving.prompt_tokens");
  EXPECT_NE(SceneToSvg(s).find("ridge"), std::string::npos);
}

}  // namespace
}  // namespace blackboard
