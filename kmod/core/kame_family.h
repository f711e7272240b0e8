/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What kame.ko exports to the other modules of its family (IPsec, the
 * gif and stf tunnels): a protocol switch they register next headers in,
 * KAME's protosw, and the attachment of the devices they create. Only
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

#endif
