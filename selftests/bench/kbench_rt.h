/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What kbench_rt.c takes from kame.ko: the declarations of kmod/core/kame.h,
 * without the structures (opaque here) and the feature tests kame.h needs.
 */
#ifndef _KBENCH_RT_H
#define _KBENCH_RT_H

struct in6_addr;
struct kame_net;
struct kame_if;
struct kame_rt;

extern unsigned int kame_net_id;
const struct kame_rt *kame_rt_lookup(struct kame_net *kn,
				     const struct in6_addr *dst,
				     const struct kame_if *kif);

#endif
