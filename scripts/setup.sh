#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install every Debian package the build, the demo, the tests and the
# benchmarks need. Idempotent and quiet when everything is present.
# Called by every Makefile target that needs it; safe to run by hand.
#
# virtme-ng is only packaged in Debian trixie: we add trixie as a source
# pinned at priority 100 so that nothing else is ever upgraded from it.
set -eu

PKGS="linux-image-amd64 linux-headers-amd64 qemu-system-x86 busybox-static
      linux-image-6.12-amd64 linux-headers-6.12-amd64
      libnl-3-dev libnl-genl-3-dev zlib1g-dev pkg-config iproute2 kmod
      tcpdump python3-scapy socat jq linux-source-6.12 xz-utils
      radvd ndisc6 iperf3 iputils-ping procps ethtool"
TRIXIE_PKGS="virtme-ng"

missing() {
	local p out=""
	for p in $PKGS $TRIXIE_PKGS; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed$' || out="$out $p"
	done
	echo "$out"
}

need=$(missing)
[ -z "$need" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "Error: missing packages:$need (run $0 as root)" >&2
	exit 1
fi

echo "setup: installing$need"
export DEBIAN_FRONTEND=noninteractive
# vng boots the kernel with its own initramfs-less init: skip the slow
# update-initramfs run of the kernel package's postinst hook.
export INITRD=No
APT="apt-get -q -o DPkg::Lock::Timeout=600"

if [ ! -e /etc/apt/sources.list.d/kame-trixie.sources ]; then
	cat >/etc/apt/sources.list.d/kame-trixie.sources <<'EOS'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOS
	cat >/etc/apt/preferences.d/kame-trixie <<'EOS'
Package: *
Pin: release n=trixie
Pin-Priority: 100
EOS
fi

$APT update >/dev/null
# shellcheck disable=SC2086
$APT install -y --no-install-recommends $PKGS >/dev/null
$APT install -y --no-install-recommends virtme-ng/trixie >/dev/null

need=$(missing)
if [ -n "$need" ]; then
	echo "Error: could not install:$need" >&2
	exit 1
fi
echo "setup: done"
