// GL access for the app: the glad GL 3.3 core loader (generated at build time from python3-glad).
// Include this, never <GL/gl.h>. `LoadGl(get_proc)` must run once a context is current.
#pragma once

#include <glad/gl.h>

namespace blackboard {

using GlProcLoader = GLADloadfunc;
bool LoadGl(GlProcLoader loader);  // false if the context lacks GL 3.3 core

}  // namespace blackboard
