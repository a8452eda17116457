#!/usr/bin/env bash
# Implicit connections and KeepConn (rules 3 and 4), with netreclaim.
#  0. The model: a plain UNC open makes a deviceless connection as the
#     default user; it outlives its last handle until KeepConn expires.
#  1. A process reads \\srv\share\f.txt by UNC path and closes it; bob's add
#     gets 1219 from the stock provider, netreclaim cancels the idle implicit
#     connection without force, the retry succeeds (two stock adds).
#  2. The same while another process holds a file through an implicit
#     connection to \\ksrv\share2: that connection is in use, a true
#     conflict (rule 4): nothing is cancelled, no retry, its file stays open,
#     1219 stands, and the Event Log names the file, its process and the ways
#     out.
#  3. Cancel path: cancelling S: also cancels the idle implicit connection to
#     \\csrv\share3, and leaves the ledger's own deviceless connection alone.
# Usage: scenario_ledger_keepconn.sh <work dir> <win64 bin dir>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ledger_lib.sh"
work=$1 bin=$2

nr_prefix "$work" ledger-keepconn
nr_install "$bin" model
for s in esrv srv ksrv csrv; do nr_share "$s" share; nr_share "$s" share2; done

nr_note "0. model alone, KeepConn 1 s: the implicit connection appears, lingers, expires"
lg_keepconn 1
nr_hold e1 '\\esrv\share\f.txt'
nr_expect "$(lg_conns)" '^conn - \\\\esrv\\share$'
nr_hold_end e1
nr_expect "$(lg_conns)" '^conn - \\\\esrv\\share$'
sleep 2 # the KeepConn period itself is under test
conns=$(lg_conns)
grep -q esrv <<<"$conns" && nr_die "the idle implicit connection outlived KeepConn: $conns"
lg_keepconn 600

nr_install "$bin" netreclaim
lg_bg keep READY keep

nr_note "1. read and closed by UNC path; bob's add recovers"
nr_hold r1 '\\srv\share\f.txt'
nr_expect "$(lg_conns)" '^conn - \\\\srv\\share$'
nr_hold_end r1
nr_wnet mark keep-1 >/dev/null
nr_expect "$(nr_wnet add '\\srv\share' --local Q: --user bob)" ' -> 0 NO_ERROR'
lg_expect_count keep-1 NPAddConnection3 2
lg_expect_count keep-1 NPAddConnection3 1 ' -> 1219$'
[ "$(lg_cancels keep-1 'name=\\\\srv\\share force=0 .* -> 0$')" = 1 ] ||
  nr_die "the idle implicit connection was not cancelled once without force"
conns=$(lg_conns)
echo "$conns"
grep -qxF 'conn Q: \\srv\share' <<<"$conns" || nr_die "Q: missing"
grep -qxF 'conn - \\srv\share' <<<"$conns" && nr_die "the implicit connection stayed"

nr_note "2. an idle implicit connection and one in use: a true conflict, nothing cancelled"
nr_hold r2 '\\ksrv\share\f.txt'
lg_conns >/dev/null
nr_hold_end r2
nr_hold r3 '\\ksrv\share2\f.txt'
nr_expect "$(lg_conns)" '^conn - \\\\ksrv\\share2$'
nr_wnet mark keep-2 >/dev/null
nr_expect "$(WINEDEBUG=+eventlog nr_wnet add '\\ksrv\share' --local R: --user bob)" ' -> 1219 '
nr_expect_record 31 'a true conflict, left alone: Verdict: true conflict, netreclaim will not clear it.'
nr_expect_record 31 '\\ksrv\share2 (deviceless) is in use, files open: \\ksrv\share2\f.txt in holder.exe (pid '
lg_expect_count keep-2 NPAddConnection3 1
[ "$(lg_cancels keep-2)" = 0 ] || nr_die "a connection was cancelled although one in use holds the server"
nr_expect "$(lg_conns)" '^conn - \\\\ksrv\\share2$'
nr_hold_check r3
nr_hold_expect r3 '\\ksrv\share2\f.txt' valid
nr_hold_end r3

nr_note "3. cancel path: S: goes, the idle implicit connection to its server goes too"
nr_expect "$(nr_wnet add '\\csrv\share' --local S:)" ' -> 0 NO_ERROR'
nr_expect "$(nr_wnet add '\\csrv\share2')" ' -> 0 NO_ERROR'
nr_share csrv share3
nr_hold r4 '\\csrv\share3\dir\g.txt'
lg_conns >/dev/null # an NP call while it is open: the model sees the open
nr_hold_end r4
nr_expect "$(lg_conns)" '^conn - \\\\csrv\\share3$'
nr_wnet mark keep-3 >/dev/null
nr_expect "$(nr_wnet cancel S:)" ' -> 0 NO_ERROR'
conns=$(lg_conns)
echo "$conns"
grep -q 'csrv\\share3' <<<"$conns" && nr_die "the idle implicit \\\\csrv\\share3 stayed"
[ "$(lg_cancels keep-3 'name=\\\\csrv\\share3 force=0 .* -> 0$')" = 1 ] || nr_die "share3 not cancelled once"
grep -qxF 'conn - \\csrv\share2' <<<"$conns" || nr_die "the ledger's deviceless \\\\csrv\\share2 was cancelled"
[ "$(lg_cancels keep-3 'share2')" = 0 ] || nr_die "a ledger-live connection was asked to go"

lg_stop keep
echo "ledger-keepconn: PASS"
