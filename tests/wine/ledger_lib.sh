# Helpers for the ledger scenarios (scenario_ledger_*.sh); source after lib.sh.

NR_STOCK_DLL='C:\windows\system32\nrmodel.dll'

# lg_tool <args>: one nrledger.exe command (dump, sd, scribble, fill N, conns).
lg_tool() { nr_wine "$NR_BIN/nrledger.exe" "$@"; }

# The stock provider's own list of connections ("conn <local|-> <remote>").
lg_conns() { lg_tool conns "$NR_STOCK_DLL"; }

# lg_bg <id> <nrledger args>: starts nrledger.exe in the background on a fifo
# stdin and waits (bounded) for <word> (READY or HOLDING) on its stdout.
declare -gA LG_PID=() LG_IN=()
lg_bg() {
  local id=$1 word=$2 fd line
  shift 2
  rm -f "$NR_DIR/lg-$id.in"
  mkfifo "$NR_DIR/lg-$id.in"
  exec {fd}<>"$NR_DIR/lg-$id.in"
  LG_IN[$id]=$fd
  # Not under timeout: $! must be the Wine process itself, which a fault
  # test kills. lg_stop and the EXIT trap (wineserver -k) bound it.
  wine "$NR_BIN/nrledger.exe" "$@" <&"$fd" >"$NR_DIR/lg-$id.out" 2>"$NR_DIR/lg-$id.err" &
  LG_PID[$id]=$!
  for _ in $(seq 1 $((NR_TIMEOUT * 10))); do
    grep -q "^$word" "$NR_DIR/lg-$id.out" 2>/dev/null && { echo "$id: $word"; return 0; }
    kill -0 "${LG_PID[$id]}" 2>/dev/null || break
    sleep 0.1
  done
  # Say how it ended: an empty output alone cannot tell a crash from an exit.
  local rc=0 ended="still running after ${NR_TIMEOUT} s"
  if ! kill -0 "${LG_PID[$id]}" 2>/dev/null; then
    wait "${LG_PID[$id]}" || rc=$?
    nr_ran "$rc" "$NR_DIR/lg-$id.err" nrledger.exe "$@"
    ended=$(nr_ended "$rc" "$NR_DIR/lg-$id.err")
  fi
  nr_die "nrledger $* never said $word ($ended): $(cat "$NR_DIR/lg-$id.out" "$NR_DIR/lg-$id.err")"
}

# lg_stop <id>: a line on its stdin; it releases what it holds and exits.
lg_stop() {
  local id=$1 fd=${LG_IN[$1]}
  echo go >&"$fd"
  timeout -k 5 "$NR_TIMEOUT" tail --pid="${LG_PID[$id]}" -f /dev/null || nr_die "nrledger $id did not exit"
  exec {fd}>&-
}

# lg_since <mark> <function> [pattern]: the model's log lines of <function>
# after "wnet mark <mark>", optionally only those matching <pattern>.
lg_since() {
  awk -v m="$1" -v f="$2" '$2 == "#" && $3 == m { on = 1; next } on && $2 == f' "$(nr_log)" |
    grep -E -- "${3:-.}" || true
}

# lg_count <mark> <function> [pattern]
lg_count() { lg_since "$@" | grep -c . || true; }

# lg_expect_count <mark> <function> <n> [pattern]
lg_expect_count() {
  local got
  got=$(lg_count "$1" "$2" "${4:-.}")
  [ "$got" = "$3" ] || { lg_since "$1" "$2"; nr_die "after $1: $3 $2 call(s) expected, got $got"; }
  echo "after $1: $got $2 call(s)${4:+ matching $4}"
}

# Both cancel entries, for counting cancels whichever one a caller used.
lg_cancels() {
  echo $(( $(lg_count "$1" NPCancelConnection "${2:-.}") + $(lg_count "$1" NPCancelConnection2 "${2:-.}") ))
}

# Puts the model's KeepConn period (seconds).
lg_keepconn() {
  nr_wine reg add 'HKLM\Software\nrmodel' /v KeepConnSeconds /t REG_DWORD /d "$1" /f >/dev/null
}

# lg_orphan <id> <server>: holder <id> opens \\<server>\share\f.txt by plain
# UNC (the model makes an implicit connection), then a forced cancel of that
# connection leaves the handle open with no connection: Q245006's orphan.
# Run it before netreclaim is installed, or the cancel reclaims the handle.
lg_orphan() {
  local id=$1 server=$2 conns
  nr_hold "$id" "\\\\$server\\share\\f.txt"
  nr_expect "$(lg_conns)" "^conn - \\\\\\\\$server\\\\share\$"
  nr_expect "$(nr_wnet cancel "\\\\$server\\share" --force)" ' -> 0 NO_ERROR'
  conns=$(lg_conns)
  ! grep -q "\\\\$server\\\\" <<<"$conns" || nr_die "the forced cancel left the implicit connection: $conns"
}
