// Board "collectives": a collective moving chunk by chunk over racks of GPUs (lecture.md §2.2).
// Main panel: the hierarchical all-reduce when cluster.racks > 1 (reduce-scatter inside each rack,
// n parallel cross-rack rings on 1/n shards, all-gather inside), a ring all-reduce in one rack
// otherwise. Right: the flat baseline (every GPU rings its whole buffer across racks) with its
// scale-out bytes per GPU n times higher, and an all-to-all in one rack. Bottom: the live byte meter
// per link class and the alpha-beta times with the numbers substituted. Every transfer, step time and
// byte count comes from blackboard/collectives.hpp.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>

#include "../board.hpp"
#include "../rack_slots.hpp"
#include "blackboard/collectives.hpp"
#include "blackboard/model.hpp"
#include "blackboard/report.hpp"
#include "../text_format.hpp"

namespace blackboard {
namespace {

constexpr Color kNone{0, 0, 0, 0};  // no fill / no stroke

constexpr double kDuration = 12.0;   // one loop
constexpr double kActive = 0.88;     // fraction of the loop spent moving; the rest holds the result
// Work budget (issue 17): past this many GPUs the plans are summaries (one step per ring pass, exact
// times and meters, O(GPUs)); past kMaxDrawnRacks racks only some are drawn (rack_slots.hpp), and
// only the transfers between drawn racks.
constexpr int kMaxListedRanks = 512;
// The transfers of `st` whose both ends are drawn (and pass `keep`).
CollectiveStep DrawnTransfers(const CollectiveStep& st, const RackSlots& slots, const ClusterTopology& topo,
                              const std::function<bool(const Transfer&)>& keep = {}) {
  CollectiveStep shown;
  shown.phase = st.phase;
  for (const Transfer& tr : st.transfers)
    if (slots.Slot(topo.RackOf(tr.src_rank)) >= 0 && slots.Slot(topo.RackOf(tr.dst_rank)) >= 0 && (!keep || keep(tr)))
      shown.transfers.push_back(tr);
  return shown;
}

std::string Int(int v) { return std::to_string(v); }

Color LinkColor(const Theme& th, LinkClass c) { return c == LinkClass::kScaleUp ? th.network : th.accent; }

Color ChunkColor(const Theme& th, int chunk) {
  const Color palette[] = {th.compute, th.memory_cap, th.kv, th.memory_bw, th.ink};
  return palette[static_cast<size_t>(chunk) % 5];
}

// Where the animation is: step index (steps_done complete) and the fraction of the current step.
struct Playhead {
  int step = 0;        // current step (== steps.size() when holding the result)
  double frac = 0;     // 0..1 within the current step
};

// Each phase (a run of steps with the same name) gets an equal share of the active loop, and its
// steps equal shares of that: the in-rack steps stay visible even when the scale-out steps dominate.
Playhead PlayheadAt(const CollectivePlan& p, double t) {
  Playhead h;
  const int n = StepCount(p);
  const double u = std::fmod(std::max(0.0, t), kDuration) / (kDuration * kActive);
  if (n == 0 || u >= 1) {
    h.step = n;
    return h;
  }
  std::vector<std::pair<int, int>> phases;  // first step, count
  int first = 0;
  for (size_t i = 0; i < p.steps.size(); first += p.steps[i].repeat, ++i)
    if (i == 0 || p.steps[i].phase != p.steps[i - 1].phase)
      phases.push_back({first, p.steps[i].repeat});
    else
      phases.back().second += p.steps[i].repeat;
  const double per_phase = 1.0 / static_cast<double>(phases.size());
  const size_t ph = std::min(phases.size() - 1, static_cast<size_t>(u / per_phase));
  const double in_phase = (u - static_cast<double>(ph) * per_phase) / per_phase * phases[ph].second;
  const int k = std::min(phases[ph].second - 1, static_cast<int>(in_phase));
  h.step = phases[ph].first + k;
  h.frac = std::clamp(in_phase - k, 0.0, 1.0);
  return h;
}

// Bytes on the busiest link of each class in one step (egress or ingress of one GPU).
std::array<double, kLinkClasses> BusiestLinkBytes(const CollectivePlan& p, const CollectiveStep& st) {
  const int ranks = p.topology.Ranks();
  std::vector<std::array<double, kLinkClasses>> out(static_cast<size_t>(ranks)), in(out);
  for (const Transfer& tr : st.transfers) {
    out[static_cast<size_t>(tr.src_rank)][static_cast<size_t>(tr.link)] += tr.bytes;
    in[static_cast<size_t>(tr.dst_rank)][static_cast<size_t>(tr.link)] += tr.bytes;
  }
  std::array<double, kLinkClasses> m{0, 0};
  for (int r = 0; r < ranks; ++r)
    for (int c = 0; c < kLinkClasses; ++c)
      m[static_cast<size_t>(c)] = std::max({m[static_cast<size_t>(c)], out[static_cast<size_t>(r)][static_cast<size_t>(c)],
                                            in[static_cast<size_t>(r)][static_cast<size_t>(c)]});
  return m;
}

std::array<double, kLinkClasses> Totals(const ByteMeter& m) {
  std::array<double, kLinkClasses> t{0, 0};
  for (const auto& r : m)
    for (int c = 0; c < kLinkClasses; ++c) t[static_cast<size_t>(c)] += r[static_cast<size_t>(c)];
  return t;
}

// GPUs of a rack laid out in a grid inside `box`, in snake order so ring neighbours sit side by side.
struct RackGrid {
  Box box;
  int cols = 1, rows = 1;
  float cell = 10;
  Vec2 Pos(int local) const {
    const int row = local / cols;
    int col = local % cols;
    if (row % 2 == 1) col = cols - 1 - col;
    const float gx = box.min.x + (box.Width() - cell * static_cast<float>(cols)) / 2;
    const float gy = box.min.y + (box.Height() - cell * static_cast<float>(rows)) / 2;
    return {gx + cell * (static_cast<float>(col) + 0.5f), gy + cell * (static_cast<float>(row) + 0.5f)};
  }
};

RackGrid MakeGrid(Box box, int n) {
  RackGrid g;
  g.box = box;
  const float w = std::max(1.0f, box.Width()), h = std::max(1.0f, box.Height());
  g.cols = std::clamp(static_cast<int>(std::ceil(std::sqrt(static_cast<double>(n) * w / h))), 1, n);
  g.rows = (n + g.cols - 1) / g.cols;
  // An even number of snake rows brings the ring's last GPU back next to the first.
  if (g.rows > 1 && g.rows % 2 == 1) ++g.rows;
  g.cols = (n + g.rows - 1) / g.rows;
  g.cell = std::min({w / static_cast<float>(g.cols), h / static_cast<float>(g.rows), 110.0f});
  return g;
}

// Draws the moving part of one step: arrows coloured by link class, chunk squares along them.
void DrawTransfers(Scene& s, const Theme& th, const CollectiveStep& st, double frac,
                   const std::function<Vec2(int)>& pos, float node, bool curve_same_row,
                   const std::function<bool(const Transfer&)>& wraps = {}) {
  const float head = std::clamp(node * 0.35f, 5.0f, 10.0f);
  const float sq = std::clamp(node * 0.45f, 4.0f, 12.0f);
  for (const Transfer& tr : st.transfers) {
    Vec2 a = pos(tr.src_rank), b = pos(tr.dst_rank);
    if (wraps && wraps(tr)) {
      // A ring's wrap-around (last rack to first): a short mark out of the source to the right and another
      // into the destination from the left, instead of a line across every rack.
      const Color c = LinkColor(th, tr.link);
      // Half a node long (at least two heads): it stays inside the main panel, also from its last column.
      const float mark = std::max(node * 0.5f, 2 * head);
      const Vec2 a0 = a + Vec2{node * 0.5f, 0}, a1 = a0 + Vec2{mark, 0};
      const Vec2 b1 = b - Vec2{node * 0.5f, 0}, b0 = b1 - Vec2{mark, 0};
      s.Arrow(a0, a1, c.WithAlpha(0.8f), 2, head, "scale-out-wrap");
      s.Arrow(b0, b1, c.WithAlpha(0.8f), 2, head, "scale-out-wrap");
      const Vec2 at = frac < 0.5 ? a0 + (a1 - a0) * static_cast<float>(2 * frac)
                                 : b0 + (b1 - b0) * static_cast<float>(2 * frac - 1);
      s.Rect({{at.x - sq / 2, at.y - sq / 2}, {at.x + sq / 2, at.y + sq / 2}}, ChunkColor(th, tr.chunk),
             th.background, 1, 2, "chunk");
      continue;
    }
    const Vec2 d = b - a;
    const float len = std::sqrt(d.x * d.x + d.y * d.y);
    if (len < 1) continue;
    const Vec2 u = d * (1.0f / len);
    Vec2 off{0, 0};
    if (curve_same_row) off = Vec2{-u.y, u.x} * (node * 0.18f);  // keep two directions apart
    const Vec2 from = a + u * (node * 0.5f) + off, to = b - u * (node * 0.5f) + off;
    const Color c = LinkColor(th, tr.link);
    s.Arrow(from, to, c.WithAlpha(0.8f), 2, head, tr.link == LinkClass::kScaleUp ? "scale-up" : "scale-out");
    const Vec2 at = from + (to - from) * static_cast<float>(frac);
    s.Rect({{at.x - sq / 2, at.y - sq / 2}, {at.x + sq / 2, at.y + sq / 2}}, ChunkColor(th, tr.chunk),
           th.background, 1, 2, "chunk");
  }
}

std::string AlphaBetaStep(const CollectivePlan& p, const CollectiveStep& st) {
  const auto busiest = BusiestLinkBytes(p, st);
  std::string best;
  double best_t = -1;
  for (int c = 0; c < kLinkClasses; ++c) {
    if (busiest[static_cast<size_t>(c)] <= 0) continue;
    const LinkSpec& l = p.topology.Link(static_cast<LinkClass>(c));
    const double t = l.latency_s + busiest[static_cast<size_t>(c)] / l.bytes_per_s;
    if (t > best_t) {
      best_t = t;
      best = FormatSeconds(l.latency_s) + " + " + FormatBytes(busiest[static_cast<size_t>(c)]) + " / " +
             FormatBytes(l.bytes_per_s) + "/s";
    }
  }
  return "α + bytes/B = " + best + " = " + FormatSeconds(StepTime(p, st));
}

// The closed form with numbers substituted.
std::string ClosedFormText(const CollectivePlan& p) {
  const ClusterTopology& t = p.topology;
  const double S = p.bytes;
  const int n = t.gpus_per_rack, M = t.racks;
  const double T = ClosedFormTime(p.kind, t, S);
  if (p.kind == CollectiveKind::kHierarchicalAllReduce)
    return "2(n−1)(α_up + S/(n·B_up)) + 2(M−1)(α_out + S/(nM·B_out)) = 2·" + Int(n - 1) + "·(" +
           FormatSeconds(t.scaleup.latency_s) + " + " + FormatBytes(S) + "/(" + Int(n) + "·" +
           FormatBytes(t.scaleup.bytes_per_s) + "/s)) + 2·" + Int(M - 1) + "·(" +
           FormatSeconds(t.scaleout.latency_s) + " + " + FormatBytes(S) + "/(" + Int(n * M) + "·" +
           FormatBytes(t.scaleout.bytes_per_s) + "/s)) = " + FormatSeconds(T);
  const int N = t.Ranks();
  const LinkSpec& l = M > 1 ? t.scaleout : t.scaleup;
  const double k = p.kind == CollectiveKind::kRingAllReduce || p.kind == CollectiveKind::kCrossRackRingAllReduce ? 2 : 1;
  const int ring = p.kind == CollectiveKind::kCrossRackRingAllReduce ? M : N;
  return Fmt("%.0f", k) + "(N−1)(α + S/(N·B)) = " + Fmt("%.0f", k) + "·" + Int(ring - 1) + "·(" +
         FormatSeconds(l.latency_s) + " + " + FormatBytes(S) + "/(" + Int(ring) + "·" +
         FormatBytes(l.bytes_per_s) + "/s)) = " + FormatSeconds(T);
}

void DrawMeter(Scene& s, const Theme& th, Box area, const CollectivePlan& p, const Playhead& h) {
  const int n = StepCount(p);
  const auto total = Totals(BytesSentPerRank(p));
  auto so_far = Totals(MeterAfterStep(p, std::min(h.step, n)));
  if (h.step < n) {
    for (const Transfer& tr : StepAt(p, h.step).transfers)
      so_far[static_cast<size_t>(tr.link)] += tr.bytes * h.frac;
  }
  const float row = (area.Height() - 4) / 2;
  for (int c = 0; c < kLinkClasses; ++c) {
    const LinkClass lc = static_cast<LinkClass>(c);
    const float y = area.min.y + row * static_cast<float>(c);
    const std::string name = lc == LinkClass::kScaleUp ? "scale-up (NVLink)" : "scale-out (NIC)";
    s.Text({area.min.x, y + row / 2}, name, th.label_size, LinkColor(th, lc), FontFace::kUi, HAlign::kLeft,
           VAlign::kMiddle, "meter-label");
    const float x0 = area.min.x + 190, x1 = area.max.x - 330;
    const double full = std::max(total[static_cast<size_t>(c)], 1.0);
    const float fx = x0 + static_cast<float>(so_far[static_cast<size_t>(c)] / full) * (x1 - x0);
    s.Rect({{x0, y + 6}, {x1, y + row - 6}}, th.panel, th.ink_dim, 1, 3, "meter");
    if (total[static_cast<size_t>(c)] > 0)
      s.Rect({{x0, y + 6}, {std::max(x0 + 1, fx), y + row - 6}}, LinkColor(th, lc).WithAlpha(0.85f), kNone, 0, 3,
             "meter-fill");
    s.Text({x1 + 12, y + row / 2},
           FormatBytes(so_far[static_cast<size_t>(c)]) + " of " + FormatBytes(total[static_cast<size_t>(c)]),
           th.label_size, th.ink, FontFace::kMono, HAlign::kLeft, VAlign::kMiddle,
           lc == LinkClass::kScaleUp ? "meter-scale-up" : "meter-scale-out");
  }
  s.hovers.push_back({area, "Bytes moved so far, all GPUs",
                      "sum over ranks and finished steps of the transfers' bytes (+ the current step's "
                      "share); at the end = BytesSentPerRank: scale-up " +
                          FormatBytes(total[0]) + ", scale-out " + FormatBytes(total[1])});
}

Scene BuildCollectives(const BoardContext& ctx) {
  const Scenario& sc = ctx.scenario;
  const Theme& th = ctx.theme;
  Scene s(ctx.width, ctx.height);
  s.background = th.background;
  s.board_texture = th.board_texture;
  const float W = ctx.width, H = ctx.height;
  // A canvas taller than 16:9 (4:3: a 1600 x 1200 logical canvas) gives its extra height to the main
  // panel's racks and shares it between the two right-hand panels; the numbers below move down.
  const float extra_h = std::max(0.0f, H - kDesignHeight);

  const ClusterTopology topo = TopologyFromScenario(sc);
  const int M = topo.racks, n = topo.gpus_per_rack;
  const ParamCount pc = CountParameters(sc.model);
  const Training rt = ResolveTrainingDegrees(sc);  // degrees 0 = auto
  const int tp = std::max(1, rt.tp), pp = std::max(1, rt.pp);
  const double S = pc.total * 2 / tp / pp;  // bf16 gradients of one GPU's weights
  const bool hier = M > 1;
  const CollectiveDetail detail =
      topo.Ranks() > kMaxListedRanks ? CollectiveDetail::kSummary : CollectiveDetail::kEveryStep;
  const CollectivePlan main = hier ? HierarchicalAllReduce(topo, S, detail) : RingAllReduce(topo, S);
  const RackSlots slots{M};

  DrawBoardTitle(s, th, hier ? "Hierarchical all-reduce, chunk by chunk" : "Ring all-reduce, chunk by chunk",
                 Int(M) + " rack" + (M > 1 ? "s" : "") + " × " + Int(n) + " " + sc.hardware.name +
                     "  ·  S = gradients per GPU = " + FormatCount(pc.total) +
                     " params × 2 B / (tp·pp = " + Int(tp * pp) + ") = " + FormatBytes(S) +
                     "  ·  1 rack: ring; more: hierarchical");

  // ---- main panel
  const Box mainb{{30, 118}, {1060, 660 + extra_h}};
  s.Panel(mainb, th.panel);
  const Playhead h = PlayheadAt(main, ctx.time_s);
  const int K = StepCount(main);
  const std::string phase = h.step < K ? StepAt(main, h.step).phase : "done";
  s.Text({mainb.min.x + 14, mainb.min.y + 8},
         (h.step < K ? "step " + Int(h.step + 1) + " of " + Int(K) + ": " + phase
                     : "done: every GPU holds the sum of all " + Int(topo.Ranks()) + " buffers"),
         th.heading_size, th.ink, th.TitleFace(), HAlign::kLeft, VAlign::kTop, "step");
  const float rack_top = mainb.min.y + 96, rack_bot = mainb.max.y - 12;
  const float rw = (mainb.Width() - 20) / static_cast<float>(slots.Slots());
  std::vector<RackGrid> grids(static_cast<size_t>(slots.Slots()));
  const bool wide_labels = rw >= 80;
  if (slots.Elided())
    s.Text({mainb.min.x + 10 + rw * (static_cast<float>(slots.EllipsisSlot()) + 0.5f), (rack_top + rack_bot) / 2}, "…",
           th.heading_size,
           th.ink_dim, FontFace::kUi, HAlign::kCenter, VAlign::kMiddle, "racks-elided");
  for (const int r : slots.Drawn()) {
    const int slot = slots.Slot(r);
    const Box rb{{mainb.min.x + 10 + rw * static_cast<float>(slot) + 3, rack_top},
                 {mainb.min.x + 10 + rw * static_cast<float>(slot + 1) - 3, rack_bot}};
    s.Rect(rb, kNone, th.ink_dim.WithAlpha(0.6f), 1.5f, 6, "rack");
    s.Text({(rb.min.x + rb.max.x) / 2, rb.min.y - 4}, wide_labels ? "rack " + Int(r) : Int(r), th.tick_size,
           th.ink_dim, FontFace::kUi, HAlign::kCenter, VAlign::kBottom, "rack-label");
    grids[static_cast<size_t>(slot)] = MakeGrid({{rb.min.x + 4, rb.min.y + 4}, {rb.max.x - 4, rb.max.y - 4}}, n);
    s.hovers.push_back({rb, "Rack " + Int(r),
                        Int(n) + " GPUs on scale-up " + FormatBytes(topo.scaleup.bytes_per_s) + "/s, α " +
                            FormatSeconds(topo.scaleup.latency_s) + "; scale-out " +
                            FormatBytes(topo.scaleout.bytes_per_s) + "/s per GPU, α " +
                            FormatSeconds(topo.scaleout.latency_s)});
  }
  if (!wide_labels)
    s.Text({mainb.max.x - 14, mainb.min.y + 44},
           "racks 0–" + Int(M - 1) + (slots.Elided() ? " (" + Int(kMaxDrawnRacks) + " drawn)" : ""), th.tick_size,
           th.ink_dim, FontFace::kUi, HAlign::kRight, VAlign::kTop);
  const float node = grids.front().cell * 0.62f;
  auto pos = [&](int rank) { return grids[static_cast<size_t>(slots.Slot(topo.RackOf(rank)))].Pos(rank % n); };
  for (int r = 0; r < topo.Ranks(); ++r) {
    if (slots.Slot(topo.RackOf(r)) < 0) {
      r = (topo.RackOf(r) + 1) * n - 1;  // skip the undrawn rack
      continue;
    }
    const Vec2 c = pos(r);
    s.Rect({{c.x - node / 2, c.y - node / 2}, {c.x + node / 2, c.y + node / 2}}, th.background,
           th.ink.WithAlpha(0.7f), 1.2f, std::min(4.0f, node / 5), "gpu");
    if (node >= 30)
      s.Text(c, Int(r), std::clamp(node * 0.3f, 12.0f, 20.0f), th.ink_dim, FontFace::kMono, HAlign::kCenter, VAlign::kMiddle, "rank");
  }
  if (h.step < K)
    DrawTransfers(s, th, DrawnTransfers(StepAt(main, h.step), slots, topo), h.frac, pos, node, true,
                  [&](const Transfer& tr) {
                    return M > 2 && std::abs(topo.RackOf(tr.src_rank) - topo.RackOf(tr.dst_rank)) > 1;
                  });
  s.Text({mainb.min.x + 14, mainb.min.y + 42},
         hier ? "1 reduce-scatter in each rack → 2 all-reduce of 1/n shards across racks → 3 all-gather in each rack"
              : "reduce-scatter around the ring, then all-gather",
         th.note_size, th.ink_dim, FontFace::kUi, HAlign::kLeft, VAlign::kTop);

  // ---- right column: flat baseline, all-to-all
  const Box flatb{{1080, 118}, {W - 30, 440 + extra_h / 2}};
  const float flat_dy = extra_h / 4;  // the flat panel's drawing, centred in its taller panel
  s.Panel(flatb, th.panel);
  const ByteMeter hm = BytesSentPerRank(main);
  const double hier_out = MaxBytesSent(hm, LinkClass::kScaleOut);
  if (hier) {
    const CollectivePlan flat = CrossRackRingAllReduce(topo, S, detail);
    const double flat_out = MaxBytesSent(BytesSentPerRank(flat), LinkClass::kScaleOut);
    s.Text({flatb.min.x + 12, flatb.min.y + 8}, "Flat: each GPU rings all of S across racks", th.label_size,
           th.ink, FontFace::kUi, HAlign::kLeft, VAlign::kTop, "flat-title");
    s.Text({flatb.min.x + 12, flatb.min.y + 34}, "(n rings at once; local GPU 0's ring shown)", th.note_size,
           th.ink_dim, FontFace::kUi, HAlign::kLeft, VAlign::kTop);
    // Local GPU 0 of every rack on a circle.
    // The ring grows into the taller panel (up to the bars' heading below it).
    const Vec2 cc{(flatb.min.x + flatb.max.x) / 2, flatb.min.y + 130 + flat_dy / 2};
    const float R = 56 + flat_dy * 0.45f;
    const float fnode = std::clamp(2 * 3.14159f * R / static_cast<float>(slots.Slots()) * 0.5f, 8.0f, 24.0f);
    auto fpos = [&](int rank) {
      const int slot = slots.Slot(rank / n);
      const float a = -1.5708f + 6.28318f * static_cast<float>(slot) / static_cast<float>(slots.Slots());
      return Vec2{cc.x + R * std::cos(a), cc.y + R * std::sin(a)};
    };
    for (const int r : slots.Drawn()) {
      const Vec2 c = fpos(r * n);
      s.Rect({{c.x - fnode / 2, c.y - fnode / 2}, {c.x + fnode / 2, c.y + fnode / 2}}, th.background,
             th.ink.WithAlpha(0.7f), 1.2f, 3, "gpu");
    }
    const Playhead fh = PlayheadAt(flat, ctx.time_s);
    if (fh.step < StepCount(flat))
      DrawTransfers(s, th,
                    DrawnTransfers(StepAt(flat, fh.step), slots, topo, [n](const Transfer& tr) { return tr.src_rank % n == 0; }),
                    fh.frac, fpos, fnode, false);
    // Scale-out bytes per GPU: flat against hierarchical.
    const float by = flatb.min.y + 236 + flat_dy, bx0 = flatb.min.x + 150, bx1 = flatb.max.x - 120;
    const double full = std::max(flat_out, 1.0);
    auto bar = [&](float y, const std::string& label, double v, const std::string& role) {
      s.Text({flatb.min.x + 12, y + 11}, label, th.label_size, th.ink, FontFace::kUi, HAlign::kLeft, VAlign::kMiddle);
      s.Rect({{bx0, y}, {bx0 + std::max(1.0f, static_cast<float>(v / full) * (bx1 - bx0)), y + 22}},
             th.accent.WithAlpha(0.85f), kNone, 0, 3, role);
      s.Text({bx1 + 8, y + 11}, FormatBytes(v), th.label_size, th.ink, FontFace::kMono, HAlign::kLeft,
             VAlign::kMiddle, role + "-text");
    };
    s.Text({flatb.min.x + 12, by - 28}, "scale-out bytes sent per GPU", th.label_size, th.accent, FontFace::kUi,
           HAlign::kLeft, VAlign::kTop);
    bar(by, "flat", flat_out, "flat-out");
    bar(by + 30, "hierarchical", hier_out, "hier-out");
    s.Text({flatb.min.x + 12, by + 62},
           "n = " + Int(n) + "× fewer: " + FormatSeconds(CollectiveTime(flat)) + " → " +
               FormatSeconds(CollectiveTime(main)),
           th.label_size, th.ink, FontFace::kUi, HAlign::kLeft, VAlign::kTop, "flat-ratio");
    s.hovers.push_back({flatb, "Flat against hierarchical",
                        "flat: 2(M−1)/M·S = 2·" + Int(M - 1) + "/" + Int(M) + "·" + FormatBytes(S) + " = " +
                            FormatBytes(flat_out) + " per GPU over scale-out; hierarchical: 2(M−1)/M·S/n = " +
                            FormatBytes(hier_out) + " (÷" + Int(n) + ")"});
  } else {
    s.Text({flatb.min.x + 12, flatb.min.y + 8}, "One rack: no scale-out traffic", th.label_size, th.ink,
           FontFace::kUi, HAlign::kLeft, VAlign::kTop);
    const double busbw = S * BusBandwidthFactor(main.kind, topo.Ranks()) / CollectiveTime(main);
    const std::string lines[] = {
        "each GPU sends 2(n−1)/n·S = " + FormatBytes(MaxBytesSent(hm, LinkClass::kScaleUp)),
        "bus bandwidth = S·2(n−1)/n / t = " + FormatBytes(busbw) + "/s",
        "raise cluster.racks (with training.dp = 0)",
        "to see the hierarchical all-reduce and",
        "the flat ring's n× more scale-out bytes"};
    float y = flatb.min.y + 50 + flat_dy;
    for (const auto& l : lines) {
      s.Text({flatb.min.x + 12, y}, l, th.label_size, th.ink_dim, FontFace::kUi, HAlign::kLeft, VAlign::kTop);
      y += th.label_size * 1.45f;
    }
  }

  // All-to-all on the first rack's GPUs (at most 8 drawn).
  const Box a2ab{{1080, 454 + extra_h / 2}, {W - 30, 660 + extra_h}};
  const float a2a_dy = extra_h / 4;
  s.Panel(a2ab, th.panel);
  ClusterTopology one = topo;
  one.racks = 1;
  one.gpus_per_rack = std::min(n, 8);
  const CollectivePlan a2a = AllToAll(one, S);
  s.Text({a2ab.min.x + 12, a2ab.min.y + 8}, "All-to-all, " + Int(one.gpus_per_rack) + " GPUs of rack 0",
         th.label_size, th.ink, FontFace::kUi, HAlign::kLeft, VAlign::kTop, "a2a-title");
  {
    const Vec2 cc{a2ab.min.x + 110 + a2a_dy / 2, a2ab.min.y + 118 + a2a_dy};
    const float R = 64 + a2a_dy / 2, anode = 18;
    auto apos = [&](int rank) {
      const float a = -1.5708f + 6.28318f * static_cast<float>(rank) / static_cast<float>(one.gpus_per_rack);
      return Vec2{cc.x + R * std::cos(a), cc.y + R * std::sin(a)};
    };
    for (int r = 0; r < one.gpus_per_rack; ++r) {
      const Vec2 c = apos(r);
      s.Rect({{c.x - anode / 2, c.y - anode / 2}, {c.x + anode / 2, c.y + anode / 2}}, th.background,
             th.ink.WithAlpha(0.7f), 1.2f, 3, "gpu");
    }
    const Playhead ah = PlayheadAt(a2a, ctx.time_s);
    if (ah.step < static_cast<int>(a2a.steps.size()))
      DrawTransfers(s, th, a2a.steps[static_cast<size_t>(ah.step)], ah.frac, apos, anode, false);
    const float tx = a2ab.min.x + 215 + a2a_dy;
    const std::string lines[] = {
        ah.step < static_cast<int>(a2a.steps.size()) ? "shift " + Int(ah.step + 1) + " of " + Int(one.gpus_per_rack - 1)
                                                      : "done",
        "rank i → rank i+k", "(n−1)(α + S/(n·B))", "= " + FormatSeconds(ClosedFormTime(a2a.kind, one, S))};
    float y = a2ab.min.y + 44 + a2a_dy;
    for (const auto& l : lines) {
      s.Text({tx, y}, l, th.label_size, th.ink, FontFace::kUi, HAlign::kLeft, VAlign::kTop, "a2a-text");
      y += th.label_size * 1.4f;
    }
    s.hovers.push_back({a2ab, "All-to-all (pairwise shifts)",
                        "(n−1)(α_up + S/(n·B_up)) = " + Int(one.gpus_per_rack - 1) + "·(" +
                            FormatSeconds(one.scaleup.latency_s) + " + " + FormatBytes(S) + "/(" +
                            Int(one.gpus_per_rack) + "·" + FormatBytes(one.scaleup.bytes_per_s) + "/s)) = " +
                            FormatSeconds(ClosedFormTime(a2a.kind, one, S))});
  }

  // ---- bottom: meter and alpha-beta times
  const float foot = extra_h;  // the bottom block moves down by the extra height
  DrawMeter(s, th, {{40, 672 + foot}, {W - 40, 744 + foot}}, main, h);
  const std::string step_line =
      h.step < K ? "this step: " + AlphaBetaStep(main, StepAt(main, h.step))
                 : "all " + Int(K) + " steps done";
  s.Text({40, 756 + foot}, step_line, th.label_size, th.ink, FontFace::kMono, HAlign::kLeft, VAlign::kTop, "step-time");
  s.Text({40, 788 + foot}, "sum of the " + Int(K) + " step times = " + FormatSeconds(CollectiveTime(main)),
         th.label_size, th.ink, FontFace::kMono, HAlign::kLeft, VAlign::kTop, "total-time");
  s.Text({40, 820 + foot}, ClosedFormText(main), th.label_size, th.ink_dim, FontFace::kMono, HAlign::kLeft, VAlign::kTop,
         "closed-form");
  {
    float x = 40;
    const float y = 852 + foot + th.label_size / 2;
    for (int c = 0; c < kLinkClasses; ++c) {
      const LinkClass lc = static_cast<LinkClass>(c);
      s.Arrow({x, y}, {x + 34, y}, LinkColor(th, lc), 2.5f, 8);
      const std::string label = lc == LinkClass::kScaleUp ? "scale-up transfer" : "scale-out transfer";
      s.Text({x + 42, y}, label, th.label_size, th.ink_dim, FontFace::kUi, HAlign::kLeft, VAlign::kMiddle, "legend");
      x += 50 + MeasureTextWidth(label, th.label_size, FontFace::kUi) + 24;
    }
    s.Rect({{x, y - 6}, {x + 12, y + 6}}, th.compute, kNone, 0, 2);
    s.Text({x + 20, y}, "chunk (colour = chunk index)  ·  edge marks: ring wrap-around  ·  phases share the loop "
           "equally; real times above", th.label_size, th.ink_dim, FontFace::kUi, HAlign::kLeft, VAlign::kMiddle,
           "legend");
  }
  s.hovers.push_back({{{40, 756 + foot}, {W - 40, 845 + foot}}, "Alpha-beta time",
                      "t_step = max over link classes (α + bytes on the busiest link / B); total = Σ steps; "
                      "closed form nccl-tests PERFORMANCE.md and lecture.md §2.2"});
  return s;
}

// The worked example for one rack: the hierarchical all-reduce over kExampleRacks racks.
constexpr int kExampleRacks = 4;

BoardInfo CollectivesBoard() {
  BoardInfo b{
    "collectives",
    "Collectives chunk by chunk",
    "ring / hierarchical all-reduce and all-to-all as transfers over racks, byte meters, alpha-beta times",
    {{"cluster.racks", "racks", 1, 16, false, true, {}, {}},
     {"cluster.chips_per_rack", "GPUs per rack", 8, 72, false, true, {"8", "72"}, {}},
     ModelControl(),
     HardwareControl()},
    &BuildCollectives,
    kDuration,
    "cluster.racks",
    /*morphs=*/false,
    /*training=*/false,
    /*still_time_s=*/kDuration * (1 + kActive) / 2};  // every transfer done, the meters full
  b.degenerate_reason = [](const Scenario& s) -> std::optional<std::string> {
    if (s.cluster.racks > 1) return std::nullopt;
    return "one rack: no scale-out to reduce over";
  };
  b.worked_example = [](const Scenario& s) {
    Scenario ex = s;
    ex.cluster.racks = kExampleRacks;
    ex.training.dp = 0;  // the data-parallel replicas follow the racks
    return ex;
  };
  b.worked_example_label = Int(kExampleRacks) + " racks";
  return b;
}

BLACKBOARD_REGISTER_BOARD(Collectives, CollectivesBoard());

}  // namespace
}  // namespace blackboard
