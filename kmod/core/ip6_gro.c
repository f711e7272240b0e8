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
 * One packet of a train: the head's hlen bytes of headers (the transport
 * header thoff bytes into them) with the IPv6 payload length of this
 * payload, len bytes at off. The caller fixes the transport header.
 */
static struct sk_buff *gro_segment(struct sk_buff *skb, unsigned int thoff,
				   unsigned int hlen, unsigned int off,
				   unsigned int len)
{
	struct sk_buff *seg;

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
	ipv6_hdr(seg)->payload_len = htons(seg->len - sizeof(struct ipv6hdr));
	seg->dev = skb->dev;
	seg->protocol = skb->protocol;
	seg->pkt_type = skb->pkt_type;
	return seg;
}

/* The checksum of seg's transport header and payload, pseudo-header too. */
static __sum16 gro_csum(struct sk_buff *seg, u8 proto)
{
	unsigned int thoff = skb_transport_offset(seg), tlen = seg->len - thoff;
	const struct ipv6hdr *ip6 = ipv6_hdr(seg);

	return csum_ipv6_magic(&ip6->saddr, &ip6->daddr, tlen, proto,
			       skb_checksum(seg, thoff, tlen, 0));
}

/* A UDP datagram's own length and checksum (its field zeroed first). */
static void gro_fix_udp(struct sk_buff *seg, unsigned int done, bool last)
{
	struct udphdr *uh = udp_hdr(seg);

	uh->len = htons(seg->len - skb_transport_offset(seg));
	uh->check = 0;
	uh->check = gro_csum(seg, IPPROTO_UDP) ?: CSUM_MANGLED_0;
}

/*
 * A TCP segment done bytes into the train: the sequence number moved on
 * by them, FIN and PSH on the last segment only and CWR on the first
 * only (as the sender's segmentation would have set them), a checksum.
 */
static void gro_fix_tcp(struct sk_buff *seg, unsigned int done, bool last)
{
	struct tcphdr *th = tcp_hdr(seg);

	th->seq = htonl(ntohl(th->seq) + done);
	if (!last)
		th->fin = th->psh = 0;
	if (done)
		th->cwr = 0;
	th->check = 0;
	th->check = gro_csum(seg, IPPROTO_TCP);
}

/*
 * A train: gso_size bytes of payload a packet (the last may be shorter)
 * behind the first packet's hlen bytes of headers, read through the
 * frags and the frag_list alike (skb_copy_bits() does not modify skb,
 * which may be shared with a packet tap). GRO merges only packets of one
 * flow whose headers agree but for what fix() sets, so each is rebuilt
 * from the first one's headers. Takes skb; NULL (nothing left) when one
 * cannot be.
 */
static struct sk_buff *gro_split(struct sk_buff *skb, unsigned int thoff,
				 unsigned int hlen,
				 void (*fix)(struct sk_buff *, unsigned int, bool))
{
	unsigned int first = skb_network_offset(skb) + hlen, off, len;
	unsigned int mss = skb_shinfo(skb)->gso_size;
	struct sk_buff *head = NULL, **tail = &head, *seg;

	if (!mss || skb->len <= first)
		goto fail;
	for (off = first; off < skb->len; off += mss) {
		len = min(mss, skb->len - off);
		seg = gro_segment(skb, thoff, hlen, off, len);
		if (!seg)
			goto fail;
		fix(seg, off - first, off + len == skb->len);
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

/* A UDP train (the ports, the rest of the header from the first) */
static struct sk_buff *gro_split_udp(struct sk_buff *skb)
{
	unsigned int thoff = gro_l4_off(skb, IPPROTO_UDP);

	if (!thoff) {
		kfree_skb(skb);
		return NULL;
	}
	return gro_split(skb, thoff, thoff + sizeof(struct udphdr),
			 gro_fix_udp);
}

/* A TCP train, its headers with the first segment's options */
static struct sk_buff *gro_split_tcp(struct sk_buff *skb)
{
	unsigned int thoff = gro_l4_off(skb, IPPROTO_TCP);
	const struct tcphdr *th;
	struct tcphdr _th;

	th = thoff ? skb_header_pointer(skb, skb_network_offset(skb) + thoff,
					sizeof(_th), &_th) : NULL;
	if (!th || th->doff < 5) {
		kfree_skb(skb);
		return NULL;
	}
	return gro_split(skb, thoff, thoff + th->doff * 4, gro_fix_tcp);
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
