#!/usr/bin/env bash
# docs_check: the documents and the comments agree with the repository.
#  a. every repository path named in code, scripts and docs exists: a path
#     beginning with a top-level folder (provider/win/close.c, tests/wine/),
#     or a top-level file (README.md, CMakeLists.txt, an upper-case NAME.md).
#     A * matches as a glob; ${VAR}, $VAR and <name> parts count as *; in a
#     CMake file a path may also be relative to that file's folder. Every
#     relative Markdown link resolves. The design is cited as docs/design.md,
#     never as the upper-case DESIGN file it was written from.
#  b. every "rule N" (also "rules 3, 5 and 6", "rules 3-5") has its heading
#     in docs/design.md ("### Rule N: ...");
#  c. README.md's exit-code table lists exactly the codes of installer/cli.h;
#  d. README.md's Layout table names every top-level folder of the tree;
#  e. nothing cites an issue number;
#  f. the Event Log ids: each outcome of include/netreclaim/events.h has its
#     message in provider/messages.mc (same id and name) and its row in
#     docs/events.md's table (same id and level), and neither lists an id
#     the header does not.
# Each violation is printed with file:line; exit 1 if there is any.
# Needs bash, grep, sed, awk (git where the tree is a clone); no build, no Wine.
# Usage: docs_check.sh [source root]   (default: this script's repository)
set -euo pipefail

root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root"
self=tests/docs_check.sh # quotes the patterns it looks for: not scanned
design=docs/design.md
readme=README.md
cli_h=installer/cli.h
failures=0

fail() {
  printf 'docs_check: %s\n' "$*"
  failures=$((failures + 1))
}

# The tree: tracked files in a clone, else every file outside build folders.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t all_files < <(git ls-files)
else
  mapfile -t all_files < <(find . -path ./.git -prune -o -path './build*' -prune -o -type f -print |
    sed 's|^\./||' | sort)
fi
scanned=()
for f in "${all_files[@]}"; do
  [[ -f $f && $f != "$self" ]] || continue # (a file deleted but not yet committed)
  case $f in
  *.c | *.h | *.sh | *.cmake | CMakeLists.txt | */CMakeLists.txt | *.md | *.wxs | *.mc | *.rc | *.yml | .ci/*)
    scanned+=("$f")
    ;;
  esac
done
mapfile -t top_dirs < <(printf '%s\n' "${all_files[@]}" | grep / | cut -d/ -f1 | sort -u)

# grep -n output "file:line:text" as "file<TAB>line<TAB>text".
tabbed() { sed -E 's/^([^:]*):([0-9]+):/\1\t\2\t/'; }

# --- a. paths named ---------------------------------------------------------

# The top-level folders (provider, include, installer, tests, docs, cmake, .ci).
folders=$(printf '%s\n' "${top_dirs[@]}" | sed 's/\./\\./g' | paste -sd'|')
# A path begins after a character that cannot continue a longer path or a
# word: a/tests/x, ${DIR}/tests/x and https://host/docs/x are not ours.
lead='(^|[^A-Za-z0-9_./\\$}-])'
path_re="$lead(($folders)/[A-Za-z0-9_.*/\${}<>+-]*|[A-Z][A-Za-z0-9_]*\\.md|CMakeLists\\.txt)"

declare -A seen=()
path_exists() { # path [folder of the naming file, for CMake]
  local p=$1 dir=${2:-} key="$1|${2:-}"
  if [[ -z ${seen[$key]:-} ]]; then
    seen[$key]=no
    if [[ $p == *'*'* ]]; then
      if compgen -G "$p" >/dev/null || { [[ -n $dir ]] && compgen -G "$dir/$p" >/dev/null; }; then
        seen[$key]=yes
      fi
    elif [[ -e $p || (-n $dir && -e $dir/$p) ]]; then
      seen[$key]=yes
    fi
  fi
  [[ ${seen[$key]} == yes ]]
}

while IFS=$'\t' read -r file line path; do
  [[ -n $path ]] || continue
  [[ $path == DESIGN.md ]] && continue # reported below
  case $file in
  *.cmake | CMakeLists.txt | */CMakeLists.txt) dir=$(dirname "$file") ;;
  *) dir= ;;
  esac
  path_exists "$path" "$dir" || fail "$file:$line names $path, which does not exist"
done < <(grep -noE "$path_re" "${scanned[@]}" | tabbed | awk -F'\t' -v q="'" '{
  tok = $3
  if (tok !~ /^[A-Za-z.]/) tok = substr(tok, 2)         # the character before it
  gsub(/\$\{[^}]*\}/, "*", tok)                         # ${VAR}
  gsub(/\$[A-Za-z_][A-Za-z0-9_]*/, "*", tok)            # $VAR
  gsub(/<[^<>]*>/, "*", tok)                            # <name>
  sub(/[<>{}$].*/, "", tok)                             # a stray bracket ends it
  sub(/\.\.\.$/, "", tok)                               # tests/wine/...
  while (length(tok) && index(".,:;)]`\"" q, substr(tok, length(tok), 1)))
    tok = substr(tok, 1, length(tok) - 1)
  print $1 "\t" $2 "\t" tok
}')

# Relative Markdown links, from the linking file's folder.
for f in "${scanned[@]}"; do
  [[ $f == *.md ]] || continue
  dir=$(dirname "$f")
  while IFS=$'\t' read -r line target; do
    target=${target%%#*}
    case $target in
    '' | http:* | https:* | mailto:*) continue ;;
    esac
    [[ -e $dir/$target ]] || fail "$f:$line links to $target, which does not exist (seen from $dir/)"
  done < <(grep -noE '\]\([^) ]+\)' "$f" | sed -E 's/^([0-9]+):\]\((.*)\)$/\1\t\2/' || true)
done

# The design is docs/design.md: no citation of the upper-case DESIGN file
# (or "DESIGN rule N"), wherever it lies.
while IFS=$'\t' read -r file line cited; do
  fail "$file:$line cites \"$cited\": the design is $design (cite its rule or section)"
done < <(grep -nE '(^|[^A-Za-z])DESIGN([^A-Za-z]|$)' "${scanned[@]}" | tabbed | awk -F'\t' '{
  text = $3
  if (match(text, /[.\/A-Za-z_]*DESIGN(\.md)?/)) cited = substr(text, RSTART, RLENGTH)
  else cited = "DESIGN"
  sub(/^[^.\/A-Za-z_]*/, "", cited)
  print $1 "\t" $2 "\t" cited
}')

# A clone has no tracker: comments and docs cite a rule or a document,
# never an issue number ("issue 14", "issue #7", "(#16)").
while IFS=$'\t' read -r file line text; do
  fail "$file:$line cites an issue number (a clone has no tracker: cite the rule or docs/): $text"
done < <(grep -nE '[Ii]ssues? #?[0-9]+|\(#[0-9]+\)' "${scanned[@]}" | tabbed | cut -c1-200)

# --- b. rules cited -----------------------------------------------------------

declare -A rules=()
if [[ -f $design ]]; then
  while read -r n; do rules[$n]=1; done < <(sed -nE 's/^#+ Rule ([0-9]+):.*/\1/p' "$design")
else
  fail "$design is missing: the rules the code cites have no home"
fi
# "rule 4" -> 4; "rules 3, 5, 6, 7" / "rules 3 and 4" / "rules 3-5" -> each.
while IFS=$'\t' read -r file line n; do
  [[ -n ${rules[$n]:-} ]] ||
    fail "$file:$line cites rule $n, which has no heading \"### Rule $n: ...\" in $design"
done < <(grep -noiE '(^|[^A-Za-z])rules? +[0-9]+(( *, *| +and +| +or +| *(-|–) *)[0-9]+)*' \
  "${scanned[@]}" | tabbed | awk -F'\t' '{
  cite = tolower($3)
  sub(/^[^r]*/, "", cite)
  gsub("–", "-", cite)
  plural = cite ~ /^rules/
  sub(/^rules? +/, "", cite)
  if (!plural) { sub(/[^0-9].*/, "", cite); print $1 "\t" $2 "\t" cite; next }
  gsub(/ *(,|and|or) */, " ", cite)
  gsub(/ *- */, "-", cite)
  k = split(cite, parts, " ")
  for (i = 1; i <= k; i++) {
    if (split(parts[i], ends, "-") == 2) { for (r = ends[1] + 0; r <= ends[2] + 0; r++) print $1 "\t" $2 "\t" r }
    else if (parts[i] != "") print $1 "\t" $2 "\t" parts[i]
  }
}' | awk '!seen[$0]++')

# --- c. exit codes --------------------------------------------------------------

declare -A cli_codes=() readme_codes=()
while IFS=$'\t' read -r line name code; do
  cli_codes[$code]="$name ($cli_h:$line)"
done < <(awk '/^enum cli_exit/, /^};/ {
  if (match($0, /CLI_[A-Z_]+ *= *[0-9]+/)) {
    s = substr($0, RSTART, RLENGTH); name = s; sub(/ *=.*/, "", name); code = s; sub(/.*= */, "", code)
    print NR "\t" name "\t" code
  }
}' "$cli_h")
((${#cli_codes[@]})) || fail "$cli_h: no exit codes found (enum cli_exit { CLI_X = N, ... })"
table_at=$(grep -n '^#\+ Exit codes' "$readme" | head -1 | cut -d: -f1 || true)
if [[ -z $table_at ]]; then
  fail "$readme has no \"Exit codes\" section"
else
  while IFS=$'\t' read -r line code; do
    readme_codes[$code]=$line
  done < <(awk -v start="$table_at" 'NR > start && /^#/ { exit }
    NR > start && /^\| *[0-9]+ *\|/ { s = $0; sub(/^\| */, "", s); sub(/ *\|.*/, "", s); print NR "\t" s }' "$readme")
  for code in $(printf '%s\n' "${!cli_codes[@]}" | sort -n); do
    [[ -n ${readme_codes[$code]:-} ]] ||
      fail "$readme:$table_at: the exit-code table lacks $code, ${cli_codes[$code]}"
  done
  for code in $(printf '%s\n' "${!readme_codes[@]}" | sort -n); do
    [[ -n ${cli_codes[$code]:-} ]] ||
      fail "$readme:${readme_codes[$code]}: exit code $code is not in $cli_h's enum cli_exit"
  done
fi

# --- d. layout ------------------------------------------------------------------

layout_at=$(grep -n '^## Layout' "$readme" | head -1 | cut -d: -f1 || true)
if [[ -z $layout_at ]]; then
  fail "$readme has no \"## Layout\" section"
else
  declare -A named=()
  while read -r d; do named[$d]=1; done < <(awk -v start="$layout_at" 'NR > start && /^## / { exit }
    NR > start && /^\| *`/ { s = $0; sub(/^\| *`/, "", s); sub(/[`\/].*/, "", s); print s }' "$readme")
  for d in "${top_dirs[@]}"; do
    [[ -n ${named[$d]:-} ]] ||
      fail "$readme:$layout_at: the Layout table has no row for the top-level folder $d/"
  done
fi

# --- f. event ids ---------------------------------------------------------------

events_h=include/netreclaim/events.h messages_mc=provider/messages.mc events_md=docs/events.md
declare -A ev_level=() ev_name=() mc_name=() md_level=()
while read -r name id level; do
  ev_name[$id]=$name
  case $level in NR_INFO) ev_level[$id]=Information ;; NR_WARNING) ev_level[$id]=Warning ;; *) ev_level[$id]=Error ;; esac
done < <(sed -nE 's/^ *X\(([A-Z0-9_]+), ([0-9]+), (NR_[A-Z]+)\).*/\1 \2 \3/p' "$events_h")
((${#ev_name[@]})) || fail "$events_h: no outcomes found (X(NAME, id, level) lines)"
while read -r id name; do mc_name[$id]=$name; done < <(awk '/^MessageId=/ { id = substr($0, 11) }
  /^SymbolicName=NR_MSG_/ { print id, substr($0, 21) }' "$messages_mc")
while read -r id level; do md_level[$id]=$level; done < <(awk '/^\| *[0-9]+ *\|/ {
  n = split($0, c, "|"); gsub(/ /, "", c[2]); gsub(/ /, "", c[3]); print c[2], c[3] }' "$events_md")
for id in $(printf '%s\n' "${!ev_name[@]}" | sort -n); do
  [[ ${mc_name[$id]:-} == "${ev_name[$id]}" ]] ||
    fail "$messages_mc: no message $id named NR_MSG_${ev_name[$id]} ($events_h)"
  [[ ${md_level[$id]:-} == "${ev_level[$id]}" ]] ||
    fail "$events_md: no row for event $id with level ${ev_level[$id]} ($events_h: ${ev_name[$id]})"
done
for id in "${!mc_name[@]}" "${!md_level[@]}"; do
  [[ -n ${ev_name[$id]:-} ]] || fail "event id $id is in $messages_mc or $events_md but not in $events_h"
done

if ((failures)); then
  printf 'docs_check: %d problem(s)\n' "$failures"
  exit 1
fi
echo "docs_check: ok (${#scanned[@]} files)"
