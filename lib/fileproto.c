// SPDX-License-Identifier: GPL-2.0
/*
 * The demo file protocol (fileproto.h): one strict parser and formatter
 * for each direction, shared by roam-fileserver, roam-fetch, the unit
 * tests and the fuzz target.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fileproto.h"
#include "hex.h"
#include "parse.h"

#define FIELDS_MAX 4

bool rfile_name_valid(const char *name)
{
	size_t n = strlen(name);

	if (!n || n > RFILE_NAME_MAX || name[0] == '.' || name[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++) {
		char ch = name[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '_' || ch == '.' || ch == '-'))
			return false;
	}
	return true;
}

/* Find the line; 0 and *n set, 1 incomplete, -EMSGSIZE too long. */
static int line_end(const char *buf, size_t len, size_t *n, const char **why)
{
	const char *nl = memchr(buf, '\n', len < RFILE_LINE_MAX ? len : RFILE_LINE_MAX);

	if (nl) {
		*n = (size_t)(nl - buf);
		return 0;
	}
	if (len >= RFILE_LINE_MAX) {
		*why = "line too long";
		return -EMSGSIZE;
	}
	return 1;
}

/*
 * Split buf[0..len) at single spaces.  The last field may hold spaces
 * when `rest` (free text).  Fields are copied NUL-terminated into f.
 */
static int split(const char *buf, size_t len, char f[][RFILE_LINE_MAX], int max,
		 bool rest)
{
	size_t start = 0;
	int n = 0;

	for (size_t i = 0; i <= len; i++) {
		if (i < len && (buf[i] < 0x20 || buf[i] > 0x7e))
			return -EINVAL;	/* control bytes, CR, NUL, 8-bit */
		if (i < len && !(buf[i] == ' ' && !(rest && n == max - 1)))
			continue;
		if (i == start || n == max || buf[start] == ' ')
			return -EINVAL;	/* empty field or too many */
		memcpy(f[n], buf + start, i - start);
		f[n++][i - start] = 0;
		start = i + 1;
	}
	return n;
}

/* Decimal, no sign, no leading zero (one spelling per value), <= max. */
static int number(const char *s, uint64_t max, uint64_t *out)
{
	return parse_uint(s, PARSE_CANON, 0, max, out) ? -EINVAL : 0;
}

int rfile_req_parse(const char *buf, size_t len, struct rfile_req *r,
		    const char **why)
{
	char f[FIELDS_MAX][RFILE_LINE_MAX];
	size_t n;
	int ret;

	memset(r, 0, sizeof(*r));
	ret = line_end(buf, len, &n, why);
	if (ret)
		return ret < 0 ? ret : 0;
	*why = "malformed request (want: GET NAME OFFSET)";
	if (split(buf, n, f, 3, false) != 3 || strcmp(f[0], "GET"))
		return -EINVAL;
	*why = "bad file name";
	if (!rfile_name_valid(f[1]))
		return -EINVAL;
	*why = "bad offset";
	if (number(f[2], RFILE_OFFSET_MAX, &r->offset))
		return -EINVAL;
	strcpy(r->name, f[1]);
	*why = NULL;
	return (int)n + 1;
}

int rfile_resp_parse(const char *buf, size_t len, struct rfile_resp *r,
		     const char **why)
{
	char f[FIELDS_MAX][RFILE_LINE_MAX];
	uint64_t code;
	size_t n;
	int ret, nf;

	memset(r, 0, sizeof(*r));
	ret = line_end(buf, len, &n, why);
	if (ret)
		return ret < 0 ? ret : 0;
	*why = "malformed response header";
	if (n >= 4 && !memcmp(buf, "ERR ", 4)) {
		nf = split(buf, n, f, 3, true);
		if (nf < 2 || number(f[1], 599, &code) || code < 100 ||
		    (nf == 3 && strlen(f[2]) > RFILE_TEXT_MAX))
			return -EINVAL;
		r->code = (unsigned int)code;
		if (nf == 3)
			strcpy(r->text, f[2]);
	} else {
		if (split(buf, n, f, 4, false) != 4 || strcmp(f[0], "OK") ||
		    number(f[1], RFILE_OFFSET_MAX, &r->size) ||
		    number(f[2], RFILE_OFFSET_MAX, &r->offset) ||
		    hex_decode(f[3], r->sha256, sizeof(r->sha256), HEX_LOWER))
			return -EINVAL;
		*why = "offset beyond the end of the file";
		if (r->offset > r->size)
			return -EINVAL;
		r->ok = true;
	}
	*why = NULL;
	return (int)n + 1;
}

static int fit(int n, size_t cap)
{
	if (n < 0)
		return -EINVAL;
	return (size_t)n >= cap || n > RFILE_LINE_MAX ? -ENOSPC : n;
}

int rfile_req_format(char *buf, size_t cap, const struct rfile_req *r)
{
	if (!rfile_name_valid(r->name) || r->offset > RFILE_OFFSET_MAX)
		return -EINVAL;
	return fit(snprintf(buf, cap, "GET %s %llu\n", r->name,
			    (unsigned long long)r->offset), cap);
}

int rfile_resp_format(char *buf, size_t cap, const struct rfile_resp *r)
{
	char hex[HEX_LEN(sizeof(r->sha256))];
	size_t tl = strlen(r->text);

	if (r->ok) {
		if (r->offset > r->size || r->size > RFILE_OFFSET_MAX)
			return -EINVAL;
		hex_encode(r->sha256, sizeof(r->sha256), hex, sizeof(hex));
		return fit(snprintf(buf, cap, "OK %llu %llu %s\n",
				    (unsigned long long)r->size,
				    (unsigned long long)r->offset, hex), cap);
	}
	if (r->code < 100 || r->code > 599 || tl > RFILE_TEXT_MAX)
		return -EINVAL;
	for (size_t i = 0; i < tl; i++)
		if (r->text[i] < 0x20 || r->text[i] > 0x7e)
			return -EINVAL;
	/* An empty text or one with a leading space would not parse back. */
	if (tl && r->text[0] == ' ')
		return -EINVAL;
	return fit(snprintf(buf, cap, tl ? "ERR %u %s\n" : "ERR %u\n", r->code,
			    r->text), cap);
}
