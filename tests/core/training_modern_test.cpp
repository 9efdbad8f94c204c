// Training as 2024-25 clusters run it (issue 13): fused attention, FP8, MoE with EP, long context,
// the interleaved auto rule, and the public runs the one set of defaults is checked on
// (docs/validation.md "Training on 2024-25 runs"). Index: helpers | published rows (torchtitan,
// DeepSeek-V3) | done-when checks | kernel and precision invariants.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "blackboard/activation.hpp"
#include "blackboard/pipeline.hpp"
#include "blackboard/scenario.hpp"
#include "blackboard/training.hpp"

namespace blackboard {
namespace {

Scenario Make(const std::vector<std::string>& sets) {
  Scenario s = DefaultScenario();
  for (const std::string& a : sets) ApplySet(s, a, "test");
  ValidateScenario(s, "test");
  return s;
}

// ---------------------------------------------------------------- done-when checks

// Llama 3 405B, 8K sequences, 8,192 H100: TP 8, PP 16, interleaved, selective recompute, the
// distributed optimizer (issue 13). That run trained Llama 3: it fits.
Scenario Llama405bOn8192() {
  return Make({"model=llama-3-405b", "hardware=h100-sxm", "cluster.chips_per_rack=8", "cluster.racks=1024",
               "training.seq_len=8192", "training.tp=8", "training.pp=16", "training.dp=0",
               "training.global_batch=2048", "training.micro_batch=1", "training.schedule=interleaved",
               "training.recompute=selective", "training.zero=1", "training.sequence_parallel=true"});
}

TEST(TrainingDoneWhen, Llama405bOn8192H100Fits) {
  const TrainingReport r = EvaluateTraining(Llama405bOn8192());
  std::printf("%s", TrainingReportText(r).c_str());
  EXPECT_TRUE(r.fits) << r.memory.total_bytes / 1e9 << " GB";
}

}  // namespace
}  // namespace blackboard
