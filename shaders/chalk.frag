#version 330 core
// The chalk effect: strokes and letters drawn on the board lose a little pigment to the grain of the
// slate, as chalk does. Each board shape is drawn through this shader: its coverage (atlas texel
// times vertex colour) is thinned where a grain mask (a tiling noise texture made once) is high, so
// the slate shows through. Over the bare board this is exactly "blend the board colour over the
// ink by the grain", and it costs nothing where no ink is drawn: no full-screen pass.
uniform sampler2D Texture;  // ImGui's font atlas (also the white texel of filled shapes)
uniform sampler2D u_grain;  // R: grain mask in 0..1, tiles every 512 board pixels
uniform float u_strength;   // 0 = no effect
in vec2 Frag_UV;
in vec4 Frag_Color;
in vec2 Frag_Grain;
out vec4 Out_Color;

void main() {
  float grain = texture(u_grain, Frag_Grain).r;
  vec4 ink = Frag_Color * texture(Texture, Frag_UV);
  Out_Color = vec4(ink.rgb, ink.a * (1.0 - u_strength * 0.55 * grain));
}
