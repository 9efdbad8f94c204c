#!/usr/bin/env bash
# The lecturer's view fills the screen (issue 15): on Xvfb screens of 1920x1080, 2560x1440, 1280x720
# and 1024x768, started with --present and switched to from the window with F5 (--present-at), the
# screenshot is the screen's size, the board's background reaches every edge (no black margin, no
# part left unpainted) and the title is there (chalk-white text in the top-left corner).
set -euo pipefail
exe=$1
out=$2
mkdir -p "$out"
for screen in 1920x1080 2560x1440 1280x720 1024x768; do
  for how in start f5; do
    mode=(--present)
    [ "$how" = f5 ] && mode=(--present-at 8)
    shot="$out/present-$how-$screen.png"
    xvfb-run -a -s "-screen 0 ${screen}x24" "$exe" --fresh "${mode[@]}" --board batch --frames 40 --screenshot "$shot" \
      >/dev/null
    PYTHONPATH="$(dirname "$0")" python3 - "$shot" "$screen" "$how" <<'PY'
import sys
from png_pixels import pixels

w, h, rows = pixels(sys.argv[1])
sw, sh = map(int, sys.argv[2].split('x'))
what = f'{sys.argv[3]} {sys.argv[2]}'
assert (w, h) == (sw, sh), f'{what}: screenshot is {w}x{h}'
bpp = len(rows[0]) // w
px = lambda x, y: tuple(rows[y][x * bpp:x * bpp + 3])
bg = (0x23, 0x2b, 0x2a)  # the blackboard theme's slate
def board(c):  # the slate (its texture darkens to ~(4, 12, 11) in the corners) or something drawn on
    return max(c) > 2  # it; never the pure black cleared around the board
for name, pts in {
    'top': [(x, 1) for x in range(0, w, 7)], 'bottom': [(x, h - 2) for x in range(0, w, 7)],
    'left': [(1, y) for y in range(0, h, 7)], 'right': [(w - 2, y) for y in range(0, h, 7)]}.items():
    off = [p for p in pts if not board(px(*p))]
    assert len(off) <= len(pts) // 50, f'{what}: the board does not reach the {name} edge ({len(off)} of {len(pts)} black), first {off[0]}'
    near = sum(1 for p in pts if max(abs(a - b) for a, b in zip(px(*p), bg)) < 40)
    assert near >= len(pts) // 2, f'{what}: the {name} edge is not the board background ({near} of {len(pts)})'
title = [(x, y) for y in range(int(h * 0.02), int(h * 0.09)) for x in range(int(w * 0.02), int(w * 0.45), 2)]
ink = sum(1 for p in title if min(px(*p)) > 200)
assert ink > 40, f'{what}: no title in the top-left corner ({ink} chalk-white pixels)'
print(f'{what}: the board fills the screen, title there ({ink} title pixels)')
PY
  done
done
