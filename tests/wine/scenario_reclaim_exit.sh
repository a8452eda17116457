#!/usr/bin/env bash
# a process that exits in the middle of a reclaim. quitter.exe holds
# many copies of a handle to \\srv\share\f.txt and ends itself the moment the
# first one is closed, so the rest of the plan points into a process that is
# gone. Between two holders of the same session (one started before it, one
# after) it checks: the cancel still answers 0 at once, the closes that
# remain fail cleanly and are reported as failed (never retried, never
# counted as closed), the reclaim goes on to the next process, and nothing
# else is touched: the later holder's \\srv\share handle is closed, the
# earlier holder's \\srv\share2 handle (a share still connected) stays open.
# Usage: scenario_reclaim_exit.sh <work dir> <bin dir>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
work=$1 bin=$2
copies=300

nr_prefix "$work" reclaim-exit
nr_install "$bin" netreclaim
nr_share srv share
nr_share srv share2

nr_note "alice maps Q: and P:; a holder, quitter.exe with $copies copies, another holder"
nr_expect "$(nr_wnet add '\\srv\share' --local Q: --user alice)" ' -> 0 NO_ERROR'
nr_expect "$(nr_wnet add '\\srv\share2' --local P: --user alice)" ' -> 0 NO_ERROR'
nr_hold before '\\srv\share2\f.txt'
timeout -k 5 "$NR_TIMEOUT" wine "$bin/quitter.exe" '\\srv\share\f.txt' "$copies" "$NR_TIMEOUT" \
  </dev/null >"$NR_DIR/quitter.out" 2>"$NR_DIR/quitter.err" &
quitter=$!
for _ in $(seq 1 $((NR_TIMEOUT * 10))); do
  grep -q '^READY' "$NR_DIR/quitter.out" && break
  kill -0 "$quitter" 2>/dev/null || break
  sleep 0.1
done
grep -q '^READY' "$NR_DIR/quitter.out" || nr_die "quitter.exe never got ready: $(cat "$NR_DIR/quitter.out")"
qpid=$(sed -n 's/^READY \([0-9]*\).*/\1/p' "$NR_DIR/quitter.out" | tr -d '\r')
nr_hold after '\\srv\share\dir\g.txt'

nr_note "forced cancel of Q:"
out=$(WINEDEBUG=+eventlog nr_wnet cancel Q: --force)
nr_expect "$out" ' -> 0 NO_ERROR last=0'
rc=0
wait "$quitter" || rc=$?
[ "$rc" = 7 ] || nr_die "quitter.exe exited with $rc, not 7 (ended by a close)"
record=$(nr_eventlog)
head -n 12 <<<"$record"
summary=$(sed -nE "s/^Closed ([0-9]+) of ([0-9]+), failed ([0-9]+), reused 0; .*/\1 \2 \3/p" <<<"$record")
read -r closed planned failed <<<"$summary" || nr_die "no summary line in the record"
echo "closed $closed, failed $failed, of $planned planned ($copies in quitter.exe, 1 in the later holder)"
[ "$planned" = $((copies + 1)) ] || nr_die "$planned planned, not $((copies + 1))"
[ "$failed" -ge 1 ] || nr_die "every close succeeded: quitter.exe did not exit mid-reclaim"
[ "$closed" -ge 2 ] || nr_die "fewer than 2 closed: quitter.exe's first close and the later holder's"
[ $((closed + failed)) = "$planned" ] || nr_die "closed + failed != planned"
grep -qE "^close failed, the process has exited: quitter\.exe \(pid $qpid\) " <<<"$record" \
  || nr_die "no close failure in the record names the exit of quitter.exe"
grep -E '^close failed' <<<"$record" | grep -vE "\(pid $qpid\)" >/dev/null \
  && nr_die "a close failed outside quitter.exe"
grep -qE '^(closed|close failed).*share2' <<<"$record" \
  && nr_die "a handle under the still-connected share2 was touched"

nr_note "the later holder's handle is gone, the earlier holder's share2 handle stays"
nr_hold_check after
nr_hold_expect after '\\srv\share\dir\g.txt' invalid
nr_hold_check before
nr_hold_expect before '\\srv\share2\f.txt' valid
nr_hold_end after
nr_hold_end before
echo "reclaim-exit: PASS ($((closed - 1)) of quitter.exe's handles closed before it exited, $failed failed after)"
