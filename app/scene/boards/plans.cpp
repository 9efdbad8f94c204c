// Board "plans": every valid training plan of the model on the cluster (issue 5, SearchPlans).
// Top left: step time (log) against memory per chip, one dot per plan coloured by what bounds it
// (compute, memory, network, bubble: the engine's TrainingReport::bound), the Pareto front as a line,
// the current scenario's plan (EvaluateTraining, pipeline simulator) ringed; a second y axis reads the
// step time as dollars per million training tokens (every plan uses all chips, so $/token is
// proportional to step time). Top right: the regime map, the fastest plan for each micro-batch x TP
// (EP for MoE models) cell, coloured by its bound. Bottom: the current and the fastest plan's step
// time as stacked bars (compute, recompute, exposed DP/TP/PP/EP/CP communication, bubble, optimizer).
// The Pareto-front plans and the fastest few carry a DragHandle whose id is "plan:" followed by the
// --set assignments that load the plan into the scenario (the GUI turns a click into those sets).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <tuple>

#include "../board.hpp"
#include "../contrast.hpp"
#include "../plot.hpp"
#include "blackboard/model.hpp"
#include "blackboard/report.hpp"
#include "blackboard/search.hpp"
#include "blackboard/training.hpp"
#include "../text_format.hpp"

namespace blackboard {
namespace {

Color Opaque(Color c) { return Color{c.r, c.g, c.b, 255}; }

Color BoundColor(const Theme& th, const std::string& bound) {
  if (bound == "compute") return th.compute;
  if (bound == "memory") return th.memory_bw;
  if (bound == "network") return th.network;
  return Opaque(th.bubble);
}

// "dp 64  tp 8  pp 2  ZeRO-1  mb 1  1f1b  selective" (ep / cp / virtual stages only when used).
std::string PlanName(const Training& t) {
  std::string n = "dp " + std::to_string(t.dp) + "  tp " + std::to_string(t.tp) + "  pp " + std::to_string(t.pp);
  if (t.ep > 1) n += "  ep " + std::to_string(t.ep);
  if (t.cp > 1) n += "  cp " + std::to_string(t.cp);
  n += "  ZeRO-" + std::to_string(t.zero) + "  mb " + std::to_string(t.micro_batch) + "  " + t.schedule;
  if (t.virtual_stages > 1) n += " x" + std::to_string(t.virtual_stages);
  n += "  " + t.recompute + " recompute";
  return n;
}

// The --set assignments that load `t` into a scenario (the DragHandle id after "plan:").
std::string PlanAssignments(const Training& t) {
  return "training.dp=" + std::to_string(t.dp) + ";training.tp=" + std::to_string(t.tp) +
         ";training.pp=" + std::to_string(t.pp) + ";training.ep=" + std::to_string(t.ep) +
         ";training.cp=" + std::to_string(t.cp) + ";training.zero=" + std::to_string(t.zero) +
         ";training.micro_batch=" + std::to_string(t.micro_batch) + ";training.schedule=" + t.schedule +
         ";training.virtual_stages=" + std::to_string(t.virtual_stages) + ";training.recompute=" + t.recompute +
         ";training.sequence_parallel=" + (t.sequence_parallel ? "true" : "false");
}

bool SamePlan(const Training& a, const TrainingReport& r) {
  return a.dp == r.dp && a.tp == r.tp && a.pp == r.pp && a.ep == r.ep && a.cp == r.cp && a.zero == r.zero &&
         a.micro_batch == r.micro_batch && a.schedule == r.schedule && a.virtual_stages == r.virtual_stages &&
         a.recompute == r.recompute;
}

Training PlanOf(const TrainingReport& r) {
  Training t;
  t.dp = r.dp;
  t.tp = r.tp;
  t.pp = r.pp;
  t.ep = r.ep;
  t.cp = r.cp;
  t.zero = r.zero;
  t.micro_batch = r.micro_batch;
  t.schedule = r.schedule;
  t.virtual_stages = r.virtual_stages;
  t.recompute = r.recompute;
  t.sequence_parallel = r.sequence_parallel;
  return t;
}

struct Part {
  const char* name;
  double seconds;
  Color color;
};

std::vector<Part> BreakdownParts(const Theme& th, const TrainingBreakdown& b) {
  const Color net = th.network;
  return {{"compute", b.compute_s, th.compute},
          {"recompute", b.recompute_s, th.compute.Mix(th.background, 0.45f)},
          {"DP comm", b.dp_s, net},
          {"TP comm", b.tp_s, net.Mix(th.ink, 0.4f)},
          {"PP comm", b.pp_s, net.Mix(th.background, 0.4f)},
          {"EP comm", b.ep_s, net.Mix(th.accent, 0.5f)},
          {"CP comm", b.cp_s, net.Mix(th.background, 0.65f)},
          {"bubble", b.bubble_s, Opaque(th.bubble)},
          {"optimizer", b.optimizer_s, th.memory_bw}};
}

// One stacked bar: a heading line of numbers, then the bar with each part's seconds written inside
// when it is wide enough (every part is also in the hover and in the legend row below the bars).
void DrawStackedBar(Scene& s, const Theme& th, float x0, float x1, float y, double scale_s, const std::string& head,
                    Color head_color, const TrainingReport& r) {
  // The heading line at the body size where it fits the canvas, else at the note size.
  const float head_size = x0 + MeasureTextWidth(head, th.label_size, FontFace::kMono) <= s.width - 8 ? th.label_size
                                                                                                     : th.note_size;
  s.Text({x0, y}, head, head_size, head_color, FontFace::kMono, HAlign::kLeft, VAlign::kTop, "bar-head");
  const float by0 = y + head_size * 1.45f, by1 = by0 + th.label_size * 1.9f;
  const double step = std::max(r.step_s, 1e-12);
  const float w = static_cast<float>((x1 - x0) * std::min(1.0, step / scale_s));
  float x = x0;
  std::string formula, unlabelled;
  double sum = 0;
  for (const Part& p : BreakdownParts(th, r.breakdown)) {
    if (p.seconds <= 0) continue;
    sum += p.seconds;
    const float pw = static_cast<float>(w * p.seconds / step);
    s.Rect({{x, by0}, {x + pw, by1}}, p.color, th.background, 1.5f, 0, "breakdown");
    const std::string label = std::string(p.name) + " " + FormatSeconds(p.seconds);
    const std::string short_label = FormatSeconds(p.seconds);
    const Color text = ReadableOn(p.color, th.background, th.background, th.ink);
    // 4.5:1 in a hall: on a mid-tone bar where neither ink reads, the label gets a patch of the board.
    Color board = th.background;
    board.a = 255;
    const bool patch = ContrastRatio(text, CompositeOver(p.color, board)) < kMinTextContrast;
    auto bar_label = [&](const std::string& t) {
      const float tw = MeasureTextWidth(t, th.tick_size, FontFace::kUi), cx = x + pw / 2, cy = (by0 + by1) / 2;
      if (patch)
        s.Rect({{cx - tw / 2 - 3, cy - th.tick_size * 0.62f}, {cx + tw / 2 + 3, cy + th.tick_size * 0.62f}},
               th.background, {0, 0, 0, 0}, 0, 3, "breakdown-label-backing");
      s.Text({cx, cy}, t, th.tick_size, patch ? th.ink : text, FontFace::kUi, HAlign::kCenter, VAlign::kMiddle,
             "breakdown-label");
    };
    if (MeasureTextWidth(label, th.tick_size, FontFace::kUi) + 12 < pw)
      bar_label(label);
    else {
      if (MeasureTextWidth(short_label, th.tick_size, FontFace::kUi) + 8 < pw) bar_label(short_label);
      unlabelled += (unlabelled.empty() ? "" : ", ") + label;
    }
    s.hovers.push_back({{{x, by0}, {x + pw, by1}}, p.name, std::string(p.name) + " = " + FormatSeconds(p.seconds) +
                                                               " of the " + FormatSeconds(r.step_s) + " step"});
    formula += (formula.empty() ? "" : " + ") + FormatSeconds(p.seconds);
    x += pw;
  }
  s.Text({x + 10, (by0 + by1) / 2}, "= " + FormatSeconds(sum), th.label_size, th.ink, FontFace::kMono,
         HAlign::kLeft, VAlign::kMiddle, "bar-total");
  if (!unlabelled.empty())
    s.Text({x0, by1 + 4}, "small parts: " + unlabelled, th.label_size, th.ink_dim, FontFace::kUi, HAlign::kLeft,
           VAlign::kTop, "bar-small-parts");
  s.hovers.push_back({{{x0, by0}, {x, by1}}, "Step time breakdown", "step = " + formula + " = " + FormatSeconds(sum)});
}

Scene BuildPlans(const BoardContext& ctx) {
  const Scenario& sc = ctx.scenario;
  const Theme& th = ctx.theme;
  Scene s(ctx.width, ctx.height);
  s.background = th.background;
  s.board_texture = th.board_texture;
  const float W = ctx.width, H = ctx.height;
  const double chips = static_cast<double>(sc.cluster.racks) * sc.cluster.chips_per_rack;
  const bool moe = IsMoe(sc.model);
  // A canvas taller than 16:9 (4:3: a 1600 x 1200 logical canvas) gives its extra height to the scatter
  // and the regime map, all but what the bars below need (two bar blocks and the legend row: more on a
  // small canvas where the type stops shrinking); the bars move down by it.
  const float bar_block = th.label_size * (1.45f + 1.9f + 1.3f) + 14;  // heading, bar, small parts
  const float bars_h = 4 + 2 * bar_block + 6 + th.label_size * 0.7f + 14;
  constexpr float kBarsTop = 652;
  const float extra_h = std::clamp(H - kBarsTop - bars_h, 0.0f, std::max(0.0f, H - kDesignHeight));

  // When nothing fits (the default: a 70B model's training state does not fit in 8 x 80 GB), the board
  // searches the smallest cluster of twice, four times, ... the racks where plans fit, and says so.
  // When no plan splits the global batch at all (every plan needs dp x micro-batch to divide it, and
  // a big cluster needs a big dp), more racks cannot help: it says that instead.
  Scenario shown = sc;
  SearchResult res = SearchPlans(shown);
  const bool batch_too_small = res.evaluated == 0;
  SearchResult here;
  if (res.plans.empty()) here = res;
  while (res.plans.empty() && res.evaluated > 0 && shown.cluster.racks < sc.cluster.racks * 64) {
    shown.cluster.racks *= 2;
    shown.training.dp = 0;
    res = SearchPlans(shown);
  }
  const bool enlarged = shown.cluster.racks != sc.cluster.racks && !res.plans.empty();
  if (!enlarged) {
    shown = sc;
    if (res.plans.empty()) res = std::move(here);  // the counts in the title are this cluster's
  }
  const double shown_chips = static_cast<double>(shown.cluster.racks) * shown.cluster.chips_per_rack;
  const std::string load_prefix = enlarged ? "cluster.racks=" + std::to_string(shown.cluster.racks) + ";" : "";
  TrainingReport cur;
  bool cur_ok = false;
  std::string cur_error;
  try {
    cur = EvaluateTraining(sc);
    cur_ok = true;
  } catch (const std::exception& e) {
    cur_error = e.what();
  }
  const double capacity = sc.hardware.hbm_bytes;

  DrawBoardTitle(s, th, "Training plans: step time, memory and what bounds them",
                 sc.model.name + " on " + Fmt("%.0f", shown_chips) + " x " + sc.hardware.name + " (" +
                     std::to_string(shown.cluster.racks) + " x " + std::to_string(shown.cluster.chips_per_rack) +
                     ")  ·  global batch " + std::to_string(sc.training.global_batch) + " x " +
                     FormatCount(sc.training.seq_len) + " tokens  ·  " + std::to_string(res.plans.size()) +
                     " plans fit of " + std::to_string(res.evaluated) + " enumerated  ·  " +
                     sc.training.attention_kernel + " attention, " + sc.training.math);

  // ---- Scatter: step time against memory per chip.
  const Box scatter_area{{130, 150}, {880, 610 + extra_h}};
  double mem_max = capacity, t_lo = 1e300, t_hi = 0;
  for (const SearchPlan& p : res.plans) {
    mem_max = std::max(mem_max, p.memory_per_chip_bytes);
    t_lo = std::min(t_lo, p.step_s);
    t_hi = std::max(t_hi, p.step_s);
  }
  if (cur_ok) {
    mem_max = std::max(mem_max, cur.memory.total_bytes);
    t_lo = std::min(t_lo, cur.step_s);
    t_hi = std::max(t_hi, cur.step_s);
  }
  if (t_hi <= 0) {
    t_lo = 0.1;
    t_hi = 10;
  }
  t_lo /= 1.9;
  t_hi *= 1.35;
  if (t_hi / t_lo < 10) {  // at least a decade so the log axis has ticks
    const double mid = std::sqrt(t_lo * t_hi);
    t_lo = mid / std::sqrt(10.0);
    t_hi = mid * std::sqrt(10.0);
  }
  PlotFrame plot(scatter_area, Axis{0, mem_max * 1.06, false, "memory per chip", Unit::kBytes},
                 Axis{t_lo, t_hi, true, "step time", Unit::kSeconds}, th);
  plot.DrawAxes(s);
  const Box scatter = plot.plot_box();
  plot.VLine(s, capacity, th.memory_cap, "HBM " + FormatBytes(capacity));

  // Legend of the dots, above the plot.
  {
    float lx = scatter_area.min.x;
    const float ly = 122;
    s.Text({lx, ly}, "bound:", th.note_size, th.ink_dim, FontFace::kUi, HAlign::kLeft, VAlign::kMiddle, "legend");
    lx += MeasureTextWidth("bound:", th.note_size, FontFace::kUi) + 14;
    for (const char* b : {"compute", "memory", "network", "bubble"}) {
      s.Circle({lx + 6, ly}, 6, BoundColor(th, b), {0, 0, 0, 0}, 0, "legend");
      s.Text({lx + 18, ly}, b, th.note_size, th.ink, FontFace::kUi, HAlign::kLeft, VAlign::kMiddle, "legend");
      lx += 18 + MeasureTextWidth(b, th.note_size, FontFace::kUi) + 18;
    }
    s.Line({lx, ly}, {lx + 30, ly}, th.ink, 2.5f, 0, "legend");
    s.Text({lx + 38, ly}, "Pareto front", th.note_size, th.ink, FontFace::kUi, HAlign::kLeft, VAlign::kMiddle,
           "legend");
    lx += 38 + MeasureTextWidth("Pareto front", th.note_size, FontFace::kUi) + 20;
    s.Circle({lx + 9, ly}, 9, {0, 0, 0, 0}, th.accent, 3, "legend");
    s.Text({lx + 24, ly}, "current plan", th.note_size, th.ink, FontFace::kUi, HAlign::kLeft, VAlign::kMiddle,
           "legend");
  }

  // Dots: one per plan; plans that land on the same small cell with the same bound share a dot (the cell
  // grows from 3 px until at most kMaxDots remain, so 10,000 plans stay a light scene).
  constexpr std::size_t kMaxDots = 2500;
  std::vector<bool> on_front(res.plans.size(), false);
  for (std::size_t i : res.pareto) on_front[i] = true;
  std::vector<std::size_t> dot_plans;
  for (float cell = 3; cell <= 24; cell += 1) {
    std::set<std::tuple<int, int, std::string>> drawn;
    dot_plans.clear();
    for (std::size_t i = 0; i < res.plans.size(); ++i) {
      if (on_front[i]) continue;
      const Vec2 at = plot.Map(res.plans[i].memory_per_chip_bytes, res.plans[i].step_s);
      if (drawn.insert(std::make_tuple(static_cast<int>(at.x / cell), static_cast<int>(at.y / cell),
                                       res.plans[i].bound))
              .second)
        dot_plans.push_back(i);
    }
    if (dot_plans.size() <= kMaxDots) break;
  }
  int dots = 0;
  for (std::size_t i : dot_plans) {
    const SearchPlan& p = res.plans[i];
    s.Circle(plot.Map(p.memory_per_chip_bytes, p.step_s), 3.5f, BoundColor(th, p.bound).WithAlpha(0.6f),
             {0, 0, 0, 0}, 0, "plan-dot");
    ++dots;
  }
  std::vector<std::size_t> front(res.pareto.begin(), res.pareto.end());
  std::sort(front.begin(), front.end(), [&](std::size_t a, std::size_t b) {
    return res.plans[a].memory_per_chip_bytes < res.plans[b].memory_per_chip_bytes;
  });
  {
    std::vector<Vec2> line;
    for (std::size_t i : front) line.push_back(plot.Map(res.plans[i].memory_per_chip_bytes, res.plans[i].step_s));
    if (line.size() > 1) s.Polyline(line, th.ink, 2.5f, 0, "pareto");
    for (std::size_t k = 0; k < front.size(); ++k) {
      s.Circle(line[k], 6.5f, BoundColor(th, res.plans[front[k]].bound), th.ink, 1.5f, "plan-dot");
      ++dots;
    }
  }
  // Clickable plans: the Pareto front and the five fastest.
  std::vector<std::size_t> clickable = front;
  for (std::size_t i = 0; i < std::min<std::size_t>(5, res.plans.size()); ++i)
    if (!on_front[i]) clickable.push_back(i);
  for (std::size_t i : clickable) {
    const SearchPlan& p = res.plans[i];
    const Vec2 at = plot.Map(p.memory_per_chip_bytes, p.step_s);
    DragHandle h;
    h.pos = at;
    h.id = "plan:" + load_prefix + PlanAssignments(p.training);
    h.track = {{at.x - 8, at.y - 8}, {at.x + 8, at.y + 8}};
    s.handles.push_back(h);
    s.hovers.push_back({h.track, (on_front[i] ? "Pareto plan: " : "Fast plan: ") + PlanName(p.training),
                        "step " + FormatSeconds(p.step_s) + " (" + p.bound + "-bound), memory " +
                            FormatBytes(p.memory_per_chip_bytes) + " per chip, MFU " + Fmt("%.1f %%", 100 * p.mfu) +
                            ", bubble " + Fmt("%.1f %%", 100 * p.bubble_fraction) + "; click to load"});
  }
  s.hovers.push_back({scatter, "Plan search",
                      "every plan with degrees that divide and memory that fits: " + std::to_string(res.plans.size()) +
                          " of " + std::to_string(res.evaluated) + " enumerated (" + std::to_string(dots) +
                          " dots; plans on the same spot share one)"});

  // Right axis: the same step time as dollars per million training tokens.
  if (!res.plans.empty() && res.plans[0].step_s > 0 && sc.training.tokens > 0) {
    const double usd_per_mtok_per_s = res.plans[0].usd / sc.training.tokens * 1e6 / res.plans[0].step_s;
    const double c_lo = t_lo * usd_per_mtok_per_s, c_hi = t_hi * usd_per_mtok_per_s;
    for (double v : NiceTicks(c_lo, c_hi, 6, true)) {
      const Vec2 at = plot.Map(scatter.min.x, v / usd_per_mtok_per_s);
      s.Line({scatter.max.x, at.y}, {scatter.max.x + 6, at.y}, th.ink_dim, 1.5f, 0, "tick");
      s.Text({scatter.max.x + 9, at.y}, FormatUsd(v), th.tick_size, th.ink_dim, FontFace::kMono, HAlign::kLeft,
             VAlign::kMiddle, "tick");
    }
    s.Line({scatter.max.x, scatter.min.y}, {scatter.max.x, scatter.max.y}, th.ink_dim, 1.5f, 0, "axis");
    s.VerticalText({scatter.max.x + 82, (scatter.min.y + scatter.max.y) / 2}, "$ per million training tokens",
                   th.label_size, th.ink_dim);
    s.hovers.push_back({{{scatter.max.x, scatter.min.y}, {scatter.max.x + 95, scatter.max.y}},
                        "Cost per token",
                        "$/token = step time x chips x $/chip-h / 3600 / tokens per step = t x " + Fmt("%.0f", chips) +
                            " x $" + Fmt("%.2f", sc.UsdPerChipHour()) + " / 3600 / " +
                            FormatCount(static_cast<double>(sc.training.global_batch) * sc.training.seq_len)});
  }

  // Labels: the fastest plan and the current plan (the current ringed in the accent colour).
  std::vector<Box> label_boxes;
  auto place_label = [&](Vec2 at, const std::string& text, Color c, bool below) {
    const float w = MeasureTextWidth(text, th.note_size, FontFace::kUi), hgt = th.note_size * 1.3f;
    const bool left = at.x > (scatter.min.x + scatter.max.x) / 2;
    float x = left ? at.x - 16 - w : at.x + 16;
    float y = below ? at.y + 8 : at.y - hgt - 8;
    if (y < scatter.min.y + 4) y = at.y + 10;
    if (y + hgt > scatter.max.y - 2) y = at.y - hgt - 8;
    for (const Box& b : label_boxes)
      if (!(x + w < b.min.x || x > b.max.x || y + hgt < b.min.y || y > b.max.y)) y = b.max.y + 4;
    x = std::clamp(x, scatter.min.x + 4, scatter.max.x - w - 4);
    const Box box{{x - 4, y}, {x + w + 4, y + hgt}};
    label_boxes.push_back(box);
    s.Rect(box, th.background.WithAlpha(0.85f), {0, 0, 0, 0}, 0, 4, "label-bg");
    s.Text({x, y + hgt / 2}, text, th.note_size, c, FontFace::kUi, HAlign::kLeft, VAlign::kMiddle, "plan-label");
  };
  const bool cur_is_fastest = cur_ok && !res.plans.empty() && SamePlan(res.plans[0].training, cur);
  if (cur_ok) {
    const Vec2 at = plot.Map(cur.memory.total_bytes, cur.step_s);
    if (scatter.Contains(at)) {
      s.Circle(at, 4.5f, BoundColor(th, cur.bound), {0, 0, 0, 0}, 0, "current-plan-dot");
      s.Circle(at, 11, {0, 0, 0, 0}, th.accent, 3.5f, "current-plan");
      place_label(at, std::string(cur_is_fastest ? "current = fastest " : "current ") +
                          (enlarged ? "on " + Fmt("%.0f", chips) + " chips " : std::string()) + FormatSeconds(cur.step_s) +
                          (cur.fits ? "" : " (does not fit)"),
                  th.accent, false);
    }
  }
  if (!res.plans.empty() && !cur_is_fastest) {
    const SearchPlan& f = res.plans[0];
    place_label(plot.Map(f.memory_per_chip_bytes, f.step_s), "fastest " + FormatSeconds(f.step_s), th.ink, true);
  }
  if (enlarged) {
    const std::string note = "nothing fits on " + Fmt("%.0f", chips) + " chips: showing " +
                             std::to_string(shown.cluster.racks) + " racks = " + Fmt("%.0f", shown_chips) + " chips";
    const float w = MeasureTextWidth(note, th.note_size, FontFace::kUi);
    s.Rect({{scatter.max.x - w - 20, scatter.min.y + 6}, {scatter.max.x - 6, scatter.min.y + 10 + th.note_size * 1.4f}},
           th.background.WithAlpha(0.9f), th.accent, 1.5f, 4, "label-bg");
    s.Text({scatter.max.x - 13, scatter.min.y + 8 + th.note_size * 0.7f}, note, th.note_size, th.accent,
           FontFace::kUi, HAlign::kRight, VAlign::kMiddle, "enlarged-note");
  }
  if (res.plans.empty()) {
    const Vec2 mid{(scatter.min.x + scatter.max.x) / 2, scatter.min.y + scatter.Height() * 0.22f};
    std::vector<std::string> why;
    if (batch_too_small)
      why = {"No plan splits " + std::to_string(sc.training.global_batch) + " sequences over " +
                 FormatTickNumber(chips, 1) + " chips:",
             "dp x micro-batch must divide the batch: raise it, or use fewer racks"};
    else
      why = {"No plan fits in " + FormatBytes(capacity) + " per chip: add racks or chips"};
    float size = th.label_size, w = 0;
    for (int pass = 0; pass < 2; ++pass, size = th.note_size) {  // the note size when a line is wider than the plot
      w = 0;
      for (const std::string& line : why) w = std::max(w, MeasureTextWidth(line, size, FontFace::kUi));
      if (w + 24 <= scatter.Width()) break;
    }
    const float half_h = static_cast<float>(why.size()) * size * 0.7f + 6;
    s.Rect({{mid.x - w / 2 - 12, mid.y - half_h}, {mid.x + w / 2 + 12, mid.y + half_h}}, th.background.WithAlpha(0.9f),
           th.accent, 1.5f, 4, "label-bg");
    for (size_t i = 0; i < why.size(); ++i)
      s.Text({mid.x, mid.y + (static_cast<float>(i) - static_cast<float>(why.size() - 1) / 2) * size * 1.4f}, why[i],
             size, th.accent, FontFace::kUi, HAlign::kCenter, VAlign::kMiddle, "no-plan");
  }

  // ---- Regime map: the fastest plan per micro-batch x TP (or EP) cell.
  {
    const Box area{{1040, 150}, {W - 40, 600 + extra_h}};
    const std::string row_name = moe ? "EP" : "TP";
    s.Text({area.min.x - 70, 110}, "Regime map: fastest plan per cell", th.heading_size, th.ink, th.TitleFace(),
           HAlign::kLeft, VAlign::kTop, "heading");
    std::vector<int> rows;
    const int max_tp = shown.cluster.chips_per_rack;
    if (moe) {
      for (const SearchPlan& p : res.plans) rows.push_back(p.training.ep);
      if (rows.empty()) rows.push_back(1);
    } else {
      for (int t = 1; t <= max_tp; t *= 2)
        if (sc.model.heads % t == 0) rows.push_back(t);
    }
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    const std::vector<int> cols = SearchOptions{}.micro_batch;
    const float label_w = 70, head_h = 52;
    const float gx0 = area.min.x + label_w, gy0 = area.min.y + head_h;
    const float cw = (area.max.x - gx0) / static_cast<float>(cols.size());
    const float ch = std::min(80.0f + extra_h / static_cast<float>(rows.size()),
                              (area.max.y - 60 - gy0) / static_cast<float>(rows.size()));
    const float head_w = MeasureTextWidth("micro-batch (sequences)", th.label_size, FontFace::kUi);
    s.Text({std::min((gx0 + area.max.x) / 2, s.width - 8 - head_w / 2), area.min.y}, "micro-batch (sequences)",
           th.label_size, th.ink, FontFace::kUi, HAlign::kCenter, VAlign::kTop, "axis-label");
    for (std::size_t c = 0; c < cols.size(); ++c)
      s.Text({gx0 + cw * (static_cast<float>(c) + 0.5f), gy0 - 4}, std::to_string(cols[c]), th.tick_size, th.ink_dim,
             FontFace::kMono, HAlign::kCenter, VAlign::kBottom, "tick");
    s.VerticalText({area.min.x - 22, gy0 + ch * static_cast<float>(rows.size()) / 2},
                   row_name + (moe ? " (expert parallel)" : " (tensor parallel)"), th.label_size, th.ink);
    for (std::size_t r = 0; r < rows.size(); ++r) {
      // Larger degrees at the top, as on a y axis.
      const float y0 = gy0 + ch * static_cast<float>(rows.size() - 1 - r);
      s.Text({gx0 - 12, y0 + ch / 2}, std::to_string(rows[r]), th.tick_size, th.ink_dim, FontFace::kMono,
             HAlign::kRight, VAlign::kMiddle, "tick");
      for (std::size_t c = 0; c < cols.size(); ++c) {
        const float x0 = gx0 + cw * static_cast<float>(c);
        const Box cell{{x0 + 2, y0 + 2}, {x0 + cw - 2, y0 + ch - 2}};
        const SearchPlan* best = nullptr;  // plans are sorted fastest first
        for (const SearchPlan& p : res.plans)
          if (p.training.micro_batch == cols[c] && (moe ? p.training.ep : p.training.tp) == rows[r]) {
            best = &p;
            break;
          }
        if (!best) {
          s.Rect(cell, th.panel, th.grid, 1, 4, "regime-cell");
          s.Text({(cell.min.x + cell.max.x) / 2, (cell.min.y + cell.max.y) / 2}, "no plan fits", th.tick_size,
                 th.ink_dim, FontFace::kUi, HAlign::kCenter, VAlign::kMiddle, "regime-label");
          continue;
        }
        const bool is_best = best == &res.plans.front();
        const bool is_cur = cur_ok && SamePlan(best->training, cur);
        // A light tint of the bound's colour, its text in whichever ink reads on it (4.5:1 in a hall).
        const Color cell_fill = BoundColor(th, best->bound).WithAlpha(0.35f);
        const Color cell_ink = ReadableOn(cell_fill, th.background, th.ink, th.background);
        s.Rect(cell, cell_fill, is_best ? th.accent : th.grid, is_best ? 3.5f : 1.0f, 4, "regime-cell");
        const float cy = (cell.min.y + cell.max.y) / 2;
        const bool two_lines = cell.Height() >= th.label_size * 2.4f;
        s.Text({(cell.min.x + cell.max.x) / 2, two_lines ? cy - th.label_size * 0.55f : cy},
               FormatSeconds(best->step_s) + (is_cur ? " *" : ""), th.label_size, cell_ink, FontFace::kMono,
               HAlign::kCenter, VAlign::kMiddle, "regime-label");
        if (two_lines)
          s.Text({(cell.min.x + cell.max.x) / 2, cy + th.label_size * 0.6f}, best->bound, th.tick_size, cell_ink,
                 FontFace::kUi, HAlign::kCenter, VAlign::kMiddle, "regime-label");
        s.hovers.push_back({cell, "Fastest plan with micro-batch " + std::to_string(cols[c]) + ", " + row_name + " " +
                                      std::to_string(rows[r]),
                            PlanName(best->training) + ": step " + FormatSeconds(best->step_s) + ", " + best->bound +
                                "-bound, memory " + FormatBytes(best->memory_per_chip_bytes) + " per chip"});
      }
    }
    const float note_y = gy0 + ch * static_cast<float>(rows.size()) + 10;
    s.Text({area.min.x, note_y}, "fill = what bounds the cell's fastest plan", th.label_size, th.ink_dim,
           FontFace::kUi, HAlign::kLeft, VAlign::kTop, "note");
    s.Text({area.min.x, note_y + th.label_size * 1.4f},
           std::string("outlined = fastest overall") + (cur_ok ? ";  * = current plan" : ""), th.label_size,
           th.ink_dim, FontFace::kUi, HAlign::kLeft, VAlign::kTop, "note");
  }

  // ---- Stacked bars: where the step time goes.
  {
    const float top = kBarsTop + extra_h, x0 = 40, x1 = W - 170;
    s.Text({x0, top - 6}, "Where a step's time goes", th.heading_size, th.ink, th.TitleFace(), HAlign::kLeft,
           VAlign::kBottom, "heading");
    TrainingReport fast;
    bool fast_ok = false;
    if (!res.plans.empty() && !cur_is_fastest) {
      // The fastest plan under the pipeline simulator, as the current plan is (the scatter uses the
      // search's closed-form bubbles).
      try {
        Scenario f = shown;
        f.training = res.plans[0].training;
        fast = EvaluateTraining(f);
        fast_ok = true;
      } catch (const std::exception&) {
        fast_ok = false;
      }
    }
    double scale = 0;
    if (cur_ok) scale = std::max(scale, cur.step_s);
    if (fast_ok) scale = std::max(scale, fast.step_s);
    float y = top + 4;
    auto head = [&](const std::string& who, const TrainingReport& r) {
      return who + PlanName(PlanOf(r)) +
             " | MFU " + Fmt("%.1f%%", 100 * r.mfu) + " | " + FormatBytes(r.memory.total_bytes) + "/chip" +
             (r.fits ? "" : " (over HBM)") + " | " + FormatCount(sc.training.tokens) + " tokens: " +
             Fmt("%.0f d", r.days) + ", " + FormatUsd(r.usd);
    };
    if (cur_ok) {
      DrawStackedBar(s, th, x0, x1, y, scale, head(cur_is_fastest ? std::string("current (= fastest): ")
                                    : enlarged ? "current on " + Fmt("%.0f", chips) + " chips: " : std::string("current: "),
                     cur),
                     th.accent, cur);
      y += bar_block;
    } else {
      s.Text({x0, y}, "current plan cannot run: " + cur_error, th.note_size, th.accent, FontFace::kUi, HAlign::kLeft,
             VAlign::kTop, "bar-head");
      y += bar_block;
    }
    if (fast_ok) {
      DrawStackedBar(s, th, x0, x1, y, scale,
                     head(enlarged ? "fastest on " + Fmt("%.0f", shown_chips) + " chips: " : std::string("fastest: "), fast),
                     th.ink, fast);
      y += bar_block;
    }
    // Legend of the parts, where there is room under the bars (the bars name their large parts;
    // pulled up over the small-parts line it hid it on small canvases).
    float lx = x0;
    const float ly = y + 6;
    const bool legend_fits = ly + th.label_size * 0.7f <= H - 2;
    for (const Part& p : BreakdownParts(th, TrainingBreakdown{})) {
      if (!legend_fits || lx + 28 + MeasureTextWidth(p.name, th.label_size, FontFace::kUi) > W - 4) break;
      s.Rect({{lx, ly - 8}, {lx + 22, ly + 8}}, p.color, {0, 0, 0, 0}, 0, 3, "legend");
      s.Text({lx + 28, ly}, p.name, th.label_size, th.ink_dim, FontFace::kUi, HAlign::kLeft, VAlign::kMiddle,
             "legend");
      lx += 28 + MeasureTextWidth(p.name, th.label_size, FontFace::kUi) + 22;
    }
  }
  return s;
}

BLACKBOARD_REGISTER_BOARD(Plans, BoardInfo{
    "plans",
    "Training plans",
    "every valid training plan: step time against memory per chip by bound, Pareto front, regime map, breakdown",
    {{"cluster.racks", "racks", 1, 2048, true, true, {}, {}},
     {"cluster.chips_per_rack", "chips per rack", 1, 72, false, true, {}, {}},
     {"training.global_batch", "global batch (sequences)", 8, 16384, true, true, {}, {}},
     {"training.seq_len", "sequence length", 1024, 131072, true, true, {}, {}},
     HardwareControl(),
     ModelControl()},
    &BuildPlans,
    0,
    "cluster.racks",
    /*morphs=*/false,
    /*training=*/true});

}  // namespace
}  // namespace blackboard
