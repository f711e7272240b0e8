// SPDX-License-Identifier: GPL-2.0
/*
 * KAME's IPsec for the KAME stack (kame_ipsec.ko), a module of the family
 * beside kame.ko: its own Security Association and Security Policy
 * Databases per network namespace (key.c), driven over the "kame_key"
 * generic netlink family (key_nl*.c) by setkey(8). Nothing of Linux's
 * XFRM is used.
 */
#include <linux/module.h>
#include <net/ipv6.h>
#include <net/netns/generic.h>
#include "kmod/core/compat.h"
#include "ipsec.h"

unsigned int ipsec_sa_max = 65536;
module_param_named(sa_max, ipsec_sa_max, uint, 0644);
MODULE_PARM_DESC(sa_max, "SAs per network namespace (default 65536)");

unsigned int ipsec_sp_max = 65536;
module_param_named(sp_max, ipsec_sp_max, uint, 0644);
MODULE_PARM_DESC(sp_max, "policies per network namespace (default 65536)");

/* net.inet6.ipsec6.esp_trans_deflev: what level "default" means */
unsigned int ipsec_esp_trans_deflev = KAME_KEY_LEVEL_USE;
module_param_named(esp_trans_deflev, ipsec_esp_trans_deflev, uint, 0644);
MODULE_PARM_DESC(esp_trans_deflev,
		 "level of ESP transport requests at \"default\" (1 use, 2 require)");

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
static void ipsec_ports(const struct sk_buff *skb, unsigned int off, u8 proto,
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

/* A request's level, "default" resolved by the knob */
static u8 ipsec_level(const struct ipsec_req *r)
{
	if (r->level != KAME_KEY_LEVEL_DEFAULT)
		return r->level;
	return READ_ONCE(ipsec_esp_trans_deflev) >= KAME_KEY_LEVEL_REQUIRE ?
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
	u8 st;

	list_for_each_entry_rcu(sa, &in->sas, list) {
		st = READ_ONCE(sa->state);
		if (sa->proto != r->proto || !sa->aead ||
		    (st != KAME_KEY_STATE_MATURE && st != KAME_KEY_STATE_DYING) ||
		    (sa->mode != KAME_KEY_MODE_ANY && sa->mode != r->mode) ||
		    !ipv6_addr_equal(&sa->dst, dst) ||
		    !ipv6_addr_equal(&sa->src, src) ||
		    (r->level == KAME_KEY_LEVEL_UNIQUE && sa->reqid != r->reqid))
			continue;
		if (!best || st == KAME_KEY_STATE_MATURE ||
		    best->state != KAME_KEY_STATE_MATURE)
			best = sa;
	}
	return best;
}

/* The output hook: KAME's ipsec6_output_trans(). */
static int ipsec_output(struct net *net, struct sk_buff **skbp,
			const struct in6_addr *src, const struct in6_addr *dst,
			u8 *proto)
{
	struct ipsec_net *in = ipsec_net(net);
	struct sk_buff *skb = *skbp;
	const struct ipsec_req *r;
	struct ipsec_sp *sp;
	struct ipsec_sa *sa;
	u16 sport, dport;
	int i, err, stat;

	if (list_empty(&in->sps))
		return 0;	/* def_policy: none */
	ipsec_ports(skb, 0, *proto, &sport, &dport);
	sp = ipsec_sp_lookup(in, KAME_KEY_DIR_OUT, src, dst, *proto, sport,
			     dport);
	if (!sp || sp->action == KAME_KEY_ACTION_NONE)
		return 0;
	WRITE_ONCE(sp->lastused, ktime_get_real_seconds());
	if (sp->action == KAME_KEY_ACTION_DISCARD) {
		stat = KAME_IPSEC6S_OUT_POLVIO;
		err = -EACCES;
		goto drop;
	}
	for (i = 0; i < sp->nreq; i++) {
		r = &sp->req[i];
		sa = ipsec_sa_select(in, r, src, dst);
		if (!sa) {
			if (ipsec_level(r) == KAME_KEY_LEVEL_USE)
				continue;
			ipsec_acquire(in, sp, r);
			stat = KAME_IPSEC6S_OUT_NOSA;
			err = -EAGAIN;
			goto drop;
		}
		err = esp_output(sa, skb, proto);
		if (err) {
			stat = err == -ENOMEM ? KAME_IPSEC6S_OUT_NOMEM :
			       KAME_IPSEC6S_OUT_INVAL;
			goto drop;
		}
		if (!READ_ONCE(sa->first_use))
			WRITE_ONCE(sa->first_use, ktime_get_real_seconds());
	}
	ipsec_stat_inc(in, KAME_IPSEC6S_OUT_SUCCESS);
	return 0;
drop:
	ipsec_stat_inc(in, stat);
	kfree_skb(skb);
	return err;
}

/*
 * The inbound check: KAME's ipsec6_in_reject(). A packet for an upper
 * layer must have had the processing its inbound policy requires.
 */
static bool ipsec_input_check(struct net *net, struct sk_buff *skb,
			      const struct kame_ip6ctx *c)
{
	struct ipsec_net *in = ipsec_net(net);
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);
	const struct ipsec_req *r;
	struct ipsec_sp *sp;
	u16 sport, dport;
	int i, j;

	if (c->nxt == IPPROTO_ESP || c->nxt == IPPROTO_AH ||
	    c->nxt == IPPROTO_COMP || list_empty(&in->sps))
		return true;
	ipsec_ports(skb, c->off, c->nxt, &sport, &dport);
	sp = ipsec_sp_lookup(in, KAME_KEY_DIR_IN, &ip6->saddr, &ip6->daddr,
			     c->nxt, sport, dport);
	if (!sp || sp->action == KAME_KEY_ACTION_NONE)
		return true;
	WRITE_ONCE(sp->lastused, ktime_get_real_seconds());
	if (sp->action == KAME_KEY_ACTION_DISCARD)
		goto reject;
	for (i = 0; i < sp->nreq; i++) {
		r = &sp->req[i];
		if (ipsec_level(r) == KAME_KEY_LEVEL_USE)
			continue;
		for (j = 0; j < c->nsec; j++)
			if (c->sec[j].proto == r->proto &&
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
	.stats		= ipsec_stats,
};

static int __net_init ipsec_init_net(struct net *net)
{
	return ipsec_key_init_net(ipsec_net(net), net);
}

static void __net_exit ipsec_exit_net(struct net *net)
{
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
	err = kame_family_ipsec_register(&ipsec_ops);
	if (err)
		goto out_esp;
	return 0;
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
	kame_ip6proto_unregister(&esp6_protosw);
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
