// Pipeline schedule simulator (see pipeline.hpp). Index:
//   1. names and layout (which device and chunk a micro-batch's model chunk runs on)
//   2. op lists: GPipe, 1F1B, interleaved (Megatron), ZB-H1/H2 (greedy), DualPipe / DualPipe-V
//   3. the dependency-driven timing simulation and the derived figures (bubble, memory)
//   4. hash, Chrome trace, spec from a scenario
//   5. decode across racks
#include "blackboard/pipeline.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <utility>

#include "blackboard/serving.hpp"

namespace blackboard {

// ---------------------------------------------------------------- 1. names and layout

ScheduleKind ParseSchedule(const std::string& name) {
  if (name == "gpipe") return ScheduleKind::kGPipe;
  if (name == "1f1b") return ScheduleKind::k1F1B;
  if (name == "interleaved") return ScheduleKind::kInterleaved;
  if (name == "zb-h1") return ScheduleKind::kZbH1;
  if (name == "zb-h2") return ScheduleKind::kZbH2;
  if (name == "dualpipe") return ScheduleKind::kDualPipe;
  if (name == "dualpipe-v") return ScheduleKind::kDualPipeV;
  throw std::invalid_argument("schedule = " + name +
                              ": allowed gpipe, 1f1b, interleaved, zb-h1, zb-h2, dualpipe, dualpipe-v");
}

const char* ScheduleName(ScheduleKind kind) {
  switch (kind) {
    case ScheduleKind::kGPipe: return "gpipe";
    case ScheduleKind::k1F1B: return "1f1b";
    case ScheduleKind::kInterleaved: return "interleaved";
    case ScheduleKind::kZbH1: return "zb-h1";
    case ScheduleKind::kZbH2: return "zb-h2";
    case ScheduleKind::kDualPipe: return "dualpipe";
    case ScheduleKind::kDualPipeV: return "dualpipe-v";
  }
  return "1f1b";
}

const char* EventKindLetter(EventKind kind) {
  switch (kind) {
    case EventKind::kForward: return "F";
    case EventKind::kBackward: return "B";
    case EventKind::kWeight: return "W";
    case EventKind::kSend: return "send";
    case EventKind::kRecv: return "recv";
    case EventKind::kOptimizer: return "optimizer";
  }
  return "?";
}

int ModelChunks(const PipelineSpec& spec) {
  switch (spec.schedule) {
    case ScheduleKind::kInterleaved: return spec.stages * std::max(1, spec.virtual_stages);
    case ScheduleKind::kDualPipeV: return 2 * spec.stages;
    default: return spec.stages;
  }
}

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Where micro-batch `mb` runs model chunk `pos` (its position along the micro-batch's path).
struct Layout {
  ScheduleKind kind = ScheduleKind::k1F1B;
  int p = 1, m = 1, npos = 1;

  int Direction(int mb) const { return kind == ScheduleKind::kDualPipe && mb >= m / 2 ? 1 : 0; }
  int Device(int mb, int pos) const {
    switch (kind) {
      case ScheduleKind::kInterleaved: return pos % p;
      case ScheduleKind::kDualPipeV: return pos < p ? pos : 2 * p - 1 - pos;
      case ScheduleKind::kDualPipe: return Direction(mb) == 0 ? pos : p - 1 - pos;
      default: return pos;
    }
  }
  int Chunk(int mb, int pos) const {
    switch (kind) {
      case ScheduleKind::kInterleaved: return pos / p;
      case ScheduleKind::kDualPipeV: return pos < p ? 0 : 1;
      case ScheduleKind::kDualPipe: return Direction(mb);
      default: return 0;
    }
  }
  // Micro-batch-major, so a micro-batch's neighbouring chunks are adjacent entries: the devices of
  // a pipeline read their neighbours' end times from a few cache lines. (Chunk-major rows of m
  // doubles are 4 KiB apart for m = 512 and alias in the L1 cache.)
  std::size_t Index(int mb, int pos) const {
    return static_cast<std::size_t>(mb) * static_cast<std::size_t>(npos) + static_cast<std::size_t>(pos);
  }
};

// One op of a device's list. `fused_w`: a B that also computes the weight gradient.
struct Op {
  EventKind kind = EventKind::kForward;
  int mb = 0;
  int pos = 0;
  bool fused_w = true;
};

using OpLists = std::vector<std::vector<Op>>;

// When an op runs (the ZB generator's record).
struct OpTime {
  double start = 0, end = 0;
};

double At(const std::vector<double>& v, int pos) {
  return v.size() == 1 ? v[0] : v[static_cast<std::size_t>(pos)];
}

// ---------------------------------------------------------------- 2. op lists

// GPipe (Huang et al. 2019 §2.3): all forwards, then all backwards.
OpLists GPipeOrders(const Layout& L) {
  OpLists ops(static_cast<std::size_t>(L.p));
  for (int d = 0; d < L.p; ++d) {
    auto& list = ops[static_cast<std::size_t>(d)];
    list.reserve(2 * static_cast<std::size_t>(L.m));
    for (int mb = 0; mb < L.m; ++mb) list.push_back({EventKind::kForward, mb, d, true});
    for (int mb = 0; mb < L.m; ++mb) list.push_back({EventKind::kBackward, mb, d, true});
  }
  return ops;
}

// 1F1B / PipeDream-Flush (Narayanan et al. 2021 §2.2.1, Megatron forward_backward_pipelining_without_
// interleaving): p-1-d warm-up forwards, then one forward / one backward, then the cool-down.
OpLists OneFOneBOrders(const Layout& L) {
  OpLists ops(static_cast<std::size_t>(L.p));
  for (int d = 0; d < L.p; ++d) {
    auto& list = ops[static_cast<std::size_t>(d)];
    list.reserve(2 * static_cast<std::size_t>(L.m));
    const int warmup = std::min(L.p - 1 - d, L.m);
    for (int mb = 0; mb < warmup; ++mb) list.push_back({EventKind::kForward, mb, d, true});
    for (int j = 0; j < L.m - warmup; ++j) {
      list.push_back({EventKind::kForward, warmup + j, d, true});
      list.push_back({EventKind::kBackward, j, d, true});
    }
    for (int mb = L.m - warmup; mb < L.m; ++mb) list.push_back({EventKind::kBackward, mb, d, true});
  }
  return ops;
}

// Interleaved 1F1B (Narayanan et al. 2021 §2.2.2, Megatron forward_backward_pipelining_with_
// interleaving): micro-batches in groups of p run chunk 0..v-1 forward (v-1..0 backward); warm-up
// 2(p-d-1) + (v-1)p virtual micro-batches, then 1F1B over virtual micro-batches.
OpLists InterleavedOrders(const Layout& L, int v) {
  std::vector<std::pair<int, int>> fwd;  // (micro-batch, chunk) in forward order
  for (int g0 = 0; g0 < L.m; g0 += L.p) {
    const int gs = std::min(L.p, L.m - g0);
    for (int c = 0; c < v; ++c)
      for (int j = 0; j < gs; ++j) fwd.emplace_back(g0 + j, c);
  }
  const int total = static_cast<int>(fwd.size());
  OpLists ops(static_cast<std::size_t>(L.p));
  for (int d = 0; d < L.p; ++d) {
    auto& list = ops[static_cast<std::size_t>(d)];
    list.reserve(2 * static_cast<std::size_t>(total));
    auto f = [&](int k) {
      const auto& [mb, c] = fwd[static_cast<std::size_t>(k)];
      list.push_back({EventKind::kForward, mb, c * L.p + d, true});
    };
    auto b = [&](int k) {
      const auto& [mb, c] = fwd[static_cast<std::size_t>(k)];
      list.push_back({EventKind::kBackward, mb, (v - 1 - c) * L.p + d, true});
    };
    const int warmup = std::min((L.p - d - 1) * 2 + (v - 1) * L.p, total);
    for (int k = 0; k < warmup; ++k) f(k);
    for (int k = 0; k < total - warmup; ++k) {
      f(warmup + k);
      b(k);
    }
    for (int k = total - warmup; k < total; ++k) b(k);
  }
  return ops;
}

// ZB-H1 / ZB-H2 (Qi et al. 2024, arXiv 2401.10241 §3.1 and the greedy rule of §3.2): when a stage
// is free it runs a ready B first, else a ready F if fewer than `limit` micro-batches are in flight
// (H1: p-d as 1F1B; H2: 2(p-d)-1) and the stage's activation memory stays within the schedule's
// peak (PP-5 / PP-6: p·M_B for H1, the peak of 1F1B; (2p-1)·M_B for H2), else a pending W (filling
// the bubble, or freeing memory), else waits. The memory counts what a micro-batch keeps after its
// B until its W runs (M_W, Zero Bubble Table 1): without it, W's deferred in the steady state would
// pile up and ZB-H1 would hold many times 1F1B's memory on long steps. Later stages have fewer
// micro-batches in flight, which leaves them the room for deferred W's. Decisions are taken in time order with the real costs, lower device first
// on equal times, so the generator also knows when every op runs.
// Each device runs its F's, B's and W's in micro-batch order (B's in F order, W's FIFO after their
// B's), so per device three counters next_f >= next_b >= next_w say everything: the pending W's
// are micro-batches [next_w, next_b), the in-flight ones [next_b, next_f).
//
// Time order without a priority queue: any op that starts at or after `now` makes a neighbour's op
// ready no earlier than horizon = (now + the shortest F or B) + p2p (the same floating-point sums as
// the ready times, which never shrink as the start grows). So once every decision before `now`, the
// earliest pending one, is taken, the decisions before the horizon cannot affect each other: each
// device takes its own in turn, and a sweep over the devices gives what the (time, device) order
// gives, at one compare per device instead of a queue update per decision. When costs are so small
// that the horizon does not pass `now` (zero-cost ops chain within one instant), one decision is
// taken at a time, lowest device first.
struct ZeroBubbleRun {
  OpLists ops;
  std::vector<OpTime> times;  // op k of device d at d * 3m + k (every device runs 3m ops)
};

ZeroBubbleRun ZeroBubbleOrders(const PipelineSpec& spec, const Layout& L, bool h2) {
  const int p = L.p, m = L.m;
  const auto pu = static_cast<std::size_t>(p), per_device = 3 * static_cast<std::size_t>(m);
  const auto n = pu * static_cast<std::size_t>(m);
  // End times per (micro-batch, device = model chunk) at L.Index, -1 until the op has run.
  std::vector<double> f_end(n, -1.0), b_end(n, -1.0);
  struct Dev {
    double at_s = 0;  // next decision; +inf while waiting for a neighbour's op to be decided
    double free_s = 0;
    double f_s = 0, b_s = 0, w_s = 0;
    double m_b = 0, m_w = 0;  // stash per micro-batch from F to B, and the part kept from B to W
    int next_f = 0, next_b = 0, next_w = 0, limit = 1, peak = 1;  // in flight; memory in units of M_B
    Op* ops = nullptr;  // its 3m ops (and their times), filled in decision order
    OpTime* times = nullptr;
  };
  std::vector<Dev> dev(pu);
  ZeroBubbleRun run;
  run.ops.resize(pu);
  run.times.resize(pu * per_device);
  double shortest = kInf;  // F or B: the ops a neighbour waits for
  for (int d = 0; d < p; ++d) {
    const auto du = static_cast<std::size_t>(d);
    Dev& x = dev[du];
    x.f_s = At(spec.forward_s, d);
    x.b_s = At(spec.backward_s, d);
    x.w_s = At(spec.weight_s, d);
    x.limit = h2 ? 2 * (p - d) - 1 : p - d;
    x.peak = h2 ? 2 * p - 1 : p;
    x.m_b = At(spec.activation_bytes, d);
    x.m_w = std::min(x.m_b, At(spec.weight_grad_bytes, d));
    shortest = std::min({shortest, x.f_s, x.b_s});
    run.ops[du].resize(per_device);
    x.ops = run.ops[du].data();
    x.times = run.times.data() + du * per_device;
  }
  double earliest = 0;  // the earliest pending decision
  // A neighbour's F / B has ended: d may act at t (not before it is free).
  auto wake = [&](int d, double t) {
    Dev& y = dev[static_cast<std::size_t>(d)];
    t = std::max(t, y.free_s);
    if (t < y.at_s) {
      y.at_s = t;
      earliest = std::min(earliest, t);
    }
  };
  // Device d's decision at its at_s: run an op, or wait until one is ready.
  auto decide = [&](int d) {
    Dev& x = dev[static_cast<std::size_t>(d)];
    const double now = x.at_s;
    double ready_b = kInf, ready_f = kInf;
    if (x.next_b < x.next_f) {
      const double dep = d == p - 1 ? f_end[L.Index(x.next_b, d)] : b_end[L.Index(x.next_b, d + 1)];
      if (dep >= 0) ready_b = d == p - 1 ? dep : dep + spec.p2p_s;
    }
    // One more F keeps the stash within peak x M_B (in units of M_B, so no rounding drift).
    const bool room = x.m_b <= 0 || (x.next_f - x.next_b + 1) + (x.next_b - x.next_w) * (x.m_w / x.m_b) <= x.peak;
    if (x.next_f < m && x.next_f - x.next_b < x.limit && room) {
      if (d == 0) ready_f = 0;
      else if (f_end[L.Index(x.next_f, d - 1)] >= 0) ready_f = f_end[L.Index(x.next_f, d - 1)] + spec.p2p_s;
    }
    // Every op decided so far advanced one counter, so this one is op k of the device.
    const auto k = static_cast<std::size_t>(x.next_f + x.next_b + x.next_w);
    Op* const op = x.ops + k;  // one past the end when the device is done (then it only waits)
    double dur = 0;
    if (ready_b <= now) {
      *op = {EventKind::kBackward, x.next_b++, d, false};
      dur = x.b_s;
    } else if (ready_f <= now) {
      *op = {EventKind::kForward, x.next_f++, d, false};
      dur = x.f_s;
    } else if (x.next_w < x.next_b) {
      *op = {EventKind::kWeight, x.next_w++, d, false};
      dur = x.w_s;
    } else {
      x.at_s = std::min(ready_b, ready_f);  // infinity: until a neighbour wakes it
      return;
    }
    const double end = now + dur;
    x.times[k] = {now, end};
    x.free_s = x.at_s = end;
    if (op->kind == EventKind::kForward) {
      f_end[L.Index(op->mb, d)] = end;
      if (d + 1 < p) wake(d + 1, end + spec.p2p_s);
    } else if (op->kind == EventKind::kBackward) {
      b_end[L.Index(op->mb, d)] = end;
      if (d > 0) wake(d - 1, end + spec.p2p_s);
    }
  };
  while (earliest < kInf) {
    const double now = earliest;
    const double horizon = now + shortest + spec.p2p_s;
    earliest = kInf;
    if (horizon > now) {
      for (int d = 0; d < p; ++d) {
        Dev& x = dev[static_cast<std::size_t>(d)];
        while (x.at_s < horizon) decide(d);
        earliest = std::min(earliest, x.at_s);
      }
    } else {
      int first = 0;
      while (dev[static_cast<std::size_t>(first)].at_s != now) ++first;
      decide(first);
      for (const Dev& x : dev) earliest = std::min(earliest, x.at_s);
    }
  }
  for (const Dev& x : dev)
    if (x.next_w != m) throw std::logic_error("zero-bubble schedule generator stalled");
  return run;
}

// DualPipe (DeepSeek-V3 §3.2.1, deepseek-ai/DualPipe dualpipe.py) and DualPipe-V (dualpipev.py): the
// same eight steps per rank. Phase 0 / 1 are the rank's two chunks; `F&B` pairs (an overlapped
// forward of one phase with a full backward of the other) are issued here as F then B, i.e. with
// no overlap (F&B = F + B). Deferred W's (zero-bubble B's) are run FIFO by the W steps.
//   H: ranks per half (DualPipe p/2; V: devices), h: rank within its half, C: micro-batches per phase.
template <typename Place>
void DualSteps(int H, int h, int C, std::vector<Op>& list, Place place) {
  int f[2] = {0, 0}, b[2] = {0, 0};
  // Deferred W's, FIFO: (phase, counter) entries [w_head, size) are still to run.
  std::vector<std::pair<int, int>> pending_w;
  pending_w.reserve(2 * static_cast<std::size_t>(C));
  std::size_t w_head = 0;
  // Appends field by field: a whole Op built elsewhere and copied in would be read back as one
  // 16-byte load from four 4-byte stores, which the CPU cannot forward (a stall per op).
  auto add = [&](EventKind k, int ph, int counter, bool fused) {
    const Op op = place(k, ph, counter, fused);
    Op& slot = list.emplace_back();
    slot.kind = op.kind, slot.mb = op.mb, slot.pos = op.pos, slot.fused_w = op.fused_w;
  };
  auto F = [&](int ph) { add(EventKind::kForward, ph, f[ph]++, true); };
  auto B = [&](int ph, bool zb) {
    const int k = b[ph]++;
    add(EventKind::kBackward, ph, k, !zb);
    if (zb) pending_w.emplace_back(ph, k);
  };
  auto W = [&]() {
    if (w_head == pending_w.size()) return;
    const auto [ph, k] = pending_w[w_head++];
    add(EventKind::kWeight, ph, k, false);
  };
  for (int i = 0; i < (H - h - 1) * 2; ++i) F(0);                  // step 1: nF0
  for (int i = 0; i < h + 1; ++i) { F(0); F(1); }                  // step 2: nF0F1
  for (int i = 0; i < H - h - 1; ++i) { B(1, true); W(); F(1); }  // step 3: nB1W1F1
  for (int i = 0; i < C - 2 * H + h + 1; ++i) {                    // step 4: nF0B1F1B0
    F(0); B(1, false);
    F(1); B(0, false);
  }
  for (int i = 0; i < H - h - 1; ++i) { B(1, false); F(1); B(0, false); }  // step 5: nB1F1B0
  bool zb = false;
  const int step6 = h + 1;                                         // step 6: nB1B0
  for (int i = 0; i < step6; ++i) {
    if (i == step6 / 2 && h % 2 == 1) zb = true;
    B(1, zb);
    if (i == step6 / 2 && h % 2 == 0) zb = true;
    B(0, zb);
  }
  for (int i = 0; i < H - h - 1; ++i) { W(); B(0, true); }         // step 7: nWB0
  while (w_head < pending_w.size()) W();                           // step 8: nW
}

OpLists DualPipeOrders(const Layout& L) {
  OpLists ops(static_cast<std::size_t>(L.p));
  const int half = L.p / 2, per_dir = L.m / 2;
  for (int r = 0; r < L.p; ++r) {
    const bool second = r >= half;
    const int hr = std::min(r, L.p - 1 - r);
    auto place = [&](EventKind k, int ph, int counter, bool fused) {
      const int dir = (ph == 0) != second ? 0 : 1;  // phase 0 is the direction entering at this half
      const int pos = dir == 0 ? r : L.p - 1 - r;
      return Op{k, dir * per_dir + counter, pos, fused};
    };
    ops[static_cast<std::size_t>(r)].reserve(3 * static_cast<std::size_t>(L.m));
    DualSteps(half, hr, per_dir, ops[static_cast<std::size_t>(r)], place);
  }
  return ops;
}

OpLists DualPipeVOrders(const Layout& L) {
  OpLists ops(static_cast<std::size_t>(L.p));
  for (int r = 0; r < L.p; ++r) {
    auto place = [&](EventKind k, int ph, int counter, bool fused) {
      return Op{k, counter, ph == 0 ? r : 2 * L.p - 1 - r, fused};
    };
    ops[static_cast<std::size_t>(r)].reserve(6 * static_cast<std::size_t>(L.m));
    DualSteps(L.p, r, L.m, ops[static_cast<std::size_t>(r)], place);
  }
  return ops;
}

void CheckSpec(const PipelineSpec& s) {
  auto fail = [](const std::string& what) { throw std::invalid_argument("pipeline: " + what); };
  if (s.stages < 1) fail("stages must be >= 1");
  if (s.micro_batches < 1) fail("micro_batches must be >= 1");
  if (s.virtual_stages < 1) fail("virtual_stages must be >= 1");
  const auto n = static_cast<std::size_t>(ModelChunks(s));
  for (const auto* v : {&s.forward_s, &s.backward_s, &s.weight_s, &s.activation_bytes, &s.weight_grad_bytes})
    if (v->size() != 1 && v->size() != n)
      fail("cost vectors need 1 or " + std::to_string(n) + " entries (one per model chunk)");
  for (const auto* v : {&s.forward_s, &s.backward_s, &s.weight_s})
    for (double x : *v)
      if (!(x >= 0) || !std::isfinite(x)) fail("durations must be finite and >= 0");
  if (!(s.p2p_s >= 0) || !(s.tail_s >= 0)) fail("p2p_s and tail_s must be >= 0");
  if (s.schedule == ScheduleKind::kDualPipe &&
      (s.stages % 2 != 0 || s.micro_batches % 2 != 0 || s.micro_batches < 2 * s.stages))
    fail("dualpipe needs an even number of stages and an even micro_batches >= 2 x stages");
  if (s.schedule == ScheduleKind::kInterleaved && s.micro_batches % s.stages != 0)
    fail("interleaved needs micro_batches to be a multiple of stages (Megatron-LM asserts it)");
  if (s.schedule == ScheduleKind::kDualPipeV && s.micro_batches < 2 * s.stages)
    fail("dualpipe-v needs micro_batches >= 2 x stages (devices)");
}

}  // namespace

// ---------------------------------------------------------------- 3. timing simulation

namespace {

// The layout and costs of every model chunk, looked up once per spec so the per-op loops do no
// switches, divisions or size tests. Per DualPipe direction (index 0 for every other schedule):
//   device[pos], chunk[pos]: where model chunk pos runs (Layout::Device / Layout::Chunk);
//   cross[pos]: the hop from chunk pos-1 to pos changes device (a p2p transfer); cross[0] and
//   cross[npos] are false, so `cross[pos + 1]` is the forward send of pos and `cross[pos]` its
//   backward send. Costs are per model chunk (At of the spec vectors).
struct ChunkTable {
  struct Direction {
    std::vector<int> device, chunk;
    std::vector<char> cross;  // npos + 1 entries
  };
  Direction dir[2];
  int second_direction_from = 0;  // first micro-batch of DualPipe's second direction; m elsewhere
  std::vector<double> f_s, b_s, bw_s, w_s;  // forward, backward, backward with fused W, weight
  std::vector<double> act_bytes, kept_w_bytes;  // stash per micro-batch; part kept from B to W

  ChunkTable(const PipelineSpec& spec, const Layout& L) {
    const auto npos = static_cast<std::size_t>(L.npos);
    for (int d = 0; d < 2; ++d) {
      const int mb = d == 0 ? 0 : L.m - 1;  // a micro-batch of this direction
      Direction& t = dir[d];
      t.device.resize(npos);
      t.chunk.resize(npos);
      t.cross.assign(npos + 1, 0);
      for (int pos = 0; pos < L.npos; ++pos) {
        const auto pu = static_cast<std::size_t>(pos);
        t.device[pu] = L.Device(mb, pos);
        t.chunk[pu] = L.Chunk(mb, pos);
        if (pos > 0) t.cross[pu] = t.device[pu] != t.device[pu - 1];
      }
    }
    second_direction_from = L.kind == ScheduleKind::kDualPipe ? L.m / 2 : L.m;
    for (int pos = 0; pos < L.npos; ++pos) {
      f_s.push_back(At(spec.forward_s, pos));
      b_s.push_back(At(spec.backward_s, pos));
      w_s.push_back(At(spec.weight_s, pos));
      bw_s.push_back(At(spec.backward_s, pos) + At(spec.weight_s, pos));
      act_bytes.push_back(At(spec.activation_bytes, pos));
      kept_w_bytes.push_back(std::min(act_bytes.back(), At(spec.weight_grad_bytes, pos)));
    }
  }
  // Layout::Direction without the switch on the schedule.
  const Direction& Of(int mb) const { return dir[mb >= second_direction_from ? 1 : 0]; }
  double Duration(const Op& op) const {
    const auto pos = static_cast<std::size_t>(op.pos);
    switch (op.kind) {
      case EventKind::kForward: return f_s[pos];
      case EventKind::kBackward: return op.fused_w ? bw_s[pos] : b_s[pos];
      default: return w_s[pos];
    }
  }
};

// Where the events go: op i of stage d is event first[d] + i (stage by stage, in op order), and
// the transfers follow from first[p].
std::vector<std::size_t> FirstEvents(const OpLists& ops) {
  std::vector<std::size_t> first(ops.size() + 1, 0);
  for (std::size_t d = 0; d < ops.size(); ++d) first[d + 1] = first[d] + ops[d].size();
  return first;
}

// Two events (send and recv) for each F and each B whose output crosses to another device. Every
// micro-batch runs one F and one B on each model chunk, so a direction's count is 4 x its
// micro-batches x its chunk boundaries that change device.
std::size_t CountTransferEvents(const Layout& L, const ChunkTable& table) {
  std::size_t count = 0;
  for (int d = 0; d < 2; ++d) {
    const int micro_batches = d == 0 ? table.second_direction_from : L.m - table.second_direction_from;
    const std::vector<char>& cross = table.dir[d].cross;
    count += 4 * static_cast<std::size_t>(micro_batches) *
             static_cast<std::size_t>(std::count(cross.begin(), cross.end(), 1));
  }
  return count;
}

// Dependency-driven timing: every stage runs its op list in order; an op starts when the stage is
// free and its input is ready (the same micro-batch's F on the previous model chunk, or its B on
// the next one and its own F, plus p2p when the chunk changes device; a W waits for its B). Stages
// are visited from a ring queue: a visit runs ops until one waits for an op that has not run yet,
// then queues both neighbours, the only stages that can wait for it. Each op is timed once and its
// event written straight to its slot; the transfers, when emitted, follow from first[p] in the
// order their ops run. (Writing in place while timing beats a second pass that appends: the
// stores of ~400k events overlap the timing work.)
void TimeOps(const OpLists& ops, const Layout& L, const ChunkTable& table, double p2p_s, bool emit,
             const std::vector<std::size_t>& first, PipelineEvent* events) {
  const auto pu = static_cast<std::size_t>(L.p);
  // End of each (micro-batch, model chunk)'s F / B at L.Index, -1 until it has run.
  const std::size_t n = static_cast<std::size_t>(L.npos) * static_cast<std::size_t>(L.m);
  std::vector<double> f_end(n, -1.0), b_end(n, -1.0);
  const int last_pos = L.npos - 1;
  PipelineEvent* transfer = events + first[pu];

  std::vector<std::size_t> next(pu, 0);
  std::vector<double> free_s(pu, 0.0);
  // Stages to visit: a ring of p slots, each stage queued at most once (`queued`).
  std::vector<int> work(pu);
  std::vector<char> queued(pu, 1);
  std::size_t work_head = 0, work_count = pu;
  for (std::size_t d = 0; d < pu; ++d) work[d] = static_cast<int>(d);
  while (work_count > 0) {
    const int d = work[work_head];
    work_head = (work_head + 1) % pu;
    --work_count;
    const auto du = static_cast<std::size_t>(d);
    queued[du] = 0;
    const std::vector<Op>& list = ops[du];
    PipelineEvent* const out = events + first[du];
    std::size_t i = next[du];
    double free = free_s[du];
    for (; i < list.size(); ++i) {
      const Op& op = list[i];
      const ChunkTable::Direction& dir = table.Of(op.mb);
      const auto pos = static_cast<std::size_t>(op.pos);
      const std::size_t at = L.Index(op.mb, op.pos);
      double ready = 0;  // when the op's input is there; stop at the first op whose input has not run
      int to_pos = -1;   // the chunk its output crosses to, if on another device
      if (op.kind == EventKind::kForward) {
        if (pos > 0) {
          const double e = f_end[at - 1];
          if (e < 0) break;
          ready = dir.cross[pos] ? e + p2p_s : e;
        }
        if (dir.cross[pos + 1]) to_pos = op.pos + 1;
      } else if (op.kind == EventKind::kBackward) {
        ready = f_end[at];
        if (ready < 0) break;
        if (op.pos != last_pos) {
          const double e = b_end[at + 1];
          if (e < 0) break;
          ready = std::max(ready, dir.cross[pos + 1] ? e + p2p_s : e);
        }
        if (dir.cross[pos]) to_pos = op.pos - 1;
      } else {
        ready = b_end[at];
        if (ready < 0) break;
      }
      const double start = std::max(free, ready);
      free = start + table.Duration(op);
      out[i] = {d, op.mb, dir.chunk[pos], op.pos, op.kind, start, free};
      if (op.kind == EventKind::kForward) f_end[at] = free;
      else if (op.kind == EventKind::kBackward) b_end[at] = free;
      if (emit && to_pos >= 0) {
        const auto to = static_cast<std::size_t>(to_pos);
        *transfer++ = {d, op.mb, dir.chunk[pos], op.pos, EventKind::kSend, free, free + p2p_s};
        *transfer++ = {dir.device[to], op.mb, dir.chunk[to], to_pos, EventKind::kRecv, free, free + p2p_s};
      }
    }
    const bool progressed = i != next[du];
    next[du] = i;
    free_s[du] = free;
    if (progressed) {
      for (int nb : {(d + 1) % L.p, (d + L.p - 1) % L.p}) {
        const auto nbu = static_cast<std::size_t>(nb);
        if (!queued[nbu]) {
          queued[nbu] = 1;
          work[(work_head + work_count) % pu] = nb;
          ++work_count;
        }
      }
    }
  }
  for (std::size_t d = 0; d < pu; ++d)
    if (next[d] != ops[d].size())
      throw std::logic_error(std::string("pipeline schedule deadlocked: ") + ScheduleName(L.kind));
}

// The compute events from times the ZB generator recorded (same slots as TimeOps).
void WriteTimedEvents(const OpLists& ops, const ChunkTable& table, const std::vector<OpTime>& times,
                      PipelineEvent* events) {
  std::size_t k = 0;
  for (std::size_t d = 0; d < ops.size(); ++d)
    for (const Op& op : ops[d]) {
      const auto [start, end] = times[k];
      events[k++] = {static_cast<int>(d), op.mb, table.Of(op.mb).chunk[static_cast<std::size_t>(op.pos)], op.pos,
                     op.kind, start, end};
    }
}

// Each stage's figures from its compute events in one pass (busy time, stash, the memory lane),
// then the step, the tail's events (after the transfers) and the bubble.
void AddFigures(PipelineSchedule& s, const OpLists& ops, const ChunkTable& table,
                const std::vector<std::size_t>& first) {
  const PipelineSpec& spec = s.spec;
  const auto pu = static_cast<std::size_t>(spec.stages);
  s.stage_busy_s.assign(pu, 0.0);
  s.stage_span_idle_s.assign(pu, 0.0);
  s.peak_in_flight.assign(pu, 0);
  s.peak_activation_bytes.assign(pu, 0.0);
  s.memory.assign(pu, {});
  for (std::size_t d = 0; d < pu; ++d) {
    const std::vector<Op>& list = ops[d];
    const PipelineEvent* const evs = s.events.data() + first[d];
    double busy = 0, bytes = 0, peak = 0;
    int in_flight = 0, peak_n = 0;
    auto& mem = s.memory[d];
    mem.reserve(list.size() + 1);
    mem.push_back({0.0, 0.0});
    for (std::size_t i = 0; i < list.size(); ++i) {
      const Op& op = list[i];
      const auto pos = static_cast<std::size_t>(op.pos);
      const double start = evs[i].start_s, end = evs[i].end_s;
      busy += end - start;
      double at = end;  // when the stash changes: an F stashes from its start, B and W free at their end
      if (op.kind == EventKind::kForward) {
        bytes += table.act_bytes[pos];
        peak_n = std::max(peak_n, ++in_flight);
        at = start;
      } else if (op.kind == EventKind::kBackward) {
        // M_B freed, M_W kept until W (Zero Bubble Table 1)
        bytes -= table.act_bytes[pos] - (op.fused_w ? 0.0 : table.kept_w_bytes[pos]);
        --in_flight;
      } else {
        bytes -= table.kept_w_bytes[pos];
      }
      if (mem.back().time_s == at) mem.back().bytes = bytes;
      else mem.push_back({at, bytes});
      peak = std::max(peak, bytes);
    }
    s.stage_busy_s[d] = busy;
    if (!list.empty()) {
      // A stage's ops run one after another, so its last op ends last.
      const double last_end = evs[list.size() - 1].end_s;
      s.pipeline_s = std::max(s.pipeline_s, last_end);
      s.stage_span_idle_s[d] = last_end - evs[0].start_s - busy;
    }
    s.peak_in_flight[d] = peak_n;
    s.peak_activation_bytes[d] = peak;
  }
  s.step_s = s.pipeline_s + spec.tail_s;
  if (spec.tail_s > 0) {
    PipelineEvent* const tail = s.events.data() + s.events.size() - pu;
    for (int d = 0; d < spec.stages; ++d)
      tail[d] = {d, 0, 0, 0, EventKind::kOptimizer, s.pipeline_s, s.step_s};
  }
  double idle = 0;
  for (double b : s.stage_busy_s) {
    s.ideal_s = std::max(s.ideal_s, b);
    idle += s.pipeline_s - b;
  }
  if (s.pipeline_s > 0) s.bubble_fraction = idle / (static_cast<double>(spec.stages) * s.pipeline_s);
  if (s.ideal_s > 0) s.bubble_vs_ideal = s.pipeline_s / s.ideal_s - 1.0;
}

}  // namespace

PipelineSchedule SimulateSchedule(const PipelineSpec& spec) {
  CheckSpec(spec);
  const Layout L{spec.schedule, spec.stages, spec.micro_batches, ModelChunks(spec)};
  const ChunkTable table(spec, L);
  const bool emit = spec.emit_transfers && spec.p2p_s > 0;
  OpLists ops;
  std::vector<OpTime> zb_times;
  switch (spec.schedule) {
    case ScheduleKind::kGPipe: ops = GPipeOrders(L); break;
    case ScheduleKind::k1F1B: ops = OneFOneBOrders(L); break;
    case ScheduleKind::kInterleaved: ops = InterleavedOrders(L, spec.virtual_stages); break;
    case ScheduleKind::kZbH1:
    case ScheduleKind::kZbH2: {
      ZeroBubbleRun run = ZeroBubbleOrders(spec, L, spec.schedule == ScheduleKind::kZbH2);
      ops = std::move(run.ops);
      zb_times = std::move(run.times);
      break;
    }
    case ScheduleKind::kDualPipe: ops = DualPipeOrders(L); break;
    case ScheduleKind::kDualPipeV: ops = DualPipeVOrders(L); break;
  }
  const std::vector<std::size_t> first = FirstEvents(ops);
  PipelineSchedule s;
  s.spec = spec;
  // Every event goes straight to its final slot (one allocation, no copies): compute events stage
  // by stage, then the transfers in the order they happen, then the tail.
  s.events.resize(first.back() + (emit ? CountTransferEvents(L, table) : 0) +
                  (spec.tail_s > 0 ? ops.size() : 0));
  // The ZB generator started every op as soon as its stage was free and its input ready, which is
  // what TimeOps computes; only the order of the transfers needs TimeOps' visits.
  if (!zb_times.empty() && !emit) WriteTimedEvents(ops, table, zb_times, s.events.data());
  else TimeOps(ops, L, table, spec.p2p_s, emit, first, s.events.data());
  AddFigures(s, ops, table, first);
  return s;
}

// ---------------------------------------------------------------- 4. hash, trace, spec

std::uint64_t ScheduleHash(const PipelineSchedule& schedule) {
  std::uint64_t h = 14695981039346656037ull;  // FNV-1a 64-bit offset basis
  auto mix = [&h](std::uint64_t x) {
    for (int i = 0; i < 8; ++i) {
      h ^= (x >> (8 * i)) & 0xffu;
      h *= 1099511628211ull;  // FNV prime
    }
  };
  for (const PipelineEvent& e : schedule.events) {
    mix(static_cast<std::uint64_t>(e.stage));
    mix(static_cast<std::uint64_t>(e.micro_batch));
    mix(static_cast<std::uint64_t>(e.chunk));
    mix(static_cast<std::uint64_t>(e.model_chunk));
    mix(static_cast<std::uint64_t>(e.kind));
    mix(std::bit_cast<std::uint64_t>(e.start_s));
    mix(std::bit_cast<std::uint64_t>(e.end_s));
  }
  return h;
}

nlohmann::json ToChromeTrace(const PipelineSchedule& schedule) {
  nlohmann::json events = nlohmann::json::array();
  for (int d = 0; d < schedule.spec.stages; ++d) {
    events.push_back({{"name", "thread_name"}, {"ph", "M"}, {"pid", 0}, {"tid", d},
                      {"args", {{"name", "stage " + std::to_string(d)}}}});
    if (schedule.spec.emit_transfers && schedule.spec.p2p_s > 0)
      events.push_back({{"name", "thread_name"}, {"ph", "M"}, {"pid", 0}, {"tid", 1000 + d},
                        {"args", {{"name", "stage " + std::to_string(d) + " p2p"}}}});
  }
  for (const PipelineEvent& e : schedule.events) {
    const bool comm = e.kind == EventKind::kSend || e.kind == EventKind::kRecv;
    std::string name = EventKindLetter(e.kind);
    if (comm) name += " " + std::to_string(e.micro_batch);
    else if (e.kind != EventKind::kOptimizer) name += std::to_string(e.micro_batch);
    events.push_back({{"name", name},
                      {"cat", comm ? "p2p" : "compute"},
                      {"ph", "X"},
                      {"ts", e.start_s * 1e6},
                      {"dur", (e.end_s - e.start_s) * 1e6},
                      {"pid", 0},
                      {"tid", comm ? 1000 + e.stage : e.stage},
                      {"args", {{"micro_batch", e.micro_batch}, {"chunk", e.chunk}, {"model_chunk", e.model_chunk}}}});
  }
  return {{"traceEvents", events},
          {"displayTimeUnit", "ms"},
          {"otherData", {{"schedule", ScheduleName(schedule.spec.schedule)},
                         {"stages", schedule.spec.stages},
                         {"micro_batches", schedule.spec.micro_batches},
                         {"step_s", schedule.step_s},
                         {"bubble_fraction", schedule.bubble_fraction}}}};
}

int VirtualStagesFor(ScheduleKind schedule, int requested, int layers, int pp) {
  if (schedule != ScheduleKind::kInterleaved) return 1;
  if (requested > 0) return requested;
  const int per_stage = layers / std::max(1, pp);
  for (int v = std::min(kMaxAutoVirtualStages, per_stage); v >= 2; --v)
    if (per_stage % v == 0) return v;
  return per_stage >= 2 ? 2 : 1;  // a prime above the cap: two chunks of unequal size
}

PipelineSpec MakePipelineSpec(const Scenario& sc) {
  const Training tr = ResolveTrainingDegrees(sc);  // degrees 0 = auto
  const Model& md = sc.model;
  PipelineSpec spec;
  spec.schedule = ParseSchedule(tr.schedule);
  spec.stages = std::max(1, tr.pp);
  // dp 0 = auto: the chips left after tp x pp x cp, as the training engine resolves it.
  const double chips = static_cast<double>(sc.cluster.racks) * sc.cluster.chips_per_rack;
  const double model_par = static_cast<double>(std::max(1, tr.tp)) * std::max(1, tr.pp) * std::max(1, tr.cp);
  const double dp = tr.dp > 0 ? tr.dp : std::max(1.0, std::floor(chips / model_par));
  spec.micro_batches = static_cast<int>(
      std::clamp(std::floor(tr.global_batch / (dp * std::max(1, tr.micro_batch))), 1.0, 1e9));
  spec.virtual_stages = VirtualStagesFor(spec.schedule, tr.virtual_stages, md.layers, spec.stages);
  const Recompute mode = ParseRecompute(tr.recompute);
  const int chunks = ModelChunks(spec);
  const double b = tr.micro_batch, s = tr.seq_len, h = md.d_model, t = std::max(1, tr.tp);
  // Peak bf16 and line-rate links: a roofline time axis for the schedule (efficiency.compute and
  // network are the serving engine's fractions, SCENARIO.md; the training engine has its own).
  const double flops_per_s = PeakFlops(sc.hardware, "bf16");
  if (!(flops_per_s > 0)) throw std::invalid_argument("pipeline: hardware.bf16_flops must be > 0");
  const ActivationShape shape{s, b, h, static_cast<double>(md.heads), t, tr.sequence_parallel};
  // Zero Bubble Table 1 (published-numbers §4.1), per layer per micro-batch, split over t chips.
  const double f_layer = b * s * h * (24.0 * h + 4.0 * s) / t;
  const double b_layer = b * s * h * (24.0 * h + 8.0 * s) / t + RecomputeFlopsPerLayer(shape, mode);
  const double w_layer = b * s * h * 24.0 * h / t;
  const double logits = 2.0 * b * s * h * md.vocab / t;  // KOR-F1 logits 2Bshv (same size for dX, dW)
  const auto n = static_cast<std::size_t>(chunks);
  spec.forward_s.assign(n, 0.0);
  spec.backward_s.assign(n, 0.0);
  spec.weight_s.assign(n, 0.0);
  spec.activation_bytes.assign(n, 0.0);
  spec.weight_grad_bytes.assign(n, 0.0);
  const int base = md.layers / chunks, extra = md.layers % chunks;
  for (int c = 0; c < chunks; ++c) {
    const double layers = base + (c < extra ? 1 : 0);  // extra layers on the first chunks
    const bool last = c == chunks - 1;
    const auto cu = static_cast<std::size_t>(c);
    spec.forward_s[cu] = (layers * f_layer + (last ? logits : 0.0)) / flops_per_s;
    spec.backward_s[cu] = (layers * b_layer + (last ? logits : 0.0)) / flops_per_s;
    spec.weight_s[cu] = (layers * w_layer + (last ? logits : 0.0)) / flops_per_s;
    spec.activation_bytes[cu] = StashBytesPerMicroBatch(shape, mode, layers);
    spec.weight_grad_bytes[cu] = layers * 32.0 * s * b * h / t;  // Zero Bubble Table 1: M_W = 32sbh
  }
  // MEG-F10: b·s·h 16-bit values cross each stage boundary, over the NIC, plus one hop latency.
  const double bw = sc.hardware.scaleout_bytes_per_s;
  spec.p2p_s = (bw > 0 ? b * s * h * 2.0 / bw : 0.0) + sc.hardware.scaleout_latency_s;
  return spec;
}

// ---------------------------------------------------------------- 5. decode across racks

DecodeLoop SimulateDecodeLoop(const DecodeLoopSpec& spec) {
  if (spec.stages < 1 || spec.tokens < 1 || !(spec.stage_s >= 0) || !(spec.hop_s >= 0))
    throw std::invalid_argument("decode loop: stages, tokens >= 1 and times >= 0");
  const int P = spec.stages;
  DecodeLoop out;
  out.events.reserve(static_cast<std::size_t>(P) * static_cast<std::size_t>(P) *
                     static_cast<std::size_t>(spec.tokens));
  std::vector<double> stage_free(static_cast<std::size_t>(P), 0.0), mb_end(static_cast<std::size_t>(P), -1.0);
  std::vector<double> first_token_end(static_cast<std::size_t>(P), 0.0);
  double second_token_end0 = -1;
  // Lecture §1.9: P micro-batches follow each other through the racks; after the last rack a
  // micro-batch hops back to rack 1 for its next token. Stages take micro-batches in order.
  for (int tok = 0; tok < spec.tokens; ++tok) {
    for (int j = 0; j < P; ++j) {
      for (int k = 0; k < P; ++k) {
        const auto ju = static_cast<std::size_t>(j), ku = static_cast<std::size_t>(k);
        const double dep = mb_end[ju] < 0 ? 0.0 : mb_end[ju] + spec.hop_s;
        const double start = std::max(stage_free[ku], dep);
        const double end = start + spec.stage_s;
        stage_free[ku] = end;
        mb_end[ju] = end;
        out.events.push_back({k, j, tok, k, EventKind::kForward, start, end});
      }
      if (j == 0 && tok == 1) second_token_end0 = mb_end[0];
      if (tok == 0) first_token_end[static_cast<std::size_t>(j)] = mb_end[static_cast<std::size_t>(j)];
    }
  }
  for (double e : stage_free) out.makespan_s = std::max(out.makespan_s, e);
  // Per-token latency of a micro-batch: P stages and P hops (the last one wraps to rack 1).
  out.token_latency_s = second_token_end0 >= 0 ? second_token_end0 - first_token_end[0]
                                                : P * (spec.stage_s + spec.hop_s);
  const double busy = spec.tokens * P * spec.stage_s;
  // Steady state: a stage serves P micro-batches per token cycle.
  (void)busy;
  out.stage_utilization = out.token_latency_s > 0 ? P * spec.stage_s / out.token_latency_s : 1.0;
  return out;
}

DecodeMemory DecodeMemoryPerChip(double weight_bytes_total, double experts_parallel, double stages,
                                 double micro_batch, double context, double kv_bytes_per_token) {
  DecodeMemory m;
  m.weights_bytes = weight_bytes_total / (experts_parallel * stages);        // N_total/(E·P)
  m.kv_bytes = micro_batch * context * kv_bytes_per_token / experts_parallel; // b·ctx·bytes/E
  m.total_bytes = m.weights_bytes + m.kv_bytes;
  return m;
}

double RackHopRatio(double experts_active, double layers_per_stage, double scaleout_bytes_per_s,
                    double scaleup_bytes_per_s) {
  // Lecture §1.9: t_scaleup / t_scaleout ≈ (BW_out/BW_up) x k x L_stage x 2 (dispatch + combine).
  return 2.0 * experts_active * layers_per_stage * scaleout_bytes_per_s / scaleup_bytes_per_s;
}

}  // namespace blackboard
