// Parameter, KV and FLOP counting. Index: CountParameters, KvElementsPerToken, MatmulFlopsPerToken,
// AttentionFlopsPerToken.
#include "blackboard/model.hpp"

#include <algorithm>

namespace blackboard {

bool IsMoe(const Model& m) { return m.experts > 1; }

namespace {

double MlpMatrices(const Model& m) { return m.mlp == "gated" ? 3.0 : 2.0; }

// One layer's attention projections (weights + biases).
double AttentionParamsPerLayer(const Model& m) {
  const double d = m.d_model, h = m.heads, hd = m.head_dim;
  if (m.attention == "mla") {
    // DeepSeek-V2/V3 MLA: low-rank query (q_latent) and joint KV (kv_latent) with decoupled RoPE keys;
    // query/key head dim = head_dim + rope_dim, value head dim = head_dim (DeepSeek-V2 §2.1).
    const double qk = hd + m.rope_dim;
    const double q = m.q_latent > 0 ? d * m.q_latent + m.q_latent + m.q_latent * h * qk : d * h * qk;
    const double kv = d * (m.kv_latent + m.rope_dim) + m.kv_latent + m.kv_latent * h * (hd + hd);
    return q + kv + h * hd * d;
  }
  const double kv = m.attention == "mqa" ? 1.0 : m.attention == "mha" ? h : m.kv_heads;
  double p = d * h * hd + 2 * d * kv * hd + h * hd * d;
  if (m.bias) p += h * hd + 2 * kv * hd + d;
  return p;
}

double DenseMlpParams(const Model& m, double d_ff) {
  double p = MlpMatrices(m) * m.d_model * d_ff;
  if (m.bias) p += (m.mlp == "gated" ? 2 * d_ff : d_ff) + m.d_model;
  return p;
}

double NormParamsPerLayer(const Model& m) {
  const double per_norm = m.norm == "layernorm" ? 2.0 * m.d_model : m.d_model;
  return (m.parallel_block ? 1 : 2) * per_norm;
}

}  // namespace

ParamCount CountParameters(const Model& m) {
  ParamCount c;
  const double layers = m.layers;
  const double moe_layers = IsMoe(m) ? std::max(0, m.layers - m.dense_layers) : 0;
  const double dense_layers = layers - moe_layers;

  c.attention = layers * AttentionParamsPerLayer(m);
  const double dense_mlp = DenseMlpParams(m, m.d_ff);
  double mlp_total = dense_layers * dense_mlp;
  double mlp_active = mlp_total;
  if (moe_layers > 0) {
    const double expert = DenseMlpParams(m, m.d_ff_expert);
    const double router = static_cast<double>(m.d_model) * m.experts;
    mlp_total += moe_layers * ((m.experts + m.shared_experts) * expert + router);
    mlp_active += moe_layers * ((m.experts_active + m.shared_experts) * expert + router);
  }
  c.mlp_total = mlp_total;
  c.mlp_active = mlp_active;
  c.embedding = static_cast<double>(m.vocab) * m.d_model;
  c.unembedding = m.tied_embeddings ? 0.0 : c.embedding;
  const double final_norm = m.norm == "layernorm" ? 2.0 * m.d_model : m.d_model;
  c.norms_and_biases = layers * NormParamsPerLayer(m) + final_norm +
                       static_cast<double>(m.learned_positions) * m.d_model;
  // Biases of the projections are inside attention/mlp above; norms_and_biases holds the rest.
  const double shared = c.attention + c.embedding + c.unembedding + c.norms_and_biases;
  c.total = shared + c.mlp_total;
  c.active = shared + c.mlp_active;
  return c;
}

double KvElementsPerToken(const Model& m) {
  if (m.attention == "mla") return static_cast<double>(m.kv_latent + m.rope_dim) * m.layers;
  const double kv = m.attention == "mqa" ? 1.0 : m.attention == "mha" ? m.heads : m.kv_heads;
  return 2.0 * kv * m.head_dim * m.layers;
}

double MatmulFlopsPerToken(const Model& m) {
  const ParamCount c = CountParameters(m);
  const double positions = static_cast<double>(m.learned_positions) * m.d_model;
  return 2.0 * (c.active - c.embedding - positions);
}

double AttentionFlopsPerToken(const Model& m, double context) {
  return 4.0 * m.layers * context * m.heads * m.head_dim;
}

}  // namespace blackboard
