// SPDX-License-Identifier: GPL-2.0
/*
 * kame-raw: raw AF_KAME sockets and socket errors, for the tests. The same
 * code would run on AF_INET6 with the family changed.
 *   kame-raw ping [-c COUNT] [-s SIZE] [-I IDENT] [-W SECS] [-b] ADDR[%IF]
 *       ICMPv6 echo requests (ident IDENT, seq 1..COUNT, SIZE bytes of
 *       pattern), one line per checked reply; -b blocks echo replies with
 *       ICMP6_FILTER. Exit 0 when every request got its reply.
 *   kame-raw recv [-p PROTO] [-C OFF] [-n COUNT] [-W SECS] [-t TYPE]
 *       print "ready", then each message: "from ADDR LEN bytes: HEX"
 *       (-t: ICMPv6 messages of that type only, by ICMP6_FILTER).
 *   kame-raw send [-p PROTO] [-C OFF] [-M] ADDR[%IF] HEX
 *       (-M: with MSG_CONFIRM, a reachability hint for the next hop)
 *   kame-raw udperr [-n] [-r] [-W SECS] [-l LPORT] ADDR[%IF] PORT
 *       connect a UDP socket (bound to LPORT first with -l), print
 *       "lport N", send one datagram (not with
 *       -n), wait for an error and print "so_error: ENAME" (or with -r
 *       "recv: ENAME" from the next recv()).
 * Exit: 0 done, 1 error or nothing in time.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/icmp6.h>
#include <sys/socket.h>
#include <linux/kame.h>
#include "kame_af.h"

static unsigned char buf[65536];

static const char *addr_str(const struct sockaddr_kame *sa)
{
	static char s[INET6_ADDRSTRLEN + 16];
	char a[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, &sa->sin6_addr, a, sizeof(a));
	if (sa->sin6_scope_id)
		snprintf(s, sizeof(s), "%s%%%u", a, sa->sin6_scope_id);
	else
		snprintf(s, sizeof(s), "%s", a);
	return s;
}

static int raw_socket(int proto, int cksum)
{
	int fd = socket(kame_af(), SOCK_RAW, proto);

	if (fd < 0)
		kame_fail("socket");
	if (cksum >= 0 && setsockopt(fd, SOL_IPV6, IPV6_CHECKSUM, &cksum,
				     sizeof(cksum)))
		kame_fail("IPV6_CHECKSUM");
	return fd;
}

static int wait_in(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1;
}

static long ms_left(const struct timespec *end)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (end->tv_sec - now.tv_sec) * 1000 +
	       (end->tv_nsec - now.tv_nsec) / 1000000;
}

/* Wait for the echo reply of seq; 1 when it came, checked. */
static int ping_wait(int fd, int ident, int seq, int size, int secs)
{
	struct icmp6_hdr *h = (struct icmp6_hdr *)buf;
	struct sockaddr_kame from;
	struct timespec end;
	socklen_t fl;
	ssize_t n;
	long ms;
	int i;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += secs;
	while ((ms = ms_left(&end)) > 0 && wait_in(fd, ms)) {
		fl = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			     &fl);
		if (n < 0)
			kame_fail("recvfrom");
		if (n < 8 || h->icmp6_type != ICMP6_ECHO_REPLY ||
		    ntohs(h->icmp6_id) != ident || ntohs(h->icmp6_seq) != seq)
			continue;
		for (i = 0; i < size; i++)
			if (n != 8 + size || buf[8 + i] != (unsigned char)i)
				break;
		printf("reply from %s: ident=%d seq=%d bytes=%zd %s\n",
		       addr_str(&from), ident, seq, n,
		       i == size && n == 8 + size ? "ok" : "CORRUPT");
		return i == size && n == 8 + size;
	}
	return 0;
}

static int do_ping(int argc, char **argv)
{
	int c, count = 1, size = 56, ident = 0x4b41, secs = 2, block = 0;
	struct icmp6_hdr *h = (struct icmp6_hdr *)buf;
	struct sockaddr_kame to;
	struct icmp6_filter f;
	int fd, seq, got = 0;

	while ((c = getopt(argc, argv, "c:s:I:W:b")) != -1) {
		if (c == 'c')
			count = atoi(optarg);
		else if (c == 's')
			size = atoi(optarg);
		else if (c == 'I')
			ident = atoi(optarg);
		else if (c == 'W')
			secs = atoi(optarg);
		else if (c == 'b')
			block = 1;
	}
	if (optind + 1 != argc || size < 0 || size > 60000)
		return fprintf(stderr, "Error: usage: kame-raw ping [-c COUNT] [-s SIZE] [-I IDENT] [-W SECS] [-b] ADDR\n"), 1;
	kame_addr_parse(argv[optind], 0, &to);
	fd = raw_socket(IPPROTO_ICMPV6, -1);
	ICMP6_FILTER_SETPASSALL(&f);
	if (block)
		ICMP6_FILTER_SETBLOCK(ICMP6_ECHO_REPLY, &f);
	if (setsockopt(fd, SOL_ICMPV6, ICMP6_FILTER, &f, sizeof(f)))
		kame_fail("ICMP6_FILTER");
	for (seq = 1; seq <= count; seq++) {
		memset(h, 0, sizeof(*h));
		h->icmp6_type = ICMP6_ECHO_REQUEST;
		h->icmp6_id = htons(ident);
		h->icmp6_seq = htons(seq);
		for (c = 0; c < size; c++)
			buf[8 + c] = c;
		if (sendto(fd, buf, 8 + size, 0, (struct sockaddr *)&to,
			   sizeof(to)) != 8 + size)
			kame_fail("sendto");
		got += ping_wait(fd, ident, seq, size, secs);
	}
	printf("%d sent, %d received\n", count, got);
	return got == count ? 0 : 1;
}

static int do_recv(int argc, char **argv)
{
	int c, proto = IPPROTO_ICMPV6, cksum = -1, count = 1, secs = 5;
	int type = -1, fd, i;
	struct sockaddr_kame from;
	struct icmp6_filter f;
	socklen_t fl;
	ssize_t n;

	while ((c = getopt(argc, argv, "p:C:n:W:t:")) != -1) {
		if (c == 'p')
			proto = atoi(optarg);
		else if (c == 'C')
			cksum = atoi(optarg);
		else if (c == 'n')
			count = atoi(optarg);
		else if (c == 'W')
			secs = atoi(optarg);
		else if (c == 't')
			type = atoi(optarg);
	}
	fd = raw_socket(proto, cksum);
	if (type >= 0) {
		ICMP6_FILTER_SETBLOCKALL(&f);
		ICMP6_FILTER_SETPASS(type, &f);
		if (setsockopt(fd, SOL_ICMPV6, ICMP6_FILTER, &f, sizeof(f)))
			kame_fail("ICMP6_FILTER");
	}
	printf("ready\n");
	fflush(stdout);
	while (count--) {
		if (!wait_in(fd, secs * 1000)) {
			printf("timeout\n");
			return 1;
		}
		fl = sizeof(from);
		n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			     &fl);
		if (n < 0)
			kame_fail("recvfrom");
		printf("from %s %zd bytes: ", addr_str(&from), n);
		for (i = 0; i < n && i < 256; i++)
			printf("%02x", buf[i]);
		printf("\n");
		fflush(stdout);
	}
	return 0;
}

static int do_send(int argc, char **argv)
{
	int c, proto = 253, cksum = -1, fd, flags = 0;
	struct sockaddr_kame to;
	size_t len = 0;
	const char *hex;

	while ((c = getopt(argc, argv, "p:C:M")) != -1) {
		if (c == 'p')
			proto = atoi(optarg);
		else if (c == 'C')
			cksum = atoi(optarg);
		else if (c == 'M')
			flags = MSG_CONFIRM;
	}
	if (optind + 2 != argc)
		return fprintf(stderr, "Error: usage: kame-raw send [-p PROTO] [-C OFF] [-M] ADDR HEX\n"), 1;
	kame_addr_parse(argv[optind], 0, &to);
	for (hex = argv[optind + 1]; hex[0] && hex[1] && len < sizeof(buf);
	     hex += 2)
		if (sscanf(hex, "%2hhx", &buf[len++]) != 1)
			return fprintf(stderr, "Error: bad hex payload\n"), 1;
	fd = raw_socket(proto, cksum);
	if (sendto(fd, buf, len, flags, (struct sockaddr *)&to, sizeof(to)) !=
	    (ssize_t)len)
		kame_fail("sendto");
	return 0;
}

static int do_udperr(int argc, char **argv)
{
	int c, nosend = 0, use_recv = 0, secs = 5, fd, err = 0, lport = 0;
	struct pollfd p = { .events = POLLERR };
	struct sockaddr_kame to, me;
	socklen_t l = sizeof(me);

	while ((c = getopt(argc, argv, "nrW:l:")) != -1) {
		if (c == 'n')
			nosend = 1;
		else if (c == 'r')
			use_recv = 1;
		else if (c == 'W')
			secs = atoi(optarg);
		else if (c == 'l')
			lport = atoi(optarg);
	}
	if (optind + 2 != argc)
		return fprintf(stderr, "Error: usage: kame-raw udperr [-n] [-r] [-W SECS] [-l LPORT] ADDR PORT\n"), 1;
	kame_addr_parse(argv[optind], 0, &to);
	to.sin6_port = htons(atoi(argv[optind + 1]));
	memset(&me, 0, sizeof(me));
	me.sin6_family = kame_af();
	me.sin6_port = htons(lport);
	fd = socket(kame_af(), SOCK_DGRAM, 0);
	if (fd < 0 || (lport && bind(fd, (struct sockaddr *)&me, sizeof(me))) ||
	    connect(fd, (struct sockaddr *)&to, sizeof(to)) ||
	    getsockname(fd, (struct sockaddr *)&me, &l))
		kame_fail("UDP socket");
	printf("lport %d\n", ntohs(me.sin6_port));
	fflush(stdout);
	if (!nosend && send(fd, "x", 1, 0) != 1)
		kame_fail("send");
	p.fd = fd;
	if (poll(&p, 1, secs * 1000) != 1 || !(p.revents & POLLERR)) {
		printf("no error\n");
		return 1;
	}
	if (use_recv) {
		if (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
			return printf("recv: no error\n"), 1;
		printf("recv: %s\n", strerrorname_np(errno));
	} else {
		l = sizeof(err);
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l))
			kame_fail("SO_ERROR");
		printf("so_error: %s\n", err ? strerrorname_np(err) : "0");
	}
	/* read once, the error is gone */
	l = sizeof(err);
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l) || err)
		return printf("error still set: %d\n", err), 1;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "ping"))
		return do_ping(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "recv"))
		return do_recv(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "send"))
		return do_send(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "udperr"))
		return do_udperr(argc - 1, argv + 1);
	fprintf(stderr, "Error: usage: kame-raw { ping | recv | send | udperr } ...\n");
	return 1;
}
