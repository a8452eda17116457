#!/usr/bin/env bash
# nrconform.exe (tests/conform) against the model LanmanWorkstation provider,
# in a fresh prefix: the model alone, then NetReclaim in front of it. No
# check may say FAILED, the JSON report must parse, and the reports must
# show KB Q245006 reproduced through the stock provider alone (the second
# user's add meets 1219 with the orphan left open) and fixed by netreclaim
# (rule 4 through netreclaim.dll's add; rule 3 through WNet with NetReclaim
# in the order). Bad input is a usage error; without a share the share
# checks skip; --setup where no share can be made fails and leaves nothing.
# The same program runs on Windows (docs/windows-evidence.md).
# Usage: scenario_conform.sh <work dir> <bin dir>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
work=$1 bin=$2
start=$(date +%s)

[ -f "$bin/nrconform.exe" ] || nr_die "no $bin/nrconform.exe (not built)"

# <json> <tsv>: the report parsed once (python3's json module, as
# json.tool would), one "id<TAB>status<TAB>answer" line per check, then
# "count<TAB>ok+skipped".
report_tsv() {
  python3 - "$1" >"$2" <<'PY' || nr_die "the report does not parse: $(head -c 400 "$1")"
import json, sys
report = json.load(open(sys.argv[1]))
for c in report["checks"]:
    print("\t".join((c["id"], c["status"], c["answer"])))
print("count\t%d" % (report["ok"] + report["skipped"]))
PY
}

# <tsv> <check id> <status> [<answer pattern>]: the report says so.
expect_check() {
  local got
  got=$(awk -F'\t' -v id="$2" '$1 == id { print $2 "|" $3 }' "$1")
  [ -n "$got" ] || nr_die "the report has no check $2"
  [ "${got%%|*}" = "$3" ] || nr_die "$2: expected $3, got: $got"
  [ -z "${4:-}" ] || grep -Eq -- "$4" <<<"${got#*|}" || nr_die "$2: expected /$4/ in: $got"
  echo "report: $2: $got"
}

# run <mode>: the providers installed for <mode>, one run; the program's
# output is checked line by line and its report parsed into $REPORT (tsv).
run() {
  local mode=$1 report=$NR_DIR/report-$1.json out rc=0
  nr_install "$bin" "$mode"
  nr_note "nrconform.exe with ProviderOrder = $( [ "$mode" = model ] && echo LanmanWorkstation || echo NetReclaim)"
  out=$(nr_wine "$bin/nrconform.exe" --share share --servers qsrv,nsrv,osrv,wsrv \
          --users alice,bob --report "Z:${report//\//\\}") || rc=$?
  echo "$out"
  grep -q ': FAILED' <<<"$out" && nr_die "a check FAILED ($mode)"
  [ "$rc" = 0 ] || nr_die "nrconform.exe exited $rc ($mode)"
  grep -Eq -- '-- |: skipped: ' <<<"$out" || nr_die "nrconform.exe printed no check"
  REPORT=$NR_DIR/report-$mode.tsv
  report_tsv "$report" "$REPORT"
  [ "$(grep -c ': ok -- \|: skipped: ' <<<"$out")" = "$(awk -F'\t' '$1 == "count" { print $2 }' "$REPORT")" ] \
    || nr_die "the report does not count what was printed"
}

nr_prefix "$work" conform
for s in qsrv nsrv osrv wsrv; do nr_share "$s" share; done
run model
model=$REPORT
nr_note "Q245006 through the stock provider alone, and rule 4's answer"
expect_check "$model" q245006.stock_forced_cancel_succeeds ok
expect_check "$model" q245006.orphan_in_handle_table ok '^yes'
expect_check "$model" q245006.orphan_named_under_share ok '\\qsrv\\share\\f\.txt'
expect_check "$model" q245006.second_user_add_after_forced_cancel ok '^1219: Q245006 reproduced'
expect_check "$model" q245006.rule4_add_through_netreclaim ok ': 0; the orphan closed'
expect_check "$model" q245006.rule3_forced_cancel_closes_orphan skipped 'not in ProviderOrder'
expect_check "$model" names.unc_parses_to_share ok
expect_check "$model" names.other_spelling_parses_to_its_own_server ok
expect_check "$model" tables.system_table_finds_own_handle ok
expect_check "$model" blocking.name_query_bounded ok
expect_check "$model" implicit.busy_unforced_cancel_refused ok ': 2401;'
expect_check "$model" implicit.idle_unforced_cancel_succeeds ok
# Wine 8's known answers (docs/wine-notes.md), recorded as such.
expect_check "$model" blocking.volume_name_answers_at_once skipped '0xc0000002'
expect_check "$model" tables.process_class_51_finds_own_handle skipped

nr_note "bad input: a usage error (exit 2), nothing run"
rc=0
out=$(nr_wine "$bin/nrconform.exe" --servers a,b) || rc=$?
[ "$rc" = 2 ] && [ -z "$out" ] && grep -q '^usage: nrconform' "$NR_DIR/wine.err" \
  || nr_die "--servers a,b: expected exit 2 and the usage on stderr, got $rc: $out"
nr_note "no share: the checks that need one say so and skip"
rc=0
out=$(nr_wine "$bin/nrconform.exe") || rc=$?
[ "$rc" = 0 ] || nr_die "nrconform.exe without a share exited $rc: $out"
nr_expect "$out" '^names: skipped: no share'
nr_expect "$out" '^q245006: skipped: no share or no users'
nr_note "--setup where no share can be made (Wine's NetShareAdd): FAILED, and nothing left behind"
rc=0
out=$(nr_wine "$bin/nrconform.exe" --setup) || rc=$?
[ "$rc" = 1 ] || nr_die "nrconform.exe --setup under Wine exited $rc, not 1: $out"
nr_expect "$out" '^setup: FAILED -- NetShareAdd: '
left=$(find "$WINEPREFIX/drive_c" -maxdepth 1 -name 'nrconform-*')
[ -z "$left" ] || nr_die "--setup left its folder behind: $left"

run netreclaim
fixed=$REPORT
nr_note "Q245006 fixed with NetReclaim in the order (rule 3 on the forced cancel)"
expect_check "$fixed" q245006.rule3_forced_cancel_closes_orphan ok ': 0; .*closed'
expect_check "$fixed" q245006.second_user_add_after_rule3 ok ': 0$'
expect_check "$fixed" registration.provider_name_lanman ok
echo "conform: PASS ($(($(date +%s) - start)) s)"
