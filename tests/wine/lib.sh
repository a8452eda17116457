# Shared harness for the Wine scenarios. Source it; needs bash, set -euo pipefail.
#
# A scenario calls nr_prefix <work> <name> to get a fresh WINEPREFIX copied from
# the template (made once per ctest run by template.sh), with its own
# persistent wineserver that an EXIT trap stops (only that one, by prefix).
# Every wine invocation is bounded by `timeout`; nothing sleeps to synchronise.

# Debian's wine64 comes without Wine's preloader, which keeps the address of
# KUSER_SHARED_DATA (0x7ffe0000) free before anything else maps: its loader is
# linked at 0x7d000000 and Linux puts the brk heap at random up to 1 GB above
# it, so one start in some thousands finds that address taken and exits 1 with
# "failed to map the shared user data: c0000018" before the program runs
# (docs/test-reliability.md). Without address randomisation the heap stays
# just above the loader. Every Wine script sources this first; it runs itself
# again so, and wine, its server and every program inherit it. A sandbox whose
# seccomp filter refuses that personality (Docker's default does) keeps the
# randomisation and says so.
if [ -f "$0" ] && (( (0x$(cat /proc/self/personality) & 0x40000) == 0 )); then
  if NR_SETARCH=$(setarch "$(uname -m)" --addr-no-randomize true 2>&1); then
    exec setarch "$(uname -m)" --addr-no-randomize bash "$0" "$@"
  fi
  echo "note: Wine runs with address randomisation ($NR_SETARCH): about one start in thousands fails with 'failed to map the shared user data' (docs/test-reliability.md)" >&2
fi

# Wine's err lines on, so that a failure shows them; "-all" first keeps
# Debian's wine script from printing its wine32 hint on every start.
export WINEDEBUG=${WINEDEBUG:--all,err+all}
export WINEDLLOVERRIDES="mscoree,mshtml="
NR_TIMEOUT=${NR_TIMEOUT:-60}   # seconds for any single wine program
# Seconds a holder of nr_hold lives at most: a scenario whose holders span
# several steps (each a few wine programs) sets more, since the bound is on
# the holder's whole life, which a loaded machine stretches.
NR_HOLD_LIFE=${NR_HOLD_LIFE:-$NR_TIMEOUT}
NR_PROVIDER_NAME="Microsoft Windows Network"

# A failure says what the failing program said: nr_explain follows the FAIL line.
nr_die() {
  echo "FAIL: $*" >&2
  [ -n "${NR_DIR:-}" ] && [ -d "$NR_DIR" ] && touch "$NR_DIR/failed"
  nr_explain >&2
  exit 1
}

# A command that fails outside any test (set -e) ends a scenario without a
# FAIL line: remember where, so that nr_cleanup can say it. -E carries the
# trap into functions, where most commands run.
set -E
trap 'NR_ERR="status $? at ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND"' ERR
nr_note() { echo "== $*"; }

# Makes a template prefix at $1 (idempotent: a finished one is kept).
nr_make_template() {
  local dir=$1
  [ -f "$dir/.nr-template-ok" ] && return 0
  rm -rf "$dir"
  mkdir -p "$(dirname "$dir")"
  WINEPREFIX=$dir timeout -k 10 300 wine "$(nr_wine_path wineboot)" -i >"$dir.log" 2>&1 \
    || { cat "$dir.log" >&2; nr_die "wineboot -i failed for $dir"; }
  WINEPREFIX=$dir timeout -k 10 120 wineserver -w
  touch "$dir/.nr-template-ok"
}

# nr_prefix <work dir> <name>: fresh prefix <work>/<name>/prefix, server started.
nr_prefix() {
  local work=$1 name=$2
  local template=${NR_TEMPLATE:-$work/template}
  [ -f "$template/.nr-template-ok" ] || nr_make_template "$template"
  # A script's earlier prefix is done with (it would have exited on failure).
  [ -n "${WINEPREFIX:-}" ] && nr_drop_prefix
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
  timeout -k 5 "$NR_TIMEOUT" wine "$(nr_wine_path reg)" query 'HKLM\Software' </dev/null >/dev/null 2>&1 \
    || nr_die "wine does not start in $WINEPREFIX"
  NR_UNC=$WINEPREFIX/dosdevices/unc
  mkdir -p "$NR_UNC"
}

nr_cleanup() {
  local rc=$? f
  # A crash anywhere fails the scenario as a crash, whatever was checked.
  if [ "$rc" = 0 ] && [ -n "${NR_DIR:-}" ]; then
    for f in "$NR_DIR"/*.err; do
      [ -f "$f" ] && nr_crash_line "$f" >/dev/null && rc=1
    done
    [ "$rc" = 0 ] || { echo "FAIL: a wine program crashed" >&2; nr_explain >&2; }
  elif [ "$rc" != 0 ] && [ -n "${NR_DIR:-}" ] && [ ! -e "$NR_DIR/failed" ]; then
    echo "FAIL: stopped by a failing command (${NR_ERR:-exit status $rc})" >&2
    nr_explain >&2
  fi
  if [ -n "${NR_HOLDER_PID:-}" ]; then
    kill "$NR_HOLDER_PID" 2>/dev/null || true
  fi
  # Only this prefix's server; -k waits for it to go.
  [ -n "${WINEPREFIX:-}" ] && timeout -k 5 30 wineserver -k 2>/dev/null || true
  # A prefix is about 700 MB: keep it only when it can explain a failure.
  [ "$rc" = 0 ] && [ -n "${WINEPREFIX:-}" ] && rm -rf "$WINEPREFIX"
  exit $rc
}

# Stops this script's current prefix's server and removes the prefix.
nr_drop_prefix() {
  timeout -k 5 30 wineserver -k 2>/dev/null || true
  rm -rf "$WINEPREFIX"
  unset WINEPREFIX
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

# How a wine program ended, from `timeout`'s exit status and the program's
# stderr. Wine exits with the low byte of an unhandled exception's code (5 for
# 0xc0000005), so a crash is told by the line Wine prints before it starts
# its debugger ("wine: Unhandled page fault on read access to ..."), never by
# the status alone.
nr_crash_line() {
  grep -a -m1 -E '^wine: (Unhandled |Call from .* to unimplemented function)' "$1" 2>/dev/null
}

nr_ntstatus_of() {
  case $1 in
    *'page fault'*) echo '0xc0000005 (STATUS_ACCESS_VIOLATION)' ;;
    *'stack overflow'*) echo '0xc00000fd (STATUS_STACK_OVERFLOW)' ;;
    *'illegal instruction'*) echo '0xc000001d (STATUS_ILLEGAL_INSTRUCTION)' ;;
    *'divide by zero'*) echo '0xc0000094 (STATUS_INTEGER_DIVIDE_BY_ZERO)' ;;
    *'unimplemented function'*) echo '0x80000100 (a Wine stub: unimplemented function)' ;;
    *) grep -oE 'exception 0x[0-9a-fA-F]{8}' <<<"$1" | sed 's/exception //' || echo unknown ;;
  esac
}

# nr_ended <exit status> <stderr file>: one line naming how a program ended.
nr_ended() {
  local rc=$1 crash
  crash=$(nr_crash_line "$2" || true)
  if [ -n "$crash" ]; then
    echo "CRASHED with NTSTATUS $(nr_ntstatus_of "$crash"): ${crash#wine: }"
  elif grep -a -q -m1 -E 'wine: (failed to map|could not load) ' "$2" 2>/dev/null; then
    echo "NOT STARTED: Wine's loader gave up before the program ran: $(grep -a -m1 -oE 'wine: (failed to map|could not load) .*' "$2")"
  elif grep -a -q -m1 '^ShellExecuteEx failed' "$2" 2>/dev/null; then
    echo "NOT STARTED: Wine could not load it and its start.exe fallback said: $(grep -a -m1 '^ShellExecuteEx failed' "$2")"
  elif [ "$rc" = 124 ]; then
    echo "TIMED OUT: ended after ${NR_TIMEOUT} s (timeout's status 124)"
  elif [ "$rc" -gt 128 ] 2>/dev/null; then
    echo "KILLED by signal $((rc - 128))"
  else
    echo "exit $rc"
  fi
}

# nr_ran <exit status> <stderr file> <command...>: every wine program's end
# goes to $NR_DIR/programs.log and its stderr to wine-all.err; a crash also
# goes to $NR_DIR/crashes and to our stderr at once, so that the scenario
# fails as a crash even where the program's output looked right (nr_cleanup).
nr_ran() {
  local rc=$1 err=$2 ended
  shift 2
  ended=$(nr_ended "$rc" "$err")
  echo "$* -> $ended" >>"$NR_DIR/programs.log"
  { echo "## $* -> $ended"; tr -d '\r' <"$err"; } >>"$NR_DIR/wine-all.err" 2>/dev/null || true
  case $ended in
    CRASHED*)
      echo "$* -> $ended" >>"$NR_DIR/crashes"
      echo "CRASH: $* -> $ended" >&2 ;;
    NOT\ STARTED*) echo "$* -> $ended" >&2 ;;
  esac
}

# nr_wine <program> [args]: bounded, output without CRs. Its stderr is kept
# in $NR_DIR/wine.err until the next program (scenarios read its records).
# Wine's own tools are started by their path: given a bare name ("reg"),
# Wine starts start.exe, which starts the tool in a second process creation,
# and that one is where "ShellExecuteEx failed: Internal error" came from.
nr_wine_path() {
  case $1 in
    */* | *\\*) echo "$1" ;;
    regedit) echo 'C:\windows\regedit.exe' ;;
    *) echo "C:\\windows\\system32\\${1%.exe}.exe" ;;
  esac
}

# When Wine cannot start a program, start.exe says so on stdout: that line is
# copied to the stderr file for nr_ended.
nr_wine() {
  local rc=0
  timeout -k 5 "$NR_TIMEOUT" wine "$(nr_wine_path "$1")" "${@:2}" </dev/null 2>"$NR_DIR/wine.err" |
    tr -d '\r' | tee "$NR_DIR/wine.out" || rc=$?
  grep -a '^ShellExecuteEx failed' "$NR_DIR/wine.out" >>"$NR_DIR/wine.err" || true
  nr_ran "$rc" "$NR_DIR/wine.err" "$@"
  return $rc
}

# nr_explain: what the programs of this scenario said, for a failure's log:
# every crash, the last programs and how each ended, the tail of Wine's
# stderr (its err:, exception and wine: lines first), the model's last calls.
nr_explain() {
  local f
  [ -n "${NR_DIR:-}" ] && [ -d "$NR_DIR" ] || return 0
  if [ -s "$NR_DIR/crashes" ]; then
    echo "-- crashes in this scenario:"
    cat "$NR_DIR/crashes"
  fi
  for f in "$NR_DIR"/*.err; do
    [ -f "$f" ] || continue
    case $f in */wine.err | */wine-all.err) continue ;; esac
    nr_crash_line "$f" >/dev/null && echo "-- a background program crashed: $f: $(nr_crash_line "$f")"
  done
  if [ -f "$NR_DIR/programs.log" ]; then
    echo "-- the last wine programs and how each ended:"
    tail -n 5 "$NR_DIR/programs.log"
  fi
  if [ -s "$NR_DIR/wine.err" ]; then
    echo "-- the last program's stderr: Wine's err:/exception lines, then its tail:"
    tr -d '\r' <"$NR_DIR/wine.err" | grep -a -E '(^|:)(err|fixme):|[Ee]xception|^wine:|Backtrace' |
      grep -av 'fixme:advapi:ReportEventW' | tail -n 10 || true
    tr -d '\r' <"$NR_DIR/wine.err" | tail -n 15
  fi
  if [ -n "${WINEPREFIX:-}" ] && [ -s "$(nr_log)" ]; then
    echo "-- the model's last calls ($(nr_log)):"
    tail -n 8 "$(nr_log)"
  fi
}

# nr_wnet <args>: one wnet.exe command; prints its canonical output.
nr_wnet() {
  nr_wine "$NR_BIN/wnet.exe" "$@"
}

# Runs wnet.exe batch with stdin commands.
nr_wnet_batch() {
  local rc=0
  timeout -k 5 "$NR_TIMEOUT" wine "$NR_BIN/wnet.exe" batch 2>"$NR_DIR/wine.err" | tr -d '\r' || rc=$?
  nr_ran "$rc" "$NR_DIR/wine.err" "$NR_BIN/wnet.exe" batch
  return $rc
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

# Several holders at once, each named by an id. nr_hold <id> [--pipe] <path>...
# starts holder.exe <id> on its own fifos and waits (bounded) for READY; its
# output so far lands in NR_HOLD_LOG[<id>], its pid in NR_HOLD_PID[<id>].
declare -gA NR_HOLD_PID=() NR_HOLD_IN=() NR_HOLD_OUT=() NR_HOLD_LOG=()

# Reads <id>'s output up to a line starting with <word>, into NR_HOLD_REPLY.
nr_hold_read() {
  local id=$1 word=$2 line
  NR_HOLD_REPLY=""
  while IFS= read -r -t "$NR_TIMEOUT" -u "${NR_HOLD_OUT[$id]}" line; do
    line=${line%$'\r'}
    NR_HOLD_REPLY+="$line"$'\n'
    NR_HOLD_LOG[$id]+="$line"$'\n'
    echo "$id: $line"
    case $line in "$word"*) return 0 ;; esac
  done
  nr_die "holder $id never said $word: $(cat "$NR_DIR/hold-$id.err")"
}

nr_hold() {
  local id=$1 in out fd_in fd_out
  shift
  in=$NR_DIR/hold-$id.in out=$NR_DIR/hold-$id.out
  rm -f "$in" "$out"
  mkfifo "$in" "$out"
  exec {fd_in}<>"$in"
  exec {fd_out}<>"$out"
  NR_HOLD_IN[$id]=$fd_in NR_HOLD_OUT[$id]=$fd_out NR_HOLD_LOG[$id]=""
  timeout -k 5 "$NR_HOLD_LIFE" wine "$NR_BIN/holder.exe" --timeout "$NR_HOLD_LIFE" "$@" \
    <"$in" >"$out" 2>"$NR_DIR/hold-$id.err" &
  NR_HOLD_PID[$id]=$!
  nr_hold_read "$id" READY
}

# nr_hold_check <id>: the holder reports its handles and keeps running;
# the report is in NR_HOLD_REPLY.
nr_hold_check() {
  echo check >&"${NR_HOLD_IN[$1]}"
  nr_hold_read "$1" CHECKED
}

# nr_hold_end <id>: the holder reports its handles (NR_HOLD_REPLY) and exits 0.
nr_hold_end() {
  local id=$1 rc=0 fd_in fd_out
  echo exit >&"${NR_HOLD_IN[$id]}"
  nr_hold_read "$id" DONE
  wait "${NR_HOLD_PID[$id]}" || rc=$?
  fd_in=${NR_HOLD_IN[$id]} fd_out=${NR_HOLD_OUT[$id]}
  exec {fd_in}>&- {fd_out}<&-
  unset "NR_HOLD_PID[$id]"
  [ "$rc" = 0 ] || nr_die "holder $id exited with $rc"
}

# nr_hold_expect <id> <path> valid|invalid|replaced: in the last report.
nr_hold_expect() {
  local id=$1 path=$2 state=$3
  grep -qxF "handle $path $state" <(sed 's/ [0-9]*$//' <<<"$NR_HOLD_REPLY") \
    || nr_die "holder $id: expected '$path' $state, got: $(grep -F "handle $path " <<<"$NR_HOLD_REPLY")"
}

# nr_eventlog [file]: the Event Log records the last wine program reported
# (run it with WINEDEBUG=+eventlog, fixme left on): "== record <event id>"
# before each (the id from advapi's ReportEventW line, in decimal), then its
# text one line per line, Wine's escapes undone. netreclaim's records carry
# the whole text as %1, then each line as a string of its own: a record's
# first string is printed only when it is its only one.
nr_eventlog() {
  sed -nE -e 's/^[0-9a-f]+:fixme:advapi:ReportEventW \([0-9A-Fa-f]+,0x[0-9a-f]+,0x[0-9a-f]+,0x([0-9a-f]+),.*/== record 0x\1/p' \
    -e 's/^[0-9a-f]+:(trace|warn|err):eventlog:ReportEventW L"(.*)"(\.\.\.)?$/\2/p' \
    "${1:-$NR_DIR/wine.err}" |
    awk '/^== record 0x/ { if (n == 1) print first; print; n = 0; next }
         { if (++n == 1) first = $0; else print }
         END { if (n == 1) print first }' |
    perl -pe 'if (/^== record 0x([0-9a-f]+)$/) { $_ = "== record " . hex($1) . "\n" }
              else { s/\\(.)/$1 eq "r" || $1 eq "n" ? "" : $1/ge }'
}

# nr_record_ids: the event ids of the last wine program's records, in order
# (run it with WINEDEBUG=+eventlog), one per line.
nr_record_ids() {
  sed -n 's/^== record //p' <<<"$(nr_eventlog)"
}

# nr_expect_record <id> [<text>]: one of the last wine program's Event Log
# records (run with WINEDEBUG=+eventlog) has event id <id> (docs/events.md)
# and, when given, holds <text> in one of its insertion strings (escapes
# undone: single backslashes). The record's text is in $record_text.
nr_expect_record() {
  local id=$1 text=${2:-} records
  records=$(nr_eventlog)
  # The text through the environment: awk -v would undo its backslashes.
  record_text=$(NR_TEXT=$text awk -v id="$id" '
    BEGIN { text = ENVIRON["NR_TEXT"] }
    /^== record / { if (hit) exit; on = ($3 == id); body = ""; next }
    on { body = body $0 "\n"; if (text == "" || index($0, text)) hit = 1 }
    END { if (hit) printf "%s", body; else exit 1 }' <<<"$records") ||
    nr_die "no Event Log record with id $id${text:+ holding: $text} (records: ${records:-none})"
  echo "event $id: ${text:-(any text)}"
}

# nr_expect_closed <text>: a reclaim record holding <text> whose handles
# under the target were all closed: id 10, or 11 when it also says a name
# query timed out, was blocked earlier or ran over the planning limits
# (docs/events.md), which a loaded machine can cause in any reclaim.
nr_expect_closed() {
  local records
  records=$(nr_eventlog)
  if grep -Eq '^Left [0-9]+ (name query timed out|name query blocked earlier|over the planning limits)' <<<"$records"; then
    nr_expect_record 11 "$1"
  else
    nr_expect_record 10 "$1"
  fi
}

# nr_stock_once <adds> <cancels> <name>...: exactly once (docs/design.md rule 1) in
# the model's log: <adds> NPAddConnection3 calls, <cancels> NPCancelConnection
# calls naming one of <name> (the WNet cancels), any other stock cancel only
# without force (netreclaim's own cancel of idle deviceless connections, rule
# 3), and besides NPGetCaps only read-only calls (NPGetConnection, NPGetUser,
# the connected enumeration). No password in the log.
nr_stock_once() {
  local adds=$1 cancels=$2 log n names others
  shift 2
  log=$(nr_log)
  names=" $* "
  nr_log_counts
  n=$(nr_log_count NPAddConnection3)
  [ "$n" = "$adds" ] || nr_die "expected $adds NPAddConnection3 calls (one per add), got $n"
  # Through the environment: awk -v would take the backslashes for escapes.
  n=$(NAMES=$names awk '$2 == "NPCancelConnection" &&
        index(ENVIRON["NAMES"], " " substr($3, 6) " ") { n++ } END { print n + 0 }' "$log")
  [ "$n" = "$cancels" ] || nr_die "expected $cancels NPCancelConnection calls (one per cancel), got $n"
  others=$(NAMES=$names awk '$2 == "NPCancelConnection" &&
             !index(ENVIRON["NAMES"], " " substr($3, 6) " ")' "$log")
  [ -z "$others" ] || echo "netreclaim's own stock cancels: $others"
  grep -q 'force=1' <<<"$others" && nr_die "netreclaim forced a stock cancel: $others"
  n=$(nr_log_counts | awk '$2 !~ /^NP(GetCaps|AddConnection3|CancelConnection|GetConnection|GetUser|OpenEnum|EnumResource|CloseEnum)$/ { s += $1 } END { print s + 0 }')
  [ "$n" = 0 ] || nr_die "unexpected stock calls: $n"
  if grep -q 'password\|pw' "$log"; then nr_die "a password reached the log"; fi
}
