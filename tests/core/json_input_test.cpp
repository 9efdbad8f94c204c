// The JSON input gate (json_input.hpp) and the output files (output_file.hpp)
// under hostile input: deep nesting, huge keys, control characters, duplicate
// keys, oversize text, symlinked outputs.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "blackboard/assets.hpp"
#include "blackboard/json_input.hpp"
#include "blackboard/lecture.hpp"
#include "blackboard/output_file.hpp"
#include "blackboard/scenario.hpp"
#include "../test_files.hpp"

namespace blackboard {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string GateError(const std::string& text) {
  try {
    (void)ParseJsonInput(text, "in.json");
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "(no error)";
}

fs::path TestDir(const std::string& name) { return test::FreshTestDir("json_input", name); }
using test::WriteText;

std::string ReadText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(JsonInput, AMillionNestedBracketsIsOneLineNotAStackOverflow) {
  const std::string deep(1000000, '[');
  const std::string e = GateError(deep + std::string(1000000, ']'));
  EXPECT_EQ(e.rfind("in.json: [0][0]", 0), 0u) << e;
  EXPECT_NE(e.find("nests more than 64 arrays/objects deep"), std::string::npos) << e;
  EXPECT_LT(e.size(), 300u);
  // Unclosed, and objects: the same answer before the syntax error is reached.
  EXPECT_NE(GateError(deep).find("nests more than 64"), std::string::npos);
  std::string objects;
  for (int i = 0; i < 100000; ++i) objects += "{\"a\":";
  EXPECT_NE(GateError(objects).find("a.a.a"), std::string::npos);
  // 64 levels are fine.
  EXPECT_EQ(GateError(std::string(64, '[') + std::string(64, ']')), "(no error)");
}

TEST(JsonInput, DuplicateKeysControlCharactersAndHugeKeysAreRejected) {
  EXPECT_EQ(GateError(R"({"serving": {"batch": 1, "batch": 2}})"),
            "in.json: serving.batch appears twice in one object (duplicate "
            "keys are not allowed)");
  EXPECT_EQ(GateError(R"({"title": "bell\u0007"})"),
            "in.json: title = \"bell\\u0007\" contains the control character "
            "\\u0007; text may hold no control "
            "characters other than tab and newline");
  EXPECT_NE(GateError(R"({"steps": [{"notes": "a\u001b[31m"}]})").find("steps[0].notes"), std::string::npos);
  EXPECT_EQ(GateError(R"({"title": "two\nlines\tand a tab"})"), "(no error)");
  const std::string key(10 * 1024 * 1024, 'k');
  const std::string e = GateError("{\"" + key + "\": 1}");
  EXPECT_NE(e.find("is a key of 10485760 bytes; keys are at most 256 bytes"), std::string::npos);
  EXPECT_LT(e.size(), 200u) << "the message must not repeat the key";
  EXPECT_NE(e.find("kkk..."), std::string::npos);
}

TEST(JsonInput, SizeLimitAndSyntaxErrors) {
  const std::string big = "\"" + std::string(kMaxJsonBytes, 'x') + "\"";
  EXPECT_NE(GateError(big).find("JSON input is limited to 16 MiB"), std::string::npos);
  EXPECT_NE(GateError("{\"a\": ").find("in.json: (syntax) is not valid JSON"), std::string::npos);
  EXPECT_NE(GateError("[1e400]").find("(syntax) is not valid JSON"), std::string::npos);
  // A file past the limit is refused before it is read.
  const fs::path dir = TestDir("size");
  {
    std::ofstream out(dir / "huge.json", std::ios::binary);
    out.seekp(static_cast<std::streamoff>(100) * 1024 * 1024);
    out << ' ';
  }
  try {
    (void)ReadJsonFile((dir / "huge.json").string());
    ADD_FAILURE() << "a 100 MB file was accepted";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("(file) is 104857601 bytes; JSON input is limited to 16 MiB"),
              std::string::npos)
        << e.what();
  }
}

std::string SetError(const std::string& assignment) {
  Scenario s = DefaultScenario();
  try {
    ApplySet(s, assignment, "--set");
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(JsonInput, SetValuesPassTheSameGate) {
  const std::string deep(130 * 1024, '[');
  EXPECT_NE(SetError("title=" + deep + std::string(130 * 1024, ']')).find("--set: title [0][0]"), std::string::npos);
  EXPECT_NE(SetError("title=" + deep).find("nests more than 64"), std::string::npos);
  EXPECT_NE(SetError("title=a\x07"
                     "b")
                .find("contains the control character \\u0007"),
            std::string::npos);
  EXPECT_NE(SetError("model.name=\"x\\u0001\"").find("control character"), std::string::npos);
  // A long unknown key: rejected at once, named abbreviated.
  const std::string e = SetError("efficiency." + std::string(100000, 'z') + "=1");
  EXPECT_NE(e.find("keys are at most 256 bytes"), std::string::npos);
  EXPECT_LT(e.size(), 300u);
  const std::string u = SetError(std::string(200, 'q') + "=1");
  EXPECT_NE(u.find("is not a scenario field (see SCENARIO.md)"), std::string::npos) << u;
  EXPECT_LT(u.size(), 250u);
  EXPECT_EQ(SetError("model=llama-3-8b"),
            "(no error)");  // bare words still work
  // Found by the --set fuzzer: a key or value with a newline never splits the message in two lines.
  for (const std::string& a : {std::string("compute\n\xff=1"), std::string("serving.batch=1\n2")}) {
    const std::string m = SetError(a);
    EXPECT_EQ(m.find('\n'), std::string::npos) << m;
    EXPECT_NE(m, "(no error)");
  }
  EXPECT_NE(GateError("{\"a\\nb\": 1}").find("a\\u000ab contains the control character \\u000a; keys may hold none"),
            std::string::npos)
      << GateError("{\"a\\nb\": 1}");
}

TEST(JsonInput, SchemaKeyIsDocumentation) {
  const Scenario s = ScenarioFromJson(json::parse(R"({"$schema": "../schema/scenario.json", "title": "t"})"), "a.json");
  EXPECT_EQ(s.title, "t");
  EXPECT_THROW(ScenarioFromJson(json::parse(R"({"$schema": 3})"), "a.json"), ScenarioError);
  const Lecture lec =
      LectureFromJson(json::parse(R"({"$schema": "x", "steps": [{"board": "batch"}]})"), "talk.json", {});
  EXPECT_EQ(lec.steps.size(), 1u);
}

std::string LectureError(const json& doc, const std::string& base_dir = ".") {
  try {
    LectureFromJson(doc, "talk.json", {}, base_dir);
  } catch (const ScenarioError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(JsonInput, LectureChalkColourRadiusPointsAndFileReferences) {
  EXPECT_EQ(
      LectureError(
          json::parse(
              R"({"steps": [{"board": "batch", "annotations": [{"kind": "circle", "at": [1, 2], "color": "pink"}]}]})"))
          .rfind("talk.json: steps[0].annotations[0].color = \"pink\" must be "
                 "a theme colour name: accent, ink",
                 0),
      0u);
  EXPECT_NE(
      LectureError(
          json::parse(
              R"({"steps": [{"board": "batch", "annotations": [{"kind": "circle", "at": [1, 2], "radius": 0.5}]}]})"))
          .find("radius = 0.5 must be a number from 1 to 900"),
      std::string::npos);
  // 2 million chalk points: refused past kMaxChalkPoints.
  json pts = json::array();
  for (int i = 0; i < 100000; ++i) pts.push_back({i % 1600, 100});
  json anns = json::array();
  for (int i = 0; i < 20; ++i) anns.push_back({{"kind", "stroke"}, {"points", pts}});
  EXPECT_NE(
      LectureError(json{{"steps", {{{"board", "batch"}, {"annotations", anns}}}}}).find("chalk points past 200000"),
      std::string::npos);
  // Scenario files: in the lecture's folder or the assets, and a missing one
  // names the step.
  const fs::path dir = TestDir("lecture");
  EXPECT_NE(LectureError(json::parse(R"({"steps": [{"board": "batch", "scenario": "../../../../../etc/passwd"}]})"),
                         dir.string())
                .find("talk.json: steps[0].scenario = \"../../../../../etc/passwd\" "
                      "must name a scenario file in the "
                      "lecture's folder or the assets folder"),
            std::string::npos);
  EXPECT_NE(LectureError(json::parse(R"({"steps": [{"board": "batch"}, {"board": "batch", "scenario": "gone.json"}]})"),
                         dir.string())
                .find("talk.json: steps[1].scenario = \"gone.json\" names a scenario "
                      "file that cannot be read"),
            std::string::npos);
  // Found by the lecture fuzzer: a name the file system refuses (too long) is an error, not a crash.
  EXPECT_NE(LectureError(json{{"steps", {{{"board", "batch"}, {"scenario", std::string(5000, '[')}}}}}, dir.string())
                .find("steps[0].scenario"),
            std::string::npos);
  WriteText(dir / "here.json", R"({"serving": {"batch": 7}})");
  const Lecture ok = LectureFromJson(json::parse(R"({"steps": [{"board": "batch", "scenario": "here.json"}]})"),
                                     "talk.json", {}, dir.string());
  EXPECT_EQ(ok.steps[0].scenario.serving.batch, 7);
}

TEST(OutputFile, ProblemsAreNamedAndSymlinksKeepTheirLink) {
  const fs::path dir = TestDir("out");
  EXPECT_EQ(OutputPathProblem((dir / "a.svg").string()), "");
  EXPECT_EQ(OutputPathProblem((dir / "missing" / "a.svg").string()),
            "the folder " + (dir / "missing").string() + " does not exist");
  EXPECT_EQ(OutputPathProblem(dir.string()), "is a directory");
  EXPECT_EQ(OutputPathProblem("/dev/null"), "is not a regular file");
  EXPECT_THROW(WriteFileAtomic((dir / "missing" / "a.svg").string(), "x"), OutputError);
  // A symlink (relative, through a second link) stays a link; its target gets
  // the bytes.
  WriteText(dir / "target.svg", "old");
  fs::create_symlink("target.svg", dir / "link1.svg");
  fs::create_symlink(dir / "link1.svg", dir / "link2.svg");
  WriteFileAtomic((dir / "link2.svg").string(), "new");
  EXPECT_TRUE(fs::is_symlink(dir / "link2.svg"));
  EXPECT_TRUE(fs::is_symlink(dir / "link1.svg"));
  EXPECT_EQ(ReadText(dir / "target.svg"), "new");
  // No temporary file is left behind.
  int files = 0;
  for (const auto& e : fs::directory_iterator(dir))
    files += e.path().string().find(".tmp.") == std::string::npos ? 0 : 1;
  EXPECT_EQ(files, 0);
  if (geteuid() != 0) {  // root writes through permissions: the read-only case
                         // is in the smoke test
    fs::create_directories(dir / "ro");
    fs::permissions(dir / "ro", fs::perms::owner_read | fs::perms::owner_exec);
    EXPECT_NE(OutputPathProblem((dir / "ro" / "a.svg").string()).find("is not writable"), std::string::npos);
    fs::permissions(dir / "ro", fs::perms::owner_all);
  }
}

}  // namespace
}  // namespace blackboard
