// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/err.h>

#include "log.h"

int roam_log_level = ROAM_LOG_INFO;
const char *roam_log_prog = "roam";

/*
 * Is stderr connected to the journal?  systemd sets JOURNAL_STREAM to the
 * device and inode of the stream it gave the service (systemd.exec(5));
 * a redirection of stderr elsewhere (a test's log file) no longer matches.
 */
static bool stderr_is_journal(void)
{
	const char *env = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (!env || sscanf(env, "%llu:%llu", &dev, &ino) != 2)
		return false;
	if (fstat(fileno(stderr), &st))
		return false;
	return st.st_dev == (dev_t)dev && st.st_ino == (ino_t)ino;
}

void roam_log(int level, const char *fmt, ...)
{
	static const char *const tag[] = { "error", "warning", "info", "debug" };
	/* syslog priorities: LOG_ERR, LOG_WARNING, LOG_INFO, LOG_DEBUG. */
	static const int prio[] = { 3, 4, 6, 7 };
	static int journal = -1;
	char line[1024];
	va_list ap;

	if (level > roam_log_level)
		return;
	if (journal < 0)
		journal = stderr_is_journal();
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	/* The journal reads "<N>" as the priority and adds the name itself. */
	if (journal)
		fprintf(stderr, "<%d>%s: %s\n", prio[level], tag[level], line);
	else
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
