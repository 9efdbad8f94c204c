// Price reading for the boards: see price_reading.hpp.
#include "blackboard/price_reading.hpp"

#include "blackboard/serving.hpp"

#include <algorithm>
#include <cmath>

#include "blackboard/model.hpp"

namespace blackboard {

double PriceKinkContextTokens(const PriceSheet& p) {
  if (p.long_context.empty() || !(p.long_context.front().above_tokens > 0))
    throw ScenarioError("prices/" + p.name, "long_context", "[]",
                        "needs a long-context tier (above_tokens > 0) to read a price kink");
  return p.long_context.front().above_tokens;
}

KinkReading LectureKinkReading(const PriceSheet& p) {
  KinkReading k;
  k.kink_context_tokens = PriceKinkContextTokens(p);
  // lecture §1.11a: "N_act ~ 100B" is the lecture's guess for a frontier model's active parameters.
  k.params_active = 100e9;
  // lecture §1.11a: "(1/300)": the lecture's round FLOP/s : memory-bandwidth ratio (MACs per byte).
  k.flops_to_bandwidth_ratio = 300.0;
  k.kv_bytes_per_token = KvBytesPerTokenFromKink(k.kink_context_tokens, k.params_active, k.flops_to_bandwidth_ratio);
  k.kink_source = p.model + " price sheet (" + p.listing + ", " + p.date + ")";
  k.params_source = "lecture §1.11a guess";
  k.ratio_source = "lecture §1.11a round ratio";
  return k;
}

KinkReading ScenarioKinkReading(const PriceSheet& p, const Scenario& s) {
  KinkReading k;
  k.kink_context_tokens = PriceKinkContextTokens(p);
  k.params_active = CountParameters(s.model).active;
  k.flops_to_bandwidth_ratio = LectureFlopsToBandwidthRatio(s.hardware, s.serving.math);
  k.kv_bytes_per_token = KvBytesPerTokenFromKink(k.kink_context_tokens, k.params_active, k.flops_to_bandwidth_ratio);
  k.kink_source = p.model + " price sheet (" + p.listing + ", " + p.date + ")";
  k.params_source = s.model.name + " active parameters";
  k.ratio_source = s.hardware.name + " " + s.serving.math + " peak / (2 x HBM BW)";
  return k;
}

TrainQueueParams TrainQueueFromScenario(const Scenario& s, double periods, double max_arrivals) {
  TrainQueueParams q;
  // lecture §1.5: a train departs every decode step; the lecture's ~20 ms is the step of a batch that
  // fills HBM (HbmDrainS). At the scenario's batch it is the serving engine's pure decode step
  // (serving.decode_step_s), the step the batch board draws at the same batch.
  q.period_s = s.serving.queue_period_s > 0 ? s.serving.queue_period_s : EvaluateServing(s).decode.step_s;
  // lecture §1.5: "20 + 20 = 40 ms": the ride takes one period.
  q.service_s = q.period_s;
  // lecture §1.6: tokens/s = B / t_step, so a mean train of B sequences needs B / T arrivals per s.
  q.arrival_rate_per_s = s.serving.arrival_rate_per_s > 0 ? s.serving.arrival_rate_per_s
                                                          : static_cast<double>(s.serving.batch) / q.period_s;
  const double per_train = q.arrival_rate_per_s * q.period_s;
  const double fit = std::floor(max_arrivals / std::max(1.0, per_train));
  q.duration_s = std::max(4.0, std::min(periods, fit)) * q.period_s;
  q.process = ArrivalProcess::kUniform;
  q.seed = 1;
  return q;
}

}  // namespace blackboard
