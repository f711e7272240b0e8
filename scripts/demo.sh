#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the VM (make demo): a stock-Linux namespace and a KAME
# namespace on one veth; the KAME side's interface is attached to the
# stack and handed back. Every step is checked: the first that fails
# stops the demo with "Error: demo step failed: STEP" and exit status 1.
# Then autoconfiguration: radvd on the native host, rtsol on the KAME
# one, which forms its address, lists the router and the prefix (ndp -r,
# -p) and reaches a network behind the router. Then IPsec: UDP inside ESP between kame_ipsec.ko (setkey) and Linux's
# XFRM (ip xfrm), tcpdump showing only ESP on the link. Then the
# tunnels: a gif (kame_gif.ko) against Linux's sit, and stf0
# (kame_stf.ko, 6to4) against sit in 6to4 mode, over IPv4 on the veth.
# KAME_KO, KAME_IPSEC_KO, KAME_GIF_KO and KAME_STF_KO name other modules
# to load.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
export PATH=$top/build/bin:$PATH
kame_ko=${KAME_KO:-$top/kmod/core/kame.ko}
gif_ko=${KAME_GIF_KO:-$top/kmod/gif/kame_gif.ko}
stf_ko=${KAME_STF_KO:-$top/kmod/stf/kame_stf.ko}
ipsec_ko=${KAME_IPSEC_KO:-$top/kmod/ipsec/kame_ipsec.ko}
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

# Wait up to SECS (5) s for a condition (a shell command), or fail
# naming WHAT.
wait_for() {	# WHAT CMD [SECS]
	local i
	for i in $(seq $((${3:-5} * 10))); do
		sh -c "$2" && return 0
		sleep 0.1
	done
	fail "$1"
}

# tcpdump on the native host's eth0, the underlay, in the background,
# started early (it takes seconds to start under emulation): the echo
# requests and replies inside IPv4 (the ICMPv6 type after 20 bytes of
# IPv4 and 40 of IPv6 header)
pcap=/tmp/demo-tunnels.pcap
cap_start() {
	local f="ip proto 41 and (ip[60] = 128 or ip[60] = 129)"
	echo "\$ ip netns exec $native tcpdump -i eth0 -U -w $pcap '$f' &"
	ip netns exec "$native" tcpdump --immediate-mode -i eth0 -n -U \
		-w "$pcap" "$f" 2>"$pcap.err" &
	cap_pid=$!
	echo
}

cap_wait() {
	wait_for "tcpdump on the underlay" "grep -q listening $pcap.err" 15
}

# print what it has caught so far to or from HOST (-v: the outer
# header's fields too) and set CAP to it
cap_show() {	# HOST [-v]
	sleep 0.5
	echo "\$ tcpdump -t -n ${2:-}${2:+ }-r $pcap host $1"
	CAP=$(tcpdump -t -n ${2:+"$2"} -r "$pcap" host "$1" 2>/dev/null) ||
		fail "tcpdump -r $pcap"
	echo "$CAP"
	echo
}

cap_stop() {
	kill -INT "$cap_pid"
	wait "$cap_pid" || true
	cap_pid=
}

# the number of lines of CAP that match the extended regex RE
cap_count() {	# RE
	grep -c -E "$1" <<<"$CAP" || true
}

stf_stat() {	# COUNTER of stf0
	ip netns exec "$kame" gifconfig -j stf0 | jq ".[0].stats.$1"
}

cleanup() {
	[ -z "${cap_pid:-}" ] || kill "$cap_pid" 2>/dev/null || true
	rm -f "$pcap" "$pcap.err"
	pair_down "$native" "$kame"
	[ -z "${esp_pid:-}" ] || kill "$esp_pid" 2>/dev/null || true
	rm -f /tmp/demo-esp.pcap /tmp/demo-esp.err /tmp/demo-esp.conf
	[ -z "${radvd_pid:-}" ] || kill "$radvd_pid" 2>/dev/null || true
	rm -f /tmp/demo-radvd.*
	for m in kame_stf kame_gif kame_ipsec kame; do
		[ ! -d "/sys/module/$m" ] || rmmod "$m"
	done
}
trap cleanup EXIT

echo "== KAME IPv6 stack demo on $(uname -r)"
run insmod "$kame_ko"
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
echo "== autoconfiguration: radvd on the native host advertises 2001:db8:1::/64 and itself as a router"
run ip netns exec "$native" sysctl -qw net.ipv6.conf.all.forwarding=1
run ip -n "$native" -6 addr add 2001:db8:1::1/64 dev eth0 nodad
run ip -n "$native" link add dummy0 type dummy
run ip -n "$native" link set dummy0 up
run ip -n "$native" -6 addr add 2001:db8:99::1/64 dev dummy0 nodad
cat >/tmp/demo-radvd.conf <<EOF
interface eth0 {
	AdvSendAdvert on;
	MinRtrAdvInterval 30;
	MaxRtrAdvInterval 60;
	AdvDefaultPreference high;
	prefix 2001:db8:1::/64 { AdvOnLink on; AdvAutonomous on; };
};
EOF
echo "\$ cat /tmp/demo-radvd.conf"
cat /tmp/demo-radvd.conf
echo "\$ ip netns exec $native radvd -n -C /tmp/demo-radvd.conf &"
ip netns exec "$native" radvd -n -m stderr -C /tmp/demo-radvd.conf \
	-p /tmp/demo-radvd.pid 2>/tmp/demo-radvd.log &
radvd_pid=$!
wait_for "radvd running" "[ -s /tmp/demo-radvd.pid ]" 15
echo "== rtsol on the KAME host: a Router Solicitation, radvd answers at once"
run ip netns exec "$kame" rtsol eth0
wait_for "the address from the prefix (SLAAC)" \
	"kame -n $kame addr show dev eth0 | grep -q 'inet6 2001:db8:1:.* autoconf'" 15
wait_for "DAD of the SLAAC address" "! kame -n $kame addr show | grep -q tentative" 10
run kame -n "$kame" addr show dev eth0
echo "== KAME's router and prefix lists (ndp -r, ndp -p) and the default route the RA gave"
run ip netns exec "$kame" ndp -rn
run ip netns exec "$kame" ndp -pn
run kame -n "$kame" route show
echo "== through the router to a network behind it (2001:db8:99::/64)"
run ip netns exec "$kame" kping6 -c 2 -i 0.3 2001:db8:99::1
kill "$radvd_pid"
wait "$radvd_pid" 2>/dev/null || true
radvd_pid=
echo "== IPsec: UDP in ESP transport mode (aes-gcm-16), kame_ipsec.ko and setkey against Linux's XFRM"
run insmod "$ipsec_ko"
key=0x0102030405060708090a0b0c0d0e0f1011121314
cat >/tmp/demo-esp.conf <<EOF
flush;
spdflush;
add 2001:db8::2 2001:db8::1 esp 0x1001 -E aes-gcm-16 $key;
add 2001:db8::1 2001:db8::2 esp 0x1002 -E aes-gcm-16 $key;
spdadd 2001:db8::2 2001:db8::1 udp -P out ipsec esp/transport//require;
spdadd 2001:db8::1 2001:db8::2 udp -P in ipsec esp/transport//require;
EOF
echo "\$ cat /tmp/demo-esp.conf"
cat /tmp/demo-esp.conf
echo
run ip netns exec "$kame" setkey -f /tmp/demo-esp.conf
run ip netns exec "$kame" setkey -D
run ip netns exec "$kame" setkey -DP
run ip -n "$native" xfrm state add src 2001:db8::2 dst 2001:db8::1 proto esp \
	spi 0x1001 mode transport aead 'rfc4106(gcm(aes))' "$key" 128
run ip -n "$native" xfrm state add src 2001:db8::1 dst 2001:db8::2 proto esp \
	spi 0x1002 mode transport aead 'rfc4106(gcm(aes))' "$key" 128
run ip -n "$native" xfrm policy add src 2001:db8::1/128 dst 2001:db8::2/128 \
	proto udp dir out tmpl src 2001:db8::1 dst 2001:db8::2 proto esp mode transport
run ip -n "$native" xfrm policy add src 2001:db8::2/128 dst 2001:db8::1/128 \
	proto udp dir in tmpl src 2001:db8::2 dst 2001:db8::1 proto esp mode transport
echo "\$ ip netns exec $kame tcpdump -i eth0 -U -w /tmp/demo-esp.pcap 'ip6 and not icmp6' &"
ip netns exec "$kame" tcpdump --immediate-mode -i eth0 -n -U \
	-w /tmp/demo-esp.pcap "ip6 and not icmp6" 2>/tmp/demo-esp.err &
esp_pid=$!
wait_for "tcpdump on eth0" "grep -q listening /tmp/demo-esp.err" 15
ip netns exec "$kame" kame-udp echo 7000 >/tmp/demo-udp.log 2>&1 &
udp_pid=$!
wait_for "kame-udp listening on port 7000" "grep -q ready /tmp/demo-udp.log"
echo "\$ echo hello-esp | ip netns exec $native socat -t 5 - UDP6:[2001:db8::2]:7000"
answer=$(echo hello-esp | ip netns exec "$native" socat -t 5 - UDP6:[2001:db8::2]:7000) ||
	fail "socat to [2001:db8::2]:7000 through ESP"
echo "$answer"
[ "$answer" = hello-esp ] || fail "the UDP echo through ESP (got \"$answer\")"
wait "$udp_pid" || true
sleep 1
kill "$esp_pid"
wait "$esp_pid" 2>/dev/null || true
esp_pid=
echo
echo "== on the link: only ESP, with the SPIs of the two SAs (no UDP in clear)"
tcpdump -n -r /tmp/demo-esp.pcap 2>/dev/null | sed 's/^[0-9:.]* //'
n=$(tcpdump -n -r /tmp/demo-esp.pcap 2>/dev/null | grep -Ec "ESP\(spi=0x0000100[12]")
[ "$n" = 2 ] || fail "the request and the answer in ESP on the link: $n of 2"
[ "$(tcpdump -n -r /tmp/demo-esp.pcap 2>/dev/null | grep -c UDP)" = 0 ] ||
	fail "UDP in clear on the link"
echo
run kame -n "$kame" stats ipsec6
run ip netns exec "$kame" setkey -F
run ip netns exec "$kame" setkey -FP
run ip -n "$native" xfrm state flush
run ip -n "$native" xfrm policy flush
run rmmod kame_ipsec
echo "== neighbour caches: KAME's own (ndp), and the native one"
run ip netns exec "$kame" ndp -an
run ip -n "$native" -6 neigh show
run kame -n "$kame" stats
run kame -n "$kame" -j link show
run kame -n "$kame" link detach eth0
echo "== after the detach: native IPv6 is back (a new link-local address)"
wait_for "native IPv6 back on eth0" "ip -n $kame -6 addr show dev eth0 | grep -q fe80::"
run ip -n "$kame" -6 addr show dev eth0
echo "== tunnels: IPv6 inside IPv4 (protocol 41), the native host's end is Linux's sit"
echo "== the underlay: Linux's IPv4 on the veth, tcpdump on the native side"
run ip -n "$kame" addr add 10.0.0.1/24 dev eth0
run ip -n "$native" addr add 10.0.0.2/24 dev eth0
cap_start
echo "== the native end: sit1 from 10.0.0.2 to 10.0.0.1"
run ip -n "$native" link add sit1 type sit local 10.0.0.2 remote 10.0.0.1
run ip -n "$native" link set sit1 up
run ip -n "$native" -6 addr add 2001:db8:6::2/64 dev sit1 nodad
echo "== the KAME end: gif0 of kame_gif.ko, a KAME link from its creation"
run modprobe tunnel4
run insmod "$gif_ko"
run ip -n "$kame" link add gif0 type gif
run ip netns exec "$kame" gifconfig gif0 10.0.0.1 10.0.0.2 up
run kame -n "$kame" addr add 2001:db8:6::1/64 dev gif0
wait_for "DAD of gif0's addresses" "! kame -n $kame addr show dev gif0 | grep -q tentative"
run ip netns exec "$kame" gifconfig gif0
echo "== kping6 through gif0 to sit1; on the underlay KAME's outer header has TTL 30"
cap_wait
run ip netns exec "$kame" kping6 -c 2 -i 0.3 2001:db8:6::2
cap_show 10.0.0.1 -v
n=$(cap_count "ttl 30, .*proto IPv6 \(41\)")
[ "$n" = 2 ] || fail "gif0's outer IPv4 headers on the underlay (TTL 30, 41): $n of 2"
n=$(cap_count "10[.]0[.]0[.]1 > 10[.]0[.]0[.]2: IP6 .*2001:db8:6::1 > 2001:db8:6::2: .*echo request")
[ "$n" = 2 ] || fail "kping6's echo requests inside IPv4 on the underlay: $n of 2"
n=$(cap_count "10[.]0[.]0[.]2 > 10[.]0[.]0[.]1: IP6 .*2001:db8:6::2 > 2001:db8:6::1: .*echo reply")
[ "$n" = 2 ] || fail "sit1's echo replies inside IPv4 on the underlay: $n of 2"
echo "== 6to4: stf0 of kame_stf.ko against sit in 6to4 mode (remote any)"
run ip -n "$kame" addr add 192.0.2.1/24 dev eth0
run ip -n "$native" addr add 192.0.2.2/24 dev eth0
run ip -n "$native" link add tun6to4 type sit remote any local 192.0.2.2
run ip -n "$native" link set tun6to4 up
run ip -n "$native" -6 addr add 2002:c000:202::1/16 dev tun6to4 nodad
run insmod "$stf_ko"
run ip -n "$kame" link add stf0 type stf
echo "== stf0 takes the 6to4 address of 192.0.2.1 (2002:c000:201::/48): no link-local one, no DAD"
run kame -n "$kame" addr add 2002:c000:201::1/16 dev stf0
run ip -n "$kame" link set stf0 up
run ip netns exec "$kame" gifconfig stf0
echo "== pings both ways; the outer IPv4 addresses come from the 6to4 ones"
run ip netns exec "$kame" kping6 -c 2 -i 0.3 2002:c000:202::1
run ip netns exec "$native" ping -6 -c 2 -i 0.3 2002:c000:201::1
cap_show 192.0.2.1
cap_stop
n=$(cap_count "^IP 192[.]0[.]2[.]1 > 192[.]0[.]2[.]2: IP6 2002:c000:201::1 > 2002:c000:202::1: ICMP6, echo (request|reply)")
[ "$n" = 4 ] || fail "stf0's packets inside IPv4 on the underlay (2 requests, 2 replies): $n of 4"
echo "== an abuse filter: a 6to4 source with 127.0.0.1 inside (2002:7f00:1::1), dropped as rx_loopback"
lo0=$(stf_stat rx_loopback)
run ip -n "$native" -6 addr add 2002:7f00:1::1/128 dev tun6to4 nodad
echo "\$ ip netns exec $native ping -6 -c 1 -W 1 -I 2002:7f00:1::1 2002:c000:201::1"
! ip netns exec "$native" ping -6 -c 1 -W 1 -I 2002:7f00:1::1 2002:c000:201::1 ||
	fail "stf0 answered an echo request from 2002:7f00:1::1"
echo
wait_for "stf0's rx_loopback counting the request" \
	"[ \"\$(ip netns exec $kame gifconfig -j stf0 | jq .[0].stats.rx_loopback)\" = $((lo0 + 1)) ]"
run ip netns exec "$kame" gifconfig stf0
echo "== demo done (${SECONDS}s in the VM)"
