#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The MLD listener (RFC 3810, RFC 2710 compatibility) against a snooping
# Linux bridge with its own querier: the bridge forwards a group to a port
# only once the host behind it has reported it, so address resolution,
# DAD and a socket's group work through it only if KAME reports them.
# Source filters (RFC 3678 MCAST_JOIN_SOURCE_GROUP, MCAST_BLOCK_SOURCE):
# their reports (ALLOW, BLOCK, TO_IN, TO_EX and current-state records, as
# tcpdump decodes them), the merge of two sockets' filters, answers to
# group-and-source queries, and datagrams from the native host on the
# direct link reaching a socket only from the sources its filter lets in.
#
#   +-- $A (KAME) --+      +------- $N (bridge br0) -------+      +-- $B (native) --+
#   | a0 2001:db8::1|------| pa   mcast_snooping 1     pb  |------| b0 2001:db8::2  |
#   |               |      |      mcast_querier 1, MLDv2   |      |                 |
#   | a1 (direct)   |--+   +-------------------------------+      +-----------------+
#   +---------------+  |   +-- $C (scapy) --+
#                      +---| c1             |   malformed queries, no bridge between
#                          +----------------+
source "$(dirname "$0")/../lib.sh"

DGRAM=$KAME_TOP/build/helpers/inet6/kame_dgram
MSF=$KAME_TOP/build/helpers/inet6/kame_msf
GRP=ff12::1234
SSM=ff3e::4321
S1=2001:db8::2
S2=2001:db8::3

cleanup_test() {
	kame_kill_bg
	[ -n "${TMP:-}" ] && rm -rf "$TMP"
	cleanup_all_ns
}
trap cleanup_test EXIT

setup() {
	local ns
	setup_ns A N B C
	for ns in "$A" "$N" "$B" "$C"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0
	done
	TMP=$(mktemp -d)
	defer_pids=()
	# the querier: MLDv2, a query every 3 s answered within 1 s; it needs
	# an IPv6 address of its own (the bridge's link-local)
	ip -n "$N" link add br0 type bridge mcast_snooping 1 mcast_querier 1 \
		mcast_mld_version 2 mcast_query_interval 300 \
		mcast_query_response_interval 100 \
		mcast_startup_query_interval 100 mcast_last_member_interval 50
	ip -n "$N" link add pa type veth peer name a0 netns "$A"
	ip -n "$N" link add pb type veth peer name b0 netns "$B"
	ip -n "$N" link set pa master br0
	ip -n "$N" link set pb master br0
	ip -n "$N" link set pa up
	ip -n "$N" link set pb up
	ip -n "$N" link set br0 up
	ip -n "$B" link set b0 up
	ip -n "$B" -6 addr add 2001:db8::2/64 dev b0 nodad
	ip -n "$A" link add a1 type veth peer name c1 netns "$C"
	ip -n "$A" link set a0 up
	ip -n "$A" link set a1 up
	ip -n "$C" link set c1 up
	MAC_A=$(mac_of "$A" a0)
	LL_A=$(eui64_ll "$MAC_A")
	slowwait 10 sh -c "ip -n $N -6 -o addr show dev br0 scope link | grep -q fe80"
	LL_BR=$(ip -n "$N" -6 -j addr show dev br0 scope link |
		jq -r '.[0].addr_info[0].local')
	# the attach, as a capture sees it: the link-local's solicited-node
	# group reported from :: while DAD runs on it
	pcap_start "$A" a0 "$TMP/attach.pcap" ip6
	kame -n "$A" link attach a0
	kame -n "$A" link attach a1
	slowwait 10 sh -c "! kame -n $A addr show | grep -q tentative"
	kame -n "$A" addr add 2001:db8::1/64 dev a0
	slowwait 10 sh -c "! kame -n $A addr show | grep -q tentative"
	sleep 2.5	# the second unsolicited reports, 1 s on
	pcap_stop "$PCAP_PID"
}

pcap_text() {	# FILE: one line per packet (-v continuation lines joined)
	tcpdump -n -vv -r "$1" 2>/dev/null |
		awk '/^[ \t]/ { printf " %s", $0; next }
		     NR > 1 { print "" } { printf "%s", $0 } END { print "" }'
}

solnode() {	# ADDR: its solicited-node group
	python3 -c 'import ipaddress,sys
a = ipaddress.IPv6Address(sys.argv[1]).packed
print(ipaddress.IPv6Address(bytes.fromhex("ff0200000000000000000001ff") + a[13:]))' "$1"
}

mdb_has() {	# GROUP: an entry of the KAME host's port
	bridge -n "$N" -j mdb show dev br0 |
		jq -e --arg g "$1" '[.[].mdb[]? | select(.port == "pa" and .grp == $g)] | length > 0' >/dev/null
}

test_join_reports() {
	local txt sn_ll
	RET=0
	txt=$(pcap_text "$TMP/attach.pcap")
	sn_ll=$(solnode "$LL_A")
	# reports: hop limit 1, Hop-by-Hop with Router Alert 0, to ff02::16
	check_match "MLDv2 report of the tentative link-local's group from ::" \
		"hlim 1, next-header Options (0).* :: > ff02::16: HBH (rtalert: 0x0000).*multicast listener report v2.*gaddr $sn_ll to_ex { }" "$txt"
	check_match "DAD probe of the link-local" \
		":: > $sn_ll: .*neighbor solicitation, .*who has $LL_A" "$txt"
	check_match "MLDv2 report of ff02::1:ff00:1 from the link-local" \
		"hlim 1, next-header Options (0).* $LL_A > ff02::16: HBH (rtalert: 0x0000).*multicast listener report v2.*gaddr ff02::1:ff00:1 to_ex { }" "$txt"
	check_eq "unsolicited reports of ff02::1:ff00:1 (robustness 2)" 2 \
		"$(grep -c 'gaddr ff02::1:ff00:1 to_ex' <<<"$txt")"
	check_eq "ff02::1 is never reported" 0 \
		"$(grep -c 'gaddr ff02::1 ' <<<"$txt")"
	slowwait 10 mdb_has ff02::1:ff00:1 ||
		fail_case "no mdb entry: $(bridge -n "$N" mdb show)"
	slowwait 10 mdb_has "$sn_ll" ||
		fail_case "no mdb entry of $sn_ll: $(bridge -n "$N" mdb show)"
	log_test "mld: reports on join (Router Alert, hop limit 1, :: while tentative), mdb entries"
}

test_query_answer() {
	local txt
	RET=0
	pcap_start "$A" a0 "$TMP/q.pcap" ip6
	sleep 5		# a query every 3 s
	pcap_stop "$PCAP_PID"
	txt=$(pcap_text "$TMP/q.pcap")
	check_match "general query of the bridge" \
		"$LL_BR > ff02::1: HBH .*multicast listener query v2" "$txt"
	check_match "answered with every group (is_ex)" \
		"$LL_A > ff02::16: HBH (rtalert: 0x0000).*multicast listener report v2, 2 group record(s).*gaddr ff02::1:ff00:1 is_ex { }" "$txt"
	check_match "maddr show" "inet6 ff02::1:ff00:1 users 1 mld v2 " \
		"$(kame -n "$A" maddr show dev a0)"
	check_eq "maddr show -j: ff02::1 not reported" none \
		"$(kame -n "$A" -j maddr show dev a0 | jq -r '.[] | select(.group == "ff02::1") | .mld_state')"
	[ "$(kame -n "$A" stats icmp6 mld_v2query)" -gt 0 ] ||
		fail_case "mld_v2query did not move"
	log_test "mld: general queries answered with every group"
}

kame_recv() {	# LOG ARGS...
	local log=$1
	shift
	bg_ready 30 "$log" "$A" "$DGRAM" "$@"
}

native_send() {	# ADDR[,ADDR] PORT
	ip netns exec "$B" python3 -c 'import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
for a in sys.argv[1].split(","):
    s.sendto(b"mldtest", socket.getaddrinfo(a, int(sys.argv[2]), socket.AF_INET6, socket.SOCK_DGRAM)[0][4])' "$@"
}

test_socket_group() {
	local txt
	RET=0
	pcap_start "$A" a0 "$TMP/g.pcap" ip6
	# joined: reported, in the mdb, native datagrams come through the
	# bridge; after the first one the receiver leaves, and the next
	# group datagram must not come any more (its unicast marker does)
	# not under check, whose subshell would not keep the pid
	kame_recv "$TMP/r" -r -j "$GRP%a0" -L 1 -x 3 recv 8005 2 60 ||
		fail_case "receiver: $(cat "$TMP/r")"
	slowwait 10 mdb_has "$GRP" ||
		fail_case "no mdb entry of $GRP: $(bridge -n "$N" mdb show)"
	check_match "maddr show of the socket's group" \
		"inet6 $GRP users 1 sockets 1 mld v2" "$(kame -n "$A" maddr show)"
	check native_send "$GRP%b0" 8005
	check slowwait 30 grep -q left "$TMP/r"
	check slowwait 10 sh -c "! bridge -n $N -j mdb show dev br0 | grep -q '\"$GRP\"'"
	check native_send "$GRP%b0,2001:db8::1" 8005
	check slowwait 30 grep -q done "$TMP/r"
	check_eq "joined, then left" "dst=$GRP dst=2001:db8::1" \
		"$(grep ^from "$TMP/r" | awk '{print $5}' | tr '\n' ' ' | sed 's/ $//')"
	pcap_stop "$PCAP_PID"
	txt=$(pcap_text "$TMP/g.pcap")
	check_match "join report" "gaddr $GRP to_ex { }" "$txt"
	check_match "leave report" \
		"$LL_A > ff02::16: HBH (rtalert: 0x0000).*gaddr $GRP to_in { }" "$txt"
	log_test "mld: a socket's group through the snooping bridge while joined, not after the leave"
}

# KAME notes 1.15.2, RFC 4291 2.8: a router listens to the all-routers
# groups on each interface (reported, so the snooping bridge forwards
# them), a host does not.
test_router_groups() {
	local txt g
	RET=0
	pcap_start "$A" a0 "$TMP/r.pcap" ip6
	check kame -n "$A" sysctl net.inet6.ip6.forwarding 1
	for g in ff01::2 ff02::2 ff05::2; do
		check_match "maddr show of a router: $g" "inet6 $g users 1" \
			"$(kame -n "$A" maddr show dev a0)"
	done
	slowwait 10 mdb_has ff02::2 ||
		fail_case "no mdb entry of ff02::2: $(bridge -n "$N" mdb show)"
	check kame -n "$A" sysctl net.inet6.ip6.forwarding 0
	check_eq "all-routers groups of a host" 0 \
		"$(kame -n "$A" -j maddr show | jq '[.[] | select(.group | test("^ff0[125]::2$"))] | length')"
	sleep 1
	pcap_stop "$PCAP_PID"
	txt=$(pcap_text "$TMP/r.pcap")
	check_match "report of ff02::2 on forwarding 1" "gaddr ff02::2 to_ex { }" "$txt"
	check_match "report of ff05::2 on forwarding 1" "gaddr ff05::2 to_ex { }" "$txt"
	check_match "leave of ff02::2 on forwarding 0" "gaddr ff02::2 to_in { }" "$txt"
	check_eq "ff01::2 is never reported" 0 "$(grep -c 'gaddr ff01::2 ' <<<"$txt")"
	log_test "mld: a router joins and reports ff02::2 and ff05::2 (and ff01::2), a host leaves them"
}

test_nd_through_bridge() {
	RET=0
	check ip netns exec "$B" ping -6 -c 1 -W 5 2001:db8::1
	# DAD of the native host for our address: its NS to our
	# solicited-node group reaches us only through our report
	ip netns exec "$B" sysctl -qw net.ipv6.conf.b0.accept_dad=1
	ip -n "$B" -6 addr add 2001:db8::1/64 dev b0
	slowwait 10 sh -c "ip -n $B -6 addr show dev b0 | grep -q dadfailed" ||
		fail_case "native DAD did not see our address: $(ip -n "$B" -6 addr show dev b0)"
	ip -n "$B" -6 addr del 2001:db8::1/64 dev b0
	# our DAD of the native host's address
	check kame -n "$A" addr add 2001:db8::2/64 dev a0
	slowwait 10 sh -c "kame -n $A addr show dev a0 | grep 2001:db8::2 | grep -q duplicated" ||
		fail_case "KAME DAD missed the native address: $(kame -n "$A" addr show dev a0)"
	kame -n "$A" addr del 2001:db8::2 dev a0
	log_test "mld: address resolution and DAD both ways through the snooping bridge"
}

# kame_msf on IF port PORT in A, its commands written to fd FD
msf_open() {	# FD NAME IF PORT
	mkfifo "$TMP/$2.in"
	ip netns exec "$A" "$MSF" "$3" "$4" <"$TMP/$2.in" >"$TMP/$2.out" 2>&1 &
	defer_pids+=($!)
	eval "exec $1>\"$TMP/$2.in\""
	slowwait 10 grep -q ready "$TMP/$2.out"
}

msf_cmd() {	# FD NAME CMD...: prints the command's result line
	local n
	n=$(grep -c '^ok \|^Error' "$TMP/$2.out")
	echo "${*:3}" >&"$1"
	slowwait 10 sh -c "[ \$(grep -c '^ok \|^Error' $TMP/$2.out) -gt $n ]"
	grep '^ok \|^Error' "$TMP/$2.out" | tail -n 1
}

msf_ok() {	# FD NAME CMD...: the command must succeed
	local r
	r=$(msf_cmd "$@")
	[ "$r" = "ok $3" ] || fail_case "${*:3}: $r"
}

# reports of A on a0 in the capture FILE, one line each
reports() { pcap_text "$1" | grep "$LL_A > ff02::16"; }

test_ssm_reports() {
	local txt
	RET=0
	check ip -n "$B" -6 addr add $S2/64 dev b0 nodad
	pcap_start "$A" a0 "$TMP/ssm.pcap" "ip6[6] == 0 and ip6[48] == 143"
	msf_open 7 s1 a0 8010
	msf_ok 7 s1 sjoin $SSM $S1
	sleep 2.5	# both unsolicited reports (changes after merge in)
	check_match "maddr show: include S1" \
		"inet6 $SSM users 1 sockets 1 mld v2 .*mode include sources $S1\( \|$\)" \
		"$(kame -n "$A" maddr show dev a0)"
	check_eq "maddr show -j: mode and sources" "include $S1" \
		"$(kame -n "$A" -j maddr show dev a0 | jq -r ".[] | select(.group == \"$SSM\") | \"\(.mode) \(.sources | join(\",\"))\"")"
	slowwait 10 mdb_has $SSM ||
		fail_case "no mdb entry of $SSM: $(bridge -n "$N" mdb show)"
	msf_ok 7 s1 sjoin $SSM $S2
	check_match "maddr show: both sources" "mode include sources $S1,$S2" \
		"$(kame -n "$A" maddr show dev a0)"
	sleep 2.5	# both unsolicited reports of each change
	msf_ok 7 s1 sleave $SSM $S1
	sleep 4		# and a general query of the bridge's
	msf_ok 7 s1 sleave $SSM $S2
	sleep 2.5
	pcap_stop "$PCAP_PID"
	check_eq "the last source left: no group" 0 \
		"$(kame -n "$A" -j maddr show | jq "[.[] | select(.group == \"$SSM\")] | length")"
	txt=$(reports "$TMP/ssm.pcap")
	check_eq "ALLOW of the first source, twice (robustness 2)" 2 \
		"$(grep -c "gaddr $SSM allow { $S1 }" <<<"$txt")"
	check_eq "ALLOW of the second source, twice" 2 \
		"$(grep -c "gaddr $SSM allow { $S2 }" <<<"$txt")"
	check_eq "BLOCK of the source left, twice" 2 \
		"$(grep -c "gaddr $SSM block { $S1 }" <<<"$txt")"
	check_match "a general query answered with the current state" \
		"gaddr $SSM is_in { $S2 }" "$txt"
	check_eq "the group left with its last source: BLOCK of it, twice" 2 \
		"$(grep -c "gaddr $SSM block { $S2 }" <<<"$txt")"
	check_eq "no any-source record of the group" 0 \
		"$(grep -c "gaddr $SSM \(to_ex\|is_ex\)" <<<"$txt")"
	log_test "mld: MCAST_JOIN/LEAVE_SOURCE_GROUP reported as ALLOW, BLOCK, IS_IN"
}

# Two sockets: one includes S1, the other joins any source, then blocks
# S2: the group's state is their merge (RFC 3810 4.2)
test_ssm_merge() {
	local txt
	RET=0
	pcap_start "$A" a0 "$TMP/merge.pcap" "ip6[6] == 0 and ip6[48] == 143"
	msf_ok 7 s1 sjoin $SSM $S1
	msf_open 8 s2 a0 8011
	msf_ok 8 s2 join $SSM
	check_eq "include S1 + any source: EXCLUDE {}" "exclude " \
		"$(kame -n "$A" -j maddr show dev a0 | jq -r ".[] | select(.group == \"$SSM\") | \"\(.mode) \(.sources | join(\",\"))\"")"
	sleep 2.5
	msf_ok 8 s2 block $SSM $S2
	check_match "include S1 + exclude S2: EXCLUDE {S2}" \
		"inet6 $SSM users 2 sockets 2 .*mode exclude sources $S2\( \|$\)" \
		"$(kame -n "$A" maddr show dev a0)"
	msf_ok 8 s2 block $SSM $S1
	check_match "S1 included by one, excluded by the other: EXCLUDE {S2}" \
		"mode exclude sources $S2\( \|$\)" "$(kame -n "$A" maddr show dev a0)"
	msf_ok 8 s2 leave $SSM
	check_match "back to include S1" "mode include sources $S1\( \|$\)" \
		"$(kame -n "$A" maddr show dev a0)"
	sleep 2.5
	msf_ok 7 s1 sleave $SSM $S1
	sleep 2.5
	pcap_stop "$PCAP_PID"
	exec 8>&-
	txt=$(reports "$TMP/merge.pcap")
	check_match "to EXCLUDE {} when the any-source socket joins" \
		"gaddr $SSM to_ex { }" "$txt"
	check_match "BLOCK S2 when it is blocked" "gaddr $SSM block { $S2 }" "$txt"
	check_match "to INCLUDE {S1} when the any-source socket leaves" \
		"gaddr $SSM to_in { $S1 }" "$txt"
	log_test "mld: two sockets' filters merged (include + exclude), each change reported"
}

# Datagrams from C on the direct link a1: only the sources a socket's
# filter lets in reach it; the others count in udp6s_noportmcast
native_from() {	# SRC PORT: a datagram from SRC in C to $SSM on c1
	ip netns exec "$C" python3 -c 'import socket, sys
i = socket.if_nametoindex("c1")
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 0))
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, i)
s.sendto(b"ssm", (sys.argv[3], int(sys.argv[2]), 0, i))' "$1" "$2" $SSM
}

test_ssm_data() {
	local c2=2001:db8:c::2 c3=2001:db8:c::3 np0 got
	RET=0
	check ip -n "$C" -6 addr add $c2/64 dev c1 nodad
	check ip -n "$C" -6 addr add $c3/64 dev c1 nodad
	msf_open 9 d a1 8012
	msf_ok 9 d sjoin $SSM $c2
	np0=$(kame -n "$A" stats udp6 udp6s_noportmcast)
	check native_from $c2 8012
	check native_from $c3 8012
	sleep 1
	msf_ok 9 d sleave $SSM $c2
	msf_ok 9 d join $SSM
	msf_ok 9 d block $SSM $c2
	check native_from $c2 8012
	check native_from $c3 8012
	sleep 1
	exec 9>&-
	got=$(grep ^from "$TMP/d.out" | awk '{print $2}' | paste -sd ' ')
	check_eq "include c2, then exclude c2: what came" "$c2 $c3" "$got"
	check_eq "the two others counted in udp6s_noportmcast" 2 \
		$(($(kame -n "$A" stats udp6 udp6s_noportmcast) - np0))
	log_test "mld: a socket receives a group only from the sources its filter lets in"
}

test_ssm_errors() {
	RET=0
	msf_ok 7 s1 sjoin $SSM $S1
	check_eq "block on an including membership" "Error: block: Invalid argument" \
		"$(msf_cmd 7 s1 block $SSM $S2)"
	check_eq "the same source twice" \
		"Error: sjoin: Cannot assign requested address" "$(msf_cmd 7 s1 sjoin $SSM $S1)"
	check_eq "leaving a source not joined" \
		"Error: sleave: Cannot assign requested address" "$(msf_cmd 7 s1 sleave $SSM $S2)"
	check_eq "a multicast source" "Error: sjoin: Invalid argument" \
		"$(msf_cmd 7 s1 sjoin $SSM ff02::1)"
	check_eq "unblock without a block" \
		"Error: unblock: Cannot assign requested address" "$(msf_cmd 7 s1 unblock ff3e::99 $S1)"
	check kame -n "$A" sysctl net.inet6.ip6.mcast_maxsocksrc 2
	msf_ok 7 s1 sjoin $SSM $S2
	check_eq "a third source past mcast_maxsocksrc 2" \
		"Error: sjoin: No buffer space available" "$(msf_cmd 7 s1 sjoin $SSM 2001:db8::4)"
	check kame -n "$A" sysctl net.inet6.ip6.mcast_maxsocksrc 128
	msf_ok 7 s1 sleave $SSM $S1
	msf_ok 7 s1 sleave $SSM $S2
	log_test "mld: source filter errors (mode, duplicates, multicast source, mcast_maxsocksrc)"
}

# MCAST_MSFILTER (setsourcefilter()): a membership's filter replaced
# whole, each change reported as RFC 3810 6.1 says, read back with the
# get; INCLUDE of nothing leaves the group
test_ssm_msfilter() {
	local txt
	RET=0
	msf_open 10 f a0 8013
	check_eq "the set without a membership" \
		"Error: msfilter: Cannot assign requested address" \
		"$(msf_cmd 10 f msfilter $SSM include $S1)"
	check_eq "the get without a membership" \
		"Error: getfilter: Cannot assign requested address" \
		"$(msf_cmd 10 f getfilter $SSM)"
	msf_ok 10 f join $SSM
	sleep 2.5
	pcap_start "$A" a0 "$TMP/msf.pcap" "ip6[6] == 0 and ip6[48] == 143"
	msf_ok 10 f getfilter $SSM
	check_eq "any source reads as EXCLUDE {}" "filter exclude 0 " \
		"$(grep ^filter "$TMP/f.out" | tail -n 1)"
	msf_ok 10 f msfilter $SSM exclude $S2,$S1,$S2
	msf_ok 10 f getfilter $SSM
	check_eq "EXCLUDE {S1,S2}, sorted, the duplicate gone" \
		"filter exclude 2 $S1,$S2" "$(grep ^filter "$TMP/f.out" | tail -n 1)"
	check_match "maddr show: exclude S1,S2" "mode exclude sources $S1,$S2" \
		"$(kame -n "$A" maddr show dev a0)"
	sleep 2.5
	msf_ok 10 f msfilter $SSM include $S2
	check_match "maddr show: include S2" "mode include sources $S2\( \|$\)" \
		"$(kame -n "$A" maddr show dev a0)"
	check_eq "a multicast source" "Error: msfilter: Invalid argument" \
		"$(msf_cmd 10 f msfilter $SSM include ff02::1)"
	check_eq "an unknown mode" "Error: msfilter: Invalid argument" \
		"$(msf_cmd 10 f msfilter $SSM both $S1)"
	check kame -n "$A" sysctl net.inet6.ip6.mcast_maxsocksrc 2
	check_eq "three sources past mcast_maxsocksrc 2" \
		"Error: msfilter: No buffer space available" \
		"$(msf_cmd 10 f msfilter $SSM include $S1,$S2,2001:db8::4)"
	check kame -n "$A" sysctl net.inet6.ip6.mcast_maxsocksrc 128
	msf_ok 10 f getfilter $SSM
	check_eq "the failed sets changed nothing" "filter include 1 $S2" \
		"$(grep ^filter "$TMP/f.out" | tail -n 1)"
	sleep 2.5
	msf_ok 10 f msfilter $SSM include -
	sleep 2.5
	pcap_stop "$PCAP_PID"
	exec 10>&-
	check_eq "INCLUDE {} left the group" 0 \
		"$(kame -n "$A" -j maddr show | jq "[.[] | select(.group == \"$SSM\")] | length")"
	txt=$(reports "$TMP/msf.pcap")
	check_eq "BLOCK {S1,S2} for the new excluded sources, twice" 2 \
		"$(grep -c "gaddr $SSM block { $S1 $S2 }" <<<"$txt")"
	check_eq "TO_IN {S2} for the mode change, twice" 2 \
		"$(grep -c "gaddr $SSM to_in { $S2 }" <<<"$txt")"
	check_eq "the group left: BLOCK {S2}, twice" 2 \
		"$(grep -c "gaddr $SSM block { $S2 }" <<<"$txt")"
	log_test "mld: MCAST_MSFILTER sets and gets a whole filter, reported as BLOCK and TO_IN"
}

SCAPY_SEND='
import os, sys, socket, struct
from scapy.all import Ether, IPv6, sendp, conf
from scapy.layers.inet6 import IPv6ExtHdrHopByHop, RouterAlert, ICMPv6Unknown
conf.verb = 0
e = os.environ
ll, mac, dev = e["Q_SRC"], e["Q_MAC"], e["Q_DEV"]
def a(x):
    return socket.inet_pton(socket.AF_INET6, x)
def v1(grp="::", mrd=1000):
    return struct.pack("!HH", mrd, 0) + a(grp)
def v2(grp="::", srcs=(), n=None, mrc=1000):
    return (struct.pack("!HH", mrc, 0) + a(grp) + bytes([2, 125]) +
            struct.pack("!H", len(srcs) if n is None else n) +
            b"".join(a(s) for s in srcs))
RA = IPv6ExtHdrHopByHop(options=[RouterAlert(value=0)])
def q(body, dst="ff02::1", src=ll, hlim=1, ra=RA):
    p = IPv6(src=src, dst=dst, hlim=hlim)
    if ra is not None:
        p = p / ra
    return p / ICMPv6Unknown(type=130, code=0, msgbody=body)
G = "ff12::1234"
pkts = {
 "v1_general": q(v1()),
 "v2_group": q(v2(G), dst=G),
 "v2_source": q(v2(G, ["2001:db8::77", "2001:db8::78"]), dst=G),
 "v2_ssm": q(v2("ff3e::4321", ["2001:db8::3", "2001:db8::77"]), dst="ff3e::4321"),
 "v2_ssm_none": q(v2("ff3e::4321", ["2001:db8::77"]), dst="ff3e::4321"),
 "v2_general": q(v2()),
 "bad_hlim": q(v2(), hlim=255),
 "bad_nora": q(v2(), ra=None),
 "bad_ra_value": q(v2(), ra=IPv6ExtHdrHopByHop(options=[RouterAlert(value=2)])),
 "bad_src": q(v2(), src="2001:db8::99"),
 "bad_short": q(v1()[:16]),
 "bad_len26": q(v2()[:22]),
 "bad_nsrcs": q(v2(G, ["2001:db8::77"], n=3)),
 "bad_group": q(v2("2001:db8::5")),
 "bad_gq_srcs": q(v2("::", ["2001:db8::77"])),
}
for name in sys.argv[1:]:
    p = pkts[name]
    d = a(p[IPv6].dst)
    sendp(Ether(src=mac, dst="33:33:" + ":".join("%02x" % x for x in d[12:])) / p,
          iface=dev)
'

scapy_from() {	# NS DEV SRC NAME...
	local ns=$1 dev=$2 src=$3
	shift 3
	ip netns exec "$ns" env Q_SRC="$src" Q_DEV="$dev" \
		Q_MAC="$(mac_of "$ns" "$dev")" /usr/bin/python3 -c "$SCAPY_SEND" "$@"
}

test_specific_queries() {
	local txt
	RET=0
	kame_recv "$TMP/r2" -j "$GRP%a0" recv 8006 1 600 ||
		fail_case "receiver: $(cat "$TMP/r2")"
	slowwait 10 mdb_has "$GRP"
	# no general query of the bridge's from here on: an answer to one
	# would take the place of the answers looked for
	ip -n "$N" link set br0 type bridge mcast_querier 0
	sleep 2.5	# the unsolicited reports and pending answers are over
	pcap_start "$A" a0 "$TMP/s.pcap" "ip6[6] == 0 and ip6[48] == 143"
	check scapy_from "$N" br0 fe80::99 v2_group
	sleep 1.5
	check scapy_from "$N" br0 fe80::99 v2_source
	sleep 1.5
	# a group including S2 (socket s1, still open): asked for S2 and
	# another, it names S2; asked for the other only, it says nothing
	msf_ok 7 s1 sjoin $SSM $S2
	sleep 2.5
	check scapy_from "$N" br0 fe80::99 v2_ssm
	sleep 1.5
	check scapy_from "$N" br0 fe80::99 v2_ssm_none
	sleep 1.5
	pcap_stop "$PCAP_PID"
	exec 7>&-
	txt=$(pcap_text "$TMP/s.pcap")
	check_match "group query: its group only" \
		"report v2, 1 group record(s) \[gaddr $GRP is_ex { }\]" "$txt"
	check_match "group-and-source query: the queried sources" \
		"report v2, 1 group record(s) \[gaddr $GRP is_in { 2001:db8::77 2001:db8::78 }\]" "$txt"
	check_eq "source query of an including group: the source it wants" 1 \
		"$(grep -c "report v2, 1 group record(s) \[gaddr $SSM is_in { $S2 }\]" <<<"$txt")"
	check_eq "nothing about sources it does not want" 0 \
		"$(grep -c "gaddr $SSM is_in { [^}]*2001:db8::77" <<<"$txt")"
	log_test "mld: group and group-and-source queries answered for their group and its filter"
}

test_v1_compat() {
	local txt
	RET=0
	pcap_start "$A" a0 "$TMP/v1.pcap" ip6
	check scapy_from "$N" br0 fe80::99 v1_general
	sleep 2
	check_match "maddr show: MLDv1 mode" "inet6 $GRP users 1 sockets 1 mld v1" \
		"$(kame -n "$A" maddr show dev a0; cat "$TMP/r2")"
	kame_kill_bg	# the receiver leaves the group
	sleep 1
	pcap_stop "$PCAP_PID"
	txt=$(pcap_text "$TMP/v1.pcap")
	check_match "v1 report of ff02::1:ff00:1" \
		"hlim 1, next-header Options (0).* $LL_A > ff02::1:ff00:1: HBH (rtalert: 0x0000).*multicast listener report,\{0,1\} *max resp delay: [0-9]* addr: ff02::1:ff00:1" "$txt"
	check_match "v1 report of the socket's group" \
		"$LL_A > $GRP: HBH .*multicast listener report,\{0,1\} *max resp delay: [0-9]* addr: $GRP" "$txt"
	check_match "v1 done of the socket's group" \
		"$LL_A > ff02::2: HBH (rtalert: 0x0000).*multicast listener done,\{0,1\} *max resp delay: [0-9]* addr: $GRP" "$txt"
	check_eq "no MLDv2 report after the v1 query" 0 \
		"$(sed -n '/listener query,\{0,1\} *max resp delay/,$p' <<<"$txt" | grep "$LL_A >" | grep -c 'report v2')"
	[ "$(kame -n "$A" stats icmp6 mld_v1query)" -gt 0 ] ||
		fail_case "mld_v1query did not move"
	log_test "mld: an MLDv1 query switches to MLDv1 reports and dones"
}

declare -A C0
snap() {
	local n
	for n in "$@"; do C0[$n]=$(kame -n "$A" stats icmp6 "$n"); done
}
delta() {
	echo $(( $(kame -n "$A" stats icmp6 "$1") - ${C0[$1]} ))
}

test_bad_queries() {
	local cs=(mld_badhlim mld_nortalert mld_badsrc mld_badlen mld_badgroup
		  mld_v1query mld_v2query icp6s_inhist_mldquery)
	local t0 d0 t d
	RET=0
	snap "${cs[@]}"
	read -r t0 d0 < <(kame_ip6_in_sum "$A")
	check scapy_from "$C" c1 fe80::c1 bad_hlim bad_nora bad_ra_value bad_src \
		bad_short bad_len26 bad_nsrcs bad_group bad_gq_srcs v2_general
	sleep 1
	check_eq "mld_badhlim" 1 "$(delta mld_badhlim)"
	check_eq "mld_nortalert" 2 "$(delta mld_nortalert)"
	check_eq "mld_badsrc" 1 "$(delta mld_badsrc)"
	check_eq "mld_badlen" 3 "$(delta mld_badlen)"
	check_eq "mld_badgroup" 2 "$(delta mld_badgroup)"
	check_eq "mld_v1query" 0 "$(delta mld_v1query)"
	check_eq "mld_v2query (the good one)" 1 "$(delta mld_v2query)"
	check_eq "icp6s_inhist_mldquery" 10 "$(delta icp6s_inhist_mldquery)"
	read -r t d < <(kame_ip6_in_sum "$A")
	check_eq "every packet delivered or dropped once" $((t - t0)) $((d - d0))
	log_test "mld: malformed queries dropped, each in its own counter"
}

test_tool_errors() {
	RET=0
	check_tool_error nosuchdev kame -n "$A" maddr show dev nosuchdev
	check_tool_error frob kame -n "$A" maddr frob
	log_test "mld: kame maddr errors name the bad input"
}

setup
test_join_reports
test_query_answer
test_socket_group
test_router_groups
test_nd_through_bridge
test_ssm_reports
test_ssm_merge
test_ssm_data
test_ssm_errors
test_ssm_msfilter
test_specific_queries
test_v1_compat
test_bad_queries
test_tool_errors
exit "$EXIT_STATUS"
