#!/usr/bin/env bash
# Rule 4 (stale 1219 recovered on add) and the ledger across processes.
#  1. Q245006 left over from before netreclaim: alice maps Q:, a holder opens
#     \\srv\share\f.txt, a forced cancel orphans it (model alone: bob gets
#     1219). With netreclaim, bob's add succeeds: the stock log shows exactly
#     two adds (1219, then the retry), the holder's handle was closed.
#  2. The same from a plain UNC open with no connection: the holder's open
#     makes an implicit connection, a forced cancel of it orphans the handle.
#  3. True conflicts: alice's P: (or her deviceless connection, live in the
#     ledger) to another share of the server: 1219 stands, one stock add, no
#     cancel, the holder's handle stays valid.
#  4. Cross-process: X: added in one process, cancelled by local name in
#     another: resolved by the stock provider (one NPGetConnection, asked
#     before the cancel), and the ledger entry is marked cancelled.
# Usage: scenario_ledger_stale.sh <work dir> <win64 bin dir>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ledger_lib.sh"
work=$1 bin=$2

nr_prefix "$work" ledger-stale
nr_install "$bin" model
for s in srv srv2 tsrv tsrv2; do nr_share "$s" share; nr_share "$s" share2; done

nr_note "1. before netreclaim: alice's Q:, a holder, a forced cancel"
nr_expect "$(nr_wnet add '\\srv\share' --local Q: --user alice)" ' -> 0 NO_ERROR'
nr_hold h1 '\\srv\share\f.txt'
nr_expect "$(nr_wnet cancel Q: --force)" ' -> 0 NO_ERROR'
nr_expect "$(nr_wnet add '\\srv\share' --local Q: --user bob)" ' -> 1219 '

nr_note "2. before netreclaim: a plain UNC open makes an implicit connection"
lg_orphan h2 srv2
nr_expect "$(nr_wnet add '\\srv2\share' --user bob)" ' -> 1219 '

nr_note "netreclaim installed (ProviderOrder switched); a process keeps the ledger"
nr_install "$bin" netreclaim
lg_bg keep READY keep

nr_note "1. bob maps Q: to \\\\srv\\share: stale 1219 recovered"
nr_wnet mark stale-1 >/dev/null
nr_expect "$(WINEDEBUG=+eventlog nr_wnet add '\\srv\share' --local Q: --user bob)" ' -> 0 NO_ERROR'
lg_expect_count stale-1 NPAddConnection3 2
lg_expect_count stale-1 NPAddConnection3 1 ' -> 1219$'
lg_expect_count stale-1 NPAddConnection3 1 ' -> 0$'
nr_expect_record 30 'Adding \\srv\share met a stale 1219'
nr_expect_record 30 'the add, retried once, answered 0.'
nr_hold_check h1
nr_hold_expect h1 '\\srv\share\f.txt' invalid
nr_expect "$(lg_tool dump)" '^entry live Q: \\\\srv\\share bob '

nr_note "2. bob connects to \\\\srv2\\share: the orphan of the implicit connection goes"
nr_wnet mark stale-2 >/dev/null
nr_expect "$(nr_wnet add '\\srv2\share' --user bob)" ' -> 0 NO_ERROR'
lg_expect_count stale-2 NPAddConnection3 2
nr_hold_check h2
nr_hold_expect h2 '\\srv2\share\f.txt' invalid
nr_expect "$(lg_tool dump)" '^entry live - \\\\srv2\\share bob .* origin=added vouches=1$'

nr_note "3a. true conflict: alice's P: to \\\\tsrv\\share2 (held open)"
nr_expect "$(nr_wnet add '\\tsrv\share2' --local P: --user alice)" ' -> 0 NO_ERROR'
nr_hold h3 '\\tsrv\share2\f.txt'
nr_wnet mark true-1 >/dev/null
nr_expect "$(WINEDEBUG=+eventlog nr_wnet add '\\tsrv\share' --local R: --user bob)" ' -> 1219 '
nr_expect_record 31 'a true conflict, left alone: Verdict: true conflict, netreclaim will not clear it.'
nr_expect_record 31 '\\tsrv\share2 (P:) holds another user'"'"'s session'
lg_expect_count true-1 NPAddConnection3 1
[ "$(lg_cancels true-1)" = 0 ] || nr_die "a true conflict cancelled something"
nr_hold_check h3
nr_hold_expect h3 '\\tsrv\share2\f.txt' valid

nr_note "3b. true conflict: alice's deviceless \\\\tsrv2\\share2, live in the ledger"
nr_expect "$(nr_wnet add '\\tsrv2\share2' --user alice)" ' -> 0 NO_ERROR'
nr_wnet mark true-2 >/dev/null
nr_expect "$(nr_wnet add '\\tsrv2\share' --user bob)" ' -> 1219 '
lg_expect_count true-2 NPAddConnection3 1
[ "$(lg_cancels true-2)" = 0 ] || nr_die "a true conflict cancelled something"
nr_expect "$(lg_conns)" '^conn - \\\\tsrv2\\share2$'

nr_note "4. cross-process: X: added here, cancelled by local name in another process"
nr_expect "$(nr_wnet add '\\srv\share2' --local X: --user bob)" ' -> 0 NO_ERROR'
nr_wnet mark cross >/dev/null
nr_expect "$(nr_wnet cancel X:)" ' -> 0 NO_ERROR'
lg_expect_count cross NPGetConnection 1 'X:'
nr_expect "$(lg_tool dump)" '^entry cancelled X: \\\\srv\\share2 bob '

nr_hold_end h1
nr_hold_end h2
nr_hold_end h3
lg_stop keep
grep -q 'password\|pw' "$(nr_log)" && nr_die "a password reached the log"
echo "ledger-stale: PASS"
