// SPDX-License-Identifier: GPL-2.0
/*
 * Hop-by-hop and destination options (KAME's ip6_input.c options code and
 * dest6.c; RFC 8200 4.2, 4.3, 4.6; jumbo payload RFC 2675 and the KAME
 * notes 1.7).
 */
#include <linux/ipv6.h>
#include "compat.h"
#include <net/ipv6.h>
#include "kame.h"

#define OPT_PAD1	0x00
#define OPT_PADN	0x01
#define OPT_JUMBO	0xc2
#define OPT_ROUTER_ALERT 0x05

/*
 * An option we do not know: its two high-order bits say what to do
 * (RFC 8200 4.2). Returns 0 to skip it, -1 when the packet was dropped.
 */
static int kame_ip6_unknown_opt(struct kame_if *kif, struct sk_buff *skb,
				unsigned int optoff)
{
	struct kame_net *kn = kif->kn;
	u8 type = skb->data[optoff];

	switch (type & 0xc0) {
	case 0x00:
		return 0;
	case 0x40:
		break;
	case 0xc0:	/* not about a multicast packet, nor a link's */
		if (IN6_IS_ADDR_MULTICAST(&ipv6_hdr(skb)->daddr) ||
		    skb->pkt_type != PACKET_HOST)
			break;
		fallthrough;
	case 0x80:
		kame_ip6stat_inc(kn, KAME_IP6S_BADOPTIONS);
		kame_icmp6_error(kif, skb, ICMPV6_PARAMPROB, ICMPV6_UNK_OPTION,
				 optoff);
		return -1;
	}
	kame_ip6stat_inc(kn, KAME_IP6S_BADOPTIONS);
	kfree_skb(skb);
	return -1;
}

static int kame_ip6_badopt(struct kame_if *kif, struct sk_buff *skb,
			   unsigned int ptr)
{
	kame_ip6stat_inc(kif->kn, KAME_IP6S_BADOPTIONS);
	kame_icmp6_error(kif, skb, ICMPV6_PARAMPROB, ICMPV6_HDR_FIELD, ptr);
	return -1;
}

/*
 * The work one header may cause is bounded (RFC 8504 5.3): at most
 * maxopts options that are not padding (0: any), and no run of padding
 * longer than maxoptpad bytes, which alignment never needs. A header past
 * either is dropped silently, as an option running past it is.
 */
static bool kame_ip6_opts_exceed(struct kame_net *kn, u8 type,
				 unsigned int olen, unsigned int *nopts,
				 unsigned int *pad)
{
	u32 maxopts = READ_ONCE(kn->maxopts);

	if (type == OPT_PAD1 || type == OPT_PADN) {
		*pad += olen;
		return *pad > READ_ONCE(kn->maxoptpad);
	}
	*pad = 0;
	return maxopts && ++*nopts > maxopts;
}

/*
 * Walk the TLVs of the options header at c->off. Hop-by-hop options may
 * carry a jumbo payload option, returned in c->jumbo. Returns 0, or -1
 * when skb was consumed.
 */
static int kame_ip6_process_opts(struct kame_if *kif, struct sk_buff *skb,
				 struct kame_ip6ctx *c, bool hbh)
{
	unsigned int len, p, end, nopts = 0, pad = 0;
	const u8 *d;

	if (!pskb_may_pull(skb, c->off + 2))
		goto short_hdr;
	len = (skb->data[c->off + 1] + 1) * 8;
	if (!pskb_may_pull(skb, c->off + len))
		goto short_hdr;
	d = skb->data;
	end = c->off + len;
	for (p = c->off + 2; p < end; ) {
		unsigned int olen;

		if (d[p] == OPT_PAD1) {
			if (kame_ip6_opts_exceed(kif->kn, OPT_PAD1, 1, &nopts,
						 &pad))
				goto too_many;
			p++;
			continue;
		}
		if (p + 2 > end || p + 2 + d[p + 1] > end) {
			/* runs past the header: dropped as KAME does */
			kame_ip6stat_inc(kif->kn, KAME_IP6S_TOOSMALL);
			kfree_skb(skb);
			return -1;
		}
		olen = 2 + d[p + 1];
		if (kame_ip6_opts_exceed(kif->kn, d[p], olen, &nopts, &pad))
			goto too_many;
		switch (d[p]) {
		case OPT_PADN:
			break;
		case OPT_ROUTER_ALERT:
			if (!hbh)
				goto unknown;
			if (olen != 4)
				return kame_ip6_badopt(kif, skb, p + 1);
			break;
		case OPT_JUMBO:
			if (!hbh)
				goto unknown;
			if (olen != 6 || (p % 4) != 2)	/* 4n+2 alignment */
				return kame_ip6_badopt(kif, skb, p + 1);
			if (ipv6_hdr(skb)->payload_len)
				return kame_ip6_badopt(kif, skb, p);
			if (c->jumbo)	/* a second one */
				return kame_ip6_badopt(kif, skb, p);
			c->jumbo = get_unaligned_be32(d + p + 2);
			if (c->jumbo <= IPV6_MAXPLEN)
				return kame_ip6_badopt(kif, skb, p + 2);
			break;
		default:
unknown:
			if (kame_ip6_unknown_opt(kif, skb, p))
				return -1;
			d = skb->data;
		}
		p += olen;
	}
	c->nhoff = c->off;
	c->nxt = d[c->off];
	c->off = end;
	return 0;

short_hdr:
	kame_ip6stat_inc(kif->kn, KAME_IP6S_TOOSHORT);
	kfree_skb(skb);
	return -1;

too_many:
	kame_ip6stat_inc(kif->kn, KAME_IP6S_BADOPTIONS);
	kfree_skb(skb);
	return -1;
}

/* The hop-by-hop header, right after the IPv6 header (RFC 8200 4.3). */
int kame_ip6_hopopts_input(struct kame_if *kif, struct sk_buff *skb,
			   struct kame_ip6ctx *c)
{
	return kame_ip6_process_opts(kif, skb, c, true);
}

/* KAME's dest6_input(). */
int kame_dest6_input(struct kame_if *kif, struct sk_buff **skbp,
		     struct kame_ip6ctx *c)
{
	return kame_ip6_process_opts(kif, *skbp, c, false);
}

/*
 * The routing header (KAME's route6_input; RFC 8200 4.4, RFC 5095): a host
 * that is the final destination ignores a header whose segments left is
 * 0; any other, type 0 included, gets a Parameter Problem.
 */
int kame_route6_input(struct kame_if *kif, struct sk_buff **skbp,
		      struct kame_ip6ctx *c)
{
	struct sk_buff *skb = *skbp;
	unsigned int len;

	if (!pskb_may_pull(skb, c->off + 4)) {
		kame_ip6stat_inc(kif->kn, KAME_IP6S_TOOSHORT);
		kfree_skb(skb);
		return -1;
	}
	len = (skb->data[c->off + 1] + 1) * 8;
	if (skb->data[c->off + 3]) {	/* segments left */
		kame_ip6stat_inc(kif->kn, KAME_IP6S_BADOPTIONS);
		kame_icmp6_error(kif, skb, ICMPV6_PARAMPROB, ICMPV6_HDR_FIELD,
				 c->off + 2);
		return -1;
	}
	if (!pskb_may_pull(skb, c->off + len)) {
		kame_ip6stat_inc(kif->kn, KAME_IP6S_TOOSHORT);
		kfree_skb(skb);
		return -1;
	}
	c->nhoff = c->off;
	c->nxt = skb->data[c->off];
	c->off += len;
	return 0;
}
