#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot the target kernel with virtme-ng (qemu, no KVM needed) with this
# tree visible inside, and run the test suite or the demo in it.
#   scripts/vm-run.sh check KVER [PATTERN]
#   scripts/vm-run.sh demo KVER
# The last line of `check` is "N passed, N failed[, N skipped]"; the exit
# status is non-zero on any failure, on a VM that does not boot and on a
# module that does not load.
set -u
mode=$1
kver=$2
pattern=${3:-}
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/vm
timeout_s=${KAME_VM_TIMEOUT:-3600}
kernel=/boot/vmlinuz-$kver

if [ ! -e "$kernel" ]; then
	echo "Error: no kernel image $kernel" >&2
	exit 1
fi
rm -rf "$out"
mkdir -p "$out"

case $mode in
check) guest="V=${V:-0} bash $top/selftests/run.sh $out '$pattern'" ;;
demo) guest="bash $top/scripts/demo.sh" ;;
*) echo "Error: unknown mode \"$mode\"" >&2; exit 1 ;;
esac

# vng needs a standard input that is open (it crashes on a closed one) and
# scrambles a redirected stdout, so feed /dev/null and pipe the output.
timeout --kill-after=30 "$timeout_s" \
	vng --run "$kernel" --disable-kvm --cpus 2 --memory 2G \
	--rwdir="$out=$out" --exec "$guest" </dev/null 2>&1 | tee "$out/console.log"
rc=${PIPESTATUS[0]}

[ "$mode" = demo ] && exit "$rc"

if [ ! -s "$out/summary" ]; then
	echo "Error: the VM did not boot or the test run died (vng exit $rc); see $out/console.log"
	echo "0 passed, 1 failed"
	exit 1
fi
read -r pass fail skip <"$out/summary"
line="$pass passed, $fail failed"
[ "$skip" -gt 0 ] && line="$line, $skip skipped"
echo "$line"
[ "$fail" -eq 0 ] && [ "$rc" -eq 0 ]
