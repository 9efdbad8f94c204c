// Board "pipeline-serving": decode across racks (lecture.md §1.9; boards list item 7). Racks down,
// time across: the batch split into P micro-batches that follow each other through the racks and,
// after the last rack, hop back to rack 1 for their next token, so no rack waits (no bubble). The
// hop between racks is drawn as an arrow. Beside it the memory per chip (weights / KV against HBM),
// the readout (per-token latency = the model's time + P hops; weights per chip falling with P, KV
// not) and the lecture's rule for when the rack-to-rack hop is not a bottleneck. Under it, the same
// figures against P with the micro-batch b held fixed (B = P·b), as the lecture draws them.
//
// Index: loop chart | memory bar | against P | Build (readout, hop rule).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "../board.hpp"
#include "../plot.hpp"
#include "blackboard/report.hpp"
#include "pipeline_common.hpp"
#include "scene/contrast.hpp"

namespace blackboard {
namespace {

constexpr int kTokens = 3;     // decode steps drawn
constexpr int kMaxP = 16;      // the P axis of the plots below

std::string Fmt(const char* f, double v) {
  char buf[96];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

// ---------------------------------------------------------------- loop chart

void DrawLoop(Scene& s, const Theme& th, const DecodePipeline& dp, Box chart, float label_x, double cursor_s) {
  const int P = dp.stages;
  const double t_max = dp.loop.makespan_s > 0 ? dp.loop.makespan_s : 1;
  auto px = [&](double t) { return chart.min.x + static_cast<float>(t / t_max) * chart.Width(); };
  const float lane_h = chart.Height() / static_cast<float>(P);
  const float inset = std::min(4.0f, lane_h * 0.14f);
  const float cursor_x = px(cursor_s);
  const float label_size = th.Size(std::max(12.0f, std::min(th.label_size, lane_h * 0.6f)));
  const int label_every = std::max(1, static_cast<int>(std::ceil(label_size * 1.1f / lane_h)));
  for (int k = 0; k < P; ++k) {
    const float y0 = chart.min.y + static_cast<float>(k) * lane_h;
    if (k > 0) s.Line({chart.min.x, y0}, {chart.max.x, y0}, th.grid, 1);
    if (k % label_every == 0)
      s.Text({label_x, y0 + lane_h / 2}, (lane_h >= label_size * 1.3f ? "rack " : "") + std::to_string(k + 1),
             label_size, th.ink, FontFace::kUi, HAlign::kLeft, VAlign::kMiddle, "rack-label");
  }
  // Blocks: one per (token, micro-batch, rack); micro-batches told apart by shade and number.
  const float text = std::max(12.0f, std::min(th.tick_size, lane_h * 0.45f));
  for (const PipelineEvent& e : dp.loop.events) {
    const float y0 = chart.min.y + static_cast<float>(e.stage) * lane_h + inset;
    const float y1 = y0 + lane_h - 2 * inset;
    const Box b{{px(e.start_s), y0}, {std::max(px(e.end_s) - 1.0f, px(e.start_s) + 1.0f), y1}};
    const Color c = th.forward.Mix(th.ink, 0.5f * static_cast<float>(e.micro_batch % 4) / 4.0f);
    const bool done = cursor_x >= b.max.x;
    DrawSplitRect(s, b, c, cursor_x, "block", 2);
    const std::string label = "mb " + std::to_string(e.micro_batch + 1);
    const std::string sub = "token " + std::to_string(e.chunk + 1);
    const float cx = (b.min.x + b.max.x) / 2, cy = (y0 + y1) / 2;
    // Dark or light ink, whichever reads on the block (solid once run, faint before): 4.5:1 in a hall,
    // as pipeline-training's labels.
    const bool solid = done || cursor_x >= cx;
    const Color ink = solid ? ReadableOn(c, th.background, th.background, th.ink)
                            : ReadableOn(c.WithAlpha(0.3f), th.background, th.ink_dim, th.ink);
    if (b.Width() > MeasureTextWidth(sub, text, FontFace::kUi) + 6 && y1 - y0 > text * 2.4f) {
      s.Text({cx, cy - 1}, label, text, ink, FontFace::kUi, HAlign::kCenter, VAlign::kBottom, "block-label");
      s.Text({cx, cy + 1}, sub, text * 0.85f < 12 ? 12 : text * 0.85f, ink, FontFace::kUi, HAlign::kCenter,
             VAlign::kTop, "block-label");
    } else if (b.Width() > MeasureTextWidth(std::to_string(e.micro_batch + 1), text, FontFace::kMono) + 4) {
      s.Text({cx, cy}, std::to_string(e.micro_batch + 1), text, ink, FontFace::kMono, HAlign::kCenter,
             VAlign::kMiddle, "block-label");
    }
  }
  // Token labels over the first rack: where each decode step starts.
  for (const PipelineEvent& e : dp.loop.events)
    if (e.stage == 0 && e.micro_batch == 0)
      s.Text({px(e.start_s), chart.min.y - 4}, "token " + std::to_string(e.chunk + 1), th.note_size, th.ink_dim,
             FontFace::kUi, HAlign::kLeft, VAlign::kBottom, "token-label");
  // Hops: the first token of micro-batch 1 rack to rack, and its wrap from the last rack to rack 1.
  if (P > 1) {
    const auto& ev = dp.loop.events;
    auto find = [&](int mb, int tok, int stage) -> const PipelineEvent* {
      for (const PipelineEvent& e : ev)
        if (e.micro_batch == mb && e.chunk == tok && e.stage == stage) return &e;
      return nullptr;
    };
    const int tokens = dp.loop_spec.tokens;
    for (int tok = 0; tok < tokens; ++tok)
      for (int k = 0; k < P; ++k) {
        const PipelineEvent* a = find(0, tok, k);
        const PipelineEvent* b = k + 1 < P ? find(0, tok, k + 1) : find(0, tok + 1, 0);
        if (!a || !b) continue;
        const float ya = chart.min.y + (static_cast<float>(a->stage) + 0.5f) * lane_h;
        const float yb = chart.min.y + (static_cast<float>(b->stage) + 0.5f) * lane_h;
        const bool wrap = k + 1 == P;
        const Vec2 from{px(a->end_s) - 2, ya + (wrap ? -lane_h * 0.3f : lane_h * 0.3f)};
        const Vec2 to{px(b->start_s) + 2, yb + (wrap ? lane_h * 0.3f : -lane_h * 0.3f)};
        s.Arrow(from, to, th.network.WithAlpha(cursor_x >= to.x ? 1.0f : 0.45f), wrap ? 2.5f : 2, 9, wrap ? "wrap" : "hop");
      }
  }
  DrawTimeAxis(s, th, chart, t_max, "time over " + std::to_string(dp.loop_spec.tokens) + " decode steps");
  // Cursor.
  s.Line({cursor_x, chart.min.y - 4}, {cursor_x, chart.max.y}, th.accent, 2, 0, "cursor");
  s.Circle({cursor_x, chart.min.y - 4}, 4, th.accent, {}, 0, "cursor");
  s.hovers.push_back({chart, "Decode looping across racks",
                      "The batch of " + Fmt("%.0f", dp.micro_batch * P) + " is split into P = " + std::to_string(P) +
                          " micro-batches of b = " + Fmt("%.4g", dp.micro_batch) +
                          ". Each rack runs its 1/P of the layers for one micro-batch in " +
                          FormatSeconds(dp.loop_spec.stage_s) + ", then hands it on (hop " +
                          FormatSeconds(dp.loop_spec.hop_s) +
                          "); after the last rack it wraps to rack 1 for its next token. No rack waits: no "
                          "bubble. Token latency = P x (stage + hop) = " + FormatSeconds(dp.loop.token_latency_s)});
}

// ---------------------------------------------------------------- memory bar

void DrawMemoryBar(Scene& s, const Theme& th, const Scenario& sc, const DecodePipeline& dp, Box area) {
  const double hbm = sc.hardware.hbm_bytes;
  const double total = dp.memory.total_bytes;
  const double top = std::max(hbm, total) * 1.05;
  const float bar_w = th.label_size * 3.2f;
  const float x0 = area.min.x, x1 = x0 + bar_w;
  const float y_top = area.min.y + th.heading_size * 1.6f, y_bot = area.max.y;
  auto py = [&](double b) { return y_bot - static_cast<float>(b / top) * (y_bot - y_top); };
  s.Text({area.min.x, area.min.y}, "memory per chip", th.heading_size, th.ink, th.TitleFace(), HAlign::kLeft,
         VAlign::kTop, "heading");
  s.Rect({{x0, py(hbm)}, {x1, y_bot}}, th.panel, th.ink_dim, 1.5f, 0, "hbm");
  s.Rect({{x0, py(dp.memory.weights_bytes)}, {x1, y_bot}}, th.weights.WithAlpha(0.9f), {}, 0, 0, "weights");
  s.Rect({{x0, py(total)}, {x1, py(dp.memory.weights_bytes)}}, th.kv.WithAlpha(0.9f), {}, 0, 0, "kv");
  s.Line({x0 - 6, py(hbm)}, {x1 + 6, py(hbm)}, th.ink, 3, 0, "hbm-capacity");
  const float tx = x1 + th.note_size * 0.7f;
  s.Text({tx, py(hbm)}, "HBM " + FormatBytes(hbm), th.note_size, th.ink, FontFace::kUi, HAlign::kLeft, VAlign::kMiddle,
         "hbm-label");
  // Labels beside their segments, kept apart and below the HBM label.
  const float min_gap = th.note_size * 1.3f;
  float yw = (py(dp.memory.weights_bytes) + y_bot) / 2;
  float yk = std::max(std::min((py(total) + py(dp.memory.weights_bytes)) / 2, yw - min_gap), py(hbm) + min_gap);
  yw = std::max(yw, yk + min_gap);
  s.Text({tx, yw}, "weights " + FormatBytes(dp.memory.weights_bytes) + "  ÷P", th.note_size, th.weights,
         FontFace::kUi, HAlign::kLeft, VAlign::kMiddle, "weights-label");
  // Per chip the KV is b·ctx·bytes_tok/E: it falls with P only because b = B/P does (lecture §1.9).
  s.Text({tx, yk}, "KV " + FormatBytes(dp.memory.kv_bytes) + "  b·ctx/E", th.note_size, th.kv, FontFace::kUi,
         HAlign::kLeft, VAlign::kMiddle, "kv-label");
  if (total > hbm)
    s.Text({x0, y_top - th.note_size * 0.3f}, "does not fit", th.note_size, th.accent, FontFace::kUi, HAlign::kLeft,
           VAlign::kBottom, "overflow");
  s.hovers.push_back({{{x0, y_top}, {area.max.x, y_bot}},
                      "Memory per chip (lecture §1.9)",
                      "c_mem = N_total·bytes/(E·P) + b·ctx·bytes_tok/E with E = " +
                          Fmt("%.0f", dp.model.chips_per_stage) + " chips per rack, P = " + std::to_string(dp.stages) +
                          ", b = " + Fmt("%.4g", dp.micro_batch) + ": " + FormatBytes(dp.memory.weights_bytes) + " + " +
                          FormatBytes(dp.memory.kv_bytes) + " = " + FormatBytes(total) +
                          ". Each rack holds 1/P of the layers' KV, but P times as many sequences are in flight."});
}

// ---------------------------------------------------------------- against P

void DrawAgainstP(Scene& s, const Theme& th, const DecodePipeline& dp, Box left, Box right) {
  std::vector<double> ps, latency, core, weights, kv;
  const double b = dp.micro_batch;
  for (int P = 1; P <= kMaxP; ++P) {
    ServingModel m = dp.model;
    m.stages = P;
    const DecodeStep d = m.Decode(P * b);
    const DecodeMemory mem = DecodeMemoryPerChip(m.weight_bytes_total, m.chips_per_stage, P, b, m.context,
                                                 m.kv_bytes_per_token);
    ps.push_back(P);
    latency.push_back(d.step_s);
    core.push_back(d.step_s - d.hops_s);
    weights.push_back(mem.weights_bytes);
    kv.push_back(mem.kv_bytes);
  }
  Theme small = th;
  small.tick_size = th.Size(std::max(13.0f, th.tick_size * 0.85f));
  small.label_size = th.Size(std::max(14.0f, th.label_size * 0.8f));
  small.note_size = th.note_size;  // legends and notes at the board's note size (read in a hall)
  const double lat_max = *std::max_element(latency.begin(), latency.end()) * 1.6;
  PlotFrame lp(left, Axis{1, kMaxP, false, "racks P (b fixed)", Unit::kNone},
               Axis{0, lat_max, false, "per-token latency", Unit::kSeconds}, small);
  lp.DrawAxes(s);
  lp.Curve(s, ps, latency, th.ink, th.line_width, "latency = model + P hops");
  lp.Curve(s, ps, core, th.compute, th.line_width, "model time (no hops)", 6);
  lp.Marker(s, dp.stages, dp.step.step_s, th.accent, 6);
  lp.Legend(s);
  const double mem_max = std::max(weights.front() + kv.front(), 1.0) * 1.25;
  PlotFrame rp(right, Axis{1, kMaxP, false, "racks P (b fixed)", Unit::kNone},
               Axis{0, mem_max, false, "memory per chip", Unit::kBytes}, small);
  rp.DrawAxes(s);
  rp.Curve(s, ps, weights, th.weights, th.line_width, "weights  N/(E·P)");
  rp.Curve(s, ps, kv, th.kv, th.line_width, "KV  b·ctx·bytes/E", 6);
  rp.Marker(s, dp.stages, dp.memory.weights_bytes, th.accent, 6);
  rp.Legend(s, true);
  s.hovers.push_back({lp.plot_box(), "Latency against P",
                      "Holding the micro-batch b = " + Fmt("%.4g", b) +
                          " (so B = P·b), a token still passes every layer once: the model's time stays, and each "
                          "extra rack adds one hop. Pipelining neither helps nor hurts latency (lecture §1.9)."});
  s.hovers.push_back({rp.plot_box(), "Memory against P",
                      "Weights per chip fall as 1/P; the KV per chip stays b·ctx·bytes_tok/E: each rack holds "
                      "1/P of the layers but P times the sequences. \"It totally helps with model size; "
                      "doesn't help with context length.\""});
}

// ---------------------------------------------------------------- Build

Scene BuildPipelineServing(const BoardContext& ctx) {
  const Scenario& sc = ctx.scenario;
  const Theme& th = ctx.theme;
  Scene s(ctx.width, ctx.height);
  s.background = th.background;
  s.board_texture = th.board_texture;
  const float W = ctx.width, H = ctx.height;
  const DecodePipeline dp = MakeDecodePipeline(sc, kTokens);
  const int P = dp.stages;
  DrawBoardTitle(s, th, "Decode across racks: the batch loops through the pipeline",
                 sc.model.name + " on P = " + std::to_string(P) + (P == 1 ? " rack" : " racks") + " x " +
                     Fmt("%.0f", dp.model.chips_per_stage) + " " + sc.hardware.name + "  ·  batch " +
                     std::to_string(sc.serving.batch) + " = P x b = " + std::to_string(P) + " x " +
                     Fmt("%.4g", dp.micro_batch) + "  ·  context " + FormatCount(sc.serving.context) +
                     "  ·  hop " + FormatSeconds(dp.model.hop_latency_s) + "  ·  " +
                     EfficiencyShortLabel(sc.efficiency));

  const float left = 40, label_w = th.label_size * 4.8f;
  const float top = 24 + th.title_size * 1.25f + th.note_size * 2.1f + th.note_size * 1.6f;
  const float right_x = W * 0.69f;
  const Box chart{{left + label_w, top}, {right_x - 40, H * 0.53f}};
  if (P == 1)
    s.Text({left, top - 4 - th.note_size * 1.3f}, "serving.pp = 1: one rack, no hops. Add racks (cluster.racks) and raise P (serving.pp)",
           th.note_size, th.accent, FontFace::kUi, HAlign::kLeft, VAlign::kBottom, "note");
  else
    s.Text({left, top - 4}, "racks", th.note_size, th.ink_dim, FontFace::kUi, HAlign::kLeft, VAlign::kBottom,
           "axis-label");
  const double cursor_s = LoopCursorSeconds(ctx.time_s, dp.loop.makespan_s);
  DrawLoop(s, th, dp, chart, left, cursor_s);

  const float plots_top = chart.max.y + th.tick_size * 1.6f + th.label_size * 2.8f;
  const float mid = (left + right_x - 40) / 2;
  DrawAgainstP(s, th, dp, {{left - 10, plots_top}, {mid - 10, H - 20}}, {{mid + 10, plots_top}, {right_x - 40, H - 20}});

  DrawMemoryBar(s, th, sc, dp, {{right_x, top - th.heading_size * 1.2f}, {W - 40, H * 0.53f}});

  // Readout: latency, memory, the hop rule.
  const double L_stage = static_cast<double>(sc.model.layers) / P;
  const double k = std::max(1.0, dp.model.experts_active);
  const double bw_out = sc.hardware.scaleout_bytes_per_s, bw_up = sc.hardware.scaleup_bytes_per_s;
  const double ratio = RackHopRatio(k, L_stage, bw_out, bw_up);
  const float fs = th.note_size, row = fs * 1.55f;
  float y = plots_top - th.label_size * 0.5f;
  auto line = [&](const std::string& t, Color c, FontFace f = FontFace::kUi) {
    s.Text({right_x, y}, t, fs, c, f, HAlign::kLeft, VAlign::kTop, "readout");
    y += row;
  };
  s.Text({right_x, y}, "per token", th.heading_size, th.ink, th.TitleFace(), HAlign::kLeft, VAlign::kTop, "heading");
  y += th.heading_size * 1.5f;
  if (P > 1)
    line("latency " + FormatSeconds(dp.loop.token_latency_s) + " = model " +
             FormatSeconds(dp.step.step_s - dp.step.hops_s) + " + " + std::to_string(P) + " hops x " +
             FormatSeconds(dp.loop_spec.hop_s),
         th.ink);
  else
    line("latency " + FormatSeconds(dp.loop.token_latency_s) + " (one rack: no hop)", th.ink);
  line("each rack: " + FormatSeconds(dp.loop_spec.stage_s) + " per micro-batch, busy " +
           Fmt("%.1f %%", 100 * dp.loop.stage_utilization),
       th.ink_dim);
  line("weights / chip " + FormatBytes(dp.memory.weights_bytes) + " (falls with P)", th.weights);
  line("KV / chip " + FormatBytes(dp.memory.kv_bytes) + " (at fixed b, does not)", th.kv);
  y += fs * 0.4f;
  s.Text({right_x, y}, "is the hop a bottleneck?", th.heading_size, th.ink, th.TitleFace(), HAlign::kLeft,
         VAlign::kTop, "heading");
  y += th.heading_size * 1.5f;
  const float rule_y = y;
  line("2·k·L_stage·BW_out/BW_up >= 1", th.ink, FontFace::kMono);
  line("2 x " + Fmt("%.0f", k) + " x " + Fmt("%.3g", L_stage) + " x " + FormatBytes(bw_out) + "/s / " +
           FormatBytes(bw_up) + "/s",
       th.ink_dim, FontFace::kMono);
  line("= " + Fmt("%.3g", ratio) + (ratio >= 1 ? " >= 1: scale-out keeps up" : " < 1: scale-out is the bottleneck"),
       ratio >= 1 ? th.network : th.accent, FontFace::kMono);
  if (dp.model.experts_active < 1) line("(dense model: k = 1)", th.ink_dim);
  s.hovers.push_back({{{right_x, rule_y}, {W - 20, y}},
                      "When the rack-to-rack hop is not a bottleneck (lecture §1.9)",
                      "t_scaleup / t_scaleout = (BW_out/BW_up) x k x L_stage x 2: scale-out carries one activation "
                      "per token; scale-up carries k copies per token, both directions (dispatch and combine), on "
                      "every layer of the stage. Want >= 1; k alone can be 8, so one rack per layer or a few."});
  return s;
}

// The worked example for one rack: P = kExampleStages racks.
constexpr int kExampleStages = 4;

BoardInfo PipelineServingBoard() {
  BoardInfo b{
    "pipeline-serving",
    "Decode across racks: pipelining for serving",
    "decode looping across racks with no bubble: per-token latency grows only by the hops, weight memory "
    "per chip falls with P",
    {{"cluster.racks", "racks in the cluster", 1, 16, false, true, {}, {}},
     {"serving.pp", "pipeline stages P", 1, 16, false, true, {}, {}},
     {"serving.batch", "batch", 1, 16384, true, true, {}, {}},
     {"serving.context", "context", 128, 1048576, true, true, {}, {}},
     {"serving.hop_latency_s", "hop latency (s)", 1e-6, 1e-2, true, false, {}, {}}},
    &BuildPipelineServing,
    kPipelineLoopS,
    "serving.batch",
    /*morphs=*/false,
    /*training=*/false,
    /*still_time_s=*/kPipelineLoopS};  // the whole loop drawn
  b.degenerate_reason = [](const Scenario& s) -> std::optional<std::string> {
    if (s.serving.pp > 1) return std::nullopt;
    return "P = 1: one rack, nothing to pipeline";
  };
  b.worked_example = [](const Scenario& s) {
    Scenario ex = s;
    ex.serving.pp = kExampleStages;
    ex.cluster.racks = std::max(s.cluster.racks, kExampleStages);
    ex.training.dp = 0;  // the training plan follows the racks
    return ex;
  };
  b.worked_example_label = "P " + std::to_string(kExampleStages);
  return b;
}

BLACKBOARD_REGISTER_BOARD(PipelineServing, PipelineServingBoard());

}  // namespace
}  // namespace blackboard
