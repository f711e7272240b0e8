// SPDX-License-Identifier: GPL-2.0
/*
 * kame_dgram: an AF_KAME UDP sender and receiver with the RFC 3542 options,
 * for sockopt_native.sh.
 *   kame_dgram [OPTS] send ADDR[%IF][,ADDR...] PORT [SIZE]
 *   kame_dgram [OPTS] recv PORT COUNT SECS
 * OPTS: -u HOPS (IPV6_UNICAST_HOPS) -m HOPS (IPV6_MULTICAST_HOPS)
 *       -l 0|1 (IPV6_MULTICAST_LOOP) -i IF (IPV6_MULTICAST_IF)
 *       -t TCLASS (IPV6_TCLASS) -D (IPV6_DONTFRAG)
 *       -S ADDR (ancillary IPV6_PKTINFO source) -H HOPS (ancillary
 *       IPV6_HOPLIMIT) -T TCLASS (ancillary IPV6_TCLASS)
 *       -j GROUP%IF (IPV6_JOIN_GROUP) -L N (recv: leave the group after
 *       N datagrams and print "left") -x SECS (recv: after COUNT datagrams
 *       print what else comes within SECS)
 *       -r (recv: IPV6_RECVPKTINFO, IPV6_RECVHOPLIMIT, IPV6_RECVTCLASS)
 *       -M (send: with MSG_CONFIRM, a reachability hint for the next hop)
 *       -c COUNT -w MS (send: COUNT rounds, MS milliseconds apart)
 *       -g (send: each datagram one byte longer than the one before, so
 *       that the receiver can tell which arrived)
 *       -P PREFS (IPV6_ADDR_PREFERENCES, RFC 5014: IPV6_PREFER_SRC_*)
 *       -C (send: connect to each ADDR, then send without an address)
 * send sends one datagram to each ADDR in turn, from one socket, in each
 * round.
 * recv prints "ready" once bound (and joined), then one line per datagram:
 *   from ADDR[%SCOPE]:PORT N bytes dst=ADDR ifindex=I hlim=H tclass=T
 * "timeout" (exit 1) if one of the COUNT datagrams did not come within
 * SECS, else "done" at the end.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/kame.h>
#include "../kame_af.h"

static char buf[65536];

static void usage(void)
{
	fprintf(stderr, "Error: %s: kame_dgram [-u HOPS] [-m HOPS] [-l LOOP] [-i IF] [-t TC] [-D] [-S SRC] [-H HOPS] [-T TC] [-j GROUP%%IF] [-L N] [-x SECS] [-r] [-M] [-c COUNT] [-w MS] [-g] [-P PREFS] [-C] { send ADDR[,ADDR...] PORT [SIZE] | recv PORT COUNT SECS }\n",
		"usage");
	exit(1);
}

static void seti(int fd, int opt, int v, const char *name)
{
	if (setsockopt(fd, SOL_IPV6, opt, &v, sizeof(v)))
		kame_fail(name);
}

struct opts {
	int uhops, mhops, loop, tclass, dontfrag, hops_c, tclass_c, leave;
	int recvopts, extra, flags, rounds, wait_ms, grow, prefs, connect;
	const char *mif, *src, *group;
};

static void sticky(int fd, const struct opts *o)
{
	if (o->uhops >= -1)
		seti(fd, IPV6_UNICAST_HOPS, o->uhops, "IPV6_UNICAST_HOPS");
	if (o->mhops >= -1)
		seti(fd, IPV6_MULTICAST_HOPS, o->mhops, "IPV6_MULTICAST_HOPS");
	if (o->loop >= -1)
		seti(fd, IPV6_MULTICAST_LOOP, o->loop, "IPV6_MULTICAST_LOOP");
	if (o->tclass >= -1)
		seti(fd, IPV6_TCLASS, o->tclass, "IPV6_TCLASS");
	if (o->dontfrag)
		seti(fd, IPV6_DONTFRAG, 1, "IPV6_DONTFRAG");
	if (o->mif)
		seti(fd, IPV6_MULTICAST_IF, if_nametoindex(o->mif),
		     "IPV6_MULTICAST_IF");
	if (o->prefs >= 0)
		seti(fd, IPV6_ADDR_PREFERENCES, o->prefs,
		     "IPV6_ADDR_PREFERENCES");
}

static void put_int(struct msghdr *m, int *off, int type, int v)
{
	struct cmsghdr *h = (struct cmsghdr *)((char *)m->msg_control + *off);

	h->cmsg_level = SOL_IPV6;
	h->cmsg_type = type;
	h->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(h), &v, sizeof(v));
	*off += CMSG_SPACE(sizeof(int));
}

static int do_send(const struct opts *o, int argc, char **argv)
{
	char ctl[256] __attribute__((aligned(8))) = { 0 };
	struct sockaddr_kame to;
	struct iovec iov = { buf, 5 };
	struct msghdr m = { .msg_name = &to, .msg_namelen = sizeof(to),
			    .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = ctl };
	int fd, off = 0, round;
	char *dsts, *d;

	if (argc < 2)
		usage();
	memcpy(buf, "hello", 5);
	if (argc > 2) {
		iov.iov_len = atoi(argv[2]);
		if (iov.iov_len > sizeof(buf))
			usage();
	}
	fd = socket(kame_af(), SOCK_DGRAM, 0);
	if (fd < 0)
		kame_fail("socket");
	sticky(fd, o);
	if (o->src) {
		struct cmsghdr *h = (struct cmsghdr *)ctl;
		struct in6_pktinfo pi = { };

		if (inet_pton(AF_INET6, o->src, &pi.ipi6_addr) != 1)
			usage();
		h->cmsg_level = SOL_IPV6;
		h->cmsg_type = IPV6_PKTINFO;
		h->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(h), &pi, sizeof(pi));
		off += CMSG_SPACE(sizeof(pi));
	}
	if (o->hops_c >= -1)
		put_int(&m, &off, IPV6_HOPLIMIT, o->hops_c);
	if (o->tclass_c >= -1)
		put_int(&m, &off, IPV6_TCLASS, o->tclass_c);
	m.msg_controllen = off;
	if (!off)
		m.msg_control = NULL;
	for (round = 0; round < o->rounds; round++) {
		if (round)
			usleep(o->wait_ms * 1000);
		dsts = strdup(argv[0]);
		for (d = strtok(dsts, ","); d; d = strtok(NULL, ",")) {
			kame_addr_parse(d, atoi(argv[1]), &to);
			if (o->connect) {	/* the source connect picks */
				if (connect(fd, (struct sockaddr *)&to,
					    sizeof(to)))
					kame_fail("connect");
				m.msg_name = NULL;
				m.msg_namelen = 0;
			}
			if (sendmsg(fd, &m, o->flags) < 0)
				kame_fail("sendmsg");
			printf("sent %zu\n", iov.iov_len);
			fflush(stdout);
			if (o->grow && iov.iov_len < sizeof(buf))
				iov.iov_len++;
		}
		free(dsts);
	}
	return 0;
}

static void print_dgram(int fd)
{
	char ctl[256], a[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN] = "-";
	struct sockaddr_kame from;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr m = { .msg_name = &from, .msg_namelen = sizeof(from),
			    .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	int hlim = -1, tclass = -1, ifindex = -1;
	struct cmsghdr *h;
	ssize_t n;

	n = recvmsg(fd, &m, 0);
	if (n < 0)
		kame_fail("recvmsg");
	for (h = CMSG_FIRSTHDR(&m); h; h = CMSG_NXTHDR(&m, h)) {
		if (h->cmsg_level != SOL_IPV6)
			continue;
		if (h->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(h), sizeof(pi));
			inet_ntop(AF_INET6, &pi.ipi6_addr, d, sizeof(d));
			ifindex = pi.ipi6_ifindex;
		} else if (h->cmsg_type == IPV6_HOPLIMIT) {
			memcpy(&hlim, CMSG_DATA(h), sizeof(int));
		} else if (h->cmsg_type == IPV6_TCLASS) {
			memcpy(&tclass, CMSG_DATA(h), sizeof(int));
		}
	}
	inet_ntop(AF_INET6, &from.sin6_addr, a, sizeof(a));
	if (from.sin6_scope_id)
		printf("from %s%%%u:%u", a, from.sin6_scope_id,
		       ntohs(from.sin6_port));
	else
		printf("from %s:%u", a, ntohs(from.sin6_port));
	printf(" %zd bytes dst=%s ifindex=%d hlim=%d tclass=%d\n", n, d,
	       ifindex, hlim, tclass);
	fflush(stdout);
}

static int wait_in(int fd, int secs)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, secs * 1000) == 1;
}

static int do_recv(const struct opts *o, int argc, char **argv)
{
	struct sockaddr_kame any = { .sin6_family = kame_af() };
	struct ipv6_mreq mr = { };
	int fd, count, secs, i, one = 1;

	if (argc != 3)
		usage();
	any.sin6_port = htons(atoi(argv[0]));
	count = atoi(argv[1]);
	secs = atoi(argv[2]);
	fd = socket(kame_af(), SOCK_DGRAM, 0);
	if (fd < 0)
		kame_fail("socket");
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)))
		kame_fail("SO_REUSEADDR");
	if (bind(fd, (struct sockaddr *)&any, sizeof(any)))
		kame_fail("bind");
	sticky(fd, o);
	if (o->recvopts) {
		seti(fd, IPV6_RECVPKTINFO, 1, "IPV6_RECVPKTINFO");
		seti(fd, IPV6_RECVHOPLIMIT, 1, "IPV6_RECVHOPLIMIT");
		seti(fd, IPV6_RECVTCLASS, 1, "IPV6_RECVTCLASS");
	}
	if (o->group) {
		struct sockaddr_kame g;

		kame_addr_parse(o->group, 0, &g);
		mr.ipv6mr_multiaddr = g.sin6_addr;
		mr.ipv6mr_interface = g.sin6_scope_id;
		if (setsockopt(fd, SOL_IPV6, IPV6_JOIN_GROUP, &mr, sizeof(mr)))
			kame_fail("IPV6_JOIN_GROUP");
	}
	printf("ready\n");
	fflush(stdout);
	for (i = 1; i <= count; i++) {
		if (!wait_in(fd, secs)) {
			printf("timeout\n");
			return 1;
		}
		print_dgram(fd);
		if (o->group && i == o->leave) {
			if (setsockopt(fd, SOL_IPV6, IPV6_LEAVE_GROUP, &mr,
				       sizeof(mr)))
				kame_fail("IPV6_LEAVE_GROUP");
			printf("left\n");
			fflush(stdout);
		}
	}
	while (o->extra && wait_in(fd, o->extra))
		print_dgram(fd);
	printf("done\n");
	return 0;
}

int main(int argc, char **argv)
{
	struct opts o = { .uhops = -2, .mhops = -2, .loop = -2, .tclass = -2,
			  .hops_c = -2, .tclass_c = -2, .rounds = 1,
			  .prefs = -1 };
	int c;

	while ((c = getopt(argc, argv, "u:m:l:i:t:DS:H:T:j:L:rx:Mc:w:gP:C")) != -1) {
		switch (c) {
		case 'u':
			o.uhops = strtol(optarg, NULL, 0);
			break;
		case 'm':
			o.mhops = strtol(optarg, NULL, 0);
			break;
		case 'l':
			o.loop = strtol(optarg, NULL, 0);
			break;
		case 'i':
			o.mif = optarg;
			break;
		case 't':
			o.tclass = strtol(optarg, NULL, 0);
			break;
		case 'D':
			o.dontfrag = 1;
			break;
		case 'S':
			o.src = optarg;
			break;
		case 'H':
			o.hops_c = strtol(optarg, NULL, 0);
			break;
		case 'T':
			o.tclass_c = strtol(optarg, NULL, 0);
			break;
		case 'j':
			o.group = optarg;
			break;
		case 'L':
			o.leave = atoi(optarg);
			break;
		case 'x':
			o.extra = atoi(optarg);
			break;
		case 'r':
			o.recvopts = 1;
			break;
		case 'M':
			o.flags = MSG_CONFIRM;
			break;
		case 'c':
			o.rounds = atoi(optarg);
			break;
		case 'w':
			o.wait_ms = atoi(optarg);
			break;
		case 'g':
			o.grow = 1;
			break;
		case 'P':
			o.prefs = strtol(optarg, NULL, 0);
			break;
		case 'C':
			o.connect = 1;
			break;
		default:
			usage();
		}
	}
	if (optind < argc && !strcmp(argv[optind], "send"))
		return do_send(&o, argc - optind - 1, argv + optind + 1);
	if (optind < argc && !strcmp(argv[optind], "recv"))
		return do_recv(&o, argc - optind - 1, argv + optind + 1);
	usage();
	return 1;
}
