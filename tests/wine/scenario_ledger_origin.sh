#!/usr/bin/env bash
# the ledger vouches only for what it saw (docs/design.md rule 4).
# No long-lived process holds the ledger here: each wnet.exe is a fresh
# process, so the image dies with it and the next use rebuilds it from the
# stock enumeration. A rebuilt deviceless entry is of unknown origin (the
# redirector's implicit connection from plain UNC access looks the same), so
# it does not make a 1219 a true conflict, and rule 3's idle cancel takes it.
#  a. A holder reads \\srv\share\f.txt by plain UNC and exits: the implicit
#     connection lingers idle (KeepConn). bob's add in a fresh process gets
#     1219, netreclaim cancels that connection once without force, and the
#     one retry succeeds. (Before: "a true conflict", 1219 stood.)
#  b. The same while the holder keeps its file open: the connection is in
#     use, whatever its origin, so the 1219 is a true conflict (rule 4) that
#     names the file and its process; nothing is cancelled, no retry, the
#     file stays open.
#  c. alice's S: to \\csrv\share beside idle implicit connections to
#     \\csrv\share3 and \\dsrv\share: a forced cancel of S: also cancels the
#     idle \\csrv\share3 (same server), so bob's add to \\csrv\share needs no
#     retry; \\dsrv\share (another server) stays.
#  d. Keeping it: a process whose first NP call found the ledger (opened,
#     never created nor rebuilt) keeps it after the process that made it
#     exits, so a later add lands in the same image, recorded as added.
# Usage: scenario_ledger_origin.sh <work dir> <win64 bin dir>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ledger_lib.sh"
work=$1 bin=$2

nr_prefix "$work" ledger-origin
nr_install "$bin" netreclaim
for s in asrv srv bsrv csrv dsrv esrv; do nr_share "$s" share; done
nr_share csrv share3

# lo_idle <id> <path>: a holder opens <path> by plain UNC, the model sees the
# open (an NP call while it is open) and the implicit connection it made;
# the holder exits, and the next NP call sees the connection idle.
lo_idle() {
  local id=$1 path=$2 remote
  remote=$(sed -E 's/^(\\\\[^\\]+\\[^\\]+).*/\1/' <<<"$path")
  nr_hold "$id" "$path"
  nr_expect "$(lg_conns)" "^conn - ${remote//\\/\\\\}\$"
  nr_hold_end "$id"
  nr_expect "$(lg_conns)" "^conn - ${remote//\\/\\\\}\$"
}

# No process keeps the ledger: one made by an add is gone with its process.
nr_note "a ledger that no process holds is lost"
nr_expect "$(nr_wnet add '\\asrv\share' --local P:)" ' -> 0 NO_ERROR'
nr_expect "$(lg_tool dump)" '^ledger none$'

nr_note "a. an idle implicit connection; bob's add in a fresh process"
lo_idle a '\\srv\share\f.txt'
nr_wnet mark origin-a >/dev/null
out=$(WINEDEBUG=+eventlog nr_wnet add '\\srv\share' --local Q: --user bob)
grep -F 'true conflict' "$NR_DIR/wine.err" | sed 's/^/event: /' || true
nr_expect "$out" ' -> 0 NO_ERROR'
lg_expect_count origin-a NPAddConnection3 2
lg_expect_count origin-a NPAddConnection3 1 ' -> 1219$'
[ "$(lg_cancels origin-a 'name=\\\\srv\\share force=0 .* -> 0$')" = 1 ] ||
  nr_die "the idle implicit connection was not cancelled once without force"
[ "$(lg_cancels origin-a)" = 1 ] || nr_die "more than the one unforced cancel: $(lg_since origin-a NPCancelConnection)"
conns=$(lg_conns)
echo "$conns"
grep -qxF 'conn Q: \\srv\share' <<<"$conns" || nr_die "Q: missing"
grep -qxF 'conn - \\srv\share' <<<"$conns" && nr_die "the implicit connection stayed"
nr_expect "$(lg_tool dump)" '^ledger none$'

nr_note "b. the same while the holder keeps its file open"
nr_hold b '\\bsrv\share\f.txt'
nr_expect "$(lg_conns)" '^conn - \\\\bsrv\\share$'
nr_wnet mark origin-b >/dev/null
out=$(WINEDEBUG=+eventlog nr_wnet add '\\bsrv\share' --local R: --user bob)
nr_expect "$out" ' -> 1219 '
nr_expect_record 31 'a true conflict, left alone: Verdict: true conflict, netreclaim will not clear it.'
nr_expect_record 31 '\\bsrv\share (deviceless) is in use, files open: \\bsrv\share\f.txt in holder.exe (pid '
lg_expect_count origin-b NPAddConnection3 1
[ "$(lg_cancels origin-b)" = 0 ] || nr_die "the implicit connection in use was asked to cancel"
nr_expect "$(lg_conns)" '^conn - \\\\bsrv\\share$'
nr_hold_check b
nr_hold_expect b '\\bsrv\share\f.txt' valid
nr_hold_end b

nr_note "c. a forced cancel of S: clears the idle implicit connection to its server only"
nr_expect "$(nr_wnet add '\\csrv\share' --local S:)" ' -> 0 NO_ERROR'
lo_idle c1 '\\csrv\share3\f.txt'
lo_idle c2 '\\dsrv\share\f.txt'
nr_expect "$(lg_tool dump)" '^ledger none$'
nr_wnet mark origin-c >/dev/null
nr_expect "$(nr_wnet cancel S: --force)" ' -> 0 NO_ERROR'
[ "$(lg_cancels origin-c 'name=\\\\csrv\\share3 force=0 .* -> 0$')" = 1 ] ||
  nr_die "the idle implicit \\\\csrv\\share3 was not cancelled once without force"
[ "$(lg_cancels origin-c 'dsrv')" = 0 ] || nr_die "a connection to another server was asked to go"
conns=$(lg_conns)
echo "$conns"
grep -q 'csrv' <<<"$conns" && nr_die "a connection to \\\\csrv stayed"
grep -qxF 'conn - \\dsrv\share' <<<"$conns" || nr_die "the implicit connection to \\\\dsrv went"
nr_wnet mark origin-c2 >/dev/null
nr_expect "$(nr_wnet add '\\csrv\share' --local T: --user bob)" ' -> 0 NO_ERROR'
lg_expect_count origin-c2 NPAddConnection3 1
lg_expect_count origin-c2 NPAddConnection3 1 ' -> 0$'
nr_expect "$(lg_conns)" '^conn - \\\\dsrv\\share$'

nr_note "d. a reader's first NP call keeps the ledger once its maker exits"
lg_bg maker READY keep # makes an empty image and holds it
rm -f "$NR_DIR/reader.in"
mkfifo "$NR_DIR/reader.in"
exec {reader}<>"$NR_DIR/reader.in"
# Read-only stdin, our end not inherited: closing it is the batch's EOF.
timeout -k 5 "$NR_TIMEOUT" wine "$NR_BIN/wnet.exe" batch <"$NR_DIR/reader.in" \
  >"$NR_DIR/reader.out" 2>"$NR_DIR/reader.err" {reader}>&- &
reader_pid=$!
printf 'enum --scope connected\n# asked\n' >&"$reader"
for _ in $(seq 1 $((NR_TIMEOUT * 10))); do
  grep -q '^# asked' "$NR_DIR/reader.out" 2>/dev/null && break
  sleep 0.1
done
grep -q '^# asked' "$NR_DIR/reader.out" || nr_die "the reader did not answer: $(cat "$NR_DIR/reader.out")"
cat "$NR_DIR/reader.out"
lg_stop maker
nr_expect "$(lg_tool dump)" '^ledger count=0 '
nr_expect "$(nr_wnet add '\\esrv\share' --local E:)" ' -> 0 NO_ERROR'
nr_expect "$(lg_tool dump)" '^entry live E: \\\\esrv\\share .* origin=added vouches=1$'
exec {reader}>&-
wait "$reader_pid" || nr_die "the reader exited with $?"
nr_expect "$(lg_tool dump)" '^ledger none$'

echo "ledger-origin: PASS"
