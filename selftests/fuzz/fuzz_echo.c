// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_echo PORT: an AF_KAME UDP echo server for fuzz/fuzz.sh that keeps
 * going whatever comes (kame-udp echo stops at the first failed send, and
 * fuzzed sources without a route make sends fail). Prints "ready" once
 * bound, then answers until killed.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <sys/socket.h>
#include "../kame_af.h"

int main(int argc, char **argv)
{
	struct sockaddr_kame sa = { .sin6_family = kame_af() };
	static char buf[65536];
	int fd;

	if (argc != 2) {
		fprintf(stderr, "usage: fuzz_echo PORT\n");
		return 2;
	}
	sa.sin6_port = htons(atoi(argv[1]));
	fd = socket(kame_af(), SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)))
		kame_fail("socket/bind");
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		struct sockaddr_kame from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &fl);

		if (n >= 0)
			sendto(fd, buf, n, 0, (struct sockaddr *)&from, fl);
	}
}
