#!/usr/bin/env bash
# The README demo: KB Q245006 under Wine, step by step, first with the model
# LanmanWorkstation provider alone, then with netreclaim in front of it, then
# the artifacts. Prints what really happens (nothing here is canned). Uses
# fresh prefixes under <builddir>/wine and stops only their own wineservers.
# Usage: demo.sh <builddir>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
build=$(cd "${1:?usage: demo.sh <builddir>}" && pwd)
work=$build/wine
bin=$build/win-x86_64/bin

step() { echo; echo "--- $*"; }
show() { sed 's/^/    /'; }
# The WNet call and its result, without the test client's extra fields.
tidy() { sed 's/ password=[a-z]*//; s/ provider=null//; s/ flags=0x0//; s/ last=[0-9]*//'; }
call() { nr_wnet "$@" | tidy | show; }
result() { nr_wnet "$@" | sed -n 's/.* -> \([0-9]* [A-Z_]*\).*/\1/p'; }

# run_demo <mode>: the Q245006 sequence, printed. Sets bob_result.
run_demo() {
  local mode=$1 out
  nr_prefix "$work" "demo-$mode"
  nr_install "$bin" "$mode"
  nr_share fileserver projects
  step "alice maps P: to \\\\fileserver\\projects (net use P: \\\\fileserver\\projects /user:alice)"
  call add '\\fileserver\projects' --local P: --user alice --password secret
  step "another program (think Explorer, an indexer, an antivirus) opens a file on the share"
  nr_hold app '\\fileserver\projects\f.txt' >/dev/null
  echo "    holder.exe (pid $(sed -n 's/^READY //p' <<<"${NR_HOLD_LOG[app]}")) holds \\\\fileserver\\projects\\f.txt open"
  step "alice disconnects P: (net use P: /delete): refused while files are open, then forced"
  call cancel P:
  out=$(WINEDEBUG=+eventlog nr_wnet cancel P: --force)
  tidy <<<"$out" | show
  if [ "$mode" = netreclaim ]; then
    step "what netreclaim wrote to the Application Event Log (source NetReclaim) at that moment"
    nr_eventlog | sed -E 's/^== record ([0-9]+)$/Event ID \1:/' | show
  fi
  step "bob maps P: to the same server (net use P: \\\\fileserver\\projects /user:bob)"
  bob_result=$(result add '\\fileserver\projects' --local P: --user bob --password secret)
  echo "    WNetAddConnection2W remote=\\\\fileserver\\projects local=P: user=bob -> $bob_result"
  step "meanwhile the other program still runs; its handle on the share is now:"
  nr_hold_check app >/dev/null
  grep '^handle' <<<"$NR_HOLD_REPLY" | sed 's/invalid 6$/closed (ERROR_INVALID_HANDLE)/; s/valid$/open/' | show
  if [ "$mode" = model ]; then
    step "today's workaround: find and end that program, then bob tries again"
    nr_hold_end app >/dev/null
    call add '\\fileserver\projects' --local P: --user bob --password secret
  else
    nr_hold_end app >/dev/null
  fi
  trap - EXIT
  nr_drop_prefix
}

echo "== KB Q245006 under Wine, without netreclaim (ProviderOrder = LanmanWorkstation)"
echo "   The stock provider is nrmodel.dll, a model of ntlanman.dll with the Q245006 behaviour:"
echo "   a forced disconnect leaves the open file, and with it alice's session to the server."
run_demo model
without=$bob_result

echo
echo "== The same with netreclaim in front (ProviderOrder = NetReclaim, then the same model)"
if [ -f "$bin/netreclaim.dll" ]; then
  echo "   netreclaim forwards every call; after the stock provider reports the disconnect done,"
  echo "   it closes the handles left open under \\\\fileserver\\projects in alice's logon session."
  run_demo netreclaim
  with=$bob_result
else
  echo "   netreclaim.dll is not built ($bin/netreclaim.dll missing): skipped."
  with="not run"
fi

echo
echo "== Result: bob's first net use without netreclaim: $without; with netreclaim: $with"

echo
echo "== Artifacts"
for f in "$build"/win-x86_64/bin/netreclaim.dll "$build"/win-i686/bin/netreclaim.dll \
         "$build"/win-x86_64/bin/netreclaim.exe "$build"/win-i686/bin/netreclaim.exe \
         "$build"/*.msi; do
  [ -f "$f" ] || continue
  printf '   %-44s %9d bytes\n' "build/${f#$build/}" "$(stat -c %s "$f")"
done
ls "$build"/*.msi >/dev/null 2>&1 || echo "   (no MSI: wixl was not found when building)"
