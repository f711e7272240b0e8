#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The identifications of the fragments the KAME host sends (RFC 7739):
# unpredictable from one datagram to the next and unrelated between
# destinations, read off the wire by tcpdump on the native host.
#
#   +----- $A (KAME) -----+        +-- $B (native Linux) ----------+
#   |  veth0 2001:db8::1  |--------|  veth1 2001:db8::2, ::3        |
#   +---------------------+        +--------------------------------+
source "$(dirname "$0")/../lib.sh"

TMP=$(mktemp -d)
defer_pids=()
cleanup() {
	kill "${defer_pids[@]}" 2>/dev/null
	rm -rf "$TMP"
	cleanup_all_ns
}
trap cleanup EXIT

setup() {
	kame_native_pair
	ip -n "$B" -6 addr add 2001:db8::3/64 dev veth1 nodad
}

# The identification of each first fragment from A to $1 in the capture,
# in order, as unsigned decimals.
frag_ids() {	# PCAP DST
	tcpdump -r "$1" -n -v "ip6 src 2001:db8::1 and dst $2" 2>/dev/null |
		sed -n 's/.*frag (0x\([0-9a-f]*\):0|.*/\1/p' |
		while read -r h; do echo $((16#$h)); done
}

test_frag_ident() {
	local i id2 id3 d steps1=0 n2 n3 near=0 prev=
	RET=0
	pcap_start "$B" veth1 "$TMP/f.pcap" ip6
	# ten 3000-byte echo requests, alternating between the destinations
	for i in 1 2 3 4 5; do
		check ip netns exec "$A" kping6 -c 1 -s 3000 -x 5000 2001:db8::2
		check ip netns exec "$A" kping6 -c 1 -s 3000 -x 5000 2001:db8::3
	done
	pcap_stop "$PCAP_PID"
	mapfile -t id2 < <(frag_ids "$TMP/f.pcap" 2001:db8::2)
	mapfile -t id3 < <(frag_ids "$TMP/f.pcap" 2001:db8::3)
	n2=${#id2[@]} n3=${#id3[@]}
	check_eq "fragmented datagrams to 2001:db8::2 on the wire" 5 "$n2"
	check_eq "fragmented datagrams to 2001:db8::3 on the wire" 5 "$n3"
	for i in "${id2[@]}"; do
		if [ -n "$prev" ]; then
			d=$(( (i - prev) & 0xffffffff ))
			[ "$d" = 0 ] && fail_case "identification $i used twice for one destination"
			[ "$d" = 1 ] && steps1=$((steps1 + 1))
		fi
		prev=$i
	done
	# a counter advancing by one each time is what RFC 7739 forbids
	[ "$n2" -eq 5 ] && [ "$steps1" -eq 4 ] &&
		fail_case "the identifications to 2001:db8::2 count up by one: ${id2[*]}"
	# a counter shared by all destinations puts them within a few steps
	for i in 0 1 2 3 4; do
		[ -n "${id2[$i]:-}" ] && [ -n "${id3[$i]:-}" ] || continue
		d=$(( (id3[i] - id2[i]) & 0xffffffff ))
		[ "$d" -lt 1000 ] || [ "$d" -gt $((0xffffffff - 1000)) ] && near=$((near + 1))
	done
	[ "$near" -gt 1 ] &&
		fail_case "identifications to ::2 and ::3 are within 1000 of each other: ${id2[*]} / ${id3[*]}"
	log_test "frag6: fragment identifications unpredictable and per destination (RFC 7739)"
}

setup
test_frag_ident
exit "$EXIT_STATUS"
