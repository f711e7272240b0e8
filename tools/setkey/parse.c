// SPDX-License-Identifier: GPL-2.0
/*
 * setkey's configuration language (setkey(8) of KAME and ipsec-tools):
 * the lexer turns a whole file into tokens, the parser turns the tokens
 * into requests. Nothing is sent from here: a file with an error anywhere
 * gives one Error line and no request at all.
 */
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "setkey.h"

const char *sk_cur_file = "-";
/* the last -E/-A/-C of the statement: where a wrong choice is shown */
static const struct sk_tok *alg_tok;

struct toks {
	struct sk_tok *v;
	size_t n, cap, pos;
};

void sk_perr(const struct sk_tok *t, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	die("%s:%d: %s at [%s]", sk_cur_file, t->line, msg,
	    t->type == T_EOF ? "end of input" : t->text);
}

static void push(struct toks *ts, enum sk_tok_type type, const char *s,
		 size_t len, int line)
{
	char *text = strndup(s, len);

	if (!text)
		die("out of memory");
	if (ts->n == ts->cap) {
		ts->cap = ts->cap ? 2 * ts->cap : 64;
		ts->v = realloc(ts->v, ts->cap * sizeof(*ts->v));
		if (!ts->v)
			die("out of memory");
	}
	ts->v[ts->n++] = (struct sk_tok){ type, text, line };
}

/* After "-P": everything up to the next ';' (comments removed), trimmed. */
static const char *lex_policy(struct toks *ts, const char *p, int *line)
{
	char buf[4096];
	size_t n = 0;
	int line0 = *line;

	for (; *p && *p != ';'; p++) {
		if (*p == '#') {
			while (*p && *p != '\n')
				p++;
			if (!*p)
				break;
		}
		if (*p == '\n')
			(*line)++;
		if (n + 1 >= sizeof(buf)) {
			struct sk_tok t = { T_WORD, "-P", line0 };

			sk_perr(&t, "policy too long");
		}
		buf[n++] = isspace((unsigned char)*p) ? ' ' : *p;
	}
	while (n && buf[n - 1] == ' ')
		n--;
	buf[n] = 0;
	push(ts, T_POLICY, buf + strspn(buf, " "), strlen(buf + strspn(buf, " ")),
	     line0);
	return p;
}

static void lex(const char *text, struct toks *ts)
{
	const char *p = text, *s;
	int line = 1;

	while (*p) {
		if (*p == '\n') {
			line++;
			p++;
		} else if (isspace((unsigned char)*p)) {
			p++;
		} else if (*p == '#') {
			while (*p && *p != '\n')
				p++;
		} else if (*p == ';') {
			push(ts, T_SEMI, p++, 1, line);
		} else if (*p == '"') {
			s = ++p;
			while (*p && *p != '"' && *p != '\n')
				p++;
			if (*p != '"') {
				push(ts, T_WORD, s - 1, p - s + 1, line);
				sk_perr(&ts->v[ts->n - 1],
					"unterminated quoted string");
			}
			push(ts, T_QUOTED, s, p - s, line);
			p++;
		} else {
			s = p;
			while (*p && !isspace((unsigned char)*p) && *p != ';' &&
			       *p != '"' && *p != '#')
				p++;
			push(ts, T_WORD, s, p - s, line);
			if (p - s == 2 && !strncmp(s, "-P", 2))
				p = lex_policy(ts, p, &line);
		}
	}
	/* the end of input is where the last token was */
	push(ts, T_EOF, "", 0, ts->n ? ts->v[ts->n - 1].line : line);
}

static const struct sk_tok *peek(struct toks *ts)
{
	return &ts->v[ts->pos];
}

static const struct sk_tok *next(struct toks *ts)
{
	const struct sk_tok *t = &ts->v[ts->pos];

	if (t->type != T_EOF)
		ts->pos++;
	return t;
}

static bool is_word(const struct sk_tok *t, const char *w)
{
	return t->type == T_WORD && streq(t->text, w);
}

static const struct sk_tok *word(struct toks *ts, const char *what)
{
	const struct sk_tok *t = next(ts);

	if (t->type != T_WORD)
		sk_perr(t, "expected %s", what);
	return t;
}

static void end_stmt(struct toks *ts)
{
	const struct sk_tok *t = next(ts);

	if (t->type != T_SEMI)
		sk_perr(t, "syntax error: expected ';'");
}

/* A decimal or 0x-hex number no larger than max. */
uint64_t sk_number(const struct sk_tok *t, const char *s, uint64_t max,
		   const char *what)
{
	unsigned long long v;
	char *end;
	int base = 10;

	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16, s += 2;
	if (!isxdigit((unsigned char)*s))
		sk_perr(t, "%s is not a number", what);
	errno = 0;
	v = strtoull(s, &end, base);
	if (*end)
		sk_perr(t, "%s is not a number", what);
	if (errno || v > max)
		sk_perr(t, "%s too big (at most %llu)", what,
			(unsigned long long)max);
	return v;
}

/* -4, -6, -n and their combinations: only -6 and -n make sense here. */
static bool aiflags(struct toks *ts)
{
	const struct sk_tok *t = peek(ts);
	bool numeric = false;
	const char *p;

	if (t->type != T_WORD || t->text[0] != '-' || !t->text[1] ||
	    strspn(t->text + 1, "46n") != strlen(t->text + 1))
		return false;
	for (p = t->text + 1; *p; p++) {
		if (*p == '4')
			sk_perr(t, "IPv4 SAs and policies are Linux XFRM's (ip xfrm)");
		if (*p == 'n')
			numeric = true;
	}
	next(ts);
	return numeric;
}

static uint8_t sa_proto(const struct sk_tok *t)
{
	if (is_word(t, "esp"))
		return IPPROTO_ESP;
	if (is_word(t, "ah"))
		return IPPROTO_AH;
	if (is_word(t, "ipcomp"))
		return IPPROTO_COMP;
	if (is_word(t, "esp-old") || is_word(t, "ah-old"))
		sk_perr(t, "the old ESP and AH of RFC 1827/1829 are not supported");
	if (is_word(t, "esp-udp"))
		sk_perr(t, "ESP in UDP (NAT traversal) is not supported");
	if (is_word(t, "tcp"))
		sk_perr(t, "TCP-MD5 SAs are Linux's (TCP_MD5SIG), not supported");
	sk_perr(t, "unknown protocol (esp, ah or ipcomp)");
}

/* A key: "string" or 0xHEX (an odd digit count is left-padded with 0). */
static void parse_key(const struct sk_tok *t, struct sk_key *k)
{
	const char *h;
	size_t n, i;

	memset(k, 0, sizeof(*k));
	k->set = true;
	if (t->type == T_QUOTED) {
		k->len = strlen(t->text);
		if (k->len > SK_KEY_MAX)
			sk_perr(t, "key too long (at most %d bytes)", SK_KEY_MAX);
		memcpy(k->v, t->text, k->len);
		return;
	}
	if (t->type != T_WORD || strncasecmp(t->text, "0x", 2))
		sk_perr(t, "expected a key (\"string\" or 0xHEX)");
	h = t->text + 2;
	n = strlen(h);
	if (!n || strspn(h, "0123456789abcdefABCDEF") != n)
		sk_perr(t, "bad hexadecimal key");
	if ((n + 1) / 2 > SK_KEY_MAX)
		sk_perr(t, "key too long (at most %d bytes)", SK_KEY_MAX);
	k->len = (n + 1) / 2;
	for (i = 0; i < n; i++) {
		char c[2] = { h[i], 0 };
		size_t byte = (i + (n & 1)) / 2;

		k->v[byte] = (k->v[byte] << 4) | strtoul(c, NULL, 16);
	}
}

static bool key_follows(struct toks *ts)
{
	const struct sk_tok *t = peek(ts);

	return t->type == T_QUOTED ||
	       (t->type == T_WORD && !strncasecmp(t->text, "0x", 2));
}

/* -E/-A/-C: an algorithm and its key; "null" may go without a key. */
static void parse_alg(struct toks *ts, const struct sk_tok *opt,
		      struct sk_cmd *c)
{
	const struct sk_tok *t = word(ts, "an algorithm name");
	bool enc = opt->text[1] == 'E', comp = opt->text[1] == 'C';
	const struct sk_alg *a = sk_alg_find(t->text, enc || comp);
	char *name = enc ? c->ealg : comp ? c->calg : c->aalg;

	alg_tok = opt;

	if (streq(t->text, "simple") && enc) {
		fprintf(stderr, "Warning: %s:%d: \"simple\" is obsolete, it means null\n",
			sk_cur_file, t->line);
		a = sk_alg_find("null", true);
	}
	if (!a || (comp != (a->type == KAME_KEY_ALGTYPE_COMP)) ||
	    (!enc && !comp && a->type != KAME_KEY_ALGTYPE_AUTH))
		sk_perr(t, "unknown %s algorithm",
			enc ? "encryption" : comp ? "compression" : "authentication");
	if (name[0])
		sk_perr(opt, "%s given twice", opt->text);
	snprintf(name, SK_ALG_NAME, "%s", a->name);
	if (comp)
		return;
	if (streq(a->name, "null") && !key_follows(ts))
		return;
	parse_key(next(ts), enc ? &c->ekey : &c->akey);
}

/* The extensions -m -r -u -f -lh -ls -bh -bs -seq and -E -A -C -R. */
static bool sa_option(struct toks *ts, struct sk_cmd *c)
{
	const struct sk_tok *t = peek(ts), *v;
	const char *o = t->text;

	if (t->type != T_WORD || o[0] != '-')
		return false;
	next(ts);
	if (streq(o, "-E") || streq(o, "-A") || streq(o, "-C")) {
		parse_alg(ts, t, c);
		return true;
	}
	if (streq(o, "-R")) {
		c->flags |= KAME_KEY_F_RAWCPI;
		return true;
	}
	v = word(ts, "a value");
	if (streq(o, "-m")) {
		if (streq(v->text, "transport"))
			c->mode = KAME_KEY_MODE_TRANSPORT;
		else if (streq(v->text, "tunnel"))
			c->mode = KAME_KEY_MODE_TUNNEL;
		else if (streq(v->text, "any"))
			c->mode = KAME_KEY_MODE_ANY;
		else
			sk_perr(v, "unknown mode (transport, tunnel or any)");
	} else if (streq(o, "-r")) {
		/* bytes of bitmap, as KAME; the kernel counts packets */
		c->replay = sk_number(v, v->text, 128, "replay window (bytes)") * 8;
		c->has_replay = true;
	} else if (streq(o, "-u")) {
		c->reqid = sk_number(v, v->text, UINT32_MAX, "reqid");
	} else if (streq(o, "-f")) {
		if (streq(v->text, "zero-pad"))
			c->flags = (c->flags & ~KAME_KEY_F_PRAND) | KAME_KEY_F_PZERO;
		else if (streq(v->text, "random-pad"))
			c->flags = (c->flags & ~KAME_KEY_F_PZERO) | KAME_KEY_F_PRAND;
		else if (streq(v->text, "seq-pad"))
			c->flags &= ~(KAME_KEY_F_PZERO | KAME_KEY_F_PRAND);
		else if (streq(v->text, "nocyclic-seq"))
			c->flags &= ~KAME_KEY_F_CYCSEQ;
		else if (streq(v->text, "esn"))
			c->flags |= KAME_KEY_F_ESN;
		else
			sk_perr(v, "unknown -f flag (zero-pad, random-pad, seq-pad, nocyclic-seq, esn)");
	} else if (streq(o, "-seq")) {
		c->seq = sk_number(v, v->text, UINT64_MAX, "sequence number");
		c->has_seq = true;
	} else if (streq(o, "-lh")) {
		c->hard_time = sk_number(v, v->text, UINT64_MAX, "lifetime");
	} else if (streq(o, "-ls")) {
		c->soft_time = sk_number(v, v->text, UINT64_MAX, "lifetime");
	} else if (streq(o, "-bh")) {
		c->hard_bytes = sk_number(v, v->text, UINT64_MAX, "byte lifetime");
	} else if (streq(o, "-bs")) {
		c->soft_bytes = sk_number(v, v->text, UINT64_MAX, "byte lifetime");
	} else if (streq(o, "-ctx")) {
		sk_perr(t, "security contexts (-ctx) are not supported");
	} else {
		sk_perr(t, "unknown option");
	}
	return true;
}

/* What the protocol takes: ESP -E [-A], AH -A, IPComp -C. */
static void check_algs(const struct sk_tok *t, struct sk_cmd *c)
{
	switch (c->proto) {
	case IPPROTO_ESP:
		if (!c->ealg[0])
			sk_perr(t, "esp needs an encryption algorithm (-E)");
		if (c->calg[0] || c->flags & KAME_KEY_F_RAWCPI)
			sk_perr(t, "esp takes -E and -A, not -C or -R");
		if (streq(c->ealg, "null") && (!c->aalg[0] || streq(c->aalg, "null")))
			sk_perr(t, "esp needs encryption or authentication, not both null (RFC 4303)");
		break;
	case IPPROTO_AH:
		if (!c->aalg[0] || c->ealg[0] || c->calg[0] ||
		    c->flags & KAME_KEY_F_RAWCPI)
			sk_perr(t, "ah takes an authentication algorithm (-A) only");
		break;
	default:
		if (!c->calg[0] || c->ealg[0] || c->aalg[0])
			sk_perr(t, "ipcomp takes a compression algorithm (-C) only");
	}
}

static void add_cmd(struct sk_cmds *cmds, const struct sk_cmd *c)
{
	if (cmds->n == cmds->cap) {
		cmds->cap = cmds->cap ? 2 * cmds->cap : 16;
		cmds->v = realloc(cmds->v, cmds->cap * sizeof(*cmds->v));
		if (!cmds->v)
			die("out of memory");
	}
	cmds->v[cmds->n++] = *c;
}

#define SK_ADDRS_MAX 16

/* add/update/get/delete/getspi: src dst proto spi {extension} [algs] */
static void parse_sa(struct toks *ts, struct sk_cmd *c, struct sk_cmds *cmds)
{
	struct in6_addr s[SK_ADDRS_MAX], d[SK_ADDRS_MAX];
	bool numeric = aiflags(ts), algs = c->op == OP_ADD || c->op == OP_UPDATE;
	const struct sk_tok *ts_src = word(ts, "a source address");
	int ns = sk_addrs(ts_src, ts_src->text, numeric, s, SK_ADDRS_MAX);
	const struct sk_tok *ts_dst = word(ts, "a destination address");
	int nd = sk_addrs(ts_dst, ts_dst->text, numeric, d, SK_ADDRS_MAX);
	const struct sk_tok *t = word(ts, "a protocol");
	int i, j;

	alg_tok = NULL;
	c->proto = sa_proto(t);
	t = word(ts, "an SPI");
	c->spi = sk_number(t, t->text, UINT32_MAX, "SPI");
	if (algs && c->proto == IPPROTO_COMP && c->spi >= 0x10000)
		sk_perr(t, "CPI too big (IPComp's are below 0x10000)");
	else if (algs && c->proto != IPPROTO_COMP && c->spi < 256)
		sk_perr(t, "SPI 0-255 are reserved");
	while (sa_option(ts, c))
		;
	t = alg_tok ? alg_tok : peek(ts);
	if (algs)
		check_algs(t, c);
	else if (c->ealg[0] || c->aalg[0] || c->calg[0])
		sk_perr(t, "algorithms only with add and update");
	if (c->op != OP_ADD && (ns > 1 || nd > 1))
		sk_perr(ns > 1 ? ts_src : ts_dst, "multiple address specified");
	if ((c->op == OP_GET || c->op == OP_DELETE) && c->mode)
		fprintf(stderr, "Warning: %s:%d: mode is obsolete\n",
			sk_cur_file, c->line);
	end_stmt(ts);
	for (i = 0; i < ns; i++)
		for (j = 0; j < nd; j++) {
			c->src = s[i];
			c->dst = d[j];
			add_cmd(cmds, c);
		}
}

/* spdadd/spdupdate/spddelete: src_range dst_range upperspec -P policy */
static void parse_spd(struct toks *ts, struct sk_cmd *c)
{
	bool numeric = aiflags(ts), sp, dp;
	const struct sk_tok *t;

	if (is_word(peek(ts), "tagged"))
		sk_perr(peek(ts), "tagged (PF) policies are not supported");
	sk_range(word(ts, "a source range"), numeric, &c->src, &c->splen,
		 &c->sport, &sp);
	sk_range(word(ts, "a destination range"), numeric, &c->dst, &c->dplen,
		 &c->dport, &dp);
	t = word(ts, "an upper-layer protocol");
	c->ulproto = sk_ulproto(t);
	if (c->ulproto == IPPROTO_ICMPV6 || c->ulproto == IPPROTO_MH) {
		const struct sk_tok *m = peek(ts);

		if (sp || dp)
			sk_perr(t, "%s takes TYPE,CODE after it, not ports",
				t->text);
		if (m->type == T_WORD && isdigit((unsigned char)m->text[0])) {
			char *comma = strchr(m->text, ',');
			char tmp[32];

			next(ts);
			if (!comma && c->ulproto == IPPROTO_ICMPV6)
				sk_perr(m, "icmp6 needs TYPE,CODE");
			snprintf(tmp, sizeof(tmp), "%.*s",
				 (int)(comma ? comma - m->text : (int)strlen(m->text)),
				 m->text);
			c->sport = sk_number(m, tmp, 255, "type");
			if (comma)
				c->dport = sk_number(m, comma + 1, 255, "code");
		}
	}
	if (is_word(peek(ts), "-ctx"))
		sk_perr(peek(ts), "security contexts (-ctx) are not supported");
	t = next(ts);
	if (!(t->type == T_WORD && streq(t->text, "-P")))
		sk_perr(t, "expected -P and a policy");
	t = next(ts);
	if (t->type != T_POLICY || !t->text[0])
		sk_perr(t, "expected a policy after -P");
	sk_policy(t, c->op != OP_SPDDELETE, &c->pol);
	end_stmt(ts);
}

static const struct {
	const char *name;
	enum sk_op op;
} stmts[] = {
	{ "add", OP_ADD }, { "update", OP_UPDATE }, { "get", OP_GET },
	{ "delete", OP_DELETE }, { "deleteall", OP_DELETEALL },
	{ "getspi", OP_GETSPI }, { "flush", OP_FLUSH }, { "dump", OP_DUMP },
	{ "spdadd", OP_SPDADD }, { "spdupdate", OP_SPDUPDATE },
	{ "spddelete", OP_SPDDELETE }, { "spdflush", OP_SPDFLUSH },
	{ "spddump", OP_SPDDUMP },
};

/* One statement; false at the end of the input or at exit/quit/bye. */
static bool parse_stmt(struct toks *ts, struct sk_cmds *cmds)
{
	const struct sk_tok *t = next(ts), *a;
	struct sk_cmd c = { .flags = KAME_KEY_F_CYCSEQ, .splen = 128,
			    .dplen = 128, .file = sk_cur_file };
	size_t i;
	bool numeric;

	if (t->type == T_EOF || is_word(t, "exit") || is_word(t, "quit") ||
	    is_word(t, "bye"))
		return false;
	if (t->type == T_SEMI)
		return true;	/* an empty statement */
	for (i = 0; i < ARRAY_SIZE(stmts); i++)
		if (is_word(t, stmts[i].name))
			break;
	if (i == ARRAY_SIZE(stmts))
		sk_perr(t, "unknown command");
	c.op = stmts[i].op;
	c.line = t->line;
	switch (c.op) {
	case OP_ADD: case OP_UPDATE: case OP_GET: case OP_DELETE: case OP_GETSPI:
		parse_sa(ts, &c, cmds);
		return true;
	case OP_DELETEALL:
		numeric = aiflags(ts);
		a = word(ts, "a source address");
		sk_addr1(a, a->text, numeric, &c.src);
		a = word(ts, "a destination address");
		sk_addr1(a, a->text, numeric, &c.dst);
		c.proto = sa_proto(word(ts, "a protocol"));
		break;
	case OP_FLUSH: case OP_DUMP:
		if (peek(ts)->type == T_WORD) {
			c.proto = sa_proto(next(ts));
			c.has_proto = true;
		}
		break;
	case OP_SPDADD: case OP_SPDUPDATE: case OP_SPDDELETE:
		parse_spd(ts, &c);
		add_cmd(cmds, &c);
		return true;
	default:
		break;
	}
	end_stmt(ts);
	add_cmd(cmds, &c);
	return true;
}

void sk_parse(const char *file, const char *text, struct sk_cmds *cmds)
{
	struct toks ts = { 0 };

	sk_cur_file = file;
	lex(text, &ts);
	while (parse_stmt(&ts, cmds))
		;
	/* the token texts stay: the requests point at nothing in them */
	free(ts.v);
}
