#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# setkey(8)'s configuration language without the kernel: setkey -n parses
# and checks a file (key lengths against setkey(8)'s table) and sends
# nothing, so it needs neither kame_ipsec.ko nor a namespace. Every
# statement form must parse, from -f FILE, -f - and -c; each malformed
# file must give exit 1 and one line "Error: FILE:LINE: MESSAGE at
# [TOKEN]"; the command line's misuse gives the usage.
source "$(dirname "$0")/../lib.sh"

TMP=$(mktemp -d)
trap kame_cleanup EXIT

# One statement of every form, spread over lines as setkey.conf files are.
cat >"$TMP/all.conf" <<'EOF'
# every statement form of setkey(8), IPv6 only
flush;
spdflush;
add 2001:db8::1 2001:db8::2 esp 0x1001 -m transport -u 5 -r 4
	-E aes-cbc 0x00112233445566778899aabbccddeeff
	-A hmac-sha2-256 "0123456789abcdef0123456789abcdef" ;
add -6n 2001:db8::1 2001:db8::2 esp 4098 -f random-pad -f nocyclic-seq
	-lh 3600 -ls 3000 -bh 1000000 -bs 900000
	-E rijndael-cbc 0xabc0112233445566778899aabbccdde ;	# odd digit count
add 2001:db8::1 2001:db8::2 esp 0x1003 -f zero-pad -E aes-gcm-16 "0123456789abcdef0123";
add 2001:db8::1 2001:db8::2 esp 0x1007 -f esn -seq 0xfffffffffffffffe -E aes-gcm-16 "0123456789abcdef0123";
add 2001:db8::1 2001:db8::2 ah 0x2003 -f esn -f nocyclic-seq -seq 4294967295 -A null;
add 2001:db8::1 2001:db8::2 esp 0x1004 -f seq-pad -E null -A hmac-sha1 0x0102030405060708090a0b0c0d0e0f1011121314;
add 2001:db8::1 2001:db8::2 esp 0x1005 -E 3des-cbc "0123456789abcdef01234567" -A hmac-md5 "0123456789abcdef";
add 2001:db8::1 2001:db8::2 ah 0x2001 -m tunnel -A hmac-sha256 0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f;
add 2001:db8::1 2001:db8::2 ah 0x2002 -m any -A null;
add 2001:db8::1 2001:db8::2 esp 0x1006 -E twofish-cbc 0x00112233445566778899aabbccddeeff -A null;
add 2001:db8::1 2001:db8::2 ipcomp 0x4001 -C deflate -R;
update 2001:db8::1 2001:db8::2 esp 0x1001 -lh 7200 -E aes-cbc 0x00112233445566778899aabbccddeeff;
getspi 2001:db8::1 2001:db8::2 esp 0 -m tunnel -u 7;
getspi 2001:db8::1 2001:db8::2 esp 0x5000;
get 2001:db8::1 2001:db8::2 esp 0x1001;
delete 2001:db8::1 2001:db8::2 ah 0x2001;
deleteall 2001:db8::1 2001:db8::2 esp;
flush esp; flush ipcomp; dump; dump ah;
spdadd 2001:db8:1::/64[any] 2001:db8:2::/64[80] tcp -P out ipsec esp/transport//require;
spdadd 2001:db8:1::1 2001:db8:2::1 any -P out prio def + 10 ipsec
	esp/tunnel/2001:db8::1-2001:db8::2/unique:12
	ah/transport//use ;
spdadd ::/0 ::/0 icmp6 135,0 -P in none;
spdadd ::/0 ::/0 58 -P fwd priority low discard;
spdadd ::/0 ::/0 udp -P out prio -5 ipsec esp/transport/2001:db8::1-2001:db8::2/unique;
spdupdate 2001:db8:1::/48 2001:db8:2::/48 udp -P in priority high - 3 ipsec ipcomp/transport//default;
spdadd 2001:db8:3::/64[1000] 2001:db8:4::/64 sctp -P out priority def+7 none; # comment
spddelete 2001:db8:1::/64[any] 2001:db8:2::/64[80] tcp -P out;
spddelete 2001:db8:3::/64[1000] 2001:db8:4::/64 sctp -P out priority def+7 none;
spddump;
;
EOF

test_every_form() {
	RET=0
	check setkey -n -f "$TMP/all.conf"
	check setkey -n -f - <"$TMP/all.conf"
	check setkey -n -c <"$TMP/all.conf"
	check setkey -nv -f "$TMP/all.conf"
	# exit ends the input: what follows it is not read
	printf 'spdflush;\nexit\nnot a statement\n' >"$TMP/exit.conf"
	check setkey -n -f "$TMP/exit.conf"
	check_eq "-n prints nothing" "" "$(setkey -n -f "$TMP/all.conf" 2>&1)"
	log_test "setkey: every statement form parses (-n -f FILE, -f -, -c)"
}

# bad LINE_TEXT EXPECTED: a file whose line 3 is LINE_TEXT must fail with
# "Error: FILE:3: EXPECTED" (EXPECTED ends with the "at [TOKEN]" part).
bad() {
	printf '# a bad file\nspdflush;\n%s\n' "$1" >"$TMP/bad.conf"
	check_tool_error "$TMP/bad.conf:3: $2" setkey -n -f "$TMP/bad.conf"
}

test_malformed_files() {
	RET=0
	bad 'add 10.0.0.1 10.0.0.2 esp 0x1001 -E null;' \
		"IPv4 SAs and policies are Linux XFRM's (ip xfrm) at [10.0.0.1]"
	bad 'add -4 2001:db8::1 2001:db8::2 esp 0x1001 -E null;' \
		"IPv4 SAs and policies are Linux XFRM's (ip xfrm) at [-4]"
	bad 'spdadd ::/0 ::/0 any -P out ipsec esp/tunnel/192.0.2.1-192.0.2.2/require;' \
		"IPv4 SAs and policies are Linux XFRM's (ip xfrm) at [esp/tunnel/192.0.2.1-192.0.2.2/require]"
	bad 'bogus 2001:db8::1;' "unknown command at [bogus]"
	bad 'add 2001:db8::1 2001:db8::2 esp 0x1001 -E aes-cbc 0x0011;' \
		"aes-cbc takes a key of 128 to 256 bits, not 16 at [aes-cbc]"
	bad 'add 2001:db8::1 2001:db8::2 esp 0x1001 -E aes-cbc 0xzz;' \
		"bad hexadecimal key at [0xzz]"
	bad 'add 2001:db8::1 2001:db8::2 esp 0x1001 -E nosuch-cbc 0x00;' \
		"unknown encryption algorithm at [nosuch-cbc]"
	bad 'add 2001:db8::1 2001:db8::2 esp 0x100000000 -E null;' \
		"SPI too big (at most 4294967295) at [0x100000000]"
	bad 'add 2001:db8::1 2001:db8::2 esp 0x1001 -f esm -E null;' \
		"unknown -f flag (zero-pad, random-pad, seq-pad, nocyclic-seq, esn) at [esm]"
	bad 'add 2001:db8::1 2001:db8::2 esp 0x1001 -seq 0x10000000000000000 -E null;' \
		"sequence number too big (at most 18446744073709551615) at [0x10000000000000000]"
	bad 'add 2001:db8::1 2001:db8::2 esp 0x1001 -m sideways -E null;' \
		"unknown mode (transport, tunnel or any) at [sideways]"
	bad 'add 2001:db8::1 2001:db8::2 ah 0x1001 -E null;' \
		"ah takes an authentication algorithm (-A) only at [-E]"
	bad 'add 2001:db8::1 2001:db8::2 esp 0x1001 -E null;' \
		"esp needs encryption or authentication, not both null (RFC 4303) at [-E]"
	bad 'add 2001:db8::1 2001:db8::2 esp 0x1001;' \
		"esp needs an encryption algorithm (-E) at [;]"
	bad 'add 2001:db8::1 2001:db8::2 esp 0x1001 -E aes-cbc "0123456789abcdef"' \
		"syntax error: expected ';' at [end of input]"
	bad 'add 2001:db8::1 2001:db8::2 esp-old 0x1001 -E null;' \
		"the old ESP and AH of RFC 1827/1829 are not supported at [esp-old]"
	bad 'add 2001:db8::1 2001:db8::2 esp 0x1001 -E aes-cbc "unterminated;' \
		'unterminated quoted string at ["unterminated;]'
	bad 'spdadd ::/0 ::/0 any -P out ipsec esp/tunnel//require;' \
		"tunnel mode needs both endpoints (SRC-DST) at [esp/tunnel//require]"
	bad 'spdadd ::/0 ::/0 any -P out ipsec esp;' \
		"too few arguments: PROTO/MODE/SRC-DST/LEVEL at [esp]"
	bad 'spdadd ::/0 ::/0 any -P out ipsec esp/transport//unique:0;' \
		"unique:N needs N from 1 to 16383 at [esp/transport//unique:0]"
	bad 'spdadd ::/0 ::/0 any -P out discard esp/transport//use;' \
		"requests only with ipsec at [esp/transport//use]"
	bad 'spdadd ::/0 ::/0 any -P out;' \
		"the policy needs an action (discard, none or ipsec) at [out]"
	bad 'spdadd ::/0 ::/0 any -P sideways discard;' \
		"unknown direction (in, out or fwd) at [sideways]"
	bad 'spdadd ::/0 ::/0 any -P out prio middle discard;' \
		"bad priority: N, BASE, BASE+N or BASE-N (BASE low, def or high) at [prio]"
	bad 'spdadd ::/0 ::/0 icmp6 135 -P in none;' "icmp6 needs TYPE,CODE at [135]"
	bad 'spdadd 2001:db8::/129 ::/0 any -P out none;' \
		"prefix length too big (at most 128) at [2001:db8::/129]"
	bad 'spdadd 2001:db8::/64[65536] ::/0 any -P out none;' \
		"port too big (at most 65535) at [2001:db8::/64[65536]]"
	bad 'add fe80::1%lo 2001:db8::2 esp 0x1001 -E null;' \
		"scoped addresses (%IF) are not supported at [fe80::1%lo]"
	# without -n too the whole file is parsed before the kernel is asked:
	# the parse error, not a netlink one, even with a good line before it
	check_tool_error "$TMP/bad.conf:3: scoped addresses" setkey -f "$TMP/bad.conf"
	# the error on line 3 of -c's input names the standard input
	check_tool_error "(stdin):3: unknown command at [bogus]" \
		sh -c "printf 'spdflush;\n\nbogus;\n' | setkey -n -c"
	log_test "setkey: a malformed file is one Error line FILE:LINE ... at [TOKEN], exit 1"
}

test_command_line() {
	local err rc
	RET=0
	err=$(setkey 2>&1 >/dev/null)
	rc=$?
	[ $rc -eq 1 ] && [[ $err == "usage: setkey "* ]] ||
		fail_case "no arguments: usage on stderr and exit 1, got $rc: $err"
	check_eq "-h: usage on stdout, exit 0" "usage: setkey [-njv] -c 0" \
		"$(setkey -h | head -n 1) $?"
	check_tool_error "files of raw PF_KEY messages are not supported" \
		setkey "$TMP/all.conf"
	check_tool_error "cannot open $TMP/nosuch.conf" setkey -n -f "$TMP/nosuch.conf"
	check_tool_error "-l goes with -D" setkey -l -F
	log_test "setkey: usage, -h, and the command line's errors"
}

test_every_form
test_malformed_files
test_command_line
exit "$EXIT_STATUS"
