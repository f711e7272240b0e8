// SPDX-License-Identifier: GPL-2.0
/*
 * Attaching the stack to interfaces and following their lifetime.
 *
 * The stack runs only on interfaces the administrator attaches. An attached
 * interface has been taken from Linux's native IPv6 beforehand (its
 * disable_ipv6 knob set, which removes native addresses and neighbour
 * entries and makes the native receive routine drop IPv6): the kame tool
 * does that and records the earlier value here so that detaching can hand
 * the interface back as it was. The module only checks the knob, because a
 * module cannot flip it without calling into net/ipv6. The devices the
 * modules of the family create (gif) are the exception: they set the knob
 * on the device's native state before it is first up, when native IPv6
 * has nothing on it to remove, and attach it (kame_family_ifattach()).
 */
#include <linux/etherdevice.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <linux/siphash.h>
#include "compat.h"
#include <net/addrconf.h>
#include "kame.h"
#include "kame_family.h"

atomic_t kame_live_ifs = ATOMIC_INIT(0);

/* ff0S::ID (all-nodes 1, all-routers 2) of scope S on kif, embedded form */
static void kame_ifgroup(struct kame_if *kif, struct in6_addr *a, u32 scope,
			 u32 id)
{
	ipv6_addr_set(a, htonl(0xff000000 | scope << 16), 0, 0, htonl(id));
	kame_in6_setscope(a, kif->dev->ifindex);
}

/* ff02::1, or ff01::1 (scope 1), of kif in the embedded form */
static void kame_allnodes(struct kame_if *kif, struct in6_addr *a, u32 scope)
{
	kame_ifgroup(kif, a, scope, 1);
}

/* the all-routers groups of RFC 4291 2.8: interface, link and site-local */
static const u8 kame_allrouters_scopes[] = { 1, 2, 5 };

static void kame_allrouters_leave(struct kame_if *kif, unsigned int n)
{
	struct in6_addr a;

	while (n--) {
		kame_ifgroup(kif, &a, kame_allrouters_scopes[n], 2);
		kame_in6_mc_leave(kif, &a);
	}
}

/*
 * KAME notes 1.15.2: a router (net.inet6.ip6.forwarding 1) listens to the
 * all-routers groups on each of its interfaces, a host does not. Brings
 * kif in line with its namespace's knob; a group that cannot be joined
 * (no memory) leaves kif a host, tried again on the next change or
 * attach. Caller holds RTNL.
 */
void kame_in6_routers_sync(struct kame_if *kif)
{
	bool router = READ_ONCE(kif->kn->forwarding);
	struct in6_addr a;
	unsigned int i;

	ASSERT_RTNL();
	if (router == kif->allrouters)
		return;
	if (!router) {
		kame_allrouters_leave(kif, ARRAY_SIZE(kame_allrouters_scopes));
		kif->allrouters = false;
		return;
	}
	for (i = 0; i < ARRAY_SIZE(kame_allrouters_scopes); i++) {
		kame_ifgroup(kif, &a, kame_allrouters_scopes[i], 2);
		if (kame_in6_mc_join(kif, &a)) {
			kame_allrouters_leave(kif, i);
			return;
		}
	}
	kif->allrouters = true;
}

/* net.inet6.ip6.forwarding was set: every interface follows it. */
void kame_in6_forwarding_changed(struct kame_net *kn)
{
	struct kame_if *kif;

	rtnl_lock();
	list_for_each_entry(kif, &kn->ifs, list)
		kame_in6_routers_sync(kif);
	rtnl_unlock();
}

struct kame_if *kame_if_find(struct kame_net *kn, const struct net_device *dev)
{
	struct kame_if *kif;

	list_for_each_entry_rcu(kif, &kn->ifs, list, lockdep_rtnl_is_held())
		if (kif->dev == dev)
			return kif;
	return NULL;
}

static bool kame_native_ipv6_on(struct net_device *dev)
{
	struct inet6_dev *idev = __in6_dev_get(dev);

	return idev && !READ_ONCE(idev->cnf.disable_ipv6);
}

/*
 * A point-to-point link that carries bare IPv6 packets: the device has no
 * way to build a link-layer header (no header_ops->create: GRE with a
 * remote address, sit with a remote, tun in TUN mode; ip_tunnel_header_ops
 * and tun only parse the protocol). A GRE or sit device without a remote
 * (NBMA, with header_ops) is not point-to-point and is refused.
 */
static bool kame_if_l3_p2p(const struct net_device *dev)
{
	return (dev->flags & IFF_POINTOPOINT) &&
	       (!dev->header_ops || !dev->header_ops->create);
}

static bool kame_if_ether(const struct net_device *dev)
{
	return dev->type == ARPHRD_ETHER && dev->addr_len == ETH_ALEN &&
	       dev->header_ops && dev->header_ops->create;
}

static int kame_if_check(struct kame_net *kn, struct net_device *dev,
			 const struct kame_link_ops *lops,
			 struct netlink_ext_ack *extack)
{
	if (kame_if_find(kn, dev)) {
		NL_SET_ERR_MSG_MOD(extack, "interface is already attached");
		return -EEXIST;
	}
	if ((dev->flags & IFF_LOOPBACK) ||
	    (!lops && !kame_if_ether(dev) && !kame_if_l3_p2p(dev))) {
		NL_SET_ERR_MSG_MOD(extack,
				   "only Ethernet and point-to-point interfaces without a link-layer header (gre, sit, tun) can be attached");
		return -EOPNOTSUPP;
	}
	if (dev->ifindex > 0xffff) {
		NL_SET_ERR_MSG_MOD(extack,
				   "interface index does not fit a scope zone id");
		return -EINVAL;
	}
	if (dev->mtu < IPV6_MIN_MTU) {
		NL_SET_ERR_MSG_MOD(extack,
				   "interface MTU is below the IPv6 minimum of 1280");
		return -EINVAL;
	}
	if (kame_native_ipv6_on(dev)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "native IPv6 is on for this interface: set net.ipv6.conf.<dev>.disable_ipv6=1 first");
		return -EBUSY;
	}
	return 0;
}

static void kame_if_free_rcu(struct rcu_head *head)
{
	struct kame_if *kif = container_of(head, struct kame_if, rcu);

	free_percpu(kif->rx_packets);
	kfree(kif);
	atomic_dec(&kame_live_ifs);
}

/*
 * The stable random interface identifier of kif, for links without a MAC
 * (or with an all-zero one), in the spirit of RFC 7217: a keyed hash
 * (SipHash-2-4) of the interface name under a random secret drawn once per
 * network namespace. The same name in the same namespace gets the same id
 * again (detach and attach); another namespace, a module reload or a
 * rename give another one, and nothing of the hardware shows.
 * The u/l bit is clear (a local id, RFC 4291 2.5.1); an id that is zero
 * (the subnet-router anycast) or in the reserved subnet anycast range
 * fdff:ffff:ffff:ff80/121 (RFC 2526, RFC 5453) is hashed again with a
 * counter.
 */
void kame_in6_ifid_random(struct kame_if *kif, u8 *id)
{
	static const u8 anycast[7] = { 0xfd, 0xff, 0xff, 0xff, 0xff, 0xff,
				       0xff };
	struct {
		char name[IFNAMSIZ];
		u32 counter;
	} in = { };
	u64 h;

	strscpy(in.name, kif->dev->name, sizeof(in.name));
	do {
		h = siphash(&in, sizeof(in), &kif->kn->ifid_key);
		put_unaligned_be64(h, id);
		id[0] &= ~0x02;
		in.counter++;
	} while (!memchr_inv(id, 0, 8) ||
		 (!memcmp(id, anycast, 7) && id[7] >= 0x80));
}

/* KAME's in6_ifattach(): start the stack on dev. Caller holds RTNL. */
int kame_in6_ifattach(struct kame_net *kn, struct net_device *dev, u8 saved,
		      const struct kame_link_ops *lops,
		      struct netlink_ext_ack *extack)
{
	struct in6_addr allnodes;
	struct kame_if *kif;
	int err;

	ASSERT_RTNL();
	err = kame_if_check(kn, dev, lops, extack);
	if (err)
		return err;

	kif = kzalloc(sizeof(*kif), GFP_KERNEL_ACCOUNT);
	if (!kif)
		return -ENOMEM;
	kif->rx_packets = alloc_percpu(u64);
	if (!kif->rx_packets) {
		kfree(kif);
		return -ENOMEM;
	}
	atomic_inc(&kame_live_ifs);
	kif->kn = kn;
	kif->dev = dev;
	kif->native_saved = saved;
	kif->nolladdr = lops || !kame_if_ether(dev);
	kif->lops = lops;
	netdev_hold(dev, &kif->dev_tracker, GFP_KERNEL);

	INIT_LIST_HEAD(&kif->addrs);
	INIT_LIST_HEAD(&kif->mcast);
	kif->basereachable = 30000;	/* RFC 4861 REACHABLE_TIME */
	kif->retrans = 1000;		/* RFC 4861 RETRANS_TIMER */
	kif->curhlim = 64;
	kif->dad_transmits = READ_ONCE(kn->dad_count);
	kame_nd6_ifinfo_init(kif);
	if (lops) {	/* FreeBSD's stf: no link-local address, no DAD, NUD */
		kif->dad_transmits = 0;
		kif->nd_flags &= ~(KAME_NDIF_F_AUTO_LINKLOCAL |
				   KAME_NDIF_F_NUD);
	}
	INIT_DELAYED_WORK(&kif->unsol_na_work, kame_nd6_unsol_na_work);
	kame_mld_ifattach(kif);

	/* all-nodes, link-local and interface-local (KAME's in6_ifattach) */
	kame_allnodes(kif, &allnodes, 2);
	err = kame_in6_mc_join(kif, &allnodes);
	if (!err) {
		kame_allnodes(kif, &allnodes, 1);
		err = kame_in6_mc_join(kif, &allnodes);
		if (err) {
			kame_allnodes(kif, &allnodes, 2);
			kame_in6_mc_leave(kif, &allnodes);
		}
	}
	if (err) {
		netdev_put(dev, &kif->dev_tracker);
		free_percpu(kif->rx_packets);
		kfree(kif);
		atomic_dec(&kame_live_ifs);
		return err;
	}
	kif->pt.type = htons(ETH_P_IPV6);
	kif->pt.dev = dev;
	kif->pt.func = kame_ip6_input;
	list_add_tail_rcu(&kif->list, &kn->ifs);
	WRITE_ONCE(kn->gen, kn->gen + 1);
	/* a bridge port, bond slave or macvlan lower device keeps its handler */
	kif->rxh = !netdev_rx_handler_register(dev, kame_ip6_rx_handler, kif);
	if (!kif->rxh)
		dev_add_pack(&kif->pt);
	err = kame_rt_ifattach(kif);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack,
				   "cannot add the multicast routes: routing table full (net.inet6.ip6.rt_max)?");
		kame_in6_ifdetach(kif);
		return err;
	}
	err = kame_in6_auto_linklocal(kif);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "cannot add the link-local address");
		kame_in6_ifdetach(kif);
		return err;
	}
	kame_in6_routers_sync(kif);
	pr_debug("%s: interface attached\n", dev->name);
	return 0;
}

int kame_family_ifattach(struct net_device *dev,
			 struct netlink_ext_ack *extack)
{
	return kame_in6_ifattach(kame_net(dev_net(dev)), dev, 1, NULL,
				 extack);
}
EXPORT_SYMBOL_GPL(kame_family_ifattach);

int kame_family_ifattach_ops(struct net_device *dev,
			     const struct kame_link_ops *ops,
			     struct netlink_ext_ack *extack)
{
	return kame_in6_ifattach(kame_net(dev_net(dev)), dev, 1, ops, extack);
}
EXPORT_SYMBOL_GPL(kame_family_ifattach_ops);

/*
 * KAME's in6_ifdetach(): stop the stack on an interface. Unregistering the
 * rx_handler or the packet_type waits until no CPU runs our handler for it
 * any more; the routes through it go, and a grace period after unlisting
 * it no sender uses it; only then its addresses, neighbors, fragments and
 * looped packets go. Caller holds RTNL.
 */
void kame_in6_ifdetach(struct kame_if *kif)
{
	struct in6_addr allnodes;

	ASSERT_RTNL();
	kame_mld_ifdetach(kif);		/* no reports from here on */
	if (kif->rxh)
		netdev_rx_handler_unregister(kif->dev);
	else
		dev_remove_pack(&kif->pt);
	list_del_rcu(&kif->list);
	WRITE_ONCE(kif->kn->gen, kif->kn->gen + 1);
	kame_rt_ifdetach(kif);
	cancel_delayed_work_sync(&kif->unsol_na_work);
	/*
	 * Senders found kif on the list or in a route under RCU: once they
	 * are done none can add a neighbor entry, a fragment queue or a
	 * looped packet for it any more.
	 */
	synchronize_net();
	kame_nd6_rtr_ifdetach(kif);
	kame_ifa_del_all(kif);
	kame_nd6_purge(kif);
	kame_frag6_purge(kif->kn, kif);
	kame_rt_lo_purge(kif);
	if (kif->allrouters)
		kame_allrouters_leave(kif, ARRAY_SIZE(kame_allrouters_scopes));
	kame_allnodes(kif, &allnodes, 1);
	kame_in6_mc_leave(kif, &allnodes);
	kame_allnodes(kif, &allnodes, 2);
	kame_in6_mc_leave(kif, &allnodes);
	kame_in6_mc_purge(kif);		/* and the sockets' groups */
	pr_debug("%s: interface detached\n", kif->dev->name);
	netdev_put(kif->dev, &kif->dev_tracker);
	call_rcu(&kif->rcu, kame_if_free_rcu);
}

/*
 * The device MTU is the link MTU (read on every packet). Below the IPv6
 * minimum the stack stops on the interface, as if ND6_IFF_IFDISABLED were
 * set (KAME only logs; Linux disables IPv6 there too), and starts again,
 * with DAD, once the MTU is back at 1280 or more.
 */
static void kame_if_mtu(struct kame_if *kif)
{
	struct net_device *dev = kif->dev;
	bool small = READ_ONCE(dev->mtu) < IPV6_MIN_MTU;

	if (small == kif->mtu_small)
		return;
	WRITE_ONCE(kif->mtu_small, small);
	if (small) {
		pr_info("%s: MTU %u is below 1280: IPv6 stopped on the interface\n",
			dev->name, dev->mtu);
		return;
	}
	pr_info("%s: MTU %u: IPv6 running again on the interface\n",
		dev->name, dev->mtu);
	if (!kame_if_disabled(kif))
		kame_in6_dad_restart(kif);
}

/* Follow the life of attached devices. Called under RTNL. */
static int kame_netdev_event(struct notifier_block *nb, unsigned long event,
			     void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct kame_if *kif = kame_if_find(kame_net(dev_net(dev)), dev);

	if (!kif)
		return NOTIFY_DONE;
	switch (event) {
	case NETDEV_UNREGISTER:
		kame_in6_ifdetach(kif);
		break;
	case NETDEV_UP:
		/* the link may have changed while down: DAD again */
		if (!kame_if_disabled(kif)) {
			kame_in6_dad_restart(kif);
			/* KAME's in6_if_up(): a link-local address if none */
			if (kame_in6_auto_linklocal(kif))
				pr_info("%s: cannot add the link-local address\n",
					dev->name);
		}
		kame_mld_restart(kif);	/* groups joined while down */
		/* NAs for a change made while down: once DAD is done */
		if (READ_ONCE(kif->unsol_na_left))
			mod_delayed_work(system_wq, &kif->unsol_na_work,
					 msecs_to_jiffies(kif->retrans *
							  (kif->dad_transmits + 1)) +
					 HZ / 10);
		break;
	case NETDEV_CHANGEADDR:
		kame_nd6_unsol_na_start(kif);
		break;
	case NETDEV_CHANGEMTU:
		kame_if_mtu(kif);
		break;
	}
	return NOTIFY_DONE;
}

static struct notifier_block kame_netdev_nb = {
	.notifier_call = kame_netdev_event,
};

int kame_ifattach_init(void)
{
	return register_netdevice_notifier(&kame_netdev_nb);
}

void kame_ifattach_exit(void)
{
	/*
	 * Unregistering the notifier replays NETDEV_UNREGISTER for every
	 * device in every namespace, which detaches all interfaces.
	 */
	unregister_netdevice_notifier(&kame_netdev_nb);
	rcu_barrier();
}
