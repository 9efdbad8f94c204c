// libFuzzer target: the scenario JSON loader, the --set parser, validation and the engines.
//
// Input format (plain text, so corpus files are readable and editable):
//
//   <scenario JSON document>          (may be empty: start from DefaultScenario())
//   --set KEY=VALUE                   (zero or more, each starting a line)
//
// The document is everything before the first line that starts with "--set "; each following
// "--set " line is one assignment, applied in order (ApplySet), exactly like
// `blackboard eval FILE.json --set K=V ...`.
//
// For every input the target checks:
//  1. LoadScenarioFile on the document written to a file and ScenarioFromJson + ApplySet in memory
//     agree: both throw ScenarioError, or both give the same scenario (ToJson equal).
//  2. Only ScenarioError escapes the loaders; any other exception is a crash.
//  3. A loaded scenario saves and reloads to itself (ToJson -> text -> ScenarioFromJson): the GUI's
//     save file must never lose or reject what it wrote.
//  4. The serving and training engines on it give no NaN, infinity or negative figure
//     (fuzz_checks.hpp), catching only the documented ScenarioError / std::invalid_argument.
// Failures abort (__builtin_trap) so libFuzzer keeps the input; sanitizers report the rest.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "blackboard/json_input.hpp"
#include "blackboard/scenario.hpp"
#include "fuzz_checks.hpp"

namespace {

using blackboard::Scenario;
using blackboard::ScenarioError;
using nlohmann::json;

constexpr std::string_view kSet = "--set ";

struct Input {
  std::string document;
  std::vector<std::string> sets;
};

Input Split(std::string_view text) {
  Input in;
  std::size_t cut = std::string_view::npos;
  if (text.substr(0, kSet.size()) == kSet)
    cut = 0;
  else if (const auto p = text.find("\n--set "); p != std::string_view::npos)
    cut = p + 1;
  in.document = std::string(text.substr(0, cut == std::string_view::npos ? text.size() : cut));
  if (cut == std::string_view::npos) return in;
  std::string_view rest = text.substr(cut + kSet.size());
  while (true) {
    const auto next = rest.find("\n--set ");
    in.sets.emplace_back(rest.substr(0, next));
    if (next == std::string_view::npos) break;
    rest = rest.substr(next + 1 + kSet.size());
  }
  return in;
}

bool IsBlank(const std::string& s) {
  return s.find_first_not_of(" \t\r\n") == std::string::npos;
}

[[noreturn]] void Fail(const char* what, const std::string& detail) {
  std::fprintf(stderr, "fuzz: %s\n%s\n", what, detail.c_str());
  __builtin_trap();
}

std::string& InputPath() {
  static std::string path;
  return path;
}

void RemoveInputFile() {
  if (InputPath().empty()) return;
  std::remove(InputPath().c_str());
  const std::string dir = InputPath().substr(0, InputPath().rfind('/'));
  ::rmdir(dir.c_str());
}

// The file route: exactly what `blackboard eval FILE --set ...` does.
std::optional<Scenario> LoadViaFile(const Input& in) {
  {
    std::ofstream out(InputPath(), std::ios::binary | std::ios::trunc);
    out.write(in.document.data(), static_cast<std::streamsize>(in.document.size()));
    if (!out) Fail("cannot write the fuzz input file", InputPath());
  }
  try {
    return blackboard::LoadScenarioFile(InputPath(), in.sets);
  } catch (const ScenarioError&) {
    return std::nullopt;
  }
}

// The in-memory route (the GUI's drop of a JSON document, then the command line's --set).
std::optional<Scenario> LoadInMemory(const Input& in, bool from_default) {
  try {
    Scenario s;
    if (from_default) {
      s = blackboard::DefaultScenario();
    } else {
      // The same input gate as a file (depth, size, duplicate keys, control characters).
      const json doc = blackboard::ParseJsonInput(in.document, "fuzz.json");
      s = blackboard::ScenarioFromJson(doc, "fuzz.json");
    }
    for (const auto& a : in.sets) blackboard::ApplySet(s, a, "--set " + a);
    blackboard::ValidateScenario(s, "fuzz.json");
    return s;
  } catch (const ScenarioError&) {
    return std::nullopt;
  }
}

void CheckRoundTrip(const Scenario& s) {
  const std::string saved = blackboard::ToJson(s).dump(2);
  Scenario back;
  try {
    back = blackboard::ScenarioFromJson(json::parse(saved), "saved.json");
  } catch (const ScenarioError& e) {
    Fail("a saved scenario does not load back", std::string(e.what()) + "\n" + saved);
  }
  const std::string again = blackboard::ToJson(back).dump(2);
  if (again != saved) Fail("a saved scenario loads back different", saved + "\n---\n" + again);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* tmp = std::getenv("TMPDIR");
  std::string dir = std::string(tmp && *tmp ? tmp : "/tmp") + "/blackboard-fuzz-XXXXXX";
  if (::mkdtemp(dir.data()) == nullptr) Fail("mkdtemp failed", dir);
  InputPath() = dir + "/input.json";
  std::atexit(RemoveInputFile);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 64 * 1024) return -1;  // scenario files are a few KB; keep the search on structure
  const Input in = Split(std::string_view(reinterpret_cast<const char*>(data), size));
  const bool from_default = IsBlank(in.document);

  std::optional<Scenario> s = LoadInMemory(in, from_default);
  if (!from_default) {
    const std::optional<Scenario> f = LoadViaFile(in);
    if (s.has_value() != f.has_value())
      Fail(s ? "LoadScenarioFile rejects what ScenarioFromJson accepts"
             : "LoadScenarioFile accepts what ScenarioFromJson rejects",
           in.document);
    if (s && blackboard::ToJson(*s) != blackboard::ToJson(*f))
      Fail("LoadScenarioFile and ScenarioFromJson disagree", in.document);
  }
  if (!s) return 0;
  CheckRoundTrip(*s);
  blackboard::fuzz::CheckEvaluations(*s);
  return 0;
}
