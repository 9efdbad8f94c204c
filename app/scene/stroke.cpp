#include "scene/stroke.hpp"

#include <algorithm>
#include <cmath>

namespace blackboard {

bool WithinChord(const std::vector<Vec2>& pts, size_t a, size_t b, float tolerance) {
  const Vec2 p = pts[a], d = pts[b] - pts[a];
  const float len2 = d.x * d.x + d.y * d.y;
  const float len = std::sqrt(len2);
  for (size_t k = a + 1; k < b; ++k) {
    const Vec2 q = pts[k] - p;
    if (len <= 0) {
      if (q.x * q.x + q.y * q.y > tolerance * tolerance) return false;
      continue;
    }
    const float along = (q.x * d.x + q.y * d.y) / len;  // distance along the chord from pts[a]
    if (along < -tolerance || along > len + tolerance) return false;
    if (std::fabs(q.x * d.y - q.y * d.x) / len > tolerance) return false;
  }
  return true;
}

std::vector<Vec2> SimplifyPolyline(const std::vector<Vec2>& pts, float tolerance) {
  if (pts.size() <= 2) return pts;
  std::vector<Vec2> out{pts.front()};
  for (size_t i = 0; i + 1 < pts.size();) {
    size_t j = i + 1;
    while (j + 1 < pts.size() && WithinChord(pts, i, j + 1, tolerance)) ++j;
    out.push_back(pts[j]);
    i = j;
  }
  return out;
}

std::vector<std::vector<Vec2>> DashRuns(const std::vector<Vec2>& pts, float dash) {
  std::vector<std::vector<Vec2>> runs;
  if (pts.size() < 2 || !(dash > 0)) return runs;
  const float gap = dash * kDashGapRatio;
  bool on = true;
  float left = dash;  // length left in the current dash or gap
  std::vector<Vec2> run{pts.front()};
  for (size_t i = 0; i + 1 < pts.size(); ++i) {
    Vec2 a = pts[i];
    const Vec2 b = pts[i + 1];
    float seg = std::hypot(b.x - a.x, b.y - a.y);
    while (seg > left) {  // the dash or gap ends inside this segment
      const float t = left / seg;
      a = a + (b - a) * t;
      seg -= left;
      if (on) {
        run.push_back(a);
        runs.push_back(std::move(run));
        run.clear();
      } else {
        run = {a};
      }
      on = !on;
      left = on ? dash : gap;
    }
    left -= seg;
    if (on) run.push_back(b);
  }
  if (on && run.size() >= 2) runs.push_back(std::move(run));
  return runs;
}

}  // namespace blackboard
