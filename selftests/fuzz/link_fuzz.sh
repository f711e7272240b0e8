#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The rtnetlink link kinds of kame_gif.ko ("gif") and kame_stf.ko ("stf")
# under random and mutated RTM_NEWLINK, RTM_SETLINK, RTM_DELLINK and
# RTM_GETLINK requests: link_fuzz (selftests/fuzz/link_fuzz.c, its own
# kselftest cases: as root, unprivileged and as root of a user namespace,
# each in a network namespace of its own) checks the answers, the
# devices and the namespace afterwards; here both modules are loaded
# first, the kernel log must stay quiet but for rtnetlink's own notes on
# attributes of the wrong length, and both modules unload once the
# namespaces are gone. LINK_FUZZ_N (3000) and LINK_FUZZ_SEED reach
# link_fuzz.
source "$(dirname "$0")/../lib.sh"

: "${KAME_GIF_KO:=$KAME_TOP/kmod/gif/kame_gif.ko}"
: "${KAME_STF_KO:=$KAME_TOP/kmod/stf/kame_stf.ko}"
LINK_FUZZ=$KAME_TOP/build/helpers/fuzz/link_fuzz

cleanup_link_fuzz() {
	cleanup_all_ns
	rmmod kame_stf 2>/dev/null
	rmmod kame_gif 2>/dev/null
}
trap cleanup_link_fuzz EXIT

# The kernel log's lines since line $1, but those kame_dmesg_lines skips
# and what rtnetlink says about what link_fuzz sends on purpose (nlattr.c:
# an attribute longer than its type, bytes after the last attribute of a
# nest; do_setlink(): a change of a device's IFLA_INFO_DATA accepted
# before another part of the request was refused) and their rate limits.
dmesg_new() {
	dmesg | tail -n +"$(($1 + 1))" |
		grep -Ev "promiscuous mode|hrtimer: interrupt took" |
		grep -Ev "netlink: 'link_fuzz': attribute type [0-9]+ has an invalid length" |
		grep -Ev "netlink: [0-9]+ bytes leftover after parsing attributes in process .link_fuzz'" |
		grep -Ev "A link change request failed with some changes committed already" |
		grep -Ev "(validate_nla|__nla_validate_parse|net_ratelimit): [0-9]+ callbacks suppressed"
}

RET=0
modprobe tunnel4 2>/dev/null	# built in on the sanitizer kernel
check insmod "$KAME_GIF_KO"
check insmod "$KAME_STF_KO"
log_test "link_fuzz: kame_gif and kame_stf load"
[ "$RET" = 0 ] || exit "$EXIT_STATUS"

dm0=$(dmesg | wc -l)
# link_fuzz's TAP lines are this test's cases
"$LINK_FUZZ"
rc=$?

RET=0
[ "$rc" = 0 ] || [ "$rc" = 4 ] || fail_case "link_fuzz exited $rc"
log=$(dmesg_new "$dm0")
[ -n "$log" ] && head -n 20 <<<"$log" | sed 's/^/# /'
check_eq "new kernel log lines" 0 "$(grep -c . <<<"$log")"
log_test "link_fuzz: exit status, no kernel log line"

# The namespaces went with link_fuzz's processes (their teardown runs in
# the background): rmmod waits for it and must then find no gif or stf.
RET=0
check timeout 120 rmmod kame_stf
check timeout 120 rmmod kame_gif
check_eq "modules gone" "" "$(ls -d /sys/module/kame_stf /sys/module/kame_gif 2>/dev/null)"
log=$(dmesg_new "$dm0")
[ -n "$log" ] && head -n 20 <<<"$log" | sed 's/^/# /'
check_eq "new kernel log lines after rmmod" 0 "$(grep -c . <<<"$log")"
log_test "link_fuzz: namespaces gone, kame_stf and kame_gif unload"
exit "$EXIT_STATUS"
