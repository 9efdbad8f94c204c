// Chalk pass.
#include "chalk.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string_view>
#include <vector>

#include "gl.hpp"
#include "shader.hpp"

namespace blackboard {
namespace shaders {
extern const std::string_view chalk_vert;
extern const std::string_view chalk_frag;
}  // namespace shaders

namespace {

constexpr int kTile = 512;

// Integer hash -> [0, 1) (deterministic on every machine).
float Hash(int x, int y) {
  uint32_t h = static_cast<uint32_t>(x) * 374761393u + static_cast<uint32_t>(y) * 668265263u;
  h = (h ^ (h >> 13)) * 1274126177u;
  return static_cast<float>((h ^ (h >> 16)) & 0xffffff) / static_cast<float>(0x1000000);
}

// Tiling value noise with `cells` cells across the tile.
float Noise(float u, float v, int cells) {
  const float x = u * static_cast<float>(cells), y = v * static_cast<float>(cells);
  const int ix = static_cast<int>(std::floor(x)), iy = static_cast<int>(std::floor(y));
  const float fx = x - static_cast<float>(ix), fy = y - static_cast<float>(iy);
  const float sx = fx * fx * (3 - 2 * fx), sy = fy * fy * (3 - 2 * fy);
  auto h = [&](int a, int b) { return Hash(((a % cells) + cells) % cells, ((b % cells) + cells) % cells); };
  const float top = h(ix, iy) + (h(ix + 1, iy) - h(ix, iy)) * sx;
  const float bottom = h(ix, iy + 1) + (h(ix + 1, iy + 1) - h(ix, iy + 1)) * sx;
  return top + (bottom - top) * sy;
}

std::vector<uint8_t> GrainMask() {
  std::vector<uint8_t> mask(static_cast<size_t>(kTile) * kTile);
  for (int y = 0; y < kTile; ++y)
    for (int x = 0; x < kTile; ++x) {
      const float u = (static_cast<float>(x) + 0.5f) / kTile, v = (static_cast<float>(y) + 0.5f) / kTile;
      // Fine grain (about 2 board px) over a coarser mottle (about 8 px), as in the slate shader.
      const float g = Noise(u, v, 256) * 0.65f + Noise(u, v, 64) * 0.35f;
      const float t = std::clamp((g - 0.45f) / 0.5f, 0.0f, 1.0f);
      // Four levels of grain: as chalky to the eye as 256, and a PNG of a board keeps far fewer distinct
      // values (the 1 MB budget of a 1600 x 900 export).
      const float level = std::round(t * t * (3 - 2 * t) * 3.0f) / 3.0f;
      mask[static_cast<size_t>(y) * kTile + static_cast<size_t>(x)] = static_cast<uint8_t>(255.0f * level);
    }
  return mask;
}

}  // namespace

ChalkInk::~ChalkInk() {
  if (program_) glDeleteProgram(program_);
  if (grain_) glDeleteTextures(1, &grain_);
}

bool ChalkInk::Init() {
  glGenTextures(1, &grain_);
  glBindTexture(GL_TEXTURE_2D, grain_);
  const std::vector<uint8_t> mask = GrainMask();
  glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_R8, kTile, kTile, 0, GL_RED, GL_UNSIGNED_BYTE, mask.data());
  // Nearest: the grain is about one texel per board pixel, and filtering costs a software rasteriser.
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_REPEAT);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_REPEAT);
  // The shaders must compile here; the program is linked on first use, against the attribute
  // locations of the backend's own program (known only once the backend has made it).
  const unsigned probe = LinkProgram(shaders::chalk_vert, shaders::chalk_frag);
  if (probe) glDeleteProgram(probe);
  return probe != 0;
}

bool ChalkInk::LinkFor(unsigned backend) {
  if (program_ && linked_for_ == backend) return true;
  if (program_) glDeleteProgram(program_);
  const GLuint b = backend;
  program_ = LinkProgram(shaders::chalk_vert, shaders::chalk_frag, [b](unsigned program) {
    for (const char* name : {"Position", "UV", "Color"}) {
      const GLint at = glGetAttribLocation(b, name);
      if (at >= 0) glBindAttribLocation(program, static_cast<GLuint>(at), name);
    }
  });
  linked_for_ = backend;
  return program_ != 0;
}

void ChalkInk::Begin(float origin_x, float origin_y, float scale, float strength) {
  if (strength <= 0) return;
  GLint backend = 0;
  glGetIntegerv(GL_CURRENT_PROGRAM, &backend);
  if (backend <= 0 || !LinkFor(static_cast<unsigned>(backend))) return;
  float projection[16];
  glGetUniformfv(static_cast<GLuint>(backend), glGetUniformLocation(static_cast<GLuint>(backend), "ProjMtx"),
                 projection);
  glUseProgram(program_);
  glUniformMatrix4fv(glGetUniformLocation(program_, "ProjMtx"), 1, GL_FALSE, projection);
  glUniform1i(glGetUniformLocation(program_, "Texture"), 0);
  glUniform1i(glGetUniformLocation(program_, "u_grain"), 1);
  glUniform1f(glGetUniformLocation(program_, "u_strength"), strength);
  glUniform2f(glGetUniformLocation(program_, "u_origin"), origin_x, origin_y);
  glUniform1f(glGetUniformLocation(program_, "u_scale"), scale);
  glActiveTexture(GL_TEXTURE1);
  glBindTexture(GL_TEXTURE_2D, grain_);
  glActiveTexture(GL_TEXTURE0);  // the backend binds each command's texture to unit 0
}

}  // namespace blackboard
