/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KAME_TOOLS_NL_H
#define KAME_TOOLS_NL_H

#include <stdbool.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>

struct knl {
	struct nl_sock *sk;
	int family;
};

typedef int (*knl_msg_fn)(struct nlattr **tb, void *arg);

/* Connect to the "kame" generic netlink family; exits on failure. */
void knl_open(struct knl *k);
/* The same, but false (nothing left open) when the family is not there. */
bool knl_try_open(struct knl *k);
void knl_close(struct knl *k);
/* A request with this command; flags as for genlmsg_put (NLM_F_DUMP). */
struct nl_msg *knl_msg(struct knl *k, int cmd, int flags);
/*
 * Send msg (freed), parse each reply with maxattr attributes, call fn for
 * each. Returns 0 or a negative errno; the kernel's extack message, if
 * any, is in knl_errmsg.
 */
int knl_talk(struct knl *k, struct nl_msg *msg, int maxattr, knl_msg_fn fn,
	     void *arg);
/* knl_talk, and on error die with the extack message or strerror. */
void knl_talk_or_die(struct knl *k, struct nl_msg *msg, int maxattr,
		     knl_msg_fn fn, void *arg);

extern char knl_errmsg[256];

#endif
