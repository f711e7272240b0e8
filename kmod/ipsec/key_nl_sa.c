// SPDX-License-Identifier: GPL-2.0
/*
 * The SAD's messages (KAME's key_getspi(), key_update(), key_add(),
 * key_delete(), key_get(), key_register(), key_flush(), key_dump()).
 */
#include <linux/random.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include "kmod/core/compat.h"
#include "ipsec.h"

/* The extack of a missing attribute (msg a literal): -EINVAL */
#define MISSING(info, a, msg) ({					\
	NL_SET_ERR_MSG_MOD((info)->extack, msg);			\
	NL_SET_ERR_ATTR_MISS((info)->extack, NULL, a);			\
	-EINVAL;							\
})

static struct ipsec_net *ipsec_info_net(struct genl_info *info)
{
	return ipsec_net(genl_info_net(info));
}

static int ipsec_send(struct genl_info *info, struct sk_buff *reply)
{
	return reply ? genlmsg_reply(reply, info) : -ENOMEM;
}

static int ipsec_check_proto(struct genl_info *info, u8 proto)
{
	if (proto == IPPROTO_ESP || proto == IPPROTO_AH ||
	    proto == IPPROTO_COMP)
		return 0;
	NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KAME_KEY_A_PROTO],
			    "the protocol is neither esp, ah nor ipcomp");
	return -EINVAL;
}

/* (DST, PROTO, SPI): what names an SA */
static int ipsec_sa_id(struct genl_info *info, struct in6_addr *dst,
		       u8 *proto, u32 *spi)
{
	if (!info->attrs[KAME_KEY_A_DST])
		return MISSING(info, KAME_KEY_A_DST, "the SA's destination is missing");
	if (!info->attrs[KAME_KEY_A_PROTO])
		return MISSING(info, KAME_KEY_A_PROTO, "the SA's protocol is missing");
	if (!info->attrs[KAME_KEY_A_SPI])
		return MISSING(info, KAME_KEY_A_SPI, "the SA's SPI is missing");
	*dst = nla_get_in6_addr(info->attrs[KAME_KEY_A_DST]);
	*proto = nla_get_u8(info->attrs[KAME_KEY_A_PROTO]);
	*spi = nla_get_u32(info->attrs[KAME_KEY_A_SPI]);
	return ipsec_check_proto(info, *proto);
}

/* Does the SA match the source the request names, if it names one? */
static bool ipsec_src_ok(struct genl_info *info, const struct ipsec_sa *sa)
{
	struct nlattr *a = info->attrs[KAME_KEY_A_SRC];

	return !a || ipv6_addr_equal(&sa->src, nla_data(a));
}

static int ipsec_get_lft(struct genl_info *info, int type,
			 struct ipsec_lft *l)
{
	struct nlattr *tb[KAME_KEY_LFT_MAX + 1];
	int err;

	if (!info->attrs[type])
		return 0;
	err = nla_parse_nested(tb, KAME_KEY_LFT_MAX, info->attrs[type], NULL,
			       info->extack);
	if (err)
		return err;
	memset(l, 0, sizeof(*l));
	if (tb[KAME_KEY_LFT_ALLOCATIONS])
		l->allocations = nla_get_u64(tb[KAME_KEY_LFT_ALLOCATIONS]);
	if (tb[KAME_KEY_LFT_BYTES])
		l->bytes = nla_get_u64(tb[KAME_KEY_LFT_BYTES]);
	if (tb[KAME_KEY_LFT_ADDTIME])
		l->addtime = nla_get_u64(tb[KAME_KEY_LFT_ADDTIME]);
	if (tb[KAME_KEY_LFT_USETIME])
		l->usetime = nla_get_u64(tb[KAME_KEY_LFT_USETIME]);
	return 0;
}

/* One algorithm of an SA and its key (type ENC, AUTH or COMP). */
static int ipsec_set_alg(struct genl_info *info, int nattr, int kattr, u8 type,
			 const struct ipsec_alg **alg, u8 *key, u16 *keylen)
{
	struct nlattr *n = info->attrs[nattr];
	struct nlattr *k = kattr ? info->attrs[kattr] : NULL;
	unsigned int len = k ? nla_len(k) : 0;
	const struct ipsec_alg *a;

	if (!n) {
		if (!k)
			return 0;
		NL_SET_ERR_MSG_ATTR(info->extack, k,
				    "a key without its algorithm");
		return -EINVAL;
	}
	a = ipsec_alg_find(nla_data(n), type);
	if (!a) {
		NL_SET_ERR_MSG_ATTR(info->extack, n,
				    "unknown algorithm (KAME_KEY_CMD_REGISTER lists them)");
		return -EINVAL;
	}
	if (!ipsec_alg_have(a)) {
		NL_SET_ERR_MSG_ATTR(info->extack, n,
				    "the kernel's crypto API has no implementation of this algorithm");
		return -EOPNOTSUPP;
	}
	if (type != KAME_KEY_ALGTYPE_COMP && !ipsec_alg_keylen_ok(a, len * 8)) {
		NL_SET_ERR_MSG_ATTR(info->extack, k ? k : n,
				    "the algorithm does not take a key of this length");
		return -EINVAL;
	}
	*alg = a;
	if (len)
		memcpy(key, nla_data(k), len);
	*keylen = len;
	return 0;
}

static int ipsec_check_algs(struct genl_info *info, const struct ipsec_sa *sa)
{
	struct netlink_ext_ack *ex = info->extack;

	switch (sa->proto) {
	case IPPROTO_ESP:
		if (!sa->enc) {
			NL_SET_ERR_MSG_MOD(ex, "ESP needs an encryption algorithm (-E)");
			return -EINVAL;
		}
		if (sa->enc->type == KAME_KEY_ALGTYPE_AEAD && sa->auth) {
			NL_SET_ERR_MSG_MOD(ex, "an AEAD algorithm authenticates by itself: no -A");
			return -EINVAL;
		}
		if (!strcmp(sa->enc->name, "null") &&
		    (!sa->auth || !strcmp(sa->auth->name, "null"))) {
			NL_SET_ERR_MSG_MOD(ex, "ESP with neither encryption nor authentication (RFC 4303)");
			return -EINVAL;
		}
		if (sa->comp) {
			NL_SET_ERR_MSG_MOD(ex, "ESP takes no compression algorithm");
			return -EINVAL;
		}
		return 0;
	case IPPROTO_AH:
		if (!sa->auth || sa->enc || sa->comp) {
			NL_SET_ERR_MSG_MOD(ex, "AH takes an authentication algorithm (-A) only");
			return -EINVAL;
		}
		return 0;
	}
	if (!sa->comp || sa->enc || sa->auth) {
		NL_SET_ERR_MSG_MOD(ex, "IPComp takes a compression algorithm (-C) only");
		return -EINVAL;
	}
	return 0;
}

/*
 * ESN (ESP and AH only) and SEQ, the SA's last sequence number (32 bits
 * without ESN): the next packet out has SEQ + 1, and input takes SEQ as
 * the top of the replay window (to start an SA anywhere, for tests).
 */
static int ipsec_sa_seq(struct genl_info *info, struct ipsec_sa *sa)
{
	struct nlattr *a = info->attrs[KAME_KEY_A_SEQ];
	u64 seq;

	if (sa->flags & KAME_KEY_F_ESN && sa->proto == IPPROTO_COMP) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KAME_KEY_A_FLAGS],
				    "IPComp has no sequence numbers: no ESN");
		return -EINVAL;
	}
	if (!a)
		return 0;
	seq = nla_get_u64(a);
	if (sa->proto == IPPROTO_COMP) {
		NL_SET_ERR_MSG_ATTR(info->extack, a,
				    "IPComp has no sequence numbers");
		return -EINVAL;
	}
	if (!(sa->flags & KAME_KEY_F_ESN) && seq > U32_MAX) {
		NL_SET_ERR_MSG_ATTR(info->extack, a,
				    "a sequence number above 32 bits needs ESN");
		return -EINVAL;
	}
	atomic64_set(&sa->seq, seq);
	sa->rtop = seq;
	return 0;
}

/* What ADD and the UPDATE of a larval SA give an SA besides its name. */
static int ipsec_sa_from_info(struct genl_info *info, struct ipsec_sa *sa)
{
	struct nlattr **a = info->attrs;
	u16 comp_keylen;
	int err;

	if (a[KAME_KEY_A_MODE])
		sa->mode = nla_get_u8(a[KAME_KEY_A_MODE]);
	if (a[KAME_KEY_A_REQID])
		sa->reqid = nla_get_u32(a[KAME_KEY_A_REQID]);
	if (a[KAME_KEY_A_REPLAY])
		sa->replay = nla_get_u32(a[KAME_KEY_A_REPLAY]);
	if (a[KAME_KEY_A_FLAGS])
		sa->flags = nla_get_u32(a[KAME_KEY_A_FLAGS]);
	err = ipsec_sa_seq(info, sa);
	if (!err)
		err = ipsec_get_lft(info, KAME_KEY_A_LIFETIME_HARD, &sa->hard);
	if (!err)
		err = ipsec_get_lft(info, KAME_KEY_A_LIFETIME_SOFT, &sa->soft);
	if (!err)
		err = ipsec_set_alg(info, KAME_KEY_A_ENC_ALG, KAME_KEY_A_ENC_KEY,
				    KAME_KEY_ALGTYPE_ENC, &sa->enc,
				    sa->enc_key, &sa->enc_keylen);
	if (!err)
		err = ipsec_set_alg(info, KAME_KEY_A_AUTH_ALG,
				    KAME_KEY_A_AUTH_KEY, KAME_KEY_ALGTYPE_AUTH,
				    &sa->auth, sa->auth_key, &sa->auth_keylen);
	if (!err)
		err = ipsec_set_alg(info, KAME_KEY_A_COMP_ALG, 0,
				    KAME_KEY_ALGTYPE_COMP, &sa->comp, NULL,
				    &comp_keylen);
	if (!err)
		err = ipsec_check_algs(info, sa);
	if (!err && (sa->proto == IPPROTO_ESP || sa->proto == IPPROTO_AH)) {
		err = sa->proto == IPPROTO_ESP ? esp_init_state(sa) :
		      ah_init_state(sa);
		if (err)
			NL_SET_ERR_MSG_MOD(info->extack,
					   "the crypto API cannot set up the algorithms with these keys");
	}
	if (!err && sa->proto == IPPROTO_COMP) {
		err = ipcomp_init_state(sa);
		if (err)
			NL_SET_ERR_MSG_MOD(info->extack,
					   "no memory for the compression workspaces");
	}
	return err;
}

/* The SPI range of an SA of proto: 256 up (below: IANA's), CPIs 16 bits */
static int ipsec_check_spi(struct genl_info *info, u8 proto, u32 spi)
{
	if (spi >= 256 && (proto != IPPROTO_COMP || spi <= 0xffff))
		return 0;
	NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[KAME_KEY_A_SPI],
			    "SPIs below 256 are reserved, IPComp CPIs are below 65536");
	return -EINVAL;
}

/* A new SA for ADD or GETSPI: its source, destination and protocol */
static struct ipsec_sa *ipsec_sa_new(struct genl_info *info, int *err)
{
	struct nlattr **a = info->attrs;
	struct ipsec_sa *sa;

	*err = -EINVAL;
	if (!a[KAME_KEY_A_SRC] || !a[KAME_KEY_A_DST] || !a[KAME_KEY_A_PROTO]) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "an SA needs its source, destination and protocol");
		return NULL;
	}
	if (ipsec_check_proto(info, nla_get_u8(a[KAME_KEY_A_PROTO])))
		return NULL;
	if (ipv6_addr_any(nla_data(a[KAME_KEY_A_DST]))) {
		NL_SET_ERR_MSG_ATTR(info->extack, a[KAME_KEY_A_DST],
				    "the SA's destination is unspecified");
		return NULL;
	}
	*err = -ENOMEM;
	sa = ipsec_sa_alloc();
	if (!sa)
		return NULL;
	sa->src = nla_get_in6_addr(a[KAME_KEY_A_SRC]);
	sa->dst = nla_get_in6_addr(a[KAME_KEY_A_DST]);
	sa->proto = nla_get_u8(a[KAME_KEY_A_PROTO]);
	*err = 0;
	return sa;
}

/* Into the SAD, unless its name is taken or the SAD is full. */
static int ipsec_sa_add_locked(struct ipsec_net *in, struct genl_info *info,
			       struct ipsec_sa *sa)
{
	if (ipsec_sa_lookup(in, &sa->dst, sa->proto, sa->spi)) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "an SA with this destination, protocol and SPI exists");
		return -EEXIST;
	}
	if (in->nsa >= READ_ONCE(ipsec_sa_max)) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "the SAD is full (kame_ipsec's sa_max)");
		return -ENOSPC;
	}
	ipsec_sa_insert(in, sa);
	return 0;
}

int ipsec_nl_add(struct sk_buff *skb, struct genl_info *info)
{
	struct ipsec_net *in = ipsec_info_net(info);
	struct ipsec_sa *sa;
	int err;

	if (!info->attrs[KAME_KEY_A_SPI])
		return MISSING(info, KAME_KEY_A_SPI, "the SA's SPI is missing");
	sa = ipsec_sa_new(info, &err);
	if (!sa)
		return err;
	sa->spi = nla_get_u32(info->attrs[KAME_KEY_A_SPI]);
	err = ipsec_check_spi(info, sa->proto, sa->spi);
	if (!err)
		err = ipsec_sa_from_info(info, sa);
	if (err) {
		ipsec_sa_free(sa);
		return err;
	}
	sa->state = KAME_KEY_STATE_MATURE;
	spin_lock_bh(&in->lock);
	err = ipsec_sa_add_locked(in, info, sa);
	if (!err)
		ipsec_monitor(in->net, KAME_KEY_CMD_ADD, sa, NULL);
	spin_unlock_bh(&in->lock);
	if (err)
		ipsec_sa_free(sa);
	return err;
}

/* An SPI no SA of dst and proto has, in [min, max], or 0. Under lock. */
static u32 ipsec_pick_spi(struct ipsec_net *in, const struct ipsec_sa *sa,
			  u32 min, u32 max)
{
	u64 range = (u64)max - min + 1;
	u32 spi;
	int i;

	for (i = 0; i < 1000; i++) {	/* KAME's key_spi_trycnt */
		spi = min + (u32)(((u64)get_random_u32() * range) >> 32);
		if (!ipsec_spi_taken(in, &sa->dst, sa->proto, spi))
			return spi;
	}
	return 0;
}

int ipsec_nl_getspi(struct sk_buff *skb, struct genl_info *info)
{
	struct ipsec_net *in = ipsec_info_net(info);
	struct nlattr **a = info->attrs;
	struct sk_buff *reply = NULL;
	struct ipsec_sa *sa;
	u32 min, max;
	int err;

	sa = ipsec_sa_new(info, &err);
	if (!sa)
		return err;
	min = a[KAME_KEY_A_SPI_MIN] ? nla_get_u32(a[KAME_KEY_A_SPI_MIN]) : 256;
	max = a[KAME_KEY_A_SPI_MAX] ? nla_get_u32(a[KAME_KEY_A_SPI_MAX]) :
	      sa->proto == IPPROTO_COMP ? 0xffff : 0xffffffff;
	if (a[KAME_KEY_A_SPI])
		min = max = nla_get_u32(a[KAME_KEY_A_SPI]);
	err = ipsec_check_spi(info, sa->proto, min);
	if (!err)
		err = ipsec_check_spi(info, sa->proto, max);
	if (!err && min > max) {
		NL_SET_ERR_MSG_MOD(info->extack, "the SPI range is empty");
		err = -EINVAL;
	}
	if (!err && a[KAME_KEY_A_MODE])
		sa->mode = nla_get_u8(a[KAME_KEY_A_MODE]);
	if (!err && a[KAME_KEY_A_REQID])
		sa->reqid = nla_get_u32(a[KAME_KEY_A_REQID]);
	if (err) {
		ipsec_sa_free(sa);
		return err;
	}
	sa->state = KAME_KEY_STATE_LARVAL;
	spin_lock_bh(&in->lock);
	sa->spi = min == max ? min : ipsec_pick_spi(in, sa, min, max);
	if (!sa->spi) {
		NL_SET_ERR_MSG_MOD(info->extack, "no free SPI found in the range");
		err = -EAGAIN;
	} else {
		err = ipsec_sa_add_locked(in, info, sa);
	}
	if (!err) {
		ipsec_monitor(in->net, KAME_KEY_CMD_GETSPI, sa, NULL);
		reply = ipsec_msg(KAME_KEY_CMD_GETSPI, info->snd_portid,
				  info->snd_seq, 0, sa, NULL, false);
	}
	spin_unlock_bh(&in->lock);
	if (err) {
		ipsec_sa_free(sa);
		return err;
	}
	return ipsec_send(info, reply);
}

/*
 * A larval SA becomes mature with what info gives (a new SA in its
 * place); a mature or dying one changes its lifetimes only.
 */
int ipsec_nl_update(struct sk_buff *skb, struct genl_info *info)
{
	struct ipsec_net *in = ipsec_info_net(info);
	struct ipsec_sa *sa, *n;
	int err;

	n = ipsec_sa_alloc();
	if (!n)
		return -ENOMEM;
	err = ipsec_sa_id(info, &n->dst, &n->proto, &n->spi);
	if (err)
		goto out;
	if (info->attrs[KAME_KEY_A_ENC_ALG] || info->attrs[KAME_KEY_A_AUTH_ALG] ||
	    info->attrs[KAME_KEY_A_COMP_ALG]) {
		err = ipsec_sa_from_info(info, n);
	} else {	/* lifetimes only: for a mature SA */
		err = ipsec_get_lft(info, KAME_KEY_A_LIFETIME_HARD, &n->hard);
		if (!err)
			err = ipsec_get_lft(info, KAME_KEY_A_LIFETIME_SOFT,
					    &n->soft);
	}
	if (err)
		goto out;
	spin_lock_bh(&in->lock);
	sa = ipsec_sa_lookup(in, &n->dst, n->proto, n->spi);
	if (!sa || !ipsec_src_ok(info, sa)) {
		NL_SET_ERR_MSG_MOD(info->extack, "no such SA");
		err = -ENOENT;
	} else if (sa->state != KAME_KEY_STATE_LARVAL) {
		if (n->enc || n->auth || n->comp) {
			NL_SET_ERR_MSG_MOD(info->extack,
					   "a mature SA changes only its lifetimes");
			err = -EINVAL;
		} else {
			if (info->attrs[KAME_KEY_A_LIFETIME_HARD])
				sa->hard = n->hard;
			if (info->attrs[KAME_KEY_A_LIFETIME_SOFT])
				sa->soft = n->soft;
			ipsec_monitor(in->net, KAME_KEY_CMD_UPDATE, sa, NULL);
		}
	} else if (!n->enc && !n->auth && !n->comp) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "a larval SA needs its algorithms and keys");
		err = -EINVAL;
	} else {
		n->src = sa->src;
		n->created = sa->created;
		n->state = KAME_KEY_STATE_MATURE;
		if (!info->attrs[KAME_KEY_A_MODE])
			n->mode = sa->mode;
		if (!info->attrs[KAME_KEY_A_REQID])
			n->reqid = sa->reqid;
		ipsec_sa_unlink(in, sa);
		ipsec_sa_insert(in, n);
		ipsec_monitor(in->net, KAME_KEY_CMD_UPDATE, n, NULL);
		n = NULL;
	}
	spin_unlock_bh(&in->lock);
out:
	ipsec_sa_free(n);
	return err;
}

int ipsec_nl_delete(struct sk_buff *skb, struct genl_info *info)
{
	struct ipsec_net *in = ipsec_info_net(info);
	struct in6_addr dst;
	struct ipsec_sa *sa;
	u32 spi;
	u8 proto;
	int err;

	err = ipsec_sa_id(info, &dst, &proto, &spi);
	if (err)
		return err;
	spin_lock_bh(&in->lock);
	sa = ipsec_sa_lookup(in, &dst, proto, spi);
	if (!sa || !ipsec_src_ok(info, sa)) {
		NL_SET_ERR_MSG_MOD(info->extack, "no such SA");
		err = -ENOENT;
	} else {
		ipsec_monitor(in->net, KAME_KEY_CMD_DELETE, sa, NULL);
		ipsec_sa_unlink(in, sa);
	}
	spin_unlock_bh(&in->lock);
	return err;
}

/* setkey's deleteall: every SA from SRC to DST of PROTO */
int ipsec_nl_deleteall(struct sk_buff *skb, struct genl_info *info)
{
	struct ipsec_net *in = ipsec_info_net(info);
	struct in6_addr src, dst;
	struct ipsec_sa *sa, *tmp;
	u8 proto;

	if (!info->attrs[KAME_KEY_A_SRC])
		return MISSING(info, KAME_KEY_A_SRC, "the SAs' source is missing");
	if (!info->attrs[KAME_KEY_A_DST])
		return MISSING(info, KAME_KEY_A_DST, "the SAs' destination is missing");
	if (!info->attrs[KAME_KEY_A_PROTO])
		return MISSING(info, KAME_KEY_A_PROTO, "the SAs' protocol is missing");
	src = nla_get_in6_addr(info->attrs[KAME_KEY_A_SRC]);
	dst = nla_get_in6_addr(info->attrs[KAME_KEY_A_DST]);
	proto = nla_get_u8(info->attrs[KAME_KEY_A_PROTO]);
	if (ipsec_check_proto(info, proto))
		return -EINVAL;
	spin_lock_bh(&in->lock);
	list_for_each_entry_safe(sa, tmp, &in->sas, list) {
		if (sa->proto != proto || !ipv6_addr_equal(&sa->src, &src) ||
		    !ipv6_addr_equal(&sa->dst, &dst))
			continue;
		ipsec_monitor(in->net, KAME_KEY_CMD_DELETE, sa, NULL);
		ipsec_sa_unlink(in, sa);
	}
	spin_unlock_bh(&in->lock);
	return 0;
}

int ipsec_nl_get(struct sk_buff *skb, struct genl_info *info)
{
	struct ipsec_net *in = ipsec_info_net(info);
	bool keys = ipsec_nl_admin(skb, in->net);
	struct sk_buff *reply = NULL;
	struct in6_addr dst;
	struct ipsec_sa *sa;
	u32 spi;
	u8 proto;
	int err;

	err = ipsec_sa_id(info, &dst, &proto, &spi);
	if (err)
		return err;
	spin_lock_bh(&in->lock);
	sa = ipsec_sa_lookup(in, &dst, proto, spi);
	if (!sa || !ipsec_src_ok(info, sa)) {
		NL_SET_ERR_MSG_MOD(info->extack, "no such SA");
		err = -ENOENT;
	} else {
		reply = ipsec_msg(KAME_KEY_CMD_GET, info->snd_portid,
				  info->snd_seq, 0, sa, NULL, keys);
	}
	spin_unlock_bh(&in->lock);
	return err ? err : ipsec_send(info, reply);
}

int ipsec_nl_register(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *reply = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	void *hdr;

	if (!reply)
		return -ENOMEM;
	hdr = genlmsg_put_reply(reply, info, &ipsec_key_family, 0,
				KAME_KEY_CMD_REGISTER);
	if (!hdr || ipsec_alg_fill(reply)) {
		kfree_skb(reply);
		return -EMSGSIZE;
	}
	genlmsg_end(reply, hdr);
	return genlmsg_reply(reply, info);
}

int ipsec_nl_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct ipsec_net *in = ipsec_info_net(info);
	int proto = -1;

	if (info->attrs[KAME_KEY_A_PROTO]) {
		proto = nla_get_u8(info->attrs[KAME_KEY_A_PROTO]);
		if (ipsec_check_proto(info, proto))
			return -EINVAL;
	}
	spin_lock_bh(&in->lock);
	ipsec_key_flush(in, proto);
	ipsec_monitor(in->net, KAME_KEY_CMD_FLUSH, NULL, NULL);
	spin_unlock_bh(&in->lock);
	return 0;
}

/* SADB_DUMP: every SA (of PROTO), in creation order; cb->args[0]: done */
int ipsec_nl_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct net *net = sock_net(skb->sk);
	struct ipsec_net *in = ipsec_net(net);
	struct nlattr **attrs = kame_dump_attrs(cb);
	bool keys = ipsec_nl_admin(cb->skb, net);
	int proto = attrs[KAME_KEY_A_PROTO] ?
		    nla_get_u8(attrs[KAME_KEY_A_PROTO]) : -1;
	long i = 0, skip = cb->args[0];
	struct ipsec_sa *sa;
	void *hdr;

	spin_lock_bh(&in->lock);
	list_for_each_entry(sa, &in->sas, list) {
		if (proto >= 0 && sa->proto != proto)
			continue;
		if (i++ < skip)
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &ipsec_key_family,
				  NLM_F_MULTI, KAME_KEY_CMD_DUMP);
		if (!hdr)
			goto full;
		if (ipsec_fill_sa(skb, sa, keys)) {
			genlmsg_cancel(skb, hdr);
			goto full;
		}
		genlmsg_end(skb, hdr);
		cb->args[0]++;
	}
full:
	spin_unlock_bh(&in->lock);
	return skb->len;
}
