#!/usr/bin/env bash
# README.md's "A real run" sample, from a real run of this build under Wine
# (the model provider as LanmanWorkstation), paths normalised. Without
# --write it fails when README.md differs from the run (ctest
# installer_readme_sample); with --write it puts the run into README.md.
# Usage: readme_sample.sh <work dir> <x86_64 bin> <i686 bin> [--write]
set -euo pipefail
. "$(dirname "$0")/lib.sh"
README=$(cd "$(dirname "$0")/../.." && pwd)/README.md
BEGIN='<!-- installer/tests/readme_sample.sh: begin -->'
END='<!-- installer/tests/readme_sample.sh: end -->'
nri_setup "$1" readme_sample "$2" "$3"

# The build's paths and this prefix's stand as "...".
normalise() {
  local bin64=$NRI_BIN64 bin32=$NRI_BIN32
  # The program's own path (install records it) comes with backslashes.
  local win64=${bin64//\//\\\\}
  sed -e "s#Z:$bin64#Z:/.../win-x86_64/bin#g" -e "s#Z:$bin32#Z:/.../win-i686/bin#g" \
    -e "s#Z:$win64#Z:\\\\...\\\\win-x86_64\\\\bin#g" \
    -e 's#\\??\\Z:\\[^ "]*\\dosdevices\\unc#\\??\\Z:\\...\\dosdevices\\unc#g'
}
run() { nri_cli "$@" | normalise; }
say() { printf '$ %s\n' "$*"; }

{
  echo '```'
  run install --dll "Z:$NRI_BIN64/netreclaim.dll" --dll32 "Z:$NRI_BIN32/netreclaim.dll"
  run status
  run doctor
  say "reg delete HKLM\\SYSTEM\\CurrentControlSet\\Services\\NetReclaim /f    (what KB 4013822 describes)"
  nri_reg delete "$NRI_SERVICE_KEY" /f
  run doctor
  run doctor --fix
  say "del C:\\windows\\syswow64\\netreclaim.dll"
  say "reg delete HKLM\\SYSTEM\\CurrentControlSet\\Services\\NetReclaim /f"
  rm "$WINEPREFIX/drive_c/windows/syswow64/netreclaim.dll"
  nri_reg delete "$NRI_SERVICE_KEY" /f
  run doctor --fix
  echo '```'
} | sed 's/[[:space:]]*$//' | grep -v '^$' >"$NR_DIR/sample.md"

current() { awk -v b="$BEGIN" -v e="$END" '$0 == e { p = 0 } p; $0 == b { p = 1 }' "$README"; }
grep -qxF "$BEGIN" "$README" && grep -qxF "$END" "$README" || nr_die "README.md lacks the sample's markers"
if [ "${4:-}" = --write ]; then
  awk -v b="$BEGIN" -v e="$END" -v f="$NR_DIR/sample.md" '
    $0 == b { print; while ((getline l < f) > 0) print l; skip = 1; next }
    $0 == e { skip = 0 } !skip' "$README" >"$NR_DIR/README.new"
  cp "$NR_DIR/README.new" "$README"
  echo "README.md sample rewritten"
elif ! diff -u <(current) "$NR_DIR/sample.md"; then
  nr_die "README.md's sample differs from this build's run (above); run: bash installer/tests/readme_sample.sh <work> <bin64> <bin32> --write"
fi
echo "PASS"
