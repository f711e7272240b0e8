/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What ah_core.c, ah_input.c and ah_output.c share: the ICV over a copy
 * of the headers with their mutable fields zeroed, then the rest of the
 * packet, then with ESN the sequence number's high half; synchronously
 * through the SA's shash, or through its ahash with the request in a
 * struct ah_op that goes with an asynchronous completion.
 */
#ifndef _KAME_AH_H
#define _KAME_AH_H

#include <linux/scatterlist.h>
#include "ipsec.h"

/* One ICV through the SA's ahash: the request and what its completion needs */
struct ah_op {
	struct ipsec_op base;		/* first: freed through it */
	struct scatterlist sg[3];	/* headers, the rest, seqhi */
	__be32 seqhi;
	u8 icv[HASH_MAX_DIGESTSIZE];	/* the digest */
	unsigned int hlen, reqoff;
	u8 hdr[];	/* hlen bytes, then (at reqoff) the request */
};

int ah6_zero_mutable(u8 *h, unsigned int extlen, unsigned int icvlen);
int ah_shash_digest(struct ipsec_sa *sa, const u8 *hdr, unsigned int hlen,
		    const u8 *p, unsigned int len, u32 seqhi, u8 *icv);
struct ah_op *ah_op_alloc(struct ipsec_sa *sa, struct sk_buff *skb,
			  unsigned int hlen);
int ah_ahash_digest(struct ah_op *op, const u8 *p, unsigned int len,
		    u32 seqhi, crypto_completion_t done);

#endif /* _KAME_AH_H */
