// A headless OpenGL 3.3 core context through EGL (Mesa surfaceless platform): no display, no X.
//
// Use: `HeadlessGl gl; if (!gl.Create(&error)) ...;` then render into an Fbo. One per thread.
#pragma once

#include <string>

namespace blackboard {

class HeadlessGl {
 public:
  HeadlessGl() = default;
  ~HeadlessGl();
  HeadlessGl(const HeadlessGl&) = delete;
  HeadlessGl& operator=(const HeadlessGl&) = delete;
  bool Create(std::string* error);
  std::string Renderer() const;  // GL_RENDERER, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)"

 private:
  void* display_ = nullptr;
  void* context_ = nullptr;
};

// An RGBA8 framebuffer object of explicit pixel size.
class Fbo {
 public:
  Fbo() = default;
  ~Fbo();
  Fbo(const Fbo&) = delete;
  Fbo& operator=(const Fbo&) = delete;
  bool Create(int width, int height, std::string* error);
  void Bind() const;
  // Reads the pixels top row first (flipped from GL's bottom-up order).
  void ReadRgba(unsigned char* out) const;
  int width() const { return width_; }
  int height() const { return height_; }

 private:
  unsigned fbo_ = 0, color_ = 0;
  int width_ = 0, height_ = 0;
};

}  // namespace blackboard
