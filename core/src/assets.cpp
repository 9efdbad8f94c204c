// Asset folder discovery and small file helpers.
#include "blackboard/assets.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace blackboard {

namespace fs = std::filesystem;

namespace {
std::string& ExePath() {
  static std::string path;
  return path;
}
}  // namespace

void SetExecutablePath(const std::string& argv0) {
  std::error_code ec;
  fs::path p = fs::canonical("/proc/self/exe", ec);
  ExePath() = ec ? argv0 : p.string();
}

std::string AssetDir() {
  static const std::string dir = [] {
    if (const char* env = std::getenv("BLACKBOARD_ASSETS"); env && *env) return std::string(env);
    if (!ExePath().empty()) {
      const fs::path exe_dir = fs::path(ExePath()).parent_path();
      for (const fs::path& c : {exe_dir / "../share/blackboard/assets", exe_dir / "assets"}) {
        std::error_code ec;
        if (fs::is_directory(c / "hardware", ec)) return fs::weakly_canonical(c).string();
      }
    }
    return std::string(BLACKBOARD_SOURCE_ASSETS_DIR);
  }();
  return dir;
}

std::vector<std::string> ListAssets(const std::string& kind) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(fs::path(AssetDir()) / kind, ec))
    if (e.path().extension() == ".json") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::string ReadTextFile(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw std::runtime_error(path + ": cannot be read (not a file)");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error(path + ": cannot be read");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace blackboard
