#!/usr/bin/env bash
# never hang (docs/design.md rule 6): five processes of the session each
# hold a synchronous named pipe and an anonymous pipe, each with a ReadFile
# pending in a thread (name queries on such handles can block on Windows); the
# last one also holds a file under \\srv\share. With NameQueryTimeoutMs = 200,
# the forced cancel returns (within the harness's bound on every program: a
# hang check; its time is printed, never asserted, since a loaded machine
# stretches wine's start-up), the file is still reclaimed (the
# ten anonymous pipe ends skipped on the way must not use up the planner's
# budget of timeouts), the pipes are left open and the holder keeps running.
# Wine itself never blocks these queries, so the abandoned-worker path is
# proven by the seam's conformance test; here the bound and the outcome are.
# Usage: scenario_reclaim_hang.sh <work dir> <bin dir>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
work=$1 bin=$2
timeout_ms=200

nr_prefix "$work" reclaim-hang
nr_install "$bin" netreclaim
nr_share srv share
nr_wine reg add 'HKLM\SOFTWARE\NetReclaim' /v NameQueryTimeoutMs /t REG_DWORD \
  /d "$timeout_ms" /f >/dev/null

nr_note "alice maps Q:; five processes hold pipes with pending reads, the last also \\\\srv\\share\\f.txt"
nr_expect "$(nr_wnet add '\\srv\share' --local Q: --user alice)" ' -> 0 NO_ERROR'
for i in 1 2 3 4; do
  nr_hold "pipes$i" --pipe
  [ "$(grep -c '^pipe .* pending$' <<<"${NR_HOLD_LOG[pipes$i]}")" = 2 ] \
    || nr_die "holder pipes$i has no pending pipe reads"
done
nr_hold pipes --pipe '\\srv\share\f.txt'
[ "$(grep -c '^pipe .* pending$' <<<"${NR_HOLD_LOG[pipes]}")" = 2 ] \
  || nr_die "the holder has no pending pipe reads"
pipe=$(sed -n 's/^pipe \(\\\\\.\\pipe\\[^ ]*\) pending$/\1/p' <<<"${NR_HOLD_LOG[pipes]}")

nr_note "forced cancel of Q: (bounded by ${NR_TIMEOUT} s)"
t0=$(date +%s%N)
out=$(WINEDEBUG=+eventlog nr_wnet cancel Q: --force)
elapsed_ms=$((($(date +%s%N) - t0) / 1000000))
nr_expect "$out" ' -> 0 NO_ERROR last=0'
echo "cancel took ${elapsed_ms} ms"
record=$(nr_eventlog)
echo "$record"
grep -qE '^closed: holder\.exe \(pid [0-9]+\) handle 0x[0-9a-f]+ \\\\srv\\share\\f\.txt$' \
  <<<"$record" || nr_die "the record does not name the reclaimed file"
grep -q 'over the planning limits' <<<"$record" && nr_die "the pipes used up the planning limits"

nr_note "the file is reclaimed, the pipes stay, the holder still answers"
nr_hold_check pipes
nr_hold_expect pipes '\\srv\share\f.txt' invalid
nr_hold_expect pipes "$pipe" valid
nr_hold_expect pipes anonymous valid
nr_expect "$(nr_wnet add '\\srv\share' --local Q: --user bob)" ' -> 0 NO_ERROR'
nr_hold_end pipes
for i in 1 2 3 4; do nr_hold_end "pipes$i"; done
echo "reclaim-hang: PASS (cancel ${elapsed_ms} ms)"
