#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# setkey(8) against kame_ipsec.ko: a file applied, the SAD and SPD dumped
# in KAME's formats (-D, -DP, -j), flushed; a file the kernel refuses in
# its third statement leaves nothing of the first two; key lengths and
# algorithms checked against REGISTER before anything is sent; -x sees
# the changes. Each case in a namespace of its own (the databases are
# per namespace). SKIP without kmod/ipsec/kame_ipsec.ko.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/ipsec.lib"

TMP=$(mktemp -d)
trap 'kame_cleanup; rmmod kame_ipsec 2>/dev/null' EXIT

if ! [ -e "$KAME_IPSEC_KO" ]; then
	log_test_skip "setkey: against kame_ipsec.ko (not built: $KAME_IPSEC_KO)"
	exit "$EXIT_STATUS"
fi
if ! [ -d /sys/module/kame_ipsec ] && ! insmod "$KAME_IPSEC_KO"; then
	RET=1
	log_test "setkey: insmod $KAME_IPSEC_KO"
	exit "$EXIT_STATUS"
fi
setup_ns A

cat >"$TMP/good.conf" <<'EOF'
add 2001:db8::1 2001:db8::2 esp 0x1001 -m transport -u 5 -r 4
	-E aes-cbc 0x00112233445566778899aabbccddeeff
	-A hmac-sha2-256 "0123456789abcdef0123456789abcdef" ;
add 2001:db8::2 2001:db8::1 ah 0x2001 -A hmac-sha1 0x0102030405060708090a0b0c0d0e0f1011121314;
spdadd 2001:db8:1::/64[any] 2001:db8:2::/64[80] tcp -P out ipsec esp/transport//require;
spdadd ::/0 ::/0 icmp6 135,0 -P in prio high + 5 none;
EOF

test_apply_and_dump() {
	local out p=$'\t'
	RET=0
	check sk -f "$TMP/good.conf" || { log_test "setkey: -f applies, -D/-DP dump"; return; }
	out=$(sk -D)
	check_eq "SA 1, line 1" "2001:db8::1 2001:db8::2 " "$(sed -n 1p <<<"$out")"
	check_eq "SA 1, line 2" "${p}esp mode=transport spi=4097(0x00001001) reqid=5(0x00000005)" \
		"$(sed -n 2p <<<"$out")"
	check_eq "SA 1, E:" "${p}E: aes-cbc  00112233 44556677 8899aabb ccddeeff" \
		"$(sed -n 3p <<<"$out")"
	check_eq "SA 1, A:" "${p}A: hmac-sha2-256  30313233 34353637 38396162 63646566 30313233 34353637 38396162 63646566" \
		"$(sed -n 4p <<<"$out")"
	check_eq "SA 1, seq line" "${p}seq=0x00000000 replay=4 flags=0x00000040 state=mature " \
		"$(sed -n 5p <<<"$out")"
	check_match "SA 1, created" $'^\tcreated: [A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]\\{8\\} [0-9]\\{4\\}\tcurrent: ' \
		"$(sed -n 6p <<<"$out")"
	check_match "SA 1, diff" $'^\tdiff: [0-9]*(s)\thard: 0(s)\tsoft: 0(s)$' "$(sed -n 7p <<<"$out")"
	check_eq "SA 1, last" "${p}last:                     ${p}hard: 0(s)${p}soft: 0(s)" \
		"$(sed -n 8p <<<"$out")"
	check_match "sadb_seq counts down" $'^\tsadb_seq=1 pid=[0-9]* refcnt=0$' "$(sed -n 11p <<<"$out")"
	check_match "second SA" $'^\tah mode=any spi=8193(0x00002001)' "$out"
	check_match "last sadb_seq" $'^\tsadb_seq=0 ' "$(tail -n 1 <<<"$out")"
	out=$(sk -DP)
	check_match "policy selector" "^2001:db8:1::/64\[any\] 2001:db8:2::/64\[80\] tcp$" "$out"
	check_match "policy action" $'^\tout prio def ipsec$' "$out"
	check_match "policy request" $'^\tesp/transport//require$' "$out"
	check_match "icmp6 policy" "^::/0 ::/0 icmp6 135,0$" "$out"
	check_match "priority" $'^\tin prio high + 5 none$' "$out"
	check_eq "-Dj" "2 esp 00112233445566778899aabbccddeeff" \
		"$(sk -Dj | jq -r 'length as $n | .[0] | "\($n) \(.proto) \(.enc_key)"')"
	check_eq "-DPj" "tcp 80 require" \
		"$(sk -DPj | jq -r '.[] | select(.upper == "tcp") | "\(.upper) \(.dst.port) \(.requests[0].level)"')"
	check sk -F
	check sk -FP
	check_eq "empty SAD" "No SAD entries." "$(sk -D)"
	check_eq "empty SPD" "No SPD entries." "$(sk -DP)"
	log_test "setkey: -f applies, -D/-DP dump in KAME's format, -F/-FP flush"
}

test_all_or_nothing() {
	RET=0
	printf 'add 2001:db8::1 2001:db8::2 esp 0x1001 -E null -A hmac-md5 \"0123456789abcdef\";\nspdadd ::/0 ::/0 any -P out discard;\nadd 2001:db8::1 2001:db8::2 esp 0x1001 -E null -A hmac-md5 \"0123456789abcdef\";\n' \
		>"$TMP/dup.conf"
	check_tool_error "$TMP/dup.conf:3: " sk -f "$TMP/dup.conf"
	check_eq "the add before is undone" "No SAD entries." "$(sk -D)"
	check_eq "the spdadd before is undone" "No SPD entries." "$(sk -DP)"
	printf 'spdadd ::/0 ::/0 any -P out discard;\nadd 2001:db8::1 2001:db8::2 ipcomp 0x4001 -C lzs;\n' \
		>"$TMP/lzs.conf"
	check_tool_error "$TMP/lzs.conf:2: the kernel has no compression algorithm lzs" \
		sk -f "$TMP/lzs.conf"
	check_eq "nothing sent before the REGISTER check" "No SPD entries." "$(sk -DP)"
	check_tool_error "$TMP/nosa.conf:1: No entry" sh -c \
		"printf 'delete 2001:db8::1 2001:db8::2 esp 0x1001;\n' >$TMP/nosa.conf; ip netns exec $A setkey -f $TMP/nosa.conf"
	log_test "setkey: a refused request undoes the file's earlier adds; REGISTER checks first"
}

test_getspi_update_get() {
	local out
	RET=0
	check sk -c <<<'getspi 2001:db8::1 2001:db8::2 esp 0x5000 -m tunnel -u 9;'
	check_match "getspi: larval" "state=larval" "$(sk -D)"
	check sk -c <<<'update 2001:db8::1 2001:db8::2 esp 0x5000 -m tunnel -u 9 -lh 3600 -ls 3000
		-E aes-ctr 0x00112233445566778899aabbccddeeff01020304;'
	out=$(printf 'get 2001:db8::1 2001:db8::2 esp 0x5000;\n' | sk -c)
	check_match "get: update made it mature" "state=mature" "$out"
	check_match "get: mode and reqid" $'^\tesp mode=tunnel spi=20480(0x00005000) reqid=9(0x00000009)$' "$out"
	check_match "get: the lifetimes" $'^\tdiff: [0-9]*(s)\thard: 3600(s)\tsoft: 3000(s)$' "$out"
	check_match "get: aes-ctr key with its nonce" $'^\tE: aes-ctr  00112233 44556677 8899aabb ccddeeff 01020304$' "$out"
	# a getspi undone: the kernel picks the SPI, the undo deletes that one
	printf 'getspi 2001:db8::1 2001:db8::2 esp 0;\nspdadd ::/0 ::/0 any -P out bogus-never-parsed;\n' >"$TMP/gs.conf"
	check_tool_error "$TMP/gs.conf:2: unknown action" sk -f "$TMP/gs.conf"
	printf 'getspi 2001:db8::1 2001:db8::2 esp 0;\ndelete 2001:db8::1 2001:db8::2 esp 0x6000;\n' >"$TMP/gs.conf"
	check_tool_error "$TMP/gs.conf:2: No entry" sk -f "$TMP/gs.conf"
	check_eq "only the updated SA is left" 1 "$(sk -Dj | jq length)"
	check sk -F
	log_test "setkey: getspi, update, get; a getspi undone"
}

test_monitor() {
	RET=0
	ip netns exec "$A" setkey -x >"$TMP/x.log" 2>&1 &
	defer_pids+=($!)
	sleep 1
	check sk -c <<<'add 2001:db8::1 2001:db8::2 esp 0x3001 -E null -A hmac-md5 "0123456789abcdef"; spdadd ::/0 ::/0 any -P out discard;'
	slowwait 10 grep -q spdadd "$TMP/x.log" || fail_case "-x: $(cat "$TMP/x.log")"
	check_match "-x shows the add with a timestamp" "^[A-Z][a-z][a-z] [ 0-9][0-9] [0-9:]*\.[0-9]\{6\} add" \
		"$(cat "$TMP/x.log")"
	kame_kill_bg
	check sk -F
	check sk -FP
	log_test "setkey: -x prints the changes with a timestamp"
}

# -f esn and -seq: the 64-bit number in 16 digits; above 32 bits
# without ESN, or ESN for IPComp, the kernel's refusal
test_esn() {
	local p=$'\t'
	RET=0
	check sk -c <<<'add 2001:db8::1 2001:db8::2 esp 0x1001 -f esn -seq 0x100000005 -E aes-gcm-16 "0123456789abcdef0123";'
	# (rseq: -seq is the top of the window too)
	check_eq "esn: seq line" "${p}seq=0x0000000100000005 rseq=0x0000000100000005 replay=0 flags=0x00001040 state=mature " \
		"$(sk -D | sed -n 4p)"
	check_eq "-Dj: seq" 4294967301 "$(sk -Dj | jq '.[0].seq')"
	printf 'add 2001:db8::1 2001:db8::2 esp 0x1002 -seq 0x100000000 -E aes-gcm-16 "0123456789abcdef0123";\n' >"$TMP/seq.conf"
	check_tool_error "$TMP/seq.conf:1: a sequence number above 32 bits needs ESN" sk -f "$TMP/seq.conf"
	printf 'add 2001:db8::1 2001:db8::2 ipcomp 0x4001 -f esn -C deflate;\n' >"$TMP/seq.conf"
	check_tool_error "$TMP/seq.conf:1: IPComp has no sequence numbers: no ESN" sk -f "$TMP/seq.conf"
	check sk -F
	log_test "setkey: -f esn and -seq, the 64-bit sequence number in -D"
}

test_apply_and_dump
test_esn
test_all_or_nothing
test_getspi_update_get
test_monitor
exit "$EXIT_STATUS"
