#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A KAME host and a stock Linux host on one link: addresses, DAD, Neighbor
# Discovery and ICMPv6 echo, checked from the native side.
#
#   +----- $A (KAME) -----+        +-- $B (native Linux) --+
#   |  veth0 2001:db8::1  |--------|  veth1 2001:db8::2     |
#   +---------------------+        +------------------------+
source "$(dirname "$0")/../lib.sh"

setup() {
	kame_native_pair
}

addr_flags() {	# NS ADDR
	kame -n "$1" -j addr show | jq -r ".[] | select(.address == \"$2\") | .flags | join(\",\")"
}

test_addresses_and_dad() {
	RET=0
	LL_A=$(eui64_ll "$MAC_A")
	check_eq "link-local address from EUI-64" "$LL_A" \
		"$(kame -n "$A" -j addr show dev veth0 | jq -r '.[] | select(.flags | index("autoconf")) | .address')"
	check slowwait 10 sh -c "[ -z \"\$(kame -n $A -j addr show | jq -r '.[].flags[]' | grep tentative)\" ]"
	check_eq "global address flags after DAD" "" "$(addr_flags "$A" 2001:db8::1)"
	check_eq "plain text form" \
		"veth0: inet6 2001:db8::1/64 valid_lft forever preferred_lft forever" \
		"$(kame -n "$A" addr show dev veth0 | grep 2001:db8::1)"
	log_test "addr: link-local from EUI-64, DAD completes, addresses usable"
}

test_ping_from_native() {
	local rep0 rep
	RET=0
	rep0=$(kame_icmp6_stat "$A" icp6s_outhist_echoreply)
	check ip netns exec "$B" ping -6 -c 3 -i 0.3 -W 5 2001:db8::1
	check ip netns exec "$B" ping -6 -c 2 -i 0.3 -W 5 "$LL_A%veth1"
	rep=$(kame_icmp6_stat "$A" icp6s_outhist_echoreply)
	check_eq "echo replies sent" $((rep0 + 5)) "$rep"
	out=$(ip netns exec "$B" ping -6 -c 2 -i 0.5 -W 2 ff02::1%veth1 2>&1)
	check_match "no reply from $LL_A to ff02::1" "from $LL_A" "$out"
	log_test "icmp6: native host pings global, link-local and ff02::1"
}

test_neighbor_caches() {
	local line
	RET=0
	line=$(ip netns exec "$A" ndp -an | grep '^2001:db8::2 ')
	[[ $line == "2001:db8::2"*"$MAC_B"*"veth0"* ]] ||
		fail_case "ndp -an has no 2001:db8::2 with $MAC_B: $(ip netns exec "$A" ndp -an)"
	check_eq "ndp -j state of the native neighbour" true \
		"$(ip netns exec "$A" ndp -anj | jq '[.[] | select(.neighbor == "2001:db8::2")][0].state | IN("reachable","stale","delay","probe")')"
	check_eq "native neighbour cache learnt the KAME MAC" "$MAC_A" \
		"$(ip -n "$B" -j -6 neigh show 2001:db8::1 | jq -r '.[0].lladdr')"
	ip netns exec "$A" ndp -an | grep -q "^$LL_B%veth0 " ||
		fail_case "link-local neighbour not shown as $LL_B%veth0: $(ip netns exec "$A" ndp -an)"
	log_test "nd6: both neighbour caches resolve each other (ndp -an)"
}

test_dad_duplicate() {
	local dup0
	RET=0
	dup0=$(kame_icmp6_stat "$A" icp6s_dad_dup)
	check kame -n "$A" addr add 2001:db8::2/64 dev veth0
	check slowwait 10 sh -c "kame -n $A -j addr show | jq -e '.[] | select(.address == \"2001:db8::2\") | .flags | index(\"duplicated\")' >/dev/null"
	check_eq "flags" duplicated "$(addr_flags "$A" 2001:db8::2)"
	check_eq "icp6s_dad_dup" $((dup0 + 1)) "$(kame_icmp6_stat "$A" icp6s_dad_dup)"
	kame -n "$A" addr show | grep -q '2001:db8::2/64 duplicated' ||
		fail_case "text: $(kame -n "$A" addr show)"
	# never a source: what the KAME host sends to the link comes from ::1
	pcap_start "$B" veth1 /tmp/dad-$$.pcap "ether src $MAC_A and ip6"
	for i in 1 2 3; do
		ip netns exec "$A" kame-udp send -t 1 2001:db8::2 9 probe >/dev/null 2>&1
	done
	ip netns exec "$B" ping -6 -c 1 -W 2 ff02::1%veth1 >/dev/null 2>&1
	pcap_stop "$PCAP_PID"
	check_eq "packets from the duplicated address" 0 \
		"$(tcpdump -n -r /tmp/dad-$$.pcap 'src 2001:db8::2' 2>/dev/null | wc -l)"
	[ "$(tcpdump -n -r /tmp/dad-$$.pcap 'udp and src 2001:db8::1' 2>/dev/null | wc -l)" -ge 1 ] ||
		fail_case "datagrams not sent from 2001:db8::1: $(tcpdump -n -r /tmp/dad-$$.pcap 2>/dev/null)"
	rm -f /tmp/dad-$$.pcap /tmp/dad-$$.err
	check kame -n "$A" addr del 2001:db8::2 dev veth0
	log_test "nd6: DAD marks an address the native host owns as duplicated"
}

test_scope_embedded_refused() {
	RET=0
	check_tool_error "embedded" kame -n "$A" addr add fe80:1::5/64 dev veth0
	check kame -n "$A" addr add fe80::5/64 dev veth0
	check_eq "plain link-local shown" "fe80::5" \
		"$(kame -n "$A" -j addr show | jq -r '.[] | select(.address == "fe80::5") | .address')"
	check_tool_error "already configured" kame -n "$A" addr add fe80::5/64 dev veth0
	check kame -n "$A" addr del fe80::5 dev veth0
	check_tool_error "no such address" kame -n "$A" addr del fe80::5 dev veth0
	check_tool_error "not a unicast address" kame -n "$A" addr add ff02::5 dev veth0
	log_test "addr: embedded scope form refused, plain link-local accepted"
}

addr10() {	# one snapshot of 2001:db8::10 as JSON ("" when gone)
	kame -n "$A" -j addr show | jq -c '.[] | select(.address == "2001:db8::10")'
}

# Preferred 4 s, valid 20 s: the deprecated phase lasts 16 s, long enough
# for polls that take seconds each on a loaded host. The assertions are on
# states and their order, each from one snapshot: not deprecated while
# preferred_lft is left, deprecated (preferred_lft 0) while the address
# is still there, then removed.
test_lifetimes() {
	local j v p
	RET=0
	check kame -n "$A" addr add 2001:db8::10/64 dev veth0 valid_lft 20 preferred_lft 4
	j=$(addr10)
	v=$(jq '.valid_lft' <<<"$j")
	p=$(jq '.preferred_lft' <<<"$j")
	[ -n "$v" ] && [ "$v" -le 20 ] && [ "$v" -ge 1 ] &&
		[ "$p" -le 4 ] && [ "$p" -le "$v" ] ||
		fail_case "lifetimes shown as \"$j\""
	[ "$p" = 0 ] || [ "$(jq '.flags | index("deprecated")' <<<"$j")" = null ] ||
		fail_case "deprecated with $p s of preferred lifetime left: $j"
	check slowwait 30 sh -c "kame -n $A -j addr show | jq -e '.[] | select(.address == \"2001:db8::10\") | (.flags | index(\"deprecated\")) and .preferred_lft == 0' >/dev/null"
	check slowwait 40 sh -c "! kame -n $A addr show | grep -q 2001:db8::10/"
	check_tool_error "preferred lifetime is longer" \
		kame -n "$A" addr add 2001:db8::11/64 dev veth0 valid_lft 5 preferred_lft 9
	check_tool_error "lifetime must be" \
		kame -n "$A" addr add 2001:db8::11/64 dev veth0 valid_lft soon
	log_test "addr: preferred lifetime deprecates, valid lifetime removes"
}

# Lifetimes of more than 2^32 jiffies (a year is 7.9e9 at HZ 250): each is
# shown within a minute of what was given, in the JSON and in the text,
# not wrapped to weeks or months; 0xffffffff stays forever.
test_long_lifetimes() {
	local a lft j v p
	RET=0
	for lft in 31536000 200000000 4294967294; do
		a=2001:db8::$(printf %x $((lft % 65536)))
		check kame -n "$A" addr add "$a/64" dev veth0 valid_lft "$lft" \
			preferred_lft $((lft / 2))
		j=$(kame -n "$A" -j addr show | jq -c ".[] | select(.address == \"$a\")")
		v=$(jq '.valid_lft' <<<"$j")
		p=$(jq '.preferred_lft' <<<"$j")
		{ [ -n "$v" ] && [ "$v" -le "$lft" ] && [ "$v" -ge $((lft - 60)) ] &&
		  [ "$p" -le $((lft / 2)) ] && [ "$p" -ge $((lft / 2 - 60)) ]; } ||
			fail_case "valid_lft $lft preferred_lft $((lft / 2)) shown as $j"
		[ "$(jq '.flags | index("deprecated")' <<<"$j")" = null ] ||
			fail_case "deprecated: $j"
		v=$(kame -n "$A" addr show dev veth0 |
			sed -n "s|^veth0: inet6 $a/64 valid_lft \([0-9]*\)sec preferred_lft [0-9]*sec$|\1|p")
		{ [ -n "$v" ] && [ "$v" -le "$lft" ] && [ "$v" -ge $((lft - 60)) ]; } ||
			fail_case "text: $(kame -n "$A" addr show dev veth0 | grep "$a/")"
		check kame -n "$A" addr del "$a" dev veth0
	done
	check kame -n "$A" addr add 2001:db8::14/64 dev veth0 valid_lft forever preferred_lft 4294967294
	j=$(kame -n "$A" -j addr show | jq -c '.[] | select(.address == "2001:db8::14")')
	check_eq "forever stays forever, 0xfffffffe is finite" true \
		"$(jq '.valid_lft == "forever" and .preferred_lft <= 4294967294 and .preferred_lft >= 4294967234' <<<"$j")"
	check kame -n "$A" addr del 2001:db8::14 dev veth0
	log_test "addr: lifetimes of a year and more are kept, not wrapped"
}

# An anycast address (RFC 4291 2.6): shown as such, answered from a
# unicast address, never the source of anything.
test_anycast() {
	local cap n
	RET=0
	DGRAM=$KAME_TOP/build/helpers/inet6/kame_dgram
	check kame -n "$A" addr add 2001:db8::99/64 dev veth0 anycast
	kame -n "$A" addr show dev veth0 | grep -q '2001:db8::99/64 anycast ' ||
		fail_case "text: $(kame -n "$A" addr show dev veth0)"
	check_eq "JSON flags" anycast "$(addr_flags "$A" 2001:db8::99)"
	cap=$(mktemp)
	pcap_start "$B" veth1 "$cap" "ether src $MAC_A and ip6"
	ip netns exec "$B" ip -6 neigh del 2001:db8::99 dev veth1 2>/dev/null
	ip netns exec "$B" ping -6 -c 2 -i 0.3 -W 2 2001:db8::99 >/dev/null 2>&1
	check ip netns exec "$A" "$DGRAM" send 2001:db8::2 9
	check_fail ip netns exec "$A" "$DGRAM" -S 2001:db8::99 send 2001:db8::2 9
	pcap_stop "$PCAP_PID"
	n=$(tcpdump -n -r "$cap" 'icmp6 and ip6[40] == 129 and src 2001:db8::1 and dst 2001:db8::2' 2>/dev/null | wc -l)
	check_eq "echo replies from the unicast address" 2 "$n"
	check_eq "packets from the anycast address" 0 \
		"$(tcpdump -n -r "$cap" 'src 2001:db8::99' 2>/dev/null | wc -l)"
	[ "$(tcpdump -n -r "$cap" 'udp and src 2001:db8::1' 2>/dev/null | wc -l)" -ge 1 ] ||
		fail_case "datagram not sent from 2001:db8::1: $(tcpdump -n -r "$cap" 2>/dev/null)"
	# RFC 4861 7.2.4: the advertisement for an anycast target has O clear
	tcpdump -n -v -r "$cap" 'icmp6 and ip6[40] == 136' 2>/dev/null |
		grep -A1 'tgt is 2001:db8::99' | grep -q 'Flags \[solicited\]$' ||
		fail_case "NA for the anycast address: $(tcpdump -n -v -r "$cap" 'icmp6 and ip6[40] == 136' 2>/dev/null)"
	rm -f "$cap" "$cap.err"
	check kame -n "$A" addr del 2001:db8::99 dev veth0
	log_test "addr: anycast shown, echo answered from a unicast address, never a source"
}

# net.inet6.ip6.auto_linklocal=0: an interface attached then has no
# link-local address, not even after NETDEV_UP; a manual one works;
# ndp -i IF auto_linklocal makes the EUI-64 one.
test_auto_linklocal() {
	local ll4
	RET=0
	check_tool_error "range" kame -n "$A" sysctl net.inet6.ip6.auto_linklocal 2
	check kame -n "$A" sysctl net.inet6.ip6.auto_linklocal 0
	ip -n "$A" link add veth4 type veth peer name veth5 netns "$B"
	ip -n "$A" link set veth4 up
	ip -n "$B" link set veth5 up
	check kame -n "$A" link attach veth4
	check_eq "addresses after attach" 0 "$(kame -n "$A" -j addr show dev veth4 | jq length)"
	check_eq "auto_linklocal flag" false \
		"$(ip netns exec "$A" ndp -j -i veth4 | jq '.[0].flags | index("auto_linklocal") != null')"
	ip -n "$A" link set veth4 down
	ip -n "$A" link set veth4 up
	sleep 1
	check_eq "addresses after down and up" 0 "$(kame -n "$A" -j addr show dev veth4 | jq length)"
	check kame -n "$A" addr add fe80::5/64 dev veth4
	check slowwait 10 sh -c "! kame -n $A addr show dev veth4 | grep -q tentative"
	check ip netns exec "$B" ping -6 -c 2 -i 0.3 -W 5 fe80::5%veth5
	check kame -n "$A" addr del fe80::5 dev veth4
	check ip netns exec "$A" ndp -i veth4 auto_linklocal
	ll4=$(eui64_ll "$(ip -n "$A" -j link show veth4 | jq -r '.[0].address')")
	check_eq "EUI-64 link-local after auto_linklocal" "$ll4" \
		"$(kame -n "$A" -j addr show dev veth4 | jq -r '.[].address')"
	check kame -n "$A" sysctl net.inet6.ip6.auto_linklocal 1
	check kame -n "$A" link detach veth4
	ip -n "$A" link del veth4
	log_test "addr: auto_linklocal off: no link-local at attach or up; a manual one works"
}

setup
test_addresses_and_dad
test_lifetimes
test_long_lifetimes
test_ping_from_native
test_neighbor_caches
test_dad_duplicate
test_scope_embedded_refused
test_anycast
test_auto_linklocal
exit "$EXIT_STATUS"
