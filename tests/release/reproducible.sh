#!/usr/bin/env bash
# ctest reproducible: two clean builds of the Windows artifacts (the DLL and
# the EXE, x86_64 and i686), from two copies of the source in two build
# folders of different paths, give byte-identical files. A file that differs
# is named with how many bytes differ, the first differing offset and the PE
# section (or header) of each differing byte.
# Usage: reproducible.sh <work dir> <build type>
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
work=$(realpath -m "$1") type=$2
targets=(netreclaim netreclaim_cli)
artifacts=(netreclaim.dll netreclaim.exe)
fail() {
  echo "FAIL: $*"
  exit 1
}

rm -rf "$work"
mkdir -p "$work"
# The second source: the tracked and untracked files of this tree (not the
# build folders), elsewhere, so source paths differ too. Without git (an
# unpacked tarball) both builds use this tree.
copy=$work/copy-of-the-source
if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mkdir -p "$copy"
  (cd "$src" && git ls-files -z --cached --others --exclude-standard |
    xargs -0 sh -c 'for f; do [ -f "$f" ] && printf "%s\0" "$f"; done' sh |
    tar --null -T - -cf -) | tar -C "$copy" -xf -
else
  copy=$src
fi

# build <source> <build dir>: configures and builds the Windows targets only.
build() {
  local from=$1 dir=$2 arch
  for arch in x86_64 i686; do
    cmake -S "$from" -B "$dir/win-$arch" -DCMAKE_TOOLCHAIN_FILE="$from/cmake/mingw-$arch.cmake" \
      -DCMAKE_BUILD_TYPE="$type" >>"$dir.log" 2>&1 &&
      cmake --build "$dir/win-$arch" --target "${targets[@]}" -j"$(nproc)" >>"$dir.log" 2>&1 ||
      { tail -20 "$dir.log"; fail "the $arch build in $dir failed"; }
  done
}
one=$work/one
two=$work/a-second-build-at-another-path
start=$(date +%s)
build "$src" "$one"
build "$copy" "$two"
echo "two builds: $(($(date +%s) - start)) s"

# where <objdump> <file> <offsets...>: each differing offset's PE section.
where() {
  local objdump=$1 file=$2
  shift 2
  "$objdump" -h "$file" | awk -v offs="$*" '
    $1 ~ /^[0-9]+$/ && NF >= 7 { n++; name[n] = $2; size[n] = strtonum("0x" $3); at[n] = strtonum("0x" $6) }
    END {
      k = split(offs, o, " ")
      first = -1
      for (i = 1; i <= k; i++) {
        s = "after the sections"
        for (j = 1; j <= n; j++) if (at[j] > 0 && (first < 0 || at[j] < first)) first = at[j]
        if (o[i] < first) s = "headers"
        for (j = 1; j <= n; j++) if (at[j] > 0 && o[i] >= at[j] && o[i] < at[j] + size[j]) s = name[j]
        count[s]++
      }
      for (s in count) printf "%s %d byte(s); ", s, count[s]
    }'
}

differ=0
for arch in x86_64 i686; do
  for f in "${artifacts[@]}"; do
    a=$one/win-$arch/bin/$f b=$two/win-$arch/bin/$f
    [ -f "$a" ] && [ -f "$b" ] || fail "$arch/$f was not built"
    if cmp -s "$a" "$b"; then
      echo "same: $arch/$f ($(stat -c %s "$a") bytes, sha256 $(sha256sum <"$a" | cut -c1-16)...)"
      continue
    fi
    differ=1
    # cmp -l: 1-based offsets of every differing byte.
    mapfile -t offs < <(cmp -l "$a" "$b" | awk '{ print $1 - 1 }')
    sizes="$(stat -c %s "$a") and $(stat -c %s "$b") bytes"
    echo "DIFFERS: $arch/$f ($sizes): ${#offs[@]} byte(s) differ, the first at" \
      "0x$(printf '%x' "${offs[0]:-0}"); by section: $(where "$arch-w64-mingw32-objdump" "$a" "${offs[@]:0:4096}")"
  done
done
[ "$differ" = 0 ] || fail "two builds of the same source differ (see above)"
echo "PASS: ${#artifacts[@]} artifacts x 2 architectures byte-identical across two build paths"
