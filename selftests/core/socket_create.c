// SPDX-License-Identifier: GPL-2.0
/*
 * socket(AF_KAME, ...): the supported types are created, the others get
 * the errno uapi/linux/kame.h documents.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/kame.h>
#include "../kame_af.h"
#include "../kame_harness.h"


static int try_socket(int type, int proto)
{
	int fd = socket(kame_af(), type, proto);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

TEST(sockaddr_layout_matches_sockaddr_in6)
{
	ASSERT_EQ(sizeof(struct sockaddr_in6), sizeof(struct sockaddr_kame));
	ASSERT_EQ(offsetof(struct sockaddr_in6, sin6_port),
		  offsetof(struct sockaddr_kame, sin6_port));
	ASSERT_EQ(offsetof(struct sockaddr_in6, sin6_flowinfo),
		  offsetof(struct sockaddr_kame, sin6_flowinfo));
	ASSERT_EQ(offsetof(struct sockaddr_in6, sin6_addr),
		  offsetof(struct sockaddr_kame, sin6_addr));
	ASSERT_EQ(offsetof(struct sockaddr_in6, sin6_scope_id),
		  offsetof(struct sockaddr_kame, sin6_scope_id));
}

TEST(family_parameter_is_default)
{
	ASSERT_EQ(AF_KAME, kame_af());
}

TEST(udp_created)
{
	ASSERT_EQ(0, try_socket(SOCK_DGRAM, 0));
	ASSERT_EQ(0, try_socket(SOCK_DGRAM, IPPROTO_UDP));
	ASSERT_EQ(0, try_socket(SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
}

TEST(raw_created_for_any_protocol)
{
	ASSERT_EQ(0, try_socket(SOCK_RAW, IPPROTO_ICMPV6));
	ASSERT_EQ(0, try_socket(SOCK_RAW, 0));
	ASSERT_EQ(0, try_socket(SOCK_RAW, 255));
}

TEST(unsupported_type_esocktnosupport)
{
	ASSERT_EQ(-ESOCKTNOSUPPORT, try_socket(SOCK_STREAM, 0));
	ASSERT_EQ(-ESOCKTNOSUPPORT, try_socket(SOCK_STREAM, IPPROTO_TCP));
	ASSERT_EQ(-ESOCKTNOSUPPORT, try_socket(SOCK_SEQPACKET, 0));
	ASSERT_EQ(-ESOCKTNOSUPPORT, try_socket(SOCK_RDM, 0));
}

TEST(unsupported_protocol_eprotonosupport)
{
	ASSERT_EQ(-EPROTONOSUPPORT, try_socket(SOCK_DGRAM, IPPROTO_TCP));
	ASSERT_EQ(-EPROTONOSUPPORT, try_socket(SOCK_DGRAM, IPPROTO_ICMPV6));
	ASSERT_EQ(-EPROTONOSUPPORT, try_socket(SOCK_RAW, 256));
	ASSERT_EQ(-EPROTONOSUPPORT, try_socket(SOCK_RAW, -1));
}

TEST(raw_needs_cap_net_raw)
{
	int status;
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (!pid) {
		/* nobody has no capabilities at all */
		if (setgid(65534) || setuid(65534))
			_exit(10);
		if (try_socket(SOCK_RAW, IPPROTO_ICMPV6) != -EPERM)
			_exit(11);
		if (try_socket(SOCK_DGRAM, 0) != 0)
			_exit(12);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
}

TEST(getsockname_reports_af_kame)
{
	struct sockaddr_kame sa;
	socklen_t len = sizeof(sa);
	int fd = socket(kame_af(), SOCK_DGRAM, 0);

	ASSERT_GE(fd, 0);
	memset(&sa, 0xff, sizeof(sa));
	ASSERT_EQ(0, getsockname(fd, (struct sockaddr *)&sa, &len));
	ASSERT_EQ(sizeof(sa), len);
	ASSERT_EQ(kame_af(), sa.sin6_family);
	ASSERT_EQ(0, sa.sin6_port);
	ASSERT_EQ(-1, getpeername(fd, (struct sockaddr *)&sa, &len));
	ASSERT_EQ(ENOTCONN, errno);
	close(fd);
}

KAME_HARNESS_MAIN
