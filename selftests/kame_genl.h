/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Plain netlink for the helpers that send many requests at once
 * (inet6/route_bulk, bench/kbench-routes): an attribute writer and the
 * number of the kame generic netlink family.
 */
#ifndef _KAME_GENL_H
#define _KAME_GENL_H

#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/kame.h>

/* Write attribute type with len bytes of data at p; returns its end. */
static inline char *put_attr(char *p, int type, const void *data, int len)
{
	struct nlattr *a = (struct nlattr *)p;

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy(p + NLA_HDRLEN, data, len);
	return p + NLA_ALIGN(a->nla_len);
}

/* The family number of KAME_GENL_NAME, asked on fd, or -1. */
static inline int kame_genl_family(int fd)
{
	char buf[4096], *p;
	struct nlmsghdr *nh = (struct nlmsghdr *)buf;
	struct genlmsghdr *gh = NLMSG_DATA(nh);
	int n, len;

	memset(buf, 0, NLMSG_HDRLEN + GENL_HDRLEN);
	gh->cmd = CTRL_CMD_GETFAMILY;
	gh->version = 1;
	p = put_attr((char *)gh + GENL_HDRLEN, CTRL_ATTR_FAMILY_NAME,
		     KAME_GENL_NAME, sizeof(KAME_GENL_NAME));
	nh->nlmsg_len = p - buf;
	nh->nlmsg_type = GENL_ID_CTRL;
	nh->nlmsg_flags = NLM_F_REQUEST;
	if (send(fd, buf, nh->nlmsg_len, 0) < 0)
		return -1;
	n = recv(fd, buf, sizeof(buf), 0);
	if (n <= 0 || nh->nlmsg_type == NLMSG_ERROR)
		return -1;
	p = (char *)NLMSG_DATA(nh) + GENL_HDRLEN;
	for (len = nh->nlmsg_len - NLMSG_LENGTH(GENL_HDRLEN); len >= NLA_HDRLEN;) {
		struct nlattr *a = (struct nlattr *)p;

		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			return *(uint16_t *)(p + NLA_HDRLEN);
		len -= NLA_ALIGN(a->nla_len);
		p += NLA_ALIGN(a->nla_len);
	}
	return -1;
}

#endif /* _KAME_GENL_H */
