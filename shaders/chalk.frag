#version 330 core
// The chalk effect: strokes and letters drawn on the board lose a little pigment to the grain of the
// slate, as chalk does. A grain mask (a tiling noise texture made once) is blended over the board in
// the board's own colour: over the board itself this changes nothing, over ink it pulls the colour
// back toward the board where the grain is high. One blended pass, no per-frame noise.
uniform sampler2D u_grain;  // R: grain mask in 0..1, tiles every 512 board pixels
uniform vec4 u_bg;          // board colour
uniform float u_strength;   // 0 = no effect
uniform vec2 u_origin;      // region top-left in framebuffer pixels
uniform float u_scale;      // framebuffer pixels per board pixel
uniform float u_height;     // framebuffer height
out vec4 frag;

void main() {
  vec2 px = vec2(gl_FragCoord.x, u_height - gl_FragCoord.y);
  vec2 p = (px - u_origin) / u_scale;
  float grain = texture(u_grain, p / 512.0).r;
  frag = vec4(u_bg.rgb, u_strength * 0.55 * grain);
}
