// SPDX-License-Identifier: GPL-2.0
/*
 * The sockets' own IPsec policies (KAME's per-socket policies, set with
 * IPV6_IPSEC_POLICY; uapi/linux/kame_key.h says what they mean). The core
 * keeps each socket's policies as the blobs userland gave, validated here
 * when they are set; on the data path a blob becomes a policy of the SPD's
 * kind for the packet at hand (its selector the packet's own), which the
 * SPD's code then applies: KAME's ipsec_getpolicybysock(), where
 * "entrust" sends the packet to the SPD and "bypass" past it.
 */
#include <linux/capability.h>
#include <net/ipv6.h>
#include "ipsec.h"

#define IPSEC_MANUAL_REQID_MAX	0x3fff	/* unique:N's range, as SPDADD */

static bool ipsec_zero16(const u8 *a)
{
	return !memchr_inv(a, 0, 16);
}

/* One request: -EINVAL for what no policy may hold, else 0. */
static int ipsec_sockreq_check(const struct kame_key_sockreq *r)
{
	bool ends = !ipsec_zero16(r->src) || !ipsec_zero16(r->dst);

	if (r->reserved)
		return -EINVAL;
	if (r->proto != IPPROTO_ESP && r->proto != IPPROTO_AH &&
	    r->proto != IPPROTO_COMP)
		return -EINVAL;
	if (r->level > KAME_KEY_LEVEL_UNIQUE)
		return -EINVAL;
	switch (r->mode) {
	case KAME_KEY_MODE_TRANSPORT:
		if (ends)
			return -EINVAL;
		break;
	case KAME_KEY_MODE_TUNNEL:
		if (ipsec_zero16(r->src) || ipsec_zero16(r->dst))
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	if (r->level == KAME_KEY_LEVEL_UNIQUE ?
	    !r->reqid || r->reqid > IPSEC_MANUAL_REQID_MAX : r->reqid)
		return -EINVAL;
	return 0;
}

/*
 * The kame_ipsec_ops check of a policy a socket is given: the header, each
 * request, then bypass's privilege (-EACCES, as KAME).
 */
int ipsec_sockpol_check(struct net *net, const void *blob, unsigned int len)
{
	const struct kame_key_sockpolicy *h = blob;
	const struct kame_key_sockreq *r;
	int i, err;

	if (len < sizeof(*h) || h->reserved ||
	    h->nreq > KAME_KEY_SOCKPOL_REQ_MAX ||
	    len != KAME_KEY_SOCKPOL_LEN(h->nreq))
		return -EINVAL;
	if (h->dir != KAME_KEY_DIR_IN && h->dir != KAME_KEY_DIR_OUT)
		return -EINVAL;
	switch (h->action) {
	case KAME_KEY_ACTION_DISCARD:
	case KAME_KEY_ACTION_NONE:
	case KAME_KEY_ACTION_ENTRUST:
	case KAME_KEY_ACTION_BYPASS:
		if (h->nreq)
			return -EINVAL;
		break;
	case KAME_KEY_ACTION_IPSEC:
		if (!h->nreq)
			return -EINVAL;
		break;
	default:
		return -EINVAL;
	}
	r = (const struct kame_key_sockreq *)(h + 1);
	for (i = 0; i < h->nreq; i++) {
		err = ipsec_sockreq_check(&r[i]);
		if (err)
			return err;
	}
	if (h->action == KAME_KEY_ACTION_BYPASS &&
	    !ns_capable(net->user_ns, CAP_NET_ADMIN))
		return -EACCES;
	return 0;
}

/*
 * The socket's blob as a policy of the SPD's kind in sp. false for
 * entrust (the SPD decides), which the core never keeps, and for what
 * is not a policy at all (it was checked when set: defensive).
 */
static bool ipsec_sockpol_sp(const struct kame_sockpol *pol,
			     struct ipsec_sp *sp)
{
	const struct kame_key_sockpolicy *h = (const void *)pol->data;
	const struct kame_key_sockreq *r = (const void *)(h + 1);
	struct ipsec_req *q;
	int i;

	if (pol->len < sizeof(*h) || h->nreq > IPSEC_REQ_MAX ||
	    pol->len != KAME_KEY_SOCKPOL_LEN(h->nreq) ||
	    h->action == KAME_KEY_ACTION_ENTRUST)
		return false;
	memset(sp, 0, sizeof(*sp));
	sp->dir = h->dir;
	sp->action = h->action;
	sp->nreq = h->nreq;
	sp->ulproto = KAME_KEY_ULPROTO_ANY;
	for (i = 0; i < h->nreq; i++) {
		q = &sp->req[i];
		q->proto = r[i].proto;
		q->mode = r[i].mode;
		q->level = r[i].level;
		q->reqid = r[i].reqid;
		memcpy(&q->src, r[i].src, sizeof(q->src));
		memcpy(&q->dst, r[i].dst, sizeof(q->dst));
	}
	return true;
}

/*
 * Outbound: the socket's policy of the packet in *sp, its selector the
 * packet's (what an ACQUIRE for it carries), or false when the SPD
 * decides. *bypass: no IPsec at all (bypass, or ND and MLD that
 * bypass_nd lets pass every policy).
 */
bool ipsec_sock_out_policy(struct ipsec_net *in, const struct sk_buff *skb,
			   const struct kame_ip6out *o, struct ipsec_sp *sp,
			   bool *bypass)
{
	*bypass = false;
	if (!ipsec_sockpol_sp(o->sockpol, sp))
		return false;
	ipsec_ports(skb, 0, o->proto, &sp->sport, &sp->dport);
	if (sp->action == KAME_KEY_ACTION_BYPASS ||
	    (o->proto == IPPROTO_ICMPV6 && ipsec_nd_bypass(in, sp->sport, o->hlim))) {
		*bypass = true;
		return true;
	}
	sp->src = o->src;
	sp->dst = o->dst;
	sp->src_plen = 128;
	sp->dst_plen = 128;
	sp->ulproto = o->proto;
	sp->acq_last = READ_ONCE(in->sock_acq_last);
	return true;
}

/*
 * Inbound (KAME's ipsec6_in_reject() with the socket): the socket's policy
 * instead of the SPD's; counts in_polvio when it refuses.
 */
bool ipsec_input_check_sock(struct net *net, struct sk_buff *skb,
			    const struct kame_ip6ctx *c,
			    const struct kame_sockpol *pol)
{
	struct ipsec_net *in = ipsec_net(net);
	struct ipsec_sp sp;
	u16 sport, dport;

	if (!ipsec_sockpol_sp(pol, &sp))
		return ipsec_input_check(net, skb, c);
	/* not for what came out of a tunnel: it is no neighbour's */
	if (c->nxt == IPPROTO_ICMPV6 && !c->nsec) {
		ipsec_ports(skb, c->off, c->nxt, &sport, &dport);
		if (ipsec_nd_bypass(in, sport, ipv6_hdr(skb)->hop_limit))
			return true;
	}
	return ipsec_in_sp_ok(in, &sp, c);
}
