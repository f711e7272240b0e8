#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# AH (RFC 4302, kame_ipsec.ko) against Linux's XFRM (ip xfrm) with the
# same SAs on both hosts: transport mode with hmac-sha1, hmac-sha2-256
# and aes-xcbc-mac (pings and UDP both ways, AH on the wire with the
# payload readable behind it), an ESP and AH bundle (IPv6 | AH | ESP),
# tunnel mode between the hosts for an inner prefix pair; a wrong key, a
# replayed packet, a packet whose mutable fields changed on the way (it
# verifies) and one whose payload did (it does not); malformed AH from
# selftests/fuzz/ah_fuzz.py, each dropped with one ipsec6 counter; rmmod.
# Then the same with asynchronous authenticators (ah_async=1: cryptd):
# traffic, a wrong key, bursts, the bundle with ESP asynchronous too
# (pcrypt), tunnel mode, the malformed packets, rmmod under a flood.
#
#   +----- $A (KAME, kame_ipsec) ----+        +-- $B (native, XFRM) --+
#   |  veth0 2001:db8::1  setkey     |---AH---|  veth1 2001:db8::2    |
#   |        2001:db8:a::1 (inner)   |        |  lo 2001:db8:b::1     |
#   +--------------------------------+        +-----------------------+
#
# Both neighbour caches are static: no ND message meets the policies.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/ipsec.lib"

PCAP=/tmp/ah-$$
KA=2001:db8::1
KB=2001:db8::2
IA=2001:db8:a::1	# inner addresses of the tunnel
IB=2001:db8:b::1
SHA1=0x0202020202020202020202020202020202020202
SHA256=0x0303030303030303030303030303030303030303030303030303030303030303
XCBC=0x000102030405060708090a0b0c0d0e0f
GCM=0x0102030405060708090a0b0c0d0e0f1011121314

cleanup_ah() {
	[ -n "${CAP_PID:-}" ] && kill "$CAP_PID" 2>/dev/null
	rm -f "$PCAP".*
	kame_kill_bg
	cleanup_all_ns
	rmmod kame_ipsec 2>/dev/null
	async_unload
	cryptd_unload
}
trap cleanup_ah EXIT

# pcrypt (test_async), once loaded, is every user's implementation
async_unload() {
	[ -d /sys/module/pcrypt ] || return 0
	ip -n "$B" xfrm state flush 2>/dev/null
	slowwait 20 rmmod pcrypt 2>/dev/null
}

# so are cryptd's hash instances (test_ah_async), for the tests after
# this one; cryptd stays if another module uses it (a SIMD cipher)
cryptd_unload() {
	[ -d /sys/module/cryptd ] || return 0
	ip -n "$B" xfrm state flush 2>/dev/null
	slowwait 20 rmmod cryptd 2>/dev/null
	return 0
}

SEND="python3 $(dirname "$0")/ah_send.py"

# setkey's and XFRM's view of an authentication algorithm
kame_alg() {
	case $1 in
	sha1) echo "-A hmac-sha1 $SHA1" ;;
	sha256) echo "-A hmac-sha2-256 $SHA256" ;;
	xcbc) echo "-A aes-xcbc-mac $XCBC" ;;
	esac
}

xfrm_alg() {
	case $1 in
	sha1) echo "auth-trunc hmac(sha1) $SHA1 96" ;;
	sha256) echo "auth-trunc hmac(sha256) $SHA256 128" ;;
	xcbc) echo "auth-trunc xcbc(aes) $XCBC 96" ;;
	esac
}

# AH SAs 0x2001 (A to B) and 0x2002 (B to A) of ALG on both hosts, in
# MODE (transport or tunnel), after a flush of both SADs
ah_sas() {	# ALG [MODE]
	local mode=${2:-transport}
	# shellcheck disable=SC2046
	printf 'flush;\nadd %s %s ah 0x2001 -m %s %s;\nadd %s %s ah 0x2002 -m %s %s;\n' \
		$KA $KB "$mode" "$(kame_alg "$1")" $KB $KA "$mode" \
		"$(kame_alg "$1")" | sk -f - || return 1
	xf state flush
	# shellcheck disable=SC2046
	xf state add src $KA dst $KB proto ah spi 0x2001 mode "$mode" \
		$(xfrm_alg "$1") || return 1
	# shellcheck disable=SC2046
	xf state add src $KB dst $KA proto ah spi 0x2002 mode "$mode" \
		$(xfrm_alg "$1")
}

# host-to-host policies of both hosts: PROTOS is "ah" or "esp ah" (the
# order they are applied in, AH outermost)
host_policies() {	# PROTOS...
	local p kreq="" tmo=() tmi=()
	for p in "$@"; do
		kreq="$kreq $p/transport//require"
		tmo+=(tmpl src "$KB" dst "$KA" proto "$p" mode transport)
		tmi+=(tmpl src "$KA" dst "$KB" proto "$p" mode transport)
	done
	printf 'spdflush;\nspdadd %s %s any -P out ipsec%s;\nspdadd %s %s any -P in ipsec%s;\n' \
		$KA $KB "$kreq" $KB $KA "$kreq" | sk -f - || return 1
	xf policy flush
	xf policy add src $KB/128 dst $KA/128 dir out "${tmo[@]}" || return 1
	xf policy add src $KA/128 dst $KB/128 dir in "${tmi[@]}"
}

setup() {
	kame_native_pair
	ip -n "$B" -6 neigh replace $KA lladdr "$MAC_A" dev veth1 nud permanent
	ip netns exec "$A" ndp -s $KB "$MAC_B" >/dev/null
	insmod "$KAME_IPSEC_KO" || return 1
	host_policies ah
}

# the capture TEXT in the log when the test case has failed so far
show_wire() {	# TEXT
	[ "$RET" = 0 ] || sed 's/^/# wire: /' <<<"$1" | head -n 40
}

# A socat echo on PORT in B for one exchange
native_echo() {	# PORT: one datagram back to its sender (no fork at its arrival)
	ip netns exec "$B" python3 -c 'import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", int(sys.argv[1])))
s.settimeout(60)
d, a = s.recvfrom(2048)
s.sendto(d, a)' "$1" </dev/null >/dev/null 2>&1 &
	defer_pids+=($!)
	slowwait 10 sh -c "ip netns exec $B ss -uln | grep -q ':$1 '" ||
		fail_case "the echo does not listen on $1"
}

# Pings and UDP both ways; on the wire AH with the SPIs, ICMPv6 and UDP
# readable behind it, nothing in clear. Counts of AH-carried lines
# expected from A (and from B): 3 replies + 2 requests, 2 datagrams.
ah_traffic() {	# WHAT
	local out
	pcap_start "$B" veth1 "$PCAP.w" "ip6"
	CAP_PID=$PCAP_PID
	out=$(ip netns exec "$B" ping -6 -c 3 -i 0.3 -W 3 $KA 2>&1)
	check_match "$1: native ping to KAME" '3 packets transmitted, 3 received' "$out"
	out=$(timeout 8 ip netns exec "$A" kping6 -c 2 -i 0.5 $KB 2>&1)
	check_match "$1: kping6 to native" '2 packets transmitted, 2 packets received' "$out"
	bg_ready 10 "$PCAP.echo" "$A" kame-udp echo -n 1 9700 ||
		fail_case "$1: kame-udp echo did not start"
	out=$(echo ah-native-to-kame | ip netns exec "$B" socat -t 5 - UDP6:[$KA]:9700)
	check_eq "$1: UDP native to KAME and back" ah-native-to-kame "$out"
	native_echo 9701
	out=$(ip netns exec "$A" kame-udp send -t $((10 * KAME_TIME_SCALE)) $KB 9701 ah-kame-to-native)
	check_eq "$1: UDP KAME to native and back" \
		"from [$KB]:9701 17 bytes: ah-kame-to-native" "$out"
	pcap_stop "$CAP_PID"
	CAP_PID=
	out=$(tcpdump -n -r "$PCAP.w" 2>/dev/null)
	check_eq "$1: ICMPv6 in AH from KAME (spi 0x2001)" 5 \
		"$(grep -c "$KA > $KB: AH(spi=0x00002001,[^)]*): ICMP6, echo" <<<"$out")"
	check_eq "$1: ICMPv6 in AH from native (spi 0x2002)" 5 \
		"$(grep -c "$KB > $KA: AH(spi=0x00002002,[^)]*): ICMP6, echo" <<<"$out")"
	check_eq "$1: UDP in AH from KAME" 2 \
		"$(grep -c "$KA > $KB: AH(spi=0x00002001,[^)]*): .*UDP, length 1[78]" <<<"$out")"
	check_eq "$1: UDP in AH from native" 2 \
		"$(grep -c "$KB > $KA: AH(spi=0x00002002,[^)]*): .*UDP, length 1[78]" <<<"$out")"
	check_eq "$1: packets between the hosts without AH" 0 \
		"$(grep -E "($KA|$KB)[.0-9]* > ($KA|$KB)" <<<"$out" | grep -vc "AH(spi=")"
	# the payload is in clear behind AH
	check_eq "$1: the datagrams readable on the wire" 4 \
		"$(tcpdump -n -A -r "$PCAP.w" 2>/dev/null | grep -Ec 'ah-(native-to-kame|kame-to-native)')"
	show_wire "$out"
}

test_transport() {
	local alg ok0 out
	for alg in sha1 sha256 xcbc; do
		RET=0
		check ah_sas $alg
		ok0=$(st in_success)
		ah_traffic "$alg"
		check_eq "$alg: AH packets taken (in_success)" 7 $(($(st in_success) - ok0))
		log_test "ipsec: AH transport $alg against XFRM, ICMPv6 and UDP both ways"
	done
	RET=0
	out=$(sk -D 2>&1)
	check_match "setkey -D: the AH SA" $'^\tah mode=transport spi=8193(0x00002001)' "$out"
	check_match "setkey -D: its algorithm" $'^\tA: aes-xcbc-mac  00010203 04050607 ' "$out"
	log_test "ipsec: setkey -D shows AH SAs"
}

test_bundle() {	# [WHAT: asynchronous ESP]
	local out n0 what=${1:-}
	RET=0
	check ah_sas sha1
	printf 'add %s %s esp 0x3001 -m transport -E aes-gcm-16 %s;\nadd %s %s esp 0x3002 -m transport -E aes-gcm-16 %s;\n' \
		$KA $KB $GCM $KB $KA $GCM | check sk -f -
	[ -z "$what" ] || check_match "pcrypt's transforms" '^driver *: pcrypt(' \
		"$(grep '^driver' /proc/crypto)"
	check xf state add src $KA dst $KB proto esp spi 0x3001 mode transport \
		aead 'rfc4106(gcm(aes))' $GCM 128
	check xf state add src $KB dst $KA proto esp spi 0x3002 mode transport \
		aead 'rfc4106(gcm(aes))' $GCM 128
	check host_policies esp ah
	pcap_start "$B" veth1 "$PCAP.b" "ip6"
	CAP_PID=$PCAP_PID
	out=$(ip netns exec "$B" ping -6 -c 2 -i 0.3 -W 3 $KA 2>&1)
	check_match "native ping to KAME" '2 packets transmitted, 2 received' "$out"
	out=$(timeout 8 ip netns exec "$A" kping6 -c 2 -i 0.5 $KB 2>&1)
	check_match "kping6 to native" '2 packets transmitted, 2 packets received' "$out"
	pcap_stop "$CAP_PID"
	CAP_PID=
	out=$(tcpdump -n -r "$PCAP.b" 2>/dev/null)
	check_eq "IPv6 | AH | ESP from KAME" 4 \
		"$(grep -c "$KA > $KB: AH(spi=0x00002001,[^)]*): ESP(spi=0x00003001," <<<"$out")"
	check_eq "IPv6 | AH | ESP from native" 4 \
		"$(grep -c "$KB > $KA: AH(spi=0x00002002,[^)]*): ESP(spi=0x00003002," <<<"$out")"
	check_eq "anything else between the hosts" 0 \
		"$(grep -E "($KA|$KB)[.0-9]* > ($KA|$KB)" <<<"$out" | grep -vc "AH(spi=.*ESP(spi=")"
	show_wire "$out"
	# a bundle policy is not met by AH alone: B sends AH only
	check host_policies ah
	printf 'spdupdate %s %s any -P in ipsec esp/transport//require ah/transport//require;\n' \
		$KB $KA | check sk -f -
	n0=$(st in_polvio)
	out=$(ip netns exec "$B" ping -6 -c 1 -W 2 $KA 2>&1)
	check_match "AH without ESP refused" '1 packets transmitted, 0 received' "$out"
	check_eq "in_polvio" 1 $(($(st in_polvio) - n0))
	check host_policies ah
	log_test "ipsec: ESP and AH bundle against XFRM (IPv6 | AH | ESP) both ways$what"
}

# AH tunnel between the hosts for 2001:db8:a::/64 and 2001:db8:b::/64
test_tunnel() {	# [WHAT: asynchronous AH]
	local out
	RET=0
	check ah_sas sha256 tunnel
	check kame -n "$A" addr add $IA/64 dev veth0
	check kame -n "$A" route add 2001:db8:b::/64 via $KB dev veth0
	check ip -n "$B" -6 addr add $IB/128 dev lo
	check ip -n "$B" -6 route add 2001:db8:a::/64 via $KA dev veth1 src $IB
	slowwait 10 sh -c "! kame -n $A addr show | grep -q tentative"
	printf 'spdflush;\nspdadd 2001:db8:a::/64 2001:db8:b::/64 any -P out ipsec ah/tunnel/%s-%s/require;\nspdadd 2001:db8:b::/64 2001:db8:a::/64 any -P in ipsec ah/tunnel/%s-%s/require;\n' \
		$KA $KB $KB $KA | check sk -f -
	check xf policy flush
	check xf policy add src 2001:db8:b::/64 dst 2001:db8:a::/64 dir out \
		tmpl src $KB dst $KA proto ah mode tunnel
	check xf policy add src 2001:db8:a::/64 dst 2001:db8:b::/64 dir in \
		tmpl src $KA dst $KB proto ah mode tunnel
	# on A's side: Linux hands the inner packet of a tunnel it opened to
	# its input again on veth1, where a capture would see it a second time
	pcap_start "$A" veth0 "$PCAP.t" "ip6"
	CAP_PID=$PCAP_PID
	out=$(ip netns exec "$B" ping -6 -c 3 -i 0.3 -W 3 -I $IB $IA 2>&1)
	check_match "native ping through the tunnel" '3 packets transmitted, 3 received' "$out"
	out=$(timeout 8 ip netns exec "$A" kping6 -c 2 -i 0.5 -S $IA $IB 2>&1)
	check_match "kping6 through the tunnel" '2 packets transmitted, 2 packets received' "$out"
	pcap_stop "$CAP_PID"
	CAP_PID=
	out=$(tcpdump -n -r "$PCAP.t" 2>/dev/null)
	check_eq "outer $KA > $KB, AH, inner IPv6 (from KAME)" 5 \
		"$(grep -c "$KA > $KB: AH(spi=0x00002001,[^)]*): IP6 $IA > $IB: ICMP6, echo" <<<"$out")"
	check_eq "outer $KB > $KA, AH, inner IPv6 (from native)" 5 \
		"$(grep -c "$KB > $KA: AH(spi=0x00002002,[^)]*): IP6 $IB > $IA: ICMP6, echo" <<<"$out")"
	check_eq "inner packets outside the tunnel" 0 \
		"$(grep -c "^[0-9:.]* IP6 \($IA\|$IB\)" <<<"$out")"
	show_wire "$out"
	check kame -n "$A" route del 2001:db8:b::/64 dev veth0
	check kame -n "$A" addr del $IA dev veth0
	check ip -n "$B" -6 route del 2001:db8:a::/64 via $KA dev veth1
	check ip -n "$B" -6 addr del $IB/128 dev lo
	check host_policies ah
	log_test "ipsec: AH tunnel mode against XFRM, inner 2001:db8:a::/64 to 2001:db8:b::/64${1:-}"
}

# B's echo request to A in AH, captured to FILE
capture_request() {	# FILE
	pcap_start "$B" veth1 "$1" "ip6 proto 51 and src $KB"
	CAP_PID=$PCAP_PID
	ip netns exec "$B" ping -6 -c 1 -W 3 $KA >/dev/null 2>&1 ||
		fail_case "no answer to the ping to capture"
	pcap_stop "$CAP_PID"
	CAP_PID=
}

# a wrong key (XFRM's ALG) on B's side: each of two pings fails A's ICV
# check once, nothing is delivered
wrong_key() {	# ALG KEY
	local out n0 ok0
	check xf state delete src $KB dst $KA proto ah spi 0x2002
	check xf state add src $KB dst $KA proto ah spi 0x2002 mode transport \
		auth-trunc "$1" "$2" 96
	n0=$(st in_authfail)
	ok0=$(st in_success)
	out=$(ip netns exec "$B" ping -6 -c 2 -i 0.3 -W 1 $KA 2>&1)
	check_match "no answer with a wrong key" '2 packets transmitted, 0 received' "$out"
	check_eq "in_authfail, once per packet" 2 $(($(st in_authfail) - n0))
	check_eq "in_success with a wrong key" 0 $(($(st in_success) - ok0))
}

test_bad() {
	local out n0 ok0 rep0 dm0
	RET=0
	check ah_sas sha1
	dm0=$(kame_dmesg_lines)
	wrong_key 'hmac(sha1)' 0xffffffffffffffffffffffffffffffffffffffff
	# A's SA with a replay window (setkey -r counts bytes: 32 packets)
	check ah_sas sha1
	printf 'delete %s %s ah 0x2002;\nadd %s %s ah 0x2002 -m transport -r 4 %s;\n' \
		$KB $KA $KB $KA "$(kame_alg sha1)" | check sk -f -
	capture_request "$PCAP.r"
	rep0=$(st in_replay)
	ok0=$(st in_success)
	ip netns exec "$B" $SEND veth1 "$PCAP.r" asis
	sleep 1
	check_eq "in_replay: the echo request again" 1 $(($(st in_replay) - rep0))
	check_eq "in_success: the echo request again" 0 $(($(st in_success) - ok0))
	# without a window: a copy whose hop limit, traffic class and flow
	# label changed still verifies (A answers); one whose payload changed
	# does not
	check ah_sas sha1
	capture_request "$PCAP.m"
	ok0=$(st in_success)
	n0=$(st in_authfail)
	pcap_start "$B" veth1 "$PCAP.a" "ip6 proto 51 and src $KA"
	CAP_PID=$PCAP_PID
	ip netns exec "$B" $SEND veth1 "$PCAP.m" mutable
	sleep 1
	pcap_stop "$CAP_PID"
	CAP_PID=
	check_eq "mutable fields changed: verified" 1 $(($(st in_success) - ok0))
	check_eq "mutable fields changed: in_authfail" 0 $(($(st in_authfail) - n0))
	check_eq "mutable fields changed: answered" 1 \
		"$(tcpdump -n -r "$PCAP.a" 2>/dev/null | grep -c "AH(spi=0x00002001,.*echo reply")"
	ok0=$(st in_success)
	ip netns exec "$B" $SEND veth1 "$PCAP.m" payload
	sleep 1
	check_eq "a payload byte changed: in_authfail" 1 $(($(st in_authfail) - n0))
	check_eq "a payload byte changed: not taken" 0 $(($(st in_success) - ok0))
	check_eq "kernel log lines" "$dm0" "$(kame_dmesg_lines)"
	log_test "ipsec: AH wrong key, replay, mutable and immutable fields changed on the way"
}

# selftests/fuzz/ah_fuzz.py: each malformed packet dropped with the one
# counter the script expects
test_fuzz() {	# [WHAT: asynchronous AH]
	local want got dm0 c0 ok0
	RET=0
	check ah_sas sha1
	check ip -n "$B" -6 addr add 2001:db8::3/64 dev veth1 nodad
	# from any source (::), with a replay window, so that ::3's packets
	# reach every check
	printf 'add :: %s ah 0x2003 -m transport -r 4 %s;\n' $KA "$(kame_alg sha1)" |
		check sk -f -
	dm0=$(kame_dmesg_lines)
	c0=$(kame -n "$A" stats ipsec6 in_inval in_nosa in_authfail in_replay | paste -sd' ')
	ok0=$(st in_success)
	want=$(ip netns exec "$B" python3 "$KAME_TOP/selftests/fuzz/ah_fuzz.py" \
		2001:db8::3 $KA 0x2003 1200)
	sleep 2
	got=$(kame -n "$A" stats ipsec6 in_inval in_nosa in_authfail in_replay |
		paste -sd' ' | awk -v c0="$c0" '{ split(c0, a, " ");
		printf "in_inval %d in_nosa %d in_authfail %d in_replay %d",
		$1 - a[1], $2 - a[2], $3 - a[3], $4 - a[4] }')
	echo "# ah_fuzz: $got"
	check_eq "1200 malformed AH packets, each with its counter" "$want" "$got"
	check_eq "malformed AH packets taken" 0 $(($(st in_success) - ok0))
	# no slab, page poisoning or KASAN report, nor any other line
	check_eq "kernel log lines" "$dm0" "$(kame_dmesg_lines)"
	check ip -n "$B" -6 addr del 2001:db8::3/64 dev veth1
	log_test "ipsec: malformed AH (ah_fuzz.py), each dropped with one counter${1:-}"
}

test_rmmod() {
	RET=0
	check rmmod kame_ipsec
	check_fail ip netns exec "$A" setkey -D
	check insmod "$KAME_IPSEC_KO"
	check rmmod kame_ipsec
	log_test "ipsec: rmmod with AH SAs and policies in place"
}

# The bundle with ESP's transform asynchronous (esp_async=1: pcrypt): AH
# is applied in ESP's completion on output, and on input runs before ESP
# goes asynchronous.
test_async() {
	if ! modprobe pcrypt 2>/dev/null; then
		echo "SKIP: no pcrypt module"
		return 0
	fi
	RET=0
	check insmod "$KAME_IPSEC_KO" esp_async=1
	test_bundle " under asynchronous ESP (pcrypt)"
	RET=0
	check rmmod kame_ipsec
	check async_unload
	log_test "ipsec: rmmod after asynchronous ESP, pcrypt unloaded"
}

# The bundle with both transforms asynchronous (ah_async=1 esp_async=1):
# on output AH goes asynchronous in ESP's completion, on input ESP in
# AH's. Then on with both.
ah_esp_async() {
	modprobe pcrypt 2>/dev/null || return 0
	RET=0
	check rmmod kame_ipsec
	check insmod "$KAME_IPSEC_KO" ah_async=1 esp_async=1
	log_test "ipsec: kame_ipsec reloaded, AH (cryptd) and ESP (pcrypt) asynchronous"
	test_bundle " under asynchronous AH (cryptd) and ESP (pcrypt)"
	RET=0
	check cryptd_ahash "hmac(sha1"
	log_test "ipsec: the bundle's AH went through cryptd's hmac(sha1)"
}

# /proc/crypto has cryptd's asynchronous ahash around DRV (a prefix)
cryptd_ahash() {	# DRV
	awk -v RS= -v d="cryptd($1" 'index($0, "driver       : " d) &&
		/type *: ahash/ && /async *: yes/ { n++ } END { exit !n }' \
		/proc/crypto
}

# AH SAs whose authenticators are asynchronous (ah_async=1: cryptd, an
# ahash around any implementation): the ICV of the input is compared in
# the completion, which resumes the input; the output leaves from its
# completion. Against XFRM as in test_transport, then a wrong key, 100
# pings with 20 in flight each way, tunnel mode, malformed AH, rmmod
# under a flood.
test_ah_async() {
	local alg out in0 out0 dm0 pid kpid
	if ! modprobe cryptd 2>/dev/null; then
		echo "SKIP: no cryptd module"
		return 0
	fi
	check insmod "$KAME_IPSEC_KO" ah_async=1
	check host_policies ah
	for alg in sha256 xcbc; do
		RET=0
		check ah_sas $alg
		case $alg in
		sha256) check cryptd_ahash "hmac(sha256" ;;
		xcbc) check cryptd_ahash "xcbc(aes" ;;
		esac
		in0=$(st in_success)
		out0=$(st out_success)
		ah_traffic "$alg (async)"
		check_eq "$alg: in_success" 7 $(($(st in_success) - in0))
		check_eq "$alg: out_success" 7 $(($(st out_success) - out0))
		log_test "ipsec: asynchronous AH (cryptd) transport $alg against XFRM, ICMPv6 and UDP both ways"
	done
	RET=0
	dm0=$(kame_dmesg_lines)
	wrong_key 'xcbc(aes)' 0xffffffffffffffffffffffffffffffff
	check ah_sas sha256
	in0=$(st in_success)
	out0=$(st out_success)
	out=$(ip netns exec "$B" ping -6 -q -l 20 -c 100 -i "$(scaled 0.005)" \
		-W 10 $KA 2>&1)
	check_match "100 native pings, 20 in flight" \
		'100 packets transmitted, 100 received' "$out"
	out=$(timeout $((90 * KAME_TIME_SCALE)) ip netns exec "$A" \
		kping6 -q -f -l 20 -c 100 $KB 2>&1)
	check_match "100 kping6 pings, 20 in flight" \
		'100 packets transmitted, 100 packets received' "$out"
	check_eq "in_success" 200 $(($(st in_success) - in0))
	check_eq "out_success" 200 $(($(st out_success) - out0))
	check_eq "kernel log lines" "$dm0" "$(kame_dmesg_lines)"
	log_test "ipsec: asynchronous AH, a wrong key in in_authfail, 100 pings 20 in flight both ways"
	ah_esp_async
	test_tunnel " under asynchronous AH (cryptd)"
	test_fuzz " under asynchronous AH (cryptd)"
	RET=0
	check ah_sas sha256
	dm0=$(kame_dmesg_lines)
	ip netns exec "$B" ping -6 -q -f -l 50 -w 15 $KA >/dev/null 2>&1 &
	pid=$!
	timeout 15 ip netns exec "$A" kping6 -q -f -l 50 -c 100000 $KB \
		>/dev/null 2>&1 &
	kpid=$!
	sleep 3
	check rmmod kame_ipsec
	wait "$pid" "$kpid"
	check_eq "kame_ipsec gone under the flood" 0 \
		"$(grep -c '^kame_ipsec ' /proc/modules)"
	check_eq "kernel log lines" "$dm0" "$(kame_dmesg_lines)"
	check cryptd_unload
	log_test "ipsec: rmmod under a flood both ways through asynchronous AH"
}

if ! setup; then
	echo "SKIP: cannot set up (kame_ipsec.ko: $KAME_IPSEC_KO)"
	RET=1
	log_test "ipsec: setup"
	exit "$EXIT_STATUS"
fi
test_transport
test_bundle
test_tunnel
test_bad
test_fuzz
test_rmmod
test_async
test_ah_async
exit "$EXIT_STATUS"
