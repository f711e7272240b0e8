#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers for the shell selftests, on top of the kernel's net/lib.sh
# (setup_ns, cleanup_ns, busywait MS, slowwait SECONDS, log_test), which the setup
# takes from Debian's linux-source package.

KAME_TOP=${KAME_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
# shellcheck source=/dev/null
source "$KAME_TOP/build/kselftest/net_lib.sh"
export PATH=$KAME_TOP/build/bin:$PATH
# eui64_ll MAC
# shellcheck source=scripts/eui64.sh
source "$KAME_TOP/scripts/eui64.sh"
: "${KAME_KO:=$KAME_TOP/kmod/core/kame.ko}"
# Under the sanitizer kernel of make check-debug (KASAN, lockdep,
# kmemleak under emulation) a program start or a netlink request takes ten
# times as long: every wait of the tests grows by KAME_TIME_SCALE.
if [ -n "${KAME_DEBUG_KERNEL:-}" ]; then
	KAME_TIME_SCALE=${KAME_TIME_SCALE:-10}
else
	KAME_TIME_SCALE=${KAME_TIME_SCALE:-1}
fi
WAIT_TIMEOUT=20
BUSYWAIT_TIMEOUT=$((WAIT_TIMEOUT * 1000))

# net/lib.sh's waits, scaled
slowwait() {
	local secs=$1
	shift
	loopy_wait "sleep 0.1" "$((secs * KAME_TIME_SCALE * 1000))" "$@"
}

busywait() {
	local ms=$1
	shift
	loopy_wait : "$((ms * KAME_TIME_SCALE))" "$@"
}

# SECS (a decimal) times KAME_TIME_SCALE: a sleep, or the interval of a
# burst whose every answer a test counts
scaled() {
	awk -v s="$1" -v k="$KAME_TIME_SCALE" 'BEGIN { printf "%g", s * k }'
}

trap cleanup_all_ns EXIT

# Print each command with VERBOSE=1 (make check V=1 sets it).
[ "${V:-0}" = 1 ] && VERBOSE=1

# fail_case MSG: the current test case fails; MSG is added to what its
# FAIL line says (net/lib.sh's log_test prints retmsg).
fail_case() {
	RET=1
	retmsg="${retmsg:+$retmsg; }$*"
}

# check CMD...: run it; on failure mark the test failed and keep the
# command and its output for the FAIL line.
check() {
	local out rc
	[ -n "${VERBOSE:-}" ] && echo "+ $*"
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc -ne 0 ]; then
		fail_case "\"$*\" failed (exit $rc): $out"
	fi
	return $rc
}

# check_fail CMD...: the command must fail.
check_fail() {
	local out rc
	[ -n "${VERBOSE:-}" ] && echo "+ ! $*"
	out=$("$@" 2>&1)
	rc=$?
	if [ $rc -eq 0 ]; then
		fail_case "\"$*\" succeeded but must fail: $out"
		return 1
	fi
	return 0
}

# check_eq WHAT EXPECTED ACTUAL
check_eq() {
	if [ "$2" != "$3" ]; then
		fail_case "$1: expected \"$2\", got \"$3\""
		return 1
	fi
}

# Stop the background programs of the test (defer_pids).
kame_kill_bg() {
	local p
	for p in "${defer_pids[@]}"; do kill "$p" 2>/dev/null; done
	defer_pids=()
}

# The usual end of a test (trap kame_cleanup EXIT): its background
# programs, its TMP directory, its namespaces.
kame_cleanup() {
	kame_kill_bg
	[ -n "${TMP:-}" ] && rm -rf "$TMP"
	cleanup_all_ns
}

# bg_ready SECS LOG NS CMD...: CMD in NS in the background, its output in
# LOG, its pid added to defer_pids (the test's cleanup kills them); waits
# up to SECS for it to print "ready", and fails (status 1) if it does not.
bg_ready() {
	local secs=$1 log=$2 ns=$3
	shift 3
	ip netns exec "$ns" "$@" >"$log" 2>&1 &
	defer_pids+=($!)
	slowwait "$secs" grep -q ready "$log"
}

# radvd_run NS CONF: radvd in NS in the background with the configuration
# file CONF (CONF.pid, CONF.log next to it); RADVD is its pid, also in
# defer_pids (kame_kill_bg stops it).
radvd_run() {
	ip netns exec "$1" radvd -n -m stderr -d 1 -C "$2" -p "$2.pid" \
		>"$2.log" 2>&1 &
	RADVD=$!
	defer_pids+=("$RADVD")
}

# radvd_conf FILE IF BODY: a radvd configuration for IF that advertises
# every 3 to 4 s, router lifetime 60 s, preference high, with BODY (its
# prefix and route sections) inside.
radvd_conf() {
	cat >"$1" <<-EOF
	interface $2 {
		AdvSendAdvert on;
		MinRtrAdvInterval 3;
		MaxRtrAdvInterval 4;
		AdvDefaultLifetime 60;
		AdvDefaultPreference high;
	$3
	};
	EOF
}

# kame_ra_pair_vars: after kame_veth_pair A B and A's attach of veth0,
# MAC_A, MAC_B, LL_B (B's link-local address, once it is there) and IFID
# (A's modified EUI-64 identifier: its SLAAC address in P::/64 is P:0:IFID,
# a single zero group not shortened, RFC 5952 4.2.2).
kame_ra_pair_vars() {
	MAC_A=$(mac_of "$A" veth0)
	MAC_B=$(mac_of "$B" veth1)
	LL_B=$(eui64_ll "$MAC_B")
	IFID=$(eui64_ll "$MAC_A")
	IFID=${IFID#fe80::}
	slowwait 10 sh -c "ip -n $B -6 -o addr show dev veth1 scope link | grep -q ' $LL_B/'"
}

# check_match WHAT PATTERN TEXT: TEXT must have a line matching PATTERN
# (a grep basic regular expression); else the test fails, quoting TEXT.
check_match() {
	grep -q -- "$2" <<<"$3" && return 0
	fail_case "$1: $3"
	return 1
}

# pcap_start NS DEV FILE FILTER...: tcpdump on DEV in NS writes FILE
# (FILE.err its messages) until pcap_stop; PCAP_PID is its pid. Immediate
# mode: libpcap's ring otherwise hands packets over only when a block
# fills or after a 1 s timeout, and a capture stopped sooner loses them.
pcap_start() {
	local ns=$1 dev=$2 f=$3
	shift 3
	ip netns exec "$ns" tcpdump --immediate-mode -i "$dev" -n -U -w "$f" "$@" \
		2>"$f.err" &
	PCAP_PID=$!
	slowwait 10 grep -q listening "$f.err" ||
		fail_case "tcpdump did not start: $(cat "$f.err")"
}

pcap_stop() {	# PID: after the last packets have had time to arrive
	sleep "$(scaled 0.5)"
	kill -INT "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

# check_tool_error EXPECTED_SUBSTRING CMD...: the command must exit 1
# with exactly one line "Error: ..." on stderr containing the substring.
check_tool_error() {
	local want=$1 err rc
	shift
	[ -n "${VERBOSE:-}" ] && echo "+ ! $*"
	err=$("$@" 2>&1 >/dev/null)
	rc=$?
	if [ $rc -ne 1 ] || [ "$(echo "$err" | wc -l)" -ne 1 ] ||
	   [[ $err != "Error: "*"$want"* ]]; then
		fail_case "\"$*\": expected exit 1 and one line \"Error: ...$want...\", got exit $rc: $err"
		return 1
	fi
}

# The value of an ip6 counter (kame stats ip6 NAME: no jq, whose startup
# takes a second under emulation).
kame_stat() {	# NS NAME
	kame -n "$1" stats ip6 "$2"
}

# "TOTAL SUM" from one snapshot of the ip6 counters: every received
# packet is delivered, forwarded, dropped with exactly one input counter,
# or taken into reassembly (ip6s_fragments); every reassembled datagram is
# then delivered or dropped once more. So the deltas of the two must match.
kame_ip6_in_sum() {	# NS
	local v
	# no jq: a second of startup each time under emulation
	mapfile -t v < <(kame -n "$1" stats ip6 ip6s_total ip6s_delivered \
		ip6s_tooshort ip6s_toosmall ip6s_badvers ip6s_cantforward \
		ip6s_nomem ip6s_badscope ip6s_noproto ip6s_notmember \
		ip6s_badoptions ip6s_toomanyhdr ip6s_badfrags ip6s_ifdisabled \
		ip6s_fragments ip6s_reassembled ip6s_forward ip6s_hlimexceeded \
		ip6s_toobig ip6s_fwdnoroute)
	echo "${v[0]} $((v[1] + v[2] + v[3] + v[4] + v[5] + v[6] + v[7] + v[8] +
		v[9] + v[10] + v[11] + v[12] + v[13] + v[14] - v[15] + v[16] +
		v[17] + v[18] + v[19]))"
}

# check_stat_lines TEXT JSON PREFIX KEY:WORDS...: the `kame stats GROUP`
# TEXT has the line "\tN WORDS" for each KEY, N its value in the group's
# JSON object (both taken from one snapshot by the caller)
check_stat_lines() {
	local txt=$1 js=$2 pfx=$3 k line
	shift 3
	for k in "$@"; do
		line=$'\t'"$(jq ".$pfx${k%%:*}" <<<"$js") ${k#*:}"
		grep -qxF "$line" <<<"$txt" || check_eq "stats line" "$line" "(missing)"
	done
}

kame_icmp6_stat() {	# NS NAME
	kame -n "$1" stats icmp6 "$2"
}

# The topology most tests use, DAD on the KAME side done:
#
#   +----- $A (KAME) -----+        +-- $B (native Linux) --+
#   |  veth0 2001:db8::1  |--------|  veth1 2001:db8::2     |
#   +---------------------+        +------------------------+
#
# Sets A, B, MAC_A, MAC_B and LL_B (the native link-local address).
kame_native_pair() {
	kame_veth_pair A B
	ip -n "$B" -6 addr add 2001:db8::2/64 dev veth1 nodad
	kame -n "$A" link attach veth0
	kame -n "$A" addr add 2001:db8::1/64 dev veth0
	MAC_A=$(mac_of "$A" veth0)
	MAC_B=$(mac_of "$B" veth1)
	# B's link-local comes with the carrier, which linkwatch may report
	# up to a second after "link set up"
	LL_B=$(eui64_ll "$MAC_B")
	slowwait 10 sh -c "ip -n $B -6 -o addr show dev veth1 scope link | grep -q ' $LL_B/'"
	slowwait 10 sh -c "! kame -n $A addr show | grep -q tentative"
}

# A native host in a new namespace (setup_ns VAR) on a link of its own
# behind the KAME node in KNS: a veth pair, KDEV in KNS (attached to KAME,
# KADDR/64) and NDEV in the new one (NADDR/64, no DAD), and the native
# host's routes to each PREFIX via KADDR. Failures count as the case's.
kame_native_host() {	# VAR KNS KDEV KADDR NDEV NADDR [PREFIX...]
	local var=$1 kns=$2 kdev=$3 kaddr=$4 ndev=$5 naddr=$6 ns p

	shift 6
	setup_ns "$var" || { fail_case "no namespace for $var"; return 1; }
	ns=${!var}
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0
	check ip -n "$kns" link add "$kdev" type veth peer name "$ndev" \
		netns "$ns" || return 1
	ip -n "$kns" link set "$kdev" up
	ip -n "$ns" link set "$ndev" up
	check kame -n "$kns" link attach "$kdev" || return 1
	check kame -n "$kns" addr add "$kaddr/64" dev "$kdev" || return 1
	check ip -n "$ns" -6 addr add "$naddr/64" dev "$ndev" nodad || return 1
	for p; do
		check ip -n "$ns" -6 route add "$p" via "$kaddr" || return 1
	done
}

# Two new namespaces (setup_ns VAR1 VAR2) joined by veth0 (in the first)
# and veth1 (in the second), both up. Native IPv6 does no DAD in either:
# its probes would be frames the tests did not ask for (the first
# namespace's native stack has veth0 until KAME attaches it).
kame_veth_pair() {	# VAR1 VAR2
	setup_ns "$1" "$2"
	local a=${!1} b=${!2} ns

	for ns in "$a" "$b"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0
	done
	ip -n "$a" link add veth0 type veth peer name veth1 netns "$b"
	ip -n "$a" link set veth0 up
	ip -n "$b" link set veth1 up
}

# Lines in the kernel log, but those the test's surroundings write: scapy
# setting promiscuous mode, a starved VM's "hrtimer: interrupt took N ns",
# the sanitizer kernel's "used greatest stack depth" of an exiting task.
# The KAME input path writes none (a test counts them around its packets).
kame_dmesg_lines() {
	dmesg | grep -Evc "promiscuous mode|hrtimer: interrupt took|used greatest stack depth"
}

# The MAC of DEV in NS (no jq: a second of startup under emulation)
mac_of() {	# NS DEV
	ip -n "$1" -br link show dev "$2" | awk '{print $3}'
}

# net/lib.sh's log_test, and a clean failure message for the next test.
eval "$(declare -f log_test | sed '1s/^log_test/__net_log_test/')"
# With KAME_CASE_TIMES (selftests/run.sh), the seconds since the previous
# case go there too: where a slow test spends its time.
__case_t0=$SECONDS
log_test() {
	local rc
	__net_log_test "$@"
	rc=$?
	retmsg=
	if [ -n "${KAME_CASE_TIMES:-}" ]; then
		echo "$((SECONDS - __case_t0)) ${KAME_TEST_NAME:-?}: $1" >>"$KAME_CASE_TIMES"
		__case_t0=$SECONDS
	fi
	return $rc
}

# Limits of the flood tests (inet6/udp_native.sh, inet6/raw_native.sh): a queue
# holds at most SO_RCVBUF plus the one datagram that crossed it (the truesize
# of a 1000-byte datagram is about 2.3 KB: a 2 KB data block and the
# sk_buff); the guest may hold 2000 more sk_buff heads (the backlog queue
# of a device takes 1000, the rest is per-CPU slab slack) and 8 MB more
# slab. A flood queued without bound holds one head and about 2.3 KB of
# slab per datagram: 10000 heads and 23 MB.
FLOOD_N=10000
SKB_SLACK=2000
SLAB_SLACK_KB=8192
TRUESIZE_SLACK=4096

# Memory of the whole guest, for the "a flood leaves memory flat" tests:
# "SKB SLAB", the sk_buff heads in use (skbuff_head_cache, never merged
# with another cache: every queued packet or clone holds one) and the
# slab total in kB (/proc/meminfo), which also holds the data blocks.
kame_mem() {
	echo "$(awk '$1 == "skbuff_head_cache" {print $2}' /proc/slabinfo) $(awk '$1 == "Slab:" {print $2}' /proc/meminfo)"
}

# Flood from the native side: COUNT messages of 1000 bytes to
# 2001:db8::1, UDP to PORT or (PORT "icmp6") ICMPv6 of the unassigned
# informational type 200 from a raw socket. Writes "sent N" to LOG when
# done; runs in the background (its pid in FLOOD_PID).
kame_native_flood() {	# NS PORT|icmp6 COUNT LOG
	ip netns exec "$1" python3 - "$2" "$3" >"$4" 2>&1 <<'PY' &
import socket, sys
port, n = sys.argv[1], int(sys.argv[2])
if port == "icmp6":
    s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
    dst, msg = ("2001:db8::1", 0), bytes([200, 0, 0, 0]) + b"f" * 996
else:
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    dst, msg = ("2001:db8::1", int(port)), b"f" * 1000
sent = 0
for i in range(n):
    try:
        s.sendto(msg, dst)
        sent += 1
    except OSError:
        pass
print("sent", sent, flush=True)
PY
	FLOOD_PID=$!
}

# Watch a flood until its LOG says "sent" and the KAME side has taken
# every packet (ip6s_total still for a second), sampling all along the
# largest recv_q (sk_rmem_alloc) of the sockets of NS that match the jq
# condition SEL, and kame_mem. Prints "RECVQ_MAX SKB_MAX SLAB_MAX".
kame_flood_watch() {	# NS LOG SEL
	local ns=$1 log=$2 sel=$3 rq=0 skb=0 slab=0 v s m done=0 t0 t1 i
	while [ $done = 0 ]; do
		grep -q '^sent' "$log" && done=1
		kill -0 "$FLOOD_PID" 2>/dev/null || done=1
		if [ $done = 1 ]; then
			# the last packets may still be in a queue: wait for the
			# input to go quiet, then take the last sample
			t0=$(kame_stat "$ns" ip6s_total)
			for i in $(seq 30); do
				sleep 1
				t1=$(kame_stat "$ns" ip6s_total)
				[ "$t1" = "$t0" ] && break
				t0=$t1
			done
		fi
		v=$(kame -n "$ns" -j sock show | jq "[.[] | select($sel) | .recv_q] | max // 0")
		[ "$v" -gt "$rq" ] && rq=$v
		read -r s m < <(kame_mem)
		[ "$s" -gt "$skb" ] && skb=$s
		[ "$m" -gt "$slab" ] && slab=$m
	done
	echo "$rq $skb $slab"
}

# The memory bounds of a flood into a socket nobody reads: its queue at
# most SO_RCVBUF plus one truesize, sk_buff heads and slab flat during the
# flood, the heads back after the close. Sets RET and adds to retmsg.
kame_flood_bounds() {	# RCVBUF RECVQ_MAX SKB0 SKB_MAX SLAB0 SLAB_MAX SKB_AFTER
	local rcvbuf=$1 rq=$2 skb0=$3 skb=$4 slab0=$5 slab=$6 skb1=$7

	[ "$rq" -le $((rcvbuf + TRUESIZE_SLACK)) ] ||
		fail_case "recv_q reached $rq, SO_RCVBUF $rcvbuf"
	[ $((slab - slab0)) -le $SLAB_SLACK_KB ] ||
		fail_case "slab grew by $((slab - slab0)) kB during the flood"
	# On the sanitizer kernel KASAN's quarantine holds freed heads, still
	# counted in use, by the thousand (7700 during a UDP flood while the
	# slab as a whole shrank): there the socket's queue, the slab total
	# and kmemleak after rmmod say what the head count says here.
	[ -n "${KAME_DEBUG_KERNEL:-}" ] && return
	[ $((skb - skb0)) -le $SKB_SLACK ] ||
		fail_case "sk_buff heads grew by $((skb - skb0)) during the flood"
	[ $((skb1 - skb0)) -le $SKB_SLACK ] ||
		fail_case "$((skb1 - skb0)) more sk_buff heads after the close"
}
