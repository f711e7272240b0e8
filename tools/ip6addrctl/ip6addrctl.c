// SPDX-License-Identifier: GPL-2.0
/*
 * ip6addrctl: the source address selection policy table (RFC 6724) of
 * the KAME stack, as KAME's ip6addrctl(8): show, add, delete, flush,
 * install. The text output is KAME's; -j prints the same rows as JSON.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <linux/kame.h>
#include "../lib/nl.h"
#include "../lib/print.h"
#include "../lib/util.h"

static struct knl k;

struct policy {
	struct in6_addr prefix;
	int plen;
	unsigned int preced, label;
};

static void ip6addrctl_usage(void)
{
	fputs("usage: ip6addrctl [-j] [show]\n"
	      "       ip6addrctl add <prefix> <precedence> <label>\n"
	      "       ip6addrctl delete <prefix>\n"
	      "       ip6addrctl flush\n"
	      "       ip6addrctl install <configfile>\n",
	      stderr);
	exit(1);
}

/* "ADDR/LEN" into p; false when it is not one (why in *err). */
static bool parse_prefix(const char *s, struct policy *p, const char **err)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash, *end;
	long len;

	if (strlen(s) >= sizeof(buf) || !strchr(s, '/')) {
		*err = "bad prefix";
		return false;
	}
	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	*slash = 0;
	if (inet_pton(AF_INET6, buf, &p->prefix) != 1) {
		*err = "bad prefix";
		return false;
	}
	errno = 0;
	len = strtol(slash + 1, &end, 10);
	if (errno || end == slash + 1 || *end || len < 0 || len > 128) {
		*err = "invalid prefix length";
		return false;
	}
	p->plen = len;
	return true;
}

/* A precedence or label: 0 to INT_MAX (printed with %d, as KAME's). */
static bool parse_num(const char *s, unsigned int *v)
{
	unsigned long n;
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	n = strtoul(s, &end, 10);
	if (errno || *end || n > INT_MAX)
		return false;
	*v = n;
	return true;
}

static void plen2mask(int plen, struct in6_addr *m)
{
	int i;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < 16 && plen > 0; i++, plen -= 8)
		m->s6_addr[i] = plen >= 8 ? 0xff : (0xff00 >> plen) & 0xff;
}

static int mask2plen(const struct in6_addr *m)
{
	int i, n = 0;

	for (i = 0; i < 16; i++) {
		uint8_t b = m->s6_addr[i];

		while (b & 0x80) {
			n++;
			b <<= 1;
		}
		if (m->s6_addr[i] != 0xff)
			break;
	}
	return n;
}

static void put_key(struct nl_msg *msg, const struct policy *p)
{
	struct in6_addr mask;

	plen2mask(p->plen, &mask);
	nla_put(msg, KAME_ADDRSEL_A_PREFIX, sizeof(p->prefix), &p->prefix);
	nla_put(msg, KAME_ADDRSEL_A_MASK, sizeof(mask), &mask);
}

static int add_one(const struct policy *p)
{
	struct nl_msg *msg = knl_msg(&k, KAME_CMD_ADDRSEL_NEW, 0);

	put_key(msg, p);
	nla_put_u32(msg, KAME_ADDRSEL_A_PRECEDENCE, p->preced);
	nla_put_u32(msg, KAME_ADDRSEL_A_LABEL, p->label);
	return knl_talk(&k, msg, KAME_ADDRSEL_A_MAX, NULL, NULL);
}

static const char *nl_error(int err)
{
	return knl_errmsg[0] ? knl_errmsg : strerror(-err);
}

struct show_ctx {
	unsigned int rows;
};

static int show_row(struct nlattr **tb, void *arg)
{
	struct show_ctx *ctx = arg;
	char addr[INET6_ADDRSTRLEN], pfx[INET6_ADDRSTRLEN + 16];
	struct in6_addr a, m;

	if (!tb[KAME_ADDRSEL_A_PREFIX] || !tb[KAME_ADDRSEL_A_MASK])
		return 0;
	memcpy(&a, nla_data(tb[KAME_ADDRSEL_A_PREFIX]), sizeof(a));
	memcpy(&m, nla_data(tb[KAME_ADDRSEL_A_MASK]), sizeof(m));
	inet_ntop(AF_INET6, &a, addr, sizeof(addr));
	snprintf(pfx, sizeof(pfx), "%s/%d", addr, mask2plen(&m));
	if (!ctx->rows++ && !print_json)
		printf("%-30s %5s %5s %8s\n", "Prefix", "Prec", "Label", "Use");
	print_open_obj(NULL);
	print_str("prefix", "%-30s", pfx);
	print_u64("precedence", " %5" PRIu64,
		  (uint64_t)nla_get_u32(tb[KAME_ADDRSEL_A_PRECEDENCE]));
	print_u64("label", " %5" PRIu64,
		  (uint64_t)nla_get_u32(tb[KAME_ADDRSEL_A_LABEL]));
	print_u64("use", " %8" PRIu64, nla_get_u64(tb[KAME_ADDRSEL_A_USE]));
	print_text("\n");
	print_close_obj();
	return 0;
}

static int cmd_show(void)
{
	struct nl_msg *msg = knl_msg(&k, KAME_CMD_ADDRSEL_GET, NLM_F_DUMP);
	struct show_ctx ctx = { 0 };

	knl_talk_or_die(&k, msg, KAME_ADDRSEL_A_MAX, show_row, &ctx);
	if (!ctx.rows)
		print_text("no source-address-selection policy is installed\n");
	return 0;
}

static int cmd_add(char **argv)
{
	struct policy p;
	const char *why;
	int err;

	if (!parse_prefix(argv[0], &p, &why))
		die("%s: %s", why, argv[0]);
	if (!parse_num(argv[1], &p.preced))
		die("bad precedence: %s", argv[1]);
	if (!parse_num(argv[2], &p.label))
		die("bad label: %s", argv[2]);
	err = add_one(&p);
	if (err)
		die("add %s: %s", argv[0], nl_error(err));
	return 0;
}

static int cmd_delete(const char *arg)
{
	struct nl_msg *msg;
	struct policy p;
	const char *why;
	int err;

	if (!parse_prefix(arg, &p, &why))
		die("%s: %s", why, arg);
	msg = knl_msg(&k, KAME_CMD_ADDRSEL_DEL, 0);
	put_key(msg, &p);
	err = knl_talk(&k, msg, KAME_ADDRSEL_A_MAX, NULL, NULL);
	if (err)
		die("delete %s: %s", arg, nl_error(err));
	return 0;
}

static int cmd_flush(void)
{
	struct nl_msg *msg = knl_msg(&k, KAME_CMD_ADDRSEL_FLUSH, 0);

	knl_talk_or_die(&k, msg, KAME_ADDRSEL_A_MAX, NULL, NULL);
	return 0;
}

/* One line of a configuration file: false when it is malformed. */
static bool parse_line(char *line, struct policy *p, bool *entry)
{
	char *f[4], *save = NULL, *t;
	const char *why;
	int n = 0;

	line[strcspn(line, "#\n")] = 0;
	for (t = strtok_r(line, " \t\r", &save); t && n < 4;
	     t = strtok_r(NULL, " \t\r", &save))
		f[n++] = t;
	*entry = n > 0;
	if (!n)
		return true;
	return n == 3 && parse_prefix(f[0], p, &why) &&
	       parse_num(f[1], &p->preced) && parse_num(f[2], &p->label);
}

/*
 * Parse the whole file first, then add each entry; an entry the kernel
 * refuses (it exists already...) is warned about, not fatal. The table
 * is not flushed first.
 */
static int cmd_install(const char *file)
{
	struct policy *v = NULL, p;
	size_t n = 0, cap = 0, i;
	char line[1024];
	int lineno = 0, err;
	bool entry;
	FILE *f;

	f = fopen(file, "r");
	if (!f)
		die("%s: %s", file, strerror(errno));
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		if (!parse_line(line, &p, &entry))
			die("parse failed at line %d", lineno);
		if (!entry)
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			v = realloc(v, cap * sizeof(*v));
			if (!v)
				die("out of memory");
		}
		v[n++] = p;
	}
	fclose(f);
	for (i = 0; i < n; i++) {
		err = add_one(&v[i]);
		if (err) {
			char a[INET6_ADDRSTRLEN];

			inet_ntop(AF_INET6, &v[i].prefix, a, sizeof(a));
			fprintf(stderr, "Warning: add %s/%d: %s\n", a,
				v[i].plen, nl_error(err));
		}
	}
	free(v);
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd;
	bool json = false;
	int ret;

	progname = "ip6addrctl";
	if (argc > 1 && streq(argv[1], "-j")) {
		json = true;
		argc--;
		argv++;
	}
	cmd = argc > 1 ? argv[1] : "show";
	argc -= 2;
	argv += 2;
	if (!strcasecmp(cmd, "show") ? argc > 0 :
	    !strcasecmp(cmd, "add") ? argc != 3 :
	    !strcasecmp(cmd, "delete") ? argc != 1 :
	    !strcasecmp(cmd, "flush") ? argc != 0 :
	    !strcasecmp(cmd, "install") ? argc != 1 : true)
		ip6addrctl_usage();
	knl_open(&k);
	print_begin(json);
	if (!strcasecmp(cmd, "show"))
		ret = cmd_show();
	else if (!strcasecmp(cmd, "add"))
		ret = cmd_add(argv);
	else if (!strcasecmp(cmd, "delete"))
		ret = cmd_delete(argv[0]);
	else if (!strcasecmp(cmd, "flush"))
		ret = cmd_flush();
	else
		ret = cmd_install(argv[0]);
	print_end();
	knl_close(&k);
	return ret;
}
