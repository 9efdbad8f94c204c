// Board registry and shared board furniture.
#include "board.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

#include "annotations.hpp"
#include "blackboard/assets.hpp"
#include "blackboard/layout.hpp"
#include "layout_check.hpp"

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
// On a canvas small enough that the small type stopped shrinking (kMinTextPx), text is larger than
// the layout it was placed in: secondary labels that now collide are dropped, as a small canvas
// should, instead of overprinting. A text is secondary unless it is the board's title, subtitle, a
// plot's title or an axis label; of two colliding texts the smaller goes (the later one when they
// are the same size), and a secondary text that leaves the canvas goes too. Backing patches drawn
// for a dropped label (role "<role>-backing", just before it) go with it.
void DropCollidingSecondaryText(Scene& scene) {
  auto primary = [](const TextShape& t) {
    return t.role == "title" || t.role == "subtitle" || t.role == "plot-title" || t.role == "axis-label";
  };
  struct Item {
    size_t index;
    const TextShape* text;
    Box box;
  };
  std::vector<Item> texts;
  for (size_t i = 0; i < scene.shapes.size(); ++i)
    if (const auto* t = std::get_if<TextShape>(&scene.shapes[i]))
      if (t->text.find_first_not_of(' ') != std::string::npos && t->color.a > 0) texts.push_back({i, t, TextBounds(*t)});
  std::vector<bool> drop(scene.shapes.size(), false);
  const Box canvas{{-0.5f, -0.5f}, {scene.width + 0.5f, scene.height + 0.5f}};
  // Larger and primary text first: each text is kept unless it collides with one kept before it.
  std::vector<size_t> order(texts.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    const bool pa = primary(*texts[a].text), pb = primary(*texts[b].text);
    if (pa != pb) return pa;
    return texts[a].text->size > texts[b].text->size;
  });
  std::vector<size_t> kept;
  for (size_t k : order) {
    const Item& it = texts[k];
    bool collides = false;
    if (!primary(*it.text)) {
      const Box& b = it.box;
      collides = b.min.x < canvas.min.x || b.min.y < canvas.min.y || b.max.x > canvas.max.x || b.max.y > canvas.max.y;
      for (size_t j : kept) {
        if (collides) break;
        const Item& o = texts[j];
        if (o.text->text == it.text->text && o.text->pos == it.text->pos) continue;
        collides = BoxesOverlap(b, o.box, kTextOverlapTolerance * std::min(o.text->size, it.text->size));
      }
    }
    if (!collides) {
      kept.push_back(k);
      continue;
    }
    drop[it.index] = true;
    if (it.index > 0)
      if (const auto* r = std::get_if<RectShape>(&scene.shapes[it.index - 1]); r && r->role == it.text->role + "-backing")
        drop[it.index - 1] = true;
  }
  size_t out = 0;
  for (size_t i = 0; i < scene.shapes.size(); ++i)
    if (!drop[i]) {
      if (out != i) scene.shapes[out] = std::move(scene.shapes[i]);  // never onto itself: that empties it
      ++out;
    }
  scene.shapes.resize(out);
}

// What BuildBoard tells DrawBoardTitle about the board being built on this thread (the boards call
// DrawBoardTitle with their own title and subtitle; the common parts are added there).
struct TitleExtras {
  std::string efficiency;  // EfficiencyInForce of the scenario drawn
  std::string note;        // the worked example drawn instead, or ""
};
thread_local const TitleExtras* g_title_extras = nullptr;

}  // namespace

std::optional<std::string> DegenerateReason(const BoardInfo& board, const Scenario& scenario) {
  if (!board.degenerate_reason) return std::nullopt;
  return board.degenerate_reason(WithResolvedDegrees(scenario));
}

Scenario ScenarioDrawn(const BoardInfo& board, const Scenario& scenario, std::string* note) {
  Scenario resolved = WithResolvedDegrees(scenario);
  if (note) note->clear();
  if (!board.degenerate_reason || !board.worked_example) return resolved;
  const std::optional<std::string> why = board.degenerate_reason(resolved);
  if (!why) return resolved;
  try {
    Scenario example = board.worked_example(resolved);
    ValidateScenario(example, board.name + " worked example");
    if (note) *note = "worked example with " + board.worked_example_label + " (" + *why + ")";
    return WithResolvedDegrees(example);
  } catch (const std::exception&) {
    return resolved;  // the example does not validate for this scenario: the board draws what it was given
  }
}

std::optional<std::string> SingleReplicaReason(const Scenario& resolved, const std::string& what) {
  const ParallelPlan plan = PlanFromScenario(resolved);  // dp 0 = auto resolved
  const int replicas = std::max(1, plan.dp) * std::max(1, plan.cp);
  if (replicas > 1) return std::nullopt;
  return "DP = 1: " + what;
}

Scenario DataParallelExample(const Scenario& resolved) {
  Scenario ex = resolved;
  ex.cluster.racks = std::max(1, resolved.cluster.racks) * kExampleDataParallel;
  ex.training.dp = 0;  // auto: the chips over tp·pp·cp, kExampleDataParallel x the one replica
  return ex;
}

std::string EfficiencyInForce(const Scenario& scenario) {
  const std::string label = EfficiencyShortLabel(scenario.efficiency);
  if (label.rfind("calibrated ", 0) == 0) return label.substr(0, label.find(" ("));
  if (label.rfind("custom efficiency", 0) == 0) return "custom efficiency";
  return label;
}

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

float BoardUnit(float width_px, float height_px) {
  return std::max(std::min(width_px / kDesignWidth, height_px / kDesignHeight), kMinBoardUnit);
}

void ScaleScene(Scene& scene, float unit, float width_px, float height_px) {
  scene.width = width_px;
  scene.height = height_px;
  auto box = [unit](Box& b) { b.min = b.min * unit, b.max = b.max * unit; };
  auto points = [unit](std::vector<Vec2>& pts) {
    for (Vec2& p : pts) p = p * unit;
  };
  for (Shape& shape : scene.shapes)
    std::visit(
        [&](auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, RectShape>) {
            box(v.box), v.stroke_width *= unit, v.radius *= unit;
          } else if constexpr (std::is_same_v<T, PolylineShape>) {
            points(v.points), v.width *= unit, v.dash *= unit;
          } else if constexpr (std::is_same_v<T, PolygonShape>) {
            points(v.points);
          } else if constexpr (std::is_same_v<T, BandShape>) {
            points(v.upper), points(v.lower);
          } else if constexpr (std::is_same_v<T, CircleShape>) {
            v.center = v.center * unit, v.radius *= unit, v.stroke_width *= unit;
          } else if constexpr (std::is_same_v<T, TextShape>) {
            v.pos = v.pos * unit, v.size = std::max(v.size * unit, kMinTextPx);
          } else if constexpr (std::is_same_v<T, ArrowShape>) {
            v.from = v.from * unit, v.to = v.to * unit, v.width *= unit, v.head *= unit;
          }
        },
        shape);
  for (HoverRegion& h : scene.hovers) box(h.box);
  for (DragHandle& d : scene.handles) d.pos = d.pos * unit, box(d.track);
}

Scene BuildBoard(const BoardInfo& board, const BoardContext& ctx) {
  // Training degrees 0 = auto: every board draws the degrees the engines resolve (scenario.hpp); a
  // board with nothing to show for them draws its worked example instead, and its subtitle says so.
  TitleExtras extras;
  const Scenario resolved = ScenarioDrawn(board, ctx.scenario, &extras.note);
  extras.efficiency = EfficiencyInForce(resolved);
  struct Restore {
    const TitleExtras* previous;
    ~Restore() { g_title_extras = previous; }
  } restore{g_title_extras};
  g_title_extras = &extras;
  std::optional<Scenario> from;
  if (ctx.morph_from) from = WithResolvedDegrees(*ctx.morph_from);
  const float unit = BoardUnit(ctx.width, ctx.height);
  // The board lays out with the type it will be drawn with: on a small canvas the small sizes stop
  // shrinking at kMinTextPx (the type scale compresses), and the board measures them as such.
  Theme theme = ctx.theme;
  for (float* size : {&theme.title_size, &theme.heading_size, &theme.label_size, &theme.tick_size, &theme.note_size})
    *size = std::max(*size, kMinTextPx / unit);
  theme.min_text_size = kMinTextPx / unit;
  BoardContext logical{resolved, theme, ctx.time_s, ctx.width / unit, ctx.height / unit, from ? &*from : nullptr,
                       ctx.morph};
  Scene s = board.build(logical);
  if (unit != 1) ScaleScene(s, unit, ctx.width, ctx.height);
  if (kMinTextPx / unit > ctx.theme.tick_size) DropCollidingSecondaryText(s);
  s.chalk = ctx.theme.chalk;
  return s;
}

Scene BuildAnnotatedBoard(const BoardInfo& board, const BoardContext& ctx, const std::vector<Annotation>& annotations) {
  Scene scene = BuildBoard(board, ctx);
  AddAnnotations(scene, annotations, ctx.theme);
  return scene;
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

float DrawBoardTitle(Scene& s, const Theme& th, const std::string& title, const std::string& board_subtitle) {
  s.title = title;
  // A title wider than the canvas is set smaller to fit (down to the heading size).
  const float title_w = MeasureTextWidth(title, th.title_size, th.TitleFace());
  const float title_size = std::max(th.heading_size, std::min(th.title_size, th.title_size * (s.width - 80) / title_w));
  s.Text({40, 24}, title, title_size, th.ink, th.TitleFace(), HAlign::kLeft, VAlign::kTop, "title");
  float y = 24 + th.title_size * 1.25f;
  const std::string sep = "  ·  ";
  std::string subtitle = board_subtitle;
  if (g_title_extras) {
    if (!g_title_extras->note.empty()) subtitle = g_title_extras->note + (subtitle.empty() ? "" : sep + subtitle);
    if (subtitle.find(g_title_extras->efficiency) == std::string::npos)
      subtitle += (subtitle.empty() ? "" : sep) + g_title_extras->efficiency;
  }
  if (subtitle.empty()) return y;
  // A subtitle wider than the canvas breaks at its " · " separators, as many lines as it needs.
  const float room = s.width - 84;
  std::vector<std::string> lines{""};
  for (size_t a = 0; a <= subtitle.size();) {
    size_t b = subtitle.find(sep, a);
    if (b == std::string::npos) b = subtitle.size();
    const std::string part = subtitle.substr(a, b - a);
    const std::string joined = lines.back().empty() ? part : lines.back() + sep + part;
    if (!lines.back().empty() && MeasureTextWidth(joined, th.note_size, FontFace::kUi) > room) lines.push_back(part);
    else lines.back() = joined;
    a = b + sep.size();
  }
  for (const std::string& line : lines) {
    s.Text({42, y}, line, th.note_size, th.ink_dim, FontFace::kUi, HAlign::kLeft, VAlign::kTop, "subtitle");
    y += th.note_size * 1.25f;
  }
  return y;
}

}  // namespace blackboard
