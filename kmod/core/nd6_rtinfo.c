// SPDX-License-Identifier: GPL-2.0
/*
 * Route Information options of router advertisements (RFC 4191 2.3, 3.1:
 * a type C host). With net.inet6.ip6.accept_rtinfo (default 0, as
 * Linux's accept_ra_rt_info_max_plen) a route information option of an
 * accepted RA adds a route to its prefix via the advertising router,
 * flagged RA, that goes when its route lifetime ends (0 at once). The
 * option was checked on input (nd6_rtr.c: 8 to 24 bytes, enough for its
 * prefix length, at most 128). Ignored: the reserved preference (10),
 * prefix lengths above net.inet6.ip6.rtinfo_max_plen, ::/0 (the router
 * lifetime makes default routes), link-local and multicast prefixes.
 *
 * Each (interface, prefix, router) is listed, at most
 * net.inet6.ip6.rtinfo_max entries (else icp6s_rio_full); the route of a
 * prefix on an interface goes through the listed router of the highest
 * preference (the installed one among equals). A static route of that
 * prefix on that interface wins. Flushing the router list (ndp -R)
 * removes them too. Everything runs under RTNL.
 */
#include <linux/rtnetlink.h>
#include "kame.h"

#define RIO_PRF(f)		(((f) >> 3) & 3)
#define RIO_PRF_RESERVED	2	/* binary 10 */

static void rtinfo_uninstall(struct kame_rtinfo *ri)
{
	if (!ri->installed)
		return;
	kame_rt_del(ri->kif->kn, &ri->prefix, ri->plen, ri->kif, &ri->router,
		    NULL);
	ri->installed = false;
}

/* The route of prefix/plen on kif: through the best listed router. */
static void rtinfo_select(struct kame_net *kn, const struct kame_if *kif,
			  const struct in6_addr *prefix, u8 plen)
{
	struct kame_rtinfo *ri, *cur = NULL, *best = NULL;

	list_for_each_entry(ri, &kn->rtinfos, list) {
		if (ri->kif != kif || ri->plen != plen ||
		    !ipv6_addr_equal(&ri->prefix, prefix))
			continue;
		if (ri->installed)
			cur = ri;
		if (!best || ri->pref > best->pref ||
		    (ri->pref == best->pref && ri->installed))
			best = ri;
	}
	if (best != cur) {
		if (cur)
			rtinfo_uninstall(cur);
		if (!kame_rt_add(kn, &best->prefix, best->plen, best->kif,
				 &best->router, KAME_RTF_RA, NULL, NULL))
			best->installed = true;
	}
	if (best && best->installed)
		kame_rt_set_expire(best->kif, &best->prefix, best->plen,
				   best->expire);
}

static void rtinfo_del(struct kame_net *kn, struct kame_rtinfo *ri)
{
	struct kame_if *kif = ri->kif;
	struct in6_addr prefix = ri->prefix;
	u8 plen = ri->plen;

	rtinfo_uninstall(ri);
	list_del(&ri->list);
	kn->nrtinfos--;
	kfree(ri);
	rtinfo_select(kn, kif, &prefix, plen);
}

static struct kame_rtinfo *rtinfo_find(struct kame_net *kn,
				       const struct kame_if *kif,
				       const struct in6_addr *prefix, u8 plen,
				       const struct in6_addr *router)
{
	struct kame_rtinfo *ri;

	list_for_each_entry(ri, &kn->rtinfos, list)
		if (ri->kif == kif && ri->plen == plen &&
		    ipv6_addr_equal(&ri->prefix, prefix) &&
		    ipv6_addr_equal(&ri->router, router))
			return ri;
	return NULL;
}

/* One route information option of an RA from router (embedded form). */
void kame_rtinfo_update(struct kame_if *kif, const struct in6_addr *router,
			const u8 *opt)
{
	u32 lft = get_unaligned_be32(opt + 4);
	struct kame_net *kn = kif->kn;
	struct in6_addr raw = { }, prefix;
	struct kame_rtinfo *ri;
	u8 plen = opt[2];

	ASSERT_RTNL();
	if (!READ_ONCE(kn->accept_rtinfo) ||
	    RIO_PRF(opt[3]) == RIO_PRF_RESERVED || !plen ||
	    plen > READ_ONCE(kn->rtinfo_max_plen))
		return;
	memcpy(&raw, opt + 8, opt[1] * 8 - 8);
	ipv6_addr_prefix(&prefix, &raw, plen);
	if (IN6_IS_ADDR_LINKLOCAL(&prefix) || IN6_IS_ADDR_MULTICAST(&prefix))
		return;
	ri = rtinfo_find(kn, kif, &prefix, plen, router);
	if (!lft) {
		if (ri)
			rtinfo_del(kn, ri);
		return;
	}
	if (!ri) {
		if (kn->nrtinfos >= READ_ONCE(kn->rtinfo_max)) {
			kame_icmp6stat_inc(kn, KAME_ICP6S_RIO_FULL);
			return;
		}
		ri = kzalloc(sizeof(*ri), GFP_KERNEL_ACCOUNT);
		if (!ri)
			return;
		ri->kif = kif;
		ri->prefix = prefix;
		ri->plen = plen;
		ri->router = *router;
		list_add_tail(&ri->list, &kn->rtinfos);
		kn->nrtinfos++;
	}
	ri->pref = kame_rtpref(opt[3]);
	ri->expire = lft == KAME_LFT_INFINITY ? 0 :
		     get_jiffies_64() + (u64)lft * HZ;
	rtinfo_select(kn, kif, &prefix, plen);
}

/*
 * The entries whose lifetime is over go; with kif, every entry of kif
 * (it is detached).
 */
void kame_rtinfo_expire(struct kame_net *kn, const struct kame_if *kif)
{
	struct kame_rtinfo *ri, *tmp;
	u64 now = get_jiffies_64();

	ASSERT_RTNL();
	list_for_each_entry_safe(ri, tmp, &kn->rtinfos, list)
		if (kif ? ri->kif == kif :
		    ri->expire && time_after_eq64(now, ri->expire))
			rtinfo_del(kn, ri);
}

/* ndp -R: the routes learned from routers go with the router list. */
void kame_rtinfo_flush(struct kame_net *kn)
{
	struct kame_rtinfo *ri, *tmp;

	ASSERT_RTNL();
	list_for_each_entry_safe(ri, tmp, &kn->rtinfos, list)
		rtinfo_del(kn, ri);
}
