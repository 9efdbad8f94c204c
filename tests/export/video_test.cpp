// Video export from the command line (render --out clip.mp4 | clip.webm), checked by decoding the files
// with the same FFmpeg libraries: codec, container, frame count, size, duration, and that the frames
// follow the board's timeline (the first differs from the last) and the morph over the clip.
#include <gtest/gtest.h>

#include <filesystem>

#include "export/animation.hpp"
#include "run_exe.hpp"

namespace {

namespace fs = std::filesystem;
using blackboard::DecodeVideo;
using blackboard::VideoInfo;
using blackboard_test::Exec;

fs::path Out() { return blackboard_test::OutDir("video"); }

VideoInfo Decode(const fs::path& p) {
  VideoInfo v;
  std::string error;
  EXPECT_TRUE(DecodeVideo(p.string(), &v, &error)) << error;
  return v;
}

double MeanDelta(const blackboard::Image& a, const blackboard::Image& b) {
  blackboard::ImageDiff d;
  EXPECT_TRUE(blackboard::CompareImages(a, b, &d)) << "sizes differ";
  return d.mean_delta;
}

struct Case {
  const char* ext;
  const char* codec;
  const char* container;  // a substring of FFmpeg's demuxer name
};

class VideoFormat : public ::testing::TestWithParam<Case> {};

TEST_P(VideoFormat, DecodesToTheAskedFramesSizeAndDuration) {
  const Case c = GetParam();
  const fs::path clip = Out() / (std::string("pipeline.") + c.ext);
  fs::remove(clip);
  const auto r =
      Exec("render pipeline-training --out \"" + clip.string() + "\" --duration 1.2 --fps 10 --size 640x360");
  ASSERT_EQ(r.status, 0) << r.err;
  const VideoInfo v = Decode(clip);
  EXPECT_EQ(v.codec, c.codec);
  EXPECT_NE(v.container.find(c.container), std::string::npos) << v.container;
  EXPECT_EQ(v.width, 640);
  EXPECT_EQ(v.height, 360);
  EXPECT_EQ(v.frames, 12);
  EXPECT_NEAR(v.duration_s, 1.2, 0.1 + 1e-9);
  // The board animates: the schedule fills in over the clip.
  EXPECT_GT(MeanDelta(v.first, v.last), 0.5);
  EXPECT_FALSE(fs::exists(clip.string() + ".tmp")) << "temporary file left behind";
}

TEST_P(VideoFormat, OddSizesAreCroppedToEvenForYuv420) {
  const Case c = GetParam();
  const fs::path clip = Out() / (std::string("odd.") + c.ext);
  const auto r = Exec("render collectives --out \"" + clip.string() + "\" --duration 0.2 --fps 10 --size 641x361");
  ASSERT_EQ(r.status, 0) << r.err;
  const VideoInfo v = Decode(clip);
  EXPECT_EQ(v.width, 640);
  EXPECT_EQ(v.height, 360);
  EXPECT_EQ(v.frames, 2);
}

INSTANTIATE_TEST_SUITE_P(Formats, VideoFormat,
                         ::testing::Values(Case{"mp4", "h264", "mp4"}, Case{"webm", "vp9", "webm"}),
                         [](const auto& param_info) { return std::string(param_info.param.ext); });

// Without --morph T, --morph-from-set runs the morph from 0 (first frame) to 1 (last frame).
TEST(Video, MorphRunsOverTheClip) {
  const fs::path dir = Out();
  const std::string sets = "--set training.schedule=zb-h1 --morph-from-set training.schedule=1f1b --size 640x360";
  const auto r = Exec("render pipeline-training " + sets + " --out \"" + (dir / "morph.mp4").string() +
                      "\" --duration 1 --fps 5 --time 100");
  ASSERT_EQ(r.status, 0) << r.err;
  const VideoInfo v = Decode(dir / "morph.mp4");
  ASSERT_EQ(v.frames, 5);
  // The same moments as stills: morph 0 at the first frame's time, morph 1 at the last frame's.
  const auto still = [&](const char* moment, const fs::path& png) {
    return Exec("render pipeline-training " + sets + " " + moment + " --out \"" + png.string() + "\"").status;
  };
  ASSERT_EQ(still("--morph 0 --time 100", dir / "m0.png"), 0);
  ASSERT_EQ(still("--morph 1 --time 100.8", dir / "m1.png"), 0);
  blackboard::Image m0, m1;
  ASSERT_TRUE(blackboard::ReadPng((dir / "m0.png").string(), &m0));
  ASSERT_TRUE(blackboard::ReadPng((dir / "m1.png").string(), &m1));
  EXPECT_GT(MeanDelta(m0, m1), 1.0) << "the two schedules should look different";
  // Lossy, so compare distances: each end of the clip is nearer its own still than the other's.
  EXPECT_LT(MeanDelta(v.first, m0), MeanDelta(v.first, m1));
  EXPECT_LT(MeanDelta(v.last, m1), MeanDelta(v.last, m0));
}

TEST(Video, BadRequestsExitTwo) {
  const fs::path dir = Out();
  // A numbered sequence is for PNG frames only.
  EXPECT_EQ(Exec("render batch --out \"" + (dir / "f%04d.mp4").string() + "\"").status, 2);
  // --morph-from-set on a still without --morph T.
  const auto r = Exec("render pipeline-training --morph-from-set training.schedule=1f1b --out \"" +
                      (dir / "still.png").string() + "\"");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("--morph T"), std::string::npos) << r.err;
}

}  // namespace
