// SPDX-License-Identifier: GPL-2.0
/*
 * IPv6 output (KAME's ip6_output.c): put the IPv6 header on a transport
 * payload, pick the link-layer destination (multicast mapping or the
 * neighbor cache) and hand the frame to the device.
 */
#include <linux/etherdevice.h>
#include <linux/if_ether.h>
#include <linux/ipv6.h>
#include "kame.h"

int kame_ip6_xmit_ll(struct kame_if *kif, struct sk_buff *skb,
		     const u8 *lladdr)
{
	struct net_device *dev = kif->dev;

	skb->dev = dev;
	skb->protocol = htons(ETH_P_IPV6);
	if (dev_hard_header(skb, dev, ETH_P_IPV6, lladdr, dev->dev_addr,
			    skb->len) < 0) {
		kame_ip6stat_inc(kif->kn, KAME_IP6S_ODROPPED);
		kfree_skb(skb);
		return -EINVAL;
	}
	return dev_queue_xmit(skb);
}

/*
 * skb->data holds the transport header and payload, with headroom for the
 * IPv6 and link-layer headers. src and dst are in the embedded form.
 */
int kame_ip6_output(struct kame_if *kif, struct sk_buff *skb, u8 proto,
		    const struct in6_addr *src, const struct in6_addr *dst,
		    u8 hlim)
{
	struct kame_net *kn = kif->kn;
	unsigned int plen = skb->len;
	struct ipv6hdr *ip6;
	u8 mac[ETH_ALEN];

	if (kame_if_disabled(kif)) {	/* ND6_IFF_IFDISABLED */
		kame_ip6stat_inc(kn, KAME_IP6S_ODROPPED);
		kfree_skb(skb);
		return -ENETDOWN;
	}
	if (plen + sizeof(*ip6) > READ_ONCE(kif->dev->mtu) ||
	    plen > IPV6_MAXPLEN) {
		kame_ip6stat_inc(kn, KAME_IP6S_ODROPPED);
		kfree_skb(skb);
		return -EMSGSIZE;
	}
	ip6 = skb_push(skb, sizeof(*ip6));
	skb_reset_network_header(skb);
	ip6_flow_hdr(ip6, 0, 0);
	ip6->payload_len = htons(plen);
	ip6->nexthdr = proto;
	ip6->hop_limit = hlim;
	ip6->saddr = *src;
	ip6->daddr = *dst;
	kame_in6_clearscope(&ip6->saddr);
	kame_in6_clearscope(&ip6->daddr);
	kame_ip6stat_inc(kn, KAME_IP6S_LOCALOUT);

	if (IN6_IS_ADDR_MULTICAST(dst)) {
		mac[0] = 0x33;
		mac[1] = 0x33;
		memcpy(mac + 2, &dst->s6_addr[12], 4);
		return kame_ip6_xmit_ll(kif, skb, mac);
	}
	if (!kame_in6_onlink(kif, dst)) {
		kame_ip6stat_inc(kn, KAME_IP6S_NOROUTE);
		kfree_skb(skb);
		return -ENETUNREACH;
	}
	return kame_nd6_resolve_output(kif, skb, dst);
}
