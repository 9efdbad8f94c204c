// Training as 2024-25 clusters run it (issue 13): fused attention, FP8, MoE with EP, long context, the
// interleaved auto rule, and the public runs the one set of defaults is checked on (docs/validation.md
// "Training on 2024-25 runs"). Index: done-when checks | schedules | kernels.
// The published rows are in training_published_test.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <set>
#include <string>
#include <vector>

#include "blackboard/activation.hpp"
#include "blackboard/pipeline.hpp"
#include "blackboard/scenario.hpp"
#include "blackboard/search.hpp"
#include "blackboard/training.hpp"
#include "training_scenarios.hpp"

namespace blackboard {
namespace {

Scenario Make(const std::vector<std::string>& sets) { return ScenarioFromSets(sets); }

// ---------------------------------------------------------------- done-when checks

// Llama 3 405B, 8K sequences, 8,192 H100: TP 8, PP 16, interleaved, selective recompute, the distributed
// optimizer (issue 13). That run trained Llama 3: it fits.
Scenario Llama405bOn8192() {
  return Make({"model=llama-3-405b", "hardware=h100-sxm", "cluster.chips_per_rack=8", "cluster.racks=1024",
               "training.seq_len=8192", "training.tp=8", "training.pp=16", "training.dp=0",
               "training.global_batch=2048", "training.micro_batch=1", "training.schedule=interleaved",
               "training.recompute=selective", "training.zero=1", "training.sequence_parallel=true"});
}

TEST(TrainingDoneWhen, Llama405bOn8192H100Fits) {
  const TrainingReport r = EvaluateTraining(Llama405bOn8192());
  std::printf(
      "Llama 3 405B, 8K, 8,192 H100, TP 8 PP 16 interleaved v%d: %.1f "
      "GB of 80, MFU %.1f %%\n",
      r.virtual_stages, r.memory.total_bytes / 1e9, 100 * r.mfu);
  EXPECT_TRUE(r.fits) << r.memory.total_bytes / 1e9 << " GB";
  EXPECT_EQ(r.virtual_stages,
            7);  // auto: floor(126 / 16) = 7 layers per stage, v = 7 <= 8
}

// Long context: the same run at 131K tokens with CP 16 keeps the per-chip stash of the 8K run (s/cp
// tokens per chip, nothing quadratic stored) and its MFU stays in the same range (the issue saw 6 %).
TEST(TrainingDoneWhen, Llama405bAt131kWithCp16) {
  Scenario s = Llama405bOn8192();
  ApplySet(s, "training.seq_len=131072");
  ApplySet(s, "training.cp=16");
  ApplySet(s, "training.global_batch=128");
  const TrainingReport r = EvaluateTraining(s), short_run = EvaluateTraining(Llama405bOn8192());
  std::printf("Llama 3 405B at 131K, CP 16: MFU %.1f %%, %.1f GB\n", 100 * r.mfu, r.memory.total_bytes / 1e9);
  EXPECT_TRUE(r.fits);
  EXPECT_NEAR(r.memory.activations_bytes, short_run.memory.activations_bytes,
              1e-6 * short_run.memory.activations_bytes);
  EXPECT_GT(r.mfu, 0.5 * short_run.mfu);
}

// The pure roofline on a plan with no bubble (pp 1) and no recompute: what is left is the element-wise HBM
// traffic, which a roofline still pays.
TEST(TrainingDoneWhen, RooflineWithoutBubbleOrRecomputeIsAbove80PercentMfu) {
  for (const char* model : {"llama-3-8b", "llama-3-70b", "llama-3-405b"}) {
    Scenario s = Make({std::string("model=") + model, "hardware=h100-sxm", "cluster.chips_per_rack=8",
                       "cluster.racks=16", "training.tp=8", "training.pp=1", "training.dp=0",
                       "training.zero=1", "training.recompute=none", "training.global_batch=64",
                       "training.tp_comm_overlap=true", "efficiency=roofline"});
    const TrainingReport r = EvaluateTraining(s);
    std::printf("roofline %s: MFU %.1f %%\n", model, 100 * r.mfu);
    EXPECT_GT(r.mfu, 0.80) << model;
    EXPECT_EQ(r.bubble_fraction, 0.0);
  }
}

TEST(TrainingDoneWhen, Fp8AnswersOnChipsWithFp8AndIsRejectedElsewhere) {
  for (const char* hw : {"h100-sxm", "b200", "gb200-nvl72", "b300", "gb300-nvl72"}) {
    for (const char* math : {"fp8", "mxfp8"}) {
      Scenario bf = Make({std::string("hardware=") + hw, "model=llama-3-70b", "cluster.racks=8"});
      Scenario f8 = Make({std::string("hardware=") + hw, "model=llama-3-70b", "cluster.racks=8",
                          std::string("training.math=") + math});
      const TrainingReport a = EvaluateTraining(bf), b = EvaluateTraining(f8);
      EXPECT_LT(b.step_s, a.step_s) << hw << " " << math;               // FP8 GEMMs at twice the peak
      EXPECT_GT(b.memory.weights_bytes, a.memory.weights_bytes) << hw;  // FP8 weight copies
      EXPECT_EQ(b.math, math);
    }
  }
  // A chip without an FP8 (or int8, in the presets' fp8 slot) tensor peak cannot run it.
  Scenario a100 = DefaultScenario();
  ApplySet(a100, "hardware=a100-80gb");
  ApplySet(a100, "hardware.fp8_flops=0");
  ApplySet(a100, "training.math=fp8");
  ExpectRejected(a100, "training.math", "fp8_flops");
}

TEST(TrainingDoneWhen, MoePresetsTrainWithExpertParallelism) {
  struct Case {
    const char* model;
    int racks, pp, ep;
    const char* schedule;
  };
  for (const Case& c : {Case{"deepseek-v3", 256, 16, 64, "dualpipe"}, Case{"mixtral-8x7b", 8, 1, 8, "1f1b"},
                        Case{"qwen3-30b-a3b", 8, 1, 8, "1f1b"}, Case{"gpt-oss-120b", 16, 1, 16, "1f1b"}}) {
    Scenario s = Make({std::string("model=") + c.model, "hardware=h100-sxm", "cluster.chips_per_rack=8",
                       "cluster.racks=" + std::to_string(c.racks), "training.tp=1",
                       "training.pp=" + std::to_string(c.pp), "training.ep=" + std::to_string(c.ep),
                       "training.dp=0", "training.global_batch=4096", "training.seq_len=4096",
                       std::string("training.schedule=") + c.schedule, "training.math=fp8"});
    const TrainingReport r = EvaluateTraining(s);
    EXPECT_EQ(r.ep, c.ep) << c.model;
    EXPECT_GT(r.comm_ep_s, 0.0) << c.model;
    EXPECT_FALSE(r.ep_links.empty()) << c.model;
    EXPECT_GT(r.mfu, 0.05) << c.model;
    EXPECT_LT(r.mfu, 1.0) << c.model;
  }
}

// ---------------------------------------------------------------- schedules

TEST(TrainingSchedules, InterleavedAutoAndExplicitOne) {
  EXPECT_EQ(VirtualStagesFor(ScheduleKind::kInterleaved, 0, 80, 4),
            5);  // 20 per stage -> 5 (cap 8)
  EXPECT_EQ(VirtualStagesFor(ScheduleKind::kInterleaved, 0, 96, 8),
            6);  // 12 -> 6
  EXPECT_EQ(VirtualStagesFor(ScheduleKind::kInterleaved, 0, 64, 4),
            8);  // 16 -> 8
  EXPECT_EQ(VirtualStagesFor(ScheduleKind::kInterleaved, 0, 44, 4),
            2);  // 11, a prime above the cap
  EXPECT_EQ(VirtualStagesFor(ScheduleKind::kInterleaved, 3, 96, 8),
            3);  // explicit
  EXPECT_EQ(VirtualStagesFor(ScheduleKind::k1F1B, 0, 96, 8), 1);
  Scenario s = DefaultScenario();
  ApplySet(s, "cluster.racks=4");
  ApplySet(s, "training.pp=4");
  ApplySet(s, "training.schedule=interleaved");
  ApplySet(s, "training.virtual_stages=1");
  ExpectRejected(s, "training.virtual_stages", "1f1b");
}

// ---------------------------------------------------------------- kernels

// Flash keeps nothing quadratic in HBM: at 128K with CP 16 the stash grows linearly with s.
TEST(TrainingKernels, FlashHasNoQuadraticActivationTerm) {
  ActivationShape a{8192, 1, 16384, 128, 8, true};
  a.fused_attention = true;
  a.kv_fraction = 8.0 / 128;
  a.mlp_ratio = 53248.0 / 16384;
  a.gated_mlp = true;
  a.dropout = false;
  ActivationShape b = a;
  b.seq_len = 16 * 8192;
  EXPECT_DOUBLE_EQ(ActivationBytesPerLayer(b, Recompute::kNone),
                   16 * ActivationBytesPerLayer(a, Recompute::kNone));
  EXPECT_DOUBLE_EQ(ActivationBytesPerLayer(b, Recompute::kSelective),
                   16 * ActivationBytesPerLayer(a, Recompute::kSelective));
  // Korthikanti's count for GPT-3 shapes: the fused count is KOR-A3 without the 5as/h term (+ LSE).
  ActivationShape g{2048, 1, 12288, 96, 8, true};
  g.fused_attention = true;
  const double sbh = 2048.0 * 12288;
  EXPECT_NEAR(ActivationBytesPerLayer(g, Recompute::kNone), sbh * (34.0 + 4.0 * 96 / 12288) / 8, 1.0);
}

TEST(TrainingKernels, FlashVersusMaterialized) {
  Scenario s = Make({"model=llama-3-70b", "cluster.racks=4", "training.seq_len=32768",
                     "training.global_batch=8", "training.recompute=none"});
  Scenario m = s;
  ApplySet(m, "training.attention_kernel=materialized");
  const LayerTimes f = LayerTimesFor(s, TrainingEfficiencyFromScenario(s));
  const LayerTimes k = LayerTimesFor(m, TrainingEfficiencyFromScenario(m));
  EXPECT_EQ(f.attention_memory_fwd_s, 0.0);  // no scores in HBM
  EXPECT_GT(k.attention_memory_fwd_s, 0.0);
  const TrainingReport rf = EvaluateTraining(s), rm = EvaluateTraining(m);
  EXPECT_LT(rf.memory.activations_bytes,
            rm.memory.activations_bytes / 4);  // 5as/h = 20 x 34 at 32K
  EXPECT_EQ(rf.attention_kernel, "flash");
  EXPECT_EQ(rm.attention_kernel, "materialized");
  // MFU counts the same model FLOPs for both kernels (PaLM App. B): the kernel only changes time.
  EXPECT_DOUBLE_EQ(rf.model_flops_per_step, rm.model_flops_per_step);
}

TEST(TrainingKernels, TpOverlapHidesPartOfTheTpCollectives) {
  Scenario s = Make({"model=llama-3-70b", "cluster.racks=4"});
  Scenario o = s;
  ApplySet(o, "training.tp_comm_overlap=true");
  const TrainingReport a = EvaluateTraining(s), b = EvaluateTraining(o);
  EXPECT_LT(b.breakdown.tp_s, a.breakdown.tp_s);
  EXPECT_GT(b.breakdown.tp_s, 0.0);
  EXPECT_TRUE(b.tp_comm_overlap);
}

// The plan search tries training.math where the chip has FP8 (and only there).
TEST(TrainingSearch, ExploresFp8WhereTheChipHasIt) {
  SearchOptions o;
  o.cp = {1};
  o.zero = {1};
  o.micro_batch = {1};
  o.recompute = {"selective"};
  o.schedules = {"1f1b"};
  auto maths = [&](const Scenario& s) {
    std::set<std::string> seen;
    for (const SearchPlan& p : SearchPlans(s, o).plans) seen.insert(p.training.math);
    return seen;
  };
  const Scenario h100 =
      Make({"model=llama-3-70b", "hardware=h100-sxm", "cluster.racks=8", "training.global_batch=256"});
  EXPECT_EQ(maths(h100), (std::set<std::string>{"bf16", "fp8"}));
  const Scenario no_fp8 = Make({"model=llama-3-70b", "hardware=a100-80gb", "hardware.fp8_flops=0",
                                "cluster.racks=8", "training.global_batch=256"});
  EXPECT_EQ(maths(no_fp8), (std::set<std::string>{"bf16"}));
  // The A100 preset's fp8_flops is its int8 peak (for serving): the search never proposes FP8 there.
  const Scenario a100 = Make({"model=llama-3-70b", "hardware=a100-80gb", "cluster.racks=8", "training.global_batch=256"});
  EXPECT_GT(a100.hardware.fp8_flops, 0);
  EXPECT_EQ(maths(a100), (std::set<std::string>{"bf16"}));
}

// Chips without FP8 tensor cores refuse training.math fp8 / mxfp8 by name, though their fp8_flops
// (an int8 peak) stays for serving; chips with FP8 accept it.
TEST(TrainingModern, Fp8RefusedWhereTheChipHasNoFp8) {
  for (const char* chip : {"a100-80gb", "tpu-v4", "tpu-v5e", "tpu-v5p", "tpu-v6e"})
    for (const char* math : {"fp8", "mxfp8"}) {
      Scenario s = DefaultScenario();
      ApplySet(s, std::string("hardware=") + chip, "test");
      ApplySet(s, std::string("training.math=") + math, "test");
      ExpectRejected(s, "training.math", "no FP8 tensor cores");
    }
  for (const char* chip : {"h100-sxm", "h200", "h800", "b200", "gb200-nvl72", "b300", "gb300-nvl72", "mi300x"}) {
    Scenario s = DefaultScenario();
    ApplySet(s, std::string("hardware=") + chip, "test");
    ApplySet(s, "training.math=fp8", "test");
    EXPECT_NO_THROW(ValidateScenario(s, "test")) << chip;
  }
}

// A chip's measured GEMM fractions (hardware.gemm_bf16_fraction / gemm_fp8_fraction, per-operation
// tables: docs/validation.md) replace the A100-fitted matmul_max / fp8_matmul_max; efficiency.overheads
// and efficiency = roofline still win; a chip without them (A100) keeps the Korthikanti fit.
TEST(TrainingModern, MeasuredGemmFractionsReplaceTheFittedDefaults) {
  const Scenario h100 = Make({"hardware=h100-sxm"});
  const double ratio = DefaultTrainingEfficiency().gemm_in_framework_ratio;  // 0.89, from the A100
  EXPECT_DOUBLE_EQ(TrainingEfficiencyFromScenario(h100).matmul_max, 0.78 * ratio);
  EXPECT_DOUBLE_EQ(TrainingEfficiencyFromScenario(h100).fp8_matmul_max, 0.62 * ratio);
  const Scenario gb200 = Make({"hardware=gb200-nvl72"});
  EXPECT_DOUBLE_EQ(TrainingEfficiencyFromScenario(gb200).matmul_max, 0.61 * ratio);
  const Scenario a100 = Make({"hardware=a100-80gb"});
  EXPECT_DOUBLE_EQ(TrainingEfficiencyFromScenario(a100).matmul_max, DefaultTrainingEfficiency().matmul_max);
  const Scenario overridden = Make({"hardware=h100-sxm", "efficiency.matmul_max=0.5"});
  EXPECT_DOUBLE_EQ(TrainingEfficiencyFromScenario(overridden).matmul_max, 0.5);
  const Scenario roofline = Make({"hardware=h100-sxm", "efficiency=roofline"});
  EXPECT_DOUBLE_EQ(TrainingEfficiencyFromScenario(roofline).matmul_max, 1.0);
  EXPECT_DOUBLE_EQ(TrainingEfficiencyFromScenario(roofline).fp8_matmul_max, 1.0);
  // The report says which fraction the GEMMs ran at (training.gemm_fraction_of_peak).
  EXPECT_DOUBLE_EQ(EvaluateTraining(h100).gemm_fraction_of_peak, 0.78 * ratio);
  EXPECT_DOUBLE_EQ(EvaluateTraining(Make({"hardware=h100-sxm", "training.math=fp8"})).gemm_fraction_of_peak,
                   0.62 * ratio);
  EXPECT_DOUBLE_EQ(TrainingReportJson(EvaluateTraining(h100))["gemm_fraction_of_peak"].get<double>(), 0.78 * ratio);
  // The ratio is a named constant: efficiency.overheads can set it (1 = the per-operation speed).
  EXPECT_DOUBLE_EQ(TrainingEfficiencyFromScenario(Make({"hardware=h100-sxm", "efficiency.gemm_in_framework_ratio=1"}))
                       .matmul_max,
                   0.78);
  // A slower measured GEMM makes the same step slower.
  const Scenario slow = Make({"hardware=h100-sxm", "hardware.gemm_bf16_fraction=0.5"});
  EXPECT_GT(EvaluateTraining(slow).step_s, EvaluateTraining(h100).step_s);
}

}  // namespace
}  // namespace blackboard
