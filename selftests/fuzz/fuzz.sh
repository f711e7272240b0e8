#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The standing malformed-input fuzzer: kfuzz6 sends FUZZ_N structured
# malformed frames (IPv6 header fields, extension header chains, fragment
# sequences, ICMPv6, ND, UDP, other protocols; kfuzz6.c) from the native
# namespace to the KAME host at full speed, in chunks of FUZZ_CHUNK, and
# the stack must stay correct:
#
#   (a) every packet counted once, checked after each chunk (below);
#   (b) no kernel log line of a bug (BUG, WARNING, Oops, slab debug);
#   (c) slab usage back where it was once the fragment queues timed out
#       and the neighbor cache was flushed;
#   (d) the host still answers pings from the native host, neighbor
#       resolution included, and its UDP echo.
#
# Every other chunk runs with net.inet6.ip6.forwarding 1: packets that
# are not the host's are forwarded (back onto the link, with Redirects),
# answered with ICMPv6 errors or dropped, each counted once as well.
#
#   +----- $A (KAME) ---------------+        +-- $B (native Linux) --+
#   |  veth0 2001:db8::1            |--------|  veth1 2001:db8::2    |
#   |  UDP echo 7, sink 9, raw 253, |        |  kfuzz6 (AF_PACKET,   |
#   |  UDP [::]:L -> [::2]:5555     |        |  source MAC FUZZ_MAC) |
#   +-------------------------------+        +-----------------------+
#
# FUZZ_N (50000; make fuzz: 1000000) and FUZZ_SEED reach the guest
# (scripts/vm-run.sh); for runs by hand: FUZZ_START (0), FUZZ_CHUNK (10000,
# or N/20 when larger), FUZZ_LAND (2: % of plausible sources that are the
# KAME host's own addresses, whose answers loop back), FUZZ_CLASSES
# (kfuzz6 --classes), FUZZ_BISECT (1: narrow a broken chunk down),
# FUZZ_BUDGET (780 s: no chunk is started that would not end within it,
# run.sh stops a test after 900 s). A failure prints the command that
# sends the same packets again. Kernel log lines "kame-fuzz: packets [A,
# B)", and FUZZ_LOG (build/vm/fuzz-progress.log), mark the chunks, so that
# a crash names the packets that were being sent.
source "$(dirname "$0")/../lib.sh"

HELPERS=$KAME_TOP/build/helpers/fuzz
KFUZZ6=$HELPERS/kfuzz6
FUZZ_N=${FUZZ_N:-50000}
FUZZ_SEED=${FUZZ_SEED:-0x4b414d45}
FUZZ_START=${FUZZ_START:-0}
# a chunk costs about 14 s of waiting for quiet and reading counters
FUZZ_CHUNK=${FUZZ_CHUNK:-$((FUZZ_N / 20 > 10000 ? FUZZ_N / 20 : 10000))}
FUZZ_LAND=${FUZZ_LAND:-2}
FUZZ_BISECT=${FUZZ_BISECT:-1}
FUZZ_BUDGET=${FUZZ_BUDGET:-780}
FUZZ_MAC=02:fa:22:00:00:02
FRAGTTL=2
ECHO_PORT=7
SINK_PORT=9
RAW_PROTO=253
CONN_RPORT=5555
# (c): the growth allowed per slab cache, in objects (the per-CPU slabs
# of a cache count as in use, whatever they hold: hundreds of objects of
# the small caches come and go), and in all, in kB
SLAB_SLACK_OBJS=${FUZZ_SLAB_SLACK_OBJS:-2048}
SLAB_SLACK_TOTAL_KB=${FUZZ_SLAB_SLACK_KB:-4096}
BAD_LOG='BUG|WARNING|Oops|Redzone|Poison|Object padding|general protection|refcount'

cleanup_test() {
	local p
	for p in "${defer_pids[@]}"; do kill "$p" 2>/dev/null; done
	rm -rf "$TMP"
	cleanup_all_ns
}
trap cleanup_test EXIT

# Progress, where a kernel crash leaves it: the kernel log, and
# FUZZ_LOG (by default in the results directory of the run, build/vm/ for
# make check, build/vm-debug/ for make check-debug).
FUZZ_LOG=${FUZZ_LOG:-${KAME_OUT:-$KAME_TOP/build/vm}/fuzz-progress.log}
kmsg() {
	echo "kame-fuzz: $*" >/dev/kmsg 2>/dev/null
	if [ -w "$(dirname "$FUZZ_LOG")" ]; then
		echo "$(date +%T) $*" >>"$FUZZ_LOG"
	fi
	return 0
}

# The counters a chunk is checked with, on the wire: tc counters on
# veth0's ingress, which runs before the KAME stack's rx_handler. Each
# IPv6 frame matches exactly one filter (the first that fits, "pass" ends
# the classification): kfuzz6's frames (source FUZZ_MAC) to the KAME MAC,
# to a group MAC, to another MAC; then the same for everything else (the
# native host's own stack: its NA, its errors about the KAME host's
# answers, ...). u32 on the MAC header, not flower: flower's dissector
# follows encapsulations (next header 4, 41, 47, ...) and then takes the
# frame for another protocol.
tc_setup() {
	local p=0 src dst
	ip netns exec "$A" tc qdisc add dev veth0 clsact || return 1
	for src in "match ether src $FUZZ_MAC" "match u8 0 0 at -14"; do
		for dst in "match ether dst $MAC_A" "match u8 1 1 at -14" \
			   "match u8 0 0 at -14"; do
			p=$((p + 1))
			# shellcheck disable=SC2086
			ip netns exec "$A" tc filter add dev veth0 ingress \
				protocol ipv6 prio $p u32 $src $dst action pass ||
				return 1
		done
	done
}

# One reading of every counter, one jq for all (each process counts under
# emulation): TOTAL SUM OTHERHOST LOCALOUT RX, the six tc counters
# (kfuzz6 to the host, to a group, to others; the same for the native
# stack), VETH1_TX_DROPPED. SUM is lib.sh's kame_ip6_in_sum.
# The tc counters are read before and after the host's: a frame that
# arrives in between (the native stack's own traffic comes at any time)
# would be in one reading and not the other, so such a torn reading is
# taken again.
read_all() {
	local i r
	for i in 1 2 3 4 5; do
		r=$({
			ip netns exec "$A" tc -s -j filter show dev veth0 ingress
			kame -n "$A" -j stats ip6
			kame -n "$A" -j link show veth0
			ip netns exec "$A" tc -s -j filter show dev veth0 ingress
			ip -n "$B" -s -j link show veth1
		} | jq -rs 'def tcs: [.[] | select(.options.actions) |
			  {p: .pref, n: .options.actions[0].stats.packets}] |
			 unique_by(.p) | map(.n);
			.[1][0].ip6 as $s |
			if (.[0] | tcs) != (.[3] | tcs) then "torn" else
			[$s.ip6s_total, $s.ip6s_delivered + $s.ip6s_tooshort +
			 $s.ip6s_toosmall + $s.ip6s_badvers + $s.ip6s_cantforward +
			 $s.ip6s_nomem + $s.ip6s_badscope + $s.ip6s_noproto +
			 $s.ip6s_notmember + $s.ip6s_badoptions + $s.ip6s_toomanyhdr +
			 $s.ip6s_badfrags + $s.ip6s_ifdisabled + $s.ip6s_fragments -
			 $s.ip6s_reassembled + $s.ip6s_forward +
			 $s.ip6s_hlimexceeded + $s.ip6s_toobig + $s.ip6s_fwdnoroute, $s.ip6s_otherhost, $s.ip6s_localout,
			 .[2][0].rx_packets] + (.[3] | tcs) +
			[.[4][0].stats64.tx.dropped] | map(tostring) | join(" ")
			end')
		[ "$r" != torn ] && break
		sleep 0.2
	done
	echo "$r"
}

# Wait until the KAME input is quiet: ip6s_total still for a second, as
# kame_flood_watch does (looped packets are input from a work queue).
quiet() {
	local t0 t1 i
	t0=$(kame_stat "$A" ip6s_total)
	for i in $(seq 30); do
		sleep 1
		t1=$(kame_stat "$A" ip6s_total)
		[ "$t1" = "$t0" ] && return 0
		t0=$t1
	done
	return 1
}

kfuzz6_args() {	# START COUNT
	echo "veth1 $FUZZ_MAC $MAC_A 2001:db8::2 2001:db8::1 $LL_B $LL_A" \
		"--seed $FUZZ_SEED --start $1 --count $2 --lladdr $MAC_B" \
		"--land $FUZZ_LAND --udp $ECHO_PORT,$SINK_PORT" \
		"--conn $CONN_LPORT:$CONN_RPORT --raw $RAW_PROTO" \
		"${FUZZ_CLASSES:+--classes $FUZZ_CLASSES}"
}

# The commands that send packets [START, START + COUNT) again: make fuzz
# from 0 (vm-run passes FUZZ_N and FUZZ_SEED), kfuzz6 for the range alone.
repro() {	# START COUNT
	echo "make fuzz FUZZ_SEED=$FUZZ_SEED FUZZ_N=$(($1 + $2))${FUZZ_CLASSES:+ (FUZZ_CLASSES=$FUZZ_CLASSES)}${FUZZ_LAND:+ (FUZZ_LAND=$FUZZ_LAND)}; the range alone: kfuzz6 $(kfuzz6_args "$1" "$2")"
}

# Send [START, START + COUNT); KSENT is kfuzz6's summary line ("sent N
# host N ..."), empty if it failed.
send() {	# START COUNT
	kmsg "packets [$1, $(($1 + $2))) seed $FUZZ_SEED"
	# shellcheck disable=SC2046
	KSENT=$(ip netns exec "$B" "$KFUZZ6" $(kfuzz6_args "$1" "$2") | grep '^kfuzz6:')
	echo "# $KSENT"
	quiet
}

kfuzz_field() {	# NAME: from KSENT, 0 if absent
	local v
	v=$(awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }' <<<"$KSENT")
	echo "${v:-0}"
}

# The invariant of one chunk between readings S0 and S1 (read_all), with
# kfuzz6's own counts in KSENT; sets BAD to what is broken ("" if all is
# well). With d() the growth of a counter:
#   d(ip6s_total) = d(the sum of kame_ip6_in_sum): every packet the input
#       took is delivered, dropped with exactly one drop counter, or taken
#       into reassembly (ip6s_fragments), and a reassembled datagram
#       (ip6s_reassembled) is delivered or dropped once more;
#   d(rx_packets) = the IPv6 frames tc saw arrive for the host (its MAC or
#       a group MAC), kfuzz6's and the native stack's: every one of them
#       reached the KAME input;
#   d(ip6s_otherhost) = those tc saw for other MACs;
#   d(ip6s_total) - d(rx_packets), the packets the host looped to itself,
#       is 0 when no source was its own (FUZZ_LAND=0), and at most
#       d(ip6s_localout) when some were;
#   kfuzz6's frames: all seen by tc, but those veth1 dropped (its
#       tx_dropped: the peer's backlog was full).
check_chunk() {	# S0 S1
	local -a a b d
	local i looped kh ko fz
	read -ra a <<<"$1"
	read -ra b <<<"$2"
	for i in "${!a[@]}"; do d[i]=$((b[i] - a[i])); done
	kh=$(kfuzz_field host)
	ko=$(kfuzz_field other)
	BAD=
	[ -n "$KSENT" ] || BAD="$BAD kfuzz6 failed;"
	[ "${d[0]}" = "${d[1]}" ] ||
		BAD="$BAD every packet counted once: ip6s_total grew by ${d[0]}, delivered + drops + fragments - reassembled by ${d[1]};"
	[ "${d[4]}" = $((d[5] + d[6] + d[8] + d[9])) ] ||
		BAD="$BAD rx_packets grew by ${d[4]}, tc saw $((d[5] + d[6] + d[8] + d[9])) IPv6 frames for the host (kfuzz6 ${d[5]} + ${d[6]}, native ${d[8]} + ${d[9]});"
	[ "${d[2]}" = $((d[7] + d[10])) ] ||
		BAD="$BAD ip6s_otherhost grew by ${d[2]}, tc saw $((d[7] + d[10])) IPv6 frames for other MACs;"
	looped=$((d[0] - d[4]))
	if [ "$FUZZ_LAND" = 0 ] && [ "$looped" != 0 ]; then
		BAD="$BAD $looped packets looped (ip6s_total - rx_packets) without a source of the host's own;"
	elif [ "$looped" -lt 0 ] || [ "$looped" -gt "${d[3]}" ]; then
		BAD="$BAD $looped packets looped (ip6s_total - rx_packets), ip6s_localout grew by ${d[3]};"
	fi
	fz=$((d[5] + d[6] + d[7]))
	if [ $((kh + ko - fz)) -lt 0 ] || [ $((kh + ko - fz)) -gt "${d[11]}" ]; then
		BAD="$BAD kfuzz6 sent $((kh + ko)) frames, tc saw $fz of them, veth1 dropped ${d[11]};"
	elif [ "$kh" -lt $((d[5] + d[6])) ]; then
		BAD="$BAD kfuzz6 sent $kh frames for the host, tc saw $((d[5] + d[6]));"
	fi
	LOOPED=$((LOOPED + looped))
	DROPPED=$((DROPPED + d[11]))
}

# Check the chunk between readings S0 and the one taken now (S1); a
# reading taken while a packet was on its way (between the reads of two
# counters, or in the middle of its input) is taken again before BAD
# stands.
check_now() {	# S0
	local i
	S1=$(read_all)
	check_chunk "$1" "$S1"
	for i in 1 2; do
		[ -z "$BAD" ] && return
		sleep 1
		quiet
		S1=$(read_all)
		check_chunk "$1" "$S1"
	done
}

# Narrow the broken range [LO, HI) down by sending halves again (a break
# that needs the state the packets before left may not show again).
bisect() {	# LO HI
	local lo=$1 hi=$2 mid s0 steps=0 half
	s0=$(read_all)
	while [ $((hi - lo)) -gt 1 ] && [ $steps -lt 13 ]; do
		steps=$((steps + 1))
		mid=$(((lo + hi) / 2))
		for half in "$lo $mid" "$mid $hi"; do
			set -- $half
			send "$1" $(($2 - $1)) >/dev/null
			check_now "$s0"
			s0=$S1
			if [ -n "$BAD" ]; then
				lo=$1 hi=$2
				continue 2
			fi
		done
		echo "[$lo, $hi) (not in either half alone)"
		return
	done
	echo "[$lo, $hi)"
}

slab_snap() {	# "NAME OBJS OBJSIZE" of the kmalloc, sk_buff and kame caches
	awk '$1 ~ /^(kmalloc-|kmalloc-cg-|skbuff_head_cache|kame)/ {print $1, $2, $4}' /proc/slabinfo
}

# Let the fuzz traffic's state go: fragment queues time out (fragttl),
# unresolved neighbors give up, the cache is flushed (and the router and
# prefix lists that fuzzed router advertisements filled), RCU frees.
settle() {
	sleep $((FRAGTTL + 4))
	ip netns exec "$A" ndp -R >/dev/null 2>&1
	ip netns exec "$A" ndp -P >/dev/null 2>&1
	ip netns exec "$A" ndp -c >/dev/null 2>&1
	quiet
	sleep 1
}

setup() {
	kame_native_pair
	LL_A=$(eui64_ll "$MAC_A")
	TMP=$(mktemp -d)
	defer_pids=()
	LOOPED=0 DROPPED=0 SENT=0 SEND_MS=0
	kame -n "$A" sysctl net.inet6.ip6.fragttl $FRAGTTL >/dev/null
	# fuzzed RAs also make temporary addresses and routes from their
	# route information options (bounded by rtinfo_max; ndp -R flushes)
	kame -n "$A" sysctl net.inet6.ip6.use_tempaddr 1 >/dev/null
	kame -n "$A" sysctl net.inet6.ip6.accept_rtinfo 1 >/dev/null
	# the native host is the gateway of 2001:db8:99::/64: its redirects
	# for that prefix are valid ones (RFC 4861 8.1)
	kame -n "$A" route add 2001:db8:99::/64 via "$LL_B" dev veth0
	bg_ready 10 "$TMP/echo" "$A" "$HELPERS/fuzz_echo" $ECHO_PORT ||
		{ SETUP_ERR="echo server: $(tail -n 1 "$TMP/echo")"; return 1; }
	bg_ready 10 "$TMP/sink" "$A" kame-udp sink -r 4096 $SINK_PORT 3600 ||
		{ SETUP_ERR="UDP sink: $(tail -n 1 "$TMP/sink")"; return 1; }
	bg_ready 10 "$TMP/raw" "$A" sh -c "echo ready; exec kame-raw recv -p $RAW_PROTO -n 1000000000 -W 3600 >/dev/null" ||
		{ SETUP_ERR="raw socket: $(tail -n 1 "$TMP/raw")"; return 1; }
	: >"$TMP/conn"
	ip netns exec "$A" kame-raw udperr -n -W 3600 2001:db8::2 $CONN_RPORT >"$TMP/conn" 2>&1 &
	defer_pids+=($!)
	slowwait 10 grep -q lport "$TMP/conn" ||
		{ SETUP_ERR="connected UDP socket: $(tail -n 1 "$TMP/conn")"; return 1; }
	CONN_LPORT=$(awk '/lport/ {print $2}' "$TMP/conn")
	tc_setup || { SETUP_ERR="tc u32 filters on veth0"; return 1; }
	DMESG0=$(dmesg | wc -l)
	kmsg "kfuzz6 $(kfuzz6_args "$FUZZ_START" "$FUZZ_N")"
	return 0
}

# (a), chunk by chunk; the first chunk also warms the caches up before
# the slab baseline of (c).
test_invariant() {
	local s0 lo hi n bad first=1 t0 tc0
	RET=0
	CHUNK_SECS=
	t0=$(date +%s%N)
	lo=$FUZZ_START
	s0=$(read_all)
	while [ "$lo" -lt $((FUZZ_START + FUZZ_N)) ]; do
		n=$FUZZ_CHUNK
		[ $((lo + n)) -gt $((FUZZ_START + FUZZ_N)) ] && n=$((FUZZ_START + FUZZ_N - lo))
		hi=$((lo + n))
		# SECONDS: since the test started; 120 s for the tests after
		if [ -n "$CHUNK_SECS" ] &&
		   [ $((SECONDS + CHUNK_SECS * 3 / 2 + 120)) -gt "$FUZZ_BUDGET" ]; then
			echo "# time budget: stopped after $((lo - FUZZ_START)) of $FUZZ_N packets (FUZZ_BUDGET $FUZZ_BUDGET s)"
			break
		fi
		tc0=$(date +%s)
		# every other chunk with the host a router: the forwarding
		# path (and redirects ignored) fuzzed too
		kame -n "$A" sysctl net.inet6.ip6.forwarding \
			$((((lo - FUZZ_START) / FUZZ_CHUNK) % 2)) >/dev/null
		send "$lo" "$n"
		check_now "$s0"
		s0=$S1
		SENT=$((SENT + $(kfuzz_field sent)))
		SEND_MS=$((SEND_MS + $(kfuzz_field ms)))
		if [ -n "$BAD" ]; then
			bad=$BAD
			echo "# packets [$lo, $hi):$bad"
			if [ "$RET" = 0 ] && [ "$FUZZ_BISECT" = 1 ]; then
				bad="$bad bisected to $(bisect "$lo" "$hi");"
				s0=$(read_all)
			fi
			fail_case "packets [$lo, $hi):$bad reproduce: $(repro "$lo" "$n")"
		fi
		CHUNK_SECS=$(($(date +%s) - tc0))
		if [ $first = 1 ]; then
			first=0
			settle
			SLAB0=$(slab_snap)
			ND0=$(kame -n "$A" stats nd6 nd6_entries)
			s0=$(read_all)
		fi
		lo=$hi
	done
	FUZZ_SECS=$((($(date +%s%N) - t0) / 1000000000))
	echo "# $SENT packets in $FUZZ_SECS s ($((SENT * 1000 / (SEND_MS > 0 ? SEND_MS : 1))) packets/s while sending), $LOOPED looped, $DROPPED dropped by veth"
	log_test "fuzz: every packet counted once, every frame for the host taken in ($SENT packets, seed $FUZZ_SEED)"
}

test_kernel_log() {
	local new
	RET=0
	new=$(dmesg | tail -n +$((DMESG0 + 1)) | grep -v 'kame-fuzz:')
	[ -n "$new" ] && echo "$new" | head -n 20 | sed 's/^/# dmesg: /'
	if grep -qE "$BAD_LOG" <<<"$new"; then
		fail_case "kernel log: $(grep -E "$BAD_LOG" <<<"$new" | head -n 3 | tr '\n' ';') reproduce: $(repro "$FUZZ_START" "$FUZZ_N")"
	fi
	log_test "fuzz: no BUG, WARNING, Oops, slab debug or refcount line in the kernel log"
}

test_slab() {
	local slab1 name o0 o1 sz grow total=0 worst="" nd
	RET=0
	settle
	slab1=$(slab_snap)
	while read -r name o0 sz; do
		o1=$(awk -v n="$name" '$1 == n {print $2}' <<<"$slab1")
		[ -n "$o1" ] || continue
		grow=$((o1 - o0))
		total=$((total + grow * sz / 1024))
		if [ $grow -gt "$SLAB_SLACK_OBJS" ]; then
			worst="$worst $name +$grow objects ($o0 -> $o1);"
		fi
	done <<<"$SLAB0"
	echo "# slab after the fuzz: ${total} kB more than after the first chunk"
	[ -z "$worst" ] ||
		fail_case "slab caches grew by more than $SLAB_SLACK_OBJS objects:$worst reproduce: $(repro "$FUZZ_START" "$FUZZ_N")"
	[ "$total" -le "$SLAB_SLACK_TOTAL_KB" ] ||
		fail_case "slab grew by $total kB in all (at most $SLAB_SLACK_TOTAL_KB); reproduce: $(repro "$FUZZ_START" "$FUZZ_N")"
	nd=$(kame -n "$A" stats nd6 nd6_entries)
	[ "$nd" -le $((ND0 + 4)) ] ||
		fail_case "$nd neighbor cache entries after the flush, $ND0 before"
	log_test "fuzz: slab back to its level once fragments timed out and neighbors were flushed"
}

test_alive() {
	local out
	RET=0
	# resolution from scratch both ways: the native host's NS, our NA,
	# our NS for its address, its NA
	ip -n "$B" -6 neigh flush dev veth1
	ip netns exec "$A" ndp -c >/dev/null
	check ip netns exec "$B" ping -6 -c 2 -i 0.5 -W 5 2001:db8::1
	check ip netns exec "$B" ping -6 -c 2 -i 0.5 -W 5 "$LL_A%veth1"
	out=$(ip netns exec "$B" python3 -c '
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.settimeout(5)
s.sendto(b"still there", ("2001:db8::1", 7))
print(s.recv(100).decode())' 2>&1)
	check_eq "UDP echo" "still there" "$out"
	out=$(kame -n "$A" -j addr show dev veth0 | jq -r '.[] | select(.flags | length > 0) | "\(.address) \(.flags)"' |
	      grep -E 'tentative|duplicated')
	check_eq "addresses tentative or duplicated" "" "$out"
	log_test "fuzz: the host still answers pings (after resolving the native host anew) and UDP"
}

if [ ! -x "$KFUZZ6" ]; then
	echo "kfuzz6 not built ($KFUZZ6)"
	exit "$ksft_skip"
fi
if ! setup; then
	RET=1
	fail_case "setup failed: ${SETUP_ERR:-the namespace pair or the route}"
	log_test "fuzz: setup"
	exit "$EXIT_STATUS"
fi
test_invariant
test_kernel_log
test_slab
test_alive
exit "$EXIT_STATUS"
