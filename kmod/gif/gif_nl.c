// SPDX-License-Identifier: GPL-2.0
/*
 * The gif link kind of rtnetlink: `ip link add gif0 type gif`, and the
 * IFLA_INFO_DATA attributes gifconfig(8) sets and reads (KAME's
 * SIOCSIFPHYADDR, SIOCDIFPHYADDR and SIOCGIFPSRCADDR/PDSTADDR; uapi
 * kame_gif.h documents each).
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/addrconf.h>
#include <net/rtnetlink.h>
#include "kmod/core/kame_family.h"
#include "if_gif.h"

static const struct nla_policy gif_policy[IFLA_GIF_MAX + 1] = {
	[IFLA_GIF_LOCAL]	= { .type = NLA_BINARY,
				    .len = sizeof(struct in6_addr) },
	[IFLA_GIF_REMOTE]	= { .type = NLA_BINARY,
				    .len = sizeof(struct in6_addr) },
	[IFLA_GIF_UNSET]	= { .type = NLA_FLAG },
	[IFLA_GIF_FLAGS]	= NLA_POLICY_MASK(NLA_U32, GIF_F_ALL),
	[IFLA_GIF_TTL]		= NLA_POLICY_MIN(NLA_U8, 1),
	[IFLA_GIF_STATS]	= { .type = NLA_REJECT },
};

/* An outer IPv4 address gif(4) takes: neither 0/8, multicast nor class E */
static int gif_check_addr4(const struct nlattr *a,
			   struct netlink_ext_ack *extack)
{
	u8 first = ntohl(nla_get_in_addr(a)) >> 24;

	if (first == 0 || first >= 224) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "outer address is unspecified, multicast or reserved");
		return -EINVAL;
	}
	return 0;
}

/*
 * An outer IPv6 address: a global unicast one (the embedded scope zones of
 * link-local addresses stay inside the core; v4-mapped ones are IPv4's)
 */
static int gif_check_addr6(const struct nlattr *a,
			   struct netlink_ext_ack *extack)
{
	struct in6_addr x = nla_get_in6_addr(a);

	if (ipv6_addr_any(&x) || ipv6_addr_loopback(&x) ||
	    ipv6_addr_is_multicast(&x) || ipv6_addr_v4mapped(&x) ||
	    (x.s6_addr[0] == 0xfe && (x.s6_addr[1] & 0xc0) == 0x80)) {
		NL_SET_ERR_MSG_ATTR(extack, a,
				    "outer IPv6 address is unspecified, loopback, multicast, v4-mapped or link-local");
		return -EINVAL;
	}
	return 0;
}

static int gif_validate(struct nlattr *tb[], struct nlattr *data[],
			struct netlink_ext_ack *extack)
{
	struct nlattr *l, *r;
	int err;

	if (!data)
		return 0;
	l = data[IFLA_GIF_LOCAL];
	r = data[IFLA_GIF_REMOTE];
	if (!l != !r) {
		NL_SET_ERR_MSG_ATTR(extack, l ? l : r,
				    "outer source and destination go together");
		return -EINVAL;
	}
	if (!l)
		return 0;
	if (data[IFLA_GIF_UNSET]) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_GIF_UNSET],
				    "outer addresses given and removed at once");
		return -EINVAL;
	}
	if (nla_len(l) != nla_len(r)) {
		NL_SET_ERR_MSG_ATTR(extack, r,
				    "outer source and destination of different families");
		return -EINVAL;
	}
	if (nla_len(l) == sizeof(struct in6_addr)) {
		err = gif_check_addr6(l, extack);
		return err ? err : gif_check_addr6(r, extack);
	}
	if (nla_len(l) != sizeof(__be32)) {
		NL_SET_ERR_MSG_ATTR(extack, l,
				    "outer address is neither 4 (IPv4) nor 16 (IPv6) bytes");
		return -EINVAL;
	}
	err = gif_check_addr4(l, extack);
	return err ? err : gif_check_addr4(r, extack);
}

/*
 * The outer addresses data asks for (validated), or NULL when it gives
 * none; -EADDRNOTAVAIL when another gif of the namespace has them.
 */
static struct gif_path *gif_new_path(struct kame_gif *self,
				     struct nlattr *data[],
				     struct netlink_ext_ack *extack)
{
	struct gif_net *gn = gif_net(dev_net(self->dev));
	const struct gif_path *q;
	struct gif_path *p;
	struct kame_gif *g;

	if (!data || !data[IFLA_GIF_LOCAL])
		return NULL;
	p = kzalloc(sizeof(*p), GFP_KERNEL_ACCOUNT);
	if (!p)
		return ERR_PTR(-ENOMEM);
	if (nla_len(data[IFLA_GIF_LOCAL]) == sizeof(struct in6_addr)) {
		p->family = AF_INET6;
		p->local.v6 = nla_get_in6_addr(data[IFLA_GIF_LOCAL]);
		p->remote.v6 = nla_get_in6_addr(data[IFLA_GIF_REMOTE]);
	} else {
		p->family = AF_INET;
		p->local.v4 = nla_get_in_addr(data[IFLA_GIF_LOCAL]);
		p->remote.v4 = nla_get_in_addr(data[IFLA_GIF_REMOTE]);
	}
	list_for_each_entry(g, &gn->gifs, list) {
		q = rtnl_dereference(g->path);
		if (g != self && q && q->family == p->family &&
		    !memcmp(&q->local, &p->local, sizeof(p->local)) &&
		    !memcmp(&q->remote, &p->remote, sizeof(p->remote))) {
			NL_SET_ERR_MSG_MOD(extack,
					   "another gif has these outer addresses");
			kfree(p);
			return ERR_PTR(-EADDRNOTAVAIL);
		}
	}
	return p;
}

/* Apply data (validated) to g; the outer addresses last. Under RTNL. */
static int gif_apply(struct kame_gif *g, struct nlattr *data[],
		     struct netlink_ext_ack *extack)
{
	struct gif_path *p = gif_new_path(g, data, extack);

	if (IS_ERR(p))
		return PTR_ERR(p);
	if (!data)
		return 0;
	if (data[IFLA_GIF_FLAGS])
		WRITE_ONCE(g->flags, nla_get_u32(data[IFLA_GIF_FLAGS]));
	if (data[IFLA_GIF_TTL])
		WRITE_ONCE(g->ttl, nla_get_u8(data[IFLA_GIF_TTL]));
	if (p || data[IFLA_GIF_UNSET])
		gif_set_path(g, p);
	return 0;
}

/*
 * A gif is KAME's from its creation: native IPv6 off on it before it is
 * first up (it has no native address or group report yet, nothing the
 * disable_ipv6 sysctl would have to remove), then attached to the stack.
 */
static void gif_native_off(struct net_device *dev)
{
	struct inet6_dev *idev = __in6_dev_get(dev);

	if (idev)
		WRITE_ONCE(idev->cnf.disable_ipv6, 1);
}

static int gif_newlink(struct net *src_net, struct net_device *dev,
		       struct nlattr *tb[], struct nlattr *data[],
		       struct netlink_ext_ack *extack)
{
	struct kame_gif *g = netdev_priv(dev);
	int err;

	err = register_netdevice(dev);
	if (err)
		return err;
	list_add_tail(&g->list, &gif_net(dev_net(dev))->gifs);
	err = gif_apply(g, data, extack);
	if (err)
		goto out;
	gif_native_off(dev);
	err = kame_family_ifattach(dev, extack);
	if (err)
		goto out;
	return 0;
out:
	list_del(&g->list);
	gif_unhash(g);
	unregister_netdevice(dev);	/* rtnetlink's free_netdev() copes */
	return err;
}

static int gif_changelink(struct net_device *dev, struct nlattr *tb[],
			  struct nlattr *data[],
			  struct netlink_ext_ack *extack)
{
	return gif_apply(netdev_priv(dev), data, extack);
}

static void gif_dellink(struct net_device *dev, struct list_head *head)
{
	struct kame_gif *g = netdev_priv(dev);

	list_del(&g->list);
	gif_unhash(g);
	unregister_netdevice_queue(dev, head);
}

static size_t gif_get_size(const struct net_device *dev)
{
	return 2 * nla_total_size(sizeof(struct in6_addr)) +	/* LOCAL, REMOTE */
	       nla_total_size(sizeof(u32)) +			/* FLAGS */
	       nla_total_size(sizeof(u8)) +			/* TTL */
	       nla_total_size(0) +				/* STATS */
	       IFLA_GIF_STAT_MAX * nla_total_size_64bit(sizeof(u64));
}

static int gif_fill_info(struct sk_buff *skb, const struct net_device *dev)
{
	struct kame_gif *g = netdev_priv(dev);
	const struct gif_path *p = rtnl_dereference(g->path);
	struct nlattr *nest;
	int i;

	if (p && p->family == AF_INET6 &&
	    (nla_put_in6_addr(skb, IFLA_GIF_LOCAL, &p->local.v6) ||
	     nla_put_in6_addr(skb, IFLA_GIF_REMOTE, &p->remote.v6)))
		return -EMSGSIZE;
	if (p && p->family == AF_INET &&
	    (nla_put_in_addr(skb, IFLA_GIF_LOCAL, p->local.v4) ||
	     nla_put_in_addr(skb, IFLA_GIF_REMOTE, p->remote.v4)))
		return -EMSGSIZE;
	if (nla_put_u32(skb, IFLA_GIF_FLAGS, READ_ONCE(g->flags)) ||
	    nla_put_u8(skb, IFLA_GIF_TTL, READ_ONCE(g->ttl)))
		return -EMSGSIZE;
	nest = nla_nest_start(skb, IFLA_GIF_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = IFLA_GIF_STAT_TX_NOADDR; i < IFLA_GIF_STAT_PAD; i++)
		if (nla_put_u64_64bit(skb, i, atomic_long_read(&g->stat[i]),
				      IFLA_GIF_STAT_PAD))
			return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

struct rtnl_link_ops gif_link_ops __read_mostly = {
	.kind		= KAME_GIF_KIND,
	.maxtype	= IFLA_GIF_MAX,
	.policy		= gif_policy,
	.priv_size	= sizeof(struct kame_gif),
	.setup		= gif_setup,
	.validate	= gif_validate,
	.newlink	= gif_newlink,
	.changelink	= gif_changelink,
	.dellink	= gif_dellink,
	.get_size	= gif_get_size,
	.fill_info	= gif_fill_info,
};
