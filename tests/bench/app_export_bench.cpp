// Export benchmarks (issue 8): SVG of the largest board (the most shapes) and PNG at 4x through the
// headless EGL path, the same code as `blackboard render`.
#include <benchmark/benchmark.h>

#include <string>

#include "export/image.hpp"
#include "export/svg.hpp"
#include "scene/board.hpp"
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

}  // namespace
}  // namespace blackboard
