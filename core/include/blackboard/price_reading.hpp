// Price reading for the boards (lecture.md §1.5, §1.6, §1.11a): the lecture's worked inputs for
// reading KV bytes per token back from a price kink, and the departing-train queue a scenario implies.
//
// Use:
//   PriceSheet p = LoadPriceSheet("gemini-3.1-pro");
//   KinkReading lec = LectureKinkReading(p);            // 200K, 100B, 300 -> 1,667 B/token
//   KinkReading mine = ScenarioKinkReading(p, s);       // same kink, the scenario's model and chip
//   TrainQueueParams q = TrainQueueFromScenario(s, 200); // T = decode step, rate = batch / T
// Pure functions of their inputs; the sources of the lecture's guesses travel with the numbers.
#pragma once

#include <string>

#include "blackboard/pricing.hpp"
#include "blackboard/scenario.hpp"

namespace blackboard {

// The inverse problem's inputs and answer: bytes_tok = N_act / (ratio x kink) (lecture §1.11a).
struct KinkReading {
  double kink_context_tokens = 0;    // where the price steps up
  double params_active = 0;          // N_active guessed or taken from a model
  double flops_to_bandwidth_ratio = 0;  // FLOP/s : BW, FLOPs counted as multiply-accumulates
  double kv_bytes_per_token = 0;     // the answer
  std::string kink_source, params_source, ratio_source;
};

// The first long-context threshold of a price sheet (the price kink). Throws ScenarioError when the
// sheet has no long-context tier.
double PriceKinkContextTokens(const PriceSheet& p);

// The lecture's worked example over a sheet's kink: N_active = 100B (the lecture's guess for a
// frontier model) and FLOP/s : BW = 300 (the lecture's round hardware ratio), §1.11a / test vector 5.
KinkReading LectureKinkReading(const PriceSheet& p);

// The same kink with the scenario's active parameters and its chip's ratio
// (LectureFlopsToBandwidthRatio at the scenario's math).
KinkReading ScenarioKinkReading(const PriceSheet& p, const Scenario& s);

// The departing train a scenario implies (lecture §1.5-1.6): period T = serving.queue_period_s, or
// else the serving engine's pure decode step at serving.batch (serving.decode_step_s; the lecture's
// ~20 ms HBM drain is the step of a batch that fills HBM), service time T, uniform arrivals at serving.batch / T so that the mean
// train carries serving.batch sequences, over `periods` periods (fewer when that would exceed
// `max_arrivals`, never fewer than 4 periods).
TrainQueueParams TrainQueueFromScenario(const Scenario& s, double periods, double max_arrivals = 2e5);

}  // namespace blackboard
