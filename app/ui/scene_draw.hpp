// Scene -> ImDrawList: the screen (and PNG) interpreter of a Scene. One offset, one scale.
#pragma once

#include <vector>

#include "fonts.hpp"
#include "gfx/background.hpp"
#include "scene/scene.hpp"

struct ImDrawList;

namespace blackboard {

// The scene's backdrop panels (RectShape::backdrop, in order, at most BoardBackground::kMaxPanels)
// for the board background to paint.
std::vector<BackdropRect> BackdropPanels(const Scene& scene);

// Draws `scene` with its top-left at `origin` (pixels), every coordinate multiplied by `scale`.
// The background colour and texture are not drawn here (the board shader does that), nor, when
// `backdrop_painted`, the panels BackdropPanels returned (the board shader painted them too).
void DrawScene(ImDrawList* dl, const Scene& scene, Vec2 origin, float scale, const FontSet& fonts,
               bool backdrop_painted = false);

}  // namespace blackboard
