// SPDX-License-Identifier: GPL-2.0
/*
 * Neighbor Solicitation and Advertisement, and Duplicate Address Detection
 * (KAME's nd6_nbr.c; RFC 4861 4.3, 4.4, 7; RFC 4862 5.4).
 */
#include <linux/etherdevice.h>
#include <linux/icmpv6.h>
#include <linux/random.h>
#include <net/ip6_checksum.h>
#include <net/ndisc.h>
#include "kame.h"

/*
 * Walk the options (KAME's nd6_options): every option must have a non-zero
 * length and fit, else the message is dropped and counted in
 * icp6s_nd_badopt here; options beyond net.inet6.icmp6.nd6_maxndopt are
 * counted (icp6s_nd_toomanyopt) and ignored.
 */
int kame_nd6_options(struct kame_net *kn, const u8 *p, int len,
		     struct kame_nd_opts *o)
{
	u32 max = READ_ONCE(kn->nd_maxndopt);
	u32 n = 0;

	memset(o, 0, sizeof(*o));
	while (len > 0) {
		int olen;

		if (len < 2 || !p[1] || p[1] * 8 > len) {
			kame_icmp6stat_inc(kn, KAME_ICP6S_ND_BADOPT);
			return -EINVAL;
		}
		olen = p[1] * 8;
		if (++n > max) {
			kame_icmp6stat_inc(kn, KAME_ICP6S_ND_TOOMANYOPTS);
			break;
		}
		if (p[0] == ND_OPT_SOURCE_LL_ADDR && olen == 8 && !o->src_lladdr)
			o->src_lladdr = p + 2;
		else if (p[0] == ND_OPT_TARGET_LL_ADDR && olen == 8 &&
			 !o->tgt_lladdr)
			o->tgt_lladdr = p + 2;
		else if (p[0] == ND_OPT_MTU)
			o->mtu_opts++;
		else if (p[0] == ND_OPT_PREFIX_INFO)
			o->pi_opts++;
		p += olen;
		len -= olen;
	}
	return 0;
}

/*
 * ND messages go to a neighbor on the link (or a group of it), never
 * through a route: hop limit 255 (RFC 4861 7.1).
 */
static const struct kame_ip6_txopts nd6_tx = {
	.proto = IPPROTO_ICMPV6, .hlim = 255, .onlink = true,
};

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

	do {
		if (!(f & KAME_ADDR_F_TENTATIVE))
			return;
	} while (!try_cmpxchg(&ifa->flags, &f,
			      (f & ~KAME_ADDR_F_TENTATIVE) |
			      KAME_ADDR_F_DUPLICATED));
	kame_icmp6stat_inc(ifa->kif->kn, KAME_ICP6S_DAD_DUP);
	/*
	 * RFC 4862 5.4.5: the link-local address made from the MAC is
	 * duplicated, so the MAC is likely not unique: stop IPv6 on the link
	 * (KAME's ND6_IFF_IFDISABLED). Not for a random interface id, which
	 * says nothing about the hardware.
	 */
	if (IN6_IS_ADDR_LINKLOCAL(&ifa->addr) && (f & KAME_ADDR_F_AUTOCONF) &&
	    !ifa->kif->ifid_random)
		kame_ndif_update(ifa->kif, KAME_NDIF_F_DISABLED,
				 KAME_NDIF_F_DISABLED);
	if (!ifa->dad_dup) {
		ifa->dad_dup = true;
		net_info_ratelimited("%s: DAD detected duplicate IPv6 address %pI6c: address marked duplicated%s\n",
				     ifa->kif->dev->name, &ifa->addr,
				     kame_if_disabled(ifa->kif) ?
				     ", IPv6 disabled on the interface" : "");
	}
}

/* Is d (plain form) the solicited-node group ff02::1:ffXX:XXXX of t? */
static bool nd6_is_solnode(const struct in6_addr *d, const struct in6_addr *t)
{
	return d->s6_addr32[0] == htonl(0xff020000) && !d->s6_addr32[1] &&
	       d->s6_addr32[2] == htonl(1) && d->s6_addr[12] == 0xff &&
	       !memcmp(&d->s6_addr[13], &t->s6_addr[13], 3);
}

static void nd6_na_send(struct kame_if *kif, const struct in6_addr *daddr,
			const struct in6_addr *target, bool override,
			bool solicited, const u8 *tlla, const u8 *dmac);

/*
 * Where the answer to an NS goes at the link layer: RFC 4861 7.2.4 lets
 * it go to the solicitation's source link-layer address option, so it
 * needs no neighbor cache entry, and does not depend on the cache having
 * room for the soliciting neighbor (a full cache under an NS flood) nor
 * take its entry from STALE to DELAY. NULL: through the cache (no option,
 * or no usable one).
 */
static const u8 *nd6_ns_reply_ll(bool dad, const struct kame_nd_opts *o)
{
	if (dad || !o->src_lladdr || !is_valid_ether_addr(o->src_lladdr))
		return NULL;
	return o->src_lladdr;
}

/* An NS for a proxy entry (RFC 4861 7.2.8): answer with override clear. */
static bool nd6_ns_proxy(struct kame_if *kif, const struct in6_addr *saddr,
			 const struct in6_addr *taddr, bool dad,
			 const struct kame_nd_opts *o)
{
	u8 mac[ETH_ALEN];

	if (!kame_nd6_proxy_lookup(kif, taddr, mac))
		return false;
	if (!dad && o->src_lladdr)
		kame_nd6_cache_lladdr(kif, saddr, o->src_lladdr, false, false,
				      false, KAME_ND_ROUTER_KEEP);
	kame_nd6stat_inc(kif->kn, KAME_ND6S_PROXY_NA);
	nd6_na_send(kif, dad ? NULL : saddr, taddr, false, !dad, mac,
		    nd6_ns_reply_ll(dad, o));
	return true;
}

/*
 * An NS or NA shorter than its fixed part (up to the target address) is
 * dropped before anything past the ICMPv6 header is read, counted in
 * icp6s_badlen as KAME's icmp6_input() does.
 */
static bool nd6_short(struct kame_net *kn, struct sk_buff *skb,
		      unsigned int len)
{
	if (len >= sizeof(struct nd_msg))
		return false;
	kame_icmp6stat_inc(kn, KAME_ICP6S_BADLEN);
	kfree_skb(skb);
	return true;
}

void kame_nd6_ns_input(struct kame_if *kif, struct sk_buff *skb,
		       unsigned int off, unsigned int len)
{
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);
	const struct nd_msg *ns = (const void *)(skb->data + off);
	struct kame_net *kn = kif->kn;
	struct in6_addr saddr, taddr;
	struct kame_ifaddr *ifa;
	struct kame_nd_opts o;
	bool dad;
	u32 flags;

	if (nd6_short(kn, skb, len))
		return;
	saddr = ip6->saddr;
	taddr = ns->target;
	dad = ipv6_addr_any(&saddr);
	if (ip6->hop_limit != 255 || IN6_IS_ADDR_MULTICAST(&taddr))
		goto bad;
	if (kame_nd6_options(kn, ns->opt, len - sizeof(*ns), &o))
		goto drop;	/* counted there */
	/*
	 * RFC 4861 7.1.1, RFC 4862 5.4.3: a DAD probe has no SLLA and goes
	 * to the solicited-node group of its target, not just any group of
	 * ours (ff02::1 would make every tentative address look probed).
	 */
	if (dad && (o.src_lladdr || !nd6_is_solnode(&ip6->daddr, &taddr)))
		goto bad;
	if (kif->nolladdr)	/* no link-layer addresses: ignored */
		o.src_lladdr = NULL;
	kame_in6_setscope(&saddr, kif->dev->ifindex);
	kame_in6_setscope(&taddr, kif->dev->ifindex);

	ifa = kame_ifa_find(kif, &taddr);
	if (!ifa) {
		nd6_ns_proxy(kif, &saddr, &taddr, dad, &o);
		goto drop;
	}
	flags = READ_ONCE(ifa->flags);
	if (flags & KAME_ADDR_F_DUPLICATED)
		goto drop;
	if (flags & KAME_ADDR_F_TENTATIVE) {
		if (dad)	/* someone else probes our tentative address */
			nd6_dad_duplicated(ifa);
		goto drop;
	}
	/* RFC 4861 7.2.3: the entry is created or updated STALE */
	if (!dad && o.src_lladdr)
		kame_nd6_cache_lladdr(kif, &saddr, o.src_lladdr, false, false,
				      false, KAME_ND_ROUTER_KEEP);
	nd6_na_send(kif, dad ? NULL : &saddr, &taddr,
		    !(flags & KAME_ADDR_F_ANYCAST), !dad, NULL,
		    nd6_ns_reply_ll(dad, &o));
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
	struct in6_addr taddr;
	struct kame_ifaddr *ifa;
	struct kame_nd_opts o;
	bool solicited;

	if (nd6_short(kn, skb, len))
		return;
	taddr = na->target;
	solicited = na->icmph.icmp6_solicited;
	if (ip6->hop_limit != 255 || IN6_IS_ADDR_MULTICAST(&taddr) ||
	    (solicited && IN6_IS_ADDR_MULTICAST(&ip6->daddr)))
		goto bad;
	if (kame_nd6_options(kn, na->opt, len - sizeof(*na), &o))
		goto drop;	/* counted there */
	if (kif->nolladdr)	/* a peer may send its tunnel endpoint */
		o.tgt_lladdr = NULL;
	kame_in6_setscope(&taddr, kif->dev->ifindex);

	ifa = kame_ifa_find(kif, &taddr);
	if (ifa) {
		/* an answer for one of ours: a duplicate, if still tentative */
		nd6_dad_duplicated(ifa);
		goto drop;
	}
	kame_nd6_cache_lladdr(kif, &taddr, o.tgt_lladdr, solicited,
			      na->icmph.icmp6_override, true,
			      na->icmph.icmp6_router);
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
	bool slla = !dad && !kif->nolladdr;
	unsigned int len = sizeof(struct nd_msg) + (slla ? 8 : 0);
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
	if (slla)
		nd_ll_opt(ns->opt, ND_OPT_SOURCE_LL_ADDR, kif->dev->dev_addr);
	kame_icmp6stat_inc(kif->kn, KAME_ICP6S_OUT_NS);
	kame_icmp6_send_tx(kif, skb, &saddr, &dst, &nd6_tx);
}

/*
 * Send an ND message (ICMPv6 at skb->data; src and dst in the embedded
 * form) to the link-layer address dmac, not through the neighbor cache:
 * what kame_ip6_output() does for a small packet to a neighbor, without
 * the address resolution.
 */
static void nd6_xmit_ll(struct kame_if *kif, struct sk_buff *skb,
			const struct in6_addr *src, const struct in6_addr *dst,
			const u8 *dmac)
{
	struct icmp6hdr *icmp = (struct icmp6hdr *)skb->data;
	struct kame_net *kn = kif->kn;
	unsigned int plen = skb->len;
	struct ipv6hdr *ip6;

	if (kame_if_disabled(kif)) {	/* ND6_IFF_IFDISABLED */
		kame_ip6stat_inc(kn, KAME_IP6S_ODROPPED);
		kfree_skb(skb);
		return;
	}
	ip6 = skb_push(skb, sizeof(*ip6));
	skb_reset_network_header(skb);
	*(__be32 *)ip6 = htonl(0x60000000);	/* version, class, flow */
	ip6->payload_len = htons(plen);
	ip6->nexthdr = IPPROTO_ICMPV6;
	ip6->hop_limit = nd6_tx.hlim;
	ip6->saddr = *src;
	ip6->daddr = *dst;
	kame_in6_clearscope(&ip6->saddr);
	kame_in6_clearscope(&ip6->daddr);
	icmp->icmp6_cksum = 0;
	icmp->icmp6_cksum = csum_ipv6_magic(&ip6->saddr, &ip6->daddr, plen,
					    IPPROTO_ICMPV6,
					    csum_partial(icmp, plen, 0));
	skb->ip_summed = CHECKSUM_NONE;
	kame_ip6stat_inc(kn, KAME_IP6S_LOCALOUT);
	kame_ip6_xmit_ll(kif, skb, dmac);
}

/*
 * Send an NA for target; daddr NULL: to all-nodes (answer to DAD). tlla:
 * the target link-layer address of a proxy answer (NULL: ours). dmac: the
 * link-layer destination of a unicast answer (nd6_ns_reply_ll()), NULL:
 * resolved through the neighbor cache. The
 * source is the target, but for the targets advertised with the override
 * flag clear (RFC 4861 7.2.4, 7.2.8): a proxied address is not ours, an
 * anycast one is never a source. They get one of our addresses instead
 * (as KAME's nd6_na_output() always does).
 */
static void nd6_na_send(struct kame_if *kif, const struct in6_addr *daddr,
			const struct in6_addr *target, bool override,
			bool solicited, const u8 *tlla, const u8 *dmac)
{
	/* RFC 4861 4.4: no option on a link without link-layer addresses */
	unsigned int len = sizeof(struct nd_msg) + (kif->nolladdr ? 0 : 8);
	struct in6_addr dst, src = *target;
	struct nd_msg *na;
	struct sk_buff *skb;

	if (daddr) {
		dst = *daddr;
	} else {
		ipv6_addr_set(&dst, htonl(0xff020000), 0, 0, htonl(1));
		kame_in6_setscope(&dst, kif->dev->ifindex);
	}
	if (tlla || !override) {
		const struct kame_ifaddr *ifa;

		rcu_read_lock();
		ifa = kame_in6_select_src(kif, &dst);
		if (ifa)
			src = ifa->addr;
		rcu_read_unlock();
		if (!ifa)
			return;
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
	if (!kif->nolladdr)
		nd_ll_opt(na->opt, ND_OPT_TARGET_LL_ADDR,
			  tlla ?: kif->dev->dev_addr);
	kame_icmp6stat_inc(kif->kn, KAME_ICP6S_OUT_NA);
	if (daddr && dmac)
		nd6_xmit_ll(kif, skb, &src, &dst, dmac);
	else
		kame_icmp6_send_tx(kif, skb, &src, &dst, &nd6_tx);
}

void kame_nd6_na_output(struct kame_if *kif, const struct in6_addr *daddr,
			const struct in6_addr *target, bool override,
			bool solicited, const u8 *tlla)
{
	nd6_na_send(kif, daddr, target, override, solicited, tlla, NULL);
}

/* Start DAD on a new address (RFC 4862 5.4). */
void kame_nd6_dad_start(struct kame_ifaddr *ifa)
{
	struct kame_if *kif = ifa->kif;

	if (!kif->dad_transmits || (ifa->flags & KAME_ADDR_F_ANYCAST)) {
		kame_ifa_flags_mod(ifa, KAME_ADDR_F_TENTATIVE, 0);
		return;
	}
	kame_ifa_flags_mod(ifa, 0, KAME_ADDR_F_TENTATIVE);
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
	do {
		if (!(f & KAME_ADDR_F_TENTATIVE))
			return;		/* duplicated meanwhile */
	} while (!try_cmpxchg(&ifa->flags, &f, f & ~KAME_ADDR_F_TENTATIVE));
	pr_debug("%s: DAD done for %pI6c\n", kif->dev->name, &ifa->addr);
}

#define ND6_MAX_NEIGHBOR_ADVERTISEMENT	3	/* RFC 4861 10 */

/*
 * The link-layer address of kif changed (RFC 4861 7.2.6): tell the link,
 * with unsolicited NAs to all-nodes for every usable address, override
 * set but for anycast, MAX_NEIGHBOR_ADVERTISEMENT rounds RetransTimer
 * apart. Caller holds RTNL.
 */
void kame_nd6_unsol_na_start(struct kame_if *kif)
{
	if (kif->nolladdr)	/* no link-layer address to announce */
		return;
	WRITE_ONCE(kif->unsol_na_left, ND6_MAX_NEIGHBOR_ADVERTISEMENT);
	mod_delayed_work(system_wq, &kif->unsol_na_work, 0);
}

void kame_nd6_unsol_na_work(struct work_struct *work)
{
	struct kame_if *kif = container_of(to_delayed_work(work),
					   struct kame_if, unsol_na_work);
	struct kame_ifaddr *ifa;
	u8 left;

	if (!netif_running(kif->dev))
		return;		/* NETDEV_UP sends them */
	rcu_read_lock();
	list_for_each_entry_rcu(ifa, &kif->addrs, list) {
		u32 f = READ_ONCE(ifa->flags);

		if (f & (KAME_ADDR_F_TENTATIVE | KAME_ADDR_F_DUPLICATED))
			continue;
		kame_nd6stat_inc(kif->kn, KAME_ND6S_UNSOL_NA);
		kame_nd6_na_output(kif, NULL, &ifa->addr,
				   !(f & KAME_ADDR_F_ANYCAST), false, NULL);
	}
	rcu_read_unlock();
	left = READ_ONCE(kif->unsol_na_left);
	if (left > 1) {
		WRITE_ONCE(kif->unsol_na_left, left - 1);
		queue_delayed_work(system_wq, &kif->unsol_na_work,
				   msecs_to_jiffies(READ_ONCE(kif->retrans)));
	} else {
		WRITE_ONCE(kif->unsol_na_left, 0);
	}
}
