// Scene -> ImDrawList: the screen (and PNG) interpreter of a Scene. One offset, one scale.
#pragma once

#include "fonts.hpp"
#include "scene/scene.hpp"

struct ImDrawList;

namespace blackboard {

// Draws `scene` with its top-left at `origin` (pixels), every coordinate multiplied by `scale`.
// The background colour and texture are not drawn here (the board shader does that).
void DrawScene(ImDrawList* dl, const Scene& scene, Vec2 origin, float scale, const FontSet& fonts);

}  // namespace blackboard
