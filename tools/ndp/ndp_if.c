// SPDX-License-Identifier: GPL-2.0
/*
 * ndp -i (per-interface ND parameters), -I (default interface) and the
 * router and prefix list modes (-r, -p, -R, -P, -H).
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/kame.h>
#include "ndp.h"

#define DEFIF_KNOB	"net.inet6.icmp6.nd6_defifindex"

static const struct {
	const char *name;
	uint32_t flag;
} ndif_flags[] = {	/* in the order ndp prints them */
	{ "disabled", KAME_NDIF_F_DISABLED },
	{ "nud", KAME_NDIF_F_NUD },
	{ "accept_rtadv", KAME_NDIF_F_ACCEPT_RTADV },
	{ "auto_linklocal", KAME_NDIF_F_AUTO_LINKLOCAL },
};

static uint32_t get_u32(struct nlattr **tb, int a)
{
	return tb[a] ? nla_get_u32(tb[a]) : 0;
}

static int print_ifinfo(struct nlattr **tb, void *arg)
{
	uint32_t flags = get_u32(tb, KAME_NDIF_A_FLAGS);
	uint32_t br = get_u32(tb, KAME_NDIF_A_BASEREACHABLE);
	uint32_t rt = get_u32(tb, KAME_NDIF_A_RETRANS);
	unsigned int hlim = tb[KAME_NDIF_A_CURHLIM] ?
			    nla_get_u8(tb[KAME_NDIF_A_CURHLIM]) : 0;
	size_t i;

	print_open_obj(NULL);
	print_str("ifname", NULL, (const char *)arg);
	print_u64("linkmtu", "linkmtu=%" PRIu64, get_u32(tb, KAME_NDIF_A_LINKMTU));
	print_u64("maxmtu", ", maxmtu=%" PRIu64, get_u32(tb, KAME_NDIF_A_MAXMTU));
	print_u64("curhlim", ", curhlim=%" PRIu64, hlim);
	if (print_json) {
		print_u64("basereachable", NULL, br);
		print_u64("reachable", NULL, get_u32(tb, KAME_NDIF_A_REACHABLE));
		print_u64("retrans", NULL, rt);
		print_u64("dad_transmits", NULL,
			  tb[KAME_NDIF_A_DAD_TRANSMITS] ?
			  nla_get_u8(tb[KAME_NDIF_A_DAD_TRANSMITS]) : 0);
	} else {
		printf(", basereachable=%us%ums", br / 1000, br % 1000);
		printf(", reachable=%us",
		       get_u32(tb, KAME_NDIF_A_REACHABLE) / 1000);
		printf(", retrans=%us%ums", rt / 1000, rt % 1000);
	}
	if (flags)
		print_text("\nFlags: ");
	print_open_arr("flags");
	for (i = 0; i < ARRAY_SIZE(ndif_flags); i++)
		if (flags & ndif_flags[i].flag)
			print_str(NULL, "%s ", ndif_flags[i].name);
	print_close_arr();
	print_text("\n");
	print_close_obj();
	return 0;
}

struct ndif_set {
	uint32_t flags, mask;
	long br, rt, hlim;
};

/* One expression of ndp -i: a flag, -flag, or name=value. */
static void ndif_expr(const char *e, struct ndif_set *s)
{
	static const struct {
		const char *name;
		unsigned long min, max;
		size_t off;
	} vals[] = {
		{ "basereachable", 1, 3600000, offsetof(struct ndif_set, br) },
		{ "retrans", 1, 3600000, offsetof(struct ndif_set, rt) },
		{ "curhlim", 1, 255, offsetof(struct ndif_set, hlim) },
	};
	const char *name = e + (*e == '-');
	unsigned long v;
	char *end;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ndif_flags); i++) {
		if (strcmp(name, ndif_flags[i].name))
			continue;
		s->mask |= ndif_flags[i].flag;
		if (*e == '-')
			s->flags &= ~ndif_flags[i].flag;
		else
			s->flags |= ndif_flags[i].flag;
		return;
	}
	for (i = 0; i < ARRAY_SIZE(vals); i++) {
		size_t len = strlen(vals[i].name);
		const char *eq;

		if (strncmp(e, vals[i].name, len))
			continue;
		eq = strchr(e, '=');
		if (!eq)
			invarg("expected NAME=VALUE", e);
		errno = 0;
		v = strtoul(eq + 1, &end, 0);
		if (!eq[1] || *end || errno || v < vals[i].min ||
		    v > vals[i].max || eq[1] == '-')
			invarg("value out of range", e);
		*(long *)((char *)s + vals[i].off) = (long)v;
		return;
	}
	invarg("unknown expression (known: [-]nud, [-]accept_rtadv, [-]auto_linklocal, [-]disabled, basereachable=, retrans=, curhlim=)",
	       e);
}

int ndp_ifinfo(struct knl *k, const char *ifname, int argc, char **argv)
{
	unsigned int ifindex = if_nametoindex(ifname);
	struct ndif_set s = { .br = -1, .rt = -1, .hlim = -1 };
	struct nl_msg *msg;
	int i;

	if (!ifindex)
		die("invalid interface %s", ifname);
	for (i = 0; i < argc; i++)
		ndif_expr(argv[i], &s);
	if (argc) {
		msg = knl_msg(k, KAME_CMD_NDIF_SET, 0);
		nla_put_u32(msg, KAME_NDIF_A_IFINDEX, ifindex);
		if (s.mask) {
			nla_put_u32(msg, KAME_NDIF_A_FLAGS, s.flags);
			nla_put_u32(msg, KAME_NDIF_A_FLAGS_MASK, s.mask);
		}
		if (s.br >= 0)
			nla_put_u32(msg, KAME_NDIF_A_BASEREACHABLE, s.br);
		if (s.rt >= 0)
			nla_put_u32(msg, KAME_NDIF_A_RETRANS, s.rt);
		if (s.hlim >= 0)
			nla_put_u8(msg, KAME_NDIF_A_CURHLIM, s.hlim);
		knl_talk_or_die(k, msg, KAME_NDIF_A_MAX, NULL, NULL);
	}
	msg = knl_msg(k, KAME_CMD_NDIF_GET, 0);
	nla_put_u32(msg, KAME_NDIF_A_IFINDEX, ifindex);
	knl_talk_or_die(k, msg, KAME_NDIF_A_MAX, print_ifinfo, (void *)ifname);
	return 0;
}

static int knob_cb(struct nlattr **tb, void *arg)
{
	if (!tb[KAME_SYSCTL_A_VALUE])
		return -EPROTO;
	*(uint32_t *)arg = nla_get_u32(tb[KAME_SYSCTL_A_VALUE]);
	return 0;
}

static int ndif_exists_cb(struct nlattr **tb, void *arg)
{
	(void)tb;
	(void)arg;
	return 0;
}

/* ndp -I [IF|delete]: the default interface, a knob of the namespace. */
int ndp_defif(struct knl *k, const char *arg)
{
	char name[IF_NAMESIZE];
	struct nl_msg *msg;
	uint32_t idx = 0;

	if (arg) {
		if (strcmp(arg, "delete")) {
			idx = if_nametoindex(arg);
			if (!idx)
				die("invalid interface %s", arg);
			msg = knl_msg(k, KAME_CMD_NDIF_GET, 0);
			nla_put_u32(msg, KAME_NDIF_A_IFINDEX, idx);
			knl_talk_or_die(k, msg, KAME_NDIF_A_MAX,
					ndif_exists_cb, NULL);
		}
		msg = knl_msg(k, KAME_CMD_SYSCTL_SET, 0);
		nla_put_string(msg, KAME_SYSCTL_A_NAME, DEFIF_KNOB);
		nla_put_u32(msg, KAME_SYSCTL_A_VALUE, idx);
		knl_talk_or_die(k, msg, KAME_SYSCTL_A_MAX_ATTR, NULL, NULL);
	}
	msg = knl_msg(k, KAME_CMD_SYSCTL_GET, 0);
	nla_put_string(msg, KAME_SYSCTL_A_NAME, DEFIF_KNOB);
	knl_talk_or_die(k, msg, KAME_SYSCTL_A_MAX_ATTR, knob_cb, &idx);
	if (print_json) {
		print_open_obj(NULL);
		print_str("default_interface", NULL,
			  idx && if_indextoname(idx, name) ? name : "");
		print_close_obj();
	} else if (idx && if_indextoname(idx, name)) {
		printf("ND default interface = %s\n", name);
	} else {
		printf("No default interface.\n");
	}
	return 0;
}
