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
#include <linux/in6.h>

struct sk_buff;
struct kame_if;

#define KAME_IP6SEC_MAX	4

/* An IPsec header the input has processed (kame_ipsec.ko fills it in). */
struct kame_ip6sec {
	u8 proto;		/* IPPROTO_ESP, IPPROTO_AH, IPPROTO_COMP */
	u8 mode;		/* KAME_KEY_MODE_TRANSPORT or _TUNNEL */
	u32 reqid;		/* of the SA */
};

/* Where the input of one packet stands, as its headers are processed. */
struct kame_ip6ctx {
	unsigned int off;	/* the header being processed */
	unsigned int nhoff;	/* the next-header byte that named it */
	u8 nxt;			/* its protocol number */
	u32 jumbo;		/* jumbo payload length, or 0 */
	u8 nsec;		/* IPsec headers processed, in order */
	struct kame_ip6sec sec[KAME_IP6SEC_MAX];
};

/*
 * A next header handled by a module of the family (pr_input of KAME's
 * inet6sw[]). input() runs in softirq under RCU for a packet to this node
 * whose header c->nxt starts at c->off (skb->data is the IPv6 header):
 *
 *   0         the header is done with: *skbp (possibly a new skb) and c
 *             name the next header, and the core goes on with it (AH,
 *             ESP after decryption)
 *   KAME_IP6PROTO_DONE
 *             the skb is consumed: passed on (a tunnel's inner packet);
 *             the core counts it in ip6s_delivered, as BSD counts what it
 *             hands to an upper layer
 *   KAME_IP6PROTO_DROP
 *             the skb is freed with the module's own counter moved, and
 *             no counter of the core's
 *   < 0       not the module's (a tunnel packet no tunnel of the node
 *             is for): *skbp untouched, the core goes on as if no module
 *             had the next header (raw sockets, else ip6s_noproto and a
 *             Parameter Problem)
 */
#define KAME_IP6PROTO_DONE	1
#define KAME_IP6PROTO_DROP	2

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
 * header proto, hop limit hlim (0: the outgoing interface's current hop
 * limit), traffic class tclass, flow label 0;
 * fragmented to the link MTU if it must be. Consumes skb; 0 or -errno
 * (the core counts its own drops: ip6s_noroute and the like). Under RCU
 * (BH), as a netdevice's transmit runs.
 */
int kame_family_output(struct net *net, struct sk_buff *skb,
		       const struct in6_addr *src, const struct in6_addr *dst,
		       u8 proto, u8 hlim, u8 tclass);

/*
 * The IPsec hooks (kame_ipsec.ko; KAME's ipsec6_output_trans/_tunnel and
 * ipsec6_in_reject), at most one set, published with RCU.
 *
 * output() is called once per packet the node sends (a socket's, ICMPv6's,
 * a tunnel's outer packet) before its route is looked up: skb->data is
 * the payload of next header o->proto from o->src to o->dst (plain form),
 * to go with hop limit o->hlim and traffic class o->tclass. 0: the core
 * goes on with *skbp (transport mode put its headers in front and set
 * o->proto); > 0: the module took the packet (a tunnel mode packet it
 * sent itself with KAME_OUT_F_IPSEC_DONE, or a drop it counted); < 0: the
 * packet is gone and the sender gets the error. Packets sent with
 * KAME_OUT_F_IPSEC_DONE do not come to it again (the 004 paper's rule of
 * one pass per packet).
 *
 * o->sockpol is the sending socket's outbound policy (IPV6_IPSEC_POLICY),
 * NULL for a packet no socket sent (ICMPv6's own messages and errors, a
 * tunnel's outer packet) or a socket without one (entrust).
 *
 * input_check() is called before a packet is handed to an upper layer
 * (ICMPv6, a tunnel module; UDP and raw sockets whose socket has no
 * inbound policy, or that no socket takes) with what IPsec processing
 * it had in c->sec (c->off its upper-layer header, skb->data its IPv6
 * header): false drops it (the module counts the policy violation).
 * input_check_sock() is the same check against the inbound policy pol
 * of the socket that would receive it (KAME's ipsec6_in_reject(m, inp)),
 * instead of the SPD; it too counts what it refuses, once per call. Both
 * run under RCU, as does stats() (kame stats ipsec6).
 *
 * sockpol_check() validates a policy a socket is given with setsockopt
 * (the struct kame_key_sockpolicy of uapi/linux/kame_key.h, len bytes):
 * 0, or -EINVAL (malformed), -EOPNOTSUPP (a request not applied yet),
 * -EACCES (bypass without CAP_NET_ADMIN in net's user namespace). On 0
 * the header's dir is KAME_KEY_DIR_IN or _OUT and its action a valid
 * one, which is all the core reads of it. Process context.
 */

/*
 * A socket's policy of one direction, as set (the uapi blob in data):
 * self-contained, owned by the core, freed with kfree_rcu when replaced
 * or when the socket goes, so that it does not depend on kame_ipsec.ko.
 */
struct kame_sockpol {
	struct rcu_head rcu;
	unsigned int len;
	u8 data[] __aligned(4);
};

struct kame_ip6out {
	struct in6_addr src, dst;
	u8 proto, hlim, tclass;
	const struct kame_sockpol *sockpol;
	/*
	 * The interface the core was sending on (the zone of scoped src
	 * and dst) and KAME_OUT_F_* of the sender's options, for a packet
	 * the module sends later (kame_family_output_ip6out()).
	 */
	int oif;
	u32 flags;
};

struct kame_ipsec_ops {
	int (*output)(struct net *net, struct sk_buff **skbp,
		      struct kame_ip6out *o);
	bool (*input_check)(struct net *net, struct sk_buff *skb,
			    const struct kame_ip6ctx *c);
	bool (*input_check_sock)(struct net *net, struct sk_buff *skb,
				 const struct kame_ip6ctx *c,
				 const struct kame_sockpol *pol);
	int (*sockpol_check)(struct net *net, const void *blob,
			     unsigned int len);
	/*
	 * IPv6 in IPv6 that came with no SA in front (c->nxt is
	 * IPPROTO_IPV6): KAME_IP6PROTO_DONE or _DROP when it took skb
	 * (the uncompressed packet of an IPComp tunnel), 0 when it is not
	 * its (skb untouched, for a tunnel module). Under RCU, BH off.
	 */
	int (*ip6ip6_input)(struct kame_if *kif, struct sk_buff *skb,
			    struct kame_ip6ctx *c);
	/* the KAME_STATS_IPSEC6 counters of net into v[0..n) */
	void (*stats)(struct net *net, u64 *v, unsigned int n);
	/*
	 * A packet the node forwards (skb->data its IPv6 header, c->off
	 * past its Hop-by-Hop header, c->sec the IPsec it came through):
	 * forward_check() says whether it may pass (the fwd policy, else
	 * the inbound one, as KAME's ip6_forward() asked
	 * ipsec6_in_reject()); false drops it, counted by the module.
	 * forward_output(), with the hop limit decremented: 0 when no
	 * policy protects it (the core sends it, skb untouched), 1 when
	 * the module took it (tunnel mode: sent or queued), -EMSGSIZE
	 * with *mtu set when it does not fit its tunnel (skb untouched:
	 * the core sends Packet Too Big with *mtu), else -errno when the
	 * module dropped it and counted why. Under RCU, BH off.
	 */
	bool (*forward_check)(struct net *net, struct sk_buff *skb,
			      const struct kame_ip6ctx *c);
	int (*forward_output)(struct net *net, struct sk_buff *skb, u32 *mtu);
};

/* -EEXIST when another set is registered; unregistering waits (RCU). */
int kame_family_ipsec_register(const struct kame_ipsec_ops *ops);
void kame_family_ipsec_unregister(const struct kame_ipsec_ops *ops);

#define KAME_OUT_F_IPSEC_DONE	0x1	/* skip the IPsec output hook */
#define KAME_OUT_F_DONTFRAG	0x2	/* IPV6_DONTFRAG: -EMSGSIZE, no fragments */
#define KAME_OUT_F_MLOOP	0x4	/* IPV6_MULTICAST_LOOP */

/* kame_family_output() with flags (KAME_OUT_F_*). */
int kame_family_output_flags(struct net *net, struct sk_buff *skb,
			     const struct in6_addr *src,
			     const struct in6_addr *dst, u8 proto, u8 hlim,
			     u8 tclass, u32 flags);

/*
 * The inner packet of a tunnel-mode SA (IPsec's decapsulation; KAME's
 * ipsec6_tunnel_input()): skb->data is its IPv6 header, kif the interface
 * the outer packet came in on, c the outer packet's context, whose IPsec
 * history the inner packet keeps for its inbound policy check. The inner
 * packet is processed as one received on kif (its own destination check,
 * headers and upper layer), not counted as one from the wire. Consumes
 * skb. Under RCU, BH off, as a protocol switch handler runs.
 */
int kame_family_input_tunnel(struct kame_if *kif, struct sk_buff *skb,
			     const struct kame_ip6ctx *c);

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

/*
 * An input handler's KAME_IP6PROTO_ASYNC (after KAME_IP6PROTO_DROP): the
 * skb is the module's, its transform runs asynchronously (the crypto
 * API's async transforms), and the module resumes the input with
 * kame_family_input_resume(). Nothing is counted by the core yet.
 */
#define KAME_IP6PROTO_ASYNC	3

/*
 * Resume the input of skb (skb->data its IPv6 header) that a handler
 * left with KAME_IP6PROTO_ASYNC, on dev (held by the module since; the
 * packet came in on it): finish(), if set, is called as the handler's
 * input() would have been and returns what it returns; on 0 the core goes
 * on with the next header as c names it. Consumes skb (dropped in
 * ip6s_ifdisabled when dev is no longer attached). Any context: BH is
 * disabled inside (a completion may run in process context).
 */
int kame_family_input_resume(struct net_device *dev, struct sk_buff *skb,
			     struct kame_ip6ctx *c,
			     int (*finish)(struct kame_if *kif,
					   struct sk_buff **skbp,
					   struct kame_ip6ctx *c, void *arg),
			     void *arg);

/*
 * Send skb, to which the output hook applied IPsec later (an async
 * transform's completion), as the core would have sent it on return
 * from the hook: o->src and o->dst in plain form with the zone o->oif
 * (0: by the routes, as kame_family_output_flags()), next header
 * o->proto, o->hlim (0: the interface's), o->tclass and o->flags
 * (KAME_OUT_F_DONTFRAG, _MLOOP); the IPsec hook is not called again.
 * Consumes skb; 0 or -errno. Any context: BH is disabled inside.
 */
int kame_family_output_ip6out(struct net *net, struct sk_buff *skb,
			      const struct kame_ip6out *o);

#endif
