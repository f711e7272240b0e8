// SPDX-License-Identifier: GPL-2.0
/*
 * link_fuzz: the random requests. Request i of a seed is a pure function
 * of both (gen_msg()); the tests that send them and check what comes of
 * them are in link_fuzz.c.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/kame_gif.h>
#include <linux/kame_stf.h>
#include "link_fuzz.h"

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

static void put(struct rng *r, uint8_t *p, size_t n)
{
	while (n--)
		*p++ = rnext(r);
}

/* ---- the kinds ---- */

const char *const kind_names[K_NONE + 1] = { "gif", "stf", "dummy", "?", "-" };

/* Kinds no module provides: rare, each costs a request_module(). */
static const char *const unknown_kinds[] = { "gif0", "GIF", "stf6", "", "gi" };

/*
 * The devices of a test's namespace (prepare()) and other names. A name
 * of the first two lists is a gif's or stf's (or no device's): only
 * those get MTUs under IPv6's minimum, which a gif or stf refuses. (A
 * dummy's native IPv6 would come back with its MTU, and log.)
 */
static const char *const gif_names[] = { "gif0", "gif1", "gif2", "gif3", "gif4" };
static const char *const stf_names[] = { "stf0", "stf1" };
static const char *const other_names[] = { "lfd0", "lfd1", "lo" };

enum val { V_ADDR, V_FLAG, V_U32F, V_U8, V_STATS, V_BIN };

struct dattr {
	uint16_t type;
	uint8_t val;
};

static const struct dattr gif_attrs[] = {
	{ IFLA_GIF_LOCAL, V_ADDR }, { IFLA_GIF_REMOTE, V_ADDR },
	{ IFLA_GIF_UNSET, V_FLAG }, { IFLA_GIF_FLAGS, V_U32F },
	{ IFLA_GIF_TTL, V_U8 }, { IFLA_GIF_STATS, V_STATS },
	{ IFLA_GIF_PAD, V_BIN }, { IFLA_GIF_UNSPEC, V_BIN },
};

static const struct dattr stf_attrs[] = {
	{ IFLA_STF_FLAGS, V_U32F }, { IFLA_STF_TTL, V_U8 },
	{ IFLA_STF_STATS, V_STATS }, { IFLA_STF_PAD, V_BIN },
	{ IFLA_STF_UNSPEC, V_BIN },
};

/* ---- requests ---- */

void nla_put(struct msg *m, uint16_t type, const void *v, size_t n)
{
	struct nlattr *h = (struct nlattr *)(m->buf + m->len);

	h->nla_type = type;
	h->nla_len = NLA_HDRLEN + n;
	if (n)
		memcpy(h + 1, v, n);
	memset((uint8_t *)(h + 1) + n, 0, NLA_ALIGN(n) - n);
	m->len += NLA_ALIGN(h->nla_len);
}

struct nlattr *nest_start(struct msg *m, uint16_t type)
{
	struct nlattr *h = (struct nlattr *)(m->buf + m->len);

	nla_put(m, type, NULL, 0);
	return h;
}

void nest_end(struct msg *m, struct nlattr *h)
{
	h->nla_len = m->buf + m->len - (uint8_t *)h;
}

/* An outer address of any class: 4 or 16 bytes (or fam's length). */
static size_t val_addr(struct rng *r, uint8_t *v, int fam)
{
	static const char *const a4[] = {
		"10.0.0.1", "10.0.0.2", "192.0.2.1", "192.0.2.2", "198.51.100.7",
		"0.0.0.0", "0.1.2.3", "127.0.0.1", "224.0.0.1", "239.1.2.3",
		"240.0.0.1", "255.255.255.255", "169.254.1.1", "223.255.255.254",
	};
	static const char *const a6[] = {
		"2001:db8::1", "2001:db8::2", "2001:db8:1::1", "2002:c000:201::1",
		"::", "::1", "ff02::1", "ff05::2", "ff0e::1", "::ffff:10.0.0.1",
		"fe80::1", "febf::1", "fec0::1", "::10.0.0.1", "fc00::1",
	};

	if (fam == 0)
		fam = pct(r, 50) ? AF_INET : AF_INET6;
	if (fam == AF_INET) {
		/* the good ones often: outer address pairs collide */
		inet_pton(AF_INET, a4[pct(r, 60) ? below(r, 5) : below(r, N(a4))], v);
		if (pct(r, 10))
			put(r, v, 4);
		return 4;
	}
	inet_pton(AF_INET6, a6[pct(r, 60) ? below(r, 4) : below(r, N(a6))], v);
	if (pct(r, 10))
		put(r, v, 16);
	return 16;
}

static size_t val_u32(uint8_t *v, uint32_t x)
{
	memcpy(v, &x, 4);
	return 4;
}

/* Nested garbage: attributes of random types and lengths, or not even. */
static size_t val_nested(struct rng *r, uint8_t *v)
{
	size_t n = 0, k, na = below(r, 5);
	struct nlattr *h;

	if (pct(r, 20)) {
		n = below(r, 40);
		put(r, v, n);
		return n;
	}
	for (k = 0; k < na; k++) {
		size_t l = pct(r, 70) ? 8 : below(r, 12);

		h = (struct nlattr *)(v + n);
		h->nla_type = pct(r, 80) ? below(r, 30) : rnext(r);
		h->nla_len = NLA_HDRLEN + l;
		put(r, (uint8_t *)(h + 1), l);
		n += NLA_ALIGN(h->nla_len);
	}
	return n;
}

static size_t value(struct rng *r, uint8_t k, uint8_t *v, int fam)
{
	static const uint32_t f32[] = { 0, 1, 2, 3, 4, 7, 8, 15, 16, 0x80000000,
					0xffffffff };
	static const uint8_t u8s[] = { 0, 1, 2, 30, 64, 255 };
	size_t n;

	switch (k) {
	case V_ADDR:
		return val_addr(r, v, fam);
	case V_FLAG:
		return 0;
	case V_U32F:
		return val_u32(v, pct(r, 80) ? f32[below(r, N(f32))] :
				  (uint32_t)rnext(r));
	case V_U8:
		*v = pct(r, 80) ? u8s[below(r, N(u8s))] : rnext(r);
		return 1;
	case V_STATS:
		return val_nested(r, v);
	}
	n = below(r, 24);
	put(r, v, n);
	return n;
}

/*
 * One attribute of IFLA_INFO_DATA; sometimes with a wrong length, flag
 * bits in its type, or twice. fam: the family of a LOCAL before it.
 */
static void data_attr(struct rng *r, struct msg *m, struct dattr a, int fam)
{
	uint8_t v[128];
	size_t n = value(r, a.val, v, fam);
	int again = pct(r, 4);

	if (pct(r, 8)) {	/* the wrong length; v was filled */
		n = below(r, 20);
		put(r, v, n);
	}
	if (pct(r, 3))
		a.type |= NLA_F_NESTED;
	if (pct(r, 3))
		a.type |= NLA_F_NET_BYTEORDER;
	do {
		if (m->len + NLA_HDRLEN + NLA_ALIGN(n) > MSG_MAX - 128)
			return;
		if (m->nattr < N(m->types)) {
			m->types[m->nattr] = a.type;
			m->alen[m->nattr] = n;
			m->nattr++;
		}
		nla_put(m, a.type, v, n);
	} while (again--);
}

/* IFLA_INFO_DATA's attributes for kind k (gif's or stf's, or either). */
static void gen_data(struct rng *r, struct msg *m, int k)
{
	unsigned int j, na = pct(r, 90) ? below(r, 6) : below(r, 16);
	const struct dattr *t;
	size_t nt;

	if (k != K_GIF && k != K_STF)
		k = pct(r, 50) ? K_GIF : K_STF;
	t = k == K_GIF ? gif_attrs : stf_attrs;
	nt = k == K_GIF ? N(gif_attrs) : N(stf_attrs);
	for (j = 0; j < na; j++) {
		struct dattr a = t[below(r, nt)];

		if (pct(r, 6)) {	/* a type the kind does not have */
			a.type = pct(r, 60) ? 5 + below(r, 20) : rnext(r) & 0x3fff;
			a.val = V_BIN;
		}
		if (k == K_GIF && a.type == IFLA_GIF_LOCAL) {
			uint8_t v[16];
			int fam = val_addr(r, v, 0) == 4 ? AF_INET : AF_INET6;

			data_attr(r, m, a, fam);
			if (pct(r, 85)) {	/* with its pair, mostly */
				a.type = IFLA_GIF_REMOTE;
				data_attr(r, m, a, pct(r, 90) ? fam : 0);
			}
			continue;
		}
		data_attr(r, m, a, 0);
	}
}

/* A random ifname: too long, not terminated, with a slash, empty. */
static size_t bad_name(struct rng *r, uint8_t *v)
{
	static const char *const bad[] = { "", ".", "..", "a/b", "gif 0",
					   "gif0123456789abcdef", "gif%d" };
	size_t n;

	if (pct(r, 50)) {
		const char *s = bad[below(r, N(bad))];

		n = strlen(s) + (pct(r, 80) ? 1 : 0);
		memcpy(v, s, n);
		return n;
	}
	n = 1 + below(r, 24);
	put(r, v, n);
	if (pct(r, 50))
		v[n - 1] = 0;
	return n;
}

/* The request's type, flags and IFLA_INFO_KIND. */
static void gen_type(struct rng *r, struct msg *m)
{
	uint32_t u = below(r, 100);

	if (u < 55) {
		m->type = RTM_NEWLINK;
		m->flags = pct(r, 50) ? NLM_F_CREATE | (pct(r, 85) ? NLM_F_EXCL : 0) : 0;
	} else if (u < 65) {
		m->type = RTM_SETLINK;
	} else if (u < 77) {
		m->type = RTM_DELLINK;
	} else {
		m->type = RTM_GETLINK;
		m->dump = pct(r, 50);
	}
	u = below(r, 100);
	m->kind = u < 50 ? K_GIF : u < 80 ? K_STF : u < 88 ? K_DUMMY :
		  u < 98 ? K_NONE : K_UNKNOWN;
	if (m->type != RTM_NEWLINK && pct(r, 50))
		m->kind = K_NONE;
}

/* The target: an ifindex, a name (mostly of the kind's), or neither. */
static void gen_target(struct rng *r, struct msg *m)
{
	uint32_t u;

	if (m->dump)
		return;
	u = below(r, 100);
	if (u < 12) {
		m->ifindex = 1 + below(r, 12);
	} else if (u < 15 && (m->flags & NLM_F_CREATE)) {
		/* neither: the kind names it */
	} else {
		const char *s = m->kind == K_GIF ? gif_names[below(r, N(gif_names))] :
				m->kind == K_STF ? stf_names[below(r, N(stf_names))] :
				other_names[below(r, N(other_names))];

		if (pct(r, 10) && m->kind != K_DUMMY)	/* another kind's */
			s = pct(r, 50) ? gif_names[0] : pct(r, 50) ?
			    stf_names[0] : other_names[below(r, N(other_names))];
		snprintf(m->name, sizeof(m->name), "%s", s);
	}
}

/* IFLA_LINKINFO { IFLA_INFO_KIND, IFLA_INFO_DATA (mostly) }. */
static void gen_linkinfo(struct rng *r, struct msg *m)
{
	struct nlattr *li = nest_start(m, IFLA_LINKINFO);
	const char *k = m->kind == K_UNKNOWN ?
			unknown_kinds[below(r, N(unknown_kinds))] :
			kind_names[m->kind];

	nla_put(m, IFLA_INFO_KIND, k, strlen(k) + (pct(r, 70) ? 1 : 0));
	if (m->type != RTM_GETLINK && pct(r, 85)) {
		struct nlattr *d = nest_start(m, IFLA_INFO_DATA);

		if (pct(r, 3))
			d->nla_type |= NLA_F_NESTED;
		m->data_off = m->len;
		gen_data(r, m, m->kind);
		m->data_len = m->len - m->data_off;
		nest_end(m, d);
	}
	nest_end(m, li);
}

/*
 * The mutations of a request that is not clean, outside IFLA_INFO_DATA:
 * the header, the name, the MTU, other attributes, IFLA_LINKINFO, the
 * flags; then the length. Sets nlmsg_len.
 */
static void mutate(struct rng *r, struct msg *m)
{
	static const uint16_t tlv[] = { IFLA_TXQLEN, IFLA_LINKMODE,
					IFLA_OPERSTATE, IFLA_ALT_IFNAME,
					IFLA_IFALIAS, 0, 200, 0x3fff };
	static const uint16_t extra[] = { NLM_F_ECHO, NLM_F_REPLACE,
					  NLM_F_APPEND, NLM_F_CREATE,
					  NLM_F_EXCL, NLM_F_ROOT };
	struct nlmsghdr *nh = (struct nlmsghdr *)m->buf;
	struct ifinfomsg *ifi = (struct ifinfomsg *)(nh + 1);
	uint32_t u = below(r, 100);
	uint8_t v[64];
	size_t n;

	if (u < 10) {		/* an odd header */
		ifi->ifi_family = pct(r, 50) ? AF_INET6 : rnext(r);
		ifi->ifi_type = pct(r, 50) ? rnext(r) : 0;
		if (pct(r, 30))
			ifi->ifi_index = pct(r, 50) ? -1 : (int)rnext(r);
	} else if (u < 20) {	/* a bad name */
		n = bad_name(r, v);
		nla_put(m, IFLA_IFNAME, v, n);
	} else if (u < 30) {	/* the MTU of the wrong length */
		n = below(r, 9);
		put(r, v, n);
		nla_put(m, IFLA_MTU, v, n);
	} else if (u < 40) {	/* other attributes */
		n = below(r, 12);
		put(r, v, n);
		nla_put(m, tlv[below(r, N(tlv))], v, n);
	} else if (u < 48) {	/* a short IFLA_INFO_DATA or LINKINFO */
		struct nlattr *li = nest_start(m, IFLA_LINKINFO);

		n = below(r, 8);
		put(r, v, n);
		if (pct(r, 50))
			nla_put(m, IFLA_INFO_KIND, "gif", 4);
		nla_put(m, pct(r, 70) ? IFLA_INFO_DATA : IFLA_INFO_KIND, v, n);
		nest_end(m, li);
	} else if (u < 54) {	/* random flags */
		nh->nlmsg_flags |= extra[below(r, N(extra))];
	}
	u = below(r, 100);
	if (u < 3) {		/* a length the bytes sent do not hold */
		nh->nlmsg_len = m->len + 1 + below(r, 64);
		return;
	} else if (u < 6) {	/* shorter than the ifinfomsg */
		m->len = NLMSG_HDRLEN + below(r, sizeof(*ifi));
	} else if (u < 9) {	/* a shorter length: the rest is garbage */
		nh->nlmsg_len = NLMSG_HDRLEN + below(r, m->len - NLMSG_HDRLEN + 1);
		m->noop = nh->nlmsg_len == NLMSG_HDRLEN;
		return;
	} else if (u < 13) {	/* trailing bytes */
		n = 1 + below(r, 7);
		put(r, m->buf + m->len, n);
		m->len += n;
	}
	nh->nlmsg_len = m->len;
	m->noop = m->len == NLMSG_HDRLEN;
}

/*
 * Request number i of the stream of seed. A clean one (45%) is
 * well-formed but for IFLA_INFO_DATA, whose attributes are random in any
 * request; the others are mutated at every level. The tally judges an
 * error by the kind only for clean requests.
 */
void gen_msg(uint64_t seed, uint64_t i, struct msg *m)
{
	static const uint32_t mtus[] = { 0, 68, 1279, 1280, 1281, 1500, 9000,
					 65515, 65516, 65535, 65536, 0xffffffff };
	struct rng r = { seed ^ (i * 0xd1342543de82ef95ULL) };
	struct nlmsghdr *nh = (struct nlmsghdr *)m->buf;
	struct ifinfomsg *ifi = (struct ifinfomsg *)(nh + 1);

	rnext(&r);
	memset(m, 0, sizeof(*m));
	m->clean = pct(&r, 45);
	gen_type(&r, m);
	gen_target(&r, m);
	nh->nlmsg_type = m->type;
	nh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | m->flags |
			  (m->dump ? NLM_F_DUMP : 0);
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = m->ifindex;
	if (m->type != RTM_GETLINK && pct(&r, 20)) {
		m->has_up = 1;
		ifi->ifi_change = IFF_UP;
		ifi->ifi_flags = pct(&r, 70) ? IFF_UP : 0;
	}
	m->len = NLMSG_LENGTH(sizeof(*ifi));
	if (m->name[0])
		nla_put(m, IFLA_IFNAME, m->name, strlen(m->name) + 1);
	if ((m->type == RTM_NEWLINK || m->type == RTM_SETLINK) && pct(&r, 20)) {
		m->has_mtu = 1;
		m->mtu = pct(&r, 85) ? mtus[below(&r, N(mtus))] : (uint32_t)rnext(&r);
		if (m->mtu < 1280 && (!m->name[0] || !strncmp(m->name, "lfd", 3) ||
				      !strcmp(m->name, "lo")))
			m->mtu += 1280;
		nla_put(m, IFLA_MTU, &m->mtu, 4);
	}
	if (m->kind != K_NONE)
		gen_linkinfo(&r, m);
	if (m->clean) {
		nh->nlmsg_len = m->len;
		if (m->kind == K_UNKNOWN)
			m->clean = 0;
		return;
	}
	mutate(&r, m);
}
