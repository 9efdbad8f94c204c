// Compiling and linking GLSL programs (sources embedded at build time from shaders/).
#pragma once

#include <string_view>

namespace blackboard {

// Returns the program, or 0 after printing the compile/link log to stderr.
unsigned LinkProgram(std::string_view vertex_source, std::string_view fragment_source);

}  // namespace blackboard
