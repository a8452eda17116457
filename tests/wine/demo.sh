#!/usr/bin/env bash
# The README demo: KB Q245006 under Wine, step by step, first with the model
# LanmanWorkstation provider alone, then with netreclaim in front of it.
# Prints what really happens. Uses fresh prefixes under <builddir>/wine and
# stops only their own wineservers.
# Usage: demo.sh <builddir>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
build=$(cd "${1:?usage: demo.sh <builddir>}" && pwd)
work=$build/wine
bin=$build/win-x86_64/bin

step() { echo; echo "--- $*"; }
show() { sed 's/^/    /'; }

# run_demo <mode>: the Q245006 sequence, printed.
run_demo() {
  local mode=$1
  nr_prefix "$work" "demo-$mode"
  nr_install "$bin" "$mode"
  nr_share fileserver projects
  step "alice maps P: to \\\\fileserver\\projects"
  nr_wnet add '\\fileserver\projects' --local P: --user alice --password secret | show
  step "another program (think Explorer or an indexer) opens P:'s file, via \\\\fileserver\\projects\\f.txt"
  nr_holder_start '\\fileserver\projects\f.txt' >/dev/null
  grep '^open' <<<"$NR_HOLDER_LOG" | show
  step "alice disconnects P: (net use P: /delete): without force, then with force"
  nr_wnet cancel P: | show
  nr_wnet cancel P: --force | show
  step "bob maps P: to the same server"
  nr_wnet add '\\fileserver\projects' --local P: --user bob --password secret | show
  step "the other program ends"
  nr_holder_stop >/dev/null
  grep '^handle' <<<"$NR_HOLDER_LOG" | show
  step "bob tries again"
  nr_wnet add '\\fileserver\projects' --local P: --user bob --password secret | show
  timeout -k 5 30 wineserver -k || true
  trap - EXIT
}

echo "== KB Q245006 under Wine, without netreclaim (ProviderOrder = LanmanWorkstation)"
echo "   Stock provider: nrmodel.dll, a model of ntlanman.dll with the Q245006 behaviour."
run_demo model

echo
echo "== The same with netreclaim in front (ProviderOrder = NetReclaim)"
if [ -f "$bin/netreclaim.dll" ]; then
  run_demo netreclaim
  echo
  echo "   (bob's first add above shows what netreclaim does today: 1219 means the"
  echo "    reclaim did not happen, NO_ERROR means the stale session was cleared.)"
else
  echo "   netreclaim.dll is not built ($bin/netreclaim.dll missing): skipped."
fi

echo
echo "== Artifacts"
for f in "$build"/win-x86_64/bin/* "$build"/win-i686/bin/*; do
  [ -f "$f" ] || continue
  case $f in *.dll|*.exe|*.msi) printf '   %-60s %8d bytes\n' "${f#$build/}" "$(stat -c %s "$f")" ;; esac
done
find "$build" -maxdepth 3 -name '*.msi' -printf '   %P\n' 2>/dev/null || true
