#include "blackboard/moe_rack.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace blackboard {
namespace {

ClusterTopology Links() {
  ClusterTopology t;
  t.scaleup = {900e9, 1e-6};
  t.scaleout = {900e9 / 8, 5e-6};  // lecture.md §1.8: scale-out ~8x slower
  return t;
}

TEST(MoeRack, OneRackAllCopiesOnScaleUp) {
  // DeepSeek-like: 256 experts on 64 GPUs, k = 8, d = 7168, bf16; 4096 tokens -> 64 per GPU.
  const MoeAllToAll a = MoeLayerAllToAll({4096, 7168, 2, 8, 64, 1}, Links());
  EXPECT_DOUBLE_EQ(a.tokens_per_gpu, 64);
  EXPECT_DOUBLE_EQ(a.bytes_per_token, 8 * 7168 * 2);
  EXPECT_DOUBLE_EQ(a.scaleup_bytes, 64 * 8 * 7168 * 2 * 63.0 / 64);
  EXPECT_DOUBLE_EQ(a.scaleout_bytes, 0);
  EXPECT_DOUBLE_EQ(a.all_to_all_s, 1e-6 + a.scaleup_bytes / 900e9);
  EXPECT_DOUBLE_EQ(a.layer_s, 2 * a.all_to_all_s);
}

TEST(MoeRack, TwoRacksHalfTheCopiesLeaveAndDominate) {
  const MoeAllToAll one = MoeLayerAllToAll({4096, 7168, 2, 8, 64, 1}, Links());
  const MoeAllToAll two = MoeLayerAllToAll({4096, 7168, 2, 8, 64, 2}, Links());
  EXPECT_DOUBLE_EQ(two.scaleout_fraction, 0.5);
  EXPECT_DOUBLE_EQ(two.scaleup_fraction + two.scaleout_fraction + two.local_fraction, 1);
  EXPECT_DOUBLE_EQ(two.all_to_all_s, two.scaleout_s);
  EXPECT_DOUBLE_EQ(two.layer_s, 2 * (5e-6 + 64.0 * 8 * 7168 * 2 * 0.5 / (900e9 / 8)));
  // Half the bytes at 1/8 the bandwidth: about 4x slower (latency adds a little).
  EXPECT_GT(two.layer_s / one.layer_s, 4.0);
  EXPECT_LT(two.layer_s / one.layer_s, 4.5);
}

TEST(MoeRack, RejectsUnevenSplit) {
  EXPECT_THROW(MoeLayerAllToAll({1, 1, 2, 1, 63, 2}, Links()), std::invalid_argument);
}

}  // namespace
}  // namespace blackboard
