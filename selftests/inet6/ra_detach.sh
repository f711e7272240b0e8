#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Attached and detached prefixes (the 004 paper's model, KAME's
# pfxlist_onlink_check): two routers on one link advertise a prefix each,
# radvd in $B 2001:db8:aaaa::/64 and scapy in $C 2001:db8:cccc::/64. When
# $C becomes unreachable (its bridge port down, NUD gives up on it), its
# prefix is detached: not on-link any more, so a packet to an address of
# it leaves by the default route through $B, and its address is not
# chosen as the source (seen in $B's capture). When $C advertises again
# it is attached again.
#
#                 +---- $S: br0 ----+
#   $A (KAME) ----|                 |---- $B (radvd, aaaa, pref high)
#   veth0         |                 |---- $C (scapy RAs, cccc, pref low)
#                 +-----------------+
source "$(dirname "$0")/../lib.sh"

cleanup_test() {
	kame_cleanup
}
trap cleanup_test EXIT

port() {	# NS DEV PORT: a veth DEV in NS, its peer PORT on br0 in $S
	ip -n "$1" link add "$2" type veth peer name "$3" netns "$S"
	ip -n "$S" link set "$3" master br0 up
	ip -n "$1" link set "$2" up
}

setup() {
	TMP=$(mktemp -d)
	defer_pids=()
	setup_ns A B C S
	for ns in "$A" "$B" "$C" "$S"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0
	done
	ip netns exec "$C" sysctl -qw net.ipv6.conf.all.accept_ra=0 \
		net.ipv6.conf.default.accept_ra=0
	ip -n "$S" link add br0 type bridge mcast_snooping 0
	ip -n "$S" link set br0 up
	port "$A" veth0 s0
	port "$B" vb s1
	port "$C" vc s2
	ip netns exec "$B" sysctl -qw net.ipv6.conf.all.forwarding=1
	ip -n "$B" -6 addr add 2001:db8:aaaa::1/64 dev vb nodad
	kame -n "$A" link attach veth0
	MAC_A=$(mac_of "$A" veth0)
	MAC_B=$(mac_of "$B" vb)
	MAC_C=$(mac_of "$C" vc)
	LL_B=$(eui64_ll "$MAC_B")
	LL_C=$(eui64_ll "$MAC_C")
	IFID=$(eui64_ll "$MAC_A")
	IFID=${IFID#fe80::}
	SLAAC_A=2001:db8:aaaa:0:$IFID
	SLAAC_C=2001:db8:cccc:0:$IFID
	slowwait 10 sh -c "! kame -n $A addr show | grep -q tentative"
	radvd_conf "$TMP/radvd.conf" vb "	prefix 2001:db8:aaaa::/64 { };"
	radvd_run "$B" "$TMP/radvd.conf"
	# NUD gives up on a silent neighbor within about 4 s
	kame -n "$A" sysctl net.inet6.icmp6.nd6_delay 1 >/dev/null
}

SCAPY_RA='
import os
from scapy.all import Ether, IPv6, ICMPv6ND_RA, ICMPv6NDOptPrefixInfo, ICMPv6NDOptSrcLLAddr, sendp
e = os.environ
sendp(Ether(src=e["MAC_C"], dst="33:33:00:00:00:01") /
      IPv6(src=e["LL_C"], dst="ff02::1", hlim=255) /
      ICMPv6ND_RA(prf=3, routerlifetime=60) /
      ICMPv6NDOptSrcLLAddr(lladdr=e["MAC_C"]) /
      ICMPv6NDOptPrefixInfo(prefix="2001:db8:cccc::", prefixlen=64, L=1, A=1,
                            validlifetime=600, preferredlifetime=300),
      iface="vc", verbose=0)
'

ra_from_c() {
	ip netns exec "$C" env MAC_C="$MAC_C" LL_C="$LL_C" \
		/usr/bin/python3 -c "$SCAPY_RA"
}

pfx_flags() {	# PREFIX: its flags in ndp -p
	ip netns exec "$A" ndp -pnj | jq -r ".[] | select(.prefix == \"$1\") | .flags"
}

addr_flags() {	# ADDR
	kame -n "$A" -j addr show | jq -r ".[] | select(.address == \"$1\") | .flags | join(\",\")"
}

# echo requests to 2001:db8:cccc::99 that reach $B: "COUNT SOURCES"
echo_at_b() {
	pcap_start "$B" vb "$TMP/cap" "icmp6 and ip6[40] == 128 and dst 2001:db8:cccc::99"
	timeout 5 ip netns exec "$A" kping6 -c 1 -x 1000 2001:db8:cccc::99 >/dev/null 2>&1
	pcap_stop "$PCAP_PID"
	echo "$(tcpdump -n -r "$TMP/cap" 2>/dev/null | wc -l)" \
	     "$(tcpdump -n -e -r "$TMP/cap" "ether dst $MAC_B" 2>/dev/null | awk '{print $10}' | sort -u | tr '\n' ' ')"
}

test_both_attached() {
	RET=0
	check ra_from_c
	check slowwait 15 sh -c "[ \"\$(kame -n $A -j addr show | jq '[.[] | select(.address == \"$SLAAC_A\" or .address == \"$SLAAC_C\") | select(.flags == [\"autoconf\"])] | length')\" = 2 ]"
	check_eq "aaaa attached, on-link" LAO "$(pfx_flags 2001:db8:aaaa::/64)"
	check_eq "cccc attached, on-link" LAO "$(pfx_flags 2001:db8:cccc::/64)"
	check_match "router of cccc" "^    $LL_C%veth0 (reachable)$" "$(ip netns exec "$A" ndp -pn)"
	check_match "default route through the high preference router" \
		"^default  *$LL_B%veth0  *UGA " "$(kame -n "$A" route show)"
	check_eq "to cccc::99 on-link: nothing through B" "0 " "$(echo_at_b)"
	log_test "ra: two routers, two attached prefixes with their SLAAC addresses"
}

test_detached() {
	RET=0
	ip -n "$S" link set s2 down
	# traffic to C makes NUD probe it and give up
	timeout 8 ip netns exec "$A" kping6 -c 1 -x 1000 "$LL_C%veth0" >/dev/null 2>&1
	check slowwait 15 sh -c "[ \"\$(ip netns exec $A ndp -pnj | jq -r '.[] | select(.prefix == \"2001:db8:cccc::/64\") | .flags')\" = LAD ]"
	check_eq "aaaa stays attached" LAO "$(pfx_flags 2001:db8:aaaa::/64)"
	check_match "cccc's router" "^    $LL_C%veth0 (\(unreachable\|no neighbor state\))$" \
		"$(ip netns exec "$A" ndp -pn)"
	check_eq "address of the detached prefix" autoconf,detached "$(addr_flags "$SLAAC_C")"
	check_eq "no on-link route for cccc" "" "$(kame -n "$A" route show | grep '^2001:db8:cccc::/64')"
	check_eq "to cccc::99 through B, from the aaaa address" "1 $SLAAC_A " "$(echo_at_b)"
	log_test "ra: unreachable router: its prefix detached, off-link, its address not a source"
}

test_attached_again() {
	RET=0
	ip -n "$S" link set s2 up
	sleep 1
	check ra_from_c
	check slowwait 10 sh -c "[ \"\$(ip netns exec $A ndp -pnj | jq -r '.[] | select(.prefix == \"2001:db8:cccc::/64\") | .flags')\" = LAO ]"
	check_eq "address usable again" autoconf "$(addr_flags "$SLAAC_C")"
	check_eq "to cccc::99 on-link again" "0 " "$(echo_at_b)"
	log_test "ra: the router advertises again: its prefix attached again"
}

setup
test_both_attached
test_detached
test_attached_again
exit "$EXIT_STATUS"
