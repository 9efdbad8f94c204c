// Scaling laws and whole-run compute: Chinchilla's loss fit and compute-optimal allocation, Kaplan's
// parameter and FLOP counts, and the lecture's balance of pre-training, RL and inference compute.
//
// Use: `ChinchillaLoss(70e9, 1.4e12)` (CH-2, published constants) or with `EpochChinchillaFit()`
// (Besiroglu et al. 2024's corrected constants, labelled as such); `ChinchillaOptimal(5.76e23)` gives
// N_opt and D_opt (CH-6); `KaplanParams(layers, d_model)` and `KaplanForwardFlopsPerToken`
// (KAP-1/2); `TrainingFlops(N, D)` = 6ND (KAP-3); `TrainingDays(flops, chips, peak, mfu)` (MEG-F3);
// `ComputeBudget(...)` the three bars of the budget board and the over-training factor (lecture §1.10).
#pragma once

#include <string>

namespace blackboard {

struct ChinchillaFit {
  std::string label;
  double E = 0, A = 0, B = 0, alpha = 0, beta = 0;
};
// Hoffmann et al. 2022 eq. 10 (CH-2): E 1.69, A 406.4, B 410.7, alpha 0.34, beta 0.28.
ChinchillaFit HoffmannChinchillaFit();
// Epoch AI replication (Besiroglu et al. 2024, arXiv 2404.10102; published-numbers 5.2 caveat):
// E 1.8172, A 482.01, B 2085.43, alpha 0.3478, beta 0.3658.
ChinchillaFit EpochChinchillaFit();

// L(N, D) = E + A/N^alpha + B/D^beta (CH-2).
double ChinchillaLoss(double params, double tokens, const ChinchillaFit& fit = HoffmannChinchillaFit());

struct ComputeOptimal {
  double params = 0, tokens = 0, tokens_per_param = 0;
  double G = 0, a = 0, b = 0;  // CH-6 constants
  double loss = 0;
};
// CH-6: N_opt = G (C/6)^a, D_opt = G^-1 (C/6)^b, G = (alpha A/(beta B))^(1/(alpha+beta)),
// a = beta/(alpha+beta), b = alpha/(alpha+beta).
ComputeOptimal ChinchillaOptimal(double flops, const ChinchillaFit& fit = HoffmannChinchillaFit());

// KAP-1: non-embedding parameters 2 d_model n_layer (2 d_attn + d_ff) (= 12 n_layer d_model^2 with
// d_attn = d_model, d_ff = 4 d_model).
double KaplanParams(double layers, double d_model, double d_attn, double d_ff);
// KAP-2: C_forward = 2N + 2 n_layer n_ctx d_attn per token.
double KaplanForwardFlopsPerToken(double params, double layers, double context, double d_attn);
// KAP-3 / CH-1: C = 6 N D.
double TrainingFlops(double params, double tokens);
// MEG-F3 read as time: days = flops / (chips x peak x mfu) / 86400.
double TrainingDays(double flops, double chips, double peak_flops_per_chip, double mfu);

// Lecture §1.10: C_pre = 6 N D_pre, C_RL = rl_flops_per_param N D_RL ineff_RL (2..6),
// C_inf = 2 N D_inf ineff_inf. Equalising C_pre with the larger of the others sets D_pre.
struct ComputeBudgetInput {
  double active_params = 100e9;
  double inference_tokens_per_s = 50e6;   // per model (lecture: 500M/s over a family of 5-10)
  double deployment_s = 60 * 86400.0;     // two months
  double inference_inefficiency = 1;      // 1 / decode MFU relative to training
  double rl_tokens = 0;                   // RL rollout tokens
  double rl_flops_per_param = 2;          // 2 = rollouts only, 6 = also trained on
  double rl_inefficiency = 1;
  double chinchilla_tokens_per_param = 20;  // CH-3 / lecture: D = 20 N
};
struct ComputeBudget {
  double inference_tokens = 0;
  double inference_flops = 0, rl_flops = 0;
  double pretrain_tokens = 0;             // D_pre with C_pre = max(C_inf, C_RL)
  double pretrain_flops = 0;
  double chinchilla_tokens = 0;           // 20 N
  double overtraining_factor = 0;         // D_pre / (20 N)
};
ComputeBudget BalanceCompute(const ComputeBudgetInput& in);

}  // namespace blackboard
