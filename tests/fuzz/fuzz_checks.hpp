// Shared checks of the fuzz targets: what an evaluated scenario must never produce.
//
// Use: after a scenario loads and validates, `CheckEvaluations(s)` runs the serving and training
// engines the way `blackboard eval` does and aborts (__builtin_trap, so libFuzzer saves the input)
// on a NaN, an infinity or a negative time, byte count, rate or price. Only the documented
// exception types are caught: ScenarioError and std::invalid_argument from EvaluateTraining (a plan
// the schedule cannot run). Anything else propagates and libFuzzer reports it as a crash.
#pragma once

#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <stdexcept>
#include <utility>

#include "blackboard/scenario.hpp"
#include "blackboard/serving.hpp"
#include "blackboard/training.hpp"

namespace blackboard::fuzz {

// One named output. Every figure the engines report is a non-negative quantity (seconds, bytes,
// FLOPs, tokens/s, US dollars, fractions), so NaN, +-inf and negatives are all bugs.
struct Figure {
  const char* name;
  double value;
};

inline void RequireFinite(const char* where, std::initializer_list<Figure> figures) {
  for (const Figure& f : figures) {
    if (std::isfinite(f.value) && f.value >= 0) continue;
    std::fprintf(stderr, "fuzz: %s.%s = %g (must be finite and >= 0)\n", where, f.name, f.value);
    __builtin_trap();
  }
}

inline void CheckDecode(const char* where, const DecodeStep& d) {
  RequireFinite(where, {{"batch", d.batch}, {"compute_s", d.compute_s}, {"weights_s", d.weights_s},
                        {"kv_s", d.kv_s}, {"memory_s", d.memory_s}, {"network_s", d.network_s},
                        {"hops_s", d.hops_s}, {"step_s", d.step_s}, {"usd_per_token", d.usd_per_token}});
  // A decode step always reads the weights once: it can never take zero time.
  if (!(d.step_s > 0)) {
    std::fprintf(stderr, "fuzz: %s.step_s = %g (must be > 0)\n", where, d.step_s);
    __builtin_trap();
  }
}

inline void CheckServing(const Scenario& s) {
  const ServingReport r = EvaluateServing(s);
  CheckDecode("serving.decode", r.decode);
  RequireFinite("serving",
                {{"prefill_s", r.prefill_s}, {"tokens_per_s", r.tokens_per_s},
                 {"tokens_per_s_per_chip", r.tokens_per_s_per_chip}, {"latency_floor_s", r.latency_floor_s},
                 {"critical_batch", r.critical_batch}, {"max_batch", r.max_batch},
                 {"mfu_decode", r.mfu_decode}, {"mfu_prefill", r.mfu_prefill},
                 {"memory.weights", r.memory.weights}, {"memory.kv_cache", r.memory.kv_cache},
                 {"memory.total", r.memory.total}, {"memory.capacity", r.memory.capacity},
                 {"overflow_bytes", r.overflow_bytes}, {"hbm_drain_s", r.hbm_drain_s},
                 {"usd_per_mtok_output", r.usd_per_mtok_output},
                 {"usd_per_mtok_input", r.usd_per_mtok_input}, {"chips", r.chips}});
  // The sweep path the plots use: one sequence and the largest batch the scenario allows.
  const ServingModel m = MakeServingModel(s);
  CheckDecode("Decode(1)", m.Decode(1));
  CheckDecode("Decode(1e7)", m.Decode(1e7));
}

inline void CheckTrainingReport(const char* where, const TrainingReport& r) {
  const TrainingMemory& m = r.memory;
  const TrainingBreakdown& b = r.breakdown;
  RequireFinite(where,
                {{"step_s", r.step_s}, {"model_flops_per_step", r.model_flops_per_step},
                 {"hardware_flops_per_step", r.hardware_flops_per_step}, {"mfu", r.mfu}, {"hfu", r.hfu},
                 {"bubble_fraction", r.bubble_fraction}, {"tokens_per_step", r.tokens_per_step},
                 {"tokens_per_s", r.tokens_per_s}, {"memory.weights", m.weights_bytes},
                 {"memory.gradients", m.gradients_bytes}, {"memory.optimizer", m.optimizer_bytes},
                 {"memory.activations", m.activations_bytes}, {"memory.buffers", m.buffers_bytes},
                 {"memory.total", m.total_bytes}, {"memory.capacity", m.capacity_bytes},
                 {"comm_dp_s", r.comm_dp_s}, {"comm_tp_s", r.comm_tp_s}, {"comm_pp_s", r.comm_pp_s},
                 {"comm_ep_s", r.comm_ep_s}, {"comm_cp_s", r.comm_cp_s},
                 {"exposed_comm_s", r.exposed_comm_s}, {"breakdown.compute_s", b.compute_s},
                 {"breakdown.recompute_s", b.recompute_s}, {"breakdown.dp_s", b.dp_s},
                 {"breakdown.tp_s", b.tp_s}, {"breakdown.pp_s", b.pp_s}, {"breakdown.ep_s", b.ep_s},
                 {"breakdown.cp_s", b.cp_s}, {"breakdown.bubble_s", b.bubble_s},
                 {"breakdown.optimizer_s", b.optimizer_s}, {"days", r.days}, {"usd", r.usd}});
  if (!(r.step_s > 0)) {
    std::fprintf(stderr, "fuzz: %s.step_s = %g (must be > 0)\n", where, r.step_s);
    __builtin_trap();
  }
}

inline void CheckTraining(const Scenario& s) {
  try {
    CheckTrainingReport("training", EvaluateTraining(s));
  } catch (const ScenarioError&) {
  } catch (const std::invalid_argument&) {
  }
  try {
    CheckTrainingReport("training(closed form)",
                        EvaluatePlanClosedForm(s, TrainingEfficiencyFromScenario(s)));
  } catch (const ScenarioError&) {
  } catch (const std::invalid_argument&) {
  }
}

inline void CheckEvaluations(const Scenario& s) {
  CheckServing(s);
  CheckTraining(s);
}

}  // namespace blackboard::fuzz
