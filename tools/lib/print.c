// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <stdio.h>
#include "print.h"

bool print_json;
static int depth;
static bool need_comma[32];
static char closer[32];

static void json_sep(const char *key)
{
	if (need_comma[depth])
		putchar(',');
	need_comma[depth] = true;
	if (key) {
		const char *p;

		putchar('"');
		for (p = key; *p; p++)
			putchar(*p);
		fputs("\":", stdout);
	}
}

static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void json_open(const char *key, char c)
{
	json_sep(key);
	putchar(c);
	if (depth < 31)
		depth++;
	need_comma[depth] = false;
	closer[depth] = c == '{' ? '}' : ']';
}

void print_begin(bool json)
{
	print_json = json;
	depth = 0;
	need_comma[0] = false;
	if (json)
		json_open(NULL, '[');
}

void print_end(void)
{
	if (print_json) {
		depth--;
		puts("]");
	}
	fflush(stdout);
}

void print_open_obj(const char *key)
{
	if (print_json)
		json_open(key, '{');
}

void print_close_obj(void)
{
	if (print_json) {
		putchar('}');
		depth--;
	}
}

void print_open_arr(const char *key)
{
	if (print_json)
		json_open(key, '[');
}

void print_close_arr(void)
{
	if (print_json) {
		putchar(']');
		depth--;
	}
}

void print_str(const char *key, const char *fmt, const char *val)
{
	if (print_json) {
		json_sep(key);
		json_string(val);
	} else if (fmt) {
		printf(fmt, val);
	}
}

void print_u64(const char *key, const char *fmt, uint64_t val)
{
	if (print_json) {
		json_sep(key);
		printf("%" PRIu64, val);
	} else if (fmt) {
		printf(fmt, val);
	}
}

void print_bool(const char *key, const char *fmt, bool val)
{
	if (print_json) {
		json_sep(key);
		fputs(val ? "true" : "false", stdout);
	} else if (fmt) {
		printf(fmt, val ? "yes" : "no");
	}
}

void print_text(const char *s)
{
	if (!print_json)
		fputs(s, stdout);
}

void print_abort(void)
{
	if (!print_json)
		return;
	/* close what is open so that stdout stays valid JSON */
	for (; depth > 0; depth--)
		putchar(closer[depth]);
	putchar('\n');
	print_json = false;
}
