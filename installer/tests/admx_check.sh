#!/usr/bin/env bash
# The ADMX/ADML are well-formed, every policy writes under the key the
# provider reads (HKLM\SOFTWARE\Policies\NetReclaim), the value names are
# exactly those of provider/core/policy.c (nr_policy_value_name), and every
# string and presentation the ADMX names exists in the ADML.
# Usage: admx_check.sh <source dir>
set -euo pipefail
src=$1
admx=$src/installer/admx/netreclaim.admx
adml=$src/installer/admx/en-US/netreclaim.adml
fail() { echo "FAIL: $*" >&2; exit 1; }

xmllint --noout "$admx" "$adml"
echo "well-formed: $admx $adml"

xpath() { xmllint --xpath "$2" "$1" 2>/dev/null | grep -o '"[^"]*"' | tr -d '"' | sort -u; }

keys=$(xpath "$admx" '//*[local-name()="policy"]/@key')
[ "$keys" = 'Software\Policies\NetReclaim' ] || fail "policy keys: $keys"
grep -q 'define NRWIN_POLICY_KEY L"SOFTWARE\\\\Policies\\\\NetReclaim"' "$src/provider/win/nrwin.h" \
  || fail "provider/win/nrwin.h reads another policy key"

admx_names=$(xpath "$admx" '//*[local-name()="elements"]/*/@valueName')
provider_names=$(sed -n 's/^static const nr_char name_[a-z]*\[\] = u"\([A-Za-z]*\)";/\1/p' \
  "$src/provider/core/policy.c" | sort -u)
[ -n "$provider_names" ] || fail "no value names found in provider/core/policy.c"
[ "$admx_names" = "$provider_names" ] || fail "ADMX value names [$admx_names] != provider's [$provider_names]"
echo "value names match the provider's: $(echo $admx_names)"

for id in $(grep -o '\$(string\.[A-Za-z0-9_]*)' "$admx" | sed 's/.*\.\(.*\))/\1/' | sort -u); do
  grep -q "<string id=\"$id\">" "$adml" || fail "string $id missing from the ADML"
done
for id in $(grep -o '\$(presentation\.[A-Za-z0-9_]*)' "$admx" | sed 's/.*\.\(.*\))/\1/' | sort -u); do
  grep -q "<presentation id=\"$id\">" "$adml" || fail "presentation $id missing from the ADML"
done
echo "PASS"
