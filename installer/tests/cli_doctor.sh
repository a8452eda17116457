#!/usr/bin/env bash
# doctor finds each kind of drift (exit 6), --fix repairs it (exit 0 or, when
# a hand is needed, 5), and a second doctor finds nothing.
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

nri_reg delete "$NRI_PROVIDER_KEY" /f
drift key-deleted 'names NetReclaim but its key .* is gone: no SMB provider' "$NRI_ORDER"
installed

rm "$SYS32/netreclaim.dll"
drift dll-missing 'system32\\netreclaim.dll is missing: no SMB provider' "$NRI_ORDER"
installed

rm "$WOW64/netreclaim.dll"
drift wow64-missing 'syswow64\\netreclaim.dll is missing \(32-bit programs\)' "$NRI_ORDER"
installed

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
