// SPDX-License-Identifier: GPL-2.0
/*
 * kame-udp: a small UDP program on AF_KAME sockets, for the tests and the
 * demo. The same code would run on AF_INET6 with the family changed.
 *   kame-udp echo [-n COUNT] PORT        answer COUNT datagrams (default 1)
 *   kame-udp send [-s SIZE] [-t SECS] ADDR[%IF] PORT [MESSAGE]
 *                                        send, print the answer
 *   kame-udp sink [-r RCVBUF] PORT SECS  bind, print "ready rcvbuf N" (N
 *                                        as SO_RCVBUF reads back), wait SECS
 *                                        (or until SIGUSR1) unread, drain,
 *                                        print "received COUNT"
 * Exit: 0 done, 1 error or no answer in time.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/kame.h>
#include "kame_af.h"

static char buf[65536];


static const char *addr_str(const struct sockaddr_kame *sa)
{
	static char s[INET6_ADDRSTRLEN + 24];
	char a[INET6_ADDRSTRLEN];

	inet_ntop(AF_INET6, &sa->sin6_addr, a, sizeof(a));
	if (sa->sin6_scope_id)
		snprintf(s, sizeof(s), "[%s%%%u]:%u", a, sa->sin6_scope_id,
			 ntohs(sa->sin6_port));
	else
		snprintf(s, sizeof(s), "[%s]:%u", a, ntohs(sa->sin6_port));
	return s;
}

static int bound_socket(int port, int rcvbuf)
{
	struct sockaddr_kame sa = { .sin6_family = kame_af(),
				    .sin6_port = htons(port) };
	int fd = socket(kame_af(), SOCK_DGRAM, 0);

	if (fd < 0)
		kame_fail("socket");
	if (rcvbuf && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
				 sizeof(rcvbuf)))
		kame_fail("SO_RCVBUF");
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		kame_fail("bind");
	return fd;
}

static int do_echo(int argc, char **argv)
{
	int c, count = 1, fd;

	while ((c = getopt(argc, argv, "n:")) != -1)
		if (c == 'n')
			count = atoi(optarg);
	if (optind + 1 != argc)
		return fprintf(stderr, "Error: usage: kame-udp echo [-n COUNT] PORT\n"), 1;
	fd = bound_socket(atoi(argv[optind]), 0);
	printf("ready\n");
	fflush(stdout);
	while (count--) {
		struct sockaddr_kame from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &fl);

		if (n < 0)
			kame_fail("recvfrom");
		printf("from %s %zd bytes\n", addr_str(&from), n);
		fflush(stdout);
		if (sendto(fd, buf, n, 0, (struct sockaddr *)&from, fl) != n)
			kame_fail("sendto");
	}
	return 0;
}

static int do_send(int argc, char **argv)
{
	struct sockaddr_kame to, from;
	socklen_t fl = sizeof(from);
	int c, size = -1, secs = 5, fd, i;
	struct pollfd p;
	size_t len;
	ssize_t n;

	while ((c = getopt(argc, argv, "s:t:")) != -1) {
		if (c == 's')
			size = atoi(optarg);
		else if (c == 't')
			secs = atoi(optarg);
	}
	if (argc - optind < 2 || size > (int)sizeof(buf))
		return fprintf(stderr, "Error: usage: kame-udp send [-s SIZE] [-t SECS] ADDR PORT [MESSAGE]\n"), 1;
	kame_addr_parse(argv[optind], atoi(argv[optind + 1]), &to);
	if (size >= 0) {
		for (i = 0; i < size; i++)
			buf[i] = 'a' + i % 26;
		len = size;
	} else {
		len = snprintf(buf, sizeof(buf), "%s",
			       argc - optind > 2 ? argv[optind + 2] : "hello");
	}
	fd = socket(kame_af(), SOCK_DGRAM, 0);
	if (fd < 0)
		kame_fail("socket");
	if (sendto(fd, buf, len, 0, (struct sockaddr *)&to, sizeof(to)) !=
	    (ssize_t)len)
		kame_fail("sendto");
	p.fd = fd;
	p.events = POLLIN;
	if (poll(&p, 1, secs * 1000) != 1) {
		fprintf(stderr, "Error: no answer from %s\n", addr_str(&to));
		return 1;
	}
	n = recvfrom(fd, buf, sizeof(buf) - 1, 0, (struct sockaddr *)&from, &fl);
	if (n < 0)
		kame_fail("recvfrom");
	buf[n] = 0;
	printf("from %s %zd bytes%s%s\n", addr_str(&from), n,
	       size < 0 ? ": " : "", size < 0 ? buf : "");
	return 0;
}

/* SIGUSR1 only cuts the sink's wait short */
static void sink_wake(int sig)
{
}

static int do_sink(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = sink_wake };
	int c, rcvbuf = 0, fd, got = 0;
	socklen_t len = sizeof(rcvbuf);

	while ((c = getopt(argc, argv, "r:")) != -1)
		if (c == 'r')
			rcvbuf = atoi(optarg);
	if (optind + 2 != argc)
		return fprintf(stderr, "Error: usage: kame-udp sink [-r RCVBUF] PORT SECS\n"), 1;
	fd = bound_socket(atoi(argv[optind]), rcvbuf);
	if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, &len))
		kame_fail("SO_RCVBUF");
	sigaction(SIGUSR1, &sa, NULL);	/* no SA_RESTART: sleep() returns */
	printf("ready rcvbuf %d\n", rcvbuf);
	fflush(stdout);
	sleep(atoi(argv[optind + 1]));
	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
		got++;
	printf("received %d\n", got);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "echo"))
		return do_echo(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "send"))
		return do_send(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "sink"))
		return do_sink(argc - 1, argv + 1);
	fprintf(stderr, "Error: usage: kame-udp { echo | send | sink } ...\n");
	return 1;
}
