// SPDX-License-Identifier: GPL-2.0
/*
 * kfuzz6: malformed IPv6 frames for the KAME host, at full speed, from the
 * native side of a veth (selftests/fuzz/fuzz.sh):
 *
 *   kfuzz6 IF SRCMAC DSTMAC SRC DST SRC_LL DST_LL [options]
 *
 * IF, SRCMAC: the sending interface and the frames' source MAC; DSTMAC,
 * DST, DST_LL: the KAME host's MAC, global and link-local addresses; SRC,
 * SRC_LL: the native host's. Options:
 *   --seed S        64-bit seed (default 1)
 *   --start I       first packet index (default 0)
 *   --count N       number of packets (default 1000)
 *   --dump          print the packets, one per line, instead of sending:
 *                   "INDEX CLASS VARIANT SEQ/NSEQ LEN HEX" (HEX: the frame)
 *   --pcap FILE     write them to a pcap file instead of sending
 *   --lladdr MAC    the link-layer address ND options give for the native
 *                   host's addresses (default SRCMAC)
 *   --land PCT      % of plausible sources that are the KAME host's own
 *                   addresses (default 0: its answers then never loop)
 *   --udp E,S       UDP ports with a socket on the KAME host (echo, sink)
 *   --conn L:R      a UDP socket of the KAME host connected from port L
 *                   to SRC port R (ICMPv6 errors quote its datagrams)
 *   --raw PROTO     next header of a raw socket on the KAME host
 *   --classes LIST  only these classes (comma-separated names below);
 *                   this changes the packets a seed gives
 *   --diff GAP      send one packet (or fragment sequence) at a time and
 *                   record what the host answers up to the echo reply to a
 *                   probe sent after it, and GAP ms of quiet (kfuzz6_diff.c);
 *                   prints one line per packet at the end. Fragment ids
 *                   are made unique per sequence (XORed with a hash of its
 *                   index), so that the packets differ from those without
 *                   --diff where they carry a fragment header
 *   --diff-tail MS  then wait MS for late answers (default 3000)
 *   --encap4 S4,D4  every packet inside IPv4 from S4 to D4 (a gif's
 *                   outer addresses; DSTMAC the gif host's), as IPv6 in
 *                   IPv4 (protocol 41) or, for some, with the outer TOS
 *                   random, protocol 4, or the inner version nibble
 *                   random (fz_frame4())
 *   --encap6 S6,D6  the same inside IPv6 (next header 41, or 4, or the
 *                   inner version random; fz_frame6())
 *
 * Packet i is a pure function of the arguments and i (see FZ_BLOCK): run
 * again with --start I --count 1 to have packet I alone, or with the range
 * of its block ("seq" > 1 in --dump: a fragment sequence) to have its
 * sequence whole. The classes: ip6hdr (header fields, addresses), exthdr
 * (extension header chains and options), frag (fragment sequences), icmp6,
 * nd (neighbor discovery), udp, raw (other next headers).
 *
 * Prints one line at the end:
 *   kfuzz6: seed S start I count N sent N host N other N failed N
 *           ip6hdr N exthdr N frag N icmp6 N nd N udp N raw N ms N pps N
 * "host": frames sent to DSTMAC or a group MAC (those the KAME host takes
 * in: it counts each in ip6s_total), "other": to another unicast MAC
 * (ip6s_otherhost), "failed": sends the kernel refused.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netpacket/packet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "kfuzz6.h"

static const char *const class_name[FZ_NCLASS] = {
	"ip6hdr", "exthdr", "frag", "icmp6", "nd", "udp", "raw",
};

/* Relative weights of the classes (a frag draw makes a whole sequence). */
static unsigned int class_weight[FZ_NCLASS] = { 12, 22, 9, 16, 14, 16, 11 };

static unsigned int (*const class_gen[FZ_NCLASS])(struct fz_gen *g) = {
	fz_gen_ip6hdr, fz_gen_exthdr, fz_gen_frag, fz_gen_icmp6, fz_gen_nd,
	fz_gen_udp, fz_gen_raw,
};

/* ---- random numbers ---- */

static uint64_t splitmix(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void rng_seed(struct fz_rng *r, uint64_t seed, uint64_t blk)
{
	uint64_t x = seed ^ 0x6a09e667f3bcc909ULL, y = blk;
	int i;

	x ^= splitmix(&y);
	for (i = 0; i < 4; i++)
		r->s[i] = splitmix(&x);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t fz_next(struct fz_rng *r)
{
	uint64_t *s = r->s, res = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return res;
}

/* uniform in [0, n), n > 0 */
uint32_t fz_below(struct fz_rng *r, uint32_t n)
{
	return (uint32_t)(((fz_next(r) >> 32) * n) >> 32);
}

int fz_pct(struct fz_rng *r, unsigned int pct)
{
	return fz_below(r, 100) < pct;
}

void fz_bytes(struct fz_rng *r, void *p, size_t n)
{
	uint8_t *d = p;

	while (n) {
		uint64_t v = fz_next(r);
		size_t k = n < 8 ? n : 8;

		memcpy(d, &v, k);
		d += k;
		n -= k;
	}
}

/* ---- packet building ---- */

static void too_big(void)
{
	fprintf(stderr, "kfuzz6: internal error: packet buffer overflow\n");
	abort();
}

void fz_b_init(struct fz_b *b, uint8_t *p, size_t cap)
{
	b->p = p;
	b->len = 0;
	b->cap = cap;
	b->nhoff = 6;
}

void fz_b_ip6(struct fz_b *b, const struct in6_addr *s,
	      const struct in6_addr *d, uint8_t hlim)
{
	uint8_t *h = b->p;

	if (b->cap < 40)
		too_big();
	memset(h, 0, 40);
	h[0] = 0x60;
	h[6] = 59;
	h[7] = hlim;
	memcpy(h + 8, s, 16);
	memcpy(h + 24, d, 16);
	b->len = 40;
	b->nhoff = 6;
}

/* Append raw bytes (zeroed). */
uint8_t *fz_b_put(struct fz_b *b, size_t n)
{
	uint8_t *p = b->p + b->len;

	if (b->len + n > b->cap)
		too_big();
	memset(p, 0, n);
	b->len += n;
	return p;
}

/*
 * Append a header of type 'type' and n bytes: the previous header names it,
 * and its own first byte is the next next-header field.
 */
uint8_t *fz_b_push(struct fz_b *b, uint8_t type, size_t n)
{
	size_t off = b->len;
	uint8_t *p = fz_b_put(b, n);

	b->p[b->nhoff] = type;
	if (n)
		p[0] = 59;
	b->nhoff = off;
	return p;
}

/* A UDP header from sport to dport, its length field ulen, checksum 0. */
uint8_t *fz_b_udp(struct fz_b *b, uint16_t sport, uint16_t dport,
		  uint16_t ulen)
{
	uint8_t *h = fz_b_push(b, 17, 8);

	h[0] = sport >> 8;
	h[1] = sport;
	h[2] = dport >> 8;
	h[3] = dport;
	h[4] = ulen >> 8;
	h[5] = ulen;
	return h;
}

void fz_b_plen(struct fz_b *b)
{
	size_t plen = b->len - 40;

	b->p[4] = plen >> 8;
	b->p[5] = plen;
}

const struct in6_addr *fz_b_src(const struct fz_b *b)
{
	return (const struct in6_addr *)(b->p + 8);
}

const struct in6_addr *fz_b_dst(const struct fz_b *b)
{
	return (const struct in6_addr *)(b->p + 24);
}

static uint32_t sum16(const uint8_t *p, size_t n, uint32_t s)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += (p[i] << 8) | p[i + 1];
	if (n & 1)
		s += p[n - 1] << 8;
	return s;
}

/*
 * The upper-layer checksum of bytes [off, len) at off + csoff, with the
 * pseudo-header of the packet's addresses; bad (non-zero) is XORed in.
 */
void fz_b_csum(struct fz_b *b, size_t off, uint8_t proto, size_t csoff,
	       int bad)
{
	size_t n = b->len - off;
	uint8_t *c = b->p + off + csoff;
	uint32_t s;

	if (off + csoff + 2 > b->len)
		return;
	c[0] = c[1] = 0;
	s = sum16(b->p + 8, 32, 0);
	s += (uint32_t)(n >> 16) + (n & 0xffff) + proto;
	s = sum16(b->p + off, n, s);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	s = ~s & 0xffff;
	if (!s && proto == IPPROTO_UDP)
		s = 0xffff;
	s ^= bad & 0xffff;
	c[0] = s >> 8;
	c[1] = s;
}

/* ---- addresses ---- */

void fz_rand_mac(struct fz_gen *g, uint8_t *m)
{
	fz_bytes(g->r, m, 6);
	m[0] = (m[0] & 0xfc) | 0x02;	/* local unicast */
}

int fz_is_native(const struct fz_cfg *c, const struct in6_addr *a)
{
	return !memcmp(a, &c->src, 16) || !memcmp(a, &c->src_ll, 16);
}

/* A random address of the native host's /64, neither host's. */
void fz_rand_onlink(struct fz_gen *g, struct in6_addr *a)
{
	*a = g->cfg->src;
	fz_bytes(g->r, &a->s6_addr[8], 8);
	a->s6_addr[8] &= ~0x02;		/* no collision with an EUI-64 */
}

void fz_solnode(struct in6_addr *a, const struct in6_addr *t)
{
	memset(a, 0, sizeof(*a));
	a->s6_addr[0] = 0xff;
	a->s6_addr[1] = 0x02;
	a->s6_addr[11] = 1;
	a->s6_addr[12] = 0xff;
	memcpy(&a->s6_addr[13], &t->s6_addr[13], 3);
}

/* A source a host on the link could use. */
void fz_pick_src(struct fz_gen *g, struct in6_addr *a)
{
	const struct fz_cfg *c = g->cfg;
	uint32_t u = fz_below(g->r, 100);

	if (u < c->land) {
		*a = fz_pct(g->r, 70) ? c->dst : c->dst_ll;
		return;
	}
	u = fz_below(g->r, 100);
	if (u < 50) {
		*a = c->src;
	} else if (u < 65) {
		*a = c->src_ll;
	} else if (u < 82) {
		fz_rand_onlink(g, a);
	} else if (u < 90) {
		memset(a, 0, sizeof(*a));
		a->s6_addr[0] = 0xfe;
		a->s6_addr[1] = 0x80;
		fz_bytes(g->r, &a->s6_addr[8], 8);
	} else {	/* off-link */
		*a = c->src;
		a->s6_addr[4] = 0xff;
		fz_bytes(g->r, &a->s6_addr[5], 11);
	}
}

/* A destination of the KAME host, or one of its link. */
void fz_pick_dst(struct fz_gen *g, struct in6_addr *a)
{
	const struct fz_cfg *c = g->cfg;
	uint32_t u = fz_below(g->r, 100);

	if (u < 66) {
		*a = c->dst;
	} else if (u < 81) {
		*a = c->dst_ll;
	} else if (u < 89) {
		inet_pton(AF_INET6, "ff02::1", a);
	} else if (u < 94) {
		fz_solnode(a, fz_pct(g->r, 50) ? &c->dst : &c->dst_ll);
	} else if (u < 97) {
		static const char *const grp[] = {
			"ff02::2", "ff02::fb", "ff05::1:3", "ff02::16",
		};

		inet_pton(AF_INET6, grp[fz_below(g->r, 4)], a);
	} else {
		fz_rand_onlink(g, a);
	}
}

/* ---- frames ---- */

static void l2_dst(struct fz_gen *g, const struct fz_b *b, uint8_t *m)
{
	uint32_t u = fz_below(g->r, 1000);

	if (b->len >= 40 && b->p[24] == 0xff) {
		m[0] = m[1] = 0x33;
		memcpy(m + 2, b->p + 36, 4);
	} else {
		memcpy(m, g->cfg->dmac, 6);
	}
	if (u < 15) {		/* another host's */
		fz_rand_mac(g, m);
		if (!memcmp(m, g->cfg->dmac, 6))
			m[5] ^= 1;
	} else if (u < 20) {
		memset(m, 0xff, 6);
	} else if (u < 25) {	/* a group nobody asked for */
		m[0] = m[1] = 0x33;
		fz_bytes(g->r, m + 2, 4);
	} else if (u < 30) {
		fz_bytes(g->r, m, 6);
	}
}

/* The frame of packet b (at most FZ_MTU bytes of it) from smac to dmac. */
void fz_frame(struct fz_pkt *pk, const uint8_t *dmac, const uint8_t *smac,
	      const struct fz_b *b)
{
	size_t n = b->len < FZ_MTU ? b->len : FZ_MTU;

	memcpy(pk->f, dmac, 6);
	memcpy(pk->f + 6, smac, 6);
	pk->f[12] = 0x86;
	pk->f[13] = 0xdd;
	memcpy(pk->f + FZ_ETH_LEN, b->p, n);
	pk->len = FZ_ETH_LEN + n;
}

static uint16_t ip4_csum(const uint8_t *p, size_t n)
{
	uint32_t s = 0;
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += p[i] << 8 | p[i + 1];
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return ~s & 0xffff;
}

/*
 * The frame of packet b inside IPv4 to a gif (--encap4), its outer header
 * drawn from a hash of the packet's index (the IPv6 stream stays that of
 * the seed): 70% IPv6 in IPv4 as a tunnel sends it, 12% with a random
 * TOS (ECN marks among them), 8% as protocol 4 (not what is inside), 10%
 * with a random version nibble inside. At most FZ_MTU bytes in all.
 */
static void fz_frame4(struct fz_pkt *pk, const struct fz_cfg *c,
		      const struct fz_b *b, uint64_t idx)
{
	uint64_t h = (c->seed ^ idx) * 0x9e3779b97f4a7c15ULL;
	size_t n = b->len < FZ_MTU - 20 ? b->len : FZ_MTU - 20;
	uint8_t *ip = pk->f + FZ_ETH_LEN;
	unsigned int u;
	uint16_t cs;

	h ^= h >> 31;
	u = h % 100;
	memcpy(pk->f, c->dmac, 6);
	memcpy(pk->f + 6, c->smac, 6);
	pk->f[12] = 0x08;
	pk->f[13] = 0x00;
	memset(ip, 0, 20);
	ip[0] = 0x45;
	ip[1] = u >= 70 && u < 82 ? (h >> 8) & 0xff : 0;
	ip[2] = (20 + n) >> 8;
	ip[3] = (20 + n) & 0xff;
	ip[4] = h >> 16;
	ip[5] = h >> 24;
	ip[8] = 64;
	ip[9] = u >= 82 && u < 90 ? 4 : 41;
	memcpy(ip + 12, &c->src4, 4);
	memcpy(ip + 16, &c->dst4, 4);
	cs = ip4_csum(ip, 20);
	ip[10] = cs >> 8;
	ip[11] = cs & 0xff;
	memcpy(ip + 20, b->p, n);
	if (u >= 90 && n)
		ip[20] = (ip[20] & 0x0f) | ((h >> 32) & 0xf0);
	pk->len = FZ_ETH_LEN + 20 + n;
}

/*
 * The frame of packet b inside IPv6 to a gif (--encap6), drawn as in
 * fz_frame4(): 70% as a tunnel sends it, 12% with a random traffic
 * class, 8% as next header 4, 10% with a random inner version nibble.
 */
static void fz_frame6(struct fz_pkt *pk, const struct fz_cfg *c,
		      const struct fz_b *b, uint64_t idx)
{
	uint64_t h = (c->seed ^ idx) * 0x9e3779b97f4a7c15ULL;
	size_t n = b->len < FZ_MTU - 40 ? b->len : FZ_MTU - 40;
	uint8_t *ip = pk->f + FZ_ETH_LEN, tc;
	unsigned int u;

	h ^= h >> 31;
	u = h % 100;
	tc = u >= 70 && u < 82 ? (h >> 8) & 0xff : 0;
	memcpy(pk->f, c->dmac, 6);
	memcpy(pk->f + 6, c->smac, 6);
	pk->f[12] = 0x86;
	pk->f[13] = 0xdd;
	memset(ip, 0, 40);
	ip[0] = 0x60 | tc >> 4;
	ip[1] = (tc & 0x0f) << 4;
	ip[4] = n >> 8;
	ip[5] = n & 0xff;
	ip[6] = u >= 82 && u < 90 ? 4 : 41;
	ip[7] = 64;
	memcpy(ip + 8, &c->src6, 16);
	memcpy(ip + 24, &c->dst6, 16);
	memcpy(ip + 40, b->p, n);
	if (u >= 90 && n)
		ip[40] = (ip[40] & 0x0f) | ((h >> 32) & 0xf0);
	pk->len = FZ_ETH_LEN + 40 + n;
}

/* The packet b as the next frame. */
void fz_emit(struct fz_gen *g, const struct fz_b *b, const char *what)
{
	struct fz_pkt *pk;
	uint8_t dmac[6];

	if (g->n >= g->room)
		return;
	pk = g->out + g->n;
	l2_dst(g, b, dmac);
	if (g->cfg->encap4)
		fz_frame4(pk, g->cfg, b, g->idx + g->n);
	else if (g->cfg->encap6)
		fz_frame6(pk, g->cfg, b, g->idx + g->n);
	else
		fz_frame(pk, dmac, g->cfg->smac, b);
	pk->cls = g->cls;
	pk->what = what;
	pk->seq = g->n;
	g->n++;
}

static uint8_t pick_class(struct fz_rng *r)
{
	unsigned int total = 0, u, i;

	for (i = 0; i < FZ_NCLASS; i++)
		total += class_weight[i];
	u = fz_below(r, total);
	for (i = 0; i < FZ_NCLASS - 1; i++) {
		if (u < class_weight[i])
			break;
		u -= class_weight[i];
	}
	return i;
}

static void gen_block(const struct fz_cfg *cfg, uint64_t blk,
		      struct fz_pkt *pk)
{
	struct fz_rng r;
	struct fz_gen g = { .cfg = cfg, .r = &r };
	unsigned int done = 0, n, i;

	rng_seed(&r, cfg->seed, blk);
	while (done < FZ_BLOCK) {
		g.out = pk + done;
		g.room = FZ_BLOCK - done;
		g.n = 0;
		g.idx = blk * FZ_BLOCK + done;
		g.cls = pick_class(&r);
		n = class_gen[g.cls](&g);
		if (!n || n != g.n || n > g.room) {
			fprintf(stderr, "kfuzz6: class %s made %u of %u\n",
				class_name[g.cls], n, g.n);
			abort();
		}
		for (i = 0; i < n; i++)
			g.out[i].nseq = n;
		done += n;
	}
}

/* ---- output ---- */

struct out {
	int fd;			/* AF_PACKET socket, or -1 */
	FILE *pcap;
	int dump;
	unsigned int diff, diff_tail;
	struct sockaddr_ll sll;
	struct mmsghdr msg[FZ_BLOCK];
	struct iovec iov[FZ_BLOCK];
	unsigned long sent, host, other, failed, cls[FZ_NCLASS];
};

static int to_host(const struct fz_cfg *c, const struct fz_pkt *p)
{
	return (p->f[0] & 1) || !memcmp(p->f, c->dmac, 6);
}

static void count(struct out *o, const struct fz_cfg *c,
		  const struct fz_pkt *p)
{
	if (p->cls >= FZ_NCLASS)	/* a --diff probe */
		return;
	o->sent++;
	o->cls[p->cls]++;
	if (to_host(c, p))
		o->host++;
	else
		o->other++;
}

static void dump_pkt(const struct fz_pkt *p, uint64_t idx)
{
	int i;

	printf("%llu %s %s %u/%u %u ", (unsigned long long)idx,
	       class_name[p->cls], p->what, p->seq, p->nseq, p->len);
	for (i = 0; i < p->len; i++)
		printf("%02x", p->f[i]);
	putchar('\n');
}

static void pcap_pkt(FILE *f, const struct fz_pkt *p, uint64_t idx)
{
	uint32_t h[4] = { (uint32_t)(idx / 1000000), (uint32_t)(idx % 1000000),
			  p->len, p->len };

	fwrite(h, sizeof(h), 1, f);
	fwrite(p->f, p->len, 1, f);
}

/* Send pk[0..n) in batches; a refused frame is counted and skipped. */
static void send_pkts(struct out *o, const struct fz_cfg *c,
		      const struct fz_pkt *pk, unsigned int n)
{
	unsigned int i, k = 0;
	int r;

	for (i = 0; i < n; i++) {
		o->iov[i].iov_base = (void *)pk[i].f;
		o->iov[i].iov_len = pk[i].len;
		memset(&o->msg[i], 0, sizeof(o->msg[i]));
		o->msg[i].msg_hdr.msg_iov = &o->iov[i];
		o->msg[i].msg_hdr.msg_iovlen = 1;
		o->msg[i].msg_hdr.msg_name = &o->sll;
		o->msg[i].msg_hdr.msg_namelen = sizeof(o->sll);
	}
	while (k < n) {
		r = sendmmsg(o->fd, o->msg + k, n - k, 0);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno != ENOBUFS && errno != EAGAIN &&
			    errno != EMSGSIZE) {
				perror("kfuzz6: sendmmsg");
				exit(2);
			}
			o->failed++;
			k++;
			continue;
		}
		for (i = k; i < k + r; i++)
			count(o, c, &pk[i]);
		k += r;
	}
}

static struct out *diff_out;
static const struct fz_cfg *diff_cfg;

static void diff_send_one(const struct fz_pkt *p)
{
	send_pkts(diff_out, diff_cfg, p, 1);
}

/* --diff: pk[0..n), packet index i0, one unit (a sequence) at a time */
static void diff_pkts(struct out *o, const struct fz_cfg *c,
		      const struct fz_pkt *pk, unsigned int n, uint64_t i0)
{
	unsigned int j = 0, k;

	diff_out = o;
	diff_cfg = c;
	while (j < n) {
		k = pk[j].nseq - pk[j].seq;
		if (k > n - j)
			k = n - j;
		fz_diff_unit(pk + j, k, i0 + j, o->diff, diff_send_one);
		j += k;
	}
}

static void run(struct out *o, const struct fz_cfg *c, uint64_t start,
		uint64_t cnt)
{
	static struct fz_pkt pk[FZ_BLOCK];
	uint64_t i = start, end = start + cnt;

	while (i < end) {
		uint64_t blk = i / FZ_BLOCK, first = i % FZ_BLOCK;
		uint64_t n = FZ_BLOCK - first, j;

		if (n > end - i)
			n = end - i;
		gen_block(c, blk, pk);
		if (o->fd >= 0 && o->diff) {
			diff_pkts(o, c, pk + first, n, i);
		} else if (o->fd >= 0) {
			send_pkts(o, c, pk + first, n);
		} else {
			for (j = 0; j < n; j++) {
				if (o->dump)
					dump_pkt(&pk[first + j], i + j);
				if (o->pcap)
					pcap_pkt(o->pcap, &pk[first + j], i + j);
				count(o, c, &pk[first + j]);
			}
		}
		i += n;
	}
}

/* ---- arguments ---- */

static void bad_args(void)
{
	fprintf(stderr,
		"usage: kfuzz6 IF SRCMAC DSTMAC SRC DST SRC_LL DST_LL [--seed S] [--start I]\n"
		"              [--count N] [--dump] [--pcap FILE] [--lladdr MAC] [--land PCT]\n"
		"              [--udp ECHO,SINK] [--conn LPORT:RPORT] [--raw PROTO]\n"
		"              [--classes ip6hdr,exthdr,frag,icmp6,nd,udp,raw]\n"
		"              [--diff GAP_MS [--diff-tail MS]] [--encap4 SRC4,DST4]\n"
		"              [--encap6 SRC6,DST6]\n");
	exit(2);
}

static void parse_mac(const char *s, uint8_t *m)
{
	unsigned int o[6];
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &o[0], &o[1], &o[2], &o[3], &o[4],
		   &o[5]) != 6) {
		fprintf(stderr, "kfuzz6: bad MAC %s\n", s);
		exit(2);
	}
	for (i = 0; i < 6; i++)
		m[i] = o[i];
}

static void parse_ip(const char *s, struct in6_addr *a)
{
	if (inet_pton(AF_INET6, s, a) != 1) {
		fprintf(stderr, "kfuzz6: bad address %s\n", s);
		exit(2);
	}
}

static void parse_classes(char *s)
{
	char *t, *save = NULL;
	unsigned int w[FZ_NCLASS] = { 0 }, i, any = 0;

	for (t = strtok_r(s, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < FZ_NCLASS; i++)
			if (!strcmp(t, class_name[i]))
				break;
		if (i == FZ_NCLASS) {
			fprintf(stderr, "kfuzz6: unknown class %s\n", t);
			exit(2);
		}
		w[i] = class_weight[i];
		any = 1;
	}
	if (!any)
		bad_args();
	memcpy(class_weight, w, sizeof(w));
}

static void parse_encap4(const char *v, struct fz_cfg *c)
{
	char s4[32], d4[32];

	if (sscanf(v, "%31[^,],%31s", s4, d4) != 2 ||
	    inet_pton(AF_INET, s4, &c->src4) != 1 ||
	    inet_pton(AF_INET, d4, &c->dst4) != 1) {
		fprintf(stderr, "Error: --encap4 wants SRC4,DST4, not %s\n", v);
		exit(1);
	}
	c->encap4 = 1;
}

static void parse_encap6(const char *v, struct fz_cfg *c)
{
	char s6[64], d6[64];

	if (sscanf(v, "%63[^,],%63s", s6, d6) != 2 ||
	    inet_pton(AF_INET6, s6, &c->src6) != 1 ||
	    inet_pton(AF_INET6, d6, &c->dst6) != 1) {
		fprintf(stderr, "Error: --encap6 wants SRC6,DST6, not %s\n", v);
		exit(1);
	}
	c->encap6 = 1;
}

struct opts {
	uint64_t start, count;
	const char *pcap;
	int dump;
	unsigned int diff, diff_tail;
};

static void parse_opts(int argc, char **argv, struct fz_cfg *c,
		       struct opts *op)
{
	int i;

	for (i = 8; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--dump")) {
			op->dump = 1;
			continue;
		}
		if (!v)
			bad_args();
		i++;
		if (!strcmp(a, "--seed"))
			c->seed = strtoull(v, NULL, 0);
		else if (!strcmp(a, "--start"))
			op->start = strtoull(v, NULL, 0);
		else if (!strcmp(a, "--count"))
			op->count = strtoull(v, NULL, 0);
		else if (!strcmp(a, "--pcap"))
			op->pcap = v;
		else if (!strcmp(a, "--lladdr"))
			parse_mac(v, c->lladdr);
		else if (!strcmp(a, "--land"))
			c->land = atoi(v) > 100 ? 100 : atoi(v);
		else if (!strcmp(a, "--udp"))
			sscanf(v, "%hu,%hu", &c->udp_echo, &c->udp_sink);
		else if (!strcmp(a, "--conn"))
			sscanf(v, "%hu:%hu", &c->conn_lport, &c->conn_rport);
		else if (!strcmp(a, "--raw"))
			c->raw_proto = atoi(v);
		else if (!strcmp(a, "--classes"))
			parse_classes(argv[i]);
		else if (!strcmp(a, "--diff"))
			op->diff = atoi(v) > 0 ? atoi(v) : 1;
		else if (!strcmp(a, "--diff-tail"))
			op->diff_tail = atoi(v);
		else if (!strcmp(a, "--encap4"))
			parse_encap4(v, c);
		else if (!strcmp(a, "--encap6"))
			parse_encap6(v, c);
		else
			bad_args();
	}
	c->unit_ids = op->diff > 0;
}

static int open_out(struct out *o, const char *ifname)
{
	int sz = 4 << 20;

	o->fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (o->fd < 0) {
		perror("kfuzz6: socket");
		return -1;
	}
	setsockopt(o->fd, SOL_SOCKET, SO_SNDBUF, &sz, sizeof(sz));
	o->sll.sll_family = AF_PACKET;
	o->sll.sll_ifindex = if_nametoindex(ifname);
	o->sll.sll_halen = 6;
	if (!o->sll.sll_ifindex) {
		fprintf(stderr, "kfuzz6: no interface %s\n", ifname);
		return -1;
	}
	return 0;
}

static int open_pcap(struct out *o, const char *path)
{
	static const uint32_t hdr[6] = { 0xa1b2c3d4, 0x00040002, 0, 0, 65535, 1 };

	o->pcap = fopen(path, "w");
	if (!o->pcap) {
		perror(path);
		return -1;
	}
	fwrite(hdr, sizeof(hdr), 1, o->pcap);
	return 0;
}

static void summary(const struct out *o, const struct fz_cfg *c,
		    const struct opts *op, double secs)
{
	int i;

	printf("kfuzz6: seed %llu start %llu count %llu sent %lu host %lu other %lu failed %lu",
	       (unsigned long long)c->seed, (unsigned long long)op->start,
	       (unsigned long long)op->count, o->sent, o->host, o->other,
	       o->failed);
	for (i = 0; i < FZ_NCLASS; i++)
		printf(" %s %lu", class_name[i], o->cls[i]);
	printf(" ms %.0f pps %.0f\n", secs * 1000,
	       secs > 0 ? o->sent / secs : 0.0);
}

int main(int argc, char **argv)
{
	static struct out o = { .fd = -1 };
	struct fz_cfg c = { .seed = 1, .udp_echo = 7, .udp_sink = 9,
			    .raw_proto = 253 };
	struct opts op = { .count = 1000, .diff_tail = 3000 };
	struct timespec t0, t1;

	if (argc < 8)
		bad_args();
	parse_mac(argv[2], c.smac);
	parse_mac(argv[3], c.dmac);
	memcpy(c.lladdr, c.smac, 6);
	parse_ip(argv[4], &c.src);
	parse_ip(argv[5], &c.dst);
	parse_ip(argv[6], &c.src_ll);
	parse_ip(argv[7], &c.dst_ll);
	parse_opts(argc, argv, &c, &op);
	o.dump = op.dump;
	if (op.pcap && open_pcap(&o, op.pcap))
		return 2;
	if (!op.dump && !op.pcap && open_out(&o, argv[1]))
		return 2;
	/* --dump or --pcap with --diff: the packets of the differential run */
	o.diff = op.dump || op.pcap ? 0 : op.diff;
	if (o.diff && fz_diff_open(o.sll.sll_ifindex, &c))
		return 2;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	run(&o, &c, op.start, op.count);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (o.pcap)
		fclose(o.pcap);
	if (o.diff)
		fz_diff_finish(op.diff_tail, class_name);
	summary(&o, &c, &op, (t1.tv_sec - t0.tv_sec) +
		(t1.tv_nsec - t0.tv_nsec) / 1e9);
	return 0;
}
