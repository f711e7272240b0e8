// SPDX-License-Identifier: GPL-2.0
/*
 * IPv6 input: KAME's ip6_input(), entered from the ETH_P_IPV6 packet
 * handler registered on each attached interface.
 *
 * Every frame counted in ip6s_total that is dropped increments exactly one
 * other counter. No message is ever logged from here.
 */
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <net/ipv6.h>
#include "kame.h"

static int kame_ip6_drop(struct kame_net *kn, struct sk_buff *skb,
			 enum kame_ip6stat_id why)
{
	kame_ip6stat_inc(kn, why);
	kfree_skb(skb);
	return NET_RX_DROP;
}

/*
 * Addresses that must never be seen on the wire (KAME notes 1.14): a
 * multicast source, v4-mapped or loopback addresses, an unspecified
 * destination.
 */
static bool kame_ip6_src_dst_check(const struct ipv6hdr *ip6)
{
	return IN6_IS_ADDR_MULTICAST(&ip6->saddr) ||
	       IN6_IS_ADDR_V4MAPPED(&ip6->saddr) ||
	       IN6_IS_ADDR_V4MAPPED(&ip6->daddr) ||
	       IN6_IS_ADDR_LOOPBACK(&ip6->saddr) ||
	       IN6_IS_ADDR_LOOPBACK(&ip6->daddr) ||
	       IN6_IS_ADDR_UNSPECIFIED(&ip6->daddr);
}

int kame_ip6_input(struct sk_buff *skb, struct net_device *dev,
		   struct packet_type *pt, struct net_device *orig_dev)
{
	struct kame_if *kif = container_of(pt, struct kame_if, pt);
	struct kame_net *kn = kif->kn;
	const struct ipv6hdr *ip6;
	struct in6_addr dst;

	if (skb->pkt_type == PACKET_OTHERHOST)
		return kame_ip6_drop(kn, skb, KAME_IP6S_OTHERHOST);

	this_cpu_inc(*kif->rx_packets);
	kame_ip6stat_inc(kn, KAME_IP6S_TOTAL);
	if (kame_if_disabled(kif))
		return kame_ip6_drop(kn, skb, KAME_IP6S_IFDISABLED);

	skb = skb_share_check(skb, GFP_ATOMIC);
	if (!skb) {
		kame_ip6stat_inc(kn, KAME_IP6S_NOMEM);
		return NET_RX_DROP;
	}
	if (!pskb_may_pull(skb, sizeof(*ip6)))
		return kame_ip6_drop(kn, skb, KAME_IP6S_TOOSMALL);
	ip6 = ipv6_hdr(skb);
	if (ip6->version != 6)
		return kame_ip6_drop(kn, skb, KAME_IP6S_BADVERS);
	if (sizeof(*ip6) + ntohs(ip6->payload_len) > skb->len)
		return kame_ip6_drop(kn, skb, KAME_IP6S_TOOSHORT);

	if (kame_ip6_src_dst_check(ip6))
		return kame_ip6_drop(kn, skb, KAME_IP6S_BADSCOPE);
	if (pskb_trim_rcsum(skb, sizeof(*ip6) + ntohs(ip6->payload_len)))
		return kame_ip6_drop(kn, skb, KAME_IP6S_NOMEM);
	ip6 = ipv6_hdr(skb);

	/* is it for us? */
	dst = ip6->daddr;
	kame_in6_setscope(&dst, dev->ifindex);
	if (IN6_IS_ADDR_MULTICAST(&dst)) {
		if (!kame_in6_joined(kif, &dst))
			return kame_ip6_drop(kn, skb, KAME_IP6S_NOTMEMBER);
	} else if (!kame_ifa_lookup(kn, &dst)) {
		/* a host forwards nothing */
		return kame_ip6_drop(kn, skb, KAME_IP6S_CANTFORWARD);
	}

	skb_set_transport_header(skb, sizeof(*ip6));
	switch (ip6->nexthdr) {
	case IPPROTO_ICMPV6:
		kame_ip6stat_inc(kn, KAME_IP6S_DELIVERED);
		return kame_icmp6_input(kif, skb);
	default:
		return kame_ip6_drop(kn, skb, KAME_IP6S_NOPROTO);
	}
}
