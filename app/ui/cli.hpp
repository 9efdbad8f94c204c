// The command line of shared/SCENARIO.md: eval, render, list, --bench-frames, --help, --version.
// Returns the process exit status: 0 done, 2 bad input (one line on stderr naming file, field,
// value and what is allowed), 1 internal error.
#pragma once

#include <string>
#include <vector>

namespace blackboard {

int RunCli(const std::vector<std::string>& args);  // args without argv[0]
bool IsCliCommand(const std::string& first_arg);
std::string UsageText();

}  // namespace blackboard
