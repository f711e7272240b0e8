/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the netlink fuzzers (netlink_fuzz.c, link_fuzz.c) share: their
 * socket, the kame family's id, the knobs they write and read.
 */
#ifndef KAME_NL_UTIL_H
#define KAME_NL_UTIL_H

#include <stdint.h>

/*
 * A netlink socket of protocol proto with extended acks, capped acks, a
 * 10 s receive timeout and a 1 MiB receive buffer; -1 on failure.
 */
int nl_open(int proto);
/* The id of the kame generic netlink family on NETLINK_GENERIC fd; -1. */
int resolve_family(int fd);
/* Write s to path (a sysctl file); 0 or -1. */
int write_file(const char *path, const char *s);
/* The environment variable name as a number (any base), or def. */
uint64_t env_u64(const char *name, uint64_t def);

#endif /* KAME_NL_UTIL_H */
