#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Print the newest kernel release that has both a build tree and a bootable
# image: the target of the modules and of the test VM (never `uname -r`:
# the build host's own kernel is not the target).
#   scripts/kver.sh [SERIES]   SERIES, e.g. 6.1 or 6.12: the newest of it
series=${1:-}
for d in $(ls -d /lib/modules/*/build 2>/dev/null | sort -V -r); do
	v=$(basename "$(dirname "$d")")
	case $v in
	"$series".*|"$series"-*|"$series") ;;
	*) [ -n "$series" ] && continue ;;
	esac
	if [ -e "/boot/vmlinuz-$v" ]; then
		echo "$v"
		exit 0
	fi
done
exit 1
