// SPDX-License-Identifier: GPL-2.0
/*
 * AH input (RFC 4302; KAME's ah_input.c): next header 51 of a packet for
 * this node. The SA of the destination and SPI (and source), the header's
 * length against the SA's ICV, the replay window, the ICV; then AH comes
 * off and the core goes on with what it protected, or a tunnel-mode SA's
 * inner packet goes into the input as one of its own (ipsec_input_done()).
 */
#include <crypto/algapi.h>
#include <linux/ipv6.h>
#include <net/ipv6.h>
#include "kmod/core/compat.h"
#include "ipsec.h"

/* AH (hlen bytes at c->off) off the packet: the headers in front move up */
static void ah6_strip(struct sk_buff *skb, struct kame_ip6ctx *c,
		      unsigned int hlen, u8 nh)
{
	struct ipv6hdr *ip6;

	memmove(skb->data + hlen, skb->data, c->off);
	skb_pull(skb, hlen);
	skb_reset_network_header(skb);
	ip6 = ipv6_hdr(skb);
	if (ip6->payload_len)	/* not a jumbogram */
		ip6->payload_len = htons(skb->len - sizeof(*ip6));
	skb->data[c->nhoff] = nh;
	c->nxt = nh;
	skb->ip_summed = CHECKSUM_NONE;	/* the device's sum had AH in it */
}

/* The SA of AH header ah, from the packet's source; NULL: none usable */
static struct ipsec_sa *ah6_sa(struct ipsec_net *in, const struct sk_buff *skb,
			       const u8 *ah)
{
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);
	struct ipsec_sa *sa;

	sa = ipsec_sa_lookup(in, &ip6->daddr, IPPROTO_AH,
			     get_unaligned_be32(ah + 4));
	/* RFC 4301 5.2: no other peer's SA will do */
	if (!sa || READ_ONCE(sa->state) == KAME_KEY_STATE_LARVAL ||
	    !ipsec_sa_ready(sa) ||
	    (!ipv6_addr_any(&sa->src) && !ipv6_addr_equal(&sa->src, &ip6->saddr)))
		return NULL;
	return sa;
}

/* Verify the ICV of AH at c->off (hlen bytes; skb linear): 0 or a counter */
static int ah6_verify(struct ipsec_sa *sa, struct sk_buff *skb,
		      const struct kame_ip6ctx *c, u32 seqhi)
{
	u8 icv[HASH_MAX_DIGESTSIZE];
	const u8 *ah = skb->data + c->off;
	int err;

	err = ah6_calccksum(sa, ipv6_hdr(skb), c->off - sizeof(struct ipv6hdr),
			    ah, skb->len - c->off, seqhi, icv);
	if (err)
		return KAME_IPSEC6S_IN_INVAL;
	if (crypto_memneq(icv, ah + AH_HLEN, sa->icvlen)) {
		atomic64_inc(&sa->stat[KAME_KEY_SASTAT_AUTHFAIL]);
		return KAME_IPSEC6S_IN_AUTHFAIL;
	}
	return 0;
}

/*
 * KAME's ah6_input(). A drop frees the packet and moves one counter of
 * ipsec6stat (and the SA's own for replays and ICV failures).
 */
static int ah6_input(struct kame_if *kif, struct sk_buff **skbp,
		     struct kame_ip6ctx *c)
{
	struct sk_buff *skb = *skbp;
	struct ipsec_net *in = ipsec_net(dev_net(skb->dev));
	unsigned int hlen;
	struct ipsec_sa *sa;
	int stat;
	u64 seq;
	u32 seql;
	u8 nh;

	/* a jumbogram's length is in its option: not rewritten here */
	if (c->jumbo || !pskb_may_pull(skb, c->off + AH_HLEN)) {
		stat = KAME_IPSEC6S_IN_INVAL;
		goto drop;
	}
	sa = ah6_sa(in, skb, skb->data + c->off);
	if (!sa) {
		stat = KAME_IPSEC6S_IN_NOSA;
		goto drop;
	}
	nh = skb->data[c->off];
	hlen = (skb->data[c->off + 1] + 2) * 4;
	seql = get_unaligned_be32(skb->data + c->off + 8);
	/* the length the SA's ICV makes; Hop-by-Hop only after IPv6 */
	if (hlen != ah_hdrsiz(sa) || nh == NEXTHDR_HOP ||
	    !pskb_may_pull(skb, c->off + hlen)) {
		stat = KAME_IPSEC6S_IN_INVAL;
		goto drop;
	}
	/* ESN: the high half the window makes likeliest (RFC 4303 A2.2) */
	seq = (u64)ipsec_seq_hi(sa, seql) << 32 | seql;
	if (!ipsec_replay_check(sa, seq, false)) {
		atomic64_inc(&sa->stat[KAME_KEY_SASTAT_REPLAY]);
		stat = KAME_IPSEC6S_IN_REPLAY;
		goto drop;
	}
	if (skb_linearize_cow(skb)) {
		stat = KAME_IPSEC6S_IN_NOMEM;
		goto drop;
	}
	stat = ah6_verify(sa, skb, c, seq >> 32);
	if (stat)
		goto drop;
	/* a replay racing us on another CPU loses here */
	if (!ipsec_replay_check(sa, seq, true)) {
		atomic64_inc(&sa->stat[KAME_KEY_SASTAT_REPLAY]);
		stat = KAME_IPSEC6S_IN_REPLAY;
		goto drop;
	}
	if (!READ_ONCE(sa->first_use))
		WRITE_ONCE(sa->first_use, ktime_get_real_seconds());
	ah6_strip(skb, c, hlen, nh);
	atomic64_add(skb->len - c->off, &sa->bytes);
	return ipsec_input_done(kif, skb, c, sa);
drop:
	ipsec_stat_inc(in, stat);
	kfree_skb(skb);
	return KAME_IP6PROTO_DROP;
}

const struct kame_ip6proto ah6_protosw = {
	.protocol	= IPPROTO_AH,
	.input		= ah6_input,
};
