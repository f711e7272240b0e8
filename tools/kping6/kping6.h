/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kping6: KAME's ping6 on AF_KAME raw ICMPv6 sockets (kping6(8)).
 */
#ifndef KPING6_H
#define KPING6_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <netinet/in.h>

#define ICMP6ECHOLEN	8		/* type, code, checksum, id, seq */
#define ICMP6ECHOTMLEN	8		/* timestamp: be32 sec, be32 usec */
#define MAXDATALEN	(131072 - 40 - 8)
#define MAX_DUP_CHK	(8 * 1024)	/* sequence numbers kept for DUP! */
#define DEFWAITTIME	10000		/* ms after the last request, no reply */
#define DUMMY_PORT	10101		/* port of the source-finding connect */

enum {
	F_FLOOD		= 1 << 0,
	F_INTERVAL	= 1 << 1,
	F_PINGFILLED	= 1 << 2,
	F_QUIET		= 1 << 3,
	F_VERBOSE	= 1 << 4,
	F_SOURCE	= 1 << 5,
	F_WAITTIME	= 1 << 6,
	F_HOPLIMIT	= 1 << 7,
	F_SOCKBUF	= 1 << 8,
};

struct kping6 {
	int af;				/* AF_KAME, or AF_INET6 (KAME_FAMILY) */
	int fd;
	const char *target;		/* as typed: banner and summary */
	struct sockaddr_in6 dst;	/* sin6_family AF_INET6 inside the tool */
	struct sockaddr_in6 src;
	unsigned int ifindex;		/* -I */
	unsigned int options;		/* F_* */
	long npackets;			/* -c, 0: until interrupted */
	long interval_us;		/* -i */
	int datalen;			/* -s */
	int hoplimit;			/* -h */
	int sockbuf;			/* -b */
	long preload;			/* -l */
	int mflag;			/* -m given once or twice */
	long waittime;			/* -x, ms */
	uint8_t pattern[16];		/* -p */
	int patlen;
	uint16_t ident;
	bool timing;			/* a timestamp fits in the data */
	size_t fill_off;		/* where the fill pattern starts */
	uint8_t *outpack;
	uint8_t *inpack;
	size_t inlen;

	long ntransmitted, nreceived, nrepeats, nrcvtimeout;
	double tmin, tmax, tsum, tsumsq;
	uint8_t rcvd_tbl[MAX_DUP_CHK / 8];
};

/* kping6.c */
void __attribute__((noreturn, format(printf, 1, 2))) fatal(const char *fmt,
							    ...);
void __attribute__((format(printf, 1, 2))) warnmsg(const char *fmt, ...);

/* ping.c */
void kping6_run(struct kping6 *p);
void kping6_summary(const struct kping6 *p);

/* pr.c */
const char *pr_addr(const struct in6_addr *a, uint32_t scope);
bool in6_scoped(const struct in6_addr *a);
void pr_icmph(const uint8_t *icp, size_t len);
bool icmp6_quotes_us(const struct kping6 *p, const uint8_t *icp, size_t len);

#endif
