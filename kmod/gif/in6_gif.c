// SPDX-License-Identifier: GPL-2.0
/*
 * gif over IPv6 (KAME's in6_gif.c): IPv6 in IPv6 and IPv4 in IPv6. The
 * outer header goes on through the KAME stack's output (its routes and
 * neighbours: kame_family_output()); received next headers 41 and 4 come
 * from the core's protocol switch (kame_ip6proto_register()), once the
 * core has processed the outer header and its extension headers.
 */
#include <linux/ipv6.h>
#include <linux/jhash.h>
#include <net/ipv6.h>
#include "kmod/core/kame_family.h"
#include "if_gif.h"

static u32 gif_hash6(const struct in6_addr *local,
		     const struct in6_addr *remote)
{
	return jhash2((const u32 *)local, 4,
		      jhash2((const u32 *)remote, 4, 0)) >> (32 - GIF_HASH_BITS);
}

u32 gif_hash(const struct gif_path *p)
{
	if (p->family == AF_INET6)
		return gif_hash6(&p->local.v6, &p->remote.v6);
	return gif_hash4(p->local.v4, p->remote.v4);
}

/* The gif whose outer IPv6 addresses are local and remote. Under RCU. */
static struct kame_gif *gif_lookup6(struct net *net,
				    const struct in6_addr *local,
				    const struct in6_addr *remote)
{
	struct gif_net *gn = gif_net(net);
	const struct gif_path *p;
	struct kame_gif *g;

	hlist_for_each_entry_rcu(g, &gn->hash[gif_hash6(local, remote)],
				 hnode) {
		p = rcu_dereference(g->path);
		if (p && p->family == AF_INET6 &&
		    ipv6_addr_equal(&p->local.v6, local) &&
		    ipv6_addr_equal(&p->remote.v6, remote))
			return g;
	}
	return NULL;
}

/* KAME's in6_gif_output(): skb (inner header at skb->data) inside IPv6. */
void gif_output6(struct kame_gif *g, const struct gif_path *p,
		 struct sk_buff *skb, u8 proto, u8 tos)
{
	unsigned int len = skb->len;

	if (skb_cow_head(skb, LL_MAX_HEADER + sizeof(struct ipv6hdr))) {
		gif_drop(g, skb, IFLA_GIF_STAT_TX_ERROR);
		return;
	}
	skb_scrub_packet(skb, false);
	/* the core counts what it cannot send (no route, no source) */
	if (!kame_family_output(dev_net(g->dev), skb, &p->local.v6,
				&p->remote.v6, proto, READ_ONCE(g->ttl), tos))
		dev_sw_netstats_tx_add(g->dev, 1, len);
}

/*
 * Next header 41 or 4 at c->off of a packet for this node (skb->data at
 * its IPv6 header): a gif's when its addresses are the gif's, else not
 * ours (-ENOENT: the core goes on as without a handler).
 */
static int gif_input6(struct kame_if *kif, struct sk_buff **skbp,
		      struct kame_ip6ctx *c)
{
	struct sk_buff *skb = *skbp;
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);
	__be16 inner = c->nxt == IPPROTO_IPIP ? htons(ETH_P_IP) :
						htons(ETH_P_IPV6);
	struct kame_gif *g;
	u8 outer_tos;
	u32 flags;

	g = gif_lookup6(dev_net(skb->dev), &ip6->daddr, &ip6->saddr);
	if (!g)
		return -ENOENT;
	flags = READ_ONCE(g->flags);
	outer_tos = (ntohl(*(const __be32 *)ip6) >> 20) & 0xff;
	if (!(READ_ONCE(g->dev->flags) & IFF_UP)) {
		gif_drop(g, skb, IFLA_GIF_STAT_RX_DOWN);
		return KAME_IP6PROTO_DROP;
	}
	/* the ingress filter: the route back leaves by the way it came in */
	if (!(flags & GIF_F_NOINGRESS) &&
	    kame_family_route_dev(dev_net(skb->dev), &ip6->saddr) != skb->dev) {
		gif_drop(g, skb, IFLA_GIF_STAT_RX_INGRESS);
		return KAME_IP6PROTO_DROP;
	}
	if (!pskb_may_pull(skb, c->off + 1) ||
	    skb->data[c->off] >> 4 != (inner == htons(ETH_P_IP) ? 4 : 6)) {
		gif_drop(g, skb, IFLA_GIF_STAT_RX_MALFORMED);
		return KAME_IP6PROTO_DROP;
	}
	skb_pull_rcsum(skb, c->off);
	skb_scrub_packet(skb, false);
	if (!kame_ecn_egress(flags & GIF_F_ECN, outer_tos, skb, inner)) {
		gif_drop(g, skb, IFLA_GIF_STAT_RX_ECN);
		return KAME_IP6PROTO_DROP;
	}
	gif_rx(g, skb, inner);
	return KAME_IP6PROTO_DONE;
}

static const struct kame_ip6proto gif_proto6_6 = {
	.protocol	= IPPROTO_IPV6,
	.input		= gif_input6,
};

static const struct kame_ip6proto gif_proto6_4 = {
	.protocol	= IPPROTO_IPIP,
	.input		= gif_input6,
};

int gif_in6_init(void)
{
	int err = kame_ip6proto_register(&gif_proto6_6);

	if (err) {
		pr_err("cannot take next header 41 in the KAME stack: %d\n",
		       err);
		return err;
	}
	err = kame_ip6proto_register(&gif_proto6_4);
	if (err) {
		pr_err("cannot take next header 4 in the KAME stack: %d\n",
		       err);
		kame_ip6proto_unregister(&gif_proto6_6);
	}
	return err;
}

/* Waits for the packets inside gif_input6() (synchronize_net()). */
void gif_in6_exit(void)
{
	kame_ip6proto_unregister(&gif_proto6_4);
	kame_ip6proto_unregister(&gif_proto6_6);
}
