// SPDX-License-Identifier: GPL-2.0
/*
 * mtfctl's data-plane messages without a kernel, as libnftnl tests do:
 * build a request from command-line words and parse it back; build
 * replies as the kernel does (nla_put_u64_64bit padding included) and
 * run them through genl_process() and the parsers; what a newer kernel
 * may add is ignored, broken nests are refused with -EBADMSG.  Also the
 * batch packer (message size limit, order, extack offset to line) and
 * the value parsers and formatters.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "genl.h"
#include "out.h"
#include "tap.h"
#include "util.h"
#include "../mtfctl/mtfctl.h"

#define SEQ	77
#define PORTID	1234
#define FAM_ID	0x1b
#define C32	"00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"

static struct genl_sock gs;
static char buf[65536] __attribute__((aligned(8)));

static struct nlmsghdr *msg_start(void *at, uint8_t cmd, uint16_t flags)
{
	struct nlmsghdr *nlh = genl_msg_start(at, FAM_ID, 0, cmd, 1);

	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = SEQ;
	nlh->nlmsg_pid = PORTID;
	return nlh;
}

static int process(size_t len, genl_cb_t cb, void *data)
{
	memset(&gs, 0, offsetof(struct genl_sock, req));
	gs.seq = SEQ;
	gs.portid = PORTID;
	return genl_process(&gs, buf, len, cb, data);
}

/* Words of a spec, split as a batch line would be. */
static int words(const char *spec, char *line, size_t len, char **argv)
{
	snprintf(line, len, "%s", spec);
	return cli_tokenize(line, argv, CLI_MAX_WORDS);
}

/* ---- argument parsers and formatters ------------------------------ */

/* Hex of at most MTF_FILTER_COOKIE_MAX bytes, and back. */
static void t_cookies(void)
{
	static const struct {
		const char *s;
		int len;	/* -1: refused */
		const char *back;
	} cookies[] = {
		{ "00", 1, "00" }, { "0xff", 1, "ff" }, { "0XaB", 1, "ab" },
		{ "DEADbeef", 4, "deadbeef" }, { C32, 32, C32 },
		{ C32 "00", -1, NULL }, { "", -1, NULL }, { "0x", -1, NULL },
		{ "abc", -1, NULL }, { "zz", -1, NULL }, { "0g", -1, NULL },
		{ "-1", -1, NULL }, { "0x0x00", -1, NULL }, { "00 ", -1, NULL },
	};
	uint8_t c[MTF_FILTER_COOKIE_MAX];
	char hex[MTF_COOKIE_HEX];
	unsigned int i, bad = 0;
	struct mtf_perr e;
	uint8_t len = 0;
	int ret;

	for (i = 0; i < ARRAY_SIZE(cookies); i++) {
		ret = mtf_parse_cookie(cookies[i].s, c, &len, &e);
		if (cookies[i].len < 0 ? !ret :
		    ret || len != cookies[i].len ||
		    strcmp(mtf_fmt_cookie(c, len, hex), cookies[i].back)) {
			printf("# cookie '%s': ret %d len %u\n", cookies[i].s, ret, len);
			bad++;
		}
	}
	tap_ok(!bad, "cookies: %zu hex strings, 1..%u bytes, formatted back",
	       ARRAY_SIZE(cookies), MTF_FILTER_COOKIE_MAX);
}

static void t_values(void)
{
	static const struct {
		const char *s;
		bool bits;
		uint64_t v;	/* 0: must be refused */
	} rates[] = {
		{ "1", true, 1 }, { "1bit", true, 1 }, { "40kbit", true, 40000 },
		{ "1.5mbit", true, 1500000 }, { "1.5MBIT", true, 1500000 },
		{ "2gbit", true, 2000000000 }, { "1tbit", true, 1000000000000ULL },
		{ "1kibit", true, 1024 }, { "1.5kibit", true, 1536 },
		{ "3mibit", true, 3 << 20 }, { "0.001kbit", true, 1 },
		{ "18446744073709551615", true, UINT64_MAX },
		{ "18446744073709551616", true, 0 }, { "18446744073709552tbit", true, 0 },
		{ "0", true, 0 }, { "1.5bit", true, 0 }, { "1.", true, 0 },
		{ ".5kbit", true, 0 }, { "1.0000001mbit", true, 0 },
		{ "5 kbit", true, 0 }, { "-1", true, 0 }, { "", true, 0 },
		{ "1kbps", true, 0 }, { "10k", false, 10000 }, { "2.5m", false, 2500000 },
		{ "7pps", false, 7 }, { "3kpps", false, 3000 }, { "1mbit", false, 0 },
	};
	static const struct {
		const char *s;
		uint32_t ms;	/* UINT32_MAX - 1: refused */
	} times[] = {
		{ "0", 0 }, { "1500", 1500 }, { "1500ms", 1500 }, { "1.5s", 1500 },
		{ "2m", 120000 }, { "1h", 3600000 }, { "4294967295", UINT32_MAX },
		{ "4294967296", UINT32_MAX - 1 }, { "1.0005s", UINT32_MAX - 1 },
		{ "2d", UINT32_MAX - 1 }, { "s", UINT32_MAX - 1 }, { "1 s", UINT32_MAX - 1 },
	};
	struct mtf_perr e;
	unsigned int i, bad = 0;
	uint64_t v;
	uint32_t ms;
	int ret;

	for (i = 0; i < ARRAY_SIZE(rates); i++) {
		v = 0;
		ret = mtf_parse_rate(rates[i].s, rates[i].bits, &v, &e);
		if (rates[i].v ? ret || v != rates[i].v : !ret) {
			printf("# rate '%s': ret %d value %llu\n", rates[i].s, ret,
			       (unsigned long long)v);
			bad++;
		}
	}
	tap_ok(!bad, "rates: %zu values with units, fractions and overflows",
	       ARRAY_SIZE(rates));
	for (bad = 0, i = 0; i < ARRAY_SIZE(times); i++) {
		ret = mtf_parse_ms(times[i].s, &ms, "t", &e);
		if (times[i].ms == UINT32_MAX - 1 ? !ret : ret || ms != times[i].ms) {
			printf("# time '%s': ret %d value %u\n", times[i].s, ret, ms);
			bad++;
		}
	}
	tap_ok(!bad, "times: %zu values in ms, s, m, h", ARRAY_SIZE(times));
	t_cookies();
}

static void t_formats(void)
{
	static const struct {
		uint64_t v;
		bool exact;
		const char *unit, *want;
	} rates[] = {
		{ 0, true, "bit", "0bit" }, { 999, true, "bit", "999bit" },
		{ 1000, true, "bit", "1kbit" }, { 1500000, true, "bit", "1500kbit" },
		{ 1234567, true, "bit", "1234567bit" }, { 2000000000, true, "", "2g" },
		{ 1500000, false, "bit", "1.50mbit" }, { 40000, false, "bit", "40kbit" },
		{ 1234, false, "pps", "1.23kpps" }, { 999999, false, "bit", "999kbit" },
		{ UINT64_MAX, true, "bit", "18446744073709551615bit" },
		{ UINT64_MAX, false, "bit", "18446744tbit" },
	};
	static const struct {
		uint64_t ms;
		const char *want;
	} ages[] = {
		{ 0, "0ms" }, { 999, "999ms" }, { 1000, "1.0s" }, { 12345, "12.3s" },
		{ 62000, "1m02s" }, { 3 * 3600000 + 7 * 60000, "3h07m" },
		{ 52 * 3600000ULL, "2d04h" },
	};
	char b[64];
	unsigned int i, bad = 0;
	uint64_t back;
	struct mtf_perr e;

	for (i = 0; i < ARRAY_SIZE(rates); i++) {
		mtf_fmt_rate(rates[i].v, rates[i].unit, rates[i].exact, b, sizeof(b));
		if (strcmp(b, rates[i].want)) {
			printf("# rate %llu: '%s', want '%s'\n",
			       (unsigned long long)rates[i].v, b, rates[i].want);
			bad++;
		}
		/* Exact forms are what filter show prints: they parse back. */
		if (rates[i].exact && rates[i].v && !strcmp(rates[i].unit, "bit") &&
		    (mtf_parse_rate(b, true, &back, &e) || back != rates[i].v))
			bad++;
	}
	for (i = 0; i < ARRAY_SIZE(ages); i++)
		if (strcmp(mtf_fmt_ms(ages[i].ms, b, sizeof(b)), ages[i].want)) {
			printf("# age %llu: '%s'\n", (unsigned long long)ages[i].ms, b);
			bad++;
		}
	tap_ok(!bad, "formatters: rates (exact ones parse back) and ages");
}

static void t_tokenize(void)
{
	static const struct {
		const char *line;
		int argc;
		const char *joined;	/* words joined with '|' */
	} cases[] = {
		{ "", 0, "" }, { "   \t\r\n", 0, "" }, { "# all comment", 0, "" },
		{ "a b\tc\n", 3, "a|b|c" }, { "  a  # b c", 1, "a" },
		{ "a#b c", 2, "a#b|c" }, { "\"a > b\" c", 2, "a > b|c" },
		{ "x\"y z\"w", 1, "xy zw" }, { "\"\"", 1, "" }, { "a\\ b", 1, "a b" },
		{ "\"a\\\"b\"", 1, "a\"b" }, { "\"open", -EINVAL, NULL },
		{ "a \"b", -EINVAL, NULL }, { "end\\", 1, "end\\" },
	};
	char line[2 * CLI_MAX_WORDS + 8], joined[128], *argv[CLI_MAX_WORDS];
	unsigned int i, bad = 0;
	size_t off;
	int argc, j;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		argc = words(cases[i].line, line, sizeof(line), argv);
		joined[0] = '\0';
		for (off = 0, j = 0; j < argc; j++)
			off += snprintf(joined + off, sizeof(joined) - off, "%s%s",
					j ? "|" : "", argv[j]);
		if (argc != cases[i].argc ||
		    (argc >= 0 && strcmp(joined, cases[i].joined))) {
			printf("# '%s': %d '%s'\n", cases[i].line, argc, joined);
			bad++;
		}
	}
	tap_ok(!bad, "tokenizer: blanks, comments, quotes, backslashes (%zu lines)",
	       ARRAY_SIZE(cases));
	memset(line, 'a', sizeof(line));
	for (i = 0; i < 2 * (CLI_MAX_WORDS + 1); i += 2)
		line[i + 1] = ' ';
	line[2 * (CLI_MAX_WORDS + 1)] = '\0';
	tap_ok(cli_tokenize(line, argv, CLI_MAX_WORDS) == -E2BIG,
	       "tokenizer: more than %u words is -E2BIG", CLI_MAX_WORDS);
}

/* ---- filter requests: words -> message -> parsed back ------------- */

static bool filter_eq(const struct mtf_filter_ent *a,
		      const struct mtf_filter_ent *b)
{
	return a->has == b->has && a->slots.n == b->slots.n &&
	       !memcmp(a->slots.s, b->slots.s, a->slots.n * sizeof(a->slots.s[0])) &&
	       a->src == b->src && a->dst == b->dst &&
	       (!(a->has & (1u << MTF_FILTER_A_SRC4)) || a->src_plen == b->src_plen) &&
	       a->action == b->action && a->rate_pps == b->rate_pps &&
	       a->rate_bps == b->rate_bps && a->timeout_ms == b->timeout_ms &&
	       a->owner == b->owner && a->cookie_len == b->cookie_len &&
	       !memcmp(a->cookie, b->cookie, a->cookie_len);
}

static void t_filter_roundtrip(void)
{
	static const char *const specs[] = {
		"10.0.1.254/0x1a2b3c4d,10.0.3.254/0x51aa300d dst 10.0.9.1",
		"10.0.1.254/1 src 192.0.2.0/24 dst 10.0.9.2 rate-limit pps 5 bps 1.5mbit timeout 100",
		"1.1.1.1/1,1.1.1.2/2,1.1.1.3/3,1.1.1.4/4,1.1.1.5/5,1.1.1.6/6,1.1.1.7/7,1.1.1.8/8,"
		"1.1.1.9/9,1.1.1.10/a,1.1.1.11/b,1.1.1.12/c,1.1.1.13/d,1.1.1.14/e,255.255.255.255/ffffffff"
		" src 0.0.0.0/0 dst 0.0.0.0 permanent",
		"10.0.1.254/0 src 192.0.2.7 dst 10.0.9.1 rate-limit bps 18446744073709551615",
		"10.0.1.254/1 dst 10.0.9.1 owner 1 cookie 0x00",
		"10.0.1.254/1 dst 10.0.9.1 cookie %s owner 4294967295" /* 32 bytes */,
		"10.0.1.254/1 dst 10.0.9.1 owner 0",
	};
	char spec[256];
	char line[512], *argv[CLI_MAX_WORDS];
	struct mtf_filter_ent in, out;
	const struct nlattr *a, *b;
	struct nlmsghdr *nlh;
	struct mtf_perr e;
	unsigned int i, n;
	int argc, ret;

	for (i = 0; i < ARRAY_SIZE(specs); i++) {
		snprintf(spec, sizeof(spec), specs[i], C32);
		argc = words(spec, line, sizeof(line), argv);
		ret = mtf_filter_args(argc, argv, false, &in, &e);
		nlh = genl_msg_start(buf, FAM_ID, 0, MTF_CMD_FILTER_ADD, 1);
		ret = ret ?: mtf_filter_put(nlh, sizeof(buf), &in);
		n = 0;
		mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
			ret = ret ?: mnl_attr_get_type(a) == MTF_A_FILTER ? 0 : -EINVAL;
			ret = ret ?: mtf_filter_parse_nest(a, &out);
			n++;
		}
		tap_ok(!ret && n == 1 && filter_eq(&in, &out),
		       "filter add spec %u: built, parsed back, every field equal (ret %d)",
		       i + 1, ret);
	}

	/* The exact attributes of a known spec, in the kernel's terms. */
	argc = words("10.0.1.254/0x1a2b3c4d dst 10.0.9.1 rate-limit pps 7", line,
		     sizeof(line), argv);
	ret = mtf_filter_args(argc, argv, false, &in, &e);
	nlh = genl_msg_start(buf, FAM_ID, 0, MTF_CMD_FILTER_ADD, 1);
	ret = ret ?: mtf_filter_put(nlh, sizeof(buf), &in);
	a = mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN);
	tap_ok(!ret && in.has == ((1u << MTF_FILTER_A_SLOTS) | (1u << MTF_FILTER_A_DST4) |
				  (1u << MTF_FILTER_A_ACTION) | (1u << MTF_FILTER_A_RATE_PPS)) &&
	       /* nest 4 + slots 4 + slot (4 + 8 + 8) + dst 8 + action 8 + pps 12 */
	       mnl_attr_get_payload_len(a) == 4 + 20 + 8 + 8 + 12 &&
	       out.action != 0,
	       "rate-limit pps 7, any source: SLOTS, DST4, ACTION, RATE_PPS and nothing else");

	/* The origin: OWNER u32 and the cookie's bytes, nothing padded in. */
	argc = words("10.0.1.254/1 dst 10.0.9.1 owner 1 cookie 0A0b0C", line,
		     sizeof(line), argv);
	ret = mtf_filter_args(argc, argv, false, &in, &e);
	nlh = genl_msg_start(buf, FAM_ID, 0, MTF_CMD_FILTER_ADD, 1);
	ret = ret ?: mtf_filter_put(nlh, sizeof(buf), &in);
	n = 0;
	mnl_attr_for_each_nested(b, mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN)) {
		if (mnl_attr_get_type(b) == MTF_FILTER_A_COOKIE &&
		    mnl_attr_get_payload_len(b) == 3 &&
		    !memcmp(mnl_attr_get_payload(b), "\x0a\x0b\x0c", 3))
			n |= 1;
		if (mnl_attr_get_type(b) == MTF_FILTER_A_OWNER &&
		    mnl_attr_get_payload_len(b) == 4 && mnl_attr_get_u32(b) == 1)
			n |= 2;
	}
	tap_ok(!ret && n == 3 && MTF_FILTER_A_OWNER == 16 && MTF_FILTER_A_COOKIE == 15,
	       "owner 1 cookie 0A0b0C: OWNER (16) u32 1, COOKIE (15) of the 3 bytes");

	/* del sends the key only. */
	argc = words("10.0.1.254/1 src 192.0.2.0/24 dst 10.0.9.1", line, sizeof(line), argv);
	ret = mtf_filter_args(argc, argv, true, &in, &e);
	tap_ok(!ret && in.has == ((1u << MTF_FILTER_A_SLOTS) | (1u << MTF_FILTER_A_SRC4) |
				  (1u << MTF_FILTER_A_SRC_PLEN) | (1u << MTF_FILTER_A_DST4)),
	       "filter del: SLOTS, SRC4, SRC_PLEN, DST4 only");

	/* A message too small for the entry is left as it was. */
	nlh = genl_msg_start(buf, FAM_ID, 0, MTF_CMD_FILTER_ADD, 1);
	n = nlh->nlmsg_len;
	tap_ok(mtf_filter_put(nlh, n + 40, &in) == -EMSGSIZE && nlh->nlmsg_len == n,
	       "no room: -EMSGSIZE and the message unchanged");
}

/* ---- the batch packer --------------------------------------------- */

struct sent {
	unsigned int msgs, entries, max_len;
	unsigned long lines[4096];
	bool replace[64];
	uint8_t cmd[64];
	unsigned long fail_at;	/* entry (1-based, over all) to refuse */
	bool no_offs;
};

static struct sent sent;

static int fake_xmit(struct mtf_batch *b, struct nlmsghdr *nlh)
{
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	struct mtf_filter_ent f;
	const struct nlattr *a;
	unsigned int m = sent.msgs;

	if (m < ARRAY_SIZE(sent.cmd)) {
		sent.cmd[m] = g->cmd;
		sent.replace[m] = false;
	}
	if (nlh->nlmsg_len > sent.max_len)
		sent.max_len = nlh->nlmsg_len;
	mnl_attr_for_each(a, nlh, GENL_HDRLEN) {
		if (mnl_attr_get_type(a) == MTF_A_REPLACE && m < ARRAY_SIZE(sent.cmd))
			sent.replace[m] = true;
		if (mnl_attr_get_type(a) != MTF_A_FILTER)
			continue;
		if (mtf_filter_parse_nest(a, &f) < 0)
			return -EBADMSG;
		if (sent.entries + 1 == sent.fail_at) {
			b->err_off = sent.no_offs ? -1 :
				     (const char *)a - (const char *)nlh + 24;
			return -ENOSPC;
		}
		/* The test encodes the line number in dst. */
		if (sent.entries < ARRAY_SIZE(sent.lines))
			sent.lines[sent.entries] = ntohl(f.dst);
		sent.entries++;
	}
	sent.msgs++;
	return 0;
}

static struct mtf_batch batch;

static void batch_start(size_t limit)
{
	memset(&sent, 0, sizeof(sent));
	mtf_batch_init(&batch, FAM_ID, 1);
	batch.xmit = fake_xmit;
	batch.limit = limit;
}

static int batch_filter(uint8_t cmd, unsigned long line, bool replace,
			unsigned int nslots)
{
	struct mtf_filter_ent f;
	char spec[512], *argv[CLI_MAX_WORDS];
	struct mtf_perr e;
	size_t off;
	unsigned int i;
	int argc;

	off = snprintf(spec, sizeof(spec), "10.0.0.1/1");
	for (i = 1; i < nslots; i++)
		off += snprintf(spec + off, sizeof(spec) - off, ",10.0.0.%u/%x", i + 1, i);
	snprintf(spec + off, sizeof(spec) - off, " dst %lu.%lu.%lu.%lu%s",
		 line >> 24 & 255, line >> 16 & 255, line >> 8 & 255, line & 255,
		 replace ? " replace" : "");
	argc = cli_tokenize(spec, argv, CLI_MAX_WORDS);
	if (mtf_filter_args(argc, argv, cmd == MTF_CMD_FILTER_DEL, &f, &e) < 0)
		return -EINVAL;
	return mtf_batch_add(&batch, cmd, &f, line);
}

static void t_batch_split(void)
{
	unsigned long i, n = 3000;
	unsigned int bad = 0;
	int ret = 0;

	batch_start(MTF_BATCH_MSG_MAX);
	for (i = 1; i <= n && !ret; i++)
		ret = batch_filter(MTF_CMD_FILTER_ADD, i, false, 3);
	ret = ret ?: mtf_batch_flush(&batch);
	for (i = 0; i < n; i++)
		bad += sent.lines[i] != i + 1;
	tap_ok(!ret && sent.entries == n && !bad && sent.msgs > 1 &&
	       sent.max_len <= MTF_BATCH_MSG_MAX && sent.max_len > MTF_BATCH_MSG_MAX - 120 &&
	       batch.entries == n && batch.msgs == sent.msgs,
	       "%lu filters: %u messages filled to <= %u bytes (largest %u), in order",
	       n, sent.msgs, MTF_BATCH_MSG_MAX, sent.max_len);

	/* A small limit splits every few entries, 15-slot ones too. */
	batch_start(1024);
	for (i = 1, ret = 0; i <= 100 && !ret; i++)
		ret = batch_filter(MTF_CMD_FILTER_ADD, i, false, 15);
	ret = ret ?: mtf_batch_flush(&batch);
	tap_ok(!ret && sent.entries == 100 && sent.max_len <= 1024 && sent.msgs >= 34,
	       "limit 1024, 15-slot filters: %u messages, largest %u", sent.msgs, sent.max_len);

	/* An entry that cannot fit even alone. */
	batch_start(128);
	tap_ok(batch_filter(MTF_CMD_FILTER_ADD, 1, false, 15) == -EMSGSIZE && !sent.msgs,
	       "an entry larger than the limit: -EMSGSIZE, nothing sent");

	/* Kind changes: add, add replace, del each in their own message. */
	batch_start(MTF_BATCH_MSG_MAX);
	ret = batch_filter(MTF_CMD_FILTER_ADD, 1, false, 1);
	ret = ret ?: batch_filter(MTF_CMD_FILTER_ADD, 2, false, 1);
	ret = ret ?: batch_filter(MTF_CMD_FILTER_ADD, 3, true, 1);
	ret = ret ?: batch_filter(MTF_CMD_FILTER_DEL, 4, false, 1);
	ret = ret ?: batch_filter(MTF_CMD_FILTER_ADD, 5, false, 1);
	ret = ret ?: mtf_batch_flush(&batch);
	tap_ok(!ret && sent.msgs == 4 && sent.entries == 5 &&
	       sent.cmd[0] == MTF_CMD_FILTER_ADD && !sent.replace[0] &&
	       sent.cmd[1] == MTF_CMD_FILTER_ADD && sent.replace[1] &&
	       sent.cmd[2] == MTF_CMD_FILTER_DEL && !sent.replace[2] &&
	       sent.cmd[3] == MTF_CMD_FILTER_ADD,
	       "command or replace change starts a message; MTF_A_REPLACE only where asked");

	/* The kernel refuses entry 300 of 1000: its line is reported. */
	batch_start(MTF_BATCH_MSG_MAX);
	sent.fail_at = 300;
	for (i = 1, ret = 0; i <= 1000 && !ret; i++)
		ret = batch_filter(MTF_CMD_FILTER_ADD, 10 + i, false, 3);
	ret = ret ?: mtf_batch_flush(&batch);
	tap_ok(ret == -ENOSPC && batch.err_line == 310 && batch.err_line_last == 310 &&
	       batch.entries == 299,
	       "refused entry 300 (line 310): line from the extack offset, 299 applied (line %lu)",
	       batch.err_line);

	batch_start(MTF_BATCH_MSG_MAX);
	sent.fail_at = 2;
	sent.no_offs = true;
	for (i = 1, ret = 0; i <= 5 && !ret; i++)
		ret = batch_filter(MTF_CMD_FILTER_ADD, i, false, 1);
	ret = ret ?: mtf_batch_flush(&batch);
	tap_ok(ret == -ENOSPC && batch.err_line == 1 && batch.err_line_last == 5,
	       "without an offset: the message's lines, 1-5");

	batch_start(MTF_BATCH_MSG_MAX);
	tap_ok(mtf_batch_flush(&batch) == 0 && !sent.msgs, "flushing an empty batch sends nothing");
}

/* ---- replies: path, filter, config, dev, mark, events ------------- */

struct got {
	unsigned int devs, paths, filters;
	struct mtf_dev dev;
	struct mtf_path_ent path;
	struct mtf_filter_ent filter;
};

static struct got got;

static int got_dev(void *arg, const struct mtf_dev *d)
{
	(void)arg;
	got.dev = *d;
	got.devs++;
	return 0;
}

static int got_path(void *arg, const struct mtf_path_ent *p)
{
	(void)arg;
	got.path = *p;
	got.paths++;
	return 0;
}

static int got_filter(void *arg, const struct mtf_filter_ent *f)
{
	(void)arg;
	got.filter = *f;
	got.filters++;
	return 0;
}

static struct mtf_dump dump = { got_dev, got_path, got_filter, NULL, 0, false };

static int run_dump(size_t len)
{
	memset(&got, 0, sizeof(got));
	dump.n = 0;
	dump.intr = false;
	return process(len, mtf_dump_parse, &dump);
}

/* As the kernel's nla_put_u64_64bit(): a PAD attribute first when the
 * value would not be 8-byte aligned. */
static void put_u64_pad(struct nlmsghdr *nlh, uint16_t type, uint64_t v,
			uint16_t pad)
{
	if ((uintptr_t)((char *)mnl_nlmsg_get_payload_tail(nlh) + 4) % 8)
		mnl_attr_put(nlh, pad, 0, NULL);
	mnl_attr_put_u64(nlh, type, v);
}

static void put_slots(struct nlmsghdr *nlh, uint16_t type, unsigned int n,
		      bool extra)
{
	struct nlattr *list = mnl_attr_nest_start(nlh, type), *s;
	unsigned int i;

	for (i = 0; i < n; i++) {
		s = mnl_attr_nest_start(nlh, MTF_A_SLOT);
		mnl_attr_put_u32(nlh, MTF_SLOT_A_ADDR4, htonl(0x0a000000 + i));
		mnl_attr_put_u32(nlh, MTF_SLOT_A_MARK, htonl(0xf0000000 + i));
		if (extra)
			mnl_attr_put_u32(nlh, MTF_SLOT_A_MAX + 1, 1);
		mnl_attr_nest_end(nlh, s);
	}
	if (extra)	/* not a slot: skipped */
		mnl_attr_put_u32(nlh, MTF_A_SLOT + 1, 1);
	mnl_attr_nest_end(nlh, list);
}

static struct nlmsghdr *path_msg(unsigned int nslots, bool extra)
{
	struct nlmsghdr *nlh = msg_start(buf, MTF_CMD_PATH_GET, NLM_F_MULTI);
	struct nlattr *nest;

	if (extra)
		mnl_attr_put_u32(nlh, MTF_A_MAX + 5, 1);
	nest = mnl_attr_nest_start(nlh, MTF_A_PATH);
	put_slots(nlh, MTF_PATH_A_SLOTS, nslots, extra);
	mnl_attr_put_u8(nlh, MTF_PATH_A_SUFFIX, 1);
	put_u64_pad(nlh, MTF_PATH_A_PACKETS, 10, MTF_PATH_A_PAD);
	put_u64_pad(nlh, MTF_PATH_A_BYTES, 1000, MTF_PATH_A_PAD);
	put_u64_pad(nlh, MTF_PATH_A_RATE_PPS, 5, MTF_PATH_A_PAD);
	put_u64_pad(nlh, MTF_PATH_A_RATE_BPS, 40000, MTF_PATH_A_PAD);
	put_u64_pad(nlh, MTF_PATH_A_FIRST_MS, 12000, MTF_PATH_A_PAD);
	put_u64_pad(nlh, MTF_PATH_A_LAST_MS, UINT64_MAX, MTF_PATH_A_PAD);
	mnl_attr_put_u32(nlh, MTF_PATH_A_DST4, htonl(0x0a000901));
	if (extra) {
		mnl_attr_put_strz(nlh, MTF_PATH_A_MAX + 1, "newer");
		mnl_attr_put_u16(nlh, 200, 1);
	}
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static void t_path(void)
{
	struct nlmsghdr *nlh;
	unsigned int i;
	bool ok;
	int ret;

	for (i = 0; i < 2; i++) {
		nlh = path_msg(15, i);
		ret = run_dump(nlh->nlmsg_len);
		ok = ret == 1 && got.paths == 1 && got.path.slots.n == 15 &&
		     got.path.suffix && got.path.packets == 10 && got.path.bytes == 1000 &&
		     got.path.rate_pps == 5 && got.path.rate_bps == 40000 &&
		     got.path.first_ms == 12000 && got.path.last_ms == UINT64_MAX &&
		     got.path.dst == htonl(0x0a000901) &&
		     got.path.slots.s[14].mark == htonl(0xf000000e) &&
		     !memcmp(got.path.slots.s[14].addr, "\x0a\x00\x00\x0e", 4);
		tap_ok(ok, "path entry, 15 slots%s: every field (ret %d)",
		       i ? ", with attributes from a newer kernel" : "", ret);
	}

	/* Two entries in one message, as a kernel might pack them. */
	nlh = path_msg(2, false);
	memcpy(buf + nlh->nlmsg_len, mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN),
	       nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN);
	nlh->nlmsg_len += nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	nlh->nlmsg_flags |= NLM_F_DUMP_INTR;
	ret = run_dump(nlh->nlmsg_len);
	tap_ok(ret == 1 && got.paths == 2 && dump.n == 2 && dump.intr,
	       "two PATH nests in one message: both; NLM_F_DUMP_INTR noticed");
}

/* IPv6 slots are reserved in the uapi; shown if a kernel sends them. */
static void t_path_v6(void)
{
	static const uint8_t a6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	struct nlmsghdr *nlh = msg_start(buf, MTF_CMD_PATH_GET, NLM_F_MULTI);
	struct nlattr *nest = mnl_attr_nest_start(nlh, MTF_A_PATH), *list, *s;
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	bool ok;
	int ret;

	list = mnl_attr_nest_start(nlh, MTF_PATH_A_SLOTS);
	s = mnl_attr_nest_start(nlh, MTF_A_SLOT);
	mnl_attr_put(nlh, MTF_SLOT_A_ADDR6, 16, a6);
	mnl_attr_put_u32(nlh, MTF_SLOT_A_MARK, htonl(0xabc));
	mnl_attr_nest_end(nlh, s);
	mnl_attr_nest_end(nlh, list);
	mnl_attr_nest_end(nlh, nest);
	ret = run_dump(nlh->nlmsg_len);
	f = open_memstream(&text, &len);
	mtf_path_print(f, &got.path);
	fclose(f);
	ok = ret == 1 && got.path.slots.s[0].v6 && !strcmp(text, "2001:db8::1/0x00000abc\n");
	tap_ok(ok, "a path with an IPv6 slot prints it as 2001:db8::1/0x00000abc");
	free(text);
}

static void t_path_bad(void)
{
	static const char *const what[] = {
		"16 slots", "slot without a mark", "slot without an address",
		"ADDR6 of 4 bytes", "PACKETS as u32", "SUFFIX as u32",
		"PATH without SLOTS", "SLOTS nest longer than PATH",
		"garbage after the last slot", "PATH of 2 bytes",
		"slot that is not a nest",
	};
	struct nlmsghdr *nlh;
	struct nlattr *nest, *list, *s;
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(what); i++) {
		nlh = msg_start(buf, MTF_CMD_PATH_GET, NLM_F_MULTI);
		if (i == 9) {
			mnl_attr_put_u16(nlh, MTF_A_PATH, 1);
			goto run;
		}
		nest = mnl_attr_nest_start(nlh, MTF_A_PATH);
		if (i == 0)
			put_slots(nlh, MTF_PATH_A_SLOTS, 16, false);
		if (i >= 1 && i <= 3) {
			list = mnl_attr_nest_start(nlh, MTF_PATH_A_SLOTS);
			s = mnl_attr_nest_start(nlh, MTF_A_SLOT);
			if (i != 2)
				mnl_attr_put_u32(nlh, MTF_SLOT_A_ADDR4, 1);
			if (i == 3)
				mnl_attr_put_u32(nlh, MTF_SLOT_A_ADDR6, 1);
			if (i != 1)
				mnl_attr_put_u32(nlh, MTF_SLOT_A_MARK, 1);
			mnl_attr_nest_end(nlh, s);
			mnl_attr_nest_end(nlh, list);
		}
		if (i == 4 || i == 5 || i == 7 || i == 8)
			put_slots(nlh, MTF_PATH_A_SLOTS, 1, false);
		if (i == 4)
			mnl_attr_put_u32(nlh, MTF_PATH_A_PACKETS, 1);
		if (i == 5)
			mnl_attr_put_u32(nlh, MTF_PATH_A_SUFFIX, 1);
		if (i == 10) {
			list = mnl_attr_nest_start(nlh, MTF_PATH_A_SLOTS);
			mnl_attr_put_u16(nlh, MTF_A_SLOT, 1);
			mnl_attr_nest_end(nlh, list);
		}
		mnl_attr_nest_end(nlh, nest);
		if (i == 7)	/* the inner nest claims the outer's end and more */
			((struct nlattr *)((char *)nest + 4))->nla_len += 8;
		if (i == 8) {
			memcpy(mnl_nlmsg_get_payload_tail(nlh), "xyz", 3);
			((struct nlattr *)((char *)nest + 4))->nla_len += 3;
			nest->nla_len += 4;
			nlh->nlmsg_len += 4;
		}
run:
		ret = run_dump(nlh->nlmsg_len);
		tap_ok(ret == -EBADMSG && !got.paths, "path rejected: %s (ret %d)", what[i], ret);
	}
}

static void t_filter_reply(void)
{
	struct nlmsghdr *nlh = msg_start(buf, MTF_CMD_FILTER_GET, NLM_F_MULTI);
	struct nlattr *nest = mnl_attr_nest_start(nlh, MTF_A_FILTER);
	int ret;

	put_slots(nlh, MTF_FILTER_A_SLOTS, 3, true);
	mnl_attr_put_u32(nlh, MTF_FILTER_A_DST4, htonl(0x0a000901));
	mnl_attr_put_u8(nlh, MTF_FILTER_A_ACTION, MTF_FILTER_RATELIMIT);
	mnl_attr_put_u32(nlh, MTF_FILTER_A_SRC4, htonl(0xc0000200));
	mnl_attr_put_u8(nlh, MTF_FILTER_A_SRC_PLEN, 24);
	put_u64_pad(nlh, MTF_FILTER_A_RATE_PPS, 100, MTF_FILTER_A_PAD);
	put_u64_pad(nlh, MTF_FILTER_A_RATE_BPS, 1500000, MTF_FILTER_A_PAD);
	put_u64_pad(nlh, MTF_FILTER_A_EXPIRES_MS, 850, MTF_FILTER_A_PAD);
	put_u64_pad(nlh, MTF_FILTER_A_HITS, 12, MTF_FILTER_A_PAD);
	put_u64_pad(nlh, MTF_FILTER_A_BYTES, 960, MTF_FILTER_A_PAD);
	put_u64_pad(nlh, MTF_FILTER_A_DROPS, 2, MTF_FILTER_A_PAD);
	mnl_attr_put_u32(nlh, MTF_FILTER_A_OWNER, MTF_OWNER_MTFD);
	mnl_attr_put(nlh, MTF_FILTER_A_COOKIE, MTF_FILTER_COOKIE_MAX, C32);
	mnl_attr_put_u64(nlh, MTF_FILTER_A_MAX + 1, 5);
	mnl_attr_nest_end(nlh, nest);
	ret = run_dump(nlh->nlmsg_len);
	tap_ok(ret == 1 && got.filters == 1 && got.filter.owner == MTF_OWNER_MTFD &&
	       got.filter.cookie_len == MTF_FILTER_COOKIE_MAX &&
	       !memcmp(got.filter.cookie, C32, MTF_FILTER_COOKIE_MAX) &&
	       MTF_HAS(&got.filter, MTF_FILTER_A_OWNER) &&
	       MTF_HAS(&got.filter, MTF_FILTER_A_COOKIE),
	       "filter entry: OWNER and a 32-byte COOKIE, byte for byte");
	tap_ok(ret == 1 && got.filters == 1 && got.filter.slots.n == 3 &&
	       got.filter.src == htonl(0xc0000200) && got.filter.src_plen == 24 &&
	       got.filter.dst == htonl(0x0a000901) &&
	       got.filter.action == MTF_FILTER_RATELIMIT && got.filter.rate_pps == 100 &&
	       got.filter.rate_bps == 1500000 && got.filter.expires_ms == 850 &&
	       got.filter.hits == 12 && got.filter.bytes == 960 && got.filter.drops == 2,
	       "filter entry with padding and a newer attribute: every field");

	nlh = msg_start(buf, MTF_CMD_FILTER_GET, NLM_F_MULTI);
	nest = mnl_attr_nest_start(nlh, MTF_A_FILTER);
	put_slots(nlh, MTF_FILTER_A_SLOTS, 1, false);
	mnl_attr_put_u8(nlh, MTF_FILTER_A_SRC_PLEN, 33);
	mnl_attr_nest_end(nlh, nest);
	ret = run_dump(nlh->nlmsg_len);
	tap_ok(ret == -EBADMSG, "filter rejected: source prefix length 33");

	nlh = msg_start(buf, MTF_CMD_FILTER_GET, NLM_F_MULTI);
	nest = mnl_attr_nest_start(nlh, MTF_A_FILTER);
	mnl_attr_put_u32(nlh, MTF_FILTER_A_DST4, 1);
	mnl_attr_nest_end(nlh, nest);
	ret = run_dump(nlh->nlmsg_len);
	tap_ok(ret == -EBADMSG, "filter rejected: no SLOTS");

	nlh = msg_start(buf, MTF_CMD_FILTER_GET, NLM_F_MULTI);
	nest = mnl_attr_nest_start(nlh, MTF_A_FILTER);
	put_slots(nlh, MTF_FILTER_A_SLOTS, 1, false);
	mnl_attr_put_u16(nlh, MTF_FILTER_A_HITS, 1);
	mnl_attr_nest_end(nlh, nest);
	ret = run_dump(nlh->nlmsg_len);
	tap_ok(ret == -EBADMSG, "filter rejected: HITS of 2 bytes");

	nlh = msg_start(buf, MTF_CMD_FILTER_GET, NLM_F_MULTI);
	nest = mnl_attr_nest_start(nlh, MTF_A_FILTER);
	put_slots(nlh, MTF_FILTER_A_SLOTS, 1, false);
	mnl_attr_put(nlh, MTF_FILTER_A_COOKIE, MTF_FILTER_COOKIE_MAX + 1, C32 "x");
	mnl_attr_nest_end(nlh, nest);
	ret = run_dump(nlh->nlmsg_len);
	tap_ok(ret == -EBADMSG && !got.filters, "filter rejected: COOKIE of 33 bytes");

	nlh = msg_start(buf, MTF_CMD_FILTER_GET, NLM_F_MULTI);
	nest = mnl_attr_nest_start(nlh, MTF_A_FILTER);
	put_slots(nlh, MTF_FILTER_A_SLOTS, 1, false);
	mnl_attr_put(nlh, MTF_FILTER_A_COOKIE, 0, NULL);
	mnl_attr_nest_end(nlh, nest);
	ret = run_dump(nlh->nlmsg_len);
	tap_ok(ret == -EBADMSG && !got.filters, "filter rejected: empty COOKIE");

	nlh = msg_start(buf, MTF_CMD_FILTER_GET, NLM_F_MULTI);
	nest = mnl_attr_nest_start(nlh, MTF_A_FILTER);
	put_slots(nlh, MTF_FILTER_A_SLOTS, 1, false);
	mnl_attr_put_u16(nlh, MTF_FILTER_A_OWNER, 1);
	mnl_attr_nest_end(nlh, nest);
	ret = run_dump(nlh->nlmsg_len);
	tap_ok(ret == -EBADMSG && !got.filters, "filter rejected: OWNER of 2 bytes");
}

static void t_config(void)
{
	struct nlmsghdr *nlh = msg_start(buf, MTF_CMD_CONFIG_GET, 0);
	struct nlattr *nest;
	struct mtf_cfg c, in;
	char line[256], *argv[CLI_MAX_WORDS];
	struct mtf_perr e;
	int ret, argc;

	mnl_attr_put_u32(nlh, MTF_A_MAX + 1, 1);
	nest = mnl_attr_nest_start(nlh, MTF_A_CONFIG);
	mnl_attr_put_u32(nlh, MTF_CFG_A_ROUTER_ADDR4, htonl(0x0a000001));
	mnl_attr_put_u8(nlh, MTF_CFG_A_SLOTS, 15);
	mnl_attr_put_u32(nlh, MTF_CFG_A_KEY_GRACE_MS, 60000);
	mnl_attr_put_u8(nlh, MTF_CFG_A_SUFFIX_LEN, 2);
	mnl_attr_put_u32(nlh, MTF_CFG_A_PATH_MAX, 65536);
	mnl_attr_put_u32(nlh, MTF_CFG_A_PATH_RATE_THRESH, 1000);
	mnl_attr_put_u32(nlh, MTF_CFG_A_FILTER_MAX, 1000000);
	mnl_attr_put_u32(nlh, MTF_CFG_A_FILTER_TIMEOUT_MS, 1000);
	mnl_attr_put_u32(nlh, MTF_CFG_A_PATHS, 3);
	mnl_attr_put_u32(nlh, MTF_CFG_A_FILTERS, 4);
	mnl_attr_put_u32(nlh, MTF_CFG_A_KEY_ID, 5);
	mnl_attr_put_strz(nlh, MTF_CFG_A_MAX + 1, "newer");
	mnl_attr_nest_end(nlh, nest);
	memset(&c, 0, sizeof(c));
	ret = process(nlh->nlmsg_len, mtf_cfg_parse, &c);
	tap_ok(ret == 1 && c.router_addr == htonl(0x0a000001) && c.slots == 15 &&
	       c.key_grace_ms == 60000 && c.suffix_len == 2 && c.path_max == 65536 &&
	       c.path_rate_thresh == 1000 && c.filter_max == 1000000 &&
	       c.filter_timeout_ms == 1000 && c.paths == 3 && c.filters == 4 &&
	       c.key_id == 5 && c.has == 0xffe,
	       "config reply with newer attributes: every field");

	/* config set words -> CONFIG_SET -> parsed back: what was given only. */
	argc = words("slots 4 router-addr 10.0.0.9 filter-timeout 2s path-rate-threshold 1k",
		     line, sizeof(line), argv);
	ret = mtf_cfg_args(argc, argv, &in, &e);
	nlh = msg_start(buf, MTF_CMD_CONFIG_SET, 0);
	mtf_cfg_put(nlh, &in);
	ret = ret ?: process(nlh->nlmsg_len, mtf_cfg_parse, &c);
	tap_ok(ret == 1 && c.has == in.has && c.slots == 4 &&
	       c.router_addr == htonl(0x0a000009) && c.filter_timeout_ms == 2000 &&
	       c.path_rate_thresh == 1000 &&
	       c.has == ((1u << MTF_CFG_A_SLOTS) | (1u << MTF_CFG_A_ROUTER_ADDR4) |
			 (1u << MTF_CFG_A_FILTER_TIMEOUT_MS) |
			 (1u << MTF_CFG_A_PATH_RATE_THRESH)),
	       "config set: built, parsed back, only the settings given");

	nlh = msg_start(buf, MTF_CMD_CONFIG_GET, 0);
	nest = mnl_attr_nest_start(nlh, MTF_A_CONFIG);
	mnl_attr_put_u32(nlh, MTF_CFG_A_SLOTS, 15);
	mnl_attr_nest_end(nlh, nest);
	tap_ok(process(nlh->nlmsg_len, mtf_cfg_parse, &c) == -EBADMSG,
	       "config rejected: SLOTS as u32");
	nlh = msg_start(buf, MTF_CMD_CONFIG_GET, 0);
	tap_ok(process(nlh->nlmsg_len, mtf_cfg_parse, &c) == -EBADMSG,
	       "config rejected: no CONFIG nest");
	nlh = msg_start(buf, MTF_CMD_CONFIG_GET, 0);
	mnl_attr_put_u32(nlh, MTF_A_CONFIG, 0);
	tap_ok(process(nlh->nlmsg_len, mtf_cfg_parse, &c) == -EBADMSG,
	       "config rejected: CONFIG of 4 bytes, not a nest");
}

static void t_dev_mark(void)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	struct mtf_mark m = { 0 };
	int ret;

	nlh = msg_start(buf, MTF_CMD_DEV_GET, NLM_F_MULTI);
	nest = mnl_attr_nest_start(nlh, MTF_A_DEV);
	mnl_attr_put_u32(nlh, MTF_DEV_A_IFINDEX, 7);
	mnl_attr_put_strz(nlh, MTF_DEV_A_IFNAME, "veth-r1");
	mnl_attr_put_u32(nlh, MTF_DEV_A_FLAGS, MTF_DEV_F_ALL | 0x100);
	mnl_attr_put_u32(nlh, MTF_DEV_A_MAX + 1, 1);
	mnl_attr_nest_end(nlh, nest);
	ret = run_dump(nlh->nlmsg_len);
	tap_ok(ret == 1 && got.devs == 1 && got.dev.ifindex == 7 &&
	       !strcmp(got.dev.ifname, "veth-r1") && got.dev.flags == (MTF_DEV_F_ALL | 0x100),
	       "dev entry with a newer attribute and role bit");

	nlh = msg_start(buf, MTF_CMD_DEV_GET, NLM_F_MULTI);
	nest = mnl_attr_nest_start(nlh, MTF_A_DEV);
	mnl_attr_put_strz(nlh, MTF_DEV_A_IFNAME, "x");
	mnl_attr_nest_end(nlh, nest);
	tap_ok(run_dump(nlh->nlmsg_len) == -EBADMSG, "dev rejected: no IFINDEX");

	nlh = msg_start(buf, MTF_CMD_DEV_GET, NLM_F_MULTI);
	nest = mnl_attr_nest_start(nlh, MTF_A_DEV);
	mnl_attr_put_u32(nlh, MTF_DEV_A_IFINDEX, 1);
	mnl_attr_put(nlh, MTF_DEV_A_IFNAME, 2, "lo");
	mnl_attr_nest_end(nlh, nest);
	tap_ok(run_dump(nlh->nlmsg_len) == -EBADMSG, "dev rejected: IFNAME without NUL");

	nlh = msg_start(buf, MTF_CMD_MARK_GET, 0);
	mnl_attr_put_u32(nlh, MTF_A_MARK, htonl(0x1a2b3c4d));
	ret = process(nlh->nlmsg_len, mtf_mark_parse, &m);
	tap_ok(ret == 1 && m.has_mark && m.mark == 0x1a2b3c4d && !m.has_prev,
	       "mark reply without a previous key: mark only");
	nlh = msg_start(buf, MTF_CMD_MARK_GET, 0);
	mnl_attr_put_u16(nlh, MTF_A_MARK_PREV, 1);
	tap_ok(process(nlh->nlmsg_len, mtf_mark_parse, &m) == -EBADMSG,
	       "mark rejected: MARK_PREV of 2 bytes");
}

/* Streamed JSON lists are valid JSON whether empty, one or many. */
static void t_out_list(void)
{
	static const char *const want[] = {
		"[]\n", "[{\"a\":0}]\n", "[{\"a\":0},{\"a\":1}]\n",
		"[]\n", "[\n  {\n    \"a\": 0\n  }\n]\n",
	};
	char *text = NULL;
	size_t len = 0;
	struct out o;
	unsigned int i, n, bad = 0;
	FILE *f;

	for (i = 0; i < ARRAY_SIZE(want); i++) {
		f = open_memstream(&text, &len);
		out_init(&o, f, true, i >= 3);
		out_list_begin(&o);
		for (n = 0; n < (i >= 3 ? i - 3 : i); n++) {
			out_u64(&o, "a", n);
			out_list_elem(&o);
		}
		out_list_end(&o, false);
		fclose(f);
		if (strcmp(text, want[i])) {
			printf("# got '%s'\n", text);
			bad++;
		}
		free(text);
	}
	f = open_memstream(&text, &len);
	out_init(&o, f, true, false);
	out_list_begin(&o);
	out_list_end(&o, true);
	fclose(f);
	bad += !!len;
	free(text);
	tap_ok(!bad, "JSON lists: empty, one, two, pretty; nothing when failing at once");
}

int main(void)
{
	tap_plan(58);
	t_values();
	t_formats();
	t_tokenize();
	t_filter_roundtrip();
	t_batch_split();
	t_path();
	t_path_v6();
	t_path_bad();
	t_filter_reply();
	t_config();
	t_dev_mark();
	t_out_list();
	return tap_done();
}
