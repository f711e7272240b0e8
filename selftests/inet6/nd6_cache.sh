#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The neighbor cache against a stock Linux host: NUD states with short
# timers, NUD off, static entries, two links with the same link-local
# neighbour address, and floods that must leave the cache at its cap.
#
#   +----- $A (KAME) -----+        +-- $B (native Linux) --+
#   |  veth0 2001:db8::1  |--------|  veth1 2001:db8::2 fe80::1 |
#   |  veth2              |---+    +------------------------+
#   +---------------------+   |    +-- $C (native Linux) --+
#                             +----|  veth3 fe80::1         |
#                                  +------------------------+
source "$(dirname "$0")/../lib.sh"
FLOOD=$KAME_TOP/build/helpers/inet6/nd6_flood

setup() {
	setup_ns A B C
	for ns in "$B" "$C"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0
	done
	ip -n "$A" link add veth0 type veth peer name veth1 netns "$B"
	ip -n "$A" link add veth2 type veth peer name veth3 netns "$C"
	ip -n "$A" link set veth0 up
	ip -n "$A" link set veth2 up
	ip -n "$B" link set veth1 addrgenmode none
	ip -n "$B" link set veth1 up
	ip -n "$C" link set veth3 addrgenmode none
	ip -n "$C" link set veth3 up
	ip -n "$B" -6 addr add 2001:db8::2/64 dev veth1 nodad
	ip -n "$B" -6 addr add fe80::1/64 dev veth1 nodad
	ip -n "$C" -6 addr add fe80::1/64 dev veth3 nodad
	kame -n "$A" link attach veth0
	kame -n "$A" link attach veth2
	kame -n "$A" addr add 2001:db8::1/64 dev veth0
	MAC_A=$(ip -n "$A" -j link show veth0 | jq -r '.[0].address')
	MAC_A2=$(ip -n "$A" -j link show veth2 | jq -r '.[0].address')
	MAC_B=$(ip -n "$B" -j link show veth1 | jq -r '.[0].address')
	MAC_C=$(ip -n "$C" -j link show veth3 | jq -r '.[0].address')
	slowwait 10 sh -c "! kame -n $A addr show | grep -q tentative"
}

ndp_a() { ip netns exec "$A" ndp "$@"; }

# state of the entry for $1 (numeric form as ndp -n prints it)
nd_state() {
	ndp_a -anj | jq -r "[.[] | select(.neighbor == \"$1\")][0].state // \"none\""
}

wait_state() {	# ADDR STATE TIMEOUT_S
	slowwait "$3" sh -c "[ \"\$(ip netns exec $A ndp -anj | jq -r '[.[] | select(.neighbor == \"$1\")][0].state')\" = $2 ]" ||
		{ fail_case "$1 did not reach $2 (now $(nd_state "$1")): $(ndp_a -an)"; return 1; }
}

nd6_stat() {
	kame -n "$A" stats nd6 "$1"
}

# drop NS arriving at the native host (so that our probes go unanswered)
block_ns() {
	tc -n "$B" qdisc add dev veth1 clsact
	tc -n "$B" filter add dev veth1 ingress protocol ipv6 u32 \
		match u8 58 0xff at 6 match u8 135 0xff at 40 action drop
}

unblock_ns() {
	tc -n "$B" qdisc del dev veth1 clsact
}

test_nud_states() {
	local ns0
	RET=0
	# timers long enough to see each state under qemu emulation:
	# REACHABLE lasts 2.5-7.5 s, DELAY 3 s, PROBE up to 30 x 0.7 s (the
	# entry must outlive the blocked probes on a loaded host); all of
	# them KAME_TIME_SCALE times longer on the sanitizer kernel
	check ndp_a -i veth0 basereachable=$((5000 * KAME_TIME_SCALE)) \
		retrans=$((700 * KAME_TIME_SCALE))
	check kame -n "$A" sysctl net.inet6.icmp6.nd6_delay $((3 * KAME_TIME_SCALE))
	check kame -n "$A" sysctl net.inet6.icmp6.nd6_umaxtries 30
	ndp_a -c >/dev/null
	ns0=$(kame_icmp6_stat "$A" icp6s_outhist_ns)
	check ip netns exec "$B" ping -6 -c 1 -W 5 2001:db8::1
	# the NS made a STALE entry, our echo reply made it DELAY
	check_eq "state after the reply" delay "$(nd_state 2001:db8::2)"
	wait_state 2001:db8::2 reachable 15
	[ "$(kame_icmp6_stat "$A" icp6s_outhist_ns)" -gt "$ns0" ] ||
		fail_case "no unicast probe was sent"
	wait_state 2001:db8::2 stale 15
	block_ns
	check ip netns exec "$B" ping -6 -c 1 -W 5 2001:db8::1
	check_eq "state after traffic" delay "$(nd_state 2001:db8::2)"
	wait_state 2001:db8::2 probe 15
	ndp_a -an | grep -q "^2001:db8::2 .* P  [1-9]" ||
		fail_case "probe count not shown: $(ndp_a -an)"
	unblock_ns
	wait_state 2001:db8::2 reachable 15
	check_eq "native host learnt our MAC" "$MAC_A" \
		"$(ip -n "$B" -j -6 neigh show 2001:db8::1 | jq -r '.[0].lladdr')"
	log_test "nd6: NUD REACHABLE -> STALE -> DELAY -> PROBE -> REACHABLE"
}

test_nud_off() {
	RET=0
	check ndp_a -i veth0 -- -nud basereachable=1000
	ndp_a -c >/dev/null
	# B knows us: its echo request makes us resolve it (INCOMPLETE)
	check ip netns exec "$B" ping -6 -c 1 -W 5 2001:db8::1
	wait_state 2001:db8::2 reachable 5
	sleep 2		# > 1.5 x basereachable
	check_eq "still reachable with -nud" reachable "$(nd_state 2001:db8::2)"
	check_eq "expire shown" permanent \
		"$(ndp_a -an | awk '$1 == "2001:db8::2" {print $4}')"
	check ndp_a -i veth0 nud basereachable=30000
	log_test "nd6: with -nud an entry stays REACHABLE"
}

# The GC must be seen to run with the static entry in the table (a fixed
# sleep proves nothing on a slow host): three dynamic STALE entries next
# to it (NS from random sources, NUD off so that they stay STALE) are
# collected, the static one is not.
test_static_entry() {
	local ns0 gc0 n
	RET=0
	ndp_a -c >/dev/null
	check ndp_a -s 2001:db8::2 02:00:00:00:00:99
	check_fail ip netns exec "$B" ping -6 -c 1 -W 1 2001:db8::1
	check ndp_a -s 2001:db8::2 "$MAC_B"
	ns0=$(kame_icmp6_stat "$A" icp6s_outhist_ns)
	check ip netns exec "$B" ping -6 -c 2 -i 0.3 -W 10 2001:db8::1
	check_eq "no solicitation for a static neighbour" "$ns0" \
		"$(kame_icmp6_stat "$A" icp6s_outhist_ns)"
	check ndp_a -i veth0 -- -nud
	check ip netns exec "$B" "$FLOOD" veth1 ns 3 "$MAC_A" 2001:db8::1 2001:db8::
	n=$(ndp_a -anj | jq '[.[] | select(.static | not) | select(.state == "stale")] | length')
	[ "$n" -ge 3 ] ||
		fail_case "$n STALE entries from 3 NS: $(ndp_a -an)"
	gc0=$(nd6_stat nd6_gc)
	check kame -n "$A" sysctl net.inet6.icmp6.nd6_gctimer 1
	slowwait 60 sh -c "[ \$(kame -n $A stats nd6 nd6_gc) -ge $((gc0 + 3)) ]" ||
		fail_case "the GC took $(($(nd6_stat nd6_gc) - gc0)) of 3 STALE entries: $(ndp_a -an)"
	check_eq "static entry survives the GC" "true" \
		"$(ndp_a -anj | jq '[.[] | select(.neighbor == "2001:db8::2")][0] | .static and .state == "reachable"')"
	check ndp_a -d 2001:db8::2
	check kame -n "$A" sysctl net.inet6.icmp6.nd6_gctimer 86400
	check ndp_a -i veth0 nud
	log_test "nd6: a static entry is used for output and survives the GC"
}

test_proxy_gc() {
	local gc0
	RET=0
	check kame -n "$A" sysctl net.inet6.icmp6.nd6_gctimer 1
	check ndp_a -i veth0 basereachable=1000
	ndp_a -c >/dev/null
	check ndp_a -s 2001:db8::100 "$MAC_A" proxy
	gc0=$(nd6_stat nd6_gc)
	# a dynamic entry next to it: REACHABLE, STALE within 1.5 s, then
	# unused for the 1 s of nd6_gctimer
	check ip netns exec "$B" ping -6 -c 1 -W 5 2001:db8::1
	slowwait 15 sh -c "! ip netns exec $A ndp -an | grep -q '^2001:db8::2 '" ||
		fail_case "dynamic entry not collected: $(ndp_a -an)"
	[ "$(nd6_stat nd6_gc)" -gt "$gc0" ] ||
		fail_case "nd6_gc did not move"
	check_eq "proxy entry survives the GC" "true" \
		"$(ndp_a -anj | jq '[.[] | select(.neighbor == "2001:db8::100")][0] | .proxy and .state == "reachable"')"
	# and still answers for the address
	ip -n "$B" -6 neigh del 2001:db8::100 dev veth1 2>/dev/null
	ip netns exec "$B" ping -6 -c 1 -W 2 2001:db8::100 >/dev/null 2>&1
	check_eq "native host resolved the proxied address" "$MAC_A" \
		"$(ip -n "$B" -j -6 neigh show 2001:db8::100 | jq -r '.[0].lladdr')"
	check ndp_a -d 2001:db8::100
	check ndp_a -i veth0 basereachable=30000
	check kame -n "$A" sysctl net.inet6.icmp6.nd6_gctimer 86400
	log_test "nd6: a proxy entry survives the GC that collects a STALE one"
}

test_same_ll_two_links() {
	local ll0 ll2 out
	RET=0
	ll0=$(eui64_ll "$MAC_A")
	ll2=$(eui64_ll "$MAC_A2")
	check ip netns exec "$B" ping -6 -c 1 -W 5 "$ll0%veth1"
	check ip netns exec "$C" ping -6 -c 1 -W 5 "$ll2%veth3"
	out=$(ndp_a -an)
	check_match "no fe80::1%veth0 -> $MAC_B" \
		"^fe80::1%veth0 *$MAC_B *veth0 " "$out"
	check_match "no fe80::1%veth2 -> $MAC_C" \
		"^fe80::1%veth2 *$MAC_C *veth2 " "$out"
	log_test "nd6: two links whose neighbours share fe80::1 keep two entries"
}

test_ns_flood() {
	local ev0 full0 ms n
	RET=0
	check kame -n "$A" sysctl net.inet6.icmp6.nd6_maxcache 2048
	check ndp_a -i veth0 -- -nud
	ndp_a -c >/dev/null
	ev0=$(nd6_stat nd6_evict)
	full0=$(nd6_stat nd6_cache_full)
	ms=$(ip netns exec "$B" "$FLOOD" veth1 ns 100000 "$MAC_A" 2001:db8::1 2001:db8::)
	echo "# 100000 NS from random sources: ${ms} ms"
	n=$(nd6_stat nd6_entries)
	[ "$n" -le 2048 ] && [ "$n" -ge 1024 ] ||
		fail_case "cache has $n entries, cap 2048"
	[ $(( $(nd6_stat nd6_evict) - ev0 )) -ge 50000 ] ||
		fail_case "evictions: $(( $(nd6_stat nd6_evict) - ev0 ))"
	check_eq "nothing refused: STALE entries are evicted" "$full0" \
		"$(nd6_stat nd6_cache_full)"
	check ip netns exec "$B" ping -6 -c 2 -i 0.3 -W 5 2001:db8::1
	grep '^kame_nd6 ' /proc/slabinfo | awk '{print "# slab kame_nd6 after the flood: " $2 " objects"}'
	check kame -n "$A" sysctl net.inet6.icmp6.nd6_gctimer 2
	slowwait 15 sh -c "[ \$(kame -n $A stats nd6 nd6_entries) -le 4 ]" ||
		fail_case "GC left $(nd6_stat nd6_entries) entries"
	[ "$(nd6_stat nd6_gc)" -gt 1000 ] || fail_case "nd6_gc $(nd6_stat nd6_gc)"
	grep '^kame_nd6 ' /proc/slabinfo | awk '{print "# slab kame_nd6 after the GC: " $2 " objects"}'
	check kame -n "$A" sysctl net.inet6.icmp6.nd6_gctimer 86400
	check ndp_a -i veth0 nud
	log_test "nd6: 100000 NS from random sources: cache stays at its cap, GC empties it"
}

test_echo_flood() {
	local ev0 ms n
	RET=0
	# an unanswered INCOMPLETE entry lives 3 retransmissions: longer
	# than the flood takes to fill the cache, also on the slow kernel
	check ndp_a -i veth0 retrans=$((1000 * KAME_TIME_SCALE))
	check ip netns exec "$B" "$FLOOD" veth1 nstgt 1000 "$MAC_A" 2001:db8::1 2001:db8:: 2001:db8::2
	check_eq "NS for targets that are not ours create nothing" 1 \
		"$(( $(nd6_stat nd6_entries) <= 4 ))"
	ev0=$(nd6_stat nd6_evict)
	ms=$(ip netns exec "$B" "$FLOOD" veth1 echo 100000 "$MAC_A" 2001:db8::1 2001:db8::)
	echo "# 100000 echo requests from random on-link sources: ${ms} ms"
	n=$(nd6_stat nd6_entries)
	[ "$n" -le 2048 ] || fail_case "cache has $n entries, cap 2048"
	[ $(( $(nd6_stat nd6_evict) - ev0 )) -ge 50000 ] ||
		fail_case "evictions: $(( $(nd6_stat nd6_evict) - ev0 ))"
	check ip netns exec "$B" ping -6 -c 2 -i 0.3 -W 5 2001:db8::1
	# unanswered INCOMPLETE entries go after 3 solicitations
	slowwait 20 sh -c "[ \$(kame -n $A stats nd6 nd6_entries) -le 4 ]" ||
		fail_case "$(nd6_stat nd6_entries) entries left"
	log_test "nd6: 100000 packets to random on-link addresses: cache stays at its cap"
}

# `kame stats nd6` text: one "\tN text" line per counter, N the JSON value.
test_stats_text() {
	local txt js k
	RET=0
	txt=$(kame -n "$A" stats nd6)
	js=$(kame -n "$A" -j stats nd6 | jq -c '.[0].nd6')
	check_eq "first line" "nd6:" "$(head -n 1 <<<"$txt")"
	check_eq "one text line per counter" "$(jq length <<<"$js")" \
		"$(grep -c $'^\t[0-9]' <<<"$txt")"
	check_stat_lines "$txt" "$js" nd6_ \
		"entries:neighbor cache entries now" \
		"created:neighbor cache entries created" \
		"gc:stale entries garbage-collected" \
		"evict:entries evicted from a full cache" \
		"cache_full:entries not created: cache full"
	# the floods above made these move
	for k in created gc evict; do
		[ "$(jq ".nd6_$k" <<<"$js")" -gt 1000 ] ||
			check_eq "nd6_$k after the floods" "> 1000" "$(jq ".nd6_$k" <<<"$js")"
	done
	log_test "nd6: kame stats nd6 text lines match the JSON counters"
}

# Receive cost of an echo request at several cache sizes (reported only).
bench() {
	local size ms
	check ndp_a -i veth0 -- -nud
	check kame -n "$A" sysctl net.inet6.icmp6.nd6_maxcache 200000
	for size in 1000 10000 100000; do
		ndp_a -c >/dev/null
		ip netns exec "$B" "$FLOOD" veth1 ns "$size" "$MAC_A" 2001:db8::1 2001:db8:: >/dev/null
		ip netns exec "$B" ping -6 -c 1 -W 5 2001:db8::1 >/dev/null
		ms=$(ip netns exec "$B" "$FLOOD" veth1 echo1 20000 "$MAC_A" 2001:db8::1 2001:db8:: 2001:db8::2)
		echo "# bench: $(nd6_stat nd6_entries) entries: 20000 echo requests in ${ms} ms"
	done
	ndp_a -c >/dev/null
	check ndp_a -i veth0 nud
}

setup
test_nud_states
test_nud_off
test_static_entry
test_proxy_gc
test_same_ll_two_links
test_ns_flood
test_echo_flood
test_stats_text
[ -n "${KAME_BENCH:-}" ] && bench
exit "$EXIT_STATUS"
