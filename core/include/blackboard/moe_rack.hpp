// The all-to-all of one mixture-of-experts layer over the GPUs of one or more racks (lecture.md §1.8).
//
// Use: `MoeAllToAll a = MoeLayerAllToAll({tokens, d_model, 2, k, gpus, racks}, topo);` then
// a.layer_s is dispatch + combine for one MoE layer, a.scaleout_bytes the bytes each GPU sends over
// its NIC in one all-to-all. Model: every GPU routes tokens/gpus tokens, each to k experts spread
// evenly over the gpus (experts placed E/gpus per GPU, routing uniform); a token copy bound for an
// expert on another GPU crosses scale-up (same rack, 2 hops GPU -> NVSwitch -> GPU) or scale-out
// (another rack). One all-to-all takes max over link classes of (alpha + bytes / bandwidth), the
// same split by destination as the EP term of TrainingStepTraffic (layout.hpp, nccl-tests
// (n-1)/n factor, published-numbers §8.1). Combine sends the same bytes back.
#pragma once

#include "blackboard/collectives.hpp"

namespace blackboard {

struct MoeAllToAllProblem {
  double tokens = 1;              // tokens in the layer's batch (all GPUs together)
  double d_model = 7168;
  double bytes_per_element = 2;   // activations on the wire (bf16)
  int experts_active = 8;         // k
  int gpus = 64;                  // GPUs holding the layer's experts
  int racks = 1;                  // the gpus split evenly over this many racks
};

struct MoeAllToAll {
  double tokens_per_gpu = 0;
  double bytes_per_token = 0;     // k x d_model x bytes: one token's copies to its experts
  double local_fraction = 0;      // of the copies: same GPU, same rack, other rack
  double scaleup_fraction = 0;
  double scaleout_fraction = 0;
  double scaleup_bytes = 0;       // per GPU, one direction, one all-to-all
  double scaleout_bytes = 0;
  double scaleup_s = 0;           // alpha + bytes / B of each link class
  double scaleout_s = 0;
  double all_to_all_s = 0;        // one all-to-all (dispatch or combine)
  double layer_s = 0;             // dispatch + combine
};

// Throws std::invalid_argument if gpus or racks < 1 or racks does not divide gpus.
MoeAllToAll MoeLayerAllToAll(const MoeAllToAllProblem& p, const ClusterTopology& links);

}  // namespace blackboard
