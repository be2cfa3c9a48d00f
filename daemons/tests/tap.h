/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kselftest-style TAP for the host unit tests: "TAP version 13", "1..N",
 * "ok N desc" / "not ok N desc", a "# N passed, N failed" line, and exit
 * status 0 (all passed) or 1.
 */
#ifndef ROAM_TAP_H
#define ROAM_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int tap_n, tap_pass, tap_fail;

static inline void tap_plan(int n)
{
	printf("TAP version 13\n1..%d\n", n);
}

__attribute__((format(printf, 2, 3)))
static inline int tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d ", cond ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (cond)
		tap_pass++;
	else
		tap_fail++;
	return cond;
}

static inline int tap_done(void)
{
	printf("# %d passed, %d failed\n", tap_pass, tap_fail);
	return tap_fail ? 1 : 0;
}

#endif
