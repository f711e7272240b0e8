// SPDX-License-Identifier: GPL-2.0
/*
 * The stack's addresses (KAME's in6.c / in6_ifattach.c): the address list
 * of each attached interface, the link-local address made at attach time,
 * the node's own multicast groups and source address selection.
 *
 * Lists are changed under RTNL and read under RCU. Address flags change in
 * softirq context (DAD) and are read with READ_ONCE.
 */
#include <linux/etherdevice.h>
#include <linux/rtnetlink.h>
#include "kame.h"

/* The solicited-node group of a (embedded, on kif) */
static void kame_solicited_node(struct kame_if *kif, const struct in6_addr *a,
				struct in6_addr *sn)
{
	ipv6_addr_set(sn, htonl(0xff020000), 0, htonl(1),
		      htonl(0xff000000) | a->s6_addr32[3]);
	kame_in6_setscope(sn, kif->dev->ifindex);
}

struct kame_ifaddr *kame_ifa_find(struct kame_if *kif,
				  const struct in6_addr *addr)
{
	struct kame_ifaddr *ifa;

	list_for_each_entry_rcu(ifa, &kif->addrs, list, lockdep_rtnl_is_held())
		if (ipv6_addr_equal(&ifa->addr, addr))
			return ifa;
	return NULL;
}

/*
 * Any address of the namespace; the zone of a scoped one picks its link.
 * A lookup of its local route in the routing table. Caller holds RCU or
 * RTNL.
 */
struct kame_ifaddr *kame_ifa_lookup(struct kame_net *kn,
				    const struct in6_addr *addr)
{
	return kame_rt_local_ifa(kn, addr);
}

/*
 * Lifetimes are kept as 64-bit jiffies: a finite one may be up to
 * 0xfffffffe seconds, which is more than 2^32 jiffies at any HZ (a year
 * is 7.9e9 at HZ 250), so secs * HZ in unsigned long or u32 arithmetic
 * would wrap (a one-year lifetime ended within months) and a 32-bit
 * jiffies comparison would wrap after 2^31.
 */
static u64 lft_until(u32 secs)
{
	if (secs == KAME_LFT_INFINITY)
		return 0;
	return get_jiffies_64() + (u64)secs * HZ + !secs;
}

static bool lft_over(u64 until)
{
	return until && time_after_eq64(get_jiffies_64(), until);
}

/*
 * New lifetimes of an address (a router advertisement's, RFC 4862
 * 5.5.3 e): a preferred lifetime again makes it preferred. RTNL.
 */
void kame_ifa_set_lft(struct kame_ifaddr *ifa, u32 valid, u32 preferred)
{
	ASSERT_RTNL();
	WRITE_ONCE(ifa->valid_until, lft_until(valid));
	WRITE_ONCE(ifa->preferred_until, lft_until(preferred));
	if (preferred)
		kame_ifa_flags_mod(ifa, KAME_ADDR_F_DEPRECATED, 0);
	else
		kame_ifa_flags_mod(ifa, 0, KAME_ADDR_F_DEPRECATED);
	mod_delayed_work(system_wq, &ifa->kif->kn->lft_work, HZ);
}

/* Seconds left of a lifetime, for dumps. */
u32 kame_ifa_lft_left(u64 until)
{
	u64 now = get_jiffies_64();

	if (!until)
		return KAME_LFT_INFINITY;
	if (time_after_eq64(now, until))
		return 0;
	/* at most 0xfffffffe s were given: the result fits */
	return div_u64(until - now + HZ - 1, HZ);
}

/*
 * Once a second while some address has a finite lifetime: deprecate the
 * addresses past their preferred lifetime and remove those past their
 * valid one (RFC 4862 5.5.4).
 */
void kame_in6_lft_work(struct work_struct *work)
{
	struct kame_net *kn = container_of(to_delayed_work(work),
					   struct kame_net, lft_work);
	struct kame_ifaddr *ifa, *tmp;
	struct kame_if *kif;
	bool more = false;

	rtnl_lock();
	list_for_each_entry(kif, &kn->ifs, list) {
		list_for_each_entry_safe(ifa, tmp, &kif->addrs, list) {
			if (lft_over(ifa->valid_until)) {
				kame_ifa_del(ifa);
				continue;
			}
			if (lft_over(ifa->preferred_until))
				kame_ifa_flags_mod(ifa, 0,
						   KAME_ADDR_F_DEPRECATED);
			else if (ifa->preferred_until)
				more = true;
			if (ifa->valid_until)
				more = true;
		}
	}
	if (more)
		schedule_delayed_work(&kn->lft_work, HZ);
	rtnl_unlock();
}

int kame_ifa_add(struct kame_if *kif, const struct in6_addr *addr, u8 plen,
		 u32 flags, u32 valid, u32 preferred,
		 struct netlink_ext_ack *extack)
{
	struct kame_ifaddr *ifa;
	struct in6_addr sn;
	int err;

	ASSERT_RTNL();
	if (kame_ifa_find(kif, addr)) {
		NL_SET_ERR_MSG_MOD(extack, "address is already configured");
		return -EEXIST;
	}
	if (kif->lops && kif->lops->addr_check) {
		struct in6_addr plain = *addr;

		kame_in6_clearscope(&plain);
		err = kif->lops->addr_check(kif->dev, &plain, plen, extack);
		if (err)
			return err;
	}
	ifa = kzalloc(sizeof(*ifa), GFP_KERNEL_ACCOUNT);
	if (!ifa)
		return -ENOMEM;
	ifa->kif = kif;
	ifa->addr = *addr;
	ifa->plen = plen;
	ifa->flags = flags;
	ifa->valid_until = lft_until(valid);
	ifa->preferred_until = lft_until(preferred);
	if (!preferred)
		ifa->flags |= KAME_ADDR_F_DEPRECATED;
	/* tentative from the start: never usable before DAD (RFC 4862 5.4) */
	if (kif->dad_transmits && !(flags & KAME_ADDR_F_ANYCAST))
		ifa->flags |= KAME_ADDR_F_TENTATIVE;
	timer_setup(&ifa->dad_timer, kame_nd6_dad_timer, 0);

	kame_solicited_node(kif, addr, &sn);
	err = kame_in6_mc_join(kif, &sn);
	if (err) {
		kfree(ifa);
		return err;
	}
	err = kame_rt_ifa_add(ifa, extack);	/* local and connected routes */
	if (err) {
		kame_in6_mc_leave(kif, &sn);
		kfree(ifa);
		return err;
	}
	list_add_tail_rcu(&ifa->list, &kif->addrs);
	kame_nd6_dad_start(ifa);
	if (ifa->valid_until || ifa->preferred_until)
		mod_delayed_work(system_wq, &kif->kn->lft_work, HZ);
	pr_debug("%s: address %pI6c/%u added\n", kif->dev->name, addr, plen);
	return 0;
}

void kame_ifa_del(struct kame_ifaddr *ifa)
{
	struct kame_if *kif = ifa->kif;
	struct in6_addr sn;

	ASSERT_RTNL();
	list_del_rcu(&ifa->list);
	kame_rt_ifa_del(ifa);
	del_timer_sync(&ifa->dad_timer);
	kame_solicited_node(kif, &ifa->addr, &sn);
	kame_in6_mc_leave(kif, &sn);
	pr_debug("%s: address %pI6c removed\n", kif->dev->name, &ifa->addr);
	kfree_rcu(ifa, rcu);
}

void kame_ifa_del_all(struct kame_if *kif)
{
	struct kame_ifaddr *ifa, *tmp;

	list_for_each_entry_safe(ifa, tmp, &kif->addrs, list)
		kame_ifa_del(ifa);
}

/*
 * The link-local address of an attached interface (KAME's
 * in6_ifattach_linklocal): fe80::/64 with the interface identifier of
 * kame_in6_get_ifid(), also that of the addresses made from router
 * advertisements: the modified EUI-64 one of the MAC (RFC 4291 2.5.1),
 * or, on a link without a MAC (point-to-point) or with an all-zero one,
 * the stable random identifier of kame_in6_ifid_random().
 */
void kame_in6_get_ifid(struct kame_if *kif, u8 *id)
{
	const u8 *mac = kif->dev->dev_addr;

	kif->ifid_random = kif->nolladdr || is_zero_ether_addr(mac);
	if (kif->ifid_random) {
		kame_in6_ifid_random(kif, id);
		return;
	}
	id[0] = mac[0] ^ 0x02;
	id[1] = mac[1];
	id[2] = mac[2];
	id[3] = 0xff;
	id[4] = 0xfe;
	id[5] = mac[3];
	id[6] = mac[4];
	id[7] = mac[5];
}

int kame_in6_ifattach_linklocal(struct kame_if *kif)
{
	struct in6_addr ll = { };

	ll.s6_addr[0] = 0xfe;
	ll.s6_addr[1] = 0x80;
	kame_in6_get_ifid(kif, &ll.s6_addr[8]);
	kame_in6_setscope(&ll, kif->dev->ifindex);
	return kame_ifa_add(kif, &ll, 64, KAME_ADDR_F_AUTOCONF, KAME_LFT_INFINITY,
			    KAME_LFT_INFINITY, NULL);
}

/*
 * FreeBSD's ND6_IFF_AUTO_LINKLOCAL: while the flag is on, an interface
 * that has no link-local address gets the EUI-64 one (attach, NETDEV_UP,
 * ndp -i IF auto_linklocal). The flag of a new interface comes from
 * net.inet6.ip6.auto_linklocal. Caller holds RTNL.
 */
int kame_in6_auto_linklocal(struct kame_if *kif)
{
	struct kame_ifaddr *ifa;

	ASSERT_RTNL();
	if (!(READ_ONCE(kif->nd_flags) & KAME_NDIF_F_AUTO_LINKLOCAL))
		return 0;
	list_for_each_entry(ifa, &kif->addrs, list)
		if (IN6_IS_ADDR_LINKLOCAL(&ifa->addr))
			return 0;
	return kame_in6_ifattach_linklocal(kif);
}

/* May ifa be the source of a packet: not tentative, duplicated, anycast */
bool kame_ifa_usable(const struct kame_ifaddr *ifa)
{
	return !(READ_ONCE(ifa->flags) & (KAME_ADDR_F_TENTATIVE |
					  KAME_ADDR_F_DUPLICATED |
					  KAME_ADDR_F_ANYCAST));
}

int kame_family_foreach_addr(struct net_device *dev,
			     int (*fn)(void *arg, const struct in6_addr *addr,
				       u8 plen, bool usable),
			     void *arg)
{
	struct kame_net *kn = kame_net(dev_net(dev));
	const struct kame_ifaddr *ifa;
	struct in6_addr plain;
	struct kame_if *kif;
	int ret;

	list_for_each_entry_rcu(kif, &kn->ifs, list) {
		if (kif->dev != dev)
			continue;
		list_for_each_entry_rcu(ifa, &kif->addrs, list) {
			plain = ifa->addr;
			kame_in6_clearscope(&plain);
			ret = fn(arg, &plain, ifa->plen, kame_ifa_usable(ifa));
			if (ret)
				return ret;
		}
		break;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(kame_family_foreach_addr);

/*
 * Source address for dst (embedded form) out of kif, among the addresses
 * of kif, by the rules of RFC 6724 (in6_src.c). Sockets choose among the
 * addresses of every interface (kame_in6_selectsrc). Caller holds RCU or
 * RTNL.
 */
const struct kame_ifaddr *kame_in6_select_src(struct kame_if *kif,
					      const struct in6_addr *dst)
{
	return kame_in6_selectsrc(kif, dst, false, 0);
}

/*
 * Is dst (embedded form) on the link of kif: does kif have a route for it
 * without a gateway (a connected or interface route, or a local one)?
 */
bool kame_in6_onlink(struct kame_if *kif, const struct in6_addr *dst)
{
	const struct kame_rt *rt;
	bool onlink;

	rcu_read_lock();
	rt = kame_rt_lookup(kif->kn, dst, kif);
	onlink = rt && !(rt->flags & (KAME_RTF_GATEWAY | KAME_RTF_REJECT |
				      KAME_RTF_BLACKHOLE));
	rcu_read_unlock();
	return onlink;
}

/*
 * Run DAD again on every address of kif, duplicated ones included (KAME's
 * in6_if_up): the interface came up, or its MTU is back at 1280 or more,
 * so the link may hold other nodes now. Caller holds RTNL.
 */
void kame_in6_dad_restart(struct kame_if *kif)
{
	struct kame_ifaddr *ifa;

	ASSERT_RTNL();
	list_for_each_entry(ifa, &kif->addrs, list) {
		if (READ_ONCE(ifa->flags) & KAME_ADDR_F_ANYCAST)
			continue;
		del_timer_sync(&ifa->dad_timer);
		kame_ifa_flags_mod(ifa, KAME_ADDR_F_DUPLICATED, 0);
		ifa->dad_dup = false;
		kame_nd6_dad_start(ifa);
		kame_nd6stat_inc(kif->kn, KAME_ND6S_DAD_RESTART);
	}
}
