// SPDX-License-Identifier: GPL-2.0
/*
 * stf input (KAME's in_stf_input(), stf_encapcheck() and the abuse
 * filters stf_checkaddr4()/stf_checkaddr6() of notes 1.14 and stf(4)):
 * protocol-41 packets from the tunnel4 handler chain that sit and gif use
 * too. A packet for the node's 6to4 IPv4 address is stf0's while stf0 is
 * up and does not have link0 (send only); a gif whose outer addresses are
 * exactly the packet's comes before it in the chain, sit after it.
 */
#include <linux/ipv6.h>
#include <net/ip.h>
#include <net/ip_tunnels.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/xfrm.h>	/* struct xfrm_tunnel: the tunnel4 chain */
#include "kmod/core/kame_family.h"
#include "if_stf.h"

#define STF_TUNNEL4_PRIO	-1	/* after gif (-2), before sit (1) */

/*
 * The IPv4 filters (KAME's stf_checkaddr4()): the counter of the range a
 * an outer or embedded IPv4 address a falls in, or 0 for a usable one.
 */
int stf_check4(struct net *net, u32 flags, __be32 a)
{
	u32 h = ntohl(a);

	switch (h >> 24) {
	case 0:
		return IFLA_STF_STAT_RX_UNSPEC;
	case 127:
		return IFLA_STF_STAT_RX_LOOPBACK;
	case 255:
		return IFLA_STF_STAT_RX_BROADCAST;
	case 10:
		goto private;
	}
	if ((h >> 28) == 0xe)
		return IFLA_STF_STAT_RX_MULTICAST;
	if ((h >> 20) == 0xac1 || (h >> 16) == 0xc0a8)	/* 172.16/12, 192.168 */
		goto private;
	if ((h >> 16) == 0xa9fe)			/* 169.254/16 */
		return IFLA_STF_STAT_RX_LINKLOCAL;
	if (inet_addr_type(net, a) == RTN_BROADCAST)	/* a subnet's */
		return IFLA_STF_STAT_RX_BROADCAST;
	return 0;
private:
	return flags & STF_F_RFC1918 ? 0 : IFLA_STF_STAT_RX_PRIVATE;
}

/* An inner address (KAME's stf_checkaddr6()): a counter, or 0. */
static int stf_check6(struct net *net, u32 flags, const struct in6_addr *a)
{
	if (stf_is_6to4(a))
		return stf_check4(net, flags, stf_embedded(a));
	if (ipv6_addr_v4mapped(a))
		return IFLA_STF_STAT_RX_V4MAPPED;
	if (!a->s6_addr32[0] && !a->s6_addr32[1] && !a->s6_addr32[2] &&
	    ntohl(a->s6_addr32[3]) > 1)
		return IFLA_STF_STAT_RX_V4COMPAT;
	/* fe80::/10 and fec0::/10 (RFC 3964) */
	if (a->s6_addr[0] == 0xfe && (a->s6_addr[1] & 0x80))
		return IFLA_STF_STAT_RX_SCOPED;
	if (ipv6_addr_is_multicast(a) &&
	    ((a->s6_addr[1] & 0x0f) == 1 || (a->s6_addr[1] & 0x0f) == 2))
		return IFLA_STF_STAT_RX_MCASTSCOPE;
	return 0;
}

/* The ingress filter: does the route back to src leave by dev? */
static bool stf_ingress4(struct net *net, __be32 src, struct net_device *dev)
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
 * The checks of a packet that is stf0's (outer header pulled, the inner
 * IPv6 header linear at skb->data): 0, or the counter it fails.
 */
static int stf_accept(struct kame_stf *s, const struct stf_src *src,
		      struct sk_buff *skb, u32 flags)
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct ipv6hdr *ip6 = (const struct ipv6hdr *)skb->data;
	struct net *net = src->net;
	int stat;

	stat = stf_check4(net, flags, iph->saddr);
	if (!stat)
		stat = stf_check4(net, flags, iph->daddr);
	if (stat)
		return stat;
	if (!(flags & STF_F_NOINGRESS) &&
	    !stf_ingress4(net, iph->saddr, skb->dev))
		return IFLA_STF_STAT_RX_INGRESS;
	if ((iph->saddr ^ src->v4) & src->mask)
		return IFLA_STF_STAT_RX_OUTSIDE;
	if (ip6->version != 6)
		return IFLA_STF_STAT_RX_MALFORMED;
	stat = stf_check6(net, flags, &ip6->saddr);
	if (!stat)
		stat = stf_check6(net, flags, &ip6->daddr);
	if (stat)
		return stat;
	/* a 6to4 source comes from its own IPv4 address (RFC 3964 5.1) */
	if (stf_is_6to4(&ip6->saddr) && stf_embedded(&ip6->saddr) != iph->saddr)
		return IFLA_STF_STAT_RX_MISMATCH;
	return 0;
}

/* Hand the inner packet (at skb->data) to stf0's receive path. */
static void stf_rx(struct kame_stf *s, struct sk_buff *skb)
{
	struct net_device *dev = s->dev;

	skb->dev = dev;
	skb->protocol = htons(ETH_P_IPV6);
	skb->pkt_type = PACKET_HOST;
	skb_reset_network_header(skb);
	skb_reset_mac_header(skb);
	skb->mac_len = 0;
	dev_sw_netstats_rx_add(dev, skb->len);
	netif_rx(skb);
}

/*
 * A protocol-41 packet for this node (the outer header pulled, at least
 * the inner IPv6 header linear, as tunnel4 ensures): 0 when stf0 took it
 * (delivered or dropped with its counter), non-zero to let the next
 * handler of the chain have it.
 */
static int stf_input(struct sk_buff *skb)
{
	struct net *net = dev_net(skb->dev);
	u8 outer_tos = ip_hdr(skb)->tos;
	struct stf_src src;
	struct kame_stf *s;
	u32 flags;
	int stat;

	s = rcu_dereference(stf_net(net)->stf);
	if (!s)
		return -ENOENT;
	flags = READ_ONCE(s->flags);
	if (!(READ_ONCE(s->dev->flags) & IFF_UP) || (flags & STF_F_NODECAP) ||
	    !stf_getsrc(s->dev, &src) || src.v4 != ip_hdr(skb)->daddr)
		return -ENOENT;
	stat = stf_accept(s, &src, skb, flags);
	if (!stat && iptunnel_pull_header(skb, 0, htons(ETH_P_IPV6), false))
		stat = IFLA_STF_STAT_RX_MALFORMED;
	if (!stat && !kame_ecn_egress(flags & STF_F_ECN, outer_tos, skb,
				      htons(ETH_P_IPV6)))
		stat = IFLA_STF_STAT_RX_ECN;
	if (stat) {
		stf_drop(s, skb, stat);
		return 0;
	}
	stf_rx(s, skb);
	return 0;
}

/*
 * An ICMP error about a packet of protocol 41: stf ignores them (as KAME)
 * and leaves them to the rest of the chain (a sit of the same address).
 */
static int stf_err(struct sk_buff *skb, u32 info)
{
	return -ENOENT;
}

static struct xfrm_tunnel stf_handler __read_mostly = {
	.handler	= stf_input,
	.err_handler	= stf_err,
	.priority	= STF_TUNNEL4_PRIO,
};

int stf_in_init(void)
{
	int err = xfrm4_tunnel_register(&stf_handler, AF_INET6);

	if (err)
		pr_err("cannot take protocol 41 in the tunnel4 chain: %d\n",
		       err);
	return err;
}

/* Waits for the handler's readers (tunnel4 does synchronize_net()). */
void stf_in_exit(void)
{
	xfrm4_tunnel_deregister(&stf_handler, AF_INET6);
}
