// SPDX-License-Identifier: GPL-2.0
/*
 * kping6: sending echo requests, taking the replies, the statistics.
 *
 * The schedule is KAME's: one request every interval (or, flooding, one
 * each time a reply comes or 10 ms pass); after the last one, wait twice
 * the longest round trip (at least a second) if replies came, else the
 * wait time (-x, default 10 s). With -c the run ends as soon as that many
 * distinct replies are in.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <netinet/icmp6.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include "kping6.h"

#define A(bit)	(p->rcvd_tbl[(bit) >> 3])
#define B(bit)	(1 << ((bit) & 0x07))
#define SET(bit)	(A(bit) |= B(bit))
#define CLR(bit)	(A(bit) &= ~B(bit))
#define TST(bit)	(A(bit) & B(bit))

static int64_t clock_us(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* the send schedule */
static int64_t now_us(void)
{
	return clock_us(CLOCK_MONOTONIC);
}

/* the timestamp in a request: wall clock, like SO_TIMESTAMP's */
static int64_t wall_us(void)
{
	return clock_us(CLOCK_REALTIME);
}

static void put_be32(uint8_t *b, uint32_t v)
{
	v = htonl(v);
	memcpy(b, &v, 4);
}

static uint32_t get_be32(const uint8_t *b)
{
	uint32_t v;

	memcpy(&v, b, 4);
	return ntohl(v);
}

static void pinger(struct kping6 *p)
{
	struct icmp6_hdr *icp = (struct icmp6_hdr *)p->outpack;
	struct sockaddr_in6 dst = p->dst;
	size_t cc = ICMP6ECHOLEN + p->datalen;
	uint16_t seq = p->ntransmitted++ & 0xffff;
	ssize_t ret;

	icp->icmp6_type = ICMP6_ECHO_REQUEST;
	icp->icmp6_code = 0;
	icp->icmp6_cksum = 0;		/* the kernel computes it */
	icp->icmp6_id = htons(p->ident);
	icp->icmp6_seq = htons(seq);
	CLR(seq % MAX_DUP_CHK);
	if (p->timing) {
		int64_t t = wall_us();

		put_be32(p->outpack + ICMP6ECHOLEN, t / 1000000);
		put_be32(p->outpack + ICMP6ECHOLEN + 4, t % 1000000);
	}
	dst.sin6_family = p->af;
	ret = sendto(p->fd, p->outpack, cc, 0, (struct sockaddr *)&dst,
		     sizeof(dst));
	if (ret < 0 || (size_t)ret != cc) {
		if (ret < 0)
			warnmsg("sendmsg: %s", strerror(errno));
		printf("kping6: wrote %s %zu chars, ret=%zd\n", p->target, cc,
		       ret);
	}
	if (!(p->options & F_QUIET) && (p->options & F_FLOOD))
		putchar('.');
}

struct rxinfo {
	int hlim;			/* -1: the kernel gave none */
	const struct in6_pktinfo *pi;	/* NULL: none */
	int pmtu;			/* IPV6_PATHMTU, 0: none */
	int64_t arrival_us;		/* SO_TIMESTAMP, else when read */
};

/* Round-trip time of a reply from its timestamp, in ms; -1 if none. */
static double triptime(const struct kping6 *p, const uint8_t *icp,
		       size_t cc, const struct rxinfo *rx)
{
	int64_t sent, t;

	if (!p->timing || cc < ICMP6ECHOLEN + ICMP6ECHOTMLEN)
		return -1;
	sent = (int64_t)get_be32(icp + ICMP6ECHOLEN) * 1000000 +
	       get_be32(icp + ICMP6ECHOLEN + 4);
	t = rx->arrival_us - sent;
	return t < 0 ? 0 : t / 1000.0;
}

static void check_data(const struct kping6 *p, const uint8_t *icp,
		       size_t cc)
{
	size_t i;

	for (i = p->fill_off; i < cc; i++)
		if (icp[i] != p->outpack[i]) {
			printf("\nwrong data byte #%zu should be 0x%x but was 0x%x",
			       i - ICMP6ECHOLEN, p->outpack[i], icp[i]);
			break;
		}
}

static void echo_reply(struct kping6 *p, const uint8_t *icp, size_t cc,
		       const struct sockaddr_in6 *from,
		       const struct rxinfo *rx)
{
	const struct icmp6_hdr *h = (const struct icmp6_hdr *)icp;
	uint16_t seq = ntohs(h->icmp6_seq);
	double t = triptime(p, icp, cc, rx);
	bool dup;

	p->nreceived++;
	if (t >= 0) {
		p->tsum += t;
		p->tsumsq += t * t;
		if (t < p->tmin)
			p->tmin = t;
		if (t > p->tmax)
			p->tmax = t;
	}
	dup = TST(seq % MAX_DUP_CHK);
	if (dup) {
		p->nrepeats++;
		p->nreceived--;
	} else {
		SET(seq % MAX_DUP_CHK);
	}
	if ((p->options & F_WAITTIME) && t > p->waittime) {
		p->nrcvtimeout++;
		return;
	}
	if (p->options & F_QUIET)
		return;
	if (p->options & F_FLOOD) {
		putchar('\b');
		return;
	}
	printf("%zu bytes from %s, icmp_seq=%u", cc,
	       pr_addr(&from->sin6_addr, from->sin6_scope_id), seq);
	if (rx->hlim >= 0)
		printf(" hlim=%d", rx->hlim);
	if ((p->options & F_VERBOSE) && rx->pi)
		printf(" dstaddr=%s dstifid=%u",
		       pr_addr(&rx->pi->ipi6_addr, rx->pi->ipi6_ifindex),
		       rx->pi->ipi6_ifindex);
	if (t >= 0)
		printf(" time=%g ms", t);
	if (dup)
		printf("(DUP!)");
	check_data(p, icp, cc);
	putchar('\n');
	fflush(stdout);
}

/* One ICMPv6 message: an echo reply of ours, an error, or other. */
static void pr_pack(struct kping6 *p, size_t cc,
		    const struct sockaddr_in6 *from, const struct rxinfo *rx)
{
	const uint8_t *icp = p->inpack;
	const struct icmp6_hdr *h = (const struct icmp6_hdr *)icp;
	bool verbose = p->options & F_VERBOSE;

	if (cc < sizeof(*h)) {
		if (verbose)
			warnmsg("packet too short (%zu bytes) from %s", cc,
				pr_addr(&from->sin6_addr, from->sin6_scope_id));
		return;
	}
	if (h->icmp6_type == ICMP6_ECHO_REPLY &&
	    ntohs(h->icmp6_id) == p->ident) {
		echo_reply(p, icp, cc, from, rx);
		return;
	}
	/*
	 * KAME's ping6 prints other messages with -v only; errors about our
	 * own requests are worth seeing without it.
	 */
	if (p->options & F_QUIET)
		return;
	if (!verbose && !icmp6_quotes_us(p, icp, cc))
		return;
	printf("%zu bytes from %s: ", cc,
	       pr_addr(&from->sin6_addr, from->sin6_scope_id));
	pr_icmph(icp, cc);
	fflush(stdout);
}

static void receive(struct kping6 *p)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) +
			 CMSG_SPACE(sizeof(int)) +
			 CMSG_SPACE(sizeof(struct ip6_mtuinfo)) +
			 CMSG_SPACE(sizeof(struct timeval))];
		struct cmsghdr align;
	} cbuf;
	struct sockaddr_in6 from = { 0 };
	struct iovec iov = { p->inpack, p->inlen };
	struct msghdr m = {
		.msg_name = &from, .msg_namelen = sizeof(from),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf.buf, .msg_controllen = sizeof(cbuf.buf),
	};
	struct rxinfo rx = { .hlim = -1 };
	struct cmsghdr *c;
	ssize_t cc;

	cc = recvmsg(p->fd, &m, MSG_DONTWAIT);
	if (cc < 0) {
		if (errno != EINTR && errno != EAGAIN)
			warnmsg("recvmsg: %s", strerror(errno));
		return;
	}
	rx.arrival_us = wall_us();
	for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_TIMESTAMP &&
		    c->cmsg_len == CMSG_LEN(sizeof(struct timeval))) {
			struct timeval tv;

			memcpy(&tv, CMSG_DATA(c), sizeof(tv));
			rx.arrival_us = (int64_t)tv.tv_sec * 1000000 +
					tv.tv_usec;
		}
		if (c->cmsg_level != IPPROTO_IPV6)
			continue;
		if (c->cmsg_type == IPV6_HOPLIMIT &&
		    c->cmsg_len == CMSG_LEN(sizeof(int)))
			memcpy(&rx.hlim, CMSG_DATA(c), sizeof(int));
		else if (c->cmsg_type == IPV6_PKTINFO &&
			 c->cmsg_len == CMSG_LEN(sizeof(struct in6_pktinfo)))
			rx.pi = (const struct in6_pktinfo *)CMSG_DATA(c);
		else if (c->cmsg_type == IPV6_PATHMTU &&
			 c->cmsg_len == CMSG_LEN(sizeof(struct ip6_mtuinfo)))
			rx.pmtu = ((const struct ip6_mtuinfo *)
				   CMSG_DATA(c))->ip6m_mtu;
	}
	if (rx.pmtu) {
		if (p->options & F_VERBOSE)
			printf("new path MTU (%d) is notified\n", rx.pmtu);
		if (!cc)
			return;
	}
	pr_pack(p, cc, &from, &rx);
}

/* After the last request: 2 x the longest trip (>= 1 s), or the wait time. */
static int64_t final_wait_us(const struct kping6 *p)
{
	int64_t s;

	if (!p->nreceived)
		return (int64_t)p->waittime * 1000;
	s = (int64_t)(2 * p->tmax / 1000);
	return (s ? s : 1) * 1000000;
}

static bool more_to_send(const struct kping6 *p)
{
	return !p->npackets || p->ntransmitted < p->npackets;
}

/* SIGINT and SIGTERM end the run through a signalfd polled with the socket. */
static int signals_fd(void)
{
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		fatal("sigprocmask: %s", strerror(errno));
	fd = signalfd(-1, &set, SFD_CLOEXEC);
	if (fd < 0)
		fatal("signalfd: %s", strerror(errno));
	return fd;
}

void kping6_run(struct kping6 *p)
{
	bool flood = p->options & F_FLOOD, almost_done = false;
	int64_t next, deadline = 0, now, wait;
	struct pollfd pfd[2] = {
		{ .fd = p->fd, .events = POLLIN },
		{ .fd = signals_fd(), .events = POLLIN },
	};
	long n;

	if (!p->preload) {
		pinger(p);
	} else {
		n = p->npackets && p->preload > p->npackets ? p->npackets :
							       p->preload;
		while (n-- > 0)
			pinger(p);
	}
	next = now_us() + (flood ? 10000 : p->interval_us);
	for (;;) {
		if (p->npackets && p->nreceived >= p->npackets)
			break;
		now = now_us();
		if (!almost_done && (flood || now >= next)) {
			if (more_to_send(p)) {
				pinger(p);
				next = flood ? now + 10000 :
				       next + p->interval_us;
				if (next <= now)
					next = now + p->interval_us;
			} else {
				almost_done = true;
				deadline = now + final_wait_us(p);
			}
		}
		if (almost_done && now >= deadline)
			break;
		wait = (almost_done ? deadline : next) - now;
		if (wait < 0)
			wait = 0;
		if (poll(pfd, 2, (wait + 999) / 1000) <= 0)
			continue;
		if (pfd[1].revents)
			break;
		if (pfd[0].revents)
			receive(p);
	}
	close(pfd[1].fd);
}

void kping6_summary(const struct kping6 *p)
{
	if (p->options & F_FLOOD)
		putchar('\n');
	printf("\n--- %s ping6 statistics ---\n", p->target);
	printf("%ld packets transmitted, ", p->ntransmitted);
	printf("%ld packets received, ", p->nreceived);
	if (p->nrepeats)
		printf("+%ld duplicates, ", p->nrepeats);
	if (p->ntransmitted) {
		if (p->nreceived > p->ntransmitted)
			printf("-- somebody's duplicating packets!");
		else
			printf("%.1f%% packet loss",
			       (p->ntransmitted - p->nreceived) * 100.0 /
			       p->ntransmitted);
	}
	if (p->nrcvtimeout)
		printf(", %ld packets out of wait time", p->nrcvtimeout);
	putchar('\n');
	if (p->nreceived && p->timing) {
		double num = p->nreceived + p->nrepeats;
		double avg = p->tsum / num;
		double var = p->tsumsq / num - avg * avg;

		printf("round-trip min/avg/max/std-dev = %.3f/%.3f/%.3f/%.3f ms\n",
		       p->tmin, avg, p->tmax, sqrt(var > 0 ? var : 0));
	}
	fflush(stdout);
}
