// SPDX-License-Identifier: GPL-2.0
/*
 * The pieces of setkey statements that name things: addresses, address
 * ranges with prefix length and port, upper-layer protocols, and the
 * policy string after -P (ipsec_set_policy(3)'s grammar).
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "setkey.h"

#define PRIO_HIGH	0x40000000ULL
#define PRIO_DEF	0x80000000ULL
#define PRIO_LOW	0xc0000000ULL
#define MANUAL_REQID_MAX 0x3fff

static void no_ipv4(const struct sk_tok *t)
{
	sk_perr(t, "IPv4 SAs and policies are Linux XFRM's (ip xfrm)");
}

/* Every IPv6 address of s (a name unless numeric); at most max. */
int sk_addrs(const struct sk_tok *t, const char *s, bool numeric,
	     struct in6_addr *out, int max)
{
	struct addrinfo hints = { .ai_socktype = SOCK_DGRAM }, *res, *ai;
	struct in_addr a4;
	bool v4 = false;
	int n = 0, i;

	if (strchr(s, '['))
		sk_perr(t, "ports in SA and endpoint addresses (NAT traversal) are not supported");
	if (strchr(s, '/'))
		sk_perr(t, "a prefix length is for policies only");
	if (strchr(s, '%'))
		sk_perr(t, "scoped addresses (%%IF) are not supported");
	if (inet_pton(AF_INET, s, &a4) == 1)
		no_ipv4(t);
	if (inet_pton(AF_INET6, s, out) == 1)
		return 1;
	if (numeric || strchr(s, ':'))
		sk_perr(t, "not a numeric IPv6 address");
	if (getaddrinfo(s, NULL, &hints, &res))
		sk_perr(t, "cannot resolve the name");
	for (ai = res; ai; ai = ai->ai_next) {
		const struct in6_addr *a;

		if (ai->ai_family == AF_INET)
			v4 = true;
		if (ai->ai_family != AF_INET6)
			continue;
		a = &((const struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
		for (i = 0; i < n && memcmp(&out[i], a, sizeof(*a)); i++)
			;
		if (i == n && n < max)
			out[n++] = *a;
	}
	freeaddrinfo(res);
	if (!n && v4)
		no_ipv4(t);
	if (!n)
		sk_perr(t, "the name has no IPv6 address");
	return n;
}

void sk_addr1(const struct sk_tok *t, const char *s, bool numeric,
	      struct in6_addr *out)
{
	struct in6_addr a[2];

	if (sk_addrs(t, s, numeric, a, 2) > 1)
		sk_perr(t, "multiple address specified");
	*out = a[0];
}

/* ADDR[/PLEN][[PORT|any]] */
void sk_range(const struct sk_tok *t, bool numeric, struct in6_addr *a,
	      uint8_t *plen, uint16_t *port, bool *has_port)
{
	char buf[256], *br, *sl;
	size_t n;

	snprintf(buf, sizeof(buf), "%s", t->text);
	*plen = 128;
	*port = 0;
	*has_port = false;
	br = strchr(buf, '[');
	if (br) {
		n = strlen(br);
		if (n < 3 || br[n - 1] != ']')
			sk_perr(t, "bad port: ADDR[PORT] or ADDR[any]");
		br[n - 1] = 0;
		*br++ = 0;
		if (!streq(br, "any"))
			*port = sk_number(t, br, 65535, "port");
		*has_port = true;
	}
	sl = strchr(buf, '/');
	if (sl) {
		*sl++ = 0;
		*plen = sk_number(t, sl, 128, "prefix length");
	}
	sk_addr1(t, buf, numeric, a);
}

static const struct {
	const char *name;
	uint8_t proto;
} ulprotos[] = {
	{ "any", KAME_KEY_ULPROTO_ANY }, { "icmp6", IPPROTO_ICMPV6 },
	{ "ipv6-icmp", IPPROTO_ICMPV6 }, { "tcp", IPPROTO_TCP },
	{ "udp", IPPROTO_UDP }, { "sctp", IPPROTO_SCTP },
	{ "ip4", IPPROTO_IPIP }, { "ipip", IPPROTO_IPIP },
	{ "ipv6", IPPROTO_IPV6 }, { "gre", IPPROTO_GRE },
	{ "esp", IPPROTO_ESP }, { "ah", IPPROTO_AH }, { "mh", IPPROTO_MH },
	{ "ipv6-mh", IPPROTO_MH }, { "icmp", IPPROTO_ICMP },
};

uint8_t sk_ulproto(const struct sk_tok *t)
{
	struct protoent *pe;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ulprotos); i++)
		if (streq(t->text, ulprotos[i].name))
			return ulprotos[i].proto;
	if (isdigit((unsigned char)t->text[0]))
		return sk_number(t, t->text, 255, "protocol number");
	pe = getprotobyname(t->text);
	if (!pe)
		sk_perr(t, "unknown upper-layer protocol");
	return pe->p_proto;
}

/* "prio" followed by [-]N, or BASE, BASE+N, BASE-N (words joined). */
static uint32_t parse_prio(const struct sk_tok *t, const char *s)
{
	static const struct {
		const char *name;
		long long base;
	} bases[] = { { "low", PRIO_LOW }, { "def", PRIO_DEF }, { "high", PRIO_HIGH } };
	long long v = PRIO_DEF, sign = -1;
	bool bad = false;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bases); i++) {
		size_t n = strlen(bases[i].name);

		if (!strncmp(s, bases[i].name, n)) {
			v = bases[i].base;
			s += n;
			if (!*s)
				return v;
			bad = *s != '+' && *s != '-';
			break;
		}
	}
	if (bad || isalpha((unsigned char)*s))
		sk_perr(t, "bad priority: N, BASE, BASE+N or BASE-N (BASE low, def or high)");
	if (*s == '+') {
		s++;
	} else if (*s == '-') {
		sign = 1;
		s++;
	}
	if (!*s)
		sk_perr(t, "priority needs a number");
	v += sign * (long long)sk_number(t, s, UINT32_MAX, "priority");
	if (v < 0 || v > UINT32_MAX)
		sk_perr(t, "priority out of range");
	return v;
}

/* proto/mode/[src-dst]/[level] */
static void parse_request(const struct sk_tok *t, struct sk_ipsecreq *r)
{
	char buf[512], *f[5] = { 0 }, *p = buf, *dash;
	int n = 0;

	snprintf(buf, sizeof(buf), "%s", t->text);
	while (n < 5) {
		f[n++] = p;
		p = strchr(p, '/');
		if (!p)
			break;
		*p++ = 0;
	}
	if (p)
		sk_perr(t, "too many fields: PROTO/MODE/SRC-DST/LEVEL");
	if (n < 2 || !f[1][0])
		sk_perr(t, "too few arguments: PROTO/MODE/SRC-DST/LEVEL");
	if (streq(f[0], "esp"))
		r->proto = IPPROTO_ESP;
	else if (streq(f[0], "ah"))
		r->proto = IPPROTO_AH;
	else if (streq(f[0], "ipcomp"))
		r->proto = IPPROTO_COMP;
	else
		sk_perr(t, "unknown protocol (esp, ah or ipcomp)");
	if (streq(f[1], "transport"))
		r->mode = KAME_KEY_MODE_TRANSPORT;
	else if (streq(f[1], "tunnel"))
		r->mode = KAME_KEY_MODE_TUNNEL;
	else
		sk_perr(t, "unknown mode (transport or tunnel)");
	if (n > 2 && f[2][0]) {
		if (streq(f[2], "me-any") || streq(f[2], "any-me"))
			sk_perr(t, "me-any and any-me are not supported");
		dash = strchr(f[2], '-');
		if (!dash)
			sk_perr(t, "endpoints are SRC-DST");
		*dash++ = 0;
		sk_addr1(t, f[2], true, &r->src);
		sk_addr1(t, dash, true, &r->dst);
		r->has_ends = true;
	}
	if (r->mode == KAME_KEY_MODE_TUNNEL && !r->has_ends)
		sk_perr(t, "tunnel mode needs both endpoints (SRC-DST)");
	if (n < 4 || !f[3][0] || streq(f[3], "default"))
		r->level = KAME_KEY_LEVEL_DEFAULT;
	else if (streq(f[3], "use"))
		r->level = KAME_KEY_LEVEL_USE;
	else if (streq(f[3], "require"))
		r->level = KAME_KEY_LEVEL_REQUIRE;
	else if (streq(f[3], "unique"))
		r->level = KAME_KEY_LEVEL_UNIQUE;
	else if (!strncmp(f[3], "unique:", 7)) {
		r->level = KAME_KEY_LEVEL_UNIQUE;
		r->reqid = sk_number(t, f[3] + 7, MANUAL_REQID_MAX, "unique:N");
		if (!r->reqid)
			sk_perr(t, "unique:N needs N from 1 to %d", MANUAL_REQID_MAX);
	} else {
		sk_perr(t, "unknown level (default, use, require, unique[:N])");
	}
}

static bool is_action(const char *w)
{
	return streq(w, "discard") || streq(w, "none") || streq(w, "ipsec") ||
	       streq(w, "entrust") || streq(w, "bypass");
}

/* The policy string: DIR [prio P] [ACTION [REQUEST...]] */
void sk_policy(const struct sk_tok *t, bool want_action, struct sk_policy *pol)
{
	char buf[4096], *w[64] = { NULL }, *save = NULL, *p;
	struct sk_tok wt = { T_WORD, NULL, t->line };
	char prio[256] = "";
	int n = 0, i = 0;

	snprintf(buf, sizeof(buf), "%s", t->text);
	for (p = strtok_r(buf, " ", &save); p; p = strtok_r(NULL, " ", &save)) {
		if (n == (int)ARRAY_SIZE(w))
			sk_perr(t, "policy too long");
		w[n++] = p;
	}
	memset(pol, 0, sizeof(*pol));
	if (!n)
		sk_perr(t, "expected a policy after -P");
	wt.text = w[0];
	if (streq(w[0], "in"))
		pol->dir = KAME_KEY_DIR_IN;
	else if (streq(w[0], "out"))
		pol->dir = KAME_KEY_DIR_OUT;
	else if (streq(w[0], "fwd"))
		pol->dir = KAME_KEY_DIR_FWD;
	else
		sk_perr(&wt, "unknown direction (in, out or fwd)");
	i = 1;
	if (i < n && (streq(w[i], "prio") || streq(w[i], "priority"))) {
		wt.text = w[i++];
		while (i < n && !is_action(w[i]) &&
		       strlen(prio) + strlen(w[i]) < sizeof(prio))
			strcat(prio, w[i++]);
		if (!prio[0])
			sk_perr(&wt, "priority needs a value");
		pol->priority = parse_prio(&wt, prio);
		pol->has_prio = true;
	}
	if (i == n) {
		wt.text = w[n - 1];
		if (want_action)
			sk_perr(&wt, "the policy needs an action (discard, none or ipsec)");
		return;
	}
	wt.text = w[i];
	if (streq(w[i], "discard"))
		pol->action = KAME_KEY_ACTION_DISCARD;
	else if (streq(w[i], "none"))
		pol->action = KAME_KEY_ACTION_NONE;
	else if (streq(w[i], "ipsec"))
		pol->action = KAME_KEY_ACTION_IPSEC;
	else if (streq(w[i], "entrust") || streq(w[i], "bypass"))
		sk_perr(&wt, "entrust and bypass are for per-socket policies");
	else
		sk_perr(&wt, "unknown action (discard, none or ipsec)");
	pol->has_action = true;
	for (i++; i < n; i++) {
		wt.text = w[i];
		if (pol->action != KAME_KEY_ACTION_IPSEC)
			sk_perr(&wt, "requests only with ipsec");
		if (pol->nreq == SK_REQ_MAX)
			sk_perr(&wt, "too many requests (at most %d)", SK_REQ_MAX);
		parse_request(&wt, &pol->req[pol->nreq++]);
	}
	if (pol->action == KAME_KEY_ACTION_IPSEC && !pol->nreq)
		sk_perr(&wt, "ipsec needs a request (PROTO/MODE/SRC-DST/LEVEL)");
}
