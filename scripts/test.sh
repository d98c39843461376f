#!/usr/bin/env bash
# One command for the whole proof: install what is missing, build, run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
scripts/build.sh
export QT_QPA_PLATFORM=offscreen
ctest=(ctest --test-dir build --output-on-failure --timeout 300 -j "$(nproc)")
if [[ $(id -u) -eq 0 ]]; then
  exec "${ctest[@]}"
fi
# The integration tests start a private Postfix and a DNS server on 127.0.0.1:53: root's
# work. The build tree is handed back to its owner afterwards.
status=0
sudo -E "${ctest[@]}" || status=$?
sudo chown -R "$(id -u):$(id -g)" build
exit $status
