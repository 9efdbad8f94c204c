// The API-price engine against the lecture's worked numbers (shared/reference/lecture.md §1.5, §1.6,
// §1.10, §1.11 and the §6 test vectors 3-7 and 20) and against its own closed forms.
// Tolerances: exact arithmetic is checked to 1e-9 relative (double rounding only); the lecture's
// rounded figures are checked to half a unit of their last published digit; the queue's simulated
// means to 4 standard errors (see QueueMeanLatencyMatchesClosedFormUniform).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include <nlohmann/json.hpp>

#include "blackboard/assets.hpp"
#include "blackboard/model.hpp"
#include "blackboard/pricing.hpp"
#include "blackboard/scenario.hpp"
#include "blackboard/serving.hpp"

namespace blackboard {
namespace {

using nlohmann::json;

constexpr double kRel = 1e-9;  // double rounding on a handful of operations

// The lecture's context setting (§1.11a) in its own convention: FLOPs are multiply-accumulates,
// so a token costs N_act "FLOPs" and the hardware ratio FLOPs/mem_bw is 300; the batch is large
// enough that the weight fetch is negligible; attention FLOPs are ignored ("quite small").
ContextCostInputs LectureContextInputs(double kv_bytes_per_token) {
  ContextCostInputs in;
  in.batch = 1e12;
  in.matmul_flops_per_token = 100e9;  // N_act = 100B, one MAC each
  in.attention_flops_per_token_per_context = 0;
  in.weight_bytes_total = 100e9;
  in.kv_bytes_per_token = kv_bytes_per_token;
  in.hbm_bytes_per_s = 20e12;
  in.flops_per_s = 300 * in.hbm_bytes_per_s;
  in.usd_per_s = 2.0 / 3600;
  return in;
}

// ---------------------------------------------------------------------------------------------
// Test vector 5 and the context curve
// ---------------------------------------------------------------------------------------------

// lecture §1.11a / test vector 5: N_act = 100B, kink at 200K, ratio 300 -> 1,667 B per token.
TEST(Pricing, KvBytesFromPriceKinkTestVector5) {
  const double kv = KvBytesPerTokenFromKink(200e3, 100e9, 300);
  EXPECT_NEAR(kv, 1667, 0.5);  // exact 1,666.67; the lecture rounds to 1,667 ("~1.7 KB")
  EXPECT_NEAR(kv, 100e9 / (300 * 200e3), 100e9 / (300 * 200e3) * kRel);
}

// lecture §1.4: H100 bf16 990e12 / 3.35e12 ≈ 295 FLOP/B; the lecture's ratio counts MACs (half).
TEST(Pricing, LectureRatioFromHardware) {
  const Hardware h = LoadHardwarePreset("h100-sxm", "test", "hardware");
  EXPECT_NEAR(2 * LectureFlopsToBandwidthRatio(h, "bf16"), 295, 3);  // 989.4/3.35 = 295.3; §1.4 "295-298"
}

// The forward problem gives back the lecture's kink: with 1,667 B/token the closed-form kink is 200K,
// and the sampled log-spaced curve changes from compute- to memory-bound at the same context.
TEST(Pricing, ContextKinkClosedFormAndCurve) {
  const ContextCostInputs in = LectureContextInputs(KvBytesPerTokenFromKink(200e3, 100e9, 300));
  const ContextKink k = ContextKinkOf(in);
  ASSERT_EQ(k.kind, ContextKink::Kind::kAt);
  // Weight fetch 100e9 B / (1e12 · 20e12 B/s) per token moves the kink by 5e-15 s / 8.3e-11 s/token.
  EXPECT_NEAR(k.context_tokens, 200e3, 0.02);

  const auto curve = ContextCostCurve(in, 1e3, 1e7, 257);
  ASSERT_EQ(curve.size(), 257u);
  EXPECT_DOUBLE_EQ(curve.front().context_tokens, 1e3);
  EXPECT_DOUBLE_EQ(curve.back().context_tokens, 1e7);
  size_t first_memory = 0;
  while (first_memory < curve.size() && !curve[first_memory].memory_bound) ++first_memory;
  ASSERT_GT(first_memory, 0u);
  ASSERT_LT(first_memory, curve.size());
  for (size_t i = first_memory; i < curve.size(); ++i) EXPECT_TRUE(curve[i].memory_bound);
  // memory - compute is linear in context, so interpolating between the bracketing samples is exact.
  const ContextCostPoint& a = curve[first_memory - 1];
  const ContextCostPoint& b = curve[first_memory];
  const double fa = a.memory_s_per_token - a.compute_s_per_token;
  const double fb = b.memory_s_per_token - b.compute_s_per_token;
  const double crossing = a.context_tokens - fa * (b.context_tokens - a.context_tokens) / (fb - fa);
  EXPECT_NEAR(crossing, k.context_tokens, k.context_tokens * 1e-6);
  // Compute is flat without attention FLOPs (lecture §1.11a); cost = max(...) x $/s.
  EXPECT_DOUBLE_EQ(a.compute_s_per_token, b.compute_s_per_token);
  EXPECT_NEAR(b.usd_per_token, b.time_s_per_token * in.usd_per_s, b.usd_per_token * kRel);
}

// A real scenario (Llama 3 70B on 8 x H100, with the attention FLOP term and the weight floor):
// at the closed-form kink compute equals memory per token.
TEST(Pricing, ContextKinkOfScenarioBalancesComputeAndMemory) {
  Scenario s = DefaultScenario();
  s.serving.batch = 1024;
  const ContextCostInputs in = ContextCostInputsFromScenario(s);
  EXPECT_GT(in.attention_flops_per_token_per_context, 0);
  const ContextKink k = ContextKinkOf(in);
  ASSERT_EQ(k.kind, ContextKink::Kind::kAt);
  const ContextCostPoint p = ContextCostAt(in, k.context_tokens);
  EXPECT_NEAR(p.memory_s_per_token, p.compute_s_per_token, p.compute_s_per_token * kRel);
  EXPECT_FALSE(ContextCostAt(in, k.context_tokens * 0.99).memory_bound);
  EXPECT_TRUE(ContextCostAt(in, k.context_tokens * 1.01).memory_bound);
  // A batch of 1 is memory-bound at any context (lecture §1.2: weight floor >> compute).
  s.serving.batch = 1;
  EXPECT_EQ(ContextKinkOf(ContextCostInputsFromScenario(s)).kind, ContextKink::Kind::kMemoryBoundEverywhere);
}

// lecture §1.11a plausibility check: one KV shared across layers, d_head 128, 8 KV heads: 2 x 128 x 8
// = 2,048 (about 2 KB at 1 byte per element); every candidate is layers x 2 x d_head x kv_heads x bytes.
TEST(Pricing, KvArchitectureCandidates) {
  EXPECT_DOUBLE_EQ(KvBytesPerTokenOfLayout(1, 8, 128, 1), 2048);
  // lecture.md §6 test vector 18 style check of the formula: Llama 3 70B bf16 = 80 x 2 x 128 x 8 x 2.
  EXPECT_DOUBLE_EQ(KvBytesPerTokenOfLayout(80, 8, 128, 2), 327680);
  const double target = KvBytesPerTokenFromKink(200e3, 100e9, 300);
  const auto c = KvArchitectureCandidates(target, 64);
  ASSERT_EQ(c.size(), 4u);  // GQA 8 at 1 B fits one layer: the same layout as the shared-KV one
  EXPECT_DOUBLE_EQ(c[0].kv_bytes_per_token, 2048);
  for (const KvArchitecture& a : c) {
    EXPECT_NEAR(a.kv_bytes_per_token,
                a.attention_layers * 2 * a.head_dim * a.kv_heads * a.bytes_per_element / a.sparse_divisor,
                a.kv_bytes_per_token * kRel)
        << a.name;
    // Integer layer counts land within a factor 1.6 of 1,667 B (MQA 1 B: 7 layers = 1,792 B).
    EXPECT_GT(a.ratio_to_target, 0.6) << a.name;
    EXPECT_LT(a.ratio_to_target, 1.6) << a.name;
  }
  // The sparse-attention divisor reaches the target exactly (it is continuous).
  EXPECT_NEAR(c.back().kv_bytes_per_token, target, target * kRel);
}

// ---------------------------------------------------------------------------------------------
// Test vectors 3, 4, 6, 7: drain time, throughput, tokens served, over-training
// ---------------------------------------------------------------------------------------------

// lecture §1.5 / test vector 4: 288 GB / 20 TB/s = 14.4 ms (the lecture says "≈15 ms").
TEST(Pricing, HbmDrainTestVector4) {
  EXPECT_NEAR(HbmDrainS(288e9, 20e12), 14.4e-3, 14.4e-3 * kRel);
  const TierSet t = LoadTierSet("lecture");
  EXPECT_NEAR(t.tiers.at(1).DrainS(), 14.4e-3, 14.4e-3 * kRel);
  // lecture §1.5 table [D]: H100 80 GB / 3.35 TB/s = 23.9 ms (half a unit of the last digit).
  EXPECT_NEAR(HbmTierFromHardware(LoadHardwarePreset("h100-sxm", "t", "h")).DrainS() * 1e3, 23.9, 0.05);
}

// lecture §1.6 / test vector 3: B = 2,000 at a 1/64 s step -> 128,000 tokens/s.
TEST(Pricing, ThroughputTestVector3) {
  EXPECT_NEAR(DepartureTokensPerS(2000, 1.0 / 64), 128000, 128000 * kRel);
  // The same from the queue: trains of 2,000 seats every 1/64 s, overloaded with 256,000 requests
  // over 1 s, so every train leaves full ("a full train means passengers wait for the next one").
  TrainQueueParams p;
  p.period_s = 1.0 / 64;
  p.capacity = 2000;
  p.arrival_rate_per_s = 256000;
  p.duration_s = 1.0;
  p.process = ArrivalProcess::kRegular;
  const TrainTimeline t = SimulateTrainDeparture(p);
  EXPECT_NEAR(t.tokens_per_s, 128000, 128000 * kRel);
  for (size_t k = 1; k < t.batch.size(); ++k) EXPECT_EQ(t.batch[k], 2000);
}

// lecture §1.10 / test vectors 6-7: 50M tokens/s x 60 days = 2.59e14; over 20 x 100B = 2T is ~100x.
TEST(Pricing, TokensServedAndOverTrainingTestVectors6And7) {
  const double tokens = TokensServed(50e6, 60 * 86400.0);
  EXPECT_NEAR(tokens, 2.59e14, 0.005e14);  // exact 2.592e14; published to 3 digits
  EXPECT_NEAR(OverTrainingFactor(200e12, 100e9), 100, 100 * kRel);  // the lecture's 200T / 2T
  EXPECT_NEAR(OverTrainingFactor(tokens, 100e9), 129.6, 0.05);        // with the exact 259T
}

// ---------------------------------------------------------------------------------------------
// Test vector 20 and the price sheets
// ---------------------------------------------------------------------------------------------

// lecture §1.11b-c/e, test vector 20: output 5x, hit 0.1x, 5-min write 1.25x, 1-h write 2x, fast 6x.
TEST(Pricing, OpusPriceRatiosTestVector20) {
  const PriceSheet p = LoadPriceSheet("anthropic-opus-4.6");
  EXPECT_EQ(p.listing, "first-party");
  EXPECT_FALSE(p.source_url.empty());
  const PriceRatios r = PriceRatiosOf(p);
  EXPECT_NEAR(r.output_to_input, 5.0, kRel);
  EXPECT_NEAR(r.cache_hit_to_input, 0.1, kRel);
  EXPECT_NEAR(r.cache_write_5m_to_input, 1.25, kRel);
  EXPECT_NEAR(r.cache_write_1h_to_input, 2.0, kRel);
  EXPECT_NEAR(r.fast_mode_price_multiple, 6.0, kRel);
  EXPECT_NEAR(p.fast_mode_speedup, 2.5, kRel);
  // lecture §1.11b: 5x price -> decode MFU about 1/5 of prefill.
  EXPECT_NEAR(r.mfu_decode_to_prefill, 0.2, kRel);
  EXPECT_NEAR(DecodeToPrefillMfuRatio(5, 25), 0.2, kRel);
  // lecture §1.11e (S6): fast mode $30/$150 up to 200K, $60/$225 above.
  const LongContextPrice fast = PriceForPrompt(p, 100e3, true);
  EXPECT_NEAR(fast.input_usd_per_mtok, 30, kRel);
  EXPECT_NEAR(fast.output_usd_per_mtok, 150, kRel);
  const LongContextPrice fast_long = PriceForPrompt(p, 300e3, true);
  EXPECT_NEAR(fast_long.input_usd_per_mtok, 60, kRel);
  EXPECT_NEAR(fast_long.output_usd_per_mtok, 225, kRel);
  // lecture §6 test vector 20: fast mode is 6x price for up to 2.5x speed, so (§1.11e: price ∝ step/B)
  // the fast batch is 1/15 of the standard one.
  EXPECT_NEAR(BatchShrinkImplied(r.fast_mode_price_multiple, p.fast_mode_speedup), 15, kRel);
}

// lecture §1.11a (S6, reseller listing): $2/$12 up to 200K, $4/$18 above; output +50%, input 2x.
TEST(Pricing, GeminiLongContextTiers) {
  const PriceSheet p = LoadPriceSheet("gemini-3.1-pro");
  EXPECT_EQ(p.listing, "reseller");
  const LongContextPrice shortp = PriceForPrompt(p, 200e3);  // "up to 200K" is the base price
  EXPECT_NEAR(shortp.input_usd_per_mtok, 2, kRel);
  EXPECT_NEAR(shortp.output_usd_per_mtok, 12, kRel);
  const LongContextPrice longp = PriceForPrompt(p, 200001);
  EXPECT_NEAR(longp.input_usd_per_mtok, 4, kRel);
  EXPECT_NEAR(longp.output_usd_per_mtok, 18, kRel);
  EXPECT_NEAR(longp.output_usd_per_mtok / shortp.output_usd_per_mtok, 1.5, kRel);
  EXPECT_NEAR(longp.input_usd_per_mtok / shortp.input_usd_per_mtok, 2.0, kRel);
  // The kink of the price sheet read back as KV bytes per token (test vector 5 again, from the sheet).
  EXPECT_NEAR(KvBytesPerTokenFromKink(p.long_context.at(0).above_tokens, 100e9), 1667, 0.5);
}

TEST(Pricing, PriceSheetsAreListed) {
  const auto names = ListPriceSheets();
  EXPECT_NE(std::find(names.begin(), names.end(), "anthropic-opus-4.6"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "gemini-3.1-pro"), names.end());
  const auto tiers = ListTierSets();
  EXPECT_NE(std::find(tiers.begin(), tiers.end(), "lecture"), tiers.end());
  for (const std::string& n : tiers) EXPECT_NO_THROW(LoadTierSet(n)) << n;
  for (const std::string& n : names) EXPECT_NO_THROW(LoadPriceSheet(n)) << n;
}

// Validation names the file, the field, the value and the allowed range (DESIGN.md convention 8).
TEST(Pricing, PriceSheetValidationNamesFileFieldValue) {
  const json good = {{"provider", "X"}, {"model", "Y"}, {"date", "2026-01-01"}, {"source_url", "https://x"},
                     {"input_usd_per_mtok", 1.0}, {"output_usd_per_mtok", 4.0}};
  EXPECT_NO_THROW(PriceSheetFromJson(good, "x.json"));
  auto expect_error = [](const json& doc, const std::string& field, const std::string& value) {
    try {
      PriceSheetFromJson(doc, "bad.json");
      ADD_FAILURE() << "no error for " << field;
    } catch (const ScenarioError& e) {
      EXPECT_EQ(e.file(), "bad.json");
      EXPECT_EQ(e.field(), field);
      EXPECT_EQ(e.value(), value);
      EXPECT_FALSE(e.allowed().empty());
      EXPECT_NE(std::string(e.what()).find("bad.json: " + field), std::string::npos) << e.what();
    }
  };
  json d = good;
  d["input_usd_per_mtok"] = -1;
  expect_error(d, "input_usd_per_mtok", "-1");
  d = good;
  d["output_usd_per_mtok"] = "cheap";
  expect_error(d, "output_usd_per_mtok", "\"cheap\"");
  d = good;
  d["inptu_usd_per_mtok"] = 2;
  expect_error(d, "inptu_usd_per_mtok", "2");
  d = good;
  d.erase("provider");
  expect_error(d, "provider", "");
  d = good;
  d["long_context"] = json::array({{{"above_tokens", 200000}, {"input_usd_per_mtok", 4}, {"output_usd_per_mtok", 18}},
                                   {{"above_tokens", 100000}, {"input_usd_per_mtok", 5}, {"output_usd_per_mtok", 20}}});
  expect_error(d, "long_context[1].above_tokens", "100000");
  d = good;
  d["fast_mode"] = {{"price_multiple", 0.5}};
  expect_error(d, "fast_mode.price_multiple", "0.5");
  d = good;
  d["listing"] = "blog";
  expect_error(d, "listing", "blog");
  try {
    LoadPriceSheet("no-such-sheet");
    ADD_FAILURE();
  } catch (const ScenarioError& e) {
    EXPECT_NE(e.allowed().find("anthropic-opus-4.6"), std::string::npos);
  }
  const json tiers = {{"tiers", json::array({{{"name", "hbm"}, {"capacity_bytes", 80e9}, {"bytes_per_s", 0}, {"usd_per_hour", 2}}})}};
  try {
    TierSetFromJson(tiers, "t.json");
    ADD_FAILURE();
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.field(), "tiers[0].bytes_per_s");
  }
}

// ---------------------------------------------------------------------------------------------
// Storage tiers (lecture §1.11d)
// ---------------------------------------------------------------------------------------------

// The lecture's own worked setting: 1,667 B/token, 100B active, ratio 300 on the lecture's HBM.
TierWorkload LectureWorkload() {
  TierWorkload w;
  w.kv_bytes_per_token = KvBytesPerTokenFromKink(200e3, 100e9, 300);
  w.params_active = 100e9;
  w.gpu_flops_per_s = 2 * 300 * 20e12;  // standard FLOPs: 2 per MAC (§1.4)
  w.gpu_usd_per_s = 2.0 / 3600;
  return w;
}

// lecture §1.11d: hold = bytes_tok/capacity x $/s x t; retrieve = bytes_tok/BW x $/s; remat = 2N/FLOPs x $.
TEST(Pricing, TierCostFormulas) {
  const TierSet set = LoadTierSet("lecture");
  const TierWorkload w = LectureWorkload();
  const StorageTier& remat = set.tiers.at(0);
  const StorageTier& hbm = set.tiers.at(1);
  const TierCost r = TierCostFor(remat, w, 1e6);
  EXPECT_EQ(r.hold_usd_per_token, 0);
  const double remat_expect = 2 * 100e9 / w.gpu_flops_per_s * w.gpu_usd_per_s;
  EXPECT_NEAR(r.retrieve_usd_per_token, remat_expect, remat_expect * kRel);
  const TierCost h = TierCostFor(hbm, w, 0.5);
  const double hold_expect = w.kv_bytes_per_token / 288e9 * (2.0 / 3600) * 0.5;
  EXPECT_NEAR(h.hold_usd_per_token, hold_expect, hold_expect * kRel);
  const double retrieve_expect = w.kv_bytes_per_token / 20e12 * w.gpu_usd_per_s;
  EXPECT_NEAR(h.retrieve_usd_per_token, retrieve_expect, retrieve_expect * kRel);
  // Two tiers cost the same at their crossover hold time.
  const double t = CrossoverHoldS(set.tiers.at(1), set.tiers.at(2), w);
  ASSERT_GT(t, 0);
  const double c1 = TierCostFor(set.tiers.at(1), w, t).total_usd_per_token;
  const double c2 = TierCostFor(set.tiers.at(2), w, t).total_usd_per_token;
  EXPECT_NEAR(c1, c2, c1 * 1e-9);
}

// lecture §1.11d: as the hold grows, the cheapest tier moves only toward cheaper-to-hold tiers
// (the minimum of lines a_i·t + r_i picks ever-smaller slopes); the closed-form envelope agrees
// with a brute-force sweep.
TEST(Pricing, CheapestTierIsMonotoneInHoldTime) {
  for (const char* billed : {"gpu", "tier"})
  for (const std::string& base : ListTierSets()) {
    TierSet set = LoadTierSet(base);
    for (StorageTier& st : set.tiers) st.retrieve_billed_to_gpu = std::string(billed) == "gpu";
    const std::string name = base + " (retrieve billed to " + std::string(billed) + ")";
    const TierWorkload w = LectureWorkload();
    double last_slope = std::numeric_limits<double>::infinity();
    std::string last_tier;
    int changes = 0;
    for (double t = 1e-4; t < 1e10; t *= 1.05) {
      const TierCost c = CheapestTier(set.tiers, w, t);
      EXPECT_LE(c.hold_usd_per_token_s, last_slope) << name << " at " << t << " s";
      if (c.tier != last_tier) ++changes;
      last_slope = c.hold_usd_per_token_s;
      last_tier = c.tier;
    }
    EXPECT_GE(changes, 2) << name;  // HBM first, remat for very long holds, stored tiers between
    const auto spans = CheapestTierSpans(set.tiers, w);
    ASSERT_FALSE(spans.empty());
    EXPECT_EQ(spans.back().to_hold_s, std::numeric_limits<double>::infinity());
    for (const TierSpan& s : spans) {
      const double mid = std::isfinite(s.to_hold_s)
                             ? (s.from_hold_s > 0 ? std::sqrt(s.from_hold_s * s.to_hold_s) : s.to_hold_s / 2)
                             : std::max(1.0, s.from_hold_s) * 10;
      EXPECT_EQ(CheapestTier(set.tiers, w, mid).tier, s.tier) << name << " span from " << s.from_hold_s;
    }
    EXPECT_EQ(spans.back().tier, "remat") << name;  // zero hold cost wins for long enough holds
  }
}

// lecture §1.11d: pick the tier whose drain time matches the hold time; HBM ~20 ms, DDR ~1-10 s,
// flash ~1 min, disk ~1 h; so the 5-minute and 1-hour cache prices "identify flash and disk".
TEST(Pricing, DrainRuleAndCachePriceReading) {
  const TierSet set = LoadTierSet("lecture");
  EXPECT_EQ(TierByDrainRule(set.tiers, 0.02).name, "hbm");
  EXPECT_EQ(TierByDrainRule(set.tiers, 5).name, "host-dram");
  EXPECT_EQ(TierByDrainRule(set.tiers, 60).name, "flash");
  const CacheReading c = ReadCachePrices(LoadPriceSheet("anthropic-opus-4.6"), set.tiers);
  EXPECT_EQ(c.tier_5m, "flash");
  EXPECT_EQ(c.tier_1h, "disk");
  // lecture §1.11c: 5-min write $6.25 and 1-h write $10 over $5 input: premiums $1.25 and $5 per MTok.
  EXPECT_NEAR(c.hold_5m_premium_usd_per_mtok, 1.25, kRel);
  EXPECT_NEAR(c.hold_1h_premium_usd_per_mtok, 5.0, kRel);
  EXPECT_NEAR(c.hold_5m_usd_per_mtok_s, 1.25 / 300, kRel);
  EXPECT_NEAR(c.hit_to_input, 0.1, kRel);
}

// ---------------------------------------------------------------------------------------------
// Input against output, fast and slow mode (lecture §1.11b, §1.11e)
// ---------------------------------------------------------------------------------------------

// lecture §1.11b: at the same FLOPs per token, price ∝ 1/MFU, so the engine's output/input cost
// ratio times its decode/prefill MFU ratio is 1, corrected only by prefill's attention FLOPs:
// F / (F + attention/T).
TEST(Pricing, EngineInputOutputMatchesMfuRatio) {
  Scenario s = DefaultScenario();
  s.serving.batch = 64;
  const InputOutputCosts c = EngineInputOutputCosts(s);
  const double T = s.serving.prompt_tokens;
  const double F = MatmulFlopsPerToken(s.model);
  const double attn_per_token = 0.5 * AttentionFlopsPerToken(s.model, T);  // causal half (serving.cpp)
  EXPECT_NEAR(c.output_to_input * c.mfu_decode_to_prefill, F / (F + attn_per_token), kRel * 10);
  EXPECT_GT(c.output_to_input, 1);  // decode is memory-bound at batch 64 on H100 (§1.11b)
  EXPECT_NEAR(c.output_tokens_per_usd * c.output_usd_per_mtok, 1e6, 1e6 * kRel);
}

ServingModel RawServingModel() {
  // The lecture's shape: 100B active of 800B total (sparsity 8), fp4 weights, 1,667 B/token KV at
  // 200K context, one NVL72-like domain with ratio-300 chips (lecture §1.2-1.3, §1.11a).
  ServingModel m;
  m.params_total = 800e9;
  m.params_active = 100e9;
  m.weight_bytes_total = 800e9 * 0.5;
  m.matmul_flops_per_token = 2 * 100e9;
  m.kv_bytes_per_token = KvBytesPerTokenFromKink(200e3, 100e9, 300);
  m.context = 100e3;
  m.chips_per_stage = 72;
  m.flops_per_chip = 2 * 300 * 8e12;
  m.hbm_bytes_per_s = 8e12;
  m.usd_per_chip_s = 2.0 / 3600;
  return m;
}

// lecture §1.2 / §1.11e: a smaller batch buys latency down to the weight-fetch floor and costs
// (step/B) per token; the price multiple is (B_std/B_fast)/speed-up; the unamortised floor is the
// per-sequence compute and KV, which a very large batch approaches.
TEST(Pricing, FastAndSlowMode) {
  const ServingModel m = RawServingModel();
  const double b_std = 4000, b_fast = 400;
  const SpeedTradeoff t = CompareBatches(m, b_std, b_fast);
  EXPECT_GT(t.speedup, 1);
  EXPECT_NEAR(t.price_multiple, (b_std / b_fast) / t.speedup, t.price_multiple * kRel);
  // Latency floor N_total bytes / (S · BW) (lecture §1.2).
  EXPECT_NEAR(t.latency_floor_s, 400e9 / (72 * 8e12), t.latency_floor_s * kRel);
  EXPECT_LE(t.speedup, t.max_speedup);
  // Floor: max(compute, KV) per token for the max step model, x the replica's $/s.
  const double per_token = std::max(2 * 100e9 / (72 * 2 * 300 * 8e12), 100e3 * m.kv_bytes_per_token / (72 * 8e12));
  EXPECT_NEAR(t.floor_usd_per_token, per_token * 72 * 2.0 / 3600, t.floor_usd_per_token * kRel);
  const double huge = m.Decode(1e9).usd_per_token;  // weight term 1e-9 of the floor at this batch
  EXPECT_NEAR(huge, t.floor_usd_per_token, t.floor_usd_per_token * 1e-6);
  // A speed-up asks for the batch whose step is std/speedup; beyond the floor there is none.
  const double b = BatchForSpeedup(m, b_std, 2.0);
  ASSERT_GT(b, 0);
  EXPECT_NEAR(m.Decode(b).step_s, m.Decode(b_std).step_s / 2, m.Decode(b_std).step_s * 1e-6);
  EXPECT_EQ(BatchForSpeedup(m, b_std, t.max_speedup * 1.01), 0);
}

// ---------------------------------------------------------------------------------------------
// The departing train (lecture §1.5)
// ---------------------------------------------------------------------------------------------

// lecture §1.5: uniform arrivals wait T/2 on average and T at worst; with a 20 ms period and
// service 20 ms the worst latency is 20 + 20 = 40 ms. The wait of an arrival uniform over a whole
// number of periods is Uniform(0, T): variance T²/12, so the mean of n waits has standard error
// T/sqrt(12 n). With n = 200,000 that is 1.3e-5 s; we allow 4 standard errors (a fixed seed gives a
// fixed draw; 4 SE would fail by chance 6e-5 of the time for a random seed).
TEST(Pricing, QueueMeanLatencyMatchesClosedFormUniform) {
  TrainQueueParams p;
  p.period_s = 0.020;
  p.arrival_rate_per_s = 2000;
  p.duration_s = 100.0;  // 5,000 whole periods
  p.process = ArrivalProcess::kUniform;
  p.seed = 42;
  const TrainTimeline t = SimulateTrainDeparture(p);
  const TrainClosedForm cf = TrainClosedFormOf(p);
  const double n = static_cast<double>(t.arrival_s.size());
  ASSERT_EQ(n, 200000);
  const double se = p.period_s / std::sqrt(12 * n);
  EXPECT_NEAR(t.mean_wait_s, cf.mean_wait_s, 4 * se);
  EXPECT_NEAR(t.mean_latency_s, cf.mean_latency_s, 4 * se);
  EXPECT_NEAR(cf.mean_latency_s, 0.030, 1e-15);
  EXPECT_NEAR(cf.worst_latency_s, 0.040, 1e-15);  // the lecture's 40 ms
  EXPECT_LE(t.max_latency_s, cf.worst_latency_s + 1e-15);
  // P(no wait above (1 - 1e-4)·T) = (1 - 1e-4)^200000 = e^-20: the worst case is reached.
  EXPECT_GT(t.max_latency_s, cf.worst_latency_s - 1e-4 * p.period_s);
  // Every request boards the first train at or after its arrival; histogram counts every request.
  int total = 0;
  for (int c : t.histogram_counts) total += c;
  EXPECT_EQ(total, 200000);
  EXPECT_EQ(t.histogram_edges_s.size(), t.histogram_counts.size() + 1);
  // Mean batch = rate x T = 40 (lecture §1.6: B / t_step is the throughput).
  double seats = 0;
  for (int b : t.batch) seats += b;
  EXPECT_NEAR(seats / static_cast<double>(t.batch.size() - 1), cf.mean_batch, 0.01 * cf.mean_batch);
}

// Poisson arrivals are uniform given their count (PASTA), so the same closed form holds.
TEST(Pricing, QueuePoissonAndDeterminism) {
  TrainQueueParams p;
  p.period_s = 0.0144;  // the HBM drain time as the natural period (test vector 4)
  p.arrival_rate_per_s = 5000;
  p.duration_s = 0.0144 * 3000;
  p.process = ArrivalProcess::kPoisson;
  p.seed = 7;
  const TrainTimeline a = SimulateTrainDeparture(p);
  const TrainTimeline b = SimulateTrainDeparture(p);
  EXPECT_EQ(a.arrival_s, b.arrival_s);
  EXPECT_EQ(a.latency_s, b.latency_s);
  const double n = static_cast<double>(a.arrival_s.size());
  // Expected 216,000 arrivals; the count itself is Poisson (sd 465).
  EXPECT_NEAR(n, 216000, 4 * std::sqrt(216000.0));
  EXPECT_NEAR(a.mean_wait_s, p.period_s / 2, 4 * p.period_s / std::sqrt(12 * n));
  p.seed = 8;
  EXPECT_NE(SimulateTrainDeparture(p).arrival_s, a.arrival_s);
  p.period_s = 0;
  EXPECT_THROW(SimulateTrainDeparture(p), ScenarioError);
}

}  // namespace
}  // namespace blackboard
