// The chalk pass (shaders/chalk.frag): a tiling grain mask blended over the board in the board's
// colour, so strokes and letters look like chalk while the board itself is unchanged. Used on screen
// (from an ImDrawList callback after the board is drawn) and in PNG export. The mask is made once on
// the CPU (deterministic value noise), so each frame costs one blended pass.
#pragma once

namespace blackboard {

class ChalkPass {
 public:
  ~ChalkPass();
  bool Init();
  // Region in framebuffer pixels from the top-left; bg in 0..1; scale = framebuffer px per board px.
  void Apply(int x, int y, int w, int h, int fb_height, const float bg[4], float strength, float scale);

 private:
  unsigned program_ = 0, vao_ = 0, grain_ = 0;
};

}  // namespace blackboard
