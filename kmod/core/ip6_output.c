// SPDX-License-Identifier: GPL-2.0
/*
 * IPv6 output (KAME's ip6_output.c): put the IPv6 header on a transport
 * payload, pick the link-layer destination (multicast mapping or the
 * neighbor cache) and hand the frame to the device; loop a copy back into
 * our own input for our own groups and addresses.
 */
#include <linux/etherdevice.h>
#include <linux/icmpv6.h>
#include <linux/if_ether.h>
#include <linux/ipv6.h>
#include <net/ipv6.h>
#include "kame.h"
#include "kame_family.h"

/*
 * Hand skb (IPv6 header at skb->data) to the device: behind an Ethernet
 * header to lladdr, or as it is on a point-to-point link without
 * link-layer addresses (the tunnel or tun device takes bare IPv6 packets
 * by skb->protocol; lladdr is not looked at).
 */
int kame_ip6_xmit_ll(struct kame_if *kif, struct sk_buff *skb,
		     const u8 *lladdr)
{
	struct net_device *dev = kif->dev;

	skb->dev = dev;
	skb->protocol = htons(ETH_P_IPV6);
	if (kif->lops)	/* ND's own messages: to their destination */
		return kif->lops->output(dev, skb,
					 &((struct ipv6hdr *)skb->data)->daddr);
	if (kif->nolladdr) {
		skb_reset_mac_header(skb);
		return dev_queue_xmit(skb);
	}
	if (dev_hard_header(skb, dev, ETH_P_IPV6, lladdr, dev->dev_addr,
			    skb->len) < 0) {
		kame_ip6stat_inc(kif->kn, KAME_IP6S_ODROPPED);
		kfree_skb(skb);
		return -EINVAL;
	}
	return dev_queue_xmit(skb);
}

/*
 * To a device whose module maps next hops itself (stf): the next hop in
 * plain form, the destination when on-link or multicast.
 */
static int kame_link_output(struct kame_if *kif, struct sk_buff *skb,
			    const struct in6_addr *dst,
			    const struct kame_nexthop *nh)
{
	struct in6_addr next = IN6_IS_ADDR_MULTICAST(dst) ? *dst : nh->addr;

	kame_in6_clearscope(&next);
	skb->dev = kif->dev;
	skb->protocol = htons(ETH_P_IPV6);
	return kif->lops->output(kif->dev, skb, &next);
}

/* Put the IPv6 header (plain addresses) on skb. */
static void kame_ip6_push_hdr(struct sk_buff *skb, u8 proto,
			      const struct in6_addr *src,
			      const struct in6_addr *dst,
			      const struct kame_ip6_txopts *tx)
{
	unsigned int plen = skb->len;
	struct ipv6hdr *ip6;

	ip6 = skb_push(skb, sizeof(*ip6));
	skb_reset_network_header(skb);
	ip6_flow_hdr(ip6, tx->tclass, 0);
	ip6->payload_len = htons(plen);
	ip6->nexthdr = proto;
	ip6->hop_limit = tx->hlim;
	ip6->saddr = *src;
	ip6->daddr = *dst;
	kame_in6_clearscope(&ip6->saddr);
	kame_in6_clearscope(&ip6->daddr);
}

/* Put the IPv6 header on skb and send it towards dst by nh. */
static int kame_ip6_finish(struct kame_if *kif, struct sk_buff *skb, u8 proto,
			   const struct in6_addr *src,
			   const struct in6_addr *dst,
			   const struct kame_ip6_txopts *tx,
			   const struct kame_nexthop *nh)
{
	u8 mac[ETH_ALEN];

	kame_ip6_push_hdr(skb, proto, src, dst, tx);
	if (nh->kif->lops && nh->type == KAME_NH_RESOLVE)
		return kame_link_output(nh->kif, skb, dst, nh);
	if (IN6_IS_ADDR_MULTICAST(dst) && nh->kif->nolladdr)
		return kame_ip6_xmit_ll(nh->kif, skb, NULL);
	if (IN6_IS_ADDR_MULTICAST(dst)) {
		mac[0] = 0x33;
		mac[1] = 0x33;
		memcpy(mac + 2, &dst->s6_addr[12], 4);
		return kame_ip6_xmit_ll(kif, skb, mac);
	}
	switch (nh->type) {
	case KAME_NH_LOOP:
		return kame_rt_loop(nh->kif, skb);
	case KAME_NH_REJECT:
		/* our own sender learns it from an ICMPv6 error too */
		kame_icmp6_error(kif, skb, ICMPV6_DEST_UNREACH, ICMPV6_NOROUTE,
				 0);
		return nh->host ? -EHOSTUNREACH : -ENETUNREACH;
	}
	return kame_nd6_resolve_output(nh->kif, skb, &nh->addr);
}

/*
 * Put bytes [off, off + n) of skb's payload into the fragment f: what lies
 * in skb's linear area is copied, what lies in its page fragments is
 * shared (a page reference each) rather than copied.
 */
static void kame_ip6_frag_data(struct sk_buff *f, const struct sk_buff *skb,
			       unsigned int off, unsigned int n)
{
	unsigned int hl = skb_headlen(skb), start = hl, c;
	int i;

	if (off < hl) {
		c = min(n, hl - off);
		skb_put_data(f, skb->data + off, c);
		off += c;
		n -= c;
	}
	for (i = 0; n && i < skb_shinfo(skb)->nr_frags; i++) {
		const skb_frag_t *fr = &skb_shinfo(skb)->frags[i];
		unsigned int end = start + skb_frag_size(fr);

		if (off < end) {
			c = min(n, end - off);
			get_page(skb_frag_page(fr));
			skb_fill_page_desc(f, skb_shinfo(f)->nr_frags,
					   skb_frag_page(fr),
					   skb_frag_off(fr) + off - start, c);
			f->len += c;
			f->data_len += c;
			f->truesize += c;
			off += c;
			n -= c;
		}
		start = end;
	}
}

/*
 * Can the fragments share skb's pages? Ours (kame_in6_send_alloc()) can;
 * anything with a frag_list, page-pool pages or user pages is copied.
 */
static bool kame_ip6_frag_shareable(struct sk_buff *skb)
{
	return !skb_has_frag_list(skb) && !skb->pp_recycle && !skb_zcopy(skb);
}

/*
 * The identification of a datagram to fragment (RFC 7739 5.3): a keyed
 * hash of the two addresses plus a counter of one of KAME_FRAG_ID_BUCKETS
 * that the same hash picks, advanced by a random step. The datagrams of
 * one pair of addresses get distinct identifications, and nobody learns
 * from those they see what the node sends to anyone else.
 */
static __be32 kame_ip6_frag_ident(struct kame_net *kn,
				  const struct in6_addr *src,
				  const struct in6_addr *dst)
{
	struct in6_addr pair[2] = { *src, *dst };
	u64 h = siphash(pair, sizeof(pair), &kn->frag_id_key);
	atomic_t *ctr = &kn->frag_ids[(h >> 32) % KAME_FRAG_ID_BUCKETS];

	return htonl((u32)h + atomic_add_return(1 + (get_random_u32() & 7),
						ctr));
}

/*
 * The unfragmentable part of a payload that begins with a Hop-by-Hop
 * Options header (a raw socket of that protocol writes it itself): that
 * header goes in front of the Fragment header of every fragment (RFC 8200
 * 4.5). Its length, 0 for any other payload, or -EINVAL when the header
 * claims more than the payload holds.
 */
static int kame_ip6_unfrag_len(const struct sk_buff *skb,
			       const struct kame_ip6_txopts *tx, u8 *nxt)
{
	u8 b[2];

	*nxt = tx->proto;
	if (tx->proto != NEXTHDR_HOP)
		return 0;
	if (skb_copy_bits(skb, 0, b, sizeof(b)) || (b[1] + 1) * 8 > skb->len)
		return -EINVAL;
	*nxt = b[0];
	return (b[1] + 1) * 8;
}

/* A new fragment: room for headers, hop-by-hop header and len bytes. */
static struct sk_buff *kame_ip6_frag_alloc(struct kame_if *kif,
					   const struct sk_buff *skb,
					   unsigned int unfrag,
					   unsigned int len)
{
	unsigned int head = LL_RESERVED_SPACE(kif->dev) +
			    sizeof(struct ipv6hdr);
	struct sk_buff *f;

	f = alloc_skb(head + unfrag + sizeof(struct frag_hdr) + len,
		      GFP_ATOMIC);
	if (!f)
		return NULL;
	skb_reserve(f, head);
	if (unfrag) {
		skb_copy_bits(skb, 0, skb_put(f, unfrag), unfrag);
		f->data[0] = NEXTHDR_FRAGMENT;
	}
	return f;
}

/*
 * KAME's ip6_fragment(): send the payload of skb in fragments that fit
 * the link MTU (RFC 8200 4.5), all with one new identification.
 */
static int kame_ip6_fragment(struct kame_if *kif, struct sk_buff *skb,
			     const struct in6_addr *src,
			     const struct in6_addr *dst,
			     const struct kame_ip6_txopts *tx, unsigned int mtu,
			     const struct kame_nexthop *nh)
{
	struct kame_net *kn = kif->kn;
	bool share = kame_ip6_frag_shareable(skb);
	unsigned int chunk, off, end;
	int unfrag, err = 0;
	__be32 id;
	u8 nxt;

	unfrag = kame_ip6_unfrag_len(skb, tx, &nxt);
	if (unfrag < 0 || sizeof(struct ipv6hdr) + unfrag +
	    sizeof(struct frag_hdr) + 8 > mtu) {
		kame_ip6stat_inc(kn, KAME_IP6S_CANTFRAG);
		kfree_skb(skb);
		return unfrag < 0 ? -EINVAL : -EMSGSIZE;
	}
	chunk = (mtu - sizeof(struct ipv6hdr) - unfrag -
		 sizeof(struct frag_hdr)) & ~7;
	id = kame_ip6_frag_ident(kn, src, dst);
	kame_ip6stat_inc(kn, KAME_IP6S_FRAGMENTED);
	for (off = unfrag; off < skb->len && !err; off += chunk) {
		unsigned int n = min(chunk, skb->len - off);
		struct frag_hdr *fh;
		struct sk_buff *f;

		end = off + n;
		f = kame_ip6_frag_alloc(kif, skb, unfrag,
					share ? min(n, skb_headlen(skb)) : n);
		if (!f) {
			kame_ip6stat_inc(kn, KAME_IP6S_ODROPPED);
			err = -ENOBUFS;
			break;
		}
		fh = skb_put(f, sizeof(*fh));
		fh->nexthdr = nxt;
		fh->reserved = 0;
		fh->frag_off = htons((off - unfrag) |
				     (end < skb->len ? IP6_MF : 0));
		fh->identification = id;
		if (share)
			kame_ip6_frag_data(f, skb, off, n);
		else
			skb_copy_bits(skb, off, skb_put(f, n), n);
		/* charged to the sender as the datagram was (its truesize
		 * final now): SO_SNDBUF holds while fragments wait
		 */
		if (skb->sk)
			skb_set_owner_w(f, skb->sk);
		kame_ip6stat_inc(kn, KAME_IP6S_OFRAGMENTS);
		err = kame_ip6_finish(kif, f, unfrag ? NEXTHDR_HOP :
				      NEXTHDR_FRAGMENT, src, dst, tx, nh);
	}
	consume_skb(skb);
	return err;
}

/*
 * KAME's ip6_mloopback(): with IPV6_MULTICAST_LOOP, a copy of a packet to
 * a group joined on kif, the whole datagram unfragmented, goes into our
 * own input as if it had arrived on kif, through the queue of packets to
 * ourselves (kame_rt_loop()). The input counts it like any received
 * packet. Packets to our own unicast addresses loop by their local route
 * instead (kame_rt_nexthop()).
 */
static void kame_ip6_mloopback(struct kame_if *kif, const struct sk_buff *skb,
			       const struct in6_addr *src,
			       const struct in6_addr *dst,
			       const struct kame_ip6_txopts *tx)
{
	struct sk_buff *c;

	c = skb_copy_expand(skb, sizeof(struct ipv6hdr), 0, GFP_ATOMIC);
	if (!c) {
		kame_ip6stat_inc(kif->kn, KAME_IP6S_ODROPPED);
		return;
	}
	kame_ip6_push_hdr(c, tx->proto, src, dst, tx);
	c->ip_summed = CHECKSUM_UNNECESSARY;
	kame_rt_loop(kif, c);
}

/*
 * skb->data holds the transport header and payload, with headroom for the
 * IPv6 and link-layer headers. src and dst are in the embedded form. A
 * unicast dst is looked up in the routing table (tx->onlink: ND sends to
 * a neighbor on kif without it); the route may pick another interface.
 */
int kame_ip6_output(struct kame_if *kif, struct sk_buff *skb,
		    const struct in6_addr *src, const struct in6_addr *dst,
		    const struct kame_ip6_txopts *txo)
{
	struct kame_nexthop nh = { .kif = kif, .addr = *dst,
				   .type = KAME_NH_RESOLVE };
	struct kame_ip6_txopts t = *txo, *tx = &t;
	struct kame_net *kn = kif->kn;
	unsigned int mtu;
	int err;

	rcu_read_lock();
	if (!tx->ipsec_done) {
		/* KAME's ipsec6_output_trans()/_tunnel(), once per packet */
		err = kame_ipsec_output(kif, &skb, src, dst, &t);
		if (err) {
			rcu_read_unlock();
			return err > 0 ? 0 : err;
		}
		t.ipsec_done = true;
	}
	if (skb->len > IPV6_MAXPLEN) {
		kame_ip6stat_inc(kn, KAME_IP6S_ODROPPED);
		err = -EMSGSIZE;
		goto drop;
	}
	if (!IN6_IS_ADDR_MULTICAST(dst) && !tx->onlink) {
		struct kame_flow fl;

		kame_rt_flow_out(skb, src, dst, tx->proto, &fl);
		err = kame_rt_nexthop_flow(kif, dst, &nh, &fl); /* noroute */
		if (err)
			goto drop;
	}
	if (kame_if_disabled(nh.kif)) {	/* ND6_IFF_IFDISABLED */
		kame_ip6stat_inc(kn, KAME_IP6S_ODROPPED);
		err = -ENETDOWN;
		goto drop;
	}
	kame_ip6stat_inc(kn, KAME_IP6S_LOCALOUT);
	/* before the send, so that a STALE entry does not go to DELAY */
	if (tx->confirm && nh.type == KAME_NH_RESOLVE &&
	    !IN6_IS_ADDR_MULTICAST(dst))
		kame_nd6_nud_hint(nh.kif, &nh.addr);
	if (nh.type == KAME_NH_BLACKHOLE) {
		kame_ip6stat_inc(kn, KAME_IP6S_ODROPPED);
		err = 0;
		goto drop;
	}
	mtu = kame_if_linkmtu(nh.kif);
	if (skb->len + sizeof(struct ipv6hdr) > mtu && tx->dontfrag &&
	    nh.type != KAME_NH_REJECT) {
		kame_ip6stat_inc(kn, KAME_IP6S_CANTFRAG);
		err = -EMSGSIZE;
		goto drop;
	}
	if (IN6_IS_ADDR_MULTICAST(dst) && tx->mloop &&
	    kame_in6_joined(kif, dst))
		kame_ip6_mloopback(kif, skb, src, dst, tx);
	if (IN6_IS_ADDR_MULTICAST(dst) && IN6_MC_SCOPE(dst) <= 1) {
		/* interface-local: the loopback copy is all (RFC 4291 2.7) */
		rcu_read_unlock();
		consume_skb(skb);
		return 0;
	}
	if (skb->len + sizeof(struct ipv6hdr) > mtu &&
	    nh.type != KAME_NH_REJECT)
		err = kame_ip6_fragment(nh.kif, skb, src, dst, tx, mtu, &nh);
	else
		err = kame_ip6_finish(nh.kif, skb, tx->proto, src, dst, tx,
				      &nh);
	rcu_read_unlock();
	return err;
drop:
	rcu_read_unlock();
	kfree_skb(skb);
	return err;
}

int kame_family_output(struct net *net, struct sk_buff *skb,
		       const struct in6_addr *src, const struct in6_addr *dst,
		       u8 proto, u8 hlim, u8 tclass)
{
	return kame_family_output_flags(net, skb, src, dst, proto, hlim,
					tclass, 0);
}
EXPORT_SYMBOL_GPL(kame_family_output);

int kame_family_output_flags(struct net *net, struct sk_buff *skb,
			     const struct in6_addr *src,
			     const struct in6_addr *dst, u8 proto, u8 hlim,
			     u8 tclass, u32 flags)
{
	struct kame_ip6_txopts tx = { .proto = proto, .hlim = hlim,
				      .tclass = tclass,
				      .ipsec_done = flags & KAME_OUT_F_IPSEC_DONE };
	struct kame_net *kn = kame_net(net);
	const struct kame_ifaddr *ifa;
	struct in6_addr d = *dst;
	struct kame_if *kif;
	int err;

	rcu_read_lock();
	kif = kame_rt_output_if(kn, &d, 0, 0, &err);	/* counts noroute */
	if (!kif)
		goto drop;
	if (!tx.hlim)
		tx.hlim = READ_ONCE(kif->curhlim);
	ifa = kame_ifa_lookup(kn, src);
	if (!ifa || !kame_ifa_usable(ifa)) {
		kame_ip6stat_inc(kn, KAME_IP6S_ODROPPED);
		err = -EADDRNOTAVAIL;
		goto drop;
	}
	err = kame_ip6_output(kif, skb, src, &d, &tx);
	rcu_read_unlock();
	return err;
drop:
	rcu_read_unlock();
	kfree_skb(skb);
	return err;
}
EXPORT_SYMBOL_GPL(kame_family_output_flags);

int kame_family_output_ip6out(struct net *net, struct sk_buff *skb,
			      const struct kame_ip6out *o)
{
	struct kame_ip6_txopts tx = { .proto = o->proto, .hlim = o->hlim,
				      .tclass = o->tclass,
				      .dontfrag = o->flags & KAME_OUT_F_DONTFRAG,
				      .mloop = o->flags & KAME_OUT_F_MLOOP,
				      .ipsec_done = true };
	struct in6_addr s = o->src, d = o->dst;
	struct kame_if *kif;
	int err;

	local_bh_disable();
	if (!o->oif) {	/* a tunnel's outer packet: by the routes */
		err = kame_family_output_flags(net, skb, &o->src, &o->dst,
					       o->proto, o->hlim, o->tclass,
					       KAME_OUT_F_IPSEC_DONE);
		local_bh_enable();
		return err;
	}
	rcu_read_lock();
	/* where the hook was called: the interface the sender chose */
	kif = kame_zone_if(kame_net(net), 0, o->oif);
	if (!kif) {
		kame_ip6stat_inc(kame_net(net), KAME_IP6S_NOROUTE);
		kfree_skb(skb);
		err = -ENETUNREACH;
		goto out;
	}
	kame_in6_setscope(&s, o->oif);
	kame_in6_setscope(&d, o->oif);
	if (!tx.hlim)
		tx.hlim = READ_ONCE(kif->curhlim);
	err = kame_ip6_output(kif, skb, &s, &d, &tx);
out:
	rcu_read_unlock();
	local_bh_enable();
	return err;
}
EXPORT_SYMBOL_GPL(kame_family_output_ip6out);
