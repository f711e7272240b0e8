// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink of Neighbor Discovery: the neighbor cache (ndp -a, -s, -d, -c)
 * and the per-interface parameters (KAME's nd_ifinfo, ndp -i).
 * uapi/linux/kame.h documents the commands.
 */
#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>
#include <net/sock.h>
#include "nd6.h"

#define ND6_TEMP_LIFETIME	1200	/* ndp -s ... temp: 20 minutes */

static struct netlink_range_validation ndif_ms_range = {
	.min = 1, .max = 3600000,
};

const struct nla_policy kame_ndif_policy[KAME_NDIF_A_MAX + 1] = {
	[KAME_NDIF_A_IFINDEX] = NLA_POLICY_MIN(NLA_U32, 1),
	[KAME_NDIF_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, __KAME_NDIF_F_ALL),
	[KAME_NDIF_A_FLAGS_MASK] = NLA_POLICY_MASK(NLA_U32, __KAME_NDIF_F_ALL),
	[KAME_NDIF_A_BASEREACHABLE] = NLA_POLICY_FULL_RANGE(NLA_U32, &ndif_ms_range),
	[KAME_NDIF_A_REACHABLE] = { .type = NLA_REJECT,
				    .reject_message = "read-only attribute" },
	[KAME_NDIF_A_RETRANS] = NLA_POLICY_FULL_RANGE(NLA_U32, &ndif_ms_range),
	[KAME_NDIF_A_CURHLIM] = NLA_POLICY_MIN(NLA_U8, 1),
	[KAME_NDIF_A_DAD_TRANSMITS] = NLA_POLICY_MAX(NLA_U8, 10),
	[KAME_NDIF_A_LINKMTU] = { .type = NLA_REJECT,
				  .reject_message = "read-only attribute" },
	[KAME_NDIF_A_MAXMTU] = { .type = NLA_REJECT,
				 .reject_message = "read-only attribute" },
};

static int nd_fill(struct sk_buff *skb, struct kame_llinfo *ln,
		   struct netlink_callback *cb)
{
	struct in6_addr a = ln->key.addr;
	u32 expire = 0;
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &kame_genl_family, NLM_F_MULTI, KAME_CMD_ND_GET);
	if (!hdr)
		return -EMSGSIZE;
	kame_in6_clearscope(&a);
	if (ln->expire && time_after(ln->expire, jiffies)) {
		expire = DIV_ROUND_UP(ln->expire - jiffies, HZ);
	} else if (ln->state == KAME_ND_STALE &&
		   !(ln->flags & KAME_ND_F_MANUAL)) {
		/* a STALE entry: time until the GC may take it */
		unsigned long gc = ln->used + (unsigned long)HZ *
				   READ_ONCE(ln->key.kif->kn->nd_gctimer);

		if (time_after(gc, jiffies))
			expire = DIV_ROUND_UP(gc - jiffies, HZ);
	}
	if (nla_put_u32(skb, KAME_ND_A_IFINDEX, ln->key.kif->dev->ifindex) ||
	    nla_put_in6_addr(skb, KAME_ND_A_ADDRESS, &a) ||
	    nla_put_u8(skb, KAME_ND_A_STATE, ln->state) ||
	    nla_put_u32(skb, KAME_ND_A_FLAGS, ln->flags) ||
	    nla_put_u32(skb, KAME_ND_A_EXPIRE, expire) ||
	    nla_put_u8(skb, KAME_ND_A_ASKED, ln->asked) ||
	    (ln->state > KAME_ND_INCOMPLETE && !ln->key.kif->nolladdr &&
	     nla_put(skb, KAME_ND_A_LLADDR, ETH_ALEN, ln->lladdr))) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

int kame_nd6_dump_start(struct netlink_callback *cb)
{
	struct kame_net *kn = kame_net(sock_net(cb->skb->sk));
	struct rhashtable_iter *iter;

	iter = kmalloc(sizeof(*iter), GFP_KERNEL);
	if (!iter)
		return -ENOMEM;
	rhashtable_walk_enter(&kn->nd_table, iter);
	cb->args[0] = (long)iter;
	return 0;
}

int kame_nd6_dump_done(struct netlink_callback *cb)
{
	struct rhashtable_iter *iter = (void *)cb->args[0];

	if (iter) {
		rhashtable_walk_exit(iter);
		kfree(iter);
	}
	return 0;
}

/* Dump the cache with a resumable walk of the hash table. */
int kame_nd6_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct kame_net *kn = kame_net(sock_net(skb->sk));
	struct rhashtable_iter *iter = (void *)cb->args[0];
	struct nlattr **attrs = kame_dump_attrs(cb);
	struct nlattr *filter = attrs[KAME_ND_A_IFINDEX];
	struct kame_llinfo *ln;
	int err = 0;

	rhashtable_walk_start(iter);
	for (ln = rhashtable_walk_peek(iter); ln;
	     ln = rhashtable_walk_next(iter)) {
		if (IS_ERR(ln)) {
			if (PTR_ERR(ln) == -EAGAIN)
				continue;
			err = PTR_ERR(ln);
			break;
		}
		if (filter &&
		    ln->key.kif->dev->ifindex != nla_get_u32(filter))
			continue;
		spin_lock_bh(&kn->nd_lock);
		if (!ln->dead)
			err = nd_fill(skb, ln, cb);
		spin_unlock_bh(&kn->nd_lock);
		if (err)
			break;
	}
	rhashtable_walk_stop(iter);
	if (err == -EMSGSIZE && skb->len)
		return skb->len;
	return err ?: skb->len;
}

/*
 * The address and interface of an ND_NEW/ND_DEL request. A plain address
 * from userland becomes the kernel's embedded form; a scoped address needs
 * the interface. Without one, new: the interface the address is on-link
 * on; del: NULL (the caller looks on every interface). Under RTNL.
 */
static int nd_nl_target(struct genl_info *info, bool new,
			struct kame_if **kifp, struct in6_addr *addr)
{
	struct nlattr *na = info->attrs[KAME_ND_A_ADDRESS];
	struct kame_net *kn = kame_net(genl_info_net(info));
	struct kame_if *kif;

	if (!na) {
		NL_SET_ERR_MSG_MOD(info->extack, "KAME_ND_A_ADDRESS is required");
		return -EINVAL;
	}
	*addr = nla_get_in6_addr(na);
	if (kame_in6_is_scoped(addr) && addr->s6_addr16[1]) {
		NL_SET_ERR_MSG_ATTR(info->extack, na,
				    "scoped address with a zone embedded in bytes 2-3: give the plain address and the interface");
		return -EINVAL;
	}
	if (IN6_IS_ADDR_MULTICAST(addr) || IN6_IS_ADDR_UNSPECIFIED(addr) ||
	    IN6_IS_ADDR_LOOPBACK(addr) || IN6_IS_ADDR_V4MAPPED(addr)) {
		NL_SET_ERR_MSG_ATTR(info->extack, na,
				    "not a unicast address a neighbor can have");
		return -EINVAL;
	}
	kif = kame_nl_kif_attr(info, KAME_ND_A_IFINDEX);
	if (IS_ERR(kif))
		return PTR_ERR(kif);
	if (!kif && kame_in6_is_scoped(addr)) {
		NL_SET_ERR_MSG_ATTR(info->extack, na,
				    "a link-local address needs its interface (KAME_ND_A_IFINDEX)");
		return -EINVAL;
	}
	if (kif) {
		kame_in6_setscope(addr, kif->dev->ifindex);
		if (new && !kame_in6_onlink(kif, addr)) {
			NL_SET_ERR_MSG_ATTR(info->extack, na,
					    "address is not on-link on the interface");
			return -ENETUNREACH;
		}
	} else if (new) {
		list_for_each_entry(kif, &kn->ifs, list)
			if (kame_in6_onlink(kif, addr))
				break;
		if (list_entry_is_head(kif, &kn->ifs, list)) {
			NL_SET_ERR_MSG_ATTR(info->extack, na,
					    "cannot intuit the interface: the address is not on-link on an attached interface");
			return -ENETUNREACH;
		}
	}
	*kifp = kif;
	return 0;
}

int kame_nl_nd_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	u32 flags = 0, lifetime = ND6_TEMP_LIFETIME;
	struct kame_if *kif = NULL;
	struct in6_addr addr;
	const u8 *lladdr;
	int err;

	err = kame_nl_admin(skb, info) ?: kame_nl_no_dups(info);
	if (err)
		return err;
	if (tb[KAME_ND_A_FLAGS])
		flags = nla_get_u32(tb[KAME_ND_A_FLAGS]);
	if (!(flags & KAME_ND_F_STATIC) == !(flags & KAME_ND_F_TEMP)) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "give exactly one of the flags static and temp");
		return -EINVAL;
	}
	if (tb[KAME_ND_A_EXPIRE]) {
		if (!(flags & KAME_ND_F_TEMP)) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[KAME_ND_A_EXPIRE],
					    "a lifetime is only for a temporary entry");
			return -EINVAL;
		}
		lifetime = nla_get_u32(tb[KAME_ND_A_EXPIRE]);
	}
	if (!tb[KAME_ND_A_LLADDR] && !(flags & KAME_ND_F_PROXY)) {
		NL_SET_ERR_MSG_MOD(info->extack, "KAME_ND_A_LLADDR is required");
		return -EINVAL;
	}
	rtnl_lock();
	err = nd_nl_target(info, true, &kif, &addr);
	if (!err && kif->nolladdr) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "the interface has no link-layer addresses (point-to-point)");
		err = -EOPNOTSUPP;
	} else if (!err) {
		lladdr = tb[KAME_ND_A_LLADDR] ? nla_data(tb[KAME_ND_A_LLADDR]) :
						kif->dev->dev_addr;
		if (!is_valid_ether_addr(lladdr)) {
			NL_SET_ERR_MSG_ATTR(info->extack, tb[KAME_ND_A_LLADDR],
					    "not a unicast link-layer address");
			err = -EINVAL;
		} else {
			err = kame_nd6_add_manual(kif, &addr, lladdr, flags,
						  lifetime);
			if (err)
				NL_SET_ERR_MSG_MOD(info->extack,
						   "the neighbor cache is full (net.inet6.icmp6.nd6_maxcache)");
		}
	}
	rtnl_unlock();
	return err;
}

int kame_nl_nd_del(struct sk_buff *skb, struct genl_info *info)
{
	struct kame_net *kn = kame_net(genl_info_net(info));
	struct kame_if *kif = NULL;
	struct in6_addr addr;
	int err;

	err = kame_nl_admin(skb, info) ?: kame_nl_no_dups(info);
	if (err)
		return err;
	rtnl_lock();
	err = nd_nl_target(info, false, &kif, &addr);
	if (!err && kif) {
		err = kame_nd6_del(kif, &addr);
	} else if (!err) {
		err = -ENOENT;
		list_for_each_entry(kif, &kn->ifs, list)
			if (!kame_nd6_del(kif, &addr)) {
				err = 0;
				break;
			}
	}
	rtnl_unlock();
	if (err == -ENOENT)
		NL_SET_ERR_MSG_MOD(info->extack, "no such neighbor cache entry");
	return err;
}

int kame_nl_nd_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct kame_net *kn = kame_net(genl_info_net(info));
	struct kame_if *kif;
	int err;

	err = kame_nl_admin(skb, info) ?: kame_nl_no_dups(info);
	if (err)
		return err;
	rtnl_lock();
	kif = kame_nl_kif_attr(info, KAME_ND_A_IFINDEX);
	if (!IS_ERR(kif))
		kame_nd6_flush(kn, kif, false);
	rtnl_unlock();
	return PTR_ERR_OR_ZERO(kif);
}

static int ndif_fill(struct sk_buff *skb, const struct kame_if *kif,
		     u32 portid, u32 seq, int flags)
{
	void *hdr = genlmsg_put(skb, portid, seq, &kame_genl_family, flags,
				KAME_CMD_NDIF_GET);

	if (!hdr)
		return -EMSGSIZE;
	if (nla_put_u32(skb, KAME_NDIF_A_IFINDEX, kif->dev->ifindex) ||
	    nla_put_u32(skb, KAME_NDIF_A_FLAGS, READ_ONCE(kif->nd_flags)) ||
	    nla_put_u32(skb, KAME_NDIF_A_BASEREACHABLE,
			READ_ONCE(kif->basereachable)) ||
	    nla_put_u32(skb, KAME_NDIF_A_REACHABLE, READ_ONCE(kif->reachable)) ||
	    nla_put_u32(skb, KAME_NDIF_A_RETRANS, READ_ONCE(kif->retrans)) ||
	    nla_put_u8(skb, KAME_NDIF_A_CURHLIM, READ_ONCE(kif->curhlim)) ||
	    nla_put_u8(skb, KAME_NDIF_A_DAD_TRANSMITS,
		       READ_ONCE(kif->dad_transmits)) ||
	    nla_put_u32(skb, KAME_NDIF_A_LINKMTU, kame_if_linkmtu(kif)) ||
	    nla_put_u32(skb, KAME_NDIF_A_MAXMTU, kif->dev->max_mtu ?: kif->dev->mtu)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

static struct kame_if *ndif_kif(struct genl_info *info)
{
	struct kame_if *kif = kame_nl_kif_attr(info, KAME_NDIF_A_IFINDEX);

	if (!kif) {
		NL_SET_ERR_MSG_MOD(info->extack, "KAME_NDIF_A_IFINDEX is required");
		return ERR_PTR(-EINVAL);
	}
	return kif;
}

int kame_nl_ndif_get(struct sk_buff *skb, struct genl_info *info)
{
	struct kame_if *kif;
	struct sk_buff *msg;
	int err;

	err = kame_nl_no_dups(info);
	if (err)
		return err;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	rtnl_lock();
	kif = ndif_kif(info);
	err = IS_ERR(kif) ? PTR_ERR(kif) :
	      ndif_fill(msg, kif, info->snd_portid, info->snd_seq, 0);
	rtnl_unlock();
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	return genlmsg_reply(msg, info);
}

int kame_nl_ndif_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct kame_net *kn = kame_net(sock_net(skb->sk));
	long idx = 0, start = cb->args[0];
	struct kame_if *kif;

	rcu_read_lock();
	list_for_each_entry_rcu(kif, &kn->ifs, list) {
		if (idx++ < start)
			continue;
		if (ndif_fill(skb, kif, NETLINK_CB(cb->skb).portid,
			      cb->nlh->nlmsg_seq, NLM_F_MULTI)) {
			idx--;
			break;
		}
	}
	rcu_read_unlock();
	cb->args[0] = idx;
	return skb->len;
}

/* Clearing "disabled" restarts DAD on the duplicated addresses. */
static void ndif_enable(struct kame_if *kif)
{
	struct kame_ifaddr *ifa;

	list_for_each_entry(ifa, &kif->addrs, list) {
		u32 f = READ_ONCE(ifa->flags);

		if (!(f & KAME_ADDR_F_DUPLICATED))
			continue;
		del_timer_sync(&ifa->dad_timer);
		kame_ifa_flags_mod(ifa, KAME_ADDR_F_DUPLICATED, 0);
		ifa->dad_dup = false;
		kame_nd6_dad_start(ifa);
	}
}

int kame_nl_ndif_set(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **tb = info->attrs;
	struct kame_if *kif;
	u32 mask, old;
	int err;

	err = kame_nl_admin(skb, info) ?: kame_nl_no_dups(info);
	if (err)
		return err;
	if (!tb[KAME_NDIF_A_FLAGS] != !tb[KAME_NDIF_A_FLAGS_MASK]) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "KAME_NDIF_A_FLAGS and KAME_NDIF_A_FLAGS_MASK go together");
		return -EINVAL;
	}
	rtnl_lock();
	kif = ndif_kif(info);
	if (IS_ERR(kif)) {
		rtnl_unlock();
		return PTR_ERR(kif);
	}
	if (tb[KAME_NDIF_A_BASEREACHABLE]) {
		u32 base = nla_get_u32(tb[KAME_NDIF_A_BASEREACHABLE]);

		WRITE_ONCE(kif->basereachable, base);
		WRITE_ONCE(kif->reachable, kame_nd6_compute_rtime(base));
	}
	if (tb[KAME_NDIF_A_RETRANS])
		WRITE_ONCE(kif->retrans, nla_get_u32(tb[KAME_NDIF_A_RETRANS]));
	if (tb[KAME_NDIF_A_CURHLIM])
		WRITE_ONCE(kif->curhlim, nla_get_u8(tb[KAME_NDIF_A_CURHLIM]));
	if (tb[KAME_NDIF_A_DAD_TRANSMITS])
		WRITE_ONCE(kif->dad_transmits,
			   nla_get_u8(tb[KAME_NDIF_A_DAD_TRANSMITS]));
	if (tb[KAME_NDIF_A_FLAGS]) {
		mask = nla_get_u32(tb[KAME_NDIF_A_FLAGS_MASK]);
		old = READ_ONCE(kif->nd_flags);
		kame_ndif_update(kif, mask, nla_get_u32(tb[KAME_NDIF_A_FLAGS]));
		if ((old & KAME_NDIF_F_DISABLED) && !kame_if_disabled(kif))
			ndif_enable(kif);
		/* auto_linklocal 0 -> 1: the link-local address, if none */
		if (!(old & KAME_NDIF_F_AUTO_LINKLOCAL)) {
			err = kame_in6_auto_linklocal(kif);
			if (err)
				NL_SET_ERR_MSG_MOD(info->extack,
						   "cannot add the link-local address");
		}
	}
	rtnl_unlock();
	return err;
}
