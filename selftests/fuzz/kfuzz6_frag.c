// SPDX-License-Identifier: GPL-2.0
/*
 * kfuzz6's fragment class: sequences of fragments sharing an
 * identification, made whole from one draw so that they stay the same
 * (and inside one block: see FZ_BLOCK). A datagram is built first, with
 * valid checksums, then a plan of (offset, length, M) fragments is made
 * and broken per variant: reordering, duplicates, overlaps, gaps, tiny and
 * huge offsets, empty last fragments, the far fragment with an early last
 * one, lengths that are not a multiple of 8 with M set, nested fragment
 * headers, atomic fragments, more fragments than maxfragsperpacket, a
 * first fragment without the whole header chain (RFC 7112), fragments
 * disagreeing on their headers, datagrams near or beyond 65535 bytes.
 */
#include <string.h>
#include "kfuzz6.h"

#define NH_FRAG		44
#define NH_DEST		60
#define NH_ICMP6	58
#define FRAG_MAX	96
/* more than maxfragsperpacket's default, 64 */
#define MANY_FRAGS	70

struct dgram {
	uint8_t *p;
	size_t len;		/* the whole datagram */
	size_t ulen;		/* its unfragmentable part */
	size_t nhoff;		/* the next-header byte naming the fragment header */
	uint8_t nxt;		/* what that byte names in the datagram */
	uint32_t id;
};

enum quirk { Q_NONE, Q_FLIP, Q_NXT, Q_SRC, Q_UNFRAG };

struct frag {
	uint32_t off, len;
	uint8_t m, quirk;
};

enum {
	FV_ORDER, FV_SHUFFLE, FV_DUP, FV_OVERLAP, FV_GAP, FV_NOLAST,
	FV_NOFIRST, FV_TINY, FV_HUGEOFF, FV_EMPTYLAST, FV_FAREARLY, FV_ODDLEN,
	FV_NESTED, FV_NESTPAIR, FV_ATOMIC, FV_MANY, FV_SPLITHDR, FV_MIXED,
	FV_BIG, FV_OVER64K, FV_N
};

static const struct {
	const char *name;
	uint8_t weight;
} fvar[FV_N] = {
	[FV_ORDER] = { "frag-order", 10 },
	[FV_SHUFFLE] = { "frag-shuffle", 8 },
	[FV_DUP] = { "frag-dup", 5 },
	[FV_OVERLAP] = { "frag-overlap", 6 },
	[FV_GAP] = { "frag-gap", 5 },
	[FV_NOLAST] = { "frag-nolast", 4 },
	[FV_NOFIRST] = { "frag-nofirst", 3 },
	[FV_TINY] = { "frag-tiny", 5 },
	[FV_HUGEOFF] = { "frag-hugeoff", 5 },
	[FV_EMPTYLAST] = { "frag-emptylast", 5 },
	[FV_FAREARLY] = { "frag-far-early-last", 6 },
	[FV_ODDLEN] = { "frag-oddlen", 4 },
	[FV_NESTED] = { "frag-nested", 5 },
	[FV_NESTPAIR] = { "frag-nested-pair", 4 },
	[FV_ATOMIC] = { "frag-atomic", 5 },
	[FV_MANY] = { "frag-many", 2 },
	[FV_SPLITHDR] = { "frag-split-hdr", 5 },
	[FV_MIXED] = { "frag-mixed", 5 },
	[FV_BIG] = { "frag-big", 1 },
	[FV_OVER64K] = { "frag-over64k", 4 },
};

static uint32_t min32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

static unsigned int pick_variant(struct fz_gen *g)
{
	unsigned int total = 0, u, i;

	for (i = 0; i < FV_N; i++)
		total += fvar[i].weight;
	u = fz_below(g->r, total);
	for (i = 0; i < FV_N - 1; i++) {
		if (u < fvar[i].weight)
			break;
		u -= fvar[i].weight;
	}
	return i;
}

/*
 * An identification: now and then a small or special one, which units
 * share. With --diff they are made unique per unit: whether a unit's
 * leftover fragments are still queued when a later unit reuses their id
 * depends on timing, and the differential run compares answers.
 */
static uint32_t frag_id(struct fz_gen *g)
{
	static const uint32_t small[] = { 0, 1, 0xffffffff, 0x12345678 };
	uint32_t id = fz_pct(g->r, 10) ? small[fz_below(g->r, 4)] :
					 (uint32_t)fz_next(g->r);

	if (g->cfg->unit_ids)
		id ^= (uint32_t)(((g->idx + 1) * 0x9e3779b97f4a7c15ULL) >> 32);
	return id;
}

/* The largest fragment data (a multiple of 8) after ulen header bytes. */
static uint32_t max_chunk(size_t ulen)
{
	return (FZ_MTU - ulen - 8) & ~7u;
}

/*
 * The datagram: IPv6 header and unfragmentable headers (hop-by-hop,
 * destination options, routing with no segment left), then a fragmentable
 * part of dlen bytes (at least 8): an echo request, a UDP datagram or
 * other data; split: a destination options header first that the first
 * fragment will not hold whole; nested: a fragment header first.
 */
static void dg_build(struct fz_gen *g, struct dgram *d, struct fz_b *b,
		     size_t dlen, int split, int nested)
{
	struct in6_addr s, t;
	uint32_t u = fz_below(g->r, 100);
	uint8_t *h;

	if (fz_pct(g->r, 60))
		s = g->cfg->src;
	else
		fz_pick_src(g, &s);
	fz_pick_dst(g, &t);
	fz_b_ip6(b, &s, &t, 64);
	if (fz_pct(g->r, 12))
		fz_opts(g, b, 0, NULL);
	if (fz_pct(g->r, 8))
		fz_opts(g, b, NH_DEST, NULL);
	d->ulen = b->len;
	d->nhoff = b->nhoff;
	if (dlen < 8)
		dlen = 8;
	if (split) {
		unsigned int units = 4 + fz_below(g->r, 16);

		h = fz_b_push(b, NH_DEST, 8 * (units + 1));
		h[1] = units;
		h[2] = 1;	/* PadN over the rest */
		h[3] = 8 * (units + 1) - 4;
		dlen = dlen > 8u * (units + 1) + 8 ? dlen - 8 * (units + 1) : 8;
	}
	if (nested) {
		h = fz_b_push(b, NH_FRAG, 8);
		dlen = dlen > 16 ? dlen - 8 : 8;
	}
	if (u < 70 || nested || split) {
		fz_echo(g, b, dlen - 8, 0);
	} else {
		h = fz_b_push(b, u < 85 ? 17 : g->cfg->raw_proto, 8);
		fz_bytes(g->r, h, 8);
		h[0] = 0x9c;
		h[1] = 0x40;	/* from port 40000 */
		h[2] = g->cfg->udp_echo >> 8;
		h[3] = g->cfg->udp_echo;
		h[4] = dlen >> 8;
		h[5] = dlen;
		fz_bytes(g->r, fz_b_put(b, dlen - 8), dlen - 8);
		if (u < 85)
			fz_b_csum(b, b->len - dlen, 17, 6, 0);
	}
	d->p = b->p;
	d->len = b->len;
	d->nxt = b->p[d->nhoff];
	d->id = frag_id(g);
}

/* The fragment f of d as the next frame; data beyond d is filler. */
static void frag_emit(struct fz_gen *g, const struct dgram *d,
		      const struct frag *f, const char *what)
{
	static uint8_t buf[FZ_MTU + 64];
	size_t dl = d->len - d->ulen, n = f->len, i, room;
	uint16_t offm = (f->off & 0xfff8) | (f->m & 1);
	struct fz_b b;
	uint8_t *h;

	fz_b_init(&b, buf, sizeof(buf));
	memcpy(fz_b_put(&b, d->ulen), d->p, d->ulen);
	b.nhoff = d->nhoff;
	if (f->quirk == Q_UNFRAG) {	/* one more header than the others */
		h = fz_b_push(&b, NH_DEST, 8);
		h[2] = 1;
		h[3] = 4;
	}
	if (f->quirk == Q_SRC)
		b.p[23] ^= 1;
	room = FZ_MTU - b.len - 8;
	if (n > room)
		n = room;
	h = fz_b_push(&b, NH_FRAG, 8);
	h[0] = f->quirk == Q_NXT ? d->nxt ^ (1 + fz_below(g->r, 255)) : d->nxt;
	h[2] = offm >> 8;
	h[3] = offm;
	memcpy(h + 4, &d->id, 4);
	h = fz_b_put(&b, n);
	for (i = 0; i < n; i++) {
		uint32_t o = f->off + i;

		h[i] = o < dl ? d->p[d->ulen + o] : 0xa5;
		if (f->quirk == Q_FLIP)
			h[i] ^= 0x5a;
	}
	fz_b_plen(&b);
	fz_emit(g, &b, what);
}

/* Split dl bytes into fragments of chunk bytes; at most max of them. */
static unsigned int plan_split(struct frag *fr, unsigned int max, uint32_t dl,
			       uint32_t chunk, uint32_t first)
{
	unsigned int n = 0;
	uint32_t off = 0, l;

	do {
		l = min32(dl - off, n ? chunk : first);
		fr[n] = (struct frag){ off, l, off + l < dl, Q_NONE };
		n++;
		off += l;
	} while (off < dl && n < max);
	return n;
}

static unsigned int plan_del(struct frag *fr, unsigned int n, unsigned int i)
{
	memmove(fr + i, fr + i + 1, (n - i - 1) * sizeof(*fr));
	return n - 1;
}

static void plan_shuffle(struct fz_gen *g, struct frag *fr, unsigned int n)
{
	unsigned int i, j;
	struct frag t;

	for (i = n - 1; i > 0; i--) {
		j = fz_below(g->r, i + 1);
		t = fr[i];
		fr[i] = fr[j];
		fr[j] = t;
	}
}

/* Break the plan per variant v; room for max entries. Returns its size. */
static unsigned int plan_break(struct fz_gen *g, struct frag *fr,
			       unsigned int n, unsigned int max, unsigned int v)
{
	unsigned int i = n > 1 ? 1 + fz_below(g->r, n - 1) : 0, j;
	uint32_t delta;

	switch (v) {
	case FV_SHUFFLE:
		plan_shuffle(g, fr, n);
		break;
	case FV_DUP:
		if (n >= max)
			break;
		j = fz_below(g->r, n + 1);
		memmove(fr + j + 1, fr + j, (n - j) * sizeof(*fr));
		fr[j] = fr[fz_below(g->r, n + 1)];
		n++;
		break;
	case FV_OVERLAP:
		delta = 8 * (1 + fz_below(g->r, 4));
		if (fr[i].off >= delta) {
			fr[i].off -= delta;
			fr[i].len += delta;
		} else {
			fr[i].len += delta;
		}
		if (fz_pct(g->r, 50))
			fr[i].quirk = Q_FLIP;
		break;
	case FV_GAP:
		if (n > 2)
			n = plan_del(fr, n, 1 + fz_below(g->r, n - 2));
		break;
	case FV_NOLAST:
		if (n > 1)
			n--;
		break;
	case FV_NOFIRST:
		if (n > 1)
			n = plan_del(fr, n, 0);
		break;
	case FV_ODDLEN:
		for (j = 0; j < n && !fr[j].m; j++)
			;
		if (j < n)
			fr[j].len += fr[j].len > 8 && fz_pct(g->r, 50) ?
				     -(1 + fz_below(g->r, 7)) :
				     1 + fz_below(g->r, 7);
		break;
	case FV_MIXED:
		fr[fz_below(g->r, n)].quirk = Q_NXT + fz_below(g->r, 3);
		break;
	}
	return n;
}

/* Entries appended to the plan: beyond 64K, huge offsets, empty last. */
static unsigned int plan_add(struct fz_gen *g, struct frag *fr,
			     unsigned int n, unsigned int max, unsigned int v,
			     uint32_t dl)
{
	if (n >= max)
		return n;
	if (v == FV_HUGEOFF) {
		fr[n].off = 65528 - 8 * fz_below(g->r, 64);
		fr[n].len = 8 * fz_below(g->r, 3);
		fr[n].m = fz_below(g->r, 2);
		fr[n].quirk = Q_NONE;
		return n + 1;
	}
	if (v == FV_OVER64K) {	/* last fragment, the sum above 65535 */
		fr[n].off = 65528 - 8 * fz_below(g->r, 4);
		fr[n].len = 8 + 8 * fz_below(g->r, 4);
		fr[n].m = 0;
		fr[n].quirk = Q_NONE;
		if (fz_pct(g->r, 50))
			plan_shuffle(g, fr, n + 1);
		return n + 1;
	}
	if (v == FV_EMPTYLAST && !(dl & 7)) {
		fr[n - 1].m = 1;
		fr[n] = (struct frag){ dl, 0, 0, Q_NONE };
		return n + 1;
	}
	return n;
}

/*
 * The far fragment and an early last one: offset X with M set and L
 * bytes, then the last fragment at offset Y, empty or short. With Y = L
 * the queue has as many bytes as the last fragment says the datagram
 * has, while the far one lies far beyond it (the known pattern: 64000
 * M=1 16 bytes, then 16 M=0 no data).
 */
static unsigned int frag_far_early(struct fz_gen *g, struct fz_b *b)
{
	struct dgram d;
	struct frag fr[2];
	unsigned int n = g->room < 2 ? 1 : 2;

	dg_build(g, &d, b, 64, 0, 0);
	if (fz_pct(g->r, 50)) {
		fr[0] = (struct frag){ 64000, 16, 1, Q_NONE };
		fr[1] = (struct frag){ 16, 0, 0, Q_NONE };
	} else {
		uint32_t l = 8 * (1 + fz_below(g->r, 8));

		fr[0] = (struct frag){ 8 * (l / 8 + 1 + fz_below(g->r, 8180)),
				       l, 1, Q_NONE };
		fr[1] = (struct frag){ fz_pct(g->r, 70) ? l :
				       8 * fz_below(g->r, l / 8 + 2),
				       fz_pct(g->r, 70) ? 0 : 8, 0, Q_NONE };
	}
	if (fr[0].off > 65528)
		fr[0].off = 65528;
	frag_emit(g, &d, &fr[0], fvar[FV_FAREARLY].name);
	if (n > 1)
		frag_emit(g, &d, &fr[1], fvar[FV_FAREARLY].name);
	return n;
}

/*
 * Fragments of an inner datagram inside fragmented outer ones: each outer
 * datagram's fragmentable part is a fragment header and a piece of the
 * inner one (an echo request, split in one or two pieces). One piece:
 * atomic, queued again, or at an offset that makes the total above
 * 65535; two: the inner datagram is reassembled from reassembled ones.
 */
static unsigned int frag_nested(struct fz_gen *g, int pair)
{
	static uint8_t ibuf[FZ_MTU + 64], obuf[FZ_MTU + 64];
	uint32_t id2 = frag_id(g), dl, cut, k, pieces = pair ? 2 : 1, off;
	struct fz_b in, out;
	struct dgram d;
	struct frag fr[FRAG_MAX];
	unsigned int n, i, done = 0;

	fz_b_init(&in, ibuf, sizeof(ibuf));
	fz_b_ip6(&in, &g->cfg->src, &g->cfg->dst, 64);
	fz_echo(g, &in, 8 + fz_below(g->r, 1000), 0);
	dl = in.len - 40;
	cut = pair ? 8 * (1 + fz_below(g->r, (dl - 1) / 8)) : dl;
	for (k = 0; k < pieces; k++) {
		uint32_t po = k ? cut : 0, pl = k ? dl - cut : cut;
		uint8_t *h;

		fz_b_init(&out, obuf, sizeof(obuf));
		fz_b_ip6(&out, &g->cfg->src, &g->cfg->dst, 64);
		d.ulen = 40;
		d.nhoff = 6;
		h = fz_b_push(&out, NH_FRAG, 8);
		h[0] = NH_ICMP6;
		off = po;
		if (!pair && fz_pct(g->r, 40))	/* beyond 65535 */
			off = 65528 - 8 * fz_below(g->r, 8);
		h[2] = off >> 8;
		h[3] = (off & 0xf8) | (pair ? !k : fz_below(g->r, 2));
		memcpy(h + 4, &id2, 4);
		memcpy(fz_b_put(&out, pl), in.p + 40 + po, pl);
		d.p = out.p;
		d.len = out.len;
		d.nxt = NH_FRAG;
		d.id = frag_id(g);
		dl = out.len - 40;
		/* mostly two fragments or more: an atomic one now and then */
		n = plan_split(fr, min32(g->room - done, FRAG_MAX), dl,
			       8 * (1 + fz_below(g->r, (dl - 1) / 8)),
			       8 * (1 + fz_below(g->r, (dl - 1) / 8)));
		for (i = 0; i < n; i++)
			frag_emit(g, &d, &fr[i], fvar[pair ? FV_NESTPAIR :
						      FV_NESTED].name);
		done += n;
		dl = in.len - 40;
		if (done >= g->room)
			break;
	}
	return done;
}

/* The size of the fragmentable part and the fragment size for v. */
static void sizes(struct fz_gen *g, unsigned int v, uint32_t maxc,
		  unsigned int cap, uint32_t *dl, uint32_t *chunk)
{
	unsigned int nf;

	*chunk = fz_pct(g->r, 50) ? maxc : 8 * (1 + fz_below(g->r, maxc / 8));
	if (v == FV_TINY || v == FV_MANY)
		*chunk = 8;
	nf = 1 + fz_below(g->r, min32(cap, 8));
	if (v == FV_MANY)
		nf = MANY_FRAGS + fz_below(g->r, 6);
	*dl = *chunk * (nf - 1) + 1 + fz_below(g->r, *chunk);
	if (v == FV_BIG) {
		*chunk = maxc;
		*dl = 60000 + fz_below(g->r, 65000 - 60000);
	}
	if (v == FV_ATOMIC) {
		*dl = 8 + fz_below(g->r, maxc - 8);
		*chunk = *dl;
	}
	if (v == FV_EMPTYLAST)
		*dl = (*dl + 7) & ~7u;
	if (v == FV_SPLITHDR && *dl < 200)
		*dl += 200;
}

/* A sequence of fragments (see the comment at the top). */
unsigned int fz_gen_frag(struct fz_gen *g)
{
	static uint8_t dbuf[FZ_DGRAM_MAX];
	static struct frag fr[FRAG_MAX + 4];
	unsigned int v = pick_variant(g), cap = min32(g->room, FRAG_MAX);
	unsigned int n, i;
	uint32_t dl, chunk, first;
	struct dgram d;
	struct fz_b b;

	if ((v == FV_MANY && cap < MANY_FRAGS + 6) ||
	    (v == FV_BIG && cap < 48))
		v = FV_ORDER;
	fz_b_init(&b, dbuf, sizeof(dbuf));
	if (v == FV_FAREARLY)
		return frag_far_early(g, &b);
	if (v == FV_NESTED || v == FV_NESTPAIR)
		return frag_nested(g, v == FV_NESTPAIR);
	/* for an IPv6 header alone: smaller with more headers (below) */
	sizes(g, v, max_chunk(40), cap, &dl, &chunk);
	dg_build(g, &d, &b, dl, v == FV_SPLITHDR, 0);
	dl = d.len - d.ulen;
	if (v == FV_BIG || chunk > max_chunk(d.ulen))
		chunk = max_chunk(d.ulen);
	first = v == FV_SPLITHDR ? 8 * (1 + fz_below(g->r, 2)) : chunk;
	if (v == FV_ATOMIC) {	/* offset 0, M clear: no reassembly */
		fr[0] = (struct frag){ 0, dl, 0, Q_NONE };
		n = 1;
	} else {
		n = plan_split(fr, cap, dl, chunk, first);
		n = plan_break(g, fr, n, cap, v);
		n = plan_add(g, fr, n, cap, v, dl);
	}
	if (n > g->room)
		n = g->room;
	for (i = 0; i < n; i++)
		frag_emit(g, &d, &fr[i], fvar[v].name);
	return n;
}
