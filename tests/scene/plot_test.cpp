// Plot math: nice ticks, unit scaling, clipping.
#include <gtest/gtest.h>

#include "scene/plot.hpp"

namespace blackboard {
namespace {

TEST(NiceTicks, LinearUsesOneTwoFiveSteps) {
  const auto t = NiceTicks(0, 800, 8, false);
  ASSERT_GE(t.size(), 5u);
  EXPECT_DOUBLE_EQ(t.front(), 0);
  EXPECT_DOUBLE_EQ(t.back(), 800);
  EXPECT_DOUBLE_EQ(t[1] - t[0], 100);
}

TEST(NiceTicks, LogIsPowersOfTen) {
  const auto t = NiceTicks(0.1, 1e5, 8, true);
  ASSERT_EQ(t.size(), 7u);
  EXPECT_DOUBLE_EQ(t.front(), 0.1);
  EXPECT_NEAR(t.back(), 1e5, 1e-6);
}

TEST(NiceTicks, ShortLogRangeAddsTwoAndFive) {
  const auto t = NiceTicks(1, 100, 8, true);
  EXPECT_EQ(t, (std::vector<double>{1, 2, 5, 10, 20, 50, 100}));
}

TEST(Units, SecondsScaleToReadableUnits) {
  EXPECT_EQ(ChooseUnitScale(0.03, Unit::kSeconds).suffix, "ms");
  EXPECT_EQ(ChooseUnitScale(3e-5, Unit::kSeconds).suffix, "µs");
  EXPECT_EQ(FormatWithUnit(0.0172, Unit::kSeconds), "17.2 ms");
  EXPECT_EQ(FormatWithUnit(8e10, Unit::kBytes), "80.0 GB");
  EXPECT_EQ(FormatWithUnit(9.894e14, Unit::kFlopsPerSecond), "989 TFLOP/s");
  EXPECT_EQ(FormatWithUnit(0.81, Unit::kUsd), "$0.81");
}

// A training run costs millions of dollars: its axis reads "$M" with ticks 2, 4, 6, not 6,000,000.
TEST(Units, DollarAxesScaleToMillionsAndBillions) {
  EXPECT_EQ(ChooseUnitScale(0.6, Unit::kUsd).suffix, "$");
  EXPECT_EQ(ChooseUnitScale(7.4e6, Unit::kUsd).suffix, "$M");
  EXPECT_EQ(ChooseUnitScale(7.4e6, Unit::kUsd).divisor, 1e6);
  EXPECT_EQ(ChooseUnitScale(2.1e9, Unit::kUsd).suffix, "$B");
}

TEST(Units, TickNumbersHaveSeparatorsAndDecimals) {
  EXPECT_EQ(FormatTickNumber(16384, 4096), "16,384");
  EXPECT_EQ(FormatTickNumber(0.5, 0.5), "0.5");
  EXPECT_EQ(FormatTickNumber(2.5, 0.25), "2.50");
}

TEST(Clip, SegmentsLeavingTheBoxAreCut) {
  const Box box{{0, 0}, {10, 10}};
  const auto runs = ClipPolyline({{-5, 5}, {5, 5}, {15, 5}}, box);
  ASSERT_EQ(runs.size(), 1u);
  EXPECT_FLOAT_EQ(runs[0].front().x, 0);
  EXPECT_FLOAT_EQ(runs[0].back().x, 10);
}

TEST(Clip, CurveReenteringMakesTwoRuns) {
  const Box box{{0, 0}, {10, 10}};
  const auto runs = ClipPolyline({{1, 1}, {5, 20}, {9, 1}}, box);
  EXPECT_EQ(runs.size(), 2u);
}

TEST(PlotFrame, MapsDataToTheBoxCorners) {
  const Theme& th = GetTheme("print");
  PlotFrame p({{0, 0}, {800, 600}}, Axis{1, 1000, true, "x", Unit::kNone}, Axis{0, 10, false, "y", Unit::kNone}, th);
  const Vec2 lo = p.Map(1, 0), hi = p.Map(1000, 10);
  EXPECT_FLOAT_EQ(lo.x, p.plot_box().min.x);
  EXPECT_FLOAT_EQ(lo.y, p.plot_box().max.y);
  EXPECT_FLOAT_EQ(hi.x, p.plot_box().max.x);
  EXPECT_NEAR(hi.y, p.plot_box().min.y, 1e-3);
  EXPECT_NEAR(p.UnmapX(p.Map(31.6, 0).x), 31.6, 1e-3);
}

}  // namespace
}  // namespace blackboard
