// Lectures: a list of steps, each a board, a scenario and the chalk annotations shown with it.
//
// File format (assets/lectures/*.json):
//   {"title": "...", "steps": [
//     {"board": "batch", "title": "Batch size against cost",
//      "scenario": {...inline scenario...} | "scenario": "../scenarios/x.json" (relative to the file),
//      "set": {"serving.batch": 256, "model": "deepseek-v3"},   // changes to the previous step's scenario
//      "time": 0.4, "play": true,                                // animation moment, or play it
//      "annotations": [{"kind": "text", "at": [800, 120], "text": "latency floor!"},
//                      {"kind": "arrow", "from": [700, 200], "to": [600, 400]},
//                      {"kind": "circle", "at": [640, 480], "radius": 40},
//                      {"kind": "stroke", "points": [[x, y], ...]},
//                      {"kind": "formula", "at": [900, 700], "text": "B* = FLOPs/BW x N_total/N_active"}]}]}
// Step 1 starts from the default scenario. Coordinates are board pixels (1600 x 900).
// Errors name the file, the step and the field: `talk.json: steps[3].board = "bach" is not a board;
// known: batch, roofline, ...`. Saving writes atomically and keeps the file's scenario form.
// Limits: the JSON gate of json_input.hpp (16 MiB, depth 64, no duplicate keys or control
// characters); a scenario file named by a step must lie in the lecture's folder (or below) or in the
// assets folder; colours are ChalkColorNames(); a circle's radius is 1 to 900; at most
// kMaxChalkPoints chalk points in one lecture (or one session).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "blackboard/scenario.hpp"

namespace blackboard {

// Every chalk point a lecture (or a session) may hold: a screenful of handwriting is ~10,000.
inline constexpr std::size_t kMaxChalkPoints = 200000;

// The theme colour names chalk may use ("accent" is the default).
const std::vector<std::string>& ChalkColorNames();

struct Annotation {
  std::string kind = "text";  // text | arrow | circle | stroke | formula
  std::vector<std::pair<float, float>> points;  // text/circle/formula: 1 point; arrow: 2; stroke: many
  std::string text;
  float radius = 30;
  std::string color = "accent";  // a theme colour name: accent, ink, compute, memory_bw, ...
};

struct LectureStep {
  std::string board;
  std::string title;
  Scenario scenario;        // fully resolved (default -> file/inline -> set)
  nlohmann::json source;    // the step as written (kept so saving round-trips)
  double time_s = 0;
  bool play = false;
  std::vector<Annotation> annotations;
};

struct Lecture {
  std::string title;
  std::string path;  // "" when built in memory
  std::vector<LectureStep> steps;
};

// `known_boards` are the valid board names (the app's registry); empty = not checked.
Lecture LectureFromJson(const nlohmann::json& doc, const std::string& source,
                        const std::vector<std::string>& known_boards, const std::string& base_dir = ".");
Lecture LoadLectureFile(const std::string& path, const std::vector<std::string>& known_boards);
bool IsLectureJson(const nlohmann::json& doc);  // has a "steps" array

// The JSON Schema (draft 2020-12) of a lecture file (`blackboard schema lecture`); its step scenarios
// and "set" paths come from ScenarioJsonSchema (the field table).
nlohmann::json LectureJsonSchema(const std::vector<std::string>& known_boards);
nlohmann::json AnnotationToJson(const Annotation& a);
// Writes the lecture back (annotations as currently held), atomically.
void SaveLectureFile(const Lecture& lecture, const std::string& path);

}  // namespace blackboard
