#!/usr/bin/env bash
# The whole test suite: unit tests (ASan/UBSan), fuzz smoke runs, Wine integration tests.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
bash .ci/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)" --timeout 600
echo "test.sh: wall time $(( $(date +%s) - start )) s"
