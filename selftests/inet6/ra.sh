#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A KAME host joins a network from router advertisements: radvd in a
# native namespace advertises a prefix; the host forms its EUI-64 address
# (SLAAC with DAD), lists the router with its RFC 4191 preference and the
# prefix with its router (ndp -r, ndp -p), takes the hop limit and MTU of
# the advertisement, and reaches an address behind the router by the
# default route. A prefix with short lifetimes (sent with scapy) is
# deprecated and expires; radvd's last advertisement (router lifetime 0,
# on SIGTERM) removes the router; with accept_rtadv off or forwarding on,
# advertisements are ignored and counted.
#
#   +----- $A (KAME host) -----+        +-- $B (native router, radvd) ----+
#   |  veth0 SLAAC from         |--------|  veth1 2001:db8:aaaa::1/64      |
#   |  2001:db8:aaaa::/64       |        |  dummy0 2001:db8:beef::1/64     |
#   +---------------------------+        +---------------------------------+
source "$(dirname "$0")/../lib.sh"

PFX=2001:db8:aaaa
BEHIND=2001:db8:beef::1

cleanup_test() {
	kame_cleanup
}
trap cleanup_test EXIT

setup() {
	TMP=$(mktemp -d)
	defer_pids=()
	kame_veth_pair A B
	ip netns exec "$B" sysctl -qw net.ipv6.conf.all.forwarding=1
	ip -n "$B" -6 addr add "$PFX::1/64" dev veth1 nodad
	ip -n "$B" link add dummy0 type dummy
	ip -n "$B" link set dummy0 up
	ip -n "$B" -6 addr add "$BEHIND/64" dev dummy0 nodad
	kame -n "$A" link attach veth0
	kame_ra_pair_vars
	SLAAC=$PFX:0:$IFID
	slowwait 10 sh -c "! kame -n $A addr show | grep -q tentative"
	radvd_conf "$TMP/radvd.conf" veth1 "
		AdvCurHopLimit 42;
		AdvLinkMTU 1400;
		AdvOtherConfigFlag on;
		prefix $PFX::/64 {
			AdvOnLink on;
			AdvAutonomous on;
			AdvValidLifetime 86400;
			AdvPreferredLifetime 14400;
		};"
	radvd_run "$B" "$TMP/radvd.conf"
}

test_slaac() {
	RET=0
	check slowwait 15 sh -c "kame -n $A -j addr show dev veth0 | jq -e '.[] | select(.address == \"$SLAAC\")' >/dev/null"
	check slowwait 10 sh -c "! kame -n $A addr show | grep -q tentative"
	check_eq "flags of the SLAAC address" autoconf \
		"$(kame -n "$A" -j addr show | jq -r ".[] | select(.address == \"$SLAAC\") | .flags | join(\",\")")"
	check_match "text form" "^veth0: inet6 $SLAAC/64 autoconf valid_lft 86[34][0-9][0-9]sec preferred_lft 14[34][0-9][0-9]sec$" \
		"$(kame -n "$A" addr show dev veth0)"
	log_test "ra: radvd's prefix gives the EUI-64 address ($SLAAC)"
}

test_router_list() {
	local out
	RET=0
	out=$(ip netns exec "$A" ndp -rn)
	check_match "ndp -r" "^$LL_B%veth0 if=veth0, flags=O, pref=high, expire=\([0-9]*m\)\?[0-9]*s$" "$out"
	check_eq "one router" 1 "$(wc -l <<<"$out")"
	check_eq "ndp -r -j" "\"$LL_B%veth0\" \"O\" \"high\" true 60" \
		"$(ip netns exec "$A" ndp -rnj | jq -r '.[0] | "\(.router|tojson) \(.flags|tojson) \(.pref|tojson) \(.installed) \(.lifetime)"')"
	check_match "default route from the RA" "^default  *$LL_B%veth0  *UGA  *veth0  *[0-9]*$" \
		"$(kame -n "$A" route show)"
	out=$(ip netns exec "$A" ndp -i veth0)
	check_match "hop limit and MTU of the RA" "^linkmtu=1400, maxmtu=[0-9]*, curhlim=42," "$out"
	log_test "ra: default router with its preference (ndp -r), default route, hop limit, MTU"
}

test_prefix_list() {
	local out
	RET=0
	out=$(ip netns exec "$A" ndp -pn)
	check_eq "line 1" "$PFX::/64 if=veth0" "$(sed -n 1p <<<"$out")"
	check_match "line 2" "^flags=LAO vltime=86400, pltime=14400, expire=\(1d0h0m0s\|23h5[0-9]m[0-9]*s\), ref=1$" \
		"$(sed -n 2p <<<"$out")"
	check_eq "line 3" "  advertised by" "$(sed -n 3p <<<"$out")"
	check_eq "line 4" "    $LL_B%veth0 (reachable)" "$(sed -n 4p <<<"$out")"
	check_eq "ndp -p -j" "\"$PFX::/64\" \"LAO\" 1 \"$LL_B%veth0\"" \
		"$(ip netns exec "$A" ndp -pnj | jq -r '.[0] | "\(.prefix|tojson) \(.flags|tojson) \(.ref) \(.advertised_by[0].router|tojson)"')"
	check_match "on-link route with its expiry" "^$PFX::/64  *link#[0-9]*  *UCA  *veth0  *86[34][0-9][0-9]$" \
		"$(kame -n "$A" route show)"
	log_test "ra: prefix list (ndp -p) with its advertising router, on-link route"
}

test_ping_behind_router() {
	local out
	RET=0
	pcap_start "$B" veth1 "$TMP/cap" "icmp6 and ip6[40] == 128"
	out=$(ip netns exec "$A" kping6 -c 2 -i 0.3 "$BEHIND" 2>&1)
	check_eq "kping6 $BEHIND" 0 $?
	pcap_stop "$PCAP_PID"
	check_match "replies" "^2 packets transmitted, 2 packets received" "$out"
	check_eq "echo requests from the SLAAC address to the router's MAC" 2 \
		"$(tcpdump -n -e -r "$TMP/cap" "ether dst $MAC_B and src $SLAAC and dst $BEHIND" 2>/dev/null | wc -l)"
	log_test "ra: kping6 reaches $BEHIND behind the router by the default route"
}

# scapy in B sends router advertisements from B's link-local address
SCAPY_RA='
import os, sys
from scapy.all import Ether, IPv6, ICMPv6ND_RA, ICMPv6NDOptPrefixInfo, ICMPv6NDOptSrcLLAddr, sendp
e = os.environ
ra = Ether(src=e["MAC_B"], dst="33:33:00:00:00:01") / \
    IPv6(src=e["LL_B"], dst="ff02::1", hlim=255) / \
    ICMPv6ND_RA(prf=1, O=1, routerlifetime=60) / \
    ICMPv6NDOptSrcLLAddr(lladdr=e["MAC_B"]) / \
    ICMPv6NDOptPrefixInfo(prefix=sys.argv[1], prefixlen=64, L=1, A=1,
                          validlifetime=int(sys.argv[2]),
                          preferredlifetime=int(sys.argv[3]))
sendp(ra, iface="veth1", verbose=0)
'

scapy_ra() {	# PREFIX VALID PREFERRED
	ip netns exec "$B" env MAC_B="$MAC_B" LL_B="$LL_B" \
		/usr/bin/python3 -c "$SCAPY_RA" "$@"
}

test_short_prefix() {
	local a=2001:db8:cccc:0:$IFID
	RET=0
	check scapy_ra 2001:db8:cccc:: 20 6
	check slowwait 10 sh -c "kame -n $A -j addr show | jq -e '.[] | select(.address == \"$a\")' >/dev/null"
	check_match "ndp -p" "^flags=LAO vltime=20, pltime=6, expire=[0-9]*s, ref=1$" \
		"$(ip netns exec "$A" ndp -pn | grep -A1 '^2001:db8:cccc::/64 ' | tail -1)"
	check slowwait 15 sh -c "kame -n $A addr show | grep -q '^veth0: inet6 $a/64 deprecated autoconf valid_lft'"
	check slowwait 25 sh -c "! ip netns exec $A ndp -pn | grep -q cccc"
	check slowwait 5 sh -c "! kame -n $A addr show | grep -q 2001:db8:cccc"
	check_eq "on-link route gone" "" "$(kame -n "$A" route show | grep 2001:db8:cccc)"
	check_eq "the other prefix stays" "$PFX::/64 if=veth0" "$(ip netns exec "$A" ndp -pn | head -1)"
	log_test "ra: a prefix with short lifetimes is deprecated, then expires with its address"
}

# RFC 4862 5.5.3 e: an advertised valid lifetime under two hours does not
# shorten the remaining one below two hours
test_two_hour_rule() {
	RET=0
	check scapy_ra "$PFX::" 60 30
	check slowwait 5 sh -c "kame -n $A addr show dev veth0 | grep -q '$SLAAC/64 autoconf valid_lft 7[12][0-9][0-9]sec'"
	check_match "valid lifetime two hours" "^veth0: inet6 $SLAAC/64 autoconf valid_lft 7[12][0-9][0-9]sec preferred_lft [23][0-9]sec$" \
		"$(kame -n "$A" addr show dev veth0)"
	log_test "ra: two-hour rule for a short valid lifetime (RFC 4862 5.5.3 e)"
}

test_radvd_stops() {
	local out
	RET=0
	kill "$RADVD"
	wait "$RADVD" 2>/dev/null
	check slowwait 5 sh -c "[ -z \"\$(ip netns exec $A ndp -rn)\" ]"
	check_eq "default route gone" "" "$(kame -n "$A" route show | grep '^default')"
	out=$(ip netns exec "$A" kping6 -c 1 "$BEHIND" 2>&1)
	check_eq "kping6 without a default route fails" 1 $(( $? != 0 ))
	log_test "ra: radvd's last RA (router lifetime 0) removes the router and the default route"
}

test_ignored() {
	local i0 p0
	RET=0
	check ip netns exec "$A" ndp -R
	i0=$(kame_icmp6_stat "$A" icp6s_ra_ignored)
	p0=$(kame_icmp6_stat "$A" icp6s_ra_processed)
	check ip netns exec "$A" ndp -i veth0 -- -accept_rtadv
	check scapy_ra 2001:db8:dddd:: 600 300
	check kame -n "$A" sysctl net.inet6.ip6.forwarding 1
	check ip netns exec "$A" ndp -i veth0 accept_rtadv
	check scapy_ra 2001:db8:dddd:: 600 300
	sleep 1
	check_eq "icp6s_ra_ignored" $((i0 + 2)) "$(kame_icmp6_stat "$A" icp6s_ra_ignored)"
	check_eq "icp6s_ra_processed" "$p0" "$(kame_icmp6_stat "$A" icp6s_ra_processed)"
	check_eq "no router" "" "$(ip netns exec "$A" ndp -rn)"
	check_eq "no prefix" "" "$(ip netns exec "$A" ndp -pn | grep dddd)"
	check kame -n "$A" sysctl net.inet6.ip6.forwarding 0
	check scapy_ra 2001:db8:dddd:: 600 300
	check slowwait 5 sh -c "ip netns exec $A ndp -pn | grep -q '^2001:db8:dddd::/64 if=veth0'"
	check_eq "icp6s_ra_processed" $((p0 + 1)) "$(kame_icmp6_stat "$A" icp6s_ra_processed)"
	log_test "ra: accept_rtadv off or forwarding on: RAs ignored (icp6s_ra_ignored)"
}

test_flush() {
	RET=0
	check ip netns exec "$A" ndp -P
	check_eq "ndp -P empties the prefix list" "" "$(ip netns exec "$A" ndp -pn)"
	check_eq "and the addresses made from it" "" \
		"$(kame -n "$A" -j addr show | jq -r '.[] | select(.address | startswith("2001:db8:dddd:")) | .address')"
	check ip netns exec "$A" ndp -R
	check_eq "ndp -R empties the router list" "" "$(ip netns exec "$A" ndp -rn)"
	check_eq "no default route" "" "$(kame -n "$A" route show | grep '^default')"
	check_tool_error "wrong number of arguments" ip netns exec "$A" ndp -r extra
	log_test "ra: ndp -P and -R flush the lists"
}

setup
test_slaac
test_router_list
test_prefix_list
test_ping_behind_router
test_short_prefix
test_radvd_stops
test_two_hour_rule
test_ignored
test_flush
exit "$EXIT_STATUS"
