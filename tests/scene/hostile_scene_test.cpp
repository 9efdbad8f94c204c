// Scenes under hostile and huge input (issue 17). Work budgets: every board
// builds its Scene at 16,384 and 131,072 GPUs, and moe-rack with 100,000 active
// experts, drawing at most what a screen can show (build times are printed for
// the record; speed is measured in benchmarks, never asserted here). SVG: a
// control character in any text still gives well-formed XML.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include "export/svg.hpp"
#include "scene/board.hpp"
#include "scene/theme.hpp"

namespace blackboard {
namespace {

// A screenful: far more shapes than any board draws at the default scenario,
// far fewer than one per GPU of a large cluster.
constexpr size_t kMaxShapes = 60000;

Scenario Cluster(int gpus) {
  Scenario s = DefaultScenario();
  ApplySet(s, "hardware=h100-sxm", "test");
  ApplySet(s, "cluster.chips_per_rack=8", "test");
  ApplySet(s, "cluster.racks=" + std::to_string(gpus / 8), "test");
  ValidateScenario(s, "test");
  return s;
}

void BuildEveryBoard(const Scenario& s, const std::string& what) {
  for (const BoardInfo& b : AllBoards()) {
    for (const double t : {0.0, 5.0}) {
      const auto t0 = std::chrono::steady_clock::now();
      const Scene scene = BuildBoard(b, BoardContext{s, GetTheme("blackboard"), t, 1600, 900});
      const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
      EXPECT_LT(scene.shapes.size(), kMaxShapes) << b.name << " at " << what;
      EXPECT_FALSE(scene.shapes.empty()) << b.name << " at " << what;
      if (t == 0)
        std::printf("[ budget ] %-18s %-22s %8.1f ms %7zu shapes\n", b.name.c_str(), what.c_str(), ms,
                    scene.shapes.size());
    }
  }
}

TEST(BoardBudget, EveryBoardAt16384Gpus) { BuildEveryBoard(Cluster(16384), "16,384 GPUs (2,048 racks)"); }

TEST(BoardBudget, EveryBoardAt131072Gpus) { BuildEveryBoard(Cluster(131072), "131,072 GPUs (16,384 racks)"); }

TEST(BoardBudget, MoeRackWithAHundredThousandActiveExperts) {
  Scenario s = DefaultScenario();
  ApplySet(s, "model=deepseek-v3", "test");
  ApplySet(s, "model.experts=100000", "test");  // the field's maximum
  ApplySet(s, "model.experts_active=100000", "test");
  ValidateScenario(s, "test");
  const Scene scene = BuildBoard(*FindBoard("moe-rack"), BoardContext{s, GetTheme("blackboard"), 0.4, 1600, 900});
  EXPECT_LT(scene.shapes.size(), kMaxShapes);
  BuildEveryBoard(s, "100,000 active experts");
}

TEST(HostileSvg, ControlCharactersNeverReachTheXml) {
  Scene scene(400, 300);
  scene.title = "title\x01";
  scene.Text({10, 10}, std::string("bell\x07 escape\x1b[31m tab\tok"), 20, Color{1, 1, 1, 1}, FontFace::kUi,
             HAlign::kLeft, VAlign::kTop, "chalk\x02");
  const std::string svg = SceneToSvg(scene);
  for (const char c : svg) {
    const auto u = static_cast<unsigned char>(c);
    EXPECT_FALSE(u < 0x20 && c != '\t' && c != '\n' && c != '\r') << "control character " << int{u};
  }
  EXPECT_NE(svg.find("bell\xEF\xBF\xBD escape"), std::string::npos);
}

}  // namespace
}  // namespace blackboard
