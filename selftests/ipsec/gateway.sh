#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A KAME security gateway (net.inet6.ip6.forwarding 1, kame_ipsec.ko)
# against Linux's XFRM: the native host H behind the KAME node G reaches
# the inner address of the native gateway N through an ESP tunnel G-N.
# G puts what it forwards from H into the tunnel by its outbound policy
# and forwards what comes out of the tunnel to H once the fwd policy (or,
# KAME's rule, the inbound one) is satisfied. Checked: pings both ways
# with only ESP on the underlay and the hop limit down by one, Packet Too
# Big for a packet that no longer fits in ESP, a fwd policy taking
# precedence over the inbound one, cleartext from N refused, out-discard and transport-mode
# policies refusing forwarded packets with their counters, fuzzed inner
# packets forwarded or counted once, and rmmod while forwarding.
#
#   $H native host          $G KAME gateway                  $N native gateway (XFRM)
#   h0 2001:db8:a::2 ----- g1 2001:db8:a::1
#                           veth0 2001:db8::1 ==ESP tunnel== veth1 2001:db8::2
#                                                            lo 2001:db8:b::2 (inner)
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/ipsec.lib"

PCAP=/tmp/ipsecgw-$$
KG=2001:db8::1
KN=2001:db8::2
IH=2001:db8:a::2
IN=2001:db8:b::2
AP=2001:db8:a::/64
BP=2001:db8:b::/64
GCM=0x0102030405060708090a0b0c0d0e0f1011121314

cleanup_gw() {
	[ -n "${CAP_PID:-}" ] && kill "$CAP_PID" 2>/dev/null
	rm -f "$PCAP".*
	kame_cleanup
	rmmod kame_ipsec 2>/dev/null
}
trap cleanup_gw EXIT

hping() { ip netns exec "$H" ping -6 -c "$1" -i 0.3 -W "$2" "${@:3}" $IN 2>&1; }

# G's policies, KAME style (the inbound policy guards what G forwards)
gw_policies() {
	skf spdflush \
		"spdadd $AP $BP any -P out ipsec esp/tunnel/$KG-$KN/require" \
		"spdadd $BP $AP any -P in ipsec esp/tunnel/$KN-$KG/require"
}

setup() {
	kame_native_pair
	G=$A
	N=$B
	kame_native_host H "$G" g1 2001:db8:a::1 h0 $IH $BP ||
		return 1
	check ip -n "$N" -6 addr add $IN/64 dev lo
	check ip -n "$N" -6 route add $AP via $KG dev veth1
	check ip -n "$H" -6 route add 2001:db8::/64 via 2001:db8:a::1
	check kame -n "$G" route add $BP via $KN dev veth0
	check kame -n "$G" sysctl net.inet6.ip6.forwarding 1
	slowwait 10 sh -c "! kame -n $G addr show | grep -q tentative"
	insmod "$KAME_IPSEC_KO" || return 1
	gcm_tunnel_sas $KG $KN 0x3001 0x3002 || return 1
	xf policy add src $BP dst $AP dir out \
		tmpl src $KN dst $KG proto esp mode tunnel || return 1
	xf policy add src $AP dst $BP dir in \
		tmpl src $KG dst $KN proto esp mode tunnel || return 1
	gw_policies
}

test_ping() {
	local out fw0 in0 out0
	RET=0
	fw0=$(kame_stat "$G" ip6s_forward)
	in0=$(st in_success)
	out0=$(st out_success)
	capture p
	out=$(hping 3 3)
	check_match "H reaches N's inner address through G's tunnel" \
		'3 packets transmitted, 3 received' "$out"
	check_eq "replies with the hop limit down by one (G forwarded them)" 3 \
		"$(grep -c 'ttl=63 ' <<<"$out")"
	out=$(captured p)
	check_eq "ESP from G to N (spi 0x3001)" 3 \
		"$(grep -c "$KG > $KN: ESP(spi=0x00003001" <<<"$out")"
	check_eq "ESP from N to G (spi 0x3002)" 3 \
		"$(grep -c "$KN > $KG: ESP(spi=0x00003002" <<<"$out")"
	check_eq "no inner address in clear on the underlay" "" \
		"$(grep -E "2001:db8:(a|b)::" <<<"$out")"
	check_eq "ip6s_forward" 6 $(($(kame_stat "$G" ip6s_forward) - fw0))
	check_eq "in_success" 3 $(($(st in_success) - in0))
	check_eq "out_success" 3 $(($(st out_success) - out0))
	log_test "ipsec gateway: a native host's pings forwarded into and out of an ESP tunnel with XFRM"
}

# A 1400-byte ping fits H's link but not, in ESP, the gateway's link to
# N: G answers with Packet Too Big at what the tunnel leaves of that MTU
# (ip6s_toobig); H's next pings, fragmented by H to fit, pass the tunnel
# without outer fragments
test_large() {
	local out tb0 mtu
	RET=0
	tb0=$(kame_stat "$G" ip6s_toobig)
	out=$(hping 1 3 -s 1400 -M do)
	mtu=$(sed -n 's/.*[Pp]acket too big: mtu=\([0-9]*\).*/\1/p' <<<"$out" | head -n 1)
	echo "# Packet Too Big from the gateway: mtu=${mtu:-none}"
	check_eq "Packet Too Big from G, an MTU between 1280 and the link's less ESP" \
		yes "$([ "${mtu:-0}" -ge 1280 ] && [ "${mtu:-0}" -le 1424 ] && echo yes || echo "no: $out")"
	check_eq "ip6s_toobig" $((tb0 + 1)) "$(kame_stat "$G" ip6s_toobig)"
	capture l
	out=$(hping 2 3 -s 1400)
	check_match "1400-byte pings, fragmented by H, through the gateway" \
		'2 packets transmitted, 2 received' "$out"
	check_eq "no outer fragment from G" 0 \
		"$(captured l | grep -Ec "$KG > $KN: frag \(")"
	log_test "ipsec gateway: Packet Too Big for what no longer fits in the tunnel, then no outer fragments"
}

# A fwd policy is asked before the inbound one: discard there refuses
# what the inbound policy would let through; then a fwd policy asking
# for the tunnel lets it through again.
test_fwd_policy() {
	local out pv0
	RET=0
	check skf "spdadd $BP $AP any -P fwd discard"
	pv0=$(st in_polvio)
	out=$(hping 2 1)
	check_match "fwd discard: no replies reach H" \
		'2 packets transmitted, 0 received' "$out"
	check_eq "in_polvio (the decapsulated replies)" 2 $(($(st in_polvio) - pv0))
	check skf "spddelete $BP $AP any -P fwd" \
		"spdadd $BP $AP any -P fwd ipsec esp/tunnel/$KN-$KG/require" \
		"spddelete $BP $AP any -P in"
	out=$(sk -DP)
	check_eq "setkey -DP lists the fwd policy" 1 \
		"$(grep -c "^$(printf '\t')fwd .*ipsec$" <<<"$out")" || echo "$out"
	out=$(hping 2 3)
	check_match "fwd policy asking for the tunnel: replies reach H" \
		'2 packets transmitted, 2 received' "$out"
	check gw_policies
	log_test "ipsec gateway: a fwd policy decides before the inbound one"
}

# N sends to H in clear: G's policy wants the tunnel, so G does not
# forward it (in_polvio) and H never sees it
test_clear_refused() {
	local out pv0 fw0
	RET=0
	check xf policy delete src $BP dst $AP dir out
	pv0=$(st in_polvio)
	fw0=$(kame_stat "$G" ip6s_forward)
	out=$(ip netns exec "$N" ping -6 -c 2 -i 0.3 -W 1 -I $IN $IH 2>&1)
	check_match "cleartext from N's inner address: no answer" \
		'2 packets transmitted, 0 received' "$out"
	check_eq "in_polvio" 2 $(($(st in_polvio) - pv0))
	check_eq "nothing forwarded" 0 $(($(kame_stat "$G" ip6s_forward) - fw0))
	check xf policy add src $BP dst $AP dir out \
		tmpl src $KN dst $KG proto esp mode tunnel
	log_test "ipsec gateway: cleartext for the protected network is not forwarded"
}

# Outbound policies on forwarded packets: discard (out_polvio), and a
# transport-mode request, which cannot carry another node's packet
# (out_inval); H's pings are never sent on
test_out_refused() {
	local out n0 fw0
	RET=0
	check skf spdflush "spdadd $AP $BP icmp6 -P out discard"
	n0=$(st out_polvio)
	fw0=$(kame_stat "$G" ip6s_forward)
	out=$(hping 2 1)
	check_match "out discard: no replies" '2 packets transmitted, 0 received' "$out"
	check_eq "out_polvio" 2 $(($(st out_polvio) - n0))
	check_eq "not counted as forwarded" 0 $(($(kame_stat "$G" ip6s_forward) - fw0))
	check skf spdflush \
		"spdadd $AP $BP any -P out ipsec esp/transport//require"
	n0=$(st out_inval)
	out=$(hping 2 1)
	check_match "transport mode for a forwarded packet: no replies" \
		'2 packets transmitted, 0 received' "$out"
	check_eq "out_inval" 2 $(($(st out_inval) - n0))
	check gw_policies
	log_test "ipsec gateway: out discard and transport-mode policies refuse forwarded packets"
}

# selftests/fuzz/esp_tunnel_fuzz.py with H as the inner destination: the
# inner packets (malformed headers, extension header chains, nested ESP)
# are forwarded or dropped, each counted once, the fwd check's and the
# outbound selector's walk over their headers included
test_fuzz() {
	local key=0x0303030303030303030303030303030303030303
	local t0 s0 t1 s1 d0 d1 fw0 dm0 out
	RET=0
	printf 'add %s %s esp 0x3004 -m tunnel -E null -A hmac-sha1 %s;\n' \
		$KN $KG $key | check sk -f -
	read -r t0 s0 < <(kame_ip6_in_sum "$G")
	d0=$(ipsec_drops)
	fw0=$(kame_stat "$G" ip6s_forward)
	dm0=$(kame_dmesg_lines)
	ip netns exec "$N" python3 "$KAME_TOP/selftests/fuzz/esp_tunnel_fuzz.py" \
		$KN $KG 0x3004 $key $IN $IH 1 2000
	sleep 3
	read -r t1 s1 < <(kame_ip6_in_sum "$G")
	d1=$(ipsec_drops)
	echo "# esp_tunnel_fuzz via G: input $((t1 - t0)), core $((s1 - s0)), ipsec drops $((d1 - d0)), forwarded $(($(kame_stat "$G" ip6s_forward) - fw0))"
	check_eq "every packet counted once" $((t1 - t0)) $((s1 - s0 + d1 - d0))
	check_eq "inner packets forwarded to H" yes \
		"$([ $(($(kame_stat "$G" ip6s_forward) - fw0)) -gt 300 ] && echo yes || echo no)"
	check_eq "kernel log lines" "$dm0" "$(kame_dmesg_lines)"
	out=$(hping 1 3)
	check_match "the gateway still works" '1 packets transmitted, 1 received' "$out"
	echo "delete $KN $KG esp 0x3004;" | check sk -f -
	log_test "ipsec gateway: 2000 fuzzed inner packets for the host behind it, each counted once"
}

# N's own underlay address is no protected network: forwarded in clear,
# before and after kame_ipsec goes while H's pings to N's inner address
# are in its tunnel
test_rmmod() {
	local out
	RET=0
	out=$(ip netns exec "$H" ping -6 -c 1 -W 3 $KN 2>&1)
	check_match "an unprotected destination forwarded in clear" \
		'1 packets transmitted, 1 received' "$out"
	ip netns exec "$H" ping -6 -c 30 -i 0.05 -W 1 $IN >/dev/null 2>&1 &
	sleep 0.5
	check rmmod kame_ipsec
	wait
	out=$(ip netns exec "$H" ping -6 -c 1 -W 3 $KN 2>&1)
	check_match "G forwards without kame_ipsec" \
		'1 packets transmitted, 1 received' "$out"
	log_test "ipsec gateway: rmmod kame_ipsec while forwarding into the tunnel"
}

TMP=$(mktemp -d)
if ! setup; then
	echo "SKIP: cannot set up (kame_ipsec.ko: $KAME_IPSEC_KO)"
	RET=1
	log_test "ipsec gateway: setup"
	exit "$EXIT_STATUS"
fi
test_ping
test_large
test_fwd_policy
test_clear_refused
test_out_refused
test_fuzz
test_rmmod
exit "$EXIT_STATUS"
