// SPDX-License-Identifier: GPL-2.0
/*
 * ECN across a tunnel (KAME's ip_ecn.c; notes 4.6, RFC 6040): what the
 * outer header's ECN field is made of on encapsulation and what becomes
 * of a Congestion Experienced mark on decapsulation, for the tunnels of
 * the family (gif and stf with link1, IPsec tunnel mode). allowed is
 * KAME's ECN_ALLOWED; without it ECN_NOCARE.
 */
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/inet_ecn.h>
#include "kame_family.h"

/*
 * The outer TOS (or traffic class) for an inner one: a copy, except that
 * when allowed a CE mark goes out as ECT(0), so that a router on the
 * way can mark the outer header itself.
 */
u8 kame_ecn_ingress(bool allowed, u8 inner_tos)
{
	if (allowed && INET_ECN_is_ce(inner_tos))
		return (inner_tos & ~INET_ECN_MASK) | INET_ECN_ECT_0;
	return inner_tos;
}
EXPORT_SYMBOL_GPL(kame_ecn_ingress);

/*
 * Decapsulation of a packet whose inner header (of protocol inner) is at
 * skb->data: when allowed an outer CE mark is copied into the inner
 * header, and a packet whose inner header is not ECN-capable cannot carry
 * it: false, the caller drops it. Otherwise the outer field is ignored.
 */
bool kame_ecn_egress(bool allowed, u8 outer_tos, struct sk_buff *skb,
		     __be16 inner)
{
	if (!allowed || !INET_ECN_is_ce(outer_tos))
		return true;
	if (inner == htons(ETH_P_IP)) {
		if (skb_ensure_writable(skb, sizeof(struct iphdr)))
			return false;
		/* 0 only for Not-ECT; 1 for marked or already CE */
		return IP_ECN_set_ce((struct iphdr *)skb->data);
	}
	if (skb_ensure_writable(skb, sizeof(struct ipv6hdr)))
		return false;
	return IP6_ECN_set_ce(skb, (struct ipv6hdr *)skb->data);
}
EXPORT_SYMBOL_GPL(kame_ecn_egress);
