/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KAME_GIFCONFIG_H
#define KAME_GIFCONFIG_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/kame_gif.h>
#include <linux/kame_stf.h>
#include "../lib/nl.h"
#include "../lib/print.h"
#include "../lib/util.h"

/* A link as RTM_GETLINK gives it, with the gif or stf part of one. */
struct gif_link {
	unsigned int ifindex;
	char ifname[IF_NAMESIZE];
	unsigned int flags;		/* ifi_flags */
	unsigned int mtu;
	bool is_gif;
	bool is_stf;			/* then gflags are STF_F_* */
	int pfamily;			/* outer AF_INET, AF_INET6 or 0: none */
	uint8_t psrc[16], pdst[16];
	uint32_t gflags;		/* GIF_F_* */
	unsigned int ttl;
	uint64_t stats[IFLA_GIF_STAT_MAX + 1];
	uint64_t sstats[IFLA_STF_STAT_MAX + 1];
};

/* What one command line changes: an RTM_NEWLINK (create or change). */
struct gif_req {
	const char *ifname;
	unsigned int ifindex;		/* 0: create the gif ifname */
	bool stf;			/* of kind stf: STF_F_ flags only */
	int pfamily;			/* outer addresses to set, 0: none */
	uint8_t psrc[16], pdst[16];
	bool unset;			/* IFLA_GIF_UNSET */
	bool set_gflags;
	uint32_t gflags;
	unsigned int ttl;		/* 0: unchanged */
	unsigned int up_change, up_flags;	/* ifi_change, ifi_flags */
};

/* An inet or inet6 address of a link. */
struct gif_addr {
	unsigned int ifindex;
	int family;
	uint8_t local[16], peer[16], brd[16];
	bool has_peer, has_brd;
	unsigned int prefixlen;
};

/* gif_rtnl.c: rtnetlink */
void rtnl_open(void);
void rtnl_close(void);
typedef int (*rtnl_msg_fn)(struct nlmsghdr *nlh, void *arg);
/* A request (freed) and its replies, each given to fn; 0 or -errno. */
int rtnl_talk(struct nl_msg *msg, rtnl_msg_fn fn, void *arg);
/* A request whose only answer is the ack; on error die with it. */
void rtnl_change_or_die(struct nl_msg *msg);
/* The link ifname: 0, or -ENODEV if there is none (other errors die). */
int gif_link_get(const char *ifname, struct gif_link *l);
/* All gifs and stfs, sorted by ifindex, in *v (to free); their number. */
size_t gif_link_dump(struct gif_link **v);
void gif_link_change(const struct gif_req *r);
void gif_link_destroy(unsigned int ifindex);

/* gif_addr.c: the inet (Linux) and inet6 (KAME stack) addresses */
size_t gif_addr4_dump(struct gif_addr **v);
/* Empty when the kame family is not there. */
size_t gif_addr6_dump(struct gif_addr **v);

/* *v grown to hold at least n + 1 elements of size bytes. */
void *grow(void *v, size_t *cap, size_t n, size_t size);

#endif
