#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Per-socket IPsec policies (IPV6_IPSEC_POLICY, ipsec_set_policy(3)) on
# AF_KAME UDP sockets against Linux's XFRM: a socket's "out ipsec" sends
# ESP with an empty SPD while another socket sends in clear; "out bypass"
# and "out discard" beside an SPD that requires ESP (bypass refused
# without CAP_NET_ADMIN); an "in ipsec" socket refuses cleartext (each
# datagram once in in_polvio, not delivered) and takes ESP; malformed
# policies, getsockopt, the library's errors and random policies; rmmod
# with sockets holding policies.
#
#   +----- $A (KAME, kame_ipsec) ----+        +-- $B (native, XFRM) --+
#   |  veth0 2001:db8::1  sockets    |--------|  veth1 2001:db8::2    |
#   +--------------------------------+        +-----------------------+
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/ipsec.lib"

SOCK=$KAME_TOP/build/helpers/ipsec/kame_ipsec_sock
TMP=$(mktemp -d)
KA=2001:db8::1
KB=2001:db8::2
GCM=0x0102030405060708090a0b0c0d0e0f1011121314
# a receiver ends after this many seconds without a datagram (scaled:
# the sanitizer kernel starts programs ten times slower)
IDLE=$((12 * KAME_TIME_SCALE))
ESP_OUT="out ipsec esp/transport//require"
ESP_IN="in ipsec esp/transport//require"
DMESG0=$(dmesg | grep -c -E 'WARNING|BUG|Oops')

cleanup_sp() {
	kame_kill_bg
	rm -rf "$TMP"
	cleanup_all_ns
	rmmod kame_ipsec 2>/dev/null
}
trap cleanup_sp EXIT

# the helper in A, or natively (AF_INET6) in B
ka() { ip netns exec "$A" "$SOCK" "$@"; }
nb() { ip netns exec "$B" env KAME_FAMILY=inet6 "$SOCK" "$@"; }

setup() {
	kame_native_pair
	ip -n "$B" -6 neigh replace $KA lladdr "$MAC_A" dev veth1 nud permanent
	ip netns exec "$A" ndp -s $KB "$MAC_B" >/dev/null
	insmod "$KAME_IPSEC_KO" || return 1
	printf 'flush;\nspdflush;\nadd %s %s esp 0x1001 -E aes-gcm-16 %s;\nadd %s %s esp 0x1002 -E aes-gcm-16 %s;\n' \
		$KA $KB $GCM $KB $KA $GCM | sk -f - || return 1
	xf state add src $KA dst $KB proto esp spi 0x1001 mode transport \
		aead 'rfc4106(gcm(aes))' $GCM 128 || return 1
	xf state add src $KB dst $KA proto esp spi 0x1002 mode transport \
		aead 'rfc4106(gcm(aes))' $GCM 128 || return 1
	# B wants ESP on port 9001 only, and sends ESP from its port 9300
	xf policy add src $KA/128 dst $KB/128 proto udp dport 9001 dir in \
		tmpl src $KA dst $KB proto esp mode transport || return 1
	xf policy add src $KB/128 dst $KA/128 proto udp sport 9300 dir out \
		tmpl src $KB dst $KA proto esp mode transport
}

# B's receiver on PORT for COUNT datagrams, its output in $TMP/rPORT
b_recv() {	# PORT COUNT
	bg_ready 10 "$TMP/r$1" "$B" env KAME_FAMILY=inet6 "$SOCK" recv "$1" "$2" $IDLE ||
		fail_case "B's receiver on $1 did not start"
}

# what the receiver of PORT printed last (after it ended: COUNT came, or
# $IDLE s without a datagram; tcpdump would decode ports 7000-7009 as AFS)
got() {	# LOGPREFIX PORT
	slowwait 30 grep -q '^got' "$TMP/$1$2"
	grep '^got' "$TMP/$1$2"
}

# 1: a socket's own "out ipsec" with an empty SPD; another socket in clear
test_out_ipsec() {
	local out o1 o2 pid
	RET=0
	check_eq "the SPD is empty" "No SPD entries." "$(sk -DP 2>&1)"
	b_recv 9001 3
	b_recv 9002 3
	pcap_start "$B" veth1 "$TMP/w1" "ip6 and (udp or esp)"
	ka -p "$ESP_OUT" send $KB 9001 3 >"$TMP/s1" 2>&1 &
	pid=$!
	o2=$(ka send $KB 9002 3 2>&1)
	wait $pid
	o1=$(cat "$TMP/s1")
	check_eq "ESP socket sent" "sent 3 failed 0" "$o1"
	check_eq "plain socket sent" "sent 3 failed 0" "$o2"
	check_eq "B got the ESP ones (XFRM requires ESP on 9001)" "got 3" "$(got r 9001)"
	check_eq "B got the clear ones" "got 3" "$(got r 9002)"
	pcap_stop "$PCAP_PID"
	out=$(tcpdump -n -r "$TMP/w1" 2>/dev/null)
	check_eq "ESP on the wire (spi 0x1001)" 3 \
		"$(grep -c "$KA > $KB: ESP(spi=0x00001001" <<<"$out")"
	check_eq "no cleartext to 9001" 0 "$(grep -c "$KA\.[0-9]* > $KB\.9001: UDP" <<<"$out")"
	check_eq "cleartext to 9002" 3 "$(grep -c "$KA\.[0-9]* > $KB\.9002: UDP" <<<"$out")"
	kame_kill_bg
	log_test "ipsec: a socket's out ipsec policy with an empty SPD, another socket in clear"
}

# 2: the SPD requires ESP to B; bypass (root only) and discard sockets
test_out_bypass_discard() {
	local out n0
	RET=0
	printf 'spdadd %s %s any -P out ipsec esp/transport//require;\n' \
		$KA $KB | check sk -f -
	b_recv 9003 3
	b_recv 9001 2
	pcap_start "$B" veth1 "$TMP/w2" "ip6 and (udp or esp)"
	out=$(ka -p "out bypass" send $KB 9003 3 2>&1)
	check_eq "bypass socket sent" "sent 3 failed 0" "$out"
	out=$(ka send $KB 9001 2 2>&1)
	check_eq "plain socket sent (the SPD's ESP)" "sent 2 failed 0" "$out"
	check_eq "B got the bypass ones in clear" "got 3" "$(got r 9003)"
	check_eq "B got the SPD's ESP ones" "got 2" "$(got r 9001)"
	pcap_stop "$PCAP_PID"
	out=$(tcpdump -n -r "$TMP/w2" 2>/dev/null)
	check_eq "cleartext from bypass" 3 "$(grep -c "$KA\.[0-9]* > $KB\.9003: UDP" <<<"$out")"
	check_eq "ESP from the SPD" 2 "$(grep -c "$KA > $KB: ESP(spi=0x00001001" <<<"$out")"
	n0=$(st out_polvio)
	out=$(ka -p "out discard" send $KB 9003 3 2>&1)
	check_eq "discard socket: EACCES" "sent 0 failed 3 EACCES" "$out"
	check_eq "out_polvio" 3 $(($(st out_polvio) - n0))
	out=$(ip netns exec "$A" setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all "$SOCK" -p "out bypass" send $KB 9003 1 2>&1)
	check_eq "unprivileged bypass" "setsockopt: EACCES" "$out"
	out=$(ip netns exec "$A" setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all "$SOCK" -p "out none" send $KB 9003 1 2>&1)
	check_eq "unprivileged none is allowed" "sent 1 failed 0" "$out"
	check sk -FP
	kame_kill_bg
	log_test "ipsec: out bypass (privileged) and out discard beside an SPD requiring ESP"
}

# 3: an "in ipsec" socket refuses cleartext, exactly once each, and
# takes ESP; a socket without a policy takes the cleartext
test_in_ipsec() {
	local n0 d0 f0 out
	RET=0
	bg_ready 10 "$TMP/a9101" "$A" "$SOCK" -p "$ESP_IN" recv 9101 3 $IDLE ||
		fail_case "A's ESP receiver did not start"
	bg_ready 10 "$TMP/a9102" "$A" "$SOCK" recv 9102 3 $IDLE ||
		fail_case "A's plain receiver did not start"
	n0=$(st in_polvio)
	d0=$(kame_stat "$A" ip6s_delivered)
	f0=$(kame -n "$A" stats udp6 udp6s_fullsock)
	# cleartext to 9101: B's XFRM has no policy for source port 9200
	out=$(nb send $KA 9101 3 9200 2>&1)
	check_eq "B sent in clear" "sent 3 failed 0" "$out"
	sleep 1
	check_eq "in_polvio, once each" 3 $(($(st in_polvio) - n0))
	check_eq "not delivered" 0 $(($(kame_stat "$A" ip6s_delivered) - d0))
	check_eq "not a full socket" 0 $(($(kame -n "$A" stats udp6 udp6s_fullsock) - f0))
	out=$(nb send $KA 9102 3 2>&1)
	check_eq "the plain socket got the clear ones" "got 3" "$(got a 9102)"
	check_eq "the ESP socket got none" "got 0" "$(got a 9101)"
	check_eq "in_polvio unchanged by the plain ones" 3 $(($(st in_polvio) - n0))
	# ESP from B (its out policy for source port 9300)
	bg_ready 10 "$TMP/b9101" "$A" "$SOCK" -p "$ESP_IN" recv 9101 3 $IDLE ||
		fail_case "A's ESP receiver did not start"
	pcap_start "$B" veth1 "$TMP/w3" "ip6 and esp"
	out=$(nb send $KA 9101 3 9300 2>&1)
	check_eq "the ESP socket got the ESP ones" "got 3" "$(got b 9101)"
	pcap_stop "$PCAP_PID"
	check_eq "ESP from B (spi 0x1002)" 3 \
		"$(tcpdump -n -r "$TMP/w3" 2>/dev/null | grep -c "$KB > $KA: ESP(spi=0x00001002")"
	check_eq "in_polvio unchanged by ESP" 3 $(($(st in_polvio) - n0))
	kame_kill_bg
	log_test "ipsec: in ipsec socket refuses cleartext (in_polvio once each) and takes ESP"
}

# 4: malformed policies, getsockopt, the library's errors, random blobs
test_errors() {
	local req hdr out
	RET=0
	# out ipsec, one request: esp(50) transport(1) require(2)
	hdr=02020100
	req=32010200000000000000000000000000000000000000000000000000000000000000000000000000
	check_eq "valid blob" ok "$(ka blob $hdr$req)"
	check_eq "valid blob without requests" ok "$(ka blob 02000000)"
	check_eq "short" EINVAL "$(ka blob 0200)"
	check_eq "empty" EINVAL "$(ka blob '')"
	check_eq "nreq 1, no request" EINVAL "$(ka blob $hdr)"
	check_eq "nreq 5" EINVAL "$(ka blob 02020500$req$req$req$req$req)"
	check_eq "nreq 2, one request" EINVAL "$(ka blob 02020200$req)"
	check_eq "longer than nreq" EINVAL "$(ka blob ${hdr}${req}00000000)"
	check_eq "bad level" EINVAL "$(ka blob $hdr${req/#320102/320109})"
	check_eq "bad proto" EINVAL "$(ka blob $hdr${req/#32/06})"
	check_eq "bad mode" EINVAL "$(ka blob $hdr${req/#3201/3207})"
	check_eq "bad direction" EINVAL "$(ka blob 03000000)"
	check_eq "bad action" EINVAL "$(ka blob 02070000)"
	check_eq "reserved byte" EINVAL "$(ka blob 02000001)"
	check_eq "requests without ipsec" EINVAL "$(ka blob 02000100$req)"
	check_eq "ipsec without requests" EINVAL "$(ka blob 02020000)"
	check_eq "tunnel without endpoints" EINVAL "$(ka blob $hdr${req/#3201/3202})"
	check_eq "get out" "len 44: $ESP_OUT" "$(ka -p "$ESP_OUT" -p "in discard" get out)"
	check_eq "get in" "len 4: in discard" "$(ka -p "$ESP_OUT" -p "in discard" get in)"
	check_eq "get without a policy" "len 4: out entrust" "$(ka get out)"
	check_eq "entrust clears" "len 4: out entrust" \
		"$(ka -p "$ESP_OUT" -p "out entrust" get out)"
	check_eq "tunnel round trip" \
		"len 44: in ipsec esp/tunnel/2001:db8::2-2001:db8::1/unique:7" \
		"$(ka -p "in ipsec esp/tunnel/$KB-$KA/unique:7" get in)"
	check_eq "lib: direction" "error: unknown direction (in or out)" "$(ka parse 'fwd none')"
	check_eq "lib: no request" "error: the action ipsec needs at least one request" \
		"$(ka parse 'out ipsec')"
	check_eq "lib: level" "error: unknown level (default, use, require or unique:N)" \
		"$(ka parse 'out ipsec esp/transport//sometimes')"
	check_eq "lib: tunnel" "error: tunnel mode needs both endpoints" \
		"$(ka parse 'in ipsec esp/tunnel//use')"
	check_eq "lib: fields" "error: a request is PROTO/MODE[/[SRC-DST][/LEVEL]]" \
		"$(ka parse 'in ipsec esp')"
	out=$(ka fuzz 3000 $RANDOM)
	check_eq "3000 random policies: only EINVAL, EACCES or success" 0 $?
	check_match "random policies: EINVAL" '^EINVAL' "$out"
	check_eq "no kernel warning" "$DMESG0" "$(dmesg | grep -c -E 'WARNING|BUG|Oops')"
	log_test "ipsec: malformed socket policies (EINVAL), getsockopt, library errors, 3000 random ones"
}

# 5: rmmod while sockets hold policies, then they close
test_rmmod() {
	local out
	RET=0
	ip netns exec "$A" "$SOCK" -p "$ESP_OUT" -p "$ESP_IN" hold 4 \
		>"$TMP/hold" 2>&1 &
	defer_pids+=($!)
	slowwait 10 grep -q holding "$TMP/hold"
	check rmmod kame_ipsec
	check_eq "without the module: setsockopt" ENOPROTOOPT "$(ka blob 02000000)"
	check_eq "without the module: getsockopt" "getsockopt: ENOPROTOOPT" "$(ka get out)"
	b_recv 9002 1
	out=$(ka send $KB 9002 1 2>&1)
	check_eq "a socket sends without the module" "sent 1 failed 0" "$out"
	slowwait 15 grep -q closed "$TMP/hold"
	check_eq "the holder closed" closed "$(tail -1 "$TMP/hold")"
	check insmod "$KAME_IPSEC_KO"
	check_eq "loaded again: a policy again" "len 44: $ESP_OUT" "$(ka -p "$ESP_OUT" get out)"
	check rmmod kame_ipsec
	check_eq "no kernel warning" "$DMESG0" "$(dmesg | grep -c -E 'WARNING|BUG|Oops')"
	kame_kill_bg
	log_test "ipsec: rmmod kame_ipsec with sockets holding policies, then they close"
}

if ! setup; then
	echo "SKIP: cannot set up (kame_ipsec.ko: $KAME_IPSEC_KO)"
	RET=1
	log_test "ipsec: sockpolicy setup"
	exit "$EXIT_STATUS"
fi
test_out_ipsec
test_out_bypass_discard
test_in_ipsec
test_errors
test_rmmod
exit "$EXIT_STATUS"
