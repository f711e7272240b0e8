// SPDX-License-Identifier: GPL-2.0
/*
 * kame addr add ADDR[/PLEN] dev DEV [ anycast ] [ valid_lft LFT ]
 *                                    [ preferred_lft LFT ]
 * kame addr del ADDR dev DEV
 * kame addr show [ dev DEV ]
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kame.h>
#include "kame.h"

static const struct {
	uint32_t flag;
	const char *name;
} addr_flags[] = {
	{ KAME_ADDR_F_TENTATIVE, "tentative" },
	{ KAME_ADDR_F_DUPLICATED, "duplicated" },
	{ KAME_ADDR_F_DEPRECATED, "deprecated" },
	{ KAME_ADDR_F_ANYCAST, "anycast" },
	{ KAME_ADDR_F_AUTOCONF, "autoconf" },
	{ KAME_ADDR_F_DETACHED, "detached" },
	{ KAME_ADDR_F_TEMPORARY, "temporary" },
};

static void parse_prefix(const char *arg, struct in6_addr *a, int *plen)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash, *end;

	if (snprintf(buf, sizeof(buf), "%s", arg) >= (int)sizeof(buf))
		invarg("not an IPv6 address", arg);
	slash = strchr(buf, '/');
	if (slash) {
		*slash++ = 0;
		*plen = strtol(slash, &end, 10);
		if (!*slash || *end || *plen < 0 || *plen > 128)
			invarg("prefix length must be 0-128", arg);
	}
	if (inet_pton(AF_INET6, buf, a) != 1)
		invarg("not an IPv6 address", arg);
}

/* LFT := { SECONDS | forever } */
static uint32_t parse_lft(const char *arg)
{
	unsigned long v;
	char *end;

	if (streq(arg, "forever") || streq(arg, "infinity"))
		return KAME_LFT_INFINITY;
	v = strtoul(arg, &end, 10);
	if (!*arg || *end || v >= KAME_LFT_INFINITY)
		invarg("lifetime must be a number of seconds or \"forever\"",
		       arg);
	return v;
}

static void print_lft(const char *key, const char *txt, struct nlattr *a)
{
	char fmt[48];
	uint32_t v;

	if (!a)
		return;
	v = nla_get_u32(a);
	if (v == KAME_LFT_INFINITY) {
		snprintf(fmt, sizeof(fmt), " %s %%s", txt);
		print_str(key, fmt, "forever");
	} else {
		snprintf(fmt, sizeof(fmt), " %s %%" PRIu64 "sec", txt);
		print_u64(key, fmt, v);
	}
}

static int print_addr(struct nlattr **tb, void *arg)
{
	char abuf[INET6_ADDRSTRLEN], ifname[IF_NAMESIZE] = "?";
	uint32_t flags = 0;
	size_t i;

	(void)arg;
	if (!tb[KAME_ADDR_A_IFINDEX] || !tb[KAME_ADDR_A_ADDRESS])
		return -EPROTO;
	if_indextoname(nla_get_u32(tb[KAME_ADDR_A_IFINDEX]), ifname);
	inet_ntop(AF_INET6, nla_data(tb[KAME_ADDR_A_ADDRESS]), abuf,
		  sizeof(abuf));
	if (tb[KAME_ADDR_A_FLAGS])
		flags = nla_get_u32(tb[KAME_ADDR_A_FLAGS]);
	print_open_obj(NULL);
	print_str("ifname", "%s: ", ifname);
	print_str("address", "inet6 %s", abuf);
	print_u64("prefixlen", "/%" PRIu64,
		  tb[KAME_ADDR_A_PREFIXLEN] ?
		  nla_get_u8(tb[KAME_ADDR_A_PREFIXLEN]) : 128);
	print_open_arr("flags");
	for (i = 0; i < ARRAY_SIZE(addr_flags); i++)
		if (flags & addr_flags[i].flag)
			print_str(NULL, " %s", addr_flags[i].name);
	print_close_arr();
	print_lft("valid_lft", "valid_lft", tb[KAME_ADDR_A_VALID_LFT]);
	print_lft("preferred_lft", "preferred_lft",
		  tb[KAME_ADDR_A_PREFERRED_LFT]);
	print_text("\n");
	print_close_obj();
	return 0;
}

static int addr_change(struct knl *k, int cmd, int argc, char **argv)
{
	const char *dev = NULL, *pfx = NULL;
	uint32_t flags = 0, valid = KAME_LFT_INFINITY;
	uint32_t preferred = KAME_LFT_INFINITY;
	struct in6_addr a;
	struct nl_msg *msg;
	int plen = 64, i;
	unsigned int ifindex;

	for (i = 0; i < argc; i++) {
		if (streq(argv[i], "dev")) {
			if (++i >= argc)
				missarg("interface name after \"dev\"");
			dev = argv[i];
		} else if (streq(argv[i], "anycast") && cmd == KAME_CMD_ADDR_NEW) {
			flags |= KAME_ADDR_F_ANYCAST;
		} else if ((streq(argv[i], "valid_lft") ||
			    streq(argv[i], "preferred_lft")) &&
			   cmd == KAME_CMD_ADDR_NEW) {
			if (i + 1 >= argc)
				missarg("lifetime");
			if (argv[i][0] == 'v')
				valid = parse_lft(argv[i + 1]);
			else
				preferred = parse_lft(argv[i + 1]);
			i++;
		} else if (!pfx) {
			pfx = argv[i];
		} else {
			die("unexpected argument \"%s\"", argv[i]);
		}
	}
	if (!pfx)
		missarg("address");
	if (!dev)
		missarg("\"dev DEV\"");
	parse_prefix(pfx, &a, &plen);
	ifindex = if_nametoindex(dev);
	if (!ifindex)
		die("interface \"%s\" does not exist", dev);

	msg = knl_msg(k, cmd, 0);
	nla_put_u32(msg, KAME_ADDR_A_IFINDEX, ifindex);
	nla_put(msg, KAME_ADDR_A_ADDRESS, sizeof(a), &a);
	if (cmd == KAME_CMD_ADDR_NEW) {
		nla_put_u8(msg, KAME_ADDR_A_PREFIXLEN, plen);
		if (flags)
			nla_put_u32(msg, KAME_ADDR_A_FLAGS, flags);
		nla_put_u32(msg, KAME_ADDR_A_VALID_LFT, valid);
		nla_put_u32(msg, KAME_ADDR_A_PREFERRED_LFT, preferred);
	}
	knl_talk_or_die(k, msg, KAME_ADDR_A_MAX, NULL, NULL);
	return 0;
}

static int addr_show(struct knl *k, int argc, char **argv)
{
	struct nl_msg *msg = knl_msg(k, KAME_CMD_ADDR_GET, NLM_F_DUMP);

	unsigned int ifindex = parse_dev_filter(argc, argv);

	if (ifindex)
		nla_put_u32(msg, KAME_ADDR_A_IFINDEX, ifindex);
	knl_talk_or_die(k, msg, KAME_ADDR_A_MAX, print_addr, NULL);
	return 0;
}

int do_addr(struct knl *k, int argc, char **argv)
{
	if (argc < 1 || streq(argv[0], "show") || streq(argv[0], "list"))
		return addr_show(k, argc ? argc - 1 : 0, argv + 1);
	if (streq(argv[0], "add"))
		return addr_change(k, KAME_CMD_ADDR_NEW, argc - 1, argv + 1);
	if (streq(argv[0], "del") || streq(argv[0], "delete"))
		return addr_change(k, KAME_CMD_ADDR_DEL, argc - 1, argv + 1);
	die("command \"%s\" is unknown, try \"kame addr help\"", argv[0]);
}
