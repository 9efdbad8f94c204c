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

struct BoardContext {
  const Scenario& scenario;
  const Theme& theme;
  double time_s = 0;  // animation time; boards that do not animate ignore it
  float width = 1600, height = 900;
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
};

bool RegisterBoard(BoardInfo info);
// Builds a board's Scene and applies the theme's surface (chalk grain): every caller uses this.
Scene BuildBoard(const BoardInfo& board, const BoardContext& ctx);
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

// Common scene furniture: the board's title and subtitle at the top left.
void DrawBoardTitle(Scene& s, const Theme& th, const std::string& title, const std::string& subtitle);

#define BLACKBOARD_REGISTER_BOARD(id, ...) \
  [[maybe_unused]] static const bool kRegistered_##id = ::blackboard::RegisterBoard(__VA_ARGS__)

}  // namespace blackboard
