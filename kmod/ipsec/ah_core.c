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
 * The headers up to the ICV are hashed from a copy with those fields
 * zeroed (ah6_zero_mutable()), the rest of the packet where it is.
 *
 * The authenticator (HMAC, AES-XCBC-MAC, the null digest) is keyed once
 * per SA and is the implementation the crypto API prefers for the name
 * (crypto_alloc_ahash()). A synchronous one is used through its shash,
 * in place in softirq, the header copy on the stack: no allocation per
 * packet (but for more than 128 bytes of headers in front of the ICV on
 * input: extension headers in front of AH). An asynchronous one
 * (hardware, cryptd) goes through the ahash interface with the request,
 * the header copy, the high half and the digest in a struct ah_op
 * allocated per packet, which goes with the completion as ESP's does
 * (esp.c): the input returns KAME_IP6PROTO_ASYNC and is resumed by
 * kame_family_input_resume(), the output returns -EINPROGRESS and goes
 * on with ipsec_out_resume(), with the same references held (SA and
 * device; namespace and SAs to come).
 *
 * The module parameter ah_async puts the authenticators of the AH SAs
 * added after it is set under cryptd (cryptd(<driver name>), an
 * asynchronous ahash around any implementation): for tests of the
 * asynchronous paths.
 */
#include <crypto/hash.h>
#include <linux/ipv6.h>
#include <linux/module.h>
#include <net/ipv6.h>
#include "ah.h"

#define AH_OPT_MUTABLE	0x20	/* RFC 8200 4.2: the option's third bit */

static bool ah_async;
module_param(ah_async, bool, 0644);
MODULE_PARM_DESC(ah_async,
		 "AH SAs added from now on run their authenticator under cryptd, asynchronously (tests)");

/*
 * The crypto API's preferred ahash for name; with ah_async, cryptd
 * around it (by its driver name: cryptd's instance takes the plain name
 * from then on, for every user).
 */
static struct crypto_ahash *ah_alloc_ahash(const char *name)
{
	char cname[CRYPTO_MAX_ALG_NAME];
	struct crypto_ahash *tfm;
	const char *drv;
	int n;

	tfm = crypto_alloc_ahash(name, 0, 0);
	if (IS_ERR(tfm) || !READ_ONCE(ah_async))
		return tfm;
	drv = crypto_ahash_driver_name(tfm);
	if (!strncmp(drv, "cryptd(", 7))
		return tfm;
	n = snprintf(cname, sizeof(cname), "cryptd(%s)", drv);
	crypto_free_ahash(tfm);
	if (n >= sizeof(cname))
		return ERR_PTR(-ENAMETOOLONG);
	return crypto_alloc_ahash(cname, 0, 0);
}

/* A synchronous implementation's shash (NULL: an ahash only, or async). */
static struct crypto_shash *ah_sync_shash(struct crypto_ahash *ahash)
{
	struct crypto_shash *shash;

	if (crypto_ahash_tfm(ahash)->__crt_alg->cra_flags & CRYPTO_ALG_ASYNC)
		return NULL;
	shash = crypto_alloc_shash(crypto_ahash_driver_name(ahash), 0, 0);
	return IS_ERR(shash) ? NULL : shash;
}

/* Key the authenticator (sa->shash, else sa->ahash); its ICV length. */
static int ah_setkey(struct ipsec_sa *sa)
{
	unsigned int icv = sa->auth->icvbits / 8, dsize;
	bool needkey;
	int err = 0;

	if (sa->shash) {
		dsize = crypto_shash_digestsize(sa->shash);
		needkey = crypto_shash_get_flags(sa->shash) &
			  CRYPTO_TFM_NEED_KEY;
	} else {
		dsize = crypto_ahash_digestsize(sa->ahash);
		needkey = crypto_ahash_get_flags(sa->ahash) &
			  CRYPTO_TFM_NEED_KEY;
	}
	if (icv > dsize)
		return -EINVAL;
	if (sa->auth_keylen || needkey)
		err = sa->shash ?
		      crypto_shash_setkey(sa->shash, sa->auth_key,
					  sa->auth_keylen) :
		      crypto_ahash_setkey(sa->ahash, sa->auth_key,
					  sa->auth_keylen);
	if (!err)
		sa->icvlen = icv;
	return err;
}

/* The authenticator of an AH SA, keyed, and the length of its ICV. */
int ah_init_state(struct ipsec_sa *sa)
{
	struct crypto_ahash *ahash;
	int err;

	if (!sa->auth)
		return -EINVAL;
	ahash = ah_alloc_ahash(sa->auth->crypto);
	if (IS_ERR(ahash))
		return PTR_ERR(ahash);
	sa->shash = ah_sync_shash(ahash);
	if (sa->shash)
		crypto_free_ahash(ahash);
	else
		sa->ahash = ahash;
	err = ah_setkey(sa);
	if (err)
		ah_destroy_state(sa);
	return err;
}

void ah_destroy_state(struct ipsec_sa *sa)
{
	if (sa->shash)
		crypto_free_shash(sa->shash);
	if (sa->ahash)
		crypto_free_ahash(sa->ahash);
	sa->shash = NULL;
	sa->ahash = NULL;
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
static int ah6_zero_opts(u8 *p, unsigned int len)
{
	unsigned int off = 2, olen;

	while (off < len) {
		if (p[off] == IPV6_TLV_PAD1) {
			off++;
			continue;
		}
		if (off + 2 > len || off + 2 + p[off + 1] > len)
			return -EINVAL;
		olen = p[off + 1];
		if (p[off] & AH_OPT_MUTABLE)
			memset(p + off + 2, 0, olen);
		off += 2 + olen;
	}
	return 0;
}

/*
 * The extension headers of len bytes at p, the first of type nh; the
 * last must name AH.
 */
static int ah6_zero_exthdrs(u8 nh, u8 *p, unsigned int len)
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
			err = ah6_zero_opts(p, hl);
			if (err)
				return err;
			break;
		case NEXTHDR_ROUTING:
			break;
		default:
			return -EINVAL;
		}
		nh = p[0];
		p += hl;
		len -= hl;
	}
	return nh == IPPROTO_AH ? 0 : -EINVAL;
}

/*
 * KAME's ah6_calccksum(), its first half: h is a copy of the headers up
 * to the ICV (the IPv6 header, extlen bytes of extension headers, AH's
 * 12 bytes, the ICV's icvlen), whose mutable fields become zeros.
 * 0 or -EINVAL (malformed extension headers).
 */
int ah6_zero_mutable(u8 *h, unsigned int extlen, unsigned int icvlen)
{
	struct ipv6hdr *ip6 = (struct ipv6hdr *)h;
	int err;

	ip6->priority = 0;
	memset(ip6->flow_lbl, 0, sizeof(ip6->flow_lbl));
	ip6->hop_limit = 0;
	err = ah6_zero_exthdrs(ip6->nexthdr, h + sizeof(*ip6), extlen);
	if (!err)
		memset(h + sizeof(*ip6) + extlen + AH_HLEN, 0, icvlen);
	return err;
}

/*
 * The digest (into icv, HASH_MAX_DIGESTSIZE bytes) through the SA's
 * shash of hlen bytes at hdr, then len bytes at p, then with ESN the
 * sequence number's high half seqhi. 0 or the crypto API's error.
 */
int ah_shash_digest(struct ipsec_sa *sa, const u8 *hdr, unsigned int hlen,
		    const u8 *p, unsigned int len, u32 seqhi, u8 *icv)
{
	SHASH_DESC_ON_STACK(desc, sa->shash);
	__be32 hi = htonl(seqhi);
	int err;

	desc->tfm = sa->shash;
	err = crypto_shash_init(desc);
	if (!err)
		err = crypto_shash_update(desc, hdr, hlen);
	if (!err)
		err = crypto_shash_update(desc, p, len);
	if (!err && sa->flags & KAME_KEY_F_ESN)
		err = crypto_shash_update(desc, (const u8 *)&hi, sizeof(hi));
	if (!err)
		err = crypto_shash_final(desc, icv);
	shash_desc_zero(desc);
	return err;
}

static struct ahash_request *ah_op_req(struct ah_op *op)
{
	return (void *)op + op->reqoff;
}

/* An op for skb through the SA's ahash, with room for hlen header bytes */
struct ah_op *ah_op_alloc(struct ipsec_sa *sa, struct sk_buff *skb,
			  unsigned int hlen)
{
	unsigned int off = ALIGN(sizeof(struct ah_op) + hlen, CRYPTO_MINALIGN);
	struct ah_op *op;

	op = kmalloc(off + sizeof(struct ahash_request) +
		     crypto_ahash_reqsize(sa->ahash), GFP_ATOMIC);
	if (op) {
		op->base.sa = sa;
		op->base.skb = skb;
		op->hlen = hlen;
		op->reqoff = off;
		ahash_request_set_tfm(ah_op_req(op), sa->ahash);
	}
	return op;
}

/*
 * The digest (into op->icv) through the SA's ahash of op->hdr, then len
 * bytes at p (linear skb data), then with ESN seqhi. 0 or -errno done;
 * -EINPROGRESS: done() will be called with op.
 */
int ah_ahash_digest(struct ah_op *op, const u8 *p, unsigned int len,
		    u32 seqhi, crypto_completion_t done)
{
	struct ahash_request *req = ah_op_req(op);
	struct scatterlist *sg = op->sg;
	unsigned int total = op->hlen + len;
	int err;

	sg_init_table(op->sg, ARRAY_SIZE(op->sg));
	sg_set_buf(sg, op->hdr, op->hlen);
	if (len)
		sg_set_buf(++sg, p, len);
	if (op->base.sa->flags & KAME_KEY_F_ESN) {
		op->seqhi = htonl(seqhi);
		sg_set_buf(++sg, &op->seqhi, sizeof(op->seqhi));
		total += sizeof(op->seqhi);
	}
	sg_mark_end(sg);
	ahash_request_set_callback(req, 0, done, op);
	ahash_request_set_crypt(req, op->sg, op->icv, total);
	err = crypto_ahash_digest(req);
	return err == -EINPROGRESS ? err : ipsec_crypt_err(err);
}
