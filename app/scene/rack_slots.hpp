// Which racks a board draws when a cluster has thousands (issue 17's work
// budget): up to kMaxDrawnRacks racks all of them; past that the first
// kMaxDrawnRacks - 1 and the last, with an ellipsis slot between them, as a
// lecturer would draw them. Drawing stays linear in what is drawn.
//
// Use: `const RackSlots slots{racks};` then lay out slots.Slots() equal
// columns, draw the racks of slots.Drawn() in column slots.Slot(rack), and skip
// anything whose rack has Slot(rack) < 0.
#pragma once

#include <algorithm>
#include <vector>

namespace blackboard {

inline constexpr int kMaxDrawnRacks = 32;

struct RackSlots {
  int racks = 1;
  bool Elided() const { return racks > kMaxDrawnRacks; }
  // Columns to lay out: one per drawn rack, plus the ellipsis.
  int Slots() const { return Elided() ? kMaxDrawnRacks + 1 : racks; }
  // The ellipsis column (when Elided()).
  int EllipsisSlot() const { return kMaxDrawnRacks - 1; }
  // The column of `rack`, or -1 when it is not drawn.
  int Slot(int rack) const {
    if (!Elided() || rack < kMaxDrawnRacks - 1) return rack;
    return rack == racks - 1 ? kMaxDrawnRacks : -1;
  }
  std::vector<int> Drawn() const {
    std::vector<int> out;
    for (int r = 0; r < std::min(racks, kMaxDrawnRacks - 1); ++r) out.push_back(r);
    if (Elided())
      out.push_back(racks - 1);
    else
      for (int r = kMaxDrawnRacks - 1; r < racks; ++r) out.push_back(r);
    return out;
  }
};

}  // namespace blackboard
