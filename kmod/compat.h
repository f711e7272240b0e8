/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels the module builds for (Debian's 6.1
 * and 6.12), decided by feature tests on the target tree in kmod/Kbuild
 * (KAME_HAVE_*), never by version numbers.
 */
#ifndef _KAME_COMPAT_H
#define _KAME_COMPAT_H

#include <net/genetlink.h>

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

#endif /* _KAME_COMPAT_H */
