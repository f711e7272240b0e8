#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ESP in transport mode (kame_ipsec.ko) against Linux's XFRM (ip xfrm):
# the same SAs on both hosts, pings both ways with only ESP on the wire
# (the SPIs asserted, no cleartext ICMPv6), for aes-gcm-16, aes-cbc with
# hmac-sha2-256, chacha20-poly1305, 3des-cbc with hmac-sha1 and null with
# hmac-sha1; a wrong key fails authentication; the
# levels use and require; a discard policy before the ipsec one wins;
# malformed and replayed ESP, each dropped with its ipsec6 counter; a gif
# whose outer IPv6 packets ESP protects (notes 4.8.2) against ip6tnl
# under XFRM; rmmod with SAs and policies in place; asynchronous
# transforms (esp_async=1: pcrypt) under 50 pings in flight, and rmmod
# under a flood of them.
#
#   +----- $A (KAME, kame_ipsec) ----+        +-- $B (native, XFRM) --+
#   |  veth0 2001:db8::1  setkey     |--ESP---|  veth1 2001:db8::2    |
#   +--------------------------------+        +-----------------------+
#
# Both neighbour caches are static, so that no ND message meets the
# host-to-host policies (KAME's way would be a bypass policy for ND).
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/ipsec.lib"

: "${KAME_GIF_KO:=$KAME_TOP/kmod/gif/kame_gif.ko}"
PCAP=/tmp/esp-$$
KA=2001:db8::1
KB=2001:db8::2
GCM=0x0102030405060708090a0b0c0d0e0f1011121314		# 128-bit key + salt
AES=0x000102030405060708090a0b0c0d0e0f
SHA=0x0101010101010101010101010101010101010101010101010101010101010101
CHACHA=0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f01020304
DES3=0x0102030405060708111213141516171821222324252627ff
SHA1=0x0202020202020202020202020202020202020202

cleanup_esp() {
	kame_kill_bg
	[ -n "${CAP_PID:-}" ] && kill "$CAP_PID" 2>/dev/null
	rm -f "$PCAP".*
	cleanup_all_ns
	rmmod kame_gif 2>/dev/null
	rmmod kame_ipsec 2>/dev/null
	async_unload
}

# pcrypt, once loaded, is every user's implementation (XFRM's too): out
# again once its instances are free (XFRM frees its states later)
async_unload() {
	[ -d /sys/module/pcrypt ] || return 0
	ip -n "$B" xfrm state flush 2>/dev/null
	slowwait 20 rmmod pcrypt 2>/dev/null
}
trap cleanup_esp EXIT

SEND="python3 $(dirname "$0")/esp_send.py"

# SA pair: SPIs 0x1001 (A to B) and 0x1002 (B to A) with ALGS on both
# sides: "gcm" or "cbc"
sa_pair() {
	local kame
	local -a xfrm
	case $1 in
	gcm)
		kame="-E aes-gcm-16 $GCM"
		xfrm=(aead 'rfc4106(gcm(aes))' "$GCM" 128) ;;
	cbc)
		kame="-E aes-cbc $AES -A hmac-sha2-256 $SHA"
		xfrm=(enc 'cbc(aes)' "$AES" auth-trunc 'hmac(sha256)' "$SHA" 128) ;;
	chacha)
		kame="-E chacha20-poly1305 $CHACHA"
		xfrm=(aead 'rfc7539esp(chacha20,poly1305)' "$CHACHA" 128) ;;
	3des)
		kame="-E 3des-cbc $DES3 -A hmac-sha1 $SHA1"
		xfrm=(enc 'cbc(des3_ede)' "$DES3" auth-trunc 'hmac(sha1)' "$SHA1" 96) ;;
	null)	# cipher_null takes no key at all
		kame="-E null -A hmac-sha1 $SHA1"
		xfrm=(enc 'ecb(cipher_null)' '' auth-trunc 'hmac(sha1)' "$SHA1" 96) ;;
	esac
	printf 'flush;\nadd %s %s esp 0x1001 %s;\nadd %s %s esp 0x1002 %s;\n' \
		$KA $KB "$kame" $KB $KA "$kame" | sk -f - || return 1
	xf state flush
	xf state add src $KA dst $KB proto esp spi 0x1001 mode transport \
		"${xfrm[@]}" || return 1
	xf state add src $KB dst $KA proto esp spi 0x1002 mode transport \
		"${xfrm[@]}"
}

setup() {
	kame_native_pair
	ip -n "$B" -6 neigh replace $KA lladdr "$MAC_A" dev veth1 nud permanent
	ip netns exec "$A" ndp -s $KB "$MAC_B" >/dev/null
	insmod "$KAME_IPSEC_KO" || return 1
	xf policy add src $KB/128 dst $KA/128 dir out \
		tmpl src $KB dst $KA proto esp mode transport || return 1
	xf policy add src $KA/128 dst $KB/128 dir in \
		tmpl src $KA dst $KB proto esp mode transport || return 1
	printf 'spdflush;\nspdadd %s %s any -P out ipsec esp/transport//require;\nspdadd %s %s any -P in ipsec esp/transport//require;\n' \
		$KA $KB $KB $KA | sk -f -
}

# pings both ways through ESP; the wire has ESP with both SPIs, no ICMPv6
esp_pings() {	# WHAT
	local out
	pcap_start "$B" veth1 "$PCAP.w" "ip6"
	CAP_PID=$PCAP_PID
	out=$(ip netns exec "$B" ping -6 -c 3 -i 0.3 -W 3 $KA 2>&1)
	check_match "$1: native ping to KAME" '3 packets transmitted, 3 received' "$out"
	out=$(timeout 8 ip netns exec "$A" kping6 -c 2 -i 0.5 $KB 2>&1)
	check_match "$1: kping6 to native" '2 packets transmitted, 2 packets received' "$out"
	pcap_stop "$CAP_PID"
	CAP_PID=
	out=$(tcpdump -n -r "$PCAP.w" 2>/dev/null)
	check_eq "$1: ESP from KAME (spi 0x1001)" 5 \
		"$(grep -c "$KA > $KB: ESP(spi=0x00001001" <<<"$out")"
	check_eq "$1: ESP from native (spi 0x1002)" 5 \
		"$(grep -c "$KB > $KA: ESP(spi=0x00001002" <<<"$out")"
	# (B's own link-local MLD or RS may pass, outside the policies)
	check_eq "$1: cleartext ICMPv6 between the hosts" 0 \
		"$(grep -Ec "($KA > $KB|$KB > $KA): ICMP6" <<<"$out")"
}

test_gcm() {
	RET=0
	check sa_pair gcm
	esp_pings "aes-gcm-16"
	log_test "ipsec: ESP transport aes-gcm-16 against XFRM, both ways"
}

test_cbc() {
	RET=0
	check sa_pair cbc
	esp_pings "aes-cbc+hmac-sha2-256"
	log_test "ipsec: ESP transport aes-cbc with hmac-sha2-256 against XFRM, both ways"
}

# the other algorithms the issue names: each both ways, only ESP on the wire
test_more_algs() {
	local alg
	RET=0
	for alg in chacha 3des null; do
		check sa_pair $alg
		esp_pings "$alg"
	done
	log_test "ipsec: ESP transport chacha20-poly1305, 3des-cbc+hmac-sha1, null+hmac-sha1 against XFRM"
}

test_badkey() {
	local out n0
	RET=0
	check sa_pair gcm
	# B's SA to A with another key: A's ICV check fails, no answer
	check xf state delete src $KB dst $KA proto esp spi 0x1002
	check xf state add src $KB dst $KA proto esp spi 0x1002 mode transport \
		aead 'rfc4106(gcm(aes))' 0xffffffffffffffffffffffffffffffff11121314 128
	n0=$(st in_authfail)
	out=$(ip netns exec "$B" ping -6 -c 2 -i 0.3 -W 1 $KA 2>&1)
	check_match "no answer with a wrong key" '2 packets transmitted, 0 received' "$out"
	check_eq "in_authfail" 2 $(($(st in_authfail) - n0))
	log_test "ipsec: a wrong key fails authentication (in_authfail)"
}

test_levels() {
	local out n0
	RET=0
	check sa_pair gcm
	# require without an SA: nothing goes out
	echo "delete $KA $KB esp 0x1001;" | check sk -f -
	n0=$(st out_nosa)
	out=$(timeout 8 ip netns exec "$A" kping6 -c 1 $KB 2>&1)
	check_match "require without SA: nothing sent" '1 packets transmitted, 0 packets received' "$out"
	check_eq "out_nosa" 1 $(($(st out_nosa) - n0))
	# use without an SA: cleartext, which B's policy refuses
	printf 'spdupdate %s %s any -P out ipsec esp/transport//use;\n' $KA $KB | check sk -f -
	pcap_start "$B" veth1 "$PCAP.u" "ip6"
	CAP_PID=$PCAP_PID
	timeout 8 ip netns exec "$A" kping6 -c 1 $KB >/dev/null 2>&1
	pcap_stop "$CAP_PID"
	CAP_PID=
	check_eq "use without SA: an echo request in clear" 1 \
		"$(tcpdump -n -r "$PCAP.u" 2>/dev/null | grep -c "$KA > $KB: ICMP6, echo request")"
	# a discard policy before the ipsec one wins
	printf 'spdflush;\nspdadd %s %s icmp6 -P out discard;\nspdadd %s %s any -P out ipsec esp/transport//require;\nspdadd %s %s any -P in ipsec esp/transport//require;\n' \
		$KA $KB $KA $KB $KB $KA | check sk -f -
	check sa_pair gcm
	n0=$(st out_polvio)
	out=$(timeout 8 ip netns exec "$A" kping6 -c 1 $KB 2>&1)
	check_match "discard before ipsec" '1 packets transmitted, 0 packets received' "$out"
	check_eq "out_polvio" 1 $(($(st out_polvio) - n0))
	printf 'spdflush;\nspdadd %s %s any -P out ipsec esp/transport//require;\nspdadd %s %s any -P in ipsec esp/transport//require;\n' \
		$KA $KB $KB $KA | check sk -f -
	out=$(timeout 8 ip netns exec "$A" kping6 -c 1 $KB 2>&1)
	check_match "back to ipsec" '1 packets transmitted, 1 packets received' "$out"
	log_test "ipsec: levels require and use, a discard policy first wins"
}

# RFC 4301 6.2: an ICMPv6 error in clear about a flow whose inbound
# policy asks for ESP is refused (in_polvio); one about a flow without a
# policy is taken. Policies for UDP only, so that the error's own policy
# (ICMPv6: none) would let both in.
test_icmp_error_in() {
	local pv0 tb0
	RET=0
	check sa_pair gcm
	printf 'spdflush;\nspdadd %s %s udp -P out ipsec esp/transport//require;\nspdadd %s %s udp -P in ipsec esp/transport//require;\n' \
		$KA $KB $KB $KA | check sk -f -
	pv0=$(st in_polvio)
	tb0=$(kame -n "$A" stats icmp6 icp6s_inhist_packet_too_big)
	ip netns exec "$B" $SEND ptb veth1 "$MAC_B" "$MAC_A" $KB $KA udp
	sleep 1
	check_eq "in_polvio: a clear error quoting a protected UDP flow" \
		$((pv0 + 1)) "$(st in_polvio)"
	ip netns exec "$B" $SEND ptb veth1 "$MAC_B" "$MAC_A" $KB $KA icmp6
	sleep 1
	check_eq "in_polvio: an error quoting an echo request (no policy)" \
		$((pv0 + 1)) "$(st in_polvio)"
	check_eq "that error taken" $((tb0 + 1)) \
		"$(kame -n "$A" stats icmp6 icp6s_inhist_packet_too_big)"
	printf 'spdflush;\nspdadd %s %s any -P out ipsec esp/transport//require;\nspdadd %s %s any -P in ipsec esp/transport//require;\n' \
		$KA $KB $KB $KA | check sk -f -
	log_test "ipsec: a clear ICMPv6 error about a protected flow is refused (RFC 4301 6.2)"
}

# Malformed ESP from B's raw socket, and B's real ESP sent again: each
# dropped with its counter, nothing delivered, no kernel log line.
test_malformed() {
	local inval nosa auth rep ok dm0 out
	RET=0
	check sa_pair gcm
	# an SA of another source does not take B's packets (RFC 4301 5.2)
	check ip -n "$B" -6 addr add 2001:db8::3/64 dev veth1 nodad
	nosa=$(st in_nosa)
	ip netns exec "$B" $SEND malformed 2001:db8::3 $KA 0x1002
	sleep 1
	check_eq "in_nosa: SPI right, source not the SA's (and an unknown SPI)" 3 $(($(st in_nosa) - nosa))
	# A's inbound SA from any source (::), with a replay window (setkey
	# -r counts bytes: 32), so that ::3's packets reach the checks
	printf 'delete %s %s esp 0x1002;\nadd :: %s esp 0x1002 -r 4 -E aes-gcm-16 %s;\n' \
		$KB $KA $KA $GCM | check sk -f -
	dm0=$(kame_dmesg_lines)
	read -r inval nosa auth rep < <(kame -n "$A" stats ipsec6 in_inval in_nosa in_authfail in_replay | tr '\n' ' ')
	# from another address of B: no XFRM policy of B wraps them in ESP
	ip netns exec "$B" $SEND malformed 2001:db8::3 $KA 0x1002
	sleep 1
	check_eq "in_inval: cut short, a length no block makes" 2 $(($(st in_inval) - inval))
	check_eq "in_nosa: an unknown SPI" 1 $(($(st in_nosa) - nosa))
	check_eq "in_authfail: garbage" 1 $(($(st in_authfail) - auth))
	# selftests/fuzz/esp_fuzz.py: each random ESP packet dropped once
	read -r inval nosa auth rep ok < <(kame -n "$A" stats ipsec6 in_inval in_nosa in_authfail in_replay in_success | tr '\n' ' ')
	ip netns exec "$B" python3 "$KAME_TOP/selftests/fuzz/esp_fuzz.py" \
		2001:db8::3 $KA 0x1002 2000
	sleep 2
	read -r inval nosa auth rep ok < <(kame -n "$A" stats ipsec6 in_inval in_nosa in_authfail in_replay in_success |
		paste -sd' ' | awk -v a="$inval" -v b="$nosa" -v c="$auth" -v d="$rep" -v e="$ok" \
		'{ print $1 - a, $2 - b, $3 - c, $4 - d, $5 - e }')
	echo "# esp_fuzz: in_inval $inval in_nosa $nosa in_authfail $auth in_replay $rep"
	check_eq "2000 random ESP packets, each dropped once" 2000 $((inval + nosa + auth + rep))
	check_eq "random ESP packets taken" 0 "$ok"
	check ip -n "$B" -6 addr del 2001:db8::3/64 dev veth1
	rep=$(st in_replay)
	pcap_start "$B" veth1 "$PCAP.r" "ip6 proto 50 and src $KB"
	CAP_PID=$PCAP_PID
	out=$(ip netns exec "$B" ping -6 -c 1 -W 3 -I $KB $KA 2>&1)
	check_match "a ping through ESP" '1 packets transmitted, 1 received' "$out"
	pcap_stop "$CAP_PID"
	CAP_PID=
	ip netns exec "$B" $SEND replay veth1 "$PCAP.r"
	sleep 1
	check_eq "ESP captured to send again" 1 \
		"$(tcpdump -n -r "$PCAP.r" 2>/dev/null | grep -c "ESP(spi=0x00001002")"
	check_eq "in_replay: the echo request again" 1 $(($(st in_replay) - rep))
	check_eq "kernel log lines" "$dm0" "$(kame_dmesg_lines)"
	log_test "ipsec: malformed, fuzzed and replayed ESP, each with its ipsec6 counter"
}

# notes 4.8.2 (draft-touch-ipsec-vpn): a gif, and IPsec transport mode on
# its outer addresses: the host-to-host policies cover the tunnel
test_gif() {
	local out tx0 tx tx2 n
	RET=0
	check sa_pair gcm
	modprobe tunnel4 2>/dev/null
	check insmod "$KAME_GIF_KO"
	check ip -n "$A" link add gif0 type gif
	check ip netns exec "$A" gifconfig gif0 inet6 $KA $KB up
	check kame -n "$A" addr add 2001:db8:7::1/64 dev gif0
	check ip -n "$B" link add ip6t1 type ip6tnl mode ip6ip6 local $KB \
		remote $KA encaplimit none
	check ip -n "$B" link set ip6t1 up
	check ip -n "$B" -6 addr add 2001:db8:7::2/64 dev ip6t1 nodad
	slowwait 10 sh -c "! kame -n $A addr show dev gif0 | grep -q tentative"
	pcap_start "$B" veth1 "$PCAP.g" "ip6"
	CAP_PID=$PCAP_PID
	tx0=$(ip -n "$A" -j -s link show gif0 | jq '.[0].stats64.tx.packets')
	out=$(ip netns exec "$B" ping -6 -c 2 -i 0.3 -W 3 2001:db8:7::1 2>&1)
	check_match "native ping over ip6tnl and ESP to the gif" '2 packets transmitted, 2 received' "$out"
	out=$(timeout 8 ip netns exec "$A" kping6 -c 2 -i 0.5 2001:db8:7::2 2>&1)
	check_match "kping6 over the gif and ESP" '2 packets transmitted, 2 packets received' "$out"
	# what gif0 sent, counted while the capture runs (tx) and after it
	# stopped (tx2): the capture has at least the first, at most the second
	tx=$(($(ip -n "$A" -j -s link show gif0 | jq '.[0].stats64.tx.packets') - tx0))
	pcap_stop "$CAP_PID"
	CAP_PID=
	tx2=$(($(ip -n "$A" -j -s link show gif0 | jq '.[0].stats64.tx.packets') - tx0))
	out=$(tcpdump -n -r "$PCAP.g" 2>/dev/null)
	# the 4 echo packets, and what else the gif sent meanwhile (NUD
	# probes, MLD reports on a slow kernel): every one in ESP
	[ "$tx" -ge 4 ] || fail_case "gif0 sent $tx packets, not the 4 echo packets"
	n=$(grep -c "$KA > $KB: ESP(spi=0x00001001" <<<"$out")
	[ "$n" -ge "$tx" ] && [ "$n" -le "$tx2" ] ||
		fail_case "gif0 sent $tx to $tx2 packets, $n of them in ESP (spi 0x1001)"
	check_eq "no cleartext tunnel packet" 0 "$(grep -c "2001:db8:7::" <<<"$out")"
	check ip -n "$A" link del gif0
	# (the peer's tunnel would go on sending its own packets to A)
	check ip -n "$B" link del ip6t1
	check rmmod kame_gif
	log_test "ipsec: a gif over IPv6 with ESP transport on its outer addresses, against ip6tnl and XFRM"
}

# net.inet6.ipsec6.*: esp_trans_deflev for a "default" request,
# def_policy for what no policy matches, esp_randpad's random lengths
test_knobs() {
	local out n0 lens
	RET=0
	check sa_pair gcm
	echo "delete $KA $KB esp 0x1001;" | check sk -f -
	printf 'spdupdate %s %s any -P out ipsec esp/transport//default;\n' $KA $KB | check sk -f -
	n0=$(st out_nosa)
	timeout 5 ip netns exec "$A" kping6 -c 1 $KB >/dev/null 2>&1
	check_eq "esp_trans_deflev 1: default is use, no drop" 0 $(($(st out_nosa) - n0))
	check knob esp_trans_deflev 2
	n0=$(st out_nosa)
	timeout 5 ip netns exec "$A" kping6 -c 1 $KB >/dev/null 2>&1
	check_eq "esp_trans_deflev 2: default is require" 1 $(($(st out_nosa) - n0))
	check knob esp_trans_deflev 1
	check_fail knob esp_trans_deflev 3
	# no policy for 2001:db8::3: def_policy decides
	check ip -n "$B" -6 addr add 2001:db8::3/64 dev veth1 nodad
	check ip netns exec "$A" ndp -s 2001:db8::3 "$MAC_B"
	out=$(timeout 5 ip netns exec "$A" kping6 -c 1 2001:db8::3 2>&1)
	check_match "def_policy 1: no policy, no IPsec" '1 packets transmitted, 1 packets received' "$out"
	check knob def_policy 0
	n0=$(st out_polvio)
	out=$(timeout 5 ip netns exec "$A" kping6 -c 1 2001:db8::3 2>&1)
	check_match "def_policy 0: discarded" '1 packets transmitted, 0 packets received' "$out"
	check_eq "def_policy 0: out_polvio" 1 $(($(st out_polvio) - n0))
	n0=$(st in_polvio)
	ip netns exec "$B" ping -6 -c 1 -W 1 -I 2001:db8::3 $KA >/dev/null 2>&1
	check_eq "def_policy 0: inbound in_polvio" 1 $(($(st in_polvio) - n0))
	check knob def_policy 1
	check ip netns exec "$A" ndp -d 2001:db8::3
	check ip -n "$B" -6 addr del 2001:db8::3/64 dev veth1
	# esp_randpad: the same ping, ESP of random lengths (16-byte blocks)
	check sa_pair gcm
	printf 'spdupdate %s %s any -P out ipsec esp/transport//require;\n' $KA $KB | check sk -f -
	for n0 in -1 255; do
		check knob esp_randpad $n0
		pcap_start "$B" veth1 "$PCAP.p$n0" "ip6 proto 50 and src $KA"
		CAP_PID=$PCAP_PID
		timeout 20 ip netns exec "$A" kping6 -c 12 -i 0.2 $KB >/dev/null 2>&1
		pcap_stop "$CAP_PID"
		CAP_PID=
		lens=$(tcpdump -n -r "$PCAP.p$n0" 2>/dev/null |
			sed -n 's/.*length \([0-9]*\)$/\1/p' | sort -u | wc -l)
		if [ "$n0" = -1 ]; then
			check_eq "esp_randpad -1: one length" 1 "$lens"
		else
			check_eq "esp_randpad 255: several lengths" yes \
				"$([ "$lens" -ge 3 ] && echo yes || echo "no: $lens")"
		fi
	done
	out=$(ip netns exec "$B" ping -6 -c 3 -i 0.3 -W 3 $KA 2>&1)
	check_match "XFRM takes the random padding" '3 packets transmitted, 3 received' "$out"
	check knob esp_randpad -1
	log_test "ipsec: net.inet6.ipsec6 esp_trans_deflev, def_policy and esp_randpad"
}

# SA lifetimes: bytes (soft, then hard: the SA stops being used at once)
# and seconds, each EXPIRE seen by setkey -x, and an ACQUIRE there too
test_lifetimes() {
	local x=$PCAP.x out n0
	RET=0
	check sa_pair gcm
	# listening before the SAs come: 0x1003's soft limit is 2 s away
	ip netns exec "$A" setkey -x >"$x" 2>&1 &
	defer_pids+=($!)
	# (subscribed once it reports an SA that comes and goes)
	slowwait 10 sh -c "printf 'add 2001:db8::9 2001:db8::a esp 0x1009 -E aes-gcm-16 $GCM;\ndelete 2001:db8::9 2001:db8::a esp 0x1009;\n' |
		ip netns exec $A setkey -f - && grep -q 0x00001009 $x"
	printf 'delete %s %s esp 0x1001;\nadd %s %s esp 0x1001 -bs 300 -bh 600 -E aes-gcm-16 %s;\n' \
		$KA $KB $KA $KB $GCM | check sk -f -
	# an SA nothing uses, for the time limits
	printf 'add 2001:db8::7 2001:db8::8 esp 0x1003 -ls 2 -lh 4 -E aes-gcm-16 %s;\n' \
		$GCM | check sk -f -
	# 108 bytes of ICMPv6 a packet: the third crosses 300, the sixth 600
	out=$(timeout 10 ip netns exec "$A" kping6 -c 3 -i 0.3 -s 100 $KB 2>&1)
	check_match "three pings within the byte lifetime" '3 packets transmitted, 3 packets received' "$out"
	# the event of this SA, whole: 0x1003's may come first, and a
	# reader may see a write half done
	slowwait 5 sh -c "grep -A2 'expire (soft)' $x | grep -q 0x00001001"
	check_match "soft byte EXPIRE of 0x1001" "spi=4097(0x00001001)" \
		"$(grep -A2 "expire (soft)" "$x")"
	check_match "dying after the soft limit" "state=dying" \
		"$(sk -D | grep -A4 "esp mode=any spi=4097")"
	n0=$(st out_nosa)
	out=$(timeout 10 ip netns exec "$A" kping6 -c 4 -i 0.3 -s 100 $KB 2>&1)
	check_match "three more, then the hard limit" '4 packets transmitted, 3 packets received' "$out"
	check_eq "out_nosa: the SA used up" 1 $(($(st out_nosa) - n0))
	slowwait 5 sh -c "grep -A2 'expire (hard)' $x | grep -q 0x00001001"
	check_match "hard byte EXPIRE of 0x1001" "spi=4097(0x00001001)" \
		"$(grep -A2 "expire (hard)" "$x")"
	check_match "an ACQUIRE for the policy" "acquire for spid=" "$(cat "$x")"
	# 0x1003: soft after 2 s, hard after 4 s
	slowwait 8 sh -c "grep -A2 'expire (hard)' $x | grep -q 0x00001003"
	check_match "soft time EXPIRE of 0x1003" "spi=4099(0x00001003)" \
		"$(grep -A2 "expire (soft)" "$x")"
	check_match "hard time EXPIRE of 0x1003" "spi=4099(0x00001003)" \
		"$(grep -A2 "expire (hard)" "$x")"
	check_eq "both SAs gone" 0 "$(sk -D | grep -c "spi=4097\|spi=4099")"
	kame_kill_bg
	log_test "ipsec: soft and hard lifetimes in bytes and seconds, EXPIRE and ACQUIRE in setkey -x"
}

test_rmmod() {
	RET=0
	check rmmod kame_ipsec
	check_fail ip netns exec "$A" setkey -D
	check insmod "$KAME_IPSEC_KO"
	check rmmod kame_ipsec
	log_test "ipsec: rmmod with SAs and policies in place"
}

# 300 pings each way with 50 in flight, through the asynchronous paths.
# ping counts as lost what has not come two round trips after its last
# request: on the sanitizer kernel a request every 5 ms makes a queue that
# takes longer, so the interval grows with KAME_TIME_SCALE there.
async_flood() {	# ALG
	local i0 o0 out
	check sa_pair "$1"
	check_match "$1: pcrypt's transforms" '^driver *: pcrypt(' \
		"$(grep '^driver' /proc/crypto)"
	i0=$(st in_success)
	o0=$(st out_success)
	out=$(ip netns exec "$B" ping -6 -q -l 50 -c 300 -i "$(scaled 0.005)" \
		-W 10 $KA 2>&1)
	check_match "$1: 300 native pings, 50 in flight" \
		'300 packets transmitted, 300 received' "$out"
	out=$(timeout $((90 * KAME_TIME_SCALE)) ip netns exec "$A" \
		kping6 -q -f -l 50 -c 300 $KB 2>&1)
	check_match "$1: 300 kping6 pings, 50 in flight" \
		'300 packets transmitted, 300 packets received' "$out"
	# each packet once: 300 requests and 300 replies in, as many out
	check_eq "$1: in_success" $((i0 + 600)) "$(st in_success)"
	check_eq "$1: out_success" $((o0 + 600)) "$(st out_success)"
}

# Asynchronous transforms (the crypto API completes them later, here
# pcrypt's kworkers): the input resumes in the completion (trailer,
# replay window, the rest of the packet), so does the output (the send).
# Then rmmod under a flood waits for the transforms in flight, cleanly.
test_async() {
	local pid
	RET=0
	if ! modprobe pcrypt 2>/dev/null; then
		echo "SKIP: no pcrypt module"
		return 0
	fi
	check insmod "$KAME_IPSEC_KO" esp_async=1
	printf 'spdadd %s %s any -P out ipsec esp/transport//require;\nspdadd %s %s any -P in ipsec esp/transport//require;\n' \
		$KA $KB $KB $KA | sk -f -
	async_flood gcm
	async_flood cbc
	ip netns exec "$B" ping -6 -q -f -l 50 -w 15 $KA >/dev/null 2>&1 &
	pid=$!
	sleep 3
	check rmmod kame_ipsec
	wait "$pid"
	check_eq "kame_ipsec gone under the flood" 0 \
		"$(grep -c '^kame_ipsec ' /proc/modules)"
	check async_unload
	log_test "ipsec: asynchronous ESP (pcrypt), 300 pings 50 in flight both ways, rmmod under a flood"
}

if ! setup; then
	echo "SKIP: cannot set up (kame_ipsec.ko: $KAME_IPSEC_KO)"
	RET=1
	log_test "ipsec: setup"
	exit "$EXIT_STATUS"
fi
test_gcm
test_cbc
test_more_algs
test_badkey
test_levels
test_icmp_error_in
test_malformed
test_gif
test_knobs
test_lifetimes
test_rmmod
test_async
exit "$EXIT_STATUS"
