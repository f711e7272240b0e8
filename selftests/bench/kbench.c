// SPDX-License-Identifier: GPL-2.0
/*
 * kbench: the UDP sender and receiver of `make bench`. The same code runs
 * on both stacks: family "kame" opens AF_KAME sockets (the number the
 * loaded module uses), "inet6" Linux's AF_INET6 ones. struct sockaddr_kame
 * is laid out like struct sockaddr_in6, so only the family differs.
 *
 * A SIDE is NETNS:FAMILY, a socket opened in the network namespace
 * /run/netns/NETNS. send, sink and pingpong take one or two sides; with
 * two, they take turns (send: slices of -q ms; pingpong: one round trip
 * each) and report each side, so that both stacks see the same moments of
 * a noisy machine. Without a side: the current namespace and -f FAMILY.
 *
 *   kbench [OPTS] sink [-r RCVBUF] PORT [SIDE [SIDE]]
 *       count the datagrams each side receives until SIGINT or SIGTERM,
 *       and the CPU time spent receiving them (cpuN, seconds)
 *   kbench [OPTS] send [-s SIZE] [-t SECS] [-q SLICE_MS] [-r RATE] ADDR PORT
 *           [SIDE [SIDE]]
 *       send SIZE-byte datagrams as fast as the sockets take them, or
 *       RATE a second of each side's time; cpuN: the sender's CPU time in
 *       each side's slices (with a veth, the receiving host's softirq
 *       work too)
 *   kbench [OPTS] echo PORT
 *       send every datagram back to its sender, until killed
 *   kbench [OPTS] pingpong [-s SIZE] [-n COUNT] ADDR PORT [SIDE [SIDE]]
 *       COUNT round trips per side, one datagram in flight; percentiles
 *   kbench [OPTS] echoflood [-t SECS] [-q SLICE_MS] [-N SOURCES] SRC DST
 *           NETNS:IF:MAC [...]
 *       ICMPv6 echo requests from SRC to DST, to the link-layer address
 *       MAC out of IF in NETNS, on an AF_PACKET socket: the peer answers
 *       each one before the send returns (veth); one or two sides. With
 *       -N, each request comes from one of SRC/64 ::200:0:0:1 to
 *       ::200:0:0:SOURCES drawn at random (nd6_flood's "nsseq" sources).
 *       With -u, UDP datagrams of SIZE bytes (default 8) to PORT instead
 *       of echo requests: the receive-only rows, identical frames for
 *       both stacks
 *   kbench [OPTS] burst [-n N] [-t SECS] BASE PORT
 *       one datagram to each of BASE, BASE+1, ... BASE+N-1 (addresses
 *       nobody has resolved yet), then wait for N answers
 *   kbench [OPTS] raw
 *       exit 0 if a raw ICMPv6 socket of the family can be opened
 *   kbench [OPTS] exec PROG [ARGS]
 *       run PROG (in the namespace and on the CPU of OPTS; its /sys is
 *       still the caller's)
 *
 * OPTS: -f inet6|kame (default inet6), -n NETNS enters /run/netns/NETNS,
 * -c CPU pins to one CPU: what `ip netns exec NETNS taskset -c CPU` does
 * without two program starts and a mount namespace, which take a second
 * under qemu emulation.
 *
 * Results are one line of KEY=VALUE pairs on stdout (keys of the second
 * side end in 1, of the first in 0); errors one line "Error: ..." on
 * stderr and exit status 1.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "../kame_af.h"

#define RCVBUF	(4 << 20)
/* sends between two looks at the clock (an emulated HPET read is slow) */
#define BATCH	32

static int family = AF_INET6;
static char buf[65536];
static atomic_int stop;

struct side {
	int fd;
	int family;
	struct sockaddr_in6 to;
};

static void on_signal(int sig)
{
	atomic_store(&stop, 1);
}

static void fail(const char *what)
{
	fprintf(stderr, "Error: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void bad_usage(const char *u)
{
	fprintf(stderr, "Error: usage: kbench [-f inet6|kame] [-n NETNS] [-c CPU] %s\n", u);
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * CPU time of this thread: its system calls, and the softirq work done in
 * its context (a veth delivers on the sender's CPU as it returns)
 */
static double thread_cpu(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* SIGINT and SIGTERM set stop; no SA_RESTART: a blocked call returns */
static void catch_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

static int family_of(const char *s)
{
	if (!strcmp(s, "kame"))
		return kame_af();
	if (!strcmp(s, "inet6"))
		return AF_INET6;
	fprintf(stderr, "Error: \"%s\" is not a family (inet6 or kame)\n", s);
	exit(1);
}

static void enter_netns(const char *name)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET))
		fail(path);
	close(fd);
}

static void pin_cpu(const char *s)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(atoi(s), &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		fail("sched_setaffinity");
}

static void addr_parse(const char *s, int port, int fam,
		       struct sockaddr_in6 *sa)
{
	struct addrinfo hints = { .ai_family = AF_INET6,
				  .ai_flags = AI_NUMERICHOST }, *ai;

	if (getaddrinfo(s, NULL, &hints, &ai)) {
		fprintf(stderr, "Error: \"%s\" is not an IPv6 address\n", s);
		exit(1);
	}
	memcpy(sa, ai->ai_addr, sizeof(*sa));
	freeaddrinfo(ai);
	sa->sin6_family = fam;
	sa->sin6_port = htons(port);
}

static int udp_socket(int fam, int port, int rcvbuf)
{
	struct sockaddr_in6 sa = { .sin6_family = fam,
				   .sin6_port = htons(port) };
	int fd = socket(fam, SOCK_DGRAM, 0);

	if (fd < 0)
		fail("socket");
	if (rcvbuf && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
				 sizeof(rcvbuf)))
		fail("SO_RCVBUFFORCE");
	if (port && bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		fail("bind");
	return fd;
}

/*
 * The sides of argv[0..argc-1] ("NETNS:FAMILY"), or the current namespace
 * and -f's family: sockets bound to port (0: none), connected to addr
 * when there is one. Returns how many.
 */
static int sides_open(struct side *s, int argc, char **argv, int port,
		      int rcvbuf, const char *addr, int to_port)
{
	int n = argc ? argc : 1, i;

	if (argc > 2)
		bad_usage("... [NETNS:FAMILY [NETNS:FAMILY]]");
	for (i = 0; i < n; i++) {
		s[i].family = family;
		if (argc) {
			char ns[128], *colon;

			snprintf(ns, sizeof(ns), "%s", argv[i]);
			colon = strchr(ns, ':');
			if (!colon)
				bad_usage("... [NETNS:FAMILY [NETNS:FAMILY]]");
			*colon = 0;
			enter_netns(ns);
			s[i].family = family_of(colon + 1);
		}
		s[i].fd = udp_socket(s[i].family, port, rcvbuf);
		if (!addr)
			continue;
		addr_parse(addr, to_port, s[i].family, &s[i].to);
		if (connect(s[i].fd, (struct sockaddr *)&s[i].to,
			    sizeof(s[i].to)))
			fail("connect");
	}
	return n;
}

static void rcvtimeo(int fd, double secs)
{
	struct timeval tv = { .tv_sec = (time_t)secs,
			      .tv_usec = (secs - (time_t)secs) * 1e6 };

	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)))
		fail("SO_RCVTIMEO");
}

static void say_ready(void)
{
	printf("ready\n");
	fflush(stdout);
}

static int do_sink(int argc, char **argv)
{
	const char *u = "sink [-r RCVBUF] PORT [SIDE [SIDE]]";
	int c, rcvbuf = RCVBUF, n, i;
	struct side s[2];
	struct pollfd p[2];
	long count[2] = { 0 };
	double cpu[2] = { 0 }, c0;

	while ((c = getopt(argc, argv, "r:")) != -1) {
		if (c == 'r')
			rcvbuf = atoi(optarg);
		else
			bad_usage(u);
	}
	if (optind >= argc)
		bad_usage(u);
	n = sides_open(s, argc - optind - 1, argv + optind + 1,
		       atoi(argv[optind]), rcvbuf, NULL, 0);
	catch_signals();
	say_ready();
	for (i = 0; i < n; i++) {
		p[i].fd = s[i].fd;
		p[i].events = POLLIN;
	}
	while (!stop) {
		if (poll(p, n, 1000) < 0) {
			if (errno == EINTR)
				continue;
			fail("poll");
		}
		for (i = 0; i < n; i++) {
			if (!p[i].revents)
				continue;
			c0 = thread_cpu();
			while (recv(p[i].fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
				count[i]++;
			cpu[i] += thread_cpu() - c0;
		}
	}
	printf("count0=%ld cpu0=%.6f", count[0], cpu[0]);
	if (n > 1)
		printf(" count1=%ld cpu1=%.6f", count[1], cpu[1]);
	printf("\n");
	return 0;
}

/*
 * Per-side slice rates: the median of the rates of a side's slices is what
 * a run reports (pps0, pps1), so that a slice during which the (emulated)
 * CPU was taken away by the host does not weigh more than any other.
 */
#define MAX_SLICES	4096

struct slices {
	double rate[2][MAX_SLICES];
	int n[2];
};

static void slice_add(struct slices *sl, int side, long count, double secs)
{
	if (secs > 0 && sl->n[side] < MAX_SLICES)
		sl->rate[side][sl->n[side]++] = count / secs;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* the p-th percentile of sorted v[0..n-1], nearest rank */
static double pct(const double *v, int n, double p)
{
	int i = (int)(p / 100 * n + 0.999999) - 1;

	return v[i < 0 ? 0 : i >= n ? n - 1 : i];
}

static double slice_median(struct slices *sl, int side)
{
	if (!sl->n[side])
		return 0;
	qsort(sl->rate[side], sl->n[side], sizeof(double), cmp_double);
	return pct(sl->rate[side], sl->n[side], 50);
}

static void slices_print(struct slices *sl, int n, const char *what,
			 const long *total, const double *busy)
{
	int i;

	for (i = 0; i < n; i++)
		printf("%s%s%d=%ld secs%d=%.4f slices%d=%d pps%d=%.0f",
		       i ? " " : "", what, i, total[i], i, busy[i], i, sl->n[i],
		       i, slice_median(sl, i));
}

static struct slices sl;

/* How many datagrams side cur may send now to hold RATE (0: any). */
static long paced(double rate, double side_secs, long side_sent)
{
	long due;

	if (rate <= 0)
		return BATCH;
	due = (long)(rate * side_secs) - side_sent;
	if (due <= 0) {
		struct timespec ts = { 0, 100000 };	/* 0.1 ms */

		nanosleep(&ts, NULL);
		return 0;
	}
	return due < BATCH ? due : BATCH;
}

static int do_send(int argc, char **argv)
{
	const char *u = "send [-s SIZE] [-t SECS] [-q SLICE_MS] [-r RATE] ADDR PORT [SIDE [SIDE]]";
	double secs = 3, slice = 0.02, rate = 0, t0, t, mark, c, cmark;
	double busy[2] = { 0 }, cpu[2] = { 0 };
	long sent[2] = { 0 }, in_slice = 0, errs = 0, k;
	int size = 64, n, cur = 0, i;
	struct side s[2];

	while ((i = getopt(argc, argv, "s:t:q:r:")) != -1) {
		if (i == 's')
			size = atoi(optarg);
		else if (i == 't')
			secs = atof(optarg);
		else if (i == 'q')
			slice = atof(optarg) / 1e3;
		else if (i == 'r')
			rate = atof(optarg);
		else
			bad_usage(u);
	}
	if (argc - optind < 2 || size < 0 || size > (int)sizeof(buf))
		bad_usage(u);
	n = sides_open(s, argc - optind - 2, argv + optind + 2, 0, 0,
		       argv[optind], atoi(argv[optind + 1]));
	memset(buf, 'k', size);
	catch_signals();
	t0 = mark = t = now();
	cmark = thread_cpu();
	while (!stop && t - t0 < secs) {
		k = paced(rate, busy[cur] + (t - mark), sent[cur] + in_slice);
		for (i = 0; i < k && !stop; i++) {
			if (send(s[cur].fd, buf, size, 0) == size)
				in_slice++;
			else if (errno == ECONNREFUSED || errno == ENOBUFS)
				errs++;	/* an ICMPv6 error or a full queue */
			else if (errno != EINTR)
				fail("send");
		}
		t = now();
		if (t - mark >= slice) {
			c = thread_cpu();
			cpu[cur] += c - cmark;
			cmark = c;
			slice_add(&sl, cur, in_slice, t - mark);
			busy[cur] += t - mark;
			sent[cur] += in_slice;
			in_slice = 0;
			cur = (cur + 1) % n;
			mark = t;
		}
	}
	busy[cur] += t - mark;
	sent[cur] += in_slice;
	cpu[cur] += thread_cpu() - cmark;
	slices_print(&sl, n, "sent", sent, busy);
	for (i = 0; i < n; i++)
		printf(" cpu%d=%.6f", i, cpu[i]);
	printf(" errors=%ld\n", errs);
	return 0;
}

static void __attribute__((noreturn)) do_echo(int argc, char **argv)
{
	struct sockaddr_in6 from;
	socklen_t fl;
	ssize_t n;
	int fd;

	if (argc != 2)
		bad_usage("echo PORT");
	/* room for a burst: the answers must not be lost here */
	fd = udp_socket(family, atoi(argv[1]), RCVBUF);
	say_ready();
	for (;;) {
		fl = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			     &fl);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fail("recvfrom");
		}
		if (sendto(fd, buf, n, 0, (struct sockaddr *)&from, fl) < 0 &&
		    errno != ECONNREFUSED)
			fail("sendto");
	}
}

/* One round trip of size bytes numbered seq: microseconds, or -1: lost. */
static double round_trip(int fd, int seq, int size)
{
	double t = now();
	int got;

	memcpy(buf, &seq, sizeof(seq));
	if (send(fd, buf, size, 0) != size)
		fail("send");
	for (;;) {
		if (recv(fd, buf + size, size, 0) < 0) {
			if (errno == EAGAIN)
				return -1;
			if (errno != EINTR)
				fail("recv");
			continue;
		}
		memcpy(&got, buf + size, sizeof(got));
		if (got == seq)	/* not a late answer to an earlier one */
			return (now() - t) * 1e6;
	}
}

static int do_pingpong(int argc, char **argv)
{
	const char *u = "pingpong [-s SIZE] [-n COUNT] ADDR PORT [SIDE [SIDE]]";
	int c, size = 64, count = 2000, warm = 50, k, i, n, got[2] = { 0 };
	int lost = 0;
	struct side s[2];
	double *rtt[2], r;

	while ((c = getopt(argc, argv, "s:n:")) != -1) {
		if (c == 's')
			size = atoi(optarg);
		else if (c == 'n')
			count = atoi(optarg);
		else
			bad_usage(u);
	}
	if (argc - optind < 2 || count < 1 || size < (int)sizeof(int) ||
	    size > (int)sizeof(buf) / 2)
		bad_usage(u);
	n = sides_open(s, argc - optind - 2, argv + optind + 2, 0, 0,
		       argv[optind], atoi(argv[optind + 1]));
	memset(buf, 'p', size);
	for (i = 0; i < n; i++) {
		rtt[i] = calloc(count, sizeof(double));
		if (!rtt[i])
			fail("calloc");
		rcvtimeo(s[i].fd, 1);
	}
	for (k = -warm; k < count; k++) {
		for (i = 0; i < n; i++) {
			r = round_trip(s[i].fd, k, size);
			if (r < 0)
				lost++;
			else if (k >= 0)
				rtt[i][got[i]++] = r;
		}
		if (lost > count / 10 + 5)
			return fprintf(stderr, "Error: %d round trips lost\n", lost), 1;
	}
	for (i = 0; i < n; i++) {
		if (!got[i])
			return fprintf(stderr, "Error: no answer\n"), 1;
		qsort(rtt[i], got[i], sizeof(double), cmp_double);
		printf("%sp50_us%d=%.1f p99_us%d=%.1f min_us%d=%.1f", i ? " " : "",
		       i, pct(rtt[i], got[i], 50), i, pct(rtt[i], got[i], 99),
		       i, rtt[i][0]);
	}
	printf(" lost=%d\n", lost);
	return 0;
}

#define FLOOD_MAX	1514	/* the longest frame */

struct flood_side {
	int fd;
	struct sockaddr_ll ll;
	uint8_t *frames;	/* nframes frames of flen bytes */
	long nframes;
	size_t flen;
};

/* SRC/64 ::200:0:0:n, the sources nd6_flood's "nsseq" mode solicits from */
static void seq_source(struct in6_addr *a, const struct in6_addr *src, long n)
{
	int i;

	memcpy(a, src, 8);
	memset(&a->s6_addr[8], 0, 8);
	a->s6_addr[10] = 2;
	for (i = 15; i >= 12; i--, n >>= 8)
		a->s6_addr[i] = n & 0xff;
}

/* xorshift64: which source sends the next request */
static uint64_t flood_rnd(void)
{
	static uint64_t x = 0x4b414d45;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return x;
}

static void parse_mac(const char *s, uint8_t *m)
{
	if (sscanf(s, "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &m[0], &m[1], &m[2],
		   &m[3], &m[4], &m[5]) != 6) {
		fprintf(stderr, "Error: \"%s\" is not a MAC address\n", s);
		exit(1);
	}
}

/* What the flood frames carry: an echo request, or a UDP datagram. */
static int flood_port;		/* UDP destination port; 0: echo request */
static int flood_size = 8;	/* bytes after the ICMPv6 or UDP header */

/*
 * Ethernet, IPv6 and an ICMPv6 echo request, or a UDP datagram to
 * flood_port, with flood_size bytes of data and a valid checksum; the
 * frame's length.
 */
static size_t flood_frame(uint8_t *f, const uint8_t *dmac, const uint8_t *smac,
			  const struct in6_addr *src, const struct in6_addr *dst)
{
	uint8_t *ip = f + 14, *m = f + 54;
	const size_t len = 8 + flood_size;
	const int proto = flood_port ? IPPROTO_UDP : IPPROTO_ICMPV6;
	uint32_t sum = len + proto;
	size_t i;

	memcpy(f, dmac, 6);
	memcpy(f + 6, smac, 6);
	f[12] = 0x86;
	f[13] = 0xdd;
	memset(ip, 0, 40 + len);
	ip[4] = len >> 8;
	ip[5] = len & 0xff;
	ip[6] = proto;
	ip[7] = 64;
	ip[0] = 0x60;
	memcpy(ip + 8, src, 16);
	memcpy(ip + 24, dst, 16);
	if (flood_port) {
		m[0] = 0x4b;		/* source port 19269 */
		m[1] = 0x45;
		m[2] = flood_port >> 8;
		m[3] = flood_port & 0xff;
		m[4] = len >> 8;
		m[5] = len & 0xff;
		memset(m + 8, 'k', flood_size);
	} else {
		m[0] = 128;		/* echo request, code 0 */
		m[4] = 0x4b;		/* identifier */
		m[7] = 1;		/* sequence */
	}
	for (i = 8; i < 40; i += 2)	/* pseudo-header: the addresses */
		sum += ip[i] << 8 | ip[i + 1];
	for (i = 0; i < len; i += 2)
		sum += m[i] << 8 | (i + 1 < len ? m[i + 1] : 0);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	sum = ~sum & 0xffff;
	if (flood_port && !sum)
		sum = 0xffff;
	m[flood_port ? 6 : 2] = sum >> 8;
	m[flood_port ? 7 : 3] = sum & 0xff;
	return 54 + len;
}

/*
 * "NETNS:IF:MAC": an AF_PACKET socket out of IF in NETNS, and the frames:
 * one from src, or one from each of nsrc sequential sources
 */
static void flood_open(struct flood_side *f, const char *spec,
		       const struct in6_addr *src, const struct in6_addr *dst,
		       long nsrc)
{
	char ns[128], *ifname, *mac;
	struct ifreq ifr = { 0 };
	struct in6_addr a;
	uint8_t dmac[6];
	long i;

	snprintf(ns, sizeof(ns), "%s", spec);
	ifname = strchr(ns, ':');
	mac = ifname ? strchr(ifname + 1, ':') : NULL;
	if (!mac)
		bad_usage("echoflood ... NETNS:IF:MAC ...");
	*ifname++ = 0;
	*mac++ = 0;
	parse_mac(mac, dmac);
	enter_netns(ns);
	f->fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (f->fd < 0)
		fail("AF_PACKET socket");
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(f->fd, SIOCGIFHWADDR, &ifr) < 0)
		fail(ifname);
	memset(&f->ll, 0, sizeof(f->ll));
	f->ll.sll_family = AF_PACKET;
	f->ll.sll_ifindex = if_nametoindex(ifname);
	f->ll.sll_halen = 6;
	memcpy(f->ll.sll_addr, dmac, 6);
	f->nframes = nsrc ? nsrc : 1;
	f->flen = 54 + 8 + flood_size;
	f->frames = malloc(f->nframes * f->flen);
	if (!f->frames)
		fail("malloc");
	for (i = 0; i < f->nframes; i++) {
		a = *src;
		if (nsrc)
			seq_source(&a, src, i + 1);
		flood_frame(f->frames + i * f->flen, dmac,
			   (uint8_t *)ifr.ifr_hwaddr.sa_data, &a, dst);
	}
}

static int do_echoflood(int argc, char **argv)
{
	const char *u = "echoflood [-t SECS] [-q SLICE_MS] [-N SOURCES] [-u PORT [-s SIZE]] SRC DST NETNS:IF:MAC [NETNS:IF:MAC]";
	double secs = 2, slice = 0.02, t0, t, mark, busy[2] = { 0 };
	double cpu[2] = { 0 }, cmark, c1;
	long sent[2] = { 0 }, in_slice = 0;
	struct flood_side f[2];
	struct sockaddr_in6 src, dst;
	long nsrc = 0;
	int c, n, cur = 0, i;

	while ((c = getopt(argc, argv, "t:q:N:u:s:")) != -1) {
		if (c == 'u')
			flood_port = atoi(optarg);
		else if (c == 's')
			flood_size = atoi(optarg);
		else if (c == 't')
			secs = atof(optarg);
		else if (c == 'q')
			slice = atof(optarg) / 1e3;
		else if (c == 'N')
			nsrc = atol(optarg);
		else
			bad_usage(u);
	}
	if (nsrc < 0 || nsrc > 1 << 24 || flood_port < 0 || flood_port > 65535 ||
	    flood_size < 0 || flood_size > FLOOD_MAX - 62 ||
	    (!flood_port && flood_size != 8))
		bad_usage(u);
	n = argc - optind - 2;
	if (n < 1 || n > 2)
		bad_usage(u);
	addr_parse(argv[optind], 0, AF_INET6, &src);
	addr_parse(argv[optind + 1], 0, AF_INET6, &dst);
	for (i = 0; i < n; i++)
		flood_open(&f[i], argv[optind + 2 + i], &src.sin6_addr,
			   &dst.sin6_addr, nsrc);
	catch_signals();
	t0 = mark = t = now();
	cmark = thread_cpu();
	while (!stop && t - t0 < secs) {
		for (i = 0; i < BATCH && !stop; i++) {
			const uint8_t *fr = f[cur].frames +
				(flood_rnd() % f[cur].nframes) * f[cur].flen;

			if (sendto(f[cur].fd, fr, f[cur].flen, 0,
				   (struct sockaddr *)&f[cur].ll,
				   sizeof(f[cur].ll)) == (ssize_t)f[cur].flen)
				in_slice++;
			else if (errno != ENOBUFS && errno != EINTR)
				fail("sendto");
		}
		t = now();
		if (t - mark >= slice) {
			c1 = thread_cpu();
			cpu[cur] += c1 - cmark;
			cmark = c1;
			slice_add(&sl, cur, in_slice, t - mark);
			busy[cur] += t - mark;
			sent[cur] += in_slice;
			in_slice = 0;
			cur = (cur + 1) % n;
			mark = t;
		}
	}
	busy[cur] += t - mark;
	sent[cur] += in_slice;
	cpu[cur] += thread_cpu() - cmark;
	slices_print(&sl, n, "echo", sent, busy);
	for (i = 0; i < n; i++)
		printf(" cpu%d=%.6f", i, cpu[i]);
	printf("\n");
	return 0;
}

static int do_burst(int argc, char **argv)
{
	int c, fd, n = 1000, i, got = 0;
	struct sockaddr_in6 to;
	double secs = 20, t0;
	uint32_t low;

	while ((c = getopt(argc, argv, "n:t:")) != -1) {
		if (c == 'n')
			n = atoi(optarg);
		else if (c == 't')
			secs = atof(optarg);
		else
			bad_usage("burst [-n N] [-t SECS] BASE PORT");
	}
	if (argc - optind != 2 || n < 1)
		bad_usage("burst [-n N] [-t SECS] BASE PORT");
	addr_parse(argv[optind], atoi(argv[optind + 1]), family, &to);
	memcpy(&low, &to.sin6_addr.s6_addr[12], 4);
	low = ntohl(low);
	fd = udp_socket(family, 0, RCVBUF);
	memset(buf, 'b', 32);
	t0 = now();
	for (i = 0; i < n; i++) {
		uint32_t a = htonl(low + i);

		memcpy(&to.sin6_addr.s6_addr[12], &a, 4);
		if (sendto(fd, buf, 32, 0, (struct sockaddr *)&to,
			   sizeof(to)) != 32)
			fail("sendto");
	}
	rcvtimeo(fd, 0.2);
	while (got < n && now() - t0 < secs) {
		if (recv(fd, buf, sizeof(buf), 0) >= 0)
			got++;
		else if (errno != EAGAIN && errno != EINTR)
			fail("recv");
	}
	printf("ms=%.1f answers=%d sent=%d\n", (now() - t0) * 1e3, got, n);
	if (got < n)
		return fprintf(stderr, "Error: %d of %d answers\n", got, n), 1;
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode, *fam = "inet6";
	int c;

	while ((c = getopt(argc, argv, "+f:n:c:")) != -1) {
		if (c == 'f')
			fam = optarg;
		else if (c == 'n')
			enter_netns(optarg);
		else if (c == 'c')
			pin_cpu(optarg);
		else
			bad_usage("MODE ...");
	}
	family = family_of(fam);
	if (optind >= argc)
		bad_usage("{ sink | send | echo | pingpong | echoflood | burst | raw | exec } ...");
	mode = argv[optind];
	argc -= optind;
	argv += optind;
	optind = 1;
	if (!strcmp(mode, "exec")) {
		if (argc < 2)
			bad_usage("exec PROG [ARGS]");
		execvp(argv[1], argv + 1);
		fail(argv[1]);
	}
	if (!strcmp(mode, "sink"))
		return do_sink(argc, argv);
	if (!strcmp(mode, "send"))
		return do_send(argc, argv);
	if (!strcmp(mode, "echo"))
		do_echo(argc, argv);
	if (!strcmp(mode, "pingpong"))
		return do_pingpong(argc, argv);
	if (!strcmp(mode, "burst"))
		return do_burst(argc, argv);
	if (!strcmp(mode, "echoflood"))
		return do_echoflood(argc, argv);
	if (!strcmp(mode, "raw")) {
		if (socket(family, SOCK_RAW, IPPROTO_ICMPV6) < 0)
			fail("raw socket");
		return 0;
	}
	bad_usage("{ sink | send | echo | pingpong | echoflood | burst | raw | exec } ...");
	return 1;
}
