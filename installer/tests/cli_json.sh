#!/usr/bin/env bash
# Every command's --json output is one JSON object naming the command, its
# messages and its exit code (checked by cmake's JSON parser).
# Usage: cli_json.sh <work dir> <x86_64 bin> <i686 bin>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
nri_setup "$1" json "$2" "$3"
nr_share srv share

nri_json 4 status
nri_json 0 install --dll "Z:$NRI_BIN64/netreclaim.dll" --dll32 "Z:$NRI_BIN32/netreclaim.dll"
nri_out '"result": "installed"'
nri_json 0 status
nri_out '"installed": true'
nri_out '"ProviderOrder": "RDPNP,NetReclaim,webclient"'
nri_out '"machine": "x64"'
nri_out '"product_code": "\{[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\}"'
nri_out '"Group": "NetworkProvider"'
nri_out '"DeviceName": "\\\\\?\?\\\\Z:.*dosdevices\\\\unc"'
nri_json 0 doctor
nri_json 0 handles '\\srv\share'
nri_json 0 reclaim '\\srv\share' --dry-run
nri_json 2 install --bogus
nri_out '"kind": "error", "code": "usage"'
nri_json 0 uninstall
echo "PASS"
