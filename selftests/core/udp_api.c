// SPDX-License-Identifier: GPL-2.0
/*
 * The UDP socket API of AF_KAME: binding rules, ephemeral ports, connect,
 * names, options and the errno of every refusal (uapi/linux/kame.h). Each
 * test runs in a namespace of its own with two attached dummy interfaces.
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
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/capability.h>
#include <linux/kame.h>
#include "../kame_af.h"
#include "../kame_harness.h"
#include "../rtnl_link.h"


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

static int try_bind(int fd, struct sockaddr_kame s)
{
	return bind(fd, SA(s), sizeof(s)) ? -errno : 0;
}

FIXTURE(ns) {
	int if1;
};

FIXTURE_SETUP(ns)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, rtnl_link_up("lo"));
	ASSERT_EQ(0, rtnl_dummy_up("kd1"));
	ASSERT_EQ(0, rtnl_dummy_up("kd2"));
	ASSERT_EQ(0, system("kame sysctl net.inet6.icmp6.errppslimit 200 >/dev/null && "
			    /* no DAD: the addresses are usable at once */
			    "kame sysctl net.inet6.ip6.dad_count 0 >/dev/null && "
			    "kame link attach kd1 && kame link attach kd2 && "
			    "kame addr add 2001:db8:1::1/64 dev kd1"));
	self->if1 = if_nametoindex("kd1");
}

FIXTURE_TEARDOWN(ns)
{
}

TEST_F(ns, ephemeral_ports_unique)
{
	static int fds[1000];
	static unsigned char seen[65536];
	struct sockaddr_kame s;
	socklen_t len;
	int i;

	for (i = 0; i < 1000; i++) {
		fds[i] = udp();
		ASSERT_GE(fds[i], 0);
		ASSERT_EQ(0, try_bind(fds[i], sa("::", 0, 0)));
		len = sizeof(s);
		ASSERT_EQ(0, getsockname(fds[i], SA(s), &len));
		ASSERT_GE(ntohs(s.sin6_port), 49152);
		ASSERT_EQ(0, seen[ntohs(s.sin6_port)]);
		seen[ntohs(s.sin6_port)] = 1;
	}
	for (i = 0; i < 1000; i++)
		close(fds[i]);
}

TEST_F(ns, port_collisions)
{
	int a = udp(), b = udp(), c = udp(), one = 1;

	ASSERT_EQ(0, try_bind(a, sa("::", 7000, 0)));
	ASSERT_EQ(-EADDRINUSE, try_bind(b, sa("::", 7000, 0)));
	ASSERT_EQ(-EADDRINUSE, try_bind(b, sa("2001:db8:1::1", 7000, 0)));
	ASSERT_EQ(0, try_bind(b, sa("2001:db8:1::1", 7001, 0)));
	ASSERT_EQ(-EINVAL, try_bind(b, sa("::", 7002, 0)));	/* bound */
	/* SO_REUSEADDR on both sides shares a port */
	close(a);
	a = udp();
	ASSERT_EQ(0, setsockopt(a, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
	ASSERT_EQ(0, setsockopt(c, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
	ASSERT_EQ(0, try_bind(a, sa("::", 7003, 0)));
	ASSERT_EQ(0, try_bind(c, sa("::", 7003, 0)));
	close(a);
	close(c);
	/*
	 * and SO_REUSEPORT on both, where the kernel lets a non-inet family
	 * have it (6.1 stable refuses it in sock_setsockopt: EOPNOTSUPP)
	 */
	a = udp();
	c = udp();
	if (setsockopt(a, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one))) {
		ASSERT_EQ(EOPNOTSUPP, errno);
		close(a);
		close(b);
		close(c);
		return;
	}
	ASSERT_EQ(0, try_bind(a, sa("::", 7004, 0)));
	ASSERT_EQ(-EADDRINUSE, try_bind(c, sa("::", 7004, 0)));
	ASSERT_EQ(0, setsockopt(c, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)));
	ASSERT_EQ(0, try_bind(c, sa("::", 7004, 0)));
	close(a);
	close(b);
	close(c);
}

TEST_F(ns, bad_addresses)
{
	struct sockaddr_kame s = sa("::", 7100, 0);
	int fd = udp();

	ASSERT_EQ(-EINVAL, bind(fd, SA(s), sizeof(s) - 1) ? -errno : 0);
	s.sin6_family = AF_INET6;
	ASSERT_EQ(-EAFNOSUPPORT, try_bind(fd, s));
	ASSERT_EQ(-EINVAL, try_bind(fd, sa("fe80:7::1", 7100, 0)));
	ASSERT_EQ(-EADDRNOTAVAIL, try_bind(fd, sa("2001:db8:99::1", 7100, 0)));
	ASSERT_EQ(-EADDRNOTAVAIL, try_bind(fd, sa("fe80::99", 7100, self->if1)));
	ASSERT_EQ(0, try_bind(fd, sa("2001:db8:1::1", 7100, 0)));
	close(fd);
}

TEST_F(ns, connect_names_disconnect)
{
	struct sockaddr_kame s, peer = sa("2001:db8:1::2", 53, 0);
	struct sockaddr_kame local = sa("2001:db8:1::1", 7300, 0);
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	socklen_t len = sizeof(s);
	int fd = udp();

	ASSERT_EQ(-1, getpeername(fd, SA(s), &len));
	ASSERT_EQ(ENOTCONN, errno);
	ASSERT_EQ(0, connect(fd, SA(peer), sizeof(peer)));
	len = sizeof(s);
	ASSERT_EQ(0, getpeername(fd, SA(s), &len));
	ASSERT_EQ(0, memcmp(&s.sin6_addr, &peer.sin6_addr, 16));
	ASSERT_EQ(htons(53), s.sin6_port);
	len = sizeof(s);
	ASSERT_EQ(0, getsockname(fd, SA(s), &len));
	ASSERT_NE(0, s.sin6_port);		/* autobound */
	/* connect picks the source, as a send would (in6_pcbconnect) */
	ASSERT_EQ(0, memcmp(&s.sin6_addr, &local.sin6_addr, 16));
	ASSERT_EQ(4, send(fd, "ping", 4, 0));
	ASSERT_EQ(0, connect(fd, &unspec, sizeof(unspec)));
	len = sizeof(s);
	ASSERT_EQ(0, getsockname(fd, SA(s), &len));
	ASSERT_TRUE(IN6_IS_ADDR_UNSPECIFIED(&s.sin6_addr));
	close(fd);

	/* an address given to bind stays after a disconnect */
	fd = udp();
	ASSERT_EQ(0, try_bind(fd, local));
	ASSERT_EQ(0, connect(fd, SA(peer), sizeof(peer)));
	ASSERT_EQ(0, connect(fd, &unspec, sizeof(unspec)));
	len = sizeof(s);
	ASSERT_EQ(0, getsockname(fd, SA(s), &len));
	ASSERT_EQ(0, memcmp(&s.sin6_addr, &local.sin6_addr, 16));
	ASSERT_EQ(htons(7300), s.sin6_port);
	len = sizeof(s);
	ASSERT_EQ(-1, getpeername(fd, SA(s), &len));
	ASSERT_EQ(ENOTCONN, errno);
	ASSERT_EQ(-1, send(fd, "ping", 4, 0));
	ASSERT_EQ(EDESTADDRREQ, errno);
	close(fd);
}

TEST_F(ns, send_errors)
{
	struct sockaddr_kame ll = sa("fe80::2", 53, 0);
	struct sockaddr_kame far = sa("2001:db8:77::2", 53, 0);
	struct sockaddr_kame llz = sa("fe80::2", 53, self->if1);
	int fd = udp();

	/* two attached links: a link-local destination needs its zone */
	ASSERT_EQ(-1, sendto(fd, "x", 1, 0, SA(ll), sizeof(ll)));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(1, sendto(fd, "x", 1, 0, SA(llz), sizeof(llz)));
	ASSERT_EQ(-1, sendto(fd, "x", 1, 0, SA(far), sizeof(far)));
	ASSERT_EQ(ENETUNREACH, errno);
	llz.sin6_port = 0;
	ASSERT_EQ(-1, sendto(fd, "x", 1, 0, SA(llz), sizeof(llz)));
	ASSERT_EQ(EINVAL, errno);
	close(fd);
}

TEST_F(ns, options)
{
	int fd = udp(), v = 0;
	socklen_t len = sizeof(v);

	ASSERT_EQ(0, getsockopt(fd, SOL_IPV6, IPV6_V6ONLY, &v, &len));
	ASSERT_EQ(1, v);
	v = 0;
	ASSERT_EQ(-1, setsockopt(fd, SOL_IPV6, IPV6_V6ONLY, &v, sizeof(v)));
	ASSERT_EQ(EINVAL, errno);
	v = 7;
	ASSERT_EQ(0, setsockopt(fd, SOL_IPV6, IPV6_UNICAST_HOPS, &v, sizeof(v)));
	v = 0;
	len = sizeof(v);
	ASSERT_EQ(0, getsockopt(fd, SOL_IPV6, IPV6_UNICAST_HOPS, &v, &len));
	ASSERT_EQ(7, v);
	v = 300;
	ASSERT_EQ(-1, setsockopt(fd, SOL_IPV6, IPV6_UNICAST_HOPS, &v, sizeof(v)));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(-1, setsockopt(fd, SOL_IPV6, 9999, &v, sizeof(v)));
	ASSERT_EQ(ENOPROTOOPT, errno);
	close(fd);
}

TEST_F(ns, nonblocking_and_poll)
{
	struct pollfd p;
	char b;
	int fd = udp();

	ASSERT_EQ(0, try_bind(fd, sa("::", 7200, 0)));
	ASSERT_EQ(-1, recv(fd, &b, 1, MSG_DONTWAIT));
	ASSERT_EQ(EAGAIN, errno);
	p.fd = fd;
	p.events = POLLIN | POLLOUT;
	ASSERT_EQ(1, poll(&p, 1, 0));
	ASSERT_EQ(POLLOUT, p.revents & (POLLIN | POLLOUT));
	close(fd);
}

/*
 * bind() as another user in a child: "nobody" (uid and gid 65534, no
 * capability left), root without CAP_NET_BIND_SERVICE, or nobody owning
 * a user namespace (all capabilities there) with (USERNS_NET) or without
 * (USERNS) a network namespace of its own. Returns bind's -errno, or
 * NO_SETUP + step when the child could not become that user.
 */
enum { AS_NOBODY, AS_ROOT_NOCAP, AS_USERNS, AS_USERNS_NET };
#define NO_SETUP 200

static int child_bind(int how, int port)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	int fd;

	if (how == AS_ROOT_NOCAP) {
		if (syscall(SYS_capget, &h, d))
			return NO_SETUP + 1;
		d[0].effective &= ~(1U << CAP_NET_BIND_SERVICE);
		d[0].permitted &= ~(1U << CAP_NET_BIND_SERVICE);
		if (syscall(SYS_capset, &h, d))
			return NO_SETUP + 2;
	} else {
		if (setresgid(65534, 65534, 65534) ||
		    setresuid(65534, 65534, 65534))
			return NO_SETUP + 3;
		if (how == AS_USERNS && unshare(CLONE_NEWUSER))
			return NO_SETUP + 4;
		if (how == AS_USERNS_NET && unshare(CLONE_NEWUSER | CLONE_NEWNET))
			return NO_SETUP + 4;
	}
	/* the socket is made by that user, not handed down by root */
	fd = udp();
	if (fd < 0)
		return NO_SETUP + 5;
	return -try_bind(fd, sa("::", port, 0));
}

static int bind_as(int how, int port)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return NO_SETUP + 6;
	if (!pid)
		_exit(child_bind(how, port));
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return NO_SETUP + 7;
	status = WEXITSTATUS(status);
	return status >= NO_SETUP ? status : -status;
}

/*
 * Ports below the namespace's net.ipv4.ip_unprivileged_port_start need
 * CAP_NET_BIND_SERVICE in the user namespace that owns the socket's
 * network namespace: EACCES otherwise, as for Linux's own sockets.
 */
TEST_F(ns, bind_privileged_port)
{
	int fd, r;
	FILE *f;

	/* the namespace's default: 1024 */
	ASSERT_EQ(-EACCES, bind_as(AS_NOBODY, 80));
	ASSERT_EQ(-EACCES, bind_as(AS_NOBODY, 1023));
	ASSERT_EQ(0, bind_as(AS_NOBODY, 1024));
	ASSERT_EQ(0, bind_as(AS_NOBODY, 40000));
	ASSERT_EQ(0, bind_as(AS_NOBODY, 0));	/* an ephemeral port */
	ASSERT_EQ(-EACCES, bind_as(AS_ROOT_NOCAP, 80));
	ASSERT_EQ(0, bind_as(AS_ROOT_NOCAP, 4000));
	/* all capabilities, but in a user namespace that does not own it */
	r = bind_as(AS_USERNS, 80);
	if (r == NO_SETUP + 4) {
		TH_LOG("no unprivileged user namespaces here: 2 cases skipped");
	} else {
		ASSERT_EQ(-EACCES, r);
		/* the owner of a namespace of its own binds port 80 there */
		ASSERT_EQ(0, bind_as(AS_USERNS_NET, 80));
	}
	/* root */
	fd = udp();
	ASSERT_EQ(0, try_bind(fd, sa("::", 80, 0)));
	close(fd);
	/* the namespace's own setting */
	f = fopen("/proc/sys/net/ipv4/ip_unprivileged_port_start", "w");
	ASSERT_NE(NULL, f);
	fprintf(f, "80\n");
	ASSERT_EQ(0, fclose(f));
	ASSERT_EQ(0, bind_as(AS_NOBODY, 80));
	ASSERT_EQ(-EACCES, bind_as(AS_NOBODY, 79));
}

/* Does "kame addr show" list addr with flag? */
static int addr_has_flag(const char *addr, const char *flag)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd),
		 "kame addr show | grep -Eq ' %s/[0-9]+ (.* )?%s( |$)'",
		 addr, flag);
	return system(cmd) == 0;
}

/*
 * A UDP socket binds only to an address the node may use as a source:
 * tentative, duplicated and anycast addresses are EADDRNOTAVAIL, as for
 * raw sockets (KAME's in6_pcbbind()); a deprecated one may be bound.
 */
TEST_F_TIMEOUT(ns, bind_unusable_addresses, 120)
{
	int fd = udp(), raw = socket(kame_af(), SOCK_RAW, 253), i;

	ASSERT_GE(raw, 0);
	/* tentative: DAD on kd2 (attached anew with it) waits ten minutes */
	ASSERT_EQ(0, system("kame link detach kd2 && "
			    "kame sysctl net.inet6.ip6.dad_count 1 >/dev/null && "
			    "kame link attach kd2 && "
			    "ndp -i kd2 retrans=600000 >/dev/null && "
			    "kame addr add 2001:db8:2::1/64 dev kd2"));
	ASSERT_TRUE(addr_has_flag("2001:db8:2::1", "tentative"));
	ASSERT_EQ(-EADDRNOTAVAIL, try_bind(fd, sa("2001:db8:2::1", 7500, 0)));
	ASSERT_EQ(-EADDRNOTAVAIL, try_bind(raw, sa("2001:db8:2::1", 0, 0)));
	/* anycast */
	ASSERT_EQ(0, system("kame addr add 2001:db8:1::99/64 dev kd1 anycast"));
	ASSERT_TRUE(addr_has_flag("2001:db8:1::99", "anycast"));
	ASSERT_EQ(-EADDRNOTAVAIL, try_bind(fd, sa("2001:db8:1::99", 7500, 0)));
	/*
	 * duplicated: the native stack on the veth peer kv1 has the address
	 * and answers the DAD probe of kv0
	 */
	ASSERT_EQ(0, system("sysctl -qw net.ipv6.conf.default.accept_dad=0 && "
			    "ip link add kv0 type veth peer name kv1 && "
			    "ip link set kv0 up && ip link set kv1 up && "
			    "ip -6 addr add 2001:db8:3::7/64 dev kv1 nodad && "
			    "kame link attach kv0 && "
			    "kame addr add 2001:db8:3::7/64 dev kv0"));
	for (i = 0; i < 100 && !addr_has_flag("2001:db8:3::7", "duplicated"); i++)
		usleep(100000);
	ASSERT_TRUE(addr_has_flag("2001:db8:3::7", "duplicated"));
	ASSERT_EQ(-EADDRNOTAVAIL, try_bind(fd, sa("2001:db8:3::7", 7500, 0)));
	ASSERT_EQ(-EADDRNOTAVAIL, try_bind(raw, sa("2001:db8:3::7", 0, 0)));
	/* deprecated: still the node's (existing exchanges go on) */
	ASSERT_EQ(0, system("kame addr add 2001:db8:1::5/64 dev kd1 preferred_lft 0"));
	for (i = 0; i < 100 && addr_has_flag("2001:db8:1::5", "tentative"); i++)
		usleep(100000);
	ASSERT_TRUE(addr_has_flag("2001:db8:1::5", "deprecated"));
	ASSERT_EQ(0, try_bind(fd, sa("2001:db8:1::5", 7500, 0)));
	close(fd);
	/* a refused bind left the socket unbound: it binds elsewhere */
	fd = udp();
	ASSERT_EQ(-EADDRNOTAVAIL, try_bind(fd, sa("2001:db8:1::99", 7501, 0)));
	ASSERT_EQ(0, try_bind(fd, sa("2001:db8:1::1", 7501, 0)));
	close(fd);
	close(raw);
}

static int reuse_udp(void)
{
	int fd = udp(), one = 1;

	if (fd >= 0)
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	return fd;
}

/* One datagram waiting on fd within ms: its length, or -1. */
static int recv_wait(int fd, void *b, size_t n, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (poll(&p, 1, ms) != 1)
		return -1;
	return recv(fd, b, n, MSG_DONTWAIT);
}

/*
 * net.inet6.udp6.maxreuse: at most that many sockets share an address
 * and port (those bound to :: share it with every address); one more is
 * EADDRINUSE, even with SO_REUSEADDR. Datagrams still reach them.
 */
TEST_F(ns, reuse_limit)
{
	struct sockaddr_kame grp = sa("ff12::7600", 7600, self->if1);
	struct sockaddr_kame me = sa("2001:db8:1::1", 7600, 0);
	int fds[4], extra, s = udp(), i, got, n;
	struct ipv6_mreq m = { .ipv6mr_interface = self->if1 };
	char b[16];

	ASSERT_EQ(0, system("kame sysctl net.inet6.udp6.maxreuse | "
			    "grep -qx 'net.inet6.udp6.maxreuse: 128'"));
	ASSERT_NE(0, system("kame sysctl net.inet6.udp6.maxreuse 0 2>/dev/null"));
	ASSERT_EQ(0, system("kame sysctl net.inet6.udp6.maxreuse 4 >/dev/null"));
	inet_pton(AF_INET6, "ff12::7600", &m.ipv6mr_multiaddr);
	for (i = 0; i < 4; i++) {
		fds[i] = reuse_udp();
		ASSERT_EQ(0, try_bind(fds[i], sa("::", 7600, 0)));
		ASSERT_EQ(0, setsockopt(fds[i], SOL_IPV6, IPV6_JOIN_GROUP, &m,
					sizeof(m)));
	}
	extra = reuse_udp();
	ASSERT_EQ(-EADDRINUSE, try_bind(extra, sa("::", 7600, 0)));
	/* an address overlaps the four on :: */
	ASSERT_EQ(-EADDRINUSE, try_bind(extra, sa("2001:db8:1::1", 7600, 0)));
	ASSERT_EQ(0, try_bind(extra, sa("2001:db8:1::1", 7601, 0)));
	close(extra);
	/* a multicast datagram reaches all four, a unicast one only one */
	ASSERT_EQ(5, sendto(s, "group", 5, 0, SA(grp), sizeof(grp)));
	for (i = 0; i < 4; i++)
		EXPECT_EQ(5, recv_wait(fds[i], b, sizeof(b), 2000)) TH_LOG("socket %d", i);
	ASSERT_EQ(7, sendto(s, "unicast", 7, 0, SA(me), sizeof(me)));
	for (i = 0, got = 0; i < 4; i++) {
		n = recv_wait(fds[i], b, sizeof(b), i ? 0 : 2000);
		if (n == 7)
			got++;
	}
	EXPECT_EQ(1, got);
	/* a place left by a close is free again */
	close(fds[3]);
	fds[3] = reuse_udp();
	ASSERT_EQ(0, try_bind(fds[3], sa("::", 7600, 0)));
	/* a lower limit leaves the sockets bound, refuses more */
	ASSERT_EQ(0, system("kame sysctl net.inet6.udp6.maxreuse 1 >/dev/null"));
	extra = reuse_udp();
	ASSERT_EQ(-EADDRINUSE, try_bind(extra, sa("::", 7600, 0)));
	ASSERT_EQ(0, try_bind(extra, sa("::", 7602, 0)));	/* alone */
	i = reuse_udp();
	ASSERT_EQ(-EADDRINUSE, try_bind(i, sa("::", 7602, 0)));
	close(i);
	close(extra);
	for (i = 0; i < 4; i++)
		close(fds[i]);
	close(s);
}

/*
 * Many bound sockets, on :: and on the address, each on a port of its
 * own, and a crowd on one port: every datagram reaches the one socket it
 * is for. Then the best match (bound address 2, connected peer 4) after
 * connect and disconnect, which change a socket's address.
 */
#define MANY 3000

TEST_F_TIMEOUT(ns, many_sockets_delivery, 120)
{
	static int fds[MANY];
	struct rlimit rl = { MANY + 200, MANY + 200 };
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	int s = udp(), any, spec, conn, i, v, bad = 0;
	struct sockaddr_kame to;

	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));
	ASSERT_EQ(0, system("kame sysctl net.inet6.ip6.intr_queue_maxlen 65536 >/dev/null"));
	ASSERT_EQ(0, try_bind(s, sa("2001:db8:1::1", 19999, 0)));
	for (i = 0; i < MANY; i++) {
		fds[i] = udp();
		ASSERT_GE(fds[i], 0);
		ASSERT_EQ(0, try_bind(fds[i], sa(i & 1 ? "2001:db8:1::1" : "::",
						 20000 + i, 0)));
	}
	for (i = 0; i < MANY; i++) {
		to = sa("2001:db8:1::1", 20000 + i, 0);
		ASSERT_EQ(4, sendto(s, &i, 4, 0, SA(to), sizeof(to)));
	}
	for (i = 0; i < MANY; i++) {
		v = -1;
		if (recv_wait(fds[i], &v, sizeof(v), 5000) != 4 || v != i)
			bad++;
	}
	EXPECT_EQ(0, bad);
	for (i = 0; i < MANY; i++)
		close(fds[i]);

	/* :: and the address on one port: the address wins */
	any = reuse_udp();
	spec = reuse_udp();
	conn = reuse_udp();
	ASSERT_EQ(0, try_bind(any, sa("::", 7700, 0)));
	ASSERT_EQ(0, try_bind(spec, sa("2001:db8:1::1", 7700, 0)));
	to = sa("2001:db8:1::1", 7700, 0);
	ASSERT_EQ(4, sendto(s, "spec", 4, 0, SA(to), sizeof(to)));
	EXPECT_EQ(4, recv_wait(spec, &v, sizeof(v), 2000));
	EXPECT_EQ(-1, recv_wait(any, &v, sizeof(v), 0));
	/* connected to the sender from ::: moves to the address, wins */
	ASSERT_EQ(0, try_bind(conn, sa("::", 7700, 0)));
	to = sa("2001:db8:1::1", 19999, 0);
	ASSERT_EQ(0, connect(conn, SA(to), sizeof(to)));
	to = sa("2001:db8:1::1", 7700, 0);
	ASSERT_EQ(4, sendto(s, "conn", 4, 0, SA(to), sizeof(to)));
	EXPECT_EQ(4, recv_wait(conn, &v, sizeof(v), 2000));
	EXPECT_EQ(-1, recv_wait(spec, &v, sizeof(v), 0));
	/* disconnected, back on ::: the bound address wins again */
	ASSERT_EQ(0, connect(conn, &unspec, sizeof(unspec)));
	close(spec);
	ASSERT_EQ(4, sendto(s, "back", 4, 0, SA(to), sizeof(to)));
	/* two on :: unconnected: the newest one */
	EXPECT_EQ(4, recv_wait(conn, &v, sizeof(v), 2000));
	EXPECT_EQ(-1, recv_wait(any, &v, sizeof(v), 0));
	close(conn);
	ASSERT_EQ(4, sendto(s, "last", 4, 0, SA(to), sizeof(to)));
	EXPECT_EQ(4, recv_wait(any, &v, sizeof(v), 2000));
	close(any);
	close(s);
}

/*
 * Datagrams larger than a page (their payload goes into page fragments,
 * which the IPv6 fragments then share) to our own address: each comes back
 * whole and unchanged, from an iovec split at odd offsets (the checksum is
 * summed while copying, piece by piece).
 */
TEST_F(ns, large_datagrams_to_self)
{
	static const size_t sizes[] = { 4097, 8000, 65527 };
	static unsigned char out[65527], in[65536];
	struct sockaddr_kame to = sa("2001:db8:1::1", 7300, 0);
	int a = udp(), s = udp(), rcvbuf = 1 << 20;
	struct pollfd p = { .events = POLLIN };
	size_t i, k;

	for (k = 0; k < sizeof(out); k++)
		out[k] = (k * 7 + k / 251) & 0xff;
	ASSERT_EQ(0, setsockopt(a, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
				sizeof(rcvbuf)));
	ASSERT_EQ(0, try_bind(a, sa("::", 7300, 0)));
	p.fd = a;
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		size_t n = sizes[i];
		struct iovec iov[3] = { { out, 1 }, { out + 1, 4095 },
					{ out + 4096, n - 4096 } };
		struct msghdr m = { .msg_name = &to, .msg_namelen = sizeof(to),
				    .msg_iov = iov, .msg_iovlen = 3 };

		ASSERT_EQ((ssize_t)n, sendmsg(s, &m, 0)) TH_LOG("size %zu", n);
		ASSERT_EQ(1, poll(&p, 1, 5000)) TH_LOG("size %zu", n);
		memset(in, 0, sizeof(in));
		ASSERT_EQ((ssize_t)n, recv(a, in, sizeof(in), 0));
		ASSERT_EQ(0, memcmp(in, out, n)) TH_LOG("size %zu", n);
	}
	close(a);
	close(s);
}

KAME_HARNESS_MAIN
