// SPDX-License-Identifier: GPL-2.0
/*
 * rtsold / rtsol: KAME's router solicitation daemon for the KAME stack.
 * Router Solicitations go out on an AF_KAME raw ICMPv6 socket to ff02::2
 * with a Source Link-Layer Address option, with RFC 4861 6.3.7's timing:
 * a random delay of up to MAX_RTR_SOLICITATION_DELAY, then at most
 * MAX_RTR_SOLICITATIONS, RTR_SOLICITATION_INTERVAL apart, until a valid
 * Router Advertisement arrives on the interface. The kernel processes
 * the advertisement itself; this program only asks for one.
 * rtsold restarts on an interface whose link comes up again; rtsol (the
 * program called by that name) is rtsold -f -1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/kame.h>
#include <linux/rtnetlink.h>
#include "../lib/nl.h"
#include "../lib/print.h"
#include "../lib/util.h"

#define MAX_RTR_SOLICITATION_DELAY	1.0	/* s, RFC 4861 10 */
#define RTR_SOLICITATION_INTERVAL	4.0	/* s */
#define MAX_RTR_SOLICITATIONS		3
#define PROBE_INTERVAL			60.0	/* s, -m */
#define MAX_IFS				64

enum { ST_DELAY, ST_PROBE, ST_IDLE, ST_DOWN };

struct ifinfo {
	char name[IF_NAMESIZE];
	int ifindex;
	unsigned char mac[6];
	int has_mac;
	int state, probes, got_ra, running;
	double timer;		/* when the state's next step is due; 0 none */
};

static struct ifinfo ifs[MAX_IFS];
static int nifs, fd, rtfd = -1, af;
static int fflag, oneshot, mflag, loglevel = LOG_NOTICE;

static void rtsol_usage(int rtsol)
{
	fputs(rtsol ? "usage: rtsol [-dD] interface ...\n"
		      "usage: rtsol [-dD] -a\n" :
		      "usage: rtsold [-dDfm1] interface ...\n"
		      "usage: rtsold [-dDfm1] -a\n", stderr);
	exit(1);
}

static void __attribute__((format(printf, 2, 3))) logmsg(int level,
							  const char *fmt, ...)
{
	va_list ap;

	if (level > loglevel)
		return;
	va_start(ap, fmt);
	if (fflag) {
		fprintf(stderr, "%s: ", progname);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	} else {
		vsyslog(level, fmt, ap);
	}
	va_end(ap);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Probing (re)starts after a random delay of up to one second. */
static void start_probe(struct ifinfo *ifi)
{
	ifi->state = ST_DELAY;
	ifi->probes = 0;
	ifi->timer = now() + MAX_RTR_SOLICITATION_DELAY * drand48();
	logmsg(LOG_DEBUG, "%s: probing in %.3f s", ifi->name,
	       ifi->timer - now());
}

static void add_if(const char *name)
{
	struct ifinfo *ifi;
	struct ifreq ifr = { 0 };
	int s;

	if (nifs == MAX_IFS)
		die("too many interfaces");
	ifi = &ifs[nifs];
	if (strlen(name) < sizeof(ifi->name))
		ifi->ifindex = if_nametoindex(name);
	if (!ifi->ifindex)
		die("unknown interface: %s", name);
	snprintf(ifi->name, sizeof(ifi->name), "%s", name);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	s = socket(AF_INET, SOCK_DGRAM, 0);
	if (s >= 0 && !ioctl(s, SIOCGIFHWADDR, &ifr) &&
	    ifr.ifr_hwaddr.sa_family == ARPHRD_ETHER) {
		memcpy(ifi->mac, ifr.ifr_hwaddr.sa_data, 6);
		ifi->has_mac = 1;
	}
	if (s >= 0 && !ioctl(s, SIOCGIFFLAGS, &ifr))
		ifi->running = (ifr.ifr_flags & (IFF_UP | IFF_RUNNING)) ==
			       (IFF_UP | IFF_RUNNING);
	if (s >= 0)
		close(s);
	nifs++;
}

/* -a: every interface attached to the stack that is not point-to-point */
static int auto_if(struct nlattr **tb, void *arg)
{
	uint32_t flags = tb[KAME_LINK_A_FLAGS] ?
			 nla_get_u32(tb[KAME_LINK_A_FLAGS]) : 0;

	if (tb[KAME_LINK_A_IFNAME] && !(flags & KAME_LINK_F_POINTOPOINT))
		add_if(nla_get_string(tb[KAME_LINK_A_IFNAME]));
	return 0;
}

static void probe_all(void)
{
	struct knl k;

	knl_open(&k);
	knl_talk_or_die(&k, knl_msg(&k, KAME_CMD_LINK_GET, NLM_F_DUMP),
			KAME_LINK_A_MAX, auto_if, NULL);
	knl_close(&k);
	if (!nifs)
		die("no interface to probe: attach one with kame link attach");
}

static void open_sockets(void)
{
	struct icmp6_filter f;
	int v = 255, one = 1;

	fd = socket(af, SOCK_RAW, IPPROTO_ICMPV6);
	if (fd < 0)
		die("socket: %s (is the kame module loaded?)", strerror(errno));
	ICMP6_FILTER_SETBLOCKALL(&f);
	ICMP6_FILTER_SETPASS(ND_ROUTER_ADVERT, &f);
	if (setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &v, sizeof(v)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof(one)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one, sizeof(one)))
		die("setsockopt: %s", strerror(errno));
	if (oneshot)
		return;
	/* rtsold follows the links: probing restarts when one comes up */
	rtfd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (rtfd >= 0) {
		struct sockaddr_nl sa = { .nl_family = AF_NETLINK,
					  .nl_groups = RTMGRP_LINK };

		if (bind(rtfd, (struct sockaddr *)&sa, sizeof(sa))) {
			close(rtfd);
			rtfd = -1;
		}
	}
	if (rtfd < 0)
		logmsg(LOG_WARNING, "cannot follow link changes: %s",
		       strerror(errno));
}

/*
 * A Router Solicitation with our link-layer address (RFC 4861 4.1).
 * Returns -1 with errno EADDRNOTAVAIL while the link-local address is
 * still tentative (KAME's TENTATIVE state): not counted, tried again.
 */
static int send_rs(struct ifinfo *ifi)
{
	struct sockaddr_in6 dst = { .sin6_family = af,
				    .sin6_scope_id = ifi->ifindex };
	unsigned char buf[16] = { ND_ROUTER_SOLICIT };
	size_t len = sizeof(struct nd_router_solicit);

	inet_pton(AF_INET6, "ff02::2", &dst.sin6_addr);
	if (ifi->has_mac) {
		buf[8] = ND_OPT_SOURCE_LINKADDR;
		buf[9] = 1;	/* 8 octets */
		memcpy(buf + 10, ifi->mac, 6);
		len += 8;
	}
	if (sendto(fd, buf, len, 0, (struct sockaddr *)&dst, sizeof(dst)) < 0) {
		int err = errno;

		logmsg(err == EADDRNOTAVAIL ? LOG_DEBUG : LOG_WARNING,
		       "%s: sending RS: %s", ifi->name, strerror(err));
		errno = err;
		return -1;
	}
	logmsg(LOG_INFO, "%s: sent RS %d", ifi->name, ifi->probes);
	return 0;
}

static struct ifinfo *if_by_index(int ifindex)
{
	int i;

	for (i = 0; i < nifs; i++)
		if (ifs[i].ifindex == ifindex)
			return &ifs[i];
	return NULL;
}

static void step(struct ifinfo *ifi)
{
	double t = now();

	switch (ifi->state) {
	case ST_DELAY:
	case ST_PROBE:
		if (ifi->probes == MAX_RTR_SOLICITATIONS) {
			logmsg(LOG_NOTICE, "%s: No answer after sending %d RSs",
			       ifi->name, ifi->probes);
			ifi->state = ST_IDLE;
			ifi->timer = mflag ? t + PROBE_INTERVAL : 0;
			return;
		}
		ifi->state = ST_PROBE;
		ifi->probes++;
		if (send_rs(ifi) && errno == EADDRNOTAVAIL) {
			ifi->probes--;	/* no usable source yet */
			ifi->timer = t + 1;
			return;
		}
		ifi->timer = t + RTR_SOLICITATION_INTERVAL;
		return;
	case ST_IDLE:		/* -m: probe again */
		start_probe(ifi);
		return;
	}
}

/* A Router Advertisement (RFC 4861 6.1.2, what a host can check here). */
static void recv_ra(void)
{
	unsigned char buf[1500], cbuf[256];
	struct sockaddr_in6 from;
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr mh = { &from, sizeof(from), &iov, 1, cbuf, sizeof(cbuf), 0 };
	struct cmsghdr *cm;
	char a[INET6_ADDRSTRLEN];
	struct ifinfo *ifi;
	int ifindex = 0, hlim = -1;
	ssize_t n = recvmsg(fd, &mh, 0);

	if (n < 0)
		return;
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level != IPPROTO_IPV6)
			continue;
		if (cm->cmsg_type == IPV6_PKTINFO)
			ifindex = ((struct in6_pktinfo *)CMSG_DATA(cm))->ipi6_ifindex;
		else if (cm->cmsg_type == IPV6_HOPLIMIT)
			memcpy(&hlim, CMSG_DATA(cm), sizeof(hlim));
	}
	inet_ntop(AF_INET6, &from.sin6_addr, a, sizeof(a));
	ifi = if_by_index(ifindex);
	if (!ifi || n < (ssize_t)sizeof(struct nd_router_advert) ||
	    buf[0] != ND_ROUTER_ADVERT || buf[1] || hlim != 255 ||
	    !IN6_IS_ADDR_LINKLOCAL(&from.sin6_addr)) {
		logmsg(LOG_INFO, "invalid or unwanted RA from %s (ifindex %d, hop limit %d, %zd bytes)",
		       a, ifindex, hlim, n);
		return;
	}
	logmsg(LOG_INFO, "%s: received RA from %s", ifi->name, a);
	if (ifi->state != ST_DELAY && ifi->state != ST_PROBE)
		return;
	ifi->got_ra = 1;
	ifi->state = ST_IDLE;
	ifi->timer = mflag ? now() + PROBE_INTERVAL : 0;
}

/* rtsold: a link that comes up (again) is probed again. */
static void recv_link(void)
{
	char buf[8192];
	struct nlmsghdr *nh;
	ssize_t n = recv(rtfd, buf, sizeof(buf), 0);

	for (nh = (void *)buf; n > 0 && NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
		struct ifinfomsg *ifm = NLMSG_DATA(nh);
		struct ifinfo *ifi;
		int running;

		ifi = nh->nlmsg_type == RTM_NEWLINK ?
		      if_by_index(ifm->ifi_index) : NULL;
		if (!ifi)
			continue;
		running = (ifm->ifi_flags & (IFF_UP | IFF_RUNNING)) ==
			  (IFF_UP | IFF_RUNNING);
		if (running && !ifi->running) {
			logmsg(LOG_INFO, "%s: link up", ifi->name);
			start_probe(ifi);
		} else if (!running && ifi->running) {
			logmsg(LOG_INFO, "%s: link down", ifi->name);
			ifi->state = ST_DOWN;
			ifi->timer = 0;
		}
		ifi->running = running;
	}
}

/* -1: done when no interface probes any more. */
static int all_done(void)
{
	int i;

	for (i = 0; i < nifs; i++)
		if (ifs[i].state == ST_DELAY || ifs[i].state == ST_PROBE)
			return 0;
	return 1;
}

static int run(void)
{
	int i, got = 0;

	for (;;) {
		struct pollfd p[2] = { { fd, POLLIN, 0 }, { rtfd, POLLIN, 0 } };
		double t = now(), next = 0;
		int timeout = -1;

		for (i = 0; i < nifs; i++) {
			if (ifs[i].timer && ifs[i].timer <= t)
				step(&ifs[i]);
			if (ifs[i].timer && (!next || ifs[i].timer < next))
				next = ifs[i].timer;
		}
		if (oneshot && all_done())
			break;
		if (next)
			timeout = (int)ceil((next - now()) * 1000);
		if (timeout < -1)
			timeout = 0;
		if (poll(p, rtfd >= 0 ? 2 : 1, timeout) < 0 && errno != EINTR)
			die("poll: %s", strerror(errno));
		if (p[0].revents & POLLIN)
			recv_ra();
		if (rtfd >= 0 && (p[1].revents & POLLIN))
			recv_link();
	}
	for (i = 0; i < nifs; i++)
		got += ifs[i].got_ra;
	return got == nifs ? 0 : 1;
}

int main(int argc, char **argv)
{
	const char *base = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	int rtsol = base[0] && base[strlen(base) - 1] != 'd';
	int c, aflag = 0, i;

	progname = rtsol ? "rtsol" : "rtsold";
	while ((c = getopt(argc, argv, rtsol ? "adD" : "adDfm1")) != -1) {
		switch (c) {
		case 'a':
			aflag = 1;
			break;
		case 'd':
			if (loglevel < LOG_INFO)
				loglevel = LOG_INFO;
			break;
		case 'D':
			loglevel = LOG_DEBUG;
			break;
		case 'f':
			fflag = 1;
			break;
		case 'm':
			mflag = 1;
			break;
		case '1':
			oneshot = 1;
			break;
		default:
			rtsol_usage(rtsol);
		}
	}
	argc -= optind;
	argv += optind;
	if (rtsol)
		fflag = oneshot = 1;
	if (aflag == (argc > 0))
		rtsol_usage(rtsol);
	af = kame_af();
	srand48(getpid() ^ (long)time(NULL));
	if (aflag)
		probe_all();
	for (i = 0; i < argc; i++)
		add_if(argv[i]);
	open_sockets();
	if (!fflag) {
		openlog(progname, LOG_PID, LOG_DAEMON);
		if (daemon(0, 0))
			die("daemon: %s", strerror(errno));
	}
	for (i = 0; i < nifs; i++) {
		if (ifs[i].running)
			start_probe(&ifs[i]);
		else
			ifs[i].state = ST_DOWN;
	}
	return run();
}
