// A/B comparison scenes.
#include "compare.hpp"

#include <cstdio>
#include <cmath>
#include <functional>
#include <map>

#include <nlohmann/json.hpp>

#include "blackboard/report.hpp"
#include "blackboard/serving.hpp"

namespace blackboard {

namespace {

void Flatten(const nlohmann::json& j, const std::string& prefix, std::map<std::string, std::string>& out) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() == "sources" || it.key() == "title") continue;  // documentation, not physics
      Flatten(*it, prefix.empty() ? it.key() : prefix + "." + it.key(), out);
    }
  } else {
    out[prefix] = j.is_string() ? j.get<std::string>() : j.dump();
  }
}

}  // namespace

std::vector<std::string> ScenarioDifferences(const Scenario& a, const Scenario& b) {
  std::map<std::string, std::string> fa, fb;
  Flatten(ToJson(a), "", fa);
  Flatten(ToJson(b), "", fb);
  std::vector<std::string> out;
  // A changed preset is one line ("hardware: h100-sxm -> b200"), not one per number it changes.
  for (const char* preset : {"hardware", "model"}) {
    const std::string key = std::string(preset) + ".name";
    if (fa[key] != fb[key]) out.push_back(std::string(preset) + ": " + fa[key] + " -> " + fb[key]);
  }
  for (const auto& [k, va] : fa) {
    const auto it = fb.find(k);
    if (it == fb.end() || it->second == va) continue;
    const bool in_changed_preset = (k.rfind("hardware.", 0) == 0 && fa["hardware.name"] != fb["hardware.name"]) ||
                                   (k.rfind("model.", 0) == 0 && fa["model.name"] != fb["model.name"]);
    if (!in_changed_preset && k != "hardware.name" && k != "model.name") out.push_back(k + ": " + va + " -> " + it->second);
  }
  return out;
}

void TranslateScene(Scene& s, Vec2 d) {
  for (Shape& sh : s.shapes) {
    std::visit(
        [&](auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, RectShape>) {
            v.box.min = v.box.min + d, v.box.max = v.box.max + d;
          } else if constexpr (std::is_same_v<T, PolylineShape> || std::is_same_v<T, PolygonShape>) {
            for (Vec2& p : v.points) p = p + d;
          } else if constexpr (std::is_same_v<T, BandShape>) {
            for (Vec2& p : v.upper) p = p + d;
            for (Vec2& p : v.lower) p = p + d;
          } else if constexpr (std::is_same_v<T, CircleShape>) {
            v.center = v.center + d;
          } else if constexpr (std::is_same_v<T, TextShape>) {
            v.pos = v.pos + d;
          } else if constexpr (std::is_same_v<T, ArrowShape>) {
            v.from = v.from + d, v.to = v.to + d;
          }
        },
        sh);
  }
  for (HoverRegion& h : s.hovers) h.box.min = h.box.min + d, h.box.max = h.box.max + d;
  for (DragHandle& h : s.handles) h.pos = h.pos + d, h.track.min = h.track.min + d, h.track.max = h.track.max + d;
}

Scene BuildComparison(const BoardInfo& board, const Scenario& a, const Scenario& b, const Theme& th, double time_s) {
  constexpr float kW = kDesignWidth, kH = kDesignHeight, kStrip = 190;
  Scene out(2 * kW, kH + kStrip);
  out.background = th.background;
  out.board_texture = th.board_texture;
  out.chalk = th.chalk;
  Scene sa = BuildBoard(board, BoardContext{a, th, time_s, kW, kH});
  Scene sb = BuildBoard(board, BoardContext{b, th, time_s, kW, kH});
  out.title = sa.title + " (A/B)";
  TranslateScene(sb, {kW, 0});
  for (auto* s : {&sa, &sb}) {
    out.shapes.insert(out.shapes.end(), s->shapes.begin(), s->shapes.end());
    out.hovers.insert(out.hovers.end(), s->hovers.begin(), s->hovers.end());
  }
  out.Line({kW, 10}, {kW, kH + kStrip - 10}, th.ink_dim, 2, 8, "divider");
  out.Text({kW - 30, 20}, "A", th.title_size * 1.4f, th.accent, th.TitleFace(), HAlign::kRight, VAlign::kTop, "ab-label");
  out.Text({2 * kW - 30, 20}, "B", th.title_size * 1.4f, th.accent, th.TitleFace(), HAlign::kRight, VAlign::kTop, "ab-label");

  // The comparison strip: what differs, and what it does to the headline figures.
  const float y0 = kH + 12;
  out.Rect({{20, y0}, {2 * kW - 20, kH + kStrip - 12}}, th.panel, th.accent.WithAlpha(0.5f), 1.5f, 8, "ab-strip");
  out.Text({40, y0 + 14}, "A -> B: what changed", th.heading_size, th.accent, th.TitleFace(), HAlign::kLeft, VAlign::kTop);
  const auto diffs = ScenarioDifferences(a, b);
  // Two columns of four lines each; more than eight differences are counted, not listed.
  const float top = y0 + 14 + th.heading_size * 1.5f, line = th.note_size * 1.45f;
  for (size_t i = 0; i < diffs.size() && i < 8; ++i) {
    const bool last_slot = i == 7 && diffs.size() > 8;
    const std::string text = last_slot ? "... and " + std::to_string(diffs.size() - 7) + " more" : diffs[i];
    out.Text({40 + static_cast<float>(i / 4) * 740, top + static_cast<float>(i % 4) * line}, text, th.note_size,
             last_slot ? th.ink_dim : th.ink, FontFace::kMono, HAlign::kLeft, VAlign::kTop, "ab-diff");
  }
  if (diffs.empty())
    out.Text({40, top}, "(the two scenarios are the same)", th.note_size, th.ink_dim, FontFace::kUi, HAlign::kLeft, VAlign::kTop);
  const ServingReport ra = EvaluateServing(a), rb = EvaluateServing(b);
  struct Row {
    const char* name;
    double va, vb;
    std::function<std::string(double)> fmt;
  };
  const Row rows[] = {{"decode step", ra.decode.step_s, rb.decode.step_s, FormatSeconds},
                      {"tokens/s per chip", ra.tokens_per_s_per_chip, rb.tokens_per_s_per_chip, FormatCount},
                      {"$ / M output tokens", ra.usd_per_mtok_output, rb.usd_per_mtok_output, FormatUsd},
                      {"memory / chip", ra.memory.total, rb.memory.total, FormatBytes}};
  float ry = y0 + 14;
  const float x0 = kW + 40;
  for (const Row& r : rows) {
    char ratio[32];
    std::snprintf(ratio, sizeof ratio, "x%.2f", r.va > 0 ? r.vb / r.va : 0.0);
    const bool changed = std::abs(r.vb - r.va) > 1e-9 * std::max(std::abs(r.va), 1e-30);
    out.Text({x0, ry}, r.name, th.label_size, th.ink_dim, FontFace::kUi, HAlign::kLeft, VAlign::kTop);
    out.Text({x0 + 260, ry}, r.fmt(r.va) + "  ->  " + r.fmt(r.vb), th.label_size, th.ink, FontFace::kMono, HAlign::kLeft,
             VAlign::kTop);
    out.Text({x0 + 660, ry}, ratio, th.label_size, changed ? th.accent : th.ink_dim, FontFace::kMono, HAlign::kLeft,
             VAlign::kTop, changed ? "ab-changed" : "");
    ry += th.label_size * 1.6f;
  }
  return out;
}

}  // namespace blackboard
