#!/usr/bin/env bash
# Static check of a provider DLL: it exports every NP entry point named (the
# lists in provider/entries.h, which scenarios.cmake passes), undecorated
# (no _Name@N on i686), and nothing else, and imports only
# from system DLLs (no libgcc, no winpthread, no mpr: a provider loaded by
# mpr must not pull it in again). Whatever the lists say, it never exports
# the credential-manager entries NPLogonNotify or NPPasswordChangeNotify, which
# receive the user's clear-text logon password (docs/security.md).
# Usage: check_dll.sh <objdump> <dll> <entry>...
set -euo pipefail
objdump=$1 dll=$2
shift 2
[ $# -gt 0 ] || { echo "FAIL: no entry points named"; exit 1; }
[ -f "$dll" ] || { echo "FAIL: $dll not built"; exit 1; }
dump=$("$objdump" -p "$dll")
exports=$(awk '/^\[Ordinal\/Name Pointer\] Table/ { on = 1; next } on && /^[ \t]*\[/ { print $NF; next }
               on && NF == 0 { on = 0 }' <<<"$dump" | sort)
missing=0
for f in "$@"; do
  grep -qx "$f" <<<"$exports" || { echo "missing export: $f"; missing=1; }
done
for f in NPLogonNotify NPPasswordChangeNotify; do
  ! grep -qx "$f" <<<"$exports" || { echo "credential-manager export: $f (it would receive logon passwords)"; missing=1; }
done
named=" $* "
for f in $exports; do
  [[ $named == *" $f "* ]] || { echo "unexpected export: $f"; missing=1; }
done
imports=$(awk '/DLL Name:/ { print tolower($3) }' <<<"$dump" | sort -u)
echo "exports: $(wc -l <<<"$exports") of $# named: $(echo $exports)"
echo "imports: $(echo $imports)"
bad=0
for i in $imports; do
  case $i in
    kernel32.dll|advapi32.dll|ntdll.dll|msvcrt.dll|user32.dll|psapi.dll|shlwapi.dll|\
    api-ms-win-*.dll|ucrtbase.dll|secur32.dll|wtsapi32.dll) ;;
    *) echo "non-system import: $i"; bad=1 ;;
  esac
done
[ "$missing" = 0 ] && [ "$bad" = 0 ] || { echo "FAIL: $dll"; exit 1; }
echo "PASS: $dll"
