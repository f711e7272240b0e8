#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unloading the module while interfaces are attached and packets flow, and
# while a socket is open. Loads the module again at the end.
#
#   +----- $A (KAME) -----+        +-- $B (native Linux) --+
#   |  veth0              |--------|  veth1 2001:db8::2    |
#   +---------------------+        +-----------------------+
source "$(dirname "$0")/../lib.sh"

reload() {
	[ -d /sys/module/kame ] || insmod "$KAME_KO"
}
trap 'reload; cleanup_all_ns' EXIT

test_rmmod_under_traffic() {
	local pid
	RET=0
	kame_veth_pair A B
	ip -n "$B" -6 addr add 2001:db8::2/64 dev veth1 nodad
	ip -n "$A" link add dm0 type dummy
	check kame -n "$A" link attach veth0
	check kame -n "$A" link attach dm0
	ip netns exec "$B" ping -6 -q -i 0.002 -s 1000 ff02::1%veth1 >/dev/null 2>&1 &
	pid=$!
	check slowwait 30 sh -c "[ \$(kame -n $A -j link show veth0 | jq '.[0].rx_packets') -gt 10 ]"
	check rmmod kame
	check_eq "module gone" "" "$(ls -d /sys/module/kame 2>/dev/null)"
	check_eq "veth0 still there" veth0 \
		"$(ip -n "$A" -o link show veth0 | awk -F': ' '{print $2}' | cut -d@ -f1)"
	kill "$pid"
	wait "$pid" 2>/dev/null
	check insmod "$KAME_KO"
	check_eq "nothing attached after reload" "" \
		"$(kame -n "$A" -j link show | jq -r '.[].ifname')"
	log_test "rmmod: unload with attached interfaces while packets flow"
}

test_rmmod_busy_socket() {
	local pid
	RET=0
	python3 -c '
import socket, sys, time
s = socket.socket(int(open("/sys/module/kame/parameters/family").read()), socket.SOCK_DGRAM, 0)
print("open", flush=True)
time.sleep(300)' >/tmp/kame-sock.$$ &
	pid=$!
	check slowwait 30 grep -q open /tmp/kame-sock.$$
	check_fail rmmod kame
	kill "$pid"
	wait "$pid" 2>/dev/null
	rm -f /tmp/kame-sock.$$
	check busywait 5000 rmmod kame
	check insmod "$KAME_KO"
	log_test "rmmod: refused while an AF_KAME socket is open, clean after"
}

test_rmmod_under_traffic
test_rmmod_busy_socket
exit "$EXIT_STATUS"
