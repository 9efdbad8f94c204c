// Benchmarks of the serving engine: one full eval and a 4,096-point batch sweep (issue 2 targets:
// the sweep under 1 ms so that plots recompute every frame).
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

}  // namespace
