// SPDX-License-Identifier: GPL-2.0
/*
 * The routing table's jump table: a lookup in a large table starts 16
 * bits down the trie instead of at its root.
 *
 * A table of full-Internet size is dense near its root: with a BGP-like
 * mix of 100,000 prefixes a lookup passes some 6 of its 16 or so trie
 * nodes before bit 16. Slot j of the jump table (one for each value of
 * the first 16 bits of an address) holds what a walk for an address that
 * starts with j knows once it has passed those nodes:
 *
 *   start  the first node of prefix length 16 or more on the path, if
 *          its first 16 bits are j: the walk goes on there (comparing its
 *          prefix); NULL when the path ends before one or parts from j
 *   best   the deepest node with routes and a prefix shorter than 16 bits
 *          on the path (it covers every address of the slot), or NULL
 *
 * The table costs 1 MiB (65536 slots of two pointers), so a namespace
 * gets one only once its routing table holds RT_JUMP_MIN routes; it keeps
 * it until it goes. A node is in no slot but those of its own prefix, so
 * writers (kn->rt_lock) refresh the slots of the highest node a change
 * added, removed or gave or took routes from; a reader may meet a slot half
 * refreshed, whose nodes are still valid (freed after a grace period)
 * and whose best may have lost its routes meanwhile, which
 * kame_rt_lookup() takes as no match and looks again from the root.
 */
#include <linux/vmalloc.h>
#include "route6.h"

#define RT_JUMP_BITS	16
#define RT_JUMP_SLOTS	(1u << RT_JUMP_BITS)
#define RT_JUMP_MIN	1024	/* routes before a namespace gets a jump table */

struct kame_rt_jump_slot {
	struct kame_rtnode __rcu *start;
	struct kame_rtnode __rcu *best;
};

struct kame_rt_jump {
	struct rcu_head rcu;
	struct kame_rt_jump_slot slot[RT_JUMP_SLOTS];
};

#define rt_prot(kn, p)	rcu_dereference_protected(p, \
						  lockdep_is_held(&(kn)->rt_lock))

/* The first 16 bits of a (as the slot number they are). */
static u32 rt_jump_idx(const struct in6_addr *a)
{
	return a->s6_addr[0] << 8 | a->s6_addr[1];
}

/* The first n bits of x (16-bit values), the others zero. */
static u32 rt_jump_top(u32 x, unsigned int n)
{
	return n ? x & (0xffff << (RT_JUMP_BITS - n)) & 0xffff : 0;
}

/*
 * Fill the slots lo .. lo + 2^(16 - bits) - 1 (those that agree with lo
 * in their first `bits` bits) for a walk that stands on n with best so far. Recurses
 * once per trie node of prefix length below 16 on the way down, so at
 * most 17 deep.
 */
static void rt_jump_fill(struct kame_net *kn, struct kame_rt_jump *jt,
			 struct kame_rtnode *n, struct kame_rtnode *best,
			 u32 lo, unsigned int bits)
{
	u32 i, key = 0, cnt = 1u << (RT_JUMP_BITS - bits);

	if (n) {
		key = rt_jump_idx(&n->key);
		/* a node that parts from the slots above bit `bits` ends the walk */
		if (rt_jump_top(key, bits) != rt_jump_top(lo, bits))
			n = NULL;
	}
	for (i = 0; i < cnt; i++) {
		RCU_INIT_POINTER(jt->slot[lo + i].start, NULL);
		rcu_assign_pointer(jt->slot[lo + i].best, best);
	}
	if (!n)
		return;
	if (n->plen >= RT_JUMP_BITS) {
		/* only the slot of its first 16 bits may go on to it */
		rcu_assign_pointer(jt->slot[key].start, n);
		return;
	}
	/* the slots that agree with n down to its length go on below it */
	if (rcu_access_pointer(n->routes))
		best = n;
	lo = rt_jump_top(lo, bits) | (rt_jump_top(key, n->plen) &
				      ~rt_jump_top(0xffff, bits));
	rt_jump_fill(kn, jt, rt_prot(kn, n->child[0]), best, lo, n->plen + 1);
	rt_jump_fill(kn, jt, rt_prot(kn, n->child[1]), best,
		     lo | (0x8000 >> n->plen), n->plen + 1);
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
	struct kame_rtnode *n = rt_prot(kn, kn->rt_root), *best = NULL;
	unsigned int bits = min_t(unsigned int, plen, RT_JUMP_BITS);
	u32 lo = rt_jump_top(rt_jump_idx(key), bits);

	if (!jt)
		return;
	/* the walk to the first node at or below bit `bits` */
	while (n && n->plen < bits &&
	       rt_jump_top(rt_jump_idx(&n->key), n->plen) ==
	       rt_jump_top(lo, n->plen)) {
		if (rcu_access_pointer(n->routes))
			best = n;
		n = rt_prot(kn, n->child[(lo >> (RT_JUMP_BITS - 1 - n->plen)) & 1]);
	}
	if (n && n->plen < bits)
		n = NULL;	/* parts from the slots above them */
	rt_jump_fill(kn, jt, n, best, lo, bits);
}

/*
 * Give kn a jump table once it has RT_JUMP_MIN routes. Process context,
 * without kn->rt_lock (allocates 1 MiB, charged to the caller's memory
 * cgroup); fills it under the lock.
 */
void kame_rt_jump_grow(struct kame_net *kn)
{
	struct kame_rt_jump *jt;

	if (rcu_access_pointer(kn->rt_jump) ||
	    READ_ONCE(kn->rt_count) < RT_JUMP_MIN)
		return;
	jt = kvzalloc(sizeof(*jt), GFP_KERNEL_ACCOUNT);
	if (!jt)
		return;		/* lookups walk from the root, as before */
	spin_lock_bh(&kn->rt_lock);
	if (!rt_prot(kn, kn->rt_jump)) {
		rcu_assign_pointer(kn->rt_jump, jt);
		kame_rt_jump_update(kn, &in6addr_any, 0);
		jt = NULL;
	}
	spin_unlock_bh(&kn->rt_lock);
	kvfree(jt);
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
	s = &jt->slot[rt_jump_idx(dst)];
	*best = rcu_dereference_check(s->best,
			lockdep_is_held(&kn->rt_lock) || lockdep_rtnl_is_held());
	return rcu_dereference_check(s->start,
			lockdep_is_held(&kn->rt_lock) || lockdep_rtnl_is_held());
}

static void rt_jump_free_rcu(struct rcu_head *head)
{
	kvfree(container_of(head, struct kame_rt_jump, rcu));
}

/* The namespace goes: its jump table after the last reader. */
void kame_rt_jump_free(struct kame_net *kn)
{
	struct kame_rt_jump *jt = rcu_replace_pointer(kn->rt_jump, NULL, true);

	if (jt)
		call_rcu(&jt->rcu, rt_jump_free_rcu);
}
