// Asset lookup: hardware, model, scenario, lecture and theme files.
//
// The folder is found in this order: $BLACKBOARD_ASSETS, <exe>/../share/blackboard/assets (an
// install), <exe>/assets, then the source tree's assets/ (a build tree). Presets are JSON files
// named <name>.json in assets/hardware and assets/models.
#pragma once

#include <string>
#include <vector>

#include "blackboard/scenario.hpp"

namespace blackboard {

// Sets the executable path used to find an installed asset folder (call from main).
void SetExecutablePath(const std::string& argv0);
std::string AssetDir();

// Names of the JSON files in assets/<kind> (without .json), sorted.
std::vector<std::string> ListAssets(const std::string& kind);

// Loads a preset; throws ScenarioError(source, field, name, list of known names) if unknown.
Hardware LoadHardwarePreset(const std::string& name, const std::string& source, const std::string& field);
Model LoadModelPreset(const std::string& name, const std::string& source, const std::string& field);

std::string ReadTextFile(const std::string& path);  // throws std::runtime_error naming the path

}  // namespace blackboard
