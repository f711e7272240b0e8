#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the VM (make deb-check): a new user's install of the Debian
# packages of build/deb/ on the guest's throwaway root. dpkg -i, DKMS
# builds kame.ko for the booted kernel from /usr/src/kame-VERSION,
# modprobe loads it from /lib/modules/$(uname -r)/updates/dkms, the
# installed tools (not the tree's) attach a namespace's veth and ping a
# stock-Linux neighbour, then the packages are purged and the module is
# gone. Each step is checked; "== deb-test done" ends a good run.
#   scripts/deb-test.sh DEBDIR OUT
set -eu
debs=$1
out=$2
kver=$(uname -r)
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
export DEBIAN_FRONTEND=noninteractive
native=deb-native
kame=deb-kame
# shellcheck source=scripts/pair.sh
. "$(dirname "$0")/pair.sh"

fail() {
	echo "Error: deb-test step failed: $*" >&2
	exit 1
}

step() {	# WHAT CMD...: run CMD, its output to OUT/steps.log
	local what=$1 t0=$SECONDS

	shift
	echo "== $what"
	echo "\$ $*" >>"$out/steps.log"
	"$@" >>"$out/steps.log" 2>&1 || { tail -n 20 "$out/steps.log"; fail "$what"; }
	echo "   ok ($((SECONDS - t0)) s)"
}

cleanup() {
	pair_down "$native" "$kame"
}
trap cleanup EXIT

: >"$out/steps.log"
echo "== deb-test on $kver"
[ -d /sys/module/kame ] && fail "a kame module is loaded before the install"
# man-db's dpkg trigger rebuilds the whole manual index: many minutes
# under emulation, nothing this test looks at. Without this flag file the
# trigger skips it (what man-db/auto-update=false leaves; the guest's /var
# is thrown away).
rm -f /var/lib/man-db/auto-update
step "dpkg -i kame-dkms kame-tools (DKMS builds kame.ko)" \
	dpkg -i "$debs"/kame-dkms_*.deb "$debs"/kame-tools_*.deb
step "dkms status: installed for $kver" \
	sh -c "dkms status kame -k $kver | grep -q ': installed'"
step "modinfo: kame.ko from updates/dkms" \
	sh -c "modinfo -n kame | grep -q '/lib/modules/$kver/updates/dkms/kame.ko'"
step "modprobe kame" modprobe kame
step "the tools are the installed ones" \
	sh -c "[ \"\$(command -v kame)\" = /usr/sbin/kame ] && [ \"\$(command -v ndp)\" = /usr/sbin/ndp ] && [ -e /usr/share/man/man8/ndp.8.gz ]"

pair_up "$native" "$kame"
step "kame link attach eth0" kame -n "$kame" link attach eth0
step "kame addr add 2001:db8::2/64" kame -n "$kame" addr add 2001:db8::2/64 dev eth0
step "DAD done" sh -c "for i in \$(seq 100); do kame -n $kame addr show | grep -q tentative || exit 0; sleep 0.1; done; exit 1"
step "kping6 the stock-Linux neighbour" ip netns exec "$kame" kping6 -c 3 2001:db8::1
step "ndp -a lists it" sh -c "ip netns exec $kame ndp -an | grep -q '^2001:db8::1 '"
cleanup
step "modprobe -r kame" modprobe -r kame
step "dpkg --purge kame-dkms kame-tools" dpkg --purge kame-dkms kame-tools
step "the module is gone" sh -c "! modinfo kame >/dev/null 2>&1 && ! [ -e /usr/sbin/kame ]"
echo "== deb-test done ($SECONDS s)"
