#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rtsol and rtsold (KAME's router solicitation tools, on AF_KAME raw
# sockets) against radvd on a native Linux host; tcpdump on the KAME side
# checks the Router Solicitations and the answers.
#
#   +----- $A (KAME, rtsol, tcpdump) --+        +-- $B (native, radvd) --+
#   |  veth0                           |--------|  veth1                 |
#   +----------------------------------+        +------------------------+
source "$(dirname "$0")/../lib.sh"

setup() {
	kame_native_pair
	TMP=$(mktemp -d)
	LL_A=$(eui64_ll "$MAC_A")
	ip netns exec "$B" sysctl -qw net.ipv6.conf.all.forwarding=1
	# long intervals: an RA soon after an RS answers it
	cat >"$TMP/radvd.conf" <<-EOF
	interface veth1 {
		AdvSendAdvert on;
		MinRtrAdvInterval 200;
		MaxRtrAdvInterval 600;
		prefix 2001:db8:1::/64 { };
	};
	EOF
	CAP=
}

cleanup_test() {
	[ -n "$CAP" ] && kill "$CAP" 2>/dev/null
	kame_kill_bg
	rm -rf "$TMP"
	cleanup_all_ns
}
trap cleanup_test EXIT

radvd_start() {
	radvd_run "$B" "$TMP/radvd.conf"
	# its first unsolicited RA, then radvd's 3 s between multicast RAs
	sleep 4
}

cap_start() {
	pcap_start "$A" veth0 "$TMP/cap" icmp6
	CAP=$PCAP_PID
}

cap_stop() {
	pcap_stop "$CAP"
	CAP=
	tcpdump -r "$TMP/cap" -n -tt -v 2>/dev/null >"$TMP/cap.txt"
}

# "TIME TYPE" lines of the capture: rs (ours, with our MAC in its option)
# and ra (radvd's)
events() {
	awk -v ll="$LL_A" -v mac="$MAC_A" '
		/^[0-9]/ { t = $1; src = ""; for (i = 1; i <= NF; i++) if ($(i + 1) == ">") src = $i }
		/router solicitation/ && src == ll && $0 ~ "ff02::2" { pend = t; next }
		/router advertisement/ { print t, "ra"; next }
		/source link-address option/ && pend != "" {
			if (tolower($0) ~ mac) print pend, "rs"
			pend = ""
		}' "$TMP/cap.txt"
}

# rtsol_captured STATUS PATTERN: rtsol -d veth0 under tcpdump must exit
# with STATUS and log a line matching PATTERN; ev: the events() of the
# capture.
rtsol_captured() {
	local out rc
	cap_start
	out=$(ip netns exec "$A" rtsol -d veth0 2>&1)
	rc=$?
	cap_stop
	check_eq "rtsol exit status" "$1" "$rc"
	check_match "rtsol log" "$2" "$out"
	ev=$(events)
}

test_answer() {
	local ev rs ra
	RET=0
	radvd_start
	rtsol_captured 0 "^rtsol: veth0: received RA from fe80::"
	rs=$(awk '$2 == "rs" {print $1; exit}' <<<"$ev")
	ra=$(awk -v rs="$rs" '$2 == "ra" && $1 > rs {print $1; exit}' <<<"$ev")
	[ -n "$rs" ] || fail_case "no RS with our source link-layer address on the wire: $(cat "$TMP/cap.txt")"
	[ -n "$ra" ] || fail_case "no RA after the RS: $ev"
	if [ -n "$rs" ] && [ -n "$ra" ]; then
		awk -v a="$rs" -v b="$ra" 'BEGIN { exit !(b - a < 3) }' ||
			fail_case "the RA came $rs -> $ra, not as an answer"
	fi
	check_eq "RSs sent" 1 "$(grep -c ' rs$' <<<"$ev")"
	log_test "rtsol: RS to ff02::2 with the source link-layer option, radvd answers"
}

test_no_answer() {
	local ev t
	RET=0
	kill "$RADVD" 2>/dev/null
	wait "$RADVD" 2>/dev/null
	rtsol_captured 1 "No answer after sending 3 RSs"
	check_eq "RSs sent" 3 "$(grep -c ' rs$' <<<"$ev")"
	# RTR_SOLICITATION_INTERVAL (4 s) apart; a busy emulator is late
	t=$(awk '$2 == "rs" { if (p) printf "%s%.2f", s, $1 - p; s = " "; p = $1 }' <<<"$ev")
	awk -v t="$t" 'BEGIN { n = split(t, g, " "); if (n != 2) exit 1
		for (i = 1; i <= n; i++) if (g[i] < 3.9 || g[i] > 5) exit 1 }' ||
		fail_case "seconds between the RSs: $t"
	log_test "rtsol: no router: MAX_RTR_SOLICITATIONS RSs, RTR_SOLICITATION_INTERVAL apart"
}

test_rtsold_link_up() {
	RET=0
	radvd_start
	cap_start
	ip netns exec "$A" rtsold -f -d veth0 >"$TMP/rtsold.log" 2>&1 &
	defer_pids+=($!)
	slowwait 10 grep -q "received RA" "$TMP/rtsold.log" ||
		fail_case "no RA reached rtsold: $(cat "$TMP/rtsold.log")"
	# no router any more: what follows the link coming up is rtsold's
	kill "$RADVD"
	wait "$RADVD" 2>/dev/null
	RADVD=
	ip -n "$A" link set veth0 down
	ip -n "$A" link set veth0 up
	slowwait 15 sh -c "sed -n '/link up/,\$p' $TMP/rtsold.log | grep -q 'sent RS'" ||
		fail_case "no RS after the link came up: $(cat "$TMP/rtsold.log")"
	kame_kill_bg
	cap_stop
	[ "$(events | grep -c ' rs$')" -ge 2 ] ||
		fail_case "RSs on the wire: $(events)"
	log_test "rtsold: probes again when the link comes up"
}

test_usage() {
	RET=0
	check_fail ip netns exec "$A" rtsol
	check_fail ip netns exec "$A" rtsol -a veth0
	check_tool_error "unknown interface: nosuch0" ip netns exec "$A" rtsol nosuch0
	log_test "rtsol: usage and errors"
}

setup
test_usage
test_answer
test_no_answer
test_rtsold_link_up
exit "$EXIT_STATUS"
