// Session autosave.
#include "session.hpp"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <filesystem>

#include "blackboard/assets.hpp"
#include "blackboard/json_input.hpp"

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
std::string DataDir() { return XdgDir("XDG_DATA_HOME", ".local/share"); }

std::string FallbackLecturePath(const std::string& lecture_path) {
  const fs::path dir = fs::path(DataDir()) / "lectures";
  std::error_code ec;
  fs::create_directories(dir, ec);
  const std::string stem = lecture_path.empty() ? "lecture" : fs::path(lecture_path).stem().string();
  // The same lecture saved here before is overwritten; another lecture of the same name is not.
  for (int n = 1; n < 1000; ++n) {
    const fs::path p = dir / (stem + (n == 1 ? "" : "-" + std::to_string(n)) + ".json");
    if (!fs::exists(p, ec) || fs::equivalent(p, lecture_path, ec)) return p.string();
  }
  return (dir / (stem + "-" + std::to_string(std::time(nullptr)) + ".json")).string();
}

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

Session SessionFromJson(const json& j, const std::string& path, const std::vector<std::string>& theme_names) {
  if (!j.is_object()) throw ScenarioError(path, "(document)", ShowJson(j), "must be a JSON object");
  Session s;
  if (!j.contains("scenario")) throw ScenarioError(path, "scenario", "", "is missing");
  s.scenario = ScenarioFromJson(j.at("scenario"), path + " scenario");
  if (!j.contains("board") || !j.at("board").is_string())
    throw ScenarioError(path, "board", j.contains("board") ? ShowJson(j.at("board")) : "", "must be a board name");
  s.board = j.at("board").get<std::string>();
  if (j.contains("theme")) {
    const json& theme = j.at("theme");
    if (!theme.is_string() || (!theme_names.empty() && std::find(theme_names.begin(), theme_names.end(),
                                                                 theme.get<std::string>()) == theme_names.end())) {
      std::string list;
      for (const auto& n : theme_names) list += (list.empty() ? "" : ", ") + n;
      throw ScenarioError(path, "theme", ShowJson(theme), "is not a theme; known: " + list);
    }
    s.theme = theme.get<std::string>();
  }
  if (j.contains("lecture")) {
    if (!j.at("lecture").is_string()) throw ScenarioError(path, "lecture", ShowJson(j.at("lecture")), "must be a file path");
    s.lecture_path = j.at("lecture").get<std::string>();
  }
  if (j.contains("step")) {
    if (!j.at("step").is_number_integer() || j.at("step").get<double>() < 0 || j.at("step").get<double>() > 1e6)
      throw ScenarioError(path, "step", ShowJson(j.at("step")), "must be a step number from 0 to 1000000");
    s.step = j.at("step").get<int>();
  }
  if (j.contains("drawn")) {
    const json& drawn = j.at("drawn");
    if (!drawn.is_array()) throw ScenarioError(path, "drawn", ShowJson(drawn), "must be a list of annotation lists");
    std::size_t points = 0;
    // Drawn strokes reuse the lecture parser's annotation checks through a one-step lecture.
    for (std::size_t i = 0; i < drawn.size(); ++i) {
      const std::string at = "drawn[" + std::to_string(i) + "]";
      if (!drawn[i].is_array()) throw ScenarioError(path, at, ShowJson(drawn[i]), "must be a list of annotations");
      json one = {{"steps", json::array({{{"board", "batch"}, {"annotations", drawn[i]}}})}};
      s.drawn.push_back(LectureFromJson(one, path + " " + at, {}).steps[0].annotations);
      for (const auto& a : s.drawn.back()) points += a.points.size();
      if (points > kMaxChalkPoints)
        throw ScenarioError(path, at, "", "brings the chalk points past " + std::to_string(kMaxChalkPoints));
    }
  }
  return s;
}

std::optional<Session> LoadSession(const std::string& path, std::string* why,
                                   const std::vector<std::string>& theme_names) {
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(path, ec))) return std::nullopt;
  try {
    return SessionFromJson(ReadJsonFile(path), path, theme_names);
  } catch (const std::exception& e) {
    // A session that cannot be used never blocks start-up: it is moved aside (kept for the user to
    // look at) and the app starts fresh, saying so.
    const std::time_t now = std::time(nullptr);
    char stamp[32] = "unknown";
    if (const std::tm* tm = std::localtime(&now)) std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", tm);
    const std::string aside = path + ".bad-" + stamp;
    fs::rename(path, aside, ec);
    if (why)
      *why = "session not restored (" + std::string(e.what()) + "); " +
             (ec ? "could not move it aside: " + ec.message() : "moved aside to " + aside);
    return std::nullopt;
  }
}

void SaveSession(const Session& s, const std::string& path) { WriteFileAtomic(path, SessionToJson(s).dump(1) + "\n"); }

}  // namespace blackboard
