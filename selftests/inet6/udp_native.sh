#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# UDP over AF_KAME sockets against socat on a stock Linux host.
#
#   +----- $A (KAME, kame-udp) -----+        +-- $B (native, socat) --+
#   |  veth0 2001:db8::1            |--------|  veth1 2001:db8::2      |
#   +-------------------------------+        +-------------------------+
source "$(dirname "$0")/../lib.sh"
DGRAM=$KAME_TOP/build/helpers/inet6/kame_dgram

setup() {
	kame_native_pair
	TMP=$(mktemp -d)
	defer_pids=()
}

cleanup_test() {
	local p
	for p in "${defer_pids[@]}"; do kill "$p" 2>/dev/null; done
	rm -rf "$TMP"
	cleanup_all_ns
}
trap cleanup_test EXIT

udp_stat() {	# NAME
	kame -n "$A" stats udp6 "$1"
}

# start a kame-udp server in A, wait for its "ready"
kame_server() {	# LOG ARGS...
	local log=$1
	shift
	bg_ready 10 "$log" "$A" kame-udp "$@"
}

test_native_to_kame() {
	local out
	RET=0
	check kame_server "$TMP/echo1" echo -n 2 7000
	out=$(echo hello-kame | ip netns exec "$B" socat -t 5 - UDP6:[2001:db8::1]:7000)
	check_eq "echo from the KAME socket" hello-kame "$out"
	head -c 8000 /dev/urandom >"$TMP/big"
	ip netns exec "$B" socat -b 9000 -t 5 - UDP6:[2001:db8::1]:7000 <"$TMP/big" >"$TMP/big.out"
	cmp -s "$TMP/big" "$TMP/big.out" ||
		fail_case "8000-byte echo differs ($(stat -c %s "$TMP/big.out") bytes back)"
	grep -q "from \[2001:db8::2\]:[0-9]* 8000 bytes" "$TMP/echo1" ||
		fail_case "server saw: $(cat "$TMP/echo1")"
	log_test "udp: native socat to a KAME socket (11 and 8000 bytes, fragmented)"
}

# A socat echo of one peer on PORT in B. One listener per exchange: with
# `fork`, the child that answered a datagram keeps the socket and may take
# the next exchange's datagram and answer the old peer.
native_echo() {	# PORT [ADDR]: an echo on B, bound to ADDR if given
	ip netns exec "$B" socat -T 60 \
		UDP6-RECVFROM:"$1",reuseaddr${2:+,bind=[$2]} EXEC:cat \
		</dev/null >/dev/null 2>&1 &
	defer_pids+=($!)
	slowwait 10 sh -c "ip netns exec $B ss -uln | grep -q ':$1 '" ||
		fail_case "socat does not listen on $1"
}

test_kame_to_native() {
	local out
	RET=0
	native_echo 7001
	native_echo 7011
	# deprecated: the native host answers from it only when bound to it
	check ip -n "$B" -6 addr add 2001:db8::3/64 dev veth1 nodad preferred_lft 0
	native_echo 7021 2001:db8::3
	out=$(ip netns exec "$A" kame-udp send -t 20 2001:db8::2 7001 hi-native)
	check_eq "global" "from [2001:db8::2]:7001 9 bytes: hi-native" "$out"
	out=$(ip netns exec "$A" kame-udp send -t 20 "$LL_B%veth0" 7011 hi-ll)
	[[ $out == "from [$LL_B%"*"]:7011 5 bytes: hi-ll" ]] ||
		fail_case "link-local: $out"
	# 2001:db8::3 has sent nothing yet: the neighbour is unresolved when
	# the 8000-byte datagram leaves. (An entry deleted with ndp -d could
	# come back from the native host's NUD probes before the send.) Over
	# veth the NS is usually answered within the first fragment's send,
	# so this does not measure the hold queue (test_hold_queue does).
	check_eq "no entry for 2001:db8::3 before the 8000-byte send" "" \
		"$(ip netns exec "$A" ndp -n -a | grep '^2001:db8::3 ')"
	out=$(ip netns exec "$A" kame-udp send -t 20 -s 8000 2001:db8::3 7021)
	check_eq "8000 bytes" "from [2001:db8::3]:7021 8000 bytes" "$out"
	log_test "udp: KAME socket to native socat (global, link-local, 8000 bytes)"
}

test_port_unreachable() {
	local np0 un0 out
	RET=0
	np0=$(udp_stat udp6s_noport)
	un0=$(kame_icmp6_stat "$A" icp6s_outhist_unreach)
	out=$(echo x | ip netns exec "$B" socat -t 2 - UDP6:[2001:db8::1]:7999 2>&1)
	[[ $out == *"Connection refused"* ]] ||
		fail_case "socat did not see port unreachable: $out"
	check_eq "udp6s_noport" $((np0 + 1)) "$(udp_stat udp6s_noport)"
	check_eq "icp6s_outhist_unreach" $((un0 + 1)) \
		"$(kame_icmp6_stat "$A" icp6s_outhist_unreach)"
	log_test "udp: port unreachable seen by the native socat"
}

test_checksums() {
	local ns0 bs0
	RET=0
	ns0=$(udp_stat udp6s_nosum)
	bs0=$(udp_stat udp6s_badsum)
	MAC_A=$(ip -n "$A" -j link show veth0 | jq -r '.[0].address')
	ip netns exec "$B" python3 - veth1 "$MAC_A" <<'PY'
import sys
from scapy.all import Ether, IPv6, UDP, Raw, sendp, conf
conf.verb = 0
i, d = sys.argv[1:3]
p = Ether(dst=d) / IPv6(src="2001:db8::2", dst="2001:db8::1")
sendp([p / UDP(sport=5, dport=7999, chksum=0) / Raw(b"zero"),
       p / UDP(sport=5, dport=7999, chksum=0x1234) / Raw(b"bad!")], iface=i)
PY
	check_eq "udp6s_nosum" $((ns0 + 1)) "$(udp_stat udp6s_nosum)"
	check_eq "udp6s_badsum" $((bs0 + 1)) "$(udp_stat udp6s_badsum)"
	log_test "udp: zero and wrong checksums dropped and counted"
}

test_rcvbuf_flood() {
	local fs0 ip0 got fs ipk rcvbuf rq skb slab skb0 slab0 skb1 slab1 pid
	RET=0
	fs0=$(udp_stat udp6s_fullsock)
	ip0=$(udp_stat udp6s_ipackets)
	read -r skb0 slab0 < <(kame_mem)
	# not under check: its subshell would keep the pid
	kame_server "$TMP/sink" sink -r 4096 7002 600 ||
		fail_case "sink did not start: $(cat "$TMP/sink")"
	pid=${defer_pids[-1]}
	rcvbuf=$(awk '/^ready/ {print $3}' "$TMP/sink")
	kame_native_flood "$B" 7002 "$FLOOD_N" "$TMP/flood"
	read -r rq skb slab < <(kame_flood_watch "$A" "$TMP/flood" \
		'.type == "dgram" and .local_port == 7002')
	kill -USR1 "$pid"
	check slowwait 30 grep -q received "$TMP/sink"
	wait "$pid"
	read -r skb1 slab1 < <(kame_mem)
	got=$(awk '/received/ {print $2}' "$TMP/sink")
	fs=$(($(udp_stat udp6s_fullsock) - fs0))
	ipk=$(($(udp_stat udp6s_ipackets) - ip0))
	echo "# udp flood: $(cat "$TMP/flood"), $ipk in, $fs dropped, $got read;" \
		"recv_q max $rq (rcvbuf $rcvbuf); sk_buff heads $skb0 -> max $skb" \
		"-> $skb1 after close; slab $slab0 -> max $slab -> $slab1 kB"
	[ "$ipk" -ge $((FLOOD_N / 2)) ] ||
		fail_case "only $ipk of $FLOOD_N datagrams reached UDP"
	[ "$fs" -gt 0 ] ||
		fail_case "no udp6s_fullsock drops for $ipk datagrams into $rcvbuf bytes"
	check_eq "every datagram delivered or counted" "$ipk" $((got + fs))
	kame_flood_bounds "$rcvbuf" "$rq" "$skb0" "$skb" "$slab0" "$slab" "$skb1"
	log_test "udp: a flood beyond SO_RCVBUF is dropped and counted, memory stays flat"
}

# A receiver on B: "ready", then the length of each datagram to PORT.
native_lengths() {	# PORT LOG
	bg_ready 10 "$2" "$B" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::", int(sys.argv[1])))
s.settimeout(60)
print("ready", flush=True)
while True:
    print(len(s.recv(65535)), flush=True)
' "$1" || fail_case "receiver: $(cat "$2")"
}

# Send to ADDR of B while B does not have it yet: nobody answers the NS,
# and the packets wait in the entry's hold queue. Then B takes ADDR, the
# next NS (1 s later) is answered and the queue leaves. With nd6_maxqueuelen
# QLEN the queue keeps the newest QLEN packets. HELD: the lengths B received.
held_send() {	# QLEN ADDR LOG KAME_DGRAM_ARGS...
	local qlen=$1 addr=$2 log=$3 n0
	shift 3
	n0=$(wc -l <"$log")
	check kame -n "$A" sysctl net.inet6.icmp6.nd6_maxqueuelen "$qlen"
	check ip netns exec "$A" "$DGRAM" "$@" >/dev/null
	check ip -n "$B" -6 addr add "$addr"/64 dev veth1 nodad
	check slowwait 10 sh -c "ip netns exec $A ndp -n -a | grep -q '^$addr  *$MAC_B '"
	sleep 1
	HELD=$(tail -n +$((n0 + 1)) "$log" | tr '\n' ' ')
}

test_hold_queue() {
	local h0
	RET=0
	native_lengths 7031 "$TMP/held"
	h0=$(kame_icmp6_stat "$A" icp6s_nd_holddrop)
	# ten datagrams of 100..109 bytes, a queue of 3: the last three arrive
	held_send 3 2001:db8::4 "$TMP/held" -g -c 10 send 2001:db8::4 7031 100
	check_eq "datagrams through a hold queue of 3" "107 108 109 " "$HELD"
	check_eq "icp6s_nd_holddrop" $((h0 + 7)) "$(kame_icmp6_stat "$A" icp6s_nd_holddrop)"
	# an 8000-byte datagram is 6 fragments: a queue of 4 loses 2, and B
	# cannot reassemble it; the default queue (16) keeps the whole datagram
	held_send 4 2001:db8::5 "$TMP/held" send 2001:db8::5 7031 8000
	check_eq "8000 bytes through a hold queue of 4" "" "$HELD"
	check_eq "icp6s_nd_holddrop" $((h0 + 9)) "$(kame_icmp6_stat "$A" icp6s_nd_holddrop)"
	held_send 16 2001:db8::6 "$TMP/held" send 2001:db8::6 7031 8000
	check_eq "8000 bytes through a hold queue of 16" "8000 " "$HELD"
	check_eq "icp6s_nd_holddrop" $((h0 + 9)) "$(kame_icmp6_stat "$A" icp6s_nd_holddrop)"
	log_test "udp: an unresolved neighbour's hold queue keeps the newest nd6_maxqueuelen packets"
}

# nd6_maxholdbytes bounds the bytes (truesize) held in all the queues:
# with 64 KB, 60 datagrams of 1400 bytes cannot all wait, whatever the
# queue length allows; those refused are counted, the rest arrive.
test_hold_bytes() {
	local h0 n
	RET=0
	native_lengths 7032 "$TMP/held2"
	h0=$(kame_icmp6_stat "$A" icp6s_nd_holddrop)
	check kame -n "$A" sysctl net.inet6.icmp6.nd6_maxholdbytes 65536
	held_send 1000 2001:db8::7 "$TMP/held2" -c 60 send 2001:db8::7 7032 1400
	n=$(wc -w <<<"$HELD")
	if [ "$n" -lt 1 ] || [ $((n * 1400)) -gt 65536 ]; then
		fail_case "$n datagrams of 1400 bytes were held within 65536 bytes"
	fi
	check_eq "icp6s_nd_holddrop" $((h0 + 60 - n)) "$(kame_icmp6_stat "$A" icp6s_nd_holddrop)"
	check kame -n "$A" sysctl net.inet6.icmp6.nd6_maxholdbytes 4194304
	check kame -n "$A" sysctl net.inet6.icmp6.nd6_maxqueuelen 16
	log_test "udp: the hold queues hold at most nd6_maxholdbytes bytes in all ($n of 60 datagrams)"
}

setup
test_native_to_kame
test_kame_to_native
test_hold_queue
test_hold_bytes
test_port_unreachable
test_checksums
test_rcvbuf_flood
exit "$EXIT_STATUS"
