#!/usr/bin/env bash
# The benchmark: the one documented command (docs/performance.md).
#   tests/bench/run.sh <builddir> [--quick|--add-only|--server-calls]
# 1. replay: the planner through a counting fake OS seam (native).
# 2. Wine: nrbench.exe times stock / netreclaim / floor / naive cancels in one
#    process, for N = 1k, 10k, 100k system handles (--quick: N = 1k, 5 reps).
# 3. Wine, the add path: NPAddConnection3 pairs, stock and
#    netreclaim alternating, with the median difference and its 95% bootstrap
#    interval and the model's calls per add; and a process's first add, in
#    fresh children, with the session ledger cold and warm.
# --add-only: only part 3, at every N (no replay, no cancel part).
# --server-calls: the wineserver requests one add makes, stock and
#   netreclaim, named and counted (N = 1k, 5 pairs, the prefix's server
#   restarted with WINEDEBUG=+server; no timing).
# Prints the tables and, last, "worst cancel ratio R (netreclaim-stock)/floor
# at N=..." (--add-only: "add path: ..."). Asserts no timing; fails only if
# something does not complete.
# The Wine part runs in its own prefix (build/wine/bench) with its own
# wineserver, which the harness's EXIT trap stops (only that one).
set -euo pipefail
build=$(cd "${1:?usage: run.sh <builddir> [--quick]}" && pwd)
quick=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
bin=$build/win-x86_64/bin
replay=$build/bench/replay_bench
k=10

add_reps=300 first_pairs=30 resamples=2000
if [ "$quick" = --quick ]; then
  sizes="1000"; declare -A reps=([1000]=5)
  replay_args=--quick
  add_reps=20 first_pairs=3 resamples=500
elif [ "$quick" = --add-only ] || [ "$quick" = --server-calls ]; then
  sizes="1000 10000 100000"; declare -A reps=([1000]=0 [10000]=0 [100000]=0)
else
  sizes="1000 10000 100000"; declare -A reps=([1000]=40 [10000]=25 [100000]=10)
  replay_args=
fi
declare -A holders=([1000]=2 [10000]=4 [100000]=4)

[ -x "$replay" ] || { echo "FAIL: no $replay (build first)" >&2; exit 1; }
for f in nrbench.exe benchhold.exe nrmodel.dll netreclaim.dll; do
  [ -f "$bin/$f" ] || { echo "FAIL: no $bin/$f (build first)" >&2; exit 1; }
done

echo "== machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)," \
  "$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo), $(wine --version 2>/dev/null)"
echo "== load average at start: $(cat /proc/loadavg)"
echo
if [ "$quick" = "" ] || [ "$quick" = --quick ]; then
  echo "== replay through the OS seam (native)"
  timeout -k 5 600 "$replay" $replay_args
  echo
fi

# ---- Wine ----
. "$here/../wine/lib.sh"
bench_timeout=${NR_BENCH_TIMEOUT:-1200}  # one nrbench run at N = 100k, bounded (lib.sh keeps NR_TIMEOUT for the rest)
nr_prefix "$build/wine" bench
nr_install "$bin" netreclaim
nr_share srv share
for ((i = 0; i < k; i++)); do printf -v f 'b%02d.txt' "$i"; echo data >"$NR_UNC/srv/share/$f"; done
# Private copies of the programs: a rebuild of the shared build tree during
# a long run must not replace them under the running driver.
run_bin=$WINEPREFIX/drive_c/nrbench-bin
mkdir -p "$run_bin"
cp "$bin/nrbench.exe" "$bin/benchhold.exe" "$run_bin/"

if [ "$quick" = --server-calls ]; then
  # The requests are traced by the server: restart this prefix's own server
  # with the channel on. The driver's marks (OutputDebugString) bracket each
  # timed add; only the marking thread's requests between them count.
  pairs=5
  timeout -k 5 30 wineserver -k 2>/dev/null || true
  WINEDEBUG=+server,+debugstr timeout -k 5 "$bench_timeout" wine "$run_bin/nrbench.exe" --n 1000 \
    --reps 0 --k "$k" --holders 2 --timeout-s 300 --add-reps "$pairs" --first-pairs 0 \
    --resamples 10 --marks 1 </dev/null >/dev/null 2>"$NR_DIR/server.trace" \
    || nr_die "nrbench --marks failed"
  echo
  echo "== Wine: wineserver requests per add (NPAddConnection3 Q:, steady state, N=1k, $pairs adds each)"
  printf "%-28s | %8s | %10s | %s\n" request stock netreclaim "extra per add"
  awk '
    /nrbench-mark begin/ { split($0, a, ":"); tid = a[1]; v = ($0 ~ /netreclaim/) ? 2 : 1; on = 1; k[v]++; next }
    /nrbench-mark end/ { on = 0; next }
    on && /^[0-9a-f]+: [a-z_0-9]+\( / {
      split($0, a, ":"); if (a[1] != tid) next
      r = $2; sub(/\(.*/, "", r); c[v, r]++; t[v]++; names[r] = 1 }
    END {
      for (r in names) {
        x = c[2, r] / k[2] - c[1, r] / k[1]
        printf "%-28s | %8.2f | %10.2f | %+.2f\n", r, c[1, r] / k[1], c[2, r] / k[2], x
      }
      printf "%-28s | %8.2f | %10.2f | %+.2f\n", "(all)", t[1] / k[1], t[2] / k[2], t[2] / k[2] - t[1] / k[1]
    }' "$NR_DIR/server.trace" | sort -t'|' -k4 -g -r
  echo
  echo "   the netreclaim add's own requests, in order (one add):"
  awk '/nrbench-mark begin netreclaim/ { split($0, a, ":"); tid = a[1]; n++; on = (n == 2); next }
       /nrbench-mark end/ { on = 0 } on && /^[0-9a-f]+: [a-z_0-9]+\( / { split($0, a, ":"); if (a[1] == tid) print "   " substr($0, 1, 150) }' \
    "$NR_DIR/server.trace" | grep -v 'get_directory\|create_file\|get_handle_fd\|open_directory\|close_handle\|DBWIN' || true
  echo "   (file requests and close_handle, mostly the model's own call, and the marks' DBWIN_BUFFER probe left out)"
  echo "== load average at end: $(cat /proc/loadavg)"
  echo "server calls: done"
  exit 0
fi

if [ "$quick" != --add-only ]; then
  nr_note "cost of each step of a name query under this Wine (us, averaged)"
  timeout -k 5 120 wine "$run_bin/nrbench.exe" --n 0 </dev/null 2>>"$NR_DIR/wine.err" | tr -d '\r' \
    || nr_die "nrbench --n 0 failed"
fi

results=()
mems=()
profiles=()
adds=()
firsts=()
for n in $sizes; do
  nr_note "N=$n: ${reps[$n]} cancel repetitions, $add_reps add pairs, $first_pairs first-add child pairs" \
    "(cold and warm), ${holders[$n]} holders"
  rc=0
  out=$(timeout -k 5 "$bench_timeout" wine "$run_bin/nrbench.exe" --n "$n" --reps "${reps[$n]}" --k "$k" \
          --holders "${holders[$n]}" --timeout-s 300 --add-reps "$add_reps" \
          --first-pairs "$first_pairs" --resamples "$resamples" \
          </dev/null 2>"$NR_DIR/wine.err" | tr -d '\r'
        exit "${PIPESTATUS[0]}") || rc=$?
  if [ "$rc" != 0 ] || ! grep -q '^ADD' <<<"$out" ||
     { [ "${reps[$n]}" != 0 ] && ! grep -q '^RESULT' <<<"$out"; }; then
    echo "$out"
    tail -20 "$NR_DIR/wine.err" >&2
    nr_die "nrbench failed at N=$n (exit $rc)"
  fi
  grep -v '^RESULT\|^MEM\|^PROFILE\|^ADD\|^FIRST' <<<"$out" || true
  if [ "${reps[$n]}" != 0 ]; then
    profiles+=("$(grep '^PROFILE' <<<"$out")")
    results+=("$(grep '^RESULT' <<<"$out")")
    mems+=("$(grep '^MEM' <<<"$out" | sed "s/^MEM/MEM n=$n/")")
  fi
  adds+=("$(grep '^ADD' <<<"$out")")
  while IFS= read -r l; do firsts+=("$l"); done < <(grep '^FIRST' <<<"$out")
done

# The add path: the tables from the ADD and FIRST lines.
add_tables() {
  echo
  echo "== Wine: add path without conflict (NPAddConnection3 Q: -> \\srv\share), steady state, us"
  echo "   stock = the model (nrmodel.dll) alone; diff = median of the per-repetition differences"
  echo "   netreclaim - stock, order alternating each repetition; [95% CI] percentile bootstrap,"
  echo "   $resamples resamples, fixed seed; diff % = diff / stock median; extra stock calls = the model's"
  echo "   entry calls (its call log) per netreclaim add minus per stock add"
  printf '%s\n' "${adds[@]}" | awk '
    function v(key,   i, kv) { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == key) return kv[2] } return "" }
    BEGIN { printf "%-7s | %-5s | %-15s | %-19s | %-28s | %-24s | %s\n", "N", "reps", "stock median us",
              "netreclaim median us", "diff median us [95% CI]", "diff % [95% CI]", "extra stock calls per add" }
    { printf "%-7s | %-5s | %15.1f | %20.1f | %8.1f [%7.1f, %7.1f] | %+6.2f%% [%+6.2f, %+6.2f] | %.3f (%s)\n",
        v("n"), v("reps"), v("stock_med"), v("netreclaim_med"), v("diff"), v("diff_lo"), v("diff_hi"),
        v("diff_pct"), v("diff_pct_lo"), v("diff_pct_hi"), v("extra_calls_per_add"), v("extra_calls") }'
  echo
  echo "   the same, as the difference of the two medians (pairs resampled together), and the spread:"
  printf '%s\n' "${adds[@]}" | awk '
    function v(key,   i, kv) { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == key) return kv[2] } return "" }
    { printf "   N=%-7s med(nr)-med(stock) %7.1f us [%7.1f, %7.1f] = %+6.2f%% [%+6.2f, %+6.2f];" \
             " p95 stock %.1f / netreclaim %.1f us; model calls per add: stock %s, netreclaim %s\n",
        v("n"), v("dmed"), v("dmed_lo"), v("dmed_hi"), v("dmed_pct"), v("dmed_pct_lo"), v("dmed_pct_hi"),
        v("stock_p95"), v("netreclaim_p95"), v("stock_calls"), v("netreclaim_calls") }'
  echo
  echo "== Wine: a process's first NP call (fresh child: load the DLL, then one add), us"
  echo "   cold = no process of the session holds the ledger (each netreclaim child creates it and"
  echo "   rebuilds it from the stock enumeration); warm = the driver holds it (the child opens it)."
  echo "   Times are the add alone; the DLL load is shown apart."
  printf '%s\n' "${firsts[@]}" | awk '
    function v(key,   i, kv) { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == key) return kv[2] } return "" }
    BEGIN { printf "%-7s %-5s | %-5s | %-15s | %-20s | %-28s | %-24s | %-19s | %s\n", "N", "ledger", "pairs",
              "stock median us", "netreclaim median us", "diff median us [95% CI]", "diff % [95% CI]",
              "load us stock/nr", "extra stock calls per first add" }
    { printf "%-7s %-6s| %-5s | %15.1f | %20.1f | %8.1f [%7.1f, %7.1f] | %+6.1f%% [%+6.1f, %+6.1f] | %8.1f / %8.1f | %.3f (%s)\n",
        v("n"), v("session"), v("reps"), v("stock_med"), v("netreclaim_med"), v("diff"), v("diff_lo"),
        v("diff_hi"), v("diff_pct"), v("diff_pct_lo"), v("diff_pct_hi"), v("load_stock_med"),
        v("load_netreclaim_med"), v("extra_calls_per_add"), v("extra_calls") }'
}

if [ "$quick" = --add-only ]; then
  add_tables
  echo
  echo "== load average at end: $(cat /proc/loadavg)"
  printf '%s\n' "${adds[@]}" | awk '
    function v(key,   i, kv) { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == key) return kv[2] } return "" }
    { if (NR == 1 || v("diff_pct") > worst) { worst = v("diff_pct"); at = v("n"); hi = v("diff_pct_hi") } }
    END { printf "add path: worst median difference at N=%s: %+.2f%% of stock (95%% CI upper %+.2f%%)\n", at, worst, hi }'
  exit 0
fi

echo
echo "== Wine end to end: cancel of Q: (forced), k=$k handles under the share, ms"
printf '%s\n' "${results[@]}" | awk '
  function v(key,   i, kv) { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == key) return kv[2] } return "" }
  BEGIN { printf "%-7s %-7s %-6s %-5s | %-17s | %-17s | %-9s | %-17s | %-17s | %-6s | %-6s\n",
            "N", "handles", "files", "reps", "stock med/p95", "netreclaim med/p95", "overhead",
            "floor med/p95", "naive med/p95", "R", "naive/ovh" }
  { ovh = v("netreclaim_med") - v("stock_med"); fl = v("floor_med");
    r = fl > 0 ? ovh / fl : 0; sp = ovh > 0 ? v("naive_med") / ovh : 0;
    printf "%-7s %-7s %-6s %-5s | %7.2f / %7.2f | %7.2f / %7.2f | %9.2f | %7.2f / %7.2f | %7.1f / %7.1f | %6.2f | %6.1f%s\n",
      v("n"), v("handles"), v("files"), v("reps"), v("stock_med"), v("stock_p95"),
      v("netreclaim_med"), v("netreclaim_p95"), ovh, fl, v("floor_p95"), v("naive_med"), v("naive_p95"),
      r, sp, v("wrong_outcomes") == 0 ? "" : "  (" v("wrong_outcomes") " wrong outcomes)" }'
add_tables
echo
echo "== Wine: where netreclaim's cancel goes: the planner alone with the real seam (no close), ms per cancel"
printf '%s\n' "${profiles[@]}" | sed 's/^PROFILE //'
printf '%s\n' "${results[@]}" | awk '
  function v(key,   i, kv) { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == key) return kv[2] } return "" }
  { printf "n=%s plan med/p95 %.2f / %.2f ms of a netreclaim-stock overhead of %.2f ms\n", v("n"),
      v("plan_med"), v("plan_p95"), v("netreclaim_med") - v("stock_med") }'
# Where the rest of the cancel goes: the provider's own step lines (trace.c,
# Trace=1), read off the debug channel for one more run at N=1k. Tracing
# adds one OutputDebugString a step (tens of us under Wine) to each.
if [ "$quick" = "" ] && [ "${reps[1000]:-0}" != 0 ]; then
  nr_wine reg add 'HKLM\SOFTWARE\NetReclaim' /v Trace /t REG_DWORD /d 1 /f >/dev/null
  rc=0
  WINEDEBUG=warn+seh timeout -k 5 "$bench_timeout" wine "$run_bin/nrbench.exe" --n 1000 \
    --reps "${reps[1000]}" --k "$k" --holders "${holders[1000]}" --timeout-s 300 --add-reps 0 \
    --first-pairs 0 --resamples 10 </dev/null >/dev/null 2>"$NR_DIR/steps.trace" || rc=$?
  nr_wine reg delete 'HKLM\SOFTWARE\NetReclaim' /v Trace /f >/dev/null
  [ "$rc" = 0 ] || nr_die "nrbench with the trace failed (exit $rc)"
  echo
  echo "== Wine: netreclaim's forced cancel of Q: step by step (trace step lines, N=1k, ${reps[1000]} cancels), us"
  echo "   each step's time = its mark minus the previous one's (the first: since the entry began)"
  sed -nE 's/^([0-9a-f]+):warn:seh:OutputDebugStringA "netreclaim: (NPCancelConnection2?\(|step (.*) at ([0-9]+) us")/\1 \3|\4/p' \
    "$NR_DIR/steps.trace" | awk -F'|' '
      # A cancel entry line starts a cancel on its thread; its steps follow.
      function median(list,   n, a, i, j, t) { n = split(list, a, " ");
        for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
        return n ? a[int((n + 1) / 2)] : 0 }
      { split($1, h, " "); tid = h[1]; step = substr($1, length(tid) + 2) }
      step == "" { prev[tid] = 0; on[tid] = 1; next }
      on[tid] { d = $2 - prev[tid]; prev[tid] = $2;
                if (!(step in seen)) { seen[step] = ++n; order[n] = step }
                times[step] = times[step] " " d; total[step] += d; count[step]++ }
      step == "idle cancels" { on[tid] = 0 }
      END { printf "   %-28s | %10s | %10s | %s\n", "step", "median us", "mean us", "cancels";
            for (i = 1; i <= n; i++) { s = order[i];
              printf "   %-28s | %10d | %10.0f | %d\n", s, median(times[s]), total[s] / count[s], count[s] } }'
fi
echo
echo "== Wine: memory of the cancelling process (one add + one cancel in a fresh process), KiB"
printf '%s\n' "${mems[@]}" | awk '
  function v(key,   i, kv) { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == key) return kv[2] } return "" }
  BEGIN { printf "%-7s %-11s | %-28s | %-30s\n", "N", "variant", "peak WS before/after cancel",
            "peak private before/after cancel" }
  { printf "%-7s %-11s | %10d / %10d (+%d) | %10d / %10d (+%d)\n", v("n"), $3,
      v("peak_ws_before") / 1024, v("peak_ws_after") / 1024,
      (v("peak_ws_after") - v("peak_ws_before")) / 1024, v("peak_private_before") / 1024,
      v("peak_private_after") / 1024, (v("peak_private_after") - v("peak_private_before")) / 1024 }'
echo
echo "== load average at end: $(cat /proc/loadavg)"
printf '%s\n' "${results[@]}" | awk '
  function v(key,   i, kv) { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == key) return kv[2] } return "" }
  { fl = v("floor_med"); r = fl > 0 ? (v("netreclaim_med") - v("stock_med")) / fl : 0;
    if (NR == 1 || r > worst) { worst = r; at = v("n") } }
  END { printf "worst cancel ratio R (netreclaim-stock)/floor at N=%s: %.2f\n", at, worst }'
