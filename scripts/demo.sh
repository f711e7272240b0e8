#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the VM (make demo): a stock-Linux namespace and a KAME
# namespace on one veth; the KAME side's interface is attached to the
# stack and handed back. Every step is checked: the first that fails
# stops the demo with "Error: demo step failed: STEP" and exit status 1.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
export PATH=$top/build/bin:$PATH
native=demo-native
kame=demo-kame
# shellcheck source=scripts/pair.sh
. "$top/scripts/pair.sh"

fail() {
	echo "Error: demo step failed: $*" >&2
	exit 1
}

run() {
	echo "\$ $*"
	"$@" || fail "$*"
	echo
}

# Wait up to 5 s for a condition (a shell command), or fail naming WHAT.
wait_for() {	# WHAT CMD
	local i
	for i in $(seq 50); do
		sh -c "$2" && return 0
		sleep 0.1
	done
	fail "$1"
}

cleanup() {
	pair_down "$native" "$kame"
	[ -d /sys/module/kame ] && rmmod kame
}
trap cleanup EXIT

echo "== KAME IPv6 stack demo on $(uname -r)"
run insmod "$top/kmod/core/kame.ko"
pair_up "$native" "$kame"

echo "== before: Linux's native IPv6 runs on the KAME namespace's eth0"
run ip -n "$kame" -6 addr show dev eth0
run kame -n "$kame" link attach eth0
echo "== after the attach: native IPv6 is gone from eth0, KAME runs there"
run ip -n "$kame" -6 addr show dev eth0
run kame -n "$kame" link show
echo "== KAME addresses: the EUI-64 link-local one, and a global one; DAD runs"
run kame -n "$kame" addr add 2001:db8::2/64 dev eth0
run kame -n "$kame" addr show
wait_for "DAD of the KAME addresses" "! kame -n $kame addr show | grep -q tentative"
echo "== DAD done:"
run kame -n "$kame" addr show
ll=$(kame -n "$kame" -j addr show | jq -r '.[] | select(.flags | index("autoconf")) | .address')
echo "== the native host pings the KAME host (global, link-local, all-nodes)"
run ip netns exec "$native" ping -6 -c 3 -i 0.3 2001:db8::2
run ip netns exec "$native" ping -6 -c 2 -i 0.3 "$ll%eth0"
run ip netns exec "$native" ping -6 -c 2 -i 0.5 ff02::1%eth0
echo "== and the other way: kping6, KAME's ping6 on an AF_KAME raw socket, pings the native host"
nll=$(ip -n "$native" -6 -o addr show dev eth0 scope link | awk '{print $4}' | cut -d/ -f1)
wait_for "DAD of the native link-local address" "! ip -n $native -6 addr show dev eth0 | grep -q tentative"
run ip netns exec "$kame" kping6 -c 3 -i 0.3 2001:db8::1
run ip netns exec "$kame" kping6 -c 2 -i 0.3 "$nll%eth0"
run ip netns exec "$kame" kping6 -c 2 -i 0.3 ff02::1%eth0
echo "== UDP: socat on the native host asks, an AF_KAME program (kame-udp) answers"
command -v kame-udp >/dev/null || fail "kame-udp is not built (make demo builds it)"
ip netns exec "$kame" kame-udp echo 7000 >/tmp/demo-udp.log 2>&1 &
wait_for "kame-udp listening on port 7000" "grep -q ready /tmp/demo-udp.log"
echo "== the KAME stack's sockets (netstat -an style): kame-udp waits on port 7000"
run kame -n "$kame" sock show
echo "\$ echo hello-kame | ip netns exec $native socat -t 5 - UDP6:[2001:db8::2]:7000"
answer=$(echo hello-kame | ip netns exec "$native" socat -t 5 - UDP6:[2001:db8::2]:7000) ||
	fail "socat to [2001:db8::2]:7000"
echo "$answer"
[ "$answer" = hello-kame ] || fail "the UDP echo from the KAME host (got \"$answer\")"
wait
cat /tmp/demo-udp.log
echo
echo "== and the other way: kame-udp asks socat (an echo server) on the native host"
ip netns exec "$native" socat UDP6-RECVFROM:7001,fork EXEC:cat &
sp=$!
wait_for "socat listening on port 7001" "ip netns exec $native ss -uln | grep -q ':7001 '"
run ip netns exec "$kame" kame-udp send 2001:db8::1 7001 hello-native
kill "$sp"
echo "== neighbour caches: KAME's own (ndp), and the native one"
run ip netns exec "$kame" ndp -an
run ip -n "$native" -6 neigh show
run kame -n "$kame" stats
run kame -n "$kame" -j link show
run kame -n "$kame" link detach eth0
echo "== after the detach: native IPv6 is back (a new link-local address)"
wait_for "native IPv6 back on eth0" "ip -n $kame -6 addr show dev eth0 | grep -q fe80::"
run ip -n "$kame" -6 addr show dev eth0
echo "== demo done (${SECONDS}s in the VM)"
