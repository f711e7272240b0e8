// SPDX-License-Identifier: GPL-2.0
/*
 * setkey: KAME's tool for the IPsec Security Association and Security
 * Policy Databases, for kame_ipsec.ko over the generic netlink family
 * "kame_key" instead of a PF_KEY socket. The configuration language and
 * the dump formats follow setkey(8) of KAME and ipsec-tools; IPv6 only.
 * See setkey(8) of this package for the differences.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "setkey.h"

bool f_verbose, f_noact, f_all, f_ports;
int f_xmode;

static void sk_usage(FILE *f)
{
	fputs("usage: setkey [-njv] -c\n"
	      "       setkey [-njv] -f filename\n"
	      "       setkey [-Palpjv] -D\n"
	      "       setkey [-Pv] -F\n"
	      "       setkey [-j] -x[x]\n"
	      "       setkey -h\n", f);
	exit(f == stdout ? 0 : 1);
}

static char *read_all(FILE *f, const char *name)
{
	size_t n = 0, cap = 4096, r;
	char *buf = malloc(cap);

	if (!buf)
		die("out of memory");
	while ((r = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += r;
		if (n + 1 == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			if (!buf)
				die("out of memory");
		}
	}
	if (ferror(f))
		die("%s: %s", name, strerror(errno));
	buf[n] = 0;
	if (strlen(buf) != n)
		die("%s: a NUL byte in the input", name);
	return buf;
}

/* -c and -f: parse everything, then (unless -n) send everything. */
static int run_file(const char *path)
{
	struct sk_cmds cmds = { 0 };
	const char *name = path;
	struct knl k;
	char *text;
	FILE *f;

	if (streq(path, "-")) {
		name = "(stdin)";
		text = read_all(stdin, name);
	} else {
		f = fopen(path, "r");
		if (!f)
			die("cannot open %s: %s", path, strerror(errno));
		text = read_all(f, path);
		fclose(f);
	}
	sk_parse(name, text, &cmds);
	if (f_noact) {
		sk_check_keys(NULL, &cmds);
		return 0;
	}
	sk_open(&k);
	sk_check_keys(&k, &cmds);
	sk_send_all(&k, &cmds);
	knl_close(&k);
	return 0;
}

static int run_dump(bool spd, bool loop)
{
	struct knl k;
	int err;

	sk_open(&k);
	if (spd)
		err = sk_dump_spd(&k);
	else if (!loop)
		err = sk_dump_sad(&k, false, 0, false);
	else {
		sk_print_short_header();
		for (;;) {
			err = sk_dump_sad(&k, false, 0, true);
			if (err)
				break;
			fflush(stdout);
			sleep(1);
		}
	}
	if (err)
		die("%s", knl_errmsg[0] ? knl_errmsg : strerror(-err));
	knl_close(&k);
	return 0;
}

static int run_flush(bool spd)
{
	struct knl k;
	int err;

	sk_open(&k);
	err = sk_flush(&k, spd);
	if (err)
		die("%s", knl_errmsg[0] ? knl_errmsg : strerror(-err));
	knl_close(&k);
	return 0;
}

int main(int argc, char **argv)
{
	bool c = false, d = false, fl = false, p = false, l = false, json = false;
	const char *file = NULL;
	int opt, modes;
	struct knl k;

	progname = "setkey";
	while ((opt = getopt(argc, argv, "acf:hjlnpvxDFP")) != -1) {
		switch (opt) {
		case 'a':
			f_all = true;
			break;
		case 'c':
			c = true;
			break;
		case 'f':
			file = optarg;
			break;
		case 'h':
			sk_usage(stdout);
			break;
		case 'j':
			json = true;
			break;
		case 'l':
			l = true;
			break;
		case 'n':
			f_noact = true;
			break;
		case 'p':
			f_ports = true;
			break;
		case 'v':
			f_verbose = true;
			break;
		case 'x':
			f_xmode++;
			break;
		case 'D':
			d = true;
			break;
		case 'F':
			fl = true;
			break;
		case 'P':
			p = true;
			break;
		default:
			sk_usage(stderr);
		}
	}
	print_json = json;
	modes = c + !!file + d + fl + !!f_xmode;
	if (modes == 0 && optind < argc)
		die("files of raw PF_KEY messages are not supported: use -f FILE");
	if (modes != 1 || optind != argc)
		sk_usage(stderr);
	if (l && (!d || p))
		die("-l goes with -D (the SAD)");
	if (p && !d && !fl)
		die("-P goes with -D or -F");
	if (c || file)
		return run_file(c ? "-" : file);
	if (d)
		return run_dump(p, l);
	if (fl)
		return run_flush(p);
	sk_open(&k);
	return sk_monitor(&k);
}
