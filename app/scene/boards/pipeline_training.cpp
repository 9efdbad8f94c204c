// Board "pipeline-training": a training step as a pipeline schedule (lecture.md §1.9 "the training
// pipeline"; boards list item 8). Stages (racks) down, time across: forward, backward and
// weight-gradient blocks of every micro-batch with real durations from the cost engine, the bubbles
// shaded, the gradient all-reduce and optimizer at the end of the step as their own block. Under the
// chart one lane per stage of memory per chip over the step: model state, then the stashed
// activations as a step function, against HBM. A time cursor sweeps chart and lanes.
//
// Index: chart (lanes, blocks, bubbles) | memory lanes | legend | one schedule, laid out | morph |
// Build (tail, time axis, cursor, readout).
// The time axis is fixed to the longer of this schedule and 1F1B on the same sliders, so switching
// schedule keeps the blocks' scale and the end of the step moves left as the bubble shrinks. With
// BoardContext::morph_from the board draws a moment of the switch from that scenario's layout to
// this one (the GUI plays it when the scenario changes, `render --morph T` exports one moment).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <memory>
#include <tuple>
#include <utility>

#include "../board.hpp"
#include "../contrast.hpp"
#include "../plot.hpp"
#include "blackboard/report.hpp"
#include "blackboard/training.hpp"
#include "pipeline_common.hpp"

namespace blackboard {
namespace {

std::string Fmt(const char* f, double v) {
  char buf[96];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::string ScheduleTitle(const PipelineSpec& sp) {
  switch (sp.schedule) {
    case ScheduleKind::kGPipe: return "GPipe";
    case ScheduleKind::k1F1B: return "1F1B";
    case ScheduleKind::kInterleaved: return "interleaved 1F1B (v = " + std::to_string(sp.virtual_stages) + ")";
    case ScheduleKind::kZbH1: return "ZB-H1 (zero bubble)";
    case ScheduleKind::kZbH2: return "ZB-H2 (zero bubble)";
    case ScheduleKind::kDualPipe: return "DualPipe";
    case ScheduleKind::kDualPipeV: return "DualPipe-V";
  }
  return "";
}

// Geometry shared by the chart and the memory lanes: one time axis.
struct TimeAxis {
  float x0, x1;
  double t_max;
  float Px(double t) const { return x0 + static_cast<float>(t / t_max) * (x1 - x0); }
};

Color KindColor(const Theme& th, EventKind k) {
  switch (k) {
    case EventKind::kForward: return th.forward;
    case EventKind::kBackward: return th.backward;
    case EventKind::kWeight: return th.wgrad;
    default: return th.ink_dim;
  }
}

// ---------------------------------------------------------------- chart

struct ChartStats {
  bool has_w = false;      // separate W blocks (zero-bubble, DualPipe)
  bool multi_chunk = false;  // a device runs several model chunks (interleaved, DualPipe)
};

// A block as drawn: its pixel span on the time axis, the event it shows and how far its colour is
// mixed toward the ink (a later model chunk on the same rack).
struct LaneBlock {
  float x0, x1;
  const PipelineEvent* e;
  float shade = 0;
};

// The chunk shade of an event in a schedule whose largest chunk index is `max_chunk`.
float ChunkShade(const PipelineEvent& e, int max_chunk) {
  return max_chunk > 0 && e.chunk > 0 ? 0.32f * static_cast<float>(e.chunk) / static_cast<float>(max_chunk) : 0.0f;
}

// One lane: blocks in op order (left to right). Blocks narrower than two pixels are merged into runs
// drawn as stacked F/B/W strips by time share, so 512 micro-batches stay a few hundred shapes per
// lane. `alpha` fades the whole lane's blocks (a morph between schedules). Returns whether any
// blocks were merged.
bool DrawLaneBlocks(Scene& s, const Theme& th, const std::vector<LaneBlock>& blocks, float y0, float y1,
                    float cursor_x, float alpha = 1) {
  bool merged = false;
  const float label_size = th.Size(std::min(th.tick_size, (y1 - y0) * 0.62f));
  auto fade = [alpha](Color c) { return alpha >= 1 ? c : c.WithAlpha(alpha); };
  struct Run {
    float x0 = 0, x1 = 0;
    std::array<double, 3> share{};
    const LaneBlock* only = nullptr;
    int count = 0;
  } run;
  auto flush = [&] {
    if (run.count == 0) return;
    const Box box{{run.x0, y0}, {std::max(run.x1, run.x0 + 0.8f), y1}};
    if (run.count == 1) {
      const PipelineEvent& e = *run.only->e;
      Color c = KindColor(th, e.kind);
      if (run.only->shade > 0) c = c.Mix(th.ink, run.only->shade);
      DrawSplitRect(s, box, fade(c), cursor_x, "block");
      const std::string label = std::to_string(e.micro_batch + 1);
      // Fading blocks go unlabelled: their numbers over the moving ones' would not read.
      if (alpha >= 1 && label_size >= 12 && box.Width() >= MeasureTextWidth(label, label_size, FontFace::kMono) + 4) {
        // Dark or light ink, whichever reads on the block (solid once run, faint before): 4.5:1 in a hall.
        const bool solid = cursor_x >= (box.min.x + box.max.x) / 2;
        const Color under = solid ? fade(c) : fade(c).WithAlpha(0.3f);
        s.Text({(box.min.x + box.max.x) / 2, (y0 + y1) / 2}, label, label_size,
               solid ? ReadableOn(under, th.background, th.background, th.ink)
                     : ReadableOn(under, th.background, th.ink_dim, th.ink),
               FontFace::kMono, HAlign::kCenter, VAlign::kMiddle, "block-label");
      }
    } else {
      merged = true;
      const double total = run.share[0] + run.share[1] + run.share[2];
      float y = y0;
      const EventKind kinds[3] = {EventKind::kForward, EventKind::kBackward, EventKind::kWeight};
      for (int k = 0; k < 3; ++k) {
        if (run.share[static_cast<size_t>(k)] <= 0) continue;
        const float h = static_cast<float>(run.share[static_cast<size_t>(k)] / total) * (y1 - y0);
        DrawSplitRect(s, {{box.min.x, y}, {box.max.x, y + h}}, fade(KindColor(th, kinds[k])), cursor_x, "block-run");
        y += h;
      }
    }
    run = Run{};
  };
  for (const LaneBlock& lb : blocks) {
    const float a = lb.x0, b = lb.x1;
    const bool joins = run.count > 0 && b - run.x0 < 2.0f && a - run.x1 < 0.75f;
    if (!joins) flush();
    if (run.count == 0) run.x0 = a;
    run.x1 = b;
    const PipelineEvent* e = lb.e;
    const size_t k = e->kind == EventKind::kForward ? 0 : e->kind == EventKind::kBackward ? 1 : 2;
    run.share[k] += e->end_s - e->start_s;
    run.only = &lb;
    ++run.count;
  }
  flush();
  return merged;
}

// Idle gaps of a lane between the axis origin and `end_x` (the end of the pipeline), shaded as
// bubbles: whatever the blocks (in left-to-right order) do not cover.
void DrawLaneBubbles(Scene& s, const Theme& th, const std::vector<LaneBlock>& blocks, const TimeAxis& ax,
                     float end_x, float y0, float y1, float cursor_x, float alpha = 1) {
  float x = ax.x0;
  const Color bubble = alpha >= 1 ? th.bubble : th.bubble.WithAlpha(alpha);
  auto gap = [&](float a, float b) {
    if (b - a < 0.5f) return;
    DrawSplitRect(s, {{a, y0}, {b, y1}}, bubble, cursor_x, "bubble");
  };
  for (const LaneBlock& lb : blocks) {
    if (lb.x0 > x) gap(x, lb.x0);
    x = std::max(x, lb.x1);
  }
  if (end_x > x) gap(x, end_x);
}

// ---------------------------------------------------------------- memory lanes

// Model state (flat) plus stashed activations (the schedule's step function) per stage, against HBM.
// During a morph the source's lanes fade out under the target's (`alpha`); only the target's explain
// themselves on hover (`hovers`). Two sets of numbers faded over each other cannot be read, so the
// labels are drawn solid by one pass only (`labels`).
void DrawMemoryLanes(Scene& board, const Theme& th, const PipelineSchedule& sched, const TrainingPipeline& tp,
                     const TimeAxis& ax, Box area, float label_x, float cursor_x, double cursor_s, float alpha = 1,
                     bool hovers = true, bool labels = true) {
  if (alpha <= 0 && !hovers && !labels) return;
  Scene unseen;  // what is fully faded (or not this pass's to label) is drawn here and dropped
  Scene& s = alpha > 0 ? board : unseen;
  Scene& text_to = labels ? board : unseen;
  auto fade = [alpha](Color c) { return alpha >= 1 ? c : c.WithAlpha(alpha); };
  const int p = sched.spec.stages;
  const double hbm = tp.scenario.hardware.hbm_bytes;
  double need = hbm;
  for (int d = 0; d < p; ++d)
    need = std::max(need, tp.model_state_bytes[static_cast<size_t>(d)] + sched.peak_activation_bytes[static_cast<size_t>(d)]);
  const double top = std::min(need * 1.08, hbm * 2.5);
  const float gap = std::min(6.0f, area.Height() / static_cast<float>(p) * 0.15f);
  const float lane_h = (area.Height() - gap * static_cast<float>(p - 1)) / static_cast<float>(p);
  const bool two_lines = lane_h >= th.note_size * 2.2f;
  const float text = two_lines ? th.note_size : std::max(12.0f, std::min(th.note_size, lane_h * 0.6f));
  for (int d = 0; d < p; ++d) {
    const auto du = static_cast<size_t>(d);
    const float y0 = area.min.y + static_cast<float>(d) * (lane_h + gap), y1 = y0 + lane_h;
    auto py = [&](double bytes) { return y1 - static_cast<float>(std::min(bytes, top) / top) * lane_h; };
    // A backdrop when steady; while a morph cross-fades two sets of lanes they are ordinary shapes
    // (a changing backdrop would repaint the cached background every frame).
    if (alpha >= 1)
      s.Panel({{ax.x0, y0}, {ax.x1, y1}}, th.panel, 0, "memory-lane");
    else
      s.Rect({{ax.x0, y0}, {ax.x1, y1}}, fade(th.panel), Color{0, 0, 0, 0}, 0, 0, "memory-lane");
    const double state = tp.model_state_bytes[du];
    s.Rect({{ax.x0, py(state)}, {ax.x1, y1}}, fade(th.memory_cap.WithAlpha(0.22f)), {}, 0, 0, "model-state");
    // Activations on top of the model state: the step function, solid up to the cursor.
    std::vector<Vec2> upper, lower;
    const auto& mem = sched.memory[du];
    for (size_t i = 0; i < mem.size(); ++i) {
      const double t0 = mem[i].time_s;
      const double t1 = i + 1 < mem.size() ? mem[i + 1].time_s : sched.pipeline_s;
      const float x0 = ax.Px(t0), x1 = ax.Px(t1), y = py(state + mem[i].bytes);
      if (!upper.empty() && upper.back().x == x0 && upper.back().y == y) {
        upper.back().x = x1, lower.back().x = x1;
        continue;
      }
      upper.push_back({x0, y}), upper.push_back({x1, y});
      lower.push_back({x0, py(state)}), lower.push_back({x1, py(state)});
    }
    // Split the band at the cursor: solid before, faint after.
    std::vector<Vec2> up_a, lo_a, up_b, lo_b;
    for (size_t i = 0; i < upper.size(); ++i) {
      (upper[i].x <= cursor_x ? up_a : up_b).push_back(upper[i]);
      (upper[i].x <= cursor_x ? lo_a : lo_b).push_back(lower[i]);
    }
    if (!up_a.empty() && !up_b.empty() && up_a.back().x < cursor_x) {
      const Vec2 u{cursor_x, up_a.back().y}, l{cursor_x, lo_a.back().y};
      up_a.push_back(u), lo_a.push_back(l), up_b.insert(up_b.begin(), u), lo_b.insert(lo_b.begin(), l);
    }
    if (up_a.size() >= 2) s.Band(up_a, lo_a, fade(th.memory_cap.WithAlpha(0.9f)), "activations");
    if (up_b.size() >= 2) s.Band(up_b, lo_b, fade(th.memory_cap.WithAlpha(0.3f)), "activations");
    if (upper.size() >= 2) s.Polyline(upper, fade(th.memory_cap), 1.5f, 0, "activations-edge");
    // HBM capacity.
    if (hbm <= top) {
      s.Line({ax.x0, py(hbm)}, {ax.x1, py(hbm)}, fade(th.ink), 1.5f, 5, "hbm");
      if (d == 0)
        text_to.Text({ax.x1 - 4, py(hbm) - 2}, "HBM " + FormatBytes(hbm), text, th.ink, FontFace::kUi, HAlign::kRight,
               VAlign::kBottom, "hbm-label");
    }
    // The memory at the cursor.
    double now = 0;
    for (const MemoryPoint& m : mem)
      if (m.time_s <= cursor_s) now = m.bytes;
    if (cursor_s <= sched.pipeline_s) s.Circle({cursor_x, py(state + now)}, 4, fade(th.accent), fade(th.background), 1.5f, "memory-now");
    // Left column: stage, peak.
    const double peak = state + sched.peak_activation_bytes[du];
    const bool over = peak > hbm;
    const std::string peak_text = FormatBytes(peak) + (over ? "!" : "");
    if (two_lines) {
      text_to.Text({label_x, y0 + lane_h * 0.5f - 1}, "stage " + std::to_string(d + 1), text, th.ink, FontFace::kUi,
             HAlign::kLeft, VAlign::kBottom, "lane-label");
      text_to.Text({label_x, y0 + lane_h * 0.5f + 1}, "peak " + peak_text, text, over ? th.accent : th.ink_dim,
             FontFace::kMono, HAlign::kLeft, VAlign::kTop, "lane-peak");
    } else if (lane_h >= 12 || d % std::max(1, static_cast<int>(std::ceil(14 / lane_h))) == 0) {
      text_to.Text({label_x, (y0 + y1) / 2}, std::to_string(d + 1) + ": " + peak_text, text, over ? th.accent : th.ink_dim,
             FontFace::kMono, HAlign::kLeft, VAlign::kMiddle, "lane-peak");
    }
    if (!hovers) continue;
    const std::string recompute = tp.scenario.training.recompute;
    board.hovers.push_back(
        {{{ax.x0, y0}, {ax.x1, y1}},
         "Memory per chip, stage " + std::to_string(d + 1),
         "model state (bf16 weights + bf16 gradients + fp32 master, momentum, variance; ZeRO-" +
             std::to_string(tp.scenario.training.zero) + " over dp = " + std::to_string(tp.dp) +
             "; training engine, ZERO-F0..F3) " +
             FormatBytes(state) + " + stashed activations: micro-batches in flight (peak " +
             std::to_string(sched.peak_in_flight[du]) + ") x " +
             FormatBytes(sched.spec.activation_bytes.size() > du ? sched.spec.activation_bytes[du]
                                                                 : sched.spec.activation_bytes[0]) +
             " per micro-batch (Korthikanti Table 2, recompute " + recompute + ") = peak " +
             FormatBytes(sched.peak_activation_bytes[du]) + "; total peak " + FormatBytes(peak) + " of " +
             FormatBytes(hbm) + " HBM (buffers: fp32 logits, one layer's recompute working set, runtime "
             "reserve, not drawn)"});
  }
}

// ---------------------------------------------------------------- legend

void DrawLegend(Scene& s, const Theme& th, float x_left, float y, const ChartStats& st, bool fused_w) {
  struct Item {
    std::string label;
    Color color;
  };
  std::vector<Item> items = {{"F forward", th.forward},
                             {fused_w ? "B backward (W fused in)" : "B backward (input grad)", th.backward}};
  if (st.has_w) items.push_back({"W weight grad", th.wgrad});
  items.push_back({"bubble (idle)", th.bubble});
  items.push_back({"gradient all-reduce (exposed)", th.network});
  items.push_back({"optimizer", th.weights});
  items.push_back({"activations", th.memory_cap});
  const float fs = th.note_size, sw = fs * 1.1f, pad = fs * 0.45f;
  float x = x_left;
  for (const Item& it : items) {
    s.Rect({{x, y - sw / 2}, {x + sw, y + sw / 2}}, it.color, {}, 0, 3, "legend-swatch");
    s.Text({x + sw + pad, y}, it.label, fs, th.ink, FontFace::kUi, HAlign::kLeft, VAlign::kMiddle, "legend-label");
    x += sw + pad + MeasureTextWidth(it.label, fs, FontFace::kUi) + fs * 1.1f;
  }
}

// ---------------------------------------------------------------- one schedule, laid out

// One scenario's schedule as the board lays it out.
struct Layout {
  TrainingPipeline tp;
  PipelineSchedule sched;
  double t_max = 1;  // the time axis: the longer of this step and 1F1B's on the same sliders
  ChartStats st;
  int max_chunk = 0;
  std::vector<std::vector<const PipelineEvent*>> lanes;  // compute events per stage, op order = time order
};

// Fills `out` in place: the lanes point into out.sched.events. Throws what MakeTrainingPipeline and
// SimulateSchedule throw.
void SimulateLayout(const Scenario& scenario, Layout& out) {
  out.tp = MakeTrainingPipeline(scenario);
  // The lanes draw compute events only, and the simulation is cheaper without the send/recv events
  // while a slider drags (the exported trace keeps them: PipelineBoardTrace).
  PipelineSpec drawn = out.tp.spec;
  drawn.emit_transfers = false;
  out.sched = SimulateSchedule(drawn);
  // Fixed scale across schedules: the longer of this step and 1F1B's on the same sliders.
  double t_max = out.sched.step_s;
  if (out.tp.spec.schedule != ScheduleKind::k1F1B) {
    Scenario ref = out.tp.scenario;
    ref.training.schedule = "1f1b";
    ref.training.virtual_stages = 1;
    t_max = std::max(t_max, EvaluateTraining(ref).step_s);
  }
  out.t_max = t_max > 0 ? t_max : 1;
  out.lanes.assign(static_cast<size_t>(out.tp.spec.stages), {});
  for (const PipelineEvent& e : out.sched.events) {
    if (e.kind != EventKind::kForward && e.kind != EventKind::kBackward && e.kind != EventKind::kWeight) continue;
    out.lanes[static_cast<size_t>(e.stage)].push_back(&e);
    out.st.has_w = out.st.has_w || e.kind == EventKind::kWeight;
    out.max_chunk = std::max(out.max_chunk, e.chunk);
  }
  out.st.multi_chunk = out.max_chunk > 0;
}

// ---------------------------------------------------------------- morph

// The morph's time fraction, eased in and out (smoothstep): blocks start and stop gently, so the eye
// can follow each one from its old place to its new one.
float MorphEase(double t) {
  t = std::clamp(t, 0.0, 1.0);
  return static_cast<float>(t * t * (3 - 2 * t));
}

// The blocks of one stage: `both` are in the source and the target schedule (same stage,
// micro-batch, chunk and kind) and move; the others fade out (only in the source) or in.
struct StageBlocks {
  std::vector<LaneBlock> both, only_from, only_to;
};

// Without a source every block is in `both`, at its place in the target, in op order. With one the
// matched blocks sit at `e` of the way (in time, on the interpolated axis `ax`) from their old start
// and end to their new ones. A W with no W in the other schedule belongs to its micro-batch's B there
// (the fused backward): it grows out of that B (or shrinks into it) while fading. Any other fading
// block stays where its own board has it (`ax_from`, `ax_to`: the two boards' axes), which is on the
// chart whichever axis is longer.
std::vector<StageBlocks> PlaceBlocks(const Layout* from, const Layout& to, const TimeAxis& ax,
                                     const TimeAxis& ax_from, const TimeAxis& ax_to, float e) {
  const size_t stages = std::max(to.lanes.size(), from ? from->lanes.size() : 0);
  std::vector<StageBlocks> out(stages);
  if (!from) {
    for (size_t d = 0; d < to.lanes.size(); ++d)
      for (const PipelineEvent* ev : to.lanes[d])
        out[d].both.push_back({ax.Px(ev->start_s), ax.Px(ev->end_s), ev, ChunkShade(*ev, to.max_chunk)});
    return out;
  }
  using Key = std::tuple<int, int, int, EventKind>;
  struct Keyed {
    Key key;
    const PipelineEvent* ev;
    bool used;
  };
  // Every compute event of a schedule, sorted by (stage, micro-batch, chunk, kind).
  auto keyed = [](const Layout& l) {
    std::vector<Keyed> v;
    for (const auto& lane : l.lanes)
      for (const PipelineEvent* ev : lane) v.push_back({Key{ev->stage, ev->micro_batch, ev->chunk, ev->kind}, ev, false});
    std::stable_sort(v.begin(), v.end(), [](const Keyed& a, const Keyed& b) { return a.key < b.key; });
    return v;
  };
  auto find = [](std::vector<Keyed>& v, const PipelineEvent& ev, EventKind kind, bool unused) -> Keyed* {
    const Key k{ev.stage, ev.micro_batch, ev.chunk, kind};
    auto it = std::lower_bound(v.begin(), v.end(), k, [](const Keyed& a, const Key& b) { return a.key < b; });
    while (unused && it != v.end() && it->key == k && it->used) ++it;
    return it != v.end() && it->key == k ? &*it : nullptr;
  };
  std::vector<Keyed> src = keyed(*from), dst = keyed(to);
  const double w = e;
  auto mix = [w](double a, double b) { return (1 - w) * a + w * b; };
  auto between = [&](const PipelineEvent& a, const PipelineEvent& b) {
    return std::pair{ax.Px(mix(a.start_s, b.start_s)), ax.Px(mix(a.end_s, b.end_s))};
  };
  for (Keyed& t : dst) {
    const PipelineEvent* ev = t.ev;
    StageBlocks& sb = out[static_cast<size_t>(ev->stage)];
    const float shade = ChunkShade(*ev, to.max_chunk);
    if (Keyed* m = find(src, *ev, ev->kind, true)) {
      m->used = true;
      const auto [x0, x1] = between(*m->ev, *ev);
      sb.both.push_back({x0, x1, ev, (1 - e) * ChunkShade(*m->ev, from->max_chunk) + e * shade});
    } else if (const Keyed* fused = ev->kind == EventKind::kWeight ? find(src, *ev, EventKind::kBackward, false) : nullptr) {
      const auto [x0, x1] = between(*fused->ev, *ev);
      sb.only_to.push_back({x0, x1, ev, shade});
    } else {
      sb.only_to.push_back({ax_to.Px(ev->start_s), ax_to.Px(ev->end_s), ev, shade});
    }
  }
  for (const Keyed& x : src) {
    if (x.used) continue;
    const PipelineEvent* ev = x.ev;
    const float shade = ChunkShade(*ev, from->max_chunk);
    StageBlocks& sb = out[static_cast<size_t>(ev->stage)];
    if (const Keyed* fused = ev->kind == EventKind::kWeight ? find(dst, *ev, EventKind::kBackward, false) : nullptr) {
      const auto [x0, x1] = between(*ev, *fused->ev);
      sb.only_from.push_back({x0, x1, ev, shade});
    } else {
      sb.only_from.push_back({ax_from.Px(ev->start_s), ax_from.Px(ev->end_s), ev, shade});
    }
  }
  return out;
}

void SortByX(std::vector<LaneBlock>& v) {
  std::stable_sort(v.begin(), v.end(), [](const LaneBlock& a, const LaneBlock& b) { return a.x0 < b.x0; });
}

// ---------------------------------------------------------------- Build

Scene BuildPipelineTraining(const BoardContext& ctx) {
  const Theme& th = ctx.theme;
  Scene s(ctx.width, ctx.height);
  s.background = th.background;
  s.board_texture = th.board_texture;
  const float W = ctx.width, H = ctx.height;

  // The layout first: the error panel below needs it too.
  const float left = 40, label_w = th.label_size * 7.6f;
  const TimeAxis proto{left + label_w, W - 50, 1};
  const float header_y = 24 + th.title_size * 1.25f + th.note_size * 2.1f;
  const float chart_top = header_y + th.note_size * 2.4f;
  const float chart_bottom = chart_top + H * 0.36f;
  const float mem_top = chart_bottom + th.tick_size * 1.6f + th.label_size * 2.6f;
  const float readout_y = H - th.label_size * 3.9f;
  const Box mem_area{{proto.x0, mem_top}, {proto.x1, readout_y - th.label_size * 0.8f}};
  const char* title = "Pipeline training: schedules, bubbles and activation memory";

  Layout to;
  try {
    SimulateLayout(ctx.scenario, to);
  } catch (const std::exception& e) {
    // A plan the engine cannot run (DualPipe: even p, m >= 2p; interleaved: p | m; degrees that do
    // not divide): say so on the board, with the shape that was asked for.
    const Scenario& in = ctx.scenario;
    const int p = in.training.pp < 2 ? kDefaultPipelineStages : in.training.pp;
    DrawBoardTitle(s, th, title, in.model.name + " on " + std::to_string(p) + " stages  ·  schedule " +
                                     in.training.schedule);
    const Box b{{proto.x0, chart_top}, {proto.x1, chart_bottom}};
    const float cx = (b.min.x + b.max.x) / 2, cy = (b.min.y + b.max.y) / 2;
    s.Rect(b, th.panel, th.accent, 2, 8, "error");
    s.Text({cx, cy - th.label_size}, "This step cannot run: " + in.training.schedule + " on these sliders",
           th.heading_size, th.accent, th.TitleFace(), HAlign::kCenter, VAlign::kMiddle, "error");
    s.Text({cx, cy + th.label_size * 0.8f}, e.what(), th.note_size, th.ink, FontFace::kUi, HAlign::kCenter,
           VAlign::kMiddle, "error");
    const int chips = in.cluster.racks * in.cluster.chips_per_rack;
    const int dp = in.training.dp > 0 ? in.training.dp
                                      : std::max(1, chips / std::max(1, in.training.tp * std::max(1, in.training.pp) *
                                                                            in.training.cp));
    s.Text({cx, cy + th.label_size * 2.2f},
           "p = " + std::to_string(p) + " stages, m = global batch / (dp x micro-batch) = " +
               std::to_string(in.training.global_batch) + " / (" + std::to_string(dp) + " x " +
               std::to_string(in.training.micro_batch) + "); change the racks, micro-batch or global batch slider",
           th.note_size, th.ink_dim, FontFace::kUi, HAlign::kCenter, VAlign::kMiddle, "error");
    return s;
  }
  // The morph source: the layout the board is moving away from. A source the engine cannot run has
  // nothing to move from, so the target is drawn as it is.
  std::unique_ptr<Layout> from;
  if (ctx.morph_from && ctx.morph < 1) {
    from = std::make_unique<Layout>();
    try {
      SimulateLayout(*ctx.morph_from, *from);
    } catch (const std::exception&) {
      from.reset();
    }
  }
  const float e = from ? MorphEase(ctx.morph) : 1.0f;
  // Source and target values at `e` (the target's exactly at e = 1, the source's at e = 0).
  auto mixd = [&](auto source_value, double target_value) {
    return from ? (1 - static_cast<double>(e)) * source_value(*from) + static_cast<double>(e) * target_value
                : target_value;
  };
  auto mixf = [e](float a, float b) { return (1 - e) * a + e * b; };

  const TrainingPipeline& tp = to.tp;
  const PipelineSchedule& sched = to.sched;
  const PipelineSpec& sp = tp.spec;
  const Scenario& sc = tp.scenario;
  const int p = sp.stages;
  const double chips_per_stage = static_cast<double>(sc.training.tp) * sc.training.cp * tp.dp;
  DrawBoardTitle(s, th, title,
                 sc.model.name + " (" + std::to_string(sc.model.layers) + " layers) on " + std::to_string(p) +
                     " stages x " + Fmt("%.0f", chips_per_stage) + " " + sc.hardware.name + " (TP " +
                     std::to_string(sc.training.tp) + ", DP " + std::to_string(tp.dp) + ")  ·  m = " +
                     std::to_string(sp.micro_batches) + " micro-batches of " +
                     std::to_string(sc.training.micro_batch) + " x " + FormatCount(sc.training.seq_len) +
                     " tokens  ·  recompute " + sc.training.recompute + "  ·  " + sc.training.attention_kernel +
                     " attention, " + sc.training.math);
  const std::string above = tp.stages_defaulted ? "pp = " + std::to_string(tp.scenario_pp) +
                                                       " in the scenario: showing " + std::to_string(p) +
                                                       " stages (raise racks, then stages)"
                                                 : std::string("racks");
  s.Text({left, chart_top - 3}, above, th.note_size, tp.stages_defaulted ? th.accent : th.ink_dim, FontFace::kUi,
         HAlign::kLeft, VAlign::kBottom, tp.stages_defaulted ? "note" : "axis-label");
  const float above_end = left + MeasureTextWidth(above, th.note_size, FontFace::kUi) + th.note_size * 2;

  // The axis stretches from the source's extent to the target's, so both fit all the way.
  const TimeAxis ax{proto.x0, proto.x1, mixd([](const Layout& l) { return l.t_max; }, to.t_max)};
  // What only one of the boards draws stays on that board's own axis (at its ends the morph's).
  const TimeAxis ax_to{proto.x0, proto.x1, to.t_max}, ax_from{proto.x0, proto.x1, from ? from->t_max : to.t_max};
  const double step_s = mixd([](const Layout& l) { return l.sched.step_s; }, sched.step_s);
  const double pipeline_s = mixd([](const Layout& l) { return l.sched.pipeline_s; }, sched.pipeline_s);
  const double cursor_s = LoopCursorSeconds(ctx.time_s, step_s);
  const float cursor_x = ax.Px(cursor_s);

  const ChartStats& st = to.st;
  const bool fused_w = sp.schedule == ScheduleKind::kGPipe || sp.schedule == ScheduleKind::k1F1B ||
                       sp.schedule == ScheduleKind::kInterleaved;
  DrawLegend(s, th, left, header_y, st, fused_w);

  // Chart: lanes, bubbles, blocks, tail. A stage in both schedules moves its lane from the source's
  // place to the target's; a stage in only one grows from (or shrinks to) nothing at the bottom of
  // the chart while it fades, so the lanes never overlap.
  const int p_from = from ? from->tp.spec.stages : p;
  const int stages = std::max(p, p_from);
  struct LaneSpan {
    float y0, y1, inset;
  };
  auto span_in = [&](int d, int count) {
    const float h = (chart_bottom - chart_top) / static_cast<float>(count);
    const float y0 = chart_top + static_cast<float>(d) * h;
    return LaneSpan{y0, y0 + h, std::min(3.0f, h * 0.12f)};
  };
  auto lane_span = [&](int d) {
    if (!from) return span_in(d, p);
    const LaneSpan none{chart_bottom, chart_bottom, 0};
    const LaneSpan a = d < p_from ? span_in(d, p_from) : none, b = d < p ? span_in(d, p) : none;
    return LaneSpan{mixf(a.y0, b.y0), mixf(a.y1, b.y1), mixf(a.inset, b.inset)};
  };
  const float lane_h = from ? mixf(span_in(0, p_from).y1 - chart_top, span_in(0, p).y1 - chart_top)
                            : (chart_bottom - chart_top) / static_cast<float>(p);
  const float label_size = th.Size(std::max(12.0f, std::min(th.label_size, lane_h * 0.7f)));
  const int label_every = std::max(1, static_cast<int>(std::ceil(label_size * 1.1f / lane_h)));
  std::vector<StageBlocks> blocks = PlaceBlocks(from.get(), to, ax, ax_from, ax_to, e);
  bool merged = false;
  for (int d = 0; d < stages; ++d) {
    const LaneSpan ls = lane_span(d);
    const float y0 = ls.y0, y1 = ls.y1, inset = ls.inset;
    const bool in_to = d < p, in_from = d < p_from;
    const float here = in_to && in_from ? 1.0f : in_to ? e : 1 - e;  // the stage's own fade
    if (here <= 0) continue;
    StageBlocks& sb = blocks[static_cast<size_t>(d)];
    // Blocks at full strength are drawn (and merged) together: at the ends of a morph that includes
    // the fading ones, so morph 0 and 1 draw exactly the source's and the target's board.
    std::vector<LaneBlock>& solid = sb.both;
    const float out_alpha = 1 - e, in_alpha = e;
    for (auto [list, alpha] : {std::pair{&sb.only_from, out_alpha}, std::pair{&sb.only_to, in_alpha}}) {
      if (alpha < 1) continue;
      solid.insert(solid.end(), list->begin(), list->end());
      list->clear();
    }
    if (from) {
      SortByX(solid);
      SortByX(sb.only_from);
      SortByX(sb.only_to);
    }
    if (d > 0) s.Line({ax.x0, y0}, {ax.x1, y0}, here >= 1 ? th.grid : th.grid.WithAlpha(here), 1);
    // Bubbles: the lane's gaps between the moving blocks (fading blocks dissolve into them). A stage
    // of only one schedule fades as a whole, its bubbles up to that schedule's pipeline end.
    if (in_to && in_from) {
      DrawLaneBubbles(s, th, solid, ax, ax.Px(pipeline_s), y0 + inset, y1 - inset, cursor_x);
    } else {
      std::vector<LaneBlock> cover = solid;
      cover.insert(cover.end(), sb.only_from.begin(), sb.only_from.end());
      cover.insert(cover.end(), sb.only_to.begin(), sb.only_to.end());
      SortByX(cover);
      const float own_end = in_to ? ax_to.Px(sched.pipeline_s) : ax_from.Px(from->sched.pipeline_s);
      DrawLaneBubbles(s, th, cover, ax, own_end, y0 + inset, y1 - inset, cursor_x, here);
    }
    // Fading blocks under the moving ones: a W leaving its B slides out from under it.
    if (!sb.only_from.empty() && out_alpha > 0)
      DrawLaneBlocks(s, th, sb.only_from, y0 + inset, y1 - inset, cursor_x, out_alpha);
    if (!sb.only_to.empty() && in_alpha > 0)
      DrawLaneBlocks(s, th, sb.only_to, y0 + inset, y1 - inset, cursor_x, in_alpha);
    merged = DrawLaneBlocks(s, th, solid, y0 + inset, y1 - inset, cursor_x) || merged;
    if (d % label_every == 0 && (here >= 1 || y1 - y0 >= label_size))  // a growing lane is labelled once it fits
      s.Text({left, (y0 + y1) / 2}, (lane_h >= label_size * 1.3f ? "stage " : "") + std::to_string(d + 1), label_size,
             here >= 1 ? th.ink : th.ink.WithAlpha(here), FontFace::kUi, HAlign::kLeft, VAlign::kMiddle,
             "stage-label");
    if (!in_to) continue;
    const double busy = sched.stage_busy_s[static_cast<size_t>(d)];
    s.hovers.push_back({{{left, y0}, {ax.x1, y1}},
                        "Stage " + std::to_string(d + 1) + " (rack " + std::to_string(d + 1) + ")",
                        "busy " + FormatSeconds(busy) + " of " + FormatSeconds(sched.pipeline_s) + ": idle " +
                            FormatSeconds(sched.pipeline_s - busy) + " (" +
                            Fmt("%.1f %%", 100 * (1 - busy / sched.pipeline_s)) + "); per micro-batch F " +
                            FormatSeconds(sp.forward_s[std::min(sp.forward_s.size() - 1, static_cast<size_t>(d))]) +
                            ", B " +
                            FormatSeconds(sp.backward_s[std::min(sp.backward_s.size() - 1, static_cast<size_t>(d))]) +
                            ", W " +
                            FormatSeconds(sp.weight_s[std::min(sp.weight_s.size() - 1, static_cast<size_t>(d))]) +
                            " (chunk costs of the training engine: GEMMs at calibrated efficiency, element-wise "
                            "work over HBM, TP collectives; docs/validation.md); p2p hop " +
                            FormatSeconds(sp.p2p_s)});
  }
  std::string hint;
  if (st.multi_chunk) hint = "(second shade: a later model chunk on the same rack)";
  if (merged)  // strips show no chunk shades, so this hint replaces the one above
    hint = "(" + std::to_string(sp.micro_batches) + " micro-batches: narrow blocks drawn as F/B/W strips)";
  Color hint_color = th.ink_dim;
  if (from) {  // while the blocks move, where they come from matters more than the hints
    hint = "from " + ScheduleTitle(from->tp.spec) + ": step " + FormatSeconds(from->sched.step_s) + ", bubble " +
           Fmt("%.1f %%", 100 * from->sched.bubble_fraction);
    hint_color = th.accent.WithAlpha(std::clamp(1.5f * (1 - e), 0.0f, 1.0f));
  }
  if (!hint.empty())
    s.Text({above_end, chart_top - 3}, hint, th.note_size, hint_color, FontFace::kUi, HAlign::kLeft, VAlign::kBottom,
           "hint");
  // The end of the step: gradient all-reduce, then the optimizer, on every stage at once.
  const double tail_s = mixd([](const Layout& l) { return l.tp.spec.tail_s; }, sp.tail_s);
  if (tail_s > 0) {
    const double allreduce_s = mixd([](const Layout& l) { return l.tp.allreduce_s; }, tp.allreduce_s);
    const double allreduce_end_s =
        mixd([](const Layout& l) { return l.sched.pipeline_s + l.tp.allreduce_s; }, sched.pipeline_s + tp.allreduce_s);
    const float a = ax.Px(pipeline_s), m = ax.Px(allreduce_end_s), b = ax.Px(step_s);
    const float y0 = chart_top + lane_span(0).inset, y1 = chart_bottom - lane_span(0).inset;
    if (allreduce_s > 0) DrawSplitRect(s, {{a, y0}, {std::max(m, a + 1.5f), y1}}, th.network, cursor_x, "allreduce");
    DrawSplitRect(s, {{std::max(m, a + (allreduce_s > 0 ? 1.5f : 0.0f)), y0}, {std::max(b, m + 1.5f), y1}},
              th.weights, cursor_x, "optimizer");
    const std::string what = (tp.allreduce_s > 0 ? "exposed all-reduce " + FormatSeconds(tp.allreduce_s) + " + " : "") +
                             std::string("optimizer ") + FormatSeconds(tp.optimizer_s);
    const bool room = b - a > MeasureTextWidth(what, th.note_size, FontFace::kUi) + 8;
    s.Text({room ? (a + b) / 2 : b, chart_top - 3}, what + (room ? "" : " ↓"), th.note_size, th.ink,
           FontFace::kUi, room ? HAlign::kCenter : HAlign::kRight, VAlign::kBottom, "tail-label");
    s.hovers.push_back({{{a - 4, chart_top}, {b + 4, chart_bottom}},
                        "End of the step: gradient all-reduce and optimizer",
                        "all-reduce of each stage's bf16 gradients over dp = " + std::to_string(tp.dp) +
                            " replicas (ZeRO §7 volume on the two-level all-reduce when it spans racks): " +
                            FormatSeconds(tp.report.comm_dp_s) + ", of which " + FormatSeconds(tp.allreduce_s) +
                            " is exposed (gradient buckets reduce during the last micro-batch's backward); "
                            "then the Adam step at HBM speed (weights, gradients, fp32 master, momentum, "
                            "variance read and written): " +
                            FormatSeconds(tp.optimizer_s) +
                            ". The next step cannot start before it: the bubble repeats every step."});
  }
  DrawTimeAxis(s, th, {{ax.x0, chart_top}, {ax.x1, chart_bottom}}, ax.t_max, "time in the training step");
  s.Text({left, mem_top - th.note_size * 0.4f},
         "memory per chip over the step: model state (pale) + stashed activations, against HBM", th.note_size,
         th.ink_dim, FontFace::kUi, HAlign::kLeft, VAlign::kBottom, "memory-heading");
  // Memory lanes cross-fade, each on its own board's axis: a step function has no block to follow
  // from one schedule to the other. Their labels are the source's until halfway, then the target's.
  if (from)
    DrawMemoryLanes(s, th, from->sched, from->tp, ax_from, mem_area, left, cursor_x, cursor_s, 1 - e, false, e < 0.5f);
  DrawMemoryLanes(s, th, sched, tp, ax_to, mem_area, left, cursor_x, cursor_s, e, true, e >= 0.5f);

  // The cursor across chart and lanes.
  s.Line({cursor_x, chart_top - 2}, {cursor_x, mem_area.max.y}, th.accent, 2, 0, "cursor");
  s.Circle({cursor_x, chart_top - 2}, 4, th.accent, {}, 0, "cursor");

  // Readout: the target's numbers throughout a morph. They are what the new setting gives, and
  // figures interpolated between two schedules would be no schedule's (a bubble neither has); the
  // hint above the chart names where the blocks come from while they move.
  const BubbleClosedForm cf = ClosedFormBubble(sp);
  int peak_stage = 0;
  for (int d = 1; d < p; ++d)
    if (sched.peak_activation_bytes[static_cast<size_t>(d)] > sched.peak_activation_bytes[static_cast<size_t>(peak_stage)])
      peak_stage = d;
  const std::string line1 = ScheduleTitle(sp) + "  ·  step " + FormatSeconds(sched.step_s) + " = pipeline " +
                            FormatSeconds(sched.pipeline_s) + " + tail " + FormatSeconds(sp.tail_s) +
                            "  ·  bubble " + Fmt("%.1f %%", 100 * sched.bubble_fraction) + " (simulated)" +
                            "  ·  MFU " + Fmt("%.1f %%", 100 * tp.report.mfu);
  const std::string line2 = "closed form with equal stages: " + cf.formula + " = " +
                            Fmt("%.1f %%", 100 * cf.fraction) + "  [" + cf.source + "]  ·  peak stash " +
                            std::to_string(sched.peak_in_flight[static_cast<size_t>(peak_stage)]) +
                            (st.multi_chunk ? " chunks" : " micro-batches") + " on stage " + std::to_string(peak_stage + 1) + "  ·  t = " +
                            FormatSeconds(cursor_s);
  s.Text({left, readout_y}, line1, th.label_size, th.ink, FontFace::kMono, HAlign::kLeft, VAlign::kTop, "readout");
  s.Text({left, readout_y + th.label_size * 1.5f}, line2, th.note_size, th.ink_dim, FontFace::kMono, HAlign::kLeft,
         VAlign::kTop, "readout-formula");
  s.hovers.push_back({{{left, readout_y}, {W - 40, H - 10}},
                      "Bubble fraction",
                      "simulated: sum over stages of idle time / (p x pipeline time) = " +
                          Fmt("%.4f", sched.bubble_fraction) +
                          ". GPipe and 1F1B (p-1)/(m+p-1); interleaved (p-1)/(v·m) of ideal; ZB-H1 "
                          "(p-1)(T_F+T_B-T_W); ZB-H2 (p-1)(T_F+T_B-2T_W); DualPipe (PP/2-1)(F&B+B-3W). "
                          "The simulation uses the real per-stage costs (the last stage also runs the output "
                          "layer) and the p2p hop, so it differs a little from the closed form."});
  return s;
}

BLACKBOARD_REGISTER_BOARD(PipelineTraining, BoardInfo{
    "pipeline-training",
    "Pipeline training: schedules and bubbles",
    "a training step's pipeline schedule (GPipe, 1F1B, interleaved, zero bubble, DualPipe): bubbles, "
    "all-reduce, activation memory per stage against HBM",
    {{"cluster.racks", "racks in the cluster", 1, 64, false, true, {}, {}},
     {"training.pp", "pipeline stages (racks)", 1, 16, false, true, {}, {}},
     {"model.layers", "layers", 2, 160, false, true, {}, {}},
     {"training.micro_batch", "micro-batch (sequences)", 1, 64, true, true, {}, {}},
     {"training.global_batch", "global batch (sequences)", 1, 4096, true, true, {}, {}},
     {"training.schedule", "schedule", 1, 1, false, true,
      {"gpipe", "1f1b", "interleaved", "zb-h1", "zb-h2", "dualpipe", "dualpipe-v"}, {}},
     {"training.virtual_stages", "virtual stages (interleaved)", 1, 8, false, true, {}, {}},
     {"training.recompute", "recompute", 1, 1, false, true, {"none", "selective", "full", "reversible"}, {}}},
    &BuildPipelineTraining,
    kPipelineLoopS,
    "",
    true,
    /*training=*/true,
    /*still_time_s=*/kPipelineLoopS});  // the whole schedule drawn

}  // namespace
}  // namespace blackboard
