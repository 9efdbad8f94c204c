// Reading API prices (lecture.md §1.11): context-length cost and the kink, the KV bytes per token a
// price kink implies, input against output price, KV storage tiers against hold time, fast and slow
// mode, the "train departure" batching queue (§1.5), and price sheets as editable data.
//
// Use:
//   ContextCostInputs in = ContextCostInputsFromScenario(s);          // or fill the fields yourself
//   ContextKink k = ContextKinkOf(in);                                 // closed form
//   auto curve = ContextCostCurve(in, 1e3, 1e7, 256);                  // log-spaced, for plotting
//   double kv = KvBytesPerTokenFromKink(200e3, 100e9);                 // 1,667 B (ratio 300)
//   auto archs = KvArchitectureCandidates(kv);                         // layers x 2 x d_head x kv_heads
//   TierSet tiers = LoadTierSet("lecture");  TierWorkload w = TierWorkloadFromScenario(s);
//   TierCost best = CheapestTier(tiers.tiers, w, 300.0);              // a 5-minute hold
//   PriceSheet p = LoadPriceSheet("anthropic-opus-4.6");  PriceRatios r = PriceRatiosOf(p);
//   TrainTimeline t = SimulateTrainDeparture({.period_s = 0.02, .arrival_rate_per_s = 1e4});
// Everything is a pure function of its inputs (the queue's randomness is a seeded splitmix64), so
// the boards can call it every frame. Seconds, bytes, FLOP/s and US dollars throughout; "per token"
// means per sequence position produced or held. Bad data files throw ScenarioError (file, field,
// value, allowed range).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "blackboard/scenario.hpp"
#include "blackboard/serving.hpp"

namespace blackboard {

// ---------------------------------------------------------------------------------------------
// 1. Cost per token against context length (lecture §1.2, §1.11a)
// ---------------------------------------------------------------------------------------------

// One decode step's inputs for one replica, in the engine's FLOP convention (2 FLOPs per MAC).
struct ContextCostInputs {
  double batch = 1;                              // B: sequences per decode step
  double matmul_flops_per_token = 0;             // 2·N_active
  double attention_flops_per_token_per_context = 0;  // attention FLOPs per token per context token
  double weight_bytes_total = 0;                 // N_total x bytes per weight
  double kv_bytes_per_token = 0;                 // bytes_tok
  double flops_per_s = 0;                        // replica (chips x effective peak)
  double hbm_bytes_per_s = 0;                    // replica (chips x effective bandwidth)
  double usd_per_s = 0;                          // replica rental
};

// From a scenario: the serving model's numbers over the tp x ep chips of one stage, batch per stage.
ContextCostInputs ContextCostInputsFromScenario(const Scenario& s);

struct ContextCostPoint {
  double context_tokens = 0;
  double compute_s_per_token = 0;   // (2·N_act + attention·ctx) / FLOPs
  double weights_s_per_token = 0;   // N_total bytes / (B · BW)
  double kv_s_per_token = 0;        // ctx · bytes_tok / BW
  double memory_s_per_token = 0;    // weights + KV
  double time_s_per_token = 0;      // max(compute, memory)
  double usd_per_token = 0;         // time x $/s
  bool memory_bound = false;
};

ContextCostPoint ContextCostAt(const ContextCostInputs& in, double context_tokens);

// Where memory time per token overtakes compute time per token.
struct ContextKink {
  // kAt: compute-bound below, memory-bound above (the lecture's kink). kComputeOvertakes: the
  // reverse (attention FLOPs grow faster than KV reads). The other two never cross (0 or +inf).
  enum class Kind { kAt, kComputeOvertakes, kMemoryBoundEverywhere, kComputeBoundEverywhere };
  Kind kind = Kind::kAt;
  double context_tokens = 0;
};
ContextKink ContextKinkOf(const ContextCostInputs& in);

// `points` log-spaced context lengths from min to max (inclusive), points >= 2, 0 < min < max.
std::vector<ContextCostPoint> ContextCostCurve(const ContextCostInputs& in, double min_context_tokens,
                                               double max_context_tokens, int points);

// The lecture's dimensionless hardware ratio: FLOPs counted as multiply-accumulates per byte
// (lecture §1.1, §1.4): peak FLOP/s / (2 x HBM bytes/s) for the given math ("bf16", "fp8", "fp4").
double LectureFlopsToBandwidthRatio(const Hardware& h, const std::string& math);

// The inverse problem (lecture §1.11a, test vector 5): bytes_tok = (mem_bw/FLOPs)·N_act/len_ctx.
double KvBytesPerTokenFromKink(double kink_context_tokens, double params_active,
                               double flops_to_bandwidth_ratio = 300.0);

// An attention layout and the KV bytes it reads per token (lecture §1.11a plausibility check).
struct KvArchitecture {
  std::string name;
  double attention_layers = 1;     // layers with their own KV (1 = one KV shared across layers)
  double kv_heads = 1;
  double head_dim = 128;
  double bytes_per_element = 1;
  double sparse_divisor = 1;       // sparse attention reads 1/divisor of the context's KV
  double kv_bytes_per_token = 0;   // layers x 2 x head_dim x kv_heads x bytes / divisor
  double ratio_to_target = 0;      // kv_bytes_per_token / target
};
double KvBytesPerTokenOfLayout(double attention_layers, double kv_heads, double head_dim,
                               double bytes_per_element, double sparse_divisor = 1.0);
// A few layouts near `target_bytes_per_token`: the lecture's shared-KV GQA-8 at 1 byte, GQA-8 and
// MQA with the layer count that fits, and a `reference_layers`-layer GQA-8 bf16 model with the
// sparse-attention divisor that brings it to the target. Layouts that coincide are listed once.
std::vector<KvArchitecture> KvArchitectureCandidates(double target_bytes_per_token,
                                                     int reference_layers = 64);

// ---------------------------------------------------------------------------------------------
// 2. Input against output price (lecture §1.11b)
// ---------------------------------------------------------------------------------------------

// Price ∝ 1/MFU at a fixed FLOP count per token, so MFU_decode/MFU_prefill = input/output price.
double DecodeToPrefillMfuRatio(double input_usd_per_mtok, double output_usd_per_mtok);

struct InputOutputCosts {
  double input_usd_per_mtok = 0;     // prefill, from EvaluateServing
  double output_usd_per_mtok = 0;    // decode
  double output_to_input = 0;
  double mfu_prefill = 0, mfu_decode = 0;
  double mfu_decode_to_prefill = 0;
  double output_tokens_per_usd = 0;
  double input_tokens_per_usd = 0;
};
InputOutputCosts EngineInputOutputCosts(const Scenario& s);

// ---------------------------------------------------------------------------------------------
// 3. KV storage tiers (lecture §1.11d)
// ---------------------------------------------------------------------------------------------

struct StorageTier {
  std::string name;                  // "remat", "hbm", "host-dram", "flash", "disk", ...
  bool remat = false;                // recompute from token ids: no storage
  double capacity_bytes = 0;         // per device
  double bytes_per_s = 0;            // read bandwidth into HBM per device
  double usd_per_hour = 0;           // per device
  bool retrieve_billed_to_gpu = true;  // the GPU waits for the copy (else the tier's own time)
  std::map<std::string, std::string> sources;
  double DrainS() const;             // capacity / bandwidth (lecture §1.5, §1.11d); 0 for remat
};

struct TierSet {
  std::string name, description;
  std::vector<StorageTier> tiers;    // ordered fastest to slowest
};

// What a held token costs: its KV bytes, and the GPU that recomputes or waits for it.
struct TierWorkload {
  double kv_bytes_per_token = 0;
  double params_active = 0;
  double gpu_flops_per_s = 0;        // one chip, effective
  double gpu_usd_per_s = 0;          // one chip
};
TierWorkload TierWorkloadFromScenario(const Scenario& s);

struct TierCost {
  std::string tier;
  double hold_usd_per_token = 0;     // bytes_tok / capacity x $/s x hold time
  double retrieve_usd_per_token = 0; // bytes_tok / BW x $/s (remat: 2·N_act/FLOPs x $GPU/s)
  double total_usd_per_token = 0;
  double hold_usd_per_token_s = 0;   // the slope against hold time
};
TierCost TierCostFor(const StorageTier& t, const TierWorkload& w, double hold_s);
TierCost CheapestTier(const std::vector<StorageTier>& tiers, const TierWorkload& w, double hold_s);

// Hold time where tiers a and b cost the same; negative or +inf when the lines never cross ahead.
double CrossoverHoldS(const StorageTier& a, const StorageTier& b, const TierWorkload& w);

// The lower envelope against hold time: from hold 0 on, which tier is cheapest and from when.
struct TierSpan {
  std::string tier;
  double from_hold_s = 0;
  double to_hold_s = 0;              // +inf for the last
};
std::vector<TierSpan> CheapestTierSpans(const std::vector<StorageTier>& tiers, const TierWorkload& w);

// The lecture's rule: the stored tier whose drain time is nearest the hold time (log distance).
// Why: billing a retrieve at the tier's own $/s, total = bytes/capacity x $/s x (drain + hold), so at
// hold = drain the tier spends as much on holding as on reading back (capacity and bandwidth used in
// balance). It is a heuristic: CheapestTier also weighs each tier's price and whether the GPU waits
// for the copy, and its choice can differ; a board should show both.
const StorageTier& TierByDrainRule(const std::vector<StorageTier>& tiers, double hold_s);

// The HBM tier of a chip: its capacity, bandwidth and rental price.
StorageTier HbmTierFromHardware(const Hardware& h);

TierSet TierSetFromJson(const nlohmann::json& doc, const std::string& source);
TierSet LoadTierSet(const std::string& name);          // assets/tiers/<name>.json
std::vector<std::string> ListTierSets();

// ---------------------------------------------------------------------------------------------
// 4. Fast mode and slow mode (lecture §1.2, §1.11e)
// ---------------------------------------------------------------------------------------------

struct BatchPoint {
  double batch = 0;
  double step_s = 0;                 // latency per output token
  double tokens_per_s_per_sequence = 0;
  double usd_per_token = 0;
};
BatchPoint BatchPointAt(const ServingModel& m, double batch);

// The cost floor that no batch amortises: per-sequence compute and KV (and per-sequence network
// transfer), combined as the step model combines them, x the replica's $/s (lecture §1.2, S2 card 6).
double UnamortisedFloorUsdPerToken(const ServingModel& m);

struct SpeedTradeoff {
  BatchPoint standard, fast;
  double speedup = 0;                // standard.step_s / fast.step_s
  double price_multiple = 0;         // fast.usd_per_token / standard.usd_per_token
  double latency_floor_s = 0;        // step at batch -> 0: no batch is faster
  double max_speedup = 0;            // standard.step_s / latency_floor_s
  double floor_usd_per_token = 0;    // slow mode's limit
  double slow_mode_saving = 0;       // 1 - floor / standard cost
};
SpeedTradeoff CompareBatches(const ServingModel& m, double standard_batch, double fast_batch);

// Largest batch whose step is standard.step_s / speedup; 0 when the speed-up is beyond the floor.
double BatchForSpeedup(const ServingModel& m, double standard_batch, double speedup);

// price = (step/B) ratio: a price multiple p for a speed-up s means the batch shrank by p x s.
double BatchShrinkImplied(double price_multiple, double speedup);

// ---------------------------------------------------------------------------------------------
// 5. Batching as a train that departs every period (lecture §1.5, §1.6)
// ---------------------------------------------------------------------------------------------

double HbmDrainS(double capacity_bytes, double bytes_per_s);        // test vector 4
double DepartureTokensPerS(double batch, double period_s);         // test vector 3

enum class ArrivalProcess { kUniform, kPoisson, kRegular };

struct TrainQueueParams {
  double period_s = 0.02;            // a train departs at T, 2T, 3T, ...
  double service_s = -1;             // time on the train; < 0 means = period_s
  double arrival_rate_per_s = 1e4;
  double duration_s = 1.0;           // arrivals in [0, duration)
  ArrivalProcess process = ArrivalProcess::kUniform;
  std::uint64_t seed = 1;
  double capacity = 0;               // seats per train; 0 = unlimited
  int histogram_bins = 40;
};

struct TrainClosedForm {
  double mean_wait_s = 0;            // T/2
  double worst_wait_s = 0;           // T
  double mean_latency_s = 0;         // T/2 + service
  double worst_latency_s = 0;        // T + service (2T when service = T)
  double mean_batch = 0;             // rate x T
  double tokens_per_s = 0;           // mean batch / T
};
TrainClosedForm TrainClosedFormOf(const TrainQueueParams& p);

struct TrainTimeline {
  std::vector<double> arrival_s;           // sorted
  std::vector<double> boarded_departure_s; // per request: its train's departure
  std::vector<double> latency_s;           // per request: wait + service
  std::vector<double> departure_s;         // every train up to the last passenger's
  std::vector<int> batch;                  // passengers on each train
  std::vector<double> histogram_edges_s;   // bins + 1 edges over [0, max latency]
  std::vector<int> histogram_counts;
  double mean_wait_s = 0, mean_latency_s = 0, max_latency_s = 0;
  double tokens_per_s = 0;                 // passengers / (last departure)
};
// Deterministic for a seed. Throws ScenarioError("queue", field, ...) on bad parameters or more
// than 10 million arrivals.
TrainTimeline SimulateTrainDeparture(const TrainQueueParams& p);

// What a served volume says about pre-training (lecture §1.10, test vectors 6-7): tokens served over
// a deployment, and how many times the Chinchilla budget (20 tokens per active parameter) that is.
double TokensServed(double tokens_per_s, double seconds);
double OverTrainingFactor(double tokens, double params_active);

// ---------------------------------------------------------------------------------------------
// 6. Price sheets (assets/prices/*.json)
// ---------------------------------------------------------------------------------------------

struct LongContextPrice {
  double above_tokens = 0;           // applies to prompts longer than this
  double input_usd_per_mtok = 0;
  double output_usd_per_mtok = 0;
};

struct PriceSheet {
  std::string name;                  // file stem
  std::string provider, model, date, source_url, listing, notes;
  double input_usd_per_mtok = 0;
  double output_usd_per_mtok = 0;
  double cache_write_5m_usd_per_mtok = 0;   // 0 = not offered
  double cache_write_1h_usd_per_mtok = 0;
  double cache_hit_usd_per_mtok = 0;
  double batch_discount = 0;                // fraction off (0.5 = half price)
  std::vector<LongContextPrice> long_context;  // ascending thresholds
  double fast_mode_price_multiple = 0;      // 0 = not offered
  double fast_mode_speedup = 0;             // "up to" speed-up
  std::vector<LongContextPrice> fast_mode_long_context;
  std::string fast_mode_source_url;
};

struct PriceRatios {
  double output_to_input = 0;
  double cache_hit_to_input = 0;
  double cache_write_5m_to_input = 0;
  double cache_write_1h_to_input = 0;
  double fast_mode_price_multiple = 0;
  double mfu_decode_to_prefill = 0;         // input / output (lecture §1.11b)
};
PriceRatios PriceRatiosOf(const PriceSheet& p);

// Input and output $/MTok for a prompt of `prompt_tokens` (the long-context tier that applies).
LongContextPrice PriceForPrompt(const PriceSheet& p, double prompt_tokens, bool fast_mode = false);

// What the cache prices say (lecture §1.11c-d): the write premium over base input pays for holding.
struct CacheReading {
  double hold_5m_premium_usd_per_mtok = 0;  // 5-min write - input
  double hold_1h_premium_usd_per_mtok = 0;
  double hold_5m_usd_per_mtok_s = 0;        // premium / 300 s
  double hold_1h_usd_per_mtok_s = 0;        // premium / 3,600 s
  std::string tier_5m, tier_1h;             // TierByDrainRule at 300 s and 3,600 s
  double hit_to_input = 0;                  // retrieve against remat, as priced
};
CacheReading ReadCachePrices(const PriceSheet& p, const std::vector<StorageTier>& tiers);

PriceSheet PriceSheetFromJson(const nlohmann::json& doc, const std::string& source);
PriceSheet LoadPriceSheet(const std::string& name);    // assets/prices/<name>.json
std::vector<std::string> ListPriceSheets();

}  // namespace blackboard
