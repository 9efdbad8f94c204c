// PNG via libstb (the implementation lives in libstb.so: no STB_*_IMPLEMENTATION here), GIF via giflib.
#include "image.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include <stb_image.h>
#include <stb_image_write.h>

#if BLACKBOARD_HAVE_GIF
#include <gif_lib.h>
#endif

#include "blackboard/assets.hpp"
#include "blackboard/scenario.hpp"

namespace blackboard {

namespace {
void AppendBytes(void* context, void* data, int size) {
  static_cast<std::string*>(context)->append(static_cast<const char*>(data), static_cast<size_t>(size));
}
}  // namespace

std::string EncodePng(const Image& img) {
  std::string out;
  if (!stbi_write_png_to_func(&AppendBytes, &out, img.width, img.height, 4, img.rgba.data(), img.width * 4))
    throw std::runtime_error("PNG encoding failed");
  return out;
}

void WritePng(const std::string& path, const Image& img) { WriteFileAtomic(path, EncodePng(img)); }

bool ReadPng(const std::string& path, Image* out) {
  std::string bytes;
  try {
    bytes = ReadTextFile(path);
  } catch (const std::exception&) {
    return false;
  }
  int w = 0, h = 0, comp = 0;
  unsigned char* data = stbi_load_from_memory(reinterpret_cast<const unsigned char*>(bytes.data()),
                                              static_cast<int>(bytes.size()), &w, &h, &comp, 4);
  if (!data) return false;
  out->width = w;
  out->height = h;
  out->rgba.assign(data, data + static_cast<size_t>(w) * static_cast<size_t>(h) * 4);
  stbi_image_free(data);
  return true;
}

bool CompareImages(const Image& a, const Image& b, ImageDiff* out) {
  if (a.width != b.width || a.height != b.height) return false;
  out->diff = a;
  double sum = 0;
  int mx = 0;
  for (size_t i = 0; i < a.rgba.size(); ++i) {
    const int d = std::abs(static_cast<int>(a.rgba[i]) - static_cast<int>(b.rgba[i]));
    mx = std::max(mx, d);
    sum += d;
    out->diff.rgba[i] = (i % 4 == 3) ? 255 : static_cast<uint8_t>(std::min(255, d * 8));
  }
  out->max_delta = mx;
  out->mean_delta = a.rgba.empty() ? 0 : sum / static_cast<double>(a.rgba.size());
  return true;
}

void WriteGif(const std::string& path, const std::vector<Image>& frames, double delay_s) {
#if BLACKBOARD_HAVE_GIF
  if (frames.empty()) throw std::runtime_error("GIF: no frames");
  const int w = frames[0].width, h = frames[0].height;
  const std::string tmp = path + ".tmp.gif";
  int err = 0;
  GifFileType* gif = EGifOpenFileName(tmp.c_str(), false, &err);
  if (!gif) throw std::runtime_error("GIF: cannot write " + tmp + ": " + GifErrorString(err));
  EGifSetGifVersion(gif, true);
  bool ok = EGifPutScreenDesc(gif, w, h, 8, 0, nullptr) != GIF_ERROR;
  // Loop forever (NETSCAPE2.0 application extension).
  unsigned char loop_ext[] = {'N', 'E', 'T', 'S', 'C', 'A', 'P', 'E', '2', '.', '0'};
  unsigned char loop_data[] = {1, 0, 0};
  ok = ok && EGifPutExtensionLeader(gif, APPLICATION_EXT_FUNC_CODE) != GIF_ERROR &&
       EGifPutExtensionBlock(gif, sizeof loop_ext, loop_ext) != GIF_ERROR &&
       EGifPutExtensionBlock(gif, sizeof loop_data, loop_data) != GIF_ERROR &&
       EGifPutExtensionTrailer(gif) != GIF_ERROR;
  const int delay_cs = std::max(2, static_cast<int>(std::lround(delay_s * 100)));
  std::vector<GifByteType> r(static_cast<size_t>(w) * h), g(r.size()), b(r.size()), out(r.size());
  for (const Image& f : frames) {
    if (!ok) break;
    for (size_t i = 0; i < r.size(); ++i) r[i] = f.rgba[i * 4], g[i] = f.rgba[i * 4 + 1], b[i] = f.rgba[i * 4 + 2];
    int colors = 256;
    ColorMapObject* map = GifMakeMapObject(colors, nullptr);
    ok = GifQuantizeBuffer(static_cast<unsigned>(w), static_cast<unsigned>(h), &colors, r.data(), g.data(), b.data(),
                           out.data(), map->Colors) != GIF_ERROR;
    GraphicsControlBlock gcb{};
    gcb.DelayTime = delay_cs;
    gcb.TransparentColor = NO_TRANSPARENT_COLOR;
    GifByteType ext[4];
    const size_t n = EGifGCBToExtension(&gcb, ext);
    ok = ok && EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, static_cast<int>(n), ext) != GIF_ERROR;
    ok = ok && EGifPutImageDesc(gif, 0, 0, w, h, false, map) != GIF_ERROR;
    for (int y = 0; ok && y < h; ++y) ok = EGifPutLine(gif, out.data() + static_cast<size_t>(y) * w, w) != GIF_ERROR;
    GifFreeMapObject(map);
  }
  if (EGifCloseFile(gif, &err) == GIF_ERROR) ok = false;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw std::runtime_error("GIF: cannot write " + path);
  }
#else
  (void)path, (void)frames, (void)delay_s;
  throw std::runtime_error("GIF export needs giflib (libgif-dev); rebuild after ./blackboard.sh installs it");
#endif
}

}  // namespace blackboard
