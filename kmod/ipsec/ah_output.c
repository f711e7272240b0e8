// SPDX-License-Identifier: GPL-2.0
/*
 * AH output (RFC 4302; KAME's ah_output.c) at the IPsec output hook. The
 * core puts the IPv6 header on afterwards from exactly what the hook
 * leaves in struct kame_ip6out (source, destination, next header) and the
 * payload's length, and the fields it sets besides (traffic class, flow
 * label, hop limit) are those the ICV takes as zeros: so the ICV is
 * computed here, over a stand-in for that header; an asynchronous
 * authenticator's completion writes it and goes on with the rest of the
 * output (ipsec_out_resume()).
 */
#include <linux/ipv6.h>
#include <net/ipv6.h>
#include "kmod/core/compat.h"
#include "ah.h"

/*
 * AH goes after Hop-by-Hop, Routing and the Destination Options before a
 * Routing header (RFC 4302 3.1.2). Only a raw socket's payload starts
 * with one of them, and the hook puts its headers in front: refuse those
 * rather than send an ICV the receiver cannot verify. A Destination
 * Options header for the destination alone may come after AH.
 */
static int ah6_payload_ok(const struct sk_buff *skb, u8 proto)
{
	u8 buf, *p;

	if (proto == NEXTHDR_HOP || proto == NEXTHDR_ROUTING)
		return -EINVAL;
	if (proto != NEXTHDR_DEST)
		return 0;
	p = skb_header_pointer(skb, 0, 1, &buf);
	return p && *p != NEXTHDR_ROUTING ? 0 : -EINVAL;
}

/* The completion of an asynchronous ICV: the rest of the output. */
static void ah6_output_done(IPSEC_DONE_ARGS)
{
	struct ah_op *op = IPSEC_DONE_DATA;

	if (!err)
		memcpy(op->base.skb->data + AH_HLEN, op->icv,
		       op->base.sa->icvlen);
	ipsec_op_out_done(&op->base, err);
}

/*
 * The ICV of the packet whose IPv6 header will be ip6, AH at skb->data
 * (its ICV zero) through the SA's ahash; -EINPROGRESS: it took skb and a
 * copy of st and goes on with ipsec_out_resume().
 */
static int ah6_output_ahash(struct ipsec_sa *sa, struct sk_buff *skb,
			    struct ipsec_out *st, const struct ipv6hdr *ip6,
			    u32 seqhi)
{
	struct ah_op *op;
	int err;

	op = ah_op_alloc(sa, skb, sizeof(*ip6));
	if (!op)
		return -ENOMEM;
	memcpy(op->hdr, ip6, sizeof(*ip6));
	if (!ipsec_op_out_hold(&op->base, st)) {
		kfree_sensitive(op);
		return -ENOENT;		/* an SA is going */
	}
	err = ah_ahash_digest(op, skb->data, skb->len, seqhi, ah6_output_done);
	if (err == -EINPROGRESS)
		return err;
	ipsec_op_out_release(&op->base);
	if (!err)
		memcpy(skb->data + AH_HLEN, op->icv, sa->icvlen);
	kfree_sensitive(op);
	return err;
}

/*
 * KAME's ah6_output(): AH of SA sa in front of the payload at skb->data
 * (next header st->o.proto), which becomes AH. 0 or -errno (the skb left
 * to the caller); -EINPROGRESS for an asynchronous authenticator, which
 * took skb and a copy of st and goes on with ipsec_out_resume().
 */
int ah6_output(struct ipsec_sa *sa, struct sk_buff *skb,
	       struct ipsec_out *st)
{
	unsigned int hlen = ah_hdrsiz(sa), plen = skb->len;
	u8 icv[HASH_MAX_DIGESTSIZE], *ah;
	struct kame_ip6out *o = &st->o;
	struct ipv6hdr ip6 = {};
	u64 seq;
	int err;

	err = ah6_payload_ok(skb, o->proto);
	if (err)
		return err;
	if (plen + hlen > IPV6_MAXPLEN)
		return -EMSGSIZE;
	seq = ipsec_seq_next(sa);
	if (!seq)
		return -EOVERFLOW;	/* rekey: the SA is used up */
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		return -EINVAL;
	if (skb_linearize_cow(skb) ||
	    skb_cow_head(skb, hlen + MAX_HEADER + sizeof(ip6)))
		return -ENOMEM;
	ah = skb_push(skb, hlen);
	ah[0] = o->proto;
	ah[1] = hlen / 4 - 2;	/* in 32-bit words, minus 2 */
	ah[2] = 0;
	ah[3] = 0;
	put_unaligned_be32(sa->spi, ah + 4);
	put_unaligned_be32((u32)seq, ah + 8);
	memset(ah + AH_HLEN, 0, hlen - AH_HLEN);	/* ICV and padding */
	/* the header the core will build, its mutable fields zero */
	ip6.version = 6;
	ip6.payload_len = htons(skb->len);
	ip6.nexthdr = IPPROTO_AH;
	ip6.saddr = o->src;
	ip6.daddr = o->dst;
	atomic64_add(plen, &sa->bytes);
	if (sa->ahash) {
		err = ah6_output_ahash(sa, skb, st, &ip6, seq >> 32);
	} else {
		err = ah_shash_digest(sa, (const u8 *)&ip6, sizeof(ip6),
				      skb->data, skb->len, seq >> 32, icv);
		if (!err)
			memcpy(ah + AH_HLEN, icv, sa->icvlen);
		memzero_explicit(icv, sizeof(icv));
	}
	if (!err)
		o->proto = IPPROTO_AH;
	return err;
}
