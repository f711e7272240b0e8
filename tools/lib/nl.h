/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KAME_TOOLS_NL_H
#define KAME_TOOLS_NL_H

#include <stdbool.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>

struct knl {
	struct nl_sock *sk;
	int family;
	int version;	/* of the family; 0 is the kame family's */
};

typedef int (*knl_msg_fn)(struct nlattr **tb, void *arg);

/* Connect to the "kame" generic netlink family; exits on failure. */
void knl_open(struct knl *k);
/* The same, but false (nothing left open) when the family is not there. */
bool knl_try_open(struct knl *k);
/* knl_try_open for another family of the project (name, version). */
bool knl_try_open_family(struct knl *k, const char *name, int version);
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
/*
 * knl_talk for replies that repeat an attribute: fn gets each whole
 * message (genlmsg_attrdata() and nla_for_each_attr() walk it).
 */
typedef int (*knl_nlh_fn)(struct nlmsghdr *nlh, void *arg);
int knl_talk_nlh(struct knl *k, struct nl_msg *msg, knl_nlh_fn fn, void *arg);
/* knl_talk, and on error die with the extack message or strerror. */
void knl_talk_or_die(struct knl *k, struct nl_msg *msg, int maxattr,
		     knl_msg_fn fn, void *arg);

extern char knl_errmsg[256];

#endif
