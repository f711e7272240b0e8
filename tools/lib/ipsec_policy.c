// SPDX-License-Identifier: GPL-2.0
/*
 * ipsec_set_policy(3) and its companions for AF_KAME sockets. The grammar
 * is KAME's (bsd-tools notes 2.5), for a socket's policy:
 *
 *   policy  = dir action {request}
 *   dir     = "in" | "out"
 *   action  = "discard" | "none" | "ipsec" | "entrust" | "bypass"
 *   request = proto "/" mode ["/" [src "-" dst] ["/" [level]]]
 *   proto   = "esp" | "ah" | "ipcomp"
 *   mode    = "transport" | "tunnel"
 *   level   = "default" | "use" | "require" | "unique:" N
 *
 * Words are separated by blanks (spaces, tabs, newlines). Endpoints are
 * numeric IPv6 addresses, for tunnel mode only. The buffer is the uapi
 * struct kame_key_sockpolicy and its requests, the kernel's own format.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <linux/kame_key.h>
#include "ipsec_policy.h"

#define MANUAL_REQID_MAX	0x3fff
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

enum {
	E_OK, E_NOPOLICY, E_DIR, E_ACTION, E_NOREQ, E_REQNOTIPSEC, E_TOOMANY,
	E_FIELDS, E_PROTO, E_MODE, E_ENDS, E_TUNNEL, E_TRANSPORT, E_LEVEL,
	E_UNIQUE, E_UNIQUE_N, E_NOMEM, E_BUFFER,
};

static const char *const errtext[] = {
	[E_OK]		= "no error",
	[E_NOPOLICY]	= "no policy string",
	[E_DIR]		= "unknown direction (in or out)",
	[E_ACTION]	= "unknown action (discard, none, ipsec, entrust or bypass)",
	[E_NOREQ]	= "the action ipsec needs at least one request",
	[E_REQNOTIPSEC]	= "requests go with the action ipsec only",
	[E_TOOMANY]	= "too many requests (at most 4)",
	[E_FIELDS]	= "a request is PROTO/MODE[/[SRC-DST][/LEVEL]]",
	[E_PROTO]	= "unknown protocol (esp, ah or ipcomp)",
	[E_MODE]	= "unknown mode (transport or tunnel)",
	[E_ENDS]	= "endpoints are SRC-DST, numeric IPv6 addresses",
	[E_TUNNEL]	= "tunnel mode needs both endpoints",
	[E_TRANSPORT]	= "transport mode takes no endpoints",
	[E_LEVEL]	= "unknown level (default, use, require or unique:N)",
	[E_UNIQUE]	= "unique:N takes N from 1 to 16383",
	[E_UNIQUE_N]	= "a socket's level unique needs its number (unique:N)",
	[E_NOMEM]	= "out of memory",
	[E_BUFFER]	= "not a policy buffer",
};

static __thread int ipsec_err;

const char *ipsec_strerror(void)
{
	return errtext[ipsec_err];
}

static int fail(int e)
{
	ipsec_err = e;
	return -1;
}

/* The next blank-separated word of s[*pos, len) into w; 0 at the end. */
static size_t next_word(const char *s, size_t len, size_t *pos, char *w,
			size_t wsz)
{
	size_t i = *pos, n = 0;

	while (i < len && isspace((unsigned char)s[i]))
		i++;
	while (i < len && !isspace((unsigned char)s[i])) {
		if (n + 1 < wsz)
			w[n] = s[i];
		n++;
		i++;
	}
	*pos = i;
	w[n < wsz ? n : wsz - 1] = 0;
	return n;
}

static int parse_level(const char *f, struct kame_key_sockreq *r)
{
	char *end;
	unsigned long n;

	if (!*f || !strcmp(f, "default"))
		r->level = KAME_KEY_LEVEL_DEFAULT;
	else if (!strcmp(f, "use"))
		r->level = KAME_KEY_LEVEL_USE;
	else if (!strcmp(f, "require"))
		r->level = KAME_KEY_LEVEL_REQUIRE;
	else if (!strcmp(f, "unique"))
		return fail(E_UNIQUE_N);
	else if (!strncmp(f, "unique:", 7)) {
		r->level = KAME_KEY_LEVEL_UNIQUE;
		if (!isdigit((unsigned char)f[7]))
			return fail(E_UNIQUE);
		n = strtoul(f + 7, &end, 10);
		if (*end || !n || n > MANUAL_REQID_MAX)
			return fail(E_UNIQUE);
		r->reqid = n;
	} else {
		return fail(E_LEVEL);
	}
	return 0;
}

static int parse_ends(char *f, struct kame_key_sockreq *r)
{
	char *dash = strchr(f, '-');

	if (!dash)
		return fail(E_ENDS);
	*dash++ = 0;
	if (inet_pton(AF_INET6, f, r->src) != 1 ||
	    inet_pton(AF_INET6, dash, r->dst) != 1)
		return fail(E_ENDS);
	return 0;
}

/* proto/mode[/[src-dst][/level]] */
static int parse_request(char *w, struct kame_key_sockreq *r)
{
	char *f[4] = { NULL }, *p = w;
	int n = 0;

	memset(r, 0, sizeof(*r));
	while (p) {
		if (n == 4)
			return fail(E_FIELDS);
		f[n++] = p;
		p = strchr(p, '/');
		if (p)
			*p++ = 0;
	}
	if (n < 2 || !*f[1])
		return fail(E_FIELDS);
	if (!strcmp(f[0], "esp"))
		r->proto = IPPROTO_ESP;
	else if (!strcmp(f[0], "ah"))
		r->proto = IPPROTO_AH;
	else if (!strcmp(f[0], "ipcomp"))
		r->proto = IPPROTO_COMP;
	else
		return fail(E_PROTO);
	if (!strcmp(f[1], "transport"))
		r->mode = KAME_KEY_MODE_TRANSPORT;
	else if (!strcmp(f[1], "tunnel"))
		r->mode = KAME_KEY_MODE_TUNNEL;
	else
		return fail(E_MODE);
	if (n > 2 && *f[2]) {
		if (r->mode == KAME_KEY_MODE_TRANSPORT)
			return fail(E_TRANSPORT);
		if (parse_ends(f[2], r))
			return -1;
	} else if (r->mode == KAME_KEY_MODE_TUNNEL) {
		return fail(E_TUNNEL);
	}
	return parse_level(n > 3 ? f[3] : "", r);
}

static int parse_head(const char *dir, const char *action,
		      struct kame_key_sockpolicy *h)
{
	static const char *const actions[] = {
		[KAME_KEY_ACTION_DISCARD] = "discard",
		[KAME_KEY_ACTION_NONE] = "none",
		[KAME_KEY_ACTION_IPSEC] = "ipsec",
		[KAME_KEY_ACTION_ENTRUST] = "entrust",
		[KAME_KEY_ACTION_BYPASS] = "bypass",
	};
	unsigned int i;

	memset(h, 0, sizeof(*h));
	if (!strcmp(dir, "in"))
		h->dir = KAME_KEY_DIR_IN;
	else if (!strcmp(dir, "out"))
		h->dir = KAME_KEY_DIR_OUT;
	else
		return fail(E_DIR);
	for (i = 0; i < ARRAY_SIZE(actions); i++)
		if (!strcmp(action, actions[i]))
			break;
	if (i == ARRAY_SIZE(actions))
		return fail(E_ACTION);
	h->action = i;
	return 0;
}

char *ipsec_set_policy(const char *policy, int len)
{
	struct kame_key_sockreq req[KAME_KEY_SOCKPOL_REQ_MAX];
	struct kame_key_sockpolicy h;
	char dir[16], action[16], w[256];
	size_t pos = 0, n;
	char *buf;

	if (!policy || len <= 0) {
		fail(E_NOPOLICY);
		return NULL;
	}
	len = strnlen(policy, len);	/* a NUL ends it, as sizeof would */
	if (!next_word(policy, len, &pos, dir, sizeof(dir))) {
		fail(E_NOPOLICY);
		return NULL;
	}
	next_word(policy, len, &pos, action, sizeof(action));
	if (parse_head(dir, action, &h))
		return NULL;
	while ((n = next_word(policy, len, &pos, w, sizeof(w)))) {
		if (h.action != KAME_KEY_ACTION_IPSEC) {
			fail(E_REQNOTIPSEC);
			return NULL;
		}
		if (h.nreq == KAME_KEY_SOCKPOL_REQ_MAX) {
			fail(E_TOOMANY);
			return NULL;
		}
		if (n >= sizeof(w)) {
			fail(E_FIELDS);
			return NULL;
		}
		if (parse_request(w, &req[h.nreq]))
			return NULL;
		h.nreq++;
	}
	if (h.action == KAME_KEY_ACTION_IPSEC && !h.nreq) {
		fail(E_NOREQ);
		return NULL;
	}
	buf = malloc(KAME_KEY_SOCKPOL_LEN(h.nreq));
	if (!buf) {
		fail(E_NOMEM);
		return NULL;
	}
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), req, h.nreq * sizeof(req[0]));
	ipsec_err = E_OK;
	return buf;
}

int ipsec_get_policylen(const char *buf)
{
	struct kame_key_sockpolicy h;

	if (!buf)
		return fail(E_BUFFER);
	memcpy(&h, buf, sizeof(h));
	if (h.nreq > KAME_KEY_SOCKPOL_REQ_MAX)
		return fail(E_BUFFER);
	ipsec_err = E_OK;
	return KAME_KEY_SOCKPOL_LEN(h.nreq);
}

static const char *name_of(unsigned int v, const char *const *names,
			   unsigned int n)
{
	return v < n && names[v] ? names[v] : NULL;
}

/* One request as PROTO/MODE/SRC-DST/LEVEL into out (room for it). */
static int dump_request(const struct kame_key_sockreq *r, char *out,
			size_t sz)
{
	static const char *const levels[] = {
		"default", "use", "require", "unique",
	};
	static const char *const modes[] = {
		[KAME_KEY_MODE_TRANSPORT] = "transport",
		[KAME_KEY_MODE_TUNNEL] = "tunnel",
	};
	char src[INET6_ADDRSTRLEN] = "", dst[INET6_ADDRSTRLEN] = "";
	const char *proto, *mode, *level;
	char ends[2 * INET6_ADDRSTRLEN + 2] = "", num[16] = "";

	proto = r->proto == IPPROTO_ESP ? "esp" :
		r->proto == IPPROTO_AH ? "ah" :
		r->proto == IPPROTO_COMP ? "ipcomp" : NULL;
	mode = name_of(r->mode, modes, 3);
	level = name_of(r->level, levels, 4);
	if (!proto || !mode || !level)
		return fail(E_BUFFER);
	if (r->mode == KAME_KEY_MODE_TUNNEL) {
		inet_ntop(AF_INET6, r->src, src, sizeof(src));
		inet_ntop(AF_INET6, r->dst, dst, sizeof(dst));
		snprintf(ends, sizeof(ends), "%s-%s", src, dst);
	}
	if (r->level == KAME_KEY_LEVEL_UNIQUE)
		snprintf(num, sizeof(num), ":%u", (unsigned int)r->reqid);
	snprintf(out, sz, "%s/%s/%s/%s%s", proto, mode, ends, level, num);
	return 0;
}

char *ipsec_dump_policy(const char *buf, const char *delim)
{
	static const char *const actions[] = {
		"discard", "none", "ipsec", "entrust", "bypass",
	};
	struct kame_key_sockpolicy h;
	struct kame_key_sockreq r;
	const char *dir, *action;
	size_t sz, off;
	char *out;
	int i;

	if (!buf) {
		fail(E_BUFFER);
		return NULL;
	}
	if (!delim)
		delim = " ";
	memcpy(&h, buf, sizeof(h));
	dir = h.dir == KAME_KEY_DIR_IN ? "in" :
	      h.dir == KAME_KEY_DIR_OUT ? "out" : NULL;
	action = name_of(h.action, actions, 5);
	if (!dir || !action || h.nreq > KAME_KEY_SOCKPOL_REQ_MAX) {
		fail(E_BUFFER);
		return NULL;
	}
	sz = 32 + h.nreq * (strlen(delim) + 2 * INET6_ADDRSTRLEN + 48);
	out = malloc(sz);
	if (!out) {
		fail(E_NOMEM);
		return NULL;
	}
	off = snprintf(out, sz, "%s %s", dir, action);
	for (i = 0; i < h.nreq; i++) {
		memcpy(&r, buf + KAME_KEY_SOCKPOL_LEN(i), sizeof(r));
		off += snprintf(out + off, sz - off, "%s", delim);
		if (dump_request(&r, out + off, sz - off)) {
			free(out);
			return NULL;
		}
		off += strlen(out + off);
	}
	ipsec_err = E_OK;
	return out;
}
