// SPDX-License-Identifier: GPL-2.0
/*
 * A fast sender of ICMPv6 frames on an AF_PACKET socket, for the neighbor
 * cache tests (scapy is too slow under qemu without KVM):
 *
 *   nd6_flood IF MODE COUNT DSTMAC DSTIP PREFIX [SRCIP]
 *
 *   ns      NS for DSTIP from COUNT random sources in PREFIX/64, each with
 *           a random source link-layer address (grows the peer's cache)
 *   nsseq   the same from the sources PREFIX::200:0:0:1, ::200:0:0:2, ...
 *           (a cache of exactly COUNT entries, whatever is sent twice)
 *   nstgt   NS from SRCIP for COUNT random targets in PREFIX/64 (none is
 *           the peer's: nothing to learn)
 *   echo    echo requests to DSTIP from COUNT random sources in PREFIX/64
 *           (the peer must resolve each to answer)
 *   echo1   COUNT echo requests to DSTIP from SRCIP
 *   reach   for COUNT sources PREFIX::200:0:0:1, ::200:0:0:2, ... in turn,
 *           an echo request to DSTIP (the peer resolves the source) and a
 *           solicited NA for it with a random target link-layer address
 *           (the peer's entry becomes REACHABLE)
 *
 * Prints the time the sends took, in milliseconds (the veth peer usually
 * processes a frame before the send returns; on a loaded guest its
 * softirq work is left to ksoftirqd and the frames wait in the backlog of
 * the CPU that sent them, which drops them once full: sendto fails with
 * ENOBUFS). In reach mode, where every frame counts, a refused frame is
 * sent again and the sender stays on one CPU, so that the NA never
 * overtakes its echo request from another CPU's backlog; the number of
 * frames sent again goes to stderr. With ND6_FLOOD_PPS=N in the
 * environment it sends N frames a second at most (in bursts of 100), so
 * that other programs of a slow guest get the CPU during a long flood.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static uint64_t rnd_state;

static uint64_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static uint32_t sum16(const void *p, size_t len, uint32_t sum)
{
	const uint8_t *b = p;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (b[i] << 8) | b[i + 1];
	if (len & 1)
		sum += b[len - 1] << 8;
	return sum;
}

/* Ethernet (14) + IPv6 (40) + ICMPv6 message of len bytes. */
static void build(uint8_t *f, const uint8_t *dmac, const uint8_t *smac,
		  const struct in6_addr *src, const struct in6_addr *dst,
		  const uint8_t *icmp, size_t len)
{
	uint8_t *ip = f + 14, *m = f + 54;
	uint32_t s;

	memcpy(f, dmac, 6);
	memcpy(f + 6, smac, 6);
	f[12] = 0x86;
	f[13] = 0xdd;
	memset(ip, 0, 40);
	ip[0] = 0x60;
	ip[4] = len >> 8;
	ip[5] = len & 0xff;
	ip[6] = 58;
	ip[7] = 255;
	memcpy(ip + 8, src, 16);
	memcpy(ip + 24, dst, 16);
	memcpy(m, icmp, len);
	m[2] = m[3] = 0;
	s = sum16(src, 16, 0);
	s = sum16(dst, 16, s);
	s += len + 58;
	s = sum16(m, len, s);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	s = ~s & 0xffff;
	m[2] = s >> 8;
	m[3] = s & 0xff;
}

static void parse_mac(const char *s, uint8_t *m)
{
	unsigned int o[6];
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &o[0], &o[1], &o[2], &o[3], &o[4],
		   &o[5]) != 6) {
		fprintf(stderr, "bad MAC %s\n", s);
		exit(2);
	}
	for (i = 0; i < 6; i++)
		m[i] = o[i];
}

static void parse_ip(const char *s, struct in6_addr *a)
{
	if (inet_pton(AF_INET6, s, a) != 1) {
		fprintf(stderr, "bad address %s\n", s);
		exit(2);
	}
}

static void rand_iid(struct in6_addr *a, const struct in6_addr *pfx)
{
	uint64_t r = rnd();

	memcpy(a, pfx, 8);
	memcpy(&a->s6_addr[8], &r, 8);
}

/* PREFIX::200:0:0:0 + n */
static void seq_iid(struct in6_addr *a, const struct in6_addr *pfx, long n)
{
	int i;

	memcpy(a, pfx, 8);
	memset(&a->s6_addr[8], 0, 8);
	a->s6_addr[10] = 2;
	for (i = 15; i >= 12; i--, n >>= 8)
		a->s6_addr[i] = n & 0xff;
}

static int resend;	/* reach: a frame the backlog refused goes again */
static long resent;

static int send_frame(int fd, struct sockaddr_ll *sll, const uint8_t *dmac,
		      const uint8_t *frame, size_t len)
{
	const struct timespec pause = { 0, 1000000 };

	memcpy(sll->sll_addr, dmac, 6);
	while (sendto(fd, frame, len, 0, (struct sockaddr *)sll,
		      sizeof(*sll)) < 0) {
		if (errno != ENOBUFS) {
			perror("sendto");
			return -1;
		}
		if (!resend)
			break;
		resent++;
		nanosleep(&pause, NULL);	/* the backlog drains */
	}
	return 0;
}

/* Sleep until frame n is due at pps frames a second from t0. */
static void pace(const struct timespec *t0, long n, long pps)
{
	struct timespec due = *t0;
	long long ns = (long long)n * 1000000000 / pps;

	due.tv_sec += ns / 1000000000;
	due.tv_nsec += ns % 1000000000;
	if (due.tv_nsec >= 1000000000) {
		due.tv_sec++;
		due.tv_nsec -= 1000000000;
	}
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &due, NULL) ==
	       EINTR)
		;
}

int main(int argc, char **argv)
{
	uint8_t frame[128], dmac[6], smac[6], msg[32], mymac[6];
	struct in6_addr dst, pfx, src = { 0 }, d, t;
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	struct timespec t0, t1;
	const char *mode;
	long i, count, pps = 0;
	int fd, ns;

	if (argc < 7) {
		fprintf(stderr, "usage: nd6_flood IF MODE COUNT DSTMAC DSTIP PREFIX [SRCIP]\n");
		return 2;
	}
	mode = argv[2];
	count = atol(argv[3]);
	parse_mac(argv[4], dmac);
	parse_ip(argv[5], &dst);
	parse_ip(argv[6], &pfx);
	if (argc > 7)
		parse_ip(argv[7], &src);
	ns = !strncmp(mode, "ns", 2);
	if (!strcmp(mode, "reach")) {
		cpu_set_t one;
		int cpu = sched_getcpu();

		resend = 1;
		CPU_ZERO(&one);
		CPU_SET(cpu < 0 ? 0 : cpu, &one);
		sched_setaffinity(0, sizeof(one), &one);
	}
	rnd_state = (uint64_t)time(NULL) * 2654435761u ^ getpid();

	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0) {
		perror("socket");
		return 2;
	}
	sll.sll_ifindex = if_nametoindex(argv[1]);
	sll.sll_halen = 6;
	if (!sll.sll_ifindex) {
		fprintf(stderr, "no interface %s\n", argv[1]);
		return 2;
	}
	{
		/* an ioctl, not /sys: right in any mount namespace */
		struct ifreq ifr = { 0 };

		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", argv[1]);
		if (ioctl(fd, SIOCGIFHWADDR, &ifr) < 0) {
			perror("SIOCGIFHWADDR");
			return 2;
		}
		memcpy(mymac, ifr.ifr_hwaddr.sa_data, 6);
	}

	if (getenv("ND6_FLOOD_PPS"))
		pps = atol(getenv("ND6_FLOOD_PPS"));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < count; i++) {
		size_t len;

		if (pps > 0 && i && !(i % 100))
			pace(&t0, i, pps);

		memset(msg, 0, sizeof(msg));
		memcpy(smac, mymac, 6);
		if (!strcmp(mode, "reach")) {
			uint64_t r = rnd();

			seq_iid(&src, &pfx, i + 1);
			msg[0] = 128;
			len = 16;
			build(frame, dmac, smac, &src, &dst, msg, len);
			if (send_frame(fd, &sll, dmac, frame, 54 + len))
				return 2;
			/* NA: type 136, S and O, target, TLLA option */
			memset(msg, 0, sizeof(msg));
			msg[0] = 136;
			msg[4] = 0x60;
			memcpy(msg + 8, &src, 16);
			msg[24] = 2;
			msg[25] = 1;
			memcpy(msg + 26, &r, 6);
			msg[26] &= 0xfe;	/* unicast */
			len = 32;
			d = dst;
		} else if (ns) {
			/* NS: type 135, target, SLLA option */
			t = dst;
			if (!strcmp(mode, "nstgt"))
				rand_iid(&t, &pfx);
			else if (!strcmp(mode, "nsseq"))
				seq_iid(&src, &pfx, i + 1);
			else
				rand_iid(&src, &pfx);
			msg[0] = 135;
			memcpy(msg + 8, &t, 16);
			msg[24] = 1;
			msg[25] = 1;
			memcpy(msg + 26, smac, 6);
			if (strcmp(mode, "nstgt")) {
				uint64_t r = rnd();

				memcpy(msg + 26, &r, 6);
				msg[26] &= 0xfe;	/* unicast */
			}
			len = 32;
			/* to the solicited-node group of the target */
			memset(&d, 0, sizeof(d));
			d.s6_addr[0] = 0xff;
			d.s6_addr[1] = 0x02;
			d.s6_addr[11] = 1;
			d.s6_addr[12] = 0xff;
			memcpy(&d.s6_addr[13], &t.s6_addr[13], 3);
			dmac[0] = dmac[1] = 0x33;
			memcpy(dmac + 2, &d.s6_addr[12], 4);
		} else {
			if (!strcmp(mode, "echo"))
				rand_iid(&src, &pfx);
			msg[0] = 128;
			msg[4] = i >> 8;
			msg[6] = i >> 8;
			msg[7] = i & 0xff;
			len = 16;
			d = dst;
		}
		build(frame, dmac, smac, &src, &d, msg, len);
		if (send_frame(fd, &sll, dmac, frame, 54 + len))
			return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%ld\n", (long)((t1.tv_sec - t0.tv_sec) * 1000 +
			       (t1.tv_nsec - t0.tv_nsec) / 1000000));
	if (resent)
		fprintf(stderr, "%ld frames sent again (backlog full)\n", resent);
	return 0;
}
