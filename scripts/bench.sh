#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the VM (make bench): the KAME data path against Linux's
# native IPv6 on identical topologies, a sender namespace and a receiver
# namespace joined by a veth pair:
#
#   nn-a (native) 2001:db8::1 ---- 2001:db8::2 nn-b (native)   baseline
#   kn-a (KAME)   2001:db8::1 ---- 2001:db8::2 kn-b (native)
#   kk-a (KAME)   2001:db8::1 ---- 2001:db8::2 kk-b (KAME)
#   nc-a (native) 2001:db8::1 ---- 2001:db8::2 nc-b (native)   control:
#                 no checksum offload on the veths (ethtool -K tx off),
#                 the UDP checksums in software as the KAME stack's
#
# and (section gif) IPv6 in IPv6 tunnels over such a pair, inner
# 2001:db8:7::1 and ::2:
#
#   tn-a (native ip6tnl tnl0) ---- tn-b (native ip6tnl tnl0)   baseline
#   tk-a (KAME gif0)          ---- tk-b (native ip6tnl tnl0)
#
# and (section esp) ESP in transport mode between the two ends of such a
# pair, veth MTU 1600, the same SAs (aes-gcm-16, aes-cbc+hmac-sha2-256):
#
#   en-a (native, XFRM)       ---- en-b (native, XFRM)         baseline
#   ek-a (KAME, kame_ipsec)   ---- ek-b (native, XFRM)
#   ee-a (KAME, kame_ipsec)   ---- ee-b (KAME, kame_ipsec)
#
# and (section fwd) a router between two native hosts, 2001:db8:1::/64
# and 2001:db8:2::/64:
#
#   fn-s (native) ---- fn-r (Linux router) ---- fn-d (native)   baseline
#   fk-s (native) ---- fk-r (KAME router)  ---- fk-d (native)
#
# Every row runs ROUNDS rounds of one native and one KAME run (in turns
# within one program, or in an order drawn for each round) with the same
# programs (kbench -f inet6 or -f kame), sizes, durations and CPU pinning:
# a throughput sender on CPU 0 and its receiver on CPU 1; both ends of a
# round trip on CPU 0 (under qemu TCG a wakeup across vCPUs waits for the
# next tick, 4 ms, which would be all a round trip showed). Writes
# OUT/rows.tsv and OUT/raw.tsv (every run, with its round), then
# OUT/results.json and OUT/table.txt (bench-report.py: median [min..max]
# per row, and the KAME/native ratio of the rounds with its 95% confidence
# interval).
#   scripts/bench.sh OUT
# With KAME_BENCH_PROFILE=1 (make bench PROFILE=1) it also profiles one
# stack at a time sending and receiving UDP (with the udp section), and
# receiving the fuzzer's udp, exthdr and frag classes (with rxcost), under
# `perf record -a` and writes OUT/profile.txt (samples per datagram, the
# top symbols).
# Exit status 1 when a run failed to execute (there are no thresholds).
set -u
out=$1
top=$(cd "$(dirname "$0")/.." && pwd)
export PATH=$top/build/bin:$PATH
# shellcheck source=scripts/eui64.sh
. "$top/scripts/eui64.sh"
ROUNDS=${KAME_BENCH_ROUNDS:-10}
SECS=${KAME_BENCH_SECS:-2}		# sending time of a pps run
SLICE=${KAME_BENCH_SLICE:-20}		# ms of one stack's turn in a pps run
RTTS=${KAME_BENCH_RTTS:-2000}		# round trips of a ping-pong run
PINGS=${KAME_BENCH_PINGS:-200}		# echo requests of a ping run
BURST=${KAME_BENCH_BURST:-1000}		# neighbours resolved in a burst
ONLY=${KAME_BENCH_ONLY:-}		# some of: udp load flows gif fwd esp
					# rtt icmp burst ndcache rxcost route
FLOWS=${KAME_BENCH_FLOWS:-4}		# senders of a multi-flow run
ESP_ALGS=${KAME_BENCH_ESP_ALGS:-gcm cbc}	# aes-gcm-16, aes-cbc+hmac-sha2-256
RXN=${KAME_BENCH_RXN:-4000}		# frames of a receive-cost run
PROFILE=${KAME_BENCH_PROFILE:-0}	# 1: perf profiles of UDP runs too
RT_SIZES=${KAME_BENCH_RT_SIZES:-1000 100000}	# prefixes in the tables (1000000: about +5 min)
RT_LOOKUPS=${KAME_BENCH_RT_LOOKUPS:-20000}	# timed lookups per run
RT_SEED=1
FLOOD=$top/build/helpers/inet6/nd6_flood	# fills neighbour caches
KFUZZ6=$top/build/helpers/fuzz/kfuzz6		# frames of one input class
GIF_KO=${KAME_GIF_KO:-$top/kmod/gif/kame_gif.ko}
IPSEC_KO=${KAME_IPSEC_KO:-$top/kmod/ipsec/kame_ipsec.ko}
PORT=9000
TX_CPU=0
RX_CPU=1
RTT_CPU=0
logs=$out/logs
ROUND=0		# the round of the run being recorded (alternate, interleave)
failed=0
pids=()
declare -A STACK ADDR MAC LL	# of each namespace: stack, address, MAC,
				# link-local address

mkdir -p "$logs"
: >"$out/rows.tsv"
: >"$out/raw.tsv"
# a file descriptor nothing is ever written to: `read -t` on it sleeps
# without starting a program
exec {idle_fd}<> <(:)

cleanup() {
	local p ns

	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	for ns in "${!STACK[@]}" rt; do ip netns del "$ns" 2>/dev/null; done
	[ -d /sys/module/kbench_rt ] && rmmod kbench_rt
	[ -d /sys/module/kame_gif ] &&
		! wait_for 20 rmmod kame_gif 2>/dev/null && rmmod kame_gif
	[ -d /sys/module/kame_ipsec ] &&
		! wait_for 20 rmmod kame_ipsec 2>/dev/null && rmmod kame_ipsec
	# namespaces go away asynchronously, with their sockets
	[ -d /sys/module/kame ] &&
		! wait_for 20 rmmod kame 2>/dev/null && rmmod kame
}
trap cleanup EXIT

note() { echo "# $*"; }
info() { printf 'info\t%s\t%s\n' "$1" "$2" >>"$out/raw.tsv"; note "$1: $2"; }
section() { note "== $* (${SECONDS} s)"; }
want() { [ -z "$ONLY" ] || [[ " $ONLY " == *" $1 "* ]]; }

# row ID TITLE UNIT BETTER(higher|lower) [NA_REASON]
row() { printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "${5:-}" >>"$out/rows.tsv"; }

wait_for() {	# TIMEOUT_S CMD...: poll CMD every 50 ms
	local end=$((SECONDS + $1))

	shift
	until "$@"; do
		[ $SECONDS -ge $end ] && return 1
		read -rt 0.05 -u "$idle_fd"
	done
	return 0
}

is_ready() { local l; read -r l 2>/dev/null <"$1" && [ "$l" = ready ]; }
no_tentative() { ! kame -n "$1" addr show | grep -q tentative; }
dev_of() { [ "${1##*-}" = a ] && echo veth0 || echo veth1; }
# NS CPU CMD...: CMD in NS pinned to CPU (ip netns exec + taskset, faster)
on() { local ns=$1 cpu=$2; shift 2; kbench -n "$ns" -c "$cpu" exec "$@"; }
# NS CPU ARGS...: kbench on the stack of NS
kb() { local ns=$1 cpu=$2; shift 2; kbench -n "$ns" -c "$cpu" -f "${STACK[$ns]}" "$@"; }
# kv KEY FILE: REPLY is the value of the last KEY=VALUE in FILE (no program
# is started: under emulation each start costs 0.1 s)
kv() {
	local line w

	REPLY=
	while read -r line; do
		for w in $line; do
			[[ $w == "$1="* ]] && REPLY=${w#*=}
		done
	done <"$2"
}

# side NS DEV ADDR STACK: bring one end up on the native or the KAME stack
side() {
	local ns=$1 dev=$2 addr=$3 stack=$4

	STACK[$ns]=$stack
	ADDR[$ns]=$addr
	MAC[$ns]=$(ip -n "$ns" -j link show "$dev" | jq -r '.[0].address')
	LL[$ns]=$(eui64_ll "${MAC[$ns]}")
	ip -n "$ns" link set "$dev" up
	if [ "$stack" = kame ]; then
		kame -n "$ns" link attach "$dev" &&
			kame -n "$ns" addr add "$addr/64" dev "$dev" &&
			wait_for 10 no_tentative "$ns"
	else
		ip -n "$ns" -6 addr add "$addr/64" dev "$dev" nodad
	fi
}

# netns NS...: new namespaces, lo up, no DAD, RS or autoconf noise on
# their native interfaces
netns() {
	local ns

	for ns; do
		ip netns add "$ns" || return 1
		STACK[$ns]=none
		ip -n "$ns" link set lo up
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0 \
			net.ipv6.conf.default.accept_ra=0 \
			net.ipv6.conf.default.router_solicitations=0
	done
}

# pair NAME STACK_A STACK_B [MTU]
pair() {
	netns "$1-a" "$1-b" || return 1
	ip -n "$1-a" link add veth0 ${4:+mtu $4} type veth peer name veth1 \
		netns "$1-b" ${4:+mtu $4} &&
		side "$1-a" veth0 2001:db8::1 "$2" &&
		side "$1-b" veth1 2001:db8::2 "$3"
}

# tunnel NS INNER LOCAL REMOTE: NS's end of an IPv6 in IPv6 tunnel from
# LOCAL to REMOTE (NS's veth addresses), INNER/64 on it; NS's address is
# INNER from now on. KAME: gif0 of kame_gif.ko, the outer header through
# the KAME stack. Native: ip6tnl (ip6ip6) without the Tunnel Encapsulation
# Limit option, which gif does not send either: the same packets on the
# wire. Both with ip6tnl's MTU (gif's default is 1280: 1400-byte
# datagrams would leave KAME in fragments).
tunnel() {
	local ns=$1 inner=$2

	if [ "${STACK[$ns]}" = kame ]; then
		ip -n "$ns" link add gif0 type gif &&
			ip -n "$ns" link set gif0 mtu 1460 &&
			on "$ns" $TX_CPU gifconfig gif0 inet6 "$3" "$4" up \
				>/dev/null &&
			kame -n "$ns" addr add "$inner/64" dev gif0 &&
			wait_for 10 no_tentative "$ns" || return 1
	else
		ip -n "$ns" link add tnl0 type ip6tnl mode ip6ip6 local "$3" \
			remote "$4" encaplimit none &&
			ip -n "$ns" link set tnl0 mtu 1460 up &&
			ip -n "$ns" -6 addr add "$inner/64" dev tnl0 nodad ||
			return 1
	fi
	ADDR[$ns]=$inner
}

# udp_pps FROM TO FROM TO SIZE [RATE]: datagrams per second received from
# a sender going as fast as it can (or offering RATE a second), native (the
# first FROM -> TO) and KAME (the second) in turns of SLICE ms within one
# sender and one receiver.
# The rate is the median of the sender's slices (a slice during which the
# host took the emulated CPU away counts as one slice), times the share
# of the datagrams the receiver got. The share lost (sent, not received)
# goes to RUNLOG.loss, in percent, native then KAME; the CPU time of the
# sender (with the receiving host's softirq work, which a veth does on the
# sender's CPU) and of the receiver per datagram received to RUNLOG.cpu,
# in microseconds.
udp_pps() {
	local i c n loss='' cpu=''

	with_sink "$2:${STACK[$2]}" "$4:${STACK[$4]}" \
		kbench -c $TX_CPU send -s "$5" -t "$SECS" -q "$SLICE" ${6:+-r "$6"} \
		"${ADDR[$2]}" $PORT "$1:${STACK[$1]}" "$3:${STACK[$3]}" || return 1
	for i in 0 1; do
		kv count$i "$RUNLOG.rx"
		c=$REPLY
		kv sent$i "$RUNLOG.tx"
		n=$REPLY
		kv pps$i "$RUNLOG.tx"
		[ "${n:-0}" -gt 0 ] && [ "${c:-0}" -gt 0 ] || return 1
		echo $((REPLY * c / n))
		tally $i "$n" "$c"
	done
	echo "$loss" >"$RUNLOG.loss"
	echo "$cpu" >"$RUNLOG.cpu"
}

# with_sink SIDE SIDE CMD...: CMD (its output in RUNLOG.tx) while a
# receiver on RX_CPU counts what each side gets on PORT (RUNLOG.rx), until
# the receiver has drained its queues
with_sink() {
	local rx

	kbench -c $RX_CPU sink $PORT "$1" "$2" >"$RUNLOG.rx" 2>&1 &
	rx=$!
	if ! wait_for 10 is_ready "$RUNLOG.rx"; then
		kill $rx 2>/dev/null
		return 1
	fi
	shift 2
	if ! "$@" >"$RUNLOG.tx" 2>&1; then
		kill $rx
		return 1
	fi
	read -rt 0.3 -u "$idle_fd"	# the receiver drains its queues
	kill -INT $rx
	wait $rx
}

# tally I SENT GOT: side I's loss (percent) and the CPU time of its sender
# and receiver (RUNLOG.tx, RUNLOG.rx) per datagram got (microseconds),
# appended to the caller's loss and cpu
tally() {
	local tx

	loss="$loss $(awk -v c="$3" -v n="$2" 'BEGIN { printf "%.2f", (n - c) * 100 / n }')"
	kv cpu$1 "$RUNLOG.tx"
	tx=$REPLY
	kv cpu$1 "$RUNLOG.rx"
	cpu="$cpu $(awk -v t="$tx" -v r="$REPLY" -v c="$3" 'BEGIN { printf "%.2f", (t + r) * 1e6 / c }')"
}

# udp_flows PAIR FLOWS SIZE: FLOWS senders of SIZE-byte datagrams from
# PAIR-a at once, half pinned to each CPU, each to its own port and
# receiver on PAIR-b (not pinned; RPS on veth1 spreads the receive work
# over both CPUs), for SECS seconds: datagrams per second received in
# all. The loss to RUNLOG.loss (percent), the busy CPU of both CPUs
# (/proc/stat, the idle load taken off) per datagram received to
# RUNLOG.cpu (microseconds). One stack at a time (alternate): flows of
# both at once would share the CPUs in a way neither controls. What a
# global lock taken per packet costs shows here and not in one flow.
udp_flows() {
	local p=$1 n=$2 i rx=() tx=() got=0 sent=0 b0 b1 t0 t1

	for ((i = 0; i < n; i++)); do
		kbench -n "$p-b" -f "${STACK[$p-b]}" sink $((PORT + 100 + i)) \
			>"$RUNLOG.rx$i" 2>&1 &
		rx+=($!)
	done
	for ((i = 0; i < n; i++)); do
		wait_for 10 is_ready "$RUNLOG.rx$i" || { kill "${rx[@]}"; return 1; }
	done
	b0=$(busy_ticks)
	t0=$EPOCHREALTIME
	for ((i = 0; i < n; i++)); do
		kbench -n "$p-a" -c $((i % 2)) -f "${STACK[$p-a]}" send -s "$3" \
			-t "$SECS" 2001:db8::2 $((PORT + 100 + i)) >"$RUNLOG.tx$i" 2>&1 &
		tx+=($!)
	done
	for i in "${tx[@]}"; do
		wait "$i" || { kill -INT "${rx[@]}"; wait "${rx[@]}"; return 1; }
	done
	read -rt 0.3 -u "$idle_fd"	# the receivers drain their queues
	b1=$(busy_ticks)
	t1=$EPOCHREALTIME
	kill -INT "${rx[@]}"
	wait "${rx[@]}"
	for ((i = 0; i < n; i++)); do
		kv count0 "$RUNLOG.rx$i"
		got=$((got + ${REPLY:-0}))
		kv sent0 "$RUNLOG.tx$i"
		sent=$((sent + ${REPLY:-0}))
	done
	[ "$got" -gt 0 ] && [ "$sent" -gt 0 ] || return 1
	echo $((got / SECS))
	awk -v c="$got" -v n="$sent" 'BEGIN { printf "%.2f\n", (n - c) * 100 / n }' \
		>"$RUNLOG.loss"
	awk -v b="$((b1 - b0))" -v t0="$t0" -v t1="$t1" -v i="$IDLE_TPS" \
		-v c="$got" 'BEGIN { printf "%.2f\n", (b - i * (t1 - t0)) * 10000 / c }' \
		>"$RUNLOG.cpu"
}

# udp_tx SIZE: send only. Datagrams per second the native sender of pair
# sn and the KAME sender of pair sk put on the wire (counted by the peer's
# veth, whose ingress drops them before any stack), in turns of SLICE ms;
# the sender's CPU time per datagram to RUNLOG.cpu.
udp_tx() {
	local r0n r0k i got cpu=

	r0n=$(rx_of sn-b veth1)
	r0k=$(rx_of sk-b veth1)
	kbench -c $TX_CPU send -s "$1" -t "$SECS" -q "$SLICE" 2001:db8::2 $PORT \
		sn-a:inet6 sk-a:kame >"$RUNLOG" 2>&1 || return 1
	for i in 0 1; do
		if [ $i = 0 ]; then
			got=$(($(rx_of sn-b veth1) - r0n))
		else
			got=$(($(rx_of sk-b veth1) - r0k))
		fi
		[ "$got" -gt 0 ] || return 1
		kv secs$i "$RUNLOG"
		awk -v n="$got" -v s="$REPLY" 'BEGIN { printf "%.0f\n", n / s }'
		kv cpu$i "$RUNLOG"
		cpu="$cpu $(awk -v c="$REPLY" -v n="$got" 'BEGIN { printf "%.2f", c * 1e6 / n }')"
	done
	echo "$cpu" >"$RUNLOG.cpu"
}

# udp_rx SIZE: receive only. Identical UDP frames of SIZE bytes of data
# from b's veth1 on an AF_PACKET socket (kbench echoflood -u) to a's
# receiver, native pair nn and KAME pair kn in turns of SLICE ms:
# datagrams per second the receiver got, the loss, and the CPU time per
# datagram of the sender (which a veth makes do the receiving host's
# softirq work) and of the receiver.
udp_rx() {
	local i c n sent loss='' cpu=''

	with_sink nn-a:inet6 kn-a:kame \
		kbench -c $TX_CPU echoflood -t "$SECS" -q "$SLICE" -u $PORT \
		-s "$1" 2001:db8::2 2001:db8::1 "nn-b:veth1:${MAC[nn-a]}" \
		"kn-b:veth1:${MAC[kn-a]}" || return 1
	for i in 0 1; do
		kv count$i "$RUNLOG.rx"
		c=$REPLY
		kv echo$i "$RUNLOG.tx"
		sent=$REPLY
		kv secs$i "$RUNLOG.tx"
		n=$REPLY
		[ "${sent:-0}" -gt 0 ] && [ "${c:-0}" -gt 0 ] || return 1
		awk -v c="$c" -v s="$n" 'BEGIN { printf "%.0f\n", c / s }'
		tally $i "$sent" "$c"
	done
	echo "$loss" >"$RUNLOG.loss"
	echo "$cpu" >"$RUNLOG.cpu"
}

# pp_rtt SIZE NS NS: p50 and p99 of a SIZE-byte UDP ping-pong from each
# NS (native, then KAME) to b's echo of its pair, one round trip on the
# first, one on the second, and so on
pp_rtt() {
	local i p50

	kbench -c $RTT_CPU pingpong -n "$RTTS" -s "$1" 2001:db8::2 $((PORT + 1)) \
		"$2:${STACK[$2]}" "$3:${STACK[$3]}" >"$RUNLOG" 2>&1 || return 1
	for i in 0 1; do
		kv p50_us$i "$RUNLOG"
		p50=$REPLY
		kv p99_us$i "$RUNLOG"
		echo "$p50 $REPLY"
	done
}

# p50 and p99 of the "time=X ms" lines of ping output, in microseconds
ping_pct() {
	grep -o 'time=[0-9.]*' "$1" | cut -d= -f2 | sort -n | awk '
		{ v[NR] = $1 * 1000 }
		END {
			if (NR < 10) exit 1
			i50 = int(0.50 * NR + 0.999999); i99 = int(0.99 * NR + 0.999999)
			printf "%.1f %.1f\n", v[i50], v[i99]
		}'
}

# kping6 on both pairs, the same program: on Linux's IPv6 (AF_INET6,
# KAME_FAMILY=inet6) on the native pair, on AF_KAME on the KAME one; 10 ms
# apart, the smallest interval kping6 takes
icmp_rtt_native() {
	on nn-a $RTT_CPU env KAME_FAMILY=inet6 kping6 -n -c "$PINGS" -i 0.01 \
		2001:db8::2 >"$RUNLOG" 2>&1 || return 1
	ping_pct "$RUNLOG"
}

icmp_rtt_kame() {
	on kk-a $RTT_CPU kping6 -n -c "$PINGS" -i 0.01 2001:db8::2 \
		>"$RUNLOG" 2>&1 || return 1
	ping_pct "$RUNLOG"
}

nd_entries() {	# NS: entries in its neighbour cache
	if [ "${STACK[$1]}" = kame ]; then
		kame -n "$1" -j stats nd6 | jq '.[0].nd6.nd6_entries'
	else
		ip -n "$1" -6 neigh show | wc -l
	fi
}

nd_flush() {	# NS
	if [ "${STACK[$1]}" = kame ]; then
		on "$1" $TX_CPU ndp -c >/dev/null
	else
		ip -n "$1" -6 neigh flush dev "$(dev_of "$1")"
	fi
}

# nd_fill PAIR SIZE: exactly SIZE neighbours in a's cache, solicited by
# b from the sources 2001:db8::200:0:0:1 to ::200:0:0:SIZE (nd6_flood
# nsseq, each with a link-layer address option), and the sender of the
# echo requests resolved; fails when the cache holds fewer
nd_fill() {
	local n=0 mac

	mac=${MAC[$1-a]}
	nd_flush "$1-a"
	# a stack that falls behind drops part of a flood: send again (the
	# same sources: nothing is added twice)
	for _ in 1 2 3 4 5; do
		on "$1-b" $TX_CPU "$FLOOD" veth1 nsseq "$2" "$mac" \
			2001:db8::1 2001:db8:: >/dev/null || return 1
		n=$(nd_entries "$1-a")
		[ "$n" -ge "$2" ] && break
	done
	on "$1-b" $TX_CPU ping -6 -n -c 1 -W 5 2001:db8::1 >/dev/null || return 1
	n=$(nd_entries "$1-a")
	info "nd_entries_${1}_$2" "$n"
	[ "$n" -ge "$2" ] || { note "$1-a holds $n neighbours, not $2"; return 1; }
}

rx_of() {	# NS DEV: packets DEV received (awk: a jq start costs a second)
	ip -n "$1" -s link show "$2" | awk '/^ *RX:/ { getline; print $2; exit }'
}

# nd_echo SIZE: echo replies per second a's stack sends, each request from
# one of the SIZE cached sources drawn at random (each reply looks its
# destination up in a different entry), sent from b on an AF_PACKET
# socket (the veth delivers each one before the send returns), native
# and KAME pairs in turns of SLICE ms. The replies are counted on the wire,
# at b's veth1, over the time of each side's slices.
nd_echo() {
	local r0n r0k

	r0n=$(rx_of nn-b veth1)
	r0k=$(rx_of kn-b veth1)
	kbench -c $TX_CPU echoflood -t "$SECS" -q "$SLICE" -N "$1" 2001:db8:: \
		2001:db8::1 "nn-b:veth1:${MAC[nn-a]}" "kn-b:veth1:${MAC[kn-a]}" \
		>"$RUNLOG" 2>&1 || return 1
	read -rt 0.3 -u "$idle_fd"	# the last replies
	kv secs0 "$RUNLOG"
	awk -v r="$(($(rx_of nn-b veth1) - r0n))" -v s="$REPLY" 'BEGIN { printf "%.0f\n", r / s }'
	kv secs1 "$RUNLOG"
	awk -v r="$(($(rx_of kn-b veth1) - r0k))" -v s="$REPLY" 'BEGIN { printf "%.0f\n", r / s }'
}

# burst PAIR: ms until BURST new on-link neighbours (b's extra addresses)
# are resolved, each having been sent one datagram, and have answered
burst() {
	nd_flush "$1-a"
	kb "$1-a" $RTT_CPU burst -n "$BURST" 2001:db8::1:0 $((PORT + 1)) \
		>"$RUNLOG" 2>&1 || return 1
	kv ms "$RUNLOG"
	echo "$REPLY"
}

# The CPU ticks (1/100 s) all CPUs were busy since boot
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }

# idle_load: IDLE_TPS, the busy ticks a second of the VM with nothing to
# do (the guest's own background), taken off the CPU figures from
# busy_ticks; measured once
idle_load() {
	local b0 t0

	[ -n "${IDLE_TPS:-}" ] && return
	b0=$(busy_ticks)
	t0=$EPOCHREALTIME
	read -rt 2 -u "$idle_fd"
	IDLE_TPS=$(awk -v b="$(($(busy_ticks) - b0))" -v t0="$t0" \
		-v t1="$EPOCHREALTIME" 'BEGIN { print b / (t1 - t0) }')
	info idle_ticks_per_s "$IDLE_TPS"
}

# rx_busy PAIR CLASS START: microseconds of busy CPU per frame while RXN
# frames of one kfuzz6 class (selftests/fuzz/), from index START, go from
# PAIR-b to PAIR-a as fast as AF_PACKET sends them, until PAIR-a is done
# with them (a veth delivers on the sender's CPU). The idle load measured
# at setup (IDLE_TPS ticks a second) is taken off.
rx_busy() {
	local a=$1-a b=$1-b t0 t1 b0 b1

	b0=$(busy_ticks)
	t0=$EPOCHREALTIME
	on "$b" $TX_CPU "$KFUZZ6" veth1 "${MAC[$b]}" "${MAC[$a]}" 2001:db8::2 \
		2001:db8::1 "${LL[$b]}" "${LL[$a]}" --seed 0x4b414d45 \
		--start "$3" --count "$RXN" --classes "$2" --land 0 \
		--lladdr "${MAC[$b]}" --udp 7,9 --raw 253 >>"$RUNLOG" 2>&1 ||
		return 1
	read -rt 1 -u "$idle_fd"	# what the backlog held is processed
	b1=$(busy_ticks)
	t1=$EPOCHREALTIME
	awk -v b="$((b1 - b0))" -v t0="$t0" -v t1="$t1" -v i="$IDLE_TPS" \
		-v n="$RXN" 'BEGIN { printf "%.1f\n", (b - i * (t1 - t0)) * 10000 / n }'
}

# rx_cost PAIR CLASS: rx_busy on PAIR, the same frames (from RXN * ROUND)
# on both pairs in round ROUND. Once a round the same frames also go to
# the pair sd, whose receiver drops them at tc ingress, before any IPv6
# stack: the share of sending, of the veth and of the softirq up to the
# stack, which both stacks' figures include (kept in a file, as commands
# run in a subshell; its median becomes an info line). Subtracting it run
# by run was tried: two figures of that noise left differences of either
# sign.
rx_cost() {
	local start=$((ROUND * RXN)) f=$logs/rxbase.$2.$ROUND all base

	: >"$RUNLOG"
	if [ -s "$f" ]; then
		read -r base <"$f"
	else
		base=$(rx_busy sd "$2" $start) || return 1
		echo "$base" >"$f"
	fi
	all=$(rx_busy "$1" "$2" $start) || return 1
	echo "sd $base $1 $all" >>"$RUNLOG"
	echo "$all"
}

record() {	# "ROW..." VARIANT VALUE... (of round ROUND)
	local r v=("${@:3}") j=0

	for r in $1; do
		printf '%s\t%s\t%s\t%s\n' "$r" "$2" "${v[$j]:-}" "$ROUND" >>"$out/raw.tsv"
		j=$((j + 1))
	done
}

# run VARIANT "ROW..." CMD: one run of CMD, which prints one value per row
# (or, VARIANT "both", a line of native values then a line of KAME ones)
run() {
	local variant=$1 rows=$2 v

	if v=$(eval "$3") && [ -n "$v" ]; then
		if [ "$variant" = both ]; then
			local nv=${v%%$'\n'*} kav=${v#*$'\n'} nl kl
			# shellcheck disable=SC2086
			record "$rows" native $nv
			# shellcheck disable=SC2086
			record "$rows" kame $kav
			line="$line native $nv kame $kav"
			if [ -s "$RUNLOG.loss" ]; then	# udp_pps: loss, percent
				read -r nl kl <"$RUNLOG.loss"
				record "$rows" loss-native "$nl"
				record "$rows" loss-kame "$kl"
				line="$line loss $nl% $kl%"
			fi
			if [ -s "$RUNLOG.cpu" ]; then	# us CPU per datagram
				read -r nl kl <"$RUNLOG.cpu"
				record "$rows" cpu-native "$nl"
				record "$rows" cpu-kame "$kl"
				line="$line cpu $nl $kl us"
			fi
		else
			# shellcheck disable=SC2086
			record "$rows" "$variant" $v
			line="$line $variant $v"
			if [ -s "$RUNLOG.loss" ]; then	# udp_flows
				read -r nl <"$RUNLOG.loss"
				record "$rows" "loss-$variant" "$nl"
				line="$line loss $nl%"
			fi
			if [ -s "$RUNLOG.cpu" ]; then
				read -r nl <"$RUNLOG.cpu"
				record "$rows" "cpu-$variant" "$nl"
				line="$line cpu $nl us"
			fi
		fi
	else
		note "run failed: $3 (log $RUNLOG*)"
		failed=1
		line="$line $variant FAILED"
	fi
}

# alternate "ROW..." "NATIVE CMD" "KAME CMD": ROUNDS rounds of one run of
# each, in an order drawn for each round (an empty command is not run);
# ROUND is the round, from 1
alternate() {
	local i line v order

	for ((i = 1; i <= ROUNDS; i++)); do
		line=
		ROUND=$i
		order="kame native"
		((RANDOM % 2)) && order="native kame"
		for v in $order; do
			RUNLOG=$logs/${1%% *}.$v.$i
			if [ $v = native ]; then
				run native "$1" "$2"
			elif [ -n "$3" ]; then
				run kame "$1" "$3"
			fi
		done
		note "${1%% *} round $i:$line"
	done
}

# interleave "ROW..." CMD: ROUNDS runs of a CMD that takes turns itself
interleave() {
	local i line

	for ((i = 1; i <= ROUNDS; i++)); do
		line=
		ROUND=$i
		RUNLOG=$logs/${1%% *}.$i
		run both "$1" "$2"
		note "${1%% *} round $i:$line"
	done
}

# profile NAME SIZE FROM TO: one run of FROM's stack sending SIZE-byte
# datagrams to TO alone under `perf record -a` (cpu-clock: qemu TCG has
# no PMU); appends the cost per datagram and the top symbols to
# OUT/profile.txt
profile() {
	local f=$out/profile/$1 rx samples busy got

	mkdir -p "$out/profile"
	kbench -c $RX_CPU sink $PORT "$4:${STACK[$4]}" >"$f.rx" 2>&1 &
	rx=$!
	if ! wait_for 10 is_ready "$f.rx"; then
		kill $rx 2>/dev/null
		return 1
	fi
	perf record -q -N -a -e cpu-clock -F 1000 -o "$f.data" -- \
		kbench -c $TX_CPU send -s "$2" -t "$SECS" "${ADDR[$4]}" $PORT \
		"$3:${STACK[$3]}" >"$f.tx" 2>"$f.err" || { kill $rx; return 1; }
	read -rt 0.3 -u "$idle_fd"
	kill -INT $rx
	wait $rx
	kv count0 "$f.rx"
	got=${REPLY:-0}
	# busy: the samples not taken in the idle loop
	read -r samples busy < <(perf script -i "$f.data" -F ip,sym 2>/dev/null |
		awk '{ n++ } !/safe_halt|default_idle|cpu_idle|do_idle|poll_idle/ { b++ }
		     END { print n + 0, b + 0 }')
	{
		echo "== $1: $samples samples (1 ms each, both CPUs), $busy not idle," \
			"for $got datagrams received:" \
			"$(awk -v s="$busy" -v n="$got" 'BEGIN { if (n) printf "%.1f", s * 1000 / n; else print "n/a" }') us of busy CPU per datagram"
		perf report -i "$f.data" --stdio --no-children --sort sym \
			--percent-limit 1 2>/dev/null | grep -v -e '^#' -e '^$' | head -25
		echo
	} >>"$out/profile.txt"
}

# rx_profile PAIR CLASS: RXN frames of CLASS from the fuzzer sent to
# PAIR's host under `perf record -a`; appends the top symbols to
# OUT/profile.txt (where a class's receive cost goes)
rx_profile() {
	local f=$out/profile/rx-$1-$2 name=native

	[ "$1" = kn ] && name=KAME
	mkdir -p "$out/profile"
	perf record -q -N -a -e cpu-clock -F 1000 -o "$f.data" -- \
		kbench -n "$1-b" -c $TX_CPU exec "$KFUZZ6" veth1 "${MAC[$1-b]}" "${MAC[$1-a]}" \
		2001:db8::2 2001:db8::1 "${LL[$1-b]}" "${LL[$1-a]}" \
		--seed 0x4b414d45 --count "$RXN" --classes "$2" --land 0 \
		--lladdr "${MAC[$1-b]}" --udp 7,9 --raw 253 >"$f.tx" 2>&1 ||
		return 1
	{
		echo "== $RXN kfuzz6 $2 frames sent to a $name host (sender included):" \
			"$(perf script -i "$f.data" -F ip 2>/dev/null | wc -l) samples of 1 ms"
		perf report -i "$f.data" --stdio --no-children --sort sym \
			--percent-limit 1 2>/dev/null | grep -v -e '^#' -e '^$' | head -25
		echo
	} >>"$out/profile.txt"
}

# ESP: the keys of selftests/ipsec/esp.sh, SPI 0x1001 from a (2001:db8::1)
# to b (::2), 0x1002 back, the same for both stacks
ESP_GCM=0x0102030405060708090a0b0c0d0e0f1011121314	# 128-bit key + salt
ESP_AES=0x000102030405060708090a0b0c0d0e0f
ESP_SHA=0x0101010101010101010101010101010101010101010101010101010101010101
declare -A ESP_NAME=([gcm]=aes-gcm-16 [cbc]=aes-cbc+hmac-sha2-256)

# esp_host NS: ESP transport-mode policies (require) for everything between
# NS and its peer, both ways, and the peer's link-layer address static (no
# ND message meets the policies)
esp_host() {
	local ns=$1 me=2001:db8::1 peer=2001:db8::2 pns=${1%-a}-b

	if [ "${ns##*-}" = b ]; then
		me=2001:db8::2 peer=2001:db8::1 pns=${1%-b}-a
	fi
	if [ "${STACK[$ns]}" = kame ]; then
		on "$ns" $TX_CPU ndp -s $peer "${MAC[$pns]}" >/dev/null &&
			printf 'spdflush;\nspdadd %s %s any -P out ipsec esp/transport//require;\nspdadd %s %s any -P in ipsec esp/transport//require;\n' \
				$me $peer $peer $me | on "$ns" $TX_CPU setkey -c
	else
		ip -n "$ns" neigh replace $peer lladdr "${MAC[$pns]}" \
			dev "$(dev_of "$ns")" nud permanent &&
			ip -n "$ns" -batch - <<-EOF
			xfrm policy add src $me/128 dst $peer/128 dir out tmpl src $me dst $peer proto esp mode transport
			xfrm policy add src $peer/128 dst $me/128 dir in tmpl src $peer dst $me proto esp mode transport
			EOF
	fi
}

# esp_sas NS ALG: NS's SAs (both ways) replaced by ALG's (gcm or cbc)
esp_sas() {
	local k x a=2001:db8::1 b=2001:db8::2

	case $2 in
	gcm)
		k="-E aes-gcm-16 $ESP_GCM"
		x="aead rfc4106(gcm(aes)) $ESP_GCM 128" ;;
	cbc)
		k="-E aes-cbc $ESP_AES -A hmac-sha2-256 $ESP_SHA"
		x="enc cbc(aes) $ESP_AES auth-trunc hmac(sha256) $ESP_SHA 128" ;;
	esac
	if [ "${STACK[$1]}" = kame ]; then
		printf 'flush;\nadd %s %s esp 0x1001 %s;\nadd %s %s esp 0x1002 %s;\n' \
			$a $b "$k" $b $a "$k" | on "$1" $TX_CPU setkey -c
	else
		ip -n "$1" -batch - <<-EOF
		xfrm state flush
		xfrm state add src $a dst $b proto esp spi 0x1001 mode transport $x
		xfrm state add src $b dst $a proto esp spi 0x1002 mode transport $x
		EOF
	fi
}

# esp_setup: kame_ipsec.ko, the pairs en, ek and ee with their policies
# and their echo servers
esp_setup() {
	local ns

	insmod "$IPSEC_KO" && pair en inet6 inet6 1600 &&
		pair ek kame inet6 1600 && pair ee kame kame 1600 || return 1
	for ns in en-a en-b ek-a ek-b ee-a ee-b; do
		esp_host $ns || return 1
	done
	for ns in en-b ek-b ee-b; do
		kbench -n "$ns" -c $RTT_CPU -f "${STACK[$ns]}" echo \
			$((PORT + 1)) >"$logs/echo.$ns" 2>&1 &
		pids+=($!)
		wait_for 10 is_ready "$logs/echo.$ns" || return 1
	done
}

# esp_algorithm ALG: every end's SAs replaced by ALG's, then datagrams
# both ways through each pair (the first XFRM SAs load the ciphers)
esp_algorithm() {
	local ns p

	for ns in en-a en-b ek-a ek-b ee-a ee-b; do
		esp_sas $ns "$1" || return 1
	done
	for p in en ek ee; do
		kb $p-a $TX_CPU pingpong -n 10 2001:db8::2 $((PORT + 1)) \
			>/dev/null || return 1
	done
}

# esp_count NS: "out N in N", the datagrams NS's SAs protected and took:
# kame_ipsec's out_success and in_success (since the module was loaded),
# or the packets of NS's XFRM states (since they were added); and the
# datagrams NS fragmented (none: the MTU leaves room for ESP)
esp_count() {
	local o i f

	if [ "${STACK[$1]}" = kame ]; then
		read -r o i < <(kame -n "$1" stats ipsec6 out_success in_success |
			paste -sd' ')
		f=$(kame -n "$1" stats ip6 ip6s_fragmented)
	else
		read -r o i < <(ip -n "$1" -s xfrm state | awk '
			/^src 2001:db8::1 / { d = "ab" } /^src 2001:db8::2 / { d = "ba" }
			/\(packets\)/ { sub(/\(packets\)/, "", $2); n[d] += $2 }
			END { print n["ab"] + 0, n["ba"] + 0 }')
		[ "${1##*-}" = b ] && read -r i o <<<"$o $i"
		f=$(on "$1" $TX_CPU awk '$1 == "Ip6FragCreates" { print $2 }' \
			/proc/net/snmp6)
	fi
	echo "out ${o:-?} in ${i:-?} fragmented ${f:-?}"
}

# --- setup ---------------------------------------------------------------
section setup
insmod "$top/kmod/core/kame.ko" || exit 1
info kernel "$(uname -r)"
info cpus "$(nproc)"
info rounds "$ROUNDS"
# the native neighbour table is global: no GC below 1M entries
sysctl -qw net.ipv6.neigh.default.gc_thresh1=1000000 \
	net.ipv6.neigh.default.gc_thresh2=1000000 \
	net.ipv6.neigh.default.gc_thresh3=1000000
pair nn inet6 inet6 && pair kn kame inet6 && pair kk kame kame &&
	pair nc inet6 inet6 &&
	ip netns exec nc-a ethtool -K veth0 tx off >/dev/null &&
	ip netns exec nc-b ethtool -K veth1 tx off >/dev/null ||
	{ note "topology setup failed"; exit 1; }
for ns in nn-b kn-b kk-b nc-b; do
	kbench -n "$ns" -c $RTT_CPU -f "${STACK[$ns]}" echo $((PORT + 1)) \
		>"$logs/echo.$ns" 2>&1 &
	pids+=($!)
done
for ns in nn-b kn-b kk-b nc-b; do
	wait_for 10 is_ready "$logs/echo.$ns" || { note "echo server in $ns"; exit 1; }
done
for p in nn kn kk nc; do	# resolve both ways before measuring
	kb $p-a $TX_CPU pingpong -n 10 2001:db8::2 $((PORT + 1)) >/dev/null ||
		{ note "no UDP between $p-a and $p-b"; exit 1; }
done

# --- UDP throughput --------------------------------------------------------
for size in 64 1400 8000; do
	want udp || break
	section "UDP $size-byte datagrams"
	what="UDP $size B"
	[ $size = 8000 ] && what="UDP 8000 B fragmented"
	row udp${size}_k2n "$what, KAME -> native" "datagrams/s" higher
	interleave udp${size}_k2n "udp_pps nn-a nn-b kn-a kn-b $size"
	row udp${size}_n2k "$what, native -> KAME" "datagrams/s" higher
	interleave udp${size}_n2k "udp_pps nn-b nn-a kn-b kn-a $size"
	row udp${size}_k2k "$what, KAME -> KAME" "datagrams/s" higher
	interleave udp${size}_k2k "udp_pps nn-a nn-b kk-a kk-b $size"
	# like with like: the KAME stack sums every datagram in software (as
	# it copies it in, and again to check it), native leaves it to the
	# veth; the control has native do it in software too
	[ $size = 8000 ] && continue	# fragments: summed in software anyway
	row udp${size}_k2k_sw "$what, KAME -> KAME, native without checksum offload" \
		"datagrams/s" higher
	interleave udp${size}_k2k_sw "udp_pps nc-a nc-b kk-a kk-b $size"
done

# --- offered load, send only, receive only ----------------------------------
if want load; then
	section "UDP 64-byte datagrams at fixed offered loads"
	# native's maximum on this boot: the median of the udp64_k2k rounds
	max=$(awk -F'\t' '$1 == "udp64_k2k" && $2 == "native" { print $3 }' \
		"$out/raw.tsv" | sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }')
	if [ -z "$max" ]; then
		RUNLOG=$logs/udp64_max
		max=$(udp_pps nn-a nn-b kk-a kk-b 64 | head -n 1)
	fi
	info udp64_native_max "$max"
	for pct in 25 50 75 100; do
		rate=$((max * pct / 100))
		row udp64_load$pct "UDP 64 B, KAME -> KAME, $pct% of native's maximum offered ($rate/s)" \
			"datagrams/s" higher
		interleave udp64_load$pct "udp_pps nn-a nn-b kk-a kk-b 64 $rate"
	done
	section "UDP send only and receive only"
	pair sn inet6 inet6 && pair sk kame inet6 || { note "send-only pairs"; exit 1; }
	for p in sn sk; do
		if [ "${STACK[$p-a]}" = kame ]; then
			on $p-a $TX_CPU ndp -s 2001:db8::2 "${MAC[$p-b]}" >/dev/null
		else
			ip -n $p-a neigh replace 2001:db8::2 lladdr "${MAC[$p-b]}" \
				dev veth0 nud permanent
		fi && ip netns exec $p-b tc qdisc add dev veth1 clsact &&
			ip netns exec $p-b tc filter add dev veth1 ingress \
				matchall action drop ||
			{ note "send-only pair $p"; exit 1; }
	done
	for size in 64 1400; do
		row udp${size}_tx "UDP $size B send only (the peer drops at tc ingress)" \
			"datagrams/s" higher
		interleave udp${size}_tx "udp_tx $size"
		row udp${size}_rx "UDP $size B receive only (identical frames from AF_PACKET)" \
			"datagrams/s" higher
		interleave udp${size}_rx "udp_rx $size"
	done
fi

# --- several flows on both CPUs ----------------------------------------------
if want flows; then
	section "UDP, $FLOWS flows on both CPUs"
	idle_load
	pair fn inet6 inet6 && pair fk kame kame || { note "flow pairs"; exit 1; }
	# RPS: the receive work of the flows on both CPUs; the neighbour
	# known from the start (no resolution inside a measured run)
	for p in fn fk; do
		if [ "${STACK[$p-a]}" = kame ]; then
			on $p-a $TX_CPU ndp -s 2001:db8::2 "${MAC[$p-b]}" >/dev/null
		else
			ip -n $p-a neigh replace 2001:db8::2 lladdr "${MAC[$p-b]}" \
				dev veth0 nud permanent
		fi && ip netns exec $p-b sh -c \
			'echo 3 >/sys/class/net/veth1/queues/rx-0/rps_cpus' ||
			{ note "flow pair $p"; exit 1; }
	done
	for size in 64 1400; do
		row udp${size}_flows "UDP $size B, $FLOWS flows on 2 CPUs (RPS), KAME -> KAME" \
			"datagrams/s" higher
		alternate udp${size}_flows "udp_flows fn $FLOWS $size" \
			"udp_flows fk $FLOWS $size"
	done
fi

# --- IPv6 in IPv6 tunnels -----------------------------------------------------
# The rows of the UDP section through a tunnel: native is ip6tnl at both
# ends, KAME is gif0 (kame_gif.ko, inner and outer IPv6 on the KAME stack)
# at one end and ip6tnl at the other. About 100 s: 1400-byte datagrams
# from native to KAME (another 33 s) are left out of the 25-minute budget.
if want gif; then
	section "UDP through IPv6 in IPv6 tunnels"
	modprobe tunnel4 2>/dev/null
	if insmod "$GIF_KO" && pair tn inet6 inet6 && pair tk kame inet6 &&
		tunnel tn-a 2001:db8:7::1 2001:db8::1 2001:db8::2 &&
		tunnel tn-b 2001:db8:7::2 2001:db8::2 2001:db8::1 &&
		tunnel tk-a 2001:db8:7::1 2001:db8::1 2001:db8::2 &&
		tunnel tk-b 2001:db8:7::2 2001:db8::2 2001:db8::1 &&
		# both ways through each pair (neighbours resolved)
		on tn-b $TX_CPU ping -6 -n -c 1 -W 5 2001:db8:7::1 >/dev/null &&
		on tk-b $TX_CPU ping -6 -n -c 1 -W 5 2001:db8:7::1 >/dev/null &&
		on tk-a $TX_CPU timeout 8 kping6 -n -c 1 2001:db8:7::2 >/dev/null; then
		for size in 64 1400; do
			row gif${size}_k2n "gif 6in6, UDP $size B, KAME gif -> native ip6tnl (native: ip6tnl -> ip6tnl)" \
				"datagrams/s" higher
			interleave gif${size}_k2n "udp_pps tn-a tn-b tk-a tk-b $size"
			[ $size = 64 ] || continue
			row gif${size}_n2k "gif 6in6, UDP $size B, native ip6tnl -> KAME gif (native: ip6tnl -> ip6tnl)" \
				"datagrams/s" higher
			interleave gif${size}_n2k "udp_pps tn-b tn-a tk-b tk-a $size"
		done
		# 0: no datagram left gif0 in fragments (its MTU is ip6tnl's)
		info gif_kame_fragmented "$(kame -n tk-a stats ip6 ip6s_fragmented)"
	else
		note "tunnel setup failed (kame_gif.ko: $GIF_KO)"
		failed=1
	fi
fi

# router NAME STACK: NAME-s (native, 2001:db8:1::2) - NAME-r (a router of
# STACK, 2001:db8:1::1 and 2001:db8:2::1) - NAME-d (native, 2001:db8:2::2),
# the hosts' default routes through the router, each neighbour resolved
router() {
	local n=$1

	netns "$n-s" "$n-r" "$n-d" || return 1
	ip -n "$n-s" link add veth0 type veth peer name veth1 netns "$n-r" &&
		ip -n "$n-r" link add veth2 type veth peer name veth3 \
			netns "$n-d" &&
		side "$n-s" veth0 2001:db8:1::2 inet6 &&
		side "$n-d" veth3 2001:db8:2::2 inet6 || return 1
	if [ "$2" = kame ]; then
		side "$n-r" veth1 2001:db8:1::1 kame &&
			ip -n "$n-r" link set veth2 up &&
			kame -n "$n-r" link attach veth2 &&
			kame -n "$n-r" addr add 2001:db8:2::1/64 dev veth2 &&
			wait_for 10 no_tentative "$n-r" &&
			kame -n "$n-r" sysctl net.inet6.ip6.forwarding 1 \
				>/dev/null || return 1
	else
		side "$n-r" veth1 2001:db8:1::1 inet6 &&
			ip -n "$n-r" link set veth2 up &&
			ip -n "$n-r" -6 addr add 2001:db8:2::1/64 dev veth2 nodad &&
			ip netns exec "$n-r" sysctl -qw \
				net.ipv6.conf.all.forwarding=1 || return 1
	fi
	STACK[$n-r]=$2
	ip -n "$n-s" -6 route add default via 2001:db8:1::1 &&
		ip -n "$n-d" -6 route add default via 2001:db8:2::1 &&
		on "$n-s" $TX_CPU ping -6 -n -c 1 -W 5 2001:db8:2::2 >/dev/null
}

# --- forwarding ------------------------------------------------------------------
# UDP from a native host through a router to another: Linux's forwarding
# (fn) against the KAME stack's ip6_forward (fk), the same native hosts
# and programs at both ends; the rate the far host receives. About 90 s.
if want fwd; then
	section "UDP forwarded by a router"
	if router fn inet6 && router fk kame; then
		for size in 64 1400; do
			row fwd$size "forwarding, UDP $size B, native -> KAME router -> native (native: Linux router)" \
				"datagrams/s" higher
			interleave fwd$size "udp_pps fn-s fn-d fk-s fk-d $size"
		done
		info fwd_kame_forwarded "$(kame -n fk-r stats ip6 ip6s_forward)"
	else
		note "router setup failed"
		failed=1
	fi
fi

# --- ESP in transport mode -----------------------------------------------------
# The same UDP rows through ESP transport-mode SAs between the two hosts
# (both ways, each host's policies require ESP for everything to its
# peer), aes-gcm-16 and aes-cbc with hmac-sha2-256, the same keys and SPIs
# for every end. Native is Linux's XFRM at both ends (en); KAME is
# kame_ipsec.ko's SAD and SPD (setkey) under the KAME stack at one end and
# XFRM at the other (ek: the same peer as the baseline's, so the rows
# from and to ek compare the stack at one end), and at both ends (ee).
# Every veth has an MTU of 1600: in 1500 a 1400-byte datagram in aes-cbc
# ESP (1504 bytes) would leave Linux in two ESP packets (it fragments
# before ESP) and KAME in two fragments of one (after ESP, as KAME's
# ip6_output), not the same packets on the wire. Not in the default run
# (about 5 minutes under emulation): KAME_BENCH_ONLY=esp (or a list with
# esp); KAME_BENCH_ESP_ALGS=gcm (or cbc) runs one algorithm's rows.
if [ -n "$ONLY" ] && want esp; then
	section "UDP through ESP transport mode"
	if esp_setup; then
		declare -A c0
		for alg in $ESP_ALGS; do
			name=${ESP_NAME[$alg]:-}
			[ -n "$name" ] || { note "ESP: no algorithm $alg"; failed=1; continue; }
			t0=$SECONDS
			if ! esp_algorithm $alg; then
				note "ESP $name: no SAs, or no UDP through them"
				failed=1
				continue
			fi
			note "ESP $name SAs in place after $((SECONDS - t0)) s"
			for ns in ek-a ee-a ee-b; do
				c0[$ns]=$(esp_count $ns)
			done
			row esp_${alg}_k2n "ESP $name, UDP 1400 B, KAME -> XFRM (native: XFRM -> XFRM)" \
				"datagrams/s" higher
			interleave esp_${alg}_k2n "udp_pps en-a en-b ek-a ek-b 1400"
			row esp_${alg}_n2k "ESP $name, UDP 1400 B, XFRM -> KAME (native: XFRM -> XFRM)" \
				"datagrams/s" higher
			interleave esp_${alg}_n2k "udp_pps en-b en-a ek-b ek-a 1400"
			row esp_${alg}_k2k "ESP $name, UDP 1400 B, KAME -> KAME (native: XFRM -> XFRM)" \
				"datagrams/s" higher
			interleave esp_${alg}_k2k "udp_pps en-a en-b ee-a ee-b 1400"
			row esp_${alg}_rtt_k2n_p50 "ESP $name, UDP 64 B ping-pong RTT p50, KAME <-> XFRM (native: XFRM <-> XFRM)" \
				us lower
			row esp_${alg}_rtt_k2n_p99 "ESP $name, UDP 64 B ping-pong RTT p99, KAME <-> XFRM (native: XFRM <-> XFRM)" \
				us lower
			interleave "esp_${alg}_rtt_k2n_p50 esp_${alg}_rtt_k2n_p99" \
				"pp_rtt 64 en-a ek-a"
			row esp_${alg}_rtt_k2k_p50 "ESP $name, UDP 64 B ping-pong RTT p50, KAME <-> KAME (native: XFRM <-> XFRM)" \
				us lower
			row esp_${alg}_rtt_k2k_p99 "ESP $name, UDP 64 B ping-pong RTT p99, KAME <-> KAME (native: XFRM <-> XFRM)" \
				us lower
			interleave "esp_${alg}_rtt_k2k_p50 esp_${alg}_rtt_k2k_p99" \
				"pp_rtt 64 en-a ee-a"
			# what went through ESP: XFRM's since the SAs were
			# added, KAME's since this algorithm's rows began
			for ns in en-a en-b ek-b; do
				info "esp_${alg}_$ns" "$(esp_count $ns)"
			done
			for ns in ek-a ee-a ee-b; do
				info "esp_${alg}_$ns" "$(esp_count $ns | awk -v b="${c0[$ns]}" '
					BEGIN { split(b, o) }
					{ print "out", $2 - o[2], "in", $4 - o[4], "fragmented", $6 }')"
			done
			v=$(for ns in en-a en-b ek-b; do
				on $ns $TX_CPU awk -v ns=$ns '$2 != 0 { printf "%s %s %s ", ns, $1, $2 }' \
					/proc/net/xfrm_stat
			done)
			info "esp_${alg}_xfrm_errors" "${v:-none}"
		done
	else
		note "ESP setup failed (kame_ipsec.ko: $IPSEC_KO)"
		failed=1
	fi
fi

# --- latency -----------------------------------------------------------------
if want rtt; then
	section "UDP ping-pong"
	row udp_rtt_p50 "UDP 64 B ping-pong RTT p50, KAME <-> KAME" us lower
	row udp_rtt_p99 "UDP 64 B ping-pong RTT p99, KAME <-> KAME" us lower
	interleave "udp_rtt_p50 udp_rtt_p99" "pp_rtt 64 nn-a kk-a"
fi

if want icmp; then
	section "ICMPv6 echo"
	kcmd=icmp_rtt_kame na=
	if ! command -v kping6 >/dev/null; then
		na="n/a (kping6 not built)"
	elif ! kbench -n kk-a -f kame raw 2>/dev/null; then
		na="n/a (no AF_KAME raw sockets)"
	fi
	[ -n "$na" ] && kcmd=
	row icmp_rtt_p50 "ICMPv6 echo RTT p50, kping6 on both, KAME <-> KAME" us lower "$na"
	row icmp_rtt_p99 "ICMPv6 echo RTT p99, kping6 on both, KAME <-> KAME" us lower "$na"
	alternate "icmp_rtt_p50 icmp_rtt_p99" icmp_rtt_native "$kcmd"
fi

# --- neighbour cache ---------------------------------------------------------
if want burst; then
	section "resolving $BURST new neighbours"
	for ns in nn-b kn-b; do
		for ((i = 0; i < BURST; i++)); do
			printf 'address add 2001:db8::1:%x/128 dev veth1 nodad\n' $i
		done | ip -n $ns -batch - || { note "addresses on $ns"; exit 1; }
	done
	row nd_burst "Resolve $BURST new neighbours (all answered)" ms lower
	alternate nd_burst "burst nn" "burst kn"
fi

if want ndcache; then
	# Our answer to each flooded NS moves its entry from STALE to DELAY,
	# and then both stacks would probe 100k neighbours that do not exist
	# and drop or fail them during the measurement: hold them in DELAY
	# for an hour.
	kame -n kn-a sysctl net.inet6.icmp6.nd6_maxcache 200000 >/dev/null
	kame -n kn-a sysctl net.inet6.icmp6.nd6_delay 3600 >/dev/null
	ip netns exec nn-a sysctl -qw net.ipv6.neigh.veth0.delay_first_probe_time=3600
	for size in 1000 10000 100000; do
		section "echo replies with $size entries in the neighbour cache"
		row nd_$size "ICMPv6 echo replies to $((size / 1000))k cached neighbours in random order" \
			"replies/s" higher
		if nd_fill nn $size && nd_fill kn $size; then
			interleave nd_$size "nd_echo $size"
		else
			note "filling the caches"
			failed=1
		fi
	done
	nd_flush nn-a
	nd_flush kn-a
fi

# --- receive cost of malformed input ----------------------------------------
# The classes of the fuzzer's corpus, plain UDP first, and the whole
# corpus: the CPU one frame from the link costs the receiving stack
# (extension headers and fragments must not cost much more than a plain
# datagram). Both hosts at their defaults (error rate limits included).
if want rxcost; then
	section "receive cost per frame of each input class"
	idle_load
	# the baseline pair: its receiver drops every frame at tc ingress
	pair sd inet6 inet6 && ip netns exec sd-a tc qdisc add dev veth0 clsact &&
		ip netns exec sd-a tc filter add dev veth0 ingress matchall \
			action drop || { note "baseline pair setup failed"; exit 1; }
	for c in udp icmp6 nd ip6hdr exthdr frag raw \
		 ip6hdr,exthdr,frag,icmp6,nd,udp,raw; do
		id=rx_${c//,/_}
		what="kfuzz6 $c frames"
		[[ $c == *,* ]] && id=rx_all what="the kfuzz6 corpus"
		row "$id" "Receive cost of $what, native -> host (sender included)" \
			"us CPU/frame" lower
		alternate "$id" "rx_cost nn $c" "rx_cost kn $c"
		info "${id}_dropped_at_tc_ingress" "$(cat "$logs"/rxbase."$c".* |
			sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"
	done
fi

# --- route lookups ------------------------------------------------------------
# Both routing tables of namespace rt grow to each size in turn by the same
# BGP-like prefixes (kbench-routes), all out of a dummy interface (native:
# dummy0; KAME: dummy1, attached to it, which turns Linux's IPv6 off there),
# by one loader for both (kbench-routes load: 64 requests per send);
# selftests/bench/kbench_rt.ko times the lookups of the same random
# destinations in both, in the kernel.
# memory: slab, per-CPU and vmalloc (KAME's jump table is a kvzalloc of 1
# or 16 MiB, which slab alone would not see)
mem_bytes() { awk '/^(Slab|Percpu|VmallocUsed):/ { s += $2 } END { print s * 1024 }' /proc/meminfo; }

rt_fill() {	# STACK FROM TO: add the prefixes FROM+1..TO of the list
	local dev=dummy1

	[ "$1" = native ] && dev=dummy0
	ip netns exec rt kbench-routes load "$1" $RT_SEED "$2" "$3" $dev
}

if want route; then
	section "route lookups"
	insmod "$top/selftests/bench/kbench_rt.ko" &&
		ip netns add rt && ip -n rt link add dummy0 type dummy &&
		ip -n rt link add dummy1 type dummy &&
		ip -n rt link set dummy0 up && ip -n rt link set dummy1 up &&
		kame -n rt link attach dummy1 &&
		kame -n rt sysctl net.inet6.ip6.rt_max 4194304 >/dev/null &&
		ip netns exec rt sysctl -qw net.ipv6.route.max_size=4194304 \
			net.ipv6.route.gc_thresh=4194304 &&
		ip -n rt -6 route add default dev dummy0 &&
		kame -n rt route add default dev dummy1 ||
		{ note "route table setup failed"; exit 1; }
	declare -A rt_mem=([native]=0 [kame]=0)
	prev=0
	for size in $RT_SIZES; do
		k=$((size / 1000))k
		[ "$size" -ge 1000000 ] && k=$((size / 1000000))M
		section "route lookups, $k prefixes"
		for v in native kame; do
			m0=$(mem_bytes)
			t0=$SECONDS
			rt_fill $v $prev "$size" >"$logs/rt_fill.$v.$size" 2>&1 ||
				{ note "filling the $v table to $size: $(tail -n 1 "$logs/rt_fill.$v.$size")"; exit 1; }
			rt_mem[$v]=$((rt_mem[$v] + $(mem_bytes) - m0))
			note "$v table at $size prefixes after $((SECONDS - t0)) s"
		done
		prev=$size
		ROUND=
		row rt${k}_mem "Route table memory per prefix, $k prefixes (slab, per-CPU, vmalloc)" \
			bytes lower
		record rt${k}_mem native $((rt_mem[native] / size))
		record rt${k}_mem kame $((rt_mem[kame] / size))
		kbench-routes dsts $RT_SEED "$size" "$RT_LOOKUPS" >/proc/kbench_rt/dsts ||
			{ note "no destinations"; exit 1; }
		row rt${k}_p50 "Route lookup, $k prefixes, random destinations, p50" \
			"ns/lookup" lower
		row rt${k}_p99 "Route lookup, $k prefixes, random destinations, p99" \
			"ns/lookup" lower
		interleave "rt${k}_p50 rt${k}_p99" "on rt 0 cat /proc/kbench_rt/run"
	done
	ip netns del rt
	rmmod kbench_rt
fi

# --- profiles (KAME_BENCH_PROFILE=1) -------------------------------------------
if [ "$PROFILE" = 1 ]; then
	section profiles
	: >"$out/profile.txt"
	want udp && for size in 1400 8000; do
		# native-send is native at both ends too: compare kame-both
		for p in "native-send nn-a nn-b" "kame-send kn-a kn-b" \
			 "native-receive nn-b nn-a" "kame-receive kn-b kn-a" \
			 "kame-both kk-a kk-b"; do
			set -- $p
			profile "udp$size-$1" $size "$2" "$3" ||
				{ note "profile udp$size-$1 failed"; failed=1; }
		done
	done
	want rxcost && for c in udp exthdr frag; do
		for p in nn kn; do
			rx_profile $p $c || { note "profile rx-$p-$c failed"; failed=1; }
		done
	done
fi

section report
python3 "$top/scripts/bench-report.py" "$out" >/dev/null || failed=1
section "done"
exit $failed
