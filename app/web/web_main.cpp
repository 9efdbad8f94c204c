// The web module (cmake --preset web, Debian's emscripten): the core and the boards' Scene builders in
// WebAssembly, for the page `blackboard render BOARD --out board.html` writes. The page calls
// bb_render on every slider change: the board as SVG (the SVG exporter's output) and the eval report,
// from the same engine as the desktop and the CLI. Assets (presets, themes) are embedded at /assets.
#include <emscripten/emscripten.h>

#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "blackboard/report.hpp"
#include "blackboard/scenario.hpp"
#include "export/svg.hpp"
#include "scene/board.hpp"

namespace {

using nlohmann::json;

std::string RenderJson(const char* board_name, const char* scenario_json, const char* sets_json, const char* theme,
                       double time_s) {
  using namespace blackboard;
  json out;
  try {
    const BoardInfo* board = FindBoard(board_name);
    if (!board) throw std::runtime_error(std::string("no board ") + board_name + " in this module");
    Scenario s = ScenarioFromJson(json::parse(scenario_json), "the page's scenario");
    const json sets = json::parse(sets_json);
    for (auto it = sets.begin(); it != sets.end(); ++it) {
      const json& v = *it;
      ApplySet(s, it.key() + "=" + (v.is_string() ? v.get<std::string>() : v.dump()), "#" + it.key());
    }
    ValidateScenario(s, "the page's settings");
    const BoardContext ctx{s, GetTheme(theme), time_s, 1600, 900};
    // The page states the fonts once (WebPageHtml); each redraw leaves them out (45 -> a few ms a slider step).
    out["svg"] = SceneToSvg(BuildBoard(*board, ctx), /*embed_fonts=*/false);
    out["report"] = EvalReportJson(s);
    out["error"] = "";
  } catch (const std::exception& e) {
    out["error"] = e.what();
  }
  return out.dump();
}

}  // namespace

extern "C" {

// Returns {"svg": ..., "report": {...eval --json...}, "error": ""} or {"error": "why"}. The string
// lives until the next call.
EMSCRIPTEN_KEEPALIVE const char* bb_render(const char* board, const char* scenario_json, const char* sets_json,
                                           const char* theme, double time_s) {
  static std::string result;
  setenv("BLACKBOARD_ASSETS", "/assets", 1);
  result = RenderJson(board, scenario_json, sets_json, theme, time_s);
  return result.c_str();
}
}
