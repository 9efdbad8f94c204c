// Chalk post-pass.
#include "chalk.hpp"

#include <string_view>

#include "gl.hpp"
#include "shader.hpp"

namespace blackboard {
namespace shaders {
extern const std::string_view chalk_vert;
extern const std::string_view chalk_frag;
}  // namespace shaders

ChalkPass::~ChalkPass() {
  if (program_) glDeleteProgram(program_);
  if (vao_) glDeleteVertexArrays(1, &vao_);
  if (texture_) glDeleteTextures(1, &texture_);
}

bool ChalkPass::Init() {
  program_ = LinkProgram(shaders::chalk_vert, shaders::chalk_frag);
  glGenVertexArrays(1, &vao_);
  glGenTextures(1, &texture_);
  return program_ != 0;
}

void ChalkPass::Apply(int x, int y, int w, int h, int fb_height, const float bg[4], float strength, float scale) {
  if (strength <= 0 || w <= 0 || h <= 0 || !program_) return;
  const int gl_y = fb_height - y - h;
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, texture_);
  if (tex_w_ != w || tex_h_ != h) {
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    tex_w_ = w, tex_h_ = h;
  }
  glCopyTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, x, gl_y, w, h);
  GLint viewport[4];
  glGetIntegerv(GL_VIEWPORT, viewport);
  glViewport(x, gl_y, w, h);
  glDisable(GL_BLEND);
  glDisable(GL_SCISSOR_TEST);
  glUseProgram(program_);
  glUniform1i(glGetUniformLocation(program_, "u_tex"), 0);
  glUniform4f(glGetUniformLocation(program_, "u_bg"), bg[0], bg[1], bg[2], bg[3]);
  glUniform1f(glGetUniformLocation(program_, "u_strength"), strength);
  glUniform2f(glGetUniformLocation(program_, "u_origin"), static_cast<float>(x), static_cast<float>(y));
  glUniform1f(glGetUniformLocation(program_, "u_scale"), scale);
  glUniform1f(glGetUniformLocation(program_, "u_height"), static_cast<float>(fb_height));
  glBindVertexArray(vao_);
  glDrawArrays(GL_TRIANGLES, 0, 3);
  glBindVertexArray(0);
  glUseProgram(0);
  glViewport(viewport[0], viewport[1], viewport[2], viewport[3]);
}

}  // namespace blackboard
