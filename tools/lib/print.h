/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One printer for text and JSON, iproute2 style: every call names a JSON
 * key and a text format; in text mode the key is ignored and a NULL format
 * prints nothing, in JSON mode the format is ignored and a NULL key prints
 * nothing. So `-j` output is always complete and in step with the text.
 */
#ifndef KAME_TOOLS_PRINT_H
#define KAME_TOOLS_PRINT_H

#include <stdbool.h>
#include <inttypes.h>
#include <stdint.h>

extern bool print_json;

void print_begin(bool json);	/* JSON: opens the top-level array */
void print_end(void);		/* JSON: closes it and ends the line */
/* On an error: close open JSON so that what was printed stays valid. */
void print_abort(void);
void print_open_obj(const char *key);
void print_close_obj(void);
void print_open_arr(const char *key);
void print_close_arr(void);
void print_str(const char *key, const char *fmt, const char *val);
void print_u64(const char *key, const char *fmt, uint64_t val);
void print_bool(const char *key, const char *fmt, bool val);
/* Text only: literal text (newline, separators). */
void print_text(const char *s);

#endif
