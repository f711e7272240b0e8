#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Proxy ND, the IsRouter flag, and the validity checks of ND messages
# (RFC 4861 6.1, 7.1, 8.1): malformed messages crafted with scapy on the
# native side are dropped, each counted once in its own counter.
#
#   +----- $A (KAME) -----+        +-- $B (native Linux) --+
#   |  veth0 2001:db8::1  |--------|  veth1 2001:db8::2     |
#   +---------------------+        +------------------------+
source "$(dirname "$0")/../lib.sh"

setup() {
	kame_native_pair
	ip netns exec "$B" ping -6 -c 1 -W 5 2001:db8::1 >/dev/null
}

nd6_stat() {
	kame -n "$A" stats nd6 "$1"
}

test_proxy() {
	local na0 cap out
	RET=0
	na0=$(nd6_stat nd6_proxy_na)
	check ip netns exec "$A" ndp -s 2001:db8::100 "$MAC_A" proxy
	check_eq "proxy flag shown" "p" \
		"$(ip netns exec "$A" ndp -an | awk '$1 == "2001:db8::100" {print $6}')"
	cap=$(mktemp)
	ip netns exec "$B" timeout 15 tcpdump --immediate-mode -l -n -v -i veth1 -c 1 \
		"ether src $MAC_A and icmp6 and ip6[40] == 136" >"$cap" 2>"$cap.err" &
	slowwait 10 grep -q listening "$cap.err"
	ip netns exec "$B" ping -6 -c 1 -W 2 2001:db8::100 >/dev/null 2>&1
	wait
	grep -q "tgt is 2001:db8::100" "$cap" ||
		fail_case "no NA captured: $(cat "$cap")"
	grep -q "Flags \[solicited\]" "$cap" ||
		fail_case "NA flags must be solicited only (override clear): $(cat "$cap")"
	rm -f "$cap" "$cap.err"
	check_eq "native host resolved the proxied address" "$MAC_A" \
		"$(ip -n "$B" -j -6 neigh show 2001:db8::100 | jq -r '.[0].lladdr')"
	[ "$(nd6_stat nd6_proxy_na)" -gt "$na0" ] ||
		fail_case "nd6_proxy_na did not move"
	check ip netns exec "$A" ndp -d 2001:db8::100
	ip -n "$B" -6 neigh del 2001:db8::100 dev veth1
	ip netns exec "$B" ping -6 -c 1 -W 4 2001:db8::100 >/dev/null 2>&1
	out=$(ip -n "$B" -j -6 neigh show 2001:db8::100 | jq -r '.[0].lladdr // "none"')
	check_eq "no answer after the proxy entry was deleted" none "$out"
	log_test "nd6: proxy entry answers NS with our MAC, override clear"
}

SCAPY_SEND='
import os, sys, socket
from scapy.all import Ether, IPv6, Raw, sendp, conf
from scapy.layers.inet6 import (ICMPv6ND_NS, ICMPv6ND_NA, ICMPv6ND_RS,
    ICMPv6ND_RA, ICMPv6ND_Redirect, ICMPv6NDOptSrcLLAddr,
    ICMPv6NDOptDstLLAddr, ICMPv6NDOptPrefixInfo, ICMPv6Unknown,
    ICMPv6EchoRequest)
conf.verb = 0
e = os.environ
a, b, llb = e["MAC_A"], e["MAC_B"], e["LL_B"]
unk = Raw(b"\xc8\x01" + b"\x00" * 6)
tgt1 = socket.inet_pton(socket.AF_INET6, "2001:db8::1")
tgt2 = socket.inet_pton(socket.AF_INET6, "2001:db8::2")
pkts = {
 # NS and NA cut short inside their target address (16 and 20 bytes),
 # from an address the native host does not have
 "ns_short": IPv6(src="2001:db8::77", dst="2001:db8::1", hlim=255) /
    ICMPv6Unknown(type=135, code=0, msgbody=bytes(4) + tgt1[:8]),
 "na_short": IPv6(src="2001:db8::77", dst="2001:db8::1", hlim=255) /
    ICMPv6Unknown(type=136, code=0, msgbody=b"\x60" + bytes(3) + tgt2[:12]),
 # for the proxied 2001:db8::100: its solicited-node group, and two other
 # groups with the same low 24 bits (the first on the same Ethernet group)
 "ns_proxy_solnode": IPv6(src="2001:db8::2", dst="ff02::1:ff00:100", hlim=255) /
    ICMPv6ND_NS(tgt="2001:db8::100") / ICMPv6NDOptSrcLLAddr(lladdr=b),
 "ns_proxy_othergroup": IPv6(src="2001:db8::2", dst="ff02::2:ff00:100", hlim=255) /
    ICMPv6ND_NS(tgt="2001:db8::100") / ICMPv6NDOptSrcLLAddr(lladdr=b),
 "echo_proxy_othergroup": IPv6(src="2001:db8::2", dst="ff05::100") /
    ICMPv6EchoRequest(id=7, seq=1),
 "ns_hlim64": IPv6(src="2001:db8::2", dst="2001:db8::1", hlim=64) /
    ICMPv6ND_NS(tgt="2001:db8::1") / ICMPv6NDOptSrcLLAddr(lladdr=b),
 "na_20opts": IPv6(src="2001:db8::2", dst="ff02::1", hlim=255) /
    ICMPv6ND_NA(tgt="2001:db8::2", R=0, S=0, O=1) / Raw(bytes(unk) * 14) /
    ICMPv6NDOptDstLLAddr(lladdr="02:00:00:00:00:99") / Raw(bytes(unk) * 5),
 "na_optlen0": IPv6(src="2001:db8::2", dst="ff02::1", hlim=255) /
    ICMPv6ND_NA(tgt="2001:db8::2", R=0, S=0, O=1) /
    Raw(b"\xc8\x00" + b"\x00" * 6),
 "rs_hlim64": IPv6(src=llb, dst="ff02::1", hlim=64) / ICMPv6ND_RS(),
 "rs_ok": IPv6(src="::", dst="ff02::1", hlim=255) / ICMPv6ND_RS(),
 "ra_global": IPv6(src="2001:db8::2", dst="ff02::1", hlim=255) / ICMPv6ND_RA(),
 "ra_ok": IPv6(src=llb, dst="ff02::1", hlim=255) / ICMPv6ND_RA() /
    ICMPv6NDOptPrefixInfo(prefix="2001:db8:1::", prefixlen=64),
 "redirect_code1": IPv6(src=llb, dst="2001:db8::1", hlim=255) /
    ICMPv6ND_Redirect(code=1, tgt=llb, dst="2001:db8::5"),
 "redirect_not_first_hop": IPv6(src=llb, dst="2001:db8::1", hlim=255) /
    ICMPv6ND_Redirect(tgt=llb, dst="2001:db8::5"),
 "redirect_ok": IPv6(src=llb, dst="2001:db8::1", hlim=255) /
    ICMPv6ND_Redirect(tgt=llb, dst="2001:db8:5::5"),
 "na_router": IPv6(src="2001:db8::2", dst="ff02::1", hlim=255) /
    ICMPv6ND_NA(tgt="2001:db8::2", R=1, S=0, O=1) /
    ICMPv6NDOptDstLLAddr(lladdr=b),
 "na_host": IPv6(src="2001:db8::2", dst="ff02::1", hlim=255) /
    ICMPv6ND_NA(tgt="2001:db8::2", R=0, S=0, O=1) /
    ICMPv6NDOptDstLLAddr(lladdr=b),
}
for name in sys.argv[1:]:
    p = pkts[name]
    d = socket.inet_pton(socket.AF_INET6, p[IPv6].dst)
    dst = "33:33:" + ":".join("%02x" % x for x in d[12:]) if d[0] == 0xff else a
    sendp(Ether(src=b, dst=dst) / p, iface="veth1")
'

scapy_send() {
	ip netns exec "$B" env MAC_A="$MAC_A" MAC_B="$MAC_B" LL_B="$LL_B" \
		/usr/bin/python3 -c "$SCAPY_SEND" "$@"
}

# counter deltas of a set of icmp6 counters around a command
declare -A C0
snap() {
	local n
	for n in "$@"; do C0[$n]=$(kame_icmp6_stat "$A" "$n"); done
}
delta() {
	echo $(( $(kame_icmp6_stat "$A" "$1") - ${C0[$1]} ))
}

test_bad_messages() {
	local cs=(icp6s_badns icp6s_badna icp6s_nd_toomanyopt icp6s_nd_badopt
		  icp6s_badrs icp6s_badra icp6s_badredirect icp6s_nosock
		  icp6s_ra_processed icp6s_redir_accepted
		  icp6s_inhist_routersol icp6s_inhist_routeradv
		  icp6s_inhist_redirect)
	local t0 d0 t d
	RET=0
	# a redirect is valid from the first hop of its destination only
	check kame -n "$A" route add 2001:db8:5::/64 via "$LL_B" dev veth0
	snap "${cs[@]}"
	read -r t0 d0 < <(kame_ip6_in_sum "$A")
	check scapy_send ns_hlim64 na_20opts na_optlen0 rs_hlim64 rs_ok \
		ra_global ra_ok redirect_code1 redirect_not_first_hop \
		redirect_ok na_router
	sleep 1
	check_eq "icp6s_badns (NS with hop limit 64)" 1 "$(delta icp6s_badns)"
	check_eq "icp6s_nd_toomanyopt (NA with 20 options)" 1 "$(delta icp6s_nd_toomanyopt)"
	check_eq "icp6s_nd_badopt (option of length 0)" 1 "$(delta icp6s_nd_badopt)"
	check_eq "icp6s_badna" 0 "$(delta icp6s_badna)"
	check_eq "icp6s_badrs (hop limit 64)" 1 "$(delta icp6s_badrs)"
	check_eq "icp6s_badra (global source)" 1 "$(delta icp6s_badra)"
	check_eq "icp6s_badredirect (code 1, not from the first hop)" 2 \
		"$(delta icp6s_badredirect)"
	check_eq "inhist routersol" 2 "$(delta icp6s_inhist_routersol)"
	check_eq "inhist routeradv" 2 "$(delta icp6s_inhist_routeradv)"
	check_eq "inhist redirect" 3 "$(delta icp6s_inhist_redirect)"
	check_eq "valid RS dropped as icp6s_nosock (a host)" 1 "$(delta icp6s_nosock)"
	check_eq "valid redirect acted on" 1 "$(delta icp6s_redir_accepted)"
	check_eq "valid RA processed" 1 "$(delta icp6s_ra_processed)"
	read -r t d < <(kame_ip6_in_sum "$A")
	check_eq "every packet delivered or dropped once" $((t - t0)) $((d - d0))
	check_eq "the 15th option (a TLLA) was ignored" "$MAC_B" \
		"$(ip netns exec "$A" ndp -anj | jq -r '.[] | select(.neighbor == "2001:db8::2") | .lladdr')"
	check_eq "NA with R set: IsRouter" true \
		"$(ip netns exec "$A" ndp -anj | jq '.[] | select(.neighbor == "2001:db8::2") | .router')"
	ip netns exec "$A" ndp -an | grep -Eq '^2001:db8::2 .* R( [0-9]+)?$' ||
		fail_case "R flag not shown: $(ip netns exec "$A" ndp -an)"
	# the valid RA (router lifetime 1800, 2001:db8:1::/64): in the lists,
	# which ndp -R and -P empty
	check_match "ndp -r" "^$LL_B%veth0 if=veth0, flags=, pref=high, expire=" \
		"$(ip netns exec "$A" ndp -rn)"
	check_match "ndp -p" "^2001:db8:1::/64 if=veth0" "$(ip netns exec "$A" ndp -pn)"
	check ip netns exec "$A" ndp -R
	check ip netns exec "$A" ndp -P
	check_eq "router and prefix lists flushed" "" \
		"$(ip netns exec "$A" ndp -r; ip netns exec "$A" ndp -p)"
	log_test "nd6: invalid NS/NA/RS/RA/redirect dropped, each in its own counter; the valid redirect acted on"
}

test_router_flag_cleared() {
	RET=0
	# the neighbour advertises again, as a host this time: R clear
	check scapy_send na_host
	slowwait 10 sh -c "[ \"\$(ip netns exec $A ndp -anj | jq '.[] | select(.neighbor == \"2001:db8::2\") | .router')\" = false ]" ||
		fail_case "IsRouter still set: $(ip netns exec "$A" ndp -an)"
	log_test "nd6: an NA with R clear clears IsRouter"
}

# RFC 4861 7.2.8: a proxy entry adds the solicited-node group of its
# address (ff02::1:ffXX:XXXX, 104 bits of prefix) to what the node
# accepts, no other group whose low 24 bits happen to match.
test_proxy_group_only() {
	local cs=(icp6s_outhist_echoreply icp6s_inhist_echo)
	local nm0 na0
	RET=0
	check ip netns exec "$A" ndp -s 2001:db8::100 "$MAC_A" proxy
	snap "${cs[@]}"
	nm0=$(kame_stat "$A" ip6s_notmember)
	na0=$(nd6_stat nd6_proxy_na)
	check scapy_send ns_proxy_othergroup echo_proxy_othergroup
	sleep 1
	# at least: the native host may send to a group of its own meanwhile
	[ $(( $(kame_stat "$A" ip6s_notmember) - nm0 )) -ge 2 ] ||
		fail_case "dropped as ip6s_notmember: $(( $(kame_stat "$A" ip6s_notmember) - nm0 )) of 2"
	check_eq "NS to ff02::2:ff00:100 answered (nd6_proxy_na)" 0 \
		$(( $(nd6_stat nd6_proxy_na) - na0 ))
	check_eq "echo to ff05::100 answered" 0 "$(delta icp6s_outhist_echoreply)"
	check_eq "echo request to ff05::100 taken in" 0 "$(delta icp6s_inhist_echo)"
	# the solicited-node group itself is still answered
	check scapy_send ns_proxy_solnode
	slowwait 5 sh -c "[ \$(kame -n $A stats nd6 nd6_proxy_na) -gt $na0 ]" ||
		fail_case "NS to ff02::1:ff00:100 not answered"
	check ip netns exec "$A" ndp -d 2001:db8::100
	log_test "nd6: a proxy entry opens its solicited-node group only, not any group with its low 24 bits"
}

# An NS or NA shorter than its fixed part (type to target, 24 bytes) is
# dropped before the target is read, counted once in icp6s_badlen (KAME's
# icmp6_input), not answered: nothing from us goes to or asks for its
# source, 2001:db8::77.
test_short_ns_na() {
	local cs=(icp6s_badlen icp6s_badns icp6s_badna icp6s_tooshort
		  icp6s_nd_badopt)
	local t0 d0 t d cap
	RET=0
	snap "${cs[@]}"
	read -r t0 d0 < <(kame_ip6_in_sum "$A")
	cap=$(mktemp)
	pcap_start "$B" veth1 "$cap" "ether src $MAC_A and icmp6"
	check scapy_send ns_short na_short
	sleep 1
	pcap_stop "$PCAP_PID"
	check_eq "icp6s_badlen" 2 "$(delta icp6s_badlen)"
	check_eq "icp6s_badns" 0 "$(delta icp6s_badns)"
	check_eq "icp6s_badna" 0 "$(delta icp6s_badna)"
	check_eq "icp6s_tooshort" 0 "$(delta icp6s_tooshort)"
	check_eq "icp6s_nd_badopt" 0 "$(delta icp6s_nd_badopt)"
	read -r t d < <(kame_ip6_in_sum "$A")
	check_eq "every packet delivered or dropped once" $((t - t0)) $((d - d0))
	check_eq "packets to or about 2001:db8::77" "" \
		"$(tcpdump -n -v -r "$cap" 2>/dev/null | grep 2001:db8::77)"
	rm -f "$cap" "$cap.err"
	log_test "nd6: NS and NA cut short inside the target: icp6s_badlen once each, no answer"
}

setup
test_proxy
test_bad_messages
test_router_flag_cleared
test_proxy_group_only
test_short_ns_na
exit "$EXIT_STATUS"
