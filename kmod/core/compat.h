/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels the module builds for (Debian's 6.1
 * and 6.12), decided by feature tests on the target tree in kmod/Kbuild
 * (KAME_HAVE_*), never by version numbers.
 */
#ifndef _KAME_COMPAT_H
#define _KAME_COMPAT_H

#include <linux/sysctl.h>
#include <net/genetlink.h>
#include <net/net_namespace.h>

/* 6.12 moved the unaligned accessors out of asm/ */
#ifdef KAME_HAVE_LINUX_UNALIGNED
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

/* the attributes of a dump request: 6.6 put a genl_info in the dump's */
static inline struct nlattr **kame_dump_attrs(struct netlink_callback *cb)
{
#ifdef KAME_HAVE_GENL_INFO_DUMP
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/* 6.11 made sysctl tables const for their handlers */
#ifdef KAME_HAVE_CONST_CTL_TABLE
#define kame_ctl_table const struct ctl_table
#else
#define kame_ctl_table struct ctl_table
#endif

/* a table of n entries (6.6 counts them; before, a zeroed one ends it) */
static inline struct ctl_table_header *
kame_register_net_sysctl(struct net *net, const char *path,
			 struct ctl_table *t, size_t n)
{
#ifdef KAME_HAVE_REGISTER_NET_SYSCTL_SZ
	return register_net_sysctl_sz(net, path, t, n);
#else
	return register_net_sysctl(net, path, t);
#endif
}

#endif /* _KAME_COMPAT_H */
