#!/usr/bin/env bash
# CTest fixture: makes the template Wine prefix once per run.
# Usage: template.sh <work dir>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
work=$1
rm -f "$work/template/.nr-template-ok"
nr_make_template "$work/template"
echo "template prefix ready: $work/template"
