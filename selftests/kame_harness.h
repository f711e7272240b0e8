/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kselftest_harness.h with one change: KAME_HARNESS_MAIN, in place of
 * TEST_HARNESS_MAIN, multiplies each case's time limit (30 s unless the
 * case says otherwise) by KAME_TIME_SCALE from the environment, as the
 * shell tests scale their waits (selftests/lib.sh). make check-debug sets
 * it: under KASAN, kmemleak and lockdep in emulation everything runs five
 * to ten times slower, and a case that takes 4 s on the stock kernel
 * would hit the harness's alarm there.
 */
#ifndef KAME_HARNESS_H
#define KAME_HARNESS_H

#include <stdlib.h>
#include "kselftest_harness.h"

static inline void kame_harness_scale(void)
{
	const char *s = getenv("KAME_TIME_SCALE");
	struct __fixture_metadata *f;
	struct __test_metadata *t;
	long scale;

	scale = s ? strtol(s, NULL, 10) : 1;
	if (scale <= 1 || scale > 100)
		return;
	for (f = __fixture_list; f; f = f->next)
		for (t = f->tests; t; t = t->next)
			t->timeout *= scale;
}

#define KAME_HARNESS_MAIN \
	int main(int argc, char **argv) \
	{ \
		kame_harness_scale(); \
		exit(test_harness_run(argc, argv)); \
	}

#endif
