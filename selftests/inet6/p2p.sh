#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Point-to-point links without link-layer addresses: a GRE tunnel (and a
# sit tunnel) over IPv4 between a KAME host and a stock Linux host, plus a
# tun device. Link-local from a stable random interface id, DAD, echo both
# ways, ND without link-layer address options, NUD by unicast probes, and
# NUD off.
#
#   +-------- $A (KAME) --------+          +---- $B (native Linux) ----+
#   | gre1 2001:db8:1::1 (KAME)  |  GRE     | gre1 2001:db8:1::2 native |
#   | sit1 2001:db8:2::1 (KAME)  |  6in4    | sit1 2001:db8:2::2 native |
#   | veth0 10.0.0.1 (IPv4)      |----------| veth1 10.0.0.2 (IPv4)     |
#   | tun0 2001:db8:3::1 (KAME)  |  relay   | tun1 2001:db8:3::2 native |
#   |                            |          +---------------------------+
#   +----------------------------+
source "$(dirname "$0")/../lib.sh"

PCAP=/tmp/p2p-$$
CAP_PIDS=()

cleanup_p2p() {
	local p
	for p in "${CAP_PIDS[@]}"; do
		kill "$p" 2>/dev/null
	done
	rm -f "$PCAP".*
	cleanup_all_ns
}
trap cleanup_p2p EXIT

# cap_start NS DEV NAME FILTER: tcpdump into $PCAP.NAME until cap_stop
cap_start() {
	pcap_start "$1" "$2" "$PCAP.$3" "$4"
	CAP_PIDS+=("$PCAP_PID")
	eval "CAP_$3=$PCAP_PID"
}

cap_stop() {	# NAME
	local pid
	eval "pid=\$CAP_$1"
	pcap_stop "$pid"
}

cap_read() {	# NAME [tcpdump options]: the decoded capture
	local n=$1
	shift
	tcpdump -n "$@" -r "$PCAP.$n" 2>/dev/null
}

setup() {
	setup_ns A B
	ip netns exec "$B" sysctl -qw net.ipv6.conf.default.accept_dad=0
	ip -n "$A" link add veth0 type veth peer name veth1 netns "$B"
	ip -n "$A" addr add 10.0.0.1/24 dev veth0
	ip -n "$B" addr add 10.0.0.2/24 dev veth1
	ip -n "$A" link set veth0 up
	ip -n "$B" link set veth1 up
	ip -n "$A" link add gre1 type gre local 10.0.0.1 remote 10.0.0.2
	ip -n "$B" link add gre1 type gre local 10.0.0.2 remote 10.0.0.1
	ip -n "$A" link add sit1 type sit local 10.0.0.1 remote 10.0.0.2
	ip -n "$B" link add sit1 type sit local 10.0.0.2 remote 10.0.0.1
	for d in gre1 sit1; do
		ip -n "$A" link set "$d" up
		ip -n "$B" link set "$d" up
	done
	ip -n "$B" -6 addr add 2001:db8:1::2/64 dev gre1 nodad
	ip -n "$B" -6 addr add 2001:db8:2::2/64 dev sit1 nodad
	# Linux may or may not give a GRE device a link-local of its own
	LL_B=$(ip -n "$B" -6 -o addr show dev gre1 scope link | awk '{print $4}' | cut -d/ -f1 | head -n 1)
	if [ -z "$LL_B" ]; then
		ip -n "$B" -6 addr add fe80::b/64 dev gre1 nodad
		LL_B=fe80::b
	fi
	# what the native host sees on its tunnel from the first packet on
	cap_start "$B" gre1 dad icmp6
	kame -n "$A" link attach gre1
	kame -n "$A" addr add 2001:db8:1::1/64 dev gre1
	kame -n "$A" link attach sit1
	kame -n "$A" addr add 2001:db8:2::1/64 dev sit1
	slowwait 10 sh -c "! kame -n $A addr show | grep -q tentative"
	cap_stop dad
	LL_A=$(ll_of gre1)
}

ndp_a() { ip netns exec "$A" ndp "$@"; }

ll_of() {	# DEV: the KAME link-local (autoconf) address of DEV
	kame -n "$A" -j addr show dev "$1" |
		jq -r '.[] | select(.flags | index("autoconf")) | .address'
}

# the 16 bytes of an IPv6 address as 32 hex digits
hex16() {
	python3 -c 'import ipaddress, sys; print(ipaddress.IPv6Address(sys.argv[1]).packed.hex())' "$1"
}

nd_field() {	# ADDR FIELD
	ndp_a -anj | jq -r "[.[] | select(.neighbor == \"$1\")][0].$2 // \"none\""
}

wait_state() {	# ADDR STATE TIMEOUT_S
	slowwait "$3" sh -c "[ \"\$(ip netns exec $A ndp -anj | jq -r '[.[] | select(.neighbor == \"$1\")][0].state')\" = $2 ]" ||
		{ fail_case "$1 did not reach $2 (now $(nd_field "$1" state)): $(ndp_a -an)"; return 1; }
}

# An id of the random form: u/l bit clear, not the ff:fe of an EUI-64,
# not the EUI-64 of the MAC of any interface of A, not zero.
check_random_ll() {	# WHAT ADDR
	local h id mac
	h=$(hex16 "$2")
	id=${h:16}
	check_eq "$1: fe80::/64" fe80000000000000 "${h:0:16}"
	[ $((0x${id:0:2} & 2)) -eq 0 ] ||
		fail_case "$1: u/l bit set in $2"
	[ "${id:6:4}" != fffe ] ||
		fail_case "$1: $2 has the EUI-64 form"
	[ "$id" != 0000000000000000 ] ||
		fail_case "$1: zero interface id"
	for mac in $(ip -n "$A" -j link show | jq -r '.[].address // empty' | grep -E '^([0-9a-f]{2}:){5}'); do
		[ "$2" != "$(eui64_ll "$mac")" ] ||
			fail_case "$1: $2 is the EUI-64 of $mac"
	done
}

test_link_types() {
	local ll2 ll_tun ll_sit
	RET=0
	kame -n "$A" link show gre1 | grep -q '^[0-9]*: gre1: <UP,RUNNING,POINTOPOINT> mtu [0-9]*$' ||
		fail_case "link show: $(kame -n "$A" link show gre1)"
	kame -n "$A" link show gre1 | grep -q '^    link/none ' ||
		fail_case "link show: $(kame -n "$A" link show gre1)"
	check_eq "no link-layer address in JSON" null \
		"$(kame -n "$A" -j link show gre1 | jq -r '.[0].address')"
	check_random_ll gre1 "$LL_A"
	ll_sit=$(ll_of sit1)
	check_random_ll sit1 "$ll_sit"
	[ "$ll_sit" != "$LL_A" ] ||
		fail_case "gre1 and sit1 have the same id $LL_A"
	# stable: the same id after detach and attach in the same namespace
	check kame -n "$A" link detach gre1
	check kame -n "$A" link attach gre1
	ll2=$(ll_of gre1)
	check_eq "gre1 link-local after detach/attach" "$LL_A" "$ll2"
	check kame -n "$A" addr add 2001:db8:1::1/64 dev gre1
	# GRE without a remote (NBMA, with a header) is no point-to-point link
	check ip -n "$A" link add gre9 type gre local 10.0.0.1
	check_tool_error "point-to-point" kame -n "$A" link attach gre9
	check ip -n "$A" link del gre9
	check_tool_error "no link-layer addresses" ndp_a -s 2001:db8:1::9 02:00:00:00:00:09
	slowwait 10 sh -c "! kame -n $A addr show | grep -q tentative"
	log_test "link: gre and sit attach with a stable random link-local id"
}

test_tun() {
	local ll_tun
	RET=0
	# no udev in the VM: /dev/net/tun appears when the module is loaded
	[ -e /dev/net/tun ] || modprobe tun 2>/dev/null
	if ! check ip -n "$A" tuntap add tun0 mode tun; then
		log_test "link: a tun device attaches with a random link-local id"
		return
	fi
	check ip -n "$A" link set tun0 up
	check kame -n "$A" link attach tun0
	ll_tun=$(ll_of tun0)
	check_random_ll tun0 "$ll_tun"
	[ "$ll_tun" != "$LL_A" ] ||
		fail_case "gre1 and tun0 have the same id $LL_A"
	kame -n "$A" link show tun0 | grep -q '^[0-9]*: tun0: <UP,POINTOPOINT> ' ||
		fail_case "link show: $(kame -n "$A" link show tun0)"
	check kame -n "$A" link detach tun0
	check kame -n "$A" link attach tun0
	check_eq "tun0 link-local after detach/attach" "$ll_tun" "$(ll_of tun0)"
	check kame -n "$A" link detach tun0
	check ip -n "$A" link del tun0
	log_test "link: a tun device attaches with a random link-local id"
}

test_dad() {
	local out
	RET=0
	check_eq "flags of $LL_A after DAD" "autoconf" \
		"$(kame -n "$A" -j addr show dev gre1 | jq -r ".[] | select(.address == \"$LL_A\") | .flags | join(\",\")")"
	out=$(cap_read dad -v)
	# DAD probe: from ::, to the solicited-node group, no option (24 bytes)
	check_match "no DAD NS for $LL_A on the native side's gre1" \
		":: > ff02::1:ff.*neighbor solicitation, length 24, who has $LL_A" "$out"
	check_match "no DAD NS for 2001:db8:1::1" \
		"neighbor solicitation, length 24, who has 2001:db8:1::1" "$out"
	log_test "nd6: DAD runs on the GRE link (NS without options seen by the peer)"
}

test_ping_from_native() {
	local out n
	RET=0
	cap_start "$B" veth1 gre "ip proto 47"
	out=$(ip netns exec "$B" ping -6 -c 3 -i 0.3 -W 5 "$LL_A%gre1" 2>&1)
	check_match "ping $LL_A%gre1" '3 packets transmitted, 3 received' "$out"
	out=$(ip netns exec "$B" ping -6 -c 3 -i 0.3 -W 5 2001:db8:1::1 2>&1)
	check_match "ping 2001:db8:1::1" \
		'3 packets transmitted, 3 received' "$out"
	out=$(ip netns exec "$B" ping -6 -c 2 -i 0.3 -W 5 2001:db8:2::1 2>&1)
	check_match "ping over sit 2001:db8:2::1" \
		'2 packets transmitted, 2 received' "$out"
	cap_stop gre
	# the replies on the wire: IPv6 right behind the GRE header
	n=$(cap_read gre | grep -c "10.0.0.1 > 10.0.0.2: GREv0, length [0-9]*: IP6 2001:db8:1::1 > 2001:db8:1::2: ICMP6, echo reply")
	check_eq "echo replies to the global address in GRE" 3 "$n"
	n=$(cap_read gre | grep -c "10.0.0.1 > 10.0.0.2: GREv0, length [0-9]*: IP6 $LL_A > $LL_B: ICMP6, echo reply")
	check_eq "echo replies from $LL_A in GRE" 3 "$n"
	log_test "icmp6: native host pings KAME's link-local and global over gre and sit"
}

test_kping6() {
	local out
	RET=0
	out=$(ip netns exec "$A" kping6 -c 2 -i 0.5 2001:db8:1::2 2>&1)
	check_match "kping6 2001:db8:1::2" \
		'2 packets transmitted, 2 packets received' "$out"
	out=$(ip netns exec "$A" kping6 -c 2 -i 0.5 "$LL_B%gre1" 2>&1)
	check_match "kping6 $LL_B%gre1" \
		'2 packets transmitted, 2 packets received' "$out"
	out=$(ip netns exec "$A" kping6 -c 2 -i 0.5 2001:db8:2::2 2>&1)
	check_match "kping6 over sit 2001:db8:2::2" \
		'2 packets transmitted, 2 packets received' "$out"
	log_test "icmp6: kping6 from KAME reaches the native host over gre and sit"
}

test_ndp_entry() {
	local line
	RET=0
	check_eq "netif of the native neighbour" gre1 "$(nd_field 2001:db8:1::2 netif)"
	check_eq "no link-layer address" "" "$(nd_field 2001:db8:1::2 lladdr)"
	[[ $(nd_field 2001:db8:1::2 state) =~ ^(reachable|stale|delay|probe)$ ]] ||
		fail_case "state: $(ndp_a -an)"
	line=$(ndp_a -an | grep '^2001:db8:1::2 ')
	[[ $line =~ ^2001:db8:1::2\ +\(incomplete\)\ +gre1\ .*\ [RSDP]\  ]] ||
		fail_case "ndp -an line: $line"
	ndp_a -an | grep -q "^$LL_B%gre1 " ||
		fail_case "no $LL_B%gre1: $(ndp_a -an)"
	log_test "nd6: ndp -an shows the native neighbour on gre1 without a link-layer address"
}

test_nud_unicast_probe() {
	local out
	RET=0
	# REACHABLE lasts 3-9 s: long enough to be seen under emulation (and
	# KAME_TIME_SCALE times longer on the sanitizer kernel)
	check ndp_a -i gre1 basereachable=$((6000 * KAME_TIME_SCALE)) \
		retrans=$((700 * KAME_TIME_SCALE))
	check kame -n "$A" sysctl net.inet6.icmp6.nd6_delay $((5 * KAME_TIME_SCALE))
	check ndp_a -d 2001:db8:1::2
	cap_start "$B" gre1 nud "icmp6 and ip6[40] == 135"
	# no address to resolve: a new entry is STALE, traffic makes it DELAY
	ip netns exec "$A" kping6 -c 1 2001:db8:1::2 >/dev/null 2>&1
	check_eq "state after the first packet" delay "$(nd_field 2001:db8:1::2 state)"
	wait_state 2001:db8:1::2 reachable 15
	cap_stop nud
	out=$(cap_read nud -v)
	check_match "no unicast NS without options" \
		"2001:db8:1::1 > 2001:db8:1::2: .*neighbor solicitation, length 24, who has 2001:db8:1::2" "$out"
	! echo "$out" | grep -q "> ff02::1:ff" ||
		fail_case "multicast NS on the point-to-point link: $out"
	# and REACHABLE ages to STALE, then probes again on traffic
	wait_state 2001:db8:1::2 stale 15
	ip netns exec "$A" kping6 -c 1 2001:db8:1::2 >/dev/null 2>&1
	wait_state 2001:db8:1::2 reachable 15
	check_eq "NUD probes answered" 0 "$(nd_field 2001:db8:1::2 asked)"
	log_test "nd6: NUD on the point-to-point link: unicast NS, back to REACHABLE"
}

test_nud_off() {
	local out
	RET=0
	check ndp_a -i gre1 -- -nud
	check ndp_a -d 2001:db8:1::2
	cap_start "$B" gre1 nonud "icmp6 and ip6[40] == 135"
	out=$(ip netns exec "$A" kping6 -c 6 -i 1 2001:db8:1::2 2>&1)
	check_match "kping6 with -nud" \
		'6 packets transmitted, 6 packets received' "$out"
	cap_stop nonud
	check_eq "NS sent with -nud" 0 "$(cap_read nonud | grep -c 'neighbor solicitation')"
	check_eq "state with -nud" stale "$(nd_field 2001:db8:1::2 state)"
	check ndp_a -i gre1 nud basereachable=30000
	log_test "nd6: ndp -i gre1 -nud stops the probes"
}

test_detach() {
	RET=0
	check kame -n "$A" link detach gre1
	check kame -n "$A" link detach sit1
	check_eq "attached interfaces" "" \
		"$(kame -n "$A" -j link show | jq -r '[.[].ifname] | join(",")')"
	check_eq "native IPv6 back on gre1" 0 \
		"$(ip netns exec "$A" sysctl -n net.ipv6.conf.gre1.disable_ipv6)"
	check_eq "neighbour entries left" 0 "$(ndp_a -anj | jq length)"
	log_test "link: gre and sit detach cleanly"
}

# Traffic over tun: tun_relay.py is the wire between the KAME host's tun0
# and the native host's tun1 (both without link-layer headers).
test_tun_traffic() {
	local relay out a2b b2a
	RET=0
	check ip -n "$A" tuntap add tun0 mode tun
	check ip -n "$B" tuntap add tun1 mode tun
	check ip -n "$A" link set tun0 up
	check ip -n "$B" link set tun1 up
	check ip -n "$B" -6 addr add 2001:db8:3::2/64 dev tun1 nodad
	python3 "$(dirname "$0")/tun_relay.py" "$A" tun0 "$B" tun1 \
		>"$PCAP.relay" 2>&1 &
	relay=$!
	CAP_PIDS+=("$relay")
	check slowwait 10 grep -q ready "$PCAP.relay"
	check kame -n "$A" link attach tun0
	check kame -n "$A" addr add 2001:db8:3::1/64 dev tun0
	slowwait 10 sh -c "! kame -n $A addr show dev tun0 | grep -q tentative"
	out=$(ip netns exec "$B" ping -6 -c 3 -i 0.3 -W 5 2001:db8:3::1 2>&1)
	check_match "ping 2001:db8:3::1 over tun" \
		'3 packets transmitted, 3 received' "$out"
	out=$(ip netns exec "$A" kping6 -c 2 -i 0.5 2001:db8:3::2 2>&1)
	check_match "kping6 2001:db8:3::2 over tun" \
		'2 packets transmitted, 2 packets received' "$out"
	kill "$relay"
	wait "$relay"
	read -r _ a2b b2a < <(grep relayed "$PCAP.relay")
	[ "${a2b:-0}" -ge 5 ] && [ "${b2a:-0}" -ge 5 ] ||
		check_eq "packets relayed KAME->native, native->KAME" \
			">= 5 each" "$a2b $b2a ($(cat "$PCAP.relay"))"
	check kame -n "$A" link detach tun0
	ip -n "$A" link del tun0
	ip -n "$B" link del tun1
	log_test "link: ping both ways over tun (a relay is the wire)"
}

setup
test_link_types
test_tun
test_tun_traffic
test_dad
test_ping_from_native
test_kping6
test_ndp_entry
test_nud_unicast_probe
test_nud_off
test_detach
exit "$EXIT_STATUS"
