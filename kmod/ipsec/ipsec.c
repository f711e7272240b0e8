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

/* asynchronous transforms in flight: the module waits for them to end */
static atomic_t ipsec_inflight = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(ipsec_inflight_wq);

void ipsec_inflight_get(void)
{
	atomic_inc(&ipsec_inflight);
}

void ipsec_inflight_put(void)
{
	if (atomic_dec_and_test(&ipsec_inflight))
		wake_up(&ipsec_inflight_wq);
}

/*
 * Hold what the input of op->skb needs until the completion: the SA
 * (false: it is being deleted, nothing held), the device it came in on
 * and its context c, seq its sequence number.
 */
bool ipsec_op_in_hold(struct ipsec_op *op, const struct kame_ip6ctx *c,
		      u64 seq)
{
	if (!ipsec_sa_tryget(op->sa))
		return false;
	op->in.dev = op->skb->dev;
	dev_hold(op->in.dev);
	op->in.c = *c;
	op->in.seq = seq;
	ipsec_inflight_get();
	return true;
}

/* The transform finished at once after all: what the hold took. */
void ipsec_op_in_release(struct ipsec_op *op)
{
	dev_put(op->in.dev);
	ipsec_sa_put(op->sa);
	ipsec_inflight_put();
}

/*
 * The completion of an input op: with the transform's err in op->err,
 * finish(op) goes on with the input as its handler would have; op is
 * freed. The in-flight count drops last: module exit waits for it.
 */
void ipsec_op_in_done(struct ipsec_op *op, int err, ipsec_in_finish_t finish)
{
	struct net_device *dev = op->in.dev;
	struct ipsec_sa *sa = op->sa;

	if (err == -EINPROGRESS)	/* out of a backlog: not used */
		return;
	op->err = ipsec_crypt_err(err);
	kame_family_input_resume(dev, op->skb, &op->in.c, finish, op);
	kfree_sensitive(op);
	dev_put(dev);
	ipsec_sa_put(sa);
	ipsec_inflight_put();
}

/*
 * Hold a copy of the output state st for the completion (false: an SA
 * of it is going, nothing held).
 */
bool ipsec_op_out_hold(struct ipsec_op *op, const struct ipsec_out *st)
{
	op->out = *st;
	if (!ipsec_out_hold(&op->out))
		return false;
	ipsec_inflight_get();
	return true;
}

void ipsec_op_out_release(struct ipsec_op *op)
{
	ipsec_out_release(&op->out);
	ipsec_inflight_put();
}

/* The completion of an output op: the rest of the output; op is freed. */
void ipsec_op_out_done(struct ipsec_op *op, int err)
{
	if (err == -EINPROGRESS)	/* out of a backlog: not used */
		return;
	ipsec_out_resume(&op->out, op->skb, ipsec_crypt_err(err));
	ipsec_out_release(&op->out);
	kfree_sensitive(op);
	ipsec_inflight_put();
}

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
/* Does policy sp name a tunnel of sa's protocol between outer's ends? */
static u8 ipsec_tunnel_sp(const struct ipsec_sp *sp,
			  const struct ipsec_sa *sa,
			  const struct ipv6hdr *outer)
{
	const struct ipsec_req *r;
	u8 found = 0;
	int i;

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
 * KAME's ipsec6_tunnel_validate() for an SA of mode any: is there an
 * inbound policy for the inner packet ip6 (at off of skb), or a fwd one
 * (a Linux-style gateway has only that for the networks behind it),
 * asking for a tunnel of this SA's protocol between the outer addresses?
 * Its protocol, or IPComp for an IPComp tunnel whose packet the sender
 * did not compress (RFC 3173 2.2: IPv6 in IPv6 inside the next SA), or
 * 0. Under RCU.
 */
static u8 ipsec_tunnel_policy(struct ipsec_net *in,
				const struct ipsec_sa *sa,
				const struct ipv6hdr *outer,
				const struct ipv6hdr *ip6,
				const struct sk_buff *skb, unsigned int off)
{
	u16 sport, dport;
	u8 p;

	ipsec_ports(skb, off + sizeof(*ip6), ip6->nexthdr, &sport, &dport);
	p = ipsec_tunnel_sp(ipsec_sp_lookup(in, KAME_KEY_DIR_IN, &ip6->saddr,
					    &ip6->daddr, ip6->nexthdr, sport,
					    dport), sa, outer);
	if (p)
		return p;
	return ipsec_tunnel_sp(ipsec_sp_lookup(in, KAME_KEY_DIR_FWD,
					       &ip6->saddr, &ip6->daddr,
					       ip6->nexthdr, sport, dport),
			       sa, outer);
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
static int ipsec_input_take(struct kame_if *kif, struct sk_buff *skb,
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

/* ipsec_input_take(), counting in_success once the packet is taken (as a
 * tunnel's inner packet is too); a drop has its own counter already.
 */
int ipsec_input_done(struct kame_if *kif, struct sk_buff *skb,
		     struct kame_ip6ctx *c, struct ipsec_sa *sa)
{
	struct ipsec_net *in = ipsec_net(dev_net(skb->dev));
	int ret = ipsec_input_take(kif, skb, c, sa);

	if (ret != KAME_IP6PROTO_DROP)
		ipsec_stat_inc(in, KAME_IPSEC6S_IN_SUCCESS);
	return ret;
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
 * An ICMPv6 error (at c->off) reports on a packet this node sent, quoted
 * in it: when the inbound policy of that flow (its reverse: from the
 * quoted destination to the quoted source) asks for IPsec, the error must
 * have come with that protection too (RFC 4301 6.2), so that nobody can
 * cut or shrink a protected flow with a forged error in clear. The
 * mirror of ipsec_out_policy(). Counts the violation. Under RCU.
 */
static bool ipsec_in_error_ok(struct ipsec_net *in, const struct sk_buff *skb,
			      const struct kame_ip6ctx *c)
{
	unsigned int qoff = c->off + sizeof(struct icmp6hdr);
	const struct ipv6hdr *q;
	struct ipv6hdr qbuf;
	struct ipsec_sp *sp;
	u16 qs, qd;

	q = skb_header_pointer(skb, qoff, sizeof(qbuf), &qbuf);
	if (!q)
		return true;	/* nothing quoted: the error's own policy */
	ipsec_ports(skb, qoff + sizeof(qbuf), q->nexthdr, &qs, &qd);
	if (q->nexthdr != IPPROTO_ICMPV6)
		swap(qs, qd);
	sp = ipsec_sp_lookup(in, KAME_KEY_DIR_IN, &q->daddr, &q->saddr,
			     q->nexthdr, qs, qd);
	if (!sp || sp->action != KAME_KEY_ACTION_IPSEC)
		return true;
	return ipsec_in_sp_ok(in, sp, c);
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
	if (c->nxt == IPPROTO_ICMPV6 && sport < 128 &&
	    !ipsec_in_error_ok(in, skb, c))
		return false;
	sp = ipsec_sp_lookup(in, KAME_KEY_DIR_IN, &ip6->saddr, &ip6->daddr,
			     c->nxt, sport, dport);
	if (!sp)	/* def_policy */
		return READ_ONCE(in->knob.def_policy) == KAME_KEY_ACTION_NONE ?
		       true : (ipsec_stat_inc(in, KAME_IPSEC6S_IN_POLVIO), false);
	return ipsec_in_sp_ok(in, sp, c);
}

/*
 * The selector of a forwarded packet: past the extension headers from
 * off (next header nxt), its upper-layer protocol (returned) and ports.
 * A later fragment shows no ports (0: only a policy for any port takes
 * it). Bounded by KAME's limit of headers per packet.
 */
u8 ipsec_fwd_upper(const struct sk_buff *skb, unsigned int off, u8 nxt,
		   u16 *sport, u16 *dport)
{
	const u8 *h;
	u8 buf[4];
	int n;

	*sport = 0;
	*dport = 0;
	for (n = 0; n < KAME_IP6SEC_MAX * 4; n++) {
		if (nxt != NEXTHDR_HOP && nxt != NEXTHDR_ROUTING &&
		    nxt != NEXTHDR_DEST && nxt != NEXTHDR_FRAGMENT)
			break;
		h = skb_header_pointer(skb, off, sizeof(buf), buf);
		if (!h)
			return nxt;
		if (nxt == NEXTHDR_FRAGMENT) {
			off += sizeof(struct frag_hdr);
			nxt = h[0];
			if (get_unaligned_be16(h + 2) & IP6_OFFSET)
				return nxt;	/* a later fragment */
			continue;
		}
		off += (h[1] + 1) * 8;
		nxt = h[0];
	}
	ipsec_ports(skb, off, nxt, sport, dport);
	return nxt;
}

/*
 * The inbound check of a packet the node forwards: the fwd policy of its
 * selector, else (KAME, whose ip6_forward() asked ipsec6_in_reject())
 * the inbound one, else def_policy.
 */
static bool ipsec_forward_check(struct net *net, struct sk_buff *skb,
				const struct kame_ip6ctx *c)
{
	struct ipsec_net *in = ipsec_net(net);
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);
	struct ipsec_sp *sp;
	u16 sport, dport;
	u8 ul;

	if (list_empty(&in->sps) &&
	    READ_ONCE(in->knob.def_policy) == KAME_KEY_ACTION_NONE)
		return true;
	ul = ipsec_fwd_upper(skb, c->off, c->nxt, &sport, &dport);
	sp = ipsec_sp_lookup(in, KAME_KEY_DIR_FWD, &ip6->saddr, &ip6->daddr,
			     ul, sport, dport);
	if (!sp)
		sp = ipsec_sp_lookup(in, KAME_KEY_DIR_IN, &ip6->saddr,
				     &ip6->daddr, ul, sport, dport);
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
	.forward_check	= ipsec_forward_check,
	.forward_output	= ipsec_forward_output,
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

/*
 * The hooks go first (waiting for the packets in them), then the
 * transforms in flight, then the SAs.
 */
static void __exit ipsec_exit(void)
{
	kame_family_ipsec_unregister(&ipsec_ops);
	kame_ip6proto_unregister(&ah6_protosw);
	kame_ip6proto_unregister(&esp6_protosw);
	kame_ip6proto_unregister(&ipcomp6_protosw);
	/*
	 * No new transform starts now: those in flight complete. A
	 * completion's last instructions after its ipsec_inflight_put() run
	 * with BH disabled (softirq, pcrypt's and cryptd's workers): the
	 * grace period of the rcu_barrier() below covers them, as it does
	 * for the callbacks of net devices that go the same way.
	 */
	wait_event(ipsec_inflight_wq, !atomic_read(&ipsec_inflight));
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
