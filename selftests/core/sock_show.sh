#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kame sock show: the socket dump (KAME_CMD_SOCK_GET) lists the AF_KAME
# sockets a program holds, with their addresses, ports, zones, queues,
# inodes and owners, in text and JSON, and forgets them when they close.
#
#   +----- $A (KAME, sockets) -----+        +-- $B (native) --+
#   |  veth0 2001:db8::1           |--------|  veth1 ::2      |
#   +------------------------------+        +-----------------+
source "$(dirname "$0")/../lib.sh"

setup() {
	kame_native_pair
	TMP=$(mktemp -d)
	IF_A=$(ip netns exec "$A" cat /sys/class/net/veth0/ifindex)
	LL_A=$(kame -n "$A" -j addr show dev veth0 |
	       jq -r '.[] | select(.flags | index("autoconf")) | .address')
	HOLDER=
	write_holder
}

cleanup_test() {
	[ -n "$HOLDER" ] && kill "$HOLDER" 2>/dev/null
	exec 3>&-
	rm -rf "$TMP"
	cleanup_all_ns
}
trap cleanup_test EXIT

# A program holding three UDP sockets of AF_KAME: a wildcard one on 7101,
# one bound to 2001:db8::1 and connected to [2001:db8::2]:7103, one bound
# to the link-local address; and a raw ICMPv6 socket bound to 2001:db8::1.
# It prints their inodes, then closes the connected one or exits when told
# on its standard input.
write_holder() {
	cat >"$TMP/holder.py" <<'PY'
import ctypes, os, socket, struct, sys

libc = ctypes.CDLL(None, use_errno=True)
af = int(open("/sys/module/kame/parameters/family").read())


def sa(addr, port, scope=0):
    return struct.pack("=HHI16sI", af, socket.htons(port), 0,
                       socket.inet_pton(socket.AF_INET6, addr), scope)


def call(fn, s, b):
    if fn(s.fileno(), ctypes.c_char_p(b), len(b)):
        e = ctypes.get_errno()
        sys.exit("Error: %s: %s" % (fn.__name__, os.strerror(e)))


ll, ifindex = sys.argv[1], int(sys.argv[2])
socks = {}
for name in ("wild", "conn", "ll"):
    socks[name] = socket.socket(af, socket.SOCK_DGRAM, 0)
socks["raw"] = socket.socket(af, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
call(libc.bind, socks["wild"], sa("::", 7101))
call(libc.bind, socks["conn"], sa("2001:db8::1", 7102))
call(libc.connect, socks["conn"], sa("2001:db8::2", 7103))
call(libc.bind, socks["ll"], sa(ll, 7104, ifindex))
call(libc.bind, socks["raw"], sa("2001:db8::1", 0))
for name, s in socks.items():
    print(name, os.fstat(s.fileno()).st_ino)
print("ready", flush=True)
for line in sys.stdin:
    if line.strip() == "close conn":
        socks.pop("conn").close()
        print("closed", flush=True)
    elif line.strip() == "exit":
        break
PY
}

start_holder() {
	mkfifo "$TMP/ctl"
	ip netns exec "$A" python3 "$TMP/holder.py" \
		"$LL_A" "$IF_A" <"$TMP/ctl" >"$TMP/holder" 2>&1 &
	HOLDER=$!
	exec 3>"$TMP/ctl"
	slowwait 60 grep -q ready "$TMP/holder"
}

ino() {	# NAME
	awk -v n="$1" '$1 == n {print $2}' "$TMP/holder"
}

# the JSON object of the socket on local port PORT, "null" if none
sock_json() {	# PORT
	kame -n "$A" -j sock show | jq -c ".[] | select(.local_port == $1)"
}

test_dump_fields() {
	local j text
	RET=0
	if ! start_holder; then
		RET=1
		log_test "sock: a program holds AF_KAME sockets ($(cat "$TMP/holder"))"
		return
	fi
	# three datagrams wait unread in the wildcard socket
	ip netns exec "$B" python3 -c '
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
for i in range(3):
    s.sendto(b"q" * 200, ("2001:db8::1", 7101))'
	check busywait 5000 sh -c "kame -n $A -j sock show | jq -e '.[] | select(.local_port == 7101 and .recv_q >= 600)' >/dev/null"

	j=$(sock_json 7101)
	check_eq "7101 fields" \
		"udp6 dgram 17 :: 0 :: 0 0 0 $(ino wild)" \
		"$(jq -r '"\(.proto) \(.type) \(.protocol) \(.local_address) \(.local_scope) \(.foreign_address) \(.foreign_port) \(.send_q) \(.uid) \(.inode)"' <<<"$j")"
	j=$(sock_json 7102)
	check_eq "7102 fields" \
		"2001:db8::1 0 2001:db8::2 0 7103 $(ino conn) null" \
		"$(jq -r '"\(.local_address) \(.local_scope) \(.foreign_address) \(.foreign_scope) \(.foreign_port) \(.inode) \(.bound_if)"' <<<"$j")"
	j=$(sock_json 7104)
	check_eq "7104 fields" \
		"$LL_A $IF_A veth0 $(ino ll) ::" \
		"$(jq -r '"\(.local_address) \(.local_scope) \(.bound_if) \(.inode) \(.foreign_address)"' <<<"$j")"
	j=$(kame -n "$A" -j sock show raw)
	check_eq "raw socket" \
		"1 icm6 raw 58 2001:db8::1 0 :: 0 $(ino raw)" \
		"$(jq -r '"\(length) \(.[0].proto) \(.[0].type) \(.[0].protocol) \(.[0].local_address) \(.[0].local_port) \(.[0].foreign_address) \(.[0].foreign_port) \(.[0].inode)"' <<<"$j")"
	check_eq "UDP sockets listed" 3 "$(kame -n "$A" -j sock show udp | jq length)"

	text=$(kame -n "$A" sock show)
	[[ $(head -n 1 <<<"$text") =~ ^Proto\ Recv-Q\ Send-Q\ \ Local\ Address\ +Foreign\ Address$ ]] ||
		fail_case "header: $(head -n 1 <<<"$text")"
	grep -qE '^udp6 +[1-9][0-9]* +0  \*\.7101 +\*\.\*$' <<<"$text" ||
		fail_case "no wildcard line: $text"
	grep -qE '^udp6 +0 +0  2001:db8::1\.7102 +2001:db8::2\.7103$' <<<"$text" ||
		fail_case "no connected line: $text"
	grep -qE "^udp6 +0 +0  $LL_A%veth0\.7104 +\*\.\*\$" <<<"$text" ||
		fail_case "no link-local line: $text"
	# the raw socket passes every ICMPv6 type: ND messages queue there
	grep -qE '^icm6 +[0-9]+ +0  2001:db8::1\.\* +\*\.\*$' <<<"$text" ||
		fail_case "no raw line: $text"
	log_test "sock: the dump lists bound, connected and link-local UDP sockets and a raw one"
}

test_filters_and_errors() {
	RET=0
	check_eq "raw filter" "raw" "$(kame -n "$A" -j sock show raw | jq -r '[.[].type] | unique | join(",")')"
	check_eq "udp filter" "dgram" "$(kame -n "$A" -j sock show udp | jq -r '[.[].type] | unique | join(",")')"
	check_eq "all" 4 "$(kame -n "$A" -j sock show | jq length)"
	check_eq "other namespace" 0 "$(kame -n "$B" -j sock show | jq length)"
	check_tool_error "tcp" kame -n "$A" sock show tcp
	check_tool_error "extra" kame -n "$A" sock show udp extra
	log_test "sock: type filters, per-namespace dumps, bad arguments"
}

test_close_removes() {
	RET=0
	echo "close conn" >&3
	check slowwait 10 grep -q closed "$TMP/holder"
	check_eq "closed socket gone" "" "$(sock_json 7102)"
	check_eq "others stay" 3 "$(kame -n "$A" -j sock show | jq length)"
	echo exit >&3
	exec 3>&-
	wait "$HOLDER"
	HOLDER=
	check_eq "all gone after exit" 0 "$(kame -n "$A" -j sock show | jq length)"
	check_eq "text: only the header" 1 "$(kame -n "$A" sock show | wc -l)"
	log_test "sock: closing sockets removes them from the dump"
}

setup
test_dump_fields
test_filters_and_errors
test_close_removes
exit "$EXIT_STATUS"
