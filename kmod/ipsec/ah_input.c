// SPDX-License-Identifier: GPL-2.0
/*
 * AH input (RFC 4302; KAME's ah_input.c): next header 51 of a packet for
 * this node. The SA of the destination and SPI (and source), the header's
 * length against the SA's ICV, the replay window, the ICV; then AH comes
 * off and the core goes on with what it protected, or a tunnel-mode SA's
 * inner packet goes into the input as one of its own (ipsec_input_done()).
 * With an asynchronous authenticator the input returns
 * KAME_IP6PROTO_ASYNC after the replay window's first check, and the
 * completion does the rest (ah6_input_finish()) from
 * kame_family_input_resume().
 */
#include <crypto/algapi.h>
#include <linux/ipv6.h>
#include <net/ipv6.h>
#include "kmod/core/compat.h"
#include "ah.h"

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

/*
 * The rest of the input once the ICV of the packet is known (icv; err
 * the transform's error): the ICV compared, the replay window advanced,
 * AH off, then the core goes on with what it protected, or a tunnel-mode
 * SA's inner packet goes into the input as one of its own. A drop moves
 * one counter.
 */
static int ah6_input_finish(struct kame_if *kif, struct sk_buff *skb,
			    struct kame_ip6ctx *c, struct ipsec_sa *sa,
			    u64 seq, const u8 *icv, int err)
{
	struct ipsec_net *in = ipsec_net(dev_net(skb->dev));
	const u8 *ah = skb->data + c->off;
	unsigned int hlen = (ah[1] + 2) * 4;
	u8 nh = ah[0];
	int stat;

	if (err) {
		stat = err == -ENOMEM ? KAME_IPSEC6S_IN_NOMEM :
		       err == -ENOENT ? KAME_IPSEC6S_IN_NOSA :
		       KAME_IPSEC6S_IN_INVAL;
		goto drop;
	}
	if (crypto_memneq(icv, ah + AH_HLEN, sa->icvlen)) {
		atomic64_inc(&sa->stat[KAME_KEY_SASTAT_AUTHFAIL]);
		stat = KAME_IPSEC6S_IN_AUTHFAIL;
		goto drop;
	}
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

static int ah6_input_resumed(struct kame_if *kif, struct sk_buff **skbp,
			     struct kame_ip6ctx *c, void *arg)
{
	struct ah_op *op = container_of(arg, struct ah_op, base);

	return ah6_input_finish(kif, *skbp, c, op->base.sa, op->base.in.seq,
				op->icv, op->base.err);
}

/* The completion of an asynchronous ICV: the input goes on. */
static void ah6_input_done(IPSEC_DONE_ARGS)
{
	struct ah_op *op = IPSEC_DONE_DATA;

	ipsec_op_in_done(&op->base, err, ah6_input_resumed);
}

/* Headers up to the ICV that the synchronous ICV copies on the stack */
#define AH_HDR_STACK	128

/*
 * The ICV of AH at c->off (skb linear) through the SA's shash, then the
 * rest of the input (ah6_input_finish()).
 */
static int ah6_input_sync(struct kame_if *kif, struct sk_buff *skb,
			  struct kame_ip6ctx *c, struct ipsec_sa *sa, u64 seq)
{
	unsigned int hlen = c->off + AH_HLEN + sa->icvlen;
	u8 buf[AH_HDR_STACK], icv[HASH_MAX_DIGESTSIZE], *h = buf;
	int err;

	if (hlen > sizeof(buf)) {	/* extension headers in front */
		h = kmalloc(hlen, GFP_ATOMIC);
		if (!h)
			return ah6_input_finish(kif, skb, c, sa, seq, NULL,
						-ENOMEM);
	}
	memcpy(h, skb->data, hlen);
	err = ah6_zero_mutable(h, c->off - sizeof(struct ipv6hdr),
			       sa->icvlen);
	if (!err)
		err = ah_shash_digest(sa, h, hlen, skb->data + hlen,
				      skb->len - hlen, seq >> 32, icv);
	if (h != buf)
		kfree(h);
	return ah6_input_finish(kif, skb, c, sa, seq, icv,
				err ? -EINVAL : 0);
}

/*
 * The ICV of AH at c->off of skb (linear, the IPv6 header at skb->data):
 * through the SA's shash in place, or through its ahash; an asynchronous
 * one returns KAME_IP6PROTO_ASYNC, the device and SA held until the
 * completion resumes the input.
 */
static int ah6_input_icv(struct kame_if *kif, struct sk_buff *skb,
			 struct kame_ip6ctx *c, struct ipsec_sa *sa, u64 seq)
{
	unsigned int hlen = c->off + AH_HLEN + sa->icvlen;
	struct ah_op *op;
	int err;

	if (!sa->ahash)
		return ah6_input_sync(kif, skb, c, sa, seq);
	op = ah_op_alloc(sa, skb, hlen);
	if (!op)
		return ah6_input_finish(kif, skb, c, sa, seq, NULL, -ENOMEM);
	memcpy(op->hdr, skb->data, hlen);
	err = ah6_zero_mutable(op->hdr, c->off - sizeof(struct ipv6hdr),
			       sa->icvlen);
	if (err || !ipsec_op_in_hold(&op->base, c, seq)) {
		kfree_sensitive(op);	/* malformed; the SA deleted */
		return ah6_input_finish(kif, skb, c, sa, seq, NULL,
					err ? -EINVAL : -ENOENT);
	}
	err = ah_ahash_digest(op, skb->data + hlen, skb->len - hlen,
			      seq >> 32, ah6_input_done);
	if (err == -EINPROGRESS)
		return KAME_IP6PROTO_ASYNC;
	ipsec_op_in_release(&op->base);
	err = ah6_input_finish(kif, skb, c, sa, seq, op->icv, err);
	kfree_sensitive(op);
	return err;
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
	sa = ipsec_sa_lookup_in(in, skb, IPPROTO_AH,
				get_unaligned_be32(skb->data + c->off + 4));
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
	stat = ipsec_input_seq(sa, skb, seql, &seq);
	if (stat)
		goto drop;
	return ah6_input_icv(kif, skb, c, sa, seq);
drop:
	ipsec_stat_inc(in, stat);
	kfree_skb(skb);
	return KAME_IP6PROTO_DROP;
}

const struct kame_ip6proto ah6_protosw = {
	.protocol	= IPPROTO_AH,
	.input		= ah6_input,
};
