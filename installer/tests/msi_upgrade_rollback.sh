#!/usr/bin/env bash
# A major upgrade that fails leaves the installed version as it was: each
# step of the new version's install is made to fail in turn (the boot task's
# creation, a refused "netreclaim.exe install", a file that cannot be
# copied), and after each, msiexec exits non-zero, the old version is still
# the one installed, and both orders, our keys, the files and the boot task
# are byte for byte what they were. One prefix: each failure restores the
# state the next one starts from.
# Wine 8 is measured to fall short where Windows does not: its rollback
# deletes the files the upgrade copied instead of putting the installed ones
# back (Windows Installer keeps a copy of each file it replaces), and the
# installed version's registry value with them, and it forgets the installed
# product's UpgradeCode, so the next msiexec /i no longer sees an upgrade.
# Where files or the Version value went (only gone, none changed) the test
# says so and puts them back; and each failure starts from the same saved
# prefix state (registry and files), taken after the first install.
# Usage: msi_upgrade_rollback.sh <work dir> <x86_64 bin> <i686 bin> <msi> <next msi>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
nri_setup "$1" msi_upgrade_rollback "$2" "$3"
old="Z:$4"
new="Z:$5"
nri_msi_prepare
nri_msi_files
adml=${NRI_FILES[4]}

# Saved: Wine's registry (flushed when its server stops) and every file
# the MSI, Windows Installer's cache and the boot task stand-in keep.
saved=(windows/Installer "Program Files/NetReclaim" windows/PolicyDefinitions windows/syswow64
       windows/system32/netreclaim.dll nr-schtasks.task)
server_restart() {
  timeout -k 5 30 wineserver -k 2>/dev/null || true
  "$@"
  wineserver -p </dev/null >/dev/null 2>&1
}
save_installed() {
  mkdir "$NR_DIR/saved"
  cp "$WINEPREFIX"/*.reg "$NR_DIR/saved/"
  tar -C "$WINEPREFIX/drive_c" -cf "$NR_DIR/saved/files.tar" "${saved[@]}"
}
back_to_installed() {
  local f
  for f in "${saved[@]}"; do rm -rf "${WINEPREFIX:?}/drive_c/$f"; done
  cp "$NR_DIR"/saved/*.reg "$WINEPREFIX/"
  tar -C "$WINEPREFIX/drive_c" -xf "$NR_DIR/saved/files.tar"
}

nri_msiexec_ok install /i "$old"
installed_versions=$(nri_versions)
nri_state installed
server_restart save_installed
mkdir "$NR_DIR/kept"
for i in "${!NRI_FILES[@]}"; do cp "${NRI_FILES[$i]}" "$NR_DIR/kept/$i"; done

# after_failure <name>: the old version is still installed, and the state is
# the one before the failed upgrade (<name>.before, or "installed").
after_failure() {
  local before=${2:-installed} i
  [ "$(nri_versions)" = "$installed_versions" ] \
    || nr_die "products after the failed upgrade: $(nri_versions), not $installed_versions"
  nri_state "$1.after"
  if ! diff -q "$NR_DIR/$before.files" "$NR_DIR/$1.after.files" >/dev/null &&
     [ "$(grep -c '^absent ' "$NR_DIR/$1.after.files")" -gt 0 ]; then
    nr_note "Wine's rollback deleted files the installed version owns: $(grep '^absent ' "$NR_DIR/$1.after.files" | sed 's|.*/drive_c/||' | paste -sd' ')"
    for i in "${!NRI_FILES[@]}"; do
      [ -e "${NRI_FILES[$i]}" ] && continue
      mkdir -p "$(dirname "${NRI_FILES[$i]}")"
      cp "$NR_DIR/kept/$i" "${NRI_FILES[$i]}"
    done
    nri_state "$1.after"
  fi
  # The same for the one registry value Windows Installer writes itself.
  if [ -z "$(nri_value 'HKLM\Software\NetReclaim' Version)" ]; then
    nr_note "Wine's rollback deleted the Version value the installed version owns"
    nri_reg add 'HKLM\Software\NetReclaim' /v Version /t REG_SZ /d "$(nri_msi_version "$old")" /f
    nri_state "$1.after"
  fi
  nri_same_state "$before" "$1.after"
}

nr_note "upgrade: the boot task cannot be created"
nri_schtasks_fail /Create
nri_msi_fails task /i "$new"
nri_schtasks_fail
after_failure task

server_restart back_to_installed
nr_note "upgrade: netreclaim.exe install refuses (the stock provider does not load)"
nri_reg add "$NRI_STOCK_KEY" /v ProviderPath /t REG_EXPAND_SZ /d '%SystemRoot%\System32\nosuch.dll' /f
nri_msi_fails install /i "$new"
nri_reg add "$NRI_STOCK_KEY" /v ProviderPath /t REG_EXPAND_SZ /d '%SystemRoot%\System32\nrmodel.dll' /f
after_failure install

server_restart back_to_installed
nr_note "upgrade: a file cannot be copied (a folder stands where the ADML goes)"
cp "$adml" "$NR_DIR/adml.kept"
rm "$adml"
mkdir "$adml"
nri_state copy.before
nri_msi_fails copy /i "$new"
after_failure copy copy.before
echo "PASS"
