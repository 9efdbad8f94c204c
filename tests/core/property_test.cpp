// Property tests of the engine over wide ranges: 1 to 10^6 chips, 10^6 to 10^13 parameters, batch 1
// to 10^6, context 1 to 10^7. Scenarios come from a fixed-seed generator (SplitMix64 and our own
// log-uniform draws, not <random>'s distributions, whose output differs between standard libraries),
// so every run checks the same cases.
//
// Index: generator (Rng, RandomScenario) | finiteness (serving, decode, training, collectives,
// pipeline) | monotonicity (HBM bandwidth, compute, chips, batch, context, link bandwidth).
//
// "Never slower" comparisons allow a relative 1e-12 for rounding: the formulas are sums and maxima of
// products and quotients, each monotone, but a product computed in a different order may differ in
// the last bit.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

#include "blackboard/assets.hpp"
#include "blackboard/collectives.hpp"
#include "blackboard/model.hpp"
#include "blackboard/pipeline.hpp"
#include "blackboard/scenario.hpp"
#include "blackboard/serving.hpp"
#include "blackboard/training.hpp"

namespace blackboard {
namespace {

// ---------------------------------------------------------------- generator

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t Next() {  // SplitMix64 (Steele, Lea, Flood 2014)
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }  // [0, 1)
  double LogUniform(double lo, double hi) { return lo * std::pow(hi / lo, Uniform()); }
  int IntLog(double lo, double hi) {
    return static_cast<int>(std::clamp(std::round(LogUniform(lo, hi)), lo, hi));
  }
  bool Chance(double p) { return Uniform() < p; }
  template <class T>
  const T& Pick(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(Next() % v.size())];
  }

 private:
  std::uint64_t state_;
};

constexpr std::uint64_t kSeed = 20240611;
constexpr int kScenarios = 160;
constexpr double kRounding = 1e-12;

bool NotAbove(double a, double b) { return a <= b * (1 + kRounding); }

// Powers of two dividing n, at most `cap`.
std::vector<int> PowerOfTwoDivisors(int n, int cap) {
  std::vector<int> out;
  for (int d = 1; d <= cap && n % d == 0; d *= 2) out.push_back(d);
  return out;
}

std::vector<int> Divisors(int n, int cap) {
  std::vector<int> out;
  for (int d = 1; d <= std::min(n, cap); ++d)
    if (n % d == 0) out.push_back(d);
  return out;
}

const std::vector<Hardware>& Presets() {
  static const std::vector<Hardware> presets = [] {
    std::vector<Hardware> v;
    for (const auto& name : ListAssets("hardware")) v.push_back(LoadHardwarePreset(name, "test", "hardware"));
    return v;
  }();
  return presets;
}

Hardware RandomHardware(Rng& rng) {
  if (rng.Chance(0.5)) return rng.Pick(Presets());
  Hardware h;
  h.bf16_flops = rng.LogUniform(1e12, 1e16);
  h.fp8_flops = rng.Chance(0.5) ? 2 * h.bf16_flops : 0;
  h.fp4_flops = rng.Chance(0.3) ? 4 * h.bf16_flops : 0;
  h.hbm_bytes = rng.LogUniform(1e9, 1e12);
  h.hbm_bytes_per_s = rng.LogUniform(1e11, 1e14);
  h.scaleup_bytes_per_s = rng.LogUniform(1e9, 1e13);
  h.scaleup_domain = rng.Pick(std::vector<int>{1, 4, 8, 64, 72, 256});
  h.scaleup_latency_s = rng.LogUniform(1e-7, 1e-4);
  h.scaleout_bytes_per_s = rng.LogUniform(1e9, 1e12);
  h.scaleout_latency_s = rng.LogUniform(1e-7, 1e-3);
  h.usd_per_hour = rng.Chance(0.2) ? 0 : rng.LogUniform(0.1, 100);
  return h;
}

// A transformer of about `params` parameters with a realistic aspect ratio (layers ~ d_model / 128,
// as in Llama and GPT-3): 12·L·d² ~ params gives d ~ (128 params / 12)^(1/3).
Model RandomModel(Rng& rng, double params) {
  Model m;
  m.head_dim = rng.Pick(std::vector<int>{32, 64, 128});
  const double d = std::cbrt(params * 128.0 / 12.0);
  m.heads = 1;
  while (m.heads * 2 * m.head_dim <= d && m.heads < 1024) m.heads *= 2;
  m.d_model = m.heads * m.head_dim;
  m.attention = rng.Pick(std::vector<std::string>{"mha", "gqa", "mqa", "mla"});
  m.kv_heads = rng.Pick(PowerOfTwoDivisors(m.heads, m.heads));
  if (m.attention == "mla") {
    m.kv_latent = rng.IntLog(64, 1024);
    m.rope_dim = rng.Chance(0.5) ? 64 : 0;
    m.q_latent = rng.Chance(0.5) ? rng.IntLog(64, 2048) : 0;
  }
  m.mlp = rng.Chance(0.5) ? "gated" : "plain";
  m.d_ff = std::max(1, static_cast<int>(std::round(m.d_model * rng.LogUniform(2.5, 4.5))));
  m.vocab = rng.IntLog(256, 262144);
  m.tied_embeddings = rng.Chance(0.3);
  m.norm = rng.Chance(0.5) ? "rmsnorm" : "layernorm";
  m.bias = rng.Chance(0.2);
  m.parallel_block = rng.Chance(0.2);
  const double per_layer = 12.0 * static_cast<double>(m.d_model) * m.d_model;
  m.layers = static_cast<int>(std::clamp(std::round(params / per_layer), 1.0, 2000.0));
  if (rng.Chance(0.3)) {
    m.experts = rng.Pick(std::vector<int>{8, 16, 64, 256});
    m.experts_active = std::min(m.experts, rng.IntLog(1, 8));
    m.shared_experts = rng.Chance(0.5) ? 1 : 0;
    m.d_ff_expert = std::max(1, m.d_ff / 4);
    m.dense_layers = std::min(m.layers, rng.IntLog(1, 4) - 1);
  }
  return m;
}

// A valid scenario with chips, parameters, batch and context drawn log-uniformly over the ranges.
Scenario RandomScenario(Rng& rng) {
  Scenario s = DefaultScenario();
  s.title = "property";
  s.hardware = RandomHardware(rng);
  s.model = RandomModel(rng, rng.LogUniform(1e6, 1e13));
  const Model& m = s.model;

  const double chips = rng.LogUniform(1, 1e6);
  s.cluster.chips_per_rack = rng.Pick(std::vector<int>{1, 2, 4, 8, 16, 64, 72, 256});
  while (s.cluster.chips_per_rack > 1 && s.cluster.chips_per_rack > chips) s.cluster.chips_per_rack /= 2;
  s.cluster.racks = std::max(1, static_cast<int>(std::round(chips / s.cluster.chips_per_rack)));

  Serving& v = s.serving;
  v.batch = rng.IntLog(1, 1e6);
  v.context = rng.IntLog(1, 1e7);
  v.prompt_tokens = rng.IntLog(1, 1e6);
  v.output_tokens = rng.IntLog(1, 1e5);
  v.tp = rng.Pick(PowerOfTwoDivisors(m.heads, s.cluster.chips_per_rack));
  v.ep = 1;
  if (IsMoe(m) && rng.Chance(0.7))
    v.ep = rng.Pick(PowerOfTwoDivisors(m.experts, s.cluster.chips_per_rack / v.tp));
  v.pp = rng.IntLog(1, std::min(s.cluster.racks, m.layers));
  v.weight_bytes = rng.Pick(std::vector<double>{0.5, 1, 2});
  v.kv_bytes = rng.Pick(std::vector<double>{0.5, 1, 2});
  v.math = rng.Pick(std::vector<std::string>{"bf16", "fp8", "fp4"});
  v.cache_hit_rate = rng.Chance(0.5) ? rng.Uniform() : 0;
  v.hop_latency_s = rng.Chance(0.5) ? rng.LogUniform(1e-7, 1e-3) : 0;
  v.step_model = rng.Chance(0.5) ? "max" : "kv_serial";

  // Training: degrees that divide; the pipeline kept small enough to simulate quickly.
  Training& t = s.training;
  const int total = s.cluster.racks * s.cluster.chips_per_rack;
  t.tp = rng.Pick(PowerOfTwoDivisors(std::gcd(m.heads, total), 64));
  t.pp = rng.Pick(Divisors(total / t.tp, std::min(16, m.layers)));
  t.seq_len = rng.IntLog(1, 1e7);
  t.cp = (total / t.tp / t.pp) % 2 == 0 && t.seq_len % 2 == 0 && rng.Chance(0.3) ? 2 : 1;
  t.dp = 0;  // auto
  const int dp = total / (t.tp * t.pp * t.cp);
  t.schedule = rng.Pick(std::vector<std::string>{"gpipe", "1f1b", "interleaved", "zb-h1", "zb-h2",
                                                 "dualpipe", "dualpipe-v"});
  // Interleaving needs two layers per stage; v = 0 asks for the automatic choice.
  if (t.schedule == "interleaved" && 2 * t.pp > m.layers) t.schedule = "1f1b";
  t.virtual_stages = t.schedule == "interleaved" ? (rng.Chance(0.5) ? 0 : 2) : 1;
  t.micro_batch = rng.IntLog(1, 4);
  const int m_batches = t.pp * rng.IntLog(2, 8);  // a multiple of pp, >= 2 pp (interleaved, DualPipe)
  t.global_batch = dp * t.micro_batch * m_batches;
  t.ep = 1;
  if (IsMoe(m) && rng.Chance(0.5)) t.ep = rng.Pick(PowerOfTwoDivisors(std::gcd(m.experts, dp * t.tp), 64));
  t.zero = static_cast<int>(rng.Next() % 4);
  t.sequence_parallel = rng.Chance(0.5);
  t.recompute = rng.Pick(std::vector<std::string>{"none", "selective", "full", "reversible"});
  t.attention_kernel = rng.Chance(0.5) ? "flash" : "materialized";
  t.math = s.hardware.fp8_flops > 0 && s.hardware.fp8_native ? rng.Pick(std::vector<std::string>{"bf16", "fp8", "mxfp8"}) : "bf16";
  t.tp_comm_overlap = rng.Chance(0.5);
  t.tokens = rng.LogUniform(1e9, 1e14);

  // The calibrated defaults, the pure roofline of both engines, or random fractions and overhead.
  if (rng.Chance(0.25)) {
    s.efficiency = RooflineEfficiency();
  } else if (rng.Chance(0.5)) {
    s.efficiency.compute = rng.Chance(0.5) ? 1.0 : rng.LogUniform(0.05, 1);
    s.efficiency.memory = rng.Chance(0.5) ? 1.0 : rng.LogUniform(0.05, 1);
    s.efficiency.network = rng.Chance(0.5) ? 1.0 : rng.LogUniform(0.05, 1);
    s.efficiency.serving_layer_overhead_s = rng.Chance(0.5) ? 0.0 : rng.LogUniform(1e-7, 1e-4);
  }
  return s;
}

std::vector<Scenario> Scenarios() {
  Rng rng(kSeed);
  std::vector<Scenario> out;
  for (int i = 0; i < kScenarios; ++i) out.push_back(RandomScenario(rng));
  return out;
}

const std::vector<Scenario>& AllScenarios() {
  static const std::vector<Scenario> all = Scenarios();
  return all;
}

// What a failure prints: enough to rebuild the scenario (`blackboard eval` takes it as a file).
std::string Describe(const Scenario& s) { return ToJson(s).dump(); }

bool Finite(double x) { return std::isfinite(x) && x >= 0; }

#define EXPECT_FIGURE(x, s) EXPECT_TRUE(Finite(x)) << #x " = " << (x) << "\n" << Describe(s)

// ---------------------------------------------------------------- finiteness

// The generator really spans the ranges the issue names (so the properties below are not vacuous).
TEST(Property, GeneratorCoversTheRanges) {
  double min_chips = 1e300, max_chips = 0, min_params = 1e300, max_params = 0;
  for (const Scenario& s : AllScenarios()) {
    EXPECT_NO_THROW(ValidateScenario(s, "generated")) << Describe(s);
    const double chips = static_cast<double>(s.cluster.racks) * s.cluster.chips_per_rack;
    const double params = CountParameters(s.model).total;
    min_chips = std::min(min_chips, chips), max_chips = std::max(max_chips, chips);
    min_params = std::min(min_params, params), max_params = std::max(max_params, params);
  }
  EXPECT_LE(min_chips, 4);
  EXPECT_GE(max_chips, 2e5);
  EXPECT_LE(min_params, 1e7);
  EXPECT_GE(max_params, 1e12);
}

// Every serving figure is a count of seconds, bytes, tokens or dollars: finite and >= 0.
TEST(Property, ServingFiguresAreFiniteAndNonNegative) {
  for (const Scenario& s : AllScenarios()) {
    const ServingReport r = EvaluateServing(s);
    const DecodeStep& d = r.decode;
    EXPECT_FIGURE(d.compute_s, s); EXPECT_FIGURE(d.weights_s, s); EXPECT_FIGURE(d.kv_s, s);
    EXPECT_FIGURE(d.memory_s, s); EXPECT_FIGURE(d.network_s, s); EXPECT_FIGURE(d.hops_s, s);
    EXPECT_FIGURE(d.step_s, s); EXPECT_FIGURE(d.usd_per_token, s);
    EXPECT_GT(d.step_s, 0) << Describe(s);  // every step reads the weights once
    EXPECT_FIGURE(r.prefill_s, s); EXPECT_FIGURE(r.tokens_per_s, s);
    EXPECT_FIGURE(r.tokens_per_s_per_chip, s); EXPECT_FIGURE(r.latency_floor_s, s);
    EXPECT_FIGURE(r.critical_batch, s); EXPECT_FIGURE(r.max_batch, s);
    EXPECT_FIGURE(r.mfu_decode, s); EXPECT_FIGURE(r.mfu_prefill, s);
    EXPECT_FIGURE(r.memory.weights, s); EXPECT_FIGURE(r.memory.kv_cache, s);
    EXPECT_FIGURE(r.memory.total, s); EXPECT_FIGURE(r.overflow_bytes, s);
    EXPECT_FIGURE(r.hbm_drain_s, s); EXPECT_FIGURE(r.usd_per_mtok_output, s);
    EXPECT_FIGURE(r.usd_per_mtok_input, s);
    // A roofline never beats the hardware: MFU is a fraction of peak.
    EXPECT_LE(r.mfu_decode, 1 + kRounding) << Describe(s);
    EXPECT_LE(r.mfu_prefill, 1 + kRounding) << Describe(s);
  }
}

TEST(Property, DecodeSweepIsFiniteAndNonNegative) {
  for (const Scenario& s : AllScenarios()) {
    const ServingModel m = MakeServingModel(s);
    for (double b : {1.0, 7.0, 1e3, 1e6}) {
      const DecodeStep d = m.Decode(b);
      EXPECT_FIGURE(d.step_s, s);
      EXPECT_FIGURE(d.usd_per_token, s);
      EXPECT_GT(d.step_s, 0) << Describe(s);
    }
  }
}

// Training either rejects a plan (std::invalid_argument: a schedule that cannot run) or gives finite,
// non-negative figures whose step-time parts sum to the step.
TEST(Property, TrainingFiguresAreFiniteAndNonNegative) {
  int evaluated = 0;
  for (const Scenario& s : AllScenarios()) {
    TrainingReport r;
    try {
      r = EvaluateTraining(s);
    } catch (const std::invalid_argument&) {
      continue;
    }
    ++evaluated;
    EXPECT_FIGURE(r.step_s, s); EXPECT_GT(r.step_s, 0) << Describe(s);
    EXPECT_FIGURE(r.mfu, s); EXPECT_FIGURE(r.hfu, s);
    EXPECT_FIGURE(r.bubble_fraction, s); EXPECT_LE(r.bubble_fraction, 1) << Describe(s);
    EXPECT_FIGURE(r.tokens_per_s, s); EXPECT_FIGURE(r.days, s); EXPECT_FIGURE(r.usd, s);
    EXPECT_FIGURE(r.memory.weights_bytes, s); EXPECT_FIGURE(r.memory.gradients_bytes, s);
    EXPECT_FIGURE(r.memory.optimizer_bytes, s); EXPECT_FIGURE(r.memory.activations_bytes, s);
    EXPECT_FIGURE(r.memory.total_bytes, s);
    EXPECT_FIGURE(r.comm_dp_s, s); EXPECT_FIGURE(r.comm_tp_s, s); EXPECT_FIGURE(r.comm_pp_s, s);
    EXPECT_FIGURE(r.comm_ep_s, s); EXPECT_FIGURE(r.comm_cp_s, s); EXPECT_FIGURE(r.exposed_comm_s, s);
    const TrainingBreakdown& b = r.breakdown;
    for (double part : {b.compute_s, b.recompute_s, b.dp_s, b.tp_s, b.pp_s, b.ep_s, b.cp_s, b.bubble_s,
                        b.optimizer_s})
      EXPECT_FIGURE(part, s);
  }
  EXPECT_GE(evaluated, kScenarios / 2) << "the generator should make mostly runnable plans";
}

// training.hpp: "Step time split so that the parts sum to step_s" (the eval table and the stacked
// bar of the training board show the parts as the whole step).
TEST(Property, TrainingBreakdownSumsToTheStep) {
  for (const Scenario& s : AllScenarios()) {
    TrainingReport r;
    try {
      r = EvaluateTraining(s);
    } catch (const std::invalid_argument&) {
      continue;
    }
    const TrainingBreakdown& b = r.breakdown;
    const double sum = b.compute_s + b.recompute_s + b.dp_s + b.tp_s + b.pp_s + b.ep_s + b.cp_s +
                       b.bubble_s + b.optimizer_s;
    EXPECT_NEAR(sum, r.step_s, 1e-9 * r.step_s)
        << r.schedule << ": bubble_s " << b.bubble_s << ", pp_s " << b.pp_s << "\n" << Describe(s);
  }
}

// A small topology for the step-by-step plans (n^2 transfers), the scenario's links.
ClusterTopology SmallTopology(const Scenario& s, Rng& rng) {
  ClusterTopology t = TopologyFromScenario(s);
  t.racks = rng.IntLog(1, 4);
  t.gpus_per_rack = rng.IntLog(1, 8);
  return t;
}

const std::vector<CollectiveKind> kKinds = {
    CollectiveKind::kRingReduceScatter, CollectiveKind::kRingAllGather,
    CollectiveKind::kRingAllReduce, CollectiveKind::kTreeAllReduce,
    CollectiveKind::kHierarchicalAllReduce, CollectiveKind::kCrossRackRingAllReduce,
    CollectiveKind::kAllToAll};

TEST(Property, CollectiveTimesAreFiniteAndNonNegative) {
  Rng rng(kSeed + 1);
  for (const Scenario& s : AllScenarios()) {
    const ClusterTopology full = TopologyFromScenario(s);  // up to 10^6 ranks: closed forms only
    const ClusterTopology small = SmallTopology(s, rng);
    const double bytes = rng.LogUniform(1, 1e12);
    for (CollectiveKind kind : kKinds) {
      EXPECT_FIGURE(ClosedFormTime(kind, full, bytes), s);
      const CollectivePlan plan = BuildCollective(kind, small, bytes);
      for (double t : StepTimes(plan)) EXPECT_FIGURE(t, s);
      EXPECT_FIGURE(CollectiveTime(plan), s);
    }
  }
}

// Random pipeline specs (every schedule, uneven per-chunk costs) and the scenarios' own pipelines:
// events start at or after 0 and end after they start; step >= ideal; bubble fraction in [0, 1].
void ExpectSaneSchedule(const PipelineSchedule& sc, const std::string& what) {
  EXPECT_TRUE(Finite(sc.step_s)) << what;
  EXPECT_TRUE(Finite(sc.pipeline_s)) << what;
  EXPECT_TRUE(Finite(sc.ideal_s)) << what;
  EXPECT_GE(sc.pipeline_s * (1 + kRounding), sc.ideal_s) << what;
  EXPECT_GE(sc.step_s, sc.pipeline_s) << what;
  EXPECT_GE(sc.bubble_fraction, 0) << what;
  EXPECT_LE(sc.bubble_fraction, 1) << what;
  for (const PipelineEvent& e : sc.events) {
    ASSERT_TRUE(Finite(e.start_s)) << what;
    ASSERT_GE(e.end_s, e.start_s) << what;
  }
  for (double b : sc.peak_activation_bytes) EXPECT_TRUE(Finite(b)) << what;
}

TEST(Property, PipelineStepTimesAreFiniteAndNonNegative) {
  Rng rng(kSeed + 2);
  const std::vector<ScheduleKind> kinds = {ScheduleKind::kGPipe, ScheduleKind::k1F1B,
                                           ScheduleKind::kInterleaved, ScheduleKind::kZbH1,
                                           ScheduleKind::kZbH2, ScheduleKind::kDualPipe,
                                           ScheduleKind::kDualPipeV};
  for (int i = 0; i < 200; ++i) {
    PipelineSpec spec;
    spec.schedule = rng.Pick(kinds);
    spec.stages = 2 * rng.IntLog(1, 8);  // even: DualPipe needs it
    spec.virtual_stages = spec.schedule == ScheduleKind::kInterleaved ? rng.IntLog(1, 4) : 1;
    spec.micro_batches = spec.stages * rng.IntLog(2, 6);
    const auto chunks = static_cast<std::size_t>(ModelChunks(spec));
    const double scale = rng.LogUniform(1e-6, 10);
    auto costs = [&] {
      std::vector<double> v(chunks);
      for (double& x : v) x = scale * rng.LogUniform(0.1, 10);
      return v;
    };
    spec.forward_s = costs();
    spec.backward_s = costs();
    spec.weight_s = costs();
    spec.activation_bytes = std::vector<double>(chunks, rng.LogUniform(1, 1e10));
    spec.weight_grad_bytes = std::vector<double>(chunks, rng.LogUniform(1, 1e9));
    spec.p2p_s = rng.Chance(0.5) ? scale * rng.LogUniform(1e-3, 1) : 0;
    spec.tail_s = rng.Chance(0.5) ? scale * rng.LogUniform(1e-3, 10) : 0;
    ExpectSaneSchedule(SimulateSchedule(spec), std::string(ScheduleName(spec.schedule)) + " p=" +
                                                   std::to_string(spec.stages) + " m=" +
                                                   std::to_string(spec.micro_batches));
  }
  for (const Scenario& s : AllScenarios()) {
    if (s.training.pp < 2) continue;
    try {
      ExpectSaneSchedule(SimulateSchedule(MakePipelineSpec(s)), Describe(s));
    } catch (const std::invalid_argument&) {
      // A schedule that cannot run this shape (documented); EvaluateTraining reports it too.
    }
  }
}

// ---------------------------------------------------------------- monotonicity (serving)

const std::vector<double> kBatches = {1, 16, 1024, 1e6};

// Roofline: the weight and KV fetch take bytes / HBM bandwidth; compute and network do not use HBM.
// A faster memory can only shorten the memory term, so the step (a max or sum of terms) never grows.
TEST(Property, MoreHbmBandwidthNeverSlowsADecodeStep) {
  Rng rng(kSeed + 3);
  for (const Scenario& s : AllScenarios()) {
    Scenario faster = s;
    faster.hardware.hbm_bytes_per_s *= rng.LogUniform(1.001, 100);
    const ServingModel a = MakeServingModel(s), b = MakeServingModel(faster);
    for (double batch : kBatches)
      EXPECT_TRUE(NotAbove(b.Decode(batch).step_s, a.Decode(batch).step_s))
          << "batch " << batch << ": " << a.Decode(batch).step_s << " -> " << b.Decode(batch).step_s
          << "\n" << Describe(s);
  }
}

// Roofline: matmul time is FLOPs / peak FLOP/s; more peak (every precision) only shortens it.
TEST(Property, MoreComputeNeverSlowsADecodeStep) {
  Rng rng(kSeed + 4);
  for (const Scenario& s : AllScenarios()) {
    Scenario faster = s;
    const double k = rng.LogUniform(1.001, 100);
    faster.hardware.bf16_flops *= k;
    faster.hardware.fp8_flops *= k;
    faster.hardware.fp4_flops *= k;
    const ServingModel a = MakeServingModel(s), b = MakeServingModel(faster);
    for (double batch : kBatches)
      EXPECT_TRUE(NotAbove(b.Decode(batch).step_s, a.Decode(batch).step_s))
          << "batch " << batch << ": " << a.Decode(batch).step_s << " -> " << b.Decode(batch).step_s
          << "\n" << Describe(s);
  }
}

// Lecture §1.2: the latency floor is every weight byte read once, spread over the chips that hold
// the weights (tp x ep per stage); more chips per stage (or more racks) share the read.
TEST(Property, MoreChipsNeverRaiseTheLatencyFloor) {
  int compared = 0;
  for (const Scenario& s : AllScenarios()) {
    const double floor = EvaluateServing(s).latency_floor_s;
    const int tp0 = ResolveServingTp(s);  // 0 = auto
    Scenario more_racks = s;
    more_racks.cluster.racks = std::min(1000000, s.cluster.racks * 2);
    EXPECT_TRUE(NotAbove(EvaluateServing(more_racks).latency_floor_s, floor)) << Describe(s);
    for (int tp : PowerOfTwoDivisors(s.model.heads, s.cluster.chips_per_rack / s.serving.ep)) {
      if (tp <= tp0) continue;
      Scenario wider = s;
      wider.serving.tp = tp;
      ValidateScenario(wider, "wider tp");
      ++compared;
      EXPECT_TRUE(NotAbove(EvaluateServing(wider).latency_floor_s, floor))
          << "tp " << tp0 << " -> " << tp << "\n" << Describe(s);
    }
    if (IsMoe(s.model)) {
      for (int ep : PowerOfTwoDivisors(s.model.experts, s.cluster.chips_per_rack / tp0)) {
        if (ep <= s.serving.ep) continue;
        Scenario wider = s;
        wider.serving.ep = ep;
        ValidateScenario(wider, "wider ep");
        ++compared;
        EXPECT_TRUE(NotAbove(EvaluateServing(wider).latency_floor_s, floor))
            << "ep " << s.serving.ep << " -> " << ep << "\n" << Describe(s);
      }
    }
  }
  EXPECT_GT(compared, kScenarios / 4);
}

// Every term of a decode step grows with the batch (FLOPs, KV bytes and activations on the wire are
// all proportional to it; the weight fetch is shared): a larger batch never makes a step shorter.
TEST(Property, LargerBatchNeverLowersTheDecodeStep) {
  for (const Scenario& s : AllScenarios()) {
    const ServingModel m = MakeServingModel(s);
    double previous = 0;
    for (double batch = 1; batch <= 1e6; batch *= 3.7) {
      const double step = m.Decode(batch).step_s;
      EXPECT_TRUE(NotAbove(previous, step)) << "batch " << batch << ": " << previous << " -> " << step
                                            << "\n" << Describe(s);
      previous = step;
    }
  }
}

// Lecture §1.9: memory per chip is weights + batch x context x KV bytes per token; the KV cache
// grows with the context and the weights do not shrink.
TEST(Property, LargerContextNeverLowersMemoryPerChip) {
  Rng rng(kSeed + 5);
  for (const Scenario& s : AllScenarios()) {
    Scenario longer = s;
    longer.serving.context = static_cast<int>(std::min(1e7, s.serving.context * rng.LogUniform(1.01, 100)));
    if (longer.serving.context <= s.serving.context) continue;
    const ServingReport a = EvaluateServing(s), b = EvaluateServing(longer);
    EXPECT_TRUE(NotAbove(a.memory.total, b.memory.total))
        << "context " << s.serving.context << " -> " << longer.serving.context << ": " << a.memory.total
        << " -> " << b.memory.total << "\n" << Describe(s);
    EXPECT_TRUE(NotAbove(a.memory.kv_cache, b.memory.kv_cache)) << Describe(s);
    // A longer KV read also never speeds a decode step up.
    EXPECT_TRUE(NotAbove(a.decode.step_s, b.decode.step_s)) << Describe(s);
  }
}

// ---------------------------------------------------------------- monotonicity (collectives)

// Alpha-beta model: every step costs latency + bytes / bandwidth on its busiest link; raising a link
// class's bandwidth lowers every step that uses it and leaves the others alone.
TEST(Property, MoreBandwidthNeverSlowsACollective) {
  Rng rng(kSeed + 6);
  for (const Scenario& s : AllScenarios()) {
    const ClusterTopology full = TopologyFromScenario(s);
    const ClusterTopology small = SmallTopology(s, rng);
    const double bytes = rng.LogUniform(1, 1e12);
    const double k = rng.LogUniform(1.001, 100);
    for (bool scaleup : {true, false}) {
      ClusterTopology full_fast = full, small_fast = small;
      (scaleup ? full_fast.scaleup : full_fast.scaleout).bytes_per_s *= k;
      (scaleup ? small_fast.scaleup : small_fast.scaleout).bytes_per_s *= k;
      for (CollectiveKind kind : kKinds) {
        const std::string what = std::string(CollectiveName(kind)) + (scaleup ? " scale-up" : " scale-out") +
                                 " x" + std::to_string(k) + "\n" + Describe(s);
        EXPECT_TRUE(NotAbove(ClosedFormTime(kind, full_fast, bytes), ClosedFormTime(kind, full, bytes)))
            << what;
        EXPECT_TRUE(NotAbove(CollectiveTime(BuildCollective(kind, small_fast, bytes)),
                             CollectiveTime(BuildCollective(kind, small, bytes))))
            << what;
      }
    }
  }
}

}  // namespace
}  // namespace blackboard
