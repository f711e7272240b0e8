/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Routing table internals, shared by route6.c (the table) and route6_nl.c
 * (its netlink side).
 */
#ifndef _KAME_ROUTE6_H
#define _KAME_ROUTE6_H

#include "kame.h"

/*
 * A node of the trie: a prefix (key masked to plen) and the routes for
 * exactly that prefix, or none for a node that only branches. Every node
 * below it extends its prefix; child[b] continues with bit plen equal to
 * b. Readers follow child[] and routes under RCU; writers (kn->rt_lock)
 * also use parent.
 */
struct kame_rtnode {
	/* what a lookup reads, in the first 48 bytes (one cache line) */
	struct in6_addr key;
	struct kame_rtnode __rcu *child[2];
	struct kame_rt __rcu *routes;
	u8 plen;
	/* writers only */
	struct kame_rtnode *parent;
	struct rcu_head rcu;
};

/* Where a walk resumes: the routes before (key, plen) and idx routes of
 * that node were seen already. plen -1: from the start.
 */
struct kame_rt_pos {
	struct in6_addr key;
	int plen;
	u32 idx;
};

/*
 * Call fn for each route at or after pos, in prefix order (address, then
 * prefix length), under kn->rt_lock, until fn returns non-zero; pos then
 * names the route fn refused. Returns fn's verdict or 0 at the end.
 */
int kame_rt_walk(struct kame_net *kn, struct kame_rt_pos *pos,
		 int (*fn)(const struct kame_rt *rt, void *arg), void *arg);

/* Multipath routes (route6_mpath.c) */
int kame_rt_add_weight(struct kame_net *kn, const struct in6_addr *pfx,
		       u8 plen, struct kame_if *kif, const struct in6_addr *gw,
		       u32 flags, struct kame_ifaddr *ifa, u32 weight,
		       struct netlink_ext_ack *extack);
unsigned int kame_rt_mpath_count(struct kame_net *kn,
				 const struct in6_addr *pfx, u8 plen);
void kame_rt_mpath_del(struct kame_net *kn, const struct in6_addr *pfx,
		       u8 plen);
void kame_rt_mpath_init_net(struct kame_net *kn);

/* A next hop of a multipath route being added. */
struct kame_rt_nh {
	struct kame_if *kif;
	struct in6_addr gw;	/* embedded form */
	u32 weight;
};

int kame_rt_mpath_add(struct kame_net *kn, const struct in6_addr *pfx,
		      u8 plen, const struct kame_rt_nh *nhs, unsigned int n,
		      struct netlink_ext_ack *extack);

/* The jump table of a large routing table (route6_jump.c). */
struct kame_rtnode *kame_rt_jump_start(struct kame_net *kn,
				       const struct in6_addr *dst,
				       struct kame_rtnode **best);
void kame_rt_jump_update(struct kame_net *kn, const struct in6_addr *key,
			 unsigned int plen);
void kame_rt_jump_grow(struct kame_net *kn);
void kame_rt_jump_free(struct kame_net *kn);
int kame_rt_jump_init(void);
void kame_rt_jump_exit(void);

#endif /* _KAME_ROUTE6_H */
