#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Neighbor Discovery under a flood: 100000 NS from random on-link sources
# (each with a random source link-layer address) at the KAME host, and the
# same flood at a native Linux host for reference. Meanwhile a native host
# on the link keeps resolving the flooded host from a new address of its
# own each time (a neighbor the flooded host has no entry for) and pings
# it, with short NUD timers so that it also probes it (DELAY after 1 s,
# then unicast NS). With the KAME host every resolution during and after
# the flood must succeed and the native host's entry for it must never be
# FAILED; the native reference is reported, not judged.
#
# Both flooded hosts have room for 1024 neighbors: nd6_maxcache 1024 on
# the KAME host, Linux's default gc_thresh3 (1024, one table for every
# namespace of the guest: the native flood fills the pinger's table too).
#
#   +----- $A (KAME) ------+        +-- $B (native: pinger, flooder) --+
#   |  veth0 2001:db8::1   |--------|  veth1 2001:db8::2 (+::1:0:0:N)  |
#   +----------------------+        |                                   |
#   +----- $N (native) ----+        |                                   |
#   |  veth2 2001:db8:9::1 |--------|  veth3 2001:db8:9::2 (+...)       |
#   +----------------------+        +-----------------------------------+
source "$(dirname "$0")/../lib.sh"
FLOOD=$KAME_TOP/build/helpers/inet6/nd6_flood
# NS a second: under qemu emulation an unpaced flood (the receiver's work
# is done in the sender's send) leaves the pinger a round or two; 3000/s
# is about a third of what the stock kernel absorbs (8500/s). The
# sanitizer kernel absorbs about 200/s: the same rate would be a CPU
# overload there (the backlog drops the pinger's frames before any ND
# code sees them), not a test of the cache, so it gets the same third of
# its own rate, 70/s, and ten times the cache's size, 10000 NS.
if [ -n "${KAME_DEBUG_KERNEL:-}" ]; then
	NFLOOD=${KAME_ND_FLOOD:-10000}
	export ND6_FLOOD_PPS=${KAME_ND_FLOOD_PPS:-70}
else
	NFLOOD=${KAME_ND_FLOOD:-100000}
	export ND6_FLOOD_PPS=${KAME_ND_FLOOD_PPS:-3000}
fi
NSRC=200	# source addresses of the pinger on each link
AFTER=8		# rounds after the flood

setup() {
	local d i
	kame_native_pair
	setup_ns N
	ip netns exec "$N" sysctl -qw net.ipv6.conf.default.accept_dad=0
	ip -n "$N" link add veth2 type veth peer name veth3 netns "$B"
	ip -n "$N" link set veth2 up
	ip -n "$B" link set veth3 up
	ip -n "$N" -6 addr add 2001:db8:9::1/64 dev veth2 nodad
	ip -n "$B" -6 addr add 2001:db8:9::2/64 dev veth3 nodad
	MAC_N=$(ip -n "$N" -j link show veth2 | jq -r '.[0].address')
	for i in $(seq "$NSRC"); do
		echo "addr add 2001:db8::1:0:0:$i/64 dev veth1 nodad"
		echo "addr add 2001:db8:9::1:0:0:$i/64 dev veth3 nodad"
	done | ip -n "$B" -6 -batch -
	# REACHABLE for 0.25-0.75 s, DELAY 1 s, then unicast probes
	for d in veth1 veth3; do
		ip netns exec "$B" sysctl -qw net.ipv6.neigh.$d.base_reachable_time_ms=500
		ip netns exec "$B" sysctl -qw net.ipv6.neigh.$d.delay_first_probe_time=1
	done
	check kame -n "$A" sysctl net.inet6.icmp6.nd6_maxcache 1024
	slowwait 10 sh -c "ip -n $B -6 -o addr show dev veth3 | grep -q 'fe80::'"
}

nd6_stat() {
	kame -n "$A" stats nd6 "$1"
}

# state of the pinger's entry for ADDR on DEV ("none" without one)
b_state() {	# DEV ADDR
	ip -n "$B" -6 neigh show "$2" dev "$1" | awk '{s = $NF} END {print s ? s : "none"}'
}

# The pinger, in the background until DONE exists and AFTER rounds more:
# each round deletes its entry for ADDR and pings ADDR once from a new
# source address, then logs "PHASE ok|fail STATE" (and what ping said,
# in LOG.err, when it failed). A second loop logs "PHASE STATE" of the
# entry every 0.2 s until DONE.stop exists.
pinger() {	# DEV ADDR SRCPFX LOG DONE
	local dev=$1 addr=$2 pfx=$3 log=$4 flag=$5 i=0 n=0 phase r out
	while :; do
		phase=flood
		[ -e "$flag" ] && phase=after
		ip -n "$B" -6 neigh del "$addr" dev "$dev" 2>/dev/null
		if out=$(ip netns exec "$B" ping -6 -n -c 1 -W 3 \
			 -I "$pfx:1:0:0:$((i % NSRC + 1))" "$addr" 2>&1); then
			r=ok
		else
			r=fail
			grep -iE 'unreachable|error|buffer|received' <<<"$out" |
				head -n 1 >>"$log.err"
		fi
		echo "$phase $r $(b_state "$dev" "$addr")" >>"$log"
		i=$((i + 1))
		if [ "$phase" = after ]; then
			n=$((n + 1))
			[ "$n" -ge "$AFTER" ] && break
		fi
		sleep 0.2
	done
}

sampler() {	# DEV ADDR LOG DONE
	local phase
	while [ ! -e "$4.stop" ]; do
		phase=flood
		[ -e "$4" ] && phase=after
		echo "$phase $(b_state "$1" "$2")" >>"$3"
		sleep 0.2
	done
}

# Flood TARGET (its address ADDR on the pinger's DEV, prefix PFX) while
# the pinger runs. Sets FL_MS, FL_DUR/FL_DOK (rounds during the flood, of
# them ok), FL_AFT/FL_AOK (after), FL_FAILED (samples and rounds with the
# entry FAILED), FL_LAST (the state after the last round) and prints them.
flood_case() {	# NAME DEV ADDR MAC PFX
	local name=$1 dev=$2 addr=$3 mac=$4 pfx=$5 d log slog sp pp
	d=$(mktemp -d)
	log=$d/rounds slog=$d/samples
	: >"$log"
	: >"$slog"
	# a first resolution before the flood
	ip netns exec "$B" ping -6 -n -c 1 -W 3 "$addr" >/dev/null 2>&1
	pinger "$dev" "$addr" "$pfx" "$log" "$d/done" &
	pp=$!
	sampler "$dev" "$addr" "$slog" "$d/done" &
	sp=$!
	FL_MS=$(ip netns exec "$B" "$FLOOD" "$dev" ns "$NFLOOD" "$mac" "$addr" "$pfx:")
	touch "$d/done"
	wait "$pp"
	touch "$d/done.stop"
	wait "$sp"
	FL_DUR=$(grep -c '^flood' "$log")
	FL_DOK=$(grep -c '^flood ok' "$log")
	FL_AFT=$(grep -c '^after' "$log")
	FL_AOK=$(grep -c '^after ok' "$log")
	FL_FAILED=$(cat "$log" "$slog" | grep -c 'FAILED')
	FL_LAST=$(tail -n 1 "$log" | awk '{print $3}')
	echo "# $name: $NFLOOD NS in $FL_MS ms; resolutions and pings from a new source: $FL_DOK/$FL_DUR ok during the flood, $FL_AOK/$FL_AFT after; pinger's entry FAILED in $FL_FAILED of $(($(wc -l <"$slog") + $(wc -l <"$log"))) looks, last $FL_LAST; states seen: $(awk '{print $NF}' "$log" "$slog" | sort | uniq -c | awk '{printf "%s %s, ", $2, $1}')"
	[ -s "$log.err" ] &&
		echo "# $name: failed pings said: $(sort "$log.err" | uniq -c | tr -s ' \n' ' ')"
	rm -rf "$d"
}

test_flood_kame() {
	local full0 ev0 n
	RET=0
	full0=$(nd6_stat nd6_cache_full)
	ev0=$(nd6_stat nd6_evict)
	flood_case KAME veth1 2001:db8::1 "$MAC_A" 2001:db8:
	[ "$FL_DUR" -ge 3 ] ||
		fail_case "only $FL_DUR rounds during the flood ($FL_MS ms)"
	check_eq "resolutions during the flood that failed" 0 $((FL_DUR - FL_DOK))
	check_eq "resolutions after the flood that failed" 0 $((FL_AFT - FL_AOK))
	check_eq "looks at the pinger's entry that found it FAILED" 0 "$FL_FAILED"
	case $FL_LAST in
	REACHABLE|STALE|DELAY|PROBE) ;;
	*) fail_case "pinger's entry $FL_LAST after the last round" ;;
	esac
	check_eq "entries refused (nd6_cache_full)" 0 \
		$(( $(nd6_stat nd6_cache_full) - full0 ))
	[ $(( $(nd6_stat nd6_evict) - ev0 )) -ge $((NFLOOD - 1024)) ] ||
		fail_case "evictions: $(( $(nd6_stat nd6_evict) - ev0 ))"
	n=$(nd6_stat nd6_entries)
	[ "$n" -le 1024 ] || fail_case "cache has $n entries, cap 1024"
	log_test "nd6: $NFLOOD NS from random sources: every resolution by a native neighbor answered, its entry never FAILED"
}

# The same flood at a native Linux host: reported for comparison only.
test_flood_native_reference() {
	local ov0
	RET=0
	ov0=$(dmesg | grep -c 'neighbor table overflow')
	flood_case "native Linux (reference)" veth3 2001:db8:9::1 "$MAC_N" 2001:db8:9:
	echo "# native Linux (reference): kernel log lines \"neighbor table overflow\" (rate-limited): $(( $(dmesg | grep -c 'neighbor table overflow') - ov0 ))"
	log_test "nd6: $NFLOOD NS from random sources at a native Linux host (reference, reported only)"
}

setup
test_flood_kame
test_flood_native_reference
exit "$EXIT_STATUS"
