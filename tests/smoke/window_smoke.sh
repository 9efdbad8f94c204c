#!/usr/bin/env bash
# Smoke test of the real window: open the GUI under Xvfb, run 30 frames, save a screenshot, exit 0.
# Then check the screenshot exists and is not blank (more than one colour).
set -euo pipefail
exe=$1
out=$2
mkdir -p "$out"
rm -f "$out/window.png"
xvfb-run -a -s "-screen 0 1600x960x24" "$exe" --frames 30 --screenshot "$out/window.png"
test -s "$out/window.png"
python3 - "$out/window.png" <<'PY'
import sys, zlib, struct
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
w, h = struct.unpack('>II', data[16:24])
assert (w, h) == (1600, 960), (w, h)
# Decompress IDAT and count distinct byte values as a cheap "not blank" check.
idat, pos = b'', 8
while pos < len(data):
    length, kind = struct.unpack('>I4s', data[pos:pos+8])
    if kind == b'IDAT':
        idat += data[pos+8:pos+8+length]
    pos += 12 + length
raw = zlib.decompress(idat)
assert len(set(raw[:500000])) > 20, 'screenshot looks blank'
print(f'window screenshot {w}x{h} ok')
PY
# A measured slider drag in the real window: the board's main slider moves every frame, and the run
# reports its frame times (figures only; the smoke test checks that the drag runs and reports).
drag=$(xvfb-run -a -s "-screen 0 1600x960x24" "$exe" --fresh --board batch --frames 20 --drag)
echo "$drag" | grep -q "^frames: .* while dragging .*, mean" || { echo "no frame report: $drag"; exit 1; }
echo "$drag" | grep "^frames:"
