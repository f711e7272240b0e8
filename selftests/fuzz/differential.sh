#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The differential run: the fuzzer's corpus, packet by packet, at a KAME
# host and then at a native Linux host set up the same way (same
# addresses, same sockets: UDP echo 7, sink 9, raw 253, a connected UDP
# socket; no ICMPv6 rate limit; a fragment lifetime of 2 s), and what
# each answers (kfuzz6 --diff). fuzz/diffreport.py groups the packets
# answered differently and names the rule of Documentation/fuzzing.rst
# ("Differences from Linux") that explains each group; a difference no
# rule explains fails the test, with the packets' indexes and the command
# that sends one again.
#
#   +----- $A -----------------------+        +-- $B (native Linux) --+
#   |  veth0 2001:db8::1             |--------|  veth1 2001:db8::2    |
#   |  KAME, then Linux's IPv6       |        |  kfuzz6 --diff        |
#   +--------------------------------+        +-----------------------+
#
# DIFF_N packets (1500; make fuzz: 20000), seed FUZZ_SEED, DIFF_GAP ms of
# quiet after the echo of its probe (10). The report and both answer lists go to
# DIFF_OUT (build/vm/differential/).
source "$(dirname "$0")/../lib.sh"

HELPERS=$KAME_TOP/build/helpers/fuzz
KFUZZ6=$HELPERS/kfuzz6
DIFF_N=${DIFF_N:-1500}
DIFF_GAP=${DIFF_GAP:-10}
FUZZ_SEED=${FUZZ_SEED:-0x4b414d45}
DIFF_OUT=${DIFF_OUT:-${KAME_OUT:-$KAME_TOP/build/vm}/differential}
FUZZ_MAC=02:fa:22:00:00:02
FRAGTTL=2

trap kame_cleanup EXIT

# The sockets of fuzz.sh, on AF_KAME or (KAME_FAMILY=inet6) AF_INET6.
sockets() {	# kame|inet6
	local f=$1
	export KAME_FAMILY=$f
	bg_ready 10 "$TMP/echo.$f" "$A" "$HELPERS/fuzz_echo" 7 || return 1
	bg_ready 10 "$TMP/sink.$f" "$A" kame-udp sink -r 4096 9 3600 || return 1
	bg_ready 10 "$TMP/raw.$f" "$A" sh -c "echo ready; exec kame-raw recv -p 253 -n 1000000000 -W 3600 >/dev/null" || return 1
	ip netns exec "$A" kame-raw udperr -n -W 3600 -l 40000 2001:db8::2 5555 >"$TMP/conn.$f" 2>&1 &
	defer_pids+=($!)
	slowwait 10 grep -q lport "$TMP/conn.$f" || return 1
	CONN_LPORT=$(awk '/lport/ {print $2}' "$TMP/conn.$f")
	unset KAME_FAMILY
}

stop_sockets() {
	kame_kill_bg
	sleep 0.5
}

run_corpus() {	# NAME
	# shellcheck disable=SC2086
	ip netns exec "$B" "$KFUZZ6" veth1 $FUZZ_MAC "$MAC_A" 2001:db8::2 \
		2001:db8::1 "$LL_B" "$LL_A" --seed "$FUZZ_SEED" --count "$DIFF_N" \
		--lladdr "$MAC_B" --land 0 --udp 7,9 --conn "$CONN_LPORT:5555" \
		--raw 253 --diff "$DIFF_GAP" --diff-tail $(((FRAGTTL + 2) * 1000)) \
		>"$DIFF_OUT/$1.txt" 2>"$DIFF_OUT/$1.err"
}

setup() {
	defer_pids=()
	TMP=$(mktemp -d)
	mkdir -p "$DIFF_OUT"
	kame_native_pair
	LL_A=$(eui64_ll "$MAC_A")
	# The peer's own stack answers the host's replies now and then (port
	# unreachable): it must not solicit the host in the middle of the
	# corpus, where its Neighbor Advertisement would be taken for an answer
	ip -n "$B" neigh replace 2001:db8::1 lladdr "$MAC_A" dev veth1 nud permanent
	ip -n "$B" neigh replace "$LL_A" lladdr "$MAC_A" dev veth1 nud permanent
	kame -n "$A" sysctl net.inet6.ip6.fragttl $FRAGTTL >/dev/null
	kame -n "$A" sysctl net.inet6.icmp6.errppslimit 1000000 >/dev/null
	# as accept_ra=0 on the Linux side: fuzzed RAs change nothing
	ip netns exec "$A" ndp -i veth0 -- -accept_rtadv >/dev/null
	kame -n "$A" route add 2001:db8:99::/64 via "$LL_B" dev veth0
}

test_kame() {
	RET=0
	sockets kame || fail_case "sockets"
	run_corpus kame || fail_case "kfuzz6: $(tail -n 2 "$DIFF_OUT/kame.err")"
	stop_sockets
	log_test "differential: $DIFF_N packets at the KAME host"
}

# The same host on Linux's IPv6: KAME lets go of veth0, Linux takes the
# same address (no DAD), the same gateway, no rate limits.
test_native() {
	RET=0
	kame -n "$A" link detach veth0
	# no Router Advertisement processing: KAME has none yet
	ip netns exec "$A" sysctl -qw net.ipv6.conf.veth0.accept_dad=0 \
		net.ipv6.conf.veth0.accept_ra=0 \
		net.ipv6.icmp.ratelimit=0 net.ipv6.ip6frag_time=$FRAGTTL
	sysctl -qw net.ipv4.icmp_msgs_per_sec=1000000 net.ipv4.icmp_msgs_burst=1000000
	ip -n "$A" -6 addr add 2001:db8::1/64 dev veth0 nodad
	ip -n "$A" -6 route add 2001:db8:99::/64 via "$LL_B" dev veth0
	slowwait 10 sh -c "ip -n $A -6 -o addr show dev veth0 scope link | grep -q ' $LL_A/'"
	sockets inet6 || fail_case "sockets"
	run_corpus native || fail_case "kfuzz6: $(tail -n 2 "$DIFF_OUT/native.err")"
	stop_sockets
	log_test "differential: $DIFF_N packets at the native host"
}

test_report() {
	local out
	RET=0
	out=$(python3 "$KAME_TOP/selftests/fuzz/diffreport.py" \
		"$KAME_TOP/Documentation/fuzzing.rst" "$DIFF_OUT/kame.txt" \
		"$DIFF_OUT/native.txt" 2>&1)
	rc=$?
	echo "$out" >"$DIFF_OUT/report.txt"
	sed 's/^/# /' <<<"$out" | head -n 80
	# the failure line names the groups: a CI log may keep only that line
	[ $rc = 0 ] || fail_case "differences no rule explains: $(grep UNEXPLAINED <<<"$out" | head -n 4 | tr -s ' ' | paste -sd ';') (report: $DIFF_OUT/report.txt); one packet again: kfuzz6 ... --seed $FUZZ_SEED --start INDEX --count NSEQ --diff $DIFF_GAP"
	log_test "differential: every difference from Linux is explained in Documentation/fuzzing.rst"
}

if [ ! -x "$KFUZZ6" ]; then
	echo "kfuzz6 not built ($KFUZZ6)"
	exit "$ksft_skip"
fi
setup
test_kame
test_native
test_report
exit "$EXIT_STATUS"
