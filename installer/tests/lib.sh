# Helpers for the installer's Wine tests, over the scenario harness
# (tests/wine/lib.sh: fresh prefix from the template, own wineserver, bounded
# wine calls). Source it; needs bash, set -euo pipefail.
. "$(dirname "${BASH_SOURCE[0]}")/../../tests/wine/lib.sh"

NRI_ORDER="RDPNP,LanmanWorkstation,webclient"
NRI_ORDER_KEY='HKLM\System\CurrentControlSet\Control\NetworkProvider\Order'
NRI_HWORDER_KEY='HKLM\System\CurrentControlSet\Control\NetworkProvider\HwOrder'
NRI_STOCK_KEY='HKLM\System\CurrentControlSet\Services\LanmanWorkstation\NetworkProvider'
NRI_SERVICE_KEY='HKLM\System\CurrentControlSet\Services\NetReclaim'
NRI_PROVIDER_KEY="$NRI_SERVICE_KEY\\NetworkProvider"

# nri_setup <work> <name> <x86_64 bin> <i686 bin>: fresh prefix, the model
# provider as LanmanWorkstation, both orders "RDPNP,LanmanWorkstation,webclient".
nri_setup() {
  nr_prefix "$1" "$2"
  NRI_BIN64=$3
  NRI_BIN32=$4
  nr_install "$NRI_BIN64" model
  nri_reg add "$NRI_ORDER_KEY" /v ProviderOrder /t REG_SZ /d "$NRI_ORDER" /f
  nri_reg add "$NRI_HWORDER_KEY" /v ProviderOrder /t REG_SZ /d "$NRI_ORDER" /f
}

# nri_reg <reg.exe args>: quiet; fails the test when reg.exe fails.
nri_reg() {
  nr_wine reg "$@" >/dev/null || nr_die "reg $* failed: $(cat "$NR_DIR/wine.err")"
}

# nri_cli <args>: runs netreclaim.exe (x86_64); NRI_OUT (its stdout, then
# its "error:" lines from stderr, where Wine's own noise goes too), NRI_RC.
nri_cli() {
  NRI_RC=0
  NRI_OUT=$(nr_wine "$NRI_BIN64/netreclaim.exe" "$@") || NRI_RC=$?
  NRI_OUT+=$'\n'$(tr -d '\r' <"$NR_DIR/wine.err" | grep -a '^error: ' || true)
  printf '$ netreclaim %s\n%s\n(exit %s)\n' "$*" "$NRI_OUT" "$NRI_RC"
}

# nri_install_cli: install with both DLLs from the build.
nri_install_cli() {
  nri_cli install --dll "Z:$NRI_BIN64/netreclaim.dll" --dll32 "Z:$NRI_BIN32/netreclaim.dll" "$@"
}

# nri_rc <expected>: the last nri_cli exit code.
nri_rc() {
  [ "$NRI_RC" = "$1" ] || nr_die "expected exit $1, got $NRI_RC"
}

# nri_out <pattern>: the last nri_cli output matches (grep -E).
nri_out() {
  grep -Eq -- "$1" <<<"$NRI_OUT" || nr_die "expected /$1/ in the output above"
}

# nri_snapshot <name> [key...]: the keys (default: HKLM\System and HKLM\Software)
# as reg export writes them, one file each, $NR_DIR/<name>.<part>.reg, <part> the key
# below HKLM in lower case with "-" for "\" (system, software, software-netreclaim);
# <name>.parts lists them for nri_same. A key that does not exist is recorded as
# absent, so its appearing is a difference too. A failure says how reg.exe ended
# (124: the NR_TIMEOUT bound) and what Wine printed, so a failure under load can be
# told from a real one. A whole HKLM\Software is 10,000 keys and 5 MB (8,000 of them
# Classes, COM's): 5 to 60 s for one reg export on a loaded machine, where a narrow
# key takes about one second.
nri_snapshot() {
  local f=$NR_DIR/$1 key part rc out
  local -a keys=("${@:2}")
  [ "${#keys[@]}" -gt 0 ] || keys=('HKLM\System' 'HKLM\Software')
  : >"$f.parts"
  for key in "${keys[@]}"; do
    part=${key#HKLM\\}
    part=${part,,}
    part=${part//\\/-}
    echo "$part" >>"$f.parts"
    rc=0
    out=$(nr_wine reg export "$key" "Z:$f.$part.reg" /y) || rc=$?
    if [ "$rc" = 1 ] && grep -q 'Unable to find the specified registry key' <<<"$out"; then
      echo "absent: $key" >"$f.$part.reg"
      continue
    fi
    [ "$rc" = 0 ] || nr_die "reg export $key for $1 failed (exit $rc after at most ${NR_TIMEOUT} s): $out $(tail -5 "$NR_DIR/wine.err")"
  done
}

# A reg export as UTF-8 text, without CRs (an "absent" record passes as is).
nri_reg_text() {
  case $(head -c 7 "$1" | tr -d '\0') in
    absent:) cat "$1" ;;
    *) iconv -f UTF-16LE -t UTF-8 "$1" | tr -d '\r' ;;
  esac
}

# nri_same <a> <b>: two snapshots of the same keys are byte-identical.
nri_same() {
  local part
  cmp -s "$NR_DIR/$1.parts" "$NR_DIR/$2.parts" || nr_die "snapshots $1 and $2 are of different keys"
  while read -r part; do
    cmp -s "$NR_DIR/$1.$part.reg" "$NR_DIR/$2.$part.reg" || {
      # reg export writes UTF-16: compared as text, the keys that differ show.
      diff <(nri_reg_text "$NR_DIR/$1.$part.reg") <(nri_reg_text "$NR_DIR/$2.$part.reg") |
        head -n 60 >&2 || true
      nr_die "HKLM\\$part differs between $1 and $2"
    }
  done <"$NR_DIR/$1.parts"
  echo "== registry identical: $1 = $2 ($(paste -sd' ' "$NR_DIR/$1.parts"))"
}

# nri_value <key> <name> -> "<type> <data>" as reg query prints it, or nothing.
nri_value() {
  nr_wine reg query "$1" /v "$2" 2>/dev/null | sed -nE "s/^ +$2 +(REG_[A-Z_]+) +/\\1 /p" || true
}

# nri_mup_registered: Group and DeviceName as install writes them (DeviceName
# the stock provider's, type and text).
nri_mup_registered() {
  local stock ours
  [ "$(nri_value "$NRI_SERVICE_KEY" Group)" = "REG_SZ NetworkProvider" ] \
    || nr_die "Group is not NetworkProvider: $(nri_value "$NRI_SERVICE_KEY" Group)"
  stock=$(nri_value "$NRI_STOCK_KEY" DeviceName)
  ours=$(nri_value "$NRI_PROVIDER_KEY" DeviceName)
  [ -n "$stock" ] && [ "$ours" = "$stock" ] || nr_die "DeviceName \"$ours\" is not the stock's \"$stock\""
  echo "== Group and DeviceName registered: $ours"
}

# nri_order <key> -> the ProviderOrder value as reg query prints it.
nri_order() {
  nr_wine reg query "$1" /v ProviderOrder | sed -n 's/.*ProviderOrder *REG_[A-Z_]* *//p'
}

# nri_json <expected exit> <args>: the --json output parses, has the command and exit code.
nri_json() {
  local want=$1
  shift
  nri_cli "$@" --json
  printf '%s' "$NRI_OUT" >"$NR_DIR/out.json"
  "${NR_CMAKE:-cmake}" -DJSON_FILE="$NR_DIR/out.json" -DWANT_COMMAND="$1" -DWANT_EXIT="$want" \
    -P "$(dirname "${BASH_SOURCE[0]}")/json_check.cmake" || nr_die "bad JSON from $*"
}

# nri_msi_prepare: Wine's schtasks.exe supports neither /RU nor /SC, so a
# stand-in (fake_schtasks.exe, native override) takes its place: it logs
# each command line to C:\nr-schtasks.log (NRI_SCHTASKS_LOG), keeps the task
# as the file NRI_TASK, and refuses a command holding the word in
# NRI_SCHTASKS_FAIL when that file exists (nri_schtasks_fail).
nri_msi_prepare() {
  cp "$NRI_BIN64/fake_schtasks.exe" "$WINEPREFIX/drive_c/windows/system32/schtasks.exe"
  export WINEDLLOVERRIDES="$WINEDLLOVERRIDES;schtasks.exe=n"
  NRI_SCHTASKS_LOG=$WINEPREFIX/drive_c/nr-schtasks.log
  NRI_TASK=$WINEPREFIX/drive_c/nr-schtasks.task
  NRI_SCHTASKS_FAIL=$WINEPREFIX/drive_c/nr-schtasks.fail
  rm -f "$NRI_SCHTASKS_LOG" "$NRI_TASK" "$NRI_SCHTASKS_FAIL"
}

# nri_schtasks_fail [word]: schtasks refuses every command holding word
# ("/Create", "/Delete"); without one, it refuses nothing again.
nri_schtasks_fail() {
  if [ -n "${1:-}" ]; then printf '%s' "$1" >"$NRI_SCHTASKS_FAIL"; else rm -f "$NRI_SCHTASKS_FAIL"; fi
}

# The MSI's files, where it puts them.
nri_msi_files() {
  local c=$WINEPREFIX/drive_c
  NRI_FILES=("$c/windows/system32/netreclaim.dll" "$c/windows/syswow64/netreclaim.dll"
             "$c/Program Files/NetReclaim/netreclaim.exe" "$c/windows/PolicyDefinitions/netreclaim.admx"
             "$c/windows/PolicyDefinitions/en-US/netreclaim.adml"
             "$c/Program Files/NetReclaim/README.md" "$c/Program Files/NetReclaim/docs/security.md"
             "$c/Program Files/NetReclaim/docs/events.md")
}

# nri_msi_version <msi>: the version in the MSI's file name.
nri_msi_version() {
  basename "$1" | sed 's/netreclaim-\(.*\)-x64.msi/\1/'
}

# nri_version_is <version>: HKLM\Software\NetReclaim\Version, which registry
# detection rules read, names that version.
nri_version_is() {
  local v
  v=$(nri_value 'HKLM\Software\NetReclaim' Version)
  [ "$v" = "REG_SZ $1" ] || nr_die "HKLM\Software\NetReclaim\Version is \"$v\", not \"REG_SZ $1\""
}

# nri_uninstall_entry <value>: that value of NetReclaim's Add/Remove Programs
# entry as "<type> <data>", or nothing.
nri_uninstall_entry() {
  nr_wine reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall' /s | tr -d '\r' |
    awk -v v="$1" '/^HKEY/ { if (ours) print hit; ours = 0; hit = ""; next }
      $1 == "DisplayName" && / REG_SZ +NetReclaim$/ { ours = 1 }
      $1 == v { hit = $0; sub(/^ *[^ ]+ +/, "", hit); sub(/ +/, " ", hit) }
      END { if (ours) print hit }'
}

# Everything netreclaim changes in HKLM: both orders, its keys, its record.
NRI_OUR_KEYS=('HKLM\System\CurrentControlSet\Control\NetworkProvider'
              "$NRI_SERVICE_KEY"
              'HKLM\System\CurrentControlSet\Services\EventLog\Application\NetReclaim'
              'HKLM\Software\NetReclaim')

# nri_state <name>: what a failed msiexec must leave as it found: our keys
# (nri_snapshot, byte for byte), each MSI file (its sha256, "absent" or
# "folder") and the boot task (the stand-in's record of it, or "no task"),
# in $NR_DIR/<name>.*; nri_same_state compares two.
nri_state() {
  local f
  nri_snapshot "$1" "${NRI_OUR_KEYS[@]}"
  for f in "${NRI_FILES[@]}"; do
    if [ -d "$f" ]; then echo "folder  $f"; elif [ -e "$f" ]; then sha256sum "$f"; else echo "absent  $f"; fi
  done >"$NR_DIR/$1.files"
  if [ -e "$NRI_TASK" ]; then tr -d '\r' <"$NRI_TASK"; else echo "no task"; fi >"$NR_DIR/$1.task"
}

nri_same_state() {
  nri_same "$1" "$2"
  diff "$NR_DIR/$1.files" "$NR_DIR/$2.files" >&2 || nr_die "the files differ between $1 and $2"
  diff "$NR_DIR/$1.task" "$NR_DIR/$2.task" >&2 || nr_die "the boot task differs between $1 and $2"
  echo "== files and boot task identical: $1 = $2"
}

# nri_versions: the DisplayVersion of every NetReclaim product Windows Installer lists.
nri_versions() {
  nr_wine reg query 'HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall' /s |
    awk '/DisplayName +REG_SZ +NetReclaim$/ { n = 1; next } n && /DisplayVersion/ { print $3; n = 0 }' |
    sort | tr '\n' ' '
}

# nri_msi_fails <log name> <msiexec args>: msiexec must fail (a step was made to).
nri_msi_fails() {
  nri_msiexec "$@"
  [ "$NRI_MSI_RC" != 0 ] || nr_die "msiexec $2 succeeded although a step was made to fail"
  echo "== msiexec $2 failed as it should (exit $NRI_MSI_RC); actions: $(nri_msi_actions "$1" | grep '^Nr' | paste -sd' ' || true)"
}

# nri_msiexec <log name> <msiexec args>: quiet, logged to $NR_DIR/<log name>.log;
# NRI_MSI_RC is its exit code.
nri_msiexec() {
  local log=$NR_DIR/$1.log
  shift
  NRI_MSI_RC=0
  timeout -k 5 300 wine "$(nr_wine_path msiexec)" "$@" /qn /l*v "Z:$log" >/dev/null \
    2>"$NR_DIR/wine.err" || NRI_MSI_RC=$?
  nr_ran "$NRI_MSI_RC" "$NR_DIR/wine.err" msiexec "$@"
}

# nri_msiexec_ok <log name> <msiexec args>: must exit 0.
nri_msiexec_ok() {
  nri_msiexec "$@"
  [ "$NRI_MSI_RC" = 0 ] || { tail -40 "$NR_DIR/$1.log" >&2; nr_die "msiexec $2 exited with $NRI_MSI_RC"; }
}

# nri_msi_actions <log name>: the actions the log shows started, in order, one a line.
nri_msi_actions() {
  tr -d '\r' <"$NR_DIR/$1.log" | sed -n 's/^Action start [0-9:]*: \(.*\)\.$/\1/p'
}

# The exports as text, without the keys others write for themselves: Wine's
# display driver status (msiexec loads user32) and Windows Installer's own
# bookkeeping keys. Whole sections go, header to blank line.
export NRI_SKIP='^\[HKEY_LOCAL_MACHINE\\System\\CurrentControlSet\\Control\\Video\\|^\[HKEY_LOCAL_MACHINE\\Software\\(Classes|Microsoft\\Windows\\CurrentVersion)\\Installer[]\\]'
nri_clean_reg() {
  nri_reg_text "$1" | awk '/^\[/ { drop = ($0 ~ ENVIRON["NRI_SKIP"]) } !drop && NF'
}

# nri_same_but_msi <a> <b>: two snapshots are the same but for those keys.
nri_same_but_msi() {
  local part
  for part in system software; do
    diff <(nri_clean_reg "$NR_DIR/$1.$part.reg") <(nri_clean_reg "$NR_DIR/$2.$part.reg") \
      || nr_die "HKLM\\$part differs between $1 and $2"
  done
  echo "== registry the same (but Windows Installer's own keys): $1 = $2"
}
