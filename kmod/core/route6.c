// SPDX-License-Identifier: GPL-2.0
/*
 * The routing table (KAME's route.c and in6_rmx.c): one per network
 * namespace, a longest-prefix-match table of routes.
 *
 * The table is a path-compressed binary trie (route6.h): a lookup walks
 * down from the root comparing at most one prefix per node and keeps the
 * deepest node whose prefix covers the address, so its cost is bounded by
 * the depth (at most 129 nodes, about log2 of the number of routes for
 * random prefixes) and not by the number of routes; in a large table it
 * starts 16 to 28 bits down, where the jump table (route6_jump.c) says. The
 * number of routes is bounded by net.inet6.ip6.rt_max.
 *
 * Scoped prefixes keep their zone in bytes 2-3 (the embedded form), so
 * fe80::%veth0/64 and fe80::%veth1/64 are different keys. A lookup for a
 * scoped destination only takes routes of its zone's interface that have
 * no gateway.
 *
 * The stack's own addresses have local host routes (KAME_RTF_LOCAL): the
 * input routine decides that a packet is for the node by looking its
 * destination up here (the destination check of KAME's ip6_input, seed
 * 004), and output to one of our addresses is looped back into our input
 * through lo_q (Linux's lo belongs to Linux's stack).
 *
 * Locking: writers hold RTNL and kn->rt_lock (BH); lookups run under RCU
 * (or RTNL).
 * Nodes and routes are published with rcu_assign_pointer() once complete
 * and freed after a grace period; a removed node keeps its child pointers,
 * so a reader standing on it still reaches the rest of the trie.
 */
#include <linux/etherdevice.h>
#include <linux/icmpv6.h>
#include "route6.h"

#define RT_DEFAULT_MAX		65536	/* knob: net.inet6.ip6.rt_max */
#define LO_DEFAULT_QMAX		256	/* knob: ip6.intr_queue_maxlen */
#define LO_BATCH		64	/* looped packets per work run */
#define RT_FLUSH_BATCH		1024	/* nodes per rt_lock hold in a flush */

static atomic_t kame_rt_live = ATOMIC_INIT(0);		/* routes */
static atomic_t kame_rtnode_live = ATOMIC_INIT(0);	/* trie nodes */
/* trie nodes, cache-line aligned: a lookup reads one line of each */
static struct kmem_cache *kame_rtnode_cache;

#define rt_deref(kn, p)							\
	rcu_dereference_check(p, lockdep_is_held(&(kn)->rt_lock) ||	\
			      lockdep_rtnl_is_held())
#define rt_prot(kn, p)	rcu_dereference_protected(p, \
						  lockdep_is_held(&(kn)->rt_lock))

static unsigned int rt_bit(const struct in6_addr *a, unsigned int n)
{
	return (a->s6_addr[n >> 3] >> (7 - (n & 7))) & 1;
}

static void rt_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct kame_rt, rcu));
	atomic_dec(&kame_rt_live);
}

static void rt_node_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(kame_rtnode_cache,
			container_of(head, struct kame_rtnode, rcu));
	atomic_dec(&kame_rtnode_live);
}

/*
 * May rt carry a packet for dst (embedded form)? kif: the output
 * interface the caller insists on, or NULL.
 */
static bool rt_usable(const struct kame_rt *rt, const struct in6_addr *dst,
		      const struct kame_if *kif)
{
	if (kif && rt->kif != kif)
		return false;
	/*
	 * A tentative or duplicated address is not ours (yet, RFC 4862
	 * 5.4): traffic to it leaves by the connected route, where its
	 * owner may be, and the input does not take it.
	 */
	if ((rt->flags & KAME_RTF_LOCAL) &&
	    (READ_ONCE(rt->ifa->flags) & (KAME_ADDR_F_TENTATIVE |
					  KAME_ADDR_F_DUPLICATED)))
		return false;
	if (kame_in6_is_scoped(dst))
		return rt->kif->dev->ifindex == ntohs(dst->s6_addr16[1]) &&
		       !(rt->flags & KAME_RTF_GATEWAY);
	return true;
}

/*
 * The deepest node with routes whose prefix covers dst, at most maxplen;
 * a full-length lookup starts where the jump table says (route6_jump.c).
 */
static struct kame_rtnode *rt_match(struct kame_net *kn,
				    const struct in6_addr *dst,
				    unsigned int maxplen)
{
	struct kame_rtnode *n, *best = NULL;

	if (maxplen == 128)
		n = kame_rt_jump_start(kn, dst, &best);
	else
		n = rt_deref(kn, kn->rt_root);

	while (n && n->plen <= maxplen &&
	       ipv6_prefix_equal(&n->key, dst, n->plen)) {
		if (rcu_access_pointer(n->routes))
			best = n;
		if (n->plen == 128)
			break;
		n = rt_deref(kn, n->child[rt_bit(dst, n->plen)]);
	}
	return best;
}

/*
 * KAME's rtalloc(): the longest-prefix route for dst (embedded form), out
 * of kif if given. Caller holds RCU (or kn->rt_lock, or RTNL, under which
 * every writer runs). Exported for the modules of the family (and the
 * route lookup benchmark, selftests/bench/kbench_rt.c).
 */
const struct kame_rt *kame_rt_lookup(struct kame_net *kn,
				     const struct in6_addr *dst,
				     const struct kame_if *kif)
{
	unsigned int max = 128;
	struct kame_rtnode *n;
	struct kame_rt *rt;

	for (;;) {
		n = rt_match(kn, dst, max);
		if (!n)
			return NULL;
		for (rt = rt_deref(kn, n->routes); rt;
		     rt = rt_deref(kn, rt->next))
			if (rt_usable(rt, dst, kif))
				return rt;
		/* none fits: the next shorter covering prefix */
		if (!n->plen)
			return NULL;
		max = n->plen - 1;
	}
}
EXPORT_SYMBOL_GPL(kame_rt_lookup);

/*
 * The address of the node that addr (embedded form) is, whatever its
 * state: the local route of its /128. Caller holds RCU or RTNL.
 */
struct kame_ifaddr *kame_rt_local_ifa(struct kame_net *kn,
				      const struct in6_addr *addr)
{
	struct kame_rtnode *n = rt_match(kn, addr, 128);
	struct kame_rt *rt;

	if (!n || n->plen != 128)
		return NULL;
	for (rt = rt_deref(kn, n->routes); rt; rt = rt_deref(kn, rt->next))
		if ((rt->flags & KAME_RTF_LOCAL) &&
		    (!kame_in6_is_scoped(addr) ||
		     rt->kif->dev->ifindex == ntohs(addr->s6_addr16[1])))
			return rt->ifa;
	return NULL;
}

/* The node of exactly key/plen, or NULL. Under kn->rt_lock. */
static struct kame_rtnode *rt_node(struct kame_net *kn,
				   const struct in6_addr *key,
				   unsigned int plen)
{
	struct kame_rtnode *n = rt_prot(kn, kn->rt_root);

	while (n && n->plen <= plen && ipv6_prefix_equal(&n->key, key, n->plen)) {
		if (n->plen == plen)
			return n;
		n = rt_prot(kn, n->child[rt_bit(key, n->plen)]);
	}
	return NULL;
}

static struct kame_rtnode *rt_node_init(struct kame_rtnode **spare,
					const struct in6_addr *key,
					unsigned int plen,
					struct kame_rtnode *parent)
{
	struct kame_rtnode *n = spare[0] ? spare[0] : spare[1];

	if (n == spare[0])
		spare[0] = NULL;
	else
		spare[1] = NULL;
	ipv6_addr_prefix(&n->key, key, plen);
	n->plen = plen;
	n->parent = parent;
	atomic_inc(&kame_rtnode_live);
	return n;
}

/* Put rt on node n: local routes first, the others in order of addition. */
static void rt_attach(struct kame_net *kn, struct kame_rtnode *n,
		      struct kame_rt *rt)
{
	struct kame_rt __rcu **pp = &n->routes;

	rt->node = n;
	if (!(rt->flags & KAME_RTF_LOCAL))
		while (rt_prot(kn, *pp))
			pp = &rt_prot(kn, *pp)->next;
	RCU_INIT_POINTER(rt->next, rt_prot(kn, *pp));
	rcu_assign_pointer(*pp, rt);
}

/*
 * Insert rt for key/plen (key masked), with at most the two spare nodes.
 * Returns the prefix length of the highest node added or changed. Under
 * kn->rt_lock.
 */
static unsigned int rt_insert(struct kame_net *kn, const struct in6_addr *key,
		      unsigned int plen, struct kame_rt *rt,
		      struct kame_rtnode **spare)
{
	struct kame_rtnode __rcu **pp = &kn->rt_root;
	struct kame_rtnode *n, *parent = NULL, *leaf, *br;
	unsigned int cl = 0;

	while ((n = rt_prot(kn, *pp))) {
		cl = min3((unsigned int)ipv6_addr_diff(&n->key, key),
			  (unsigned int)n->plen, plen);
		if (cl < n->plen)
			break;		/* n is no prefix of key */
		if (n->plen == plen) {
			rt_attach(kn, n, rt);
			return plen;
		}
		parent = n;
		pp = &n->child[rt_bit(key, n->plen)];
	}
	leaf = rt_node_init(spare, key, plen, parent);
	rt_attach(kn, leaf, rt);
	if (!n) {
		rcu_assign_pointer(*pp, leaf);
	} else if (cl == plen) {
		/* the new prefix covers n: it goes between parent and n */
		RCU_INIT_POINTER(leaf->child[rt_bit(&n->key, plen)], n);
		n->parent = leaf;
		rcu_assign_pointer(*pp, leaf);
	} else {
		/* they part at bit cl: a branching node takes both */
		br = rt_node_init(spare, key, cl, parent);
		RCU_INIT_POINTER(br->child[rt_bit(key, cl)], leaf);
		RCU_INIT_POINTER(br->child[rt_bit(&n->key, cl)], n);
		leaf->parent = br;
		n->parent = br;
		rcu_assign_pointer(*pp, br);
		return cl;
	}
	return plen;
}

/*
 * Remove nodes without routes that branch no more, from n upwards, and
 * refresh the jump table's slots of the highest node changed.
 */
static void rt_prune(struct kame_net *kn, struct kame_rtnode *n)
{
	struct in6_addr key = n->key;
	unsigned int top = n->plen;

	while (n && !rcu_access_pointer(n->routes)) {
		struct kame_rtnode *c0 = rt_prot(kn, n->child[0]);
		struct kame_rtnode *c1 = rt_prot(kn, n->child[1]);
		struct kame_rtnode *c = c0 ? c0 : c1, *p = n->parent;
		struct kame_rtnode __rcu **pp = &kn->rt_root;

		if (c0 && c1)
			break;
		top = n->plen;
		if (p)
			pp = &p->child[rt_prot(kn, p->child[1]) == n];
		if (c)
			c->parent = p;
		rcu_assign_pointer(*pp, c);
		call_rcu(&n->rcu, rt_node_free_rcu);
		n = p;
	}
	kame_rt_jump_update(kn, &key, top);
}

/* Take rt off its node (which may then go) and free it. rt_lock held. */
static void rt_unlink(struct kame_net *kn, struct kame_rt *rt, bool prune)
{
	struct kame_rtnode *n = rt->node;
	struct kame_rt __rcu **pp = &n->routes;

	while (rt_prot(kn, *pp) != rt)
		pp = &rt_prot(kn, *pp)->next;
	rcu_assign_pointer(*pp, rt_prot(kn, rt->next));
	if (rt->flags & KAME_RTF_MPATH)
		list_del(&rt->mp);
	kn->rt_count--;
	WRITE_ONCE(kn->rt_gen, kn->rt_gen + 1);
	call_rcu(&rt->rcu, rt_free_rcu);
	if (prune)
		rt_prune(kn, n);
}

/* Take every next hop of the multipath route of n off; n may go. */
static void rt_mpath_unlink(struct kame_net *kn, struct kame_rtnode *n)
{
	struct kame_rt *rt, *next;

	for (rt = rt_prot(kn, n->routes); rt; rt = next) {
		next = rt_prot(kn, rt->next);
		if (rt->flags & KAME_RTF_MPATH)
			rt_unlink(kn, rt, false);
	}
	rt_prune(kn, n);
}

/* Remove the multipath route of pfx/plen (masked), if any. RTNL. */
void kame_rt_mpath_del(struct kame_net *kn, const struct in6_addr *pfx,
		       u8 plen)
{
	struct kame_rtnode *n;

	spin_lock_bh(&kn->rt_lock);
	n = rt_node(kn, pfx, plen);
	if (n)
		rt_mpath_unlink(kn, n);
	spin_unlock_bh(&kn->rt_lock);
}

static struct kame_rt *rt_find(struct kame_net *kn, struct kame_rtnode *n,
			       const struct kame_if *kif)
{
	struct kame_rt *rt;

	for (rt = n ? rt_prot(kn, n->routes) : NULL; rt;
	     rt = rt_prot(kn, rt->next))
		if (rt->kif == kif && !(rt->flags & KAME_RTF_MPATH))
			return rt;
	return NULL;
}

/* A next hop of a multipath route: the same interface and gateway. */
static struct kame_rt *rt_find_mp(struct kame_net *kn, struct kame_rtnode *n,
				  const struct kame_if *kif,
				  const struct in6_addr *gw)
{
	struct kame_rt *rt;

	for (rt = n ? rt_prot(kn, n->routes) : NULL; rt;
	     rt = rt_prot(kn, rt->next))
		if ((rt->flags & KAME_RTF_MPATH) && rt->kif == kif &&
		    ipv6_addr_equal(&rt->gw, gw))
			return rt;
	return NULL;
}

/* The next hops of the multipath route of pfx/plen (masked). RTNL. */
unsigned int kame_rt_mpath_count(struct kame_net *kn,
				 const struct in6_addr *pfx, u8 plen)
{
	unsigned int count = 0;
	struct kame_rtnode *n;
	struct kame_rt *rt;

	spin_lock_bh(&kn->rt_lock);
	n = rt_node(kn, pfx, plen);
	for (rt = n ? rt_prot(kn, n->routes) : NULL; rt;
	     rt = rt_prot(kn, rt->next))
		count += !!(rt->flags & KAME_RTF_MPATH);
	spin_unlock_bh(&kn->rt_lock);
	return count;
}

/*
 * KAME's rtrequest(RTM_ADD): a route for pfx/plen (embedded form, masked
 * here) out of kif. A connected route that exists already gains a user.
 * Process context (allocates with GFP_KERNEL).
 */
int kame_rt_add(struct kame_net *kn, const struct in6_addr *pfx, u8 plen,
		struct kame_if *kif, const struct in6_addr *gw, u32 flags,
		struct kame_ifaddr *ifa, struct netlink_ext_ack *extack)
{
	return kame_rt_add_weight(kn, pfx, plen, kif, gw, flags, ifa, 1,
				  extack);
}

/* kame_rt_add() with the weight of a next hop of a multipath route. */
int kame_rt_add_weight(struct kame_net *kn, const struct in6_addr *pfx,
		       u8 plen, struct kame_if *kif, const struct in6_addr *gw,
		       u32 flags, struct kame_ifaddr *ifa, u32 weight,
		       struct netlink_ext_ack *extack)
{
	struct kame_rtnode *spare[2];
	struct kame_rt *rt, *old;
	struct in6_addr key;
	int err = 0;

	ipv6_addr_prefix(&key, pfx, plen);
	rt = kzalloc(sizeof(*rt), GFP_KERNEL_ACCOUNT);
	spare[0] = kmem_cache_zalloc(kame_rtnode_cache, GFP_KERNEL);
	spare[1] = kmem_cache_zalloc(kame_rtnode_cache, GFP_KERNEL);
	if (!rt || !spare[0] || !spare[1]) {
		err = -ENOMEM;
		goto out;
	}
	rt->kif = kif;
	rt->ifa = ifa;
	rt->flags = flags | KAME_RTF_UP;
	if (plen == 128)
		rt->flags |= KAME_RTF_HOST;
	if (gw) {
		rt->gw = *gw;
		rt->flags |= KAME_RTF_GATEWAY;
	}
	rt->users = 1;
	rt->weight = weight;

	spin_lock_bh(&kn->rt_lock);
	if (flags & KAME_RTF_MPATH)
		old = rt_find_mp(kn, rt_node(kn, &key, plen), kif, &rt->gw);
	else
		old = rt_find(kn, rt_node(kn, &key, plen), kif);
	if (old && (old->flags & flags & KAME_RTF_CONNECTED)) {
		old->users++;
	} else if (old) {
		NL_SET_ERR_MSG_MOD(extack,
				   "a route for this prefix through this interface exists already");
		err = -EEXIST;
	} else if (kn->rt_count >= READ_ONCE(kn->rt_max)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "the routing table is full (net.inet6.ip6.rt_max)");
		err = -ENOBUFS;
	} else {
		kame_rt_jump_update(kn, &key,
				    rt_insert(kn, &key, plen, rt, spare));
		kn->rt_count++;
		WRITE_ONCE(kn->rt_gen, kn->rt_gen + 1);
		atomic_inc(&kame_rt_live);
		if (flags & KAME_RTF_MPATH)
			list_add_tail(&rt->mp, &kn->rt_mpath);
		rt = NULL;
	}
	spin_unlock_bh(&kn->rt_lock);
	if (!err)
		kame_rt_jump_grow(kn);
out:
	kfree(rt);
	if (spare[0])
		kmem_cache_free(kame_rtnode_cache, spare[0]);
	if (spare[1])
		kmem_cache_free(kame_rtnode_cache, spare[1]);
	return err;
}

/*
 * KAME's rtrequest(RTM_DELETE): the first route of pfx/plen (masked) out
 * of kif (any if NULL) via gw (any if NULL); all the next hops of a
 * multipath route when neither is given. Local routes go with their
 * address only.
 */
int kame_rt_del(struct kame_net *kn, const struct in6_addr *pfx, u8 plen,
		const struct kame_if *kif, const struct in6_addr *gw,
		struct netlink_ext_ack *extack)
{
	struct kame_rtnode *n;
	struct kame_rt *rt;
	struct in6_addr key;
	int err = -ESRCH;

	ipv6_addr_prefix(&key, pfx, plen);
	spin_lock_bh(&kn->rt_lock);
	n = rt_node(kn, &key, plen);
	for (rt = n ? rt_prot(kn, n->routes) : NULL; rt;
	     rt = rt_prot(kn, rt->next)) {
		if ((kif && rt->kif != kif) ||
		    (gw && (!(rt->flags & KAME_RTF_GATEWAY) ||
			    !ipv6_addr_equal(&rt->gw, gw))))
			continue;
		if (rt->flags & KAME_RTF_LOCAL) {
			NL_SET_ERR_MSG_MOD(extack,
					   "the route of an address of the node goes with the address");
			err = -EINVAL;
		} else if ((rt->flags & KAME_RTF_MPATH) && !kif && !gw) {
			rt_mpath_unlink(kn, n);
			err = 0;
		} else {
			rt_unlink(kn, rt, true);
			err = 0;
		}
		break;
	}
	if (err == -ESRCH)
		NL_SET_ERR_MSG_MOD(extack, "no such route");
	spin_unlock_bh(&kn->rt_lock);
	return err;
}

/*
 * An address made from a router advertisement's prefix (not link-local)
 * has no connected route of its own: the prefix list makes its prefix
 * on-link, or not (L flag clear, or a detached prefix).
 */
static bool rt_ifa_prefix_owned(const struct kame_ifaddr *ifa)
{
	return ifa->plen == 128 ||
	       ((ifa->flags & KAME_ADDR_F_AUTOCONF) &&
		!IN6_IS_ADDR_LINKLOCAL(&ifa->addr));
}

/* The connected prefix of an address; a scoped one keeps its zone. */
static u8 rt_ifa_plen(const struct kame_ifaddr *ifa)
{
	return kame_in6_is_scoped(&ifa->addr) ? max_t(u8, ifa->plen, 32) :
						ifa->plen;
}

/*
 * The routes an address brings (KAME's in6_ifinit, in6_ifaddloop): its
 * local host route and the connected route of its prefix. Under RTNL,
 * before the address is listed.
 */
int kame_rt_ifa_add(struct kame_ifaddr *ifa, struct netlink_ext_ack *extack)
{
	struct kame_if *kif = ifa->kif;
	struct kame_net *kn = kif->kn;
	int err;

	err = kame_rt_add(kn, &ifa->addr, 128, kif, NULL, KAME_RTF_LOCAL, ifa,
			  extack);
	if (err || rt_ifa_prefix_owned(ifa))
		return err;
	err = kame_rt_add(kn, &ifa->addr, rt_ifa_plen(ifa), kif, NULL,
			  KAME_RTF_CONNECTED, NULL, extack);
	if (err)
		kame_rt_ifa_del(ifa);
	return err;
}

/* Undo kame_rt_ifa_add(); routes removed meanwhile are fine. */
void kame_rt_ifa_del(struct kame_ifaddr *ifa)
{
	struct kame_if *kif = ifa->kif;
	struct kame_net *kn = kif->kn;
	struct kame_rtnode *n;
	struct kame_rt *rt;
	struct in6_addr key;

	spin_lock_bh(&kn->rt_lock);
	n = rt_node(kn, &ifa->addr, 128);
	for (rt = n ? rt_prot(kn, n->routes) : NULL; rt;
	     rt = rt_prot(kn, rt->next))
		if (rt->ifa == ifa) {
			rt_unlink(kn, rt, true);
			break;
		}
	if (!rt_ifa_prefix_owned(ifa)) {
		ipv6_addr_prefix(&key, &ifa->addr, rt_ifa_plen(ifa));
		rt = rt_find(kn, rt_node(kn, &key, rt_ifa_plen(ifa)), kif);
		if (rt && (rt->flags & KAME_RTF_CONNECTED) && !--rt->users)
			rt_unlink(kn, rt, true);
	}
	spin_unlock_bh(&kn->rt_lock);
}

/*
 * The on-link route of a prefix of the prefix list (KAME's
 * nd6_prefix_onlink): a connected route flagged RA, shared with the
 * connected route of manual addresses of the prefix. RTNL.
 */
int kame_rt_onlink_add(struct kame_if *kif, const struct in6_addr *pfx,
		       u8 plen)
{
	return kame_rt_add(kif->kn, pfx, plen, kif, NULL,
			   KAME_RTF_CONNECTED | KAME_RTF_RA, NULL, NULL);
}

/* Undo kame_rt_onlink_add() (KAME's nd6_prefix_offlink). RTNL. */
void kame_rt_onlink_del(struct kame_if *kif, const struct in6_addr *pfx,
			u8 plen)
{
	struct kame_net *kn = kif->kn;
	struct kame_rt *rt;
	struct in6_addr key;

	ipv6_addr_prefix(&key, pfx, plen);
	spin_lock_bh(&kn->rt_lock);
	rt = rt_find(kn, rt_node(kn, &key, plen), kif);
	if (rt && (rt->flags & KAME_RTF_CONNECTED) && !--rt->users)
		rt_unlink(kn, rt, true);
	spin_unlock_bh(&kn->rt_lock);
}

/* When the route of pfx/plen out of kif goes (shown in dumps). RTNL. */
void kame_rt_set_expire(struct kame_if *kif, const struct in6_addr *pfx,
			u8 plen, u64 expire)
{
	struct kame_net *kn = kif->kn;
	struct kame_rt *rt;
	struct in6_addr key;

	ipv6_addr_prefix(&key, pfx, plen);
	spin_lock_bh(&kn->rt_lock);
	rt = rt_find(kn, rt_node(kn, &key, plen), kif);
	if (rt && (rt->flags & (KAME_RTF_RA | KAME_RTF_DYNAMIC)))
		WRITE_ONCE(rt->expire, expire);
	spin_unlock_bh(&kn->rt_lock);
}

/* The multicast routes of an attached interface: ff01::%IF, ff02::%IF. */
int kame_rt_ifattach(struct kame_if *kif)
{
	struct in6_addr g = { };
	int err, scope;

	for (scope = 1; scope <= 2; scope++) {
		g.s6_addr[0] = 0xff;
		g.s6_addr[1] = scope;
		kame_in6_setscope(&g, kif->dev->ifindex);
		err = kame_rt_add(kif->kn, &g, 32, kif, NULL, 0, NULL, NULL);
		if (err)
			return err;
	}
	return 0;
}

/* The node after n in prefix order, not below n. rt_lock held. */
static struct kame_rtnode *rt_next_skip(struct kame_net *kn,
					struct kame_rtnode *n)
{
	struct kame_rtnode *p;

	for (; (p = n->parent); n = p)
		if (rt_prot(kn, p->child[0]) == n && rt_prot(kn, p->child[1]))
			return rt_prot(kn, p->child[1]);
	return NULL;
}

/* The node after n in prefix order. rt_lock held. */
static struct kame_rtnode *rt_next(struct kame_net *kn, struct kame_rtnode *n)
{
	return rt_prot(kn, n->child[0]) ?: rt_prot(kn, n->child[1]) ?:
	       rt_next_skip(kn, n);
}

/*
 * Remove every route through kif, or every route if kif is NULL. One walk:
 * pruning a node removes only it and nodes above it, never the next one.
 * The lock is dropped every RT_FLUSH_BATCH nodes; RTNL (or a namespace
 * on its way out) keeps other writers away meanwhile.
 */
static void rt_flush(struct kame_net *kn, const struct kame_if *kif)
{
	struct kame_rtnode *n, *next;
	struct kame_rt *rt, *rnext;
	unsigned int batch = 0;

	spin_lock_bh(&kn->rt_lock);
	for (n = rt_prot(kn, kn->rt_root); n; n = next) {
		if (++batch % RT_FLUSH_BATCH == 0) {
			spin_unlock_bh(&kn->rt_lock);
			cond_resched();
			spin_lock_bh(&kn->rt_lock);
		}
		next = rt_next(kn, n);
		for (rt = rt_prot(kn, n->routes); rt; rt = rnext) {
			rnext = rt_prot(kn, rt->next);
			if (!kif || rt->kif == kif)
				rt_unlink(kn, rt, false);
		}
		rt_prune(kn, n);
	}
	spin_unlock_bh(&kn->rt_lock);
}

/*
 * Detach: every route through kif goes, before the grace period after
 * which nothing may find kif any more.
 */
void kame_rt_ifdetach(struct kame_if *kif)
{
	rt_flush(kif->kn, kif);
}

/* Compare prefixes in walk order: address, then prefix length. */
static int rt_pos_cmp(const struct kame_rtnode *n, const struct kame_rt_pos *pos)
{
	int c = memcmp(&n->key, &pos->key, sizeof(n->key));

	return c ? c : n->plen - pos->plen;
}

/* Is every prefix below n before pos? */
static bool rt_subtree_before(const struct kame_rtnode *n,
			      const struct kame_rt_pos *pos)
{
	struct in6_addr last;
	unsigned int i;

	for (i = 0; i < 16; i++) {
		unsigned int bits = clamp_t(int, (int)n->plen - 8 * (int)i, 0, 8);

		last.s6_addr[i] = n->key.s6_addr[i] | (0xff >> bits);
	}
	return memcmp(&last, &pos->key, sizeof(last)) < 0;
}

int kame_rt_walk(struct kame_net *kn, struct kame_rt_pos *pos,
		 int (*fn)(const struct kame_rt *rt, void *arg), void *arg)
{
	struct kame_rtnode *n = rt_prot(kn, kn->rt_root);
	struct kame_rt *rt;
	int c, ret;
	u32 idx;

	while (n) {
		c = pos->plen < 0 ? 1 : rt_pos_cmp(n, pos);
		if (c < 0) {
			n = rt_subtree_before(n, pos) ? rt_next_skip(kn, n) :
							rt_next(kn, n);
			continue;
		}
		idx = 0;
		for (rt = rt_prot(kn, n->routes); rt;
		     rt = rt_prot(kn, rt->next), idx++) {
			if (!c && idx < pos->idx)
				continue;
			ret = fn(rt, arg);
			if (ret) {
				pos->key = n->key;
				pos->plen = n->plen;
				pos->idx = idx;
				return ret;
			}
		}
		n = rt_next(kn, n);
	}
	return 0;
}

/*
 * KAME's in6_selectroute() for sockets: the interface a packet to dst
 * leaves from, embedding the zone of a scoped dst. scope: the socket
 * address's scope id; bound_if: the zone of the socket's bound address.
 * Caller holds RCU. Counts ip6s_noroute when there is no route.
 */
struct kame_if *kame_rt_output_if(struct kame_net *kn, struct in6_addr *dst,
				  u32 scope, int bound_if, int *err)
{
	struct kame_if *kif = NULL, *rt_kif;
	const struct kame_rt *rt;

	if (kame_in6_is_scoped(dst)) {
		kif = kame_zone_if(kn, scope, bound_if);
		if (!kif) {
			*err = scope || bound_if ? -ENETUNREACH : -EINVAL;
			return NULL;
		}
		kame_in6_setscope(dst, kif->dev->ifindex);
	} else if (bound_if) {
		kif = kame_zone_if(kn, 0, bound_if);
		if (!kif) {
			*err = -ENETUNREACH;
			return NULL;
		}
	}
	/* a multicast packet leaves by the interface asked for */
	if (kif && IN6_IS_ADDR_MULTICAST(dst))
		return kif;
	rt = kame_rt_lookup(kn, dst, kif);
	if (rt)
		return rt->kif;
	/* multicast without a route: the only interface */
	if (IN6_IS_ADDR_MULTICAST(dst) && !kif) {
		kif = kame_zone_if(kn, 0, 0);
		if (kif)
			return kif;
	}
	/* unicast without a route: on-link out of the default interface */
	rt_kif = kame_nd6_defif(kn);
	if (rt_kif && !IN6_IS_ADDR_MULTICAST(dst) && (!kif || kif == rt_kif))
		return rt_kif;
	kame_ip6stat_inc(kn, KAME_IP6S_NOROUTE);
	*err = -ENETUNREACH;
	return NULL;
}

/*
 * The next hop of a unicast packet to dst that kame_ip6_output() was asked
 * to send out of kif (KAME's ip6_output route step). The route through
 * kif is taken when kif has one; else the best route: a reply leaves by
 * the route, not necessarily by the link the request came in on. A local
 * route of any interface wins: that packet is ours. Caller holds RCU.
 */
int kame_rt_nexthop(struct kame_if *kif, const struct in6_addr *dst,
		    struct kame_nexthop *nh)
{
	return kame_rt_nexthop_flow(kif, dst, nh, NULL);
}

/*
 * kame_rt_nexthop() for a packet of flow fl (NULL: dst is all that is
 * known): a multipath route takes the next hop its flow hashes to
 * (route6_mpath.c), whatever kif is.
 */
int kame_rt_nexthop_flow(struct kame_if *kif, const struct in6_addr *dst,
			 struct kame_nexthop *nh, const struct kame_flow *fl)
{
	struct kame_net *kn = kif->kn;
	const struct kame_rt *rt, *mine;
	struct kame_if *def;

	rt = kame_rt_lookup(kn, dst, NULL);
	if (rt && unlikely(rt->flags & KAME_RTF_MPATH)) {
		rt = kame_rt_mpath_select(kn, rt, fl);
	} else if (rt && rt->kif != kif && !(rt->flags & KAME_RTF_LOCAL)) {
		mine = kame_rt_lookup(kn, dst, kif);
		if (mine)
			rt = mine;
	}
	def = rt ? NULL : kame_nd6_defif(kn);
	if (def && !IN6_IS_ADDR_MULTICAST(dst)) {
		nh->kif = def;		/* ndp -I: on-link there */
		nh->addr = *dst;
		nh->host = false;
		nh->type = KAME_NH_RESOLVE;
		return 0;
	}
	if (!rt) {
		kame_ip6stat_inc(kn, KAME_IP6S_NOROUTE);
		return -ENETUNREACH;
	}
	nh->kif = rt->kif;
	nh->addr = *dst;
	nh->host = rt->flags & KAME_RTF_HOST;
	if (rt->flags & KAME_RTF_LOCAL) {
		nh->type = KAME_NH_LOOP;
	} else if (rt->flags & KAME_RTF_REJECT) {
		kame_ip6stat_inc(kn, KAME_IP6S_NOROUTE);
		nh->type = KAME_NH_REJECT;
	} else if (rt->flags & KAME_RTF_BLACKHOLE) {
		nh->type = KAME_NH_BLACKHOLE;
	} else {
		nh->type = KAME_NH_RESOLVE;
		if (rt->flags & KAME_RTF_GATEWAY)
			nh->addr = rt->gw;
	}
	return 0;
}

struct net_device *kame_family_route_dev(struct net *net,
					 const struct in6_addr *dst)
{
	const struct kame_rt *rt;

	if (kame_in6_is_scoped(dst))
		return NULL;
	rt = kame_rt_lookup(kame_net(net), dst, NULL);
	if (!rt || (rt->flags & (KAME_RTF_LOCAL | KAME_RTF_REJECT |
				 KAME_RTF_BLACKHOLE)))
		return NULL;
	return rt->kif->dev;
}
EXPORT_SYMBOL_GPL(kame_family_route_dev);

/*
 * A packet to one of our own addresses (IPv6 header at skb->data): queue
 * it for our input as if received on kif (KAME's looutput). Bounded by
 * net.inet6.ip6.intr_queue_maxlen (ip6s_odropped beyond).
 */
int kame_rt_loop(struct kame_if *kif, struct sk_buff *skb)
{
	struct kame_net *kn = kif->kn;

	skb_orphan(skb);
	memset(skb->cb, 0, sizeof(skb->cb));
	skb->dev = kif->dev;
	skb->protocol = htons(ETH_P_IPV6);
	skb->pkt_type = PACKET_HOST;
	__net_timestamp(skb);	/* it arrives now, for SO_TIMESTAMP* */
	spin_lock_bh(&kn->lo_q.lock);
	if (skb_queue_len(&kn->lo_q) >= READ_ONCE(kn->lo_qmax)) {
		spin_unlock_bh(&kn->lo_q.lock);
		kame_ip6stat_inc(kn, KAME_IP6S_ODROPPED);
		kfree_skb(skb);
		return -ENOBUFS;
	}
	__skb_queue_tail(&kn->lo_q, skb);
	spin_unlock_bh(&kn->lo_q.lock);
	queue_work(system_wq, &kn->lo_work);
	return 0;
}

/* Feed looped packets to our input, with BH off as on the wire. */
static void kame_rt_lo_work(struct work_struct *work)
{
	struct kame_net *kn = container_of(work, struct kame_net, lo_work);
	struct sk_buff *skb;
	struct kame_if *kif;
	int n = 0;

	local_bh_disable();
	while (n++ < LO_BATCH && (skb = skb_dequeue(&kn->lo_q))) {
		rcu_read_lock();
		kif = kame_if_find(kn, skb->dev);
		if (kif) {
			kame_ip6_input_kif(kif, skb);
		} else {	/* detached meanwhile */
			kame_ip6stat_inc(kn, KAME_IP6S_ODROPPED);
			kfree_skb(skb);
		}
		rcu_read_unlock();
	}
	local_bh_enable();
	if (!skb_queue_empty(&kn->lo_q))
		queue_work(system_wq, &kn->lo_work);
}

/* Drop the looped packets of kif (detach, after the grace period). */
void kame_rt_lo_purge(struct kame_if *kif)
{
	struct kame_net *kn = kif->kn;
	struct sk_buff *skb, *tmp;
	struct sk_buff_head dead;

	__skb_queue_head_init(&dead);
	spin_lock_bh(&kn->lo_q.lock);
	skb_queue_walk_safe(&kn->lo_q, skb, tmp)
		if (skb->dev == kif->dev) {
			__skb_unlink(skb, &kn->lo_q);
			__skb_queue_tail(&dead, skb);
		}
	spin_unlock_bh(&kn->lo_q.lock);
	__skb_queue_purge(&dead);
}

/*
 * The hook for TCP (a later issue): is the destination of skb, received
 * on kif, one of the node's anycast addresses? A TCP SYN to one is answered
 * with kame_icmp6_error(kif, skb, ICMPV6_DEST_UNREACH, ICMPV6_ADDR_UNREACH,
 * 0), which sends from a unicast address (seed 004, "TCP toward anycast
 * addresses"). Caller holds RCU.
 */
bool kame_rt_anycast_dst(struct kame_if *kif, const struct sk_buff *skb)
{
	struct in6_addr dst = ipv6_hdr(skb)->daddr;
	const struct kame_rt *rt;

	kame_in6_setscope(&dst, kif->dev->ifindex);
	rt = kame_rt_lookup(kif->kn, &dst, NULL);
	return rt && (rt->flags & KAME_RTF_LOCAL) &&
	       (READ_ONCE(rt->ifa->flags) & KAME_ADDR_F_ANYCAST);
}

int kame_rt_init_net(struct kame_net *kn)
{
	spin_lock_init(&kn->rt_lock);
	RCU_INIT_POINTER(kn->rt_root, NULL);
	kn->rt_max = RT_DEFAULT_MAX;
	kn->lo_qmax = LO_DEFAULT_QMAX;
	kame_rt_mpath_init_net(kn);
	skb_queue_head_init(&kn->lo_q);
	INIT_WORK(&kn->lo_work, kame_rt_lo_work);
	return 0;
}

/* After every interface of the namespace was detached. */
void kame_rt_exit_net(struct kame_net *kn)
{
	cancel_work_sync(&kn->lo_work);
	skb_queue_purge(&kn->lo_q);
	if (kn->rt_count)
		pr_err("leak: %u routes left in a namespace being removed\n",
		       kn->rt_count);
	rt_flush(kn, NULL);
	kame_rt_jump_free(kn);
}

int kame_rt_init(void)
{
	/* SLAB_ACCOUNT: a namespace's routes are charged to its memcg */
	kame_rtnode_cache = kmem_cache_create("kame_rtnode",
					      sizeof(struct kame_rtnode), 0,
					      SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT,
					      NULL);
	if (!kame_rtnode_cache)
		return -ENOMEM;
	if (kame_rt_jump_init()) {
		kmem_cache_destroy(kame_rtnode_cache);
		return -ENOMEM;
	}
	return 0;
}

void kame_rt_exit(void)
{
	rcu_barrier();		/* pending frees */
	if (atomic_read(&kame_rt_live) || atomic_read(&kame_rtnode_live))
		pr_err("leak: %d routes and %d trie nodes left at unload\n",
		       atomic_read(&kame_rt_live),
		       atomic_read(&kame_rtnode_live));
	kmem_cache_destroy(kame_rtnode_cache);
	kame_rt_jump_exit();
}
