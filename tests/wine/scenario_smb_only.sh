#!/usr/bin/env bash
# only the SMB redirector's files are netreclaim's to close.
#  - A second network provider (WebClient) registers a DeviceName of its own
#    over a tree of its own. A handle there under \\srv\share survives the
#    cancel of \\srv\share; the SMB one beside it is closed. (Before, every
#    provider's DeviceName counted as a redirector prefix.)
#  - A remote pipe, \\srv\PIPE\lsarpc (RPC over \\srv\IPC$ on Windows), is no
#    file under a share: "netreclaim reclaim \\srv\PIPE" finds nothing under
#    it and the pipe stays open.
# Usage: scenario_smb_only.sh <work dir> <bin dir>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
work=$1 bin=$2

nr_prefix "$work" smb-only
nr_install "$bin" netreclaim
nr_share srv share
dav=$WINEPREFIX/dosdevices/webdav
mkdir -p "$dav/srv/share" "$NR_UNC/srv/PIPE"
echo data >"$dav/srv/share/d.txt"
echo data >"$NR_UNC/srv/PIPE/lsarpc"
real=$(cd "$dav" && pwd -P)
davdev="\\??\\Z:${real//\//\\}"
davfile="Z:${real//\//\\}\\srv\\share\\d.txt"
nr_wine reg add 'HKLM\System\CurrentControlSet\Services\WebClient\NetworkProvider' \
  /v DeviceName /t REG_SZ /d "$davdev" /f >/dev/null

nr_note "alice maps Q:; a process holds a file on it and one under \\\\srv\\share in the WebDAV tree"
nr_expect "$(nr_wnet add '\\srv\share' --local Q: --user alice)" ' -> 0 NO_ERROR'
nr_hold a '\\srv\share\f.txt' "$davfile"
grep -qF "name=$davdev\\srv\\share\\d.txt" <<<"${NR_HOLD_LOG[a]}" ||
  nr_die "the WebDAV file's NT name is not under $davdev"
nr_expect "$(nr_wnet cancel Q: --force)" ' -> 0 NO_ERROR'
nr_hold_check a
nr_hold_expect a '\\srv\share\f.txt' invalid
nr_hold_expect a "$davfile" valid
nr_hold_end a

nr_note "a remote pipe is never under a share: reclaim of \\\\srv\\PIPE finds nothing"
nr_hold p '\\srv\PIPE\lsarpc'
out=$(nr_wine "$bin/netreclaim.exe" reclaim '\\srv\PIPE') || true
echo "$out"
nr_expect "$out" '^under_target: 0$'
nr_expect "$out" '^closed: 0$'
nr_hold_check p
nr_hold_expect p '\\srv\PIPE\lsarpc' valid
nr_hold_end p
echo "smb-only: PASS"
