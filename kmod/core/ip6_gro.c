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
 * a UDP train here into its datagrams and a TCP train (GRO, or a peer's
 * TSO buffer that veth hands over whole) into its segments, each then
 * counted by the input on its own (ip6s_grosplit counts the trains): a
 * router forwards them like any other packets, and KAME's own input
 * treats each as it would have come. Anything else merged is dropped
 * whole (ip6s_grodrop). GRO merges only packets whose checksum it
 * verified (a local peer's buffer has none yet), never a UDP datagram
 * with a zero checksum, so rebuilding a checksum vouches for nothing new.
 */
#include <linux/ipv6.h>
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/ip6_checksum.h>
#include "kame.h"

/*
 * The offset of the proto header of a train from its IPv6 header, when
 * the transport header is where the headers say: behind the IPv6 header
 * and any Hop-by-Hop or Destination Options headers (no Routing header:
 * the checksums' pseudo-header needs the final destination). 0: not so.
 */
static unsigned int gro_l4_off(const struct sk_buff *skb, u8 proto)
{
	unsigned int nhoff = skb_network_offset(skb), off = sizeof(struct ipv6hdr);
	unsigned int thoff = skb_transport_offset(skb) - nhoff;
	u8 buf[2], nh;
	const u8 *p;

	p = skb_header_pointer(skb, nhoff + 6, 1, buf);
	if (!p)
		return 0;
	nh = *p;
	while (off < thoff && (nh == NEXTHDR_HOP || nh == NEXTHDR_DEST)) {
		p = skb_header_pointer(skb, nhoff + off, 2, buf);
		if (!p)
			return 0;
		nh = p[0];
		off += (p[1] + 1) * 8;
	}
	return off == thoff && nh == proto ? off : 0;
}

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
	unsigned int hlen = gro_l4_off(skb, IPPROTO_UDP) + sizeof(struct udphdr);
	unsigned int off = skb_network_offset(skb) + hlen;
	unsigned int mss = skb_shinfo(skb)->gso_size;
	struct sk_buff *head = NULL, **tail = &head, *seg;

	if (!mss || hlen == sizeof(struct udphdr) || skb->len <= off)
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
 * One TCP segment of a train: the head's headers with this payload (at
 * off, len bytes; the first at first), the sequence number moved on by
 * the bytes before it, FIN and PSH on the last segment only and CWR on
 * the first only (as the sender's segmentation would have set them), a
 * fresh checksum. The TCP header is thoff bytes into the headers.
 */
static struct sk_buff *gro_tcp_segment(struct sk_buff *skb, unsigned int thoff,
				       unsigned int hlen, unsigned int first,
				       unsigned int off, unsigned int len)
{
	unsigned int tlen;
	struct sk_buff *seg;
	struct ipv6hdr *ip6;
	struct tcphdr *th;

	seg = alloc_skb(LL_RESERVED_SPACE(skb->dev) + hlen + len, GFP_ATOMIC);
	if (!seg)
		return NULL;
	skb_reserve(seg, LL_RESERVED_SPACE(skb->dev));
	if (skb_copy_bits(skb, skb_network_offset(skb), skb_put(seg, hlen),
			  hlen) ||
	    skb_copy_bits(skb, off, skb_put(seg, len), len)) {
		kfree_skb(seg);
		return NULL;
	}
	skb_reset_network_header(seg);
	skb_set_transport_header(seg, thoff);
	ip6 = ipv6_hdr(seg);
	ip6->payload_len = htons(seg->len - sizeof(*ip6));
	th = tcp_hdr(seg);
	th->seq = htonl(ntohl(th->seq) + off - first);
	if (off + len < skb->len)
		th->fin = th->psh = 0;
	if (off != first)
		th->cwr = 0;
	tlen = seg->len - thoff;
	th->check = 0;
	th->check = csum_ipv6_magic(&ip6->saddr, &ip6->daddr, tlen, IPPROTO_TCP,
				    skb_checksum(seg, thoff, tlen, 0));
	seg->dev = skb->dev;
	seg->protocol = skb->protocol;
	seg->pkt_type = skb->pkt_type;
	return seg;
}

/*
 * A TCP train: gso_size bytes of payload a segment behind the first
 * segment's headers (GRO merges only segments whose headers agree but
 * for the sequence numbers and flags handled above). NULL (nothing
 * left) when one cannot be split.
 */
static struct sk_buff *gro_split_tcp(struct sk_buff *skb)
{
	unsigned int thoff = gro_l4_off(skb, IPPROTO_TCP), hlen, off, first;
	unsigned int mss = skb_shinfo(skb)->gso_size;
	struct sk_buff *head = NULL, **tail = &head, *seg;
	struct tcphdr _th;
	const struct tcphdr *th;

	if (!mss || !thoff)
		goto fail;
	th = skb_header_pointer(skb, skb_network_offset(skb) + thoff,
				sizeof(_th), &_th);
	if (!th || th->doff < 5)
		goto fail;
	hlen = thoff + th->doff * 4;
	first = skb_network_offset(skb) + hlen;
	if (skb->len <= first)
		goto fail;
	for (off = first; off < skb->len; off += mss) {
		seg = gro_tcp_segment(skb, thoff, hlen, first, off,
				      min(mss, skb->len - off));
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
	unsigned int type = skb_shinfo(skb)->gso_type;
	struct kame_net *kn = kif->kn;
	struct sk_buff *next;

	if (!(type & (SKB_GSO_UDP_L4 | SKB_GSO_TCPV6))) {
		kame_ip6stat_inc(kn, KAME_IP6S_GRODROP);
		kfree_skb(skb);
		return NET_RX_DROP;
	}
	skb = type & SKB_GSO_UDP_L4 ? gro_split_udp(skb) : gro_split_tcp(skb);
	if (!skb) {
		kame_ip6stat_inc(kn, KAME_IP6S_GRODROP);
		return NET_RX_DROP;
	}
	kame_ip6stat_inc(kn, KAME_IP6S_GROSPLIT);
	for (; skb; skb = next) {
		next = skb->next;
		skb_mark_not_on_list(skb);
		input(kif, skb);
	}
	return NET_RX_SUCCESS;
}
