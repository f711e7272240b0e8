#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Several datagrams in one receive buffer: the native host sends UDP with
# UDP_SEGMENT (a GSO buffer that veth hands over whole, as a GRO train
# from rx-gro-list or rx-udp-gro-forwarding arrives), and the KAME host
# takes it apart into its datagrams, each with its own length and
# checksum, before input.
#
#   +----- $A (KAME) -----+        +-- $B (native Linux) --+
#   |  veth0 2001:db8::1  |--------|  veth1 2001:db8::2     |
#   +---------------------+        +------------------------+
source "$(dirname "$0")/../lib.sh"

TMP=$(mktemp -d)
defer_pids=()
cleanup() {
	kill "${defer_pids[@]}" 2>/dev/null
	rm -rf "$TMP"
	cleanup_all_ns
}
trap cleanup EXIT

udp_stat() {	# NAME
	kame -n "$A" stats udp6 "$1"
}

test_gso_train() {
	local pid got ip0 ipk sp0 sp dr0 dr
	RET=0
	ip0=$(udp_stat udp6s_ipackets)
	sp0=$(kame_stat "$A" ip6s_grosplit)
	dr0=$(kame_stat "$A" ip6s_grodrop)
	bg_ready 10 "$TMP/sink" "$A" kame-udp sink 7200 600 ||
		fail_case "sink did not start: $(cat "$TMP/sink")"
	pid=${defer_pids[-1]}
	# five buffers of 1000 bytes cut into ten 100-byte datagrams each
	check ip netns exec "$B" python3 -c '
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_UDP, 103, 100)	# UDP_SEGMENT
for i in range(5):
    s.sendto(bytes([65 + i]) * 1000, ("2001:db8::1", 7200))
'
	sleep 1
	kill -USR1 "$pid"
	check slowwait 30 grep -q received "$TMP/sink"
	got=$(awk '/received/ {print $2}' "$TMP/sink")
	ipk=$(($(udp_stat udp6s_ipackets) - ip0))
	sp=$(($(kame_stat "$A" ip6s_grosplit) - sp0))
	dr=$(($(kame_stat "$A" ip6s_grodrop) - dr0))
	check_eq "datagrams UDP took in" 50 "$ipk"
	check_eq "datagrams the socket read" 50 "$got"
	check_eq "trains split (ip6s_grosplit)" 5 "$sp"
	check_eq "trains dropped (ip6s_grodrop)" 0 "$dr"
	log_test "ip6: a GSO/GRO train of UDP datagrams is split into its datagrams"
}

kame_native_pair
test_gso_train
exit "$EXIT_STATUS"
