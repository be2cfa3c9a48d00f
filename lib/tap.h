/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kselftest-style TAP for every host unit test (daemons/tests, tools/tests):
 *   TAP version 13 / 1..N / ok N desc / not ok N desc / # P passed, F failed
 * Diagnostics go to stdout as "# ..." so they stay inside the TAP stream.
 * Exit status: 0 all passed, 1 a failure, 4 skipped (as selftests/lib.sh).
 */
#ifndef MTF_TAP_H
#define MTF_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#define TAP_SKIP_EXIT 4

static unsigned int tap_n, tap_fail;

static inline void tap_plan(unsigned int n)
{
	printf("TAP version 13\n1..%u\n", n);
}

static inline __attribute__((format(printf, 2, 3)))
bool tap_ok(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %u ", ok ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	tap_fail += !ok;
	return ok;
}

/* The whole program cannot run here (a missing tool or feature). */
static inline __attribute__((noreturn, format(printf, 1, 2)))
void tap_skip_all(const char *fmt, ...)
{
	va_list ap;

	printf("TAP version 13\n1..0 # SKIP ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	exit(TAP_SKIP_EXIT);
}

/* Closing totals line; the exit status for main(). */
static inline int tap_done(void)
{
	printf("# %u passed, %u failed\n", tap_n - tap_fail, tap_fail);
	return tap_fail ? 1 : 0;
}

#endif
