// SPDX-License-Identifier: GPL-2.0
/*
 * kfuzz6 --diff: what the host answers, packet by packet, for the
 * differential run of fuzz/differential.sh (the same corpus at a KAME
 * host and at a native Linux host).
 *
 * Each unit (one packet, or a fragment sequence whole) is sent, then a
 * probe: a datagram to the host's UDP echo server (--udp) whose data names
 * the unit. The frames the host sends back are read from the same
 * interface up to the echo of that probe, then until it has been quiet
 * for the gap: the host takes packets in order (kfuzz6 stays on one CPU,
 * so they share one backlog queue) and the echo server answers in the
 * order it reads, so a slow host does not shift an answer, its own or its
 * echo server's, onto the next unit. Every frame becomes a token:
 *
 *   errT/C         an ICMPv6 error of type T, code C (Parameter Problem:
 *                  errT/C@POINTER), charged to the unit whose packet it
 *                  quotes, or whose Fragment header a reassembled datagram
 *                  it quotes carries (a reassembly timeout comes seconds
 *                  later); one that quotes neither is named on stderr
 *   echo-reply, na-FLAGS (S, O, R), redirect, icmpT: other ICMPv6
 *   ns, rs, mld    the host's own ND and MLD traffic (not answers)
 *   udpP           a UDP datagram from port P
 *   nhN, eth-XXXX  anything else
 * A fragmented answer is the token of its first fragment.
 *
 * At the end, after a tail wait for late errors, one line per unit
 * (and one "kfuzz6: N probes unanswered" when some were):
 *   INDEX CLASS VARIANT NSEQ DST CHAIN | TOKEN...
 * DST: the destination of its first packet, "self" (the host's global or
 * link-local address), "mcast" (a group the host has joined: all-nodes,
 * its solicited-node groups), "nomember" (any other group) or "other";
 * CHAIN: its headers, H, D, R
 * and the routing type, F (F+ for a fragment after the first) and the
 * upper-layer protocol, e.g. "H-R4-D-58".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <net/ethernet.h>
#include <netpacket/packet.h>
#include <poll.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include "kfuzz6.h"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

#define DIFF_TOKLEN	240
#define DIFF_KEYLEN	48	/* bytes of a packet a quote is matched on */
#define DIFF_PROBE_PORT	0x4b44	/* the probes' source port */
#define DIFF_PROBE_MS	2000	/* how long a probe's reply is waited for */

static const char probe_magic[8] = "kfz6sync";

struct diff_unit {
	uint64_t idx;
	uint8_t cls;
	uint16_t nseq;
	const char *what;
	const char *dst;
	char chain[48];
	char tok[DIFF_TOKLEN];
};

struct diff_key {
	uint64_t h;
	unsigned int unit;
};

static struct diff_unit *units;
static unsigned int nunits, capunits;
static struct diff_key *keys;
static unsigned int nkeys, capkeys;
static struct diff_key *idkeys;		/* fragment identifications */
static unsigned int nidkeys, capidkeys;
static int rxfd = -1;
static const struct fz_cfg *cfg;
static unsigned int probes_lost;

static uint64_t hash_bytes(const uint8_t *p, size_t n)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	while (n--)
		h = (h ^ *p++) * 1099511628211ULL;
	return h;
}

static void *grow(void *p, unsigned int *cap, size_t sz)
{
	*cap = *cap ? *cap * 2 : 1024;
	p = realloc(p, *cap * sz);
	if (!p) {
		perror("kfuzz6: realloc");
		exit(2);
	}
	return p;
}

int fz_diff_open(int ifindex, const struct fz_cfg *c)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(ETH_P_ALL),
				   .sll_ifindex = ifindex };
	cpu_set_t one_cpu;
	int one = 1;

	/* one CPU: the unit and its probe enter the host in order */
	CPU_ZERO(&one_cpu);
	CPU_SET(sched_getcpu() < 0 ? 0 : sched_getcpu(), &one_cpu);
	if (sched_setaffinity(0, sizeof(one_cpu), &one_cpu)) {
		perror("kfuzz6: sched_setaffinity");
		return -1;
	}
	cfg = c;
	rxfd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));
	if (rxfd < 0 || bind(rxfd, (struct sockaddr *)&sll, sizeof(sll)) ||
	    setsockopt(rxfd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
			sizeof(one))) {
		perror("kfuzz6: diff socket");
		return -1;
	}
	return 0;
}

static void add_token(struct diff_unit *u, const char *t)
{
	size_t l = strlen(u->tok);

	if (l + strlen(t) + 2 < sizeof(u->tok))
		snprintf(u->tok + l, sizeof(u->tok) - l, " %s", t);
}

#define DIFF_MAXIDS	4	/* Fragment headers of a packet looked at */

/*
 * The identifications of the Fragment headers of packet p (n bytes), in
 * order, through Hop-by-Hop, Destination Options and Routing headers and
 * a Fragment header right after another (a nested one); how many.
 */
static unsigned int frag_ids(const uint8_t *p, size_t n, uint32_t *ids)
{
	unsigned int k = 0;
	size_t off = 40;
	uint8_t nh;

	if (n < 40)
		return 0;
	nh = p[6];
	while (off + 8 <= n && k < DIFF_MAXIDS) {
		if (nh == 0 || nh == 43 || nh == 60) {
			nh = p[off];
			off += (p[off + 1] + 1) * 8;
		} else if (nh == 44) {
			ids[k++] = (uint32_t)p[off + 4] << 24 | p[off + 5] << 16 |
				   p[off + 6] << 8 | p[off + 7];
			nh = p[off];
			off += 8;
		} else {
			break;
		}
	}
	return k;
}

/*
 * The unit whose packet the quote q (n bytes) starts with, or -1. A quote
 * of a reassembled datagram (an error about a nested fragment, or its
 * reassembly timing out) is no packet that was sent: it is the unit whose
 * packets carry one of its fragment identifications, unique per unit
 * with --diff.
 */
static int quoted_unit(const uint8_t *q, size_t n)
{
	uint64_t h = hash_bytes(q, n < DIFF_KEYLEN ? n : DIFF_KEYLEN);
	uint32_t ids[DIFF_MAXIDS];
	unsigned int i, j, k;

	for (i = nkeys; i-- > 0;)
		if (keys[i].h == h)
			return keys[i].unit;
	k = frag_ids(q, n, ids);
	for (i = nidkeys; i-- > 0;)
		for (j = 0; j < k; j++)
			if (idkeys[i].h == ids[j])
				return idkeys[i].unit;
	return -1;
}

/* An error quoting no packet of the corpus: its start, on stderr. */
static void quote_unknown(const char *t, const uint8_t *q, size_t n)
{
	size_t i;

	fprintf(stderr, "kfuzz6: %s after %u units quotes no packet sent:", t,
		nunits);
	for (i = 0; i < n && i < DIFF_KEYLEN + 16; i++)
		fprintf(stderr, "%s%02x", i % 4 ? "" : " ", q[i]);
	fputc('\n', stderr);
}

static void icmp_token(const uint8_t *m, size_t n, char *t, size_t tl,
		       int *unit)
{
	uint8_t type = m[0], code = m[1];

	if (type < 128) {
		if (type == 4 && n >= 8)
			snprintf(t, tl, "err%u/%u@%u", type, code,
				 (m[4] << 24 | m[5] << 16 | m[6] << 8 | m[7]));
		else
			snprintf(t, tl, "err%u/%u", type, code);
		if (n > 8 + 40)
			*unit = quoted_unit(m + 8, n - 8);
		if (n > 8 + 40 && *unit < 0)
			quote_unknown(t, m + 8, n - 8);
		return;
	}
	switch (type) {
	case 129:
		snprintf(t, tl, "echo-reply");
		break;
	case 133:
		snprintf(t, tl, "rs");
		break;
	case 135:
		snprintf(t, tl, "ns");
		break;
	case 136:
		snprintf(t, tl, "na-%s%s%s", n > 4 && m[4] & 0x80 ? "R" : "",
			 n > 4 && m[4] & 0x40 ? "S" : "",
			 n > 4 && m[4] & 0x20 ? "O" : "");
		break;
	case 137:
		snprintf(t, tl, "redirect");
		break;
	case 130: case 131: case 132: case 143:
		snprintf(t, tl, "mld");
		break;
	default:
		snprintf(t, tl, "icmp%u", type);
	}
}

/* The token of frame f (n bytes); *unit: the unit it answers, if known. */
static void frame_token(const uint8_t *f, size_t n, char *t, size_t tl,
			int *unit)
{
	size_t off = 40, hl;
	uint8_t nh;
	int hops = 0;

	if (n < FZ_ETH_LEN + 40 || f[12] != 0x86 || f[13] != 0xdd) {
		snprintf(t, tl, "eth-%02x%02x", n > 13 ? f[12] : 0,
			 n > 13 ? f[13] : 0);
		return;
	}
	f += FZ_ETH_LEN;
	n -= FZ_ETH_LEN;
	nh = f[6];
	while ((nh == 0 || nh == 43 || nh == 44 || nh == 60) &&
	       off + 8 <= n && hops++ < 8) {
		if (nh == 44 && (f[off + 2] << 8 | (f[off + 3] & 0xf8))) {
			t[0] = 0;	/* a fragment after the first */
			return;
		}
		hl = nh == 44 ? 8 : 8 + f[off + 1] * 8;
		nh = f[off];
		off += hl;
	}
	if (nh == 58 && off + 4 <= n)
		icmp_token(f + off, n - off, t, tl, unit);
	else if (nh == 17 && off + 8 <= n)
		snprintf(t, tl, "udp%u", f[off] << 8 | f[off + 1]);
	else
		snprintf(t, tl, "nh%u", nh);
}

/* The CHAIN of the IPv6 packet p (n bytes) into s. */
/*
 * Padding Linux refuses in the options header h (hl bytes, n of them in
 * the packet): a PadN whose data is not all zero, or more than 7 bytes of
 * padding in a row (RFC 4942 2.1.9.5). 1 when the header has some before
 * any option that calls for an error (type 10xxxxxx or 11xxxxxx), -1 when
 * such an option comes first (Linux answers it before it sees more), 0
 * when neither.
 */
static int pad_refused(const uint8_t *h, size_t hl, size_t n)
{
	size_t i = 2, j, run = 0, end = hl < n ? hl : n;

	while (i < end) {
		if (h[i] & 0x80)
			return -1;
		if (h[i] == 0) {			/* Pad1 */
			run++;
			i++;
		} else if (i + 1 >= end) {
			break;
		} else if (h[i] == 1) {			/* PadN */
			for (j = i + 2; j < i + 2 + h[i + 1] && j < end; j++)
				if (h[j])
					return 1;
			run += 2 + h[i + 1];
			i += 2 + h[i + 1];
		} else {
			run = 0;
			i += 2 + h[i + 1];
		}
		if (run > 7)
			return 1;
	}
	return 0;
}

static void chain_of(const uint8_t *p, size_t n, char *s, size_t sl)
{
	size_t off = 40, l = 0, hl;
	uint8_t nh = n >= 40 ? p[6] : 255;
	int hops = 0, pad = 0;

	s[0] = 0;
	while ((nh == 0 || nh == 43 || nh == 44 || nh == 60) &&
	       off + 8 <= n && hops++ < 10 && l + 8 < sl) {
		hl = nh == 44 ? 8 : 8 + p[off + 1] * 8;
		if (nh == 43)
			l += snprintf(s + l, sl - l, "R%u-", p[off + 2]);
		else if (nh == 44 && (p[off + 2] << 8 | (p[off + 3] & 0xf8)))
			l += snprintf(s + l, sl - l, "F+-");
		else
			l += snprintf(s + l, sl - l, "%s-",
				      nh == 0 ? "H" : nh == 60 ? "D" : "F");
		if ((nh == 0 || nh == 60) && !pad)
			pad = pad_refused(p + off, hl, n - off);
		nh = p[off];
		off += hl;
	}
	if (l + 4 < sl)
		l += snprintf(s + l, sl - l, "%u", nh);
	if (pad > 0 && l + 5 < sl)
		snprintf(s + l, sl - l, "~pad");
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000;
}

/* The unit a probe's echo f (n bytes) names, or -1 if f is not one. */
static long probe_reply(const uint8_t *f, size_t n)
{
	const uint8_t *m = f + FZ_ETH_LEN + 40;

	if (n < FZ_ETH_LEN + 40 + 8 + sizeof(probe_magic) + 4 ||
	    f[12] != 0x86 || f[13] != 0xdd || f[FZ_ETH_LEN + 6] != 17 ||
	    (m[0] << 8 | m[1]) != cfg->udp_echo ||
	    (m[2] << 8 | m[3]) != DIFF_PROBE_PORT ||
	    memcmp(m + 8, probe_magic, sizeof(probe_magic)))
		return -1;
	m += 8 + sizeof(probe_magic);
	return (long)((uint32_t)m[0] << 24 | m[1] << 16 | m[2] << 8 | m[3]);
}

/*
 * The probe that follows unit u: a datagram from the peer's global
 * address to the host's UDP echo server, which answers in the order it
 * reads (after the unit's own datagrams, if it had any).
 */
static void send_probe(unsigned int u, void (*send_one)(const struct fz_pkt *))
{
	static struct fz_pkt pk;
	size_t dlen = sizeof(probe_magic) + 4;
	uint8_t ip[128], *h;
	struct fz_b b;

	fz_b_init(&b, ip, sizeof(ip));
	fz_b_ip6(&b, &cfg->src, &cfg->dst, 64);
	fz_b_udp(&b, DIFF_PROBE_PORT, cfg->udp_echo, 8 + dlen);
	memcpy(fz_b_put(&b, sizeof(probe_magic)), probe_magic,
	       sizeof(probe_magic));
	h = fz_b_put(&b, 4);
	h[0] = u >> 24;
	h[1] = u >> 16;
	h[2] = u >> 8;
	h[3] = u;
	fz_b_plen(&b);
	fz_b_csum(&b, 40, 17, 6, 0);
	fz_frame(&pk, cfg->dmac, cfg->smac, &b);
	pk.cls = FZ_NCLASS;	/* not counted as sent */
	send_one(&pk);
}

/*
 * Is group g (16 bytes) one the host is a member of whatever it runs: the
 * all-nodes groups (interface- and link-local) and the solicited-node
 * groups of its two addresses?
 */
static bool joined(const uint8_t *g)
{
	static const uint8_t sn[13] = { 0xff, 0x02, 0, 0, 0, 0, 0, 0,
					0, 0, 0, 1, 0xff };
	const uint8_t *a = cfg->dst.s6_addr, *ll = cfg->dst_ll.s6_addr;
	unsigned int i;

	if ((g[1] == 0x01 || g[1] == 0x02) && g[15] == 1) {
		for (i = 2; i < 15 && !g[i]; i++)
			;
		if (i == 15)
			return true;		/* ff01::1, ff02::1 */
	}
	return !memcmp(g, sn, 13) &&
	       (!memcmp(g + 13, a + 13, 3) || !memcmp(g + 13, ll + 13, 3));
}

/*
 * Read frames, charging each to the unit it quotes or to cur: with a
 * probe (probe >= 0), up to its reply (DIFF_PROBE_MS at most), then until
 * quiet for gap ms (at most 4 gaps).
 */
static void collect(unsigned int cur, unsigned int gap, long probe)
{
	static uint8_t f[65536];
	struct pollfd p = { .fd = rxfd, .events = POLLIN };
	long now = now_ms(), end = now + (probe >= 0 ? DIFF_PROBE_MS : 4 * gap);
	int wait = probe >= 0;
	char t[64];

	while (now < end && poll(&p, 1, wait ? end - now : (long)gap) > 0) {
		ssize_t n = recv(rxfd, f, sizeof(f), 0);
		int unit = -1;
		long pu;

		now = now_ms();
		if (n <= 0)
			continue;
		pu = probe_reply(f, n);
		if (pu >= 0) {
			if (wait && pu == probe) {
				wait = 0;
				end = now + 4 * gap;
			}
			continue;
		}
		frame_token(f, n, t, sizeof(t), &unit);
		if (t[0])
			add_token(&units[unit >= 0 ? (unsigned int)unit : cur], t);
	}
	if (wait) {
		probes_lost++;
		collect(cur, gap, -1);
	}
}

/*
 * Send the unit pk[0..n) (index idx) with send_one, then record what
 * comes back.
 */
void fz_diff_unit(const struct fz_pkt *pk, unsigned int n, uint64_t idx,
		  unsigned int gap, void (*send_one)(const struct fz_pkt *))
{
	uint32_t ids[DIFF_MAXIDS];
	struct diff_unit *u;
	unsigned int i, j, k;

	if (nunits == capunits)
		units = grow(units, &capunits, sizeof(*units));
	u = &units[nunits];
	memset(u, 0, sizeof(*u));
	u->idx = idx;
	u->cls = pk[0].cls;
	u->what = pk[0].what;
	u->nseq = pk[0].nseq;
	if (pk[0].len < FZ_ETH_LEN + 40)
		u->dst = "other";
	else if (pk[0].f[FZ_ETH_LEN + 24] == 0xff)
		u->dst = joined(pk[0].f + FZ_ETH_LEN + 24) ? "mcast" : "nomember";
	else if (!memcmp(pk[0].f + FZ_ETH_LEN + 24, &cfg->dst, 16) ||
		 !memcmp(pk[0].f + FZ_ETH_LEN + 24, &cfg->dst_ll, 16))
		u->dst = "self";
	else
		u->dst = "other";
	chain_of(pk[0].f + FZ_ETH_LEN, pk[0].len - FZ_ETH_LEN, u->chain,
		 sizeof(u->chain));
	for (i = 0; i < n; i++) {
		size_t l = pk[i].len - FZ_ETH_LEN;

		if (nkeys == capkeys)
			keys = grow(keys, &capkeys, sizeof(*keys));
		keys[nkeys].h = hash_bytes(pk[i].f + FZ_ETH_LEN,
					   l < DIFF_KEYLEN ? l : DIFF_KEYLEN);
		keys[nkeys++].unit = nunits;
		k = frag_ids(pk[i].f + FZ_ETH_LEN, l, ids);
		for (j = 0; j < k; j++) {
			if (nidkeys == capidkeys)
				idkeys = grow(idkeys, &capidkeys, sizeof(*idkeys));
			idkeys[nidkeys].h = ids[j];
			idkeys[nidkeys++].unit = nunits;
		}
		send_one(&pk[i]);
	}
	nunits++;
	send_probe(nunits - 1, send_one);
	collect(nunits - 1, gap, nunits - 1);
}

/* Wait tail ms for late answers, then print every unit. */
void fz_diff_finish(unsigned int tail, const char *const *class_name)
{
	unsigned int i;

	if (nunits) {
		long end = now_ms() + tail;

		while (now_ms() < end)
			collect(nunits - 1, 100, -1);
	}
	if (probes_lost)
		printf("kfuzz6: %u probes unanswered\n", probes_lost);
	for (i = 0; i < nunits; i++)
		printf("%llu %s %s %u %s %s |%s\n",
		       (unsigned long long)units[i].idx,
		       class_name[units[i].cls], units[i].what, units[i].nseq,
		       units[i].dst, units[i].chain, units[i].tok);
}
