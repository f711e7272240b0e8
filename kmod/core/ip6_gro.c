// SPDX-License-Identifier: GPL-2.0
/*
 * Packets merged by the receive offloads, taken apart again before input.
 *
 * KAME's input takes packets one at a time, as they came off the wire.
 * Linux's generic receive offload runs before our handler and may hand it
 * one skb that holds several packets of one flow: UDP datagrams with
 * rx-gro-list (NETIF_F_GRO_FRAGLIST, each on the frag_list) or
 * rx-udp-gro-forwarding (NETIF_F_GRO_UDP_FWD, payloads concatenated),
 * TCP segments with plain GRO. Attaching leaves the device's offloads as
 * they are (they serve Linux's IPv4 on the same device); the input splits
 * a UDP train here into its datagrams, each then counted by the input on
 * its own (ip6s_grosplit counts the trains). Anything else
 * merged (TCP: KAME has no TCP yet) is dropped whole (ip6s_grodrop). GRO
 * merges only datagrams whose checksum it verified, never one with a zero
 * checksum, so rebuilding a checksum vouches for nothing new.
 */
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/udp.h>
#include <net/ip6_checksum.h>
#include "kame.h"

/*
 * One UDP datagram of a coalesced train: the head's headers with the
 * lengths of this payload, the payload at off, a fresh checksum.
 */
static struct sk_buff *gro_udp_segment(struct sk_buff *skb, unsigned int hlen,
				       unsigned int off, unsigned int len)
{
	unsigned int nhoff = skb_network_offset(skb);
	unsigned int thoff = skb_transport_offset(skb) - nhoff;
	struct sk_buff *seg;
	struct ipv6hdr *ip6;
	struct udphdr *uh;

	seg = alloc_skb(LL_RESERVED_SPACE(skb->dev) + hlen + len, GFP_ATOMIC);
	if (!seg)
		return NULL;
	skb_reserve(seg, LL_RESERVED_SPACE(skb->dev));
	if (skb_copy_bits(skb, nhoff, skb_put(seg, hlen), hlen) ||
	    skb_copy_bits(skb, off, skb_put(seg, len), len)) {
		kfree_skb(seg);
		return NULL;
	}
	skb_reset_network_header(seg);
	skb_set_transport_header(seg, thoff);
	ip6 = ipv6_hdr(seg);
	ip6->payload_len = htons(seg->len - sizeof(*ip6));
	uh = udp_hdr(seg);
	uh->len = htons(seg->len - thoff);
	uh->check = 0;
	uh->check = csum_ipv6_magic(&ip6->saddr, &ip6->daddr, seg->len - thoff,
				    IPPROTO_UDP,
				    skb_checksum(seg, thoff, seg->len - thoff,
						 0));
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;
	seg->dev = skb->dev;
	seg->protocol = skb->protocol;
	seg->pkt_type = skb->pkt_type;
	return seg;
}

/*
 * A UDP train: gso_size bytes of payload a datagram (the last may be
 * shorter) behind the first datagram's headers, read through the frags
 * and the frag_list alike (skb_copy_bits() does not modify skb, which
 * may be shared with a packet tap). GRO merges only datagrams of one
 * flow with equal headers, so each is rebuilt from the first one's
 * headers, lengths and checksum its own. NULL (nothing left) when one
 * cannot be.
 */
static struct sk_buff *gro_split_udp(struct sk_buff *skb)
{
	unsigned int hlen = skb_transport_offset(skb) - skb_network_offset(skb) +
			    sizeof(struct udphdr);
	unsigned int off = skb_network_offset(skb) + hlen;
	unsigned int mss = skb_shinfo(skb)->gso_size;
	struct sk_buff *head = NULL, **tail = &head, *seg;

	if (!mss || skb->len <= off)
		goto fail;
	for (; off < skb->len; off += mss) {
		seg = gro_udp_segment(skb, hlen, off, min(mss, skb->len - off));
		if (!seg)
			goto fail;
		*tail = seg;
		tail = &seg->next;
	}
	consume_skb(skb);
	return head;
fail:
	kfree_skb_list(head);
	kfree_skb(skb);
	return NULL;
}

/*
 * A merged skb from kif's device: feed its packets to input one by one.
 * Called under RCU with BH off, as the input itself.
 */
int kame_ip6_gro_input(struct kame_if *kif, struct sk_buff *skb,
		       int (*input)(struct kame_if *, struct sk_buff *))
{
	struct kame_net *kn = kif->kn;
	struct sk_buff *next;

	if (!(skb_shinfo(skb)->gso_type & SKB_GSO_UDP_L4)) {
		kame_ip6stat_inc(kn, KAME_IP6S_GRODROP);
		kfree_skb(skb);
		return NET_RX_DROP;
	}
	kame_ip6stat_inc(kn, KAME_IP6S_GROSPLIT);
	skb = gro_split_udp(skb);
	if (!skb) {
		kame_ip6stat_inc(kn, KAME_IP6S_GRODROP);
		return NET_RX_DROP;
	}
	for (; skb; skb = next) {
		next = skb->next;
		skb_mark_not_on_list(skb);
		input(kif, skb);
	}
	return NET_RX_SUCCESS;
}
