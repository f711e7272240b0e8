// SPDX-License-Identifier: GPL-2.0
/*
 * AH (RFC 4302; KAME's ah_core.c): the transform of an AH SA and the
 * Integrity Check Value over an IPv6 packet (KAME's ah6_calccksum()).
 * The ICV covers what does not change on the way or changes predictably,
 * with the rest taken as zeros (RFC 4302 3.3.3.1):
 *
 *   IPv6 header       traffic class, flow label and hop limit zeroed
 *   extension headers in front of AH (Hop-by-Hop, Destination Options,
 *                     Routing): the data of options whose type has the
 *                     "may change en route" bit (0x20) zeroed; a Routing
 *                     header as it is (at the destination it holds what
 *                     the sender predicted)
 *   AH                with its ICV zeroed (the padding after it counts)
 *   the payload       all of it
 *   ESN               the high half of the 64-bit sequence number, behind
 *                     everything, for the ICV only (RFC 4302 3.3.3.3.1)
 *
 * The authenticator is a synchronous hash of the crypto API (shash),
 * keyed once per SA: HMAC, AES-XCBC-MAC, or the null digest.
 */
#include <crypto/hash.h>
#include <linux/ipv6.h>
#include <net/ipv6.h>
#include "ipsec.h"

#define AH_OPT_MUTABLE	0x20	/* RFC 8200 4.2: the option's third bit */

static const u8 ah_zeros[256];

/* The authenticator of an AH SA, keyed, and the length of its ICV. */
int ah_init_state(struct ipsec_sa *sa)
{
	struct crypto_shash *tfm;
	unsigned int icv;
	int err;

	if (!sa->auth)
		return -EINVAL;
	tfm = crypto_alloc_shash(sa->auth->crypto, 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	icv = sa->auth->icvbits / 8;
	err = icv > crypto_shash_digestsize(tfm) ? -EINVAL : 0;
	if (!err && (sa->auth_keylen ||
		     crypto_shash_get_flags(tfm) & CRYPTO_TFM_NEED_KEY))
		err = crypto_shash_setkey(tfm, sa->auth_key, sa->auth_keylen);
	if (err) {
		crypto_free_shash(tfm);
		return err;
	}
	sa->icvlen = icv;
	sa->shash = tfm;
	return 0;
}

void ah_destroy_state(struct ipsec_sa *sa)
{
	if (sa->shash)
		crypto_free_shash(sa->shash);
	sa->shash = NULL;
}

/*
 * KAME's ah_hdrsiz(): the AH header of an SA, its ICV padded to a
 * multiple of 8 bytes (IPv6, RFC 4302 3.3.3.2.1).
 */
unsigned int ah_hdrsiz(const struct ipsec_sa *sa)
{
	return ALIGN(AH_HLEN + sa->icvlen, 8);
}

/* A Hop-by-Hop or Destination Options header of len bytes at p. */
static int ah6_hash_opts(struct shash_desc *desc, const u8 *p,
			 unsigned int len)
{
	unsigned int off = 2, olen;
	int err;

	err = crypto_shash_update(desc, p, 2);
	while (!err && off < len) {
		if (p[off] == IPV6_TLV_PAD1) {
			err = crypto_shash_update(desc, p + off, 1);
			off++;
			continue;
		}
		if (off + 2 > len || off + 2 + p[off + 1] > len)
			return -EINVAL;
		olen = p[off + 1];
		err = crypto_shash_update(desc, p + off, 2);
		if (!err)
			err = crypto_shash_update(desc, p[off] & AH_OPT_MUTABLE ?
						  ah_zeros : p + off + 2, olen);
		off += 2 + olen;
	}
	return err;
}

/*
 * The extension headers of len bytes at p, the first of type nh; the
 * last must name AH.
 */
static int ah6_hash_exthdrs(struct shash_desc *desc, u8 nh, const u8 *p,
			    unsigned int len)
{
	unsigned int hl;
	int err;

	while (len) {
		if (len < 8)
			return -EINVAL;
		hl = (p[1] + 1) * 8;
		if (hl > len)
			return -EINVAL;
		switch (nh) {
		case NEXTHDR_HOP:
		case NEXTHDR_DEST:
			err = ah6_hash_opts(desc, p, hl);
			break;
		case NEXTHDR_ROUTING:
			err = crypto_shash_update(desc, p, hl);
			break;
		default:
			return -EINVAL;
		}
		if (err)
			return err;
		nh = p[0];
		p += hl;
		len -= hl;
	}
	return nh == IPPROTO_AH ? 0 : -EINVAL;
}

/*
 * KAME's ah6_calccksum(): the ICV (sa->icvlen bytes into icv) of the
 * packet whose IPv6 header is ip6, followed by extlen bytes of extension
 * headers, then AH and what it protects, len bytes at ah (at least the
 * SA's AH header), and with ESN the sequence number's high half seqhi.
 * 0, -EINVAL (malformed headers) or the crypto API's error.
 */
int ah6_calccksum(struct ipsec_sa *sa, const struct ipv6hdr *ip6,
		  unsigned int extlen, const u8 *ah, unsigned int len,
		  u32 seqhi, u8 *icv)
{
	__be32 hi = htonl(seqhi);
	SHASH_DESC_ON_STACK(desc, sa->shash);
	unsigned int icvlen = sa->icvlen;
	u8 digest[HASH_MAX_DIGESTSIZE];
	struct ipv6hdr h = *ip6;
	int err;

	h.priority = 0;
	memset(h.flow_lbl, 0, sizeof(h.flow_lbl));
	h.hop_limit = 0;
	desc->tfm = sa->shash;
	err = crypto_shash_init(desc);
	if (!err)
		err = crypto_shash_update(desc, (const u8 *)&h, sizeof(h));
	if (!err)
		err = ah6_hash_exthdrs(desc, h.nexthdr, (const u8 *)(ip6 + 1),
				       extlen);
	if (!err)
		err = crypto_shash_update(desc, ah, AH_HLEN);
	if (!err)
		err = crypto_shash_update(desc, ah_zeros, icvlen);
	if (!err)
		err = crypto_shash_update(desc, ah + AH_HLEN + icvlen,
					  len - AH_HLEN - icvlen);
	if (!err && sa->flags & KAME_KEY_F_ESN)
		err = crypto_shash_update(desc, (const u8 *)&hi, sizeof(hi));
	if (!err)
		err = crypto_shash_final(desc, digest);
	if (!err)
		memcpy(icv, digest, icvlen);
	shash_desc_zero(desc);
	memzero_explicit(digest, sizeof(digest));
	return err;
}
