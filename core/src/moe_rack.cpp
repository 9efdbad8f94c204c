// MoE dispatch/combine all-to-all inside one rack or split over racks (lecture.md §1.8).
#include "blackboard/moe_rack.hpp"

#include <algorithm>
#include <stdexcept>

namespace blackboard {

MoeAllToAll MoeLayerAllToAll(const MoeAllToAllProblem& p, const ClusterTopology& links) {
  if (p.gpus < 1 || p.racks < 1 || p.gpus % p.racks != 0)
    throw std::invalid_argument("MoeLayerAllToAll: racks must divide gpus (both >= 1)");
  MoeAllToAll a;
  const double g = p.gpus, per_rack = static_cast<double>(p.gpus / p.racks);
  a.tokens_per_gpu = p.tokens / g;
  a.bytes_per_token = p.experts_active * p.d_model * p.bytes_per_element;
  // Uniform routing over evenly placed experts: 1/g of the copies stay on the GPU, (per_rack-1)/g
  // cross the NVSwitches, (g-per_rack)/g leave the rack.
  a.local_fraction = 1 / g;
  a.scaleup_fraction = (per_rack - 1) / g;
  a.scaleout_fraction = (g - per_rack) / g;
  const double sent = a.tokens_per_gpu * a.bytes_per_token;
  a.scaleup_bytes = sent * a.scaleup_fraction;
  a.scaleout_bytes = sent * a.scaleout_fraction;
  if (a.scaleup_bytes > 0)
    a.scaleup_s = links.scaleup.latency_s + a.scaleup_bytes / links.scaleup.bytes_per_s;
  if (a.scaleout_bytes > 0)
    a.scaleout_s = links.scaleout.latency_s + a.scaleout_bytes / links.scaleout.bytes_per_s;
  a.all_to_all_s = std::max(a.scaleup_s, a.scaleout_s);
  a.layer_s = 2 * a.all_to_all_s;
  return a;
}

}  // namespace blackboard
