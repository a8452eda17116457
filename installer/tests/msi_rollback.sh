#!/usr/bin/env bash
# A failed msiexec leaves the machine as it found it, whichever deferred step
# fails: each step is made to fail in turn (the boot task's creation, a
# refused "netreclaim.exe install", a file that cannot be copied; on
# uninstall, a refused "netreclaim.exe uninstall"), and after each, msiexec
# exits non-zero and both orders, our keys, the files and the boot task are
# byte for byte what they were. The order of the steps alone (rollback
# disabled) keeps the orders and our keys. One prefix: each failure
# restores the state the next one starts from.
# Usage: msi_rollback.sh <work dir> <x86_64 bin> <i686 bin> <msi>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
nri_setup "$1" msi_rollback "$2" "$3"
msi="Z:$4"
nri_msi_prepare
nri_msi_files
adml=${NRI_FILES[4]}
nri_state before

nr_note "install: the boot task cannot be created"
nri_schtasks_fail /Create
nri_msi_fails task /i "$msi"
grep -q '^REFUSED: .*/Create' "$NRI_SCHTASKS_LOG" || nr_die "schtasks was never asked to create the task"
nri_schtasks_fail
nri_state task.after
nri_same_state before task.after

nr_note "install: netreclaim.exe install refuses (the stock provider does not load)"
nri_reg add "$NRI_STOCK_KEY" /v ProviderPath /t REG_EXPAND_SZ /d '%SystemRoot%\System32\nosuch.dll' /f
nri_msi_fails install /i "$msi"
# The boot task was made before install refused: the undo deleted it.
tail -1 "$NRI_SCHTASKS_LOG" | grep -F '/Delete /F /TN "NetReclaim doctor"' >/dev/null \
  || nr_die "the boot task's undo did not run: $(cat "$NRI_SCHTASKS_LOG")"
nri_reg add "$NRI_STOCK_KEY" /v ProviderPath /t REG_EXPAND_SZ /d '%SystemRoot%\System32\nrmodel.dll' /f
nri_state install.after
nri_same_state before install.after

nr_note "install: a file cannot be copied (a folder stands where the ADML goes)"
mkdir -p "$adml"
nri_state copy.before
nri_msi_fails copy /i "$msi"
nri_state copy.after
nri_same_state copy.before copy.after
rmdir "$adml"

# The first line alone: with rollback disabled nothing is undone, and the
# orders and our keys must still never have been touched (the files stay:
# that is what DISABLEROLLBACK asks for).
nr_note "install, rollback disabled: the boot task cannot be created"
nri_schtasks_fail /Create
nri_msi_fails norollback /i "$msi" DISABLEROLLBACK=1
nri_schtasks_fail
nri_snapshot norollback.after "${NRI_OUR_KEYS[@]}"
nri_same before norollback.after

nr_note "uninstall: netreclaim.exe uninstall refuses (HwOrder is not a string)"
nri_msiexec_ok installed /i "$msi"
[ "$(nri_order "$NRI_ORDER_KEY")" = "RDPNP,NetReclaim,webclient" ] || nr_die "ProviderOrder not swapped"
[ -e "$NRI_TASK" ] || nr_die "no boot task after the install"
nri_state installed
nri_reg add "$NRI_HWORDER_KEY" /v ProviderOrder /t REG_DWORD /d 1 /f
nri_state uninstall.before
nri_msi_fails uninstall /x "$msi"
nri_state uninstall.after
nri_same_state uninstall.before uninstall.after
nri_reg add "$NRI_HWORDER_KEY" /v ProviderOrder /t REG_SZ /d "RDPNP,NetReclaim,webclient" /f
nri_state uninstall.restored
nri_same_state installed uninstall.restored

nr_note "uninstall, nothing failing: back to the state before the first install"
nri_msiexec_ok removed /x "$msi"
nri_state removed
# Wine keeps System32\netreclaim.dll: msiexec itself loaded it through MPR
# (msi.sh); Windows replaces such a file at the next restart.
sed -i "\|${NRI_FILES[0]}\$|d" "$NR_DIR/before.files" "$NR_DIR/removed.files"
nri_same_state before removed
echo "PASS"
