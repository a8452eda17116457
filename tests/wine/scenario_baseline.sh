#!/usr/bin/env bash
# Baseline: the model alone reproduces KB Q245006 under Wine.
# alice connects Q: to \\srv\share; another process holds \\srv\share\f.txt;
# cancel without force says 2401, with force says success; bob's add meets
# the surviving session with 1219; once the holder exits, bob gets in. The
# same for a held directory. The model's log shows one stock call per WNet call.
# Usage: scenario_baseline.sh <work dir> <win64 bin dir>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
work=$1 bin=$2

nr_prefix "$work" baseline
nr_install "$bin" model
nr_share srv share

nr_note "alice maps Q: to \\\\srv\\share"
nr_expect "$(nr_wnet add '\\srv\share' --local Q: --user alice --password pw)" ' -> 0 NO_ERROR'

nr_note "another process keeps \\\\srv\\share\\f.txt open"
nr_holder_start '\\srv\share\f.txt'
dev=$(nr_device_name)
grep -qF "name=$dev\\srv\\share\\f.txt" <<<"$NR_HOLDER_LOG" \
  || nr_die "holder's NT name does not start with DeviceName $dev"

nr_note "cancel without force: the stock provider refuses (open files)"
nr_expect "$(nr_wnet cancel Q:)" ' -> 2401 ERROR_OPEN_FILES'
nr_note "cancel with force: success, but the handle keeps alice's session"
nr_expect "$(nr_wnet cancel Q: --force)" ' -> 0 NO_ERROR'
nr_expect "$(nr_wnet get-connection Q:)" ' -> (2250|1200) '

nr_note "bob maps Q: to the same server: 1219"
nr_expect "$(nr_wnet add '\\srv\share' --local Q: --user bob --password pw)" \
  ' -> 1219 ERROR_SESSION_CREDENTIAL_CONFLICT'

nr_note "the holder exits; its handle was never closed behind its back"
nr_holder_stop
grep -qF 'handle \\srv\share\f.txt valid' <<<"$NR_HOLDER_LOG" || nr_die "handle lost"

nr_note "bob maps Q: again: the session is gone, success"
nr_expect "$(nr_wnet add '\\srv\share' --local Q: --user bob --password pw)" ' -> 0 NO_ERROR'
nr_expect "$(nr_wnet cancel Q:)" ' -> 0 NO_ERROR'

nr_note "the same with a directory held open (deviceless connection)"
nr_expect "$(nr_wnet add '\\srv\share' --user alice)" ' -> 0 NO_ERROR'
nr_holder_start '\\srv\share\dir'
nr_expect "$(nr_wnet cancel '\\srv\share')" ' -> 2401 ERROR_OPEN_FILES'
nr_expect "$(nr_wnet cancel '\\srv\share' --force)" ' -> 0 NO_ERROR'
nr_expect "$(nr_wnet add '\\srv\share' --user bob)" ' -> 1219 '
nr_holder_stop
nr_expect "$(nr_wnet add '\\srv\share' --user bob)" ' -> 0 NO_ERROR'

nr_note "stock calls in the model's log"
nr_log_counts
adds=$(nr_log_count NPAddConnection3) cancels=$(nr_log_count NPCancelConnection)
[ "$adds" = 6 ] || nr_die "expected 6 NPAddConnection3 calls (one per add), got $adds"
[ "$cancels" = 5 ] || nr_die "expected 5 NPCancelConnection calls (one per cancel), got $cancels"
others=$(nr_log_counts | awk '$2 != "NPGetCaps" && $2 != "NPAddConnection3" &&
                              $2 != "NPCancelConnection" { s += $1 } END { print s + 0 }')
[ "$others" = 0 ] || nr_die "unexpected stock calls: $others"
grep -q 'password\|pw' "$(nr_log)" && nr_die "a password reached the log"
echo "baseline: PASS"
