#version 330 core
// The chalk ink: ImGui's vertex layout (position in pixels, atlas UV, colour), projected by the
// same matrix the ImGui backend uses, so board shapes can switch to chalk.frag mid draw list.
uniform mat4 ProjMtx;
uniform vec2 u_origin;  // board top-left, in the same (display) pixels as Position
uniform float u_scale;  // display pixels per board pixel
in vec2 Position;
in vec2 UV;
in vec4 Color;
out vec2 Frag_UV;
out vec4 Frag_Color;
out vec2 Frag_Grain;  // grain-tile coordinates: one texel per board pixel, affine, so per vertex

void main() {
  Frag_UV = UV;
  Frag_Color = Color;
  Frag_Grain = (Position - u_origin) / (u_scale * 512.0);
  gl_Position = ProjMtx * vec4(Position, 0.0, 1.0);
}
