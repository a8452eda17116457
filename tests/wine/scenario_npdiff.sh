#!/usr/bin/env bash
# npdiff: nrmodel.dll and netreclaim.dll (which forwards to nrmodel.dll, the
# registered stock provider) called side by side, entry point by entry point.
# Usage: scenario_npdiff.sh <work dir> <bin dir>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
work=$1 bin=$2

nr_prefix "$work" npdiff
nr_install "$bin" netreclaim
nr_share srv share
nr_share srv other
out=$(nr_wine "$bin/npdiff.exe" 'C:\windows\system32\nrmodel.dll' \
  'C:\windows\system32\netreclaim.dll') || { echo "$out"; nr_die "npdiff found differences"; }
echo "$out"
grep -Eq '^npdiff: [0-9]+ cases, 0 differences' <<<"$out" || nr_die "no npdiff summary"
echo "npdiff: PASS"
