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

int kame_ip6_input(struct sk_buff *skb, struct net_device *dev,
		   struct packet_type *pt, struct net_device *orig_dev)
{
	struct kame_if *kif = container_of(pt, struct kame_if, pt);
	struct kame_net *kn = kif->kn;
	const struct ipv6hdr *ip6;

	if (skb->pkt_type == PACKET_OTHERHOST)
		return kame_ip6_drop(kn, skb, KAME_IP6S_OTHERHOST);

	this_cpu_inc(*kif->rx_packets);
	kame_ip6stat_inc(kn, KAME_IP6S_TOTAL);

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

	/*
	 * The destination check is a lookup in the stack's routing table.
	 * This node has no addresses and no routes yet, so nothing is for it
	 * and, being a host, it forwards nothing.
	 */
	return kame_ip6_drop(kn, skb, KAME_IP6S_CANTFORWARD);
}
