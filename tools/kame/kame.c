// SPDX-License-Identifier: GPL-2.0
/*
 * kame: configure the KAME IPv6 stack.
 *   kame [ -j ] [ -n NETNS ] OBJECT { COMMAND | help }
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kame.h"

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: kame [ OPTIONS ] OBJECT { COMMAND | help }\n"
		"where  OBJECT := { addr | link | route | sock | stats | sysctl }\n"
		"       OPTIONS := { -j[son] | -n[etns] NETNS | -h[elp] }\n"
		"\n"
		"       kame addr add ADDR[/PLEN] dev DEV [ anycast ]\n"
		"                [ valid_lft LFT ] [ preferred_lft LFT ]\n"
		"       kame addr del ADDR dev DEV\n"
		"       kame addr show [ dev DEV ]\n"
		"       kame link attach DEV\n"
		"       kame link detach DEV\n"
		"       kame link show [ DEV ]\n"
		"       kame route show\n"
		"       kame route { add | del } { default | ADDR[/PLEN] }\n"
		"                [ via GATEWAY[%%DEV] ] [ dev DEV ]\n"
		"                [ reject | blackhole ]\n"
		"       kame sock show [ udp | raw ]\n"
		"       kame stats [ { ip6 | icmp6 | udp6 | nd6 | rip6 } [ COUNTER... ] ]\n"
		"       kame sysctl [ NAME [ VALUE ] ]\n");
}

static const struct {
	const char *name;
	int (*fn)(struct knl *k, int argc, char **argv);
} objects[] = {
	{ "addr", do_addr },
	{ "link", do_link },
	{ "route", do_route },
	{ "sock", do_sock },
	{ "stats", do_stats },
	{ "sysctl", do_sysctl },
};

int main(int argc, char **argv)
{
	bool json = false;
	struct knl k;
	size_t i;
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
		if (streq(opt, "-h") || streq(opt, "-help") ||
		    streq(opt, "--help")) {
			usage(stdout);
			return 0;
		}
		die("option \"%s\" is unknown, try \"kame -help\"", opt);
	}
	if (argc < 1) {
		usage(stderr);
		return 1;
	}
	if (streq(argv[0], "help")) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(objects); i++) {
		if (!streq(argv[0], objects[i].name))
			continue;
		if (argc > 1 && streq(argv[1], "help")) {
			usage(stdout);
			return 0;
		}
		knl_open(&k);
		print_begin(json);
		ret = objects[i].fn(&k, argc - 1, argv + 1);
		print_end();
		knl_close(&k);
		return ret;
	}
	die("object \"%s\" is unknown, try \"kame help\"", argv[0]);
}
