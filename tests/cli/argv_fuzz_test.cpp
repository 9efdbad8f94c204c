// The whole command line under generated input (issue 17): a deterministic fuzzer of argv.
//
// Each case is a command line drawn from a fixed-seed generator over the commands, every option,
// valid and hostile values (control characters, newlines, 20 KB strings, numbers out of range, NaN,
// folders that do not exist or are files, unknown flags) and scenario files (good, broken, a folder).
// The real executable runs each with exact argv (no shell). What must hold for every case:
//   - it exits (no signal: no crash, no abort, no sanitizer death);
//   - the status is 0 or 2 (1 is "internal error": a bug, except when the offscreen renderer cannot
//     start, which this test avoids by rendering SVG only);
//   - on exit 2, standard error is exactly one line of at most 1,200 bytes that starts with the
//     program or file name, and nothing was written at the --out path.
// The generator is mt19937 with raw outputs (no distribution objects), so the cases are the same on
// every machine; a failure prints the case's argv escaped, to paste into a shell.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "run_exe.hpp"

namespace {

namespace fs = std::filesystem;
using blackboard_test::ArgvResult;
using blackboard_test::ExecArgv;
using blackboard_test::OutDir;

class Generator {
 public:
  explicit Generator(std::uint32_t seed) : rng_(seed) {}
  std::size_t Below(std::size_t n) { return static_cast<std::size_t>(rng_() % n); }
  bool Chance(int percent) { return Below(100) < static_cast<std::size_t>(percent); }
  template <class T>
  const T& Pick(const std::vector<T>& v) { return v[Below(v.size())]; }

 private:
  std::mt19937 rng_;
};

std::string Escaped(const std::vector<std::string>& argv) {
  std::string out = "blackboard";
  for (const auto& a : argv) {
    out += " $'";
    for (const unsigned char c : a.substr(0, 200)) {
      if (c == '\'' || c == '\\') out += '\\', out += static_cast<char>(c);
      else if (c < 0x20 || c >= 0x7F) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\x%02x", c);
        out += buf;
      } else out += static_cast<char>(c);
    }
    out += a.size() > 200 ? "...'" : "'";
  }
  return out;
}

struct Pools {
  std::vector<std::string> commands, fields, values, numbers, sizes, themes, outs, files, junk;
};

Pools MakePools(const fs::path& dir) {
  Pools p;
  p.commands = {"eval", "eval", "eval", "list", "schema", "render", "render", "search", "frobnicate", "--json"};
  p.fields = {"serving.batch", "serving.tp", "training.tp", "training.dp", "cluster.racks", "model", "hardware",
              "efficiency", "title", "training.math", "serving.attention_layout", "economics.usd_per_chip_hour",
              "budget", "efficiency.compute", "no.such.field", "", "serving", "model.layers", "training.zero"};
  p.values = {"64", "0", "-1", "1e308", "nan", "inf", "3.5", "\"x\"", "[1,2]", "{}", "{\"a\":", "roofline", "fp8",
              "h100-sxm", "llama-3-70b", "line\nbreak", std::string("nul\x01" "ctl\x7f"), std::string(20000, '['),
              std::string(20000, 'x'), "true", "null", "\xff\xfe", "1e-300", "8"};
  p.numbers = {"0", "1", "2", "-3", "0.5", "1e9", "nan", "abc", "", "4x", "\n", "1e-400", "16"};
  p.sizes = {"800x450", "640x360", "1x1", "x", "99999x99999", "800x", "nanxnan", "800x450x3", "-800x450", "\n"};
  p.themes = {"blackboard", "print", "whiteboard", "solarized", "", "\nprint", std::string(5000, 't')};
  const std::string d = dir.string();
  p.outs = {d + "/a.svg", d + "/b.json", d + "/c.bmp", d + "/no/such/folder/d.svg", d + "/e\nf.svg",
            d + "/folder.svg", d + "/%04d.svg", d + "/g.html", d + "/", "", d + "/file-as-dir/h.svg"};
  p.files = {d + "/good.json", d + "/broken.json", d + "/folder.svg", d + "/missing.json", d + "/deep.json",
             d + "/lecture.json", "batch", "pipeline-training", "roofline", "hardware", "models", "nosuch"};
  p.junk = {"--nope", "-x", "--set", "--out", "--", "--size=800x450", std::string("--\n"), "--help", "--version"};
  return p;
}

void WriteFixtures(const fs::path& dir) {
  fs::create_directories(dir / "folder.svg");
  std::ofstream(dir / "file-as-dir") << "a file";
  std::ofstream(dir / "good.json") << R"({"schema_version": 1, "serving": {"batch": 32}})";
  std::ofstream(dir / "broken.json") << R"({"serving": {"batch": })";
  std::ofstream(dir / "deep.json") << std::string(5000, '[') + std::string(5000, ']');
  std::ofstream(dir / "lecture.json") << R"({"title": "t", "steps": [{"title": "s", "board": "batch"}]})";
}

std::vector<std::string> MakeCase(Generator& g, const Pools& p) {
  std::vector<std::string> argv;
  argv.push_back(g.Pick(p.commands));
  const std::size_t options = g.Below(6);
  for (std::size_t i = 0; i < options; ++i) {
    switch (g.Below(12)) {
      case 0:
      case 1:
        argv.push_back("--set");
        argv.push_back(g.Pick(p.fields) + "=" + g.Pick(p.values));
        break;
      case 2: argv.push_back(g.Pick(p.files)); break;
      case 3:
        argv.push_back("--out");
        argv.push_back(g.Pick(p.outs));
        break;
      case 4:
        argv.push_back("--size");
        argv.push_back(g.Pick(p.sizes));
        break;
      case 5:
        argv.push_back("--theme");
        argv.push_back(g.Pick(p.themes));
        break;
      case 6:
        argv.push_back(g.Pick(std::vector<std::string>{"--scale", "--time", "--top", "--step", "--morph"}));
        argv.push_back(g.Pick(p.numbers));
        break;
      case 7: argv.push_back(g.Pick(std::vector<std::string>{"--json", "--with-scenario", "--transparent"})); break;
      case 8: argv.push_back(g.Pick(p.junk)); break;
      case 9:
        argv.push_back("--compare");
        argv.push_back(g.Pick(p.files));
        break;
      case 10:
        argv.push_back("--morph-from-set");
        argv.push_back(g.Pick(p.fields) + "=" + g.Pick(p.values));
        break;
      default: argv.push_back("--set=" + g.Pick(p.fields) + "=" + g.Pick(p.values)); break;
    }
  }
  // Only SVG, JSON and text outputs are rendered here: a PNG needs the GL renderer (its own tests),
  // and a video or GIF would make the case slow. Other extensions must still be refused plainly.
  for (std::size_t i = 0; i + 1 < argv.size(); ++i) {
    if (argv[i] != "--out") continue;
    const std::string& o = argv[i + 1];
    if (o.size() >= 4 && (o.compare(o.size() - 4, 4, ".png") == 0 || o.compare(o.size() - 4, 4, ".gif") == 0 ||
                          o.compare(o.size() - 4, 4, ".mp4") == 0))
      argv[i + 1] = o.substr(0, o.size() - 4) + ".svg";
  }
  return argv;
}

std::string OutPath(const std::vector<std::string>& argv) {
  std::string out;
  for (std::size_t i = 0; i + 1 < argv.size(); ++i)
    if (argv[i] == "--out") out = argv[i + 1];
  return out;
}

TEST(CliArgvFuzz, EveryGeneratedCommandLineExitsCleanlyWithOneLine) {
  const fs::path dir = OutDir("argv-fuzz");
  WriteFixtures(dir);
  const Pools pools = MakePools(dir);
  Generator g(20261203);
  constexpr int kCases = 120;
  int exit0 = 0, exit2 = 0;
  for (int c = 0; c < kCases; ++c) {
    const std::vector<std::string> argv = MakeCase(g, pools);
    const std::string out = OutPath(argv);
    const bool out_is_new_file = !out.empty() && !fs::exists(out);
    const ArgvResult r = ExecArgv(argv);
    const std::string shown = Escaped(argv);
    ASSERT_EQ(r.signal, 0) << "killed by signal " << r.signal << ": " << shown << "\n" << r.err.substr(0, 2000);
    EXPECT_TRUE(r.status == 0 || r.status == 2) << "exit " << r.status << ": " << shown << "\n" << r.err.substr(0, 2000);
    if (r.status == 0) ++exit0;
    if (r.status != 2) {
      if (out_is_new_file && fs::is_regular_file(out)) fs::remove(out);  // the next case starts clean
      continue;
    }
    ++exit2;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << shown << "\n" << r.err.substr(0, 2000);
    EXPECT_LE(r.err.size(), 1200u) << shown << "\n" << r.err.substr(0, 400);
    if (out_is_new_file) {
      EXPECT_FALSE(fs::exists(out)) << "exit 2 but wrote " << out << ": " << shown;
    }
  }
  // The generator reaches both outcomes in useful numbers (not a test of nothing).
  std::printf("argv fuzz: %d cases, %d exit 0, %d exit 2\n", kCases, exit0, exit2);
  EXPECT_GE(exit0, 10);
  EXPECT_GE(exit2, 50);
}

}  // namespace
