// Board registry and shared board furniture.
#include "board.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

#include "blackboard/assets.hpp"

namespace blackboard {

namespace {
std::vector<BoardInfo>& Registry() {
  static std::vector<BoardInfo> boards;
  return boards;
}
// The lecture's order; boards not listed come after, by name.
int LectureOrder(const std::string& name) {
  static const char* const order[] = {"batch", "roofline", "moe-rack", "pipeline-serving",
                                      "pipeline-training", "memory", "sharding", "gradient-flow",
                                      "collectives", "plans", "budget", "context", "cache",
                                      "serving-queue"};
  for (int i = 0; i < static_cast<int>(std::size(order)); ++i)
    if (name == order[i]) return i;
  return 1000;
}
}  // namespace

bool RegisterBoard(BoardInfo info) {
  auto& r = Registry();
  r.push_back(std::move(info));
  std::stable_sort(r.begin(), r.end(), [](const BoardInfo& a, const BoardInfo& b) {
    const int oa = LectureOrder(a.name), ob = LectureOrder(b.name);
    return oa != ob ? oa < ob : a.name < b.name;
  });
  return true;
}

const std::vector<BoardInfo>& AllBoards() { return Registry(); }

Scene BuildBoard(const BoardInfo& board, const BoardContext& ctx) {
  // Training degrees 0 = auto: every board draws the degrees the engines resolve (scenario.hpp).
  const Scenario resolved = WithResolvedDegrees(ctx.scenario);
  std::optional<Scenario> from;
  if (ctx.morph_from) from = WithResolvedDegrees(*ctx.morph_from);
  const BoardContext c{resolved, ctx.theme, ctx.time_s, ctx.width, ctx.height, from ? &*from : nullptr, ctx.morph};
  Scene s = board.build(c);
  s.chalk = ctx.theme.chalk;
  return s;
}

const BoardInfo* FindBoard(const std::string& name) {
  for (const auto& b : Registry())
    if (b.name == name) return &b;
  return nullptr;
}

const Control* DraggedControl(const BoardInfo& board) {
  auto slider = [](const Control& c) { return c.choices.empty() && c.choices_kind.empty() && c.max > c.min; };
  for (const Control& c : board.controls)
    if (c.field == board.sweep_field && slider(c)) return &c;
  for (const Control& c : board.controls)  // a log slider (a batch, a size) is valid across its range
    if (slider(c) && c.log) return &c;
  for (const Control& c : board.controls)
    if (slider(c)) return &c;
  return nullptr;
}

std::string DragStep::Set() const {
  char buf[160];
  std::snprintf(buf, sizeof buf, "%s=%.17g", field.c_str(), value);
  return buf;
}

std::optional<DragStep> DragSweepValue(const BoardInfo& board, int frame) {
  const Control* c = DraggedControl(board);
  if (!c) return std::nullopt;
  const int k = frame % 120;
  const double t = (k < 60 ? k : 120 - k) / 60.0;
  double v = c->log && c->min > 0 ? c->min * std::pow(c->max / c->min, t) : c->min + (c->max - c->min) * t;
  if (c->integer) v = std::round(v);
  return DragStep{c->field, v};
}

Control HardwareControl() {
  Control c;
  c.field = "hardware";
  c.label = "hardware";
  c.choices_kind = "hardware";
  return c;
}

Control ModelControl() {
  Control c;
  c.field = "model";
  c.label = "model";
  c.choices_kind = "models";
  return c;
}

void DrawBoardTitle(Scene& s, const Theme& th, const std::string& title, const std::string& subtitle) {
  s.title = title;
  s.Text({40, 24}, title, th.title_size, th.ink, th.TitleFace(), HAlign::kLeft, VAlign::kTop, "title");
  if (!subtitle.empty())
    s.Text({42, 24 + th.title_size * 1.25f}, subtitle, th.note_size, th.ink_dim, FontFace::kUi, HAlign::kLeft,
           VAlign::kTop, "subtitle");
}

}  // namespace blackboard
