// SPDX-License-Identifier: GPL-2.0
/*
 * AH output (RFC 4302; KAME's ah_output.c) at the IPsec output hook. The
 * core puts the IPv6 header on afterwards from exactly what the hook
 * leaves in struct kame_ip6out (source, destination, next header) and the
 * payload's length, and the fields it sets besides (traffic class, flow
 * label, hop limit) are those the ICV takes as zeros: so the ICV is
 * computed here, over a stand-in for that header.
 */
#include <linux/ipv6.h>
#include <net/ipv6.h>
#include "kmod/core/compat.h"
#include "ipsec.h"

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

/*
 * KAME's ah6_output(): AH of SA sa in front of the payload at skb->data
 * (next header o->proto), which becomes AH. 0 or -errno (the skb left to
 * the caller).
 */
int ah6_output(struct ipsec_sa *sa, struct sk_buff *skb,
	       struct kame_ip6out *o)
{
	unsigned int hlen = ah_hdrsiz(sa), plen = skb->len;
	struct ipv6hdr ip6 = {};
	u64 seq;
	u8 *ah;
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
	err = ah6_calccksum(sa, &ip6, 0, ah, skb->len, seq >> 32,
			    ah + AH_HLEN);
	if (err)
		return err;
	atomic64_add(plen, &sa->bytes);
	o->proto = IPPROTO_AH;
	return 0;
}
