// SPDX-License-Identifier: GPL-2.0
/*
 * The stf 6to4 interface (KAME's if_stf.c, RFC 3056): a netdevice of the
 * KAME stack that carries IPv6 inside IPv4 to the IPv4 address embedded
 * in a 6to4 next hop or destination, one module of the KAME family.
 *
 * stf0 is not point-to-point: every 6to4 router is a neighbour on it, and
 * the "link-layer address" of one is the IPv4 address in its 6to4
 * address. The core therefore does not resolve next hops on stf0 with ND
 * but hands each packet with its next hop to stf_output() (struct
 * kame_link_ops, BSD's if_output()), which finds the outer destination,
 * puts the outer IPv4 header in front and passes the packet through the
 * device's transmit, stf_xmit(), which routes it by Linux's IPv4.
 *
 * Receive is in_stf.c. Every packet stf0 does not send or deliver moves
 * one of its named counters (IFLA_STF_STATS).
 */
#include <linux/if_arp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/module.h>
#include <net/ip.h>
#include <net/ip_tunnels.h>
#include <net/netns/generic.h>
#include <net/route.h>
#include <net/rtnetlink.h>
#include "kmod/core/kame_family.h"
#include "if_stf.h"

static unsigned int stf_net_id __read_mostly;

struct stf_net *stf_net(const struct net *net)
{
	return net_generic(net, stf_net_id);
}

void stf_drop(struct kame_stf *s, struct sk_buff *skb, int stat)
{
	atomic_long_inc(&s->stat[stat]);
	kfree_skb(skb);
}

/* One address of stf0: the first usable 6to4 one of a local IPv4 address */
static int stf_src_one(void *arg, const struct in6_addr *addr, u8 plen,
		       bool usable)
{
	struct stf_src *src = arg;
	__be32 v4 = stf_embedded(addr);
	unsigned int n;

	if (!usable || !stf_is_6to4(addr) || plen < 16 ||
	    inet_addr_type(src->net, v4) != RTN_LOCAL)
		return 0;
	n = min_t(unsigned int, plen, 48) - 16;
	src->v4 = v4;
	src->mask = n ? htonl(~0U << (32 - n)) : 0;
	return 1;
}

/* KAME's stf_getsrcifa6(). Under RCU. */
bool stf_getsrc(struct net_device *dev, struct stf_src *src)
{
	src->net = dev_net(dev);
	return kame_family_foreach_addr(dev, stf_src_one, src) > 0;
}

/*
 * KAME's stf_output(): skb (its IPv6 header at skb->data) to nexthop. The
 * outer destination comes from a 6to4 next hop (a route via a relay
 * router), else from a 6to4 destination. Under RCU (BH).
 */
int stf_output(struct net_device *dev, struct sk_buff *skb,
	       const struct in6_addr *nexthop)
{
	struct kame_stf *s = netdev_priv(dev);
	const struct ipv6hdr *ip6 = (const struct ipv6hdr *)skb->data;
	u32 flags = READ_ONCE(s->flags);
	struct stf_src src;
	struct iphdr *iph;
	__be32 dst;
	u8 tos;

	if (!(READ_ONCE(dev->flags) & IFF_UP)) {
		stf_drop(s, skb, IFLA_STF_STAT_TX_DOWN);
		return -ENETDOWN;
	}
	if (!stf_getsrc(dev, &src)) {
		stf_drop(s, skb, IFLA_STF_STAT_TX_NOADDR);
		return -ENETDOWN;
	}
	if (stf_is_6to4(nexthop)) {
		dst = stf_embedded(nexthop);
	} else if (stf_is_6to4(&ip6->daddr)) {
		dst = stf_embedded(&ip6->daddr);
	} else {
		stf_drop(s, skb, IFLA_STF_STAT_TX_NOT6TO4);
		return -ENETUNREACH;
	}
	if (stf_check4(src.net, flags, dst) || (dst ^ src.v4) & src.mask) {
		stf_drop(s, skb, IFLA_STF_STAT_TX_BADADDR);
		return -ENETUNREACH;
	}
	tos = kame_ecn_ingress(flags & STF_F_ECN, ipv6_get_dsfield(ip6));
	if (skb_cow_head(skb, LL_MAX_HEADER + 2 * sizeof(*iph))) {
		stf_drop(s, skb, IFLA_STF_STAT_TX_ERROR);
		return -ENOMEM;
	}
	/* the transmit reads the outer addresses from here */
	skb_reset_network_header(skb);
	iph = skb_push(skb, sizeof(*iph));
	memset(iph, 0, sizeof(*iph));
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->tos = tos;
	iph->ttl = READ_ONCE(s->ttl);
	iph->protocol = IPPROTO_IPV6;
	iph->saddr = src.v4;
	iph->daddr = dst;
	skb->dev = dev;
	skb->protocol = htons(ETH_P_IPV6);
	return dev_queue_xmit(skb);
}

/*
 * The device's transmit: skb is an IPv6 packet behind the outer IPv4
 * header stf_output() built (anything else, as what AF_PACKET sends, is
 * refused). The IPv4 route lookup refuses a source that is not this
 * node's; the route must be a unicast one that does not lead back into
 * stf0.
 */
static netdev_tx_t stf_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct kame_stf *s = netdev_priv(dev);
	struct net *net = dev_net(dev);
	const struct iphdr *iph;
	struct flowi4 fl4;
	struct rtable *rt;
	u8 tos, ttl;

	if (skb->protocol != htons(ETH_P_IPV6) ||
	    !pskb_may_pull(skb, sizeof(*iph) + sizeof(struct ipv6hdr))) {
		stf_drop(s, skb, IFLA_STF_STAT_TX_PROTO);
		return NETDEV_TX_OK;
	}
	iph = (const struct iphdr *)skb->data;
	if (iph->version != 4 || iph->ihl != 5 ||
	    iph->protocol != IPPROTO_IPV6 ||
	    (skb->data[sizeof(*iph)] >> 4) != 6) {
		stf_drop(s, skb, IFLA_STF_STAT_TX_PROTO);
		return NETDEV_TX_OK;
	}
	memset(&fl4, 0, sizeof(fl4));
	fl4.daddr = iph->daddr;
	fl4.saddr = iph->saddr;
	fl4.flowi4_proto = IPPROTO_IPV6;
	tos = iph->tos;
	ttl = iph->ttl;
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt)) {
		stf_drop(s, skb, IFLA_STF_STAT_TX_NOROUTE);
		return NETDEV_TX_OK;
	}
	if (rt->rt_type != RTN_UNICAST) {
		ip_rt_put(rt);
		stf_drop(s, skb, IFLA_STF_STAT_TX_BADADDR);
		return NETDEV_TX_OK;
	}
	if (rt->dst.dev == dev) {	/* KAME's "infinite encapsulation" */
		ip_rt_put(rt);
		stf_drop(s, skb, IFLA_STF_STAT_TX_LOOP);
		return NETDEV_TX_OK;
	}
	__skb_pull(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	/* what iptunnel_xmit() counts as the packet's bytes: the IPv6 one */
	skb_reset_inner_headers(skb);
	/* counts the device's tx_packets and bytes (or tx_errors) */
	iptunnel_xmit(NULL, rt, skb, fl4.saddr, fl4.daddr, IPPROTO_IPV6, tos,
		      ttl, 0, false);
	return NETDEV_TX_OK;
}

static int stf_dev_init(struct net_device *dev)
{
#ifndef KAME_HAVE_PCPU_STAT_TYPE
	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	if (!dev->tstats)
		return -ENOMEM;
#endif
	return 0;
}

static void stf_dev_uninit(struct net_device *dev)
{
#ifndef KAME_HAVE_PCPU_STAT_TYPE
	free_percpu(dev->tstats);
#endif
}

static void stf_get_stats64(struct net_device *dev,
			    struct rtnl_link_stats64 *st)
{
	struct kame_stf *s = netdev_priv(dev);
	int i;

	dev_fetch_sw_netstats(st, dev->tstats);
	for (i = IFLA_STF_STAT_TX_DOWN; i <= IFLA_STF_STAT_TX_ERROR; i++)
		st->tx_dropped += atomic_long_read(&s->stat[i]);
	for (i = IFLA_STF_STAT_RX_UNSPEC; i < IFLA_STF_STAT_PAD; i++)
		st->rx_dropped += atomic_long_read(&s->stat[i]);
	st->tx_errors += DEV_STATS_READ(dev, tx_errors);
}

static const struct net_device_ops stf_netdev_ops = {
	.ndo_init	= stf_dev_init,
	.ndo_uninit	= stf_dev_uninit,
	.ndo_start_xmit	= stf_xmit,
	.ndo_get_stats64 = stf_get_stats64,
};

void stf_setup(struct net_device *dev)
{
	struct kame_stf *s = netdev_priv(dev);

	dev->netdev_ops = &stf_netdev_ops;
	dev->needs_free_netdev = true;
	dev->type = ARPHRD_SIT;		/* IPv6 in IPv4, as sit */
	dev->flags = IFF_NOARP;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->mtu = STF_MTU_DEFAULT;
	dev->min_mtu = IPV6_MIN_MTU;
	dev->max_mtu = STF_MTU_MAX;
	dev->needed_headroom = LL_MAX_HEADER + 2 * sizeof(struct iphdr);
	dev->priv_flags |= IFF_NO_QUEUE;
#ifdef KAME_HAVE_PCPU_STAT_TYPE
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;	/* the core's */
#endif
#ifdef KAME_HAVE_DEV_LLTX
	dev->lltx = true;
#else
	dev->features |= NETIF_F_LLTX;
#endif
#if defined(KAME_HAVE_NETNS_IMMUTABLE)
	dev->netns_immutable = true;
#elif defined(KAME_HAVE_DEV_NETNS_LOCAL)
	dev->netns_local = true;
#else
	dev->features |= NETIF_F_NETNS_LOCAL;
#endif
	s->dev = dev;
	s->ttl = STF_TTL_DEFAULT;
	s->flags = STF_F_NOINGRESS;	/* FreeBSD sets IFF_LINK2 at attach */
}

/* A namespace goes: its stf goes first (before the default device exit). */
static void __net_exit stf_exit_batch_net(struct list_head *net_list)
{
	struct kame_stf *s;
	struct net *net;
	LIST_HEAD(kill);

	rtnl_lock();
	list_for_each_entry(net, net_list, exit_list) {
		s = rtnl_dereference(stf_net(net)->stf);
		if (s)
			stf_link_ops.dellink(s->dev, &kill);
	}
	unregister_netdevice_many(&kill);
	rtnl_unlock();
}

static struct pernet_operations stf_net_ops = {
	.exit_batch = stf_exit_batch_net,
	.id = &stf_net_id,
	.size = sizeof(struct stf_net),
};

static int __init stf_init(void)
{
	int err;

	err = register_pernet_device(&stf_net_ops);
	if (err)
		return err;
	err = stf_in_init();
	if (err)
		goto out_net;
	err = rtnl_link_register(&stf_link_ops);
	if (err)
		goto out_in;
	return 0;
out_in:
	stf_in_exit();
out_net:
	unregister_pernet_device(&stf_net_ops);
	return err;
}

/* The stf of every namespace goes with the link kind, then the handler. */
static void __exit stf_exit(void)
{
	rtnl_link_unregister(&stf_link_ops);
	stf_in_exit();
	unregister_pernet_device(&stf_net_ops);
}

module_init(stf_init);
module_exit(stf_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KAME stf 6to4 tunnel interface (RFC 3056)");
MODULE_ALIAS_RTNL_LINK(KAME_STF_KIND);
MODULE_SOFTDEP("pre: tunnel4");
