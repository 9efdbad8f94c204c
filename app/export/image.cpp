// PNG: written with libpng (zlib level 9, libpng's adaptive per-row filters, RGB when every pixel
// is opaque), read with libstb (the implementation lives in libstb.so: no STB_*_IMPLEMENTATION here).
#include "image.hpp"

#include <png.h>

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

// stb's own deflate made 1.3-1.8 MB PNGs of the blackboard theme at 1600 x 900 (its chalk grain is
// noise that a weak compressor keeps); zlib at level 9 with libpng's filter choice and no alpha
// channel where the picture is opaque gives about 40 % less (tests/export: the 1 MB budget).
std::string EncodePng(const Image& img) {
  if (img.width <= 0 || img.height <= 0 || img.rgba.size() != static_cast<size_t>(img.width) * img.height * 4)
    throw std::runtime_error("PNG encoding failed: the image is empty or its pixels do not match its size");
  const bool opaque = std::all_of(img.rgba.begin(), img.rgba.end(), [i = size_t{0}](uint8_t v) mutable {
    return (i++ % 4) != 3 || v == 255;
  });
  const int channels = opaque ? 3 : 4;
  std::vector<uint8_t> rgb;
  const uint8_t* pixels = img.rgba.data();
  if (opaque) {
    rgb.resize(static_cast<size_t>(img.width) * img.height * 3);
    for (size_t p = 0, n = static_cast<size_t>(img.width) * img.height; p < n; ++p)
      std::copy_n(&img.rgba[p * 4], 3, &rgb[p * 3]);
    pixels = rgb.data();
  }
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!info) {
    png_destroy_write_struct(&png, nullptr);
    throw std::runtime_error("PNG encoding failed: out of memory");
  }
  std::string out;
  std::vector<png_bytep> rows(static_cast<size_t>(img.height));
  for (int y = 0; y < img.height; ++y)
    rows[static_cast<size_t>(y)] = const_cast<png_bytep>(pixels + static_cast<size_t>(y) * img.width * channels);
  // libpng reports errors by longjmp; nothing with a destructor is created between here and the end.
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    throw std::runtime_error("PNG encoding failed");
  }
  png_set_write_fn(
      png, &out, [](png_structp p, png_bytep data, png_size_t size) { AppendBytes(png_get_io_ptr(p), data, static_cast<int>(size)); },
      nullptr);
  png_set_compression_level(png, 9);
  png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_ALL_FILTERS);
  png_set_IHDR(png, info, static_cast<png_uint_32>(img.width), static_cast<png_uint_32>(img.height), 8,
               opaque ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_RGBA, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_BASE,
               PNG_FILTER_TYPE_BASE);
  png_set_rows(png, info, rows.data());
  png_write_png(png, info, PNG_TRANSFORM_IDENTITY, nullptr);
  png_destroy_write_struct(&png, &info);
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
