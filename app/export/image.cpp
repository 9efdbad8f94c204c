// PNG via libstb (the implementation lives in libstb.so: no STB_*_IMPLEMENTATION here).
#include "image.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include <stb_image.h>
#include <stb_image_write.h>

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

}  // namespace blackboard
