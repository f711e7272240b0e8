// SPDX-License-Identifier: GPL-2.0
/*
 * gif over IPv4 (KAME's in_gif.c): the outer header goes on through
 * Linux's IPv4 output; received protocol 41 (IPv6 inside) and 4 (IPv4
 * inside) come from the tunnel4 handler chain that sit and ipip use too
 * (its registration function is named xfrm4_tunnel_register(), but the
 * chain is tunnel4's demultiplexer, not XFRM).
 *
 * gif's handlers run first in the chain: a packet whose outer addresses
 * are a gif's (its destination the gif's local address, its source the
 * gif's remote one, gif_validate4() of KAME) is the gif's, every other
 * packet goes on to sit, ipip and the rest, as before the module came.
 */
#include <linux/icmp.h>
#include <net/ip.h>
#include <net/ip_tunnels.h>
#include <net/route.h>
#include <net/xfrm.h>	/* struct xfrm_tunnel: the tunnel4 chain */
#include "kmod/core/kame_family.h"
#include "if_gif.h"

#define GIF_TUNNEL4_PRIO	-2	/* before stf (-1), sit (1, 2), ipip (1), vti (0) */

/*
 * Send skb (its inner header at skb->data) inside an IPv4 header from
 * p's local to its remote address: protocol proto, TOS tos, TTL the gif's,
 * DF clear (KAME's in_gif_output(): no path MTU discovery for what is
 * inside; the outer packet is fragmented on the way if it must be).
 */
void gif_output4(struct kame_gif *g, const struct gif_path *p,
		 struct sk_buff *skb, u8 proto, u8 tos)
{
	struct net *net = dev_net(g->dev);
	struct flowi4 fl4;
	struct rtable *rt;

	memset(&fl4, 0, sizeof(fl4));
	fl4.daddr = p->remote.v4;
	fl4.saddr = p->local.v4;
	fl4.flowi4_proto = proto;
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt)) {
		gif_drop(g, skb, IFLA_GIF_STAT_TX_NOROUTE);
		return;
	}
	if (skb_cow_head(skb, LL_RESERVED_SPACE(rt->dst.dev) +
			 sizeof(struct iphdr))) {
		ip_rt_put(rt);
		gif_drop(g, skb, IFLA_GIF_STAT_TX_ERROR);
		return;
	}
	/* counts the device's tx_packets and bytes (or tx_errors) */
	iptunnel_xmit(NULL, rt, skb, fl4.saddr, fl4.daddr, proto, tos,
		      READ_ONCE(g->ttl), 0, false);
}

/* KAME's gif_validate4(): sources no tunnel may come from. */
static bool gif_martian4(struct net *net, __be32 src)
{
	u8 first = ntohl(src) >> 24;

	return first == 0 || first == 127 || first >= 224 ||
	       inet_addr_type(net, src) == RTN_BROADCAST;
}

/* The ingress filter: does the route back to src leave by dev? */
static bool gif_ingress4(struct net *net, __be32 src, struct net_device *dev)
{
	struct flowi4 fl4;
	struct rtable *rt;
	bool ok;

	memset(&fl4, 0, sizeof(fl4));
	fl4.daddr = src;
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return false;
	ok = rt->dst.dev == dev;
	ip_rt_put(rt);
	return ok;
}

/*
 * A packet of protocol 41 or 4 for this node (the outer header pulled,
 * at least the inner header's fixed part linear at skb->data): 0 when a
 * gif took it (delivered or dropped with its counter), non-zero to let
 * the next handler of the chain have it.
 */
static int gif_input4(struct sk_buff *skb, __be16 inner)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct net *net = dev_net(skb->dev);
	u8 outer_tos = iph->tos, version;
	struct kame_gif *g;
	u32 flags;

	g = gif_lookup4(net, iph->daddr, iph->saddr);
	if (!g)
		return -ENOENT;
	flags = READ_ONCE(g->flags);
	if (!(READ_ONCE(g->dev->flags) & IFF_UP)) {
		gif_drop(g, skb, IFLA_GIF_STAT_RX_DOWN);
		return 0;
	}
	if (gif_martian4(net, iph->saddr)) {
		gif_drop(g, skb, IFLA_GIF_STAT_RX_MARTIAN);
		return 0;
	}
	if (!(flags & GIF_F_NOINGRESS) &&
	    !gif_ingress4(net, iph->saddr, skb->dev)) {
		gif_drop(g, skb, IFLA_GIF_STAT_RX_INGRESS);
		return 0;
	}
	version = inner == htons(ETH_P_IP) ? 4 : 6;
	if (skb->data[0] >> 4 != version ||
	    iptunnel_pull_header(skb, 0, inner, false)) {
		gif_drop(g, skb, IFLA_GIF_STAT_RX_MALFORMED);
		return 0;
	}
	if (!kame_ecn_egress(flags & GIF_F_ECN, outer_tos, skb, inner)) {
		gif_drop(g, skb, IFLA_GIF_STAT_RX_ECN);
		return 0;
	}
	gif_rx(g, skb, inner);
	return 0;
}

static int gif_input4_6(struct sk_buff *skb)
{
	return gif_input4(skb, htons(ETH_P_IPV6));
}

static int gif_input4_4(struct sk_buff *skb)
{
	return gif_input4(skb, htons(ETH_P_IP));
}

/*
 * An ICMP error about a packet a gif sent (skb->data at the header of
 * that packet): KAME does not translate it for the inner packet; a gif's
 * is taken here and ignored, another goes on down the chain.
 */
static int gif_err4(struct sk_buff *skb, u32 info)
{
	const struct iphdr *iph = (const struct iphdr *)skb->data;

	return gif_lookup4(dev_net(skb->dev), iph->saddr, iph->daddr) ?
	       0 : -ENOENT;
}

static struct xfrm_tunnel gif_handler4_6 __read_mostly = {
	.handler	= gif_input4_6,
	.err_handler	= gif_err4,
	.priority	= GIF_TUNNEL4_PRIO,
};

static struct xfrm_tunnel gif_handler4_4 __read_mostly = {
	.handler	= gif_input4_4,
	.err_handler	= gif_err4,
	.priority	= GIF_TUNNEL4_PRIO,
};

int gif_in4_init(void)
{
	int err;

	err = xfrm4_tunnel_register(&gif_handler4_6, AF_INET6);
	if (err) {
		pr_err("cannot take protocol 41 in the tunnel4 chain: %d\n",
		       err);
		return err;
	}
	err = xfrm4_tunnel_register(&gif_handler4_4, AF_INET);
	if (err) {
		pr_err("cannot take protocol 4 in the tunnel4 chain: %d\n",
		       err);
		xfrm4_tunnel_deregister(&gif_handler4_6, AF_INET6);
	}
	return err;
}

/* Waits for the handlers' readers (tunnel4 does synchronize_net()). */
void gif_in4_exit(void)
{
	xfrm4_tunnel_deregister(&gif_handler4_4, AF_INET);
	xfrm4_tunnel_deregister(&gif_handler4_6, AF_INET6);
}
