// SPDX-License-Identifier: GPL-2.0
/*
 * Many routes at once, for the routing table tests (one kame(8) process
 * per route is too slow under qemu without KVM):
 *
 *   route_bulk IFINDEX GATEWAY COUNT SENDS [SEED [check]]
 *
 * Adds COUNT routes to random prefixes inside fd00::/8, of random length
 * 24-64, via the link-local GATEWAY on IFINDEX (KAME_CMD_ROUTE_NEW over
 * plain netlink, many requests per send), then sends SENDS UDP datagrams
 * on an AF_KAME socket to random addresses inside the added prefixes (or
 * inside fd00::/8 when COUNT is 0), each a route lookup in the kernel.
 * Prints "added N exist E failed F in T ms" and "sent S in T ms".
 * Exits 1 on a failure other than EEXIST (a random duplicate).
 *
 * With "check", the longest match itself is checked: every third route
 * is a reject route, and fd00::/8 (reject), fd00::/9 and fd80::/12 come
 * first; each send must succeed or fail (ENETUNREACH) as the
 * longest of the added prefixes that holds its destination says. Then a
 * fifth of the routes and fd80::/12 are deleted and the sends are checked
 * again. Prints "checked S mismatches M" for each round; exits 1 on any.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "../kame_af.h"
#include "../kame_genl.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define BATCH	64
#define HBITS	20	/* the expected table: 2^HBITS slots, open addressing */

static int check_mode;

/* What the routes added say, for "check": prefix, length, reject or not */
static struct hent {
	struct in6_addr pfx;
	uint8_t plen, used, reject, gone;
} *htab;

static uint64_t rnd_state = 88172645463325252ULL;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A random prefix of fd00::/8, 24-64 bits long, masked. */
static void rand_prefix(struct in6_addr *a, uint8_t *plen)
{
	uint64_t hi = rnd();
	int i;

	*plen = 24 + rnd() % 41;
	memset(a, 0, sizeof(*a));
	for (i = 0; i < 8; i++)
		a->s6_addr[i] = hi >> (56 - 8 * i);
	a->s6_addr[0] = 0xfd;
	for (i = *plen; i < 64; i++)
		a->s6_addr[i / 8] &= ~(0x80 >> (i % 8));
}

/* Requests gathered into one send of up to BATCH, their acks counted. */
struct batch {
	char buf[BATCH * 128];
	int fd, fam, len, nreq, exist, fail;
};

/* Send the gathered requests, count the acks. */
static int flush(struct batch *b)
{
	char rbuf[65536];
	int acks = 0;

	if (b->nreq && send(b->fd, b->buf, b->len, 0) < 0)
		return -1;
	while (acks < b->nreq) {
		struct nlmsghdr *nh;
		int n = recv(b->fd, rbuf, sizeof(rbuf), 0);

		if (n < 0)
			return -1;
		for (nh = (void *)rbuf; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
			const struct nlmsgerr *e = NLMSG_DATA(nh);

			if (nh->nlmsg_type != NLMSG_ERROR)
				continue;
			acks++;
			if (e->error == -EEXIST)
				b->exist++;
			else if (e->error)
				b->fail++;
		}
	}
	b->len = b->nreq = 0;
	return 0;
}

/*
 * Start request SEQ of command CMD for prefix/plen on ifindex; the caller
 * adds its attributes at the pointer returned, then calls req_end().
 */
static char *req_begin(struct batch *b, int cmd, int seq,
		       const struct in6_addr *dst, const uint8_t *plen,
		       const unsigned int *ifindex)
{
	struct nlmsghdr *nh = (struct nlmsghdr *)(b->buf + b->len);
	struct genlmsghdr *gh = NLMSG_DATA(nh);
	char *p;

	memset(nh, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	nh->nlmsg_type = b->fam;
	nh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nh->nlmsg_seq = seq;
	gh->cmd = cmd;
	gh->version = KAME_GENL_VERSION;
	p = (char *)gh + GENL_HDRLEN;
	p = put_attr(p, KAME_ROUTE_A_DST, dst, 16);
	p = put_attr(p, KAME_ROUTE_A_PREFIXLEN, plen, 1);
	return put_attr(p, KAME_ROUTE_A_IFINDEX, ifindex, 4);
}

/* The request ends at end; send the batch when it is full. */
static int req_end(struct batch *b, char *end)
{
	struct nlmsghdr *nh = (struct nlmsghdr *)(b->buf + b->len);

	nh->nlmsg_len = end - (char *)nh;
	b->len += NLMSG_ALIGN(nh->nlmsg_len);
	return ++b->nreq == BATCH ? flush(b) : 0;
}

static int add_routes(struct batch *b, unsigned int ifindex,
		      const struct in6_addr *gw, int count,
		      struct in6_addr *pfx, uint8_t *plens)
{
	uint32_t reject = KAME_RTF_REJECT;
	double t0 = now_ms();
	int i, one = 1;
	char *p;

	setsockopt(b->fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	for (i = 0; i < count; i++) {
		if (!plens[i])	/* not given by the caller */
			rand_prefix(&pfx[i], &plens[i]);
		p = req_begin(b, KAME_CMD_ROUTE_NEW, i + 1, &pfx[i], &plens[i],
			      &ifindex);
		if (check_mode && i % 3 == 0)
			p = put_attr(p, KAME_ROUTE_A_FLAGS, &reject, 4);
		else
			p = put_attr(p, KAME_ROUTE_A_GATEWAY, gw, 16);
		if (req_end(b, p))
			return -1;
	}
	if (flush(b))
		return -1;
	printf("added %d exist %d failed %d in %.0f ms\n",
	       count - b->exist - b->fail, b->exist, b->fail, now_ms() - t0);
	return b->fail ? -1 : 0;
}

static struct hent *hslot(const struct in6_addr *a, uint8_t plen)
{
	uint64_t h = plen * 0x9e3779b97f4a7c15ULL;
	unsigned int i;

	for (i = 0; i < 16; i++)
		h = (h ^ a->s6_addr[i]) * 0x100000001b3ULL;
	for (i = h >> (64 - HBITS);; i = (i + 1) & ((1u << HBITS) - 1))
		if (!htab[i].used || (htab[i].plen == plen &&
				      !memcmp(&htab[i].pfx, a, sizeof(*a))))
			return &htab[i];
}

/* The expected table: the first route of each prefix is the one added. */
static int expect_build(int count, const struct in6_addr *pfx,
			const uint8_t *plens, int *first)
{
	int i;

	htab = calloc(1u << HBITS, sizeof(*htab));
	if (!htab || count > (1 << HBITS) / 2)
		return -1;
	for (i = 0; i < count; i++) {
		struct hent *e = hslot(&pfx[i], plens[i]);

		first[i] = !e->used;
		if (e->used)
			continue;
		e->used = 1;
		e->pfx = pfx[i];
		e->plen = plens[i];
		e->reject = i % 3 == 0;
	}
	return 0;
}

/* 1: the longest added prefix holding a is a reject route (or none is) */
static int expect_reject(const struct in6_addr *a)
{
	struct in6_addr m;
	struct hent *e;
	int l, i;

	for (l = 128; l >= 0; l--) {
		m = *a;
		for (i = l; i < 128; i++)
			m.s6_addr[i / 8] &= ~(0x80 >> (i % 8));
		e = hslot(&m, l);
		if (e->used && !e->gone)
			return e->reject;
	}
	return 1;
}

/* A random address of prefix/plen */
static void rand_in(struct in6_addr *a, const struct in6_addr *prefix,
		    int plen)
{
	int j;

	*a = *prefix;
	for (j = plen; j < 128; j++)
		if (rnd() & 1)
			a->s6_addr[j / 8] |= 0x80 >> (j % 8);
}

/*
 * A destination: inside an added prefix (in_pct in 100 times, and always
 * when there is one), else anywhere in fd00::/8.
 */
static void rand_dst(struct in6_addr *a, int count, const struct in6_addr *pfx,
		     const uint8_t *plens, unsigned int in_pct)
{
	static const struct in6_addr fd00 = { { { 0xfd } } };
	int k;

	if (count && rnd() % 100 < in_pct) {
		k = rnd() % count;
		rand_in(a, &pfx[k], plens[k]);
	} else {
		rand_in(a, &fd00, 8);
	}
}

static int check_sends(int sends, int count, const struct in6_addr *pfx,
		       const uint8_t *plens)
{
	struct sockaddr_kame sa = { .sin6_family = kame_af(),
				    .sin6_port = htons(9) };
	int fd = socket(kame_af(), SOCK_DGRAM, 0), i, bad = 0, want, ok;
	char txt[INET6_ADDRSTRLEN];

	if (fd < 0)
		return perror("socket"), -1;
	for (i = 0; i < sends; i++) {
		rand_dst(&sa.sin6_addr, count, pfx, plens, 75);
		want = expect_reject(&sa.sin6_addr);
		ok = sendto(fd, "x", 1, 0, (struct sockaddr *)&sa,
			    sizeof(sa)) == 1;
		if (!ok && errno != ENETUNREACH)
			return perror("sendto"), -1;
		if (ok == want) {
			if (bad++ < 5)
				fprintf(stderr, "mismatch: %s %s\n",
					inet_ntop(AF_INET6, &sa.sin6_addr, txt,
						  sizeof(txt)),
					want ? "sent, a reject route expected" :
					       "refused, a route expected");
		}
	}
	printf("checked %d mismatches %d\n", sends, bad);
	close(fd);
	return bad ? -1 : 0;
}

/* Delete a fifth of the routes added first, and fd80::/12. */
static int del_some(struct batch *b, unsigned int ifindex, int count,
		    const struct in6_addr *pfx, const uint8_t *plens,
		    const int *first)
{
	int i, n = 0;

	b->exist = b->fail = 0;
	for (i = 2; i < count; i++) {
		if (!first[i] || (i != 2 && i % 5 != 1))
			continue;
		hslot(&pfx[i], plens[i])->gone = 1;
		n++;
		if (req_end(b, req_begin(b, KAME_CMD_ROUTE_DEL, i + 1, &pfx[i],
					 &plens[i], &ifindex)))
			return -1;
	}
	if (flush(b))
		return -1;
	printf("deleted %d failed %d\n", n - b->fail - b->exist,
	       b->fail + b->exist);
	return b->fail + b->exist ? -1 : 0;
}

static int send_some(int sends, int count, const struct in6_addr *pfx,
		     const uint8_t *plens)
{
	struct sockaddr_kame sa = { .sin6_family = kame_af(),
				    .sin6_port = htons(9) };
	int fd = socket(kame_af(), SOCK_DGRAM, 0), i, err = 0;
	double t0;

	if (fd < 0)
		return perror("socket"), -1;
	t0 = now_ms();
	for (i = 0; i < sends; i++) {
		rand_dst(&sa.sin6_addr, count, pfx, plens, 100);
		if (sendto(fd, "x", 1, 0, (struct sockaddr *)&sa, sizeof(sa)) != 1)
			err++;
	}
	printf("sent %d failed %d in %.0f ms\n", sends - err, err,
	       now_ms() - t0);
	close(fd);
	return err ? -1 : 0;
}

int main(int argc, char **argv)
{
	static struct batch b;
	struct in6_addr gw, *pfx;
	unsigned int ifindex;
	int count, sends, *first;
	uint8_t *plens;

	if (argc < 5 || inet_pton(AF_INET6, argv[2], &gw) != 1) {
		fprintf(stderr, "usage: route_bulk IFINDEX GATEWAY COUNT SENDS [SEED]\n");
		return 2;
	}
	ifindex = atoi(argv[1]);
	count = atoi(argv[3]);
	sends = atoi(argv[4]);
	if (argc > 5)
		rnd_state ^= strtoull(argv[5], NULL, 0);
	check_mode = argc > 6 && !strcmp(argv[6], "check");
	pfx = calloc(count + 4, sizeof(*pfx));
	plens = calloc(count + 4, 1);
	first = calloc(count + 4, sizeof(*first));
	b.fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	if (!pfx || !plens || b.fd < 0)
		return perror("setup"), 1;
	b.fam = kame_genl_family(b.fd);
	if (b.fam < 0)
		return fprintf(stderr, "no kame genetlink family\n"), 1;
	if (check_mode) {
		/* fd00::/8 (reject), fd00::/9, fd80::/12 */
		pfx[0].s6_addr[0] = pfx[1].s6_addr[0] = 0xfd;
		pfx[2].s6_addr[0] = 0xfd;
		pfx[2].s6_addr[1] = 0x80;
		plens[0] = 8, plens[1] = 9, plens[2] = 12;
		count += 3;
	}
	if (count && add_routes(&b, ifindex, &gw, count, pfx, plens))
		return 1;
	if (!check_mode)
		return sends && send_some(sends, count, pfx, plens);
	if (!first || expect_build(count, pfx, plens, first))
		return fprintf(stderr, "too many routes to check\n"), 1;
	if (check_sends(sends, count, pfx, plens) ||
	    del_some(&b, ifindex, count, pfx, plens, first) ||
	    check_sends(sends, count, pfx, plens))
		return 1;
	return 0;
}
