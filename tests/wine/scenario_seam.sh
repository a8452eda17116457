#!/usr/bin/env bash
# The conformance test of the real OS seam (provider/win/tests/seam_test.c) in
# a fresh prefix: the handle snapshot against scripted NtQuerySystemInformation
# answers (retries, cap, lying counts, failures, no leaks), then a
# live child's handles through snapshot, LUIDs, image, name query and close,
# the bounded worker, and the registry and policy readers.
# Passes when seam_test.exe exits 0 after its last line ("ok: 0 failure(s)"),
# no check failed, and every group of checks ran.
# Usage: scenario_seam.sh <work dir> <bin dir>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
work=$1 bin=$2

nr_prefix "$work" seam
nr_note "seam_test.exe (bounded: ${NR_TIMEOUT} s)"
rc=0
out=$(nr_wine "$bin/seam_test.exe") || rc=$?
echo "$out"
[ "$rc" = 0 ] || nr_die "seam_test.exe exited $rc: $(tail -5 "$NR_DIR/wine.err")"
grep -q '^FAIL' <<<"$out" && nr_die "a check failed"
[ "$(tail -n 1 <<<"$out")" = "ok: 0 failure(s)" ] || nr_die "seam_test.exe did not finish"
for group in 'snapshot fault' 'snapshot taken' 'session path' 'session list' 'close_handle' 'worker' \
             'registry' 'policy' 'device'; do
  grep -q "^pass: $group" <<<"$out" || nr_die "no checks of: $group"
done
echo "seam: PASS ($(grep -c '^pass: ' <<<"$out") checks)"
