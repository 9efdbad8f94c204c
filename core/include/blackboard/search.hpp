// Plan search: every valid training plan of a model on the scenario's cluster, ranked.
//
// Use: `SearchResult r = SearchPlans(scenario, SearchOptions{});` then r.plans (fitting plans, fastest
// first), r.by_cost / r.by_headroom (indices into plans), r.pareto (step time against memory per
// chip), r.evaluated and r.seconds. `SearchResultJson(r, top)` is exactly what `blackboard search
// --json` prints ({"plans": [...], "evaluated": N, "seconds": S, "truncated": bool});
// `SearchResultText(r, top)` a table.
//
// A plan fixes dp, tp, pp, ep, cp, ZeRO stage, micro-batch, schedule (+ virtual stages) and recompute
// (sequence parallelism is on whenever tp > 1). Degrees must divide (tp | heads, tp·pp·cp | chips,
// dp·micro_batch | global_batch, ep | experts and ep | dp·tp, cp | seq_len) and the schedule must be
// able to run (interleaved: pp | m; DualPipe: even pp, m >= 2pp). Plans are timed with the
// closed-form bubbles (EvaluatePlan(..., simulate = false)); a cheap model-state lower bound prunes
// plans that cannot fit before they are timed. The global batch and sequence length are the
// scenario's; every plan uses all the cluster's chips.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "blackboard/scenario.hpp"
#include "blackboard/training.hpp"

namespace blackboard {

struct SearchOptions {
  int max_tp = 0;                       // 0 = chips per rack (TP stays inside the scale-up domain)
  int max_pp = 128;
  std::vector<int> cp{1, 2, 4, 8};
  std::vector<int> zero{0, 1, 2, 3};
  std::vector<int> micro_batch{1, 2, 4, 8};
  std::vector<std::string> schedules{"1f1b", "interleaved", "zb-h1", "zb-h2", "dualpipe", "dualpipe-v"};
  std::vector<int> virtual_stages{2, 4};  // for interleaved
  std::vector<std::string> recompute{"none", "selective", "full"};
  int max_ep = 0;                       // 0 = up to model.experts
  // training.math values tried; fp8 and mxfp8 only where hardware.fp8_flops > 0.
  std::vector<std::string> math{"bf16", "fp8"};
  // Work budget: a model with highly composite sizes has millions of plans. The search stops after
  // this many enumerated or timed plans and says so (SearchResult::truncated).
  long long max_evaluated = 2000000;
  long long max_timed = 100000;
};

struct SearchPlan {
  Training training;                    // the plan (dp resolved)
  double step_s = 0, mfu = 0, usd = 0, tokens_per_s = 0;
  double memory_per_chip_bytes = 0, headroom_bytes = 0;
  double bubble_fraction = 0, exposed_comm_s = 0;
  std::string bound;
};

struct SearchResult {
  std::vector<SearchPlan> plans;        // fitting plans, fastest first (ties: less memory first)
  std::vector<std::size_t> by_cost;     // cheapest first
  std::vector<std::size_t> by_headroom; // most memory headroom first
  std::vector<std::size_t> pareto;      // no other plan is both faster and lighter, by step time
  long long evaluated = 0;              // plans enumerated (valid degrees), timed or pruned
  long long timed = 0;                  // plans that passed the memory bound and were timed
  double seconds = 0;                   // wall time of the search (steady clock)
  bool truncated = false;               // stopped at SearchOptions::max_evaluated / max_timed
};

SearchResult SearchPlans(const Scenario& s, const SearchOptions& options = {});

// One plan as the CLI prints it: dp, tp, pp, ep, cp, zero, micro_batch, schedule, virtual_stages,
// recompute, math, step_s, mfu, usd, memory_per_chip_bytes (+ tokens_per_s, bubble_fraction, bound).
nlohmann::json SearchPlanJson(const SearchPlan& p);
// {"plans": [top plans, best first], "evaluated": N, "seconds": S}; top <= 0 = all plans.
nlohmann::json SearchResultJson(const SearchResult& r, int top = 10);
std::string SearchResultText(const SearchResult& r, int top = 10);

}  // namespace blackboard
