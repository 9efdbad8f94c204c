// Session autosave.
#include "session.hpp"

#include <cstdlib>
#include <filesystem>

#include "blackboard/assets.hpp"

namespace blackboard {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {
std::string XdgDir(const char* var, const char* fallback) {
  fs::path base;
  if (const char* v = std::getenv(var); v && *v) base = v;
  else if (const char* home = std::getenv("HOME"); home && *home) base = fs::path(home) / fallback;
  else base = fs::temp_directory_path();
  const fs::path dir = base / "blackboard";
  std::error_code ec;
  fs::create_directories(dir, ec);
  return dir.string();
}
}  // namespace

std::string ConfigDir() { return XdgDir("XDG_CONFIG_HOME", ".config"); }
std::string StateDir() { return XdgDir("XDG_STATE_HOME", ".local/state"); }
std::string SessionPath() { return (fs::path(StateDir()) / "session.json").string(); }

json SessionToJson(const Session& s) {
  json j;
  j["scenario"] = ToJson(s.scenario);
  j["board"] = s.board;
  j["theme"] = s.theme;
  j["lecture"] = s.lecture_path;
  j["step"] = s.step;
  j["drawn"] = json::array();
  for (const auto& list : s.drawn) {
    json l = json::array();
    for (const auto& a : list) l.push_back(AnnotationToJson(a));
    j["drawn"].push_back(l);
  }
  return j;
}

std::optional<Session> LoadSession(const std::string& path, std::string* why) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return std::nullopt;
  try {
    const json j = json::parse(ReadTextFile(path));
    Session s;
    s.scenario = ScenarioFromJson(j.at("scenario"), path + " scenario");
    s.board = j.at("board").get<std::string>();
    s.theme = j.value("theme", "blackboard");
    s.lecture_path = j.value("lecture", "");
    s.step = j.value("step", 0);
    // Drawn strokes reuse the lecture parser's annotation checks through a one-step lecture.
    for (const auto& l : j.value("drawn", json::array())) {
      json one = {{"steps", json::array({{{"board", s.board}, {"annotations", l}}})}};
      s.drawn.push_back(LectureFromJson(one, path, {}).steps[0].annotations);
    }
    return s;
  } catch (const std::exception& e) {
    if (why) *why = "session " + path + " not restored: " + e.what();
    return std::nullopt;
  }
}

void SaveSession(const Session& s, const std::string& path) { WriteFileAtomic(path, SessionToJson(s).dump(1) + "\n"); }

}  // namespace blackboard
