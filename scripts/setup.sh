#!/usr/bin/env bash
# Installs what the build and the tests need from Debian 12, and only what is missing.
# Usage: scripts/setup.sh [--tests]   (as root, or a user who may sudo)
# Packages are installed without starting their services: on a machine with systemd,
# Debian would otherwise start Postfix on port 25 the moment it is installed.
set -euo pipefail

packages=(cmake ninja-build g++ pkg-config
          qt6-base-dev qt6-base-dev-tools qt6-qpa-plugins libqt6svg6 libgl1-mesa-dev
          qtkeychain-qt6-dev libgmime-3.0-dev libunbound-dev dns-root-data fonts-dejavu-core openssl)
if [[ "${1:-}" == "--tests" ]]; then
  # A real MTA for the integration tests, a DNS server with the tools to sign its zones and a
  # web server (the server check's tests), an X server for screenshots, benchmarks, and
  # clang for the sanitizer and fuzzing build.
  packages+=(postfix sasl2-bin libsasl2-modules nsd ldnsutils nginx-light xvfb xauth libbenchmark-dev
             clang libclang-rt-14-dev)
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

# Debian's policy-rc.d: while it exits 101, invoke-rc.d starts no service. One that was
# there before us is kept as it was.
policy=/usr/sbin/policy-rc.d
own_policy=""
if [[ ! -e $policy ]]; then
  own_policy=yes
  printf '#!/bin/sh\n# smtp-workbench setup: start no service during this install\nexit 101\n' | $sudo tee $policy >/dev/null
  $sudo chmod 755 $policy
  trap '$sudo rm -f $policy' EXIT
fi

$sudo apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
if [[ -n $own_policy ]]; then
  $sudo rm -f $policy
  trap - EXIT
fi
