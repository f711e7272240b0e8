#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# stf, KAME's 6to4 interface (kame_stf.ko), against Linux's sit in 6to4
# mode: pings both ways with the outer header on the underlay, a relay
# route whose next hop gives the outer destination; each abuse filter
# with its own counter (outer and embedded IPv4 ranges, v4-mapped and
# v4-compatible, scoped and small-scope multicast inner addresses, the
# source consistency rule), the ingress filter, the /N of a longer
# prefix, ECN, link0, rfc1918; the transmit counters; configuration
# errors; kfuzz6's corpus inside IPv4; namespace deletion and rmmod.
#
#   +------ $A (KAME, kame_stf) ------+          +------ $B (native) ------+
#   | stf0 2002:c000:201::1/16 (KAME) |   41     | tun6to4 (sit, 6to4)     |
#   | veth0 192.0.2.1/24              |----------| 2002:c000:202::1/16     |
#   +---------------------------------+          | veth1 192.0.2.2/24      |
#                                                | lo 2001:db8:9::1 (relay)|
#                                                +-------------------------+
source "$(dirname "$0")/../lib.sh"

: "${KAME_STF_KO:=$KAME_TOP/kmod/stf/kame_stf.ko}"
PCAP=/tmp/stf-$$
SEND4="python3 $(dirname "$0")/stf_send4.py 192.0.2.1"
ME=2002:c000:201::1
PEER=2002:c000:202::1
O=192.0.2.2	# the peer's outer address

cleanup_stf() {
	[ -n "${CAP_PID:-}" ] && kill "$CAP_PID" 2>/dev/null
	rm -f "$PCAP".*
	cleanup_all_ns
	rmmod kame_stf 2>/dev/null
}
trap cleanup_stf EXIT

gifc() { ip netns exec "$A" gifconfig "$@"; }

# SPEC... of stf_send4.py, from $B to stf0's outer address
send41() {
	# shellcheck disable=SC2086	# SEND4 is a command line
	ip netns exec "$B" $SEND4 "$@"
}

# S (an associative array) := stf0's counters, from one snapshot
declare -A S0 S1
stf_snap() {	# ARRAY
	local -n arr=$1
	local k v
	arr=()
	while read -r k v; do
		arr[$k]=$v
	done < <(gifc -j stf0 | jq -r '.[0].stats | to_entries[] | "\(.key) \(.value)"')
}

# Between S0 and S1 the counters named in EXPECT ("name=N ...") moved by
# N, every other one stayed, and rx_dropped moved by their sum. WHAT
# names the case.
stf_moved() {	# WHAT EXPECT DROPPED0 DROPPED1
	local what=$1 k want sum=0
	declare -A exp=()
	for k in $2; do
		exp[${k%%=*}]=${k#*=}
	done
	for k in "${!S1[@]}"; do
		want=${exp[$k]:-0}
		sum=$((sum + want))
		check_eq "$what: $k" "$want" "$((S1[$k] - S0[$k]))"
	done
	check_eq "$what: rx_dropped + tx_dropped" "$sum" "$(($4 - $3))"
}

dropped() {	# rx_dropped + tx_dropped of stf0
	ip -n "$A" -j -s link show stf0 |
		jq '.[0].stats64.rx.dropped + .[0].stats64.tx.dropped'
}

echo_in() { kame_icmp6_stat "$A" icp6s_inhist_echo; }

setup() {
	kame_veth_pair A B
	ip -n "$A" addr add 192.0.2.1/24 brd + dev veth0
	ip -n "$B" addr add 192.0.2.2/24 dev veth1
	# spoofed outer sources must reach the filters: no reverse-path filter
	for k in all.rp_filter default.rp_filter veth0.rp_filter; do
		ip netns exec "$A" sysctl -qw "net.ipv4.conf.$k=0"
	done
	ip -n "$B" link add tun6to4 type sit remote any local 192.0.2.2 ttl 64
	ip -n "$B" link set tun6to4 up
	ip -n "$B" -6 addr add $PEER/16 dev tun6to4 nodad
	ip -n "$B" -6 addr add 2001:db8:9::1/128 dev lo
	modprobe tunnel4 2>/dev/null	# built in on the sanitizer kernel
	insmod "$KAME_STF_KO" || return 1
	ip -n "$A" link add stf0 type stf || return 1
	kame -n "$A" addr add $ME/16 dev stf0 || return 1
	ip -n "$A" link set stf0 up
}

test_device() {
	local js
	RET=0
	js=$(gifc -j stf0)
	check_eq "mtu" 1280 "$(jq -r '.[0].mtu' <<<"$js")"
	check_eq "ttl" 30 "$(jq -r '.[0].ttl' <<<"$js")"
	check_eq "flags: link2 (no ingress filter) by default" "UP,RUNNING,NOARP,LINK2" \
		"$(jq -r '.[0].flags | join(",")' <<<"$js")"
	check_eq "kind" stf "$(jq -r '.[0].kind' <<<"$js")"
	gifc stf0 | grep -qx $'\tinet6 '"$ME"' prefixlen 16' ||
		fail_case "status text: $(gifc stf0)"
	check_eq "attached to KAME" stf0 \
		"$(kame -n "$A" -j link show stf0 | jq -r '.[0].ifname')"
	check_eq "native disable_ipv6" 1 \
		"$(ip netns exec "$A" sysctl -n net.ipv6.conf.stf0.disable_ipv6)"
	# no link-local address, no DAD: the 6to4 address is usable at once
	check_eq "KAME addresses on stf0" "$ME" \
		"$(kame -n "$A" -j addr show dev stf0 | jq -r '[.[].address] | join(",")')"
	check_eq "one stf per namespace" "" \
		"$(ip -n "$A" link add stf1 type stf 2>&1 | grep -v 'one per namespace')"
	check_fail ip -n "$A" link show stf1
	log_test "stf: one stf0 per namespace, attached without link-local address or DAD"
}

tx_bytes() {
	ip -n "$A" -s -j link show stf0 | jq '.[0].stats64.tx.bytes'
}

test_6to4() {
	local out n b0
	RET=0
	pcap_start "$B" veth1 "$PCAP.41" "ip proto 41"
	CAP_PID=$PCAP_PID
	out=$(ip netns exec "$B" ping -6 -c 3 -i 0.3 -W 3 $ME 2>&1)
	check_match "native 6to4 (sit) pings stf0" '3 packets transmitted, 3 received' "$out"
	b0=$(tx_bytes)
	out=$(timeout 5 ip netns exec "$A" kping6 -c 2 -i 0.5 $PEER 2>&1)
	check_match "kping6 over stf0 to sit" '2 packets transmitted, 2 packets received' "$out"
	# two echo requests of 40 + 8 + 8 bytes (kping6's default: a
	# timestamp): the IPv6 packets, not what iptunnel_xmit() guessed
	check_eq "tx_bytes: the IPv6 packets" 112 $(($(tx_bytes) - b0))
	pcap_stop "$CAP_PID"
	CAP_PID=
	out=$(tcpdump -n -v -r "$PCAP.41" 2>/dev/null)
	n=$(grep -c "ttl 30, id [0-9]*, offset 0, flags \[none\], proto IPv6 (41)" <<<"$out")
	check_eq "KAME's outer headers (TTL 30, no DF, 41)" 5 "$n"
	n=$(tcpdump -n -r "$PCAP.41" 2>/dev/null |
		grep -c "192.0.2.1 > 192.0.2.2: IP6 $ME > $PEER: ICMP6, echo re")
	check_eq "6to4 on the wire, outer addresses from the 6to4 ones" 5 "$n"
	log_test "stf: 6to4 against Linux sit, both directions, outer header on the wire"
}

# A route via a 6to4 router: the outer destination comes from the next
# hop, and the relayed answer (a source outside 2002::/16) is taken.
test_relay() {
	local out
	RET=0
	check kame -n "$A" route add 2001:db8:9::/48 via $PEER dev stf0
	pcap_start "$B" veth1 "$PCAP.r" "ip proto 41"
	CAP_PID=$PCAP_PID
	out=$(timeout 5 ip netns exec "$A" kping6 -c 2 -i 0.5 2001:db8:9::1 2>&1)
	check_match "kping6 via the 6to4 router" '2 packets transmitted, 2 packets received' "$out"
	pcap_stop "$CAP_PID"
	CAP_PID=
	check_eq "to the next hop's IPv4 address" 2 \
		"$(tcpdump -n -r "$PCAP.r" 2>/dev/null | grep -c "192.0.2.1 > 192.0.2.2: IP6 $ME > 2001:db8:9::1")"
	check kame -n "$A" route del 2001:db8:9::/48
	log_test "stf: a route via a 6to4 router, the relayed answer taken"
}

# One packet per filter and range, from one send, each dropped with its
# own counter; two good ones (a 6to4 and a relayed source) taken.
test_filters() {
	local d0 e0
	RET=0
	stf_snap S0
	d0=$(dropped)
	e0=$(echo_in)
	send41 10.9.9.9,2001:db8:9::1,$ME 169.254.9.9,2001:db8:9::1,$ME \
		192.0.2.255,2001:db8:9::1,$ME \
		$O,2002:0:1::1,$ME $O,2002:7f00:1::1,$ME $O,2002:e000:1::1,$ME \
		$O,2002:ff00:1::1,$ME $O,2002:c0a8:101::1,$ME \
		$O,2002:a9fe:101::1,$ME $O,2002:c000:2ff::1,$ME \
		$O,$PEER,2002:7f00:1::1 \
		$O,::ffff:192.0.2.2,$ME $O,::192.0.2.2,$ME $O,fe80::2,$ME \
		$O,fec0::2,$ME $O,$PEER,ff02::1 $O,$PEER,ff01::1 \
		$O,2002:c000:203::1,$ME $O,$PEER,$ME,v4inside \
		$O,$PEER,$ME $O,2001:db8:9::1,$ME
	sleep 1
	stf_snap S1
	stf_moved "filters" "rx_private=2 rx_linklocal=2 rx_broadcast=3
		rx_unspec=1 rx_loopback=2 rx_multicast=1 rx_v4mapped=1
		rx_v4compat=1 rx_scoped=2 rx_mcastscope=2 rx_mismatch=1
		rx_malformed=1" "$d0" "$(dropped)"
	check_eq "echo requests taken (6to4 and relayed source)" 2 $(($(echo_in) - e0))
	log_test "stf: each abuse filter drops with its own counter"
}

test_switches() {
	local d0 e0
	RET=0
	# rfc1918: a private outer source is taken
	check gifc stf0 rfc1918
	check_eq "rfc1918 on" true "$(gifc -j stf0 | jq '.[0].rfc1918')"
	e0=$(echo_in)
	stf_snap S0
	d0=$(dropped)
	send41 10.9.9.9,2001:db8:9::1,$ME
	sleep 1
	stf_snap S1
	stf_moved "rfc1918" "" "$d0" "$(dropped)"
	check_eq "echo request from a private source with rfc1918" 1 $(($(echo_in) - e0))
	check gifc stf0 -rfc1918
	# -link2: the ingress filter (the route back leaves by dummy0)
	check ip -n "$A" link add dummy0 type dummy
	check ip -n "$A" link set dummy0 up
	check ip -n "$A" route add $O/32 dev dummy0
	check gifc stf0 -link2
	stf_snap S0
	d0=$(dropped)
	send41 $O,$PEER,$ME
	sleep 1
	stf_snap S1
	stf_moved "ingress" "rx_ingress=1" "$d0" "$(dropped)"
	check gifc stf0 link2
	check ip -n "$A" link del dummy0
	# link1: CE outside over Not-ECT inside dropped, over ECT(0) taken
	check gifc stf0 link1
	e0=$(echo_in)
	stf_snap S0
	d0=$(dropped)
	send41 $O,$PEER,$ME,tos=3 $O,$PEER,$ME,tos=3,tclass=2
	sleep 1
	stf_snap S1
	stf_moved "link1" "rx_ecn=1" "$d0" "$(dropped)"
	check_eq "the ECT(0) one taken" 1 $(($(echo_in) - e0))
	check gifc stf0 -link1
	# link0: send only, a packet for stf0 is not its (no counter, no echo)
	check gifc stf0 link0
	e0=$(echo_in)
	stf_snap S0
	d0=$(dropped)
	send41 $O,$PEER,$ME
	sleep 1
	stf_snap S1
	stf_moved "link0" "" "$d0" "$(dropped)"
	check_eq "nothing taken with link0" 0 $(($(echo_in) - e0))
	check gifc stf0 -link0
	log_test "stf: rfc1918, link2 (ingress filter), link1 (ECN) and link0 (send only)"
}

# A prefix longer than 16: peers only inside the IPv4 /N around ours
test_outside() {
	local d0 e0 out
	RET=0
	check kame -n "$A" addr del $ME dev stf0
	check kame -n "$A" addr add $ME/40 dev stf0	# IPv4 /24
	check kame -n "$A" route add 2002::/16 dev stf0
	e0=$(echo_in)
	stf_snap S0
	d0=$(dropped)
	send41 198.51.100.2,2001:db8:9::1,$ME $O,$PEER,$ME
	timeout 5 ip netns exec "$A" kping6 -c 1 2002:c633:6402::1 >/dev/null 2>&1
	sleep 1
	stf_snap S1
	stf_moved "/24" "rx_outside=1 tx_badaddr=1" "$d0" "$(dropped)"
	check_eq "the peer inside the /24 taken" 1 $(($(echo_in) - e0))
	check kame -n "$A" route del 2002::/16
	check kame -n "$A" addr del $ME dev stf0
	check kame -n "$A" addr add $ME/16 dev stf0
	out=$(timeout 5 ip netns exec "$A" kping6 -c 1 $PEER 2>&1)
	check_match "back to /16" '1 packets transmitted, 1 packets received' "$out"
	log_test "stf: a /40 prefix limits the peers to the IPv4 /24 (rx_outside, tx_badaddr)"
}

test_tx() {
	local d0
	RET=0
	check kame -n "$A" route add 2001:db8:77::/48 dev stf0
	check ip -n "$A" route add 198.51.100.7/32 dev stf0
	stf_snap S0
	d0=$(dropped)
	# neither next hop nor destination 6to4; a loopback IPv4 inside; an
	# IPv4 route back into stf0; Linux's IPv4 through stf0
	timeout 5 ip netns exec "$A" kping6 -c 1 2001:db8:77::1 >/dev/null 2>&1
	timeout 5 ip netns exec "$A" kping6 -c 1 2002:7f00:1::1 >/dev/null 2>&1
	timeout 5 ip netns exec "$A" kping6 -c 1 2002:c633:6407::1 >/dev/null 2>&1
	ip netns exec "$A" ping -4 -c 1 -W 1 198.51.100.7 >/dev/null 2>&1
	# no IPv4 address of this node inside a 6to4 address of stf0
	check ip -n "$A" addr del 192.0.2.1/24 dev veth0
	timeout 5 ip netns exec "$A" kping6 -c 1 $PEER >/dev/null 2>&1
	check ip -n "$A" addr add 192.0.2.1/24 brd + dev veth0
	stf_snap S1
	stf_moved "transmit" "tx_not6to4=1 tx_badaddr=1 tx_loop=1 tx_proto=1
		tx_noaddr=1" "$d0" "$(dropped)"
	check kame -n "$A" route del 2001:db8:77::/48
	check ip -n "$A" route del 198.51.100.7/32 dev stf0
	log_test "stf: what stf0 cannot send, each with its counter"
}

test_config() {
	RET=0
	check_tool_error "only 6to4 addresses" kame -n "$A" addr add 2001:db8::1/64 dev stf0
	check_tool_error "private (RFC 1918)" kame -n "$A" addr add 2002:a00:1::1/16 dev stf0
	check_tool_error "loopback" kame -n "$A" addr add 2002:7f00:1::1/16 dev stf0
	check_tool_error "at least 16 bits" kame -n "$A" addr add 2002:c000:201::2/8 dev stf0
	check_tool_error "its outer addresses come from its 6to4 address" \
		gifc stf0 192.0.2.1 192.0.2.2
	check_tool_error "TTL" gifc stf0 ttl 0
	check gifc stf0 ttl 64
	check_eq "ttl 64" 64 "$(gifc -j stf0 | jq '.[0].ttl')"
	check gifc stf0 ttl 30
	check_fail ip -n "$A" link set stf0 mtu 1279
	check_tool_error "stays attached" kame -n "$A" link detach stf0
	check_eq "still attached" stf0 \
		"$(kame -n "$A" -j link show stf0 | jq -r '.[0].ifname')"
	log_test "stf: configuration errors"
}

# kfuzz6's corpus inside protocol 41 from the peer's 6to4 address to ours
# (its link-local addresses replaced by 6to4 ones, which stf0 carries):
# stf0 delivers or drops each (its counters), KAME's input counts each
# delivered packet once, no kernel log line, the host keeps answering.
test_fuzz() {
	local out t0 s0 t1 s1 rx0 rx1 dr0 dr1 dm0 host
	RET=0
	read -r t0 s0 < <(kame_ip6_in_sum "$A")
	rx0=$(ip -n "$A" -j -s link show stf0 | jq '.[0].stats64.rx.packets')
	dr0=$(ip -n "$A" -j -s link show stf0 | jq '.[0].stats64.rx.dropped')
	dm0=$(kame_dmesg_lines)
	out=$(ip netns exec "$B" "$KAME_TOP/build/helpers/fuzz/kfuzz6" veth1 \
		"$(mac_of "$B" veth1)" "$(mac_of "$A" veth0)" 2002:c000:202::2 \
		$ME 2002:c000:202::3 $ME --seed 0x737466 --count 3000 \
		--encap4 $O,192.0.2.1 2>&1)
	echo "# $out"
	host=$(sed -n 's/.* host \([0-9]*\) .*/\1/p' <<<"$out")
	sleep 2
	read -r t1 s1 < <(kame_ip6_in_sum "$A")
	rx1=$(ip -n "$A" -j -s link show stf0 | jq '.[0].stats64.rx.packets')
	dr1=$(ip -n "$A" -j -s link show stf0 | jq '.[0].stats64.rx.dropped')
	echo "# stf0 delivered $((rx1 - rx0)) dropped $((dr1 - dr0)) of $host; KAME input $((t1 - t0))"
	echo "# $(gifc stf0 | grep drops)"
	check_eq "KAME's input counts each packet once" $((t1 - t0)) $((s1 - s0))
	check_eq "what stf0 delivered reached KAME's input" yes \
		"$([ $((t1 - t0)) -ge $((rx1 - rx0)) ] && echo yes || echo "no: $((t1 - t0)) < $((rx1 - rx0))")"
	# kfuzz6 sends some as protocol 4 or cut short (not stf0's: tunnel4's);
	# stf0 delivers or drops the others, with the filters' counters
	[ $((rx1 - rx0 + dr1 - dr0)) -le $((${host:-0} + 10)) ] &&
		[ $((rx1 - rx0 + dr1 - dr0)) -ge $((${host:-0} * 8 / 10)) ] &&
		[ $((dr1 - dr0)) -gt 0 ] && [ $((rx1 - rx0)) -gt $((host / 4)) ] ||
		fail_case "stf0 delivered $((rx1 - rx0)) and dropped $((dr1 - dr0)) of $host frames"
	check_eq "kernel log lines" "$dm0" "$(kame_dmesg_lines)"
	out=$(ip netns exec "$B" ping -6 -c 2 -i 0.3 -W 3 $ME 2>&1)
	check_match "ping after the fuzz" '2 packets transmitted, 2 received' "$out"
	log_test "stf: 3000 fuzzed packets inside protocol 41, each counted once, host answering"
}

test_teardown() {
	local C
	RET=0
	setup_ns C
	check ip -n "$C" link add stf0 type stf
	check ip -n "$C" link set stf0 up
	cleanup_ns "$C"
	check rmmod kame_stf
	check_eq "stf0 gone with the module" "" "$(ip -n "$A" link show stf0 2>/dev/null)"
	check_eq "KAME links" "" \
		"$(kame -n "$A" -j link show | jq -r '[.[].ifname] | join(",")')"
	check insmod "$KAME_STF_KO"
	check rmmod kame_stf
	log_test "stf: namespace deletion and rmmod with stf0 up"
}

if ! setup; then
	echo "SKIP: cannot set up (kame_stf.ko: $KAME_STF_KO)"
	RET=1
	log_test "stf: setup"
	exit "$EXIT_STATUS"
fi
test_device
test_6to4
test_relay
test_filters
test_switches
test_outside
test_tx
test_config
test_fuzz
test_teardown
exit "$EXIT_STATUS"
