#!/usr/bin/env bash
# Differential transparency: diff_suite.txt runs twice, each time in a fresh
# prefix: the model alone (ProviderOrder=LanmanWorkstation), then netreclaim
# in front of it (ProviderOrder=NetReclaim). Every WNet output must be
# identical, and the model's call log must show, per case, exactly the stock
# calls the suite expects: one per WNet call, never a second forward.
# Usage: scenario_diff.sh <work dir> <win64 bin dir> [second mode]
# (second mode "model" runs the suite against itself: a self-test of the bench)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
root=$1 work=$1/diff bin=$2 second=${3:-netreclaim}
mkdir -p "$work"
suite=$(dirname "$0")/diff_suite.txt
# NP calls that change nothing: netreclaim may make its own (e.g. to resolve
# a local name before a cancel); they are reported, not failed.
readonly_calls=" NPGetConnection NPGetConnection3 NPGetUser NPGetUniversalName NPOpenEnum NPEnumResource NPCloseEnum "

# run_suite <mode> <tag>: leaves out.<tag>, counts.<tag> ("case function count").
run_suite() {
  local mode=$1 tag=$2
  nr_prefix "$root" "diff-$tag-$mode"
  nr_install "$bin" "$mode"
  nr_share srv share
  nr_share srv other
  nr_share hsrv share
  nr_holder_start '\\hsrv\share\f.txt'
  awk '/^#/ { print; next } NF { n++; $1 = ""; print "mark case-" n; print substr($0, 2) }' \
    "$suite" | nr_wnet_batch >"$work/out.$tag"
  nr_holder_stop
  awk '$2 == "#" { c = $3; next } c && $2 != "NPGetCaps" { n[c " " $2]++ }
       END { for (k in n) print k, n[k] }' "$(nr_log)" | sort >"$work/counts.$tag"
  cp "$(nr_log)" "$work/calls.$tag.log"
  timeout -k 5 30 wineserver -k || true
}

cases=$(grep -cv '^#\|^$' "$suite")
run_suite model a
run_suite "$second" b
trap - EXIT
nr_drop_prefix

nr_note "outputs (model alone | with netreclaim)"
if ! diff -u "$work/out.a" "$work/out.b"; then
  nr_die "WNet outputs differ"
fi
lines=$(grep -c ' -> ' "$work/out.a")
[ "$lines" -ge "$cases" ] || nr_die "only $lines results for $cases cases"

nr_note "stock calls per case against the suite's expectations"
fail=0
n=0
while read -r expect rest; do
  case $expect in '#'*|'') continue ;; esac
  n=$((n + 1))
  got=$(awk -v c="case-$n" '$1 == c { s += $3 } END { print s + 0 }' "$work/counts.a")
  if [ "$got" != "$expect" ]; then
    echo "case-$n ($rest): model got $got stock calls, suite expects $expect"; fail=1
  fi
done <"$suite"
# own_cancels <case> <function>: that case's calls of a cancel entry in the
# netreclaim run's log; own_unforced: all of them without force.
own_cancels() {
  awk -v c="$1" -v f="$2" '$2 == "#" { on = $3 == c; next } on && $2 == f { $1 = ""; print }' \
    "$work/calls.b.log"
}
own_unforced() { ! own_cancels "$1" "$2" | grep -v ' force=0 ' >/dev/null; }
# Per case and function: the netreclaim run forwards exactly what the model
# run made; extras are allowed only for read-only functions and for
# netreclaim's own cancels without force (rule 3).
while read -r c f count_b; do
  count_a=$(awk -v c="$c" -v f="$f" '$1 == c && $2 == f { print $3 }' "$work/counts.a")
  count_a=${count_a:-0}
  [ "$count_a" = "$count_b" ] && continue
  if [ "$count_a" = 0 ] && [[ $readonly_calls == *" $f "* ]]; then
    echo "note: $c: netreclaim made $count_b own $f call(s)"
  elif [ "$count_a" = 0 ] && [[ $f == NPCancelConnection* ]] && own_unforced "$c" "$f"; then
    # Rule 3: after a cancel, the deviceless connections to the server that
    # the ledger does not vouch for (here the holder's implicit one) are
    # asked to go without force; a busy one refuses and stays.
    echo "note: $c: netreclaim made $count_b own unforced $f call(s): $(own_cancels "$c" "$f")"
  else
    echo "$c: $f called $count_b times with netreclaim, $count_a times without"; fail=1
  fi
done <"$work/counts.b"
while read -r c f count_a; do
  grep -q "^$c $f " "$work/counts.b" || { echo "$c: $f never reached the stock provider"; fail=1; }
done <"$work/counts.a"
[ "$fail" = 0 ] || nr_die "stock call counts differ from the expectations"
echo "per-function totals (model alone):"
awk '{ t[$2] += $3 } END { for (f in t) print "  " f, t[f] }' "$work/counts.a" | sort
echo "differential: $cases cases, $lines WNet results, identical: PASS"
