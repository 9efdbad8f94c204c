// Public 2024-25 training runs against the one set of training defaults (docs/validation.md "Training on
// 2024-25 runs"): torchtitan's published H100 tables (as ratios within a table: the 500 W Grand Teton clock
// is not published) and the DeepSeek-V3 report (absolute). Each row prints predicted vs published and fails
// past its tolerance. Index: scenarios | rows | ratio test | absolute.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "blackboard/scenario.hpp"
#include "blackboard/training.hpp"
#include "training_scenarios.hpp"

namespace blackboard {
namespace {

Scenario Make(const std::vector<std::string>& sets) { return ScenarioFromSets(sets); }

double TokensPerSPerChip(const TrainingReport& r) { return r.tokens_per_s / r.chips; }

// Tolerances reached with the one calibrated set (docs/validation.md); drift beyond them fails. The mean is
// 10.5 % since the H100 GEMM fractions became per-operation measurements x the in-framework ratio: the CP
// 4-8 rows (+20 to +28 %, the known miss docs/validation.md describes) carry it past 10 % and set the row
// tolerance; every other row is within 10 %.
constexpr double kRatioRowTolerance = 0.30;
constexpr double kRatioMeanTolerance = 0.11;
// DeepSeek-V3 is a known miss (docs/validation.md): the engine runs it ~35 % fast. Not fitted away; the row
// pins the miss so a change that moves it (either way) is seen.
constexpr double kDeepSeekKnownError = 0.351;
constexpr double kDeepSeekDrift = 0.08;
// Absolute rows (tokens/s per GPU of a published run with its stated configuration): none was fitted.
constexpr double kAbsoluteRowTolerance = 0.10;

// torchtitan benchmarks/llama3_h100_202412_torchtitan.md and asyncTP_llama3_h100_2025-06 (Grand Teton: H100
// with 96 GB HBM2e at 2.4 TB/s, 500 W cap, 400 Gb/s per GPU; seq 8192 unless stated). The 500 W cap lowers
// the sustained clock below the SXM peak the engine uses (their footnote 2), so the engine is expected to
// read slightly fast on these rows.
const std::vector<std::string> kGrandTeton = {"hardware=h100-sxm", "hardware.hbm_bytes=96e9",
                                              "hardware.hbm_bytes_per_s=2.4e12"};

std::vector<std::string> Join(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

std::vector<std::string> Llama8bFsdp(int racks, int tp, int lbs, const char* ac, const char* math,
                                     bool async_tp) {
  return Join(kGrandTeton,
              {"model=llama-3-8b", "cluster.chips_per_rack=8", "cluster.racks=" + std::to_string(racks),
               "training.seq_len=8192", "training.tp=" + std::to_string(tp), "training.pp=1",
               "training.zero=3", "training.dp=0", "training.micro_batch=" + std::to_string(lbs),
               "training.global_batch=" + std::to_string(lbs * racks * 8 / tp),
               std::string("training.recompute=") + ac, std::string("training.math=") + math,
               std::string("training.tp_comm_overlap=") + (async_tp ? "true" : "false")});
}
std::vector<std::string> Llama8bCp(int cp, int seq) {
  return Join(kGrandTeton, {"model=llama-3-8b", "cluster.chips_per_rack=8", "cluster.racks=1",
                            "training.seq_len=" + std::to_string(seq), "training.tp=1", "training.pp=1",
                            "training.cp=" + std::to_string(cp), "training.zero=3", "training.dp=0",
                            "training.micro_batch=1", "training.global_batch=" + std::to_string(8 / cp),
                            "training.recompute=full", "training.math=fp8"});
}
std::vector<std::string> Llama70b2d(const char* math, bool async_tp) {
  return Join(kGrandTeton, {"model=llama-3-70b", "cluster.chips_per_rack=8", "cluster.racks=32",
                            "training.seq_len=8192", "training.tp=8", "training.pp=1", "training.zero=3",
                            "training.dp=0", "training.micro_batch=16", "training.global_batch=512",
                            "training.recompute=full", std::string("training.math=") + math,
                            std::string("training.tp_comm_overlap=") + (async_tp ? "true" : "false")});
}
std::vector<std::string> Llama405b3d(const char* schedule, int seq, int cp, int lbs) {
  return Join(kGrandTeton, {"model=llama-3-405b", "cluster.chips_per_rack=8", "cluster.racks=64",
                            "training.seq_len=" + std::to_string(seq), "training.tp=8", "training.pp=8",
                            "training.cp=" + std::to_string(cp), "training.zero=3", "training.dp=0",
                            "training.micro_batch=1", "training.global_batch=" + std::to_string(lbs * 8 / cp),
                            std::string("training.schedule=") + schedule, "training.recompute=full",
                            "training.math=fp8", "training.tp_comm_overlap=true"});
}

// One published ratio: tokens/s per GPU of `faster` over `base`, both from the same table.
struct RatioRow {
  const char* id;
  const char* what;
  std::vector<std::string> faster, base;
  double published;
  const char* fitted;  // the default this row fitted, or nullptr (held out)
};

std::vector<RatioRow> RatioRows() {
  return {
      {"TT-T1", "8B FSDP 8 GPUs: float8 / bf16 (compile, SAC, lbs 2)",
       Llama8bFsdp(1, 1, 2, "selective", "fp8", false), Llama8bFsdp(1, 1, 2, "selective", "bf16", false),
       8532.0 / 6667.0, nullptr},
      {"TT-T3", "8B FSDP 128 GPUs: float8 / bf16", Llama8bFsdp(16, 1, 2, "selective", "fp8", false),
       Llama8bFsdp(16, 1, 2, "selective", "bf16", false), 8380.0 / 6514.0, nullptr},
      {"TT-T3/T1", "8B FSDP bf16: 128 GPUs / 8 GPUs", Llama8bFsdp(16, 1, 2, "selective", "bf16", false),
       Llama8bFsdp(1, 1, 2, "selective", "bf16", false), 6514.0 / 6667.0, nullptr},
      {"TT-T2a", "8B float8 full AC: CP 2 at 64K / CP 1 at 32K", Llama8bCp(2, 65536), Llama8bCp(1, 32768),
       2540.0 / 3890.0, "flash_attention_fraction"},
      {"TT-T2b", "8B: CP 4 at 128K / CP 1 at 32K", Llama8bCp(4, 131072), Llama8bCp(1, 32768), 1071.0 / 3890.0,
       nullptr},
      {"TT-T2c", "8B: CP 8 at 256K / CP 1 at 32K", Llama8bCp(8, 262144), Llama8bCp(1, 32768), 548.0 / 3890.0,
       nullptr},
      {"TT-ATP-70B-bf16", "70B FSDP 32 x TP 8 bf16: AsyncTP / vanilla TP", Llama70b2d("bf16", true),
       Llama70b2d("bf16", false), 652.4 / 597.3, "tp_overlap_fraction"},
      {"TT-ATP-70B-fp8", "70B float8: AsyncTP / vanilla TP", Llama70b2d("fp8", true),
       Llama70b2d("fp8", false), 942.4 / 809.8, nullptr},
      {"TT-ATP-70B-f8/bf", "70B vanilla TP: float8 / bf16", Llama70b2d("fp8", false),
       Llama70b2d("bf16", false), 809.8 / 597.3, nullptr},
      {"TT-ATP-8B-f8/bf", "8B FSDP 8 x TP 8 (64 GPUs, SAC, lbs 12): float8 / bf16",
       Llama8bFsdp(8, 8, 12, "selective", "fp8", false), Llama8bFsdp(8, 8, 12, "selective", "bf16", false),
       5078.1 / 4378.0, nullptr},
      {"TT-T5", "405B FSDP 8 x TP 8 x PP 8 float8: interleaved / 1F1B",
       Llama405b3d("interleaved", 8192, 1, 32), Llama405b3d("1f1b", 8192, 1, 32), 128.0 / 100.0, nullptr},
      {"TT-T6a", "405B 1F1B lbs 8: CP 2 at 64K / CP 1 at 32K", Llama405b3d("1f1b", 65536, 2, 8),
       Llama405b3d("1f1b", 32768, 1, 8), 47.0 / 76.0, nullptr},
      {"TT-T6b", "405B: CP 4 at 128K / CP 1 at 32K", Llama405b3d("1f1b", 131072, 4, 8),
       Llama405b3d("1f1b", 32768, 1, 8), 31.0 / 76.0, nullptr},
  };
}

TEST(TrainingPublished, TorchtitanRatiosWithinTolerance) {
  double sum = 0, held_out = 0;
  int n = 0, n_held = 0;
  std::printf(
      "torchtitan H100 tables, ratios within a table: predicted vs "
      "published\n");
  for (const RatioRow& row : RatioRows()) {
    const double a = TokensPerSPerChip(EvaluateTraining(Make(row.faster)));
    const double b = TokensPerSPerChip(EvaluateTraining(Make(row.base)));
    const double err = (a / b) / row.published - 1;
    std::printf("  %-17s %-52s predicted %.3f published %.3f error %+6.1f %% %s%s\n", row.id, row.what, a / b,
                row.published, 100 * err, row.fitted ? "fitted: " : "held out", row.fitted ? row.fitted : "");
    EXPECT_LT(std::fabs(err), kRatioRowTolerance) << row.id;
    sum += std::fabs(err);
    ++n;
    if (!row.fitted) held_out += std::fabs(err), ++n_held;
  }
  std::printf("  mean |error| %.1f %% (held-out rows %.1f %%)\n", 100 * sum / n, 100 * held_out / n_held);
  EXPECT_LT(sum / n, kRatioMeanTolerance);
}

// DeepSeek-V3 report (DSV3-2/3/6): 2,048 H800, PP 16 DualPipe, EP 64, ZeRO-1 DP, no TP, FP8, seq 4096, batch
// 15,360 sequences; 180K H800 GPU-hours per 1T tokens = 1,543 tokens/s per GPU.
Scenario DeepSeekV3On2048H800() {
  return Make({"model=deepseek-v3", "hardware=h800", "cluster.chips_per_rack=8", "cluster.racks=256",
               "training.seq_len=4096", "training.tp=1", "training.pp=16", "training.ep=64",
               "training.zero=1", "training.dp=0", "training.micro_batch=1", "training.global_batch=15360",
               "training.schedule=dualpipe", "training.recompute=selective", "training.math=fp8"});
}

TEST(TrainingPublished, DeepSeekV3GpuHoursPerTrillionTokens) {
  const TrainingReport r = EvaluateTraining(DeepSeekV3On2048H800());
  const double published = 1e12 / (180e3 * 3600.0);
  const double err = TokensPerSPerChip(r) / published - 1;
  std::printf(
      "DeepSeek-V3 on 2,048 H800: predicted %.0f tokens/s/GPU (%.0fK GPU-hours "
      "per 1T tokens), "
      "published %.0f (180K): error %+.1f %%, held out; memory %.1f GB\n",
      TokensPerSPerChip(r), 1e12 / TokensPerSPerChip(r) / 3600 / 1e3, published, 100 * err,
      r.memory.total_bytes / 1e9);
  EXPECT_NEAR(err, kDeepSeekKnownError, kDeepSeekDrift);
  EXPECT_TRUE(r.fits) << r.memory.total_bytes / 1e9 << " GB";
}

// MLPerf Training v4.0, NVIDIA closed division, GPT-3 175B on Eos_n64 (64 DGX H100 = 512 H100-SXM5-80GB,
// NeMo 24.04): mlcommons/training_results_v4.0 NVIDIA/benchmarks/gpt3/implementations/nemo/
// config_DGXH100_64x8x128x4x8_mbs2.sh states TP 4, PP 8, interleaved 4, micro-batch 2, FP8 (config_fp8.sh),
// TP comm overlap, distributed Adam; the model is GPT-3 175B at sequence 2048. NVIDIA/results/
// eos_n64_ngc24.04_nemo/gpt3/result_0.txt: each training block between evaluations is 51,904,512 tokens
// (25,344 sequences = 11 steps of 2,304) in 119,966 ms (block_start 1715045403579 -> block_stop
// 1715045523545, the next blocks within 0.1 s): 845.0 tokens/s per GPU. Held out (the GEMM fractions come
// from per-operation tables and the A100-derived in-framework ratio; nothing was fitted on this row).
Scenario MlperfGpt3On512H100() {
  return Make({"model=gpt-3-175b", "hardware=h100-sxm", "cluster.chips_per_rack=8", "cluster.racks=64",
               "training.seq_len=2048", "training.tp=4", "training.pp=8", "training.schedule=interleaved",
               "training.virtual_stages=4", "training.micro_batch=2", "training.global_batch=2304",
               "training.dp=0", "training.zero=1", "training.recompute=selective", "training.math=fp8",
               "training.tp_comm_overlap=true"});
}

TEST(TrainingPublished, AbsoluteTokensPerGpuOnPublishedRuns) {
  struct AbsoluteRow {
    const char* id;
    const char* what;
    Scenario scenario;
    double published_tokens_per_s_per_gpu;
  };
  const std::vector<AbsoluteRow> rows = {
      {"MLPerf4.0-GPT3-512", "GPT-3 175B, 512 H100, TP 4 PP 8 v 4, mbs 2, FP8", MlperfGpt3On512H100(),
       51904512.0 / 119.966 / 512},
  };
  for (const AbsoluteRow& row : rows) {
    const TrainingReport r = EvaluateTraining(row.scenario);
    const double err = TokensPerSPerChip(r) / row.published_tokens_per_s_per_gpu - 1;
    std::printf("  %-20s %-50s predicted %.0f published %.0f tokens/s/GPU error %+5.1f %% (MFU %.1f %%) held out\n",
                row.id, row.what, TokensPerSPerChip(r), row.published_tokens_per_s_per_gpu, 100 * err, 100 * r.mfu);
    EXPECT_LT(std::fabs(err), kAbsoluteRowTolerance) << row.id;
    EXPECT_TRUE(r.fits) << row.id;
  }
}

// Every configuration above ran: the engine must not call any of them "does not fit" (issue 13).
TEST(TrainingPublished, PublishedConfigurationsFit) {
  std::vector<std::vector<std::string>> runs;
  for (const RatioRow& row : RatioRows()) runs.push_back(row.faster), runs.push_back(row.base);
  for (const std::vector<std::string>& sets : runs) {
    const TrainingReport r = EvaluateTraining(Make(sets));
    std::string name;
    for (const std::string& a : sets) name += a + " ";
    EXPECT_TRUE(r.fits) << r.memory.total_bytes / 1e9 << " GB of " << r.memory.capacity_bytes / 1e9 << ": " << name;
  }
  EXPECT_TRUE(EvaluateTraining(DeepSeekV3On2048H800()).fits);
  EXPECT_TRUE(EvaluateTraining(MlperfGpt3On512H100()).fits);
}

}  // namespace
}  // namespace blackboard
