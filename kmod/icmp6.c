// SPDX-License-Identifier: GPL-2.0
/*
 * ICMPv6 (KAME's icmp6.c; RFC 4443): input validation and dispatch, echo
 * replies, and the output helpers the ND code uses.
 */
#include <linux/icmpv6.h>
#include <net/ip6_checksum.h>
#include <net/ndisc.h>
#include "kame.h"

struct sk_buff *kame_icmp6_alloc(struct kame_if *kif, unsigned int len)
{
	unsigned int head = LL_RESERVED_SPACE(kif->dev) +
			    sizeof(struct ipv6hdr);
	struct sk_buff *skb;

	skb = alloc_skb(head + len + kif->dev->needed_tailroom, GFP_ATOMIC);
	if (!skb)
		return NULL;
	skb_reserve(skb, head);
	skb_reset_transport_header(skb);
	return skb;
}

/* Checksum the ICMPv6 message at skb->data and send it. */
int kame_icmp6_send(struct kame_if *kif, struct sk_buff *skb,
		    const struct in6_addr *src, const struct in6_addr *dst,
		    u8 hlim)
{
	struct icmp6hdr *icmp = (struct icmp6hdr *)skb->data;
	struct in6_addr s = *src, d = *dst;

	kame_in6_clearscope(&s);
	kame_in6_clearscope(&d);
	icmp->icmp6_cksum = 0;
	icmp->icmp6_cksum = csum_ipv6_magic(&s, &d, skb->len, IPPROTO_ICMPV6,
					    csum_partial(skb->data, skb->len, 0));
	skb->ip_summed = CHECKSUM_NONE;
	return kame_ip6_output(kif, skb, IPPROTO_ICMPV6, src, dst, hlim);
}

static bool icmp6_csum_ok(struct sk_buff *skb, unsigned int off,
			  unsigned int len)
{
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);

	if (skb_csum_unnecessary(skb))
		return true;
	return !csum_ipv6_magic(&ip6->saddr, &ip6->daddr, len, IPPROTO_ICMPV6,
				skb_checksum(skb, off, len, 0));
}

/* Answer an echo request (RFC 4443 4.2), also to multicast and anycast. */
static void icmp6_echo_reply(struct kame_if *kif, struct sk_buff *skb,
			     unsigned int off, unsigned int len)
{
	const struct ipv6hdr *ip6 = ipv6_hdr(skb);
	struct in6_addr src = ip6->daddr, dst = ip6->saddr;
	const struct kame_ifaddr *ifa;
	struct icmp6hdr *rep;
	struct sk_buff *r;

	kame_in6_setscope(&src, kif->dev->ifindex);
	kame_in6_setscope(&dst, kif->dev->ifindex);
	rcu_read_lock();
	ifa = kame_ifa_lookup(kif->kn, &src);
	if (!ifa || (READ_ONCE(ifa->flags) & KAME_ADDR_F_ANYCAST))
		ifa = kame_in6_select_src(kif, &dst);
	if (ifa)
		src = ifa->addr;
	rcu_read_unlock();
	if (!ifa || (READ_ONCE(ifa->flags) & (KAME_ADDR_F_TENTATIVE |
					      KAME_ADDR_F_DUPLICATED)))
		return;

	r = kame_icmp6_alloc(kif, len);
	if (!r)
		return;
	rep = skb_put(r, len);
	if (skb_copy_bits(skb, off, rep, len)) {
		kfree_skb(r);
		return;
	}
	rep->icmp6_type = ICMPV6_ECHO_REPLY;
	rep->icmp6_code = 0;
	kame_icmp6stat_inc(kif->kn, KAME_ICP6S_OUT_ECHOREPLY);
	kame_icmp6_send(kif, r, &src, &dst, kif->curhlim);
}

/*
 * The ICMPv6 message starts at the transport header and runs to the end of
 * the IPv6 payload. Consumes skb.
 */
int kame_icmp6_input(struct kame_if *kif, struct sk_buff *skb)
{
	struct kame_net *kn = kif->kn;
	unsigned int off = skb_transport_offset(skb);
	unsigned int len = skb->len - off;
	const struct icmp6hdr *icmp;

	if (len < sizeof(*icmp) || !pskb_may_pull(skb, off + len)) {
		kame_icmp6stat_inc(kn, KAME_ICP6S_TOOSHORT);
		goto drop;
	}
	if (!icmp6_csum_ok(skb, off, len)) {
		kame_icmp6stat_inc(kn, KAME_ICP6S_CHECKSUM);
		goto drop;
	}
	icmp = (const struct icmp6hdr *)(skb->data + off);
	switch (icmp->icmp6_type) {
	case ICMPV6_ECHO_REQUEST:
		if (icmp->icmp6_code) {
			kame_icmp6stat_inc(kn, KAME_ICP6S_BADCODE);
			goto drop;
		}
		kame_icmp6stat_inc(kn, KAME_ICP6S_IN_ECHO);
		icmp6_echo_reply(kif, skb, off, len);
		goto consumed;
	case ICMPV6_ECHO_REPLY:
		/* delivered to raw sockets once they exist */
		kame_icmp6stat_inc(kn, KAME_ICP6S_IN_ECHOREPLY);
		goto nosock;
	case NDISC_NEIGHBOUR_SOLICITATION:
	case NDISC_NEIGHBOUR_ADVERTISEMENT:
		if (icmp->icmp6_code) {
			kame_icmp6stat_inc(kn, icmp->icmp6_type ==
					   NDISC_NEIGHBOUR_SOLICITATION ?
					   KAME_ICP6S_BADNS : KAME_ICP6S_BADNA);
			goto drop;
		}
		if (icmp->icmp6_type == NDISC_NEIGHBOUR_SOLICITATION) {
			kame_icmp6stat_inc(kn, KAME_ICP6S_IN_NS);
			kame_nd6_ns_input(kif, skb, off, len);
		} else {
			kame_icmp6stat_inc(kn, KAME_ICP6S_IN_NA);
			kame_nd6_na_input(kif, skb, off, len);
		}
		return 0;
	case NDISC_ROUTER_SOLICITATION:
		kame_nd6_rs_input(kif, skb, off, len);
		return 0;
	case NDISC_ROUTER_ADVERTISEMENT:
		kame_nd6_ra_input(kif, skb, off, len);
		return 0;
	case NDISC_REDIRECT:
		kame_nd6_redirect_input(kif, skb, off, len);
		return 0;
	default:
		kame_icmp6stat_inc(kn, KAME_ICP6S_IN_OTHER);
		goto nosock;
	}
nosock:
	kame_icmp6stat_inc(kn, KAME_ICP6S_NOSOCK);
drop:
	kfree_skb(skb);
	return 0;
consumed:
	consume_skb(skb);
	return 0;
}
