// SPDX-License-Identifier: GPL-2.0
/*
 * kbench-routes: the tables and destinations of the route lookup rows of
 * `make bench` (scripts/bench.sh, selftests/bench/kbench_rt.c).
 *
 *   kbench-routes prefixes SEED N
 *       N distinct prefixes, "ADDR/PLEN" one per line; the first M of a
 *       list are the list of M (same SEED), so that a table grows by
 *       adding the lines after the ones already added
 *   kbench-routes dsts SEED N COUNT
 *       COUNT destinations, 16 bytes each on stdout: 9 in 10 inside one
 *       of the first N prefixes drawn at random (its host bits random),
 *       the others anywhere in 2000::/3
 *   kbench-routes load native|kame SEED FROM TO IFNAME
 *       add the prefixes FROM+1..TO of the list as routes out of IFNAME
 *       to Linux's table (RTM_NEWROUTE, as "ip route add P dev IFNAME")
 *       or to KAME's (KAME_CMD_ROUTE_NEW, as "kame route add P dev
 *       IFNAME"), the same way for both: 64 requests per send, then their
 *       acknowledgements; the first error stops it ("Error: ...", exit 1)
 *
 * The prefixes look like a BGP table's: lengths drawn from the mix below
 * (/48 about half, /32 an eighth, /29 to /64), the first 12 bits those of
 * the blocks the RIRs allocate from, and a third of them more specifics of
 * a prefix drawn earlier, so that prefixes nest as they do in the DFZ.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/rtnetlink.h>
#include "../kame_genl.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct pfx {
	uint8_t a[16];
	uint8_t plen;
};

static const struct {
	uint8_t plen;
	uint16_t permille;
} mix[] = {
	{ 24, 10 }, { 28, 10 }, { 29, 40 }, { 30, 10 }, { 31, 10 },
	{ 32, 120 }, { 33, 15 }, { 34, 10 }, { 35, 10 }, { 36, 30 },
	{ 38, 15 }, { 40, 60 }, { 42, 15 }, { 44, 70 }, { 45, 15 },
	{ 46, 30 }, { 47, 20 }, { 48, 480 }, { 56, 20 }, { 64, 10 },
};

/* the /12s of 2001::/16 and of the RIRs (APNIC, ARIN, RIPE, LACNIC, AFRINIC) */
static const uint16_t blocks12[] = { 0x200, 0x240, 0x260, 0x2a0, 0x280, 0x2c0 };

static uint64_t rs;

static uint64_t rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return rs;
}

static void die(const char *msg)
{
	fprintf(stderr, "Error: %s\n", msg);
	exit(1);
}

static void fill_random(uint8_t *a, unsigned int from)
{
	unsigned int i;

	for (i = from; i < 128; i++) {
		uint8_t m = 0x80 >> (i & 7);

		if (rnd() & 1)
			a[i >> 3] |= m;
		else
			a[i >> 3] &= ~m;
	}
}

static void mask(uint8_t *a, unsigned int plen)
{
	unsigned int i;

	for (i = plen; i < 128; i++)
		a[i >> 3] &= ~(0x80 >> (i & 7));
}

static unsigned int draw_plen(void)
{
	unsigned int r = rnd() % 1000, i;

	for (i = 0; i < ARRAY_SIZE(mix); i++) {
		if (r < mix[i].permille)
			return mix[i].plen;
		r -= mix[i].permille;
	}
	return 48;
}

static uint64_t hash(const struct pfx *p)
{
	uint64_t h = p->plen * 0x9e3779b97f4a7c15ULL;
	unsigned int i;

	for (i = 0; i < 16; i++)
		h = (h ^ p->a[i]) * 0x100000001b3ULL;
	return h;
}

/* The list of n prefixes of seed, distinct (open addressing on a hash). */
static struct pfx *prefixes(uint64_t seed, size_t n)
{
	size_t cap = 4, got = 0, i;
	struct pfx *v = calloc(n ? n : 1, sizeof(*v));
	int64_t *slot;

	while (cap < 2 * n)
		cap <<= 1;
	slot = malloc(cap * sizeof(*slot));
	if (!v || !slot)
		die("out of memory");
	memset(slot, 0xff, cap * sizeof(*slot));
	rs = seed * 2654435761ULL + 88172645463325252ULL;
	while (got < n) {
		struct pfx p = { .plen = draw_plen() };
		const struct pfx *up = got ? &v[rnd() % got] : NULL;

		if (up && up->plen < p.plen && rnd() % 3 == 0) {
			memcpy(p.a, up->a, 16);		/* a more specific */
			fill_random(p.a, up->plen);
		} else {
			uint16_t b = blocks12[rnd() % ARRAY_SIZE(blocks12)];

			fill_random(p.a, 12);
			p.a[0] = b >> 4;
			p.a[1] = (p.a[1] & 0x0f) | (b & 0x0f) << 4;
		}
		mask(p.a, p.plen);
		for (i = hash(&p) & (cap - 1); slot[i] >= 0; i = (i + 1) & (cap - 1))
			if (v[slot[i]].plen == p.plen && !memcmp(v[slot[i]].a, p.a, 16))
				break;
		if (slot[i] >= 0)
			continue;			/* drawn before */
		slot[i] = got;
		v[got++] = p;
	}
	free(slot);
	return v;
}

/* ---- load ---- */

#define LOAD_BATCH	64
#define LOAD_MSG	128	/* bytes of one request, at most */

/* One request for p at m: RTM_NEWROUTE (type 0) or KAME_CMD_ROUTE_NEW. */
static int route_msg(char *m, int type, const struct pfx *p, uint32_t ifindex,
		     uint32_t seq)
{
	struct nlmsghdr *nh = (struct nlmsghdr *)m;
	char *a;

	memset(m, 0, LOAD_MSG);
	nh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nh->nlmsg_seq = seq;
	if (!type) {
		struct rtmsg *rtm = NLMSG_DATA(nh);

		nh->nlmsg_type = RTM_NEWROUTE;
		nh->nlmsg_flags |= NLM_F_CREATE | NLM_F_EXCL;
		rtm->rtm_family = AF_INET6;
		rtm->rtm_dst_len = p->plen;
		rtm->rtm_table = RT_TABLE_MAIN;
		rtm->rtm_protocol = RTPROT_BOOT;
		rtm->rtm_scope = RT_SCOPE_UNIVERSE;
		rtm->rtm_type = RTN_UNICAST;
		a = put_attr((char *)rtm + NLMSG_ALIGN(sizeof(*rtm)), RTA_DST,
			     p->a, 16);
		a = put_attr(a, RTA_OIF, &ifindex, 4);
	} else {
		struct genlmsghdr *gh = NLMSG_DATA(nh);

		nh->nlmsg_type = type;
		gh->cmd = KAME_CMD_ROUTE_NEW;
		gh->version = KAME_GENL_VERSION;
		a = put_attr((char *)gh + GENL_HDRLEN, KAME_ROUTE_A_DST, p->a, 16);
		a = put_attr(a, KAME_ROUTE_A_PREFIXLEN, &p->plen, 1);
		a = put_attr(a, KAME_ROUTE_A_IFINDEX, &ifindex, 4);
	}
	nh->nlmsg_len = a - m;
	return NLMSG_ALIGN(nh->nlmsg_len);
}

/* Read the acknowledgements of n requests; die on the first error. */
static void load_acks(int fd, int n, const struct pfx *v, size_t first)
{
	static char buf[65536];
	char txt[INET6_ADDRSTRLEN];
	struct nlmsghdr *nh;
	int got = 0, len;

	while (got < n) {
		len = recv(fd, buf, sizeof(buf), 0);
		if (len < 0)
			die("reading acknowledgements");
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, len);
		     nh = NLMSG_NEXT(nh, len)) {
			const struct nlmsgerr *e = NLMSG_DATA(nh);
			const struct pfx *p = &v[first + nh->nlmsg_seq - 1];

			if (nh->nlmsg_type != NLMSG_ERROR)
				continue;
			got++;
			if (!e->error)
				continue;
			fprintf(stderr, "Error: route %s/%u: %s\n",
				inet_ntop(AF_INET6, p->a, txt, sizeof(txt)),
				p->plen, strerror(-e->error));
			exit(1);
		}
	}
}

static void load(const char *stack, const struct pfx *v, size_t from,
		 size_t to, const char *ifname)
{
	static char buf[LOAD_BATCH * LOAD_MSG];
	int kame = !strcmp(stack, "kame"), one = 1, sz = 1 << 20, type = 0;
	uint32_t ifindex = if_nametoindex(ifname);
	size_t i, start = from;
	int fd, len = 0, n = 0;

	if (!kame && strcmp(stack, "native"))
		die("the stack is native or kame");
	if (!ifindex)
		die("no such interface");
	fd = socket(AF_NETLINK, SOCK_RAW, kame ? NETLINK_GENERIC : NETLINK_ROUTE);
	if (fd < 0)
		die("netlink socket");
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	if (kame) {
		type = kame_genl_family(fd);
		if (type < 0)
			die("no kame generic netlink family");
	}
	for (i = from; i < to; i++) {
		len += route_msg(buf + len, type, &v[i], ifindex, i - start + 1);
		if (++n == LOAD_BATCH || i + 1 == to) {
			if (send(fd, buf, len, 0) != len)
				die("sending requests");
			load_acks(fd, n, v, start);
			start = i + 1;
			len = n = 0;
		}
	}
	close(fd);
}

static size_t num(const char *s, const char *what)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	if (!*s || *end || v > (1ULL << 26)) {
		fprintf(stderr, "Error: %s \"%s\" is not a number up to 2^26\n", what, s);
		exit(1);
	}
	return v;
}

int main(int argc, char **argv)
{
	char txt[INET6_ADDRSTRLEN];
	size_t n, count, i;
	struct pfx *v;

	if (argc == 7 && !strcmp(argv[1], "load")) {
		size_t from = num(argv[4], "FROM"), to = num(argv[5], "TO");

		if (from > to)
			die("FROM is beyond TO");
		load(argv[2], prefixes(num(argv[3], "SEED"), to), from, to,
		     argv[6]);
		return 0;
	}
	if (argc < 4 || (!strcmp(argv[1], "dsts") && argc != 5) ||
	    (strcmp(argv[1], "dsts") && (strcmp(argv[1], "prefixes") || argc != 4)))
		die("usage: kbench-routes { prefixes SEED N | dsts SEED N COUNT | load native|kame SEED FROM TO IFNAME }");
	n = num(argv[3], "N");
	v = prefixes(num(argv[2], "SEED"), n);
	if (!strcmp(argv[1], "prefixes")) {
		for (i = 0; i < n; i++)
			printf("%s/%u\n", inet_ntop(AF_INET6, v[i].a, txt, sizeof(txt)),
			       v[i].plen);
		return fflush(stdout) ? 1 : 0;
	}
	count = num(argv[4], "COUNT");
	if (!n)
		die("no prefixes to draw destinations from");
	for (i = 0; i < count; i++) {
		uint8_t a[16];

		if (rnd() % 10) {
			const struct pfx *p = &v[rnd() % n];

			memcpy(a, p->a, 16);
			fill_random(a, p->plen);
		} else {
			memset(a, 0, 16);
			fill_random(a, 3);
			a[0] = (a[0] & 0x1f) | 0x20;
		}
		if (fwrite(a, 16, 1, stdout) != 1)
			die("writing the destinations");
	}
	return fflush(stdout) ? 1 : 0;
}
