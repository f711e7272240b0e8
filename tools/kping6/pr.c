// SPDX-License-Identifier: GPL-2.0
/*
 * kping6: addresses and ICMPv6 messages as text (KAME ping6's wording).
 */
#define _GNU_SOURCE
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/ip6.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include "kping6.h"

/* Addresses that need a zone: link-local, interface/link-local groups. */
bool in6_scoped(const struct in6_addr *a)
{
	return IN6_IS_ADDR_LINKLOCAL(a) || IN6_IS_ADDR_MC_LINKLOCAL(a) ||
	       IN6_IS_ADDR_MC_NODELOCAL(a);
}

/* Numeric, with "%IF" for a scoped address; two static buffers. */
const char *pr_addr(const struct in6_addr *a, uint32_t scope)
{
	static char bufs[2][INET6_ADDRSTRLEN + IF_NAMESIZE + 2];
	static int n;
	char s[INET6_ADDRSTRLEN], ifn[IF_NAMESIZE];
	char *b = bufs[n++ & 1];

	inet_ntop(AF_INET6, a, s, sizeof(s));
	if (scope && in6_scoped(a)) {
		if (!if_indextoname(scope, ifn))
			snprintf(ifn, sizeof(ifn), "%u", scope);
		snprintf(b, sizeof(bufs[0]), "%s%%%s", s, ifn);
	} else {
		snprintf(b, sizeof(bufs[0]), "%s", s);
	}
	return b;
}

/* Length of the extension header at h (next header nh), 0 if not one. */
static size_t exthdr_len(uint8_t nh, const uint8_t *h)
{
	switch (nh) {
	case IPPROTO_HOPOPTS:
	case IPPROTO_ROUTING:
	case IPPROTO_DSTOPTS:
		return ((size_t)h[1] + 1) * 8;
	case IPPROTO_FRAGMENT:
		return 8;
	case IPPROTO_AH:
		return ((size_t)h[1] + 2) * 4;
	}
	return 0;
}

/* Does the error at icp quote one of our echo requests? */
bool icmp6_quotes_us(const struct kping6 *p, const uint8_t *icp, size_t len)
{
	const struct ip6_hdr *ip6 = (const struct ip6_hdr *)(icp + 8);
	const uint8_t *cp = icp + 8 + sizeof(*ip6), *end = icp + len;
	const struct icmp6_hdr *e;
	uint8_t nh;
	size_t hl;

	if (icp[0] >= 128 || len < 8 + sizeof(*ip6))
		return false;
	if (!IN6_ARE_ADDR_EQUAL(&ip6->ip6_dst, &p->dst.sin6_addr))
		return false;
	nh = ip6->ip6_nxt;
	while (nh != IPPROTO_ICMPV6) {
		if (end - cp < 8)
			return false;
		hl = exthdr_len(nh, cp);
		/* a later fragment does not show the ICMPv6 header */
		if (!hl || (nh == IPPROTO_FRAGMENT &&
			    (cp[2] << 8 | cp[3]) & 0xfff8))
			return false;
		nh = cp[0];
		cp += hl;
	}
	if (end - cp < (long)ICMP6ECHOLEN)
		return false;
	e = (const struct icmp6_hdr *)cp;
	return e->icmp6_type == ICMP6_ECHO_REQUEST &&
	       ntohs(e->icmp6_id) == p->ident;
}

/* The quoted packet of an error: header fields, addresses, chain. */
static void pr_retip(const uint8_t *cp, const uint8_t *end)
{
	const struct ip6_hdr *ip6 = (const struct ip6_hdr *)cp;
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];
	uint32_t flow;
	uint8_t nh;
	size_t hl;

	if (end - cp < (long)sizeof(*ip6)) {
		printf("IP6...\n");
		return;
	}
	flow = ntohl(ip6->ip6_flow);
	printf("Vr TC  Flow Plen Nxt Hlim\n");
	printf(" %1x %02x %05x %04x  %02x   %02x\n", flow >> 28,
	       (flow >> 20) & 0xff, flow & 0xfffff, ntohs(ip6->ip6_plen),
	       ip6->ip6_nxt, ip6->ip6_hlim);
	inet_ntop(AF_INET6, &ip6->ip6_src, s, sizeof(s));
	inet_ntop(AF_INET6, &ip6->ip6_dst, d, sizeof(d));
	printf("%s->%s\n", s, d);
	nh = ip6->ip6_nxt;
	for (cp += sizeof(*ip6); end - cp >= 8; cp += hl) {
		static const char *const names[] = {
			[IPPROTO_HOPOPTS] = "HBH", [IPPROTO_ROUTING] = "RTHDR",
			[IPPROTO_DSTOPTS] = "DSTOPT", [IPPROTO_AH] = "AH",
			[IPPROTO_FRAGMENT] = "FRAG",
		};

		switch (nh) {
		case IPPROTO_ICMPV6:
			printf("ICMP6: type = %d, code = %d\n", cp[0], cp[1]);
			return;
		case IPPROTO_TCP:
		case IPPROTO_UDP:
			printf("%s: from port %u, to port %u (decimal)\n",
			       nh == IPPROTO_TCP ? "TCP" : "UDP",
			       cp[0] << 8 | cp[1], cp[2] << 8 | cp[3]);
			return;
		case IPPROTO_ESP:
			printf("ESP\n");
			return;
		}
		hl = exthdr_len(nh, cp);
		if (!hl) {
			printf("Unknown Header(%d)\n", nh);
			return;
		}
		printf("%s ", names[nh]);
		if (nh == IPPROTO_FRAGMENT && ((cp[2] << 8 | cp[3]) & 0xfff8)) {
			printf("(not the first fragment)\n");
			return;
		}
		nh = cp[0];
	}
	printf("...\n");
}

static void pr_unreach(uint8_t code)
{
	switch (code) {
	case ICMP6_DST_UNREACH_NOROUTE:
		printf("No Route to Destination\n");
		break;
	case ICMP6_DST_UNREACH_ADMIN:
		printf("Destination Administratively Unreachable\n");
		break;
	case ICMP6_DST_UNREACH_BEYONDSCOPE:
		printf("Destination Unreachable Beyond Scope\n");
		break;
	case ICMP6_DST_UNREACH_ADDR:
		printf("Destination Host Unreachable\n");
		break;
	case ICMP6_DST_UNREACH_NOPORT:
		printf("Destination Port Unreachable\n");
		break;
	case 5:
		printf("Source Address Failed Ingress/Egress Policy\n");
		break;
	case 6:
		printf("Reject Route to Destination\n");
		break;
	default:
		printf("Destination Unreachable, Bad Code: %d\n", code);
	}
}

static void pr_paramprob(uint8_t code, uint32_t ptr)
{
	printf("Parameter problem: ");
	switch (code) {
	case ICMP6_PARAMPROB_HEADER:
		printf("Erroneous Header ");
		break;
	case ICMP6_PARAMPROB_NEXTHEADER:
		printf("Unknown Nextheader ");
		break;
	case ICMP6_PARAMPROB_OPTION:
		printf("Unrecognized Option ");
		break;
	default:
		printf("Bad code(%d) ", code);
	}
	printf("pointer = 0x%02x\n", ptr);
}

static const char *info_name(uint8_t type)
{
	switch (type) {
	case ICMP6_ECHO_REQUEST:
		return "Echo Request";
	case ICMP6_ECHO_REPLY:
		return "Echo Reply";
	case MLD_LISTENER_QUERY:
		return "Listener Query";
	case MLD_LISTENER_REPORT:
		return "Listener Report";
	case MLD_LISTENER_REDUCTION:
		return "Listener Done";
	case ND_ROUTER_SOLICIT:
		return "Router Solicitation";
	case ND_ROUTER_ADVERT:
		return "Router Advertisement";
	case ND_NEIGHBOR_SOLICIT:
		return "Neighbor Solicitation";
	case ND_NEIGHBOR_ADVERT:
		return "Neighbor Advertisement";
	case ND_REDIRECT:
		return "Redirect";
	case 143:
		return "Listener Report v2";
	}
	return NULL;
}

/* One ICMPv6 message other than our echo replies (KAME's pr_icmph). */
void pr_icmph(const uint8_t *icp, size_t len)
{
	const struct icmp6_hdr *h = (const struct icmp6_hdr *)icp;
	const uint8_t *end = icp + len, *q = icp + 8;
	const char *name;

	switch (h->icmp6_type) {
	case ICMP6_DST_UNREACH:
		pr_unreach(h->icmp6_code);
		break;
	case ICMP6_PACKET_TOO_BIG:
		printf("Packet too big mtu = %d\n", (int)ntohl(h->icmp6_mtu));
		break;
	case ICMP6_TIME_EXCEEDED:
		if (h->icmp6_code == ICMP6_TIME_EXCEED_TRANSIT)
			printf("Time to live exceeded\n");
		else if (h->icmp6_code == ICMP6_TIME_EXCEED_REASSEMBLY)
			printf("Frag reassembly time exceeded\n");
		else
			printf("Time exceeded, Bad Code: %d\n", h->icmp6_code);
		break;
	case ICMP6_PARAM_PROB:
		pr_paramprob(h->icmp6_code, ntohl(h->icmp6_pptr));
		break;
	default:
		name = info_name(h->icmp6_type);
		if (name)
			printf("%s\n", name);
		else
			printf("Bad ICMP type: %d\n", h->icmp6_type);
		return;
	}
	pr_retip(q, end);
}
