#!/usr/bin/env bash
# Runs each libFuzzer target for SECONDS from its seed corpus (tests/fuzz/corpus/<name>),
# in a throw-away working corpus so the tree is left as it was. Prints each target's
# executions per second; fails on the first crash, leak, timeout or out-of-memory.
# Usage: scripts/fuzz.sh [SECONDS] [BUILD_DIR]   (a build configured with -DSMTPWB_FUZZ=ON)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
build=${2:-build-asan}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=offscreen
export ASAN_OPTIONS="${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0}"

status=0
for seeds in tests/fuzz/corpus/*/; do
  name=$(basename "$seeds")
  binary="$build/tests/fuzz/fuzz_$name"
  [[ -x $binary ]] || { echo "fuzz.sh: $binary is missing (configure with -DSMTPWB_FUZZ=ON)" >&2; exit 2; }
  mkdir -p "$work/$name" "$work/artifacts-$name"
  log="$work/$name.log"
  if "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
       -print_final_stats=1 -artifact_prefix="$work/artifacts-$name/" \
       "$work/$name" "$seeds" >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz_$name: $runs runs in ${seconds}s ($((runs / seconds))/s), no finding"
  else
    echo "fuzz_$name: FAILED; the end of its log and the input that broke it:" >&2
    tail -n 60 "$log" >&2
    for input in "$work/artifacts-$name"/*; do
      [[ -f $input ]] && { mkdir -p fuzz-findings; cp "$input" fuzz-findings/; echo "kept in fuzz-findings/$(basename "$input")" >&2; }
    done
    status=1
  fi
done
exit $status
