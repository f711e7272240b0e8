// SPDX-License-Identifier: GPL-2.0
/*
 * kame sysctl [ NAME [ VALUE ] ]: the stack's knobs, printed as BSD
 * sysctl(8) does ("name: value").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/kame.h>
#include "kame.h"

static int print_knob(struct nlattr **tb, void *arg)
{
	(void)arg;
	if (!tb[KAME_SYSCTL_A_NAME] || !tb[KAME_SYSCTL_A_VALUE])
		return -EPROTO;
	print_open_obj(NULL);
	print_str("name", "%s: ", nla_get_string(tb[KAME_SYSCTL_A_NAME]));
	print_u64("value", "%" PRIu64 "\n", nla_get_u32(tb[KAME_SYSCTL_A_VALUE]));
	if (tb[KAME_SYSCTL_A_MIN])
		print_u64("min", NULL, nla_get_u32(tb[KAME_SYSCTL_A_MIN]));
	if (tb[KAME_SYSCTL_A_MAX])
		print_u64("max", NULL, nla_get_u32(tb[KAME_SYSCTL_A_MAX]));
	print_close_obj();
	return 0;
}

int do_sysctl(struct knl *k, int argc, char **argv)
{
	struct nl_msg *msg;
	char *end;
	unsigned long v;

	if (argc > 2)
		die("unexpected argument \"%s\"", argv[2]);
	if (argc == 2) {
		v = strtoul(argv[1], &end, 0);
		if (!*argv[1] || *end || v > 0xffffffffUL)
			invarg("value must be an unsigned 32-bit number", argv[1]);
		msg = knl_msg(k, KAME_CMD_SYSCTL_SET, 0);
		nla_put_string(msg, KAME_SYSCTL_A_NAME, argv[0]);
		nla_put_u32(msg, KAME_SYSCTL_A_VALUE, v);
		knl_talk_or_die(k, msg, KAME_SYSCTL_A_MAX_ATTR, NULL, NULL);
	}
	if (argc >= 1) {
		msg = knl_msg(k, KAME_CMD_SYSCTL_GET, 0);
		nla_put_string(msg, KAME_SYSCTL_A_NAME, argv[0]);
	} else {
		msg = knl_msg(k, KAME_CMD_SYSCTL_GET, NLM_F_DUMP);
	}
	knl_talk_or_die(k, msg, KAME_SYSCTL_A_MAX_ATTR, print_knob, NULL);
	return 0;
}
