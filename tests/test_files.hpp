// Scratch files for tests: a fresh folder under the test binary's output tree, and a file written whole.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

namespace blackboard::test {

// BLACKBOARD_TEST_OUT/<group>/<name>, emptied and created.
inline std::filesystem::path FreshTestDir(const std::string& group, const std::string& name) {
  const std::filesystem::path dir = std::filesystem::path(BLACKBOARD_TEST_OUT) / group / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline void WriteText(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

}  // namespace blackboard::test
