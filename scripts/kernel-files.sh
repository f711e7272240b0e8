#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Extract from Debian's linux-source package what the tests and the style
# check take from the kernel tree, in one pass over the tarball:
#   BUILD/kselftest:  kselftest.h, kselftest_harness.h, net/lib.sh
#   BUILD/checkpatch: checkpatch.pl and its data files
# Nothing from the kernel tree is committed here.
set -eu
build=${1:-build}
[ -f "$build/kselftest/kselftest_harness.h" ] &&
	[ -f "$build/checkpatch/checkpatch.pl" ] && exit 0
tarball=$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n 1)
if [ -z "$tarball" ]; then
	echo "Error: no /usr/src/linux-source-*.tar.xz (run scripts/setup.sh)" >&2
	exit 1
fi
top=$(basename "$tarball" .tar.xz)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -C "$tmp" -xJf "$tarball" --wildcards \
	"$top/tools/testing/selftests/kselftest*" \
	"$top/tools/testing/selftests/net/lib.sh" \
	"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
	"$top/scripts/const_structs.checkpatch"
mkdir -p "$build/kselftest" "$build/checkpatch"
cp -r "$tmp/$top/tools/testing/selftests/"kselftest* "$build/kselftest/"
cp "$tmp/$top/tools/testing/selftests/net/lib.sh" "$build/kselftest/net_lib.sh"
cp "$tmp/$top/scripts/checkpatch.pl" "$tmp/$top/scripts/spelling.txt" \
	"$tmp/$top/scripts/const_structs.checkpatch" "$build/checkpatch/"
echo "kernel-files: kselftest and checkpatch from $top in $build"
