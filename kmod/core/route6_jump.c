// SPDX-License-Identifier: GPL-2.0
/*
 * The routing table's jump table: a lookup in a large table starts K bits
 * down the trie instead of at its root.
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
 * K grows with the table: 16 bits (65536 slots, 1 MiB) once a namespace
 * holds RT_JUMP_MIN routes, 20 bits (16 MiB) once it holds RT_JUMP_BIG;
 * it never shrinks while the namespace lives. A node is in no slot but
 * those of its own prefix, so writers (kn->rt_lock) refresh the slots of
 * the highest node a change added, removed or gave or took routes from.
 * A reader may meet a slot half refreshed, whose nodes are still valid
 * (freed after a grace period) and whose best may have lost its routes
 * meanwhile, which kame_rt_lookup() takes as no match and looks again
 * from the root.
 */
#include <linux/vmalloc.h>
#include "route6.h"

#define RT_JUMP_MIN	1024	/* routes before a 16-bit jump table */
#define RT_JUMP_BIG	65536	/* routes before a 20-bit one */
#define RT_JUMP_MAXBITS	20

struct kame_rt_jump_slot {
	struct kame_rtnode __rcu *start;
	struct kame_rtnode __rcu *best;
};

struct kame_rt_jump {
	struct rcu_head rcu;
	unsigned int bits;		/* K */
	struct kame_rt_jump_slot slot[];
};

#define rt_prot(kn, p)	rcu_dereference_protected(p, \
						  lockdep_is_held(&(kn)->rt_lock))

/* The first 24 bits of a, left-aligned in 24 bits. */
static u32 rt_jump_addr(const struct in6_addr *a)
{
	return a->s6_addr[0] << 16 | a->s6_addr[1] << 8 | a->s6_addr[2];
}

/* The slot of the first k bits of a. */
static u32 rt_jump_idx(const struct in6_addr *a, unsigned int k)
{
	return rt_jump_addr(a) >> (24 - k);
}

/* The first n bits of the k-bit slot number x, the others zero. */
static u32 rt_jump_top(u32 x, unsigned int n, unsigned int k)
{
	return n ? x & (~0u << (k - n)) & ((1u << k) - 1) : 0;
}

/* Slots from .. from + cnt - 1: no node to go on to, best so far. */
static void rt_jump_set(struct kame_rt_jump *jt, u32 from, u32 cnt,
			struct kame_rtnode *best)
{
	u32 i;

	for (i = from; i < from + cnt; i++) {
		RCU_INIT_POINTER(jt->slot[i].start, NULL);
		rcu_assign_pointer(jt->slot[i].best, best);
	}
}

/*
 * Fill the slots lo .. lo + 2^(K - bits) - 1 (those that agree with lo
 * in their first `bits` bits) for a walk that stands on n with best so
 * far; each slot is written once. Recurses once per trie node of prefix
 * length below K on the way down, so at most K + 1 deep.
 */
static void rt_jump_fill(struct kame_net *kn, struct kame_rt_jump *jt,
			 struct kame_rtnode *n, struct kame_rtnode *best,
			 u32 lo, unsigned int bits)
{
	unsigned int k = jt->bits;
	u32 key = 0, cnt = 1u << (k - bits), sub, subcnt;

	if (n) {
		key = rt_jump_idx(&n->key, k);
		/* a node that parts from the slots above bit `bits` ends the walk */
		if (rt_jump_top(key, bits, k) != rt_jump_top(lo, bits, k))
			n = NULL;
	}
	if (!n || n->plen >= k) {
		rt_jump_set(jt, lo, cnt, best);
		/* only the slot of its first K bits may go on to it */
		if (n)
			rcu_assign_pointer(jt->slot[key].start, n);
		return;
	}
	/* the slots that agree with n down to its length go on below it */
	sub = lo | (rt_jump_top(key, n->plen, k) & ~rt_jump_top(~0u, bits, k));
	subcnt = 1u << (k - n->plen);
	rt_jump_set(jt, lo, sub - lo, best);
	rt_jump_set(jt, sub + subcnt, lo + cnt - sub - subcnt, best);
	if (rcu_access_pointer(n->routes))
		best = n;
	rt_jump_fill(kn, jt, rt_prot(kn, n->child[0]), best, sub, n->plen + 1);
	rt_jump_fill(kn, jt, rt_prot(kn, n->child[1]), best,
		     sub | (1u << (k - 1 - n->plen)), n->plen + 1);
}

static void rt_jump_refresh(struct kame_net *kn, struct kame_rt_jump *jt,
			    const struct in6_addr *key, unsigned int plen)
{
	struct kame_rtnode *n = rt_prot(kn, kn->rt_root), *best = NULL;
	unsigned int k = jt->bits, bits = min(plen, k);
	u32 lo = rt_jump_top(rt_jump_idx(key, k), bits, k);

	/* the walk to the first node at or below bit `bits` */
	while (n && n->plen < bits &&
	       rt_jump_top(rt_jump_idx(&n->key, k), n->plen, k) ==
	       rt_jump_top(lo, n->plen, k)) {
		if (rcu_access_pointer(n->routes))
			best = n;
		n = rt_prot(kn, n->child[(lo >> (k - 1 - n->plen)) & 1]);
	}
	if (n && n->plen < bits)
		n = NULL;	/* parts from the slots above them */
	rt_jump_fill(kn, jt, n, best, lo, bits);
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

static void rt_jump_free_rcu(struct rcu_head *head)
{
	kvfree(container_of(head, struct kame_rt_jump, rcu));
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
	struct kame_rt_jump_slot *s;

	if (!jt) {
		*best = NULL;
		return rcu_dereference_check(kn->rt_root,
			lockdep_is_held(&kn->rt_lock) || lockdep_rtnl_is_held());
	}
	s = &jt->slot[rt_jump_idx(dst, jt->bits)];
	*best = rcu_dereference_check(s->best,
			lockdep_is_held(&kn->rt_lock) || lockdep_rtnl_is_held());
	return rcu_dereference_check(s->start,
			lockdep_is_held(&kn->rt_lock) || lockdep_rtnl_is_held());
}

/* The namespace goes: its jump table after the last reader. */
void kame_rt_jump_free(struct kame_net *kn)
{
	struct kame_rt_jump *jt = rcu_replace_pointer(kn->rt_jump, NULL, true);

	if (jt)
		call_rcu(&jt->rcu, rt_jump_free_rcu);
}
