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

nlohmann::json SessionToJson(const Session& s);
// Returns nothing when the file is missing or unreadable (a bad session never blocks start-up).
std::optional<Session> LoadSession(const std::string& path, std::string* why);
void SaveSession(const Session& s, const std::string& path);

}  // namespace blackboard
