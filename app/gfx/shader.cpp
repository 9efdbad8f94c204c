// Shader compilation.
#include "shader.hpp"

#include <cstdio>

#include "gl.hpp"

namespace blackboard {

namespace {
unsigned Compile(GLenum type, std::string_view src) {
  const GLuint s = glCreateShader(type);
  const char* p = src.data();
  const GLint n = static_cast<GLint>(src.size());
  glShaderSource(s, 1, &p, &n);
  glCompileShader(s);
  GLint ok = 0;
  glGetShaderiv(s, GL_COMPILE_STATUS, &ok);
  if (!ok) {
    char log[1024];
    glGetShaderInfoLog(s, sizeof log, nullptr, log);
    std::fprintf(stderr, "blackboard: shader compile error: %s\n", log);
  }
  return s;
}
}  // namespace

unsigned LinkProgram(std::string_view vertex_source, std::string_view fragment_source,
                     const std::function<void(unsigned program)>& before_link) {
  const GLuint vs = Compile(GL_VERTEX_SHADER, vertex_source);
  const GLuint fs = Compile(GL_FRAGMENT_SHADER, fragment_source);
  const GLuint program = glCreateProgram();
  glAttachShader(program, vs);
  glAttachShader(program, fs);
  if (before_link) before_link(program);
  glLinkProgram(program);
  glDeleteShader(vs);
  glDeleteShader(fs);
  GLint ok = 0;
  glGetProgramiv(program, GL_LINK_STATUS, &ok);
  if (!ok) {
    char log[1024];
    glGetProgramInfoLog(program, sizeof log, nullptr, log);
    std::fprintf(stderr, "blackboard: shader link error: %s\n", log);
    glDeleteProgram(program);
    return 0;
  }
  return program;
}

}  // namespace blackboard
