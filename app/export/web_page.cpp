// The live board's page. Index: FindWebModule | the page's controls (JSON) | the HTML and script.
#include "export/web_page.hpp"

#include <cstdlib>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "blackboard/assets.hpp"
#include "export/svg.hpp"

namespace blackboard {

std::string FindWebModule() {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (const char* env = std::getenv("BLACKBOARD_WEB_MODULE"); env && *env)
    return fs::is_regular_file(env, ec) ? std::string(env) : "";
  const fs::path built = fs::path(BLACKBOARD_SOURCE_ASSETS_DIR) / ".." / "build" / "web" / "blackboard_web.js";
  return fs::is_regular_file(built, ec) ? built.lexically_normal().string() : "";
}

namespace {

// The board's controls for the page's script: sliders (min, max, log, integer) and menus.
nlohmann::json ControlsJson(const BoardInfo& board) {
  nlohmann::json out = nlohmann::json::array();
  for (const Control& c : board.controls) {
    nlohmann::json j = {{"field", c.field}, {"label", c.label}, {"min", c.min}, {"max", c.max},
                        {"log", c.log},     {"integer", c.integer}};
    std::vector<std::string> choices = c.choices;
    if (!c.choices_kind.empty()) choices = ListAssets(c.choices_kind);
    if (!choices.empty()) j["choices"] = choices;
    out.push_back(j);
  }
  return out;
}

// Inline <script> text must not close its element early: "</script" is the one sequence that does
// (written "<\\/script", the same string in JavaScript and in JSON).
std::string ScriptSafe(std::string s) {
  for (size_t p = s.find("</script"); p != std::string::npos; p = s.find("</script", p + 3)) s.replace(p, 2, "<\\/");
  return s;
}

constexpr const char* kPage = R"HTML(<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>@TITLE@</title>
<style>
  body { margin: 0; background: #1d2321; color: #e8e6df; font: 14px system-ui, sans-serif; }
  #board svg { width: 100%; height: auto; display: block; }
  #controls { display: flex; flex-wrap: wrap; gap: 8px 24px; padding: 10px 16px; }
  #controls label { display: flex; gap: 8px; align-items: center; }
  #controls output { min-width: 6em; font-variant-numeric: tabular-nums; }
  #numbers { padding: 0 16px 12px; font-variant-numeric: tabular-nums; }
  #error { color: #ff8a80; padding: 0 16px; }
</style>
<style>@FONTS@</style>
</head>
<body>
<div id="board"></div>
<div id="controls"></div>
<div id="error"></div>
<div id="numbers"></div>
<details style="padding: 0 16px 16px"><summary>every figure (blackboard eval --json)</summary>
<pre id="report"></pre></details>
<script type="application/json" id="blackboard-config">@CONFIG@</script>
<script>@MODULE@</script>
<script>
(async () => {
  const config = JSON.parse(document.getElementById('blackboard-config').textContent);
  const module = await BlackboardModule();
  const render = module.cwrap('bb_render', 'string', ['string', 'string', 'string', 'string', 'number']);
  const scenario = JSON.stringify(config.scenario);
  // Fields from the URL fragment: #serving.batch=128&model=deepseek-v3
  const sets = {};
  const readHash = () => {
    for (const k of Object.keys(sets)) delete sets[k];
    for (const part of decodeURIComponent(location.hash.slice(1)).split('&')) {
      const eq = part.indexOf('=');
      if (eq > 0) { const v = part.slice(eq + 1); sets[part.slice(0, eq)] = isNaN(Number(v)) ? v : Number(v); }
    }
  };
  const get = (field) => field.split('.').reduce((o, k) => (o == null ? o : o[k]), config.scenario);
  const inputs = [];
  const draw = () => {
    const out = JSON.parse(render(config.board, scenario, JSON.stringify(sets), config.theme, config.time_s));
    document.getElementById('error').textContent = out.error;
    if (out.error) return;
    document.getElementById('board').innerHTML = out.svg.replace(/^<\?xml[^>]*>\s*/, '');
    document.getElementById('report').textContent = JSON.stringify(out.report, null, 2);
    const rows = [];
    for (const [section, figures] of Object.entries(out.report))
      for (const key of config.shown[section] || [])
        if (figures && figures[key] !== undefined) rows.push(`${section}.${key} = <b>${typeof figures[key] === 'number' ? figures[key].toPrecision(4) : figures[key]}</b>`);
    document.getElementById('numbers').innerHTML = rows.join(' &middot; ');
    for (const i of inputs) i.sync();
  };
  for (const c of config.controls) {
    const label = document.createElement('label');
    label.textContent = c.label;
    const current = () => (c.field in sets ? sets[c.field] : get(c.field));
    let input;
    if (c.choices) {
      input = document.createElement('select');
      for (const v of c.choices) input.add(new Option(v, v));
      input.oninput = () => { sets[c.field] = input.value; update(); };
      input.sync = () => { const v = current(); input.value = typeof v === 'object' && v ? v.name : v; };
    } else {
      input = document.createElement('input');
      input.type = 'range'; input.min = 0; input.max = 1000;
      const out = document.createElement('output');
      const toValue = (p) => {
        const t = p / 1000;
        let v = c.log ? c.min * Math.pow(c.max / c.min, t) : c.min + (c.max - c.min) * t;
        return c.integer ? Math.round(v) : v;
      };
      const toPos = (v) => 1000 * (c.log ? Math.log(v / c.min) / Math.log(c.max / c.min) : (v - c.min) / (c.max - c.min));
      input.oninput = () => { sets[c.field] = toValue(Number(input.value)); update(); };
      input.sync = () => { const v = Number(current()); input.value = toPos(v); out.value = c.integer ? v : v.toPrecision(3); };
      label.append(input, out);
    }
    if (!label.contains(input)) label.append(input);
    inputs.push(input);
    document.getElementById('controls').append(label);
  }
  const update = () => {
    history.replaceState(null, '', '#' + Object.entries(sets).map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&'));
    draw();
  };
  window.addEventListener('hashchange', () => { readHash(); draw(); });
  readHash();
  draw();
  document.body.dataset.ready = 'true';
})();
</script>
</body>
</html>
)HTML";

void ReplaceAll(std::string& s, const std::string& from, const std::string& to) {
  for (size_t p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
}

}  // namespace

std::string WebPageHtml(const BoardInfo& board, const Scenario& scenario, const std::string& theme,
                        const std::string& module_js) {
  const nlohmann::json config = {
      {"board", board.name},
      {"theme", theme},
      {"time_s", 0},
      {"scenario", ToJson(scenario)},
      {"controls", ControlsJson(board)},
      // The figures shown under the board (all of them are in the report below it).
      {"shown",
       {{"serving", {"decode_step_s", "tokens_per_s", "usd_per_mtok_output", "critical_batch", "bound"}},
        {"training", {"step_s", "mfu", "days", "usd"}}}}};
  std::string page = kPage;
  // The module last, so that no marker is looked for inside it.
  ReplaceAll(page, "@CONFIG@", ScriptSafe(config.dump()));
  ReplaceAll(page, "@TITLE@", EscapeXml(board.title + " - Blackboard"));
  // The board's faces once for the page: each redraw's SVG leaves them out (web_main.cpp).
  ReplaceAll(page, "@FONTS@", SvgFontFaceCss());
  const auto at = page.find("@MODULE@");
  page.replace(at, 8, ScriptSafe(module_js));
  return page;
}

}  // namespace blackboard
