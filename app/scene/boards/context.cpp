// Board "context": cost per token against context length (lecture.md §1.11a).
// Left: log-log cost per million output tokens against context: compute per token (flat, plus the
// small attention slope), memory per token (weight floor / B plus the KV term growing with context),
// their max in bold, the kink where memory overtakes compute; a price sheet's two-tier output price
// drawn over it on a second y axis. Right: the solver that reads KV bytes per token back from the
// price kink (kink, N_active, FLOP/s : BW -> bytes/token, every step's number) and the attention
// layouts that give that many bytes.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

#include "../board.hpp"
#include "../plot.hpp"
#include "blackboard/model.hpp"
#include "blackboard/price_reading.hpp"
#include "blackboard/pricing.hpp"
#include "blackboard/report.hpp"
#include "blackboard/serving.hpp"
#include "../text_format.hpp"

namespace blackboard {
namespace {

// Dollars with three significant figures however small ("$0.000123").
std::string Usd3(double usd) {
  if (std::fabs(usd) >= 1e6) return Fmt("$%.0fM", usd / 1e6);
  if (std::fabs(usd) >= 1e4) return Fmt("$%.0fK", usd / 1e3);
  if (std::fabs(usd) >= 100) return Fmt("$%.0f", usd);
  return Fmt("$%.3g", usd);
}

// 200e3 -> "200K", 100e9 -> "100B" (a count, not bytes: no space before the suffix).
std::string Short(double v) {
  std::string t = FormatCount(v);
  t.erase(std::remove(t.begin(), t.end(), ' '), t.end());
  return t;
}

double DecadeFloor(double v) { return std::pow(10.0, std::floor(std::log10(v))); }
double DecadeCeil(double v) { return std::pow(10.0, std::ceil(std::log10(v))); }

// The sheet the board reads: the first with a long-context tier (a price kink), Gemini 3.1 Pro when present.
PriceSheet KinkedPriceSheet() {
  const std::vector<std::string> names = ListPriceSheets();
  if (std::find(names.begin(), names.end(), "gemini-3.1-pro") != names.end()) {
    PriceSheet p = LoadPriceSheet("gemini-3.1-pro");
    if (!p.long_context.empty()) return p;
  }
  for (const std::string& n : names) {
    PriceSheet p = LoadPriceSheet(n);
    if (!p.long_context.empty()) return p;
  }
  throw ScenarioError("assets/prices", "long_context", "[]", "no price sheet has a long-context tier");
}

Scene BuildContext(const BoardContext& ctx) {
  const Scenario& sc = ctx.scenario;
  const Theme& th = ctx.theme;
  Scene s(ctx.width, ctx.height);
  s.background = th.background;
  s.board_texture = th.board_texture;
  // The solver's panel first: a backdrop, behind the long notes under the plot.
  const float W = ctx.width, H = ctx.height;
  const float x0 = W * 0.695f, x1 = W - 24;
  const Box panel{{x0 - 16, 118}, {x1, H - 22}};
  s.Panel(panel, th.panel, 10, "solver", th.grid, 1);

  const ContextCostInputs in = ContextCostInputsFromScenario(sc);
  const ContextKink kink = ContextKinkOf(in);
  ContextCostInputs large_batch = in;  // the lecture's assumption: batch so large the weight fetch vanishes
  large_batch.batch = std::numeric_limits<double>::infinity();
  const ContextKink kink_large = ContextKinkOf(large_batch);
  const PriceSheet sheet = KinkedPriceSheet();
  const KinkReading lecture = LectureKinkReading(sheet);
  const KinkReading mine = ScenarioKinkReading(sheet, sc);
  const ServingModel m = MakeServingModel(sc);

  DrawBoardTitle(s, th, "Context length against cost per token",
                 sc.model.name + " on " + Fmt("%.0f", m.chips_per_stage) + " x " + sc.hardware.name +
                     " per stage  ·  batch " + Grouped(in.batch) + " per stage  ·  KV " +
                     FormatBytes(in.kv_bytes_per_token) + "/token  ·  " + sc.serving.math + " math");

  // ---- Left: the cost curve (log-log) --------------------------------------------------------
  const double usd_per_mtok_per_s = in.usd_per_s * 1e6;  // seconds per token -> $ per M tokens
  double x_lo = 100, x_hi = 1e7;
  x_lo = std::min(x_lo, DecadeFloor(std::max(1.0, sc.serving.context / 3.0)));
  x_hi = std::max(x_hi, DecadeCeil(sc.serving.context * 3.0));
  if (kink.kind == ContextKink::Kind::kAt || kink.kind == ContextKink::Kind::kComputeOvertakes) {
    x_lo = std::min(x_lo, DecadeFloor(std::max(1.0, kink.context_tokens / 3)));
    x_hi = std::max(x_hi, std::min(1e10, DecadeCeil(kink.context_tokens * 3)));
  }
  const int n = 200;
  const std::vector<ContextCostPoint> curve = ContextCostCurve(in, x_lo, x_hi, n);
  std::vector<double> xs, compute, weights, kvs, memory, total;
  for (const ContextCostPoint& p : curve) {
    xs.push_back(p.context_tokens);
    compute.push_back(p.compute_s_per_token * usd_per_mtok_per_s);
    weights.push_back(p.weights_s_per_token * usd_per_mtok_per_s);
    kvs.push_back(p.kv_s_per_token * usd_per_mtok_per_s);
    memory.push_back(p.memory_s_per_token * usd_per_mtok_per_s);
    total.push_back(p.usd_per_token * 1e6);
  }
  const double y_lo = DecadeFloor(std::min({compute.front(), weights.front(), PriceForPrompt(sheet, x_lo).output_usd_per_mtok}) / 5);
  const double y_hi = DecadeCeil(std::max({total.back(), compute.front(), PriceForPrompt(sheet, x_hi).output_usd_per_mtok}) * 2);

  const Box area{{30, 128}, {W * 0.615f, H - 78}};
  PlotFrame p(area, Axis{x_lo, x_hi, true, "context length (tokens)", Unit::kCount},
              Axis{y_lo, y_hi, true, "engine cost and list price per million output tokens", Unit::kUsd}, th);
  p.DrawAxes(s);
  const Box pb = p.plot_box();

  // The price sheet in the same unit as the engine's cost ($ per M output tokens), so on the same axis
  // and to scale: the margin between them is real, and the price step reads against KV crossing
  // compute.
  const LongContextPrice low = PriceForPrompt(sheet, x_lo);
  const LongContextPrice high = PriceForPrompt(sheet, lecture.kink_context_tokens * 1.01);
  std::vector<double> px, py;
  for (double x : xs) {
    const LongContextPrice pr = PriceForPrompt(sheet, x);
    if (!px.empty() && pr.output_usd_per_mtok != py.back()) {  // a vertical step at the threshold
      px.push_back(lecture.kink_context_tokens);
      py.push_back(py.back());
      px.push_back(lecture.kink_context_tokens);
    } else {
      px.push_back(x);
    }
    py.push_back(pr.output_usd_per_mtok);
  }

  p.Curve(s, xs, compute, th.compute, th.line_width, "compute: (2·N_act + attention·ctx) / FLOP/s");
  p.Curve(s, xs, weights, th.weights, th.line_width, "weight floor: N_total·bytes / (B·BW)", 8);
  p.Curve(s, xs, kvs, th.kv, th.line_width, "KV: ctx · bytes/token / BW", 8);
  p.Curve(s, xs, memory, th.memory_bw, th.line_width, "memory: weight floor + KV");
  p.Curve(s, xs, total, th.ink, th.bold_line_width, "cost = max(compute, memory) x $/s");
  p.Curve(s, px, py, th.accent, th.line_width + 1, sheet.model + " output price, same axis");

  // The price kink and the engine's kink.
  p.VLine(s, lecture.kink_context_tokens, th.accent,
          "price kink " + FormatCount(lecture.kink_context_tokens) + ": " + Usd3(low.output_usd_per_mtok) + " → " +
              Usd3(high.output_usd_per_mtok) + " /M");
  const float note_y = H - 22 - th.note_size * 2.5f;
  std::string kink_text;
  if (kink.kind == ContextKink::Kind::kAt) {
    const ContextCostPoint at = ContextCostAt(in, kink.context_tokens);
    p.VLine(s, kink.context_tokens, th.memory_bw, {}, 4);
    p.Marker(s, kink.context_tokens, at.usd_per_token * 1e6, th.memory_bw, 9);
    // Below-right of the kink: under the flat compute line and above the weight floor, nothing is drawn.
    const Vec2 c = p.Map(kink.context_tokens, at.usd_per_token * 1e6);
    s.Text({c.x + 12, c.y + 14}, "kink: memory overtakes compute at " + FormatCount(kink.context_tokens) + " tokens",
           th.note_size, th.memory_bw, FontFace::kUi, HAlign::kLeft, VAlign::kTop, "kink");
    kink_text = "engine kink at B = " + Grouped(in.batch) + ": " + FormatCount(kink.context_tokens) + " tokens";
  } else if (kink.kind == ContextKink::Kind::kMemoryBoundEverywhere) {
    kink_text = "B = " + Grouped(in.batch) + ": memory-bound at every context (weight floor / B > compute)";
  } else if (kink.kind == ContextKink::Kind::kComputeBoundEverywhere) {
    kink_text = "compute-bound at every context";
  } else {
    kink_text = "compute overtakes memory at " + FormatCount(kink.context_tokens) + " tokens";
  }
  if (kink_large.kind == ContextKink::Kind::kAt && p.InX(kink_large.context_tokens)) {
    const ContextCostPoint at = ContextCostAt(in, kink_large.context_tokens);
    const Vec2 c = p.Map(kink_large.context_tokens, at.compute_s_per_token * usd_per_mtok_per_s);
    s.Circle(c, 7, {}, th.kv, 2.5f, "large-batch-kink");
    kink_text += "   ·   KV crosses compute (B → ∞) at " + FormatCount(kink_large.context_tokens) + " tokens";
  }
  s.Text({pb.min.x + 18, note_y}, kink_text, th.note_size, th.ink, FontFace::kUi, HAlign::kLeft, VAlign::kTop,
         "kink-note");
  s.Text({pb.min.x + 18, note_y + th.note_size * 1.45f},
         "price sheet, $ per M tokens: output " + Usd3(low.output_usd_per_mtok) + " → " +
             Usd3(high.output_usd_per_mtok) + ", input " + Usd3(low.input_usd_per_mtok) + " → " +
             Usd3(high.input_usd_per_mtok) + " past " + FormatCount(lecture.kink_context_tokens) + " tokens",
         th.note_size, th.ink_dim, FontFace::kUi, HAlign::kLeft, VAlign::kTop, "kink-note");

  p.Legend(s);  // after the vertical markers, so it stays readable over them

  // You are here: the scenario's context.
  const ContextCostPoint here = ContextCostAt(in, sc.serving.context);
  p.Marker(s, sc.serving.context, here.usd_per_token * 1e6, th.ink, 7);
  {
    // Above-left of the point: the curve only rises to the right.
    const Vec2 c = p.Map(sc.serving.context, here.usd_per_token * 1e6);
    s.Text({c.x - 10, c.y - 8}, "ctx " + FormatCount(sc.serving.context) + ": " + Usd3(here.usd_per_token * 1e6) + "/M",
           th.label_size, th.ink, FontFace::kUi, HAlign::kRight, VAlign::kBottom, "you-are-here");
  }
  s.hovers.push_back(
      {pb, "Cost per token at the scenario's context",
       "max((2·N_act + attn·ctx)/FLOP/s, N_total·q/(B·BW) + ctx·bytes_tok/BW) x $/s = max(" +
           FormatSeconds(here.compute_s_per_token) + ", " + FormatSeconds(here.weights_s_per_token) + " + " +
           FormatSeconds(here.kv_s_per_token) + ") x " + Usd3(in.usd_per_s * 3600) + "/h = " +
           Usd3(here.usd_per_token * 1e6) + " per M tokens"});
  if (kink.kind == ContextKink::Kind::kAt)
    s.hovers.push_back({{{p.Map(kink.context_tokens, y_hi).x - 8, pb.min.y}, {p.Map(kink.context_tokens, y_hi).x + 8,
                                                                                 pb.max.y}},
                        "The kink",
                        "ctx* = (2·N_act/FLOP/s − N_total·q/(B·BW)) / (bytes_tok/BW − attn/FLOP/s) = " +
                            Grouped(kink.context_tokens) + " tokens"});

  // ---- Right: the solver (its panel was laid first) ----------------------------------------------
  float y = panel.min.y + 14;
  auto line = [&](const std::string& t, Color c, float size, FontFace f = FontFace::kMono, float gap = 1.4f) {
    s.Text({x0, y}, t, size, c, f, HAlign::kLeft, VAlign::kTop, "solver");
    y += size * gap;
  };
  line("Reading KV bytes from the price", th.accent, th.heading_size, th.TitleFace(), 1.5f);
  const float big = th.label_size;
  line("1  price kink    " + Short(lecture.kink_context_tokens) + " tokens", th.ink, big);
  line("   " + sheet.model + " (" + sheet.listing + ")", th.ink_dim, th.note_size, FontFace::kUi);
  line("2  N_active      " + Short(lecture.params_active), th.ink, big, FontFace::kMono, 1.15f);
  line("   " + lecture.params_source, th.ink_dim, th.note_size, FontFace::kUi);
  line("3  FLOP/s : BW   " + Grouped(lecture.flops_to_bandwidth_ratio), th.ink, big, FontFace::kMono, 1.15f);
  line("   " + lecture.ratio_source + " (MACs per byte)", th.ink_dim, th.note_size, FontFace::kUi);
  line("4  at the kink, KV reads = matmuls:", th.ink, big);
  line("   ctx·bytes/BW = N_act/FLOP/s", th.ink_dim, big);
  line("   bytes = N_act / (ratio x ctx)", th.ink_dim, big);
  line("   = " + Short(lecture.params_active) + " / (" + Grouped(lecture.flops_to_bandwidth_ratio) + " x " +
           Grouped(lecture.kink_context_tokens) + ")",
       th.ink, big);
  y += 2;
  line("   = " + Grouped(lecture.kv_bytes_per_token) + " B per token", th.accent, th.heading_size, FontFace::kMono,
       1.3f);
  line("   \"keeps about " + FormatBytes(lecture.kv_bytes_per_token) + " of KV per token\"", th.ink,
       th.note_size, FontFace::kUi, 1.7f);
  s.hovers.push_back({{{x0 - 16, panel.min.y}, {x1, y}},
                      "Inverse problem (lecture §1.11a)",
                      "B·ctx·bytes_tok/BW = B·N_act/FLOPs ⇒ bytes_tok = N_act/(ratio·ctx) = " +
                          FormatCount(lecture.params_active) + "/(" + Grouped(lecture.flops_to_bandwidth_ratio) +
                          "·" + Grouped(lecture.kink_context_tokens) + ") = " + Grouped(lecture.kv_bytes_per_token) +
                          " B"});

  line("Layouts near " + Grouped(lecture.kv_bytes_per_token) + " B (L x 2 x d x h x q / sparse)", th.ink,
       th.note_size, FontFace::kUi, 1.5f);
  for (const KvArchitecture& a : KvArchitectureCandidates(lecture.kv_bytes_per_token)) {
    std::string f = Fmt("%.0f", a.attention_layers) + " x 2 x " + Fmt("%.0f", a.head_dim) + " x " +
                    Fmt("%.0f", a.kv_heads) + " x " + Fmt("%g", a.bytes_per_element);
    if (a.sparse_divisor > 1) f += " / " + Fmt("%.0f", a.sparse_divisor);
    f += " = " + Grouped(a.kv_bytes_per_token) + " B (" + Fmt("%.2f", a.ratio_to_target) + "x)";
    line(a.name, th.ink_dim, th.note_size, FontFace::kUi, 1.25f);
    line("  " + f, th.kv, th.note_size, FontFace::kMono, 1.45f);
  }
  y += 4;
  line("With this scenario's model and chip:", th.ink, th.note_size, FontFace::kUi, 1.35f);
  line(Short(mine.params_active) + " / (" + Grouped(mine.flops_to_bandwidth_ratio) + " x " +
           Grouped(mine.kink_context_tokens) + ") = " + Grouped(mine.kv_bytes_per_token) + " B",
       th.ink, th.note_size);
  line(sc.model.name + " keeps " + FormatBytes(in.kv_bytes_per_token) + "/token (" +
           Fmt("%.0f", in.kv_bytes_per_token / lecture.kv_bytes_per_token) + "x the reading)",
       th.ink_dim, th.note_size, FontFace::kUi);
  return s;
}

BLACKBOARD_REGISTER_BOARD(Context, BoardInfo{
    "context",
    "Context length against cost per token",
    "cost per token against context: compute, weight floor, KV, the kink; a price sheet's kink read back "
    "to KV bytes per token",
    {{"serving.batch", "batch", 1, 16384, true, true, {}, {}},
     {"serving.context", "context", 128, 1048576, true, true, {}, {}},
     ModelControl(),
     HardwareControl()},
    &BuildContext,
    0,
    "serving.context"});

}  // namespace
}  // namespace blackboard
