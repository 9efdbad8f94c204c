// Boards to scale, or labelled as not (issue 16 part B), each figure held to the engine's one
// evaluation: the batch board's HBM limit and B = 1, the roofline's caption, the serving-queue period
// (pricing_boards_test), the memory board's fixed scale, context's price axis, moe-rack's domain,
// human time ticks, and no raw field names on these boards.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "blackboard/assets.hpp"
#include "blackboard/lecture.hpp"
#include "blackboard/report.hpp"
#include "blackboard/serving.hpp"
#include "scene/board.hpp"
#include "scene/plot.hpp"
#include "scene/text_format.hpp"
#include "scene/theme.hpp"

namespace blackboard {
namespace {

Scene Build(const std::string& board, const Scenario& s, const std::string& theme = "print") {
  const BoardInfo* b = FindBoard(board);
  EXPECT_NE(b, nullptr) << board;
  return BuildBoard(*b, BoardContext{s, GetTheme(theme), b->still_time_s, 1600, 900});
}

std::vector<const TextShape*> Texts(const Scene& s, const std::string& role = {}) {
  std::vector<const TextShape*> out;
  for (const Shape& sh : s.shapes)
    if (const auto* t = std::get_if<TextShape>(&sh); t && (role.empty() || t->role == role)) out.push_back(t);
  return out;
}

int CountText(const Scene& s, const std::string& needle) {
  int n = 0;
  for (const TextShape* t : Texts(s)) n += t->text.find(needle) != std::string::npos;
  return n;
}

int CountRects(const Scene& s, const std::string& role) {
  int n = 0;
  for (const Shape& sh : s.shapes)
    if (const auto* r = std::get_if<RectShape>(&sh); r && r->role == role) ++n;
  return n;
}

TEST(BatchBoard, ShadesWhatDoesNotFitAndMarksTheLargestThatDoes) {
  const Scenario sc = DefaultScenario();
  const ServingReport r = EvaluateServing(sc);
  ASSERT_GT(r.max_batch, 1);
  const Scene s = Build("batch", sc);
  // Both plots: the overflow shaded, the largest batch that fits named with the engine's figure.
  EXPECT_EQ(CountRects(s, "shade"), 2);
  EXPECT_EQ(CountText(s, "fits up to B = " + Fmt("%.0f", r.max_batch)), 2);
  EXPECT_EQ(CountText(s, "does not fit in HBM"), 2);
  // A context short enough that every batch on the axis fits: nothing shaded.
  Scenario small = sc;
  small.serving.context = 128;
  ASSERT_GT(EvaluateServing(small).max_batch, 5000);
  EXPECT_EQ(CountRects(Build("batch", small), "shade"), 0);
}

TEST(BatchBoard, CostCurveReachesBatchOne) {
  const Scenario sc = DefaultScenario();
  const ServingModel m = MakeServingModel(sc);
  const double chips = m.chips_per_stage * m.stages;
  // $ per M tokens at B = 1: the step's seconds x chips x $/chip-s / 1 token x 1e6 (lecture §1.3).
  const double at_one = m.Decode(1).step_s * chips * m.usd_per_chip_s * 1e6;
  const Scene s = Build("batch", sc);
  EXPECT_EQ(CountText(s, "B = 1: " + FormatUsd(at_one) + " / M tok"), 1);
  EXPECT_GT(at_one, 20 * m.Decode(sc.serving.batch).step_s * chips * m.usd_per_chip_s * 1e6 / sc.serving.batch);
}

TEST(RooflineBoard, CaptionDerivesTheIntensityItShows) {
  const Scenario sc = DefaultScenario();
  const Scene s = Build("roofline", sc);
  std::string panel, caption;
  for (const TextShape* t : Texts(s, "panel")) {
    if (t->text.rfind("intensity  ", 0) == 0 && panel.empty()) panel = t->text;
    if (t->text.rfind("decode: B·r / (1 + KV/weights) = ", 0) == 0) caption = t->text;
  }
  ASSERT_FALSE(panel.empty());
  ASSERT_FALSE(caption.empty());
  // "intensity  28.4 FLOP/B" beside "... = 28.4": the same number; and the caption's arithmetic holds.
  const std::string shown = panel.substr(11, panel.find(" FLOP/B") - 11);
  EXPECT_EQ(caption.substr(caption.rfind("= ") + 2), shown);
  std::smatch mt;
  const std::string tail = caption.substr(caption.find(") = ") + 4);
  ASSERT_TRUE(std::regex_match(tail, mt, std::regex(R"(([0-9.]+) x ([0-9.]+) / ([0-9.]+) = ([0-9.]+))")));
  EXPECT_NEAR(std::stod(mt[1]) * std::stod(mt[2]) / std::stod(mt[3]), std::stod(mt[4]), 0.06 * std::stod(mt[4]));
  EXPECT_EQ(CountText(s, "Intensity ≈ batch"), 0);  // the old caption, false beside 28.4
}

TEST(MemoryBoard, OneScaleWhicheverModeIsSelected) {
  Scenario a = DefaultScenario(), b = a;
  a.training.recompute = "selective";
  b.training.recompute = "reversible";
  std::vector<std::string> ticks_a, ticks_b;
  // The scenes outlive the loops: Texts() points into them (a temporary Scene in the range-init dies
  // before the loop body runs: ASan's heap-use-after-free).
  const Scene scene_a = Build("memory", a), scene_b = Build("memory", b);
  for (const TextShape* t : Texts(scene_a, "tick")) ticks_a.push_back(t->text);
  for (const TextShape* t : Texts(scene_b, "tick")) ticks_b.push_back(t->text);
  EXPECT_FALSE(ticks_a.empty());
  EXPECT_EQ(ticks_a, ticks_b);  // reversible's flat band is drawn on the scale of the modes that stash
  // The small multiples' scale reaches HBM: a band of a few GB does not fill its panel.
  EXPECT_EQ(CountText(Build("memory", b), " x " + FormatBytes(a.hardware.hbm_bytes * 1.05)), 1);
}

TEST(ContextBoard, PriceOnTheEnginesDollarAxis) {
  const Scene s = Build("context", DefaultScenario());
  EXPECT_EQ(CountText(s, "scale x"), 0);
  EXPECT_EQ(CountText(s, "price sheet, $ per M tokens: output $12 → $18"), 1);
}

TEST(MoeRackBoard, DrawsThePresetsNvlinkDomain) {
  Scenario h100 = DefaultScenario();
  ASSERT_EQ(h100.hardware.scaleup_domain, 8);
  EXPECT_EQ(CountText(Build("moe-rack", h100), "8 GPUs: one " + h100.hardware.name + " NVLink domain of 8"), 1);
  Scenario gb = DefaultScenario();
  ApplySet(gb, "hardware=gb200-nvl72");
  // 256 experts over a 72-GPU domain: the largest even split, 64 GPUs of 4 experts.
  EXPECT_EQ(CountText(Build("moe-rack", gb), "64 GPUs: one gb200-nvl72 NVLink domain of 72, 4 experts each"), 1);
}

TEST(HumanTime, LongLogAxesTickInMinutesHoursDays) {
  const std::vector<double> t = HumanTimeTicks(1e-3, 1e6, 20);
  for (double v : {1e-3, 1.0, 60.0, 3600.0, 86400.0, 7 * 86400.0})
    EXPECT_NE(std::find(t.begin(), t.end(), v), t.end()) << v;
  EXPECT_LE(HumanTimeTicks(1e-3, 1e6, 4).size(), 4u);
  const Scene cache = Build("cache", DefaultScenario());
  std::vector<std::string> ticks;
  for (const TextShape* tx : Texts(cache, "tick")) ticks.push_back(tx->text);
  EXPECT_NE(std::find(ticks.begin(), ticks.end(), "1 h"), ticks.end());
  EXPECT_NE(std::find(ticks.begin(), ticks.end(), "1 min"), ticks.end());
  for (const std::string& tx : ticks) EXPECT_EQ(tx.find("00000 s"), std::string::npos) << tx;
}

TEST(ToScaleBoards, NoRawFieldNamesInTheirTexts) {
  const std::regex field(R"(\b(serving|training|cluster|model|budget|hardware)\.[a-z_]+)");
  const std::set<std::string> boards = {"batch", "roofline", "serving-queue", "memory", "budget",
                                        "cache", "context",  "moe-rack",      "plans",  "pipeline-training"};
  std::vector<std::pair<std::string, Scenario>> cases;
  for (const std::string& b : boards) cases.push_back({b, DefaultScenario()});
  // And every step of the default lecture that shows one of these boards.
  std::vector<std::string> names;
  for (const BoardInfo& b : AllBoards()) names.push_back(b.name);
  for (const LectureStep& st : LoadLectureFile(AssetDir() + "/lectures/default.json", names).steps)
    if (boards.count(st.board)) cases.push_back({st.board, st.scenario});
  for (const auto& [board, scenario] : cases) {
    const Scene scene = Build(board, scenario);  // alive while Texts() points into it
    for (const TextShape* t : Texts(scene)) EXPECT_FALSE(std::regex_search(t->text, field)) << board << ": " << t->text;
  }
}

}  // namespace
}  // namespace blackboard
