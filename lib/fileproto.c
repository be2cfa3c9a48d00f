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

/* ---- A connection's handoff state (fileproto.h) ---- */

static uint8_t *put_n(uint8_t *p, uint64_t v, int bytes)
{
	for (int i = bytes - 1; i >= 0; i--)
		*p++ = (uint8_t)(v >> (8 * i));
	return p;
}

static uint64_t get_n(const uint8_t *p, int bytes)
{
	uint64_t v = 0;

	for (int i = 0; i < bytes; i++)
		v = v << 8 | p[i];
	return v;
}

int rfile_state_encode(uint8_t *buf, size_t cap, const struct rfile_state *st)
{
	size_t nl = strnlen(st->name, sizeof(st->name));
	size_t need = 4 + 16 + 2 + nl + 2 + st->in_len + 4 + st->hdr_len;
	uint8_t *p = buf;

	if (nl > RFILE_NAME_MAX || (nl && !rfile_name_valid(st->name)) ||
	    st->in_len > sizeof(st->in) || st->hdr_len > sizeof(st->hdr) ||
	    st->hdr_off > st->hdr_len || st->off > st->end || st->end > RFILE_OFFSET_MAX)
		return -EINVAL;
	if (cap < need)
		return -ENOSPC;
	*p++ = RFILE_STATE_VERSION;
	*p++ = st->reply;
	p = put_n(p, 0, 2);
	p = put_n(p, st->off, 8);
	p = put_n(p, st->end, 8);
	p = put_n(p, nl, 2);
	memcpy(p, st->name, nl);
	p += nl;
	p = put_n(p, st->in_len, 2);
	memcpy(p, st->in, st->in_len);
	p += st->in_len;
	p = put_n(p, st->hdr_len, 2);
	p = put_n(p, st->hdr_off, 2);
	memcpy(p, st->hdr, st->hdr_len);
	p += st->hdr_len;
	return (int)(p - buf);
}

/* Take a be16 length and that many bytes, at most max; NULL if short. */
static const uint8_t *take(const uint8_t *p, const uint8_t *e, size_t max,
			   size_t *n, const uint8_t **data)
{
	if (e - p < 2)
		return NULL;
	*n = (size_t)get_n(p, 2);
	p += 2;
	if (*n > max || (size_t)(e - p) < *n)
		return NULL;
	*data = p;
	return p + *n;
}

int rfile_state_decode(const uint8_t *buf, size_t len, struct rfile_state *st)
{
	const uint8_t *p = buf, *e = buf + len, *d;
	size_t n;

	memset(st, 0, sizeof(*st));
	if (len < 20 + 2)
		return -EBADMSG;
	if (p[0] != RFILE_STATE_VERSION)
		return -EPROTO;
	if (p[1] > 1 || p[2] || p[3])
		return -EBADMSG;
	st->reply = p[1];
	st->off = get_n(p + 4, 8);
	st->end = get_n(p + 12, 8);
	p += 20;
	if (st->off > st->end || st->end > RFILE_OFFSET_MAX)
		return -EBADMSG;
	p = take(p, e, RFILE_NAME_MAX, &n, &d);
	if (!p)
		return -EBADMSG;
	memcpy(st->name, d, n);
	st->name[n] = 0;
	if (n && (strlen(st->name) != n || !rfile_name_valid(st->name)))
		return -EBADMSG;
	p = take(p, e, sizeof(st->in), &st->in_len, &d);
	if (!p)
		return -EBADMSG;
	memcpy(st->in, d, st->in_len);
	if (e - p < 4)
		return -EBADMSG;
	st->hdr_len = (size_t)get_n(p, 2);
	st->hdr_off = (size_t)get_n(p + 2, 2);
	p += 4;
	if (st->hdr_len > sizeof(st->hdr) || st->hdr_off > st->hdr_len ||
	    (size_t)(e - p) != st->hdr_len)
		return -EBADMSG;
	memcpy(st->hdr, p, st->hdr_len);
	/* A request still being read has no reply yet, and the reverse. */
	if (st->reply ? st->in_len != 0 : (st->hdr_len || st->end || n))
		return -EBADMSG;
	return 0;
}
