#!/usr/bin/env bash
# Builds everything and runs the Q245006 demo under Wine, without and with netreclaim.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/build.sh
bash tests/wine/demo.sh build
