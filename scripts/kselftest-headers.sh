#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Extract the kselftest framework (kselftest.h, kselftest_harness.h and
# net/lib.sh) from Debian's linux-source package into $1 (default
# build/kselftest). Nothing from the kernel tree is committed here.
set -eu
out=${1:-build/kselftest}
[ -f "$out/kselftest_harness.h" ] && exit 0
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
	"$top/tools/testing/selftests/net/lib.sh"
mkdir -p "$out"
cp -r "$tmp/$top/tools/testing/selftests/"kselftest* "$out/"
cp "$tmp/$top/tools/testing/selftests/net/lib.sh" "$out/net_lib.sh"
echo "kselftest: headers from $top in $out"
