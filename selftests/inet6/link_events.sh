#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The stack follows its devices: a new MAC address is announced with
# unsolicited NAs (RFC 4861 7.2.6) that the native host's cache takes; DAD
# runs again when the device comes up (RFC 4862 5.4); the device MTU is
# the link MTU, and below 1280 the stack stops on the interface until it
# is back.
#
#   +----- $A (KAME) -----+        +-- $B (native Linux) --+
#   |  veth0 2001:db8::1  |--------|  veth1 2001:db8::2     |
#   +---------------------+        +------------------------+
source "$(dirname "$0")/../lib.sh"

setup() {
	kame_native_pair
	TMP=$(mktemp -d)
	LL_A=$(eui64_ll "$MAC_A")
	defer_pids=()
}

trap kame_cleanup EXIT

nd6_stat() {
	kame -n "$A" stats nd6 "$1"
}

cap_start() {	# FILE FILTER...
	pcap_start "$B" veth1 "$@"
	CAP=$PCAP_PID
	defer_pids+=("$CAP")
}

cap_stop() { pcap_stop "$CAP"; }

neigh_lladdr() {	# ADDR
	ip -n "$B" -j -6 neigh show "$1" dev veth1 | jq -r '.[0].lladdr // "none"'
}

test_mac_change() {
	local new=02:00:00:00:aa:01 u0 out
	RET=0
	check ip netns exec "$B" ping -6 -c 1 -W 5 2001:db8::1
	check ip netns exec "$B" ping -6 -c 1 -W 5 "$LL_A%veth1"
	check_eq "native cache before" "$MAC_A" "$(neigh_lladdr 2001:db8::1)"
	u0=$(nd6_stat nd6_unsol_na)
	cap_start "$TMP/na.pcap" icmp6 and 'ip6[40] == 136'
	check ip -n "$A" link set veth0 address "$new"
	check slowwait 5 sh -c "[ \"\$(ip -n $B -j -6 neigh show 2001:db8::1 dev veth1 | jq -r '.[0].lladdr')\" = $new ]"
	check slowwait 5 sh -c "[ \"\$(ip -n $B -j -6 neigh show $LL_A dev veth1 | jq -r '.[0].lladdr')\" = $new ]"
	# two addresses, three rounds RetransTimer (1 s) apart
	check slowwait 10 sh -c "[ \$(kame -n $A stats nd6 nd6_unsol_na) -ge $((u0 + 6)) ]"
	cap_stop
	check_eq "nd6_unsol_na" $((u0 + 6)) "$(nd6_stat nd6_unsol_na)"
	out=$(tcpdump -n -e -v -r "$TMP/na.pcap" 2>/dev/null)
	check_eq "unsolicited NAs for 2001:db8::1 to all-nodes, override set" 3 \
		"$(echo "$out" | grep "$new > 33:33:00:00:00:01, .* > ff02::1: " |
		   grep -c 'tgt is 2001:db8::1, Flags \[override\]$')"
	check ip netns exec "$B" ping -6 -c 1 -W 5 2001:db8::1
	log_test "link: a new MAC is announced by unsolicited NAs; the native cache follows"
}

test_up_dad() {
	local r0 out
	RET=0
	check ip netns exec "$A" ndp -i veth0 retrans=5000
	r0=$(nd6_stat nd6_dad_restart)
	cap_start "$TMP/dad.pcap" icmp6 and src ::
	check ip -n "$A" link set veth0 down
	check ip -n "$A" link set veth0 up
	check_eq "addresses tentative again" 2 \
		"$(kame -n "$A" -j addr show | jq '[.[] | select(.flags | index("tentative"))] | length')"
	check slowwait 10 sh -c "! kame -n $A addr show | grep -q tentative"
	cap_stop
	check_eq "nd6_dad_restart" $((r0 + 2)) "$(nd6_stat nd6_dad_restart)"
	out=$(tcpdump -n -r "$TMP/dad.pcap" 2>/dev/null)
	check_match "no DAD NS for 2001:db8::1" \
		":: > ff02::1:ff00:1: .*who has 2001:db8::1" "$out"
	check_match "no DAD NS for $LL_A" "who has $LL_A" "$out"
	check ip netns exec "$A" ndp -i veth0 retrans=1000
	check ip netns exec "$B" ping -6 -c 1 -W 5 2001:db8::1
	log_test "link: down and up makes the addresses tentative and reruns DAD on the wire"
}

test_mtu() {
	local out big d0 r0
	RET=0
	check ip -n "$A" link set veth0 mtu 1400
	check ip -n "$B" link set veth1 mtu 1400
	cap_start "$TMP/mtu.pcap" ip6 and src 2001:db8::1
	check ip netns exec "$B" ping -6 -c 1 -W 5 -s 3000 2001:db8::1
	cap_stop
	out=$(tcpdump -n -e -r "$TMP/mtu.pcap" 2>/dev/null)
	big=$(echo "$out" | sed -n 's/.*, length \([0-9]*\):.*/\1/p' | sort -n | tail -n 1)
	check_eq "largest frame of the fragmented reply (MTU 1400 + 14)" 1414 "$big" ||
		retmsg="$retmsg: $out (tcpdump: $(cat "$TMP/mtu.pcap.err"))"
	# below the IPv6 minimum the stack stops on the interface
	d0=$(kame_stat "$A" ip6s_ifdisabled)
	check ip -n "$A" link set veth0 mtu 1200
	check_fail ip netns exec "$B" ping -6 -c 2 -i 0.3 -W 1 2001:db8::1
	[ "$(kame_stat "$A" ip6s_ifdisabled)" -gt "$d0" ] ||
		fail_case "ip6s_ifdisabled did not move with MTU 1200"
	r0=$(nd6_stat nd6_dad_restart)
	check ip -n "$A" link set veth0 mtu 1500
	check ip -n "$B" link set veth1 mtu 1500
	check_eq "DAD again when the MTU is back" $((r0 + 2)) "$(nd6_stat nd6_dad_restart)"
	check slowwait 10 sh -c "! kame -n $A addr show | grep -q tentative"
	check ip netns exec "$B" ping -6 -c 1 -W 5 -s 3000 2001:db8::1
	log_test "link: the device MTU is the link MTU; below 1280 IPv6 stops until it is back"
}

setup
test_mac_change
test_up_dad
test_mtu
exit "$EXIT_STATUS"
