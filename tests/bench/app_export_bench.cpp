// App benchmarks. Export (issue 8): SVG of the largest board (the most shapes) and PNG at 4x through
// the headless EGL path, the same code as `blackboard render`. Dragging (issue 2): the CPU time to
// build each board's scene at the values a hand dragging its main slider passes through.
#include <benchmark/benchmark.h>

#include <exception>
#include <string>

#include "export/image.hpp"
#include "export/svg.hpp"
#include "scene/board.hpp"
#include "scene/strip.hpp"
#include "ui/offscreen.hpp"

namespace blackboard {
namespace {

const BoardInfo& LargestBoard(const Scenario& s, size_t* shapes) {
  const BoardInfo* best = &AllBoards().front();
  *shapes = 0;
  for (const auto& b : AllBoards()) {
    const size_t n = BuildBoard(b, BoardContext{s, GetTheme("print"), 0.4, 1600, 900}).shapes.size();
    if (n > *shapes) *shapes = n, best = &b;
  }
  return *best;
}

void BM_SvgExportLargestBoard(benchmark::State& state) {
  const Scenario s = DefaultScenario();
  size_t shapes = 0;
  const BoardInfo& board = LargestBoard(s, &shapes);
  const Scene scene = BuildBoard(board, BoardContext{s, GetTheme("print"), 0.4, 1600, 900});
  size_t bytes = 0;
  for (auto _ : state) {
    const std::string svg = SceneToSvg(scene);
    bytes = svg.size();
    benchmark::DoNotOptimize(svg.data());
  }
  state.SetLabel(board.name + ", " + std::to_string(shapes) + " shapes, " + std::to_string(bytes / 1024) + " KiB");
}
BENCHMARK(BM_SvgExportLargestBoard)->Unit(benchmark::kMillisecond);

void BM_PngExport4x(benchmark::State& state) {
  const Scenario s = DefaultScenario();
  const Scene scene = BuildBoard(*FindBoard("batch"), BoardContext{s, GetTheme("blackboard"), 0, 1600, 900});
  OffscreenRenderer renderer;
  std::string error;
  if (!renderer.Init(&error)) {
    state.SkipWithError(error.c_str());
    return;
  }
  for (auto _ : state) {
    Image img;
    renderer.Render(scene, 4.0f, false, &img, &error);
    const std::string png = EncodePng(img);
    benchmark::DoNotOptimize(png.data());
  }
  state.SetLabel("batch board, 6400x3600, render + encode");
}
BENCHMARK(BM_PngExport4x)->Unit(benchmark::kMillisecond)->Iterations(3);

// The scenario after the hand's next move on the board's slider (a value the scenario rejects is
// skipped: the GUI keeps the last good one).
void NextDragStep(const BoardInfo& board, int frame, Scenario& s) {
  if (const auto step = DragSweepValue(board, frame)) {
    try {
      ApplySet(s, step->Set());
    } catch (const std::exception&) {
    }
  }
}

// One board (by its index in AllBoards) rebuilt at each of the 120 values of DragSweepValue, as the
// GUI rebuilds it on every frame of a drag: the time per build is the CPU a frame spends on the
// board before drawing it (the frame budget at 60 fps is 16.7 ms for everything).
void BM_BuildBoardWhileDragging(benchmark::State& state) {
  const auto index = static_cast<size_t>(state.range(0));
  if (index >= AllBoards().size()) {
    state.SkipWithError("no such board");
    return;
  }
  const BoardInfo& board = AllBoards()[index];
  Scenario s = DefaultScenario();
  int frame = 0;
  for (auto _ : state) {
    NextDragStep(board, frame++, s);
    const Scene scene = BuildBoard(board, BoardContext{s, GetTheme("blackboard"), 0.4, 1600, 900});
    benchmark::DoNotOptimize(scene.shapes.data());
  }
  const Control* dragged = DraggedControl(board);
  state.SetLabel(board.name + " (" + (dragged ? dragged->field : "no slider") + ")");
}
BENCHMARK(BM_BuildBoardWhileDragging)->DenseRange(0, 13)->Unit(benchmark::kMillisecond)->Iterations(240);

// The live strip beside the same board, rebuilt at each step of the same drag (64 samples of the
// serving or, for a training board, the training report).
void BM_LiveStripWhileDragging(benchmark::State& state) {
  const auto index = static_cast<size_t>(state.range(0));
  if (index >= AllBoards().size()) {
    state.SkipWithError("no such board");
    return;
  }
  const BoardInfo& board = AllBoards()[index];
  const Control* dragged = DraggedControl(board);
  if (!dragged) {
    state.SkipWithError("no slider");
    return;
  }
  Scenario s = DefaultScenario();
  int frame = 0;
  for (auto _ : state) {
    NextDragStep(board, frame++, s);
    const Scene strip = BuildLiveStrip(s, *dragged, GetTheme("blackboard"), 340, 520, board.training);
    benchmark::DoNotOptimize(strip.shapes.data());
  }
  state.SetLabel(board.name + (board.training ? " (training report)" : " (serving report)"));
}
BENCHMARK(BM_LiveStripWhileDragging)->DenseRange(0, 13)->Unit(benchmark::kMillisecond)->Iterations(120);

}  // namespace
}  // namespace blackboard
