#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Multipath routes against two stock Linux routers: flows hashed over both
# next hops, one flow on one path, a next hop that fails address
# resolution skipped (for net.inet6.ip6.mpath_failhold), `kame route`
# grammar, display and deletion, bad requests; forwarded flows of a
# native host S behind K spread too.
#
#                        +-- $R1 (native, forwarding) --+
#   +-- $K (KAME) --+ veth0 -- veth1 2001:db8:1::2       |
#   | 2001:db8:1::1 |    |  dum0: 2001:db8:d::/64 route  |
#   | 2001:db8:2::1 |    +-------------------------------+
#   +---------------+ veth2 -- veth1 2001:db8:2::2 ($R2, the same)
#
# Both routers route the destination prefix 2001:db8:d::/64 to a dummy
# interface: each packet they forward counts in their Ip6OutForwDatagrams,
# which tells which router a packet took.
source "$(dirname "$0")/../lib.sh"
DGRAM=$KAME_TOP/build/helpers/inet6/kame_dgram
D=2001:db8:d::1
GW1=2001:db8:1::2
GW2=2001:db8:2::2
NFLOWS=32

setup() {
	local r

	setup_ns K R1 R2
	for r in "$K" "$R1" "$R2"; do
		ip netns exec "$r" sysctl -qw net.ipv6.conf.default.accept_dad=0
	done
	ip -n "$K" link add veth0 type veth peer name veth1 netns "$R1"
	ip -n "$K" link add veth2 type veth peer name veth1 netns "$R2"
	for r in "$R1" "$R2"; do
		ip netns exec "$r" sysctl -qw net.ipv6.conf.all.forwarding=1
		ip -n "$r" link set veth1 up
		ip -n "$r" link add dum0 type dummy
		ip -n "$r" link set dum0 up
		ip -n "$r" -6 route add 2001:db8:d::/64 dev dum0
	done
	ip -n "$R1" -6 addr add $GW1/64 dev veth1 nodad
	ip -n "$R2" -6 addr add $GW2/64 dev veth1 nodad
	ip -n "$K" link set veth0 up
	ip -n "$K" link set veth2 up
	kame -n "$K" sysctl net.inet6.ip6.dad_count 0 >/dev/null
	kame -n "$K" link attach veth0
	kame -n "$K" link attach veth2
	kame -n "$K" addr add 2001:db8:1::1/64 dev veth0
	kame -n "$K" addr add 2001:db8:2::1/64 dev veth2
	# both next hops resolved before the flows start
	ip netns exec "$K" kping6 -c 1 -x 5000 $GW1 >/dev/null
	ip netns exec "$K" kping6 -c 1 -x 5000 $GW2 >/dev/null
}

trap kame_cleanup EXIT

# packets NS has forwarded
fwd() {	# NS
	ip netns exec "$1" awk '$1 == "Ip6OutForwDatagrams" { print $2 }' \
		/proc/net/snmp6
}

# "R1 R2": the packets each router forwarded while "$@" ran
fwd_during() {
	local a1 a2

	a1=$(fwd "$R1")
	a2=$(fwd "$R2")
	"$@"
	sleep 1		# the last datagrams cross the routers
	echo "$(($(fwd "$R1") - a1)) $(($(fwd "$R2") - a2))"
}

# NFLOWS flows to D, one datagram each: one socket (source port) each
flows() {
	local i

	for i in $(seq $NFLOWS); do
		ip netns exec "$K" "$DGRAM" send $D 9000 >/dev/null
	done
}

# NFLOWS flows from one socket, to as many destinations in D's prefix: one
# process, quick enough for the hold of a failed next hop
dst_flows() {
	ip netns exec "$K" "$DGRAM" send "$(seq -f '2001:db8:d::%g' $NFLOWS |
		paste -sd,)" 9002 >/dev/null
}

# one flow of 50 datagrams: one socket, fixed ports
one_flow() {
	ip netns exec "$K" "$DGRAM" -c 50 -w 0 send $D 9001 >/dev/null
}

routes() {	# "Destination Gateway Flags Netif" of each route
	kame -n "$K" route show | awk 'NR > 4 { print $1, $2, $3, $4 }'
}

test_show() {
	local out
	RET=0
	check kame -n "$K" route add 2001:db8:d::/64 \
		nexthop via $GW1 dev veth0 nexthop via $GW2 weight 2
	out=$(routes | grep '^2001:db8:d::/64 ')
	check_eq "one line per next hop" \
		"2001:db8:d::/64 $GW1 UGSP veth0|2001:db8:d::/64 $GW2 UGSP veth2" \
		"$(tr '\n' '|' <<<"$out" | sed 's/|$//')"
	check_eq "-j: gateways and weights" "$GW1 1 veth0,$GW2 2 veth2" \
		"$(kame -n "$K" -j route show | jq -r '[.[] | select(.dst == "2001:db8:d::") | "\(.gateway) \(.weight) \(.dev)"] | join(",")')"
	check_eq "-j: a single-path route has no weight" null \
		"$(kame -n "$K" -j route show | jq '.[] | select(.dst == "2001:db8:1::" and .prefixlen == 64) | .weight')"
	check kame -n "$K" route del 2001:db8:d::/64 via $GW2
	check_eq "del via one next hop leaves the other" \
		"2001:db8:d::/64 $GW1 UGSP veth0" "$(routes | grep '^2001:db8:d::/64 ')"
	check kame -n "$K" route del 2001:db8:d::/64
	check_eq "del of the prefix removes all" "" "$(routes | grep '^2001:db8:d::/64 ')"
	check kame -n "$K" route add 2001:db8:d::/64 nexthop via $GW1 \
		nexthop via $GW2 nexthop via "$(eui64_ll "$(mac_of "$R2" veth1)")" dev veth2
	check_eq "three next hops" 3 "$(routes | grep -c '^2001:db8:d::/64 ')"
	check kame -n "$K" route del 2001:db8:d::/64
	check_eq "all three removed" 0 "$(routes | grep -c '^2001:db8:d::/64 ')"
	log_test "mpath: add with nexthop, one line per next hop (text, -j), del one or all"
}

test_flows_share() {
	local c
	RET=0
	check kame -n "$K" route add 2001:db8:d::/64 \
		nexthop via $GW1 nexthop via $GW2
	read -r -a c < <(fwd_during flows)
	echo "# $NFLOWS flows: R1 ${c[0]}, R2 ${c[1]}"
	check_eq "every flow forwarded once" $NFLOWS $((c[0] + c[1]))
	[ "${c[0]}" -gt 0 ] && [ "${c[1]}" -gt 0 ] ||
		fail_case "both routers should carry flows: R1 ${c[0]}, R2 ${c[1]}"
	log_test "mpath: $NFLOWS UDP flows (source ports) share two native routers"
}

test_one_flow() {
	local c i
	RET=0
	for i in 1 2 3; do
		read -r -a c < <(fwd_during one_flow)
		echo "# one flow of 50: R1 ${c[0]}, R2 ${c[1]}"
		[ "${c[*]}" = "50 0" ] || [ "${c[*]}" = "0 50" ] ||
			fail_case "50 datagrams of one flow split: R1 ${c[0]}, R2 ${c[1]}"
	done
	log_test "mpath: the datagrams of one flow all take one router"
}

# NFLOWS native UDP flows from S through K, one datagram each (own source
# port, and the flow label Linux derives from it)
native_flows() {
	local p

	for p in $(seq 41001 $((41000 + NFLOWS))); do
		echo x | ip netns exec "$S" socat -u - \
			"UDP6:[$D]:9003,sourceport=$p" 2>/dev/null
	done
}

# K as a router: a native host S behind it; what K forwards to D's
# prefix takes the next hop the packet's flow hashes to.
test_forwarded() {
	local c
	RET=0
	kame_native_host S "$K" veth4 2001:db8:5::1 veth5 2001:db8:5::2 \
		2001:db8:d::/64
	check kame -n "$K" sysctl net.inet6.ip6.forwarding 1
	read -r -a c < <(fwd_during native_flows)
	echo "# $NFLOWS forwarded flows: R1 ${c[0]}, R2 ${c[1]}"
	check_eq "every forwarded flow reached a router once" $NFLOWS $((c[0] + c[1]))
	[ "${c[0]}" -gt 0 ] && [ "${c[1]}" -gt 0 ] ||
		fail_case "both routers should carry forwarded flows: R1 ${c[0]}, R2 ${c[1]}"
	check kame -n "$K" sysctl net.inet6.ip6.forwarding 0
	log_test "mpath: a KAME router spreads $NFLOWS forwarded native flows over both next hops"
}

# R2 stops answering for its address: the flows hashed to it fail
# address resolution, after which every flow goes through R1; R2 is used
# again once K resolves it again. Flows to NFLOWS destinations here.
test_unreach_skip() {
	local c fail0
	RET=0
	check ip -n "$R2" -6 addr del $GW2/64 dev veth1
	check ip netns exec "$K" ndp -d $GW2
	fail0=$(kame -n "$K" stats icmp6 icp6s_nd_resfail)
	dst_flows
	slowwait 10 sh -c "[ \$(kame -n $K stats icmp6 icp6s_nd_resfail) -gt $fail0 ]" ||
		fail_case "resolution of $GW2 did not fail"
	read -r -a c < <(fwd_during dst_flows)
	echo "# $NFLOWS flows, R2 unreachable: R1 ${c[0]}, R2 ${c[1]}"
	check_eq "all flows through R1 while R2 is unreachable" "$NFLOWS 0" "${c[*]}"
	check ip -n "$R2" -6 addr add $GW2/64 dev veth1 nodad
	check ip netns exec "$K" kping6 -c 1 -x 5000 $GW2
	read -r -a c < <(fwd_during dst_flows)
	echo "# $NFLOWS flows, R2 back: R1 ${c[0]}, R2 ${c[1]}"
	check_eq "every flow forwarded once" $NFLOWS $((c[0] + c[1]))
	[ "${c[1]}" -gt 0 ] || fail_case "R2 back but unused"
	log_test "mpath: a next hop that fails address resolution is skipped, and used again when resolved"
}

# "NS R1 R2 SECS": R2's address fails resolution afresh (a ping from K);
# SECS (at least 3) seconds later, dst_flows: the NS for R2's address
# seen on R2's link, the packets each router forwarded
hold_case() {
	local cap=/tmp/mpath-hold-$$.pcap fail0 t0 c n

	fail0=$(kame -n "$K" stats icmp6 icp6s_nd_resfail)
	ip netns exec "$K" kping6 -c 1 -x 1000 $GW2 >/dev/null 2>&1
	slowwait 10 sh -c "[ \$(kame -n $K stats icmp6 icp6s_nd_resfail) -gt $fail0 ]" ||
		fail_case "resolution of $GW2 did not fail"
	t0=$SECONDS
	pcap_start "$R2" veth1 "$cap" "icmp6 and ip6[40] == 135"
	while [ $((SECONDS - t0)) -lt 3 ]; do
		sleep 0.2
	done
	n=$((SECONDS - t0))
	c=$(fwd_during dst_flows)
	pcap_stop "$PCAP_PID"
	echo "$(tcpdump -r "$cap" -n 2>/dev/null | grep -c "who has $GW2") $c $n"
	rm -f "$cap" "$cap.err"
}

# The hold of a failed next hop is the knob net.inet6.ip6.mpath_failhold:
# 3 s after R2 failed resolution the default (30 s) still skips it, with
# no solicitation on R2's link; with a hold of 2 s the first flow hashed
# to R2 probes it (an NS on the wire, its datagram held), the others still
# skip it while that entry is INCOMPLETE.
test_failhold() {
	local c
	RET=0
	check_eq "default hold" 30 "$(ip netns exec "$K" \
		sysctl -n net.inet6.ip6.mpath_failhold)"
	check_tool_error "outside the knob's range" kame -n "$K" sysctl \
		net.inet6.ip6.mpath_failhold 3601
	check ip -n "$R2" -6 addr del $GW2/64 dev veth1
	check ip netns exec "$K" ndp -d $GW2
	read -r -a c < <(hold_case)
	echo "# hold 30 s, ${c[3]} s after the failure: NS ${c[0]}, R1 ${c[1]}, R2 ${c[2]}"
	[ "${c[3]}" -lt 25 ] || fail_case "the flows came ${c[3]} s after the failure"
	check_eq "default hold: no NS for R2, every flow through R1" \
		"0 $NFLOWS 0" "${c[*]:0:3}"
	check kame -n "$K" sysctl net.inet6.ip6.mpath_failhold 2
	read -r -a c < <(hold_case)
	echo "# hold 2 s, ${c[3]} s after the failure: NS ${c[0]}, R1 ${c[1]}, R2 ${c[2]}"
	[ "${c[0]}" -ge 1 ] || fail_case "hold over: no NS probes $GW2"
	check_eq "hold over: one flow probes R2, the others through R1" \
		"$((NFLOWS - 1)) 0" "${c[1]} ${c[2]}"
	check ip netns exec "$K" sysctl -qw net.inet6.ip6.mpath_failhold=30
	check ip -n "$R2" -6 addr add $GW2/64 dev veth1 nodad
	# the probe's entry may still be INCOMPLETE, its last NS gone out
	# before R2 had its address again: a ping queued there is dropped
	# when that resolution gives up. Resolve afresh.
	ip netns exec "$K" ndp -d $GW2 >/dev/null 2>&1
	check ip netns exec "$K" kping6 -c 1 -x 5000 $GW2
	log_test "mpath: a failed next hop rests net.inet6.ip6.mpath_failhold seconds (30, 2), then one flow probes it"
}

test_bad_input() {
	RET=0
	check_tool_error "multipath route already" kame -n "$K" route add \
		2001:db8:d::/64 nexthop via $GW1 nexthop via $GW2
	check kame -n "$K" route del 2001:db8:d::/64
	check kame -n "$K" sysctl net.inet6.ip6.maxnexthops 2
	check_tool_error "maxnexthops" kame -n "$K" route add 2001:db8:d::/64 \
		nexthop via $GW1 nexthop via $GW2 nexthop via fe80::1 dev veth0
	check kame -n "$K" sysctl net.inet6.ip6.maxnexthops 16
	check_tool_error "the same next hop twice" kame -n "$K" route add \
		2001:db8:d::/64 nexthop via $GW1 nexthop via $GW1 dev veth0
	check_tool_error "not attached" kame -n "$K" route add \
		2001:db8:d::/64 nexthop via fe80::1 dev lo
	check_tool_error "does not exist" kame -n "$K" route add \
		2001:db8:d::/64 nexthop via fe80::1 dev nosuchdev
	check_tool_error "neither link-local nor on-link" kame -n "$K" route \
		add 2001:db8:d::/64 nexthop via $GW1 nexthop via 2001:db8:9::1
	check_tool_error "weight must be 1-256" kame -n "$K" route add \
		2001:db8:d::/64 nexthop via $GW1 weight 0
	check_tool_error "gateway" kame -n "$K" route add 2001:db8:d::/64 \
		nexthop dev veth0
	check_tool_error "excludes" kame -n "$K" route add 2001:db8:d::/64 \
		via $GW1 nexthop via $GW2
	check_eq "no route left by the failed adds" 0 \
		"$(routes | grep -c '^2001:db8:d::/64 ')"
	log_test "mpath: bad requests: too many next hops, duplicate, bad device or gateway, weight"
}

setup
test_show
test_flows_share
test_one_flow
test_forwarded
test_unreach_skip
test_failhold
test_bad_input
exit "$EXIT_STATUS"
