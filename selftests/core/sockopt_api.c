// SPDX-License-Identifier: GPL-2.0
/*
 * The SOL_IPV6 options and RFC 3542 ancillary data of AF_KAME sockets:
 * every option set, read back and refused with its documented errno
 * (Documentation/sockets.rst), group memberships and their limit, and
 * the options observed in effect on packets the stack loops back to
 * itself (multicast loop, unicast to one of its own addresses). Each test
 * runs in a namespace of its own with two attached dummy interfaces.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/kame.h>
#include "../kame_af.h"
#include "../kame_harness.h"
#include "../rtnl_link.h"

/* RFC 5014's flags, linux/in6.h (glibc has IPV6_ADDR_PREFERENCES only) */
#ifndef IPV6_PREFER_SRC_TMP
#define IPV6_PREFER_SRC_TMP		0x0001
#define IPV6_PREFER_SRC_PUBLIC		0x0002
#define IPV6_PREFER_SRC_PUBTMP_DEFAULT	0x0100
#define IPV6_PREFER_SRC_COA		0x0004
#define IPV6_PREFER_SRC_HOME		0x0400
#define IPV6_PREFER_SRC_CGA		0x0008
#define IPV6_PREFER_SRC_NONCGA		0x0800
#endif

#define GRP "ff12::1234"
#define GRP_MAC "33:33:00:00:12:34"

static struct sockaddr_kame sa(const char *addr, int port, int scope)
{
	struct sockaddr_kame s = { .sin6_family = kame_af(),
				   .sin6_port = htons(port),
				   .sin6_scope_id = scope };

	inet_pton(AF_INET6, addr, &s.sin6_addr);
	return s;
}

#define SA(x) ((struct sockaddr *)&(x))

static int udp(void)
{
	return socket(kame_af(), SOCK_DGRAM, 0);
}

static int seti(int fd, int opt, int v)
{
	return setsockopt(fd, SOL_IPV6, opt, &v, sizeof(v)) ? -errno : 0;
}

static int geti(int fd, int opt)
{
	socklen_t len = sizeof(int);
	int v = -12345;

	if (getsockopt(fd, SOL_IPV6, opt, &v, &len) || len != sizeof(int))
		return -12345;
	return v;
}

static int mreq(int fd, int opt, const char *grp, int ifindex)
{
	struct ipv6_mreq m = { .ipv6mr_interface = ifindex };

	inet_pton(AF_INET6, grp, &m.ipv6mr_multiaddr);
	return setsockopt(fd, SOL_IPV6, opt, &m, sizeof(m)) ? -errno : 0;
}

static int greq(int fd, int opt, struct sockaddr_kame g, int ifindex)
{
	struct group_req r = { .gr_interface = ifindex };

	memcpy(&r.gr_group, &g, sizeof(g));
	return setsockopt(fd, SOL_IPV6, opt, &r, sizeof(r)) ? -errno : 0;
}

static int gsreq(int fd, int opt, struct sockaddr_kame g,
		 struct sockaddr_kame src, int ifindex, socklen_t len)
{
	struct group_source_req r = { .gsr_interface = ifindex };

	memcpy(&r.gsr_group, &g, sizeof(g));
	memcpy(&r.gsr_source, &src, sizeof(src));
	return setsockopt(fd, SOL_IPV6, opt, &r, len) ? -errno : 0;
}

static int set_pktinfo(int fd, const char *addr, int ifindex)
{
	struct in6_pktinfo pi = { .ipi6_ifindex = ifindex };

	inet_pton(AF_INET6, addr, &pi.ipi6_addr);
	return setsockopt(fd, SOL_IPV6, IPV6_PKTINFO, &pi, sizeof(pi)) ?
	       -errno : 0;
}

/* Has dev the link-layer group mac (ip maddr)? */
static bool maddr(const char *dev, const char *mac)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "ip %s show dev %s | grep -q 'link  %s'",
		 "maddr", dev, mac);
	return system(cmd) == 0;
}

/*
 * The EUI-64 link-local address of a device (RFC 4291 2.5.1). Its MAC by
 * ioctl: /sys shows the devices of another namespace.
 */
static void eui64_ll(const char *dev, char *out, size_t n)
{
	struct ifreq ifr = { };
	unsigned char *m = (unsigned char *)ifr.ifr_hwaddr.sa_data;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (fd < 0 || ioctl(fd, SIOCGIFHWADDR, &ifr))
		memset(m, 0, 6);
	if (fd >= 0)
		close(fd);
	snprintf(out, n, "fe80::%x:%x:%x:%x", (m[0] ^ 2) << 8 | m[1],
		 m[2] << 8 | 0xff, 0xfe << 8 | m[3], m[4] << 8 | m[5]);
}

struct cmsgs {
	int n;
	char buf[256];
};

static void cmsg_int(struct cmsgs *c, int type, int v)
{
	struct cmsghdr *h = (struct cmsghdr *)(c->buf + c->n);

	h->cmsg_level = SOL_IPV6;
	h->cmsg_type = type;
	h->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(h), &v, sizeof(v));
	c->n += CMSG_SPACE(sizeof(int));
}

static void cmsg_pktinfo(struct cmsgs *c, const char *addr, int ifindex)
{
	struct cmsghdr *h = (struct cmsghdr *)(c->buf + c->n);
	struct in6_pktinfo pi = { .ipi6_ifindex = ifindex };

	inet_pton(AF_INET6, addr, &pi.ipi6_addr);
	h->cmsg_level = SOL_IPV6;
	h->cmsg_type = IPV6_PKTINFO;
	h->cmsg_len = CMSG_LEN(sizeof(pi));
	memcpy(CMSG_DATA(h), &pi, sizeof(pi));
	c->n += CMSG_SPACE(sizeof(pi));
}

/* sendmsg of len bytes to `to' with the ancillary data c: -errno or len */
static int send_c(int fd, struct sockaddr_kame *to, struct cmsgs *c, int len)
{
	static char payload[9000];
	struct iovec iov = { payload, len };
	struct msghdr m = { .msg_name = to, .msg_namelen = to ? sizeof(*to) : 0,
			    .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = c && c->n ? c->buf : NULL,
			    .msg_controllen = c ? c->n : 0 };
	ssize_t n = sendmsg(fd, &m, 0);

	return n < 0 ? -errno : n;
}

/* What recvmsg returned, with its ancillary data (-1: absent). */
struct rx {
	int len;
	struct sockaddr_kame from;
	struct in6_pktinfo pi;
	int has_pi, hlim, tclass;
	struct ip6_mtuinfo mtu;
	int has_mtu;
	struct timespec ts;	/* SCM_TIMESTAMPNS */
	int has_ts;
};

static int recv_c(int fd, struct rx *r, int timeout_ms)
{
	char buf[9000], ctl[512];
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr m = { .msg_name = &r->from,
			    .msg_namelen = sizeof(r->from),
			    .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = ctl, .msg_controllen = sizeof(ctl) };
	struct pollfd p = { .fd = fd, .events = POLLIN };
	struct cmsghdr *h;
	ssize_t n;

	memset(r, 0, sizeof(*r));
	r->hlim = r->tclass = -1;
	if (timeout_ms >= 0 && poll(&p, 1, timeout_ms) != 1)
		return -EAGAIN;
	n = recvmsg(fd, &m, MSG_DONTWAIT);
	if (n < 0)
		return -errno;
	r->len = n;
	for (h = CMSG_FIRSTHDR(&m); h; h = CMSG_NXTHDR(&m, h)) {
		if (h->cmsg_level == SOL_SOCKET &&
		    h->cmsg_type == SCM_TIMESTAMPNS) {
			memcpy(&r->ts, CMSG_DATA(h), sizeof(r->ts));
			r->has_ts = 1;
		}
		if (h->cmsg_level != SOL_IPV6)
			continue;
		if (h->cmsg_type == IPV6_PKTINFO) {
			memcpy(&r->pi, CMSG_DATA(h), sizeof(r->pi));
			r->has_pi = 1;
		} else if (h->cmsg_type == IPV6_HOPLIMIT) {
			memcpy(&r->hlim, CMSG_DATA(h), sizeof(int));
		} else if (h->cmsg_type == IPV6_TCLASS) {
			memcpy(&r->tclass, CMSG_DATA(h), sizeof(int));
		} else if (h->cmsg_type == IPV6_PATHMTU) {
			memcpy(&r->mtu, CMSG_DATA(h), sizeof(r->mtu));
			r->has_mtu = 1;
		}
	}
	return 0;
}

static bool addr_is(const void *a, const char *s)
{
	struct in6_addr b;

	inet_pton(AF_INET6, s, &b);
	return !memcmp(a, &b, sizeof(b));
}

FIXTURE(ns) {
	int if1, if2;
	char ll1[64];
};

FIXTURE_SETUP(ns)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, rtnl_link_up("lo"));
	ASSERT_EQ(0, rtnl_dummy_up("kd1"));
	ASSERT_EQ(0, rtnl_dummy_up("kd2"));
	/* no DAD: the addresses are usable at once */
	ASSERT_EQ(0, system("kame sysctl net.inet6.ip6.dad_count 0 >/dev/null && "
			    "kame link attach kd1 && kame link attach kd2 && "
			    "kame addr add 2001:db8:1::1/64 dev kd1 && "
			    "kame addr add 2001:db8:2::1/64 dev kd2 && "
			    "kame addr add 2001:db8:1::99/64 dev kd1 anycast"));
	self->if1 = if_nametoindex("kd1");
	self->if2 = if_nametoindex("kd2");
	eui64_ll("kd1", self->ll1, sizeof(self->ll1));
}

FIXTURE_TEARDOWN(ns)
{
}

struct int_opt {
	const char *name;
	int opt, def;
	int good[4], back[4], ngood;
	int bad[3], nbad;
};

TEST_F(ns, int_options)
{
	const struct int_opt opts[] = {
		{ "UNICAST_HOPS", IPV6_UNICAST_HOPS, -1,
		  { 0, 255, 7, -1 }, { 0, 255, 7, -1 }, 4, { -2, 256 }, 2 },
		{ "MULTICAST_HOPS", IPV6_MULTICAST_HOPS, -1,
		  { 0, 255, 3, -1 }, { 0, 255, 3, -1 }, 4, { -2, 256 }, 2 },
		{ "MULTICAST_LOOP", IPV6_MULTICAST_LOOP, 1,
		  { 0, 1, 0, -1 }, { 0, 1, 0, 1 }, 4, { 2, -2 }, 2 },
		{ "TCLASS", IPV6_TCLASS, 0,
		  { 0x28, 255, 0, -1 }, { 0x28, 255, 0, 0 }, 4, { -2, 256 }, 2 },
		{ "DONTFRAG", IPV6_DONTFRAG, 0,
		  { 1, 0, 5 }, { 1, 0, 1 }, 3, { }, 0 },
		{ "RECVPKTINFO", IPV6_RECVPKTINFO, 0,
		  { 1, 0, 7 }, { 1, 0, 1 }, 3, { }, 0 },
		{ "RECVHOPLIMIT", IPV6_RECVHOPLIMIT, 0,
		  { 1, 0, 7 }, { 1, 0, 1 }, 3, { }, 0 },
		{ "RECVTCLASS", IPV6_RECVTCLASS, 0,
		  { 1, 0, 7 }, { 1, 0, 1 }, 3, { }, 0 },
		{ "RECVPATHMTU", IPV6_RECVPATHMTU, 0,
		  { 1, 0, 7 }, { 1, 0, 1 }, 3, { }, 0 },
		{ "V6ONLY", IPV6_V6ONLY, 1, { 1 }, { 1 }, 1, { 0 }, 1 },
		{ "MULTICAST_IF", IPV6_MULTICAST_IF, 0,
		  { self->if1, 0, self->if2 }, { self->if1, 0, self->if2 }, 3,
		  { -1 }, 1 },
	};
	int fd = udp(), i, j;
	short s = 1;

	ASSERT_GE(fd, 0);
	for (i = 0; i < (int)ARRAY_SIZE(opts); i++) {
		const struct int_opt *o = &opts[i];

		TH_LOG("IPV6_%s", o->name);
		ASSERT_EQ(o->def, geti(fd, o->opt));
		for (j = 0; j < o->ngood; j++) {
			ASSERT_EQ(0, seti(fd, o->opt, o->good[j]));
			ASSERT_EQ(o->back[j], geti(fd, o->opt));
		}
		for (j = 0; j < o->nbad; j++)
			ASSERT_EQ(-EINVAL, seti(fd, o->opt, o->bad[j]));
		ASSERT_EQ(o->back[o->ngood - 1], geti(fd, o->opt));
		/* a value shorter than an int */
		ASSERT_EQ(-1, setsockopt(fd, SOL_IPV6, o->opt, &s, sizeof(s)));
		ASSERT_EQ(EINVAL, errno);
	}
	close(fd);
}

/*
 * IPV6_ADDR_PREFERENCES (RFC 5014): one flag of each group kept, a group
 * left out keeps its value, getsockopt reports the rule 7 choice (or
 * PUBTMP_DEFAULT: the knob) and HOME or COA; CGA and NONCGA are accepted
 * and not kept; two flags of one group, an unknown flag or a short value
 * are EINVAL and change nothing.
 */
TEST_F(ns, addr_preferences)
{
	const int def = IPV6_PREFER_SRC_PUBTMP_DEFAULT | IPV6_PREFER_SRC_HOME;
	const int bad[] = {
		IPV6_PREFER_SRC_TMP | IPV6_PREFER_SRC_PUBLIC,
		IPV6_PREFER_SRC_TMP | IPV6_PREFER_SRC_PUBTMP_DEFAULT,
		IPV6_PREFER_SRC_PUBLIC | IPV6_PREFER_SRC_PUBTMP_DEFAULT,
		IPV6_PREFER_SRC_HOME | IPV6_PREFER_SRC_COA,
		IPV6_PREFER_SRC_CGA | IPV6_PREFER_SRC_NONCGA,
		IPV6_PREFER_SRC_TMP | IPV6_PREFER_SRC_COA | IPV6_PREFER_SRC_HOME,
		0x10, 0x1000, 0x10000, -1,
	};
	int fd = udp(), i;
	short sh = IPV6_PREFER_SRC_TMP;

	ASSERT_GE(fd, 0);
	ASSERT_EQ(def, geti(fd, IPV6_ADDR_PREFERENCES));
	ASSERT_EQ(0, seti(fd, IPV6_ADDR_PREFERENCES, IPV6_PREFER_SRC_TMP));
	ASSERT_EQ(IPV6_PREFER_SRC_TMP | IPV6_PREFER_SRC_HOME,
		  geti(fd, IPV6_ADDR_PREFERENCES));
	ASSERT_EQ(0, seti(fd, IPV6_ADDR_PREFERENCES, IPV6_PREFER_SRC_COA));
	ASSERT_EQ(IPV6_PREFER_SRC_TMP | IPV6_PREFER_SRC_COA,
		  geti(fd, IPV6_ADDR_PREFERENCES));
	ASSERT_EQ(0, seti(fd, IPV6_ADDR_PREFERENCES,
			  IPV6_PREFER_SRC_PUBLIC | IPV6_PREFER_SRC_CGA));
	ASSERT_EQ(IPV6_PREFER_SRC_PUBLIC | IPV6_PREFER_SRC_COA,
		  geti(fd, IPV6_ADDR_PREFERENCES));
	for (i = 0; i < (int)ARRAY_SIZE(bad); i++) {
		TH_LOG("IPV6_ADDR_PREFERENCES 0x%x", bad[i]);
		ASSERT_EQ(-EINVAL, seti(fd, IPV6_ADDR_PREFERENCES, bad[i]));
	}
	ASSERT_EQ(-1, setsockopt(fd, SOL_IPV6, IPV6_ADDR_PREFERENCES, &sh,
				 sizeof(sh)));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(IPV6_PREFER_SRC_PUBLIC | IPV6_PREFER_SRC_COA,
		  geti(fd, IPV6_ADDR_PREFERENCES));
	ASSERT_EQ(0, seti(fd, IPV6_ADDR_PREFERENCES, 0));	/* nothing */
	ASSERT_EQ(IPV6_PREFER_SRC_PUBLIC | IPV6_PREFER_SRC_COA,
		  geti(fd, IPV6_ADDR_PREFERENCES));
	ASSERT_EQ(0, seti(fd, IPV6_ADDR_PREFERENCES,
			  IPV6_PREFER_SRC_PUBTMP_DEFAULT | IPV6_PREFER_SRC_HOME |
			  IPV6_PREFER_SRC_NONCGA));
	ASSERT_EQ(def, geti(fd, IPV6_ADDR_PREFERENCES));
	close(fd);
}

TEST_F(ns, getter_lengths_and_unknown_options)
{
	unsigned char b[8];
	socklen_t len;
	int fd = udp();

	ASSERT_EQ(0, seti(fd, IPV6_UNICAST_HOPS, 200));
	/* a shorter buffer gets the first bytes, as on Linux (x86: LSB) */
	memset(b, 0xee, sizeof(b));
	len = 1;
	ASSERT_EQ(0, getsockopt(fd, SOL_IPV6, IPV6_UNICAST_HOPS, b, &len));
	ASSERT_EQ(1U, len);
	ASSERT_EQ(200, b[0]);
	ASSERT_EQ(0xee, b[1]);
	len = 0;
	ASSERT_EQ(0, getsockopt(fd, SOL_IPV6, IPV6_UNICAST_HOPS, b, &len));
	ASSERT_EQ(0U, len);
	len = sizeof(b);
	ASSERT_EQ(0, getsockopt(fd, SOL_IPV6, IPV6_UNICAST_HOPS, b, &len));
	ASSERT_EQ(sizeof(int), len);
	/* unknown options; IPV6_HOPLIMIT is ancillary only (RFC 3542 6.3) */
	ASSERT_EQ(-ENOPROTOOPT, seti(fd, 9999, 1));
	ASSERT_EQ(-ENOPROTOOPT, seti(fd, IPV6_HOPLIMIT, 5));
	ASSERT_EQ(-ENOPROTOOPT, seti(fd, IPV6_PATHMTU, 1280));
	ASSERT_EQ(-ENOPROTOOPT, seti(fd, IPV6_2292PKTINFO, 1));
	len = sizeof(b);
	ASSERT_EQ(-1, getsockopt(fd, SOL_IPV6, 9999, b, &len));
	ASSERT_EQ(ENOPROTOOPT, errno);
	len = sizeof(b);
	ASSERT_EQ(-1, getsockopt(fd, SOL_IPV6, IPV6_JOIN_GROUP, b, &len));
	ASSERT_EQ(ENOPROTOOPT, errno);
	/* short structures */
	ASSERT_EQ(-1, setsockopt(fd, SOL_IPV6, IPV6_JOIN_GROUP, b, 8));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, setsockopt(fd, SOL_IPV6, MCAST_JOIN_GROUP, b, 8));
	ASSERT_EQ(EINVAL, errno);
	close(fd);
}

TEST_F(ns, pktinfo_sticky)
{
	struct in6_pktinfo pi;
	socklen_t len = sizeof(pi);
	char tent[] = "2001:db8:2::5";
	int fd = udp();

	ASSERT_EQ(0, getsockopt(fd, SOL_IPV6, IPV6_PKTINFO, &pi, &len));
	ASSERT_EQ(sizeof(pi), len);
	ASSERT_TRUE(addr_is(&pi.ipi6_addr, "::"));
	ASSERT_EQ(0, (int)pi.ipi6_ifindex);

	ASSERT_EQ(0, set_pktinfo(fd, "2001:db8:1::1", self->if2));
	len = sizeof(pi);
	ASSERT_EQ(0, getsockopt(fd, SOL_IPV6, IPV6_PKTINFO, &pi, &len));
	ASSERT_TRUE(addr_is(&pi.ipi6_addr, "2001:db8:1::1"));
	ASSERT_EQ(self->if2, (int)pi.ipi6_ifindex);
	ASSERT_EQ(0, set_pktinfo(fd, self->ll1, self->if1));
	ASSERT_EQ(0, set_pktinfo(fd, self->ll1, 0));	/* some zone has it */
	ASSERT_EQ(0, set_pktinfo(fd, "::", self->if1));
	len = sizeof(pi);
	ASSERT_EQ(0, getsockopt(fd, SOL_IPV6, IPV6_PKTINFO, &pi, &len));
	ASSERT_TRUE(addr_is(&pi.ipi6_addr, "::"));
	ASSERT_EQ(self->if1, (int)pi.ipi6_ifindex);

	/* refusals leave the value alone */
	ASSERT_EQ(-ENXIO, set_pktinfo(fd, "::", 9999));
	ASSERT_EQ(-ENXIO, set_pktinfo(fd, "::", 1));	/* lo: not attached */
	ASSERT_EQ(-EINVAL, set_pktinfo(fd, "::", -3));
	ASSERT_EQ(-EADDRNOTAVAIL, set_pktinfo(fd, "2001:db8:99::1", 0));
	ASSERT_EQ(-EADDRNOTAVAIL, set_pktinfo(fd, "2001:db8:1::99", 0));
	ASSERT_EQ(-EADDRNOTAVAIL, set_pktinfo(fd, "ff02::1", 0));
	ASSERT_EQ(-EADDRNOTAVAIL, set_pktinfo(fd, self->ll1, self->if2));
	ASSERT_EQ(-EINVAL, set_pktinfo(fd, "fe80:5::1", 0));	/* embedded */
	/* a tentative address: DAD that lasts an hour (kd2 attached anew with it) */
	ASSERT_EQ(0, system("kame link detach kd2 && "
			    "kame sysctl net.inet6.ip6.dad_count 1 >/dev/null && "
			    "kame link attach kd2 && "
			    "ndp -i kd2 retrans=3600000 >/dev/null && "
			    "kame addr add 2001:db8:2::5/64 dev kd2"));
	ASSERT_EQ(0, system("kame addr show dev kd2 | grep 2001:db8:2::5 | grep -q tentative"));
	ASSERT_EQ(-EADDRNOTAVAIL, set_pktinfo(fd, tent, 0));
	ASSERT_EQ(-1, setsockopt(fd, SOL_IPV6, IPV6_PKTINFO, &pi, sizeof(pi) - 1));
	ASSERT_EQ(EINVAL, errno);
	len = sizeof(pi);
	ASSERT_EQ(0, getsockopt(fd, SOL_IPV6, IPV6_PKTINFO, &pi, &len));
	ASSERT_EQ(self->if1, (int)pi.ipi6_ifindex);
	len = sizeof(pi) - 1;
	ASSERT_EQ(-1, getsockopt(fd, SOL_IPV6, IPV6_PKTINFO, &pi, &len));
	ASSERT_EQ(EINVAL, errno);
	/* a zero length clears it */
	ASSERT_EQ(0, setsockopt(fd, SOL_IPV6, IPV6_PKTINFO, NULL, 0));
	len = sizeof(pi);
	ASSERT_EQ(0, getsockopt(fd, SOL_IPV6, IPV6_PKTINFO, &pi, &len));
	ASSERT_EQ(0, (int)pi.ipi6_ifindex);
	close(fd);
}

TEST_F(ns, send_ancillary_errors)
{
	struct sockaddr_kame to = sa("2001:db8:1::2", 9, 0);
	struct cmsgs c;
	int fd = udp();

#define SEND_WITH(expect, stmt) do {			\
		memset(&c, 0, sizeof(c));		\
		stmt;					\
		ASSERT_EQ(expect, send_c(fd, &to, &c, 10)); \
	} while (0)
	SEND_WITH(10, cmsg_int(&c, IPV6_HOPLIMIT, 255));
	SEND_WITH(10, cmsg_int(&c, IPV6_HOPLIMIT, -1));
	SEND_WITH(-EINVAL, cmsg_int(&c, IPV6_HOPLIMIT, 256));
	SEND_WITH(10, cmsg_int(&c, IPV6_TCLASS, 0xb8));
	SEND_WITH(-EINVAL, cmsg_int(&c, IPV6_TCLASS, -2));
	SEND_WITH(10, cmsg_int(&c, IPV6_DONTFRAG, 1));
	SEND_WITH(-EINVAL, cmsg_int(&c, IPV6_DONTFRAG, 2));
	SEND_WITH(-EINVAL, cmsg_int(&c, IPV6_RECVPKTINFO, 1));	/* not a send item */
	SEND_WITH(10, cmsg_pktinfo(&c, "2001:db8:1::1", self->if1));
	SEND_WITH(-ENXIO, cmsg_pktinfo(&c, "::", 9999));
	SEND_WITH(-EADDRNOTAVAIL, cmsg_pktinfo(&c, "2001:db8:99::1", 0));
	SEND_WITH(-EADDRNOTAVAIL, cmsg_pktinfo(&c, "2001:db8:1::99", 0));
	/* the interface given must reach the destination */
	SEND_WITH(-ENETUNREACH, cmsg_pktinfo(&c, "::", self->if2));
	/* a scope id that names another interface than IPV6_PKTINFO */
	to = sa("fe80::2", 9, self->if1);
	SEND_WITH(-EINVAL, cmsg_pktinfo(&c, "::", self->if2));
	SEND_WITH(10, cmsg_pktinfo(&c, "::", self->if1));
	/* a short item */
	memset(&c, 0, sizeof(c));
	cmsg_int(&c, IPV6_HOPLIMIT, 1);
	((struct cmsghdr *)c.buf)->cmsg_len = CMSG_LEN(2);
	ASSERT_EQ(-EINVAL, send_c(fd, &to, &c, 10));
#undef SEND_WITH
	close(fd);
}

TEST_F(ns, dontfrag_and_pathmtu)
{
	struct sockaddr_kame to = sa("2001:db8:1::2", 9, 0);
	struct ip6_mtuinfo mi;
	socklen_t len = sizeof(mi);
	struct cmsgs c = { };
	struct rx r;
	int fd = udp();

	ASSERT_EQ(-1, getsockopt(fd, SOL_IPV6, IPV6_PATHMTU, &mi, &len));
	ASSERT_EQ(ENOTCONN, errno);
	ASSERT_EQ(0, connect(fd, SA(to), sizeof(to)));
	len = sizeof(mi);
	ASSERT_EQ(0, getsockopt(fd, SOL_IPV6, IPV6_PATHMTU, &mi, &len));
	ASSERT_EQ(sizeof(mi), len);
	ASSERT_EQ(1500U, mi.ip6m_mtu);
	ASSERT_EQ(kame_af(), mi.ip6m_addr.sin6_family);
	ASSERT_TRUE(addr_is(&mi.ip6m_addr.sin6_addr, "2001:db8:1::2"));
	ASSERT_EQ(0, system("ip link set kd1 mtu 1400"));
	ASSERT_EQ(0, getsockopt(fd, SOL_IPV6, IPV6_PATHMTU, &mi, &len));
	ASSERT_EQ(1400U, mi.ip6m_mtu);
	len = sizeof(mi) - 1;
	ASSERT_EQ(-1, getsockopt(fd, SOL_IPV6, IPV6_PATHMTU, &mi, &len));
	ASSERT_EQ(EINVAL, errno);

	/* without IPV6_DONTFRAG a big datagram is fragmented */
	ASSERT_EQ(8000, send_c(fd, NULL, NULL, 8000));
	ASSERT_EQ(0, seti(fd, IPV6_DONTFRAG, 1));
	ASSERT_EQ(-EMSGSIZE, send_c(fd, NULL, NULL, 8000));
	ASSERT_EQ(1352, send_c(fd, NULL, NULL, 1352));	/* 1400 - 48 */
	ASSERT_EQ(-EMSGSIZE, send_c(fd, NULL, NULL, 1353));
	/* ancillary IPV6_DONTFRAG overrides the sticky one */
	cmsg_int(&c, IPV6_DONTFRAG, 0);
	ASSERT_EQ(8000, send_c(fd, NULL, &c, 8000));
	ASSERT_EQ(0, seti(fd, IPV6_DONTFRAG, 0));
	memset(&c, 0, sizeof(c));
	cmsg_int(&c, IPV6_DONTFRAG, 1);
	ASSERT_EQ(-EMSGSIZE, send_c(fd, NULL, &c, 8000));
	/* no notice without IPV6_RECVPATHMTU ... */
	ASSERT_EQ(-EAGAIN, recv_c(fd, &r, -1));
	/* ... and one with it (RFC 3542 11.3): no payload, the MTU */
	ASSERT_EQ(0, seti(fd, IPV6_RECVPATHMTU, 1));
	ASSERT_EQ(-EMSGSIZE, send_c(fd, NULL, &c, 8000));
	ASSERT_EQ(0, recv_c(fd, &r, -1));
	ASSERT_EQ(0, r.len);
	ASSERT_EQ(1, r.has_mtu);
	ASSERT_EQ(1400U, r.mtu.ip6m_mtu);
	ASSERT_TRUE(addr_is(&r.mtu.ip6m_addr.sin6_addr, "2001:db8:1::2"));
	ASSERT_TRUE(addr_is(&r.from.sin6_addr, "2001:db8:1::2"));
	ASSERT_EQ(-EAGAIN, recv_c(fd, &r, -1));
	close(fd);
	/* a notice left unread is freed with the socket */
	fd = udp();
	ASSERT_EQ(0, connect(fd, SA(to), sizeof(to)));
	ASSERT_EQ(0, seti(fd, IPV6_RECVPATHMTU, 1));
	ASSERT_EQ(0, seti(fd, IPV6_DONTFRAG, 1));
	ASSERT_EQ(-EMSGSIZE, send_c(fd, NULL, NULL, 8000));
	close(fd);
}

TEST_F(ns, join_leave)
{
	struct sockaddr_kame g = sa(GRP, 0, 0);
	int a = udp(), b = udp();

	ASSERT_FALSE(maddr("kd1", GRP_MAC));
	ASSERT_EQ(0, mreq(a, IPV6_JOIN_GROUP, GRP, self->if1));
	ASSERT_TRUE(maddr("kd1", GRP_MAC));
	ASSERT_FALSE(maddr("kd2", GRP_MAC));
	ASSERT_EQ(-EADDRINUSE, mreq(a, IPV6_JOIN_GROUP, GRP, self->if1));
	ASSERT_EQ(-EADDRINUSE, greq(a, MCAST_JOIN_GROUP, g, self->if1));
	ASSERT_EQ(-ENXIO, mreq(a, IPV6_JOIN_GROUP, GRP, 9999));
	ASSERT_EQ(-ENXIO, mreq(a, IPV6_JOIN_GROUP, GRP, 1));	/* lo */
	ASSERT_EQ(-EINVAL, mreq(a, IPV6_JOIN_GROUP, "2001:db8:1::1", self->if1));
	ASSERT_EQ(-EINVAL, mreq(a, IPV6_JOIN_GROUP, "ff12:1::1234", self->if1));
	/* no interface: ambiguous with two, else IPV6_MULTICAST_IF */
	ASSERT_EQ(-EINVAL, mreq(a, IPV6_JOIN_GROUP, "ff12::5", 0));
	ASSERT_EQ(0, seti(a, IPV6_MULTICAST_IF, self->if2));
	ASSERT_EQ(0, mreq(a, IPV6_JOIN_GROUP, "ff12::5", 0));
	ASSERT_TRUE(maddr("kd2", "33:33:00:00:00:05"));
	/* the same group on the other interface, the protocol-independent way */
	ASSERT_EQ(0, greq(a, MCAST_JOIN_GROUP, g, self->if2));
	ASSERT_TRUE(maddr("kd2", GRP_MAC));
	/* group_req: the family, and a scope id that disagrees */
	g.sin6_family = AF_INET6;
	ASSERT_EQ(-EAFNOSUPPORT, greq(b, MCAST_JOIN_GROUP, g, self->if1));
	g = sa(GRP, 0, self->if1);
	ASSERT_EQ(-EINVAL, greq(b, MCAST_JOIN_GROUP, g, self->if2));
	ASSERT_EQ(0, greq(b, MCAST_JOIN_GROUP, g, 0));	/* zone from the id */
	/* leaving: refcounted across sockets */
	ASSERT_EQ(0, mreq(a, IPV6_LEAVE_GROUP, GRP, self->if1));
	ASSERT_TRUE(maddr("kd1", GRP_MAC));		/* b still in */
	ASSERT_EQ(-EADDRNOTAVAIL, mreq(a, IPV6_LEAVE_GROUP, GRP, self->if1));
	ASSERT_EQ(-EADDRNOTAVAIL, mreq(a, IPV6_LEAVE_GROUP, "ff12::6", 0));
	ASSERT_EQ(-ENXIO, mreq(a, IPV6_LEAVE_GROUP, GRP, 9999));
	ASSERT_EQ(-EINVAL, mreq(a, IPV6_LEAVE_GROUP, "2001:db8:1::1", 0));
	ASSERT_EQ(0, greq(b, MCAST_LEAVE_GROUP, sa(GRP, 0, 0), self->if1));
	ASSERT_FALSE(maddr("kd1", GRP_MAC));
	ASSERT_EQ(-EADDRNOTAVAIL, greq(b, MCAST_LEAVE_GROUP, sa(GRP, 0, 0), 0));
	/* ifindex 0 leaves the first membership of the group */
	ASSERT_EQ(0, mreq(a, IPV6_LEAVE_GROUP, GRP, 0));
	ASSERT_FALSE(maddr("kd2", GRP_MAC));
	/* close leaves the rest */
	close(a);
	ASSERT_FALSE(maddr("kd2", "33:33:00:00:00:05"));
	close(b);
}

/*
 * Source filters (RFC 3678 5.1): the errors, then 4000 random requests
 * from three sockets (random operation, group, source, interface, family
 * and length): each succeeds or fails with one of the documented errors,
 * and once the sockets are closed no group of the pool is left.
 */
TEST_F(ns, source_filters)
{
	static const char *const grps[] = { "ff3e::4001", "ff3e::4002", "ff15::4007" };
	static const char *const srcs[] = {
		"2001:db8:9::1", "2001:db8:9::2", "2001:db8:9::3", "fe80::5",
		"ff02::1", "::" };
	static const int opts[] = { MCAST_JOIN_SOURCE_GROUP,
		MCAST_LEAVE_SOURCE_GROUP, MCAST_BLOCK_SOURCE,
		MCAST_UNBLOCK_SOURCE, MCAST_JOIN_GROUP, MCAST_LEAVE_GROUP };
	struct sockaddr_kame g = sa("ff3e::4001", 0, 0), s1 = sa(srcs[0], 0, 0);
	int fd[3] = { udp(), udp(), udp() }, i, r, k;
	unsigned int seed = 12345;

	/* a short request, another family, a multicast or unspecified source */
	ASSERT_EQ(-EINVAL, gsreq(fd[0], MCAST_JOIN_SOURCE_GROUP, g, s1,
				 self->if1, 100));
	g.sin6_family = AF_INET6;
	ASSERT_EQ(-EAFNOSUPPORT, gsreq(fd[0], MCAST_JOIN_SOURCE_GROUP, g, s1,
				       self->if1, sizeof(struct group_source_req)));
	g = sa("ff3e::4001", 0, 0);
	ASSERT_EQ(-EINVAL, gsreq(fd[0], MCAST_JOIN_SOURCE_GROUP, g,
				 sa("ff02::1", 0, 0), self->if1,
				 sizeof(struct group_source_req)));
	ASSERT_EQ(-EINVAL, gsreq(fd[0], MCAST_JOIN_SOURCE_GROUP, g,
				 sa("::", 0, 0), self->if1,
				 sizeof(struct group_source_req)));
	/* a link-local source of another link */
	ASSERT_EQ(-EINVAL, gsreq(fd[0], MCAST_JOIN_SOURCE_GROUP, g,
				 sa("fe80::5", 0, self->if2), self->if1,
				 sizeof(struct group_source_req)));
	ASSERT_EQ(0, gsreq(fd[0], MCAST_JOIN_SOURCE_GROUP, g, s1, self->if1,
			   sizeof(struct group_source_req)));
	ASSERT_TRUE(maddr("kd1", "33:33:00:00:40:01"));
	ASSERT_EQ(-EINVAL, gsreq(fd[0], MCAST_BLOCK_SOURCE, g, s1, self->if1,
				 sizeof(struct group_source_req)));
	ASSERT_EQ(0, gsreq(fd[0], MCAST_LEAVE_SOURCE_GROUP, g, s1, self->if1,
			   sizeof(struct group_source_req)));
	ASSERT_FALSE(maddr("kd1", "33:33:00:00:40:01"));	/* its last */
	ASSERT_EQ(-EADDRNOTAVAIL,
		  gsreq(fd[0], MCAST_LEAVE_SOURCE_GROUP, g, s1, self->if1,
			sizeof(struct group_source_req)));
	for (i = 0; i < 4000; i++) {
		k = rand_r(&seed) % 3;
		g = sa(grps[rand_r(&seed) % 3], 0, 0);
		s1 = sa(srcs[rand_r(&seed) % 6], 0,
			rand_r(&seed) % 8 ? 0 : self->if2);
		if (!(rand_r(&seed) % 50))
			g.sin6_family = rand_r(&seed) % 64;
		r = opts[rand_r(&seed) % 6];
		if (r == MCAST_JOIN_GROUP || r == MCAST_LEAVE_GROUP)
			r = greq(fd[k], r, g, self->if1);
		else
			r = gsreq(fd[k], r, g, s1, rand_r(&seed) % 10 ?
				  self->if1 : rand_r(&seed) % 3 ? 0 : 9999,
				  rand_r(&seed) % 40 ? sizeof(struct group_source_req) :
				  rand_r(&seed) % sizeof(struct group_source_req));
		if (r && r != -EINVAL && r != -EADDRNOTAVAIL &&
		    r != -EADDRINUSE && r != -ENOBUFS && r != -EAFNOSUPPORT &&
		    r != -ENXIO)
			ASSERT_EQ(0, r) TH_LOG("request %d", i);
	}
	for (k = 0; k < 3; k++)
		close(fd[k]);
	ASSERT_FALSE(maddr("kd1", "33:33:00:00:40:01"));
	ASSERT_FALSE(maddr("kd1", "33:33:00:00:40:02"));
	ASSERT_FALSE(maddr("kd1", "33:33:00:00:40:07"));
	ASSERT_NE(0, system("kame maddr show dev kd1 | grep -q 'ff3e::400\\|ff15::4007'"));
}

/* A group_filter of group g on ifindex, mode, sources s[0..n) */
static void gf_fill(struct group_filter *gf, struct sockaddr_kame g,
		    int ifindex, unsigned int mode,
		    const struct sockaddr_kame *s, unsigned int n)
{
	unsigned int i;

	memset(gf, 0, GROUP_FILTER_SIZE(n));
	gf->gf_interface = ifindex;
	memcpy(&gf->gf_group, &g, sizeof(g));
	gf->gf_fmode = mode;
	gf->gf_numsrc = n;
	for (i = 0; i < n; i++)
		memcpy(&gf->gf_slist[i], &s[i], sizeof(s[i]));
}

static int gfset(int fd, const struct group_filter *gf, socklen_t len)
{
	return setsockopt(fd, SOL_IPV6, MCAST_MSFILTER, gf, len) ? -errno : 0;
}

static int gfget(int fd, struct group_filter *gf, socklen_t *len)
{
	return getsockopt(fd, SOL_IPV6, MCAST_MSFILTER, gf, len) ? -errno : 0;
}

TEST_F(ns, msfilter)
{
	static const char *const grps[] = { "ff3e::4003", "ff3e::4004", "ff15::4008" };
	static const char *const srcs[] = {
		"2001:db8:9::1", "2001:db8:9::2", "2001:db8:9::3", "fe80::5",
		"ff02::1", "::" };
	struct sockaddr_kame g = sa("ff3e::4003", 0, 0), s[8];
	char buf[GROUP_FILTER_SIZE(8)];
	struct group_filter *gf = (struct group_filter *)buf;
	int fd[2] = { udp(), udp() }, i, k, r;
	unsigned int seed = 4242, n;
	socklen_t len;

	s[0] = sa(srcs[1], 0, 0);
	s[1] = sa(srcs[0], 0, 0);
	gf_fill(gf, g, self->if1, MCAST_EXCLUDE, s, 2);
	/* no membership; a short header; a list shorter than gf_numsrc */
	ASSERT_EQ(-EADDRNOTAVAIL, gfset(fd[0], gf, GROUP_FILTER_SIZE(2)));
	len = sizeof(buf);
	ASSERT_EQ(-EADDRNOTAVAIL, gfget(fd[0], gf, &len));
	ASSERT_EQ(0, greq(fd[0], MCAST_JOIN_GROUP, g, self->if1));
	ASSERT_EQ(-EINVAL, gfset(fd[0], gf, GROUP_FILTER_SIZE(0) - 1));
	ASSERT_EQ(-EINVAL, gfset(fd[0], gf, GROUP_FILTER_SIZE(1)));
	gf->gf_fmode = 2;
	ASSERT_EQ(-EINVAL, gfset(fd[0], gf, GROUP_FILTER_SIZE(2)));
	gf->gf_fmode = MCAST_EXCLUDE;
	ASSERT_EQ(0, gfset(fd[0], gf, GROUP_FILTER_SIZE(2)));
	/* the get: the count, as many sources as there is room for, sorted */
	gf_fill(gf, g, self->if1, 0, s, 1);
	len = GROUP_FILTER_SIZE(1);
	ASSERT_EQ(0, gfget(fd[0], gf, &len));
	ASSERT_EQ((unsigned int)MCAST_EXCLUDE, gf->gf_fmode);
	ASSERT_EQ(2U, gf->gf_numsrc);
	ASSERT_EQ((socklen_t)GROUP_FILTER_SIZE(1), len);
	ASSERT_EQ(0, memcmp(&((struct sockaddr_kame *)&gf->gf_slist[0])->sin6_addr,
			    &s[1].sin6_addr, 16));
	gf->gf_numsrc = 2;
	len = GROUP_FILTER_SIZE(1);
	ASSERT_EQ(-EINVAL, gfget(fd[0], gf, &len));
	len = GROUP_FILTER_SIZE(0) - 1;
	ASSERT_EQ(-EINVAL, gfget(fd[0], gf, &len));
	/* random sets and gets next to joins and leaves */
	for (i = 0; i < 3000; i++) {
		k = rand_r(&seed) % 2;
		g = sa(grps[rand_r(&seed) % 3], 0, 0);
		n = rand_r(&seed) % 9;
		for (r = 0; r < (int)n; r++)
			s[r] = sa(srcs[rand_r(&seed) % 6], 0,
				  rand_r(&seed) % 8 ? 0 : self->if2);
		if (!(rand_r(&seed) % 50))
			g.sin6_family = rand_r(&seed) % 64;
		gf_fill(gf, g, rand_r(&seed) % 10 ? self->if1 : 0,
			rand_r(&seed) % 3, s, n);
		if (!(rand_r(&seed) % 30))
			gf->gf_numsrc = rand_r(&seed);
		len = rand_r(&seed) % 30 ? GROUP_FILTER_SIZE(n) :
		      rand_r(&seed) % GROUP_FILTER_SIZE(8);
		switch (rand_r(&seed) % 4) {
		case 0:
			r = greq(fd[k], rand_r(&seed) % 2 ? MCAST_JOIN_GROUP :
				 MCAST_LEAVE_GROUP, g, self->if1);
			break;
		case 1:
			r = gfget(fd[k], gf, &len);
			break;
		default:
			r = gfset(fd[k], gf, len);
		}
		if (r && r != -EINVAL && r != -EADDRNOTAVAIL &&
		    r != -EADDRINUSE && r != -ENOBUFS && r != -EAFNOSUPPORT)
			ASSERT_EQ(0, r) TH_LOG("request %d", i);
	}
	close(fd[0]);
	close(fd[1]);
	ASSERT_FALSE(maddr("kd1", "33:33:00:00:40:03"));
	ASSERT_FALSE(maddr("kd1", "33:33:00:00:40:04"));
	ASSERT_FALSE(maddr("kd1", "33:33:00:00:40:08"));
}

TEST_F(ns, node_groups_survive_socket_leaves)
{
	int a = udp();

	/* all-nodes and the solicited-node group of 2001:db8:1::1 */
	ASSERT_TRUE(maddr("kd1", "33:33:00:00:00:01"));
	ASSERT_TRUE(maddr("kd1", "33:33:ff:00:00:01"));
	ASSERT_EQ(0, mreq(a, IPV6_JOIN_GROUP, "ff02::1", self->if1));
	ASSERT_EQ(0, mreq(a, IPV6_JOIN_GROUP, "ff02::1:ff00:1", self->if1));
	ASSERT_EQ(0, mreq(a, IPV6_LEAVE_GROUP, "ff02::1", self->if1));
	ASSERT_EQ(0, mreq(a, IPV6_LEAVE_GROUP, "ff02::1:ff00:1", self->if1));
	ASSERT_TRUE(maddr("kd1", "33:33:00:00:00:01"));
	ASSERT_TRUE(maddr("kd1", "33:33:ff:00:00:01"));
	/* and a socket's group survives the node leaving the same group */
	ASSERT_EQ(0, mreq(a, IPV6_JOIN_GROUP, "ff02::1:ff00:1", self->if1));
	ASSERT_EQ(0, system("kame addr del 2001:db8:1::1 dev kd1"));
	ASSERT_TRUE(maddr("kd1", "33:33:ff:00:00:01"));
	close(a);
	ASSERT_FALSE(maddr("kd1", "33:33:ff:00:00:01"));
}

TEST_F(ns, membership_limit)
{
	char grp[64];
	int a = udp(), b, i;

	for (i = 0; i < 20; i++) {
		snprintf(grp, sizeof(grp), "ff15::%x", i + 1);
		ASSERT_EQ(0, mreq(a, IPV6_JOIN_GROUP, grp, self->if1));
	}
	ASSERT_EQ(-ENOBUFS, mreq(a, IPV6_JOIN_GROUP, "ff15::100", self->if1));
	ASSERT_EQ(0, mreq(a, IPV6_LEAVE_GROUP, "ff15::1", self->if1));
	ASSERT_EQ(0, mreq(a, IPV6_JOIN_GROUP, "ff15::100", self->if1));
	/* the knob */
	ASSERT_EQ(0, system("kame sysctl net.inet6.ip6.max_memberships 3 >/dev/null"));
	ASSERT_NE(0, system("kame sysctl net.inet6.ip6.max_memberships 0 2>/dev/null"));
	b = udp();
	for (i = 0; i < 3; i++) {
		snprintf(grp, sizeof(grp), "ff15::%x", i + 1);
		ASSERT_EQ(0, mreq(b, IPV6_JOIN_GROUP, grp, self->if2));
	}
	ASSERT_EQ(-ENOBUFS, mreq(b, IPV6_JOIN_GROUP, "ff15::100", self->if2));
	close(a);
	close(b);
}

TEST_F(ns, detach_drops_memberships)
{
	int a = udp();

	ASSERT_EQ(0, mreq(a, IPV6_JOIN_GROUP, GRP, self->if2));
	ASSERT_TRUE(maddr("kd2", GRP_MAC));
	ASSERT_EQ(0, system("kame link detach kd2"));
	ASSERT_FALSE(maddr("kd2", GRP_MAC));
	ASSERT_EQ(-ENXIO, mreq(a, IPV6_LEAVE_GROUP, GRP, self->if2));
	ASSERT_EQ(-EADDRNOTAVAIL, mreq(a, IPV6_LEAVE_GROUP, GRP, 0));
	/* attached again: the old membership is gone, a new join works */
	ASSERT_EQ(0, system("kame link attach kd2"));
	ASSERT_EQ(0, mreq(a, IPV6_JOIN_GROUP, GRP, self->if2));
	close(a);
	ASSERT_FALSE(maddr("kd2", GRP_MAC));
}

/*
 * The multicast loop: a datagram sent to a group a local socket joined on
 * the outgoing interface reaches it, with the ancillary data it asked for;
 * a socket on the port that did not join gets nothing.
 */
TEST_F(ns, multicast_loop_delivery)
{
	struct sockaddr_kame any = sa("::", 7777, 0);
	struct sockaddr_kame to = sa(GRP, 7777, self->if1);
	struct sockaddr_kame to0 = sa(GRP, 7777, 0);
	int a = udp(), c = udp(), s = udp(), one = 1;
	struct cmsgs cm = { };
	struct rx r;

	ASSERT_EQ(0, setsockopt(a, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
	ASSERT_EQ(0, setsockopt(c, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
	ASSERT_EQ(0, bind(a, SA(any), sizeof(any)));
	ASSERT_EQ(0, bind(c, SA(any), sizeof(any)));
	ASSERT_EQ(0, mreq(a, IPV6_JOIN_GROUP, GRP, self->if1));
	ASSERT_EQ(0, seti(a, IPV6_RECVPKTINFO, 1));
	ASSERT_EQ(0, seti(a, IPV6_RECVHOPLIMIT, 1));
	ASSERT_EQ(0, seti(a, IPV6_RECVTCLASS, 1));
	ASSERT_EQ(0, seti(s, IPV6_MULTICAST_HOPS, 5));
	ASSERT_EQ(0, seti(s, IPV6_TCLASS, 0x28));

	ASSERT_EQ(3, send_c(s, &to, NULL, 3));
	ASSERT_EQ(0, recv_c(a, &r, 2000));
	ASSERT_EQ(3, r.len);
	ASSERT_EQ(1, r.has_pi);
	ASSERT_TRUE(addr_is(&r.pi.ipi6_addr, GRP));
	ASSERT_EQ(self->if1, (int)r.pi.ipi6_ifindex);
	ASSERT_EQ(5, r.hlim);
	ASSERT_EQ(0x28, r.tclass);
	ASSERT_TRUE(addr_is(&r.from.sin6_addr, self->ll1));
	ASSERT_EQ(self->if1, (int)r.from.sin6_scope_id);
	ASSERT_EQ(-EAGAIN, recv_c(c, &r, 300));	/* did not join */

	/* no zone and two interfaces: EINVAL; IPV6_MULTICAST_IF picks one */
	ASSERT_EQ(-EINVAL, send_c(s, &to0, NULL, 3));
	ASSERT_EQ(0, seti(s, IPV6_MULTICAST_IF, self->if2));
	ASSERT_EQ(3, send_c(s, &to0, NULL, 3));
	ASSERT_EQ(-EAGAIN, recv_c(a, &r, 300));	/* a joined on kd1 */
	ASSERT_EQ(0, seti(s, IPV6_MULTICAST_IF, self->if1));
	cmsg_int(&cm, IPV6_HOPLIMIT, 9);
	ASSERT_EQ(3, send_c(s, &to0, &cm, 3));
	ASSERT_EQ(0, recv_c(a, &r, 2000));
	ASSERT_EQ(9, r.hlim);
	/* IPV6_PKTINFO's interface wins over IPV6_MULTICAST_IF */
	memset(&cm, 0, sizeof(cm));
	cmsg_pktinfo(&cm, "::", self->if2);
	ASSERT_EQ(3, send_c(s, &to0, &cm, 3));
	ASSERT_EQ(-EAGAIN, recv_c(a, &r, 300));

	/* IPV6_MULTICAST_LOOP 0: no local copy */
	ASSERT_EQ(0, seti(s, IPV6_MULTICAST_LOOP, 0));
	ASSERT_EQ(3, send_c(s, &to, NULL, 3));
	ASSERT_EQ(-EAGAIN, recv_c(a, &r, 500));
	/* after leaving, nothing either */
	ASSERT_EQ(0, seti(s, IPV6_MULTICAST_LOOP, 1));
	ASSERT_EQ(0, mreq(a, IPV6_LEAVE_GROUP, GRP, self->if1));
	ASSERT_EQ(3, send_c(s, &to, NULL, 3));
	ASSERT_EQ(-EAGAIN, recv_c(a, &r, 500));
	close(a);
	close(c);
	close(s);
}

/*
 * A datagram to one of the node's own addresses is looped back: the
 * IPV6_PKTINFO source, the hop limits and the arrival interface show.
 */
TEST_F(ns, unicast_self_pktinfo_hoplimit)
{
	struct sockaddr_kame any = sa("::", 7778, 0);
	struct sockaddr_kame to = sa("2001:db8:1::1", 7778, 0);
	int a = udp(), s = udp();
	struct cmsgs cm = { };
	struct rx r;

	ASSERT_EQ(0, bind(a, SA(any), sizeof(any)));
	ASSERT_EQ(0, seti(a, IPV6_RECVPKTINFO, 1));
	ASSERT_EQ(0, seti(a, IPV6_RECVHOPLIMIT, 1));

	ASSERT_EQ(4, send_c(s, &to, NULL, 4));
	ASSERT_EQ(0, recv_c(a, &r, 2000));
	ASSERT_TRUE(addr_is(&r.pi.ipi6_addr, "2001:db8:1::1"));
	ASSERT_EQ(self->if1, (int)r.pi.ipi6_ifindex);
	ASSERT_EQ(64, r.hlim);			/* the interface's curhlim */

	cmsg_pktinfo(&cm, "2001:db8:2::1", 0);	/* kd2's address */
	ASSERT_EQ(0, seti(s, IPV6_UNICAST_HOPS, 9));
	ASSERT_EQ(4, send_c(s, &to, &cm, 4));
	ASSERT_EQ(0, recv_c(a, &r, 2000));
	ASSERT_TRUE(addr_is(&r.from.sin6_addr, "2001:db8:2::1"));
	ASSERT_EQ(9, r.hlim);
	/* the sticky IPV6_PKTINFO, and an ancillary hop limit over it all */
	ASSERT_EQ(0, set_pktinfo(s, "2001:db8:1::1", 0));
	memset(&cm, 0, sizeof(cm));
	cmsg_int(&cm, IPV6_HOPLIMIT, 3);
	ASSERT_EQ(4, send_c(s, &to, &cm, 4));
	ASSERT_EQ(0, recv_c(a, &r, 2000));
	ASSERT_TRUE(addr_is(&r.from.sin6_addr, "2001:db8:1::1"));
	ASSERT_EQ(3, r.hlim);
	close(s);
	/* the IPV6_PKTINFO source overrides a bound one (KAME notes 1.6.1) */
	s = udp();
	any = sa("2001:db8:2::1", 0, 0);
	ASSERT_EQ(0, bind(s, SA(any), sizeof(any)));
	ASSERT_EQ(4, send_c(s, &to, NULL, 4));
	ASSERT_EQ(0, recv_c(a, &r, 2000));
	ASSERT_TRUE(addr_is(&r.from.sin6_addr, "2001:db8:2::1"));
	ASSERT_EQ(0, set_pktinfo(s, "2001:db8:1::1", 0));
	ASSERT_EQ(4, send_c(s, &to, NULL, 4));
	ASSERT_EQ(0, recv_c(a, &r, 2000));
	ASSERT_TRUE(addr_is(&r.from.sin6_addr, "2001:db8:1::1"));
	close(a);
	close(s);
}

static int64_t ts_ns(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

/* SO_TIMESTAMPNS: the arrival time, between the send and the recvmsg. */
TEST_F(ns, rx_timestamp)
{
	struct sockaddr_kame any = sa("::", 7779, 0);
	struct sockaddr_kame to = sa("2001:db8:1::1", 7779, 0);
	int a = udp(), s = udp(), on = 1;
	struct timespec t0, t1;
	struct rx r;

	ASSERT_EQ(0, bind(a, SA(any), sizeof(any)));
	ASSERT_EQ(4, send_c(s, &to, NULL, 4));
	ASSERT_EQ(0, recv_c(a, &r, 2000));
	ASSERT_EQ(0, r.has_ts);			/* not asked for */
	ASSERT_EQ(0, setsockopt(a, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on)));
	clock_gettime(CLOCK_REALTIME, &t0);
	ASSERT_EQ(4, send_c(s, &to, NULL, 4));
	usleep(50000);
	ASSERT_EQ(0, recv_c(a, &r, 2000));
	clock_gettime(CLOCK_REALTIME, &t1);
	ASSERT_EQ(1, r.has_ts);
	EXPECT_LE(ts_ns(&t0), ts_ns(&r.ts));
	/* taken on arrival, not when read 50 ms later */
	EXPECT_LE(ts_ns(&r.ts) + 50000000, ts_ns(&t1));
	close(a);
	close(s);
}

KAME_HARNESS_MAIN
