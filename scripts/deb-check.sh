#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make deb-check: build the Debian packages (make deb), then install them
# in a VM booting KVER as a new user would (scripts/deb-test.sh): DKMS
# builds the module for the booted kernel, modprobe loads it, the
# installed tools run a short scenario, the purge leaves nothing. The
# guest's /var is a throwaway overlay (dpkg's and DKMS's databases), as
# its /usr is; nothing reaches the host.
#   scripts/deb-check.sh KVER
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
kver=$1
"$top/scripts/deb.sh" >"$top/build/deb.log" 2>&1 || {
	tail -n 20 "$top/build/deb.log"
	echo "Error: make deb failed (see $top/build/deb.log)"
	exit 1
}
VNG_OPTS="--overlay-rwdir=/var ${VNG_OPTS:-}" "$top/scripts/vm-run.sh" deb "$kver"
