/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * KAME IPv6 stack for Linux: user-visible ABI.
 *
 * The stack registers its own protocol family, AF_KAME, beside Linux's
 * AF_INET6, and one generic netlink family, "kame", for its whole control
 * plane. Everything here is per network namespace.
 *
 * Protocol family
 * ---------------
 * Stock kernels have no free family number below AF_MAX, so the module
 * takes the number of a family whose implementation was removed from Linux
 * long ago (AF_ECONET, 19, gone since Linux 3.5). The number is the module
 * parameter "family"; a program that must follow a non-default choice reads
 * /sys/module/kame/parameters/family. The load fails, with a kernel log line
 * naming the parameter, when the number is taken.
 *
 * struct sockaddr_kame is laid out like struct sockaddr_in6: code ports by
 * changing the family. Addresses are always plain (RFC 4291) addresses: the
 * zone of a link-local or interface-local address travels in sin6_scope_id
 * (an interface index) and never inside the address bytes. An address whose
 * bytes 2-3 are non-zero where the kernel would embed a zone is rejected
 * with EINVAL.
 *
 * Sockets (socket(AF_KAME, type, protocol)):
 *   SOCK_DGRAM, protocol 0 or IPPROTO_UDP   UDP
 *   SOCK_RAW, protocol 0-255                raw IPv6 (needs CAP_NET_RAW,
 *                                           else EPERM)
 *   SOCK_DGRAM with another protocol        EPROTONOSUPPORT
 *   SOCK_RAW with protocol > 255 or < 0     EPROTONOSUPPORT
 *   any other type (SOCK_STREAM, ...)       ESOCKTNOSUPPORT
 * UDP sockets bind, connect (AF_UNSPEC disconnects), send and receive,
 * with getsockname/getpeername and poll. Binding: EINVAL when already
 * bound or for a short address or a scoped address with a zone in bytes
 * 2-3; EAFNOSUPPORT for another family; EACCES for a port below the
 * namespace's net.ipv4.ip_unprivileged_port_start (1024 by default)
 * without CAP_NET_BIND_SERVICE in the user namespace that owns the
 * network namespace, as for Linux's own sockets; EADDRNOTAVAIL for an
 * address that is not the node's or that it may not use as a source yet
 * or at all (tentative, duplicated, anycast; a deprecated one may be
 * bound, a multicast group too); EADDRINUSE for a taken port unless
 * both sockets set SO_REUSEADDR, or both SO_REUSEPORT with the same
 * owner (kernels whose core accepts SO_REUSEPORT for inet sockets only
 * refuse it with EOPNOTSUPP, as Debian's 6.1 does), and for one socket
 * more than net.inet6.udp6.maxreuse (default 128) sharing an address and
 * port (:: shares with every address). Port 0 picks an
 * ephemeral port in 49152-65535. Sending to a link-local destination
 * without a scope id when more than one interface is attached: EINVAL; to
 * a destination the routing table has no route for: ENETUNREACH (see
 * KAME_CMD_ROUTE_GET); through a reject route: ENETUNREACH, or
 * EHOSTUNREACH for a host route. Socket options at level SOL_IPV6, with Linux's
 * numbers (Documentation/sockets.rst lists values and errnos):
 * IPV6_UNICAST_HOPS, IPV6_MULTICAST_HOPS, IPV6_MULTICAST_IF (an attached
 * interface, else ENXIO), IPV6_MULTICAST_LOOP, IPV6_V6ONLY (always 1;
 * setting 0 gives EINVAL), IPV6_PKTINFO (sticky and ancillary; the source
 * must be a usable address of the node, else EADDRNOTAVAIL),
 * IPV6_RECVPKTINFO, IPV6_HOPLIMIT (ancillary only), IPV6_RECVHOPLIMIT,
 * IPV6_TCLASS (-1..255), IPV6_RECVTCLASS, IPV6_DONTFRAG (a datagram over
 * the link MTU fails with EMSGSIZE), IPV6_RECVPATHMTU, IPV6_PATHMTU (read
 * only, connected sockets: the link MTU, there is no path MTU cache yet),
 * IPV6_JOIN_GROUP / IPV6_LEAVE_GROUP and MCAST_JOIN_GROUP /
 * MCAST_LEAVE_GROUP (group_req holds a sockaddr_kame): at most
 * net.inet6.ip6.max_memberships groups per socket (ENOBUFS), EADDRINUSE
 * for a second join, EADDRNOTAVAIL for leaving a group not joined. A
 * socket receives a multicast datagram only for a group it joined on the
 * arrival interface. IPV6_IPSEC_POLICY (34): the socket's own IPsec
 * policy of one direction, with kame_ipsec.ko (uapi/linux/kame_key.h says
 * what it takes and returns). Short option values give EINVAL, others
 * ENOPROTOOPT. A send an IPsec policy discards fails with EACCES.
 *
 * Raw sockets (BSD semantics, no IPV6_HDRINCL): CAP_NET_RAW is checked in
 * the user namespace that owns the socket's network namespace. A send
 * carries the upper-layer message; the kernel adds the IPv6 header with
 * the socket's protocol as next header (0 included: the message then
 * starts with a hop-by-hop options header), picks the interface, source
 * and hop limit as UDP does, and ignores sin6_port. A receive returns the
 * upper-layer message, without the IPv6 header, with the source and its
 * sin6_scope_id in msg_name (sin6_port 0). Every raw socket whose
 * protocol is the packet's next header or 0, whose bound address (if any)
 * is the destination, whose connected peer (if any) is the source, whose
 * ICMP6_FILTER passes the type and whose IPV6_CHECKSUM (if set) verifies
 * gets a copy of: every ICMPv6 message that passes the ICMPv6 length and
 * checksum checks (the kernel still answers echo requests, runs ND...),
 * and every packet whose next header the kernel has no protocol for (then
 * a Parameter Problem is sent only when no socket took it). UDP packets
 * and extension headers are not given to raw sockets. A full receive
 * buffer drops the copy (rip6s_fullsock). Binding: EADDRNOTAVAIL for an
 * address that is not a usable unicast address of the node (multicast,
 * anycast, tentative, duplicated or deprecated ones included); a raw
 * socket may be bound again. connect() fixes the peer (AF_UNSPEC
 * undoes it); getsockname/getpeername give sin6_port 0. Sending: as UDP
 * (EDESTADDRREQ, EINVAL, ENETUNREACH), EMSGSIZE above 65535 bytes, EINVAL
 * when the message cannot hold the checksum field.
 *   ICMP6_FILTER (level SOL_ICMPV6, 58; optname 1 as ICMPV6_FILTER):
 *     struct icmp6_filter, a set bit blocks a type (the RFC 3542 macros
 *     of <netinet/icmp6.h> work); default: pass all. ICMPv6 sockets only
 *     (others: EOPNOTSUPP); a shorter option: EINVAL.
 *   IPV6_CHECKSUM (SOL_IPV6): an int, the even offset of the checksum in
 *     the message, or -1 (default) for none. Odd offsets and values
 *     below -1: EINVAL. ICMPv6 sockets refuse it (EINVAL, RFC 3542 3.1):
 *     their checksum is always computed; they read back 2. On output the
 *     kernel computes the checksum at the offset; on input a message
 *     whose checksum field is missing or whose sum is wrong is not given
 *     to the socket (rip6s_badsum).
 *   Other SOL_IPV6 options are shared with UDP.
 *
 * ICMPv6 errors (destination unreachable, packet too big, time exceeded,
 * parameter problem) quoting a UDP datagram this node sent set the error
 * of every connected UDP socket of that conversation (local and peer
 * address and port): SO_ERROR returns it and clears it, and so does the
 * next send or receive; poll() reports POLLERR. Unconnected sockets are
 * not told. Destination unreachable code 0 (no route) ENETUNREACH, 1
 * (administratively prohibited) EACCES, 2 (beyond scope) and 3 (address
 * unreachable) EHOSTUNREACH, 4 (port unreachable) ECONNREFUSED, 5 and 6
 * (policy) EACCES, others EPROTO; packet too big EMSGSIZE; time exceeded
 * EHOSTUNREACH; parameter problem EPROTO. Raw ICMPv6 sockets receive the
 * error messages themselves.
 *
 * Generic netlink family "kame"
 * -----------------------------
 * Requests are validated strictly: an unknown attribute, a duplicate
 * attribute, an attribute of the wrong length or out of range, or a missing
 * one is rejected with an errno and an extended-ack message naming it.
 * Every command that changes state needs CAP_NET_ADMIN in the user
 * namespace that owns the request's network namespace (EPERM otherwise,
 * with an extack message). Every table can be dumped.
 *
 * KAME_CMD_LINK_GET (doit, dumpit): one attached interface, or all of them.
 *   request (doit): KAME_LINK_A_IFINDEX or KAME_LINK_A_IFNAME (exactly one);
 *   a dump takes no filter.
 *   reply, one message per interface:
 *     KAME_LINK_A_IFINDEX       u32
 *     KAME_LINK_A_IFNAME        string
 *     KAME_LINK_A_MTU           u32, the link MTU the stack uses
 *     KAME_LINK_A_LLADDR        binary, dev->addr_len bytes (absent if none,
 *                               and on a point-to-point link)
 *     KAME_LINK_A_FLAGS         u32, KAME_LINK_F_* (current state)
 *     KAME_LINK_A_NATIVE_SAVED  u8, net.ipv6.conf.<dev>.disable_ipv6 before
 *                               the attach (restored by the tool on detach)
 *     KAME_LINK_A_RX_PACKETS    u64, IPv6 frames the stack received on it
 *   errors: ENODEV no such interface in this namespace; ENOENT not attached.
 *
 * KAME_CMD_LINK_ATTACH (doit, CAP_NET_ADMIN): run the stack on an interface.
 *   KAME_LINK_A_IFINDEX or KAME_LINK_A_IFNAME (exactly one)
 *   KAME_LINK_A_NATIVE_SAVED (optional, default 0): kept and reported.
 *   The interface must already be taken from Linux's native IPv6
 *   (net.ipv6.conf.<dev>.disable_ipv6 = 1): the kame tool does this first.
 *   errors: ENODEV; EEXIST already attached; EBUSY native IPv6 still on;
 *   EOPNOTSUPP not an Ethernet-like interface; EINVAL MTU below 1280 or
 *   interface index above 65535 (it must fit a scope zone id).
 *   Attaching creates the EUI-64 link-local address and starts DAD on it.
 *
 * KAME_CMD_LINK_DETACH (doit, CAP_NET_ADMIN): stop the stack on it.
 *   KAME_LINK_A_IFINDEX or KAME_LINK_A_IFNAME (exactly one)
 *   errors: ENODEV; ENOENT not attached.
 *
 * KAME_CMD_STATS_GET (doit): the statistics of this namespace.
 *   request: KAME_STATS_A_GROUP u32 (KAME_STATS_IP6, ...)
 *   reply:   KAME_STATS_A_GROUP u32
 *            KAME_STATS_A_COUNTERS nest; inside, attribute type N + 1 is a
 *            u64 holding counter N of the group (type 0 is alignment
 *            padding, to be skipped) (enum kame_ip6stat_id for
 *            KAME_STATS_IP6, enum kame_icmp6stat_id for KAME_STATS_ICMP6,
 *            enum kame_udp6stat_id, kame_nd6stat_id and kame_rip6stat_id
 *            for KAME_STATS_UDP6, _ND6 and _RIP6).
 *            Counters are only appended, never renumbered.
 */
#ifndef _UAPI_LINUX_KAME_H
#define _UAPI_LINUX_KAME_H

#include <linux/types.h>
#include <linux/in6.h>

#define AF_KAME		19	/* default; see "Protocol family" above */
#define PF_KAME		AF_KAME

struct sockaddr_kame {
	__u16		sin6_family;	/* AF_KAME */
	__u16		sin6_port;	/* transport port, network order */
	__u32		sin6_flowinfo;	/* traffic class and flow label */
	struct in6_addr	sin6_addr;	/* plain IPv6 address */
	__u32		sin6_scope_id;	/* zone: interface index, or 0 */
};

#define KAME_GENL_NAME		"kame"
#define KAME_GENL_VERSION	1

enum kame_cmd {
	KAME_CMD_UNSPEC,
	KAME_CMD_LINK_GET,
	KAME_CMD_LINK_ATTACH,
	KAME_CMD_LINK_DETACH,
	KAME_CMD_STATS_GET,
	KAME_CMD_ADDR_GET,
	KAME_CMD_ADDR_NEW,
	KAME_CMD_ADDR_DEL,
	KAME_CMD_ND_GET,
	KAME_CMD_SYSCTL_GET,
	KAME_CMD_SYSCTL_SET,
	KAME_CMD_ND_NEW,
	KAME_CMD_ND_DEL,
	KAME_CMD_ND_FLUSH,
	KAME_CMD_NDIF_GET,
	KAME_CMD_NDIF_SET,
	KAME_CMD_SOCK_GET,
	KAME_CMD_ROUTE_GET,
	KAME_CMD_ROUTE_NEW,
	KAME_CMD_ROUTE_DEL,
	KAME_CMD_MADDR_GET,
	KAME_CMD_ADDRSEL_GET,
	KAME_CMD_ADDRSEL_NEW,
	KAME_CMD_ADDRSEL_DEL,
	KAME_CMD_ADDRSEL_FLUSH,
	KAME_CMD_DEFRTR_GET,
	KAME_CMD_DEFRTR_FLUSH,
	KAME_CMD_PREFIX_GET,
	KAME_CMD_PREFIX_FLUSH,
	KAME_CMD_DEFRTR_HARMONIZE,
	__KAME_CMD_MAX
};
#define KAME_CMD_MAX	(__KAME_CMD_MAX - 1)

enum kame_link_flags {
	KAME_LINK_F_UP		= 1U << 0,	/* administratively up */
	KAME_LINK_F_RUNNING	= 1U << 1,	/* carrier on */
	/* a point-to-point link without link-layer addresses (gre, sit, tun) */
	KAME_LINK_F_POINTOPOINT	= 1U << 2,
	__KAME_LINK_F_ALL	= KAME_LINK_F_UP | KAME_LINK_F_RUNNING |
				  KAME_LINK_F_POINTOPOINT
};

enum kame_link_attr {
	KAME_LINK_A_UNSPEC,
	KAME_LINK_A_IFINDEX,
	KAME_LINK_A_IFNAME,
	KAME_LINK_A_MTU,
	KAME_LINK_A_LLADDR,
	KAME_LINK_A_FLAGS,
	KAME_LINK_A_NATIVE_SAVED,
	KAME_LINK_A_RX_PACKETS,
	KAME_LINK_A_PAD,
	__KAME_LINK_A_MAX
};
#define KAME_LINK_A_MAX	(__KAME_LINK_A_MAX - 1)

enum kame_stats_group {
	KAME_STATS_IP6,
	KAME_STATS_ICMP6,
	KAME_STATS_UDP6,
	KAME_STATS_ND6,
	KAME_STATS_RIP6,
	KAME_STATS_IPSEC6,	/* kame_ipsec.ko's; no counter without it */
	__KAME_STATS_MAX
};
#define KAME_STATS_MAX	(__KAME_STATS_MAX - 1)

enum kame_stats_attr {
	KAME_STATS_A_UNSPEC,
	KAME_STATS_A_GROUP,
	KAME_STATS_A_COUNTERS,
	KAME_STATS_A_PAD,
	__KAME_STATS_A_MAX
};
#define KAME_STATS_A_MAX	(__KAME_STATS_A_MAX - 1)

/*
 * IPv6 statistics, named after KAME's struct ip6stat members. Every
 * received packet the stack drops increments exactly one of them.
 */
enum kame_ip6stat_id {
	KAME_IP6S_TOTAL,	/* ip6s_total: packets received */
	KAME_IP6S_TOOSHORT,	/* ip6s_tooshort: payload length > frame */
	KAME_IP6S_TOOSMALL,	/* ip6s_toosmall: shorter than the header */
	KAME_IP6S_BADVERS,	/* ip6s_badvers: version is not 6 */
	KAME_IP6S_CANTFORWARD,	/* ip6s_cantforward: not for us, host */
	KAME_IP6S_NOMEM,	/* ip6s_nomem: no memory to process */
	KAME_IP6S_OTHERHOST,	/* ip6s_otherhost: frame for another MAC */
	KAME_IP6S_DELIVERED,	/* ip6s_delivered: to an upper layer */
	KAME_IP6S_LOCALOUT,	/* ip6s_localout: packets sent */
	KAME_IP6S_NOROUTE,	/* ip6s_noroute: no route on output */
	KAME_IP6S_BADSCOPE,	/* ip6s_badscope: invalid source/dest */
	KAME_IP6S_NOPROTO,	/* ip6s_noproto: unknown next header */
	KAME_IP6S_ODROPPED,	/* ip6s_odropped: output dropped */
	KAME_IP6S_NOTMEMBER,	/* ip6s_notmember: group not joined */
	KAME_IP6S_BADOPTIONS,	/* ip6s_badoptions: bad option/header */
	KAME_IP6S_TOOMANYHDR,	/* ip6s_toomanyhdr: > hdrnestlimit headers */
	KAME_IP6S_FRAGMENTS,	/* ip6s_fragments: fragments received */
	KAME_IP6S_FRAGDROPPED,	/* ip6s_fragdropped: datagrams dropped */
	KAME_IP6S_FRAGTIMEOUT,	/* ip6s_fragtimeout: datagrams timed out */
	KAME_IP6S_FRAGOVERFLOW,	/* ip6s_fragoverflow: over the limits */
	KAME_IP6S_REASSEMBLED,	/* ip6s_reassembled: datagrams rebuilt */
	KAME_IP6S_ATOMICFRAGS,	/* ip6s_atomicfrags: offset 0, no M flag */
	KAME_IP6S_BADFRAGS,	/* ip6s_badfrags: malformed fragments */
	KAME_IP6S_FRAGMENTED,	/* ip6s_fragmented: datagrams fragmented */
	KAME_IP6S_OFRAGMENTS,	/* ip6s_ofragments: fragments sent */
	KAME_IP6S_IFDISABLED,	/* ip6s_ifdisabled: interface disabled (ND) */
	KAME_IP6S_CANTFRAG,	/* ip6s_cantfrag: too big, IPV6_DONTFRAG */
	KAME_IP6S_GROSPLIT,	/* ip6s_grosplit: merged UDP/TCP split */
	KAME_IP6S_GRODROP,	/* ip6s_grodrop: GRO-merged, cannot split */
	/*
	 * A router (net.inet6.ip6.forwarding 1) forwards a packet that is
	 * not its own (ip6s_forward) or drops it with exactly one of these,
	 * or ip6s_badscope when a scoped source or destination would leave
	 * its zone.
	 */
	KAME_IP6S_FORWARD,	/* ip6s_forward: packets forwarded */
	KAME_IP6S_HLIMEXCEEDED,	/* ip6s_hlimexceeded: hop limit <= 1, not
				 * forwarded (Time Exceeded sent)
				 */
	KAME_IP6S_TOOBIG,	/* ip6s_toobig: over the outgoing link MTU,
				 * not forwarded (Packet Too Big sent)
				 */
	KAME_IP6S_FWDNOROUTE,	/* ip6s_fwdnoroute: no route, or a reject or
				 * blackhole route, to forward by
				 */
	__KAME_IP6S_MAX
};

/* ICMPv6 statistics, after KAME's struct icmp6stat. */
enum kame_icmp6stat_id {
	KAME_ICP6S_ERROR,	/* icp6s_error: errors generated */
	KAME_ICP6S_TOOSHORT,	/* icp6s_tooshort: shorter than header */
	KAME_ICP6S_CHECKSUM,	/* icp6s_checksum: bad checksum */
	KAME_ICP6S_BADCODE,	/* icp6s_badcode: bad code */
	KAME_ICP6S_BADLEN,	/* icp6s_badlen: bad length for type */
	KAME_ICP6S_BADNS,	/* icp6s_badns: invalid neighbor solicitation */
	KAME_ICP6S_BADNA,	/* icp6s_badna: invalid neighbor advertisement */
	KAME_ICP6S_NOSOCK,	/* icp6s_nosock: type nobody takes */
	KAME_ICP6S_IN_ECHO,	/* icp6s_inhist[echo request] */
	KAME_ICP6S_IN_ECHOREPLY,
	KAME_ICP6S_IN_NS,
	KAME_ICP6S_IN_NA,
	KAME_ICP6S_IN_OTHER,	/* types without a counter of their own */
	KAME_ICP6S_OUT_ECHO,
	KAME_ICP6S_OUT_ECHOREPLY,
	KAME_ICP6S_OUT_NS,
	KAME_ICP6S_OUT_NA,
	KAME_ICP6S_ND_TOOMANYOPTS, /* icp6s_nd_toomanyopt: options ignored */
	KAME_ICP6S_DAD_DUP,	/* duplicates detected by DAD */
	KAME_ICP6S_ND_HOLDDROP,	/* packets dropped from an ND hold queue */
	KAME_ICP6S_ND_RESFAIL,	/* address resolution failures */
	KAME_ICP6S_CANTERROR,	/* icp6s_canterror: error not allowed */
	KAME_ICP6S_TOOFREQ,	/* icp6s_toofreq: over errppslimit */
	KAME_ICP6S_OUT_DSTUNREACH,
	KAME_ICP6S_OUT_PKTTOOBIG,
	KAME_ICP6S_OUT_TIMEEXCEED,
	KAME_ICP6S_OUT_PARAMPROB,
	KAME_ICP6S_IN_ERROR,	/* error messages received */
	KAME_ICP6S_ND_BADOPT,	/* icp6s_nd_badopt: bad ND options (dropped) */
	KAME_ICP6S_BADRS,	/* icp6s_badrs: invalid router solicitation */
	KAME_ICP6S_BADRA,	/* icp6s_badra: invalid router advertisement */
	KAME_ICP6S_BADREDIRECT,	/* icp6s_badredirect: invalid redirect */
	KAME_ICP6S_IN_RS,	/* icp6s_inhist[router solicitation] */
	KAME_ICP6S_IN_RA,
	KAME_ICP6S_IN_REDIRECT,
	/* output error histogram (KAME's icmp6errstat), by code */
	KAME_ICP6S_ODST_UNREACH_NOROUTE, /* icp6errs_dst_unreach_noroute */
	KAME_ICP6S_ODST_UNREACH_ADDR,	/* icp6errs_dst_unreach_addr */
	KAME_ICP6S_ODST_UNREACH_NOPORT,	/* icp6errs_dst_unreach_noport */
	/*
	 * The rest of KAME's icp6s_inhist/icp6s_outhist by type. Every message
	 * that passes the length and checksum checks counts once in the input
	 * histogram: its type's counter, or icp6s_inhist_other for a type
	 * without one; an error message (type < 128) also counts in
	 * icp6s_inhist_error.
	 */
	KAME_ICP6S_IN_DSTUNREACH,	/* icp6s_inhist[1] */
	KAME_ICP6S_IN_PKTTOOBIG,	/* icp6s_inhist[2] */
	KAME_ICP6S_IN_TIMEEXCEED,	/* icp6s_inhist[3] */
	KAME_ICP6S_IN_PARAMPROB,	/* icp6s_inhist[4] */
	KAME_ICP6S_IN_MLDQUERY,		/* icp6s_inhist[130] */
	KAME_ICP6S_IN_MLDREPORT,	/* icp6s_inhist[131] */
	KAME_ICP6S_IN_MLDDONE,		/* icp6s_inhist[132] */
	KAME_ICP6S_IN_MLDV2REPORT,	/* icp6s_inhist[143] */
	KAME_ICP6S_OUT_MLDQUERY,	/* icp6s_outhist[130] */
	KAME_ICP6S_OUT_MLDREPORT,	/* icp6s_outhist[131] */
	KAME_ICP6S_OUT_MLDDONE,		/* icp6s_outhist[132] */
	KAME_ICP6S_OUT_RS,		/* icp6s_outhist[133] */
	KAME_ICP6S_OUT_RA,		/* icp6s_outhist[134] */
	KAME_ICP6S_OUT_REDIRECT,	/* icp6s_outhist[137] */
	KAME_ICP6S_OUT_MLDV2REPORT,	/* icp6s_outhist[143] */
	/*
	 * MLD (RFC 3810, RFC 2710). A query is accepted (v1 or v2) or
	 * dropped with exactly one of the mld_bad* counters; reports and
	 * dones of other listeners are taken (MLDv1 report suppression) and
	 * counted in the input histogram only.
	 */
	KAME_ICP6S_MLD_V1QUERY,		/* mld_v1query: MLDv1 queries accepted */
	KAME_ICP6S_MLD_V2QUERY,		/* mld_v2query: MLDv2 queries accepted */
	KAME_ICP6S_MLD_BADLEN,		/* mld_badlen: neither 24 nor >= 28
					 * bytes, sources past the end, report
					 * shorter than 24
					 */
	KAME_ICP6S_MLD_BADHLIM,		/* mld_badhlim: query hop limit not 1 */
	KAME_ICP6S_MLD_BADSRC,		/* mld_badsrc: not from a link-local */
	KAME_ICP6S_MLD_NORTALERT,	/* mld_nortalert: no Router Alert (MLD)
					 * in a Hop-by-Hop header
					 */
	KAME_ICP6S_MLD_BADGROUP,	/* mld_badgroup: group neither :: nor
					 * multicast; sources in a general query
					 */
	KAME_ICP6S_MLD_NOMEM,		/* mld_nomem: reports not sent, no memory */
	/*
	 * Router advertisements (nd6_rtr.c). A valid RA is processed, or
	 * dropped with exactly one of ra_ignored, ra_qfull; its prefix
	 * options may be ignored each (pfx_ignored, pfx_full).
	 */
	KAME_ICP6S_RA_IGNORED,	/* accept_rtadv off or forwarding on */
	KAME_ICP6S_RA_QFULL,	/* over net.inet6.icmp6.nd6_maxraqueue */
	KAME_ICP6S_RA_PROCESSED, /* taken into the router and prefix lists */
	KAME_ICP6S_DR_FULL,	/* router not listed: nd6_maxdefrouters */
	KAME_ICP6S_PFX_FULL,	/* prefix not listed: nd6_maxprefixes */
	KAME_ICP6S_PFX_IGNORED,	/* prefix option ignored (RFC 4862 5.5.3:
				 * link-local, preferred > valid lifetime)
				 */
	KAME_ICP6S_RIO_FULL,	/* route information option not installed:
				 * net.inet6.ip6.rtinfo_max routes from RAs
				 */
	/*
	 * Redirects (RFC 4861 8). A valid redirect is acted on (a dynamic
	 * host route) or dropped with exactly one of redir_ignored,
	 * redir_full.
	 */
	KAME_ICP6S_REDIR_ACCEPTED, /* redir_accepted: route installed */
	KAME_ICP6S_REDIR_IGNORED, /* redir_ignored: a router, or
				   * net.inet6.icmp6.rediraccept 0
				   */
	KAME_ICP6S_REDIR_FULL,	/* redir_full: net.inet6.icmp6.redirmax
				 * redirect routes exist already
				 */
	__KAME_ICP6S_MAX
};

/* UDP statistics, after KAME's struct udpstat (udp6s_ names). */
enum kame_udp6stat_id {
	KAME_UDP6S_IPACKETS,	/* udp6s_ipackets: datagrams received */
	KAME_UDP6S_HDROPS,	/* udp6s_hdrops: shorter than the header */
	KAME_UDP6S_BADLEN,	/* udp6s_badlen: bad length field */
	KAME_UDP6S_BADSUM,	/* udp6s_badsum: bad checksum */
	KAME_UDP6S_NOSUM,	/* udp6s_nosum: zero checksum (mandatory) */
	KAME_UDP6S_NOPORT,	/* udp6s_noport: no socket on the port */
	KAME_UDP6S_NOPORTMCAST,	/* udp6s_noportmcast: same, multicast */
	KAME_UDP6S_FULLSOCK,	/* udp6s_fullsock: receive buffer full */
	KAME_UDP6S_OPACKETS,	/* udp6s_opackets: datagrams sent */
	__KAME_UDP6S_MAX
};

/*
 * Raw socket statistics (KAME_STATS_RIP6), after KAME's struct rip6stat.
 * Raw input is offered every ICMPv6 message that passed the ICMPv6 length
 * and checksum checks, and every packet whose next header the kernel has
 * no protocol for. Each offered packet counts in rip6s_ipackets, and then
 * either some socket queued a copy or it counts in rip6s_nosock (and, to a
 * multicast destination, also in rip6s_nosockmcast). A copy a matching
 * socket refuses counts in rip6s_badsum (IPV6_CHECKSUM check failed) or
 * rip6s_fullsock (receive buffer full).
 */
enum kame_rip6stat_id {
	KAME_RIP6S_IPACKETS,	/* rip6s_ipackets: packets offered */
	KAME_RIP6S_ISUM,	/* rip6s_isum: input checksums verified */
	KAME_RIP6S_BADSUM,	/* rip6s_badsum: copies with a bad checksum */
	KAME_RIP6S_NOSOCK,	/* rip6s_nosock: packets no socket took */
	KAME_RIP6S_NOSOCKMCAST,	/* rip6s_nosockmcast: same, multicast */
	KAME_RIP6S_FULLSOCK,	/* rip6s_fullsock: copies dropped, buffer full */
	KAME_RIP6S_OPACKETS,	/* rip6s_opackets: packets sent */
	__KAME_RIP6S_MAX
};

/*
 * IPsec statistics (KAME_STATS_IPSEC6), after KAME's struct ipsecstat,
 * kept by kame_ipsec.ko (the COUNTERS nest is empty while it is not
 * loaded). A received packet that meets IPsec is processed (in_success)
 * or dropped with one of the in_ counters; a packet sent through an
 * ipsec policy is processed (out_success) or dropped with one out_.
 */
enum kame_ipsec6stat_id {
	KAME_IPSEC6S_IN_SUCCESS,	/* processed (decrypted, decompressed) */
	KAME_IPSEC6S_IN_POLVIO,		/* violated the inbound policy */
	KAME_IPSEC6S_IN_NOSA,		/* no SA for the SPI */
	KAME_IPSEC6S_IN_INVAL,		/* malformed */
	KAME_IPSEC6S_IN_NOMEM,		/* no memory */
	KAME_IPSEC6S_IN_AUTHFAIL,	/* ICV did not verify */
	KAME_IPSEC6S_IN_REPLAY,		/* replayed or too old */
	KAME_IPSEC6S_OUT_SUCCESS,	/* processed */
	KAME_IPSEC6S_OUT_POLVIO,	/* a discard policy */
	KAME_IPSEC6S_OUT_NOSA,		/* required SA missing */
	KAME_IPSEC6S_OUT_INVAL,		/* sequence numbers used up, crypto */
	KAME_IPSEC6S_OUT_NOMEM,		/* no memory */
	KAME_IPSEC6S_IN_COMPFAIL,	/* IPComp: bad or oversized deflate */
	KAME_IPSEC6S_IN_DUMMY,		/* ESP dummy packets (next header 59) */
	__KAME_IPSEC6S_MAX
};

/*
 * Neighbor cache statistics (KAME_STATS_ND6). nd6_entries is a gauge (the
 * entries in the cache now); the others count events.
 */
enum kame_nd6stat_id {
	KAME_ND6S_ENTRIES,	/* nd6_entries: entries now (gauge) */
	KAME_ND6S_CREATED,	/* nd6_created: entries created */
	KAME_ND6S_GC,		/* nd6_gc: STALE entries removed by the GC */
	KAME_ND6S_EVICT,	/* nd6_evict: removed to make room (cache full) */
	KAME_ND6S_CACHE_FULL,	/* nd6_cache_full: not created, cache full */
	KAME_ND6S_NOMEM,	/* nd6_nomem: not created, no memory */
	KAME_ND6S_EXPIRED,	/* nd6_expired: removed by their timer */
	KAME_ND6S_PROXY_NA,	/* nd6_proxy_na: NAs sent for proxy entries */
	KAME_ND6S_UNSOL_NA,	/* nd6_unsol_na: unsolicited NAs sent (RFC
				 * 4861 7.2.6, link-layer address change)
				 */
	KAME_ND6S_DAD_RESTART,	/* nd6_dad_restart: DAD rerun on an address
				 * (interface up, MTU back at 1280 or more)
				 */
	KAME_ND6S_NUDHINT,	/* nd6_nudhint: upper-layer reachability hints
				 * that confirmed a neighbor (MSG_CONFIRM)
				 */
	KAME_ND6S_NUDHINT_IGNORED, /* nd6_nudhint_ignored: hints ignored,
				    * beyond nd6_maxnudhint in a row
				    */
	KAME_ND6S_GC_RUNS,	/* nd6_gc_runs: runs of the GC work */
	KAME_ND6S_TEMP_DADFAIL,	/* nd6_temp_dadfail: temporary addresses
				 * that failed DAD (another one is made,
				 * RFC 8981 3.4, up to TEMP_IDGEN_RETRIES)
				 */
	KAME_ND6S_TEMP_IDGEN_FAIL, /* nd6_temp_idgen_fail: prefixes that got
				    * no temporary address after the retries
				    */
	__KAME_ND6S_MAX
};

/*
 * KAME_CMD_ADDR_GET (dumpit), KAME_CMD_ADDR_NEW, KAME_CMD_ADDR_DEL
 * (doit, CAP_NET_ADMIN): the stack's addresses (KAME's in6_ifaddr).
 *   KAME_ADDR_A_IFINDEX    u32, the interface (dump: optional filter)
 *   KAME_ADDR_A_ADDRESS    binary, 16 bytes, a plain address: bytes 2-3 of
 *                          a link-local address must be zero (EINVAL)
 *   KAME_ADDR_A_PREFIXLEN  u8, 0-128 (NEW; default 64)
 *   KAME_ADDR_A_FLAGS      u32, KAME_ADDR_F_*; in NEW only ANYCAST may
 *                          be given, the others are state
 *   KAME_ADDR_A_VALID_LFT, KAME_ADDR_A_PREFERRED_LFT
 *                          u32 seconds, KAME_LFT_INFINITY for none (the
 *                          default); in dumps the time left. When the
 *                          preferred lifetime ends the address becomes
 *                          DEPRECATED, when the valid one ends it is
 *                          removed. NEW: preferred must not exceed valid.
 *   errors: EEXIST the address is there already; EADDRNOTAVAIL (DEL) it
 *   is not; ENOENT the interface is not attached; EINVAL multicast,
 *   unspecified, loopback or v4-mapped address, or an attribute the
 *   command does not take (DEL takes IFINDEX and ADDRESS, a dump only the
 *   IFINDEX filter).
 *
 * KAME_CMD_ND_GET (dumpit): the neighbor cache (KAME's llinfo_nd6).
 *   KAME_ND_A_IFINDEX u32, KAME_ND_A_ADDRESS 16 bytes (plain),
 *   KAME_ND_A_LLADDR binary (absent while INCOMPLETE), KAME_ND_A_STATE u8
 *   (KAME_ND_*), KAME_ND_A_FLAGS u32 (KAME_ND_F_*), KAME_ND_A_EXPIRE u32
 *   (seconds to the next state change or to the removal of a temporary
 *   entry, 0 for none), KAME_ND_A_ASKED u8 (solicitations sent in this
 *   state). The cache is a resizable hash table: a dump that races a
 *   resize may show an entry twice.
 *   A dump takes an optional KAME_ND_A_IFINDEX filter.
 *
 * KAME_CMD_ND_NEW (doit, CAP_NET_ADMIN): add a manual entry (ndp -s),
 *   replacing any entry for the same interface and address.
 *   KAME_ND_A_ADDRESS (required) a plain address: bytes 2-3 of a
 *                     link-local address must be zero (EINVAL);
 *   KAME_ND_A_IFINDEX (required for a link-local address; else optional:
 *                     the attached interface the address is on-link on);
 *   KAME_ND_A_LLADDR  6 bytes (required, except for a proxy entry: our
 *                     own MAC then);
 *   KAME_ND_A_FLAGS   KAME_ND_F_STATIC (permanent), KAME_ND_F_TEMP
 *                     (removed after KAME_ND_A_EXPIRE seconds, default
 *                     1200 = 20 minutes), KAME_ND_F_PROXY (answer NS for
 *                     the address, RFC 4861 7.2.8, with the entry's
 *                     link-layer address and the override flag clear).
 *                     Exactly one of STATIC and TEMP.
 *   Manual entries are not subject to NUD, GC or eviction; they count
 *   against net.inet6.icmp6.nd6_maxcache.
 *   errors: EINVAL bad address or flags; ENETUNREACH the address is not
 *   on-link on the interface (or on any attached one); ENOENT interface
 *   not attached; ENOBUFS cache full.
 *
 * KAME_CMD_ND_DEL (doit, CAP_NET_ADMIN): remove one entry, of any kind.
 *   KAME_ND_A_ADDRESS (required), KAME_ND_A_IFINDEX (required for a
 *   link-local address; else the first interface with such an entry).
 *   errors: ENOENT no such entry.
 *
 * KAME_CMD_ND_FLUSH (doit, CAP_NET_ADMIN): remove the dynamic entries
 *   (not static, temporary or proxy ones), of KAME_ND_A_IFINDEX if given.
 *
 * KAME_CMD_NDIF_GET (doit: KAME_NDIF_A_IFINDEX; dumpit: all attached),
 * KAME_CMD_NDIF_SET (doit, CAP_NET_ADMIN): per-interface ND parameters
 *   (KAME's nd_ifinfo, ndp -i).
 *   KAME_NDIF_A_IFINDEX       u32 (required in doit)
 *   KAME_NDIF_A_FLAGS         u32, KAME_NDIF_F_*
 *   KAME_NDIF_A_FLAGS_MASK    u32 (SET only): the flags to change; each
 *                             bit set here takes its value from FLAGS
 *   KAME_NDIF_A_BASEREACHABLE u32 ms, 1-3600000 (BaseReachableTime;
 *                             setting it re-randomizes REACHABLE)
 *   KAME_NDIF_A_REACHABLE     u32 ms, read-only (ReachableTime, random in
 *                             0.5-1.5 x BaseReachableTime)
 *   KAME_NDIF_A_RETRANS       u32 ms, 1-3600000 (RetransTimer)
 *   KAME_NDIF_A_CURHLIM       u8, 1-255 (hop limit of our packets)
 *   KAME_NDIF_A_DAD_TRANSMITS u8, 0-10 (DupAddrDetectTransmits)
 *   KAME_NDIF_A_LINKMTU, KAME_NDIF_A_MAXMTU  u32, read-only
 *   Flags: NUD off: entries never leave REACHABLE by timeout and STALE
 *   entries are used without probing. ACCEPT_RTADV: router
 *   advertisements received on the interface are processed (default
 *   router and prefix lists, SLAAC, KAME_CMD_DEFRTR_GET) unless the
 *   namespace forwards (net.inet6.ip6.forwarding 1); else they are
 *   counted in icp6s_ra_ignored; its value at attach is the knob
 *   net.inet6.ip6.accept_rtadv (default 1). LINKMTU is the MTU option
 *   of the last RA when it is below the device's MTU. AUTO_LINKLOCAL: an interface
 *   with no link-local address gets the EUI-64 one at attach, on
 *   NETDEV_UP and when the flag is set; its value at attach is the knob
 *   net.inet6.ip6.auto_linklocal. DISABLED: the stack drops every IPv6 packet
 *   on the interface (ip6s_ifdisabled) and sends nothing; the kernel sets
 *   it when DAD finds the link-local address made from the MAC duplicated
 *   (RFC 4862 5.4.5); clearing it restarts DAD on duplicated addresses.
 *   errors: ENODEV; ENOENT not attached; ERANGE value out of range.
 */
#define KAME_LFT_INFINITY	0xffffffffU

enum kame_addr_flags {
	KAME_ADDR_F_TENTATIVE	= 1U << 0,
	KAME_ADDR_F_DUPLICATED	= 1U << 1,
	KAME_ADDR_F_DEPRECATED	= 1U << 2,
	KAME_ADDR_F_ANYCAST	= 1U << 3,
	KAME_ADDR_F_AUTOCONF	= 1U << 4,	/* created by the stack */
	KAME_ADDR_F_DETACHED	= 1U << 5,	/* of a detached prefix */
	KAME_ADDR_F_TEMPORARY	= 1U << 6,	/* RFC 8981 privacy address */
	__KAME_ADDR_F_ALL	= (1U << 7) - 1
};

enum kame_addr_attr {
	KAME_ADDR_A_UNSPEC,
	KAME_ADDR_A_IFINDEX,
	KAME_ADDR_A_ADDRESS,
	KAME_ADDR_A_PREFIXLEN,
	KAME_ADDR_A_FLAGS,
	KAME_ADDR_A_VALID_LFT,
	KAME_ADDR_A_PREFERRED_LFT,
	__KAME_ADDR_A_MAX
};
#define KAME_ADDR_A_MAX	(__KAME_ADDR_A_MAX - 1)

enum kame_nd_state {
	KAME_ND_NOSTATE,
	KAME_ND_INCOMPLETE,
	KAME_ND_REACHABLE,
	KAME_ND_STALE,
	KAME_ND_DELAY,
	KAME_ND_PROBE,
};

enum kame_nd_flags {
	KAME_ND_F_ROUTER	= 1U << 0,
	KAME_ND_F_STATIC	= 1U << 1,
	KAME_ND_F_PROXY		= 1U << 2,
	KAME_ND_F_TEMP		= 1U << 3,	/* manual, expires */
};

enum kame_nd_attr {
	KAME_ND_A_UNSPEC,
	KAME_ND_A_IFINDEX,
	KAME_ND_A_ADDRESS,
	KAME_ND_A_LLADDR,
	KAME_ND_A_STATE,
	KAME_ND_A_FLAGS,
	KAME_ND_A_EXPIRE,
	KAME_ND_A_ASKED,
	__KAME_ND_A_MAX
};
#define KAME_ND_A_MAX	(__KAME_ND_A_MAX - 1)

/*
 * KAME_CMD_SYSCTL_GET (doit: one knob by name; dumpit: all),
 * KAME_CMD_SYSCTL_SET (doit, CAP_NET_ADMIN): the stack's knobs, per
 * network namespace, named as KAME's net.inet6.* sysctls where one exists.
 *   KAME_SYSCTL_A_NAME   string, e.g. "net.inet6.ip6.hdrnestlimit"
 *   KAME_SYSCTL_A_VALUE  u32 (SET: required)
 *   KAME_SYSCTL_A_MIN, KAME_SYSCTL_A_MAX  u32, read-only: the valid range
 *   errors: ENOENT unknown name; ERANGE value outside MIN..MAX.
 */
enum kame_sysctl_attr {
	KAME_SYSCTL_A_UNSPEC,
	KAME_SYSCTL_A_NAME,
	KAME_SYSCTL_A_VALUE,
	KAME_SYSCTL_A_MIN,
	KAME_SYSCTL_A_MAX,
	__KAME_SYSCTL_A_MAX
};
#define KAME_SYSCTL_A_MAX_ATTR	(__KAME_SYSCTL_A_MAX - 1)

/* Per-interface ND flags (KAME's ND6_IFF_*, same bit values). */
enum kame_ndif_flags {
	KAME_NDIF_F_NUD			= 1U << 0,	/* PERFORMNUD */
	KAME_NDIF_F_ACCEPT_RTADV	= 1U << 1,
	KAME_NDIF_F_DISABLED		= 1U << 3,	/* IFDISABLED */
	KAME_NDIF_F_AUTO_LINKLOCAL	= 1U << 5,
	__KAME_NDIF_F_ALL		= KAME_NDIF_F_NUD |
					  KAME_NDIF_F_ACCEPT_RTADV |
					  KAME_NDIF_F_DISABLED |
					  KAME_NDIF_F_AUTO_LINKLOCAL
};

enum kame_ndif_attr {
	KAME_NDIF_A_UNSPEC,
	KAME_NDIF_A_IFINDEX,
	KAME_NDIF_A_FLAGS,
	KAME_NDIF_A_FLAGS_MASK,
	KAME_NDIF_A_BASEREACHABLE,
	KAME_NDIF_A_REACHABLE,
	KAME_NDIF_A_RETRANS,
	KAME_NDIF_A_CURHLIM,
	KAME_NDIF_A_DAD_TRANSMITS,
	KAME_NDIF_A_LINKMTU,
	KAME_NDIF_A_MAXMTU,
	__KAME_NDIF_A_MAX
};
#define KAME_NDIF_A_MAX	(__KAME_NDIF_A_MAX - 1)

/*
 * KAME_CMD_SOCK_GET (dumpit only): the AF_KAME sockets of the namespace
 * that are in a protocol's table (netstat -an, ss -a): UDP sockets once
 * bound (explicitly, or by connect or a first send), raw sockets from
 * their creation.
 *   request, optional filters:
 *     KAME_SOCK_A_TYPE      u16, SOCK_DGRAM or SOCK_RAW
 *     KAME_SOCK_A_PROTOCOL  u8, e.g. IPPROTO_UDP
 *   reply, one message per socket:
 *     KAME_SOCK_A_TYPE           u16, the socket type (SOCK_DGRAM, ...)
 *     KAME_SOCK_A_PROTOCOL       u8, IPPROTO_UDP, or a raw socket's protocol
 *     KAME_SOCK_A_LOCAL_ADDR     16 bytes, the bound address, plain form
 *                                (:: when not bound to one)
 *     KAME_SOCK_A_LOCAL_SCOPE    u32, its zone (interface index), 0 for an
 *                                address without one
 *     KAME_SOCK_A_LOCAL_PORT     u16, host order (0 for raw sockets)
 *     KAME_SOCK_A_FOREIGN_ADDR   16 bytes, the connected peer, plain form
 *                                (:: when not connected)
 *     KAME_SOCK_A_FOREIGN_SCOPE  u32, its zone, 0 for none
 *     KAME_SOCK_A_FOREIGN_PORT   u16, host order (0 when not connected)
 *     KAME_SOCK_A_BOUND_IF       u32, the interface the socket is bound to
 *                                (the zone of a scoped local address), 0
 *     KAME_SOCK_A_RECV_Q         u32, bytes queued for reading
 *                                (sk_rmem_alloc)
 *     KAME_SOCK_A_SEND_Q         u32, bytes sent and not yet freed
 *                                (sk_wmem_alloc)
 *     KAME_SOCK_A_INODE          u64, the socket's inode number, as in
 *                                /proc/PID/fd (socket:[N])
 *     KAME_SOCK_A_UID            u32, the owner, in the requester's user
 *                                namespace
 *   Sockets come and go during a dump that takes several messages: one
 *   created or closed meanwhile may be missed or shown twice.
 */
enum kame_sock_attr {
	KAME_SOCK_A_UNSPEC,
	KAME_SOCK_A_TYPE,
	KAME_SOCK_A_PROTOCOL,
	KAME_SOCK_A_LOCAL_ADDR,
	KAME_SOCK_A_LOCAL_SCOPE,
	KAME_SOCK_A_LOCAL_PORT,
	KAME_SOCK_A_FOREIGN_ADDR,
	KAME_SOCK_A_FOREIGN_SCOPE,
	KAME_SOCK_A_FOREIGN_PORT,
	KAME_SOCK_A_BOUND_IF,
	KAME_SOCK_A_RECV_Q,
	KAME_SOCK_A_SEND_Q,
	KAME_SOCK_A_INODE,
	KAME_SOCK_A_UID,
	KAME_SOCK_A_PAD,
	__KAME_SOCK_A_MAX
};
#define KAME_SOCK_A_MAX	(__KAME_SOCK_A_MAX - 1)

/*
 * KAME_CMD_MADDR_GET (dumpit only): the multicast groups each attached
 * interface listens to (KAME's in6_multi, ifmcstat, ip -6 maddr), with
 * the MLD listener state of each (RFC 3810; MLDv1 of RFC 2710 while an
 * MLDv1 querier is heard) and its source filter: the merge of its users'
 * (RFC 3810 4.2; sockets' MCAST_JOIN_SOURCE_GROUP, MCAST_BLOCK_SOURCE).
 *   request, optional filter:
 *     KAME_MADDR_A_IFINDEX      u32, one interface
 *   reply, one message per group:
 *     KAME_MADDR_A_IFINDEX      u32, the interface
 *     KAME_MADDR_A_GROUP        16 bytes, the group, plain form
 *     KAME_MADDR_A_USERS        u32, its users: the node itself (all-nodes,
 *                               a solicited-node group per address) and
 *                               the socket memberships
 *     KAME_MADDR_A_SOCKETS      u32, of which socket memberships
 *     KAME_MADDR_A_MLD_STATE    u8, enum kame_mld_state
 *     KAME_MADDR_A_MLD_TIMER    u32, ms until its next report (0: none)
 *     KAME_MADDR_A_MLD_VERSION  u8, the interface's MLD mode: 2, or 1 while
 *                               an MLDv1 querier is present
 *     KAME_MADDR_A_MLD_MODE     u8, filter mode: 1 INCLUDE (the sources
 *                               listed), 2 EXCLUDE (all but those listed)
 *     KAME_MADDR_A_SOURCES      nest of KAME_MADDR_SRC_A_ADDR (16 bytes,
 *                               plain form), the filter's sources; absent
 *                               when none (EXCLUDE: any source)
 *   Groups come and go during a dump of several messages: one joined or
 *   left meanwhile may be missed or shown twice.
 */
enum kame_maddr_attr {
	KAME_MADDR_A_UNSPEC,
	KAME_MADDR_A_IFINDEX,
	KAME_MADDR_A_GROUP,
	KAME_MADDR_A_USERS,
	KAME_MADDR_A_SOCKETS,
	KAME_MADDR_A_MLD_STATE,
	KAME_MADDR_A_MLD_TIMER,
	KAME_MADDR_A_MLD_VERSION,
	KAME_MADDR_A_MLD_MODE,
	KAME_MADDR_A_SOURCES,
	__KAME_MADDR_A_MAX
};
#define KAME_MADDR_A_MAX	(__KAME_MADDR_A_MAX - 1)

/* inside KAME_MADDR_A_SOURCES, one per source */
enum kame_maddr_src_attr {
	KAME_MADDR_SRC_A_UNSPEC,
	KAME_MADDR_SRC_A_ADDR,
	__KAME_MADDR_SRC_A_MAX
};
#define KAME_MADDR_SRC_A_MAX	(__KAME_MADDR_SRC_A_MAX - 1)

enum kame_mld_state {
	KAME_MLD_S_NOT_REPORTED,	/* ff02::1, interface-local: never */
	KAME_MLD_S_IDLE,		/* reported, nothing pending */
	KAME_MLD_S_DELAYING,		/* an answer to a query pending */
	KAME_MLD_S_REPORTING,		/* unsolicited reports to repeat */
};

/*
 * KAME_CMD_ROUTE_GET (dumpit), KAME_CMD_ROUTE_NEW, KAME_CMD_ROUTE_DEL
 * (doit, CAP_NET_ADMIN): the stack's routing table (KAME's route.c and
 * in6_rmx.c), one per network namespace, a longest-prefix-match table of
 * routes (prefix, prefix length, interface, gateway or none, flags). The
 * stack looks every unicast destination up in it, on output (the
 * interface and the next hop) and on input (a packet is the node's when
 * its destination hits a local route of an address that is neither
 * tentative nor duplicated).
 *   KAME_ROUTE_A_DST        binary, 16 bytes, a plain prefix (bytes 2-3 of
 *                           a scoped one must be zero: EINVAL); no bits
 *                           may be set beyond the prefix length (EINVAL)
 *   KAME_ROUTE_A_PREFIXLEN  u8, 0-128 (default 128); a scoped prefix
 *                           (link-local, or link- or interface-local
 *                           multicast) must be at least /32 so that its
 *                           zone stays in the key
 *   KAME_ROUTE_A_GATEWAY    binary, 16 bytes, a plain address: the next
 *                           hop, link-local (then KAME_ROUTE_A_IFINDEX is
 *                           required) or a global address on-link on the
 *                           interface (found from the table when
 *                           KAME_ROUTE_A_IFINDEX is absent)
 *   KAME_ROUTE_A_IFINDEX    u32, the attached interface
 *   KAME_ROUTE_A_FLAGS      u32, KAME_RTF_*; in NEW only REJECT or
 *                           BLACKHOLE may be given, the others are state
 *   KAME_ROUTE_A_EXPIRES    u32, dump only: seconds until a route learnt
 *                           from router advertisements (RA) or made by a
 *                           redirect (DYNAMIC) goes
 *   KAME_ROUTE_A_MULTIPATH  nested, NEW only: the next hops of a multipath
 *                           route, one KAME_ROUTE_A_NEXTHOP each, at most
 *                           net.inet6.ip6.maxnexthops (E2BIG beyond);
 *                           excludes KAME_ROUTE_A_GATEWAY,
 *                           KAME_ROUTE_A_IFINDEX and KAME_ROUTE_A_FLAGS
 *   KAME_ROUTE_A_NEXTHOP    nested, in KAME_ROUTE_A_MULTIPATH only: one
 *                           next hop, of
 *     KAME_NEXTHOP_A_GATEWAY  binary, 16 bytes, required: as
 *                             KAME_ROUTE_A_GATEWAY
 *     KAME_NEXTHOP_A_IFINDEX  u32: as KAME_ROUTE_A_IFINDEX (required with
 *                             a link-local gateway)
 *     KAME_NEXTHOP_A_WEIGHT   u32, 1-256 (default 1): its share of flows
 *   KAME_ROUTE_A_WEIGHT     u32, dump only: the weight of a next hop of a
 *                           multipath route (MPATH)
 * Multipath (MPATH, KAME's RADIX_MPATH): NEW with KAME_ROUTE_A_MULTIPATH
 * adds one gateway route per next hop, all flagged MPATH and STATIC, on
 * the same prefix; a dump shows each as a route of its own. A packet
 * takes the next hop a hash of its flow picks, weighted: of source,
 * destination and flow label when the flow label is non-zero (RFC 6438),
 * else of source, destination, next header and, for UDP and TCP, the
 * ports; keyed with a random secret per namespace. The same flow takes
 * the same next hop while the set does not change. A next hop whose
 * neighbor cache entry failed resolution or unicast probes (and has not
 * become reachable since) is skipped while another next hop is not so
 * marked: while it is being resolved again, or for 30 s without an entry
 * (then a flow tries it again); when all are, the hash picks among all.
 *   MULTIPATH errors: EINVAL empty list, an attribute other than
 *   KAME_ROUTE_A_NEXTHOP in it, a next hop without a gateway or with a bad
 *   one, the same gateway and interface twice, KAME_ROUTE_A_GATEWAY,
 *   _IFINDEX or _FLAGS beside it; E2BIG more next hops than
 *   net.inet6.ip6.maxnexthops; ENODEV/ENOENT/ENETUNREACH as for a
 *   gateway; EEXIST the prefix has multipath routes already. A failed
 *   NEW adds none of the next hops.
 *   DEL without KAME_ROUTE_A_GATEWAY and KAME_ROUTE_A_IFINDEX whose first
 *   match is a multipath route removes all the next hops of the prefix;
 *   with them, the one next hop.
 * Routes the kernel makes, and removes again (flags without STATIC):
 * attaching an interface adds ff01::%IF/32 and ff02::%IF/32 (U); each
 * address adds a local host route (U H L) and, when its prefix is shorter
 * than 128, the connected route of its prefix (U C; raised to /32 for a
 * scoped address), shared by the addresses of the interface with that
 * prefix. Detaching an interface removes every route through it. Routes
 * added with NEW are STATIC; a route without a gateway, REJECT or
 * BLACKHOLE makes the prefix on-link on the interface.
 * Router advertisements add routes flagged RA with an expiry: the default
 * route (::/0 via the router chosen from the default router list) and the
 * on-link route of each prefix with the L flag that is not detached (U C
 * A, shared with the connected route of a manual address of the prefix).
 * A redirect a host acts on adds a host route flagged DYNAMIC (U H D,
 * and G via the target unless the target is the destination) that
 * expires after net.inet6.icmp6.redirtimeout seconds.
 * Output: a REJECT route answers the sender with EHOSTUNREACH (host
 * route) or ENETUNREACH and loops an ICMPv6 Destination Unreachable code
 * 0 (no route) back into the stack's own input; a BLACKHOLE route drops
 * silently; no route at all gives ENETUNREACH (ip6s_noroute).
 * Scoped destinations only use routes of their zone's interface that have
 * no gateway.
 *   NEW errors: EINVAL bad prefix, prefix length, gateway or flags (REJECT
 *   and BLACKHOLE together, or with a gateway; no gateway, REJECT or
 *   BLACKHOLE without an interface); ENODEV unknown interface; ENOENT
 *   interface not attached; ENETUNREACH the gateway is neither link-local
 *   nor on-link on the interface; EEXIST a route for the prefix on that
 *   interface exists; ENOBUFS the table holds net.inet6.ip6.rt_max routes.
 *   DEL: KAME_ROUTE_A_DST, KAME_ROUTE_A_PREFIXLEN, and optionally
 *   KAME_ROUTE_A_IFINDEX and KAME_ROUTE_A_GATEWAY to pick among routes of
 *   the prefix; removes the first match. Errors: ESRCH no such route;
 *   EINVAL a local route (it goes with its address).
 *   DEL refuses KAME_ROUTE_A_FLAGS (EINVAL).
 *   A dump takes no attribute (EINVAL) and returns every route in prefix
 *   order; it is flagged NLM_F_DUMP_INTR when the table changed between
 *   its parts.
 */
enum kame_rt_flags {			/* BSD's RTF_* values where they exist */
	KAME_RTF_UP		= 1U << 0,	/* U: usable */
	KAME_RTF_GATEWAY	= 1U << 1,	/* G: via a gateway */
	KAME_RTF_HOST		= 1U << 2,	/* H: a /128 host route */
	KAME_RTF_REJECT		= 1U << 3,	/* R: unreachable */
	KAME_RTF_CONNECTED	= 1U << 8,	/* C: prefix of an address */
	KAME_RTF_STATIC		= 1U << 11,	/* S: added by hand */
	KAME_RTF_BLACKHOLE	= 1U << 12,	/* B: dropped silently */
	KAME_RTF_LOCAL		= 1U << 21,	/* L: an address of the node */
	KAME_RTF_RA		= 1U << 9,	/* A: from a router advertisement */
	KAME_RTF_MPATH		= 1U << 18,	/* P: a next hop of a multipath
						 * route (OpenBSD's RTF_MPATH)
						 */
	KAME_RTF_DYNAMIC	= 1U << 4,	/* D: from a redirect */
};

enum kame_route_attr {
	KAME_ROUTE_A_UNSPEC,
	KAME_ROUTE_A_DST,
	KAME_ROUTE_A_PREFIXLEN,
	KAME_ROUTE_A_GATEWAY,
	KAME_ROUTE_A_IFINDEX,
	KAME_ROUTE_A_FLAGS,
	KAME_ROUTE_A_EXPIRES,
	KAME_ROUTE_A_MULTIPATH,
	KAME_ROUTE_A_NEXTHOP,
	KAME_ROUTE_A_WEIGHT,
	__KAME_ROUTE_A_MAX
};
#define KAME_ROUTE_A_MAX	(__KAME_ROUTE_A_MAX - 1)

/* In a KAME_ROUTE_A_NEXTHOP (see KAME_CMD_ROUTE_NEW above). */
enum kame_nexthop_attr {
	KAME_NEXTHOP_A_UNSPEC,
	KAME_NEXTHOP_A_GATEWAY,
	KAME_NEXTHOP_A_IFINDEX,
	KAME_NEXTHOP_A_WEIGHT,
	__KAME_NEXTHOP_A_MAX
};
#define KAME_NEXTHOP_A_MAX	(__KAME_NEXTHOP_A_MAX - 1)

/*
 * KAME_CMD_ADDRSEL_GET (dumpit), KAME_CMD_ADDRSEL_NEW, KAME_CMD_ADDRSEL_DEL,
 * KAME_CMD_ADDRSEL_FLUSH (doit, CAP_NET_ADMIN): the source address
 * selection policy table of RFC 6724 (KAME's in6_src.c addrsel policy,
 * ip6addrctl(8)), one per network namespace. Like KAME's, the table starts
 * empty: an address no entry matches has precedence 0 and the label
 * "not applicable", and rule 6 (prefer a matching label) is skipped for a
 * destination whose label is "not applicable". A lookup takes the entry
 * with the longest mask that matches (the first added among equal ones)
 * and counts in its USE. The table holds at most
 * net.inet6.ip6.addrctlpolicy_max entries (default 256).
 *   KAME_ADDRSEL_A_PREFIX      binary, 16 bytes: a plain prefix; bits
 *                              beyond the mask are cleared on insert
 *   KAME_ADDRSEL_A_MASK        binary, 16 bytes: a contiguous mask
 *                              (ones, then zeros; all zeros for ::/0)
 *   KAME_ADDRSEL_A_PRECEDENCE  u32
 *   KAME_ADDRSEL_A_LABEL       u32, 0-0xfffffffe (0xffffffff, KAME's -1,
 *                              is "not applicable")
 *   KAME_ADDRSEL_A_USE         u64, read-only: lookups that matched
 *   NEW takes PREFIX, MASK, PRECEDENCE and LABEL (all required); DEL takes
 *   PREFIX and MASK; FLUSH and a dump take no attribute (EINVAL).
 *   errors: EINVAL a missing attribute, a non-contiguous mask or the label
 *   0xffffffff (with an extack message naming it); EEXIST (NEW) an entry
 *   with the same prefix and mask exists; ESRCH (DEL) there is none;
 *   ENOBUFS (NEW) the table is full.
 */
enum kame_addrsel_attr {
	KAME_ADDRSEL_A_UNSPEC,
	KAME_ADDRSEL_A_PREFIX,
	KAME_ADDRSEL_A_MASK,
	KAME_ADDRSEL_A_PRECEDENCE,
	KAME_ADDRSEL_A_LABEL,
	KAME_ADDRSEL_A_USE,
	KAME_ADDRSEL_A_PAD,
	__KAME_ADDRSEL_A_MAX
};
#define KAME_ADDRSEL_A_MAX	(__KAME_ADDRSEL_A_MAX - 1)
#define KAME_ADDRSEL_LABEL_NOTAPP	0xffffffffU

/*
 * KAME_CMD_DEFRTR_GET (dumpit): the default router list (KAME's
 * nd_defrouter, ndp -r), learnt from router advertisements.
 *   KAME_DEFRTR_A_ADDRESS   binary, 16 bytes, the router's plain
 *                           link-local address
 *   KAME_DEFRTR_A_IFINDEX   u32
 *   KAME_DEFRTR_A_RAFLAGS   u8, the flags byte of its last RA: 0x80 M
 *                           (managed), 0x40 O (other), bits 0x18 the RFC
 *                           4191 preference (0 medium, 1 high, 2 reserved,
 *                           3 low)
 *   KAME_DEFRTR_A_LIFETIME  u32 s, the router lifetime advertised
 *   KAME_DEFRTR_A_EXPIRES   u32 s left
 *   KAME_DEFRTR_A_INSTALLED flag: the default route goes through it
 * KAME_CMD_DEFRTR_FLUSH (doit, CAP_NET_ADMIN): empty the list (ndp -R);
 *   the default route goes, and the routes of route information options
 *   (net.inet6.ip6.accept_rtinfo); prefixes keep their on-link state.
 * KAME_CMD_DEFRTR_HARMONIZE (doit, CAP_NET_ADMIN): ndp -H (KAME's
 *   SIOCSNDFLUSH_IN6: defrouter_reset, defrouter_select): the default
 *   route of the list goes and the best router of the list is installed
 *   again, so the routing table agrees with the list.
 * The list holds at most net.inet6.icmp6.nd6_maxdefrouters routers (more
 * are counted in icp6s_dr_full); a router lifetime of 0 removes one.
 * Neither command takes attributes (EINVAL).
 */
enum {
	KAME_DEFRTR_A_UNSPEC,
	KAME_DEFRTR_A_ADDRESS,
	KAME_DEFRTR_A_IFINDEX,
	KAME_DEFRTR_A_RAFLAGS,
	KAME_DEFRTR_A_LIFETIME,
	KAME_DEFRTR_A_EXPIRES,
	KAME_DEFRTR_A_INSTALLED,
	__KAME_DEFRTR_A_MAX
};
#define KAME_DEFRTR_A_MAX	(__KAME_DEFRTR_A_MAX - 1)

/*
 * KAME_CMD_PREFIX_GET (dumpit): the prefix list (KAME's nd_prefix, ndp
 * -p), from the prefix options of router advertisements.
 *   KAME_PREFIX_A_PREFIX    binary, 16 bytes
 *   KAME_PREFIX_A_PREFIXLEN u8
 *   KAME_PREFIX_A_IFINDEX   u32
 *   KAME_PREFIX_A_FLAGS     u32, KAME_PFX_F_*
 *   KAME_PREFIX_A_VLTIME, KAME_PREFIX_A_PLTIME  u32 s as advertised,
 *                           0xffffffff infinity
 *   KAME_PREFIX_A_EXPIRES   u32 s left, 0xffffffff never
 *   KAME_PREFIX_A_REFCNT    u32, addresses formed from the prefix
 *   KAME_PREFIX_A_ROUTERS   nested, a KAME_PREFIX_A_ROUTER per router
 *                           advertising it: nested KAME_PFXRTR_A_ADDRESS
 *                           (16 bytes, plain) and KAME_PFXRTR_A_STATE (u8,
 *                           enum kame_nd_state of its neighbor cache
 *                           entry, NOSTATE: none)
 * KAME_CMD_PREFIX_FLUSH (doit, CAP_NET_ADMIN): empty the list (ndp -P);
 *   the on-link routes and the addresses made from the prefixes go.
 * At most net.inet6.icmp6.nd6_maxprefixes prefixes (more: icp6s_pfx_full),
 * each with at most nd6_maxdefrouters routers. A prefix whose routers
 * are all unreachable while another prefix has a reachable one is
 * DETACHED (the 004 paper): not on-link, its addresses not chosen as
 * sources; it is attached again when a router of it is reachable.
 */
enum kame_pfx_flags {
	KAME_PFX_F_ONLINK	= 1U << 0,	/* L: on-link flag of the RA */
	KAME_PFX_F_AUTO		= 1U << 1,	/* A: autonomous (SLAAC) */
	KAME_PFX_F_INSTALLED	= 1U << 2,	/* O: on-link route installed */
	KAME_PFX_F_DETACHED	= 1U << 3,	/* D: detached */
};

enum {
	KAME_PREFIX_A_UNSPEC,
	KAME_PREFIX_A_PREFIX,
	KAME_PREFIX_A_PREFIXLEN,
	KAME_PREFIX_A_IFINDEX,
	KAME_PREFIX_A_FLAGS,
	KAME_PREFIX_A_VLTIME,
	KAME_PREFIX_A_PLTIME,
	KAME_PREFIX_A_EXPIRES,
	KAME_PREFIX_A_REFCNT,
	KAME_PREFIX_A_ROUTERS,
	KAME_PREFIX_A_ROUTER,
	__KAME_PREFIX_A_MAX
};
#define KAME_PREFIX_A_MAX	(__KAME_PREFIX_A_MAX - 1)

enum {
	KAME_PFXRTR_A_UNSPEC,
	KAME_PFXRTR_A_ADDRESS,
	KAME_PFXRTR_A_STATE,
	__KAME_PFXRTR_A_MAX
};
#define KAME_PFXRTR_A_MAX	(__KAME_PFXRTR_A_MAX - 1)

#endif /* _UAPI_LINUX_KAME_H */
