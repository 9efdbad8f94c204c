// Parameter, KV-cache and FLOP counting for a transformer shape (dense, GQA/MQA/MLA, MoE).
//
// Use: `ParamCount p = CountParameters(model);` then p.total / p.active;
// `KvBytesPerToken(model, 2.0)` for a bf16 cache. Counts are exact for the presets' architectures
// (norm weights, biases, embeddings included), so they can be checked against published totals.
#pragma once

#include <cstdint>

#include "blackboard/scenario.hpp"

namespace blackboard {

struct ParamCount {
  double total = 0;            // every parameter
  double active = 0;           // parameters used per token (MoE: shared + top-k routed experts)
  double embedding = 0;        // input embedding table (not a matmul at run time)
  double unembedding = 0;      // output projection (0 when tied: the embedding is reused)
  double attention = 0;        // all layers
  double mlp_total = 0;        // all layers, all experts, routers included
  double mlp_active = 0;
  double norms_and_biases = 0; // norm weights, biases, learned positions
};

ParamCount CountParameters(const Model& m);

// KV-cache elements per token over all layers: MHA/GQA 2·kv_heads·head_dim·L, MQA 2·head_dim·L,
// MLA (kv_latent + rope_dim)·L (DeepSeek-V2 §2.1.4 Table 1; published-numbers DSV3-9).
double KvElementsPerToken(const Model& m);
inline double KvBytesPerToken(const Model& m, double bytes_per_element) {
  return KvElementsPerToken(m) * bytes_per_element;
}

// Matmul FLOPs per token in a forward pass: 2 x (active params - input embedding) (Kaplan eq. 2.2,
// KAP-2; the embedding lookup is not a matmul).
double MatmulFlopsPerToken(const Model& m);

// Attention score/value FLOPs per token attending to `context` earlier tokens, forward:
// 4 · L · context · heads · head_dim (Scaling Book transformers.md: 12BT²NH for training = 3 x fwd).
double AttentionFlopsPerToken(const Model& m, double context);

bool IsMoe(const Model& m);

}  // namespace blackboard
