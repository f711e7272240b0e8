/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KAME_NDP_H
#define KAME_NDP_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include "../lib/nl.h"
#include "../lib/print.h"
#include "../lib/util.h"

extern bool nflag;

/* ndp_if.c: -i, -I, and the router and prefix lists */
int ndp_ifinfo(struct knl *k, const char *ifname, int argc, char **argv);
int ndp_defif(struct knl *k, const char *arg);
int ndp_lists(char mode);

/* KAME's sec2str: "1d2h3m4s" from the first non-zero unit on. */
void sec2str(unsigned int t, char *buf, size_t len);

#endif
