// Plan search. Index: enumeration | memory lower bound | ranking and Pareto front | JSON / text.
#include "blackboard/search.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <numeric>
#include <sstream>
#include <stdexcept>

#include "blackboard/model.hpp"
#include "blackboard/report.hpp"

namespace blackboard {
namespace {

std::vector<int> Divisors(int n, int max) {
  std::vector<int> d;
  for (int i = 1; i <= std::min(n, max); ++i)
    if (n % i == 0) d.push_back(i);
  return d;
}

}  // namespace

SearchResult SearchPlans(const Scenario& s, const SearchOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  SearchResult out;
  const TrainingContext ctx = MakeTrainingContext(s, TrainingEfficiencyFromScenario(s));
  const Model& md = s.model;
  const int chips = s.cluster.racks * s.cluster.chips_per_rack;
  const int rack = std::max(1, s.cluster.chips_per_rack);
  const int gb = s.training.global_batch;
  const double capacity = s.hardware.hbm_bytes;
  const double total_params = ctx.prefix_dense.back() + ctx.prefix_expert.back() + ctx.embedding_params +
                              ctx.unembedding_params;
  const double expert_params = ctx.prefix_expert.back();
  const bool moe = IsMoe(md) && expert_params > 0;
  const std::vector<int> tps = Divisors(md.heads, o.max_tp > 0 ? o.max_tp : rack);
  const std::vector<int> eps = moe ? Divisors(md.experts, o.max_ep > 0 ? o.max_ep : md.experts)
                                   : std::vector<int>{1};

  std::vector<std::string> maths;
  for (const std::string& m : o.math)
    if (m == "bf16" || (s.hardware.fp8_flops > 0 && s.hardware.fp8_native)) maths.push_back(m);
  if (maths.empty()) maths.push_back(s.training.math);
  // Reserve for every plan the loops below can emit (an upper bound, capped): the vector then never
  // moves its plans, and pages no plan reaches are never touched (a growing vector re-faulted them).
  {
    std::size_t pps = 0;
    for (int pp = 1; pp <= std::min(md.layers, o.max_pp); ++pp) pps += chips % pp == 0 ? 1 : 0;
    const std::size_t per_pp = 1 + o.schedules.size() + o.virtual_stages.size();
    constexpr std::size_t kMaxReserved = std::size_t{1} << 18;  // ~80 MB of address space at most
    out.plans.reserve(std::min(kMaxReserved, tps.size() * o.cp.size() * pps * eps.size() * o.micro_batch.size() *
                                                 o.zero.size() * o.recompute.size() * per_pp * maths.size()));
  }
  Training plan = s.training;
  for (int tp : tps) {
    for (int cp : o.cp) {
      if (cp < 1 || s.training.seq_len % cp != 0) continue;
      for (int pp = 1; pp <= std::min(md.layers, o.max_pp); ++pp) {
        const long long model_par = static_cast<long long>(tp) * cp * pp;
        if (chips % model_par != 0) continue;
        const int dp = static_cast<int>(chips / model_par);
        for (int ep : eps) {
          if (ep > 1 && (dp * tp) % ep != 0) continue;
          for (int mb : o.micro_batch) {
            if (mb < 1 || gb % (dp * mb) != 0) continue;
            const int m = gb / (dp * mb);
            for (int zero : o.zero) {
              // Model-state lower bound (ZERO-F0..F3): the average chip's share, before activations.
              const double dense_psi = (total_params - expert_params) / (static_cast<double>(tp) * pp);
              const double exp_psi = expert_params / (static_cast<double>(ep) * pp);
              const double dshard = static_cast<double>(dp) * cp;
              const double eshard = static_cast<double>(dp) * tp * cp / ep;
              auto sh = [&](bool on) { return on ? dense_psi / dshard + exp_psi / eshard : dense_psi + exp_psi; };
              const double state = 2.0 * sh(zero >= 3) + 2.0 * sh(zero >= 2) + 12.0 * sh(zero >= 1);
              for (const std::string& rc : o.recompute) {
                struct Sched { const char* name; int v; };
                std::vector<Sched> scheds;
                if (pp == 1) {
                  scheds.push_back({"1f1b", 1});
                } else {
                  for (const std::string& name : o.schedules) {
                    if (name == "interleaved") {
                      if (m % pp != 0) continue;
                      for (int v : o.virtual_stages)
                        if (v > 1 && pp * v <= md.layers) scheds.push_back({"interleaved", v});
                    } else if (name == "dualpipe" || name == "dualpipe-v") {
                      if (pp % 2 != 0 || m < 2 * pp) continue;
                      if (name == "dualpipe-v" && 2 * pp > md.layers) continue;
                      scheds.push_back({name == "dualpipe" ? "dualpipe" : "dualpipe-v", 1});
                    } else {
                      scheds.push_back({name.c_str(), 1});
                    }
                  }
                }
                for (const Sched& sc : scheds) for (const std::string& math : maths) {
                  if (out.evaluated >= o.max_evaluated || out.timed >= o.max_timed) {
                    out.truncated = true;
                    goto enumeration_done;  // the work budget: out of eight nested loops at once
                  }
                  ++out.evaluated;
                  const double copies = std::string(sc.name) == "dualpipe" ? 2.0 : 1.0;
                  if (state * copies > capacity) continue;  // prune: cannot fit even without activations
                  plan.dp = dp; plan.tp = tp; plan.pp = pp; plan.ep = ep; plan.cp = cp; plan.zero = zero;
                  plan.micro_batch = mb; plan.schedule = sc.name; plan.virtual_stages = sc.v;
                  plan.recompute = rc; plan.sequence_parallel = tp > 1; plan.math = math;
                  ++out.timed;
                  const TrainingReport r = EvaluatePlan(ctx, plan, false);
                  if (!r.fits) continue;
                  SearchPlan p;
                  p.training = plan;
                  p.step_s = r.step_s; p.mfu = r.mfu; p.usd = r.usd; p.tokens_per_s = r.tokens_per_s;
                  p.memory_per_chip_bytes = r.memory.total_bytes;
                  p.headroom_bytes = capacity - r.memory.total_bytes;
                  p.bubble_fraction = r.bubble_fraction; p.exposed_comm_s = r.exposed_comm_s;
                  p.bound = r.bound;
                  out.plans.push_back(std::move(p));
                }
              }
            }
          }
        }
      }
    }
  }
enumeration_done:
  // Fastest first; ties by memory, then by enumeration order (stable: deterministic). The order is
  // found on indices and applied with one move per plan (a plan carries strings: moving plans
  // through a merge sort cost more than the sort).
  const std::size_t n = out.plans.size();
  {
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t i, std::size_t j) {
      const SearchPlan& a = out.plans[i];
      const SearchPlan& b = out.plans[j];
      if (a.step_s != b.step_s) return a.step_s < b.step_s;
      return a.memory_per_chip_bytes < b.memory_per_chip_bytes;
    });
    std::vector<SearchPlan> sorted;
    sorted.reserve(n);
    for (std::size_t i : order) sorted.push_back(std::move(out.plans[i]));
    out.plans = std::move(sorted);
  }
  out.by_cost.resize(n);
  std::iota(out.by_cost.begin(), out.by_cost.end(), std::size_t{0});
  out.by_headroom = out.by_cost;
  std::stable_sort(out.by_cost.begin(), out.by_cost.end(),
                   [&](std::size_t a, std::size_t b) { return out.plans[a].usd < out.plans[b].usd; });
  std::stable_sort(out.by_headroom.begin(), out.by_headroom.end(), [&](std::size_t a, std::size_t b) {
    return out.plans[a].headroom_bytes > out.plans[b].headroom_bytes;
  });
  // Pareto front over (step time, memory): scanning fastest first, keep a plan when it uses less
  // memory than every faster plan kept so far.
  double best_mem = 1e300;
  for (std::size_t i = 0; i < n; ++i) {
    if (out.plans[i].memory_per_chip_bytes < best_mem) {
      out.pareto.push_back(i);
      best_mem = out.plans[i].memory_per_chip_bytes;
    }
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

nlohmann::json SearchPlanJson(const SearchPlan& p) {
  const Training& t = p.training;
  return {{"dp", t.dp},
          {"tp", t.tp},
          {"pp", t.pp},
          {"ep", t.ep},
          {"cp", t.cp},
          {"zero", t.zero},
          {"micro_batch", t.micro_batch},
          {"schedule", t.schedule},
          {"virtual_stages", t.virtual_stages},
          {"recompute", t.recompute},
          {"math", t.math},
          {"sequence_parallel", t.sequence_parallel},
          {"step_s", p.step_s},
          {"mfu", p.mfu},
          {"usd", p.usd},
          {"memory_per_chip_bytes", p.memory_per_chip_bytes},
          {"tokens_per_s", p.tokens_per_s},
          {"bubble_fraction", p.bubble_fraction},
          {"bound", p.bound}};
}

nlohmann::json SearchResultJson(const SearchResult& r, int top) {
  nlohmann::json plans = nlohmann::json::array();
  const std::size_t n = top > 0 ? std::min(r.plans.size(), static_cast<std::size_t>(top)) : r.plans.size();
  for (std::size_t i = 0; i < n; ++i) plans.push_back(SearchPlanJson(r.plans[i]));
  return {{"plans", plans}, {"evaluated", r.evaluated}, {"seconds", r.seconds}, {"truncated", r.truncated}};
}

std::string SearchResultText(const SearchResult& r, int top) {
  std::ostringstream o;
  char buf[256];
  std::snprintf(buf, sizeof buf, "%4s %5s %3s %3s %3s %3s %4s %3s  %-12s %-9s %-5s %10s %6s %10s %9s  %s\n", "#",
                "dp", "tp", "pp", "ep", "cp", "zero", "mb", "schedule", "recompute", "math", "step", "mfu",
                "usd", "mem/chip", "bound");
  o << buf;
  const std::size_t n = top > 0 ? std::min(r.plans.size(), static_cast<std::size_t>(top)) : r.plans.size();
  for (std::size_t i = 0; i < n; ++i) {
    const SearchPlan& p = r.plans[i];
    const Training& t = p.training;
    const std::string sched = t.schedule + (t.virtual_stages > 1 ? " v" + std::to_string(t.virtual_stages) : "");
    std::snprintf(buf, sizeof buf, "%4zu %5d %3d %3d %3d %3d %4d %3d  %-12s %-9s %-5s %10s %5.1f%% %10s %9s  %s\n",
                  i + 1, t.dp, t.tp, t.pp, t.ep, t.cp, t.zero, t.micro_batch, sched.c_str(),
                  t.recompute.c_str(), t.math.c_str(), FormatSeconds(p.step_s).c_str(), 100.0 * p.mfu,
                  FormatUsd(p.usd).c_str(), FormatBytes(p.memory_per_chip_bytes).c_str(), p.bound.c_str());
    o << buf;
  }
  std::snprintf(buf, sizeof buf, "%zu plans fit of %lld evaluated (%lld timed) in %.3f s; Pareto front (time vs memory): %zu plans\n",
                r.plans.size(), r.evaluated, r.timed, r.seconds, r.pareto.size());
  o << buf;
  if (r.truncated) {
    std::snprintf(buf, sizeof buf,
                  "search stopped at its work budget (%lld plans enumerated, %lld timed): these are the best of "
                  "those; fix a degree (e.g. --set training.tp=8) to search the rest\n",
                  r.evaluated, r.timed);
    o << buf;
  }
  return o.str();
}

}  // namespace blackboard
