// SPDX-License-Identifier: GPL-2.0
/*
 * The prefix list of a host and stateless address autoconfiguration
 * (KAME's nd6_rtr.c prelist_update, nd6_prefix_onlink; RFC 4861 6.3.4,
 * RFC 4862 5.5.3). Each prefix keeps the routers that advertised it. A
 * prefix with the L flag is on-link (a connected route flagged RA) while
 * it is attached; with the A flag and a /64 it gives the interface an
 * address of its interface identifier, with DAD and the advertised
 * lifetimes (the two-hour rule of 5.5.3 e for updates).
 *
 * Attached and detached prefixes (the 004 paper): when some prefix has an
 * advertising router that is probably reachable (a neighbor cache entry
 * with an address) and another one has none, the other one is detached:
 * its on-link route goes and its addresses are flagged DETACHED, which
 * source address selection skips. It is attached again as soon as one
 * of its routers is reachable, or no prefix has a reachable router.
 *
 * Everything runs under RTNL (ra_work, rtr_work, netlink, detach).
 */
#include <linux/rtnetlink.h>
#include <net/ndisc.h>
#include "kame.h"

#define ND_PI_L			0x80	/* on-link */
#define ND_PI_A			0x40	/* autonomous */
#define ND_TWO_HOURS		7200	/* s, RFC 4862 5.5.3 e */
#define ND_IFID_PLEN		64	/* the interface identifiers we make */

static struct kame_nd_prefix *prefix_find(struct kame_net *kn,
					  const struct kame_if *kif,
					  const struct in6_addr *pfx, u8 plen)
{
	struct kame_nd_prefix *pr;

	list_for_each_entry(pr, &kn->prefixes, list)
		if (pr->kif == kif && pr->plen == plen &&
		    ipv6_addr_equal(&pr->prefix, pfx))
			return pr;
	return NULL;
}

u32 kame_prefix_refcnt(const struct kame_nd_prefix *pr)
{
	const struct kame_ifaddr *ifa;
	u32 n = 0;

	list_for_each_entry(ifa, &pr->kif->addrs, list)
		n += kame_prefix_ifa(ifa, &pr->prefix, pr->plen);
	return n;
}

static void pfxrtr_add(struct kame_nd_prefix *pr, const struct in6_addr *a)
{
	struct kame_pfxrouter *r;

	list_for_each_entry(r, &pr->routers, list)
		if (ipv6_addr_equal(&r->addr, a))
			return;
	if (pr->nrouters >= READ_ONCE(pr->kif->kn->nd_maxdefrouters))
		return;
	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r)
		return;
	r->addr = *a;
	list_add_tail(&r->list, &pr->routers);
	pr->nrouters++;
}

/* A router leaves the list: out of the prefixes of its link. */
void kame_pfxrtr_del_all(struct kame_net *kn, const struct kame_if *kif,
			 const struct in6_addr *addr)
{
	struct kame_pfxrouter *r, *tmp;
	struct kame_nd_prefix *pr;

	list_for_each_entry(pr, &kn->prefixes, list) {
		if (pr->kif != kif)
			continue;
		list_for_each_entry_safe(r, tmp, &pr->routers, list)
			if (ipv6_addr_equal(&r->addr, addr)) {
				list_del(&r->list);
				pr->nrouters--;
				kfree(r);
			}
	}
}

/* KAME's prelist_remove; addrs: also the addresses made from it */
void kame_prelist_remove(struct kame_nd_prefix *pr, bool addrs)
{
	struct kame_ifaddr *ifa, *itmp;
	struct kame_pfxrouter *r, *rtmp;

	ASSERT_RTNL();
	if (pr->flags & KAME_PFX_F_INSTALLED)
		kame_rt_onlink_del(pr->kif, &pr->prefix, pr->plen);
	list_for_each_entry_safe(ifa, itmp, &pr->kif->addrs, list) {
		if (!kame_prefix_ifa(ifa, &pr->prefix, pr->plen))
			continue;
		if (addrs)
			kame_ifa_del(ifa);
		else
			kame_ifa_flags_mod(ifa, KAME_ADDR_F_DETACHED, 0);
	}
	list_for_each_entry_safe(r, rtmp, &pr->routers, list) {
		list_del(&r->list);
		kfree(r);
	}
	list_del(&pr->list);
	pr->kif->kn->nprefixes--;
	kfree(pr);
}

/* Remove the prefixes whose valid lifetime is over; any left? */
bool kame_prelist_expire(struct kame_net *kn)
{
	struct kame_nd_prefix *pr, *tmp;
	u64 now = get_jiffies_64();

	list_for_each_entry_safe(pr, tmp, &kn->prefixes, list)
		if (pr->expire && time_after_eq64(now, pr->expire))
			kame_prelist_remove(pr, false);
		else
			kame_tmpaddr_update(pr);
	return !list_empty(&kn->prefixes);
}

/*
 * RFC 4862 5.5.3 d, e: the address of kif made from pfx/64, new or
 * with the lifetimes of this advertisement; then the temporary
 * addresses of the prefix (RFC 8981 3.4), if it is listed (pr).
 */
static void nd6_autoconf(struct kame_if *kif, const struct in6_addr *pfx,
			 u32 vlt, u32 plt, struct kame_nd_prefix *pr)
{
	struct kame_ifaddr *ifa;
	struct in6_addr a;
	u32 left, valid;

	list_for_each_entry(ifa, &kif->addrs, list) {
		if (!kame_prefix_ifa(ifa, pfx, ND_IFID_PLEN) ||
		    (ifa->flags & KAME_ADDR_F_TEMPORARY))
			continue;
		left = kame_ifa_lft_left(ifa->valid_until);
		if (vlt > ND_TWO_HOURS || vlt > left)
			valid = vlt;
		else if (left <= ND_TWO_HOURS)
			valid = left;	/* no shortening below two hours */
		else
			valid = ND_TWO_HOURS;
		kame_ifa_set_lft(ifa, valid, min(plt, valid));
		if (pr)
			kame_tmpaddr_lft(pr, valid, min(plt, valid));
		goto temp;
	}
	if (!vlt)
		return;
	a = *pfx;
	kame_in6_get_ifid(kif, &a.s6_addr[8]);
	if (kame_ifa_add(kif, &a, ND_IFID_PLEN, KAME_ADDR_F_AUTOCONF, vlt, plt,
			 NULL))
		return;
temp:
	if (pr)
		kame_tmpaddr_update(pr);
}

static u64 prefix_until(u32 vlt)
{
	if (vlt == KAME_LFT_INFINITY)
		return 0;
	return get_jiffies_64() + (u64)vlt * HZ + !vlt;
}

/*
 * KAME's prelist_update: one prefix information option (32 bytes,
 * checked on input) of an RA from dr (NULL: router lifetime 0).
 */
void kame_prelist_update(struct kame_if *kif, const u8 *pi,
			 const struct kame_defrouter *dr)
{
	u32 vlt = get_unaligned_be32(pi + 4), plt = get_unaligned_be32(pi + 8);
	struct kame_net *kn = kif->kn;
	struct kame_nd_prefix *pr;
	u8 plen = pi[2], raf = pi[3];
	struct in6_addr pfx, opt;

	memcpy(&opt, pi + 16, sizeof(opt));
	ipv6_addr_prefix(&pfx, &opt, plen);
	/* RFC 4862 5.5.3 b, c; RFC 4861 6.3.4: not for the link-local */
	if (IN6_IS_ADDR_LINKLOCAL(&pfx) || IN6_IS_ADDR_MULTICAST(&pfx) ||
	    plt > vlt) {
		kame_icmp6stat_inc(kn, KAME_ICP6S_PFX_IGNORED);
		return;
	}
	if (!(raf & (ND_PI_L | ND_PI_A)))
		return;
	pr = prefix_find(kn, kif, &pfx, plen);
	if (!pr && vlt) {
		if (kn->nprefixes >= READ_ONCE(kn->nd_maxprefixes)) {
			kame_icmp6stat_inc(kn, KAME_ICP6S_PFX_FULL);
			return;
		}
		pr = kzalloc(sizeof(*pr), GFP_KERNEL_ACCOUNT);
		if (!pr)
			return;
		pr->kif = kif;
		pr->prefix = pfx;
		pr->plen = plen;
		INIT_LIST_HEAD(&pr->routers);
		list_add_tail(&pr->list, &kn->prefixes);
		kn->nprefixes++;
	}
	if (pr) {
		if (raf & ND_PI_L)
			pr->flags |= KAME_PFX_F_ONLINK;
		if (raf & ND_PI_A)
			pr->flags |= KAME_PFX_F_AUTO;
		pr->vltime = vlt;
		pr->pltime = plt;
		pr->expire = prefix_until(vlt);
		if (dr)
			pfxrtr_add(pr, &dr->addr);
	}
	if ((raf & ND_PI_A) && plen == ND_IFID_PLEN)
		nd6_autoconf(kif, &pfx, vlt, plt, pr);
}

/* KAME's find_pfxlist_reachable_router */
static bool prefix_reachable(struct kame_nd_prefix *pr)
{
	struct kame_pfxrouter *r;

	list_for_each_entry(r, &pr->routers, list)
		if (kame_nd6_state(pr->kif, &r->addr) > KAME_ND_INCOMPLETE)
			return true;
	return false;
}

static void prefix_detach(struct kame_nd_prefix *pr, bool detached)
{
	struct kame_ifaddr *ifa;

	if (detached)
		pr->flags |= KAME_PFX_F_DETACHED;
	else
		pr->flags &= ~KAME_PFX_F_DETACHED;
	list_for_each_entry(ifa, &pr->kif->addrs, list)
		if (kame_prefix_ifa(ifa, &pr->prefix, pr->plen))
			kame_ifa_flags_mod(ifa,
					   detached ? 0 : KAME_ADDR_F_DETACHED,
					   detached ? KAME_ADDR_F_DETACHED : 0);
}

/*
 * KAME's pfxlist_onlink_check: which prefixes are detached, and the
 * on-link routes of the attached ones with the L flag.
 */
void kame_pfxlist_onlink_check(struct kame_net *kn)
{
	struct kame_nd_prefix *pr;
	bool any = false, want;

	ASSERT_RTNL();
	list_for_each_entry(pr, &kn->prefixes, list)
		if (prefix_reachable(pr)) {
			any = true;
			break;
		}
	list_for_each_entry(pr, &kn->prefixes, list) {
		prefix_detach(pr, any && !prefix_reachable(pr));
		want = (pr->flags & KAME_PFX_F_ONLINK) &&
		       !(pr->flags & KAME_PFX_F_DETACHED);
		if (want && !(pr->flags & KAME_PFX_F_INSTALLED) &&
		    !kame_rt_onlink_add(pr->kif, &pr->prefix, pr->plen))
			pr->flags |= KAME_PFX_F_INSTALLED;
		else if (!want && (pr->flags & KAME_PFX_F_INSTALLED)) {
			kame_rt_onlink_del(pr->kif, &pr->prefix, pr->plen);
			pr->flags &= ~KAME_PFX_F_INSTALLED;
		}
		if (pr->flags & KAME_PFX_F_INSTALLED)
			kame_rt_set_expire(pr->kif, &pr->prefix, pr->plen,
					   pr->expire);
	}
}
