// Lecture files: parsing with step-naming errors, and saving annotations back.
#include "blackboard/lecture.hpp"

#include <algorithm>
#include <filesystem>

#include "blackboard/assets.hpp"
#include "blackboard/json_input.hpp"

namespace blackboard {

using nlohmann::json;

namespace {

std::string Show(const json& v) { return ShowJson(v); }

std::pair<float, float> ReadPoint(const json& v, const std::string& src, const std::string& field) {
  if (!v.is_array() || v.size() != 2 || !v[0].is_number() || !v[1].is_number())
    throw ScenarioError(src, field, Show(v), "must be [x, y] in board pixels (1600 x 900)");
  const float x = v[0].get<float>(), y = v[1].get<float>();
  if (x < -100 || x > 1700 || y < -100 || y > 1000)
    throw ScenarioError(src, field, Show(v), "must lie on the board (x 0..1600, y 0..900)");
  return {x, y};
}

Annotation ReadAnnotation(const json& a, const std::string& src, const std::string& field) {
  if (!a.is_object()) throw ScenarioError(src, field, Show(a), "must be an object");
  Annotation out;
  for (auto it = a.begin(); it != a.end(); ++it) {
    const std::string& k = it.key();
    const std::string f = field + "." + k;
    if (k == "kind") {
      static const char* const kinds[] = {"text", "arrow", "circle", "stroke", "formula"};
      if (!it->is_string() || std::none_of(std::begin(kinds), std::end(kinds),
                                           [&](const char* x) { return it->get<std::string>() == x; }))
        throw ScenarioError(src, f, Show(*it), "must be one of: text, arrow, circle, stroke, formula");
      out.kind = it->get<std::string>();
    } else if (k == "at" || k == "from") {
      out.points.insert(out.points.begin(), ReadPoint(*it, src, f));
    } else if (k == "to") {
      out.points.push_back(ReadPoint(*it, src, f));
    } else if (k == "points") {
      if (!it->is_array() || it->size() < 2 || it->size() > 100000)
        throw ScenarioError(src, f, Show(*it), "must be a list of 2 to 100000 [x, y] points");
      for (size_t i = 0; i < it->size(); ++i)
        out.points.push_back(ReadPoint((*it)[i], src, f + "[" + std::to_string(i) + "]"));
    } else if (k == "text") {
      if (!it->is_string()) throw ScenarioError(src, f, Show(*it), "must be a string");
      out.text = it->get<std::string>();
    } else if (k == "radius") {
      if (!it->is_number() || !(it->get<double>() >= 1) || it->get<double>() > 900)
        throw ScenarioError(src, f, Show(*it), "must be a number from 1 to 900");
      out.radius = it->get<float>();
    } else if (k == "color") {
      const auto& names = ChalkColorNames();
      if (!it->is_string() || std::find(names.begin(), names.end(), it->get<std::string>()) == names.end()) {
        std::string list;
        for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
        throw ScenarioError(src, f, Show(*it), "must be a theme colour name: " + list);
      }
      out.color = it->get<std::string>();
    } else {
      throw ScenarioError(src, f, "", "is not an annotation field (kind, at, from, to, points, text, radius, color)");
    }
  }
  const size_t need = out.kind == "arrow" ? 2 : out.kind == "stroke" ? 2 : 1;
  if (out.points.size() < need)
    throw ScenarioError(src, field, Show(a),
                        out.kind == "arrow" ? "an arrow needs \"from\" and \"to\""
                                            : out.kind == "stroke" ? "a stroke needs \"points\"" : "needs \"at\"");
  if ((out.kind == "text" || out.kind == "formula") && out.text.empty())
    throw ScenarioError(src, field, Show(a), "needs a non-empty \"text\"");
  return out;
}

// Whether `target` (canonical) lies in `dir` or below it.
bool IsInside(const std::filesystem::path& target, const std::filesystem::path& dir) {
  std::error_code ec;  // a path the system refuses (too long, ...) contains nothing
  const std::filesystem::path root = std::filesystem::weakly_canonical(dir.empty() ? "." : dir, ec);
  if (ec) return false;
  const auto [end, _] = std::mismatch(root.begin(), root.end(), target.begin(), target.end());
  return end == root.end();
}

// The scenario file a step names, resolved; it must lie under the lecture's folder or the assets.
std::filesystem::path StepScenarioPath(const std::string& name, const std::string& base_dir, const std::string& src,
                                       const std::string& field) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path target = fs::weakly_canonical(fs::path(base_dir) / name, ec);
  if (ec)
    throw ScenarioError(src, field, ShowJson(json(name)),
                        "names a scenario file that cannot be read (" + ec.message() + ")");
  if (!IsInside(target, base_dir) && !IsInside(target, AssetDir()))
    throw ScenarioError(src, field, ShowJson(json(name)),
                        "must name a scenario file in the lecture's folder or the assets folder (" + AssetDir() + ")");
  if (!fs::is_regular_file(target, ec))
    throw ScenarioError(src, field, ShowJson(json(name)),
                        "names a scenario file that cannot be read (" + target.string() + ": missing or not a file)");
  return target;
}

}  // namespace

const std::vector<std::string>& ChalkColorNames() {
  static const std::vector<std::string> names = {"accent",  "ink",     "ink_dim",  "compute", "memory_bw", "memory_cap",
                                                 "network", "forward", "backward", "wgrad",   "kv",        "weights"};
  return names;
}

bool IsLectureJson(const json& doc) { return doc.is_object() && doc.contains("steps") && doc["steps"].is_array(); }

Lecture LectureFromJson(const json& doc, const std::string& src, const std::vector<std::string>& known_boards,
                        const std::string& base_dir) {
  if (!IsLectureJson(doc)) throw ScenarioError(src, "steps", "", "is missing: a lecture is {\"steps\": [...]}");
  Lecture lec;
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (it.key() == "title") {
      if (!it->is_string()) throw ScenarioError(src, "title", Show(*it), "must be a string");
      lec.title = it->get<std::string>();
    } else if (it.key() == "$schema") {  // the editor's JSON Schema link: documentation only
      if (!it->is_string()) throw ScenarioError(src, "$schema", Show(*it), "must be a string (a schema URL)");
    } else if (it.key() != "steps" && it.key() != "description") {
      throw ScenarioError(src, it.key(), "", "is not a lecture field (title, description, steps)");
    }
  }
  const json& steps = doc["steps"];
  if (steps.empty()) throw ScenarioError(src, "steps", "[]", "must have at least one step");
  Scenario current = DefaultScenario();
  std::size_t chalk_points = 0;
  for (size_t i = 0; i < steps.size(); ++i) {
    const std::string at = "steps[" + std::to_string(i) + "]";
    const json& st = steps[i];
    if (!st.is_object()) throw ScenarioError(src, at, Show(st), "must be an object");
    LectureStep step;
    step.source = st;
    for (auto it = st.begin(); it != st.end(); ++it) {
      const std::string& k = it.key();
      const std::string f = at + "." + k;
      if (k == "board") {
        if (!it->is_string()) throw ScenarioError(src, f, Show(*it), "must be a board name");
        step.board = it->get<std::string>();
        if (!known_boards.empty() &&
            std::find(known_boards.begin(), known_boards.end(), step.board) == known_boards.end()) {
          std::string list;
          for (const auto& b : known_boards) list += (list.empty() ? "" : ", ") + b;
          throw ScenarioError(src, f, Show(*it), "is not a board; known: " + list);
        }
      } else if (k == "title") {
        if (!it->is_string()) throw ScenarioError(src, f, Show(*it), "must be a string");
        step.title = it->get<std::string>();
      } else if (k == "scenario") {
        if (it->is_string()) {
          current = LoadScenarioFile(StepScenarioPath(it->get<std::string>(), base_dir, src, f).string());
        } else if (it->is_object()) {
          current = ScenarioFromJson(*it, src + " " + f);
        } else {
          throw ScenarioError(src, f, Show(*it), "must be a scenario object or a scenario file path");
        }
      } else if (k == "time") {
        if (!it->is_number() || it->get<double>() < 0 || it->get<double>() > 1e6)
          throw ScenarioError(src, f, Show(*it), "must be a number of seconds from 0 to 1000000");
        step.time_s = it->get<double>();
      } else if (k == "play") {
        if (!it->is_boolean()) throw ScenarioError(src, f, Show(*it), "must be true or false");
        step.play = it->get<bool>();
      } else if (k == "annotations") {
        if (!it->is_array()) throw ScenarioError(src, f, Show(*it), "must be a list of annotations");
        for (size_t j = 0; j < it->size(); ++j) {
          step.annotations.push_back(ReadAnnotation((*it)[j], src, f + "[" + std::to_string(j) + "]"));
          chalk_points += step.annotations.back().points.size();
          if (chalk_points > kMaxChalkPoints)
            throw ScenarioError(src, f + "[" + std::to_string(j) + "]", "",
                                "brings the chalk points past " + std::to_string(kMaxChalkPoints) +
                                    " (the limit for one lecture)");
        }
      } else if (k != "set" && k != "notes") {
        throw ScenarioError(src, f, "", "is not a step field (board, title, scenario, set, time, play, annotations, notes)");
      }
    }
    if (st.contains("set")) {
      const json& set = st["set"];
      if (!set.is_object()) throw ScenarioError(src, at + ".set", Show(set), "must be an object of field: value");
      for (auto it = set.begin(); it != set.end(); ++it) {
        const json& v = *it;
        ApplySet(current, it.key() + "=" + (v.is_string() ? v.get<std::string>() : v.dump()), src + " " + at + ".set");
      }
      ValidateScenario(current, src + " " + at + ".set");
    }
    if (step.board.empty()) throw ScenarioError(src, at + ".board", "", "is missing: every step names a board");
    step.scenario = current;
    lec.steps.push_back(std::move(step));
  }
  return lec;
}

Lecture LoadLectureFile(const std::string& path, const std::vector<std::string>& known_boards) {
  const json doc = ReadJsonFile(path);
  Lecture lec = LectureFromJson(doc, path, known_boards, std::filesystem::path(path).parent_path().string());
  lec.path = path;
  return lec;
}

json LectureJsonSchema(const std::vector<std::string>& known_boards) {
  json scenario = ScenarioJsonSchema();
  scenario.erase("$schema");  // a subschema here, not a document
  // A step's "set" takes dotted paths (the --set syntax) as well as whole sections.
  json set_props = json::object();
  for (auto& [name, sub] : scenario["properties"].items()) {
    if (name == "$schema") continue;
    set_props[name] = sub;
    const json* object = &sub;
    if (sub.contains("anyOf")) object = &sub["anyOf"].back();
    if (!object->contains("properties")) continue;
    for (auto& [key, value] : (*object)["properties"].items())
      if (key != "preset") set_props[name + "." + key] = value;
  }
  const json point = {
      {"type", "array"},
      {"prefixItems", json::array({json{{"type", "number"}, {"minimum", -100}, {"maximum", 1700}},
                                   json{{"type", "number"}, {"minimum", -100}, {"maximum", 1000}}})},
      {"minItems", 2},
      {"maxItems", 2},
      {"description", "[x, y] in board pixels (the board is 1600 x 900)"}};
  const json annotation = {
      {"type", "object"},
      {"properties",
       {{"kind", {{"type", "string"}, {"enum", {"text", "arrow", "circle", "stroke", "formula"}}}},
        {"at", {{"$ref", "#/$defs/point"}}},
        {"from", {{"$ref", "#/$defs/point"}}},
        {"to", {{"$ref", "#/$defs/point"}}},
        {"points", {{"type", "array"}, {"items", {{"$ref", "#/$defs/point"}}}, {"minItems", 2}, {"maxItems", 100000}}},
        {"text", {{"type", "string"}}},
        {"radius", {{"type", "number"}, {"exclusiveMinimum", 0}, {"maximum", 900}, {"description", "board pixels"}}},
        {"color", {{"type", "string"}, {"description", "A theme colour name: accent, ink, compute, memory_bw, ..."}}}}},
      {"additionalProperties", false}};
  const json scenario_file = {{"type", "string"}, {"description", "A scenario file, relative to the lecture"}};
  const json step = {
      {"type", "object"},
      {"properties",
       {{"board", {{"type", "string"}, {"enum", known_boards}, {"description", "The board this step shows"}}},
        {"title", {{"type", "string"}}},
        {"scenario", {{"anyOf", json::array({scenario_file, json{{"$ref", "#/$defs/scenario"}}})}}},
        {"set",
         {{"type", "object"},
          {"properties", set_props},
          {"patternProperties", {{"^efficiency\\.[^.]+$", {{"type", "number"}}}}},
          {"additionalProperties", false},
          {"description", "Changes to the previous step's scenario, by dotted path (as --set)"}}},
        {"time",
         {{"type", "number"}, {"minimum", 0}, {"maximum", 1000000}, {"description", "Animation moment, seconds"}}},
        {"play", {{"type", "boolean"}, {"description", "Play the board's animation"}}},
        {"annotations", {{"type", "array"}, {"items", {{"$ref", "#/$defs/annotation"}}}}},
        {"notes", {{"type", "string"}, {"description", "Speaker notes"}}}}},
      {"required", {"board"}},
      {"additionalProperties", false}};
  return {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
          {"title", "Blackboard lecture"},
          {"description", "A lecture: steps, each a board, a scenario and chalk annotations (lecture.hpp). "
                          "Generated by `blackboard schema lecture`."},
          {"type", "object"},
          {"properties",
           {{"$schema", {{"type", "string"}}},
            {"title", {{"type", "string"}}},
            {"description", {{"type", "string"}}},
            {"steps", {{"type", "array"}, {"items", {{"$ref", "#/$defs/step"}}}, {"minItems", 1}}}}},
          {"required", {"steps"}},
          {"additionalProperties", false},
          {"$defs", {{"point", point}, {"annotation", annotation}, {"step", step}, {"scenario", scenario}}}};
}

json AnnotationToJson(const Annotation& a) {
  json j{{"kind", a.kind}};
  auto pt = [](std::pair<float, float> p) { return json::array({p.first, p.second}); };
  if (a.kind == "arrow") {
    j["from"] = pt(a.points.at(0));
    j["to"] = pt(a.points.at(1));
  } else if (a.kind == "stroke") {
    json pts = json::array();
    for (const auto& p : a.points) pts.push_back(pt(p));
    j["points"] = pts;
  } else {
    j["at"] = pt(a.points.at(0));
  }
  if (!a.text.empty()) j["text"] = a.text;
  if (a.kind == "circle") j["radius"] = a.radius;
  if (a.color != "accent") j["color"] = a.color;
  return j;
}

void SaveLectureFile(const Lecture& lecture, const std::string& path) {
  json doc;
  if (!lecture.title.empty()) doc["title"] = lecture.title;
  doc["steps"] = json::array();
  namespace fs = std::filesystem;
  const fs::path from_dir = lecture.path.empty() ? fs::current_path() : fs::path(lecture.path).parent_path();
  const fs::path to_dir = fs::path(path).parent_path();
  for (const LectureStep& s : lecture.steps) {
    json st = s.source;
    // Scenario files are relative to the lecture file: keep them pointing at the same file.
    if (st.contains("scenario") && st["scenario"].is_string()) {
      const fs::path target = fs::weakly_canonical(from_dir / st["scenario"].get<std::string>());
      // A file the new folder may not name (outside it and the assets) is written inline instead.
      if (IsInside(target, to_dir) || IsInside(target, AssetDir()))
        st["scenario"] = fs::relative(target, fs::weakly_canonical(to_dir.empty() ? fs::path(".") : to_dir)).string();
      else
        st["scenario"] = ToJson(LoadScenarioFile(target.string()));
    }
    json anns = json::array();
    for (const Annotation& a : s.annotations) anns.push_back(AnnotationToJson(a));
    if (anns.empty())
      st.erase("annotations");
    else
      st["annotations"] = anns;
    doc["steps"].push_back(st);
  }
  WriteFileAtomic(path, doc.dump(2) + "\n");
}

}  // namespace blackboard
