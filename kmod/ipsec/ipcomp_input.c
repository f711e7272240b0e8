// SPDX-License-Identifier: GPL-2.0
/*
 * IPComp input (RFC 3173 3; KAME's ipcomp_input.c): next header 108. The
 * SA is found by the destination and the CPI, the payload inflated (at
 * most what the IPv6 payload length can say, with the headers in front
 * of the IPComp header counted) and put where the IPComp header was;
 * the headers in front stay. A tunnel-mode SA's inner packet then goes
 * into the input as one of its own (ipsec_input_done()), which KAME's
 * own tunnel-mode IPComp input did not do (notes 4.4).
 */
#include <linux/skbuff.h>
#include <net/ipv6.h>
#include "kmod/core/compat.h"
#include "ipsec.h"

/*
 * A drop moves one ipsec6 counter: in_inval (cut short, IPComp inside
 * IPComp, a jumbogram), in_nosa (no SA of the CPI), in_compfail (not a
 * deflate stream, or one that inflates beyond an IPv6 payload: a
 * decompression bomb), in_nomem.
 */
static int ipcomp6_input(struct kame_if *kif, struct sk_buff **skbp,
			 struct kame_ip6ctx *c)
{
	struct sk_buff *skb = *skbp;
	struct ipsec_net *in = ipsec_net(dev_net(skb->dev));
	unsigned int front = c->off - sizeof(struct ipv6hdr);
	struct ipsec_sa *sa;
	int err, stat;
	u8 nh;

	if (!pskb_may_pull(skb, c->off + IPCOMP_HLEN)) {
		stat = KAME_IPSEC6S_IN_INVAL;
		goto drop;
	}
	nh = skb->data[c->off];
	sa = ipsec_sa_lookup_in(in, skb, IPPROTO_COMP,
				get_unaligned_be16(skb->data + c->off + 2));
	if (!sa) {
		stat = KAME_IPSEC6S_IN_NOSA;
		goto drop;
	}
	/* RFC 3173 3.3: no IPComp inside IPComp */
	if (nh == IPPROTO_COMP || c->jumbo || front >= IPV6_MAXPLEN) {
		stat = KAME_IPSEC6S_IN_INVAL;
		goto drop;
	}
	if (skb_linearize(skb)) {
		stat = KAME_IPSEC6S_IN_NOMEM;
		goto drop;
	}
	err = ipcomp_decompress(skb, c->off, IPV6_MAXPLEN - front);
	if (err) {
		stat = err == -ENOMEM ? KAME_IPSEC6S_IN_NOMEM :
		       KAME_IPSEC6S_IN_COMPFAIL;
		goto drop;
	}
	ipv6_hdr(skb)->payload_len = htons(skb->len - sizeof(struct ipv6hdr));
	skb->ip_summed = CHECKSUM_NONE;	/* the device's sum was of IPComp */
	skb->data[c->nhoff] = nh;
	c->nxt = nh;
	atomic64_add(skb->len - c->off, &sa->bytes);
	if (!READ_ONCE(sa->first_use))
		WRITE_ONCE(sa->first_use, ktime_get_real_seconds());
	return ipsec_input_done(kif, skb, c, sa);
drop:
	ipsec_stat_inc(in, stat);
	kfree_skb(skb);
	return KAME_IP6PROTO_DROP;
}

const struct kame_ip6proto ipcomp6_protosw = {
	.protocol	= IPPROTO_COMP,
	.input		= ipcomp6_input,
};
