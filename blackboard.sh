#!/usr/bin/env bash
# The two commands of the README:
#   ./blackboard.sh            install what is missing (Debian packages), build, open the GUI
#   ./blackboard.sh test       install what is missing, build, run every test headless
# Other commands: ./blackboard.sh build | bench | install-deps, and anything else is passed to the
# built executable (./blackboard.sh render batch --out batch.png).
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(
  build-essential cmake ninja-build pkg-config git python3
  libimgui-dev libglfw3-dev python3-glad nlohmann-json3-dev libstb-dev libpng-dev libharfbuzz-dev libgif-dev
  libavcodec-dev libavformat-dev libswscale-dev libavutil-dev
  libegl-dev libgl1-mesa-dri libgl-dev
  libgtest-dev libbenchmark-dev
  clang libclang-rt-14-dev llvm-14
  xvfb xauth
  fonts-humor-sans fonts-inter fonts-jetbrains-mono
)
# Needed by the tests only (installed by `./blackboard.sh test`): an independent JSON Schema validator,
# emscripten for the web module (board.html) and Chromium to open the page headless.
TEST_PACKAGES=(
  python3-jsonschema emscripten chromium
)

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

install_deps() {  # install_deps [extra packages...]
  local missing=() wanted=("${PACKAGES[@]}" "$@")
  if command -v dpkg-query >/dev/null 2>&1; then
    for p in "${wanted[@]}"; do
      dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
  else
    echo "blackboard: this script installs Debian/Ubuntu packages with apt. On other systems install:" >&2
    echo "  ${wanted[*]}" >&2
    echo "(Dear ImGui 1.86+ with the GLFW/OpenGL3 backends, GLFW 3.3, glad 2 (python), nlohmann_json," >&2
    echo " stb, giflib, FFmpeg (libavcodec, libavformat, libswscale), EGL + Mesa, GoogleTest, Google Benchmark, Xvfb) and run cmake --preset release." >&2
    return 0
  fi
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing: ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
      echo "blackboard: missing packages (${missing[*]}) and not root; install them with apt-get" >&2
      exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

build() {  # build PRESET
  log "configuring and building ($1)"
  cmake --preset "$1" >/dev/null
  cmake --build --preset "$1"
}

cmd=${1:-run}
case "$cmd" in
  run)
    install_deps
    build release
    shift || true
    exec ./build/release/blackboard "$@"
    ;;
  test)
    install_deps "${TEST_PACKAGES[@]}"
    build ci
    build web  # the WebAssembly module that render --out board.html inlines
    log "running every test headless (unit, scene, render, cli, smoke)"
    ctest --preset ci
    log "sanitizers: unit and scene tests under ASan + UBSan"
    build asan
    ctest --preset asan
    log "fuzzing the scenario and lecture loaders (${BLACKBOARD_FUZZ_RUNS:-20000} inputs each, seed 1; longer: tests/fuzz/run_fuzz.sh 3600)"
    BLACKBOARD_FUZZ_RUNS=${BLACKBOARD_FUZZ_RUNS:-20000} tests/fuzz/run_fuzz.sh "${BLACKBOARD_FUZZ_SECONDS:-180}"
    ;;
  build)
    install_deps
    build "${2:-release}"
    ;;
  bench)
    install_deps
    build release
    ./build/release/tests/bench/blackboard_bench
    ./build/release/tests/bench/blackboard_app_bench
    for board in $(./build/release/blackboard list boards | cut -d' ' -f1); do
      ./build/release/blackboard --bench-frames 120 "$board"
    done
    ;;
  install-deps)
    install_deps
    ;;
  *)
    install_deps
    [ -x build/release/blackboard ] || build release
    exec ./build/release/blackboard "$@"
    ;;
esac
