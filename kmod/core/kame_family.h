/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What kame.ko exports to the other modules of its family (IPsec, the
 * gif and stf tunnels): a protocol switch they register next headers in,
 * KAME's protosw, the attachment of the devices they create, the output
 * of IPv6 packets, and the addresses of a device. Only
 * this header, not kame.h, is their view of the core.
 */
#ifndef _KAME_FAMILY_H
#define _KAME_FAMILY_H

#include <linux/types.h>

struct sk_buff;
struct kame_if;

/* Where the input of one packet stands, as its headers are processed. */
struct kame_ip6ctx {
	unsigned int off;	/* the header being processed */
	unsigned int nhoff;	/* the next-header byte that named it */
	u8 nxt;			/* its protocol number */
	u32 jumbo;		/* jumbo payload length, or 0 */
};

/*
 * A next header handled by a module of the family (pr_input of KAME's
 * inet6sw[]). input() runs in softirq under RCU for a packet to this node
 * whose header c->nxt starts at c->off (skb->data is the IPv6 header):
 *
 *   0         the header is done with: *skbp (possibly a new skb) and c
 *             name the next header, and the core goes on with it (AH,
 *             ESP after decryption)
 *   > 0       the skb is consumed: passed on (a tunnel's inner packet)
 *             or freed with the module's own counter moved; the core
 *             counts it in ip6s_delivered, as BSD counts what it hands
 *             to an upper layer
 *   < 0       not the module's (a tunnel packet no tunnel of the node
 *             is for): *skbp untouched, the core goes on as if no module
 *             had the next header (raw sockets, else ip6s_noproto and a
 *             Parameter Problem)
 */
struct kame_ip6proto {
	u8 protocol;
	int (*input)(struct kame_if *kif, struct sk_buff **skbp,
		     struct kame_ip6ctx *c);
};

/*
 * -EBUSY for a next header the core handles itself (Hop-by-Hop, Routing,
 * Fragment, Destination Options, No Next Header, ICMPv6, UDP), -EEXIST
 * when another module has it. Unregistering waits for the packets that
 * are in the handler (synchronize_net()).
 */
int kame_ip6proto_register(const struct kame_ip6proto *p);
void kame_ip6proto_unregister(const struct kame_ip6proto *p);

struct net_device;
struct netlink_ext_ack;

/*
 * Attach a device the module created (a gif) to the stack, as `kame link
 * attach` does: a link-local address, ND and NUD on it. The module has
 * turned native IPv6 off on it before it was first up; detaching (`kame
 * link detach`, or the device going away) leaves it off. Under RTNL.
 */
int kame_family_ifattach(struct net_device *dev,
			 struct netlink_ext_ack *extack);

struct net;
struct in6_addr;

/*
 * A device whose module maps next hops to its own links (an NBMA tunnel:
 * stf, whose "link-layer address" of a 6to4 next hop is the IPv4 address
 * inside it) rather than the core resolving them with ND: BSD's
 * if_output(ifp, m, dst), which is given the next hop. The ops outlive
 * the device (they are the module's static data).
 *
 * output() is given every IPv6 packet the core sends on dev (its IPv6
 * header at skb->data, plain addresses) with the next hop the routes
 * chose: the destination itself when it is on-link (and for multicast),
 * the gateway of the route otherwise. It consumes skb and returns 0 or
 * -errno; it runs under RCU (BH), as a netdevice's transmit does.
 *
 * addr_check(), if set, is asked before an address (plain form, prefix
 * length plen) is configured on dev: 0, or -errno with an extack message
 * (extack may be NULL). Under RTNL.
 */
struct kame_link_ops {
	int (*output)(struct net_device *dev, struct sk_buff *skb,
		      const struct in6_addr *nexthop);
	int (*addr_check)(struct net_device *dev, const struct in6_addr *addr,
			  u8 plen, struct netlink_ext_ack *extack);
};

/*
 * Attach such a device: as kame_family_ifattach(), but without a
 * link-local address, DAD, ND or NUD on it (FreeBSD gives stf neither a
 * link-local address nor DAD); every packet for it goes to ops->output.
 * The device may be of any type. Under RTNL.
 */
int kame_family_ifattach_ops(struct net_device *dev,
			     const struct kame_link_ops *ops,
			     struct netlink_ext_ack *extack);

/*
 * Call fn for each address the stack has on dev (plain form; a
 * tentative, duplicated or anycast one has usable false) until fn returns
 * non-zero, and return that (0 when every call returned 0 or dev is not
 * attached). Under RCU.
 */
int kame_family_foreach_addr(struct net_device *dev,
			     int (*fn)(void *arg, const struct in6_addr *addr,
				       u8 plen, bool usable),
			     void *arg);

/*
 * Send skb (the payload at skb->data) inside an IPv6 header from src, one
 * of the node's usable addresses, to dst (global unicast addresses of
 * namespace net; the core's routes and neighbours choose the way), next
 * header proto, hop limit hlim, traffic class tclass, flow label 0;
 * fragmented to the link MTU if it must be. Consumes skb; 0 or -errno
 * (the core counts its own drops: ip6s_noroute and the like). Under RCU
 * (BH), as a netdevice's transmit runs.
 */
int kame_family_output(struct net *net, struct sk_buff *skb,
		       const struct in6_addr *src, const struct in6_addr *dst,
		       u8 proto, u8 hlim, u8 tclass);

/*
 * The device the core's routes send a packet to dst (a global unicast
 * address, plain form) out of: NULL when there is no route or it is a
 * local, reject or blackhole one. For an ingress filter (is the route
 * back to a source the way it came in?). Under RCU.
 */
struct net_device *kame_family_route_dev(struct net *net,
					 const struct in6_addr *dst);

/*
 * ECN across a tunnel (ip_ecn.c; notes 4.6, RFC 6040). allowed: the
 * tunnel's ECN-friendly switch (gif's and stf's link1). The outer TOS for
 * an inner one; on decapsulation (inner header of protocol inner at
 * skb->data) the outer CE mark carried inside, false when the packet must
 * be dropped (CE outside, not ECN-capable inside).
 */
u8 kame_ecn_ingress(bool allowed, u8 inner_tos);
bool kame_ecn_egress(bool allowed, u8 outer_tos, struct sk_buff *skb,
		     __be16 inner);

#endif
