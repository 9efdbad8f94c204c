// Board "batch": the lecture's first two blackboard plots (lecture.md §1.2-1.3).
// Left: step time against batch (compute line through the origin, weight-fetch floor, KV slope, their
// max in bold, the latency floor). Right: cost per token against batch (hyperbola plus floors, the
// critical batch). Below: the memory bar (weights + KV against HBM) and the live readout.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "../board.hpp"
#include "../plot.hpp"
#include "blackboard/model.hpp"
#include "blackboard/pricing.hpp"
#include "blackboard/report.hpp"
#include "blackboard/serving.hpp"
#include "../text_format.hpp"

namespace blackboard {
namespace {

double NiceCeil(double v) {
  const double mag = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0})
    if (m * mag >= v) return m * mag;
  return 10 * mag;
}

// Memory per chip as a horizontal bar: weights | KV | free, against HBM (overflow drawn past it).
void DrawMemoryBar(Scene& s, const Theme& th, Box area, const ServingReport& r) {
  const double cap = r.memory.capacity;
  const double scale_max = std::max(cap, r.memory.total) * 1.02;
  const float x0 = area.min.x + 170, x1 = area.max.x - 10;
  auto px = [&](double bytes) { return static_cast<float>(x0 + bytes / scale_max * (x1 - x0)); };
  const float y0 = area.min.y + th.note_size * 1.6f, y1 = area.max.y - 4;
  s.Text({area.min.x, (y0 + y1) / 2}, "memory / chip", th.label_size, th.ink, FontFace::kUi, HAlign::kLeft,
         VAlign::kMiddle);
  s.Rect({{x0, y0}, {px(cap), y1}}, th.panel, th.ink_dim, 1.5f, 4, "hbm");
  s.Rect({{x0, y0}, {px(r.memory.weights), y1}}, th.weights.WithAlpha(0.85f), {}, 0, 4, "weights");
  s.Rect({{px(r.memory.weights), y0}, {px(r.memory.total), y1}}, th.kv.WithAlpha(0.85f), {}, 0, 4, "kv");
  s.Line({px(cap), y0 - 6}, {px(cap), y1 + 4}, th.ink, 3, 0, "hbm-capacity");
  const std::string head = "weights " + FormatBytes(r.memory.weights) + "  +  KV " +
                           FormatBytes(r.memory.kv_cache) + "  =  " + FormatBytes(r.memory.total) +
                           "  of  " + FormatBytes(cap) + " HBM";
  s.Text({x0, area.min.y}, head, th.note_size, th.ink, FontFace::kMono, HAlign::kLeft, VAlign::kTop);
  const std::string verdict = r.fits ? "fits; max batch " + Fmt("%.0f", r.max_batch)
                                     : "does not fit: +" + FormatBytes(r.overflow_bytes) + " per chip";
  s.Text({x1, area.min.y}, verdict, th.note_size, r.fits ? th.network : th.accent, FontFace::kUi, HAlign::kRight,
         VAlign::kTop);
  s.hovers.push_back({{{x0, y0}, {x1, y1}},
                      "Memory per chip",
                      "c_mem = N_total x bytes / chips + B x ctx x KV bytes / chips = " +
                          FormatBytes(r.memory.weights) + " + " + FormatBytes(r.memory.kv_cache)});
}

Scene BuildBatch(const BoardContext& ctx) {
  const Scenario& sc = ctx.scenario;
  const Theme& th = ctx.theme;
  Scene s(ctx.width, ctx.height);
  s.background = th.background;
  s.board_texture = th.board_texture;
  const ServingModel m = MakeServingModel(sc);
  const ServingReport r = EvaluateServing(sc);
  const double chips = m.chips_per_stage * m.stages;
  const float below_title = DrawBoardTitle(s, th, "Batch size against latency and cost",
                 sc.model.name + " on " + Fmt("%.0f", chips) + " x " + sc.hardware.name + "  ·  context " +
                     FormatCount(sc.serving.context) + " tokens  ·  " + Fmt("%.3g", sc.serving.weight_bytes) +
                     " B/weight  ·  " + sc.serving.math + " math  ·  " + EfficiencyShortLabel(sc.efficiency));

  const float W = ctx.width, H = ctx.height;
  // The plots start under the title block (lower when a narrow canvas wraps the subtitle).
  const float top = std::max(130.0f, below_title + th.heading_size * 1.2f), plots_bottom = H - 150;
  const Box left{{30, top}, {W / 2 - 20, plots_bottom}};
  const Box right{{W / 2 + 10, top}, {W - 40, plots_bottom}};

  const double batch = sc.serving.batch;
  const double bstar = r.critical_batch;
  const double x_max = NiceCeil(std::max({2.2 * bstar, 1.3 * batch, 8.0}));
  const int n = 240;
  std::vector<double> xs(n), compute(n), weights(n), kv(n), memory(n), network(n), step(n);
  std::vector<double> c_compute(n), c_weights(n), c_kv(n), c_step(n);
  const double usd_per_s = chips * m.usd_per_chip_s;
  for (int i = 0; i < n; ++i) {
    // From B = 1 (where the cost per token "almost goes to infinity", lecture §1.3), denser at small
    // batch where the 1/B curve bends.
    const double u = static_cast<double>(i) / (n - 1);
    const double b = 1 + (x_max - 1) * u * u;
    const DecodeStep d = m.Decode(b);
    xs[i] = b;
    compute[i] = d.compute_s;
    weights[i] = d.weights_s;
    kv[i] = d.kv_s;
    memory[i] = d.memory_s;
    network[i] = d.network_s;
    step[i] = d.step_s;
    // $ per million tokens = seconds x chips x $/s / tokens in the step x 1e6.
    const double per = usd_per_s / b * 1e6;
    c_compute[i] = d.compute_s * per;
    c_weights[i] = d.weights_s * per;
    c_kv[i] = d.kv_s * per;
    c_step[i] = d.step_s * per;
  }
  const DecodeStep here = m.Decode(batch);

  // Step time against batch (linear axes, as drawn on the blackboard).
  // The engine's step at this batch (serving.tpot_s: kernels in sequence, latencies, prefill mixed in)
  // is marked beside the lecture's pure step; at the roofline it is not drawn.
  const bool engine_mark = r.engine.kernel_latency_s > 0 && r.tpot_s > here.step_s;
  const double y_max = NiceCeil(std::max({step.back(), here.step_s, engine_mark ? r.tpot_s : 0.0, 1e-6}) * 1.1);
  PlotFrame lp(left, Axis{0, x_max, false, "batch (sequences)", Unit::kNone},
               Axis{0, y_max, false, "time per decode step", Unit::kSeconds}, th);
  lp.DrawAxes(s, "Latency");
  // Batches whose weights + KV per chip exceed HBM (the engine's memory figures): shaded, and the
  // largest batch that fits marked, on both plots.
  const bool overflow_shown = r.max_batch < x_max;
  const Color no_fit = th.accent.WithAlpha(0.10f);
  const std::string fits_label = r.max_batch >= 1 ? "fits up to B = " + Fmt("%.0f", r.max_batch) : "never fits";
  if (overflow_shown) lp.ShadeX(s, std::max(r.max_batch, 0.0), x_max, no_fit);
  lp.Curve(s, xs, compute, th.compute, th.line_width, "compute  B·2N_active / FLOP/s");
  lp.Curve(s, xs, weights, th.weights, th.line_width,
           r.decode.experts_touched > 0 ? "weight fetch  touched experts → N_total" : "weight fetch  N_total·bytes / BW", 8);
  lp.Curve(s, xs, memory, th.memory_bw, th.line_width, "weights + KV fetch");
  if (r.decode.network_s > 0 || network.back() > 0)
    lp.Curve(s, xs, network, th.network, th.line_width, "network (TP/EP collectives)", 4);
  lp.Curve(s, xs, step, th.ink, th.bold_line_width, "step time = max(...)");
  lp.HLine(s, r.latency_floor_s, th.weights, "latency floor " + FormatSeconds(r.latency_floor_s));
  lp.VLine(s, bstar, th.accent, "B* ≈ " + Fmt("%.0f", bstar));
  if (overflow_shown && r.max_batch >= 1) lp.VLine(s, r.max_batch, th.ink, fits_label, 0);
  // Both points before either label, so neither label is placed where the other point lands.
  if (engine_mark) lp.Marker(s, batch, r.tpot_s, th.network, 7);
  lp.Marker(s, batch, here.step_s, th.accent, 8, "B = " + Fmt("%.0f", batch) + ": " + FormatSeconds(here.step_s));
  if (engine_mark) lp.Marker(s, batch, r.tpot_s, th.network, 7, "engine TPOT " + FormatSeconds(r.tpot_s));
  lp.Legend(s);
  if (overflow_shown) lp.RangeLabel(s, r.max_batch, x_max, "does not fit in HBM", th.accent);
  s.hovers.push_back({lp.plot_box(), "Decode step time",
                      "t = max(B·2N_act/(S·FLOP/s), (N_total·q + B·ctx·KV)/(S·BW)) = max(" +
                          FormatSeconds(here.compute_s) + ", " + FormatSeconds(here.weights_s) + " + " +
                          FormatSeconds(here.kv_s) + ") = " + FormatSeconds(here.step_s)});

  // Cost per token against batch: each curve divided by B.
  const double floor_cost = c_compute.back() + c_kv.back();
  const double here_cost = here.usd_per_token * 1e6;
  const double cy_max = NiceCeil(std::max({floor_cost * 6, here_cost * 1.4, 1e-9}));
  PlotFrame rp(right, Axis{0, x_max, false, "batch (sequences)", Unit::kNone},
               Axis{0, cy_max, false, "cost per million output tokens", Unit::kUsd}, th);
  rp.DrawAxes(s, "Cost per token");
  if (overflow_shown) rp.ShadeX(s, std::max(r.max_batch, 0.0), x_max, no_fit);
  rp.Curve(s, xs, c_compute, th.compute, th.line_width, "compute (flat)");
  rp.Curve(s, xs, c_weights, th.weights, th.line_width, "weight fetch ~ 1/B", 8);
  rp.Curve(s, xs, c_kv, th.kv, th.line_width, "KV fetch (flat)");
  rp.Curve(s, xs, c_step, th.ink, th.bold_line_width, "cost per token");
  rp.VLine(s, bstar, th.accent, "critical batch " + Fmt("%.0f", bstar));
  if (overflow_shown && r.max_batch >= 1) rp.VLine(s, r.max_batch, th.ink, fits_label, 0);
  // Fast and slow mode (lecture §1.11e): a smaller batch buys speed (here the 2.5x of Opus fast mode)
  // at a higher cost per token; slow mode (a huge batch) only approaches the floor that batching
  // cannot amortise (compute + KV).
  const double fast_batch = BatchForSpeedup(m, batch, 2.5);
  if (fast_batch >= 1) {
    const double fast_cost = m.Decode(fast_batch).usd_per_token * 1e6;
    rp.Marker(s, fast_batch, fast_cost, th.memory_bw, 7, "fast 2.5x: " + Fmt("%.1fx", fast_cost / here_cost) + " price");
  }
  const double slow_floor = UnamortisedFloorUsdPerToken(m) * 1e6;
  rp.Marker(s, x_max * 0.97, c_step.back(), th.kv, 6, "slow mode -> floor " + FormatUsd(slow_floor));
  s.hovers.push_back({{{right.min.x, right.max.y - 120}, {right.max.x, right.max.y}},
                      "Fast and slow mode",
                      "fast: the batch for 2.5x speed, B = " + Fmt("%.0f", fast_batch) + "; slow: cost never below compute + KV = " +
                          FormatUsd(slow_floor) + " per M tokens"});
  rp.Marker(s, batch, here_cost, th.accent, 8, FormatUsd(here_cost) + " / M tok");
  rp.Legend(s, true);
  if (overflow_shown) rp.RangeLabel(s, r.max_batch, x_max, "does not fit in HBM", th.accent);
  // B = 1 is the slide's point: one sequence pays the whole weight fetch. Its cost is named at the top
  // left where the curve leaves the plot.
  rp.Marker(s, 1, std::min(c_step.front(), cy_max * 0.999), th.ink, 5,
            "B = 1: " + FormatUsd(c_step.front()) + " / M tok" + (c_step.front() > cy_max ? " (off scale)" : ""));
  s.hovers.push_back({rp.plot_box(), "Cost per token",
                      "$/token = t(B) x chips x $/chip-s / B = " + FormatSeconds(here.step_s) + " x " +
                          Fmt("%.0f", chips) + " x $" + Fmt("%.2f", sc.UsdPerChipHour()) + "/h / " +
                          Fmt("%.0f", batch) + " = " + FormatUsd(here_cost) + " per M tokens"});
  s.hovers.push_back({{{right.min.x, right.min.y}, {right.max.x, right.min.y + 40}},
                      "Critical batch",
                      "B* = (FLOP/s / BW) x (q/2) x (N_total/N_active) ≈ " + Fmt("%.0f", bstar)});

  // Readout and memory bar.
  const float ry = plots_bottom + 18;
  const std::string readout = "step " + FormatSeconds(here.step_s) + " (" + BoundName(here.bound) +
                              "-bound)   ·   " + FormatCount(r.tokens_per_s) + " tok/s   ·   " +
                              FormatCount(r.tokens_per_s_per_chip) + " tok/s/chip   ·   MFU " +
                              Fmt("%.1f %%", 100 * r.mfu_decode) + "   ·   " + FormatUsd(r.usd_per_mtok_output) +
                              " / M output tokens";
  s.Text({40, ry}, readout, th.label_size, th.ink, FontFace::kMono, HAlign::kLeft, VAlign::kTop, "readout");
  DrawMemoryBar(s, th, {{40, ry + th.label_size * 1.7f}, {W - 40, H - 20}}, r);
  return s;
}

BLACKBOARD_REGISTER_BOARD(Batch, BoardInfo{
    "batch",
    "Batch size against latency and cost",
    "step time and cost per token against batch: compute, weight fetch, KV fetch; critical batch",
    {{"serving.batch", "batch", 1, 16384, true, true, {}, {}},
     {"serving.context", "context", 128, 1048576, true, true, {}, {}},
     {"serving.tp", "chips in the domain (TP)", 1, 72, false, true, {}, {}},
     {"serving.weight_bytes", "bytes per weight", 0.5, 2, false, false, {}, {}},
     HardwareControl(),
     ModelControl()},
    &BuildBatch,
    0,
    "serving.batch"});

}  // namespace
}  // namespace blackboard
