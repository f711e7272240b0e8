#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# RFC 8981 temporary addresses, RFC 6724 rule 7, RFC 4191 route
# information options and ndp -I / -H against radvd on a native host.
# With net.inet6.ip6.use_tempaddr the KAME host forms its EUI-64 address
# and a temporary one with a random identifier and short lifetimes
# (temppltime 40, tempvltime 120), makes a second one before the first is
# deprecated; prefer_tempaddr makes kping6 use the temporary address on
# the wire, and a socket's RFC 5014 IPV6_ADDR_PREFERENCES overrides it; a temporary address whose DAD fails (scapy answers for it) is
# replaced TEMP_IDGEN_RETRIES times, then given up; radvd's route
# information option becomes a route via the router that a lifetime of 0
# removes; ndp -H puts a lost default route back; ndp -I sends a
# destination without a route out of the default interface as on-link.
#
#   +----- $A (KAME host) -----+        +-- $B (native router, radvd) ----+
#   |  veth0 SLAAC + temporary  |--------|  veth1 2001:db8:aaaa::1/64      |
#   +---------------------------+        +---------------------------------+
source "$(dirname "$0")/../lib.sh"

PFX=2001:db8:aaaa
DGRAM=$KAME_TOP/build/helpers/inet6/kame_dgram
ROUTE=2001:db8:77::/48
PLT=40
VLT=600

trap kame_cleanup EXIT

setup() {
	TMP=$(mktemp -d)
	kame_veth_pair A B
	ip netns exec "$B" sysctl -qw net.ipv6.conf.all.forwarding=1
	ip -n "$B" -6 addr add "$PFX::1/64" dev veth1 nodad
	kame -n "$A" sysctl net.inet6.ip6.use_tempaddr 1 >/dev/null
	kame -n "$A" sysctl net.inet6.ip6.temppltime "$PLT" >/dev/null
	kame -n "$A" sysctl net.inet6.ip6.tempvltime "$VLT" >/dev/null
	kame -n "$A" sysctl net.inet6.ip6.accept_rtinfo 1 >/dev/null
	kame -n "$A" link attach veth0
	kame_ra_pair_vars
	SLAAC=$PFX:0:$IFID
	radvd_conf "$TMP/radvd.conf" veth1 "
		prefix $PFX::/64 {
			AdvValidLifetime 86400;
			AdvPreferredLifetime 14400;
		};
		route $ROUTE {
			AdvRoutePreference high;
			AdvRouteLifetime 60;
		};"
	radvd_run "$B" "$TMP/radvd.conf"
}

# addrs JQ_FILTER: the addresses of A that the filter selects
addrs() {
	kame -n "$A" -j addr show dev veth0 | jq -r ".[] | select($1) | .address"
}

TEMPS='(.flags | index("temporary"))'
FRESH="$TEMPS and (.flags | index(\"deprecated\") | not) and (.address | startswith(\"$PFX:\"))"

test_tempaddr() {
	local t line vl pl
	RET=0
	check slowwait 20 sh -c "[ -n \"\$(kame -n $A -j addr show | jq -r '.[] | select($FRESH) | select(.flags | index(\"tentative\") | not) | .address')\" ]"
	check_eq "the EUI-64 address, public" autoconf \
		"$(kame -n "$A" -j addr show | jq -r ".[] | select(.address == \"$SLAAC\") | .flags | join(\",\")")"
	t=$(addrs "$FRESH" | head -1)
	T1=$t
	check_match "in the prefix" "^$PFX:0:" "$t"
	[ "$t" != "$SLAAC" ] || fail_case "the temporary address is the EUI-64 one"
	line=$(kame -n "$A" addr show dev veth0 | grep " $t/")
	check_match "text form" "^veth0: inet6 $t/64 autoconf temporary valid_lft [0-9]*sec preferred_lft [0-9]*sec$" "$line"
	vl=$(sed 's/.*valid_lft \([0-9]*\)sec.*/\1/' <<<"$line")
	pl=$(sed 's/.*preferred_lft \([0-9]*\)sec.*/\1/' <<<"$line")
	[ "$vl" -le "$VLT" ] && [ "$vl" -ge $((VLT - 30)) ] ||
		fail_case "valid lifetime $vl, not tempvltime $VLT"
	# temppltime - DESYNC_FACTOR (at most 0.4 of it) - age
	[ "$pl" -le "$PLT" ] && [ "$pl" -gt 5 ] ||
		fail_case "preferred lifetime $pl, not at most temppltime $PLT"
	check_eq "one temporary address" 1 "$(addrs "$TEMPS" | wc -l)"
	log_test "tempaddr: EUI-64 address and a temporary one ($t), lifetimes from temppltime/tempvltime"
}

test_regen() {
	RET=0
	# made REGEN_ADVANCE (5 s) before the first one is deprecated
	check slowwait 45 sh -c "[ \$(kame -n $A -j addr show | jq -r '.[] | select($TEMPS) | .address' | wc -l) -ge 2 ]"
	check slowwait 10 sh -c "kame -n $A addr show dev veth0 | grep -q '^veth0: inet6 $T1/64 deprecated autoconf temporary '"
	T2=$(addrs "$FRESH" | grep -v "^$T1$" | head -1)
	[ -n "$T2" ] || fail_case "no preferred temporary address besides $T1: $(kame -n "$A" addr show)"
	check_eq "the EUI-64 address stays preferred" autoconf \
		"$(kame -n "$A" -j addr show | jq -r ".[] | select(.address == \"$SLAAC\") | .flags | join(\",\")")"
	log_test "tempaddr: a new temporary address ($T2) before the first is deprecated; the first stays, deprecated"
}

# kping6 -c 2 to the router; SRCS: the sources of the echo requests
ping_sources() {
	pcap_start "$B" veth1 "$TMP/cap" "icmp6 and ip6[40] == 128"
	ip netns exec "$A" kping6 -c 2 -i 0.3 "$PFX::1" >/dev/null 2>&1
	check_eq "kping6 $PFX::1" 0 $?
	pcap_stop "$PCAP_PID"
	SRCS=$(tcpdump -n -r "$TMP/cap" 2>/dev/null | awk '{print $3}' | sort | uniq -c)
}

test_rule7() {
	local temps s
	RET=0
	ping_sources
	check_match "prefer_tempaddr 0: from the public address" "^ *2 $SLAAC$" "$SRCS"
	check kame -n "$A" sysctl net.inet6.ip6.prefer_tempaddr 1
	# before and after: temppltime is short, the next one may come
	temps=$(addrs "$FRESH")
	ping_sources
	temps+=$'\n'$(addrs "$FRESH")
	s=$(awk '{print $2}' <<<"$SRCS")
	check_eq "all from one address" 1 "$(wc -l <<<"$SRCS")"
	check_match "two echo requests" "^ *2 " "$SRCS"
	grep -qx -- "$s" <<<"$temps" ||
		fail_case "prefer_tempaddr 1: source $s is not a preferred temporary address ($temps)"
	check_eq "none from the public address" 0 "$(grep -c " $SLAAC$" <<<"$SRCS")"
	check kame -n "$A" sysctl net.inet6.ip6.prefer_tempaddr 0
	log_test "tempaddr: RFC 6724 rule 7: prefer_tempaddr 1 sends from the temporary address"
}

# kame_dgram [-P PREFS] [OPTION...] sends one UDP datagram to the router;
# the source on the wire
udp_source() {	# [PREFS [OPTION...]]
	local o=()

	[ -n "${1:-}" ] && o=(-P "$1")
	[ $# -gt 0 ] && shift
	o+=("$@")
	pcap_start "$B" veth1 "$TMP/udp" "udp and dst port 9000"
	ip netns exec "$A" "$DGRAM" "${o[@]}" send "$PFX::1" 9000 >/dev/null
	check_eq "kame_dgram ${o[*]} send" 0 $?
	pcap_stop "$PCAP_PID"
	tcpdump -n -r "$TMP/udp" 2>/dev/null | awk '{ sub(/\.[0-9]*$/, "", $3); print $3 }'
}

# WHAT PREFS [OPTION...]: the datagram's source must be a preferred
# temporary address, before or after the send (temppltime is short: one
# may be deprecated and the next made meanwhile)
check_temp_src() {
	local what=$1 fresh s
	shift
	fresh=$(addrs "$FRESH")
	s=$(udp_source "$@")
	fresh+=$'\n'$(addrs "$FRESH")
	grep -qx -- "$s" <<<"$fresh" ||
		fail_case "$what: source $s is not a preferred temporary address"
}

# RFC 5014 IPV6_ADDR_PREFERENCES on the socket overrides the knob of rule
# 7 (IPV6_PREFER_SRC_TMP 0x1, _PUBLIC 0x2) for sends and connect (-C);
# _PUBTMP_DEFAULT (0x100) follows the knob again.
test_srcprefs() {
	local s
	RET=0
	check_eq "prefer_tempaddr 0, no preference: public" "$SLAAC" "$(udp_source)"
	check_temp_src "prefer_tempaddr 0, IPV6_PREFER_SRC_TMP" 0x1
	check_temp_src "prefer_tempaddr 0, IPV6_PREFER_SRC_TMP, connected" 0x1 -C
	check_eq "prefer_tempaddr 0, PUBTMP_DEFAULT: public" "$SLAAC" "$(udp_source 0x100)"
	check kame -n "$A" sysctl net.inet6.ip6.prefer_tempaddr 1
	check_temp_src "prefer_tempaddr 1, no preference" ""
	check_eq "prefer_tempaddr 1, IPV6_PREFER_SRC_PUBLIC: public" "$SLAAC" \
		"$(udp_source 0x2)"
	check_eq "prefer_tempaddr 1, PUBLIC, connected: public" "$SLAAC" \
		"$(udp_source 0x2 -C)"
	check_eq "prefer_tempaddr 1, PUBLIC and HOME: public" "$SLAAC" \
		"$(udp_source 0x402)"
	check_temp_src "prefer_tempaddr 1, PUBTMP_DEFAULT" 0x100
	check kame -n "$A" sysctl net.inet6.ip6.prefer_tempaddr 0
	s=$(ip netns exec "$A" "$DGRAM" -P 0x3 send "$PFX::1" 9000 2>&1)
	check_match "TMP and PUBLIC: EINVAL" "IPV6_ADDR_PREFERENCES.*Invalid argument" "$s"
	log_test "tempaddr: RFC 5014 IPV6_ADDR_PREFERENCES: a UDP socket picks temporary or public over the knob"
}

# scapy in B: RAs of a prefix, and NAs that defend every tentative
# address of it but the EUI-64 one (DAD of the temporary addresses fails)
SCAPY_DEFEND='
import os, sys, time
from scapy.all import *
e = os.environ
pfx = sys.argv[1]
def ra():
    sendp(Ether(src=e["MAC_B"], dst="33:33:00:00:00:01") /
          IPv6(src=e["LL_B"], dst="ff02::1", hlim=255) /
          ICMPv6ND_RA(prf=1, routerlifetime=60) /
          ICMPv6NDOptPrefixInfo(prefix=pfx + "::", prefixlen=64, L=1, A=1,
                                validlifetime=600, preferredlifetime=300),
          iface="veth1", verbose=0)
def defend(p):
    if ICMPv6ND_NS not in p or p[IPv6].src != "::":
        return
    t = p[ICMPv6ND_NS].tgt
    if not t.startswith(pfx + ":") or t == pfx + ":0:" + e["IFID"]:
        return
    sendp(Ether(src="02:00:00:00:00:99", dst="33:33:00:00:00:01") /
          IPv6(src=t, dst="ff02::1", hlim=255) /
          ICMPv6ND_NA(tgt=t, R=0, S=0, O=1) /
          ICMPv6NDOptDstLLAddr(lladdr="02:00:00:00:00:99"),
          iface="veth1", verbose=0)
# ready (and the RA) only once the sniffer captures: a slow start under
# load let the first temporary address pass DAD undefended
up = []
s = AsyncSniffer(iface="veth1", filter="icmp6", prn=defend, store=False,
                 started_callback=lambda: up.append(1))
s.start()
while not up:
    time.sleep(0.1)
time.sleep(0.5)
print("ready", flush=True)
ra()
time.sleep(float(sys.argv[2]))
s.stop()
'

test_dad_fail() {
	local d0 g0
	RET=0
	d0=$(kame -n "$A" stats nd6 nd6_temp_dadfail)
	g0=$(kame -n "$A" stats nd6 nd6_temp_idgen_fail)
	# scapy is slow to start in an emulator: RAs once it listens
	bg_ready 90 "$TMP/defend.log" "$B" env MAC_B="$MAC_B" LL_B="$LL_B" \
		IFID="$IFID" /usr/bin/python3 -c "$SCAPY_DEFEND" 2001:db8:dddd 40 ||
		fail_case "scapy: $(cat "$TMP/defend.log")"
	slowwait 40 sh -c "[ \$(kame -n $A stats nd6 nd6_temp_idgen_fail) -gt $g0 ]" ||
		fail_case "no give-up: $(kame -n "$A" addr show; cat "$TMP/defend.log")"
	check_eq "temporary addresses that failed DAD" $((d0 + 3)) \
		"$(kame -n "$A" stats nd6 nd6_temp_dadfail)"
	check_eq "gave up once" $((g0 + 1)) "$(kame -n "$A" stats nd6 nd6_temp_idgen_fail)"
	check_eq "the public address" 2001:db8:dddd:0:$IFID \
		"$(addrs '.address | startswith("2001:db8:dddd:")')"
	log_test "tempaddr: DAD failure: a new identifier TEMP_IDGEN_RETRIES times, then none (nd6_temp_idgen_fail)"
}

SCAPY_RIO='
import os, sys
from scapy.all import *
e = os.environ
sendp(Ether(src=e["MAC_B"], dst="33:33:00:00:00:01") /
      IPv6(src=e["LL_B"], dst="ff02::1", hlim=255) /
      ICMPv6ND_RA(prf=1, routerlifetime=60) /
      ICMPv6NDOptRouteInfo(prefix=sys.argv[1], plen=int(sys.argv[2]),
                           prf=1, rtlifetime=int(sys.argv[3])),
      iface="veth1", verbose=0)
'

scapy_rio() {	# PREFIX PLEN LIFETIME
	ip netns exec "$B" env MAC_B="$MAC_B" LL_B="$LL_B" \
		/usr/bin/python3 -c "$SCAPY_RIO" "$@"
}

test_rio() {
	local f0
	RET=0
	check_match "route of radvd's route information option" \
		"^$ROUTE  *$LL_B%veth0  *UGA  *veth0  *[1-6][0-9]$" "$(kame -n "$A" route show)"
	check scapy_rio 2001:db8:88:: 48 100
	check slowwait 5 sh -c "kame -n $A route show | grep -q '^2001:db8:88::/48  *$LL_B%veth0  *UGA  *veth0  *[0-9]*$'"
	check scapy_rio 2001:db8:88:: 48 0
	check slowwait 5 sh -c "! kame -n $A route show | grep -q '^2001:db8:88::/48 '"
	check kame -n "$A" sysctl net.inet6.ip6.rtinfo_max 1
	f0=$(kame_icmp6_stat "$A" icp6s_rio_full)
	check scapy_rio 2001:db8:99:: 48 100
	sleep 1
	check_eq "icp6s_rio_full" $((f0 + 1)) "$(kame_icmp6_stat "$A" icp6s_rio_full)"
	check_eq "not installed" "" "$(kame -n "$A" route show | grep '^2001:db8:99::/48')"
	check kame -n "$A" sysctl net.inet6.ip6.rtinfo_max 64
	check kame -n "$A" sysctl net.inet6.ip6.accept_rtinfo 0
	check scapy_rio 2001:db8:99:: 48 100
	sleep 1
	check_eq "accept_rtinfo 0: ignored" "" "$(kame -n "$A" route show | grep '^2001:db8:99::/48')"
	log_test "tempaddr: RFC 4191 route information: routes via the router, lifetime 0 removes, rtinfo_max"
}

test_harmonize() {
	RET=0
	check kame -n "$A" route del default
	check_eq "default route deleted by hand" "" "$(kame -n "$A" route show | grep '^default')"
	check ip netns exec "$A" ndp -H
	check_match "ndp -H installs it again" "^default  *$LL_B%veth0  *UGA  *veth0  *[0-9]*$" \
		"$(kame -n "$A" route show)"
	check_tool_error "only one of" ip netns exec "$A" ndp -H -r
	log_test "tempaddr: ndp -H harmonizes the routing table with the router list"
}

test_defif() {
	local dst=2001:db8:9999::5 n
	RET=0
	kill "$RADVD"
	wait "$RADVD" 2>/dev/null
	check slowwait 5 sh -c "! kame -n $A route show | grep -q '^default'"
	ip netns exec "$A" kping6 -c 1 -x 1 "$dst" >/dev/null 2>&1
	check_eq "no route: kping6 fails" 1 $(( $? != 0 ))
	check_eq "set" "ND default interface = veth0" "$(ip netns exec "$A" ndp -I veth0)"
	check_eq "-j" veth0 "$(ip netns exec "$A" ndp -j -I | jq -r '.[0].default_interface')"
	pcap_start "$B" veth1 "$TMP/ns" "icmp6 and ip6[40] == 135"
	ip netns exec "$A" kping6 -c 1 -x 2 "$dst" >/dev/null 2>&1
	pcap_stop "$PCAP_PID"
	n=$(tcpdump -n -v -r "$TMP/ns" 2>/dev/null | grep -c "who has $dst")
	[ "$n" -ge 1 ] || fail_case "no NS for $dst out of veth0: $(tcpdump -n -r "$TMP/ns" 2>/dev/null)"
	check_eq "delete" "No default interface." "$(ip netns exec "$A" ndp -I delete)"
	ip netns exec "$A" kping6 -c 1 -x 1 "$dst" >/dev/null 2>&1
	check_eq "no default interface: kping6 fails again" 1 $(( $? != 0 ))
	check_tool_error "invalid interface nosuch0" ip netns exec "$A" ndp -I nosuch0
	log_test "tempaddr: ndp -I: a destination without a route is resolved on the default interface"
}

setup
test_tempaddr
test_regen
test_rule7
test_srcprefs
test_rio
test_harmonize
test_dad_fail
test_defif
exit "$EXIT_STATUS"
