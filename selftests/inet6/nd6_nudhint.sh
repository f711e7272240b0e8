#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Upper-layer reachability hints (KAME's nd6_nud_hint(), RFC 4861 7.3.1):
# a send with MSG_CONFIRM tells the stack the next hop is reachable, so
# the entry stays REACHABLE without NUD probes; net.inet6.icmp6.nd6_maxnudhint
# bounds the hints in a row without a confirmation by a solicited NA.
# Checked on the wire: unicast NS of the KAME host seen by the native one.
#
#   +----- $A (KAME) -----+        +-- $B (native Linux) --+
#   |  veth0 2001:db8::1  |--------|  veth1 2001:db8::2     |
#   +---------------------+        +------------------------+
source "$(dirname "$0")/../lib.sh"
DGRAM=$KAME_TOP/build/helpers/inet6/kame_dgram
TMP=$(mktemp -d)
trap 'cleanup_all_ns; rm -rf "$TMP"' EXIT

setup() {
	kame_native_pair
	# REACHABLE lasts 3-9 s, DELAY 3 s (long enough to be sampled)
	ip netns exec "$A" ndp -i veth0 basereachable=6000 retrans=1000 >/dev/null
	kame -n "$A" sysctl net.inet6.icmp6.nd6_delay 3 >/dev/null
}

nd6_stat() {
	kame -n "$A" stats nd6 "$1"
}

# A fresh entry for the native host (no hint counted yet), resolved.
resolve() {
	ip netns exec "$A" ndp -c >/dev/null
	ip netns exec "$A" "$DGRAM" send 2001:db8::2 9 >/dev/null
	slowwait 10 sh -c "ip netns exec $A ndp -anj | jq -r '.[] | select(.neighbor == \"2001:db8::2\") | .state' | grep -Eq 'reachable|stale|delay|probe'" ||
		fail_case "entry not resolved: $(ip netns exec "$A" ndp -an)"
}

# run ARGS...: resolve the native host afresh, then send 20 datagrams a
# second apart with kame_dgram ARGS while sampling the state of the entry,
# from the first datagram on (into $TMP/states), and capturing the NUD
# probes of the KAME host, unicast NS to the native host (count in
# $TMP/ns). Sets H0 and IG0, the hint counters before the datagrams.
run() {
	local pid cap
	: >"$TMP/states"
	pcap_start "$B" veth1 "$TMP/cap.pcap" \
		"ether src $MAC_A and icmp6 and ip6[40] == 135 and ip6 dst 2001:db8::2"
	cap=$PCAP_PID
	resolve
	H0=$(nd6_stat nd6_nudhint)
	IG0=$(nd6_stat nd6_nudhint_ignored)
	ip netns exec "$A" "$DGRAM" "$@" -c 20 -w 1000 send 2001:db8::2 9 >"$TMP/out" &
	pid=$!
	busywait 5000 grep -q sent "$TMP/out"
	# one process in the namespace samples until the sender is done
	ip netns exec "$A" sh -c "while kill -0 $pid 2>/dev/null; do
		ndp -anj | jq -r '[.[] | select(.neighbor == \"2001:db8::2\")][0].state // \"none\"'
		sleep 0.2
	done" >>"$TMP/states"
	wait "$pid" || fail_case "kame_dgram $* failed"
	pcap_stop "$cap"
	tcpdump -n -r "$TMP/cap.pcap" 2>/dev/null | wc -l >"$TMP/ns"
}

states() {
	sort -u "$TMP/states" | tr '\n' ' '
}

test_hint_keeps_reachable() {
	RET=0
	run -M
	check_eq "states seen with MSG_CONFIRM" "reachable " "$(states)"
	check_eq "unicast NS on the wire" 0 "$(cat "$TMP/ns")"
	check_eq "nd6_nudhint: one per datagram" $((H0 + 20)) "$(nd6_stat nd6_nudhint)"
	check_eq "nd6_nudhint_ignored" "$IG0" "$(nd6_stat nd6_nudhint_ignored)"
	log_test "nd6: sends with MSG_CONFIRM keep the neighbour REACHABLE, no NUD probe"
}

test_no_hint_probes() {
	RET=0
	run
	[[ $(states) =~ stale|delay|probe ]] ||
		fail_case "states seen: $(states)"
	[ "$(cat "$TMP/ns")" -ge 1 ] ||
		fail_case "no unicast NS without MSG_CONFIRM"
	check_eq "nd6_nudhint" "$H0" "$(nd6_stat nd6_nudhint)"
	log_test "nd6: without MSG_CONFIRM the neighbour goes STALE, DELAY, PROBE"
}

test_maxnudhint() {
	local h
	RET=0
	check_eq "nd6_maxnudhint default" 0 \
		"$(kame -n "$A" -j sysctl net.inet6.icmp6.nd6_maxnudhint | jq '.[0].value')"
	check_tool_error "range" kame -n "$A" sysctl net.inet6.icmp6.nd6_maxnudhint 1000001
	check kame -n "$A" sysctl net.inet6.icmp6.nd6_maxnudhint 2
	run -M
	[[ $(states) =~ stale|delay|probe ]] ||
		fail_case "states seen: $(states)"
	[ "$(cat "$TMP/ns")" -ge 1 ] ||
		fail_case "no unicast NS after 2 hints"
	# 2 hints, then NUD; each solicited NA allows 2 more
	h=$(( $(nd6_stat nd6_nudhint) - H0 ))
	[ "$h" -ge 2 ] && [ "$h" -lt 20 ] ||
		fail_case "nd6_nudhint moved by $h"
	[ $(( $(nd6_stat nd6_nudhint_ignored) - IG0 )) -ge 1 ] ||
		fail_case "no hint ignored"
	check kame -n "$A" sysctl net.inet6.icmp6.nd6_maxnudhint 0
	log_test "nd6: nd6_maxnudhint=2: after 2 hints the neighbour is probed anyway"
}

test_raw_hint() {
	local h0
	RET=0
	resolve
	h0=$(nd6_stat nd6_nudhint)
	# an echo request from a raw ICMPv6 socket, with and without the flag
	check ip netns exec "$A" kame-raw send -p 58 -M 2001:db8::2 8000000012340001
	check_eq "raw send with MSG_CONFIRM: a hint" $((h0 + 1)) "$(nd6_stat nd6_nudhint)"
	check ip netns exec "$A" kame-raw send -p 58 2001:db8::2 8000000012340002
	check_eq "raw send without: none" $((h0 + 1)) "$(nd6_stat nd6_nudhint)"
	# multicast destinations have no neighbour to confirm
	check ip netns exec "$A" kame-raw send -p 58 -M ff02::1%veth0 8000000012340003
	check_eq "multicast: none" $((h0 + 1)) "$(nd6_stat nd6_nudhint)"
	log_test "nd6: raw sockets give the hint with MSG_CONFIRM too"
}

setup
test_hint_keeps_reachable
test_no_hint_probes
test_maxnudhint
test_raw_hint
exit "$EXIT_STATUS"
