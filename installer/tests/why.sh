#!/usr/bin/env bash
# netreclaim why \\server[\share]: the verdict in each case, read-only.
#  1. no conflict: connections to another server only (exit 0)
#  2. stale, orphan: a forced cancel left a handle open with no connection (exit 7)
#  3. stale, idle implicit connection (exit 7); --user as its user: no conflict (0)
#  4. true conflict, busy implicit connection: in use, its file and process
#     named, nothing suggested that closes it (exit 8); the provider's record
#     on the standing 1219 gives the same verdict and ways out
#  5. true conflict: alice's P: live in the ledger (exit 8); --user alice: no
#     conflict (0); --user bob: true conflict (8); JSON field by field
#  6. the provider's record on a standing 1219 for P:
#  7. alice's deviceless connection with a file open in another process,
#     with a process keeping the ledger (a blocker in use) and without (in use)
#  8. bad input: not a UNC name, a local path, an over-long name, a path in a
#     share, --user without a name, reclaim of a server only: exit 2
# Every state of steps 2 to 7 goes through why_follow (why_lib.sh): why, its
# advice followed exactly, then the add as bob succeeds, as predicted, and no
# file under a listed connection is closed unless the advice said so; why
# itself cancels nothing and leaves the holders' handles open.
# Usage: why.sh <work dir> <x86_64 bin> <i686 bin>
set -euo pipefail
# A holder here lives through a why, its JSON, a record and the advice
# followed: a dozen wine programs, minutes on a loaded machine.
NR_HOLD_LIFE=300
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../../tests/wine/ledger_lib.sh"
. "$(dirname "$0")/why_lib.sh"
nri_setup "$1" why "$2" "$3"
for s in asrv osrv isrv bsrv tsrv ksrv jsrv msrv; do nr_share "$s" share; done
for s in tsrv ksrv jsrv msrv; do nr_share "$s" share2; done
for s in ksrv jsrv msrv; do echo data >"$NR_UNC/$s/share2/k.txt"; done

# why_json <exit> <args>: why --json into $NR_DIR/out.json, checked as the
# other commands' JSON is.
why_json() {
  local want=$1
  shift
  nri_json "$want" why "$@"
}

# jget <keys>: one value of the last why_json ("connections;0;user").
jget() {
  "${NR_CMAKE:-cmake}" -DJSON_FILE="$NR_DIR/out.json" -DKEYS="$1" \
    -P "$(dirname "${BASH_SOURCE[0]}")/json_get.cmake" || nr_die "no $1 in the JSON"
}

# jis <keys> <value>: that value, exactly.
jis() {
  local got
  got=$(jget "$1")
  [ "$got" = "$2" ] || nr_die "JSON $1: expected \"$2\", got \"$got\""
  echo "json $1 = $got"
}

# No process keeps the ledger here until step 5: each program's image dies
# with it, and why (which never creates one) reports none.
nr_note "1. no conflict: another server only"
nr_expect "$(nr_wnet add '\\asrv\share' --local A: --user alice)" ' -> 0 NO_ERROR'
nri_cli why '\\osrv\share'
nri_rc 0
nri_out '^verdict: no conflict$'
nri_out '^connection_count: 0$'
nri_out '^ledger: none'
nri_out 'note: nothing in this session holds \\\\osrv'
why_json 0 '\\osrv'
jis verdict 'no conflict'
jis server '\\osrv'
jis connection_count 0
jis orphan_count 0

nr_note "2. stale: an orphan handle after a forced cancel"
lg_orphan o osrv
nri_cli why '\\osrv\share'
nri_rc 7
nri_out '^orphan: holder.exe \(pid [0-9]+\) handle 0x[0-9a-f]+ \\\\osrv\\share\\f.txt access 0x[0-9a-f]{8}$'
nri_out '^verdict: stale$'
nri_out '^next: netreclaim reclaim \\\\osrv\\share closes the orphan handle'
why_json 7 '\\osrv'
jis verdict stale
jis orphan_count 1
jis 'orphans;0;process' holder.exe
jis 'orphans;0;path' '\\osrv\share\f.txt'
[ "$(jget 'orphans;0;pid')" -gt 0 ] || nr_die "no pid"
[ "$(jget 'orphans;0;access')" -gt 0 ] || nr_die "no access mask"
jis 'messages;0;kind' next
jis 'messages;0;code' reclaim
nr_hold_check o
nr_hold_expect o '\\osrv\share\f.txt' valid
# From here netreclaim is the provider: the adds of why_follow go through it.
# (lg_orphan above needed the stock provider alone.)
nr_install "$NRI_BIN64" netreclaim
why_follow '\\osrv\share' reclaim '\\osrv\share' O: bob
nr_hold_check o
nr_hold_expect o '\\osrv\share\f.txt' invalid
nr_hold_end o

nr_note "3. stale: an idle implicit connection"
# The model makes the implicit connection on an NP call while the file is open.
nr_hold i '\\isrv\share\f.txt'
nr_expect "$(lg_conns)" '^conn - \\\\isrv\\share$'
nr_hold_end i
nr_expect "$(lg_conns)" '^conn - \\\\isrv\\share$'
nri_cli why '\\isrv\share'
nri_rc 7
nri_out '^connection: \(deviceless\) \\\\isrv\\share as [^ ]+, unlisted, idle, 0 handle\(s\): stale$'
nri_out '^next: net use \\\\isrv\\share /delete clears the idle implicit connection'
why_json 7 '\\isrv\share'
jis 'connections;0;local' ''
jis 'connections;0;remote' '\\isrv\share'
jis 'connections;0;origin' unlisted
jis 'connections;0;live' false
jis 'connections;0;in_use' false
jis 'connections;0;role' stale
jis to_cancel 1
implicit_user=$(jget 'connections;0;user')
[ -n "$implicit_user" ] || nr_die "no user from NPGetUser"
nr_note "3b. --user $implicit_user: the implicit connection is that user's own session"
nri_cli why '\\isrv' --user "$implicit_user"
nri_rc 0
nri_out '^verdict: no conflict$'
nri_out ': same user$'
nri_cli why '\\isrv' --user someoneelse
nri_rc 7
why_follow '\\isrv\share' delete '\\isrv\share' I: bob

nr_note "4. true conflict: a busy implicit connection is in use"
nr_hold b '\\bsrv\share\f.txt'
nr_expect "$(lg_conns)" '^conn - \\\\bsrv\\share$'
nri_cli why '\\bsrv'
nri_rc 8
nri_out '^connection: \(deviceless\) \\\\bsrv\\share as .*, unlisted, in use, 1 handle\(s\): in use$'
nri_out '^handle: holder.exe \(pid [0-9]+\) handle 0x[0-9a-f]+ \\\\bsrv\\share\\f.txt access 0x[0-9a-f]{8} under \\\\bsrv\\share$'
nri_out '^verdict: true conflict$'
nri_out '^next: \(deviceless\) \\\\bsrv\\share is in use as .*, files open: \\\\bsrv\\share\\f.txt in holder.exe \(pid [0-9]+\)\. Ways out: close those files in their programs'
why_no_silent_close
why_json 8 '\\bsrv'
jis 'connections;0;in_use' true
jis 'connections;0;role' 'in use'
jis 'connections;0;handles' 1
jis 'handles;0;connection' '\\bsrv\share'
jis 'handles;0;path' '\\bsrv\share\f.txt'
jis orphan_count 0

# why asked nothing to go, and every handle it saw is still open.
nr_hold_check b
nr_hold_expect b '\\bsrv\share\f.txt' valid
nr_note "4b. the provider's record on the standing 1219 says what why says"
nr_wnet mark why-4 >/dev/null
nr_expect "$(WINEDEBUG=+eventlog nr_wnet add '\\bsrv\share' --local S: --user bob)" ' -> 1219 '
nr_expect_record 31 'Verdict: true conflict, netreclaim will not clear it.'
nr_expect_record 31 '\\bsrv\share (deviceless) is in use, files open: \\bsrv\share\f.txt in holder.exe (pid '
nr_expect_record 31 'Ways out: close those files in their programs'
[ "$(lg_cancels why-4)" = 0 ] || nr_die "an in-use connection was cancelled"
nr_hold_check b
nr_hold_expect b '\\bsrv\share\f.txt' valid
why_follow '\\bsrv' close '\\bsrv\share' S: bob

nr_note "5. true conflict: alice's P:, recorded in a ledger a process keeps"
lg_bg keeper READY keep
nr_expect "$(nr_wnet add '\\tsrv\share' --local P: --user alice)" ' -> 0 NO_ERROR'
nri_cli why '\\tsrv\share2'
nri_rc 8
nri_out '^connection: P: \\\\tsrv\\share as alice, recorded, live, idle, 0 handle\(s\): blocker$'
nri_out '^verdict: true conflict$'
nri_out '^next: P: \\\\tsrv\\share is connected as alice: add as that user, or disconnect it first: net use P: /delete$'
grep -q 'reclaim' <<<"$NRI_OUT" && nr_die "a true conflict suggested closing handles"
nri_cli why '\\?\UNC\tsrv\share2'
nri_rc 8
nri_out '^target: \\\\tsrv\\share2$'
why_json 8 '\\tsrv\share2'
jis target '\\tsrv\share2'
jis server '\\tsrv'
jis user ''
jis ledger read
jis 'connections;0;local' 'P:'
jis 'connections;0;remote' '\\tsrv\share'
jis 'connections;0;user' alice
jis 'connections;0;origin' recorded
jis 'connections;0;live' true
jis 'connections;0;in_use' false
jis 'connections;0;handles' 0
jis 'connections;0;role' blocker
jis blockers 1
jis to_cancel 0
jis verdict 'true conflict'
jis 'messages;0;kind' next
jis 'messages;0;code' blocker
nri_cli why '\\tsrv' --user ALICE
nri_rc 0
nri_out ': same user$'
nri_out '^user: ALICE$'
why_json 8 '\\tsrv' --user bob
jis user bob
jis 'connections;0;role' blocker

nr_note "6. the provider's record on a standing 1219: why's verdict and ways out"
nr_wnet mark why-6 >/dev/null
nr_expect "$(WINEDEBUG=+eventlog nr_wnet add '\\tsrv\share2' --local R: --user bob)" ' -> 1219 '
nr_expect_record 31 'a true conflict, left alone: Verdict: true conflict, netreclaim will not clear it.'
nr_expect_record 31 '\\tsrv\share (P:) holds another user'"'"'s session. Ways out: add as that user, or disconnect it first: net use P: /delete.'
nr_expect_record 31 'netreclaim why \\tsrv shows it.'
[ "$(lg_cancels why-6)" = 0 ] || nr_die "a true conflict cancelled something"

nr_note "7a. advice followed, a process keeping the ledger: P: idle, disconnected"
why_follow '\\tsrv\share2' delete '\\tsrv\share2' R: bob
nr_note "7b. alice's deviceless \\\\msrv\\share2, recorded, a file open in another process"
nr_expect "$(nr_wnet add '\\msrv\share2' --user alice)" ' -> 0 NO_ERROR'
nr_hold m '\\msrv\share2\k.txt'
nri_cli why '\\msrv\share'
nri_rc 8
nri_out '^connection: \(deviceless\) \\\\msrv\\share2 as alice, recorded, live, in use, 1 handle\(s\): blocker$'
nri_out '^next: \(deviceless\) \\\\msrv\\share2 is connected as alice, files open: \\\\msrv\\share2\\k.txt in holder.exe \(pid [0-9]+\): add as that user, or disconnect it first: net use \\\\msrv\\share2 /delete \(files are open under it'
why_no_silent_close
why_follow '\\msrv\share' delete '\\msrv\share' M: bob
nr_hold_check m
nr_hold_expect m '\\msrv\share2\k.txt' invalid
nr_hold_end m
lg_stop keeper

nr_note "7c. alice's deviceless \\\\ksrv\\share2, a file open in another process: in use"
nr_expect "$(nr_wnet add '\\ksrv\share2' --user alice)" ' -> 0 NO_ERROR'
nr_hold k '\\ksrv\share2\k.txt'
nri_cli why '\\ksrv\share'
nri_rc 8
nri_out '^ledger: none'
nri_out '^connection: \(deviceless\) \\\\ksrv\\share2 as alice, unlisted, in use, 1 handle\(s\): in use$'
nri_out '^verdict: true conflict$'
nri_out '^next: \(deviceless\) \\\\ksrv\\share2 is in use as alice, files open: \\\\ksrv\\share2\\k.txt in holder.exe \(pid [0-9]+\)\. Ways out: close those files in their programs .* or disconnect it with the files open: net use \\\\ksrv\\share2 /delete \(net use asks first\), after which netreclaim closes those files'
why_no_silent_close
why_follow '\\ksrv\share' close '\\ksrv\share' K: bob
nr_note "7d. the same at \\\\jsrv, the other way out: disconnect it with the file open"
nr_expect "$(nr_wnet add '\\jsrv\share2' --user alice)" ' -> 0 NO_ERROR'
nr_hold j '\\jsrv\share2\k.txt'
why_follow '\\jsrv\share' delete '\\jsrv\share' J: bob
nr_hold_check j
nr_hold_expect j '\\jsrv\share2\k.txt' invalid
nr_hold_end j

nr_note "8. bad input: exit 2 and a clear error"
nri_cli why 'srv\share'
nri_rc 2
nri_out '^error: "srv\\share" is not a \\\\server or \\\\server\\share name\. See "netreclaim why --help"'
nri_cli why 'C:\data'
nri_rc 2
nri_out '^error: "C:\\data" is a local path: name a \\\\server or \\\\server\\share'
long=$(printf 'a%.0s' $(seq 1 300))
nri_cli why "\\\\$long\\share"
nri_rc 2
nri_out '^error: .* is too long: a server name has at most 255 characters, a share 80'
nri_cli why '\\srv\share\dir'
nri_rc 2
nri_out 'names a path inside a share'
nri_cli why '\\srv' --user
nri_rc 2
nri_out '^error: --user needs a user name'
nri_cli why
nri_rc 2
nri_cli why '\\srv' extra
nri_rc 2
nri_cli reclaim '\\srv'
nri_rc 2
nri_out '^error: "\\\\srv" names a server only: reclaim needs a \\\\server\\share'
nri_cli why --help
nri_rc 0
nri_out 'netreclaim why \\\\server\[\\share\] \[--user NAME\] \[--json\]'
nri_out '  8  why: a true conflict'
echo "PASS"
