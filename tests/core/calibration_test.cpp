// The serving engine's calibrated efficiency defaults against the public measurements they come from
// (docs/validation.md "Serving"), the pure-roofline switch, and the scenario format that names them.
// Each check recomputes a published figure through the engine; none compares a constant with itself.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "blackboard/assets.hpp"
#include "blackboard/model.hpp"
#include "blackboard/report.hpp"
#include "blackboard/scenario.hpp"
#include "blackboard/serving.hpp"
#include "blackboard/training.hpp"

namespace blackboard {
namespace {

Scenario PalmOnTpuV4() { return LoadScenarioFile(AssetDir() + "/scenarios/palm-540b-tpu-v4.json"); }

// ---------------------------------------------------------------------------------------------
// The defaults and the roofline switch
// ---------------------------------------------------------------------------------------------

TEST(Calibration, DefaultsAreTheNamedPublicSet) {
  const Efficiency e = DefaultScenario().efficiency;
  EXPECT_EQ(e.calibration, kCalibrationName);
  EXPECT_TRUE(IsNamedEfficiency(e));
  // Each default is a published measured ratio (sources in scenario.hpp and docs/validation.md).
  EXPECT_NEAR(e.compute, 0.76, 1e-12);                 // ESTI prefill MFU (lecture.md §3.1)
  EXPECT_NEAR(e.memory, 2903.4 / 3350, 0.005);         // H100 NVBench D2D 2,903 of 3,350 GB/s
  EXPECT_NEAR(e.network, 370.0 / 450, 0.005);          // NC-2: 370 of 450 GB/s busbw
  EXPECT_EQ(e.serving_layer_overhead_s, 0);            // no public serving measurement
  EXPECT_EQ(EfficiencyLabel(e), "calibrated public-v1: compute 0.76, memory 0.87, network 0.82");
}

TEST(Calibration, RooflineSwitchSetsEveryFractionAndBothEngines) {
  Scenario s = DefaultScenario();
  ApplySet(s, "efficiency=roofline");
  EXPECT_EQ(s.efficiency.calibration, "roofline");
  EXPECT_EQ(s.efficiency.compute, 1.0);
  EXPECT_EQ(s.efficiency.memory, 1.0);
  EXPECT_EQ(s.efficiency.network, 1.0);
  EXPECT_EQ(s.efficiency.serving_layer_overhead_s, 0.0);
  EXPECT_EQ(EfficiencyLabel(s.efficiency), "pure roofline");
  EXPECT_EQ(EfficiencyShortLabel(s.efficiency), "pure roofline");
  // The training engine reads the same switch: its named fractions go to their roofline values.
  const TrainingEfficiency t = TrainingEfficiencyFromScenario(s);
  const TrainingEfficiency r = RooflineTrainingEfficiency();
  EXPECT_EQ(TrainingEfficiencyValues(t), TrainingEfficiencyValues(r));
  // "calibrated"'s name switches back.
  ApplySet(s, std::string("efficiency=") + kCalibrationName);
  EXPECT_TRUE(IsNamedEfficiency(s.efficiency));
  EXPECT_EQ(s.efficiency.compute, kCalibratedCompute);
  EXPECT_EQ(TrainingEfficiencyValues(TrainingEfficiencyFromScenario(s)),
            TrainingEfficiencyValues(DefaultTrainingEfficiency(s.hardware)));
}

TEST(Calibration, RooflineDecodeIsTheLectureFormula) {
  Scenario s = DefaultScenario();
  s.efficiency = RooflineEfficiency();
  const ServingModel m = MakeServingModel(s);
  EXPECT_EQ(m.flops_per_chip, s.hardware.bf16_flops);
  EXPECT_EQ(m.hbm_bytes_per_s, s.hardware.hbm_bytes_per_s);
  EXPECT_EQ(m.scaleup_bytes_per_s, s.hardware.scaleup_bytes_per_s);
  // Calibrated: the step's memory term is the roofline's over 0.87 and its compute term over 0.76.
  Scenario c = DefaultScenario();
  const DecodeStep rd = m.Decode(64), cd = MakeServingModel(c).Decode(64);
  EXPECT_NEAR(cd.memory_s, rd.memory_s / kCalibratedMemory, 1e-15);
  EXPECT_NEAR(cd.compute_s, rd.compute_s / kCalibratedCompute, 1e-15);
}

TEST(Calibration, ScenarioFileFormsAndErrors) {
  // The one word in a file, a section naming its set then overriding one value, an old file.
  const Scenario word = ScenarioFromJson(nlohmann::json::parse(R"({"efficiency": "roofline"})"), "a.json");
  EXPECT_EQ(EfficiencyLabel(word.efficiency), "pure roofline");
  const Scenario mixed = ScenarioFromJson(
      nlohmann::json::parse(R"({"efficiency": {"compute": 0.5, "calibration": "roofline"}})"), "b.json");
  EXPECT_EQ(mixed.efficiency.compute, 0.5);
  EXPECT_EQ(mixed.efficiency.memory, 1.0);
  EXPECT_FALSE(IsNamedEfficiency(mixed.efficiency));
  EXPECT_EQ(EfficiencyShortLabel(mixed.efficiency), "custom efficiency (compute 0.50, HBM 1.00, net 1.00)");
  const Scenario old = ScenarioFromJson(
      nlohmann::json::parse(R"({"schema_version": 1, "efficiency": {"memory": 0.8}})"), "old.json");
  EXPECT_EQ(old.efficiency.calibration, kCalibrationName);
  EXPECT_EQ(old.efficiency.compute, kCalibratedCompute);
  EXPECT_EQ(old.efficiency.memory, 0.8);
  // A saved roofline scenario reloads as the same named set.
  const Scenario back = ScenarioFromJson(ToJson(word), "saved.json");
  EXPECT_TRUE(IsNamedEfficiency(back.efficiency));
  EXPECT_EQ(back.efficiency.calibration, "roofline");
  // Every bad value names the file, the field, the value and what is allowed.
  Scenario s = DefaultScenario();
  try {
    ApplySet(s, "efficiency=fast", "--set efficiency=fast");
    ADD_FAILURE() << "efficiency=fast accepted";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.file(), "--set efficiency=fast");
    EXPECT_EQ(e.field(), "efficiency");
    EXPECT_EQ(e.value(), "\"fast\"");
    EXPECT_NE(e.allowed().find("public-v1"), std::string::npos) << e.allowed();
    EXPECT_NE(e.allowed().find("roofline"), std::string::npos) << e.allowed();
  }
  for (const char* bad : {R"({"efficiency": {"calibration": 3}})", R"({"efficiency": {"calibration": "x"}})",
                          R"({"efficiency": 0.5})", R"({"efficiency": {"serving_layer_overhead_s": -1}})"}) {
    try {
      (void)ScenarioFromJson(nlohmann::json::parse(bad), "bad.json");
      ADD_FAILURE() << bad << " accepted";
    } catch (const ScenarioError& e) {
      EXPECT_EQ(e.file(), "bad.json") << bad;
      EXPECT_EQ(e.field().rfind("efficiency", 0), 0u) << bad;
      EXPECT_FALSE(e.value().empty()) << bad;
      EXPECT_FALSE(e.allowed().empty()) << bad;
    }
  }
}

TEST(Calibration, TrainingIgnoresTheServingFractions) {
  // The training engine keeps its own calibrated fractions (docs/validation.md, Korthikanti fit).
  Scenario s = DefaultScenario();
  const TrainingReport a = EvaluateTraining(s);
  s.efficiency.compute = 0.3;
  s.efficiency.memory = 0.3;
  s.efficiency.network = 0.3;
  const TrainingReport b = EvaluateTraining(s);
  EXPECT_EQ(a.step_s, b.step_s);
  EXPECT_EQ(TrainingEfficiencyValues(TrainingEfficiencyFromScenario(s)),
            TrainingEfficiencyValues(DefaultTrainingEfficiency(s.hardware)));
}

TEST(Calibration, ReportNamesTheEfficiencies) {
  const nlohmann::json j = EvalReportJson(DefaultScenario());
  EXPECT_EQ(j["efficiency"]["calibration"], kCalibrationName);
  EXPECT_EQ(j["efficiency"]["unchanged"], true);
  EXPECT_EQ(j["efficiency"]["compute"], kCalibratedCompute);
  EXPECT_NE(EvalReportText(DefaultScenario()).find("efficiency: calibrated public-v1"), std::string::npos);
  Scenario r = DefaultScenario();
  r.efficiency = RooflineEfficiency();
  EXPECT_NE(EvalReportText(r).find("efficiency: pure roofline"), std::string::npos);
}

TEST(Calibration, LayerOverheadAddsPerLayerPerStep) {
  Scenario s = DefaultScenario();
  const DecodeStep base = MakeServingModel(s).Decode(64);
  s.efficiency.serving_layer_overhead_s = 5e-6;
  const DecodeStep with = MakeServingModel(s).Decode(64);
  EXPECT_NEAR(with.step_s - base.step_s, s.model.layers * 5e-6, 1e-12);
  EXPECT_NEAR(with.overhead_s, s.model.layers * 5e-6, 1e-12);
}

// ---------------------------------------------------------------------------------------------
// Against the published measurements
// ---------------------------------------------------------------------------------------------

// ESTI (lecture.md §3.1): 76% MFU on large-batch prefill of PaLM 540B on 64 TPU v4. With the
// calibrated defaults the engine's prefill of that setup is compute-bound (weights and the TP
// all-reduces take less time), so its MFU is the calibration: the check is that nothing else binds.
TEST(Calibration, EstiPrefillMfuOnPaLM540B) {
  Scenario s = PalmOnTpuV4();
  ASSERT_TRUE(IsNamedEfficiency(s.efficiency));
  const ServingReport r = EvaluateServing(s);
  EXPECT_NEAR(r.mfu_prefill, 0.76, 1e-9);
  std::printf("ESTI prefill: engine MFU %.4f against 0.76 published (1,984-token prompt, 64 TPU v4)\n",
              r.mfu_prefill);
}

// 8x H100 NCCL all-reduce: ~370 GB/s busbw for ~10 GB messages (lecture.md "Collectives on GPUs";
// published-numbers NC-2). The engine's TP all-reduce of a 10 GB activation over 8 H100s, timed by
// the decode step's network term, gives busbw = 2(n-1)/n x S / t within 1 % of 370 GB/s.
TEST(Calibration, EightH100AllReduceBusBandwidth) {
  Scenario s = DefaultScenario();
  ASSERT_EQ(s.hardware.name, "h100-sxm");
  ASSERT_EQ(ResolveServingTp(s), 8);  // auto: 8 of Llama 3 70B's 64 heads on one 8-GPU rack
  const ServingModel m = MakeServingModel(s);
  const double batch = 10e9 / (m.d_model * m.act_bytes);  // 10 GB per all-reduce
  const DecodeStep d = m.Decode(batch);
  const double per_all_reduce = d.network_s / (m.layers * 2);  // two per layer (MEG-F9)
  const double alpha = 2 * (8 - 1) * m.scaleup_latency_s;
  const double busbw = 2.0 * 7 / 8 * 10e9 / (per_all_reduce - alpha);
  EXPECT_NEAR(busbw / 370e9, 1.0, 0.01);
  std::printf("8x H100 all-reduce, 10 GB: engine busbw %.1f GB/s against ~370 measured (NC-2)\n", busbw / 1e9);
}

// ESTI, an independent check (lecture.md §3.1): 29 ms per token for low-batch decode of PaLM 540B on
// 64 TPU v4 with int8 weights and 2,048 context. Neither figure was used to calibrate. The engine's
// prediction is printed for docs/validation.md; asserted only loosely, because at low batch the
// engine's step is set by the TP ring's per-hop latency (an assumed 1 us, tpu-v4.json), not by the
// calibrated fractions, and ESTI used a 2D weight-stationary layout the engine does not model.
TEST(Calibration, EstiLowBatchDecodeLatency) {
  Scenario s = PalmOnTpuV4();
  for (const int batch : {1, 16, 64}) {
    s.serving.batch = batch;
    const ServingReport cal = EvaluateServing(s);
    Scenario r = s;
    r.efficiency = RooflineEfficiency();
    const ServingReport roof = EvaluateServing(r);
    std::printf("ESTI decode B=%d: calibrated %.2f ms (%s-bound; weights %.2f, network %.2f ms), "
                "roofline %.2f ms, published 29 ms: error %+.1f %%\n",
                batch, cal.decode.step_s * 1e3, BoundName(cal.decode.bound), cal.decode.weights_s * 1e3,
                cal.decode.network_s * 1e3, roof.decode.step_s * 1e3, 100 * (cal.decode.step_s / 29e-3 - 1));
    EXPECT_GE(cal.decode.step_s, roof.decode.step_s);
    // The weight fetch alone (int8, 64 chips) is well under 29 ms: the measurement is not HBM-bound.
    EXPECT_LT(cal.decode.weights_s, 29e-3 / 2);
    EXPECT_GT(cal.decode.step_s, 29e-3 / 3);
    EXPECT_LT(cal.decode.step_s, 29e-3 * 3);
  }
}

// ESTI introduction (lecture.md §3.1): offline 1,984 input + 64 output tokens at 73% FLOPS
// efficiency on 64 TPU v4. The engine's end-to-end efficiency for a large batch: prefill per request
// plus 64 decode steps, total matmul and attention FLOPs over (time x chips x peak).
TEST(Calibration, EstiOfflineFlopsEfficiency) {
  Scenario s = PalmOnTpuV4();
  s.serving.batch = 512;
  const ServingReport r = EvaluateServing(s);
  const ServingModel m = MakeServingModel(s);
  const double T = s.serving.prompt_tokens, out = s.serving.output_tokens, B = s.serving.batch;
  const double prefill_flops = B * (T * m.matmul_flops_per_token + 0.5 * T * AttentionFlopsPerToken(s.model, T));
  const double decode_flops = B * out * m.matmul_flops_per_token;
  const double time = B * r.prefill_s + out * r.decode.step_s;
  const double eff = (prefill_flops + decode_flops) / (time * r.chips * s.hardware.bf16_flops);
  std::printf("ESTI offline 1984+64, B=512: engine %.1f %% against 73 %% published: error %+.1f points\n",
              100 * eff, 100 * (eff - 0.73));
  EXPECT_NEAR(eff, 0.73, 0.05);
}

// ---------------------------------------------------------------------------------------------
// The engine's step (serving.tpot_s) against public per-operation measurements
// ---------------------------------------------------------------------------------------------
// Rows transcribed from ai-dynamo/aiconfigurator (commit 095f58a, Apache-2.0),
// aic-core/src/aiconfigurator_core/systems/data/h100_sxm/: gemm/vllm/0.24.0/gemm_perf.parquet,
// attention/vllm/0.24.0/generation_attention_perf.parquet (window 0, bf16 KV, head_dim 128),
// comm/vllm/0.24.0/custom_allreduce_perf.parquet (vLLM_custom_graph). Latencies in microseconds on one
// H100 SXM. The fits (docs/validation.md "Serving: the engine's step") used these tables' wider row
// sets; each check below fails if the engine's kernel formulas drift from them.

double MeanAbsError(const std::vector<std::pair<double, double>>& predicted_measured) {
  double sum = 0;
  for (const auto& [p, m] : predicted_measured) sum += std::fabs(p / m - 1);
  return sum / static_cast<double>(predicted_measured.size());
}

TEST(CalibrationEngine, MatmulKernelsAgainstAiconfiguratorGemmTable) {
  struct Row { double m, n, k, us; };
  const Row rows[] = {
      {1, 4096, 4096, 15.05},  {1, 7168, 8192, 49.67},   {1, 8192, 1024, 9.56},   {1, 8192, 3584, 21.93},
      {64, 4096, 4096, 14.77}, {64, 7168, 8192, 43.43},  {64, 8192, 1024, 8.42},  {64, 8192, 3584, 26.26},
      {512, 4096, 4096, 24.13}, {512, 7168, 8192, 79.19}, {512, 8192, 1024, 15.11}, {512, 8192, 3584, 39.65},
  };
  const ServingModel m = MakeServingModel(DefaultScenario());  // H100 SXM, calibrated
  std::vector<std::pair<double, double>> pm;
  for (const Row& r : rows) {
    const double bytes = 2 * r.n * r.k + 2 * r.m * (r.n + r.k);  // bf16 weights, activations in and out
    const double predicted = MatmulKernelS(m, 2 * r.m * r.n * r.k, bytes) * 1e6;
    pm.emplace_back(predicted, r.us);
    std::printf("GEMM m=%g n=%g k=%g: engine %.2f us, measured %.2f us (%+.1f %%)\n", r.m, r.n, r.k, predicted,
                r.us, 100 * (predicted / r.us - 1));
  }
  const double err = MeanAbsError(pm);
  std::printf("GEMM: mean |error| %.1f %% over %zu rows\n", 100 * err, pm.size());
  EXPECT_LT(err, 0.10);
}

TEST(CalibrationEngine, DecodeAttentionAgainstAiconfiguratorAttentionTable) {
  struct Row { double batch, context, heads, kv_heads, us; };
  const Row rows[] = {
      {1, 1024, 8, 1, 12.43},    {1, 1024, 64, 8, 13.65},   {1, 4096, 8, 1, 15.16},    {1, 4096, 64, 8, 16.85},
      {1, 16384, 8, 1, 18.91},   {1, 16384, 64, 8, 40.60},  {8, 1024, 8, 1, 14.10},    {8, 1024, 64, 8, 18.57},
      {8, 4096, 8, 1, 17.08},    {8, 4096, 64, 8, 65.33},   {8, 16384, 8, 1, 38.52},   {8, 16384, 64, 8, 185.76},
      {32, 1024, 8, 1, 16.38},   {32, 1024, 64, 8, 67.19},  {32, 4096, 8, 1, 37.06},   {32, 4096, 64, 8, 188.11},
      {32, 16384, 8, 1, 101.55}, {128, 1024, 8, 1, 37.35},  {128, 1024, 64, 8, 196.68}, {128, 4096, 8, 1, 101.07},
      {128, 16384, 8, 1, 355.27},
  };
  const ServingModel m = MakeServingModel(DefaultScenario());
  std::vector<std::pair<double, double>> pm;
  for (const Row& r : rows) {
    const double kv_bytes = r.batch * r.context * r.kv_heads * 128 * 2 * 2;  // K and V, bf16
    const double predicted = DecodeAttentionKernelS(m, kv_bytes) * 1e6;
    pm.emplace_back(predicted, r.us);
    std::printf("attention b=%g ctx=%g heads %g/%g: engine %.2f us, measured %.2f us (%+.1f %%)\n", r.batch,
                r.context, r.heads, r.kv_heads, predicted, r.us, 100 * (predicted / r.us - 1));
  }
  const double err = MeanAbsError(pm);
  std::printf("decode attention: mean |error| %.1f %% over %zu rows\n", 100 * err, pm.size());
  EXPECT_LT(err, 0.10);
}

TEST(CalibrationEngine, SmallAllReducesAgainstAiconfiguratorCustomAllReduceTable) {
  struct Row { double gpus, elements, us; };
  const Row rows[] = {
      {2, 8192, 4.49}, {2, 65536, 4.75}, {2, 524288, 8.34},  {2, 2097152, 20.24},
      {4, 8192, 4.83}, {4, 65536, 5.80}, {4, 524288, 12.76}, {4, 2097152, 30.25},
      {8, 8192, 5.31}, {8, 65536, 7.86}, {8, 524288, 14.97}, {8, 2097152, 30.81},
  };
  const ServingModel m = MakeServingModel(DefaultScenario());
  std::vector<std::pair<double, double>> pm;
  for (const Row& r : rows) {
    const double predicted = SmallAllReduceS(m, r.gpus, 2 * r.elements) * 1e6;  // bf16
    pm.emplace_back(predicted, r.us);
    std::printf("all-reduce %g GPUs, %g elements: engine %.2f us, measured %.2f us (%+.1f %%)\n", r.gpus,
                r.elements, predicted, r.us, 100 * (predicted / r.us - 1));
  }
  const double err = MeanAbsError(pm);
  std::printf("small all-reduce: mean |error| %.1f %% over %zu rows\n", 100 * err, pm.size());
  EXPECT_LT(err, 0.12);
}


// ---------------------------------------------------------------------------------------------
// End to end: the engine's TPOT (serving.tpot_s) against measured deployments (docs/validation.md
// "Serving: end-to-end TPOT"). Each row is built as its deployment ran: model, hardware, TP (and EP),
// concurrency = serving.batch, input / output lengths, weight precision; the KV length is the
// prompt plus half the output (the mean over a request's decode).
// ---------------------------------------------------------------------------------------------

struct EndToEndRow {
  const char* id;
  const char* model;     // preset, or "qwen2.5-72b" (built from llama-3-70b's shape below)
  const char* hardware;  // preset
  int tp, ep, concurrency, input_tokens, output_tokens;
  double weight_bytes;   // bytes per weight as served
  const char* math;      // matmul precision
  double tpot_ms;        // measured mean TPOT
  double ttft_ms;        // measured mean TTFT (0 = not used)
  bool fitted;           // in the fitting subset (else held out)
};

// Sources (public GitHub issue tables, transcribed; none is a reserved source):
//  GO: SemiAnalysisAI/InferenceX issue #828, gpt-oss-120b (MXFP4 experts) on H100 DGXC, vLLM, 1k/1k,
//      "Power Draw vs Concurrency" table (TP 2/4/8, conc 4-64).
//  R1H: SemiAnalysisAI/InferenceX issue #870, DeepSeek-R1-0528 FP8, SGLang v0.5.7, TP8 EP1, 8x H200,
//      1k/1k, "Performance Results" (mean TPOT, mean TTFT).
//  R1B: same issue, DeepSeek-R1-0528-FP4-V2, SGLang v0.5.6, TP8 EP8, 8x B200, 1k/1k: TPOT derived
//      from the table's output tokens/s/GPU and mean TTFT: conc / (8 x out/GPU) x 1024 = TTFT + 1023 TPOT.
//  QW: tenstorrent/tt-inference-server issue #143, Qwen2.5-72B-Instruct on 2x H100 (vLLM, bf16), conc 1.
const EndToEndRow kEndToEndRows[] = {
    {"GO-1", "gpt-oss-120b", "h100-sxm", 8, 1, 4, 1024, 1024, 0.53125, "bf16", 3.72, 0, true},
    {"GO-2", "gpt-oss-120b", "h100-sxm", 8, 1, 8, 1024, 1024, 0.53125, "bf16", 4.05, 0, false},
    {"GO-3", "gpt-oss-120b", "h100-sxm", 8, 1, 16, 1024, 1024, 0.53125, "bf16", 4.83, 0, false},
    {"GO-4", "gpt-oss-120b", "h100-sxm", 8, 1, 32, 1024, 1024, 0.53125, "bf16", 5.82, 0, false},
    {"GO-5", "gpt-oss-120b", "h100-sxm", 8, 1, 64, 1024, 1024, 0.53125, "bf16", 7.36, 0, false},
    {"GO-6", "gpt-oss-120b", "h100-sxm", 4, 1, 64, 1024, 1024, 0.53125, "bf16", 9.89, 0, false},
    {"GO-7", "gpt-oss-120b", "h100-sxm", 2, 1, 64, 1024, 1024, 0.53125, "bf16", 15.21, 0, false},
    {"R1H-1", "deepseek-v3", "h200", 8, 1, 8, 1024, 1024, 1, "fp8", 12.8, 330.6, false},
    {"R1H-2", "deepseek-v3", "h200", 8, 1, 16, 1024, 1024, 1, "fp8", 17.2, 356.0, false},
    {"R1H-3", "deepseek-v3", "h200", 8, 1, 32, 1024, 1024, 1, "fp8", 25.6, 426.5, false},
    {"R1H-4", "deepseek-v3", "h200", 8, 1, 64, 1024, 1024, 1, "fp8", 34.6, 423.1, false},
    {"R1B-1", "deepseek-v3", "b200", 8, 8, 4, 1024, 1024, 0.5625, "fp4", 8.19, 199.6, false},
    {"R1B-2", "deepseek-v3", "b200", 8, 8, 8, 1024, 1024, 0.5625, "fp4", 9.35, 197.2, false},
    {"R1B-3", "deepseek-v3", "b200", 8, 8, 16, 1024, 1024, 0.5625, "fp4", 11.48, 354.9, false},
    {"R1B-4", "deepseek-v3", "b200", 8, 8, 32, 1024, 1024, 0.5625, "fp4", 13.79, 394.4, false},
    {"QW-1", "qwen2.5-72b", "h100-sxm", 2, 1, 1, 128, 128, 2, "bf16", 30.9, 41.1, false},
    {"QW-2", "qwen2.5-72b", "h100-sxm", 2, 1, 1, 2048, 128, 2, "bf16", 31.0, 149.5, false},
    {"QW-3", "qwen2.5-72b", "h100-sxm", 2, 1, 1, 8192, 128, 2, "bf16", 31.3, 1063.8, false},
};

Scenario EndToEndScenario(const EndToEndRow& r) {
  Scenario s = DefaultScenario();
  const std::string model = r.model;
  ApplySet(s, "model=" + (model == "qwen2.5-72b" ? std::string("llama-3-70b") : model));
  if (model == "qwen2.5-72b") {  // Qwen2.5-72B config.json: the Llama 3 70B shape with these two
    s.model.d_ff = 29568;
    s.model.vocab = 152064;
  }
  ApplySet(s, std::string("hardware=") + r.hardware);
  ApplySet(s, "cluster.racks=1");
  ApplySet(s, "cluster.chips_per_rack=8");
  s.serving.tp = r.tp;
  s.serving.ep = r.ep;
  s.serving.batch = r.concurrency;
  s.serving.prompt_tokens = r.input_tokens;
  s.serving.output_tokens = r.output_tokens;
  s.serving.context = r.input_tokens + r.output_tokens / 2;
  s.serving.weight_bytes = r.weight_bytes;
  s.serving.math = r.math;
  return s;
}

TEST(CalibrationEndToEnd, TpotAgainstMeasuredDeployments) {
  std::vector<std::pair<double, double>> all, fitted, held_out;
  for (const EndToEndRow& r : kEndToEndRows) {
    const ServingReport rep = EvaluateServing(EndToEndScenario(r));
    const double predicted = rep.tpot_s * 1e3;
    const double err = predicted / r.tpot_ms - 1;
    std::printf("%-6s %-13s %-8s TP%d EP%d conc %3d %5d/%-5d: engine %6.2f ms, measured %6.2f ms (%+.1f %%) "
                "[gemm %.2f attn %.2f coll %.2f fixed %.2f] %s\n",
                r.id, r.model, r.hardware, r.tp, r.ep, r.concurrency, r.input_tokens, r.output_tokens, predicted,
                r.tpot_ms, 100 * err, rep.engine.gemm_s * 1e3, rep.engine.attention_s * 1e3,
                rep.engine.collectives_s * 1e3, rep.engine.fixed_s * 1e3, r.fitted ? "fitted" : "held out");
    all.emplace_back(predicted, r.tpot_ms);
    (r.fitted ? fitted : held_out).emplace_back(predicted, r.tpot_ms);
    EXPECT_LT(std::fabs(err), 0.25) << r.id;
  }
  std::printf("end-to-end TPOT: mean |error| %.1f %% over %zu rows (fitted %.1f %%, held out %.1f %%)\n",
              100 * MeanAbsError(all), all.size(), 100 * MeanAbsError(fitted), 100 * MeanAbsError(held_out));
  EXPECT_LT(MeanAbsError(all), 0.10);
}

// TTFT: printed for every row; asserted only where the measurement is what the engine models. QW-1
// and QW-3 (vLLM, concurrency 1: the prompt's own prefill) are asserted; QW-2 is not (its 149.5 ms for a
// 2,048-token prompt of a 72B bf16 model on 2 H100 is above the bf16 peak, so part of the prompt came
// from vLLM's prefix cache), nor are the SGLang DeepSeek rows (200-430 ms measured against 20-60 ms of
// prefill: the request path outside the model, HTTP, tokenisation and admission, which the engine does
// not model; docs/validation.md).
TEST(CalibrationEndToEnd, TtftAgainstMeasuredDeployments) {
  int asserted = 0;
  for (const EndToEndRow& r : kEndToEndRows) {
    if (r.ttft_ms <= 0) continue;
    const ServingReport rep = EvaluateServing(EndToEndScenario(r));
    const double predicted = rep.ttft_s * 1e3, err = predicted / r.ttft_ms - 1;
    const std::string id = r.id;
    const bool checked = id == "QW-1" || id == "QW-3";
    std::printf("%-6s TTFT: engine %7.1f ms, measured %7.1f ms (%+.1f %%)%s\n", r.id, predicted, r.ttft_ms,
                100 * err, checked ? "" : " (not asserted)");
    if (checked) {
      EXPECT_LT(std::fabs(err), 0.20) << r.id;
      ++asserted;
    } else if (id.rfind("R1", 0) == 0) {
      EXPECT_LT(err, 0) << r.id;  // the request path the engine leaves out only adds time
    }
  }
  EXPECT_EQ(asserted, 2);
}

// A known miss, pinned so that it is seen if it moves: DeepSeek-R1-0528-AWQ (int4 weights, group 128) on
// 8x H100 with vLLM, concurrency 1, 1024 in / 128 out: 16.1 ms TPOT, 105.3 ms TTFT (tenstorrent/
// tt-inference-server issue #356). The engine streams the touched int4 experts at the GEMM fit's HBM
// rate; vLLM's int4 MoE kernels (moe_wna16 / Marlin, dequantising in the kernel) do not reach it, and
// no per-operation table for them was found. Not fitted, not in the mean above.
TEST(CalibrationEndToEnd, DeepSeekAwqInt4IsAKnownMiss) {
  const EndToEndRow r = {"AWQ-1", "deepseek-v3", "h100-sxm", 8, 1, 1, 1024, 128, 0.5, "bf16", 16.1, 105.3, false};
  const ServingReport rep = EvaluateServing(EndToEndScenario(r));
  const double err = rep.tpot_s * 1e3 / r.tpot_ms - 1;
  std::printf("AWQ-1 TPOT: engine %.2f ms, measured %.2f ms (%+.1f %%), known miss\n", rep.tpot_s * 1e3, r.tpot_ms,
              100 * err);
  EXPECT_GT(err, -0.75);
  EXPECT_LT(err, -0.45);
}

}  // namespace
}  // namespace blackboard
