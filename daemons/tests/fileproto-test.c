// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the demo file protocol parser (common/fileproto.c):
 * a table of lines with the expected result, and round trips.
 */
#include <errno.h>
#include <string.h>

#include "fileproto.h"
#include "tap.h"

static const struct {
	const char *line;
	int ret;		/* > 0: bytes used; 0: incomplete; < 0: errno */
	const char *name;
	unsigned long long offset;
} reqs[] = {
	{ "GET a 0\n", 8, "a", 0 },
	{ "GET file-1.bin 125000\n", 22, "file-1.bin", 125000 },
	{ "GET x 9223372036854775807\n", 26, "x", 9223372036854775807ULL },
	{ "GET a 0\nGARBAGE", 8, "a", 0 },		/* only the first line */
	{ "GET a 0", 0, NULL, 0 },			/* no newline yet */
	{ "", 0, NULL, 0 },
	{ "GET x 9223372036854775808\n", -EINVAL, NULL, 0 },	/* > 2^63 - 1 */
	{ "GET x 18446744073709551616\n", -EINVAL, NULL, 0 },
	{ "GET a 01\n", -EINVAL, NULL, 0 },		/* leading zero */
	{ "GET a -1\n", -EINVAL, NULL, 0 },
	{ "GET a +1\n", -EINVAL, NULL, 0 },
	{ "GET a 1x\n", -EINVAL, NULL, 0 },
	{ "GET a \n", -EINVAL, NULL, 0 },
	{ "GET a\n", -EINVAL, NULL, 0 },
	{ "GET  a 0\n", -EINVAL, NULL, 0 },		/* two spaces */
	{ "GET a 0 \n", -EINVAL, NULL, 0 },
	{ "GET a 0\r\n", -EINVAL, NULL, 0 },
	{ "get a 0\n", -EINVAL, NULL, 0 },
	{ "PUT a 0\n", -EINVAL, NULL, 0 },
	{ "GET ../etc/passwd 0\n", -EINVAL, NULL, 0 },
	{ "GET a/b 0\n", -EINVAL, NULL, 0 },
	{ "GET .hidden 0\n", -EINVAL, NULL, 0 },
	{ "GET -rf 0\n", -EINVAL, NULL, 0 },
	{ "GET a\tb 0\n", -EINVAL, NULL, 0 },
	{ "GET a\xff 0\n", -EINVAL, NULL, 0 },
	{ "GET a 0 extra\n", -EINVAL, NULL, 0 },
	{ "\n", -EINVAL, NULL, 0 },
};

static const struct {
	const char *line;
	int ret;
	int ok;
	unsigned long long size, offset;
	unsigned int code;
	const char *text;
} resps[] = {
	{ "OK 10 0 " "0000000000000000000000000000000000000000000000000000000000000000\n",
	  73, 1, 10, 0, 0, NULL },
	{ "OK 10 10 " "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789\n",
	  74, 1, 10, 10, 0, NULL },
	{ "ERR 404 no such file\n", 21, 0, 0, 0, 404, "no such file" },
	{ "ERR 400\n", 8, 0, 0, 0, 400, "" },
	{ "ERR 503 busy  with spaces \n", 27, 0, 0, 0, 503, "busy  with spaces " },
	{ "OK 10 11 " "0000000000000000000000000000000000000000000000000000000000000000\n",
	  -EINVAL, 0, 0, 0, 0, NULL },		/* offset > size */
	{ "OK 10 0 " "ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789\n",
	  -EINVAL, 0, 0, 0, 0, NULL },		/* uppercase hex */
	{ "OK 10 0 " "00\n", -EINVAL, 0, 0, 0, 0, NULL },
	{ "OK 10 0\n", -EINVAL, 0, 0, 0, 0, NULL },
	{ "ERR 99 low\n", -EINVAL, 0, 0, 0, 0, NULL },
	{ "ERR 600 high\n", -EINVAL, 0, 0, 0, 0, NULL },
	{ "ERR 404 \n", -EINVAL, 0, 0, 0, 0, NULL },
	{ "ERR 404  x\n", -EINVAL, 0, 0, 0, 0, NULL },
	{ "ERR\n", -EINVAL, 0, 0, 0, 0, NULL },
	{ "HTTP/1.0 200 OK\r\n", -EINVAL, 0, 0, 0, 0, NULL },
	{ "OK 1", 0, 0, 0, 0, 0, NULL },
};

static void test_long_lines(void)
{
	char buf[RFILE_LINE_MAX + 8];
	struct rfile_req r;
	struct rfile_resp rs;
	const char *why;

	memset(buf, 'a', sizeof(buf));
	tap_ok(rfile_req_parse(buf, RFILE_LINE_MAX - 1, &r, &why) == 0,
	       "255 bytes without a newline: still incomplete");
	tap_ok(rfile_req_parse(buf, RFILE_LINE_MAX, &r, &why) == -EMSGSIZE,
	       "256 bytes without a newline: -EMSGSIZE");
	tap_ok(rfile_resp_parse(buf, sizeof(buf), &rs, &why) == -EMSGSIZE,
	       "response header without a newline: -EMSGSIZE");
	/* A newline right after the limit does not count. */
	buf[RFILE_LINE_MAX] = '\n';
	tap_ok(rfile_req_parse(buf, sizeof(buf), &r, &why) == -EMSGSIZE,
	       "newline past the limit: -EMSGSIZE");
	memset(buf, 'n', sizeof(buf));
	memcpy(buf, "GET ", 4);
	buf[4 + RFILE_NAME_MAX + 1] = 0;
	tap_ok(!rfile_name_valid(buf + 4), "129-byte name refused");
	buf[4 + RFILE_NAME_MAX] = 0;
	tap_ok(rfile_name_valid(buf + 4), "128-byte name accepted");
}

static void test_round_trips(void)
{
	struct rfile_req r = { .offset = 123456789 }, r2;
	struct rfile_resp rs = { .ok = true, .size = 1000, .offset = 999 }, rs2;
	char line[RFILE_LINE_MAX + 1];
	const char *why;
	int n;

	strcpy(r.name, "f.bin");
	n = rfile_req_format(line, sizeof(line), &r);
	tap_ok(n > 0 && rfile_req_parse(line, (size_t)n, &r2, &why) == n &&
	       !memcmp(&r, &r2, sizeof(r)), "request round trip");
	for (int i = 0; i < 32; i++)
		rs.sha256[i] = (uint8_t)(i * 37);
	n = rfile_resp_format(line, sizeof(line), &rs);
	tap_ok(n > 0 && rfile_resp_parse(line, (size_t)n, &rs2, &why) == n &&
	       !memcmp(&rs, &rs2, sizeof(rs)), "OK header round trip");
	rs = (struct rfile_resp){ .code = 404 };
	strcpy(rs.text, "no such file");
	n = rfile_resp_format(line, sizeof(line), &rs);
	tap_ok(n > 0 && rfile_resp_parse(line, (size_t)n, &rs2, &why) == n &&
	       !memcmp(&rs, &rs2, sizeof(rs)), "ERR header round trip");
	strcpy(r.name, "../x");
	tap_ok(rfile_req_format(line, sizeof(line), &r) == -EINVAL,
	       "formatting a path is refused");
	strcpy(rs.text, "bad\nline");
	tap_ok(rfile_resp_format(line, sizeof(line), &rs) == -EINVAL,
	       "formatting a newline in the text is refused");
	strcpy(r.name, "f");
	tap_ok(rfile_req_format(line, 5, &r) == -ENOSPC, "small buffer: -ENOSPC");
}

int main(void)
{
	const int nreq = sizeof(reqs) / sizeof(reqs[0]);
	const int nresp = sizeof(resps) / sizeof(resps[0]);

	tap_plan(nreq + nresp + 12);
	for (int i = 0; i < nreq; i++) {
		struct rfile_req r;
		const char *why = NULL;
		int ret = rfile_req_parse(reqs[i].line, strlen(reqs[i].line), &r, &why);
		int good = ret == reqs[i].ret;

		if (good && ret > 0)
			good = !strcmp(r.name, reqs[i].name) && r.offset == reqs[i].offset;
		if (good && ret < 0)
			good = why != NULL;
		tap_ok(good, "request %d: %d (want %d)%s%s", i, ret, reqs[i].ret,
		       why ? ": " : "", why ? why : "");
	}
	for (int i = 0; i < nresp; i++) {
		struct rfile_resp r;
		const char *why = NULL;
		int ret = rfile_resp_parse(resps[i].line, strlen(resps[i].line), &r, &why);
		int good = ret == resps[i].ret;

		if (good && ret > 0)
			good = r.ok == resps[i].ok && r.size == resps[i].size &&
			       r.offset == resps[i].offset && r.code == resps[i].code &&
			       (!resps[i].text || !strcmp(r.text, resps[i].text));
		tap_ok(good, "response %d: %d (want %d)%s%s", i, ret, resps[i].ret,
		       why ? ": " : "", why ? why : "");
	}
	test_long_lines();
	test_round_trips();
	return tap_done();
}
