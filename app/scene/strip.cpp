// Live plot strip.
#include "strip.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "blackboard/serving.hpp"
#include "blackboard/training.hpp"
#include "plot.hpp"

#include <nlohmann/json.hpp>

namespace blackboard {

Scene BuildLiveStrip(const Scenario& s, const Control& sweep, const Theme& th, float width, float height,
                     bool training) {
  Scene scene(width, height);
  scene.background = th.background;
  constexpr int kSamples = 64;
  std::vector<double> xs, step, cost, mem;
  double current = 0;
  {
    const nlohmann::json j = ToJson(s);
    const auto dot = sweep.field.find('.');
    if (dot != std::string::npos) current = j[sweep.field.substr(0, dot)][sweep.field.substr(dot + 1)].get<double>();
  }
  for (int i = 0; i < kSamples; ++i) {
    const double t = static_cast<double>(i) / (kSamples - 1);
    double v = sweep.log ? sweep.min * std::pow(sweep.max / sweep.min, t) : sweep.min + (sweep.max - sweep.min) * t;
    if (sweep.integer) v = std::round(v);
    Scenario c = s;
    try {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%s=%.17g", sweep.field.c_str(), v);
      ApplySet(c, buf, "strip");
      ValidateScenario(c, "strip");
      if (training) {
        // The closed-form bubble (microseconds a sample; the simulated schedule can take
        // milliseconds at 512 micro-batches, times 64 samples per frame).
        const TrainingReport r = EvaluatePlanClosedForm(c, TrainingEfficiencyFromScenario(c));
        step.push_back(r.step_s);
        cost.push_back(r.usd);
        mem.push_back(r.memory.total_bytes);
      } else {
        const ServingReport r = EvaluateServing(c);
        step.push_back(r.decode.step_s);
        cost.push_back(r.usd_per_mtok_output);
        mem.push_back(r.memory.total);
      }
    } catch (const std::exception&) {
      continue;  // values the scenario does not allow (e.g. a TP that does not divide heads) are skipped
    }
    xs.push_back(v);
  }
  if (xs.size() < 2) return scene;
  Theme small = th;
  small.tick_size = 13;
  small.label_size = 14;
  small.note_size = 13;
  small.heading_size = 16;
  const float h = height / 3;
  struct Chart {
    const char* name;
    const std::vector<double>* ys;
    Unit unit;
    Color color;
    double hline;
  };
  const Chart charts[] = {{training ? "training step" : "step time", &step, Unit::kSeconds, th.ink, 0},
                          {training ? "$ for the run" : "$ / M output tokens", &cost, Unit::kUsd, th.accent, 0},
                          {"memory / chip", &mem, Unit::kBytes, th.memory_cap, s.hardware.hbm_bytes}};
  for (int k = 0; k < 3; ++k) {
    const Chart& c = charts[k];
    double lo = *std::min_element(c.ys->begin(), c.ys->end());
    double hi = std::max(*std::max_element(c.ys->begin(), c.ys->end()), c.hline);
    if (!(hi > lo)) hi = lo * 2 + 1e-12;
    const bool log_y = hi / std::max(lo, 1e-300) > 50;
    const Box area{{0, h * static_cast<float>(k) + 22}, {width - 4, h * static_cast<float>(k + 1) - 2}};
    PlotFrame p(area, Axis{sweep.min, sweep.max, sweep.log, sweep.label, Unit::kNone},
                Axis{log_y ? lo * 0.8 : 0, hi * 1.1, log_y, c.name, c.unit}, small);
    p.DrawAxes(scene);
    p.Curve(scene, xs, *c.ys, c.color, 2.0f);
    if (c.hline > 0) p.HLine(scene, c.hline, th.ink_dim, "HBM", 5);
    if (current >= sweep.min && current <= sweep.max) p.VLine(scene, current, th.accent, {}, 4);
  }
  return scene;
}

}  // namespace blackboard
