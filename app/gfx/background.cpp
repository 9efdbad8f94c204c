// Shader program for the board background.
#include "background.hpp"

#include <string_view>

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
}

bool BoardBackground::Init() {
  program_ = LinkProgram(shaders::board_vert, shaders::board_frag);
  glGenVertexArrays(1, &vao_);
  return program_ != 0;
}

void BoardBackground::Draw(float x, float y, float w, float h, float fb_height, const float rgba[4],
                           float strength, float scale) const {
  GLint viewport[4];
  glGetIntegerv(GL_VIEWPORT, viewport);
  glViewport(static_cast<GLint>(x), static_cast<GLint>(fb_height - y - h), static_cast<GLsizei>(w),
             static_cast<GLsizei>(h));
  glDisable(GL_BLEND);
  glDisable(GL_SCISSOR_TEST);
  glUseProgram(program_);
  glUniform4f(glGetUniformLocation(program_, "u_color"), rgba[0], rgba[1], rgba[2], rgba[3]);
  glUniform1f(glGetUniformLocation(program_, "u_strength"), strength);
  glUniform2f(glGetUniformLocation(program_, "u_origin"), x, y);
  glUniform1f(glGetUniformLocation(program_, "u_scale"), scale);
  glUniform1f(glGetUniformLocation(program_, "u_height"), fb_height);
  glBindVertexArray(vao_);
  glDrawArrays(GL_TRIANGLES, 0, 3);
  glBindVertexArray(0);
  glUseProgram(0);
  glViewport(viewport[0], viewport[1], viewport[2], viewport[3]);
}

}  // namespace blackboard
