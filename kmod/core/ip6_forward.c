// SPDX-License-Identifier: GPL-2.0
/*
 * Forwarding (KAME's ip6_forward() and icmp6_redirect_output()): with
 * net.inet6.ip6.forwarding 1 the node is a router, and a unicast packet
 * from the wire that is not its own leaves again by the routing table,
 * one hop nearer its destination. It is never fragmented (RFC 8200 5):
 * a packet larger than the outgoing link's MTU is answered with a Packet
 * Too Big. A scoped address never leaves its zone (KAME notes 1.3): a
 * link-local destination is never forwarded, and a packet from a
 * link-local source only back onto the link it came from. Multicast is
 * not forwarded (no multicast routing). A packet sent back out of the
 * interface it came in on, from a neighbor on that link, makes the router
 * tell the sender about the better first hop (a Redirect, RFC 4861 8.2).
 *
 * With kame_ipsec.ko, a security gateway: the packet must pass the fwd
 * policy (else the inbound one, KAME's rule) for what IPsec it came
 * through, and its outbound policy may send it into a tunnel-mode SA
 * instead of to the next hop; a packet out of an IPsec tunnel is
 * forwarded too.
 *
 * Each packet counts once: ip6s_forward when sent (or given to IPsec),
 * else exactly one of ip6s_hlimexceeded, ip6s_fwdnoroute, ip6s_toobig,
 * ip6s_badscope, or the IPsec counter of a policy's refusal (the ICMPv6
 * error, if any, counts in the ICMPv6 statistics). Under RCU, BH off.
 */
#include <linux/etherdevice.h>
#include <linux/icmpv6.h>
#include <linux/ipv6.h>
#include <net/ndisc.h>
#include "kame.h"

#define ND_OPT_REDIR_HDR_LEN	8	/* type, length, 6 reserved bytes */

static int fwd_drop(struct kame_net *kn, struct sk_buff *skb,
		    enum kame_ip6stat_id why)
{
	kame_ip6stat_inc(kn, why);
	kfree_skb(skb);
	return NET_RX_DROP;
}

/* A link-local address of kif that DAD is done with, for the redirect. */
static bool fwd_linklocal(struct kame_if *kif, struct in6_addr *src)
{
	const struct kame_ifaddr *ifa;

	list_for_each_entry_rcu(ifa, &kif->addrs, list)
		if (IN6_IS_ADDR_LINKLOCAL(&ifa->addr) &&
		    !(READ_ONCE(ifa->flags) & (KAME_ADDR_F_TENTATIVE |
					       KAME_ADDR_F_DUPLICATED))) {
			*src = ifa->addr;
			return true;
		}
	return false;
}

/*
 * RFC 4861 8.2: should the packet from src (embedded form), forwarded
 * back out of the link it came from to nh, make us send a Redirect? Its
 * source must be a neighbor on that link (link-local, or on-link by a
 * route without a gateway), and a router must be named by its link-local
 * address (KAME's rule too).
 */
static bool fwd_redirect_wanted(struct kame_if *kif, const struct in6_addr *src,
				const struct in6_addr *dst,
				const struct kame_nexthop *nh)
{
	const struct kame_rt *rt;

	if (nh->kif != kif || kif->nolladdr || kif->lops)
		return false;
	if (!ipv6_addr_equal(&nh->addr, dst) &&
	    !IN6_IS_ADDR_LINKLOCAL(&nh->addr))
		return false;
	if (IN6_IS_ADDR_LINKLOCAL(src))
		return true;
	rt = kame_rt_lookup(kif->kn, src, kif);
	return rt && !(rt->flags & (KAME_RTF_GATEWAY | KAME_RTF_REJECT |
				    KAME_RTF_BLACKHOLE | KAME_RTF_LOCAL));
}

/*
 * Fill a Redirect for the packet skb (as received) to target tgt for dst:
 * a Target Link-Layer Address option when the neighbor cache knows the
 * target, then a Redirected Header option quoting as much of the packet as
 * the minimum MTU leaves room for, in whole 8-byte units.
 */
static struct sk_buff *fwd_redirect_build(struct kame_if *kif,
					  const struct sk_buff *skb,
					  const struct in6_addr *tgt,
					  const struct in6_addr *dst, u8 hlim)
{
	unsigned int room = IPV6_MIN_MTU - sizeof(struct ipv6hdr) - 40;
	unsigned int len, qlen;
	u8 mac[ETH_ALEN], *p;
	struct sk_buff *r;
	bool tlla;

	tlla = kame_nd6_lladdr(kif, tgt, mac);
	if (tlla)
		room -= 8;
	qlen = min(skb->len, room - ND_OPT_REDIR_HDR_LEN) & ~7U;
	len = 40 + (tlla ? 8 : 0) + ND_OPT_REDIR_HDR_LEN + qlen;
	r = kame_icmp6_alloc(kif, len);
	if (!r)
		return NULL;
	p = skb_put_zero(r, len);
	p[0] = NDISC_REDIRECT;
	memcpy(p + 8, tgt, sizeof(*tgt));
	memcpy(p + 24, dst, sizeof(*dst));
	kame_in6_clearscope((struct in6_addr *)(p + 8));
	kame_in6_clearscope((struct in6_addr *)(p + 24));
	p += 40;
	if (tlla) {
		p[0] = ND_OPT_TARGET_LL_ADDR;
		p[1] = 1;
		ether_addr_copy(p + 2, mac);
		p += 8;
	}
	p[0] = ND_OPT_REDIRECT_HDR;
	p[1] = (ND_OPT_REDIR_HDR_LEN + qlen) / 8;
	if (skb_copy_bits(skb, 0, p + ND_OPT_REDIR_HDR_LEN, qlen)) {
		kfree_skb(r);
		return NULL;
	}
	/* the packet as it came, before its hop limit went down */
	p[ND_OPT_REDIR_HDR_LEN + offsetof(struct ipv6hdr, hop_limit)] = hlim;
	return r;
}

/*
 * KAME's icmp6_redirect_output(): tell the sender of skb (a neighbor on
 * kif) that nh is the better first hop for its destination. Rate-limited
 * with the ICMPv6 errors (net.inet6.icmp6.errppslimit, icp6s_toofreq).
 */
static void fwd_redirect_output(struct kame_if *kif, const struct sk_buff *skb,
				const struct in6_addr *src,
				const struct in6_addr *dst,
				const struct kame_nexthop *nh, u8 hlim)
{
	struct kame_ip6_txopts tx = { .proto = IPPROTO_ICMPV6, .hlim = 255,
				      .onlink = true };
	struct kame_net *kn = kif->kn;
	struct in6_addr ll;
	struct sk_buff *r;

	if (!fwd_linklocal(kif, &ll))
		return;
	if (kame_icmp6_ratelimited(kn)) {
		kame_icmp6stat_inc(kn, KAME_ICP6S_TOOFREQ);
		return;
	}
	r = fwd_redirect_build(kif, skb, &nh->addr, dst, hlim);
	if (!r)
		return;
	kame_icmp6_outstat(kn, NDISC_REDIRECT);
	kame_icmp6_send_tx(kif, r, &ll, src, &tx);
}

/*
 * The route step: the next hop of dst (embedded form), by the best
 * route whatever interface the packet came in on; of a multipath route,
 * the one the packet's flow hashes to (flow label, RFC 6438, or ports).
 * 0, or the counter of the drop after the ICMPv6 error is sent (skb
 * consumed).
 */
static int fwd_route(struct kame_if *kif, struct sk_buff *skb,
		     const struct in6_addr *dst, struct kame_nexthop *nh)
{
	const struct kame_rt *rt = kame_rt_lookup(kif->kn, dst, NULL);
	struct in6_addr fsrc, fdst;
	struct kame_flow fl;

	kame_rt_flow_skb(skb, &fsrc, &fdst, &fl);
	if (!rt || kame_rt_nexthop_flow(rt->kif, dst, nh, &fl)) {
		kame_icmp6_error(kif, skb, ICMPV6_DEST_UNREACH, ICMPV6_NOROUTE,
				 0);
		return KAME_IP6S_FWDNOROUTE;
	}
	switch (nh->type) {
	case KAME_NH_REJECT:
		kame_icmp6_error(kif, skb, ICMPV6_DEST_UNREACH, ICMPV6_NOROUTE,
				 0);
		return KAME_IP6S_FWDNOROUTE;
	case KAME_NH_RESOLVE:
		return 0;
	}
	/* a blackhole route; our own address (not reached: input takes it) */
	kfree_skb(skb);
	return KAME_IP6S_FWDNOROUTE;
}

/* Out of nh->kif: its module maps the next hop (stf), or ND does. */
static void fwd_output(struct kame_if *out, struct sk_buff *skb,
		       const struct kame_nexthop *nh)
{
	struct in6_addr next = nh->addr;

	if (!out->lops) {
		kame_nd6_resolve_output(out, skb, &nh->addr);
		return;
	}
	kame_in6_clearscope(&next);
	skb->dev = out->dev;
	skb->protocol = htons(ETH_P_IPV6);
	out->lops->output(out->dev, skb, &next);
}

/*
 * Forward skb, received on kif from the wire (or out of an IPsec tunnel
 * that came in on kif: c->nsec), whose unicast destination is not ours
 * (KAME's ip6_forward()). skb->data is the IPv6 header; the Hop-by-Hop
 * header, if any, was processed (c->off past it) and the frame trimmed
 * to the packet. Consumes skb.
 */
int kame_ip6_forward(struct kame_if *kif, struct sk_buff *skb,
		     const struct kame_ip6ctx *c)
{
	struct kame_net *kn = kif->kn;
	struct in6_addr src, dst;
	struct kame_nexthop nh;
	int why;
	u32 mtu;
	u8 hlim;

	if (!kame_ipsec_forward_ok(kn, skb, c)) {
		kfree_skb(skb);		/* counted by IPsec (in_polvio) */
		return NET_RX_DROP;
	}
	src = ipv6_hdr(skb)->saddr;
	dst = ipv6_hdr(skb)->daddr;
	kame_in6_setscope(&src, kif->dev->ifindex);
	kame_in6_setscope(&dst, kif->dev->ifindex);
	/* a link-local destination is on this link: nobody to forward to */
	if (kame_in6_is_scoped(&dst))
		return fwd_drop(kn, skb, KAME_IP6S_BADSCOPE);
	hlim = ipv6_hdr(skb)->hop_limit;
	if (hlim <= 1) {
		kame_icmp6_error(kif, skb, ICMPV6_TIME_EXCEED,
				 ICMPV6_EXC_HOPLIMIT, 0);
		kame_ip6stat_inc(kn, KAME_IP6S_HLIMEXCEEDED);
		return NET_RX_DROP;
	}
	why = fwd_route(kif, skb, &dst, &nh);
	if (why) {
		kame_ip6stat_inc(kn, why);
		return NET_RX_DROP;
	}
	/* the source's zone is the link it came from (notes 1.3) */
	if (kame_in6_is_scoped(&src) && nh.kif != kif) {
		kame_icmp6_error(kif, skb, ICMPV6_DEST_UNREACH,
				 ICMPV6_NOT_NEIGHBOUR, 0);
		kame_ip6stat_inc(kn, KAME_IP6S_BADSCOPE);
		return NET_RX_DROP;
	}
	if (skb->len > kame_if_linkmtu(nh.kif)) {
		kame_icmp6_error(kif, skb, ICMPV6_PKT_TOOBIG, 0,
				 kame_if_linkmtu(nh.kif));
		kame_ip6stat_inc(kn, KAME_IP6S_TOOBIG);
		return NET_RX_DROP;
	}
	if (skb_ensure_writable(skb, sizeof(struct ipv6hdr)))
		return fwd_drop(kn, skb, KAME_IP6S_NOMEM);
	ipv6_hdr(skb)->hop_limit--;
	/* a frame for us that now leaves: a fresh packet to the next hop */
	skb->pkt_type = PACKET_HOST;
	skb_dst_drop(skb);
	nf_reset_ct(skb);
	skb->tstamp = 0;
	/* into a tunnel-mode SA by its outbound policy, or refused */
	why = kame_ipsec_forward_output(kn, skb, &mtu);
	if (why == -EMSGSIZE && mtu) {	/* too big for the tunnel */
		kame_icmp6_error(kif, skb, ICMPV6_PKT_TOOBIG, 0, mtu);
		kame_ip6stat_inc(kn, KAME_IP6S_TOOBIG);
		return NET_RX_DROP;
	}
	if (why) {
		if (why > 0)
			kame_ip6stat_inc(kn, KAME_IP6S_FORWARD);
		return why > 0 ? NET_RX_SUCCESS : NET_RX_DROP;
	}
	/* not for what a tunnel brought: its sender is no neighbor */
	if (!c->nsec && fwd_redirect_wanted(kif, &src, &dst, &nh))
		fwd_redirect_output(kif, skb, &src, &dst, &nh, hlim);
	kame_ip6stat_inc(kn, KAME_IP6S_FORWARD);
	fwd_output(nh.kif, skb, &nh);
	return NET_RX_SUCCESS;
}
