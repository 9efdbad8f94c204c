// Serving engine against published worked examples (shared/reference/lecture.md §1.3-1.6, §4.3-4.4;
// published-numbers.md §9). The worked examples are pure roofline arithmetic, so every scenario here
// sets RooflineEfficiency() explicitly (the calibrated defaults are checked in calibration_test.cpp).
#include <gtest/gtest.h>

#include "blackboard/assets.hpp"
#include "blackboard/model.hpp"
#include "blackboard/scenario.hpp"
#include "blackboard/serving.hpp"

namespace blackboard {
namespace {

// The default scenario at the pure roofline (efficiency 1.0 everywhere, no overheads).
Scenario RooflineScenario() {
  Scenario s = DefaultScenario();
  s.efficiency = RooflineEfficiency();
  return s;
}

// A serving model from raw published inputs (the Scaling Book's examples give parameter bytes and KV
// bytes directly rather than a full architecture).
ServingModel RawModel(double params, double weight_bytes, double kv_bytes_per_seq, double context,
                      double chips, double flops, double hbm_bw, bool kv_serial) {
  ServingModel m;
  m.params_total = m.params_active = params;
  m.weight_bytes_total = params * weight_bytes;
  m.matmul_flops_per_token = 2 * params;
  m.kv_bytes_per_token = kv_bytes_per_seq / context;
  m.context = context;
  m.chips_per_stage = chips;
  m.flops_per_chip = flops;
  m.hbm_bytes_per_s = hbm_bw;
  m.kv_serial = kv_serial;
  return m;
}

// lecture.md §4.3 pop quiz (Scaling Book inference.md): 30B dense, int8 weights, 16 x TPU v5e,
// 8,192 context, 100 kB/token KV = 819 MB per sequence. B=4: 2.5 ms; B=256: 21 ms (KV + max(...)).
TEST(Serving, ScalingBookPopQuiz30B) {
  const ServingModel m = RawModel(30e9, 1.0, 819e6, 8192, 16, 1.97e14, 8.1e11, /*kv_serial=*/true);
  EXPECT_NEAR(m.Decode(4).step_s * 1e3, 2.5, 0.1);  // exact 2.57; the book rounds to 2.5
  EXPECT_NEAR(m.Decode(256).step_s * 1e3, 21.0, 0.2);
  EXPECT_EQ(m.Decode(4).bound, Bound::kMemory);
}

// lecture.md §4.4 / test vector 11: LLaMA 3-70B int8, batch 32, 8K context, 8 x v5e:
// memory 112 GB, step ~17 ms, ~1,882 tokens/s (235 per chip).
TEST(Serving, Llama3_70BOnEightV5e) {
  Scenario s = RooflineScenario();
  s.hardware = LoadHardwarePreset("tpu-v5e", "test", "hardware");
  s.hardware.hbm_bytes_per_s = 8.1e11;  // the Scaling Book's figure for this example
  s.cluster.chips_per_rack = 8;
  s.serving.tp = 8;
  s.serving.batch = 32;
  s.serving.context = 8192;
  s.serving.weight_bytes = 1;
  s.serving.kv_bytes = 1;
  const ServingReport r = EvaluateServing(s);
  const double total_gb = (r.memory.weights + r.memory.kv_cache) * 8 / 1e9;
  EXPECT_NEAR(total_gb, 112, 2.0);  // KV 41.9 GB + params 70 GB (the book rounds params to 70e9)
  EXPECT_NEAR(r.decode.step_s * 1e3, 17.0, 0.6);
  EXPECT_NEAR(r.tokens_per_s, 1882, 60);
  EXPECT_EQ(r.decode.bound, Bound::kMemory);
}

// published-numbers §9 / lecture.md §1.4: critical batch = FLOP/s / BW for bf16 dense.
TEST(Serving, CriticalBatchH100AndV5e) {
  for (const auto& [name, expected] : {std::pair{"h100-sxm", 295.0}, std::pair{"tpu-v5e", 240.0}}) {
    const Hardware h = LoadHardwarePreset(name, "test", "hardware");
    EXPECT_NEAR(h.bf16_flops / h.hbm_bytes_per_s, expected, 0.02 * expected) << name;
  }
  // The engine's critical batch is where its compute line meets the weight floor: for a dense bf16
  // model it is FLOP/s/BW x N_total / (N_total - embedding), within 2 % for a 70B model.
  const ServingReport r = EvaluateServing(RooflineScenario());
  EXPECT_NEAR(r.critical_batch, 295.3, 0.02 * 295.3);
}

// lecture.md test vector 4 / §1.5: HBM drain time = capacity / bandwidth (H100: 23.9 ms).
TEST(Serving, DrainTimeH100) {
  const ServingReport r = EvaluateServing(RooflineScenario());
  EXPECT_NEAR(r.hbm_drain_s * 1e3, 23.9, 0.05);
}

// lecture.md §1.9, test vector 9: c_mem = N/(E·P) + b·ctx·bytes/E; the KV term does not shrink with P.
TEST(Serving, PipelineMemoryPerChip) {
  Scenario s = RooflineScenario();
  s.cluster.racks = 4;
  s.serving.batch = 64;
  s.serving.pp = 1;
  const ServingReport one = EvaluateServing(s);
  s.serving.pp = 4;
  s.serving.batch = 64 * 4;  // B = P x b: the same micro-batch per stage
  const ServingReport four = EvaluateServing(s);
  EXPECT_NEAR(four.memory.weights, one.memory.weights / 4, 1);
  EXPECT_NEAR(four.memory.kv_cache, one.memory.kv_cache, 1);
  // Latency grows only by the hops (lecture: "from 20 to 30 ms"), throughput x P.
  EXPECT_NEAR(four.decode.step_s - four.decode.hops_s, one.decode.step_s, 1e-9);
  EXPECT_GT(four.decode.hops_s, 0);
}

// lecture.md §1.2: the latency floor N_total/(S·BW) and cost per token falling with batch.
TEST(Serving, LatencyFloorAndCostCurve) {
  Scenario s = RooflineScenario();
  const ServingModel m = MakeServingModel(s);
  const ServingReport r = EvaluateServing(s);
  EXPECT_NEAR(r.latency_floor_s, m.weight_bytes_total / (8 * 3.35e12), 1e-12);
  EXPECT_GE(m.Decode(1).step_s, r.latency_floor_s);
  EXPECT_GT(m.Decode(1).usd_per_token, 50 * m.Decode(512).usd_per_token / 10);
  EXPECT_LT(m.Decode(512).usd_per_token, m.Decode(64).usd_per_token);
}

}  // namespace
}  // namespace blackboard
