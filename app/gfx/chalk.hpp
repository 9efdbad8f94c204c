// The chalk ink (shaders/chalk.vert, chalk.frag): board shapes drawn through a shader that thins
// their coverage by a tiling grain mask, so strokes and letters look like chalk on slate while the
// board itself is unchanged. Used on screen and in PNG export from an ImDrawList callback placed
// before the board's shapes (then ImDrawCallback_ResetRenderState hands the ImGui backend its own
// shader back). The mask is made once on the CPU (deterministic value noise); a frame pays one extra
// texture fetch per ink pixel and nothing for the bare board.
#pragma once

namespace blackboard {

class ChalkInk {
 public:
  ~ChalkInk();
  bool Init();
  // Call from an ImDrawList callback, after the ImGui OpenGL3 backend has set up its render state:
  // the following draw commands use the chalk shader with the backend's vertex layout and projection.
  // origin: the board's top-left and scale: pixels per board pixel, both in ImGui's display pixels
  // (the draw list's coordinates), so the grain sticks to the board at any size.
  void Begin(float origin_x, float origin_y, float scale, float strength);

 private:
  bool LinkFor(unsigned backend_program);

  unsigned program_ = 0, grain_ = 0;
  unsigned linked_for_ = 0;  // the backend program whose attribute locations program_ matches
};

}  // namespace blackboard
