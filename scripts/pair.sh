# SPDX-License-Identifier: GPL-2.0
#
# Sourced by scripts/demo.sh and scripts/deb-test.sh: the two namespaces
# both show, a stock-Linux one and the one KAME will run in, on one veth
# (eth0 in each), the native side at 2001:db8::1/64.
#   pair_up NATIVE KAME
#   pair_down NATIVE KAME
pair_up() {
	ip netns add "$1"
	ip netns add "$2"
	ip -n "$2" link add eth0 type veth peer name eth0 netns "$1"
	ip -n "$2" link set eth0 up
	ip -n "$1" link set eth0 up
	ip -n "$1" -6 addr add 2001:db8::1/64 dev eth0 nodad
}

pair_down() {
	ip netns del "$1" 2>/dev/null || true
	ip netns del "$2" 2>/dev/null || true
}
