// The GUI session file under hostile input (issue 17): an unusable file is
// moved aside with a reason that names the field (never "--theme"), and a
// lecture that cannot be saved in place goes to the user's data folder.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "ui/session.hpp"
#include "../test_files.hpp"

namespace blackboard {
namespace {

namespace fs = std::filesystem;

fs::path Fresh(const std::string& name) { return test::FreshTestDir("session_test", name); }
using test::WriteText;

const std::vector<std::string> kThemes = {"blackboard", "print", "screen"};

// Loads `text` as a session file: the reason it was refused ("" when it loaded)
// and whether it was moved aside.
std::pair<std::string, bool> Refusal(const std::string& name, const std::string& text) {
  const fs::path dir = Fresh(name);
  const fs::path path = dir / "session.json";
  WriteText(path, text);
  std::string why;
  const auto s = LoadSession(path.string(), &why, kThemes);
  bool aside = false;
  for (const auto& e : fs::directory_iterator(dir))
    aside |= e.path().filename().string().rfind("session.json.bad-", 0) == 0;
  EXPECT_EQ(s.has_value(), why.empty()) << why;
  EXPECT_EQ(fs::exists(path), s.has_value()) << "a refused session stays in place";
  return {why, aside};
}

TEST(Session, UnusableFilesAreMovedAsideAndSayWhy) {
  const auto [theme, theme_aside] = Refusal("theme", R"({"scenario": {}, "board": "batch", "theme": "solarized"})");
  EXPECT_TRUE(theme_aside);
  EXPECT_NE(theme.find("theme = \"solarized\" is not a theme; known: "
                       "blackboard, print, screen"),
            std::string::npos)
      << theme;
  EXPECT_EQ(theme.find("--theme"), std::string::npos) << theme;
  EXPECT_NE(theme.find("moved aside to "), std::string::npos) << theme;
  EXPECT_TRUE(Refusal("empty-theme", R"({"scenario": {}, "board": "batch", "theme": ""})").second);
  const auto [deep, deep_aside] = Refusal("deep", "{\"scenario\": " + std::string(1000000, '[') + "}");
  EXPECT_TRUE(deep_aside);
  EXPECT_NE(deep.find("nests more than 64"), std::string::npos) << deep;
  EXPECT_TRUE(Refusal("syntax", "{\"scenario\": ").second);
  EXPECT_TRUE(Refusal("colour", R"({"scenario": {}, "board": "batch",
                                    "drawn": [[{"kind": "circle", "at": [1, 2], "color": "mauve"}]]})")
                  .second);
  const auto [ok, ok_aside] = Refusal("good", R"({"scenario": {"serving": {"batch": 8}}, "board": "batch",
                                                  "theme": "print", "drawn": [[{"kind": "stroke", "points": [[1, 2], [3, 4]]}]]})");
  EXPECT_EQ(ok, "");
  EXPECT_FALSE(ok_aside);
}

TEST(Session, SavedSessionLoadsBack) {
  Session s;
  s.scenario = DefaultScenario();
  s.board = "roofline";
  s.theme = "print";
  Annotation a;
  a.kind = "stroke";
  a.points = {{1, 2}, {3, 4}};
  s.drawn = {{a}, {}};
  const fs::path path = Fresh("round-trip") / "session.json";
  SaveSession(s, path.string());
  std::string why;
  const auto back = LoadSession(path.string(), &why, kThemes);
  ASSERT_TRUE(back.has_value()) << why;
  EXPECT_EQ(SessionToJson(*back), SessionToJson(s));
}

TEST(Session, FallbackLecturePathIsInTheDataFolder) {
  const fs::path data = Fresh("data");
  const char* old = std::getenv("XDG_DATA_HOME");
  const std::string saved = old ? old : "";
  ::setenv("XDG_DATA_HOME", data.c_str(), 1);
  const std::string first = FallbackLecturePath("/usr/share/blackboard/assets/lectures/default.json");
  EXPECT_EQ(first, (data / "blackboard" / "lectures" / "default.json").string());
  EXPECT_TRUE(fs::is_directory(data / "blackboard" / "lectures"));
  // Another lecture already there under the same name is not overwritten.
  WriteText(first, "{}");
  EXPECT_EQ(FallbackLecturePath("/elsewhere/default.json"),
            (data / "blackboard" / "lectures" / "default-2.json").string());
  // The same file saved there before is.
  EXPECT_EQ(FallbackLecturePath(first), first);
  if (old)
    ::setenv("XDG_DATA_HOME", saved.c_str(), 1);
  else
    ::unsetenv("XDG_DATA_HOME");
}

}  // namespace
}  // namespace blackboard
