// Board "memory": activation memory of one chip through a training step (lecture.md §1.12; boards
// list item 15's companion panel). Each layer stashes its activations during the forward pass (a
// block stacked on the ones below) and frees them during the backward pass, last layer first, so
// memory over time is a pyramid. Four recompute modes side by side on one scale (none, selective,
// full, reversible), the selected one large: full recompute keeps only each layer's input and
// rebuilds the layer in the backward pass; reversible (RevNet) layers keep nothing and rebuild each
// layer's input from its output in reverse, paying one more forward. The Feistel step and its
// inverse, which make that possible, are drawn once. Bytes per layer are Korthikanti et al. 2022
// Table 2 (KOR-A1..A6, activation.hpp); the time axis is each mode's real compute.
//
// Index: the model of one mode | drawing a mode's timeline | the Feistel diagram | Build.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>

#include "../board.hpp"
#include "../plot.hpp"
#include "blackboard/activation.hpp"
#include "blackboard/report.hpp"
#include "blackboard/serving.hpp"
#include "blackboard/training.hpp"
#include "pipeline_common.hpp"

namespace blackboard {
namespace {

std::string Fmt(const char* f, double v) {
  char buf[96];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

constexpr std::array<Recompute, 4> kModes = {Recompute::kNone, Recompute::kSelective, Recompute::kFull,
                                             Recompute::kReversible};

// ---------------------------------------------------------------- the model of one mode

struct ModeTimeline {
  Recompute mode = Recompute::kNone;
  int layers = 1;
  double per_layer_bytes = 0;   // stashed per layer (KOR-A1..A6)
  double base_bytes = 0;        // held the whole step (reversible: the stage's input pair)
  double working_bytes = 0;     // transient while one layer is rebuilt (full, selective, reversible)
  double forward_s = 0;         // one layer's forward
  double backward_s = 0;        // one layer's backward (input and weight gradients + recompute)
  double total_s = 0;
  double peak_bytes = 0;
  double flops_ratio = 1;       // hardware / model FLOPs of a step (KOR-F2..F4)
  std::string formula;          // the per-layer bytes formula with its source

  double ForwardStart(int layer) const { return layer * forward_s; }
  double BackwardStart(int layer) const { return layers * forward_s + (layers - 1 - layer) * backward_s; }
  bool RebuildsInForward() const { return mode == Recompute::kFull || mode == Recompute::kReversible; }
};

std::string PerLayerFormula(const ActivationShape& x, Recompute mode) {
  const bool sp = x.sequence_parallel;
  if (x.fused_attention && (mode == Recompute::kNone || mode == Recompute::kSelective)) {
    // Fused attention: no s² term; the per-tensor count with the model's shape (activation.hpp).
    const double per_sbh = ActivationBytesPerLayer(x, mode) / (x.seq_len * x.micro_batch * x.hidden);
    return "s·b·h·" + Fmt("%.3g", per_sbh) + ": flash keeps no s×s scores" +
           std::string(x.fp8_cache ? ", fp8-cached GEMM inputs" : "") + "  [KOR §4.1 count]";
  }
  switch (mode) {
    case Recompute::kNone:
      if (x.tp <= 1) return "s·b·h·(34 + 5·a·s/h)  [KOR-A1]";
      return sp ? "s·b·h·(34/t + 5·a·s/(h·t))  [KOR-A3, TP + SP]" : "s·b·h·(10 + 24/t + 5·a·s/(h·t))  [KOR-A2, TP]";
    case Recompute::kSelective:
      return sp ? "s·b·h·34/t  [KOR-A5, attention core recomputed]" : "s·b·h·(10 + 24/t)  [KOR-A4]";
    case Recompute::kFull: return "s·b·h·2: only the layer input  [KOR-A6]";
    case Recompute::kReversible: return "0: no layer keeps anything; the stage keeps its pair (x, y)  [RevNet]";
  }
  return "";
}

ModeTimeline MakeTimeline(const Scenario& sc, const ActivationShape& x, int layers, Recompute mode) {
  ModeTimeline t;
  t.mode = mode;
  t.layers = std::max(1, layers);
  t.per_layer_bytes = ActivationBytesPerLayer(x, mode);
  t.base_bytes = StashBytesPerMicroBatch(x, mode, t.layers) - t.per_layer_bytes * t.layers;
  t.working_bytes = RecomputeWorkingBytes(x, mode);
  // Zero Bubble Table 1 FLOPs per layer (as MakePipelineSpec): F, B (input grad) + W, plus recompute.
  const double b = x.micro_batch, s = x.seq_len, h = x.hidden;
  // Peak bf16: a roofline time axis (efficiency.compute is the serving engine's fraction).
  const double flops_per_s = PeakFlops(sc.hardware, "bf16");
  const double f = b * s * h * (24 * h + 4 * s) / x.tp;
  const double bw = b * s * h * (24 * h + 8 * s) / x.tp + b * s * h * 24 * h / x.tp + RecomputeFlopsPerLayer(x, mode);
  t.forward_s = flops_per_s > 0 ? f / flops_per_s : 1;
  t.backward_s = flops_per_s > 0 ? bw / flops_per_s : 2;
  t.total_s = t.layers * (t.forward_s + t.backward_s);
  // Peak: the whole stash plus the working set of the last layer, rebuilt first in the backward pass.
  t.peak_bytes = t.base_bytes + t.layers * t.per_layer_bytes + t.working_bytes;
  t.flops_ratio = HardwareFlopsRatio(x, mode, sc.model.layers, sc.model.vocab);
  t.formula = PerLayerFormula(x, mode);
  return t;
}

// ---------------------------------------------------------------- drawing a mode's timeline

struct Frame {
  Box box;
  double t_max, bytes_max;
  float Px(double t) const { return box.min.x + static_cast<float>(t / t_max) * box.Width(); }
  float Py(double b) const { return box.max.y - static_cast<float>(std::min(b, bytes_max) / bytes_max) * box.Height(); }
};

// Layer blocks: layer i's stash from the start of its forward to the end of its backward, stacked in
// layer order (the backward frees them last-in first-out, so the stack never has holes).
void DrawTimeline(Scene& s, const Theme& th, const ModeTimeline& m, const Frame& f, double cursor_s, bool large) {
  const float cx = f.Px(cursor_s);
  const Color a = th.memory_cap, b = th.memory_cap.Mix(th.background, 0.3f);
  if (m.base_bytes > 0)
    DrawSplitRect(s, {{f.Px(0), f.Py(m.base_bytes)}, {f.Px(m.total_s), f.Py(0)}}, th.weights, cx, "input-pair");
  for (int i = 0; i < m.layers && m.per_layer_bytes > 0; ++i) {
    const double lo = m.base_bytes + i * m.per_layer_bytes;
    const Box box{{f.Px(m.ForwardStart(i)), f.Py(lo + m.per_layer_bytes)},
                  {f.Px(m.BackwardStart(i) + m.backward_s), f.Py(lo)}};
    DrawSplitRect(s, box, i % 2 ? b : a, cx, "layer-stash");
  }
  // Transient working set: the layer being computed without keeping its internals (forward, full and
  // reversible), and the layer rebuilt in the backward pass (selective: the attention core).
  auto transient = [&](double t0, double t1, double below, Color c, const char* role) {
    DrawSplitRect(s, {{f.Px(t0), f.Py(below + m.working_bytes)}, {f.Px(t1), f.Py(below)}}, c, cx, role);
  };
  if (m.working_bytes > 0) {
    const Color fwd = th.forward.WithAlpha(0.75f), bwd = th.backward;
    for (int i = 0; i < m.layers; ++i) {
      const double below = m.base_bytes + (i + 1) * m.per_layer_bytes;
      const float shade = i % 2 ? 0.3f : 0.0f;
      if (m.RebuildsInForward())
        transient(m.ForwardStart(i), m.ForwardStart(i) + m.forward_s, below, fwd.Mix(th.background, shade),
                  "forward-working");
      transient(m.BackwardStart(i), m.BackwardStart(i) + m.backward_s, below, bwd.Mix(th.background, shade), "rebuilt");
    }
  }
  // Layer numbers over the slots (large panel): 1 -> L through the forward pass, L -> 1 back.
  if (large) {
    const float fs = 13, need = MeasureTextWidth(std::to_string(m.layers), fs, FontFace::kMono) + 8;
    const float slot = std::min(f.Px(m.forward_s) - f.Px(0), f.Px(m.backward_s) - f.Px(0));
    const int every = std::max(1, static_cast<int>(std::ceil(need / std::max(slot, 0.1f))));
    for (int i = 0; i < m.layers; ++i) {
      if ((i + 1) % every != 0 && i != 0) continue;
      const double stack = m.base_bytes + (i + 1) * m.per_layer_bytes;
      const double fwd_top = stack + (m.RebuildsInForward() ? m.working_bytes : 0.0);
      const std::string n = std::to_string(i + 1);
      if (i + 1 < m.layers || every == 1)  // the top layer is numbered where the backward pass starts
        s.Text({f.Px(m.ForwardStart(i) + m.forward_s / 2), f.Py(fwd_top) - 2}, n, fs, th.ink_dim, FontFace::kMono,
             HAlign::kCenter, VAlign::kBottom, "layer-number");
      s.Text({f.Px(m.BackwardStart(i) + m.backward_s / 2), f.Py(stack + m.working_bytes) - 2}, n, fs, th.ink_dim,
             FontFace::kMono, HAlign::kCenter, VAlign::kBottom, "layer-number");
    }
  }
  // Phase boundary and the cursor.
  const float xb = f.Px(m.layers * m.forward_s);
  s.Line({xb, f.box.min.y}, {xb, f.box.max.y}, th.ink_dim, 1.5f, 4, "phase");
  if (large) {
    const float ty = f.box.min.y + th.note_size * 0.3f;
    s.Text({(f.box.min.x + xb) / 2, ty}, "forward: layer 1 → " + std::to_string(m.layers), th.note_size, th.forward,
           FontFace::kUi, HAlign::kCenter, VAlign::kTop, "phase-label");
    s.Text({(xb + f.Px(m.total_s)) / 2, ty},
           m.mode == Recompute::kReversible ? "backward: layer " + std::to_string(m.layers) +
                                                  " → 1, each input rebuilt from its output"
                                            : "backward: layer " + std::to_string(m.layers) + " → 1, freed as it goes",
           th.note_size, th.backward, FontFace::kUi, HAlign::kCenter, VAlign::kTop, "phase-label");
  }
  if (cursor_s <= m.total_s) s.Line({cx, f.box.min.y}, {cx, f.box.max.y}, th.accent, 2, 0, "cursor");
}

void DrawHbmLine(Scene& s, const Theme& th, const Frame& f, double hbm, bool label) {
  if (hbm > f.bytes_max) return;
  s.Line({f.box.min.x, f.Py(hbm)}, {f.box.max.x, f.Py(hbm)}, th.ink, 1.5f, 5, "hbm");
  if (label)
    s.Text({f.box.max.x - 4, f.Py(hbm) - 2}, "HBM " + FormatBytes(hbm), th.note_size, th.ink, FontFace::kUi,
           HAlign::kRight, VAlign::kBottom, "hbm-label");
}

// ---------------------------------------------------------------- the Feistel diagram

// One Feistel network drawn as two wires, a box f, an adder and the crossing: forward
// (x, y) -> (y + f(x), x), and below it the inverse (x', y') -> (y', x' - f(y')).
void DrawFeistel(Scene& s, const Theme& th, Box area) {
  s.Text({area.min.x, area.min.y}, "Reversible layers: the Feistel step", th.heading_size, th.ink, th.TitleFace(),
         HAlign::kLeft, VAlign::kTop, "heading");
  const float fs = th.label_size, w = area.Width();
  const float half = (area.Height() - th.heading_size * 1.6f) / 2;
  auto one = [&](float top, bool inverse) {
    const float ya = top + half * 0.22f, yb = top + half * 0.72f;  // the two wires
    const float x0 = area.min.x + fs * 2.2f, x_tap = x0 + w * 0.12f, x_add = x0 + w * 0.38f;
    const float x_cross = x0 + w * 0.46f, x_out = x0 + w * 0.58f;
    const Color wire = th.ink;
    // Inputs.
    s.Text({x0 - 6, ya}, inverse ? "x'" : "x", fs, th.ink, FontFace::kMono, HAlign::kRight, VAlign::kMiddle, "feistel");
    s.Text({x0 - 6, yb}, inverse ? "y'" : "y", fs, th.ink, FontFace::kMono, HAlign::kRight, VAlign::kMiddle, "feistel");
    // Forward: f taps the top wire and adds into the bottom one. Inverse: f taps the bottom wire
    // (y' = x) and subtracts from the top one (x' = y + f(x)).
    const float y_src = inverse ? yb : ya, y_dst = inverse ? ya : yb;
    s.Line({x0, ya}, {x_cross, ya}, wire, 2, 0, "feistel");
    s.Line({x0, yb}, {x_cross, yb}, wire, 2, 0, "feistel");
    const float box_w = fs * 2.6f, box_h = fs * 1.7f, ym = (ya + yb) / 2;
    const Box fbox{{x_tap + fs * 1.4f, ym - box_h / 2}, {x_tap + fs * 1.4f + box_w, ym + box_h / 2}};
    s.Line({x_tap, y_src}, {x_tap, ym}, wire, 2, 0, "feistel");
    s.Circle({x_tap, y_src}, 3.5f, wire, {}, 0, "feistel");
    s.Arrow({x_tap, ym}, {fbox.min.x, ym}, wire, 2, 8, "feistel");
    s.Rect(fbox, th.panel, th.compute, 2, 6, "feistel-f");
    s.Text({(fbox.min.x + fbox.max.x) / 2, ym}, "f", fs, th.compute, FontFace::kMono, HAlign::kCenter,
           VAlign::kMiddle, "feistel-f");
    const float r = fs * 0.62f;
    s.Line({fbox.max.x, ym}, {x_add, ym}, wire, 2, 0, "feistel");
    s.Arrow({x_add, ym}, {x_add, y_dst + (inverse ? r : -r)}, wire, 2, 8, "feistel");
    s.Circle({x_add, y_dst}, r, th.background, inverse ? th.backward : th.forward, 2, "feistel-add");
    s.Text({x_add, y_dst}, inverse ? "−" : "+", fs, inverse ? th.backward : th.forward, FontFace::kMono,
           HAlign::kCenter, VAlign::kMiddle, "feistel-add");
    // The crossing.
    s.Line({x_cross, ya}, {x_out, yb}, wire, 2, 0, "feistel");
    s.Line({x_cross, yb}, {x_out, ya}, wire, 2, 0, "feistel");
    s.Arrow({x_out, ya}, {x_out + fs * 1.2f, ya}, wire, 2, 8, "feistel");
    s.Arrow({x_out, yb}, {x_out + fs * 1.2f, yb}, wire, 2, 8, "feistel");
    const float xt = x_out + fs * 1.6f;
    s.Text({xt, ya}, inverse ? "x = y'" : "x' = y + f(x)", fs, th.ink, FontFace::kMono, HAlign::kLeft,
           VAlign::kMiddle, "feistel");
    s.Text({xt, yb}, inverse ? "y = x' − f(y')" : "y' = x", fs, th.ink, FontFace::kMono, HAlign::kLeft,
           VAlign::kMiddle, "feistel");
    s.Text({area.min.x, top}, inverse ? "inverse (backward pass)" : "forward", th.note_size,
           inverse ? th.backward : th.forward, FontFace::kUi, HAlign::kLeft, VAlign::kTop, "feistel-caption");
  };
  const float top = area.min.y + th.heading_size * 1.6f;
  one(top, false);
  one(top + half, true);
  s.hovers.push_back({area, "The Feistel construction (lecture §1.12; Gomez et al. 2017)",
                      "(x, y) -> (y + f(x), x) with f any function; its inverse reads x off directly and "
                      "y = x' - f(y'). RevNets apply it to layers (new_x = y + f(x), new_y = x), so the backward "
                      "pass undoes each forward step in lockstep: activations are recomputed instead of stored, "
                      "compute traded for memory."});
}

// ---------------------------------------------------------------- Build

Scene BuildMemory(const BoardContext& ctx) {
  const Scenario& sc = ctx.scenario;
  const Theme& th = ctx.theme;
  Scene s(ctx.width, ctx.height);
  s.background = th.background;
  s.board_texture = th.board_texture;
  const float W = ctx.width, H = ctx.height;
  const Training tr = ResolveTrainingDegrees(sc);  // degrees 0 = auto
  const int pp = std::max(1, tr.pp);
  const int layers = (sc.model.layers + pp - 1) / pp;  // the first stage's layers (it holds the extra ones)
  // The engine's own shape (training.attention_kernel, training.math), so the bytes here are the
  // bytes EvaluateTraining counts; a plan the engine cannot shape falls back to Korthikanti's.
  ActivationShape shape{static_cast<double>(tr.seq_len), static_cast<double>(tr.micro_batch),
                        static_cast<double>(sc.model.d_model), static_cast<double>(sc.model.heads),
                        static_cast<double>(std::max(1, tr.tp)), tr.sequence_parallel};
  try {
    shape = TrainingActivationShape(sc);
  } catch (const std::invalid_argument&) {
  }
  Recompute selected = Recompute::kSelective;
  try {
    selected = ParseRecompute(tr.recompute);
  } catch (const std::invalid_argument&) {
  }
  std::array<ModeTimeline, 4> modes;
  double t_max = 0, bytes_max = 0;
  for (size_t i = 0; i < kModes.size(); ++i) {
    modes[i] = MakeTimeline(sc, shape, layers, kModes[i]);
    t_max = std::max(t_max, modes[i].total_s);
    bytes_max = std::max(bytes_max, modes[i].peak_bytes);
  }
  const ModeTimeline& sel = modes[static_cast<size_t>(selected)];
  const double cursor_s = LoopCursorSeconds(ctx.time_s, t_max);
  const double hbm = sc.hardware.hbm_bytes;

  DrawBoardTitle(s, th, "Activation memory: stacked through forward, freed through backward",
                 sc.model.name + ": " + std::to_string(layers) + " layers on this chip" +
                     (pp > 1 ? " (stage 1 of " + std::to_string(pp) + ")" : "") + "  ·  one micro-batch of " +
                     std::to_string(tr.micro_batch) + " x " + FormatCount(tr.seq_len) + " tokens  ·  h = " +
                     std::to_string(sc.model.d_model) + ", a = " + std::to_string(sc.model.heads) + "  ·  TP " +
                     std::to_string(tr.tp) + (tr.sequence_parallel ? " + sequence parallel" : "") + "  ·  " +
                     sc.training.attention_kernel + " attention, " + sc.training.math + "  ·  " + sc.hardware.name);

  const float top = 24 + th.title_size * 1.25f + th.note_size * 2.6f;
  const float split_x = W * 0.63f;
  const float small_top = H * 0.615f;

  // The selected mode, large, with axes.
  {
    // The scale of the largest of the four modes, whichever is selected: reversible recompute's flat
    // band stays small against what the other modes would hold.
    const double y_max = std::max(bytes_max, 1.0) * 1.18;
    PlotFrame pf({{30, top}, {split_x - 30, small_top - 10 - th.note_size * 0.6f}}, Axis{0, t_max, false, "time", Unit::kSeconds},
                 Axis{0, y_max, false, "activations", Unit::kBytes}, th);
    pf.DrawAxes(s);
    const Frame f{pf.plot_box(), t_max, y_max};
    DrawTimeline(s, th, sel, f, cursor_s, true);
    DrawHbmLine(s, th, f, hbm, true);
    s.Text({pf.plot_box().min.x, pf.plot_box().min.y - th.note_size * 0.4f},
           std::string("recompute ") + RecomputeName(selected) + ": " +
               (sel.per_layer_bytes > 0 ? FormatBytes(sel.per_layer_bytes) : std::string("0 B")) + " per layer  =  " +
               sel.formula,
           th.note_size, th.ink, FontFace::kUi, HAlign::kLeft, VAlign::kBottom, "formula");
    s.hovers.push_back({f.box, std::string("Recompute ") + RecomputeName(selected),
                        "per layer " + sel.formula + " = " + FormatBytes(sel.per_layer_bytes) + " x " +
                            std::to_string(sel.layers) + " layers" +
                            (sel.base_bytes > 0 ? " + input pair " + FormatBytes(sel.base_bytes) : std::string()) +
                            (sel.working_bytes > 0 ? " + one layer rebuilt " + FormatBytes(sel.working_bytes)
                                                   : std::string()) +
                            " = peak " + FormatBytes(sel.peak_bytes) + "; layer forward " +
                            FormatSeconds(sel.forward_s) + ", backward " + FormatSeconds(sel.backward_s) +
                            " with recompute (Zero Bubble Table 1 FLOPs at peak bf16: "
                            "a roofline time axis); hardware/model FLOPs " +
                            Fmt("%.3f", sel.flops_ratio) +
                            " (Korthikanti Appendix A)"});
  }
  DrawFeistel(s, th, {{split_x + 20, top - th.heading_size * 0.6f}, {W - 30, small_top - 10}});

  // The four modes side by side on one scale (time and bytes): the cost of each saving is visible.
  const float gap = 24, left = 40;
  const float pw = (W - left - 30 - 3 * gap) / 4;
  const float label_h = th.note_size * 2.9f;
  // One fixed scale, HBM at the top unless a mode overflows it: a flat 3 GB band reads as 3 GB of 80,
  // not as a full panel.
  const double y_max = std::max(bytes_max, hbm) * 1.05;
  for (size_t i = 0; i < modes.size(); ++i) {
    const ModeTimeline& m = modes[i];
    const float x0 = left + static_cast<float>(i) * (pw + gap);
    const Box box{{x0, small_top + label_h}, {x0 + pw, H - 30}};
    const bool is_sel = m.mode == selected;
    const Box frame{{box.min.x - 6, small_top - 4}, {box.max.x + 6, box.max.y + 6}};
    if (is_sel)
      s.Panel(frame, th.panel, 6, "selected", th.accent, 2.5f);
    else
      s.Rect(frame, Color{0, 0, 0, 0}, th.grid, 1, 6, "mode");
    s.Text({x0, small_top}, RecomputeName(m.mode), th.label_size, is_sel ? th.accent : th.ink, FontFace::kUi,
           HAlign::kLeft, VAlign::kTop, "mode-name");
    s.Text({x0 + pw, small_top + 2}, "peak " + FormatBytes(m.peak_bytes), th.note_size,
           m.peak_bytes > hbm ? th.accent : th.ink, FontFace::kMono, HAlign::kRight, VAlign::kTop, "mode-peak");
    s.Text({x0, small_top + th.label_size * 1.3f},
           (m.per_layer_bytes > 0 ? FormatBytes(m.per_layer_bytes) + "/layer" : std::string("nothing per layer")) +
               "  ·  FLOPs x" + Fmt("%.2f", m.flops_ratio),
           th.note_size,
           th.ink_dim, FontFace::kMono, HAlign::kLeft, VAlign::kTop, "mode-figures");
    const Frame f{box, t_max, y_max};
    s.Line({box.min.x, box.max.y}, {box.max.x, box.max.y}, th.ink_dim, 1.5f, 0, "axis");
    DrawTimeline(s, th, m, f, cursor_s, false);
    DrawHbmLine(s, th, f, hbm, i == 0);
    s.hovers.push_back({box, std::string("Recompute ") + RecomputeName(m.mode),
                        "per layer " + m.formula + " = " + FormatBytes(m.per_layer_bytes) + "; peak " +
                            FormatBytes(m.peak_bytes) + " (stash of " + std::to_string(m.layers) + " layers" +
                            (m.base_bytes > 0 ? " + input pair" : "") +
                            (m.working_bytes > 0 ? " + one layer's working set " + FormatBytes(m.working_bytes)
                                                 : std::string()) +
                            "); step compute x" + Fmt("%.3f", m.flops_ratio) +
                            " of the model FLOPs. Same time and byte scale in all four panels."});
  }
  // Legend over the small multiples.
  {
    const float fs = th.note_size, sw = fs * 1.0f;
    float x = left;
    const float y = small_top - th.note_size * 1.25f;
    const std::pair<const char*, Color> items[] = {{"a layer's stash (alternate shades)", th.memory_cap},
                                                   {"layer computed, not kept", th.forward.WithAlpha(0.75f)},
                                                   {"layer rebuilt in backward", th.backward},
                                                   {"RevNet input pair (x, y)", th.weights}};
    for (const auto& [label, c] : items) {
      s.Rect({{x, y - sw / 2}, {x + sw, y + sw / 2}}, c, {}, 0, 3, "legend-swatch");
      s.Text({x + sw + 6, y}, label, fs, th.ink, FontFace::kUi, HAlign::kLeft, VAlign::kMiddle, "legend-label");
      x += sw + 6 + MeasureTextWidth(label, fs, FontFace::kUi) + fs * 1.4f;
    }
    s.Text({W - 36, y}, "all four on one scale: " + FormatSeconds(t_max) + " x " + FormatBytes(y_max), fs,
           th.ink_dim, FontFace::kUi, HAlign::kRight, VAlign::kMiddle, "scale-note");
  }
  return s;
}

BLACKBOARD_REGISTER_BOARD(Memory, BoardInfo{
    "memory",
    "Activation memory and recompute",
    "activation memory stacked layer by layer through forward and freed through backward, for no, "
    "selective, full and reversible (RevNet) recompute; the Feistel step",
    {{"training.recompute", "recompute", 1, 1, false, true, {"none", "selective", "full", "reversible"}, {}},
     {"training.micro_batch", "micro-batch (sequences)", 1, 64, true, true, {}, {}},
     {"training.seq_len", "sequence length", 512, 131072, true, true, {}, {}},
     {"training.tp", "tensor parallel t", 1, 64, true, true, {}, {}},
     {"training.sequence_parallel", "sequence parallel", 1, 1, false, true, {"true", "false"}, {}}},
    &BuildMemory,
    kPipelineLoopS,
    "",
    /*morphs=*/false,
    /*training=*/true,
    /*still_time_s=*/kPipelineLoopS});  // the whole schedule drawn

}  // namespace
}  // namespace blackboard
