#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# IPComp (RFC 3173, DEFLATE of RFC 2394) of kame_ipsec.ko against Linux's
# XFRM: with ESP and alone, in transport mode and in tunnel mode (IPComp
# tunnel, ESP transport on the outer addresses, as strongSwan sets Linux
# up), pings and UDP both ways. On the wire: IPComp headers with the
# CPIs and frames shorter than the payload; below ipcomp_minsize, and for
# data deflate cannot shrink, no IPComp header at all, which the
# receiver's policy takes (level require included). The KAME host's
# counters say what it decompressed. Malformed IPComp (cut short, an
# unknown CPI, not deflate, decompression bombs, IPComp in IPComp) and
# selftests/fuzz/ipcomp_fuzz.py's random packets: each dropped with one
# ipsec6 counter, nothing in the kernel log. rmmod afterwards.
#
#   +----- $A (KAME, kame_ipsec) ----+          +-- $B (native, XFRM) --+
#   |  veth0 2001:db8::1  setkey     |--IPComp--|  veth1 2001:db8::2    |
#   |  (tunnel: 2001:db8:a::1)       |          |  (2001:db8:b::2)      |
#   +--------------------------------+          +-----------------------+
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/ipsec.lib"

TMP=/tmp/ipcomp-$$
KA=2001:db8::1
KB=2001:db8::2
IA=2001:db8:a::1
IB=2001:db8:b::2
GCM=0x0102030405060708090a0b0c0d0e0f1011121314
MINSIZE=/sys/module/kame_ipsec/parameters/ipcomp_minsize
HELP="python3 $(dirname "$0")/ipcomp_send.py"

cleanup_ipcomp() {
	[ -n "${CAP_PID:-}" ] && kill "$CAP_PID" 2>/dev/null
	kame_cleanup
	rmmod kame_ipsec 2>/dev/null
}
trap cleanup_ipcomp EXIT

# The frames of a capture, with their lengths (tcpdump -e)
frames() { tcpdump -e -n -r "$1" 2>/dev/null; }
# the largest frame length of the lines of FRAMES matching ERE
maxlen() {
	grep -E -- "$2" <<<"$1" |
		awk 'match($0, /length [0-9]+:/) { n = substr($0, RSTART + 7, RLENGTH - 8); if (n > m) m = n } END { print m + 0 }'
}

# slab, sanitizer and oops reports in the kernel log
bugs() { dmesg | grep -Ec 'BUG|KASAN|kmemleak|Slab corruption'; }
BUGS0=$(bugs)

# a capture on B's veth1, or with "a" on A's veth0: tunnel mode is
# captured there, as Linux's XFRM hands its decapsulated packets to the
# device again and B's capture would show them
cap() {
	if [ "${2:-}" = a ]; then
		pcap_start "$A" veth0 "$TMP/$1" ip6
	else
		pcap_start "$B" veth1 "$TMP/$1" ip6
	fi
	CAP_PID=$PCAP_PID
}
cap_end() { pcap_stop "$CAP_PID"; CAP_PID=; }

# SAs and policies of both hosts for MODE: esp (IPComp and ESP in
# transport mode), comp (IPComp alone), tunesp (IPComp tunnel between the
# hosts for the inner prefixes, ESP transport on the outer addresses),
# tun (the IPComp tunnel alone). CPIs 0x1001 A to B, 0x1002 B to A; ESP
# SPIs 0x1101, 0x1102.
conf() {
	local m=$1 mode=transport sel kin kout
	local -a ltmpl_out ltmpl_in lsel_out lsel_in
	case $m in tun*) mode=tunnel ;; esac
	sk -F && sk -FP && xf state flush && xf policy flush || return 1
	{
		echo "add $KA $KB ipcomp 0x1001 -m $mode -C deflate;"
		echo "add $KB $KA ipcomp 0x1002 -m $mode -C deflate;"
		if [ "$m" = esp ] || [ "$m" = tunesp ]; then
			echo "add $KA $KB esp 0x1101 -E aes-gcm-16 $GCM;"
			echo "add $KB $KA esp 0x1102 -E aes-gcm-16 $GCM;"
		fi
	} >"$TMP/sa.conf"
	xf state add src $KA dst $KB proto comp spi 0x1001 mode $mode \
		comp deflate || return 1
	xf state add src $KB dst $KA proto comp spi 0x1002 mode $mode \
		comp deflate || return 1
	if [ $mode = tunnel ]; then
		kout="ipcomp/tunnel/$KA-$KB/require"
		kin="ipcomp/tunnel/$KB-$KA/require"
		lsel_out=(src $IB/128 dst $IA/128)
		lsel_in=(src $IA/128 dst $IB/128)
		sel="$IA $IB"
	else
		kout="ipcomp/transport//require"
		kin="ipcomp/transport//require"
		lsel_out=(src $KB/128 dst $KA/128)
		lsel_in=(src $KA/128 dst $KB/128)
		sel="$KA $KB"
	fi
	ltmpl_out=(tmpl src $KB dst $KA proto comp mode $mode)
	ltmpl_in=(tmpl src $KA dst $KB proto comp mode $mode level use)
	if [ "$m" = esp ] || [ "$m" = tunesp ]; then
		xf state add src $KA dst $KB proto esp spi 0x1101 mode transport \
			aead 'rfc4106(gcm(aes))' $GCM 128 || return 1
		xf state add src $KB dst $KA proto esp spi 0x1102 mode transport \
			aead 'rfc4106(gcm(aes))' $GCM 128 || return 1
		kout="$kout esp/transport//require"
		kin="$kin esp/transport//require"
		ltmpl_out+=(tmpl src $KB dst $KA proto esp mode transport)
		ltmpl_in+=(tmpl src $KA dst $KB proto esp mode transport)
	fi
	set -- $sel
	echo "spdadd $1 $2 any -P out ipsec $kout;" >>"$TMP/sa.conf"
	echo "spdadd $2 $1 any -P in ipsec $kin;" >>"$TMP/sa.conf"
	sk -f "$TMP/sa.conf" || return 1
	xf policy add "${lsel_out[@]}" dir out "${ltmpl_out[@]}" || return 1
	xf policy add "${lsel_in[@]}" dir in "${ltmpl_in[@]}"
}

setup() {
	mkdir -p "$TMP"
	kame_native_pair
	ip -n "$B" -6 neigh replace $KA lladdr "$MAC_A" dev veth1 nud permanent
	ip netns exec "$A" ndp -s $KB "$MAC_B" >/dev/null
	# the tunnel's inner addresses
	kame -n "$A" addr add $IA/64 dev veth0 || return 1
	kame -n "$A" route add 2001:db8:b::/64 via $KB || return 1
	ip -n "$B" -6 addr add $IB/64 dev veth1 nodad || return 1
	ip -n "$B" -6 route add 2001:db8:a::/64 via $KA dev veth1 src $IB || return 1
	slowwait 10 sh -c "! kame -n $A addr show | grep -q tentative"
	insmod "$KAME_IPSEC_KO"
}

# pings of SIZE bytes of zeros, COUNT each way: native to KAME, then
# kping6 to native (from SRC to DST, the KAME host's addresses first)
pings() {	# WHAT SIZE KADDR NADDR
	local out
	out=$(ip netns exec "$B" ping -6 -c 2 -i 0.3 -W 3 -s "$2" -p 00 \
		-I "$4" "$3" 2>&1)
	check_match "$1: native ping to KAME, $2 bytes" '2 packets transmitted, 2 received' "$out"
	out=$(timeout 10 ip netns exec "$A" kping6 -c 2 -i 0.5 -s "$2" -p 00 \
		-S "$3" "$4" 2>&1)
	check_match "$1: kping6 to native, $2 bytes" '2 packets transmitted, 2 packets received' "$out"
}

# IPComp and ESP in transport mode: what the KAME host decompressed (two
# headers processed per packet when compressed, one when not), and the
# ESP packets' lengths on the wire
test_esp_transport() {
	local ok f
	RET=0
	check conf esp
	ok=$(st in_success)
	cap esp
	pings "IPComp+ESP" 1200 $KA $KB
	cap_end
	f=$(frames "$TMP/esp")
	# 2 echo requests and 2 replies came in, each ESP then IPComp
	check_eq "headers processed by KAME (ESP and IPComp, 4 packets)" 8 $(($(st in_success) - ok))
	check_eq "ESP from KAME (spi 0x1101)" 4 "$(grep -c "$KA > $KB: ESP(spi=0x00001101" <<<"$f")"
	check_eq "ESP from native (spi 0x1102)" 4 "$(grep -c "$KB > $KA: ESP(spi=0x00001102" <<<"$f")"
	[ "$(maxlen "$f" "$KA > $KB: ESP")" -lt 300 ] ||
		fail_case "KAME's ESP not compressed: $(maxlen "$f" "$KA > $KB: ESP") bytes for 1200 of payload"
	[ "$(maxlen "$f" "$KB > $KA: ESP")" -lt 300 ] ||
		fail_case "native's ESP not compressed: $(maxlen "$f" "$KB > $KA: ESP")"
	# below the threshold: ESP alone, one header per packet
	ok=$(st in_success)
	pings "IPComp+ESP small" 16 $KA $KB
	check_eq "headers processed by KAME (ESP only, 4 packets)" 4 $(($(st in_success) - ok))
	log_test "ipcomp: IPComp+ESP (aes-gcm-16) transport against XFRM, compressed and below the threshold"
}

# UDP both ways, zeros and random data (which goes uncompressed)
udp_both() {	# WHAT (captures $TMP/udp)
	local out f
	bg_ready 10 "$TMP/echo" "$A" kame-udp echo -n 2 7777 ||
		fail_case "kame-udp echo did not start"
	cap udp
	out=$(ip netns exec "$B" $HELP udp $KA 7777 1200 zero 2>&1)
	check_match "$1: native UDP zeros to KAME, echoed" 'echo 1200 bytes$' "$out"
	out=$(ip netns exec "$B" $HELP udp $KA 7777 1200 random 2>&1)
	check_match "$1: native UDP random to KAME, echoed" 'echo 1200 bytes$' "$out"
	cap_end
	kame_kill_bg
	bg_ready 10 "$TMP/necho" "$B" $HELP echo 7778 1 ||
		fail_case "native echo did not start"
	out=$(ip netns exec "$A" kame-udp send -s 1200 $KB 7778 2>&1)
	check_match "$1: kame-udp to native, echoed" 'from .* 1200 bytes' "$out"
	kame_kill_bg
}

# IPComp alone in transport mode: the headers and lengths on the wire
test_comp_transport() {
	local f ok
	RET=0
	check conf comp
	ok=$(st in_success)
	cap comp
	pings "IPComp" 1200 $KA $KB
	cap_end
	f=$(frames "$TMP/comp")
	# 2 echo requests and 2 replies each way
	check_eq "IPComp from KAME (cpi 0x1001)" 4 "$(grep -c "$KA > $KB: IPComp(cpi=0x1001)" <<<"$f")"
	check_eq "IPComp from native (cpi 0x1002)" 4 "$(grep -c "$KB > $KA: IPComp(cpi=0x1002)" <<<"$f")"
	check_eq "ICMPv6 in clear" 0 "$(grep -Ec "($KA > $KB|$KB > $KA): ICMP6" <<<"$f")"
	[ "$(maxlen "$f" "$KA > $KB: IPComp")" -lt 200 ] ||
		fail_case "KAME's IPComp frames: $(maxlen "$f" "$KA > $KB: IPComp") bytes for 1208 of ICMPv6"
	check_eq "IPComp headers processed by KAME" 4 $(($(st in_success) - ok))
	# below ipcomp_minsize: as it is, and the require policies take it
	cap small
	pings "IPComp small" 40 $KA $KB
	cap_end
	f=$(frames "$TMP/small")
	check_eq "small: no IPComp" 0 "$(grep -c "IPComp" <<<"$f")"
	check_eq "small: echo requests and replies in clear" 8 \
		"$(grep -Ec "($KA > $KB|$KB > $KA): ICMP6, echo" <<<"$f")"
	# the knob: 1208 bytes are below a threshold of 2000
	echo 2000 >$MINSIZE
	cap knob
	out=$(timeout 10 ip netns exec "$A" kping6 -c 1 -s 1200 -p 00 $KB 2>&1)
	cap_end
	echo 90 >$MINSIZE
	check_match "minsize 2000: kping6" '1 packets transmitted, 1 packets received' "$out"
	f=$(frames "$TMP/knob")
	check_eq "minsize 2000: KAME's echo request in clear" 1 "$(grep -c "$KA > $KB: ICMP6, echo request" <<<"$f")"
	check_eq "minsize 2000: native's reply compressed" 1 "$(grep -c "$KB > $KA: IPComp" <<<"$f")"
	# UDP: random data is sent as it is by both
	udp_both "IPComp"
	f=$(frames "$TMP/udp")
	check_eq "UDP: IPComp each way for the zeros" "1 1" \
		"$(grep -c "$KB > $KA: IPComp" <<<"$f") $(grep -c "$KA > $KB: IPComp" <<<"$f")"
	check_eq "UDP: random data in clear each way" "1 1" \
		"$(grep -Ec "$KB\.[0-9]+ > $KA\.7777: UDP" <<<"$f") $(grep -Ec "$KA\.7777 > $KB\.[0-9]+: UDP" <<<"$f")"
	log_test "ipcomp: IPComp alone in transport mode against XFRM: headers, threshold, knob, incompressible data"
}

test_esp_udp() {
	RET=0
	check conf esp
	udp_both "IPComp+ESP"
	log_test "ipcomp: UDP both ways through IPComp+ESP transport (zeros and random data)"
}

# Tunnel mode: the inner prefixes through an IPComp tunnel (with ESP on
# the outer addresses, and alone)
test_tunnel() {
	local f ok
	RET=0
	check conf tunesp
	ok=$(st in_success)
	cap tun a
	pings "tunnel IPComp+ESP" 1200 $IA $IB
	cap_end
	f=$(frames "$TMP/tun")
	check_eq "tunnel: headers processed by KAME (ESP, IPComp)" 8 $(($(st in_success) - ok))
	check_eq "tunnel: ESP each way" "4 4" \
		"$(grep -c "$KA > $KB: ESP(spi=0x00001101" <<<"$f") $(grep -c "$KB > $KA: ESP(spi=0x00001102" <<<"$f")"
	check_eq "tunnel: inner addresses in clear" "" "$(grep "2001:db8:[ab]::" <<<"$f")"
	[ "$(maxlen "$f" "$KA > $KB: ESP")" -lt 300 ] ||
		fail_case "tunnel: KAME's ESP not compressed: $(maxlen "$f" "$KA > $KB: ESP")"
	# uncompressed (RFC 3173 2.2): IPv6 in IPv6 inside ESP, taken by
	# the IPComp tunnel's inbound policy
	ok=$(st in_success)
	pings "tunnel IPComp+ESP small" 16 $IA $IB
	check_eq "tunnel small: ESP only" 4 $(($(st in_success) - ok))
	check conf tun
	ok=$(st in_success)
	cap tun1 a
	pings "tunnel IPComp" 1200 $IA $IB
	cap_end
	f=$(frames "$TMP/tun1")
	check_eq "tunnel IPComp alone: headers each way" "4 4" \
		"$(grep -c "$KA > $KB: IPComp(cpi=0x1001)" <<<"$f") $(grep -c "$KB > $KA: IPComp(cpi=0x1002)" <<<"$f")"
	check_eq "tunnel IPComp alone: decompressed by KAME" 4 $(($(st in_success) - ok))
	# uncompressed, with no SA in front: plain IPv6 in IPv6 both ways
	ok=$(st in_success)
	cap tun2 a
	pings "tunnel IPComp small" 16 $IA $IB
	cap_end
	f=$(frames "$TMP/tun2")
	check_eq "tunnel IPComp small: IPv6 in IPv6 each way" "4 4" \
		"$(grep -c "$KA > $KB: $IA > $IB" <<<"$f") $(grep -c "$KB > $KA: $IB > $IA" <<<"$f")"
	check_eq "tunnel IPComp small: no header processed" 0 $(($(st in_success) - ok))
	tunnel_fuzz
	log_test "ipcomp: tunnel mode (IPComp+ESP, IPComp alone, uncompressed) against XFRM, inner pings both ways"
}

# selftests/fuzz/esp_tunnel_fuzz.py with SPI 0: malformed plain IPv6 in
# IPv6 through the IPComp tunnel's inbound policy (what its peer sends
# uncompressed), nested too: each outer packet counted once by the core,
# no kernel log line, the tunnel still working
tunnel_fuzz() {
	local t0 s0 t1 s1 d0 d1 dm0 out n=${IPCOMP_FUZZ_N:-3000}
	read -r t0 s0 < <(kame_ip6_in_sum "$A")
	d0=$(ipsec_drops)
	dm0=$(kame_dmesg_lines)
	ip netns exec "$B" python3 "$KAME_TOP/selftests/fuzz/esp_tunnel_fuzz.py" \
		$KB $KA 0 0x00 $IB $IA 0 "$n"
	sleep 3
	read -r t1 s1 < <(kame_ip6_in_sum "$A")
	d1=$(ipsec_drops)
	echo "# plain tunnel fuzz: input $((t1 - t0)), core $((s1 - s0)), ipsec drops $((d1 - d0))"
	check_eq "plain IPv6 in IPv6 fuzzed: every packet counted once" \
		$((t1 - t0)) $((s1 - s0 + d1 - d0))
	check_eq "plain IPv6 in IPv6 fuzzed: kernel log lines" "$dm0" "$(kame_dmesg_lines)"
	check_eq "plain IPv6 in IPv6 fuzzed: slab or sanitizer reports" "$BUGS0" "$(bugs)"
	out=$(ip netns exec "$B" ping -6 -c 1 -W 3 -I $IB $IA 2>&1)
	check_match "plain IPv6 in IPv6 fuzzed: the tunnel still works" \
		'1 packets transmitted, 1 received' "$out"
}

# Malformed IPComp from another address of B (no XFRM policy of B's
# covers it) to an SA that takes any source
test_malformed() {
	local inval nosa comp nomem ok dm0 n
	RET=0
	check conf comp
	check ip -n "$B" -6 addr add 2001:db8::3/64 dev veth1 nodad
	printf 'delete %s %s ipcomp 0x1002;\nadd :: %s ipcomp 0x1002 -C deflate;\n' \
		$KB $KA $KA | check sk -f -
	dm0=$(kame_dmesg_lines)
	read -r inval nosa comp nomem ok < <(kame -n "$A" stats ipsec6 in_inval in_nosa in_compfail in_nomem in_success | tr '\n' ' ')
	ip netns exec "$B" $HELP malformed 2001:db8::3 $KA 0x1002
	sleep 2
	read -r inval nosa comp nomem ok < <(kame -n "$A" stats ipsec6 in_inval in_nosa in_compfail in_nomem in_success |
		paste -sd' ' | awk -v a="$inval" -v b="$nosa" -v c="$comp" -v d="$nomem" -v e="$ok" \
		'{ print $1 - a, $2 - b, $3 - c, $4 - d, $5 - e }')
	check_eq "in_inval: cut short, IPComp in IPComp" 2 "$inval"
	check_eq "in_nosa: an unknown CPI" 1 "$nosa"
	check_eq "in_compfail: not deflate, a bomb, bytes after the end, half a stream, one byte past the payload length" 5 "$comp"
	check_eq "in_nomem" 0 "$nomem"
	check_eq "in_success: exactly the payload length, the echo request" 2 "$ok"
	# the fuzzer: each random packet counted once
	read -r inval nosa comp nomem ok < <(kame -n "$A" stats ipsec6 in_inval in_nosa in_compfail in_nomem in_success | tr '\n' ' ')
	n=${IPCOMP_FUZZ_N:-3000}
	ip netns exec "$B" python3 "$KAME_TOP/selftests/fuzz/ipcomp_fuzz.py" \
		2001:db8::3 $KA 0x1002 "$n"
	sleep 2
	read -r inval nosa comp nomem ok < <(kame -n "$A" stats ipsec6 in_inval in_nosa in_compfail in_nomem in_success |
		paste -sd' ' | awk -v a="$inval" -v b="$nosa" -v c="$comp" -v d="$nomem" -v e="$ok" \
		'{ print $1 - a, $2 - b, $3 - c, $4 - d, $5 - e }')
	echo "# ipcomp_fuzz: in_inval $inval in_nosa $nosa in_compfail $comp in_nomem $nomem in_success $ok"
	check_eq "$n random IPComp packets, each counted once" "$n" $((inval + nosa + comp + nomem + ok))
	[ "$comp" -gt 0 ] && [ "$nosa" -gt 0 ] && [ "$inval" -gt 0 ] ||
		fail_case "the fuzzer missed a class: $inval $nosa $comp"
	check_eq "kernel log lines" "$dm0" "$(kame_dmesg_lines)"
	check_eq "slab or sanitizer reports" "$BUGS0" "$(bugs)"
	check ip -n "$B" -6 addr del 2001:db8::3/64 dev veth1
	log_test "ipcomp: malformed IPComp and decompression bombs, each dropped with one ipsec6 counter; fuzzed"
}

test_rmmod() {
	RET=0
	check conf esp
	check rmmod kame_ipsec
	check insmod "$KAME_IPSEC_KO"
	check conf comp
	check sk -F
	check rmmod kame_ipsec
	check_eq "slab or sanitizer reports" "$BUGS0" "$(bugs)"
	log_test "ipcomp: rmmod with IPComp SAs in place, and after the last is gone"
}

if ! setup; then
	echo "SKIP: cannot set up (kame_ipsec.ko: $KAME_IPSEC_KO)"
	RET=1
	log_test "ipcomp: setup"
	exit "$EXIT_STATUS"
fi
test_esp_transport
test_esp_udp
test_comp_transport
test_tunnel
test_malformed
test_rmmod
exit "$EXIT_STATUS"
