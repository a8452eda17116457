#!/usr/bin/env bash
# Packs the MSI: stages the files as installer/netreclaim.wxs expects them
# (x64/, x86/, admx/, README.md, docs/), signs every DLL and EXE of the stage with Authenticode
# when given a certificate, runs wixl, signs the MSI, and writes SHA256SUMS
# beside the MSI (the MSI and each staged file, as the MSI installs them).
# Unsigned without a certificate. The msi target runs it, and so does the
# signing test (tests/release/signing.sh) with a throwaway certificate.
#
# Usage: pack.sh <stage> <x86_64 bin> <i686 bin> <version> <product code> <upgrade code>
#                <msi> [links] [signing]
# (the codes: cmake/product.cmake)
# links, Add/Remove Programs' (default: the README and docs\security.md the MSI installs):
#   --help-link URL               its help link (your help desk's page)
#   --about-link URL              its about link (your page about the product)
# signing, all optional (none: unsigned):
#   --pkcs12 FILE                 certificate and key in a PKCS#12 file, or
#   --pkcs11-module SO --pkcs11-key URI --pkcs11-cert FILE|URI [--pkcs11-engine SO]
#                                 a key on a PKCS#11 token (cert as PEM file or token URI)
#   --password-file FILE          the PKCS#12 password or token PIN, read from FILE
#   --password-env NAME           ... or from environment variable NAME
#   --timestamp URL               an RFC 3161 time-stamp server (repeatable)
# The password never appears on a command line: osslsigncode reads it from
# the file or from a pipe (-readpass; printf is a shell builtin, so the
# value is on no process's command line either). The signing time is SOURCE_DATE_EPOCH
# or the commit's date, so one key signs one commit to the same bytes.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
die() {
  echo "pack.sh: $*" >&2
  exit 1
}
[ $# -ge 7 ] ||
  die "usage: pack.sh <stage> <x86_64 bin> <i686 bin> <version> <product code> <upgrade code> <msi> [link and signing options]"
stage=$(realpath -m "$1") bin64=$2 bin32=$3 version=$4 product=$5 upgrade=$6 msi=$(realpath -m "$7")
shift 7

help_link='[INSTALLDIR]README.md' about_link='[INSTALLDIR]docs\security.md'
key=() password_file='' password_env='' timestamps=()
while [ $# -gt 0 ]; do
  [ $# -ge 2 ] || die "$1 needs a value"
  case $1 in
  --help-link) help_link=$2 ;;
  --about-link) about_link=$2 ;;
  --pkcs12) key+=(-pkcs12 "$2") ;;
  --pkcs11-module) key+=(-pkcs11module "$2") ;;
  --pkcs11-engine) key+=(-pkcs11engine "$2") ;;
  --pkcs11-key) key+=(-key "$2") ;;
  --pkcs11-cert)
    case $2 in
    pkcs11:*) key+=(-pkcs11cert "$2") ;;
    *) key+=(-certs "$2") ;;
    esac
    ;;
  --password-file) password_file=$2 ;;
  --password-env) password_env=$2 ;;
  --timestamp) timestamps+=(-ts "$2") ;;
  *) die "unknown option $1" ;;
  esac
  shift 2
done
[ -z "$password_file" ] || [ -z "$password_env" ] || die "give --password-file or --password-env, not both"
[ -z "$password_env" ] || [ -n "${!password_env+set}" ] || die "environment variable $password_env is not set"
[ -z "$password_file" ] || [ -r "$password_file" ] || die "cannot read the password file $password_file"
if [ ${#key[@]} -eq 0 ] && { [ -n "$password_file$password_env" ] || [ ${#timestamps[@]} -gt 0 ]; }; then
  die "a password or time-stamp server was given but no certificate (--pkcs12 or --pkcs11-*)"
fi

epoch=${SOURCE_DATE_EPOCH:-$(git -C "$here" log -1 --format=%ct 2>/dev/null || true)}
signing_time=()
[ -z "$epoch" ] || signing_time=(-time "$epoch")

# sign <file>: Authenticode, SHA-256, in place; the password by file or pipe.
sign() {
  local file=$1 out="$1.signing"
  local args=(sign "${key[@]}" -h sha256 -n NetReclaim "${signing_time[@]}" "${timestamps[@]}"
    -in "$file" -out "$out")
  rm -f "$out"
  if [ -n "$password_file" ]; then
    osslsigncode "${args[@]}" -readpass "$password_file" >"$out.log" 2>&1
  elif [ -n "$password_env" ]; then
    # A pipe's /dev/fd path, not "-": osslsigncode reads stdin only from 2.9.
    osslsigncode "${args[@]}" -readpass <(printf '%s' "${!password_env}") >"$out.log" 2>&1
  else
    osslsigncode "${args[@]}" >"$out.log" 2>&1
  fi || {
    cat "$out.log" >&2
    rm -f "$out" "$out.log"
    die "signing $file failed (osslsigncode's words above)"
  }
  rm -f "$out.log"
  mv -f "$out" "$file"
  echo "signed: $file"
}

rm -rf "$stage"
mkdir -p "$stage/x64" "$stage/x86"
cp "$bin64/netreclaim.dll" "$bin64/netreclaim.exe" "$stage/x64/"
cp "$bin32/netreclaim.dll" "$stage/x86/"
cp -r "$here/admx" "$stage/admx"
mkdir "$stage/docs"
cp "$here/../README.md" "$stage/"
cp "$here/../docs/security.md" "$here/../docs/events.md" "$stage/docs/"

if [ ${#key[@]} -gt 0 ]; then
  mapfile -t binaries < <(find "$stage" -type f \( -iname '*.dll' -o -iname '*.exe' \) | sort)
  for f in "${binaries[@]}"; do sign "$f"; done
fi

# wixl resolves File sources relative to where it runs. Written aside and
# moved, so a failed pack leaves no MSI behind.
# (wixl can fail and still exit 0: the file is what tells.)
mkdir -p "$(dirname "$msi")"
rm -f "$msi" "$msi.packing"
(cd "$stage" && wixl -a x64 -D Version="$version" -D ProductCode="$product" -D UpgradeCode="$upgrade" \
  -D HelpLink="$help_link" -D AboutLink="$about_link" -o "$msi.packing" "$here/netreclaim.wxs")
[ -s "$msi.packing" ] || die "wixl wrote no MSI"
# Before the MSI is signed: the signature covers the fixed tables.
cmake -DMSI="$msi.packing" -DMSIINFO="$(command -v msiinfo)" -DMSIBUILD="$(command -v msibuild)" \
  -P "$here/msi_fix.cmake" || die "msi_fix.cmake failed on $msi.packing"
[ ${#key[@]} -eq 0 ] || sign "$msi.packing"
mv -f "$msi.packing" "$msi"

# SHA256SUMS beside the MSI, names relative to its folder (sha256sum -c there).
dir=$(cd "$(dirname "$msi")" && pwd)
(cd "$dir" && find "$(realpath --relative-to=. "$stage")" -type f | sort |
  xargs sha256sum "$(basename "$msi")" >SHA256SUMS)
echo "packed: $msi"
