#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ESP in tunnel mode (kame_ipsec.ko) against Linux's XFRM, between the two
# hosts, protecting their inner prefixes 2001:db8:a::/64 (on the KAME
# host) and 2001:db8:b::/64 (on the native one): pings and UDP both ways,
# large packets (the outer packets fragmented), only ESP between the
# outer addresses on the wire; the inbound policy wants the tunnel (a
# cleartext packet and a transport-mode one of the inner prefixes are
# refused); the ecn knob on the outer traffic class; an ICMPv6 error
# about a protected packet leaves protected (the reversed flow's policy,
# RFC 4301 6.2); Neighbor Discovery passes a catch-all policy (bypass_nd)
# and does not without the bypass.
#
#   +------ $A (KAME, kame_ipsec) ------+          +---- $B (native, XFRM) ----+
#   |  veth0 2001:db8::1                |==ESP=====|  veth1 2001:db8::2        |
#   |        2001:db8:a::1 (inner)      |  tunnel  |  lo    2001:db8:b::2      |
#   +-----------------------------------+          +---------------------------+
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/ipsec.lib"

DGRAM=$KAME_TOP/build/helpers/inet6/kame_dgram
PCAP=/tmp/esptun-$$
KA=2001:db8::1
KB=2001:db8::2
IA=2001:db8:a::1
IB=2001:db8:b::2
GCM=0x0102030405060708090a0b0c0d0e0f1011121314

cleanup_tun() {
	[ -n "${CAP_PID:-}" ] && kill "$CAP_PID" 2>/dev/null
	rm -f "$PCAP".*
	kame_cleanup
	rmmod kame_ipsec 2>/dev/null
	async_unload
}
trap cleanup_tun EXIT

# pcrypt (test_async), once loaded, is every user's implementation
async_unload() {
	[ -d /sys/module/pcrypt ] || return 0
	ip -n "$B" xfrm state flush 2>/dev/null
	slowwait 20 rmmod pcrypt 2>/dev/null
}

# the tunnel's SAs on both hosts (SPIs 0x2001 A to B, 0x2002 B to A)
tunnel_sas() { gcm_tunnel_sas $KA $KB 0x2001 0x2002; }

# the policies of the inner prefixes on both hosts, for upper layer UL
tunnel_policies() {	# UL (any, udp, ...)
	local ul=$1 xul=()

	[ "$ul" != any ] && xul=(proto "$ul")
	skf spdflush \
		"spdadd 2001:db8:a::/64 2001:db8:b::/64 $ul -P out ipsec esp/tunnel/$KA-$KB/require" \
		"spdadd 2001:db8:b::/64 2001:db8:a::/64 $ul -P in ipsec esp/tunnel/$KB-$KA/require" ||
		return 1
	xf policy flush
	xf policy add src 2001:db8:b::/64 dst 2001:db8:a::/64 "${xul[@]}" \
		dir out tmpl src $KB dst $KA proto esp mode tunnel || return 1
	xf policy add src 2001:db8:a::/64 dst 2001:db8:b::/64 "${xul[@]}" \
		dir in tmpl src $KA dst $KB proto esp mode tunnel
}

setup() {
	kame_native_pair
	check ip -n "$B" -6 addr add $IB/64 dev lo
	check ip -n "$B" -6 route add 2001:db8:a::/64 via $KA dev veth1
	check kame -n "$A" addr add $IA/64 dev veth0
	check kame -n "$A" route add 2001:db8:b::/64 via $KB dev veth0
	slowwait 10 sh -c "! kame -n $A addr show | grep -q tentative"
	insmod "$KAME_IPSEC_KO" || return 1
	tunnel_sas && tunnel_policies any
}

test_ping() {	# [WHAT: asynchronous ESP]
	local out in0 out0
	RET=0
	in0=$(st in_success)
	out0=$(st out_success)
	capture p
	out=$(ip netns exec "$B" ping -6 -c 3 -i 0.3 -W 3 -I $IB $IA 2>&1)
	check_match "native ping through the tunnel" '3 packets transmitted, 3 received' "$out"
	out=$(timeout 8 ip netns exec "$A" kping6 -c 2 -i 0.5 -S $IA $IB 2>&1)
	check_match "kping6 through the tunnel" '2 packets transmitted, 2 packets received' "$out"
	out=$(captured p)
	check_eq "ESP from KAME between the outer addresses (spi 0x2001)" 5 \
		"$(grep -c "$KA > $KB: ESP(spi=0x00002001" <<<"$out")"
	check_eq "ESP from XFRM (spi 0x2002)" 5 \
		"$(grep -c "$KB > $KA: ESP(spi=0x00002002" <<<"$out")"
	check_eq "no inner address in clear" "" \
		"$(grep -E "2001:db8:(a|b)::" <<<"$out")"
	check_eq "in_success" 5 $(($(st in_success) - in0))
	check_eq "out_success" 5 $(($(st out_success) - out0))
	log_test "ipsec: ESP tunnel mode against XFRM, two inner prefixes, pings both ways${1:-}"
}

test_udp() {
	local out
	RET=0
	check bg_ready 10 "$TMP/recv" "$A" "$DGRAM" -r recv 7000 2 10
	ip netns exec "$B" python3 -c "
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(('$IB', 0))
for n in (100, 101):
    s.sendto(b'u' * n, ('$IA', 7000))
"
	slowwait 10 grep -q done "$TMP/recv"
	check_eq "UDP from the native inner address" 2 \
		"$(grep -c "from $IB:[0-9]* 10[01] bytes dst=$IA" "$TMP/recv")" ||
		cat "$TMP/recv"
	ip netns exec "$B" python3 -c "
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(('$IB', 7001))
s.settimeout(8)
print('ready', flush=True)
d, a = s.recvfrom(2000)
print('got', len(d), a[0], flush=True)
" >"$TMP/nrecv" 2>&1 &
	defer_pids+=($!)
	slowwait 10 grep -q ready "$TMP/nrecv"
	check ip netns exec "$A" "$DGRAM" -S $IA send $IB 7001 300
	slowwait 10 grep -q got "$TMP/nrecv"
	check_match "UDP from the KAME inner address" "^got 300 $IA$" "$(cat "$TMP/nrecv")"
	log_test "ipsec: UDP through the ESP tunnel both ways"
}

# packets that need the outer header fragmented, both ways
test_large() {
	local out
	RET=0
	capture l
	out=$(ip netns exec "$B" ping -6 -c 2 -i 0.3 -W 3 -s 1440 -I $IB $IA 2>&1)
	check_match "native 1440-byte pings, fragmented outside" '2 packets transmitted, 2 received' "$out"
	out=$(timeout 8 ip netns exec "$A" kping6 -c 2 -i 0.5 -s 1440 -S $IA $IB 2>&1)
	check_match "kping6 1440 bytes, fragmented outside" '2 packets transmitted, 2 packets received' "$out"
	out=$(captured l)
	# the kping6 requests and the replies to the native pings
	check_eq "KAME's outer fragments (first and last of 4 packets each)" 8 \
		"$(grep -Ec "$KA > $KB: frag \(" <<<"$out")"
	log_test "ipsec: ESP tunnel mode with packets larger than the link MTU"
}

# the inbound policy asks for the tunnel: cleartext and transport mode
# packets of the inner prefixes are policy violations
test_inbound() {
	local out pv0 ok0
	RET=0
	check xf policy delete src 2001:db8:b::/64 dst 2001:db8:a::/64 dir out
	pv0=$(st in_polvio)
	out=$(ip netns exec "$B" ping -6 -c 2 -i 0.3 -W 1 -I $IB $IA 2>&1)
	check_match "cleartext from the inner prefix: no answer" '2 packets transmitted, 0 received' "$out"
	check_eq "in_polvio: cleartext" 2 $(($(st in_polvio) - pv0))
	# ESP in transport mode between the inner addresses themselves
	printf 'add %s %s esp 0x2003 -m transport -E aes-gcm-16 %s;\n' \
		$IB $IA $GCM | check sk -f -
	check xf state add src $IB dst $IA proto esp spi 0x2003 mode transport \
		aead 'rfc4106(gcm(aes))' $GCM 128
	check xf policy add src $IB/128 dst $IA/128 dir out \
		tmpl src $IB dst $IA proto esp mode transport
	pv0=$(st in_polvio)
	ok0=$(st in_success)
	out=$(ip netns exec "$B" ping -6 -c 2 -i 0.3 -W 1 -I $IB $IA 2>&1)
	check_match "transport mode instead of the tunnel: no answer" '2 packets transmitted, 0 received' "$out"
	check_eq "decrypted" 2 $(($(st in_success) - ok0))
	check_eq "in_polvio: transport, not tunnel" 2 $(($(st in_polvio) - pv0))
	check xf policy delete src $IB/128 dst $IA/128 dir out
	check xf state delete src $IB dst $IA proto esp spi 0x2003
	echo "delete $IB $IA esp 0x2003;" | check sk -f -
	check tunnel_policies any
	out=$(ip netns exec "$B" ping -6 -c 1 -W 3 -I $IB $IA 2>&1)
	check_match "the tunnel again" '1 packets transmitted, 1 received' "$out"
	log_test "ipsec: the inbound tunnel policy refuses cleartext and transport mode (in_polvio)"
}

# ecn -1, 0, 1: the outer traffic class of an inner one with CE (0xbb)
test_ecn() {
	local e want out
	RET=0
	for e in -1:b8 0:bb 1:ba; do
		knob ecn "${e%%:*}"
		capture "e${e%%:*}"
		check ip netns exec "$A" "$DGRAM" -t 0xbb -S $IA send $IB 7002 20
		out=$(captured "e${e%%:*}" -v)
		want="class 0x${e#*:}"
		check_eq "ecn ${e%%:*}: outer $want" 1 \
			"$(grep -c "$want, .*next-header ESP" <<<"$out")"
	done
	knob ecn 0
	log_test "ipsec: the ecn knob on tunnel mode's outer traffic class (-1, 0, 1)"
}

# A port unreachable about a UDP datagram that came through the tunnel
# quotes it: it goes back through the tunnel although only UDP has a
# policy (RFC 4301 6.2), never in clear.
test_icmp_error() {
	local out
	RET=0
	check tunnel_policies udp
	capture i
	ip netns exec "$B" python3 -c "
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(('$IB', 7003))
s.sendto(b'x' * 40, ('$IA', 7009))
"
	sleep 1
	out=$(captured i)
	check_eq "the datagram through the tunnel" 1 \
		"$(grep -c "$KB > $KA: ESP(spi=0x00002002" <<<"$out")"
	check_eq "the error through the tunnel" 1 \
		"$(grep -c "$KA > $KB: ESP(spi=0x00002001" <<<"$out")"
	check_eq "no cleartext error" "" "$(grep "ICMP6, destination" <<<"$out")"
	check tunnel_policies any
	log_test "ipsec: an ICMPv6 error about a tunnelled packet goes back through the tunnel"
}

nd_resolved() {
	ip netns exec "$A" ndp -anj |
		jq -r ".[] | select(.neighbor == \"$KB\") | .state" |
		grep -Ec '^(reachable|stale|delay|probe)$'
}

# ND under an ICMPv6 policy that wants ESP for everything: resolution
# for a UDP datagram (no policy) passes (bypass_nd), and without the
# bypass the Neighbor Solicitation needs an SA
test_nd_bypass() {
	local nosa
	RET=0
	printf 'spdflush;\nspdadd ::/0 ::/0 icmp6 -P out ipsec esp/transport//require;\nspdadd ::/0 ::/0 icmp6 -P in ipsec esp/transport//require;\n' |
		check sk -f -
	ip netns exec "$A" ndp -c >/dev/null 2>&1
	nosa=$(st out_nosa)
	check ip netns exec "$A" "$DGRAM" send $KB 7005 10
	sleep 2
	check_eq "bypass_nd 1: the neighbour resolved" 1 "$(nd_resolved)"
	check_eq "bypass_nd 1: no SA wanted" 0 $(($(st out_nosa) - nosa))
	knob bypass_nd 0
	ip netns exec "$A" ndp -c >/dev/null 2>&1
	nosa=$(st out_nosa)
	check ip netns exec "$A" "$DGRAM" send $KB 7005 10
	sleep 2
	check_eq "bypass_nd 0: unresolved" 0 "$(nd_resolved)"
	check_eq "bypass_nd 0: the solicitations want an SA" 1 \
		"$(($(st out_nosa) - nosa > 0))"
	knob bypass_nd 1
	check tunnel_policies any
	log_test "ipsec: Neighbor Discovery passes a policy for all ICMPv6 (bypass_nd)"
}

# selftests/fuzz/esp_tunnel_fuzz.py: authentic ESP (null, hmac-sha1)
# around malformed inner packets and nested ESP: every packet counted
# once (by the core's input or an ipsec6 drop), the good ones answered,
# no kernel log line, the host still answering
test_fuzz() {
	local t0 s0 t1 s1 d0 d1 dm0 ok0 out dummy0
	local key=0x0303030303030303030303030303030303030303
	RET=0
	printf 'add %s %s esp 0x2004 -m tunnel -E null -A hmac-sha1 %s;\n' \
		$KB $KA $key | check sk -f -
	read -r t0 s0 < <(kame_ip6_in_sum "$A")
	d0=$(ipsec_drops)
	ok0=$(st in_success)
	dummy0=$(st in_dummy)
	dm0=$(kame_dmesg_lines)
	ip netns exec "$B" python3 "$KAME_TOP/selftests/fuzz/esp_tunnel_fuzz.py" \
		$KB $KA 0x2004 $key $IB $IA 1 3000
	sleep 3
	read -r t1 s1 < <(kame_ip6_in_sum "$A")
	d1=$(ipsec_drops)
	echo "# esp_tunnel_fuzz: input $((t1 - t0)), core $((s1 - s0)), ipsec drops $((d1 - d0)), in_success $(($(st in_success) - ok0))"
	check_eq "every packet counted once" $((t1 - t0)) $((s1 - s0 + d1 - d0))
	check_eq "some decapsulated" yes \
		"$([ $(($(st in_success) - ok0)) -gt 1000 ] && echo yes || echo no)"
	check_eq "dummy packets (next header 59) discarded in in_dummy" yes \
		"$([ $(($(st in_dummy) - dummy0)) -gt 10 ] && echo yes || echo "no: $(($(st in_dummy) - dummy0))")"
	check_eq "kernel log lines" "$dm0" "$(kame_dmesg_lines)"
	out=$(ip netns exec "$B" ping -6 -c 1 -W 3 -I $IB $IA 2>&1)
	check_match "the tunnel still works" '1 packets transmitted, 1 received' "$out"
	echo "delete $KB $KA esp 0x2004;" | check sk -f -
	log_test "ipsec: 3000 fuzzed inner packets of an ESP tunnel, nested ESP, each counted once"
}

# What a tunnel SA may carry: only what an inbound policy sends through a
# tunnel between its endpoints (a peer does not speak for other
# networks, in_polvio), never a link's own addresses (ip6s_badscope)
test_tunnel_checks() {
	local key=0x0303030303030303030303030303030303030303 pv0 bs0
	RET=0
	printf 'add %s %s esp 0x2005 -m tunnel -E null -A hmac-sha1 %s;\n' \
		$KB $KA $key | check sk -f -
	pv0=$(st in_polvio)
	bs0=$(kame_stat "$A" ip6s_badscope)
	ip netns exec "$B" python3 "$KAME_TOP/selftests/fuzz/esp_tunnel_fuzz.py" \
		$KB $KA 0x2005 $key 2001:db8:c::2 $IA 1 40
	sleep 1
	check_eq "inner packets of another prefix refused (in_polvio)" yes \
		"$([ $(($(st in_polvio) - pv0)) -ge 5 ] && echo yes || echo "no: $(($(st in_polvio) - pv0))")"
	# even where a policy would have the tunnel carry them
	printf 'spdadd fe80::/10 2001:db8:a::/64 any -P in ipsec esp/tunnel/%s-%s/require;\n' \
		$KB $KA | check sk -f -
	ip netns exec "$B" python3 "$KAME_TOP/selftests/fuzz/esp_tunnel_fuzz.py" \
		$KB $KA 0x2005 $key fe80::2 $IA 100 40
	sleep 1
	echo "spddelete fe80::/10 2001:db8:a::/64 any -P in;" | check sk -f -
	check_eq "link-local inner sources refused (ip6s_badscope)" yes \
		"$([ $(($(kame_stat "$A" ip6s_badscope) - bs0)) -ge 5 ] && echo yes || echo no)"
	echo "delete $KB $KA esp 0x2005;" | check sk -f -
	log_test "ipsec: a tunnel SA carries only its policy's networks, no link-local addresses"
}

test_rmmod() {
	RET=0
	check rmmod kame_ipsec
	out=$(timeout 8 ip netns exec "$A" kping6 -c 1 $KB 2>&1)
	check_match "the host without IPsec" '1 packets transmitted, 1 packets received' "$out"
	log_test "ipsec: rmmod with tunnel SAs and policies in place"
}

# Tunnel mode with asynchronous transforms (esp_async=1: pcrypt): the
# inner packet enters the input from the completion, the outer packet
# leaves from it; then 100 pings each way with 20 in flight, each
# counted once.
test_async() {
	local out in0 out0
	if ! modprobe pcrypt 2>/dev/null; then
		echo "SKIP: no pcrypt module"
		return 0
	fi
	RET=0
	check insmod "$KAME_IPSEC_KO" esp_async=1
	check tunnel_sas
	check tunnel_policies any
	check_match "pcrypt's transforms" '^driver *: pcrypt(' \
		"$(grep '^driver' /proc/crypto)"
	log_test "ipsec: tunnel SAs under pcrypt"
	test_ping " under asynchronous ESP (pcrypt)"
	RET=0
	in0=$(st in_success)
	out0=$(st out_success)
	out=$(ip netns exec "$B" ping -6 -q -l 20 -c 100 -i 0.005 -W 10 -I $IB $IA 2>&1)
	check_match "100 native pings, 20 in flight" \
		'100 packets transmitted, 100 received' "$out"
	out=$(timeout 90 ip netns exec "$A" kping6 -q -f -l 20 -c 100 -S $IA $IB 2>&1)
	check_match "100 kping6 pings, 20 in flight" \
		'100 packets transmitted, 100 packets received' "$out"
	check_eq "in_success" 200 $(($(st in_success) - in0))
	check_eq "out_success" 200 $(($(st out_success) - out0))
	check rmmod kame_ipsec
	check async_unload
	log_test "ipsec: ESP tunnel mode under asynchronous ESP, 100 pings 20 in flight both ways"
}

TMP=$(mktemp -d)
if ! setup; then
	echo "SKIP: cannot set up (kame_ipsec.ko: $KAME_IPSEC_KO)"
	RET=1
	log_test "ipsec: tunnel setup"
	exit "$EXIT_STATUS"
fi
test_ping
test_udp
test_large
test_inbound
test_ecn
test_icmp_error
test_nd_bypass
test_fuzz
test_tunnel_checks
test_rmmod
test_async
exit "$EXIT_STATUS"
