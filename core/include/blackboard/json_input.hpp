// The one gate every JSON document the program reads passes through: scenario
// files, lecture files, the GUI session, `--set` values, price sheets, hardware
// and model presets.
//
// ParseJsonInput parses text with these limits and throws ScenarioError (one
// line naming the source, the field path and the limit) past any of them:
//   - size: at most kMaxJsonBytes (16 MiB) of text;
//   - depth: at most kMaxJsonDepth (64) nested arrays/objects (1,000,000
//   brackets stop at the 65th,
//     in linear time, without recursion);
//   - keys: at most kMaxJsonKeyBytes (256) bytes, no duplicate key in one
//   object;
//   - text: no control characters (U+0000..U+001F other than tab, newline,
//   carriage return, and
//     U+007F) in any key or string: they would end up in SVG, terminals and
//     status lines.
// Syntax errors (and numbers out of range) are reported as "(syntax) is not
// valid JSON: ...".
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace blackboard {

inline constexpr std::size_t kMaxJsonBytes = 16u * 1024u * 1024u;
inline constexpr int kMaxJsonDepth = 64;
inline constexpr std::size_t kMaxJsonKeyBytes = 256;

// Parses `text` (read from `source`); throws ScenarioError on a limit or a
// syntax error.
nlohmann::json ParseJsonInput(const std::string& text, const std::string& source);

// Like ParseJsonInput, but returns nothing when `text` is not JSON at all (a
// `--set` bare word); limits (depth, size, keys, control characters) still
// throw.
std::optional<nlohmann::json> TryParseJsonInput(const std::string& text, const std::string& source,
                                                const std::string& field);

// Reads and parses a JSON file through the gate: ScenarioError(path, "(file)",
// ...) when the file is missing, not a regular file or larger than
// kMaxJsonBytes (checked before reading).
nlohmann::json ReadJsonFile(const std::string& path);

// The first control character ("\u0007") in `text`, or "" when it has none (tab, newline and
// carriage return are allowed in text, unless `in_key`: keys and field names hold none).
std::string FirstControlCharacter(const std::string& text, bool in_key = false);

// `text` with every control character written as \uXXXX: an error message stays one line.
std::string OneLine(const std::string& text);

// `text` cut to at most `max_bytes` bytes (not inside a UTF-8 sequence) with
// "..." when cut: error messages never repeat a 10 MB key.
std::string Abbreviate(const std::string& text, std::size_t max_bytes = 60);
// A JSON value for an error message: compact, invalid UTF-8 replaced,
// abbreviated to 60 bytes.
std::string ShowJson(const nlohmann::json& v);

}  // namespace blackboard
