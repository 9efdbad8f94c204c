// Compiling and linking GLSL programs (sources embedded at build time from shaders/).
#pragma once

#include <functional>
#include <string_view>

namespace blackboard {

// Returns the program, or 0 after printing the compile/link log to stderr.
// before_link runs on the program after the shaders are attached (e.g. glBindAttribLocation).
unsigned LinkProgram(std::string_view vertex_source, std::string_view fragment_source,
                     const std::function<void(unsigned program)>& before_link = {});

}  // namespace blackboard
