#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ndp(8): the KAME/FreeBSD modes and output formats, and its errors.
#
#   +----- $A (KAME) -----+        +-- $B (native Linux) --+
#   |  veth0 2001:db8::1  |--------|  veth1 2001:db8::2     |
#   +---------------------+        +------------------------+
source "$(dirname "$0")/../lib.sh"

setup() {
	kame_native_pair
}

ndp_a() { ip netns exec "$A" ndp "$@"; }

HEADER="Neighbor                             Linklayer Address  Netif Expire    S Flags"

test_static_set_show_delete() {
	local out
	RET=0
	check ndp_a -s 2001:db8::77 02:00:00:00:00:77
	check_eq "header" "$HEADER" "$(ndp_a -an | head -n 1)"
	check_eq "static line" \
		"$(printf '%-36s %-17s %6s %-9s %s ' 2001:db8::77 02:00:00:00:00:77 veth0 permanent R)" \
		"$(ndp_a -an | grep '^2001:db8::77 ')"
	check_eq "one entry by name" "$HEADER" "$(ndp_a -n 2001:db8::77 | head -n 1)"
	out=$(ndp_a -n 2001:db8::78)
	check_eq "no entry, exit 1" "2001:db8::78 (2001:db8::78) -- no entry 1" "$out $?"
	check_eq "delete" "2001:db8::77 (2001:db8::77) deleted" "$(ndp_a -d 2001:db8::77)"
	check_tool_error "cannot locate 2001:db8::77" ndp_a -d 2001:db8::77
	check ndp_a -s 2001:db8::78 02:00:00:00:00:78 temp
	out=$(ndp_a -anj | jq -r '.[] | select(.neighbor == "2001:db8::78") | "\(.temp) \(.static) \(.expire > 1180 and .expire <= 1200)"')
	check_eq "temp entry expires in 20 minutes" "true false true" "$out"
	[[ $(ndp_a -an | grep '^2001:db8::78 ') =~ \ (19m[0-9]+s|20m0s)\ +R\ $ ]] ||
		fail_case "temp line: $(ndp_a -an | grep '^2001:db8::78 ')"
	check ndp_a -s fe80::5%veth0 02:00:00:00:00:05 proxy
	check_eq "link-local with %IF, proxy flag" "fe80::5%veth0 02:00:00:00:00:05 p" \
		"$(ndp_a -an | awk '$1 ~ /^fe80::5%/ {print $1, $2, $6}')"
	check ndp_a -d fe80::5%veth0
	check ndp_a -d 2001:db8::78
	log_test "ndp: -s [temp] [proxy], -a, hostname, -d"
}

test_bad_input() {
	local err
	RET=0
	check_tool_error "invalid Ethernet address '02:00:00:00:00'" ndp_a -s 2001:db8::77 02:00:00:00:00
	check_tool_error "embedded" ndp_a -s fe80:1::5 02:00:00:00:00:05
	check_tool_error "needs its interface" ndp_a -s fe80::5 02:00:00:00:00:05
	check_tool_error "not on-link" ndp_a -s 2001:db9::5 02:00:00:00:00:05
	check_tool_error "not an IPv6 address" ndp_a -s 2001:db8::zz 02:00:00:00:00:05
	check_tool_error "\"bogus\"" ndp_a -s 2001:db8::77 02:00:00:00:00:77 bogus
	check_tool_error "only one of" ndp_a -a -c
	check_tool_error "wrong number of arguments" ndp_a -a extra
	check_tool_error "invalid interface nosuch0" ndp_a -i nosuch0
	check_tool_error "unknown expression" ndp_a -i veth0 bogus
	check_tool_error "out of range" ndp_a -i veth0 curhlim=0
	check_tool_error "expected NAME=VALUE" ndp_a -i veth0 retrans
	check_tool_error "not attached" ndp_a -i lo
	check_tool_error "invalid interface nosuch0" ndp_a -I nosuch0
	check_tool_error "CAP_NET_ADMIN" ip netns exec "$A" setpriv --inh-caps=-net_admin \
		--bounding-set=-net_admin "$KAME_TOP/build/bin/ndp" -s 2001:db8::77 02:00:00:00:00:77
	err=$(ndp_a 2>&1 >/dev/null)
	[ $? -eq 1 ] && [[ $err == "usage: ndp "* ]] ||
		fail_case "no arguments: usage on stderr and exit 1, got: $err"
	log_test "ndp: bad input is one Error line and exit 1"
}

test_file_and_flush() {
	local f out
	RET=0
	f=$(mktemp)
	printf '# static entries\n\n 2001:db8::81 02:00:00:00:00:81\n2001:db8::82 02:00:00:00:00:82 temp\n' >"$f"
	check ndp_a -f "$f"
	check_eq "two entries from the file" 2 \
		"$(ndp_a -anj | jq '[.[] | select(.neighbor | startswith("2001:db8::8"))] | length')"
	printf '2001:db8::83\n' >"$f"
	check_tool_error "bad line 1" ndp_a -f "$f"
	rm -f "$f"
	check ip netns exec "$B" ping -6 -c 1 -W 5 2001:db8::1
	out=$(ndp_a -c)
	[[ $out == *"2001:db8::2 (2001:db8::2) deleted"* ]] ||
		fail_case "ndp -c: $out"
	check_eq "-c keeps static and temp entries" "2001:db8::81 2001:db8::82" \
		"$(ndp_a -anj | jq -r '[.[] | .neighbor] | sort | join(" ")')"
	check ndp_a -d 2001:db8::81
	check ndp_a -d 2001:db8::82
	log_test "ndp: -f FILE, -c flushes dynamic entries only"
}

test_ifinfo() {
	local out
	RET=0
	out=$(ndp_a -i veth0)
	[[ $(head -n 1 <<<"$out") =~ ^linkmtu=1500,\ maxmtu=[0-9]+,\ curhlim=64,\ basereachable=30s0ms,\ reachable=[0-9]+s,\ retrans=1s0ms$ ]] ||
		fail_case "ndp -i: $out"
	check_eq "flags line" "Flags: nud accept_rtadv auto_linklocal " "$(sed -n 2p <<<"$out")"
	out=$(ndp_a -i veth0 -- -nud -accept_rtadv basereachable=2500 retrans=0x1f4 curhlim=32)
	[[ $(head -n 1 <<<"$out") =~ curhlim=32,\ basereachable=2s500ms,\ reachable=[1-3]s,\ retrans=0s500ms$ ]] ||
		fail_case "after set: $out"
	check_eq "flags after set" "Flags: auto_linklocal " "$(sed -n 2p <<<"$out")"
	check_eq "json" "2500 500 32 auto_linklocal" \
		"$(ndp_a -j -i veth0 | jq -r '.[0] | "\(.basereachable) \(.retrans) \(.curhlim) \(.flags | join(","))"')"
	check ndp_a -i veth0 nud accept_rtadv basereachable=30000 retrans=1000 curhlim=64
	log_test "ndp: -i IF shows and sets nd_ifinfo"
}

test_defif_and_lists() {
	local out
	RET=0
	check_eq "no default" "No default interface." "$(ndp_a -I)"
	check_eq "set" "ND default interface = veth0" "$(ndp_a -I veth0)"
	check_eq "kept" "ND default interface = veth0" "$(ndp_a -I)"
	check_eq "delete" "No default interface." "$(ndp_a -I delete)"
	for m in -r -p -R -P -H; do
		out=$(ndp_a $m 2>&1) || fail_case "ndp $m failed: $out"
		check_eq "ndp $m prints nothing" "" "$out"
	done
	check_eq "ndp -rj" "[]" "$(ndp_a -rj)"
	log_test "ndp: -I [IF|delete]; -r -p -R -P -H on the empty router and prefix lists"
}

test_repeat_and_timestamps() {
	local out
	RET=0
	check ndp_a -s 2001:db8::77 02:00:00:00:00:77
	out=$(ip netns exec "$A" timeout 2.5 ndp -n -A 1)
	check_eq "header once" 1 "$(grep -c '^Neighbor ' <<<"$out")"
	[ "$(grep -c '^2001:db8::77 ' <<<"$out")" -ge 2 ] && grep -q '^$' <<<"$out" ||
		fail_case "ndp -A 1: $out"
	out=$(ndp_a -ant)
	grep -Eq '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6} 2001:db8::77 ' <<<"$out" &&
		! grep -q '^Neighbor' <<<"$out" || fail_case "ndp -t: $out"
	check ndp_a -d 2001:db8::77
	log_test "ndp: -A WAIT repeats, -t timestamps without header"
}

setup
test_static_set_show_delete
test_bad_input
test_file_and_flush
test_ifinfo
test_defif_and_lists
test_repeat_and_timestamps
exit "$EXIT_STATUS"
