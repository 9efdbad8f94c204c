// Layouts against ZeRO (published-numbers §2: ZERO-F0..F3, Table 1, ZERO-C1..C3), ESTI (lecture.md
// §3.2-3.3, test vectors 13-14), Megatron traffic (MEG-F9/F10) and FSDP vs DP (test vector 19).
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "blackboard/layout.hpp"
#include "blackboard/model.hpp"
#include "blackboard/scenario.hpp"

namespace blackboard {
namespace {

// ZeRO Table 1 prints GB (1e9 bytes). Cells >= 100 are printed truncated to an integer (4187.5 ->
// 4187, 257.75 -> 257, and also 513.5 -> 513, 2218.75 -> 2218, 4046.9 -> 4046, 2054.7 -> 2054,
// 4011.7 -> 4011, 2013.7 -> 2013); cells in [10, 100) rounded to one decimal (41.25 -> 41.3);
// cells below 10 to two decimals (1.875 -> 1.88, 0.469 -> 0.47).
double AsPrintedInZeroTable1(double gb) {
  if (gb >= 100) return std::floor(gb);
  if (gb >= 10) return std::round(gb * 10) / 10;
  return std::round(gb * 100) / 100;
}

TEST(Layout, ZeroTable1AllCellsFromLayoutBytes) {
  const double models[] = {7.5e9, 128e9, 1e12};
  const int dps[] = {1, 4, 16, 64, 256, 1024};
  // published-numbers §2.2, rows N_d; columns (model, stage os=1 / os+g=2 / os+g+p=3).
  const double table[6][9] = {
      {120, 120, 120, 2048, 2048, 2048, 16000, 16000, 16000},
      {52.5, 41.3, 30, 896, 704, 512, 7000, 5500, 4000},
      {35.6, 21.6, 7.5, 608, 368, 128, 4750, 2875, 1000},
      {31.4, 16.6, 1.88, 536, 284, 32, 4187, 2218, 250},
      {30.4, 15.4, 0.47, 518, 263, 8, 4046, 2054, 62.5},
      {30.1, 15.1, 0.12, 513, 257, 2, 4011, 2013, 15.6}};
  int cells = 0;
  for (int row = 0; row < 6; ++row) {
    for (int mi = 0; mi < 3; ++mi) {
      for (int stage = 1; stage <= 3; ++stage) {
        ParallelPlan plan;
        plan.dp = dps[row];
        plan.zero = stage;
        const LayoutModel model = UniformLayoutModel(models[mi], 4);
        // Every rank holds the same bytes under pure DP; check the first and the last.
        for (int rank : {0, plan.dp - 1}) {
          const GpuLayout g = LayoutForRank(model, plan, rank);
          const double gb = g.memory.TotalBytes() / 1e9;
          EXPECT_NEAR(g.memory.TotalBytes(), ZeroModelStateBytes(models[mi], stage, plan.dp),
                      1e-9 * g.memory.TotalBytes());
          EXPECT_DOUBLE_EQ(AsPrintedInZeroTable1(gb), table[row][mi * 3 + stage - 1])
              << "Psi " << models[mi] << " N_d " << plan.dp << " stage " << stage << " exact " << gb;
        }
        ++cells;
      }
    }
  }
  EXPECT_EQ(cells, 54);
}

// ZERO-F0..F3 on a real architecture, with every state's bytes (2 + 2 + 4 + 4 + 4 per parameter).
TEST(Layout, MemoryAgreesWithZeroFormulasOnARealModel) {
  const Scenario s = DefaultScenario();  // Llama 3 70B
  const LayoutModel model = LayoutModelFromModel(s.model);
  const double psi = CountParameters(s.model).total;
  EXPECT_NEAR(model.TotalParams(), psi, 1e-9 * psi);
  for (int stage = 0; stage <= 3; ++stage) {
    ParallelPlan plan;
    plan.dp = 64;
    plan.zero = stage;
    const GpuLayout g = LayoutForRank(model, plan, 17);
    EXPECT_NEAR(g.memory.TotalBytes(), ZeroModelStateBytes(psi, stage, 64), 1e-9 * 16 * psi);
    double by_state[5] = {0, 0, 0, 0, 0};
    for (const ShardRef& r : g.shards) by_state[static_cast<int>(r.state)] += r.bytes;
    const double nd_w = stage >= 3 ? 64 : 1, nd_g = stage >= 2 ? 64 : 1, nd_o = stage >= 1 ? 64 : 1;
    EXPECT_NEAR(by_state[0], 2 * psi / nd_w, 1e-9 * psi);
    EXPECT_NEAR(by_state[1], 2 * psi / nd_g, 1e-9 * psi);
    for (int k = 2; k < 5; ++k) EXPECT_NEAR(by_state[k], 4 * psi / nd_o, 1e-9 * psi);
  }
}

// tp x pp split the model: the ranks of one data-parallel replica hold 2Ψ of bf16 weights together,
// and ZeRO over dp x cp divides the optimizer state further.
TEST(Layout, ModelParallelShardsCoverTheModelOnce) {
  const Scenario s = DefaultScenario();
  const LayoutModel model = LayoutModelFromModel(s.model);
  const double psi = model.TotalParams();
  ParallelPlan plan;
  plan.tp = 8;
  plan.pp = 4;
  plan.cp = 2;
  plan.dp = 2;
  plan.zero = 1;
  const auto all = BuildTrainingLayout(model, plan);
  double weights = 0, optimizer = 0;
  for (const GpuLayout& g : all) {
    weights += g.memory.weights_bytes;
    optimizer += g.memory.optimizer_bytes;
  }
  EXPECT_NEAR(weights, 2 * psi * plan.dp * plan.cp, 1e-9 * psi);  // replicated over dp and cp
  EXPECT_NEAR(optimizer, 12 * psi, 1e-9 * psi);                    // ZeRO-1: stored once
  std::set<int> layers;
  for (const GpuLayout& g : all)
    for (int l = g.first_layer; l < g.first_layer + g.layer_count; ++l) layers.insert(l);
  EXPECT_EQ(layers.size(), static_cast<size_t>(s.model.layers));
}

// Megatron order tp-cp-dp-pp: tp fastest, then cp, then dp, then pp; a bijection.
TEST(Layout, RankCoordinatesFollowMegatronOrder) {
  ParallelPlan plan;
  plan.tp = 4;
  plan.cp = 2;
  plan.dp = 3;
  plan.pp = 2;
  EXPECT_EQ(CoordOfRank(plan, 1).tp, 1);
  EXPECT_EQ(CoordOfRank(plan, 4).cp, 1);
  EXPECT_EQ(CoordOfRank(plan, 8).dp, 1);
  EXPECT_EQ(CoordOfRank(plan, 24).pp, 1);
  for (int r = 0; r < plan.Ranks(); ++r) {
    const RankCoord c = CoordOfRank(plan, r);
    EXPECT_EQ(RankOfCoord(plan, c.tp, c.cp, c.dp, c.pp), r);
  }
}

// lecture.md §1.8: DeepSeek's 256 experts on 64 GPUs of a rack, 4 each; every expert held once per
// expert-data-parallel replica.
TEST(Layout, ExpertsSpreadOverTheExpertParallelGroup) {
  LayoutModel model;
  model.layers.assign(2, LayerParams{1e8, 256, 3.0 * 7168 * 2048});
  ParallelPlan plan;
  plan.dp = 64;
  plan.ep = 64;
  plan.zero = 1;
  std::multiset<int> experts;
  for (const GpuLayout& g : BuildTrainingLayout(model, plan))
    for (const ShardRef& r : g.shards)
      if (r.group == TensorGroup::kLayerExperts && r.layer == 0 && r.state == StateKind::kWeights) {
        EXPECT_EQ(r.experts, 4);
        for (int e = r.first_expert; e < r.first_expert + r.experts; ++e) experts.insert(e);
      }
  EXPECT_EQ(experts.size(), 256u);
  EXPECT_EQ(std::set<int>(experts.begin(), experts.end()).size(), 256u);
}

// ---- ESTI (lecture.md §3.2), PaLM 540B FFN on 64 TPU v4 chips (4x4x4), F = 4E.

FfnProblem Palm(double tokens) {
  FfnProblem p;
  p.tokens = tokens;
  return p;
}

// Test vector 14: at n = 64 the 2D layout moves BLE/BW (8/sqrt(64) = 1) against 1D's 2BLE/BW.
TEST(Layout, EstiTwoDimensionalHalvesOneDimensionalAt64Chips) {
  const FfnProblem p = Palm(2048);
  const double ble_over_bw = p.tokens * p.d_model * p.bytes_per_element / p.bytes_per_s;
  EXPECT_NEAR(FfnCommTime(FfnLayout::k1DWeightStationary, p), 2 * ble_over_bw, 1e-12);
  EXPECT_NEAR(FfnComm2DOptimalS(p), ble_over_bw, 1e-12);
  // The 4x4x4 torus has X = 4 = sqrt(n E / F): the torus layout is the optimum.
  EXPECT_NEAR(FfnCommTime(FfnLayout::k2DWeightStationary, p), ble_over_bw, 1e-12);
  // 2D beats 1D iff sqrt(n) > F/E = 4, i.e. n > 16 (ESTI §3.2): equal at n = 16.
  FfnProblem p16 = p;
  p16.z = 1;
  EXPECT_NEAR(FfnComm2DOptimalS(p16), FfnCommTime(FfnLayout::k1DWeightStationary, p16), 1e-12);
}

// Weight-gathered minimum 4E sqrt(BLF)/(sqrt(n) BW) at N = sqrt(BL n / F): with BL = 4F, N = 16 = XY.
TEST(Layout, EstiWeightGatheredMinimum) {
  const FfnProblem p = Palm(4 * 73728.0);
  EXPECT_NEAR(FfnCommTime(FfnLayout::kWeightGatheredXY, p), FfnCommWeightGatheredOptimalS(p),
              1e-12 * FfnCommWeightGatheredOptimalS(p));
  EXPECT_GT(FfnCommTime(FfnLayout::kWeightGatheredX, p), FfnCommWeightGatheredOptimalS(p));
  EXPECT_GT(FfnCommTime(FfnLayout::kWeightGatheredXYZ, p), FfnCommWeightGatheredOptimalS(p));
}

// The rule: 2D weight-stationary for few tokens (decode), weight-gathered for large prefill batches
// (ESTI §3.2). With the formulas (units of E/BW): 2D = BL, X-WG = F/8 + BL/2, XY-WG = F/2 + BL/8,
// XYZ-WG = 2F + BL/32, so 2D -> X at BL = F/4 = 18,432 (the analytic crossover of lecture.md §3.2),
// X -> XY at BL = F = 73,728 and XY -> XYZ at 16F = 1.18M tokens. (The secondary reading of the
// paper's Figure 3, XYZ lowest "by ~200K", does not follow from these formulas; not asserted.)
TEST(Layout, EstiChoosesTheCheapestLayoutPerTokenCount) {
  EXPECT_EQ(ChooseFfnLayout(Palm(64)).best.layout, FfnLayout::k2DWeightStationary);
  EXPECT_EQ(ChooseFfnLayout(Palm(2048)).best.layout, FfnLayout::k2DWeightStationary);
  EXPECT_EQ(ChooseFfnLayout(Palm(200e3)).best.layout, FfnLayout::kWeightGatheredXY);
  EXPECT_EQ(ChooseFfnLayout(Palm(2e6)).best.layout, FfnLayout::kWeightGatheredXYZ);
  // The crossovers sit where the formulas say (just below / above each one).
  EXPECT_EQ(ChooseFfnLayout(Palm(0.99 * 73728 / 4)).best.layout, FfnLayout::k2DWeightStationary);
  EXPECT_EQ(ChooseFfnLayout(Palm(1.01 * 73728 / 4)).best.layout, FfnLayout::kWeightGatheredX);
  EXPECT_EQ(ChooseFfnLayout(Palm(1.01 * 73728)).best.layout, FfnLayout::kWeightGatheredXY);
  EXPECT_EQ(ChooseFfnLayout(Palm(1.01 * 16 * 73728)).best.layout, FfnLayout::kWeightGatheredXYZ);
  int last = 0;
  for (double tokens = 1; tokens < 1e8; tokens *= 1.5) {
    const int now = static_cast<int>(ChooseFfnLayout(Palm(tokens)).best.layout);
    EXPECT_GE(now, last);
    last = now;
  }
  // Only the weight-stationary layouts allowed: 2D still wins at 64 chips.
  EXPECT_EQ(ChooseFfnLayout(Palm(1e6), {FfnLayout::k1DWeightStationary,
                                        FfnLayout::k2DWeightStationary}).best.layout,
            FfnLayout::k2DWeightStationary);
}

TEST(Layout, EstiWeightBlocksTileTheMatrix) {
  const FfnProblem p = Palm(1);
  for (FfnLayout l : {FfnLayout::k1DWeightStationary, FfnLayout::k2DWeightStationary}) {
    double area = 0;
    for (const WeightBlock& b : FfnWeightBlocks(l, p)) area += (b.row1 - b.row0) * (b.col1 - b.col0);
    EXPECT_NEAR(area, p.d_model * p.d_ff, 1e-6);
  }
  const auto blocks = FfnWeightBlocks(FfnLayout::k2DWeightStationary, p);
  EXPECT_DOUBLE_EQ(blocks[5].row0, p.d_model / 4);   // chip 5: x = 1
  EXPECT_DOUBLE_EQ(blocks[5].col0, p.d_ff / 16);     // yz = 1
}

// ESTI Table 1 (lecture.md §3.3): PaLM 540B, 64 TPU v4, 30% of 32 GiB for KV. The reproduction in
// §3.3 gets 666 for the paper's 660 and 42,600 for 43,000: the paper rounds to 2-3 significant
// figures, so 1.5% is the honest tolerance (measured errors are printed on failure).
TEST(Layout, EstiTable1MaxContext) {
  struct Row {
    int kv_heads, head_dim;
    bool batch_sharded;
    double at128, at512;
  } rows[] = {{48, 128, false, 1320, 330},   // multihead, heads sharded (one per chip)
              {1, 256, false, 660, 165},     // baseline multiquery: the KV head replicated
              {1, 256, true, 43000, 10700}}; // optimized multiquery: batch-sharded
  for (const Row& r : rows) {
    KvCapacityProblem p;
    p.kv_heads = r.kv_heads;
    p.head_dim = r.head_dim;
    p.batch_sharded = r.batch_sharded;
    p.batch = 128;
    EXPECT_NEAR(MaxContextTokens(p), r.at128, 0.015 * r.at128);
    p.batch = 512;
    EXPECT_NEAR(MaxContextTokens(p), r.at512, 0.015 * r.at512);
  }
  // Test vector 13: 120,832 bytes of MQA KV per token.
  EXPECT_DOUBLE_EQ(2.0 * 118 * 1 * 256 * 2, 120832.0);
}

// ---- traffic per step

Scenario TrainingScenario(int zero) {
  Scenario s = DefaultScenario();  // Llama 3 70B on H100
  s.cluster.racks = 4;
  s.cluster.chips_per_rack = 8;
  s.training.tp = 8;
  s.training.pp = 1;
  s.training.dp = 4;
  s.training.cp = 1;
  s.training.zero = zero;
  s.training.global_batch = 64;
  s.training.micro_batch = 1;
  return s;
}

// ZERO-C1..C3 / test vector 19: DP moves 2x params, FSDP 3x params: 1.5x.
TEST(Layout, FsdpMovesThreeHalvesOfDataParallel) {
  EXPECT_EQ(DataParallelVolumeInParams(0), 2.0);
  EXPECT_EQ(DataParallelVolumeInParams(2), 2.0);
  EXPECT_EQ(DataParallelVolumeInParams(3), 3.0);
  const TrainingTraffic dp = TrainingStepTraffic(TrainingScenario(1));
  const TrainingTraffic fsdp = TrainingStepTraffic(TrainingScenario(3));
  ASSERT_NE(dp.Find("dp"), nullptr);
  ASSERT_NE(fsdp.Find("fsdp"), nullptr);
  EXPECT_NEAR(fsdp.Find("fsdp")->bytes_per_gpu / dp.Find("dp")->bytes_per_gpu, 1.5, 1e-12);
  // 2(N-1)/N of the local bf16 gradients (nccl-tests §8.1 all-reduce factor), N = 4, Ψ/8 per GPU.
  const double psi_local = LayoutModelFromModel(TrainingScenario(1).model).TotalParams() / 8;
  EXPECT_NEAR(dp.Find("dp")->bytes_per_gpu, 2.0 * 3 / 4 * psi_local * 2, 1e-6 * psi_local);
  EXPECT_EQ(dp.Find("dp")->link, LinkClass::kScaleOut);  // dp spans the 4 racks
  EXPECT_EQ(dp.Find("tp")->link, LinkClass::kScaleUp);
}

// MEG-F9: 8bsh(t-1)/t elements per layer per micro-batch for TP.
TEST(Layout, TensorParallelTrafficIsMegatronF9) {
  const Scenario s = TrainingScenario(1);
  const TrainingTraffic t = TrainingStepTraffic(s);
  const double b = 1, seq = s.training.seq_len, h = s.model.d_model, tp = 8;
  const double micro_batches = 64.0 / 4;
  EXPECT_NEAR(t.Find("tp")->bytes_per_gpu,
              8 * b * seq * h * (tp - 1) / tp * 2 * s.model.layers * micro_batches, 1.0);
  EXPECT_EQ(t.Find("tp")->exposed_s, t.Find("tp")->comm_s);  // critical path
}

// MEG-F10: bsh per boundary per micro-batch, bsh/t with scatter/gather; forward and backward.
TEST(Layout, PipelineTrafficIsMegatronF10) {
  Scenario s = TrainingScenario(1);
  s.training.pp = 4;
  s.training.dp = 1;
  s.training.sequence_parallel = true;
  const TrainingTraffic t = TrainingStepTraffic(s);
  const double micro_batches = 64;
  EXPECT_NEAR(t.Find("pp")->bytes_per_gpu,
              2 * micro_batches * 1.0 * s.training.seq_len * s.model.d_model * 2 / 8, 1.0);
  EXPECT_LT(t.Find("pp")->exposed_s, t.Find("pp")->comm_s);  // hidden except fill and drain
  EXPECT_EQ(t.Find("pp")->link, LinkClass::kScaleOut);        // stage stride 8 = one rack
}

}  // namespace
}  // namespace blackboard
