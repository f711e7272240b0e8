# SPDX-License-Identifier: GPL-2.0
#
# Sourced by selftests/lib.sh and scripts/bench.sh.
#   eui64_ll MAC: the EUI-64 link-local address of MAC (RFC 4291 2.5.1)
eui64_ll() {
	local m

	IFS=: read -ra m <<<"$1"
	printf 'fe80::%x:%x:%x:%x\n' $(( (0x${m[0]} ^ 2) << 8 | 0x${m[1]} )) \
		$(( 0x${m[2]} << 8 | 0xff )) $(( 0xfe << 8 | 0x${m[3]} )) \
		$(( 0x${m[4]} << 8 | 0x${m[5]} ))
}
