#!/usr/bin/env bash
# Configures and builds everything: native core and tests, and both mingw-w64 cross builds.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
