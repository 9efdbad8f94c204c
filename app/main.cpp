// The blackboard executable: the GUI by default, CLI subcommands otherwise (see ui/cli.hpp).
#include <string>
#include <vector>

#include "blackboard/assets.hpp"
#include "ui/app.hpp"
#include "ui/cli.hpp"

int main(int argc, char** argv) {
  blackboard::SetExecutablePath(argc > 0 ? argv[0] : "");
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && blackboard::IsCliCommand(args[0])) return blackboard::RunCli(args);
  return blackboard::RunGui(args);
}
