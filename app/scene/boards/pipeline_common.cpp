// The pipeline boards' shared model (see pipeline_common.hpp).
#include "pipeline_common.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <numeric>
#include <stdexcept>

#include "blackboard/report.hpp"
#include "scene/plot.hpp"

namespace blackboard {

namespace {

std::string Fmt(const char* f, double v) {
  char buf[96];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

double Mean(const std::vector<double>& v) {
  return v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

}  // namespace

double LoopCursorSeconds(double board_time_s, double span_s) {
  if (board_time_s >= kPipelineLoopS) return span_s;
  return std::clamp(board_time_s / (0.9 * kPipelineLoopS), 0.0, 1.0) * span_s;
}

void DrawSplitRect(Scene& s, Box b, Color c, float cursor_x, const char* role, float radius) {
  const Color faint = c.WithAlpha(0.3f);
  if (cursor_x >= b.max.x) {
    s.Rect(b, c, {}, 0, radius, role);
  } else if (cursor_x <= b.min.x) {
    s.Rect(b, faint, {}, 0, radius, role);
  } else {
    s.Rect({b.min, {cursor_x, b.max.y}}, c, {}, 0, radius, role);
    s.Rect({{cursor_x, b.min.y}, b.max}, faint, {}, 0, radius, role);
  }
}

void DrawTimeAxis(Scene& s, const Theme& th, Box chart, double t_max, const std::string& quantity) {
  const UnitScale us = ChooseUnitScale(t_max, Unit::kSeconds);
  const int target = std::max(2, static_cast<int>(chart.Width() / (th.tick_size * 7)));
  const std::vector<double> ticks = NiceTicks(0, t_max, target, false);
  const double step = ticks.size() > 1 ? (ticks[1] - ticks[0]) / us.divisor : 1;
  for (double v : ticks) {
    const float x = chart.min.x + static_cast<float>(v / t_max) * chart.Width();
    s.Line({x, chart.min.y}, {x, chart.max.y}, th.grid, 1);
    s.Text({x, chart.max.y + th.tick_size * 0.4f}, FormatTickNumber(v / us.divisor, step), th.tick_size, th.ink_dim,
           FontFace::kMono, HAlign::kCenter, VAlign::kTop, "tick");
  }
  s.Line({chart.min.x, chart.max.y}, {chart.max.x, chart.max.y}, th.ink, 2, 0, "axis");
  s.Text({(chart.min.x + chart.max.x) / 2, chart.max.y + th.tick_size * 1.6f}, quantity + " (" + us.suffix + ")",
         th.label_size, th.ink, FontFace::kUi, HAlign::kCenter, VAlign::kTop, "axis-label");
}

TrainingPipeline MakeTrainingPipeline(const Scenario& input) {
  TrainingPipeline out;
  const Scenario s = WithResolvedDegrees(input);  // training degrees 0 = auto (scenario.hpp)
  const Training& tr = s.training;
  out.scenario_pp = tr.pp;
  out.stages_defaulted = tr.pp < 2;
  Scenario& d = out.scenario;
  d = s;
  const int chips = s.cluster.racks * s.cluster.chips_per_rack;
  const int model_par = std::max(1, tr.tp * std::max(1, tr.pp) * tr.cp);
  out.dp = tr.dp > 0 ? tr.dp : std::max(1, chips / model_par);
  // dp = 0 (auto) stays auto: the cluster below resolves it to out.dp again, and the engine runs the
  // whole micro-batches that fit when the global batch does not divide, as eval does.
  if (out.stages_defaulted) {
    // The stand-in stages live on racks of their own: the cluster grows to dp·tp·pp·cp chips.
    d.training.pp = kDefaultPipelineStages;
    const int needed = out.dp * d.training.tp * d.training.pp * d.training.cp;
    const int per_rack = std::max(1, s.cluster.chips_per_rack);
    if (needed % per_rack == 0) {
      d.cluster.racks = needed / per_rack;
    } else {  // e.g. tp = 1 on 8-chip racks: one stage per rack of dp·tp·cp chips
      d.cluster.racks = d.training.pp;
      d.cluster.chips_per_rack = needed / d.training.pp;
    }
  }
  out.report = EvaluateTraining(d);
  if (!out.report.simulated)  // past the engine's event budget it takes the closed-form bubble
    throw std::invalid_argument("m = " + std::to_string(out.report.micro_batches) +
                                " micro-batches are too many to simulate event by event (the training engine "
                                "uses the closed-form bubble); lower the global batch");
  out.spec = out.report.pipeline;
  out.spec.emit_transfers = true;  // the trace shows the p2p sends; timing is the same
  out.allreduce_s = out.report.breakdown.dp_s;
  out.optimizer_s = out.report.breakdown.optimizer_s;
  out.model_state_bytes = out.report.stage_model_state_bytes;
  return out;
}

BubbleClosedForm ClosedFormBubble(const PipelineSpec& sp) {
  BubbleClosedForm c;
  const double p = sp.stages, m = sp.micro_batches, v = sp.virtual_stages;
  const double chunks = ModelChunks(sp);
  // Per device and micro-batch: the mean chunk cost times the chunks a device holds.
  const double f = Mean(sp.forward_s), b = Mean(sp.backward_s), w = Mean(sp.weight_s);
  const double tf = f * chunks / p, tb = b * chunks / p, tw = w * chunks / p;
  const double busy = m * (tf + tb + tw);
  auto from_idle = [&](double idle, const std::string& expr) {
    idle = std::max(0.0, idle);
    c.fraction = idle + busy > 0 ? idle / (idle + busy) : 0.0;
    c.formula = expr + " = " + FormatSeconds(idle) + " per stage";
  };
  switch (sp.schedule) {
    case ScheduleKind::kGPipe:
    case ScheduleKind::k1F1B:
      c.fraction = (p - 1) / (m + p - 1);
      c.formula = "(p-1)/(m+p-1) = " + Fmt("%.0f", p - 1) + "/" + Fmt("%.0f", m + p - 1);
      c.source = sp.schedule == ScheduleKind::kGPipe ? "GPipe §2.3 (PP-1)" : "Megatron-2021 §2.2.1 (PP-2)";
      break;
    case ScheduleKind::kInterleaved:
      c.fraction = (p - 1) / (v * m + p - 1);
      c.formula = "(p-1)/(v·m) of ideal = " + Fmt("%.0f", p - 1) + "/" + Fmt("%.0f", v * m) + ", i.e. " +
                  Fmt("%.0f", p - 1) + "/" + Fmt("%.0f", v * m + p - 1) + " of the step";
      c.source = "Megatron-2021 §2.2.2 (PP-3)";
      break;
    case ScheduleKind::kZbH1:
      from_idle((p - 1) * (tf + tb - tw), "(p-1)(T_F+T_B-T_W)");
      c.source = "Zero Bubble Table 2 (PP-5)";
      break;
    case ScheduleKind::kZbH2:
      from_idle((p - 1) * (tf + tb - 2 * tw), "(p-1)(T_F+T_B-2T_W)");
      c.source = "Zero Bubble Table 2 (PP-6)";
      break;
    case ScheduleKind::kDualPipe:
    case ScheduleKind::kDualPipeV: {
      // PP-10/11 in chunk costs, F&B = F + B_full (no overlap of the pair), B_full = B + W.
      const double pp = sp.schedule == ScheduleKind::kDualPipe ? p : 2 * p;
      const double b_full = b + w;
      from_idle((pp / 2 - 1) * (f + b_full + b_full - 3 * w), "(PP/2-1)(F&B+B-3W)");
      c.source = "DeepSeek-V3 Table 2 (PP-10, PP-11)";
      break;
    }
  }
  return c;
}

DecodePipeline MakeDecodePipeline(const Scenario& s, int tokens) {
  DecodePipeline out;
  out.model = MakeServingModel(s);
  out.stages = std::max(1, s.serving.pp);
  out.micro_batch = static_cast<double>(s.serving.batch) / out.stages;
  out.step = out.model.Decode(s.serving.batch);
  // The engine's token latency is core + P hops; each rack does 1/P of the core (its layers).
  out.loop_spec.stages = out.stages;
  out.loop_spec.tokens = std::max(1, tokens);
  out.loop_spec.stage_s = (out.step.step_s - out.step.hops_s) / out.stages;
  out.loop_spec.hop_s = out.step.hops_s / out.stages;
  out.loop = SimulateDecodeLoop(out.loop_spec);
  out.memory = DecodeMemoryPerChip(out.model.weight_bytes_total, out.model.chips_per_stage, out.stages,
                                   out.micro_batch, out.model.context, out.model.kv_bytes_per_token);
  return out;
}

nlohmann::json PipelineBoardTrace(const std::string& board, const Scenario& s) {
  if (board == "pipeline-serving") {
    const DecodePipeline d = MakeDecodePipeline(s);
    PipelineSchedule sched;
    sched.spec.stages = d.stages;
    sched.spec.micro_batches = d.stages;
    sched.spec.emit_transfers = false;
    sched.events = d.loop.events;
    sched.pipeline_s = sched.step_s = d.loop.makespan_s;
    nlohmann::json trace = ToChromeTrace(sched);
    trace["otherData"]["schedule"] = "decode loop";
    trace["otherData"]["tokens"] = d.loop_spec.tokens;
    trace["otherData"]["token_latency_s"] = d.loop.token_latency_s;
    return trace;
  }
  try {
    const TrainingPipeline t = MakeTrainingPipeline(s);
    nlohmann::json trace = ToChromeTrace(SimulateSchedule(t.spec));
    if (t.stages_defaulted)
      trace["otherData"]["note"] = "training.pp = " + std::to_string(t.scenario_pp) + " in the scenario: " +
                                   std::to_string(t.spec.stages) + " stages shown, as on the board";
    trace["otherData"]["allreduce_s"] = t.allreduce_s;
    trace["otherData"]["optimizer_s"] = t.optimizer_s;
    return trace;
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string(e.what()) + " (training.schedule = " + s.training.schedule + ")");
  }
}

}  // namespace blackboard
