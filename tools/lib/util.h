/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KAME_TOOLS_UTIL_H
#define KAME_TOOLS_UTIL_H

#include <stdbool.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

extern const char *progname;
/* Printed after "Error: " when set: where a batch command came from. */
extern const char *die_prefix;

/* Print "Error: ..." on one line to stderr and exit 1. */
void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...);
/* Same, for a malformed command line: an Error line, then exit 1. */
void __attribute__((noreturn)) invarg(const char *what, const char *arg);
void __attribute__((noreturn)) missarg(const char *what);

/* Switch to the network namespace /run/netns/NAME (ip -n semantics). */
void netns_switch(const char *name);

/* The AF_KAME number the loaded module uses (module parameter). */
int kame_af(void);

int sysctl_read_int(const char *path, int *val);
int sysctl_write_int(const char *path, int val);

bool streq(const char *a, const char *b);

#endif
