// Boards: self-registering pure functions from (scenario, theme, time) to a Scene.
//
// A new board is one file in app/scene/boards/ that ends with
//   BLACKBOARD_REGISTER_BOARD(MyBoard, BoardInfo{"name", "Title", ..., &BuildMyBoard});
// and nothing else changes: the GUI's board picker, `blackboard list boards`, `blackboard render`
// and the render tests all iterate over AllBoards(). Boards never read the wall clock: animation
// time comes in `BoardContext::time_s`.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "blackboard/lecture.hpp"
#include "blackboard/scenario.hpp"
#include "scene.hpp"
#include "theme.hpp"

namespace blackboard {

// A slider or a choice the board shows; it edits one scenario field through ApplySet.
struct Control {
  std::string field;   // dotted scenario path, e.g. "serving.batch"; "hardware"/"model" for presets
  std::string label;   // shown beside the slider
  double min = 1, max = 1;
  bool log = false;
  bool integer = true;
  std::vector<std::string> choices;  // non-empty: a drop-down of these values
  std::string choices_kind;          // or: a drop-down of the assets of this kind ("hardware", "models")
};

// The design canvas: every board's pixel constants are in units of a 1600 x 900 board. A board is
// built for the canvas it gets by laying it out on a logical canvas of the same aspect, `BoardUnit`
// pixels per logical pixel (one type scale for the whole board), then scaling to the real canvas.
inline constexpr float kDesignWidth = 1600, kDesignHeight = 900;
// The smallest any text is drawn, whatever the canvas.
inline constexpr float kMinTextPx = 11;
// Below half the design size the board is laid out on a smaller logical canvas (1280 x 720 at
// 640 x 360) instead of shrinking further.
inline constexpr float kMinBoardUnit = 0.5f;
// Real pixels per logical pixel for a w x h canvas: min(w / 1600, h / 900), at least kMinBoardUnit.
float BoardUnit(float width_px, float height_px);
// Scales every coordinate, size and line width of `scene` by `unit` (and its canvas to w x h); text is
// never drawn under kMinTextPx.
void ScaleScene(Scene& scene, float unit, float width_px, float height_px);

struct BoardContext {
  const Scenario& scenario;
  const Theme& theme;
  double time_s = 0;  // animation time; boards that do not animate ignore it
  float width = kDesignWidth, height = kDesignHeight;  // the canvas in pixels
  // A morph from another scenario's layout to this one (pipeline-training; other boards ignore it):
  // `morph` is the fraction of the morph's time, 0 = the source's layout, 1 = this scenario's. The
  // board eases it. Null or morph >= 1: no morph.
  const Scenario* morph_from = nullptr;
  double morph = 1;
};

struct BoardInfo {
  std::string name;         // e.g. "batch" (the CLI name)
  std::string title;        // e.g. "Batch size against latency and cost"
  std::string description;  // one line for `blackboard list boards`
  std::vector<Control> controls;
  std::function<Scene(const BoardContext&)> build;
  double duration_s = 0;     // > 0 for animated boards: one loop of the animation
  std::string sweep_field;   // the field the live-plot strip sweeps (usually the main slider)
  bool morphs = false;       // draws BoardContext::morph_from: the GUI animates scenario changes through it
  // The board is about training: the GUI's numbers panel and live strip show the training report
  // (step time, cost of the run, memory per chip) instead of the serving one.
  bool training = false;
  // The moment a still export shows when no --time is given (animated boards: a complete one, the
  // whole schedule drawn, the sharded state, the meters full).
  double still_time_s = 0;
  // The board has nothing to show for a scenario (sharding with DP 1, collectives on one rack):
  // says why in a few words ("DP = 1: nothing to shard"), or nullopt. Null: always something to show.
  // Asked on the scenario with its degrees resolved (WithResolvedDegrees).
  std::function<std::optional<std::string>(const Scenario&)> degenerate_reason = {};
  // The small worked example the board draws instead (the scenario with the board's own sensible
  // defaults, e.g. DP 4), and how the subtitle names it ("DP 4").
  std::function<Scenario(const Scenario&)> worked_example = {};
  std::string worked_example_label = {};
};

// Why `board` has nothing to show for `scenario` (its degrees resolved first), or nullopt.
std::optional<std::string> DegenerateReason(const BoardInfo& board, const Scenario& scenario);
// The scenario the board draws for `scenario`: the scenario with its degrees resolved, or, when
// the board declares it degenerate and its worked example validates, that worked example
// (`*note` then says so: "worked example with DP 4 (DP = 1: nothing to shard)").
Scenario ScenarioDrawn(const BoardInfo& board, const Scenario& scenario, std::string* note = nullptr);
// Degenerate-board helpers shared by the training boards (sharding, gradient-flow): with one
// data-parallel replica (N_d = dp·cp = 1) there is nothing to shard or reduce; the worked example
// runs kExampleDataParallel replicas of the same model replica (dp auto on that many times the racks).
inline constexpr int kExampleDataParallel = 4;
std::optional<std::string> SingleReplicaReason(const Scenario& resolved, const std::string& what);
Scenario DataParallelExample(const Scenario& resolved);
// The efficiency in force, as every board's subtitle names it: "calibrated public-v1",
// "pure roofline" or "custom efficiency".
std::string EfficiencyInForce(const Scenario& scenario);

bool RegisterBoard(BoardInfo info);
// Builds a board's Scene for ctx's canvas (laid out on the logical canvas of BoardUnit, then scaled)
// and applies the theme's surface (chalk grain): every caller uses this.
Scene BuildBoard(const BoardInfo& board, const BoardContext& ctx);
// The board's scene with chalk annotations on top: what the window shows and `render` writes (one
// function, so the two agree for the same board, scenario, moment and canvas).
Scene BuildAnnotatedBoard(const BoardInfo& board, const BoardContext& ctx, const std::vector<Annotation>& annotations);
const std::vector<BoardInfo>& AllBoards();  // sorted by registration order within the lecture
const BoardInfo* FindBoard(const std::string& name);

// A hand dragging one of the board's sliders, as the GUI's `--frames N --drag` and the board
// benchmarks replay it: the board's main slider (its sweep field) when that is a slider, otherwise
// its first logarithmic slider, otherwise its first slider. Ping-pongs across the slider's range in 60 frames each way (log or linear as the
// slider is, rounded for integer sliders).
struct DragStep {
  std::string field;
  double value = 0;
  std::string Set() const;  // "field=value", for ApplySet
};
const Control* DraggedControl(const BoardInfo& board);  // null when the board has no slider
std::optional<DragStep> DragSweepValue(const BoardInfo& board, int frame);

// Common controls, shared by boards so they read the same everywhere.
Control HardwareControl();
Control ModelControl();

// Common scene furniture: the board's title and subtitle at the top left (the subtitle broken into
// lines at its " · " separators when the canvas is narrow). Returns the y just below them. Inside
// BuildBoard the subtitle also names the efficiency in force (EfficiencyInForce, unless the board's
// subtitle already does) and, for a degenerate scenario, the worked example drawn instead.
float DrawBoardTitle(Scene& s, const Theme& th, const std::string& title, const std::string& subtitle);

#define BLACKBOARD_REGISTER_BOARD(id, ...) \
  [[maybe_unused]] static const bool kRegistered_##id = ::blackboard::RegisterBoard(__VA_ARGS__)

}  // namespace blackboard
