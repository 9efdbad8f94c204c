#version 330 core
// The chalk effect: strokes and letters drawn on the board lose a little pigment to the grain of the
// slate, as chalk does. Pixels that differ from the board colour are "ink"; their colour is pulled
// back toward the board by a two-scale noise mask. Deterministic (hashes, no time).
uniform sampler2D u_tex;   // the board region as drawn
uniform vec4 u_bg;         // board colour
uniform float u_strength;  // 0 = no effect
uniform vec2 u_origin;     // region top-left in framebuffer pixels
uniform float u_scale;     // framebuffer pixels per board pixel
uniform float u_height;    // framebuffer height
in vec2 v_uv;
out vec4 frag;

float Hash(vec2 p) {
  p = fract(p * vec2(443.897, 441.423));
  p += dot(p, p.yx + 19.19);
  return fract((p.x + p.y) * p.x);
}

float Noise(vec2 p) {
  vec2 i = floor(p), f = fract(p);
  vec2 u = f * f * (3.0 - 2.0 * f);
  return mix(mix(Hash(i), Hash(i + vec2(1, 0)), u.x), mix(Hash(i + vec2(0, 1)), Hash(i + vec2(1, 1)), u.x), u.y);
}

void main() {
  vec4 c = texture(u_tex, v_uv);
  vec2 px = vec2(gl_FragCoord.x, u_height - gl_FragCoord.y);
  vec2 p = (px - u_origin) / u_scale;
  float ink = clamp(length(c.rgb - u_bg.rgb) * 2.5, 0.0, 1.0);
  float grain = Noise(p * 1.9) * 0.65 + Noise(p * 0.45) * 0.35;
  float loss = u_strength * ink * smoothstep(0.45, 0.95, grain);
  frag = vec4(mix(c.rgb, u_bg.rgb, loss * 0.55), 1.0);
}
