/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Neighbor cache internals, shared by nd6.c (the cache and its state
 * machine) and nd6_nl.c (its netlink side).
 */
#ifndef _KAME_ND6_H
#define _KAME_ND6_H

#include <linux/rhashtable.h>
#include <linux/refcount.h>
#include "kame.h"

/* The hash key: one entry per (interface, address in embedded form). */
struct kame_nd_key {
	struct kame_if *kif;
	struct in6_addr addr;
};

/*
 * A neighbor cache entry (KAME's llinfo_nd6). Every field but the
 * reference count is protected by kn->nd_lock. The table holds one
 * reference, a pending timer another; the memory is freed after an RCU
 * grace period once the last one is dropped.
 */
struct kame_llinfo {
	struct rhash_head node;		/* kn->nd_table */
	struct kame_nd_key key;
	struct list_head lru;		/* kn->nd_lru or kn->nd_manual */
	refcount_t ref;
	u8 lladdr[ETH_ALEN];
	u8 state;			/* KAME_ND_* */
	u8 asked;			/* solicitations sent in this state */
	bool dead;			/* unlinked from the table */
	u32 flags;			/* KAME_ND_F_* */
	u32 byhint;			/* hints since the last confirmation */
	unsigned long expire;		/* jiffies of the next change, 0 none */
	unsigned long used;		/* jiffies of the last use or update */
	struct sk_buff_head hold;	/* packets waiting for resolution */
	u32 hold_bytes;			/* their truesize, in kn->nd_holdbytes */
	struct timer_list timer;
	struct rcu_head rcu;
};

#define KAME_ND_F_MANUAL	(KAME_ND_F_STATIC | KAME_ND_F_TEMP | \
				 KAME_ND_F_PROXY)

extern const struct rhashtable_params kame_nd_params;

int kame_nd6_add_manual(struct kame_if *kif, const struct in6_addr *addr,
			const u8 *lladdr, u32 flags, u32 lifetime);
int kame_nd6_del(struct kame_if *kif, const struct in6_addr *addr);
void kame_nd6_flush(struct kame_net *kn, struct kame_if *kif, bool manual);

#endif /* _KAME_ND6_H */
