// SPDX-License-Identifier: GPL-2.0
/*
 * roamctl's gate, client and monitor code without a kernel:
 *  - the word parsers (ports, rates, address lists) from tables;
 *  - requests built from command lines and parsed back;
 *  - replies and events built as roam.ko builds them, parsed and printed;
 *  - whole command lines against a recording mock (mock_roam.c):
 *    exit status 0/1/2, what went to the kernel, what was printed.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mock_roam.h"
#include "tap.h"
#include "util.h"
#include "../roamctl/roamctl.h"

static uint32_t A(const char *s)
{
	return inet_addr(s);
}

/* ------------------------------------------------------------ parsers */

static void t_ports(void)
{
	static const struct {
		const char *in;
		int ret;
		unsigned int n;
		uint32_t first, last;
	} cases[] = {
		{ "tcp/21", 0, 1, 6 << 16 | 21, 6 << 16 | 21 },
		{ "udp/53,tcp/5201", 0, 2, 17 << 16 | 53, 6 << 16 | 5201 },
		{ "tcp", 0, 1, 6 << 16, 6 << 16 },
		{ "icmp", 0, 1, 1 << 16, 1 << 16 },
		{ "132/9899", 0, 1, 132 << 16 | 9899, 132 << 16 | 9899 },
		{ "sctp/0", 0, 1, 132 << 16, 132 << 16 },
		{ "all", 0, 0, 0, 0 },
		{ "tcp/65536", -EINVAL, 0, 0, 0 },
		{ "tcp/-1", -EINVAL, 0, 0, 0 },
		{ "foo/1", -EINVAL, 0, 0, 0 },
		{ "0/1", -EINVAL, 0, 0, 0 },
		{ "256/1", -EINVAL, 0, 0, 0 },
		{ "tcp/", -EINVAL, 0, 0, 0 },
		{ "", -EINVAL, 0, 0, 0 },
		{ "tcp/21,", -EINVAL, 0, 0, 0 },
		{ ",tcp/21", -EINVAL, 0, 0, 0 },
		{ "tcp/2 1", -EINVAL, 0, 0, 0 },
		{ "tcp/1,tcp/2,tcp/3,tcp/4,tcp/5,tcp/6,tcp/7,tcp/8,tcp/9,tcp/10,"
		  "tcp/11,tcp/12,tcp/13,tcp/14,tcp/15,tcp/16,tcp/17", -ERANGE, 0, 0, 0 },
	};
	uint32_t p[ROAM_PORTS_MAX];
	unsigned int i, n;
	int ret;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ret = roam_parse_ports(cases[i].in, p, ROAM_PORTS_MAX, &n);
		tap_ok(ret == cases[i].ret &&
		       (ret || (n == cases[i].n &&
				(!n || (p[0] == cases[i].first &&
					p[n - 1] == cases[i].last)))),
		       "ports '%.30s': %d (got %d)", cases[i].in, cases[i].ret, ret);
	}
}

static void t_bps(void)
{
	static const struct {
		const char *in;
		int ret;
		uint64_t v;
	} cases[] = {
		{ "1000", 0, 1000 },
		{ "64bit", 0, 64 },
		{ "3kbit", 0, 3000 },
		{ "2mbit", 0, 2000000 },
		{ "5Mbit", 0, 5000000 },
		{ "1gbit", 0, 1000000000 },
		{ "0", 0, 0 },
		{ "18446744073709551615", 0, UINT64_MAX },
		{ "18446744073709551615kbit", -ERANGE, 0 },
		{ "18446744073709551616", -ERANGE, 0 },
		{ "2mb", -EINVAL, 0 },
		{ "-1", -EINVAL, 0 },
		{ "mbit", -EINVAL, 0 },
		{ "", -EINVAL, 0 },
	};
	unsigned int i;
	uint64_t v;
	int ret;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		v = 0;
		ret = roam_parse_bps(cases[i].in, &v);
		tap_ok(ret == cases[i].ret && (ret || v == cases[i].v),
		       "bps '%s': %d %llu (got %d %llu)", cases[i].in,
		       cases[i].ret, (unsigned long long)cases[i].v, ret,
		       (unsigned long long)v);
	}
}

static void t_addrs(void)
{
	uint32_t a[ROAM_POOL_MAX];
	char big[ROAM_POOL_MAX * 16 + 32], out[ROAM_POOL_MAX * 16 + 8];
	unsigned int n, i;
	size_t off = 0;

	tap_ok(!roam_parse_addr_list("10.0.0.1,10.0.0.2", a, ROAM_POOL_MAX, &n) &&
	       n == 2 && a[0] == A("10.0.0.1") && a[1] == A("10.0.0.2"),
	       "address list: two addresses in order");
	tap_ok(!roam_parse_addr_list("none", a, ROAM_POOL_MAX, &n) && n == 0,
	       "address list: none is empty");
	tap_ok(roam_parse_addr_list("10.0.0.1,", a, ROAM_POOL_MAX, &n) == -EINVAL &&
	       roam_parse_addr_list("10.0.0.256", a, ROAM_POOL_MAX, &n) == -EINVAL &&
	       roam_parse_addr_list("host.example", a, ROAM_POOL_MAX, &n) == -EINVAL &&
	       roam_parse_addr_list("", a, ROAM_POOL_MAX, &n) == -EINVAL,
	       "address list: trailing comma, bad octet, names, empty refused");
	for (i = 0; i <= ROAM_POOL_MAX; i++)
		off += snprintf(big + off, sizeof(big) - off, "%s10.0.%u.%u",
				i ? "," : "", i / 200, i % 200 + 1);
	tap_ok(roam_parse_addr_list(big, a, ROAM_POOL_MAX, &n) == -ERANGE,
	       "address list: %d addresses is one too many", ROAM_POOL_MAX + 1);
	big[strlen(big) - strlen(",10.0.0.65")] = '\0';
	tap_ok(!roam_parse_addr_list(big, a, ROAM_POOL_MAX, &n) &&
	       n == ROAM_POOL_MAX, "address list: %d addresses fit", ROAM_POOL_MAX);
	roam_format_addrs(a, n, out, sizeof(out));
	tap_ok(!strcmp(out, big), "address list: formats back to the same words");
}

/* ----------------------------------------------------- round trips */

static char buf[65536] __attribute__((aligned(8)));

static const struct nlattr *only_attr(const struct nlmsghdr *nlh, uint16_t type)
{
	const struct nlattr *a;

	mnl_attr_for_each(a, nlh, GENL_HDRLEN)
		if (mnl_attr_get_type(a) == type)
			return a;
	return NULL;
}

static void t_gate_request(void)
{
	char *argv[] = { "pool", "10.0.0.1,10.0.0.2,10.0.0.3", "ports", "tcp/21,udp/53",
			 "active", "10.0.0.2", "window", "2500", "epoch", "18446744073709551615",
			 "attack-pps", "1000", "client-max", "4096" };
	struct roam_gate g, back;
	struct nlmsghdr *nlh;
	const struct nlattr *nest;
	char err[128];
	int ret;

	ret = roam_gate_args(&g, ARRAY_SIZE(argv), argv, err, sizeof(err));
	nlh = genl_msg_start(buf, MOCK_ROAM_FAM, 0, ROAM_CMD_GATE_SET, 1);
	roam_gate_put(nlh, &g);
	nest = only_attr(nlh, ROAM_A_GATE);
	ret = ret ?: (nest ? roam_gate_parse_nest(nest, &back) : -ENOENT);
	tap_ok(!ret && back.has == (ROAM_GF_POOL | ROAM_GF_PORTS | ROAM_GF_ACTIVE |
				    ROAM_GF_WINDOW | ROAM_GF_EPOCH |
				    ROAM_GF_ATTACK_PPS | ROAM_GF_CLIENT_MAX) &&
	       back.n_pool == 3 && back.pool[2] == A("10.0.0.3") &&
	       back.n_ports == 2 && back.ports[1] == (17 << 16 | 53) &&
	       back.active == A("10.0.0.2") && back.window_ms == 2500 &&
	       back.epoch == UINT64_MAX && back.attack_pps == 1000 &&
	       back.client_max == 4096,
	       "gate set: every setting round-trips through the request (ret %d)", ret);

	ret = roam_gate_args(&g, 2, (char *[]){ "ports", "all" }, err, sizeof(err));
	nlh = genl_msg_start(buf, MOCK_ROAM_FAM, 0, ROAM_CMD_GATE_SET, 1);
	roam_gate_put(nlh, &g);
	nest = only_attr(nlh, ROAM_A_GATE);
	ret = ret ?: roam_gate_parse_nest(nest, &back);
	tap_ok(!ret && back.has == ROAM_GF_PORTS && back.n_ports == 0 &&
	       mnl_attr_get_payload_len(nest) == sizeof(struct nlattr),
	       "gate set ports all: an empty PORTS nest and nothing else");
}

static void t_gate_args_bad(void)
{
	static const struct {
		int argc;
		char *argv[4];
		const char *msg;
	} cases[] = {
		{ 0, { NULL }, "at least one" },
		{ 1, { "pool" }, "'pool' needs a value" },
		{ 2, { "bogus", "1" }, "unknown gate setting 'bogus'" },
		{ 4, { "epoch", "1", "epoch", "2" }, "'epoch' given twice" },
		{ 2, { "window", "1s" }, "bad window" },
		{ 2, { "active", "10.0.0" }, "bad active address" },
		{ 2, { "client-max", "0" }, "bad client-max" },
		{ 2, { "attack-pps", "4294967296" }, "bad attack-pps" },
		{ 2, { "ports", "tcp/99999" }, "bad ports" },
	};
	struct roam_gate g;
	char err[128];
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		err[0] = '\0';
		ret = roam_gate_args(&g, cases[i].argc, cases[i].argv, err,
				     sizeof(err));
		tap_ok(ret == -EINVAL && strstr(err, cases[i].msg),
		       "gate set refuses: %s (got '%s')", cases[i].msg, err);
	}
}

/* A GATE_GET reply as roam.ko builds it (netlink.c put_gate()). */
static size_t put_gate_reply(char *at, uint32_t seq, uint32_t portid)
{
	struct nlmsghdr *nlh = genl_msg_start(at, MOCK_ROAM_FAM, 0,
					      ROAM_CMD_GATE_GET, 1);
	struct nlattr *nest, *list;

	nlh->nlmsg_flags = 0;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = portid;
	nest = mnl_attr_nest_start(nlh, ROAM_A_GATE);
	list = mnl_attr_nest_start(nlh, ROAM_GATE_A_POOL);
	mnl_attr_put_u32(nlh, ROAM_GATE_A_ADDR4, A("10.0.21.1"));
	mnl_attr_put_u32(nlh, ROAM_GATE_A_ADDR4, A("10.0.22.1"));
	mnl_attr_nest_end(nlh, list);
	list = mnl_attr_nest_start(nlh, ROAM_GATE_A_PORTS);
	mnl_attr_put_u32(nlh, ROAM_GATE_A_PORT, 6 << 16 | 21);
	mnl_attr_put_u32(nlh, ROAM_GATE_A_PORT, 200 << 16);
	mnl_attr_nest_end(nlh, list);
	mnl_attr_put_u32(nlh, ROAM_GATE_A_ACTIVE4, A("10.0.22.1"));
	mnl_attr_put_u32(nlh, ROAM_GATE_A_PREV4, A("10.0.21.1"));
	mnl_attr_put_u32(nlh, ROAM_GATE_A_WINDOW_MS, 1000);
	mnl_attr_put_u32(nlh, ROAM_GATE_A_WINDOW_LEFT_MS, 420);
	mnl_attr_put(nlh, ROAM_GATE_A_PAD, 0, NULL);
	mnl_attr_put_u64(nlh, ROAM_GATE_A_EPOCH, 77);
	mnl_attr_put_u32(nlh, ROAM_GATE_A_ATTACK_PPS, 0);
	mnl_attr_put_u32(nlh, ROAM_GATE_A_CLIENTS, 3);
	mnl_attr_put_u32(nlh, ROAM_GATE_A_CLIENT_MAX, 65536);
	mnl_attr_put_u32(nlh, ROAM_GATE_A_MAX + 3, 1);	/* from the future */
	mnl_attr_nest_end(nlh, nest);
	return nlh->nlmsg_len;
}

static void t_gate_reply(void)
{
	static struct genl_sock gs;
	struct roam_gate g = { 0 };
	struct nlmsghdr *nlh;
	struct nlattr *nest, *list;
	unsigned int i;
	int ret;

	gs.seq = 5;
	gs.portid = 6;
	ret = genl_process(&gs, buf, put_gate_reply(buf, 5, 6),
			   roam_gate_parse, &g);
	tap_ok(ret == 1 && g.n_pool == 2 && g.pool[1] == A("10.0.22.1") &&
	       g.n_ports == 2 && g.ports[1] == 200u << 16 &&
	       g.active == A("10.0.22.1") && g.prev == A("10.0.21.1") &&
	       g.window_left_ms == 420 && g.epoch == 77 && g.clients == 3 &&
	       g.client_max == 65536 && !(g.has & ROAM_GF_DROP_RATE),
	       "GATE_GET reply: every field, unknown attribute ignored (ret %d)", ret);

	/* A pool address of the wrong size is a broken message. */
	nlh = genl_msg_start(buf, MOCK_ROAM_FAM, 0, ROAM_CMD_GATE_GET, 1);
	nest = mnl_attr_nest_start(nlh, ROAM_A_GATE);
	list = mnl_attr_nest_start(nlh, ROAM_GATE_A_POOL);
	mnl_attr_put_u16(nlh, ROAM_GATE_A_ADDR4, 1);
	mnl_attr_nest_end(nlh, list);
	mnl_attr_nest_end(nlh, nest);
	tap_ok(roam_gate_parse(nlh, &g) == -EBADMSG, "pool address of 2 bytes: -EBADMSG");

	nlh = genl_msg_start(buf, MOCK_ROAM_FAM, 0, ROAM_CMD_GATE_GET, 1);
	nest = mnl_attr_nest_start(nlh, ROAM_A_GATE);
	list = mnl_attr_nest_start(nlh, ROAM_GATE_A_POOL);
	for (i = 0; i <= ROAM_POOL_MAX; i++)
		mnl_attr_put_u32(nlh, ROAM_GATE_A_ADDR4, i + 1);
	mnl_attr_nest_end(nlh, list);
	mnl_attr_nest_end(nlh, nest);
	tap_ok(roam_gate_parse(nlh, &g) == -E2BIG, "pool of %d: -E2BIG, no overflow",
	       ROAM_POOL_MAX + 1);

	nlh = genl_msg_start(buf, MOCK_ROAM_FAM, 0, ROAM_CMD_GATE_GET, 1);
	tap_ok(roam_gate_parse(nlh, &g) == -EBADMSG, "reply without ROAM_A_GATE: -EBADMSG");
}

static void t_client_roundtrip(void)
{
	char *argv[] = { "10.0.3.1", "state", "warned", "rate", "bps", "2mbit", "pps", "150" };
	struct roam_client c, back;
	const struct nlattr *nest;
	struct nlmsghdr *nlh;
	char err[128];
	int ret;

	ret = roam_client_args(&c, ARRAY_SIZE(argv), argv, err, sizeof(err));
	nlh = genl_msg_start(buf, MOCK_ROAM_FAM, 0, ROAM_CMD_CLIENT_SET, 1);
	roam_client_put(nlh, &c);
	nest = only_attr(nlh, ROAM_A_CLIENT);
	ret = ret ?: roam_client_parse_nest(nest, &back);
	tap_ok(!ret && back.addr == A("10.0.3.1") && back.state == ROAM_CLIENT_WARNED &&
	       back.rate_pps == 150 && back.rate_bps == 2000000 &&
	       back.has == (ROAM_CF_ADDR | ROAM_CF_STATE | ROAM_CF_PPS | ROAM_CF_BPS),
	       "client set: address, state and both rates round-trip (ret %d)", ret);

	ret = roam_client_args(&c, 3, (char *[]){ "10.0.3.1", "rate", "none" },
			       err, sizeof(err));
	tap_ok(!ret && c.has == (ROAM_CF_ADDR | ROAM_CF_PPS | ROAM_CF_BPS) &&
	       !c.rate_pps && !c.rate_bps && !(c.has & ROAM_CF_STATE),
	       "client set ADDR rate none: both rates 0, state untouched");

	ret = roam_client_args(&c, 1, (char *[]){ "10.0.3.1" }, err, sizeof(err));
	tap_ok(!ret && c.has == ROAM_CF_ADDR, "client set ADDR alone: creates with defaults");
}

static void t_client_args_bad(void)
{
	static const struct {
		int argc;
		char *argv[6];
		const char *msg;
	} cases[] = {
		{ 0, { NULL }, "address missing" },
		{ 1, { "0.0.0.0" }, "bad client address" },
		{ 1, { "10.1" }, "bad client address" },
		{ 3, { "10.0.0.1", "state", "evil" }, "state wants" },
		{ 2, { "10.0.0.1", "state" }, "state wants" },
		{ 2, { "10.0.0.1", "rate" }, "rate wants" },
		{ 4, { "10.0.0.1", "rate", "pps", "x" }, "pps wants" },
		{ 4, { "10.0.0.1", "rate", "bps", "9tbit" }, "bps wants" },
		{ 6, { "10.0.0.1", "rate", "pps", "1", "pps", "2" }, "unknown client setting 'pps'" },
		{ 2, { "10.0.0.1", "burst" }, "unknown client setting 'burst'" },
	};
	struct roam_client c;
	char err[128];
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		err[0] = '\0';
		ret = roam_client_args(&c, cases[i].argc, cases[i].argv, err,
				       sizeof(err));
		tap_ok(ret == -EINVAL && strstr(err, cases[i].msg),
		       "client set refuses: %s (got '%s')", cases[i].msg, err);
	}
}

static struct nlmsghdr *put_client_msg(char *at, uint8_t cmd, uint32_t seq,
				       uint32_t portid, const char *addr,
				       uint8_t state)
{
	struct nlmsghdr *nlh = genl_msg_start(at, MOCK_ROAM_FAM, 0, cmd, 1);
	struct nlattr *nest;

	nlh->nlmsg_flags = cmd == ROAM_CMD_CLIENT_GET ? NLM_F_MULTI : 0;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = portid;
	nest = mnl_attr_nest_start(nlh, ROAM_A_CLIENT);
	mnl_attr_put_u32(nlh, ROAM_CLIENT_A_ADDR4, A(addr));
	if (state) {
		mnl_attr_put_u8(nlh, ROAM_CLIENT_A_STATE, state);
		mnl_attr_put_u64(nlh, ROAM_CLIENT_A_RATE_PPS, 20);
		mnl_attr_put_u64(nlh, ROAM_CLIENT_A_RATE_BPS, 0);
		mnl_attr_put_u64(nlh, ROAM_CLIENT_A_PACKETS, 300);
		mnl_attr_put_u64(nlh, ROAM_CLIENT_A_BYTES, 9000);
		mnl_attr_put_u64(nlh, ROAM_CLIENT_A_DROPS, 270);
		mnl_attr_put_u64(nlh, ROAM_CLIENT_A_VIOLATIONS, 1);
	}
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

/* Render o into a string, JSON or text. */
static const char *render(struct out *o, bool json, int (*fill)(struct out *o))
{
	static char *text;
	size_t len;
	FILE *f;

	free(text);
	text = NULL;
	f = open_memstream(&text, &len);
	out_init(o, f, json, false);
	if (fill(o) < 0)
		fprintf(f, "FILL FAILED");
	out_flush(o);
	fclose(f);
	return text;
}

static const struct nlmsghdr *ev_msg;

static int fill_event(struct out *o)
{
	return roam_event_out(o, ev_msg);
}

static void t_events(void)
{
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	const char *s;
	struct out o;

	ev_msg = put_client_msg(buf, ROAM_CMD_EVENT_CLIENT_VIOLATION, 0, 0,
				"10.0.3.1", ROAM_CLIENT_ALLOWED);
	s = render(&o, true, fill_event);
	tap_ok(!strcmp(s, "{\"event\":\"client_violation\",\"addr\":\"10.0.3.1\","
		       "\"state\":\"allowed\",\"rate_pps\":20,\"rate_bps\":0,\"packets\":300,"
		       "\"bytes\":9000,\"drops\":270,\"violations\":1}\n"),
	       "violation event as one JSON line");
	if (strncmp(s, "{\"event\"", 8))
		printf("# got: %s", s);

	/* A client deleted before its event went out: address only. */
	ev_msg = put_client_msg(buf, ROAM_CMD_EVENT_CLIENT_VIOLATION, 0, 0,
				"10.0.3.9", 0);
	s = render(&o, true, fill_event);
	tap_ok(!strcmp(s, "{\"event\":\"client_violation\",\"addr\":\"10.0.3.9\"}\n"),
	       "violation event of a deleted client: address only");

	nlh = genl_msg_start(buf, MOCK_ROAM_FAM, 0, ROAM_CMD_EVENT_ATTACK, 1);
	nest = mnl_attr_nest_start(nlh, ROAM_A_GATE);
	mnl_attr_put_u64(nlh, ROAM_GATE_A_DROP_RATE, 12345);
	mnl_attr_put_u32(nlh, ROAM_GATE_A_ATTACK_PPS, 1000);
	mnl_attr_put_u32(nlh, ROAM_GATE_A_ACTIVE4, A("10.0.22.1"));
	mnl_attr_put_u64(nlh, ROAM_GATE_A_EPOCH, 9);
	mnl_attr_nest_end(nlh, nest);
	ev_msg = nlh;
	s = render(&o, true, fill_event);
	tap_ok(!strcmp(s, "{\"event\":\"attack\",\"active\":\"10.0.22.1\",\"epoch\":9,"
		       "\"attack_pps\":1000,\"drop_rate\":12345}\n"),
	       "attack event as one JSON line");

	nlh = genl_msg_start(buf, MOCK_ROAM_FAM, 0, ROAM_CMD_EVENT_ATTACK, 1);
	ev_msg = nlh;
	tap_ok(roam_event_out(&o, nlh) == -EBADMSG, "attack event without its nest: -EBADMSG");
	out_free(&o);
	nlh = genl_msg_start(buf, MOCK_ROAM_FAM, 0, ROAM_CMD_MAX + 1, 1);
	tap_ok(roam_event_out(&o, nlh) == 0, "an event from a newer kernel is skipped");
	out_free(&o);
}

/* ------------------------------------------------------- command lines */

static char out_buf[16384], err_buf[16384];

static void slurp(FILE *f, char *b, size_t len)
{
	size_t n;

	rewind(f);
	n = fread(b, 1, len - 1, f);
	b[n] = '\0';
	fclose(f);
}

static int run(char **argv)
{
	FILE *fo = tmpfile(), *fe = tmpfile();
	int so, se, argc, rc;

	if (!fo || !fe)
		exit(1);
	for (argc = 0; argv[argc]; argc++)
		;
	fflush(stdout);
	fflush(stderr);
	so = dup(1);
	se = dup(2);
	dup2(fileno(fo), 1);
	dup2(fileno(fe), 2);
	rc = roamctl_main(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(so, 1);
	dup2(se, 2);
	close(so);
	close(se);
	slurp(fo, out_buf, sizeof(out_buf));
	slurp(fe, err_buf, sizeof(err_buf));
	return rc;
}

static size_t reply_two_clients(char *at, uint32_t seq, uint32_t portid)
{
	struct nlmsghdr *nlh;
	size_t len;

	nlh = put_client_msg(at, ROAM_CMD_CLIENT_GET, seq, portid, "10.0.1.1",
			     ROAM_CLIENT_BLOCKED);
	len = nlh->nlmsg_len;
	nlh = put_client_msg(at + len, ROAM_CMD_CLIENT_GET, seq, portid,
			     "10.0.3.1", 9);
	return len + nlh->nlmsg_len;
}

struct ccase {
	int rc;
	size_t (*reply)(char *at, uint32_t seq, uint32_t portid);
	int err;
	char *argv[12];
	const char *out, *errs;
	uint8_t cmd;		/* request the kernel must have seen; 0: none */
};

static const struct ccase ccases[] = {
	{ 0, NULL, 0, { "roamctl", "gate", "help" }, "client", NULL, 0 },
	{ 0, NULL, 0, { "roamctl", "gate", "client", "help" }, "flush", NULL, 0 },
	{ 0, NULL, 0, { "roamctl", "monitor", "help" }, "client_violation", NULL, 0 },
	{ 2, NULL, 0, { "roamctl", "gate", "set" }, NULL, "at least one", 0 },
	{ 2, NULL, 0, { "roamctl", "gate", "set", "pool" }, NULL, "'pool' needs a value", 0 },
	{ 2, NULL, 0, { "roamctl", "gate", "set", "color", "red" }, NULL, "unknown gate setting", 0 },
	{ 2, NULL, 0, { "roamctl", "gate", "show", "x" }, NULL, "unexpected argument 'x'", 0 },
	{ 2, NULL, 0, { "roamctl", "gate", "bogus" }, NULL, "unknown command 'bogus' for object 'gate'", 0 },
	{ 2, NULL, 0, { "roamctl", "gate", "client", "bogus" }, NULL, "for object 'gate client'", 0 },
	{ 2, NULL, 0, { "roamctl", "gate", "client", "set" }, NULL, "address missing", 0 },
	{ 2, NULL, 0, { "roamctl", "gate", "client", "set", "1.2.3.4", "state", "x" }, NULL, "state wants", 0 },
	{ 2, NULL, 0, { "roamctl", "gate", "client", "del" }, NULL, "address missing", 0 },
	{ 2, NULL, 0, { "roamctl", "gate", "client", "del", "1.2.3.4", "5" }, NULL, "unexpected argument '5'", 0 },
	{ 2, NULL, 0, { "roamctl", "gate", "client", "show", "nope" }, NULL, "bad client address", 0 },
	{ 2, NULL, 0, { "roamctl", "gate", "client", "flush", "now" }, NULL, "unexpected argument", 0 },
	{ 2, NULL, 0, { "roamctl", "monitor", "now" }, NULL, "unexpected argument 'now'", 0 },
	{ 0, NULL, 0, { "roamctl", "gate", "set", "pool", "10.0.0.1,10.0.0.2", "active", "10.0.0.1" }, NULL, NULL, ROAM_CMD_GATE_SET },
	{ 0, NULL, 0, { "roamctl", "gate", "client", "set", "10.0.0.9", "state", "blocked" }, NULL, NULL, ROAM_CMD_CLIENT_SET },
	{ 0, NULL, 0, { "roamctl", "gate", "client", "del", "10.0.0.9" }, NULL, NULL, ROAM_CMD_CLIENT_DEL },
	{ 0, NULL, 0, { "roamctl", "gate", "client", "flush" }, NULL, NULL, ROAM_CMD_CLIENT_FLUSH },
	{ 0, put_gate_reply, 0, { "roamctl", "gate" }, "active:         10.0.22.1\n", NULL, ROAM_CMD_GATE_GET },
	{ 0, put_gate_reply, 0, { "roamctl", "gate", "show" }, "ports:          tcp/21,200\n", NULL, ROAM_CMD_GATE_GET },
	{ 0, put_gate_reply, 0, { "roamctl", "-j", "gate", "show" },
	  "{\"pool\":[\"10.0.21.1\",\"10.0.22.1\"],\"ports\":[\"tcp/21\",\"200\"],\"active\":\"10.0.22.1\","
	  "\"previous\":\"10.0.21.1\",\"window_ms\":1000,\"window_left_ms\":420,\"epoch\":77,"
	  "\"attack_pps\":0,\"clients\":3,\"client_max\":65536}\n", NULL, ROAM_CMD_GATE_GET },
	{ 0, reply_two_clients, 0, { "roamctl", "-j", "gate", "client", "show" },
	  "{\"clients\":{\"10.0.1.1\":{\"addr\":\"10.0.1.1\",\"state\":\"blocked\",", NULL, ROAM_CMD_CLIENT_GET },
	  /* An unknown state from a newer kernel is shown by number. */
	{ 0, reply_two_clients, 0, { "roamctl", "-j", "gate", "client", "show" },
	  "\"10.0.3.1\":{\"addr\":\"10.0.3.1\",\"state\":\"9\",", NULL, ROAM_CMD_CLIENT_GET },
	{ 0, reply_two_clients, 0, { "roamctl", "gate", "client" }, "  10.0.1.1:\n    addr:       10.0.1.1\n", NULL, ROAM_CMD_CLIENT_GET },
	{ 1, NULL, -EINVAL, { "roamctl", "gate", "set", "active", "10.9.9.9" }, NULL,
	  "roamctl: cannot set the gate: Invalid argument (kernel: mock extack)\n", ROAM_CMD_GATE_SET },
	{ 1, NULL, -ENOENT, { "roamctl", "gate", "client", "del", "10.0.0.9" }, NULL,
	  "cannot delete client 10.0.0.9: No such file or directory", ROAM_CMD_CLIENT_DEL },
	{ 1, NULL, -EPERM, { "roamctl", "gate", "client", "show" }, NULL, "cannot list the clients", ROAM_CMD_CLIENT_GET },
	{ 1, NULL, -ENOSPC, { "roamctl", "gate", "client", "set", "10.0.0.9" }, NULL, "No space left", ROAM_CMD_CLIENT_SET },
	/* The live handoff: migrate and conn. */
	{ 2, NULL, 0, { "roamctl", "migrate", "set" }, NULL, "at least one setting", 0 },
	{ 2, NULL, 0, { "roamctl", "migrate", "set", "client", "maybe" }, NULL, "'client' wants on or off", 0 },
	{ 2, NULL, 0, { "roamctl", "migrate", "set", "ports", "0" }, NULL, "bad ports '0'", 0 },
	{ 2, NULL, 0, { "roamctl", "migrate", "set", "client-id", "7", "client-id", "8" }, NULL, "'client-id' given twice", 0 },
	{ 2, NULL, 0, { "roamctl", "migrate", "set", "color", "red" }, NULL, "unknown migrate setting", 0 },
	{ 1, NULL, 0, { "roamctl", "migrate", "set", "key-file", "/nonexistent/k" }, NULL, "/nonexistent/k", 0 },
	{ 2, NULL, 0, { "roamctl", "conn", "show", "both" }, NULL, "want server or client", 0 },
	{ 2, NULL, 0, { "roamctl", "conn", "del", "10.0.0.1:80" }, NULL, "want LADDR:LPORT RADDR:RPORT", 0 },
	{ 2, NULL, 0, { "roamctl", "conn", "del", "10.0.0.1", "10.0.0.2:9" }, NULL, "bad endpoint", 0 },
	{ 0, NULL, 0, { "roamctl", "migrate", "set", "client-id", "7", "pool", "10.0.0.1,10.0.0.2", "ports", "80,443", "client", "on" }, NULL, NULL, ROAM_CMD_MIG_SET },
	{ 0, NULL, 0, { "roamctl", "migrate", "set", "server", "on", "server-ports", "all" }, NULL, NULL, ROAM_CMD_MIG_SET },
	{ 0, NULL, 0, { "roamctl", "conn", "del", "10.0.0.1:80", "10.0.1.1:40000" }, NULL, NULL, ROAM_CMD_CONN_DEL },
	{ 0, NULL, 0, { "roamctl", "conn", "flush", "server" }, NULL, NULL, ROAM_CMD_CONN_FLUSH },
	{ 0, NULL, 0, { "roamctl", "conn", "flush", "client" }, NULL, NULL, ROAM_CMD_CCONN_FLUSH },
	{ 1, NULL, -EPERM, { "roamctl", "conn", "show", "server" }, NULL, "cannot list the server connections", ROAM_CMD_CONN_GET },
};

static void run_ccase(const struct ccase *t)
{
	const struct genlmsghdr *g;
	char desc[200];
	size_t off = 0;
	bool ok;
	int i, rc;

	for (i = 0; t->argv[i]; i++)
		off += snprintf(desc + off, sizeof(desc) - off, "%s%s", i ? " " : "",
				t->argv[i]);
	memset(&mock_roam, 0, sizeof(mock_roam));
	mock_roam.reply = t->reply;
	mock_roam.err = t->err;
	mock_roam.extack = t->err == -EINVAL ? "mock extack" : NULL;
	rc = run((char **)t->argv);
	ok = rc == t->rc;
	if (t->out)
		ok = ok && strstr(out_buf, t->out);
	if (t->errs)
		ok = ok && strstr(err_buf, t->errs);
	if (t->rc)
		ok = ok && !out_buf[0];
	if (t->rc == CLI_USAGE)
		ok = ok && strstr(err_buf, "Usage:");
	g = mnl_nlmsg_get_payload((struct nlmsghdr *)mock_roam.req);
	ok = ok && (t->cmd ? mock_roam.requests == 1 && g->cmd == t->cmd :
			     !mock_roam.requests);
	if (!tap_ok(ok, "exit %d: %s", t->rc, desc)) {
		printf("# got exit %d, %u requests\n# stdout: %s\n# stderr: %s\n",
		       rc, mock_roam.requests, out_buf, err_buf);
	}
}

/* What "gate client show ADDR" sends: a dump filtered by one key. */
static void t_client_show_one(void)
{
	char *argv[] = { "roamctl", "gate", "client", "show", "10.0.3.1", NULL };
	const struct nlmsghdr *nlh = (const void *)mock_roam.req;
	const struct nlattr *nest, *a;
	int rc, n = 0;
	bool ok;

	memset(&mock_roam, 0, sizeof(mock_roam));
	rc = run(argv);
	nest = only_attr(nlh, ROAM_A_CLIENT);
	ok = rc == 0 && (mock_roam.req_flags & NLM_F_DUMP) && nest;
	if (ok) {
		mnl_attr_for_each_nested(a, nest) {
			n++;
			ok = ok && mnl_attr_get_type(a) == ROAM_CLIENT_A_ADDR4 &&
			     mnl_attr_get_u32(a) == A("10.0.3.1");
		}
	}
	tap_ok(ok && n == 1, "gate client show ADDR: a dump with only the key");
}

int main(void)
{
	unsigned int i;

	tap_plan(18 + 14 + 6 + 2 + 9 + 4 + 3 + 10 + 5 + ARRAY_SIZE(ccases) + 1);
	t_ports();
	t_bps();
	t_addrs();
	t_gate_request();
	t_gate_args_bad();
	t_gate_reply();
	t_client_roundtrip();
	t_client_args_bad();
	t_events();
	for (i = 0; i < ARRAY_SIZE(ccases); i++)
		run_ccase(&ccases[i]);
	t_client_show_one();
	return tap_done();
}
