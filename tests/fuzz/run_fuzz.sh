#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in build/fuzz and fuzzes each for a bounded
# time on a copy of the seed corpus (the repository is never modified).
#
#   tests/fuzz/run_fuzz.sh            60 s per target (what ./blackboard.sh test runs)
#   tests/fuzz/run_fuzz.sh 3600       a longer run: one hour per target
#
# Exits non-zero on any crash, hang (> 5 s on one input), out-of-memory (> 2 GB), leak or sanitizer
# report; the failing input is saved as build/fuzz/artifacts/<target>/crash-* (or timeout-*, oom-*)
# and can be replayed with: build/fuzz/tests/fuzz/<target> <that file>.
# Environment: BLACKBOARD_FUZZ_BUILD (build folder, default build/fuzz), CC / CXX (default clang),
# BLACKBOARD_FUZZ_RUNS (a fixed number of inputs with a fixed seed: the deterministic run CI uses, so
# a green run here is a green run there; SECONDS then only bounds it).
set -euo pipefail

seconds=${1:-60}
case "$seconds" in
  '' | *[!0-9]*) echo "usage: $0 [SECONDS]   (per fuzz target, default 60)" >&2; exit 2 ;;
esac

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BLACKBOARD_FUZZ_BUILD:-$root/build/fuzz}
fuzz_src=$root/tests/fuzz
export CC=${CC:-clang} CXX=${CXX:-clang++}

if ! command -v "$CXX" >/dev/null 2>&1; then
  echo "run_fuzz.sh: $CXX not found; install the Debian packages clang and libclang-rt-14-dev" >&2
  exit 1
fi

if ! grep -q 'add_subdirectory(tests/fuzz)' "$root/CMakeLists.txt"; then
  echo "run_fuzz.sh: the top-level CMakeLists.txt lacks add_subdirectory(tests/fuzz)" >&2
  exit 1
fi

echo "==> fuzz build ($CXX) in $build" >&2
cmake -G Ninja -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DBLACKBOARD_CORE_ONLY=ON -DBLACKBOARD_FUZZ=ON -DBLACKBOARD_BENCH=OFF -DBLACKBOARD_WERROR=ON >/dev/null
targets=(blackboard_scenario_fuzz blackboard_set_fuzz blackboard_session_fuzz)
[ -f "$root/core/include/blackboard/lecture.hpp" ] && targets+=(blackboard_lecture_fuzz)
cmake --build "$build" --target "${targets[@]}"

# Readable stack traces when llvm-symbolizer is installed (clang pulls in llvm-14).
for sym in llvm-symbolizer llvm-symbolizer-14; do
  if command -v "$sym" >/dev/null 2>&1; then export ASAN_SYMBOLIZER_PATH=$(command -v "$sym"); break; fi
done
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

status=0
for target in "${targets[@]}"; do
  corpus_name=${target#blackboard_}
  corpus_name=${corpus_name%_fuzz}
  work=$build/corpus/$corpus_name
  artifacts=$build/artifacts/$target
  rm -rf "$work" "$artifacts"
  mkdir -p "$work" "$artifacts"
  cp "$fuzz_src/corpus/$corpus_name"/* "$work"/
  echo "==> $target for ${seconds} s (corpus copy: $work)" >&2
  log=$build/$target.log
  deterministic=()
  if [ -n "${BLACKBOARD_FUZZ_RUNS:-}" ]; then deterministic=(-runs="$BLACKBOARD_FUZZ_RUNS" -seed=1); fi
  if "$build/tests/fuzz/$target" "$work" "${deterministic[@]}" \
      -dict="$fuzz_src/scenario.dict" \
      -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -max_len=8192 \
      -artifact_prefix="$artifacts/" -print_final_stats=1 >"$log" 2>&1; then
    grep -E '^(Done|stat::peak_rss_mb)' "$log" >&2 || true
  else
    status=1
    echo "run_fuzz.sh: $target FAILED; last lines of $log:" >&2
    tail -n 40 "$log" >&2
    ls "$artifacts" >&2
  fi
done
exit "$status"
