# Shared harness for the Wine scenarios. Source it; needs bash, set -euo pipefail.
#
# A scenario calls nr_prefix <work> <name> to get a fresh WINEPREFIX copied from
# the template (made once per ctest run by template.sh), with its own
# persistent wineserver that an EXIT trap stops (only that one, by prefix).
# Every wine invocation is bounded by `timeout`; nothing sleeps to synchronise.

export WINEDEBUG=${WINEDEBUG:--all}
export WINEDLLOVERRIDES="mscoree,mshtml="
NR_TIMEOUT=${NR_TIMEOUT:-60}   # seconds for any single wine program
NR_PROVIDER_NAME="Microsoft Windows Network"

nr_die() { echo "FAIL: $*" >&2; exit 1; }
nr_note() { echo "== $*"; }

# Makes a template prefix at $1 (idempotent: a finished one is kept).
nr_make_template() {
  local dir=$1
  [ -f "$dir/.nr-template-ok" ] && return 0
  rm -rf "$dir"
  mkdir -p "$(dirname "$dir")"
  WINEPREFIX=$dir timeout -k 10 300 wine wineboot -i >"$dir.log" 2>&1 \
    || { cat "$dir.log" >&2; nr_die "wineboot -i failed for $dir"; }
  WINEPREFIX=$dir timeout -k 10 120 wineserver -w
  touch "$dir/.nr-template-ok"
}

# nr_prefix <work dir> <name>: fresh prefix <work>/<name>/prefix, server started.
nr_prefix() {
  local work=$1 name=$2
  local template=${NR_TEMPLATE:-$work/template}
  [ -f "$template/.nr-template-ok" ] || nr_make_template "$template"
  NR_DIR=$work/$name
  rm -rf "$NR_DIR"
  mkdir -p "$NR_DIR"
  cp -a "$template" "$NR_DIR/prefix"
  rm -f "$NR_DIR/prefix/.nr-template-ok"
  export WINEPREFIX=$NR_DIR/prefix
  trap nr_cleanup EXIT
  # Detached from our stdout: ctest reads it to EOF. The first wine program
  # starts the prefix's services, which inherit its stdio: start them here,
  # on /dev/null, so later pipes close when their own program exits.
  wineserver -p </dev/null >/dev/null 2>&1
  timeout -k 5 "$NR_TIMEOUT" wine reg query 'HKLM\Software' </dev/null >/dev/null 2>&1 \
    || nr_die "wine does not start in $WINEPREFIX"
  NR_UNC=$WINEPREFIX/dosdevices/unc
  mkdir -p "$NR_UNC"
}

nr_cleanup() {
  local rc=$?
  if [ -n "${NR_HOLDER_PID:-}" ]; then
    kill "$NR_HOLDER_PID" 2>/dev/null || true
  fi
  # Only this prefix's server; -k waits for it to go.
  [ -n "${WINEPREFIX:-}" ] && timeout -k 5 30 wineserver -k 2>/dev/null || true
  exit $rc
}

# The NT name Wine gives files under $WINEPREFIX/dosdevices/unc: the unix path
# seen through drive Z: (\??\Z:\...\dosdevices\unc). Checked by holder output.
nr_device_name() {
  local real
  real=$(cd "$WINEPREFIX/dosdevices" && pwd -P)
  printf '\\??\\Z:%s\\unc' "${real//\//\\}"
}

# A .reg REG_EXPAND_SZ value for an ASCII .reg file: Wine's regedit reads
# hex(2) bytes of a non-Unicode file as ANSI text, so one byte per char + NUL.
nr_reg_expand() {
  local s=$1 out="" i c
  for ((i = 0; i < ${#s}; i++)); do
    printf -v c '%02x' "'${s:i:1}"
    out+="$c,"
  done
  printf 'hex(2):%s00' "$out"
}

nr_reg_str() {
  local s=${1//\\/\\\\}
  printf '"%s"' "${s//\"/\\\"}"
}

# nr_install <bin dir> model|netreclaim: copies DLLs into system32 and
# registers the providers with one regedit call.
nr_install() {
  local bin=$1 mode=$2 order reg=$NR_DIR/providers.reg
  local sys32=$WINEPREFIX/drive_c/windows/system32
  # 32-bit builds (NR_ARCH=32) go where WOW64 sends System32 for 32-bit callers.
  if [ "${NR_ARCH:-64}" = 32 ] && [ -d "$WINEPREFIX/drive_c/windows/syswow64" ]; then
    sys32=$WINEPREFIX/drive_c/windows/syswow64
  fi
  cp "$bin/nrmodel.dll" "$sys32/"
  order=LanmanWorkstation
  if [ "$mode" = netreclaim ]; then
    [ -f "$bin/netreclaim.dll" ] || nr_die "no $bin/netreclaim.dll (provider not built yet)"
    cp "$bin/netreclaim.dll" "$sys32/"
    order=NetReclaim
  fi
  {
    echo 'Windows Registry Editor Version 5.00'
    echo
    echo '[HKEY_LOCAL_MACHINE\System\CurrentControlSet\Services\LanmanWorkstation\NetworkProvider]'
    echo "\"ProviderPath\"=$(nr_reg_expand '%SystemRoot%\System32\nrmodel.dll')"
    echo "\"Name\"=$(nr_reg_str "$NR_PROVIDER_NAME")"
    echo "\"DeviceName\"=$(nr_reg_str "$(nr_device_name)")"
    echo
    if [ "$mode" = netreclaim ]; then
      echo '[HKEY_LOCAL_MACHINE\System\CurrentControlSet\Services\NetReclaim\NetworkProvider]'
      echo "\"ProviderPath\"=$(nr_reg_expand '%SystemRoot%\System32\netreclaim.dll')"
      echo "\"Name\"=$(nr_reg_str "$NR_PROVIDER_NAME")"
      echo
    fi
    echo '[HKEY_LOCAL_MACHINE\System\CurrentControlSet\Control\NetworkProvider\Order]'
    echo "\"ProviderOrder\"=\"$order\""
    echo
    echo '[HKEY_LOCAL_MACHINE\System\CurrentControlSet\Control\NetworkProvider\HwOrder]'
    echo "\"ProviderOrder\"=\"$order\""
  } | sed 's/$/\r/' >"$reg"
  nr_wine regedit /S "Z:${reg//\//\\}" >/dev/null
  NR_BIN=$bin
}

# Makes \\srv\share (and more) with a file and a folder in it.
nr_share() {
  local server=$1 share=$2
  mkdir -p "$NR_UNC/$server/$share/dir"
  echo "data" >"$NR_UNC/$server/$share/f.txt"
  echo "data" >"$NR_UNC/$server/$share/dir/g.txt"
}

# nr_wine <program> [args]: bounded, output without CRs.
nr_wine() {
  local rc=0
  timeout -k 5 "$NR_TIMEOUT" wine "$@" </dev/null 2>"$NR_DIR/wine.err" | tr -d '\r' || rc=$?
  return $rc
}

# nr_wnet <args>: one wnet.exe command; prints its canonical output.
nr_wnet() {
  nr_wine "$NR_BIN/wnet.exe" "$@"
}

# Runs wnet.exe batch with stdin commands.
nr_wnet_batch() {
  timeout -k 5 "$NR_TIMEOUT" wine "$NR_BIN/wnet.exe" batch 2>"$NR_DIR/wine.err" | tr -d '\r'
}

# nr_expect <output> <pattern>: the output must contain the (grep -E) pattern.
nr_expect() {
  local out=$1 pattern=$2
  echo "$out"
  grep -Eq -- "$pattern" <<<"$out" || nr_die "expected /$pattern/ in: $out"
}

# nr_holder_start <path>...: starts holder.exe on fifos; waits (bounded) for
# READY. Sets NR_HOLDER_PID, NR_HOLDER_IN, NR_HOLDER_OUT (fds), NR_HOLDER_LOG.
nr_holder_start() {
  local line
  rm -f "$NR_DIR/holder.in" "$NR_DIR/holder.out"
  mkfifo "$NR_DIR/holder.in" "$NR_DIR/holder.out"
  # Read-write opens never block on a fifo: both ends are ready at once.
  exec {NR_HOLDER_IN}<>"$NR_DIR/holder.in"
  exec {NR_HOLDER_OUT}<>"$NR_DIR/holder.out"
  timeout -k 5 "$NR_TIMEOUT" wine "$NR_BIN/holder.exe" --timeout "$NR_TIMEOUT" "$@" \
    <"$NR_DIR/holder.in" >"$NR_DIR/holder.out" 2>"$NR_DIR/holder.err" &
  NR_HOLDER_PID=$!
  NR_HOLDER_LOG=""
  while IFS= read -r -t "$NR_TIMEOUT" -u "$NR_HOLDER_OUT" line; do
    line=${line%$'\r'}
    NR_HOLDER_LOG+="$line"$'\n'
    echo "holder: $line"
    case $line in READY*) return 0 ;; esac
  done
  nr_die "holder did not get READY: $(cat "$NR_DIR/holder.err")"
}

# Releases the holder: it reports its handles, prints DONE and exits.
# Output lines land in NR_HOLDER_LOG.
nr_holder_stop() {
  local line rc=0 done=""
  echo go >&"$NR_HOLDER_IN"
  while IFS= read -r -t "$NR_TIMEOUT" -u "$NR_HOLDER_OUT" line; do
    line=${line%$'\r'}
    NR_HOLDER_LOG+="$line"$'\n'
    echo "holder: $line"
    case $line in DONE*) done=1; break ;; esac
  done
  [ -n "$done" ] || nr_die "holder never said DONE"
  wait "$NR_HOLDER_PID" || rc=$?
  NR_HOLDER_PID=""
  exec {NR_HOLDER_IN}>&- {NR_HOLDER_OUT}<&-
  [ "$rc" = 0 ] || nr_die "holder exited with $rc"
}

nr_log() { echo "$WINEPREFIX/drive_c/nrmodel/calls.log"; }

# Per-function counts of NP calls in the model's log ("<count> <function>").
nr_log_counts() {
  local log
  log=$(nr_log)
  [ -f "$log" ] || return 0
  awk '$2 != "#" { n[$2]++ } END { for (f in n) print n[f], f }' "$log" | sort -k2
}

# nr_log_count <function>: how many calls of it the model logged.
nr_log_count() {
  local log
  log=$(nr_log)
  [ -f "$log" ] || { echo 0; return; }
  awk -v f="$1" '$2 == f { n++ } END { print n + 0 }' "$log"
}
