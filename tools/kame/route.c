// SPDX-License-Identifier: GPL-2.0
/*
 * kame route show
 * kame route add PREFIX [ via GATEWAY ] [ dev DEV ] [ reject | blackhole ]
 * kame route add PREFIX nexthop NH [ nexthop NH ... ]
 * kame route del PREFIX [ via GATEWAY ] [ dev DEV ]
 *   PREFIX := { default | ADDR[/PLEN] }, GATEWAY := ADDR[%DEV]
 *   NH := via GATEWAY [ dev DEV ] [ weight 1-256 ]
 *
 * The table prints like BSD's netstat -rn -f inet6: Destination, Gateway,
 * Flags, Netif, Expire; link-local addresses as ADDR%IF, the gateway of a
 * route without one as link#IFINDEX. Each next hop of a multipath route
 * is a line of its own, flagged P.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kame.h>
#include "kame.h"

static const struct {
	uint32_t flag;
	char c;
} rt_flags[] = {
	{ KAME_RTF_UP, 'U' },
	{ KAME_RTF_GATEWAY, 'G' },
	{ KAME_RTF_HOST, 'H' },
	{ KAME_RTF_REJECT, 'R' },
	{ KAME_RTF_BLACKHOLE, 'B' },
	{ KAME_RTF_STATIC, 'S' },
	{ KAME_RTF_CONNECTED, 'C' },
	{ KAME_RTF_LOCAL, 'L' },
	{ KAME_RTF_RA, 'A' },
	{ KAME_RTF_MPATH, 'P' },
	{ KAME_RTF_DYNAMIC, 'D' },
};

static bool scoped(const struct in6_addr *a)
{
	return (a->s6_addr[0] == 0xfe && (a->s6_addr[1] & 0xc0) == 0x80) ||
	       (a->s6_addr[0] == 0xff && ((a->s6_addr[1] & 0x0f) == 1 ||
					  (a->s6_addr[1] & 0x0f) == 2));
}

/* ADDR, with %IF for a scoped address */
static void addr_text(char *buf, size_t len, const struct in6_addr *a,
		      const char *ifname)
{
	char s[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, a, s, sizeof(s));
	if (scoped(a))
		snprintf(buf, len, "%s%%%s", s, ifname);
	else
		snprintf(buf, len, "%s", s);
}

static void print_header(void)
{
	char h[160];

	snprintf(h, sizeof(h), "Routing tables\n\nInternet6:\n%-33s %-29s %-6s %8s %6s\n",
		 "Destination", "Gateway", "Flags", "Netif", "Expire");
	print_text(h);
}

static int print_route(struct nlattr **tb, void *arg)
{
	char ifname[IF_NAMESIZE] = "?", dst[INET6_ADDRSTRLEN + IF_NAMESIZE + 8];
	char gw[INET6_ADDRSTRLEN + IF_NAMESIZE + 8], plain[INET6_ADDRSTRLEN];
	char flags[16] = "", *f = flags, line[sizeof(dst) + sizeof(gw) + 4];
	const struct in6_addr *a;
	uint32_t fl, ifindex;
	unsigned int plen;
	size_t i;

	(void)arg;
	if (!tb[KAME_ROUTE_A_DST] || !tb[KAME_ROUTE_A_PREFIXLEN] ||
	    !tb[KAME_ROUTE_A_IFINDEX] || !tb[KAME_ROUTE_A_FLAGS])
		return -EPROTO;
	a = nla_data(tb[KAME_ROUTE_A_DST]);
	plen = nla_get_u8(tb[KAME_ROUTE_A_PREFIXLEN]);
	ifindex = nla_get_u32(tb[KAME_ROUTE_A_IFINDEX]);
	fl = nla_get_u32(tb[KAME_ROUTE_A_FLAGS]);
	if_indextoname(ifindex, ifname);
	for (i = 0; i < ARRAY_SIZE(rt_flags); i++)
		if (fl & rt_flags[i].flag)
			*f++ = rt_flags[i].c;
	*f = 0;

	addr_text(dst, sizeof(dst), a, ifname);
	if (!plen)
		snprintf(dst, sizeof(dst), "default");
	else if (plen < 128)
		snprintf(dst + strlen(dst), sizeof(dst) - strlen(dst), "/%u",
			 plen);
	if (tb[KAME_ROUTE_A_GATEWAY])
		addr_text(gw, sizeof(gw), nla_data(tb[KAME_ROUTE_A_GATEWAY]),
			  ifname);
	else
		snprintf(gw, sizeof(gw), "link#%u", ifindex);

	print_open_obj(NULL);
	snprintf(line, sizeof(line), "%-33s %-29s ", dst, gw);
	print_text(line);
	inet_ntop(AF_INET6, a, plain, sizeof(plain));
	print_str("dst", NULL, plain);
	print_u64("prefixlen", NULL, plen);
	if (tb[KAME_ROUTE_A_GATEWAY]) {
		inet_ntop(AF_INET6, nla_data(tb[KAME_ROUTE_A_GATEWAY]), plain,
			  sizeof(plain));
		print_str("gateway", NULL, plain);
	}
	print_str("flags", "%-6s ", flags);
	print_str("dev", "%8s", ifname);
	print_u64("ifindex", NULL, ifindex);
	if (tb[KAME_ROUTE_A_WEIGHT])
		print_u64("weight", NULL, nla_get_u32(tb[KAME_ROUTE_A_WEIGHT]));
	if (tb[KAME_ROUTE_A_EXPIRES])
		print_u64("expire", " %6" PRIu64,
			  nla_get_u32(tb[KAME_ROUTE_A_EXPIRES]));
	print_text("\n");
	print_close_obj();
	return 0;
}

static int route_show(struct knl *k, int argc, char **argv)
{
	if (argc > 0)
		die("unexpected argument \"%s\"", argv[0]);
	print_header();
	knl_talk_or_die(k, knl_msg(k, KAME_CMD_ROUTE_GET, NLM_F_DUMP),
			KAME_ROUTE_A_MAX, print_route, NULL);
	return 0;
}

/* PREFIX := { default | ADDR[/PLEN] }; no /PLEN: a host route */
static void parse_dst(const char *arg, struct in6_addr *a, int *plen)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash, *end;

	if (streq(arg, "default")) {
		memset(a, 0, sizeof(*a));
		*plen = 0;
		return;
	}
	if (snprintf(buf, sizeof(buf), "%s", arg) >= (int)sizeof(buf))
		invarg("not an IPv6 prefix", arg);
	*plen = 128;
	slash = strchr(buf, '/');
	if (slash) {
		*slash++ = 0;
		*plen = strtol(slash, &end, 10);
		if (!*slash || *end || *plen < 0 || *plen > 128)
			invarg("prefix length must be 0-128", arg);
	}
	if (inet_pton(AF_INET6, buf, a) != 1)
		invarg("not an IPv6 prefix", arg);
}

/* GATEWAY := ADDR[%DEV]; the interface goes to *dev */
static void parse_gw(const char *arg, struct in6_addr *a, const char **dev)
{
	static char buf[INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
	char *pct;

	if (snprintf(buf, sizeof(buf), "%s", arg) >= (int)sizeof(buf))
		invarg("not an IPv6 address", arg);
	pct = strchr(buf, '%');
	if (pct) {
		*pct++ = 0;
		if (*dev && !streq(*dev, pct))
			die("gateway interface \"%s\" differs from \"dev %s\"",
			    pct, *dev);
		*dev = pct;
	}
	if (inet_pton(AF_INET6, buf, a) != 1)
		invarg("not an IPv6 address", arg);
}

/* A next hop: via GATEWAY [ dev DEV ] [ weight W ] */
struct rt_nh {
	const char *via, *dev, *weight;
};

static void put_dev(struct nl_msg *msg, int attr, const char *dev)
{
	unsigned int ifindex = if_nametoindex(dev);

	if (!ifindex)
		die("interface \"%s\" does not exist", dev);
	nla_put_u32(msg, attr, ifindex);
}

/* KAME_ROUTE_A_MULTIPATH of the n next hops nhs */
static void put_nexthops(struct nl_msg *msg, struct rt_nh *nhs, int n)
{
	struct nlattr *mp = nla_nest_start(msg, KAME_ROUTE_A_MULTIPATH), *one;
	struct in6_addr gw;
	unsigned long w;
	char *end;
	int i;

	for (i = 0; i < n; i++) {
		if (!nhs[i].via)
			missarg("gateway (\"via\") of a next hop");
		parse_gw(nhs[i].via, &gw, &nhs[i].dev);
		one = nla_nest_start(msg, KAME_ROUTE_A_NEXTHOP);
		nla_put(msg, KAME_NEXTHOP_A_GATEWAY, sizeof(gw), &gw);
		if (nhs[i].dev)
			put_dev(msg, KAME_NEXTHOP_A_IFINDEX, nhs[i].dev);
		if (nhs[i].weight) {
			w = strtoul(nhs[i].weight, &end, 10);
			if (!*nhs[i].weight || *end || w < 1 || w > 256)
				invarg("weight must be 1-256", nhs[i].weight);
			nla_put_u32(msg, KAME_NEXTHOP_A_WEIGHT, w);
		}
		nla_nest_end(msg, one);
	}
	nla_nest_end(msg, mp);
}

/* "dev DEV", "via GW" or "weight W" at argv[*i]: the value */
static const char *route_arg(int argc, char **argv, int *i)
{
	if (*i + 1 >= argc) {
		if (streq(argv[*i], "dev"))
			missarg("interface name after \"dev\"");
		if (streq(argv[*i], "via"))
			missarg("gateway address after \"via\"");
		missarg("number after \"weight\"");
	}
	return argv[++*i];
}

static int route_change(struct knl *k, int cmd, int argc, char **argv)
{
	const char *dev = NULL, *pfx = NULL, *via = NULL;
	struct rt_nh *nhs = calloc(argc + 1, sizeof(*nhs)), *nh = NULL;
	struct in6_addr dst, gw;
	uint32_t flags = 0;
	struct nl_msg *msg;
	int plen, i, n = 0;

	if (!nhs)
		die("out of memory");
	for (i = 0; i < argc; i++) {
		if (streq(argv[i], "nexthop") && cmd == KAME_CMD_ROUTE_NEW) {
			if (dev || via || flags)
				die("\"nexthop\" excludes \"via\", \"dev\", \"reject\" and \"blackhole\" before it");
			nh = &nhs[n++];
		} else if (nh && streq(argv[i], "via")) {
			nh->via = route_arg(argc, argv, &i);
		} else if (nh && streq(argv[i], "dev")) {
			nh->dev = route_arg(argc, argv, &i);
		} else if (nh && streq(argv[i], "weight")) {
			nh->weight = route_arg(argc, argv, &i);
		} else if (nh && (streq(argv[i], "reject") ||
				  streq(argv[i], "blackhole"))) {
			die("a multipath route is neither reject nor blackhole");
		} else if (streq(argv[i], "dev") || streq(argv[i], "via")) {
			if (i + 1 >= argc)
				missarg(argv[i][0] == 'd' ?
					"interface name after \"dev\"" :
					"gateway address after \"via\"");
			if (argv[i][0] == 'd')
				dev = argv[++i];
			else
				via = argv[++i];
		} else if (streq(argv[i], "reject") && cmd == KAME_CMD_ROUTE_NEW) {
			flags |= KAME_RTF_REJECT;
		} else if (streq(argv[i], "blackhole") &&
			   cmd == KAME_CMD_ROUTE_NEW) {
			flags |= KAME_RTF_BLACKHOLE;
		} else if (!pfx) {
			pfx = argv[i];
		} else {
			die("unexpected argument \"%s\"", argv[i]);
		}
	}
	if (!pfx)
		missarg("prefix");
	parse_dst(pfx, &dst, &plen);
	if (n) {
		msg = knl_msg(k, cmd, 0);
		nla_put(msg, KAME_ROUTE_A_DST, sizeof(dst), &dst);
		nla_put_u8(msg, KAME_ROUTE_A_PREFIXLEN, plen);
		put_nexthops(msg, nhs, n);
		knl_talk_or_die(k, msg, KAME_ROUTE_A_MAX, NULL, NULL);
		free(nhs);
		return 0;
	}
	free(nhs);
	if (via)
		parse_gw(via, &gw, &dev);

	msg = knl_msg(k, cmd, 0);
	nla_put(msg, KAME_ROUTE_A_DST, sizeof(dst), &dst);
	nla_put_u8(msg, KAME_ROUTE_A_PREFIXLEN, plen);
	if (via)
		nla_put(msg, KAME_ROUTE_A_GATEWAY, sizeof(gw), &gw);
	if (dev)
		put_dev(msg, KAME_ROUTE_A_IFINDEX, dev);
	if (flags)
		nla_put_u32(msg, KAME_ROUTE_A_FLAGS, flags);
	knl_talk_or_die(k, msg, KAME_ROUTE_A_MAX, NULL, NULL);
	return 0;
}

int do_route(struct knl *k, int argc, char **argv)
{
	if (argc < 1 || streq(argv[0], "show") || streq(argv[0], "list"))
		return route_show(k, argc ? argc - 1 : 0, argv + 1);
	if (streq(argv[0], "add"))
		return route_change(k, KAME_CMD_ROUTE_NEW, argc - 1, argv + 1);
	if (streq(argv[0], "del") || streq(argv[0], "delete"))
		return route_change(k, KAME_CMD_ROUTE_DEL, argc - 1, argv + 1);
	die("command \"%s\" is unknown, try \"kame route help\"", argv[0]);
}
