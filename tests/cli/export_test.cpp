// Export formats from the command line: animated GIF (frame count and size, the file decodes), PNG
// sequences, A/B comparison, the print theme's colours in SVG, lecture steps with annotations.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/wait.h>

namespace {

namespace fs = std::filesystem;

int RunExe(const std::string& args) {
  const std::string cmd = std::string("\"") + BLACKBOARD_EXE + "\" " + args + " 2>/dev/null >/dev/null";
  const int st = std::system(cmd.c_str());
  return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Walks the GIF block structure (GIF89a spec §17-§27): counts image descriptors and checks that every
// block is well formed up to the trailer.
struct GifInfo {
  bool ok = false;
  int width = 0, height = 0, frames = 0;
};

GifInfo ParseGif(const std::string& d) {
  GifInfo g;
  if (d.size() < 13 || d.compare(0, 6, "GIF89a") != 0) return g;
  auto u8 = [&](size_t i) { return static_cast<unsigned>(static_cast<unsigned char>(d[i])); };
  g.width = static_cast<int>(u8(6) | (u8(7) << 8));
  g.height = static_cast<int>(u8(8) | (u8(9) << 8));
  size_t p = 13;
  if (u8(10) & 0x80) p += 3u * (1u << ((u8(10) & 7) + 1));
  auto skip_sub_blocks = [&]() {
    while (p < d.size() && u8(p) != 0) p += 1 + u8(p);
    ++p;
  };
  while (p < d.size()) {
    const unsigned b = u8(p++);
    if (b == 0x3B) {
      g.ok = true;
      return g;
    }
    if (b == 0x21) {
      ++p;  // label
      skip_sub_blocks();
    } else if (b == 0x2C) {
      if (p + 9 > d.size()) return g;
      const unsigned flags = u8(p + 8);
      p += 9;
      if (flags & 0x80) p += 3u * (1u << ((flags & 7) + 1));
      ++p;  // LZW minimum code size
      skip_sub_blocks();
      ++g.frames;
    } else {
      return g;
    }
  }
  return g;
}

fs::path Out() {
  const fs::path dir = fs::path(BLACKBOARD_TEST_OUT) / "export";
  fs::create_directories(dir);
  return dir;
}

TEST(Export, AnimatedGifHasTheAskedFramesAndSize) {
  const fs::path gif = Out() / "anim.gif";
  ASSERT_EQ(RunExe("render collectives --out \"" + gif.string() + "\" --duration 0.4 --fps 10 --size 800x450"), 0);
  const GifInfo g = ParseGif(Slurp(gif));
  EXPECT_TRUE(g.ok) << "GIF does not decode to its trailer";
  EXPECT_EQ(g.frames, 4);
  EXPECT_EQ(g.width, 800);
  EXPECT_EQ(g.height, 450);
}

TEST(Export, NumberedPngSequence) {
  const fs::path dir = Out() / "seq";
  fs::remove_all(dir);
  fs::create_directories(dir);
  ASSERT_EQ(RunExe("render serving-queue --out \"" + (dir / "f%03d.png").string() + "\" --duration 0.3 --fps 10 --scale 0.25"), 0);
  EXPECT_TRUE(fs::exists(dir / "f000.png"));
  EXPECT_TRUE(fs::exists(dir / "f002.png"));
  EXPECT_FALSE(fs::exists(dir / "f003.png"));
  EXPECT_EQ(RunExe("render batch --out \"" + (dir / "f%s.png").string() + "\""), 2);  // not a frame number
}

TEST(Export, CompareShowsBothScenariosAndTheirDifferences) {
  const fs::path svg = Out() / "ab.svg";
  const std::string b = std::string(BLACKBOARD_TEST_DIR) + "/../assets/scenarios/llama-70b-v5e-int8.json";
  ASSERT_EQ(RunExe("render batch --compare \"" + b + "\" --out \"" + svg.string() + "\""), 0);
  const std::string s = Slurp(svg);
  EXPECT_NE(s.find("width=\"3200\""), std::string::npos);
  EXPECT_NE(s.find("hardware: h100-sxm -&gt; tpu-v5e"), std::string::npos);
  EXPECT_NE(s.find("class=\"ab-changed\""), std::string::npos);
}

TEST(Export, PrintSvgCarriesThePrintThemeColours) {
  const fs::path svg = Out() / "print.svg";
  ASSERT_EQ(RunExe("render batch --theme print --out \"" + svg.string() + "\""), 0);
  const std::string s = Slurp(svg);
  EXPECT_NE(s.find("fill=\"#ffffff\""), std::string::npos);   // assets/themes/print.json background
  EXPECT_NE(s.find("stroke=\"#1a6aa0\""), std::string::npos); // print.json compute colour (5.8:1 on white)
  EXPECT_EQ(s.find("#232b2a"), std::string::npos);            // no blackboard slate
}

TEST(Export, LectureStepWithAnnotations) {
  const fs::path svg = Out() / "step1.svg";
  const std::string lec = std::string(BLACKBOARD_TEST_DIR) + "/../assets/lectures/default.json";
  ASSERT_EQ(RunExe("render step \"" + lec + "\" --step 1 --out \"" + svg.string() + "\""), 0);
  EXPECT_NE(Slurp(svg).find("class=\"chalk\""), std::string::npos);
  EXPECT_EQ(RunExe("render step \"" + lec + "\" --step 99 --out \"" + svg.string() + "\""), 2);
}

}  // namespace
