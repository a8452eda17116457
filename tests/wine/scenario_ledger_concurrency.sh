#!/usr/bin/env bash
# Eight processes add and cancel their own share in a loop, all at once,
# through netreclaim. At the end the ledger holds exactly what the stock
# provider lists, every add is in it (its sequence counts each one: no entry
# lost to a torn update, no rebuild), every cancel is marked, no process
# hangs (each is bounded by the harness timeout).
# Usage: scenario_ledger_concurrency.sh <work dir> <win64 bin dir>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ledger_lib.sh"
work=$1 bin=$2
procs=8 rounds=${NR_LEDGER_ROUNDS:-5}
letters=(K L M N O P Q R)

nr_prefix "$work" ledger-concurrency
nr_install "$bin" netreclaim
for i in $(seq 1 $procs); do nr_share srv "c$i"; done
lg_bg keep READY keep

nr_note "$procs processes x $rounds rounds of add + cancel, then one last add each"
pids=()
start=$SECONDS
for i in $(seq 1 $procs); do
  d=${letters[i - 1]}:
  {
    for _ in $(seq 1 "$rounds"); do
      echo "add \\\\srv\\c$i --local $d --user carol"
      echo "cancel $d"
    done
    echo "add \\\\srv\\c$i --local $d --user carol"
  } | timeout -k 5 "$NR_TIMEOUT" wine "$NR_BIN/wnet.exe" batch >"$NR_DIR/loop.$i" 2>"$NR_DIR/loop-$i.err" &
  pids+=($!)
done
for i in "${!pids[@]}"; do
  rc=0
  wait "${pids[i]}" || rc=$?
  nr_ran "$rc" "$NR_DIR/loop-$((i + 1)).err" wnet.exe batch "(loop $((i + 1)))"
  [ "$rc" = 0 ] || nr_die "loop process $((i + 1)) failed or hung"
done
echo "all done in $((SECONDS - start)) s"
for i in $(seq 1 $procs); do
  ok=$(tr -d '\r' <"$NR_DIR/loop.$i" | grep -c ' -> 0 NO_ERROR ' || true)
  [ "$ok" = $((2 * rounds + 1)) ] || { cat "$NR_DIR/loop.$i"; nr_die "process $i: $ok of $((2 * rounds + 1)) calls succeeded"; }
done

nr_note "the ledger against the stock enumeration"
dump=$(lg_tool dump)
conns=$(lg_conns | sort)
live=$(awk '$1 == "entry" && $2 == "live" { print "conn", $3, $4 }' <<<"$dump" | sort)
[ "$conns" = "$live" ] || { diff <(echo "$conns") <(echo "$live"); nr_die "ledger and stock differ"; }
[ "$(grep -c . <<<"$conns")" = $procs ] || nr_die "expected $procs connections"
adds=$((procs * (rounds + 1)))
nr_expect "$dump" "^ledger count=$adds live=$procs session_live=$procs sequence=$adds "
cancelled=$(grep -c '^entry cancelled ' <<<"$dump" || true)
[ "$cancelled" = $((procs * rounds)) ] || nr_die "$cancelled cancelled entries, expected $((procs * rounds))"

lg_stop keep
echo "ledger-concurrency: PASS"
