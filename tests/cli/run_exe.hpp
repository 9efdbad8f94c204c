// Runs the real `blackboard` executable (BLACKBOARD_EXE) for the CLI tests and captures its exit
// status, standard output and standard error.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace blackboard_test {

struct RunResult {
  int status = -1;
  std::string out, err;
};

inline RunResult Exec(const std::string& args) {
  namespace fs = std::filesystem;
  static int calls = 0;
  const fs::path err_file = fs::path(BLACKBOARD_TEST_OUT) /
                            ("cli-stderr-" + std::to_string(getpid()) + "-" + std::to_string(++calls) + ".txt");
  const std::string cmd = std::string("\"") + BLACKBOARD_EXE + "\" " + args + " 2>\"" + err_file.string() + "\"";
  RunResult r;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  std::ifstream e(err_file);
  std::stringstream ss;
  ss << e.rdbuf();
  r.err = ss.str();
  fs::remove(err_file);
  return r;
}

// A folder of the test build for one test file's outputs, created on first use.
inline std::filesystem::path OutDir(const std::string& name) {
  const std::filesystem::path dir = std::filesystem::path(BLACKBOARD_TEST_OUT) / name;
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace blackboard_test
