#!/usr/bin/env bash
# Partial redraws paint what full redraws paint. Under Xvfb (Mesa's software GL, whose back buffer
# survives a swap) each frame redraws only the regions that changed; for boards whose main slider
# is dragged for 100 frames, the last frame's screenshot must equal, pixel for pixel, the one taken
# with every frame redrawn in full (BLACKBOARD_FULL_REDRAW=1). "present:" runs the lecturer's view
# (--present: full screen, panels hidden).
set -euo pipefail
exe=$1
out=$2
mkdir -p "$out"
for run in batch plans pipeline-training moe-rack budget present:plans; do
  board=${run#present:}
  mode=()
  [ "$run" != "$board" ] && mode=(--present)
  partial=$(xvfb-run -a -s "-screen 0 1600x960x24" "$exe" --fresh "${mode[@]}" --board "$board" --frames 100 --drag \
              --screenshot "$out/partial-$board.png")
  echo "$partial" | grep -q "(partial redraws)" || { echo "$board: frames were not redrawn partially: $partial"; exit 1; }
  BLACKBOARD_FULL_REDRAW=1 xvfb-run -a -s "-screen 0 1600x960x24" "$exe" --fresh "${mode[@]}" --board "$board" --frames 100 --drag \
    --screenshot "$out/full-$board.png" | grep -q "(full redraws)" || { echo "$board: BLACKBOARD_FULL_REDRAW=1 ignored"; exit 1; }
  PYTHONPATH="$(dirname "$0")" python3 - "$out/partial-$board.png" "$out/full-$board.png" "$run" <<'PY'
import sys
from png_pixels import pixels

(w, h, a), (w2, h2, b) = pixels(sys.argv[1]), pixels(sys.argv[2])
assert (w, h) == (w2, h2), ((w, h), (w2, h2))
bad = [y for y in range(h) if a[y] != b[y]]
assert not bad, f'{sys.argv[3]}: partial and full redraws differ on {len(bad)} rows, first {bad[0]}'
print(f'{sys.argv[3]}: partial redraws equal full redraws ({w}x{h})')
PY
  echo "$partial" | grep "^frames:"
done
