// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/err.h>

#include "log.h"

int roam_log_level = ROAM_LOG_INFO;
const char *roam_log_prog = "roam";

void roam_log(int level, const char *fmt, ...)
{
	static const char *const tag[] = { "error", "warning", "info", "debug" };
	char line[1024];
	va_list ap;

	if (level > roam_log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "%s: %s: %s\n", roam_log_prog, tag[level], line);
}

const char *roam_ssl_errstr(void)
{
	static char buf[256];
	unsigned long e = ERR_get_error();

	if (!e)
		return "no OpenSSL error";
	ERR_error_string_n(e, buf, sizeof(buf));
	ERR_clear_error();
	return buf;
}
