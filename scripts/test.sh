#!/usr/bin/env bash
# One command for the whole proof: install what is missing, build, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
scripts/build.sh
export QT_QPA_PLATFORM=offscreen
run=()
# The integration tests start a private Postfix and a DNS server on 127.0.0.1:53: root's work.
if [[ $(id -u) -ne 0 ]]; then run=(sudo --preserve-env=QT_QPA_PLATFORM,CI); fi
"${run[@]}" ctest --test-dir build --output-on-failure --timeout 300 -j "$(nproc)"
