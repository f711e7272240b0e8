/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the C tests and the small AF_KAME programs share: the AF_KAME number
 * the loaded module uses, and parsing an address into a sockaddr_kame.
 */
#ifndef KAME_SELFTESTS_AF_H
#define KAME_SELFTESTS_AF_H

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <linux/kame.h>

/*
 * The AF_KAME number: the module's "family" parameter, or the default when
 * the module does not say. KAME_FAMILY=inet6 in the environment gives
 * Linux's AF_INET6 instead (sockaddr_kame has sockaddr_in6's layout), so
 * that the same program runs on the native stack (fuzz/differential.sh).
 */

static inline int kame_af(void)
{
	FILE *f = fopen("/sys/module/kame/parameters/family", "r");
	const char *e = getenv("KAME_FAMILY");
	int af = AF_KAME;

	if (e && !strcmp(e, "inet6")) {
		if (f)
			fclose(f);
		return AF_INET6;
	}

	if (f) {
		if (fscanf(f, "%d", &af) != 1)
			af = AF_KAME;
		fclose(f);
	}
	return af;
}

/* A failed call: one Error line with errno's text, exit 1. */
static inline void kame_fail(const char *what)
{
	fprintf(stderr, "Error: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* "ADDR" or "ADDR%IF" (numeric) and a port; a bad address exits 1. */
static inline void kame_addr_parse(const char *s, int port,
				   struct sockaddr_kame *sa)
{
	struct addrinfo hints = { .ai_family = AF_INET6,
				  .ai_flags = AI_NUMERICHOST }, *ai;
	const struct sockaddr_in6 *in6;

	if (getaddrinfo(s, NULL, &hints, &ai)) {
		fprintf(stderr, "Error: \"%s\" is not an IPv6 address\n", s);
		exit(1);
	}
	in6 = (const struct sockaddr_in6 *)ai->ai_addr;
	memset(sa, 0, sizeof(*sa));
	sa->sin6_family = kame_af();
	sa->sin6_port = htons(port);
	memcpy(&sa->sin6_addr, &in6->sin6_addr, 16);
	sa->sin6_scope_id = in6->sin6_scope_id;
	freeaddrinfo(ai);
}

#endif
