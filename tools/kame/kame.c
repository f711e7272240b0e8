// SPDX-License-Identifier: GPL-2.0
/*
 * kame: configure the KAME IPv6 stack.
 *   kame [ -j ] [ -n NETNS ] OBJECT { COMMAND | help }
 *   kame [ -j ] [ -n NETNS ] -batch FILE
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>
#include "kame.h"

/*
 * The "[ dev DEV ]" of a show command (argv after "show"): the ifindex
 * of DEV, 0 without it; dies on anything else.
 */
unsigned int parse_dev_filter(int argc, char **argv)
{
	unsigned int ifindex;

	if (argc == 0)
		return 0;
	if (!streq(argv[0], "dev"))
		die("unexpected argument \"%s\"", argv[0]);
	if (argc < 2)
		missarg("interface name after \"dev\"");
	if (argc > 2)
		die("unexpected argument \"%s\"", argv[2]);
	ifindex = if_nametoindex(argv[1]);
	if (!ifindex)
		die("interface \"%s\" does not exist", argv[1]);
	return ifindex;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: kame [ OPTIONS ] OBJECT { COMMAND | help }\n"
		"       kame [ OPTIONS ] -b[atch] FILE\n"
		"where  OBJECT := { addr | link | maddr | route | sock | stats | sysctl }\n"
		"       OPTIONS := { -j[son] | -n[etns] NETNS | -h[elp] }\n"
		"\n"
		"       kame addr add ADDR[/PLEN] dev DEV [ anycast ]\n"
		"                [ valid_lft LFT ] [ preferred_lft LFT ]\n"
		"       kame addr del ADDR dev DEV\n"
		"       kame addr show [ dev DEV ]\n"
		"       kame link attach DEV\n"
		"       kame link detach DEV\n"
		"       kame link show [ DEV ]\n"
		"       kame maddr show [ dev DEV ]\n"
		"       kame route show\n"
		"       kame route { add | del } { default | ADDR[/PLEN] }\n"
		"                [ via GATEWAY[%%DEV] ] [ dev DEV ]\n"
		"                [ reject | blackhole ]\n"
		"       kame route add { default | ADDR[/PLEN] } nexthop NH [ nexthop NH ... ]\n"
		"                NH := via GATEWAY[%%DEV] [ dev DEV ] [ weight 1-256 ]\n"
		"       kame sock show [ udp | raw ]\n"
		"       kame stats [ { ip6 | icmp6 | udp6 | nd6 | rip6 | ipsec6 } [ COUNTER... ] ]\n"
		"       kame sysctl [ NAME [ VALUE ] ]\n");
}

static const struct {
	const char *name;
	int (*fn)(struct knl *k, int argc, char **argv);
} objects[] = {
	{ "addr", do_addr },
	{ "link", do_link },
	{ "maddr", do_maddr },
	{ "route", do_route },
	{ "sock", do_sock },
	{ "stats", do_stats },
	{ "sysctl", do_sysctl },
};

/* The index of OBJECT in objects[]; an Error line if there is none. */
static size_t object_of(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(objects); i++)
		if (streq(name, objects[i].name))
			return i;
	die("object \"%s\" is unknown, try \"kame help\"", name);
}

/* One command: OBJECT and its arguments, on the open netlink socket. */
static int run_cmd(struct knl *k, int argc, char **argv)
{
	size_t i = object_of(argv[0]);

	if (argc > 1 && streq(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	return objects[i].fn(k, argc - 1, argv + 1);
}

#define BATCH_MAXARGS	64

/*
 * ip -batch: one command per line of FILE ("-": standard input), words
 * split at blanks, '#' to the end of the line a comment; the first failing
 * command ends the run with its Error line, prefixed by FILE:LINE.
 */
static int run_batch(struct knl *k, FILE *f, const char *name)
{
	char *line = NULL, *argv[BATCH_MAXARGS + 1], *w, *save;
	static char where[4096];
	unsigned long lineno = 0;
	size_t cap = 0;
	int argc;

	while (getline(&line, &cap, f) >= 0) {
		lineno++;
		snprintf(where, sizeof(where), "%s:%lu: ", name, lineno);
		die_prefix = where;
		w = strchr(line, '#');
		if (w)
			*w = 0;
		argc = 0;
		for (w = strtok_r(line, " \t\r\n", &save); w;
		     w = strtok_r(NULL, " \t\r\n", &save)) {
			if (argc == BATCH_MAXARGS)
				die("more than %d words", BATCH_MAXARGS);
			argv[argc++] = w;
		}
		argv[argc] = NULL;
		if (argc && run_cmd(k, argc, argv))
			die("command failed");
	}
	die_prefix = NULL;
	if (ferror(f))
		die("reading \"%s\": %s", name, strerror(errno));
	free(line);
	if (f != stdin)
		fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	const char *batch = NULL;
	FILE *bf = NULL;
	bool json = false;
	struct knl k;
	int ret;

	progname = "kame";
	for (argc--, argv++; argc > 0 && argv[0][0] == '-'; argc--, argv++) {
		const char *opt = argv[0];

		if (streq(opt, "-j") || streq(opt, "-json")) {
			json = true;
			continue;
		}
		if (streq(opt, "-n") || streq(opt, "-netns")) {
			if (argc < 2)
				missarg("network namespace name after -n");
			netns_switch(argv[1]);
			argc--, argv++;
			continue;
		}
		if (streq(opt, "-b") || streq(opt, "-batch")) {
			if (argc < 2)
				missarg("file name after -batch");
			batch = argv[1];
			argc--, argv++;
			continue;
		}
		if (streq(opt, "-h") || streq(opt, "-help") ||
		    streq(opt, "--help")) {
			usage(stdout);
			return 0;
		}
		die("option \"%s\" is unknown, try \"kame -help\"", opt);
	}
	if (batch && argc > 0)
		die("unexpected argument \"%s\" after -batch FILE", argv[0]);
	if (!batch && argc < 1) {
		usage(stderr);
		return 1;
	}
	if (!batch) {
		/* no netlink for help or a misspelt object */
		if (!streq(argv[0], "help"))
			object_of(argv[0]);
		if (streq(argv[0], "help") ||
		    (argc > 1 && streq(argv[1], "help"))) {
			usage(stdout);
			return 0;
		}
	}
	if (batch) {
		bf = streq(batch, "-") ? stdin : fopen(batch, "r");
		if (!bf)
			die("cannot open \"%s\": %s", batch, strerror(errno));
	}
	knl_open(&k);
	print_begin(json);
	ret = batch ? run_batch(&k, bf, batch) : run_cmd(&k, argc, argv);
	print_end();
	knl_close(&k);
	return ret;
}
