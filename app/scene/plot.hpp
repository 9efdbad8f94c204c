// Plots as Scene shapes: linear/log axes, nice ticks, unit-aware labels, curves, markers, legends.
//
// Use:
//   PlotFrame plot(area, Axis{1, 4096, true, "batch", Unit::kCount},
//                        Axis{1e-4, 1, true, "step time", Unit::kSeconds}, theme);
//   plot.DrawAxes(scene);
//   plot.Curve(scene, xs, ys, theme.compute, 2.5f, "compute");
//   plot.Legend(scene);
// Everything lands in the Scene, so plots export to SVG and PNG like every other shape. Curves are
// clipped to the plot box. ImPlot is not packaged on Debian; this is the small subset we need.
#pragma once

#include <string>
#include <vector>

#include "scene.hpp"
#include "theme.hpp"

namespace blackboard {

enum class Unit { kNone, kCount, kSeconds, kBytes, kFlops, kFlopsPerSecond, kUsd, kPercent, kRatio };

struct Axis {
  double min = 0, max = 1;
  bool log = false;
  std::string label;  // the quantity, e.g. "step time"; the unit is appended by the plot
  Unit unit = Unit::kNone;
};

// "Nice" tick positions covering [lo, hi]: 1-2-5 steps on linear axes (about `target` ticks), powers
// of ten on log axes (with 2 and 5 in between when the range is short).
std::vector<double> NiceTicks(double lo, double hi, int target, bool log);

// A value with its unit scaled to read well: 0.0172 s -> "17.2 ms", 8e10 B -> "80 GB".
std::string FormatWithUnit(double v, Unit unit);
// The scale a linear axis uses for its tick labels, e.g. seconds spanning 0..0.03 -> {1e-3, "ms"}.
struct UnitScale {
  double divisor = 1;
  std::string suffix;
};
UnitScale ChooseUnitScale(double max_abs, Unit unit);
std::string FormatTickNumber(double v, double step);
// Ticks of a long log time axis in the units a reader plans in (decades below a minute, then 1 min,
// 10 min, 1 h, 1 day, 1 week, 30 days, 1 year), about `target` of them.
std::vector<double> HumanTimeTicks(double lo, double hi, int target);

class PlotFrame {
 public:
  PlotFrame(Box area, Axis x, Axis y, const Theme& theme);

  const Box& plot_box() const { return box_; }
  const Axis& x_axis() const { return x_; }
  const Axis& y_axis() const { return y_; }
  Vec2 Map(double x, double y) const;  // data -> pixels (unclamped)
  double UnmapX(float px) const;        // pixels -> data
  bool InX(double x) const { return x >= x_.min && x <= x_.max; }

  void DrawAxes(Scene& s, const std::string& title = {}) const;
  // Adds a curve (clipped to the box) and remembers it for the legend when `legend` is not empty.
  void Curve(Scene& s, const std::vector<double>& xs, const std::vector<double>& ys, Color c,
             float width, const std::string& legend = {}, float dash = 0);
  void Marker(Scene& s, double x, double y, Color c, float radius, const std::string& label = {}) const;
  void VLine(Scene& s, double x, Color c, const std::string& label = {}, float dash = 6) const;
  void HLine(Scene& s, double y, Color c, const std::string& label = {}, float dash = 6) const;
  // Shades the area between two curves (same xs), clipped to the box.
  void Band(Scene& s, const std::vector<double>& xs, const std::vector<double>& lo,
            const std::vector<double>& hi, Color c) const;
  // Shades the x range [x0, x1] (clipped to the axis) over the plot's full height, drawn under what
  // follows (e.g. the batches that do not fit in HBM). RangeLabel names such a range near its top,
  // at a place no curve crosses (call it after the curves).
  void ShadeX(Scene& s, double x0, double x1, Color c) const;
  void RangeLabel(Scene& s, double x0, double x1, const std::string& label, Color c) const;
  // Legend in the top-left (or top-right) corner of the plot box.
  void Legend(Scene& s, bool right = false) const;

 private:
  int TickTarget(float length, bool horizontal) const;
  std::vector<double> AxisTicks(const Axis& ax, int target) const;  // HumanTimeTicks or NiceTicks
  std::string TickLabel(const Axis& ax, double v, double step) const;
  std::vector<std::string> TickLabels(const Axis& ax, float length, bool horizontal) const;
  // A note-sized label on a faint patch of the board's colour, at the first of `places` where it
  // stays in the plot box and no curve, marker or other text is under it (the first place inside the
  // box when none is free).
  struct Place {
    Vec2 pos;
    HAlign h;
    VAlign v;
  };
  void Label(Scene& s, const std::vector<Place>& places, const std::string& text, Color c, std::string role) const;
  float MapX(double x) const;
  float MapY(double y) const;
  Box box_;
  Axis x_, y_;
  const Theme& theme_;
  float y_tick_width_ = 0;  // widest y tick label (estimated), sets the left margin
  struct Entry {
    std::string label;
    Color color;
    float width;
    float dash;
  };
  std::vector<Entry> legend_;
};

// True when a plot's reference line (VLine / HLine, roles "vline" / "hline") crosses `box`: labels and
// legends keep clear of them, or sit on an opaque patch.
bool RuleCrossesBox(const Scene& s, const Box& box);

// Splits a polyline into the runs that lie inside `box` (segments clipped at the border).
std::vector<std::vector<Vec2>> ClipPolyline(const std::vector<Vec2>& pts, const Box& box);

}  // namespace blackboard
