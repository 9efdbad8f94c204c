// Board "moe-rack": the lecture's mixture-of-experts rack (lecture.md §1.8). Left: GPUs around the
// NVSwitches of one rack, E experts placed E/G per GPU, tokens going through the router to k experts
// and back (dispatch and combine all-to-all, 2 hops GPU -> switch -> GPU). Right: the same layer split
// over 2 racks, half the token copies squeezing through the slower scale-out link. Bytes and times
// come from MoeLayerAllToAll (blackboard/moe_rack.hpp) with the hardware's link bandwidths.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "../board.hpp"
#include "blackboard/moe_rack.hpp"
#include "blackboard/report.hpp"
#include "../text_format.hpp"

namespace blackboard {
namespace {

constexpr Color kNone{0, 0, 0, 0};  // no fill / no stroke

constexpr double kDuration = 6.0;
constexpr float kPi = 3.14159265f;

std::string Int(int v) { return std::to_string(v); }
struct MoeSetup {
  int experts = 256, k = 8, gpus = 64;
  double d_model = 7168;
  bool fallback = false;
  bool whole_domain = false;  // the GPUs are one scale-up domain of the preset (not serving.ep)
  std::string note;
};

MoeSetup SetupFrom(const Scenario& sc) {
  MoeSetup m;
  if (sc.model.experts > 1) {
    m.experts = sc.model.experts;
    m.k = std::max(1, sc.model.experts_active);
    m.d_model = sc.model.d_model;
  } else {
    m.fallback = true;
  }
  if (!m.fallback && sc.serving.ep > 1 && m.experts % sc.serving.ep == 0) {
    m.gpus = sc.serving.ep;
    m.note = Int(m.gpus) + " GPUs (expert parallel " + Int(m.gpus) + ")";
  } else {
    // One scale-up domain of the chosen hardware (H100: 8 GPUs on NVSwitch; GB200 NVL72: 72), with
    // the largest number of GPUs in it that divides E evenly.
    const int domain = std::max(1, std::min(sc.hardware.scaleup_domain, sc.cluster.chips_per_rack));
    m.gpus = 1;
    m.whole_domain = true;
    for (int g = 1; g <= domain; ++g)
      if (m.experts % g == 0) m.gpus = g;
    m.note = Int(m.gpus) + " GPUs: one " + sc.hardware.name + " NVLink domain of " + Int(domain) +
             std::string(m.fallback ? "" : " (expert parallel = 1)");
  }
  return m;
}

// Copies of one token the board draws: past this many the picture is a solid fan (the figures still
// count all k); keeps the build linear in what is drawn for any top-k (100,000 active experts).
constexpr int kMaxDrawnCopies = 64;

// Deterministic "router": the first min(k, 64) experts of token `t` (distinct, spread over the GPUs).
// At most 64 distinct picks of E >= 64 experts: the retries stay a few per pick.
std::vector<int> RoutedExperts(int token, const MoeSetup& m) {
  std::vector<int> out;
  uint32_t h = 2166136261u ^ static_cast<uint32_t>(token * 7919 + 17);
  while (static_cast<int>(out.size()) < std::min({m.k, m.experts, kMaxDrawnCopies})) {
    h = h * 16777619u + 1013904223u;
    const int e = static_cast<int>((h >> 8) % static_cast<uint32_t>(m.experts));
    if (std::find(out.begin(), out.end(), e) == out.end()) out.push_back(e);
  }
  return out;
}

struct RackDraw {
  Vec2 centre;
  float radius = 200;
  int first_gpu = 0, gpus = 64;
  float cell = 20;
  Box switches;
  Vec2 GpuPos(int g) const {
    const float a = -kPi / 2 + 2 * kPi * (static_cast<float>(g - first_gpu) + 0.5f) / static_cast<float>(gpus);
    return {centre.x + radius * std::cos(a), centre.y + radius * std::sin(a)};
  }
  // The switch port a path uses: a point on the switch block facing the GPU.
  Vec2 SwitchPort(int g) const {
    const Vec2 p = GpuPos(g);
    const Vec2 c{(switches.min.x + switches.max.x) / 2, (switches.min.y + switches.max.y) / 2};
    const Vec2 d = p - c;
    const float sx = switches.Width() / 2 / std::max(1e-3f, std::fabs(d.x));
    const float sy = switches.Height() / 2 / std::max(1e-3f, std::fabs(d.y));
    return c + d * std::min(sx, sy);
  }
};

void DrawRack(Scene& s, const Theme& th, const RackDraw& r, const MoeSetup& m, const std::vector<int>& hot,
              const std::string& label) {
  s.Circle(r.centre, r.radius + r.cell * 0.9f, kNone, th.ink_dim.WithAlpha(0.4f), 1.5f, "rack");
  // NVSwitch trays in the middle.
  const int trays = 4;
  const float th_h = r.switches.Height() / trays;
  for (int i = 0; i < trays; ++i)
    s.Rect({{r.switches.min.x, r.switches.min.y + th_h * static_cast<float>(i) + 2},
            {r.switches.max.x, r.switches.min.y + th_h * static_cast<float>(i + 1) - 2}},
           th.network.WithAlpha(0.25f), th.network, 1.2f, 3, "nvswitch");
  s.Text({(r.switches.min.x + r.switches.max.x) / 2, (r.switches.min.y + r.switches.max.y) / 2}, "NVSwitch",
         std::max(12.0f, std::min(th.note_size, r.switches.Width() / 6)), th.ink, FontFace::kUi, HAlign::kCenter,
         VAlign::kMiddle, "nvswitch-label");
  s.Text({r.centre.x, r.centre.y - r.radius - r.cell - 6}, label, th.label_size, th.ink, FontFace::kUi,
         HAlign::kCenter, VAlign::kBottom, "rack-label");
  const int per = m.experts / m.gpus;
  const int drawn = std::min(per, 4);
  for (int g = r.first_gpu; g < r.first_gpu + r.gpus; ++g) {
    const Vec2 p = r.GpuPos(g);
    const float h = r.cell / 2;
    s.Rect({{p.x - h, p.y - h}, {p.x + h, p.y + h}}, th.background, th.ink.WithAlpha(0.75f), 1.2f, 2, "gpu");
    // Experts as small squares in a 2x2 grid.
    const float q = (r.cell - 6) / 2;
    for (int e = 0; e < drawn; ++e) {
      const int expert = g * per + e;
      const bool is_hot = std::find(hot.begin(), hot.end(), expert) != hot.end() ||
                          (per > drawn && std::any_of(hot.begin(), hot.end(), [&](int x) { return x / per == g; }) &&
                           e == 0);
      const float ex = p.x - h + 2 + static_cast<float>(e % 2) * (q + 2);
      const float ey = p.y - h + 2 + static_cast<float>(e / 2) * (q + 2);
      s.Rect({{ex, ey}, {ex + q, ey + q}}, is_hot ? th.accent : th.memory_cap.WithAlpha(0.7f), kNone, 0, 1, "expert");
    }
  }
}

// Position of a token copy at phase u (0..1 of the loop) along src -> switch -> (link) -> dst and back.
struct Path {
  std::vector<Vec2> pts;  // src GPU, ..., dst GPU
  bool crosses = false;
};

Vec2 Along(const std::vector<Vec2>& pts, float f) {
  if (pts.size() < 2) return pts.empty() ? Vec2{} : pts.front();
  std::vector<float> len{0};
  for (size_t i = 1; i < pts.size(); ++i) {
    const Vec2 d = pts[i] - pts[i - 1];
    len.push_back(len.back() + std::sqrt(d.x * d.x + d.y * d.y));
  }
  const float target = std::clamp(f, 0.0f, 1.0f) * len.back();
  for (size_t i = 1; i < pts.size(); ++i)
    if (target <= len[i] || i + 1 == pts.size()) {
      const float seg = std::max(1e-3f, len[i] - len[i - 1]);
      return pts[i - 1] + (pts[i] - pts[i - 1]) * ((target - len[i - 1]) / seg);
    }
  return pts.back();
}

// Phases of the loop: router, dispatch, experts compute, combine, sum.
std::string DrawTokens(Scene& s, const Theme& th, const std::vector<Path>& paths, const std::vector<Color>& colors,
                       double t) {
  const float u = static_cast<float>(std::fmod(std::max(0.0, t), kDuration) / kDuration);
  std::string phase;
  float f = 0;
  bool back = false;
  if (u < 0.08f) {
    phase = "router picks k experts";
  } else if (u < 0.42f) {
    phase = "dispatch (all-to-all): GPU → switch → GPU";
    f = (u - 0.08f) / 0.34f;
  } else if (u < 0.52f) {
    phase = "experts run their MLPs";
    f = 1;
  } else if (u < 0.86f) {
    phase = "combine (all-to-all back)";
    f = (u - 0.52f) / 0.34f;
    back = true;
  } else {
    phase = "outputs summed, added to the residual";
  }
  for (size_t i = 0; i < paths.size(); ++i) {
    const Path& p = paths[i];
    const Color c = p.crosses ? th.accent : th.network;
    s.Polyline(p.pts, c.WithAlpha(0.45f), p.crosses ? 2.5f : 1.5f, p.crosses ? 6.0f : 0.0f,
               p.crosses ? "scale-out-path" : "scale-up-path");
    if (u >= 0.08f && u < 0.86f) {
      const float pos = back ? 1 - f : f;
      s.Circle(Along(p.pts, pos), 5, colors[i], th.background, 1, "token");
    }
  }
  return phase;
}

Scene BuildMoeRack(const BoardContext& ctx) {
  const Scenario& sc = ctx.scenario;
  const Theme& th = ctx.theme;
  Scene s(ctx.width, ctx.height);
  s.background = th.background;
  s.board_texture = th.board_texture;
  const float W = ctx.width, H = ctx.height;
  // A canvas taller than 16:9 (4:3: a 1600 x 1200 logical canvas) gives its extra height to the two
  // rack panels: the one rack grows, and the two racks stack one above the other when they fit.
  const float extra_h = std::max(0.0f, H - kDesignHeight);

  const MoeSetup m = SetupFrom(sc);
  const ClusterTopology topo = TopologyFromScenario(sc);
  // Two racks: two whole domains of m.gpus each where E divides evenly over them, else the expert-
  // parallel GPUs split in two.
  const int g2 = m.whole_domain && m.experts % (2 * m.gpus) == 0 ? 2 * m.gpus : std::max(2, m.gpus - m.gpus % 2);
  const double tokens = std::max(1, sc.serving.batch);
  const MoeAllToAll one = MoeLayerAllToAll({tokens, m.d_model, 2, m.k, m.gpus, 1}, topo);
  const MoeAllToAll two = MoeLayerAllToAll({tokens, m.d_model, 2, m.k, g2, 2}, topo);
  const int moe_layers = m.fallback ? 58 : std::max(0, sc.model.layers - sc.model.dense_layers);

  DrawBoardTitle(s, th, "Experts in a rack: dispatch and combine",
                 (m.fallback ? sc.model.name + " is dense: showing a DeepSeek-V3-like layer" : sc.model.name) +
                     "  ·  " + Int(m.experts) + " experts, top-" + Int(m.k) + ", d_model " +
                     FormatCount(m.d_model) + "  ·  " + m.note + ", " + Int(m.experts / m.gpus) +
                     " experts each  ·  " + sc.hardware.name +
                     (m.k > kMaxDrawnCopies ? "  ·  " + Int(kMaxDrawnCopies) + " of the " + Int(m.k) + " copies drawn" : ""));

  // Two tokens from two GPUs, k copies each.
  const Color token_colors[2] = {th.compute, th.kv};
  const int src[2] = {0, m.gpus / 2 > 0 ? m.gpus / 4 : 0};
  std::vector<int> hot;
  std::vector<std::vector<int>> routed;
  for (int t = 0; t < 2; ++t) {
    routed.push_back(RoutedExperts(t, m));
    for (int e : routed.back()) hot.push_back(e);
  }
  const int per = m.experts / m.gpus;

  // ---- one rack
  const Box lb{{30, 118}, {790, 690 + extra_h}};
  s.Panel(lb, th.panel);
  RackDraw r1;
  // The circle grows with the panel's extra height up to the panel's width; what is left centres it.
  const float grow1 = std::min(extra_h / 2, std::max(0.0f, lb.Width() / 2 - 220 - 60));
  r1.radius = 220 + grow1;
  r1.centre = {(lb.min.x + lb.max.x) / 2, lb.min.y + 80 + r1.radius + (extra_h - 2 * grow1) / 2};
  r1.gpus = m.gpus;
  r1.cell = std::clamp(2 * kPi * r1.radius / static_cast<float>(m.gpus) * 0.8f, 12.0f, 30.0f);
  const float sw1 = r1.radius / 220;  // the switch block scales with the circle
  r1.switches = {{r1.centre.x - 70 * sw1, r1.centre.y - 80 * sw1}, {r1.centre.x + 70 * sw1, r1.centre.y + 80 * sw1}};
  DrawRack(s, th, r1, m, hot, "One rack: every copy 2 hops on NVLink");
  std::vector<Path> paths1;
  std::vector<Color> colors1;
  for (int t = 0; t < 2; ++t)
    for (int e : routed[static_cast<size_t>(t)]) {
      const int dst = e / per;
      paths1.push_back({{r1.GpuPos(src[t]), r1.SwitchPort(src[t]), r1.SwitchPort(dst), r1.GpuPos(dst)}, false});
      colors1.push_back(token_colors[t]);
    }
  const std::string phase = DrawTokens(s, th, paths1, colors1, ctx.time_s);
  s.Text({lb.min.x + 14, lb.max.y - 10}, phase, th.label_size, th.ink, FontFace::kUi, HAlign::kLeft, VAlign::kBottom,
         "phase");
  s.hovers.push_back({lb, "One rack",
                      "each GPU sends B/G·k·d·2 B·(G−1)/G = " + FormatCount(one.tokens_per_gpu) + " × " +
                          FormatBytes(one.bytes_per_token) + " × " + Fmt("%.3f", one.scaleup_fraction) + " = " +
                          FormatBytes(one.scaleup_bytes) + " over NVLink"});

  // ---- two racks
  const Box rb{{810, 118}, {W - 30, 690 + extra_h}};
  s.Panel(rb, th.panel);
  RackDraw a, b;
  // Side by side at 16:9; one above the other when the panel is tall enough for two racks of the
  // 16:9 radius (label, ring of GPUs, and the split note below), the scale-out link then on their right.
  const float rack_h = 2 * (140 + 30) + th.label_size * 1.2f + 16;  // one rack with its label
  const bool stacked = rb.Height() >= 2 * rack_h + th.label_size * 2.5f + 40;
  a.gpus = b.gpus = g2 / 2;
  a.first_gpu = 0;
  b.first_gpu = g2 / 2;
  if (stacked) {
    const float slot_h = (rb.Height() - th.label_size * 2.5f - 20) / 2;
    a.radius = b.radius = std::clamp(slot_h / 2 - 30 - th.label_size, 140.0f, 200.0f);
    // Centred in the panel, leaving room on the right for the scale-out link and its label.
    const float cx = (rb.min.x + rb.max.x) / 2 - 50;
    const float top = rb.min.y + 20 + th.label_size * 1.2f + 6;
    a.centre = {cx, top + (slot_h - th.label_size * 1.2f - 6) / 2};
    b.centre = {cx, a.centre.y + slot_h};
  } else {
    a.radius = b.radius = 140;
    a.centre = {rb.min.x + 190, rb.min.y + 300 + extra_h / 2};
    b.centre = {rb.max.x - 190, rb.min.y + 300 + extra_h / 2};
  }
  a.cell = b.cell = std::clamp(2 * kPi * a.radius / static_cast<float>(a.gpus) * 0.8f, 12.0f, 30.0f);
  const float sw2 = a.radius / 140;
  a.switches = {{a.centre.x - 45 * sw2, a.centre.y - 55 * sw2}, {a.centre.x + 45 * sw2, a.centre.y + 55 * sw2}};
  b.switches = {{b.centre.x - 45 * sw2, b.centre.y - 55 * sw2}, {b.centre.x + 45 * sw2, b.centre.y + 55 * sw2}};
  MoeSetup m2 = m;
  m2.gpus = g2;
  const int per2 = m.experts / g2;
  std::vector<int> hot2;
  std::vector<std::vector<int>> routed2;
  for (int t = 0; t < 2; ++t) {
    routed2.push_back(RoutedExperts(t, m2));
    for (int e : routed2.back()) hot2.push_back(e);
  }
  DrawRack(s, th, a, m2, hot2, "rack A");
  DrawRack(s, th, b, m2, hot2, "rack B");
  // Scale-out: NIC of rack A to NIC of rack B.
  const Vec2 nic_a{a.centre.x + a.radius + a.cell + 14, a.centre.y};
  const Vec2 nic_b = stacked ? Vec2{nic_a.x, b.centre.y} : Vec2{b.centre.x - b.radius - b.cell - 14, b.centre.y};
  s.Line(nic_a, nic_b, th.accent, 6, 0, "scale-out-link");
  if (stacked) {
    const Vec2 mid{nic_a.x + 16, (nic_a.y + nic_b.y) / 2};
    s.Text({mid.x, mid.y - 6}, "scale-out", th.label_size, th.accent, FontFace::kUi, HAlign::kLeft, VAlign::kBottom);
    s.Text({mid.x, mid.y + 6}, FormatBytes(topo.scaleout.bytes_per_s) + "/s", th.label_size, th.accent,
           FontFace::kMono, HAlign::kLeft, VAlign::kTop);
  } else {
    s.Text({(nic_a.x + nic_b.x) / 2, nic_a.y - 10}, "scale-out", th.note_size, th.accent, FontFace::kUi,
           HAlign::kCenter, VAlign::kBottom);
    s.Text({(nic_a.x + nic_b.x) / 2, nic_a.y + 10}, FormatBytes(topo.scaleout.bytes_per_s) + "/s", th.note_size,
           th.accent, FontFace::kMono, HAlign::kCenter, VAlign::kTop);
  }
  std::vector<Path> paths2;
  std::vector<Color> colors2;
  const int src2[2] = {0, g2 / 4};
  for (int t = 0; t < 2; ++t)
    for (int e : routed2[static_cast<size_t>(t)]) {
      const int dst = e / per2;
      const int s_g = src2[t];
      Path p;
      if (dst < g2 / 2) {
        p.pts = {a.GpuPos(s_g), a.SwitchPort(s_g), a.SwitchPort(dst), a.GpuPos(dst)};
      } else {
        p.pts = {a.GpuPos(s_g), a.SwitchPort(s_g), nic_a, nic_b, b.SwitchPort(dst), b.GpuPos(dst)};
        p.crosses = true;
      }
      paths2.push_back(p);
      colors2.push_back(token_colors[t]);
    }
  DrawTokens(s, th, paths2, colors2, ctx.time_s);
  s.Text({rb.min.x + 14, rb.max.y - 10},
         "split over 2 racks: " + Fmt("%.0f %%", 100 * two.scaleout_fraction) + " of the copies leave the rack",
         th.label_size, th.ink, FontFace::kUi, HAlign::kLeft, VAlign::kBottom, "split-note");
  s.hovers.push_back({rb, "Two racks",
                      "each GPU sends B/G·k·d·2 B × ½ = " + FormatBytes(two.scaleout_bytes) + " over scale-out at " +
                          FormatBytes(topo.scaleout.bytes_per_s) + "/s"});

  // ---- numbers
  const float y0 = 706 + extra_h;
  const float lh = th.label_size * 1.45f;
  s.Text({40, y0},
         "B = " + Grouped(tokens) + " tokens in the decode step → " + FormatCount(one.tokens_per_gpu) +
             " per GPU; each token sends k·d·2 B = " + Int(m.k) + "·" + FormatCount(m.d_model) + "·2 B = " +
             FormatBytes(one.bytes_per_token) + " to its experts",
         th.label_size, th.ink, FontFace::kUi, HAlign::kLeft, VAlign::kTop, "bytes");
  s.Text({40, y0 + lh},
         "1 rack:  α_up + bytes/B_up = " + FormatSeconds(topo.scaleup.latency_s) + " + " +
             FormatBytes(one.scaleup_bytes) + " / " + FormatBytes(topo.scaleup.bytes_per_s) + "/s = " +
             FormatSeconds(one.all_to_all_s) + ";  ×2 (dispatch + combine) = " + FormatSeconds(one.layer_s) +
             " per layer",
         th.label_size, th.network, FontFace::kMono, HAlign::kLeft, VAlign::kTop, "time-one");
  s.Text({40, y0 + 2 * lh},
         "2 racks: α_out + bytes/B_out = " + FormatSeconds(topo.scaleout.latency_s) + " + " +
             FormatBytes(two.scaleout_bytes) + " / " + FormatBytes(topo.scaleout.bytes_per_s) + "/s = " +
             FormatSeconds(two.all_to_all_s) + ";  ×2 = " + FormatSeconds(two.layer_s) + " per layer",
         th.label_size, th.accent, FontFace::kMono, HAlign::kLeft, VAlign::kTop, "time-two");
  const double ratio = one.layer_s > 0 ? two.layer_s / one.layer_s : 0;
  s.Text({40, y0 + 3 * lh},
         "→ " + Fmt("%.1f×", ratio) + " slower (B_up/B_out = " +
             Fmt("%.1f", topo.scaleup.bytes_per_s / std::max(1.0, topo.scaleout.bytes_per_s)) +
             "); over " + Int(moe_layers) + " MoE layers: " + FormatSeconds(one.layer_s * moe_layers) + " against " +
             FormatSeconds(two.layer_s * moe_layers) + " per decode step. One rack bounds the size of an expert layer.",
         th.label_size, th.ink, FontFace::kUi, HAlign::kLeft, VAlign::kTop, "ratio");
  s.Text({40, y0 + 4 * lh},
         "Dots: the k copies of two tokens; accent: the experts they picked. NVLink solid, scale-out dashed. "
         "Uniform routing; not to time scale.",
         th.label_size, th.ink_dim, FontFace::kUi, HAlign::kLeft, VAlign::kTop, "legend");
  return s;
}

BLACKBOARD_REGISTER_BOARD(MoeRack, BoardInfo{
    "moe-rack",
    "Experts in a rack: dispatch and combine",
    "experts on the GPUs of an NVL72, tokens routed over NVSwitch and back; splitting the layer over 2 racks",
    {ModelControl(),
     {"serving.batch", "batch (tokens)", 1, 16384, true, true, {}, {}},
     {"serving.ep", "experts over GPUs (EP)", 1, 72, false, true, {}, {}},
     HardwareControl()},
    &BuildMoeRack,
    kDuration,
    "serving.batch",
    /*morphs=*/false,
    /*training=*/false,
    /*still_time_s=*/kDuration * 0.3});  // tokens on their way to the experts

}  // namespace
}  // namespace blackboard
