/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Links for the C tests' fixtures over rtnetlink, in the test's own
 * process: under emulation every ip(8) a fixture runs costs a fraction
 * of a second, and the fixtures run once per case.
 *
 *   rtnl_link_add(NAME, KIND)  ip link add NAME type KIND (no options)
 *   rtnl_dummy_add(NAME)   ip link add NAME type dummy
 *   rtnl_link_del(NAME)    ip link del NAME
 *   rtnl_link_up(NAME)     ip link set NAME up
 *   rtnl_dummy_up(NAME)    both of the above for a new dummy
 * Each returns 0 or -errno.
 */
#ifndef KAME_SELFTESTS_RTNL_LINK_H
#define KAME_SELFTESTS_RTNL_LINK_H

#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

struct rtnl_req {
	struct nlmsghdr nh;
	struct ifinfomsg ifi;
	char buf[256];
};

static inline void rtnl_put(struct rtnl_req *r, unsigned short type,
			    const void *data, unsigned short len)
{
	struct rtattr *rta = (struct rtattr *)((char *)r +
					       NLMSG_ALIGN(r->nh.nlmsg_len));

	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(rta), data, len);
	r->nh.nlmsg_len = NLMSG_ALIGN(r->nh.nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

static inline struct rtattr *rtnl_nest(struct rtnl_req *r, unsigned short type)
{
	struct rtattr *rta = (struct rtattr *)((char *)r +
					       NLMSG_ALIGN(r->nh.nlmsg_len));

	rtnl_put(r, type, NULL, 0);
	return rta;
}

static inline void rtnl_nest_end(struct rtnl_req *r, struct rtattr *rta)
{
	rta->rta_len = (char *)r + r->nh.nlmsg_len - (char *)rta;
}

/* Send r and wait for its acknowledgement: 0 or -errno. */
static inline int rtnl_talk(struct rtnl_req *r)
{
	struct {
		struct nlmsghdr nh;
		struct nlmsgerr err;
	} ack;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	ssize_t n;

	if (fd < 0)
		return -errno;
	r->nh.nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	if (send(fd, r, r->nh.nlmsg_len, 0) < 0) {
		n = -errno;
		close(fd);
		return n;
	}
	n = recv(fd, &ack, sizeof(ack), 0);
	close(fd);
	if (n < (ssize_t)sizeof(ack) || ack.nh.nlmsg_type != NLMSG_ERROR)
		return -EPROTO;
	return ack.err.error;
}

static inline void rtnl_init(struct rtnl_req *r, unsigned short type,
			     unsigned short flags)
{
	memset(r, 0, sizeof(*r));
	r->nh.nlmsg_len = NLMSG_LENGTH(sizeof(r->ifi));
	r->nh.nlmsg_type = type;
	r->nh.nlmsg_flags = flags;
	r->ifi.ifi_family = AF_UNSPEC;
}

/* A new link of a kind that needs no options (dummy, bridge, ...). */
static inline int rtnl_link_add(const char *name, const char *kind)
{
	struct rtnl_req r;
	struct rtattr *li;

	rtnl_init(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_put(&r, IFLA_IFNAME, name, strlen(name) + 1);
	li = rtnl_nest(&r, IFLA_LINKINFO);
	rtnl_put(&r, IFLA_INFO_KIND, kind, strlen(kind));
	rtnl_nest_end(&r, li);
	return rtnl_talk(&r);
}

static inline int rtnl_dummy_add(const char *name)
{
	return rtnl_link_add(name, "dummy");
}

static inline int rtnl_link_del(const char *name)
{
	struct rtnl_req r;

	rtnl_init(&r, RTM_DELLINK, 0);
	rtnl_put(&r, IFLA_IFNAME, name, strlen(name) + 1);
	return rtnl_talk(&r);
}

static inline int rtnl_link_up(const char *name)
{
	struct rtnl_req r;

	rtnl_init(&r, RTM_NEWLINK, 0);
	r.ifi.ifi_index = if_nametoindex(name);
	if (!r.ifi.ifi_index)
		return -ENODEV;
	r.ifi.ifi_flags = IFF_UP;
	r.ifi.ifi_change = IFF_UP;
	return rtnl_talk(&r);
}

/* A dummy link, up: the fixtures' usual pair of calls. */
static inline int rtnl_dummy_up(const char *name)
{
	int err = rtnl_dummy_add(name);

	return err ? err : rtnl_link_up(name);
}

#endif
