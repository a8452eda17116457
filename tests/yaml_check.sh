#!/usr/bin/env bash
# yaml_check: every workflow under .github/workflows passes yamllint (the
# default rules, lines up to 100 columns, "on:" allowed as a key), warnings
# included. They run only on GitHub's runners; this is what can be checked
# here. Exits 77 (ctest's skip) naming the reason when yamllint is missing:
# .ci/deps.sh installs it.
# Usage: yaml_check.sh [source root]
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
command -v yamllint >/dev/null || {
  echo "SKIP: yamllint is not installed (apt-get install yamllint; .ci/deps.sh does)"
  exit 77
}
shopt -s nullglob
files=("$root"/.github/workflows/*.yml)
[ ${#files[@]} -gt 0 ] || { echo "FAIL: no workflow under $root/.github/workflows"; exit 1; }
yamllint --strict -d '{extends: default, rules: {line-length: {max: 100}, truthy: {check-keys: false}}}' \
  "${files[@]}"
echo "yaml_check: ${#files[@]} workflow(s) pass yamllint"
