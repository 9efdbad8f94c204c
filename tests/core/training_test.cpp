// Training engine against published numbers: Korthikanti et al. 2022 Table 5 (KOR-T5-1..4, eight
// iteration times) and Table 4 (KOR-T4-1..5, one layer of the 22B model), Megatron eq. 2 / eq. 3
// against Table 1 (MEG-F1/F2), PaLM MFU (PALM-3/5), and the engine's own invariants (breakdown sums
// to the step, simulator vs closed form, ZeRO memory). One set of efficiency defaults for all rows
// (DefaultTrainingEfficiency, calibrated in docs/validation.md): no per-row constants.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "blackboard/model.hpp"
#include "blackboard/scenario.hpp"
#include "blackboard/training.hpp"

namespace blackboard {
namespace {

namespace kor {
struct Row { const char* name; int heads, h, layers, t, p, gpus, batch, mbs, v; double full_s, sel_s; };
// KOR-T5-1..4. v = model chunks per stage of the interleaved schedule (Table 3 notes: 3 for 175B and
// 530B; 1T's 2 layers per stage cannot split in 3, 22B has no pipeline).
inline const Row kRows[] = {
    {"22B", 64, 6144, 48, 8, 1, 8, 4, 4, 1, 1.42, 1.10},
    {"175B", 96, 12288, 96, 8, 8, 64, 64, 1, 3, 18.13, 13.75},
    {"530B", 128, 20480, 105, 8, 35, 280, 280, 1, 3, 49.05, 37.83},
    {"1T", 160, 25600, 128, 8, 64, 512, 512, 1, 1, 94.42, 71.49},
};
inline Scenario Make(const Row& r, bool selective_sp) {
  
  Scenario s = DefaultScenario();
  ApplySet(s, "hardware=a100-80gb");
  Model& m = s.model;
  m.name = std::string("kor-") + r.name;
  m.layers = r.layers; m.d_model = r.h; m.heads = r.heads; m.kv_heads = r.heads;
  m.head_dim = r.h / r.heads; m.d_ff = 4 * r.h; m.vocab = 51200; m.mlp = "plain";
  m.attention = "mha"; m.tied_embeddings = true; m.norm = "layernorm"; m.bias = true;
  m.learned_positions = 2048; m.experts = 0;
  s.cluster.racks = r.gpus / 8; s.cluster.chips_per_rack = 8;
  Training& t = s.training;
  t.seq_len = 2048; t.global_batch = r.batch; t.micro_batch = r.mbs; t.dp = 1; t.tp = r.t; t.pp = r.p;
  t.ep = 1; t.cp = 1; t.zero = 0;
  t.schedule = r.v > 1 ? "interleaved" : "1f1b"; t.virtual_stages = r.v;
  t.recompute = selective_sp ? "selective" : "full"; t.sequence_parallel = selective_sp;
  t.attention_kernel = "materialized";  // the 2022 Megatron kernels Table 4/5 ran
  t.math = "bf16"; t.tp_comm_overlap = false;
  return s;
}
// KOR-T4-1..5: one layer of the 22B model, b = 4, t = 8.
struct LayerRow { const char* name; const char* recompute; bool sp; double fwd_ms, bwd_ms; };
inline const LayerRow kLayerRows[] = {
    {"baseline", "none", false, 7.7, 11.9},
    {"sequence parallel", "none", true, 7.2, 11.8},
    {"full recompute", "full", false, 7.7, 19.5},
    {"selective recompute", "selective", false, 7.7, 13.2},
    {"selective + sequence", "selective", true, 7.2, 13.1},
};
inline Scenario MakeLayer(const LayerRow& l) {
  Scenario s = Make(kRows[0], false);
  s.training.recompute = l.recompute; s.training.sequence_parallel = l.sp;
  return s;
}
}  // namespace kor

// Tolerances reached with the one calibrated set (docs/validation.md); a regression beyond them fails.
constexpr double kTable5RowTolerance = 0.05;    // every row within 5 %
constexpr double kTable5MeanTolerance = 0.0365; // mean below the best public tool's 3.65 %
constexpr double kTable4Tolerance = 0.05;       // each forward and backward time within 5 %

TEST(KorthikantiTable5, EightIterationTimesWithinTolerance) {
  double sum = 0, worst = 0;
  std::printf("Korthikanti Table 5 (A100 80GB, s=2048, t=8): predicted vs published s/iter\n");
  for (const auto& row : kor::kRows) {
    for (int sel = 0; sel < 2; ++sel) {
      const Scenario s = kor::Make(row, sel != 0);
      const TrainingReport r = EvaluateTraining(s, DefaultTrainingEfficiency());
      const double pub = sel ? row.sel_s : row.full_s;
      const double err = r.step_s / pub - 1;
      std::printf("  %-5s %-16s predicted %7.2f  published %7.2f  error %+5.2f %%  (MFU %.1f %%)\n", row.name,
                  sel ? "SP + selective" : "full recompute", r.step_s, pub, 100 * err, 100 * r.mfu);
      EXPECT_LT(std::fabs(err), kTable5RowTolerance) << row.name << (sel ? " selective" : " full");
      sum += std::fabs(err);
      worst = std::max(worst, std::fabs(err));
    }
  }
  std::printf("  mean |error| %.2f %%, max %.2f %%\n", 100 * sum / 8, 100 * worst);
  EXPECT_LT(sum / 8, kTable5MeanTolerance);
}

TEST(KorthikantiTable4, SingleLayerForwardBackward) {
  std::printf("Korthikanti Table 4 (22B layer, b=4, t=8): predicted vs published ms\n");
  for (const auto& l : kor::kLayerRows) {
    const LayerTimes lt = LayerTimesFor(kor::MakeLayer(l), DefaultTrainingEfficiency());
    const double f = lt.forward_s * 1e3, b = lt.backward_s * 1e3;
    std::printf("  %-22s fwd %5.2f / %4.1f (%+5.2f %%)  bwd %5.2f / %4.1f (%+5.2f %%)\n", l.name, f, l.fwd_ms,
                100 * (f / l.fwd_ms - 1), b, l.bwd_ms, 100 * (b / l.bwd_ms - 1));
    EXPECT_NEAR(f / l.fwd_ms, 1.0, kTable4Tolerance) << l.name;
    EXPECT_NEAR(b / l.bwd_ms, 1.0, kTable4Tolerance) << l.name;
  }
}

// KOR-T5 MFU column: the published MFU follows from the published time and KOR-F2; our model FLOPs
// per step must reproduce it from the published time (0.3 point: the paper's 22B figure is 41.5 vs
// the formula's 41.7, published-numbers D check).
TEST(KorthikantiTable5, ModelFlopsGivePublishedMfu) {
  const double published_mfu[] = {0.415, 0.514, 0.560, 0.563};
  int i = 0;
  for (const auto& row : kor::kRows) {
    const Scenario s = kor::Make(row, true);
    const TrainingContext c = MakeTrainingContext(s, DefaultTrainingEfficiency());
    const double flops = c.model_flops_per_token * row.batch * 2048.0;
    EXPECT_NEAR(flops / (row.sel_s * row.gpus * 312e12), published_mfu[i++], 0.003) << row.name;
  }
}

// MEG-F1 (eq. 2) against Table 1's parameter column; the table rounds to 0.1B (so 0.05B + 0.1 %).
TEST(Megatron, Eq2ParametersMatchTable1) {
  struct R { double params_b; int heads, h, layers; };
  const R rows[] = {{1.7, 24, 2304, 24},   {3.6, 32, 3072, 30},   {7.5, 32, 4096, 36},
                    {18.4, 48, 6144, 40},  {39.1, 64, 8192, 48},  {76.1, 80, 10240, 60},
                    {145.6, 96, 12288, 80}, {310.1, 128, 16384, 96}, {529.6, 128, 20480, 105},
                    {1008.0, 160, 25600, 128}};
  for (const R& r : rows) {
    const kor::Row kr{"meg", r.heads, r.h, r.layers, 1, 1, 8, 8, 1, 1, 0, 0};
    const Scenario s = kor::Make(kr, true);
    const double l = r.layers, h = r.h, V = 51200, sq = 2048;
    const double eq2 = 12 * l * h * h * (1 + 13 / (12 * h) + (V + sq) / (12 * l * h));  // MEG-F1
    const double counted = CountParameters(s.model).total;
    EXPECT_NEAR(counted / eq2, 1.0, 1e-3) << r.params_b;
    EXPECT_NEAR(counted / 1e9, r.params_b, 0.05 + 1e-3 * r.params_b) << r.params_b;
  }
}

// MEG-F2 (eq. 3): FLOPs per iteration with full recompute = 96 B s l h^2 (1 + s/(6h) + V/(16 l h)).
// Our hardware FLOPs under full recompute count the same four passes; 0.5 % covers biases and norms
// that eq. 3 leaves out.
TEST(Megatron, Eq3FlopsPerIteration) {
  for (const auto& row : kor::kRows) {
    Scenario s = kor::Make(row, false);
    const TrainingReport r = EvaluatePlanClosedForm(s, DefaultTrainingEfficiency());
    const double B = row.batch, sq = 2048, l = row.layers, h = row.h, V = 51200;
    const double eq3 = 96 * B * sq * l * h * h * (1 + sq / (6 * h) + V / (16 * l * h));
    EXPECT_NEAR(r.hardware_flops_per_step / eq3, 1.0, 0.005) << row.name;
  }
}

// PALM-3/5: MFU = tokens/s x (6N + 12 L H Q T) / (chips x peak): 238.3K tokens/s on 6144 TPU v4 at
// 275 TF gives 46.2 %; FLOPs per token 3.278e12 (published-numbers D check). 0.2 % on the count
// (PALM-1 shape vs the paper's rounded 540.35B), 0.1 point on the MFU.
TEST(PaLM, MfuArithmetic) {
  Scenario s = DefaultScenario();
  ApplySet(s, "model=palm-540b");
  ApplySet(s, "hardware=tpu-v4");
  s.training.seq_len = 2048;
  const TrainingContext c = MakeTrainingContext(s, DefaultTrainingEfficiency());
  EXPECT_NEAR(c.model_flops_per_token / 3.2777e12, 1.0, 2e-3);
  const double mfu = 238.3e3 * c.model_flops_per_token / (6144 * 275e12);
  EXPECT_NEAR(mfu, 0.462, 1e-3);
}

Scenario Llama8bOn16() {
  Scenario s = DefaultScenario();
  ApplySet(s, "model=llama-3-8b");
  ApplySet(s, "hardware=h100-sxm");
  s.cluster.racks = 4;
  s.cluster.chips_per_rack = 8;
  s.training.seq_len = 4096;
  s.training.global_batch = 64;
  s.training.micro_batch = 1;
  s.training.dp = 0;
  s.training.tp = 4;
  s.training.pp = 4;
  s.training.zero = 1;
  s.training.schedule = "1f1b";
  s.training.recompute = "selective";
  return s;
}

// Invariant: the breakdown sums to the step (1e-9 relative), for every schedule.
TEST(Training, BreakdownSumsToStep) {
  for (const char* sched : {"gpipe", "1f1b", "interleaved", "zb-h1", "zb-h2", "dualpipe", "dualpipe-v"}) {
    Scenario s = Llama8bOn16();
    s.training.schedule = sched;
    s.training.virtual_stages = 2;
    for (bool sim : {true, false}) {
      const TrainingReport r = EvaluatePlan(MakeTrainingContext(s, DefaultTrainingEfficiency()), s.training, sim);
      const TrainingBreakdown& b = r.breakdown;
      const double sum = b.compute_s + b.recompute_s + b.dp_s + b.tp_s + b.pp_s + b.ep_s + b.cp_s +
                         b.bubble_s + b.optimizer_s;
      EXPECT_NEAR(sum / r.step_s, 1.0, 1e-9) << sched << " sim " << sim << " bubble " << b.bubble_s << " pp " << b.pp_s << " step " << r.step_s;
      EXPECT_GT(r.mfu, 0.0);
      EXPECT_LE(r.mfu, r.hfu + 1e-12);
    }
  }
}

// The simulator and the closed form (PP-2: (p-1)/m of ideal) agree for 1F1B within 2 % of the step
// (the closed form puts the logits of the last stage on every stage, and p2p only in fill/drain).
TEST(Training, SimulatedBubbleMatchesClosedForm) {
  const Scenario s = Llama8bOn16();
  const TrainingContext c = MakeTrainingContext(s, DefaultTrainingEfficiency());
  const TrainingReport sim = EvaluatePlan(c, s.training, true);
  const TrainingReport cf = EvaluatePlan(c, s.training, false);
  EXPECT_TRUE(sim.simulated);
  EXPECT_NEAR(sim.step_s / cf.step_s, 1.0, 0.02);
}

// ZeRO stages shrink model-state memory as ZERO-F0..F3 say (weights 2, grads 2, optimizer 12 bytes).
TEST(Training, ZeroStagesShrinkMemory) {
  Scenario s = Llama8bOn16();
  double last = 1e300;
  for (int z = 0; z <= 3; ++z) {
    s.training.zero = z;
    const TrainingReport r = EvaluatePlanClosedForm(s, DefaultTrainingEfficiency());
    const double state = r.memory.weights_bytes + r.memory.gradients_bytes + r.memory.optimizer_bytes;
    EXPECT_LT(state, last) << z;
    last = state;
  }
  s.training.zero = 0;
  const TrainingReport r0 = EvaluatePlanClosedForm(s, DefaultTrainingEfficiency());
  EXPECT_NEAR(r0.memory.optimizer_bytes / r0.memory.weights_bytes, 6.0, 1e-9);  // ZERO-F0: 12 / 2
}

// The report carries every training.* key of SCENARIO.md.
TEST(Training, ReportJsonHasScenarioKeys) {
  const nlohmann::json j = TrainingReportJson(EvaluateTraining(Llama8bOn16()));
  for (const char* k : {"step_s", "mfu", "hfu", "bubble_fraction", "tokens_per_s", "fits", "exposed_comm_s",
                        "days", "usd"})
    EXPECT_TRUE(j.contains(k)) << k;
  for (const char* k : {"weights", "gradients", "optimizer", "activations", "total", "capacity"})
    EXPECT_TRUE(j["memory_per_chip_bytes"].contains(k)) << k;
  for (const char* k : {"dp", "tp", "pp", "ep", "cp"}) EXPECT_TRUE(j["comm_s"].contains(k)) << k;
  EXPECT_FALSE(TrainingReportText(EvaluateTraining(Llama8bOn16())).empty());
}

// A DeepSeek-style MoE plan (DSV3-3: PP16 DualPipe x EP64, ZeRO-1, no TP, 2048 H800) evaluates and
// fits. Sanity bound, not a validation: DSV3-6 implies 1,543 tokens/s/GPU with FP8 GEMMs; this model
// runs the GEMMs at the bf16 peak (half of FP8), so it must come out below that and above a third.
TEST(Training, DeepSeekStylePlanEvaluates) {
  Scenario s = DefaultScenario();
  ApplySet(s, "model=deepseek-v3");
  ApplySet(s, "hardware=h800");
  s.cluster.racks = 256;
  s.cluster.chips_per_rack = 8;
  s.training.seq_len = 4096;
  s.training.global_batch = 15360;
  s.training.dp = 0; s.training.tp = 1; s.training.pp = 16; s.training.ep = 64; s.training.zero = 1;
  // DeepSeek recomputes norms and MLA up-projections and keeps FP8 activations (DSV3 §3.2.3); the
  // closest mode here that fits in 80 GB is full recompute.
  s.training.micro_batch = 1; s.training.schedule = "dualpipe"; s.training.recompute = "full";
  s.training.sequence_parallel = false;
  const TrainingReport r = EvaluatePlanClosedForm(s, DefaultTrainingEfficiency());
  const double per_gpu = r.tokens_per_s / 2048;
  std::printf("DeepSeek-V3-style plan: %.0f tokens/s/GPU (published 1,543 with FP8), MFU %.1f %%\n", per_gpu,
              100 * r.mfu);
  EXPECT_TRUE(r.fits) << TrainingReportText(r);
  EXPECT_GT(per_gpu, 1543.0 / 3);
  EXPECT_LT(per_gpu, 1543.0);
}

// The scenario validator and the engine agree on the global batch. An explicit dp must divide it
// (both reject); dp = 0 (auto) follows the cluster (racks slider, --set cluster.racks), so every
// rank runs the whole micro-batches that fit, at least one, and eval reports the sequences it ran.
TEST(Training, GlobalBatchRuleAgreesWithTheValidator) {
  for (int racks = 1; racks <= 16; ++racks)
    for (int batch : {1, 7, 16, 48, 1000})
      for (int dp : {0, racks}) {
        Scenario s = DefaultScenario();  // one 8-chip rack, tp 8: dp = racks
        s.cluster.racks = racks;
        s.training.global_batch = batch;
        s.training.dp = dp;
        const std::string what = "racks " + std::to_string(racks) + " batch " + std::to_string(batch) +
                                 " dp " + std::to_string(dp);
        bool valid = true;
        try {
          ValidateScenario(s, "test");
        } catch (const ScenarioError&) {
          valid = false;
        }
        EXPECT_EQ(valid, dp == 0 || batch % racks == 0) << what;
        if (!valid) {
          EXPECT_THROW(EvaluateTraining(s), std::invalid_argument) << what;
          continue;
        }
        TrainingReport r;
        ASSERT_NO_THROW(r = EvaluateTraining(s)) << what;
        EXPECT_EQ(r.dp, racks) << what;
        EXPECT_EQ(r.micro_batches, std::max(1, batch / racks)) << what;
        EXPECT_EQ(r.tokens_per_step, static_cast<double>(r.micro_batches) * racks * s.training.seq_len) << what;
      }
}

}  // namespace
}  // namespace blackboard
