/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The AF_KAME number the loaded module uses: its "family" parameter, or the
 * default when the module does not say (shared by the C tests and helpers).
 */
#ifndef KAME_SELFTESTS_AF_H
#define KAME_SELFTESTS_AF_H

#include <stdio.h>
#include <linux/kame.h>

static inline int kame_af(void)
{
	FILE *f = fopen("/sys/module/kame/parameters/family", "r");
	int af = AF_KAME;

	if (f) {
		if (fscanf(f, "%d", &af) != 1)
			af = AF_KAME;
		fclose(f);
	}
	return af;
}

#endif
