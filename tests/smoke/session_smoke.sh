#!/usr/bin/env bash
# Smoke test of "no work lost" (issue 17) in the real window under Xvfb:
#  1. a session file that cannot be used (1,000,000 nested brackets, an unknown or empty theme, not
#     JSON) is moved aside to session.json.bad-<time>, the status line says so and the app starts;
#  2. Ctrl+S of chalk into a read-only lecture file saves the lecture to
#     $XDG_DATA_HOME/blackboard/lectures/ instead; then kill -9 and a restart: the chalk is still there.
# Ctrl+S is pressed through the test hook --test-chalk-save (one stroke drawn, then the command the key
# queues): Xvfb has no keyboard a script can type on without extra tools. --restore keeps the session
# in a --frames run. The read-only folder is a read-only bind mount as root (root writes through
# permissions), chmod a-w otherwise; exit 77 (skipped) when neither is possible.
set -euo pipefail
exe=$1
out=$2/session
rm -rf "$out"
mkdir -p "$out"
export XDG_STATE_HOME=$out/state XDG_DATA_HOME=$out/data XDG_CONFIG_HOME=$out/config
mkdir -p "$XDG_STATE_HOME/blackboard"
session=$XDG_STATE_HOME/blackboard/session.json

# A display of our own, so the app's process id is ours to kill -9.
display=
for d in $(seq 91 140); do
  if [ ! -e /tmp/.X$d-lock ] && [ ! -e /tmp/.X11-unix/X$d ]; then display=$d; break; fi
done
[ -n "$display" ] || { echo "no free X display"; exit 1; }
Xvfb ":$display" -screen 0 1600x960x24 -nolisten tcp >"$out/xvfb.log" 2>&1 &
xvfb_pid=$!
mounted=
cleanup() {
  [ -n "${app_pid:-}" ] && kill -9 "$app_pid" 2>/dev/null || true
  [ -n "$mounted" ] && umount "$mounted" 2>/dev/null || true
  kill "$xvfb_pid" 2>/dev/null || true
}
trap cleanup EXIT
export DISPLAY=:$display
for _ in $(seq 50); do [ -e /tmp/.X11-unix/X$display ] && break; sleep 0.1; done

# ---- 1. unusable session files
for bad in deep theme empty-theme syntax; do
  rm -f "$session" "$session".bad-*
  case $bad in
    deep) python3 -c "import sys; sys.stdout.write('{\"scenario\": ' + '['*1000000 + ']'*1000000 + '}')" >"$session" ;;
    theme) echo '{"scenario": {}, "board": "batch", "theme": "solarized"}' >"$session" ;;
    empty-theme) echo '{"scenario": {}, "board": "batch", "theme": ""}' >"$session" ;;
    syntax) echo '{"scenario": ' >"$session" ;;
  esac
  log=$("$exe" --restore --frames 8)
  echo "$log" | grep -q "^status: session not restored (.*); moved aside to $session.bad-" ||
    { echo "$bad session: $log"; exit 1; }
  ls "$session".bad-* >/dev/null
  if echo "$log" | grep -q -- "--theme"; then echo "$bad session blamed --theme: $log"; exit 1; fi
  echo "unusable session ($bad): moved aside, app started"
done

# A usable session whose lecture no longer opens: the app starts on the default lecture and says why.
rm -f "$session" "$session".bad-*
echo '{"steps": [{"board": "no-such-board"}]}' >"$out/broken-lecture.json"
echo "{\"scenario\": {}, \"board\": \"batch\", \"lecture\": \"$out/broken-lecture.json\"}" >"$session"
log=$("$exe" --restore --frames 8)
echo "$log" | grep -q "^status: the last session's lecture did not open: .*no-such-board" ||
  { echo "broken session lecture: $log"; exit 1; }
echo "session naming a broken lecture: default lecture, status line says why"

# ---- 2. failed Ctrl+S, kill -9, restart
rm -f "$session" "$session".bad-*
lectures=$out/lectures
mkdir -p "$lectures"
echo '{"title": "read-only talk", "steps": [{"board": "batch"}, {"board": "roofline"}]}' >"$lectures/talk.json"
if [ "$(id -u)" = 0 ]; then
  if mount --bind "$lectures" "$lectures" 2>/dev/null; then
    mounted=$lectures
    mount -o remount,bind,ro "$lectures"
  fi
else
  chmod a-w "$lectures/talk.json" "$lectures"
fi
if touch "$lectures/probe" 2>/dev/null; then
  rm -f "$lectures/probe"
  echo "cannot make a read-only folder here (no bind mount): skipped"
  exit 77
fi
before=$(cat "$lectures/talk.json")
"$exe" "$lectures/talk.json" --test-chalk-save >"$out/run1.log" 2>&1 &
app_pid=$!
fallback=$XDG_DATA_HOME/blackboard/lectures/talk.json
for _ in $(seq 200); do
  if [ -s "$fallback" ] && grep -q "\"lecture\": *\"$fallback\"" "$session" 2>/dev/null; then break; fi
  sleep 0.1
done
[ -s "$fallback" ] || { echo "the chalk was not saved to $fallback"; cat "$out/run1.log"; exit 1; }
grep -q '"stroke"' "$fallback" || { echo "no stroke in $fallback"; exit 1; }
grep -q "\"lecture\": *\"$fallback\"" "$session" || { echo "the session does not name $fallback"; cat "$session"; exit 1; }
kill -9 "$app_pid"
wait "$app_pid" 2>/dev/null || true
app_pid=
[ "$(cat "$lectures/talk.json")" = "$before" ] || { echo "the read-only lecture changed"; exit 1; }
log=$("$exe" --restore --frames 8)
echo "$log" | grep -q "^lecture: $fallback step 1, chalk: 1 in the file, 0 drawn" ||
  { echo "after kill -9 and restart the chalk is gone: $log"; exit 1; }
echo "failed Ctrl+S -> saved to $fallback; after kill -9 and a restart the chalk is still there"
