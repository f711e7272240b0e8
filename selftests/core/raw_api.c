// SPDX-License-Identifier: GPL-2.0
/*
 * The raw socket API of AF_KAME (uapi/linux/kame.h): creation and its
 * privilege, binding, connecting and names, IPV6_CHECKSUM and ICMP6_FILTER,
 * the errno of every refusal, and the receive side in effect. The traffic
 * tests run in a namespace of their own where the KAME stack has kv0 and
 * the native stack its veth peer kv1 (2001:db8:2::2), plus two dummies.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <linux/kame.h>
#include "../kame_af.h"
#include "../kame_harness.h"

#define SA(x) ((struct sockaddr *)&(x))
#define KD1_LL "fe80::ff:fe00:1"	/* from kd1's MAC 02:00:00:00:00:01 */
#define KV1_LL "fe80::ff:fe00:12"	/* the native peer, 02:00:00:00:00:12 */

static struct sockaddr_kame sa(const char *addr, int scope)
{
	struct sockaddr_kame s = { .sin6_family = kame_af(),
				   .sin6_scope_id = scope };

	inet_pton(AF_INET6, addr, &s.sin6_addr);
	return s;
}

static int addr_is(const struct sockaddr_kame *s, const char *addr)
{
	struct in6_addr a;

	inet_pton(AF_INET6, addr, &a);
	return !memcmp(&s->sin6_addr, &a, sizeof(a));
}

static int raw(int proto)
{
	return socket(kame_af(), SOCK_RAW, proto);
}

static int try_bind(int fd, struct sockaddr_kame s)
{
	return bind(fd, SA(s), sizeof(s)) ? -errno : 0;
}

static int try_connect(int fd, struct sockaddr_kame s)
{
	return connect(fd, SA(s), sizeof(s)) ? -errno : 0;
}

static int try_sendto(int fd, const void *b, size_t n, struct sockaddr_kame s)
{
	ssize_t r = sendto(fd, b, n, 0, SA(s), sizeof(s));

	return r < 0 ? -errno : (int)r;
}

static int set_int(int fd, int level, int opt, int v)
{
	return setsockopt(fd, level, opt, &v, sizeof(v)) ? -errno : 0;
}

static int get_int(int fd, int level, int opt)
{
	socklen_t len = sizeof(int);
	int v;

	return getsockopt(fd, level, opt, &v, &len) ? -1000 - errno : v;
}

static int readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

/* A counter from `kame -j stats GROUP`. */
static long long kstat(const char *group, const char *name)
{
	char cmd[64], out[8192], key[64], *p;
	size_t n;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "kame -j stats %s", group);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	n = fread(out, 1, sizeof(out) - 1, f);
	pclose(f);
	out[n] = 0;
	snprintf(key, sizeof(key), "\"%s\":", name);
	p = strstr(out, key);
	return p ? strtoll(p + strlen(key), NULL, 10) : -1;
}

/* An echo request of id/seq with size bytes of pattern. */
static int echo_send(int fd, struct sockaddr_kame to, int seq, int size)
{
	unsigned char b[2048] = { 0 };
	struct icmp6_hdr *h = (struct icmp6_hdr *)b;
	int i;

	h->icmp6_type = ICMP6_ECHO_REQUEST;
	h->icmp6_id = htons(0x7261);
	h->icmp6_seq = htons(seq);
	for (i = 0; i < size; i++)
		b[8 + i] = i;
	return try_sendto(fd, b, 8 + size, to);
}

static void filter_only(int fd, int type)
{
	struct icmp6_filter f;

	ICMP6_FILTER_SETBLOCKALL(&f);
	ICMP6_FILTER_SETPASS(type, &f);
	setsockopt(fd, SOL_ICMPV6, ICMP6_FILTER, &f, sizeof(f));
}

/* Creation needs CAP_NET_RAW in the user namespace owning the netns. */
static int child_raw_udp(int how)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	int fr, fu;

	if (how == 1) {		/* root without CAP_NET_RAW */
		if (syscall(SYS_capget, &h, d))
			return 10;
		d[0].effective &= ~(1U << CAP_NET_RAW);
		if (syscall(SYS_capset, &h, d))
			return 11;
	} else if (how == 2 && unshare(CLONE_NEWUSER)) {
		return 12;	/* all caps, but in a child user namespace */
	} else if (how == 3 && unshare(CLONE_NEWUSER | CLONE_NEWNET)) {
		return 13;	/* and a netns that namespace owns */
	}
	fr = raw(IPPROTO_ICMPV6);
	fu = socket(kame_af(), SOCK_DGRAM, 0);
	if (fu < 0)
		return 14;
	if (how == 3)
		return fr >= 0 ? 0 : 15;
	return fr < 0 && errno == EPERM ? 0 : 16;
}

TEST(create_privilege)
{
	int how, status;
	pid_t pid;

	for (how = 1; how <= 3; how++) {
		pid = fork();
		ASSERT_GE(pid, 0);
		if (!pid)
			_exit(child_raw_udp(how));
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		ASSERT_TRUE(WIFEXITED(status));
		EXPECT_EQ(0, WEXITSTATUS(status)) TH_LOG("case %d", how);
	}
}

TEST(every_protocol)
{
	int p, fd;

	for (p = 0; p <= 255; p++) {
		fd = raw(p);
		ASSERT_GE(fd, 0) TH_LOG("protocol %d: %s", p, strerror(errno));
		close(fd);
	}
}

TEST(checksum_option)
{
	int fd = raw(253), ic = raw(IPPROTO_ICMPV6), udp, v = 2;
	socklen_t len = 2;

	ASSERT_GE(fd, 0);
	ASSERT_EQ(-1, get_int(fd, SOL_IPV6, IPV6_CHECKSUM));
	ASSERT_EQ(0, set_int(fd, SOL_IPV6, IPV6_CHECKSUM, 2));
	ASSERT_EQ(2, get_int(fd, SOL_IPV6, IPV6_CHECKSUM));
	ASSERT_EQ(-EINVAL, set_int(fd, SOL_IPV6, IPV6_CHECKSUM, 3));
	ASSERT_EQ(-EINVAL, set_int(fd, SOL_IPV6, IPV6_CHECKSUM, -2));
	ASSERT_EQ(2, get_int(fd, SOL_IPV6, IPV6_CHECKSUM));
	ASSERT_EQ(0, set_int(fd, SOL_IPV6, IPV6_CHECKSUM, -1));
	ASSERT_EQ(-1, get_int(fd, SOL_IPV6, IPV6_CHECKSUM));
	ASSERT_EQ(-1, setsockopt(fd, SOL_IPV6, IPV6_CHECKSUM, &v, 2));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, getsockopt(fd, SOL_IPV6, IPV6_CHECKSUM, &v, &len));
	ASSERT_EQ(EINVAL, errno);
	/* RFC 3542 3.1: the kernel always computes the ICMPv6 checksum */
	ASSERT_EQ(-EINVAL, set_int(ic, SOL_IPV6, IPV6_CHECKSUM, 2));
	ASSERT_EQ(-EINVAL, set_int(ic, SOL_IPV6, IPV6_CHECKSUM, -1));
	ASSERT_EQ(2, get_int(ic, SOL_IPV6, IPV6_CHECKSUM));
	/* shared SOL_IPV6 options still work, unknown ones do not */
	ASSERT_EQ(0, set_int(fd, SOL_IPV6, IPV6_UNICAST_HOPS, 9));
	ASSERT_EQ(9, get_int(fd, SOL_IPV6, IPV6_UNICAST_HOPS));
	ASSERT_EQ(-ENOPROTOOPT, set_int(fd, SOL_IPV6, 9999, 1));
	ASSERT_EQ(-ENOPROTOOPT, set_int(fd, 6 /* SOL_TCP */, 1, 1));
	udp = socket(kame_af(), SOCK_DGRAM, 0);
	ASSERT_EQ(-ENOPROTOOPT, set_int(udp, SOL_IPV6, IPV6_CHECKSUM, 2));
	close(udp);
	close(ic);
	close(fd);
}

TEST(icmp6_filter_option)
{
	int fd = raw(IPPROTO_ICMPV6), other = raw(253), t;
	struct icmp6_filter f, g;
	socklen_t len = sizeof(g);

	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, getsockopt(fd, SOL_ICMPV6, ICMP6_FILTER, &g, &len));
	ASSERT_EQ(sizeof(g), len);
	for (t = 0; t < 256; t++)
		ASSERT_TRUE(ICMP6_FILTER_WILLPASS(t, &g));	/* default */
	ICMP6_FILTER_SETBLOCKALL(&f);
	ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f);
	ICMP6_FILTER_SETPASS(ICMP6_DST_UNREACH, &f);
	ASSERT_EQ(0, setsockopt(fd, SOL_ICMPV6, ICMP6_FILTER, &f, sizeof(f)));
	len = sizeof(g);
	ASSERT_EQ(0, getsockopt(fd, SOL_ICMPV6, ICMP6_FILTER, &g, &len));
	ASSERT_EQ(0, memcmp(&f, &g, sizeof(f)));
	ASSERT_TRUE(ICMP6_FILTER_WILLBLOCK(ICMP6_ECHO_REQUEST, &g));
	ASSERT_EQ(-1, setsockopt(fd, SOL_ICMPV6, ICMP6_FILTER, &f, 16));
	ASSERT_EQ(EINVAL, errno);
	len = 16;
	ASSERT_EQ(-1, getsockopt(fd, SOL_ICMPV6, ICMP6_FILTER, &g, &len));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, setsockopt(fd, SOL_ICMPV6, 77, &f, sizeof(f)));
	ASSERT_EQ(ENOPROTOOPT, errno);
	/* only ICMPv6 sockets have a filter */
	ASSERT_EQ(-1, setsockopt(other, SOL_ICMPV6, ICMP6_FILTER, &f, sizeof(f)));
	ASSERT_EQ(EOPNOTSUPP, errno);
	len = sizeof(g);
	ASSERT_EQ(-1, getsockopt(other, SOL_ICMPV6, ICMP6_FILTER, &g, &len));
	ASSERT_EQ(EOPNOTSUPP, errno);
	close(other);
	other = socket(kame_af(), SOCK_DGRAM, 0);
	ASSERT_EQ(-1, setsockopt(other, SOL_ICMPV6, ICMP6_FILTER, &f, sizeof(f)));
	ASSERT_EQ(ENOPROTOOPT, errno);
	close(other);
	close(fd);
}

FIXTURE(ns) {
	__u32 kd1, kd2, kv0;
};

FIXTURE_SETUP(ns)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, system(
		"ip link set lo up && "
		"sysctl -qw net.ipv6.conf.default.accept_dad=0 && "
		"ip link add kd1 address 02:00:00:00:00:01 type dummy && "
		"ip link add kd2 type dummy && "
		"ip link add kv0 address 02:00:00:00:00:11 type veth "
		"peer name kv1 address 02:00:00:00:00:12 && "
		"for i in kd1 kd2 kv0 kv1; do ip link set $i up; done && "
		"ip -6 addr add 2001:db8:2::2/64 dev kv1 nodad && "
		/* no DAD: the addresses are usable at once */
		"kame sysctl net.inet6.ip6.dad_count 0 >/dev/null && "
		"kame link attach kd1 && kame link attach kd2 && "
		"kame link attach kv0 && "
		"kame addr add 2001:db8:1::1/64 dev kd1 && "
		"kame addr add 2001:db8:1::99/64 dev kd1 anycast && "
		"kame addr add 2001:db8:2::1/64 dev kv0"));
	self->kd1 = if_nametoindex("kd1");
	self->kd2 = if_nametoindex("kd2");
	self->kv0 = if_nametoindex("kv0");
}

FIXTURE_TEARDOWN(ns)
{
}

TEST_F(ns, bind_rules)
{
	struct sockaddr_kame s = sa("::", 0);
	socklen_t len = sizeof(s);
	int fd = raw(IPPROTO_ICMPV6);

	ASSERT_EQ(0, try_bind(fd, s));
	ASSERT_EQ(0, try_bind(fd, sa("2001:db8:1::1", 0)));
	ASSERT_EQ(0, getsockname(fd, SA(s), &len));
	ASSERT_EQ(sizeof(s), len);
	ASSERT_EQ(kame_af(), (int)s.sin6_family);
	ASSERT_EQ(0, s.sin6_port);
	ASSERT_TRUE(addr_is(&s, "2001:db8:1::1"));
	/* errors */
	s = sa("::", 0);
	ASSERT_EQ(-1, bind(fd, SA(s), sizeof(s) - 1));
	ASSERT_EQ(EINVAL, errno);
	s.sin6_family = AF_INET6;
	ASSERT_EQ(-EAFNOSUPPORT, try_bind(fd, s));
	ASSERT_EQ(-EADDRNOTAVAIL, try_bind(fd, sa("2001:db8:99::1", 0)));
	ASSERT_EQ(-EADDRNOTAVAIL, try_bind(fd, sa("ff02::1", self->kd1)));
	ASSERT_EQ(-EADDRNOTAVAIL, try_bind(fd, sa("2001:db8:1::99", 0)));
	ASSERT_EQ(-EINVAL, try_bind(fd, sa("fe80:7::ff:fe00:1", 0)));
	/* a link-local address needs its zone: three interfaces */
	ASSERT_EQ(-EINVAL, try_bind(fd, sa(KD1_LL, 0)));
	ASSERT_EQ(-EADDRNOTAVAIL, try_bind(fd, sa(KD1_LL, self->kd2)));
	ASSERT_EQ(0, try_bind(fd, sa(KD1_LL, self->kd1)));
	len = sizeof(s);
	ASSERT_EQ(0, getsockname(fd, SA(s), &len));
	ASSERT_EQ(self->kd1, s.sin6_scope_id);
	ASSERT_TRUE(addr_is(&s, KD1_LL));
	close(fd);
}

TEST_F(ns, connect_and_names)
{
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	struct sockaddr_kame s, peer = sa("2001:db8:2::2", 0);
	socklen_t len = sizeof(s);
	int fd = raw(253);

	ASSERT_EQ(-1, getpeername(fd, SA(s), &len));
	ASSERT_EQ(ENOTCONN, errno);
	peer.sin6_port = htons(99);	/* ignored */
	ASSERT_EQ(0, try_connect(fd, peer));
	len = sizeof(s);
	ASSERT_EQ(0, getpeername(fd, SA(s), &len));
	ASSERT_EQ(0, memcmp(&s.sin6_addr, &peer.sin6_addr, 16));
	ASSERT_EQ(0, s.sin6_port);
	ASSERT_EQ(0, connect(fd, &unspec, sizeof(unspec)));
	len = sizeof(s);
	ASSERT_EQ(-1, getpeername(fd, SA(s), &len));
	ASSERT_EQ(ENOTCONN, errno);
	ASSERT_EQ(-1, connect(fd, SA(peer), sizeof(peer) - 4));
	ASSERT_EQ(EINVAL, errno);
	peer.sin6_family = AF_INET6;
	ASSERT_EQ(-EAFNOSUPPORT, try_connect(fd, peer));
	ASSERT_EQ(-ENETUNREACH, try_connect(fd, sa("2001:db8:99::5", 0)));
	ASSERT_EQ(-EINVAL, try_connect(fd, sa(KV1_LL, 0)));
	ASSERT_EQ(0, try_connect(fd, sa(KV1_LL, self->kv0)));
	len = sizeof(s);
	ASSERT_EQ(0, getpeername(fd, SA(s), &len));
	ASSERT_EQ(self->kv0, s.sin6_scope_id);
	/* shutdown */
	ASSERT_EQ(0, shutdown(fd, SHUT_WR));
	ASSERT_EQ(-1, send(fd, "abcd", 4, MSG_NOSIGNAL));
	ASSERT_EQ(EPIPE, errno);
	close(fd);
	fd = raw(253);
	ASSERT_EQ(-1, shutdown(fd, SHUT_RDWR));
	ASSERT_EQ(ENOTCONN, errno);
	close(fd);
}

TEST_F(ns, send_errors)
{
	static char big[70000];
	struct sockaddr_kame to = sa("2001:db8:2::2", 0), bad = to;
	int ic = raw(IPPROTO_ICMPV6), fd = raw(253);
	struct msghdr m = { 0 };

	ASSERT_EQ(-1, send(fd, "abcd", 4, 0));
	ASSERT_EQ(EDESTADDRREQ, errno);
	ASSERT_EQ(-1, sendto(fd, "abcd", 4, 0, SA(to), sizeof(to) - 1));
	ASSERT_EQ(EINVAL, errno);
	bad.sin6_family = AF_INET6;
	ASSERT_EQ(-EAFNOSUPPORT, try_sendto(fd, "abcd", 4, bad));
	ASSERT_EQ(-ENETUNREACH, try_sendto(fd, "abcd", 4, sa("2001:db8:9::1", 0)));
	ASSERT_EQ(-EINVAL, try_sendto(fd, "abcd", 4, sa(KV1_LL, 0)));
	ASSERT_EQ(-EMSGSIZE, try_sendto(fd, big, sizeof(big), to));
	ASSERT_EQ(-1, sendto(fd, "abcd", 4, MSG_OOB, SA(to), sizeof(to)));
	ASSERT_EQ(EOPNOTSUPP, errno);
	/* the checksum must fit in the message */
	ASSERT_EQ(-EINVAL, try_sendto(ic, "\x80\0\0", 3, to));
	ASSERT_EQ(4, try_sendto(ic, "\x80\0\0\0", 4, to));
	ASSERT_EQ(0, set_int(fd, SOL_IPV6, IPV6_CHECKSUM, 4));
	ASSERT_EQ(-EINVAL, try_sendto(fd, "abcde", 5, to));
	ASSERT_EQ(6, try_sendto(fd, "abcdef", 6, to));
	close(fd);
	fd = raw(253);
	ASSERT_EQ(0, try_sendto(fd, "", 0, sa(KV1_LL, self->kv0)));
	m.msg_name = &to;
	m.msg_namelen = sizeof(to);
	ASSERT_EQ(-1, recvmsg(fd, &m, MSG_ERRQUEUE | MSG_DONTWAIT));
	ASSERT_EQ(EOPNOTSUPP, errno);
	close(fd);
	close(ic);
}

/* Echo through the native peer: names, MSG_PEEK, MSG_TRUNC, DONTWAIT. */
TEST_F(ns, echo_and_recv_flags)
{
	struct sockaddr_kame from, to = sa("2001:db8:2::2", 0);
	unsigned char b[256];
	struct iovec iov = { b, 4 };
	struct msghdr m = { .msg_name = &from, .msg_namelen = sizeof(from),
			    .msg_iov = &iov, .msg_iovlen = 1 };
	struct icmp6_hdr *h = (struct icmp6_hdr *)b;
	socklen_t fl = sizeof(from);
	int fd = raw(IPPROTO_ICMPV6), i;

	filter_only(fd, ICMP6_ECHO_REPLY);
	ASSERT_EQ(-1, recv(fd, b, sizeof(b), MSG_DONTWAIT));
	ASSERT_EQ(EAGAIN, errno);
	ASSERT_EQ(8 + 100, echo_send(fd, to, 1, 100));
	ASSERT_TRUE(readable(fd, 5000));
	ASSERT_EQ(108, recvmsg(fd, &m, MSG_PEEK | MSG_TRUNC));
	ASSERT_TRUE(m.msg_flags & MSG_TRUNC);
	ASSERT_EQ(ICMP6_ECHO_REPLY, h->icmp6_type);
	memset(b, 0, sizeof(b));
	ASSERT_EQ(108, recvfrom(fd, b, sizeof(b), 0, SA(from), &fl));
	ASSERT_EQ(sizeof(from), fl);
	ASSERT_EQ(kame_af(), (int)from.sin6_family);
	ASSERT_EQ(0, from.sin6_port);
	ASSERT_EQ(0U, from.sin6_scope_id);
	ASSERT_EQ(0, memcmp(&from.sin6_addr, &to.sin6_addr, 16));
	ASSERT_EQ(0x7261, ntohs(h->icmp6_id));
	ASSERT_EQ(1, ntohs(h->icmp6_seq));
	for (i = 0; i < 100; i++)
		ASSERT_EQ(i, b[8 + i]);
	/* link-local: the reply's name carries the zone */
	ASSERT_EQ(8, echo_send(fd, sa(KV1_LL, self->kv0), 2, 0));
	ASSERT_TRUE(readable(fd, 5000));
	fl = sizeof(from);
	ASSERT_EQ(8, recvfrom(fd, b, sizeof(b), 0, SA(from), &fl));
	ASSERT_EQ(self->kv0, from.sin6_scope_id);
	ASSERT_TRUE(addr_is(&from, KV1_LL));
	ASSERT_EQ(-1, recv(fd, b, sizeof(b), MSG_DONTWAIT));
	ASSERT_EQ(EAGAIN, errno);
	close(fd);
}

/* Every matching socket gets a copy; filter, address and peer select. */
TEST_F(ns, delivery_rules)
{
	enum { PASS, BLOCK, BOUND_OK, BOUND_OTHER, PEER_OK, PEER_OTHER, ANY,
	       OTHER_PROTO, N };
	static const int expect[N] = { 1, 0, 1, 0, 1, 0, 1, 0 };
	struct sockaddr_kame to = sa("2001:db8:2::2", 0);
	struct icmp6_filter f;
	unsigned char b[64];
	int fd[N], i;

	for (i = 0; i < N; i++) {
		fd[i] = raw(i == ANY ? 0 : i == OTHER_PROTO ? 253 :
			    IPPROTO_ICMPV6);
		ASSERT_GE(fd[i], 0);
		if (i != ANY && i != OTHER_PROTO)
			filter_only(fd[i], ICMP6_ECHO_REPLY);
	}
	ICMP6_FILTER_SETBLOCKALL(&f);
	ASSERT_EQ(0, setsockopt(fd[BLOCK], SOL_ICMPV6, ICMP6_FILTER, &f,
				sizeof(f)));
	ASSERT_EQ(0, try_bind(fd[BOUND_OK], sa("2001:db8:2::1", 0)));
	ASSERT_EQ(0, try_bind(fd[BOUND_OTHER], sa("2001:db8:1::1", 0)));
	ASSERT_EQ(0, try_connect(fd[PEER_OK], to));
	ASSERT_EQ(0, try_connect(fd[PEER_OTHER], sa("2001:db8:2::3", 0)));
	ASSERT_EQ(8, echo_send(fd[PASS], to, 1, 0));
	ASSERT_TRUE(readable(fd[PASS], 5000));
	usleep(300000);
	for (i = 0; i < N; i++) {
		int got = 0;

		/* the wildcard socket also sees ND traffic: look for 129 */
		while (recv(fd[i], b, sizeof(b), MSG_DONTWAIT) > 0)
			got |= i == OTHER_PROTO || b[0] == ICMP6_ECHO_REPLY;
		EXPECT_EQ(expect[i], got) TH_LOG("socket %d", i);
		close(fd[i]);
	}
}

/* A receive buffer that overflows drops the copies and counts them. */
/* generous: 60 echoes and counter reads under TCG on a loaded host */
TEST_F_TIMEOUT(ns, rcvbuf_overflow_counted, 180)
{
	struct sockaddr_kame to = sa("2001:db8:2::2", 0);
	long long full0, in0, full, in;
	int fd = raw(IPPROTO_ICMPV6), rcv = 4096, got = 0, i;
	unsigned char b[2048];

	filter_only(fd, ICMP6_ECHO_REPLY);
	/* resolve the neighbor first: its hold queue keeps one packet */
	ASSERT_EQ(8, echo_send(fd, to, 0, 0));
	ASSERT_TRUE(readable(fd, 5000));
	ASSERT_EQ(8, recv(fd, b, sizeof(b), 0));
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv)));
	full0 = kstat("rip6", "rip6s_fullsock");
	in0 = kstat("icmp6", "icp6s_inhist_echoreply");
	for (i = 1; i <= 60; i++)
		ASSERT_EQ(1008, echo_send(fd, to, i, 1000));
	/* wait for the 60 replies to be counted, however slow the VM */
	for (i = 0; i < 120; i++) {
		if (kstat("icmp6", "icp6s_inhist_echoreply") - in0 >= 60)
			break;
		usleep(250 * 1000);
	}
	while (recv(fd, b, sizeof(b), MSG_DONTWAIT) == 1008)
		got++;
	full = kstat("rip6", "rip6s_fullsock") - full0;
	in = kstat("icmp6", "icp6s_inhist_echoreply") - in0;
	ASSERT_EQ(60, in);
	ASSERT_GT(full, 0);
	ASSERT_GT(got, 0);
	ASSERT_EQ(in, got + full);
	close(fd);
}

/* Packets of a protocol the kernel lacks: protocol and wildcard sockets. */
TEST_F(ns, other_protocol_from_native)
{
	struct sockaddr_in6 dst = { .sin6_family = AF_INET6 };
	int n = socket(AF_INET6, SOCK_RAW, 253), p = raw(253), w = raw(0);
	int o = raw(254);
	struct sockaddr_kame from;
	socklen_t fl = sizeof(from);
	unsigned char b[64];
	ssize_t len;

	ASSERT_GE(n, 0);
	inet_pton(AF_INET6, "2001:db8:2::1", &dst.sin6_addr);
	ASSERT_EQ(11, sendto(n, "raw-payload", 11, 0, SA(dst), sizeof(dst)));
	ASSERT_TRUE(readable(p, 5000));
	ASSERT_EQ(11, recvfrom(p, b, sizeof(b), 0, SA(from), &fl));
	ASSERT_EQ(0, memcmp(b, "raw-payload", 11));
	ASSERT_TRUE(addr_is(&from, "2001:db8:2::2"));
	/* the wildcard socket sees ICMPv6 (ND) too */
	while ((len = recv(w, b, sizeof(b), MSG_DONTWAIT)) > 0 &&
	       (len != 11 || memcmp(b, "raw-payload", 11)))
		;
	ASSERT_EQ(11, len);
	ASSERT_FALSE(readable(o, 300));
	close(n);
	close(p);
	close(w);
	close(o);
}

/* Errors go to connected UDP sockets only, once. */
TEST_F(ns, udp_error_connected_only)
{
	struct sockaddr_kame to = sa("2001:db8:2::2", 0);
	int c = socket(kame_af(), SOCK_DGRAM, 0);
	int u = socket(kame_af(), SOCK_DGRAM, 0);
	struct pollfd p = { .events = POLLIN };
	char b[8];

	to.sin6_port = htons(9);	/* nothing listens natively */
	ASSERT_EQ(0, try_connect(c, to));
	ASSERT_EQ(1, send(c, "x", 1, 0));
	p.fd = c;
	ASSERT_EQ(1, poll(&p, 1, 5000));
	ASSERT_TRUE(p.revents & POLLERR);
	ASSERT_EQ(-1, recv(c, b, sizeof(b), MSG_DONTWAIT));
	ASSERT_EQ(ECONNREFUSED, errno);
	ASSERT_EQ(0, get_int(c, SOL_SOCKET, SO_ERROR));
	/* the next send reports it too, once */
	ASSERT_EQ(1, send(c, "x", 1, 0));
	ASSERT_EQ(1, poll(&p, 1, 5000));
	ASSERT_EQ(-1, send(c, "x", 1, 0));
	ASSERT_EQ(ECONNREFUSED, errno);
	ASSERT_EQ(0, get_int(c, SOL_SOCKET, SO_ERROR));
	ASSERT_EQ(1, try_sendto(u, "x", 1, to));
	p.fd = u;
	ASSERT_EQ(0, poll(&p, 1, 1000));
	ASSERT_EQ(0, get_int(u, SOL_SOCKET, SO_ERROR));
	close(c);
	close(u);
}

KAME_HARNESS_MAIN
