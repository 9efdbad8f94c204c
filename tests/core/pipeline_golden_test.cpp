// Golden fingerprints of the pipeline simulator: the event list (ScheduleHash) and the derived
// figures (step time, bubble, busy and idle time, peaks, memory lanes) of every schedule on a broad
// set of shapes and costs, pinned bit-exact. They were computed with the simulator before its
// performance rework (issue 3's 64 x 512 < 5 ms target), so any optimisation must reproduce every
// event, order and timestamp exactly. Costs include ties (unit costs, where the ZB greedy rule and
// the event order depend on tie-breaking), Zero Bubble Table 1 ratios and uneven per-chunk costs
// with p2p time, transfers on and off, and a tail. One deliberate change since: the ZB generator
// counts the M_W that deferred W's hold against the published peak memories (PP-5 / PP-6), which
// changed the ZB rows with stashes (Table 1 and uneven costs) and no other.
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "blackboard/pipeline.hpp"

namespace blackboard {
namespace {

enum class Costs { kUnit, kNoW, kTable1, kUneven };

struct GoldenCase {
  ScheduleKind kind;
  int p, m, v;
  Costs costs;
  double p2p_s;
  bool emit_transfers;
  double tail_s;
  std::uint64_t events_hash;   // ScheduleHash
  std::uint64_t derived_hash;  // DerivedHash below
};

PipelineSpec MakeSpec(const GoldenCase& g) {
  PipelineSpec s;
  s.schedule = g.kind;
  s.stages = g.p;
  s.micro_batches = g.m;
  s.virtual_stages = g.v;
  s.p2p_s = g.p2p_s;
  s.emit_transfers = g.emit_transfers;
  s.tail_s = g.tail_s;
  switch (g.costs) {
    case Costs::kUnit: break;  // F = B = W = 1
    case Costs::kNoW:
      s.backward_s = {2.0};
      s.weight_s = {0.0};
      break;
    case Costs::kTable1:  // Zero Bubble Table 1 with s = h: F:B:W = 7:8:6
      s.forward_s = {7.0};
      s.backward_s = {8.0};
      s.weight_s = {6.0};
      s.activation_bytes = {1e9};
      s.weight_grad_bytes = {3e8};
      break;
    case Costs::kUneven: {  // every chunk different, heavier last chunk (output layer)
      const int n = ModelChunks(s);
      s.forward_s.clear();
      s.backward_s.clear();
      s.weight_s.clear();
      s.activation_bytes.clear();
      s.weight_grad_bytes.clear();
      for (int c = 0; c < n; ++c) {
        const double f = 1.0 + 0.37 * ((c * 7) % 5) + (c == n - 1 ? 0.9 : 0.0);
        s.forward_s.push_back(f);
        s.backward_s.push_back(1.1 * f + 0.05 * (c % 3));
        s.weight_s.push_back(0.6 + 0.11 * ((c * 3) % 4));
        s.activation_bytes.push_back(1e9 * (1 + c % 3));
        s.weight_grad_bytes.push_back(4e8 * (1 + c % 2));
      }
      break;
    }
  }
  return s;
}

// FNV-1a over everything SimulateSchedule derives from the events.
std::uint64_t DerivedHash(const PipelineSchedule& s) {
  std::uint64_t h = 14695981039346656037ull;
  auto mix = [&h](std::uint64_t x) {
    for (int i = 0; i < 8; ++i) {
      h ^= (x >> (8 * i)) & 0xffu;
      h *= 1099511628211ull;
    }
  };
  auto mixd = [&mix](double x) { mix(std::bit_cast<std::uint64_t>(x)); };
  mixd(s.pipeline_s);
  mixd(s.step_s);
  mixd(s.ideal_s);
  mixd(s.bubble_fraction);
  mixd(s.bubble_vs_ideal);
  mix(s.events.size());
  for (double x : s.stage_busy_s) mixd(x);
  for (double x : s.stage_span_idle_s) mixd(x);
  for (int x : s.peak_in_flight) mix(static_cast<std::uint64_t>(x));
  for (double x : s.peak_activation_bytes) mixd(x);
  for (const auto& lane : s.memory) {
    mix(lane.size());
    for (const MemoryPoint& pt : lane) {
      mixd(pt.time_s);
      mixd(pt.bytes);
    }
  }
  return h;
}

using K = ScheduleKind;
using C = Costs;

// clang-format off
const GoldenCase kGolden[] = {
  {K::kGPipe, 1, 1, 1, C::kUnit, 0, true, 0, 0x607736a2089cbf8cull, 0x4d1429d143f4deecull},
  {K::kGPipe, 1, 1, 1, C::kNoW, 0.5, true, 0, 0x607736a2089cbf8cull, 0x4d1429d143f4deecull},
  {K::kGPipe, 1, 1, 1, C::kTable1, 0.25, false, 3, 0x6c2185fd329560e9ull, 0x6d4754e3cdd115e5ull},
  {K::kGPipe, 1, 1, 1, C::kUneven, 0.13, true, 0.7, 0x1da79f7ec314ba11ull, 0x471b57e04bb50d71ull},
  {K::kGPipe, 2, 3, 1, C::kUnit, 0, true, 0, 0x1672e10984546a74ull, 0x96ef2bc287ab4e5cull},
  {K::kGPipe, 2, 3, 1, C::kNoW, 0.5, true, 0, 0xd4536b3faef58357ull, 0x4b5f84c556ef6800ull},
  {K::kGPipe, 2, 3, 1, C::kTable1, 0.25, false, 3, 0x7f1666086fa9e7b5ull, 0x6ac5e69ac70f2268ull},
  {K::kGPipe, 2, 3, 1, C::kUneven, 0.13, true, 0.7, 0x3a1b36c39c561311ull, 0xf33d536e5791317full},
  {K::kGPipe, 4, 8, 1, C::kUnit, 0, true, 0, 0x21880372d8cd8e5aull, 0x480e51f4558f3c93ull},
  {K::kGPipe, 4, 8, 1, C::kNoW, 0.5, true, 0, 0xd73f708ee82730f9ull, 0x26cbadb595650507ull},
  {K::kGPipe, 4, 8, 1, C::kTable1, 0.25, false, 3, 0x5046ce47983e8f59ull, 0x316e5f8c49b6bed0ull},
  {K::kGPipe, 4, 8, 1, C::kUneven, 0.13, true, 0.7, 0x565d18023000bd62ull, 0xe8ec29efb075f218ull},
  {K::kGPipe, 4, 13, 1, C::kUnit, 0, true, 0, 0xd9cfc3c353670d44ull, 0x85cace9a7952b267ull},
  {K::kGPipe, 4, 13, 1, C::kNoW, 0.5, true, 0, 0x98992cf985785ff1ull, 0x8ae7a911c62548d4ull},
  {K::kGPipe, 4, 13, 1, C::kTable1, 0.25, false, 3, 0xe16ec1e6930a3621ull, 0x44a590dfe9f2c333ull},
  {K::kGPipe, 4, 13, 1, C::kUneven, 0.13, true, 0.7, 0x0e4b2f60aea31c9aull, 0x04f307cf790d5dc9ull},
  {K::kGPipe, 8, 32, 1, C::kUnit, 0, true, 0, 0x9e366f60b6a6d108ull, 0x7eb13cd4b31cbb26ull},
  {K::kGPipe, 8, 32, 1, C::kNoW, 0.5, true, 0, 0xb573b6db65c359a0ull, 0x5227bb5a36e99037ull},
  {K::kGPipe, 8, 32, 1, C::kTable1, 0.25, false, 3, 0xec09dfc0f774b029ull, 0x74d6491c10128b18ull},
  {K::kGPipe, 8, 32, 1, C::kUneven, 0.13, true, 0.7, 0x0a9a1abae6907a13ull, 0x437200026615793bull},
  {K::kGPipe, 16, 40, 1, C::kUnit, 0, true, 0, 0xc16c9ff75225243aull, 0x27e893219874c865ull},
  {K::kGPipe, 16, 40, 1, C::kNoW, 0.5, true, 0, 0x44179bb17031ec8bull, 0x5fa0133d59b29316ull},
  {K::kGPipe, 16, 40, 1, C::kTable1, 0.25, false, 3, 0xd88cf69665e625cbull, 0xdcc416034c1fbbbaull},
  {K::kGPipe, 16, 40, 1, C::kUneven, 0.13, true, 0.7, 0xb306e00dbba6ac69ull, 0x6ab70aece3e9077cull},
  {K::kGPipe, 64, 512, 1, C::kUneven, 0.13, true, 0, 0xcfdc8ddb747c01a4ull, 0x1e467c0e2a8789daull},
  {K::kGPipe, 64, 512, 1, C::kUnit, 0.1, true, 0, 0x197041db1d58461bull, 0x60fb5e0723e5f84eull},
  {K::k1F1B, 1, 1, 1, C::kUnit, 0, true, 0, 0x607736a2089cbf8cull, 0x4d1429d143f4deecull},
  {K::k1F1B, 1, 1, 1, C::kNoW, 0.5, true, 0, 0x607736a2089cbf8cull, 0x4d1429d143f4deecull},
  {K::k1F1B, 1, 1, 1, C::kTable1, 0.25, false, 3, 0x6c2185fd329560e9ull, 0x6d4754e3cdd115e5ull},
  {K::k1F1B, 1, 1, 1, C::kUneven, 0.13, true, 0.7, 0x1da79f7ec314ba11ull, 0x471b57e04bb50d71ull},
  {K::k1F1B, 2, 3, 1, C::kUnit, 0, true, 0, 0x1e098aac25785d56ull, 0xbee67a7c6e2466acull},
  {K::k1F1B, 2, 3, 1, C::kNoW, 0.5, true, 0, 0x80b84f1f2031fe0cull, 0xf966359a92d4f63dull},
  {K::k1F1B, 2, 3, 1, C::kTable1, 0.25, false, 3, 0x62cc6c74dc67a47bull, 0x9761c8264f7730e2ull},
  {K::k1F1B, 2, 3, 1, C::kUneven, 0.13, true, 0.7, 0x42a4f2190b18ef57ull, 0xcd11ee9cca7de6eaull},
  {K::k1F1B, 4, 8, 1, C::kUnit, 0, true, 0, 0x2434257624c54045ull, 0x4e643e58c54d29dfull},
  {K::k1F1B, 4, 8, 1, C::kNoW, 0.5, true, 0, 0x0d738508c1ec3de7ull, 0x164c1541cd559800ull},
  {K::k1F1B, 4, 8, 1, C::kTable1, 0.25, false, 3, 0x5b98bf48ae9fdb68ull, 0x8d2c76492004ad14ull},
  {K::k1F1B, 4, 8, 1, C::kUneven, 0.13, true, 0.7, 0xae5c3d7d7a646000ull, 0x1cfa88cc0e99f477ull},
  {K::k1F1B, 4, 13, 1, C::kUnit, 0, true, 0, 0x60fc0d3735945688ull, 0x8ffe543fda03363cull},
  {K::k1F1B, 4, 13, 1, C::kNoW, 0.5, true, 0, 0xdb93420c9c7336a2ull, 0x21464332fd5e259cull},
  {K::k1F1B, 4, 13, 1, C::kTable1, 0.25, false, 3, 0xf3968dbd4216aea0ull, 0x6ca91d7705f6b88aull},
  {K::k1F1B, 4, 13, 1, C::kUneven, 0.13, true, 0.7, 0xd24717b390e37a5full, 0x183fc7a425820d73ull},
  {K::k1F1B, 8, 32, 1, C::kUnit, 0, true, 0, 0x091e4c55f0966b02ull, 0x5f7cd3074a934c6bull},
  {K::k1F1B, 8, 32, 1, C::kNoW, 0.5, true, 0, 0x9edbd5cff184afb4ull, 0xfee3c0c4b5bc101cull},
  {K::k1F1B, 8, 32, 1, C::kTable1, 0.25, false, 3, 0x3dc4815fcdb2d16full, 0xff6a748548b74fecull},
  {K::k1F1B, 8, 32, 1, C::kUneven, 0.13, true, 0.7, 0x2af1fcada5c198d7ull, 0x9401235e101d1c4dull},
  {K::k1F1B, 16, 40, 1, C::kUnit, 0, true, 0, 0x94b5c1b49a678eeeull, 0x613711b461bf174eull},
  {K::k1F1B, 16, 40, 1, C::kNoW, 0.5, true, 0, 0xb0922fa964947752ull, 0x284cd5a90fb2882bull},
  {K::k1F1B, 16, 40, 1, C::kTable1, 0.25, false, 3, 0x49b5eb8ee4f98e85ull, 0x370cd1a5c592b7d6ull},
  {K::k1F1B, 16, 40, 1, C::kUneven, 0.13, true, 0.7, 0x405303db25a7d353ull, 0xed70fd17eafaf428ull},
  {K::k1F1B, 64, 512, 1, C::kUneven, 0.13, true, 0, 0x49c7ce98a2a1a229ull, 0x6d25f8db110cddd9ull},
  {K::k1F1B, 64, 512, 1, C::kUnit, 0.1, true, 0, 0x5d52ddc2e9ac724full, 0xc82e5a38216013a6ull},
  {K::kZbH1, 1, 1, 1, C::kUnit, 0, true, 0, 0x34f47270ecd1bfceull, 0x62fdd8e230ed0cfcull},
  {K::kZbH1, 1, 1, 1, C::kNoW, 0.5, true, 0, 0x037c81653fdf5f4eull, 0xae30c7a21b3b8acdull},
  {K::kZbH1, 1, 1, 1, C::kTable1, 0.25, false, 3, 0x161b2e9afdc8752bull, 0xdf2eef4c75466ac3ull},
  {K::kZbH1, 1, 1, 1, C::kUneven, 0.13, true, 0.7, 0xea3b483f08f782fbull, 0xad7674236dc9ba3full},
  {K::kZbH1, 2, 3, 1, C::kUnit, 0, true, 0, 0xbc4dd7937b4a84b0ull, 0x5df0f5de2b7450abull},
  {K::kZbH1, 2, 3, 1, C::kNoW, 0.5, true, 0, 0x06ddadea5485468cull, 0x25fe2ecb70f10d9full},
  {K::kZbH1, 2, 3, 1, C::kTable1, 0.25, false, 3, 0x67c7d38d7e6fb535ull, 0x1b5126c233e5d2b3ull},
  {K::kZbH1, 2, 3, 1, C::kUneven, 0.13, true, 0.7, 0x29445586f3cd4234ull, 0x24b3ce24d8b18b5bull},
  {K::kZbH1, 4, 8, 1, C::kUnit, 0, true, 0, 0xe4c30aeb4ffe3094ull, 0xaf3d83caadca2c9aull},
  {K::kZbH1, 4, 8, 1, C::kNoW, 0.5, true, 0, 0xab5b32658d3b64e7ull, 0xbcc4ff527ca5660dull},
  {K::kZbH1, 4, 8, 1, C::kTable1, 0.25, false, 3, 0x971c3928438e01caull, 0xc3603882ea03eb54ull},
  {K::kZbH1, 4, 8, 1, C::kUneven, 0.13, true, 0.7, 0x0d5845d87ba17be2ull, 0x1ee87cffa17d2056ull},
  {K::kZbH1, 4, 13, 1, C::kUnit, 0, true, 0, 0x5f4632fdd9949fe4ull, 0xf088df3520cdb03full},
  {K::kZbH1, 4, 13, 1, C::kNoW, 0.5, true, 0, 0xc1662227e10042eeull, 0x02407df89cf27a36ull},
  {K::kZbH1, 4, 13, 1, C::kTable1, 0.25, false, 3, 0xa86561f69de42229ull, 0xc893e51818feb25eull},
  {K::kZbH1, 4, 13, 1, C::kUneven, 0.13, true, 0.7, 0x12f753fa855d512dull, 0xcff5e048c5b7ff7eull},
  {K::kZbH1, 8, 32, 1, C::kUnit, 0, true, 0, 0x8d54e504e8566f24ull, 0x5f6a82501af844e9ull},
  {K::kZbH1, 8, 32, 1, C::kNoW, 0.5, true, 0, 0x8124864081057654ull, 0x4e4b97519d8db204ull},
  {K::kZbH1, 8, 32, 1, C::kTable1, 0.25, false, 3, 0x66712fc7616c8c02ull, 0xb29ff648beffd5d4ull},
  {K::kZbH1, 8, 32, 1, C::kUneven, 0.13, true, 0.7, 0x8c5ec758e9f73ab5ull, 0xb0f224225180d936ull},
  {K::kZbH1, 16, 40, 1, C::kUnit, 0, true, 0, 0x1868461f7faa03d4ull, 0xe48a66acc6a5d6caull},
  {K::kZbH1, 16, 40, 1, C::kNoW, 0.5, true, 0, 0x6a991c5160aa4252ull, 0x357bdb2ba41cb0f9ull},
  {K::kZbH1, 16, 40, 1, C::kTable1, 0.25, false, 3, 0xf28f38fa3876a8f3ull, 0x83a3ac61e76fda79ull},
  {K::kZbH1, 16, 40, 1, C::kUneven, 0.13, true, 0.7, 0xe3c82a51d8dd280full, 0x0a6206b96d83c5a2ull},
  {K::kZbH1, 64, 512, 1, C::kUneven, 0.13, true, 0, 0x380426071bf6234dull, 0xa1a894ceff1d3a0full},
  {K::kZbH1, 64, 512, 1, C::kUnit, 0.1, true, 0, 0x8e72f06f8dde0f01ull, 0xe9fb91e1129de082ull},
  {K::kZbH2, 1, 1, 1, C::kUnit, 0, true, 0, 0x34f47270ecd1bfceull, 0x62fdd8e230ed0cfcull},
  {K::kZbH2, 1, 1, 1, C::kNoW, 0.5, true, 0, 0x037c81653fdf5f4eull, 0xae30c7a21b3b8acdull},
  {K::kZbH2, 1, 1, 1, C::kTable1, 0.25, false, 3, 0x161b2e9afdc8752bull, 0xdf2eef4c75466ac3ull},
  {K::kZbH2, 1, 1, 1, C::kUneven, 0.13, true, 0.7, 0xea3b483f08f782fbull, 0xad7674236dc9ba3full},
  {K::kZbH2, 2, 3, 1, C::kUnit, 0, true, 0, 0xeccb8abb69bce0b2ull, 0xc36d348f0de65a7eull},
  {K::kZbH2, 2, 3, 1, C::kNoW, 0.5, true, 0, 0x21962a6d6692fe55ull, 0x85bc048fb995d1f9ull},
  {K::kZbH2, 2, 3, 1, C::kTable1, 0.25, false, 3, 0x3785d990e01d2a68ull, 0x3d1c11d5b0aca398ull},
  {K::kZbH2, 2, 3, 1, C::kUneven, 0.13, true, 0.7, 0x61eaed7ea622fa2aull, 0x0754abff23744aa1ull},
  {K::kZbH2, 4, 8, 1, C::kUnit, 0, true, 0, 0x5bb3096e245142c0ull, 0x77aecb8565b3d4a0ull},
  {K::kZbH2, 4, 8, 1, C::kNoW, 0.5, true, 0, 0x6f158c4785b2f728ull, 0xda07417758218394ull},
  {K::kZbH2, 4, 8, 1, C::kTable1, 0.25, false, 3, 0x76114208c4d0c223ull, 0x908ea4b2591c433dull},
  {K::kZbH2, 4, 8, 1, C::kUneven, 0.13, true, 0.7, 0x068524b2e9093724ull, 0xc10dd30e834005caull},
  {K::kZbH2, 4, 13, 1, C::kUnit, 0, true, 0, 0xfaad6d52f78918d6ull, 0x75b9d7d7a966bcb7ull},
  {K::kZbH2, 4, 13, 1, C::kNoW, 0.5, true, 0, 0x40774f2348c7bddeull, 0x2b5cd02f2f8c81beull},
  {K::kZbH2, 4, 13, 1, C::kTable1, 0.25, false, 3, 0x1d6e0e4726b18df2ull, 0xcc44bce8e5c5fe0bull},
  {K::kZbH2, 4, 13, 1, C::kUneven, 0.13, true, 0.7, 0x4b40556e31126aefull, 0x94b2e6f1ef1cec27ull},
  {K::kZbH2, 8, 32, 1, C::kUnit, 0, true, 0, 0x3feef30240cb2f40ull, 0xad46a71ed512a93full},
  {K::kZbH2, 8, 32, 1, C::kNoW, 0.5, true, 0, 0xf1fdc96f71ae68b6ull, 0xc0a6649508b19941ull},
  {K::kZbH2, 8, 32, 1, C::kTable1, 0.25, false, 3, 0xae3b15c976ef1212ull, 0xea128db154982af6ull},
  {K::kZbH2, 8, 32, 1, C::kUneven, 0.13, true, 0.7, 0x29f677f995b52c26ull, 0xa961049f773d3bf8ull},
  {K::kZbH2, 16, 40, 1, C::kUnit, 0, true, 0, 0x117474ecf93be624ull, 0x56ccd07ee583243eull},
  {K::kZbH2, 16, 40, 1, C::kNoW, 0.5, true, 0, 0x3abfb10ae12e3446ull, 0x56071c8ca3a9252eull},
  {K::kZbH2, 16, 40, 1, C::kTable1, 0.25, false, 3, 0xc5d3bf28b20b4cb4ull, 0xa32b4581a7505900ull},
  {K::kZbH2, 16, 40, 1, C::kUneven, 0.13, true, 0.7, 0x68bba8402bb1510bull, 0x859f3ab6d72e5eb2ull},
  {K::kZbH2, 64, 512, 1, C::kUneven, 0.13, true, 0, 0x895fa4cef893efeeull, 0xeea6effca9c8dbfbull},
  {K::kZbH2, 64, 512, 1, C::kUnit, 0.1, true, 0, 0x1d48a8b9a24789a9ull, 0x2b06b938bc421065ull},
  {K::kInterleaved, 1, 2, 1, C::kUnit, 0, true, 0, 0x0d609a1c1681c1ddull, 0x82aa4cac59ed1053ull},
  {K::kInterleaved, 1, 2, 1, C::kNoW, 0.5, true, 0, 0x0d609a1c1681c1ddull, 0x82aa4cac59ed1053ull},
  {K::kInterleaved, 1, 2, 1, C::kTable1, 0.25, false, 3, 0x3dc345742b7729e6ull, 0xdffd20df34603639ull},
  {K::kInterleaved, 1, 2, 1, C::kUneven, 0.13, true, 0.7, 0x6c5d7467dcb26fafull, 0x2a1b7b066a0f9743ull},
  {K::kInterleaved, 2, 4, 2, C::kUnit, 0, true, 0, 0xcd2b377d9088f9a4ull, 0x8f34018656936de9ull},
  {K::kInterleaved, 2, 4, 2, C::kNoW, 0.5, true, 0, 0xfc58448676d9a117ull, 0x584c9f61179ac451ull},
  {K::kInterleaved, 2, 4, 2, C::kTable1, 0.25, false, 3, 0xf00e6b36fac0bcdfull, 0x82ba33732588febaull},
  {K::kInterleaved, 2, 4, 2, C::kUneven, 0.13, true, 0.7, 0xc8d8ca8e81e9e5adull, 0xb42d4689a2bc875dull},
  {K::kInterleaved, 4, 8, 2, C::kUnit, 0, true, 0, 0x94ec0936eaba2988ull, 0xcccb583ea2fc1d09ull},
  {K::kInterleaved, 4, 8, 2, C::kNoW, 0.5, true, 0, 0x3365940888545a95ull, 0x5791b14a0f750084ull},
  {K::kInterleaved, 4, 8, 2, C::kTable1, 0.25, false, 3, 0x0bc627075de19ac4ull, 0x6b670302d1cb711eull},
  {K::kInterleaved, 4, 8, 2, C::kUneven, 0.13, true, 0.7, 0xaa0b9e43edfd70eeull, 0x306914fef020b551ull},
  {K::kInterleaved, 4, 12, 3, C::kUnit, 0, true, 0, 0x1ed888922fb44822ull, 0xc68a114e507c958dull},
  {K::kInterleaved, 4, 12, 3, C::kNoW, 0.5, true, 0, 0x9e5151e9f1626aa8ull, 0x4d8400887c9d6b33ull},
  {K::kInterleaved, 4, 12, 3, C::kTable1, 0.25, false, 3, 0x02fd944f3379047eull, 0x49c60d47a7340218ull},
  {K::kInterleaved, 4, 12, 3, C::kUneven, 0.13, true, 0.7, 0xe3e13eb1f333b740ull, 0xeaab12ab28c1a6bcull},
  {K::kInterleaved, 8, 32, 2, C::kUnit, 0, true, 0, 0x621f269d3a8b83beull, 0x89c9da98e022178eull},
  {K::kInterleaved, 8, 32, 2, C::kNoW, 0.5, true, 0, 0x0a04e3b0b6eec394ull, 0xd9758e72628d6bf3ull},
  {K::kInterleaved, 8, 32, 2, C::kTable1, 0.25, false, 3, 0x19c8f57cdcd62c0cull, 0x28c4ef4263ea64e8ull},
  {K::kInterleaved, 8, 32, 2, C::kUneven, 0.13, true, 0.7, 0xe521c1ee4f5a4adeull, 0x643b50768678e150ull},
  {K::kInterleaved, 8, 16, 4, C::kUnit, 0, true, 0, 0x32c0231d42a11136ull, 0x9b0aa0060dc36d96ull},
  {K::kInterleaved, 8, 16, 4, C::kNoW, 0.5, true, 0, 0x9e5f1bfd026f190full, 0x091f9572d10309aaull},
  {K::kInterleaved, 8, 16, 4, C::kTable1, 0.25, false, 3, 0xa2e72cd3d5eec8cdull, 0x21aec706ba90ac5dull},
  {K::kInterleaved, 8, 16, 4, C::kUneven, 0.13, true, 0.7, 0xaf3a8d03bce404e9ull, 0x832934283eb9620eull},
  {K::kInterleaved, 3, 9, 2, C::kUnit, 0, true, 0, 0x5c2822356326825cull, 0xba47ce7b10bab980ull},
  {K::kInterleaved, 3, 9, 2, C::kNoW, 0.5, true, 0, 0x1549e05b17b795d5ull, 0x5e0ead3556a72f5cull},
  {K::kInterleaved, 3, 9, 2, C::kTable1, 0.25, false, 3, 0x820e8fc9095d9bc5ull, 0x50cd83609968c737ull},
  {K::kInterleaved, 3, 9, 2, C::kUneven, 0.13, true, 0.7, 0x8ce9f1633c6b00b6ull, 0x4c30b99f9d6d44e9ull},
  {K::kInterleaved, 64, 512, 2, C::kUneven, 0.13, true, 0, 0xda7432424417493aull, 0xd800a49adf091eb3ull},
  {K::kInterleaved, 64, 512, 2, C::kUnit, 0.1, true, 0, 0xccbd26120a656d10ull, 0xbc5ac4fa231d5925ull},
  {K::kDualPipe, 2, 4, 1, C::kUnit, 0, true, 0, 0x7e2b3d419e1a6213ull, 0xcb12f4784b5d2e33ull},
  {K::kDualPipe, 2, 4, 1, C::kNoW, 0.5, true, 0, 0x448108677f733253ull, 0xfa50ad557d221603ull},
  {K::kDualPipe, 2, 4, 1, C::kTable1, 0.25, false, 3, 0x4ab395f064295946ull, 0x5074541cb3a308eaull},
  {K::kDualPipe, 2, 4, 1, C::kUneven, 0.13, true, 0.7, 0x244184ec1c51529eull, 0x496a6fcd6a3e162dull},
  {K::kDualPipe, 4, 8, 1, C::kUnit, 0, true, 0, 0x6ceea74888cbac1full, 0x7b5a003e4ece7606ull},
  {K::kDualPipe, 4, 8, 1, C::kNoW, 0.5, true, 0, 0x67d1e2af5da5d6e3ull, 0x71f9283f3594c885ull},
  {K::kDualPipe, 4, 8, 1, C::kTable1, 0.25, false, 3, 0x6c0c9723a7cd68c3ull, 0x6b5dd3ae8cac482dull},
  {K::kDualPipe, 4, 8, 1, C::kUneven, 0.13, true, 0.7, 0x78d9c32959ba5467ull, 0x1b7231e7ca87e84dull},
  {K::kDualPipe, 4, 12, 1, C::kUnit, 0, true, 0, 0xc62ae0fabeb0b7fdull, 0xe5887e46b9d32d24ull},
  {K::kDualPipe, 4, 12, 1, C::kNoW, 0.5, true, 0, 0x535e02ec891dc12dull, 0x1238e2ca3875d47dull},
  {K::kDualPipe, 4, 12, 1, C::kTable1, 0.25, false, 3, 0x8f72d5ae39c61e79ull, 0x2fbf77ac23e65935ull},
  {K::kDualPipe, 4, 12, 1, C::kUneven, 0.13, true, 0.7, 0xd5e671c67031e0e9ull, 0xcd731961e3fdfa02ull},
  {K::kDualPipe, 6, 14, 1, C::kUnit, 0, true, 0, 0xa84f70381754dd61ull, 0xa1a70a3a70cbd995ull},
  {K::kDualPipe, 6, 14, 1, C::kNoW, 0.5, true, 0, 0xa1bf9514867d7975ull, 0x136dc6f5fbdc5d41ull},
  {K::kDualPipe, 6, 14, 1, C::kTable1, 0.25, false, 3, 0x780c7b958b3cc5a4ull, 0x14d72a15e8e4fb10ull},
  {K::kDualPipe, 6, 14, 1, C::kUneven, 0.13, true, 0.7, 0xe6da4e2aa1bdcd94ull, 0xcb6e0a32b20a6812ull},
  {K::kDualPipe, 8, 32, 1, C::kUnit, 0, true, 0, 0x9adb992ff16357a9ull, 0x67c49a1da0d87439ull},
  {K::kDualPipe, 8, 32, 1, C::kNoW, 0.5, true, 0, 0xb2b348777946a84dull, 0x7d281eb8f4e8effdull},
  {K::kDualPipe, 8, 32, 1, C::kTable1, 0.25, false, 3, 0x287ee54753c7c9f5ull, 0xb7aba7a704079daeull},
  {K::kDualPipe, 8, 32, 1, C::kUneven, 0.13, true, 0.7, 0x025269b411e0c391ull, 0xbb9c9a6e326f6eb0ull},
  {K::kDualPipe, 64, 512, 1, C::kUneven, 0.13, true, 0, 0xf79ad4376ea87ae1ull, 0xec649a15b4600abdull},
  {K::kDualPipe, 64, 512, 1, C::kUnit, 0.1, true, 0, 0x4fa9f4e2f9ee7c91ull, 0x8f69717a04691e31ull},
  {K::kDualPipeV, 1, 2, 1, C::kUnit, 0, true, 0, 0xa00810f9b21beaceull, 0x3647b842cfd7cd88ull},
  {K::kDualPipeV, 1, 2, 1, C::kNoW, 0.5, true, 0, 0x969243e2c325af9eull, 0x77a521e2d3df9aadull},
  {K::kDualPipeV, 1, 2, 1, C::kTable1, 0.25, false, 3, 0xd15eb371864e64aeull, 0x49198e4af0378d04ull},
  {K::kDualPipeV, 1, 2, 1, C::kUneven, 0.13, true, 0.7, 0x3ae3ecc4383a120eull, 0x3b68e90274aca523ull},
  {K::kDualPipeV, 2, 4, 1, C::kUnit, 0, true, 0, 0x1d95d694851393d2ull, 0x0817e3af845280f3ull},
  {K::kDualPipeV, 2, 4, 1, C::kNoW, 0.5, true, 0, 0xbfef429c502a501dull, 0x851af91ea0716830ull},
  {K::kDualPipeV, 2, 4, 1, C::kTable1, 0.25, false, 3, 0xec4b8d957005c238ull, 0xed47e146984a011bull},
  {K::kDualPipeV, 2, 4, 1, C::kUneven, 0.13, true, 0.7, 0x4653307d18f330b6ull, 0x3e629749d8d6ccfdull},
  {K::kDualPipeV, 3, 7, 1, C::kUnit, 0, true, 0, 0x7f11147ac586f4f9ull, 0xb6598a238fa36071ull},
  {K::kDualPipeV, 3, 7, 1, C::kNoW, 0.5, true, 0, 0x9dd754ccc95a2ddeull, 0x4ebfd002aa794127ull},
  {K::kDualPipeV, 3, 7, 1, C::kTable1, 0.25, false, 3, 0x4d418d9dc82d3808ull, 0x11d14f1c171ba3beull},
  {K::kDualPipeV, 3, 7, 1, C::kUneven, 0.13, true, 0.7, 0xbda031e83ce2706dull, 0x1d31435f3acf9f71ull},
  {K::kDualPipeV, 4, 8, 1, C::kUnit, 0, true, 0, 0x9649050bde010246ull, 0x432ef6cfa21df211ull},
  {K::kDualPipeV, 4, 8, 1, C::kNoW, 0.5, true, 0, 0x25c4b5e5b0537227ull, 0x9a859925300fc16cull},
  {K::kDualPipeV, 4, 8, 1, C::kTable1, 0.25, false, 3, 0x29344a6879aa7437ull, 0x70cd268a551382d5ull},
  {K::kDualPipeV, 4, 8, 1, C::kUneven, 0.13, true, 0.7, 0xea10c3488f8f61f5ull, 0xe92cf7b33d91b25full},
  {K::kDualPipeV, 8, 40, 1, C::kUnit, 0, true, 0, 0x01a6685f1a501450ull, 0x6b9f8539a178f39cull},
  {K::kDualPipeV, 8, 40, 1, C::kNoW, 0.5, true, 0, 0x80b8938aa4917d72ull, 0xad2e7deebf2eae9bull},
  {K::kDualPipeV, 8, 40, 1, C::kTable1, 0.25, false, 3, 0x9004d0aaf830edfeull, 0x82d995b1172f62adull},
  {K::kDualPipeV, 8, 40, 1, C::kUneven, 0.13, true, 0.7, 0x27906450f9b5b14bull, 0xc318b8da43e9eae1ull},
  {K::kDualPipeV, 64, 512, 1, C::kUneven, 0.13, true, 0, 0xd4ac471d96324833ull, 0xa49e64784438d39aull},
  {K::kDualPipeV, 64, 512, 1, C::kUnit, 0.1, true, 0, 0xe6f7ecc09ccae8d7ull, 0xd9b1754ae67a01f8ull},
};
// clang-format on

TEST(PipelineGolden, EventsAndFiguresUnchanged) {
  // A deliberate change of the schedules: BLACKBOARD_PRINT_GOLDEN_HASHES=1 prints the fresh hashes,
  // row by row in table order, to paste over the table after checking why they changed.
  const bool print = std::getenv("BLACKBOARD_PRINT_GOLDEN_HASHES") != nullptr;
  for (const GoldenCase& g : kGolden) {
    const PipelineSchedule s = SimulateSchedule(MakeSpec(g));
    const std::uint64_t eh = ScheduleHash(s), dh = DerivedHash(s);
    if (print) std::printf("golden 0x%016llxull, 0x%016llxull\n", static_cast<unsigned long long>(eh), static_cast<unsigned long long>(dh));
    EXPECT_EQ(eh, g.events_hash) << ScheduleName(g.kind) << " p=" << g.p << " m=" << g.m << " v=" << g.v;
    EXPECT_EQ(dh, g.derived_hash) << ScheduleName(g.kind) << " p=" << g.p << " m=" << g.m << " v=" << g.v;
  }
}

}  // namespace
}  // namespace blackboard
