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

/* ndp_if.c: -i, -I */
int ndp_ifinfo(struct knl *k, const char *ifname, int argc, char **argv);
int ndp_defif(struct knl *k, const char *arg);

/* ndp_rtr.c: the router and prefix lists, -r -p -R -P -H */
int ndp_lists(struct knl *k, char mode);

/* addr%IF for a link-local address; a name unless numeric. */
void fmt_host(const struct in6_addr *a, unsigned int ifindex, bool numeric,
	      char *host, size_t len);

/* KAME's sec2str: "1d2h3m4s" from the first non-zero unit on. */
void sec2str(unsigned int t, char *buf, size_t len);

#endif
