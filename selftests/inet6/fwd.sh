#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A KAME router between native Linux hosts (net.inet6.ip6.forwarding 1):
# it forwards both ways (a TCP stream too, its TSO trains split into
# segments), decrements the hop limit by one, answers hop
# limit 1 with Time Exceeded and a packet over the next link's MTU with
# Packet Too Big, never forwards a link-local destination, nor a
# link-local source off its link (Destination Unreachable, beyond scope),
# and sends a Redirect (with the target's link-layer address and the
# redirected packet) when it forwards a packet back onto the link it came
# from, to a native router there. Then the same node as a host
# (forwarding 0): it drops packets for others (ip6s_cantforward), acts on
# a valid Redirect from its first hop (a D host route, the target's
# neighbor entry, later packets to the target's MAC) and counts invalid
# ones (hop limit 254, not from the first hop) in icp6s_badredirect; a
# router ignores a valid one (icp6s_redir_ignored).
#
#   $A native host        $N native router, bridge br0       $R KAME        $B native host
#   a0 2001:db8:1::a ---- br0 2001:db8:1::2 ---------------- r0 2001:db8:1::1
#                         dummy0 2001:db8:99::1/64            r1 2001:db8:2::1 ---- b0 2001:db8:2::b
source "$(dirname "$0")/../lib.sh"

trap kame_cleanup EXIT

# ip6s/icp6s counter of R
rstat() { kame_stat "$R" "$1"; }
ristat() { kame_icmp6_stat "$R" "$1"; }

cap_start() {	# NS DEV FILE FILTER...
	pcap_start "$@"
	CAP=$PCAP_PID
	defer_pids+=("$CAP")
}

cap_stop() { pcap_stop "$CAP"; }

setup() {
	local ns
	TMP=$(mktemp -d)
	defer_pids=()
	setup_ns A N R B
	for ns in "$A" "$N" "$R" "$B"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0
	done
	ip netns exec "$N" sysctl -qw net.ipv6.conf.all.forwarding=1
	ip -n "$N" link add br0 type bridge mcast_snooping 0
	ip -n "$N" link set br0 address 02:11:22:33:44:55
	ip -n "$A" link add a0 type veth peer name pa netns "$N"
	ip -n "$R" link add r0 type veth peer name pr netns "$N"
	ip -n "$R" link add r1 type veth peer name b0 netns "$B"
	ip -n "$N" link set pa master br0
	ip -n "$N" link set pr master br0
	ip -n "$N" link add dummy0 type dummy
	for l in "$N pa" "$N pr" "$N br0" "$N dummy0" "$A a0" "$R r0" "$R r1" "$B b0"; do
		# shellcheck disable=SC2086
		set -- $l
		ip -n "$1" link set "$2" up
	done
	ip -n "$A" -6 addr add 2001:db8:1::a/64 dev a0 nodad
	ip -n "$N" -6 addr add 2001:db8:1::2/64 dev br0 nodad
	ip -n "$N" -6 addr add 2001:db8:99::1/64 dev dummy0 nodad
	ip -n "$B" -6 addr add 2001:db8:2::b/64 dev b0 nodad
	kame -n "$R" link attach r0
	kame -n "$R" link attach r1
	kame -n "$R" addr add 2001:db8:1::1/64 dev r0
	kame -n "$R" addr add 2001:db8:2::1/64 dev r1
	MAC_A=$(mac_of "$A" a0)
	MAC_N=$(mac_of "$N" br0)
	MAC_R0=$(mac_of "$R" r0)
	MAC_R1=$(mac_of "$R" r1)
	LL_A=$(eui64_ll "$MAC_A")
	LL_N=$(eui64_ll "$MAC_N")
	LL_R0=$(eui64_ll "$MAC_R0")
	LL_R1=$(eui64_ll "$MAC_R1")
	LL_B=$(eui64_ll "$(mac_of "$B" b0)")
	ip -n "$A" -6 route add default via "$LL_R0" dev a0
	ip -n "$B" -6 route add default via "$LL_R1" dev b0
	ip -n "$N" -6 route add 2001:db8:2::/64 via "$LL_R0" dev br0
	kame -n "$R" sysctl net.inet6.ip6.forwarding 1
	kame -n "$R" route add 2001:db8:99::/64 via "$LL_N" dev r0
	slowwait 10 sh -c "ip -n $N -6 -o addr show dev br0 scope link | grep -q ' $LL_N/'"
	slowwait 10 sh -c "! kame -n $R addr show | grep -q tentative"
}

test_ping_both_ways() {
	local f0 out
	RET=0
	f0=$(rstat ip6s_forward)
	out=$(ip netns exec "$A" ping -6 -c 2 -i 0.3 -W 3 2001:db8:2::b 2>&1)
	check_match "A to B" "2 received" "$out"
	out=$(ip netns exec "$B" ping -6 -c 2 -i 0.3 -W 3 2001:db8:1::a 2>&1)
	check_match "B to A" "2 received" "$out"
	[ "$(rstat ip6s_forward)" -ge $((f0 + 8)) ] ||
		fail_case "ip6s_forward $f0 -> $(rstat ip6s_forward), not 8 more"
	log_test "fwd: native hosts ping each other through the KAME router (ip6s_forward)"
}

# A TCP stream from A to B through R: A's TSO buffers reach R whole
# (veth hands over a peer's GSO buffer as GRO would merge a train), R
# splits each into its segments (sequence numbers, flags, checksums of
# their own) and forwards them; B gets every byte
test_tcp_stream() {
	local sp0 dr0 f0 sp
	RET=0
	head -c 4000000 /dev/urandom >"$TMP/stream"
	ip netns exec "$B" socat -u TCP6-LISTEN:7300,reuseaddr \
		"OPEN:$TMP/stream.out,creat,trunc" &
	defer_pids+=($!)
	slowwait 10 sh -c "ip netns exec $B ss -Htln | grep -q ':7300 '"
	sp0=$(rstat ip6s_grosplit)
	dr0=$(rstat ip6s_grodrop)
	f0=$(rstat ip6s_forward)
	check timeout 60 ip netns exec "$A" socat -u "OPEN:$TMP/stream" \
		"TCP6:[2001:db8:2::b]:7300"
	slowwait 20 sh -c "[ \$(stat -c %s $TMP/stream.out) -eq 4000000 ]"
	check_eq "B got the stream, byte for byte" "$(sha256sum <"$TMP/stream")" \
		"$(sha256sum <"$TMP/stream.out")"
	sp=$(($(rstat ip6s_grosplit) - sp0))
	[ "$sp" -gt 0 ] || fail_case "no TCP train split (ip6s_grosplit $sp)"
	check_eq "no train dropped (ip6s_grodrop)" 0 $(($(rstat ip6s_grodrop) - dr0))
	[ $(($(rstat ip6s_forward) - f0)) -ge 2800 ] ||
		fail_case "ip6s_forward $(($(rstat ip6s_forward) - f0)): fewer than the stream's 2800 segments"
	log_test "fwd: a TCP stream's TSO/GRO trains are split into segments and forwarded ($sp trains)"
}

test_hlim() {
	local out
	RET=0
	cap_start "$B" b0 "$TMP/hlim.pcap" icmp6
	ip netns exec "$A" ping -6 -c 1 -t 64 -W 3 2001:db8:2::b >/dev/null 2>&1
	cap_stop
	out=$(tcpdump -n -v -r "$TMP/hlim.pcap" 2>/dev/null)
	check_match "echo request with hop limit 63 at B" \
		"hlim 63, next-header ICMPv6.* 2001:db8:1::a > 2001:db8:2::b: .*echo request" "$out"
	log_test "fwd: the hop limit goes down by exactly one (64 -> 63)"
}

test_time_exceeded() {
	local h0 out
	RET=0
	h0=$(rstat ip6s_hlimexceeded)
	cap_start "$B" b0 "$TMP/te.pcap" icmp6 and ip6[40] == 128
	out=$(ip netns exec "$A" ping -6 -c 1 -t 1 -W 3 2001:db8:2::b 2>&1)
	cap_stop
	check_match "ping -t 1" "^From 2001:db8:1::1 icmp_seq=1 Time exceeded: Hop limit" "$out"
	check_eq "ip6s_hlimexceeded" $((h0 + 1)) "$(rstat ip6s_hlimexceeded)"
	check_eq "nothing reaches B" 0 \
		"$(tcpdump -n -r "$TMP/te.pcap" 2>/dev/null | wc -l)"
	log_test "fwd: hop limit 1 gets Time Exceeded from the router"
}

test_too_big() {
	local t0 out
	RET=0
	ip -n "$R" link set r1 mtu 1300
	ip -n "$B" link set b0 mtu 1300
	t0=$(rstat ip6s_toobig)
	cap_start "$A" a0 "$TMP/ptb.pcap" icmp6
	out=$(ip netns exec "$A" ping -6 -c 1 -M do -s 1400 -W 3 2001:db8:2::b 2>&1)
	cap_stop
	check_match "ping -M do -s 1400" "Packet too big: mtu=1300" "$out"
	check_match "Packet Too Big on A's link" \
		"2001:db8:1::1 > 2001:db8:1::a: ICMP6, packet too big, mtu 1300" \
		"$(tcpdump -n -r "$TMP/ptb.pcap" 2>/dev/null)"
	check_eq "ip6s_toobig" $((t0 + 1)) "$(rstat ip6s_toobig)"
	out=$(ip netns exec "$A" ping -6 -c 1 -s 1200 -W 3 2001:db8:2::b 2>&1)
	check_match "1200 bytes still pass" "1 received" "$out"
	log_test "fwd: a packet over the next link's MTU gets Packet Too Big (1300), never fragmented"
}

# scapy in A: packets to R's MAC (argv: mode)
SCAPY_FWD='
import os, sys, time
from scapy.all import Ether, IPv6, ICMPv6EchoRequest, ICMPv6ND_Redirect, \
    ICMPv6NDOptDstLLAddr, ICMPv6NDOptRedirectedHdr, sendp
e = os.environ
eth = Ether(src=e["MAC_A"], dst=e["MAC_R0"])
def redirect(dst, hlim=255, src=None, smac=None):
    inner = IPv6(src=e["RG"], dst=dst) / ICMPv6EchoRequest()
    return Ether(src=smac or e["MAC_A"], dst=e["MAC_R0"]) / \
        IPv6(src=src or e["LL_A"], dst=e["LL_R0"], hlim=hlim) / \
        ICMPv6ND_Redirect(tgt=e["LL_N"], dst=dst) / \
        ICMPv6NDOptDstLLAddr(lladdr=e["MAC_N"]) / \
        ICMPv6NDOptRedirectedHdr(pkt=bytes(inner))
if sys.argv[1] == "scope":
    sendp([eth / IPv6(src="2001:db8:1::a", dst=e["LL_B"]) / ICMPv6EchoRequest(),
           eth / IPv6(src=e["LL_A"], dst="2001:db8:2::b") / ICMPv6EchoRequest()],
          iface="a0", verbose=0)
elif sys.argv[1] == "redir-router":
    sendp(redirect("2001:db8:77::4"), iface="a0", verbose=0)
elif sys.argv[1] == "redir-new":
    sendp(redirect("2001:db8:77::9"), iface="a0", verbose=0)
else:
    sendp([redirect("2001:db8:77::5"),
           redirect("2001:db8:77::6", hlim=254),
           redirect("2001:db8:77::7", src=e["LL_N"], smac=e["MAC_N"])],
          iface="a0", verbose=0)
'

scapy_a() {	# MODE
	ip netns exec "$A" env MAC_A="$MAC_A" MAC_R0="$MAC_R0" LL_A="$LL_A" \
		LL_R0="$LL_R0" LL_B="$LL_B" LL_N="$LL_N" MAC_N="$MAC_N" \
		RG=2001:db8:1::1 /usr/bin/python3 -c "$SCAPY_FWD" "$@"
}

test_scope() {
	local s0 f0 out
	RET=0
	s0=$(rstat ip6s_badscope)
	f0=$(rstat ip6s_forward)
	cap_start "$B" b0 "$TMP/scope_b.pcap" ip6
	pcap_start "$A" a0 "$TMP/scope_a.pcap" icmp6 and ip6[40] == 1
	defer_pids+=("$PCAP_PID")
	local cap_a=$PCAP_PID
	check scapy_a scope
	cap_stop
	pcap_stop "$cap_a"
	check_eq "ip6s_badscope" $((s0 + 2)) "$(rstat ip6s_badscope)"
	check_eq "ip6s_forward" "$f0" "$(rstat ip6s_forward)"
	out=$(tcpdump -n -r "$TMP/scope_b.pcap" "src 2001:db8:1::a or src $LL_A" 2>/dev/null)
	check_eq "nothing of them on B's link" "" "$out"
	check_match "beyond scope of source to A" \
		"$LL_R0 > $LL_A: ICMP6, destination unreachable, beyond scope" \
		"$(tcpdump -n -r "$TMP/scope_a.pcap" 2>/dev/null)"
	log_test "fwd: a link-local destination is not forwarded, a link-local source not off its link"
}

test_redirect_send() {
	local r0 out
	RET=0
	# R knows N's link-layer address: the Redirect carries it
	check ip netns exec "$R" kping6 -c 1 "$LL_N%r0"
	r0=$(ristat icp6s_outhist_redirect)
	cap_start "$A" a0 "$TMP/redir.pcap" icmp6 and ip6[40] == 137
	out=$(ip netns exec "$A" ping -6 -c 3 -i 0.3 -W 3 2001:db8:99::1 2>&1)
	cap_stop
	check_match "A reaches 2001:db8:99::1" "3 received" "$out"
	check_eq "icp6s_outhist_redirect" $((r0 + 1)) "$(ristat icp6s_outhist_redirect)"
	out=$(tcpdump -n -vv -r "$TMP/redir.pcap" 2>/dev/null)
	check_match "Redirect to N for 2001:db8:99::1" \
		"$LL_R0 > 2001:db8:1::a: .*ICMP6, redirect, length [0-9]*, .*2001:db8:99::1" \
		"$out"
	check_match "target N" "ICMP6, redirect, .*$LL_N" "$out"
	check_match "with N's link-layer address" \
		"destination link-address option (2), length 8 (1): $MAC_N" "$out"
	check_match "and the redirected packet" "redirected header option (4)" "$out"
	check_match "hop limit 255" "hlim 255" "$out"
	check_match "A's cache takes N as first hop" "via $LL_N" \
		"$(ip -n "$A" -6 route get 2001:db8:99::1)"
	log_test "fwd: a packet sent back onto its link makes the router send a Redirect to N"
}

test_redirect_ignored() {
	local i0 out
	RET=0
	kame -n "$R" route add 2001:db8:77::/64 via "$LL_A" dev r0
	i0=$(ristat icp6s_redir_ignored)
	check scapy_a redir-router
	check slowwait 5 sh -c "[ \$(kame -n $R stats icmp6 icp6s_redir_ignored) = $((i0 + 1)) ]"
	out=$(kame -n "$R" route show | grep '^2001:db8:77::4 ')
	check_eq "no route from the redirect" "" "$out"
	log_test "fwd: a router ignores a valid Redirect (icp6s_redir_ignored)"
}

test_host_cantforward() {
	local c0 out
	RET=0
	kame -n "$R" sysctl net.inet6.ip6.forwarding 0
	c0=$(rstat ip6s_cantforward)
	cap_start "$B" b0 "$TMP/host.pcap" icmp6 and ip6[40] == 128
	out=$(ip netns exec "$A" ping -6 -c 2 -i 0.3 -W 1 2001:db8:2::b 2>&1)
	cap_stop
	check_match "no answer" "0 received" "$out"
	check_eq "ip6s_cantforward" $((c0 + 2)) "$(rstat ip6s_cantforward)"
	check_eq "nothing reaches B" 0 \
		"$(tcpdump -n -r "$TMP/host.pcap" 2>/dev/null | wc -l)"
	log_test "fwd: with forwarding 0 the node drops packets for others (ip6s_cantforward)"
}

test_redirect_accept() {
	local a0 b0 out line
	RET=0
	a0=$(ristat icp6s_redir_accepted)
	b0=$(ristat icp6s_badredirect)
	check scapy_a redir-host
	check slowwait 5 sh -c "kame -n $R route show | grep -q '^2001:db8:77::5 '"
	check_eq "icp6s_redir_accepted" $((a0 + 1)) "$(ristat icp6s_redir_accepted)"
	check_eq "icp6s_badredirect (hop limit 254, not the first hop)" \
		$((b0 + 2)) "$(ristat icp6s_badredirect)"
	line=$(kame -n "$R" route show | grep '^2001:db8:77::5 ')
	check_match "D host route via N" \
		"^2001:db8:77::5  *$LL_N%r0  *UGHD  *r0  *\(59[0-9]\|600\)$" "$line"
	check_eq "no route for the invalid ones" "" \
		"$(kame -n "$R" route show | grep '^2001:db8:77::[67] ')"
	check_match "N's neighbor entry from the option" "$MAC_N" \
		"$(ip netns exec "$R" ndp -an | grep "^$LL_N%r0 ")"
	cap_start "$N" br0 "$TMP/acc.pcap" udp port 9999
	ip netns exec "$R" kame-udp send -t 1 2001:db8:77::5 9999 redirected \
		>/dev/null 2>&1
	ip netns exec "$R" kame-udp send -t 1 2001:db8:77::8 9999 first-hop \
		>/dev/null 2>&1
	cap_stop
	out=$(tcpdump -n -e -r "$TMP/acc.pcap" 2>/dev/null)
	check_match "to 2001:db8:77::5 at N's MAC" \
		"$MAC_R0 > $MAC_N, .* > 2001:db8:77::5\.9999: UDP" "$out"
	# (tcpdump makes br0 promiscuous: it sees the frames to A too)
	check_match "2001:db8:77::8 still through A" \
		"$MAC_R0 > $MAC_A, .* > 2001:db8:77::8\.9999: UDP" "$out"
	check_eq "2001:db8:77::8 not to N" "" \
		"$(grep "$MAC_R0 > $MAC_N, .*2001:db8:77::8" <<<"$out")"
	log_test "fwd: a host acts on a valid Redirect (D route, neighbor entry), counts invalid ones"
}

test_redirect_knobs() {
	local i0
	RET=0
	kame -n "$R" sysctl net.inet6.icmp6.rediraccept 0
	i0=$(ristat icp6s_redir_ignored)
	kame -n "$R" route del 2001:db8:77::5
	check scapy_a redir-host
	check slowwait 5 sh -c "[ \$(kame -n $R stats icmp6 icp6s_redir_ignored) = $((i0 + 1)) ]"
	check_eq "no route with rediraccept 0" "" \
		"$(kame -n "$R" route show | grep '^2001:db8:77::5 ')"
	kame -n "$R" sysctl net.inet6.icmp6.rediraccept 1
	kame -n "$R" sysctl net.inet6.icmp6.redirmax 0
	i0=$(ristat icp6s_redir_full)
	check scapy_a redir-new
	check slowwait 5 sh -c "[ \$(kame -n $R stats icmp6 icp6s_redir_full) = $((i0 + 1)) ]"
	check_eq "no route with redirmax 0" "" \
		"$(kame -n "$R" route show | grep '^2001:db8:77::9 ')"
	kame -n "$R" sysctl net.inet6.icmp6.redirmax 256
	log_test "fwd: rediraccept 0 ignores Redirects, redirmax bounds their routes"
}

setup
test_ping_both_ways
test_tcp_stream
test_hlim
test_time_exceeded
test_too_big
test_scope
test_redirect_send
test_redirect_ignored
test_host_cantforward
test_redirect_accept
test_redirect_knobs
exit "$EXIT_STATUS"
