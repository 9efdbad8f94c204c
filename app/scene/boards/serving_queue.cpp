// Board "serving-queue": batching as a train that departs every period (lecture.md §1.5-1.6, §1.11e).
// Top: a timeline of random arrivals (dots) and departures every period T (vertical lines); each
// departed train rides for one period as a box with its passengers counted; the current train fills
// as the animation's clock moves. Bottom left: the latency distribution with the simulated mean and
// worst case against the closed form (T/2 + T, 2T). Bottom right: fast and slow mode on the cost per
// token against batch curve (the price sheet's "6x price for 2.5x speed").
// T is serving.queue_period_s or else the pure decode step at serving.batch (serving.decode_step_s); arrivals come at
// serving.arrival_rate_per_s or else serving.batch / T (TrainQueueFromScenario); the board says which.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <mutex>

#include "../board.hpp"
#include "../contrast.hpp"
#include "../plot.hpp"
#include "blackboard/price_reading.hpp"
#include "blackboard/pricing.hpp"
#include "blackboard/report.hpp"
#include "blackboard/serving.hpp"
#include "../text_format.hpp"

namespace blackboard {
namespace {

constexpr double kLoopS = 6.0;           // one animation loop
constexpr double kSimulatedPeriods = 200;  // periods in the simulation behind the histogram
constexpr double kMaxArrivals = 5e4;

std::string Usd3(double usd) {
  if (std::fabs(usd) >= 100) return Fmt("$%.0f", usd);
  return Fmt("$%.3g", usd);
}

// The simulation depends only on the scenario's batch and chip, so the animation's frames share it.
const TrainTimeline& CachedTimeline(const TrainQueueParams& q) {
  static std::mutex mu;
  static TrainQueueParams key{};
  static TrainTimeline value;
  static bool has = false;
  std::lock_guard<std::mutex> lock(mu);
  if (!has || key.period_s != q.period_s || key.arrival_rate_per_s != q.arrival_rate_per_s ||
      key.duration_s != q.duration_s || key.service_s != q.service_s) {
    value = SimulateTrainDeparture(q);
    key = q;
    has = true;
  }
  return value;
}

void DrawTimeline(Scene& s, const Theme& th, Box area, const TrainQueueParams& q, const TrainTimeline& tl,
                  double now_frac) {
  const double T = q.period_s;
  const double periods = std::min(8.0, std::floor(q.duration_s / T));
  const double span = periods * T;
  const double now = now_frac * span;
  const float lx = area.min.x + 120, rx = area.max.x - 10;
  auto X = [&](double t) { return static_cast<float>(lx + t / span * (rx - lx)); };
  const float arr_top = area.min.y + 10, arr_bot = area.min.y + (area.Height() - 40) * 0.52f;
  const float train_top = arr_bot + 16, train_bot = area.max.y - 40;
  s.Text({area.min.x, (arr_top + arr_bot) / 2}, "arrivals", th.label_size, th.ink, FontFace::kUi, HAlign::kLeft,
         VAlign::kMiddle);
  s.Text({area.min.x, (train_top + train_bot) / 2}, "trains", th.label_size, th.ink, FontFace::kUi, HAlign::kLeft,
         VAlign::kMiddle);
  s.Rect({{lx, arr_top}, {rx, arr_bot}}, th.panel, {}, 0, 4);
  s.Rect({{lx, train_top}, {rx, train_bot}}, th.panel, {}, 0, 4);

  // Departures every T; a solid line once the train has left.
  for (int k = 0; k <= static_cast<int>(periods); ++k) {
    const double t = k * T;
    const bool left = t <= now;
    s.Line({X(t), arr_top - 4}, {X(t), train_bot + 6}, left ? th.ink : th.ink_dim.WithAlpha(0.6f), left ? 2.5f : 1.5f,
           left ? 0.0f : 6.0f, "departure");
    s.Text({X(t), train_bot + 8}, FormatSeconds(t), th.tick_size, th.ink_dim, FontFace::kMono,
           k == 0 ? HAlign::kLeft : (k == static_cast<int>(periods) ? HAlign::kRight : HAlign::kCenter),
           VAlign::kTop, "departure");
  }

  // Arrivals up to now as dots (every k-th when there are many), jittered by index for legibility.
  size_t in_window = 0;
  while (in_window < tl.arrival_s.size() && tl.arrival_s[in_window] < span) ++in_window;
  const size_t every = std::max<size_t>(1, (in_window + 699) / 700);
  for (size_t i = 0; i < in_window; i += every) {
    const double a = tl.arrival_s[i];
    if (a > now) break;
    const bool boarded = tl.boarded_departure_s[i] <= now;
    // splitmix64's finaliser (Steele, Lea, Flood 2014) mixes the index so strided indices do not line up.
    std::uint64_t hsh = static_cast<std::uint64_t>(i) * 0x9E3779B97F4A7C15ULL;
    hsh = (hsh ^ (hsh >> 30)) * 0xBF58476D1CE4E5B9ULL;
    hsh = (hsh ^ (hsh >> 27)) * 0x94D049BB133111EBULL;
    hsh ^= hsh >> 31;
    const float jitter = static_cast<float>(hsh % 1000) / 1000.0f;
    const float y = arr_top + 9 + jitter * (arr_bot - arr_top - 18);
    s.Circle({X(a), y}, 4, boarded ? th.ink_dim.WithAlpha(0.55f) : th.accent);
  }
  if (every > 1)
    s.Text({rx - 6, arr_top + 4}, "1 dot = " + Grouped(static_cast<double>(every)) + " requests", th.note_size,
           th.ink_dim, FontFace::kUi, HAlign::kRight, VAlign::kTop);

  // Departed trains ride for one service time; the next train fills with the waiting passengers.
  const double service = q.service_s < 0 ? T : q.service_s;
  const float box_h = (train_bot - train_top) * 0.62f;
  for (size_t k = 0; k < tl.departure_s.size(); ++k) {
    const double d = tl.departure_s[k];
    if (d > now || d >= span) break;
    const double end = std::min({d + service, span, now});
    if (tl.batch[k] == 0 && d == 0) continue;
    const float x0 = X(d) + 3, x1 = std::max(X(d) + 4, X(end) - 3);
    s.Rect({{x0, train_top + 6}, {x1, train_top + 6 + box_h}}, th.memory_bw.WithAlpha(0.8f), {}, 0, 5, "train");
    const std::string label = "B = " + Grouped(tl.batch[k]);
    if (x1 - x0 > MeasureTextWidth(label, th.label_size, FontFace::kMono) + 10)
      s.Text({(x0 + x1) / 2, train_top + 6 + box_h / 2}, label, th.label_size,
             ReadableOn(th.memory_bw.WithAlpha(0.8f), th.background, th.background, th.ink), FontFace::kMono,
             HAlign::kCenter, VAlign::kMiddle, "train");
  }
  // The boarding train: passengers waiting since the last departure.
  const double last = std::floor(now / T) * T, next = last + T;
  int waiting = 0;
  for (double a : tl.arrival_s) {
    if (a > now) break;
    if (a > last) ++waiting;
  }
  const double mean_batch = TrainClosedFormOf(q).mean_batch;
  const float fill = static_cast<float>(std::min(1.0, waiting / std::max(1.0, mean_batch * 1.3)));
  const float bx0 = X(last) + 3, bx1 = X(std::min(next, span)) - 3;
  const float by1 = train_bot - 4, by0 = train_top + 6 + box_h + 6;
  // The boarding train: an outline filling with a light tint of the accent, its count in ink on a
  // patch of the board's colour so it reads in every theme (a dark pill hid it in print).
  s.Rect({{bx0, by0}, {bx1, by1}}, th.background, th.accent, 2, 4, "boarding");
  s.Rect({{bx0, by0}, {bx0 + (bx1 - bx0) * fill, by1}}, th.accent.WithAlpha(0.25f), {}, 0, 4, "boarding");
  const std::string boarding = "boarding " + Grouped(waiting);
  const float bw = MeasureTextWidth(boarding, th.tick_size, FontFace::kMono);
  const bool inside = bw + 12 < bx1 - bx0;  // else beside the box, on the lane
  if (inside)
    s.Rect({{bx0 + 3, (by0 + by1) / 2 - th.tick_size * 0.6f}, {bx0 + 9 + bw, (by0 + by1) / 2 + th.tick_size * 0.6f}},
           th.background, {}, 0, 3, "boarding");
  const float text_x = inside ? bx0 + 6 : (bx1 + 6 + bw < rx ? bx1 + 6 : bx0 - 6 - bw);
  s.Text({text_x, (by0 + by1) / 2}, boarding, th.tick_size, th.ink, FontFace::kMono, HAlign::kLeft,
         VAlign::kMiddle, "boarding");
  // Now.
  s.Line({X(now), arr_top - 8}, {X(now), train_bot + 4}, th.accent, 3, 0, "now");
  s.Text({X(now) + (now_frac > 0.8 ? -6.0f : 6.0f), arr_top - 8}, "now " + FormatSeconds(now), th.tick_size,
         th.accent, FontFace::kMono, now_frac > 0.8 ? HAlign::kRight : HAlign::kLeft, VAlign::kBottom, "now");
  s.hovers.push_back({{{lx, arr_top}, {rx, train_bot}},
                      "Departing train (lecture §1.5)",
                      "a train leaves every T = " + FormatSeconds(T) + " with everyone waiting; mean batch = rate x T = " +
                          Grouped(q.arrival_rate_per_s) + "/s x " + FormatSeconds(T) + " = " + Grouped(mean_batch)});
}

Scene BuildServingQueue(const BoardContext& ctx) {
  const Scenario& sc = ctx.scenario;
  const Theme& th = ctx.theme;
  Scene s(ctx.width, ctx.height);
  s.background = th.background;
  s.board_texture = th.board_texture;

  const TrainQueueParams q = TrainQueueFromScenario(sc, kSimulatedPeriods, kMaxArrivals);
  const TrainClosedForm cf = TrainClosedFormOf(q);
  const TrainTimeline& tl = CachedTimeline(q);
  const double T = q.period_s;
  const ServingReport served = EvaluateServing(sc);
  const std::string period_text =
      sc.serving.queue_period_s > 0
          ? "T = " + FormatSeconds(T) + " (period set by hand)"
          : "T = the pure decode step at B = " + Grouped(sc.serving.batch) + ", as on the batch board: " +
                FormatSeconds(T) + " (a full-HBM drain would be " + FormatSeconds(served.hbm_drain_s) + ")";
  const std::string rate_text =
      sc.serving.arrival_rate_per_s > 0
          ? "arrivals " + Grouped(q.arrival_rate_per_s) + "/s (set by hand)"
          : "arrivals at batch / T = " + Grouped(q.arrival_rate_per_s) + "/s";
  const float below_title =
      DrawBoardTitle(s, th, "Batching as a departing train", period_text + "  ·  " + rate_text + "  ·  ride = T");
  s.Text({42, below_title + th.note_size * 0.05f},
         "The engine's time per output token with prefill mixed in (TPOT) is " + FormatSeconds(served.tpot_s) +
             "; the train runs on the lecture's pure step. Period and arrival rate: sliders (0 = derived).",
         th.note_size, th.ink_dim, FontFace::kUi, HAlign::kLeft, VAlign::kTop, "subtitle-note");

  const float W = ctx.width, H = ctx.height;
  const double frac = std::fmod(std::max(0.0, ctx.time_s), kLoopS) / kLoopS;
  DrawTimeline(s, th, {{40, 132}, {W - 40, 414}}, q, tl, frac);

  // ---- Latency histogram --------------------------------------------------------------------
  const Box hist_area{{30, 430}, {W * 0.5f - 10, H - 16}};
  int max_count = 1;
  for (int c : tl.histogram_counts) max_count = std::max(max_count, c);
  const double n_req = static_cast<double>(tl.latency_s.size());
  const double x_hi = tl.histogram_edges_s.back() * 1.05;
  const double y_hi = max_count / n_req * 1.25;
  PlotFrame hp(hist_area, Axis{0, x_hi, false, "latency = wait + ride", Unit::kSeconds},
               Axis{0, y_hi, false, "share of requests", Unit::kPercent}, th);
  hp.DrawAxes(s, "Latency over " + Grouped(n_req) + " simulated requests");
  for (size_t i = 0; i < tl.histogram_counts.size(); ++i) {
    if (tl.histogram_counts[i] == 0) continue;
    const Vec2 a = hp.Map(tl.histogram_edges_s[i], tl.histogram_counts[i] / n_req);
    const Vec2 b = hp.Map(tl.histogram_edges_s[i + 1], 0);
    s.Rect({{a.x + 1, a.y}, {b.x - 1, b.y}}, th.memory_bw.WithAlpha(0.75f), {}, 0, 0, "histogram");
  }
  hp.VLine(s, cf.mean_latency_s, th.accent, {}, 0);
  hp.VLine(s, cf.worst_latency_s, th.kv, {}, 0);
  hp.VLine(s, tl.mean_latency_s, th.ink, {}, 6);
  const Box hb = hp.plot_box();
  {
    float y = hb.min.y + 10;
    const float x = hb.min.x + 12;
    auto line = [&](const std::string& t, Color c) {
      s.Text({x, y}, t, th.note_size, c, FontFace::kMono, HAlign::kLeft, VAlign::kTop, "queue-stats");
      y += th.note_size * 1.4f;
    };
    line("mean, simulated   " + FormatSeconds(tl.mean_latency_s), th.ink);
    line("mean, T/2 + T     " + FormatSeconds(cf.mean_latency_s), th.accent);
    line("worst, simulated  " + FormatSeconds(tl.max_latency_s), th.ink);
    line("worst, T + T = 2T " + FormatSeconds(cf.worst_latency_s), th.kv);
    line("mean train        " + Grouped(cf.mean_batch) + " seqs", th.ink_dim);
    line("B / T             " + FormatCount(cf.tokens_per_s) + " tok/s", th.ink_dim);
  }
  s.hovers.push_back({hb, "Latency of the departing train",
                      "wait ~ U(0, T), ride = T: mean = T/2 + T = " + FormatSeconds(cf.mean_latency_s) +
                          ", worst = 2T = " + FormatSeconds(cf.worst_latency_s) + "; simulated mean " +
                          FormatSeconds(tl.mean_latency_s)});

  // ---- Fast and slow mode on cost per token against batch -----------------------------------
  const ServingModel m = MakeServingModel(sc);
  const PriceSheet opus = LoadPriceSheet("anthropic-opus-4.6");
  const double speedup = opus.fast_mode_speedup, multiple = opus.fast_mode_price_multiple;
  const double standard = sc.serving.batch;
  const double fast_b = BatchForSpeedup(m, standard, speedup);
  const SpeedTradeoff tr = CompareBatches(m, standard, fast_b > 0 ? fast_b : 1);
  const double bx_hi = std::pow(10.0, std::ceil(std::log10(std::max(16384.0, standard * 4))));
  std::vector<double> bs, cost;
  for (int i = 0; i <= 120; ++i) {
    const double b = std::pow(bx_hi, i / 120.0);
    bs.push_back(b);
    cost.push_back(BatchPointAt(m, b).usd_per_token * 1e6);
  }
  const double cy_lo = std::pow(10.0, std::floor(std::log10(tr.floor_usd_per_token * 1e6 * 0.5)));
  const double cy_hi = std::pow(10.0, std::ceil(std::log10(cost.front() * 1.5)));
  const Box cost_area{{W * 0.5f + 10, 430}, {W - 30, H - 16}};
  PlotFrame cp(cost_area, Axis{1, bx_hi, true, "batch (sequences per train)", Unit::kCount},
               Axis{cy_lo, cy_hi, true, "cost per M output tokens", Unit::kUsd}, th);
  cp.DrawAxes(s, "Fast mode and slow mode");
  cp.Curve(s, bs, cost, th.ink, th.bold_line_width, "cost per token");
  cp.HLine(s, tr.floor_usd_per_token * 1e6, th.compute);
  const Box cb = cp.plot_box();
  // Labels below and left of their points: the curve only falls to the right, so that corner is empty.
  auto label_below_left = [&](double b, double usd, const std::string& t, Color c) {
    const Vec2 at = cp.Map(b, usd);
    s.Text({std::max(at.x - 12, cb.min.x + MeasureTextWidth(t, th.note_size, FontFace::kUi) + 4), at.y + 10}, t,
           th.note_size, c, FontFace::kUi, HAlign::kRight, VAlign::kTop, "fast-mode");
  };
  {
    const Vec2 f = cp.Map(1, tr.floor_usd_per_token * 1e6);
    s.Text({cb.min.x + 10, f.y + 6}, "slow-mode floor " + Usd3(tr.floor_usd_per_token * 1e6) + " (compute + KV)",
           th.note_size, th.compute, FontFace::kUi, HAlign::kLeft, VAlign::kTop, "fast-mode");
  }
  cp.Marker(s, standard, tr.standard.usd_per_token * 1e6, th.memory_bw, 9);
  label_below_left(standard, tr.standard.usd_per_token * 1e6,
                   "standard B = " + Grouped(standard) + ": " + Usd3(tr.standard.usd_per_token * 1e6), th.memory_bw);
  std::string fast_line;
  if (fast_b > 0) {
    cp.Marker(s, fast_b, tr.fast.usd_per_token * 1e6, th.accent, 9);
    label_below_left(fast_b, tr.fast.usd_per_token * 1e6,
                     "fast B = " + Grouped(fast_b) + ": " + Fmt("%.2gx", tr.price_multiple) + " price", th.accent);
    fast_line = Fmt("%.2gx", speedup) + " speed: B " + Grouped(standard) + " → " + Grouped(fast_b) + ", " +
                Fmt("%.2gx", tr.price_multiple) + " price (engine)";
  } else {
    fast_line = Fmt("%.2gx", speedup) + " speed unreachable at B = " + Grouped(standard) + ": max " +
                Fmt("%.2fx", tr.max_speedup);
  }
  {
    // Top right of the plot: high cost at large batch never happens, so the corner is free.
    float y = cb.min.y + 10;
    const float x = cb.min.x + cb.Width() * 0.2f;
    s.Rect({{x - 4, y - 4}, {cb.max.x - 8, y + th.note_size * 4.2f}}, th.panel, {}, 0, 5, "fast-mode");
    auto line = [&](const std::string& t, Color c) {
      s.Text({x + 4, y}, t, th.note_size, c, FontFace::kUi, HAlign::kLeft, VAlign::kTop, "fast-mode");
      y += th.note_size * 1.4f;
    };
    line(fast_line, th.accent);
    line(opus.model + ": " + Fmt("%.2gx", multiple) + " price for " + Fmt("%.2gx", speedup) +
             " speed ⇒ batch / " + Fmt("%.3g", BatchShrinkImplied(multiple, speedup)),
         th.ink);
    line("slow mode saves ≤ " + Fmt("%.0f%%", 100 * tr.slow_mode_saving) + " (floor: compute + KV)",
         th.compute);
  }
  s.hovers.push_back({cb, "Fast and slow mode (lecture §1.11e)",
                      "$/token = step(B) x $/s / B; step(" + Grouped(standard) + ") = " +
                          FormatSeconds(tr.standard.step_s) + ", floor step = " + FormatSeconds(tr.latency_floor_s) +
                          "; price multiple x speed-up = batch shrink"});
  return s;
}

BLACKBOARD_REGISTER_BOARD(ServingQueue, BoardInfo{
    "serving-queue",
    "Batching as a departing train",
    "random arrivals join a train that departs every decode step; latency distribution; fast and slow mode",
    {{"serving.batch", "batch (mean train)", 1, 16384, true, true, {}, {}},
     {"serving.arrival_rate_per_s", "arrivals / s (0 = batch / T)", 0, 1e6, false, false, {}, {}},
     {"serving.queue_period_s", "period T, s (0 = decode step)", 0, 0.2, false, false, {}, {}},
     HardwareControl(),
     ModelControl()},
    &BuildServingQueue,
    kLoopS,
    "serving.batch",
    /*morphs=*/false,
    /*training=*/false,
    /*still_time_s=*/kLoopS * 0.7});  // several trains departed

}  // namespace
}  // namespace blackboard
