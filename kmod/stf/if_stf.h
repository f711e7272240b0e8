/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The stf 6to4 interface (KAME's if_stf.c): what its files share.
 */
#ifndef _KAME_IF_STF_H
#define _KAME_IF_STF_H

#include <linux/netdevice.h>
#include <linux/in6.h>
#include "uapi/linux/kame_stf.h"

#define STF_TTL_DEFAULT		30	/* KAME's ip_gif_ttl */
#define STF_MTU_DEFAULT		1280	/* IPV6_MMTU, stf(4) */
#define STF_MTU_MAX		(65535 - 20)

/* stf0: the private part of its net_device. */
struct kame_stf {
	struct net_device *dev;
	u32 flags;			/* STF_F_* */
	u8 ttl;
	atomic_long_t stat[IFLA_STF_STAT_MAX + 1];
};

/* The namespace's stf, at most one (stf(4)). */
struct stf_net {
	struct kame_stf __rcu *stf;	/* RCU, RTNL */
};

/* The node's 6to4 address on stf0 (KAME's stf_getsrcifa6()). */
struct stf_src {
	struct net *net;
	__be32 v4;		/* embedded, an IPv4 address of this node */
	__be32 mask;		/* the peers' IPv4 /N (prefix length 16 + N) */
};

struct stf_net *stf_net(const struct net *net);
void stf_drop(struct kame_stf *s, struct sk_buff *skb, int stat);
bool stf_getsrc(struct net_device *dev, struct stf_src *src);
int stf_output(struct net_device *dev, struct sk_buff *skb,
	       const struct in6_addr *nexthop);

/* in_stf.c: the abuse filters and the input */
static inline bool stf_is_6to4(const struct in6_addr *a)
{
	return a->s6_addr16[0] == htons(0x2002);
}

/* The IPv4 address in 2002:V4ADDR::/48 (bytes 2-5, network order). */
static inline __be32 stf_embedded(const struct in6_addr *a)
{
	__be32 v4;

	memcpy(&v4, &a->s6_addr[2], sizeof(v4));
	return v4;
}

int stf_check4(struct net *net, u32 flags, __be32 a);
int stf_in_init(void);
void stf_in_exit(void);

/* stf_nl.c: the rtnetlink link kind */
extern struct rtnl_link_ops stf_link_ops;
void stf_setup(struct net_device *dev);

#endif /* _KAME_IF_STF_H */
