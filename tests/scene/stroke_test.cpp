// Stroke level of detail: simplification keeps every sample that bends a stroke by more than the
// tolerance and drops the rest; dashes follow the whole polyline.
#include "scene/stroke.hpp"

#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

namespace blackboard {
namespace {

float Length(const std::vector<Vec2>& pts) {
  float len = 0;
  for (size_t i = 0; i + 1 < pts.size(); ++i) len += std::hypot(pts[i + 1].x - pts[i].x, pts[i + 1].y - pts[i].y);
  return len;
}

// Distance from p to the polyline's nearest segment.
float DistanceTo(const std::vector<Vec2>& line, Vec2 p) {
  float best = 1e30f;
  for (size_t i = 0; i + 1 < line.size(); ++i) {
    const Vec2 a = line[i], d = line[i + 1] - line[i];
    const float len2 = d.x * d.x + d.y * d.y;
    const float t = len2 > 0 ? std::clamp(((p.x - a.x) * d.x + (p.y - a.y) * d.y) / len2, 0.0f, 1.0f) : 0;
    best = std::min(best, std::hypot(a.x + d.x * t - p.x, a.y + d.y * t - p.y));
  }
  return best;
}

TEST(Stroke, StraightRunsCollapseToTheirEnds) {
  std::vector<Vec2> line;
  for (int i = 0; i <= 100; ++i) line.push_back({static_cast<float>(i), 2.0f * static_cast<float>(i)});
  const auto kept = SimplifyPolyline(line, 0.1f);
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept.front(), line.front());
  EXPECT_EQ(kept.back(), line.back());
}

TEST(Stroke, ACornerIsKept) {
  const std::vector<Vec2> elbow{{0, 0}, {1, 0}, {2, 0}, {3, 0}, {3, 1}, {3, 2}, {3, 3}};
  const auto kept = SimplifyPolyline(elbow, 0.1f);
  EXPECT_EQ(kept, (std::vector<Vec2>{{0, 0}, {3, 0}, {3, 3}}));
}

// A stroke that doubles back along its own line is not a straight run: the turn is kept.
TEST(Stroke, ASampleThatRunsBackPastTheChordIsKept) {
  const std::vector<Vec2> back{{0, 0}, {10, 0}, {5, 0}};
  EXPECT_FALSE(WithinChord(back, 0, 2, 0.1f));
  EXPECT_EQ(SimplifyPolyline(back, 0.1f).size(), 3u);
}

// A log-scale curve as the plots sample it (240 points across 900 units): far fewer samples remain,
// and every original sample lies within the tolerance of what is drawn.
TEST(Stroke, ASampledCurveStaysWithinTheTolerance) {
  std::vector<Vec2> curve;
  for (int i = 0; i < 240; ++i) {
    const float x = 900.0f * static_cast<float>(i) / 239.0f;
    curve.push_back({x, 500.0f - 400.0f * std::log10(1.0f + x / 30.0f) / std::log10(31.0f)});
  }
  const float tolerance = 0.33f / 0.5f;  // a third of a pixel at half scale
  const auto kept = SimplifyPolyline(curve, tolerance);
  EXPECT_LT(kept.size(), curve.size() / 3);
  EXPECT_GE(kept.size(), 5u);
  for (Vec2 p : curve) EXPECT_LE(DistanceTo(kept, p), tolerance * 1.001f);
}

TEST(Stroke, ShortInputsComeBackAsTheyAre) {
  EXPECT_TRUE(SimplifyPolyline({}, 1).empty());
  const std::vector<Vec2> two{{0, 0}, {5, 5}};
  EXPECT_EQ(SimplifyPolyline(two, 1), two);
}

// Dash 10, gap 7 along a 40-long line: dashes [0,10], [17,27], [34,40].
TEST(Stroke, DashesFollowThePattern) {
  const auto runs = DashRuns({{0, 0}, {40, 0}}, 10);
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_FLOAT_EQ(runs[0].front().x, 0);
  EXPECT_FLOAT_EQ(runs[0].back().x, 10);
  EXPECT_FLOAT_EQ(runs[1].front().x, 17);
  EXPECT_FLOAT_EQ(runs[1].back().x, 27);
  EXPECT_FLOAT_EQ(runs[2].front().x, 34);
  EXPECT_FLOAT_EQ(runs[2].back().x, 40);
}

// The pattern carries across vertices: a line sampled every unit is dashed exactly as the same line
// given by its two ends (drawing each sample segment as its own dash made such curves solid).
TEST(Stroke, DashesCarryAcrossVertices) {
  std::vector<Vec2> dense;
  for (int i = 0; i <= 40; ++i) dense.push_back({static_cast<float>(i), 0});
  const auto runs = DashRuns(dense, 10);
  ASSERT_EQ(runs.size(), 3u);
  EXPECT_NEAR(runs[1].front().x, 17, 1e-4);
  EXPECT_NEAR(runs[1].back().x, 27, 1e-4);
  float drawn = 0;
  for (const auto& r : runs) drawn += Length(r);
  EXPECT_NEAR(drawn, 26, 1e-3);  // 10 + 10 + 6
}

TEST(Stroke, DashesTurnCorners) {
  const auto runs = DashRuns({{0, 0}, {6, 0}, {6, 6}}, 10);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_EQ(runs[0].size(), 3u);  // start, the corner, the dash's end 4 up the second leg
  EXPECT_NEAR(runs[0].back().y, 4, 1e-5);
}

TEST(Stroke, NoDashNoRuns) {
  EXPECT_TRUE(DashRuns({{0, 0}, {1, 0}}, 0).empty());
  EXPECT_TRUE(DashRuns({{0, 0}}, 5).empty());
}

}  // namespace
}  // namespace blackboard
