#!/usr/bin/env bash
# msiexec /i installs the files and swaps the orders (through netreclaim.exe
# install); msiexec /x puts HKLM back as it was (but for the keys Wine and
# Windows Installer keep for themselves) and removes the files; an install
# that netreclaim.exe refuses fails and rolls back.
# Usage: msi.sh <work dir> <x86_64 bin> <i686 bin> <msi>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
nri_setup "$1" msi "$2" "$3"
msi="Z:$4"
C=$WINEPREFIX/drive_c
files=("$C/windows/system32/netreclaim.dll" "$C/windows/syswow64/netreclaim.dll"
       "$C/Program Files/NetReclaim/netreclaim.exe" "$C/windows/PolicyDefinitions/netreclaim.admx"
       "$C/windows/PolicyDefinitions/en-US/netreclaim.adml")

msiexec() {
  local rc=0
  timeout -k 5 300 wine msiexec "$@" /qn /l*v "Z:$NR_DIR/msiexec.log" >/dev/null 2>&1 || rc=$?
  [ "$rc" = 0 ] || { tail -40 "$NR_DIR/msiexec.log" >&2; nr_die "msiexec $1 exited with $rc"; }
}

nri_snapshot before
msiexec /i "$msi"
for f in "${files[@]}"; do [ -f "$f" ] || nr_die "missing after install: $f"; done
[ "$(nri_order "$NRI_ORDER_KEY")" = "RDPNP,NetReclaim,webclient" ] || nr_die "ProviderOrder not swapped"
[ "$(nri_order "$NRI_HWORDER_KEY")" = "RDPNP,NetReclaim,webclient" ] || nr_die "HwOrder not swapped"
nr_expect "$(nr_wine reg query "$NRI_PROVIDER_KEY")" 'ProviderPath +REG_EXPAND_SZ +%SystemRoot%\\System32\\netreclaim.dll'
NRI_BIN64="C:/Program Files/NetReclaim"
nri_cli status
nri_rc 0
nri_out '^installed: yes'

msiexec /x "$msi"
nri_snapshot after
# The exports as text, without the keys others write for themselves: Wine's
# display driver status (msiexec loads user32) and Windows Installer's own
# (empty) bookkeeping keys. Whole sections go, header to blank line.
NRI_SKIP='^\[HKEY_LOCAL_MACHINE\\System\\CurrentControlSet\\Control\\Video\\|^\[HKEY_LOCAL_MACHINE\\Software\\(Classes|Microsoft\\Windows\\CurrentVersion)\\Installer[]\\]'
export NRI_SKIP
clean() {
  iconv -f UTF-16LE -t UTF-8 "$1" | tr -d '\r' | awk '/^\[/ { drop = ($0 ~ ENVIRON["NRI_SKIP"]) } !drop && NF'
}
for part in system software; do
  diff <(clean "$NR_DIR/before.$part.reg") <(clean "$NR_DIR/after.$part.reg") \
    || nr_die "HKLM\\$part differs after msiexec /x"
done
echo "== registry restored"
# Wine keeps System32\netreclaim.dll: msiexec itself loaded it through MPR
# (it is in use); Windows replaces such files at the next restart.
for f in "${files[@]:1}"; do [ ! -e "$f" ] || nr_die "left after uninstall: $f"; done

nr_note "when netreclaim install refuses, msiexec /i fails and rolls back"
nri_reg add "$NRI_STOCK_KEY" /v ProviderPath /t REG_EXPAND_SZ /d '%SystemRoot%\System32\nosuch.dll' /f
nri_snapshot refused
rc=0
timeout -k 5 300 wine msiexec /i "$msi" /qn >/dev/null 2>&1 || rc=$?
[ "$rc" != 0 ] || nr_die "msiexec /i succeeded although the stock provider does not load"
for f in "${files[@]:1}"; do [ ! -e "$f" ] || nr_die "left after a failed install: $f"; done
[ "$(nri_order "$NRI_ORDER_KEY")" = "$NRI_ORDER" ] || nr_die "ProviderOrder changed"
echo "PASS"
