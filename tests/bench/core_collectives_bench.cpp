// Benchmarks of the cluster engine: building and timing a hierarchical all-reduce plan for the
// largest topology the collectives board offers (16 racks x 72 GPUs = 1,152 ranks; issue 4), and
// the ZeRO layout of every rank. Figures, not pass/fail.
#include <benchmark/benchmark.h>

#include "blackboard/collectives.hpp"
#include "blackboard/layout.hpp"
#include "blackboard/scenario.hpp"

namespace {

blackboard::ClusterTopology Nvl72x16() {
  // GB200 NVL72-like: 900 GB/s scale-up per GPU (lecture.md §4.5), scale-out 1/8 of it (lecture §1.8).
  return blackboard::ClusterTopology{16, 72, {900e9, 1e-6}, {112.5e9, 5e-6}};
}

void BM_HierarchicalAllReduceBuild16x72(benchmark::State& state) {
  const blackboard::ClusterTopology t = Nvl72x16();
  for (auto _ : state) benchmark::DoNotOptimize(blackboard::HierarchicalAllReduce(t, 1e9));
}
BENCHMARK(BM_HierarchicalAllReduceBuild16x72)->Unit(benchmark::kMillisecond);

void BM_HierarchicalAllReduceTime16x72(benchmark::State& state) {
  const blackboard::CollectivePlan p = blackboard::HierarchicalAllReduce(Nvl72x16(), 1e9);
  for (auto _ : state) benchmark::DoNotOptimize(blackboard::CollectiveTime(p));
  state.counters["steps"] = static_cast<double>(p.steps.size());
}
BENCHMARK(BM_HierarchicalAllReduceTime16x72)->Unit(benchmark::kMillisecond);

void BM_HierarchicalAllReduceBuildAndTime16x72(benchmark::State& state) {
  const blackboard::ClusterTopology t = Nvl72x16();
  for (auto _ : state) {
    const blackboard::CollectivePlan p = blackboard::HierarchicalAllReduce(t, 1e9);
    benchmark::DoNotOptimize(blackboard::CollectiveTime(p));
    benchmark::DoNotOptimize(blackboard::BytesSentPerRank(p));
  }
}
BENCHMARK(BM_HierarchicalAllReduceBuildAndTime16x72)->Unit(benchmark::kMillisecond);

// Summary plans (issue 17): the collectives board's hierarchical all-reduce and flat baseline on
// 2,048 and 16,384 racks of 8 H100-like GPUs (16,384 and 131,072 ranks), built, timed and metered.
void BM_HierarchicalAllReduceSummary(benchmark::State& state) {
  const blackboard::ClusterTopology t{static_cast<int>(state.range(0)), 8, {450e9, 1e-6}, {50e9, 5e-6}};
  for (auto _ : state) {
    const blackboard::CollectivePlan p =
        blackboard::HierarchicalAllReduce(t, 17.6e9, blackboard::CollectiveDetail::kSummary);
    const blackboard::CollectivePlan flat =
        blackboard::CrossRackRingAllReduce(t, 17.6e9, blackboard::CollectiveDetail::kSummary);
    benchmark::DoNotOptimize(blackboard::CollectiveTime(p) + blackboard::CollectiveTime(flat));
    benchmark::DoNotOptimize(blackboard::BytesSentPerRank(p));
  }
  state.counters["ranks"] = static_cast<double>(t.Ranks());
}
BENCHMARK(BM_HierarchicalAllReduceSummary)->Arg(2048)->Arg(16384)->Unit(benchmark::kMillisecond);

void BM_TrainingLayout1152Ranks(benchmark::State& state) {
  const blackboard::Scenario s = blackboard::DefaultScenario();
  const blackboard::LayoutModel m = blackboard::LayoutModelFromModel(s.model);
  blackboard::ParallelPlan plan;
  plan.tp = 8;
  plan.pp = 4;
  plan.dp = 36;
  plan.zero = 3;
  for (auto _ : state) benchmark::DoNotOptimize(blackboard::BuildTrainingLayout(m, plan));
}
BENCHMARK(BM_TrainingLayout1152Ranks)->Unit(benchmark::kMillisecond);

}  // namespace
