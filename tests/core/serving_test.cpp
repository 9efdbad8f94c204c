// Serving engine against published worked examples (shared/reference/lecture.md §1.3-1.6, §4.3-4.4;
// published-numbers.md §9). The worked examples are pure roofline arithmetic, so every scenario here
// sets RooflineEfficiency() explicitly (the calibrated defaults are checked in calibration_test.cpp).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "blackboard/assets.hpp"
#include "blackboard/layout.hpp"
#include "blackboard/model.hpp"
#include "blackboard/report.hpp"
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

// ---------------------------------------------------------------------------------------------
// Issue 19: the questions that used to be refused, layouts, the engine step, continuous batching
// ---------------------------------------------------------------------------------------------

Scenario WithSets(std::initializer_list<const char*> sets, TrainingPlanCheck check = TrainingPlanCheck::kRequired) {
  Scenario s = DefaultScenario();
  for (const char* a : sets) ApplySet(s, a);
  ValidateScenario(s, "test", check);
  return s;
}

// Llama 3 70B on one rack of 2 chips with serving.tp = 2: the default's training degrees are auto, so
// the scenario holds together and both sections answer.
TEST(ServingIssue19, SmallClusterAnswersServingAndTraining) {
  const Scenario s = WithSets({"model=llama-3-70b", "cluster.racks=1", "cluster.chips_per_rack=2", "serving.tp=2"});
  EXPECT_EQ(ResolveTrainingDegrees(s).tp, 2);
  const nlohmann::json j = EvalReportJson(s);
  EXPECT_EQ(j["serving"]["chips"], 2);
  EXPECT_GT(j["serving"]["decode_step_s"].get<double>(), 0);
  EXPECT_GT(j["serving"]["tpot_s"].get<double>(), 0);
  EXPECT_EQ(j["training"]["evaluated"], true);
}

// A training plan that does not fit the cluster: an error when required, a reason in the report when
// eval asks (TrainingPlanCheck::kReported); serving is answered either way. Invalid values still throw.
TEST(ServingIssue19, TrainingPlanThatDoesNotFitIsReportedNotFatal) {
  EXPECT_THROW(WithSets({"cluster.chips_per_rack=2", "serving.tp=2", "training.tp=8"}), ScenarioError);
  const Scenario s =
      WithSets({"cluster.chips_per_rack=2", "serving.tp=2", "training.tp=8"}, TrainingPlanCheck::kReported);
  const nlohmann::json j = EvalReportJson(s);
  EXPECT_EQ(j["training"]["evaluated"], false);
  EXPECT_NE(j["training"]["reason"].get<std::string>().find("does not divide the 2 chips"), std::string::npos)
      << j["training"];
  EXPECT_GT(j["serving"]["tpot_s"].get<double>(), 0);
  EXPECT_NE(EvalReportText(s).find("not evaluated: training.tp = 8"), std::string::npos);
  // The former bad-scenario files for the cluster-dependent checks, now reported.
  for (auto sets : {std::vector<const char*>{"cluster.racks=2", "training.dp=1", "training.pp=1"},
                    std::vector<const char*>{"cluster.racks=2", "training.dp=2", "training.global_batch=3"},
                    std::vector<const char*>{"cluster.chips_per_rack=12", "training.tp=8"}}) {
    Scenario t = DefaultScenario();
    for (const char* a : sets) ApplySet(t, a);
    EXPECT_THROW(ValidateScenario(t, "t"), ScenarioError) << sets[1];
    EXPECT_NO_THROW(ValidateScenario(t, "t", TrainingPlanCheck::kReported)) << sets[1];
    EXPECT_EQ(EvalReportJson(t)["training"]["evaluated"], false) << sets[1];
  }
  // Invalid in itself: still an error with kReported.
  Scenario bad = DefaultScenario();
  ApplySet(bad, "training.tp=3");
  EXPECT_THROW(ValidateScenario(bad, "t", TrainingPlanCheck::kReported), ScenarioError);
}

// The default scenario answers serving on clusters of 1, 2, 8, 72 and 1,024 chips.
TEST(ServingIssue19, DefaultAnswersOnAnyClusterSize) {
  for (const auto& [racks, per_rack] : {std::pair{1, 1}, std::pair{1, 2}, std::pair{1, 8}, std::pair{1, 72},
                                        std::pair{128, 8}}) {
    Scenario s = DefaultScenario();
    s.cluster.racks = racks;
    s.cluster.chips_per_rack = per_rack;
    ASSERT_NO_THROW(ValidateScenario(s, "cluster")) << racks << " x " << per_rack;
    const ServingReport r = EvaluateServing(s);
    EXPECT_EQ(r.chips, std::min(8, per_rack)) << racks << " x " << per_rack;
    EXPECT_TRUE(std::isfinite(r.tpot_s) && r.tpot_s > 0);
    EXPECT_TRUE(std::isfinite(r.ttft_s) && r.ttft_s > r.tpot_s / 2);
    EXPECT_EQ(EvalReportJson(s)["training"]["evaluated"], true) << racks << " x " << per_rack;
  }
}

// PaLM 540B (48 heads, multiquery) on 64 TPU v4, ESTI's own deployment: attention sharded by batch
// (ESTI §3.3) and the 2D weight-stationary FFN (§3.2) from the same code as the sharding board.
TEST(ServingIssue19, PalmOnSixtyFourTpuV4ShardedByBatch) {
  Scenario s = WithSets({"hardware=tpu-v4", "model=palm-540b", "cluster.chips_per_rack=64", "serving.tp=64",
                         "serving.attention_layout=batch", "serving.ffn_layout=2d-ws", "serving.context=2048",
                         "serving.weight_bytes=1"});
  EXPECT_EQ(s.model.heads, 48);
  const ServingReport batch = EvaluateServing(s);
  EXPECT_EQ(batch.chips, 64);
  EXPECT_EQ(batch.ffn_layout, std::string(FfnLayoutName(FfnLayout::k2DWeightStationary)));
  // By heads the one KV head is copied on all 64 chips; by batch each chip holds 1/64 of it.
  Scenario heads = s;
  ApplySet(heads, "model.heads=64");  // ESTI pads to 64 heads to shard by heads
  ApplySet(heads, "serving.attention_layout=heads");
  const ServingReport by_heads = EvaluateServing(heads);
  EXPECT_NEAR(by_heads.memory.kv_cache / batch.memory.kv_cache, 64, 1e-9);
  // The 2D layout's FFN traffic is ESTI's formula on the stage's 64 chips (layout.hpp).
  const ServingModel m = MakeServingModel(s);
  EXPECT_EQ(m.torus_x * m.torus_y * m.torus_z, 64);
  const DecodeStep d = m.Decode(64);
  Scenario one_d = s;
  ApplySet(one_d, "serving.ffn_layout=1d-ws");
  EXPECT_LT(d.network_s, MakeServingModel(one_d).Decode(64).network_s);
  // auto picks ESTI's cheapest layout at the step's tokens (ChooseFfnLayout).
  Scenario a = s;
  ApplySet(a, "serving.ffn_layout=auto");
  FfnProblem p;
  p.tokens = 64, p.d_model = m.d_model, p.d_ff = m.d_ff, p.x = m.torus_x, p.y = m.torus_y, p.z = m.torus_z;
  EXPECT_EQ(ServingFfnLayout(a, 64), ChooseFfnLayout(p).best.layout);
}

// DeepSeek-V3 with attention TP 8 and its experts over the same 8 GPUs (EP 8): max(tp, ep) = 8 chips.
TEST(ServingIssue19, DeepSeekAttentionTpAndExpertsOnTheSameEightGpus) {
  const Scenario s = WithSets({"hardware=h200", "model=deepseek-v3", "cluster.chips_per_rack=8", "serving.tp=8",
                               "serving.ep=8", "serving.weight_bytes=1"});
  const ServingReport r = EvaluateServing(s);
  EXPECT_EQ(r.chips, 8);
  EXPECT_LT(r.memory.weights, s.hardware.hbm_bytes);
  // Attention data-parallel (tp 1) over the same 8 GPUs: the non-expert weights are copied 8 times.
  Scenario dp = s;
  ApplySet(dp, "serving.tp=1");
  ValidateScenario(dp, "dp attention");
  EXPECT_EQ(EvaluateServing(dp).chips, 8);
  EXPECT_GT(EvaluateServing(dp).memory.weights, r.memory.weights);
}

// Done-when: DeepSeek-V3 decode at batch 1 costs what its touched weights cost (8 routed experts of
// 256 per layer, the shared expert and the dense layers always), not all 256 experts.
TEST(ServingIssue19, MoeBatchOneReadsOnlyTheTouchedExperts) {
  Scenario s = WithSets({"hardware=h200", "model=deepseek-v3", "cluster.chips_per_rack=8", "serving.tp=8",
                         "serving.ep=8", "serving.weight_bytes=1"});
  s.efficiency = RooflineEfficiency();
  const ServingModel m = MakeServingModel(s);
  EXPECT_NEAR(m.ExpertsTouched(1), 8, 1e-9);
  EXPECT_NEAR(m.ExpertsTouched(1e6), 256, 1e-6);
  const double untouched = m.moe_layers * (256 - 8) * m.expert_bytes;
  EXPECT_NEAR(m.WeightBytesTouched(1), m.weight_bytes_total - untouched, 1.0);
  const DecodeStep one = m.Decode(1), sixteen = m.Decode(16), many = m.Decode(4096);
  EXPECT_NEAR(one.weights_s, (m.weight_bytes_total - untouched) / (8 * s.hardware.hbm_bytes_per_s), 1e-12);
  // The weight floor rises with batch toward N_total (lecture §1.2's floor for the whole model).
  EXPECT_LT(one.weights_s, sixteen.weights_s);
  EXPECT_LT(sixteen.weights_s, many.weights_s);
  EXPECT_NEAR(many.weights_s, m.weight_bytes_total / (8 * s.hardware.hbm_bytes_per_s), 1e-6 * many.weights_s);
  EXPECT_LT(one.weights_s, 0.2 * many.weights_s);
  std::printf("DeepSeek-V3 fp8 on 8 H200, roofline weight fetch: b=1 %.2f ms, b=16 %.2f ms, b=4096 %.2f ms\n",
              one.weights_s * 1e3, sixteen.weights_s * 1e3, many.weights_s * 1e3);
}

// The engine step keeps the lecture's step visible: decode_step_s is unchanged by the engine's
// constants, and at the roofline the engine's extra terms vanish (no latencies, no fixed costs).
TEST(ServingIssue19, EngineStepAddsItsOwnVisibleTerms) {
  Scenario s = DefaultScenario();
  const ServingReport cal = EvaluateServing(s);
  Scenario no_engine = s;
  no_engine.efficiency.kernel_latency_s = 0;
  no_engine.efficiency.attention_latency_s = 0;
  no_engine.efficiency.collective_latency_s = 0;
  EXPECT_EQ(EvaluateServing(no_engine).decode.step_s, cal.decode.step_s);
  EXPECT_GT(cal.engine.kernel_latency_s, 0);
  EXPECT_NEAR(cal.tpot_s, cal.engine.gemm_s + cal.engine.attention_s + cal.engine.collectives_s +
                              cal.engine.hops_s + cal.engine.fixed_s, 1e-12);
  EXPECT_GT(cal.tpot_s, cal.decode.step_s);  // kernels in sequence, latencies, mixed-in prefill
  s.efficiency = RooflineEfficiency();
  const ServingReport roof = EvaluateServing(s);
  EXPECT_EQ(roof.engine.kernel_latency_s, 0);
  EXPECT_EQ(roof.engine.fixed_s, 0);
}

// Continuous batching (Sarathi-Serve's chunked prefill): each step carries B·P/O prefill tokens, so
// TPOT grows with the prompt at fixed concurrency and equals the pure-decode engine step when no
// prompt arrives; TTFT waits half a step and then runs the prompt's chunks beside B - 1 decodes.
TEST(ServingIssue19, ContinuousBatchingMixesPrefillIntoTheSteps) {
  Scenario s = DefaultScenario();
  s.serving.batch = 64;
  s.serving.prompt_tokens = 2048;
  s.serving.output_tokens = 512;
  const ServingReport r = EvaluateServing(s);
  // The other 63 requests' prompts (a request's own prompt is before its first token, not in its TPOT).
  EXPECT_NEAR(r.prefill_tokens_per_step, 63.0 * 2048 / 512, 1e-9);
  const ServingModel m = MakeServingModel(s);
  EXPECT_NEAR(r.tpot_s, m.Engine(64, 252, 1024).step_s, 1e-12);
  EXPECT_GT(r.tpot_s, m.Engine(64, 0, 0).step_s);
  s.serving.prompt_tokens = 8192;
  EXPECT_GT(EvaluateServing(s).tpot_s, r.tpot_s);
  s.serving.cache_hit_rate = 1.0;  // every prompt token from the prefix cache: nothing to prefill
  EXPECT_NEAR(EvaluateServing(s).prefill_tokens_per_step, 0, 1e-9);
  // TTFT: half a step of waiting plus the chunks (2,048 tokens fit one 8,192-token step beside 63).
  s.serving.prompt_tokens = 2048;
  s.serving.cache_hit_rate = 0;
  const ServingReport t = EvaluateServing(s);
  EXPECT_NEAR(t.ttft_s, 0.5 * t.tpot_s + m.Engine(63, 2048, 1024).step_s, 1e-12);
  s.serving.prefill_chunk_tokens = 512;  // smaller chunks: more steps before the first token
  EXPECT_GT(EvaluateServing(s).ttft_s, t.ttft_s);
  // Concurrency 1: nobody else's prompt arrives while the request decodes.
  s.serving.batch = 1;
  EXPECT_NEAR(EvaluateServing(s).prefill_tokens_per_step, 0, 1e-9);
}

// Auto training degrees resolve in one place; explicit degrees are kept.
TEST(ServingIssue19, AutoTrainingDegrees) {
  Scenario s = DefaultScenario();
  EXPECT_EQ(s.training.tp, 0);
  EXPECT_EQ(ResolveTrainingDegrees(s).tp, 8);  // 64 heads, 8 KV heads, 8-GPU rack
  EXPECT_EQ(ResolveTrainingDegrees(s).pp, 1);  // 70B bf16 over 8 fits
  s.cluster.chips_per_rack = 2;
  EXPECT_EQ(ResolveTrainingDegrees(s).tp, 2);
  s.model = LoadModelPreset("llama-3-405b", "test", "model");
  s.cluster.chips_per_rack = 8;
  s.cluster.racks = 4;
  const Training t = ResolveTrainingDegrees(s);
  EXPECT_EQ(t.tp, 8);
  EXPECT_GT(t.pp, 1);  // 405B bf16 / 8 = 101 GB > 80 % of 80 GB
  s.training.tp = 4;
  EXPECT_EQ(ResolveTrainingDegrees(s).tp, 4);
}

}  // namespace
}  // namespace blackboard
