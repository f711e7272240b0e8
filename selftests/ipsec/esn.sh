#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# 64-bit Extended Sequence Numbers (RFC 4303 2.2.1, A2; RFC 4302) of
# kame_ipsec.ko against Linux's XFRM ("flag esn replay-window 1024"),
# both SAs started just below 2^32 (setkey's -seq, iproute2's replay-oseq
# and replay-seq): ESP aes-gcm-16, chacha20-poly1305, aes-cbc with
# hmac-sha2-256 and AH hmac-sha2-256, pings both ways across the
# boundary with the 32-bit field seen wrapping on the wire; replayed
# packets dropped (in_replay), old ones whose high half the window
# guesses wrong failing the ICV (in_authfail), never taken; windows of
# 1024 packets with and without ESN (out of order taken, seen and too
# old dropped); ESN on one side only failing authentication, both ways;
# SAs without the cyclic flag stopping at 2^64 - 1 (2^32 - 1 without
# ESN); random and malformed ESP and AH (selftests/fuzz) to ESN SAs.
#
#   +----- $A (KAME, kame_ipsec) ----+        +-- $B (native, XFRM) --+
#   |  veth0 2001:db8::1  setkey     |--ESP---|  veth1 2001:db8::2    |
#   +--------------------------------+  /AH   +-----------------------+
#
# A to B: SPI 0x1001 (ESP) or 0x2001 (AH); B to A: 0x1002 or 0x2002.
# Both neighbour caches are static: no ND message meets the policies.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/ipsec.lib"

PCAP=/tmp/esn-$$
KA=2001:db8::1
KB=2001:db8::2
GCM=0x0102030405060708090a0b0c0d0e0f1011121314		# 128-bit key + salt
AES=0x000102030405060708090a0b0c0d0e0f
SHA=0x0101010101010101010101010101010101010101010101010101010101010101
SHA1=0x0202020202020202020202020202020202020202
CHACHA=0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f01020304
WRAP=0xfffffffd		# both SAs' last number: 0xfffffffe is the first

cleanup_esn() {
	kame_kill_bg
	[ -n "${CAP_PID:-}" ] && kill "$CAP_PID" 2>/dev/null
	rm -f "$PCAP".*
	cleanup_all_ns
	rmmod kame_ipsec 2>/dev/null
}
trap cleanup_esn EXIT

SEND="python3 $(dirname "$0")/esp_send.py"

proto_of() { [ "$1" = ah ] && echo ah || echo esp; }
spi_out() { [ "$1" = ah ] && echo 0x2001 || echo 0x1001; }	# A to B
spi_in() { [ "$1" = ah ] && echo 0x2002 || echo 0x1002; }	# B to A

kame_alg() {
	case $1 in
	gcm) echo "-E aes-gcm-16 $GCM" ;;
	chacha) echo "-E chacha20-poly1305 $CHACHA" ;;
	cbc) echo "-E aes-cbc $AES -A hmac-sha2-256 $SHA" ;;
	ah) echo "-A hmac-sha2-256 $SHA" ;;
	esac
}

xfrm_alg() {
	case $1 in
	gcm) echo "aead rfc4106(gcm(aes)) $GCM 128" ;;
	chacha) echo "aead rfc7539esp(chacha20,poly1305) $CHACHA 128" ;;
	cbc) echo "enc cbc(aes) $AES auth-trunc hmac(sha256) $SHA 128" ;;
	ah) echo "auth-trunc hmac(sha256) $SHA 128" ;;
	esac
}

# host-to-host policies of PROTO (esp or ah) on both hosts
host_policies() {	# PROTO
	printf 'spdflush;\nspdadd %s %s any -P out ipsec %s/transport//require;\nspdadd %s %s any -P in ipsec %s/transport//require;\n' \
		$KA $KB "$1" $KB $KA "$1" | sk -f - || return 1
	xf policy flush
	xf policy add src $KB/128 dst $KA/128 dir out \
		tmpl src $KB dst $KA proto "$1" mode transport || return 1
	xf policy add src $KA/128 dst $KB/128 dir in \
		tmpl src $KA dst $KB proto "$1" mode transport
}

# XFRM's SA of B from SRC to DST (SPI) that starts at SEQ (64 bits): its
# output side (oseq) or its input side (seq, the top of its window)
xfrm_sa() {	# ALG ESN(esn|"") SRC DST SPI SEQ o|""
	local alg=$1 esn=$2 src=$3 dst=$4 spi=$5 seq=$(($6)) o=$7
	local -a x=(replay-window 1024 "replay-${o}seq" $((seq & 0xffffffff)))
	[ -n "$esn" ] && x+=(flag esn "replay-${o}seq-hi" $(((seq >> 32) & 0xffffffff)))
	# shellcheck disable=SC2046
	xf state add src "$src" dst "$dst" proto "$(proto_of "$alg")" \
		spi "$spi" mode transport $(xfrm_alg "$alg") "${x[@]}"
}

# Both hosts' SAs of ALG: KAME with or without ESN (KESN), XFRM with or
# without it (XESN), both directions starting after SEQ; KAME's inbound
# window WIN bytes (-r, 128: 1024 packets), KEXTRA more of KAME's
# outbound extensions.
pair() {	# ALG KESN XESN SEQ [WIN [KEXTRA]]
	local alg=$1 kesn=${2:+-f esn} xesn=$3 seq=$4 win=${5:-128} kx=${6:-}
	local p
	p=$(proto_of "$alg")
	printf 'flush;\nadd %s %s %s %s %s %s -seq %s %s;\nadd %s %s %s %s %s -r %s -seq %s %s;\n' \
		$KA $KB "$p" "$(spi_out "$alg")" "$kesn" "$kx" "$seq" "$(kame_alg "$alg")" \
		$KB $KA "$p" "$(spi_in "$alg")" "$kesn" "$win" "$seq" "$(kame_alg "$alg")" |
		sk -f - || return 1
	xf state flush
	xfrm_sa "$alg" "$xesn" $KA $KB "$(spi_out "$alg")" "$seq" "" || return 1
	xfrm_sa "$alg" "$xesn" $KB $KA "$(spi_in "$alg")" "$seq" o
}

# B's outbound SA again, its next packet after SEQ
xfrm_reout() {	# ALG ESN SEQ
	xf state delete src $KB dst $KA proto "$(proto_of "$1")" spi "$(spi_in "$1")"
	xfrm_sa "$1" "$2" $KB $KA "$(spi_in "$1")" "$3" o
}

setup() {
	kame_native_pair
	ip -n "$B" -6 neigh replace $KA lladdr "$MAC_A" dev veth1 nud permanent
	ip netns exec "$A" ndp -s $KB "$MAC_B" >/dev/null
	insmod "$KAME_IPSEC_KO" || return 1
	host_policies esp
}

# The sequence numbers of SPI in capture FILE, in order, on one line
# (tcpdump: "ESP(spi=0x00001001,seq=0x1)", "AH(spi=0x00002001,seq=0x1)")
wire_seqs() {	# FILE SPI
	tcpdump -n -r "$1" 2>/dev/null |
		sed -nE "s/.*spi=0x0000${2#0x}(,sumlen=[0-9]+)?,seq=(0x[0-9a-f]+).*/\2/p" |
		paste -sd' '
}

# KAME's dump of SA SPI: its "seq=" or "rseq=" value
dump_seq() {	# SPI seq|rseq
	sk -D | grep -A5 "spi=$(($1))(" | grep -oE "(^|[[:space:]])$2=0x[0-9a-f]+" |
		sed 's/.*=//'
}

# ping from B (3) and kping6 from A (2) across 2^32: both SAs of each
# host wrap, the wire shows 0xfffffffe 0xffffffff 0x0 0x1 0x2 each way
test_wrap() {	# ALG TITLE
	local alg=$1 out seqs
	RET=0
	check host_policies "$(proto_of "$alg")"
	check pair "$alg" esn esn $WRAP
	pcap_start "$B" veth1 "$PCAP.w" "ip6"
	CAP_PID=$PCAP_PID
	out=$(ip netns exec "$B" ping -6 -c 3 -i 0.3 -W 3 $KA 2>&1)
	check_match "native ping to KAME across 2^32" '3 packets transmitted, 3 received' "$out"
	out=$(timeout 8 ip netns exec "$A" kping6 -c 2 -i 0.5 $KB 2>&1)
	check_match "kping6 to native after 2^32" '2 packets transmitted, 2 packets received' "$out"
	pcap_stop "$CAP_PID"
	CAP_PID=
	seqs="0xfffffffe 0xffffffff 0x0 0x1 0x2"
	check_eq "wire: KAME's 32-bit field wraps ($(spi_out "$alg"))" "$seqs" \
		"$(wire_seqs "$PCAP.w" "$(spi_out "$alg")")"
	check_eq "wire: XFRM's 32-bit field wraps ($(spi_in "$alg"))" "$seqs" \
		"$(wire_seqs "$PCAP.w" "$(spi_in "$alg")")"
	check_eq "no cleartext ICMPv6 between the hosts" 0 \
		"$(tcpdump -n -r "$PCAP.w" 2>/dev/null | grep -Ec "($KA > $KB|$KB > $KA): ICMP6")"
	check_eq "setkey -D: outbound seq, 64 bits" 0x0000000100000002 \
		"$(dump_seq "$(spi_out "$alg")" seq)"
	check_eq "setkey -D: inbound rseq, 64 bits" 0x0000000100000002 \
		"$(dump_seq "$(spi_in "$alg")" rseq)"
	log_test "ipsec: ESN $2 against XFRM, both ways across 2^32"
}

# The counters ipsec6 in_replay in_authfail in_success moved since R0
moved() {	# "R0 A0 S0"
	local r a s r0 a0 s0
	read -r r0 a0 s0 <<<"$1"
	read -r r a s < <(kame -n "$A" stats ipsec6 in_replay in_authfail in_success | paste -sd' ')
	echo "$((r - r0)) $((a - a0)) $((s - s0))"
}
counters() { kame -n "$A" stats ipsec6 in_replay in_authfail in_success | paste -sd' '; }

# B's packets across 2^32 sent again: within the window (8 packets) they
# are replays; once the window has moved on past them, the high half it
# infers for them is the next block's (RFC 4303 A2.2), so their ICV
# fails: nothing old is ever taken.
test_replay() {
	local out c0
	RET=0
	check host_policies esp
	check pair gcm esn esn $WRAP 1
	pcap_start "$B" veth1 "$PCAP.r" "ip6 proto 50 and src $KB"
	CAP_PID=$PCAP_PID
	out=$(ip netns exec "$B" ping -6 -c 4 -i 0.3 -W 3 $KA 2>&1)
	check_match "4 pings across 2^32" '4 packets transmitted, 4 received' "$out"
	pcap_stop "$CAP_PID"
	CAP_PID=
	check_eq "captured" "0xfffffffe 0xffffffff 0x0 0x1" "$(wire_seqs "$PCAP.r" 0x1002)"
	c0=$(counters)
	ip netns exec "$B" $SEND replay veth1 "$PCAP.r"
	sleep 1
	check_eq "sent again at once: in_replay in_authfail in_success" "4 0 0" "$(moved "$c0")"
	out=$(ip netns exec "$B" ping -6 -c 10 -i 0.2 -W 3 $KA 2>&1)
	check_match "10 pings more" '10 packets transmitted, 10 received' "$out"
	c0=$(counters)
	ip netns exec "$B" $SEND replay veth1 "$PCAP.r"
	sleep 1
	check_eq "sent again 10 later: a wrong high half fails the ICV (in_replay in_authfail in_success)" \
		"0 4 0" "$(moved "$c0")"
	check_eq "rseq unmoved by them" 0x000000010000000b "$(dump_seq 0x1002 rseq)"
	out=$(ip netns exec "$B" ping -6 -c 2 -i 0.3 -W 3 $KA 2>&1)
	check_match "pings still pass" '2 packets transmitted, 2 received' "$out"
	log_test "ipsec: ESN replayed packets (in_replay), old ones fail the ICV (in_authfail)"
}

# A window of 1024 packets (setkey -r 128): B's SA started again at other
# numbers: a packet 500 behind the top but unseen is taken, one seen 1000
# behind is a replay, one 1100 behind too old: without ESN a replay, with
# ESN (the window across 2^32) one whose high half is guessed a block on,
# failing the ICV.
test_window() {	# ESN(esn|"") START
	local esn=$1 s=$(($2)) out c0 old
	RET=0
	check pair gcm "$esn" "$esn" "$s"
	pcap_start "$B" veth1 "$PCAP.1" "ip6 proto 50 and src $KB"
	CAP_PID=$PCAP_PID
	out=$(ip netns exec "$B" ping -6 -c 1 -W 3 $KA 2>&1)
	check_match "a ping, seq START+1" '1 packets transmitted, 1 received' "$out"
	pcap_stop "$CAP_PID"
	CAP_PID=
	check xfrm_reout gcm "$esn" $((s + 1000))
	out=$(ip netns exec "$B" ping -6 -c 1 -W 3 $KA 2>&1)
	check_match "a ping 1000 on" '1 packets transmitted, 1 received' "$out"
	check xfrm_reout gcm "$esn" $((s + 500))
	out=$(ip netns exec "$B" ping -6 -c 1 -W 3 $KA 2>&1)
	check_match "a ping 500 behind the top, unseen: taken" '1 packets transmitted, 1 received' "$out"
	c0=$(counters)
	ip netns exec "$B" $SEND replay veth1 "$PCAP.1"
	sleep 1
	check_eq "the first again, 1000 behind: in_replay in_authfail in_success" "1 0 0" "$(moved "$c0")"
	check xfrm_reout gcm "$esn" $((s + 1100))
	out=$(ip netns exec "$B" ping -6 -c 1 -W 3 $KA 2>&1)
	check_match "a ping 1100 on" '1 packets transmitted, 1 received' "$out"
	c0=$(counters)
	ip netns exec "$B" $SEND replay veth1 "$PCAP.1"
	sleep 1
	[ -n "$esn" ] && old="0 1 0" || old="1 0 0"
	check_eq "the first again, 1100 behind: in_replay in_authfail in_success" "$old" "$(moved "$c0")"
	log_test "ipsec: a replay window of 1024 packets ${esn:-without ESN}${esn:+ across 2^32}"
}

# XFRM's count of packets whose ICV failed at $B; nothing when the
# kernel has no CONFIG_XFRM_STATISTICS (the sanitizer kernel of
# make check-debug)
xfrm_proto_errors() {
	[ -r /proc/net/xfrm_stat ] || return 0
	ip netns exec "$B" awk '/XfrmInStateProtoError/ { print $2 }' /proc/net/xfrm_stat
}

# KAME without ESN, XFRM with it (and the other way): the ICVs differ
# from the first packet on, even with the high half 0
test_mismatch() {
	local alg out c0 x0
	RET=0
	for alg in gcm cbc ah; do
		check host_policies "$(proto_of "$alg")"
		check pair "$alg" "" esn 0
		c0=$(counters)
		out=$(ip netns exec "$B" ping -6 -c 2 -i 0.3 -W 1 $KA 2>&1)
		check_match "$alg: KAME without ESN, XFRM with: no answer" '2 packets transmitted, 0 received' "$out"
		check_eq "$alg: in_replay in_authfail in_success" "0 2 0" "$(moved "$c0")"
		check pair "$alg" esn "" 0
		x0=$(xfrm_proto_errors)
		out=$(timeout 8 ip netns exec "$A" kping6 -c 2 -i 0.5 $KB 2>&1)
		check_match "$alg: KAME with ESN, XFRM without: no answer" '2 packets transmitted, 0 packets received' "$out"
		[ -n "$x0" ] && check_eq "$alg: XFRM's XfrmInStateProtoError" 2 \
			$(($(xfrm_proto_errors) - x0))
	done
	check host_policies esp
	log_test "ipsec: ESN on one side only fails authentication (ESP gcm, cbc, AH)"
}

# -f nocyclic-seq with ESN: the last number is 2^64 - 1, then out_inval;
# without ESN 2^32 - 1
test_nocyclic() {
	local out n0
	RET=0
	check pair gcm "" "" 0xfffffffe 128 "-f nocyclic-seq"
	n0=$(st out_inval)
	out=$(timeout 8 ip netns exec "$A" kping6 -c 2 -i 0.5 $KB 2>&1)
	check_match "without ESN: one ping at 2^32 - 1, no second" '2 packets transmitted, 1 packets received' "$out"
	check_eq "without ESN: out_inval" 1 $(($(st out_inval) - n0))
	check_eq "without ESN: setkey -D: seq stays at the last" 0xffffffff "$(dump_seq 0x1001 seq)"
	check pair gcm esn esn 0xfffffffffffffffe 128 "-f nocyclic-seq"
	n0=$(st out_inval)
	out=$(timeout 8 ip netns exec "$A" kping6 -c 2 -i 0.5 $KB 2>&1)
	check_match "one ping at 2^64 - 1, no second" '2 packets transmitted, 1 packets received' "$out"
	check_eq "out_inval: the SA used up" 1 $(($(st out_inval) - n0))
	check_eq "setkey -D: seq stays at the last" 0xffffffffffffffff "$(dump_seq 0x1001 seq)"
	out=$(timeout 8 ip netns exec "$A" kping6 -c 1 $KB 2>&1)
	check_match "and nothing more" '1 packets transmitted, 0 packets received' "$out"
	check_eq "out_inval again" 2 $(($(st out_inval) - n0))
	check_eq "setkey -D: seq still the last" 0xffffffffffffffff "$(dump_seq 0x1001 seq)"
	log_test "ipsec: without the cyclic flag: the end at 2^64 - 1 with ESN, 2^32 - 1 without"
}

# selftests/fuzz: random ESP (aes-gcm-16, and aes-cbc with hmac-sha2-256
# through authencesn) and malformed AH to ESN SAs whose window's top is
# just below 2^32 (the inference at its edge): each packet dropped with
# one counter, none taken, no kernel log line
test_fuzz() {
	local want got dm0 c0 ok0 spi n
	RET=0
	check ip -n "$B" -6 addr add 2001:db8::3/64 dev veth1 nodad
	# from any source (::), so that ::3's packets (outside B's policies)
	# reach every check
	printf 'flush;\nadd :: %s esp 0x1003 -f esn -r 128 -seq %s %s;\nadd :: %s esp 0x1004 -f esn -r 128 -seq %s %s;\nadd :: %s ah 0x2003 -f esn -r 128 -seq %s -A hmac-sha1 %s;\n' \
		$KA $WRAP "$(kame_alg gcm)" $KA $WRAP "$(kame_alg cbc)" $KA $WRAP "$SHA1" |
		check sk -f -
	dm0=$(kame_dmesg_lines)
	ok0=$(st in_success)
	for spi in 0x1003 0x1004; do
		c0=$(kame -n "$A" stats ipsec6 in_inval in_nosa in_authfail in_replay | paste -sd' ')
		ip netns exec "$B" python3 "$KAME_TOP/selftests/fuzz/esp_fuzz.py" \
			2001:db8::3 $KA $spi 1000
		sleep 2
		n=$(kame -n "$A" stats ipsec6 in_inval in_nosa in_authfail in_replay |
			paste -sd' ' | awk -v c0="$c0" '{ split(c0, a, " ");
			print $1 - a[1] + $2 - a[2] + $3 - a[3] + $4 - a[4] }')
		check_eq "esp_fuzz, SA $spi: 1000 random ESP packets, each dropped once" 1000 "$n"
	done
	c0=$(kame -n "$A" stats ipsec6 in_inval in_nosa in_authfail in_replay | paste -sd' ')
	want=$(ip netns exec "$B" python3 "$KAME_TOP/selftests/fuzz/ah_fuzz.py" \
		2001:db8::3 $KA 0x2003 600 0x6168 esn)
	sleep 2
	got=$(kame -n "$A" stats ipsec6 in_inval in_nosa in_authfail in_replay |
		paste -sd' ' | awk -v c0="$c0" '{ split(c0, a, " ");
		printf "in_inval %d in_nosa %d in_authfail %d in_replay %d",
		$1 - a[1], $2 - a[2], $3 - a[3], $4 - a[4] }')
	echo "# ah_fuzz esn: $got"
	check_eq "ah_fuzz esn: 600 malformed AH packets, each with its counter" "$want" "$got"
	check_eq "random packets taken" 0 $(($(st in_success) - ok0))
	check_eq "rseq unmoved" "$(printf '0x%016x' $WRAP)" "$(dump_seq 0x1003 rseq)"
	check_eq "kernel log lines" "$dm0" "$(kame_dmesg_lines)"
	check ip -n "$B" -6 addr del 2001:db8::3/64 dev veth1
	log_test "ipsec: random ESP and malformed AH to ESN SAs at the edge of 2^32 (fuzz)"
}

if ! setup; then
	echo "SKIP: cannot set up (kame_ipsec.ko: $KAME_IPSEC_KO)"
	RET=1
	log_test "ipsec: setup"
	exit "$EXIT_STATUS"
fi
test_wrap gcm "ESP aes-gcm-16"
test_wrap chacha "ESP chacha20-poly1305"
test_wrap cbc "ESP aes-cbc+hmac-sha2-256 (authencesn)"
test_wrap ah "AH hmac-sha2-256"
test_replay
test_window "" 0x10000
test_window esn 0xffffff00
test_mismatch
test_nocyclic
test_fuzz
exit "$EXIT_STATUS"
