// Raster export: RGBA8 pixels -> PNG (libstb); PNG decoding for tests. Animations: animation.hpp.
// Files are written atomically (temporary file, then rename).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace blackboard {

struct Image {
  int width = 0, height = 0;
  std::vector<uint8_t> rgba;  // top row first
};

// Encodes to PNG in memory; WritePng also writes it atomically. Throws std::runtime_error.
std::string EncodePng(const Image& img);
void WritePng(const std::string& path, const Image& img);
// Decodes a PNG file (for golden comparisons); returns false if unreadable.
bool ReadPng(const std::string& path, Image* out);

// Per-channel difference statistics between two images of the same size.
struct ImageDiff {
  int max_delta = 0;
  double mean_delta = 0;
  Image diff;  // |a - b| amplified, for humans
};
bool CompareImages(const Image& a, const Image& b, ImageDiff* out);

}  // namespace blackboard
