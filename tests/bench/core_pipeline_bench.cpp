// Benchmarks of the pipeline simulator (issue 3 target: 64 stages x 512 micro-batches under 5 ms,
// so dragging the micro-batch slider stays smooth). The NoTransfers variant sets emit_transfers =
// false, as the training engine and the pipeline-training board do (they need compute events only).
// On the 2-core development machine (x86-64, 2.3 GHz), Release, median of 3 repetitions, in ms:
//                      gpipe  1f1b  interleaved  zb-h1  zb-h2  dualpipe  dualpipe-v
//   with transfers      1.8    2.4      3.4        3.0    2.7     1.7        3.6
//   without transfers   1.2    1.7      2.3        2.0    1.9     1.2        2.5
#include <benchmark/benchmark.h>

#include "blackboard/pipeline.hpp"

namespace {

blackboard::PipelineSpec BigSpec(blackboard::ScheduleKind kind, bool emit_transfers) {
  blackboard::PipelineSpec s;
  s.schedule = kind;
  s.stages = 64;
  s.micro_batches = 512;
  s.virtual_stages = kind == blackboard::ScheduleKind::kInterleaved ? 2 : 1;
  s.forward_s = {1.0e-3};
  s.backward_s = {1.2e-3};
  s.weight_s = {0.8e-3};
  s.activation_bytes = {1e9};
  s.p2p_s = 1e-4;
  s.emit_transfers = emit_transfers;
  return s;
}

void Simulate(benchmark::State& state, bool emit_transfers) {
  const auto kind = static_cast<blackboard::ScheduleKind>(state.range(0));
  const blackboard::PipelineSpec spec = BigSpec(kind, emit_transfers);
  for (auto _ : state) benchmark::DoNotOptimize(blackboard::SimulateSchedule(spec).step_s);
  state.SetLabel(blackboard::ScheduleName(kind));
}

void BM_PipelineSimulate64x512(benchmark::State& state) { Simulate(state, true); }
void BM_PipelineSimulate64x512NoTransfers(benchmark::State& state) { Simulate(state, false); }
BENCHMARK(BM_PipelineSimulate64x512)->DenseRange(0, 6)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PipelineSimulate64x512NoTransfers)->DenseRange(0, 6)->Unit(benchmark::kMillisecond);

}  // namespace
