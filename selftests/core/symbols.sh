#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Rule 1 of the project: the modules of the family reimplement IPv6, they
# do not call into Linux's. No module under kmod/ may use a symbol of
# Linux's IPv6, neighbour or XFRM code (ip6_*, ndisc_*, fib6_*,
# addrconf_*, ipv6_*, tcp_v6_*, inet6_*, neigh_*, xfrm_*; tunnel4's
# xfrm4_tunnel_register() is not XFRM).
source "$(dirname "$0")/../lib.sh"

FORBIDDEN='^(__)?(ip6_|ndisc_|fib6_|addrconf_|ipv6_|tcp_v6_|inet6_|neigh_|xfrm_)'

borrowed() {	# < `nm -u` output: the symbols that are Linux's IPv6
	awk '{ print $2 }' | grep -E "$FORBIDDEN"
}

test_symbols() {
	local ko n=0 bad
	RET=0
	for ko in $(find "$KAME_TOP/kmod" -name '*.ko' | sort); do
		n=$((n + 1))
		bad=$(nm -u "$ko" | borrowed | tr '\n' ' ')
		check_eq "Linux IPv6 symbols used by ${ko#"$KAME_TOP"/}" "" "$bad"
	done
	[ "$n" -ge 4 ] || fail_case "only $n modules under kmod/ (kame.ko, kame_gif.ko, kame_stf.ko, kame_ipsec.ko)"
	# the check itself: what the route benchmark's module calls on
	# purpose is found, tunnel4's registration and our own names are not
	check_eq "the filter" "ip6_route_output_flags __ipv6_addr_type neigh_lookup" \
		"$(printf '%s\n' '   U ip6_route_output_flags' '   U __ipv6_addr_type' \
			'   U neigh_lookup' '   U xfrm4_tunnel_register' \
			'   U kame_ip6_output' '   U iptunnel_xmit' | borrowed | tr '\n' ' ' | sed 's/ $//')"
	log_test "modules: no call into Linux's IPv6, neighbour or XFRM code"
}

test_symbols
exit "$EXIT_STATUS"
