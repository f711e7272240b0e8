// SPDX-License-Identifier: GPL-2.0
/*
 * Many routes at once, for the routing table tests (one kame(8) process
 * per route is too slow under qemu without KVM):
 *
 *   route_bulk IFINDEX GATEWAY COUNT SENDS [SEED]
 *
 * Adds COUNT routes to random prefixes inside fd00::/8, of random length
 * 24-64, via the link-local GATEWAY on IFINDEX (KAME_CMD_ROUTE_NEW over
 * plain netlink, many requests per send), then sends SENDS UDP datagrams
 * on an AF_KAME socket to random addresses inside the added prefixes (or
 * inside fd00::/8 when COUNT is 0), each a route lookup in the kernel.
 * Prints "added N exist E failed F in T ms" and "sent S in T ms".
 * Exits 1 on a failure other than EEXIST (a random duplicate).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/kame.h>
#include "../kame_af.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define BATCH	64

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

static char *put_attr(char *p, int type, const void *data, int len)
{
	struct nlattr *a = (struct nlattr *)p;

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy(p + NLA_HDRLEN, data, len);
	return p + NLA_ALIGN(a->nla_len);
}

static int family_id(int fd)
{
	char buf[8192], *p;
	struct nlmsghdr *nh = (struct nlmsghdr *)buf;
	struct genlmsghdr *gh = NLMSG_DATA(nh);
	int n, len;

	memset(buf, 0, 64);
	gh->cmd = CTRL_CMD_GETFAMILY;
	gh->version = 1;
	p = put_attr((char *)gh + GENL_HDRLEN, CTRL_ATTR_FAMILY_NAME,
		     KAME_GENL_NAME, sizeof(KAME_GENL_NAME));
	nh->nlmsg_len = p - buf;
	nh->nlmsg_type = GENL_ID_CTRL;
	nh->nlmsg_flags = NLM_F_REQUEST;
	if (send(fd, buf, nh->nlmsg_len, 0) < 0)
		return -1;
	n = recv(fd, buf, sizeof(buf), 0);
	if (n <= 0 || nh->nlmsg_type == NLMSG_ERROR)
		return -1;
	p = (char *)NLMSG_DATA(nh) + GENL_HDRLEN;
	len = nh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);
	while (len >= NLA_HDRLEN) {
		struct nlattr *a = (struct nlattr *)p;

		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			return *(uint16_t *)(p + NLA_HDRLEN);
		len -= NLA_ALIGN(a->nla_len);
		p += NLA_ALIGN(a->nla_len);
	}
	return -1;
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

/* Send one batch of requests, count the acks. */
static int flush(int fd, char *buf, int len, int nreq, int *exist, int *fail)
{
	char rbuf[65536];
	int acks = 0;

	if (nreq && send(fd, buf, len, 0) < 0)
		return -1;
	while (acks < nreq) {
		struct nlmsghdr *nh;
		int n = recv(fd, rbuf, sizeof(rbuf), 0);

		if (n < 0)
			return -1;
		for (nh = (void *)rbuf; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
			const struct nlmsgerr *e = NLMSG_DATA(nh);

			if (nh->nlmsg_type != NLMSG_ERROR)
				continue;
			acks++;
			if (e->error == -EEXIST)
				(*exist)++;
			else if (e->error)
				(*fail)++;
		}
	}
	return 0;
}

static int add_routes(int fd, int fam, unsigned int ifindex,
		      const struct in6_addr *gw, int count,
		      struct in6_addr *pfx, uint8_t *plens)
{
	static char buf[BATCH * 128];
	int i, len = 0, nreq = 0, exist = 0, fail = 0, one = 1;
	double t0 = now_ms();

	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	for (i = 0; i < count; i++) {
		struct nlmsghdr *nh = (struct nlmsghdr *)(buf + len);
		struct genlmsghdr *gh = NLMSG_DATA(nh);
		char *p;

		rand_prefix(&pfx[i], &plens[i]);
		memset(nh, 0, NLMSG_HDRLEN + GENL_HDRLEN);
		gh->cmd = KAME_CMD_ROUTE_NEW;
		gh->version = KAME_GENL_VERSION;
		p = (char *)gh + GENL_HDRLEN;
		p = put_attr(p, KAME_ROUTE_A_DST, &pfx[i], 16);
		p = put_attr(p, KAME_ROUTE_A_PREFIXLEN, &plens[i], 1);
		p = put_attr(p, KAME_ROUTE_A_GATEWAY, gw, 16);
		p = put_attr(p, KAME_ROUTE_A_IFINDEX, &ifindex, 4);
		nh->nlmsg_len = p - (char *)nh;
		nh->nlmsg_type = fam;
		nh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
		nh->nlmsg_seq = i + 1;
		len += NLMSG_ALIGN(nh->nlmsg_len);
		if (++nreq == BATCH) {
			if (flush(fd, buf, len, nreq, &exist, &fail))
				return -1;
			len = nreq = 0;
		}
	}
	if (flush(fd, buf, len, nreq, &exist, &fail))
		return -1;
	printf("added %d exist %d failed %d in %.0f ms\n",
	       count - exist - fail, exist, fail, now_ms() - t0);
	return fail ? -1 : 0;
}

static int send_some(int sends, int count, const struct in6_addr *pfx,
		     const uint8_t *plens)
{
	struct sockaddr_kame sa = { .sin6_family = kame_af(),
				    .sin6_port = htons(9) };
	int fd = socket(kame_af(), SOCK_DGRAM, 0), i, j, err = 0;
	double t0;

	if (fd < 0)
		return perror("socket"), -1;
	t0 = now_ms();
	for (i = 0; i < sends; i++) {
		if (count) {
			int k = rnd() % count;

			sa.sin6_addr = pfx[k];
			for (j = plens[k]; j < 128; j++)
				if (rnd() & 1)
					sa.sin6_addr.s6_addr[j / 8] |= 0x80 >> (j % 8);
		} else {
			for (j = 1; j < 16; j++)
				sa.sin6_addr.s6_addr[j] = rnd();
			sa.sin6_addr.s6_addr[0] = 0xfd;
		}
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
	struct in6_addr gw, *pfx;
	unsigned int ifindex;
	int fd, fam, count, sends;
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
	pfx = calloc(count + 1, sizeof(*pfx));
	plens = calloc(count + 1, 1);
	fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	if (!pfx || !plens || fd < 0)
		return perror("setup"), 1;
	fam = family_id(fd);
	if (fam < 0)
		return fprintf(stderr, "no kame genetlink family\n"), 1;
	if (count && add_routes(fd, fam, ifindex, &gw, count, pfx, plens))
		return 1;
	if (sends && send_some(sends, count, pfx, plens))
		return 1;
	return 0;
}
