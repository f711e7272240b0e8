#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# RFC 6724 source address selection with ip6addrctl's policy table: the
# source a KAME host picks for a native peer, seen on the wire (tcpdump on
# the peer's side), as the table changes; ip6addrctl's formats and errors.
#
#   +---- $A (KAME) --------------+        +-- $B (native, tcpdump) ------+
#   |  veth0 2001:0:1::1/64 (5)   |--------|  veth1 2001:0:1::2/64        |
#   |        3fff:1::1/64   (1)   |        |        3fff:1::2/64          |
#   |        fc00:1::1/64   (13)  |        |        fc00:1::2/64          |
#   |  dummy0 2001:db8:9:1::1/64  |        |        2001:db8:9::2/64 (D)  |
#   +-----------------------------+        +------------------------------+
# (labels of the RFC 6724 table in brackets; D, label 1, is reached by an
# on-link route of A)
source "$(dirname "$0")/../lib.sh"

D=2001:db8:9::2
CONF=$KAME_TOP/tools/ip6addrctl/ip6addrctl.conf
NOPOL="no source-address-selection policy is installed"

setup() {
	kame_veth_pair A B
	TMP=$(mktemp -d)
	CAP=
	kame -n "$A" link attach veth0
	for a in 2001:0:1::1 3fff:1::1 fc00:1::1; do
		kame -n "$A" addr add $a/64 dev veth0
	done
	for a in 2001:0:1::2 3fff:1::2 fc00:1::2 $D; do
		ip -n "$B" -6 addr add $a/64 dev veth1 nodad
	done
	kame -n "$A" route add 2001:db8:9::/64 dev veth0
	# another interface of A with an address closer to D (rule 5)
	ip -n "$A" link add dummy0 type dummy
	ip netns exec "$A" sysctl -qw net.ipv6.conf.dummy0.disable_ipv6=1
	ip -n "$A" link set dummy0 up
	kame -n "$A" link attach dummy0
	kame -n "$A" addr add 2001:db8:9:1::1/64 dev dummy0
	slowwait 10 sh -c "! kame -n $A addr show | grep -q tentative"
}

cleanup_test() {
	[ -n "$CAP" ] && kill "$CAP" 2>/dev/null
	rm -rf "$TMP"
	cleanup_all_ns
}
trap cleanup_test EXIT

i6c() {
	ip netns exec "$A" ip6addrctl "$@"
}

# The source of A's echo request to D on the wire must be SRC, and the
# reply must come back (kping6 counts it).
src_on_wire() {	# WHAT SRC
	local out got

	pcap_start "$B" veth1 "$TMP/cap" icmp6 and dst host $D
	CAP=$PCAP_PID
	out=$(ip netns exec "$A" kping6 -c 1 -i 0.2 $D 2>&1)
	pcap_stop "$CAP"
	CAP=
	got=$(tcpdump -r "$TMP/cap" -n 2>/dev/null |
	      sed -n "s/.* IP6 \([0-9a-f:]*\) > $D: ICMP6, echo request.*/\1/p")
	check_eq "$1: source of the echo request on the wire" "$2" "$got"
	check_match "$1: banner" "^PING6(56=40+8+8 bytes) $2 --> $D$" "$out"
	check_match "$1: reply" "1 packets received" "$out"
}

# Every row of ip6addrctl show is printed with "%-30s %5d %5d %8llu".
check_rows() {	# OUTPUT
	local line p pr l u

	check_eq "header" "Prefix                          Prec Label      Use" \
		"$(head -n 1 <<<"$1")"
	while read -r line; do
		read -r p pr l u <<<"$line"
		check_eq "row format" "$(printf '%-30s %5d %5d %8d' "$p" "$pr" "$l" "$u")" "$line"
	done < <(tail -n +2 <<<"$1")
}

test_empty() {
	local out
	RET=0
	out=$(i6c)
	check_eq "empty table" "$NOPOL" "$out"
	check_eq "empty table, -j" "[]" "$(i6c -j show)"
	# no policy: every label "not applicable", rule 8 decides
	src_on_wire "no policy (rule 8)" 2001:0:1::1
	log_test "addrsel: empty table: longest matching prefix, on the outgoing interface"
}

test_rfc6724() {
	local out want
	RET=0
	check i6c install "$CONF"
	out=$(i6c show)
	want="::1/128 50 0
::/0 40 1
::ffff:0.0.0.0/96 35 4
2002::/16 30 2
2001::/32 5 5
fc00::/7 3 13
::/96 1 3
fec0::/10 1 11
3ffe::/16 1 12"
	check_eq "installed table" "$want" "$(tail -n +2 <<<"$out" | awk '{print $1, $2, $3}')"
	check_rows "$out"
	check_eq "-j prefix of the mapped entry" "::ffff:0.0.0.0/96" \
		"$(i6c -j | jq -r '.[2].prefix')"
	check_eq "-j row" '{"prefix":"fc00::/7","precedence":3,"label":13}' \
		"$(i6c -j | jq -c '.[5] | del(.use)')"
	# D and 3fff:1::1 have label 1, 2001:0:1::1 (Teredo's 2001::/32) 5
	src_on_wire "RFC 6724 table (rule 6)" 3fff:1::1
	# install again: every entry exists, warned, the table unchanged
	out=$(i6c install "$CONF" 2>&1)
	check_eq "install again: warnings" 9 "$(grep -c '^Warning: add .*exists' <<<"$out")"
	check_eq "install again: table" 10 "$(i6c show | wc -l)"
	log_test "addrsel: the RFC 6724 table makes labels decide (rule 6)"
}

test_policy_change() {
	local out use
	RET=0
	check i6c add 2001:db8:9::/48 1 13
	src_on_wire "D labelled 13 like fc00::/7" fc00:1::1
	out=$(i6c show)
	check_rows "$out"
	use=$(awk '$1 == "2001:db8:9::/48" {print $4}' <<<"$out")
	[ "${use:-0}" -ge 1 ] || fail_case "use count of 2001:db8:9::/48: \"$use\""
	# deprecated: fc00:1::1 loses though its label matches (rule 3)
	check kame -n "$A" addr del fc00:1::1 dev veth0
	check kame -n "$A" addr add fc00:1::1/64 dev veth0 preferred_lft 0
	slowwait 10 sh -c "! kame -n $A addr show | grep -q tentative"
	src_on_wire "label match deprecated (rule 3)" 2001:0:1::1
	check i6c delete 2001:db8:9::/48
	src_on_wire "policy deleted" 3fff:1::1
	check i6c flush
	check_eq "flushed" "$NOPOL" "$(i6c show)"
	src_on_wire "flushed" 2001:0:1::1
	log_test "addrsel: ip6addrctl add, delete, flush change the source on the wire"
}

test_errors() {
	RET=0
	check_tool_error "invalid prefix length: 2001:db8::/129" i6c add 2001:db8::/129 1 1
	check_tool_error "bad prefix: 2001:db8::zz/64" i6c add 2001:db8::zz/64 1 1
	check_tool_error "bad prefix: 2001:db8::" i6c add 2001:db8:: 1 1
	check_tool_error "bad precedence: x" i6c add ::1/128 x 0
	check_tool_error "bad label: -1" i6c add ::1/128 50 -1
	check i6c add ::1/128 50 0
	check_tool_error "exists" i6c add ::1/128 60 1
	check_tool_error "delete 2001:db8::/32: " i6c delete 2001:db8::/32
	check_tool_error "invalid prefix length" i6c delete 2001:db8::/200
	printf '# comment\n\n  ::/0 40 1\n2002::/16 30\n' >"$TMP/bad.conf"
	check_tool_error "parse failed at line 4" i6c install "$TMP/bad.conf"
	printf '::/0 40 1\n2002::/16 30 2 9\n' >"$TMP/bad.conf"
	check_tool_error "parse failed at line 2" i6c install "$TMP/bad.conf"
	# nothing of a file that fails to parse is installed
	check_eq "table after failed installs" 2 "$(i6c show | wc -l)"
	check_fail i6c bogus
	check_fail i6c add ::/0 1
	check i6c flush
	log_test "addrsel: ip6addrctl errors"
}

setup
test_empty
test_rfc6724
test_policy_change
test_errors
exit "$EXIT_STATUS"
