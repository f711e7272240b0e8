/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The gif tunnel interface (KAME's if_gif.h): what its files share.
 */
#ifndef _KAME_IF_GIF_H
#define _KAME_IF_GIF_H

#include <linux/netdevice.h>
#include <linux/in6.h>
#include "uapi/linux/kame_gif.h"

#define GIF_TTL_DEFAULT		30	/* KAME's GIF_TTL and GIF_HLIM */
#define GIF_MTU_DEFAULT		1280	/* KAME's GIF_MTU */
#define GIF_MTU_MAX		65535
#define GIF_HASH_BITS		6

/* The outer addresses, replaced whole (RCU) when they change. */
struct gif_path {
	struct rcu_head rcu;
	sa_family_t family;		/* AF_INET or AF_INET6 */
	union {
		__be32 v4;
		struct in6_addr v6;
	} local, remote;
};

/* A gif: the private part of its net_device. */
struct kame_gif {
	struct net_device *dev;
	struct list_head list;		/* the namespace's gifs (RTNL) */
	struct hlist_node hnode;	/* by outer addresses, when set */
	struct gif_path __rcu *path;	/* NULL: no outer addresses */
	u32 flags;			/* GIF_F_* */
	u8 ttl;
	atomic_long_t stat[IFLA_GIF_STAT_MAX + 1];
};

/* The gifs of a network namespace. */
struct gif_net {
	struct list_head gifs;		/* RTNL */
	struct hlist_head hash[1 << GIF_HASH_BITS];	/* RCU, RTNL */
};

extern unsigned int gif_max_nesting;

struct gif_net *gif_net(const struct net *net);
struct kame_gif *gif_lookup4(struct net *net, __be32 local, __be32 remote);
void gif_drop(struct kame_gif *g, struct sk_buff *skb, int stat);
void gif_rx(struct kame_gif *g, struct sk_buff *skb, __be16 proto);

/* gif_nl.c: the rtnetlink link kind */
extern struct rtnl_link_ops gif_link_ops;
void gif_setup(struct net_device *dev);
void gif_unhash(struct kame_gif *g);
void gif_set_path(struct kame_gif *g, struct gif_path *p);

u32 gif_hash4(__be32 local, __be32 remote);

/* in6_gif.c: IPv6 outside */
u32 gif_hash(const struct gif_path *p);
void gif_output6(struct kame_gif *g, const struct gif_path *p,
		 struct sk_buff *skb, u8 proto, u8 tos);
int gif_in6_init(void);
void gif_in6_exit(void);

/* in_gif.c: IPv4 outside */
void gif_output4(struct kame_gif *g, const struct gif_path *p,
		struct sk_buff *skb, u8 proto, u8 tos);
int gif_in4_init(void);
void gif_in4_exit(void);

#endif /* _KAME_IF_GIF_H */
