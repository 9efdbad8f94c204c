// The chalk pass (shaders/chalk.frag): copies a region of the current framebuffer into a texture
// and draws it back with chalk grain on everything that is not board. Used on screen (from an
// ImDrawList callback after the board is drawn) and in PNG export.
#pragma once

namespace blackboard {

class ChalkPass {
 public:
  ~ChalkPass();
  bool Init();
  // Region in framebuffer pixels from the top-left; bg in 0..1; scale = framebuffer px per board px.
  void Apply(int x, int y, int w, int h, int fb_height, const float bg[4], float strength, float scale);

 private:
  unsigned program_ = 0, vao_ = 0, texture_ = 0;
  int tex_w_ = 0, tex_h_ = 0;
};

}  // namespace blackboard
