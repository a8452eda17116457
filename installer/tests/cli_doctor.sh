#!/usr/bin/env bash
# doctor finds each kind of drift (exit 6), --fix repairs it (exit 0 or, when
# a hand is needed, 5), and a second doctor finds nothing. A deleted
# registration (KB 4013822) is registered again when the DLLs and the stock
# provider work, else LanmanWorkstation goes back.
# Usage: cli_doctor.sh <work dir> <x86_64 bin> <i686 bin>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
nri_setup "$1" doctor "$2" "$3"
SYS32=$WINEPREFIX/drive_c/windows/system32
WOW64=$WINEPREFIX/drive_c/windows/syswow64

installed() {
  nri_install_cli >/dev/null
  nri_rc 0
}
order() {
  nri_reg add "$NRI_ORDER_KEY" /v ProviderOrder /t REG_SZ /d "$1" /f
  nri_reg add "$NRI_HWORDER_KEY" /v ProviderOrder /t REG_SZ /d "$1" /f
}
# drift <name> <finding pattern> <order after --fix, or "">
drift() {
  nr_note "drift: $1"
  nri_cli doctor
  nri_rc 6
  nri_out "problem: .*$2"
  nri_out 'next: run "netreclaim doctor --fix"'
  nri_cli doctor --fix
  nri_rc 0
  nri_out '^fixed: '
  FIX_OUT=$NRI_OUT
  if [ -n "$3" ]; then
    [ "$(nri_order "$NRI_ORDER_KEY")" = "$3" ] || nr_die "ProviderOrder is not $3"
    [ "$(nri_order "$NRI_HWORDER_KEY")" = "$3" ] || nr_die "HwOrder is not $3"
  fi
  nri_cli doctor
  nri_rc 0
  nri_out 'no problem found'
}

installed
nri_cli doctor
nri_rc 0
nri_out 'no problem found'

SWAPPED="RDPNP,NetReclaim,webclient"
# self-heal: the very steps of install, so its results are install's.
# fixed_said <pattern> / fixed_silent <pattern>: in the last drift's --fix output, or not.
fixed_said() { grep -Eq -- "$1" <<<"$FIX_OUT" || nr_die "doctor --fix did not say /$1/"; }
fixed_silent() { ! grep -Eq -- "$1" <<<"$FIX_OUT" || nr_die "doctor --fix said /$1/"; }
healed() {
  fixed_said '^fixed: NetReclaim registered again, as "netreclaim install" does'
  fixed_said 'Services\\NetReclaim\\Group = "NetworkProvider"'
  nri_mup_registered
  nr_expect "$(nr_wine reg query "$NRI_PROVIDER_KEY")" 'ProviderPath +REG_EXPAND_SZ +%SystemRoot%\\System32\\netreclaim.dll'
}

nri_reg delete "$NRI_SERVICE_KEY" /f
drift key-deleted-healed 'ProviderOrder names NetReclaim but its key .* is gone: no SMB provider' "$SWAPPED"
healed

nri_reg delete "$NRI_SERVICE_KEY" /f
order "$NRI_ORDER"
drift key-deleted-order-reset-healed 'names LanmanWorkstation again \(a Windows update restored it and deleted NetReclaim.s key\)' "$SWAPPED"
healed

nr_note "key deleted and a DLL gone: no self-heal, LanmanWorkstation back"
nri_reg delete "$NRI_SERVICE_KEY" /f
rm "$WOW64/netreclaim.dll"
drift key-deleted-dll-gone 'names NetReclaim but its key .* is gone: no SMB provider' "$NRI_ORDER"
fixed_said 'run "netreclaim install" to bring NetReclaim back'
fixed_silent 'registered again|^changed: .*NetReclaim\\NetworkProvider'
installed

nr_note "key deleted and the stock provider does not load: no self-heal"
nri_reg delete "$NRI_SERVICE_KEY" /f
nri_reg add "$NRI_STOCK_KEY" /v ProviderPath /t REG_EXPAND_SZ /d '%SystemRoot%\System32\nosuch.dll' /f
nri_cli doctor --fix
nri_rc 5
nri_out 'fixed: LanmanWorkstation is back in the order'
FIX_OUT=$NRI_OUT
fixed_silent 'registered again|^changed: .*NetReclaim\\NetworkProvider'
[ "$(nri_order "$NRI_ORDER_KEY")" = "$NRI_ORDER" ] || nr_die "ProviderOrder is not $NRI_ORDER"
nri_reg add "$NRI_STOCK_KEY" /v ProviderPath /t REG_EXPAND_SZ /d '%SystemRoot%\System32\nrmodel.dll' /f
installed

rm "$SYS32/netreclaim.dll"
drift dll-missing 'system32\\netreclaim.dll is missing: no SMB provider' "$NRI_ORDER"
installed

rm "$WOW64/netreclaim.dll"
drift wow64-missing 'syswow64\\netreclaim.dll is missing \(32-bit programs\)' "$NRI_ORDER"
installed

# A DLL for another machine: docs/design.md's ARM64 field fact, here with an x86
# build in System32 and an x64 one in SysWOW64.
cp "$NRI_BIN32/netreclaim.dll" "$SYS32/netreclaim.dll"
drift dll-machine-native 'system32\\netreclaim.dll is built for x86, not for the x64 processes it serves: no SMB provider for these processes' "$NRI_ORDER"
installed
cp "$NRI_BIN64/netreclaim.dll" "$WOW64/netreclaim.dll"
drift dll-machine-wow64 'syswow64\\netreclaim.dll is built for x64, not for the x86 processes it serves \(32-bit programs\): no SMB provider for these processes' "$NRI_ORDER"
installed
nr_note "ARM64 (test hook): the x64 build in System32 serves no native process"
NETRECLAIM_TEST_NATIVE_MACHINE=ARM64 nri_cli doctor
nri_rc 6
nri_out 'note: test hook NETRECLAIM_TEST_NATIVE_MACHINE=ARM64'
nri_out 'problem: ProviderOrder names NetReclaim but .*system32\\netreclaim.dll is built for x64, not for the ARM64 processes it serves: no SMB provider for these processes'
NETRECLAIM_TEST_NATIVE_MACHINE=ARM64 nri_cli status
nri_out '^machine: ARM64$'
nri_out '^dll: .*system32\\netreclaim.dll \(UNUSABLE: .*built for x64, not for the ARM64'
nri_cli doctor
nri_rc 0

# MUP priority: Group and DeviceName drift.
nri_reg delete "$NRI_PROVIDER_KEY" /v DeviceName /f
drift devicename-deleted "NetReclaim's DeviceName is missing or not the stock provider's" ""
nri_mup_registered
nri_reg add "$NRI_PROVIDER_KEY" /v DeviceName /t REG_SZ /d '\Device\WebDavRedirector' /f
drift devicename-changed "NetReclaim's DeviceName is missing or not the stock provider's \".*dosdevices.unc\": MUP ranks SMB last" ""
nri_mup_registered
nri_reg add "$NRI_PROVIDER_KEY" /v DeviceName /t REG_EXPAND_SZ /d "$(nri_value "$NRI_STOCK_KEY" DeviceName | sed 's/^REG_SZ //')" /f
drift devicename-type "NetReclaim's DeviceName is missing or not the stock provider's" ""
nri_mup_registered
nri_reg delete "$NRI_SERVICE_KEY" /v Group /f
drift group-deleted 'Services\\NetReclaim\\Group is not "NetworkProvider"' ""
nri_mup_registered
nri_reg add "$NRI_SERVICE_KEY" /v Group /t REG_SZ /d 'Network Provider' /f
drift group-changed 'Services\\NetReclaim\\Group is not "NetworkProvider"' ""
nri_mup_registered

order "$NRI_ORDER"
drift lanman-restored 'names LanmanWorkstation again' "RDPNP,NetReclaim,webclient"

order "RDPNP,NetReclaim,LanmanWorkstation,webclient"
drift both 'holds LanmanWorkstation beside NetReclaim' "RDPNP,NetReclaim,webclient"

order "RDPNP,,NetReclaim, RDPNP,webclient"
drift order-syntax 'has an empty entry' "RDPNP,NetReclaim,webclient"

cp "$SYS32/nrmodel.dll" "$SYS32/nrmodel2.dll"
nri_reg add "$NRI_STOCK_KEY" /v ProviderPath /t REG_EXPAND_SZ /d '%SystemRoot%\System32\nrmodel2.dll' /f
drift stock-changed 'moved from .*nrmodel.dll to .*nrmodel2.dll' "RDPNP,NetReclaim,webclient"

nri_reg add "$NRI_PROVIDER_KEY" /v Name /t REG_SZ /d "Something Else" /f
drift name "Name differs from the stock provider's \"$NR_PROVIDER_NAME\"" ""
nr_expect "$(nr_wine reg query "$NRI_PROVIDER_KEY" /v Name)" "$NR_PROVIDER_NAME"

nri_reg delete 'HKLM\System\CurrentControlSet\Services\EventLog\Application\NetReclaim' /f
drift event-source 'Event Log source NetReclaim is not registered' ""

nr_note "a stock provider that does not load needs a hand: exit 5"
nri_reg add "$NRI_STOCK_KEY" /v ProviderPath /t REG_EXPAND_SZ /d '%SystemRoot%\System32\nosuch.dll' /f
nri_cli doctor
nri_rc 6
nri_out 'problem: the stock provider .*nosuch.dll does not load'
nri_cli doctor --fix
nri_rc 5
nri_out 'need a hand'
echo "PASS"
