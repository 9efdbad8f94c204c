// Board "roofline": attainable FLOP/s against arithmetic intensity, log-log (Scaling Book
// roofline.md; lecture.md §4.1). The chosen hardware's roof and ridge in bold, the other presets'
// roofs faint; a decode point (intensity ~ batch) and a prefill point (~ prompt tokens), each with
// its bound and time. Both points are draggable on screen (they edit serving.batch and
// serving.prompt_tokens).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "../board.hpp"
#include "../layout_check.hpp"
#include "../plot.hpp"
#include "blackboard/assets.hpp"
#include "blackboard/model.hpp"
#include "blackboard/report.hpp"
#include "blackboard/serving.hpp"
#include "../text_format.hpp"

namespace blackboard {
namespace {

// Intensity (FLOPs per HBM byte) of a decode step of `batch` sequences: matmul FLOPs over weight
// bytes plus KV bytes read (lecture.md §1.2: the two model costs).
double DecodeIntensity(const ServingModel& m, double batch) {
  const double b = batch / m.stages;
  return b * m.matmul_flops_per_token / (m.weight_bytes_total + b * m.context * m.kv_bytes_per_token);
}

// Prefill of `tokens` prompt tokens reads the weights once (KV written, not read: ignored).
double PrefillIntensity(const ServingModel& m, double tokens) {
  return tokens * m.matmul_flops_per_token / m.weight_bytes_total;
}

const std::vector<Hardware>& AllHardware() {
  static const std::vector<Hardware> all = [] {
    std::vector<Hardware> v;
    for (const auto& n : ListAssets("hardware")) v.push_back(LoadHardwarePreset(n, "roofline", "hardware"));
    return v;
  }();
  return all;
}

Scene BuildRoofline(const BoardContext& ctx) {
  const Scenario& sc = ctx.scenario;
  const Theme& th = ctx.theme;
  Scene s(ctx.width, ctx.height);
  s.background = th.background;
  s.board_texture = th.board_texture;
  const ServingModel m = MakeServingModel(sc);
  const double peak = PeakFlops(sc.hardware, sc.serving.math);
  const double bw = sc.hardware.hbm_bytes_per_s;
  const double ridge = peak / bw;
  // The roofs are always the peaks; the panel's times and MFUs come from the serving engine.
  const std::string efficiency = EfficiencyShortLabel(sc.efficiency);
  DrawBoardTitle(s, th, "The roofline: compute or memory bound?",
                 sc.hardware.name + ": " + FormatFlops(peak) + " " + sc.serving.math + ", HBM " +
                     FormatBytes(bw) + "/s  ·  ridge at " + Fmt("%.0f", ridge) + " FLOP/byte  ·  " +
                     sc.model.name + "  ·  " +
                     (efficiency == "pure roofline" ? efficiency : "roofs at peak, times " + efficiency));

  const double decode_i = DecodeIntensity(m, sc.serving.batch);
  const double prefill_i = PrefillIntensity(m, sc.serving.prompt_tokens);
  const double x_lo = 0.1, x_hi = 1e5;
  double y_hi = peak;
  for (const Hardware& h : AllHardware()) y_hi = std::max(y_hi, PeakFlops(h, sc.serving.math));
  y_hi = std::pow(10.0, std::ceil(std::log10(y_hi * 1.5)));
  const double y_lo = y_hi / 1e6;
  const Box area{{30, 120}, {ctx.width * 0.68f, ctx.height - 40}};
  PlotFrame p(area, Axis{x_lo, x_hi, true, "arithmetic intensity (FLOPs per HBM byte)", Unit::kNone},
              Axis{y_lo, y_hi, true, "attainable FLOP/s per chip", Unit::kFlopsPerSecond}, th);
  p.DrawAxes(s);

  auto roof = [&](const Hardware& h, std::vector<double>& xs, std::vector<double>& ys) {
    const double pk = PeakFlops(h, sc.serving.math), r = pk / h.hbm_bytes_per_s;
    xs = {x_lo, r, x_hi};
    ys = {x_lo * h.hbm_bytes_per_s, pk, pk};
  };
  std::vector<double> xs, ys;
  // The other presets' roofs, faint, each named at its ridge. Chips with the same ridge share one
  // label; a label that would overlap one already placed (higher roofs first) is left out, so the
  // names that show are readable.
  struct RidgeLabel {
    Vec2 at;
    std::string names;
  };
  std::vector<RidgeLabel> labels;
  for (const Hardware& h : AllHardware()) {
    if (h.name == sc.hardware.name) continue;
    roof(h, xs, ys);
    p.Curve(s, xs, ys, th.ink_dim.WithAlpha(0.35f), 1.5f);
    const Vec2 at = p.Map(xs[1], ys[1]);
    auto same = std::find_if(labels.begin(), labels.end(), [&](const RidgeLabel& l) {
      return std::fabs(l.at.x - at.x) < 1 && std::fabs(l.at.y - at.y) < 1;
    });
    if (same != labels.end())
      same->names += ", " + h.name;
    else
      labels.push_back({at, h.name});
  }
  std::sort(labels.begin(), labels.end(), [](const RidgeLabel& a, const RidgeLabel& b) { return a.at.y < b.at.y; });
  roof(sc.hardware, xs, ys);
  p.Curve(s, xs, ys, th.ink, th.bold_line_width, sc.hardware.name + " roof");
  p.VLine(s, ridge, th.accent, "ridge " + Fmt("%.0f", ridge) + " FLOP/B");

  auto point = [&](double intensity, Color c, const std::string& name, const std::string& id, double vmin,
                   double vmax) {
    const double attained = std::min(peak, intensity * bw);
    const bool compute_bound = intensity >= ridge;
    // Short, so that it finds a place clear of the ridge line; the intensity is in the side panel.
    p.Marker(s, intensity, attained, c, 11, name + ": " + (compute_bound ? "compute" : "memory") + "-bound");
    DragHandle hnd;
    hnd.pos = p.Map(intensity, attained);
    hnd.id = id;
    hnd.track = p.plot_box();
    hnd.decades_across_track = std::log10(x_hi / x_lo);
    hnd.value_min = vmin;
    hnd.value_max = vmax;
    s.handles.push_back(hnd);
  };
  point(decode_i, th.memory_bw, "decode B=" + Fmt("%.0f", sc.serving.batch), "serving.batch", 1, 16384);
  point(prefill_i, th.compute, "prefill " + FormatCount(sc.serving.prompt_tokens) + " tok", "serving.prompt_tokens",
        1, 1048576);
  // Each name at the first place by its ridge where no roof, marker or text is under it (above
  // right, below right, above left, below left); left out when there is none. Placed after the
  // roofs and the points, so they see everything.
  const float label_size = th.Size(th.tick_size * 0.85f);
  for (const RidgeLabel& l : labels) {
    const float w = MeasureTextWidth(l.names, label_size, FontFace::kUi);
    const Box candidates[] = {{{l.at.x + 4, l.at.y - 3 - label_size}, {l.at.x + 4 + w, l.at.y - 3}},
                              {{l.at.x + 4, l.at.y + 3}, {l.at.x + 4 + w, l.at.y + 3 + label_size}},
                              {{l.at.x - 4 - w, l.at.y - 3 - label_size}, {l.at.x - 4, l.at.y - 3}},
                              {{l.at.x - 4 - w, l.at.y + 3}, {l.at.x - 4, l.at.y + 3 + label_size}}};
    for (const Box& b : candidates) {
      const Box& pb = p.plot_box();
      const float ridge_x = p.Map(ridge, 1).x;  // the ridge line is dashed, not a curve: kept clear by hand
      if (b.min.x < pb.min.x || b.max.x > pb.max.x || b.min.y < pb.min.y || b.max.y > pb.max.y || !BoxIsFree(s, b) ||
          (b.min.x - 3 < ridge_x && b.max.x + 3 > ridge_x))
        continue;
      s.Rect({{b.min.x - 2, b.min.y}, {b.max.x + 2, b.max.y}}, th.background.WithAlpha(0.85f), {}, 0, 2,
             "roof-label-backing");
      s.Text({b.min.x, b.max.y}, l.names, label_size, th.ink_dim, FontFace::kUi, HAlign::kLeft, VAlign::kBottom,
             "roof-label");
      break;
    }
  }
  p.Legend(s, true);

  // Side panel: the numbers.
  const ServingReport r = EvaluateServing(sc);
  const float x0 = ctx.width * 0.71f;
  float y = 150;
  auto line = [&](const std::string& t, Color c, float size, FontFace f = FontFace::kUi) {
    s.Text({x0, y}, t, size, c, f, HAlign::kLeft, VAlign::kTop, "panel");
    y += size * 1.5f;
  };
  line("Decode step", th.memory_bw, th.heading_size, th.TitleFace());
  line("batch " + Fmt("%.0f", sc.serving.batch) + ", context " + FormatCount(sc.serving.context), th.ink_dim,
       th.note_size);
  line("intensity  " + Fmt("%.1f", decode_i) + " FLOP/B", th.ink, th.label_size, FontFace::kMono);
  line("time       " + FormatSeconds(r.decode.step_s), th.ink, th.label_size, FontFace::kMono);
  line("bound      " + std::string(BoundName(r.decode.bound)), th.ink, th.label_size, FontFace::kMono);
  line("MFU        " + Fmt("%.1f %%", 100 * r.mfu_decode), th.ink, th.label_size, FontFace::kMono);
  y += 20;
  line("Prefill", th.compute, th.heading_size, th.TitleFace());
  line(FormatCount(sc.serving.prompt_tokens) + " prompt tokens, one request", th.ink_dim, th.note_size);
  line("intensity  " + Fmt("%.0f", prefill_i) + " FLOP/B", th.ink, th.label_size, FontFace::kMono);
  line("time       " + FormatSeconds(r.prefill_s), th.ink, th.label_size, FontFace::kMono);
  line("MFU        " + Fmt("%.1f %%", 100 * r.mfu_prefill), th.ink, th.label_size, FontFace::kMono);
  y += 20;
  // The captions from the numbers: FLOPs per weight byte r = 2·N_matmul / (N_total·q) (1 at bf16
  // for a dense model); decode divides by 1 + KV bytes / weight bytes (lecture §1.2, §4.1).
  const double per_weight_byte = m.matmul_flops_per_token / m.weight_bytes_total;
  const double b_stage = sc.serving.batch / m.stages;
  const double kv_over_weights = b_stage * m.context * m.kv_bytes_per_token / m.weight_bytes_total;
  line("r = FLOPs per weight byte = 2·N_act / (N_total·q) = " + Fmt("%.3g", per_weight_byte), th.ink_dim,
       th.note_size);
  line("decode: B·r / (1 + KV/weights) = " + Fmt("%.0f", b_stage) + " x " + Fmt("%.3g", per_weight_byte) + " / " +
           Fmt("%.3g", 1 + kv_over_weights) + " = " + Fmt("%.1f", decode_i),
       th.ink_dim, th.note_size);
  line("prefill: tokens·r = " + FormatCount(sc.serving.prompt_tokens) + " x " + Fmt("%.3g", per_weight_byte) +
           " = " + Fmt("%.0f", prefill_i),
       th.ink_dim, th.note_size);
  line("Below the ridge: memory-bound.", th.ink_dim, th.note_size);
  s.hovers.push_back({p.plot_box(), "Roofline",
                      "attainable = min(peak, intensity x BW) = min(" + FormatFlops(peak) + ", I x " +
                          FormatBytes(bw) + "/s); ridge = peak / BW = " + Fmt("%.0f", ridge)});
  return s;
}

BLACKBOARD_REGISTER_BOARD(Roofline, BoardInfo{
    "roofline",
    "The roofline",
    "FLOP/s against arithmetic intensity (log-log) with decode and prefill points",
    {{"serving.batch", "decode batch", 1, 16384, true, true, {}, {}},
     {"serving.prompt_tokens", "prompt tokens", 1, 1048576, true, true, {}, {}},
     {"serving.context", "context", 128, 1048576, true, true, {}, {}},
     HardwareControl(),
     ModelControl()},
    &BuildRoofline,
    0,
    "serving.batch"});

}  // namespace
}  // namespace blackboard
