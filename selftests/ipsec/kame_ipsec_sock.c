// SPDX-License-Identifier: GPL-2.0
/*
 * kame_ipsec_sock: an AF_KAME UDP socket with its own IPsec policies
 * (IPV6_IPSEC_POLICY, set with ipsec_set_policy(3)), for sockpolicy.sh.
 *   kame_ipsec_sock [-p POLICY]... send ADDR PORT COUNT [SPORT]
 *   kame_ipsec_sock [-p POLICY]... recv PORT COUNT SECS
 *   kame_ipsec_sock [-p POLICY]... get in|out
 *   kame_ipsec_sock [-p POLICY]... hold SECS
 *   kame_ipsec_sock blob HEX
 *   kame_ipsec_sock parse POLICY
 *   kame_ipsec_sock fuzz COUNT SEED
 * -p sets a policy (both directions may be given); a refused one prints
 * "setsockopt: ENAME" and exits 3. send prints "sent N failed M [ENAME]";
 * recv "ready" once bound, then "got N" when COUNT came or SECS passed
 * without one; get prints the policy read back, "len N: POLICY"; hold
 * prints "holding" and closes the socket after SECS; blob sets the bytes
 * HEX as they are and prints "ok" or the errno's name; parse prints the
 * policy ipsec_set_policy() made as ipsec_dump_policy() shows it, or
 * "error: TEXT" (ipsec_strerror()); fuzz sets COUNT random and mutated
 * policies and prints how many calls ended in each errno, exiting 1 if
 * one ended in another errno than EINVAL, EACCES or 0.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/kame_key.h>
#include "../kame_af.h"
#include "../../tools/lib/ipsec_policy.h"

static const char *ename(int e)
{
	const char *n = strerrorname_np(e);

	return n ? n : "E?";
}

static void usage(void)
{
	fprintf(stderr, "Error: %s: kame_ipsec_sock [-p POLICY]... { send ADDR PORT COUNT [SPORT] | recv PORT COUNT SECS | get in|out | hold SECS | blob HEX | parse POLICY | fuzz COUNT SEED }\n",
		"usage");
	exit(1);
}

static void set_policy(int fd, const char *pol)
{
	char *buf = ipsec_set_policy(pol, strlen(pol));

	if (!buf) {
		fprintf(stderr, "Error: ipsec_set_policy: %s\n",
			ipsec_strerror());
		exit(1);
	}
	if (setsockopt(fd, SOL_IPV6, IPV6_IPSEC_POLICY, buf,
		       ipsec_get_policylen(buf))) {
		printf("setsockopt: %s\n", ename(errno));
		exit(3);
	}
	free(buf);
}

static void bind_port(int fd, int port)
{
	struct sockaddr_kame sa;

	kame_addr_parse("::", port, &sa);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		kame_fail("bind");
}

static int do_send(int fd, char **av, int ac)
{
	struct sockaddr_kame to;
	int i, n, sent = 0, failed = 0, err = 0;
	char msg[32];

	if (ac < 3)
		usage();
	kame_addr_parse(av[0], atoi(av[1]), &to);
	n = atoi(av[2]);
	if (ac > 3)
		bind_port(fd, atoi(av[3]));
	for (i = 0; i < n; i++) {
		snprintf(msg, sizeof(msg), "datagram %d", i);
		if (sendto(fd, msg, strlen(msg), 0, (struct sockaddr *)&to,
			   sizeof(to)) < 0) {
			failed++;
			err = errno;
		} else {
			sent++;
		}
		usleep(100000);
	}
	printf("sent %d failed %d%s%s\n", sent, failed, err ? " " : "",
	       err ? ename(err) : "");
	return 0;
}

static int do_recv(int fd, char **av, int ac)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n, secs, got = 0;
	char buf[2048];

	if (ac < 3)
		usage();
	bind_port(fd, atoi(av[0]));
	n = atoi(av[1]);
	secs = atoi(av[2]);
	printf("ready\n");
	fflush(stdout);
	while (got < n && poll(&p, 1, secs * 1000) == 1)
		if (recv(fd, buf, sizeof(buf), 0) >= 0)
			got++;
	printf("got %d\n", got);
	return 0;
}

static int do_get(int fd, char **av, int ac)
{
	union {
		struct kame_key_sockpolicy h;
		char b[KAME_KEY_SOCKPOL_MAXLEN];
	} u = { 0 };
	socklen_t len = sizeof(u);
	char *s;

	if (ac < 1)
		usage();
	u.h.dir = !strcmp(av[0], "in") ? KAME_KEY_DIR_IN : KAME_KEY_DIR_OUT;
	if (getsockopt(fd, SOL_IPV6, IPV6_IPSEC_POLICY, &u, &len)) {
		printf("getsockopt: %s\n", ename(errno));
		return 3;
	}
	s = ipsec_dump_policy(u.b, NULL);
	printf("len %u: %s\n", len, s ? s : ipsec_strerror());
	free(s);
	return 0;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' :
	       c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int do_blob(int fd, const char *hex)
{
	unsigned char b[1024];
	size_t n = 0;

	while (hex[0] && hex[1] && n < sizeof(b)) {
		if (hexval(hex[0]) < 0 || hexval(hex[1]) < 0)
			usage();
		b[n++] = hexval(hex[0]) << 4 | hexval(hex[1]);
		hex += 2;
	}
	if (setsockopt(fd, SOL_IPV6, IPV6_IPSEC_POLICY, b, n))
		printf("%s\n", ename(errno));
	else
		printf("ok\n");
	return 0;
}

static int do_parse(const char *pol)
{
	char *b = ipsec_set_policy(pol, strlen(pol)), *s;

	if (!b) {
		printf("error: %s\n", ipsec_strerror());
		return 0;
	}
	s = ipsec_dump_policy(b, NULL);
	printf("%d: %s\n", ipsec_get_policylen(b), s ? s : ipsec_strerror());
	free(s);
	free(b);
	return 0;
}

/* A valid policy, then a few of its bytes (or its length) changed. */
static size_t fuzz_blob(unsigned char *b, size_t max)
{
	struct kame_key_sockpolicy *h = (void *)b;
	struct kame_key_sockreq *r = (void *)(h + 1);
	size_t len;
	int i, k;

	if (rand() % 4 == 0) {	/* bytes as they come */
		len = rand() % (max + 1);
		for (i = 0; i < (int)len; i++)
			b[i] = rand();
		return len;
	}
	memset(b, 0, max);
	h->dir = 1 + rand() % 2;
	h->action = rand() % 5;
	h->nreq = h->action == KAME_KEY_ACTION_IPSEC ? 1 + rand() % 4 : 0;
	for (i = 0; i < h->nreq; i++) {
		r[i].proto = rand() % 2 ? IPPROTO_ESP : IPPROTO_AH;
		r[i].mode = 1 + rand() % 2;
		r[i].level = rand() % 4;
		r[i].reqid = r[i].level == 3 ? 1 + rand() % 100 : 0;
		if (r[i].mode == 2) {
			r[i].src[0] = 0x20;
			r[i].dst[0] = 0x20;
			r[i].src[15] = 1;
			r[i].dst[15] = 2;
		}
	}
	len = KAME_KEY_SOCKPOL_LEN(h->nreq);
	for (k = rand() % 3; k > 0; k--)
		b[rand() % max] = rand();
	if (rand() % 8 == 0)
		len = rand() % (max + 1);
	return len;
}

static int do_fuzz(int fd, int n, unsigned int seed)
{
	unsigned char b[KAME_KEY_SOCKPOL_MAXLEN + 8];
	int count[256] = { 0 }, i, e, bad = 0;
	size_t len;

	srand(seed);
	for (i = 0; i < n; i++) {
		len = fuzz_blob(b, sizeof(b));
		e = setsockopt(fd, SOL_IPV6, IPV6_IPSEC_POLICY, b, len) ?
		    errno : 0;
		count[e & 255]++;
		if (e && e != EINVAL && e != EACCES) {
			printf("unexpected %s at %d\n", ename(e), i);
			bad = 1;
		}
	}
	for (e = 0; e < 256; e++)
		if (count[e])
			printf("%s %d\n", e ? ename(e) : "ok", count[e]);
	return bad;
}

int main(int argc, char **argv)
{
	int fd, c, i;
	char *pols[4];
	int npol = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	while ((c = getopt(argc, argv, "p:")) != -1) {
		if (c != 'p' || npol == 4)
			usage();
		pols[npol++] = optarg;
	}
	argv += optind;
	argc -= optind;
	if (argc < 1)
		usage();
	if (!strcmp(argv[0], "parse") && argc > 1)
		return do_parse(argv[1]);
	fd = socket(kame_af(), SOCK_DGRAM, 0);
	if (fd < 0)
		kame_fail("socket");
	for (i = 0; i < npol; i++)
		set_policy(fd, pols[i]);
	if (!strcmp(argv[0], "send"))
		return do_send(fd, argv + 1, argc - 1);
	if (!strcmp(argv[0], "recv"))
		return do_recv(fd, argv + 1, argc - 1);
	if (!strcmp(argv[0], "get"))
		return do_get(fd, argv + 1, argc - 1);
	if (!strcmp(argv[0], "blob") && argc > 1)
		return do_blob(fd, argv[1]);
	if (!strcmp(argv[0], "fuzz") && argc > 2)
		return do_fuzz(fd, atoi(argv[1]), atoi(argv[2]));
	if (!strcmp(argv[0], "hold") && argc > 1) {
		printf("holding\n");
		sleep(atoi(argv[1]));
		close(fd);
		printf("closed\n");
		return 0;
	}
	usage();
}
