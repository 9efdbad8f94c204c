#version 330 core
// The board background: the theme colour, and with u_strength > 0 a subtle slate texture (value
// noise at two scales plus faint horizontal eraser smudges). Deterministic: hashes, no time.
uniform vec4 u_color;      // background colour (linear 0..1 as stored in the theme)
uniform float u_strength;  // 0 = flat colour
uniform vec2 u_origin;     // framebuffer pixel of the board's top-left corner
uniform float u_scale;     // framebuffer pixels per board pixel (so the texture scales with export)
uniform float u_height;    // framebuffer height (to flip gl_FragCoord to top-left origin)
// Backdrop panels (opaque rounded rectangles behind the board's shapes), in board pixels.
uniform int u_panels;
uniform vec4 u_panel_box[8];  // min x, min y, max x, max y
uniform vec4 u_panel_color[8];
uniform float u_panel_radius[8];
out vec4 frag;

float Hash(vec2 p) {
  p = fract(p * vec2(123.34, 456.21));
  p += dot(p, p + 45.32);
  return fract(p.x * p.y);
}

float Noise(vec2 p) {
  vec2 i = floor(p), f = fract(p);
  vec2 u = f * f * (3.0 - 2.0 * f);
  return mix(mix(Hash(i), Hash(i + vec2(1, 0)), u.x), mix(Hash(i + vec2(0, 1)), Hash(i + vec2(1, 1)), u.x), u.y);
}

void main() {
  vec2 px = vec2(gl_FragCoord.x, u_height - gl_FragCoord.y);
  vec2 p = (px - u_origin) / u_scale;  // board pixels
  float grain = Noise(p * 0.45) * 0.5 + Noise(p * 0.23) * 0.35;
  float smudge = Noise(vec2(p.x * 0.004, p.y * 0.05)) * 0.8 + Noise(p * 0.011) * 0.4;
  float vignette = length((p / vec2(1600.0, 900.0)) - 0.5);
  vec3 c = u_color.rgb;
  c += u_strength * (0.018 * (grain - 0.42) + 0.035 * (smudge - 0.6) - 0.05 * vignette * vignette);
  for (int i = 0; i < u_panels; ++i) {
    // Signed distance to the rounded box; one framebuffer pixel of anti-aliasing at its edge; the
    // panel's colour blended over the slate by its alpha, as if drawn over it.
    vec4 b = u_panel_box[i];
    float r = u_panel_radius[i];
    vec2 q = abs(p - (b.xy + b.zw) * 0.5) - (b.zw - b.xy) * 0.5 + r;
    float d = length(max(q, 0.0)) + min(max(q.x, q.y), 0.0) - r;
    float cover = clamp(0.5 - d * u_scale, 0.0, 1.0) * u_panel_color[i].a;
    c = mix(c, u_panel_color[i].rgb, cover);
  }
  frag = vec4(clamp(c, 0.0, 1.0), u_color.a);
}
