// SPDX-License-Identifier: GPL-2.0
/*
 * libnl-genl glue shared by the tools: connect, send, collect replies and
 * the kernel's extended-ack message.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/msg.h>
#include <linux/kame.h>
#include "nl.h"
#include "util.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

char knl_errmsg[256];

struct knl_ctx {
	int maxattr;
	knl_msg_fn fn;
	knl_nlh_fn nlh_fn;
	void *arg;
	int err;
	int done;
};

bool knl_try_open(struct knl *k)
{
	return knl_try_open_family(k, KAME_GENL_NAME, KAME_GENL_VERSION);
}

bool knl_try_open_family(struct knl *k, const char *name, int version)
{
	int one = 1;

	k->sk = nl_socket_alloc();
	if (!k->sk)
		die("cannot allocate a netlink socket");
	if (genl_connect(k->sk))
		die("cannot connect to generic netlink");
	setsockopt(nl_socket_get_fd(k->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(k->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));
	k->version = version;
	k->family = genl_ctrl_resolve(k->sk, name);
	if (k->family >= 0)
		return true;
	nl_socket_free(k->sk);
	return false;
}

void knl_open(struct knl *k)
{
	if (!knl_try_open(k))
		die("generic netlink family \"%s\" not found: is the kame module loaded?",
		    KAME_GENL_NAME);
}

void knl_close(struct knl *k)
{
	nl_socket_free(k->sk);
}

struct nl_msg *knl_msg(struct knl *k, int cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, k->family, 0,
				 flags, cmd,
				 k->version ? k->version : KAME_GENL_VERSION))
		die("cannot allocate a netlink message");
	return msg;
}

static int knl_valid_cb(struct nl_msg *msg, void *arg)
{
	struct knl_ctx *ctx = arg;
	struct nlattr *tb[256];
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	int err;

	if (ctx->nlh_fn) {
		err = ctx->nlh_fn(nlh, ctx->arg);
		if (err) {
			ctx->err = err;
			return NL_STOP;
		}
		return NL_OK;
	}
	if (!ctx->fn)
		return NL_OK;
	err = genlmsg_parse(nlh, 0, tb, ctx->maxattr, NULL);
	if (err < 0) {
		ctx->err = -EPROTO;
		return NL_STOP;
	}
	err = ctx->fn(tb, ctx->arg);
	if (err) {
		ctx->err = err;
		return NL_STOP;
	}
	return NL_OK;
}

/* Pull NLMSGERR_ATTR_MSG out of an (ack-capped) error message. */
static void knl_extack(const struct nlmsghdr *nlh, const struct nlmsgerr *e)
{
	const struct nlattr *a;
	size_t off = sizeof(*e);
	int len, rem;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(struct nlmsghdr);
	len = (int)nlh->nlmsg_len - NLMSG_HDRLEN - (int)off;
	if (len <= 0)
		return;
	a = (const struct nlattr *)((const char *)e + NLMSG_ALIGN(off));
	nla_for_each_attr(a, (struct nlattr *)a, len, rem) {
		if (nla_type(a) == NLMSGERR_ATTR_MSG) {
			snprintf(knl_errmsg, sizeof(knl_errmsg), "%.*s",
				 nla_len(a), (const char *)nla_data(a));
			knl_errmsg[strcspn(knl_errmsg, "\n")] = 0;
		}
	}
}

static int knl_err_cb(struct sockaddr_nl *nla, struct nlmsgerr *e, void *arg)
{
	struct knl_ctx *ctx = arg;
	const struct nlmsghdr *nlh = (const void *)((char *)e - NLMSG_HDRLEN);

	(void)nla;
	ctx->err = e->error;
	knl_extack(nlh, e);
	ctx->done = 1;
	return NL_STOP;
}

static int knl_finish_cb(struct nl_msg *msg, void *arg)
{
	struct knl_ctx *ctx = arg;

	(void)msg;
	ctx->done = 1;
	return NL_STOP;
}

static int knl_ack_cb(struct nl_msg *msg, void *arg)
{
	return knl_finish_cb(msg, arg);
}

static int knl_run(struct knl *k, struct nl_msg *msg, struct knl_ctx *c)
{
	struct knl_ctx ctx = *c;
	struct nl_cb *cb;
	int err;

	knl_errmsg[0] = 0;
	nlmsg_hdr(msg)->nlmsg_flags |= NLM_F_ACK;
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb)
		die("cannot allocate netlink callbacks");
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, knl_valid_cb, &ctx);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, knl_finish_cb, &ctx);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, knl_ack_cb, &ctx);
	nl_cb_err(cb, NL_CB_CUSTOM, knl_err_cb, &ctx);

	err = nl_send_auto(k->sk, msg);
	nlmsg_free(msg);
	if (err < 0) {
		nl_cb_put(cb);
		return -EIO;
	}
	while (!ctx.done && !ctx.err) {
		err = nl_recvmsgs(k->sk, cb);
		if (err < 0 && !ctx.err) {
			ctx.err = err == -NLE_DUMP_INTR ? -EAGAIN : -EIO;
			break;
		}
	}
	nl_cb_put(cb);
	return ctx.err;
}

int knl_talk(struct knl *k, struct nl_msg *msg, int maxattr, knl_msg_fn fn,
	     void *arg)
{
	struct knl_ctx ctx = { .maxattr = maxattr, .fn = fn, .arg = arg };

	return knl_run(k, msg, &ctx);
}

int knl_talk_nlh(struct knl *k, struct nl_msg *msg, knl_nlh_fn fn, void *arg)
{
	struct knl_ctx ctx = { .nlh_fn = fn, .arg = arg };

	return knl_run(k, msg, &ctx);
}

void knl_talk_or_die(struct knl *k, struct nl_msg *msg, int maxattr,
		     knl_msg_fn fn, void *arg)
{
	int err = knl_talk(k, msg, maxattr, fn, arg);

	if (!err)
		return;
	if (knl_errmsg[0])
		die("%s", knl_errmsg);
	die("%s", strerror(-err));
}
