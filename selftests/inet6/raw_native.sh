#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Raw AF_KAME sockets and ICMPv6 errors reported to sockets, against the
# native Linux stack (ping replies, raw sockets and crafted errors from
# Python's native AF_INET6 raw sockets).
#
#   +----- $A (KAME, kame-raw) -----+        +-- $B (native, python3) --+
#   |  veth0 2001:db8::1            |--------|  veth1 2001:db8::2        |
#   +-------------------------------+        +---------------------------+
source "$(dirname "$0")/../lib.sh"

setup() {
	kame_native_pair
	LL_A=$(kame -n "$A" -j addr show dev veth0 |
	       jq -r '.[] | select(.flags | index("autoconf")) | .address')
	TMP=$(mktemp -d)
	defer_pids=()
}

cleanup_test() {
	local p
	for p in "${defer_pids[@]}"; do kill "$p" 2>/dev/null; done
	rm -rf "$TMP"
	cleanup_all_ns
}
trap cleanup_test EXIT

rip6_stat() {	# NAME
	kame -n "$A" stats rip6 "$1"
}

native_snmp6() {	# NAME
	ip netns exec "$B" awk -v n="$1" '$1 == n {print $2}' /proc/net/snmp6
}

# start a command in A in the background, wait for its "ready" (or the
# "lport" line of kame-raw udperr)
kame_bg() {	# LOG CMD...
	local log=$1
	shift
	ip netns exec "$A" "$@" >"$log" 2>&1 &
	defer_pids+=($!)
	slowwait 10 grep -qE '^(ready|lport)' "$log" ||
		fail_case "\"$*\" did not start: $(cat "$log")"
}

# run python3 in B with the script on stdin
native_py() {
	ip netns exec "$B" python3 - "$@"
}

test_echo() {
	local out o0 r0 e0 n0
	RET=0
	o0=$(kame_icmp6_stat "$A" icp6s_outhist_echo)
	r0=$(kame_icmp6_stat "$A" icp6s_inhist_echoreply)
	e0=$(rip6_stat rip6s_opackets)
	n0=$(native_snmp6 Icmp6InEchos)
	out=$(ip netns exec "$A" kame-raw ping -c 3 -s 100 -I 4660 2001:db8::2)
	check_eq "global" "reply from 2001:db8::2: ident=4660 seq=1 bytes=108 ok
reply from 2001:db8::2: ident=4660 seq=2 bytes=108 ok
reply from 2001:db8::2: ident=4660 seq=3 bytes=108 ok
3 sent, 3 received" "$out"
	out=$(ip netns exec "$A" kame-raw ping -c 1 "$LL_B%veth0")
	[[ $out == "reply from $LL_B%"*": ident=19265 seq=1 bytes=64 ok"* ]] ||
		fail_case "link-local: $out"
	# IPV6_MULTICAST_LOOP is on (BSD's default): the node answers its own
	# request to ff02::1 too, and that reply may come first
	out=$(ip netns exec "$A" kame-raw ping -c 1 "ff02::1%veth0")
	[[ $out == "reply from "@($LL_B|$LL_A)"%"*": ident=19265 seq=1 bytes=64 ok"* ]] ||
		fail_case "ff02::1: $out"
	check_eq "icp6s_outhist_echo" $((o0 + 5)) \
		"$(kame_icmp6_stat "$A" icp6s_outhist_echo)"
	busywait 5000 sh -c "[ \$(kame -n $A stats icmp6 icp6s_inhist_echoreply) = $((r0 + 6)) ]"
	check_eq "icp6s_inhist_echoreply (the node's own reply too)" $((r0 + 6)) \
		"$(kame_icmp6_stat "$A" icp6s_inhist_echoreply)"
	check_eq "rip6s_opackets" $((e0 + 5)) "$(rip6_stat rip6s_opackets)"
	check_eq "native Icmp6InEchos" $((n0 + 5)) "$(native_snmp6 Icmp6InEchos)"
	out=$(kame -n "$A" stats rip6 | grep -c -e '^rip6:$' \
		-e "^	$((e0 + 5)) datagrams output$")
	check_eq "kame stats rip6 text" 2 "$out"
	log_test "raw: ICMPv6 echo to the native host (global, link-local, ff02::1)"
}

test_filter_blocks() {
	local out rc o0 r0 n0
	RET=0
	o0=$(kame_icmp6_stat "$A" icp6s_outhist_echo)
	r0=$(kame_icmp6_stat "$A" icp6s_inhist_echoreply)
	n0=$(native_snmp6 Icmp6OutEchoReplies)
	out=$(ip netns exec "$A" kame-raw ping -b -c 2 -W 1 2001:db8::2)
	rc=$?
	check_eq "exit status" 1 "$rc"
	check_eq "output" "2 sent, 0 received" "$out"
	check_eq "icp6s_outhist_echo" $((o0 + 2)) \
		"$(kame_icmp6_stat "$A" icp6s_outhist_echo)"
	check_eq "replies arrived" $((r0 + 2)) \
		"$(kame_icmp6_stat "$A" icp6s_inhist_echoreply)"
	check_eq "native Icmp6OutEchoReplies" $((n0 + 2)) \
		"$(native_snmp6 Icmp6OutEchoReplies)"
	log_test "raw: ICMP6_FILTER blocking echo replies keeps them from the socket"
}

test_proto253() {
	local out np0 pp0 nm0 ns0 ce0
	RET=0
	np0=$(kame_stat "$A" ip6s_noproto)
	pp0=$(kame_icmp6_stat "$A" icp6s_outhist_param_prob)
	kame_bg "$TMP/r253" kame-raw recv -p 253 -n 2 -W 30
	native_py <<'PY'
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 253)
s.sendto(b"hello-253", ("2001:db8::1", 0))
s.sendto(b"mcast", ("ff02::1%veth1", 0))
PY
	wait "${defer_pids[-1]}"
	check_eq "received" "from 2001:db8::2 9 bytes: 68656c6c6f2d323533
from $LL_B%$(ip -n "$A" -j link show veth0 | jq '.[0].ifindex') 5 bytes: 6d63617374" \
		"$(grep bytes "$TMP/r253")"
	# taken by the socket: delivered, no error (ND may add to the
	# general counters meanwhile, so only these are exact)
	check_eq "ip6s_noproto" "$np0" "$(kame_stat "$A" ip6s_noproto)"
	check_eq "icp6s_outhist_param_prob" "$pp0" \
		"$(kame_icmp6_stat "$A" icp6s_outhist_param_prob)"

	out=$(native_py <<'PY'
import socket, struct
r = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
r.settimeout(5)
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 253)
s.sendto(b"nobody-listens", ("2001:db8::1", 0))
while True:
    d, a = r.recvfrom(2000)
    if d[0] == 4:
        print("from %s paramprob code=%d pointer=%d quoted-nh=%d" %
              (a[0], d[1], struct.unpack("!I", d[4:8])[0], d[8 + 6]))
        break
PY
)
	check_eq "native sender" \
		"from 2001:db8::1 paramprob code=1 pointer=6 quoted-nh=253" "$out"
	check_eq "ip6s_noproto" $((np0 + 1)) "$(kame_stat "$A" ip6s_noproto)"
	check_eq "icp6s_outhist_param_prob" $((pp0 + 1)) \
		"$(kame_icmp6_stat "$A" icp6s_outhist_param_prob)"
	# to a multicast group: counted, and no error (RFC 4443 2.4 e.3)
	nm0=$(rip6_stat rip6s_nosockmcast)
	ns0=$(rip6_stat rip6s_nosock)
	ce0=$(kame_icmp6_stat "$A" icp6s_canterror)
	native_py <<'PY'
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 253)
s.sendto(b"mcast", ("ff02::1%veth1", 0))
PY
	check slowwait 10 sh -c "[ \$(kame -n $A stats rip6 rip6s_nosockmcast) -gt $nm0 ]"
	[ "$(rip6_stat rip6s_nosock)" -gt "$ns0" ] ||
		fail_case "rip6s_nosock did not move"
	check_eq "icp6s_canterror" $((ce0 + 1)) \
		"$(kame_icmp6_stat "$A" icp6s_canterror)"
	log_test "raw: protocol 253 delivered intact (unicast, ff02::1); without a socket, Parameter Problem"
}

# the native receiver checks the sum itself and through IPV6_CHECKSUM
test_checksum_out() {
	RET=0
	native_py >"$TMP/ck" 2>&1 <<'PY' &
import socket, struct
plain = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 253)
checked = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 253)
checked.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_CHECKSUM, 2)
plain.settimeout(10)
checked.settimeout(10)
print("ready", flush=True)
d, a = plain.recvfrom(2000)
ph = (socket.inet_pton(socket.AF_INET6, a[0]) +
      socket.inet_pton(socket.AF_INET6, "2001:db8::2") +
      struct.pack("!IxxxB", len(d), 253))
b = ph + d + (b"\0" if len(d) % 2 else b"")
s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
while s >> 16:
    s = (s & 0xffff) + (s >> 16)
print("plain %s sum=%#x field=%s" % (d[4:].decode(), s, d[2:4].hex()))
d2, a2 = checked.recvfrom(2000)
print("checked %s" % d2[4:].decode())
PY
	defer_pids+=($!)
	check slowwait 10 grep -q ready "$TMP/ck"
	check ip netns exec "$A" kame-raw send -p 253 -C 2 2001:db8::2 \
		0000000063686b2d6f6b
	check slowwait 10 grep -q checked "$TMP/ck"
	grep -q "^plain chk-ok sum=0xffff field=" "$TMP/ck" ||
		fail_case "native sum: $(cat "$TMP/ck")"
	grep -q "^plain chk-ok sum=0xffff field=0000$" "$TMP/ck" &&
		fail_case "checksum field left zero"
	grep -q "^checked chk-ok$" "$TMP/ck" ||
		fail_case "native IPV6_CHECKSUM socket: $(cat "$TMP/ck")"
	log_test "raw: IPV6_CHECKSUM 2 on output, checked by the native receiver"
}

test_checksum_in() {
	local is0 bs0
	RET=0
	is0=$(rip6_stat rip6s_isum)
	bs0=$(rip6_stat rip6s_badsum)
	kame_bg "$TMP/ci" kame-raw recv -p 253 -C 2 -n 2 -W 30
	native_py <<'PY'
import socket
bad = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 253)
bad.sendto(b"\0\0\0\0bad-sum", ("2001:db8::1", 0))
good = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 253)
good.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_CHECKSUM, 2)
good.sendto(b"\0\0\0\0good-sum", ("2001:db8::1", 0))
good.sendto(b"\0\0\0\0end", ("2001:db8::1", 0))
PY
	wait "${defer_pids[-1]}"
	check_eq "the good ones" 2 "$(grep -c bytes "$TMP/ci")"
	grep -q "^from 2001:db8::2 12 bytes: 0000....676f6f642d73756d$" "$TMP/ci" &&
	grep -q "^from 2001:db8::2 7 bytes: 0000....656e64$" "$TMP/ci" ||
		fail_case "received: $(cat "$TMP/ci")"
	check_eq "rip6s_isum" $((is0 + 3)) "$(rip6_stat rip6s_isum)"
	check_eq "rip6s_badsum" $((bs0 + 1)) "$(rip6_stat rip6s_badsum)"
	log_test "raw: IPV6_CHECKSUM 2 on input drops a bad sum and counts it"
}

test_udp_refused() {
	local out
	RET=0
	kame_bg "$TMP/unreach" kame-raw recv -t 1 -n 2 -W 10
	out=$(ip netns exec "$A" kame-raw udperr 2001:db8::2 7999 | tail -n 1)
	check_eq "SO_ERROR" "so_error: ECONNREFUSED" "$out"
	out=$(ip netns exec "$A" kame-raw udperr -r 2001:db8::2 7999 | tail -n 1)
	check_eq "recv" "recv: ECONNREFUSED" "$out"
	check slowwait 10 sh -c "[ \$(grep -c bytes $TMP/unreach) = 2 ]"
	# type 1 code 4, then the quoted packet from 2001:db8::1 (UDP, nh 17)
	grep -q "^from 2001:db8::2 57 bytes: 0104....000000006.*11..20010db8000000000000000000000001" \
		"$TMP/unreach" ||
		fail_case "raw ICMPv6 socket saw: $(cat "$TMP/unreach")"
	log_test "udp: connected socket gets ECONNREFUSED (SO_ERROR, recv); raw sees the error"
}

# inject ICMPv6 errors from B quoting datagrams from A, one a second:
# TYPE CODE SPORT DPORT for each
native_errors() {
	native_py "$@" <<'PY'
import socket, struct, sys, time
a = socket.inet_pton(socket.AF_INET6, "2001:db8::1")
b = socket.inet_pton(socket.AF_INET6, "2001:db8::2")
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
args = list(map(int, sys.argv[1:]))
for i in range(0, len(args), 4):
    t, c, sport, dport = args[i:i + 4]
    q = struct.pack("!IHBB", 6 << 28, 9, 17, 64) + a + b
    q += struct.pack("!HHHH", sport, dport, 9, 0) + b"x"
    s.sendto(struct.pack("!BBHI", t, c, 0, 1280 if t == 2 else 0) + q,
             ("2001:db8::1", 0))
    time.sleep(1)
PY
}

# a connected socket in A waits for an error; B sends TYPE CODE quoting
# it, after one quoting another conversation (port 7997) that must not
# reach it
udp_error_case() {	# TYPE CODE EXPECTED
	local lport
	kame_bg "$TMP/ue" kame-raw udperr -n -W 30 2001:db8::2 7998
	lport=$(awk '/lport/ {print $2}' "$TMP/ue")
	native_errors 1 4 "$lport" 7997 "$1" "$2" "$lport" 7998
	wait "${defer_pids[-1]}"
	check_eq "type $1 code $2" "$3" "$(tail -n 1 "$TMP/ue")"
}

test_udp_errors() {
	local ie0
	RET=0
	ie0=$(kame_icmp6_stat "$A" icp6s_inhist_error)
	udp_error_case 2 0 "so_error: EMSGSIZE"
	udp_error_case 3 0 "so_error: EHOSTUNREACH"
	udp_error_case 1 0 "so_error: ENETUNREACH"
	udp_error_case 1 1 "so_error: EACCES"
	udp_error_case 1 3 "so_error: EHOSTUNREACH"
	udp_error_case 4 0 "so_error: EPROTO"
	check_eq "icp6s_inhist_error" $((ie0 + 12)) \
		"$(kame_icmp6_stat "$A" icp6s_inhist_error)"
	log_test "udp: PTB, time exceeded, unreachable, parameter problem mapped to errno"
}

# raw sockets closed with data queued while a flood comes in: every
# socket is freed (module references back where they were)
test_close_under_flood() {
	local ref0 fs0 pid
	RET=0
	ref0=$(cat /sys/module/kame/refcnt)
	fs0=$(rip6_stat rip6s_fullsock)
	ip netns exec "$B" ping -6 -q -i 0.002 -s 500 2001:db8::1 >/dev/null 2>&1 &
	pid=$!
	ip netns exec "$A" python3 - >"$TMP/flood" 2>&1 <<'PY'
import socket, time
f = int(open("/sys/module/kame/parameters/family").read())
ss = [socket.socket(f, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
      for i in range(8)]
for s in ss:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
time.sleep(3)
print("first type", ss[0].recv(2000)[0])
PY
	kill "$pid"
	wait "$pid" 2>/dev/null
	grep -qE "first type (128|135|136)" "$TMP/flood" ||
		fail_case "raw socket under flood: $(cat "$TMP/flood")"
	[ "$(rip6_stat rip6s_fullsock)" -gt "$fs0" ] ||
		fail_case "no rip6s_fullsock drops"
	check busywait 5000 sh -c "[ \$(cat /sys/module/kame/refcnt) = $ref0 ]"
	log_test "raw: sockets closed with queued data under a flood are freed"
}

# A raw ICMPv6 socket that nobody reads, SO_RCVBUF 4096, under a flood of
# FLOOD_N messages of type 200 (not one the kernel takes: only the raw
# socket gets a copy): its queue stays within the buffer, the copies
# beyond it are counted in rip6s_fullsock, the guest's sk_buff heads and
# slab stay flat, and closing the socket gives everything back.
test_rcvbuf_flood() {
	local fs0 in0 fs in got rcvbuf rq skb slab skb0 slab0 skb1 slab1 pid
	RET=0
	fs0=$(rip6_stat rip6s_fullsock)
	in0=$(kame_icmp6_stat "$A" icp6s_inhist_other)
	read -r skb0 slab0 < <(kame_mem)
	kame_bg "$TMP/holder" python3 -c '
import signal, socket
f = int(open("/sys/module/kame/parameters/family").read())
s = socket.socket(f, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
print("ready rcvbuf", s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF),
      flush=True)
signal.sigtimedwait({signal.SIGUSR1}, 600)
n = 0
try:
    while True:
        n += s.recv(2048, socket.MSG_DONTWAIT)[0] == 200
except BlockingIOError:
    pass
print("received", n, flush=True)'
	pid=${defer_pids[-1]}
	rcvbuf=$(awk '/^ready/ {print $3}' "$TMP/holder")
	kame_native_flood "$B" icmp6 "$FLOOD_N" "$TMP/flood"
	read -r rq skb slab < <(kame_flood_watch "$A" "$TMP/flood" \
		'.type == "raw" and .protocol == 58')
	kill -USR1 "$pid"
	check slowwait 30 grep -q received "$TMP/holder"
	wait "$pid"
	read -r skb1 slab1 < <(kame_mem)
	got=$(awk '/received/ {print $2}' "$TMP/holder")
	fs=$(($(rip6_stat rip6s_fullsock) - fs0))
	in=$(($(kame_icmp6_stat "$A" icp6s_inhist_other) - in0))
	echo "# raw flood: $(cat "$TMP/flood"), $in in, $fs copies dropped," \
		"$got read; recv_q max $rq (rcvbuf $rcvbuf); sk_buff heads" \
		"$skb0 -> max $skb -> $skb1 after close; slab $slab0 -> max" \
		"$slab -> $slab1 kB"
	[ "$in" -ge $((FLOOD_N / 2)) ] ||
		fail_case "only $in of $FLOOD_N messages reached ICMPv6"
	[ "$fs" -gt 0 ] && [ "$got" -gt 0 ] ||
		fail_case "$got read, $fs rip6s_fullsock for $in messages into $rcvbuf bytes"
	# the socket sees ND messages too: their copies may add to the drops
	[ $((got + fs)) -ge "$in" ] ||
		fail_case "$in in, $got read, only $fs counted in rip6s_fullsock"
	kame_flood_bounds "$rcvbuf" "$rq" "$skb0" "$skb" "$slab0" "$slab" "$skb1"
	log_test "raw: a flood beyond SO_RCVBUF is dropped and counted, memory stays flat"
}

setup
test_echo
test_filter_blocks
test_proto253
test_checksum_out
test_checksum_in
test_udp_refused
test_udp_errors
test_close_under_flood
test_rcvbuf_flood
exit "$EXIT_STATUS"
