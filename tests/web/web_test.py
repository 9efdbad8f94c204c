#!/usr/bin/env python3
"""Chromium plays the video exports; the live board page (render batch --out board.html) in it.

Opens the page from disk (no network) at two URL states, checks that the two screenshots differ on
the board (the batch marker moved) and are not blank, that the page's report equals
`blackboard eval --json` for the same fields, and that without the web module `--out x.html` exits 2
saying how to build it. Exit 77 (skipped) when the web module was not built (cmake --preset web).

usage: web_test.py BLACKBOARD_EXE REPO_DIR OUT_DIR
"""
import html
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import urllib.parse
import zlib

failures = []


def check(ok, message):
    if not ok:
        failures.append(message)


def read_png(path):
    """(width, height, rows of RGBA bytes) of an 8-bit RGB or RGBA PNG, non-interlaced."""
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", body[:10])
            assert depth == 8 and color in (2, 6), f"{path}: depth {depth} colour type {color}"
            channels = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, prev = [], bytearray(stride)
    for y in range(height):
        f = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line) if channels == 4 else
                    b"".join(bytes(line[i:i + 3]) + b"\xff" for i in range(0, stride, 3)))
        prev = line
    return width, height, rows


def chromium(binary, profile, url, *args):
    """Runs headless Chromium once more if it printed nothing at all (it did not start, on a loaded
    machine): a page that fails prints its DOM, error line included."""
    for attempt in range(2):
        r = chromium_once(binary, profile, url, *args)
        if r.stdout.strip() or "--dump-dom" not in args:
            return r
    return r


def chromium_once(binary, profile, url, *args):
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
             "--window-size=1600,1100", "--virtual-time-budget=20000", *args, url]
    return subprocess.run([binary, *flags], capture_output=True, text=True, timeout=180)


def leaves(doc, prefix=""):
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from leaves(v, f"{prefix}{k}.")
    else:
        yield prefix[:-1], doc


def compare_reports(where, page_report, eval_report):
    """Checks the page's report against eval's, figure by figure (1e-9 relative: wasm's libm may
    differ from glibc's in the last bit); returns how many figures were compared."""
    compared = 0
    want = dict(leaves(eval_report))
    for key, value in leaves(page_report):
        check(key in want, f"{where}: the page reports {key}, eval does not")
        if key not in want:
            continue
        other = want[key]
        if isinstance(value, (int, float)) and isinstance(other, (int, float)):
            ok = value == other or abs(value - other) <= 1e-9 * max(abs(value), abs(other))
        else:
            ok = value == other
        check(ok, f"{where}: {key}: page {value} != eval {other}")
        compared += 1
    check(compared >= 20 and compared == len(want), f"{where}: compared {compared} of eval's {len(want)} figures")
    return compared


# Injected into a copy of the page by the test only: once the page is ready, move its first slider to
# 90 % of its track through the same input event a hand sends, and note the report before and the URL after.
SLIDE_SCRIPT = """<script>
const slidePoll = setInterval(() => {
  if (document.body.dataset.ready !== 'true') return;
  clearInterval(slidePoll);
  const report = document.getElementById('report');
  document.body.dataset.before = report.textContent;
  const slider = document.querySelector('#controls input[type=range]');
  slider.value = 900;
  slider.dispatchEvent(new Event('input'));
  document.body.dataset.slid = location.hash;
}, 10);
</script>"""


PLAYER = """<!DOCTYPE html><html><body><pre id="result"></pre><script>
const results = {};
for (const src of %s) {
  const v = document.createElement('video');
  v.muted = true; v.preload = 'auto'; v.src = src;
  const done = (r) => { results[src] = r; document.getElementById('result').textContent = JSON.stringify(results); };
  v.onloadeddata = () => done({width: v.videoWidth, height: v.videoHeight, duration: v.duration});
  v.onerror = () => done({error: v.error ? v.error.code : -1});
  document.body.append(v);
}
</script></body></html>"""


def play_videos(exe, binary, out):
    """Every board as a short MP4 and WebM, loaded by Chromium's <video>: size and duration as asked."""
    names = [line.split()[0] for line in subprocess.run([exe, "list", "boards"], capture_output=True,
                                                        text=True).stdout.splitlines() if line.strip()]
    clips = []
    for name in names:
        for ext in ("mp4", "webm"):
            clip = f"{name}.{ext}"
            r = subprocess.run([exe, "render", name, "--out", os.path.join(out, clip), "--duration", "0.3", "--fps",
                                "10", "--size", "640x360", "--scale", "0.5"], capture_output=True, text=True)
            check(r.returncode == 0, f"render {name} --out {clip}: exit {r.returncode}: {r.stderr}")
            clips.append(clip)
    page = os.path.join(out, "play.html")
    with open(page, "w", encoding="utf-8") as f:
        f.write(PLAYER % json.dumps(clips))
    with tempfile.TemporaryDirectory() as profile:
        r = chromium(binary, profile, "file://" + os.path.abspath(page), "--dump-dom")
    m = re.search(r'<pre id="result">(.*?)</pre>', r.stdout, re.S)
    played = json.loads(html.unescape(m.group(1))) if m and m.group(1).strip() else {}
    for clip in clips:
        got = played.get(clip)
        check(got is not None and got.get("width") == 320 and got.get("height") == 180 and
              abs(got.get("duration", 0) - 0.3) < 0.05, f"Chromium plays {clip}: {got}")
    print(f"Chromium plays {sum(1 for c in clips if c in played and 'error' not in played[c])} of {len(clips)} "
          f"clips (MP4 and WebM of {len(names)} boards)")


def main():
    exe, repo, out = sys.argv[1], sys.argv[2], sys.argv[3]
    os.makedirs(out, exist_ok=True)
    env = dict(os.environ, BLACKBOARD_WEB_MODULE="/nonexistent/blackboard_web.js")
    r = subprocess.run([exe, "render", "batch", "--out", os.path.join(out, "x.html")], capture_output=True, text=True,
                       env=env)
    check(r.returncode == 2 and "cmake --preset web" in r.stderr,
          f"without the web module: exit {r.returncode}, stderr {r.stderr!r}")
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    if binary:
        play_videos(exe, binary, out)
    if not os.path.exists(os.path.join(repo, "build", "web", "blackboard_web.js")):
        print("web_test: the web module is not built (cmake --preset web && cmake --build --preset web): skipped")
        return 77 if not failures else 1
    if not binary:
        print("web_test: chromium is missing (./blackboard.sh test installs it)")
        return 1

    page = os.path.join(out, "batch.html")
    r = subprocess.run([exe, "render", "batch", "--out", page], capture_output=True, text=True)
    check(r.returncode == 0, f"render batch --out batch.html: exit {r.returncode}: {r.stderr}")
    text = open(page, encoding="utf-8").read()
    check(not re.search(r"""(src|href)=["']?(https?:)?//""", text), "the page loads something from the network")
    url = "file://" + os.path.abspath(page)

    with tempfile.TemporaryDirectory() as profile:
        shots = []
        for batch in (1, 256):
            shot = os.path.join(out, f"batch-{batch}.png")
            if os.path.exists(shot):
                os.remove(shot)
            r = chromium(binary, profile, f"{url}#serving.batch={batch}", f"--screenshot={shot}")
            check(os.path.exists(shot), f"no screenshot at serving.batch={batch}: {r.stderr[-500:]}")
            shots.append(shot)
        if all(os.path.exists(s) for s in shots):
            (w, h, a), (_, _, b) = read_png(shots[0]), read_png(shots[1])
            board_rows = range(0, min(h, 800))  # the board's SVG fills the top of the page
            changed = sum(1 for y in board_rows for x in range(0, w * 4, 4) if a[y][x:x + 3] != b[y][x:x + 3])
            colours = len({a[y][x:x + 3] for y in range(0, h, 7) for x in range(0, w * 4, 28)})
            print(f"screenshots {w}x{h}: {changed} pixels differ on the board, {colours} colours sampled")
            check(colours > 8, "the page looks blank (the board did not draw)")
            check(changed > 500, "the two URL states look the same (the marker did not move)")

        r = chromium(binary, profile, f"{url}#serving.batch=128", "--dump-dom")
        m = re.search(r'<pre id="report">(.*?)</pre>', r.stdout, re.S)
        check(m is not None and m.group(1).strip(), f"no report in the page: {r.stdout[-800:]} {r.stderr[-500:]}")
        e = re.search(r'<div id="error">(.*?)</div>', r.stdout, re.S)
        check(e is None or not e.group(1).strip(), f"the page shows an error: {e and e.group(1)}")
        if m and m.group(1).strip():
            ev = subprocess.run([exe, "eval", "--json", "--set", "serving.batch=128"], capture_output=True, text=True)
            compared = compare_reports("batch.html#serving.batch=128", json.loads(html.unescape(m.group(1))),
                                       json.loads(ev.stdout))
            print(f"page report = eval --json on {compared} figures")

        # A slider moved as a reader would: the page's first slider gets a new position and an input
        # event; the page must write the field into its URL, redraw, and show eval's numbers for it.
        with open(page, encoding="utf-8") as f:
            page_html = f.read()
        slid_path = os.path.join(out, "batch-slid.html")
        with open(slid_path, "w", encoding="utf-8") as f:
            f.write(page_html.replace("</body>", SLIDE_SCRIPT + "</body>", 1))
        r = chromium(binary, profile, "file://" + slid_path, "--dump-dom")
        s = re.search(r'data-slid="([^"]*)"', r.stdout)
        check(s is not None and "=" in (s.group(1) if s else ""),
              f"moving the first slider changed no field in the URL: {r.stdout[-400:]} {r.stderr[-300:]}")
        m = re.search(r'<pre id="report">(.*?)</pre>', r.stdout, re.S)
        if s and "=" in s.group(1) and m and m.group(1).strip():
            field, value = urllib.parse.unquote(html.unescape(s.group(1))).lstrip("#").split("&")[0].split("=", 1)
            before = re.search(r'data-before="([^"]*)"', r.stdout)
            check(before is not None and html.unescape(before.group(1)) != html.unescape(m.group(1)),
                  f"the report did not change when the slider moved {field} to {value}")
            ev = subprocess.run([exe, "eval", "--json", "--set", f"{field}={value}"], capture_output=True, text=True)
            check(ev.returncode == 0, f"eval --set {field}={value}: {ev.stderr}")
            if ev.returncode == 0:
                compared = compare_reports(f"batch.html after the slider set {field}={value}",
                                           json.loads(html.unescape(m.group(1))), json.loads(ev.stdout))
                print(f"slider moved {field} to {value}: page redrew, report = eval --json on {compared} figures")

        # Every board's page opens offline and draws the board with eval's numbers.
        names = [line.split()[0] for line in subprocess.run([exe, "list", "boards"], capture_output=True,
                                                            text=True).stdout.splitlines() if line.strip()]
        ev = json.loads(subprocess.run([exe, "eval", "--json"], capture_output=True, text=True).stdout)
        for name in names:
            path = os.path.join(out, f"{name}.html")
            r = subprocess.run([exe, "render", name, "--out", path], capture_output=True, text=True)
            check(r.returncode == 0, f"render {name} --out {name}.html: exit {r.returncode}: {r.stderr}")
            r = chromium(binary, profile, "file://" + os.path.abspath(path), "--dump-dom")
            e = re.search(r'<div id="error">(.*?)</div>', r.stdout, re.S)
            check(e is not None and not e.group(1).strip(), f"{name}.html shows an error: {e and e.group(1)}")
            check('<div id="board"><svg' in r.stdout, f"{name}.html draws no SVG")
            m = re.search(r'<pre id="report">(.*?)</pre>', r.stdout, re.S)
            check(m is not None and m.group(1).strip(), f"{name}.html shows no report: {r.stderr[-300:]}")
            if m and m.group(1).strip():
                compare_reports(f"{name}.html", json.loads(html.unescape(m.group(1))), ev)
        print(f"{len(names)} boards' pages draw their SVG with eval's numbers")

    for f in failures:
        print("FAIL:", f)
    print(f"web_test: {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
