// SPDX-License-Identifier: GPL-2.0
/*
 * ndp -r, -p: the default router list and the prefix list in the formats
 * of KAME's ndp (rtrlist(), plist()); -R, -P flush them. -H (harmonize
 * the routing table with the router list, KAME's SIOCSNDFLUSH_IN6)
 * removes the default route of the list and selects it again.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <linux/kame.h>
#include "ndp.h"

#define INFINITY_LFT	0xffffffffU

static const char *rtpref_str(uint8_t raflags)
{
	static const char *const s[] = { "medium", "high", "rsv", "low" };

	return s[(raflags >> 3) & 3];
}

static int rtr_cb(struct nlattr **tb, void *arg)
{
	char host[NI_MAXHOST], ifname[IF_NAMESIZE] = "?", flags[3] = "";
	char expire[32];
	struct in6_addr a;
	unsigned int ifindex;
	uint32_t exp;
	uint8_t raf;

	(void)arg;
	if (!tb[KAME_DEFRTR_A_ADDRESS] || !tb[KAME_DEFRTR_A_IFINDEX] ||
	    !tb[KAME_DEFRTR_A_RAFLAGS] || !tb[KAME_DEFRTR_A_EXPIRES] ||
	    nla_len(tb[KAME_DEFRTR_A_ADDRESS]) != 16)
		return -EPROTO;
	memcpy(&a, nla_data(tb[KAME_DEFRTR_A_ADDRESS]), 16);
	ifindex = nla_get_u32(tb[KAME_DEFRTR_A_IFINDEX]);
	raf = nla_get_u8(tb[KAME_DEFRTR_A_RAFLAGS]);
	exp = nla_get_u32(tb[KAME_DEFRTR_A_EXPIRES]);
	fmt_host(&a, ifindex, nflag, host, sizeof(host));
	if_indextoname(ifindex, ifname);
	if (raf & 0x80)
		strcat(flags, "M");
	if (raf & 0x40)
		strcat(flags, "O");
	sec2str(exp, expire, sizeof(expire));
	if (print_json) {
		print_open_obj(NULL);
		print_str("router", NULL, host);
		print_str("netif", NULL, ifname);
		print_str("flags", NULL, flags);
		print_str("pref", NULL, rtpref_str(raf));
		print_u64("expire", NULL, exp);
		if (tb[KAME_DEFRTR_A_LIFETIME])
			print_u64("lifetime", NULL,
				  nla_get_u32(tb[KAME_DEFRTR_A_LIFETIME]));
		print_bool("installed", NULL, tb[KAME_DEFRTR_A_INSTALLED]);
		print_close_obj();
		return 0;
	}
	printf("%s if=%s, flags=%s, pref=%s, expire=%s\n", host, ifname, flags,
	       rtpref_str(raf), exp == INFINITY_LFT ? "Never" : expire);
	return 0;
}

static const char *nbr_reach(uint8_t state)
{
	switch (state) {
	case KAME_ND_NOSTATE:
		return "no neighbor state";
	case KAME_ND_INCOMPLETE:
		return "unreachable";
	default:
		return "reachable";
	}
}

/* The routers of a prefix: text lines or a JSON array */
static int pfx_routers(const struct nlattr *all, unsigned int ifindex)
{
	struct nlattr *tb[KAME_PFXRTR_A_MAX + 1], *one;
	char host[NI_MAXHOST];
	struct in6_addr a;
	int rem, n = 0;
	uint8_t st;

	if (print_json)
		print_open_arr("advertised_by");
	nla_for_each_nested(one, all, rem) {
		if (nla_parse_nested(tb, KAME_PFXRTR_A_MAX, one, NULL) ||
		    !tb[KAME_PFXRTR_A_ADDRESS] || !tb[KAME_PFXRTR_A_STATE] ||
		    nla_len(tb[KAME_PFXRTR_A_ADDRESS]) != 16)
			return -EPROTO;
		memcpy(&a, nla_data(tb[KAME_PFXRTR_A_ADDRESS]), 16);
		st = nla_get_u8(tb[KAME_PFXRTR_A_STATE]);
		fmt_host(&a, ifindex, nflag, host, sizeof(host));
		if (print_json) {
			print_open_obj(NULL);
			print_str("router", NULL, host);
			print_str("state", NULL, nbr_reach(st));
			print_close_obj();
		} else {
			if (!n)
				printf("  advertised by\n");
			printf("    %s (%s)\n", host, nbr_reach(st));
		}
		n++;
	}
	if (print_json)
		print_close_arr();
	else if (!n)
		printf("  No advertising router\n");
	return 0;
}

static void pfx_flags(uint32_t f, char *buf)
{
	*buf = '\0';
	if (f & KAME_PFX_F_ONLINK)
		strcat(buf, "L");
	if (f & KAME_PFX_F_AUTO)
		strcat(buf, "A");
	if (f & KAME_PFX_F_INSTALLED)
		strcat(buf, "O");
	if (f & KAME_PFX_F_DETACHED)
		strcat(buf, "D");
}

static void pfx_text(const char *pfx, const char *ifname, const char *flags,
		     uint32_t vl, uint32_t pl, uint32_t exp, uint32_t ref)
{
	char buf[32];

	printf("%s if=%s\n", pfx, ifname);
	printf("flags=%s", flags);
	if (vl == INFINITY_LFT)
		printf(" vltime=infinity");
	else
		printf(" vltime=%u", vl);
	if (pl == INFINITY_LFT)
		printf(", pltime=infinity");
	else
		printf(", pltime=%u", pl);
	if (exp == INFINITY_LFT) {
		printf(", expire=Never");
	} else if (exp) {
		sec2str(exp, buf, sizeof(buf));
		printf(", expire=%s", buf);
	} else {
		printf(", expired");
	}
	printf(", ref=%u\n", ref);
}

static int pfx_cb(struct nlattr **tb, void *arg)
{
	char addr[INET6_ADDRSTRLEN], pfx[INET6_ADDRSTRLEN + 4], flags[8];
	char ifname[IF_NAMESIZE] = "?";
	uint32_t vl, pl, exp, ref, f;
	unsigned int ifindex;
	int i;

	(void)arg;
	for (i = KAME_PREFIX_A_PREFIX; i <= KAME_PREFIX_A_ROUTERS; i++)
		if (!tb[i])
			return -EPROTO;
	if (nla_len(tb[KAME_PREFIX_A_PREFIX]) != 16)
		return -EPROTO;
	inet_ntop(AF_INET6, nla_data(tb[KAME_PREFIX_A_PREFIX]), addr,
		  sizeof(addr));
	snprintf(pfx, sizeof(pfx), "%s/%u", addr,
		 nla_get_u8(tb[KAME_PREFIX_A_PREFIXLEN]));
	ifindex = nla_get_u32(tb[KAME_PREFIX_A_IFINDEX]);
	if_indextoname(ifindex, ifname);
	f = nla_get_u32(tb[KAME_PREFIX_A_FLAGS]);
	pfx_flags(f, flags);
	vl = nla_get_u32(tb[KAME_PREFIX_A_VLTIME]);
	pl = nla_get_u32(tb[KAME_PREFIX_A_PLTIME]);
	exp = nla_get_u32(tb[KAME_PREFIX_A_EXPIRES]);
	ref = nla_get_u32(tb[KAME_PREFIX_A_REFCNT]);
	if (print_json) {
		print_open_obj(NULL);
		print_str("prefix", NULL, pfx);
		print_str("netif", NULL, ifname);
		print_str("flags", NULL, flags);
		print_u64("vltime", NULL, vl);
		print_u64("pltime", NULL, pl);
		print_u64("expire", NULL, exp);
		print_u64("ref", NULL, ref);
	} else {
		pfx_text(pfx, ifname, flags, vl, pl, exp, ref);
	}
	if (pfx_routers(tb[KAME_PREFIX_A_ROUTERS], ifindex))
		return -EPROTO;
	if (print_json)
		print_close_obj();
	return 0;
}

int ndp_lists(struct knl *k, char mode)
{
	struct nl_msg *msg;

	switch (mode) {
	case 'r':
		msg = knl_msg(k, KAME_CMD_DEFRTR_GET, NLM_F_DUMP);
		knl_talk_or_die(k, msg, KAME_DEFRTR_A_MAX, rtr_cb, NULL);
		break;
	case 'p':
		msg = knl_msg(k, KAME_CMD_PREFIX_GET, NLM_F_DUMP);
		knl_talk_or_die(k, msg, KAME_PREFIX_A_MAX, pfx_cb, NULL);
		break;
	case 'R':
		msg = knl_msg(k, KAME_CMD_DEFRTR_FLUSH, 0);
		knl_talk_or_die(k, msg, KAME_DEFRTR_A_MAX, NULL, NULL);
		break;
	case 'P':
		msg = knl_msg(k, KAME_CMD_PREFIX_FLUSH, 0);
		knl_talk_or_die(k, msg, KAME_PREFIX_A_MAX, NULL, NULL);
		break;
	case 'H':
		msg = knl_msg(k, KAME_CMD_DEFRTR_HARMONIZE, 0);
		knl_talk_or_die(k, msg, KAME_DEFRTR_A_MAX, NULL, NULL);
		break;
	}
	return 0;
}
