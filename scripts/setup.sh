#!/usr/bin/env bash
# Installs what the build and the tests need from Debian 12, and only what is missing.
# Usage: scripts/setup.sh [--tests]   (as root, or a user who may sudo)
set -euo pipefail

packages=(cmake ninja-build g++ pkg-config
          qt6-base-dev qt6-base-dev-tools qt6-qpa-plugins libgl1-mesa-dev
          qtkeychain-qt6-dev libgmime-3.0-dev fonts-dejavu-core openssl)
if [[ "${1:-}" == "--tests" ]]; then
  # A real MTA for the integration tests, an X server for screenshots, benchmarks.
  packages+=(postfix sasl2-bin libsasl2-modules xvfb xauth libbenchmark-dev)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if (( ${#missing[@]} == 0 )); then
  echo "setup: all ${#packages[@]} packages already installed"
  exit 0
fi

sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
