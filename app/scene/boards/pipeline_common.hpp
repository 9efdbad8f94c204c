// What the pipeline boards draw, shared with the CLI's Chrome-trace export so the two agree.
//
// Use: `TrainingPipeline tp = MakeTrainingPipeline(scenario);` gives the spec the pipeline-training
// board simulates: the one the training engine simulates for `eval` (EvaluateTraining, so the board's
// step is eval's training.step_s), with a stand-in of kDefaultPipelineStages stages when the scenario
// has no pipeline, the end-of-step gradient all-reduce and optimizer as the spec's tail, and each
// stage's model state on HBM. `MakeDecodePipeline(scenario)` gives the
// decode loop the pipeline-serving board draws. `PipelineBoardTrace(board, scenario)` is what
// `blackboard render pipeline-training --out step.json` writes (ToChromeTrace of that schedule).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "blackboard/pipeline.hpp"
#include "blackboard/scenario.hpp"
#include "blackboard/serving.hpp"
#include "blackboard/training.hpp"
#include "scene/scene.hpp"
#include "scene/theme.hpp"

namespace blackboard {

// The animated pipeline boards loop over kPipelineLoopS seconds: a cursor sweeps the drawn span in
// the first 90 % of the loop and then holds at the end. At or past one loop (`render --time 6`)
// the cursor sits at the end, so a still export shows the whole span solid.
constexpr double kPipelineLoopS = 6;
double LoopCursorSeconds(double board_time_s, double span_s);

// Draws `b` filled with `c`, solid left of `cursor_x` (what has happened) and faint right of it.
void DrawSplitRect(Scene& s, Box b, Color c, float cursor_x, const char* role, float radius = 0);

// A time axis under `chart` (lanes above it, time across from 0 to t_max): grid lines over the
// chart, tick labels in a unit that reads well, the axis line and "quantity (unit)" under it.
void DrawTimeAxis(Scene& s, const Theme& th, Box chart, double t_max, const std::string& quantity);

// Stages shown when the scenario's training.pp is 1 (a pipeline of one stage has nothing to show).
constexpr int kDefaultPipelineStages = 4;

struct TrainingPipeline {
  Scenario scenario;            // what is drawn: the input with pp >= 2, racks to match (dp as given)
  int scenario_pp = 1;          // the input's training.pp
  bool stages_defaulted = false;  // scenario_pp < 2: kDefaultPipelineStages stages are shown
  int dp = 1;                   // data-parallel replicas (training.dp, or chips / (tp·pp·cp) when 0)
  TrainingReport report;        // EvaluateTraining(scenario): the step `eval` reports
  PipelineSpec spec;            // report.pipeline: per-chunk F/B/W, p2p, tail = allreduce + optimizer
  double allreduce_s = 0;       // exposed gradient all-reduce (the rest overlaps the last backward)
  double optimizer_s = 0;       // Adam step at HBM speed
  std::vector<double> model_state_bytes;  // per stage: weights + gradients + optimizer on one chip
};

// Throws std::invalid_argument (naming the constraint) when the training engine cannot run the
// plan (e.g. DualPipe with an odd number of stages or too few micro-batches) or does not simulate
// it (more events than its budget: the closed form stands in, and there is no schedule to draw).
TrainingPipeline MakeTrainingPipeline(const Scenario& s);

// Closed-form idle time per stage for the spec's schedule (published-numbers PP-1..PP-11) with the
// spec's mean costs, as a fraction of the step, and the formula in words with its numbers.
struct BubbleClosedForm {
  double fraction = 0;
  std::string formula;   // e.g. "(p-1)/(m+p-1) = 3/11"
  std::string source;    // e.g. "GPipe §2.3, Megatron-2021 §2.2.1 (PP-1, PP-2)"
};
BubbleClosedForm ClosedFormBubble(const PipelineSpec& spec);

// Decode across racks (lecture §1.9): the batch split into P = serving.pp micro-batches looping
// through the racks; per-stage time and hop time from the serving engine's decode step.
struct DecodePipeline {
  int stages = 1;               // P
  double micro_batch = 0;       // b = B / P sequences
  ServingModel model;
  DecodeStep step;              // the engine's decode step at serving.batch (step_s = token latency)
  DecodeLoopSpec loop_spec;     // stage_s = (step_s - hops_s) / P, hop_s = hops_s / P
  DecodeLoop loop;
  DecodeMemory memory;          // per chip: N_total/(E·P) + b·ctx·bytes_tok/E
};

DecodePipeline MakeDecodePipeline(const Scenario& s, int tokens = 3);

// The Chrome trace a pipeline board exports: the training step (pipeline-training, and any other
// board whose name starts with "pipeline" except pipeline-serving) or the decode loop
// (pipeline-serving). Throws std::invalid_argument when the schedule cannot run for the scenario
// (e.g. DualPipe with an odd number of stages), naming the field to change.
nlohmann::json PipelineBoardTrace(const std::string& board, const Scenario& s);

}  // namespace blackboard
