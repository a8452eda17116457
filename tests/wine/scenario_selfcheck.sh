#!/usr/bin/env bash
# The self-checks that fail safe (docs/design.md, "Self-checks").
#  - netreclaim doctor shows each check as Wine answers it: handle-table and
#    local-name pass, same-object as Wine's CompareObjectHandles answers,
#    volume-name not available (class 58 answers STATUS_NOT_IMPLEMENTED), so
#    the device prefilter is off.
#  - With no hook a forced cancel of Q: reclaims the handle left under it and
#    writes no self-check record.
#  - For each check a close relies on, failed through the test hook
#    NETRECLAIM_TEST_SELFCHECK: two forced cancels in one process are both
#    audits (the handle stays), each reclaim record names the check, and one
#    self-check record (event 70) names it, once for the process; doctor
#    reports it as a finding.
#  - volume-name failed: only the prefilter is off; the handle is reclaimed.
# Usage: scenario_selfcheck.sh <work dir> <bin dir>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
work=$1 bin=$2

nr_prefix "$work" selfcheck
nr_install "$bin" netreclaim
nr_share srv share

doctor() { # [hook]: doctor's output in $out (it finds the x86 DLL missing: exit 6)
  local rc=0
  out=$(NETRECLAIM_TEST_SELFCHECK=${1:-} nr_wine "$bin/netreclaim.exe" doctor) || rc=$?
  echo "$out"
  [ "$rc" = 0 ] || [ "$rc" = 6 ] || nr_die "doctor exited $rc"
}

said() { grep -Fq -- "$1" <<<"$out" || nr_die "expected '$1' in: $out"; }

nr_note "doctor: each self-check as Wine answers it"
doctor
said 'note: self-check handle-table: passed.'
said 'note: self-check local-name: passed.'
grep -Eq '^note: self-check same-object: (passed|not available)\.' <<<"$out" ||
  nr_die "same-object neither passed nor not available: $out"
said 'note: self-check volume-name: not available (status 0xc0000002).'
said 'note: the device prefilter is off: every File handle is named.'
grep -q '^problem: self-check' <<<"$out" && nr_die "a self-check finding without a hook"

# reclaim <hook> <holder id>: Q: mapped, a file held under it, then two forced
# cancels in one process with the hook set. Records in $record.
reclaim() {
  local hook=$1 id=$2
  nr_expect "$(nr_wnet add '\\srv\share' --local Q: --user alice)" ' -> 0 NO_ERROR'
  nr_hold "$id" '\\srv\share\f.txt'
  out=$(printf '%s\n' 'cancel Q: --force' 'add \\srv\share --local Q: --user alice' \
      'cancel Q: --force' | NETRECLAIM_TEST_SELFCHECK=$hook WINEDEBUG=+eventlog nr_wnet_batch)
  echo "$out"
  [ "$(grep -c ' -> 0 NO_ERROR' <<<"$out")" = 3 ] || nr_die "the cancels and the add did not all succeed: $out"
  record=$(nr_eventlog)
  echo "$record"
  nr_hold_check "$id"
}

count() { grep -c -- "$1" <<<"$record" || true; }

nr_note "no hook: the handle is reclaimed, no self-check record"
reclaim '' clean
nr_hold_expect clean '\\srv\share\f.txt' invalid
[ "$(count 'self-check')" = 0 ] || nr_die "a self-check record without a hook: $record"
nr_hold_end clean

for check in handle-table local-name same-object; do
  nr_note "$check failed: every reclaim of the process is an audit, one record names it"
  reclaim "$check" "$check"
  nr_hold_expect "$check" '\\srv\share\f.txt' valid
  [ "$(count "^netreclaim self-check $check failed on this machine: every reclaim of this process is an audit")" = 1 ] ||
    nr_die "not one self-check record naming $check: $record"
  [ "$(count '^== record 70$')" = 1 ] || nr_die "not one record with id 70 (a self-check failed): $record"
  [ "$(count "^netreclaim audit of \\\\\\\\srv\\\\share (self-check $check failed on this machine: nothing is closed)\.$")" = 2 ] ||
    nr_die "not two reclaim records naming $check: $record"
  [ "$(count '^Would close 1; ')" = 2 ] || nr_die "the audits did not say what they would close: $record"
  nr_hold_end "$check"
  doctor "$check"
  said "problem: self-check $check failed ("
done

nr_note "volume-name failed: the prefilter is off, the handle is reclaimed"
reclaim volume-name volume
nr_hold_expect volume '\\srv\share\f.txt' invalid
[ "$(count '^volume-name: FAILED')" = 1 ] || nr_die "not one record of volume-name failed: $record"
[ "$(count 'The device prefilter is off')" = 1 ] || nr_die "the record does not say the prefilter is off"
[ "$(count '^netreclaim reclaim of \\\\srv\\share\.$')" = 1 ] || nr_die "the first cancel did not reclaim: $record"
nr_hold_end volume
echo "selfcheck: PASS"
