// SPDX-License-Identifier: GPL-2.0
/*
 * KAME's protocol switch for the other modules of the family
 * (kame_family.h): one entry per next header, published with RCU, so
 * that a module may come and go while packets flow. The core's own next
 * headers are switched in kame_ip6_demux() and cannot be taken.
 */
#include <linux/module.h>
#include <linux/netdevice.h>
#include "kame.h"

static const struct kame_ip6proto __rcu *kame_ip6proto_tab[256];
static DEFINE_MUTEX(kame_ip6proto_mutex);

static bool kame_ip6proto_core(u8 protocol)
{
	switch (protocol) {
	case NEXTHDR_HOP:
	case NEXTHDR_ROUTING:
	case NEXTHDR_FRAGMENT:
	case NEXTHDR_DEST:
	case NEXTHDR_NONE:
	case IPPROTO_ICMPV6:
	case IPPROTO_UDP:
		return true;
	}
	return false;
}

int kame_ip6proto_register(const struct kame_ip6proto *p)
{
	int err = 0;

	if (!p->input)
		return -EINVAL;
	if (kame_ip6proto_core(p->protocol))
		return -EBUSY;
	mutex_lock(&kame_ip6proto_mutex);
	if (rcu_access_pointer(kame_ip6proto_tab[p->protocol]))
		err = -EEXIST;
	else
		rcu_assign_pointer(kame_ip6proto_tab[p->protocol], p);
	mutex_unlock(&kame_ip6proto_mutex);
	return err;
}
EXPORT_SYMBOL_GPL(kame_ip6proto_register);

void kame_ip6proto_unregister(const struct kame_ip6proto *p)
{
	mutex_lock(&kame_ip6proto_mutex);
	if (rcu_access_pointer(kame_ip6proto_tab[p->protocol]) == p)
		RCU_INIT_POINTER(kame_ip6proto_tab[p->protocol], NULL);
	mutex_unlock(&kame_ip6proto_mutex);
	/* the packets in p->input() finish before the module may go */
	synchronize_net();
}
EXPORT_SYMBOL_GPL(kame_ip6proto_unregister);

/* The entry for protocol, or NULL. Under RCU (the input's softirq). */
const struct kame_ip6proto *kame_ip6proto_find(u8 protocol)
{
	return rcu_dereference(kame_ip6proto_tab[protocol]);
}

/* The IPsec hooks of kame_ipsec.ko (kame_family.h), or none. */
static const struct kame_ipsec_ops __rcu *kame_ipsec_ops;

int kame_family_ipsec_register(const struct kame_ipsec_ops *ops)
{
	int err = 0;

	mutex_lock(&kame_ip6proto_mutex);
	if (rcu_access_pointer(kame_ipsec_ops))
		err = -EEXIST;
	else
		rcu_assign_pointer(kame_ipsec_ops, ops);
	mutex_unlock(&kame_ip6proto_mutex);
	return err;
}
EXPORT_SYMBOL_GPL(kame_family_ipsec_register);

void kame_family_ipsec_unregister(const struct kame_ipsec_ops *ops)
{
	mutex_lock(&kame_ip6proto_mutex);
	if (rcu_access_pointer(kame_ipsec_ops) == ops)
		RCU_INIT_POINTER(kame_ipsec_ops, NULL);
	mutex_unlock(&kame_ip6proto_mutex);
	synchronize_net();	/* the packets inside the hooks */
}
EXPORT_SYMBOL_GPL(kame_family_ipsec_unregister);

static int kame_ipsec_output_ops(const struct kame_ipsec_ops *ops,
				 struct kame_if *kif, struct sk_buff **skbp,
				 const struct in6_addr *src,
				 const struct in6_addr *dst,
				 struct kame_ip6_txopts *tx)
{
	struct kame_ip6out o = { .src = *src, .dst = *dst, .proto = tx->proto,
				 .hlim = tx->hlim, .tclass = tx->tclass };
	int err;

	/* only what a socket sends itself (not ICMPv6's answers) has one */
	if (tx->sk)
		o.sockpol = rcu_dereference(kame_sk(tx->sk)->ipsec_pol[KAME_SOCKPOL_OUT]);
	kame_in6_clearscope(&o.src);
	kame_in6_clearscope(&o.dst);
	/* for a later send (an asynchronous transform's completion) */
	o.oif = kif->dev->ifindex;
	o.flags = (tx->dontfrag ? KAME_OUT_F_DONTFRAG : 0) |
		  (tx->mloop ? KAME_OUT_F_MLOOP : 0);
	err = ops->output(kif->kn->net, skbp, &o);
	tx->proto = o.proto;
	return err;
}

/*
 * The output hook, if any (see kame_family.h). Under RCU. Without the
 * module it costs one load and a test.
 */
int kame_ipsec_output(struct kame_if *kif, struct sk_buff **skbp,
		      const struct in6_addr *src, const struct in6_addr *dst,
		      struct kame_ip6_txopts *tx)
{
	const struct kame_ipsec_ops *ops = rcu_dereference(kame_ipsec_ops);

	if (!ops)
		return 0;
	return kame_ipsec_output_ops(ops, kif, skbp, src, dst, tx);
}

/* May the packet go to the upper layer c->nxt? Under RCU. */
bool kame_ipsec_input_ok(struct kame_net *kn, struct sk_buff *skb,
			 const struct kame_ip6ctx *c)
{
	const struct kame_ipsec_ops *ops = rcu_dereference(kame_ipsec_ops);

	return !ops || ops->input_check(kn->net, skb, c);
}

/* May the packet, not ours, be forwarded? Under RCU. */
bool kame_ipsec_forward_ok(struct kame_net *kn, struct sk_buff *skb,
			   const struct kame_ip6ctx *c)
{
	const struct kame_ipsec_ops *ops = rcu_dereference(kame_ipsec_ops);

	return !ops || ops->forward_check(kn->net, skb, c);
}

/*
 * A forwarded packet's outbound policy: 0 send it; -EMSGSIZE with *mtu
 * set: too big for its tunnel (skb untouched); else consumed.
 */
int kame_ipsec_forward_output(struct kame_net *kn, struct sk_buff *skb,
			      u32 *mtu)
{
	const struct kame_ipsec_ops *ops = rcu_dereference(kame_ipsec_ops);

	*mtu = 0;
	return ops ? ops->forward_output(kn->net, skb, mtu) : 0;
}

/*
 * May the datagram go to socket ks (KAME's ipsec6_in_reject(m, inp))?
 * The socket's inbound policy if it has one, else the SPD's answer,
 * asked once per packet (*spd: -1 not yet, else the answer; NULL when the
 * caller has had the SPD's yes already). Under RCU.
 */
bool kame_ipsec_sock_input_ok(struct kame_net *kn, struct sk_buff *skb,
			      const struct kame_ip6ctx *c,
			      const struct kame_sock *ks, s8 *spd)
{
	const struct kame_ipsec_ops *ops = rcu_dereference(kame_ipsec_ops);
	const struct kame_sockpol *pol;

	if (!ops)
		return true;
	pol = rcu_dereference(ks->ipsec_pol[KAME_SOCKPOL_IN]);
	if (pol)
		return ops->input_check_sock(kn->net, skb, c, pol);
	if (!spd)
		return true;
	if (*spd < 0)
		*spd = ops->input_check(kn->net, skb, c);
	return *spd;
}

/* setsockopt IPV6_IPSEC_POLICY: ask the module (-ENOPROTOOPT without). */
int kame_ipsec_sockpol_check(struct net *net, const struct kame_sockpol *pol)
{
	const struct kame_ipsec_ops *ops;
	int err = -ENOPROTOOPT;

	/* the check may sleep (capable()): the module stays while it runs */
	mutex_lock(&kame_ip6proto_mutex);
	ops = rcu_dereference_protected(kame_ipsec_ops,
					lockdep_is_held(&kame_ip6proto_mutex));
	if (ops)
		err = ops->sockpol_check(net, pol->data, pol->len);
	mutex_unlock(&kame_ip6proto_mutex);
	return err;
}

/*
 * IPv6 in IPv6 with no SA in front: the IPsec module's when an inbound
 * policy names an IPComp tunnel between the outer addresses (a payload
 * its sender could not shrink, RFC 3173 2.2), else 0. Under RCU.
 */
int kame_ipsec_ip6ip6_input(struct kame_if *kif, struct sk_buff *skb,
			    struct kame_ip6ctx *c)
{
	const struct kame_ipsec_ops *ops = rcu_dereference(kame_ipsec_ops);

	return ops ? ops->ip6ip6_input(kif, skb, c) : 0;
}

bool kame_ipsec_loaded(void)
{
	return rcu_access_pointer(kame_ipsec_ops);
}

/* The IPsec counters, or false without the module. */
bool kame_ipsec_stats(struct kame_net *kn, u64 *v, unsigned int n)
{
	const struct kame_ipsec_ops *ops;
	bool ok = false;

	rcu_read_lock();
	ops = rcu_dereference(kame_ipsec_ops);
	if (ops) {
		ops->stats(kn->net, v, n);
		ok = true;
	}
	rcu_read_unlock();
	return ok;
}
