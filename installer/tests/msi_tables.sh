#!/usr/bin/env bash
# The MSI's deferred steps, read from its tables (msiinfo): the order
# values change last on install, after every step that can fail, and first
# on removal, before the files go; each undo is a real rollback action
# (msidbCustomActionTypeInScript + msidbCustomActionTypeRollback) sequenced
# right before the step it undoes. The ProductCode is the one derived from
# the UpgradeCode and the version (cmake/product.cmake), and Add/Remove
# Programs and logging carry what admins expect.
# Usage: msi_tables.sh <msi>...
set -euo pipefail
fail() { echo "FAIL: $*" >&2; exit 1; }
product_cmake=$(cd "$(dirname "$0")/../../cmake" && pwd)/product.cmake

tables=$(mktemp -d)
trap 'rm -rf "$tables"' EXIT
for msi in "$@"; do
  msiinfo export "$msi" CustomAction | tr -d '\r' >"$tables/ca"
  msiinfo export "$msi" InstallExecuteSequence | tr -d '\r' >"$tables/seq"
  msiinfo export "$msi" Property | tr -d '\r' >"$tables/prop"
  prop() { awk -F'\t' -v p="$1" '$1 == p { print $2 }' "$tables/prop"; }
  seq_of() { awk -F'\t' -v a="$1" '$1 == a { print $3 }' "$tables/seq"; }
  type_of() { awk -F'\t' -v a="$1" '$1 == a { print $2 }' "$tables/ca"; }
  version=$(prop ProductVersion)
  printf 'include("%s")\nnr_product_code(%s c)\nmessage("${c}")\n' "$product_cmake" "$version" \
    >"$tables/derive.cmake"
  derived=$("${NR_CMAKE:-cmake}" -P "$tables/derive.cmake" 2>&1) || fail "cannot derive: $derived"
  [ "$(prop ProductCode)" = "$derived" ] \
    || fail "ProductCode $(prop ProductCode) of $version is not the derived $derived"
  echo "$(basename "$msi"): ProductCode $derived (version $version)"
  [ "$(prop ARPNOMODIFY)" = 1 ] || fail "ARPNOMODIFY is not 1"
  [ -n "$(prop ARPCOMMENTS)" ] || fail "no ARPCOMMENTS"
  [ "$(prop MsiLogging)" = voicewarmupx ] || fail "MsiLogging is \"$(prop MsiLogging)\""
  # The help and about links are set (base type 51) once INSTALLDIR is known.
  msiinfo export "$msi" Registry | tr -d '\r' >"$tables/reg"
  for link in ARPHELPLINK ARPURLINFOABOUT; do
    row=$(awk -F'\t' -v p="$link" '$2 % 64 == 51 && $3 == p' "$tables/ca")
    [ -n "$row" ] || fail "no action sets $link"
    a=$(cut -f1 <<<"$row")
    [ -n "$(cut -f4 <<<"$row")" ] || fail "$a sets $link to nothing"
    (( $(seq_of "$a") > $(seq_of CostFinalize) )) || fail "$a runs before CostFinalize: INSTALLDIR is not set yet"
  done
  # HKLM\SOFTWARE\NetReclaim\Version, for registry detection rules: this version.
  awk -F'\t' '$2 == 2 && $3 == "SOFTWARE\\NetReclaim" && $4 == "Version"' "$tables/reg" |
    cut -f5 | grep -qxF "$version" || fail "the Registry table does not write Version $version"
  # The deferred (or rollback) actions of ours that run when cond holds, by sequence.
  steps() {
    awk -F'\t' -v c="$1" '$1 ~ /^Nr/ && $2 == c { print $3 "\t" $1 }' "$tables/seq" | sort -n |
      while IFS=$'\t' read -r n a; do
        if (( $(type_of "$a") & 0x400 )); then echo "$n $a"; fi
      done
  }
  install_steps=$(steps 'NOT REMOVE'; steps 'NOT REMOVE AND NOT WIX_UPGRADE_DETECTED')
  install_steps=$(sort -n <<<"$install_steps")
  removal_steps=$(steps 'REMOVE="ALL" AND NOT UPGRADINGPRODUCTCODE')
  echo "$(basename "$msi"): install: $(awk '{ print $2 }' <<<"$install_steps" | paste -sd' ')"
  echo "$(basename "$msi"): removal: $(awk '{ print $2 }' <<<"$removal_steps" | paste -sd' ')"

  # Every undo is a rollback action, right before the step it undoes.
  for a in $(awk -F'\t' '$1 ~ /Rollback$/ { print $1 }' "$tables/ca"); do
    t=$(type_of "$a")
    (( (t & 0x500) == 0x500 )) || fail "$a has Type $t: not a rollback action (0x400 + 0x100)"
    step=${a%Rollback}
    [ -n "$(seq_of "$step")" ] || fail "$a undoes $step, which is not sequenced"
    next=$(sort -n <<<"$install_steps"$'\n'"$removal_steps" | awk -v a="$a" 'f { print $2; exit } $2 == a { f = 1 }')
    [ "$next" = "$step" ] || fail "$a is followed by ${next:-nothing}, not by the step it undoes ($step)"
  done

  # Install: the order values change in NrInstall, after every other step,
  # and after the files (InstallFiles).
  last=$(tail -1 <<<"$install_steps" | awk '{ print $2 }')
  [ "$last" = NrInstall ] || fail "on install, $last comes after NrInstall: the order would change before a step that can fail"
  (( $(seq_of NrInstall) > $(seq_of InstallFiles) )) || fail "NrInstall runs before InstallFiles"
  # Removal: the order values go back first, before the files go.
  first=$(awk '$2 !~ /Rollback$/ { print $2; exit }' <<<"$removal_steps")
  [ "$first" = NrUninstall ] || fail "on removal, $first comes before NrUninstall"
  (( $(seq_of NrUninstall) < $(seq_of RemoveFiles) )) || fail "NrUninstall runs after RemoveFiles"
done
echo "PASS"
