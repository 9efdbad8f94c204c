// Board "gradient-flow": one training step of one GPU along time. The forward pass climbs the layers,
// the backward pass sweeps them from last to first while gradient buckets reduce (all-reduce for
// ZeRO 0-1, reduce-scatter for 2-3) in the background; FSDP (ZeRO-3) all-gathers each layer's weights
// before it runs. Lanes: compute, DP/FSDP, TP, EP, PP; comm hidden behind compute is drawn apart from
// comm on the critical path (exposed). Seconds come from the training engine's step (EvaluateTraining:
// compute, recompute, each parallelism's comm and exposed share, the pipeline bubble, the optimizer;
// they sum to eval's training.step_s); bytes per GPU, links and the overlap model in words from
// TrainingStepTraffic (blackboard/layout.hpp). The board lays those seconds out along time.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "../board.hpp"
#include "../plot.hpp"
#include "blackboard/layout.hpp"
#include "blackboard/report.hpp"
#include "blackboard/training.hpp"

namespace blackboard {
namespace {

constexpr Color kNone{0, 0, 0, 0};  // no fill / no stroke

constexpr double kDuration = 8.0;

std::string Int(int v) { return std::to_string(v); }

struct Seg {
  double t0 = 0, t1 = 0;
  int lane = 0;
  bool exposed = false;
  int layer = -1;
  bool backward = false;
};

enum Lane { kCompute = 0, kDp = 1, kTp = 2, kEp = 3, kPp = 4, kLanes = 5 };

Scene BuildGradientFlow(const BoardContext& ctx) {
  const Scenario& sc = ctx.scenario;
  const Theme& th = ctx.theme;
  Scene s(ctx.width, ctx.height);
  s.background = th.background;
  s.board_texture = th.board_texture;
  const float W = ctx.width;

  const TrainingTraffic tr = TrainingStepTraffic(sc);
  const ParallelPlan plan = PlanFromScenario(sc);
  const LayoutModel lm = LayoutModelFromModel(sc.model);
  ParallelPlan p0 = plan;
  p0.zero = 0;
  const GpuLayout g0 = LayoutForRank(lm, p0, 0);
  const int L = std::max(1, g0.layer_count);
  std::vector<bool> moe(static_cast<size_t>(L));
  int moe_count = 0;
  for (int i = 0; i < L; ++i) {
    moe[static_cast<size_t>(i)] = lm.layers[static_cast<size_t>(g0.first_layer + i)].experts > 0;
    moe_count += moe[static_cast<size_t>(i)] ? 1 : 0;
  }
  const ParallelismTraffic empty;
  auto find = [&](const char* n) { const ParallelismTraffic* p = tr.Find(n); return p ? *p : empty; };
  const bool fsdp = plan.zero >= 3;
  ParallelismTraffic dp = find(fsdp ? "fsdp" : "dp"), tp = find("tp"), ep = find("ep"), pp = find("pp");
  // The engine's step (eval's training.step_s): its seconds replace the traffic model's peak-rate ones.
  const TrainingOutcome outcome = TryEvaluateTraining(sc);
  double fwd = tr.backward_compute_s / 2, bwd = tr.backward_compute_s, optimizer_s = 0, bubble_s = 0;
  double exposed_comm_s = tr.exposed_s;
  if (outcome.report) {
    const TrainingReport& r = *outcome.report;
    const TrainingBreakdown& b = r.breakdown;
    fwd = b.compute_s / 3;                      // forward 2N, backward 4N FLOPs per token (Kaplan-2020 §2.1)
    bwd = b.compute_s * 2 / 3 + b.recompute_s;  // the recomputed forward runs inside the backward
    optimizer_s = b.optimizer_s;
    bubble_s = b.bubble_s;
    dp.comm_s = r.comm_dp_s, dp.exposed_s = b.dp_s;
    tp.comm_s = r.comm_tp_s + r.comm_cp_s, tp.exposed_s = b.tp_s + b.cp_s;  // CP rides the TP lane
    ep.comm_s = r.comm_ep_s, ep.exposed_s = b.ep_s;
    pp.comm_s = r.comm_pp_s, pp.exposed_s = b.pp_s + bubble_s;  // fill and drain: p2p and the bubble
    exposed_comm_s = b.dp_s + b.tp_s + b.cp_s + b.ep_s + b.pp_s;
  }

  DrawBoardTitle(s, th, "Gradient flow: compute, and the comm hiding behind it",
                 sc.model.name + " on " + Int(plan.Ranks()) + " " + sc.hardware.name + "  ·  dp " + Int(plan.dp) +
                     " · tp " + Int(plan.tp) + " · pp " + Int(plan.pp) + " · ep " + Int(plan.ep) + " · ZeRO-" +
                     Int(plan.zero) + " · micro-batch " + Int(sc.training.micro_batch) + "  ·  one step of GPU 0 (" +
                     Int(L) + " layers on its stage, micro-batches lumped)");

  // ---- timeline: PP fill, forward (FSDP gathers, TP/EP gaps), backward, DP tail, PP drain.
  std::vector<Seg> segs;
  double t = 0;
  const double pp_half = pp.exposed_s / 2;
  if (pp_half > 0) {
    segs.push_back({t, t + pp_half, kPp, true});
    t += pp_half;
  }
  const double tp_gap = tp.exposed_s / (2.0 * L);
  const double ep_gap = moe_count > 0 ? ep.exposed_s / (2.0 * moe_count) : 0;
  // FSDP: the first gather (half the exposed seconds) before layer 0; the rest prefetched.
  double fsdp_first = 0;
  if (fsdp && dp.exposed_s > 0) {
    fsdp_first = dp.exposed_s / 2;
    segs.push_back({t, t + fsdp_first, kDp, true, 0});
    t += fsdp_first;
  }
  const double dp_hidden = std::max(0.0, dp.comm_s - dp.exposed_s);
  const int buckets = fsdp ? 2 * L : L;  // FSDP: gathers in forward, gathers + reduce-scatters in backward
  const double bucket = buckets > 0 ? dp_hidden / buckets : 0;
  const double fwd_l = fwd / L, bwd_l = bwd / L;
  for (int i = 0; i < L; ++i) {
    const double start = t;
    segs.push_back({t, t + fwd_l, kCompute, false, i, false});
    if (fsdp && i + 1 < L) {
      // Prefetch the next layer's weights while this one computes.
      segs.push_back({start, start + std::min(bucket, fwd_l), kDp, false, i + 1, false});
    }
    t += fwd_l;
    if (tp_gap > 0) {
      segs.push_back({t, t + tp_gap, kTp, true, i, false});
      t += tp_gap;
    }
    if (ep_gap > 0 && moe[static_cast<size_t>(i)]) {
      segs.push_back({t, t + ep_gap, kEp, true, i, false});
      t += ep_gap;
    }
  }
  const double bwd_start = t;
  double dp_free = t;  // when the DP lane is next free
  for (int i = L - 1; i >= 0; --i) {
    segs.push_back({t, t + bwd_l, kCompute, false, i, true});
    t += bwd_l;
    if (tp_gap > 0) {
      segs.push_back({t, t + tp_gap, kTp, true, i, true});
      t += tp_gap;
    }
    if (ep_gap > 0 && moe[static_cast<size_t>(i)]) {
      segs.push_back({t, t + ep_gap, kEp, true, i, true});
      t += ep_gap;
    }
    // This layer's gradient bucket reduces once its backward is done (hidden share).
    if (bucket > 0 && i > 0) {
      const double b0 = std::max(dp_free, t);
      const double len = fsdp ? 2 * bucket : bucket * static_cast<double>(L) / std::max(1, L - 1);
      segs.push_back({b0, b0 + len, kDp, false, i, true});
      dp_free = b0 + len;
    }
  }
  const double compute_end = t;
  const double dp_tail = dp.exposed_s - fsdp_first;
  if (dp_tail > 0) {
    segs.push_back({t, t + dp_tail, kDp, true, 0, true});
    t += dp_tail;
  }
  if (optimizer_s > 0) {  // the optimizer step at HBM speed, after the gradients are reduced
    segs.push_back({t, t + optimizer_s, kCompute, false, -1, false});
    t += optimizer_s;
  }
  if (pp_half > 0) {
    segs.push_back({t, t + pp_half, kPp, true});
    t += pp_half;
  }
  const double total = std::max(t, 1e-12);
  // Hidden DP buckets may run past the end in the drawing when they queue; keep them inside.
  for (Seg& sg : segs)
    if (sg.lane == kDp && !sg.exposed && sg.t1 > compute_end) {
      const double len = sg.t1 - sg.t0;
      sg.t1 = compute_end;
      sg.t0 = std::max(bwd_start, compute_end - len);
    }

  // ---- animation: a playhead along the step.
  const double u = std::fmod(std::max(0.0, ctx.time_s), kDuration) / kDuration;
  const double now = std::min(1.0, u / 0.92) * total;

  // ---- lanes
  const float lx0 = 330, lx1 = W - 40, ly0 = 150;
  const float lane_h = 62, lane_gap = 14;
  auto X = [&](double sec) { return lx0 + static_cast<float>(sec / total) * (lx1 - lx0); };
  const char* lane_name[kLanes] = {"compute", fsdp ? "FSDP" : "DP", "TP", "EP", "PP"};
  const ParallelismTraffic* lane_part[kLanes] = {nullptr, &dp, &tp, &ep, &pp};
  for (int l = 0; l < kLanes; ++l) {
    const float y = ly0 + (lane_h + lane_gap) * static_cast<float>(l);
    s.Panel({{lx0, y}, {lx1, y + lane_h}}, th.panel, 4, "lane");
    s.Text({lx0 - 12, y + lane_h / 2 - 10}, lane_name[l], th.label_size, th.ink, FontFace::kUi, HAlign::kRight,
           VAlign::kMiddle, "lane-label");
    std::string sub;
    if (l == kCompute) {
      sub = "fwd " + FormatSeconds(fwd) + " · bwd " + FormatSeconds(bwd);
    } else {
      const ParallelismTraffic& p = *lane_part[l];
      sub = p.comm_s > 0 ? FormatSeconds(p.comm_s) + ", exposed " + FormatSeconds(p.exposed_s) : "none";
      s.hovers.push_back({{{30, y}, {lx1, y + lane_h}},
                          std::string(lane_name[l]) + " traffic",
                          FormatBytes(p.bytes_per_gpu) + " per GPU per step on " +
                              LinkClassName(p.link) + ": " + FormatSeconds(p.comm_s) + " of comm, " +
                              FormatSeconds(p.exposed_s) + " exposed. " + p.overlap});
    }
    s.Text({lx0 - 12, y + lane_h / 2 + 12}, sub, th.note_size, th.ink_dim, FontFace::kMono, HAlign::kRight,
           VAlign::kMiddle, "lane-sub");
  }
  // Compute end marker.
  const float lanes_bottom = ly0 + (lane_h + lane_gap) * static_cast<float>(kLanes) - lane_gap;
  for (const Seg& sg : segs) {
    const float y = ly0 + (lane_h + lane_gap) * static_cast<float>(sg.lane);
    const float x0 = X(sg.t0), x1 = std::max(X(sg.t1), X(sg.t0) + 1.0f);
    const bool done = sg.t0 <= now;
    Color c;
    std::string role;
    if (sg.lane == kCompute && sg.layer < 0) {
      c = th.memory_cap;  // as sharding draws the optimizer state
      role = "optimizer";
    } else if (sg.lane == kCompute) {
      c = sg.backward ? th.backward : th.forward;
      role = sg.backward ? "backward" : "forward";
    } else {
      c = sg.exposed ? th.accent : th.network;
      role = sg.exposed ? "exposed" : "hidden";
    }
    const float inset = sg.lane == kCompute ? 4.0f : (sg.exposed ? 8.0f : 16.0f);
    float xe = x1;
    if (done && now < sg.t1) xe = X(now);  // partly done
    s.Rect({{x0, y + inset}, {x1, y + lane_h - inset}}, c.WithAlpha(0.22f), kNone, 0, 1, role + "-todo");
    if (done) s.Rect({{x0, y + inset}, {std::max(x0 + 1, xe), y + lane_h - inset}}, c, kNone, 0, 1, role);
  }
  s.Line({X(compute_end), ly0 - 8}, {X(compute_end), lanes_bottom + 6}, th.ink_dim, 1.5f, 5);
  s.Text({X(compute_end) - 4, ly0 - 10}, "compute ends", th.note_size, th.ink_dim, FontFace::kUi, HAlign::kRight,
         VAlign::kBottom);
  s.Text({X(bwd_start) + 4, ly0 - 10}, "backward →", th.note_size, th.backward, FontFace::kUi, HAlign::kLeft,
         VAlign::kBottom);
  s.Text({lx0 + 4, ly0 - 10}, "forward →", th.note_size, th.forward, FontFace::kUi, HAlign::kLeft, VAlign::kBottom);
  // Playhead.
  s.Line({X(now), ly0 - 4}, {X(now), lanes_bottom + 4}, th.ink, 2.5f, 0, "playhead");
  // Time axis.
  const std::vector<double> ticks = NiceTicks(0, total, 8, false);
  const UnitScale us = ChooseUnitScale(total, Unit::kSeconds);
  const double step = ticks.size() > 1 ? ticks[1] - ticks[0] : total;
  for (double tk : ticks) {
    if (tk > total * 1.0001) continue;
    s.Line({X(tk), lanes_bottom + 6}, {X(tk), lanes_bottom + 12}, th.ink_dim, 1.5f);
    s.Text({X(tk), lanes_bottom + 14}, FormatTickNumber(tk / us.divisor, step / us.divisor) + " " + us.suffix,
           th.tick_size, th.ink_dim, FontFace::kUi, HAlign::kCenter, VAlign::kTop, "tick");
  }
  s.Text({(lx0 + lx1) / 2, lanes_bottom + 38}, "time within one training step (" + us.suffix + ")", th.label_size,
         th.ink, FontFace::kUi, HAlign::kCenter, VAlign::kTop, "axis-label");

  // ---- layer stack on the left: which layer runs now, which buckets are reducing.
  {
    const float sx0 = 40, sx1 = 180, sy0 = lanes_bottom + 96, sy1 = 880;
    int cur_layer = -1;
    bool cur_back = false;
    for (const Seg& sg : segs)
      if (sg.lane == kCompute && sg.t0 <= now && now < compute_end) {  // the latest layer started
        cur_layer = sg.layer;
        cur_back = sg.backward;
      }
    s.Text({sx0, sy0 - 8}, "layers (GPU 0's stage)", th.note_size, th.ink, FontFace::kUi, HAlign::kLeft,
           VAlign::kBottom);
    const int shown = std::min(L, 24);
    const float bh = (sy1 - sy0) / static_cast<float>(shown);
    for (int k = 0; k < shown; ++k) {
      const int first = k * L / shown, last = (k + 1) * L / shown - 1;
      const float y1 = sy1 - bh * static_cast<float>(k), y0 = y1 - bh + 2;
      const bool active = cur_layer >= first && cur_layer <= last;
      Color c = th.ink_dim.WithAlpha(0.25f);
      if (active) c = cur_back ? th.backward : th.forward;
      s.Rect({{sx0, y0}, {sx1, y1}}, c, kNone, 0, 2, "layer");
    }
    s.Text({sx1 + 8, sy1}, "layer " + Int(g0.first_layer), th.note_size, th.ink_dim, FontFace::kUi, HAlign::kLeft,
           VAlign::kBottom);
    s.Text({sx1 + 8, sy0}, "layer " + Int(g0.first_layer + L - 1), th.note_size, th.ink_dim, FontFace::kUi,
           HAlign::kLeft, VAlign::kTop);
  }

  // ---- readout: step time and legend.
  {
    const float rx = 330;
    float y = lanes_bottom + 96;
    const double step_s = outcome.report ? outcome.report->step_s : fwd + bwd + exposed_comm_s;
    s.Text({rx, y},
           "step " + FormatSeconds(step_s) + " = compute " + FormatSeconds(fwd + bwd) + " + exposed comm " +
               FormatSeconds(exposed_comm_s) + (bubble_s > 0 ? " + bubble " + FormatSeconds(bubble_s) : "") +
               (optimizer_s > 0 ? " + optimizer " + FormatSeconds(optimizer_s) : "") + "  (" +
               std::to_string(static_cast<int>(std::round(100 * (fwd + bwd) / std::max(step_s, 1e-12)))) +
               " % computing)",
           th.label_size, th.ink, FontFace::kMono, HAlign::kLeft, VAlign::kTop, "step-time");
    y += th.label_size * 1.6f;
    const std::string dp_line =
        fsdp ? "FSDP: all-gather each layer before forward and backward, reduce-scatter its gradients: 3Ψ"
             : std::string(plan.zero == 2 ? "ZeRO-2: gradient buckets reduce-scatter" : "gradient buckets all-reduce") +
                   " during backward: 2Ψ";
    s.Text({rx, y}, dp_line + "  ·  " + FormatBytes(dp.bytes_per_gpu) + " per GPU", th.note_size, th.ink,
           FontFace::kUi, HAlign::kLeft, VAlign::kTop, "dp-line");
    y += th.note_size * 1.6f;
    // Legend.
    float x = rx;
    auto swatch = [&](Color c, const std::string& label) {
      s.Rect({{x, y + 2}, {x + 26, y + 16}}, c, kNone, 0, 2);
      s.Text({x + 32, y + 9}, label, th.note_size, th.ink, FontFace::kUi, HAlign::kLeft, VAlign::kMiddle, "legend");
      x += 32 + MeasureTextWidth(label, th.note_size, FontFace::kUi) + 28;
    };
    swatch(th.forward, "forward compute");
    swatch(th.backward, "backward compute");
    if (optimizer_s > 0) swatch(th.memory_cap, "optimizer");
    swatch(th.network, "comm hidden behind compute");
    swatch(th.accent, "comm exposed (on the critical path)");
    y += 34;
    // Per-parallelism table from the engine.
    const float cx[5] = {rx, rx + 80, rx + 200, rx + 340, rx + 480};
    const char* head[5] = {"", "link", "bytes / GPU", "comm", "exposed"};
    for (int i = 1; i < 5; ++i)
      s.Text({cx[i], y}, head[i], th.note_size, th.ink_dim, FontFace::kUi, HAlign::kLeft, VAlign::kTop);
    s.Text({rx + 600, y}, "overlap model", th.note_size, th.ink_dim, FontFace::kUi, HAlign::kLeft, VAlign::kTop);
    y += th.note_size * 1.4f;
    for (int l = 1; l < kLanes; ++l) {
      const ParallelismTraffic& p = *lane_part[l];
      const std::string cells[5] = {lane_name[l], p.comm_s > 0 ? LinkClassName(p.link) : "-",
                                    FormatBytes(p.bytes_per_gpu), FormatSeconds(p.comm_s),
                                    FormatSeconds(p.exposed_s)};
      for (int i = 0; i < 5; ++i)
        s.Text({cx[i], y}, cells[i], th.note_size, i == 0 ? th.ink : th.ink, i == 0 ? FontFace::kUi : FontFace::kMono,
               HAlign::kLeft, VAlign::kTop, "table");
      std::string ov = p.overlap;
      if (ov.size() > 62 && ov.find(';') != std::string::npos) ov = ov.substr(0, ov.find(';'));
      if (ov.size() > 62) ov = ov.substr(0, ov.rfind(' ', 58)) + " …";
      s.Text({rx + 600, y}, ov, th.note_size, th.ink_dim, FontFace::kUi, HAlign::kLeft, VAlign::kTop, "table");
      y += th.note_size * 1.35f;
    }
    s.Text({rx, y + 6}, "Faint blocks: still to come in this step; the vertical line marks now.", th.note_size,
           th.ink_dim, FontFace::kUi, HAlign::kLeft, VAlign::kTop, "note");
  }
  return s;
}

BoardInfo GradientFlowBoard() {
  BoardInfo b{
    "gradient-flow",
    "Gradient flow: compute and the comm behind it",
    "forward and backward over the layers with DP/FSDP, TP, EP, PP comm lanes: hidden against exposed",
    {{"training.zero", "ZeRO stage", 0, 3, false, true, {"0", "1", "2", "3"}, {}},
     {"training.dp", "DP (0 = auto)", 0, 1152, false, true, {}, {}},
     {"training.tp", "TP", 1, 72, false, true, {}, {}},
     {"training.pp", "PP", 1, 16, false, true, {}, {}},
     {"training.micro_batch", "micro-batch", 1, 64, true, true, {}, {}},
     {"cluster.racks", "racks", 1, 16, false, true, {}, {}}},
    &BuildGradientFlow,
    kDuration,
    "training.zero",
    /*morphs=*/false,
    /*training=*/true,
    /*still_time_s=*/kDuration * 0.96};  // the whole step drawn
  b.degenerate_reason = [](const Scenario& s) { return SingleReplicaReason(s, "no gradients to reduce"); };
  b.worked_example = &DataParallelExample;
  b.worked_example_label = "DP " + Int(kExampleDataParallel);
  return b;
}

BLACKBOARD_REGISTER_BOARD(GradientFlow, GradientFlowBoard());

}  // namespace
}  // namespace blackboard
