/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * KAME for Linux: the stf 6to4 interface (kame_stf.ko), user-visible ABI.
 *
 * stf is KAME's 6to4 border router interface (RFC 3056, stf(4)): IPv6
 * packets it is given travel inside IPv4 (protocol 41) to the IPv4
 * address embedded in a 6to4 address (2002:V4ADDR::/48), and protocol-41
 * packets for the node's 6to4 IPv4 address come out of it as IPv6. It is
 * an rtnetlink link kind, "stf", with at most one per network namespace
 * (stf(4)'s BUGS):
 *
 *   ip link add stf0 type stf
 *   kame addr add 2002:c000:201::1/16 dev stf0
 *   ip link set stf0 up
 *   kame route add default via 2002:c058:6301:: dev stf0   (a relay)
 *
 * The device belongs to the KAME stack from its creation (native IPv6
 * turned off on it, attached without a link-local address, DAD, ND or
 * NUD, as FreeBSD's stf). The stack takes only 6to4 addresses on it:
 * 2002::/16 with an embedded IPv4 address that passes the filters below
 * (EINVAL and an extack message otherwise). Prefix length 16 makes every
 * 6to4 destination on-link (a relay's view); 16 + N (up to 48) limits the
 * peers to the IPv4 /N around the node's own address, in both directions.
 *
 * Output: the outer IPv4 destination is the one embedded in the next hop
 * the KAME routes chose when that is a 6to4 address (a route via a relay
 * router), else the one in the destination; the outer source is the
 * embedded IPv4 address of the first usable 6to4 address of stf0 that is
 * an IPv4 address of this node (Linux's IPv4, RTN_LOCAL). TTL
 * IFLA_STF_TTL, DF clear, TOS from the traffic class (the ECN rule of
 * gif(4) with STF_F_ECN). The packet passes the device's transmit (so
 * `tcpdump -i stf0` sees it with its outer header) and leaves through
 * Linux's IPv4 output. Device type ARPHRD_SIT, MTU 1280 (1280..65515),
 * flags NOARP; it cannot move to another namespace.
 *
 * Input: a protocol-41 packet whose outer destination is the node's 6to4
 * IPv4 address is stf0's while stf0 is up and STF_F_NODECAP is clear
 * (otherwise it goes on down the tunnel4 chain, to sit or an ICMP error
 * of Linux's IPv4); a gif with exactly these outer addresses gets it
 * first. It is then checked, in this order, and dropped with the counter
 * named when it fails:
 *   - the outer source and destination against the IPv4 filters
 *     (RX_UNSPEC, RX_LOOPBACK, RX_MULTICAST, RX_BROADCAST, RX_PRIVATE,
 *     RX_LINKLOCAL), the outer source against the ingress filter
 *     (RX_INGRESS, unless STF_F_NOINGRESS) and the IPv4 /N of a prefix
 *     longer than 16 (RX_OUTSIDE);
 *   - the inner header: IPv6 and long enough (RX_MALFORMED); source and
 *     destination neither IPv4-mapped (RX_V4MAPPED) nor IPv4-compatible
 *     (RX_V4COMPAT), neither link-local nor site-local unicast (RX_SCOPED),
 *     nor interface- or link-local multicast (RX_MCASTSCOPE); a 6to4
 *     source or destination whose embedded IPv4 address fails the IPv4
 *     filters (the same counters as outside);
 *   - a 6to4 inner source must embed the outer source (RX_MISMATCH,
 *     RFC 3964 5.1); any other source is a relay's and is taken;
 *   - ECN (RX_ECN), as gif's GIF_F_ECN.
 * The IPv4 filters (notes 1.14, stf(4)): 0.0.0.0/8 (RX_UNSPEC),
 * 127.0.0.0/8 (RX_LOOPBACK), 224.0.0.0/4 (RX_MULTICAST), 255.0.0.0/8 or a
 * subnet broadcast address of this node (RX_BROADCAST), 10/8, 172.16/12,
 * 192.168/16 unless STF_F_RFC1918 (RX_PRIVATE), 169.254/16
 * (RX_LINKLOCAL).
 */
#ifndef _UAPI_LINUX_KAME_STF_H
#define _UAPI_LINUX_KAME_STF_H

#include <linux/types.h>

#define KAME_STF_KIND		"stf"

/* IFLA_INFO_DATA of stf0. Absent attributes keep their value. */
enum {
	IFLA_STF_UNSPEC,
	/* u32, STF_F_*: set as given */
	IFLA_STF_FLAGS,
	/* u8: outer TTL, 1..255, default 30 (KAME's ip_gif_ttl) */
	IFLA_STF_TTL,
	/* nested, reply only: IFLA_STF_STAT_* */
	IFLA_STF_STATS,
	IFLA_STF_PAD,
	__IFLA_STF_MAX
};
#define IFLA_STF_MAX (__IFLA_STF_MAX - 1)

/*
 * IFLA_STF_FLAGS, stf(4)'s switches:
 *   STF_F_NODECAP    (link0) send only: received packets are not stf's
 *   STF_F_ECN        (link1) ECN-friendly, as gif's GIF_F_ECN
 *   STF_F_NOINGRESS  (link2) no ingress filter on the outer source; set
 *                    by default, as FreeBSD's stf sets IFF_LINK2
 *   STF_F_RFC1918    accept RFC 1918 private IPv4 addresses, outside and
 *                    embedded (FreeBSD's net.link.stf.permit_rfc1918)
 */
#define STF_F_NODECAP		(1U << 0)
#define STF_F_ECN		(1U << 1)
#define STF_F_NOINGRESS		(1U << 2)
#define STF_F_RFC1918		(1U << 3)
#define STF_F_ALL		(STF_F_NODECAP | STF_F_ECN | \
				 STF_F_NOINGRESS | STF_F_RFC1918)

/*
 * IFLA_STF_STATS: each a u64, packets. A packet stf0 does not send or
 * deliver moves exactly one of them and the device's tx_dropped or
 * rx_dropped (the IPv4 output refusing a packet counts in tx_errors).
 * The RX_ filter counters count outer and embedded addresses alike.
 */
enum {
	IFLA_STF_STAT_UNSPEC,
	/* stf0 is down */
	IFLA_STF_STAT_TX_DOWN,
	/* no usable 6to4 address embedding an IPv4 address of this node */
	IFLA_STF_STAT_TX_NOADDR,
	/* neither the next hop nor the destination is a 6to4 address */
	IFLA_STF_STAT_TX_NOT6TO4,
	/* the outer destination fails the IPv4 filters or the /N */
	IFLA_STF_STAT_TX_BADADDR,
	/* no IPv4 route to the outer destination */
	IFLA_STF_STAT_TX_NOROUTE,
	/* the IPv4 route leads back into stf0 */
	IFLA_STF_STAT_TX_LOOP,
	/* not IPv6, or not what stf0's output built (AF_PACKET) */
	IFLA_STF_STAT_TX_PROTO,
	/* no memory for the outer header */
	IFLA_STF_STAT_TX_ERROR,
	IFLA_STF_STAT_RX_UNSPEC,
	IFLA_STF_STAT_RX_LOOPBACK,
	IFLA_STF_STAT_RX_MULTICAST,
	IFLA_STF_STAT_RX_BROADCAST,
	IFLA_STF_STAT_RX_PRIVATE,
	IFLA_STF_STAT_RX_LINKLOCAL,
	IFLA_STF_STAT_RX_INGRESS,
	IFLA_STF_STAT_RX_OUTSIDE,
	IFLA_STF_STAT_RX_MALFORMED,
	IFLA_STF_STAT_RX_V4MAPPED,
	IFLA_STF_STAT_RX_V4COMPAT,
	IFLA_STF_STAT_RX_SCOPED,
	IFLA_STF_STAT_RX_MCASTSCOPE,
	IFLA_STF_STAT_RX_MISMATCH,
	IFLA_STF_STAT_RX_ECN,
	IFLA_STF_STAT_PAD,
	__IFLA_STF_STAT_MAX
};
#define IFLA_STF_STAT_MAX (__IFLA_STF_STAT_MAX - 1)

#endif /* _UAPI_LINUX_KAME_STF_H */
