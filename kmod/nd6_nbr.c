// SPDX-License-Identifier: GPL-2.0
/*
 * Neighbor Solicitation and Advertisement, and Duplicate Address Detection
 * (KAME's nd6_nbr.c; RFC 4861 4.3, 4.4, 7; RFC 4862 5.4).
 */
#include <linux/etherdevice.h>
#include <linux/icmpv6.h>
#include <linux/random.h>
#include <net/ndisc.h>
#include "kame.h"

#define ND6_MAXNDOPT	10	/* options looked at per message (notes) */

struct nd_opts {
	const u8 *src_lladdr;
	const u8 *tgt_lladdr;
};

/*
 * Walk the options (KAME's nd6_options): every option must have a non-zero
 * length and fit; options beyond ND6_MAXNDOPT are counted and ignored.
 */
static int nd_parse_opts(struct kame_net *kn, const u8 *p, int len,
			 struct nd_opts *o)
{
	int n = 0;

	memset(o, 0, sizeof(*o));
	while (len > 0) {
		int olen;

		if (len < 2 || !p[1])
			return -EINVAL;
		olen = p[1] * 8;
		if (olen > len)
			return -EINVAL;
		if (++n > ND6_MAXNDOPT) {
			kame_icmp6stat_inc(kn, KAME_ICP6S_ND_TOOMANYOPTS);
			break;
		}
		if (p[0] == ND_OPT_SOURCE_LL_ADDR && olen == 8 && !o->src_lladdr)
			o->src_lladdr = p + 2;
		else if (p[0] == ND_OPT_TARGET_LL_ADDR && olen == 8 &&
			 !o->tgt_lladdr)
			o->tgt_lladdr = p + 2;
		p += olen;
		len -= olen;
	}
	return 0;
}

static void nd_ll_opt(u8 *p, u8 type, const u8 *mac)
{
	p[0] = type;
	p[1] = 1;
	ether_addr_copy(p + 2, mac);
}

/* A duplicate of ifa was seen (RFC 4862 5.4.5). Softirq context. */
static void nd6_dad_duplicated(struct kame_ifaddr *ifa)
{
	u32 f = READ_ONCE(ifa->flags);

	if (!(f & KAME_ADDR_F_TENTATIVE))
		return;
	WRITE_ONCE(ifa->flags, (f & ~KAME_ADDR_F_TENTATIVE) |
		   KAME_ADDR_F_DUPLICATED);
	kame_icmp6stat_inc(ifa->kif->kn, KAME_ICP6S_DAD_DUP);
	if (!ifa->dad_dup) {
		ifa->dad_dup = true;
		net_info_ratelimited("%s: DAD detected duplicate IPv6 address %pI6c: address marked duplicated\n",
				     ifa->kif->dev->name, &ifa->addr);
	}
}

void kame_nd6_ns_input(struct kame_if *kif, struct sk_buff *skb,
		       unsigned int off, unsigned int len)
{
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);
	const struct nd_msg *ns = (const void *)(skb->data + off);
	struct kame_net *kn = kif->kn;
	struct in6_addr saddr = ip6->saddr, taddr = ns->target;
	struct kame_ifaddr *ifa;
	bool dad = ipv6_addr_any(&saddr);
	struct nd_opts o;
	u32 flags;

	if (ip6->hop_limit != 255 || len < sizeof(*ns) ||
	    IN6_IS_ADDR_MULTICAST(&taddr) ||
	    nd_parse_opts(kn, ns->opt, len - sizeof(*ns), &o) ||
	    (dad && (o.src_lladdr || !kame_in6_joined(kif, &ip6->daddr))))
		goto bad;
	kame_in6_setscope(&saddr, kif->dev->ifindex);
	kame_in6_setscope(&taddr, kif->dev->ifindex);

	ifa = kame_ifa_find(kif, &taddr);
	if (!ifa)
		goto drop;	/* proxy ND comes with the proxy entries */
	flags = READ_ONCE(ifa->flags);
	if (flags & KAME_ADDR_F_DUPLICATED)
		goto drop;
	if (flags & KAME_ADDR_F_TENTATIVE) {
		if (dad)	/* someone else probes our tentative address */
			nd6_dad_duplicated(ifa);
		goto drop;
	}
	if (!dad && o.src_lladdr)
		kame_nd6_cache_lladdr(kif, &saddr, o.src_lladdr, false, false,
				      false);
	kame_nd6_na_output(kif, dad ? NULL : &saddr, &taddr,
			   !(flags & KAME_ADDR_F_ANYCAST), !dad);
drop:
	kfree_skb(skb);
	return;
bad:
	kame_icmp6stat_inc(kn, KAME_ICP6S_BADNS);
	kfree_skb(skb);
}

void kame_nd6_na_input(struct kame_if *kif, struct sk_buff *skb,
		       unsigned int off, unsigned int len)
{
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);
	const struct nd_msg *na = (const void *)(skb->data + off);
	struct kame_net *kn = kif->kn;
	struct in6_addr taddr = na->target;
	struct kame_ifaddr *ifa;
	struct nd_opts o;
	bool solicited = na->icmph.icmp6_solicited;

	if (ip6->hop_limit != 255 || len < sizeof(*na) ||
	    IN6_IS_ADDR_MULTICAST(&taddr) ||
	    (solicited && IN6_IS_ADDR_MULTICAST(&ip6->daddr)) ||
	    nd_parse_opts(kn, na->opt, len - sizeof(*na), &o))
		goto bad;
	kame_in6_setscope(&taddr, kif->dev->ifindex);

	ifa = kame_ifa_find(kif, &taddr);
	if (ifa) {
		/* an answer for one of ours: a duplicate, if still tentative */
		nd6_dad_duplicated(ifa);
		goto drop;
	}
	kame_nd6_cache_lladdr(kif, &taddr, o.tgt_lladdr, solicited,
			      na->icmph.icmp6_override, true);
drop:
	kfree_skb(skb);
	return;
bad:
	kame_icmp6stat_inc(kn, KAME_ICP6S_BADNA);
	kfree_skb(skb);
}

/*
 * Send an NS for target (embedded form). daddr NULL: to the solicited-node
 * group of the target. dad: from the unspecified address, no SLLA.
 */
void kame_nd6_ns_output(struct kame_if *kif, const struct in6_addr *daddr,
			const struct in6_addr *target, bool dad)
{
	const struct kame_ifaddr *src = NULL;
	struct in6_addr dst, saddr = { };
	unsigned int len = sizeof(struct nd_msg) + (dad ? 0 : 8);
	struct nd_msg *ns;
	struct sk_buff *skb;

	if (daddr) {
		dst = *daddr;
	} else {
		ipv6_addr_set(&dst, htonl(0xff020000), 0, htonl(1),
			      htonl(0xff000000) | target->s6_addr32[3]);
		kame_in6_setscope(&dst, kif->dev->ifindex);
	}
	rcu_read_lock();
	if (!dad) {
		src = kame_in6_select_src(kif, target);
		if (!src) {
			rcu_read_unlock();
			return;
		}
		saddr = src->addr;
	}
	rcu_read_unlock();

	skb = kame_icmp6_alloc(kif, len);
	if (!skb)
		return;
	ns = skb_put_zero(skb, len);
	ns->icmph.icmp6_type = NDISC_NEIGHBOUR_SOLICITATION;
	ns->target = *target;
	kame_in6_clearscope(&ns->target);
	if (!dad)
		nd_ll_opt(ns->opt, ND_OPT_SOURCE_LL_ADDR, kif->dev->dev_addr);
	kame_icmp6stat_inc(kif->kn, KAME_ICP6S_OUT_NS);
	kame_icmp6_send(kif, skb, &saddr, &dst, 255);
}

/* Send an NA for target; daddr NULL: to all-nodes (answer to DAD). */
void kame_nd6_na_output(struct kame_if *kif, const struct in6_addr *daddr,
			const struct in6_addr *target, bool override,
			bool solicited)
{
	unsigned int len = sizeof(struct nd_msg) + 8;
	struct in6_addr dst;
	struct nd_msg *na;
	struct sk_buff *skb;

	if (daddr) {
		dst = *daddr;
	} else {
		ipv6_addr_set(&dst, htonl(0xff020000), 0, 0, htonl(1));
		kame_in6_setscope(&dst, kif->dev->ifindex);
	}
	skb = kame_icmp6_alloc(kif, len);
	if (!skb)
		return;
	na = skb_put_zero(skb, len);
	na->icmph.icmp6_type = NDISC_NEIGHBOUR_ADVERTISEMENT;
	na->icmph.icmp6_solicited = solicited;
	na->icmph.icmp6_override = override;
	na->target = *target;
	kame_in6_clearscope(&na->target);
	nd_ll_opt(na->opt, ND_OPT_TARGET_LL_ADDR, kif->dev->dev_addr);
	kame_icmp6stat_inc(kif->kn, KAME_ICP6S_OUT_NA);
	kame_icmp6_send(kif, skb, target, &dst, 255);
}

/* Start DAD on a new address (RFC 4862 5.4). */
void kame_nd6_dad_start(struct kame_ifaddr *ifa)
{
	struct kame_if *kif = ifa->kif;

	if (!kif->dad_transmits || (ifa->flags & KAME_ADDR_F_ANYCAST)) {
		ifa->flags &= ~KAME_ADDR_F_TENTATIVE;
		return;
	}
	ifa->flags |= KAME_ADDR_F_TENTATIVE;
	ifa->dad_ns_left = kif->dad_transmits;
	/* a short random delay spreads simultaneous starts (5.4.2) */
	mod_timer(&ifa->dad_timer, jiffies + 1 + get_random_u32_below(HZ / 10));
}

void kame_nd6_dad_timer(struct timer_list *t)
{
	struct kame_ifaddr *ifa = from_timer(ifa, t, dad_timer);
	struct kame_if *kif = ifa->kif;
	u32 f = READ_ONCE(ifa->flags);

	if (!(f & KAME_ADDR_F_TENTATIVE))
		return;		/* duplicated meanwhile */
	if (ifa->dad_ns_left) {
		ifa->dad_ns_left--;
		kame_nd6_ns_output(kif, NULL, &ifa->addr, true);
		mod_timer(&ifa->dad_timer,
			  jiffies + msecs_to_jiffies(kif->retrans));
		return;
	}
	WRITE_ONCE(ifa->flags, f & ~KAME_ADDR_F_TENTATIVE);
	pr_debug("%s: DAD done for %pI6c\n", kif->dev->name, &ifa->addr);
}
