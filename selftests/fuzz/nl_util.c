// SPDX-License-Identifier: GPL-2.0
/* What the netlink fuzzers share (nl_util.h). */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/kame.h>
#include "nl_util.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

int nl_open(int proto)
{
	int one = 1, fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, proto);
	struct timeval tv = { .tv_sec = 10 };
	int sz = 1 << 20;

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
	return fd;
}

int resolve_family(int fd)
{
	struct {
		struct nlmsghdr nh;
		struct genlmsghdr gh;
		struct nlattr a;
		char name[8];
	} r = { { sizeof(r), GENL_ID_CTRL, NLM_F_REQUEST, 1, 0 },
		{ CTRL_CMD_GETFAMILY, 1, 0 },
		{ NLA_HDRLEN + sizeof(KAME_GENL_NAME), CTRL_ATTR_FAMILY_NAME },
		KAME_GENL_NAME };
	static uint8_t buf[8192];
	struct nlmsghdr *nh;
	int n;

	if (send(fd, &r, sizeof(r), 0) < 0)
		return -1;
	n = recv(fd, buf, sizeof(buf), 0);
	for (nh = (void *)buf; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
		struct nlattr *a = (void *)((char *)NLMSG_DATA(nh) + GENL_HDRLEN);
		int len = nh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN);

		if (nh->nlmsg_type == NLMSG_ERROR)
			return -1;
		while (len >= NLA_HDRLEN) {
			if (a->nla_type == CTRL_ATTR_FAMILY_ID)
				return *(uint16_t *)(a + 1);
			len -= NLA_ALIGN(a->nla_len);
			a = (void *)((char *)a + NLA_ALIGN(a->nla_len));
		}
	}
	return -1;
}

int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, s, strlen(s)) == (ssize_t)strlen(s);
	close(fd);
	return ok ? 0 : -1;
}

uint64_t env_u64(const char *name, uint64_t def)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : def;
}
