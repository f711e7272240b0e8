// SPDX-License-Identifier: GPL-2.0
/*
 * The "kame" generic netlink family, spoken with plain netlink sockets (no
 * libnl, independent of the tools): malformed requests are rejected with
 * an errno and an extended-ack message, changes need CAP_NET_ADMIN in the
 * namespace's user namespace, interfaces of other namespaces are not
 * reachable.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/kame.h>
#include "../kame_harness.h"
#include "../rtnl_link.h"
#include "../fuzz/nl_util.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

#define DUMMY "kamet0"

struct req {
	struct nlmsghdr nh;
	struct genlmsghdr gh;
	char buf[512];
};

struct reply {
	int err;		/* 0 or -errno */
	char msg[256];		/* extack message */
	int offs;		/* extack offset of the bad attribute, or -1 */
	int nmsgs;		/* data messages received */
};

static int genl_open(void)
{
	int one = 1, fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC,
				 NETLINK_GENERIC);

	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	return fd;
}

static void req_init(struct req *r, int family, int cmd, int flags)
{
	memset(r, 0, sizeof(*r));
	r->nh.nlmsg_len = NLMSG_LENGTH(GENL_HDRLEN);
	r->nh.nlmsg_type = family;
	r->nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	r->nh.nlmsg_seq = 1;
	r->gh.cmd = cmd;
	r->gh.version = KAME_GENL_VERSION;
}

/* Append an attribute; returns its offset in the message. */
static int req_attr(struct req *r, int type, const void *data, int len)
{
	struct nlattr *a = (void *)((char *)r + NLMSG_ALIGN(r->nh.nlmsg_len));
	int off = (char *)a - (char *)r;

	a->nla_type = type;
	a->nla_len = NLA_HDRLEN + len;
	memcpy((char *)a + NLA_HDRLEN, data, len);
	r->nh.nlmsg_len = NLMSG_ALIGN(r->nh.nlmsg_len) + NLA_ALIGN(a->nla_len);
	return off;
}

static int req_u32(struct req *r, int type, unsigned int v)
{
	return req_attr(r, type, &v, sizeof(v));
}

static int req_str(struct req *r, int type, const char *s)
{
	return req_attr(r, type, s, strlen(s) + 1);
}

static void parse_err(const struct nlmsghdr *nh, struct reply *rep)
{
	const struct nlmsgerr *e = NLMSG_DATA(nh);
	const struct nlattr *a;
	int len;

	rep->err = e->error;
	if (!(nh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	a = (const void *)((const char *)e + sizeof(*e));
	len = nh->nlmsg_len - NLMSG_HDRLEN - sizeof(*e);
	while (len >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= len) {
		if (a->nla_type == NLMSGERR_ATTR_MSG)
			snprintf(rep->msg, sizeof(rep->msg), "%s",
				 (const char *)a + NLA_HDRLEN);
		if (a->nla_type == NLMSGERR_ATTR_OFFS)
			rep->offs = *(const int *)((const char *)a + NLA_HDRLEN);
		len -= NLA_ALIGN(a->nla_len);
		a = (const void *)((const char *)a + NLA_ALIGN(a->nla_len));
	}
}

static void talk(int fd, struct req *r, struct reply *rep)
{
	static char buf[65536];
	bool done = false;

	memset(rep, 0, sizeof(*rep));
	rep->offs = -1;
	if (send(fd, r, r->nh.nlmsg_len, 0) < 0) {
		rep->err = -errno;
		return;
	}
	while (!done) {
		struct nlmsghdr *nh;
		int n = recv(fd, buf, sizeof(buf), 0);

		if (n < 0) {
			rep->err = -errno;
			return;
		}
		for (nh = (void *)buf; NLMSG_OK(nh, n); nh = NLMSG_NEXT(nh, n)) {
			if (nh->nlmsg_type == NLMSG_ERROR) {
				parse_err(nh, rep);
				done = true;
			} else if (nh->nlmsg_type == NLMSG_DONE) {
				done = true;
			} else {
				rep->nmsgs++;
			}
		}
	}
}

FIXTURE(kame_nl) {
	int fd;
	int family;
	struct req r;
	struct reply rep;
};

FIXTURE_SETUP(kame_nl)
{
	self->fd = genl_open();
	ASSERT_GE(self->fd, 0);
	self->family = resolve_family(self->fd);
	ASSERT_GT(self->family, 0);
	rtnl_link_del(DUMMY);
	ASSERT_EQ(0, rtnl_dummy_add(DUMMY));
	ASSERT_NE(0U, if_nametoindex(DUMMY));
}

FIXTURE_TEARDOWN(kame_nl)
{
	close(self->fd);
	rtnl_link_del(DUMMY);
}

#define EXPECT_REJECT(_errno, _msg) do {				\
	ASSERT_EQ(-(_errno), self->rep.err);				\
	ASSERT_NE(NULL, strstr(self->rep.msg, _msg))			\
		TH_LOG("extack \"%s\", want \"%s\"", self->rep.msg, _msg); \
} while (0)

static void set_native(const char *dev, int disable)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6",
		 dev);
	f = fopen(path, "w");
	if (f) {
		fprintf(f, "%d\n", disable);
		fclose(f);
	}
}

TEST_F(kame_nl, attach_missing_interface)
{
	req_init(&self->r, self->family, KAME_CMD_LINK_ATTACH, 0);
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(EINVAL, "missing interface");
}

TEST_F(kame_nl, attach_both_index_and_name)
{
	req_init(&self->r, self->family, KAME_CMD_LINK_ATTACH, 0);
	req_u32(&self->r, KAME_LINK_A_IFINDEX, 1);
	req_str(&self->r, KAME_LINK_A_IFNAME, "lo");
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(EINVAL, "only one of");
}

TEST_F(kame_nl, attach_duplicate_attribute)
{
	int off;

	req_init(&self->r, self->family, KAME_CMD_LINK_ATTACH, 0);
	req_str(&self->r, KAME_LINK_A_IFNAME, DUMMY);
	off = req_str(&self->r, KAME_LINK_A_IFNAME, DUMMY);
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(EINVAL, "duplicate attribute");
	ASSERT_EQ(off, self->rep.offs);
}

TEST_F(kame_nl, attach_oversized_name)
{
	int off;

	req_init(&self->r, self->family, KAME_CMD_LINK_ATTACH, 0);
	off = req_str(&self->r, KAME_LINK_A_IFNAME,
		      "an-interface-name-longer-than-ifnamsiz");
	talk(self->fd, &self->r, &self->rep);
	ASSERT_EQ(-EINVAL, self->rep.err);
	ASSERT_NE(0, self->rep.msg[0]);
	ASSERT_EQ(off, self->rep.offs);
}

TEST_F(kame_nl, attach_short_ifindex)
{
	unsigned short idx = 1;
	int off;

	req_init(&self->r, self->family, KAME_CMD_LINK_ATTACH, 0);
	off = req_attr(&self->r, KAME_LINK_A_IFINDEX, &idx, sizeof(idx));
	talk(self->fd, &self->r, &self->rep);
	ASSERT_EQ(-EINVAL, self->rep.err);
	ASSERT_NE(0, self->rep.msg[0]);
	ASSERT_EQ(off, self->rep.offs);
}

TEST_F(kame_nl, attach_ifindex_zero)
{
	req_init(&self->r, self->family, KAME_CMD_LINK_ATTACH, 0);
	req_u32(&self->r, KAME_LINK_A_IFINDEX, 0);
	talk(self->fd, &self->r, &self->rep);
	ASSERT_EQ(-ERANGE, self->rep.err);
	ASSERT_NE(0, self->rep.msg[0]);
}

TEST_F(kame_nl, attach_unknown_attribute)
{
	int off;

	req_init(&self->r, self->family, KAME_CMD_LINK_ATTACH, 0);
	req_str(&self->r, KAME_LINK_A_IFNAME, DUMMY);
	off = req_u32(&self->r, 200, 1);
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(EINVAL, "Unknown attribute");
	ASSERT_EQ(off, self->rep.offs);
}

TEST_F(kame_nl, attach_read_only_attribute)
{
	req_init(&self->r, self->family, KAME_CMD_LINK_ATTACH, 0);
	req_str(&self->r, KAME_LINK_A_IFNAME, DUMMY);
	req_u32(&self->r, KAME_LINK_A_MTU, 1500);
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(EINVAL, "read-only attribute");
}

TEST_F(kame_nl, attach_unknown_ifindex)
{
	req_init(&self->r, self->family, KAME_CMD_LINK_ATTACH, 0);
	req_u32(&self->r, KAME_LINK_A_IFINDEX, 0x7ffffff0);
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(ENODEV, "no interface with this index");
}

TEST_F(kame_nl, attach_unknown_ifname)
{
	req_init(&self->r, self->family, KAME_CMD_LINK_ATTACH, 0);
	req_str(&self->r, KAME_LINK_A_IFNAME, "nosuch0");
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(ENODEV, "no interface with this name");
}

TEST_F(kame_nl, attach_loopback)
{
	req_init(&self->r, self->family, KAME_CMD_LINK_ATTACH, 0);
	req_str(&self->r, KAME_LINK_A_IFNAME, "lo");
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(EOPNOTSUPP, "only Ethernet");
}

TEST_F(kame_nl, attach_with_native_ipv6_on)
{
	set_native(DUMMY, 0);
	req_init(&self->r, self->family, KAME_CMD_LINK_ATTACH, 0);
	req_str(&self->r, KAME_LINK_A_IFNAME, DUMMY);
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(EBUSY, "native IPv6 is on");
}

TEST_F(kame_nl, attach_dump_detach)
{
	set_native(DUMMY, 1);
	req_init(&self->r, self->family, KAME_CMD_LINK_ATTACH, 0);
	req_str(&self->r, KAME_LINK_A_IFNAME, DUMMY);
	talk(self->fd, &self->r, &self->rep);
	ASSERT_EQ(0, self->rep.err) TH_LOG("%s", self->rep.msg);

	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(EEXIST, "already attached");

	req_init(&self->r, self->family, KAME_CMD_LINK_GET, NLM_F_DUMP);
	talk(self->fd, &self->r, &self->rep);
	ASSERT_EQ(0, self->rep.err);
	ASSERT_EQ(1, self->rep.nmsgs);

	req_init(&self->r, self->family, KAME_CMD_LINK_DETACH, 0);
	req_u32(&self->r, KAME_LINK_A_IFINDEX, if_nametoindex(DUMMY));
	talk(self->fd, &self->r, &self->rep);
	ASSERT_EQ(0, self->rep.err) TH_LOG("%s", self->rep.msg);

	req_init(&self->r, self->family, KAME_CMD_LINK_GET, NLM_F_DUMP);
	talk(self->fd, &self->r, &self->rep);
	ASSERT_EQ(0, self->rep.err);
	ASSERT_EQ(0, self->rep.nmsgs);
}

TEST_F(kame_nl, detach_not_attached)
{
	req_init(&self->r, self->family, KAME_CMD_LINK_DETACH, 0);
	req_str(&self->r, KAME_LINK_A_IFNAME, DUMMY);
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(ENOENT, "not attached");
}

TEST_F(kame_nl, get_not_attached)
{
	req_init(&self->r, self->family, KAME_CMD_LINK_GET, 0);
	req_str(&self->r, KAME_LINK_A_IFNAME, DUMMY);
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(ENOENT, "not attached");
}

TEST_F(kame_nl, detach_with_attach_only_attribute)
{
	unsigned char one = 1;

	req_init(&self->r, self->family, KAME_CMD_LINK_DETACH, 0);
	req_str(&self->r, KAME_LINK_A_IFNAME, DUMMY);
	req_attr(&self->r, KAME_LINK_A_NATIVE_SAVED, &one, 1);
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(EINVAL, "only valid when attaching");
}

TEST_F(kame_nl, addr_del_with_new_only_attribute)
{
	unsigned char addr[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	unsigned char plen = 64;
	int off;

	req_init(&self->r, self->family, KAME_CMD_ADDR_DEL, 0);
	req_u32(&self->r, KAME_ADDR_A_IFINDEX, if_nametoindex(DUMMY));
	req_attr(&self->r, KAME_ADDR_A_ADDRESS, addr, sizeof(addr));
	off = req_attr(&self->r, KAME_ADDR_A_PREFIXLEN, &plen, 1);
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(EINVAL, "only KAME_CMD_ADDR_NEW");
	ASSERT_EQ(off, self->rep.offs);
}

TEST_F(kame_nl, addr_dump_filters_by_interface_only)
{
	unsigned char addr[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

	req_init(&self->r, self->family, KAME_CMD_ADDR_GET, NLM_F_DUMP);
	req_attr(&self->r, KAME_ADDR_A_ADDRESS, addr, sizeof(addr));
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(EINVAL, "filters by KAME_ADDR_A_IFINDEX only");
}

TEST_F(kame_nl, stats_missing_group)
{
	req_init(&self->r, self->family, KAME_CMD_STATS_GET, 0);
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(EINVAL, "missing KAME_STATS_A_GROUP");
}

TEST_F(kame_nl, stats_unknown_group)
{
	req_init(&self->r, self->family, KAME_CMD_STATS_GET, 0);
	req_u32(&self->r, KAME_STATS_A_GROUP, 77);
	talk(self->fd, &self->r, &self->rep);
	ASSERT_EQ(-ERANGE, self->rep.err);
	ASSERT_NE(0, self->rep.msg[0]);
}

TEST_F(kame_nl, stats_ip6)
{
	req_init(&self->r, self->family, KAME_CMD_STATS_GET, 0);
	req_u32(&self->r, KAME_STATS_A_GROUP, KAME_STATS_IP6);
	talk(self->fd, &self->r, &self->rep);
	ASSERT_EQ(0, self->rep.err);
	ASSERT_EQ(1, self->rep.nmsgs);
}

TEST_F(kame_nl, sock_dump_read_only_attribute)
{
	req_init(&self->r, self->family, KAME_CMD_SOCK_GET, NLM_F_DUMP);
	req_u32(&self->r, KAME_SOCK_A_RECV_Q, 1);
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(EINVAL, "read-only attribute");
}

TEST_F(kame_nl, sock_dump_bad_type)
{
	unsigned short type = 1;	/* SOCK_STREAM: no table */

	req_init(&self->r, self->family, KAME_CMD_SOCK_GET, NLM_F_DUMP);
	req_attr(&self->r, KAME_SOCK_A_TYPE, &type, sizeof(type));
	talk(self->fd, &self->r, &self->rep);
	ASSERT_EQ(-ERANGE, self->rep.err);
	ASSERT_NE(0, self->rep.msg[0]);
}

TEST_F(kame_nl, sock_get_is_dump_only)
{
	req_init(&self->r, self->family, KAME_CMD_SOCK_GET, 0);
	talk(self->fd, &self->r, &self->rep);
	ASSERT_EQ(-EOPNOTSUPP, self->rep.err);
}

TEST_F(kame_nl, unknown_command)
{
	req_init(&self->r, self->family, 99, 0);
	talk(self->fd, &self->r, &self->rep);
	ASSERT_EQ(-EOPNOTSUPP, self->rep.err);
}

TEST_F(kame_nl, reserved_header_field)
{
	req_init(&self->r, self->family, KAME_CMD_LINK_GET, NLM_F_DUMP);
	self->r.gh.reserved = 1;
	talk(self->fd, &self->r, &self->rep);
	ASSERT_EQ(-EINVAL, self->rep.err);
}

/* Run fn in a child; the child's exit status is the test's verdict. */
static int in_child(int (*fn)(int family, int arg), int family, int arg)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid)
		_exit(fn(family, arg));
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int attach_ifindex(int family, int ifindex, struct reply *rep)
{
	struct req r;
	int fd = genl_open();

	if (fd < 0)
		return -1;
	req_init(&r, family, KAME_CMD_LINK_ATTACH, 0);
	req_u32(&r, KAME_LINK_A_IFINDEX, ifindex);
	talk(fd, &r, rep);
	close(fd);
	return 0;
}

static int other_netns(int family, int ifindex)
{
	struct reply rep;

	if (unshare(CLONE_NEWNET))
		return 10;
	if (attach_ifindex(family, ifindex, &rep))
		return 11;
	if (rep.err != -ENODEV || !strstr(rep.msg, "no interface with this index"))
		return 12;
	return 0;
}

TEST_F(kame_nl, interface_of_another_namespace)
{
	ASSERT_EQ(0, in_child(other_netns, self->family, if_nametoindex(DUMMY)));
}

static int no_cap(int family, int ifindex)
{
	struct reply rep;
	struct req r;
	int fd;

	if (setgid(65534) || setuid(65534))
		return 10;
	if (attach_ifindex(family, ifindex, &rep))
		return 11;
	if (rep.err != -EPERM || !strstr(rep.msg, "CAP_NET_ADMIN"))
		return 12;
	fd = genl_open();
	req_init(&r, family, KAME_CMD_ADDRSEL_FLUSH, 0);
	talk(fd, &r, &rep);
	if (rep.err != -EPERM)
		return 14;
	/* reading needs no privilege */
	req_init(&r, family, KAME_CMD_LINK_GET, NLM_F_DUMP);
	talk(fd, &r, &rep);
	return rep.err ? 13 : 0;
}

TEST_F(kame_nl, changes_need_cap_net_admin)
{
	set_native(DUMMY, 1);
	ASSERT_EQ(0, in_child(no_cap, self->family, if_nametoindex(DUMMY)));
}

static int userns_admin(int family, int unused)
{
	struct reply rep;

	if (setgid(65534) || setuid(65534))
		return 10;
	if (unshare(CLONE_NEWUSER | CLONE_NEWNET))
		return 4;	/* unprivileged user namespaces are off */
	/* CAP_NET_ADMIN in the new user namespace suffices for its netns */
	if (attach_ifindex(family, 1, &rep))
		return 11;
	if (rep.err != -EOPNOTSUPP)
		return 12;
	return 0;
}

TEST_F(kame_nl, cap_net_admin_of_owning_user_namespace)
{
	int rc = in_child(userns_admin, self->family, 0);

	if (rc == 4)
		SKIP(return, "unprivileged user namespaces are disabled");
	ASSERT_EQ(0, rc);
}

/* Attach the dummy interface; its index. */
static unsigned int attach_dummy(struct __test_metadata *_metadata, int fd,
				 int family)
{
	struct reply rep;
	struct req r;

	set_native(DUMMY, 1);
	req_init(&r, family, KAME_CMD_LINK_ATTACH, 0);
	req_str(&r, KAME_LINK_A_IFNAME, DUMMY);
	talk(fd, &r, &rep);
	EXPECT_EQ(0, rep.err) TH_LOG("%s", rep.msg);
	return if_nametoindex(DUMMY);
}

static void route_req(struct req *r, int family, int cmd, const char *dst,
		      unsigned char plen, unsigned int ifindex)
{
	struct in6_addr a;

	inet_pton(AF_INET6, dst, &a);
	req_init(r, family, cmd, 0);
	req_attr(r, KAME_ROUTE_A_DST, &a, sizeof(a));
	req_attr(r, KAME_ROUTE_A_PREFIXLEN, &plen, 1);
	if (ifindex)
		req_u32(r, KAME_ROUTE_A_IFINDEX, ifindex);
}

TEST_F(kame_nl, route_unknown_ifindex)
{
	route_req(&self->r, self->family, KAME_CMD_ROUTE_NEW, "2001:db8::",
		  64, 999999);
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(ENODEV, "no interface with this index");
}

TEST_F(kame_nl, route_not_attached)
{
	route_req(&self->r, self->family, KAME_CMD_ROUTE_NEW, "2001:db8::",
		  64, if_nametoindex(DUMMY));
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(ENOENT, "not attached");
}

TEST_F(kame_nl, route_prefixlen_out_of_range)
{
	route_req(&self->r, self->family, KAME_CMD_ROUTE_NEW, "2001:db8::",
		  129, 0);
	talk(self->fd, &self->r, &self->rep);
	ASSERT_EQ(-ERANGE, self->rep.err);
	ASSERT_NE(0, self->rep.msg[0]);
	ASSERT_GT(self->rep.offs, 0);
}

TEST_F(kame_nl, route_embedded_zone)
{
	unsigned int idx = attach_dummy(_metadata, self->fd, self->family);

	route_req(&self->r, self->family, KAME_CMD_ROUTE_NEW, "fe80:5::",
		  64, idx);
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(EINVAL, "embedded in bytes 2-3");
}

TEST_F(kame_nl, route_dump_duplicate_missing)
{
	unsigned int idx = attach_dummy(_metadata, self->fd, self->family);

	/* fe80::%IF/64, the link-local address, ff01::%IF/32, ff02::%IF/32 */
	req_init(&self->r, self->family, KAME_CMD_ROUTE_GET, NLM_F_DUMP);
	talk(self->fd, &self->r, &self->rep);
	ASSERT_EQ(0, self->rep.err);
	ASSERT_EQ(4, self->rep.nmsgs);

	route_req(&self->r, self->family, KAME_CMD_ROUTE_NEW, "ff02::", 32, idx);
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(EEXIST, "exists already");

	route_req(&self->r, self->family, KAME_CMD_ROUTE_DEL, "2001:db8:77::",
		  64, 0);
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(ESRCH, "no such route");

	route_req(&self->r, self->family, KAME_CMD_ROUTE_NEW, "2001:db8:77::1",
		  64, idx);
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(EINVAL, "beyond the prefix length");

	route_req(&self->r, self->family, KAME_CMD_ROUTE_DEL, "ff02::", 32, idx);
	req_u32(&self->r, KAME_ROUTE_A_FLAGS, KAME_RTF_REJECT);
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(EINVAL, "does not take this attribute");

	req_init(&self->r, self->family, KAME_CMD_ROUTE_GET, NLM_F_DUMP);
	req_u32(&self->r, KAME_ROUTE_A_IFINDEX, idx);
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(EINVAL, "takes no attribute");
}

/* An address selection policy request: prefix, mask, precedence, label. */
static void addrsel_req(struct req *r, int family, int cmd, const char *pfx,
			const char *mask, int preced, int label)
{
	struct in6_addr a;

	req_init(r, family, cmd, 0);
	if (pfx) {
		inet_pton(AF_INET6, pfx, &a);
		req_attr(r, KAME_ADDRSEL_A_PREFIX, &a, sizeof(a));
	}
	if (mask) {
		inet_pton(AF_INET6, mask, &a);
		req_attr(r, KAME_ADDRSEL_A_MASK, &a, sizeof(a));
	}
	if (preced >= 0)
		req_u32(r, KAME_ADDRSEL_A_PRECEDENCE, preced);
	if (label != -2)
		req_u32(r, KAME_ADDRSEL_A_LABEL, (unsigned int)label);
}

TEST_F(kame_nl, addrsel_malformed)
{
	uint64_t use = 0;

	addrsel_req(&self->r, self->family, KAME_CMD_ADDRSEL_NEW, "2001:db8::",
		    "ffff:ffff:ff00:ff00::", 1, 1);
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(EINVAL, "not contiguous");
	ASSERT_GT(self->rep.offs, 0);

	addrsel_req(&self->r, self->family, KAME_CMD_ADDRSEL_NEW, "2001:db8::",
		    "ffff:ffff::", 1, -1);
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(EINVAL, "not applicable");

	addrsel_req(&self->r, self->family, KAME_CMD_ADDRSEL_NEW, "2001:db8::",
		    NULL, 1, 1);
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(EINVAL, "KAME_ADDRSEL_A_MASK is required");

	addrsel_req(&self->r, self->family, KAME_CMD_ADDRSEL_NEW, "2001:db8::",
		    "ffff:ffff::", -1, 1);
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(EINVAL, "KAME_ADDRSEL_A_PRECEDENCE is required");

	addrsel_req(&self->r, self->family, KAME_CMD_ADDRSEL_NEW, "2001:db8::",
		    "ffff:ffff::", 1, 1);
	req_attr(&self->r, KAME_ADDRSEL_A_USE, &use, sizeof(use));
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(EINVAL, "read-only");

	addrsel_req(&self->r, self->family, KAME_CMD_ADDRSEL_NEW, "2001:db8::",
		    "ffff:ffff::", 1, -2);
	req_attr(&self->r, KAME_ADDRSEL_A_PREFIX, "\0\0\0", 3);
	talk(self->fd, &self->r, &self->rep);
	ASSERT_NE(0, self->rep.err);
	ASSERT_NE(0, self->rep.msg[0]);

	addrsel_req(&self->r, self->family, KAME_CMD_ADDRSEL_FLUSH, NULL,
		    "ffff::", -1, -2);
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(EINVAL, "takes no attribute");
}

TEST_F(kame_nl, addrsel_exists_absent)
{
	/* bits beyond the mask are cleared: the same entry as 2001:db8:: */
	addrsel_req(&self->r, self->family, KAME_CMD_ADDRSEL_NEW,
		    "2001:db8::1", "ffff:ffff::", 3, 7);
	talk(self->fd, &self->r, &self->rep);
	ASSERT_EQ(0, self->rep.err) TH_LOG("%s", self->rep.msg);

	addrsel_req(&self->r, self->family, KAME_CMD_ADDRSEL_NEW,
		    "2001:db8::", "ffff:ffff::", 5, 9);
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(EEXIST, "exists");

	addrsel_req(&self->r, self->family, KAME_CMD_ADDRSEL_DEL,
		    "2001:db8::", "ffff:ffff:ffff::", -1, -2);
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(ESRCH, "no policy");

	addrsel_req(&self->r, self->family, KAME_CMD_ADDRSEL_DEL,
		    "2001:db8::", "ffff:ffff::", 3, -2);
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(EINVAL, "prefix and mask only");

	req_init(&self->r, self->family, KAME_CMD_ADDRSEL_GET, NLM_F_DUMP);
	talk(self->fd, &self->r, &self->rep);
	ASSERT_EQ(0, self->rep.err);
	ASSERT_EQ(1, self->rep.nmsgs);

	addrsel_req(&self->r, self->family, KAME_CMD_ADDRSEL_DEL,
		    "2001:db8::", "ffff:ffff::", -1, -2);
	talk(self->fd, &self->r, &self->rep);
	ASSERT_EQ(0, self->rep.err) TH_LOG("%s", self->rep.msg);
}

/*
 * The zone of a scoped address lives in bytes 2-3 inside the kernel only:
 * an address from userland with something there is refused, pointing at
 * the attribute, for addresses and neighbor entries alike.
 */
static int scoped_req(struct req *r, int family, int cmd, unsigned int idx,
		      const char *addr)
{
	static const unsigned char mac[6] = { 0x02, 0, 0, 0, 0, 0x42 };
	unsigned char a[16], plen = 64;
	int off;

	inet_pton(AF_INET6, addr, a);
	req_init(r, family, cmd, 0);
	req_u32(r, cmd == KAME_CMD_ADDR_NEW || cmd == KAME_CMD_ADDR_DEL ?
		   KAME_ADDR_A_IFINDEX : KAME_ND_A_IFINDEX, idx);
	if (cmd == KAME_CMD_ADDR_NEW || cmd == KAME_CMD_ADDR_DEL) {
		off = req_attr(r, KAME_ADDR_A_ADDRESS, a, sizeof(a));
		if (cmd == KAME_CMD_ADDR_NEW)
			req_attr(r, KAME_ADDR_A_PREFIXLEN, &plen, 1);
	} else {
		off = req_attr(r, KAME_ND_A_ADDRESS, a, sizeof(a));
		if (cmd == KAME_CMD_ND_NEW) {
			req_attr(r, KAME_ND_A_LLADDR, mac, sizeof(mac));
			req_u32(r, KAME_ND_A_FLAGS, KAME_ND_F_STATIC);
		}
	}
	return off;
}

TEST_F(kame_nl, addr_embedded_zone)
{
	static const char * const bad[] = { "fe80:5::1", "fe80:0:0:0:0:0:0:1" };
	unsigned int idx;
	int off;

	ASSERT_EQ(0, rtnl_link_up(DUMMY));
	idx = attach_dummy(_metadata, self->fd, self->family);
	off = scoped_req(&self->r, self->family, KAME_CMD_ADDR_NEW, idx, bad[0]);
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(EINVAL, "embedded in bytes 2-3");
	ASSERT_EQ(off, self->rep.offs);

	off = scoped_req(&self->r, self->family, KAME_CMD_ADDR_DEL, idx, bad[0]);
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(EINVAL, "embedded in bytes 2-3");
	ASSERT_EQ(off, self->rep.offs);

	/* the plain form of the same address is taken */
	scoped_req(&self->r, self->family, KAME_CMD_ADDR_NEW, idx, bad[1]);
	talk(self->fd, &self->r, &self->rep);
	ASSERT_EQ(0, self->rep.err) TH_LOG("extack \"%s\"", self->rep.msg);
}

TEST_F(kame_nl, nd_embedded_zone)
{
	unsigned int idx;
	int off;

	ASSERT_EQ(0, rtnl_link_up(DUMMY));
	idx = attach_dummy(_metadata, self->fd, self->family);
	off = scoped_req(&self->r, self->family, KAME_CMD_ND_NEW, idx,
			 "fe80:5::2");
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(EINVAL, "embedded in bytes 2-3");
	ASSERT_EQ(off, self->rep.offs);

	off = scoped_req(&self->r, self->family, KAME_CMD_ND_DEL, idx,
			 "ff02:5::2");
	talk(self->fd, &self->r, &self->rep);
	EXPECT_REJECT(EINVAL, "embedded in bytes 2-3");
	ASSERT_EQ(off, self->rep.offs);

	scoped_req(&self->r, self->family, KAME_CMD_ND_NEW, idx, "fe80::2");
	talk(self->fd, &self->r, &self->rep);
	ASSERT_EQ(0, self->rep.err) TH_LOG("extack \"%s\"", self->rep.msg);
}

KAME_HARNESS_MAIN
