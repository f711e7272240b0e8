#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Print the newest kernel release that has both a build tree and a bootable
# image: the target of the modules and of the test VM (never `uname -r`:
# the build host's own kernel is not the target).
for d in $(ls -d /lib/modules/*/build 2>/dev/null | sort -V -r); do
	v=$(basename "$(dirname "$d")")
	if [ -e "/boot/vmlinuz-$v" ]; then
		echo "$v"
		exit 0
	fi
done
exit 1
