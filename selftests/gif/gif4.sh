#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# gif over IPv4 (kame_gif.ko) against Linux's own tunnel drivers: IPv6 in
# IPv4 against sit, IPv4 in IPv4 against ipip (ping and UDP both ways),
# the outer headers seen on the underlay; the nesting limit with a gif routed into itself and two
# gifs routed into each other; the ingress filter and link2; ECN with
# link1; malformed tunnel packets, each with its counter; configuration
# errors; rmmod with gifs up.
#
#   +------- $A (KAME, kame_gif) -------+       +----- $B (native) -----+
#   | gif0 2001:db8:6::1 (KAME)         |       | sit1 2001:db8:6::2    |
#   |      192.168.4.1 (Linux IPv4)     | 41, 4 | ipip1 192.168.4.2     |
#   | veth0 10.0.0.1                    |-------| veth1 10.0.0.2        |
#   +-----------------------------------+       +-----------------------+
source "$(dirname "$0")/../lib.sh"
# shellcheck source=selftests/gif/gif.lib
source "$(dirname "$0")/gif.lib"

PCAP=/tmp/gif4-$$
SEND4="python3 $(dirname "$0")/gif_send4.py"

ping_b6() {	# COUNT: native pings KAME's global address over sit1
	ip netns exec "$B" ping -6 -c "$1" -i 0.3 -W 3 2001:db8:6::1 2>&1
}

setup() {
	kame_veth_pair A B
	ip -n "$A" addr add 10.0.0.1/24 dev veth0
	ip -n "$B" addr add 10.0.0.2/24 dev veth1
	ip -n "$B" link add sit1 type sit local 10.0.0.2 remote 10.0.0.1
	ip -n "$B" link add ipip1 type ipip local 10.0.0.2 remote 10.0.0.1
	ip -n "$B" link set sit1 up
	ip -n "$B" link set ipip1 up
	ip -n "$B" -6 addr add 2001:db8:6::2/64 dev sit1 nodad
	ip -n "$B" addr add 192.168.4.2/24 dev ipip1
	modprobe tunnel4 2>/dev/null	# built in on the sanitizer kernel
	insmod "$KAME_GIF_KO" || return 1
	ip -n "$A" link add gif0 type gif || return 1
	gifc gif0 inet 10.0.0.1 10.0.0.2 up
	kame -n "$A" addr add 2001:db8:6::1/64 dev gif0
	ip -n "$A" addr add 192.168.4.1/24 dev gif0
	slowwait 10 sh -c "! kame -n $A addr show dev gif0 | grep -q tentative"
}

test_device() {
	local js
	RET=0
	js=$(gifc -j gif0)
	check_eq "mtu" 1280 "$(jq -r '.[0].mtu' <<<"$js")"
	check_eq "ttl" 30 "$(jq -r '.[0].ttl' <<<"$js")"
	check_eq "physical" "inet 10.0.0.1 10.0.0.2" \
		"$(jq -r '.[0].physical | "\(.family) \(.src) \(.dst)"' <<<"$js")"
	check_eq "flags" "UP,POINTOPOINT,RUNNING,NOARP,MULTICAST" \
		"$(jq -r '.[0].flags | join(",")' <<<"$js")"
	gifc gif0 | grep -qx $'\tphysical address inet 10.0.0.1 --> 10.0.0.2' ||
		fail_case "status text: $(gifc gif0)"
	# attached at creation, native IPv6 off from the start
	check_eq "attached to KAME" gif0 \
		"$(kame -n "$A" -j link show gif0 | jq -r '.[0].ifname')"
	check_eq "native disable_ipv6" 1 \
		"$(ip netns exec "$A" sysctl -n net.ipv6.conf.gif0.disable_ipv6)"
	check_eq "native addresses on gif0" 0 \
		"$(ip -n "$A" -6 -j addr show dev gif0 | jq '[.[].addr_info[]] | length')"
	kame -n "$A" -j addr show dev gif0 |
		jq -e '.[] | select(.address | startswith("fe80::"))' >/dev/null ||
		fail_case "no KAME link-local on gif0: $(kame -n "$A" addr show dev gif0)"
	log_test "gif: ip link add makes a KAME point-to-point link with gifconfig's view"
}

test_6in4() {
	local out n
	RET=0
	pcap_start "$B" veth1 "$PCAP.41" "ip proto 41"
	CAP_PID=$PCAP_PID
	out=$(ping_b6 3)
	check_match "native ping over sit to KAME" '3 packets transmitted, 3 received' "$out"
	out=$(timeout 5 ip netns exec "$A" kping6 -c 2 -i 0.5 2001:db8:6::2 2>&1)
	check_match "kping6 over gif to native" \
		'2 packets transmitted, 2 packets received' "$out"
	pcap_stop "$CAP_PID"
	CAP_PID=
	out=$(tcpdump -n -v -r "$PCAP.41" 2>/dev/null)
	# the replies and requests KAME sent: outer TTL 30, DF clear, proto 41
	n=$(grep -c "ttl 30, id [0-9]*, offset 0, flags \[none\], proto IPv6 (41)" <<<"$out")
	[ "$n" -ge 5 ] || fail_case "outer headers of KAME's packets (TTL 30, no DF, 41): $n of 5: $out"
	n=$(tcpdump -n -r "$PCAP.41" 2>/dev/null | grep -c "10.0.0.1 > 10.0.0.2: IP6 2001:db8:6::1 > 2001:db8:6::2: ICMP6, echo reply")
	check_eq "echo replies inside IPv4 on the wire" 3 "$n"
	check_eq "gif0's own transmit drops" 0 \
		"$(gifc -j gif0 | jq '.[0].stats | .tx_noaddr + .tx_nested + .tx_noroute + .tx_proto + .tx_error')"
	log_test "gif: IPv6 in IPv4 against sit, both directions, outer header on the wire"
}

test_4in4() {
	local out n
	RET=0
	pcap_start "$B" veth1 "$PCAP.4" "ip proto 4"
	CAP_PID=$PCAP_PID
	out=$(ip netns exec "$B" ping -c 3 -i 0.3 -W 3 192.168.4.1 2>&1)
	check_match "native ping over ipip to gif0's IPv4" '3 packets transmitted, 3 received' "$out"
	out=$(ip netns exec "$A" ping -c 2 -i 0.3 -W 3 192.168.4.2 2>&1)
	check_match "ping from gif0's IPv4 over ipip" '2 packets transmitted, 2 received' "$out"
	pcap_stop "$CAP_PID"
	CAP_PID=
	n=$(tcpdump -n -r "$PCAP.4" 2>/dev/null | grep -c "10.0.0.1 > 10.0.0.2: IP 192.168.4.1 > 192.168.4.2: ICMP echo")
	check_eq "IPv4 in IPv4 on the wire (replies and requests)" 5 "$n"
	log_test "gif: IPv4 in IPv4 against ipip, both directions"
}

test_udp() {
	RET=0
	gif_udp6 2001:db8:6::1 2001:db8:6::2 7100
	gif_udp4 192.168.4.1 192.168.4.2 7110
	log_test "gif: UDP over IPv6 and over IPv4 inside the tunnel, both directions"
}

test_nesting() {
	local n0 out
	RET=0
	check_eq "max_nesting" 1 "$(cat /sys/module/kame_gif/parameters/max_nesting)"
	check_fail sh -c "echo 0 >/sys/module/kame_gif/parameters/max_nesting"
	check_fail sh -c "echo 9 >/sys/module/kame_gif/parameters/max_nesting"
	# gif0 routed through itself: its outer packet meets gif0 again
	n0=$(gif_stat tx_nested)
	check ip -n "$A" route add 10.0.0.2/32 dev gif0
	timeout 5 ip netns exec "$A" kping6 -c 3 -i 0.2 2001:db8:6::2 >/dev/null 2>&1
	check ip -n "$A" route del 10.0.0.2/32 dev gif0
	n=$(($(gif_stat tx_nested) - n0))
	[ "$n" -ge 3 ] || check_eq "tx_nested after 3 echo requests into a self-routed gif0" ">= 3" "$n"
	# gif1 and gif2 routed into each other
	check ip -n "$A" link add gif1 type gif
	check ip -n "$A" link add gif2 type gif
	check gifc gif1 10.0.0.1 10.7.0.2 up
	check gifc gif2 10.0.0.1 10.8.0.2 up
	check ip -n "$A" route add 10.7.0.2/32 dev gif2
	check ip -n "$A" route add 10.8.0.2/32 dev gif1
	check ip -n "$A" addr add 192.168.7.1/24 dev gif1
	ip netns exec "$A" ping -c 3 -i 0.2 -W 1 192.168.7.2 >/dev/null 2>&1
	# the echo requests, and the MLD reports of gif1's groups when due
	n=$(gif_stat tx_nested gif2)
	[ "$n" -ge 3 ] || check_eq "gif1's packets dropped in gif2 as nested" ">= 3" "$n"
	# still answering
	out=$(ping_b6 2)
	check_match "ping after the loops" '2 packets transmitted, 2 received' "$out"
	check ip -n "$A" link del gif1
	check ip -n "$A" link del gif2
	log_test "gif: a gif routed into itself and two gifs into each other drop as tx_nested"
}

test_ingress() {
	local n0 e0 out
	RET=0
	# the route back to the outer source leaves by dummy0, not veth0
	check ip -n "$A" link add dummy0 type dummy
	check ip -n "$A" link set dummy0 up
	check ip -n "$A" route add 10.0.0.2/32 dev dummy0
	n0=$(gif_stat rx_ingress)
	ip netns exec "$B" $SEND4 10.0.0.2 10.0.0.1 echo6:0:0 2 >/dev/null
	check_eq "rx_ingress, filter on" 2 "$(($(gif_stat rx_ingress) - n0))"
	# link2: no ingress filter, the requests are taken (the replies
	# leave by dummy0 and are lost)
	check gifc gif0 link2
	check_eq "link2 in the flags" true "$(gifc -j gif0 | jq '.[0].link2')"
	e0=$(kame_icmp6_stat "$A" icp6s_inhist_echo)
	ip netns exec "$B" $SEND4 10.0.0.2 10.0.0.1 echo6:0:0 2 >/dev/null
	check_eq "rx_ingress with link2" 2 "$(($(gif_stat rx_ingress) - n0))"
	check_eq "echo requests taken with link2" 2 \
		"$(($(kame_icmp6_stat "$A" icp6s_inhist_echo) - e0))"
	check gifc gif0 -link2
	check ip -n "$A" link del dummy0
	out=$(ping_b6 2)
	check_match "ping with the filter back on" '2 packets transmitted, 2 received' "$out"
	log_test "gif: the ingress filter drops as rx_ingress, link2 turns it off"
}

test_ecn() {
	local e0 n0 out
	RET=0
	pcap_start "$A" gif0 "$PCAP.in" "icmp6 and ip6[40] == 128"
	CAP_PID=$PCAP_PID
	# without link1 the outer ECN field is ignored
	e0=$(kame_icmp6_stat "$A" icp6s_inhist_echo)
	ip netns exec "$B" $SEND4 10.0.0.2 10.0.0.1 echo6:3:0 >/dev/null
	check gifc gif0 link1
	# with link1 outer CE over a not-ECN-capable inner packet is dropped
	n0=$(gif_stat rx_ecn)
	ip netns exec "$B" $SEND4 10.0.0.2 10.0.0.1 echo6:3:0 >/dev/null
	check_eq "rx_ecn: CE outside, Not-ECT inside" 1 "$(($(gif_stat rx_ecn) - n0))"
	# and copied into an ECT(0) inner header
	ip netns exec "$B" $SEND4 10.0.0.2 10.0.0.1 echo6:3:2 >/dev/null
	check_eq "rx_ecn: CE outside, ECT(0) inside" 1 "$(($(gif_stat rx_ecn) - n0))"
	check_eq "echo requests taken" 2 \
		"$(($(kame_icmp6_stat "$A" icp6s_inhist_echo) - e0))"
	pcap_stop "$CAP_PID"
	CAP_PID=
	out=$(tcpdump -t -n -v -r "$PCAP.in" 2>/dev/null)
	check_eq "inner packets seen on gif0" 2 "$(grep -c 'echo request' <<<"$out")"
	check_match "without link1 the inner class stays 0" '^IP6 [(]hlim 64, next-header ICMPv6' "$out"
	check_match "with link1 CE is copied in" '^IP6 [(]class 0x03, hlim 64' "$out"
	check gifc gif0 -link1
	log_test "gif: link1 copies an outer CE mark inside, drops it over Not-ECT (rx_ecn)"
}

test_malformed() {
	local m0
	RET=0
	m0=$(gif_stat rx_malformed)
	ip netns exec "$B" $SEND4 10.0.0.2 10.0.0.1 v4in41 2 >/dev/null
	ip netns exec "$B" $SEND4 10.0.0.2 10.0.0.1 v6in4 2 >/dev/null
	check_eq "rx_malformed: IPv4 in 41, IPv6 in 4" 4 "$(($(gif_stat rx_malformed) - m0))"
	# cut short before the gif sees it: tunnel4 drops it, no gif counter
	ip netns exec "$B" $SEND4 10.0.0.2 10.0.0.1 short41 2 >/dev/null
	check_eq "rx_malformed after short ones" 4 "$(($(gif_stat rx_malformed) - m0))"
	check_eq "rx_dropped is the sum of the rx counters" \
		"$(gifc -j gif0 | jq '.[0].stats | .rx_ingress + .rx_martian + .rx_ecn + .rx_malformed + .rx_down')" \
		"$(ip -n "$A" -j -s link show gif0 | jq '.[0].stats64.rx.dropped')"
	log_test "gif: malformed tunnel packets dropped with rx_malformed"
}

test_config() {
	local out n0
	RET=0
	check ip -n "$A" link add gif3 type gif
	check_tool_error "another gif has these outer addresses" gifc gif3 10.0.0.1 10.0.0.2
	check_tool_error "multicast" gifc gif3 10.0.0.1 224.0.0.9
	check_tool_error "link-local" gifc gif3 inet6 fe80::1 fe80::2
	check_tool_error "TTL" gifc gif3 ttl 0
	check_fail ip -n "$A" link set gif3 mtu 1279
	check ip -n "$A" link set gif3 mtu 9000
	check_eq "mtu 9000" 9000 "$(gifc -j gif3 | jq '.[0].mtu')"
	check gifc gif3 ttl 64
	check_eq "ttl 64" 64 "$(gifc -j gif3 | jq '.[0].ttl')"
	check ip -n "$A" link del gif3
	# without outer addresses the gif drops what it is given
	check gifc gif0 delete
	check_eq "no physical address" null "$(gifc -j gif0 | jq '.[0].physical')"
	n0=$(gif_stat tx_noaddr)
	timeout 5 ip netns exec "$A" kping6 -c 2 -i 0.2 2001:db8:6::2 >/dev/null 2>&1
	# the echo requests, and NUD's probe when it is due
	n0=$(($(gif_stat tx_noaddr) - n0))
	[ "$n0" -ge 2 ] || check_eq "tx_noaddr after 2 echo requests" ">= 2" "$n0"
	check gifc gif0 10.0.0.1 10.0.0.2
	out=$(ping_b6 2)
	check_match "ping with the addresses back" '2 packets transmitted, 2 received' "$out"
	log_test "gif: configuration errors, delete and the tx_noaddr counter"
}

# kfuzz6's corpus inside IPv4 to gif0 (--encap4: some with a random outer
# TOS, as protocol 4 or with a random inner version): every frame gif0
# hands on reaches KAME's input, which counts each packet once; gif0's
# own drops have their counters; the host keeps answering.
test_fuzz() {
	local out
	RET=0
	gif_fuzz 2001:db8:6 fe80::a00:2 --encap4 10.0.0.2,10.0.0.1
	out=$(ping_b6 2)
	check_match "ping after the fuzz" '2 packets transmitted, 2 received' "$out"
	log_test "gif: 3000 fuzzed packets inside IPv4, each counted once, host answering"
}

test_teardown() {
	local C
	RET=0
	# a namespace with a gif goes away; rmmod with gifs up
	setup_ns C
	check ip -n "$C" link add gif7 type gif
	check ip netns exec "$C" gifconfig gif7 10.1.0.1 10.1.0.2 up
	cleanup_ns "$C"
	check rmmod kame_gif
	check_eq "gif0 gone with the module" "" "$(ip -n "$A" link show gif0 2>/dev/null)"
	check_eq "KAME links" "" \
		"$(kame -n "$A" -j link show | jq -r '[.[].ifname] | join(",")')"
	check insmod "$KAME_GIF_KO"
	check rmmod kame_gif
	log_test "gif: namespace deletion and rmmod with gifs up"
}

if ! setup; then
	echo "SKIP: cannot set up (kame_gif.ko: $KAME_GIF_KO)"
	RET=1
	log_test "gif: setup"
	exit "$EXIT_STATUS"
fi
test_device
test_6in4
test_4in4
test_udp
test_nesting
test_ingress
test_ecn
test_malformed
test_config
test_fuzz
test_teardown
exit "$EXIT_STATUS"
