// Shader program for the board background.
#include "background.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>

#include "gl.hpp"
#include "shader.hpp"

namespace blackboard {
namespace shaders {
extern const std::string_view board_vert;
extern const std::string_view board_frag;
}  // namespace shaders


BoardBackground::~BoardBackground() {
  if (program_) glDeleteProgram(program_);
  if (vao_) glDeleteVertexArrays(1, &vao_);
  if (cache_fbo_) glDeleteFramebuffers(1, &cache_fbo_);
  if (cache_tex_) glDeleteTextures(1, &cache_tex_);
}

bool BoardBackground::Init() {
  program_ = LinkProgram(shaders::board_vert, shaders::board_frag);
  glGenVertexArrays(1, &vao_);
  return program_ != 0;
}

void BoardBackground::RenderCache(int w, int h, const float rgba[4], float strength, float scale,
                                  const std::vector<BackdropRect>& panels) {
  if (!cache_fbo_) {
    glGenFramebuffers(1, &cache_fbo_);
    glGenTextures(1, &cache_tex_);
  }
  glBindTexture(GL_TEXTURE_2D, cache_tex_);
  if (w != cache_w_ || h != cache_h_) {
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    cache_w_ = w, cache_h_ = h;
  }
  GLint previous = 0;
  glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &previous);
  glBindFramebuffer(GL_FRAMEBUFFER, cache_fbo_);
  glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, cache_tex_, 0);
  glViewport(0, 0, w, h);
  glDisable(GL_BLEND);
  glDisable(GL_SCISSOR_TEST);
  glUseProgram(program_);
  glUniform4f(glGetUniformLocation(program_, "u_color"), rgba[0], rgba[1], rgba[2], rgba[3]);
  glUniform1f(glGetUniformLocation(program_, "u_strength"), strength);
  glUniform2f(glGetUniformLocation(program_, "u_origin"), 0, 0);
  glUniform1f(glGetUniformLocation(program_, "u_scale"), scale);
  glUniform1f(glGetUniformLocation(program_, "u_height"), static_cast<float>(h));
  const int n = std::min(static_cast<int>(panels.size()), kMaxPanels);
  glUniform1i(glGetUniformLocation(program_, "u_panels"), n);
  for (int i = 0; i < n; ++i) {
    const BackdropRect& p = panels[static_cast<size_t>(i)];
    const std::string at = "[" + std::to_string(i) + "]";
    glUniform4f(glGetUniformLocation(program_, ("u_panel_box" + at).c_str()), p.x0, p.y0, p.x1, p.y1);
    glUniform4fv(glGetUniformLocation(program_, ("u_panel_color" + at).c_str()), 1, p.rgba);
    glUniform1f(glGetUniformLocation(program_, ("u_panel_radius" + at).c_str()), p.radius);
  }
  glBindVertexArray(vao_);
  glDrawArrays(GL_TRIANGLES, 0, 3);
  glBindVertexArray(0);
  glUseProgram(0);
  glBindFramebuffer(GL_FRAMEBUFFER, static_cast<GLuint>(previous));
}

void BoardBackground::Draw(float x, float y, float w, float h, float fb_height, const float rgba[4],
                           float strength, float scale, const std::vector<BackdropRect>& panels) {
  GLint viewport[4];
  glGetIntegerv(GL_VIEWPORT, viewport);
  const GLint gx = static_cast<GLint>(x), gy = static_cast<GLint>(fb_height - y - h);
  const GLsizei gw = static_cast<GLsizei>(w), gh = static_cast<GLsizei>(h);
  // Clip to the board's region, and within it to the caller's scissor box when one is enabled.
  const GLboolean scissored = glIsEnabled(GL_SCISSOR_TEST);
  GLint box[4] = {gx, gy, gw, gh};
  if (scissored) {
    GLint s[4];
    glGetIntegerv(GL_SCISSOR_BOX, s);
    const GLint x0 = std::max(gx, s[0]), y0 = std::max(gy, s[1]);
    const GLint x1 = std::min(gx + gw, s[0] + s[2]), y1 = std::min(gy + gh, s[1] + s[3]);
    box[0] = x0, box[1] = y0, box[2] = std::max(0, x1 - x0), box[3] = std::max(0, y1 - y0);
  }
  if (box[2] <= 0 || box[3] <= 0) return;
  glEnable(GL_SCISSOR_TEST);
  glScissor(box[0], box[1], box[2], box[3]);
  if (strength <= 0 && panels.empty()) {  // a flat board is a scissored clear: no shader pass over every pixel
    glClearColor(rgba[0], rgba[1], rgba[2], rgba[3]);
    glClear(GL_COLOR_BUFFER_BIT);
  } else {
    std::vector<float> key = {static_cast<float>(gw), static_cast<float>(gh), rgba[0], rgba[1], rgba[2], rgba[3],
                              strength, scale};
    for (size_t i = 0; i < panels.size() && i < kMaxPanels; ++i) {
      const BackdropRect& p = panels[i];
      key.insert(key.end(), {p.x0, p.y0, p.x1, p.y1, p.radius, p.rgba[0], p.rgba[1], p.rgba[2], p.rgba[3]});
    }
    if (key != cache_key_) {
      glDisable(GL_SCISSOR_TEST);
      RenderCache(gw, gh, rgba, strength, scale, panels);
      cache_key_ = std::move(key);
      glEnable(GL_SCISSOR_TEST);
      glScissor(box[0], box[1], box[2], box[3]);
    }
    GLint draw_fb = 0;
    glGetIntegerv(GL_DRAW_FRAMEBUFFER_BINDING, &draw_fb);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, cache_fbo_);
    glBlitFramebuffer(0, 0, gw, gh, gx, gy, gx + gw, gy + gh, GL_COLOR_BUFFER_BIT, GL_NEAREST);  // scissored
    glBindFramebuffer(GL_READ_FRAMEBUFFER, static_cast<GLuint>(draw_fb));
    glViewport(viewport[0], viewport[1], viewport[2], viewport[3]);
  }
  if (!scissored) glDisable(GL_SCISSOR_TEST);
}

}  // namespace blackboard
