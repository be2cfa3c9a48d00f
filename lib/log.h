/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal logging for the roaming daemons: one line per event on stderr,
 * prefixed with the program name; under systemd, with the syslog priority
 * the journal reads ("<3>..."), so that journalctl -p filters by level.
 */
#ifndef ROAM_LOG_H
#define ROAM_LOG_H

enum { ROAM_LOG_ERR, ROAM_LOG_WARN, ROAM_LOG_INFO, ROAM_LOG_DEBUG };

extern int roam_log_level;
extern const char *roam_log_prog;

void roam_log(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define log_err(...)	roam_log(ROAM_LOG_ERR, __VA_ARGS__)
#define log_warn(...)	roam_log(ROAM_LOG_WARN, __VA_ARGS__)
#define log_info(...)	roam_log(ROAM_LOG_INFO, __VA_ARGS__)
#define log_debug(...)	roam_log(ROAM_LOG_DEBUG, __VA_ARGS__)

/* Append OpenSSL's error queue (and clear it) to a one-line message. */
const char *roam_ssl_errstr(void);

#endif
