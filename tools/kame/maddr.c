// SPDX-License-Identifier: GPL-2.0
/*
 * kame maddr show [ dev DEV ]: the multicast groups of the attached
 * interfaces, ip -6 maddr style, with each group's users and its MLD
 * listener state:
 *   2:<TAB>veth0
 *   <TAB>inet6 ff02::1:ff00:1 users 1 mld v2 idle
 *   <TAB>inet6 ff12::1234 users 1 sockets 1 mld v2 reporting timer 840ms
 *   <TAB>inet6 ff3e::1 users 1 sockets 1 mld v2 idle mode include sources
 *        2001:db8::2,2001:db8::3 (one line)
 * "mode ... sources ..." when the group's filter is not EXCLUDE {} (any
 * source).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <linux/kame.h>
#include "kame.h"

static const char *const mld_states[] = {
	[KAME_MLD_S_NOT_REPORTED] = "none",
	[KAME_MLD_S_IDLE] = "idle",
	[KAME_MLD_S_DELAYING] = "delaying",
	[KAME_MLD_S_REPORTING] = "reporting",
};

static uint32_t attr_u32(struct nlattr *a)
{
	return a ? nla_get_u32(a) : 0;
}

static uint8_t attr_u8(struct nlattr *a)
{
	return a ? nla_get_u8(a) : 0;
}

/* The filter: "mode" always in JSON, in text unless EXCLUDE {}. */
static void print_sources(struct nlattr **tb)
{
	bool inc = attr_u8(tb[KAME_MADDR_A_MLD_MODE]) == 1;
	struct nlattr *a = tb[KAME_MADDR_A_SOURCES], *s;
	char abuf[INET6_ADDRSTRLEN];
	const char *sep = " sources ";
	int rem;

	print_str("mode", inc || a ? " mode %s" : NULL,
		  inc ? "include" : "exclude");
	print_open_arr("sources");
	if (a) {
		nla_for_each_nested(s, a, rem) {
			if (nla_type(s) != KAME_MADDR_SRC_A_ADDR ||
			    nla_len(s) != sizeof(struct in6_addr))
				continue;
			inet_ntop(AF_INET6, nla_data(s), abuf, sizeof(abuf));
			print_text(sep);
			print_str(NULL, "%s", abuf);
			sep = ",";
		}
	}
	print_close_arr();
}

static int print_maddr(struct nlattr **tb, void *arg)
{
	uint32_t *last = arg, ifindex, socks, timer;
	char abuf[INET6_ADDRSTRLEN], ifn[IF_NAMESIZE], hdr[IF_NAMESIZE + 16];
	uint8_t st;

	if (!tb[KAME_MADDR_A_IFINDEX] || !tb[KAME_MADDR_A_GROUP] ||
	    nla_len(tb[KAME_MADDR_A_GROUP]) != sizeof(struct in6_addr))
		return -EPROTO;
	ifindex = nla_get_u32(tb[KAME_MADDR_A_IFINDEX]);
	if (!if_indextoname(ifindex, ifn))
		snprintf(ifn, sizeof(ifn), "%u", ifindex);
	if (ifindex != *last) {
		snprintf(hdr, sizeof(hdr), "%u:\t%s\n", ifindex, ifn);
		print_text(hdr);
		*last = ifindex;
	}
	inet_ntop(AF_INET6, nla_data(tb[KAME_MADDR_A_GROUP]), abuf,
		  sizeof(abuf));
	st = attr_u8(tb[KAME_MADDR_A_MLD_STATE]);
	socks = attr_u32(tb[KAME_MADDR_A_SOCKETS]);
	timer = attr_u32(tb[KAME_MADDR_A_MLD_TIMER]);
	print_open_obj(NULL);
	print_u64("ifindex", NULL, ifindex);
	print_str("ifname", NULL, ifn);
	print_str("group", "\tinet6 %s", abuf);
	print_u64("users", " users %" PRIu64,
		  attr_u32(tb[KAME_MADDR_A_USERS]));
	if (socks)
		print_u64("sockets", " sockets %" PRIu64, socks);
	else
		print_u64("sockets", NULL, 0);
	print_u64("mld_version", " mld v%" PRIu64,
		  attr_u8(tb[KAME_MADDR_A_MLD_VERSION]));
	print_str("mld_state", " %s",
		  st < ARRAY_SIZE(mld_states) ? mld_states[st] : "?");
	print_sources(tb);
	if (timer)
		print_u64("timer_ms", " timer %" PRIu64 "ms", timer);
	else
		print_u64("timer_ms", NULL, 0);
	print_text("\n");
	print_close_obj();
	return 0;
}

static int maddr_show(struct knl *k, int argc, char **argv)
{
	struct nl_msg *msg = knl_msg(k, KAME_CMD_MADDR_GET, NLM_F_DUMP);
	uint32_t last = 0;

	unsigned int ifindex = parse_dev_filter(argc, argv);

	if (ifindex)
		nla_put_u32(msg, KAME_MADDR_A_IFINDEX, ifindex);
	knl_talk_or_die(k, msg, KAME_MADDR_A_MAX, print_maddr, &last);
	return 0;
}

int do_maddr(struct knl *k, int argc, char **argv)
{
	if (argc < 1 || streq(argv[0], "show") || streq(argv[0], "list"))
		return maddr_show(k, argc ? argc - 1 : 0, argv + 1);
	die("command \"%s\" is unknown, try \"kame maddr help\"", argv[0]);
}
