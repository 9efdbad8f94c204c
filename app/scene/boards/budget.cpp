// Board "budget": how much to pre-train a model that will be served (lecture.md §1.10, issue 5).
// Left: pre-training, RL and inference compute as three bars (BalanceCompute: C_pre = 6 N D_pre,
// C_RL = 2 N D_RL ineff, C_inf = 2 N D_inf ineff; pre-training balanced against the larger). Below:
// the pre-training tokens this implies against Chinchilla's 20 x N ("100x over-trained"), the
// scenario's own training.tokens, and the lecture's worked example. Right: the Chinchilla loss
// surface L(N, D) (CH-2) as contours over log N x log D, the compute-optimal line (CH-6) with the Epoch
// AI refit's line as the labelled alternative, D = 20 N, the iso-FLOP line through the balanced point,
// and the chosen point (N_active of the scenario's model, D_pre from the balance).
//
// The serving side has no scenario fields yet, so the lecture's numbers are named constants below
// and printed on the board: 50M tokens/s per model (500M/s spread over a family of about ten), two
// months deployed, decode at a third of training MFU, RL as rollouts only with D_RL = D_inf / 1.5.
#include <algorithm>
#include <tuple>
#include <cmath>
#include <cstdio>

#include "../board.hpp"
#include "../layout_check.hpp"
#include "../plot.hpp"
#include "blackboard/model.hpp"
#include "blackboard/report.hpp"
#include "blackboard/scaling.hpp"
#include "../text_format.hpp"

namespace blackboard {
namespace {

// Lecture §1.10 worked example [W]: 500M tokens/s over a family of 5-10 models -> about 50M per model.
constexpr double kDaysPerMonth = 30;                // 2 months = 60 days (lecture test vector 6)
// The lecture's round numbers for its worked example (test vectors 6-7): 200T served tokens, 100B.
constexpr double kLectureServedTokens = 200e12;
constexpr double kLectureActiveParams = 100e9;

// 1.1e26 -> "1.1e26" (FLOP counts beyond every SI prefix).
std::string Sci(double v) {
  if (v <= 0) return "0";
  const int e = static_cast<int>(std::floor(std::log10(v)));
  return Fmt("%.2g", v / std::pow(10.0, e)) + "e" + std::to_string(e);
}

// Tokens / parameters: 2.59e14 -> "259T", 7.06e10 -> "70.6B".
std::string Short(double v) {
  std::string t = FormatCount(v);
  t.erase(std::remove(t.begin(), t.end(), ' '), t.end());
  return t;
}

std::string Times(double factor) { return factor >= 10 ? Fmt("%.0fx", factor) : Fmt("%.1fx", factor); }

// The scenario's budget section (defaults = the lecture's numbers, lecture.md §1.10).
ComputeBudgetInput BudgetInput(const Budget& bu, double active_params) {
  ComputeBudgetInput in;
  in.active_params = active_params;
  in.inference_tokens_per_s = bu.tokens_per_s;
  in.deployment_s = bu.months * kDaysPerMonth * 86400.0;
  in.inference_inefficiency = bu.inference_inefficiency;
  in.rl_tokens = bu.tokens_per_s * in.deployment_s * bu.rl_tokens_ratio;
  in.rl_flops_per_param = bu.rl_flops_per_param;
  in.rl_inefficiency = bu.inference_inefficiency;
  return in;
}

void DrawBars(Scene& s, const Theme& th, Box area, const ComputeBudget& b, const ComputeBudgetInput& in) {
  struct Bar {
    const char* name;
    const char* formula;
    double flops;
    Color color;
    std::string detail;
  };
  const double n = in.active_params;
  const Bar bars[] = {
      {"pre-training", "6 N D_pre", b.pretrain_flops, th.compute,
       "6 x " + Short(n) + " x " + Short(b.pretrain_tokens) + " = " + Sci(b.pretrain_flops) + " FLOP"},
      {"RL", "k N D_RL x ineff", b.rl_flops, th.wgrad,
       Fmt("%.0f", in.rl_flops_per_param) + " x " + Short(n) + " x " + Short(in.rl_tokens) + " x " +
           Fmt("%.3g", in.rl_inefficiency) + " = " + Sci(b.rl_flops) + " FLOP"},
      {"inference", "2 N D_inf x ineff", b.inference_flops, th.memory_bw,
       "2 x " + Short(n) + " x " + Short(b.inference_tokens) + " x " + Fmt("%.3g", in.inference_inefficiency) +
           " = " + Sci(b.inference_flops) + " FLOP"}};
  const double top = std::max({b.pretrain_flops, b.rl_flops, b.inference_flops}) * 1.18;
  const int ex = static_cast<int>(std::floor(std::log10(top)));
  const double unit = std::pow(10.0, ex);
  const Box plot{{area.min.x + 70, area.min.y + 10}, {area.max.x, area.max.y - 58}};
  const std::vector<double> ticks = NiceTicks(0, top / unit, 5, false);
  const double step = ticks.size() > 1 ? ticks[1] - ticks[0] : 1;
  for (double v : ticks) {
    const float y = static_cast<float>(plot.max.y - v / (top / unit) * plot.Height());
    if (y < plot.min.y - 1) continue;
    s.Line({plot.min.x, y}, {plot.max.x, y}, th.grid, 1);
    s.Text({plot.min.x - 8, y}, FormatTickNumber(v, step), th.tick_size, th.ink_dim, FontFace::kMono, HAlign::kRight,
           VAlign::kMiddle, "tick");
  }
  s.Line({plot.min.x, plot.max.y}, {plot.max.x, plot.max.y}, th.ink, 2, 0, "axis");
  s.Line({plot.min.x, plot.min.y}, {plot.min.x, plot.max.y}, th.ink, 2, 0, "axis");
  s.VerticalText({area.min.x + 8, (plot.min.y + plot.max.y) / 2}, "compute (10^" + std::to_string(ex) + " FLOP)",
                 th.label_size, th.ink);
  const float slot = plot.Width() / 3;
  const double total = b.pretrain_flops + b.rl_flops + b.inference_flops;
  for (int i = 0; i < 3; ++i) {
    const Bar& bar = bars[i];
    const float cx = plot.min.x + slot * (static_cast<float>(i) + 0.5f);
    const float h = static_cast<float>(bar.flops / top * plot.Height());
    const Box box{{cx - slot * 0.3f, plot.max.y - h}, {cx + slot * 0.3f, plot.max.y}};
    s.Rect(box, bar.color.WithAlpha(0.85f), {0, 0, 0, 0}, 0, 3, "budget-bar");
    s.Text({cx, box.min.y - 6}, Sci(bar.flops) + Fmt("  (%.0f %%)", 100 * bar.flops / total), th.note_size, th.ink,
           FontFace::kMono, HAlign::kCenter, VAlign::kBottom, "bar-value");
    s.Text({cx, plot.max.y + 8}, bar.name, th.label_size, bar.color, FontFace::kUi, HAlign::kCenter, VAlign::kTop,
           "bar-name");
    s.Text({cx, plot.max.y + 8 + th.label_size * 1.35f}, bar.formula, th.note_size, th.ink_dim, FontFace::kMono,
           HAlign::kCenter, VAlign::kTop, "bar-formula");
    s.hovers.push_back({box, std::string(bar.name) + " compute", std::string(bar.formula) + " = " + bar.detail});
  }
}

// Tokens on a log axis: Chinchilla's 20 N, the scenario's training.tokens, the balanced D_pre.
void DrawTokens(Scene& s, const Theme& th, Box area, const ComputeBudget& b, double scenario_tokens) {
  const double lo = std::pow(10.0, std::floor(std::log10(std::min({b.chinchilla_tokens, scenario_tokens}) / 2)));
  const double hi = std::pow(10.0, std::ceil(std::log10(std::max(b.pretrain_tokens, scenario_tokens) * 2)));
  const float x0 = area.min.x + 150, x1 = area.max.x - 10;
  auto px = [&](double v) {
    return static_cast<float>(x0 + (std::log10(v) - std::log10(lo)) / (std::log10(hi) - std::log10(lo)) * (x1 - x0));
  };
  const float row = th.label_size * 1.7f;
  float y = area.min.y;
  struct Row {
    std::string name;
    double tokens;
    Color color;
    std::string formula;
  };
  const Row rows[] = {
      {"Chinchilla 20 N", b.chinchilla_tokens, th.ink_dim, "D = 20 x N_active (CH-3)"},
      {"this run", scenario_tokens, th.ink, "the scenario's pre-training tokens"},
      {"balanced D_pre", b.pretrain_tokens, th.accent, "D_pre = max(C_inf, C_RL) / (6 N)"}};
  for (const Row& r : rows) {
    const float yc = y + row / 2;
    s.Text({area.min.x, yc}, r.name, th.note_size, r.color, FontFace::kUi, HAlign::kLeft, VAlign::kMiddle, "token-name");
    s.Rect({{x0, yc - row * 0.3f}, {px(r.tokens), yc + row * 0.3f}}, r.color.WithAlpha(0.75f), {0, 0, 0, 0}, 0, 3,
           "token-bar");
    s.Text({px(r.tokens) + 8, yc}, Short(r.tokens) + " tokens", th.note_size, th.ink, FontFace::kMono, HAlign::kLeft,
           VAlign::kMiddle, "token-value");
    s.hovers.push_back({{{area.min.x, yc - row / 2}, {x1, yc + row / 2}}, r.name,
                        r.formula + " = " + Short(r.tokens) + " tokens"});
    y += row;
  }
  // Decade ticks under the rows.
  for (double v = lo; v <= hi * 1.001; v *= 10) {
    s.Line({px(v), area.min.y}, {px(v), y}, th.grid, 1);
    s.Text({px(v), y + 4}, Short(v), th.tick_size, th.ink_dim, FontFace::kMono, HAlign::kCenter, VAlign::kTop, "tick");
  }
  const float cl = px(b.chinchilla_tokens);
  s.Line({cl, area.min.y - 4}, {cl, y}, th.ink_dim, 2, 6, "chinchilla-line");
}

Scene BuildBudget(const BoardContext& ctx) {
  const Scenario& sc = ctx.scenario;
  const Theme& th = ctx.theme;
  Scene s(ctx.width, ctx.height);
  s.background = th.background;
  s.board_texture = th.board_texture;
  const float W = ctx.width, H = ctx.height;
  const ParamCount pc = CountParameters(sc.model);
  const double n = pc.active;
  const Budget& bu = ctx.scenario.budget;
  const ComputeBudgetInput in = BudgetInput(bu, n);
  const ComputeBudget b = BalanceCompute(in);
  const ChinchillaFit hoff = HoffmannChinchillaFit(), epoch = EpochChinchillaFit();

  DrawBoardTitle(s, th, "The compute budget: pre-training, RL and inference",
                 sc.model.name + ": N_active = " + Short(n) + " parameters" +
                     (IsMoe(sc.model) ? " (of " + Short(pc.total) + ")" : "") + "  ·  served " +
                     Short(bu.tokens_per_s) + " tokens/s for " + Fmt("%.3g", bu.months) +
                     " months = " + Short(b.inference_tokens) + " tokens  ·  pre-training balanced against the larger  ·  training with " +
                     sc.training.attention_kernel + " attention, " + sc.training.math);

  // ---- Left: the three bars.
  s.Text({40, 112}, "Equalise the costs", th.heading_size, th.ink, th.TitleFace(), HAlign::kLeft, VAlign::kTop,
         "heading");
  DrawBars(s, th, {{40, 160}, {600, 470}}, b, in);

  // Assumptions (the lecture's numbers; no scenario fields yet).
  {
    float y = 488;
    const float fs = th.note_size;
    auto line = [&](const std::string& t, Color c) {
      s.Text({50, y}, t, fs, c, FontFace::kUi, HAlign::kLeft, VAlign::kTop, "assumption");
      y += fs * 1.4f;
    };
    line("Assumptions (lecture 1.10):", th.ink);
    line("served " + Short(bu.tokens_per_s) + " tokens/s per model (500M/s over ~10 models)", th.ink_dim);
    line(Fmt("deployed %.3g months; decode at 1/", bu.months) + Fmt("%.3g of training MFU", bu.inference_inefficiency),
         th.ink_dim);
    line("RL: rollouts only, D_RL = D_inf / 1.5 = " + Short(in.rl_tokens) + " tokens", th.ink_dim);
  }

  // ---- Bottom left: tokens against Chinchilla.
  {
    const float top = 620;
    s.Text({40, top}, "Pre-training tokens", th.heading_size, th.ink, th.TitleFace(), HAlign::kLeft, VAlign::kTop,
           "heading");
    const std::string big = Times(b.overtraining_factor) + " over-trained";
    s.Text({600, top + 2}, big, th.heading_size, th.accent, FontFace::kUi, HAlign::kRight, VAlign::kTop,
           "overtraining");
    s.hovers.push_back({{{340, top}, {600, top + th.heading_size * 1.3f}},
                        "Over-training factor",
                        "D_pre / (20 N) = " + Short(b.pretrain_tokens) + " / (20 x " + Short(n) + ") = " +
                            Fmt("%.1f", b.overtraining_factor)});
    DrawTokens(s, th, {{40, top + 48}, {600, top + 48 + th.label_size * 1.7f * 3}}, b, sc.training.tokens);
    ComputeBudgetInput lec = BudgetInput(Budget{}, kLectureActiveParams);
    lec.inference_tokens_per_s = kLectureServedTokens / lec.deployment_s;
    const ComputeBudget lb = BalanceCompute(lec);
    s.Text({40, top + 48 + th.label_size * 1.7f * 3 + 50}, "lecture: " + Short(lb.pretrain_tokens) + " / (20 x " + Short(kLectureActiveParams) +
                             ") = " + Times(lb.overtraining_factor) + " over-trained",
           th.note_size, th.ink_dim, FontFace::kUi, HAlign::kLeft, VAlign::kTop, "lecture-check");
  }

  // ---- Right: the Chinchilla loss surface.
  {
    const double n_lo = std::pow(10.0, std::floor(std::log10(n)) - 2), n_hi = n_lo * 1e5;
    // A decade or more of room above the highest point for the legend.
    const double d_hi = std::pow(10.0, std::ceil(std::log10(std::max(b.pretrain_tokens, sc.training.tokens)) + 1));
    const double d_lo = d_hi / 1e6;
    const Box area{{760, 150}, {W - 60, H - 140}};
    PlotFrame p(area, Axis{n_lo, n_hi, true, "parameters N (active)", Unit::kCount},
                Axis{d_lo, d_hi, true, "training tokens D", Unit::kCount}, th);
    s.Text({area.min.x - 60, 112}, "Chinchilla loss surface", th.heading_size, th.ink, th.TitleFace(),
           HAlign::kLeft, VAlign::kTop, "heading");
    const int samples = 160;
    std::vector<double> xs(samples);
    for (int i = 0; i < samples; ++i)
      xs[static_cast<std::size_t>(i)] = n_lo * std::pow(n_hi / n_lo, i / static_cast<double>(samples - 1));
    // D on the contour L(N, D) = level: D = (B / (level - E - A/N^alpha))^(1/beta); above the plot where
    // the level is out of reach at this N.
    auto contour = [&](double level) {
      std::vector<double> ds(samples);
      for (int i = 0; i < samples; ++i) {
        const double rest = level - hoff.E - hoff.A / std::pow(xs[static_cast<std::size_t>(i)], hoff.alpha);
        ds[static_cast<std::size_t>(i)] = rest > 0 ? std::pow(hoff.B / rest, 1 / hoff.beta) : d_hi * 10;
      }
      return ds;
    };
    // Levels: 0.1 apart, from just above the loss at the top-right corner to the bottom-left corner.
    const double l_min = ChinchillaLoss(n_hi, d_hi), l_max = ChinchillaLoss(n_lo, d_lo);
    const double dl = (l_max - l_min) > 1.2 ? 0.2 : 0.1;
    std::vector<double> levels;
    for (double l = std::ceil(l_min / dl) * dl; l < l_max; l += dl) levels.push_back(l);
    std::vector<double> prev(samples, d_hi * 10);
    for (std::size_t k = 0; k < levels.size(); ++k) {
      const std::vector<double> ds = contour(levels[k]);
      p.Band(s, xs, ds, prev, th.ink.WithAlpha(0.03f + 0.05f * static_cast<float>(levels.size() - k) /
                                                          static_cast<float>(levels.size())));
      prev = ds;
    }
    p.DrawAxes(s);
    float last_label_x = -1e9f;
    std::vector<TextShape> contour_labels;  // placed after the curves, where none crosses them
    for (double level : levels) {
      const std::vector<double> ds = contour(level);
      p.Curve(s, xs, ds, th.ink_dim.WithAlpha(0.6f), 1.5f);
      // Label where the contour leaves the plot at the top, or at the right edge.
      const double rest_top = level - hoff.E - hoff.B / std::pow(d_hi, hoff.beta);
      double lx = n_hi, ly = ds.back();
      if (rest_top > 0) {
        const double n_top = std::pow(hoff.A / rest_top, 1 / hoff.alpha);
        if (n_top < n_hi) {
          lx = n_top;
          ly = d_hi;
        }
      }
      if (ly > d_hi || ly < d_lo) continue;
      const Vec2 at = p.Map(lx, ly);
      const bool top_edge = ly >= d_hi * 0.999;
      // Top-edge labels stay left of the legend (top right) and apart from each other.
      const Box& pb = p.plot_box();
      if (top_edge && (at.x < pb.min.x + 12 || at.x > pb.min.x + pb.Width() * 0.5f ||
                       std::fabs(at.x - last_label_x) < 44))
        continue;
      if (top_edge) last_label_x = at.x;
      TextShape label{{top_edge ? at.x + 4 : at.x - 4, top_edge ? at.y + 4 : at.y - 4}, Fmt("%.1f", level), th.tick_size,
                      FontFace::kMono, th.ink_dim, top_edge ? HAlign::kLeft : HAlign::kRight,
                      top_edge ? VAlign::kTop : VAlign::kBottom, false, "contour-label"};
      contour_labels.push_back(std::move(label));
    }
    // Compute-optimal lines (CH-6) for both fits, and Chinchilla's D = 20 N.
    auto optimal_line = [&](const ChinchillaFit& fit, std::vector<double>& on, std::vector<double>& od) {
      for (int i = 0; i <= 80; ++i) {
        const double c = 6 * n_lo * d_lo / 100 * std::pow(1e14, i / 80.0);
        const ComputeOptimal o = ChinchillaOptimal(c, fit);
        on.push_back(o.params);
        od.push_back(o.tokens);
      }
    };
    std::vector<double> hn, hd, en, ed;
    optimal_line(hoff, hn, hd);
    optimal_line(epoch, en, ed);
    p.Curve(s, hn, hd, th.ink, th.bold_line_width * 0.7f, "compute-optimal (Hoffmann 2022 fit)");
    p.Curve(s, en, ed, th.ink, th.line_width, "compute-optimal (Epoch AI 2024 refit)", 10);
    const std::vector<double> ch_n = {n_lo, n_hi}, ch_d = {20 * n_lo, 20 * n_hi};
    p.Curve(s, ch_n, ch_d, th.ink_dim, th.line_width, "D = 20 N", 4);
    // Iso-FLOP line through the balanced point, and the compute-optimal point on it.
    const double c_pre = b.pretrain_flops;
    const std::vector<double> iso_n = {n_lo, n_hi}, iso_d = {c_pre / (6 * n_lo), c_pre / (6 * n_hi)};
    p.Curve(s, iso_n, iso_d, th.compute, th.line_width, "same FLOPs: 6 N D = " + Sci(c_pre), 6);
    const ComputeOptimal opt = ChinchillaOptimal(c_pre, hoff);
    p.Marker(s, opt.params, opt.tokens, th.compute, 7);
    p.Marker(s, n, sc.training.tokens, th.ink, 7);
    p.Marker(s, n, b.pretrain_tokens, th.accent, 10);
    p.Legend(s, true);
    const double l_here = ChinchillaLoss(n, b.pretrain_tokens, hoff);
    const double l_epoch = ChinchillaLoss(n, b.pretrain_tokens, epoch);
    // Short labels beside the points; their numbers in the lines under the plot.
    const Vec2 at = p.Map(n, b.pretrain_tokens);
    const Vec2 at_s = p.Map(n, sc.training.tokens);
    const Vec2 at_o = p.Map(opt.params, opt.tokens);
    // Each at the first place beside its point (left, right, above, below) that no curve, marker or
    // text covers; the first when none is free.
    auto point_label = [&](Vec2 pt, const std::string& text, Color c, float gap) {
      TextShape t{pt, text, th.note_size, FontFace::kUi, c, HAlign::kRight, VAlign::kMiddle, false, "point-label"};
      const std::tuple<Vec2, HAlign, VAlign> places[] = {
          {{pt.x - gap, pt.y}, HAlign::kRight, VAlign::kMiddle}, {{pt.x + gap, pt.y}, HAlign::kLeft, VAlign::kMiddle},
          {{pt.x, pt.y - gap}, HAlign::kCenter, VAlign::kBottom}, {{pt.x, pt.y + gap}, HAlign::kCenter, VAlign::kTop},
          {{pt.x - gap, pt.y - gap}, HAlign::kRight, VAlign::kBottom}, {{pt.x + gap, pt.y + gap}, HAlign::kLeft, VAlign::kTop}};
      for (const auto& [pos, halign, valign] : places) {
        t.pos = pos, t.halign = halign, t.valign = valign;
        if (BoxIsFree(s, TextBounds(t))) break;
        t.pos = std::get<0>(places[0]), t.halign = std::get<1>(places[0]), t.valign = std::get<2>(places[0]);
      }
      AddTextOverCurves(s, std::move(t), th.background);  // no free place: on an opaque patch
    };
    point_label(at, "balanced", th.accent, 16);
    point_label(at_s, "tokens of the run", th.ink, 16);
    point_label(at_o, "optimal", th.compute, 14);
    for (TextShape& t : contour_labels)
      if (BoxIsFree(s, TextBounds(t))) s.shapes.push_back(std::move(t));
    const float fs = th.note_size;
    float ny = H - 12 - fs * 1.45f * 4;
    auto note = [&](const std::string& t, Color c) {
      s.Text({area.min.x - 60, ny}, t, fs, c, FontFace::kUi, HAlign::kLeft, VAlign::kTop, "note");
      ny += fs * 1.45f;
    };
    note("L(N, D) = " + Fmt("%.2f", hoff.E) + " + " + Fmt("%.1f", hoff.A) + " / N^" + Fmt("%.2f", hoff.alpha) + " + " +
             Fmt("%.1f", hoff.B) + " / D^" + Fmt("%.2f", hoff.beta) + "  (CH-2), contours every " + Fmt("%.1f", dl),
         th.ink_dim);
    note("balanced: N = " + Short(n) + ", D = " + Short(b.pretrain_tokens) + ", L = " + Fmt("%.3f", l_here) +
             "  (Epoch AI refit: " + Fmt("%.3f", l_epoch) + ")",
         th.accent);
    note("this run: D = " + Short(sc.training.tokens) + ", L = " +
             Fmt("%.3f", ChinchillaLoss(n, sc.training.tokens, hoff)),
         th.ink);
    note("optimal for the same " + Sci(c_pre) + " FLOP: N = " + Short(opt.params) + ", D = " + Short(opt.tokens) +
             ", L = " + Fmt("%.3f", opt.loss) + "  (CH-6)",
         th.compute);
    s.hovers.push_back({area, "Chinchilla loss",
                        "L = " + Fmt("%.2f", hoff.E) + " + " + Fmt("%.1f", hoff.A) + "/N^" + Fmt("%.2f", hoff.alpha) +
                            " + " + Fmt("%.1f", hoff.B) + "/D^" + Fmt("%.2f", hoff.beta) + " at N = " + Short(n) +
                            ", D = " + Short(b.pretrain_tokens) + ": " + Fmt("%.3f", l_here) +
                            "; Epoch AI refit: " + Fmt("%.3f", l_epoch)});
    s.hovers.push_back({{{at_o.x - 8, at_o.y - 8}, {at_o.x + 8, at_o.y + 8}}, "Compute-optimal (CH-6)",
                        "N_opt = G (C/6)^a = " + Short(opt.params) + ", D_opt = " + Short(opt.tokens) + " for C = " +
                            Sci(c_pre) + " FLOP"});
  }
  return s;
}

BLACKBOARD_REGISTER_BOARD(Budget, BoardInfo{
    "budget",
    "The compute budget",
    "pre-training, RL and inference compute balanced; over-training against 20 N; the Chinchilla loss surface",
    {ModelControl(),
     {"budget.tokens_per_s", "tokens served / s", 1e6, 1e9, true, false, {}, {}},
     {"budget.months", "months deployed", 0.5, 24, false, false, {}, {}},
     {"budget.inference_inefficiency", "decode inefficiency", 1, 10, false, false, {}, {}},
     {"training.tokens", "training tokens (scenario point)", 1e11, 1e15, true, false, {}, {}}},
    &BuildBudget,
    0,
    "training.tokens",
    /*morphs=*/false,
    /*training=*/true});

}  // namespace
}  // namespace blackboard
