#!/usr/bin/env bash
# The exe side of the x86 provider's WOW64 hand-off (docs/wow64.md): install records where netreclaim.exe is (Install\ExePath,
# uninstall takes it away with the record); reclaim --luid refuses a logon
# session other than its own (exit 9) and closes nothing; a malformed LUID
# is a usage error; its own session's LUID (Wine: 0) reclaims as the
# provider does after a cancel, with the provider's record.
# Runs after uninstall: with NetReclaim in the order its own cancel would
# already reclaim in process.
# Usage: cli_handoff.sh <work dir> <x86_64 bin> <i686 bin>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
nri_setup "$1" cli_handoff "$2" "$3"
record_key='HKLM\Software\NetReclaim\Install'
exe="Z:$NRI_BIN64/netreclaim.exe"
exe=${exe//\//\\}

nri_install_cli
nri_rc 0
nri_out "^changed: HKLM\\\\SOFTWARE\\\\NetReclaim\\\\Install\\\\ExePath = \""
[ "$(nri_value "$record_key" ExePath)" = "REG_SZ $exe" ] \
  || nr_die "install recorded ExePath '$(nri_value "$record_key" ExePath)', not '$exe'"

nri_cli uninstall
nri_rc 0
[ -z "$(nri_value "$record_key" ExePath)" ] || nr_die "uninstall left ExePath"

# Q245006 with the stock provider alone: the holder's implicit connection is
# cancelled with force, its handle stays. As the provider's rule 3 after a
# cancel, reclaim --luid lets a listed connection cover its share: here none.
nr_share srv share
nr_holder_start '\\srv\share\f.txt'
NR_BIN=$NRI_BIN64
nr_expect "$(nr_wnet cancel '\\srv\share' --force)" ' -> 0 NO_ERROR'

nri_cli reclaim '\\srv\share' --luid 0x1234
nri_rc 9
nri_out '^error: --luid 0x0000000000001234 is not this program.s logon session \(0x0000000000000000\): nothing is closed'
grep -q '^closed' <<<"$NRI_OUT" && nr_die "a refused reclaim printed a plan"
nri_cli reclaim '\\srv\share' --luid 1234
nri_rc 2
nri_out '^error: --luid takes 0x and 1 to 16 hex digits, not "1234"'
nri_cli reclaim '\\srv\share' --luid
nri_rc 2
nri_cli handles '\\srv\share'
nri_out '^under_target: 1'

WINEDEBUG=+eventlog nri_cli reclaim '\\srv\share' --luid 0x0
nri_rc 0
nri_out '^closed: 1'
record=$(nr_eventlog)
echo "$record"
nr_expect_closed 'netreclaim reclaim of \\srv\share.'
grep -qE '^closed: holder\.exe \(pid [0-9]+\) handle 0x[0-9a-f]+ \\\\srv\\share\\f\.txt$' \
  <<<"$record" || nr_die "the record does not name the closed handle"

nr_holder_stop
grep -Eq 'handle \\\\srv\\share\\f.txt invalid' <<<"$NR_HOLDER_LOG" || nr_die "the handle is still open"

echo "PASS"
