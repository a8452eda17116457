#!/usr/bin/env bash
# netreclaim why \\server[\share]: the verdict in each case, read-only.
#  1. no conflict: connections to another server only (exit 0)
#  2. stale, orphan: a forced cancel left a handle open with no connection (exit 7)
#  3. stale, idle implicit connection (exit 7); --user as its user: no conflict (0)
#  4. stale, busy implicit connection: its handle listed under it (exit 7)
#  5. true conflict: alice's P: live in the ledger (exit 8); --user alice: no
#     conflict (0); --user bob: true conflict (8); JSON field by field
#  6. the provider's record when it leaves a 1219 standing: true conflict
#     names P: and its net use command; stale names the busy connection
#  7. bad input: not a UNC name, a local path, an over-long name, a path in a
#     share, --user without a name, reclaim of a server only: exit 2
# why closes and cancels nothing: the model's log shows no cancel from it
# and the holders' handles stay valid.
# Usage: why.sh <work dir> <x86_64 bin> <i686 bin>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../../tests/wine/ledger_lib.sh"
nri_setup "$1" why "$2" "$3"
for s in asrv osrv isrv bsrv tsrv; do nr_share "$s" share; done
nr_share tsrv share2

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
nr_wnet mark why-1 >/dev/null
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
nri_out '^next: netreclaim reclaim \\\\osrv\\share closes the handle'
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

nr_note "4. stale: a busy implicit connection"
nr_hold b '\\bsrv\share\f.txt'
nr_expect "$(lg_conns)" '^conn - \\\\bsrv\\share$'
nri_cli why '\\bsrv'
nri_rc 7
nri_out '^connection: \(deviceless\) \\\\bsrv\\share as .*, unlisted, in use, 1 handle\(s\): stale$'
nri_out '^handle: holder.exe \(pid [0-9]+\) handle 0x[0-9a-f]+ \\\\bsrv\\share\\f.txt access 0x[0-9a-f]{8} under \\\\bsrv\\share$'
nri_out '^note: \\\\bsrv\\share is an implicit connection in use'
nri_out '^next: netreclaim reclaim \\\\bsrv\\share'
why_json 7 '\\bsrv'
jis 'connections;0;in_use' true
jis 'connections;0;handles' 1
jis 'handles;0;connection' '\\bsrv\share'
jis 'handles;0;path' '\\bsrv\share\f.txt'
jis orphan_count 0

# why asked nothing to go, and every handle it saw is still open.
n=$(lg_cancels why-1)
[ "$n" = 1 ] || nr_die "expected only lg_orphan's forced cancel since why-1, got $n cancels"
nr_hold_check b
nr_hold_expect b '\\bsrv\share\f.txt' valid

nr_note "5. true conflict: alice's P:, recorded in a ledger a process keeps"
nr_install "$NRI_BIN64" netreclaim
lg_bg keeper READY keep
nr_expect "$(nr_wnet add '\\tsrv\share' --local P: --user alice)" ' -> 0 NO_ERROR'
nri_cli why '\\tsrv\share2'
nri_rc 8
nri_out '^connection: P: \\\\tsrv\\share as alice, recorded, live, idle, 0 handle\(s\): blocker$'
nri_out '^verdict: true conflict$'
nri_out '^next: P: \\\\tsrv\\share is connected as alice: add as that user, or disconnect it first: net use P: /delete$'
grep -q 'reclaim' <<<"$NRI_OUT" && nr_die "a true conflict suggested closing handles"
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

nr_note "6. the provider's record on a standing 1219"
nr_wnet mark why-6 >/dev/null
nr_expect "$(WINEDEBUG=+eventlog nr_wnet add '\\tsrv\share2' --local R: --user bob)" ' -> 1219 '
lg_event 'a true conflict, left alone: \\tsrv\share (P:).'
lg_event 'Verdict: true conflict. The blocker holds another user'
lg_event 'disconnect it first: net use P: /delete.'
lg_event 'netreclaim why \\tsrv shows it.'
nr_expect_record 31 'a true conflict, left alone'
[ "$(lg_cancels why-6)" = 0 ] || nr_die "a true conflict cancelled something"
nr_expect "$(WINEDEBUG=+eventlog nr_wnet add '\\bsrv\share' --local S: --user bob)" ' -> 1219 '
lg_event 'busy deviceless connections: \\bsrv\share (no retry).'
lg_event 'Verdict: stale, not cleared'
lg_event 'netreclaim why \\bsrv names the processes'
nr_expect_record 32 'still standing'
nr_hold_check b
nr_hold_expect b '\\bsrv\share\f.txt' valid
nr_hold_end b
nr_hold_end o
lg_stop keeper

nr_note "7. bad input: exit 2 and a clear error"
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
