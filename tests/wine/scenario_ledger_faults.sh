#!/usr/bin/env bash
# The ledger's objects and faults. Each fault recovers, and the stock result
# still reaches the caller.
#  sd:        owner and single ACE of the section and the mutex are the token
#             user, read back by name (DACLs are weakly enforced under Wine:
#             this proves what was set, code review proves it is used).
#  abandoned: a process killed while holding the lock mid-update; the next
#             add sees WAIT_ABANDONED, finds the image invalid, rebuilds it.
#  busy:      a live process keeps the lock; an add goes on after the bounded
#             wait without the ledger (not recorded), with the stock result.
#  garbage:   a section filled with noise is rebuilt from the stock
#             enumeration (NPOpenEnum + NPGetUser) on its next use.
#  full:      256 entries of another session; an add evicts the oldest.
#  reclaim lock: held by a reclaim elsewhere in the session; a cancel waits
#             its bound, closes nothing and says so; released, the next one
#             reclaims.
# Usage: scenario_ledger_faults.sh <work dir> <win64 bin dir>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ledger_lib.sh"
work=$1 bin=$2

nr_prefix "$work" ledger-faults
nr_install "$bin" netreclaim
nr_share srv share
nr_share srv share2
nr_share srv share3

nr_note "sd: the objects' security reads back owner-only"
lg_bg keep READY keep
out=$(lg_tool sd) || { echo "$out"; nr_die "security descriptor check failed"; }
nr_expect "$out" '^names Local\\NetReclaim\.Ledger\.[0-9A-F]{16} Local\\NetReclaim\.Ledger\.[0-9A-F]{16}\.Lock$'
nr_expect "$out" '^sd ok mutex O:(S-1-5-[0-9-]+)D:\(A;;[^;]+;;;S-1-5-[0-9-]+\)$'
nr_expect "$out" '^sd ok section '

nr_note "abandoned: killed while holding the lock, halfway through an update"
nr_expect "$(nr_wnet add '\\srv\share' --local Q: --user alice)" ' -> 0 NO_ERROR'
lg_bg crash HOLDING crash
kill -KILL "${LG_PID[crash]}"
wait "${LG_PID[crash]}" 2>/dev/null || true
start=$SECONDS
nr_expect "$(WINEDEBUG=+eventlog nr_wnet add '\\srv\share2' --local R: --user alice)" ' -> 0 NO_ERROR'
nr_expect_record 53 'A process ended while holding the session ledger'
nr_expect_record 53 'was rebuilt'
echo "the add took $((SECONDS - start)) s"
dump=$(lg_tool dump)
nr_expect "$dump" '^entry live Q: \\\\srv\\share alice .* origin=rebuilt vouches=1$'
nr_expect "$dump" '^entry live R: \\\\srv\\share2 alice .* origin=added vouches=1$'

nr_note "busy: a live holder keeps the lock; the add goes on without the ledger"
lg_bg hold HOLDING hold
start=$SECONDS
nr_expect "$(WINEDEBUG=warn+seh nr_wnet add '\\srv\share3' --local S: --user alice)" ' -> 0 NO_ERROR'
took=$((SECONDS - start))
grep -q 'session ledger stayed busy past its wait' "$NR_DIR/wine.err" || nr_die "no note of the skipped ledger"
lg_stop hold
# The wait's end is the product's note above; a clock bounds only from below
# (a loaded machine stretches wine's start-up, never shortens the wait).
[ "$took" -ge 2 ] || nr_die "the add took $took s (a bounded wait of 2 s expected)"
grep -q '^entry live S: ' <<<"$(lg_tool dump)" && nr_die "S: recorded although the ledger was busy"
echo "bounded wait: $took s"

nr_note "garbage: the section is filled with noise"
lg_tool scribble
nr_expect "$(lg_tool dump)" '^ledger invalid fault=[1-9]'
nr_wnet mark garbage >/dev/null
nr_expect "$(WINEDEBUG=+eventlog nr_wnet cancel R:)" ' -> 0 NO_ERROR'
nr_expect_record 52 'failed validation'
lg_expect_count garbage NPOpenEnum 2
dump=$(lg_tool dump)
# The cancel's first use of the ledger comes after the stock cancel (the stock
# provider resolves R:), so the image is rebuilt from what the stock lists
# then (Q:, S:), with the users NPGetUser gives: R: is not in it at all.
nr_expect "$dump" '^entry live Q: \\\\srv\\share alice .* origin=rebuilt vouches=1$'
nr_expect "$dump" '^entry live S: \\\\srv\\share3 alice .* origin=rebuilt vouches=1$'
nr_expect "$dump" '^ledger count=2 live=2 '
grep -q '^entry [a-z]* R: ' <<<"$dump" && nr_die "R: in the ledger rebuilt after its cancel"
[ "$(lg_count garbage NPGetUser)" -ge 2 ] || nr_die "users not asked of the stock provider"

nr_note "full: 256 entries of another session, then one more add"
lg_tool fill 256
nr_expect "$(lg_tool dump)" '^ledger count=256 live=256 '
nr_expect "$(WINEDEBUG=warn+seh nr_wnet add '\\srv\share2' --local T: --user alice)" ' -> 0 NO_ERROR'
grep -q 'session ledger is full' "$NR_DIR/wine.err" || nr_die "no note of the eviction"
dump=$(lg_tool dump)
nr_expect "$dump" '^ledger count=256 '
nr_expect "$dump" '^entry live T: \\\\srv\\share2 alice .* origin=added vouches=1$'

nr_note "reclaim lock: another reclaim of the session holds it; a cancel waits its bound, closes nothing and says so"
nr_share srv share5
nr_hold lk '\\srv\share5\f.txt'
lg_bg rl HOLDING reclaim-lock
start=$SECONDS
nr_expect "$(WINEDEBUG=+eventlog nr_wnet cancel '\\srv\share5' --force)" ' -> 0 NO_ERROR'
took=$((SECONDS - start))
nr_expect_record 20 'another reclaim in this logon session did not end in time'
nr_hold_check lk
nr_hold_expect lk '\\srv\share5\f.txt' valid
# 2 s + 16 name timeouts of 200 ms: 5.2 s.
[ "$took" -ge 5 ] || nr_die "the cancel took $took s (a 5.2 s wait expected)"
echo "bounded wait: $took s"
lg_stop rl
nr_expect "$(nr_wnet add '\\srv\share5' --local U: --user alice)" ' -> 0 NO_ERROR'
nr_expect "$(nr_wnet cancel U: --force)" ' -> 0 NO_ERROR'
nr_hold_check lk
nr_hold_expect lk '\\srv\share5\f.txt' invalid
nr_hold_end lk

lg_stop keep
echo "ledger-faults: PASS"
