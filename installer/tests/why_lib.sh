# The property every "netreclaim why" scenario checks: its advice, followed
# exactly, gives the outcome it predicted, and closes no file under a listed
# connection unless it said in words that it would. Source after lib.sh and
# tests/wine/ledger_lib.sh; netreclaim must be the provider by then (the
# adds are netreclaim's to clear or to leave standing).
#
# why_follow <target> <way> <remote> <local> <user>: runs "why <target>",
# then follows one way out it printed:
#   add      nothing to do (no conflict), or the next add clears it (stale)
#   reclaim  the printed "netreclaim reclaim \\server\share"
#   delete   the printed "net use NAME /delete": net use asks when files are
#            open and then forces, which is WNetCancelConnection2 with
#            fForce TRUE (wnet cancel --force); Wine's net.exe has no /delete
#   close    "close those files in their programs": the holders whose pids
#            the advice names exit
# then adds <remote> as <user> on <local> ("-" for deviceless), which must
# succeed: every way out why gives ends there. A true conflict (exit 8) is
# first met as predicted: the add fails with 1219, its files stay open, and
# the provider's record gives why's verdict. why itself cancels nothing.
# Afterwards every file why
# listed under a connection ("handle:" lines) is still open in its holder,
# unless the way followed said it closes the files of that connection.
why_follow() {
  local target=$1 way=$2 remote=$3 local=$4 user=$5
  local out rc verdict line name conn pid path id closes="" ended=" "
  local -a add=(add "$remote" --user "$user")
  [ "$local" = - ] || add+=(--local "$local")
  WHY_ASKED=$((${WHY_ASKED:-0} + 1))
  nr_wnet mark "why-asked-$WHY_ASKED" >/dev/null
  nri_cli why "$target"
  out=$NRI_OUT rc=$NRI_RC
  # Asking changes nothing: why cancels no connection.
  [ "$(lg_cancels "why-asked-$WHY_ASKED")" = 0 ] || nr_die "why $target cancelled a connection"
  verdict=$(sed -n 's/^verdict: //p' <<<"$out")
  case $rc:$verdict:$way in
    0:"no conflict":add | 7:stale:add | 7:stale:reclaim | 7:stale:delete) ;;
    8:"true conflict":delete | 8:"true conflict":close) ;;
    *) nr_die "why_follow: exit $rc, verdict \"$verdict\": no way \"$way\" is offered for it" ;;
  esac
  # One output, one story: only a stale verdict promises that the next add
  # clears it, and none says both that and that a cancel refuses.
  if [ "$rc" != 7 ] && grep -E 'clears this' <<<"$out" >/dev/null; then
    nr_die "why: a $verdict promises that the next add clears it"
  fi
  ! grep -E 'refuses until' <<<"$out" >/dev/null || nr_die "why: says a cancel refuses, and advises it"
  if [ "$rc" = 8 ]; then
    why_no_silent_close
    nr_expect "$(WINEDEBUG=+eventlog nr_wnet "${add[@]}")" ' -> 1219 '
    nr_expect_record 31 "Verdict: $verdict, netreclaim will not clear it."
    why_files_open "$out" ""
  fi
  case $way in
    reclaim)
      line=$(grep -m1 -E '^next: netreclaim reclaim \\\\' <<<"$out") || nr_die "why offered no reclaim"
      name=$(sed -E 's/^next: netreclaim reclaim ([^ ]+) .*/\1/' <<<"$line")
      nri_cli reclaim "$name"
      nri_rc 0 ;;
    delete)
      line=$(grep -m1 -E '^next: .*net use [^ ]+ /delete' <<<"$out") || nr_die "why offered no net use /delete"
      name=$(sed -E 's/^.*net use ([^ ]+) \/delete.*/\1/' <<<"$line")
      conn=$name
      [[ $name == \\* ]] ||
        conn=$(sed -nE "s/^connection: $name ([^ ]+) .*/\\1/p" <<<"$out")
      # Only a way out that says so may close that connection's files.
      grep -E 'netreclaim (then )?closes (those files|them)' <<<"$line" >/dev/null && closes=$conn
      nr_expect "$(nr_wnet cancel "$name" --force)" ' -> 0 NO_ERROR' ;;
    close)
      line=$(grep -m1 -E '^next: .*close those files in their programs' <<<"$out") ||
        nr_die "why offered no files to close"
      for pid in $(grep -oE '\(pid [0-9]+\)' <<<"$line" | tr -dc '0-9 \n'); do
        id=$(why_holder_of "$pid")
        nr_hold_end "$id"
        ended+="$pid "
      done ;;
  esac
  nr_expect "$(nr_wnet "${add[@]}")" ' -> 0 NO_ERROR'
  why_files_open "$out" "$closes" "$ended"
  echo "why_follow: $target: exit $rc ($verdict), $way, then the add as $user succeeded"
}

# why_holder_of <pid>: the id of the nr_hold holder whose Windows pid that is.
why_holder_of() {
  local id
  for id in "${!NR_HOLD_PID[@]}"; do
    grep -qx "READY $1" <<<"${NR_HOLD_LOG[$id]}" && { echo "$id"; return 0; }
  done
  nr_die "no running holder has pid $1"
}

# why_files_open <why output> <connection whose files may go> [" pid... "]:
# every file why listed under a listed connection is still open, but those
# under the named connection and those of holders that exited.
why_files_open() {
  local line pid path under id
  while IFS= read -r line; do
    pid=$(sed -E 's/.*\(pid ([0-9]+)\).*/\1/' <<<"$line")
    path=$(sed -E 's/.* handle 0x[0-9a-f]+ ([^ ]+) access .*/\1/' <<<"$line")
    under=${line##* under }
    [[ "${3:- }" == *" $pid "* ]] && continue
    [ -n "$2" ] && [ "${under,,}" = "${2,,}" ] && continue
    id=$(why_holder_of "$pid")
    nr_hold_check "$id"
    nr_hold_expect "$id" "$path" valid
  done < <(grep -E '^handle: ' <<<"$1" || true)
}

# why_no_silent_close: the last why suggested no reclaim (which would close
# files under a connection the stock provider still lists).
why_no_silent_close() {
  ! grep -E '^next: .*netreclaim reclaim' <<<"$NRI_OUT" >/dev/null ||
    nr_die "why suggested a reclaim for a connection in use"
}
