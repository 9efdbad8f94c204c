// Board "sharding": which shard of weights, gradients and optimizer state every GPU holds under a
// training plan (DP x TP x PP x EP, ZeRO 0-3), racks as columns of GPU cells, bytes per GPU against
// HBM. Each GPU's cell is a band of its model state to scale, bottom up (weights 2 B, gradients 2 B,
// optimizer 12 B per parameter under bf16 + Adam), its ZeRO-0 extent faint behind, the HBM capacity a
// line across it (what does not fit is drawn past the line, in the alert colour). The loop animates
// the current ZeRO stage's segments shrinking to their 1/N_d shards.
// Side panel: the ESTI feed-forward layouts (lecture.md §3.2) of an E x F weight, coloured by chip,
// for the layout the engine picks at serving.batch tokens. Layouts and bytes come from
// blackboard/layout.hpp; the board only draws them.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "../board.hpp"
#include "../rack_slots.hpp"
#include "blackboard/layout.hpp"
#include "blackboard/model.hpp"
#include "blackboard/report.hpp"

namespace blackboard {
namespace {

constexpr Color kNone{0, 0, 0, 0};  // no fill / no stroke

constexpr double kDuration = 4.0;

std::string Int(int v) { return std::to_string(v); }

// Progress of the ZeRO split in the loop: 0 (as ZeRO-0) to 1 (sharded), eased, then held.
float SplitProgress(double t) {
  const double u = std::fmod(std::max(0.0, t), kDuration) / kDuration;
  const double e = std::clamp((u - 0.04) / 0.4, 0.0, 1.0);
  return static_cast<float>(e * e * (3 - 2 * e));
}

enum Row { kW = 0, kG = 1, kO = 2 };
int RowOf(StateKind k) {
  switch (k) {
    case StateKind::kWeights: return kW;
    case StateKind::kGradients: return kG;
    default: return kO;
  }
}

struct CellState {
  GpuLayout layout;
  double held[3] = {0, 0, 0};      // bytes held per row
  double full[3] = {0, 0, 0};      // bytes at ZeRO-0 per row
  int shard[3] = {0, 0, 0};        // ZeRO slice index (dense layer group)
  int shards[3] = {1, 1, 1};
};

CellState StateOf(const LayoutModel& lm, const ParallelPlan& plan, int rank) {
  CellState c;
  c.layout = LayoutForRank(lm, plan, rank);
  ParallelPlan p0 = plan;
  p0.zero = 0;
  const GpuLayout g0 = LayoutForRank(lm, p0, rank);
  for (const ShardRef& sh : c.layout.shards) {
    const int r = RowOf(sh.state);
    c.held[r] += sh.bytes;
    if (sh.zero_shards > c.shards[r]) {
      c.shards[r] = sh.zero_shards;
      c.shard[r] = sh.zero_shard;
    }
  }
  for (const ShardRef& sh : g0.shards) c.full[RowOf(sh.state)] += sh.bytes;
  return c;
}

// Near-cubic factorisation of n chips into the x*y*z torus the ESTI cost model assumes.
void TorusOf(int n, int& x, int& y, int& z) {
  x = y = 1;
  z = n;
  int best = n;
  for (int a = 1; a * a * a <= n; ++a)
    for (int b = a; a * b * b <= n; ++b)
      if (n % (a * b) == 0) {
        const int c = n / (a * b);
        if (c >= b && c < best) {
          best = c;
          x = a;
          y = b;
          z = c;
        }
      }
}

Color ChipColor(const Theme& th, int chip) {
  const Color base[] = {th.compute, th.memory_bw, th.memory_cap, th.network, th.kv, th.weights};
  const Color b = base[static_cast<size_t>(chip) % 6];
  return b.Mix(th.background, 0.18f * static_cast<float>((chip / 6) % 4));
}

void DrawEsti(Scene& s, const Theme& th, Box area, const Scenario& sc) {
  s.Panel(area, th.panel);
  FfnProblem p;
  p.tokens = std::max(1, sc.serving.batch);
  p.d_model = sc.model.d_model;
  p.d_ff = sc.model.d_ff_expert > 0 && sc.model.experts > 1 ? sc.model.d_ff_expert : sc.model.d_ff;
  TorusOf(std::max(1, sc.cluster.chips_per_rack), p.x, p.y, p.z);
  p.bytes_per_s = sc.hardware.scaleup_bytes_per_s;
  const FfnLayoutChoice choice = ChooseFfnLayout(p);
  const float x0 = area.min.x + 12;
  s.Text({x0, area.min.y + 8}, "Serving: ESTI layouts of one FFN", th.label_size, th.ink, FontFace::kUi,
         HAlign::kLeft, VAlign::kTop, "esti-title");
  s.Text({x0, area.min.y + 34},
         Int(p.Chips()) + " chips as " + Int(p.x) + "×" + Int(p.y) + "×" + Int(p.z) + " · B·L = " +
             FormatCount(p.tokens) + " tokens",
         th.note_size, th.ink_dim, FontFace::kUi, HAlign::kLeft, VAlign::kTop);
  // The E x F weight, blocks coloured by chip.
  const Box mb{{x0 + 34, area.min.y + 74}, {x0 + 34 + 150, area.min.y + 74 + 150 * 0.5f}};
  const std::vector<WeightBlock> blocks = FfnWeightBlocks(choice.best.layout, p);
  for (const WeightBlock& b : blocks) {
    const float bx0 = mb.min.x + static_cast<float>(b.col0 / p.d_ff) * mb.Width();
    const float bx1 = mb.min.x + static_cast<float>(b.col1 / p.d_ff) * mb.Width();
    const float by0 = mb.min.y + static_cast<float>(b.row0 / p.d_model) * mb.Height();
    const float by1 = mb.min.y + static_cast<float>(b.row1 / p.d_model) * mb.Height();
    s.Rect({{bx0, by0}, {bx1, by1}}, ChipColor(th, b.chip), kNone, 0, 0, "esti-block");
  }
  s.Rect(mb, kNone, th.ink, 1.5f, 0, "esti-matrix");
  s.Text({mb.min.x - 6, (mb.min.y + mb.max.y) / 2}, "E", th.label_size, th.ink, FontFace::kUi, HAlign::kRight,
         VAlign::kMiddle);
  s.Text({(mb.min.x + mb.max.x) / 2, mb.max.y + 2}, "F (colour = chip)", th.note_size, th.ink, FontFace::kUi,
         HAlign::kCenter, VAlign::kTop);
  s.Text({mb.max.x + 14, mb.min.y}, "chosen:", th.note_size, th.ink_dim, FontFace::kUi, HAlign::kLeft, VAlign::kTop);
  s.Text({mb.max.x + 14, mb.min.y + 22}, FfnLayoutName(choice.best.layout), th.note_size, th.accent,
         FontFace::kUi, HAlign::kLeft, VAlign::kTop, "esti-best");
  s.Text({mb.max.x + 14, mb.min.y + 44}, "E " + FormatCount(p.d_model) + ", F " + FormatCount(p.d_ff),
         th.note_size, th.ink_dim, FontFace::kUi, HAlign::kLeft, VAlign::kTop);
  float y = mb.max.y + 30;
  s.Text({x0, y}, "comm time per FFN layer:", th.note_size, th.ink_dim, FontFace::kUi, HAlign::kLeft, VAlign::kTop);
  y += th.note_size * 1.4f;
  for (const FfnLayoutCost& c : choice.costs) {
    const bool best = c.layout == choice.best.layout;
    s.Text({x0, y}, FfnLayoutName(c.layout), th.note_size, best ? th.accent : th.ink, FontFace::kUi, HAlign::kLeft,
           VAlign::kTop, "esti-layout");
    s.Text({area.max.x - 12, y}, FormatSeconds(c.comm_s), th.note_size, best ? th.accent : th.ink, FontFace::kMono,
           HAlign::kRight, VAlign::kTop, "esti-time");
    y += th.note_size * 1.35f;
  }
  s.hovers.push_back({area, "ESTI feed-forward layouts (lecture.md §3.2)",
                      "1D weight-stationary 2BLE/BW; 2D 8BLE/(√n·BW); weight-gathered ≥ 4E√(BLF)/(√n·BW); "
                      "BW = " + FormatBytes(p.bytes_per_s) + "/s per chip, B·L = " + FormatCount(p.tokens) +
                          " → " + FfnLayoutName(choice.best.layout) + " " + FormatSeconds(choice.best.comm_s)});
}

Scene BuildSharding(const BoardContext& ctx) {
  const Scenario& sc = ctx.scenario;
  const Theme& th = ctx.theme;
  Scene s(ctx.width, ctx.height);
  s.background = th.background;
  s.board_texture = th.board_texture;
  const float W = ctx.width;

  const ParallelPlan plan = PlanFromScenario(sc);
  const LayoutModel lm = LayoutModelFromModel(sc.model);
  const int ranks = plan.Ranks();
  const int per_rack = std::max(1, sc.cluster.chips_per_rack);
  const int racks = std::max(1, (ranks + per_rack - 1) / per_rack);
  const int zero = std::clamp(plan.zero, 0, 3);
  const int nd = plan.dp * plan.cp;
  DrawBoardTitle(s, th, "Where the weights live: ZeRO-" + Int(zero) + " sharding",
                 sc.model.name + " (" + Int(static_cast<int>(lm.layers.size())) + " layers, " +
                     FormatCount(lm.TotalParams()) + " params) on " + Int(racks) + " rack" +
                     (racks > 1 ? "s" : "") + " × " + Int(per_rack) + " " + sc.hardware.name + "  ·  dp " +
                     Int(plan.dp) + (sc.training.dp == 0 ? " (auto)" : "") + " · tp " + Int(plan.tp) + " · pp " +
                     Int(plan.pp) + " · ep " + Int(plan.ep) + (plan.cp > 1 ? " · cp " + Int(plan.cp) : ""));

  // ---- GPU grid: racks as columns; aggregate to one cell per TP group when cells get too small.
  const Box grid{{30, 150}, {1160, 880}};
  const RackSlots slots{racks};  // thousands of racks: the first 31 and the last, "…" between
  const float rack_w = grid.Width() / static_cast<float>(slots.Slots());
  auto cells_fit = [&](int per_col, int& cols, int& rows, float& cw, float& ch) {
    const float w = rack_w - 8, h = grid.Height() - 8;
    cols = std::clamp(static_cast<int>(std::ceil(std::sqrt(static_cast<double>(per_col) * w / h / 1.3))), 1, per_col);
    rows = (per_col + cols - 1) / cols;
    cw = w / static_cast<float>(cols);
    ch = h / static_cast<float>(rows);
  };
  int stride = 1;
  int shown = per_rack, cols = 1, rows = 1;
  float cw = 0, ch = 0;
  cells_fit(shown, cols, rows, cw, ch);
  if ((cw < 62 || ch < 46) && plan.tp > 1 && per_rack % plan.tp == 0) {
    stride = plan.tp;
    shown = per_rack / stride;
    cells_fit(shown, cols, rows, cw, ch);
  }
  const bool detailed = cw >= 62 && ch >= 46;
  const float split = SplitProgress(ctx.time_s);
  const Color row_color[3] = {th.weights, th.backward, th.memory_cap};
  const double hbm = sc.hardware.hbm_bytes;
  double max_bytes = 0;
  // One bytes scale for every cell: the HBM line sits at the same height in each, and the largest
  // unsharded (ZeRO-0) state still fits in the band.
  double scale_bytes = hbm;
  for (const int r : slots.Drawn())
    for (int i = 0; i < shown && r * per_rack + i * stride < ranks; ++i) {
      const CellState st = StateOf(lm, plan, r * per_rack + i * stride);
      scale_bytes = std::max({scale_bytes, st.full[0] + st.full[1] + st.full[2], st.layout.memory.TotalBytes()});
    }
  scale_bytes = std::max(scale_bytes, 1.0);
  const RankCoord c0 = CoordOfRank(plan, 0);
  if (slots.Elided())
    s.Text({grid.min.x + rack_w * (static_cast<float>(slots.EllipsisSlot()) + 0.5f), (grid.min.y + grid.max.y) / 2},
           "…", th.heading_size, th.ink_dim, FontFace::kUi, HAlign::kCenter, VAlign::kMiddle, "racks-elided");
  for (const int r : slots.Drawn()) {
    const float rx0 = grid.min.x + rack_w * static_cast<float>(slots.Slot(r));
    const Box rb{{rx0 + 2, grid.min.y}, {rx0 + rack_w - 2, grid.max.y}};
    s.Rect(rb, kNone, th.ink_dim.WithAlpha(0.5f), 1.2f, 6, "rack");
    s.Text({(rb.min.x + rb.max.x) / 2, rb.min.y - 4}, rack_w >= 80 ? "rack " + Int(r) : Int(r), th.tick_size,
           th.ink_dim, FontFace::kUi, HAlign::kCenter, VAlign::kBottom, "rack-label");
    for (int i = 0; i < shown; ++i) {
      const int rank = r * per_rack + i * stride;
      if (rank >= ranks) break;
      const CellState st = StateOf(lm, plan, rank);
      const double total = st.layout.memory.TotalBytes();
      max_bytes = std::max(max_bytes, total);
      const int col = i % cols, row = i / cols;
      const Box cb{{rb.min.x + 4 + cw * static_cast<float>(col) + 2, rb.min.y + 4 + ch * static_cast<float>(row) + 2},
                   {rb.min.x + 4 + cw * static_cast<float>(col + 1) - 2, rb.min.y + 4 + ch * static_cast<float>(row + 1) - 2}};
      const RankCoord& co = st.layout.coord;
      const bool in_group = co.tp == c0.tp && co.pp == c0.pp;
      // An outline only: the board shows through (filling a third of a 1080p frame with the board's own
      // colour cost a software renderer several milliseconds).
      s.Rect(cb, kNone, in_group ? th.accent : th.ink_dim.WithAlpha(0.7f), in_group ? 2.0f : 1.0f, 3,
             in_group ? "gpu-dp-group" : "gpu");
      const float pad = std::max(2.0f, cb.Width() * 0.06f);
      const float bytes_size = th.Size(std::clamp(cb.Height() * 0.09f, 12.0f, 17.0f));
      const float text_h = detailed ? bytes_size + 3 : 0;
      const float band_top = cb.min.y + pad, band_bot = cb.max.y - pad - text_h;
      const float tx0 = cb.min.x + pad, tx1 = cb.max.x - pad;
      auto by = [&](double bytes) {
        return band_bot - static_cast<float>(bytes / scale_bytes) * (band_bot - band_top);
      };
      // The band, bottom up: weights, gradients, optimizer, each as tall as its bytes. Faint and
      // outlined: the ZeRO-0 extent; solid: what this GPU holds now (shrinking from all of it to its
      // shard as the loop runs).
      double at_full = 0, at_held = 0;
      const float hbm_y = by(hbm);
      for (int k = 0; k < 3; ++k) {
        if (st.full[k] <= 0) continue;
        const double held = st.shards[k] > 1 ? st.full[k] + (st.held[k] - st.full[k]) * split : st.held[k];
        s.Rect({{tx0, by(at_full + st.full[k])}, {tx1, by(at_full)}}, row_color[k].WithAlpha(0.16f),
               row_color[k].WithAlpha(0.55f), 1, 1, "tile-ghost");
        const float lo = by(at_held), hi = std::min(lo - 1.0f, by(at_held + held));
        const char* role = k == kW ? "tile-weights" : k == kG ? "tile-gradients" : "tile-optimizer";
        s.Rect({{tx0, std::max(hi, hbm_y)}, {tx1, lo}}, row_color[k], kNone, 0, 1, role);
        if (hi < hbm_y)  // above the HBM line: does not fit
          s.Rect({{tx0, hi}, {tx1, std::min(lo, hbm_y)}}, th.kv, kNone, 0, 1, "tile-overflow");
        // The segment's bytes on it, when there is room.
        const std::string gb = FormatBytes(held);
        if (detailed && lo - hi > bytes_size * 1.15f &&
            tx1 - tx0 > MeasureTextWidth(gb, bytes_size, FontFace::kMono) + 4)
          s.Text({(tx0 + tx1) / 2, (lo + hi) / 2}, gb, bytes_size, th.background, FontFace::kMono, HAlign::kCenter,
                 VAlign::kMiddle, "tile-bytes");
        at_full += st.full[k];
        at_held += held;
      }
      // The HBM capacity: a line across the band.
      s.Line({tx0 - 2, hbm_y}, {tx1 + 2, hbm_y}, th.ink, 2, 0, "hbm-line");
      if (detailed)
        s.Text({(cb.min.x + cb.max.x) / 2, cb.max.y - pad}, FormatBytes(total), bytes_size,
               total > hbm ? th.kv : th.ink, FontFace::kMono, HAlign::kCenter, VAlign::kBottom, "gpu-bytes");
      s.hovers.push_back(
          {cb, "GPU " + Int(rank) + "  (dp " + Int(co.dp) + ", pp " + Int(co.pp) + ", tp " + Int(co.tp) + ", ep " +
                   Int(co.ep) + ")",
           "layers " + Int(st.layout.first_layer) + "–" + Int(st.layout.first_layer + st.layout.layer_count - 1) +
               ": weights " + FormatBytes(st.layout.memory.weights_bytes) + " + gradients " +
               FormatBytes(st.layout.memory.gradients_bytes) + " + optimizer " +
               FormatBytes(st.layout.memory.optimizer_bytes) + " = " + FormatBytes(total) + " of " +
               FormatBytes(hbm) + " HBM"});
    }
  }

  // ---- right column: legend, what this stage shards, formula check, ESTI.
  const float lx = 1180;
  const Box lb{{lx, 118}, {W - 30, 478}};
  s.Panel(lb, th.panel);
  float y = lb.min.y + 10;
  // GPU 0's bytes of each (unsharded → held).
  const char* names[3] = {"weights 2 B/param", "gradients 2 B/param", "optimizer 12 B/param"};
  const CellState gpu0 = StateOf(lm, plan, 0);
  for (int k = 0; k < 3; ++k) {
    s.Rect({{lx + 12, y + 2}, {lx + 40, y + 16}}, row_color[k], kNone, 0, 2);
    s.Text({lx + 48, y + 9},
           std::string(names[k]) + ": " + FormatBytes(gpu0.full[k]) +
               (gpu0.held[k] < gpu0.full[k] ? " → " + FormatBytes(gpu0.held[k]) : ""),
           th.note_size, th.ink, FontFace::kUi, HAlign::kLeft, VAlign::kMiddle, "legend");
    y += 24;
  }
  s.Rect({{lx + 12, y + 2}, {lx + 40, y + 8}}, th.kv, kNone, 0, 0);
  s.Rect({{lx + 10, y + 8}, {lx + 42, y + 10}}, th.ink, kNone, 0, 0);
  s.Text({lx + 48, y + 8}, "HBM " + FormatBytes(hbm) + " (past it: does not fit)", th.note_size, th.ink,
         FontFace::kUi, HAlign::kLeft, VAlign::kMiddle, "legend");
  y += 24;
  s.Rect({{lx + 12, y + 1}, {lx + 40, y + 15}}, kNone, th.accent, 2, 3);
  s.Text({lx + 48, y + 8}, "GPU 0's DP group (N_d = " + Int(nd) + ")", th.note_size, th.ink, FontFace::kUi,
         HAlign::kLeft, VAlign::kMiddle, "legend");
  y += 34;
  const char* what[4] = {"ZeRO-0: nothing sharded", "ZeRO-1: optimizer split over N_d",
                         "ZeRO-2: + gradients split over N_d", "ZeRO-3 (FSDP): + weights split"};
  const char* formula[4] = {"(2 + 2 + 12)Ψ = 16Ψ", "(2 + 2)Ψ + 12Ψ/N_d", "2Ψ + (2 + 12)Ψ/N_d",
                            "(2 + 2 + 12)Ψ/N_d"};
  s.Text({lx + 12, y}, what[zero], th.label_size, th.accent, FontFace::kUi, HAlign::kLeft, VAlign::kTop, "zero-what");
  y += th.label_size * 1.4f;
  s.Text({lx + 12, y}, formula[zero], th.label_size, th.ink, FontFace::kMono, HAlign::kLeft, VAlign::kTop);
  y += th.label_size * 1.6f;
  if (slots.Elided()) {
    // The racks not drawn count too: one data-parallel replica's tensor-parallel rank 0 holds every
    // distinct layout (the other ranks hold the same bytes), so the busiest GPU is among those.
    for (int rank = 0; rank < ranks; ++rank) {
      const RankCoord co = CoordOfRank(plan, rank);
      if (co.dp == 0 && co.tp == 0 && co.cp == 0)
        max_bytes = std::max(max_bytes, StateOf(lm, plan, rank).layout.memory.TotalBytes());
    }
  }
  ParallelPlan p0 = plan;
  p0.zero = 0;
  const double psi = LayoutForRank(lm, p0, 0).memory.weights_bytes / BytesPerParam(StateKind::kWeights);
  const double closed = ZeroModelStateBytes(psi, zero, nd);
  const double g0_bytes = LayoutForRank(lm, plan, 0).memory.TotalBytes();
  s.Text({lx + 12, y}, "Ψ on GPU 0 = " + FormatCount(psi) + " params", th.note_size, th.ink_dim, FontFace::kUi,
         HAlign::kLeft, VAlign::kTop);
  y += th.note_size * 1.4f;
  s.Text({lx + 12, y}, "formula " + FormatBytes(closed) + " · layout " + FormatBytes(g0_bytes), th.note_size,
         th.ink_dim, FontFace::kUi, HAlign::kLeft, VAlign::kTop, "zero-check");
  y += th.note_size * 1.4f;
  s.Text({lx + 12, y}, "busiest GPU " + FormatBytes(max_bytes) + (max_bytes > hbm ? " > HBM!" : " ≤ HBM"),
         th.note_size, max_bytes > hbm ? th.kv : th.ink_dim, FontFace::kUi, HAlign::kLeft, VAlign::kTop);
  y += th.note_size * 1.6f;
  if (stride > 1) {
    s.Text({lx + 12, y}, "1 cell per TP group of " + Int(stride) + " (same bytes)", th.note_size, th.ink_dim,
           FontFace::kUi, HAlign::kLeft, VAlign::kTop, "aggregate");
    y += th.note_size * 1.4f;
  }
  if (nd == 1) {
    s.Text({lx + 12, y}, "N_d = 1: nothing to split (raise DP)", th.note_size, th.accent, FontFace::kUi,
           HAlign::kLeft, VAlign::kTop, "no-dp");
    y += th.note_size * 1.4f;
  }
  s.Text({lx + 12, y}, "loop: the held bytes shrink from ZeRO-0 to ZeRO-" + Int(zero), th.note_size, th.ink_dim, FontFace::kUi,
         HAlign::kLeft, VAlign::kTop);
  s.hovers.push_back({lb, "ZeRO model states per GPU (ZeRO §5, K = 12)",
                      std::string(formula[zero]) + " with Ψ = " + FormatCount(psi) + ", N_d = " + Int(nd) + " = " +
                          FormatBytes(closed) + " (layout of GPU 0: " + FormatBytes(g0_bytes) + ")"});
  DrawEsti(s, th, {{lx, 494}, {W - 30, 880}}, sc);
  return s;
}

BoardInfo ShardingBoard() {
  BoardInfo b{
    "sharding",
    "Where the weights live: ZeRO sharding",
    "per-GPU shards of weights, gradients and optimizer state over racks; ZeRO 0-3; ESTI FFN layouts",
    {{"cluster.racks", "racks", 1, 16, false, true, {}, {}},
     {"cluster.chips_per_rack", "GPUs per rack", 8, 72, false, true, {"8", "72"}, {}},
     {"model.layers", "layers", 1, 128, false, true, {}, {}},
     {"training.dp", "DP (0 = auto)", 0, 1152, false, true, {}, {}},
     {"training.tp", "TP", 1, 72, false, true, {}, {}},
     {"training.pp", "PP", 1, 16, false, true, {}, {}},
     {"training.ep", "EP", 1, 256, false, true, {}, {}},
     {"training.zero", "ZeRO stage", 0, 3, false, true, {"0", "1", "2", "3"}, {}}},
    &BuildSharding,
    kDuration,
    "training.zero",
    /*morphs=*/false,
    /*training=*/true,
    /*still_time_s=*/kDuration * 0.75};  // the sharded state, held
  b.degenerate_reason = [](const Scenario& s) { return SingleReplicaReason(s, "nothing to shard"); };
  b.worked_example = &DataParallelExample;
  b.worked_example_label = "DP " + Int(kExampleDataParallel);
  return b;
}

BLACKBOARD_REGISTER_BOARD(Sharding, ShardingBoard());

}  // namespace
}  // namespace blackboard
