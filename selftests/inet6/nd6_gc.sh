#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The neighbor cache GC: its walk is bounded and resumes where it stopped
# (old entries that are not STALE do not make it spin), and it runs only
# in a namespace that has dynamic entries.
#
#   +----- $A (KAME) -----+        +-- $B (native Linux) --+
#   |  veth0 2001:db8::1  |--------|  veth1 2001:db8::2     |
#   +---------------------+        +------------------------+
#   +----- $D (KAME) -----+        |                        |
#   |  veth6 2001:db8:6::1|--------|  veth7 2001:db8:6::2   |
#   +---------------------+        +------------------------+
source "$(dirname "$0")/../lib.sh"
FLOOD=$KAME_TOP/build/helpers/inet6/nd6_flood

ndp_a() { ip netns exec "$A" ndp "$@"; }

nd6_stat() {	# NAME [NS]
	kame -n "${2:-$A}" stats nd6 "$1"
}

# A stuck kworker shows up as a soft lockup, a workqueue lockup or a hung
# task in the kernel log.
check_no_lockup() {
	local l
	l=$(dmesg | tail -n +"$DMESG0" | grep -E 'soft lockup|workqueue lockup|hung_task|blocked for more than')
	[ -z "$l" ] || fail_case "kernel log: $l"
}

# NUD off: entries confirmed by a solicited NA stay REACHABLE for ever, and
# the GC, which removes STALE entries only, has to walk past them. 5000 of
# them (more than the GC looks at in one run) at the old end of the LRU
# list, 3 STALE entries behind them, nd6_gctimer 1 s: the GC must reach and
# collect the 3 within seconds and keep running (its runs counted), the
# host must stay responsive.
test_gc_walks_past_reachable() {
	local n runs0 runs1 gc0 t0
	RET=0
	check ndp_a -i veth0 -- -nud
	ndp_a -c >/dev/null
	# (the flooder resends what a full backlog refuses: see nd6_flood.c)
	check ip netns exec "$B" "$FLOOD" veth1 reach 5000 "$MAC_A" 2001:db8::1 2001:db8:: \
		2>"$GC_ERR"
	sed 's/^/# /' "$GC_ERR"
	n=$(ndp_a -anj | jq '[.[] | select(.state == "reachable")] | length')
	[ "$n" -ge 5000 ] || fail_case "$n REACHABLE entries after 5000 resolutions; others: $(ndp_a -an | grep -v -e reachable -e permanent | head -3 | tr '\n' ' '); veth1 $(ip -s -n "$B" link show veth1 | grep -A1 TX: | tail -1)"
	check kame -n "$A" sysctl net.inet6.icmp6.nd6_gctimer 1
	sleep 2		# the REACHABLE entries are older than nd6_gctimer now
	gc0=$(nd6_stat nd6_gc)
	check ip netns exec "$B" "$FLOOD" veth1 ns 3 "$MAC_A" 2001:db8::1 2001:db8::
	t0=$(date +%s)
	slowwait 30 sh -c "[ \$(kame -n $A stats nd6 nd6_gc) -ge $((gc0 + 3)) ]" ||
		fail_case "the GC took $(($(nd6_stat nd6_gc) - gc0)) of 3 STALE entries behind 5000 REACHABLE ones in 30 s"
	echo "# 3 STALE entries behind 5000 REACHABLE ones collected after $(($(date +%s) - t0)) s"
	runs0=$(nd6_stat nd6_gc_runs)
	sleep 5
	runs1=$(nd6_stat nd6_gc_runs)
	[ "$runs1" -ge $((runs0 + 2)) ] ||
		fail_case "the GC work completed $((runs1 - runs0)) runs in 5 s (nd6_prune 1 s)"
	n=$(ndp_a -anj | jq '[.[] | select(.state == "reachable")] | length')
	[ "$n" -ge 5000 ] || fail_case "the GC removed REACHABLE entries: $n left"
	check ip netns exec "$B" ping -6 -c 1 -W 5 2001:db8::1
	check_no_lockup
	check kame -n "$A" sysctl net.inet6.icmp6.nd6_gctimer 86400
	ndp_a -c >/dev/null
	check ndp_a -i veth0 nud
	log_test "nd6: GC walks past 5000 old REACHABLE entries (NUD off) to the STALE ones, runs on"
}

# A namespace with nothing attached never runs the GC work; one with
# dynamic entries does, and stops again once they are gone.
test_gc_idle_namespace() {
	local r0 r1
	RET=0
	setup_ns D
	sleep 3
	check_eq "GC runs in a namespace without interfaces after 3 s" 0 \
		"$(nd6_stat nd6_gc_runs "$D")"
	ip -n "$D" link add veth6 type veth peer name veth7 netns "$B"
	ip -n "$D" link set veth6 up
	ip -n "$B" link set veth7 up
	ip -n "$B" -6 addr add 2001:db8:6::2/64 dev veth7 nodad
	check kame -n "$D" link attach veth6
	check kame -n "$D" addr add 2001:db8:6::1/64 dev veth6
	slowwait 10 sh -c "! kame -n $D addr show | grep -q tentative"
	sleep 2
	check_eq "GC runs with an interface but no neighbor entry" 0 \
		"$(nd6_stat nd6_gc_runs "$D")"
	check ip netns exec "$B" ping -6 -c 1 -W 5 2001:db8:6::1
	slowwait 10 sh -c "[ \$(kame -n $D stats nd6 nd6_gc_runs) -ge 2 ]" ||
		fail_case "GC not running with an entry: $(nd6_stat nd6_gc_runs "$D") runs, entries $(ip netns exec "$D" ndp -an)"
	check kame -n "$D" link detach veth6
	sleep 2		# a run that was under way ends
	r0=$(nd6_stat nd6_gc_runs "$D")
	sleep 3
	r1=$(nd6_stat nd6_gc_runs "$D")
	check_eq "GC runs in 3 s after the last entry went" "$r0" "$r1"
	check_no_lockup
	log_test "nd6: the GC runs only in a namespace with neighbor cache entries"
}

GC_ERR=$(mktemp)
trap 'rm -f "$GC_ERR"; cleanup_all_ns' EXIT
DMESG0=$(($(dmesg | wc -l) + 1))
kame_native_pair
test_gc_walks_past_reachable
test_gc_idle_namespace
exit "$EXIT_STATUS"
