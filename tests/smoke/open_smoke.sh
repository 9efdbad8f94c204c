#!/usr/bin/env bash
# Opening files in the real window (as a drop does): a bad file leaves the current state untouched and
# the status bar says why; a good lecture opens on its first step.
set -euo pipefail
exe=$1
src=$2
out=$(xvfb-run -a -s "-screen 0 1600x960x24" "$exe" --board roofline --frames 5 \
      --open "$src/tests/fixtures/bad_scenarios/training-tp-not-dividing-heads.json")
echo "$out"
grep -q "status: .*training-tp-not-dividing-heads.json: training.tp = 3 does not divide model.heads = 64" <<<"$out"
grep -q "board: roofline" <<<"$out"   # the last good state stays
out=$(xvfb-run -a -s "-screen 0 1600x960x24" "$exe" --board roofline --frames 5 --open "$src/assets/lectures/default.json")
echo "$out"
grep -q "status: opened .*default.json" <<<"$out"
grep -q "board: batch" <<<"$out"
echo "open smoke ok"
