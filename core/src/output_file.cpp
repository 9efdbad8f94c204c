// Output files: symlink-preserving atomic writes with every step checked (see
// output_file.hpp).
#include "blackboard/output_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "blackboard/scenario.hpp"

namespace blackboard {

namespace fs = std::filesystem;

std::string OutputTarget(const std::string& path) {
  fs::path p = path;
  std::error_code ec;
  for (int hops = 0; fs::is_symlink(fs::symlink_status(p, ec)); ++hops) {
    if (hops >= 40) throw OutputError("cannot write " + path + ": too many levels of symbolic links");
    const fs::path link = fs::read_symlink(p, ec);
    if (ec) break;
    p = link.is_absolute() ? link : p.parent_path() / link;
  }
  return p.string();
}

std::string OutputPathProblem(const std::string& path) {
  if (path.empty()) return "is empty";
  std::string target;
  try {
    target = OutputTarget(path);
  } catch (const OutputError&) {
    return "is a loop of symbolic links";
  }
  std::error_code ec;
  const fs::file_status st = fs::status(target, ec);
  if (fs::is_directory(st)) return "is a directory";
  if (fs::exists(st) && !fs::is_regular_file(st)) return "is not a regular file";
  const fs::path dir = fs::path(target).parent_path().empty() ? fs::path(".") : fs::path(target).parent_path();
  const fs::file_status dir_st = fs::status(dir, ec);
  if (!fs::exists(dir_st)) return "the folder " + dir.string() + " does not exist";
  if (!fs::is_directory(dir_st)) return dir.string() + " is not a folder";
  if (::access(dir.c_str(), W_OK | X_OK) != 0)
    return "the folder " + dir.string() + " is not writable (" + std::strerror(errno) + ")";
  return "";
}

void WriteFileAtomic(const std::string& path, const std::string& content) {
  const std::string target = OutputTarget(path);
  if (const std::string why = OutputPathProblem(target); !why.empty())
    throw OutputError("cannot write " + path + ": " + (why.rfind("the folder", 0) == 0 ? "" : "it ") + why);
  const std::string tmp = target + ".tmp." + std::to_string(::getpid());
  const auto fail = [&](const std::string& what) {
    const std::string reason = std::strerror(errno);
    std::remove(tmp.c_str());
    throw OutputError("cannot write " + path + ": " + what + " failed (" + reason + ")");
  };
  // An existing file keeps its permissions; a new one gets 0666 less the umask.
  struct stat old {};
  const bool existed = ::stat(target.c_str(), &old) == 0;
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, existed ? (old.st_mode & 07777) : 0666);
  if (fd < 0) fail("creating " + tmp);
  for (size_t done = 0; done < content.size();) {
    const ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const int e = errno;
      ::close(fd);
      errno = n == 0 ? EIO : e;
      fail("writing " + std::to_string(content.size()) + " bytes");
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 && errno != EINVAL) {
    const int e = errno;
    ::close(fd);
    errno = e;
    fail("flushing");
  }
  if (::close(fd) != 0) fail("closing");
  if (std::rename(tmp.c_str(), target.c_str()) != 0) fail("renaming " + tmp + " to " + target);
}

}  // namespace blackboard
