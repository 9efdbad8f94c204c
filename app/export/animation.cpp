// Animated exports, streamed. Index: GIF (giflib) | MP4 / WebM (FFmpeg: libx264, libvpx-vp9) |
// DecodeVideo (tests) | OpenAnimationWriter.
#include "export/animation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <vector>

#if BLACKBOARD_HAVE_GIF
#include <fcntl.h>
#include <gif_lib.h>
#include <unistd.h>
#endif

#if BLACKBOARD_HAVE_FFMPEG
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}
#endif

namespace blackboard {

namespace {

// A temporary file beside the output, renamed into place by Commit and removed otherwise.
class TempFile {
 public:
  explicit TempFile(std::string path) : path_(std::move(path)), tmp_(path_ + ".tmp") {}
  ~TempFile() {
    if (!committed_) std::remove(tmp_.c_str());
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& tmp() const { return tmp_; }
  void Commit() {
    if (std::rename(tmp_.c_str(), path_.c_str()) != 0)
      throw std::runtime_error("cannot rename " + tmp_ + " to " + path_);
    committed_ = true;
  }

 private:
  std::string path_, tmp_;
  bool committed_ = false;
};

#if BLACKBOARD_HAVE_GIF
// One frame at a time: each frame gets its own 256-colour palette (giflib's quantiser) and is
// written at once, so only one frame is held.
class GifWriter : public AnimationWriter {
 public:
  GifWriter(const std::string& path, int width, int height, double fps)
      : file_(path), width_(width), height_(height), delay_cs_(std::max(2, static_cast<int>(std::lround(100 / fps)))) {
    int err = 0;
    // Opened here (not EGifOpenFileName, which creates files 0600) so the GIF gets the usual 0666 & ~umask.
    const int fd = ::open(file_.tmp().c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
    if (fd < 0) throw std::runtime_error("GIF: cannot write " + file_.tmp());
    gif_ = EGifOpenFileHandle(fd, &err);
    if (!gif_) {
      ::close(fd);
      throw std::runtime_error("GIF: cannot write " + file_.tmp() + ": " + GifErrorString(err));
    }
    EGifSetGifVersion(gif_, true);
    bool ok = EGifPutScreenDesc(gif_, width, height, 8, 0, nullptr) != GIF_ERROR;
    // Loop forever (NETSCAPE2.0 application extension).
    unsigned char loop_ext[] = {'N', 'E', 'T', 'S', 'C', 'A', 'P', 'E', '2', '.', '0'};
    unsigned char loop_data[] = {1, 0, 0};
    ok = ok && EGifPutExtensionLeader(gif_, APPLICATION_EXT_FUNC_CODE) != GIF_ERROR &&
         EGifPutExtensionBlock(gif_, sizeof loop_ext, loop_ext) != GIF_ERROR &&
         EGifPutExtensionBlock(gif_, sizeof loop_data, loop_data) != GIF_ERROR &&
         EGifPutExtensionTrailer(gif_) != GIF_ERROR;
    if (!ok) Fail();
    const size_t n = static_cast<size_t>(width) * static_cast<size_t>(height);
    r_.resize(n), g_.resize(n), b_.resize(n), out_.resize(n);
  }
  ~GifWriter() override {
    if (gif_) EGifCloseFile(gif_, nullptr);
  }

  void AddFrame(const Image& f) override {
    if (f.width != width_ || f.height != height_) throw std::runtime_error("GIF: frames differ in size");
    for (size_t i = 0; i < r_.size(); ++i) r_[i] = f.rgba[i * 4], g_[i] = f.rgba[i * 4 + 1], b_[i] = f.rgba[i * 4 + 2];
    int colors = 256;
    ColorMapObject* map = GifMakeMapObject(colors, nullptr);
    bool ok = GifQuantizeBuffer(static_cast<unsigned>(width_), static_cast<unsigned>(height_), &colors, r_.data(),
                                g_.data(), b_.data(), out_.data(), map->Colors) != GIF_ERROR;
    GraphicsControlBlock gcb{};
    gcb.DelayTime = delay_cs_;
    gcb.TransparentColor = NO_TRANSPARENT_COLOR;
    GifByteType ext[4];
    const size_t n = EGifGCBToExtension(&gcb, ext);
    ok = ok && EGifPutExtension(gif_, GRAPHICS_EXT_FUNC_CODE, static_cast<int>(n), ext) != GIF_ERROR;
    ok = ok && EGifPutImageDesc(gif_, 0, 0, width_, height_, false, map) != GIF_ERROR;
    for (int y = 0; ok && y < height_; ++y)
      ok = EGifPutLine(gif_, out_.data() + static_cast<size_t>(y) * static_cast<size_t>(width_), width_) != GIF_ERROR;
    GifFreeMapObject(map);
    if (!ok) Fail();
  }

  void Finish() override {
    int err = 0;
    const int rc = EGifCloseFile(gif_, &err);
    gif_ = nullptr;
    if (rc == GIF_ERROR) throw std::runtime_error(std::string("GIF: cannot finish: ") + GifErrorString(err));
    file_.Commit();
  }

 private:
  [[noreturn]] void Fail() { throw std::runtime_error("GIF: cannot write " + file_.tmp()); }

  TempFile file_;
  GifFileType* gif_ = nullptr;
  int width_, height_, delay_cs_;
  std::vector<GifByteType> r_, g_, b_, out_;
};
#endif

#if BLACKBOARD_HAVE_FFMPEG
std::string AvError(int err) {
  char buf[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(err, buf, sizeof buf);
  return buf;
}

// The encoder for a container: H.264 (libx264) in MP4, VP9 (libvpx) in WebM.
const char* EncoderName(const std::string& ext) { return ext == "mp4" ? "libx264" : "libvpx-vp9"; }

// Encodes RGBA frames as they come: swscale to YUV 4:2:0, send to the encoder, write its packets.
class VideoWriter : public AnimationWriter {
 public:
  VideoWriter(const std::string& path, const std::string& ext, int width, int height, double fps)
      : file_(path), width_(width & ~1), height_(height & ~1), src_width_(width), src_height_(height) {
    av_log_set_level(AV_LOG_ERROR);  // the encoders' statistics are not for the command line
    if (width_ < 2 || height_ < 2) throw std::runtime_error("video: frame too small");
    Check(avformat_alloc_output_context2(&format_, nullptr, ext == "mp4" ? "mp4" : "webm", file_.tmp().c_str()),
          "cannot create the container");
    const AVCodec* codec = avcodec_find_encoder_by_name(EncoderName(ext));
    if (!codec) throw std::runtime_error(std::string("video: this FFmpeg has no ") + EncoderName(ext) + " encoder");
    stream_ = avformat_new_stream(format_, nullptr);
    codec_ = avcodec_alloc_context3(codec);
    if (!stream_ || !codec_) throw std::runtime_error("video: out of memory");
    codec_->width = width_;
    codec_->height = height_;
    codec_->pix_fmt = AV_PIX_FMT_YUV420P;  // what browsers and slide software play
    codec_->time_base = av_inv_q(av_d2q(fps, 100000));
    codec_->framerate = av_d2q(fps, 100000);
    codec_->gop_size = std::max(1, static_cast<int>(std::lround(fps * 2)));  // a key frame every 2 s: seeking
    codec_->color_range = AVCOL_RANGE_MPEG;
    codec_->colorspace = AVCOL_SPC_BT709;
    codec_->color_primaries = AVCOL_PRI_BT709;
    codec_->color_trc = AVCOL_TRC_BT709;
    // One encoder thread: x264's default (1.5 per core, each with its own frames in flight) costs
    // ~100 MB more at 1080p for little gain on a machine whose cores also rasterise the frames.
    codec_->thread_count = 1;
    if (format_->oformat->flags & AVFMT_GLOBALHEADER) codec_->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    AVDictionary* opts = nullptr;
    if (ext == "mp4") {
      // Flat colours and text: the animation tuning, a fast preset (a 10 s 1080p clip in seconds).
      av_dict_set(&opts, "preset", "veryfast", 0);
      av_dict_set(&opts, "tune", "animation", 0);
      av_dict_set(&opts, "crf", "20", 0);
      // Fewer frames in flight (each 1080p frame costs x264 ~8 MB with its look-ahead planes).
      av_dict_set(&opts, "rc-lookahead", "5", 0);
      codec_->max_b_frames = 2;
    } else {
      // VP9 in constant quality; realtime speed 8 with row threading keeps 1080p near real time.
      av_dict_set(&opts, "crf", "32", 0);
      av_dict_set(&opts, "b", "0", 0);
      av_dict_set(&opts, "deadline", "realtime", 0);
      av_dict_set(&opts, "cpu-used", "8", 0);
      av_dict_set(&opts, "row-mt", "1", 0);
      // No look-ahead (libvpx holds 25 frames by default: ~150 MB at 1080p).
      av_dict_set(&opts, "lag-in-frames", "0", 0);
    }
    const int rc = avcodec_open2(codec_, codec, &opts);
    av_dict_free(&opts);
    Check(rc, "cannot open the encoder");
    Check(avcodec_parameters_from_context(stream_->codecpar, codec_), "codec parameters");
    stream_->time_base = codec_->time_base;
    stream_->avg_frame_rate = codec_->framerate;
    Check(avio_open(&format_->pb, file_.tmp().c_str(), AVIO_FLAG_WRITE), "cannot write " + file_.tmp());
    AVDictionary* mux = nullptr;
    if (ext == "mp4") av_dict_set(&mux, "movflags", "+faststart", 0);  // playable while downloading
    const int hr = avformat_write_header(format_, &mux);
    av_dict_free(&mux);
    Check(hr, "cannot write the header");
    frame_ = av_frame_alloc();
    packet_ = av_packet_alloc();
    if (!frame_ || !packet_) throw std::runtime_error("video: out of memory");
    frame_->format = AV_PIX_FMT_YUV420P;
    frame_->width = width_;
    frame_->height = height_;
    Check(av_frame_get_buffer(frame_, 0), "frame buffer");
    // Crop odd sizes by one pixel (no scaling): source and destination are the same even size.
    sws_ = sws_getContext(width_, height_, AV_PIX_FMT_RGBA, width_, height_, AV_PIX_FMT_YUV420P, SWS_BILINEAR,
                          nullptr, nullptr, nullptr);
    if (!sws_) throw std::runtime_error("video: no RGBA -> YUV conversion");
    const int* bt709 = sws_getCoefficients(SWS_CS_ITU709);
    sws_setColorspaceDetails(sws_, bt709, 1, bt709, 0, 0, 1 << 16, 1 << 16);
  }

  ~VideoWriter() override {
    sws_freeContext(sws_);
    av_frame_free(&frame_);
    av_packet_free(&packet_);
    avcodec_free_context(&codec_);
    if (format_ && format_->pb) avio_closep(&format_->pb);
    avformat_free_context(format_);
  }

  void AddFrame(const Image& f) override {
    if (f.width != src_width_ || f.height != src_height_) throw std::runtime_error("video: frames differ in size");
    Check(av_frame_make_writable(frame_), "frame buffer");
    const uint8_t* src[1] = {f.rgba.data()};
    const int stride[1] = {f.width * 4};
    sws_scale(sws_, src, stride, 0, height_, frame_->data, frame_->linesize);
    frame_->pts = next_pts_++;
    Check(avcodec_send_frame(codec_, frame_), "cannot encode a frame");
    Drain();
  }

  void Finish() override {
    Check(avcodec_send_frame(codec_, nullptr), "cannot flush the encoder");
    Drain();
    Check(av_write_trailer(format_), "cannot write the trailer");
    Check(avio_closep(&format_->pb), "cannot close " + file_.tmp());
    file_.Commit();
  }

 private:
  void Check(int rc, const std::string& what) {
    if (rc < 0) throw std::runtime_error("video: " + what + ": " + AvError(rc));
  }

  void Drain() {
    for (;;) {
      const int rc = avcodec_receive_packet(codec_, packet_);
      if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF) return;
      Check(rc, "encoder");
      if (packet_->duration == 0) packet_->duration = 1;  // one frame, in the codec's time base
      av_packet_rescale_ts(packet_, codec_->time_base, stream_->time_base);
      packet_->stream_index = stream_->index;
      Check(av_interleaved_write_frame(format_, packet_), "cannot write a frame");
    }
  }

  TempFile file_;
  int width_, height_, src_width_, src_height_;
  AVFormatContext* format_ = nullptr;
  AVStream* stream_ = nullptr;
  AVCodecContext* codec_ = nullptr;
  AVFrame* frame_ = nullptr;
  AVPacket* packet_ = nullptr;
  SwsContext* sws_ = nullptr;
  int64_t next_pts_ = 0;
};
#endif

}  // namespace

bool IsAnimationExtension(const std::string& ext) { return ext == "gif" || ext == "mp4" || ext == "webm"; }

bool AnimationExportAvailable(const std::string& ext, std::string* why) {
  if (ext == "gif") {
#if BLACKBOARD_HAVE_GIF
    return true;
#else
    *why = "GIF export needs giflib (libgif-dev); rebuild after ./blackboard.sh installs it";
    return false;
#endif
  }
#if BLACKBOARD_HAVE_FFMPEG
  if (avcodec_find_encoder_by_name(EncoderName(ext))) return true;
  *why = std::string("this FFmpeg has no ") + EncoderName(ext) + " encoder (Debian's libavcodec59 has it)";
  return false;
#else
  *why = "video export needs FFmpeg's libraries (libavcodec-dev, libavformat-dev, libswscale-dev); rebuild after "
         "./blackboard.sh installs them";
  return false;
#endif
}

std::unique_ptr<AnimationWriter> OpenAnimationWriter(const std::string& path, const std::string& ext, int width,
                                                     int height, double fps) {
  std::string why;
  if (!IsAnimationExtension(ext)) throw std::runtime_error("not an animation format: " + ext);
  if (!AnimationExportAvailable(ext, &why)) throw std::runtime_error(why);
#if BLACKBOARD_HAVE_GIF
  if (ext == "gif") return std::make_unique<GifWriter>(path, width, height, fps);
#endif
#if BLACKBOARD_HAVE_FFMPEG
  if (ext != "gif") return std::make_unique<VideoWriter>(path, ext, width, height, fps);
#endif
  (void)path, (void)width, (void)height, (void)fps;
  throw std::runtime_error(why);
}

bool DecodeVideo(const std::string& path, VideoInfo* out, std::string* error) {
#if BLACKBOARD_HAVE_FFMPEG
  AVFormatContext* format = nullptr;
  int rc = avformat_open_input(&format, path.c_str(), nullptr, nullptr);
  if (rc < 0) {
    *error = path + ": " + AvError(rc);
    return false;
  }
  struct Cleanup {
    AVFormatContext** format;
    AVCodecContext* codec = nullptr;
    AVFrame* frame = av_frame_alloc();
    AVFrame* rgba = av_frame_alloc();
    AVPacket* packet = av_packet_alloc();
    SwsContext* sws = nullptr;
    ~Cleanup() {
      sws_freeContext(sws);
      av_packet_free(&packet);
      av_frame_free(&rgba);
      av_frame_free(&frame);
      avcodec_free_context(&codec);
      avformat_close_input(format);
    }
  } c{&format};
  if ((rc = avformat_find_stream_info(format, nullptr)) < 0) {
    *error = path + ": " + AvError(rc);
    return false;
  }
  const int index = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (index < 0) {
    *error = path + ": no video stream";
    return false;
  }
  const AVStream* stream = format->streams[index];
  const AVCodec* decoder = avcodec_find_decoder(stream->codecpar->codec_id);
  if (!decoder) {
    *error = path + ": no decoder";
    return false;
  }
  c.codec = avcodec_alloc_context3(decoder);
  avcodec_parameters_to_context(c.codec, stream->codecpar);
  if ((rc = avcodec_open2(c.codec, decoder, nullptr)) < 0) {
    *error = path + ": " + AvError(rc);
    return false;
  }
  out->codec = avcodec_get_name(stream->codecpar->codec_id);
  out->container = format->iformat->name;
  out->width = stream->codecpar->width;
  out->height = stream->codecpar->height;
  out->frames = 0;
  out->duration_s = format->duration > 0 ? static_cast<double>(format->duration) / AV_TIME_BASE : 0;
  auto keep = [&](const AVFrame* f, Image* img) {
    c.sws = sws_getCachedContext(c.sws, f->width, f->height, static_cast<AVPixelFormat>(f->format), f->width,
                                 f->height, AV_PIX_FMT_RGBA, SWS_BILINEAR, nullptr, nullptr, nullptr);
    img->width = f->width;
    img->height = f->height;
    img->rgba.assign(static_cast<size_t>(f->width) * static_cast<size_t>(f->height) * 4, 0);
    uint8_t* dst[1] = {img->rgba.data()};
    const int stride[1] = {f->width * 4};
    sws_scale(c.sws, f->data, f->linesize, 0, f->height, dst, stride);
  };
  auto receive = [&]() {
    while (avcodec_receive_frame(c.codec, c.frame) == 0) {
      if (out->frames == 0) keep(c.frame, &out->first);
      ++out->frames;
      av_frame_unref(c.rgba);
      std::swap(c.rgba, c.frame);  // the latest frame, converted once at the end
    }
  };
  while (av_read_frame(format, c.packet) >= 0) {
    if (c.packet->stream_index == index && avcodec_send_packet(c.codec, c.packet) >= 0) receive();
    av_packet_unref(c.packet);
  }
  avcodec_send_packet(c.codec, nullptr);
  receive();
  if (out->frames > 0) keep(c.rgba, &out->last);
  return true;
#else
  (void)path, (void)out;
  *error = "built without FFmpeg";
  return false;
#endif
}

}  // namespace blackboard
