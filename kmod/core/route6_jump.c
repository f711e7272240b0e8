// SPDX-License-Identifier: GPL-2.0
/*
 * The routing table's jump table: a lookup in a large table starts K bits
 * down the trie, or K + 8 where the trie is dense, instead of at its root.
 *
 * A table of full-Internet size is dense near its root: with a BGP-like
 * mix of 100,000 prefixes a lookup passes some 6 of its 16 or so trie
 * nodes before bit 16, and 10 before bit 20. Slot j of the jump table
 * (one for each value of the first K bits of an address) holds what a
 * walk for an address that starts with j knows once it has passed those
 * nodes:
 *
 *   start  the first node of prefix length K or more on the path, if its
 *          first K bits are j: the walk goes on there (comparing its
 *          prefix); NULL when the path ends before one or parts from j
 *   best   the deepest node with routes and a prefix shorter than K bits
 *          on the path (it covers every address of the slot), or NULL
 *
 * Where the prefixes of one slot are many (RT_SUB_NODES trie nodes or more
 * between bits K and K + 8), the slot's start is a sub-table instead
 * (tagged in its lowest bit, which a node's alignment leaves free): 256
 * slots of the same kind for the next 8 bits of the address, whose best
 * includes the nodes above K. Such a lookup reads two slots and skips
 * the walk through the top of the slot's subtree, some 4 to 6 nodes and
 * as many cache misses. A sub-table is 4 KiB from its own slab cache
 * (accounted), allocated without sleeping under the table's lock; when
 * that fails the slot points at its node as without one.
 *
 * K grows with the table: 16 bits (65536 slots, 1 MiB) once a namespace
 * holds RT_JUMP_MIN routes, 20 bits (16 MiB) once it holds RT_JUMP_BIG;
 * it never shrinks while the namespace lives. A node is in no slot but
 * those of its own prefix, so writers (kn->rt_lock) refresh the slots of
 * the highest node a change added, removed or gave or took routes from
 * (a whole sub-table for a change inside one). A reader may meet a slot
 * half refreshed, whose nodes and sub-table are still valid (freed after
 * a grace period) and whose best may have lost its routes meanwhile,
 * which kame_rt_lookup() takes as no match and looks again from the root.
 */
#include <linux/vmalloc.h>
#include "route6.h"

#define RT_JUMP_MIN	1024	/* routes before a 16-bit jump table */
#define RT_JUMP_BIG	65536	/* routes before a 20-bit one */
#define RT_JUMP_MAXBITS	20
#define RT_SUB_BITS	8	/* address bits a sub-table resolves */
#define RT_SUB_NODES	8	/* nodes in them before a slot gets one */
#define RT_SUB_TAG	1UL	/* a slot's start that is a sub-table */

struct kame_rt_jump_slot {
	struct kame_rtnode __rcu *start;	/* or a tagged sub-table */
	struct kame_rtnode __rcu *best;
};

struct kame_rt_jump_sub {
	struct kame_rt_jump_slot slot[1 << RT_SUB_BITS];
	struct list_head list;		/* the jump table's sub-tables */
	struct rcu_head rcu;
};

struct kame_rt_jump {
	struct rcu_head rcu;
	struct list_head subs;		/* under kn->rt_lock */
	unsigned int bits;		/* K */
	struct kame_rt_jump_slot slot[];
};

/* Filling one table: the top one (bits 0 .. K - 1) or a sub-table. */
struct rt_jfill {
	struct kame_net *kn;
	struct kame_rt_jump *jt;
	struct kame_rt_jump_slot *slot;
	unsigned int base;	/* the table's slots are address bits */
	unsigned int k;		/* base .. k - 1 */
};

static struct kmem_cache *kame_rt_sub_cache;
static atomic_t kame_rt_sub_live = ATOMIC_INIT(0);

#define rt_prot(kn, p)	rcu_dereference_protected(p, \
						  lockdep_is_held(&(kn)->rt_lock))

/* The first 32 bits of a, and a mask of the first d of them. */
static u32 rt_a32(const struct in6_addr *a)
{
	return ntohl(a->s6_addr32[0]);
}

static u32 rt_mask(unsigned int d)
{
	return d ? ~0u << (32 - d) : 0;
}

/* The slot of f's table for an address whose first 32 bits are x. */
static u32 rt_jump_idx(const struct rt_jfill *f, u32 x)
{
	return (x << f->base) >> (32 - (f->k - f->base));
}

static struct kame_rt_jump_sub *rt_sub_of(const struct kame_rtnode *p)
{
	unsigned long v = (unsigned long)p;

	return v & RT_SUB_TAG ? (struct kame_rt_jump_sub *)(v & ~RT_SUB_TAG) :
				NULL;
}

static void rt_sub_free_rcu(struct rcu_head *head)
{
	kmem_cache_free(kame_rt_sub_cache,
			container_of(head, struct kame_rt_jump_sub, rcu));
	atomic_dec(&kame_rt_sub_live);
}

static void rt_sub_drop(struct kame_rt_jump_sub *sub)
{
	list_del(&sub->list);
	call_rcu(&sub->rcu, rt_sub_free_rcu);
}

/* Slots from .. from + cnt - 1: no node to go on to, best so far. */
static void rt_jump_set(struct rt_jfill *f, u32 from, u32 cnt,
			struct kame_rtnode *best)
{
	struct kame_rt_jump_sub *sub;
	u32 i;

	for (i = from; i < from + cnt; i++) {
		sub = rt_sub_of(rt_prot(f->kn, f->slot[i].start));
		RCU_INIT_POINTER(f->slot[i].start, NULL);
		rcu_assign_pointer(f->slot[i].best, best);
		if (sub)
			rt_sub_drop(sub);
	}
}

/*
 * Are there at least want nodes above bit end in the subtree of n? Visits
 * at most want nodes, recursing at most end - n->plen deep.
 */
static unsigned int rt_jump_count(struct kame_net *kn, struct kame_rtnode *n,
				  unsigned int end, unsigned int want)
{
	unsigned int c;

	if (!n || n->plen >= end || !want)
		return 0;
	c = 1 + rt_jump_count(kn, rt_prot(kn, n->child[0]), end, want - 1);
	if (c < want)
		c += rt_jump_count(kn, rt_prot(kn, n->child[1]), end, want - c);
	return c;
}

static void rt_jump_fill(struct rt_jfill *f, struct kame_rtnode *n,
			 struct kame_rtnode *best, u32 addr, unsigned int d);

/*
 * Slot ki of f's table goes on to n (prefix length k or more); in the top
 * table through a sub-table, filled before it is published, where n's
 * subtree is dense.
 */
static void rt_jump_place(struct rt_jfill *f, u32 ki, struct kame_rtnode *n,
			  struct kame_rtnode *best)
{
	struct kame_rt_jump_slot *s = &f->slot[ki];
	struct kame_rt_jump_sub *sub = rt_sub_of(rt_prot(f->kn, s->start));
	struct rt_jfill sf = { .kn = f->kn, .jt = f->jt, .base = f->k,
			       .k = f->k + RT_SUB_BITS };
	bool fresh = !sub;

	if (f->base == 0 && rt_jump_count(f->kn, n, sf.k, RT_SUB_NODES) ==
			    RT_SUB_NODES) {
		if (fresh)
			sub = kmem_cache_zalloc(kame_rt_sub_cache,
						GFP_NOWAIT | __GFP_NOWARN);
		if (sub) {
			sf.slot = sub->slot;
			rt_jump_fill(&sf, n, best,
				     rt_a32(&n->key) & rt_mask(f->k), f->k);
			rcu_assign_pointer(s->best, best);
			if (fresh) {
				atomic_inc(&kame_rt_sub_live);
				list_add(&sub->list, &f->jt->subs);
				rcu_assign_pointer(s->start, (struct kame_rtnode *)
						   ((unsigned long)sub | RT_SUB_TAG));
			}
			return;
		}
	}
	rcu_assign_pointer(s->best, best);
	rcu_assign_pointer(s->start, n);
	if (sub)
		rt_sub_drop(sub);
}

/*
 * Fill the slots of f's table for the addresses that agree with addr in
 * their first d bits (base <= d <= k) for a walk that stands on n (prefix
 * length d or more) with best so far; each slot is written once. Recurses
 * once per trie node of prefix length below k on the way down, so at most
 * k - d + 1 deep (and a sub-table's RT_SUB_BITS + 1 more).
 */
static void rt_jump_fill(struct rt_jfill *f, struct kame_rtnode *n,
			 struct kame_rtnode *best, u32 addr, unsigned int d)
{
	u32 lo = rt_jump_idx(f, addr), cnt = 1u << (f->k - d);
	u32 key, ki, sub, subcnt;

	/* a node that parts from these slots above bit d ends the walk */
	if (n && (rt_a32(&n->key) ^ addr) & rt_mask(d))
		n = NULL;
	if (!n) {
		rt_jump_set(f, lo, cnt, best);
		return;
	}
	key = rt_a32(&n->key);
	if (n->plen >= f->k) {
		/* only the slot of its first k bits may go on to it */
		ki = rt_jump_idx(f, key);
		rt_jump_set(f, lo, ki - lo, best);
		rt_jump_place(f, ki, n, best);
		rt_jump_set(f, ki + 1, lo + cnt - ki - 1, best);
		return;
	}
	/* the slots that agree with n down to its length go on below it */
	sub = rt_jump_idx(f, key);
	subcnt = 1u << (f->k - n->plen);
	rt_jump_set(f, lo, sub - lo, best);
	rt_jump_set(f, sub + subcnt, lo + cnt - sub - subcnt, best);
	if (rcu_access_pointer(n->routes))
		best = n;
	rt_jump_fill(f, rt_prot(f->kn, n->child[0]), best, key, n->plen + 1);
	rt_jump_fill(f, rt_prot(f->kn, n->child[1]), best,
		     key | 1u << (31 - n->plen), n->plen + 1);
}

static void rt_jump_refresh(struct kame_net *kn, struct kame_rt_jump *jt,
			    const struct in6_addr *key, unsigned int plen)
{
	struct rt_jfill f = { .kn = kn, .jt = jt, .slot = jt->slot,
			      .k = jt->bits };
	struct kame_rtnode *n = rt_prot(kn, kn->rt_root), *best = NULL;
	unsigned int d = min(plen, jt->bits);
	u32 addr = rt_a32(key) & rt_mask(d);

	/* the walk to the first node at or below bit d */
	while (n && n->plen < d &&
	       !((rt_a32(&n->key) ^ addr) & rt_mask(n->plen))) {
		if (rcu_access_pointer(n->routes))
			best = n;
		n = rt_prot(kn, n->child[(addr >> (31 - n->plen)) & 1]);
	}
	if (n && n->plen < d)
		n = NULL;	/* parts from the slots above them */
	rt_jump_fill(&f, n, best, addr, d);
}

/*
 * Refresh the slots of the addresses that start with key/plen after a
 * change at or below the node of that prefix (the whole table for plen
 * 0). Under kn->rt_lock.
 */
void kame_rt_jump_update(struct kame_net *kn, const struct in6_addr *key,
			 unsigned int plen)
{
	struct kame_rt_jump *jt = rt_prot(kn, kn->rt_jump);

	if (jt)
		rt_jump_refresh(kn, jt, key, plen);
}

/* A jump table no reader sees any more, with its sub-tables. */
static void rt_jump_free_rcu(struct rcu_head *head)
{
	struct kame_rt_jump *jt = container_of(head, struct kame_rt_jump, rcu);
	struct kame_rt_jump_sub *sub, *tmp;

	list_for_each_entry_safe(sub, tmp, &jt->subs, list) {
		kmem_cache_free(kame_rt_sub_cache, sub);
		atomic_dec(&kame_rt_sub_live);
	}
	kvfree(jt);
}

/*
 * Give kn a jump table, or a larger one, when its routes call for it.
 * Process context, without kn->rt_lock (allocates, charged to the
 * caller's memory cgroup); fills and publishes it under the lock.
 */
void kame_rt_jump_grow(struct kame_net *kn)
{
	struct kame_rt_jump *jt, *old;
	u32 count = READ_ONCE(kn->rt_count);
	unsigned int bits;

	bits = count >= RT_JUMP_BIG ? RT_JUMP_MAXBITS :
	       count >= RT_JUMP_MIN ? 16 : 0;
	rcu_read_lock();
	old = rcu_dereference(kn->rt_jump);
	if (old && old->bits >= bits)
		bits = 0;
	rcu_read_unlock();
	if (!bits)
		return;
	jt = kvzalloc(struct_size(jt, slot, 1u << bits), GFP_KERNEL_ACCOUNT);
	if (!jt)
		return;		/* lookups go on as before */
	jt->bits = bits;
	INIT_LIST_HEAD(&jt->subs);
	spin_lock_bh(&kn->rt_lock);
	old = rt_prot(kn, kn->rt_jump);
	if (!old || old->bits < bits) {
		rt_jump_refresh(kn, jt, &in6addr_any, 0);
		rcu_assign_pointer(kn->rt_jump, jt);
		jt = NULL;
	} else {
		old = NULL;
	}
	spin_unlock_bh(&kn->rt_lock);
	kvfree(jt);
	if (old)
		call_rcu(&old->rcu, rt_jump_free_rcu);
}

/*
 * Where a lookup for dst starts: the node it goes on from and the best
 * node before it, or the root and NULL without a jump table. Under RCU
 * (or kn->rt_lock, or RTNL).
 */
struct kame_rtnode *kame_rt_jump_start(struct kame_net *kn,
				       const struct in6_addr *dst,
				       struct kame_rtnode **best)
{
	struct kame_rt_jump *jt = rcu_dereference_check(kn->rt_jump,
			lockdep_is_held(&kn->rt_lock) || lockdep_rtnl_is_held());
	struct kame_rt_jump_sub *sub;
	struct kame_rt_jump_slot *s;
	struct kame_rtnode *start;
	u32 x = rt_a32(dst);

	if (!jt) {
		*best = NULL;
		return rcu_dereference_check(kn->rt_root,
			lockdep_is_held(&kn->rt_lock) || lockdep_rtnl_is_held());
	}
	s = &jt->slot[x >> (32 - jt->bits)];
	start = rcu_dereference_check(s->start,
			lockdep_is_held(&kn->rt_lock) || lockdep_rtnl_is_held());
	sub = rt_sub_of(start);
	if (sub) {
		s = &sub->slot[(x << jt->bits) >> (32 - RT_SUB_BITS)];
		start = rcu_dereference_check(s->start,
			lockdep_is_held(&kn->rt_lock) || lockdep_rtnl_is_held());
	}
	*best = rcu_dereference_check(s->best,
			lockdep_is_held(&kn->rt_lock) || lockdep_rtnl_is_held());
	return start;
}

/* The namespace goes: its jump table after the last reader. */
void kame_rt_jump_free(struct kame_net *kn)
{
	struct kame_rt_jump *jt = rcu_replace_pointer(kn->rt_jump, NULL, true);

	if (jt)
		call_rcu(&jt->rcu, rt_jump_free_rcu);
}

int kame_rt_jump_init(void)
{
	/* SLAB_ACCOUNT: charged to the memcg of who added the routes */
	kame_rt_sub_cache = kmem_cache_create("kame_rtjump",
					      sizeof(struct kame_rt_jump_sub),
					      0, SLAB_HWCACHE_ALIGN |
					      SLAB_ACCOUNT, NULL);
	return kame_rt_sub_cache ? 0 : -ENOMEM;
}

/* After rcu_barrier(): every table freed. */
void kame_rt_jump_exit(void)
{
	if (atomic_read(&kame_rt_sub_live))
		pr_err("leak: %d jump sub-tables left at unload\n",
		       atomic_read(&kame_rt_sub_live));
	kmem_cache_destroy(kame_rt_sub_cache);
}
