// Contrast for a hall (issue 16 item 5): WCAG contrast of every text of every board, in every theme, against
// what is drawn under it, at least 4.5:1 (app/scene/contrast.*). The hand-built cases pin the WCAG
// arithmetic; the sweep renders all boards x themes at two sizes and several moments.
#include "scene/contrast.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <string>

#include "blackboard/assets.hpp"
#include "blackboard/lecture.hpp"
#include "blackboard/scenario.hpp"
#include "scene/annotations.hpp"
#include "scene/board.hpp"
#include "scene/theme.hpp"

namespace blackboard {
namespace {

TEST(Contrast, WcagArithmetic) {
  const Color black{0, 0, 0, 255}, white{255, 255, 255, 255};
  EXPECT_NEAR(ContrastRatio(black, white), 21.0, 1e-9);
  EXPECT_NEAR(ContrastRatio(white, white), 1.0, 1e-9);
  EXPECT_NEAR(ContrastRatio(white, black), ContrastRatio(black, white), 1e-12);
  // WCAG's own example values: #777777 on white is 4.48:1 (just fails AA), #767676 is 4.54:1.
  EXPECT_NEAR(ContrastRatio(ColorFromHex("#777777"), white), 4.48, 0.01);
  EXPECT_NEAR(ContrastRatio(ColorFromHex("#767676"), white), 4.54, 0.01);
  // The example: dark goldenrod on white, 3.3:1.
  EXPECT_NEAR(ContrastRatio(ColorFromHex("#b8860b"), white), 3.3, 0.05);
  // Half-transparent black over white is mid grey.
  const Color grey = CompositeOver(Color{0, 0, 0, 128}, white);
  EXPECT_EQ(grey.r, 127);
  EXPECT_EQ(grey.a, 255);
}

TEST(Contrast, BackdropIsWhatIsDrawnUnderTheText) {
  Scene s(400, 200);
  s.background = ColorFromHex("#ffffff");
  s.Rect({{0, 0}, {200, 200}}, ColorFromHex("#000000"));
  s.Text({20, 20}, "on the black box", 20,
         ColorFromHex("#1a1a1a"));  // 1.2:1: a problem
  s.Text({220, 20}, "on the white board", 20, ColorFromHex("#1a1a1a"));
  s.Text({220, 120}, "faint", 20, ColorFromHex("#1a1a1a").WithAlpha(0.3f));
  const auto problems = CheckContrast(s);
  ASSERT_EQ(problems.size(), 2u);
  EXPECT_EQ(problems[0].text, "on the black box");
  EXPECT_EQ(ColorToHex(problems[0].backdrop), "#000000");
  EXPECT_EQ(problems[1].text, "faint");
  EXPECT_LT(problems[1].ratio, 4.5);
}

// Boards still below 4.5:1 somewhere, owned by another change (pipeline-serving: issue 16 part A). A list
// that only shrinks: a board on it that passes fails the test.
const std::set<std::string> kBoardsStillFailing = {};

TEST(Contrast, EveryTextOfEveryBoardInEveryTheme) {
  struct Canvas {
    float w, h;
  };
  const Canvas canvases[] = {{1600, 900}, {800, 450}};
  int total = 0, texts_seen = 0;
  for (const BoardInfo& b : AllBoards()) {
    int board_problems = 0;
    std::string first;
    std::vector<double> moments = {b.still_time_s};
    if (b.duration_s > 0) moments.insert(moments.end(), {0.0, 0.5 * b.duration_s});
    for (const std::string& theme_name : ThemeNames())
      for (const Canvas& c : canvases)
        for (double t : moments) {
          const Scene s = BuildBoard(b, BoardContext{DefaultScenario(), GetTheme(theme_name), t, c.w, c.h});
          for (const Shape& sh : s.shapes) texts_seen += std::holds_alternative<TextShape>(sh);
          const auto problems = CheckContrast(s);
          board_problems += static_cast<int>(problems.size());
          if (!problems.empty() && first.empty()) first = theme_name + ": " + problems[0].Describe();
        }
    std::printf("contrast problems %-18s %4d  %s\n", b.name.c_str(), board_problems, first.c_str());
    if (kBoardsStillFailing.count(b.name))
      EXPECT_GT(board_problems, 0) << b.name << " passes now: remove it from kBoardsStillFailing";
    else
      EXPECT_EQ(board_problems, 0) << b.name << ": " << first;
    total += board_problems;
  }
  // Every step of the default lecture, with its chalk, in every theme at the design size.
  std::vector<std::string> names;
  for (const BoardInfo& b : AllBoards()) names.push_back(b.name);
  const Lecture lecture = LoadLectureFile(AssetDir() + "/lectures/default.json", names);
  for (size_t i = 0; i < lecture.steps.size(); ++i) {
    const LectureStep& st = lecture.steps[i];
    if (kBoardsStillFailing.count(st.board)) continue;
    for (const std::string& theme_name : ThemeNames()) {
      const Theme& th = GetTheme(theme_name);
      Scene s = BuildBoard(*FindBoard(st.board), BoardContext{st.scenario, th, st.time_s, 1600, 900});
      AddAnnotations(s, st.annotations, th);
      for (const ContrastProblem& p : CheckContrast(s)) {
        ADD_FAILURE() << "lecture step " << i + 1 << " (" << st.board << "), " << theme_name << ": " << p.Describe();
        ++total;
      }
    }
  }
  EXPECT_EQ(AllBoards().size(), 14u);
  EXPECT_GT(texts_seen, 1000);  // the sweep saw the boards' texts
  std::printf("contrast problems total %d\n", total);
}

}  // namespace
}  // namespace blackboard
