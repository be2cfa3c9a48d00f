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

/*
 * A connection's state as the file server hands it over with the
 * connection (lib/handoff.h), so another server's roam-fileserver resumes
 * it byte-exact.  Layout (integers big endian):
 *
 *   u8 version (1) | u8 phase (0 request, 1 reply) | u16 0 |
 *   u64 off | u64 end | u16 name_len | name | u16 in_len | in |
 *   u16 hdr_len | u16 hdr_off | hdr
 *
 * request phase: in = the partial request line; reply phase: hdr = the
 * header line, hdr_off of it already written, then the file's bytes
 * [off, end).  Decode checks every bound and the invariants (a name is
 * valid or empty, off <= end, hdr_off <= hdr_len); the fuzzer runs it.
 */
#define RFILE_STATE_VERSION	1
#define RFILE_STATE_MAX		(4 + 16 + 2 + RFILE_NAME_MAX + 2 + RFILE_LINE_MAX + 4 + \
				 RFILE_LINE_MAX + 1)

struct rfile_state {
	bool reply;
	uint64_t off, end;
	char name[RFILE_NAME_MAX + 1];	/* "" with nothing open */
	char in[RFILE_LINE_MAX];
	size_t in_len;
	char hdr[RFILE_LINE_MAX + 1];
	size_t hdr_len, hdr_off;
};

/* The encoding's length, or -EINVAL (a bound broken) / -ENOSPC. */
int rfile_state_encode(uint8_t *buf, size_t cap, const struct rfile_state *st);
/* 0, or -EBADMSG / -EPROTO (another version). */
int rfile_state_decode(const uint8_t *buf, size_t len, struct rfile_state *st);

#endif
