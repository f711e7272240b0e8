// SPDX-License-Identifier: GPL-2.0
/*
 * The algorithm names setkey knows, with the key lengths of setkey(8).
 * They check a file under -n; otherwise the kernel's REGISTER reply says
 * which algorithms and key lengths it takes (send.c).
 */
#include <netinet/in.h>
#include "setkey.h"

#define ENC	KAME_KEY_ALGTYPE_ENC
#define AUTH	KAME_KEY_ALGTYPE_AUTH
#define AEAD	KAME_KEY_ALGTYPE_AEAD
#define COMP	KAME_KEY_ALGTYPE_COMP

static const struct sk_alg enc_algs[] = {
	{ "des-cbc", NULL, ENC, 64, 64 },
	{ "3des-cbc", NULL, ENC, 192, 192 },
	{ "null", NULL, ENC, 0, 2048 },
	{ "blowfish-cbc", NULL, ENC, 40, 448 },
	{ "cast128-cbc", NULL, ENC, 40, 128 },
	{ "aes-cbc", "rijndael-cbc", ENC, 128, 256 },
	{ "twofish-cbc", NULL, ENC, 0, 256 },
	{ "camellia-cbc", NULL, ENC, 128, 256 },
	{ "aes-ctr", NULL, ENC, 160, 288 },
	{ "aes-gcm-16", NULL, AEAD, 160, 288 },
	{ "chacha20-poly1305", NULL, AEAD, 288, 288 },
	{ "oui", NULL, COMP, 0, 0 },
	{ "deflate", NULL, COMP, 0, 0 },
	{ "lzs", NULL, COMP, 0, 0 },
};

static const struct sk_alg auth_algs[] = {
	{ "hmac-md5", NULL, AUTH, 128, 128 },
	{ "hmac-sha1", NULL, AUTH, 160, 160 },
	{ "keyed-md5", NULL, AUTH, 128, 128 },
	{ "keyed-sha1", NULL, AUTH, 160, 160 },
	{ "hmac-sha2-256", "hmac-sha256", AUTH, 256, 256 },
	{ "hmac-sha2-384", "hmac-sha384", AUTH, 384, 384 },
	{ "hmac-sha2-512", "hmac-sha512", AUTH, 512, 512 },
	{ "hmac-ripemd160", NULL, AUTH, 160, 160 },
	{ "aes-xcbc-mac", NULL, AUTH, 128, 128 },
	{ "null", NULL, AUTH, 0, 2048 },
};

/* By name or alias; enc_side: -E and -C names, else -A names. */
const struct sk_alg *sk_alg_find(const char *name, bool enc_side)
{
	const struct sk_alg *t = enc_side ? enc_algs : auth_algs;
	size_t n = enc_side ? ARRAY_SIZE(enc_algs) : ARRAY_SIZE(auth_algs), i;

	for (i = 0; i < n; i++)
		if (streq(name, t[i].name) || streq(name, t[i].alias))
			return &t[i];
	return NULL;
}

/* The satype names of the dumps */
const char *sk_satype_name(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_ESP:
		return "esp";
	case IPPROTO_AH:
		return "ah";
	case IPPROTO_COMP:
		return "ipcomp";
	default:
		return NULL;
	}
}
