// SPDX-License-Identifier: GPL-2.0
/*
 * kping6: KAME's ping6(8) on the KAME stack (raw ICMPv6 sockets of
 * AF_KAME). Command line, socket set-up and the start banner; the send and
 * receive loop is in ping.c, the decoding of what comes back in pr.c.
 *
 * Exit status: 0 when a reply came, 1 when none did (or on a run-time
 * error), 2 on a usage error.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/kame.h>
#include "kping6.h"

#define EXIT_USAGE	2

static const char usage_text[] =
	"usage: kping6 [-fmnqv] [-b sockbuf] [-c count] [-h hoplimit]\n"
	"              [-I interface] [-i wait] [-l preload] [-p pattern]\n"
	"              [-S sourceaddr] [-s packetsize] [-x waittime] host\n"
	"environment: KAME_FAMILY=inet6 uses Linux's IPv6 (AF_INET6) instead\n"
	"             of AF_KAME, for testing and comparison\n";

void fatal(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("Error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void warnmsg(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("kping6: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* A bad argument: one Error line naming it, exit 2. */
static void __attribute__((noreturn, format(printf, 1, 2)))
bad(const char *fmt, ...)
{
	va_list ap;

	fputs("Error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_USAGE);
}

/* A malformed command line: an Error line and the usage, exit 2. */
static void __attribute__((noreturn)) usage_error(const char *msg, int opt)
{
	if (opt)
		fprintf(stderr, "Error: %s -- '%c'\n", msg, opt);
	else
		fprintf(stderr, "Error: %s\n", msg);
	fputs(usage_text, stderr);
	exit(EXIT_USAGE);
}

static long parse_long(const char *s, long min, long max, const char *what)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (!*s || *end || errno || v < min || v > max)
		bad("illegal %s -- %s", what, s);
	return v;
}

static void parse_interval(struct kping6 *p, const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (!*s || *end || errno || !isfinite(v) || v < 0 || v > 86400 * 7)
		bad("illegal timing interval -- %s", s);
	if (v < 1 && getuid())
		bad("only root may use an interval below 1 s -- %s", s);
	p->interval_us = (long)(v * 1000000);
	if (p->interval_us < 10000) {
		warnmsg("too small interval, raised to 0.01");
		p->interval_us = 10000;
	}
	p->options |= F_INTERVAL;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* -p: up to 16 bytes as hex digits, two per byte (an odd last one alone). */
static void parse_pattern(struct kping6 *p, const char *s)
{
	size_t n = strlen(s), i;

	if (!n)
		bad("patterns must be specified as hex digits -- %s", s);
	if (n > 2 * sizeof(p->pattern))
		bad("pattern longer than %zu bytes -- %s", sizeof(p->pattern), s);
	for (i = 0; i < n; i++)
		if (hexval(s[i]) < 0)
			bad("patterns must be specified as hex digits -- %s", s);
	for (i = 0, p->patlen = 0; i < n; i += 2) {
		int v = hexval(s[i]);

		if (i + 1 < n)
			v = v << 4 | hexval(s[i + 1]);
		p->pattern[p->patlen++] = v;
	}
	p->options |= F_PINGFILLED;
}

/* A numeric or symbolic IPv6 address, with an optional %zone. */
static int resolve(const char *s, bool numeric, struct sockaddr_in6 *sa)
{
	struct addrinfo hints = {
		.ai_family = AF_INET6,
		.ai_socktype = SOCK_RAW,
		.ai_protocol = IPPROTO_ICMPV6,
		.ai_flags = numeric ? AI_NUMERICHOST : 0,
	}, *ai;
	int err;

	err = getaddrinfo(s, NULL, &hints, &ai);
	if (err)
		return err;
	memcpy(sa, ai->ai_addr, sizeof(*sa));
	freeaddrinfo(ai);
	return 0;
}

static void parse_options(struct kping6 *p, int argc, char **argv)
{
	int c;

	opterr = 0;
	while ((c = getopt(argc, argv, ":b:c:fh:I:i:l:mnp:qS:s:vx:")) != -1) {
		switch (c) {
		case 'b':
			p->sockbuf = parse_long(optarg, 1, 1 << 30,
						"socket buffer size");
			p->options |= F_SOCKBUF;
			break;
		case 'c':
			p->npackets = parse_long(optarg, 1, 1L << 40,
						 "number of packets");
			break;
		case 'f':
			if (getuid())
				bad("only root may flood (-f)");
			p->options |= F_FLOOD;
			setvbuf(stdout, NULL, _IONBF, 0);
			break;
		case 'h':
			p->hoplimit = parse_long(optarg, -1, 255, "hoplimit");
			p->options |= F_HOPLIMIT;
			break;
		case 'I':
			p->ifindex = if_nametoindex(optarg);
			if (!p->ifindex)
				bad("interface \"%s\" does not exist", optarg);
			break;
		case 'i':
			parse_interval(p, optarg);
			break;
		case 'l':
			if (getuid())
				bad("only root may preload (-l)");
			p->preload = parse_long(optarg, 0, 1 << 20,
						"preload value");
			break;
		case 'm':
			p->mflag++;
			break;
		case 'n':
			/* output is numeric already: no reverse lookups */
			break;
		case 'p':
			parse_pattern(p, optarg);
			break;
		case 'q':
			p->options |= F_QUIET;
			break;
		case 'S':
			if (resolve(optarg, true, &p->src))
				bad("source address is not a numeric IPv6 address -- %s",
				    optarg);
			p->options |= F_SOURCE;
			break;
		case 's':
			p->datalen = parse_long(optarg, 0, MAXDATALEN,
						"datalen value");
			break;
		case 'v':
			p->options |= F_VERBOSE;
			break;
		case 'x':
			p->waittime = parse_long(optarg, 1, 3600 * 1000,
						 "wait time");
			p->options |= F_WAITTIME;
			break;
		case ':':
			usage_error("option requires an argument", optopt);
		default:
			usage_error("unknown option", optopt);
		}
	}
	if ((p->options & F_FLOOD) && (p->options & F_INTERVAL))
		bad("-f and -i incompatible options");
	if (optind == argc)
		usage_error("missing host", 0);
	if (optind + 1 < argc)
		bad("intermediate hops (a type 0 routing header, RFC 5095) are not supported -- %s",
		    argv[optind]);
	p->target = argv[optind];
}

/* The family: AF_KAME (the module's number) unless KAME_FAMILY says. */
static int pick_family(void)
{
	const char *e = getenv("KAME_FAMILY");
	FILE *f;
	int af = AF_KAME;

	if (e && *e && strcmp(e, "kame")) {
		if (!strcmp(e, "inet6"))
			return AF_INET6;
		bad("KAME_FAMILY must be \"kame\" or \"inet6\" -- %s", e);
	}
	f = fopen("/sys/module/kame/parameters/family", "r");
	if (f) {
		if (fscanf(f, "%d", &af) != 1)
			af = AF_KAME;
		fclose(f);
	}
	return af;
}

static void set_target(struct kping6 *p)
{
	int err = resolve(p->target, false, &p->dst);
	uint32_t *scope = &p->dst.sin6_scope_id;

	if (err)
		bad("cannot resolve %s: %s", p->target, gai_strerror(err));
	if (p->ifindex && in6_scoped(&p->dst.sin6_addr)) {
		if (*scope && *scope != p->ifindex)
			bad("the zone of %s is not the interface of -I",
			    p->target);
		*scope = p->ifindex;
	}
	if ((p->options & F_SOURCE) && in6_scoped(&p->src.sin6_addr) &&
	    !p->src.sin6_scope_id)
		p->src.sin6_scope_id = p->ifindex ?: *scope;
}

/* A copy of sa in the socket family used. */
static struct sockaddr_in6 fam(const struct kping6 *p,
			       const struct sockaddr_in6 *sa)
{
	struct sockaddr_in6 r = *sa;

	r.sin6_family = p->af;
	return r;
}

static int setopt_int(int fd, int level, int name, int val)
{
	return setsockopt(fd, level, name, &val, sizeof(val));
}

/* -I: the outgoing interface, on the ping socket or the source finder. */
static int set_outif(const struct kping6 *p, int fd)
{
	struct in6_pktinfo pi = { .ipi6_ifindex = p->ifindex };

	if (!p->ifindex || in6_scoped(&p->dst.sin6_addr))
		return 0;	/* none, or the scope id carries it */
	if (IN6_IS_ADDR_MULTICAST(&p->dst.sin6_addr))
		return setopt_int(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF,
				  p->ifindex) ? -1 : 0;
	return setsockopt(fd, IPPROTO_IPV6, IPV6_PKTINFO, &pi, sizeof(pi));
}

/* The source the kernel picks: connect a UDP socket, ask its name. */
static void find_source(struct kping6 *p)
{
	struct sockaddr_in6 sa = fam(p, &p->dst);
	socklen_t len = sizeof(sa);
	int fd;

	if (p->options & F_SOURCE)
		return;
	fd = socket(p->af, SOCK_DGRAM, IPPROTO_UDP);
	if (fd < 0)
		fatal("UDP socket: %s", strerror(errno));
	set_outif(p, fd);
	sa.sin6_port = htons(DUMMY_PORT);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		fatal("UDP connect to %s: %s", p->target, strerror(errno));
	if (getsockname(fd, (struct sockaddr *)&sa, &len))
		fatal("getsockname: %s", strerror(errno));
	close(fd);
	p->src = sa;
	p->src.sin6_family = AF_INET6;
}

/* -m: KAME sends at the minimum MTU unless told; Linux says IPV6_MTU. */
static void set_mtu(struct kping6 *p)
{
	if (!p->mflag) {
		if (setopt_int(p->fd, IPPROTO_IPV6, IPV6_MTU, 1280) &&
		    (p->options & F_VERBOSE))
			warnmsg("setsockopt(IPV6_MTU): %s: fragments follow the link MTU",
				strerror(errno));
		return;
	}
	if (setopt_int(p->fd, IPPROTO_IPV6, IPV6_RECVPATHMTU, 1) &&
	    (p->options & F_VERBOSE))
		warnmsg("setsockopt(IPV6_RECVPATHMTU): %s", strerror(errno));
}

static void set_filter(struct kping6 *p)
{
	struct icmp6_filter f;

	if (p->options & F_VERBOSE) {
		ICMP6_FILTER_SETPASSALL(&f);
	} else {
		ICMP6_FILTER_SETBLOCKALL(&f);
		ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
		ICMP6_FILTER_SETPASS(ICMP6_DST_UNREACH, &f);
		ICMP6_FILTER_SETPASS(ICMP6_PACKET_TOO_BIG, &f);
		ICMP6_FILTER_SETPASS(ICMP6_TIME_EXCEEDED, &f);
		ICMP6_FILTER_SETPASS(ICMP6_PARAM_PROB, &f);
	}
	if (setsockopt(p->fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f)))
		fatal("setsockopt(ICMP6_FILTER): %s", strerror(errno));
}

static void open_socket(struct kping6 *p)
{
	p->fd = socket(p->af, SOCK_RAW, IPPROTO_ICMPV6);
	if (p->fd < 0) {
		if (p->af != AF_INET6 && errno == EAFNOSUPPORT)
			fatal("socket: %s (is the kame module loaded? KAME_FAMILY=inet6 uses Linux's IPv6)",
			      strerror(errno));
		fatal("socket: %s", strerror(errno));
	}
	if (p->options & F_SOCKBUF) {
		if (p->datalen > p->sockbuf)
			warnmsg("you need -b to increase socket buffer size");
		if (setopt_int(p->fd, SOL_SOCKET, SO_SNDBUF, p->sockbuf))
			fatal("setsockopt(SO_SNDBUF): %s", strerror(errno));
		if (setopt_int(p->fd, SOL_SOCKET, SO_RCVBUF, p->sockbuf))
			fatal("setsockopt(SO_RCVBUF): %s", strerror(errno));
	}
	set_filter(p);
	if (p->options & F_HOPLIMIT) {
		if (setopt_int(p->fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS,
			       p->hoplimit))
			fatal("setsockopt(IPV6_UNICAST_HOPS): %s",
			      strerror(errno));
		if (setopt_int(p->fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS,
			       p->hoplimit))
			fatal("setsockopt(IPV6_MULTICAST_HOPS): %s",
			      strerror(errno));
	}
	if (set_outif(p, p->fd))
		fatal("-I: setsockopt(%s): %s",
		      IN6_IS_ADDR_MULTICAST(&p->dst.sin6_addr) ?
		      "IPV6_MULTICAST_IF" : "IPV6_PKTINFO", strerror(errno));
	set_mtu(p);
	/* without these the replies show no hlim= and -v no dstaddr= */
	if (setopt_int(p->fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1) &&
	    (p->options & F_VERBOSE))
		warnmsg("setsockopt(IPV6_RECVHOPLIMIT): %s", strerror(errno));
	if (setopt_int(p->fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1) &&
	    (p->options & F_VERBOSE))
		warnmsg("setsockopt(IPV6_RECVPKTINFO): %s", strerror(errno));
	/* round trips end at the kernel's arrival time, as KAME's ping6 */
	if (setopt_int(p->fd, SOL_SOCKET, SO_TIMESTAMP, 1) &&
	    (p->options & F_VERBOSE))
		warnmsg("setsockopt(SO_TIMESTAMP): %s: round trips end when read",
			strerror(errno));
	if (p->options & F_SOURCE) {
		struct sockaddr_in6 s = fam(p, &p->src);

		if (bind(p->fd, (struct sockaddr *)&s, sizeof(s)))
			fatal("bind to %s: %s", pr_addr(&p->src.sin6_addr,
						       p->src.sin6_scope_id),
			      strerror(errno));
	}
}

/* The request: header, timestamp, then the fill (0x08, 0x09, ... or -p). */
static void prepare_packet(struct kping6 *p)
{
	size_t len = ICMP6ECHOLEN + p->datalen, i;

	p->timing = p->datalen >= ICMP6ECHOTMLEN;
	p->fill_off = ICMP6ECHOLEN + (p->timing ? ICMP6ECHOTMLEN : 0);
	p->outpack = calloc(1, len);
	p->inlen = len + 40 + 2048;
	p->inpack = malloc(p->inlen);
	if (!p->outpack || !p->inpack)
		fatal("out of memory");
	for (i = p->fill_off; i < len; i++)
		p->outpack[i] = p->patlen ?
			p->pattern[(i - p->fill_off) % p->patlen] : i;
	if (p->patlen && !(p->options & F_QUIET)) {
		printf("PATTERN: 0x");
		for (i = 0; i < (size_t)p->patlen; i++)
			printf("%02x", p->pattern[i]);
		printf("\n");
	}
}

int main(int argc, char **argv)
{
	static struct kping6 p = {
		.datalen = ICMP6ECHOTMLEN,
		.interval_us = 1000000,
		.waittime = DEFWAITTIME,
		.tmin = 1e300,
		.fd = -1,
	};

	parse_options(&p, argc, argv);
	p.af = pick_family();
	set_target(&p);
	p.ident = getpid() & 0xffff;
	open_socket(&p);
	find_source(&p);
	prepare_packet(&p);

	printf("PING6(%d=40+8+%d bytes) ", 40 + ICMP6ECHOLEN + p.datalen,
	       p.datalen);
	printf("%s --> ", pr_addr(&p.src.sin6_addr, p.src.sin6_scope_id));
	printf("%s\n", pr_addr(&p.dst.sin6_addr, p.dst.sin6_scope_id));
	fflush(stdout);

	kping6_run(&p);
	kping6_summary(&p);
	return p.nreceived ? 0 : 1;
}
