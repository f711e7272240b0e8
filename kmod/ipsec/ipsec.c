// SPDX-License-Identifier: GPL-2.0
/*
 * KAME's IPsec for the KAME stack (kame_ipsec.ko), a module of the family
 * beside kame.ko: its own Security Association and Security Policy
 * Databases per network namespace (key.c), driven over the "kame_key"
 * generic netlink family (key_nl*.c) by setkey(8). Nothing of Linux's
 * XFRM is used.
 */
#include <linux/module.h>
#include <net/addrconf.h>
#include <net/inet_ecn.h>
#include <net/ipv6.h>
#include <net/ndisc.h>
#include <net/netns/generic.h>
#include "kmod/core/compat.h"
#include "ipsec.h"

unsigned int ipsec_sa_max = 65536;
module_param_named(sa_max, ipsec_sa_max, uint, 0644);
MODULE_PARM_DESC(sa_max, "SAs per network namespace (default 65536)");

unsigned int ipsec_sp_max = 65536;
module_param_named(sp_max, ipsec_sp_max, uint, 0644);
MODULE_PARM_DESC(sp_max, "policies per network namespace (default 65536)");

static unsigned int ipsec_net_id __read_mostly;

/* where SAs are freed, after a grace period (their transforms may sleep) */
struct workqueue_struct *ipsec_wq;

struct ipsec_net *ipsec_net(const struct net *net)
{
	return net_generic(net, ipsec_net_id);
}

static bool ipsec_prefix_match(const struct in6_addr *a,
			       const struct in6_addr *p, u8 plen)
{
	return ipv6_prefix_equal(a, p, plen);
}

/*
 * KAME's key_allocsp(): the first policy of direction dir whose selector
 * the packet matches. Under RCU.
 */
struct ipsec_sp *ipsec_sp_lookup(struct ipsec_net *in, u8 dir,
				 const struct in6_addr *src,
				 const struct in6_addr *dst, u8 ulproto,
				 u16 sport, u16 dport)
{
	struct ipsec_sp *sp;

	list_for_each_entry_rcu(sp, &in->sps, list) {
		if (sp->dir != dir ||
		    (sp->ulproto != KAME_KEY_ULPROTO_ANY &&
		     sp->ulproto != ulproto) ||
		    (sp->sport && sp->sport != sport) ||
		    (sp->dport && sp->dport != dport) ||
		    !ipsec_prefix_match(src, &sp->src, sp->src_plen) ||
		    !ipsec_prefix_match(dst, &sp->dst, sp->dst_plen))
			continue;
		return sp;
	}
	return NULL;
}

/* The selector's ports of a payload at off: ports, or ICMPv6 type, code */
void ipsec_ports(const struct sk_buff *skb, unsigned int off, u8 proto,
			u16 *sport, u16 *dport)
{
	u8 buf[4];
	const u8 *p;

	*sport = 0;
	*dport = 0;
	if (proto != IPPROTO_UDP && proto != IPPROTO_TCP &&
	    proto != IPPROTO_ICMPV6)
		return;
	p = skb_header_pointer(skb, off, sizeof(buf), buf);
	if (!p)
		return;
	if (proto == IPPROTO_ICMPV6) {
		*sport = p[0];
		*dport = p[1];
	} else {
		*sport = get_unaligned_be16(p);
		*dport = get_unaligned_be16(p + 2);
	}
}

/* A request's level, "default" resolved by the knobs (*_deflev) */
static u8 ipsec_level(const struct ipsec_net *in, const struct ipsec_req *r)
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
 * KAME's ipsec6_tunnel_validate() for an SA of mode any: is there an
 * inbound policy for the inner packet ip6 (at off of skb) asking for a
 * tunnel of this SA's protocol between the outer addresses? Its
 * protocol, or IPComp for an IPComp tunnel whose packet the sender did
 * not compress (RFC 3173 2.2: IPv6 in IPv6 inside the next SA), or 0.
 * Under RCU.
 */
static u8 ipsec_tunnel_policy(struct ipsec_net *in,
				const struct ipsec_sa *sa,
				const struct ipv6hdr *outer,
				const struct ipv6hdr *ip6,
				const struct sk_buff *skb, unsigned int off)
{
	const struct ipsec_req *r;
	struct ipsec_sp *sp;
	u16 sport, dport;
	u8 found = 0;
	int i;

	ipsec_ports(skb, off + sizeof(*ip6), ip6->nexthdr, &sport, &dport);
	sp = ipsec_sp_lookup(in, KAME_KEY_DIR_IN, &ip6->saddr, &ip6->daddr,
			     ip6->nexthdr, sport, dport);
	if (!sp || sp->action != KAME_KEY_ACTION_IPSEC)
		return 0;
	for (i = 0; i < sp->nreq; i++) {
		r = &sp->req[i];
		if (r->mode != KAME_KEY_MODE_TUNNEL ||
		    !ipv6_addr_equal(&r->src, &outer->saddr) ||
		    !ipv6_addr_equal(&r->dst, &outer->daddr))
			continue;
		if (sa && r->proto == sa->proto)
			return r->proto;
		if (r->proto == IPPROTO_COMP)
			found = IPPROTO_COMP;
	}
	return found;
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

/* Apply SA sa to the payload at skb->data (next header o->proto). */
static int ipsec_xform_output(struct ipsec_net *in, struct ipsec_sa *sa,
			      struct sk_buff *skb, struct kame_ip6out *o,
			      bool tunnel)
{
	unsigned int hoff = 0, nhoff = 0;
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
		err = esp_output(sa, skb, hoff, nh,
				 READ_ONCE(in->knob.esp_randpad));
		break;
	case IPPROTO_COMP:
		/* behind headers that stay in front: sent as it is (2.2) */
		err = hoff ? 0 : ipcomp_output(sa, skb, o);
		break;
	case IPPROTO_AH:
		/* its ICV would cover the headers in front: not done yet */
		err = hoff ? -EINVAL : ah6_output(sa, skb, o);
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
 * own IPv6 header and becomes the payload of one from r->src to r->dst.
 * The outer traffic class follows the ecn knob (notes 4.6).
 */
static int ipsec_encap(struct ipsec_net *in, struct sk_buff *skb,
		       struct kame_ip6out *o, const struct ipsec_req *r)
{
	int ecn = READ_ONCE(in->knob.ecn);
	struct ipv6hdr *ip6;

	if (skb->ip_summed == CHECKSUM_PARTIAL && skb_checksum_help(skb))
		return -EINVAL;
	if (skb->len + sizeof(*ip6) > IPV6_MAXPLEN)
		return -EMSGSIZE;
	if (skb_cow_head(skb, sizeof(*ip6) + MAX_HEADER))
		return -ENOMEM;
	ip6 = skb_push(skb, sizeof(*ip6));
	ip6_flow_hdr(ip6, o->tclass, 0);
	ip6->payload_len = htons(skb->len - sizeof(*ip6));
	ip6->nexthdr = o->proto;
	ip6->hop_limit = o->hlim;
	ip6->saddr = o->src;
	ip6->daddr = o->dst;
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
 * Apply the requests of policy sp in their order (IPComp, ESP, AH, each
 * in transport or tunnel mode). *tunneled: the packet has new addresses
 * in o and is to be sent by the module. 0 or -errno with *stat the
 * counter of the drop.
 */
static int ipsec_apply(struct ipsec_net *in, struct ipsec_sp *sp,
		       struct sk_buff *skb, struct kame_ip6out *o,
		       bool *tunneled, int *stat)
{
	const struct ipsec_req *r;
	struct ipsec_sa *sa;
	bool tunnel;
	int i, err;

	for (i = 0; i < sp->nreq; i++) {
		r = &sp->req[i];
		tunnel = r->mode == KAME_KEY_MODE_TUNNEL;
		sa = ipsec_sa_select(in, r, tunnel ? &r->src : &o->src,
				     tunnel ? &r->dst : &o->dst);
		if (!sa) {
			if (ipsec_level(in, r) == KAME_KEY_LEVEL_USE)
				continue;
			ipsec_acquire(in, sp, r);
			*stat = KAME_IPSEC6S_OUT_NOSA;
			return -EAGAIN;
		}
		err = tunnel ? ipsec_encap(in, skb, o, r) : 0;
		if (!err)
			err = ipsec_xform_output(in, sa, skb, o, tunnel);
		if (err) {
			*stat = err == -ENOMEM ? KAME_IPSEC6S_OUT_NOMEM :
				KAME_IPSEC6S_OUT_INVAL;
			return err;
		}
		*tunneled |= tunnel;
		if (!READ_ONCE(sa->first_use))
			WRITE_ONCE(sa->first_use, ktime_get_real_seconds());
	}
	return 0;
}

/* The output hook: KAME's ipsec6_output_trans() and _tunnel(). */
static int ipsec_output(struct net *net, struct sk_buff **skbp,
			struct kame_ip6out *o)
{
	struct ipsec_net *in = ipsec_net(net);
	struct sk_buff *skb = *skbp;
	bool bypass, tunneled = false;
	struct ipsec_sp *sp, sock_sp;
	int err, stat;

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
	err = ipsec_apply(in, sp, skb, o, &tunneled, &stat);
	if (sp == &sock_sp)	/* its ACQUIREs' pace, kept per namespace */
		WRITE_ONCE(in->sock_acq_last, sock_sp.acq_last);
	if (err)
		goto drop;
	ipsec_stat_inc(in, KAME_IPSEC6S_OUT_SUCCESS);
	if (!tunneled)
		return 0;
	/* the outer packet, by the routes to the tunnel's far end */
	err = kame_family_output_flags(net, skb, &o->src, &o->dst, o->proto,
				       o->hlim, o->tclass,
				       KAME_OUT_F_IPSEC_DONE);
	return err ? err : 1;
drop:
	ipsec_stat_inc(in, stat);
	kfree_skb(skb);
	return err;
}

/*
 * Take the outer header off the IPv6 packet at c->off and give the inner
 * one to the input (the outer ECN bits, ip_ecn.c). Consumes skb:
 * KAME_IP6PROTO_DONE, or _DROP counted in in_inval.
 */
static int ipsec_decap(struct ipsec_net *in, struct kame_if *kif,
		       struct sk_buff *skb, struct kame_ip6ctx *c)
{
	u8 tclass = ipv6_get_dsfield(ipv6_hdr(skb));

	skb_pull(skb, c->off);
	skb_reset_network_header(skb);
	if (READ_ONCE(in->knob.ecn) > 0 &&
	    !kame_ecn_egress(true, tclass, skb, htons(ETH_P_IPV6))) {
		kfree_skb(skb);
		ipsec_stat_inc(in, KAME_IPSEC6S_IN_INVAL);
		return KAME_IP6PROTO_DROP;
	}
	skb->ip_summed = CHECKSUM_NONE;
	kame_family_input_tunnel(kif, skb, c);
	return KAME_IP6PROTO_DONE;
}

/*
 * After an IPsec header at c's position has been taken off (c->nxt is
 * what it protected): KAME's ipsec6_tunnel_validate() and
 * ipsec6_tunnel_input(). A tunnel-mode SA's inner IPv6 packet (or an
 * any-mode SA's whose inbound policy names this tunnel) is decapsulated
 * and goes into the input as a packet of its own, keeping the history;
 * anything else goes on in the core (0). Records the header in c->sec
 * first. KAME_IP6PROTO_DONE or _DROP when the skb is consumed.
 */
int ipsec_input_done(struct kame_if *kif, struct sk_buff *skb,
		     struct kame_ip6ctx *c, struct ipsec_sa *sa)
{
	struct ipsec_net *in = ipsec_net(dev_net(skb->dev));
	const struct ipv6hdr *outer = ipv6_hdr(skb), *ip6;
	struct kame_ip6sec *h;
	u8 tp = 0;

	if (c->nsec >= KAME_IP6SEC_MAX)
		goto inval;	/* bounds tunnels in tunnels as well */
	h = &c->sec[c->nsec++];
	h->proto = sa->proto;
	h->mode = KAME_KEY_MODE_TRANSPORT;
	h->reqid = sa->reqid;
	if (c->nxt != IPPROTO_IPV6) {
		if (sa->mode == KAME_KEY_MODE_TUNNEL)
			goto inval;	/* IPv4 inside: not ours (yet) */
		return 0;
	}
	if (!pskb_may_pull(skb, c->off + sizeof(*ip6)))
		goto inval;
	outer = ipv6_hdr(skb);
	ip6 = (const struct ipv6hdr *)(skb->data + c->off);
	if (ip6->version != 6)
		goto inval;
	tp = ipsec_tunnel_policy(in, sa, outer, ip6, skb, c->off);
	if (sa->mode != KAME_KEY_MODE_TUNNEL && !tp)
		return 0;	/* IPv6 in IPv6 for a tunnel module (gif) */
	if (sa->mode == KAME_KEY_MODE_TUNNEL && !tp) {
		/*
		 * RFC 4301 5.2: the inner packet must be one an inbound
		 * policy sends through a tunnel between these endpoints;
		 * else a peer with a tunnel SA speaks for others' networks.
		 */
		ipsec_stat_inc(in, KAME_IPSEC6S_IN_POLVIO);
		kfree_skb(skb);
		return KAME_IP6PROTO_DROP;
	}
	/* an uncompressed IPComp tunnel: sa's own mode stays transport */
	if (tp != IPPROTO_COMP || sa->proto == IPPROTO_COMP)
		h->mode = KAME_KEY_MODE_TUNNEL;
	return ipsec_decap(in, kif, skb, c);
inval:
	ipsec_stat_inc(in, KAME_IPSEC6S_IN_INVAL);
	kfree_skb(skb);
	return KAME_IP6PROTO_DROP;
}

/*
 * IPv6 in IPv6 that came with no SA in front: the packet an IPComp
 * tunnel's peer sends when compression did not shrink it (RFC 3173
 * 2.2) is plain IPv6 in IPv6 between the tunnel's endpoints. It is
 * decapsulated when an inbound policy sends the inner packet through an
 * IPComp tunnel between the outer addresses; anything else is left to
 * the core (a gif tunnel, or an error). Nothing is recorded in c->sec:
 * no header was processed, and no inbound check requires IPComp.
 */
int ipsec_ip6ip6_input(struct kame_if *kif, struct sk_buff *skb,
		       struct kame_ip6ctx *c)
{
	struct ipsec_net *in = ipsec_net(dev_net(skb->dev));
	const struct ipv6hdr *ip6;

	if (list_empty(&in->sps) ||
	    !pskb_may_pull(skb, c->off + sizeof(*ip6)))
		return 0;
	ip6 = (const struct ipv6hdr *)(skb->data + c->off);
	if (ip6->version != 6 ||
	    ipsec_tunnel_policy(in, NULL, ipv6_hdr(skb), ip6, skb,
				c->off) != IPPROTO_COMP)
		return 0;
	return ipsec_decap(in, kif, skb, c);
}

/*
 * The inbound check: KAME's ipsec6_in_reject(). A packet for an upper
 * layer must have had the processing its inbound policy requires, in
 * the mode it names.
 */
bool ipsec_input_check(struct net *net, struct sk_buff *skb,
			      const struct kame_ip6ctx *c)
{
	struct ipsec_net *in = ipsec_net(net);
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);
	struct ipsec_sp *sp;
	u16 sport, dport;

	if (c->nxt == IPPROTO_ESP || c->nxt == IPPROTO_AH ||
	    c->nxt == IPPROTO_COMP)
		return true;
	if (list_empty(&in->sps) &&
	    READ_ONCE(in->knob.def_policy) == KAME_KEY_ACTION_NONE)
		return true;
	ipsec_ports(skb, c->off, c->nxt, &sport, &dport);
	/* not for what came out of a tunnel: it is no neighbour's */
	if (c->nxt == IPPROTO_ICMPV6 && !c->nsec &&
	    ipsec_nd_bypass(in, sport, ip6->hop_limit))
		return true;
	sp = ipsec_sp_lookup(in, KAME_KEY_DIR_IN, &ip6->saddr, &ip6->daddr,
			     c->nxt, sport, dport);
	if (!sp)	/* def_policy */
		return READ_ONCE(in->knob.def_policy) == KAME_KEY_ACTION_NONE ?
		       true : (ipsec_stat_inc(in, KAME_IPSEC6S_IN_POLVIO), false);
	return ipsec_in_sp_ok(in, sp, c);
}

/*
 * Did the packet have what inbound policy sp asks for? Counts the
 * violation when not. Under RCU.
 */
bool ipsec_in_sp_ok(struct ipsec_net *in, struct ipsec_sp *sp,
		    const struct kame_ip6ctx *c)
{
	const struct ipsec_req *r;
	int i, j;

	if (sp->action == KAME_KEY_ACTION_NONE ||
	    sp->action == KAME_KEY_ACTION_BYPASS)
		return true;
	WRITE_ONCE(sp->lastused, ktime_get_real_seconds());
	if (sp->action != KAME_KEY_ACTION_IPSEC)
		goto reject;
	for (i = 0; i < sp->nreq; i++) {
		r = &sp->req[i];
		/*
		 * As KAME: IPComp is never required on input, since a
		 * sender leaves a payload it cannot shrink uncompressed
		 * (RFC 3173 2.2), so nothing shows that it applied it.
		 */
		if (ipsec_level(in, r) == KAME_KEY_LEVEL_USE ||
		    r->proto == IPPROTO_COMP)
			continue;
		for (j = 0; j < c->nsec; j++)
			if (c->sec[j].proto == r->proto &&
			    c->sec[j].mode == (r->mode == KAME_KEY_MODE_TUNNEL ?
					       KAME_KEY_MODE_TUNNEL :
					       KAME_KEY_MODE_TRANSPORT) &&
			    (r->level != KAME_KEY_LEVEL_UNIQUE ||
			     c->sec[j].reqid == r->reqid))
				break;
		if (j == c->nsec)
			goto reject;
	}
	return true;
reject:
	ipsec_stat_inc(in, KAME_IPSEC6S_IN_POLVIO);
	return false;
}

static void ipsec_stats(struct net *net, u64 *v, unsigned int n)
{
	struct ipsec_net *in = ipsec_net(net);
	unsigned int i;

	for (i = 0; i < n && i < __KAME_IPSEC6S_MAX; i++)
		v[i] = atomic_long_read(&in->stat[i]);
}

static const struct kame_ipsec_ops ipsec_ops = {
	.output		= ipsec_output,
	.input_check	= ipsec_input_check,
	.input_check_sock = ipsec_input_check_sock,
	.sockpol_check	= ipsec_sockpol_check,
	.stats		= ipsec_stats,
	.ip6ip6_input	= ipsec_ip6ip6_input,
};

static int __net_init ipsec_init_net(struct net *net)
{
	struct ipsec_net *in = ipsec_net(net);
	int err;

	err = ipsec_key_init_net(in, net);
	if (err)
		return err;
	err = ipsec_sysctl_init_net(in);
	if (err)
		ipsec_key_exit_net(in);
	return err;
}

static void __net_exit ipsec_exit_net(struct net *net)
{
	ipsec_sysctl_exit_net(ipsec_net(net));
	ipsec_key_exit_net(ipsec_net(net));
}

static struct pernet_operations ipsec_net_ops = {
	.init = ipsec_init_net,
	.exit = ipsec_exit_net,
	.id = &ipsec_net_id,
	.size = sizeof(struct ipsec_net),
};

static int __init ipsec_init(void)
{
	int err;

	ipsec_wq = alloc_workqueue("kame_ipsec", 0, 0);
	if (!ipsec_wq)
		return -ENOMEM;
	err = register_pernet_subsys(&ipsec_net_ops);
	if (err) {
		destroy_workqueue(ipsec_wq);
		return err;
	}
	err = ipsec_key_nl_init();
	if (err)
		goto out_net;
	err = kame_ip6proto_register(&esp6_protosw);
	if (err)
		goto out_nl;
	err = kame_ip6proto_register(&ipcomp6_protosw);
	if (err)
		goto out_esp;
	err = kame_ip6proto_register(&ah6_protosw);
	if (err)
		goto out_ipcomp;
	err = kame_family_ipsec_register(&ipsec_ops);
	if (err)
		goto out_ah;
	return 0;
out_ah:
	kame_ip6proto_unregister(&ah6_protosw);
out_ipcomp:
	kame_ip6proto_unregister(&ipcomp6_protosw);
out_esp:
	kame_ip6proto_unregister(&esp6_protosw);
out_nl:
	ipsec_key_nl_exit();
out_net:
	unregister_pernet_subsys(&ipsec_net_ops);
	rcu_barrier();
	destroy_workqueue(ipsec_wq);
	return err;
}

/* The hooks go first (waiting for the packets in them), then the SAs. */
static void __exit ipsec_exit(void)
{
	kame_family_ipsec_unregister(&ipsec_ops);
	kame_ip6proto_unregister(&ah6_protosw);
	kame_ip6proto_unregister(&esp6_protosw);
	kame_ip6proto_unregister(&ipcomp6_protosw);
	ipsec_key_nl_exit();
	unregister_pernet_subsys(&ipsec_net_ops);
	rcu_barrier();		/* the policies' frees, the SAs' queued */
	destroy_workqueue(ipsec_wq);	/* ... and run: their transforms */
}

module_init(ipsec_init);
module_exit(ipsec_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KAME IPsec: SAD, SPD and PF_KEY v2 over generic netlink");
MODULE_ALIAS_GENL_FAMILY(KAME_KEY_GENL_NAME);
