// Benchmarks of the serving engine: one full eval and 4,096-point batch sweeps of the lecture's step
// and of the engine's step (issues 2 and 19: a sweep under 1 ms so that plots recompute every frame).
#include <benchmark/benchmark.h>

#include "blackboard/report.hpp"
#include "blackboard/scenario.hpp"
#include "blackboard/serving.hpp"

namespace {

void BM_FullEval(benchmark::State& state) {
  const blackboard::Scenario s = blackboard::DefaultScenario();
  for (auto _ : state) benchmark::DoNotOptimize(blackboard::EvalReportJson(s));
}
BENCHMARK(BM_FullEval);

void BM_BatchSweep4096(benchmark::State& state) {
  const blackboard::Scenario s = blackboard::DefaultScenario();
  for (auto _ : state) {
    const blackboard::ServingModel m = blackboard::MakeServingModel(s);
    double sum = 0;
    for (int i = 0; i < 4096; ++i) sum += m.Decode(1.0 + i).step_s;
    benchmark::DoNotOptimize(sum);
  }
}
BENCHMARK(BM_BatchSweep4096)->Unit(benchmark::kMicrosecond);

// The engine's step (serving.tpot_s) over the same 4,096 batches, prefill mixed in, for a MoE model
// (the touched-expert count costs a pow per call): the batch board's TPOT curve.
void BM_EngineSweep4096Moe(benchmark::State& state) {
  blackboard::Scenario s = blackboard::DefaultScenario();
  blackboard::ApplySet(s, "model=deepseek-v3");
  blackboard::ApplySet(s, "serving.ep=8");
  for (auto _ : state) {
    const blackboard::ServingModel m = blackboard::MakeServingModel(s);
    double sum = 0;
    for (int i = 0; i < 4096; ++i) sum += m.Engine(1.0 + i, 4.0 * (1.0 + i), 1024).step_s;
    benchmark::DoNotOptimize(sum);
  }
}
BENCHMARK(BM_EngineSweep4096Moe)->Unit(benchmark::kMicrosecond);

}  // namespace
