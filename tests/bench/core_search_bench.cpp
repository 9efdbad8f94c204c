// Plan search on 16,384 GPUs (issue 5 target: under one second on one core): Llama 3 70B on H100s,
// 2048 racks x 8, a 16M-token batch (2,048 sequences of 8,192: LLaMA-3's, lecture.md §4.5).
#include <benchmark/benchmark.h>

#include "blackboard/scenario.hpp"
#include "blackboard/search.hpp"

namespace {

// state.range(0): 1 = the default options (bf16 and fp8: H100 has FP8), 0 = bf16 only.
void BM_SearchLlama70b16k(benchmark::State& state) {
  blackboard::Scenario s = blackboard::DefaultScenario();
  blackboard::ApplySet(s, "model=llama-3-70b");
  blackboard::ApplySet(s, "hardware=h100-sxm");
  s.cluster.racks = 2048;
  s.cluster.chips_per_rack = 8;
  s.training.global_batch = 2048;
  s.training.seq_len = 8192;
  blackboard::SearchOptions options;
  if (state.range(0) == 0) options.math = {"bf16"};
  long long evaluated = 0;
  std::size_t fitting = 0;
  for (auto _ : state) {
    const blackboard::SearchResult r = blackboard::SearchPlans(s, options);
    evaluated = r.evaluated;
    fitting = r.plans.size();
    benchmark::DoNotOptimize(r.plans.data());
  }
  state.counters["evaluated"] = static_cast<double>(evaluated);
  state.counters["fitting"] = static_cast<double>(fitting);
}
BENCHMARK(BM_SearchLlama70b16k)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond);

}  // namespace
