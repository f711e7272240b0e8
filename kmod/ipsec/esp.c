// SPDX-License-Identifier: GPL-2.0
/*
 * ESP (RFC 4303; KAME's esp_core.c, esp_output.c, esp_input.c) through
 * the crypto API's AEAD interface: an AEAD algorithm as it is (RFC 4106
 * GCM, RFC 7634 ChaCha20-Poly1305), a cipher and an authenticator as
 * authenc(AUTH,ENC). Every transform takes the SPI, the sequence number
 * and the IV as associated data (the templates for RFC 4106 and RFC 7634
 * leave the IV out of what they authenticate, as those RFCs say) and the
 * rest of the packet as what it encrypts: the layout of an ESP packet.
 *
 *   | SPI | seq | IV | payload | padding | pad len | next hdr | ICV |
 *   |<-- associated data -->|<------- encrypted ------------>|
 *
 * With extended sequence numbers (RFC 4303 2.2.1) the high half of the
 * 64-bit number, which is not on the wire, goes into the associated data
 * between the SPI and the low half: where RFC 4106 and RFC 7634 put it
 * for their AAD, and what the crypto API's authencesn template (used in
 * place of authenc) takes, moving it behind the ciphertext for the ICV
 * as RFC 4303 2.2.1 has it. The SPI and the high half are in a buffer of
 * their own in front of the packet's bytes (esp_crypt()).
 *
 *   | SPI | seq hi | seq lo | IV | payload ... | ICV |
 *
 * Any implementation the crypto API prefers is taken, asynchronous ones
 * (hardware, pcrypt, the SIMD wrappers that defer to cryptd) included.
 * A synchronous transform completes in place, in softirq. An asynchronous
 * one completes later, perhaps on another CPU or in process context: the
 * packet and what its processing needs go with the request (struct
 * esp_op), holding a reference on the SA and on the device (input) or on
 * the namespace and the SAs still to apply (output), and the completion
 * resumes the input (kame_family_input_resume()) or the output
 * (ipsec_out_resume()) with BH disabled. A full crypto queue drops the
 * packet in in_nomem/out_nomem.
 *
 * The module parameter esp_async puts the transforms of the SAs added
 * after it is set under pcrypt, which makes any implementation
 * asynchronous: for tests of the asynchronous paths.
 */
#include <crypto/aead.h>
#include <crypto/authenc.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/rtnetlink.h>
#include <linux/scatterlist.h>
#include <net/ip.h>
#include "kmod/core/compat.h"
#include "ipsec.h"


static bool esp_async;
module_param(esp_async, bool, 0644);
MODULE_PARM_DESC(esp_async,
		 "ESP SAs added from now on run their transform under pcrypt, asynchronously (tests)");

/* One transform: the request and what its completion needs. */
struct esp_op {
	struct ipsec_op base;		/* first: freed through it */
	struct scatterlist sg[2];
	__be32 ext[2];			/* SPI and the ESN high half */
	u8 iv[16];
};

static struct aead_request *esp_op_req(struct esp_op *op)
{
	return (void *)op + ALIGN(sizeof(*op), CRYPTO_MINALIGN);
}

static struct esp_op *esp_op_alloc(struct ipsec_sa *sa, struct sk_buff *skb)
{
	struct esp_op *op;

	op = kmalloc(ALIGN(sizeof(*op), CRYPTO_MINALIGN) +
		     sizeof(struct aead_request) +
		     crypto_aead_reqsize(sa->aead), GFP_ATOMIC);
	if (op) {
		op->base.sa = sa;
		op->base.skb = skb;
		aead_request_set_tfm(esp_op_req(op), sa->aead);
	}
	return op;
}

/* The crypto API's name of the SA's transform. */
static int esp_tfm_name(const struct ipsec_sa *sa, char *buf, size_t len)
{
	int n;

	if (sa->enc->type == KAME_KEY_ALGTYPE_AEAD)
		n = snprintf(buf, len, "%s", sa->enc->crypto);
	else
		n = snprintf(buf, len, "%s(%s,%s)",
			     sa->flags & KAME_KEY_F_ESN ? "authencesn" : "authenc",
			     sa->auth ? sa->auth->crypto : "digest_null",
			     sa->enc->crypto);
	return n < len ? 0 : -ENAMETOOLONG;
}

/* authenc's key: an rtattr with the cipher key's length, then both keys */
static int esp_set_authenc_key(struct ipsec_sa *sa)
{
	unsigned int alen = sa->auth ? sa->auth_keylen : 0;
	unsigned int len = RTA_SPACE(sizeof(struct crypto_authenc_key_param)) +
			   alen + sa->enc_keylen;
	struct crypto_authenc_key_param *param;
	struct rtattr *rta;
	u8 *key, *p;
	int err;

	key = kmalloc(len, GFP_KERNEL);
	if (!key)
		return -ENOMEM;
	rta = (struct rtattr *)key;
	rta->rta_type = CRYPTO_AUTHENC_KEYA_PARAM;
	rta->rta_len = RTA_LENGTH(sizeof(*param));
	param = RTA_DATA(rta);
	param->enckeylen = cpu_to_be32(sa->enc_keylen);
	p = key + RTA_SPACE(sizeof(*param));
	if (alen)
		memcpy(p, sa->auth_key, alen);
	memcpy(p + alen, sa->enc_key, sa->enc_keylen);
	err = crypto_aead_setkey(sa->aead, key, len);
	kfree_sensitive(key);
	return err;
}

/*
 * The crypto API's transform for name; with esp_async, pcrypt around
 * the implementation it would have given (named by its driver name: the
 * plain name would find pcrypt's instances of other SAs again).
 */
static struct crypto_aead *esp_alloc_aead(const char *name)
{
	char pname[CRYPTO_MAX_ALG_NAME];
	struct crypto_aead *aead;
	const char *drv;
	int n;

	aead = crypto_alloc_aead(name, 0, 0);
	if (IS_ERR(aead) || !READ_ONCE(esp_async))
		return aead;
	drv = crypto_aead_driver_name(aead);
	if (!strncmp(drv, "pcrypt(", 7))
		return aead;
	n = snprintf(pname, sizeof(pname), "pcrypt(%s)", drv);
	crypto_free_aead(aead);
	if (n >= sizeof(pname))
		return ERR_PTR(-ENAMETOOLONG);
	return crypto_alloc_aead(pname, 0, 0);
}

/* The transform of an ESP SA, from its algorithms and keys. */
int esp_init_state(struct ipsec_sa *sa)
{
	unsigned int icv;
	char name[CRYPTO_MAX_ALG_NAME];
	int err;

	err = esp_tfm_name(sa, name, sizeof(name));
	if (err)
		return err;
	sa->aead = esp_alloc_aead(name);
	if (IS_ERR(sa->aead)) {
		err = PTR_ERR(sa->aead);
		sa->aead = NULL;
		return err;
	}
	sa->async = crypto_aead_tfm(sa->aead)->__crt_alg->cra_flags &
		    CRYPTO_ALG_ASYNC;
	if (sa->enc->type == KAME_KEY_ALGTYPE_AEAD) {
		err = crypto_aead_setkey(sa->aead, sa->enc_key, sa->enc_keylen);
		icv = sa->enc->icvbits / 8;
	} else {
		err = esp_set_authenc_key(sa);
		icv = sa->auth ? sa->auth->icvbits / 8 : 0;
	}
	if (!err)
		err = crypto_aead_setauthsize(sa->aead, icv);
	if (err) {
		crypto_free_aead(sa->aead);
		sa->aead = NULL;
		return err;
	}
	sa->icvlen = icv;
	sa->ivlen = crypto_aead_ivsize(sa->aead);
	/* padding to the cipher's block, at least to 4 bytes (RFC 4303 2.4) */
	sa->blksize = max_t(unsigned int, 4,
			    ALIGN(crypto_aead_blocksize(sa->aead), 4));
	return 0;
}

void esp_destroy_state(struct ipsec_sa *sa)
{
	if (sa->aead)
		crypto_free_aead(sa->aead);
	sa->aead = NULL;
}


/*
 * Run the SA's transform over the len bytes of op->base.skb from off (ESP
 * header to ICV): encrypt (the payload and trailer; the ICV written
 * behind) or decrypt (and verify the ICV), op->iv the IV. seqhi: the
 * sequence number's high half, taken in with ESN. The skb is linear.
 * 0 or -errno done; -EINPROGRESS: done() will be called with op.
 */
static int esp_crypt(struct esp_op *op, unsigned int off, unsigned int len,
		     u32 seqhi, bool enc, crypto_completion_t done)
{
	struct ipsec_sa *sa = op->base.sa;
	struct aead_request *req = esp_op_req(op);
	unsigned int ad = ESP_HLEN + sa->ivlen;
	u8 *p = op->base.skb->data + off;
	int err;

	if (sa->flags & KAME_KEY_F_ESN) {
		/* the template writes the SPI and high half back */
		memcpy(op->ext, p, 4);
		op->ext[1] = htonl(seqhi);
		sg_init_table(op->sg, 2);
		sg_set_buf(&op->sg[0], op->ext, 8);
		sg_set_buf(&op->sg[1], p + 4, len - 4);
		ad += 4;
		len += 4;
	} else {
		sg_init_one(op->sg, p, len);
	}
	aead_request_set_callback(req, 0, sa->async ? done : NULL,
				  sa->async ? op : NULL);
	aead_request_set_ad(req, ad);
	/* encryption writes the ICV after what it encrypts */
	aead_request_set_crypt(req, op->sg, op->sg,
			       len - ad - (enc ? sa->icvlen : 0), op->iv);
	err = enc ? crypto_aead_encrypt(req) : crypto_aead_decrypt(req);
	return err == -EINPROGRESS ? err : ipsec_crypt_err(err);
}

/* The completion of an asynchronous encryption: the rest of the output. */
static void esp_output_done(IPSEC_DONE_ARGS)
{
	struct esp_op *op = IPSEC_DONE_DATA;

	ipsec_op_out_done(&op->base, err);
}

/*
 * ESP on the payload at skb->data (in tunnel mode the inner packet) after
 * its first hoff bytes, the extension headers that stay in front (RFC
 * 4303 3.1.1: Hop-by-Hop, Routing, Destination Options before Routing),
 * whose next header is *proto: header and IV after them, padding
 * (randpad: the esp_randpad knob), trailer and ICV behind, *proto
 * becomes ESP. 0 or -errno (skb left to the caller); -EINPROGRESS for an
 * asynchronous transform, which took skb and a copy of st and goes on
 * with ipsec_out_resume().
 */
int esp_output(struct ipsec_sa *sa, struct sk_buff *skb, unsigned int hoff,
	       u8 *proto, int randpad, struct ipsec_out *st)
{
	unsigned int plen = skb->len - hoff, clen, pad, hlen, tail, i;
	u64 seq = ipsec_seq_next(sa);
	struct esp_op *op;
	__be32 *h;
	int err;
	u8 *p;

	if (!seq)
		return -EOVERFLOW;	/* rekey: the SA is used up */
	clen = ALIGN(plen + 2, sa->blksize);
	pad = clen - plen - 2;
	/* esp_randpad: more padding, a random number of blocks */
	if (randpad >= 0 && clen < randpad) {
		i = min_t(unsigned int, randpad - clen, 255 - pad) /
		    sa->blksize;
		i = (get_random_u32() % (i + 1)) * sa->blksize;
		clen += i;
		pad += i;
	}
	hlen = ESP_HLEN + sa->ivlen;
	tail = pad + 2 + sa->icvlen;
	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		return -EINVAL;
	if (skb_linearize_cow(skb))
		return -ENOMEM;
	if (skb_cow_head(skb, hlen + MAX_HEADER + sizeof(struct ipv6hdr)) ||
	    (skb_tailroom(skb) < tail &&
	     pskb_expand_head(skb, 0, tail - skb_tailroom(skb), GFP_ATOMIC)))
		return -ENOMEM;
	op = esp_op_alloc(sa, skb);
	if (!op)
		return -ENOMEM;
	p = skb_put(skb, tail);
	if (sa->flags & KAME_KEY_F_PZERO)	/* -f zero-pad */
		memset(p, 0, pad);
	else if (sa->flags & KAME_KEY_F_PRAND)	/* -f random-pad */
		get_random_bytes(p, pad);
	else
		for (i = 0; i < pad; i++)	/* RFC 4303 2.4: 1, 2, 3... */
			p[i] = i + 1;
	p[pad] = pad;
	p[pad + 1] = *proto;
	/* a counter for the counter modes, random bytes for CBC */
	if (sa->enc->ivbits == 64 && sa->enc->saltbytes)
		put_unaligned_be64(seq, op->iv);
	else
		get_random_bytes(op->iv, sa->ivlen);
	skb_push(skb, hlen);
	memmove(skb->data, skb->data + hlen, hoff);
	h = (__be32 *)(skb->data + hoff);
	h[0] = htonl(sa->spi);
	h[1] = htonl((u32)seq);
	memcpy(h + 2, op->iv, sa->ivlen);
	atomic64_add(plen, &sa->bytes);
	if (sa->async && !ipsec_op_out_hold(&op->base, st)) {
		kfree_sensitive(op);
		return -ENOENT;		/* an SA is going */
	}
	err = esp_crypt(op, hoff, skb->len - hoff, seq >> 32, true,
			esp_output_done);
	if (err == -EINPROGRESS)
		return err;
	if (sa->async)
		ipsec_op_out_release(&op->base);
	kfree_sensitive(op);
	if (!err)
		*proto = IPPROTO_ESP;
	return err;
}

/*
 * The rest of the input after the transform (err its result): the
 * trailer off, the headers in front moved up (offsets before c->off
 * stay), the replay window advanced, then the core goes on with what was
 * inside (0), the processing noted in c->sec for the inbound policy
 * check, or a tunnel-mode SA's inner packet goes into the input as one
 * of its own. A drop moves one counter.
 */
static int esp6_input_finish(struct kame_if *kif, struct sk_buff *skb,
			     struct kame_ip6ctx *c, struct ipsec_sa *sa,
			     u64 seq, int err)
{
	struct ipsec_net *in = ipsec_net(dev_net(skb->dev));
	unsigned int hlen = ESP_HLEN + sa->ivlen, len = skb->len - c->off;
	unsigned int pad;
	int stat;
	u8 *t, nh;

	if (err) {
		if (err == -EBADMSG)
			atomic64_inc(&sa->stat[KAME_KEY_SASTAT_AUTHFAIL]);
		stat = err == -EBADMSG ? KAME_IPSEC6S_IN_AUTHFAIL :
		       err == -ENOMEM ? KAME_IPSEC6S_IN_NOMEM :
		       err == -ENOENT ? KAME_IPSEC6S_IN_NOSA :
		       KAME_IPSEC6S_IN_INVAL;
		goto drop;
	}
	t = skb->data + skb->len - sa->icvlen - 2;
	pad = t[0];
	nh = t[1];
	if (pad + 2 + sa->icvlen + hlen > len) {
		stat = KAME_IPSEC6S_IN_INVAL;
		goto drop;
	}
	pskb_trim(skb, skb->len - sa->icvlen - 2 - pad);
	memmove(skb->data + hlen, skb->data, c->off);
	skb_pull(skb, hlen);
	skb_reset_network_header(skb);
	ipv6_hdr(skb)->payload_len = htons(skb->len - sizeof(struct ipv6hdr));
	skb->ip_summed = CHECKSUM_NONE;	/* the device's sum was of the ESP */
	atomic64_add(skb->len - c->off, &sa->bytes);
	/* a replay racing us on another CPU loses here */
	if (!ipsec_replay_check(sa, seq, true)) {
		atomic64_inc(&sa->stat[KAME_KEY_SASTAT_REPLAY]);
		stat = KAME_IPSEC6S_IN_REPLAY;
		goto drop;
	}
	if (!READ_ONCE(sa->first_use))
		WRITE_ONCE(sa->first_use, ktime_get_real_seconds());
	/* RFC 4303 2.6: a dummy packet (traffic flow confidentiality) */
	if (nh == NEXTHDR_NONE) {
		stat = KAME_IPSEC6S_IN_DUMMY;
		goto drop;
	}
	skb->data[c->nhoff] = nh;
	c->nxt = nh;
	return ipsec_input_done(kif, skb, c, sa);
drop:
	ipsec_stat_inc(in, stat);
	kfree_skb(skb);
	return KAME_IP6PROTO_DROP;
}

static int esp6_input_resumed(struct kame_if *kif, struct sk_buff **skbp,
			      struct kame_ip6ctx *c, void *arg)
{
	struct ipsec_op *op = arg;

	return esp6_input_finish(kif, *skbp, c, op->sa, op->in.seq, op->err);
}

/* The completion of an asynchronous decryption: the input goes on. */
static void esp_input_done(IPSEC_DONE_ARGS)
{
	struct esp_op *op = IPSEC_DONE_DATA;

	ipsec_op_in_done(&op->base, err, esp6_input_resumed);
}

/*
 * Decrypt and verify the ESP packet at c->off of skb (linear, the IPv6
 * header at skb->data): with a synchronous transform the input goes on
 * (esp6_input_finish()); with an asynchronous one, KAME_IP6PROTO_ASYNC,
 * the device and SA held until the completion resumes the input.
 */
static int esp6_input_decrypt(struct kame_if *kif, struct sk_buff *skb,
			      struct kame_ip6ctx *c, struct ipsec_sa *sa,
			      u64 seq)
{
	unsigned int hlen = ESP_HLEN + sa->ivlen, len = skb->len - c->off;
	struct esp_op *op;
	int err;

	if (len < hlen + sa->icvlen + 2 ||
	    (len - hlen - sa->icvlen) % sa->blksize)
		return esp6_input_finish(kif, skb, c, sa, seq, -EINVAL);
	op = esp_op_alloc(sa, skb);
	if (!op)
		return esp6_input_finish(kif, skb, c, sa, seq, -ENOMEM);
	memcpy(op->iv, skb->data + c->off + ESP_HLEN, sa->ivlen);
	if (sa->async && !ipsec_op_in_hold(&op->base, c, seq)) {
		kfree_sensitive(op);	/* the SA deleted meanwhile */
		return esp6_input_finish(kif, skb, c, sa, seq, -ENOENT);
	}
	err = esp_crypt(op, c->off, len, seq >> 32, false, esp_input_done);
	if (err == -EINPROGRESS)
		return KAME_IP6PROTO_ASYNC;
	if (sa->async)
		ipsec_op_in_release(&op->base);
	kfree_sensitive(op);
	return esp6_input_finish(kif, skb, c, sa, seq, err);
}

/*
 * KAME's esp6_input(): next header 50 of a packet for this node. The SA
 * of the destination and SPI, the replay window, the ICV and decryption
 * (esp6_input_decrypt()). A drop moves one counter (ipsec6stat, and the
 * SA's own for replays and ICV failures).
 */
static int esp6_input(struct kame_if *kif, struct sk_buff **skbp,
		      struct kame_ip6ctx *c)
{
	struct sk_buff *skb = *skbp;
	struct ipsec_net *in = ipsec_net(dev_net(skb->dev));
	struct ipsec_sa *sa;
	u32 spi, seql;
	int stat;
	u64 seq;

	/* a jumbogram's length is in its option: not rewritten here */
	if (c->jumbo || !pskb_may_pull(skb, c->off + ESP_HLEN)) {
		stat = KAME_IPSEC6S_IN_INVAL;
		goto drop;
	}
	spi = get_unaligned_be32(skb->data + c->off);
	seql = get_unaligned_be32(skb->data + c->off + 4);
	sa = ipsec_sa_lookup_in(in, skb, IPPROTO_ESP, spi);
	if (!sa) {
		stat = KAME_IPSEC6S_IN_NOSA;
		goto drop;
	}
	stat = ipsec_input_seq(sa, skb, seql, &seq);
	if (stat)
		goto drop;
	return esp6_input_decrypt(kif, skb, c, sa, seq);
drop:
	ipsec_stat_inc(in, stat);
	kfree_skb(skb);
	return KAME_IP6PROTO_DROP;
}

const struct kame_ip6proto esp6_protosw = {
	.protocol	= IPPROTO_ESP,
	.input		= esp6_input,
};
