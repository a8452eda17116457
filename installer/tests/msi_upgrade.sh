#!/usr/bin/env bash
# Major upgrade: msiexec /i of the next version over an installed one keeps
# NetReclaim in the order and its files in place throughout (the old product
# is removed after the new one is installed: RemoveExistingProducts after
# InstallExecute), leaves one product registered, and msiexec /x of the new
# one puts HKLM back as it was before the first install. Prints the measured
# action sequence of the upgrade.
# Usage: msi_upgrade.sh <work dir> <x86_64 bin> <i686 bin> <msi> <next msi>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
nri_setup "$1" msi_upgrade "$2" "$3"
old="Z:$4"
new="Z:$5"
nri_msi_prepare
nri_msi_files
files=("${NRI_FILES[@]}")

installed_state() {
  for f in "${files[@]}"; do [ -f "$f" ] || nr_die "missing: $f"; done
  [ "$(nri_order "$NRI_ORDER_KEY")" = "RDPNP,NetReclaim,webclient" ] || nr_die "ProviderOrder not swapped"
  [ "$(nri_order "$NRI_HWORDER_KEY")" = "RDPNP,NetReclaim,webclient" ] || nr_die "HwOrder not swapped"
  nri_mup_registered
  NRI_BIN64="C:/Program Files/NetReclaim" nri_cli doctor
  nri_rc 0
}

nri_snapshot before
nri_msiexec_ok install /i "$old"
installed_state
nri_version_is "$(nri_msi_version "$4")"
nr_note "installed: $(nri_versions)"
nri_snapshot installed

nri_msiexec_ok upgrade /i "$new"
nri_msi_actions upgrade >"$NR_DIR/upgrade.actions"
nr_note "measured action sequence of the upgrade (msiexec /l*v):"
tr '\n' ' ' <"$NR_DIR/upgrade.actions"
echo
# The old product goes only after the new one's files and registration.
last_install=$(grep -nx 'InstallFiles\|NrInstall' "$NR_DIR/upgrade.actions" | tail -1 | cut -d: -f1)
rep=$(grep -m1 -nx RemoveExistingProducts "$NR_DIR/upgrade.actions" | cut -d: -f1)
[ -n "$rep" ] && [ -n "$last_install" ] && [ "$rep" -gt "$last_install" ] \
  || nr_die "RemoveExistingProducts (line $rep) does not follow the new install (line $last_install)"
installed_state
# The boot task stands at the end (the last command the stand-in saw creates it).
tail -1 "$NRI_SCHTASKS_LOG" | grep -F '/Create /F /RU SYSTEM /SC ONSTART /TN "NetReclaim doctor"' >/dev/null \
  || nr_die "no boot task after the upgrade: $(cat "$NRI_SCHTASKS_LOG")"
[ "$(nri_versions)" = "$(nri_msi_version "$5") " ] \
  || nr_die "products after the upgrade: $(nri_versions)"
# The old product's removal left the value the new one wrote.
nri_version_is "$(nri_msi_version "$5")"
nri_snapshot upgraded
# Only the version may differ: Windows Installer's own bookkeeping (the
# product's Uninstall entry carries the new product code and version) and
# the Version value, checked above.
NRI_SKIP=$NRI_SKIP'|^\[HKEY_LOCAL_MACHINE\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall\\|^\[HKEY_LOCAL_MACHINE\\Software\\NetReclaim]' \
  nri_same_but_msi installed upgraded

nri_msiexec_ok uninstall /x "$new"
nri_snapshot after
nri_same_but_msi before after
[ -z "$(nri_versions)" ] || nr_die "products left: $(nri_versions)"
# Wine keeps System32\netreclaim.dll: msiexec itself loaded it through MPR.
for f in "${files[@]:1}"; do [ ! -e "$f" ] || nr_die "left after uninstall: $f"; done
echo "PASS"
