#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The protocol switch kame.ko exports to the modules of its family
# (kmod/core/kame_family.h), shown with the test module kame_ptest
# (selftests/kmod/) against packets a native host sends with next header
# 253 from Python's native AF_INET6 raw sockets.
#
#   +----- $A (KAME, kame_ptest) ---+        +-- $B (native, python3) --+
#   |  veth0 2001:db8::1            |--------|  veth1 2001:db8::2        |
#   +-------------------------------+        +---------------------------+
source "$(dirname "$0")/../lib.sh"

: "${KAME_PTEST_KO:=$KAME_TOP/selftests/kmod/kame_ptest.ko}"
PARAMS=/sys/module/kame_ptest/parameters

cleanup_test() {
	rmmod kame_ptest 2>/dev/null
	cleanup_all_ns
}
trap cleanup_test EXIT

# send N packets of next header 253 from B: PAYLOAD is the hex of what
# follows the IPv6 header, or "echo" for an 8-byte header naming ICMPv6
# (58) and an echo request; prints the echo replies B received
send253() {	# N PAYLOAD
	ip netns exec "$B" python3 - "$1" "$2" <<'PY'
import socket, struct, sys
n, what = int(sys.argv[1]), sys.argv[2]
src, dst = "2001:db8::2", "2001:db8::1"
def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
def echo(seq):
    icmp = struct.pack("!BBHHH", 128, 0, 0, 0x4b41, seq) + b"kame"
    ph = socket.inet_pton(socket.AF_INET6, src) + \
        socket.inet_pton(socket.AF_INET6, dst) + \
        struct.pack("!IxxxB", len(icmp), 58)
    c = csum(ph + icmp)
    return bytes([58, 0, 0, 0, 0, 0, 0, 0]) + icmp[:2] + \
        struct.pack("!H", c) + icmp[4:]
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 253)
r = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
r.settimeout(0.5)
for i in range(n):
    p = echo(i) if what == "echo" else bytes.fromhex(what)
    s.sendto(p, (dst, 0))
got = 0
try:
    while got < n:
        b, a = r.recvfrom(2048)
        if b[0] == 129 and struct.unpack("!H", b[4:6])[0] == 0x4b41:
            got += 1
except socket.timeout:
    pass
print(got)
PY
}

ip6() {	# NAME
	kame -n "$A" stats ip6 "$1"
}

# every packet since the snapshot SUM0 (kame_ip6_in_sum) counted once:
# the growth of ip6s_total is that of the delivered and dropped
check_counted_once() {	# SUM0
	local sum0=$1 sum

	sum=$(kame_ip6_in_sum "$A")
	check_eq "every packet counted once (total, sum)" \
		"$(( ${sum% *} - ${sum0% *} )) $(( ${sum% *} - ${sum0% *} ))" \
		"$(( ${sum% *} - ${sum0% *} )) $(( ${sum#* } - ${sum0#* } ))"
}

test_unregistered() {
	local np0
	RET=0
	np0=$(ip6 ip6s_noproto)
	send253 5 4b00000000000000 >/dev/null
	check_eq "ip6s_noproto without a module" $((np0 + 5)) "$(ip6 ip6s_noproto)"
	log_test "ip6proto: next header 253 without a module: ip6s_noproto"
}

test_registered() {
	local np0 dl0 sum0
	RET=0
	check insmod "$KAME_PTEST_KO"
	np0=$(ip6 ip6s_noproto)
	dl0=$(ip6 ip6s_delivered)
	sum0=$(kame_ip6_in_sum "$A")
	send253 5 4b00000000000000 >/dev/null
	check_eq "packets the module saw" 5 "$(cat $PARAMS/packets)"
	check_eq "first byte at c->off" 75 "$(cat $PARAMS/first)"
	check_eq "ip6s_noproto unchanged" "$np0" "$(ip6 ip6s_noproto)"
	# B's own packets (a NUD probe, an MLD report) may come in too
	[ $(( $(ip6 ip6s_delivered) - dl0 )) -ge 5 ] ||
		fail_case "ip6s_delivered grew by $(( $(ip6 ip6s_delivered) - dl0 ))"
	check_counted_once "$sum0"
	check_fail rmmod kame
	check rmmod kame_ptest
	log_test "ip6proto: a registered next header goes to its module, counted delivered"
}

test_core_refused() {
	local p out
	RET=0
	for p in 0 17 43 44 58 59 60; do
		out=$(insmod "$KAME_PTEST_KO" proto=$p 2>&1) &&
			{ rmmod kame_ptest; fail_case "proto $p taken"; }
		[[ $out == *"busy"* ]] || fail_case "proto $p: $out"
	done
	log_test "ip6proto: the core's next headers cannot be taken (EBUSY)"
}

test_continue() {
	local in0 out0 sum0 got
	RET=0
	check insmod "$KAME_PTEST_KO" skip=1
	in0=$(kame_icmp6_stat "$A" icp6s_inhist_echo)
	out0=$(kame_icmp6_stat "$A" icp6s_outhist_echoreply)
	sum0=$(kame_ip6_in_sum "$A")
	got=$(send253 5 echo)
	check_eq "packets the module saw" 5 "$(cat $PARAMS/packets)"
	check_eq "echo requests after the module's header" $((in0 + 5)) \
		"$(kame_icmp6_stat "$A" icp6s_inhist_echo)"
	check_eq "echo replies sent" $((out0 + 5)) \
		"$(kame_icmp6_stat "$A" icp6s_outhist_echoreply)"
	check_eq "echo replies at the native host" 5 "$got"
	check_counted_once "$sum0"
	check rmmod kame_ptest
	log_test "ip6proto: a module's header done with, the core goes on (ICMPv6 echo answered)"
}

test_unload_under_traffic() {
	local pid np0 i
	RET=0
	ip netns exec "$B" python3 -c '
import socket, time
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 253)
end = time.time() + 6
while time.time() < end:
    s.sendto(bytes(8), ("2001:db8::1", 0))
' &
	pid=$!
	for i in 1 2 3 4 5; do
		check insmod "$KAME_PTEST_KO"
		sleep 0.3
		check rmmod kame_ptest
	done
	wait "$pid"
	np0=$(ip6 ip6s_noproto)
	send253 3 4b00000000000000 >/dev/null
	check_eq "unregistered again after the last unload" $((np0 + 3)) \
		"$(ip6 ip6s_noproto)"
	log_test "ip6proto: loading and unloading a module under traffic"
}

kame_native_pair
test_unregistered
test_registered
test_core_refused
test_continue
test_unload_under_traffic
exit "$EXIT_STATUS"
