/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KAME IPv6 stack for Linux: definitions shared by the module's files.
 *
 * Locking: the control plane (attach, detach, netdevice events) runs under
 * RTNL. The per-namespace interface list is written under RTNL and read
 * under RCU by the data path and by dumps.
 */
#ifndef _KAME_H
#define _KAME_H

#include <linux/list.h>
#include <linux/netdevice.h>
#include <linux/percpu.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>
#include <uapi/linux/kame.h>

struct kame_ip6stat {
	u64 cnt[__KAME_IP6S_MAX];
};

/* Per network namespace state. */
struct kame_net {
	struct net *net;
	struct list_head ifs;		/* struct kame_if; RTNL, RCU */
	unsigned int gen;		/* bumped on every change of ifs */
	struct kame_ip6stat __percpu *ip6stat;
};

/* An interface the stack runs on (KAME's per-interface extra data). */
struct kame_if {
	struct list_head list;
	struct net_device *dev;
	netdevice_tracker dev_tracker;
	struct kame_net *kn;
	struct packet_type pt;		/* our ETH_P_IPV6 handler on dev */
	u64 __percpu *rx_packets;
	u8 native_saved;
	struct rcu_head rcu;
};

extern int kame_family;
extern unsigned int kame_net_id;
extern atomic_t kame_live_ifs;

static inline struct kame_net *kame_net(const struct net *net)
{
	return net_generic(net, kame_net_id);
}

static inline void kame_ip6stat_inc(struct kame_net *kn, enum kame_ip6stat_id i)
{
	this_cpu_inc(kn->ip6stat->cnt[i]);
}

u64 kame_stat_sum(const u64 __percpu *base, unsigned int idx);

/* netns.c */
int kame_netns_init(void);
void kame_netns_exit(void);

/* af_kame.c */
int kame_af_init(void);
void kame_af_exit(void);

/* in6_ifattach.c */
struct kame_if *kame_if_find(struct kame_net *kn, const struct net_device *dev);
int kame_in6_ifattach(struct kame_net *kn, struct net_device *dev, u8 saved,
		      struct netlink_ext_ack *extack);
void kame_in6_ifdetach(struct kame_if *kif);
int kame_ifattach_init(void);
void kame_ifattach_exit(void);

/* ip6_input.c */
int kame_ip6_input(struct sk_buff *skb, struct net_device *dev,
		   struct packet_type *pt, struct net_device *orig_dev);

/* netlink.c */
int kame_genl_init(void);
void kame_genl_exit(void);

#endif /* _KAME_H */
