/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kfuzz6: the parts shared by the driver (kfuzz6.c) and the packet
 * classes (kfuzz6_gen.c).
 */
#ifndef KFUZZ6_H
#define KFUZZ6_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#define FZ_ETH_LEN	14
#define FZ_MTU		1500
#define FZ_FRAME_MAX	(FZ_ETH_LEN + FZ_MTU)
/*
 * Packets are generated in blocks of FZ_BLOCK from (seed, block number):
 * packet i is entry i % FZ_BLOCK of block i / FZ_BLOCK, so that any packet
 * can be made again alone, and a fragment sequence (generated whole, inside
 * one block) stays the same whatever range is sent.
 */
#define FZ_BLOCK	128
#define FZ_DGRAM_MAX	(65536 + 2048)	/* an unfragmented datagram */

/* xoshiro256** seeded by splitmix64 */
struct fz_rng {
	uint64_t s[4];
};

enum fz_class {
	FZ_C_IP6HDR,
	FZ_C_EXTHDR,
	FZ_C_FRAG,
	FZ_C_ICMP6,
	FZ_C_ND,
	FZ_C_UDP,
	FZ_C_RAW,
	FZ_NCLASS
};

struct fz_cfg {
	uint8_t smac[6];		/* source of every frame */
	uint8_t dmac[6];		/* the KAME host's */
	uint8_t lladdr[6];		/* ND options for the native host's addresses */
	struct in6_addr src, src_ll;	/* the native host's addresses */
	struct in6_addr dst, dst_ll;	/* the KAME host's */
	uint64_t seed;
	unsigned int land;		/* % of sources that are the KAME host's */
	uint16_t udp_echo, udp_sink;	/* UDP ports with a socket */
	uint16_t conn_lport, conn_rport;	/* a connected UDP socket (or 0) */
	uint8_t raw_proto;		/* a raw socket's protocol */
	uint8_t unit_ids;		/* --diff: fragment ids unique per unit */
	uint8_t encap4;			/* --encap4: inside IPv4 to a gif */
	struct in_addr src4, dst4;	/* its outer addresses */
	uint8_t encap6;			/* --encap6: inside IPv6 to a gif */
	struct in6_addr src6, dst6;	/* its outer addresses */
};

/* One frame of a block. */
struct fz_pkt {
	uint8_t f[FZ_FRAME_MAX];
	uint16_t len;
	uint8_t cls;
	const char *what;	/* the variant, for --dump */
	uint16_t seq, nseq;	/* position in its sequence (fragments), 0 of 1 */
};

/* An IPv6 packet being built. */
struct fz_b {
	uint8_t *p;
	size_t len, cap;
	size_t nhoff;		/* the next-header byte the next header sets */
};

/* A class generator's view of the block. */
struct fz_gen {
	const struct fz_cfg *cfg;
	struct fz_rng *r;
	struct fz_pkt *out;	/* the next free entry */
	unsigned int room;	/* entries left in the block */
	unsigned int n;		/* entries this generator filled */
	uint8_t cls;
	uint64_t idx;		/* the index of the first packet it makes */
};

uint64_t fz_next(struct fz_rng *r);
uint32_t fz_below(struct fz_rng *r, uint32_t n);
int fz_pct(struct fz_rng *r, unsigned int pct);
void fz_bytes(struct fz_rng *r, void *p, size_t n);

void fz_b_init(struct fz_b *b, uint8_t *p, size_t cap);
void fz_b_ip6(struct fz_b *b, const struct in6_addr *s,
	      const struct in6_addr *d, uint8_t hlim);
uint8_t *fz_b_push(struct fz_b *b, uint8_t type, size_t n);
uint8_t *fz_b_put(struct fz_b *b, size_t n);
uint8_t *fz_b_udp(struct fz_b *b, uint16_t sport, uint16_t dport,
		  uint16_t ulen);
void fz_b_plen(struct fz_b *b);
void fz_b_csum(struct fz_b *b, size_t off, uint8_t proto, size_t csoff,
	       int bad);
const struct in6_addr *fz_b_src(const struct fz_b *b);
const struct in6_addr *fz_b_dst(const struct fz_b *b);

void fz_pick_src(struct fz_gen *g, struct in6_addr *a);
void fz_pick_dst(struct fz_gen *g, struct in6_addr *a);
void fz_rand_onlink(struct fz_gen *g, struct in6_addr *a);
void fz_solnode(struct in6_addr *a, const struct in6_addr *t);
void fz_rand_mac(struct fz_gen *g, uint8_t *m);
int fz_is_native(const struct fz_cfg *c, const struct in6_addr *a);

void fz_frame(struct fz_pkt *pk, const uint8_t *dmac, const uint8_t *smac,
	      const struct fz_b *b);
void fz_emit(struct fz_gen *g, const struct fz_b *b, const char *what);

/* the classes (kfuzz6_gen.c) */
unsigned int fz_gen_ip6hdr(struct fz_gen *g);
unsigned int fz_gen_exthdr(struct fz_gen *g);
unsigned int fz_gen_frag(struct fz_gen *g);
unsigned int fz_gen_icmp6(struct fz_gen *g);
unsigned int fz_gen_nd(struct fz_gen *g);
unsigned int fz_gen_udp(struct fz_gen *g);
unsigned int fz_gen_raw(struct fz_gen *g);

/* pieces shared among the classes */
void fz_echo(struct fz_gen *g, struct fz_b *b, size_t dlen, int bad);
void fz_opts(struct fz_gen *g, struct fz_b *b, uint8_t type, int *jumbo);

/* MLD messages of the icmp6 class (kfuzz6_mld.c): the IPv6 packet in b */
const char *fz_mld(struct fz_gen *g, struct fz_b *b, int bad);

/* --diff (kfuzz6_diff.c) */
int fz_diff_open(int ifindex, const struct fz_cfg *c);
void fz_diff_unit(const struct fz_pkt *pk, unsigned int n, uint64_t idx,
		  unsigned int gap, void (*send_one)(const struct fz_pkt *));
void fz_diff_finish(unsigned int tail, const char *const *class_name);

#endif
