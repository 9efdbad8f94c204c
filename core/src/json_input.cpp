// The JSON input gate (see json_input.hpp): size, depth, key and text limits
// checked while parsing.
#include "blackboard/json_input.hpp"

#include <cstdio>
#include <filesystem>
#include <unordered_set>
#include <vector>

#include "blackboard/assets.hpp"
#include "blackboard/scenario.hpp"

namespace blackboard {

using nlohmann::json;

namespace {

// One open array or object while parsing: where we are in it, for error
// messages and duplicate keys.
struct OpenContainer {
  bool is_array = false;
  std::size_t index = 0;  // arrays: the element being read
  std::string key;        // objects: the key being read
  std::unordered_set<std::string> keys;
};

std::string PathOf(const std::vector<OpenContainer>& open) {
  std::string path;
  for (const OpenContainer& c : open) {
    if (path.size() > 80) return Abbreviate(path, 80);
    if (c.is_array)
      path += "[" + std::to_string(c.index) + "]";
    else if (!c.key.empty())
      path += (path.empty() ? "" : ".") + Abbreviate(c.key, 40);
  }
  return path.empty() ? "(document)" : path;
}

void CheckText(const std::string& text, const std::string& source, const std::string& field) {
  const std::string bad = FirstControlCharacter(text);
  if (!bad.empty())
    throw ScenarioError(
        source, field, ShowJson(json(text)),
        "contains the control character " + bad + "; text may hold no control characters other than tab and newline");
}

// Parses with the limits of json_input.hpp. Syntax errors surface as
// json::exception.
json ParseChecked(const std::string& text, const std::string& source) {
  if (text.size() > kMaxJsonBytes)
    throw ScenarioError(source, "(file)", "",
                        "is " + std::to_string(text.size()) + " bytes; JSON input is limited to 16 MiB (" +
                            std::to_string(kMaxJsonBytes) + " bytes)");
  std::vector<OpenContainer> open;
  const auto element_done = [&open] {
    if (!open.empty() && open.back().is_array) ++open.back().index;
  };
  const json::parser_callback_t check = [&](int depth, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        if (depth >= kMaxJsonDepth)
          throw ScenarioError(
              source, PathOf(open), "",
              "nests more than " + std::to_string(kMaxJsonDepth) + " arrays/objects deep (the limit for JSON input)");
        open.push_back(OpenContainer{event == json::parse_event_t::array_start, 0, {}, {}});
        break;
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        if (!open.empty()) open.pop_back();
        element_done();
        break;
      case json::parse_event_t::key: {
        const std::string& k = parsed.get_ref<const std::string&>();
        OpenContainer& obj = open.back();
        obj.key.clear();
        const std::string at = PathOf(open);
        const std::string field = (at == "(document)" ? "" : at + ".") + Abbreviate(k, 40);
        if (k.size() > kMaxJsonKeyBytes)
          throw ScenarioError(source, field, "",
                              "is a key of " + std::to_string(k.size()) + " bytes; keys are at most " +
                                  std::to_string(kMaxJsonKeyBytes) + " bytes");
        if (const std::string bad = FirstControlCharacter(k, /*in_key=*/true); !bad.empty())
          throw ScenarioError(source, field, "", "contains the control character " + bad + "; keys may hold none");
        if (!obj.keys.insert(k).second)
          throw ScenarioError(source, field, "", "appears twice in one object (duplicate keys are not allowed)");
        obj.key = k;
        break;
      }
      case json::parse_event_t::value:
        if (parsed.is_string()) CheckText(parsed.get_ref<const std::string&>(), source, PathOf(open));
        element_done();
        break;
    }
    return true;
  };
  return json::parse(text, check, /*allow_exceptions=*/true);
}

}  // namespace

std::string Abbreviate(const std::string& text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t cut = max_bytes > 3 ? max_bytes - 3 : 0;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
  return text.substr(0, cut) + "...";
}

std::string ShowJson(const json& v) { return Abbreviate(v.dump(-1, ' ', false, json::error_handler_t::replace), 60); }

namespace {
bool IsControl(unsigned char c, bool in_key) {
  return (c < 0x20 && (in_key || (c != '\t' && c != '\n' && c != '\r'))) || c == 0x7F;
}

std::string Escaped(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\u%04x", c);
  return buf;
}
}  // namespace

std::string FirstControlCharacter(const std::string& text, bool in_key) {
  for (const char ch : text)
    if (IsControl(static_cast<unsigned char>(ch), in_key)) return Escaped(static_cast<unsigned char>(ch));
  return "";
}

std::string OneLine(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    out += IsControl(c, true) ? Escaped(c) : std::string(1, ch);
  }
  return out;
}

json ParseJsonInput(const std::string& text, const std::string& source) {
  try {
    return ParseChecked(text, source);
  } catch (const json::exception& e) {  // parse_error, or out_of_range for numbers like 1e400
    throw ScenarioError(source, "(syntax)", "", std::string("is not valid JSON: ") + e.what());
  }
}

std::optional<json> TryParseJsonInput(const std::string& text, const std::string& source, const std::string& field) {
  try {
    return ParseChecked(text, source);
  } catch (const ScenarioError& e) {
    // Name the field the text was given for (a --set value), not a path inside
    // it.
    throw ScenarioError(source, field + (e.field() == "(document)" ? "" : " " + e.field()), e.value(), e.allowed());
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

json ReadJsonFile(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw ScenarioError(path, "(file)", "", "cannot be read (missing or not a file)");
  const auto bytes = fs::file_size(path, ec);
  if (!ec && bytes > kMaxJsonBytes)
    throw ScenarioError(path, "(file)", "",
                        "is " + std::to_string(bytes) + " bytes; JSON input is limited to 16 MiB (" +
                            std::to_string(kMaxJsonBytes) + " bytes)");
  std::string text;
  try {
    text = ReadTextFile(path);
  } catch (const std::exception&) {
    throw ScenarioError(path, "(file)", "", "cannot be read (missing or not a file)");
  }
  return ParseJsonInput(text, path);
}

}  // namespace blackboard
