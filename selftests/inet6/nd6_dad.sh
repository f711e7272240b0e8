#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# RFC 4862 5.4.5: when DAD finds the link-local address made from the MAC
# duplicated, the stack disables IPv6 on the interface (KAME's
# ND6_IFF_IFDISABLED, shown by ndp -i); clearing "disabled" reruns DAD.
#
#   +----- $A (KAME) -----+        +-- $B (native Linux) ------+
#   |  veth0 2001:db8::1  |--------|  veth1 2001:db8::2         |
#   |  fe80::EUI64(A)     |        |  also has fe80::EUI64(A)   |
#   +---------------------+        +----------------------------+
source "$(dirname "$0")/../lib.sh"

test_dad_disables() {
	local mac ll dis0 out
	RET=0
	kame_veth_pair A B
	mac=$(mac_of "$A" veth0)
	ll=$(eui64_ll "$mac")
	ip -n "$B" -6 addr add 2001:db8::2/64 dev veth1 nodad
	ip -n "$B" -6 addr add "$ll/64" dev veth1 nodad
	check kame -n "$A" link attach veth0
	check slowwait 10 sh -c "ip netns exec $A ndp -i veth0 | grep -q 'Flags: disabled '"
	check_eq "link-local flags" "duplicated,autoconf" \
		"$(kame -n "$A" -j addr show | jq -r ".[] | select(.address == \"$ll\") | .flags | join(\",\")")"
	check kame -n "$A" addr add 2001:db8::1/64 dev veth0
	sleep 1
	dis0=$(kame_stat "$A" ip6s_ifdisabled)
	check_fail ip netns exec "$B" ping -6 -c 2 -i 0.3 -W 1 2001:db8::1
	[ "$(kame_stat "$A" ip6s_ifdisabled)" -gt "$dis0" ] ||
		fail_case "ip6s_ifdisabled did not move"
	# the duplicate goes away; enabling reruns DAD
	ip -n "$B" -6 addr del "$ll/64" dev veth1
	out=$(ip netns exec "$A" ndp -i veth0 -- -disabled)
	[[ $out != *disabled* ]] || fail_case "still disabled: $out"
	check slowwait 10 sh -c "! kame -n $A addr show | grep -Eq 'tentative|duplicated'"
	check ip netns exec "$B" ping -6 -c 2 -i 0.3 -W 5 2001:db8::1
	check ip netns exec "$B" ping -6 -c 1 -W 5 "$ll%veth1"
	log_test "nd6: a duplicated EUI-64 link-local disables the interface; -disabled reruns DAD"
}

addr_flags() {	# ADDR
	kame -n "$A" -j addr show | jq -r ".[] | select(.address == \"$1\") | .flags | join(\",\")"
}

# scapy on the native side; $MAC_A, $MAC_B in the environment
scapy_b() {
	ip netns exec "$B" env MAC_A="$MAC_A" MAC_B="$MAC_B" \
		/usr/bin/python3 -c "
import os, socket
from scapy.all import Ether, IPv6, sendp, conf
from scapy.layers.inet6 import ICMPv6ND_NS, ICMPv6ND_NA, ICMPv6NDOptDstLLAddr
conf.verb = 0
a, b = os.environ['MAC_A'], os.environ['MAC_B']
def mac(d):
    return '33:33:' + ':'.join('%02x' % x for x in socket.inet_pton(socket.AF_INET6, d)[12:])
def ns(tgt, dst):
    sendp(Ether(src=b, dst=mac(dst)) / IPv6(src='::', dst=dst, hlim=255) /
          ICMPv6ND_NS(tgt=tgt), iface='veth1')
def na(tgt):
    sendp(Ether(src=b, dst='33:33:00:00:00:01') /
          IPv6(src='2001:db8::2', dst='ff02::1', hlim=255) /
          ICMPv6ND_NA(tgt=tgt, R=0, S=0, O=1) / ICMPv6NDOptDstLLAddr(lladdr=b),
          iface='veth1')
$1
"
}

# RFC 4861 7.1.1: a DAD probe (source ::) goes to the solicited-node group
# of its target. One sent to ff02::1, or to the solicited-node group of
# another of our addresses, is invalid: it must not mark a tentative
# address duplicated.
test_dad_ns_destination() {
	local bad0 dup0
	RET=0
	MAC_A=$(ip -n "$A" -j link show veth0 | jq -r '.[0].address')
	MAC_B=$(ip -n "$B" -j link show veth1 | jq -r '.[0].address')
	# DAD takes 10 minutes: time for scapy to start on a loaded host
	check ip netns exec "$A" ndp -i veth0 retrans=600000
	check kame -n "$A" addr add 2001:db8::5/64 dev veth0
	check kame -n "$A" addr add 2001:db8::6/64 dev veth0
	bad0=$(kame_icmp6_stat "$A" icp6s_badns)
	dup0=$(kame_icmp6_stat "$A" icp6s_dad_dup)
	check scapy_b "ns('2001:db8::5', 'ff02::1'); ns('2001:db8::5', 'ff02::1:ff00:1'); ns('2001:db8::6', 'ff02::1:ff00:6')"
	slowwait 5 sh -c "kame -n $A addr show | grep -q '2001:db8::6/64 duplicated'"
	check_eq "icp6s_badns (to ff02::1, to another solicited-node group)" \
		$((bad0 + 2)) "$(kame_icmp6_stat "$A" icp6s_badns)"
	check_eq "icp6s_dad_dup (the valid probe)" $((dup0 + 1)) \
		"$(kame_icmp6_stat "$A" icp6s_dad_dup)"
	check_eq "2001:db8::5 still tentative" tentative "$(addr_flags 2001:db8::5)"
	check_eq "2001:db8::6 duplicated" duplicated "$(addr_flags 2001:db8::6)"
	check kame -n "$A" addr del 2001:db8::5 dev veth0
	check kame -n "$A" addr del 2001:db8::6 dev veth0
	check ip netns exec "$A" ndp -i veth0 retrans=1000
	log_test "nd6: a DAD NS not sent to the target's solicited-node group is dropped (icp6s_badns)"
}

# RFC 4862 5.4.5: a duplicate is logged once (rate-limited), counted once,
# whatever else arrives for the address afterwards.
test_dad_logged_once() {
	local dup0 n
	RET=0
	echo "nd6_dad.sh: log check" >/dev/kmsg
	dup0=$(kame_icmp6_stat "$A" icp6s_dad_dup)
	ip -n "$B" -6 addr add 2001:db8::77/64 dev veth1 nodad
	check kame -n "$A" addr add 2001:db8::77/64 dev veth0
	check slowwait 10 sh -c "kame -n $A addr show | grep -q '2001:db8::77/64 duplicated'"
	# more answers and probes for the duplicated address
	check scapy_b "na('2001:db8::77'); na('2001:db8::77'); ns('2001:db8::77', 'ff02::1:ff00:77')"
	sleep 1
	check_eq "icp6s_dad_dup" $((dup0 + 1)) "$(kame_icmp6_stat "$A" icp6s_dad_dup)"
	n=$(dmesg | sed -n '/nd6_dad.sh: log check/,$p' |
		grep -c 'veth0: DAD detected duplicate IPv6 address 2001:db8::77: address marked duplicated$')
	check_eq "kernel log lines for the duplicate" 1 "$n"
	check_eq "flags" duplicated "$(addr_flags 2001:db8::77)"
	check kame -n "$A" addr del 2001:db8::77 dev veth0
	ip -n "$B" -6 addr del 2001:db8::77/64 dev veth1
	log_test "nd6: a duplicate is reported once in the kernel log and counted once"
}

# ndp -i IF disabled by hand: nothing in, nothing out, each drop counted.
test_disabled_by_hand() {
	local in0 out0 cap
	RET=0
	check ip netns exec "$B" ping -6 -c 1 -W 5 2001:db8::1
	check ip netns exec "$A" ndp -i veth0 disabled
	ip netns exec "$A" ndp -i veth0 | grep -q 'Flags: disabled ' ||
		fail_case "not shown: $(ip netns exec "$A" ndp -i veth0)"
	in0=$(kame_stat "$A" ip6s_ifdisabled)
	out0=$(kame_stat "$A" ip6s_odropped)
	cap=$(mktemp)
	pcap_start "$B" veth1 "$cap" "ether src $MAC_A"
	check_fail ip netns exec "$B" ping -6 -c 3 -i 0.3 -W 1 2001:db8::1
	ip netns exec "$A" kame-udp send -t 1 2001:db8::2 9 x >/dev/null 2>&1
	pcap_stop "$PCAP_PID"
	[ $(( $(kame_stat "$A" ip6s_ifdisabled) - in0 )) -ge 3 ] ||
		fail_case "ip6s_ifdisabled moved by $(( $(kame_stat "$A" ip6s_ifdisabled) - in0 ))"
	[ "$(kame_stat "$A" ip6s_odropped)" -gt "$out0" ] ||
		fail_case "ip6s_odropped did not move"
	check_eq "frames from the KAME host" 0 "$(tcpdump -n -r "$cap" 2>/dev/null | wc -l)"
	rm -f "$cap" "$cap.err"
	check ip netns exec "$A" ndp -i veth0 -- -disabled
	check ip netns exec "$B" ping -6 -c 2 -i 0.3 -W 5 2001:db8::1
	log_test "nd6: ndp -i IF disabled drops and counts traffic both ways; -disabled restores"
}

# A tentative address is not ours yet (RFC 4862 5.4): its local route is
# skipped, so traffic to it leaves for the link like traffic to any
# on-link address (resolved from a usable source), and is not delivered
# to ourselves.
test_tentative_not_local() {
	local cap eq0 out
	RET=0
	MAC_A=$(ip -n "$A" -j link show veth0 | jq -r '.[0].address')
	check ip netns exec "$A" ndp -i veth0 retrans=600000
	check kame -n "$A" addr add 2001:db8::5/64 dev veth0
	check_eq "2001:db8::5 tentative" tentative "$(addr_flags 2001:db8::5)"
	eq0=$(kame_icmp6_stat "$A" icp6s_inhist_echo)
	cap=$(mktemp)
	pcap_start "$B" veth1 "$cap" "ether src $MAC_A and icmp6"
	out=$(ip netns exec "$A" kping6 -c 1 -x 2 2001:db8::5 2>&1)
	check_eq "kping6 to our tentative address: no reply (exit 1)" 1 "$?"
	pcap_stop "$PCAP_PID"
	out=$(tcpdump -n -r "$cap" 2>/dev/null)
	grep -q '2001:db8::1 > ff02::1:ff00:5: ICMP6, neighbor solicitation, who has 2001:db8::5,' <<<"$out" ||
		check_eq "address resolution NS for 2001:db8::5 on the wire" \
			"from 2001:db8::1" "$out"
	check_eq "echo requests delivered to ourselves" "$eq0" \
		"$(kame_icmp6_stat "$A" icp6s_inhist_echo)"
	rm -f "$cap" "$cap.err"
	check kame -n "$A" addr del 2001:db8::5 dev veth0
	check ip netns exec "$A" ndp -i veth0 retrans=1000
	log_test "nd6: traffic to our own tentative address goes to the link, not to us"
}

# net.inet6.ip6.dad_count: the DAD probes of the addresses of interfaces
# attached afterwards (0: none, the addresses usable at once).
test_dad_count() {
	local cap out ll n
	RET=0
	# (kame_veth_pair: native IPv6, which has veth0 until the attach,
	# sends no DAD probe of its own for the same EUI-64 address)
	kame_veth_pair C D
	ll=$(eui64_ll "$(mac_of "$C" veth0)")
	cap=$(mktemp)
	pcap_start "$D" veth1 "$cap" "icmp6 and ip6[40] == 135"
	check kame -n "$C" sysctl net.inet6.ip6.dad_count 0
	check kame -n "$C" link attach veth0
	check kame -n "$C" addr add 2001:db8::7/64 dev veth0
	check_eq "addresses, and tentative ones, right after the attach and the add" "2 0" \
		"$(kame -n "$C" -j addr show | jq -r '"\(length) \([.[] | select(.flags | index("tentative"))] | length)"')"
	check_eq "dad_transmits of veth0" 0 \
		"$(ip netns exec "$C" ndp -j -i veth0 | jq '.[0].dad_transmits')"
	check kame -n "$C" link detach veth0
	check kame -n "$C" sysctl net.inet6.ip6.dad_count 2
	check kame -n "$C" link attach veth0
	check slowwait 10 sh -c "! kame -n $C addr show | grep -q tentative"
	pcap_stop "$PCAP_PID"
	out=$(tcpdump -n -r "$cap" 2>/dev/null)
	n=$(grep -c ":: > ff02::1:ff.*who has $ll," <<<"$out")
	check_eq "DAD probes for $ll (none with dad_count 0, then 2)" 2 "$n"
	check_eq "DAD probes for 2001:db8::7" 0 "$(grep -c 'who has 2001:db8::7,' <<<"$out")"
	check_tool_error "range" kame -n "$C" sysctl net.inet6.ip6.dad_count 11
	rm -f "$cap" "$cap.err"
	log_test "nd6: net.inet6.ip6.dad_count sets the DAD probes of new interfaces (0: none)"
}

test_dad_disables
test_dad_count
test_dad_ns_destination
test_tentative_not_local
test_dad_logged_once
test_disabled_by_hand
exit "$EXIT_STATUS"
