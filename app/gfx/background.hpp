// The board background drawn by a fragment shader (shaders/board.frag, embedded at build time):
// the theme colour with a subtle slate texture, and the board's backdrop panels, behind the Scene,
// on screen and in PNG export. It is rendered once into a cached framebuffer and blitted afterwards
// (software GL is fill-rate bound: the shader runs only when the size, colour, strength or panels
// change, so a panel under a dragged slider's shapes costs nothing per frame).
#pragma once

#include <vector>

namespace blackboard {

// A rounded, opaque panel in board pixels (Scene RectShape::backdrop), colour in 0..1.
struct BackdropRect {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0, radius = 0;
  float rgba[4] = {0, 0, 0, 1};
};

class BoardBackground {
 public:
  static constexpr int kMaxPanels = 8;  // more panels than this are drawn with the shapes

  ~BoardBackground();
  bool Init();  // needs a current GL 3.3 context
  // Draws into the framebuffer region (x, y, w, h) in pixels from the top-left, fb_height the
  // framebuffer height; rgba in 0..1; scale = framebuffer pixels per board pixel; at most
  // kMaxPanels panels. Clipped to the current scissor box when GL_SCISSOR_TEST is enabled (the
  // region and the panels keep their places: a partial redraw paints the same pixels).
  void Draw(float x, float y, float w, float h, float fb_height, const float rgba[4], float strength,
            float scale, const std::vector<BackdropRect>& panels = {});

 private:
  void RenderCache(int w, int h, const float rgba[4], float strength, float scale,
                   const std::vector<BackdropRect>& panels);
  unsigned program_ = 0, vao_ = 0;
  unsigned cache_fbo_ = 0, cache_tex_ = 0;
  int cache_w_ = 0, cache_h_ = 0;
  std::vector<float> cache_key_;
};

}  // namespace blackboard
