#!/usr/bin/env bash
# install refuses, with a clear error and without changing anything, when the
# stock provider does not load or an order value is bad; usage errors exit 2.
# Usage: cli_refuse.sh <work dir> <x86_64 bin> <i686 bin>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
nri_setup "$1" refuse "$2" "$3"

# What install writes (README, "What it changes"): values under
# HKLM\System\CurrentControlSet, and HKLM\SOFTWARE\NetReclaim. HKLM\System is
# compared whole (100 KB); of HKLM\Software, that key: the whole is 5 MB, and two
# exports of it per case made this test take 7 minutes on a loaded machine, and fail
# when one export outlasted NR_TIMEOUT. cli_roundtrip compares all of
# HKLM\Software around install and uninstall.
refuse_keys=('HKLM\System' 'HKLM\Software\NetReclaim')

# refused <name> <pattern> <command...>: exit 1, the message, those keys unchanged.
refused() {
  local name=$1 pattern=$2
  shift 2
  nr_note "$name"
  nri_snapshot "$name.before" "${refuse_keys[@]}"
  nri_cli "$@"
  nri_rc 1
  nri_out "$pattern"
  nri_out 'nothing changed'
  nri_snapshot "$name.after" "${refuse_keys[@]}"
  nri_same "$name.before" "$name.after"
}

stock() {
  nri_reg add "$NRI_STOCK_KEY" /v ProviderPath /t REG_EXPAND_SZ /d "$1" /f
}
order() {
  nri_reg add "$NRI_ORDER_KEY" /v ProviderOrder "$@" /f
}

stock '%SystemRoot%\System32\nosuch.dll'
refused stock-missing 'stock provider .*nosuch.dll does not load' install --dll "Z:$NRI_BIN64/netreclaim.dll"
stock '%SystemRoot%\System32\kernel32.dll'
refused stock-no-npgetcaps 'kernel32.dll does not load' install --dll "Z:$NRI_BIN64/netreclaim.dll"
stock '%SystemRoot%\System32\nrmodel.dll'

# MUP ranks SMB by the stock key's DeviceName: without one there is nothing to copy.
device=$(nri_value "$NRI_STOCK_KEY" DeviceName)
device=${device#REG_SZ }
nri_reg delete "$NRI_STOCK_KEY" /v DeviceName /f
refused stock-no-devicename 'LanmanWorkstation\\NetworkProvider\\DeviceName is missing, empty or not a string' \
  install --dll "Z:$NRI_BIN64/netreclaim.dll"
nri_reg add "$NRI_STOCK_KEY" /v DeviceName /t REG_DWORD /d 1 /f
refused stock-devicename-dword 'DeviceName is missing, empty or not a string' install --dll "Z:$NRI_BIN64/netreclaim.dll"
nri_reg add "$NRI_STOCK_KEY" /v DeviceName /t REG_SZ /d "" /f
refused stock-devicename-empty 'DeviceName is missing, empty or not a string' install --dll "Z:$NRI_BIN64/netreclaim.dll"
nri_reg add "$NRI_STOCK_KEY" /v DeviceName /t REG_SZ /d "$device" /f

# ARM64 (the CLI's documented test hook: Wine cannot be one).
NETRECLAIM_TEST_NATIVE_MACHINE=ARM64 refused arm64 \
  'error: this Windows runs on ARM64 \(IsWow64Process2\).*no ARM64 build' \
  install --dll "Z:$NRI_BIN64/netreclaim.dll" --dll32 "Z:$NRI_BIN32/netreclaim.dll"
nri_out 'note: test hook NETRECLAIM_TEST_NATIVE_MACHINE=ARM64'
# A DLL for the wrong machine in either place.
refused dll-x86-as-native 'netreclaim.dll is built for x86, not for the x64 processes it serves, so native programs' \
  install --dll "Z:$NRI_BIN32/netreclaim.dll" --dll32 "Z:$NRI_BIN32/netreclaim.dll"
refused dll-x64-as-wow64 'netreclaim.dll is built for x64, not for the x86 processes it serves, so 32-bit programs' \
  install --dll "Z:$NRI_BIN64/netreclaim.dll" --dll32 "Z:$NRI_BIN64/netreclaim.dll"
refused dll-not-a-dll 'netreclaim.exe is not a Windows DLL' \
  install --dll "Z:$NRI_BIN64/netreclaim.exe" --dll32 "Z:$NRI_BIN32/netreclaim.dll"

order /t REG_SZ /d ""
refused order-empty 'ProviderOrder "" is empty' install --dll "Z:$NRI_BIN64/netreclaim.dll"
nri_reg delete "$NRI_ORDER_KEY" /v ProviderOrder /f
refused order-missing 'Order\\ProviderOrder is missing' install --dll "Z:$NRI_BIN64/netreclaim.dll"
order /t REG_SZ /d "LanmanWorkstation,$(printf 'x%.0s' {1..5000})"
refused order-too-long 'longer than 4096' install --dll "Z:$NRI_BIN64/netreclaim.dll"
order /t REG_DWORD /d 1
refused order-dword 'ProviderOrder is REG_DWORD \(4 bytes\), not a REG_SZ' install --dll "Z:$NRI_BIN64/netreclaim.dll"
order /t REG_SZ /d "RDPNP,LanmanWorkstation,RDPNP"
refused order-duplicate 'names a provider twice: run "netreclaim doctor --fix"' install --dll "Z:$NRI_BIN64/netreclaim.dll"
order /t REG_SZ /d "RDPNP,webclient"
refused order-no-smb 'names neither LanmanWorkstation nor NetReclaim' install --dll "Z:$NRI_BIN64/netreclaim.dll"
order /t REG_SZ /d "$NRI_ORDER"
nri_reg add "$NRI_HWORDER_KEY" /v ProviderOrder /t REG_SZ /d "RDPNP,,LanmanWorkstation" /f
refused hworder-empty-entry 'HwOrder\\ProviderOrder "RDPNP,,LanmanWorkstation" has an empty entry' \
  install --dll "Z:$NRI_BIN64/netreclaim.dll"
nri_reg add "$NRI_HWORDER_KEY" /v ProviderOrder /t REG_SZ /d "$NRI_ORDER" /f
rm -f "$WINEPREFIX/drive_c/windows/syswow64/netreclaim.dll"
refused wow64-missing 'syswow64\\netreclaim.dll is missing, so 32-bit programs' install --dll "Z:$NRI_BIN64/netreclaim.dll"

nr_note "uninstall refuses a bad order too"
nri_install_cli
nri_rc 0
order /t REG_SZ /d "RDPNP,NetReclaim,NetReclaim,webclient"
refused uninstall-duplicate 'names a provider twice' uninstall
order /t REG_SZ /d "RDPNP,NetReclaim,webclient"
nri_cli uninstall
nri_rc 0

nr_note "usage errors"
for args in "install --bogus" "install --dll" "frobnicate" "status extra" "doctor --fox" \
            "handles" "handles notunc" 'reclaim \\srv' 'handles \\srv\share\dir'; do
  # shellcheck disable=SC2086
  nri_cli $args
  nri_rc 2
  nri_out 'error: .*See "netreclaim'
done
for args in "install --dll" "install --dll --dll32 x.dll" "install --dll32"; do
  # shellcheck disable=SC2086
  nri_cli $args
  nri_rc 2
  nri_out "error: --dll(32)? needs the path of a netreclaim.dll"
done
nri_cli --help
nri_rc 0
nri_out '5  partial failure'
nri_cli doctor --help
nri_rc 0
nri_out 'netreclaim doctor \[--fix\]'
echo "PASS"
