#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The stack's knobs: per namespace, range-checked, CAP_NET_ADMIN to change.
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

test_knobs
test_userns_ceiling
exit "$EXIT_STATUS"
