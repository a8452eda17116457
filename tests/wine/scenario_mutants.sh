#!/usr/bin/env bash
# the mutants that survived the suite, each pinned by a check here
# (docs/design.md rules 3-5). netreclaim in front of the model; a long-lived
# process keeps the session ledger for the whole run, so no case depends on
# a ledger rebuild: what the ledger holds is what the adds recorded.
#  1. A stale 1219 where nothing can be cleared: the only thing holding the
#     server is an orphan of a forced cancel in a process the policy excludes
#     (ExcludedProcesses). The add answers 1219 after exactly one stock add
#     (no retry), nothing is cancelled, the orphan stays, and the Event Log
#     says "still standing" (event 32) with "no retry".
#     (Killed the mutant "retry even when nothing was cleared".)
#  2. A true conflict through a drive letter the ledger does not hold (P:,
#     mapped while Mode=off, so never recorded), with an orphan of an earlier
#     forced cancel under another share of the server: 1219 stands, one stock
#     add, nothing cancelled, the orphan stays open, P: stays.
#     (Killed the mutant "a local name does not make a connection deliberate".)
#  4. Mode=audit with an idle implicit connection: a cancel of another share
#     of that server and a stale add each report it ("Would cancel (audit)")
#     and it is still listed afterwards; the add is not retried.
#     (Killed the mutant "audit mode cancels idle deviceless connections".)
# (Mutant 3, a second stock call on a pass-through entry: scenario_npdiff.sh.)
# Usage: scenario_mutants.sh <work dir> <win64 bin dir>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ledger_lib.sh"
work=$1 bin=$2
mode_key='HKLM\SOFTWARE\NetReclaim'

nr_prefix "$work" mutants
nr_install "$bin" netreclaim
for s in m1srv m2srv m4srv; do nr_share "$s" share; nr_share "$s" share2; done
lg_keepconn 600
lg_bg keep READY keep

set_mode() { nr_wine reg add "$mode_key" /v Mode /t REG_SZ /d "$1" /f >/dev/null; }

# listed <remote> <yes|no> <why>: the stock provider lists \\srv\share (deviceless) or not.
listed() {
  local conns
  conns=$(lg_conns)
  echo "$conns"
  if grep -qxF "conn - $1" <<<"$conns"; then
    [ "$2" = yes ] || nr_die "$3: $1 is still listed"
  else
    [ "$2" = no ] || nr_die "$3: $1 is gone"
  fi
}

nr_note "1. stale 1219, nothing to clear: an orphan under \\\\m1srv in an excluded process"
nr_wine reg add "$mode_key" /v ExcludedProcesses /t REG_MULTI_SZ /d 'HOLDER.EXE' /f >/dev/null
nr_expect "$(nr_wnet add '\\m1srv\share2' --local O: --user alice)" ' -> 0 NO_ERROR'
nr_hold b1 '\\m1srv\share2\f.txt'
nr_expect "$(nr_wnet cancel O: --force)" ' -> 0 NO_ERROR'
listed '\\m1srv\share2' no "the forced cancel"
nr_wnet mark m1 >/dev/null
nr_expect "$(WINEDEBUG=+eventlog nr_wnet add '\\m1srv\share' --local R: --user bob)" ' -> 1219 '
lg_expect_count m1 NPAddConnection3 1
nr_expect_record 32 'still standing'
nr_expect_record 32 '(no retry)'
[ "$(lg_cancels m1)" = 0 ] || nr_die "cancels: $(lg_since m1 NPCancelConnection)"
nr_hold_check b1
nr_hold_expect b1 '\\m1srv\share2\f.txt' valid
nr_hold_end b1
nr_wine reg delete "$mode_key" /v ExcludedProcesses /f >/dev/null

nr_note "2. true conflict through P:, which the ledger does not hold (mapped while Mode=off)"
set_mode off
lg_orphan o2 m2srv
nr_expect "$(nr_wnet add '\\m2srv\share2' --local P:)" ' -> 0 NO_ERROR'
set_mode enforce
dump=$(lg_tool dump)
echo "$dump"
grep -qF '\\m2srv\' <<<"$dump" && nr_die "the ledger holds a \\\\m2srv connection: the case needs one it does not"
nr_wnet mark m2 >/dev/null
nr_expect "$(WINEDEBUG=+eventlog nr_wnet add '\\m2srv\share' --local R: --user bob)" ' -> 1219 '
nr_expect_record 31 'a true conflict, left alone: Verdict: true conflict, netreclaim will not clear it.'
nr_expect_record 31 '\\m2srv\share2 (P:) holds another user'"'"'s session'
lg_expect_count m2 NPAddConnection3 1
[ "$(lg_cancels m2)" = 0 ] || nr_die "a true conflict cancelled: $(lg_since m2 NPCancelConnection)"
nr_hold_check o2
nr_hold_expect o2 '\\m2srv\share\f.txt' valid
nr_expect "$(lg_conns)" '^conn P: \\\\m2srv\\share2$'
nr_hold_end o2

nr_note "4. Mode=audit, an idle implicit connection to \\\\m4srv\\share2"
set_mode audit
nr_expect "$(nr_wnet add '\\m4srv\share' --local Q:)" ' -> 0 NO_ERROR'
nr_hold i4 '\\m4srv\share2\f.txt'
listed '\\m4srv\share2' yes "the holder's open made no implicit connection"
nr_hold_end i4
listed '\\m4srv\share2' yes "the implicit connection did not outlive its handle"

nr_note "4a. cancel of Q: (\\\\m4srv\\share): the idle one is reported, not cancelled"
nr_wnet mark m4a >/dev/null
nr_expect "$(WINEDEBUG=+eventlog nr_wnet cancel Q:)" ' -> 0 NO_ERROR'
nr_expect_record 15 'Would cancel (audit) the idle deviceless connections that pinned the session: \\m4srv\share2.'
[ "$(lg_cancels m4a 'share2')" = 0 ] || nr_die "audit mode cancelled: $(lg_since m4a NPCancelConnection)"
listed '\\m4srv\share2' yes "audit mode on cancel"
nr_expect "$(nr_wnet enum --scope connected)" 'm4srv\\share2'

nr_note "4b. bob's add meets the idle one's 1219: reported, not cancelled, no retry"
nr_wnet mark m4b >/dev/null
nr_expect "$(WINEDEBUG=+eventlog nr_wnet add '\\m4srv\share' --local R: --user bob)" ' -> 1219 '
nr_expect_record 15 'Would cancel (audit) the idle deviceless connections that pinned the session: \\m4srv\share2.'
nr_expect_record 32 'still standing: audit: 0 handle(s) under the server left open (no retry).'
lg_expect_count m4b NPAddConnection3 1
[ "$(lg_cancels m4b)" = 0 ] || nr_die "audit mode cancelled: $(lg_since m4b NPCancelConnection)"
listed '\\m4srv\share2' yes "audit mode on a stale add"

lg_stop keep
grep -q 'password\|pw' "$(nr_log)" && nr_die "a password reached the log"
echo "mutants: PASS"
