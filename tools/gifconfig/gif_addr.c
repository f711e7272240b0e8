// SPDX-License-Identifier: GPL-2.0
/*
 * The addresses gifconfig shows for a gif: inet from Linux (an
 * RTM_GETADDR dump), inet6 from the KAME stack (KAME_CMD_ADDR_GET of the
 * "kame" generic netlink family, as `kame addr show`).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/msg.h>
#include <linux/kame.h>
#include "gifconfig.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct addr_list {
	struct gif_addr *v;
	size_t n, cap;
};

static int addr4_cb(struct nlmsghdr *nlh, void *arg)
{
	const struct ifaddrmsg *ifa = nlmsg_data(nlh);
	struct nlattr *tb[IFA_MAX + 1], *local, *addr;
	struct addr_list *al = arg;
	struct gif_addr *a;

	if (nlh->nlmsg_type != RTM_NEWADDR ||
	    nlmsg_parse(nlh, sizeof(*ifa), tb, IFA_MAX, NULL))
		return -EPROTO;
	if (ifa->ifa_family != AF_INET)
		return 0;
	local = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	addr = tb[IFA_ADDRESS];
	if (!local || nla_len(local) != 4)
		return 0;
	al->v = grow(al->v, &al->cap, al->n, sizeof(*al->v));
	a = &al->v[al->n++];
	memset(a, 0, sizeof(*a));
	a->ifindex = ifa->ifa_index;
	a->family = AF_INET;
	a->prefixlen = ifa->ifa_prefixlen;
	memcpy(a->local, nla_data(local), 4);
	/* on a point-to-point link IFA_ADDRESS is the peer's */
	if (addr && nla_len(addr) == 4 && memcmp(a->local, nla_data(addr), 4)) {
		memcpy(a->peer, nla_data(addr), 4);
		a->has_peer = true;
	}
	if (tb[IFA_BROADCAST] && nla_len(tb[IFA_BROADCAST]) == 4) {
		memcpy(a->brd, nla_data(tb[IFA_BROADCAST]), 4);
		a->has_brd = true;
	}
	return 0;
}

size_t gif_addr4_dump(struct gif_addr **v)
{
	struct ifaddrmsg ifa = { .ifa_family = AF_INET };
	struct addr_list al = { 0 };
	struct nl_msg *msg;
	int err;

	msg = nlmsg_alloc_simple(RTM_GETADDR, NLM_F_DUMP);
	if (!msg || nlmsg_append(msg, &ifa, sizeof(ifa), NLMSG_ALIGNTO) < 0)
		die("cannot allocate a netlink message");
	err = rtnl_talk(msg, addr4_cb, &al);
	if (err)
		die("cannot list the inet addresses: %s", strerror(-err));
	*v = al.v;
	return al.n;
}

static int addr6_cb(struct nlattr **tb, void *arg)
{
	struct addr_list *al = arg;
	struct gif_addr *a;

	if (!tb[KAME_ADDR_A_IFINDEX] || !tb[KAME_ADDR_A_ADDRESS] ||
	    nla_len(tb[KAME_ADDR_A_ADDRESS]) != 16)
		return -EPROTO;
	al->v = grow(al->v, &al->cap, al->n, sizeof(*al->v));
	a = &al->v[al->n++];
	memset(a, 0, sizeof(*a));
	a->ifindex = nla_get_u32(tb[KAME_ADDR_A_IFINDEX]);
	a->family = AF_INET6;
	memcpy(a->local, nla_data(tb[KAME_ADDR_A_ADDRESS]), 16);
	a->prefixlen = tb[KAME_ADDR_A_PREFIXLEN] ?
		       nla_get_u8(tb[KAME_ADDR_A_PREFIXLEN]) : 128;
	return 0;
}

size_t gif_addr6_dump(struct gif_addr **v)
{
	struct addr_list al = { 0 };
	struct nl_msg *msg;
	struct knl k;

	*v = NULL;
	if (!knl_try_open(&k))
		return 0;
	msg = knl_msg(&k, KAME_CMD_ADDR_GET, NLM_F_DUMP);
	knl_talk_or_die(&k, msg, KAME_ADDR_A_MAX, addr6_cb, &al);
	knl_close(&k);
	*v = al.v;
	return al.n;
}
