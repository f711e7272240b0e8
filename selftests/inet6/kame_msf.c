// SPDX-License-Identifier: GPL-2.0
/*
 * kame_msf: an AF_KAME UDP socket bound to PORT whose multicast source
 * filters (RFC 3678 5.1) are driven line by line from stdin, for mld.sh.
 *   kame_msf IF PORT
 * prints "ready", then for each command line one line "ok OP" or
 * "Error: OP: <strerror>", and for each datagram that comes
 *   from ADDR N bytes
 * Commands (GROUP and SOURCE plain addresses, on interface IF):
 *   join GROUP            MCAST_JOIN_GROUP
 *   leave GROUP           MCAST_LEAVE_GROUP
 *   sjoin GROUP SOURCE    MCAST_JOIN_SOURCE_GROUP
 *   sleave GROUP SOURCE   MCAST_LEAVE_SOURCE_GROUP
 *   block GROUP SOURCE    MCAST_BLOCK_SOURCE
 *   unblock GROUP SOURCE  MCAST_UNBLOCK_SOURCE
 *   msfilter GROUP include|exclude SOURCE,...|-
 *                         MCAST_MSFILTER's set (setsourcefilter())
 *   getfilter GROUP       MCAST_MSFILTER's get: "filter MODE N SOURCE,..."
 * It exits at the end of stdin.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/kame.h>
#include "../kame_af.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

static const struct {
	const char *name;
	int opt;
	unsigned int nargs;
} ops[] = {
	{ "join", MCAST_JOIN_GROUP, 1 },
	{ "leave", MCAST_LEAVE_GROUP, 1 },
	{ "sjoin", MCAST_JOIN_SOURCE_GROUP, 2 },
	{ "sleave", MCAST_LEAVE_SOURCE_GROUP, 2 },
	{ "block", MCAST_BLOCK_SOURCE, 2 },
	{ "unblock", MCAST_UNBLOCK_SOURCE, 2 },
	{ "msfilter", MCAST_MSFILTER, 3 },
	{ "getfilter", MCAST_MSFILTER, 1 },
};

static int kame_sa(const char *s, struct sockaddr_storage *ss)
{
	struct sockaddr_kame *sa = (struct sockaddr_kame *)ss;

	memset(ss, 0, sizeof(*ss));
	sa->sin6_family = kame_af();
	return inet_pton(AF_INET6, s, &sa->sin6_addr) == 1 ? 0 : -1;
}

#define MSF_MAX 256	/* sources a msfilter line may name */

/* MCAST_MSFILTER's set: mode w[2], sources w[3] (comma-separated, - none) */
static int msfilter(int fd, unsigned int ifindex, char **w)
{
	struct group_filter *gf;
	char *save = NULL, *p;
	unsigned int n = 0;
	int err;

	gf = calloc(1, GROUP_FILTER_SIZE(MSF_MAX));
	if (!gf)
		kame_fail("calloc");
	gf->gf_interface = ifindex;
	/* another word: a mode the kernel must refuse */
	gf->gf_fmode = !strcmp(w[2], "include") ? MCAST_INCLUDE :
		       !strcmp(w[2], "exclude") ? MCAST_EXCLUDE : 7;
	err = kame_sa(w[1], &gf->gf_group);
	for (p = strtok_r(w[3], ",", &save); p && !err && strcmp(p, "-");
	     p = strtok_r(NULL, ",", &save)) {
		if (n == MSF_MAX)
			break;
		err = kame_sa(p, &gf->gf_slist[n++]);
	}
	gf->gf_numsrc = n;
	if (err) {
		free(gf);
		errno = EINVAL;
		return -1;
	}
	err = setsockopt(fd, SOL_IPV6, MCAST_MSFILTER, gf, GROUP_FILTER_SIZE(n));
	free(gf);
	return err;
}

/* MCAST_MSFILTER's get: prints the filter line */
static int getfilter(int fd, unsigned int ifindex, const char *grp)
{
	socklen_t len = GROUP_FILTER_SIZE(MSF_MAX);
	char a[INET6_ADDRSTRLEN];
	struct sockaddr_kame *sa;
	struct group_filter *gf;
	unsigned int i;

	gf = calloc(1, len);
	if (!gf)
		kame_fail("calloc");
	gf->gf_interface = ifindex;
	gf->gf_numsrc = MSF_MAX;
	if (kame_sa(grp, &gf->gf_group) ||
	    getsockopt(fd, SOL_IPV6, MCAST_MSFILTER, gf, &len)) {
		free(gf);
		return -1;
	}
	printf("filter %s %u ", gf->gf_fmode == MCAST_INCLUDE ? "include" :
	       "exclude", gf->gf_numsrc);
	for (i = 0; i < gf->gf_numsrc && i < MSF_MAX; i++) {
		sa = (struct sockaddr_kame *)&gf->gf_slist[i];
		inet_ntop(AF_INET6, &sa->sin6_addr, a, sizeof(a));
		printf("%s%s", i ? "," : "", a);
	}
	printf("\n");
	free(gf);
	return 0;
}

/* One command line: its result line. */
static void command(int fd, unsigned int ifindex, char *line)
{
	char *w[4] = { NULL }, *save = NULL, *p;
	struct group_source_req gsr = { .gsr_interface = ifindex };
	struct group_req gr = { .gr_interface = ifindex };
	unsigned int i, n = 0;
	int err;

	for (p = strtok_r(line, " \t\n", &save); p && n < 4;
	     p = strtok_r(NULL, " \t\n", &save))
		w[n++] = p;
	if (!n)
		return;
	for (i = 0; i < ARRAY_SIZE(ops); i++)
		if (!strcmp(w[0], ops[i].name))
			break;
	if (i == ARRAY_SIZE(ops) || n != ops[i].nargs + 1) {
		printf("Error: %s: unknown operation or wrong arguments\n",
		       w[0]);
		return;
	}
	if (ops[i].opt == MCAST_MSFILTER) {
		err = ops[i].nargs == 3 ? msfilter(fd, ifindex, w) :
		      getfilter(fd, ifindex, w[1]);
	} else if (ops[i].nargs == 1) {
		if (kame_sa(w[1], &gr.gr_group)) {
			printf("Error: %s: bad address %s\n", w[0], w[1]);
			return;
		}
		err = setsockopt(fd, SOL_IPV6, ops[i].opt, &gr, sizeof(gr));
	} else {
		if (kame_sa(w[1], &gsr.gsr_group) ||
		    kame_sa(w[2], &gsr.gsr_source)) {
			printf("Error: %s: bad address\n", w[0]);
			return;
		}
		err = setsockopt(fd, SOL_IPV6, ops[i].opt, &gsr, sizeof(gsr));
	}
	if (err)
		printf("Error: %s: %s\n", w[0], strerror(errno));
	else
		printf("ok %s\n", w[0]);
}

static void datagram(int fd)
{
	struct sockaddr_kame from;
	socklen_t fl = sizeof(from);
	char a[INET6_ADDRSTRLEN], buf[2048];
	ssize_t n;

	n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
	if (n < 0)
		return;
	inet_ntop(AF_INET6, &from.sin6_addr, a, sizeof(a));
	printf("from %s %zd bytes\n", a, n);
}

int main(int argc, char **argv)
{
	struct sockaddr_kame any = { .sin6_family = kame_af() };
	struct pollfd p[2] = { { .fd = 0, .events = POLLIN },
			       { .events = POLLIN } };
	unsigned int ifindex;
	size_t have = 0;
	char line[512], *nl;
	ssize_t r;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "Error: usage: kame_msf IF PORT\n");
		return 1;
	}
	ifindex = if_nametoindex(argv[1]);
	if (!ifindex) {
		fprintf(stderr, "Error: no interface %s\n", argv[1]);
		return 1;
	}
	any.sin6_port = htons(atoi(argv[2]));
	fd = socket(kame_af(), SOCK_DGRAM, 0);
	if (fd < 0)
		kame_fail("socket");
	if (bind(fd, (struct sockaddr *)&any, sizeof(any)))
		kame_fail("bind");
	p[1].fd = fd;
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("ready\n");
	for (;;) {
		if (poll(p, 2, -1) < 0)
			kame_fail("poll");
		if (p[1].revents & POLLIN)
			datagram(fd);
		if (!(p[0].revents & (POLLIN | POLLHUP)))
			continue;
		/* whole lines from stdin, unbuffered: poll sees the rest */
		r = read(0, line + have, sizeof(line) - 1 - have);
		if (r <= 0)
			return 0;
		have += r;
		line[have] = 0;
		while ((nl = strchr(line, '\n'))) {
			*nl = 0;
			command(fd, ifindex, line);
			have -= nl + 1 - line;
			memmove(line, nl + 1, have + 1);
		}
		if (have == sizeof(line) - 1)
			have = 0;	/* a line too long: dropped */
	}
}
