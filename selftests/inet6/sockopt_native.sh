#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The RFC 3542 options of AF_KAME sockets seen by a stock Linux host: hop
# limits and traffic classes on the wire, the IPV6_PKTINFO source, the
# ancillary data of received datagrams, multicast joined and left,
# IPV6_DONTFRAG and IPV6_MULTICAST_LOOP.
#
#   +-- $A (KAME, kame_dgram) ---+        +-- $B (native, python) --+
#   |  veth0 2001:db8::1         |--------|  veth1 2001:db8::2       |
#   |        2001:db8::10        |        |                          |
#   +----------------------------+        +--------------------------+
source "$(dirname "$0")/../lib.sh"

DGRAM=$KAME_TOP/build/helpers/inet6/kame_dgram
GRP=ff12::1234

setup() {
	kame_native_pair
	kame -n "$A" addr add 2001:db8::10/64 dev veth0
	slowwait 10 sh -c "! kame -n $A addr show | grep -q tentative"
	IF_A=$(ip netns exec "$A" cat /sys/class/net/veth0/ifindex)
	LL_A=$(eui64_ll "$MAC_A")
	TMP=$(mktemp -d)
	defer_pids=()
	cat >"$TMP/native.py" <<'PY'
# native.py recv PORT COUNT SECS [GROUP IF] | send ADDR[,ADDR] PORT SIZE [HOPS TCLASS]
import socket, struct, sys
S = socket
if sys.argv[1] == "recv":
    port, count, secs = map(int, sys.argv[2:5])
    s = S.socket(S.AF_INET6, S.SOCK_DGRAM)
    s.setsockopt(S.SOL_SOCKET, S.SO_REUSEADDR, 1)
    for o in (S.IPV6_RECVHOPLIMIT, S.IPV6_RECVTCLASS, S.IPV6_RECVPKTINFO):
        s.setsockopt(S.IPPROTO_IPV6, o, 1)
    s.bind(("::", port))
    if len(sys.argv) > 5:
        mreq = S.inet_pton(S.AF_INET6, sys.argv[5]) + \
            struct.pack("@I", S.if_nametoindex(sys.argv[6]))
        s.setsockopt(S.IPPROTO_IPV6, S.IPV6_JOIN_GROUP, mreq)
    s.settimeout(secs)
    print("ready", flush=True)
    for _ in range(count):
        try:
            data, anc, _, src = s.recvmsg(65535, 1024)
        except socket.timeout:
            print("timeout", flush=True)
            sys.exit(1)
        h = t = -1
        for lvl, typ, d in anc:
            if typ == S.IPV6_HOPLIMIT:
                h = struct.unpack("@i", d)[0]
            elif typ == S.IPV6_TCLASS:
                t = struct.unpack("@i", d)[0]
        print(f"from {src[0]} {len(data)} bytes hlim={h} tclass={t}",
              flush=True)
else:
    addrs, port, size = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    s = S.socket(S.AF_INET6, S.SOCK_DGRAM)
    if len(sys.argv) > 5:
        s.setsockopt(S.IPPROTO_IPV6, S.IPV6_UNICAST_HOPS, int(sys.argv[5]))
        s.setsockopt(S.IPPROTO_IPV6, S.IPV6_TCLASS, int(sys.argv[6], 0))
    for addr in addrs.split(","):
        ai = S.getaddrinfo(addr, port, S.AF_INET6, S.SOCK_DGRAM)[0][4]
        s.sendto(b"n" * size, ai)
PY
}

cleanup_test() {
	local p
	for p in "${defer_pids[@]}"; do kill "$p" 2>/dev/null; done
	rm -rf "$TMP"
	cleanup_all_ns
}
trap cleanup_test EXIT

native_recv() {	# LOG PORT COUNT SECS [GROUP IF]
	local log=$1
	shift
	bg_ready 30 "$log" "$B" python3 "$TMP/native.py" recv "$@"
}

native_send() {	# ADDR[,ADDR...] PORT SIZE [HOPS TCLASS]
	ip netns exec "$B" python3 "$TMP/native.py" send "$@"
}

kame_recv() {	# LOG ARGS...
	local log=$1
	shift
	bg_ready 30 "$log" "$A" "$DGRAM" "$@"
}

kame_send() {
	ip netns exec "$A" "$DGRAM" "$@"
}

test_hoplimit_tclass_on_wire() {
	local out
	RET=0
	ip netns exec "$B" tcpdump --immediate-mode -i veth1 -n -v -l udp port 8001 \
		>"$TMP/dump" 2>"$TMP/dump.err" &
	defer_pids+=($!)
	slowwait 30 grep -q "listening on" "$TMP/dump.err"
	check native_recv "$TMP/r1" 8001 3 30
	check kame_send -u 7 -t 0x28 send 2001:db8::2 8001
	check kame_send -u 7 -t 0x28 -H 3 -T 0xb8 send 2001:db8::2 8001
	check kame_send send 2001:db8::2 8001
	check slowwait 30 sh -c "[ \$(grep -c ^from $TMP/r1) -eq 3 ]"
	out=$(grep ^from "$TMP/r1" | awk '{print $5, $6}' | tr '\n' ' ')
	check_eq "hlim/tclass seen by the native socket" \
		"hlim=7 tclass=40 hlim=3 tclass=184 hlim=64 tclass=0 " "$out"
	check slowwait 30 sh -c "[ \$(grep -c 2001:db8::2.8001 $TMP/dump) -eq 3 ]"
	grep -q "class 0x28, .*hlim 7," "$TMP/dump" &&
		grep -q "class 0xb8, .*hlim 3," "$TMP/dump" &&
		grep -q "hlim 64," "$TMP/dump" ||
		fail_case "tcpdump saw: $(cat "$TMP/dump")"
	log_test "sockopt: IPV6_UNICAST_HOPS, IPV6_TCLASS and their ancillary forms on the wire"
}

test_pktinfo_source() {
	local out
	RET=0
	check native_recv "$TMP/r2" 8002 2 30
	check kame_send -S 2001:db8::10 send 2001:db8::2 8002
	check kame_send -S 2001:db8::1 send 2001:db8::2 8002
	check slowwait 30 sh -c "[ \$(grep -c ^from $TMP/r2) -eq 2 ]"
	out=$(grep ^from "$TMP/r2" | awk '{print $2}' | tr '\n' ' ')
	check_eq "sources" "2001:db8::10 2001:db8::1 " "$out"
	out=$(kame_send -S 2001:db8::99 send 2001:db8::2 8002 2>&1)
	[[ $out == *"Cannot assign requested address"* ]] ||
		fail_case "a source not ours: $out"
	log_test "sockopt: the IPV6_PKTINFO source is used, one not ours is EADDRNOTAVAIL"
}

test_recv_ancillary() {
	local out
	RET=0
	check kame_recv "$TMP/r3" -r recv 8003 2 30
	check native_send 2001:db8::1 8003 5 9 0x48
	check native_send "$LL_A%veth1" 8003 5 200 0
	check slowwait 30 grep -q done "$TMP/r3"
	out=$(grep ^from "$TMP/r3" | sed -n 1p)
	[[ $out == "from 2001:db8::2:"*" 5 bytes dst=2001:db8::1 ifindex=$IF_A hlim=9 tclass=72" ]] ||
		fail_case "global: $out"
	out=$(grep ^from "$TMP/r3" | sed -n 2p)
	[[ $out == "from $LL_B%$IF_A:"*" 5 bytes dst=$LL_A ifindex=$IF_A hlim=200 tclass=0" ]] ||
		fail_case "link-local: $out"
	log_test "sockopt: IPV6_RECVPKTINFO, IPV6_RECVHOPLIMIT, IPV6_RECVTCLASS"
}

has_group() {	# in the KAME namespace's veth0 link-layer list
	ip -n "$A" maddr show dev veth0 | grep -q "link  33:33:00:00:12:34"
}

# The receivers below read datagrams in order: a group datagram followed
# by a unicast marker from the same sender shows whether the group one
# was delivered, without waiting for a timeout.
test_multicast_join() {
	local out
	RET=0
	# not joined: the marker comes first
	check kame_recv "$TMP/m0" -r -x 1 recv 8004 1 30
	check_fail has_group
	check native_send "$GRP%veth1,2001:db8::1" 8004 4
	check slowwait 30 grep -q done "$TMP/m0"
	check_eq "before joining" "dst=2001:db8::1" \
		"$(grep ^from "$TMP/m0" | awk '{print $5}' | tr '\n' ' ' | sed 's/ $//')"
	# joined: received; left: the marker again
	check kame_recv "$TMP/m1" -r -j "$GRP%veth0" -L 1 -x 1 recv 8004 2 30
	check has_group
	check native_send "$GRP%veth1" 8004 4
	check slowwait 30 grep -q left "$TMP/m1"
	out=$(grep ^from "$TMP/m1" | head -n 1)
	[[ $out == "from $LL_B%$IF_A:"*" 4 bytes dst=$GRP ifindex=$IF_A hlim=1 tclass=0" ]] ||
		fail_case "joined: $(cat "$TMP/m1")"
	check_fail has_group
	check native_send "$GRP%veth1,2001:db8::1" 8004 4
	check slowwait 30 grep -q done "$TMP/m1"
	check_eq "joined, then left" "dst=$GRP dst=2001:db8::1" \
		"$(grep ^from "$TMP/m1" | awk '{print $5}' | tr '\n' ' ' | sed 's/ $//')"
	log_test "sockopt: IPV6_JOIN_GROUP receives a native sender's group, not before or after"
}

test_dontfrag() {
	local cf0 out
	RET=0
	cf0=$(kame_stat "$A" ip6s_cantfrag)
	out=$(kame_send -D send 2001:db8::2 8005 8000 2>&1)
	[[ $out == *"Message too long"* ]] ||
		fail_case "IPV6_DONTFRAG: $out"
	check_eq "ip6s_cantfrag" $((cf0 + 1)) "$(kame_stat "$A" ip6s_cantfrag)"
	check native_recv "$TMP/r5" 8005 1 30
	check kame_send send 2001:db8::2 8005 8000
	check slowwait 30 grep -q "^from 2001:db8::[0-9a-f]* 8000 bytes" "$TMP/r5"
	log_test "sockopt: IPV6_DONTFRAG fails an 8000-byte send with EMSGSIZE"
}

test_multicast_loop() {
	RET=0
	check native_recv "$TMP/n6" 8006 2 60 "$GRP" veth1
	check kame_recv "$TMP/k6" -r -j "$GRP%veth0" recv 8006 1 30
	check kame_send -m 4 send "$GRP%veth0" 8006 6
	check slowwait 30 grep -q done "$TMP/k6"
	check_eq "looped back" 1 "$(grep -c "^from $LL_A%$IF_A:.* 6 bytes dst=$GRP .*hlim=4" "$TMP/k6")"
	# IPV6_MULTICAST_LOOP 0: the unicast marker to ourselves comes alone
	check kame_recv "$TMP/k6b" -r -j "$GRP%veth0" -x 1 recv 8006 1 30
	check kame_send -l 0 send "$GRP%veth0,2001:db8::1" 8006 7
	check slowwait 30 grep -q done "$TMP/k6b"
	check_eq "not looped back" "dst=2001:db8::1" \
		"$(grep ^from "$TMP/k6b" | awk '{print $5}' | tr '\n' ' ' | sed 's/ $//')"
	check slowwait 30 sh -c "[ \$(grep -c ^from $TMP/n6) -eq 2 ]"
	check_eq "native copies" "6 bytes hlim=4 7 bytes hlim=1 " \
		"$(grep ^from "$TMP/n6" | awk '{print $3, $4, $5}' | tr '\n' ' ')"
	log_test "sockopt: IPV6_MULTICAST_LOOP delivers locally (and not when 0)"
}

setup
test_hoplimit_tclass_on_wire
test_pktinfo_source
test_recv_ancillary
test_multicast_join
test_dontfrag
test_multicast_loop
exit "$EXIT_STATUS"
