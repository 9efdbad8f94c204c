// A live board for a web page: one self-contained HTML file (no network, opens from disk) holding the
// web module (core + boards in WebAssembly, app/web), the scenario, the board's controls as sliders
// and menus, and the script that redraws the board's SVG on every change. The URL fragment sets
// fields: board.html#serving.batch=128&serving.context=32768.
#pragma once

#include <string>

#include "blackboard/scenario.hpp"
#include "scene/board.hpp"

namespace blackboard {

// Where the built web module is looked for: $BLACKBOARD_WEB_MODULE, else build/web/blackboard_web.js
// in the source tree (cmake --preset web && cmake --build --preset web). "" when neither exists.
std::string FindWebModule();

// The page: `module_js` is the web module's text (blackboard_web.js), inlined.
std::string WebPageHtml(const BoardInfo& board, const Scenario& scenario, const std::string& theme,
                        const std::string& module_js);

}  // namespace blackboard
