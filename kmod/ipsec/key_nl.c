// SPDX-License-Identifier: GPL-2.0
/*
 * The "kame_key" generic netlink family (KAME's keysock.c and the message
 * handlers of key.c): PF_KEY v2's messages for the SAD and the SPD.
 * uapi/linux/kame_key.h documents every command and attribute. Changes
 * need CAP_NET_ADMIN over the namespace; so does key material in a reply.
 */
#include <linux/random.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include "kmod/core/compat.h"
#include "ipsec.h"

static const struct nla_policy ipsec_lft_policy[KAME_KEY_LFT_MAX + 1] = {
	[KAME_KEY_LFT_ALLOCATIONS]	= { .type = NLA_U64 },
	[KAME_KEY_LFT_BYTES]		= { .type = NLA_U64 },
	[KAME_KEY_LFT_ADDTIME]		= { .type = NLA_U64 },
	[KAME_KEY_LFT_USETIME]		= { .type = NLA_U64 },
};

static const struct nla_policy ipsec_req_policy[KAME_KEY_REQ_MAX + 1] = {
	[KAME_KEY_REQ_PROTO]	= { .type = NLA_U8 },
	[KAME_KEY_REQ_MODE]	= NLA_POLICY_RANGE(NLA_U8, KAME_KEY_MODE_TRANSPORT,
						   KAME_KEY_MODE_TUNNEL),
	[KAME_KEY_REQ_SRC]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[KAME_KEY_REQ_DST]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[KAME_KEY_REQ_LEVEL]	= NLA_POLICY_MAX(NLA_U8, KAME_KEY_LEVEL_UNIQUE),
	[KAME_KEY_REQ_REQID]	= { .type = NLA_U32 },
};

#define RO(a)	\
	[(a)] = { .type = NLA_REJECT, .reject_message = "reply-only attribute" }

static const struct nla_policy ipsec_key_policy[KAME_KEY_A_MAX + 1] = {
	[KAME_KEY_A_SRC]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[KAME_KEY_A_DST]	= NLA_POLICY_EXACT_LEN(sizeof(struct in6_addr)),
	[KAME_KEY_A_PROTO]	= { .type = NLA_U8 },
	[KAME_KEY_A_SPI]	= { .type = NLA_U32 },
	[KAME_KEY_A_SPI_MIN]	= { .type = NLA_U32 },
	[KAME_KEY_A_SPI_MAX]	= { .type = NLA_U32 },
	[KAME_KEY_A_MODE]	= NLA_POLICY_MAX(NLA_U8, KAME_KEY_MODE_TUNNEL),
	[KAME_KEY_A_REQID]	= { .type = NLA_U32 },
	[KAME_KEY_A_REPLAY]	= NLA_POLICY_MAX(NLA_U32, 1024),
	[KAME_KEY_A_FLAGS]	= NLA_POLICY_MASK(NLA_U32, KAME_KEY_F_ALL),
	[KAME_KEY_A_ENC_ALG]	= { .type = NLA_NUL_STRING, .len = 31 },
	[KAME_KEY_A_ENC_KEY]	= { .type = NLA_BINARY, .len = IPSEC_KEY_MAX },
	[KAME_KEY_A_AUTH_ALG]	= { .type = NLA_NUL_STRING, .len = 31 },
	[KAME_KEY_A_AUTH_KEY]	= { .type = NLA_BINARY, .len = IPSEC_KEY_MAX },
	[KAME_KEY_A_COMP_ALG]	= { .type = NLA_NUL_STRING, .len = 31 },
	[KAME_KEY_A_LIFETIME_HARD] = NLA_POLICY_NESTED(ipsec_lft_policy),
	[KAME_KEY_A_LIFETIME_SOFT] = NLA_POLICY_NESTED(ipsec_lft_policy),
	[KAME_KEY_A_SRC_PLEN]	= NLA_POLICY_MAX(NLA_U8, 128),
	[KAME_KEY_A_DST_PLEN]	= NLA_POLICY_MAX(NLA_U8, 128),
	[KAME_KEY_A_SPORT]	= { .type = NLA_U16 },
	[KAME_KEY_A_DPORT]	= { .type = NLA_U16 },
	[KAME_KEY_A_ULPROTO]	= { .type = NLA_U8 },
	[KAME_KEY_A_DIR]	= NLA_POLICY_RANGE(NLA_U8, KAME_KEY_DIR_IN,
						   KAME_KEY_DIR_FWD),
	[KAME_KEY_A_ACTION]	= NLA_POLICY_MAX(NLA_U8, KAME_KEY_ACTION_IPSEC),
	[KAME_KEY_A_PRIORITY]	= { .type = NLA_U32 },
	[KAME_KEY_A_POLICY_ID]	= NLA_POLICY_MIN(NLA_U32, 1),
	[KAME_KEY_A_REQUEST]	= NLA_POLICY_NESTED(ipsec_req_policy),
	[KAME_KEY_A_SEQ]	= { .type = NLA_U64 },
	RO(KAME_KEY_A_STATE), RO(KAME_KEY_A_LIFETIME_CUR), RO(KAME_KEY_A_RSEQ),
	RO(KAME_KEY_A_STATS), RO(KAME_KEY_A_ALG), RO(KAME_KEY_A_EXPIRE_HARD),
	RO(KAME_KEY_A_CMD),
};

bool ipsec_nl_admin(struct sk_buff *skb, struct net *net)
{
	return netlink_ns_capable(skb, net->user_ns, CAP_NET_ADMIN);
}

/* ---- replies ---- */

static int ipsec_put_lft(struct sk_buff *skb, int type, u64 alloc, u64 bytes,
			 u64 add, u64 use)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest ||
	    nla_put_u64_64bit(skb, KAME_KEY_LFT_ALLOCATIONS, alloc,
			      KAME_KEY_LFT_PAD) ||
	    nla_put_u64_64bit(skb, KAME_KEY_LFT_BYTES, bytes, KAME_KEY_LFT_PAD) ||
	    nla_put_u64_64bit(skb, KAME_KEY_LFT_ADDTIME, add, KAME_KEY_LFT_PAD) ||
	    nla_put_u64_64bit(skb, KAME_KEY_LFT_USETIME, use, KAME_KEY_LFT_PAD))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int ipsec_put_sa_algs(struct sk_buff *skb, const struct ipsec_sa *sa,
			     bool keys)
{
	if (sa->enc &&
	    (nla_put_string(skb, KAME_KEY_A_ENC_ALG, sa->enc->name) ||
	     (keys && nla_put(skb, KAME_KEY_A_ENC_KEY, sa->enc_keylen,
			      sa->enc_key))))
		return -EMSGSIZE;
	if (sa->auth &&
	    (nla_put_string(skb, KAME_KEY_A_AUTH_ALG, sa->auth->name) ||
	     (keys && nla_put(skb, KAME_KEY_A_AUTH_KEY, sa->auth_keylen,
			      sa->auth_key))))
		return -EMSGSIZE;
	if (sa->comp && nla_put_string(skb, KAME_KEY_A_COMP_ALG, sa->comp->name))
		return -EMSGSIZE;
	return 0;
}

/* The attributes of an SA; keys only for keys. */
int ipsec_fill_sa(struct sk_buff *skb, const struct ipsec_sa *sa,
			 bool keys)
{
	const struct ipsec_lft *h = &sa->hard, *s = &sa->soft;
	struct nlattr *st;
	int i;

	if (nla_put_in6_addr(skb, KAME_KEY_A_SRC, &sa->src) ||
	    nla_put_in6_addr(skb, KAME_KEY_A_DST, &sa->dst) ||
	    nla_put_u8(skb, KAME_KEY_A_PROTO, sa->proto) ||
	    nla_put_u32(skb, KAME_KEY_A_SPI, sa->spi) ||
	    nla_put_u8(skb, KAME_KEY_A_MODE, sa->mode) ||
	    nla_put_u32(skb, KAME_KEY_A_REQID, sa->reqid) ||
	    nla_put_u32(skb, KAME_KEY_A_REPLAY, sa->replay) ||
	    nla_put_u32(skb, KAME_KEY_A_FLAGS, sa->flags) ||
	    nla_put_u8(skb, KAME_KEY_A_STATE, READ_ONCE(sa->state)) ||
	    ipsec_put_sa_algs(skb, sa, keys) ||
	    ipsec_put_lft(skb, KAME_KEY_A_LIFETIME_HARD, h->allocations,
			  h->bytes, h->addtime, h->usetime) ||
	    ipsec_put_lft(skb, KAME_KEY_A_LIFETIME_SOFT, s->allocations,
			  s->bytes, s->addtime, s->usetime) ||
	    ipsec_put_lft(skb, KAME_KEY_A_LIFETIME_CUR, 0,
			  atomic64_read(&sa->bytes), sa->created,
			  READ_ONCE(sa->first_use)) ||
	    nla_put_u64_64bit(skb, KAME_KEY_A_SEQ, atomic64_read(&sa->seq),
			      KAME_KEY_A_PAD) ||
	    nla_put_u64_64bit(skb, KAME_KEY_A_RSEQ, READ_ONCE(sa->rtop),
			      KAME_KEY_A_PAD))
		return -EMSGSIZE;
	st = nla_nest_start(skb, KAME_KEY_A_STATS);
	if (!st)
		return -EMSGSIZE;
	for (i = KAME_KEY_SASTAT_REPLAY; i < KAME_KEY_SASTAT_PAD; i++)
		if (nla_put_u64_64bit(skb, i, atomic64_read(&sa->stat[i]),
				      KAME_KEY_SASTAT_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, st);
	return 0;
}

static int ipsec_fill_req(struct sk_buff *skb, const struct ipsec_req *r)
{
	struct nlattr *nest = nla_nest_start(skb, KAME_KEY_A_REQUEST);

	if (!nest ||
	    nla_put_u8(skb, KAME_KEY_REQ_PROTO, r->proto) ||
	    nla_put_u8(skb, KAME_KEY_REQ_MODE, r->mode) ||
	    nla_put_u8(skb, KAME_KEY_REQ_LEVEL, r->level) ||
	    nla_put_u32(skb, KAME_KEY_REQ_REQID, r->reqid) ||
	    (r->mode == KAME_KEY_MODE_TUNNEL &&
	     (nla_put_in6_addr(skb, KAME_KEY_REQ_SRC, &r->src) ||
	      nla_put_in6_addr(skb, KAME_KEY_REQ_DST, &r->dst))))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

int ipsec_fill_sp(struct sk_buff *skb, const struct ipsec_sp *sp)
{
	int i;

	if (nla_put_u32(skb, KAME_KEY_A_POLICY_ID, sp->id) ||
	    nla_put_in6_addr(skb, KAME_KEY_A_SRC, &sp->src) ||
	    nla_put_u8(skb, KAME_KEY_A_SRC_PLEN, sp->src_plen) ||
	    nla_put_in6_addr(skb, KAME_KEY_A_DST, &sp->dst) ||
	    nla_put_u8(skb, KAME_KEY_A_DST_PLEN, sp->dst_plen) ||
	    nla_put_u8(skb, KAME_KEY_A_ULPROTO, sp->ulproto) ||
	    nla_put_u16(skb, KAME_KEY_A_SPORT, sp->sport) ||
	    nla_put_u16(skb, KAME_KEY_A_DPORT, sp->dport) ||
	    nla_put_u8(skb, KAME_KEY_A_DIR, sp->dir) ||
	    nla_put_u8(skb, KAME_KEY_A_ACTION, sp->action) ||
	    nla_put_u32(skb, KAME_KEY_A_PRIORITY, sp->priority) ||
	    ipsec_put_lft(skb, KAME_KEY_A_LIFETIME_CUR, 0, 0, sp->created,
			  READ_ONCE(sp->lastused)))
		return -EMSGSIZE;
	for (i = 0; i < sp->nreq; i++)
		if (ipsec_fill_req(skb, &sp->req[i]))
			return -EMSGSIZE;
	return 0;
}

/* A message of cmd about sa or sp (one of them). */
struct sk_buff *ipsec_msg(u8 cmd, u32 portid, u32 seq, int flags,
				 const struct ipsec_sa *sa,
				 const struct ipsec_sp *sp, bool keys)
{
	struct sk_buff *skb = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	void *hdr;

	if (!skb)
		return NULL;
	hdr = genlmsg_put(skb, portid, seq, &ipsec_key_family, flags, cmd);
	if (!hdr || (sa && ipsec_fill_sa(skb, sa, keys)) ||
	    (sp && ipsec_fill_sp(skb, sp))) {
		kfree_skb(skb);
		return NULL;
	}
	genlmsg_end(skb, hdr);
	return skb;
}

/*
 * Set (and waited for with synchronize_rcu()) before the family goes: the
 * lifetime timers of the namespaces, which run until the namespaces'
 * exit, multicast nothing on a family that is no longer registered.
 */
static bool ipsec_nl_down;

/* setkey -x: a copy of a change, without keys. */
void ipsec_monitor(struct net *net, u8 cmd, const struct ipsec_sa *sa,
			  const struct ipsec_sp *sp)
{
	struct sk_buff *skb;

	rcu_read_lock();
	if (READ_ONCE(ipsec_nl_down) ||
	    !genl_has_listeners(&ipsec_key_family, net, IPSEC_MCGRP_MONITOR))
		goto out;
	skb = ipsec_msg(cmd, 0, 0, 0, sa, sp, false);
	if (skb)
		genlmsg_multicast_netns(&ipsec_key_family, net, skb, 0,
					IPSEC_MCGRP_MONITOR, GFP_ATOMIC);
out:
	rcu_read_unlock();
}

void ipsec_event(struct net *net, struct sk_buff *skb)
{
	struct sk_buff *copy;

	rcu_read_lock();
	if (READ_ONCE(ipsec_nl_down)) {
		kfree_skb(skb);
		goto out;
	}
	/* the message covers what the caller put after ipsec_msg() */
	nlmsg_end(skb, nlmsg_hdr(skb));
	copy = skb_clone(skb, GFP_ATOMIC);
	genlmsg_multicast_netns(&ipsec_key_family, net, skb, 0,
				IPSEC_MCGRP_EVENTS, GFP_ATOMIC);
	if (copy)
		genlmsg_multicast_netns(&ipsec_key_family, net, copy, 0,
					IPSEC_MCGRP_MONITOR, GFP_ATOMIC);
out:
	rcu_read_unlock();
}

/*
 * KAME's key_acquire(): an SA for request r of policy sp is needed; at
 * most one ACQUIRE per policy and second (KAME's key_blockacq_*).
 */
void ipsec_acquire(struct ipsec_net *in, struct ipsec_sp *sp,
		   const struct ipsec_req *r)
{
	unsigned long last = READ_ONCE(sp->acq_last);
	struct sk_buff *skb;

	if (last && time_before(jiffies, last + HZ))
		return;
	WRITE_ONCE(sp->acq_last, jiffies ?: 1);
	skb = ipsec_msg(KAME_KEY_CMD_ACQUIRE, 0, 0, 0, NULL, sp, false);
	if (!skb)
		return;
	if (nla_put_u8(skb, KAME_KEY_A_PROTO, r->proto) ||
	    nla_put_u8(skb, KAME_KEY_A_MODE, r->mode) ||
	    nla_put_u32(skb, KAME_KEY_A_REQID, r->reqid)) {
		kfree_skb(skb);
		return;
	}
	ipsec_event(in->net, skb);
}

/* KAME's key_expire(): an EXPIRE to "events" (and "monitor"). */
void ipsec_key_expire(struct ipsec_net *in, const struct ipsec_sa *sa,
		      bool hard)
{
	struct sk_buff *skb = ipsec_msg(KAME_KEY_CMD_EXPIRE, 0, 0, 0, sa, NULL,
					false);

	if (!skb)
		return;
	if (nla_put_u32(skb, KAME_KEY_A_EXPIRE_HARD, hard)) {
		kfree_skb(skb);
		return;
	}
	ipsec_event(in->net, skb);
}


#define DO(c, fn, admin) {						\
	.cmd = KAME_KEY_CMD_##c, .doit = fn,				\
	.flags = (admin) ? GENL_UNS_ADMIN_PERM : 0,			\
}

static const struct genl_ops ipsec_key_ops[] = {
	DO(GETSPI, ipsec_nl_getspi, 1),
	DO(UPDATE, ipsec_nl_update, 1),
	DO(ADD, ipsec_nl_add, 1),
	DO(DELETE, ipsec_nl_delete, 1),
	DO(DELETEALL, ipsec_nl_deleteall, 1),
	DO(GET, ipsec_nl_get, 0),
	DO(REGISTER, ipsec_nl_register, 0),
	DO(FLUSH, ipsec_nl_flush, 1),
	{ .cmd = KAME_KEY_CMD_DUMP, .dumpit = ipsec_nl_dump },
	DO(SPDADD, ipsec_nl_spdadd, 1),
	DO(SPDUPDATE, ipsec_nl_spdadd, 1),
	DO(SPDDELETE, ipsec_nl_spddelete, 1),
	DO(SPDDELETE2, ipsec_nl_spddelete2, 1),
	DO(SPDGET, ipsec_nl_spdget, 0),
	{ .cmd = KAME_KEY_CMD_SPDDUMP, .dumpit = ipsec_nl_spddump },
	DO(SPDFLUSH, ipsec_nl_spdflush, 1),
};

static const struct genl_multicast_group ipsec_key_mcgrps[] = {
	[IPSEC_MCGRP_EVENTS] = { .name = KAME_KEY_MCGRP_EVENTS },
	[IPSEC_MCGRP_MONITOR] = { .name = KAME_KEY_MCGRP_MONITOR },
};

struct genl_family ipsec_key_family __ro_after_init = {
	.name = KAME_KEY_GENL_NAME,
	.version = KAME_KEY_GENL_VERSION,
	.maxattr = KAME_KEY_A_MAX,
	.policy = ipsec_key_policy,
	.netnsok = true,
	.module = THIS_MODULE,
	.ops = ipsec_key_ops,
	.n_ops = ARRAY_SIZE(ipsec_key_ops),
	.mcgrps = ipsec_key_mcgrps,
	.n_mcgrps = ARRAY_SIZE(ipsec_key_mcgrps),
#ifdef KAME_HAVE_GENL_RESV_START_OP
	.resv_start_op = KAME_KEY_CMD_GETSPI,
#endif
};

int ipsec_key_nl_init(void)
{
	return genl_register_family(&ipsec_key_family);
}

void ipsec_key_nl_exit(void)
{
	WRITE_ONCE(ipsec_nl_down, true);
	synchronize_rcu();	/* a timer's multicast under way */
	genl_unregister_family(&ipsec_key_family);
}
