// Damage tracking. Index: rectangles | hashing a draw list | the frame-to-frame diff | clipping.
#include "damage.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string_view>

#include <imgui.h>

namespace blackboard {

// ---------------------------------------------------------------- rectangles

DamageRect Union(DamageRect a, DamageRect b) {
  if (a.Empty()) return b;
  if (b.Empty()) return a;
  return {std::min(a.x0, b.x0), std::min(a.y0, b.y0), std::max(a.x1, b.x1), std::max(a.y1, b.y1)};
}

DamageRect Intersect(DamageRect a, DamageRect b) {
  return {std::max(a.x0, b.x0), std::max(a.y0, b.y0), std::min(a.x1, b.x1), std::min(a.y1, b.y1)};
}

DamageRect BackendScissor(const ImDrawData& dd, float x0, float y0, float x1, float y1) {
  const float sx = dd.FramebufferScale.x, sy = dd.FramebufferScale.y;
  const float fb_h = dd.DisplaySize.y * sy;
  // As imgui_impl_opengl3.cpp: glScissor((int)min.x, (int)(fb_height - max.y), (int)(max.x - min.x),
  // (int)(max.y - min.y)) with min/max in framebuffer pixels.
  const float px = std::trunc((x0 - dd.DisplayPos.x) * sx), pw = std::trunc((x1 - x0) * sx);
  const float gy = std::trunc(fb_h - (y1 - dd.DisplayPos.y) * sy), ph = std::trunc((y1 - y0) * sy);
  const float bottom = fb_h - gy, top = bottom - ph;
  return {dd.DisplayPos.x + px / sx, dd.DisplayPos.y + top / sy, dd.DisplayPos.x + (px + pw) / sx,
          dd.DisplayPos.y + bottom / sy};
}

std::vector<DamageRect> MergeDamage(std::vector<DamageRect> rects, size_t max_rects) {
  std::erase_if(rects, [](const DamageRect& r) { return r.Empty(); });
  // Overlapping rectangles become their union (repeat: a union can reach a third rectangle).
  for (bool merged = true; merged;) {
    merged = false;
    for (size_t i = 0; i < rects.size() && !merged; ++i)
      for (size_t j = i + 1; j < rects.size() && !merged; ++j)
        if (!Intersect(rects[i], rects[j]).Empty()) {
          rects[i] = Union(rects[i], rects[j]);
          rects.erase(rects.begin() + static_cast<std::ptrdiff_t>(j));
          merged = true;
        }
  }
  // Too many: merge the pair whose union adds the least area beyond the two (a few passes at most).
  while (rects.size() > std::max<size_t>(1, max_rects)) {
    size_t bi = 0, bj = 1;
    float best = 1e30f;
    for (size_t i = 0; i < rects.size(); ++i)
      for (size_t j = i + 1; j < rects.size(); ++j) {
        const float waste = Union(rects[i], rects[j]).Area() - rects[i].Area() - rects[j].Area();
        if (waste < best) best = waste, bi = i, bj = j;
      }
    rects[bi] = Union(rects[bi], rects[bj]);
    rects.erase(rects.begin() + static_cast<std::ptrdiff_t>(bj));
  }
  return rects;
}

// ---------------------------------------------------------------- hashing a draw list

namespace {

uint64_t Mix(uint64_t h, uint64_t w) {
  h ^= w + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
  h *= 0xFF51AFD7ED558CCDull;
  return h ^ (h >> 29);
}

}  // namespace

uint64_t HashBytes(const void* data, size_t n, uint64_t h) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (; n >= 8; n -= 8, p += 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = Mix(h, w);
  }
  uint64_t tail = 0;
  if (n > 0) std::memcpy(&tail, p, n);  // (an empty buffer's data may be null)
  return Mix(h, tail ^ (static_cast<uint64_t>(n) << 56));
}

namespace {

// The pixels the command can touch (BackendScissor).
DamageRect ClipOf(const ImDrawData& dd, const ImDrawCmd& cmd) {
  return BackendScissor(dd, cmd.ClipRect.x, cmd.ClipRect.y, cmd.ClipRect.z, cmd.ClipRect.w);
}

// Whole pixels: a triangle touches the pixels its bounding box overlaps.
DamageRect Outward(DamageRect r) {
  return {std::floor(r.x0), std::floor(r.y0), std::ceil(r.x1), std::ceil(r.y1)};
}

// The boxes of the prims of `from` whose hash does not occur (as often) in `in`, both sorted by hash.
void Difference(const std::vector<DamageTracker::Prim>& from, const std::vector<DamageTracker::Prim>& in,
                std::vector<DamageRect>* boxes) {
  size_t j = 0;
  for (const auto& p : from) {
    while (j < in.size() && in[j].hash < p.hash) ++j;
    if (j < in.size() && in[j].hash == p.hash) {
      ++j;  // matched once (a multiset: duplicates match one for one)
      continue;
    }
    boxes->push_back(p.box);
  }
}

// Thousands of small boxes (the triangles of a moved curve, the glyphs of a changed number) as a
// few dozen rectangles: the boxes are marked on a grid of kTile-pixel cells, runs of marked cells in
// a row are joined with identical runs below them, and each rectangle is shrunk to the boxes inside.
// Scattered damage (a scatter plot's dots) makes many rectangles: the caller retries coarser.
std::vector<DamageRect> Coalesce(const std::vector<DamageRect>& boxes, DamageRect display, float kTile) {
  const int cols = std::max(1, static_cast<int>(std::ceil((display.x1 - display.x0) / kTile)));
  const int rows = std::max(1, static_cast<int>(std::ceil((display.y1 - display.y0) / kTile)));
  std::vector<unsigned char> marked(static_cast<size_t>(cols) * static_cast<size_t>(rows), 0);
  auto cell = [&](float v, float origin, int n) {
    return std::clamp(static_cast<int>(std::floor((v - origin) / kTile)), 0, n - 1);
  };
  for (const DamageRect& b : boxes) {
    if (b.Empty()) continue;
    const int c0 = cell(b.x0, display.x0, cols), c1 = cell(b.x1 - 0.5f, display.x0, cols);
    const int r0 = cell(b.y0, display.y0, rows), r1 = cell(b.y1 - 0.5f, display.y0, rows);
    for (int r = r0; r <= r1; ++r) std::fill_n(marked.begin() + r * cols + c0, c1 - c0 + 1, 1);
  }
  struct Run {
    int c0, c1, r0, r1;
  };
  std::vector<Run> done, open;  // open: runs that reached the previous row
  for (int r = 0; r <= rows; ++r) {
    std::vector<Run> next;
    size_t j = 0;  // the next run of the row above not yet continued or closed
    for (int c = 0; r < rows && c < cols;) {
      if (!marked[static_cast<size_t>(r * cols + c)]) {
        ++c;
        continue;
      }
      int e = c;
      while (e + 1 < cols && marked[static_cast<size_t>(r * cols + e + 1)]) ++e;
      // The runs of the row above are in order, as this row's are: walk them alongside.
      while (j < open.size() && open[j].c0 < c) done.push_back(open[j++]);
      if (j < open.size() && open[j].c0 == c && open[j].c1 == e) {
        next.push_back({c, e, open[j++].r0, r});
      } else {
        next.push_back({c, e, r, r});
      }
      c = e + 1;
    }
    done.insert(done.end(), open.begin() + static_cast<std::ptrdiff_t>(j), open.end());
    open = std::move(next);
  }
  // Each run's cells as a rectangle, and each cell's run; then each run shrinks to what the boxes
  // over its cells cover.
  std::vector<int> label(marked.size(), -1);
  std::vector<DamageRect> cells, rects(done.size());
  for (size_t i = 0; i < done.size(); ++i) {
    const Run& run = done[i];
    cells.push_back({display.x0 + static_cast<float>(run.c0) * kTile, display.y0 + static_cast<float>(run.r0) * kTile,
                     display.x0 + static_cast<float>(run.c1 + 1) * kTile,
                     display.y0 + static_cast<float>(run.r1 + 1) * kTile});
    for (int r = run.r0; r <= run.r1; ++r) std::fill_n(label.begin() + r * cols + run.c0, run.c1 - run.c0 + 1, static_cast<int>(i));
  }
  for (const DamageRect& b : boxes) {
    if (b.Empty()) continue;
    const int c0 = cell(b.x0, display.x0, cols), c1 = cell(b.x1 - 0.5f, display.x0, cols);
    const int r0 = cell(b.y0, display.y0, rows), r1 = cell(b.y1 - 0.5f, display.y0, rows);
    int last = -1;
    for (int r = r0; r <= r1; ++r)
      for (int c = c0; c <= c1; ++c) {
        const int l = label[static_cast<size_t>(r * cols + c)];
        if (l == last) continue;  // the same run as the cell before: already counted
        last = l;
        rects[static_cast<size_t>(l)] = Union(rects[static_cast<size_t>(l)], Intersect(b, cells[static_cast<size_t>(l)]));
      }
  }
  return rects;
}

}  // namespace

DamageTracker::ListState DamageTracker::Describe(const ImDrawData& dd, const ImDrawList& list,
                                                 const CallbackVersion& version) {
  ListState s;
  s.name = list._OwnerName ? list._OwnerName : "";
  uint64_t h = HashBytes(list.VtxBuffer.Data, static_cast<size_t>(list.VtxBuffer.Size) * sizeof(ImDrawVert), 1);
  h = HashBytes(list.IdxBuffer.Data, static_cast<size_t>(list.IdxBuffer.Size) * sizeof(ImDrawIdx), h);
  s.prims.reserve(static_cast<size_t>(list.IdxBuffer.Size / 3 + list.CmdBuffer.Size));
  for (const ImDrawCmd& cmd : list.CmdBuffer) {
    const DamageRect clip = ClipOf(dd, cmd);
    // What the command is apart from its vertices: its clip, texture and callback.
    uint64_t key = HashBytes(&cmd.ClipRect, sizeof cmd.ClipRect, 7);
    key = Mix(key, reinterpret_cast<uintptr_t>(cmd.TextureId));
    key = Mix(key, reinterpret_cast<uintptr_t>(cmd.UserCallback));
    if (cmd.UserCallback) {
      s.has_callbacks = true;
      if (cmd.UserCallback == ImDrawCallback_ResetRenderState) continue;  // draws nothing itself
      const uint64_t v = version ? version(cmd) : 0;
      if (v == kDrawsNothing) continue;
      key = Mix(key, v);
      s.prims.push_back({key, clip});
      h = Mix(h, key);
      continue;
    }
    h = Mix(h, Mix(key, (static_cast<uint64_t>(cmd.IdxOffset) << 32) | cmd.ElemCount));
    if (clip.Empty()) continue;
    s.bounds = Union(s.bounds, clip);
    const ImDrawIdx* idx = list.IdxBuffer.Data + cmd.IdxOffset;
    const ImDrawVert* vtx = list.VtxBuffer.Data + cmd.VtxOffset;
    for (unsigned i = 0; i + 2 < cmd.ElemCount; i += 3) {
      uint64_t t = key;
      DamageRect box{1e30f, 1e30f, -1e30f, -1e30f};
      for (unsigned k = 0; k < 3; ++k) {
        const ImDrawVert& v = vtx[idx[i + k]];
        t = HashBytes(&v, sizeof v, t);
        box.x0 = std::min(box.x0, v.pos.x), box.y0 = std::min(box.y0, v.pos.y);
        box.x1 = std::max(box.x1, v.pos.x), box.y1 = std::max(box.y1, v.pos.y);
      }
      box = Intersect(Outward(box), clip);
      if (!box.Empty()) s.prims.push_back({t, box});
    }
  }
  s.hash = h;
  return s;
}

// ---------------------------------------------------------------- the frame-to-frame diff

std::vector<DamageRect> DamageTracker::Update(const ImDrawData& dd, const CallbackVersion& version) {
  std::vector<ListState> now;
  now.reserve(static_cast<size_t>(dd.CmdListsCount));
  for (int i = 0; i < dd.CmdListsCount; ++i) now.push_back(Describe(dd, *dd.CmdLists[i], version));

  const DamageRect display{dd.DisplayPos.x, dd.DisplayPos.y, dd.DisplayPos.x + dd.DisplaySize.x,
                           dd.DisplayPos.y + dd.DisplaySize.y};
  bool full = full_ || dd.DisplaySize.x != display_w_ || dd.DisplaySize.y != display_h_;
  // Windows that swapped places in the drawing order overlap differently: start over.
  auto in_both = [](const std::vector<ListState>& from, const std::vector<ListState>& other) {
    std::vector<std::string_view> names;  // in `from`'s order
    for (const ListState& l : from)
      if (std::any_of(other.begin(), other.end(), [&](const ListState& o) { return o.name == l.name; }))
        names.push_back(l.name);
    return names;
  };
  if (!full) full = in_both(last_, now) != in_both(now, last_);

  std::vector<DamageRect> rects;
  if (!full) {
    std::vector<DamageRect> boxes;
    std::vector<bool> matched(last_.size(), false);
    for (ListState& cur : now) {
      auto it = std::find_if(last_.begin(), last_.end(), [&](const ListState& l) { return l.name == cur.name; });
      if (it == last_.end()) {  // a new window (a tooltip, a popup): everything it draws
        for (const Prim& p : cur.prims) boxes.push_back(p.box);
        continue;
      }
      matched[static_cast<size_t>(it - last_.begin())] = true;
      if (it->hash == cur.hash) continue;
      // What was drawn only last frame must be painted over; what is drawn only now must be painted.
      std::sort(cur.prims.begin(), cur.prims.end());
      if (!std::is_sorted(it->prims.begin(), it->prims.end())) std::sort(it->prims.begin(), it->prims.end());
      Difference(cur.prims, it->prims, &boxes);
      Difference(it->prims, cur.prims, &boxes);
    }
    for (size_t i = 0; i < last_.size(); ++i)  // windows that closed: what they covered
      if (!matched[i])
        for (const Prim& p : last_[i].prims) boxes.push_back(p.box);
    for (DamageRect& b : boxes) b = Intersect(b, display);
    // Coarser cells until few rectangles remain: MergeDamage is quadratic in them.
    for (float tile : {8.0f, 32.0f, 128.0f}) {
      rects = Coalesce(boxes, display, tile);
      if (rects.size() <= 24) break;
    }
    rects = MergeDamage(std::move(rects), kMaxRects);
  } else {
    rects = {display};
  }
  last_ = std::move(now);
  display_w_ = dd.DisplaySize.x, display_h_ = dd.DisplaySize.y;
  full_ = false;
  return rects;
}

// ---------------------------------------------------------------- clipping the draw data

ClipDrawData::ClipDrawData(ImDrawData& dd, DamageRect rect) : draw_data_(&dd) {
  // A triangle is kept when its bounding box comes within a pixel of the rectangle.
  const DamageRect near{rect.x0 - 1, rect.y0 - 1, rect.x1 + 1, rect.y1 + 1};
  for (int i = 0; i < dd.CmdListsCount; ++i) {
    ImDrawList& list = *dd.CmdLists[i];
    const auto* bytes = reinterpret_cast<const unsigned char*>(list.IdxBuffer.Data);
    saved_indices_.emplace_back(bytes, bytes + static_cast<size_t>(list.IdxBuffer.Size) * sizeof(ImDrawIdx));
    for (ImDrawCmd& cmd : list.CmdBuffer) {
      saved_.push_back({{cmd.ClipRect.x, cmd.ClipRect.y, cmd.ClipRect.z, cmd.ClipRect.w}, cmd.ElemCount});
      // Exactly the pixels a full redraw lets through, within the rectangle (`rect` is whole pixels,
      // so the backend's truncation maps these edges back to themselves).
      const DamageRect c = Intersect(ClipOf(dd, cmd), rect);
      if (c.Empty()) {
        cmd.ClipRect = {rect.x0, rect.y0, rect.x0, rect.y0};
        cmd.ElemCount = 0;  // a draw of nothing, whatever the backend does with an empty scissor
        continue;
      }
      cmd.ClipRect = {c.x0, c.y0, c.x1, c.y1};
      if (cmd.UserCallback) continue;
      // Keep the triangles that can touch the rectangle, in order, at the front of the command's range.
      ImDrawIdx* idx = list.IdxBuffer.Data + cmd.IdxOffset;
      const ImDrawVert* vtx = list.VtxBuffer.Data + cmd.VtxOffset;
      unsigned kept = 0;
      for (unsigned t = 0; t + 2 < cmd.ElemCount; t += 3) {
        const ImVec2 a = vtx[idx[t]].pos, b = vtx[idx[t + 1]].pos, d = vtx[idx[t + 2]].pos;
        const DamageRect box{std::min({a.x, b.x, d.x}), std::min({a.y, b.y, d.y}), std::max({a.x, b.x, d.x}),
                             std::max({a.y, b.y, d.y})};
        if (box.x1 < near.x0 || box.x0 > near.x1 || box.y1 < near.y0 || box.y0 > near.y1) continue;
        if (kept != t) std::copy_n(idx + t, 3, idx + kept);
        kept += 3;
      }
      cmd.ElemCount = kept;
    }
  }
}

void ClipDrawData::Restore() {
  if (restored_) return;
  restored_ = true;
  size_t k = 0;
  for (int i = 0; i < draw_data_->CmdListsCount; ++i) {
    ImDrawList& list = *draw_data_->CmdLists[i];
    const std::vector<unsigned char>& bytes = saved_indices_[static_cast<size_t>(i)];
    if (!bytes.empty()) std::memcpy(list.IdxBuffer.Data, bytes.data(), bytes.size());
    for (ImDrawCmd& cmd : list.CmdBuffer) {
      const Saved& s = saved_[k++];
      cmd.ClipRect = {s.clip[0], s.clip[1], s.clip[2], s.clip[3]};
      cmd.ElemCount = s.elem_count;
    }
  }
}

}  // namespace blackboard
