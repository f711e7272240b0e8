// SPDX-License-Identifier: GPL-2.0
/*
 * The rtnetlink side of gifconfig: read links (RTM_GETLINK), create,
 * change and delete gifs and stf (RTM_NEWLINK, RTM_DELLINK) with the
 * IFLA_INFO_DATA attributes of uapi kame_gif.h and kame_stf.h. libnl-3
 * core only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>
#include "gifconfig.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

/* knl_talk() only uses the socket: it serves rtnetlink changes too. */
static struct knl rt;

struct rtnl_ctx {
	rtnl_msg_fn fn;
	void *arg;
	int err;
	int done;
};

void *grow(void *v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return v;
	*cap = *cap ? 2 * *cap : 16;
	v = realloc(v, *cap * size);
	if (!v)
		die("out of memory");
	return v;
}

void rtnl_open(void)
{
	int one = 1;

	rt.sk = nl_socket_alloc();
	if (!rt.sk)
		die("cannot allocate a netlink socket");
	if (nl_connect(rt.sk, NETLINK_ROUTE))
		die("cannot connect to rtnetlink");
	setsockopt(nl_socket_get_fd(rt.sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(rt.sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
}

void rtnl_close(void)
{
	nl_socket_free(rt.sk);
}

static int rtnl_valid_cb(struct nl_msg *msg, void *arg)
{
	struct rtnl_ctx *ctx = arg;
	int err;

	if (!ctx->fn)
		return NL_OK;
	err = ctx->fn(nlmsg_hdr(msg), ctx->arg);
	if (err) {
		ctx->err = err;
		return NL_STOP;
	}
	return NL_OK;
}

static int rtnl_err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct rtnl_ctx *ctx = arg;

	ctx->err = e->error;
	ctx->done = 1;
	return NL_STOP;
}

static int rtnl_finish_cb(struct nl_msg *msg, void *arg)
{
	struct rtnl_ctx *ctx = arg;

	ctx->done = 1;
	return NL_STOP;
}

int rtnl_talk(struct nl_msg *msg, rtnl_msg_fn fn, void *arg)
{
	struct rtnl_ctx ctx = { .fn = fn, .arg = arg };
	struct nl_cb *cb;
	int err;

	/* a GET that is no dump ends with the ack after its reply */
	nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_ACK;
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		die("cannot allocate netlink callbacks");
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, rtnl_valid_cb, &ctx);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, rtnl_finish_cb, &ctx);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, rtnl_finish_cb, &ctx);
	nl_cb_err(cb, NL_CB_CUSTOM, rtnl_err_cb, &ctx);

	err = nl_send_auto(rt.sk, msg);
	nlmsg_free(msg);
	if (err < 0) {
		nl_cb_put(cb);
		return -EIO;
	}
	while (!ctx.done && !ctx.err) {
		err = nl_recvmsgs(rt.sk, cb);
		if (err < 0 && !ctx.err) {
			ctx.err = err == -NLE_DUMP_INTR ? -EAGAIN : -EIO;
			break;
		}
	}
	nl_cb_put(cb);
	return ctx.err;
}

void rtnl_change_or_die(struct nl_msg *msg)
{
	/* the extended ack's message, else strerror, as the other tools */
	knl_talk_or_die(&rt, msg, 0, NULL, NULL);
}

static struct nl_msg *link_msg(int type, int flags, unsigned int ifindex)
{
	struct ifinfomsg ifi = {
		.ifi_family = AF_UNSPEC,
		.ifi_index = (int)ifindex,
	};
	struct nl_msg *msg = nlmsg_alloc_simple(type, flags);

	if (!msg || nlmsg_append(msg, &ifi, sizeof(ifi), NLMSG_ALIGNTO) < 0)
		die("cannot allocate a netlink message");
	return msg;
}

static void parse_gif_stats(struct nlattr *nest, struct gif_link *l)
{
	struct nlattr *tb[IFLA_GIF_STAT_MAX + 1];
	int i;

	if (nla_parse_nested(tb, IFLA_GIF_STAT_MAX, nest, NULL))
		return;
	for (i = IFLA_GIF_STAT_TX_NOADDR; i < IFLA_GIF_STAT_PAD; i++)
		if (tb[i] && nla_len(tb[i]) == sizeof(uint64_t))
			l->stats[i] = nla_get_u64(tb[i]);
}

static void parse_gif_data(struct nlattr *nest, struct gif_link *l)
{
	struct nlattr *tb[IFLA_GIF_MAX + 1];
	int len;

	if (!nest || nla_parse_nested(tb, IFLA_GIF_MAX, nest, NULL))
		return;
	if (tb[IFLA_GIF_LOCAL] && tb[IFLA_GIF_REMOTE]) {
		len = nla_len(tb[IFLA_GIF_LOCAL]);
		if ((len == 4 || len == 16) &&
		    nla_len(tb[IFLA_GIF_REMOTE]) == len) {
			l->pfamily = len == 4 ? AF_INET : AF_INET6;
			memcpy(l->psrc, nla_data(tb[IFLA_GIF_LOCAL]), len);
			memcpy(l->pdst, nla_data(tb[IFLA_GIF_REMOTE]), len);
		}
	}
	if (tb[IFLA_GIF_FLAGS])
		l->gflags = nla_get_u32(tb[IFLA_GIF_FLAGS]);
	if (tb[IFLA_GIF_TTL])
		l->ttl = nla_get_u8(tb[IFLA_GIF_TTL]);
	if (tb[IFLA_GIF_STATS])
		parse_gif_stats(tb[IFLA_GIF_STATS], l);
}

static void parse_stf_data(struct nlattr *nest, struct gif_link *l)
{
	struct nlattr *tb[IFLA_STF_MAX + 1], *st[IFLA_STF_STAT_MAX + 1];
	int i;

	if (!nest || nla_parse_nested(tb, IFLA_STF_MAX, nest, NULL))
		return;
	if (tb[IFLA_STF_FLAGS])
		l->gflags = nla_get_u32(tb[IFLA_STF_FLAGS]);
	if (tb[IFLA_STF_TTL])
		l->ttl = nla_get_u8(tb[IFLA_STF_TTL]);
	if (!tb[IFLA_STF_STATS] ||
	    nla_parse_nested(st, IFLA_STF_STAT_MAX, tb[IFLA_STF_STATS], NULL))
		return;
	for (i = IFLA_STF_STAT_TX_DOWN; i < IFLA_STF_STAT_PAD; i++)
		if (st[i] && nla_len(st[i]) == sizeof(uint64_t))
			l->sstats[i] = nla_get_u64(st[i]);
}

/* One RTM_NEWLINK message into *l. */
static int parse_link(struct nlmsghdr *nlh, struct gif_link *l)
{
	struct nlattr *tb[IFLA_MAX + 1], *li[IFLA_INFO_MAX + 1];
	const struct ifinfomsg *ifi = nlmsg_data(nlh);

	if (nlh->nlmsg_type != RTM_NEWLINK ||
	    nlmsg_parse(nlh, sizeof(*ifi), tb, IFLA_MAX, NULL) ||
	    !tb[IFLA_IFNAME])
		return -EPROTO;
	memset(l, 0, sizeof(*l));
	l->ifindex = ifi->ifi_index;
	l->flags = ifi->ifi_flags;
	snprintf(l->ifname, sizeof(l->ifname), "%.*s",
		 nla_len(tb[IFLA_IFNAME]), (char *)nla_data(tb[IFLA_IFNAME]));
	if (tb[IFLA_MTU])
		l->mtu = nla_get_u32(tb[IFLA_MTU]);
	if (!tb[IFLA_LINKINFO] ||
	    nla_parse_nested(li, IFLA_INFO_MAX, tb[IFLA_LINKINFO], NULL) ||
	    !li[IFLA_INFO_KIND])
		return 0;
	if (!nla_strcmp(li[IFLA_INFO_KIND], KAME_STF_KIND)) {
		l->is_stf = true;
		parse_stf_data(li[IFLA_INFO_DATA], l);
	} else if (!nla_strcmp(li[IFLA_INFO_KIND], KAME_GIF_KIND)) {
		l->is_gif = true;
		parse_gif_data(li[IFLA_INFO_DATA], l);
	}
	return 0;
}

static int get_cb(struct nlmsghdr *nlh, void *arg)
{
	return parse_link(nlh, arg);
}

int gif_link_get(const char *ifname, struct gif_link *l)
{
	struct nl_msg *msg;
	int err;

	if (strlen(ifname) >= IF_NAMESIZE)
		return -ENODEV;
	msg = link_msg(RTM_GETLINK, 0, 0);
	nla_put_string(msg, IFLA_IFNAME, ifname);
	memset(l, 0, sizeof(*l));
	err = rtnl_talk(msg, get_cb, l);
	if (err == -ENODEV)
		return err;
	if (err)
		die("%s: %s", ifname, strerror(-err));
	if (!l->ifindex)
		die("%s: no answer from the kernel", ifname);
	return 0;
}

struct link_list {
	struct gif_link *v;
	size_t n, cap;
};

static int dump_cb(struct nlmsghdr *nlh, void *arg)
{
	struct link_list *ll = arg;
	int err;

	ll->v = grow(ll->v, &ll->cap, ll->n, sizeof(*ll->v));
	err = parse_link(nlh, &ll->v[ll->n]);
	if (err)
		return err;
	if (ll->v[ll->n].is_gif || ll->v[ll->n].is_stf)
		ll->n++;
	return 0;
}

static int by_ifindex(const void *a, const void *b)
{
	const struct gif_link *x = a, *y = b;

	return (x->ifindex > y->ifindex) - (x->ifindex < y->ifindex);
}

size_t gif_link_dump(struct gif_link **v)
{
	struct link_list ll = { 0 };
	int err;

	err = rtnl_talk(link_msg(RTM_GETLINK, NLM_F_DUMP, 0), dump_cb, &ll);
	if (err)
		die("cannot list the interfaces: %s", strerror(-err));
	if (ll.n)
		qsort(ll.v, ll.n, sizeof(*ll.v), by_ifindex);
	*v = ll.v;
	return ll.n;
}

static void put_gif_data(struct nl_msg *msg, const struct gif_req *r)
{
	struct nlattr *data = nla_nest_start(msg, IFLA_INFO_DATA);
	int len = r->pfamily == AF_INET6 ? 16 : 4;

	if (!data)
		die("cannot allocate a netlink message");
	if (r->stf) {
		if (r->set_gflags)
			nla_put_u32(msg, IFLA_STF_FLAGS, r->gflags);
		if (r->ttl)
			nla_put_u8(msg, IFLA_STF_TTL, r->ttl);
		nla_nest_end(msg, data);
		return;
	}
	if (r->pfamily) {
		nla_put(msg, IFLA_GIF_LOCAL, len, r->psrc);
		nla_put(msg, IFLA_GIF_REMOTE, len, r->pdst);
	}
	if (r->unset)
		nla_put_flag(msg, IFLA_GIF_UNSET);
	if (r->set_gflags)
		nla_put_u32(msg, IFLA_GIF_FLAGS, r->gflags);
	if (r->ttl)
		nla_put_u8(msg, IFLA_GIF_TTL, r->ttl);
	nla_nest_end(msg, data);
}

/*
 * One RTM_NEWLINK for the whole command line: rtnetlink applies the gif
 * attributes (changelink) before the IFF_UP change, and nothing of it
 * when they are refused.
 */
void gif_link_change(const struct gif_req *r)
{
	int flags = r->ifindex ? 0 : NLM_F_CREATE | NLM_F_EXCL;
	struct nl_msg *msg = link_msg(RTM_NEWLINK, flags, r->ifindex);
	struct ifinfomsg *ifi = nlmsg_data(nlmsg_hdr(msg));
	struct nlattr *li;

	ifi->ifi_flags = r->up_flags;
	ifi->ifi_change = r->up_change;
	if (!r->ifindex)
		nla_put_string(msg, IFLA_IFNAME, r->ifname);
	if (!r->ifindex || r->pfamily || r->unset || r->set_gflags ||
	    r->ttl) {
		li = nla_nest_start(msg, IFLA_LINKINFO);
		if (!li)
			die("cannot allocate a netlink message");
		nla_put_string(msg, IFLA_INFO_KIND,
			       r->stf ? KAME_STF_KIND : KAME_GIF_KIND);
		put_gif_data(msg, r);
		nla_nest_end(msg, li);
	}
	rtnl_change_or_die(msg);
}

void gif_link_destroy(unsigned int ifindex)
{
	rtnl_change_or_die(link_msg(RTM_DELLINK, 0, ifindex));
}
