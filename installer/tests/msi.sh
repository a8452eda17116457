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
nri_msi_prepare
nri_msi_files
files=("${NRI_FILES[@]}")
version=$(nri_msi_version "$4")
msiexec() { nri_msiexec_ok msiexec "$@"; }

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
# The ProductCode published beside the MSI, as the product knows it.
nri_out "^product_code: $(sed 's/[{}]/\\&/g' "${4%.msi}.productcode.txt")\$"
nri_version_is "$version"
nri_out "^version: $version\$"
# Add/Remove Programs: no Modify, a comment, help and about links that open
# the files installed.
[ "$(nri_uninstall_entry NoModify)" = "REG_DWORD 0x1" ] || nr_die "NoModify is \"$(nri_uninstall_entry NoModify)\""
nr_expect "$(nri_uninstall_entry Comments)" '^REG_SZ Network provider that fixes error 1219'
dir='C:\Program Files\NetReclaim'
for name in HelpLink URLInfoAbout; do
  case $name in HelpLink) file='README.md' ;; *) file='docs\security.md' ;; esac
  [ "$(nri_uninstall_entry "$name")" = "REG_SZ $dir\\$file" ] \
    || nr_die "$name is \"$(nri_uninstall_entry "$name")\", not $dir\\$file"
  [ -f "$WINEPREFIX/drive_c/Program Files/NetReclaim/${file//\\//}" ] \
    || nr_die "$name names $file, which the MSI did not install"
done
echo "== Version $version, Add/Remove Programs: NoModify, Comments, HelpLink, URLInfoAbout"

grep -qF '/Create /F /RU SYSTEM /SC ONSTART /TN "NetReclaim doctor" /TR "\"C:\Program Files\NetReclaim\netreclaim.exe\" doctor --fix"' \
  "$NRI_SCHTASKS_LOG" || nr_die "boot task not created as expected: $(cat "$NRI_SCHTASKS_LOG" 2>&1)"

msiexec /x "$msi"
grep -qF '/Delete /F /TN "NetReclaim doctor"' "$NRI_SCHTASKS_LOG" || nr_die "boot task not deleted"
nri_snapshot after
nri_same_but_msi before after
echo "== registry restored"
# Wine keeps System32\netreclaim.dll: msiexec itself loaded it through MPR
# (it is in use); Windows replaces such files at the next restart.
for f in "${files[@]:1}"; do [ ! -e "$f" ] || nr_die "left after uninstall: $f"; done

nr_note "when netreclaim install refuses, msiexec /i fails and rolls back"
nri_reg add "$NRI_STOCK_KEY" /v ProviderPath /t REG_EXPAND_SZ /d '%SystemRoot%\System32\nosuch.dll' /f
nri_snapshot refused
rc=0
timeout -k 5 300 wine "$(nr_wine_path msiexec)" /i "$msi" /qn >/dev/null 2>"$NR_DIR/wine.err" || rc=$?
nr_ran "$rc" "$NR_DIR/wine.err" msiexec /i "$msi" /qn
[ "$rc" != 0 ] || nr_die "msiexec /i succeeded although the stock provider does not load"
for f in "${files[@]:1}"; do [ ! -e "$f" ] || nr_die "left after a failed install: $f"; done
[ "$(nri_order "$NRI_ORDER_KEY")" = "$NRI_ORDER" ] || nr_die "ProviderOrder changed"

nr_note "ARM64: the launch condition stops msiexec /i before anything changes"
nri_reg add "$NRI_STOCK_KEY" /v ProviderPath /t REG_EXPAND_SZ /d '%SystemRoot%\System32\nrmodel.dll' /f
# Wine builds each new process's PROCESSOR_* from this key (while the
# prefix's server runs), as Windows does from the same key at boot.
env_key='HKLM\System\CurrentControlSet\Control\Session Manager\Environment'
nri_reg add "$env_key" /v PROCESSOR_IDENTIFIER /t REG_SZ /d 'ARMv8 (64-bit) Family 8 Model 1 Revision 201, Qualcomm Technologies Inc' /f
nri_snapshot arm64
nri_msiexec arm64 /i "$msi"
[ "$NRI_MSI_RC" != 0 ] || nr_die "msiexec /i succeeded on ARM64"
# Wine's log leaves the condition's message out; the action's result is there.
grep -aq 'Action ended [0-9:]*: LaunchConditions. Return value 0' "$NR_DIR/arm64.log" \
  || nr_die "LaunchConditions did not stop the ARM64 install"
nri_msi_actions arm64 | grep -x InstallFiles >/dev/null && nr_die "files were installed on ARM64"
for f in "${files[@]}"; do [ ! -e "$f" ] || [ "$f" = "${files[0]}" ] || nr_die "left after the ARM64 refusal: $f"; done
nri_snapshot arm64.after
nri_same_but_msi arm64 arm64.after
echo "PASS"
