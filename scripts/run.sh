#!/usr/bin/env bash
# One command for a newcomer: install what is missing, build, open the workbench on the
# built-in practice server.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
exec build/app/gui/smtp-workbench "$@"   # opens on the practice server by default
