// Every entry point of the executable under hostile and huge input (issue 17):
// one line, exit 2, fast; outputs keep symlinks and fail plainly when they
// cannot be written.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "run_exe.hpp"

namespace {

namespace fs = std::filesystem;
using blackboard_test::Exec;
using blackboard_test::OutDir;
using blackboard_test::RunResult;

void WriteText(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

// Exit 2 with exactly one line that contains `needle`.
void ExpectOneLineExit2(const RunResult& r, const std::string& needle) {
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err.substr(0, 400);
  EXPECT_NE(r.err.find(needle), std::string::npos) << r.err.substr(0, 400);
  EXPECT_LT(r.err.size(), 600u) << "the message repeats the input";
}

TEST(HostileInput, DeepNestingEverywhereIsOneLine) {
  const fs::path dir = OutDir("hostile");
  const std::string deep(1000000, '[');
  WriteText(dir / "deep.json", "{\"title\": " + deep + std::string(1000000, ']') + "}");
  ExpectOneLineExit2(Exec("eval \"" + (dir / "deep.json").string() + "\""), "nests more than 64 arrays/objects deep");
  // --set value of 130 KB.
  ExpectOneLineExit2(Exec("eval --set 'title=" + std::string(130000, '[') + "'"), "--set title=");
  // A lecture step's notes and set.
  WriteText(dir / "deep-lecture.json",
            "{\"steps\": [{\"board\": \"batch\", \"notes\": " + deep + std::string(1000000, ']') + "}]}");
  ExpectOneLineExit2(
      Exec("render step \"" + (dir / "deep-lecture.json").string() + "\" --out \"" + (dir / "x.svg").string() + "\""),
      "steps[0].notes");
}

TEST(HostileInput, HugeKeysDuplicatesControlCharactersAndSize) {
  const fs::path dir = OutDir("hostile");
  WriteText(dir / "huge-key.json", "{\"" + std::string(10 * 1024 * 1024, 'k') + "\": 1}");
  ExpectOneLineExit2(Exec("eval \"" + (dir / "huge-key.json").string() + "\""), "keys are at most 256 bytes");
  WriteText(dir / "dup.json", R"({"serving": {"batch": 8}, "serving": {"batch": 16}})");
  ExpectOneLineExit2(Exec("eval \"" + (dir / "dup.json").string() + "\""), "dup.json: serving appears twice");
  WriteText(dir / "ctl.json", R"({"model": {"preset": "llama-3-8b", "name": "bad\u0008name"}})");
  ExpectOneLineExit2(Exec("eval \"" + (dir / "ctl.json").string() + "\""),
                     "model.name = \"bad\\bname\" contains the control character \\u0008");
  {
    std::ofstream big(dir / "big.json", std::ios::binary);
    big << "{\"title\": \"" << std::string(17 * 1024 * 1024, 'x') << "\"}";
  }
  ExpectOneLineExit2(Exec("eval \"" + (dir / "big.json").string() + "\""), "JSON input is limited to 16 MiB");
  WriteText(dir / "schema.json", R"({"$schema": "https://example.org/scenario.schema.json", "serving": {"batch": 8}})");
  EXPECT_EQ(Exec("eval \"" + (dir / "schema.json").string() + "\"").status, 0);
}

TEST(HostileInput, OutputPathsAreUserMistakes) {
  const fs::path dir = OutDir("hostile-out");
  ExpectOneLineExit2(Exec("render batch --out \"" + (dir / "no-such" / "b.svg").string() + "\""),
                     "--out = " + (dir / "no-such" / "b.svg").string() + ": the folder " + (dir / "no-such").string() +
                         " does not exist");
  fs::create_directories(dir / "adir.svg");
  ExpectOneLineExit2(Exec("render batch --out \"" + (dir / "adir.svg").string() + "\""), "is a directory");
  ExpectOneLineExit2(Exec("render batch --out \"" + (dir / "b.png").string() + "\" --size 8192x8192 --scale 4"),
                     "is 32768 x 32768 pixels; the limit is 16384 pixels a side");
  ExpectOneLineExit2(Exec("render batch --out \"" + (dir / "b.png").string() + "\" --size 8000x8000 --scale 2"),
                     "67108864 (64 Mpx) in all");
  if (geteuid() != 0) {
    fs::create_directories(dir / "ro");
    fs::permissions(dir / "ro", fs::perms::owner_read | fs::perms::owner_exec);
    ExpectOneLineExit2(Exec("render batch --out \"" + (dir / "ro" / "b.svg").string() + "\""), "is not writable");
    fs::permissions(dir / "ro", fs::perms::owner_all);
  }
  // A symlinked output keeps its link.
  fs::remove(dir / "link.svg");
  WriteText(dir / "real.svg", "old");
  fs::create_symlink("real.svg", dir / "link.svg");
  ASSERT_EQ(Exec("render batch --out \"" + (dir / "link.svg").string() + "\"").status, 0);
  EXPECT_TRUE(fs::is_symlink(dir / "link.svg"));
  EXPECT_GT(fs::file_size(dir / "real.svg"), 1000u);
  // Standard output is checked too.
  if (fs::exists("/dev/full")) {
    const RunResult r = Exec("eval >/dev/full");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("cannot write the report to standard output"), std::string::npos) << r.err;
  }
}

// --with-scenario writes the board and the scenario it was drawn from, or neither: a scenario path
// that cannot be written is refused before the board is drawn; the scenario written reads back to
// the same report as the command line that drew the board.
TEST(HostileInput, WithScenarioWritesBothOrNeither) {
  const fs::path dir = OutDir("hostile-with-scenario");
  fs::remove_all(dir / "blocked.svg");
  fs::remove_all(dir / "blocked.svg.scenario.json");
  fs::create_directories(dir / "blocked.svg.scenario.json");  // a folder where the scenario would go
  ExpectOneLineExit2(Exec("render batch --with-scenario --out \"" + (dir / "blocked.svg").string() + "\""),
                     "--with-scenario: " + (dir / "blocked.svg").string() + ".scenario.json: ");
  EXPECT_FALSE(fs::exists(dir / "blocked.svg")) << "the board was written although its scenario could not be";

  const std::string sets = "--set serving.batch=96 --set model=llama-3-70b";
  const fs::path svg = dir / "kept.svg";
  ASSERT_EQ(Exec("render batch --with-scenario " + sets + " --out \"" + svg.string() + "\"").status, 0);
  const fs::path written = dir / "kept.svg.scenario.json";
  ASSERT_TRUE(fs::is_regular_file(written));
  const RunResult from_file = Exec("eval --json \"" + written.string() + "\"");
  const RunResult from_sets = Exec("eval --json " + sets);
  ASSERT_EQ(from_file.status, 0) << from_file.err;
  ASSERT_EQ(from_sets.status, 0) << from_sets.err;
  EXPECT_EQ(from_file.out, from_sets.out) << "the scenario written beside the board is not the one drawn";
}

TEST(HostileInput, GuiArgumentsAreCheckedBeforeTheWindowOpens) {
  ExpectOneLineExit2(Exec("--frames abc"), "--frames = abc must be a whole number from 1 to 1000000");
  ExpectOneLineExit2(Exec("--frames -3"), "--frames = -3");
  ExpectOneLineExit2(Exec("--frames"), "--frames needs a value");
  const fs::path dir = OutDir("hostile-out");
  ExpectOneLineExit2(Exec("--frames 2 --screenshot \"" + (dir / "nope" / "s.png").string() + "\""),
                     "--screenshot = " + (dir / "nope" / "s.png").string() + ": the folder");
}

TEST(HostileInput, LectureMistakesNameTheLectureAndStep) {
  const fs::path dir = OutDir("hostile-lecture");
  WriteText(dir / "talk.json", R"({"steps": [{"board": "batch"}, {"board": "batch", "scenario": "gone.json"}]})");
  ExpectOneLineExit2(
      Exec("render step \"" + (dir / "talk.json").string() + "\" --out \"" + (dir / "a.svg").string() + "\""),
      (dir / "talk.json").string() +
          ": steps[1].scenario = \"gone.json\" names a scenario "
          "file that cannot be read");
  WriteText(
      dir / "colour.json",
      R"({"steps": [{"board": "batch", "annotations": [{"kind": "text", "at": [5, 5], "text": "hi", "color": "mauve"}]}]})");
  ExpectOneLineExit2(
      Exec("render step \"" + (dir / "colour.json").string() + "\" --out \"" + (dir / "a.svg").string() + "\""),
      "steps[0].annotations[0].color = \"mauve\" must be a theme colour name");
  WriteText(dir / "radius.json",
            R"({"steps": [{"board": "batch", "annotations": [{"kind": "circle", "at": [5, 5], "radius": 0.2}]}]})");
  ExpectOneLineExit2(
      Exec("render step \"" + (dir / "radius.json").string() + "\" --out \"" + (dir / "a.svg").string() + "\""),
      "radius = 0.2 must be a number from 1 to 900");
}

}  // namespace
