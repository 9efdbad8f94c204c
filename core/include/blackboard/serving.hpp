// Serving economics: the decode-step roofline of the lecture (shared/reference/lecture.md §1.2-1.6).
//
// Use: `ServingReport r = EvaluateServing(scenario);` for every figure of the eval report, or
// `ServingModel m = MakeServingModel(scenario);` once and then `m.Decode(batch)` in a loop: a decode
// step is a handful of multiplies, so a 4,096-point sweep costs microseconds (plots call it every
// frame). All times are lower bounds ("the time must be >="), scaled by the efficiency knobs:
// efficiency.compute, memory and network are achievable fractions of peak (calibrated defaults,
// docs/validation.md "Serving"; RooflineEfficiency() gives the lecture's pure roofline).
#pragma once

#include <string>

#include "blackboard/scenario.hpp"

namespace blackboard {

enum class Bound { kCompute, kMemory, kNetwork };
const char* BoundName(Bound b);

// One decode step (one new token for each sequence in the batch) and its parts, in seconds.
struct DecodeStep {
  double batch = 0;          // sequences (global)
  double compute_s = 0;      // matmul FLOPs / (chips x FLOP/s)
  double weights_s = 0;      // weight fetch: stage weights / (chips x HBM bandwidth)
  double kv_s = 0;           // KV fetch: batch x context x bytes/token / (chips x HBM bandwidth)
  double memory_s = 0;       // weights_s + kv_s
  double network_s = 0;      // TP all-reduces + EP dispatch/combine inside the domain
  double hops_s = 0;         // pipeline hops between racks (latency + transfer), serial
  double overhead_s = 0;     // layers x efficiency.serving_layer_overhead_s, serial
  double step_s = 0;         // per-token latency of every sequence
  Bound bound = Bound::kMemory;
  double usd_per_token = 0;  // step cost over the replica's chips / tokens in the step
};

// The scenario reduced to the handful of numbers a decode step needs (precomputed once).
struct ServingModel {
  double params_total = 0, params_active = 0;
  double weight_bytes_total = 0;     // params_total x bytes per weight
  double matmul_flops_per_token = 0; // forward, 2 x active matmul params
  double kv_bytes_per_token = 0;     // over all layers
  double context = 0;
  double chips_per_stage = 1;        // tp x ep: the chips sharing one stage's weights and KV
  double stages = 1;                 // pp
  double flops_per_chip = 0;         // effective (peak x efficiency.compute)
  double hbm_bytes_per_s = 0;        // effective
  double scaleup_bytes_per_s = 0;    // effective
  double scaleout_bytes_per_s = 0;   // effective
  double scaleup_latency_s = 0, hop_latency_s = 0;
  double layer_overhead_s = 0;       // efficiency.serving_layer_overhead_s (per layer per step)
  double tp = 1, ep = 1;
  double d_model = 0, layers = 0, moe_layers = 0, experts_active = 0;
  double act_bytes = 2;              // activation element size on the wire
  bool kv_serial = false;            // Scaling Book step model
  double usd_per_chip_s = 0;

  DecodeStep Decode(double batch) const;
};

ServingModel MakeServingModel(const Scenario& s);

struct MemoryPerChip {
  double weights = 0, kv_cache = 0, total = 0, capacity = 0;
};

struct ServingReport {
  DecodeStep decode;
  double prefill_s = 0;              // one request of prompt_tokens through the replica
  double tokens_per_s = 0;           // output tokens/s of the replica
  double tokens_per_s_per_chip = 0;
  double latency_floor_s = 0;        // N_total bytes / (chips in the domain x HBM bandwidth)
  double critical_batch = 0;         // (FLOP/s / BW) x (bytes/weight / 2) x (N_total / N_active)
  double max_batch = 0;              // largest global batch whose weights + KV fit in HBM
  double mfu_decode = 0, mfu_prefill = 0;
  MemoryPerChip memory;
  bool fits = false;
  double overflow_bytes = 0;         // per chip, when it does not fit
  double hbm_drain_s = 0;            // HBM capacity / bandwidth (lecture §1.5)
  double usd_per_mtok_output = 0;
  double usd_per_mtok_input = 0;
  double chips = 0;                  // in one serving replica (tp x ep x pp)
};

ServingReport EvaluateServing(const Scenario& s);

// Peak FLOP/s of the chip for the scenario's serving math precision (falls back to bf16).
double PeakFlops(const Hardware& h, const std::string& math);

}  // namespace blackboard
