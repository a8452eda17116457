#!/usr/bin/env bash
# handles lists a leftover handle under \\srv\share (also named
# \\?\UNC\srv\share) and closes nothing; reclaim --dry-run closes nothing
# either; reclaim closes it (holder.exe then finds its handle invalid);
# handles under another share are left alone.
# Usage: cli_handles.sh <work dir> <x86_64 bin> <i686 bin>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
nri_setup "$1" handles "$2" "$3"
nr_share srv share
nr_share srv other
nr_holder_start '\\srv\share\f.txt' '\\srv\other\f.txt'

nri_cli handles '\\srv\share'
nri_rc 0
nri_out 'would close: holder.exe \(pid [0-9]+\) handle 0x[0-9a-f]+ \\\\srv\\share\\f.txt'
nri_out '^under_target: 1'
nri_cli handles '\\srv'
nri_rc 0
nri_out '^under_target: 2'
# Win32's long form names the same share.
nri_cli handles '\\?\UNC\srv\share'
nri_rc 0
nri_out '^under_target: 1'
nri_cli reclaim '\\?\UNC\srv'
nri_rc 2
nri_out 'names a server only'
nri_cli reclaim '\\srv\share' --dry-run
nri_rc 0
nri_out '^closed: 0'
nri_cli reclaim '\\srv\share'
nri_rc 0
nri_out 'closed: holder.exe \(pid [0-9]+\) handle 0x[0-9a-f]+ \\\\srv\\share\\f.txt'
nri_out '^closed: 1'
nri_cli handles '\\srv\share'
nri_out '^under_target: 0'

nr_holder_stop
grep -Eq 'handle \\\\srv\\share\\f.txt invalid' <<<"$NR_HOLDER_LOG" || nr_die "the handle is still open"
grep -Eq 'handle \\\\srv\\other\\f.txt valid' <<<"$NR_HOLDER_LOG" || nr_die "another share's handle was closed"
echo "PASS"
