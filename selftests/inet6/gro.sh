#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Several datagrams in one receive buffer: the native host sends UDP with
# UDP_SEGMENT (a GSO buffer that veth hands over whole, as a GRO train
# from rx-gro-list or rx-udp-gro-forwarding arrives), and the KAME host
# takes it apart into its datagrams, each with its own length and
# checksum, before input. Then fuzzed trains of TCP and UDP written to a
# tap with virtio-net headers (selftests/fuzz/gso_fuzz.py), for the
# host and for forwarding.
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

# gso_fuzz.py through a tap (vnet_hdr) attached to the KAME host: trains
# nobody checked (TCP and UDP, behind extension headers, bad data
# offsets, cut headers, gso_size 0, other protocols) for A itself and, with
# forwarding on, for B. Every train the tap took reaches the splitter and
# counts once, split or dropped; each packet of a split train counts once
# in the input; no log line
# kame_dmesg_lines but for Linux's IPv6 saying the tap's link is ready
dm() { dmesg | grep -v "link becomes ready" | grep -Evc "promiscuous mode|hrtimer: interrupt took|used greatest stack depth"; }

test_gso_fuzz() {
	local mac out t0 s0 t1 s1 sp0 dr0 trains sp dr dm0 dst
	RET=0
	[ -e /dev/net/tun ] || modprobe tun 2>/dev/null
	check ip -n "$A" tuntap add dev tap0 mode tap vnet_hdr
	check ip -n "$A" link set tap0 up
	check kame -n "$A" link attach tap0
	check kame -n "$A" addr add 2001:db8:7::1/64 dev tap0
	mac=$(mac_of "$A" tap0)
	dm0=$(dm)
	for dst in 2001:db8::1 2001:db8::2; do
		[ $dst = 2001:db8::2 ] &&
			check kame -n "$A" sysctl net.inet6.ip6.forwarding 1
		read -r t0 s0 < <(kame_ip6_in_sum "$A")
		sp0=$(kame_stat "$A" ip6s_grosplit)
		dr0=$(kame_stat "$A" ip6s_grodrop)
		out=$(python3 "$KAME_TOP/selftests/fuzz/gso_fuzz.py" "$A" tap0 \
			2001:db8:7::2 $dst "$mac" 1500 "${dst##*:}")
		sleep 2
		read -r t1 s1 < <(kame_ip6_in_sum "$A")
		trains=$(awk '{print $4}' <<<"$out")
		sp=$(($(kame_stat "$A" ip6s_grosplit) - sp0))
		dr=$(($(kame_stat "$A" ip6s_grodrop) - dr0))
		check_eq "to $dst: every train split or dropped once ($out)" \
			"$trains" $((sp + dr))
		[ "$sp" -gt 100 ] || fail_case "to $dst: only $sp trains split ($out)"
		check_eq "to $dst: each packet counted once in the input" \
			$((t1 - t0)) $((s1 - s0))
	done
	check kame -n "$A" sysctl net.inet6.ip6.forwarding 0
	check_eq "no log line" "$dm0" "$(dm)"
	check kame -n "$A" link detach tap0
	check ip -n "$A" link del tap0
	log_test "ip6: fuzzed TCP/UDP trains from a tap are split or dropped, each counted once ($sp, $dr)"
}

kame_native_pair
test_gso_train
test_gso_fuzz
exit "$EXIT_STATUS"
