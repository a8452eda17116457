#!/usr/bin/env bash
# the reclaim's edges and settings, each on a server of its own.
#  - \\srv\share: a deviceless connection cancelled by remote name, without
#    force (the stock 2401, nothing closed, no record) and with force (closed);
#    and a handle under a share still connected (Q: and a deviceless use of the
#    same share; cancelling Q: leaves it, saying so in the record).
#  - \\audit\share: Mode=audit in HKLM\SOFTWARE\NetReclaim: the record says what
#    it would close, nothing is closed, bob still meets 1219.
#  - \\gpo\share: the policy key HKLM\SOFTWARE\Policies\NetReclaim overrides the
#    local key both ways (audit over enforce, enforce over audit).
#  - \\excl\share: ExcludedProcesses (policy key) names holder.exe, in another
#    case: its handle stays.
#  - \\off\share: Mode=off: pure forwarding, no record, nothing closed, and only
#    the stock add and cancel themselves in the model's log.
# Usage: scenario_reclaim_modes.sh <work dir> <bin dir>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ledger_lib.sh"
work=$1 bin=$2
start=$(date +%s)
local_key='HKLM\SOFTWARE\NetReclaim'
policy_key='HKLM\SOFTWARE\Policies\NetReclaim'

nr_prefix "$work" reclaim-modes
nr_install "$bin" netreclaim
for server in srv audit gpo off; do nr_share "$server" share; done
# A long-lived process keeps the session ledger, as Explorer does on Windows:
# alice's deviceless connection stays vouched for (recorded by its add) across
# the short-lived wnet.exe processes; a lost ledger would be rebuilt, and a
# rebuilt deviceless entry vouches for nothing (docs/design.md rule 4).
lg_bg keep READY keep

set_mode() { # <key> <mode>|-
  if [ "$2" = - ]; then
    nr_wine reg delete "$1" /v Mode /f >/dev/null
  else
    nr_wine reg add "$1" /v Mode /t REG_SZ /d "$2" /f >/dev/null
  fi
}

# cancel_logged <name> [--force]: the cancel with +eventlog; its record (if
# any) in $record.
cancel_logged() {
  local out
  out=$(WINEDEBUG=+eventlog nr_wnet cancel "$@")
  record=$(nr_eventlog)
  [ -z "$record" ] || echo "$record"
  CANCEL_OUT=$out
}

in_record() {
  grep -Eq -- "$1" <<<"$record" || nr_die "expected /$1/ in the record: $record"
}

# audit_check <server> <holder id>: a forced cancel of Q: in audit mode.
audit_check() {
  local server=$1 id=$2 pid
  pid=$(sed -n 's/^READY //p' <<<"${NR_HOLD_LOG[$id]}")
  cancel_logged Q: --force
  nr_expect "$CANCEL_OUT" ' -> 0 NO_ERROR last=0'
  in_record "^netreclaim audit of \\\\\\\\$server\\\\share \(audit mode: nothing is closed\)\.$"
  in_record '^Would close 1; '
  nr_expect_record 12 'Would close 1; '
  in_record "^would close: holder\.exe \(pid $pid\) handle 0x[0-9a-f]+ \\\\\\\\$server\\\\share\\\\f\.txt$"
  nr_hold_check "$id"
  nr_hold_expect "$id" "\\\\$server\\share\\f.txt" valid
  nr_expect "$(nr_wnet add "\\\\$server\\share" --local Q: --user bob)" ' -> 1219 '
}

nr_note "deviceless \\\\srv\\share, cancelled by remote name: without force 2401, nothing closed"
nr_expect "$(nr_wnet add '\\srv\share' --user alice)" ' -> 0 NO_ERROR'
nr_hold dl '\\srv\share\dir' '\\srv\share\dir\g.txt'
cancel_logged '\\srv\share'
nr_expect "$CANCEL_OUT" ' -> 2401 ERROR_OPEN_FILES'
[ -z "$record" ] || nr_die "a refused cancel wrote a record"
nr_hold_check dl
nr_hold_expect dl '\\srv\share\dir' valid
nr_hold_expect dl '\\srv\share\dir\g.txt' valid

nr_note "Q: maps the same share too: cancelling Q: leaves handles the deviceless use still covers"
nr_expect "$(nr_wnet add '\\srv\share' --local Q: --user alice)" ' -> 0 NO_ERROR'
cancel_logged Q: --force
nr_expect "$CANCEL_OUT" ' -> 0 NO_ERROR last=0'
in_record '^Closed 0 of 0, '
nr_expect_record 11 'left, under a share still connected: '
in_record '^left, under a share still connected: holder\.exe \(pid [0-9]+\) handle 0x[0-9a-f]+ \\\\srv\\share\\dir$'
in_record '^left, under a share still connected: holder\.exe \(pid [0-9]+\) handle 0x[0-9a-f]+ \\\\srv\\share\\dir\\g\.txt$'
nr_hold_check dl
nr_hold_expect dl '\\srv\share\dir' valid
nr_hold_expect dl '\\srv\share\dir\g.txt' valid

nr_note "the deviceless use, with force: success, both handles reclaimed, bob gets in"
cancel_logged '\\srv\share' --force
nr_expect "$CANCEL_OUT" ' -> 0 NO_ERROR last=0'
in_record '^netreclaim reclaim of \\\\srv\\share\.$'
in_record '^Closed 2 of 2, failed 0, reused 0; '
nr_expect_closed 'Closed 2 of 2, failed 0, reused 0; '
nr_hold_check dl
nr_hold_expect dl '\\srv\share\dir' invalid
nr_hold_expect dl '\\srv\share\dir\g.txt' invalid
nr_expect "$(nr_wnet add '\\srv\share' --user bob)" ' -> 0 NO_ERROR'
nr_expect "$(nr_wnet cancel '\\srv\share')" ' -> 0 NO_ERROR'
nr_hold_end dl

nr_note "Mode=audit (local key): the record says what it would close; nothing is closed"
set_mode "$local_key" audit
nr_expect "$(nr_wnet add '\\audit\share' --local Q: --user alice)" ' -> 0 NO_ERROR'
nr_hold au '\\audit\share\f.txt'
audit_check audit au
nr_hold_end au

nr_note "the policy key overrides the local one: audit over a local enforce"
set_mode "$local_key" enforce
set_mode "$policy_key" audit
nr_expect "$(nr_wnet add '\\gpo\share' --local Q: --user alice)" ' -> 0 NO_ERROR'
nr_hold gpo '\\gpo\share\f.txt'
audit_check gpo gpo

nr_note "and enforce over a local audit: the same leftover handle is reclaimed now"
set_mode "$local_key" audit
set_mode "$policy_key" enforce
nr_expect "$(nr_wnet add '\\gpo\share' --local Q: --user alice)" ' -> 0 NO_ERROR'
cancel_logged Q: --force
nr_expect "$CANCEL_OUT" ' -> 0 NO_ERROR last=0'
in_record '^netreclaim reclaim of \\\\gpo\\share\.$'
in_record '^closed: holder\.exe \(pid [0-9]+\) handle 0x[0-9a-f]+ \\\\gpo\\share\\f\.txt$'
nr_hold_check gpo
nr_hold_expect gpo '\\gpo\share\f.txt' invalid
nr_expect "$(nr_wnet add '\\gpo\share' --local Q: --user bob)" ' -> 0 NO_ERROR'
nr_expect "$(nr_wnet cancel Q:)" ' -> 0 NO_ERROR'
nr_hold_end gpo

nr_note "ExcludedProcesses = holder.exe (policy key): its handles are not even looked at"
set_mode "$local_key" enforce
nr_wine reg add "$policy_key" /v ExcludedProcesses /t REG_MULTI_SZ /d 'other.exe\0HOLDER.EXE' \
  /f >/dev/null
nr_share excl share
nr_expect "$(nr_wnet add '\\excl\share' --local Q: --user alice)" ' -> 0 NO_ERROR'
nr_hold ex '\\excl\share\f.txt'
cancel_logged Q: --force
nr_expect "$CANCEL_OUT" ' -> 0 NO_ERROR last=0'
[ -z "$record" ] || nr_die "nothing to close, yet a record: $record"
nr_hold_check ex
nr_hold_expect ex '\\excl\share\f.txt' valid
nr_hold_end ex
nr_wine reg delete "$policy_key" /v ExcludedProcesses /f >/dev/null

nr_note "Mode=off (policy over a local enforce): pure forwarding"
set_mode "$local_key" enforce
set_mode "$policy_key" off
nr_expect "$(nr_wnet add '\\off\share' --local Q: --user alice)" ' -> 0 NO_ERROR'
nr_hold off '\\off\share\f.txt'
nr_wnet mark mode-off >/dev/null
cancel_logged Q:
nr_expect "$CANCEL_OUT" ' -> 2401 ERROR_OPEN_FILES'
cancel_logged Q: --force
nr_expect "$CANCEL_OUT" ' -> 0 NO_ERROR last=0'
[ -z "$record" ] || nr_die "Mode=off wrote a record"
nr_hold_check off
nr_hold_expect off '\\off\share\f.txt' valid
nr_expect "$(nr_wnet add '\\off\share' --local Q: --user bob)" ' -> 1219 '
nr_hold_end off
calls=$(awk '$2 == "#" && $3 == "mode-off" { on = 1; next } on && $2 != "#" { n[$2]++ }
             END { for (f in n) print n[f], f }' "$(nr_log)" | sort -k2)
echo "$calls"
[ "$(awk '$2 == "NPCancelConnection" { print $1 }' <<<"$calls")" = 2 ] \
  || nr_die "Mode=off: expected 2 stock cancels"
[ "$(awk '$2 == "NPAddConnection3" { print $1 }' <<<"$calls")" = 1 ] \
  || nr_die "Mode=off: expected 1 stock add"
extra=$(awk '$2 !~ /^NP(GetCaps|AddConnection3|CancelConnection)$/' <<<"$calls")
[ -z "$extra" ] || nr_die "Mode=off made stock calls of its own: $extra"

nr_note "exactly once over the whole run: one stock call per WNet add and cancel"
nr_stock_once 12 11 'Q:' '\\srv\share'
lg_stop keep
echo "reclaim-modes: PASS ($(($(date +%s) - start)) s)"
