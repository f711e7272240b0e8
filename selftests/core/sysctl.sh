#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The stack's knobs: per namespace, range-checked, CAP_NET_ADMIN to change;
# over netlink (kame sysctl) and as sysctls (sysctl(8), /proc/sys).
source "$(dirname "$0")/../lib.sh"

test_knobs() {
	RET=0
	setup_ns A B
	check_eq "default errppslimit" "net.inet6.icmp6.errppslimit: 200" \
		"$(kame -n "$A" sysctl net.inet6.icmp6.errppslimit)"
	check kame -n "$A" sysctl net.inet6.icmp6.errppslimit 50
	check_eq "after set" 50 \
		"$(kame -n "$A" -j sysctl net.inet6.icmp6.errppslimit | jq '.[0].value')"
	check_eq "other namespace unchanged" 200 \
		"$(kame -n "$B" -j sysctl net.inet6.icmp6.errppslimit | jq '.[0].value')"
	check_eq "dump lists the knob" 50 \
		"$(kame -n "$A" -j sysctl | jq '.[] | select(.name == "net.inet6.icmp6.errppslimit") | .value')"
	check_tool_error "outside the knob's range" kame -n "$A" sysctl net.inet6.icmp6.nd6_maxcache 1
	check_tool_error "unknown knob" kame -n "$A" sysctl net.inet6.nosuch 1
	check_tool_error "unsigned 32-bit" kame -n "$A" sysctl net.inet6.icmp6.errppslimit -5
	check_tool_error "CAP_NET_ADMIN" setpriv --inh-caps=-net_admin \
		--bounding-set=-net_admin kame -n "$A" sysctl net.inet6.icmp6.errppslimit 7
	check_eq "unchanged after refusals" 50 \
		"$(kame -n "$A" -j sysctl net.inet6.icmp6.errppslimit | jq '.[0].value')"
	log_test "sysctl: knobs are per namespace, range-checked and need CAP_NET_ADMIN"
}

# A user namespace's owner has CAP_NET_ADMIN over its network namespaces
# (unshare -Urn): it may lower the knobs that size memory, and raise them
# back up to the initial namespace's values, never above; other knobs
# it sets freely.
test_userns_ceiling() {
	local k init
	RET=0
	for k in net.inet6.ip6.rt_max net.inet6.icmp6.nd6_maxcache \
		 net.inet6.ip6.maxfrags net.inet6.icmp6.nd6_maxqueuelen; do
		init=$(kame -j sysctl "$k" | jq '.[0].value')
		check_tool_error "cannot raise a memory limit" \
			unshare -Urn kame sysctl "$k" $((init + 1))
		check unshare -Urn sh -c "kame sysctl $k $((init / 2)) &&
			kame sysctl $k $init"
	done
	check unshare -Urn kame sysctl net.inet6.icmp6.errppslimit 5000
	log_test "sysctl: a user namespace cannot raise memory limits above the initial namespace's"
}

# The same knobs as real sysctls under KAME's names: sysctl(8) and
# /proc/sys/net/inet6/ read and set them, per namespace, with the ranges
# (EINVAL), CAP_NET_ADMIN and the user namespace ceiling (EPERM) of the
# netlink set; every knob kame lists is there with the same value.
test_proc_sysctl() {
	local k v out n=0 init
	RET=0
	setup_ns C D
	check ip netns exec "$C" sysctl -qw net.inet6.ip6.hdrnestlimit=17
	check_eq "sysctl(8) reads it back" "net.inet6.ip6.hdrnestlimit = 17" \
		"$(ip netns exec "$C" sysctl net.inet6.ip6.hdrnestlimit)"
	check_eq "kame sees it" 17 \
		"$(kame -n "$C" -j sysctl net.inet6.ip6.hdrnestlimit | jq '.[0].value')"
	check_eq "another namespace's" 50 \
		"$(ip netns exec "$D" cat /proc/sys/net/inet6/ip6/hdrnestlimit)"
	check kame -n "$C" sysctl net.inet6.udp6.maxreuse 9
	check_eq "kame sets, /proc reads" 9 \
		"$(ip netns exec "$C" cat /proc/sys/net/inet6/udp6/maxreuse)"
	out=$(ip netns exec "$C" sysctl -w net.inet6.icmp6.nd6_maxcache=1 2>&1)
	check_match "outside the range: EINVAL" "Invalid argument" "$out"
	check_fail setpriv --inh-caps=-net_admin --bounding-set=-net_admin \
		ip netns exec "$C" sysctl -qw net.inet6.icmp6.errppslimit=7
	while read -r k v; do
		n=$((n + 1))
		[ "$(ip netns exec "$C" sysctl -n "$k" 2>&1)" = "$v" ] ||
			fail_case "$k: kame says $v, sysctl(8) $(ip netns exec "$C" sysctl -n "$k" 2>&1)"
	done < <(kame -n "$C" -j sysctl | jq -r '.[] | "\(.name) \(.value)"')
	[ "$n" -ge 20 ] || fail_case "only $n knobs listed"
	init=$(cat /proc/sys/net/inet6/ip6/rt_max)
	out=$(unshare -Urn sysctl -w net.inet6.ip6.rt_max=$((init + 1)) 2>&1)
	check_match "user namespace above the initial value: EPERM" \
		"Operation not permitted" "$out"
	check unshare -Urn sh -c "echo $((init / 2)) >/proc/sys/net/inet6/ip6/rt_max"
	log_test "sysctl: the knobs are sysctls too (sysctl(8), /proc/sys/net/inet6), $n of them"
}

test_knobs
test_userns_ceiling
test_proc_sysctl
exit "$EXIT_STATUS"
