// SPDX-License-Identifier: GPL-2.0
/*
 * ndp: the KAME/FreeBSD neighbor discovery tool, for the KAME stack.
 * The modes and output formats follow ndp(8) of KAME/FreeBSD; see
 * ndp(8) of this package for the differences. -j prints JSON.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <linux/kame.h>
#include "ndp.h"

#define W_ADDR	36
#define W_LL	17
#define W_IF	6

bool nflag;
static bool tflag;
static struct knl k;

struct nd_ent {
	struct in6_addr addr;
	unsigned int ifindex;
	uint8_t ll[6];
	bool has_ll;
	int state, asked;
	uint32_t flags, expire;
};

struct nd_list {
	struct nd_ent *v;
	size_t n, cap;
};

static void ndp_usage(void)
{
	fputs("usage: ndp [-njt] hostname\n"
	      "       ndp [-njt] -a | -c | -p | -r | -H | -P | -R\n"
	      "       ndp [-njt] -A wait\n"
	      "       ndp [-njt] -d hostname\n"
	      "       ndp [-njt] -f filename\n"
	      "       ndp [-njt] -i interface [flags...]\n"
	      "       ndp [-njt] -I [interface|delete]\n"
	      "       ndp [-njt] -s nodename etheraddr [temp] [proxy]\n",
	      stderr);
	exit(1);
}

static const char *state_char(int st)
{
	static const char *const s[] = {
		[KAME_ND_NOSTATE] = "N", [KAME_ND_INCOMPLETE] = "I",
		[KAME_ND_REACHABLE] = "R", [KAME_ND_STALE] = "S",
		[KAME_ND_DELAY] = "D", [KAME_ND_PROBE] = "P",
	};

	return st >= 0 && st <= KAME_ND_PROBE ? s[st] : "?";
}

static const char *state_name(int st)
{
	static const char *const s[] = {
		[KAME_ND_NOSTATE] = "nostate", [KAME_ND_INCOMPLETE] = "incomplete",
		[KAME_ND_REACHABLE] = "reachable", [KAME_ND_STALE] = "stale",
		[KAME_ND_DELAY] = "delay", [KAME_ND_PROBE] = "probe",
	};

	return st >= 0 && st <= KAME_ND_PROBE ? s[st] : "unknown";
}

void sec2str(unsigned int t, char *buf, size_t len)
{
	unsigned int d = t / 86400, h = t / 3600 % 24, m = t / 60 % 60;
	int n = 0;

	buf[0] = 0;
	if (d)
		n += snprintf(buf + n, len - n, "%ud", d);
	if (d || h)
		n += snprintf(buf + n, len - n, "%uh", h);
	if (d || h || m)
		n += snprintf(buf + n, len - n, "%um", m);
	snprintf(buf + n, len - n, "%us", t % 60);
}

/* addr%IF for a link-local address; a name unless -n. */
void fmt_host(const struct in6_addr *a, unsigned int ifindex, bool numeric,
	      char *host, size_t len)
{
	struct sockaddr_in6 sin6 = { .sin6_family = AF_INET6, .sin6_addr = *a };

	if (IN6_IS_ADDR_LINKLOCAL(a))
		sin6.sin6_scope_id = ifindex;
	if (getnameinfo((struct sockaddr *)&sin6, sizeof(sin6), host, len,
			NULL, 0, numeric ? NI_NUMERICHOST : 0))
		inet_ntop(AF_INET6, a, host, len);
}

/*
 * A host argument: an address or name; "fe80::1%IF" gives the interface
 * (*ifindex, 0 if none). The kernel refuses a zone embedded in the bytes.
 */
static void parse_host(const char *arg, struct in6_addr *a,
		       unsigned int *ifindex)
{
	struct addrinfo hints = { .ai_family = AF_INET6 }, *res;
	const struct sockaddr_in6 *sin6;

	if (strchr(arg, ':'))	/* an address: never ask the resolver */
		hints.ai_flags = AI_NUMERICHOST;
	if (getaddrinfo(arg, NULL, &hints, &res) || !res)
		invarg("not an IPv6 address or host name", arg);
	sin6 = (const struct sockaddr_in6 *)res->ai_addr;
	*a = sin6->sin6_addr;
	*ifindex = sin6->sin6_scope_id;
	freeaddrinfo(res);
}

static int parse_ent(struct nlattr **tb, struct nd_ent *e)
{
	memset(e, 0, sizeof(*e));
	if (!tb[KAME_ND_A_IFINDEX] || !tb[KAME_ND_A_ADDRESS] ||
	    !tb[KAME_ND_A_STATE] || nla_len(tb[KAME_ND_A_ADDRESS]) != 16)
		return -EPROTO;
	memcpy(&e->addr, nla_data(tb[KAME_ND_A_ADDRESS]), 16);
	e->ifindex = nla_get_u32(tb[KAME_ND_A_IFINDEX]);
	e->state = nla_get_u8(tb[KAME_ND_A_STATE]);
	if (tb[KAME_ND_A_LLADDR] && nla_len(tb[KAME_ND_A_LLADDR]) == 6) {
		memcpy(e->ll, nla_data(tb[KAME_ND_A_LLADDR]), 6);
		e->has_ll = true;
	}
	if (tb[KAME_ND_A_FLAGS])
		e->flags = nla_get_u32(tb[KAME_ND_A_FLAGS]);
	if (tb[KAME_ND_A_EXPIRE])
		e->expire = nla_get_u32(tb[KAME_ND_A_EXPIRE]);
	if (tb[KAME_ND_A_ASKED])
		e->asked = nla_get_u8(tb[KAME_ND_A_ASKED]);
	return 0;
}

static void print_header(void)
{
	if (!print_json && !tflag)
		printf("%-*.*s %-*.*s %*.*s %-9.9s %1s %5s\n", W_ADDR, W_ADDR,
		       "Neighbor", W_LL, W_LL, "Linklayer Address", W_IF, W_IF,
		       "Netif", "Expire", "S", "Flags");
}

static void print_stamp(void)
{
	struct timeval tv;
	struct tm tm;

	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	printf("%02d:%02d:%02d.%06u ", tm.tm_hour, tm.tm_min, tm.tm_sec,
	       (unsigned int)tv.tv_usec);
}

static void print_ent(const struct nd_ent *e)
{
	char host[NI_MAXHOST], ll[3 * 6] = "(incomplete)";
	char ifname[IF_NAMESIZE] = "?", expire[32], flags[4] = "";
	int aw, lw, iw;

	fmt_host(&e->addr, e->ifindex, nflag, host, sizeof(host));
	if_indextoname(e->ifindex, ifname);
	if (e->has_ll)
		snprintf(ll, sizeof(ll), "%02x:%02x:%02x:%02x:%02x:%02x",
			 e->ll[0], e->ll[1], e->ll[2], e->ll[3], e->ll[4],
			 e->ll[5]);
	if (e->flags & KAME_ND_F_ROUTER)
		strcat(flags, "R");
	if (e->flags & KAME_ND_F_PROXY)
		strcat(flags, "p");
	if (e->expire)
		sec2str(e->expire, expire, sizeof(expire));
	else if (e->flags & KAME_ND_F_STATIC || e->state == KAME_ND_REACHABLE)
		snprintf(expire, sizeof(expire), "permanent");
	else
		snprintf(expire, sizeof(expire), "expired");

	if (print_json) {
		print_open_obj(NULL);
		print_str("neighbor", NULL, host);
		print_str("lladdr", NULL, e->has_ll ? ll : "");
		print_str("netif", NULL, ifname);
		print_u64("expire", NULL, e->expire);
		print_str("state", NULL, state_name(e->state));
		print_bool("router", NULL, e->flags & KAME_ND_F_ROUTER);
		print_bool("proxy", NULL, e->flags & KAME_ND_F_PROXY);
		print_bool("static", NULL, e->flags & KAME_ND_F_STATIC);
		print_bool("temp", NULL, e->flags & KAME_ND_F_TEMP);
		print_u64("asked", NULL, e->asked);
		print_close_obj();
		return;
	}
	if (tflag)
		print_stamp();
	aw = strlen(host) > W_ADDR ? (int)strlen(host) : W_ADDR;
	lw = (int)strlen(ll) > W_ADDR + W_LL - aw ? (int)strlen(ll) :
						    W_ADDR + W_LL - aw;
	iw = (int)strlen(ifname) > W_ADDR + W_LL + W_IF - aw - lw ?
	     (int)strlen(ifname) : W_ADDR + W_LL + W_IF - aw - lw;
	printf("%-*.*s %-*.*s %*.*s", aw, aw, host, lw, lw, ll, iw, iw, ifname);
	printf(" %-9.9s", expire);
	printf(" %s %s", state_char(e->state), flags);
	if (e->asked)
		printf(" %d", e->asked);
	putchar('\n');
}

static int print_cb(struct nlattr **tb, void *arg)
{
	struct nd_ent e;

	(void)arg;
	if (parse_ent(tb, &e))
		return -EPROTO;
	print_ent(&e);
	return 0;
}

static int collect_cb(struct nlattr **tb, void *arg)
{
	struct nd_list *l = arg;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->v = realloc(l->v, l->cap * sizeof(*l->v));
		if (!l->v)
			die("out of memory");
	}
	if (parse_ent(tb, &l->v[l->n]))
		return -EPROTO;
	l->n++;
	return 0;
}

static void dump(knl_msg_fn fn, void *arg)
{
	struct nl_msg *msg = knl_msg(&k, KAME_CMD_ND_GET, NLM_F_DUMP);

	knl_talk_or_die(&k, msg, KAME_ND_A_MAX, fn, arg);
}

/* ndp hostname: one entry, with the header. */
static int show_one(const char *arg)
{
	struct nd_list l = { 0 };
	struct in6_addr a;
	unsigned int ifindex;
	char num[NI_MAXHOST];
	size_t i;

	parse_host(arg, &a, &ifindex);
	dump(collect_cb, &l);
	for (i = 0; i < l.n; i++) {
		if (memcmp(&l.v[i].addr, &a, sizeof(a)) ||
		    (ifindex && l.v[i].ifindex != ifindex))
			continue;
		print_header();
		print_ent(&l.v[i]);
		free(l.v);
		return 0;
	}
	free(l.v);
	fmt_host(&a, ifindex, true, num, sizeof(num));
	if (print_json)
		return 1;
	printf("%s (%s) -- no entry\n", arg, num);
	return 1;
}

static void put_target(struct nl_msg *msg, const struct in6_addr *a,
		       unsigned int ifindex)
{
	nla_put(msg, KAME_ND_A_ADDRESS, sizeof(*a), a);
	if (ifindex)
		nla_put_u32(msg, KAME_ND_A_IFINDEX, ifindex);
}

/* ndp -d: "host (address) deleted". */
static int delete(const char *arg)
{
	struct nl_msg *msg = knl_msg(&k, KAME_CMD_ND_DEL, 0);
	char num[NI_MAXHOST];
	struct in6_addr a;
	unsigned int ifindex;
	int err;

	parse_host(arg, &a, &ifindex);
	put_target(msg, &a, ifindex);
	err = knl_talk(&k, msg, KAME_ND_A_MAX, NULL, NULL);
	if (err == -ENOENT)
		die("cannot locate %s", arg);
	if (err)
		die("%s", knl_errmsg[0] ? knl_errmsg : strerror(-err));
	fmt_host(&a, ifindex, true, num, sizeof(num));
	if (!print_json)
		printf("%s (%s) deleted\n", arg, num);
	return 0;
}

/* ndp -c: print what goes, then flush the dynamic entries at once. */
static int flush(void)
{
	struct nd_list l = { 0 };
	char host[NI_MAXHOST];
	struct nl_msg *msg;
	size_t i;

	dump(collect_cb, &l);
	for (i = 0; i < l.n; i++) {
		if (l.v[i].flags & (KAME_ND_F_STATIC | KAME_ND_F_TEMP |
				    KAME_ND_F_PROXY))
			continue;
		fmt_host(&l.v[i].addr, l.v[i].ifindex, true, host,
			 sizeof(host));
		if (!print_json)
			printf("%s (%s) deleted\n", host, host);
	}
	free(l.v);
	msg = knl_msg(&k, KAME_CMD_ND_FLUSH, 0);
	knl_talk_or_die(&k, msg, KAME_ND_A_MAX, NULL, NULL);
	return 0;
}

struct set_req {
	struct in6_addr a;
	unsigned int ifindex;
	uint8_t ll[6];
	uint32_t flags;
};

static bool parse_ether(const char *s, uint8_t *ll)
{
	unsigned int o[6];
	char extra;
	int i;

	if (sscanf(s, "%x:%x:%x:%x:%x:%x%c", &o[0], &o[1], &o[2], &o[3],
		   &o[4], &o[5], &extra) != 6)
		return false;
	for (i = 0; i < 6; i++) {
		if (o[i] > 0xff)
			return false;
		ll[i] = o[i];
	}
	return true;
}

/* The arguments of -s (and of a -f line): node etheraddr [temp] [proxy]. */
static void parse_set(int argc, char **argv, struct set_req *r)
{
	int i;

	if (argc < 2)
		missarg("link-layer address after the node");
	parse_host(argv[0], &r->a, &r->ifindex);
	if (!parse_ether(argv[1], r->ll))
		die("invalid Ethernet address '%s'", argv[1]);
	r->flags = KAME_ND_F_STATIC;
	for (i = 2; i < argc; i++) {
		if (!strncmp(argv[i], "temp", 4))
			r->flags = (r->flags & ~KAME_ND_F_STATIC) | KAME_ND_F_TEMP;
		else if (!strncmp(argv[i], "proxy", 5))
			r->flags |= KAME_ND_F_PROXY;
		else
			invarg("expected \"temp\" or \"proxy\"", argv[i]);
	}
}

static void set_apply(const struct set_req *r)
{
	struct nl_msg *msg = knl_msg(&k, KAME_CMD_ND_NEW, 0);

	put_target(msg, &r->a, r->ifindex);
	nla_put(msg, KAME_ND_A_LLADDR, 6, r->ll);
	nla_put_u32(msg, KAME_ND_A_FLAGS, r->flags);
	knl_talk_or_die(&k, msg, KAME_ND_A_MAX, NULL, NULL);
}

/* ndp -f: every line is checked before any is applied. */
static int file(const char *path)
{
	struct set_req *v = NULL;
	size_t n = 0, cap = 0, i;
	char line[1024];
	int lineno = 0;
	FILE *f;

	f = fopen(path, "r");
	if (!f)
		die("cannot open \"%s\": %s", path, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		char *args[8], *p = line + strspn(line, " \t");
		int argc = 0;

		lineno++;
		if (*p == '#' || *p == '\n' || !*p)
			continue;
		for (p = strtok(p, " \t\n"); p && argc < 8;
		     p = strtok(NULL, " \t\n"))
			args[argc++] = p;
		if (argc < 2 || argc > 4)
			die("bad line %d in \"%s\"", lineno, path);
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			v = realloc(v, cap * sizeof(*v));
			if (!v)
				die("out of memory");
		}
		parse_set(argc, args, &v[n++]);
	}
	fclose(f);
	for (i = 0; i < n; i++)
		set_apply(&v[i]);
	free(v);
	return 0;
}

static int dump_all(int wait)
{
	print_header();
	for (;;) {
		dump(print_cb, NULL);
		if (wait <= 0)
			return 0;
		fflush(stdout);
		sleep(wait);
		if (!print_json)
			putchar('\n');
	}
}

static void set_mode(char *mode, char m)
{
	if (*mode && *mode != m)
		die("only one of -a -A -c -d -f -H -i -I -p -P -r -R -s may be given");
	*mode = m;
}

static int run(char mode, const char *optarg_m, int wait, int argc,
	       char **argv)
{
	switch (mode) {
	case 'a':
		return dump_all(wait);
	case 'c':
		return flush();
	case 'd':
		return delete(optarg_m);
	case 'f':
		return file(optarg_m);
	case 'i':
		return ndp_ifinfo(&k, optarg_m, argc, argv);
	case 'I':
		return ndp_defif(&k, argc ? argv[0] : NULL);
	case 's': {
		struct set_req r;

		parse_set(argc, argv, &r);
		set_apply(&r);
		return 0;
	}
	case 'H': case 'p': case 'P': case 'r': case 'R':
		return ndp_lists(&k, mode);
	default:
		return show_one(argv[0]);
	}
}

int main(int argc, char **argv)
{
	const char *optarg_m = NULL;
	bool json = false;
	char mode = 0;
	int c, wait = 0, ret;

	progname = "ndp";
	if (argc < 2)
		ndp_usage();
	while ((c = getopt(argc, argv, "acd:f:Ii:nprstA:HPRj")) != -1) {
		switch (c) {
		case 'n':
			nflag = true;
			break;
		case 't':
			tflag = true;
			break;
		case 'j':
			json = true;
			break;
		case 'A':
			wait = atoi(optarg);
			if (wait <= 0)
				invarg("the wait must be a positive number of seconds",
				       optarg);
			set_mode(&mode, 'a');
			break;
		case 'd': case 'f': case 'i':
			optarg_m = optarg;
			set_mode(&mode, c);
			break;
		case 'a': case 'c': case 'I': case 'p': case 'r': case 's':
		case 'H': case 'P': case 'R':
			set_mode(&mode, c);
			break;
		default:
			ndp_usage();
		}
	}
	argc -= optind;
	argv += optind;
	if ((mode == 's' && (argc < 2 || argc > 4)) ||
	    (mode == 'I' && argc > 1) || (!mode && argc != 1) ||
	    (mode && mode != 's' && mode != 'I' && mode != 'i' && argc))
		die("wrong number of arguments, try \"ndp\" for the usage");
	knl_open(&k);
	print_begin(json);
	ret = run(mode, optarg_m, wait, argc, argv);
	print_end();
	knl_close(&k);
	return ret;
}
