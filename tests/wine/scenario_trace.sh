#!/usr/bin/env bash
# the trace. Off by default: no "netreclaim:" line on the debug
# channel. With HKLM\SOFTWARE\NetReclaim Trace=1: each NP entry and exit of
# an add, an enumeration of the connections and a cancel, with arguments,
# result and last error, and never the password. (Wine 8 prints
# OutputDebugString on its seh channel: WINEDEBUG=warn+seh. Its
# WNetGetConnectionW asks no provider, so the enumeration stands in.) The
# same lines go to the ETW provider on Windows; under Wine no session ever
# listens, and the provider must then write nothing.
# Usage: scenario_trace.sh <work dir> <bin dir>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
work=$1 bin=$2
key='HKLM\SOFTWARE\NetReclaim'

nr_prefix "$work" trace
nr_install "$bin" netreclaim
nr_share srv share

# traced <wnet args>: one wnet.exe run with the debug channel on; its
# output in $out, its netreclaim lines in $trace.
traced() {
  out=$(WINEDEBUG=warn+seh nr_wnet "$@")
  trace=$(sed -nE 's/^[0-9a-f]+:warn:seh:OutputDebugStringA "(netreclaim: .*)"$/\1/p' \
    "$NR_DIR/wine.err" | perl -pe 's/\\(.)/$1/g')
}

nr_note "trace off (the default): nothing on the debug channel"
traced add '\\srv\share' --local Q: --user alice --password s3cret
nr_expect "$out" ' -> 0 NO_ERROR'
[ -z "$trace" ] || nr_die "trace lines while off: $trace"
nr_expect "$(nr_wnet cancel Q:)" ' -> 0 NO_ERROR'

nr_note "Trace=1: every NP entry and exit"
nr_wine reg add "$key" /v Trace /t REG_DWORD /d 1 /f >/dev/null
traced add '\\srv\share' --local Q: --user alice --password s3cret
nr_expect "$out" ' -> 0 NO_ERROR'
echo "$trace"
grep -Eq '^netreclaim: NPAddConnection3\(remote \\\\srv\\share, local Q:, provider .*, type 1, user alice, flags (0x)?[0-9a-f]+\)' <<<"$trace" ||
  nr_die "no NPAddConnection3 entry line: $trace"
grep -Eq '^netreclaim: NPAddConnection3 -> 0 \(last error [0-9]+\)$' <<<"$trace" ||
  nr_die "no NPAddConnection3 exit line: $trace"
grep -Eq '^netreclaim: NPGetCaps\([0-9]+\)$' <<<"$trace" || nr_die "no NPGetCaps line: $trace"
if grep -q 's3cret' <<<"$trace" "$NR_DIR/wine.err"; then nr_die "the password reached the trace"; fi

traced enum --scope connected
nr_expect "$out" ' -> 0 NO_ERROR last=0 count=1 '
echo "$trace"
grep -Eq '^netreclaim: NPOpenEnum\(scope 1, type 0, usage (0x)?0, remote \(null\)\)$' <<<"$trace" ||
  nr_die "no NPOpenEnum line: $trace"
grep -Eq '^netreclaim: NPEnumResource\(enum (0x)?[0-9A-Fa-f]+\)$' <<<"$trace" ||
  nr_die "no NPEnumResource line: $trace"
grep -Eq '^netreclaim: NPCloseEnum -> 0 \(last error [0-9]+\)$' <<<"$trace" ||
  nr_die "no NPCloseEnum exit: $trace"

traced cancel Q: --force
nr_expect "$out" ' -> 0 NO_ERROR'
grep -Eq '^netreclaim: NPCancelConnection2?\(Q:, force 1' <<<"$trace" || nr_die "no cancel entry: $trace"
grep -Eq '^netreclaim: NPCancelConnection2? -> 0 \(last error [0-9]+\)$' <<<"$trace" ||
  nr_die "no cancel exit: $trace"
# Each step of the cancel, in order, with its time since the entry began
# (tests/bench/run.sh --steps reads them).
steps=$(sed -nE 's/^netreclaim: step (.*) at [0-9]+ us$/\1/p' <<<"$trace" | paste -sd,)
want="policy and target,stock cancel,ledger: forget,stock connections,ledger: connections in use"
want+=",hand-off check,reclaim request,reclaim lock,plan,closes,record,idle cancels"
[ "$steps" = "$want" ] || nr_die "cancel steps: got '$steps', expected '$want'"

# Wine 8's ETW calls are stubs (docs/wine-notes.md): EventRegister succeeds
# with a made-up handle, EventProviderEnabled answers FALSE, and each call
# prints a line on the ntdll channel, so the calls themselves can be counted.
nr_note "ETW: the provider registers once per process, asks whether a session listens, writes nothing when none does"
nr_expect "$(WINEDEBUG=warn+ntdll,fixme+ntdll nr_wnet enum --scope connected)" ' -> 0 NO_ERROR '
etw=$(grep -a 'ntdll:Etw' "$NR_DIR/wine.err" || true)
n=$(grep -c 'EtwEventRegister ({282edbf5-623b-44d4-8c49-f0f7c40088d4}' <<<"$etw" || true)
[ "$n" = 1 ] || nr_die "the trace provider registered $n times in one process, expected 1: $etw"
grep -q 'EtwEventProviderEnabled deadbeef, 0, 0' <<<"$etw" ||
  nr_die "the trace never asked whether a session listens: $etw"
if grep -q 'EtwEventWriteString' <<<"$etw"; then
  nr_die "an ETW event was written while no session listens: $(grep 'EtwEventWriteString' <<<"$etw" | head -3)"
fi
echo "etw: registered once, asked $(grep -c 'EtwEventProviderEnabled' <<<"$etw") times, wrote nothing"

nr_note "Trace=0: off again"
nr_wine reg add "$key" /v Trace /t REG_DWORD /d 0 /f >/dev/null
traced enum --scope connected
[ -z "$trace" ] || nr_die "trace lines with Trace=0: $trace"
echo "trace: PASS"
