#!/usr/bin/env bash
# install then uninstall leaves HKLM byte-identical; install and uninstall are
# idempotent; a provider added while installed stays; the original bytes
# (here: the case of an entry) come back.
# Usage: cli_roundtrip.sh <work dir> <x86_64 bin> <i686 bin>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
nri_setup "$1" roundtrip "$2" "$3"

nri_snapshot before
nri_cli status
nri_rc 4
nri_out '^installed: no'

nri_install_cli
nri_rc 0
nri_out 'Order\\ProviderOrder = "RDPNP,NetReclaim,webclient"'
[ "$(nri_order "$NRI_ORDER_KEY")" = "RDPNP,NetReclaim,webclient" ] || nr_die "ProviderOrder not swapped"
[ "$(nri_order "$NRI_HWORDER_KEY")" = "RDPNP,NetReclaim,webclient" ] || nr_die "HwOrder not swapped"
nr_expect "$(nr_wine reg query "$NRI_PROVIDER_KEY")" 'ProviderPath +REG_EXPAND_SZ +%SystemRoot%\\System32\\netreclaim.dll'
nr_expect "$(nr_wine reg query "$NRI_PROVIDER_KEY")" "Name +REG_SZ +$NR_PROVIDER_NAME"
nr_expect "$(nr_wine reg query 'HKLM\System\CurrentControlSet\Services\EventLog\Application\NetReclaim')" \
  'TypesSupported +REG_DWORD +0x7'
nri_mup_registered
nri_out 'NetReclaim\\Group = "NetworkProvider" \(REG_SZ\)'
nri_out 'NetworkProvider\\DeviceName = ".*dosdevices\\unc" \(REG_SZ\)'
nri_snapshot installed

nri_install_cli
nri_rc 0
nri_out 'already installed; nothing changed'
nri_cli install
nri_rc 0
nri_out 'already installed; nothing changed'
nri_snapshot installed2
nri_same installed installed2

nri_cli status
nri_rc 0
nri_out '^installed: yes'
nri_out '^stock_loads: yes'
nri_out '^machine: x64$'
nri_out '^Group: NetworkProvider$'
nri_out '^DeviceName: .*dosdevices\\unc$'
nri_out '^dll: .*system32\\netreclaim.dll \(present\)$'
# No process of the session holds the ledger open: status reads, never creates.
nri_out '^ledger: none yet'

nri_cli uninstall
nri_rc 0
nri_out 'removed HKLM.*Services\\NetReclaim\\Group'
[ -z "$(nri_value "$NRI_PROVIDER_KEY" DeviceName)" ] || nr_die "DeviceName left after uninstall"
nri_snapshot after
nri_same before after
nri_cli uninstall
nri_rc 0
nri_out 'not installed; nothing changed'
nri_snapshot after2
nri_same before after2

nr_note "a provider added while installed stays; LanmanWorkstation goes back in place"
nri_install_cli
nri_rc 0
nri_reg add "$NRI_ORDER_KEY" /v ProviderOrder /t REG_SZ /d "P9NP,RDPNP,NetReclaim,webclient" /f
nri_cli uninstall
nri_rc 0
[ "$(nri_order "$NRI_ORDER_KEY")" = "P9NP,RDPNP,LanmanWorkstation,webclient" ] || nr_die "added provider lost"
[ "$(nri_order "$NRI_HWORDER_KEY")" = "$NRI_ORDER" ] || nr_die "HwOrder not restored"

nr_note "the recorded bytes come back (lower-case entry)"
nri_reg add "$NRI_ORDER_KEY" /v ProviderOrder /t REG_SZ /d "RDPNP,lanmanworkstation,webclient" /f
nri_snapshot lower
nri_install_cli
nri_rc 0
[ "$(nri_order "$NRI_ORDER_KEY")" = "RDPNP,NetReclaim,webclient" ] || nr_die "ProviderOrder not swapped"
nri_cli uninstall
nri_rc 0
nri_snapshot lower2
nri_same lower lower2

nr_note "no SysWOW64 folder (Server Core without WOW64): no 32-bit program needs the x86 build"
rm -rf "$WINEPREFIX/drive_c/windows/syswow64"
nri_snapshot nowow
nri_cli install --dll "Z:$NRI_BIN64/netreclaim.dll"
nri_rc 0
nri_out 'result: installed'
nri_cli install --dll "Z:$NRI_BIN64/netreclaim.dll" --dll32 "Z:$NRI_BIN32/netreclaim.dll"
nri_rc 0
nri_out 'note: no SysWOW64 folder: this Windows runs no 32-bit programs'
[ ! -e "$WINEPREFIX/drive_c/windows/syswow64" ] || nr_die "install made a SysWOW64 folder"
nri_cli status
nri_rc 0
nri_out '^dll_wow64: \(none needed: no SysWOW64 folder'
nri_cli doctor
nri_rc 0
nri_cli uninstall
nri_rc 0
nri_snapshot nowow2
nri_same nowow nowow2
echo "PASS"
