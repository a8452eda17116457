#!/usr/bin/env bash
# ctest signing: packs a signed copy of the MSI into its own folder, as an
# organisation's build would (installer/pack.sh), with a throwaway
# self-signed code-signing certificate made here, and checks that
#  - every PE file inside the MSI's cabinet and the MSI itself carry a
#    signature that osslsigncode verifies against that certificate, with the
#    key in a PKCS#12 file and again with it on a PKCS#11 token (SoftHSM);
#  - each signed PE file, its signature removed, is the build's own file;
#  - the password, given through an environment variable, never appeared on
#    osslsigncode's command line (a shim in PATH records its arguments), and
#    its file is private (0600);
#  - SHA256SUMS beside the MSI matches the MSI and the files it installs;
#  - a wrong password stops the pack with osslsigncode's error and no MSI.
# The normal build stays unsigned; this copy is the test's own.
# Usage: signing.sh <work dir> <x86_64 bin> <i686 bin> <version> <product code> <upgrade code>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pack=$here/../../installer/pack.sh
work=$(realpath -m "$1") bin64=$(realpath "$2") bin32=$(realpath "$3") version=$4
codes=("$5" "$6")
fail() {
  echo "FAIL: $*"
  exit 1
}
# show <log>: what a program said, for a failure.
show() { sed 's/^/  | /' "$1"; }

rm -rf "$work"
mkdir -p "$work"
cd "$work"
umask 077

# The throwaway key: a random password in a private file, a self-signed
# certificate good for code signing only, both as one PKCS#12 file.
openssl rand -hex 32 >password
[ "$(stat -c %a password)" = 600 ] || fail "the password file is not private: $(stat -c %a password)"
NR_TEST_SIGN_PASSWORD=$(cat password)
export NR_TEST_SIGN_PASSWORD
openssl req -x509 -newkey rsa:3072 -days 2 -subj "/CN=netreclaim CI throwaway" \
  -addext extendedKeyUsage=codeSigning -addext keyUsage=digitalSignature \
  -keyout key.pem -passout env:NR_TEST_SIGN_PASSWORD -out cert.pem >openssl.log 2>&1 ||
  { show openssl.log; fail "openssl req could not make the certificate"; }
openssl pkcs12 -export -in cert.pem -inkey key.pem -passin env:NR_TEST_SIGN_PASSWORD \
  -passout env:NR_TEST_SIGN_PASSWORD -out cert.p12 >>openssl.log 2>&1 ||
  { show openssl.log; fail "openssl pkcs12 could not pack the key"; }

# Every osslsigncode call goes through this shim, which records its arguments.
real=$(command -v osslsigncode) || fail "osslsigncode is not installed (.ci/deps.sh installs it)"
mkdir shim
printf '#!/bin/sh\nprintf "%%s\\n" "$*" >>"%s/osslsigncode.argv"\nexec "%s" "$@"\n' "$work" "$real" >shim/osslsigncode
chmod 700 shim/osslsigncode

msi=$work/out/netreclaim-$version-x64.msi
PATH=$work/shim:$PATH bash "$pack" stage "$bin64" "$bin32" "$version" "${codes[@]}" "$msi" \
  --pkcs12 cert.p12 --password-env NR_TEST_SIGN_PASSWORD >pack.log 2>&1 ||
  { show pack.log; fail "pack.sh could not make a signed MSI"; }
[ -s osslsigncode.argv ] || fail "pack.sh never ran osslsigncode"
! grep -qF "$NR_TEST_SIGN_PASSWORD" osslsigncode.argv ||
  fail "the password was on osslsigncode's command line: $(grep -F -m1 -- -pass osslsigncode.argv | cut -c1-80)"
echo "osslsigncode ran $(wc -l <osslsigncode.argv) time(s), never with the password in its arguments"

# check_msi <dir> <msi> <stage>: every PE file the MSI installs, and the MSI,
# carry a signature that verifies against the throwaway certificate. What the
# MSI installs: its cabinet streams (msidump), unpacked (gcab) into
# <dir>/files; the cabinet names files by their File Id, so both
# netreclaim.dll are there.
check_msi() {
  local dir=$1 msi=$2 stage=$3 cab f pe=0 staged bad=()
  mkdir "$dir/dump" "$dir/files"
  (cd "$dir/dump" && msidump -s "$msi" >/dev/null) || fail "msidump could not read $msi"
  for cab in "$dir"/dump/_Streams/*.cab; do
    [ -f "$cab" ] || fail "no cabinet in $msi: $(ls "$dir/dump/_Streams")"
    gcab -x -C "$dir/files" "$cab" || fail "gcab could not unpack $cab"
  done
  for f in "$dir"/files/* "$msi"; do
    if [ "$f" != "$msi" ]; then
      [ "$(head -c 2 "$f")" = MZ ] || continue
      pe=$((pe + 1))
    fi
    if osslsigncode verify -CAfile cert.pem -in "$f" >verify.log 2>&1; then
      echo "signed: ${f#"$work"/} ($(grep -m1 'Subject:' verify.log | sed 's/^[[:space:]]*//'))"
    else
      echo "NOT SIGNED: ${f#"$work"/}"
      show verify.log
      bad+=("${f#"$work"/}")
    fi
  done
  staged=$(find "$stage" -type f \( -iname '*.dll' -o -iname '*.exe' \) | wc -l)
  [ "$pe" -ge 3 ] && [ "$pe" = "$staged" ] ||
    fail "the MSI holds $pe PE file(s), the stage $staged: expected both DLLs and the EXE"
  [ ${#bad[@]} -eq 0 ] || fail "unsigned or not verified: ${bad[*]}"
}
check_msi out "$msi" stage

# A signed file is the unsigned build plus a signature: stripped of it, it
# differs from the build only in the PE CheckSum (4 bytes at e_lfanew + 88)
# and in the zero padding signing added at the end (docs/security.md).
for f in stage/x64/* stage/x86/*; do
  [ "$(head -c 2 "$f")" = MZ ] || continue
  case $f in stage/x64/*) built=$bin64/${f#stage/x64/} ;; *) built=$bin32/${f#stage/x86/} ;; esac
  rm -f stripped
  osslsigncode remove-signature -in "$f" -out stripped >strip.log 2>&1 || { show strip.log; fail "cannot strip $f"; }
  sum_at=$(($(od -An -tu4 -j60 -N4 "$built" | tr -d ' ') + 88))
  size=$(stat -c %s "$built")
  other=$({ cmp -l stripped "$built" 2>/dev/null || true; } | awk -v c="$sum_at" '$1 - 1 < c || $1 - 1 >= c + 4' | wc -l)
  tail_bytes=$(tail -c +$((size + 1)) stripped | tr -d '\0' | wc -c)
  [ "$other" = 0 ] && [ "$tail_bytes" = 0 ] && [ "$(stat -c %s stripped)" -lt $((size + 8)) ] ||
    fail "$f stripped of its signature is not the build's $built: $other byte(s) differ besides the CheckSum"
done
rm -f stripped
echo "each signed PE file, its signature removed, is the build's file (CheckSum and padding aside)"

# SHA256SUMS: right for the MSI and the staged files, and every file the
# MSI installs has its hash listed (Get-FileHash on Windows gives the same).
(cd out && sha256sum --quiet -c SHA256SUMS) || fail "SHA256SUMS does not match the files beside it"
for f in out/files/*; do
  grep -q "^$(sha256sum <"$f" | cut -d' ' -f1) " out/SHA256SUMS ||
    fail "the MSI's ${f#out/files/} has a hash SHA256SUMS does not list"
done
echo "SHA256SUMS: $(wc -l <out/SHA256SUMS) files, matching"

# The other way to sign: the key on a PKCS#11 token (SoftHSM, a software
# token made here with the same key), its PIN read from a file.
module=
for m in /usr/lib/softhsm/libsofthsm2.so /usr/lib/*/softhsm/libsofthsm2.so; do
  [ -f "$m" ] && module=$m && break
done
[ -n "$module" ] || fail "SoftHSM is not installed (.ci/deps.sh installs softhsm2)"
mkdir token
printf 'directories.tokendir = %s/token\nobjectstore.backend = file\n' "$work" >softhsm2.conf
export SOFTHSM2_CONF=$work/softhsm2.conf
openssl rand -hex 16 >pin
# (softhsm2-util takes this throwaway token's PINs as arguments; the build never does.)
{ softhsm2-util --init-token --free --label nrtest --pin "$(cat pin)" --so-pin "$(cat pin)" &&
  openssl pkcs8 -topk8 -nocrypt -in key.pem -passin env:NR_TEST_SIGN_PASSWORD -out key.p8 &&
  softhsm2-util --import key.p8 --token nrtest --label nrkey --id 01 --pin "$(cat pin)"; } >token.log 2>&1 ||
  { show token.log; fail "could not make the SoftHSM token"; }
rm -f key.p8
PATH=$work/shim:$PATH bash "$pack" token-stage "$bin64" "$bin32" "$version" "${codes[@]}" "$work/token-out/x.msi" \
  --pkcs11-module "$module" --pkcs11-key 'pkcs11:token=nrtest;object=nrkey;type=private' \
  --pkcs11-cert cert.pem --password-file pin >token-pack.log 2>&1 ||
  { show token-pack.log; fail "pack.sh could not sign with the PKCS#11 token"; }
! grep -qF "$(cat pin)" osslsigncode.argv || fail "the token PIN was on osslsigncode's command line"
check_msi token-out "$work/token-out/x.msi" token-stage
# One key and one signing time (the commit's date) give the same signature.
for f in x64/netreclaim.dll x64/netreclaim.exe x86/netreclaim.dll; do
  cmp "stage/$f" "token-stage/$f" || fail "$f signed twice by one key differs (the signing time is not fixed?)"
done
echo "PKCS#11 token: signed and verified, the same bytes as with the PKCS#12 file"

# Bad input: a wrong password stops the pack, says why, and leaves no MSI.
openssl rand -hex 32 >wrong
if bash "$pack" stage-bad "$bin64" "$bin32" "$version" "${codes[@]}" "$work/bad/x.msi" \
  --pkcs12 cert.p12 --password-file wrong >bad.log 2>&1; then
  fail "pack.sh signed with a wrong password"
fi
grep -q 'signing .* failed' bad.log || { show bad.log; fail "pack.sh failed without saying which file it could not sign"; }
[ ! -e bad/x.msi ] || fail "a failed pack left an MSI behind"
echo "wrong password: refused, no MSI ($(grep -m1 'signing .* failed' bad.log))"
echo "PASS: every PE file in the MSI and the MSI signed and verified, by PKCS#12 file and by PKCS#11 token"
