// Reading API prices. Index: JSON helpers | 1 context cost, kink, inverse, KV layouts |
// 2 input/output | 3 storage tiers (cost, envelope, drain rule, presets) | 4 fast/slow mode |
// 5 train departure queue (splitmix64) | 6 price sheets.
// Formulas: lecture.md §1.2 (roofline), §1.5 (train departure, drain time), §1.6 (throughput),
// §1.11a-e (API prices); test vectors in lecture.md §6.
#include "blackboard/pricing.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "blackboard/assets.hpp"
#include "blackboard/json_input.hpp"
#include "blackboard/model.hpp"

namespace blackboard {

using nlohmann::json;

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

std::string Num(double v) {
  std::ostringstream ss;
  ss << v;
  return ss.str();
}

std::string Show(const json& v) { return ShowJson(v); }

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// Rejects keys outside `allowed` so a typo in a data file is named rather than ignored.
void CheckKeys(const json& obj, const std::string& src, const std::string& prefix,
               const std::vector<std::string>& allowed) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (std::find(allowed.begin(), allowed.end(), it.key()) == allowed.end())
      throw ScenarioError(src, prefix + it.key(), Show(it.value()), "is not a known field (known: " + Join(allowed) + ")");
  }
}

// A finite number in [lo, hi]; `fallback` when absent and not required.
double ReadNumber(const json& obj, const std::string& key, const std::string& src, const std::string& prefix,
                  double lo, double hi, bool required, double fallback = 0) {
  const std::string field = prefix + key;
  const std::string range = "must be a number in [" + Num(lo) + ", " + Num(hi) + "]";
  if (!obj.contains(key)) {
    if (required) throw ScenarioError(src, field, "", "is missing; it " + range);
    return fallback;
  }
  const json& v = obj.at(key);
  if (!v.is_number()) throw ScenarioError(src, field, Show(v), range);
  const double x = v.get<double>();
  if (!std::isfinite(x) || x < lo || x > hi) throw ScenarioError(src, field, Show(v), range);
  return x;
}

std::string ReadString(const json& obj, const std::string& key, const std::string& src, const std::string& prefix,
                       bool required) {
  const std::string field = prefix + key;
  if (!obj.contains(key)) {
    if (required) throw ScenarioError(src, field, "", "is missing; it must be a non-empty string");
    return "";
  }
  const json& v = obj.at(key);
  if (!v.is_string() || (required && v.get<std::string>().empty()))
    throw ScenarioError(src, field, Show(v), "must be a non-empty string");
  return v.get<std::string>();
}

std::map<std::string, std::string> ReadSources(const json& obj, const std::string& src, const std::string& prefix) {
  std::map<std::string, std::string> out;
  if (!obj.contains("sources")) return out;
  const json& v = obj.at("sources");
  if (!v.is_object()) throw ScenarioError(src, prefix + "sources", Show(v), "must be an object of field -> source text");
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (!it.value().is_string())
      throw ScenarioError(src, prefix + "sources." + it.key(), Show(it.value()), "must be a string");
    out[it.key()] = it.value().get<std::string>();
  }
  return out;
}

json ReadJsonAsset(const std::string& kind, const std::string& name, std::string& path_out) {
  const std::vector<std::string> known = ListAssets(kind);
  if (std::find(known.begin(), known.end(), name) == known.end())
    throw ScenarioError(AssetDir() + "/" + kind, kind, name, "must be one of: " + Join(known));
  path_out = (std::filesystem::path(AssetDir()) / kind / (name + ".json")).string();
  return ReadJsonFile(path_out);
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// 1. Context cost
// ---------------------------------------------------------------------------------------------

ContextCostInputs ContextCostInputsFromScenario(const Scenario& s) {
  const ServingModel sm = MakeServingModel(s);
  ContextCostInputs in;
  // The batch loops through pp stages as micro-batches; one stage's chips serve b = B/pp (§1.9).
  in.batch = s.serving.batch / sm.stages;
  in.matmul_flops_per_token = sm.matmul_flops_per_token;
  // Scaling Book transformers.md via model.hpp: 4·L·ctx·heads·head_dim, linear in ctx.
  in.attention_flops_per_token_per_context = AttentionFlopsPerToken(s.model, 1.0);
  in.weight_bytes_total = sm.weight_bytes_total;
  in.kv_bytes_per_token = sm.kv_bytes_per_token;
  in.flops_per_s = sm.chips_per_stage * sm.flops_per_chip;
  in.hbm_bytes_per_s = sm.chips_per_stage * sm.hbm_bytes_per_s;
  in.usd_per_s = sm.chips_per_stage * sm.usd_per_chip_s;
  return in;
}

ContextCostPoint ContextCostAt(const ContextCostInputs& in, double context_tokens) {
  ContextCostPoint p;
  p.context_tokens = context_tokens;
  // lecture §1.2 divided by B: t_compute/B = N_act/FLOPs (+ attention, §1.11a "tiny slope").
  p.compute_s_per_token =
      (in.matmul_flops_per_token + in.attention_flops_per_token_per_context * context_tokens) / in.flops_per_s;
  // lecture §1.2: t_mem/B = N_total/(B·mem_bw) + len_ctx·bytes_tok/mem_bw.
  p.weights_s_per_token = in.weight_bytes_total / (in.batch * in.hbm_bytes_per_s);
  p.kv_s_per_token = context_tokens * in.kv_bytes_per_token / in.hbm_bytes_per_s;
  p.memory_s_per_token = p.weights_s_per_token + p.kv_s_per_token;
  // lecture §1.2: t >= max(t_compute, t_mem); cost/token = t/B x $/s.
  p.time_s_per_token = std::max(p.compute_s_per_token, p.memory_s_per_token);
  p.memory_bound = p.memory_s_per_token > p.compute_s_per_token;
  p.usd_per_token = p.time_s_per_token * in.usd_per_s;
  return p;
}

ContextKink ContextKinkOf(const ContextCostInputs& in) {
  // lecture §1.11a: memory(ctx) = compute(ctx), both linear in ctx: i0 + slope·ctx = 0.
  const double i0 = in.weight_bytes_total / (in.batch * in.hbm_bytes_per_s) - in.matmul_flops_per_token / in.flops_per_s;
  const double slope = in.kv_bytes_per_token / in.hbm_bytes_per_s - in.attention_flops_per_token_per_context / in.flops_per_s;
  ContextKink k;
  if (i0 < 0 && slope > 0) {
    k.kind = ContextKink::Kind::kAt;
    k.context_tokens = -i0 / slope;
  } else if (i0 > 0 && slope < 0) {
    k.kind = ContextKink::Kind::kComputeOvertakes;
    k.context_tokens = -i0 / slope;
  } else if (i0 >= 0) {
    k.kind = ContextKink::Kind::kMemoryBoundEverywhere;
    k.context_tokens = 0;
  } else {
    k.kind = ContextKink::Kind::kComputeBoundEverywhere;
    k.context_tokens = kInf;
  }
  return k;
}

std::vector<ContextCostPoint> ContextCostCurve(const ContextCostInputs& in, double min_context_tokens,
                                               double max_context_tokens, int points) {
  if (!(min_context_tokens > 0) || !(max_context_tokens > min_context_tokens))
    throw ScenarioError("context curve", "min_context_tokens", Num(min_context_tokens),
                        "must satisfy 0 < min < max = " + Num(max_context_tokens));
  if (points < 2) throw ScenarioError("context curve", "points", std::to_string(points), "must be >= 2");
  std::vector<ContextCostPoint> out;
  out.reserve(static_cast<size_t>(points));
  const double log_ratio = std::log(max_context_tokens / min_context_tokens);
  for (int i = 0; i < points; ++i) {
    const double f = static_cast<double>(i) / static_cast<double>(points - 1);
    const double ctx = i == points - 1 ? max_context_tokens : min_context_tokens * std::exp(log_ratio * f);
    out.push_back(ContextCostAt(in, ctx));
  }
  return out;
}

double LectureFlopsToBandwidthRatio(const Hardware& h, const std::string& math) {
  // lecture §1.1/§1.4: the lecture's FLOPs are multiply-accumulates, so ratio = peak/2 / mem_bw.
  return PeakFlops(h, math) / (2.0 * h.hbm_bytes_per_s);
}

double KvBytesPerTokenFromKink(double kink_context_tokens, double params_active, double flops_to_bandwidth_ratio) {
  // lecture §1.11a, test vector 5: bytes_tok = (mem_bw/FLOPs)·N_act/len_ctx.
  return params_active / (flops_to_bandwidth_ratio * kink_context_tokens);
}

double KvBytesPerTokenOfLayout(double attention_layers, double kv_heads, double head_dim, double bytes_per_element,
                               double sparse_divisor) {
  // lecture §1.11a: bytes_tok = n_attn_layers × 2 × d_head × n_kv_heads (x bytes/element [D]).
  return attention_layers * 2.0 * head_dim * kv_heads * bytes_per_element / sparse_divisor;
}

std::vector<KvArchitecture> KvArchitectureCandidates(double target_bytes_per_token, int reference_layers) {
  auto make = [&](std::string name, double layers, double kv_heads, double head_dim, double bytes, double divisor) {
    KvArchitecture a;
    a.name = std::move(name);
    a.attention_layers = layers;
    a.kv_heads = kv_heads;
    a.head_dim = head_dim;
    a.bytes_per_element = bytes;
    a.sparse_divisor = divisor;
    a.kv_bytes_per_token = KvBytesPerTokenOfLayout(layers, kv_heads, head_dim, bytes, divisor);
    a.ratio_to_target = a.kv_bytes_per_token / target_bytes_per_token;
    return a;
  };
  // Layers that best fit the target for a per-layer size, at least one.
  auto fit_layers = [&](double per_layer) { return std::max(1.0, std::round(target_bytes_per_token / per_layer)); };
  std::vector<KvArchitecture> out;
  auto add = [&](KvArchitecture a) {
    for (const KvArchitecture& b : out)  // a fitted layer count can repeat an earlier layout
      if (b.attention_layers == a.attention_layers && b.kv_heads == a.kv_heads && b.head_dim == a.head_dim &&
          b.bytes_per_element == a.bytes_per_element && b.sparse_divisor == a.sparse_divisor)
        return;
    out.push_back(std::move(a));
  };
  // lecture §1.11a: global KV shared across layers (Character.AI / Gemma style), d_head 128, 8 KV heads.
  add(make("one KV shared across layers, GQA 8 x 128, 1 B", 1, 8, 128, 1, 1));
  const double gqa8_fp8 = KvBytesPerTokenOfLayout(1, 8, 128, 1);
  add(make("GQA 8 x 128 global layers, 1 B", fit_layers(gqa8_fp8), 8, 128, 1, 1));
  const double mqa_fp8 = KvBytesPerTokenOfLayout(1, 1, 128, 1);
  add(make("MQA 1 x 128 global layers, 1 B", fit_layers(mqa_fp8), 1, 128, 1, 1));
  const double mqa_bf16 = KvBytesPerTokenOfLayout(1, 1, 128, 2);
  add(make("MQA 1 x 128 global layers, bf16", fit_layers(mqa_bf16), 1, 128, 2, 1));
  // lecture §1.2/§1.11a: sparse attention reads a fraction of the KV; the divisor that reaches the target.
  const double dense_full = KvBytesPerTokenOfLayout(reference_layers, 8, 128, 2);
  add(make(std::to_string(reference_layers) + "-layer GQA 8 x 128 bf16, sparse attention",
                     reference_layers, 8, 128, 2, std::max(1.0, dense_full / target_bytes_per_token)));
  return out;
}

// ---------------------------------------------------------------------------------------------
// 2. Input against output
// ---------------------------------------------------------------------------------------------

double DecodeToPrefillMfuRatio(double input_usd_per_mtok, double output_usd_per_mtok) {
  // lecture §1.11b: cost per token ∝ 1/MFU at equal FLOPs per token, so 5x price -> MFU 1/5.
  return input_usd_per_mtok / output_usd_per_mtok;
}

InputOutputCosts EngineInputOutputCosts(const Scenario& s) {
  const ServingReport r = EvaluateServing(s);
  InputOutputCosts c;
  c.input_usd_per_mtok = r.usd_per_mtok_input;
  c.output_usd_per_mtok = r.usd_per_mtok_output;
  c.output_to_input = c.output_usd_per_mtok / c.input_usd_per_mtok;
  c.mfu_prefill = r.mfu_prefill;
  c.mfu_decode = r.mfu_decode;
  c.mfu_decode_to_prefill = r.mfu_decode / r.mfu_prefill;
  c.output_tokens_per_usd = 1e6 / c.output_usd_per_mtok;
  c.input_tokens_per_usd = 1e6 / c.input_usd_per_mtok;
  return c;
}

// ---------------------------------------------------------------------------------------------
// 3. Storage tiers
// ---------------------------------------------------------------------------------------------

double StorageTier::DrainS() const {
  // lecture §1.5/§1.11d: drain time = capacity / bandwidth.
  return remat ? 0.0 : capacity_bytes / bytes_per_s;
}

TierWorkload TierWorkloadFromScenario(const Scenario& s) {
  const ServingModel sm = MakeServingModel(s);
  TierWorkload w;
  w.kv_bytes_per_token = sm.kv_bytes_per_token;
  w.params_active = sm.params_active;
  w.gpu_flops_per_s = sm.flops_per_chip;
  w.gpu_usd_per_s = sm.usd_per_chip_s;
  return w;
}

TierCost TierCostFor(const StorageTier& t, const TierWorkload& w, double hold_s) {
  TierCost c;
  c.tier = t.name;
  if (t.remat) {
    // lecture §1.11d: remat holds nothing; retrieve = 2·N_act/FLOPs × $GPU/s per token.
    c.hold_usd_per_token_s = 0;
    c.retrieve_usd_per_token = 2.0 * w.params_active / w.gpu_flops_per_s * w.gpu_usd_per_s;
  } else {
    const double tier_usd_per_s = t.usd_per_hour / 3600.0;
    // lecture §1.11d: hold cost/s = bytes_tok / capacity × $tier/s.
    c.hold_usd_per_token_s = w.kv_bytes_per_token / t.capacity_bytes * tier_usd_per_s;
    // lecture §1.11d: retrieve = bytes_tok / BW_tier (copy into HBM), billed to the waiting GPU or the tier.
    c.retrieve_usd_per_token =
        w.kv_bytes_per_token / t.bytes_per_s * (t.retrieve_billed_to_gpu ? w.gpu_usd_per_s : tier_usd_per_s);
  }
  c.hold_usd_per_token = c.hold_usd_per_token_s * hold_s;
  c.total_usd_per_token = c.hold_usd_per_token + c.retrieve_usd_per_token;
  return c;
}

TierCost CheapestTier(const std::vector<StorageTier>& tiers, const TierWorkload& w, double hold_s) {
  if (tiers.empty()) throw ScenarioError("tiers", "tiers", "[]", "must list at least one tier");
  TierCost best = TierCostFor(tiers.front(), w, hold_s);
  for (size_t i = 1; i < tiers.size(); ++i) {
    const TierCost c = TierCostFor(tiers[i], w, hold_s);
    // Ties go to the cheaper-to-hold tier: it stays cheapest for every longer hold.
    if (c.total_usd_per_token < best.total_usd_per_token ||
        (c.total_usd_per_token == best.total_usd_per_token && c.hold_usd_per_token_s < best.hold_usd_per_token_s))
      best = c;
  }
  return best;
}

double CrossoverHoldS(const StorageTier& a, const StorageTier& b, const TierWorkload& w) {
  // Two lines total = retrieve + slope·hold (lecture §1.11d) meet at Δretrieve / Δslope.
  const TierCost ca = TierCostFor(a, w, 0), cb = TierCostFor(b, w, 0);
  const double dslope = ca.hold_usd_per_token_s - cb.hold_usd_per_token_s;
  if (dslope == 0) return kInf;
  return (cb.retrieve_usd_per_token - ca.retrieve_usd_per_token) / dslope;
}

std::vector<TierSpan> CheapestTierSpans(const std::vector<StorageTier>& tiers, const TierWorkload& w) {
  std::vector<TierSpan> spans;
  if (tiers.empty()) return spans;
  std::vector<TierCost> cost;
  for (const StorageTier& t : tiers) cost.push_back(TierCostFor(t, w, 0));
  size_t cur = 0;
  for (size_t i = 1; i < cost.size(); ++i)
    if (cost[i].retrieve_usd_per_token < cost[cur].retrieve_usd_per_token ||
        (cost[i].retrieve_usd_per_token == cost[cur].retrieve_usd_per_token &&
         cost[i].hold_usd_per_token_s < cost[cur].hold_usd_per_token_s))
      cur = i;
  double from = 0;
  // Lower envelope of lines: only a flatter line can take over, at the earliest crossing.
  for (;;) {
    size_t next = cur;
    double at = kInf;
    for (size_t j = 0; j < cost.size(); ++j) {
      if (cost[j].hold_usd_per_token_s >= cost[cur].hold_usd_per_token_s) continue;
      const double t = (cost[j].retrieve_usd_per_token - cost[cur].retrieve_usd_per_token) /
                       (cost[cur].hold_usd_per_token_s - cost[j].hold_usd_per_token_s);
      const double tt = std::max(t, from);
      if (tt < at || (tt == at && cost[j].hold_usd_per_token_s < cost[next].hold_usd_per_token_s)) {
        at = tt;
        next = j;
      }
    }
    spans.push_back({cost[cur].tier, from, at});
    if (next == cur || !std::isfinite(at)) break;
    from = at;
    cur = next;
  }
  return spans;
}

const StorageTier& TierByDrainRule(const std::vector<StorageTier>& tiers, double hold_s) {
  // lecture §1.11d: choose the tier whose drain time (capacity / bandwidth) ≈ hold time.
  const StorageTier* best = nullptr;
  double best_d = kInf;
  for (const StorageTier& t : tiers) {
    if (t.remat) continue;
    const double d = std::fabs(std::log(t.DrainS() / hold_s));
    if (d < best_d) {
      best_d = d;
      best = &t;
    }
  }
  if (!best) throw ScenarioError("tiers", "tiers", "", "must list at least one stored (non-remat) tier");
  return *best;
}

StorageTier HbmTierFromHardware(const Hardware& h) {
  StorageTier t;
  t.name = "hbm";
  t.capacity_bytes = h.hbm_bytes;
  t.bytes_per_s = h.hbm_bytes_per_s;
  t.usd_per_hour = h.usd_per_hour;
  t.retrieve_billed_to_gpu = true;
  for (const char* f : {"hbm_bytes", "hbm_bytes_per_s", "usd_per_hour"}) {
    auto it = h.sources.find(f);
    t.sources[f] = "hardware " + h.name + (it != h.sources.end() ? ": " + it->second : "");
  }
  return t;
}

TierSet TierSetFromJson(const json& doc, const std::string& source) {
  if (!doc.is_object()) throw ScenarioError(source, "(document)", Show(doc), "must be a JSON object");
  CheckKeys(doc, source, "", {"name", "description", "tiers"});
  TierSet set;
  set.name = ReadString(doc, "name", source, "", false);
  set.description = ReadString(doc, "description", source, "", false);
  if (!doc.contains("tiers") || !doc.at("tiers").is_array() || doc.at("tiers").empty())
    throw ScenarioError(source, "tiers", doc.contains("tiers") ? Show(doc.at("tiers")) : "",
                        "must be a non-empty array of tiers, fastest first");
  std::set<std::string> names;
  const json& arr = doc.at("tiers");
  for (size_t i = 0; i < arr.size(); ++i) {
    const json& o = arr[i];
    const std::string pre = "tiers[" + std::to_string(i) + "].";
    if (!o.is_object()) throw ScenarioError(source, "tiers[" + std::to_string(i) + "]", Show(o), "must be an object");
    CheckKeys(o, source, pre,
              {"name", "kind", "capacity_bytes", "bytes_per_s", "usd_per_hour", "retrieve_billed_to", "sources",
               "description"});
    StorageTier t;
    t.name = ReadString(o, "name", source, pre, true);
    if (!names.insert(t.name).second) throw ScenarioError(source, pre + "name", t.name, "must be unique in the set");
    const std::string kind = ReadString(o, "kind", source, pre, false);
    if (!kind.empty() && kind != "remat" && kind != "stored")
      throw ScenarioError(source, pre + "kind", kind, "must be \"remat\" or \"stored\"");
    t.remat = kind == "remat";
    if (!t.remat) {
      t.capacity_bytes = ReadNumber(o, "capacity_bytes", source, pre, 1e6, 1e16, true);
      t.bytes_per_s = ReadNumber(o, "bytes_per_s", source, pre, 1e3, 1e15, true);
      t.usd_per_hour = ReadNumber(o, "usd_per_hour", source, pre, 0, 1e4, true);
      const std::string billed = ReadString(o, "retrieve_billed_to", source, pre, false);
      if (!billed.empty() && billed != "gpu" && billed != "tier")
        throw ScenarioError(source, pre + "retrieve_billed_to", billed, "must be \"gpu\" or \"tier\"");
      t.retrieve_billed_to_gpu = billed != "tier";
    }
    t.sources = ReadSources(o, source, pre);
    set.tiers.push_back(std::move(t));
  }
  return set;
}

TierSet LoadTierSet(const std::string& name) {
  std::string path;
  const json doc = ReadJsonAsset("tiers", name, path);
  TierSet set = TierSetFromJson(doc, path);
  if (set.name.empty()) set.name = name;
  return set;
}

std::vector<std::string> ListTierSets() { return ListAssets("tiers"); }

// ---------------------------------------------------------------------------------------------
// 4. Fast and slow mode
// ---------------------------------------------------------------------------------------------

BatchPoint BatchPointAt(const ServingModel& m, double batch) {
  const DecodeStep d = m.Decode(batch);
  BatchPoint p;
  p.batch = batch;
  p.step_s = d.step_s;
  p.tokens_per_s_per_sequence = 1.0 / d.step_s;
  p.usd_per_token = d.usd_per_token;
  return p;
}

double UnamortisedFloorUsdPerToken(const ServingModel& m) {
  // lecture §1.2 / S2 card 6: compute and KV fetch are linear in B, so per token they do not fall
  // with B; the weight fetch (and latencies) are constant per step and vanish per token as B grows.
  const DecodeStep d1 = m.Decode(1), d2 = m.Decode(2);
  const double compute = d2.compute_s - d1.compute_s;
  const double kv = d2.kv_s - d1.kv_s;
  const double network = d2.network_s - d1.network_s;
  const double hops = d2.hops_s - d1.hops_s;
  const double per_seq = m.kv_serial ? kv + std::max(compute, network) : std::max({compute, kv, network});
  return (per_seq + hops) * m.chips_per_stage * m.stages * m.usd_per_chip_s;
}

SpeedTradeoff CompareBatches(const ServingModel& m, double standard_batch, double fast_batch) {
  SpeedTradeoff t;
  t.standard = BatchPointAt(m, standard_batch);
  t.fast = BatchPointAt(m, fast_batch);
  t.speedup = t.standard.step_s / t.fast.step_s;
  // lecture §1.11e: price tracks cost per token = step × $/s / B.
  t.price_multiple = t.fast.usd_per_token / t.standard.usd_per_token;
  // lecture §1.2/§1.11e: the latency floor is the weight fetch, N_total / (S · BW).
  t.latency_floor_s = m.Decode(0).step_s;
  t.max_speedup = t.standard.step_s / t.latency_floor_s;
  t.floor_usd_per_token = UnamortisedFloorUsdPerToken(m);
  t.slow_mode_saving = 1.0 - t.floor_usd_per_token / t.standard.usd_per_token;
  return t;
}

double BatchForSpeedup(const ServingModel& m, double standard_batch, double speedup) {
  const double target = m.Decode(standard_batch).step_s / speedup;
  if (m.Decode(0).step_s > target) return 0;
  // Every term of a decode step is non-decreasing in B, so bisect for the largest B within target.
  double lo = 0, hi = standard_batch;
  if (m.Decode(hi).step_s <= target) return hi;
  for (int i = 0; i < 200 && hi - lo > 1e-9 * std::max(1.0, standard_batch); ++i) {
    const double mid = 0.5 * (lo + hi);
    (m.Decode(mid).step_s <= target ? lo : hi) = mid;
  }
  return lo;
}

double BatchShrinkImplied(double price_multiple, double speedup) {
  // lecture §1.11e: price ∝ step/B and speed ∝ 1/step, so B_std/B_fast = price multiple × speed-up.
  return price_multiple * speedup;
}

// ---------------------------------------------------------------------------------------------
// 5. Train departure
// ---------------------------------------------------------------------------------------------

double HbmDrainS(double capacity_bytes, double bytes_per_s) {
  // lecture §1.5, test vector 4: drain time = capacity / bandwidth.
  return capacity_bytes / bytes_per_s;
}

double DepartureTokensPerS(double batch, double period_s) {
  // lecture §1.6, test vector 3: tokens/s = B / t_step.
  return batch / period_s;
}

namespace {
struct SplitMix64 {
  std::uint64_t state;
  std::uint64_t Next() {
    // splitmix64 (Steele, Lea, Flood 2014; the reference constants of Vigna's public-domain code).
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double Uniform01() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }  // [0, 1)
};

double ServiceS(const TrainQueueParams& p) { return p.service_s < 0 ? p.period_s : p.service_s; }

void ValidateQueue(const TrainQueueParams& p) {
  const std::string src = "queue";
  if (!(p.period_s > 0) || !std::isfinite(p.period_s))
    throw ScenarioError(src, "period_s", Num(p.period_s), "must be a finite number > 0");
  if (!(p.arrival_rate_per_s >= 0) || !std::isfinite(p.arrival_rate_per_s))
    throw ScenarioError(src, "arrival_rate_per_s", Num(p.arrival_rate_per_s), "must be a finite number >= 0");
  if (!(p.duration_s > 0) || !std::isfinite(p.duration_s))
    throw ScenarioError(src, "duration_s", Num(p.duration_s), "must be a finite number > 0");
  if (p.duration_s / p.period_s > 1e7)
    throw ScenarioError(src, "duration_s", Num(p.duration_s), "must be at most 1e7 periods");
  if (p.arrival_rate_per_s * p.duration_s > 1e7)
    throw ScenarioError(src, "arrival_rate_per_s", Num(p.arrival_rate_per_s),
                        "x duration_s must be at most 1e7 arrivals");
  if (p.capacity != 0 && !(p.capacity >= 1))
    throw ScenarioError(src, "capacity", Num(p.capacity), "must be 0 (unlimited) or >= 1");
  if (!std::isfinite(p.service_s)) throw ScenarioError(src, "service_s", Num(p.service_s), "must be finite");
  if (p.histogram_bins < 1 || p.histogram_bins > 100000)
    throw ScenarioError(src, "histogram_bins", std::to_string(p.histogram_bins), "must be in [1, 100000]");
}
}  // namespace

TrainClosedForm TrainClosedFormOf(const TrainQueueParams& p) {
  TrainClosedForm c;
  const double T = p.period_s, service = ServiceS(p);
  // lecture §1.5: an arrival uniform over a period waits T/2 on average, T at worst; worst latency
  // T + service = 2T with service T ("20 + 20 = 40 ms").
  c.mean_wait_s = T / 2;
  c.worst_wait_s = T;
  c.mean_latency_s = T / 2 + service;
  c.worst_latency_s = T + service;
  c.mean_batch = p.arrival_rate_per_s * T;
  // lecture §1.6: tokens/s = B / t_step.
  c.tokens_per_s = DepartureTokensPerS(c.mean_batch, T);
  return c;
}

TrainTimeline SimulateTrainDeparture(const TrainQueueParams& p) {
  ValidateQueue(p);
  const double T = p.period_s, service = ServiceS(p);
  SplitMix64 rng{p.seed};
  TrainTimeline tl;
  auto& a = tl.arrival_s;
  switch (p.process) {
    case ArrivalProcess::kUniform: {
      const auto n = static_cast<size_t>(std::llround(p.arrival_rate_per_s * p.duration_s));
      a.reserve(n);
      for (size_t i = 0; i < n; ++i) a.push_back(rng.Uniform01() * p.duration_s);
      std::sort(a.begin(), a.end());
      break;
    }
    case ArrivalProcess::kPoisson: {
      if (p.arrival_rate_per_s <= 0) break;
      // Exponential gaps by inversion: -ln(1 - u) / rate.
      for (double t = -std::log1p(-rng.Uniform01()) / p.arrival_rate_per_s; t < p.duration_s;
           t += -std::log1p(-rng.Uniform01()) / p.arrival_rate_per_s)
        a.push_back(t);
      break;
    }
    case ArrivalProcess::kRegular: {
      const auto n = static_cast<size_t>(std::llround(p.arrival_rate_per_s * p.duration_s));
      for (size_t i = 0; i < n; ++i) a.push_back((static_cast<double>(i) + 0.5) / p.arrival_rate_per_s);
      break;
    }
  }
  const size_t n = a.size();
  tl.boarded_departure_s.resize(n);
  tl.latency_s.resize(n);
  // Trains leave at 0, T, 2T, ... (lecture §1.5); each takes the waiting passengers in arrival
  // order, up to capacity; the rest wait for the next.
  const double cap = p.capacity > 0 ? std::floor(p.capacity) : kInf;
  size_t next = 0;
  double wait_sum = 0, lat_sum = 0;
  for (long long k = 0; next < n; ++k) {
    const double dep = static_cast<double>(k) * T;
    int boarded = 0;
    while (next < n && a[next] <= dep && boarded < cap) {
      tl.boarded_departure_s[next] = dep;
      const double wait = dep - a[next];
      tl.latency_s[next] = wait + service;
      wait_sum += wait;
      lat_sum += wait + service;
      tl.max_latency_s = std::max(tl.max_latency_s, wait + service);
      ++boarded;
      ++next;
    }
    tl.departure_s.push_back(dep);
    tl.batch.push_back(boarded);
  }
  if (n > 0) {
    tl.mean_wait_s = wait_sum / static_cast<double>(n);
    tl.mean_latency_s = lat_sum / static_cast<double>(n);
    const double last = tl.departure_s.back();
    tl.tokens_per_s = last > 0 ? static_cast<double>(n) / last : 0;
  }
  // Histogram over [0, max(worst closed form, observed max)] so uncapped runs share one axis.
  const double hi = std::max(T + service, tl.max_latency_s);
  const auto bins = static_cast<size_t>(p.histogram_bins);
  tl.histogram_counts.assign(bins, 0);
  for (size_t i = 0; i <= bins; ++i) tl.histogram_edges_s.push_back(hi * static_cast<double>(i) / static_cast<double>(bins));
  for (double l : tl.latency_s) {
    auto b = static_cast<size_t>(l / hi * static_cast<double>(bins));
    ++tl.histogram_counts[std::min(b, bins - 1)];
  }
  return tl;
}

double TokensServed(double tokens_per_s, double seconds) {
  // lecture §1.10 step 2, test vector 6: 50M tokens/s x 60 days = 2.59e14 tokens.
  return tokens_per_s * seconds;
}

double OverTrainingFactor(double tokens, double params_active) {
  // lecture §1.10 steps 3-4, test vector 7: Chinchilla D = 20·N_active; factor = D / (20·N_active).
  return tokens / (20.0 * params_active);
}

// ---------------------------------------------------------------------------------------------
// 6. Price sheets
// ---------------------------------------------------------------------------------------------

PriceRatios PriceRatiosOf(const PriceSheet& p) {
  // lecture §1.11b-c/e, test vector 20: every ratio is over the base input price.
  PriceRatios r;
  r.output_to_input = p.output_usd_per_mtok / p.input_usd_per_mtok;
  r.cache_hit_to_input = p.cache_hit_usd_per_mtok / p.input_usd_per_mtok;
  r.cache_write_5m_to_input = p.cache_write_5m_usd_per_mtok / p.input_usd_per_mtok;
  r.cache_write_1h_to_input = p.cache_write_1h_usd_per_mtok / p.input_usd_per_mtok;
  r.fast_mode_price_multiple = p.fast_mode_price_multiple;
  r.mfu_decode_to_prefill = DecodeToPrefillMfuRatio(p.input_usd_per_mtok, p.output_usd_per_mtok);
  return r;
}

LongContextPrice PriceForPrompt(const PriceSheet& p, double prompt_tokens, bool fast_mode) {
  const double mult = fast_mode && p.fast_mode_price_multiple > 0 ? p.fast_mode_price_multiple : 1.0;
  LongContextPrice out{0, p.input_usd_per_mtok * mult, p.output_usd_per_mtok * mult};
  // lecture §1.11a: the tier applies to prompts above the threshold ("up to 200K" is the base price).
  for (const LongContextPrice& t : p.long_context)
    if (prompt_tokens > t.above_tokens) out = {t.above_tokens, t.input_usd_per_mtok * mult, t.output_usd_per_mtok * mult};
  if (fast_mode) {
    for (const LongContextPrice& t : p.fast_mode_long_context)
      if (prompt_tokens > t.above_tokens) out = t;
  }
  return out;
}

CacheReading ReadCachePrices(const PriceSheet& p, const std::vector<StorageTier>& tiers) {
  CacheReading c;
  // lecture §1.11c: the write premium over base input (remat) pays for the hold.
  c.hold_5m_premium_usd_per_mtok = p.cache_write_5m_usd_per_mtok - p.input_usd_per_mtok;
  c.hold_1h_premium_usd_per_mtok = p.cache_write_1h_usd_per_mtok - p.input_usd_per_mtok;
  c.hold_5m_usd_per_mtok_s = c.hold_5m_premium_usd_per_mtok / 300.0;
  c.hold_1h_usd_per_mtok_s = c.hold_1h_premium_usd_per_mtok / 3600.0;
  // lecture §1.11d: "the 5-minute and 1-hour cache durations probably identify flash and disk".
  c.tier_5m = TierByDrainRule(tiers, 300.0).name;
  c.tier_1h = TierByDrainRule(tiers, 3600.0).name;
  c.hit_to_input = p.cache_hit_usd_per_mtok / p.input_usd_per_mtok;
  return c;
}

namespace {
std::vector<LongContextPrice> ReadLongContext(const json& obj, const std::string& key, const std::string& src,
                                              const std::string& prefix) {
  std::vector<LongContextPrice> out;
  if (!obj.contains(key)) return out;
  const json& arr = obj.at(key);
  if (!arr.is_array()) throw ScenarioError(src, prefix + key, Show(arr), "must be an array of tiers");
  for (size_t i = 0; i < arr.size(); ++i) {
    const std::string pre = prefix + key + "[" + std::to_string(i) + "].";
    const json& o = arr[i];
    if (!o.is_object()) throw ScenarioError(src, prefix + key + "[" + std::to_string(i) + "]", Show(o), "must be an object");
    CheckKeys(o, src, pre, {"above_tokens", "input_usd_per_mtok", "output_usd_per_mtok"});
    LongContextPrice t;
    t.above_tokens = ReadNumber(o, "above_tokens", src, pre, 1, 1e9, true);
    t.input_usd_per_mtok = ReadNumber(o, "input_usd_per_mtok", src, pre, 0, 1e5, true);
    t.output_usd_per_mtok = ReadNumber(o, "output_usd_per_mtok", src, pre, 0, 1e5, true);
    if (!out.empty() && t.above_tokens <= out.back().above_tokens)
      throw ScenarioError(src, pre + "above_tokens", Num(t.above_tokens),
                          "must be greater than the previous tier's " + Num(out.back().above_tokens));
    out.push_back(t);
  }
  return out;
}
}  // namespace

PriceSheet PriceSheetFromJson(const json& doc, const std::string& source) {
  if (!doc.is_object()) throw ScenarioError(source, "(document)", Show(doc), "must be a JSON object");
  CheckKeys(doc, source, "",
            {"provider", "model", "date", "source_url", "listing", "notes", "currency", "input_usd_per_mtok",
             "output_usd_per_mtok", "cache_write_5m_usd_per_mtok", "cache_write_1h_usd_per_mtok",
             "cache_hit_usd_per_mtok", "batch_discount", "long_context", "fast_mode"});
  PriceSheet p;
  p.provider = ReadString(doc, "provider", source, "", true);
  p.model = ReadString(doc, "model", source, "", true);
  p.date = ReadString(doc, "date", source, "", true);
  p.source_url = ReadString(doc, "source_url", source, "", true);
  p.listing = ReadString(doc, "listing", source, "", false);
  if (p.listing.empty()) p.listing = "first-party";
  if (p.listing != "first-party" && p.listing != "reseller")
    throw ScenarioError(source, "listing", p.listing, "must be \"first-party\" or \"reseller\"");
  p.notes = ReadString(doc, "notes", source, "", false);
  if (doc.contains("currency") && doc.at("currency") != "USD")
    throw ScenarioError(source, "currency", Show(doc.at("currency")), "must be \"USD\"");
  p.input_usd_per_mtok = ReadNumber(doc, "input_usd_per_mtok", source, "", 1e-6, 1e5, true);
  p.output_usd_per_mtok = ReadNumber(doc, "output_usd_per_mtok", source, "", 1e-6, 1e5, true);
  p.cache_write_5m_usd_per_mtok = ReadNumber(doc, "cache_write_5m_usd_per_mtok", source, "", 0, 1e5, false);
  p.cache_write_1h_usd_per_mtok = ReadNumber(doc, "cache_write_1h_usd_per_mtok", source, "", 0, 1e5, false);
  p.cache_hit_usd_per_mtok = ReadNumber(doc, "cache_hit_usd_per_mtok", source, "", 0, 1e5, false);
  p.batch_discount = ReadNumber(doc, "batch_discount", source, "", 0, 1, false);
  p.long_context = ReadLongContext(doc, "long_context", source, "");
  if (doc.contains("fast_mode")) {
    const json& f = doc.at("fast_mode");
    if (!f.is_object()) throw ScenarioError(source, "fast_mode", Show(f), "must be an object");
    CheckKeys(f, source, "fast_mode.", {"price_multiple", "speedup", "source_url", "long_context", "notes"});
    p.fast_mode_price_multiple = ReadNumber(f, "price_multiple", source, "fast_mode.", 1, 1000, true);
    p.fast_mode_speedup = ReadNumber(f, "speedup", source, "fast_mode.", 1, 1000, false, 0);
    p.fast_mode_source_url = ReadString(f, "source_url", source, "fast_mode.", false);
    p.fast_mode_long_context = ReadLongContext(f, "long_context", source, "fast_mode.");
  }
  return p;
}

PriceSheet LoadPriceSheet(const std::string& name) {
  std::string path;
  const json doc = ReadJsonAsset("prices", name, path);
  PriceSheet p = PriceSheetFromJson(doc, path);
  p.name = name;
  return p;
}

std::vector<std::string> ListPriceSheets() { return ListAssets("prices"); }

}  // namespace blackboard
