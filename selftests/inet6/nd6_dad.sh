#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# RFC 4862 5.4.5: when DAD finds the link-local address made from the MAC
# duplicated, the stack disables IPv6 on the interface (KAME's
# ND6_IFF_IFDISABLED, shown by ndp -i); clearing "disabled" reruns DAD.
#
#   +----- $A (KAME) -----+        +-- $B (native Linux) ------+
#   |  veth0 2001:db8::1  |--------|  veth1 2001:db8::2         |
#   |  fe80::EUI64(A)     |        |  also has fe80::EUI64(A)   |
#   +---------------------+        +----------------------------+
source "$(dirname "$0")/../lib.sh"

test_dad_disables() {
	local mac ll dis0 out
	RET=0
	setup_ns A B
	ip netns exec "$B" sysctl -qw net.ipv6.conf.default.accept_dad=0
	ip -n "$A" link add veth0 type veth peer name veth1 netns "$B"
	mac=$(ip -n "$A" -j link show veth0 | jq -r '.[0].address')
	ll=$(eui64_ll "$mac")
	ip -n "$A" link set veth0 up
	ip -n "$B" link set veth1 up
	ip -n "$B" -6 addr add 2001:db8::2/64 dev veth1 nodad
	ip -n "$B" -6 addr add "$ll/64" dev veth1 nodad
	check kame -n "$A" link attach veth0
	check slowwait 10 sh -c "ip netns exec $A ndp -i veth0 | grep -q 'Flags: disabled '"
	check_eq "link-local flags" "duplicated,autoconf" \
		"$(kame -n "$A" -j addr show | jq -r ".[] | select(.address == \"$ll\") | .flags | join(\",\")")"
	check kame -n "$A" addr add 2001:db8::1/64 dev veth0
	sleep 1
	dis0=$(kame_stat "$A" ip6s_ifdisabled)
	check_fail ip netns exec "$B" ping -6 -c 2 -i 0.3 -W 1 2001:db8::1
	[ "$(kame_stat "$A" ip6s_ifdisabled)" -gt "$dis0" ] ||
		{ RET=1; retmsg="ip6s_ifdisabled did not move"; }
	# the duplicate goes away; enabling reruns DAD
	ip -n "$B" -6 addr del "$ll/64" dev veth1
	out=$(ip netns exec "$A" ndp -i veth0 -- -disabled)
	[[ $out != *disabled* ]] || { RET=1; retmsg="still disabled: $out"; }
	check slowwait 10 sh -c "! kame -n $A addr show | grep -Eq 'tentative|duplicated'"
	check ip netns exec "$B" ping -6 -c 2 -i 0.3 -W 5 2001:db8::1
	check ip netns exec "$B" ping -6 -c 1 -W 5 "$ll%veth1"
	log_test "nd6: a duplicated EUI-64 link-local disables the interface; -disabled reruns DAD"
}

test_dad_disables
exit "$EXIT_STATUS"
