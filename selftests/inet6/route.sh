#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The stack's routing table against a stock Linux host: connected and local
# routes, a default route through the native host, no route, reject and
# blackhole routes, packets to our own addresses looped internally, the
# destination check by route lookup, address unreachable when ND fails,
# bad requests, kame -batch, the table's cap, many routes, the longest
# match among many, detach.
#
#   +----- $A (KAME) -----+        +-- $B (native Linux) --+
#   |  veth0 2001:db8::1  |--------|  veth1 2001:db8::2     |
#   +---------------------+        +------------------------+
source "$(dirname "$0")/../lib.sh"

BULK=$KAME_TOP/build/helpers/inet6/route_bulk

setup() {
	kame_native_pair
	TMP=$(mktemp -d)
	IDX=$(ip -n "$A" -j link show veth0 | jq '.[0].ifindex')
	LL_A=$(eui64_ll "$MAC_A")
	defer_pids=()
}

trap kame_cleanup EXIT

# "Destination Gateway Flags Netif" of each route, one per line
routes() {
	kame -n "$A" route show | awk 'NR > 4 { print $1, $2, $3, $4 }'
}

has_route() {	# LINE
	routes | grep -qxF "$1" ||
		fail_case "no route \"$1\" in: $(routes | tr '\n' '|')"
}

no_route() {	# DESTINATION
	! routes | grep -q "^$1 " ||
		fail_case "route $1 still there"
}

# tcpdump on the native side: cap_start FILE FILTER...; cap_stop
cap_start() {
	pcap_start "$B" veth1 "$@"
	CAP=$PCAP_PID
	defer_pids+=("$CAP")
}

cap_stop() { pcap_stop "$CAP"; }

test_connected_local() {
	RET=0
	has_route "fe80::%veth0/64 link#$IDX UC veth0"
	has_route "$LL_A%veth0 link#$IDX UHL veth0"
	has_route "ff01::%veth0/32 link#$IDX U veth0"
	has_route "ff02::%veth0/32 link#$IDX U veth0"
	has_route "2001:db8::/64 link#$IDX UC veth0"
	has_route "2001:db8::1 link#$IDX UHL veth0"
	check_eq "routes after attach and one address" 6 "$(kame -n "$A" -j route show | jq length)"
	check_eq "JSON of the connected route" '"2001:db8::" 64 "UC" "veth0"' \
		"$(kame -n "$A" -j route show | jq -r '.[] | select(.dst == "2001:db8::" and .prefixlen == 64) | "\(.dst|tojson) \(.prefixlen) \(.flags|tojson) \(.dev|tojson)"')"
	# two addresses of one prefix share its connected route
	check kame -n "$A" addr add 2001:db8:1::1/64 dev veth0
	check kame -n "$A" addr add 2001:db8:1::2/64 dev veth0
	check kame -n "$A" addr add 2001:db8:1::99/64 dev veth0 anycast
	has_route "2001:db8:1::/64 link#$IDX UC veth0"
	has_route "2001:db8:1::2 link#$IDX UHL veth0"
	has_route "2001:db8:1::99 link#$IDX UHL veth0"
	check kame -n "$A" addr del 2001:db8:1::1 dev veth0
	check kame -n "$A" addr del 2001:db8:1::99 dev veth0
	has_route "2001:db8:1::/64 link#$IDX UC veth0"
	no_route "2001:db8:1::1"
	no_route "2001:db8:1::99"
	check kame -n "$A" addr del 2001:db8:1::2 dev veth0
	no_route "2001:db8:1::/64"
	no_route "2001:db8:1::2"
	log_test "route: connected and local routes follow attach and addresses"
}

test_default_route() {
	local out
	RET=0
	check kame -n "$A" route add default via "$LL_B" dev veth0
	has_route "default $LL_B%veth0 UGS veth0"
	cap_start "$TMP/def.pcap" udp
	ip netns exec "$A" kame-udp send -t 1 2001:db8:9::1 9999 off-link >/dev/null 2>&1
	cap_stop
	out=$(tcpdump -n -e -r "$TMP/def.pcap" 2>/dev/null)
	check_match "no datagram to 2001:db8:9::1 at the native MAC" \
		"^.*$MAC_A > $MAC_B, .*2001:db8::1\.[0-9]* > 2001:db8:9::1\.9999: UDP" "$out"
	log_test "route: a default route via the native host's link-local address"
}

test_no_route() {
	local n0 out
	RET=0
	check kame -n "$A" route del default
	no_route default
	n0=$(kame_stat "$A" ip6s_noroute)
	out=$(ip netns exec "$A" kame-udp send -t 1 2001:db8:9::1 9999 x 2>&1)
	[[ $out == *"Network is unreachable"* ]] ||
		fail_case "send without a route: $out"
	check_eq "ip6s_noroute" $((n0 + 1)) "$(kame_stat "$A" ip6s_noroute)"
	log_test "route: no route gives ENETUNREACH and counts ip6s_noroute"
}

test_not_ours() {
	local c0 t0 d0 t d
	RET=0
	c0=$(kame_stat "$A" ip6s_cantforward)
	read -r t0 d0 < <(kame_ip6_in_sum "$A")
	ip netns exec "$B" python3 - veth1 "$MAC_A" "$MAC_B" <<'PY'
import sys
from scapy.all import Ether, IPv6, UDP, ICMPv6EchoRequest, sendp, conf
conf.verb = 0
i, a, b = sys.argv[1:4]
e = Ether(src=b, dst=a)
sendp([e / IPv6(src="2001:db8::2", dst="2001:db8::77") / UDP(dport=9),
       e / IPv6(src="2001:db8::2", dst="2001:db8:9::5") / ICMPv6EchoRequest()],
      iface=i)
PY
	check_eq "ip6s_cantforward" $((c0 + 2)) "$(kame_stat "$A" ip6s_cantforward)"
	read -r t d < <(kame_ip6_in_sum "$A")
	check_eq "every packet counted once" $((t - t0)) $((d - d0))
	log_test "route: packets to addresses the node does not own are dropped (ip6s_cantforward)"
}

test_loopback() {
	local out
	RET=0
	ip netns exec "$A" kame-udp echo -n 3 7100 >"$TMP/echo" 2>&1 &
	defer_pids+=($!)
	check slowwait 10 grep -q ready "$TMP/echo"
	cap_start "$TMP/lo.pcap" udp port 7100
	out=$(ip netns exec "$A" kame-udp send 2001:db8::1 7100 hi-self)
	check_eq "global" "from [2001:db8::1]:7100 7 bytes: hi-self" "$out"
	out=$(ip netns exec "$A" kame-udp send "$LL_A%veth0" 7100 hi-ll)
	[[ $out == "from [$LL_A%$IDX]:7100 5 bytes: hi-ll" ]] ||
		fail_case "link-local: $out"
	out=$(ip netns exec "$A" kame-udp send -s 8000 2001:db8::1 7100)
	check_eq "8000 bytes, fragmented and reassembled" \
		"from [2001:db8::1]:7100 8000 bytes" "$out"
	cap_stop
	check_eq "nothing on the wire" 0 \
		"$(tcpdump -n -r "$TMP/lo.pcap" 2>/dev/null | wc -l)"
	log_test "route: datagrams to our own addresses loop back internally"
}

test_reject_blackhole() {
	local n0 e0 i0 o0 out
	RET=0
	check kame -n "$A" route add 2001:db8:66::/64 reject dev veth0
	check kame -n "$A" route add 2001:db8:67::/64 blackhole dev veth0
	has_route "2001:db8:66::/64 link#$IDX URS veth0"
	has_route "2001:db8:67::/64 link#$IDX UBS veth0"
	n0=$(kame_stat "$A" ip6s_noroute)
	e0=$(kame_icmp6_stat "$A" icp6errs_dst_unreach_noroute)
	i0=$(kame_icmp6_stat "$A" icp6s_inhist_error)
	o0=$(kame_stat "$A" ip6s_odropped)
	cap_start "$TMP/rej.pcap" ip6 and not icmp6
	out=$(ip netns exec "$A" kame-udp send -t 1 2001:db8:66::1 9 x 2>&1)
	[[ $out == *"Network is unreachable"* ]] ||
		fail_case "reject: $out"
	out=$(ip netns exec "$A" kame-udp send -t 1 2001:db8:67::1 9 x 2>&1)
	[[ $out == *"no answer"* ]] || fail_case "blackhole: $out"
	# the looped error reaches the raw socket of the sender
	out=$(ip netns exec "$A" kping6 -c 1 -x 2000 2001:db8:66::1 2>&1)
	[[ $out == *"from 2001:db8::1: No Route to Destination"* ]] ||
		fail_case "kping6 through the reject route: $out"
	cap_stop
	check_eq "ip6s_noroute (reject)" $((n0 + 2)) "$(kame_stat "$A" ip6s_noroute)"
	check_eq "icp6errs_dst_unreach_noroute" $((e0 + 2)) \
		"$(kame_icmp6_stat "$A" icp6errs_dst_unreach_noroute)"
	check slowwait 5 sh -c "[ \$(kame -n $A stats icmp6 icp6s_inhist_error) -gt $i0 ]"
	check_eq "ip6s_odropped (blackhole)" $((o0 + 1)) "$(kame_stat "$A" ip6s_odropped)"
	check_eq "nothing on the wire" 0 \
		"$(tcpdump -n -r "$TMP/rej.pcap" 2>/dev/null | wc -l)"
	check kame -n "$A" route del 2001:db8:66::/64
	check kame -n "$A" route del 2001:db8:67::/64 dev veth0
	no_route 2001:db8:66::/64
	log_test "route: reject (code 0 looped back, ENETUNREACH) and blackhole routes"
}

test_addr_unreachable() {
	local a0 i0 f0 out
	RET=0
	check ip netns exec "$A" ndp -i veth0 retrans=200
	check kame -n "$A" sysctl net.inet6.icmp6.nd6_mmaxtries 2
	a0=$(kame_icmp6_stat "$A" icp6errs_dst_unreach_addr)
	i0=$(kame_icmp6_stat "$A" icp6s_inhist_error)
	f0=$(kame_icmp6_stat "$A" icp6s_nd_resfail)
	cap_start "$TMP/unr.pcap" icmp6
	ip netns exec "$A" kame-udp send -t 1 2001:db8::99 9 x >/dev/null 2>&1
	check slowwait 5 sh -c "[ \$(kame -n $A stats icmp6 icp6errs_dst_unreach_addr) -gt $a0 ]"
	check slowwait 5 sh -c "[ \$(kame -n $A stats icmp6 icp6s_inhist_error) -gt $i0 ]"
	# the looped error reaches the raw socket of the sender
	out=$(ip netns exec "$A" kping6 -c 1 -x 3000 2001:db8::98 2>&1)
	[[ $out == *"from 2001:db8::1: Destination Host Unreachable"* ]] ||
		fail_case "kping6 to an unused on-link address: $out"
	cap_stop
	check_eq "icp6errs_dst_unreach_addr" $((a0 + 2)) \
		"$(kame_icmp6_stat "$A" icp6errs_dst_unreach_addr)"
	check_eq "icp6s_nd_resfail" $((f0 + 2)) "$(kame_icmp6_stat "$A" icp6s_nd_resfail)"
	out=$(tcpdump -n -r "$TMP/unr.pcap" 2>/dev/null)
	check_eq "NS sent for 2001:db8::99" 2 "$(echo "$out" | grep -c 'who has 2001:db8::99')"
	echo "$out" | grep -q unreachable &&
		fail_case "the error went on the wire: $out"
	check kame -n "$A" sysctl net.inet6.icmp6.nd6_mmaxtries 3
	check ip netns exec "$A" ndp -i veth0 retrans=1000
	log_test "route: ND failure answers the held packet with address unreachable (looped back)"
}

test_bad_input() {
	local k=(kame -n "$A" route)
	RET=0
	check_tool_error "prefix length must be 0-128" "${k[@]}" add 2001:db8:5::/129 dev veth0
	check_tool_error "bits set beyond the prefix length" "${k[@]}" add 2001:db8:5::1/64 dev veth0
	check_tool_error "neither link-local nor on-link" "${k[@]}" add 2001:db8:5::/64 via 2001:db8:7::1
	check_tool_error "neither link-local nor on-link" "${k[@]}" add 2001:db8:5::/64 via 2001:db8:7::1 dev veth0
	check_tool_error "does not exist" "${k[@]}" add default via "$LL_B" dev nosuch0
	check_tool_error "embedded" "${k[@]}" add default via fe80:1::1 dev veth0
	check_tool_error "embedded" "${k[@]}" add fe80:1::/64 dev veth0
	check_tool_error "needs its interface" "${k[@]}" add default via fe80::1
	check_tool_error "needs its interface" "${k[@]}" add 2001:db8:5::/64
	check_tool_error "address of this node" "${k[@]}" add 2001:db8:5::/64 via 2001:db8::1
	check_tool_error "either reject or blackhole" "${k[@]}" add 2001:db8:5::/64 reject blackhole dev veth0
	check_tool_error "has no gateway" "${k[@]}" add 2001:db8:5::/64 via "$LL_B" dev veth0 reject
	check_tool_error "/32 or longer" "${k[@]}" add fe80::/10 dev veth0
	check "${k[@]}" add 2001:db8:5::/64 via 2001:db8::2
	has_route "2001:db8:5::/64 2001:db8::2 UGS veth0"
	check_tool_error "exists already" "${k[@]}" add 2001:db8:5::/64 via "$LL_B" dev veth0
	check "${k[@]}" del 2001:db8:5::/64
	check_tool_error "no such route" "${k[@]}" del 2001:db8:5::/64
	check_tool_error "goes with the address" "${k[@]}" del 2001:db8::1
	check_tool_error "not attached" "${k[@]}" add 2001:db8:5::/64 dev lo
	log_test "route: bad requests are refused with one Error line"
}

# kame -batch: many commands over one socket, a failure named by its line
test_batch() {
	local f=$TMP/batch
	RET=0
	printf '%s\n' "# routes from a file" \
		"route add 2001:db8:6::/64 via $LL_B dev veth0" "" \
		"route add 2001:db8:7::/64 via $LL_B dev veth0   # a comment" >"$f"
	check kame -n "$A" -batch "$f"
	routes | grep -q '^2001:db8:6::/64 ' && routes | grep -q '^2001:db8:7::/64 ' ||
		fail_case "batch: routes missing: $(routes | tr '\n' '|')"
	printf '%s\n' "route add 2001:db8:8::/64 via $LL_B dev veth0" \
		"route add 2001:db8:9::/129 dev veth0" \
		"route add 2001:db8:a::/64 via $LL_B dev veth0" >"$f"
	check_tool_error "$f:2: argument \"2001:db8:9::/129\" is wrong" \
		kame -n "$A" -batch "$f"
	routes | grep -q '^2001:db8:8::/64 ' ||
		fail_case "batch: the line before the failure was not applied"
	routes | grep -q '^2001:db8:a::/64 ' &&
		fail_case "batch: a line after the failure was applied"
	check_tool_error "-:1: object \"nosuch\" is unknown" \
		kame -n "$A" -batch - <<<"nosuch show"
	check_tool_error "cannot open \"$TMP/none\"" kame -n "$A" -batch "$TMP/none"
	printf 'route del 2001:db8:%s::/64\n' 6 7 8 | check kame -n "$A" -batch -
	routes | grep -q '^2001:db8:[678]::/64 ' &&
		fail_case "batch from stdin: routes not deleted"
	log_test "route: kame -batch applies each line, stops at the first failure and names its line"
}

test_cap() {
	local n i=20
	RET=0
	n=$(kame -n "$A" -j route show | jq length)
	# the knob's minimum is 16: fill up to it
	while [ "$n" -lt 14 ]; do
		kame -n "$A" route add 2001:db8:$i::/64 via "$LL_B" dev veth0
		n=$((n + 1)) i=$((i + 1))
	done
	check kame -n "$A" sysctl net.inet6.ip6.rt_max $((n + 2))
	check kame -n "$A" route add 2001:db8:10::/64 via "$LL_B" dev veth0
	check kame -n "$A" route add 2001:db8:11::/64 via "$LL_B" dev veth0
	check_tool_error "routing table is full" \
		kame -n "$A" route add 2001:db8:12::/64 via "$LL_B" dev veth0
	check_tool_error "routing table is full" \
		kame -n "$A" addr add 2001:db8:13::1/64 dev veth0
	check_eq "routes at the cap" $((n + 2)) "$(kame -n "$A" -j route show | jq length)"
	check kame -n "$A" sysctl net.inet6.ip6.rt_max 65536
	while [ "$i" -gt 20 ]; do
		i=$((i - 1))
		check kame -n "$A" route del 2001:db8:$i::/64
	done
	check kame -n "$A" route del 2001:db8:10::/64
	check kame -n "$A" route del 2001:db8:11::/64
	log_test "route: net.inet6.ip6.rt_max bounds the table"
}

test_many_routes() {
	local n0 out base many slab0
	RET=0
	n0=$(kame -n "$A" -j route show | jq length)
	check kame -n "$A" sysctl net.inet6.ip6.rt_max 200000
	check kame -n "$A" route add fd00::/8 via "$LL_B" dev veth0
	base=$(ip netns exec "$A" "$BULK" "$IDX" "$LL_B" 0 5000)
	echo "# 1 route:      $base"
	check kame -n "$A" route del fd00::/8
	slab0=$(awk '/^Slab:/ { print $2 }' /proc/meminfo)
	out=$(ip netns exec "$A" "$BULK" "$IDX" "$LL_B" 100000 5000 2>&1)
	echo "# 100000 routes: $(echo "$out" | tr '\n' ' ')slab +$(( $(awk '/^Slab:/ { print $2 }' /proc/meminfo) - slab0 )) kB"
	many=$(echo "$out" | awk '/^added/ { print $2 }')
	check_eq "routes in the table" $((n0 + many)) "$(kame -n "$A" -j route show | jq length)"
	check_match "sends through 100000 routes" "^sent 5000 failed 0" "$out"
	# the table still routes precisely
	check kame -n "$A" route add fd00:1234:5678::/48 via "$LL_B" dev veth0
	check kame -n "$A" route add fd00:1234:5678::1 reject dev veth0
	cap_start "$TMP/many.pcap" udp port 9999
	out=$(ip netns exec "$A" kame-udp send -t 1 fd00:1234:5678::1 9999 x 2>&1)
	[[ $out == *"No route to host"* ]] ||
		fail_case "host reject route among 100000: $out"
	ip netns exec "$A" kame-udp send -t 1 fd00:1234:5678::2 9999 x >/dev/null 2>&1
	cap_stop
	out=$(tcpdump -n -e -r "$TMP/many.pcap" 2>/dev/null)
	check_eq "only fd00:1234:5678::2 on the wire, to the gateway" 1 \
		"$(echo "$out" | grep -c "$MAC_A > $MAC_B, .* > fd00:1234:5678::2\.9999")"
	check_eq "datagrams on the wire" 1 "$(echo "$out" | grep -c UDP)"
	log_test "route: 100000 routes: lookups and sends stay correct"
}

# The longest match, datagram by datagram (route_bulk ... check): random
# routes in fd00::/8, 24 to 64 bits long, under fd00::/8 (reject),
# fd00::/9 and fd80::/12, every third a reject route; each datagram must
# be sent or refused as the longest added prefix that holds its
# destination says, and again after a fifth of the routes and fd80::/12
# are deleted. With 500 routes a lookup walks the trie from its root;
# with 70000 it starts from the jump table, of 16 bits from 1024 routes
# on, of 20 bits from 65536 on.
test_lpm() {
	local out idx ll n
	RET=0
	kame_veth_pair C D
	ip -n "$D" -6 addr add 2001:db8::2/64 dev veth1 nodad
	check kame -n "$C" sysctl net.inet6.ip6.dad_count 0
	check kame -n "$C" sysctl net.inet6.ip6.rt_max 200000
	idx=$(ip -n "$C" -j link show veth0 | jq '.[0].ifindex')
	ll=$(eui64_ll "$(mac_of "$D" veth1)")
	for n in 500 70000; do
		check kame -n "$C" link attach veth0
		out=$(ip netns exec "$C" "$BULK" "$idx" "$ll" $n 3000 $n check 2>&1)
		check_eq "route_bulk with $n routes exits 0" 0 $?
		echo "# $n routes: $(echo "$out" | tr '\n' ' ')"
		check_eq "datagrams as the longest match says, $n routes, then a fifth deleted" \
			"2" "$(grep -c '^checked 3000 mismatches 0$' <<<"$out")"
		check kame -n "$C" link detach veth0
	done
	log_test "route: longest match among 500 and 70000 routes, reject routes, deletions"
}

test_detach() {
	RET=0
	local t0 n
	check kame -n "$A" route add default via "$LL_B" dev veth0
	n=$(kame -n "$A" -j route show | jq length)
	t0=$(date +%s%N)
	check kame -n "$A" link detach veth0
	echo "# detach with $n routes: $(( ($(date +%s%N) - t0) / 1000000 )) ms"
	check_eq "no route after detach" 0 "$(kame -n "$A" -j route show | jq length)"
	check_eq "text: only the header" 4 "$(kame -n "$A" route show | wc -l)"
	log_test "route: detach removes every route of the interface"
}

setup
test_connected_local
test_default_route
test_no_route
test_not_ours
test_loopback
test_reject_blackhole
test_addr_unreachable
test_bad_input
test_batch
test_cap
test_many_routes
test_lpm
test_detach
exit "$EXIT_STATUS"
