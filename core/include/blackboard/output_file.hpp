// Output files: where a write really goes and whether it can succeed, checked
// before any work.
//
// Use: `if (std::string why = OutputPathProblem(path); !why.empty())
// fail("--out = " + path + ": " + why);` then WriteFileAtomic(path, bytes)
// (scenario.hpp). A symlinked output keeps its link: the write goes to the
// link's target (a temporary file next to the target, every write, flush and
// close checked, then rename over the target), so nothing is half-written or
// silently truncated.
#pragma once

#include <stdexcept>
#include <string>

namespace blackboard {

// A write that failed (no such folder, read-only, disk full, ...): a
// user-visible condition, not a bug.
struct OutputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The file a write to `path` lands in: `path` itself, or the final target of a
// chain of symlinks (relative links resolved against the link's folder). Throws
// OutputError on a link loop.
std::string OutputTarget(const std::string& path);

// Why a file cannot be written at `path` ("" when it can): "the folder x does
// not exist", "is a directory", "the folder x is read-only", "is not a regular
// file".
std::string OutputPathProblem(const std::string& path);

}  // namespace blackboard
