#!/usr/bin/env bash
# Installs what building and testing netreclaim needs on Debian 12. Safe to re-run.
set -euo pipefail
# git: the commit's date is the signing time of a signed pack (installer/pack.sh).
pkgs=(cmake make gcc clang libclang-rt-14-dev pkg-config libcmocka-dev mingw-w64 git
      wine wine64 wixl libxml2-utils yamllint osslsigncode openssl msitools gcab
      softhsm2 libengine-pkcs11-openssl)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
