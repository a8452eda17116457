#!/usr/bin/env bash
# KB Q245006 fixed by netreclaim (ProviderOrder = NetReclaim in
# front of the model LanmanWorkstation provider).
# alice maps Q: to \\srv\share and also uses \\srv\share2. Two other processes
# hold a file, a directory, a file in it and the share root under \\srv\share,
# plus decoys: \\srvx\share, \\srv\share2 (still connected), \\other\share and
# a local C:\data\srv\share\f.txt. Cancel without force: the stock 2401, nothing
# closed. Cancel with force: success, exactly the four handles under
# \\srv\share are closed, the holders keep running, one Event Log record names
# each (image, pid, path) and counts the skips. bob's add still meets 1219
# while alice's share2 stays connected (a true conflict: nothing touched);
# once alice drops share2 (its handle reclaimed), bob gets in. The model's log
# shows one stock call per WNet add and cancel.
# Usage: scenario_reclaim.sh <work dir> <bin dir>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ledger_lib.sh"
work=$1 bin=$2
start=$(date +%s)

nr_prefix "$work" reclaim
nr_install "$bin" netreclaim
nr_share srv share
nr_share srv share2
nr_share srvx share
nr_share other share
mkdir -p "$WINEPREFIX/drive_c/data/srv/share"
echo data >"$WINEPREFIX/drive_c/data/srv/share/f.txt"
# A long-lived process keeps the session ledger, as Explorer does on Windows:
# alice's deviceless connection stays vouched for (recorded by its add) across
# the short-lived wnet.exe processes; a lost ledger would be rebuilt, and a
# rebuilt deviceless entry vouches for nothing (docs/design.md rule 4).
lg_bg keep READY keep

# Every closed or kept handle, by holder.
closed_a=('\\srv\share\f.txt' '\\srv\share')
closed_b=('\\srv\share\dir' '\\srv\share\dir\g.txt')
decoys_a=('\\srvx\share\f.txt' '\\srv\share2\f.txt' 'C:\data\srv\share\f.txt')
decoys_b=('\\other\share\f.txt')

in_record() { # <pattern>: a line of the record matches (grep -E)
  grep -Eq -- "$1" <<<"$record" || nr_die "expected /$1/ in the record: $record"
}

expect_all() { # <holder> valid|invalid <path>...
  local id=$1 state=$2 p
  shift 2
  for p in "$@"; do nr_hold_expect "$id" "$p" "$state"; done
}

nr_note "alice maps Q: to \\\\srv\\share and uses \\\\srv\\share2 (deviceless)"
nr_expect "$(nr_wnet add '\\srv\share' --local Q: --user alice --password pw)" ' -> 0 NO_ERROR'
nr_expect "$(nr_wnet add '\\srv\share2' --user alice --password pw)" ' -> 0 NO_ERROR'

nr_note "two other processes keep handles under \\\\srv\\share, and decoys"
nr_hold a "${closed_a[@]}" "${decoys_a[@]}"
nr_hold b "${closed_b[@]}" "${decoys_b[@]}"
grep -q '^open .* error' <<<"${NR_HOLD_LOG[a]}${NR_HOLD_LOG[b]}" && nr_die "a holder could not open a path"
pid_a=$(sed -n 's/^READY //p' <<<"${NR_HOLD_LOG[a]}")
pid_b=$(sed -n 's/^READY //p' <<<"${NR_HOLD_LOG[b]}")

nr_note "cancel Q: without force: the stock provider's 2401 stands, nothing is closed"
out=$(WINEDEBUG=+eventlog nr_wnet cancel Q:)
nr_expect "$out" ' -> 2401 ERROR_OPEN_FILES'
[ -z "$(nr_eventlog)" ] || nr_die "a refused cancel wrote a record: $(nr_eventlog)"
nr_hold_check a
expect_all a valid "${closed_a[@]}" "${decoys_a[@]}"
nr_hold_check b
expect_all b valid "${closed_b[@]}" "${decoys_b[@]}"

nr_note "cancel Q: with force: success, the handles under \\\\srv\\share are reclaimed"
out=$(WINEDEBUG=+eventlog nr_wnet cancel Q: --force)
nr_expect "$out" ' -> 0 NO_ERROR last=0'
record=$(nr_eventlog)
echo "$record"
grep -q '^netreclaim reclaim of \\\\srv\\share\.' <<<"$(sed -n 2p <<<"$record")" \
  || nr_die "the record is not about \\\\srv\\share"
in_record '^Closed 4 of 4, failed 0, reused 0; '
in_record '^Left 3 under another share or server\.$'
in_record '^Left [0-9]+ not a network file\.$'
for p in "${closed_a[@]}"; do
  grep -qxE "closed: holder\.exe \(pid $pid_a\) handle 0x[0-9a-f]+ ${p//\\/\\\\}" <<<"$record" \
    || nr_die "the record does not say holder.exe (pid $pid_a) lost $p"
done
for p in "${closed_b[@]}"; do
  grep -qxE "closed: holder\.exe \(pid $pid_b\) handle 0x[0-9a-f]+ ${p//\\/\\\\}" <<<"$record" \
    || nr_die "the record does not say holder.exe (pid $pid_b) lost $p"
done
[ "$(grep -c '^closed: ' <<<"$record")" = 4 ] || nr_die "the record lists other closes"
[ "$(nr_record_ids | wc -l)" = 1 ] || nr_die "not one record: $(nr_record_ids | paste -sd' ')"
nr_expect_closed 'Closed 4 of 4, failed 0, reused 0; '

nr_note "the holders keep running: their handles under \\\\srv\\share are gone, decoys stay"
nr_hold_check a
expect_all a invalid "${closed_a[@]}"
expect_all a valid "${decoys_a[@]}"
nr_hold_check b
expect_all b invalid "${closed_b[@]}"
expect_all b valid "${decoys_b[@]}"

nr_note "bob maps Q: while alice still uses \\\\srv\\share2: a true conflict, 1219 stands"
nr_expect "$(nr_wnet add '\\srv\share' --local Q: --user bob --password pw)" \
  ' -> 1219 ERROR_SESSION_CREDENTIAL_CONFLICT'
nr_hold_check a
nr_hold_expect a '\\srv\share2\f.txt' valid

nr_note "alice drops \\\\srv\\share2 (deviceless, by remote name): 2401, then forced"
nr_expect "$(nr_wnet cancel '\\srv\share2')" ' -> 2401 ERROR_OPEN_FILES'
out=$(WINEDEBUG=+eventlog nr_wnet cancel '\\srv\share2' --force)
nr_expect "$out" ' -> 0 NO_ERROR last=0'
record=$(nr_eventlog)
echo "$record"
in_record '^Closed 1 of 1, failed 0, reused 0; '
grep -qxE "closed: holder\.exe \(pid $pid_a\) handle 0x[0-9a-f]+ \\\\\\\\srv\\\\share2\\\\f\.txt" \
  <<<"$record" || nr_die "the record does not name \\\\srv\\share2\\f.txt: $record"
nr_hold_check a
nr_hold_expect a '\\srv\share2\f.txt' invalid
expect_all a valid '\\srvx\share\f.txt' 'C:\data\srv\share\f.txt'

nr_note "bob maps Q: again: success (KB Q245006 fixed), the holders still run"
nr_expect "$(nr_wnet add '\\srv\share' --local Q: --user bob --password pw)" ' -> 0 NO_ERROR'
nr_hold_end a
expect_all a valid '\\srvx\share\f.txt' 'C:\data\srv\share\f.txt'
nr_hold_end b
expect_all b valid "${decoys_b[@]}"

nr_note "exactly once: one stock call per WNet add and cancel"
nr_stock_once 4 4 'Q:' '\\srv\share2'
lg_stop keep
echo "reclaim: PASS ($(($(date +%s) - start)) s)"
