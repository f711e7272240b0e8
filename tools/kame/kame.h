/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KAME_TOOL_H
#define KAME_TOOL_H

#include "../lib/nl.h"
#include "../lib/print.h"
#include "../lib/util.h"

/* argv[0] is the object's first argument (the command), argc counts it. */
int do_addr(struct knl *k, int argc, char **argv);
int do_link(struct knl *k, int argc, char **argv);
int do_route(struct knl *k, int argc, char **argv);
int do_sysctl(struct knl *k, int argc, char **argv);
int do_stats(struct knl *k, int argc, char **argv);
int do_maddr(struct knl *k, int argc, char **argv);
int do_sock(struct knl *k, int argc, char **argv);

/* "[ dev DEV ]" after a show command: its ifindex, 0 without it */
unsigned int parse_dev_filter(int argc, char **argv);

#endif
