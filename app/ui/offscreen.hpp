// Offscreen rendering of Scenes to pixels: EGL surfaceless GL context + FBO + the same Scene ->
// ImDrawList interpreter as the screen + ImGui's OpenGL3 renderer. No display needed.
//
// Use: `OffscreenRenderer r; if (!r.Init(&err)) ...; Image img; r.Render(scene, 2.0f, false, &img, &err);`
// One renderer per process (it owns an ImGui context while alive).
#pragma once

#include <memory>
#include <string>

#include "export/image.hpp"
#include "scene/scene.hpp"

namespace blackboard {

class OffscreenRenderer {
 public:
  OffscreenRenderer();
  ~OffscreenRenderer();
  bool Init(std::string* error);
  // Renders at `scale` x the scene's logical size. `transparent` leaves the background clear.
  // `out` may be null (draw and finish without reading the pixels back).
  bool Render(const Scene& scene, float scale, bool transparent, Image* out, std::string* error);
  // Renders the ImGui demo window at the given size (a reference workload for --bench-frames).
  bool RenderDemo(int width, int height, Image* out);
  std::string Renderer() const;
  // Triangles sent to GL by the last Render (a software rasteriser pays per triangle and per pixel).
  int LastTriangles() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace blackboard
