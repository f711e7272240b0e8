// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink of the default router list and the prefix list (KAME's
 * SIOCGDRLST_IN6, SIOCGPRLST_IN6, SIOCSRTRFLUSH_IN6, SIOCSPFXFLUSH_IN6;
 * ndp -r, -p, -R, -P). The lists change under RTNL, which the dumps
 * hold for each part.
 */
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include "kame.h"

const struct nla_policy kame_defrtr_policy[KAME_DEFRTR_A_MAX + 1] = {
	[KAME_DEFRTR_A_ADDRESS ... KAME_DEFRTR_A_MAX] = {
		.type = NLA_REJECT },
};

const struct nla_policy kame_prefix_policy[KAME_PREFIX_A_MAX + 1] = {
	[KAME_PREFIX_A_PREFIX ... KAME_PREFIX_A_MAX] = { .type = NLA_REJECT },
};

static u32 nd6_secs_left(u64 until)
{
	return until ? kame_ifa_lft_left(until) : KAME_LFT_INFINITY;
}

static int nla_put_plain(struct sk_buff *skb, int type,
			 const struct in6_addr *a)
{
	struct in6_addr plain = *a;

	kame_in6_clearscope(&plain);
	return nla_put_in6_addr(skb, type, &plain);
}

/*
 * One part of a dump of the router or prefix list at head, from where the
 * last part stopped: fill puts the entry of each node into skb.
 */
static int nd6_list_dump(struct sk_buff *skb, struct netlink_callback *cb,
			 const struct list_head *head,
			 int (*fill)(struct sk_buff *skb,
				     const struct list_head *node,
				     u32 portid, u32 seq))
{
	long idx = 0, start = cb->args[0];
	const struct list_head *pos;

	rtnl_lock();
	list_for_each(pos, head) {
		if (idx++ < start)
			continue;
		if (fill(skb, pos, NETLINK_CB(cb->skb).portid,
			 cb->nlh->nlmsg_seq)) {
			idx--;
			break;
		}
	}
	rtnl_unlock();
	cb->args[0] = idx;
	return skb->len;
}

static int defrtr_fill(struct sk_buff *skb, const struct list_head *node,
		       u32 portid, u32 seq)
{
	const struct kame_defrouter *dr =
		list_entry(node, struct kame_defrouter, list);
	void *hdr = genlmsg_put(skb, portid, seq, &kame_genl_family,
				NLM_F_MULTI, KAME_CMD_DEFRTR_GET);

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_plain(skb, KAME_DEFRTR_A_ADDRESS, &dr->addr) ||
	    nla_put_u32(skb, KAME_DEFRTR_A_IFINDEX, dr->kif->dev->ifindex) ||
	    nla_put_u8(skb, KAME_DEFRTR_A_RAFLAGS, dr->raflags) ||
	    nla_put_u32(skb, KAME_DEFRTR_A_LIFETIME, dr->lifetime) ||
	    nla_put_u32(skb, KAME_DEFRTR_A_EXPIRES, nd6_secs_left(dr->expire)) ||
	    (dr->installed && nla_put_flag(skb, KAME_DEFRTR_A_INSTALLED))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int kame_nl_defrtr_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct kame_net *kn = kame_net(sock_net(skb->sk));

	return nd6_list_dump(skb, cb, &kn->defrouters, defrtr_fill);
}

int kame_nl_defrtr_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct kame_net *kn = kame_net(genl_info_net(info));
	int err = kame_nl_admin(skb, info);

	if (err)
		return err;
	rtnl_lock();
	kame_defrtr_flush(kn);
	rtnl_unlock();
	return 0;
}

/* ndp -H: the default route again from the list (defrouter_reset) */
int kame_nl_defrtr_harmonize(struct sk_buff *skb, struct genl_info *info)
{
	struct kame_net *kn = kame_net(genl_info_net(info));
	int err = kame_nl_admin(skb, info);

	if (err)
		return err;
	rtnl_lock();
	kame_defrouter_reset(kn);
	kame_defrouter_select(kn);
	rtnl_unlock();
	return 0;
}

static int prefix_fill_routers(struct sk_buff *skb,
			       const struct kame_nd_prefix *pr)
{
	const struct kame_pfxrouter *r;
	struct nlattr *all, *one;

	all = nla_nest_start(skb, KAME_PREFIX_A_ROUTERS);
	if (!all)
		return -EMSGSIZE;
	list_for_each_entry(r, &pr->routers, list) {
		one = nla_nest_start(skb, KAME_PREFIX_A_ROUTER);
		if (!one || nla_put_plain(skb, KAME_PFXRTR_A_ADDRESS, &r->addr) ||
		    nla_put_u8(skb, KAME_PFXRTR_A_STATE,
			       kame_nd6_state(pr->kif, &r->addr)))
			return -EMSGSIZE;
		nla_nest_end(skb, one);
	}
	nla_nest_end(skb, all);
	return 0;
}

static int prefix_fill(struct sk_buff *skb, const struct list_head *node,
		       u32 portid, u32 seq)
{
	const struct kame_nd_prefix *pr =
		list_entry(node, struct kame_nd_prefix, list);
	void *hdr = genlmsg_put(skb, portid, seq, &kame_genl_family,
				NLM_F_MULTI, KAME_CMD_PREFIX_GET);

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_in6_addr(skb, KAME_PREFIX_A_PREFIX, &pr->prefix) ||
	    nla_put_u8(skb, KAME_PREFIX_A_PREFIXLEN, pr->plen) ||
	    nla_put_u32(skb, KAME_PREFIX_A_IFINDEX, pr->kif->dev->ifindex) ||
	    nla_put_u32(skb, KAME_PREFIX_A_FLAGS, pr->flags) ||
	    nla_put_u32(skb, KAME_PREFIX_A_VLTIME, pr->vltime) ||
	    nla_put_u32(skb, KAME_PREFIX_A_PLTIME, pr->pltime) ||
	    nla_put_u32(skb, KAME_PREFIX_A_EXPIRES, nd6_secs_left(pr->expire)) ||
	    nla_put_u32(skb, KAME_PREFIX_A_REFCNT, kame_prefix_refcnt(pr)) ||
	    prefix_fill_routers(skb, pr)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int kame_nl_prefix_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct kame_net *kn = kame_net(sock_net(skb->sk));

	return nd6_list_dump(skb, cb, &kn->prefixes, prefix_fill);
}

int kame_nl_prefix_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct kame_net *kn = kame_net(genl_info_net(info));
	struct kame_nd_prefix *pr, *tmp;
	int err = kame_nl_admin(skb, info);

	if (err)
		return err;
	rtnl_lock();
	list_for_each_entry_safe(pr, tmp, &kn->prefixes, list)
		kame_prelist_remove(pr, true);
	kame_pfxlist_onlink_check(kn);
	rtnl_unlock();
	return 0;
}
