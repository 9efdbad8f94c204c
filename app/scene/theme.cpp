// Themes as data: assets/themes/*.json over the built-in blackboard defaults.
#include "theme.hpp"

#include <algorithm>
#include <map>
#include <mutex>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "blackboard/assets.hpp"
#include "blackboard/json_input.hpp"

namespace blackboard {

namespace {

std::map<std::string, Color Theme::*> ColorFields() {
  return {{"background", &Theme::background}, {"ink", &Theme::ink},
          {"ink_dim", &Theme::ink_dim},       {"grid", &Theme::grid},
          {"panel", &Theme::panel},           {"accent", &Theme::accent},
          {"compute", &Theme::compute},       {"memory_bw", &Theme::memory_bw},
          {"memory_cap", &Theme::memory_cap}, {"network", &Theme::network},
          {"bubble", &Theme::bubble},         {"forward", &Theme::forward},
          {"backward", &Theme::backward},     {"wgrad", &Theme::wgrad},
          {"kv", &Theme::kv},                 {"weights", &Theme::weights}};
}

std::map<std::string, float Theme::*> NumberFields() {
  return {{"board_texture", &Theme::board_texture}, {"chalk", &Theme::chalk}, {"title_size", &Theme::title_size},
          {"heading_size", &Theme::heading_size},   {"label_size", &Theme::label_size},
          {"tick_size", &Theme::tick_size},         {"note_size", &Theme::note_size},
          {"line_width", &Theme::line_width},       {"bold_line_width", &Theme::bold_line_width}};
}

}  // namespace

Theme ThemeFromJsonText(const std::string& json_text, const std::string& source) {
  nlohmann::json doc;
  try {
    doc = ParseJsonInput(json_text, source);  // the input gate: depth, size, keys, control characters
  } catch (const ScenarioError& e) {
    throw std::invalid_argument(e.what());
  }
  if (!doc.is_object()) throw std::invalid_argument(source + ": is not a JSON object");
  Theme t;
  const auto colors = ColorFields();
  const auto numbers = NumberFields();
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    const std::string& k = it.key();
    if (k == "name" && it->is_string()) {
      t.name = it->get<std::string>();
    } else if (k == "description") {
    } else if (k == "chalk_titles" && it->is_boolean()) {
      t.chalk_titles = it->get<bool>();
    } else if (auto c = colors.find(k); c != colors.end() && it->is_string()) {
      try {
        t.*(c->second) = ColorFromHex(it->get<std::string>());
      } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(source + ": " + k + " = " + it->dump() + " " + e.what());
      }
    } else if (auto n = numbers.find(k); n != numbers.end() && it->is_number()) {
      t.*(n->second) = it->get<float>();
    } else {
      throw std::invalid_argument(source + ": " + k + " = " + it->dump() +
                                  " is not a theme field of the right type");
    }
  }
  return t;
}

std::vector<std::string> ThemeNames() {
  std::vector<std::string> names = ListAssets("themes");
  if (names.empty()) names = {"blackboard"};
  return names;
}

const Theme& GetTheme(const std::string& name) {
  static std::mutex mu;
  static std::map<std::string, Theme> cache;
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = cache.find(name); it != cache.end()) return it->second;
  const auto names = ThemeNames();
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    if (name == "blackboard") return cache.emplace(name, Theme{}).first->second;
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    throw std::invalid_argument("--theme = " + name + " is not a theme; known: " + list);
  }
  const std::string path = AssetDir() + "/themes/" + name + ".json";
  Theme t = ThemeFromJsonText(ReadTextFile(path), path);
  t.name = name;
  return cache.emplace(name, t).first->second;
}

}  // namespace blackboard
