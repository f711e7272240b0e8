// SPDX-License-Identifier: GPL-2.0
/*
 * kfuzz6's packet classes. Each generator draws its variant and fields
 * from g->r and emits one frame (fz_emit), or a sequence of frames for the
 * fragment class, never more than g->room. Checksums are right unless a
 * variant asks otherwise, so that most packets get deep into the parser.
 */
#include <arpa/inet.h>
#include <string.h>
#include "kfuzz6.h"

#define NH_HOP		0
#define NH_UDP		17
#define NH_ROUTING	43
#define NH_FRAG		44
#define NH_ESP		50
#define NH_AH		51
#define NH_ICMP6	58
#define NH_NONE		59
#define NH_DEST		60

#define OPT_PAD1	0x00
#define OPT_PADN	0x01
#define OPT_RA		0x05
#define OPT_JUMBO	0xc2

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static void addr(struct in6_addr *a, const char *s)
{
	inet_pton(AF_INET6, s, a);
}

static uint32_t min32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/* A payload size: mostly small, sometimes up to max. */
static size_t rsize(struct fz_gen *g, size_t max)
{
	if (fz_pct(g->r, 70))
		return fz_below(g->r, min32(max, 64) + 1);
	return fz_below(g->r, max + 1);
}

/* ---- upper layers ---- */

/* An ICMPv6 echo request with dlen data bytes; bad: wrong checksum. */
void fz_echo(struct fz_gen *g, struct fz_b *b, size_t dlen, int bad)
{
	size_t off = b->len;
	uint8_t *h = fz_b_push(b, NH_ICMP6, 8);

	h[0] = 128;
	fz_bytes(g->r, h + 4, 4);
	fz_bytes(g->r, fz_b_put(b, dlen), dlen);
	fz_b_csum(b, off, NH_ICMP6, 2, bad ? (int)(fz_next(g->r) | 1) : 0);
}

enum { ULEN_OK, ULEN_LONG, ULEN_SHORT, ULEN_TINY, ULEN_ZERO };
enum { UCS_OK, UCS_BAD, UCS_ZERO };

/*
 * A UDP datagram of dlen payload bytes, its length field per lenmode, its
 * checksum per csmode (a right one covers what the length field says).
 */
static void udp(struct fz_gen *g, struct fz_b *b, uint16_t sport,
		uint16_t dport, size_t dlen, int lenmode, int csmode)
{
	size_t off = b->len, ulen = dlen + 8, end;
	uint8_t *h = fz_b_udp(b, sport, dport, 0);

	fz_bytes(g->r, fz_b_put(b, dlen), dlen);
	if (lenmode == ULEN_LONG)
		ulen = fz_pct(g->r, 20) ? 0xffff : ulen + 1 + fz_below(g->r, 1000);
	else if (lenmode == ULEN_SHORT)
		ulen = 8 + fz_below(g->r, dlen + 1);
	else if (lenmode == ULEN_TINY)
		ulen = 1 + fz_below(g->r, 7);
	else if (lenmode == ULEN_ZERO)
		ulen = 0;
	put16(h + 4, ulen);
	if (csmode == UCS_ZERO)
		return;
	end = b->len;
	if (ulen >= 8 && off + ulen < end)
		b->len = off + ulen;
	fz_b_csum(b, off, NH_UDP, 6, csmode == UCS_BAD ? 0x1234 : 0);
	b->len = end;
}

/* ---- extension headers ---- */

/* An option type we do not know, with action bits act (RFC 8200 4.2). */
static uint8_t unknown_opt(struct fz_gen *g, unsigned int act)
{
	static const uint8_t known[] = { 0x00, 0x01, 0x04, 0x05, 0x07, 0x26,
					 0x31, 0x63, 0x6d, 0x8b, 0xc2, 0xc9 };
	uint8_t t;

	do
		t = act << 6 | fz_below(g->r, 64);
	while (memchr(known, t, sizeof(known)));
	return t;
}

/* One option at h[p] with at most left bytes; returns its length. */
static size_t one_opt(struct fz_gen *g, uint8_t *h, size_t p, size_t left,
		      int *jumbo)
{
	uint32_t k = fz_below(g->r, 100);
	size_t olen;

	if (left < 2 || k < 12) {
		h[p] = OPT_PAD1;
		return 1;
	}
	if (k < 30) {
		h[p] = OPT_PADN;
		h[p + 1] = fz_below(g->r, min32(left - 1, 8));
		if (fz_pct(g->r, 10))
			fz_bytes(g->r, h + p + 2, h[p + 1]);
	} else if (k < 40) {
		h[p] = OPT_RA;
		h[p + 1] = fz_pct(g->r, 85) ? 2 : fz_below(g->r, left - 1);
		if (left >= 4)
			put16(h + p + 2, fz_below(g->r, 4));
	} else if (k < 52) {
		h[p] = OPT_JUMBO;
		h[p + 1] = fz_pct(g->r, 85) ? 4 : fz_below(g->r, left - 1);
		if (jumbo)
			*jumbo = 1;
	} else if (k < 90) {
		h[p] = unknown_opt(g, fz_below(g->r, 4));
		h[p + 1] = fz_below(g->r, left - 1);
		fz_bytes(g->r, h + p + 2, h[p + 1]);
	} else {		/* past the end of the header */
		h[p] = unknown_opt(g, fz_below(g->r, 4));
		h[p + 1] = min32(255, left - 1 + fz_below(g->r, 64));
		return left;
	}
	olen = 2 + h[p + 1];
	if (olen > left)	/* lengths drawn above always fit */
		olen = left;
	if (h[p] == OPT_JUMBO && olen >= 6) {
		uint32_t v = fz_pct(g->r, 80) ? 65536 + fz_below(g->r, 1 << 20) :
						fz_next(g->r);
		put32(h + p + 2, v);
	}
	return olen;
}

/*
 * A hop-by-hop or destination options header with random TLVs; *jumbo is
 * set when it holds a jumbo payload option (jumbo may be NULL).
 */
void fz_opts(struct fz_gen *g, struct fz_b *b, uint8_t type, int *jumbo)
{
	unsigned int units = 0;
	size_t len, p = 2;
	uint8_t *h;

	if (!fz_pct(g->r, 75))
		units = 1 + fz_below(g->r, fz_pct(g->r, 90) ? 3 : 40);
	len = 8 * (units + 1);
	h = fz_b_push(b, type, len);
	h[1] = units;
	/* a jumbo option wants 4n + 2 (RFC 2675): start there often */
	if (fz_pct(g->r, 30)) {
		h[2] = OPT_PADN;
		h[3] = 2;
		p = 6;
	}
	while (p < len)
		p += one_opt(g, h, p, len - p, jumbo);
}

/* n bytes of padding at h[p]: Pad1 and PadN options in a random mix */
static void put_pad(struct fz_gen *g, uint8_t *h, size_t p, size_t n)
{
	while (n) {
		size_t k = 1;

		if (n >= 2 && fz_pct(g->r, 60))
			k = 2 + fz_below(g->r, min32(n - 1, 256));
		if (k > 1) {
			h[p] = OPT_PADN;
			h[p + 1] = k - 2;
		} else {
			h[p] = OPT_PAD1;
		}
		p += k;
		n -= k;
	}
}

/*
 * An options header at the bounds of the work one header may cause
 * (maxopts, 8, and maxoptpad, 7, by default): 7 to 9, or up to 200,
 * options that are not padding (of types to skip), or a run of 6 to 9, or
 * up to 300, bytes of padding between two of them. Returns the variant.
 */
static const char *opts_bounds(struct fz_gen *g, struct fz_b *b, uint8_t type)
{
	int many = fz_pct(g->r, 50);
	unsigned int nopts, pad, at, i;
	size_t len, p = 2;
	uint8_t *h;

	if (many) {
		nopts = 7 + fz_below(g->r, fz_pct(g->r, 80) ? 3 : 200);
		pad = fz_below(g->r, 8);
	} else {
		nopts = 2 + fz_below(g->r, 3);
		pad = 6 + fz_below(g->r, fz_pct(g->r, 80) ? 4 : 300);
	}
	len = (2 + 2 * nopts + pad + 7) / 8 * 8;
	h = fz_b_push(b, type, len);
	h[1] = len / 8 - 1;
	at = fz_below(g->r, nopts);	/* the run after option at */
	for (i = 0; i < nopts; i++) {
		h[p] = unknown_opt(g, 0);
		h[p + 1] = 0;
		p += 2;
		if (i == at) {
			put_pad(g, h, p, pad);
			p += pad;
		}
	}
	put_pad(g, h, p, len - p);	/* 0 to 7 bytes: alignment */
	return many ? "many-opts" : "long-pad";
}

static void ext_routing(struct fz_gen *g, struct fz_b *b, int segleft0)
{
	static const uint8_t types[] = { 0, 2, 3, 4 };
	uint8_t type = fz_pct(g->r, 85) ? types[fz_below(g->r, 4)] :
					  fz_below(g->r, 256);
	unsigned int units, n = fz_below(g->r, 4), i;
	uint8_t *h;

	if (type == 2)
		n = 1;
	if (type == 4 && !n)
		n = 1;
	units = (type == 0 || type == 2 || type == 4) ? 2 * n :
						      fz_below(g->r, 7);
	h = fz_b_push(b, NH_ROUTING, 8 * (units + 1));
	h[1] = units;
	h[2] = type;
	if (!segleft0 && !fz_pct(g->r, 60))
		h[3] = fz_below(g->r, n + 2);
	fz_bytes(g->r, h + 4, 4);
	if (type == 4)		/* SRH: last entry, flags, tag */
		h[4] = n - 1;
	for (i = 0; i < units / 2; i++) {
		struct in6_addr a;

		if (fz_pct(g->r, 50))
			a = g->cfg->dst;
		else
			fz_pick_src(g, &a);
		memcpy(h + 8 + 16 * i, &a, 16);
	}
	if (units & 1 || (type != 0 && type != 2 && type != 4))
		fz_bytes(g->r, h + 8, 8 * units);
}

static void ext_frag(struct fz_gen *g, struct fz_b *b)
{
	uint8_t *h = fz_b_push(b, NH_FRAG, 8);
	uint16_t offm = 0;

	if (!fz_pct(g->r, 70))
		offm = (fz_below(g->r, 8192) << 3) | fz_below(g->r, 2);
	if (fz_pct(g->r, 10))
		offm |= fz_below(g->r, 4) << 1;		/* reserved bits */
	if (fz_pct(g->r, 10))
		h[1] = fz_below(g->r, 256);
	put16(h + 2, offm);
	fz_bytes(g->r, h + 4, 4);
}

/* One extension header of the chain (first: right after IPv6). */
static void ext_one(struct fz_gen *g, struct fz_b *b, int first)
{
	static const uint8_t other[] = { 135, 139, 140, 253, 254 };
	uint32_t u = fz_below(g->r, 100);
	uint8_t *h;

	if (first && u < 35) {
		fz_opts(g, b, NH_HOP, NULL);
	} else if (u < 40) {
		fz_opts(g, b, NH_HOP, NULL);	/* misplaced */
	} else if (u < 72) {
		fz_opts(g, b, NH_DEST, NULL);
	} else if (u < 84) {
		ext_routing(g, b, 0);
	} else if (u < 92) {
		ext_frag(g, b);
	} else if (u < 96) {	/* AH: (len + 2) * 4 bytes */
		unsigned int l = fz_below(g->r, 6);

		h = fz_b_push(b, NH_AH, (l + 2) * 4);
		h[1] = l;
		fz_bytes(g->r, h + 2, (l + 2) * 4 - 2);
	} else {
		h = fz_b_push(b, other[fz_below(g->r, 5)], 8);
		h[1] = 0;
		fz_bytes(g->r, h + 2, 6);
	}
}

static void upper(struct fz_gen *g, struct fz_b *b)
{
	uint32_t u = fz_below(g->r, 100);

	if (u < 50) {
		fz_echo(g, b, rsize(g, 256), fz_pct(g->r, 5));
	} else if (u < 65) {
		udp(g, b, 1024 + fz_below(g->r, 60000),
		    fz_pct(g->r, 50) ? g->cfg->udp_echo : fz_below(g->r, 65536),
		    rsize(g, 256), ULEN_OK, UCS_OK);
	} else if (u < 80) {
		b->p[b->nhoff] = NH_NONE;
		fz_bytes(g->r, fz_b_put(b, u & 15), u & 15);
	} else {
		size_t n = rsize(g, 128);

		fz_b_push(b, fz_below(g->r, 256), 0);
		fz_bytes(g->r, fz_b_put(b, n), n);
	}
}

/*
 * Extension header chains: hop-by-hop first or misplaced, destination
 * options, routing headers of every type, fragment headers (atomic or
 * not), AH and unknown headers, random options; long chains beyond the
 * nesting limit; lengths past the end of the packet; jumbograms.
 */
unsigned int fz_gen_exthdr(struct fz_gen *g)
{
	static uint8_t buf[4096];
	size_t hoff[96];
	struct in6_addr s, d;
	struct fz_b b;
	unsigned int n = 1 + fz_below(g->r, 4), i, k = 0;
	int jumbo = 0, hbh = fz_pct(g->r, 35);
	const char *what = "chain";

	if (fz_pct(g->r, 8)) {
		n = 40 + fz_below(g->r, 50);
		what = "long-chain";
	}
	fz_pick_src(g, &s);
	fz_pick_dst(g, &d);
	fz_b_init(&b, buf, sizeof(buf));
	fz_b_ip6(&b, &s, &d, 64);
	if (hbh) {
		hoff[k++] = b.len;
		fz_opts(g, &b, NH_HOP, &jumbo);
	}
	if (fz_pct(g->r, 6)) {
		what = opts_bounds(g, &b, hbh || fz_pct(g->r, 70) ? NH_DEST :
				   NH_HOP);
		upper(g, &b);
		fz_b_plen(&b);
		fz_emit(g, &b, what);
		return 1;
	}
	for (i = 0; i < n && b.len < 1000; i++) {
		hoff[k++] = b.len;
		if (n >= 40) {	/* 8 bytes each: PadN */
			uint8_t *h = fz_b_push(&b, fz_pct(g->r, 95) ? NH_DEST :
					       NH_HOP, 8);

			h[2] = OPT_PADN;
			h[3] = 4;
		} else {
			ext_one(g, &b, 0);
		}
	}
	upper(g, &b);
	fz_b_plen(&b);
	if (jumbo && fz_pct(g->r, 50)) {
		b.p[4] = b.p[5] = 0;
		what = "jumbo";
	} else if (fz_pct(g->r, 10)) {	/* a header length past the end */
		b.p[hoff[fz_below(g->r, k)] + 1] = 1 + fz_below(g->r, 255);
		what = "hdrlen-past-end";
	} else if (fz_pct(g->r, 10)) {	/* the packet ends inside the chain */
		b.len = 40 + fz_below(g->r, b.len - 40);
		if (fz_pct(g->r, 50))
			fz_b_plen(&b);
		what = "cut-chain";
	}
	fz_emit(g, &b, what);
	return 1;
}

/* ---- IPv6 header fields ---- */

static void bad_src(struct fz_gen *g, struct in6_addr *a)
{
	static const char *const s[] = {
		"ff02::1", "ff05::2", "::1", "::ffff:10.0.0.1", "ff01::1", "::",
		"::10.0.0.1", "ff0e::1234", "ff02::1:ff00:1",
	};
	uint32_t u = fz_below(g->r, 12);

	if (u < 9) {
		addr(a, s[u]);
	} else if (u < 11 || !g->cfg->land) {	/* a zone in bytes 2-3 */
		*a = u == 9 ? g->cfg->src_ll : g->cfg->dst_ll;
		put16(&a->s6_addr[2], 1 + fz_below(g->r, 0xffff));
	} else {
		*a = g->cfg->dst;	/* the KAME host's own (--land) */
	}
}

static void bad_dst(struct fz_gen *g, struct in6_addr *a)
{
	static const char *const s[] = {
		"ff01::1", "ff00::1", "ff0f::1", "ff02::1:ff00:1", "ff02::2",
		"::1", "::ffff:10.1.2.3", "::", "2001:db8::99", "fe80::1",
		"ff12::4321", "ff03::1", "::10.1.2.3", "ff01::2",
	};
	uint32_t u = fz_below(g->r, 18);

	if (u < 14) {
		addr(a, s[u]);
	} else if (u < 16) {	/* a zone in bytes 2-3 */
		if (u == 14)
			*a = g->cfg->dst_ll;
		else
			addr(a, "ff02::1");
		put16(&a->s6_addr[2], 1 + fz_below(g->r, 0xffff));
	} else if (u < 17) {
		*a = g->cfg->src;	/* the native host's */
	} else {
		fz_rand_onlink(g, a);
	}
}

/*
 * Header fields: version, payload length larger or smaller than the frame
 * (or 0 without a jumbo option), truncated headers, hop limits, odd
 * sources and destinations, link padding, random headers.
 */
unsigned int fz_gen_ip6hdr(struct fz_gen *g)
{
	static uint8_t buf[FZ_MTU + 256];
	struct in6_addr s, d;
	struct fz_b b;
	uint32_t m = fz_below(g->r, 12), u = fz_below(g->r, 100), plen;
	static const char *const what[] = {
		"version", "plen-long", "plen-short", "plen-zero", "truncated",
		"hlim", "bad-src", "bad-dst", "padding", "flow", "bad-both",
		"random-hdr",
	};

	fz_pick_src(g, &s);
	fz_pick_dst(g, &d);
	if (m == 6 || m == 10)
		bad_src(g, &s);
	if (m == 7 || m == 10)
		bad_dst(g, &d);
	fz_b_init(&b, buf, sizeof(buf));
	fz_b_ip6(&b, &s, &d, 64);
	if (u < 60)
		fz_echo(g, &b, rsize(g, 200), 0);
	else if (u < 85)
		udp(g, &b, 40000, g->cfg->udp_echo, rsize(g, 200), ULEN_OK, UCS_OK);
	else
		fz_bytes(g->r, fz_b_put(&b, u & 31), u & 31);
	fz_b_plen(&b);
	plen = b.len - 40;
	switch (m) {
	case 0:
		b.p[0] = (b.p[0] & 0x0f) | ((6 + 1 + fz_below(g->r, 15)) & 15) << 4;
		break;
	case 1:
		plen = fz_pct(g->r, 20) ? 0xffff : plen + 1 + fz_below(g->r, 2000);
		put16(b.p + 4, plen);
		break;
	case 2:
		put16(b.p + 4, fz_below(g->r, plen + 1));
		break;
	case 3:
		put16(b.p + 4, 0);
		break;
	case 4:
		b.len = fz_below(g->r, 40);
		break;
	case 5:
		b.p[7] = fz_pct(g->r, 50) ? fz_below(g->r, 2) : fz_below(g->r, 256);
		break;
	case 8:
		plen = 1 + fz_below(g->r, 64);	/* link padding */
		fz_bytes(g->r, fz_b_put(&b, plen), plen);
		break;
	case 9:
		fz_bytes(g->r, b.p + 1, 3);
		b.p[0] = 0x60 | fz_below(g->r, 16);
		break;
	case 11:
		fz_bytes(g->r, b.p, 40);
		b.p[0] = 0x60 | (b.p[0] & 15);
		if (fz_pct(g->r, 50))
			memcpy(b.p + 24, &g->cfg->dst, 16);
		break;
	}
	fz_emit(g, &b, what[m]);
	return 1;
}

/* ---- ICMPv6 ---- */

/* Up to max bytes an error message quotes, at p; returns the length. */
static size_t quote(struct fz_gen *g, uint8_t *p, size_t max)
{
	const struct fz_cfg *c = g->cfg;
	uint32_t u = fz_below(g->r, 100);
	struct in6_addr s = c->dst, d = c->src;
	struct fz_b q;
	uint16_t sp, dp;

	if (u < 15) {
		size_t n = fz_below(g->r, min32(max, 300));

		fz_bytes(g->r, p, n);
		return n;
	}
	if (fz_pct(g->r, 20))
		fz_rand_onlink(g, &d);
	if (fz_pct(g->r, 10))
		fz_pick_src(g, &s);
	fz_b_init(&q, p, max);
	fz_b_ip6(&q, &s, &d, 64);
	if (u < 25) {
		q.len = fz_below(g->r, 40);
		return q.len;
	}
	if (fz_pct(g->r, 30))
		ext_one(g, &q, 1);
	sp = c->conn_lport && fz_pct(g->r, 30) ? c->conn_lport :
						 fz_below(g->r, 65536);
	dp = c->conn_lport && fz_pct(g->r, 50) ? c->conn_rport :
						 fz_below(g->r, 65536);
	if (u < 75)
		udp(g, &q, sp, dp, rsize(g, 64), ULEN_OK, UCS_OK);
	else if (u < 90)
		fz_echo(g, &q, rsize(g, 64), 0);
	else
		upper(g, &q);
	fz_b_plen(&q);
	if (fz_pct(g->r, 30))
		q.len = 40 + fz_below(g->r, q.len - 40 + 1);
	return q.len;
}

/* Append what an error quotes, at most max bytes of it. */
static size_t put_quote(struct fz_gen *g, struct fz_b *b, size_t max)
{
	uint8_t tmp[2048];
	size_t n = quote(g, tmp, sizeof(tmp));

	if (n > max)
		n = max;
	memcpy(fz_b_put(b, n), tmp, n);
	return n;
}

/* An error message (type < 128) quoting a packet. */
static const char *icmp6_error(struct fz_gen *g, struct fz_b *b, uint32_t u)
{
	uint8_t *h = fz_b_push(b, NH_ICMP6, 8);
	size_t n;

	if (u < 80) {
		h[0] = 1 + fz_below(g->r, 4);
		h[1] = fz_pct(g->r, 70) ? fz_below(g->r, 8) : fz_below(g->r, 256);
	} else {
		h[0] = fz_pct(g->r, 30) ? 0 : 5 + fz_below(g->r, 123);
		h[1] = fz_below(g->r, 256);
	}
	fz_bytes(g->r, h + 4, 4);
	if (h[0] == 2 && fz_pct(g->r, 50)) {	/* packet too big: odd MTUs */
		static const uint32_t mtu[] = { 0, 1279, 1280, 1500, 65535,
						0xffffffff };

		put32(h + 4, mtu[fz_below(g->r, 6)]);
	}
	n = put_quote(g, b, 1232);
	if (fz_pct(g->r, 10))	/* a quote shorter than an IPv6 header */
		b->len = b->len - n + fz_below(g->r, n < 40 ? n + 1 : 40);
	return u < 80 ? "error" : "error-unassigned";
}

/* An ICMPv6 header of type t, random code and word, n random bytes. */
static void icmp6_body(struct fz_gen *g, struct fz_b *b, uint8_t t, size_t n)
{
	uint8_t *h = fz_b_push(b, NH_ICMP6, 8);

	h[0] = t;
	h[1] = fz_pct(g->r, 70) ? 0 : fz_below(g->r, 256);
	fz_bytes(g->r, h + 4, 4);
	fz_bytes(g->r, fz_b_put(b, n), n);
}

/*
 * ICMPv6: echo requests (bad checksums, codes), echo replies, errors
 * quoting plausible, truncated or garbage packets, unknown types, MLD
 * messages, truncated headers.
 */
unsigned int fz_gen_icmp6(struct fz_gen *g)
{
	static const uint8_t mld[] = { 130, 131, 132, 143 };
	static uint8_t buf[FZ_MTU + 256];
	uint32_t v = fz_below(g->r, 100), u = fz_below(g->r, 100);
	int bad = fz_pct(g->r, 8) ? (int)(fz_next(g->r) | 1) : 0;
	int is_mld = v >= 78 && v < 88;
	const char *what = "echo";
	struct in6_addr s, d;
	struct fz_b b;
	size_t off;

	fz_pick_src(g, &s);
	fz_pick_dst(g, &d);
	if (is_mld) {		/* link-local source, hop limit 1 */
		s = fz_pct(g->r, 80) ? g->cfg->src_ll : s;
		addr(&d, fz_pct(g->r, 60) ? "ff02::1" : "ff02::16");
	}
	fz_b_init(&b, buf, sizeof(buf));
	fz_b_ip6(&b, &s, &d, is_mld ? 1 : 64);
	off = b.len;
	if (v < 30) {
		fz_echo(g, &b, fz_pct(g->r, 10) ? fz_below(g->r, 1400) :
						  rsize(g, 128), 0);
		if (v >= 25) {
			b.p[off + 1] = 1 + fz_below(g->r, 255);
			what = "echo-code";
		} else if (v < 3) {
			b.p[off] = 129;
			what = "echo-reply";
		}
	} else if (v < 60) {
		what = icmp6_error(g, &b, u);
	} else if (v < 70) {
		icmp6_body(g, &b, 138 + fz_below(g->r, 118), rsize(g, 256));
		what = "unknown-type";
	} else if (v < 78) {
		fz_b_push(&b, NH_ICMP6, fz_below(g->r, 4));
		if (b.len > off)
			b.p[off] = fz_below(g->r, 256);
		what = "truncated";
	} else if (is_mld && fz_pct(g->r, 70)) {
		/* validated queries, others' reports (kfuzz6_mld.c) */
		fz_b_init(&b, buf, sizeof(buf));
		what = fz_mld(g, &b, bad);
		fz_b_plen(&b);
		fz_emit(g, &b, what);
		return 1;
	} else if (is_mld) {
		icmp6_body(g, &b, mld[fz_below(g->r, 4)], fz_below(g->r, 48));
		what = "mld";
	} else {
		icmp6_body(g, &b, fz_below(g->r, 256), rsize(g, 512));
		what = "random";
	}
	if (b.len - off >= 4)
		fz_b_csum(&b, off, NH_ICMP6, 2, bad);
	fz_b_plen(&b);
	fz_emit(g, &b, what);
	return 1;
}

/* ---- neighbor discovery ---- */

/* One well-formed option of an ND message at p (room: max bytes). */
static size_t nd_opt(struct fz_gen *g, uint8_t *p, size_t max, uint8_t ll,
		     const uint8_t *mac)
{
	static const uint8_t len[] = { 1, 1, 4, 1, 1, 3, 1, 1 };
	static const uint8_t type[] = { 1, 2, 3, 5, 14, 25, 24, 31 };
	uint32_t u = fz_below(g->r, 10);
	uint8_t t = u < 5 ? ll : type[fz_below(g->r, 8)], l = 1;
	unsigned int i;

	for (i = 0; i < 8; i++)
		if (type[i] == t)
			l = len[i];
	if (u == 9) {
		t = fz_below(g->r, 256);
		l = 1 + fz_below(g->r, 3);
	}
	if (8u * l > max)
		return 0;
	p[0] = t;
	p[1] = l;
	fz_bytes(g->r, p + 2, 8 * l - 2);
	if (t == 1 || t == 2) {
		if (mac && fz_pct(g->r, 90))
			memcpy(p + 2, mac, 6);
		else
			fz_rand_mac(g, p + 2);
	}
	if (t == 3 && fz_pct(g->r, 60)) {	/* prefix: on the link's /64 */
		p[2] = fz_pct(g->r, 80) ? 64 : fz_below(g->r, 256);
		memcpy(p + 16, &g->cfg->src, 8);
		memset(p + 24, 0, 8);
	}
	return 8 * l;
}

/*
 * The options of an ND message: well-formed, or with a zero length, a
 * length past the end, more than nd6_maxndopt, trailing bytes, garbage.
 */
static void nd_opts(struct fz_gen *g, struct fz_b *b, uint8_t ll,
		    const uint8_t *mac)
{
	uint32_t u = fz_below(g->r, 100), i, n = fz_below(g->r, 4);
	uint8_t tmp[768];
	size_t len = 0;

	if (u >= 73 && u < 83)
		n = 11 + fz_below(g->r, 60);
	for (i = 0; i < n; i++)	/* leaves room for the odd ones below */
		len += nd_opt(g, tmp + len, sizeof(tmp) - len - 64, ll, mac);
	if (u >= 55 && u < 65) {		/* zero length */
		tmp[len] = ll;
		tmp[len + 1] = 0;
		fz_bytes(g->r, tmp + len + 2, 6);
		len += 8;
	} else if (u >= 65 && u < 73) {		/* past the end */
		tmp[len] = ll;
		tmp[len + 1] = 2 + fz_below(g->r, 20);
		fz_rand_mac(g, tmp + len + 2);
		len += 8;
	} else if (u >= 83 && u < 91) {		/* not a multiple of 8 */
		n = 1 + fz_below(g->r, 7);
		fz_bytes(g->r, tmp + len, n);
		len += n;
	} else if (u >= 91) {
		n = 1 + fz_below(g->r, 64);
		fz_bytes(g->r, tmp + len, n);
		len += n;
	}
	memcpy(fz_b_put(b, len), tmp, len);
}

static const uint8_t *mac_of(struct fz_gen *g, const struct in6_addr *a)
{
	return fz_is_native(g->cfg, a) ? g->cfg->lladdr : NULL;
}

static void nd_target(struct fz_gen *g, struct in6_addr *t, int ns)
{
	const struct fz_cfg *c = g->cfg;
	uint32_t u = fz_below(g->r, 100);

	if (u < (ns ? 45u : 10u))
		*t = fz_pct(g->r, 60) ? c->dst : c->dst_ll;
	else if (u < 55)
		*t = fz_pct(g->r, 60) ? c->src : c->src_ll;
	else if (u < 75)
		fz_rand_onlink(g, t);
	else if (u < 85)
		addr(t, fz_pct(g->r, 50) ? "ff02::1" : "ff02::1:ff00:1");
	else
		fz_pick_src(g, t);
}

static const char *nd_ns(struct fz_gen *g, struct fz_b *b, uint8_t hlim)
{
	struct in6_addr s, d, t;
	uint32_t u = fz_below(g->r, 100);
	int dad = fz_pct(g->r, 15);
	uint8_t *h;

	nd_target(g, &t, 1);
	if (dad)
		memset(&s, 0, sizeof(s));
	else if (fz_pct(g->r, 60))
		s = fz_pct(g->r, 60) ? g->cfg->src : g->cfg->src_ll;
	else
		fz_rand_onlink(g, &s);
	if (u < 50)
		fz_solnode(&d, &t);
	else if (u < 80)
		d = g->cfg->dst;
	else
		addr(&d, u < 90 ? "ff02::1" : "ff02::1:ff00:2");
	fz_b_ip6(b, &s, &d, hlim);
	h = fz_b_push(b, NH_ICMP6, 24);
	h[0] = 135;
	memcpy(h + 8, &t, 16);
	if (!dad || fz_pct(g->r, 20))
		nd_opts(g, b, 1, mac_of(g, &s));
	return dad ? "ns-dad" : "ns";
}

static const char *nd_na(struct fz_gen *g, struct fz_b *b, uint8_t hlim)
{
	struct in6_addr s, d, t;
	uint8_t *h;

	nd_target(g, &t, 0);
	s = fz_pct(g->r, 70) ? t : g->cfg->src_ll;
	if (s.s6_addr[0] == 0xff)
		s = g->cfg->src;
	if (fz_pct(g->r, 70))
		d = fz_pct(g->r, 70) ? g->cfg->dst : g->cfg->dst_ll;
	else
		addr(&d, "ff02::1");
	fz_b_ip6(b, &s, &d, hlim);
	h = fz_b_push(b, NH_ICMP6, 24);
	h[0] = 136;
	h[4] = fz_below(g->r, 8) << 5;		/* R, S, O */
	if (fz_pct(g->r, 10))
		h[4] |= fz_below(g->r, 32);
	memcpy(h + 8, &t, 16);
	nd_opts(g, b, 2, mac_of(g, &t));
	return "na";
}

static const char *nd_rs(struct fz_gen *g, struct fz_b *b, uint8_t hlim)
{
	struct in6_addr s, d;
	uint8_t *h;

	if (fz_pct(g->r, 40))
		memset(&s, 0, sizeof(s));
	else
		s = fz_pct(g->r, 80) ? g->cfg->src_ll : g->cfg->src;
	addr(&d, fz_pct(g->r, 50) ? "ff02::2" : "ff02::1");
	if (fz_pct(g->r, 20))
		d = g->cfg->dst_ll;
	fz_b_ip6(b, &s, &d, hlim);
	h = fz_b_push(b, NH_ICMP6, 8);
	h[0] = 133;
	nd_opts(g, b, 1, mac_of(g, &s));
	return "rs";
}

/*
 * A prefix information option (RFC 4861 4.6.2): mostly well formed, in
 * 2001:db8:N::/64 with N from a small set (the prefix list fills up past
 * net.inet6.icmp6.nd6_maxprefixes over a run), sometimes link-local, a
 * preferred lifetime above the valid one, a prefix length over 128, or a
 * length other than 4.
 */
static size_t ra_pio(struct fz_gen *g, uint8_t *o)
{
	uint32_t u = fz_below(g->r, 100), vl, pl;
	size_t len = 32;

	memset(o, 0, 32);
	o[0] = 3;
	o[1] = 4;
	o[2] = 64;
	o[3] = fz_pct(g->r, 80) ? 0xc0 : fz_below(g->r, 256);
	vl = fz_pct(g->r, 10) ? 0xffffffff : fz_below(g->r, 4000);
	pl = fz_pct(g->r, 85) ? vl / 2 : fz_below(g->r, 8000);
	put32(o + 4, vl);
	put32(o + 8, pl);
	o[16] = 0x20;
	o[17] = 0x01;
	o[18] = 0x0d;
	o[19] = 0xb8;
	put16(o + 20, 0x100 + fz_below(g->r, 100));
	if (u < 8) {
		o[16] = 0xfe;
		o[17] = 0x80;
	} else if (u < 14) {
		o[2] = 129 + fz_below(g->r, 127);
	} else if (u < 20) {
		o[2] = fz_below(g->r, 129);
	} else if (u < 26) {
		o[1] = fz_pct(g->r, 50) ? 3 : 5;
		len = o[1] * 8;
		memset(o + 32, 0, len > 32 ? len - 32 : 0);
	}
	return len;
}

/* MTU (length 1, or not) and route information options (RFC 4191 2.3) */
static size_t ra_mtu_rio(struct fz_gen *g, uint8_t *o)
{
	uint8_t n = 1 + fz_below(g->r, 3);

	memset(o, 0, 32);
	if (fz_pct(g->r, 50)) {
		o[0] = 5;
		o[1] = fz_pct(g->r, 85) ? 1 : 2;
		put32(o + 4, fz_pct(g->r, 70) ? 1280 + fz_below(g->r, 300) :
						fz_below(g->r, 0xffffffff));
		return o[1] * 8;
	}
	o[0] = 24;
	o[1] = fz_pct(g->r, 85) ? n : 4;
	o[2] = fz_pct(g->r, 85) ? (n - 1) * 64u : fz_below(g->r, 256);
	o[3] = fz_below(g->r, 256);
	put32(o + 4, fz_below(g->r, 4000));
	fz_bytes(g->r, o + 8, o[1] * 8 - 8);
	if (o[1] > 1 && o[1] < 4 && fz_pct(g->r, 40)) {
		/*
		 * a few prefixes again and again (installed, refreshed,
		 * removed by lifetime 0), with the reserved preference 10, a
		 * length too short for the prefix length, or one over 128
		 */
		o[2] = 48;
		o[8] = 0x20;
		o[9] = 0x01;
		o[10] = 0x0d;
		o[11] = 0xb8;
		o[12] = 0x70 + fz_below(g->r, 8);
		if (fz_pct(g->r, 20))
			put32(o + 4, 0);
		if (fz_pct(g->r, 15))
			o[3] = 0x10;
		else if (fz_pct(g->r, 10))
			o[2] = 65 + fz_below(g->r, 64);	/* o[1] 2: too short */
		else if (fz_pct(g->r, 10))
			o[2] = 129 + fz_below(g->r, 127);
	}
	return o[1] * 8;
}

/* The options of router advertisements, before nd_opts()'s */
static void ra_opts(struct fz_gen *g, struct fz_b *b)
{
	uint32_t i, n = fz_pct(g->r, 10) ? 8 + fz_below(g->r, 20) :
					   fz_below(g->r, 4);
	uint8_t tmp[40];
	size_t len;

	for (i = 0; i < n; i++) {
		len = fz_pct(g->r, 65) ? ra_pio(g, tmp) : ra_mtu_rio(g, tmp);
		memcpy(fz_b_put(b, len), tmp, len);
	}
}

static const char *nd_ra(struct fz_gen *g, struct fz_b *b, uint8_t hlim)
{
	struct in6_addr s, d;
	uint8_t *h;

	s = fz_pct(g->r, 85) ? g->cfg->src_ll : g->cfg->src;
	if (fz_pct(g->r, 10))
		fz_pick_src(g, &s);
	if (fz_pct(g->r, 75))
		addr(&d, "ff02::1");
	else
		d = g->cfg->dst_ll;
	fz_b_ip6(b, &s, &d, hlim);
	h = fz_b_push(b, NH_ICMP6, 16);
	h[0] = 134;
	fz_bytes(g->r, h + 4, 12);
	if (fz_pct(g->r, 70))
		ra_opts(g, b);
	nd_opts(g, b, 1, mac_of(g, &s));
	return "ra";
}

/* From the gateway of 2001:db8:99::/64 (fuzz.sh adds that route). */
static const char *nd_redirect(struct fz_gen *g, struct fz_b *b,
			       uint8_t hlim)
{
	struct in6_addr s = g->cfg->src_ll, d = g->cfg->dst, t, rd;
	uint8_t *h, *o;
	size_t n;

	if (fz_pct(g->r, 15))
		fz_pick_src(g, &s);
	addr(&rd, "2001:db8:99::");
	fz_bytes(g->r, &rd.s6_addr[8], 8);
	if (fz_pct(g->r, 15))
		fz_pick_dst(g, &rd);
	if (fz_pct(g->r, 40)) {
		t = rd;
	} else {
		addr(&t, "fe80::");
		fz_bytes(g->r, &t.s6_addr[8], 8);
	}
	fz_b_ip6(b, &s, &d, hlim);
	h = fz_b_push(b, NH_ICMP6, 40);
	h[0] = 137;
	memcpy(h + 8, &t, 16);
	memcpy(h + 24, &rd, 16);
	nd_opts(g, b, 2, NULL);
	if (fz_pct(g->r, 40)) {		/* a redirected header option */
		o = fz_b_put(b, 8);
		n = put_quote(g, b, 600);
		fz_b_put(b, ((n + 7) & ~7) - n);
		o[0] = 4;
		o[1] = fz_pct(g->r, 85) ? 1 + ((n + 7) >> 3) : fz_below(g->r, 256);
	}
	return "redirect";
}

/*
 * Neighbor discovery: NS (DAD too), NA, RS, RA and redirects, with a hop
 * limit other than 255 or a code other than 0 now and then, multicast
 * targets, and options from well-formed to garbage (nd_opts()).
 */
unsigned int fz_gen_nd(struct fz_gen *g)
{
	static uint8_t buf[FZ_MTU + 1024];
	uint32_t v = fz_below(g->r, 100);
	uint8_t hlim = fz_pct(g->r, 88) ? 255 : fz_below(g->r, 256);
	int bad = fz_pct(g->r, 4) ? 0x4242 : 0;
	const char *what;
	struct fz_b b;

	fz_b_init(&b, buf, sizeof(buf));
	if (v < 30)
		what = nd_ns(g, &b, hlim);
	else if (v < 55)
		what = nd_na(g, &b, hlim);
	else if (v < 67)
		what = nd_rs(g, &b, hlim);
	else if (v < 82)
		what = nd_ra(g, &b, hlim);
	else
		what = nd_redirect(g, &b, hlim);
	if (fz_pct(g->r, 8))
		b.p[41] = 1 + fz_below(g->r, 255);	/* code */
	fz_b_csum(&b, 40, NH_ICMP6, 2, bad);
	fz_b_plen(&b);
	fz_emit(g, &b, what);
	return 1;
}

/* ---- UDP and other protocols ---- */

/*
 * UDP to open and closed ports and groups: length fields larger or smaller
 * than the payload or below 8, bad and zero checksums.
 */
unsigned int fz_gen_udp(struct fz_gen *g)
{
	static uint8_t buf[FZ_MTU + 256];
	static const char *const what[] = { "udp", "udp-len-long",
					    "udp-len-short", "udp-len-tiny",
					    "udp-len-zero" };
	const struct fz_cfg *c = g->cfg;
	uint32_t u = fz_below(g->r, 100), lm = 0, cs = UCS_OK;
	uint16_t sp = 1024 + fz_below(g->r, 64000), dp;
	struct in6_addr s, d;
	struct fz_b b;

	if (u < 35)
		dp = c->udp_echo;
	else if (u < 50)
		dp = c->udp_sink;
	else if (u < 55 && c->conn_lport)
		dp = c->conn_lport, sp = c->conn_rport;
	else if (u < 95)
		dp = 10000 + fz_below(g->r, 20000);	/* closed */
	else
		dp = 0;
	if (fz_pct(g->r, 28))
		lm = 1 + fz_below(g->r, 4);
	if (fz_pct(g->r, 16))
		cs = fz_pct(g->r, 50) ? UCS_BAD : UCS_ZERO;
	fz_pick_src(g, &s);
	fz_pick_dst(g, &d);
	fz_b_init(&b, buf, sizeof(buf));
	fz_b_ip6(&b, &s, &d, 64);
	udp(g, &b, sp, dp, fz_pct(g->r, 5) ? 0 : rsize(g, 1400), lm, cs);
	fz_b_plen(&b);
	fz_emit(g, &b, cs == UCS_OK ? what[lm] :
		       cs == UCS_BAD ? "udp-bad-sum" : "udp-zero-sum");
	return 1;
}

/* Random next headers (the raw socket's protocol often) and payloads. */
unsigned int fz_gen_raw(struct fz_gen *g)
{
	static uint8_t buf[FZ_MTU + 256];
	struct in6_addr s, d;
	struct fz_b b;
	uint8_t nh = fz_pct(g->r, 30) ? g->cfg->raw_proto : fz_below(g->r, 256);
	size_t n = rsize(g, 600);

	fz_pick_src(g, &s);
	fz_pick_dst(g, &d);
	fz_b_init(&b, buf, sizeof(buf));
	fz_b_ip6(&b, &s, &d, 64);
	fz_b_push(&b, nh, 0);
	fz_bytes(g->r, fz_b_put(&b, n), n);
	fz_b_plen(&b);
	fz_emit(g, &b, nh == g->cfg->raw_proto ? "raw-sock" : "raw");
	return 1;
}
