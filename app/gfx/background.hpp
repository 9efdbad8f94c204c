// The board background drawn by a fragment shader (shaders/board.frag, embedded at build time):
// the theme colour with a subtle slate texture, behind the Scene, on screen and in PNG export.
// The texture is rendered once into a cached framebuffer and blitted afterwards (software GL is
// fill-rate bound: the noise shader runs only when the size, colour or strength change).
#pragma once

namespace blackboard {

class BoardBackground {
 public:
  ~BoardBackground();
  bool Init();  // needs a current GL 3.3 context
  // Draws into the framebuffer region (x, y, w, h) in pixels from the top-left, fb_height the
  // framebuffer height; rgba in 0..1; scale = framebuffer pixels per board pixel.
  void Draw(float x, float y, float w, float h, float fb_height, const float rgba[4], float strength,
            float scale);

 private:
  void RenderCache(int w, int h, const float rgba[4], float strength, float scale);
  unsigned program_ = 0, vao_ = 0;
  unsigned cache_fbo_ = 0, cache_tex_ = 0;
  int cache_w_ = 0, cache_h_ = 0;
  float cache_key_[6] = {-1, -1, -1, -1, -1, -1};
};

}  // namespace blackboard
