#!/usr/bin/env bash
# The Wine suite against the i686 build, where a 32-bit Wine loader exists.
# Otherwise exits 77 (ctest SKIP_RETURN_CODE) and names the reason: a skip,
# never a pass.
# Usage: scenario_wine32.sh <work dir> <win32 bin dir>
set -euo pipefail
here=$(dirname "$0")
. "$here/lib.sh"
work=$1 bin=$2
skip() { echo "SKIP: $*"; exit 77; }

for f in wnet.exe holder.exe npdiff.exe nrmodel.dll nrconform.exe; do
  [ -f "$bin/$f" ] || nr_die "i686 build incomplete: no $bin/$f"
done
if ! dpkg-query -W -f='${Status}' wine32:i386 2>/dev/null | grep -q 'ok installed'; then
  skip "wine32:i386 is not installed, so Wine cannot start 32-bit programs" \
       "(on Debian 12 it needs dpkg --add-architecture i386; see docs/design.md, Wine facts)"
fi
# Installed is not enough: a 32-bit program must really start.
nr_prefix "$work" wine32-probe
out=$(nr_wine "$bin/wnet.exe" provider-name 2>&1) || true
grep -q 'WNetGetProviderNameW' <<<"$out" \
  || skip "wine32 is installed but a 32-bit program does not start: $(head -c 300 "$NR_DIR/wine.err")"
trap - EXIT
nr_drop_prefix

export NR_ARCH=32 NR_TEMPLATE=$work/template
bash "$here/scenario_baseline.sh" "$work/wine32" "$bin"
bash "$here/scenario_diff.sh" "$work/wine32" "$bin"
bash "$here/scenario_npdiff.sh" "$work/wine32" "$bin"
[ -f "$bin/netreclaim.dll" ] || nr_die "i686 build incomplete: no $bin/netreclaim.dll"
bash "$here/scenario_reclaim.sh" "$work/wine32" "$bin"
bash "$here/scenario_reclaim_modes.sh" "$work/wine32" "$bin"
bash "$here/scenario_reclaim_hang.sh" "$work/wine32" "$bin"
bash "$here/scenario_conform.sh" "$work/wine32" "$bin"
echo "wine32-suite: PASS"
