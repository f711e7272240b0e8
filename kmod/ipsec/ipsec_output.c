// SPDX-License-Identifier: GPL-2.0
/*
 * The output hook of kame_ipsec.ko: KAME's ipsec6_output_trans() and
 * ipsec6_output_tunnel(). Once per packet the node sends, the outbound
 * policy (the socket's or the SPD's), the SAs of all its requests chosen
 * first (ACQUIRE for a missing one before any transform runs), then the
 * transforms in the policy's order. An asynchronous ESP carries the state
 * of the packet (struct ipsec_out) into its completion, which applies the
 * rest and sends the packet through kame_family_output_ip6out().
 */
#include <net/addrconf.h>
#include <net/inet_ecn.h>
#include <net/ipv6.h>
#include <net/ndisc.h>
#include "kmod/core/compat.h"
#include "ipsec.h"

u8 ipsec_level(const struct ipsec_net *in, const struct ipsec_req *r)
{
	bool tunnel = r->mode == KAME_KEY_MODE_TUNNEL;
	int lev;

	if (r->level != KAME_KEY_LEVEL_DEFAULT)
		return r->level;
	if (r->proto == IPPROTO_AH)
		lev = tunnel ? in->knob.ah_net_deflev : in->knob.ah_trans_deflev;
	else if (r->proto == IPPROTO_ESP)
		lev = tunnel ? in->knob.esp_net_deflev :
		      in->knob.esp_trans_deflev;
	else
		lev = KAME_KEY_LEVEL_USE;	/* IPComp: as KAME */
	return READ_ONCE(lev) >= KAME_KEY_LEVEL_REQUIRE ?
	       KAME_KEY_LEVEL_REQUIRE : KAME_KEY_LEVEL_USE;
}

/*
 * KAME's key_allocsa_policy(): the SA for request r of a packet from src
 * to dst: mature before dying, the newest first. Under RCU.
 */
static struct ipsec_sa *ipsec_sa_select(struct ipsec_net *in,
					const struct ipsec_req *r,
					const struct in6_addr *src,
					const struct in6_addr *dst)
{
	struct ipsec_sa *sa, *best = NULL;
	u8 st, bst = 0;

	hlist_for_each_entry_rcu(sa, ipsec_sa_pair(in, src, dst, r->proto),
				 pnode) {
		st = READ_ONCE(sa->state);
		if (sa->proto != r->proto || !ipsec_sa_ready(sa) ||
		    (st != KAME_KEY_STATE_MATURE && st != KAME_KEY_STATE_DYING) ||
		    (sa->mode != KAME_KEY_MODE_ANY && sa->mode != r->mode) ||
		    !ipv6_addr_equal(&sa->dst, dst) ||
		    !ipv6_addr_equal(&sa->src, src) ||
		    (r->level == KAME_KEY_LEVEL_UNIQUE && sa->reqid != r->reqid))
			continue;
		/* used up: not one packet more until the timer removes it */
		if (sa->hard.bytes &&
		    atomic64_read(&sa->bytes) >= sa->hard.bytes)
			continue;
		/* mature before dying, then the newest */
		if (!best || (st == KAME_KEY_STATE_MATURE &&
			      bst != KAME_KEY_STATE_MATURE) ||
		    (st == bst && sa->serial > best->serial)) {
			best = sa;
			bst = st;
		}
	}
	return best;
}

/*
 * The extension headers at the front of a payload of next header proto
 * that stay in front of an IPsec header in transport mode (KAME's
 * ip6_splithdr(); a raw socket may send them): Hop-by-Hop first,
 * Routing, Destination Options before a Routing header. Their length
 * into *hoff and the offset of the next-header byte naming what follows
 * into *nhoff; -EINVAL when they run past the payload.
 */
static int ipsec_unfrag(const struct sk_buff *skb, u8 proto,
			unsigned int *hoff, unsigned int *nhoff)
{
	unsigned int off = 0, n = 0;
	u8 buf[2];
	const u8 *h;

	*hoff = 0;
	for (;;) {
		if (proto != NEXTHDR_HOP && proto != NEXTHDR_ROUTING &&
		    proto != NEXTHDR_DEST)
			return 0;
		if ((proto == NEXTHDR_HOP && off) || ++n > 8)
			return 0;
		h = skb_header_pointer(skb, off, sizeof(buf), buf);
		if (!h)
			return -EINVAL;
		if (proto == NEXTHDR_DEST) {
			/* stays in front only before a Routing header */
			if (h[0] != NEXTHDR_ROUTING)
				return 0;
		}
		*nhoff = off;
		off += (h[1] + 1) * 8;
		if (off > skb->len)
			return -EINVAL;
		*hoff = off;
		proto = h[0];
	}
}

/*
 * Apply SA sa to the payload at skb->data (next header st->o.proto).
 * -EINPROGRESS: an asynchronous ESP or AH took skb (ipsec_out_resume()).
 */
static int ipsec_xform_output(struct ipsec_net *in, struct ipsec_sa *sa,
			      struct sk_buff *skb, struct ipsec_out *st,
			      bool tunnel)
{
	unsigned int hoff = 0, nhoff = 0;
	struct kame_ip6out *o = &st->o;
	u8 *nh = &o->proto, nxt;
	int err;

	if (!tunnel) {
		err = ipsec_unfrag(skb, o->proto, &hoff, &nhoff);
		if (err)
			return err;
	}
	if (hoff) {
		if (skb_ensure_writable(skb, hoff))
			return -ENOMEM;
		nxt = skb->data[nhoff];
		nh = &nxt;
	}
	switch (sa->proto) {
	case IPPROTO_ESP:
		st->hoff = hoff;
		st->nhoff = nhoff;
		err = esp_output(sa, skb, hoff, nh,
				 READ_ONCE(in->knob.esp_randpad), st);
		break;
	case IPPROTO_COMP:
		/* behind headers that stay in front: sent as it is (2.2) */
		err = hoff ? 0 : ipcomp_output(sa, skb, o);
		break;
	case IPPROTO_AH:
		/* its ICV would cover the headers in front: not done yet */
		st->hoff = 0;
		st->nhoff = 0;
		err = hoff ? -EINVAL : ah6_output(sa, skb, st);
		break;
	default:
		err = -EPROTONOSUPPORT;
	}
	if (!err && hoff)
		skb->data[nhoff] = nxt;
	return err;
}

/*
 * ND and MLD pass every policy (bypass_nd): a node that protects all its
 * traffic to a neighbour must still resolve it and report its groups.
 */
bool ipsec_nd_bypass(const struct ipsec_net *in, u8 type, u8 hlim)
{
	if (!READ_ONCE(in->knob.bypass_nd))
		return false;
	switch (type) {
	case ICMPV6_MGM_QUERY:
	case ICMPV6_MGM_REPORT:
	case ICMPV6_MGM_REDUCTION:
	case ICMPV6_MLD2_REPORT:
		return hlim == 1;	/* RFC 3810 5 */
	case NDISC_ROUTER_SOLICITATION:
	case NDISC_ROUTER_ADVERTISEMENT:
	case NDISC_NEIGHBOUR_SOLICITATION:
	case NDISC_NEIGHBOUR_ADVERTISEMENT:
	case NDISC_REDIRECT:
		return hlim == 255;	/* RFC 4861 6.1 and 7.1 */
	}
	return false;
}

/*
 * The outbound policy of a packet: its own, or for an ICMPv6 error the
 * policy of the flow it reports on, reversed (RFC 4301 6.2), so that an
 * error quoting a packet that came in protected is not sent in clear.
 * Under RCU.
 */
static struct ipsec_sp *ipsec_out_policy(struct ipsec_net *in,
					 const struct sk_buff *skb,
					 const struct kame_ip6out *o,
					 bool *bypass)
{
	struct ipsec_sp *sp;
	struct ipv6hdr qbuf;
	const struct ipv6hdr *q;
	u16 sport, dport;

	*bypass = false;
	ipsec_ports(skb, 0, o->proto, &sport, &dport);
	if (o->proto == IPPROTO_ICMPV6 && ipsec_nd_bypass(in, sport, o->hlim)) {
		*bypass = true;
		return NULL;
	}
	if (o->proto == IPPROTO_ICMPV6 && sport < 128) {
		q = skb_header_pointer(skb, 8, sizeof(qbuf), &qbuf);
		if (q) {
			u16 qs, qd;

			ipsec_ports(skb, 8 + sizeof(qbuf), q->nexthdr, &qs,
				    &qd);
			if (q->nexthdr != IPPROTO_ICMPV6)
				swap(qs, qd);
			sp = ipsec_sp_lookup(in, KAME_KEY_DIR_OUT, &q->daddr,
					     &q->saddr, q->nexthdr, qs, qd);
			if (sp && sp->action != KAME_KEY_ACTION_NONE)
				return sp;
		}
	}
	return ipsec_sp_lookup(in, KAME_KEY_DIR_OUT, &o->src, &o->dst,
			       o->proto, sport, dport);
}

/*
 * Tunnel mode (KAME's ipsec6_encapsulate()): the packet so far gets its
 * own IPv6 header (unless has_hdr: a forwarded packet has it already)
 * and becomes the payload of one from r->src to r->dst. The outer
 * traffic class follows the ecn knob (notes 4.6).
 */
static int ipsec_encap(struct ipsec_net *in, struct sk_buff *skb,
		       struct kame_ip6out *o, const struct ipsec_req *r,
		       bool has_hdr)
{
	int ecn = READ_ONCE(in->knob.ecn);
	struct ipv6hdr *ip6;

	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		return -EINVAL;
	if (skb->len + (has_hdr ? 0 : sizeof(*ip6)) > IPV6_MAXPLEN)
		return -EMSGSIZE;
	if (skb_cow_head(skb, sizeof(*ip6) + MAX_HEADER))
		return -ENOMEM;
	if (!has_hdr) {
		ip6 = skb_push(skb, sizeof(*ip6));
		ip6_flow_hdr(ip6, o->tclass, 0);
		ip6->payload_len = htons(skb->len - sizeof(*ip6));
		ip6->nexthdr = o->proto;
		ip6->hop_limit = o->hlim;
		ip6->saddr = o->src;
		ip6->daddr = o->dst;
	}
	if (ecn < 0)
		o->tclass &= ~INET_ECN_MASK;
	else
		o->tclass = kame_ecn_ingress(ecn > 0, o->tclass);
	o->proto = IPPROTO_IPV6;
	o->src = r->src;
	o->dst = r->dst;
	o->hlim = 0;	/* the outgoing interface's */
	return 0;
}

/*
 * KAME's key_allocsa_policy() for each request of policy sp, before any
 * transform runs: the SAs into st (NULL for a "use" request without
 * one). A missing SA that is required sends its ACQUIRE and fails the
 * packet (-EAGAIN, *stat the counter).
 */
static int ipsec_out_select(struct ipsec_net *in, struct ipsec_sp *sp,
			    struct ipsec_out *st, int *stat)
{
	const struct in6_addr *src = &st->o.src, *dst = &st->o.dst;
	const struct ipsec_req *r;
	int i;

	st->n = sp->nreq;
	for (i = 0; i < sp->nreq; i++) {
		r = &sp->req[i];
		st->req[i] = *r;
		if (r->mode == KAME_KEY_MODE_TUNNEL) {	/* addresses from here */
			src = &r->src;
			dst = &r->dst;
		}
		st->sa[i] = ipsec_sa_select(in, r, src, dst);
		if (st->sa[i] || ipsec_level(in, r) == KAME_KEY_LEVEL_USE)
			continue;
		ipsec_acquire(in, sp, r);
		*stat = KAME_IPSEC6S_OUT_NOSA;
		return -EAGAIN;
	}
	return 0;
}

/*
 * Apply the chosen SAs from st->next on, in the policy's order (IPComp,
 * ESP, AH, each in transport or tunnel mode); st->tunneled: the packet
 * has new addresses in st->o and is to be sent by the module. 0, or
 * -EINPROGRESS (an asynchronous ESP or AH took skb), or -errno with *stat the
 * counter of the drop.
 */
static int ipsec_out_run(struct ipsec_net *in, struct ipsec_out *st,
			 struct sk_buff *skb, int *stat)
{
	const struct ipsec_req *r;
	struct ipsec_sa *sa;
	bool tunnel;
	int err;

	for (; st->next < st->n; st->next++) {
		r = &st->req[st->next];
		sa = st->sa[st->next];
		if (!sa)
			continue;
		tunnel = r->mode == KAME_KEY_MODE_TUNNEL;
		/* transport mode is for the node's own packets only */
		err = tunnel ? ipsec_encap(in, skb, &st->o, r, st->has_hdr) :
		      st->has_hdr ? -EINVAL : 0;
		if (!err) {
			st->tunneled |= tunnel;
			st->has_hdr = false;
			if (!READ_ONCE(sa->first_use))
				WRITE_ONCE(sa->first_use,
					   ktime_get_real_seconds());
			err = ipsec_xform_output(in, sa, skb, st, tunnel);
		}
		if (err == -EINPROGRESS)
			return err;
		if (err) {
			*stat = err == -ENOMEM ? KAME_IPSEC6S_OUT_NOMEM :
				err == -ENOENT ? KAME_IPSEC6S_OUT_NOSA :
				KAME_IPSEC6S_OUT_INVAL;
			return err;
		}
	}
	return 0;
}

/*
 * References for an asynchronous transform's copy of st: the namespace
 * and the SAs from st->next on. false: one of them is going (none held).
 */
bool ipsec_out_hold(struct ipsec_out *st)
{
	int i;

	for (i = st->next; i < st->n; i++) {
		if (st->sa[i] && !ipsec_sa_tryget(st->sa[i])) {
			while (--i >= st->next)
				if (st->sa[i])
					ipsec_sa_put(st->sa[i]);
			return false;
		}
	}
	get_net(st->net);
	return true;
}

void ipsec_out_release(struct ipsec_out *st)
{
	int i;

	for (i = st->next; i < st->n; i++)
		if (st->sa[i])
			ipsec_sa_put(st->sa[i]);
	put_net(st->net);
}

/*
 * An asynchronous ESP or AH of st's request st->next has completed (err
 * its result): the requests after it (AH after ESP in a bundle), then
 * the packet is sent as the core would have sent it. Any context.
 */
void ipsec_out_resume(struct ipsec_out *st, struct sk_buff *skb, int err)
{
	struct ipsec_net *in = ipsec_net(st->net);
	int stat = err == -ENOMEM ? KAME_IPSEC6S_OUT_NOMEM :
		   KAME_IPSEC6S_OUT_INVAL;
	struct ipsec_out cur = *st;	/* st keeps what its op holds */

	local_bh_disable();
	rcu_read_lock();
	if (err)
		goto drop;
	/* the headers in front (ESP only) name it now, or the IPv6 header */
	if (cur.hoff)
		skb->data[cur.nhoff] = cur.sa[cur.next]->proto;
	else
		cur.o.proto = cur.sa[cur.next]->proto;
	cur.next++;
	err = ipsec_out_run(in, &cur, skb, &stat);
	if (err == -EINPROGRESS)
		goto out;
	if (err)
		goto drop;
	ipsec_stat_inc(in, KAME_IPSEC6S_OUT_SUCCESS);
	if (cur.tunneled)
		cur.o.oif = 0;	/* by the routes to the tunnel's far end */
	kame_family_output_ip6out(st->net, skb, &cur.o);
	goto out;
drop:
	ipsec_stat_inc(in, stat);
	kfree_skb(skb);
out:
	rcu_read_unlock();
	local_bh_enable();
}

/*
 * Policy sp (action ipsec) on the packet in st: every SA chosen, then
 * the transforms; a packet given new addresses (tunnel mode) is sent
 * from here, by the routes to the tunnel's far end. 0: transport mode
 * only (or nothing applied), the caller sends it (next header
 * st->o.proto); 1: sent, or in an asynchronous transform; -errno:
 * dropped and counted.
 */
static int ipsec_out_apply(struct ipsec_net *in, struct ipsec_sp *sp,
			   struct ipsec_out *st, struct sk_buff *skb,
			   bool selected)
{
	struct kame_ip6out *o = &st->o;
	int err = 0, stat;

	if (!selected)
		err = ipsec_out_select(in, sp, st, &stat);
	if (!err)
		err = ipsec_out_run(in, st, skb, &stat);
	if (err == -EINPROGRESS)
		return 1;	/* the completion sends it */
	if (err) {
		ipsec_stat_inc(in, stat);
		kfree_skb(skb);
		return err;
	}
	ipsec_stat_inc(in, KAME_IPSEC6S_OUT_SUCCESS);
	if (!st->tunneled)
		return 0;
	err = kame_family_output_flags(st->net, skb, &o->src, &o->dst,
				       o->proto, o->hlim, o->tclass,
				       KAME_OUT_F_IPSEC_DONE);
	return err ? err : 1;
}

/* The output hook: KAME's ipsec6_output_trans() and _tunnel(). */
int ipsec_output(struct net *net, struct sk_buff **skbp,
		 struct kame_ip6out *o)
{
	struct ipsec_net *in = ipsec_net(net);
	struct sk_buff *skb = *skbp;
	struct ipsec_sp *sp, sock_sp;
	struct ipsec_out st;
	int err, stat;
	bool bypass;

	if (!o->sockpol && list_empty(&in->sps) &&
	    READ_ONCE(in->knob.def_policy) == KAME_KEY_ACTION_NONE)
		return 0;
	/* the socket's own policy, unless it entrusts the packet to the SPD */
	if (o->sockpol && ipsec_sock_out_policy(in, skb, o, &sock_sp, &bypass))
		sp = &sock_sp;
	else
		sp = ipsec_out_policy(in, skb, o, &bypass);
	if (bypass)
		return 0;
	if (!sp && READ_ONCE(in->knob.def_policy) == KAME_KEY_ACTION_NONE)
		return 0;
	if (sp && sp->action == KAME_KEY_ACTION_NONE)
		return 0;
	if (sp)
		WRITE_ONCE(sp->lastused, ktime_get_real_seconds());
	if (!sp || sp->action == KAME_KEY_ACTION_DISCARD) {
		stat = KAME_IPSEC6S_OUT_POLVIO;
		err = -EACCES;
		goto drop;
	}
	st.net = net;
	st.o = *o;
	st.o.sockpol = NULL;	/* the socket's: not needed past here */
	st.next = 0;
	st.tunneled = false;
	st.has_hdr = false;
	err = ipsec_out_apply(in, sp, &st, skb, false);
	if (sp == &sock_sp)	/* its ACQUIREs' pace, kept per namespace */
		WRITE_ONCE(in->sock_acq_last, sock_sp.acq_last);
	if (!err)
		o->proto = st.o.proto;
	return err;
drop:
	ipsec_stat_inc(in, stat);
	kfree_skb(skb);
	return err;
}

/*
 * The length a packet of len bytes (its IPv6 header included) has once
 * the SAs chosen in st have applied: each tunnel adds a header, ESP its
 * header, IV, padding to its block (no random padding) and ICV, AH its
 * header; IPComp is counted as not shrinking. The outer destination
 * into *dst.
 */
static unsigned int ipsec_out_size(const struct ipsec_out *st,
				   unsigned int len, const struct in6_addr **dst)
{
	const struct ipsec_sa *sa;
	unsigned int i, pl;

	for (i = 0; i < st->n; i++) {
		sa = st->sa[i];
		if (!sa)
			continue;
		if (st->req[i].mode == KAME_KEY_MODE_TUNNEL) {
			len += sizeof(struct ipv6hdr);
			*dst = &st->req[i].dst;
		}
		pl = len - sizeof(struct ipv6hdr);
		if (sa->proto == IPPROTO_ESP)
			len += ESP_HLEN + sa->ivlen + sa->icvlen +
			       ALIGN(pl + 2, sa->blksize) - pl;
		else if (sa->proto == IPPROTO_AH)
			len += ah_hdrsiz(sa);
	}
	return len;
}

/*
 * Does the forwarded packet, in its SAs, still fit the link to the
 * tunnel's far end? If not, and the sender can send smaller (more than
 * the minimum MTU: else the outer packet is fragmented, RFC 2473 7.2),
 * the inner MTU that fits (in 8-byte units, what the padding to a block
 * can add taken off), else 0.
 */
static u32 ipsec_fwd_mtu(struct net *net, const struct ipsec_out *st,
			 unsigned int len)
{
	const struct in6_addr *dst = NULL;
	unsigned int need = ipsec_out_size(st, len, &dst);
	struct net_device *dev;
	u32 mtu;

	if (!dst || need <= len || len <= IPV6_MIN_MTU)
		return 0;
	dev = kame_family_route_dev(net, dst);
	if (!dev || need <= READ_ONCE(dev->mtu))
		return 0;
	mtu = READ_ONCE(dev->mtu) - (need - len);
	mtu = (mtu > 16 ? mtu - 16 : 0) & ~7U;
	return mtu >= IPV6_MIN_MTU ? mtu : 0;
}

/*
 * A packet the node forwards (KAME's ip6_forward() calling
 * ipsec6_output_tunnel()): the outbound policy of its own selector. The
 * packet, its hop limit decremented, becomes the inner packet of the
 * first tunnel-mode SA as it is (flow label kept); transport mode cannot
 * carry what another node sent (RFC 4301 4.1), so a policy that asks for
 * it first refuses the packet (out_inval). 0: the core sends it.
 * -EMSGSIZE with *mtu set: it does not fit the tunnel (skb untouched,
 * the core sends the Packet Too Big).
 */
int ipsec_forward_output(struct net *net, struct sk_buff *skb, u32 *mtu)
{
	struct ipsec_net *in = ipsec_net(net);
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);
	struct ipsec_sp *sp;
	struct ipsec_out st;
	u16 sport, dport;
	int stat, err;
	u8 ul;

	if (list_empty(&in->sps) &&
	    READ_ONCE(in->knob.def_policy) == KAME_KEY_ACTION_NONE)
		return 0;
	ul = ipsec_fwd_upper(skb, sizeof(*ip6), ip6->nexthdr, &sport, &dport);
	sp = ipsec_sp_lookup(in, KAME_KEY_DIR_OUT, &ip6->saddr, &ip6->daddr,
			     ul, sport, dport);
	if (!sp && READ_ONCE(in->knob.def_policy) == KAME_KEY_ACTION_NONE)
		return 0;
	if (sp && (sp->action == KAME_KEY_ACTION_NONE ||
		   sp->action == KAME_KEY_ACTION_BYPASS))
		return 0;
	stat = KAME_IPSEC6S_OUT_POLVIO;
	err = -EACCES;
	if (!sp || sp->action != KAME_KEY_ACTION_IPSEC)
		goto drop;
	WRITE_ONCE(sp->lastused, ktime_get_real_seconds());
	if (sp->req[0].mode != KAME_KEY_MODE_TUNNEL) {
		stat = KAME_IPSEC6S_OUT_INVAL;
		err = -EINVAL;
		goto drop;
	}
	memset(&st, 0, sizeof(st));
	st.net = net;
	st.o.src = ip6->saddr;
	st.o.dst = ip6->daddr;
	st.o.hlim = ip6->hop_limit;
	st.o.tclass = ipv6_get_dsfield(ip6);
	st.o.proto = IPPROTO_IPV6;
	st.has_hdr = true;
	err = ipsec_out_select(in, sp, &st, &stat);
	if (err)
		goto drop;
	*mtu = ipsec_fwd_mtu(net, &st, skb->len);
	if (*mtu)
		return -EMSGSIZE;
	/* a checksum of the frame as received means nothing past here */
	if (skb->ip_summed == CHECKSUM_COMPLETE)
		skb->ip_summed = CHECKSUM_NONE;
	/* 0: no SA for a "use" tunnel, the core sends it as it is */
	return ipsec_out_apply(in, sp, &st, skb, true);
drop:
	ipsec_stat_inc(in, stat);
	kfree_skb(skb);
	return err;
}
