#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Extension headers, fragments and ICMPv6 errors, with packets crafted by
# scapy and 4000-byte pings from a stock Linux host; answers checked on
# the wire, drops checked on the KAME counters.
#
#   +----- $A (KAME) -----+        +-- $B (native Linux, scapy) --+
#   |  veth0 2001:db8::1  |--------|  veth1 2001:db8::2            |
#   +---------------------+        +-------------------------------+
source "$(dirname "$0")/../lib.sh"

setup() {
	kame_native_pair
	# the native host knows our MAC for good: its NUD probes (NS) would
	# show up in the input histograms the probes count
	ip -n "$B" -6 neigh replace 2001:db8::1 lladdr "$MAC_A" dev veth1 nud permanent
	ip -n "$B" -6 neigh replace "$(eui64_ll "$MAC_A")" lladdr "$MAC_A" \
		dev veth1 nud permanent
	ip netns exec "$B" ping -6 -c 1 -W 5 2001:db8::1 >/dev/null
}

# jq query on the probe results
res() {
	jq -c "$1" <<<"$PROBE"
}

test_fragmented_ping() {
	local reas0 ofr0 reas ofr
	RET=0
	reas0=$(kame_stat "$A" ip6s_reassembled)
	ofr0=$(kame_stat "$A" ip6s_ofragments)
	check ip netns exec "$B" ping -6 -c 3 -i 0.3 -W 5 -s 4000 2001:db8::1
	reas=$(kame_stat "$A" ip6s_reassembled)
	ofr=$(kame_stat "$A" ip6s_ofragments)
	check_eq "datagrams reassembled" $((reas0 + 3)) "$reas"
	check_eq "fragments sent (3 replies of 4048 bytes, MTU 1500)" \
		$((ofr0 + 9)) "$ofr"
	log_test "frag6: 4000-byte pings reassembled, replies fragmented"
}

test_probes() {
	local d0 d1 in0 in1 dm0 dm1 c k v
	RET=0
	kame -n "$A" sysctl net.inet6.ip6.fragttl 2 >/dev/null
	kame -n "$A" sysctl net.inet6.icmp6.errppslimit 10 >/dev/null
	read -r in0 d0 < <(kame_ip6_in_sum "$A")
	c0=$(kame -n "$A" -j stats | jq -c '.[0].ip6')
	i0=$(kame -n "$A" -j stats | jq -c '.[0].icmp6')
	dm0=$(kame_dmesg_lines)
	PROBE=$(ip netns exec "$B" python3 "$(dirname "$0")/probe.py" veth1 \
		"$MAC_B" "$MAC_A" 2001:db8::2 2001:db8::1 2>&1)
	if ! jq -e . >/dev/null 2>&1 <<<"$PROBE"; then
		fail_case "probe.py failed: $PROBE"
		log_test "icmp6: crafted packets get the right answers"
		return
	fi
	c1=$(kame -n "$A" -j stats | jq -c '.[0].ip6')
	i1=$(kame -n "$A" -j stats | jq -c '.[0].icmp6')
	read -r in1 d1 < <(kame_ip6_in_sum "$A")
	dm1=$(kame_dmesg_lines)
	# the growth of every counter over the probes, in one jq run (each
	# takes a second under emulation)
	local -A grew
	while read -r k v; do
		grew[$k]=$v
	done < <(jq -rs '(.[0] + .[1]) as $a | .[2] + .[3] | to_entries[] |
		"\(.key) \(.value - $a[.key])"' <<<"$c0$i0$c1$i1")
	delta() {	# COUNTER
		echo "${grew[$1]}"
	}

	check_eq "unknown next header" '[{"code":1,"ptr":6,"quote_ok":true,"type":4}]' \
		"$(res .unknown_nh)"
	check_eq "unknown next header after a destination options header" \
		'[{"code":1,"ptr":40,"quote_ok":true,"type":4}]' \
		"$(res .unknown_nh_after_dstopt)"
	check_eq "unknown option, high bits 10" \
		'[{"code":2,"ptr":42,"quote_ok":true,"type":4}]' "$(res .dstopt_unknown_10)"
	check_eq "unknown option, high bits 00: skipped" '[{"type":129}]' \
		"$(res .dstopt_unknown_00)"
	check_eq "routing header type 0, segments left 1" \
		'[{"code":0,"ptr":42,"quote_ok":true,"type":4}]' "$(res .rh0_segleft)"
	check_eq "routing header type 0, segments left 0: ignored" '[{"type":129}]' \
		"$(res .rh0_segleft0)"
	check_eq "jumbo option with a payload length" \
		'[{"code":0,"ptr":42,"quote_ok":true,"type":4}]' "$(res .jumbo_with_plen)"
	check_eq "60 chained headers: dropped silently" '[]' "$(res .nest60)"
	check_eq "overlapping fragments: dropped silently" '[]' "$(res .overlap)"
	check_eq "incomplete datagram: time exceeded" \
		'[{"code":1,"ptr":null,"quote_ok":true,"type":3}]' "$(res .frag_timeout)"
	check_eq "atomic fragment answered" '[{"type":129}]' "$(res .atomic)"
	check_eq "no error about a multicast destination" '[]' "$(res .mcast_unknown_nh)"
	check_eq "fragment length not a multiple of 8" \
		'[{"code":0,"ptr":4,"quote_ok":true,"type":4}]' "$(res .badlen_frag)"
	n=$(res '.burst | length')
	[ "$n" -ge 1 ] && [ "$n" -le 20 ] ||
		fail_case "burst of 40 with errppslimit 10: $n errors on the wire"

	check_eq "ip6s_toomanyhdr" 1 "$(delta ip6s_toomanyhdr)"
	check_eq "ip6s_fragdropped" 1 "$(delta ip6s_fragdropped)"
	check_eq "ip6s_fragtimeout" 1 "$(delta ip6s_fragtimeout)"
	check_eq "ip6s_atomicfrags" 1 "$(delta ip6s_atomicfrags)"
	check_eq "ip6s_badfrags" 1 "$(delta ip6s_badfrags)"
	check_eq "ip6s_noproto (3 + burst of 40)" 43 "$(delta ip6s_noproto)"
	check_eq "ip6s_badoptions" 3 "$(delta ip6s_badoptions)"
	check_eq "icp6s_canterror" 1 "$(delta icp6s_canterror)"
	check_eq "icp6s_toofreq + errors sent for the burst" 40 \
		$(( $(delta icp6s_toofreq) + n ))
	check_eq "every error attempt sent, refused or rate-limited" \
		"$(delta icp6s_error)" $(( $(delta icp6s_outhist_param_prob) +
		$(delta icp6s_outhist_time_exceed) + $(delta icp6s_canterror) +
		$(delta icp6s_toofreq) ))
	check_eq "every packet counted once" $((in1 - in0)) $((d1 - d0))
	check_eq "kernel log lines" "$dm0" "$dm1"
	kame -n "$A" sysctl net.inet6.ip6.fragttl 60 >/dev/null
	kame -n "$A" sysctl net.inet6.icmp6.errppslimit 200 >/dev/null
	log_test "icmp6: crafted packets get the right answers and counters"
}

test_bad_headers() {
	local c0 c1
	RET=0
	c0=$(kame -n "$A" -j stats | jq -c '.[0].ip6')
	ip netns exec "$B" python3 - veth1 "$MAC_B" "$MAC_A" <<'PY'
import sys
from scapy.all import Ether, IPv6, Raw, sendp, conf
from scapy.layers.inet6 import ICMPv6EchoRequest
conf.verb = 0
i, s, d = sys.argv[1:4]
L2 = Ether(src=s, dst=d, type=0x86dd)
sendp([
    L2 / Raw(bytes(IPv6(src="2001:db8::2", dst="2001:db8::1"))[:20]),
    L2 / IPv6(src="2001:db8::2", dst="2001:db8::1", plen=500) / ICMPv6EchoRequest(),
    L2 / IPv6(src="::ffff:10.0.0.1", dst="2001:db8::1") / ICMPv6EchoRequest(),
    L2 / IPv6(src="ff02::1", dst="2001:db8::1") / ICMPv6EchoRequest(),
    L2 / IPv6(src="2001:db8::2", dst="::1") / ICMPv6EchoRequest(),
    L2 / IPv6(src="fe80:1::2", dst="2001:db8::1") / ICMPv6EchoRequest(),
    L2 / Raw(b"\x40" + bytes(IPv6(src="2001:db8::2", dst="2001:db8::1") / ICMPv6EchoRequest())[1:]),
], iface=i)
PY
	c1=$(kame -n "$A" -j stats | jq -c '.[0].ip6')
	for k in ip6s_toosmall:1 ip6s_tooshort:1 ip6s_badscope:4 ip6s_badvers:1; do
		check_eq "${k%%:*}" "${k##*:}" \
			$(( $(jq ".${k%%:*}" <<<"$c1") - $(jq ".${k%%:*}" <<<"$c0") ))
	done
	log_test "ip6: truncated, too short, bad scope (v4-mapped, multicast, loopback, zone bytes), bad version dropped"
}

# probe.py's extra set: what the answer on the wire and the counters
# must be for each probe
EXTRA_WANT='
unspec_echo [] {"icp6s_inhist_echo":0,"icp6s_outhist_echoreply":0,"ip6s_badscope":1}
unspec_unknown_nh [] {"icp6s_error":0,"ip6s_badscope":1,"ip6s_noproto":0}
unspec_dad_ns [{"type":136}] {"icp6s_inhist_ns":1,"ip6s_badscope":0}
unspec_rs [] {"icp6s_badrs":0,"icp6s_inhist_routersol":1,"ip6s_badscope":0}
mcast_src [] {"icp6s_error":0,"ip6s_badscope":1,"ip6s_noproto":0}
nest60_unlimited [{"type":129}] {"ip6s_toomanyhdr":0}
hbh_not_first [{"code":1,"ptr":40,"quote_ok":true,"type":4}] null
plen0_no_jumbo [{"code":0,"ptr":4,"quote_ok":true,"type":4}] null
jumbo_small [{"code":0,"ptr":44,"quote_ok":true,"type":4}] null
jumbo_misaligned [{"code":0,"ptr":45,"quote_ok":true,"type":4}] null
jumbo_frag_short [] {"ip6s_badfrags":0,"ip6s_tooshort":1}
dstopt_unknown_01 [] {"icp6s_error":0,"ip6s_badoptions":1}
dstopt_unknown_11 [{"code":2,"ptr":42,"quote_ok":true,"type":4}] null
dstopt_unknown_11_mcast [] {"icp6s_error":0,"ip6s_badoptions":1}
dstopt_unknown_10_mcast [{"code":2,"ptr":42,"quote_ok":true,"type":4}] null
quote_1280 [{"code":1,"len":1280,"ptr":6,"quote_ok":true,"type":4}] null
err_about_error [] {"icp6s_canterror":1,"icp6s_outhist_param_prob":0,"ip6s_badoptions":1}
err_about_redirect [] {"icp6s_canterror":1,"icp6s_outhist_param_prob":0,"ip6s_badoptions":1}
err_icmp6_type_cut [] {"icp6s_canterror":1,"icp6s_outhist_param_prob":0,"ip6s_badoptions":1}
hbh_padded [{"code":2,"len":112,"ptr":42,"quote_ok":true,"type":4}] null
frag_beyond_64k [{"code":0,"ptr":42,"quote_ok":true,"type":4}] null
frag_beyond_64k_unfrag [{"code":0,"ptr":50,"quote_ok":true,"type":4}] null
frag_maxfragpackets [] {"ip6s_fragments":3,"ip6s_fragoverflow":1,"ip6s_fragtimeout":2}
frag_maxfrags [] {"ip6s_fragments":3,"ip6s_fragoverflow":1,"ip6s_fragtimeout":1}
frag_maxfragsperpacket [] {"ip6s_fragments":3,"ip6s_fragoverflow":1,"ip6s_fragtimeout":1}
frag_after_limits [{"type":129}] {"ip6s_reassembled":1}
frag_far_early_last [] {"ip6s_fragdropped":20,"ip6s_fragtimeout":0,"ip6s_reassembled":0}
frag_beyond_end [] {"ip6s_fragdropped":1,"ip6s_fragtimeout":0}
frag_last_before_queued [] {"ip6s_fragdropped":1,"ip6s_fragtimeout":0}
frag_zero_len_more [] {"ip6s_fragdropped":1,"ip6s_fragtimeout":0}
mcast_ifacelocal_dst [] {"icp6s_inhist_echo":0,"ip6s_badscope":1,"ip6s_notmember":0}
mcast_scope0_dst [] {"icp6s_inhist_echo":0,"ip6s_badscope":1,"ip6s_notmember":0}
dstopt_unknown_11_llmcast [] {"icp6s_error":0,"ip6s_badoptions":1}
dstopt_overrun [] {"icp6s_error":0,"ip6s_badoptions":0,"ip6s_toosmall":1}
dstopt_8_opts [{"type":129}] {"icp6s_inhist_echo":1,"ip6s_badoptions":0}
dstopt_9_opts [] {"icp6s_inhist_echo":0,"ip6s_badoptions":1}
dstopt_9_opts_any [{"type":129}] {"icp6s_inhist_echo":1,"ip6s_badoptions":0}
dstopt_pad7 [{"type":129}] {"icp6s_inhist_echo":1,"ip6s_badoptions":0}
dstopt_pad8 [] {"icp6s_inhist_echo":0,"ip6s_badoptions":1}
dstopt_pad8_allowed [{"type":129}] {"icp6s_inhist_echo":1,"ip6s_badoptions":0}
frag_chain_incomplete [{"code":3,"ptr":0,"quote_ok":true,"type":4}] {"ip6s_badfrags":1,"ip6s_fragtimeout":1,"ip6s_reassembled":0}
hist_in [{"type":129}] {"icp6s_inhist_echo":1,"icp6s_inhist_echoreply":1,"icp6s_inhist_error":5,"icp6s_inhist_mlddone":1,"icp6s_inhist_mldquery":1,"icp6s_inhist_mldreport":1,"icp6s_inhist_mldv2report":1,"icp6s_inhist_na":1,"icp6s_inhist_ns":1,"icp6s_inhist_other":2,"icp6s_inhist_packet_too_big":1,"icp6s_inhist_param_prob":1,"icp6s_inhist_redirect":1,"icp6s_inhist_routeradv":1,"icp6s_inhist_routersol":1,"icp6s_inhist_time_exceed":1,"icp6s_inhist_unreach":1}
'

test_extra() {
	local name wire delta in0 d0 in1 d1 dm0 dm1
	RET=0
	kame -n "$A" sysctl net.inet6.ip6.fragttl 2 >/dev/null
	read -r in0 d0 < <(kame_ip6_in_sum "$A")
	dm0=$(kame_dmesg_lines)
	PROBE=$(KAME_NS=$A ip netns exec "$B" python3 "$(dirname "$0")/probe.py" veth1 \
		"$MAC_B" "$MAC_A" 2001:db8::2 2001:db8::1 @extra 2>&1)
	kame -n "$A" sysctl net.inet6.ip6.fragttl 60 >/dev/null
	if ! jq -e . >/dev/null 2>&1 <<<"$PROBE"; then
		fail_case "probe.py failed: $PROBE"
		log_test "ip6: extra probes (unspecified source, jumbo, options, reassembly limits)"
		return
	fi
	read -r in1 d1 < <(kame_ip6_in_sum "$A")
	dm1=$(kame_dmesg_lines)
	while read -r name wire delta; do
		[ -n "$name" ] || continue
		check_eq "$name on the wire" "$wire" "$(res ".$name")"
		# the native host's NUD may answer the KAME host's probes
		check_eq "$name counters" "$delta" \
			"$(res "._delta.$name | if . and .icp6s_inhist_na then
				.icp6s_inhist_na |= ([., 1] | min) else . end")"
	done <<<"$EXTRA_WANT"
	check_eq "every packet counted once" $((in1 - in0)) $((d1 - d0))
	check_eq "kernel log lines" "$dm0" "$dm1"
	log_test "ip6: extra probes (unspecified source, jumbo, options, reassembly limits)"
}

# A raw message of protocol 0 begins with the Hop-by-Hop header its
# sender wrote: when it is fragmented, that header stays in front of the
# Fragment header of every fragment (RFC 8200 4.5), and the native host
# reassembles it without an error.
test_hbh_fragmented() {
	local hex pp0 pp1 ok0 ok1 un0 un1 lines
	RET=0
	snmp6() { ip netns exec "$B" awk -v k="$1" '$1 == k {print $2}' /proc/net/snmp6; }
	# HBH: next header 59, length 0, PadN of 4; then 3000 bytes
	hex="3b00010400000000$(printf '%06000d' 0)"
	pp0=$(kame_icmp6_stat "$A" icp6s_inhist_param_prob)
	ok0=$(snmp6 Ip6ReasmOKs)
	un0=$(snmp6 Ip6InUnknownProtos)
	pcap_start "$B" veth1 "$TMP_PCAP" ip6 and src 2001:db8::1
	check ip netns exec "$A" kame-raw send -p 0 2001:db8::2 "$hex"
	sleep 1
	pcap_stop "$PCAP_PID"
	ok1=$(snmp6 Ip6ReasmOKs)
	un1=$(snmp6 Ip6InUnknownProtos)
	pp1=$(kame_icmp6_stat "$A" icp6s_inhist_param_prob)
	lines=$(tcpdump -r "$TMP_PCAP" -n -v 2>/dev/null | grep -c 'HBH.*frag (0x[0-9a-f]*:[0-9]*|')
	check_eq "fragments with the hop-by-hop header first (3 of 3000 bytes)" 3 "$lines"
	check_eq "datagrams the native host reassembled" $((ok0 + 1)) "$ok1"
	check_eq "native Ip6InUnknownProtos (a misplaced hop-by-hop header)" "$un0" "$un1"
	check_eq "parameter problems back at the KAME host" "$pp0" "$pp1"
	log_test "frag6: a raw hop-by-hop message is fragmented after its hop-by-hop header"
}

# A queued fragment no longer counts against the socket that sent it:
# 400 first fragments (never completed) from an AF_PACKET socket with a
# 64 KB send buffer on the native side all leave without blocking. When
# the queue kept the sender's charge (veth frames keep their socket), the
# sender's buffer filled after a few dozen and it stalled until the queues
# timed out.
test_frag_orphan() {
	local out q0 q1
	RET=0
	kame -n "$A" sysctl net.inet6.ip6.fragttl 2 >/dev/null
	q0=$(kame_stat "$A" ip6s_fragments)
	out=$(ip netns exec "$B" /usr/bin/python3 - "$MAC_A" "$MAC_B" <<'EOF'
import socket, struct, sys
mac = lambda m: bytes.fromhex(m.replace(":", ""))
src = socket.inet_pton(socket.AF_INET6, "2001:db8::2")
dst = socket.inet_pton(socket.AF_INET6, "2001:db8::1")
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 65536)
s.bind(("veth1", 0))
sent = 0
for i in range(400):
    ip6 = struct.pack("!IHBB", 6 << 28, 8 + 1000, 44, 64) + src + dst
    frag = struct.pack("!BBHI", 58, 0, 1, 0x0f0f0000 + i)
    f = mac(sys.argv[1]) + mac(sys.argv[2]) + b"\x86\xdd" + ip6 + frag + bytes(1000)
    try:
        s.send(f, socket.MSG_DONTWAIT)
        sent += 1
    except BlockingIOError:
        pass
print(sent)
EOF
)
	sleep 1
	q1=$(kame_stat "$A" ip6s_fragments)
	check_eq "first fragments sent without blocking (64 KB send buffer)" 400 "$out"
	check_eq "ip6s_fragments" $((q0 + 400)) "$q1"
	sleep 3
	kame -n "$A" sysctl net.inet6.ip6.fragttl 60 >/dev/null
	log_test "frag6: queued fragments no longer count against their sender's buffer"
}

# Interface-local multicast stays in the node (RFC 4291 2.7): echo
# requests to ff01::1 loop back to the KAME host's own socket (it is a
# member on every interface) and nothing reaches the link.
test_mcast_ifacelocal_out() {
	local n out
	RET=0
	pcap_start "$B" veth1 "$TMP_PCAP" ip6 and src 2001:db8::1 or src "$(eui64_ll "$MAC_A")"
	out=$(ip netns exec "$A" kping6 -c 2 -i 0.2 -x 2000 ff01::1%veth0 2>&1)
	pcap_stop "$PCAP_PID"
	n=$(tcpdump -r "$TMP_PCAP" -n 2>/dev/null | grep -c 'ff01::1')
	check_eq "packets to ff01::1 on the link" 0 "$n"
	check_match "kping6 to ff01::1%veth0 (answered by the node itself)" \
		"2 packets received" "$out"
	log_test "ip6: interface-local multicast loops back and never goes on the link"
}

# The lines of one histogram of `kame stats icmp6` text.
hist_lines() {	# TEXT TITLE
	awk -v t="$2" '$0 == "\t" t ":" { f = 1; next } /^\t[^\t]/ { f = 0 } f' <<<"$1"
}

test_stats_text() {
	local txt js k line
	RET=0
	txt=$(kame -n "$A" stats icmp6)
	js=$(kame -n "$A" -j stats icmp6 | jq -c '.[0].icmp6')
	for k in "unreach:destination unreachable" "mldquery:MLD query" \
		 "routersol:router solicitation" "echo:echo request" "other:other types"; do
		line=$'\t\t'"${k#*:}: $(jq ".icp6s_inhist_${k%%:*}" <<<"$js")"
		hist_lines "$txt" "Input histogram" | grep -qxF "$line" ||
			check_eq "input histogram line" "$line" "(missing)"
	done
	line=$'\t\t'"parameter problem: $(jq .icp6s_outhist_param_prob <<<"$js")"
	hist_lines "$txt" "Output histogram" | grep -qxF "$line" ||
		check_eq "output histogram line" "$line" "(missing)"
	# a type never sent has no line
	check_eq "MLD query in the output histogram" "" \
		"$(hist_lines "$txt" "Output histogram" | grep "MLD query")"
	check_eq "histogram counters outside the histograms" "" \
		"$(grep -E $'^\t[0-9]+ (input|output) ' <<<"$txt" | grep -v -e "input error messages" -e "output error:")"
	txt=$(kame -n "$A" stats ip6)
	js=$(kame -n "$A" -j stats ip6 | jq -c '.[0].ip6')
	grep -qE $'^\t[0-9]+ total packets received$' <<<"$txt" ||
		check_eq "ip6 total line" "total packets received" "(missing)"
	check_stat_lines "$txt" "$js" ip6s_ \
		"badscope:packets violating scope rules" \
		"badvers:with incorrect version number" \
		"fragoverflow:fragments dropped over the limits" \
		"fragtimeout:datagrams dropped after timeout"
	# counters by name: their values in the order given, or an object
	check_eq "kame stats ip6 ip6s_badvers ip6s_badscope" \
		"$(jq -r '"\(.ip6s_badvers) \(.ip6s_badscope)"' <<<"$js")" \
		"$(kame -n "$A" stats ip6 ip6s_badvers ip6s_badscope | paste -sd ' ')"
	check_eq "kame -j stats ip6 ip6s_badvers" \
		"[{\"ip6\":{\"ip6s_badvers\":$(jq .ip6s_badvers <<<"$js")}}]" \
		"$(kame -n "$A" -j stats ip6 ip6s_badvers | jq -c .)"
	check_tool_error "unknown counter" kame -n "$A" stats ip6 ip6s_badvers icp6s_error
	log_test "stats: netstat-like ip6 lines, icmp6 input and output histograms, counters by name"
}

TMP_PCAP=$(mktemp)
trap 'rm -f "$TMP_PCAP" "$TMP_PCAP.err"; cleanup_all_ns' EXIT

setup
test_fragmented_ping
test_hbh_fragmented
test_frag_orphan
test_mcast_ifacelocal_out
test_probes
test_bad_headers
test_extra
test_stats_text
exit "$EXIT_STATUS"
