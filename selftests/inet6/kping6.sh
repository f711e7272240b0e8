#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kping6 (KAME's ping6 on AF_KAME raw sockets) against a stock Linux host;
# tcpdump on the native side checks what went on the wire.
#
#   +----- $A (KAME, kping6) -----+        +-- $B (native, tcpdump) --+
#   |  veth0 2001:db8::1          |--------|  veth1 2001:db8::2        |
#   +-----------------------------+        +---------------------------+
source "$(dirname "$0")/../lib.sh"

NUM='[0-9]+(\.[0-9]+)?(e[-+][0-9]+)?'
# the hop limit of a reply (IPV6_RECVHOPLIMIT)
HLIM=' hlim=64'

setup() {
	kame_native_pair
	TMP=$(mktemp -d)
	LL_A=$(kame -n "$A" -j addr show dev veth0 |
	       jq -r '.[] | select(.flags | index("autoconf")) | .address')
	CAP=
	RESP=
}

cleanup_test() {
	[ -n "$CAP" ] && kill "$CAP" 2>/dev/null
	[ -n "$RESP" ] && kill "$RESP" 2>/dev/null
	rm -rf "$TMP"
	cleanup_all_ns
}
trap cleanup_test EXIT

# kping6 in A (AF_KAME); output in $OUT, exit status in $RC
kp() {
	[ -n "${VERBOSE:-}" ] && echo "+ kping6 $*"
	OUT=$(ip netns exec "$A" kping6 "$@" 2>&1)
	RC=$?
}

# the output has LINE (an extended regex, anchored) exactly N times
want_lines() {	# WHAT N REGEX
	local got

	got=$(grep -cE "^$3\$" <<<"$OUT")
	[ "$got" = "$2" ] && return 0
	fail_case "$1: $2 lines like \"$3\" expected, $got in: $OUT"
	return 1
}

# BSD's start line, reply lines and summary for COUNT replies of 16 bytes
want_ping() {	# SRC DST FROM COUNT [DST_AS_TYPED]
	local dst=${5:-$2}

	check_eq "exit status" 0 "$RC"
	want_lines banner 1 "PING6\(56=40\+8\+8 bytes\) $1 --> $2"
	want_lines replies "$4" "16 bytes from $3, icmp_seq=[0-9]+$HLIM time=$NUM ms"
	want_lines "summary head" 1 "--- $dst ping6 statistics ---"
	want_lines "summary counts" 1 "$4 packets transmitted, $4 packets received, 0\.0% packet loss"
	want_lines rtt 1 "round-trip min/avg/max/std-dev = $NUM/$NUM/$NUM/$NUM ms"
}

# tcpdump on the native side
cap_start() {	# FILTER
	pcap_start "$B" veth1 "$TMP/cap" "$1"
	CAP=$PCAP_PID
}

cap_stop() {
	pcap_stop "$CAP"
	CAP=
}

test_global() {
	local ifa
	RET=0
	kp -c 3 -i 0.2 2001:db8::2
	want_ping 2001:db8::1 2001:db8::2 2001:db8::2 3
	kp -c 1 -I veth0 2001:db8::2
	want_ping 2001:db8::1 2001:db8::2 2001:db8::2 1
	ifa=$(ip netns exec "$A" cat /sys/class/net/veth0/ifindex)
	kp -c 1 -v 2001:db8::2
	want_lines "-v reply" 1 "16 bytes from 2001:db8::2, icmp_seq=0$HLIM dstaddr=2001:db8::1 dstifid=$ifa time=$NUM ms"
	log_test "kping6: global address of the native host (-c 3, -I, -v)"
}

test_linklocal() {
	RET=0
	kp -c 3 -i 0.2 "$LL_B%veth0"
	want_ping "$LL_A%veth0" "$LL_B%veth0" "$LL_B%veth0" 3
	kp -c 2 -i 0.2 -I veth0 "$LL_B"
	want_ping "$LL_A%veth0" "$LL_B%veth0" "$LL_B%veth0" 2 "$LL_B"
	log_test "kping6: link-local address with %IF and with -I"
}

# Replies to ff02::1: the native host's at least, each line well formed
# (the node's own answer comes too when the kernel loops multicast back).
want_mcast() {	# WHAT
	local all ours
	all=$(grep -c "bytes from" <<<"$OUT")
	ours=$(grep -cE "^16 bytes from ($LL_B|$LL_A)%veth0, icmp_seq=[0-9]+$HLIM time=$NUM ms(\(DUP!\))?$" <<<"$OUT")
	check_eq "$1: exit status" 0 "$RC"
	check_eq "$1: well-formed reply lines" "$all" "$ours"
	grep -qE "^16 bytes from $LL_B%veth0, icmp_seq=0" <<<"$OUT" ||
		fail_case "$1: no reply from the native host: $OUT"
}

test_multicast() {
	RET=0
	kp -c 2 -i 0.3 ff02::1%veth0
	want_lines banner 1 "PING6\(56=40\+8\+8 bytes\) $LL_A%veth0 --> ff02::1%veth0"
	want_mcast "%veth0"
	kp -c 2 -i 0.3 -I veth0 ff02::1
	want_mcast "-I veth0"
	log_test "kping6: ff02::1%IF is answered by the native host"
}

test_unreachable() {
	local t0
	RET=0
	t0=$(date +%s)
	kp -c 2 -i 0.5 -x 1000 2001:db8::99
	check_eq "exit status (no reply)" 1 "$RC"
	want_lines "loss" 1 "2 packets transmitted, 0 packets received, 100\.0% packet loss"
	want_lines "no rtt" 0 "round-trip.*"
	[ $(($(date +%s) - t0)) -le 10 ] ||
		fail_case "-x 1000 did not shorten the wait: $(($(date +%s) - t0)) s"
	kp -c 1 2001:db8:99::1
	check_eq "exit status (off-link)" 1 "$RC"
	want_lines "error line" 1 "Error: .*2001:db8:99::1.*"
	log_test "kping6: no reply exits 1 (on-link: loss summary; off-link: Error line)"
}

test_usage() {
	RET=0
	kp -Z 2001:db8::2
	check_eq "unknown option" 2 "$RC"
	want_lines "unknown option" 1 "Error: unknown option -- 'Z'"
	want_lines "usage" 1 "usage: kping6 .*"
	kp -c abc 2001:db8::2
	check_eq "bad count" 2 "$RC"
	check_eq "bad count message" "Error: illegal number of packets -- abc" "$OUT"
	kp -h 256 2001:db8::2
	check_eq "bad hop limit" "2 Error: illegal hoplimit -- 256" "$RC $OUT"
	kp -p xyz 2001:db8::2
	check_eq "bad pattern" 2 "$RC"
	kp -s 200000 2001:db8::2
	check_eq "bad size" 2 "$RC"
	kp -I nosuchif 2001:db8::2
	check_eq "bad interface" "2 Error: interface \"nosuchif\" does not exist" "$RC $OUT"
	kp -f -i 1 2001:db8::2
	check_eq "-f with -i" 2 "$RC"
	kp
	check_eq "no host" 2 "$RC"
	want_lines "no host" 1 "Error: missing host"
	OUT=$(ip netns exec "$A" env KAME_FAMILY=bogus kping6 ::1 2>&1)
	check_eq "bad KAME_FAMILY" "Error: KAME_FAMILY must be \"kame\" or \"inet6\" -- bogus" "$OUT"
	log_test "kping6: usage errors exit 2 with an Error line naming the input"
}

test_hoplimit() {
	local dump
	RET=0
	cap_start "icmp6 and ip6[40] == 128"
	kp -c 1 -h 7 2001:db8::2
	check_eq "unicast exit" 0 "$RC"
	kp -c 1 -h 3 ff02::1%veth0
	check_eq "multicast exit" 0 "$RC"
	cap_stop
	dump=$(tcpdump -r "$TMP/cap" -n -v 2>/dev/null)
	grep -qE "hlim 7,.*\) 2001:db8::1 > 2001:db8::2: \[icmp6 sum ok\] ICMP6, echo request" <<<"$dump" ||
		fail_case "no unicast request with hop limit 7: $dump"
	grep -qE "hlim 3,.*\) $LL_A > ff02::1: \[icmp6 sum ok\] ICMP6, echo request" <<<"$dump" ||
		fail_case "no multicast request with hop limit 3: $dump"
	log_test "kping6: -h sets the hop limit seen on the wire (unicast, multicast)"
}

test_pattern() {
	local hex
	RET=0
	cap_start "icmp6 and ip6[40] == 128"
	kp -c 1 -s 24 -p c0ffee 2001:db8::2
	check_eq "exit status" 0 "$RC"
	cap_stop
	want_lines "pattern line" 1 "PATTERN: 0xc0ffee"
	want_lines "reply" 1 "32 bytes from 2001:db8::2, icmp_seq=0$HLIM time=$NUM ms"
	hex=$(tcpdump -r "$TMP/cap" -n -x 2>/dev/null |
	      awk '/^\t0x/ { for (i = 2; i <= NF; i++) printf "%s", $i } END { print "" }')
	# 40-byte header, 8-byte ICMPv6 header, 8-byte timestamp, 16 bytes
	check_eq "data on the wire" c0ffeec0ffeec0ffeec0ffeec0ffeec0 "${hex:112}"
	log_test "kping6: -p pattern bytes seen on the wire"
}

test_fragments() {
	local frag0 reas0 frags
	RET=0
	frag0=$(kame_stat "$A" ip6s_fragmented)
	reas0=$(kame_stat "$A" ip6s_reassembled)
	cap_start "ip6 src 2001:db8::1 and ip6[6] == 44"
	kp -c 1 -s 4000 2001:db8::2
	cap_stop
	check_eq "exit status" 0 "$RC"
	want_lines banner 1 "PING6\(4048=40\+8\+4000 bytes\) 2001:db8::1 --> 2001:db8::2"
	want_lines reply 1 "4008 bytes from 2001:db8::2, icmp_seq=0$HLIM time=$NUM ms"
	want_lines "data intact" 0 ".*wrong data byte.*"
	frags=$(tcpdump -r "$TMP/cap" -n 2>/dev/null | grep -c "frag (")
	[ "$frags" -ge 3 ] ||
		fail_case "$frags fragments on the wire, 3 or more expected"
	check_eq "ip6s_fragmented" $((frag0 + 1)) "$(kame_stat "$A" ip6s_fragmented)"
	check_eq "ip6s_reassembled" $((reas0 + 1)) "$(kame_stat "$A" ip6s_reassembled)"
	log_test "kping6: -s 4000 through fragmentation both ways"
}

test_source() {
	RET=0
	kp -c 1 -S 2001:db8::1 2001:db8::2
	want_ping 2001:db8::1 2001:db8::2 2001:db8::2 1
	kp -c 1 -S 2001:db8::77 2001:db8::2
	check_eq "foreign source" 1 "$RC"
	want_lines "bind error" 1 "Error: bind to 2001:db8::77: .*"
	log_test "kping6: -S binds the source"
}

# The native host answers echo requests with ICMPv6 errors: a raw socket
# program in B, with the kernel's own echo replies off.
test_errors() {
	RET=0
	ip netns exec "$B" sysctl -qw net.ipv6.icmp.echo_ignore_all=1
	cat >"$TMP/resp.py" <<'PY'
import socket, struct, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
s.settimeout(15)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVHOPLIMIT, 1)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_RECVPKTINFO, 1)
blk = [0xffffffff] * 8
blk[128 >> 5] &= ~(1 << (128 & 31))  # pass echo requests only
s.setsockopt(socket.IPPROTO_ICMPV6, 1, struct.pack("8I", *blk))
print("ready", flush=True)
errs = [(1, 1, 0), (4, 2, 0x30), (2, 0, 1280), (3, 0, 0)]
for t, c, p in errs:
    try:
        data, anc, _, addr = s.recvmsg(65536, 256)
    except socket.timeout:
        sys.exit("no echo request came")
    hlim, dst = 64, bytes(16)
    for _, typ, d in anc:
        if typ == socket.IPV6_HOPLIMIT:
            hlim = struct.unpack("i", d[:4])[0]
        elif typ == socket.IPV6_PKTINFO:
            dst = d[:16]
    src = socket.inet_pton(socket.AF_INET6, addr[0].split("%")[0])
    quote = struct.pack("!IHBB", 6 << 28, len(data), 58, hlim) + src + dst + data
    s.sendto(struct.pack("!BBHI", t, c, 0, p) + quote[:1232], addr)
PY
	ip netns exec "$B" python3 "$TMP/resp.py" >"$TMP/resp.log" 2>&1 &
	RESP=$!
	if check slowwait 20 grep -q ready "$TMP/resp.log"; then
		kp -c 4 -i 0.3 -x 1000 2001:db8::2
		check_eq "exit status (errors only)" 1 "$RC"
		want_lines unreach 1 "64 bytes from 2001:db8::2: Destination Administratively Unreachable"
		want_lines paramprob 1 "64 bytes from 2001:db8::2: Parameter problem: Unrecognized Option pointer = 0x30"
		want_lines toobig 1 "64 bytes from 2001:db8::2: Packet too big mtu = 1280"
		want_lines timex 1 "64 bytes from 2001:db8::2: Time to live exceeded"
		want_lines "quoted header" 4 "2001:db8::1->2001:db8::2"
		want_lines "quoted echo" 4 "ICMP6: type = 128, code = 0"
		want_lines "no replies" 1 "4 packets transmitted, 0 packets received, 100\.0% packet loss"
	fi
	wait "$RESP"
	RESP=
	ip netns exec "$B" sysctl -qw net.ipv6.icmp.echo_ignore_all=0
	log_test "kping6: ICMPv6 errors about our requests are decoded"
}

# The same tool on Linux's own IPv6 (KAME_FAMILY=inet6), pinging the KAME
# host: a reference for the formats, independent of AF_KAME sockets.
test_native_reference() {
	RET=0
	OUT=$(ip netns exec "$B" env KAME_FAMILY=inet6 kping6 -c 3 -i 0.2 2001:db8::1 2>&1)
	RC=$?
	want_ping 2001:db8::2 2001:db8::1 2001:db8::1 3
	OUT=$(ip netns exec "$B" env KAME_FAMILY=inet6 kping6 -c 2 -i 0.2 "$LL_A%veth1" 2>&1)
	RC=$?
	want_ping "$LL_B%veth1" "$LL_A%veth1" "$LL_A%veth1" 2
	log_test "kping6: KAME_FAMILY=inet6 from the native host to the KAME host"
}

setup
test_usage
test_native_reference
test_global
test_linklocal
test_multicast
test_source
test_unreachable
test_hoplimit
test_pattern
test_fragments
test_errors
exit "$EXIT_STATUS"
