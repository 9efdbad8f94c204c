// The GUI session that survives a crash or kill: scenario, board, lecture position, theme and the
// annotations drawn so far, autosaved atomically to the XDG state folder and restored on start.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "blackboard/lecture.hpp"
#include "blackboard/scenario.hpp"

namespace blackboard {

struct Session {
  Scenario scenario;
  std::string board;
  std::string theme = "blackboard";
  std::string lecture_path;  // "" = no lecture
  int step = 0;
  std::vector<std::vector<Annotation>> drawn;  // per lecture step (or one list without a lecture)
};

// $XDG_CONFIG_HOME/blackboard (settings) and $XDG_STATE_HOME/blackboard (session), created on demand.
std::string ConfigDir();
std::string StateDir();
std::string SessionPath();
// $XDG_DATA_HOME/blackboard (else ~/.local/share/blackboard): where work goes when its own file
// cannot be written.
std::string DataDir();
// Where a lecture whose file cannot be written is saved instead: DataDir()/lectures/<name>.json
// (<name>-2.json, ... when another lecture already has that name there).
std::string FallbackLecturePath(const std::string& lecture_path);

nlohmann::json SessionToJson(const Session& s);
// Checks a session document (JSON gate limits already applied): throws ScenarioError naming the
// field. `theme_names`: the known themes (empty = not checked).
Session SessionFromJson(const nlohmann::json& j, const std::string& path, const std::vector<std::string>& theme_names);
// Returns nothing when the file is missing, or when it cannot be used (bad JSON, too deep, unknown
// or empty theme, ...): then it is renamed to <path>.bad-<YYYYmmdd-HHMMSS> and *why says so (a bad
// session never blocks start-up).
std::optional<Session> LoadSession(const std::string& path, std::string* why,
                                   const std::vector<std::string>& theme_names = {});
void SaveSession(const Session& s, const std::string& path);

}  // namespace blackboard
