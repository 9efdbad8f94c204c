// Damage tracking: a frame redraws exactly the regions whose draw data changed, and a redraw
// restricted to a region lets through exactly the pixels a full redraw would there.
#include "ui/damage.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <imgui.h>

namespace blackboard {
namespace {

// A hand-built frame: draw lists (one per window) with quads and callbacks, no ImGui context.
class Frame {
 public:
  explicit Frame(float w = 800, float h = 600) : w_(w), h_(h) {}

  ImDrawList& List(const char* owner) {
    lists_.push_back(std::make_unique<ImDrawList>(nullptr));
    lists_.back()->_OwnerName = owner;
    return *lists_.back();
  }

  // A quad from (x0, y0) to (x1, y1) as two triangles, in a new command with this clip rectangle.
  static void Quad(ImDrawList& l, float x0, float y0, float x1, float y1, ImU32 col, ImVec4 clip = {0, 0, 800, 600}) {
    ImDrawCmd cmd;
    cmd.ClipRect = clip;
    cmd.IdxOffset = static_cast<unsigned>(l.IdxBuffer.Size);
    cmd.VtxOffset = 0;
    cmd.ElemCount = 6;
    const auto base = static_cast<ImDrawIdx>(l.VtxBuffer.Size);
    for (ImVec2 p : {ImVec2{x0, y0}, ImVec2{x1, y0}, ImVec2{x1, y1}, ImVec2{x0, y1}}) {
      ImDrawVert v;
      v.pos = p;
      v.uv = {0, 0};
      v.col = col;
      l.VtxBuffer.push_back(v);
    }
    for (int i : {0, 1, 2, 0, 2, 3}) l.IdxBuffer.push_back(static_cast<ImDrawIdx>(base + i));
    l.CmdBuffer.push_back(cmd);
  }

  static void Callback(ImDrawList& l, ImDrawCallback fn, void* data, ImVec4 clip) {
    ImDrawCmd cmd;
    cmd.ClipRect = clip;
    cmd.IdxOffset = static_cast<unsigned>(l.IdxBuffer.Size);
    cmd.UserCallback = fn;
    cmd.UserCallbackData = data;
    l.CmdBuffer.push_back(cmd);
  }

  ImDrawData& Data() {
    pointers_.clear();
    for (auto& l : lists_) pointers_.push_back(l.get());
    data_ = ImDrawData();
    data_.Valid = true;
    data_.CmdLists = pointers_.data();
    data_.CmdListsCount = static_cast<int>(pointers_.size());
    data_.DisplayPos = {0, 0};
    data_.DisplaySize = {w_, h_};
    data_.FramebufferScale = {1, 1};
    return data_;
  }

 private:
  float w_, h_;
  std::vector<std::unique_ptr<ImDrawList>> lists_;
  std::vector<ImDrawList*> pointers_;
  ImDrawData data_;
};

constexpr ImU32 kWhite = IM_COL32(255, 255, 255, 255), kRed = IM_COL32(255, 0, 0, 255);

void Board(const ImDrawList*, const ImDrawCmd*) {}

TEST(Damage, RectangleHelpers) {
  EXPECT_EQ(Union({0, 0, 10, 10}, {5, 5, 20, 8}), (DamageRect{0, 0, 20, 10}));
  EXPECT_EQ(Union({}, {1, 2, 3, 4}), (DamageRect{1, 2, 3, 4}));
  EXPECT_TRUE(Intersect({0, 0, 10, 10}, {10, 0, 20, 10}).Empty());  // edges touch: no pixel shared
  EXPECT_EQ(Intersect({0, 0, 10, 10}, {5, -5, 20, 8}), (DamageRect{5, 0, 10, 8}));
}

TEST(Damage, MergeJoinsOverlapsAndCapsTheCount) {
  // Two overlapping rectangles become one; an empty one is dropped.
  EXPECT_EQ(MergeDamage({{0, 0, 10, 10}, {5, 5, 15, 15}, {30, 30, 30, 40}}, 6), (std::vector<DamageRect>{{0, 0, 15, 15}}));
  // Far apart: kept apart, until the cap merges the pair whose union wastes the least.
  const std::vector<DamageRect> four{{0, 0, 10, 10}, {12, 0, 22, 10}, {500, 500, 510, 510}, {0, 300, 10, 310}};
  EXPECT_EQ(MergeDamage(four, 4).size(), 4u);
  const auto three = MergeDamage(four, 3);
  ASSERT_EQ(three.size(), 3u);
  EXPECT_EQ(three[0], (DamageRect{0, 0, 22, 10}));  // the two neighbours
}

// ImGui's OpenGL 3 backend truncates the scissor's corner and size separately: a clip rectangle
// from y 220 to 709.4 on a 960-high framebuffer lets rows 221 to 709 through, not 220 to 709.
TEST(Damage, BackendScissorIsTheBackendsTruncation) {
  Frame f(1600, 960);
  const ImDrawData& dd = f.Data();
  EXPECT_EQ(BackendScissor(dd, 375, 220, 1242, 709), (DamageRect{375, 220, 1242, 709}));  // whole pixels: itself
  const DamageRect r = BackendScissor(dd, 375, 220, 1242.6f, 709.4f);
  EXPECT_EQ(r.y0, 221);  // glScissor(y = (int)(960 - 709.4) = 250, h = (int)489.4 = 489): top row 960 - 250 - 489
  EXPECT_EQ(r.y1, 710);
  EXPECT_EQ(r.x0, 375);
  EXPECT_EQ(r.x1, 375 + 867);
}

TEST(Damage, FirstFrameIsEverythingAndAStillFrameIsNothing) {
  Frame f;
  Frame::Quad(f.List("Panel"), 10, 10, 50, 30, kWhite);
  DamageTracker t;
  EXPECT_EQ(t.Update(f.Data()), (std::vector<DamageRect>{{0, 0, 800, 600}}));
  EXPECT_TRUE(t.Update(f.Data()).empty());
  t.Invalidate();
  EXPECT_EQ(t.Update(f.Data()), (std::vector<DamageRect>{{0, 0, 800, 600}}));
}

// One glyph of a number changes colour and another moves: only the pixels of those two quads (where
// they were and where they are) are redrawn; the rest of the window is not.
TEST(Damage, OnlyChangedTrianglesAreDamaged) {
  DamageTracker t;
  {
    Frame f;
    ImDrawList& l = f.List("Numbers");
    Frame::Quad(l, 10, 10, 20, 20, kWhite);
    Frame::Quad(l, 100, 10, 110, 20, kWhite);
    Frame::Quad(l, 300, 300, 310.5f, 320.25f, kWhite);
    t.Update(f.Data());
    EXPECT_TRUE(t.Update(f.Data()).empty());
  }
  Frame f;
  ImDrawList& l = f.List("Numbers");
  Frame::Quad(l, 10, 10, 20, 20, kWhite);
  Frame::Quad(l, 100, 10, 110, 20, kRed);                // recoloured
  Frame::Quad(l, 302, 300, 312.5f, 320.25f, kWhite);    // moved by two pixels
  const auto damage = t.Update(f.Data());
  ASSERT_EQ(damage.size(), 2u);
  EXPECT_EQ(damage[0], (DamageRect{100, 10, 110, 20}));
  EXPECT_EQ(damage[1], (DamageRect{300, 300, 313, 321}));  // old and new place, out to whole pixels
}

TEST(Damage, WindowsThatOpenOrCloseDamageWhatTheyCover) {
  DamageTracker t;
  Frame a;
  Frame::Quad(a.List("Board"), 0, 0, 400, 300, kWhite);
  t.Update(a.Data());
  Frame b;
  Frame::Quad(b.List("Board"), 0, 0, 400, 300, kWhite);
  Frame::Quad(b.List("##Tooltip_00"), 200, 100, 260, 140, kWhite);
  EXPECT_EQ(t.Update(b.Data()), (std::vector<DamageRect>{{200, 100, 260, 140}}));
  EXPECT_EQ(t.Update(a.Data()), (std::vector<DamageRect>{{200, 100, 260, 140}}));  // closed again
}

TEST(Damage, WindowsThatSwapPlacesRedrawEverything) {
  DamageTracker t;
  Frame a;
  Frame::Quad(a.List("One"), 0, 0, 40, 40, kWhite);
  Frame::Quad(a.List("Two"), 20, 20, 60, 60, kRed);
  t.Update(a.Data());
  Frame b;
  Frame::Quad(b.List("Two"), 20, 20, 60, 60, kRed);
  Frame::Quad(b.List("One"), 0, 0, 40, 40, kWhite);
  EXPECT_EQ(t.Update(b.Data()), (std::vector<DamageRect>{{0, 0, 800, 600}}));
}

// Callbacks have no vertices: the caller's version says what they draw; a new version damages the
// callback's clip rectangle, and kDrawsNothing is ignored.
TEST(Damage, CallbacksAreVersionedByTheCaller) {
  uint64_t version = 1;
  auto versions = [&](const ImDrawCmd& cmd) { return cmd.UserCallbackData ? version : DamageTracker::kDrawsNothing; };
  auto frame = [](Frame& f) {
    ImDrawList& l = f.List("Board");
    static int job;
    Frame::Callback(l, &Board, &job, {100, 50, 500, 350});
    Frame::Callback(l, &Board, nullptr, {0, 0, 800, 600});  // state only
    Frame::Quad(l, 120, 60, 130, 70, kWhite, {100, 50, 500, 350});
  };
  DamageTracker t;
  Frame a, b, c;
  frame(a), frame(b), frame(c);
  t.Update(a.Data(), versions);
  EXPECT_TRUE(t.Update(b.Data(), versions).empty());
  version = 2;
  EXPECT_EQ(t.Update(c.Data(), versions), (std::vector<DamageRect>{{100, 50, 500, 350}}));
}

// Restricting the draw data to a region: clip rectangles shrink to it, commands outside it draw
// nothing, triangles that miss it are left out; Restore puts every byte back.
TEST(Damage, ClipDrawDataRestrictsAndRestores) {
  Frame f;
  ImDrawList& l = f.List("Board");
  Frame::Quad(l, 10, 10, 20, 20, kWhite);      // inside the region
  Frame::Quad(l, 600, 500, 610, 510, kWhite);  // outside, in the same clip rectangle:
  l.CmdBuffer[0].ElemCount = 12;               // one command for both quads
  l.CmdBuffer.pop_back();
  Frame::Quad(l, 700, 10, 710, 20, kWhite, {650, 0, 800, 100});  // a command wholly outside
  ImDrawData& dd = f.Data();
  const std::vector<ImDrawIdx> indices(l.IdxBuffer.begin(), l.IdxBuffer.end());
  {
    ClipDrawData clip(dd, {0, 0, 100, 100});
    ASSERT_EQ(l.CmdBuffer.Size, 2);
    EXPECT_EQ(l.CmdBuffer[0].ElemCount, 6u);  // the far quad's two triangles are left out
    EXPECT_EQ(l.CmdBuffer[0].ClipRect.z, 100);
    EXPECT_EQ(l.CmdBuffer[1].ElemCount, 0u);
  }
  EXPECT_EQ(l.CmdBuffer[0].ElemCount, 12u);
  EXPECT_EQ(l.CmdBuffer[0].ClipRect.z, 800);
  EXPECT_EQ(l.CmdBuffer[1].ElemCount, 6u);
  EXPECT_EQ(std::vector<ImDrawIdx>(l.IdxBuffer.begin(), l.IdxBuffer.end()), indices);
}

}  // namespace
}  // namespace blackboard
