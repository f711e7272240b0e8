// SPDX-License-Identifier: GPL-2.0
/*
 * The SA and policy printers: the text of setkey -D and -DP of KAME and
 * ipsec-tools (pfkey_sadump, pfkey_spdump, shortdump), and the same
 * fields as JSON through the shared printer.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "setkey.h"

static const char *const mode_names[] = { "any", "transport", "tunnel" };
static const char *const state_names[] = { "larval", "mature", "dying", "dead" };
static const char *const dir_names[] = { "any", "in", "out", "fwd" };
static const char *const action_names[] = { "discard", "none", "ipsec" };
static const char *const level_names[] = { "default", "use", "require", "unique" };

#define NAME(tab, i) ((i) < ARRAY_SIZE(tab) ? (tab)[i] : "unknown")

static void copy_str(char *dst, struct nlattr *a)
{
	dst[0] = 0;
	if (a)
		snprintf(dst, SK_ALG_NAME, "%.*s", nla_len(a),
			 (const char *)nla_data(a));
}

static void copy_key(struct sk_key *k, struct nlattr *a)
{
	memset(k, 0, sizeof(*k));
	if (!a)
		return;
	k->set = true;
	k->len = nla_len(a) > SK_KEY_MAX ? SK_KEY_MAX : nla_len(a);
	memcpy(k->v, nla_data(a), k->len);
}

static void copy_lft(uint64_t *v, bool *has, struct nlattr *a)
{
	struct nlattr *tb[KAME_KEY_LFT_MAX + 1];
	int i;

	if (!a || nla_parse_nested(tb, KAME_KEY_LFT_MAX, a, NULL))
		return;
	if (has)
		*has = true;
	for (i = 1; i <= KAME_KEY_LFT_MAX; i++)
		if (tb[i] && nla_len(tb[i]) == 8)
			v[i] = nla_get_u64(tb[i]);
}

static uint32_t get32(struct nlattr *a)
{
	return a ? nla_get_u32(a) : 0;
}

static uint8_t get8(struct nlattr *a)
{
	return a ? nla_get_u8(a) : 0;
}

static void get_addr(struct in6_addr *dst, struct nlattr *a)
{
	memset(dst, 0, sizeof(*dst));
	if (a && nla_len(a) == 16)
		memcpy(dst, nla_data(a), 16);
}

int sk_parse_sa(struct nlattr **tb, struct sk_sa *sa)
{
	memset(sa, 0, sizeof(*sa));
	if (!tb[KAME_KEY_A_DST] || !tb[KAME_KEY_A_PROTO] || !tb[KAME_KEY_A_SPI])
		return -1;
	get_addr(&sa->src, tb[KAME_KEY_A_SRC]);
	get_addr(&sa->dst, tb[KAME_KEY_A_DST]);
	sa->proto = get8(tb[KAME_KEY_A_PROTO]);
	sa->mode = get8(tb[KAME_KEY_A_MODE]);
	sa->state = get8(tb[KAME_KEY_A_STATE]);
	sa->spi = get32(tb[KAME_KEY_A_SPI]);
	sa->reqid = get32(tb[KAME_KEY_A_REQID]);
	sa->replay = get32(tb[KAME_KEY_A_REPLAY]);
	sa->flags = get32(tb[KAME_KEY_A_FLAGS]);
	if (tb[KAME_KEY_A_SEQ])
		sa->seq = nla_get_u64(tb[KAME_KEY_A_SEQ]);
	if (tb[KAME_KEY_A_RSEQ])
		sa->rseq = nla_get_u64(tb[KAME_KEY_A_RSEQ]);
	copy_str(sa->ealg, tb[KAME_KEY_A_ENC_ALG]);
	copy_str(sa->aalg, tb[KAME_KEY_A_AUTH_ALG]);
	copy_str(sa->calg, tb[KAME_KEY_A_COMP_ALG]);
	copy_key(&sa->ekey, tb[KAME_KEY_A_ENC_KEY]);
	copy_key(&sa->akey, tb[KAME_KEY_A_AUTH_KEY]);
	copy_lft(sa->cur, &sa->has_cur, tb[KAME_KEY_A_LIFETIME_CUR]);
	copy_lft(sa->hard, NULL, tb[KAME_KEY_A_LIFETIME_HARD]);
	copy_lft(sa->soft, NULL, tb[KAME_KEY_A_LIFETIME_SOFT]);
	return 0;
}

static void parse_req(struct nlattr *a, struct sk_ipsecreq *r)
{
	struct nlattr *tb[KAME_KEY_REQ_MAX + 1];

	memset(r, 0, sizeof(*r));
	if (nla_parse_nested(tb, KAME_KEY_REQ_MAX, a, NULL))
		return;
	r->proto = get8(tb[KAME_KEY_REQ_PROTO]);
	r->mode = get8(tb[KAME_KEY_REQ_MODE]);
	r->level = get8(tb[KAME_KEY_REQ_LEVEL]);
	r->reqid = get32(tb[KAME_KEY_REQ_REQID]);
	r->has_ends = tb[KAME_KEY_REQ_SRC] && tb[KAME_KEY_REQ_DST];
	get_addr(&r->src, tb[KAME_KEY_REQ_SRC]);
	get_addr(&r->dst, tb[KAME_KEY_REQ_DST]);
}

int sk_parse_sp(struct nlmsghdr *nlh, struct nlattr **tb, struct sk_sp *sp)
{
	struct nlattr *a;
	int rem;

	memset(sp, 0, sizeof(*sp));
	if (!tb[KAME_KEY_A_DIR])
		return -1;
	get_addr(&sp->src, tb[KAME_KEY_A_SRC]);
	get_addr(&sp->dst, tb[KAME_KEY_A_DST]);
	sp->splen = tb[KAME_KEY_A_SRC_PLEN] ? get8(tb[KAME_KEY_A_SRC_PLEN]) : 128;
	sp->dplen = tb[KAME_KEY_A_DST_PLEN] ? get8(tb[KAME_KEY_A_DST_PLEN]) : 128;
	sp->ulproto = tb[KAME_KEY_A_ULPROTO] ? get8(tb[KAME_KEY_A_ULPROTO]) :
		      KAME_KEY_ULPROTO_ANY;
	sp->sport = tb[KAME_KEY_A_SPORT] ? nla_get_u16(tb[KAME_KEY_A_SPORT]) : 0;
	sp->dport = tb[KAME_KEY_A_DPORT] ? nla_get_u16(tb[KAME_KEY_A_DPORT]) : 0;
	sp->dir = get8(tb[KAME_KEY_A_DIR]);
	sp->action = get8(tb[KAME_KEY_A_ACTION]);
	sp->has_prio = tb[KAME_KEY_A_PRIORITY];
	sp->priority = get32(tb[KAME_KEY_A_PRIORITY]);
	sp->id = get32(tb[KAME_KEY_A_POLICY_ID]);
	copy_lft(sp->cur, &sp->has_cur, tb[KAME_KEY_A_LIFETIME_CUR]);
	nla_for_each_attr(a, genlmsg_attrdata(nlmsg_data(nlh), 0),
			  genlmsg_attrlen(nlmsg_data(nlh), 0), rem)
		if (nla_type(a) == KAME_KEY_A_REQUEST && sp->nreq < SK_REQ_MAX)
			parse_req(a, &sp->req[sp->nreq++]);
	return 0;
}

static const char *ntop(const struct in6_addr *a, char *buf)
{
	return inet_ntop(AF_INET6, a, buf, INET6_ADDRSTRLEN);
}

/* ipsec_hexdump: a space before every 4th byte, a newline every 32 */
static void print_key(const char *key, const char *alg, const struct sk_key *k,
		      const char *tag)
{
	char hex[2 * SK_KEY_MAX + 1];
	size_t i;

	for (i = 0; i < k->len; i++)
		sprintf(hex + 2 * i, "%02x", k->v[i]);
	hex[2 * k->len] = 0;
	if (print_json) {
		print_str(key, NULL, hex);
		return;
	}
	printf("\t%s: %s ", tag, alg);
	for (i = 0; i < k->len; i++) {
		if (i && i % 32 == 0)
			putchar('\n');
		if (i % 4 == 0)
			putchar(' ');
		printf("%02x", k->v[i]);
	}
	putchar('\n');
}

/* ctime() without the weekday and the newline; 20 spaces for 0 */
static const char *str_time(uint64_t t, char *buf)
{
	time_t tt = t;
	char b[32];

	if (!t || !ctime_r(&tt, b) || strlen(b) < 24) {
		snprintf(buf, 21, "%20s", "");
		return buf;
	}
	memcpy(buf, b + 4, 20);
	buf[20] = 0;
	return buf;
}

static void print_lifetimes(const struct sk_sa *sa)
{
	const uint64_t *c = sa->cur, *h = sa->hard, *s = sa->soft;
	uint64_t now = time(NULL), add = c[KAME_KEY_LFT_ADDTIME];
	char b1[24], b2[24];

	if (print_json) {
		static const char *const k[] = { NULL, "allocations", "bytes",
						 "addtime", "usetime" };
		const uint64_t *v[] = { c, h, s };
		static const char *const w[] = { "current", "hard", "soft" };
		int i, j;

		print_open_obj("lifetime");
		for (j = 0; j < 3; j++) {
			print_open_obj(w[j]);
			for (i = 1; i <= KAME_KEY_LFT_USETIME; i++)
				print_u64(k[i], NULL, v[j][i]);
			print_close_obj();
		}
		print_close_obj();
		return;
	}
	printf("\tcreated: %s\tcurrent: %s\n", str_time(add, b1), str_time(now, b2));
	printf("\tdiff: %llu(s)\thard: %llu(s)\tsoft: %llu(s)\n",
	       (unsigned long long)(add && now > add ? now - add : 0),
	       (unsigned long long)h[KAME_KEY_LFT_ADDTIME],
	       (unsigned long long)s[KAME_KEY_LFT_ADDTIME]);
	printf("\tlast: %s\thard: %llu(s)\tsoft: %llu(s)\n",
	       str_time(c[KAME_KEY_LFT_USETIME], b1),
	       (unsigned long long)h[KAME_KEY_LFT_USETIME],
	       (unsigned long long)s[KAME_KEY_LFT_USETIME]);
	printf("\tcurrent: %llu(bytes)\thard: %llu(bytes)\tsoft: %llu(bytes)\n",
	       (unsigned long long)c[KAME_KEY_LFT_BYTES],
	       (unsigned long long)h[KAME_KEY_LFT_BYTES],
	       (unsigned long long)s[KAME_KEY_LFT_BYTES]);
	printf("\tallocated: %llu\thard: %llu\tsoft: %llu\n",
	       (unsigned long long)c[KAME_KEY_LFT_ALLOCATIONS],
	       (unsigned long long)h[KAME_KEY_LFT_ALLOCATIONS],
	       (unsigned long long)s[KAME_KEY_LFT_ALLOCATIONS]);
}

static void print_proto(uint8_t proto)
{
	const char *n = sk_satype_name(proto);
	char b[8];

	if (!n) {
		snprintf(b, sizeof(b), "%u", proto);
		n = b;
	}
	print_str("proto", "%s ", n);
}

void sk_print_sa(const char *key, const struct sk_sa *sa, unsigned long sadb_seq)
{
	char a[INET6_ADDRSTRLEN];

	print_open_obj(key);
	print_str("src", "%s ", ntop(&sa->src, a));
	print_str("dst", "%s ", ntop(&sa->dst, a));
	print_text("\n\t");
	print_proto(sa->proto);
	print_str("mode", "mode=%s ", NAME(mode_names, sa->mode));
	print_u64("spi", NULL, sa->spi);
	print_u64("reqid", NULL, sa->reqid);
	if (!print_json)
		printf("spi=%u(0x%08x) reqid=%u(0x%08x)\n", sa->spi, sa->spi,
		       sa->reqid, sa->reqid);
	if (sa->calg[0])
		print_str("comp", "\tC: %s ", sa->calg);
	if (sa->ealg[0])
		print_str("enc", NULL, sa->ealg);
	if (sa->ekey.set)
		print_key("enc_key", sa->ealg, &sa->ekey, "E");
	if (sa->aalg[0])
		print_str("auth", NULL, sa->aalg);
	if (sa->akey.set)
		print_key("auth_key", sa->aalg, &sa->akey, "A");
	/* with ESN 64 bits: the high half, then the low one on the wire */
	if (sa->flags & KAME_KEY_F_ESN)
		print_u64("seq", "\tseq=0x%016" PRIx64, sa->seq);
	else
		print_u64("seq", "\tseq=0x%08" PRIx64, sa->seq);
	if (sa->rseq)	/* the top of the replay window */
		print_u64("rseq", sa->flags & KAME_KEY_F_ESN ?
			  " rseq=0x%016" PRIx64 : " rseq=0x%08" PRIx64, sa->rseq);
	print_u64("replay", " replay=%" PRIu64, sa->replay / 8);
	print_u64("flags", " flags=0x%08" PRIx64, sa->flags);
	print_str("state", " state=%s", NAME(state_names, sa->state));
	print_text(" ");	/* KAME's trailing space */
	print_text("\n");
	if (sa->has_cur)
		print_lifetimes(sa);
	print_u64("sadb_seq", "\tsadb_seq=%" PRIu64, sadb_seq);
	print_u64("pid", " pid=%" PRIu64 " refcnt=0\n", getpid());
	print_close_obj();
}

void sk_print_short_header(void)
{
	if (!print_json)
		printf("%-4s %-3s %-1s %-8s %-7s %s -> %s\n", "time", "p", "s",
		       "spi", "ltime", "src", "dst");
}

void sk_print_sa_short(const struct sk_sa *sa)
{
	static const char st[] = "LMDd";
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	time_t now = time(NULL);
	uint64_t add = sa->cur[KAME_KEY_LFT_ADDTIME], hard;
	struct tm tm;

	if (print_json) {
		sk_print_sa(NULL, sa, 0);
		return;
	}
	localtime_r(&now, &tm);
	printf("%02d%02d", tm.tm_min, tm.tm_sec);
	printf(" %-3s", sk_satype_name(sa->proto) ?: "?");
	printf(" %-1c", sa->state < 4 ? st[sa->state] : '?');
	printf(" %08x", sa->spi);
	if (sa->has_cur && add) {
		uint64_t since = (uint64_t)now > add ? now - add : 0;

		hard = sa->hard[KAME_KEY_LFT_ADDTIME];
		if (since >= 1000)
			printf(" big/");
		else
			printf(" %3llu/", (unsigned long long)since);
		if (hard >= 1000)
			printf("big");
		else
			printf("%-3llu", (unsigned long long)hard);
	} else {
		printf(" ?\?\?/?\?\?");
	}
	printf(" %s -> %s\n", ntop(&sa->src, a), ntop(&sa->dst, b));
}

static void print_selector(const char *key, const struct in6_addr *a,
			   uint8_t plen, uint16_t port, bool ports)
{
	char buf[INET6_ADDRSTRLEN + 16], ab[INET6_ADDRSTRLEN];
	int n;

	n = snprintf(buf, sizeof(buf), "%s", ntop(a, ab));
	if (plen != 128)
		n += snprintf(buf + n, sizeof(buf) - n, "/%u", plen);
	if (ports && port)
		snprintf(buf + n, sizeof(buf) - n, "[%u]", port);
	else if (ports)
		snprintf(buf + n, sizeof(buf) - n, "[any]");
	if (print_json) {
		print_open_obj(key);
		print_str("addr", NULL, ab);
		print_u64("plen", NULL, plen);
		print_u64("port", NULL, port);
		print_close_obj();
	} else {
		printf("%s ", buf);
	}
}

static void print_upper(const struct sk_sp *sp)
{
	struct protoent *pe;
	char b[32];
	const char *n = b;

	if (sp->ulproto == KAME_KEY_ULPROTO_ANY)
		n = "any";
	else if (sp->ulproto == IPPROTO_ICMPV6)
		n = "icmp6";
	else if (sp->ulproto == IPPROTO_IPIP)
		n = "ip4";
	else
		snprintf(b, sizeof(b), "%u", sp->ulproto);
	pe = n == b ? getprotobynumber(sp->ulproto) : NULL;
	if (pe)
		n = pe->p_name;
	print_str("upper", "%s", n);
	if (print_json && (sp->ulproto == IPPROTO_ICMPV6 || sp->ulproto == IPPROTO_MH)) {
		print_u64("type", NULL, sp->sport);
		print_u64("code", NULL, sp->dport);
	} else if (sp->ulproto == IPPROTO_ICMPV6 && (sp->sport || sp->dport)) {
		printf(" %u,%u", sp->sport, sp->dport);
	} else if (sp->ulproto == IPPROTO_MH) {
		printf(" %u", sp->sport);
	}
}

/* ipsec-tools' "prio def", "prio high + N", "prio low - N": the nearest base */
static void print_prio(const struct sk_sp *sp)
{
	uint32_t p = sp->priority, base = 0x80000000;
	const char *name = "def";

	print_u64("priority", NULL, p);
	if (print_json || !sp->has_prio || !p)
		return;
	if (p < 0x60000000) {
		base = 0x40000000;
		name = "high";
	} else if (p >= 0xa0000000) {
		base = 0xc0000000;
		name = "low";
	}
	printf(" prio %s", name);
	if (p > base)
		printf(" - %u", p - base);
	else if (p < base)
		printf(" + %u", base - p);
}

static void print_request(const struct sk_ipsecreq *r)
{
	char s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];

	print_open_obj(NULL);
	print_str("proto", "\n\t%s", sk_satype_name(r->proto) ?: "?");
	print_str("mode", "/%s", NAME(mode_names, r->mode));
	if (r->has_ends) {
		print_str("src", "/%s", ntop(&r->src, s));
		print_str("dst", "-%s", ntop(&r->dst, d));
	} else {
		print_text("/");
	}
	print_str("level", "/%s", NAME(level_names, r->level));
	print_u64("reqid", NULL, r->reqid);
	if (!print_json && r->level == KAME_KEY_LEVEL_UNIQUE && r->reqid)
		printf("%c%u", r->reqid <= 0x3fff ? ':' : '#', r->reqid);
	print_close_obj();
}

void sk_print_sp(const char *key, const struct sk_sp *sp, unsigned long seq)
{
	bool ports = sp->ulproto != IPPROTO_ICMPV6 && sp->ulproto != IPPROTO_MH;
	int i;

	print_open_obj(key);
	print_selector("src", &sp->src, sp->splen, sp->sport, ports);
	print_selector("dst", &sp->dst, sp->dplen, sp->dport, ports);
	print_upper(sp);
	print_str("dir", "\n\t%s", NAME(dir_names, sp->dir));
	print_prio(sp);
	print_str("action", " %s", NAME(action_names, sp->action));
	print_open_arr("requests");
	for (i = 0; i < sp->nreq; i++)
		print_request(&sp->req[i]);
	print_close_arr();
	print_text("\n");
	if (sp->has_cur) {
		char b1[24], b2[24];

		print_u64("created", NULL, sp->cur[KAME_KEY_LFT_ADDTIME]);
		print_u64("lastused", NULL, sp->cur[KAME_KEY_LFT_USETIME]);
		if (!print_json)
			printf("\tcreated: %s  lastused: %s\n",
			       str_time(sp->cur[KAME_KEY_LFT_ADDTIME], b1),
			       str_time(sp->cur[KAME_KEY_LFT_USETIME], b2));
	}
	print_u64("spid", "\tspid=%" PRIu64, sp->id);
	print_u64("seq", " seq=%" PRIu64, seq);
	print_u64("pid", " pid=%" PRIu64 "\n\trefcnt=1\n", getpid());
	print_close_obj();
}

static const char *const cmd_names[] = {
	[KAME_KEY_CMD_GETSPI] = "getspi", [KAME_KEY_CMD_UPDATE] = "update",
	[KAME_KEY_CMD_ADD] = "add", [KAME_KEY_CMD_DELETE] = "delete",
	[KAME_KEY_CMD_DELETEALL] = "deleteall", [KAME_KEY_CMD_GET] = "get",
	[KAME_KEY_CMD_ACQUIRE] = "acquire", [KAME_KEY_CMD_REGISTER] = "register",
	[KAME_KEY_CMD_EXPIRE] = "expire", [KAME_KEY_CMD_FLUSH] = "flush",
	[KAME_KEY_CMD_DUMP] = "dump", [KAME_KEY_CMD_SPDADD] = "spdadd",
	[KAME_KEY_CMD_SPDUPDATE] = "spdupdate",
	[KAME_KEY_CMD_SPDDELETE] = "spddelete",
	[KAME_KEY_CMD_SPDDELETE2] = "spddelete2",
	[KAME_KEY_CMD_SPDGET] = "spdget", [KAME_KEY_CMD_SPDDUMP] = "spddump",
	[KAME_KEY_CMD_SPDFLUSH] = "spdflush",
};

/* One message of -x: its command, then the SA or policy it carries. */
void sk_print_event(struct nlmsghdr *nlh, struct nlattr **tb)
{
	struct genlmsghdr *g = nlmsg_data(nlh);
	unsigned int cmd = tb[KAME_KEY_A_CMD] ? get8(tb[KAME_KEY_A_CMD]) : g->cmd;
	const char *name = cmd < ARRAY_SIZE(cmd_names) ? cmd_names[cmd] : NULL;
	struct sk_sa sa;
	struct sk_sp sp;

	print_str("cmd", "%s", name ?: "unknown");
	if (cmd == KAME_KEY_CMD_EXPIRE)
		print_str("expire", " (%s)", get32(tb[KAME_KEY_A_EXPIRE_HARD]) ?
			  "hard" : "soft");
	if (cmd == KAME_KEY_CMD_ACQUIRE && tb[KAME_KEY_A_POLICY_ID])
		print_u64("policy_id", " for spid=%" PRIu64,
			  get32(tb[KAME_KEY_A_POLICY_ID]));
	if ((cmd == KAME_KEY_CMD_FLUSH || cmd == KAME_KEY_CMD_DELETEALL) &&
	    tb[KAME_KEY_A_PROTO])
		print_str("proto", " %s",
			  sk_satype_name(get8(tb[KAME_KEY_A_PROTO])) ?: "?");
	print_text("\n");
	if (tb[KAME_KEY_A_DIR] && !sk_parse_sp(nlh, tb, &sp))
		sk_print_sp("policy", &sp, 0);
	else if (!sk_parse_sa(tb, &sa))
		sk_print_sa("sa", &sa, 0);
}
