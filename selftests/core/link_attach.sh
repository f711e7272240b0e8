#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Attaching and detaching interfaces:
#
#   +----- $A (KAME) -----+        +-- $B (native Linux) --+
#   |  veth0 2001:db8::1  |--------|  veth1 2001:db8::2     |
#   +---------------------+        +------------------------+
source "$(dirname "$0")/../lib.sh"

setup() {
	setup_ns A B
	ip -n "$A" link add veth0 type veth peer name veth1 netns "$B"
	for ns in "$A" "$B"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
			net.ipv6.conf.default.accept_dad=0
	done
	ip netns exec "$A" sysctl -qw net.ipv6.conf.veth0.accept_dad=0
	ip netns exec "$B" sysctl -qw net.ipv6.conf.veth1.accept_dad=0
	ip -n "$A" link set veth0 up
	ip -n "$B" link set veth1 up
	ip -n "$A" -6 addr add 2001:db8::1/64 dev veth0 nodad
	ip -n "$B" -6 addr add 2001:db8::2/64 dev veth1 nodad
}

native_addrs() {	# NS DEV: the native IPv6 addresses on DEV
	ip -n "$1" -6 -o addr show dev "$2" | awk '{print $4}' | sort | tr '\n' ' '
}

test_attach_takes_native_away() {
	RET=0
	# native IPv6 works and has a neighbour entry before the attach
	check ip netns exec "$B" ping -6 -c 1 -W 5 2001:db8::1
	check busywait 5000 sh -c "ip -n $A -6 neigh show dev veth0 | grep -q 2001:db8::2"
	check kame -n "$A" link attach veth0
	check_eq "native addresses after attach" "" "$(native_addrs "$A" veth0)"
	check_eq "native neighbours after attach" "" \
		"$(ip -n "$A" -6 neigh show dev veth0)"
	check_eq "disable_ipv6 after attach" 1 \
		"$(ip netns exec "$A" sysctl -n net.ipv6.conf.veth0.disable_ipv6)"
	check_eq "attached list" veth0 \
		"$(kame -n "$A" -j link show | jq -r '.[].ifname')"
	check_eq "native IPv6 restored on detach" true \
		"$(kame -n "$A" -j link show veth0 | jq -r '.[0].native_ipv6_on_detach')"
	check_eq "link-layer address" \
		"$(ip -n "$A" -j link show veth0 | jq -r '.[0].address')" \
		"$(kame -n "$A" -j link show veth0 | jq -r '.[0].address')"
	kame -n "$A" link show | grep -q '^[0-9]*: veth0: <UP,RUNNING> mtu 1500' ||
		fail_case "text output: $(kame -n "$A" link show)"
	log_test "link: attach takes veth from native IPv6 (addresses, neighbours)"
}

test_input_counted() {
	local total0 sum0 rx0 total sum rx
	RET=0
	rx0=$(kame -n "$A" -j link show veth0 | jq '.[0].rx_packets')
	read -r total0 sum0 < <(kame_ip6_in_sum "$A")
	# native Linux no longer answers for 2001:db8::1 on veth0
	check_fail ip netns exec "$B" ping -6 -c 3 -i 0.2 -W 1 2001:db8::1
	read -r total sum < <(kame_ip6_in_sum "$A")
	rx=$(kame -n "$A" -j link show veth0 | jq '.[0].rx_packets')
	[ $((total - total0)) -ge 3 ] ||
		fail_case "ip6s_total grew by $((total - total0)), expected >= 3"
	check_eq "every received packet delivered or dropped with one counter" \
		$((total - total0)) $((sum - sum0))
	# the link counter is read around the snapshots: it grew at least as much
	[ $((rx - rx0)) -ge $((total - total0)) ] ||
		fail_case "link rx_packets grew by $((rx - rx0)), ip6s_total by $((total - total0))"
	log_test "link: frames on an attached link enter the KAME input path"
}

test_detach_hands_back() {
	local ll
	RET=0
	check kame -n "$A" link detach veth0
	check_eq "disable_ipv6 after detach" 0 \
		"$(ip netns exec "$A" sysctl -n net.ipv6.conf.veth0.disable_ipv6)"
	check_eq "attached list after detach" "" "$(kame -n "$A" -j link show | jq -r '.[].ifname')"
	check busywait 10000 sh -c "ip -n $A -6 addr show dev veth0 scope link | grep -q fe80::"
	ll=$(ip -n "$A" -6 -o addr show dev veth0 scope link | awk '{print $4}' | cut -d/ -f1)
	check ip netns exec "$B" ping -6 -c 1 -W 5 "$ll%veth1"
	log_test "link: detach hands the interface back to native IPv6"
}

test_attach_keeps_disabled() {
	RET=0
	ip netns exec "$A" sysctl -qw net.ipv6.conf.veth0.disable_ipv6=1
	check kame -n "$A" link attach veth0
	check_eq "native_ipv6_on_detach" false \
		"$(kame -n "$A" -j link show veth0 | jq -r '.[0].native_ipv6_on_detach')"
	check kame -n "$A" link detach veth0
	check_eq "disable_ipv6 stays as it was" 1 \
		"$(ip netns exec "$A" sysctl -n net.ipv6.conf.veth0.disable_ipv6)"
	ip netns exec "$A" sysctl -qw net.ipv6.conf.veth0.disable_ipv6=0
	log_test "link: detach restores a native IPv6 that was already off"
}

test_tool_errors() {
	RET=0
	check kame -n "$A" link attach veth0
	check_tool_error "already attached" kame -n "$A" link attach veth0
	check_tool_error "does not exist" kame -n "$A" link attach nosuch0
	check_tool_error "not attached" kame -n "$B" link detach veth1
	check_tool_error "only Ethernet" kame -n "$A" link attach lo
	check_tool_error "unknown" kame -n "$A" frobnicate
	check_tool_error "unknown" kame -n "$A" link frobnicate veth0
	check_tool_error "cannot open network namespace" kame -n nosuch-ns link show
	check_tool_error "missing interface name" kame -n "$A" link attach
	check kame -n "$A" link detach veth0
	log_test "link: bad input gets one Error line and exit 1"
}

test_no_cap_net_admin() {
	RET=0
	check kame -n "$A" link attach veth0
	# root without CAP_NET_ADMIN: reading works, changing does not
	check setpriv --inh-caps=-net_admin --bounding-set=-net_admin \
		kame -n "$A" link show veth0
	check_tool_error "CAP_NET_ADMIN" setpriv --inh-caps=-net_admin \
		--bounding-set=-net_admin kame -n "$A" link detach veth0
	check_eq "still attached" veth0 "$(kame -n "$A" -j link show | jq -r '.[].ifname')"
	check kame -n "$A" link detach veth0
	log_test "link: changes need CAP_NET_ADMIN"
}

test_netdev_unregister() {
	RET=0
	ip -n "$A" link add veth2 type veth peer name veth3 netns "$B"
	ip -n "$A" link set veth2 up
	check kame -n "$A" link attach veth2
	check ip -n "$A" link del veth2
	check_eq "attached list after the netdev went away" "" \
		"$(kame -n "$A" -j link show | jq -r '.[].ifname')"
	log_test "link: an attached netdev going away is detached"
}

test_detach_under_traffic() {
	local i pid
	RET=0
	ip netns exec "$B" ping -6 -q -i 0.002 -s 1000 2001:db8::1 >/dev/null 2>&1 &
	pid=$!
	for i in $(seq 20); do
		check kame -n "$A" link attach veth0 || break
		check kame -n "$A" link detach veth0 || break
	done
	kill "$pid"
	wait "$pid" 2>/dev/null
	log_test "link: attach and detach while packets flow (20 rounds)"
}

test_netns_delete_attached() {
	local C
	RET=0
	setup_ns C
	ip -n "$C" link add vc0 type veth peer name vc1
	ip -n "$C" link set vc0 up
	ip -n "$C" link add dm0 type dummy
	ip -n "$C" link set dm0 up
	check kame -n "$C" link attach vc0
	check kame -n "$C" link attach dm0
	check cleanup_ns "$C"
	check_eq "namespace gone" "" "$(ip netns list | grep "^$C")"
	log_test "link: deleting a namespace with attached interfaces"
}

# Linux's own count of IPv6 frames received on DEV in NS
native_in() {	# NS DEV
	ip netns exec "$1" awk '$1 == "Ip6InReceives" { print $2 }' "/proc/net/dev_snmp6/$2"
}

# Ping the KAME link-local of veth0 from $B 3 times; print how much
# native IPv6's and KAME's receive counters of veth0 grew.
ping_ll_counts() {
	local ll n0 k0
	ll=$(kame -n "$A" -j addr show dev veth0 | jq -r '.[] | select(.address | startswith("fe80")) | .address')
	slowwait 10 sh -c "! kame -n $A addr show dev veth0 | grep -q tentative"
	n0=$(native_in "$A" veth0)
	k0=$(kame -n "$A" -j link show veth0 | jq '.[0].rx_packets')
	ip netns exec "$B" ping -6 -c 3 -i 0.2 -W 5 "$ll%veth1" >/dev/null 2>&1
	echo "$(( $(native_in "$A" veth0) - n0 ))" \
		"$(( $(kame -n "$A" -j link show veth0 | jq '.[0].rx_packets') - k0 ))"
}

# IPv6 frames are taken by an rx_handler on the device, before Linux's
# protocol handlers: ipv6_rcv() never sees them. Where the device already
# has an rx_handler (here a macvlan on top of it), a packet_type handler
# takes them beside ipv6_rcv(), which drops them (disable_ipv6).
test_input_hook() {
	local nat kin
	RET=0
	check kame -n "$A" link attach veth0
	read -r nat kin < <(ping_ll_counts)
	check_eq "native Ip6InReceives on veth0 (rx_handler)" 0 "$nat"
	[ "$kin" -ge 3 ] || check_eq "KAME rx_packets (rx_handler)" ">= 3" "$kin"
	check kame -n "$A" link detach veth0
	check ip -n "$A" link add mv0 link veth0 type macvlan mode bridge
	check kame -n "$A" link attach veth0
	read -r nat kin < <(ping_ll_counts)
	[ "$nat" -ge 3 ] || check_eq "native Ip6InReceives on veth0 (packet_type)" ">= 3" "$nat"
	[ "$kin" -ge 3 ] || check_eq "KAME rx_packets (packet_type)" ">= 3" "$kin"
	check kame -n "$A" link detach veth0
	ip -n "$A" link del mv0
	log_test "link: input by rx_handler (native ipv6_rcv sees nothing), packet_type beside a macvlan"
}

setup
test_attach_takes_native_away
test_input_counted
test_detach_hands_back
test_attach_keeps_disabled
test_input_hook
test_tool_errors
test_no_cap_net_admin
test_netdev_unregister
test_detach_under_traffic
test_netns_delete_attached
exit "$EXIT_STATUS"
