#!/usr/bin/env bash
# One command for the whole proof: install what is missing, build, run every test; then
# the same suites built with AddressSanitizer and UndefinedBehaviorSanitizer (clang,
# Debug, build-asan/), and each fuzz target for a bounded time from its seed corpus.
# SMTPWB_QUICK=1 skips the sanitizer build and the fuzzers (a developer's quick loop).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
scripts/build.sh
export QT_QPA_PLATFORM=offscreen

# The integration tests start a private Postfix and a DNS server on 127.0.0.1:53: root's
# work, so a normal user's run goes through sudo; the build tree is handed back after.
run_ctest() {
  local dir=$1 status=0
  local ctest=(ctest --test-dir "$dir" --output-on-failure --timeout 300 -j "$(nproc)")
  if [[ $(id -u) -eq 0 ]]; then
    "${ctest[@]}" || status=$?
  else
    sudo -E "${ctest[@]}" || status=$?
    sudo chown -R "$(id -u):$(id -g)" "$dir"
  fi
  return $status
}

run_ctest build
if [[ "${SMTPWB_QUICK:-}" == 1 ]]; then
  exit 0
fi

if [[ ! -f build-asan/build.ninja ]]; then
  CC=clang CXX=clang++ cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DSMTPWB_SANITIZE=ON -DSMTPWB_FUZZ=ON
fi
cmake --build build-asan --parallel "$(nproc)"
# Any report fails the test: halt_on_error, and leaks count (system libraries' own are
# suppressed by name in tests/sanitizers/lsan.supp).
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:abort_on_error=0:strict_string_checks=1"
export LSAN_OPTIONS="suppressions=$PWD/tests/sanitizers/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
run_ctest build-asan
scripts/fuzz.sh "${SMTPWB_FUZZ_SECONDS:-20}" build-asan
