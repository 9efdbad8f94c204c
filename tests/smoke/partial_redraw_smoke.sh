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
  python3 - "$out/partial-$board.png" "$out/full-$board.png" "$run" <<'PY'
import sys, zlib, struct

def pixels(path):
    data = open(path, 'rb').read()
    assert data[:8] == b'\x89PNG\r\n\x1a\n', path + ': not a PNG'
    pos, idat, w, h, bpp = 8, b'', 0, 0, 0
    while pos < len(data):
        n, kind = struct.unpack('>I4s', data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b'IHDR':
            w, h, depth, colour = struct.unpack('>IIBB', body[:10])
            assert depth == 8 and colour in (2, 6), (depth, colour)
            bpp = 4 if colour == 6 else 3
        elif kind == b'IDAT':
            idat += body
        pos += 12 + n
    raw, stride, rows, prev, p = zlib.decompress(idat), w * bpp, [], bytearray(w * bpp), 0
    for _ in range(h):  # undo the PNG row filters
        f, line = raw[p], bytearray(raw[p + 1:p + 1 + stride])
        p += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b, c = prev[x], (prev[x - bpp] if x >= bpp else 0)
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, rows

(w, h, a), (w2, h2, b) = pixels(sys.argv[1]), pixels(sys.argv[2])
assert (w, h) == (w2, h2), ((w, h), (w2, h2))
bad = [y for y in range(h) if a[y] != b[y]]
assert not bad, f'{sys.argv[3]}: partial and full redraws differ on {len(bad)} rows, first {bad[0]}'
print(f'{sys.argv[3]}: partial redraws equal full redraws ({w}x{h})')
PY
  echo "$partial" | grep "^frames:"
done
