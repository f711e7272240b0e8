// SPDX-License-Identifier: GPL-2.0
/*
 * The SPD's messages (KAME's key_spdadd(), key_spddelete(),
 * key_spddelete2(), key_spdget(), key_spddump(), key_spdflush()).
 */
#include <net/genetlink.h>
#include <net/ipv6.h>
#include "kmod/core/compat.h"
#include "ipsec.h"

#define IPSEC_MANUAL_REQID_MAX	0x3fff	/* KAME: unique:N's range */

static void ipsec_mask(struct in6_addr *a, u8 plen)
{
	struct in6_addr m;

	ipv6_addr_prefix(&m, a, plen);
	*a = m;
}

/* The selector and direction in info into sel. */
static int ipsec_sel(struct genl_info *info, struct ipsec_sp *sel)
{
	struct nlattr **a = info->attrs;

	if (!a[KAME_KEY_A_DIR]) {
		NL_SET_ERR_MSG_MOD(info->extack, "the policy's direction is missing");
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, KAME_KEY_A_DIR);
		return -EINVAL;
	}
	sel->dir = nla_get_u8(a[KAME_KEY_A_DIR]);
	if (a[KAME_KEY_A_SRC])
		sel->src = nla_get_in6_addr(a[KAME_KEY_A_SRC]);
	if (a[KAME_KEY_A_DST])
		sel->dst = nla_get_in6_addr(a[KAME_KEY_A_DST]);
	sel->src_plen = a[KAME_KEY_A_SRC_PLEN] ?
			nla_get_u8(a[KAME_KEY_A_SRC_PLEN]) : 128;
	sel->dst_plen = a[KAME_KEY_A_DST_PLEN] ?
			nla_get_u8(a[KAME_KEY_A_DST_PLEN]) : 128;
	ipsec_mask(&sel->src, sel->src_plen);
	ipsec_mask(&sel->dst, sel->dst_plen);
	sel->ulproto = a[KAME_KEY_A_ULPROTO] ?
		       nla_get_u8(a[KAME_KEY_A_ULPROTO]) : KAME_KEY_ULPROTO_ANY;
	if (a[KAME_KEY_A_SPORT])
		sel->sport = nla_get_u16(a[KAME_KEY_A_SPORT]);
	if (a[KAME_KEY_A_DPORT])
		sel->dport = nla_get_u16(a[KAME_KEY_A_DPORT]);
	return 0;
}

/* One request of an ipsec policy (KAME's ipsec_set_policy() rules). */
static int ipsec_req(struct genl_info *info, struct nlattr *nest,
		     struct ipsec_req *r, u32 *auto_reqid)
{
	struct netlink_ext_ack *ex = info->extack;
	struct nlattr *tb[KAME_KEY_REQ_MAX + 1];
	int err;

	err = nla_parse_nested(tb, KAME_KEY_REQ_MAX, nest, NULL, ex);
	if (err)
		return err;
	if (!tb[KAME_KEY_REQ_PROTO] || !tb[KAME_KEY_REQ_MODE]) {
		NL_SET_ERR_MSG_ATTR(ex, nest, "a request needs its protocol and mode");
		return -EINVAL;
	}
	r->proto = nla_get_u8(tb[KAME_KEY_REQ_PROTO]);
	r->mode = nla_get_u8(tb[KAME_KEY_REQ_MODE]);
	r->level = tb[KAME_KEY_REQ_LEVEL] ? nla_get_u8(tb[KAME_KEY_REQ_LEVEL]) :
		   KAME_KEY_LEVEL_DEFAULT;
	r->reqid = tb[KAME_KEY_REQ_REQID] ? nla_get_u32(tb[KAME_KEY_REQ_REQID]) :
		   0;
	if (r->proto != IPPROTO_ESP && r->proto != IPPROTO_AH &&
	    r->proto != IPPROTO_COMP) {
		NL_SET_ERR_MSG_ATTR(ex, tb[KAME_KEY_REQ_PROTO],
				    "a request's protocol is esp, ah or ipcomp");
		return -EINVAL;
	}
	if (r->mode == KAME_KEY_MODE_TUNNEL) {
		if (!tb[KAME_KEY_REQ_SRC] || !tb[KAME_KEY_REQ_DST]) {
			NL_SET_ERR_MSG_ATTR(ex, nest, "a tunnel request needs both endpoints");
			return -EINVAL;
		}
		r->src = nla_get_in6_addr(tb[KAME_KEY_REQ_SRC]);
		r->dst = nla_get_in6_addr(tb[KAME_KEY_REQ_DST]);
	} else if (tb[KAME_KEY_REQ_SRC] || tb[KAME_KEY_REQ_DST]) {
		NL_SET_ERR_MSG_ATTR(ex, nest, "a transport request has no endpoints");
		return -EINVAL;
	}
	if (r->reqid && r->level != KAME_KEY_LEVEL_UNIQUE) {
		NL_SET_ERR_MSG_ATTR(ex, tb[KAME_KEY_REQ_REQID],
				    "a request id goes with the level unique");
		return -EINVAL;
	}
	if (r->reqid > IPSEC_MANUAL_REQID_MAX) {
		NL_SET_ERR_MSG_ATTR(ex, tb[KAME_KEY_REQ_REQID],
				    "unique:N takes N from 1 to 16383");
		return -EINVAL;
	}
	/* unique without a number: one of the kernel's, above the manual ones */
	if (r->level == KAME_KEY_LEVEL_UNIQUE && !r->reqid)
		r->reqid = (*auto_reqid)++;
	return 0;
}

/* The action and requests in info into sp. */
static int ipsec_action(struct genl_info *info, struct ipsec_sp *sp,
			u32 *auto_reqid)
{
	struct nlattr *nest;
	int rem, err;

	if (!info->attrs[KAME_KEY_A_ACTION]) {
		NL_SET_ERR_MSG_MOD(info->extack, "the policy's action is missing");
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, KAME_KEY_A_ACTION);
		return -EINVAL;
	}
	sp->action = nla_get_u8(info->attrs[KAME_KEY_A_ACTION]);
	if (info->attrs[KAME_KEY_A_PRIORITY])
		sp->priority = nla_get_u32(info->attrs[KAME_KEY_A_PRIORITY]);
	else
		sp->priority = 0x80000000;	/* ipsec-tools' "def" */
	nlmsg_for_each_attr(nest, info->nlhdr, GENL_HDRLEN, rem) {
		if (nla_type(nest) != KAME_KEY_A_REQUEST)
			continue;
		if (sp->nreq == IPSEC_REQ_MAX) {
			NL_SET_ERR_MSG_ATTR(info->extack, nest,
					    "more than 4 requests in one policy");
			return -EINVAL;
		}
		err = ipsec_req(info, nest, &sp->req[sp->nreq], auto_reqid);
		if (err)
			return err;
		sp->nreq++;
	}
	if ((sp->action == KAME_KEY_ACTION_IPSEC) != (sp->nreq > 0)) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "requests go with the action ipsec, and it needs one");
		return -EINVAL;
	}
	return 0;
}

/* SPDADD and SPDUPDATE */
int ipsec_nl_spdadd(struct sk_buff *skb, struct genl_info *info)
{
	struct ipsec_net *in = ipsec_net(genl_info_net(info));
	bool update = info->genlhdr->cmd == KAME_KEY_CMD_SPDUPDATE;
	struct sk_buff *reply = NULL;
	struct ipsec_sp *sp, *old;
	u32 auto_reqid;
	int err;

	sp = kzalloc(sizeof(*sp), GFP_KERNEL_ACCOUNT);
	if (!sp)
		return -ENOMEM;
	err = ipsec_sel(info, sp);
	spin_lock_bh(&in->lock);
	auto_reqid = in->next_reqid;
	spin_unlock_bh(&in->lock);
	if (!err)
		err = ipsec_action(info, sp, &auto_reqid);
	if (err)
		goto out;
	sp->created = ktime_get_real_seconds();
	spin_lock_bh(&in->lock);
	old = ipsec_sp_find(in, sp);
	if (old && !update) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "a policy with this selector and direction exists");
		err = -EEXIST;
	} else if (!old && update) {
		NL_SET_ERR_MSG_MOD(info->extack, "no policy with this selector and direction");
		err = -ENOENT;
	} else if (!old && in->nsp >= READ_ONCE(ipsec_sp_max)) {
		NL_SET_ERR_MSG_MOD(info->extack, "the SPD is full (kame_ipsec's sp_max)");
		err = -ENOSPC;
	} else {
		sp->id = old ? old->id : in->next_spid++;
		if (auto_reqid > in->next_reqid)
			in->next_reqid = auto_reqid;
		/* the new one in first: a reader never finds neither */
		ipsec_sp_insert(in, sp);
		if (old)
			ipsec_sp_unlink(in, old);
		ipsec_monitor(in->net, info->genlhdr->cmd, NULL, sp);
		reply = ipsec_msg(info->genlhdr->cmd, info->snd_portid,
				  info->snd_seq, 0, NULL, sp, false);
		sp = NULL;
	}
	spin_unlock_bh(&in->lock);
out:
	kfree(sp);
	return err ? err : (reply ? genlmsg_reply(reply, info) : -ENOMEM);
}

int ipsec_nl_spddelete(struct sk_buff *skb, struct genl_info *info)
{
	struct ipsec_net *in = ipsec_net(genl_info_net(info));
	struct ipsec_sp sel = { }, *sp;
	int err;

	err = ipsec_sel(info, &sel);
	if (err)
		return err;
	spin_lock_bh(&in->lock);
	sp = ipsec_sp_find(in, &sel);
	if (sp) {
		ipsec_monitor(in->net, KAME_KEY_CMD_SPDDELETE, NULL, sp);
		ipsec_sp_unlink(in, sp);
	}
	spin_unlock_bh(&in->lock);
	if (!sp) {
		NL_SET_ERR_MSG_MOD(info->extack, "no policy with this selector and direction");
		return -ENOENT;
	}
	return 0;
}

static int ipsec_sp_id(struct genl_info *info, u32 *id)
{
	if (!info->attrs[KAME_KEY_A_POLICY_ID]) {
		NL_SET_ERR_MSG_MOD(info->extack, "the policy id is missing");
		NL_SET_ERR_ATTR_MISS(info->extack, NULL, KAME_KEY_A_POLICY_ID);
		return -EINVAL;
	}
	*id = nla_get_u32(info->attrs[KAME_KEY_A_POLICY_ID]);
	return 0;
}

int ipsec_nl_spddelete2(struct sk_buff *skb, struct genl_info *info)
{
	struct ipsec_net *in = ipsec_net(genl_info_net(info));
	struct ipsec_sp *sp;
	u32 id;
	int err;

	err = ipsec_sp_id(info, &id);
	if (err)
		return err;
	spin_lock_bh(&in->lock);
	sp = ipsec_sp_find_id(in, id);
	if (sp) {
		ipsec_monitor(in->net, KAME_KEY_CMD_SPDDELETE2, NULL, sp);
		ipsec_sp_unlink(in, sp);
	}
	spin_unlock_bh(&in->lock);
	if (!sp) {
		NL_SET_ERR_MSG_MOD(info->extack, "no policy with this id");
		return -ENOENT;
	}
	return 0;
}

int ipsec_nl_spdget(struct sk_buff *skb, struct genl_info *info)
{
	struct ipsec_net *in = ipsec_net(genl_info_net(info));
	struct sk_buff *reply = NULL;
	struct ipsec_sp *sp;
	u32 id;
	int err;

	err = ipsec_sp_id(info, &id);
	if (err)
		return err;
	spin_lock_bh(&in->lock);
	sp = ipsec_sp_find_id(in, id);
	if (sp)
		reply = ipsec_msg(KAME_KEY_CMD_SPDGET, info->snd_portid,
				  info->snd_seq, 0, NULL, sp, false);
	spin_unlock_bh(&in->lock);
	if (!sp) {
		NL_SET_ERR_MSG_MOD(info->extack, "no policy with this id");
		return -ENOENT;
	}
	return reply ? genlmsg_reply(reply, info) : -ENOMEM;
}

/* SADB_X_SPDDUMP, in SPD order; cb->args[0]: policies done */
int ipsec_nl_spddump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ipsec_net *in = ipsec_net(sock_net(skb->sk));
	long i = 0, skip = cb->args[0];
	struct ipsec_sp *sp;
	void *hdr;

	spin_lock_bh(&in->lock);
	list_for_each_entry(sp, &in->sps, list) {
		if (i++ < skip)
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &ipsec_key_family,
				  NLM_F_MULTI, KAME_KEY_CMD_SPDDUMP);
		if (!hdr)
			break;
		if (ipsec_fill_sp(skb, sp)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0]++;
	}
	spin_unlock_bh(&in->lock);
	return skb->len;
}

int ipsec_nl_spdflush(struct sk_buff *skb, struct genl_info *info)
{
	struct ipsec_net *in = ipsec_net(genl_info_net(info));

	spin_lock_bh(&in->lock);
	ipsec_spd_flush(in);
	ipsec_monitor(in->net, KAME_KEY_CMD_SPDFLUSH, NULL, NULL);
	spin_unlock_bh(&in->lock);
	return 0;
}
