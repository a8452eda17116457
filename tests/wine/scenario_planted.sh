#!/usr/bin/env bash
# A planted ledger entry cannot steer a reclaim (docs/threat-model.md, section 4).
# The ledger is writable by any process of the user's session, so it must not
# choose what a cancel reclaims while the stock provider can say.
#  1. Set-up, model alone: a holder keeps \\other\share\f.txt open after a
#     forced cancel of its implicit connection (an orphan: eligible for any
#     reclaim that targets \\other\share).
#  2. bob maps Q: to \\srv\share, a second holder opens \\srv\share\f.txt.
#     Another process of the session plants "Q: -> \\other\share" in the
#     ledger (a valid, live entry that supersedes the real one).
#  3. bob's forced cancel of Q: reclaims \\srv\share, the stock provider's
#     answer (one stock NPGetConnection before the cancel): the \\srv\share
#     handle is closed, the \\other\share orphan stays valid, and the record
#     names only \\srv\share.
#  4. Control: `netreclaim handles \\other\share` lists the orphan as one to
#     close, so step 3 kept it because of the target, not by chance.
# Usage: scenario_planted.sh <work dir> <win64 bin dir>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ledger_lib.sh"
work=$1 bin=$2

nr_prefix "$work" planted
nr_install "$bin" model
nr_share srv share
nr_share other share

nr_note "1. model alone: an orphan under \\\\other\\share"
lg_orphan orphan other

nr_note "netreclaim installed; a process keeps the ledger"
nr_install "$bin" netreclaim
lg_bg keep READY keep

nr_note "2. bob's Q:, a holder under it, and a planted Q: -> \\\\other\\share"
nr_expect "$(nr_wnet add '\\srv\share' --local Q: --user bob)" ' -> 0 NO_ERROR'
nr_hold target '\\srv\share\f.txt'
nr_expect "$(lg_tool dump)" '^entry live Q: \\\\srv\\share bob '
nr_expect "$(lg_tool plant Q: '\\other\share' bob)" '^planted Q: '
dump=$(lg_tool dump)
nr_expect "$dump" '^entry live Q: \\\\other\\share bob '
grep -q '^entry live Q: \\\\srv\\share ' <<<"$dump" && nr_die "the plant did not supersede the entry"
# `netreclaim status` reads the same ledger, read only, while a process holds it.
status=$(nr_wine "$bin/netreclaim.exe" status) || true
nr_expect "$status" '^ledger: 1 live in this session, 1 live and 1 cancelled in all, capacity 256$'

nr_note "3. bob cancels Q: with force: the stock provider's answer is the target"
nr_wnet mark planted >/dev/null
nr_expect "$(WINEDEBUG=+eventlog nr_wnet cancel Q: --force)" ' -> 0 NO_ERROR'
record=$(nr_eventlog)
echo "$record"
lg_expect_count planted NPGetConnection 1 'Q:'
grep -qF 'reclaim of \\srv\share.' <<<"$record" || nr_die "the record does not name \\\\srv\\share"
grep -qF '\\other' <<<"$record" && nr_die "the record names the planted share"
nr_hold_check target
nr_hold_expect target '\\srv\share\f.txt' invalid
nr_hold_check orphan
nr_hold_expect orphan '\\other\share\f.txt' valid

nr_note "4. control: for \\\\other\\share itself, the orphan is one to close"
nr_expect "$(nr_wine "$bin/netreclaim.exe" handles '\\other\share')" \
  '^handle: would close: holder\.exe \(pid [0-9]+\) handle 0x[0-9a-f]+ \\\\other\\share\\f\.txt$'

nr_hold_end target
nr_hold_end orphan
lg_stop keep
echo "planted: PASS"
