// Damage tracking for ImGui draw data: which parts of the screen changed since the last frame.
//
// A software rasteriser (Mesa's llvmpipe, all this project's CI and any machine without a GPU) pays
// for every pixel it shades, so redrawing a 1600x960 window whose only change is a slider's grab
// costs as much as redrawing everything. When the back buffer survives a swap (it does on Mesa's
// software GLX and EGL: they copy, not flip), a frame need only redraw the rectangles that differ.
//
// Use, each frame after ImGui::Render():
//   const std::vector<DamageRect> damage = tracker.Update(*ImGui::GetDrawData(), version);
//   for (const DamageRect& r : damage) { clear r; render the draw data clipped to r (ClipDrawData) }
//   if (!damage.empty()) swap;
// Draw callbacks have no vertices to compare: `version(cmd)` says what a callback draws (a hash of
// its inputs; equal versions in the same clip rectangle draw the same pixels), or kDrawsNothing. Invalidate() after anything that loses the back buffer (resize,
// expose): the next Update returns the whole display.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

struct ImDrawCmd;
struct ImDrawData;
struct ImDrawList;

namespace blackboard {

struct DamageRect {
  float x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // display coordinates (ImGui's), x1/y1 exclusive
  float Area() const { return x1 > x0 && y1 > y0 ? (x1 - x0) * (y1 - y0) : 0; }
  bool Empty() const { return !(x1 > x0 && y1 > y0); }
  bool operator==(const DamageRect&) const = default;
};

// A 64-bit hash of bytes (word at a time), for callers that version what their callbacks draw.
uint64_t HashBytes(const void* data, size_t n, uint64_t seed);

DamageRect Union(DamageRect a, DamageRect b);      // the bounding box (an empty side is ignored)
DamageRect Intersect(DamageRect a, DamageRect b);  // may be Empty()

// The pixels a command's clip rectangle lets through as Dear ImGui's OpenGL 3 backend scissors it
// (display coordinates). The backend truncates the scissor's corner and size separately, so a clip
// rectangle with fractional edges lets through rows shifted from what rounding would give; partial
// redraws and callbacks must use exactly these pixels to paint what a full redraw paints.
DamageRect BackendScissor(const ImDrawData& draw_data, float x0, float y0, float x1, float y1);

// Merges overlapping rectangles, then the pairs whose union wastes the least area until at most
// `max_rects` remain. Empty rectangles are dropped.
std::vector<DamageRect> MergeDamage(std::vector<DamageRect> rects, size_t max_rects);

class DamageTracker {
 public:
  static constexpr size_t kMaxRects = 6;
  static constexpr uint64_t kDrawsNothing = ~0ull;  // a callback that only sets state or reads pixels
  using CallbackVersion = std::function<uint64_t(const ImDrawCmd&)>;

  struct Prim {  // a triangle (or a callback) and the part of the screen it can touch
    uint64_t hash;
    DamageRect box;
    bool operator<(const Prim& o) const { return hash < o.hash; }
  };

  // This frame's damage: the regions where its draw data draws something different from the last
  // frame's, merged (MergeDamage). Empty when nothing changed. The whole display after
  // Invalidate(), on the first frame, when the display size changes or the windows change order.
  std::vector<DamageRect> Update(const ImDrawData& draw_data, const CallbackVersion& version = {});
  void Invalidate() { full_ = true; }

 private:
  struct ListState {
    std::string name;     // the owner window: lists are matched across frames by it
    uint64_t hash = 0;    // everything the list draws
    bool has_callbacks = false;
    DamageRect bounds;    // union of its commands' clip rectangles
    std::vector<Prim> prims;  // sorted by hash (lists without callbacks only)
  };
  static ListState Describe(const ImDrawData& draw_data, const ImDrawList& list, const CallbackVersion& version);

  std::vector<ListState> last_;
  float display_w_ = -1, display_h_ = -1;
  bool full_ = true;
};

// Restricts every command of `draw_data` to `rect` (display coordinates): clip rectangles are
// intersected with it, commands that fall outside draw nothing, and the triangles of the others
// that miss it are left out (a software renderer shades and sets up every vertex it is given,
// whatever the scissor). Restore() puts everything back. Draw callbacks see the intersected clip
// rectangle and must clip their own output to it.
class ClipDrawData {
 public:
  ClipDrawData(ImDrawData& draw_data, DamageRect rect);
  ~ClipDrawData() { Restore(); }
  ClipDrawData(const ClipDrawData&) = delete;
  ClipDrawData& operator=(const ClipDrawData&) = delete;
  void Restore();

 private:
  struct Saved {
    float clip[4];
    unsigned elem_count;
  };
  ImDrawData* draw_data_;
  std::vector<Saved> saved_;
  std::vector<std::vector<unsigned char>> saved_indices_;  // per list: the index buffer's bytes
  bool restored_ = false;
};

}  // namespace blackboard
