// SPDX-License-Identifier: GPL-2.0
/*
 * Router Solicitation, Router Advertisement and Redirect input (KAME's
 * nd6_rtr.c and icmp6_redirect_input): the validity checks of RFC 4861
 * 6.1.1, 6.1.2 and 8.1, and the default router list of a host (RFC 4861
 * 6.3.4, 6.3.6; RFC 4191 preferences). An invalid message is dropped and
 * counted in icp6s_badrs, icp6s_badra or icp6s_badredirect (bad options
 * in icp6s_nd_badopt). A valid RA on an interface with accept_rtadv, in
 * a namespace that does not forward, waits in kn->ra_q (at most
 * net.inet6.icmp6.nd6_maxraqueue, else icp6s_ra_qfull) for ra_work, which
 * updates the lists under RTNL (icp6s_ra_processed); else it counts in
 * icp6s_ra_ignored. Router solicitations are still dropped as taken by
 * no socket (icp6s_nosock): a host ignores them. A redirect is valid only
 * from the gateway of the route to its destination (the routing table's
 * first hop); a valid one is acted on by nd6_redirect.c.
 */
#include <linux/icmpv6.h>
#include <linux/rtnetlink.h>
#include <net/ndisc.h>
#include "kame.h"

#define ND_RS_LEN	8	/* type, code, checksum, reserved */
#define ND_RA_LEN	16	/* + hop limit, flags, lifetimes, timers */
#define ND_REDIRECT_LEN	40	/* + target and destination addresses */

static void nd6_rtr_done(struct kame_net *kn, struct sk_buff *skb,
			 enum kame_icmp6stat_id bad, int verdict)
{
	/* verdict: 0 valid, -EINVAL invalid, -ENOENT bad options (counted) */
	if (!verdict)
		kame_icmp6stat_inc(kn, KAME_ICP6S_NOSOCK);
	else if (verdict == -EINVAL)
		kame_icmp6stat_inc(kn, bad);
	kfree_skb(skb);
}

static int nd6_rtr_opts(struct kame_net *kn, struct sk_buff *skb,
			unsigned int off, unsigned int hlen, unsigned int len,
			struct kame_nd_opts *o)
{
	if (kame_nd6_options(kn, skb->data + off + hlen, len - hlen, o))
		return -ENOENT;
	return 0;
}

/* RFC 4861 6.1.1 */
void kame_nd6_rs_input(struct kame_if *kif, struct sk_buff *skb,
		       unsigned int off, unsigned int len)
{
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);
	const struct icmp6hdr *icmp = (const void *)(skb->data + off);
	struct kame_net *kn = kif->kn;
	struct kame_nd_opts o;
	int v = -EINVAL;

	if (ip6->hop_limit != 255 || icmp->icmp6_code || len < ND_RS_LEN)
		goto out;
	v = nd6_rtr_opts(kn, skb, off, ND_RS_LEN, len, &o);
	if (!v && ipv6_addr_any(&ip6->saddr) && o.src_lladdr)
		v = -EINVAL;
out:
	nd6_rtr_done(kn, skb, KAME_ICP6S_BADRS, v);
}

#define ND_OPT_RIO		24	/* RFC 4191 Route Information */
#define ND_MAX_REACHABLE	3600000	/* ms, RFC 4861 10 */
#define ND_RTPREF_MASK		0x18

/* Where ra_work finds an RA queued on kn->ra_q */
struct nd6_ra_cb {
	int ifindex;
	u32 off, len;
};

#define ND6_RA_CB(skb) ((struct nd6_ra_cb *)(skb)->cb)

/*
 * The options of an RA that must have one size: a prefix information
 * option is 32 bytes with a prefix length of at most 128, an MTU option
 * 8, a route information option 8 to 24 bytes, enough for its prefix
 * length (RFC 4191 2.3). kame_nd6_options() checked that they fit.
 */
static int nd6_ra_opts_check(struct kame_net *kn, const u8 *p, int len)
{
	u32 max = READ_ONCE(kn->nd_maxndopt), n = 0;

	while (len > 0 && ++n <= max) {
		int olen = p[1] * 8;
		bool bad;

		switch (p[0]) {
		case ND_OPT_PREFIX_INFO:
			bad = olen != 32 || p[2] > 128;
			break;
		case ND_OPT_MTU:
			bad = olen != 8;
			break;
		case ND_OPT_RIO:
			bad = olen > 24 || p[2] > 128 ||
			      (p[2] > 64 && olen < 24) || (p[2] && olen < 16);
			break;
		default:
			bad = false;
		}
		if (bad) {
			kame_icmp6stat_inc(kn, KAME_ICP6S_ND_BADOPT);
			return -ENOENT;
		}
		p += olen;
		len -= olen;
	}
	return 0;
}

/* A valid RA: into ra_q for ra_work, or ignored. Softirq. */
static void nd6_ra_queue(struct kame_if *kif, struct sk_buff *skb,
			 unsigned int off, unsigned int len)
{
	struct kame_net *kn = kif->kn;

	if (!(READ_ONCE(kif->nd_flags) & KAME_NDIF_F_ACCEPT_RTADV) ||
	    READ_ONCE(kn->forwarding)) {
		kame_icmp6stat_inc(kn, KAME_ICP6S_RA_IGNORED);
		kfree_skb(skb);
		return;
	}
	spin_lock(&kn->ra_q.lock);
	if (skb_queue_len(&kn->ra_q) >= READ_ONCE(kn->nd_maxraqueue)) {
		spin_unlock(&kn->ra_q.lock);
		kame_icmp6stat_inc(kn, KAME_ICP6S_RA_QFULL);
		kfree_skb(skb);
		return;
	}
	ND6_RA_CB(skb)->ifindex = kif->dev->ifindex;
	ND6_RA_CB(skb)->off = off;
	ND6_RA_CB(skb)->len = len;
	__skb_queue_tail(&kn->ra_q, skb);
	spin_unlock(&kn->ra_q.lock);
	schedule_work(&kn->ra_work);
}

/* RFC 4861 6.1.2 */
void kame_nd6_ra_input(struct kame_if *kif, struct sk_buff *skb,
		       unsigned int off, unsigned int len)
{
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);
	const struct icmp6hdr *icmp = (const void *)(skb->data + off);
	struct kame_net *kn = kif->kn;
	struct kame_nd_opts o;
	int v = -EINVAL;

	if (!IN6_IS_ADDR_LINKLOCAL(&ip6->saddr) || ip6->hop_limit != 255 ||
	    icmp->icmp6_code || len < ND_RA_LEN)
		goto out;
	v = nd6_rtr_opts(kn, skb, off, ND_RA_LEN, len, &o) ?:
	    nd6_ra_opts_check(kn, skb->data + off + ND_RA_LEN, len - ND_RA_LEN);
	if (!v) {
		nd6_ra_queue(kif, skb, off, len);
		return;
	}
out:
	nd6_rtr_done(kn, skb, KAME_ICP6S_BADRA, v);
}

/* RFC 4191 2.1: the preference of a router, reserved as medium */
u8 kame_rtpref(u8 raflags)
{
	switch ((raflags & ND_RTPREF_MASK) >> 3) {
	case 1:
		return 2;	/* high */
	case 3:
		return 0;	/* low */
	default:
		return 1;	/* medium, reserved */
	}
}

static struct kame_defrouter *defrtr_find(struct kame_net *kn,
					  const struct kame_if *kif,
					  const struct in6_addr *addr)
{
	struct kame_defrouter *dr;

	list_for_each_entry(dr, &kn->defrouters, list)
		if (dr->kif == kif && ipv6_addr_equal(&dr->addr, addr))
			return dr;
	return NULL;
}

static const struct in6_addr nd6_any = { };

static void defrtr_uninstall(struct kame_defrouter *dr)
{
	if (!dr->installed)
		return;
	kame_rt_del(dr->kif->kn, &nd6_any, 0, dr->kif, &dr->addr, NULL);
	dr->installed = false;
}

/* KAME's defrtrlist_del: the router, its default route, its prefixes */
void kame_defrtr_del(struct kame_defrouter *dr)
{
	struct kame_net *kn = dr->kif->kn;

	ASSERT_RTNL();
	defrtr_uninstall(dr);
	kame_pfxrtr_del_all(kn, dr->kif, &dr->addr);
	list_del(&dr->list);
	kn->ndefrouters--;
	kfree(dr);
}

void kame_defrtr_flush(struct kame_net *kn)
{
	struct kame_defrouter *dr, *tmp;

	list_for_each_entry_safe(dr, tmp, &kn->defrouters, list)
		kame_defrtr_del(dr);
	kame_rtinfo_flush(kn);
	kame_pfxlist_onlink_check(kn);
}

/* KAME's defrouter_reset: no default route through the list's routers */
void kame_defrouter_reset(struct kame_net *kn)
{
	struct kame_defrouter *dr;

	ASSERT_RTNL();
	list_for_each_entry(dr, &kn->defrouters, list)
		defrtr_uninstall(dr);
}

/* KAME's defrtrupdate: the router of an RA, NULL for lifetime 0 */
static struct kame_defrouter *defrtr_update(struct kame_if *kif,
					    const struct in6_addr *addr,
					    u8 raflags, u16 lifetime)
{
	struct kame_net *kn = kif->kn;
	struct kame_defrouter *dr = defrtr_find(kn, kif, addr);

	if (!lifetime) {
		if (dr)
			kame_defrtr_del(dr);
		return NULL;
	}
	if (!dr) {
		if (kn->ndefrouters >= READ_ONCE(kn->nd_maxdefrouters)) {
			kame_icmp6stat_inc(kn, KAME_ICP6S_DR_FULL);
			return NULL;
		}
		dr = kzalloc(sizeof(*dr), GFP_KERNEL_ACCOUNT);
		if (!dr)
			return NULL;
		dr->kif = kif;
		dr->addr = *addr;
		list_add_tail(&dr->list, &kn->defrouters);
		kn->ndefrouters++;
	}
	dr->raflags = raflags;
	dr->lifetime = lifetime;
	dr->expire = get_jiffies_64() + (u64)lifetime * HZ;
	if (dr->installed)
		kame_rt_set_expire(kif, &nd6_any, 0, dr->expire);
	return dr;
}

/* KAME's ND6_IS_LLINFO_PROBREACH: an entry with an address */
static bool defrtr_probreach(struct kame_defrouter *dr)
{
	return kame_nd6_state(dr->kif, &dr->addr) > KAME_ND_INCOMPLETE;
}

/*
 * KAME's defrouter_select (RFC 4861 6.3.6, RFC 4191 3.2): the default
 * route goes through the router of the highest preference among those
 * probably reachable, the installed one while it is as good; when none is
 * reachable, the installed one stays, or the best by preference comes.
 */
void kame_defrouter_select(struct kame_net *kn)
{
	struct kame_defrouter *dr, *cur = NULL, *best = NULL;
	int score, best_score = -1;

	ASSERT_RTNL();
	list_for_each_entry(dr, &kn->defrouters, list) {
		if (dr->installed)
			cur = dr;
		score = kame_rtpref(dr->raflags) + (defrtr_probreach(dr) ? 4 : 0);
		if (score > best_score ||
		    (score == best_score && dr->installed)) {
			best = dr;
			best_score = score;
		}
	}
	if (cur && best_score < 4 && cur != best)
		best = cur;		/* nobody reachable: keep it */
	if (best == cur)
		return;
	if (cur)
		defrtr_uninstall(cur);
	if (kame_rt_add(kn, &nd6_any, 0, best->kif, &best->addr, KAME_RTF_RA,
			NULL, NULL))
		return;		/* a static default route on that link */
	best->installed = true;
	kame_rt_set_expire(best->kif, &nd6_any, 0, best->expire);
}

/* RFC 4861 6.3.4: the parameters of the link */
static void nd6_ra_params(struct kame_if *kif, const u8 *ra)
{
	u32 reach = get_unaligned_be32(ra + 8);
	u32 retrans = get_unaligned_be32(ra + 12);

	if (ra[4])
		WRITE_ONCE(kif->curhlim, ra[4]);
	if (reach && reach <= ND_MAX_REACHABLE &&
	    reach != READ_ONCE(kif->basereachable)) {
		WRITE_ONCE(kif->basereachable, reach);
		WRITE_ONCE(kif->reachable, kame_nd6_compute_rtime(reach));
	}
	if (retrans && retrans <= ND_MAX_REACHABLE)
		WRITE_ONCE(kif->retrans, retrans);
}

/* The options of a queued RA, checked on input already. */
static void nd6_ra_options(struct kame_if *kif, const struct in6_addr *src,
			   const u8 *p, int len, struct kame_defrouter *dr)
{
	u32 max = READ_ONCE(kif->kn->nd_maxndopt), n = 0, mtu;

	for (; len > 0 && ++n <= max; len -= p[1] * 8, p += p[1] * 8) {
		switch (p[0]) {
		case ND_OPT_SOURCE_LL_ADDR:
			if (p[1] == 1 && !kif->nolladdr)
				kame_nd6_cache_lladdr(kif, src, p + 2, false,
						      false, false, 1);
			break;
		case ND_OPT_MTU:
			/* RFC 4861 6.3.4: at least 1280, at most the link's */
			mtu = get_unaligned_be32(p + 4);
			if (mtu >= IPV6_MIN_MTU &&
			    mtu <= READ_ONCE(kif->dev->mtu))
				WRITE_ONCE(kif->linkmtu, mtu);
			break;
		case ND_OPT_PREFIX_INFO:
			kame_prelist_update(kif, p, dr);
			break;
		case ND_OPT_RIO:
			kame_rtinfo_update(kif, src, p);
			break;
		}
	}
}

/* KAME's nd6_ra_input after the checks: under RTNL, from ra_work */
static void nd6_ra_process(struct kame_if *kif, struct sk_buff *skb)
{
	const u8 *ra = skb->data + ND6_RA_CB(skb)->off;
	struct kame_net *kn = kif->kn;
	struct kame_defrouter *dr;
	struct in6_addr src = ipv6_hdr(skb)->saddr;

	kame_in6_setscope(&src, kif->dev->ifindex);
	nd6_ra_params(kif, ra);
	dr = defrtr_update(kif, &src, ra[5], get_unaligned_be16(ra + 6));
	nd6_ra_options(kif, &src, ra + ND_RA_LEN,
		       ND6_RA_CB(skb)->len - ND_RA_LEN, dr);
	kame_pfxlist_onlink_check(kn);
	kame_defrouter_select(kn);
	kame_icmp6stat_inc(kn, KAME_ICP6S_RA_PROCESSED);
	kame_nd6_rtr_kick(kn);
}

static void nd6_ra_work(struct work_struct *work)
{
	struct kame_net *kn = container_of(work, struct kame_net, ra_work);
	struct kame_if *kif;
	struct sk_buff *skb;

	rtnl_lock();
	while ((skb = skb_dequeue(&kn->ra_q))) {
		kif = kame_if_by_index(kn, ND6_RA_CB(skb)->ifindex);
		/* detach took the RAs of its interface off the queue */
		if (kif)
			nd6_ra_process(kif, skb);
		consume_skb(skb);
	}
	rtnl_unlock();
}

/* KAME's nd6_timer for the lists: once a second while they hold some. */
static void nd6_rtr_work(struct work_struct *work)
{
	struct kame_net *kn = container_of(to_delayed_work(work),
					   struct kame_net, rtr_work);
	struct kame_defrouter *dr, *tmp;
	u64 now = get_jiffies_64();

	rtnl_lock();
	list_for_each_entry_safe(dr, tmp, &kn->defrouters, list)
		if (time_after_eq64(now, dr->expire))
			kame_defrtr_del(dr);
	kame_prelist_expire(kn);
	kame_rtinfo_expire(kn, NULL);
	kame_pfxlist_onlink_check(kn);
	kame_defrouter_select(kn);
	kame_nd6_rtr_kick(kn);
	rtnl_unlock();
}

/* Keep rtr_work running while the lists hold something. RTNL. */
void kame_nd6_rtr_kick(struct kame_net *kn)
{
	if (!list_empty(&kn->defrouters) || !list_empty(&kn->prefixes) ||
	    !list_empty(&kn->rtinfos))
		mod_delayed_work(system_wq, &kn->rtr_work, HZ);
}

void kame_nd6_rtr_init_net(struct kame_net *kn)
{
	skb_queue_head_init(&kn->ra_q);
	INIT_WORK(&kn->ra_work, nd6_ra_work);
	INIT_DELAYED_WORK(&kn->rtr_work, nd6_rtr_work);
	INIT_LIST_HEAD(&kn->defrouters);
	INIT_LIST_HEAD(&kn->prefixes);
	INIT_LIST_HEAD(&kn->rtinfos);
}

/* After every interface was detached: the lists are empty. */
void kame_nd6_rtr_exit_net(struct kame_net *kn)
{
	cancel_work_sync(&kn->ra_work);
	cancel_delayed_work_sync(&kn->rtr_work);
	skb_queue_purge(&kn->ra_q);
	WARN_ON_ONCE(!list_empty(&kn->defrouters) ||
		     !list_empty(&kn->prefixes) || !list_empty(&kn->rtinfos));
}

/* An interface goes: its queued RAs, routers and prefixes. RTNL. */
void kame_nd6_rtr_ifdetach(struct kame_if *kif)
{
	struct kame_net *kn = kif->kn;
	struct kame_defrouter *dr, *dtmp;
	struct kame_nd_prefix *pr, *ptmp;
	struct sk_buff *skb, *stmp;

	ASSERT_RTNL();
	spin_lock_bh(&kn->ra_q.lock);
	skb_queue_walk_safe(&kn->ra_q, skb, stmp)
		if (ND6_RA_CB(skb)->ifindex == kif->dev->ifindex) {
			__skb_unlink(skb, &kn->ra_q);
			kfree_skb(skb);
		}
	spin_unlock_bh(&kn->ra_q.lock);
	list_for_each_entry_safe(dr, dtmp, &kn->defrouters, list)
		if (dr->kif == kif)
			kame_defrtr_del(dr);
	list_for_each_entry_safe(pr, ptmp, &kn->prefixes, list)
		if (pr->kif == kif)
			kame_prelist_remove(pr, false);
	kame_rtinfo_expire(kn, kif);
	kame_pfxlist_onlink_check(kn);
	kame_defrouter_select(kn);
	kame_redirect_ifdetach(kif);
}

/*
 * RFC 4861 8.1: the redirect must come from the current first hop for its
 * destination, i.e. the gateway of the route the stack would use.
 */
static bool nd6_redirect_first_hop(struct kame_if *kif,
				   const struct in6_addr *src,
				   const struct in6_addr *dst)
{
	struct in6_addr s = *src, d = *dst;
	const struct kame_rt *rt;
	bool ok;

	kame_in6_setscope(&s, kif->dev->ifindex);
	kame_in6_setscope(&d, kif->dev->ifindex);
	rcu_read_lock();
	rt = kame_rt_lookup(kif->kn, &d, kif);
	ok = rt && (rt->flags & KAME_RTF_GATEWAY) && ipv6_addr_equal(&rt->gw, &s);
	rcu_read_unlock();
	return ok;
}

/* RFC 4861 8.1 */
void kame_nd6_redirect_input(struct kame_if *kif, struct sk_buff *skb,
			     unsigned int off, unsigned int len)
{
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);
	const struct icmp6hdr *icmp = (const void *)(skb->data + off);
	const struct in6_addr *tgt, *dst;
	struct kame_net *kn = kif->kn;
	struct kame_nd_opts o;
	int v = -EINVAL;

	if (!IN6_IS_ADDR_LINKLOCAL(&ip6->saddr) || ip6->hop_limit != 255 ||
	    icmp->icmp6_code || len < ND_REDIRECT_LEN)
		goto out;
	tgt = (const struct in6_addr *)(skb->data + off + 8);
	dst = tgt + 1;
	if (IN6_IS_ADDR_MULTICAST(dst) ||
	    (!IN6_IS_ADDR_LINKLOCAL(tgt) && !ipv6_addr_equal(tgt, dst)) ||
	    !nd6_redirect_first_hop(kif, &ip6->saddr, dst))
		goto out;
	v = nd6_rtr_opts(kn, skb, off, ND_REDIRECT_LEN, len, &o);
	if (!v) {
		kame_nd6_redirect_accept(kif, tgt, dst, o.tgt_lladdr);
		consume_skb(skb);
		return;
	}
out:
	nd6_rtr_done(kn, skb, KAME_ICP6S_BADREDIRECT, v);
}
