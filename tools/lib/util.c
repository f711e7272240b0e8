// SPDX-License-Identifier: GPL-2.0
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/kame.h>
#include "print.h"
#include "util.h"

const char *progname = "kame";
const char *die_prefix;

void die(const char *fmt, ...)
{
	va_list ap;

	print_abort();
	fflush(stdout);
	fputs("Error: ", stderr);
	if (die_prefix)
		fputs(die_prefix, stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void invarg(const char *what, const char *arg)
{
	die("argument \"%s\" is wrong: %s", arg, what);
}

void missarg(const char *what)
{
	die("missing %s", what);
}

bool streq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

void netns_switch(const char *name)
{
	char path[256];
	int fd;

	if (strchr(name, '/'))
		die("network namespace name \"%s\" contains '/'", name);
	snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("cannot open network namespace \"%s\": %s", name,
		    strerror(errno));
	if (setns(fd, CLONE_NEWNET) < 0)
		die("setting the network namespace \"%s\" failed: %s", name,
		    strerror(errno));
	close(fd);
}

int kame_af(void)
{
	int af;

	if (sysctl_read_int("/sys/module/kame/parameters/family", &af) < 0)
		return AF_KAME;
	return af;
}

int sysctl_read_int(const char *path, int *val)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -errno;
	ok = fscanf(f, "%d", val) == 1;
	fclose(f);
	return ok ? 0 : -EINVAL;
}

int sysctl_write_int(const char *path, int val)
{
	FILE *f = fopen(path, "w");
	int err = 0;

	if (!f)
		return -errno;
	if (fprintf(f, "%d\n", val) < 0)
		err = -errno;
	if (fclose(f) && !err)
		err = -errno;
	return err;
}
