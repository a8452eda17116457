#!/usr/bin/env bash
# ctest signing: packs a signed copy of the MSI into its own folder, as an
# organisation's build would (installer/pack.sh), with a throwaway
# self-signed code-signing certificate made here, and checks that
#  - every PE file inside the MSI's cabinet and the MSI itself carry a
#    signature that osslsigncode verifies against that certificate;
#  - the password, given through an environment variable, never appeared on
#    osslsigncode's command line (a shim in PATH records its arguments), and
#    its file is private (0600);
#  - SHA256SUMS beside the MSI matches the MSI and the files it installs;
#  - a wrong password stops the pack with osslsigncode's error and no MSI.
# The normal build stays unsigned; this copy is the test's own.
# Usage: signing.sh <work dir> <x86_64 bin> <i686 bin> <version>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
pack=$here/../../installer/pack.sh
work=$(realpath -m "$1") bin64=$(realpath "$2") bin32=$(realpath "$3") version=$4
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
PATH=$work/shim:$PATH bash "$pack" stage "$bin64" "$bin32" "$version" "$msi" \
  --pkcs12 cert.p12 --password-env NR_TEST_SIGN_PASSWORD >pack.log 2>&1 ||
  { show pack.log; fail "pack.sh could not make a signed MSI"; }
[ -s osslsigncode.argv ] || fail "pack.sh never ran osslsigncode"
! grep -qF "$NR_TEST_SIGN_PASSWORD" osslsigncode.argv ||
  fail "the password was on osslsigncode's command line: $(grep -F -m1 -- -pass osslsigncode.argv | cut -c1-80)"
echo "osslsigncode ran $(wc -l <osslsigncode.argv) time(s), never with the password in its arguments"

# What the MSI installs: its cabinet streams (msidump), unpacked (gcab). The
# cabinet names files by their File Id, so both netreclaim.dll are there.
mkdir dump files
(cd dump && msidump -s "$msi" >/dev/null) || fail "msidump could not read $msi"
cabs=(dump/_Streams/*.cab)
[ -f "${cabs[0]}" ] || fail "no cabinet in $msi: $(ls dump/_Streams)"
for cab in "${cabs[@]}"; do
  gcab -x -C files "$cab" || fail "gcab could not unpack $cab"
done

# verify <file>: its signature checks out against the throwaway certificate.
bad=()
verify() {
  if osslsigncode verify -CAfile cert.pem -in "$1" >verify.log 2>&1; then
    echo "signed: ${1#"$work"/} ($(grep -m1 'Subject:' verify.log | sed 's/^[[:space:]]*//'))"
  else
    echo "NOT SIGNED: ${1#"$work"/}"
    show verify.log
    bad+=("${1#"$work"/}")
  fi
}
pe=0
for f in files/*; do
  [ "$(head -c 2 "$f")" = MZ ] || continue
  pe=$((pe + 1))
  verify "$work/$f"
done
staged=$(find stage -type f \( -iname '*.dll' -o -iname '*.exe' \) | wc -l)
[ "$pe" -ge 3 ] && [ "$pe" = "$staged" ] ||
  fail "the MSI holds $pe PE file(s), the stage $staged: expected both DLLs and the EXE"
verify "$msi"
[ ${#bad[@]} -eq 0 ] || fail "unsigned or not verified: ${bad[*]}"

# SHA256SUMS: right for the MSI and the staged files, and every file the
# MSI installs has its hash listed (Get-FileHash on Windows gives the same).
(cd out && sha256sum --quiet -c SHA256SUMS) || fail "SHA256SUMS does not match the files beside it"
for f in files/*; do
  grep -q "^$(sha256sum <"$f" | cut -d' ' -f1) " out/SHA256SUMS ||
    fail "the MSI's ${f#files/} has a hash SHA256SUMS does not list"
done
echo "SHA256SUMS: $(wc -l <out/SHA256SUMS) files, matching"

# Bad input: a wrong password stops the pack, says why, and leaves no MSI.
openssl rand -hex 32 >wrong
if bash "$pack" stage-bad "$bin64" "$bin32" "$version" "$work/bad/x.msi" \
  --pkcs12 cert.p12 --password-file wrong >bad.log 2>&1; then
  fail "pack.sh signed with a wrong password"
fi
grep -q 'signing .* failed' bad.log || { show bad.log; fail "pack.sh failed without saying which file it could not sign"; }
[ ! -e bad/x.msi ] || fail "a failed pack left an MSI behind"
echo "wrong password: refused, no MSI ($(grep -m1 'signing .* failed' bad.log))"
echo "PASS: $pe PE files and the MSI signed and verified"
