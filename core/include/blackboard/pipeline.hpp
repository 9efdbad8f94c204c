// Pipeline schedules as timed events: training (GPipe, 1F1B, interleaved, ZB-H1, ZB-H2, DualPipe,
// DualPipe-V) and decode looping across racks (lecture §1.9).
//
// Use: build a PipelineSpec by hand (per-chunk F / B / W seconds, p2p seconds, p, m, v) or from a
// scenario with `MakePipelineSpec(scenario)`, then `PipelineSchedule s = SimulateSchedule(spec);`.
// The simulator is dependency driven: every stage (device) runs its op list in order and an op
// starts when the stage is free and the op it depends on (the same micro-batch on the neighbouring
// model chunk) has finished, plus the p2p transfer time when that chunk lives on another device.
// Op lists are the published ones (Megatron for GPipe/1F1B/interleaved, DeepSeek's DualPipe and
// DualPipe-V); ZB-H1/H2 lists come from the Zero Bubble paper's greedy rule (B first, then F under
// an in-flight limit, W fills the gaps). The schedule carries step time, bubble, busy time, peak
// in-flight micro-batches and activation memory over time per stage. `ScheduleHash` fingerprints
// the events (FNV-1a), `ToChromeTrace` exports them for Perfetto.
//
// Costs are per *model chunk* in model order: p chunks (gpipe, 1f1b, zb-h1, zb-h2, dualpipe), p·v
// (interleaved; chunk c lives on device c mod p) or 2p (dualpipe-v; chunk c on device c for c < p,
// else 2p-1-c). A vector of size 1 means every chunk costs the same.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "blackboard/activation.hpp"
#include "blackboard/scenario.hpp"

namespace blackboard {

enum class ScheduleKind { kGPipe, k1F1B, kInterleaved, kZbH1, kZbH2, kDualPipe, kDualPipeV };

// "gpipe" | "1f1b" | "interleaved" | "zb-h1" | "zb-h2" | "dualpipe" | "dualpipe-v".
ScheduleKind ParseSchedule(const std::string& name);  // throws std::invalid_argument
const char* ScheduleName(ScheduleKind kind);

// F forward, B backward (input gradient; with W fused for GPipe/1F1B/interleaved and where DualPipe
// does not split it), W weight gradient, send/recv of activations or gradients, optimizer tail.
enum class EventKind { kForward, kBackward, kWeight, kSend, kRecv, kOptimizer };
const char* EventKindLetter(EventKind kind);  // "F", "B", "W", "send", "recv", "optimizer"

struct PipelineSpec {
  ScheduleKind schedule = ScheduleKind::k1F1B;
  int stages = 4;            // p: devices (racks) in the pipeline
  int micro_batches = 8;     // m
  int virtual_stages = 1;    // v: chunks per device (interleaved only)
  std::vector<double> forward_s{1.0};         // per model chunk, one micro-batch
  std::vector<double> backward_s{1.0};        // input-gradient part
  std::vector<double> weight_s{1.0};          // weight-gradient part
  std::vector<double> activation_bytes{0.0};  // stash per micro-batch, F start to B end
  std::vector<double> weight_grad_bytes{0.0}; // kept from B end to W end when W is deferred
  double p2p_s = 0;          // one activation / gradient transfer between devices
  double tail_s = 0;         // gradient all-reduce + optimizer after the last op (0 = none)
  bool emit_transfers = true;  // add send/recv events (on a separate lane in the trace)
};

// Interleaved chunks per stage for a plan: `requested` when > 0, else (0 = auto) the largest v <=
// kMaxAutoVirtualStages that divides the layers per stage floor(layers / pp) (2 when that is a prime above the cap, 1
// when a stage has one layer). The cap: at
// v = 8 the interleaved bubble (PP-3, (p-1)/v) is already 1/8 of 1F1B's while each extra chunk adds
// 2(p-1) p2p transfers to the fill and drain (Megatron-Core's recipes use v of 2-8). Other schedules: 1.
inline constexpr int kMaxAutoVirtualStages = 8;
int VirtualStagesFor(ScheduleKind schedule, int requested, int layers, int pp);

// Model chunks the spec's cost vectors describe: p, p·v or 2p (see the header paragraph).
int ModelChunks(const PipelineSpec& spec);

struct PipelineEvent {
  int stage = 0;             // device
  int micro_batch = 0;
  int chunk = 0;             // virtual stage on the device (interleaved v, DualPipe direction, V leg)
  int model_chunk = 0;       // position along the micro-batch's path through the model
  EventKind kind = EventKind::kForward;
  double start_s = 0;
  double end_s = 0;
};

struct MemoryPoint {
  double time_s = 0;
  double bytes = 0;          // activation bytes held from this time on
};

struct PipelineSchedule {
  PipelineSpec spec;
  std::vector<PipelineEvent> events;       // compute in op order per stage, then transfers, tail
  double pipeline_s = 0;                   // end of the last F/B/W
  double step_s = 0;                       // pipeline_s + tail
  double ideal_s = 0;                      // busiest stage's compute time (no bubble)
  double bubble_fraction = 0;              // sum over stages of idle / (p x pipeline_s)
  double bubble_vs_ideal = 0;              // pipeline_s / ideal_s - 1 (Megatron's t_pb / t_id)
  std::vector<double> stage_busy_s;        // F + B + W per stage
  std::vector<double> stage_span_idle_s;   // idle between a stage's first start and last end
  std::vector<int> peak_in_flight;         // micro-batch chunks stashed (F started, B not ended)
  std::vector<double> peak_activation_bytes;
  std::vector<std::vector<MemoryPoint>> memory;  // per stage, a step function over time
};

// Runs the schedule. Throws std::invalid_argument for a spec the schedule cannot run (DualPipe
// needs even p and m >= 2p, interleaved m a multiple of p, cost vectors of size 1 or ModelChunks) and std::logic_error if the op
// lists deadlock (a bug, never expected).
PipelineSchedule SimulateSchedule(const PipelineSpec& spec);

// FNV-1a (64-bit) over every event's stage, micro-batch, chunk, model chunk, kind, start and end bits.
std::uint64_t ScheduleHash(const PipelineSchedule& schedule);

// Chrome trace: {"traceEvents": [{"name": "F3", "ph": "X", "ts": µs, "dur": µs, "pid": 0,
// "tid": stage, ...}]}; transfers go on tid 1000 + stage; thread names as "M" events.
nlohmann::json ToChromeTrace(const PipelineSchedule& schedule);

// The scenario's training pipeline: p = training.pp, m = global_batch / (dp x micro_batch), per-chunk
// F/B/W from Zero Bubble Table 1 FLOPs on peak bf16 x efficiency.compute, the output layer on the
// last chunk, layers spread unevenly when they do not divide, recompute's forward added to B, and
// p2p = b·s·h·2 bytes over scale-out bandwidth plus latency. Activation bytes from activation.hpp.
PipelineSpec MakePipelineSpec(const Scenario& scenario);

// ---- Decode across racks (lecture §1.9) ----

struct DecodeLoopSpec {
  int stages = 4;              // P racks; the batch is split into P micro-batches
  int tokens = 3;              // decode steps to simulate
  double stage_s = 5e-3;       // one micro-batch through one stage
  double hop_s = 1e-3;         // rack-to-rack hop (latency + transfer), also last -> first
};

struct DecodeLoop {
  std::vector<PipelineEvent> events;  // kind F; micro_batch = micro-batch; chunk = token index
  double token_latency_s = 0;  // one token of one micro-batch: P x (stage + hop)
  double makespan_s = 0;
  double stage_utilization = 0;  // steady state: P x stage / token latency (1 when hops are free)
};

DecodeLoop SimulateDecodeLoop(const DecodeLoopSpec& spec);

// c_mem = N_total·bytes/(E·P) + b·ctx·bytes_tok/E with B = P·b (lecture §1.9, test vector 9).
struct DecodeMemory {
  double weights_bytes = 0, kv_bytes = 0, total_bytes = 0;
};
DecodeMemory DecodeMemoryPerChip(double weight_bytes_total, double experts_parallel, double stages,
                                 double micro_batch, double context, double kv_bytes_per_token);

// t_scaleup / t_scaleout at a rack boundary = 2·k·L_stage x (BW_out / BW_up) (lecture §1.9, test
// vector 8): the hop is not a bottleneck when this is >= 1.
double RackHopRatio(double experts_active, double layers_per_stage, double scaleout_bytes_per_s,
                    double scaleup_bytes_per_s);

}  // namespace blackboard
