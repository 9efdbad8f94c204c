// Chalk annotations (from lecture files or drawn with the mouse) as Scene shapes, on top of a board.
// Strokes get a chalk edge: the stroke plus two faint, slightly offset passes (deterministic), so the
// look survives SVG export without a shader.
#pragma once

#include <vector>

#include "blackboard/lecture.hpp"
#include "scene.hpp"
#include "theme.hpp"

namespace blackboard {

Color ThemeColorByName(const Theme& th, const std::string& name);  // unknown names -> accent
void AddAnnotations(Scene& s, const std::vector<Annotation>& annotations, const Theme& th);
// A chalk polyline (used by annotations and by boards that want a hand-drawn line).
void ChalkPolyline(Scene& s, const std::vector<Vec2>& pts, Color c, float width);

}  // namespace blackboard
