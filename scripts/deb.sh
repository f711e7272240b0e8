#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make deb: the Debian packages kame-dkms (the module's sources, built by
# DKMS for every installed kernel) and kame-tools, from the files git
# tracks, into build/deb/; then lintian on them (its tags are listed,
# and those we accept are explained in debian/*.lintian-overrides).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=$top/build/deb
ver=$(dpkg-parsechangelog -l "$top/debian/changelog" -S Version | sed 's/-[^-]*$//')
src=$out/src/kame-$ver

if [ "$(id -u)" = 0 ]; then
	need=""
	for p in debhelper dh-dkms dkms lintian dpkg-dev fakeroot pkg-config \
		 libnl-3-dev libnl-genl-3-dev; do
		dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null |
			grep -q '^install ok installed$' || need="$need $p"
	done
	if [ -n "$need" ]; then
		echo "deb: installing$need"
		# shellcheck disable=SC2086
		DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=600 \
			install -y --no-install-recommends $need >/dev/null
	fi
fi
rm -rf "$out"
mkdir -p "$src"
(cd "$top" && git ls-files -z | xargs -0 cp --parents -t "$src")
(cd "$src" && dpkg-buildpackage -us -uc -b >"$out/build.log" 2>&1) || {
	tail -n 30 "$out/build.log"
	echo "Error: dpkg-buildpackage failed (see $out/build.log)" >&2
	exit 1
}
mv "$out"/src/*.deb "$out/"
rm -rf "$out/src"
echo "deb: $(cd "$out" && ls ./*.deb | tr '\n' ' ')"
lintian --info "$out"/*.deb | tee "$out/lintian.txt"
if grep -qE '^E: ' "$out/lintian.txt"; then
	echo "Error: lintian errors (see $out/lintian.txt)" >&2
	exit 1
fi
