// Plot math: ticks, unit scaling, mapping, clipping, and the shapes of axes, curves and legends.
#include "plot.hpp"

#include "layout_check.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace blackboard {

namespace {

double Transform(double v, bool log) { return log ? std::log10(std::max(v, 1e-300)) : v; }

const char* UnitSymbol(Unit u) {
  switch (u) {
    case Unit::kSeconds: return "s";
    case Unit::kBytes: return "B";
    case Unit::kFlops: return "FLOP";
    case Unit::kFlopsPerSecond: return "FLOP/s";
    default: return "";
  }
}

}  // namespace

std::vector<double> NiceTicks(double lo, double hi, int target, bool log) {
  std::vector<double> ticks;
  if (!(hi > lo)) return {lo};
  if (log) {
    const int e0 = static_cast<int>(std::floor(std::log10(lo) + 1e-9));
    const int e1 = static_cast<int>(std::ceil(std::log10(hi) - 1e-9));
    const int decades = e1 - e0;
    const int stride = std::max(1, (decades + target - 1) / std::max(1, target));
    for (int e = e0; e <= e1; ++e) {
      const double base = std::pow(10.0, e);
      if ((e - e0) % stride == 0 && base >= lo * (1 - 1e-9) && base <= hi * (1 + 1e-9)) ticks.push_back(base);
      if (decades <= 2) {
        for (double m : {2.0, 5.0}) {
          const double v = m * base;
          if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) ticks.push_back(v);
        }
      }
    }
    std::sort(ticks.begin(), ticks.end());
    return ticks;
  }
  const double raw = (hi - lo) / std::max(1, target);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    step = m * mag;
    if (step >= raw) break;
  }
  const double first = std::ceil(lo / step - 1e-9) * step;
  for (double v = first; v <= hi + step * 1e-9; v += step) ticks.push_back(std::fabs(v) < step * 1e-9 ? 0 : v);
  return ticks;
}

UnitScale ChooseUnitScale(double max_abs, Unit unit) {
  switch (unit) {
    case Unit::kSeconds:
      if (max_abs < 1e-6) return {1e-9, "ns"};
      if (max_abs < 1e-3) return {1e-6, "µs"};
      if (max_abs < 1) return {1e-3, "ms"};
      return {1, "s"};
    case Unit::kBytes:
    case Unit::kFlops:
    case Unit::kFlopsPerSecond: {
      static const char* const prefixes[] = {"", "K", "M", "G", "T", "P", "E"};
      int i = 0;
      double d = 1;
      while (i < 6 && max_abs >= d * 1000) d *= 1000, ++i;
      return {d, std::string(prefixes[i]) + UnitSymbol(unit)};
    }
    case Unit::kCount:
      if (max_abs >= 1e9) return {1e9, "billions"};
      if (max_abs >= 1e6) return {1e6, "millions"};
      return {1, ""};
    case Unit::kUsd:  // the cost of a training run is millions: "$M" and 5, not "$" and 5,000,000
      if (max_abs >= 1e9) return {1e9, "$B"};
      if (max_abs >= 1e6) return {1e6, "$M"};
      return {1, "$"};
    case Unit::kPercent: return {0.01, "%"};
    default: return {1, ""};
  }
}

std::string FormatTickNumber(double v, double step) {
  char buf[32];
  const double a = std::fabs(step);
  int decimals = 0;
  if (a > 0 && a < 1) decimals = std::min(6, static_cast<int>(std::ceil(-std::log10(a) - 1e-9)));
  if (decimals > 0 && std::fabs(std::round(step * std::pow(10, decimals)) - step * std::pow(10, decimals)) > 1e-6)
    ++decimals;
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  // Thousands separators for big integers: 16384 -> 16,384.
  if (decimals == 0 && std::fabs(v) >= 10000) {
    std::string out;
    const size_t start = s[0] == '-' ? 1 : 0;
    for (size_t i = 0; i < s.size(); ++i) {
      out += s[i];
      const size_t left = s.size() - 1 - i;
      if (i >= start && left > 0 && left % 3 == 0) out += ',';
    }
    s = out;
  }
  return s;
}

std::string FormatWithUnit(double v, Unit unit) {
  char buf[48];
  auto num = [&](double x) {
    const double a = std::fabs(x);
    std::snprintf(buf, sizeof buf, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3g", x);
    return std::string(buf);
  };
  switch (unit) {
    case Unit::kUsd: {
      const double a = std::fabs(v);
      if (a >= 1e6) return "$" + num(v / 1e6) + "M";
      if (a >= 1e3) return "$" + num(v / 1e3) + "K";
      if (a >= 0.01) return "$" + num(v);
      std::snprintf(buf, sizeof buf, "$%.2g", v);
      return buf;
    }
    case Unit::kPercent: return num(100 * v) + " %";
    case Unit::kRatio: return num(v) + "x";
    case Unit::kCount: {
      const double a = std::fabs(v);
      if (a >= 1e12) return num(v / 1e12) + " T";
      if (a >= 1e9) return num(v / 1e9) + " B";
      if (a >= 1e6) return num(v / 1e6) + " M";
      if (a >= 1e4) return num(v / 1e3) + " K";
      std::snprintf(buf, sizeof buf, a > 0 && a < 1 ? "%.2g" : "%.0f", v);  // 0.1 on a log axis, not "0"
      return buf;
    }
    case Unit::kNone: return num(v);
    case Unit::kSeconds:
      // Long times in human units (a hold of 1e5 s is "1.2 days"): min from 2 min, h from 2 h, days
      // from 2 days, as core's FormatSeconds.
      if (std::fabs(v) >= 2 * 86400) return num(v / 86400) + " days";
      if (std::fabs(v) >= 2 * 3600) return num(v / 3600) + " h";
      if (std::fabs(v) >= 120) return num(v / 60) + " min";
      [[fallthrough]];
    default: {
      const UnitScale sc = ChooseUnitScale(std::fabs(v), unit);
      return num(v / sc.divisor) + " " + sc.suffix;
    }
  }
}

std::vector<std::vector<Vec2>> ClipPolyline(const std::vector<Vec2>& pts, const Box& box) {
  std::vector<std::vector<Vec2>> runs;
  std::vector<Vec2> run;
  auto flush = [&] {
    if (run.size() >= 2) runs.push_back(run);
    run.clear();
  };
  for (size_t i = 0; i + 1 < pts.size(); ++i) {
    Vec2 a = pts[i], b = pts[i + 1];
    if (!std::isfinite(a.x) || !std::isfinite(a.y) || !std::isfinite(b.x) || !std::isfinite(b.y)) {
      flush();
      continue;
    }
    // Liang-Barsky clipping of segment a-b.
    double t0 = 0, t1 = 1;
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double p[4] = {-dx, dx, -dy, dy};
    const double q[4] = {a.x - box.min.x, box.max.x - a.x, a.y - box.min.y, box.max.y - a.y};
    bool visible = true;
    for (int k = 0; k < 4 && visible; ++k) {
      if (p[k] == 0) {
        if (q[k] < 0) visible = false;
      } else {
        const double t = q[k] / p[k];
        if (p[k] < 0) t0 = std::max(t0, t);
        else t1 = std::min(t1, t);
        if (t0 > t1) visible = false;
      }
    }
    if (!visible) {
      flush();
      continue;
    }
    const Vec2 ca{static_cast<float>(a.x + t0 * dx), static_cast<float>(a.y + t0 * dy)};
    const Vec2 cb{static_cast<float>(a.x + t1 * dx), static_cast<float>(a.y + t1 * dy)};
    if (run.empty() || t0 > 0) {
      flush();
      run.push_back(ca);
    }
    run.push_back(cb);
    if (t1 < 1) flush();
  }
  flush();
  return runs;
}

PlotFrame::PlotFrame(Box area, Axis x, Axis y, const Theme& theme) : x_(std::move(x)), y_(std::move(y)), theme_(theme) {
  // Leave room for tick labels (left, bottom) and the axis labels: at least 4.2 ems of tick label,
  // more when the y labels are wider (e.g. "10.0 PFLOP/s"), so the rotated axis label never crosses them.
  const float tick_height = area.Height() - theme.tick_size * 1.6f - theme.label_size * 2.6f;
  for (const std::string& label : TickLabels(y_, tick_height, false))
    y_tick_width_ = std::max(y_tick_width_, MeasureTextWidth(label, theme.tick_size, FontFace::kMono));
  y_tick_width_ = std::max(y_tick_width_, theme.tick_size * 3.7f);
  const float left = y_tick_width_ + theme.tick_size * 0.5f + theme.label_size * 1.6f;
  const float bottom = theme.tick_size * 1.6f + theme.label_size * 2.0f;
  box_ = {{area.min.x + left, area.min.y + theme.label_size * 0.6f},
          {area.max.x - theme.tick_size * 1.5f, area.max.y - bottom}};
}

float PlotFrame::MapX(double x) const {
  const double a = Transform(x_.min, x_.log), b = Transform(x_.max, x_.log);
  return static_cast<float>(box_.min.x + (Transform(x, x_.log) - a) / (b - a) * box_.Width());
}

float PlotFrame::MapY(double y) const {
  const double a = Transform(y_.min, y_.log), b = Transform(y_.max, y_.log);
  return static_cast<float>(box_.max.y - (Transform(y, y_.log) - a) / (b - a) * box_.Height());
}

Vec2 PlotFrame::Map(double x, double y) const { return {MapX(x), MapY(y)}; }

double PlotFrame::UnmapX(float px) const {
  const double a = Transform(x_.min, x_.log), b = Transform(x_.max, x_.log);
  const double t = a + (px - box_.min.x) / box_.Width() * (b - a);
  return x_.log ? std::pow(10.0, t) : t;
}

int PlotFrame::TickTarget(float length, bool horizontal) const {
  return std::max(2, static_cast<int>(length / (theme_.tick_size * (horizontal ? 6.0f : 3.5f))));
}

std::vector<double> HumanTimeTicks(double lo, double hi, int target) {
  // Decades below a minute, then the units a reader plans in: 1 min, 10 min, 1 h, 1 day, 1 week,
  // 30 days, 1 year; every k-th when there are more than `target`.
  std::vector<double> all;
  for (int e = -9; e <= 1; ++e) all.push_back(std::pow(10.0, e));
  for (double v : {60.0, 600.0, 3600.0, 86400.0, 7 * 86400.0, 30 * 86400.0, 365 * 86400.0}) all.push_back(v);
  std::vector<double> in;
  for (double v : all)
    if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) in.push_back(v);
  const size_t stride = std::max<size_t>(1, (in.size() + std::max(1, target) - 1) / std::max(1, target));
  std::vector<double> ticks;
  for (size_t i = 0; i < in.size(); ++i)
    if ((in.size() - 1 - i) % stride == 0) ticks.push_back(in[i]);  // keep the longest (day, week) tick
  return ticks;
}

std::vector<double> PlotFrame::AxisTicks(const Axis& ax, int target) const {
  if (ax.log && ax.unit == Unit::kSeconds && ax.max >= 600) return HumanTimeTicks(ax.min, ax.max, target);
  return NiceTicks(ax.min, ax.max, target, ax.log);
}

// A tick of HumanTimeTicks by its name: "10 ms", "1 min", "1 h", "1 day", "1 week".
std::string HumanTimeName(double v) {
  static const std::pair<double, const char*> named[] = {
      {365 * 86400.0, "1 year"}, {30 * 86400.0, "30 days"}, {7 * 86400.0, "1 week"}, {86400.0, "1 day"},
      {3600.0, "1 h"},           {600.0, "10 min"},         {60.0, "1 min"}};
  for (const auto& [at, name] : named)
    if (std::fabs(v - at) < at * 1e-9) return name;
  static const char* const units[] = {"ns", "µs", "ms", "s"};
  for (int u = 0; u < 4; ++u) {
    const double scale = std::pow(1000.0, u - 3);
    if (v < scale * 1000 * (1 - 1e-9) || u == 3) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.0f %s", v / scale, units[u]);
      return buf;
    }
  }
  return "";
}

std::string PlotFrame::TickLabel(const Axis& ax, double v, double step) const {
  if (ax.log && ax.unit == Unit::kSeconds && ax.max >= 600) return HumanTimeName(v);
  if (!ax.log) return FormatTickNumber(v / ChooseUnitScale(std::max(std::fabs(ax.min), std::fabs(ax.max)), ax.unit).divisor, step);
  return FormatWithUnit(v, ax.unit == Unit::kNone ? Unit::kCount : ax.unit);
}

std::vector<std::string> PlotFrame::TickLabels(const Axis& ax, float length, bool horizontal) const {
  const std::vector<double> ticks = AxisTicks(ax, TickTarget(length, horizontal));
  const double divisor = ChooseUnitScale(std::max(std::fabs(ax.min), std::fabs(ax.max)), ax.unit).divisor;
  const double step = ticks.size() > 1 ? (ticks[1] - ticks[0]) / divisor : 1;
  std::vector<std::string> labels;
  for (double v : ticks) labels.push_back(TickLabel(ax, v, step));
  return labels;
}

void PlotFrame::DrawAxes(Scene& s, const std::string& title) const {
  const Theme& th = theme_;
  // Grid and ticks.
  auto axis_ticks = [&](const Axis& ax, bool horizontal) {
    const float len = horizontal ? box_.Width() : box_.Height();
    const std::vector<double> ticks = AxisTicks(ax, TickTarget(len, horizontal));
    const UnitScale sc = ChooseUnitScale(std::max(std::fabs(ax.min), std::fabs(ax.max)), ax.unit);
    const double step = ticks.size() > 1 ? (ticks[1] - ticks[0]) / sc.divisor : 1;
    float last_end = -1e9f;
    for (double v : ticks) {
      const std::string label = TickLabel(ax, v, step);
      if (horizontal) {
        const float px = MapX(v);
        s.Line({px, box_.min.y}, {px, box_.max.y}, th.grid, 1);
        const float w = MeasureTextWidth(label, th.tick_size, FontFace::kMono);
        if (px - w / 2 < last_end + th.tick_size * 0.6f) continue;  // avoid overlapping labels
        last_end = px + w / 2;
        s.Text({px, box_.max.y + th.tick_size * 0.45f}, label, th.tick_size, th.ink_dim, FontFace::kMono,
               HAlign::kCenter, VAlign::kTop, "tick");
      } else {
        const float py = MapY(v);
        s.Line({box_.min.x, py}, {box_.max.x, py}, th.grid, 1);
        s.Text({box_.min.x - th.tick_size * 0.5f, py}, label, th.tick_size, th.ink_dim, FontFace::kMono,
               HAlign::kRight, VAlign::kMiddle, "tick");
      }
    }
    std::string name = ax.label;
    if (!ax.log && !sc.suffix.empty()) name += " (" + sc.suffix + ")";
    return name;
  };
  const std::string xname = axis_ticks(x_, true);
  const std::string yname = axis_ticks(y_, false);
  s.Line({box_.min.x, box_.max.y}, {box_.max.x, box_.max.y}, th.ink, 2, 0, "axis");
  s.Line({box_.min.x, box_.min.y}, {box_.min.x, box_.max.y}, th.ink, 2, 0, "axis");
  // The x label centred under the plot, moved in when it is wider than the room to the canvas edge.
  const float xname_w = MeasureTextWidth(xname, th.label_size, FontFace::kUi);
  const float xname_x = std::max(std::min((box_.min.x + box_.max.x) / 2, s.width - 4 - xname_w / 2), 4 + xname_w / 2);
  s.Text({xname_x, box_.max.y + th.tick_size * 1.7f}, xname, th.label_size, th.ink, FontFace::kUi, HAlign::kCenter,
         VAlign::kTop, "axis-label");
  s.VerticalText({box_.min.x - y_tick_width_ - th.tick_size * 0.7f - th.label_size * 1.1f, (box_.min.y + box_.max.y) / 2},
                 yname, th.label_size, th.ink, VAlign::kTop);
  if (!title.empty()) {
    // Over the plot box; a title wider than the box starts further left, over the tick labels (its
    // area's left edge), so it does not run into what is right of the plot.
    const float area_left = box_.min.x - (y_tick_width_ + th.tick_size * 0.5f + th.label_size * 1.6f);
    const float title_w = MeasureTextWidth(title, th.heading_size, th.TitleFace());
    const float title_x = std::max(area_left, std::min(box_.min.x, box_.max.x - title_w));
    s.Text({title_x, box_.min.y - th.heading_size * 1.5f}, title, th.heading_size, th.ink, th.TitleFace(),
           HAlign::kLeft, VAlign::kTop, "plot-title");
  }
}

void PlotFrame::Curve(Scene& s, const std::vector<double>& xs, const std::vector<double>& ys, Color c,
                      float width, const std::string& legend, float dash) {
  std::vector<Vec2> pts;
  pts.reserve(xs.size());
  for (size_t i = 0; i < xs.size() && i < ys.size(); ++i) {
    const bool ok = std::isfinite(ys[i]) && (!y_.log || ys[i] > 0) && (!x_.log || xs[i] > 0);
    pts.push_back(ok ? Map(xs[i], ys[i]) : Vec2{NAN, NAN});
  }
  for (auto& run : ClipPolyline(pts, box_)) s.Polyline(std::move(run), c, width, dash, "curve");
  if (!legend.empty()) legend_.push_back({legend, c, width, dash});
}

void PlotFrame::Marker(Scene& s, double x, double y, Color c, float radius, const std::string& label) const {
  const Vec2 p = Map(x, y);
  if (!box_.Contains(p)) return;
  s.Circle(p, radius, c, theme_.background, 2, "marker");
  if (!label.empty()) {
    const bool left = p.x > (box_.min.x + box_.max.x) / 2;
    const float dx = radius * 2, dy = radius * 1.5f;
    const HAlign near = left ? HAlign::kRight : HAlign::kLeft, far = left ? HAlign::kLeft : HAlign::kRight;
    const float sx = left ? -1.0f : 1.0f;
    // Beside the marker first, then further out (one and two label heights away).
    std::vector<Place> places;
    for (float out : {0.0f, theme_.note_size * 1.3f, theme_.note_size * 2.6f}) {
      places.push_back({{p.x + sx * dx, p.y - dy - out}, near, VAlign::kBottom});
      places.push_back({{p.x + sx * dx, p.y + dy + out}, near, VAlign::kTop});
      places.push_back({{p.x - sx * dx, p.y - dy - out}, far, VAlign::kBottom});
      places.push_back({{p.x - sx * dx, p.y + dy + out}, far, VAlign::kTop});
      places.push_back({{p.x, p.y - dy * 2 - out}, HAlign::kCenter, VAlign::kBottom});
      places.push_back({{p.x, p.y + dy * 2 + out}, HAlign::kCenter, VAlign::kTop});
    }
    Label(s, places, label, c, "marker-label");
  }
}

void PlotFrame::VLine(Scene& s, double x, Color c, const std::string& label, float dash) const {
  if (!InX(x)) return;
  const float px = MapX(x);
  s.Line({px, box_.min.y}, {px, box_.max.y}, c, 2, dash, "vline");
  if (!label.empty()) {
    // Labelled at the foot of the line: the legends live at the top of the plot.
    const bool left = px > box_.min.x + box_.Width() * 0.75f;
    const float sx = left ? -6.0f : 6.0f, row = theme_.note_size * 1.3f;
    const HAlign near = left ? HAlign::kRight : HAlign::kLeft, far = left ? HAlign::kLeft : HAlign::kRight;
    std::vector<Place> places;
    for (float up : {0.0f, 1.0f, 2.0f, 3.0f}) {
      places.push_back({{px + sx, box_.max.y - 6 - up * row}, near, VAlign::kBottom});
      places.push_back({{px - sx, box_.max.y - 6 - up * row}, far, VAlign::kBottom});
    }
    places.push_back({{px + sx, box_.min.y + box_.Height() / 2}, near, VAlign::kMiddle});
    places.push_back({{px - sx, box_.min.y + box_.Height() / 2}, far, VAlign::kMiddle});
    Label(s, places, label, c, "vline-label");
  }
}

void PlotFrame::ShadeX(Scene& s, double x0, double x1, Color c) const {
  const float a = std::clamp(MapX(std::max(x0, x_.min)), box_.min.x, box_.max.x);
  const float b = std::clamp(MapX(std::min(x1, x_.max)), box_.min.x, box_.max.x);
  if (b > a + 1) s.Rect({{a, box_.min.y}, {b, box_.max.y}}, c, {0, 0, 0, 0}, 0, 0, "shade");
}

void PlotFrame::RangeLabel(Scene& s, double x0, double x1, const std::string& label, Color c) const {
  const float a = std::clamp(MapX(std::max(x0, x_.min)), box_.min.x, box_.max.x);
  const float b = std::clamp(MapX(std::min(x1, x_.max)), box_.min.x, box_.max.x);
  if (!(b > a + 1) || label.empty()) return;
  std::vector<Place> places;
  const float row = theme_.note_size * 1.3f;
  for (float down : {0.0f, 1.0f, 2.0f, 3.0f, 4.0f, 5.0f, 6.0f, 7.0f}) {
    places.push_back({{b - 6, box_.min.y + 6 + down * row}, HAlign::kRight, VAlign::kTop});
    places.push_back({{a + 6, box_.min.y + 6 + down * row}, HAlign::kLeft, VAlign::kTop});
  }
  Label(s, places, label, c, "range-label");
}

void PlotFrame::HLine(Scene& s, double y, Color c, const std::string& label, float dash) const {
  const float py = MapY(y);
  if (py < box_.min.y || py > box_.max.y) return;
  s.Line({box_.min.x, py}, {box_.max.x, py}, c, 2, dash, "hline");
  if (!label.empty()) {
    std::vector<Place> places;
    for (float along : {0.0f, 0.25f, 0.5f, 0.75f}) {
      const float x = box_.max.x - 6 - along * box_.Width();
      places.push_back({{x, py - 4}, HAlign::kRight, VAlign::kBottom});
      places.push_back({{x, py + 4}, HAlign::kRight, VAlign::kTop});
    }
    Label(s, places, label, c, "hline-label");
  }
}

// True when a reference line of a plot (PlotFrame::VLine / HLine) crosses `box`.
bool RuleCrossesBox(const Scene& s, const Box& box) {
  for (const Shape& sh : s.shapes)
    if (const auto* l = std::get_if<PolylineShape>(&sh); l && (l->role == "vline" || l->role == "hline"))
      for (size_t i = 0; i + 1 < l->points.size(); ++i)
        if (SegmentCrossesBox(l->points[i], l->points[i + 1], box)) return true;
  return false;
}

void PlotFrame::Label(Scene& s, const std::vector<Place>& places, const std::string& text, Color c,
                      std::string role) const {
  TextShape t{places.front().pos, text, theme_.note_size, FontFace::kUi, c, places.front().h, places.front().v, false,
              std::move(role)};
  // Reference lines (a ridge, a critical batch, a floor) are not curves to the layout check, but a
  // label on one overprints it: the first pass also keeps clear of them.
  auto crosses_rule = [&s](const Box& b) { return RuleCrossesBox(s, b); };
  bool placed = false;
  for (int pass = 0; pass < 3 && !placed; ++pass)
    for (const Place& p : places) {
      t.pos = p.pos, t.halign = p.h, t.valign = p.v;
      const Box b = TextBounds(t);
      const bool inside = b.min.x >= box_.min.x && b.max.x <= box_.max.x && b.min.y >= box_.min.y && b.max.y <= box_.max.y;
      if (inside && (pass == 2 || (BoxIsFree(s, b) && (pass == 1 || !crosses_rule(b))))) {
        placed = true;
        break;
      }
    }
  bool free = placed;
  if (!placed) t.pos = places.front().pos, t.halign = places.front().h, t.valign = places.front().v;
  else free = BoxIsFree(s, TextBounds(t));
  // A faint patch where nothing is under the label; an opaque one where it has to sit on a curve.
  const Box b = TextBounds(t);
  s.Rect({{b.min.x - 3, b.min.y - 1}, {b.max.x + 3, b.max.y + 1}}, theme_.background.WithAlpha(free ? 0.7f : 1.0f),
         {0, 0, 0, 0}, 0, 3, t.role + "-backing");
  s.shapes.push_back(std::move(t));
}

void PlotFrame::Band(Scene& s, const std::vector<double>& xs, const std::vector<double>& lo,
                     const std::vector<double>& hi, Color c) const {
  std::vector<Vec2> upper, lower;
  auto clampy = [&](float y) { return std::clamp(y, box_.min.y, box_.max.y); };
  for (size_t i = 0; i < xs.size(); ++i) {
    if (!InX(xs[i])) continue;
    const Vec2 a = Map(xs[i], hi[i]), b = Map(xs[i], lo[i]);
    upper.push_back({a.x, clampy(std::isfinite(a.y) ? a.y : box_.max.y)});
    lower.push_back({b.x, clampy(std::isfinite(b.y) ? b.y : box_.max.y)});
  }
  if (upper.size() >= 2) s.Band(std::move(upper), std::move(lower), c, "band");
}

void PlotFrame::Legend(Scene& s, bool right) const {
  if (legend_.empty()) return;
  const float fs = theme_.note_size, row = fs * 1.45f, swatch = fs * 1.8f;
  float w = 0;
  for (const auto& e : legend_) w = std::max(w, MeasureTextWidth(e.label, fs, FontFace::kUi));
  w += swatch + fs * 1.6f;
  const float h = row * static_cast<float>(legend_.size()) + fs * 0.6f;
  // The first corner of the plot (the asked-for top corner first) where no curve, marker or text is
  // under the legend; the asked-for corner when none is free.
  const float left_x = box_.min.x + fs * 0.6f, right_x = box_.max.x - w - fs * 0.6f;
  const float top_y = box_.min.y + fs * 0.6f, bottom_y = box_.max.y - h - fs * 0.6f;
  const Vec2 corners[] = {{right ? right_x : left_x, top_y}, {right ? left_x : right_x, top_y},
                          {right ? right_x : left_x, bottom_y}, {right ? left_x : right_x, bottom_y}};
  Vec2 at = corners[0];
  bool free = false;
  for (const Vec2& c : corners)
    if (BoxIsFree(s, {c, {c.x + w, c.y + h}})) {
      at = c, free = !RuleCrossesBox(s, {c, {c.x + w, c.y + h}});  // a rule under it: opaque panel
      break;
    }
  const float x0 = at.x, y0 = at.y;
  // On a free corner the legend's panel is the faint one; where it must sit on curves it is opaque
  // (the panel's colour over the board), so its labels read.
  const Color opaque = theme_.background.Mix(Color{theme_.panel.r, theme_.panel.g, theme_.panel.b, 255},
                                             static_cast<float>(theme_.panel.a) / 255.0f);
  s.Rect({{x0, y0}, {x0 + w, y0 + h}}, free ? theme_.panel : opaque, theme_.grid, 1, 6, "legend");
  float y = y0 + fs * 0.3f + row / 2;
  for (const auto& e : legend_) {
    s.Line({x0 + fs * 0.5f, y}, {x0 + fs * 0.5f + swatch, y}, e.color, e.width, e.dash, "legend-swatch");
    s.Text({x0 + fs * 0.9f + swatch, y}, e.label, fs, theme_.ink, FontFace::kUi, HAlign::kLeft, VAlign::kMiddle,
           "legend-label");
    y += row;
  }
}

}  // namespace blackboard
