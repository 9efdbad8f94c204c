// EGL surfaceless context and FBO.
#include "headless.hpp"

#include <algorithm>
#include <vector>

#include <glad/egl.h>

#include "gl.hpp"

namespace blackboard {

bool LoadGl(GlProcLoader loader) {
  const int version = gladLoadGL(loader);
  return version != 0 && GLAD_VERSION_MAJOR(version) * 10 + GLAD_VERSION_MINOR(version) >= 33;
}

HeadlessGl::~HeadlessGl() {
  if (display_) {
    auto d = static_cast<EGLDisplay>(display_);
    eglMakeCurrent(d, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
    if (context_) eglDestroyContext(d, static_cast<EGLContext>(context_));
    eglTerminate(d);
  }
}

bool HeadlessGl::Create(std::string* error) {
  auto fail = [&](const char* what) {
    if (error) *error = std::string("headless OpenGL: ") + what;
    return false;
  };
  if (!gladLoaderLoadEGL(EGL_NO_DISPLAY)) return fail("cannot load libEGL (install libegl1 / libegl-dev)");
  // Before a display exists glad has not loaded the EGL 1.5 entry points; ask for the EXT one.
  EGLDisplay d = EGL_NO_DISPLAY;
  auto get_platform_display =
      reinterpret_cast<PFNEGLGETPLATFORMDISPLAYEXTPROC>(eglGetProcAddress("eglGetPlatformDisplayEXT"));
  if (get_platform_display) d = get_platform_display(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, nullptr);
  if (d == EGL_NO_DISPLAY) d = eglGetDisplay(EGL_DEFAULT_DISPLAY);
  if (d == EGL_NO_DISPLAY) return fail("no EGL display (Mesa surfaceless platform unavailable)");
  EGLint major = 0, minor = 0;
  if (!eglInitialize(d, &major, &minor)) return fail("eglInitialize failed");
  display_ = d;
  if (!gladLoaderLoadEGL(d)) return fail("cannot load EGL 1.5 entry points");
  if (!eglBindAPI(EGL_OPENGL_API)) return fail("eglBindAPI(OpenGL) failed");
  const EGLint config_attribs[] = {EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT, EGL_NONE};
  EGLConfig config = nullptr;
  EGLint count = 0;
  if (!eglChooseConfig(d, config_attribs, &config, 1, &count) || count == 0) {
    // Surfaceless may expose no configs; EGL_KHR_no_config_context lets us go without one.
    config = EGL_NO_CONFIG_KHR;
  }
  const EGLint ctx_attribs[] = {EGL_CONTEXT_MAJOR_VERSION, 3, EGL_CONTEXT_MINOR_VERSION, 3,
                                EGL_CONTEXT_OPENGL_PROFILE_MASK, EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT, EGL_NONE};
  EGLContext c = eglCreateContext(d, config, EGL_NO_CONTEXT, ctx_attribs);
  if (c == EGL_NO_CONTEXT) return fail("cannot create a GL 3.3 core context");
  context_ = c;
  if (!eglMakeCurrent(d, EGL_NO_SURFACE, EGL_NO_SURFACE, c)) return fail("eglMakeCurrent failed");
  if (!LoadGl(reinterpret_cast<GlProcLoader>(eglGetProcAddress))) return fail("GL 3.3 core not available");
  return true;
}

std::string HeadlessGl::Renderer() const {
  const GLubyte* r = glGetString(GL_RENDERER);
  return r ? reinterpret_cast<const char*>(r) : "unknown";
}

Fbo::~Fbo() {
  if (fbo_) glDeleteFramebuffers(1, &fbo_);
  if (color_) glDeleteTextures(1, &color_);
}

bool Fbo::Create(int width, int height, std::string* error) {
  width_ = width;
  height_ = height;
  glGenTextures(1, &color_);
  glBindTexture(GL_TEXTURE_2D, color_);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glGenFramebuffers(1, &fbo_);
  glBindFramebuffer(GL_FRAMEBUFFER, fbo_);
  glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, color_, 0);
  if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
    if (error) *error = "framebuffer " + std::to_string(width) + "x" + std::to_string(height) + " is incomplete";
    return false;
  }
  return true;
}

void Fbo::Bind() const {
  glBindFramebuffer(GL_FRAMEBUFFER, fbo_);
  glViewport(0, 0, width_, height_);
}

void Fbo::ReadRgba(unsigned char* out) const {
  glBindFramebuffer(GL_FRAMEBUFFER, fbo_);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  const size_t row = static_cast<size_t>(width_) * 4;
  std::vector<unsigned char> tmp(row * static_cast<size_t>(height_));
  glReadPixels(0, 0, width_, height_, GL_RGBA, GL_UNSIGNED_BYTE, tmp.data());
  for (int y = 0; y < height_; ++y)
    std::copy_n(tmp.data() + static_cast<size_t>(height_ - 1 - y) * row, row, out + static_cast<size_t>(y) * row);
}

}  // namespace blackboard
