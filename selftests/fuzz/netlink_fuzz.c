// SPDX-License-Identifier: GPL-2.0
/*
 * Random and mutated generic netlink requests to every command of the
 * "kame" family, on plain netlink sockets, each test in a network
 * namespace of its own (with dummy and veth interfaces, never the
 * machine's):
 *   - as root: every request answered (an ack, data or an error), every
 *     error a negative errno; an error from the family itself (a request
 *     with a valid header for a command that exists in the mode asked)
 *     carries an extended-ack message; errors without one are counted
 *     and printed with their command and attributes;
 *   - as an unprivileged user (no capability): no request that changes
 *     state succeeds, and the state (links, addresses, routes, knobs) is
 *     the same afterwards;
 *   - as root of a new user namespace (CAP_NET_ADMIN over its own
 *     network namespace only): as root.
 * Each reply is checked to be well-formed. Message i is a pure function
 * of the seed (NETLINK_FUZZ_SEED, default below) and i; NETLINK_FUZZ_N
 * (3000) is the number of requests of the root test, the others send a
 * third and two thirds of it; NETLINK_FUZZ_TRACE=1 prints every request
 * and its answer.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <sys/prctl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/kame.h>
#include "../kame_harness.h"
#include "nl_util.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define SEED_DEFAULT	0x6e6c66757a7aULL
#define MSG_MAX		4096

/* ---- random numbers: splitmix64 from (seed, message index) ---- */

struct rng {
	uint64_t x;
};

static uint64_t rnext(struct rng *r)
{
	uint64_t z = (r->x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rnext(r) >> 32) * n) >> 32);
}

static int pct(struct rng *r, unsigned int p)
{
	return below(r, 100) < p;
}

/* ---- the family (uapi/linux/kame.h) ---- */

enum kind {
	K_U8, K_U16, K_U32, K_U64, K_IFX, K_IFNAME, K_SYSNAME, K_ADDR, K_MAC,
	K_PLEN, K_FLAGS, K_BIN, K_MASK, K_NEXTHOPS,
};

struct attr {
	uint16_t type;
	uint8_t kind;
	uint8_t ro;		/* read-only: a request must not carry it */
};

struct cmd {
	uint8_t cmd, doit, dump, admin;
	const char *name;
	const struct attr *a;
	unsigned int na;
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct attr link_a[] = {
	{ KAME_LINK_A_IFINDEX, K_IFX, 0 }, { KAME_LINK_A_IFNAME, K_IFNAME, 0 },
	{ KAME_LINK_A_MTU, K_U32, 1 }, { KAME_LINK_A_LLADDR, K_MAC, 1 },
	{ KAME_LINK_A_FLAGS, K_FLAGS, 1 }, { KAME_LINK_A_NATIVE_SAVED, K_U8, 0 },
	{ KAME_LINK_A_RX_PACKETS, K_U64, 1 }, { KAME_LINK_A_PAD, K_BIN, 1 },
};

static const struct attr stats_a[] = {
	{ KAME_STATS_A_GROUP, K_U32, 0 }, { KAME_STATS_A_COUNTERS, K_BIN, 1 },
	{ KAME_STATS_A_PAD, K_BIN, 1 },
};

static const struct attr addr_a[] = {
	{ KAME_ADDR_A_IFINDEX, K_IFX, 0 }, { KAME_ADDR_A_ADDRESS, K_ADDR, 0 },
	{ KAME_ADDR_A_PREFIXLEN, K_PLEN, 0 }, { KAME_ADDR_A_FLAGS, K_FLAGS, 0 },
	{ KAME_ADDR_A_VALID_LFT, K_U32, 0 }, { KAME_ADDR_A_PREFERRED_LFT, K_U32, 0 },
};

static const struct attr nd_a[] = {
	{ KAME_ND_A_IFINDEX, K_IFX, 0 }, { KAME_ND_A_ADDRESS, K_ADDR, 0 },
	{ KAME_ND_A_LLADDR, K_MAC, 0 }, { KAME_ND_A_STATE, K_U8, 1 },
	{ KAME_ND_A_FLAGS, K_FLAGS, 0 }, { KAME_ND_A_EXPIRE, K_U32, 0 },
	{ KAME_ND_A_ASKED, K_U8, 1 },
};

static const struct attr sysctl_a[] = {
	{ KAME_SYSCTL_A_NAME, K_SYSNAME, 0 }, { KAME_SYSCTL_A_VALUE, K_U32, 0 },
	{ KAME_SYSCTL_A_MIN, K_U32, 1 }, { KAME_SYSCTL_A_MAX, K_U32, 1 },
};

static const struct attr ndif_a[] = {
	{ KAME_NDIF_A_IFINDEX, K_IFX, 0 }, { KAME_NDIF_A_FLAGS, K_FLAGS, 0 },
	{ KAME_NDIF_A_FLAGS_MASK, K_FLAGS, 0 },
	{ KAME_NDIF_A_BASEREACHABLE, K_U32, 0 }, { KAME_NDIF_A_REACHABLE, K_U32, 1 },
	{ KAME_NDIF_A_RETRANS, K_U32, 0 }, { KAME_NDIF_A_CURHLIM, K_U8, 0 },
	{ KAME_NDIF_A_DAD_TRANSMITS, K_U8, 0 }, { KAME_NDIF_A_LINKMTU, K_U32, 1 },
	{ KAME_NDIF_A_MAXMTU, K_U32, 1 },
};

static const struct attr sock_a[] = {
	{ KAME_SOCK_A_TYPE, K_U16, 0 }, { KAME_SOCK_A_PROTOCOL, K_U8, 0 },
	{ KAME_SOCK_A_LOCAL_ADDR, K_ADDR, 1 }, { KAME_SOCK_A_LOCAL_SCOPE, K_U32, 1 },
	{ KAME_SOCK_A_LOCAL_PORT, K_U16, 1 }, { KAME_SOCK_A_FOREIGN_ADDR, K_ADDR, 1 },
	{ KAME_SOCK_A_FOREIGN_PORT, K_U16, 1 }, { KAME_SOCK_A_BOUND_IF, K_IFX, 1 },
	{ KAME_SOCK_A_RECV_Q, K_U32, 1 }, { KAME_SOCK_A_INODE, K_U64, 1 },
	{ KAME_SOCK_A_UID, K_U32, 1 }, { KAME_SOCK_A_PAD, K_BIN, 1 },
};

static const struct attr route_a[] = {
	{ KAME_ROUTE_A_DST, K_ADDR, 0 }, { KAME_ROUTE_A_PREFIXLEN, K_PLEN, 0 },
	{ KAME_ROUTE_A_GATEWAY, K_ADDR, 0 }, { KAME_ROUTE_A_IFINDEX, K_IFX, 0 },
	{ KAME_ROUTE_A_FLAGS, K_FLAGS, 0 },
	{ KAME_ROUTE_A_MULTIPATH, K_NEXTHOPS, 0 },
	{ KAME_ROUTE_A_NEXTHOP, K_NEXTHOPS, 1 },
	{ KAME_ROUTE_A_WEIGHT, K_U32, 1 },
};

static const struct attr maddr_a[] = {
	{ KAME_MADDR_A_IFINDEX, K_IFX, 0 }, { KAME_MADDR_A_GROUP, K_ADDR, 1 },
	{ KAME_MADDR_A_USERS, K_U32, 1 }, { KAME_MADDR_A_SOCKETS, K_U32, 1 },
	{ KAME_MADDR_A_MLD_STATE, K_U8, 1 }, { KAME_MADDR_A_MLD_TIMER, K_U32, 1 },
	{ KAME_MADDR_A_MLD_VERSION, K_U8, 1 }, { KAME_MADDR_A_MLD_MODE, K_U8, 1 },
};

static const struct attr addrsel_a[] = {
	{ KAME_ADDRSEL_A_PREFIX, K_ADDR, 0 }, { KAME_ADDRSEL_A_MASK, K_MASK, 0 },
	{ KAME_ADDRSEL_A_PRECEDENCE, K_U32, 0 }, { KAME_ADDRSEL_A_LABEL, K_U32, 0 },
	{ KAME_ADDRSEL_A_USE, K_U64, 1 }, { KAME_ADDRSEL_A_PAD, K_BIN, 1 },
};

#define CMD(c, d, du, ad, a) { KAME_CMD_##c, d, du, ad, #c, a, N(a) }
static const struct cmd cmds[] = {
	CMD(LINK_GET, 1, 1, 0, link_a), CMD(LINK_ATTACH, 1, 0, 1, link_a),
	CMD(LINK_DETACH, 1, 0, 1, link_a), CMD(STATS_GET, 1, 0, 0, stats_a),
	CMD(ADDR_GET, 0, 1, 0, addr_a), CMD(ADDR_NEW, 1, 0, 1, addr_a),
	CMD(ADDR_DEL, 1, 0, 1, addr_a), CMD(ND_GET, 0, 1, 0, nd_a),
	CMD(SYSCTL_GET, 1, 1, 0, sysctl_a), CMD(SYSCTL_SET, 1, 0, 1, sysctl_a),
	CMD(ND_NEW, 1, 0, 1, nd_a), CMD(ND_DEL, 1, 0, 1, nd_a),
	CMD(ND_FLUSH, 1, 0, 1, nd_a), CMD(NDIF_GET, 1, 1, 0, ndif_a),
	CMD(NDIF_SET, 1, 0, 1, ndif_a), CMD(SOCK_GET, 0, 1, 0, sock_a),
	CMD(ROUTE_GET, 0, 1, 0, route_a), CMD(ROUTE_NEW, 1, 0, 1, route_a),
	CMD(ROUTE_DEL, 1, 0, 1, route_a), CMD(MADDR_GET, 0, 1, 0, maddr_a),
	CMD(ADDRSEL_GET, 0, 1, 0, addrsel_a),
	CMD(ADDRSEL_NEW, 1, 0, 1, addrsel_a), CMD(ADDRSEL_DEL, 1, 0, 1, addrsel_a),
	CMD(ADDRSEL_FLUSH, 1, 0, 1, addrsel_a),
};

static const char *const sysctls[] = {
	"net.inet6.icmp6.errppslimit", "net.inet6.icmp6.nd6_maxcache",
	"net.inet6.ip6.hdrnestlimit", "net.inet6.ip6.maxfragpackets",
	"net.inet6.ip6.maxfrags", "net.inet6.ip6.maxfragsperpacket",
	"net.inet6.ip6.fragttl", "net.inet6.icmp6.nd6_gctimer",
	"net.inet6.icmp6.nd6_prune", "net.inet6.icmp6.nd6_maxndopt",
	"net.inet6.icmp6.nd6_maxqueuelen", "net.inet6.icmp6.nd6_delay",
	"net.inet6.icmp6.nd6_umaxtries", "net.inet6.icmp6.nd6_mmaxtries",
	"net.inet6.icmp6.nd6_defifindex", "net.inet6.ip6.max_memberships",
	"net.inet6.ip6.rt_max", "net.inet6.ip6.intr_queue_maxlen",
	"net.inet6.icmp6.nd6_maxnudhint", "net.inet6.ip6.auto_linklocal",
	"net.inet6.icmp6.mld_robustness", "net.inet6.icmp6.mld_maxleaves",
	"net.inet6.ip6.mcast_maxsocksrc", "net.inet6.ip6.mcast_maxgrpsrc",
	"net.inet6.ip6.addrctlpolicy_max", "net.inet6.ip6.maxnexthops",
	"net.inet6.ip6.mpath_failhold",
	"net.inet6", "", "net.inet6.ip6.nosuchknob",
};

/* The interfaces of a test's namespace (setup_links()). */
static const char *const ifnames[] = { "lo", "kf0", "kf1", "kfv0", "kfv1" };

/* ---- requests ---- */

struct msg {
	uint8_t buf[MSG_MAX];
	size_t len;		/* bytes sent */
	const struct cmd *c;	/* NULL: a command the family does not have */
	uint8_t cmd;
	int dump;		/* NLM_F_DUMP set */
	int core;		/* malformed for genetlink itself (see classify) */
	unsigned int nattr;
	uint16_t types[32], alen[32];
};

static void put(struct rng *r, uint8_t *p, size_t n)
{
	while (n--)
		*p++ = rnext(r);
}

static size_t val_addr(struct rng *r, uint8_t *v)
{
	static const char *const good[] = { "2001:db8::", "2001:db8:1::",
					    "fe80::", "2001:db8:2::" };
	static const char *const bad[] = { "::", "::1", "ff02::1", "fe80:1::1",
					   "::ffff:1.2.3.4", "ff01::1", "fe80::",
					   "ff02:3::1" };

	if (pct(r, 70)) {
		inet_pton(AF_INET6, good[below(r, N(good))], v);
		if (pct(r, 70))
			v[15] = below(r, 16);
	} else if (pct(r, 80)) {
		inet_pton(AF_INET6, bad[below(r, N(bad))], v);
	} else {
		put(r, v, 16);
	}
	return 16;
}

static size_t val_u32(struct rng *r, uint8_t *v, uint32_t x)
{
	memcpy(v, &x, 4);
	return 4;
}

/* Append attribute type with the n bytes d to the nest being built at v. */
static void sub(uint8_t *v, size_t *len, uint16_t type, const void *d,
		size_t n)
{
	struct nlattr *a = (struct nlattr *)(v + *len);

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + n;
	memcpy(a + 1, d, n);
	memset((uint8_t *)(a + 1) + n, 0, NLA_ALIGN(n) - n);
	*len += NLA_ALIGN(a->nla_len);
}

/*
 * The next hops of KAME_ROUTE_A_MULTIPATH (at most 480 bytes): mostly
 * well-formed KAME_ROUTE_A_NEXTHOP nests of gateway, interface and weight;
 * sometimes none, more than net.inet6.ip6.maxnexthops, duplicates (few
 * addresses), a gateway missing or of the wrong length, weights out of
 * range, other attribute types, a nest without NLA_F_NESTED, trailing
 * bytes.
 */
static size_t val_nexthops(struct rng *r, uint8_t *v)
{
	static const uint32_t weights[] = { 0, 1, 2, 100, 256, 257,
					    0xffffffff };
	unsigned int n = pct(r, 80) ? 1 + below(r, 4) : below(r, 20), i;
	uint8_t a[20];
	size_t len = 0, start, alen;
	uint32_t u;

	for (i = 0; i < n && len + 64 <= 480; i++) {
		struct nlattr *nh = (struct nlattr *)(v + len);

		start = len;
		len += NLA_HDRLEN;
		nh->nla_type = pct(r, 92) ? KAME_ROUTE_A_NEXTHOP : below(r, 12);
		if (pct(r, 90))
			nh->nla_type |= NLA_F_NESTED;
		if (pct(r, 90)) {
			alen = val_addr(r, a);
			if (pct(r, 5))
				alen = below(r, 20);
			sub(v, &len, KAME_NEXTHOP_A_GATEWAY, a, alen);
		}
		if (pct(r, 60)) {
			u = pct(r, 85) ? 1 + below(r, 6) : (uint32_t)rnext(r);
			sub(v, &len, KAME_NEXTHOP_A_IFINDEX, &u,
			    pct(r, 95) ? 4 : below(r, 8));
		}
		if (pct(r, 30)) {
			u = weights[below(r, N(weights))];
			sub(v, &len, KAME_NEXTHOP_A_WEIGHT, &u, 4);
		}
		if (pct(r, 4)) {
			u = rnext(r);
			sub(v, &len, below(r, 8), &u, below(r, 5));
		}
		nh->nla_len = len - start;
	}
	if (pct(r, 5)) {	/* a truncated attribute at the end */
		put(r, v + len, 3);
		len += 1 + below(r, 3);
	}
	return len;
}

/* A value of kind k at v; returns its length. */
static size_t value(struct rng *r, uint8_t k, uint8_t *v)
{
	static const uint32_t u32s[] = { 0, 1, 2, 3, 5, 8, 60, 1000, 1280,
					 65535, 65536, 3600000, 3600001,
					 0x7fffffff, 0xffffffff };
	static const uint8_t plens[] = { 0, 1, 31, 32, 48, 64, 96, 127, 128,
					 129, 255 };
	static const uint32_t flags[] = { 0, 1, 2, 4, 8, 32, 10, 4096, 4104 };
	size_t n;

	switch (k) {
	case K_U8:
		*v = pct(r, 60) ? below(r, 12) : rnext(r);
		return 1;
	case K_U16:
		n = pct(r, 60) ? below(r, 6) : rnext(r);
		memcpy(v, &n, 2);
		return 2;
	case K_U32:
		return val_u32(r, v, pct(r, 60) ? u32s[below(r, N(u32s))] :
					     (uint32_t)rnext(r));
	case K_U64:
		n = rnext(r);
		memcpy(v, &n, 8);
		return 8;
	case K_IFX:
		return val_u32(r, v, pct(r, 85) ? 1 + below(r, 6) :
				     u32s[below(r, N(u32s))]);
	case K_FLAGS:	/* the bits the commands know, often */
		if (pct(r, 50))
			return val_u32(r, v, flags[below(r, N(flags))]);
		return val_u32(r, v, pct(r, 70) ? 1u << below(r, 22) :
					     (uint32_t)rnext(r));
	case K_PLEN:
		*v = pct(r, 90) ? plens[below(r, N(plens))] : rnext(r);
		return 1;
	case K_MAC:
		put(r, v, 6);
		v[0] &= pct(r, 80) ? 0xfe : 0xff;
		return 6;
	case K_ADDR:
		return val_addr(r, v);
	case K_NEXTHOPS:
		return val_nexthops(r, v);
	case K_MASK:	/* contiguous mostly; holes, or all ones but one bit */
		memset(v, 0, 16);
		n = plens[below(r, N(plens))];
		memset(v, 0xff, n > 128 ? 16 : n / 8);
		if (n < 128)
			v[n / 8] = 0xff00 >> (n % 8);
		if (pct(r, 25))
			v[below(r, 16)] ^= 1u << below(r, 8);
		return 16;
	case K_IFNAME:
	case K_SYSNAME:
		if (pct(r, 85)) {
			const char *s = k == K_IFNAME ? ifnames[below(r, N(ifnames))] :
							sysctls[below(r, N(sysctls))];

			n = strlen(s) + 1;
			memcpy(v, s, n);
			return n;
		}
		n = 1 + below(r, pct(r, 50) ? 20 : 100);
		put(r, v, n);
		if (pct(r, 60))
			v[n - 1] = 0;
		return n;
	}
	n = below(r, 24);
	put(r, v, n);
	return n;
}

/* Append one attribute; unless clean, its length sometimes wrong, its type odd. */
static void attr(struct rng *r, struct msg *m, const struct attr *a, int clean)
{
	uint8_t v[512];
	struct nlattr *h;
	uint16_t type = a->type;
	size_t n = value(r, a->kind, v);

	if (a->kind == K_NEXTHOPS && pct(r, 95))
		type |= NLA_F_NESTED;

	if (!clean && pct(r, 8))
		n = below(r, 20);	/* the wrong length; v was filled */
	if (!clean && pct(r, 3))
		type |= NLA_F_NESTED;
	if (!clean && pct(r, 3))
		type |= NLA_F_NET_BYTEORDER;
	if (m->len + NLA_HDRLEN + NLA_ALIGN(n) > MSG_MAX - 64)
		return;
	h = (struct nlattr *)(m->buf + m->len);
	h->nla_type = type;
	h->nla_len = NLA_HDRLEN + n;
	memcpy(h + 1, v, n);
	if (m->nattr < N(m->types)) {
		m->types[m->nattr] = type;
		m->alen[m->nattr] = n;
		m->nattr++;
	}
	m->len += NLA_ALIGN(h->nla_len);
}

/* Header-level mutations: genetlink itself rejects these (m->core). */
static void mutate_hdr(struct rng *r, struct msg *m, struct nlmsghdr *nh,
		       struct genlmsghdr *gh)
{
	uint32_t u = below(r, 100);

	if (u < 2) {
		gh->reserved = 1 + below(r, 0xffff);
		m->core = 1;
	} else if (u < 4) {	/* shorter than the genetlink header */
		m->len = NLMSG_HDRLEN + below(r, GENL_HDRLEN);
		m->core = 1;
	} else if (u < 6) {	/* a length the bytes sent do not hold */
		nh->nlmsg_len = m->len + 1 + below(r, 64);
		m->core = 1;
		return;
	} else if (u < 8) {	/* a shorter length: the rest is garbage */
		nh->nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN +
				below(r, m->len - NLMSG_HDRLEN - GENL_HDRLEN + 1);
		m->core = 1;
		return;
	} else if (u < 11) {	/* trailing bytes */
		size_t n = 1 + below(r, 7);

		put(r, m->buf + m->len, n);
		m->len += n;
	} else if (u < 14) {
		gh->version = rnext(r);
	}
	nh->nlmsg_len = m->len;
}

/*
 * Request number i of the stream of seed. A clean one (40%) has a
 * well-formed header and only attributes its command takes, each once,
 * well-formed, with values often valid: it gets past the policies into the
 * command; the others are mutated at every level.
 */
static void gen_msg(uint64_t seed, uint64_t i, int family, struct msg *m)
{
	struct rng r = { seed ^ (i * 0xd1342543de82ef95ULL) };
	struct nlmsghdr *nh = (struct nlmsghdr *)m->buf;
	struct genlmsghdr *gh = (struct genlmsghdr *)(nh + 1);
	static const uint16_t extra[] = { NLM_F_ECHO, NLM_F_EXCL, NLM_F_CREATE,
					  NLM_F_REPLACE, NLM_F_APPEND,
					  NLM_F_ROOT, NLM_F_ATOMIC };
	unsigned int k, na, seen = 0;
	int clean;

	rnext(&r);
	clean = pct(&r, 40);
	memset(m, 0, sizeof(*m));
	m->c = &cmds[below(&r, N(cmds))];
	m->cmd = m->c->cmd;
	if (!clean && pct(&r, 4)) {
		m->c = NULL;
		m->cmd = pct(&r, 30) ? 0 : KAME_CMD_MAX + 1 + below(&r, 255 - KAME_CMD_MAX);
	}
	m->dump = m->c && m->c->dump && (!m->c->doit || pct(&r, 50));
	if (!clean && pct(&r, 4))
		m->dump = !m->dump;
	nh->nlmsg_type = family;
	nh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (m->dump ? NLM_F_DUMP : 0);
	if (!clean && pct(&r, 5))
		nh->nlmsg_flags |= extra[below(&r, N(extra))];
	gh->cmd = m->cmd;
	gh->version = KAME_GENL_VERSION;
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
	na = pct(&r, 90) ? below(&r, 5) : below(&r, 24);
	if (clean && m->dump)
		na = pct(&r, 70) ? 0 : 1;
	for (k = 0; k < na; k++) {
		const struct cmd *c = m->c ? m->c : &cmds[below(&r, N(cmds))];
		unsigned int j = below(&r, c->na);
		struct attr a = c->a[j];

		if (clean) {	/* each writable attribute once */
			if (a.ro || (seen & 1u << j))
				continue;
			seen |= 1u << j;
			attr(&r, m, &a, 1);
			continue;
		}
		if (pct(&r, 10))
			a.type = pct(&r, 50) ? below(&r, 70) : rnext(&r) & 0x3fff;
		attr(&r, m, &a, 0);
		if (pct(&r, 4))	/* the same again */
			attr(&r, m, &a, 0);
	}
	if (clean)
		nh->nlmsg_len = m->len;
	else
		mutate_hdr(&r, m, nh, gh);
}

/* ---- talking ---- */

struct result {
	int err;		/* 0, or the negative errno of an error/DONE */
	int answered;		/* an ack, an error or DONE came */
	int ndata;		/* data messages */
	int extack;		/* the error came with an extack message */
	int bad_reply;		/* a malformed reply */
	int timeout;
	char msg[160];
};

/* The errno and extack message of an error or DONE message. */
static void parse_err(const struct nlmsghdr *nh, struct result *res)
{
	const struct nlattr *a;
	int len, off;

	if (nh->nlmsg_type == NLMSG_ERROR) {
		if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(struct nlmsgerr))) {
			res->bad_reply++;
			return;
		}
		res->err = ((const struct nlmsgerr *)NLMSG_DATA(nh))->error;
		off = NLMSG_HDRLEN + sizeof(struct nlmsgerr);
	} else {
		if (nh->nlmsg_len < NLMSG_LENGTH(sizeof(int)))
			return;
		res->err = *(const int *)NLMSG_DATA(nh);
		off = NLMSG_HDRLEN + sizeof(int);
	}
	if (res->err > 0)
		res->bad_reply++;
	if (!(nh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	a = (const void *)((const char *)nh + off);
	len = nh->nlmsg_len - off;
	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= len) {
		if (a->nla_type == NLMSGERR_ATTR_MSG) {
			snprintf(res->msg, sizeof(res->msg), "%.*s",
				 (int)(a->nla_len - NLA_HDRLEN),
				 (const char *)(a + 1));
			res->extack = 1;
		}
		len -= NLA_ALIGN(a->nla_len);
		a = (const void *)((const char *)a + NLA_ALIGN(a->nla_len));
	}
}

/* A data message of the family: a genetlink header, attributes that fit. */
static int reply_ok(const struct nlmsghdr *nh)
{
	const struct nlattr *a;
	int len = nh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

	if (len < 0)
		return 0;
	a = (const void *)((const char *)NLMSG_DATA(nh) + GENL_HDRLEN);
	while (len >= NLA_HDRLEN) {
		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			return 0;
		len -= NLA_ALIGN(a->nla_len);
		a = (const void *)((const char *)a + NLA_ALIGN(a->nla_len));
	}
	return len == 0;
}

/*
 * Send m (sequence number seq), then a valid request (seq + 1) whose ack
 * tells that everything before it was handled: a malformed message may
 * get no answer at all. A dump is read to its end.
 */
static void exchange(int fd, int family, struct msg *m, uint32_t seq,
		     struct result *res)
{
	static uint8_t buf[1 << 16];
	struct {
		struct nlmsghdr nh;
		struct genlmsghdr gh;
		struct nlattr a;
		uint32_t v;
	} s = { { sizeof(s), family, NLM_F_REQUEST | NLM_F_ACK, seq + 1, 0 },
		{ KAME_CMD_STATS_GET, KAME_GENL_VERSION, 0 },
		{ 8, KAME_STATS_A_GROUP }, KAME_STATS_IP6 };
	int sentinel = 0, n;

	memset(res, 0, sizeof(*res));
	((struct nlmsghdr *)m->buf)->nlmsg_seq = seq;
	if (send(fd, m->buf, m->len, 0) < 0 || send(fd, &s, sizeof(s), 0) < 0) {
		res->err = -errno;
		res->answered = 1;
		return;
	}
	while (!sentinel || (res->ndata && !res->answered)) {
		struct nlmsghdr *nh;

		n = recv(fd, buf, sizeof(buf), 0);
		if (n < 0) {
			if (errno == ENOBUFS)
				continue;
			res->timeout = 1;
			return;
		}
		for (nh = (void *)buf; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_seq == seq + 1) {
				sentinel |= nh->nlmsg_type == NLMSG_ERROR;
				continue;
			}
			if (nh->nlmsg_seq != seq)
				continue;	/* garbage parsed as a request */
			if (nh->nlmsg_type == NLMSG_ERROR ||
			    nh->nlmsg_type == NLMSG_DONE) {
				parse_err(nh, res);
				res->answered = 1;
			} else {
				res->ndata++;
				if (nh->nlmsg_type != family || !reply_ok(nh))
					res->bad_reply++;
			}
		}
	}
}

/* ---- valid requests: the namespace's starting state ---- */

static void add_attr(struct msg *m, uint16_t type, const void *v, size_t n)
{
	struct nlattr *h = (struct nlattr *)(m->buf + m->len);

	h->nla_type = type;
	h->nla_len = NLA_HDRLEN + n;
	memcpy(h + 1, v, n);
	m->len += NLA_ALIGN(h->nla_len);
}

static void start_req(struct msg *m, int family, uint8_t cmd, int dump)
{
	struct nlmsghdr *nh = (struct nlmsghdr *)m->buf;
	struct genlmsghdr *gh = (struct genlmsghdr *)(nh + 1);

	memset(m, 0, sizeof(*m));
	nh->nlmsg_type = family;
	nh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (dump ? NLM_F_DUMP : 0);
	gh->cmd = cmd;
	gh->version = KAME_GENL_VERSION;
	m->len = NLMSG_HDRLEN + GENL_HDRLEN;
	m->dump = dump;
}

static int finish_req(int fd, int family, struct msg *m)
{
	struct result res;

	((struct nlmsghdr *)m->buf)->nlmsg_len = m->len;
	exchange(fd, family, m, 1, &res);
	return res.err;
}

/*
 * Dummy kf0 (up) and kf1 (down), veth kfv0-kfv1, native IPv6 off on all
 * (kfv1 sends nothing then, and the counters stay still); kf0 and kfv0
 * attached, kf0 with 2001:db8::1/64 and a route through fe80::2.
 */
static int setup_links(void)
{
	return system("ip link set lo up && ip link add kf0 type dummy && "
		      "ip link add kf1 type dummy && "
		      "ip link add kfv0 type veth peer name kfv1 && "
		      "for d in kf0 kf1 kfv0 kfv1; do "
		      "echo 1 >/proc/sys/net/ipv6/conf/$d/disable_ipv6 || exit 1; done && "
		      "ip link set kf0 up && ip link set kfv0 up && "
		      "ip link set kfv1 up");
}

static void prepare(int fd, int family)
{
	uint32_t kf0 = if_nametoindex("kf0"), plen = 64;
	struct in6_addr a;
	struct msg m;

	start_req(&m, family, KAME_CMD_LINK_ATTACH, 0);
	add_attr(&m, KAME_LINK_A_IFNAME, "kf0", 4);
	finish_req(fd, family, &m);
	start_req(&m, family, KAME_CMD_LINK_ATTACH, 0);
	add_attr(&m, KAME_LINK_A_IFNAME, "kfv0", 5);
	finish_req(fd, family, &m);
	inet_pton(AF_INET6, "2001:db8::1", &a);
	start_req(&m, family, KAME_CMD_ADDR_NEW, 0);
	add_attr(&m, KAME_ADDR_A_IFINDEX, &kf0, 4);
	add_attr(&m, KAME_ADDR_A_ADDRESS, &a, 16);
	add_attr(&m, KAME_ADDR_A_PREFIXLEN, &plen, 1);
	finish_req(fd, family, &m);
	inet_pton(AF_INET6, "2001:db8:1::", &a);
	start_req(&m, family, KAME_CMD_ROUTE_NEW, 0);
	add_attr(&m, KAME_ROUTE_A_DST, &a, 16);
	add_attr(&m, KAME_ROUTE_A_PREFIXLEN, &plen, 1);
	inet_pton(AF_INET6, "fe80::2", &a);
	add_attr(&m, KAME_ROUTE_A_GATEWAY, &a, 16);
	add_attr(&m, KAME_ROUTE_A_IFINDEX, &kf0, 4);
	finish_req(fd, family, &m);
}

/*
 * A digest of what the dumps return (links, addresses, routes, knobs,
 * ND parameters): the attributes of every reply, FNV-1a.
 */
static uint64_t state_digest(int fd, int family)
{
	static const uint8_t dumps[] = { KAME_CMD_LINK_GET, KAME_CMD_ADDR_GET,
					 KAME_CMD_ROUTE_GET, KAME_CMD_SYSCTL_GET,
					 KAME_CMD_NDIF_GET };
	static uint8_t buf[1 << 16];
	uint64_t h = 0xcbf29ce484222325ULL;
	unsigned int i;
	struct msg m;

	for (i = 0; i < N(dumps); i++) {
		int done = 0, n, k;

		start_req(&m, family, dumps[i], 1);
		((struct nlmsghdr *)m.buf)->nlmsg_len = m.len;
		((struct nlmsghdr *)m.buf)->nlmsg_seq = 7;
		if (send(fd, m.buf, m.len, 0) < 0)
			return 0;
		while (!done) {
			struct nlmsghdr *nh;

			n = recv(fd, buf, sizeof(buf), 0);
			if (n < 0)
				return 0;
			for (nh = (void *)buf; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
				if (nh->nlmsg_type == NLMSG_DONE ||
				    nh->nlmsg_type == NLMSG_ERROR) {
					done = 1;
					continue;
				}
				for (k = NLMSG_HDRLEN; k < (int)nh->nlmsg_len; k++)
					h = (h ^ ((uint8_t *)nh)[k]) * 0x100000001b3ULL;
			}
		}
	}
	return h;
}

/* ---- the fuzz loop ---- */

struct tally {
	unsigned long sent, ok, err_ext, err_core, err_noext, silent, timeout;
	unsigned long bad_reply, data, admin_ok, printed;
	unsigned long cmd_ok[256], cmd_err[256];
};

static void describe(const struct msg *m, const struct result *res,
		     uint64_t i, const char *why)
{
	unsigned int k;

	printf("# %s: message %llu %s (cmd %u)%s errno %d, attributes",
	       why, (unsigned long long)i, m->c ? m->c->name : "?", m->cmd,
	       m->dump ? " dump" : "", -res->err);
	for (k = 0; k < m->nattr; k++)
		printf(" %u/%u", m->types[k], m->alen[k]);
	printf("\n");
}

static void tally(struct tally *t, const struct msg *m,
		  const struct result *res, uint64_t i)
{
	int core = m->core || !m->c || (m->dump && !m->c->dump) ||
		   (!m->dump && !m->c->doit);

	t->sent++;
	t->data += res->ndata;
	t->bad_reply += res->bad_reply;
	if (res->timeout) {
		t->timeout++;
		describe(m, res, i, "no answer in 10 s");
		return;
	}
	if (!res->answered && !res->ndata) {
		/* genetlink skips a message whose length is not right */
		t->silent++;
		if (!core && t->printed++ < 20)
			describe(m, res, i, "no answer");
		return;
	}
	if (res->err >= 0) {
		t->ok++;
		t->cmd_ok[m->cmd]++;
		if (m->c && m->c->admin && !m->dump)
			t->admin_ok++;
		return;
	}
	t->cmd_err[m->cmd]++;
	if (res->extack) {
		t->err_ext++;
	} else if (core) {
		t->err_core++;
	} else {
		t->err_noext++;
		if (t->printed++ < 40)
			describe(m, res, i, "error without extack");
	}
}

static void report(const char *phase, const struct tally *t)
{
	unsigned int i;

	printf("# %s: %lu requests: %lu ok (%lu data messages), %lu errors with extack, %lu without (%lu malformed for genetlink, %lu from the family), %lu silently skipped, %lu unanswered, %lu malformed replies\n",
	       phase, t->sent, t->ok, t->data, t->err_ext,
	       t->err_core + t->err_noext, t->err_core, t->err_noext,
	       t->silent, t->timeout, t->bad_reply);
	printf("# %s: per command (ok/errors):", phase);
	for (i = 0; i < N(cmds); i++)
		printf(" %s %lu/%lu", cmds[i].name, t->cmd_ok[cmds[i].cmd],
		       t->cmd_err[cmds[i].cmd]);
	printf("\n");
}

/* Messages [first, first + n) of the seed's stream; prepare() again now and then. */
static void fuzz(int fd, int family, uint64_t first, uint64_t n, int redo,
		 struct tally *t)
{
	uint64_t seed = env_u64("NETLINK_FUZZ_SEED", SEED_DEFAULT), i;
	static struct msg m;
	struct result res;

	int trace = !!getenv("NETLINK_FUZZ_TRACE");

	for (i = first; i < first + n; i++) {
		if (redo && i % 500 == 0)
			prepare(fd, family);
		gen_msg(seed, i, family, &m);
		if (trace)
			fprintf(stderr, "# %llu: %s (cmd %u)%s len %zu\n",
				(unsigned long long)i, m.c ? m.c->name : "?",
				m.cmd, m.dump ? " dump" : "", m.len);
		exchange(fd, family, &m, 2 * (uint32_t)i + 2, &res);
		if (trace)
			fprintf(stderr, "#   errno %d ndata %d extack \"%s\"%s\n",
				-res.err, res.ndata, res.msg,
				res.timeout ? " TIMEOUT" : "");
		tally(t, &m, &res, i);
	}
}

/* ---- the tests ---- */

FIXTURE(nlfuzz) {
	int fd, family;
	uint64_t n;		/* requests of the root test */
	struct tally t;
};

FIXTURE_SETUP(nlfuzz)
{
	memset(&self->t, 0, sizeof(self->t));
	self->n = env_u64("NETLINK_FUZZ_N", 3000);
	self->fd = -1;
}

FIXTURE_TEARDOWN(nlfuzz)
{
	if (self->fd >= 0)
		close(self->fd);
}

/* A fresh network namespace with setup_links(), and a socket in it. */
static int enter_netns(struct __test_metadata *_metadata, int *fd,
		       int *family, int flags)
{
	if (unshare(flags))
		return -1;
	ASSERT_EQ(0, setup_links());
	*fd = nl_open(NETLINK_GENERIC);
	ASSERT_GE(*fd, 0);
	*family = resolve_family(*fd);
	ASSERT_GT(*family, 0);
	prepare(*fd, *family);
	return 0;
}

static void verdict(struct __test_metadata *_metadata, int fd, int family,
		    const struct tally *t, const char *phase)
{
	struct msg m;

	report(phase, t);
	EXPECT_EQ(0UL, t->timeout);
	EXPECT_EQ(0UL, t->bad_reply);
	EXPECT_EQ(0UL, t->err_noext);
	/* the family still answers */
	start_req(&m, family, KAME_CMD_STATS_GET, 0);
	add_attr(&m, KAME_STATS_A_GROUP, &(uint32_t){ KAME_STATS_ND6 }, 4);
	EXPECT_EQ(0, finish_req(fd, family, &m));
}

TEST_F_TIMEOUT(nlfuzz, root, 1200)
{
	ASSERT_EQ(0, enter_netns(_metadata, &self->fd, &self->family,
				 CLONE_NEWNET));
	fuzz(self->fd, self->family, 0, self->n, 1, &self->t);
	verdict(_metadata, self->fd, self->family, &self->t, "root");
}

TEST_F_TIMEOUT(nlfuzz, unprivileged, 1200)
{
	uint64_t before;

	ASSERT_EQ(0, enter_netns(_metadata, &self->fd, &self->family,
				 CLONE_NEWNET));
	sleep(2);	/* DAD done: the addresses' flags stay */
	before = state_digest(self->fd, self->family);
	ASSERT_NE(0ULL, (unsigned long long)before);
	ASSERT_EQ(0, setgid(65534));
	ASSERT_EQ(0, setuid(65534));
	fuzz(self->fd, self->family, 100000, self->n / 3, 0, &self->t);
	verdict(_metadata, self->fd, self->family, &self->t, "unprivileged");
	EXPECT_EQ(0UL, self->t.admin_ok);
	EXPECT_EQ((unsigned long long)before,
		  (unsigned long long)state_digest(self->fd, self->family));
}

TEST_F_TIMEOUT(nlfuzz, user_namespace, 1200)
{
	ASSERT_EQ(0, setgid(65534));
	ASSERT_EQ(0, setuid(65534));
	/* the changed ids made us undumpable: /proc/self/ would be root's */
	ASSERT_EQ(0, prctl(PR_SET_DUMPABLE, 1, 0, 0, 0));
	if (unshare(CLONE_NEWUSER))
		SKIP(return, "unprivileged user namespaces are disabled");
	ASSERT_EQ(0, write_file("/proc/self/setgroups", "deny"));
	ASSERT_EQ(0, write_file("/proc/self/uid_map", "0 65534 1"));
	ASSERT_EQ(0, write_file("/proc/self/gid_map", "0 65534 1"));
	ASSERT_EQ(0, enter_netns(_metadata, &self->fd, &self->family,
				 CLONE_NEWNET));
	fuzz(self->fd, self->family, 200000, self->n * 2 / 3, 1, &self->t);
	verdict(_metadata, self->fd, self->family, &self->t,
		"user namespace");
}

KAME_HARNESS_MAIN
