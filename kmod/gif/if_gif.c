// SPDX-License-Identifier: GPL-2.0
/*
 * The gif tunnel interface (KAME's if_gif.c): a point-to-point netdevice
 * that carries IPv6 and IPv4 packets inside IPv4 (in_gif.c) or IPv6
 * (in6_gif.c), one module of the KAME family beside kame.ko.
 *
 * Transmit: the stack (KAME's for inner IPv6, Linux's for inner IPv4)
 * hands a bare IP packet to gif_xmit(), which puts the outer header on it
 * and sends it by the outer family's output. The per-CPU nesting counter
 * bounds how many gifs one packet may pass through on one call chain
 * (max_nesting, the 004 paper's loop prevention): a gif routed into
 * itself meets itself again inside its own transmit and drops the packet
 * there with tx_nested.
 *
 * Receive: in_gif.c and in6_gif.c find the gif whose outer addresses a
 * packet carries, strip the outer header and pass the inner packet to
 * gif_rx(), which hands it to the device's receive path as if it had
 * arrived on it: KAME's input for IPv6 (the gif is attached), Linux's for
 * IPv4.
 *
 * Every packet a gif does not send or deliver moves one of its named
 * counters (IFLA_GIF_STATS) and the device's tx_dropped or rx_dropped.
 */
#include <linux/if_arp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/module.h>
#include <linux/jhash.h>
#include <net/netns/generic.h>
#include <net/rtnetlink.h>
#include "kmod/core/kame_family.h"
#include "if_gif.h"

unsigned int gif_max_nesting = 1;

static int gif_set_nesting(const char *val, const struct kernel_param *kp)
{
	unsigned int n;
	int err = kstrtouint(val, 0, &n);

	if (err)
		return err;
	if (n < 1 || n > 8)
		return -ERANGE;
	WRITE_ONCE(gif_max_nesting, n);
	return 0;
}

static const struct kernel_param_ops gif_nesting_ops = {
	.set = gif_set_nesting,
	.get = param_get_uint,
};
module_param_cb(max_nesting, &gif_nesting_ops, &gif_max_nesting, 0644);
MODULE_PARM_DESC(max_nesting,
		 "gifs one packet may pass through on one CPU (1-8, default 1)");

/* How many gif transmits this CPU is inside (BH is off in a transmit). */
static DEFINE_PER_CPU(unsigned int, gif_nesting);

static unsigned int gif_net_id __read_mostly;

struct gif_net *gif_net(const struct net *net)
{
	return net_generic(net, gif_net_id);
}

u32 gif_hash4(__be32 local, __be32 remote)
{
	return jhash_2words((__force u32)local, (__force u32)remote, 0) >>
	       (32 - GIF_HASH_BITS);
}

/*
 * The gif whose outer IPv4 addresses are local and remote (a packet's
 * destination and source). Under RCU.
 */
struct kame_gif *gif_lookup4(struct net *net, __be32 local, __be32 remote)
{
	struct gif_net *gn = gif_net(net);
	const struct gif_path *p;
	struct kame_gif *g;

	hlist_for_each_entry_rcu(g, &gn->hash[gif_hash4(local, remote)],
				 hnode) {
		p = rcu_dereference(g->path);
		if (p && p->family == AF_INET && p->local.v4 == local &&
		    p->remote.v4 == remote)
			return g;
	}
	return NULL;
}

/* Take g out of the hash of outer addresses. Under RTNL. */
void gif_unhash(struct kame_gif *g)
{
	if (!hlist_unhashed(&g->hnode))
		hlist_del_init_rcu(&g->hnode);
}

/*
 * Give g the outer addresses of p (NULL: none), rehashing it; the old
 * ones go after a grace period. Under RTNL.
 */
void gif_set_path(struct kame_gif *g, struct gif_path *p)
{
	struct gif_path *old = rtnl_dereference(g->path);
	struct gif_net *gn = gif_net(dev_net(g->dev));

	gif_unhash(g);
	rcu_assign_pointer(g->path, p);
	if (p)
		hlist_add_head_rcu(&g->hnode, &gn->hash[gif_hash(p)]);
	if (old)
		kfree_rcu(old, rcu);
}

void gif_drop(struct kame_gif *g, struct sk_buff *skb, int stat)
{
	atomic_long_inc(&g->stat[stat]);
	kfree_skb(skb);
}

/*
 * Hand the inner packet (skb->data at its header, the outer header
 * pulled) to the receive path of g's device.
 */
void gif_rx(struct kame_gif *g, struct sk_buff *skb, __be16 proto)
{
	struct net_device *dev = g->dev;

	skb->dev = dev;
	skb->protocol = proto;
	skb->pkt_type = PACKET_HOST;
	skb_reset_network_header(skb);
	skb_reset_mac_header(skb);
	skb->mac_len = 0;
	dev_sw_netstats_rx_add(dev, skb->len);
	netif_rx(skb);
}

/* The inner packet's outer protocol number and TOS, or false. */
static bool gif_inner(struct sk_buff *skb, u8 *proto, u8 *tos)
{
	skb_reset_network_header(skb);
	switch (skb->protocol) {
	case htons(ETH_P_IPV6):
		if (!pskb_may_pull(skb, sizeof(struct ipv6hdr)) ||
		    ipv6_hdr(skb)->version != 6)
			return false;
		*proto = IPPROTO_IPV6;
		*tos = (ntohl(*(__be32 *)ipv6_hdr(skb)) >> 20) & 0xff;
		return true;
	case htons(ETH_P_IP):
		if (!pskb_may_pull(skb, sizeof(struct iphdr)) ||
		    ip_hdr(skb)->version != 4)
			return false;
		*proto = IPPROTO_IPIP;
		*tos = ip_hdr(skb)->tos;
		return true;
	}
	return false;
}

/* KAME's gif_output(). Runs with BH off, under RCU (BH). */
static netdev_tx_t gif_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct kame_gif *g = netdev_priv(dev);
	const struct gif_path *p;
	u8 proto, tos;

	if (__this_cpu_inc_return(gif_nesting) > READ_ONCE(gif_max_nesting)) {
		gif_drop(g, skb, IFLA_GIF_STAT_TX_NESTED);
		goto out;
	}
	p = rcu_dereference_bh(g->path);
	if (!p) {
		gif_drop(g, skb, IFLA_GIF_STAT_TX_NOADDR);
		goto out;
	}
	if (!gif_inner(skb, &proto, &tos)) {
		gif_drop(g, skb, IFLA_GIF_STAT_TX_PROTO);
		goto out;
	}
	tos = kame_ecn_ingress(READ_ONCE(g->flags) & GIF_F_ECN, tos);
	if (p->family == AF_INET6)
		gif_output6(g, p, skb, proto, tos);
	else
		gif_output4(g, p, skb, proto, tos);
out:
	__this_cpu_dec(gif_nesting);
	return NETDEV_TX_OK;
}

/* Per-CPU packet and byte counters (iptunnel_xmit() counts in them). */
static int gif_dev_init(struct net_device *dev)
{
#ifndef KAME_HAVE_PCPU_STAT_TYPE
	dev->tstats = netdev_alloc_pcpu_stats(struct pcpu_sw_netstats);
	if (!dev->tstats)
		return -ENOMEM;
#endif
	return 0;
}

static void gif_get_stats64(struct net_device *dev,
			    struct rtnl_link_stats64 *s)
{
	struct kame_gif *g = netdev_priv(dev);
	int i;

	dev_fetch_sw_netstats(s, dev->tstats);
	for (i = IFLA_GIF_STAT_TX_NOADDR; i <= IFLA_GIF_STAT_TX_ERROR; i++)
		s->tx_dropped += atomic_long_read(&g->stat[i]);
	for (i = IFLA_GIF_STAT_RX_INGRESS; i < IFLA_GIF_STAT_PAD; i++)
		s->rx_dropped += atomic_long_read(&g->stat[i]);
	/* the outer output refused it (iptunnel_xmit()) */
	s->tx_errors += DEV_STATS_READ(dev, tx_errors);
}

static const struct net_device_ops gif_netdev_ops = {
	.ndo_init	= gif_dev_init,
	.ndo_start_xmit	= gif_xmit,
	.ndo_get_stats64 = gif_get_stats64,
};

static void gif_dev_free(struct net_device *dev)
{
	struct kame_gif *g = netdev_priv(dev);

	kfree(rcu_access_pointer(g->path));	/* unregistered: no reader */
#ifndef KAME_HAVE_PCPU_STAT_TYPE
	free_percpu(dev->tstats);
#endif
}

void gif_setup(struct net_device *dev)
{
	struct kame_gif *g = netdev_priv(dev);

	dev->netdev_ops = &gif_netdev_ops;
	dev->needs_free_netdev = true;
	dev->priv_destructor = gif_dev_free;
	dev->type = ARPHRD_NONE;	/* bare IP, as tun */
	dev->flags = IFF_POINTOPOINT | IFF_NOARP | IFF_MULTICAST;
	dev->hard_header_len = 0;
	dev->addr_len = 0;
	dev->mtu = GIF_MTU_DEFAULT;
	dev->min_mtu = IPV6_MIN_MTU;
	dev->max_mtu = GIF_MTU_MAX;
	dev->needed_headroom = LL_MAX_HEADER + sizeof(struct ipv6hdr);
	dev->priv_flags |= IFF_NO_QUEUE;
#ifdef KAME_HAVE_PCPU_STAT_TYPE
	dev->pcpu_stat_type = NETDEV_PCPU_STAT_TSTATS;	/* the core's */
#endif
#ifdef KAME_HAVE_DEV_LLTX
	dev->lltx = true;
#else
	dev->features |= NETIF_F_LLTX;
#endif
	/* its outer addresses and its attachment belong to its namespace */
#if defined(KAME_HAVE_NETNS_IMMUTABLE)
	dev->netns_immutable = true;
#elif defined(KAME_HAVE_DEV_NETNS_LOCAL)
	dev->netns_local = true;
#else
	dev->features |= NETIF_F_NETNS_LOCAL;
#endif
	g->dev = dev;
	g->ttl = GIF_TTL_DEFAULT;
	INIT_HLIST_NODE(&g->hnode);
	INIT_LIST_HEAD(&g->list);
}

static int __net_init gif_init_net(struct net *net)
{
	struct gif_net *gn = gif_net(net);
	int i;

	INIT_LIST_HEAD(&gn->gifs);
	for (i = 0; i < ARRAY_SIZE(gn->hash); i++)
		INIT_HLIST_HEAD(&gn->hash[i]);
	return 0;
}

/* A namespace goes: its gifs go first (before the default device exit). */
static void __net_exit gif_exit_batch_net(struct list_head *net_list)
{
	struct kame_gif *g, *tmp;
	struct net *net;
	LIST_HEAD(kill);

	rtnl_lock();
	list_for_each_entry(net, net_list, exit_list)
		list_for_each_entry_safe(g, tmp, &gif_net(net)->gifs, list)
			gif_link_ops.dellink(g->dev, &kill);
	unregister_netdevice_many(&kill);
	rtnl_unlock();
}

static struct pernet_operations gif_net_ops = {
	.init = gif_init_net,
	.exit_batch = gif_exit_batch_net,
	.id = &gif_net_id,
	.size = sizeof(struct gif_net),
};

static int __init gif_init(void)
{
	int err;

	err = register_pernet_device(&gif_net_ops);
	if (err)
		return err;
	err = gif_in4_init();
	if (err)
		goto out_net;
	err = gif_in6_init();
	if (err)
		goto out_in4;
	err = rtnl_link_register(&gif_link_ops);
	if (err)
		goto out_in6;
	return 0;
out_in6:
	gif_in6_exit();
out_in4:
	gif_in4_exit();
out_net:
	unregister_pernet_device(&gif_net_ops);
	return err;
}

/* The gifs of every namespace go with the link kind, then the handlers. */
static void __exit gif_exit(void)
{
	rtnl_link_unregister(&gif_link_ops);
	gif_in6_exit();
	gif_in4_exit();
	unregister_pernet_device(&gif_net_ops);
	rcu_barrier();		/* the outer addresses' kfree_rcu() */
}

module_init(gif_init);
module_exit(gif_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KAME gif tunnel interface (IPv6/IPv4 in IPv4/IPv6)");
MODULE_ALIAS_RTNL_LINK(KAME_GIF_KIND);
MODULE_SOFTDEP("pre: tunnel4");
