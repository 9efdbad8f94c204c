// Board "cache": where to keep a KV cache between turns (lecture.md §1.11c-d).
// Left: log-log cost per million cached tokens against hold time for each storage tier (remat,
// HBM, host DRAM, flash, disk): retrieve cost (the flat part) plus hold cost (the slope); the
// cheapest-tier envelope in bold with its crossover points; each tier's drain time on its line (the
// lecture's rule: pick the tier whose drain time matches the hold time); the Opus sheet's 5-minute
// and 1-hour write premiums placed at 5 min and 1 h. Right: the tiers' numbers, where the drain rule
// and the cheapest tier agree or not, and bars of cache-hit price against base input (remat) price.
#include <algorithm>
#include <tuple>
#include <cmath>
#include <cstdio>

#include "../board.hpp"
#include "../layout_check.hpp"
#include "../plot.hpp"
#include "blackboard/pricing.hpp"
#include "blackboard/report.hpp"
#include "blackboard/serving.hpp"
#include "../text_format.hpp"

namespace blackboard {
namespace {

// Dollars with three significant figures however small ("$0.000123").
std::string Usd3(double usd) {
  if (std::fabs(usd) >= 100) return Fmt("$%.0f", usd);
  if (usd != 0 && std::fabs(usd) < 1e-3) return Fmt("$%.2e", usd);
  return Fmt("$%.3g", usd);
}

double DecadeFloor(double v) { return std::pow(10.0, std::floor(std::log10(v))); }
double DecadeCeil(double v) { return std::pow(10.0, std::ceil(std::log10(v))); }

// One fixed colour per tier kind: recompute is compute; HBM is memory bandwidth; the host's DRAM is
// memory capacity; flash and disk take the network and KV colours (the legend names them).
Color TierColor(const Theme& th, const StorageTier& t) {
  if (t.remat) return th.compute;
  if (t.name == "hbm") return th.memory_bw;
  if (t.name.find("dram") != std::string::npos || t.name.find("ddr") != std::string::npos) return th.memory_cap;
  if (t.name.find("flash") != std::string::npos || t.name.find("ssd") != std::string::npos) return th.network;
  return th.kv;
}

// The cache sheet: the first price sheet that prices cache writes (Anthropic Opus when present).
PriceSheet CachePriceSheet() {
  const std::vector<std::string> names = ListPriceSheets();
  if (std::find(names.begin(), names.end(), "anthropic-opus-4.6") != names.end())
    return LoadPriceSheet("anthropic-opus-4.6");
  for (const std::string& n : names) {
    PriceSheet p = LoadPriceSheet(n);
    if (p.cache_write_5m_usd_per_mtok > 0 && p.cache_hit_usd_per_mtok > 0) return p;
  }
  throw ScenarioError("assets/prices", "cache_write_5m_usd_per_mtok", "0", "no price sheet prices cache writes");
}

Scene BuildCache(const BoardContext& ctx) {
  const Scenario& sc = ctx.scenario;
  const Theme& th = ctx.theme;
  Scene s(ctx.width, ctx.height);
  s.background = th.background;
  s.board_texture = th.board_texture;

  // The lecture's tier set with its HBM replaced by the scenario's chip (capacity, bandwidth, price).
  TierSet set = LoadTierSet("lecture");
  for (StorageTier& t : set.tiers)
    if (t.name == "hbm") t = HbmTierFromHardware(sc.hardware);
  const std::vector<StorageTier>& tiers = set.tiers;
  const TierWorkload w = TierWorkloadFromScenario(sc);
  const std::vector<TierSpan> spans = CheapestTierSpans(tiers, w);
  const PriceSheet sheet = CachePriceSheet();
  const CacheReading reading = ReadCachePrices(sheet, tiers);

  DrawBoardTitle(s, th, "Where to keep the KV cache: tiers against hold time",
                 sc.model.name + ": " + FormatBytes(w.kv_bytes_per_token) + " of KV per token  ·  " +
                     sc.hardware.name + " at " + Usd3(sc.hardware.usd_per_hour) + "/h  ·  tiers \"" + set.name +
                     "\" with HBM = " + sc.hardware.name + "  ·  prices: " + sheet.model);

  // ---- Left: cost per M cached tokens against hold time ---------------------------------------
  const double x_lo = 1e-3, x_hi = 1e6;
  const int n = 160;
  std::vector<double> xs(n);
  for (int i = 0; i < n; ++i)
    xs[static_cast<size_t>(i)] = x_lo * std::pow(x_hi / x_lo, static_cast<double>(i) / (n - 1));
  double lo = 1e300, hi = 0;
  std::vector<std::vector<double>> ys(tiers.size());
  for (size_t k = 0; k < tiers.size(); ++k)
    for (double x : xs) {
      const double v = TierCostFor(tiers[k], w, x).total_usd_per_token * 1e6;
      ys[k].push_back(v);
      if (v > 0) lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  std::vector<double> env;
  for (double x : xs) env.push_back(CheapestTier(tiers, w, x).total_usd_per_token * 1e6);
  lo = std::min({lo, reading.hold_5m_premium_usd_per_mtok, reading.hold_1h_premium_usd_per_mtok});
  hi = std::max({hi, reading.hold_5m_premium_usd_per_mtok, reading.hold_1h_premium_usd_per_mtok});
  const double y_hi = DecadeCeil(hi * 3);
  const double y_lo = std::max(DecadeFloor(lo / 3), y_hi * 1e-12);

  const float W = ctx.width, H = ctx.height;
  const Box area{{30, 128}, {W * 0.635f, H - 30}};
  PlotFrame p(area, Axis{x_lo, x_hi, true, "hold time between turns", Unit::kSeconds},
              Axis{y_lo, y_hi, true, "cost per million cached tokens (hold + retrieve)", Unit::kUsd}, th);
  p.DrawAxes(s);
  const Box pb = p.plot_box();
  p.VLine(s, 300, th.ink_dim, {}, 5);
  p.VLine(s, 3600, th.ink_dim, {}, 5);
  for (size_t k = 0; k < tiers.size(); ++k) {
    const StorageTier& t = tiers[k];
    p.Curve(s, xs, ys[k], TierColor(th, t), th.line_width, t.remat ? "remat (recompute from tokens)" : t.name,
            t.remat ? 8.0f : 0.0f);
  }
  p.Curve(s, xs, env, th.ink, th.bold_line_width, "cheapest tier");

  // Drain times on each stored tier's own line (the lecture's rule).
  for (const StorageTier& t : tiers) {
    if (t.remat) continue;
    const double d = t.DrainS();
    if (!p.InX(d)) continue;
    const double v = TierCostFor(t, w, d).total_usd_per_token * 1e6;
    if (v < y_lo || v > y_hi) continue;
    const Vec2 c = p.Map(d, v);
    s.Circle(c, 8, th.background, TierColor(th, t), 3, "drain");
    // Below right of the point, else the first other corner that no curve, marker or text covers.
    TextShape label{{}, "drain " + FormatSeconds(d), th.tick_size, FontFace::kUi, TierColor(th, t), HAlign::kLeft,
                    VAlign::kTop, false, "drain"};
    const std::tuple<Vec2, HAlign, VAlign> places[] = {{{c.x + 4, c.y + 10}, HAlign::kLeft, VAlign::kTop},
                                                       {{c.x + 4, c.y - 10}, HAlign::kLeft, VAlign::kBottom},
                                                       {{c.x - 4, c.y + 10}, HAlign::kRight, VAlign::kTop},
                                                       {{c.x - 4, c.y - 10}, HAlign::kRight, VAlign::kBottom}};
    for (const auto& [pos, halign, valign] : places) {
      label.pos = pos, label.halign = halign, label.valign = valign;
      if (BoxIsFree(s, TextBounds(label))) break;
      label.pos = std::get<0>(places[0]), label.halign = std::get<1>(places[0]), label.valign = std::get<2>(places[0]);
    }
    AddTextOverCurves(s, std::move(label), th.background);  // no free place: on an opaque patch
    s.hovers.push_back({{{c.x - 10, c.y - 10}, {c.x + 10, c.y + 10}},
                        t.name + " drain time",
                        "capacity / bandwidth = " + FormatBytes(t.capacity_bytes) + " / " +
                            FormatBytes(t.bytes_per_s) + "/s = " + FormatSeconds(d)});
  }
  // A label that a curve or marker would cross sits on an opaque patch of the board's colour.
  auto plot_text = [&](Vec2 at, const std::string& str, float size, Color c, FontFace face, HAlign h, VAlign v,
                  const std::string& role) {
    AddTextOverCurves(s, TextShape{at, str, size, face, c, h, v, false, role}, th.background);
  };
  // Crossovers of the envelope.
  for (size_t i = 1; i < spans.size(); ++i) {
    const double x = spans[i].from_hold_s;
    if (!p.InX(x)) continue;
    const double v = CheapestTier(tiers, w, x).total_usd_per_token * 1e6;
    const Vec2 c = p.Map(x, v);
    s.Rect({{c.x - 6, c.y - 6}, {c.x + 6, c.y + 6}}, th.ink, {}, 0, 1, "crossover");
    plot_text({c.x - 6, c.y - 10}, FormatSeconds(x), th.tick_size, th.ink, FontFace::kMono, HAlign::kRight, VAlign::kBottom,
         "crossover");
    s.hovers.push_back({{{c.x - 10, c.y - 10}, {c.x + 10, c.y + 10}},
                        spans[i - 1].tier + " → " + spans[i].tier,
                        "hold* = Δretrieve / Δ(hold $/s) = " + FormatSeconds(x)});
  }
  // The sheet's write premiums (write price - base input) as the price of holding 5 min and 1 h.
  p.Marker(s, 300, reading.hold_5m_premium_usd_per_mtok, th.accent, 9);
  p.Marker(s, 3600, reading.hold_1h_premium_usd_per_mtok, th.accent, 9);
  {
    // Labels at the top of the plot, where no tier line reaches: 5 min to the left of its line,
    // 1 h to the right of its own.
    const float xa = p.Map(300, y_hi).x, xb = p.Map(3600, y_hi).x, yt = pb.min.y + 8;
    const float dy = th.note_size * 1.3f;
    plot_text({xa - 8, yt}, "5-min cache", th.note_size, th.ink, FontFace::kUi, HAlign::kRight, VAlign::kTop, "cache-price");
    plot_text({xa - 8, yt + dy}, "write premium " + Usd3(reading.hold_5m_premium_usd_per_mtok) + "/M", th.note_size,
         th.accent, FontFace::kUi, HAlign::kRight, VAlign::kTop, "cache-price");
    plot_text({xb + 8, yt}, "1-h cache", th.note_size, th.ink, FontFace::kUi, HAlign::kLeft, VAlign::kTop, "cache-price");
    plot_text({xb + 8, yt + dy}, "premium " + Usd3(reading.hold_1h_premium_usd_per_mtok) + "/M", th.note_size, th.accent,
         FontFace::kUi, HAlign::kLeft, VAlign::kTop, "cache-price");
    plot_text({xb + 8, yt + 2 * dy}, "(write − input)", th.note_size, th.ink_dim, FontFace::kUi, HAlign::kLeft, VAlign::kTop,
         "cache-price");
  }
  p.Legend(s);
  s.hovers.push_back({pb, "Tier cost (lecture §1.11d)",
                      "total = bytes_tok/BW x $/s (retrieve) + hold x bytes_tok/capacity x $tier/s; remat = "
                      "2·N_act/FLOP/s x $GPU/s; bytes_tok = " +
                          FormatBytes(w.kv_bytes_per_token)});

  // ---- Right: the numbers -----------------------------------------------------------------------
  const float x0 = W * 0.665f, x1 = W - 24;
  const Box panel{{x0 - 14, 118}, {x1, H - 22}};
  s.Panel(panel, th.panel, 10, "tiers-panel", th.grid, 1);
  float y = panel.min.y + 12;
  auto text = [&](float x, const std::string& t, Color c, float size, FontFace f = FontFace::kMono,
                  HAlign h = HAlign::kLeft) { s.Text({x, y}, t, size, c, f, h, VAlign::kTop, "tiers-panel"); };
  text(x0, "Tiers, per M tokens of " + FormatBytes(w.kv_bytes_per_token) + "/token", th.accent, th.label_size,
       th.TitleFace());
  y += th.label_size * 1.6f;
  const float c1 = x0 + 118, c2 = x0 + 250, c3 = x1 - 12;
  text(x0, "tier", th.ink_dim, th.note_size, FontFace::kUi);
  text(c1 + 70, "drain", th.ink_dim, th.note_size, FontFace::kUi, HAlign::kRight);
  text(c2 + 66, "hold $/h", th.ink_dim, th.note_size, FontFace::kUi, HAlign::kRight);
  text(c3, "retrieve", th.ink_dim, th.note_size, FontFace::kUi, HAlign::kRight);
  y += th.note_size * 1.4f;
  for (const StorageTier& t : tiers) {
    const TierCost c = TierCostFor(t, w, 0);
    text(x0, t.name, TierColor(th, t), th.note_size);
    text(c1 + 70, t.remat ? "-" : FormatSeconds(t.DrainS()), th.ink, th.note_size, FontFace::kMono, HAlign::kRight);
    text(c2 + 66, Usd3(c.hold_usd_per_token_s * 3600 * 1e6), th.ink, th.note_size, FontFace::kMono, HAlign::kRight);
    text(c3, Usd3(c.retrieve_usd_per_token * 1e6), th.ink, th.note_size, FontFace::kMono, HAlign::kRight);
    y += th.note_size * 1.35f;
  }
  y += th.note_size * 0.5f;
  text(x0, "Drain rule against cheapest", th.accent, th.label_size, th.TitleFace());
  y += th.label_size * 1.5f;
  int disagreements = 0;
  for (double hold : {300.0, 3600.0}) {
    const std::string rule = TierByDrainRule(tiers, hold).name;
    const std::string best = CheapestTier(tiers, w, hold).tier;
    const bool agree = rule == best;
    disagreements += agree ? 0 : 1;
    text(x0, std::string(hold < 1000 ? "5-min" : "1-h") + " hold:  drain rule " + rule + ",  cheapest " + best, agree ? th.network : th.kv,
         th.note_size, FontFace::kUi);
    y += th.note_size * 1.35f;
  }
  text(x0,
       disagreements == 0 ? "They agree: each hold time lands on its drain-time tier."
                          : "They differ: the rule balances capacity and bandwidth;",
       th.ink_dim, th.note_size, FontFace::kUi);
  y += th.note_size * 1.3f;
  if (disagreements > 0) {
    text(x0, "the cheapest also weighs each tier's price.", th.ink_dim, th.note_size, FontFace::kUi);
    y += th.note_size * 1.3f;
  }
  {
    // One conversation of the scenario's context: what its KV costs to keep against recomputing it.
    const double tokens = sc.serving.context;
    const TierCost r0 = TierCostFor(tiers.front().remat ? tiers.front() : tiers.back(), w, 0);
    text(x0, "One " + FormatCount(tokens) + "-token context: remat " + Usd3(r0.total_usd_per_token * tokens) + ",",
         th.ink, th.note_size, FontFace::kUi);
    y += th.note_size * 1.3f;
    text(x0,
         "kept 5 min " + Usd3(CheapestTier(tiers, w, 300).total_usd_per_token * tokens) + ", kept 1 h " +
             Usd3(CheapestTier(tiers, w, 3600).total_usd_per_token * tokens) + " (cheapest tier)",
         th.ink, th.note_size, FontFace::kUi);
    y += th.note_size * 1.3f;
  }
  y += th.note_size * 0.5f;

  // Bars: cache hit against remat, as priced and as the engine costs them.
  text(x0, "Cache hit against remat (base input)", th.accent, th.label_size, th.TitleFace());
  y += th.label_size * 1.5f;
  const TierCost remat_cost = TierCostFor(tiers.front().remat ? tiers.front() : tiers.back(), w, 0);
  const double remat = remat_cost.retrieve_usd_per_token * 1e6;
  const TierCost best5 = CheapestTier(tiers, w, 300), best1h = CheapestTier(tiers, w, 3600);
  struct Bar {
    std::string label;
    double ratio;
    std::string value;
    Color color;
  };
  const std::vector<Bar> bars = {
      {"input", 1.0, FormatUsd(sheet.input_usd_per_mtok), th.compute},
      {"5m write", sheet.cache_write_5m_usd_per_mtok / sheet.input_usd_per_mtok,
       FormatUsd(sheet.cache_write_5m_usd_per_mtok), th.accent},
      {"1h write", sheet.cache_write_1h_usd_per_mtok / sheet.input_usd_per_mtok,
       FormatUsd(sheet.cache_write_1h_usd_per_mtok), th.accent},
      {"hit", reading.hit_to_input, FormatUsd(sheet.cache_hit_usd_per_mtok), th.network},
      {"remat", 1.0, Usd3(remat), th.compute},
      {"5 min", best5.total_usd_per_token * 1e6 / remat, Usd3(best5.total_usd_per_token * 1e6),
       TierColor(th, *std::find_if(tiers.begin(), tiers.end(), [&](const StorageTier& t) { return t.name == best5.tier; }))},
      {"1 h", best1h.total_usd_per_token * 1e6 / remat, Usd3(best1h.total_usd_per_token * 1e6),
       TierColor(th, *std::find_if(tiers.begin(), tiers.end(), [&](const StorageTier& t) { return t.name == best1h.tier; }))},
  };
  double rmax = 1;
  for (const Bar& b : bars) rmax = std::max(rmax, b.ratio);
  const float slot = (x1 - 12 - x0) / static_cast<float>(bars.size() + 1);
  text(x0, sheet.model + " (as priced)", th.ink, th.note_size, FontFace::kUi);
  text(x0 + slot * 4.5f, "engine: cheapest tier", th.ink, th.note_size, FontFace::kUi);
  y += th.note_size * 1.25f;
  text(x0 + slot * 4.5f, "5 min " + best5.tier + ", 1 h " + best1h.tier, th.ink_dim, th.note_size, FontFace::kUi);
  const float bar_top = y + th.note_size * 1.6f, bar_bottom = panel.max.y - th.note_size * 3.2f;
  // The bars' figures and names at the note size, shrunk only as far as the widest needs to fit its slot.
  float bar_fs = th.note_size;
  for (const Bar& b : bars) {
    const float wide = std::max(MeasureTextWidth(b.value, th.note_size, FontFace::kMono),
                                MeasureTextWidth(b.label, th.note_size, FontFace::kUi));
    if (wide > slot * 0.92f) bar_fs = std::min(bar_fs, th.Size(th.note_size * slot * 0.92f / wide));
  }
  for (size_t i = 0; i < bars.size(); ++i) {
    const float cx = x0 + slot * (static_cast<float>(i) + (i >= 4 ? 1.0f : 0.5f)) + slot * 0.1f;
    const float h = static_cast<float>(bars[i].ratio / rmax) * (bar_bottom - bar_top - th.note_size * 1.4f);
    const float bw = slot * 0.62f;
    s.Rect({{cx - bw / 2, bar_bottom - h}, {cx + bw / 2, bar_bottom}}, bars[i].color.WithAlpha(0.85f), {}, 0, 3,
           "cache-bar");
    s.Text({cx, bar_bottom - h - 3}, Fmt("%.2gx", bars[i].ratio), bar_fs,
           th.ink, FontFace::kMono, HAlign::kCenter, VAlign::kBottom, "cache-bar");
    s.Text({cx, bar_bottom + 4}, bars[i].value, bar_fs, th.ink_dim, FontFace::kMono, HAlign::kCenter,
           VAlign::kTop, "cache-bar");
    s.Text({cx, bar_bottom + 4 + bar_fs * 1.3f}, bars[i].label, bar_fs, th.ink_dim, FontFace::kUi,
           HAlign::kCenter, VAlign::kTop, "cache-bar");
  }
  s.Line({x0, bar_bottom}, {x1 - 12, bar_bottom}, th.ink_dim, 1.5f, 0, "cache-bar");
  s.hovers.push_back({{{x0, bar_top}, {x1, panel.max.y}},
                      "Cache hit against remat (lecture §1.11c)",
                      "as priced: hit / input = " + Usd3(sheet.cache_hit_usd_per_mtok) + " / " +
                          Usd3(sheet.input_usd_per_mtok) + " = " + Fmt("%.2g", reading.hit_to_input) +
                          "; engine: cheapest at 5 min / remat = " + Usd3(best5.total_usd_per_token * 1e6) + " / " +
                          Usd3(remat)});
  return s;
}

BLACKBOARD_REGISTER_BOARD(Cache, BoardInfo{
    "cache",
    "Where to keep the KV cache",
    "KV storage tiers (remat, HBM, DRAM, flash, disk) against hold time: envelope, crossovers, drain-time rule, "
    "cache prices",
    {{"serving.context", "context", 128, 1048576, true, true, {}, {}}, ModelControl(), HardwareControl()},
    &BuildCache,
    0,
    "serving.context"});

}  // namespace
}  // namespace blackboard
