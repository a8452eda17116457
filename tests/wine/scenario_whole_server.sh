#!/usr/bin/env bash
# Rule 3: a cancel is about one \\server\share. Whatever names the target
# (the caller, the stock provider's answer for a drive, the ledger), a name
# with no share never widens the reclaim to a whole server. The guard is
# nrp_cancel_begin's (provider/cancel.c), in the Windows layer: only Wine
# reaches it. (The ledger refuses such a name itself: unit_ledger.)
# The model is told to speak of whole servers (HKLM\Software\nrmodel
# ServerOnly, tests/wine/model/model.h): its NPGetConnection answers a
# drive's server alone, and a cancel naming a server alone reports success.
#  1. Set-up, model alone: an orphan under \\srv\share (still open after a
#     forced cancel of its implicit connection), eligible for any reclaim
#     that targets \\srv\share or the whole server.
#  2. Q: maps \\srv\share2; the stock provider names it \\srv, then \\srv\.
#     Each forced cancel of Q: succeeds, and the orphan stays open.
#  3. Forced cancels of \\srv and \\srv\ by name, reported done by the stock
#     provider: the orphan stays open.
#  4. The ledger cannot name a server alone: planting Q: -> \\srv is refused.
#  5. Control: `netreclaim handles \\srv` lists the orphan as one to close,
#     so steps 2 and 3 kept it because of the guard, not by chance.
# Usage: scenario_whole_server.sh <work dir> <win64 bin dir>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ledger_lib.sh"
work=$1 bin=$2
orphan='\\srv\share\f.txt'

nr_prefix "$work" whole_server
nr_install "$bin" model
nr_share srv share
nr_share srv share2

nr_note "1. model alone: an orphan under \\\\srv\\share"
lg_orphan orphan srv

nr_note "netreclaim installed; a process keeps the ledger"
nr_install "$bin" netreclaim
lg_bg keep READY keep

server_only() {
  nr_wine reg add 'HKLM\Software\nrmodel' /v ServerOnly /t REG_DWORD /d "$1" /f >/dev/null
}

# kept <step>: the orphan is still open and no record tells of a close.
kept() {
  local record closed
  record=$(nr_eventlog)
  echo "$record"
  closed=$(grep '^closed: ' <<<"$record" || true)
  [ -z "$closed" ] || nr_die "$1: the reclaim widened to the server, $closed"
  nr_hold_check orphan
  nr_hold_expect orphan "$orphan" valid
}

for mode in 1 2; do
  answer='\\srv'
  [ "$mode" = 2 ] && answer='\\srv\'
  nr_note "2. Q: maps \\\\srv\\share2, the stock provider names it $answer"
  server_only "$mode"
  nr_expect "$(nr_wnet add '\\srv\share2' --local Q:)" ' -> 0 NO_ERROR'
  nr_wnet mark "drive-$mode" >/dev/null
  nr_expect "$(WINEDEBUG=+eventlog nr_wnet cancel Q: --force)" ' -> 0 NO_ERROR'
  # Asked before the stock cancel, as rule 3 says: the target came from here.
  lg_expect_count "drive-$mode" NPGetConnection 1 "local=Q: -> 0 remote=${answer//\\/\\\\}$"
  kept "cancel of Q: named $answer"
done

for name in '\\srv' '\\srv\'; do
  nr_note "3. a forced cancel of $name, reported done by the stock provider"
  nr_wnet mark "by-name-${#name}" >/dev/null
  nr_expect "$(WINEDEBUG=+eventlog nr_wnet cancel "$name" --force)" ' -> 0 NO_ERROR'
  [ "$(lg_cancels "by-name-${#name}" "name=${name//\\/\\\\} force=1 .* -> 0$")" = 1 ] ||
    nr_die "the stock provider did not report the cancel of $name done"
  kept "cancel of $name"
done
server_only 0

nr_note "4. the ledger refuses a server alone"
rc=0
out=$(lg_tool plant Q: '\\srv' alice) || rc=$?
echo "$out (exit $rc)"
if [ "$rc" != 1 ] || grep -q '^planted' <<<"$out"; then
  nr_die "the ledger took Q: -> \\\\srv: $out"
fi

nr_note "5. control: for \\\\srv itself, the orphan is one to close"
nr_expect "$(nr_wine "$bin/netreclaim.exe" handles '\\srv')" \
  '^handle: would close: holder\.exe \(pid [0-9]+\) handle 0x[0-9a-f]+ \\\\srv\\share\\f\.txt$'

nr_hold_end orphan
lg_stop keep
echo "whole-server: PASS"
