/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * KAME for Linux: the gif tunnel interface (kame_gif.ko), user-visible ABI.
 *
 * A gif is a point-to-point netdevice that carries IPv6 or IPv4 packets
 * inside IPv4 or IPv6 (RFC 2893 configured tunnels, KAME's gif(4)): IPv6
 * in IPv4 (protocol 41), IPv4 in IPv4 (protocol 4), IPv6 in IPv6 (next
 * header 41) and IPv4 in IPv6 (next header 4). It is an rtnetlink link
 * kind, "gif":
 *
 *   ip link add gif0 type gif             (no outer addresses yet)
 *   ip link del gif0
 *
 * and gifconfig(8) sets and shows its outer ("physical") addresses with
 * RTM_NEWLINK / RTM_GETLINK and the IFLA_INFO_DATA attributes below.
 *
 * A gif belongs to the KAME stack from its creation: the module turns
 * Linux's native IPv6 off on it (the device has no native address or
 * group yet), attaches it to the stack, which gives it a link-local
 * address from a random interface id and runs ND and NUD on the
 * point-to-point link (`kame link detach` takes it from the stack; native
 * IPv6 stays off). Inner IPv4 is Linux's: a gif may carry a Linux IPv4
 * address (`ip addr add`).
 *
 * Device properties: flags POINTOPOINT, NOARP, MULTICAST; type
 * ARPHRD_NONE (bare IP, as tun); MTU 1280 by default, 1280..65535 (the
 * core's EINVAL outside); it cannot move to another namespace. Outer IPv4
 * leaves through Linux's IPv4 output with TTL IFLA_GIF_TTL and DF clear;
 * outer IPv6 through the KAME stack's output (its routes and neighbours,
 * fragmented to the link MTU) with hop limit IFLA_GIF_TTL and flow label
 * 0, from a source that must be a usable address of the KAME stack. The
 * ingress filter applies to both outer families.
 *
 * Errors of RTM_NEWLINK (each with an extack message):
 *   EINVAL         LOCAL without REMOTE or the other way round, their
 *                  lengths differ, an address is not 4 or 16 bytes, is
 *                  in 0/8 or 224/3 (IPv4), unspecified, loopback,
 *                  multicast, v4-mapped or link-local (IPv6), LOCAL and
 *                  UNSET together, TTL 0, FLAGS with an unknown bit
 *   EADDRNOTAVAIL  another gif of the namespace has the same pair
 *   and the errors of kame.ko's attach (KAME_CMD_LINK_ATTACH)
 *
 * Loop prevention (the 004 paper): a packet may pass through at most
 * max_nesting gifs on one CPU's call chain (module parameter, default 1,
 * 1..8), so a gif routed into itself, or two gifs routed into each other,
 * drop with tx_nested instead of recursing.
 */
#ifndef _UAPI_LINUX_KAME_GIF_H
#define _UAPI_LINUX_KAME_GIF_H

#include <linux/types.h>

#define KAME_GIF_KIND		"gif"

/*
 * IFLA_INFO_DATA of a gif. In RTM_NEWLINK on an existing gif, absent
 * attributes keep their value.
 */
enum {
	IFLA_GIF_UNSPEC,
	/* binary, 4 or 16 bytes: outer source (PHYSSRC), with REMOTE */
	IFLA_GIF_LOCAL,
	/* binary, the length of LOCAL: outer destination (PHYSDST) */
	IFLA_GIF_REMOTE,
	/*
	 * flag, request only: remove the outer addresses (gifconfig gifN
	 * delete); the gif then drops what it is given (tx_noaddr)
	 */
	IFLA_GIF_UNSET,
	/* u32, GIF_F_*: set as given */
	IFLA_GIF_FLAGS,
	/* u8: outer TTL or hop limit, 1..255, default 30 (GIF_TTL, GIF_HLIM) */
	IFLA_GIF_TTL,
	/* nested, reply only: IFLA_GIF_STAT_* */
	IFLA_GIF_STATS,
	IFLA_GIF_PAD,
	__IFLA_GIF_MAX
};
#define IFLA_GIF_MAX (__IFLA_GIF_MAX - 1)

/*
 * IFLA_GIF_FLAGS. gif(4)'s link1 and link2 switches:
 *   GIF_F_ECN        (link1) ECN-friendly: encapsulation copies the inner
 *                    ECN field to the outer header except CE, sent as
 *                    ECT(0); decapsulation copies an outer CE into the
 *                    inner header and drops (rx_ecn) a packet whose inner
 *                    header is not ECN-capable (RFC 6040's normal mode).
 *                    Without it the inner TOS / traffic class is copied
 *                    to the outer header and the outer one is ignored.
 *   GIF_F_NOINGRESS  (link2) no ingress filter. With the filter (the
 *                    default) a packet is taken only if the route to its
 *                    outer source (Linux's IPv4 routes, or the KAME
 *                    stack's for outer IPv6) leaves by the interface it
 *                    came in on (rx_ingress otherwise).
 */
#define GIF_F_ECN		(1U << 0)
#define GIF_F_NOINGRESS		(1U << 1)
#define GIF_F_ALL		(GIF_F_ECN | GIF_F_NOINGRESS)

/*
 * IFLA_GIF_STATS: each a u64, packets. A packet the gif does not deliver
 * or send moves exactly one of them (and the device's rx_dropped or
 * tx_dropped; the outer IPv4 output refusing a packet counts in the
 * device's tx_errors). A packet to the gif's addresses whose inner header
 * is shorter than its fixed part is dropped by tunnel4 before the gif.
 */
enum {
	IFLA_GIF_STAT_UNSPEC,
	/* given while without outer addresses */
	IFLA_GIF_STAT_TX_NOADDR,
	/* beyond max_nesting gifs deep */
	IFLA_GIF_STAT_TX_NESTED,
	/* no route to the outer destination */
	IFLA_GIF_STAT_TX_NOROUTE,
	/* neither IPv4 nor IPv6 inside, or too short to be */
	IFLA_GIF_STAT_TX_PROTO,
	/* no memory for the outer header */
	IFLA_GIF_STAT_TX_ERROR,
	/* failed the ingress filter */
	IFLA_GIF_STAT_RX_INGRESS,
	/* outer source 0/8, 127/8, 224/3 or a local broadcast */
	IFLA_GIF_STAT_RX_MARTIAN,
	/* CE outside, not ECN-capable inside (GIF_F_ECN) */
	IFLA_GIF_STAT_RX_ECN,
	/* inner version not the one protocol 4 or 41 says */
	IFLA_GIF_STAT_RX_MALFORMED,
	/* arrived while the gif was down */
	IFLA_GIF_STAT_RX_DOWN,
	IFLA_GIF_STAT_PAD,
	__IFLA_GIF_STAT_MAX
};
#define IFLA_GIF_STAT_MAX (__IFLA_GIF_STAT_MAX - 1)

#endif /* _UAPI_LINUX_KAME_GIF_H */
