// SPDX-License-Identifier: GPL-2.0
/*
 * kame stats [ ip6 ]: the stack's counters, netstat -s style, or JSON
 * keyed by KAME's counter names.
 */
#include <errno.h>
#include <stdio.h>
#include <linux/kame.h>
#include "kame.h"

/* In enum kame_ip6stat_id order: KAME's name, then netstat's wording. */
static const struct {
	const char *name;
	const char *text;
} ip6stat_names[__KAME_IP6S_MAX] = {
	[KAME_IP6S_TOTAL] = { "ip6s_total", "total packets received" },
	[KAME_IP6S_TOOSHORT] = { "ip6s_tooshort", "with data size < data length" },
	[KAME_IP6S_TOOSMALL] = { "ip6s_toosmall", "with size smaller than minimum" },
	[KAME_IP6S_BADVERS] = { "ip6s_badvers", "with incorrect version number" },
	[KAME_IP6S_CANTFORWARD] = { "ip6s_cantforward", "packets not forwardable" },
	[KAME_IP6S_NOMEM] = { "ip6s_nomem", "dropped for lack of memory" },
	[KAME_IP6S_OTHERHOST] = { "ip6s_otherhost", "frames for another link-layer address" },
};

static int print_ip6(struct nlattr **tb, void *arg)
{
	struct nlattr *a;
	int rem;

	(void)arg;
	if (!tb[KAME_STATS_A_COUNTERS])
		return -EPROTO;
	print_open_obj(NULL);
	print_text("ip6:\n");
	print_open_obj("ip6");
	nla_for_each_nested(a, tb[KAME_STATS_A_COUNTERS], rem) {
		int i = nla_type(a) - 1;
		char fmt[96];

		if (i < 0 || i >= __KAME_IP6S_MAX || !ip6stat_names[i].name)
			continue;	/* newer kernel: counter we cannot name */
		snprintf(fmt, sizeof(fmt), "\t%%" PRIu64 " %s\n",
			 ip6stat_names[i].text);
		print_u64(ip6stat_names[i].name, fmt, nla_get_u64(a));
	}
	print_close_obj();
	print_close_obj();
	return 0;
}

int do_stats(struct knl *k, int argc, char **argv)
{
	struct nl_msg *msg;

	if (argc > 0 && !streq(argv[0], "ip6"))
		invarg("unknown statistics group (known: ip6)", argv[0]);
	if (argc > 1)
		die("unexpected argument \"%s\"", argv[1]);
	msg = knl_msg(k, KAME_CMD_STATS_GET, 0);
	nla_put_u32(msg, KAME_STATS_A_GROUP, KAME_STATS_IP6);
	knl_talk_or_die(k, msg, KAME_STATS_A_MAX, print_ip6, NULL);
	return 0;
}
