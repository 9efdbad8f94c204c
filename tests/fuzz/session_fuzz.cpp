// libFuzzer target: the GUI's session file (app/ui/session.cpp) through the
// JSON input gate.
//
// Input: the bytes of a session.json. Checks: ParseJsonInput + SessionFromJson
// only ever throw ScenarioError; a session that loads saves and loads back to
// the same JSON (autosave must never write what start-up rejects); LoadSession
// on the file never throws and, when it refuses the file, moves it aside (the
// next start is clean). Sanitizers report the rest (deep nesting, huge keys).
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "blackboard/json_input.hpp"
#include "session.hpp"

namespace {

using blackboard::ScenarioError;

std::string& Dir() {
  static std::string dir;
  return dir;
}

[[noreturn]] void Fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz: %s\n%s\n", what, detail.c_str());
  __builtin_trap();
}

void RemoveDir() {
  std::error_code ec;
  if (!Dir().empty()) std::filesystem::remove_all(Dir(), ec);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* tmp = std::getenv("TMPDIR");
  std::string dir = std::string(tmp && *tmp ? tmp : "/tmp") + "/blackboard-session-fuzz-XXXXXX";
  if (::mkdtemp(dir.data()) == nullptr) Fail("mkdtemp failed", dir);
  Dir() = dir;
  std::atexit(RemoveDir);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 64 * 1024) return -1;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const std::vector<std::string> themes = {"blackboard", "print", "screen"};
  try {
    const blackboard::Session s =
        blackboard::SessionFromJson(blackboard::ParseJsonInput(text, "session.json"), "session.json", themes);
    const std::string saved = blackboard::SessionToJson(s).dump(1);
    try {
      const blackboard::Session back =
          blackboard::SessionFromJson(blackboard::ParseJsonInput(saved, "saved.json"), "saved.json", themes);
      if (blackboard::SessionToJson(back).dump(1) != saved) Fail("a saved session loads back different", saved);
    } catch (const ScenarioError& e) {
      Fail("a saved session does not load back", std::string(e.what()) + "\n" + saved);
    }
  } catch (const ScenarioError&) {
  }
  // The file route: never throws; a refused file is moved aside.
  const std::string path = Dir() + "/session.json";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
  }
  std::string why;
  const auto loaded = blackboard::LoadSession(path, &why, themes);
  if (!loaded && std::filesystem::exists(path)) Fail("a refused session stayed in place", why);
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(Dir(), ec)) std::filesystem::remove(e.path(), ec);
  return 0;
}
