// SPDX-License-Identifier: GPL-2.0
/*
 * The topology file (Documentation/mtfd-topology.md): one statement a
 * line, words separated by blanks, '#' to the end of the line a comment.
 *
 *	gateway NAME ADDR
 *	link NAME NAME [weight W]
 *	prefix NAME PREFIX/LEN [weight W]
 *
 * A line is copied into a bounded buffer and split in place; every word
 * is checked before use.  Errors name the file and line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topo-int.h"

#define LINE_MAX_LEN	1024
#define WORDS_MAX	6
/* A file no larger than this many bytes a gateway of the limit, roughly. */
#define FILE_MAX	(1ull << 30)

struct parse {
	struct topo *t;
	const char *name;
	unsigned int line;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 3, 4)))
static int fail(struct parse *ps, int rc, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ps->errlen && ps->line)
		snprintf(ps->err, ps->errlen, "%s:%u: %s", ps->name, ps->line, msg);
	else if (ps->errlen)
		snprintf(ps->err, ps->errlen, "%s: %s", ps->name, msg);
	return rc;
}

static bool name_ok(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > TOPO_NAME_MAX)
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			 "0123456789_.:-") == n;
}

static int gateway(struct parse *ps, const char *name, uint32_t *id)
{
	*id = topo_gw_by_name(ps->t, name);
	if (*id == TOPO_NONE)
		return fail(ps, -EINVAL, "unknown gateway '%s' (declare it first: gateway %s ADDR)",
			    name, name);
	return 0;
}

/* "weight W" at @w[0..1] if @n says it is there. */
static int weight(struct parse *ps, char **w, int n, unsigned int *out)
{
	char *end;
	unsigned long v;

	*out = 1;
	if (n == 0)
		return 0;
	if (n != 2 || strcmp(w[0], "weight"))
		return fail(ps, -EINVAL, "expected 'weight W' after the arguments, got '%s'", w[0]);
	if (w[1][0] < '0' || w[1][0] > '9')
		return fail(ps, -EINVAL, "weight '%s': not a number", w[1]);
	errno = 0;
	v = strtoul(w[1], &end, 10);
	if (errno || *end || v < 1 || v > TOPO_WEIGHT_MAX)
		return fail(ps, -EINVAL, "weight '%s': not in 1..%u", w[1], TOPO_WEIGHT_MAX);
	*out = (unsigned int)v;
	return 0;
}

static int limit(struct parse *ps, int rc, const char *what, unsigned int max)
{
	if (rc == -ENOSPC)
		return fail(ps, rc, "too many %s (limit %u)", what, max);
	return fail(ps, rc, "%s", strerror(-rc));
}

static int st_gateway(struct parse *ps, char **w, int n)
{
	struct mtf_ctl_addr a;
	int rc;

	if (n != 3)
		return fail(ps, -EINVAL, "usage: gateway NAME ADDR");
	if (!name_ok(w[1]))
		return fail(ps, -EINVAL, "gateway name '%s': 1..%u of A-Z a-z 0-9 _ . : -",
			    w[1], TOPO_NAME_MAX);
	if (mtfd_addr_parse(w[2], &a))
		return fail(ps, -EINVAL, "gateway %s: invalid address '%s'", w[1], w[2]);
	if (topo_gw_by_name(ps->t, w[1]) != TOPO_NONE)
		return fail(ps, -EINVAL, "gateway %s declared twice", w[1]);
	if (topo_gw_find(ps->t, &a) != TOPO_NONE)
		return fail(ps, -EINVAL, "gateway %s: address %s already belongs to %s", w[1],
			    w[2], ps->t->gw[topo_gw_find(ps->t, &a)].name);
	rc = topo_add_gateway(ps->t, w[1], &a);
	return rc ? limit(ps, rc, "gateways", ps->t->lim.max_gateways) : 0;
}

static int st_link(struct parse *ps, char **w, int n)
{
	uint32_t a, b;
	unsigned int wt;
	int rc;

	if (n != 3 && n != 5)
		return fail(ps, -EINVAL, "usage: link NAME NAME [weight W]");
	if ((rc = gateway(ps, w[1], &a)) || (rc = gateway(ps, w[2], &b)) ||
	    (rc = weight(ps, w + 3, n - 3, &wt)))
		return rc;
	if (a == b)
		return fail(ps, -EINVAL, "link from %s to itself", w[1]);
	if (topo_link_find(ps->t, a, b) != TOPO_NONE)
		return fail(ps, -EINVAL, "link %s %s declared twice", w[1], w[2]);
	rc = topo_link_ids(ps->t, a, b, wt);
	return rc ? limit(ps, rc, "links", ps->t->lim.max_links) : 0;
}

static int st_prefix(struct parse *ps, char **w, int n)
{
	struct mtfd_prefix p;
	unsigned int wt;
	uint32_t g;
	int rc;

	if (n != 3 && n != 5)
		return fail(ps, -EINVAL, "usage: prefix NAME PREFIX/LEN [weight W]");
	if ((rc = gateway(ps, w[1], &g)) || (rc = weight(ps, w + 3, n - 3, &wt)))
		return rc;
	if (mtfd_prefix_parse(w[2], &p))
		return fail(ps, -EINVAL, "invalid prefix '%s' (ADDR/LEN, host bits zero)", w[2]);
	rc = topo_prefix_id(ps->t, g, &p, wt);
	if (rc == -EEXIST)
		return fail(ps, -EINVAL, "prefix %s behind %s declared twice", w[2], w[1]);
	if (rc == -ENOSPC && ps->t->nhome >= ps->t->lim.max_homes)
		return limit(ps, rc, "prefix attachments", ps->t->lim.max_homes);
	return rc ? limit(ps, rc, "prefixes", ps->t->lim.max_prefixes) : 0;
}

static int statement(struct parse *ps, char *s)
{
	char *w[WORDS_MAX + 1];
	int n = 0;

	s[strcspn(s, "#")] = '\0';
	for (char *tok = strtok(s, " \t\r\v\f"); tok; tok = strtok(NULL, " \t\r\v\f")) {
		if (n == WORDS_MAX)
			return fail(ps, -EINVAL, "too many words");
		w[n++] = tok;
	}
	if (!n)
		return 0;
	if (!strcmp(w[0], "gateway"))
		return st_gateway(ps, w, n);
	if (!strcmp(w[0], "link"))
		return st_link(ps, w, n);
	if (!strcmp(w[0], "prefix"))
		return st_prefix(ps, w, n);
	return fail(ps, -EINVAL, "unknown statement '%.32s' (gateway, link, prefix)", w[0]);
}

int topo_load_buf(struct topo *t, const char *buf, size_t len, const char *name,
		  char *err, size_t errlen)
{
	struct parse ps = { t, name ? name : "topology", 0, err, errlen };
	char line[LINE_MAX_LEN + 1];

	if (errlen)
		err[0] = '\0';
	while (len) {
		const char *nl = memchr(buf, '\n', len);
		size_t n = nl ? (size_t)(nl - buf) : len;
		int rc;

		ps.line++;
		if (n > LINE_MAX_LEN)
			return fail(&ps, -EINVAL, "line longer than %u bytes", LINE_MAX_LEN);
		if (memchr(buf, '\0', n))
			return fail(&ps, -EINVAL, "NUL byte in the line");
		memcpy(line, buf, n);
		line[n] = '\0';
		rc = statement(&ps, line);
		if (rc)
			return rc;
		buf += n + !!nl;
		len -= n + !!nl;
	}
	return 0;
}

int topo_load_file(struct topo *t, const char *path, char *err, size_t errlen)
{
	struct parse ps = { t, path, 0, err, errlen };
	size_t len = 0, cap = 0;
	char *buf = NULL;
	FILE *f;
	int rc;

	f = fopen(path, "re");
	if (!f)
		return fail(&ps, -errno, "%s", strerror(errno));
	for (;;) {
		size_t got;

		if (len == cap) {
			char *nb = cap >= FILE_MAX ? NULL : realloc(buf, cap ? 2 * cap : 65536);

			if (!nb) {
				rc = cap >= FILE_MAX ? fail(&ps, -EFBIG, "file larger than %llu bytes",
							    FILE_MAX)
						     : fail(&ps, -ENOMEM, "out of memory");
				goto out;
			}
			buf = nb;
			cap = cap ? 2 * cap : 65536;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		rc = fail(&ps, -EIO, "read error");
		goto out;
	}
	rc = topo_load_buf(t, buf, len, path, err, errlen);
out:
	free(buf);
	fclose(f);
	return rc;
}
