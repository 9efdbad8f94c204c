// Scaling laws. Index: Chinchilla fits | loss | compute-optimal | Kaplan counts | compute budget.
#include "blackboard/scaling.hpp"

#include <algorithm>
#include <cmath>

namespace blackboard {

ChinchillaFit HoffmannChinchillaFit() {
  return {"Hoffmann et al. 2022 eq. 10 (CH-2)", 1.69, 406.4, 410.7, 0.34, 0.28};
}
ChinchillaFit EpochChinchillaFit() {
  return {"Epoch AI correction, Besiroglu et al. 2024 (arXiv 2404.10102)", 1.8172, 482.01, 2085.43, 0.3478,
          0.3658};
}

double ChinchillaLoss(double params, double tokens, const ChinchillaFit& f) {
  return f.E + f.A / std::pow(params, f.alpha) + f.B / std::pow(tokens, f.beta);  // CH-2
}

ComputeOptimal ChinchillaOptimal(double flops, const ChinchillaFit& f) {
  ComputeOptimal o;
  o.G = std::pow(f.alpha * f.A / (f.beta * f.B), 1.0 / (f.alpha + f.beta));  // CH-6
  o.a = f.beta / (f.alpha + f.beta);
  o.b = f.alpha / (f.alpha + f.beta);
  o.params = o.G * std::pow(flops / 6.0, o.a);
  o.tokens = std::pow(flops / 6.0, o.b) / o.G;
  o.tokens_per_param = o.tokens / o.params;
  o.loss = ChinchillaLoss(o.params, o.tokens, f);
  return o;
}

double KaplanParams(double layers, double d_model, double d_attn, double d_ff) {
  return 2.0 * d_model * layers * (2.0 * d_attn + d_ff);  // KAP-1
}
double KaplanForwardFlopsPerToken(double params, double layers, double context, double d_attn) {
  return 2.0 * params + 2.0 * layers * context * d_attn;  // KAP-2
}
double TrainingFlops(double params, double tokens) { return 6.0 * params * tokens; }  // KAP-3
double TrainingDays(double flops, double chips, double peak, double mfu) {
  return flops / (chips * peak * mfu) / 86400.0;  // MEG-F3
}

ComputeBudget BalanceCompute(const ComputeBudgetInput& in) {
  ComputeBudget b;
  const double n = in.active_params;
  b.inference_tokens = in.inference_tokens_per_s * in.deployment_s;              // lecture §1.10 step 1-2
  b.inference_flops = 2.0 * n * b.inference_tokens * in.inference_inefficiency;  // C_inf = 2 N D ineff
  b.rl_flops = in.rl_flops_per_param * n * in.rl_tokens * in.rl_inefficiency;    // C_RL = (2..6) N D ineff
  // Heuristic (lecture §1.10): a falling and a rising cost are balanced where they are equal.
  b.pretrain_flops = std::max(b.inference_flops, b.rl_flops);
  b.pretrain_tokens = b.pretrain_flops / (6.0 * n);                               // C_pre = 6 N D
  b.chinchilla_tokens = in.chinchilla_tokens_per_param * n;                       // D = 20 N
  b.overtraining_factor = b.pretrain_tokens / b.chinchilla_tokens;
  return b;
}

}  // namespace blackboard
