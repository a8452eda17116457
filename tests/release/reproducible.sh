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

# where <objdump> <file> < offsets: how many of the differing bytes (file
# offsets, one a line) lie in each PE section (objdump -h: name, size, file
# offset), in the headers before the first section, or after the last.
where() {
  awk '
    function hex(s,    i, v) {
      v = 0
      for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", tolower(substr(s, i, 1))) - 1
      return v
    }
    NR == FNR && $1 ~ /^[0-9]+$/ && NF >= 7 && hex($6) > 0 {
      n++; name[n] = $2; at[n] = hex($6); end[n] = at[n] + hex($3)
      if (first == "" || at[n] < first) first = at[n]
    }
    NR != FNR {
      s = ($1 < first) ? "headers" : "after the sections"
      for (j = 1; j <= n; j++) if ($1 >= at[j] && $1 < end[j]) s = name[j]
      if (!(s in count)) order[++m] = s
      count[s]++
    }
    END { for (i = 1; i <= m; i++) printf "%s%s %d", (i > 1 ? ", " : ""), order[i], count[order[i]] }
  ' <("$1" -h "$2") -
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
    # cmp -l: the 1-based offset of every differing byte.
    cmp -l "$a" "$b" 2>/dev/null | awk '{ print $1 - 1 }' >"$work/offsets" || true
    echo "DIFFERS: $arch/$f ($(stat -c %s "$a") and $(stat -c %s "$b") bytes):" \
      "$(wc -l <"$work/offsets") byte(s) differ, the first at 0x$(printf '%x' "$(head -1 "$work/offsets")");" \
      "by section: $(where "$arch-w64-mingw32-objdump" "$a" <"$work/offsets")"
  done
done
[ "$differ" = 0 ] || fail "two builds of the same source differ (see above)"
echo "PASS: ${#artifacts[@]} artifacts x 2 architectures byte-identical across two build paths"
