#!/usr/bin/env bash
# a 32-bit program's cancel on 64-bit Windows. wine32 does
# not install here, so the x64 build plays the x86 one: the test hook
# NETRECLAIM_TEST_WOW64=1 takes the process for a WOW64 one, and the
# provider hands the reclaim to the netreclaim.exe recorded under
# HKLM\Software\NetReclaim\Install (ExePath). A holder keeps
# \\srv\share\f.txt open while alice's Q: is cancelled with force; each
# cancel must answer the stock 0 whatever becomes of the hand-off:
#  1. nothing recorded: one record says so, even for two cancels in one
#     process, and nothing is closed in process (the WOW64 table is not read);
#  2. the recorded program is missing, 3. is no program (a DLL);
#  4. it fails (exit 1): it was given reclaim "\\srv\share" --luid 0x<16 hex>;
#  5. it outlives the wait: the cancel returns while the program still waits
#     for its gate, the record says so, and once the gate opens the program
#     finishes (it is never ended);
#  6. the real netreclaim.exe: the handle is closed and its record is the
#     in-process one ("netreclaim reclaim of \\srv\share.", "closed: ...");
#  7. hook =0 (native): in process as ever, no hand-off, nothing said of it.
# Usage: scenario_handoff.sh <work dir> <bin dir>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
work=$1 bin=$2

nr_prefix "$work" handoff
nr_install "$bin" netreclaim
nr_share srv share
record_key='HKLM\Software\NetReclaim\Install'
policy_key='HKLM\Software\NetReclaim'
fake_log=$NR_DIR/fake.log
winpath() { local p="Z:$1"; printf '%s' "${p//\//\\}"; }
export NETRECLAIM_TEST_WOW64=1 NR_FAKE_LOG
NR_FAKE_LOG=$(winpath "$fake_log")

set_exe() { # <windows path>
  nr_wine reg add "$record_key" /v ExePath /t REG_SZ /d "$1" /f >/dev/null \
    || nr_die "reg add ExePath failed"
}

add_q() {
  nr_expect "$(nr_wnet add '\\srv\share' --local Q: --user alice --password pw)" ' -> 0 NO_ERROR'
}

# cancel Q: --force in a process of its own: $out, $record, $elapsed_ms.
# The output goes to a file, not a pipe: a program left running keeps the
# pipe open, and the cancel's own time is what counts.
cancel_q() {
  local t0
  t0=$(date +%s%N)
  local rc=0
  WINEDEBUG=+eventlog timeout -k 5 "$NR_TIMEOUT" wine "$NR_BIN/wnet.exe" cancel Q: --force \
    </dev/null >"$NR_DIR/cancel.out" 2>"$NR_DIR/wine.err" || rc=$?
  nr_ran "$rc" "$NR_DIR/wine.err" wnet.exe cancel Q: --force
  [ "$rc" = 0 ] || nr_die "wnet cancel did not run"
  elapsed_ms=$((($(date +%s%N) - t0) / 1000000))
  out=$(tr -d '\r' <"$NR_DIR/cancel.out")
  nr_expect "$out" ' -> 0 NO_ERROR last=0'
  record=$(nr_eventlog)
  echo "$record"
}

told() { # <event id> <cause text>: exactly one record about the hand-off, of
  # that cause's id (docs/events.md), with the cause's text
  local n
  nr_expect_record "$1" "$2"
  shift
  grep -qF -- "not reclaimed for this 32-bit program." <<<"$record" \
    || nr_die "no hand-off record: ${record:-none}"
  grep -qF -- "$1" <<<"$record" || nr_die "the hand-off record does not say '$1': $record"
  grep -qF -- 'The cancel itself succeeded' <<<"$record" || nr_die "the record hides the result"
  n=$(grep -cF -- "not reclaimed for this 32-bit program" <<<"$record")
  [ "$n" = 1 ] || nr_die "$n hand-off records, expected 1 per cause per process"
  echo "told: ...$1..."
}

still_open() {
  nr_hold_check a
  nr_hold_expect a '\\srv\share\f.txt' valid
  grep -q '^netreclaim reclaim of ' <<<"$record" && nr_die "a reclaim ran in process: $record"
  return 0
}

# The holder opens its file through alice's session, as in Q245006.
add_q
nr_hold a '\\srv\share\f.txt'

nr_note "1. no program recorded: said once for two cancels in one process; nothing closed"
out=$(printf '%s\n' "cancel Q: --force" "add \\\\srv\\share --local Q: --user alice --password pw" "cancel Q: --force" |
  WINEDEBUG=+eventlog nr_wnet_batch)
echo "$out"
[ "$(grep -c 'WNetCancelConnection2W name=Q: .* -> 0 NO_ERROR last=0' <<<"$out")" = 2 ] \
  || nr_die "both cancels must answer the stock 0: $out"
record=$(nr_eventlog)
echo "$record"
told 40 'no netreclaim.exe is recorded'
nr_expect_record 49 'Test hook NETRECLAIM_TEST_WOW64=1'
still_open

nr_note "2. the recorded program is missing"
set_exe 'C:\nowhere\netreclaim.exe'
add_q
cancel_q
told 41 'the recorded netreclaim.exe is missing: C:\nowhere\netreclaim.exe'
still_open

nr_note "3. the recorded program is no program of the native machine (a DLL)"
set_exe 'C:\windows\system32\nrmodel.dll'
add_q
cancel_q
told 42 "not built for this machine's native processes: C:\\windows\\system32\\nrmodel.dll"
still_open

nr_note "4. it fails: exit 1; it was given the target and the caller's LUID"
set_exe "$(winpath "$bin/fakeexe.exe")"
rm -f "$fake_log"
add_q
NR_FAKE_EXIT=1 cancel_q
told 47 'netreclaim.exe failed, exit code 1.'
still_open
printf 'start\nreclaim\n\\\\srv\\share\n--luid\n0x0000000000000000\ndone\n' | diff - <(tr -d '\r' <"$fake_log") \
  || nr_die "the program was not given: reclaim \\\\srv\\share --luid 0x<16 hex digits>"

nr_note "5. it outlives the wait (NameQueryTimeoutMs 10: 2.1 s): left to finish, never ended"
# The program cannot finish before the gate file exists, and the gate is made
# only after the cancel returned: the cancel did not wait for it, by order,
# not by a clock.
nr_wine reg add "$policy_key" /v NameQueryTimeoutMs /t REG_DWORD /d 10 /f >/dev/null
rm -f "$fake_log" "$NR_DIR/gate"
add_q
NR_FAKE_GATE=$(winpath "$NR_DIR/gate") cancel_q
echo "cancel took ${elapsed_ms} ms"
told 45 'did not finish in time; it is left to finish on its own'
grep -qx start <(tr -d '\r' <"$fake_log") || nr_die "the program was not started"
grep -qx done <(tr -d '\r' <"$fake_log") && nr_die "the program finished before its gate opened"
touch "$NR_DIR/gate"
for _ in $(seq 1 $((NR_TIMEOUT * 10))); do
  grep -qx done <(tr -d '\r' <"$fake_log") && break
  sleep 0.1
done
grep -qx done <(tr -d '\r' <"$fake_log") || nr_die "the program was ended: no 'done' in its log"
nr_wine reg delete "$policy_key" /v NameQueryTimeoutMs /f >/dev/null
still_open

nr_note "6. the real netreclaim.exe: the handle is closed, its record is the in-process one"
set_exe "$(winpath "$bin/netreclaim.exe")"
add_q
cancel_q
grep -qF 'not reclaimed for this 32-bit program' <<<"$record" && nr_die "a failure was told: $record"
nr_expect_closed 'netreclaim reclaim of \\srv\share.'
grep -qE '^closed: holder\.exe \(pid [0-9]+\) handle 0x[0-9a-f]+ \\\\srv\\share\\f\.txt$' \
  <<<"$record" || nr_die "the record does not name the closed handle"
nr_hold_check a
nr_hold_expect a '\\srv\share\f.txt' invalid
nr_hold_end a

nr_note "7. hook =0 (native), nothing recorded: in process as before, no hand-off"
nr_wine reg delete "$record_key" /v ExePath /f >/dev/null
add_q
nr_hold b '\\srv\share\f.txt'
NETRECLAIM_TEST_WOW64=0 cancel_q
grep -qF 'not reclaimed for this 32-bit program' <<<"$record" && nr_die "a native process handed off"
nr_expect_closed 'netreclaim reclaim of \\srv\share.'
nr_hold_check b
nr_hold_expect b '\\srv\share\f.txt' invalid
nr_hold_end b
echo PASS
