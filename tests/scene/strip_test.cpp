// The live strip beside every board: three charts of the figures the board is about against the
// slider being dragged; serving figures for serving boards, training figures for training boards.
#include "scene/strip.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "blackboard/scenario.hpp"

namespace blackboard {
namespace {

std::vector<std::string> Texts(const Scene& s) {
  std::vector<std::string> out;
  for (const Shape& shape : s.shapes)
    if (const auto* t = std::get_if<TextShape>(&shape)) out.push_back(t->text);
  return out;
}

bool HasText(const Scene& s, const std::string& needle) {
  for (const std::string& t : Texts(s))
    if (t.find(needle) != std::string::npos) return true;
  return false;
}

std::vector<const PolylineShape*> Curves(const Scene& s) {
  std::vector<const PolylineShape*> out;
  for (const Shape& shape : s.shapes)
    if (const auto* p = std::get_if<PolylineShape>(&shape); p && p->role == "curve") out.push_back(p);
  return out;
}

void ExpectInside(const Scene& s) {
  for (const PolylineShape* c : Curves(s))
    for (Vec2 p : c->points) {
      EXPECT_GE(p.x, 0);
      EXPECT_LE(p.x, s.width);
      EXPECT_GE(p.y, 0);
      EXPECT_LE(p.y, s.height);
    }
}

const Control kBatch{"serving.batch", "batch", 1, 16384, true, true, {}, {}};
const Control kRacks{"cluster.racks", "racks", 1, 64, true, true, {}, {}};

TEST(LiveStrip, ServingChartsStepTimeCostAndMemory) {
  const Scene s = BuildLiveStrip(DefaultScenario(), kBatch, GetTheme("blackboard"), 340, 520);
  EXPECT_TRUE(HasText(s, "step time"));
  EXPECT_TRUE(HasText(s, "$ / M output tokens"));
  EXPECT_TRUE(HasText(s, "memory / chip"));
  EXPECT_TRUE(HasText(s, "HBM"));
  EXPECT_EQ(Curves(s).size(), 3u);
  ExpectInside(s);
  // Step time rises with the batch (y grows downwards): the last sample is above the first.
  const PolylineShape* step = Curves(s)[0];
  EXPECT_LT(step->points.back().y, step->points.front().y);
}

// A training board's strip: the training step falls as racks are added (more data parallelism for
// the same global batch) and the memory per chip falls with ZeRO sharding over more chips.
TEST(LiveStrip, TrainingChartsTheTrainingReport) {
  Scenario sc = DefaultScenario();
  sc.training.zero = 3;
  const Scene s = BuildLiveStrip(sc, kRacks, GetTheme("blackboard"), 340, 520, /*training=*/true);
  EXPECT_TRUE(HasText(s, "training step"));
  EXPECT_TRUE(HasText(s, "$ for the run"));
  EXPECT_TRUE(HasText(s, "memory / chip"));
  EXPECT_FALSE(HasText(s, "output tokens"));
  ASSERT_EQ(Curves(s).size(), 3u);
  ExpectInside(s);
  const PolylineShape* step = Curves(s)[0];
  EXPECT_GT(step->points.back().y, step->points.front().y);  // lower on the chart: a shorter step
  const PolylineShape* memory = Curves(s)[2];
  EXPECT_GT(memory->points.back().y, memory->points.front().y);
}

}  // namespace
}  // namespace blackboard
