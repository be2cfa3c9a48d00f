// SPDX-License-Identifier: GPL-2.0
/*
 * roamd's pure parts without a kernel: the GATE_SET / CLIENT_SET
 * messages it builds (parsed back), the events it parses (built here as
 * the kernel would send them), --ports and --contract parsing, and the
 * second-chance decision table.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/roam.h>

#include "../roamd/roamd.h"
#include "genl.h"
#include "tap.h"

static char buf[8192] __attribute__((aligned(8)));

static struct nlmsghdr *msg(uint8_t cmd)
{
	return genl_msg_start(buf, 0x20, 0, cmd, ROAM_GENL_VERSION);
}

static const struct nlattr *nest_of(const struct nlmsghdr *nlh, int type)
{
	const struct nlattr *tb[ROAM_A_MAX + 1];

	if (genl_attr_parse(nlh, NULL, tb, ROAM_A_MAX))
		return NULL;
	return tb[type];
}

static void test_setup_msg(void)
{
	uint32_t pool[3] = { inet_addr("10.0.21.1"), inet_addr("10.0.22.1"), inet_addr("10.0.23.1") };
	uint32_t ports[2] = { 6 << 16 | 8000, 17 << 16 };
	const struct nlattr *g, *tb[ROAM_GATE_A_MAX + 1], *a;
	struct nlmsghdr *nlh = msg(ROAM_CMD_GATE_SET);
	unsigned int n = 0, np = 0;
	bool same = true;

	gatemsg_setup(nlh, pool, 3, ports, 2, 1000, 300);
	g = nest_of(nlh, ROAM_A_GATE);
	tap_ok(g && !genl_attr_parse_nested(g, NULL, tb, ROAM_GATE_A_MAX),
	       "GATE_SET setup: one ROAM_A_GATE nest");
	if (!g)
		return;
	mnl_attr_for_each_nested(a, tb[ROAM_GATE_A_POOL]) {
		same &= mnl_attr_get_type(a) == ROAM_GATE_A_ADDR4 && n < 3 &&
			mnl_attr_get_u32(a) == pool[n];
		n++;
	}
	mnl_attr_for_each_nested(a, tb[ROAM_GATE_A_PORTS]) {
		same &= mnl_attr_get_type(a) == ROAM_GATE_A_PORT && np < 2 &&
			mnl_attr_get_u32(a) == ports[np];
		np++;
	}
	tap_ok(same && n == 3 && np == 2, "pool and ports in order, network-order addresses");
	tap_ok(tb[ROAM_GATE_A_WINDOW_MS] && mnl_attr_get_u32(tb[ROAM_GATE_A_WINDOW_MS]) == 1000 &&
	       tb[ROAM_GATE_A_ATTACK_PPS] && mnl_attr_get_u32(tb[ROAM_GATE_A_ATTACK_PPS]) == 300 &&
	       !tb[ROAM_GATE_A_ACTIVE4], "window and attack threshold; no active address yet");

	nlh = msg(ROAM_CMD_GATE_SET);
	gatemsg_activate(nlh, pool[1], 42);
	g = nest_of(nlh, ROAM_A_GATE);
	tap_ok(g && !genl_attr_parse_nested(g, NULL, tb, ROAM_GATE_A_MAX) &&
	       tb[ROAM_GATE_A_ACTIVE4] && mnl_attr_get_u32(tb[ROAM_GATE_A_ACTIVE4]) == pool[1] &&
	       tb[ROAM_GATE_A_EPOCH] && mnl_attr_get_u64(tb[ROAM_GATE_A_EPOCH]) == 42 &&
	       !tb[ROAM_GATE_A_POOL], "GATE_SET roam: active address and epoch only");
}

static void test_client_msg(void)
{
	const struct nlattr *c, *tb[ROAM_CLIENT_A_MAX + 1];
	struct nlmsghdr *nlh = msg(ROAM_CMD_CLIENT_SET);

	gatemsg_client(nlh, inet_addr("10.0.3.1"), ROAM_CLIENT_ALLOWED, 100, 2000000);
	c = nest_of(nlh, ROAM_A_CLIENT);
	tap_ok(c && !genl_attr_parse_nested(c, NULL, tb, ROAM_CLIENT_A_MAX) &&
	       mnl_attr_get_u8(tb[ROAM_CLIENT_A_STATE]) == ROAM_CLIENT_ALLOWED &&
	       mnl_attr_get_u64(tb[ROAM_CLIENT_A_RATE_PPS]) == 100 &&
	       mnl_attr_get_u64(tb[ROAM_CLIENT_A_RATE_BPS]) == 2000000,
	       "CLIENT_SET allowed carries the contract");
	nlh = msg(ROAM_CMD_CLIENT_SET);
	gatemsg_client(nlh, inet_addr("10.0.3.1"), ROAM_CLIENT_WARNED, 100, 0);
	c = nest_of(nlh, ROAM_A_CLIENT);
	tap_ok(c && !genl_attr_parse_nested(c, NULL, tb, ROAM_CLIENT_A_MAX) &&
	       mnl_attr_get_u8(tb[ROAM_CLIENT_A_STATE]) == ROAM_CLIENT_WARNED &&
	       !tb[ROAM_CLIENT_A_RATE_PPS], "CLIENT_SET warned keeps the kernel's contract");
}

static void test_events(void)
{
	struct nlmsghdr *nlh;
	struct nlattr *n;
	struct gate_event e;

	nlh = msg(ROAM_CMD_EVENT_CLIENT_VIOLATION);
	n = mnl_attr_nest_start(nlh, ROAM_A_CLIENT);
	mnl_attr_put_u32(nlh, ROAM_CLIENT_A_ADDR4, inet_addr("10.0.3.1"));
	mnl_attr_put_u8(nlh, ROAM_CLIENT_A_STATE, ROAM_CLIENT_ALLOWED);
	mnl_attr_put_u64(nlh, ROAM_CLIENT_A_VIOLATIONS, 1);
	mnl_attr_put_u32(nlh, 200, 7);		/* from a newer kernel */
	mnl_attr_nest_end(nlh, n);
	tap_ok(!gatemsg_event_parse(nlh, &e) && e.cmd == ROAM_CMD_EVENT_CLIENT_VIOLATION &&
	       e.addr == inet_addr("10.0.3.1") && e.violations == 1,
	       "violation event parsed; unknown attribute ignored");

	nlh = msg(ROAM_CMD_EVENT_ATTACK);
	n = mnl_attr_nest_start(nlh, ROAM_A_GATE);
	mnl_attr_put_u64(nlh, ROAM_GATE_A_DROP_RATE, 1480);
	mnl_attr_nest_end(nlh, n);
	tap_ok(!gatemsg_event_parse(nlh, &e) && e.cmd == ROAM_CMD_EVENT_ATTACK &&
	       e.drop_rate == 1480, "attack event parsed");

	nlh = msg(ROAM_CMD_EVENT_CLIENT_VIOLATION);
	tap_ok(gatemsg_event_parse(nlh, &e) == -EBADMSG, "violation without a client: -EBADMSG");
	nlh = msg(ROAM_CMD_EVENT_CLIENT_VIOLATION);
	n = mnl_attr_nest_start(nlh, ROAM_A_CLIENT);
	mnl_attr_put_u8(nlh, ROAM_CLIENT_A_ADDR4, 1);	/* wrong length */
	mnl_attr_nest_end(nlh, n);
	tap_ok(gatemsg_event_parse(nlh, &e) == -EBADMSG, "violation with a 1-byte address: -EBADMSG");
	nlh = msg(ROAM_CMD_GATE_GET);
	tap_ok(gatemsg_event_parse(nlh, &e) == -ENOENT, "a reply that is no event: -ENOENT");
	nlh = msg(ROAM_CMD_EVENT_ATTACK);
	nlh->nlmsg_len = sizeof(*nlh) + 2;		/* truncated genl header */
	tap_ok(gatemsg_event_parse(nlh, &e) == -EBADMSG, "truncated message: -EBADMSG");
}

static void test_args(void)
{
	static const struct { const char *s; int ok; unsigned int n; } ports[] = {
		{ "tcp/8000", 1, 1 }, { "tcp/8000,udp/*", 1, 2 }, { "udp/53,tcp/21,tcp/20", 1, 3 },
		{ "tcp", 1, 1 }, { "icmp,132/9899", 1, 2 }, { "all", 1, 0 },
		{ "", 0, 0 }, { "tcp/65536", 0, 0 }, { "tcp/80x", 0, 0 }, { "tcp/", 0, 0 },
		{ "bogus/1", 0, 0 }, { "tcp/8000,", 0, 0 },
	};
	static const struct { const char *s; int ok; } contracts[] = {
		{ "greedy,10.0.3.1,100", 1 }, { "a,10.0.0.1,0,1000000", 1 },
		{ "a,10.0.0.1,0", 0 }, { "a,10.0.0.1", 0 }, { ".a,10.0.0.1,1", 0 },
		{ "a,10.0.0.256,1", 0 }, { "a,10.0.0.1,-1", 0 }, { "a,10.0.0.1,1,2,3", 0 },
		{ "a,10.0.0.1,1x", 0 },
	};
	uint32_t p[ROAMD_PORTS_MAX];
	struct contract c;
	unsigned int n;
	int good = 1;

	for (size_t i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
		int ret = gatemsg_ports_parse(ports[i].s, p, &n);

		good &= ports[i].ok ? !ret && n == ports[i].n : ret == -EINVAL;
	}
	gatemsg_ports_parse("tcp/8000,udp/*", p, &n);
	tap_ok(good && p[0] == (6u << 16 | 8000) && p[1] == 17u << 16,
	       "--ports: roamctl's grammar (PROTO[/PORT|/*], all), bad ones refused");
	good = 1;
	for (size_t i = 0; i < sizeof(contracts) / sizeof(contracts[0]); i++)
		good &= (contract_parse(contracts[i].s, &c) == 0) == contracts[i].ok;
	contract_parse("greedy,10.0.3.1,100,5", &c);
	tap_ok(good && !strcmp(c.name, "greedy") && c.addr == inet_addr("10.0.3.1") &&
	       c.pps == 100 && c.bps == 5, "--contract NAME,ADDR,PPS[,BPS]");
}

static void test_policy(void)
{
	unsigned int strikes = 0;
	uint64_t warned = 0;

	tap_ok(policy_decide(&strikes, &warned, 7) == POLICY_WARN && strikes == 1 && warned == 7,
	       "first violation: warn, strike 1 in epoch 7");
	tap_ok(policy_decide(&strikes, &warned, 7) == POLICY_IGNORE && strikes == 1,
	       "again in the same epoch: ignored (the second chance starts after the roam)");
	tap_ok(policy_decide(&strikes, &warned, 8) == POLICY_BLOCK && strikes == 2,
	       "violation after the roam: block");
	tap_ok(policy_decide(&strikes, &warned, 9) == POLICY_BLOCK,
	       "a blocked client stays blocked");
}

static int strikes_of(const char *dir)
{
	char path[256], line[128];
	unsigned int k = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/strikes", dir);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(line, sizeof(line), f) || sscanf(line, "10.0.3.1 %u", &k) != 1)
		k = 99;
	/* Exactly one line per client, no garbage after it. */
	if (fgets(line, sizeof(line), f))
		k = 98;
	fclose(f);
	return (int)k;
}

/* The shared strikes file across two roamds, as after a roam. */
static void test_strikes_file(void)
{
	static struct roamd a, b;
	char dir[] = "/tmp/roamd-test.XXXXXX";

	if (!mkdtemp(dir)) {
		tap_ok(0, "mkdtemp");
		return;
	}
	a.cfg.state_dir = b.cfg.state_dir = dir;
	contract_parse("greedy,10.0.3.1,100", &a.cfg.contracts[0]);
	b.cfg.contracts[0] = a.cfg.contracts[0];
	a.cfg.ncontracts = b.cfg.ncontracts = 1;
	a.applied_epoch = b.applied_epoch = 5;
	policy_on_violation(&a, inet_addr("10.0.3.1"));
	policy_on_violation(&a, inet_addr("10.0.3.1"));
	tap_ok(strikes_of(dir) == 1 && a.cfg.contracts[0].warned_here,
	       "strikes file: one strike after two violations in one epoch");
	b.applied_epoch = 6;
	policy_on_violation(&b, inet_addr("10.0.3.1"));
	tap_ok(strikes_of(dir) == 2 && !b.cfg.contracts[0].warned_here,
	       "another roamd, after the roam, sees the strike and blocks");
	policy_on_violation(&b, inet_addr("10.9.9.9"));
	tap_ok(strikes_of(dir) == 2, "a client without a contract leaves the record alone");
	snprintf(dir + strlen(dir), 10, "/strikes");
	unlink(dir);
	dir[strlen(dir) - 8] = 0;
	rmdir(dir);
}

int main(void)
{
	tap_plan(21);
	test_setup_msg();
	test_client_msg();
	test_events();
	test_args();
	test_policy();
	test_strikes_file();
	return tap_done();
}
