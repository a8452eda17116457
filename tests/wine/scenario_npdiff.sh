#!/usr/bin/env bash
# npdiff: nrmodel.dll and netreclaim.dll (which forwards to nrmodel.dll, the
# registered stock provider) called side by side, entry point by entry point,
# every entry of provider/entries.h covered. Outputs must be identical, and
# per case and per entry the model must log as many calls through netreclaim
# as without it (rule 1: exactly once). Twice: in the default mode, where
# netreclaim's own read-only lookups and unforced cancels may add calls of
# those entries only; then in Mode=off, where it makes none, so every count
# must match.
# Usage: scenario_npdiff.sh <work dir> <bin dir>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
work=$1 bin=$2

nr_prefix "$work" npdiff
nr_install "$bin" netreclaim
nr_share srv share
nr_share srv other

# npdiff_run <label> [--same-calls]
npdiff_run() {
  local label=$1 out
  shift
  nr_note "npdiff, $label"
  out=$(nr_wine "$bin/npdiff.exe" "$@" 'C:\windows\system32\nrmodel.dll' \
    'C:\windows\system32\netreclaim.dll') || { echo "$out"; nr_die "npdiff ($label) found differences"; }
  echo "$out"
  grep -Eq '^npdiff: [0-9]+ cases, 0 differences, ([0-9]+) of \1 entries covered' <<<"$out" \
    || nr_die "no clean npdiff summary ($label)"
  grep -q '(DIFFERENT)\|NOT COVERED' <<<"$out" && nr_die "npdiff ($label) printed a difference"
  return 0
}

npdiff_run "default mode"
nr_wine reg add 'HKLM\SOFTWARE\NetReclaim' /v Mode /t REG_SZ /d off /f >/dev/null
npdiff_run "Mode=off" --same-calls
echo "npdiff: PASS"
