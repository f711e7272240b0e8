// SPDX-License-Identifier: GPL-2.0
/*
 * Router Solicitation, Router Advertisement and Redirect input (KAME's
 * nd6_rtr.c and icmp6_redirect_input): the validity checks of RFC 4861
 * 6.1.1, 6.1.2 and 8.1. An invalid message is dropped and counted in
 * icp6s_badrs, icp6s_badra or icp6s_badredirect (bad options in
 * icp6s_nd_badopt). A valid one (each is in the input histogram
 * already, icmp6.c) is dropped as taken by no socket (icp6s_nosock): the
 * default router and prefix lists, address autoconfiguration and
 * redirects are not implemented yet, and a host ignores router
 * solicitations. A redirect
 * is valid only from the gateway of the route to its destination (the
 * routing table's first hop).
 */
#include <linux/icmpv6.h>
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
	v = nd6_rtr_opts(kn, skb, off, ND_RA_LEN, len, &o);
out:
	nd6_rtr_done(kn, skb, KAME_ICP6S_BADRA, v);
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
out:
	nd6_rtr_done(kn, skb, KAME_ICP6S_BADREDIRECT, v);
}
