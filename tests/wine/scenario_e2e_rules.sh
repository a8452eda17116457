#!/usr/bin/env bash
# rules that only unit tests pinned, shown end to end (netreclaim in
# front of the model; a long-lived process keeps the session ledger).
#  protect: a handle marked HANDLE_FLAG_PROTECT_FROM_CLOSE under the cancelled
#     share stays open, and the record says why (rule 5); its unmarked
#     neighbour is closed.
#  case: cancelling \\CSRV\SHARE closes a handle opened as \\csrv\share (the
#     share is compared case-insensitively, rule 3); another share stays.
#  prefix: the redirector prefix (the stock DeviceName, ...\dosdevices\unc) is
#     compared component by component: files in the sibling folders uncX and
#     unc-xsrv (named like the prefix plus a suffix, the latter spelling
#     "unc" + one character + "xsrv\share") are not under \\xsrv\share and stay.
#  checksum: one byte of the shared ledger image changed behind netreclaim's
#     back (K:'s user karl -> karm, so every field stays well-formed) fails the image's
#     checksum: the next NP call says so (fault 12, NR_LEDGER_FAULT_CHECKSUM)
#     and rebuilds the image from the stock provider, and the forged name is
#     gone (rule 2). The byte is changed through the wineserver's descriptor of
#     the section's backing file, found by the image's magic "NRLG".
# (Other logon sessions cannot be shown under Wine: the seam tests prove those.)
# Usage: scenario_e2e_rules.sh <work dir> <win64 bin dir>
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ledger_lib.sh"
work=$1 bin=$2

nr_prefix "$work" e2e-rules
nr_install "$bin" netreclaim
for s in psrv csrv xsrv ksrv; do nr_share "$s" share; nr_share "$s" share2; done
lg_bg keep READY keep

# cancel_logged <name> [--force]: the cancel with +eventlog, must answer 0;
# its record in $record.
cancel_logged() {
  nr_expect "$(WINEDEBUG=+eventlog nr_wnet cancel "$@")" ' -> 0 NO_ERROR'
  record=$(nr_eventlog)
  echo "$record"
}

in_record() {
  grep -Eq -- "$1" <<<"$record" || nr_die "expected /$1/ in the record: $record"
}

nr_note "protect: a handle marked protect-from-close stays, its neighbour goes"
nr_expect "$(nr_wnet add '\\psrv\share' --local Q: --user alice)" ' -> 0 NO_ERROR'
nr_hold pf --protect '\\psrv\share\f.txt' '\\psrv\share\dir\g.txt'
grep -q '^open \\\\psrv\\share\\f\.txt ok .* protected$' <<<"${NR_HOLD_LOG[pf]}" ||
  nr_die "the holder could not mark its handle protect-from-close"
pid=$(sed -n 's/^READY //p' <<<"${NR_HOLD_LOG[pf]}")
cancel_logged Q: --force
nr_expect_record 11 'left, protected from close: holder.exe'
in_record "^left, protected from close: holder\.exe \(pid $pid\) handle 0x[0-9a-f]+ \\\\\\\\psrv\\\\share\\\\f\.txt$"
in_record "^closed: holder\.exe \(pid $pid\) handle 0x[0-9a-f]+ \\\\\\\\psrv\\\\share\\\\dir\\\\g\.txt$"
nr_hold_check pf
nr_hold_expect pf '\\psrv\share\f.txt' valid
nr_hold_expect pf '\\psrv\share\dir\g.txt' invalid
nr_hold_end pf

nr_note "case: cancel of \\\\CSRV\\SHARE closes what was opened as \\\\csrv\\share"
nr_expect "$(nr_wnet add '\\csrv\share' --user alice)" ' -> 0 NO_ERROR'
nr_hold cs '\\csrv\share\f.txt' '\\csrv\share2\f.txt'
cancel_logged '\\CSRV\SHARE' --force
nr_expect_closed 'netreclaim reclaim of \\CSRV\SHARE.'
in_record '^netreclaim reclaim of \\\\CSRV\\SHARE\.$'
in_record '^closed: holder\.exe \(pid [0-9]+\) handle 0x[0-9a-f]+ \\\\csrv\\share\\f\.txt$'
nr_hold_check cs
nr_hold_expect cs '\\csrv\share\f.txt' invalid
nr_hold_expect cs '\\csrv\share2\f.txt' valid
nr_hold_end cs

nr_note "prefix: siblings of the redirector's folder (uncX, unc-xsrv) are not under it"
sib1=$WINEPREFIX/dosdevices/uncX/xsrv/share sib2=$WINEPREFIX/dosdevices/unc-xsrv/share
mkdir -p "$sib1" "$sib2"
echo data >"$sib1/f.txt"
echo data >"$sib2/f.txt"
real=$(cd "$WINEPREFIX/dosdevices" && pwd -P)
win1="Z:${real//\//\\}\\uncX\\xsrv\\share\\f.txt" win2="Z:${real//\//\\}\\unc-xsrv\\share\\f.txt"
nr_expect "$(nr_wnet add '\\xsrv\share' --local Q: --user alice)" ' -> 0 NO_ERROR'
nr_hold px '\\xsrv\share\f.txt' "$win1" "$win2"
dev=$(nr_device_name)
grep -qF "name=${dev}X\\xsrv\\share\\f.txt" <<<"${NR_HOLD_LOG[px]}" &&
  grep -qF "name=${dev}-xsrv\\share\\f.txt" <<<"${NR_HOLD_LOG[px]}" ||
  nr_die "the siblings' NT names do not extend the prefix $dev"
cancel_logged Q: --force
nr_hold_check px
nr_hold_expect px '\\xsrv\share\f.txt' invalid
nr_hold_expect px "$win1" valid
nr_hold_expect px "$win2" valid
nr_hold_end px

nr_note "checksum: one byte of the ledger image changed; the next NP call rebuilds it"
# The running wineserver of this prefix: its working directory is
# <tmp>/server-<dev>-<inode of the prefix> (hex).
server_pid() {
  local p suffix
  suffix=/server-$(printf '%x' "$(stat -L -c %d "$WINEPREFIX")")-$(printf '%x' "$(stat -L -c %i "$WINEPREFIX")")
  for p in /proc/[0-9]*; do
    case $(readlink "$p/cwd" 2>/dev/null) in *"$suffix") echo "${p#/proc/}"; return ;; esac
  done
}
# poke_ledger <from> <to>: in the ledger's backing file, the first UTF-16 <from>
# within the used image becomes <to> (same length; one byte should differ).
poke_ledger() {
  local pid fd
  pid=$(server_pid)
  [ -n "$pid" ] || nr_die "no wineserver for $WINEPREFIX"
  for fd in /proc/"$pid"/fd/*; do
    case $(readlink "$fd") in *tmpmap*) ;; *) continue ;; esac
    [ "$(head -c 4 "$fd" | tr -d '\0')" = NRLG ] || continue
    FROM=$1 TO=$2 perl -e '
      open(my $f, "+<", $ARGV[0]) or die "open: $!\n";
      binmode $f;
      read($f, my $hdr, 64) == 64 or die "short header\n";
      my $count = unpack("V", substr($hdr, 20, 4));
      seek($f, 0, 0);
      read($f, my $img, 64 + $count * 1312);
      my ($from, $to) = map { join("", map { $_ . "\0" } split //) } @ENV{qw(FROM TO)};
      my $at = index($img, $from);
      die "no $ENV{FROM} in the image\n" if $at < 0;
      seek($f, $at, 0);
      print $f $to;
      close($f) or die "write: $!\n";
      print "poked $ENV{FROM} -> $ENV{TO} at byte $at of $count entries\n";' "$fd"
    return
  done
  nr_die "no ledger image among the wineserver's mappings"
}
nr_expect "$(nr_wnet add '\\ksrv\share' --local K: --user karl)" ' -> 0 NO_ERROR'
nr_expect "$(lg_tool dump)" '^entry live K: \\\\ksrv\\share karl '
poke_ledger karl karm
lg_tool dump || true # what the image looks like now, for the log
nr_expect "$(WINEDEBUG=+eventlog nr_wnet add '\\ksrv\share2' --local L: --user karl)" ' -> 0 NO_ERROR'
nr_expect_record 52 'failed validation (fault 12)'
dump=$(lg_tool dump)
nr_expect "$dump" '^entry live K: \\\\ksrv\\share karl '
nr_expect "$dump" '^entry live L: \\\\ksrv\\share2 karl '
grep -q karm <<<"$dump" && nr_die "the forged user name survived: $dump"

lg_stop keep
echo "e2e-rules: PASS"
