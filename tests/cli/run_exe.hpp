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

#include <spawn.h>
#include <fcntl.h>

#include <vector>

extern char** environ;

namespace blackboard_test {

// Runs the executable with these exact arguments (no shell: any bytes but NUL reach argv as given).
// `signal` is the terminating signal, 0 when it exited.
struct ArgvResult {
  int status = -1, signal = 0;
  std::string out, err;
};

inline std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline ArgvResult ExecArgv(const std::vector<std::string>& args) {
  namespace fs = std::filesystem;
  static int calls = 0;
  const std::string stem = fs::path(BLACKBOARD_TEST_OUT) / ("argv-" + std::to_string(getpid()) + "-" + std::to_string(++calls));
  const std::string out_file = stem + ".out", err_file = stem + ".err";
  std::vector<char*> argv;
  std::string exe = BLACKBOARD_EXE;
  argv.push_back(exe.data());
  std::vector<std::string> copy = args;
  for (auto& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ArgvResult r;
  pid_t pid = 0;
  if (posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv.data(), environ) == 0) {
    int st = 0;
    waitpid(pid, &st, 0);
    if (WIFEXITED(st)) r.status = WEXITSTATUS(st);
    if (WIFSIGNALED(st)) r.signal = WTERMSIG(st);
  }
  posix_spawn_file_actions_destroy(&actions);
  r.out = Slurp(out_file);
  r.err = Slurp(err_file);
  fs::remove(out_file);
  fs::remove(err_file);
  return r;
}

}  // namespace blackboard_test
