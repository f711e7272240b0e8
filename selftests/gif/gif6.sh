#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# gif over IPv6 (kame_gif.ko): IPv6 in IPv6 and IPv4 in IPv6 (ping and UDP,
# both ways) against
# Linux's ip6tnl (mode any, with its default Tunnel Encapsulation Limit
# option, which the KAME stack's Destination Options processing passes),
# the outer header leaving through the KAME stack; a tunnel packet for no
# gif of the node handled as without the module (ip6s_noproto); the
# nesting limit with the outer destination routed into the gif itself;
# the ingress filter for outer IPv6; a KAME router forwarding through
# the gif, with Packet Too Big at its MTU.
#
#   +------- $A (KAME, kame_gif) -------+       +----- $B (native) -----+
#   | gif0 2001:db8:7::1 (KAME)         |       | ip6t1 2001:db8:7::2   |
#   |      192.168.7.1 (Linux IPv4)     | 41, 4 |       192.168.7.2     |
#   | veth0 2001:db8:ff::1 (KAME)       |-------| veth1 2001:db8:ff::2  |
#   +-----------------------------------+       +-----------------------+
source "$(dirname "$0")/../lib.sh"
# shellcheck source=selftests/gif/gif.lib
source "$(dirname "$0")/gif.lib"

PCAP=/tmp/gif6-$$

setup() {
	kame_native_pair_ff || return 1
	ip -n "$B" link add ip6t1 type ip6tnl mode any local 2001:db8:ff::2 \
		remote 2001:db8:ff::1 || return 1
	ip -n "$B" link set ip6t1 up
	ip -n "$B" -6 addr add 2001:db8:7::2/64 dev ip6t1 nodad
	ip -n "$B" addr add 192.168.7.2/24 dev ip6t1
	modprobe tunnel4 2>/dev/null	# built in on the sanitizer kernel
	insmod "$KAME_GIF_KO" || return 1
	ip -n "$A" link add gif0 type gif || return 1
	gifc gif0 inet6 2001:db8:ff::1 2001:db8:ff::2 up || return 1
	kame -n "$A" addr add 2001:db8:7::1/64 dev gif0
	ip -n "$A" addr add 192.168.7.1/24 dev gif0
	slowwait 10 sh -c "! kame -n $A addr show | grep -q tentative"
}

# veth0 of A on the KAME stack with 2001:db8:ff::1, veth1 of B native
kame_native_pair_ff() {
	kame_veth_pair A B
	ip -n "$B" -6 addr add 2001:db8:ff::2/64 dev veth1 nodad
	kame -n "$A" link attach veth0 &&
		kame -n "$A" addr add 2001:db8:ff::1/64 dev veth0
}

test_6in6() {
	local out n
	RET=0
	check_eq "physical" "inet6 2001:db8:ff::1 2001:db8:ff::2" \
		"$(gifc -j gif0 | jq -r '.[0].physical | "\(.family) \(.src) \(.dst)"')"
	pcap_start "$B" veth1 "$PCAP.6" "ip6"
	CAP_PID=$PCAP_PID
	out=$(ip netns exec "$B" ping -6 -c 3 -i 0.3 -W 3 2001:db8:7::1 2>&1)
	check_match "native ping over ip6tnl to KAME" '3 packets transmitted, 3 received' "$out"
	out=$(timeout 8 ip netns exec "$A" kping6 -c 2 -i 0.5 2001:db8:7::2 2>&1)
	check_match "kping6 over gif to native" \
		'2 packets transmitted, 2 packets received' "$out"
	pcap_stop "$CAP_PID"
	CAP_PID=
	out=$(tcpdump -n -v -r "$PCAP.6" 2>/dev/null)
	n=$(tcpdump -n -r "$PCAP.6" 2>/dev/null | grep -c "2001:db8:ff::1 > 2001:db8:ff::2: IP6 2001:db8:7::1 > 2001:db8:7::2: ICMP6, echo reply")
	check_eq "echo replies inside IPv6 on the wire" 3 "$n"
	n=$(grep -c "hlim 30, next-header IPv6 (41)" <<<"$out")
	[ "$n" -ge 5 ] || fail_case "outer headers of KAME's packets (hop limit 30, next header 41): $n of 5: $out"
	log_test "gif: IPv6 in IPv6 against ip6tnl, both directions, outer header on the wire"
}

test_4in6() {
	local out n
	RET=0
	pcap_start "$B" veth1 "$PCAP.4" "ip6"
	CAP_PID=$PCAP_PID
	out=$(ip netns exec "$B" ping -c 3 -i 0.3 -W 3 192.168.7.1 2>&1)
	check_match "native ping over ip6tnl to gif0's IPv4" '3 packets transmitted, 3 received' "$out"
	out=$(ip netns exec "$A" ping -c 2 -i 0.3 -W 3 192.168.7.2 2>&1)
	check_match "ping from gif0's IPv4" '2 packets transmitted, 2 received' "$out"
	pcap_stop "$CAP_PID"
	CAP_PID=
	n=$(tcpdump -n -r "$PCAP.4" 2>/dev/null | grep -c "2001:db8:ff::1 > 2001:db8:ff::2: IP 192.168.7.1 > 192.168.7.2: ICMP echo")
	check_eq "IPv4 in IPv6 on the wire (replies and requests)" 5 "$n"
	log_test "gif: IPv4 in IPv6 against ip6tnl, both directions"
}

test_udp6() {
	RET=0
	gif_udp6 2001:db8:7::1 2001:db8:7::2 7200
	gif_udp4 192.168.7.1 192.168.7.2 7210
	log_test "gif: UDP over IPv6 and over IPv4 inside the tunnel, both directions"
}

# A gif whose MTU is above the path's: an inner packet too large for the
# link goes in outer fragments (KAME's output fragments the outer IPv6
# packet), which ip6tnl reassembles.
test_mtu6() {
	local out n
	RET=0
	check ip -n "$A" link set gif0 mtu 9000
	pcap_start "$B" veth1 "$PCAP.frag" "ip6 and ip6[6] == 44"
	CAP_PID=$PCAP_PID
	out=$(timeout 10 ip netns exec "$A" kping6 -c 2 -i 0.5 -s 3000 2001:db8:7::2 2>&1)
	check_match "3000-byte kping6 over a gif of MTU 9000" \
		'2 packets transmitted, 2 packets received' "$out"
	pcap_stop "$CAP_PID"
	CAP_PID=
	n=$(tcpdump -n -r "$PCAP.frag" 2>/dev/null |
		grep -c "2001:db8:ff::1 > 2001:db8:ff::2: frag")
	[ "$n" -ge 6 ] || check_eq "outer fragments of the two requests" ">= 6" "$n"
	check ip -n "$A" link set gif0 mtu 1280
	log_test "gif: an inner packet larger than the path goes in outer fragments"
}

# A KAME router forwards between a native host C and the gif: both
# ways, and a packet over the gif's MTU gets Packet Too Big from the
# router (ip6s_toobig), never fragmented.
test_fwd6() {
	local out tb0
	RET=0
	kame_native_host C "$A" veth2 2001:db8:c::1 veth3 2001:db8:c::2 \
		2001:db8:7::/64
	check ip -n "$B" -6 route add 2001:db8:c::/64 dev ip6t1
	check kame -n "$A" sysctl net.inet6.ip6.forwarding 1
	slowwait 10 sh -c "! kame -n $A addr show | grep -q tentative"
	out=$(ip netns exec "$C" ping -6 -c 2 -i 0.3 -W 3 2001:db8:7::2 2>&1)
	check_match "native ping through the KAME router and its gif" \
		'2 packets transmitted, 2 received' "$out"
	tb0=$(kame_stat "$A" ip6s_toobig)
	out=$(ip netns exec "$C" ping -6 -c 1 -W 3 -M do -s 1300 2001:db8:7::2 2>&1)
	check_match "Packet Too Big from the router at the gif's MTU" \
		"From 2001:db8:c::1.*[Pp]acket too big: mtu=1280" "$out"
	check_eq "ip6s_toobig" $((tb0 + 1)) "$(kame_stat "$A" ip6s_toobig)"
	check kame -n "$A" sysctl net.inet6.ip6.forwarding 0
	check ip -n "$B" -6 route del 2001:db8:c::/64 dev ip6t1
	log_test "gif: a KAME router forwards through the gif both ways, Packet Too Big at its MTU"
}

test_not_ours() {
	local n0 out
	RET=0
	# a tunnel from another address of B: no gif of A is for it
	check ip -n "$B" -6 addr add 2001:db8:ff::3/64 dev veth1 nodad
	check ip -n "$B" link add ip6t2 type ip6tnl mode ip6ip6 \
		local 2001:db8:ff::3 remote 2001:db8:ff::1
	check ip -n "$B" link set ip6t2 up
	check ip -n "$B" -6 addr add 2001:db8:8::2/64 dev ip6t2 nodad
	n0=$(kame_stat "$A" ip6s_noproto)
	ip netns exec "$B" ping -6 -c 2 -i 0.3 -W 1 2001:db8:8::1 >/dev/null 2>&1
	# the 2 echo requests, and what B's new ip6t2 sends by itself (an MLD
	# report comes late on a slow kernel)
	n0=$(($(kame_stat "$A" ip6s_noproto) - n0))
	[ "$n0" -ge 2 ] && [ "$n0" -le 6 ] ||
		check_eq "ip6s_noproto for tunnel packets no gif takes" "2 (up to 6)" "$n0"
	out=$(ip netns exec "$B" ping -6 -c 2 -i 0.3 -W 3 2001:db8:7::1 2>&1)
	check_match "gif0 still answers" '2 packets transmitted, 2 received' "$out"
	log_test "gif: a tunnel packet for no gif is the core's as without the module"
}

test_nesting6() {
	local n0 n
	RET=0
	# the outer destination routed into gif0 itself
	n0=$(gif_stat tx_nested)
	check kame -n "$A" route add 2001:db8:ff::2/128 dev gif0
	timeout 8 ip netns exec "$A" kping6 -c 3 -i 0.2 2001:db8:7::2 >/dev/null 2>&1
	check kame -n "$A" route del 2001:db8:ff::2/128 dev gif0
	n=$(($(gif_stat tx_nested) - n0))
	[ "$n" -ge 3 ] || check_eq "tx_nested, outer IPv6 routed into the gif" ">= 3" "$n"
	log_test "gif: outer IPv6 routed into the gif itself drops as tx_nested"
}

# The ingress filter for outer IPv6: the route back to the outer source
# must leave by the interface the packet came in on.
test_ingress6() {
	local n0 n1 e0 out
	RET=0
	check kame -n "$A" route add 2001:db8:ff::2/128 dev veth0 blackhole
	n0=$(gif_stat rx_ingress)
	ip netns exec "$B" ping -6 -c 2 -i 0.3 -W 1 2001:db8:7::1 >/dev/null 2>&1
	# the 2 echo requests, and what B's ip6t1 may send by itself (an MLD
	# report on a slow kernel)
	n1=$(gif_stat rx_ingress)
	[ $((n1 - n0)) -ge 2 ] && [ $((n1 - n0)) -le 6 ] ||
		check_eq "rx_ingress, the route back a blackhole" "2 (up to 6)" $((n1 - n0))
	# link2: no filter, the requests are taken (the replies are lost)
	check gifc gif0 link2
	e0=$(kame_icmp6_stat "$A" icp6s_inhist_echo)
	ip netns exec "$B" ping -6 -c 2 -i 0.3 -W 1 2001:db8:7::1 >/dev/null 2>&1
	check_eq "echo requests taken with link2" 2 \
		"$(($(kame_icmp6_stat "$A" icp6s_inhist_echo) - e0))"
	check_eq "rx_ingress with link2" "$n1" "$(gif_stat rx_ingress)"
	check gifc gif0 -link2
	check kame -n "$A" route del 2001:db8:ff::2/128
	out=$(ip netns exec "$B" ping -6 -c 2 -i 0.3 -W 3 2001:db8:7::1 2>&1)
	check_match "ping with the route back" '2 packets transmitted, 2 received' "$out"
	log_test "gif: the ingress filter over IPv6 drops as rx_ingress, link2 turns it off"
}

# kfuzz6's corpus inside IPv6 to gif0 (--encap6: some with a random
# outer traffic class, as next header 4 or with a random inner version):
# the KAME stack counts every packet once, outer and inner; gif0's drops
# have their counters; the host keeps answering.
test_fuzz6() {
	local out
	RET=0
	gif_fuzz 2001:db8:7 fe80::2 --encap6 2001:db8:ff::2,2001:db8:ff::1
	out=$(ip netns exec "$B" ping -6 -c 2 -i 0.3 -W 3 2001:db8:7::1 2>&1)
	check_match "ping after the fuzz" '2 packets transmitted, 2 received' "$out"
	log_test "gif: 3000 fuzzed packets inside IPv6, each counted once, host answering"
}

if ! setup; then
	RET=1
	log_test "gif: setup over IPv6 (kame_gif.ko: $KAME_GIF_KO)"
	exit "$EXIT_STATUS"
fi
test_6in6
test_4in6
test_udp6
test_mtu6
test_fwd6
test_not_ours
test_nesting6
test_ingress6
test_fuzz6
RET=0
check rmmod kame_gif
log_test "gif: rmmod with a gif over IPv6 up"
exit "$EXIT_STATUS"
