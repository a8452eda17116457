#!/usr/bin/env bash
# The whole suite N times in a row (default 5) on a machine held busy by a
# CPU hog: stress-ng --cpu 4, installed if missing, started
# before each run and stopped after it (bounded by its own --timeout too).
# Builds a clean clone of HEAD once, in a scratch folder. Prints one line per
# run (ctest's verdict, seconds, load average) and the tests that failed.
# Usage: tests/loaded.sh [runs] [scratch dir]
set -uo pipefail
runs=${1:-5} dir=${2:-/tmp/netreclaim-loaded}
top=$(git -C "$(dirname "$0")" rev-parse --show-toplevel) || exit 2
command -v stress-ng >/dev/null ||
  { apt-get update -qq && apt-get install -y -qq stress-ng >/dev/null; } || exit 2
rm -rf "$dir" && git clone -q "$top" "$dir" && cd "$dir" || exit 2
echo "HEAD $(git log --oneline | head -1)"
bash .ci/build.sh >"$dir.build.log" 2>&1 || { echo "build failed: $dir.build.log"; exit 1; }
failed=0
for ((i = 1; i <= runs; i++)); do
  stress-ng --cpu 4 --timeout 900 >/dev/null 2>&1 &
  hog=$!
  start=$(date +%s)
  ctest --test-dir build -j2 --timeout 600 --output-on-failure >"$dir.run-$i.log" 2>&1 || failed=1
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  kill "$hog" 2>/dev/null
  wait "$hog" 2>/dev/null
  echo "run $i: $(grep -E 'tests passed' "$dir.run-$i.log") $(($(date +%s) - start)) s, load $load"
  grep -E "Test +#" "$dir.run-$i.log" | grep -vE " Passed| Skipped" | sed 's/^/  /'
done
exit $failed
