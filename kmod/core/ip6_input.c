// SPDX-License-Identifier: GPL-2.0
/*
 * IPv6 input: KAME's ip6_input(), entered from the ETH_P_IPV6 packet
 * handler registered on each attached interface.
 *
 * Every frame counted in ip6s_total that is dropped increments exactly one
 * other counter. No message is ever logged from here.
 */
#include <linux/if_vlan.h>
#include <linux/ipv6.h>
#include <linux/skbuff.h>
#include <net/ipv6.h>
#include <net/ndisc.h>
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
 * destination, and a scoped address with something in bytes 2-3 (where
 * the kernel keeps the zone).
 */
static bool kame_ip6_src_dst_check(const struct ipv6hdr *ip6)
{
	return IN6_IS_ADDR_MULTICAST(&ip6->saddr) ||
	       (kame_in6_is_scoped(&ip6->saddr) && ip6->saddr.s6_addr16[1]) ||
	       (kame_in6_is_scoped(&ip6->daddr) && ip6->daddr.s6_addr16[1]) ||
	       IN6_IS_ADDR_V4MAPPED(&ip6->saddr) ||
	       IN6_IS_ADDR_V4MAPPED(&ip6->daddr) ||
	       IN6_IS_ADDR_LOOPBACK(&ip6->saddr) ||
	       IN6_IS_ADDR_LOOPBACK(&ip6->daddr) ||
	       IN6_IS_ADDR_UNSPECIFIED(&ip6->daddr);
}

/*
 * The unspecified source belongs to a node without an address: only a
 * DAD Neighbor Solicitation (RFC 4862 5.4.2) and a Router Solicitation
 * (RFC 4861 4.1) may carry it here, right after the IPv6 header (MLD
 * reports may too, RFC 3590, once MLD is in). Anything else from :: is
 * dropped (ip6s_badscope), never answered.
 */
static bool kame_ip6_unspec_ok(const struct sk_buff *skb)
{
	u8 buf, *type;

	if (ipv6_hdr(skb)->nexthdr != IPPROTO_ICMPV6)
		return false;
	type = skb_header_pointer(skb, sizeof(struct ipv6hdr), 1, &buf);
	return type && (*type == NDISC_NEIGHBOUR_SOLICITATION ||
			*type == NDISC_ROUTER_SOLICITATION);
}

/* The upper-layer dispatch of one packet (KAME's protocol switch). */
static int kame_ip6_demux(struct kame_if *kif, struct sk_buff *skb,
			  struct kame_ip6ctx *c)
{
	unsigned int nest = 0, limit = READ_ONCE(kif->kn->hdrnestlimit);
	const struct kame_ip6proto *pr;
	struct kame_net *kn = kif->kn;
	bool spd_done;
	int err = 0;

	for (;;) {
		if (limit && ++nest > limit)
			return kame_ip6_drop(kn, skb, KAME_IP6S_TOOMANYHDR);
		switch (c->nxt) {
		case NEXTHDR_HOP:
			/* only right after the IPv6 header (RFC 8200 4.1) */
			kame_ip6stat_inc(kn, KAME_IP6S_BADOPTIONS);
			kame_icmp6_error(kif, skb, ICMPV6_PARAMPROB,
					 ICMPV6_UNK_NEXTHDR, c->nhoff);
			return NET_RX_DROP;
		case NEXTHDR_DEST:
			err = kame_dest6_input(kif, &skb, c);
			break;
		case NEXTHDR_ROUTING:
			err = kame_route6_input(kif, &skb, c);
			break;
		case NEXTHDR_FRAGMENT:
			err = kame_frag6_input(kif, &skb, c);
			break;
		case IPPROTO_ICMPV6:
			if (!kame_ipsec_input_ok(kn, skb, c))
				goto polvio;
			kame_ip6stat_inc(kn, KAME_IP6S_DELIVERED);
			skb_set_transport_header(skb, c->off);
			return kame_icmp6_input(kif, skb, c);
		case IPPROTO_UDP:
			/*
			 * the receiving socket's IPsec policy decides, or
			 * the SPD's (KAME's udp6_input()): a refusal is
			 * counted there, and is no delivery
			 */
			if (kame_udp6_input(kif, skb, c) == KAME_IN_POLVIO)
				return NET_RX_DROP;
			kame_ip6stat_inc(kn, KAME_IP6S_DELIVERED);
			return NET_RX_SUCCESS;
		case NEXTHDR_NONE:
			if (kame_rip6_input(kif, skb, c, false) < 0)
				goto polvio;
			kame_ip6stat_inc(kn, KAME_IP6S_DELIVERED);
			consume_skb(skb);
			return NET_RX_SUCCESS;
		default:
			/* a next header of another module of the family */
			pr = kame_ip6proto_find(c->nxt);
			spd_done = pr || (c->nxt == IPPROTO_IPV6 &&
					  kame_ipsec_loaded());
			if (spd_done && !kame_ipsec_input_ok(kn, skb, c))
				goto polvio;
			/* an IPComp tunnel's uncompressed packet first */
			err = c->nxt == IPPROTO_IPV6 ?
			      kame_ipsec_ip6ip6_input(kif, skb, c) : 0;
			if (err == KAME_IP6PROTO_DROP)
				return NET_RX_DROP;
			if (err > 0) {
				kame_ip6stat_inc(kn, KAME_IP6S_DELIVERED);
				return NET_RX_SUCCESS;
			}
			if (pr) {
				err = pr->input(kif, &skb, c);
				if (!err)
					continue;
				if (err == KAME_IP6PROTO_DROP)
					return NET_RX_DROP;
				if (err == KAME_IP6PROTO_ASYNC)	/* resumes */
					return NET_RX_SUCCESS;
				if (err > 0) {
					kame_ip6stat_inc(kn, KAME_IP6S_DELIVERED);
					return NET_RX_SUCCESS;
				}
				err = 0;	/* not its: as without it */
			}
			/*
			 * KAME's rip6_input(): raw sockets (each socket's
			 * IPsec policy, or the SPD), else an error
			 */
			err = kame_rip6_input(kif, skb, c, spd_done);
			if (err < 0)
				goto polvio;
			if (err) {
				kame_ip6stat_inc(kn, KAME_IP6S_DELIVERED);
				consume_skb(skb);
				return NET_RX_SUCCESS;
			}
			kame_ip6stat_inc(kn, KAME_IP6S_NOPROTO);
			kame_icmp6_error(kif, skb, ICMPV6_PARAMPROB,
					 ICMPV6_UNK_NEXTHDR, c->nhoff);
			return NET_RX_DROP;
		}
		if (err)
			return NET_RX_DROP;
	}
polvio:
	/* the IPsec module counted the policy violation (ipsec6stat) */
	kfree_skb(skb);
	return NET_RX_DROP;
}

/* The payload length, jumbo payloads included (RFC 2675, notes 1.7). */
static int kame_ip6_plen(struct kame_if *kif, struct sk_buff *skb,
			 struct kame_ip6ctx *c)
{
	struct kame_net *kn = kif->kn;
	u32 plen = ntohs(ipv6_hdr(skb)->payload_len);

	/*
	 * Link padding goes first, so that an error about the hop-by-hop
	 * header quotes the packet, not the frame. A jumbogram (length 0)
	 * is trimmed once its option is read.
	 */
	if (plen && pskb_trim_rcsum(skb, sizeof(struct ipv6hdr) + plen)) {
		kame_ip6_drop(kn, skb, KAME_IP6S_NOMEM);
		return -1;
	}
	if (ipv6_hdr(skb)->nexthdr == NEXTHDR_HOP) {
		if (kame_ip6_hopopts_input(kif, skb, c))
			return -1;
		if (!plen && !c->jumbo) {
			/* a zero payload length needs the jumbo option */
			kame_ip6stat_inc(kn, KAME_IP6S_BADOPTIONS);
			kame_icmp6_error(kif, skb, ICMPV6_PARAMPROB,
					 ICMPV6_HDR_FIELD,
					 offsetof(struct ipv6hdr, payload_len));
			return -1;
		}
		if (c->jumbo)
			plen = c->jumbo;
	}
	if (sizeof(struct ipv6hdr) + plen > skb->len) {
		kame_ip6_drop(kn, skb, KAME_IP6S_TOOSHORT);
		return -1;
	}
	if (pskb_trim_rcsum(skb, sizeof(struct ipv6hdr) + plen)) {
		kame_ip6_drop(kn, skb, KAME_IP6S_NOMEM);
		return -1;
	}
	return 0;
}

/*
 * KAME's destination check (seed 004): a unicast destination is ours when
 * the routing table has a local route for it, to an address that is
 * neither tentative nor duplicated (RFC 4862 5.4). Caller holds RCU.
 */
static bool kame_ip6_ours(struct kame_net *kn, const struct in6_addr *dst)
{
	const struct kame_rt *rt = kame_rt_lookup(kn, dst, NULL);

	/* the lookup skips local routes of tentative or duplicated ones */
	return rt && (rt->flags & KAME_RTF_LOCAL);
}

/*
 * Multicast of the interface-local scope (and of the reserved scope 0)
 * never crosses a link (RFC 4291 2.7): from the wire it is dropped. Our
 * own such packets reach us by kame_ip6_mloopback() only.
 */
static bool kame_ip6_mcast_wire_bad(const struct in6_addr *dst)
{
	return IN6_IS_ADDR_MULTICAST(dst) && IN6_MC_SCOPE(dst) <= 1;
}

/*
 * The input routine proper, for a packet received on kif from the wire
 * or looped back to it (kame_rt_loop()). Under RCU, BH off.
 */
static int kame_ip6_input_ctx(struct kame_if *kif, struct sk_buff *skb,
			      bool wire, struct kame_ip6ctx *c)
{
	struct kame_net *kn = kif->kn;
	const struct ipv6hdr *ip6;
	struct in6_addr dst;
	bool fwd = false;

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
	skb_reset_network_header(skb);
	ip6 = ipv6_hdr(skb);
	if (ip6->version != 6)
		return kame_ip6_drop(kn, skb, KAME_IP6S_BADVERS);
	if (sizeof(*ip6) + ntohs(ip6->payload_len) > skb->len)
		return kame_ip6_drop(kn, skb, KAME_IP6S_TOOSHORT);
	if (kame_ip6_src_dst_check(ip6) ||
	    (wire && kame_ip6_mcast_wire_bad(&ip6->daddr)))
		return kame_ip6_drop(kn, skb, KAME_IP6S_BADSCOPE);

	/*
	 * Is it for us? A host forwards nothing; a router forwards what
	 * came from the wire or out of an IPsec tunnel (a security
	 * gateway, its fwd policies deciding), and no multicast (no
	 * multicast routing).
	 */
	dst = ip6->daddr;
	kame_in6_setscope(&dst, kif->dev->ifindex);
	if (IN6_IS_ADDR_MULTICAST(&dst)) {
		if (!kame_in6_joined(kif, &dst))
			return kame_ip6_drop(kn, skb, KAME_IP6S_NOTMEMBER);
	} else if (!kame_ip6_ours(kn, &dst)) {
		if (!wire || !READ_ONCE(kn->forwarding))
			return kame_ip6_drop(kn, skb, KAME_IP6S_CANTFORWARD);
		fwd = true;
	}
	/* a packet from :: is never forwarded (RFC 4291 2.5.2) */
	if (ipv6_addr_any(&ip6->saddr) && (fwd || !kame_ip6_unspec_ok(skb)))
		return kame_ip6_drop(kn, skb, KAME_IP6S_BADSCOPE);

	c->nxt = ip6->nexthdr;
	/* the Hop-by-Hop header is every node's, forwarding ones too */
	if (kame_ip6_plen(kif, skb, c))
		return NET_RX_DROP;
	if (fwd)
		return kame_ip6_forward(kif, skb, c);
	return kame_ip6_demux(kif, skb, c);
}

static int kame_ip6_input_common(struct kame_if *kif, struct sk_buff *skb,
				 bool wire)
{
	struct kame_ip6ctx c = { .off = sizeof(struct ipv6hdr),
				 .nhoff = offsetof(struct ipv6hdr, nexthdr) };

	return kame_ip6_input_ctx(kif, skb, wire, &c);
}

/*
 * How deep the input is in tunnel-mode inner packets on this CPU (BH is
 * off: a handler of the protocol switch runs in softirq). The bound
 * holds whatever the packets say: a reassembled datagram starts a new
 * IPsec history, never a new depth.
 */
static DEFINE_PER_CPU(u8, kame_tunnel_depth);

/* An inner packet no tunnel may carry: a link's own addresses. */
static bool kame_ip6_tunnel_scope_bad(struct sk_buff *skb)
{
	const struct ipv6hdr *ip6;

	if (!pskb_may_pull(skb, sizeof(*ip6)))
		return false;	/* the input counts it as too small */
	ip6 = ipv6_hdr(skb);
	return IN6_IS_ADDR_LINKLOCAL(&ip6->saddr) ||
	       IN6_IS_ADDR_LINKLOCAL(&ip6->daddr) ||
	       (IN6_IS_ADDR_MULTICAST(&ip6->daddr) &&
		IN6_MC_SCOPE(&ip6->daddr) <= 2);
}

/*
 * A tunnel-mode SA's inner packet (kame_family.h): a packet of its own,
 * with the IPsec history of the outer one, checked as one from the wire.
 * Link-local and link-scope multicast inner addresses are refused (a
 * tunnel's far end is not on this link: no Neighbor Discovery or
 * router information comes that way), and the nesting is bounded by
 * KAME_IP6SEC_MAX per CPU (ip6s_toomanyhdr).
 */
int kame_family_input_tunnel(struct kame_if *kif, struct sk_buff *skb,
			     const struct kame_ip6ctx *outer)
{
	struct kame_ip6ctx c = { .off = sizeof(struct ipv6hdr),
				 .nhoff = offsetof(struct ipv6hdr, nexthdr),
				 .nsec = outer->nsec };
	struct kame_net *kn = kif->kn;
	int ret;

	memcpy(c.sec, outer->sec, sizeof(c.sec));
	skb_reset_network_header(skb);
	if (__this_cpu_read(kame_tunnel_depth) >= KAME_IP6SEC_MAX) {
		kame_ip6stat_inc(kn, KAME_IP6S_TOTAL);
		return kame_ip6_drop(kn, skb, KAME_IP6S_TOOMANYHDR);
	}
	if (kame_ip6_tunnel_scope_bad(skb)) {
		kame_ip6stat_inc(kn, KAME_IP6S_TOTAL);
		return kame_ip6_drop(kn, skb, KAME_IP6S_BADSCOPE);
	}
	__this_cpu_inc(kame_tunnel_depth);
	ret = kame_ip6_input_ctx(kif, skb, true, &c);
	__this_cpu_dec(kame_tunnel_depth);
	return ret;
}
EXPORT_SYMBOL_GPL(kame_family_input_tunnel);

/* A packet looped back to kif (kame_rt_loop()). Under RCU, BH off. */
int kame_ip6_input_kif(struct kame_if *kif, struct sk_buff *skb)
{
	return kame_ip6_input_common(kif, skb, false);
}

/* One packet from the wire on kif. */
static int kame_ip6_input_wire(struct kame_if *kif, struct sk_buff *skb)
{
	this_cpu_inc(*kif->rx_packets);
	return kame_ip6_input_common(kif, skb, true);
}

/* A frame received on kif, by either of the handlers below. */
static int kame_ip6_input_frame(struct kame_if *kif, struct sk_buff *skb)
{
	if (skb->pkt_type == PACKET_OTHERHOST)
		return kame_ip6_drop(kif->kn, skb, KAME_IP6S_OTHERHOST);
	if (skb_is_gso(skb))	/* several packets merged by GRO */
		return kame_ip6_gro_input(kif, skb, kame_ip6_input_wire);
	return kame_ip6_input_wire(kif, skb);
}

/* The ETH_P_IPV6 packet_type handler on an attached interface. */
int kame_ip6_input(struct sk_buff *skb, struct net_device *dev,
		   struct packet_type *pt, struct net_device *orig_dev)
{
	return kame_ip6_input_frame(container_of(pt, struct kame_if, pt), skb);
}

/*
 * The device's rx_handler, where the device had none: IPv6 frames are
 * taken here and consumed, before the protocol handlers run, so Linux's
 * ipv6_rcv() never sees them (it would clone each shared frame only to
 * drop it for disable_ipv6). Everything else passes. A frame with a VLAN
 * tag nobody took passes too: the core drops it.
 */
rx_handler_result_t kame_ip6_rx_handler(struct sk_buff **pskb)
{
	struct sk_buff *skb = *pskb;

	if (skb->protocol != htons(ETH_P_IPV6) || skb_vlan_tag_present(skb))
		return RX_HANDLER_PASS;
	kame_ip6_input_frame(rcu_dereference(skb->dev->rx_handler_data), skb);
	return RX_HANDLER_CONSUMED;
}

int kame_family_input_resume(struct net_device *dev, struct sk_buff *skb,
			     struct kame_ip6ctx *c,
			     int (*finish)(struct kame_if *kif,
					   struct sk_buff **skbp,
					   struct kame_ip6ctx *c, void *arg),
			     void *arg)
{
	struct kame_net *kn = kame_net(dev_net(dev));
	struct kame_if *kif;
	int err = 0;

	local_bh_disable();
	rcu_read_lock();
	kif = kame_if_find(kn, dev);
	if (!kif) {	/* detached while the transform ran */
		err = kame_ip6_drop(kn, skb, KAME_IP6S_IFDISABLED);
		goto out;
	}
	if (finish)
		err = finish(kif, &skb, c, arg);
	if (!err)
		err = kame_ip6_demux(kif, skb, c);
	else if (err == KAME_IP6PROTO_DONE)
		kame_ip6stat_inc(kn, KAME_IP6S_DELIVERED);
	/* a finish() going async again resumes again */
out:
	rcu_read_unlock();
	local_bh_enable();
	return err;
}
EXPORT_SYMBOL_GPL(kame_family_input_resume);
