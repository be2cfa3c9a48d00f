/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The demo file service's protocol (roam-fileserver, roam-fetch), the
 * paper's FTP-like request/response.  One request line per connection:
 *
 *   GET NAME OFFSET\n
 *
 * answered by one header line and, on success, the file's bytes from
 * OFFSET to its end:
 *
 *   OK SIZE OFFSET SHA256\n <SIZE - OFFSET bytes>
 *   ERR CODE TEXT\n
 *
 * NAME is 1-128 of [A-Za-z0-9_.-], not starting with '.' or '-' (so it
 * is a plain file name, never a path); numbers are decimal without
 * leading zeros, at most 2^63 - 1; SHA256 is 64 lowercase hex digits of
 * the whole file, so a client that resumed at an offset can still check
 * what it assembled.  Lines are at most RFILE_LINE_MAX bytes including
 * the newline; no CR, one space between fields.  Anything else is
 * malformed.  See Documentation/roam-demo.md.
 */
#ifndef ROAM_FILEPROTO_H
#define ROAM_FILEPROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RFILE_NAME_MAX		128
#define RFILE_TEXT_MAX		100
#define RFILE_LINE_MAX		256
#define RFILE_OFFSET_MAX	((uint64_t)INT64_MAX)

enum rfile_code {
	RFILE_BAD_REQUEST = 400,
	RFILE_NOT_FOUND = 404,
	RFILE_BAD_OFFSET = 416,
	RFILE_BUSY = 503,
};

struct rfile_req {
	char name[RFILE_NAME_MAX + 1];
	uint64_t offset;
};

struct rfile_resp {
	bool ok;
	/* OK */
	uint64_t size, offset;
	uint8_t sha256[32];
	/* ERR: 100..599 and printable ASCII */
	unsigned int code;
	char text[RFILE_TEXT_MAX + 1];
};

bool rfile_name_valid(const char *name);

/*
 * Parse one line at the start of buf.  Returns the bytes it used (the
 * line and its newline), 0 when no newline has come yet and more may
 * still make a valid line, or -EINVAL (malformed) / -EMSGSIZE (no
 * newline within RFILE_LINE_MAX) with a reason in *why.
 */
int rfile_req_parse(const char *buf, size_t len, struct rfile_req *r,
		    const char **why);
int rfile_resp_parse(const char *buf, size_t len, struct rfile_resp *r,
		     const char **why);

/* The line with its newline; its length, or -EINVAL / -ENOSPC. */
int rfile_req_format(char *buf, size_t cap, const struct rfile_req *r);
int rfile_resp_format(char *buf, size_t cap, const struct rfile_resp *r);

#endif
