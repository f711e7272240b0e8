// SPDX-License-Identifier: GPL-2.0
/*
 * kfuzz6's MLD messages (part of the icmp6 class): queries good and bad
 * (RFC 3810 5.1, RFC 2710 3), as the listener validates them: hop limit
 * other than 1, no Router Alert or one for another protocol, a source
 * that is not link-local, lengths of neither version, a source count
 * beyond the packet, a unicast group or sources in a general query,
 * extreme Maximum Response Codes; and reports and dones of other
 * listeners, short and long.
 */
#include <arpa/inet.h>
#include <string.h>
#include "kfuzz6.h"

#define NH_HOP		0
#define NH_ICMP6	58

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

/* Hop-by-Hop: Router Alert (ra 1: value 0, MLD; 2: another value). */
static void mld_hbh(struct fz_gen *g, struct fz_b *b, int ra)
{
	uint8_t *h = fz_b_push(b, NH_HOP, 8);

	h[2] = 0x05;
	h[3] = 2;
	h[5] = ra == 2 ? 1 + fz_below(g->r, 255) : 0;
	h[6] = 0x01;	/* PadN */
}

static void mld_group(struct fz_gen *g, struct in6_addr *grp)
{
	uint32_t u = fz_below(g->r, 100);

	memset(grp, 0, sizeof(*grp));
	if (u < 40)
		return;				/* general */
	if (u < 75) {
		fz_solnode(grp, fz_pct(g->r, 50) ? &g->cfg->dst :
						   &g->cfg->dst_ll);
		return;
	}
	grp->s6_addr[0] = 0xff;
	grp->s6_addr[1] = fz_below(g->r, 256);
	fz_bytes(g->r, &grp->s6_addr[12], 4);
}

/* A query body (after type, code, checksum) of len bytes at h + 4. */
static void mld_query(struct fz_gen *g, uint8_t *h, size_t len,
		      const struct in6_addr *grp, unsigned int nsrcs,
		      unsigned int nfield)
{
	unsigned int i;

	h[0] = 130;
	put16(h + 4, fz_pct(g->r, 80) ? fz_below(g->r, 2000) :
					 fz_below(g->r, 65536));
	if (len >= 24)
		memcpy(h + 8, grp, 16);
	if (len < 28)
		return;
	h[24] = fz_below(g->r, 256);	/* S, QRV, reserved */
	h[25] = fz_below(g->r, 256);	/* QQIC */
	put16(h + 26, nfield);
	for (i = 0; i < nsrcs && 28 + 16 * (i + 1) <= len; i++) {
		h[28 + 16 * i] = 0x20;
		h[29 + 16 * i] = 0x01;
		fz_bytes(g->r, h + 30 + 16 * i, 14);
	}
}

const char *fz_mld(struct fz_gen *g, struct fz_b *b, int bad)
{
	uint32_t v = fz_below(g->r, 100);
	struct in6_addr s = g->cfg->src_ll, d, grp;
	unsigned int nsrcs = fz_below(g->r, 5), nfield;
	size_t len, off;
	uint8_t hlim = 1, *h;
	const char *what;
	int ra = 1;

	inet_pton(AF_INET6, "ff02::1", &d);
	mld_group(g, &grp);
	nfield = nsrcs;
	len = 28 + 16 * nsrcs;
	if (v < 15) {
		len = 24;
		what = "mld-v1-query";
	} else if (v < 35) {
		what = "mld-v2-query";
	} else if (v < 45) {
		len = fz_pct(g->r, 70) ? 4 + fz_below(g->r, 20) :
					 25 + fz_below(g->r, 3);
		what = "mld-short";
	} else if (v < 55) {
		nfield = nsrcs + 1 + fz_below(g->r, 65535 - nsrcs);
		what = "mld-nsrcs-past";
	} else if (v < 63) {
		hlim = 2 + fz_below(g->r, 254);
		what = "mld-bad-hlim";
	} else if (v < 71) {
		ra = fz_pct(g->r, 50) ? 0 : 2;
		what = "mld-no-ra";
	} else if (v < 79) {
		if (fz_pct(g->r, 50))
			memset(&s, 0, sizeof(s));
		else
			s = g->cfg->src;
		what = "mld-bad-src";
	} else if (v < 86) {
		if (fz_pct(g->r, 50)) {
			grp = g->cfg->src;
		} else {
			memset(&grp, 0, sizeof(grp));
			nfield = nsrcs = 1 + nsrcs;
			len = 28 + 16 * nsrcs;
		}
		what = "mld-bad-group";
	} else if (v < 93) {
		what = "mld-mrc";
	} else {
		len = 4 + fz_below(g->r, 60);
		what = "mld-report";
	}
	fz_b_ip6(b, &s, &d, hlim);
	if (ra)
		mld_hbh(g, b, ra);
	off = b->len;
	h = fz_b_push(b, NH_ICMP6, len);
	memset(h, 0, len);
	if (v >= 93) {
		static const uint8_t types[] = { 131, 132, 143 };

		h[0] = types[fz_below(g->r, 3)];
		if (len >= 24)
			memcpy(h + 8, &grp, 16);
		else
			fz_bytes(g->r, h + 4, len - 4);
	} else {
		mld_query(g, h, len, &grp, nsrcs, nfield);
		if (v >= 86 && v < 93) {	/* extremes of MRC and QQIC */
			put16(h + 4, fz_pct(g->r, 50) ? 0xffff : 0x8000);
			if (len >= 28)
				h[25] = fz_pct(g->r, 50) ? 0xff : 0x80;
		}
	}
	fz_b_csum(b, off, NH_ICMP6, 2, bad);
	return what;
}
