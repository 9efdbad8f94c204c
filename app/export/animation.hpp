// Animated exports written frame by frame, so memory stays flat in the clip's length:
// H.264 in MP4 and VP9 in WebM through FFmpeg's libraries (libavcodec, libavformat, libswscale), and
// the animated GIF (giflib). Files are written to a temporary name and renamed when finished.
//
// Use: `auto w = OpenAnimationWriter("clip.mp4", 1920, 1080, 30); for (...) w->AddFrame(img); w->Finish();`
// A writer destroyed before Finish() removes its temporary file.
#pragma once

#include <memory>
#include <string>

#include "export/image.hpp"

namespace blackboard {

class AnimationWriter {
 public:
  virtual ~AnimationWriter() = default;
  // Frames must all have the writer's width and height (RGBA, top row first).
  virtual void AddFrame(const Image& frame) = 0;
  // Flushes the encoder, writes the trailer and renames the file into place. Throws on failure.
  virtual void Finish() = 0;
};

// True for the extensions OpenAnimationWriter takes: gif, mp4, webm.
bool IsAnimationExtension(const std::string& ext);
// True when this build can encode `ext` (FFmpeg's libraries with an H.264 / VP9 encoder for mp4 /
// webm, giflib for gif); otherwise `why` says what is missing.
bool AnimationExportAvailable(const std::string& ext, std::string* why);
// A writer for `path` by its extension (gif, mp4, webm) at `fps` frames per second. Video sizes are
// cropped to even numbers of pixels (4:2:0 chroma). Throws std::runtime_error.
std::unique_ptr<AnimationWriter> OpenAnimationWriter(const std::string& path, const std::string& ext, int width,
                                                     int height, double fps);

// What a video file holds, by decoding every frame with the same libraries (for tests).
struct VideoInfo {
  std::string codec;      // "h264", "vp9"
  std::string container;  // FFmpeg's demuxer name ("mov,mp4,m4a,3gp,3g2,mj2", "matroska,webm")
  int width = 0, height = 0;
  int frames = 0;          // frames decoded
  double duration_s = 0;   // the container's duration
  Image first, last;       // the first and last decoded frames, as RGBA
};
// Decodes the video at `path`; false (with `error`) if it cannot be read or built without FFmpeg.
bool DecodeVideo(const std::string& path, VideoInfo* out, std::string* error);

}  // namespace blackboard
