#!/usr/bin/env bash
# Faults around the reclaim (netreclaim in front of the model provider).
#  - stock: LanmanWorkstation's ProviderPath missing, naming a DLL that is no
#    provider (kernel32.dll), or unexpandable (%NR_NO_SUCH_VAR%\x.dll, which
#    ExpandEnvironmentStrings leaves as is, so LoadLibrary fails). Each time a
#    WNet add answers an error, wnet prints its result line, Wine reports no
#    unhandled exception, and (where netreclaim can tell) a +eventlog record
#    says why the stock provider is unavailable.
#  - policy: the policy key holds each value with a wrong type (Mode as
#    REG_DWORD, NameQueryTimeoutMs as REG_SZ, ExcludedProcesses as REG_DWORD):
#    they are ignored, and the KB Q245006 cancel still reclaims with defaults.
#  - concurrency: 16 wnet processes cancel (with force) at once 16 connections
#    to 4 shares (each share: one deviceless and three drive letters). Every
#    cancel answers 0 within the bound, nothing crashes, the handles under the
#    4 shares are closed and the decoys (another server, another share of the
#    same server) stay valid.
# (A holder exiting mid-reclaim: scenario_reclaim_exit.sh.)
# Usage: scenario_faults.sh <work dir> <bin dir>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
work=$1 bin=$2
start=$(date +%s)
stock_key='HKLM\System\CurrentControlSet\Services\LanmanWorkstation\NetworkProvider'
policy_key='HKLM\SOFTWARE\Policies\NetReclaim'

nr_prefix "$work" faults
nr_install "$bin" netreclaim
nr_share srv share
for i in 1 2 3 4; do nr_share cc "s$i"; done
nr_share cc keep
nr_share decoy share

# no_crash <output> <stderr file>: the program printed its result line and
# Wine saw no unhandled exception in it.
no_crash() {
  if nr_crash_line "$2" >/dev/null; then nr_die "$(nr_ended 0 "$2") in: $1"; fi
  grep -Eq ' -> [0-9]+ ' <<<"$1" || nr_die "no result line: $1"
}

# stock_fault <what> <record text or ->: an add fails cleanly, and the record
# (when netreclaim can tell) holds the text.
stock_fault() {
  local what=$1 text=$2 out record
  out=$(WINEDEBUG=+eventlog nr_wnet add '\\srv\share' --local Q: --user alice --password pw)
  echo "$out"
  no_crash "$out" "$NR_DIR/wine.err"
  grep -Eq ' -> 0 NO_ERROR' <<<"$out" && nr_die "$what: the add succeeded without a stock provider"
  record=$(nr_eventlog)
  echo "$record"
  if [ "$text" = - ]; then
    [ -z "$record" ] || nr_die "$what: unexpected record: $record"
  else
    nr_expect_record 100 "$text"
  fi
}

nr_note "stock ProviderPath missing"
nr_wine reg delete "$stock_key" /v ProviderPath /f >/dev/null
stock_fault missing \
  'HKLM\SYSTEM\CurrentControlSet\Services\LanmanWorkstation\NetworkProvider\ProviderPath is missing or not a string.'

nr_note "stock ProviderPath unexpandable: %NR_NO_SUCH_VAR% stays, LoadLibrary fails"
nr_wine reg add "$stock_key" /v ProviderPath /t REG_EXPAND_SZ /d '%NR_NO_SUCH_VAR%\x.dll' /f >/dev/null
stock_fault unexpandable '"%NR_NO_SUCH_VAR%\x.dll" cannot be loaded (error '

nr_note "stock ProviderPath names a DLL that is no provider (kernel32.dll)"
nr_wine reg add "$stock_key" /v ProviderPath /t REG_EXPAND_SZ \
  /d '%SystemRoot%\System32\kernel32.dll' /f >/dev/null
# netreclaim refuses a DLL without NPGetCaps, as MPR does, and says why.
stock_fault not-a-provider 'kernel32.dll" is not a network provider (it exports no NPGetCaps).'

nr_note "stock ProviderPath restored"
nr_wine reg add "$stock_key" /v ProviderPath /t REG_EXPAND_SZ \
  /d '%SystemRoot%\System32\nrmodel.dll' /f >/dev/null

nr_note "policy values of the wrong types are ignored: KB Q245006 still fixed"
nr_wine reg add "$policy_key" /v Mode /t REG_DWORD /d 2 /f >/dev/null
nr_wine reg add "$policy_key" /v NameQueryTimeoutMs /t REG_SZ /d 1 /f >/dev/null
nr_wine reg add "$policy_key" /v ExcludedProcesses /t REG_DWORD /d 1 /f >/dev/null
nr_expect "$(nr_wnet add '\\srv\share' --local Q: --user alice --password pw)" ' -> 0 NO_ERROR'
nr_hold p '\\srv\share\f.txt' '\\srv\share\dir\g.txt' '\\decoy\share\f.txt'
pid_p=$(sed -n 's/^READY //p' <<<"${NR_HOLD_LOG[p]}")
out=$(WINEDEBUG=+eventlog nr_wnet cancel Q: --force)
nr_expect "$out" ' -> 0 NO_ERROR last=0'
no_crash "$out" "$NR_DIR/wine.err"
record=$(nr_eventlog)
echo "$record"
grep -q '^netreclaim reclaim of \\\\srv\\share\.' <<<"$record" \
  || nr_die "not an enforce-mode reclaim of \\\\srv\\share: $record"
nr_expect_closed 'Closed 2 of 2, failed 0, '
nr_expect_record 60 'Setting HKLM\SOFTWARE\Policies\NetReclaim\Mode: ignored, wrong type.'
grep -qE "^closed: holder\.exe \(pid $pid_p\) handle 0x[0-9a-f]+ \\\\\\\\srv\\\\share\\\\f\.txt$" \
  <<<"$record" || nr_die "holder.exe (excluded only by a wrong-typed value) was not reclaimed"
nr_hold_check p
nr_hold_expect p '\\srv\share\f.txt' invalid
nr_hold_expect p '\\srv\share\dir\g.txt' invalid
nr_hold_expect p '\\decoy\share\f.txt' valid
nr_expect "$(nr_wnet add '\\srv\share' --local Q: --user bob --password pw)" ' -> 0 NO_ERROR'
nr_hold_end p
nr_expect "$(nr_wnet cancel Q:)" ' -> 0 NO_ERROR'
nr_wine reg delete "$policy_key" /f >/dev/null

nr_note "concurrency: 16 connections to 4 shares, 16 cancels at once"
letters=(G H I J K L M N O P R S)
names=()
for i in 1 2 3 4; do
  nr_expect "$(nr_wnet add "\\\\cc\\s$i" --user carol)" ' -> 0 NO_ERROR'
  names+=("\\\\cc\\s$i")
  for j in 0 1 2; do
    d=${letters[(i - 1) * 3 + j]}:
    nr_expect "$(nr_wnet add "\\\\cc\\s$i" --local "$d" --user carol)" ' -> 0 NO_ERROR'
    names+=("$d")
  done
done
[ "${#names[@]}" = 16 ] || nr_die "expected 16 connections, have ${#names[@]}"
held=()
for i in 1 2 3 4; do held+=("\\\\cc\\s$i\\f.txt" "\\\\cc\\s$i\\dir\\g.txt"); done
nr_hold h "${held[@]}"
nr_hold decoy '\\decoy\share\f.txt' '\\cc\keep\f.txt' '\\cc\keep\dir'
grep -q '^open .* error' <<<"${NR_HOLD_LOG[h]}${NR_HOLD_LOG[decoy]}" && nr_die "a holder could not open a path"

pids=()
t0=$SECONDS
for k in "${!names[@]}"; do
  timeout -k 5 "$NR_TIMEOUT" wine "$NR_BIN/wnet.exe" cancel "${names[k]}" --force \
    </dev/null >"$NR_DIR/cancel.$k.out" 2>"$NR_DIR/cancel.$k.err" &
  pids+=($!)
done
for k in "${!pids[@]}"; do
  rc=0
  wait "${pids[k]}" || rc=$?
  nr_ran "$rc" "$NR_DIR/cancel.$k.err" wnet.exe cancel "${names[k]}" --force
  [ "$rc" = 0 ] || nr_die "cancel of ${names[k]} failed or hung: $(nr_ended "$rc" "$NR_DIR/cancel.$k.err")"
done
echo "16 cancels answered in $((SECONDS - t0)) s"
for k in "${!names[@]}"; do
  out=$(tr -d '\r' <"$NR_DIR/cancel.$k.out")
  no_crash "$out" "$NR_DIR/cancel.$k.err"
  grep -Eq ' -> 0 NO_ERROR' <<<"$out" || nr_die "cancel of ${names[k]}: $out"
done
echo "every cancel answered 0 NO_ERROR, no crash"
nr_hold_check h
for p in "${held[@]}"; do nr_hold_expect h "$p" invalid; done
nr_hold_check decoy
nr_hold_expect decoy '\\decoy\share\f.txt' valid
nr_hold_expect decoy '\\cc\keep\f.txt' valid
nr_hold_expect decoy '\\cc\keep\dir' valid
nr_hold_end h
nr_hold_end decoy
left=$(nr_wnet enum --scope connected)
echo "$left"
grep -qi 'cc\\s[1-4]' <<<"$left" && nr_die "a connection to \\\\cc survived its cancel"
echo "faults: PASS ($(($(date +%s) - start)) s)"
