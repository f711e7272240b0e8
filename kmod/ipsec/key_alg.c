// SPDX-License-Identifier: GPL-2.0
/*
 * The algorithms of the SAD (KAME's ah_algorithms[] and esp_algorithms[]),
 * by setkey's names, each mapped to the Linux crypto API's implementation
 * (generic or accelerated, whichever the crypto API picks) and the key
 * lengths RFCs give it. REGISTER lists those this kernel can provide.
 */
#include <linux/crypto.h>
#include <net/genetlink.h>
#include "ipsec.h"

#define ENC	KAME_KEY_ALGTYPE_ENC
#define AUTH	KAME_KEY_ALGTYPE_AUTH
#define AEAD	KAME_KEY_ALGTYPE_AEAD
#define COMP	KAME_KEY_ALGTYPE_COMP

static const struct ipsec_alg ipsec_algs[] = {
	/* encryption (ESP -E); AEAD ones authenticate too */
	{ "null", NULL, "ecb(cipher_null)", ENC, 0, 2048, 0, 0, 8, 0 },
	{ "des-cbc", NULL, "cbc(des)", ENC, 64, 64, 0, 64, 64, 0 },
	{ "3des-cbc", NULL, "cbc(des3_ede)", ENC, 192, 192, 0, 64, 64, 0 },
	{ "blowfish-cbc", NULL, "cbc(blowfish)", ENC, 40, 448, 0, 64, 64, 0 },
	{ "cast128-cbc", NULL, "cbc(cast5)", ENC, 40, 128, 0, 64, 64, 0 },
	{ "aes-cbc", "rijndael-cbc", "cbc(aes)", ENC, 128, 256, 0, 128, 128,
	  0 },
	{ "twofish-cbc", NULL, "cbc(twofish)", ENC, 128, 256, 0, 128, 128, 0 },
	{ "camellia-cbc", NULL, "cbc(camellia)", ENC, 128, 256, 0, 128, 128,
	  0 },
	/* RFC 3686: the key, then a 32-bit nonce */
	{ "aes-ctr", NULL, "rfc3686(ctr(aes))", ENC, 160, 288, 0, 64, 32, 4 },
	/* RFC 4106, RFC 7634: the key, then a 32-bit salt */
	{ "aes-gcm-16", NULL, "rfc4106(gcm(aes))", AEAD, 160, 288, 128, 64,
	  32, 4 },
	{ "chacha20-poly1305", NULL, "rfc7539esp(chacha20,poly1305)", AEAD,
	  288, 288, 128, 64, 32, 4 },
	/* authentication (ESP and AH -A), ICVs truncated as RFC 2404, 4868 */
	{ "null", NULL, "digest_null", AUTH, 0, 2048, 0, 0, 0, 0 },
	{ "hmac-md5", NULL, "hmac(md5)", AUTH, 128, 128, 96, 0, 0, 0 },
	{ "hmac-sha1", NULL, "hmac(sha1)", AUTH, 160, 160, 96, 0, 0, 0 },
	{ "hmac-sha2-256", "hmac-sha256", "hmac(sha256)", AUTH, 256, 256, 128,
	  0, 0, 0 },
	{ "hmac-sha2-384", "hmac-sha384", "hmac(sha384)", AUTH, 384, 384, 192,
	  0, 0, 0 },
	{ "hmac-sha2-512", "hmac-sha512", "hmac(sha512)", AUTH, 512, 512, 256,
	  0, 0, 0 },
	{ "hmac-ripemd160", NULL, "hmac(rmd160)", AUTH, 160, 160, 96, 0, 0,
	  0 },
	{ "aes-xcbc-mac", NULL, "xcbc(aes)", AUTH, 128, 128, 96, 0, 0, 0 },
	/* compression (IPComp -C) */
	{ "deflate", NULL, "deflate", COMP, 0, 0, 0, 0, 0, 0 },
};

/* An ENC or AEAD name for type ENC, else of exactly type. */
const struct ipsec_alg *ipsec_alg_find(const char *name, u8 type)
{
	const struct ipsec_alg *a;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ipsec_algs); i++) {
		a = &ipsec_algs[i];
		if (a->type != type && !(type == ENC && a->type == AEAD))
			continue;
		if (!strcmp(name, a->name) || (a->alias && !strcmp(name, a->alias)))
			return a;
	}
	return NULL;
}

/*
 * Does a take a key of the given length (its salt included)? AES and Camellia
 * only take 128, 192 or 256 bits of key proper.
 */
bool ipsec_alg_keylen_ok(const struct ipsec_alg *a, unsigned int bits)
{
	unsigned int k = bits - a->saltbytes * 8;

	if (bits < a->minbits || bits > a->maxbits || bits % 8)
		return false;
	if (strstr(a->crypto, "aes") || strstr(a->crypto, "camellia"))
		return k == 128 || k == 192 || k == 256;
	return true;
}

/* Can the crypto API provide it (loading its module if it must)? */
bool ipsec_alg_have(const struct ipsec_alg *a)
{
	return crypto_has_alg(a->crypto, 0, 0);
}

/* REGISTER's reply: one KAME_KEY_A_ALG per algorithm this kernel has. */
int ipsec_alg_fill(struct sk_buff *skb)
{
	const struct ipsec_alg *a;
	struct nlattr *nest;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ipsec_algs); i++) {
		a = &ipsec_algs[i];
		if (!ipsec_alg_have(a))
			continue;
		nest = nla_nest_start(skb, KAME_KEY_A_ALG);
		if (!nest ||
		    nla_put_string(skb, KAME_KEY_ALG_NAME, a->name) ||
		    nla_put_u8(skb, KAME_KEY_ALG_TYPE, a->type) ||
		    nla_put_u16(skb, KAME_KEY_ALG_MINBITS, a->minbits) ||
		    nla_put_u16(skb, KAME_KEY_ALG_MAXBITS, a->maxbits) ||
		    nla_put_u16(skb, KAME_KEY_ALG_ICVBITS, a->icvbits) ||
		    nla_put_u16(skb, KAME_KEY_ALG_IVBITS, a->ivbits))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return 0;
}
