// SPDX-License-Identifier: GPL-2.0
/*
 * roamctl gate client { show [ADDR] | set ADDR ... | del ADDR | flush }:
 * the gate's client table (ROAM_CMD_CLIENT_*).  Not "roamctl client",
 * which is authd's subscription admin.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>

#include "roamctl.h"
#include "util.h"

static int arg_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int arg_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/*
 * ADDR [state allowed|warned|blocked] [rate [pps N] [bps N[k|m|g]bit]]
 * "rate none" clears both rates.
 */
int roam_client_args(struct roam_client *c, int argc, char *const *argv,
		     char *err, size_t errlen)
{
	int i = 1;

	memset(c, 0, sizeof(*c));
	if (argc < 1)
		return arg_err(err, errlen, "client address missing");
	if (roam_parse_addr(argv[0], &c->addr) || !c->addr)
		return arg_err(err, errlen, "bad client address '%s'", argv[0]);
	c->has = ROAM_CF_ADDR;
	while (i < argc) {
		if (!strcmp(argv[i], "state")) {
			if (c->has & ROAM_CF_STATE)
				return arg_err(err, errlen, "'state' given twice");
			if (i + 1 >= argc || roam_parse_state(argv[i + 1], &c->state))
				return arg_err(err, errlen, "state wants allowed, warned or blocked");
			c->has |= ROAM_CF_STATE;
			i += 2;
		} else if (!strcmp(argv[i], "rate")) {
			if (c->has & (ROAM_CF_PPS | ROAM_CF_BPS))
				return arg_err(err, errlen, "'rate' given twice");
			i++;
			if (i < argc && !strcmp(argv[i], "none")) {
				c->has |= ROAM_CF_PPS | ROAM_CF_BPS;
				i++;
				continue;
			}
			while (i < argc) {
				if (!strcmp(argv[i], "pps") && !(c->has & ROAM_CF_PPS)) {
					if (i + 1 >= argc ||
					    roam_parse_u64(argv[i + 1], UINT64_MAX, &c->rate_pps))
						return arg_err(err, errlen, "pps wants a number of packets per second");
					c->has |= ROAM_CF_PPS;
				} else if (!strcmp(argv[i], "bps") && !(c->has & ROAM_CF_BPS)) {
					if (i + 1 >= argc ||
					    roam_parse_bps(argv[i + 1], &c->rate_bps))
						return arg_err(err, errlen, "bps wants bits per second: N, Nkbit, Nmbit or Ngbit");
					c->has |= ROAM_CF_BPS;
				} else {
					break;
				}
				i += 2;
			}
			if (!(c->has & (ROAM_CF_PPS | ROAM_CF_BPS)))
				return arg_err(err, errlen, "rate wants pps N, bps N or none");
		} else {
			return arg_err(err, errlen, "unknown client setting '%s'", argv[i]);
		}
	}
	return 0;
}

void roam_client_put(struct nlmsghdr *nlh, const struct roam_client *c)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, ROAM_A_CLIENT);

	if (c->has & ROAM_CF_ADDR)
		mnl_attr_put_u32(nlh, ROAM_CLIENT_A_ADDR4, c->addr);
	if (c->has & ROAM_CF_STATE)
		mnl_attr_put_u8(nlh, ROAM_CLIENT_A_STATE, c->state);
	if (c->has & ROAM_CF_PPS)
		mnl_attr_put_u64(nlh, ROAM_CLIENT_A_RATE_PPS, c->rate_pps);
	if (c->has & ROAM_CF_BPS)
		mnl_attr_put_u64(nlh, ROAM_CLIENT_A_RATE_BPS, c->rate_bps);
	mnl_attr_nest_end(nlh, nest);
}

int roam_client_parse_nest(const struct nlattr *nest, struct roam_client *c)
{
	static const enum mnl_attr_data_type policy[ROAM_CLIENT_A_MAX + 1] = {
		[ROAM_CLIENT_A_ADDR4]		= MNL_TYPE_U32,
		[ROAM_CLIENT_A_STATE]		= MNL_TYPE_U8,
		[ROAM_CLIENT_A_RATE_PPS]	= MNL_TYPE_U64,
		[ROAM_CLIENT_A_RATE_BPS]	= MNL_TYPE_U64,
		[ROAM_CLIENT_A_PACKETS]		= MNL_TYPE_U64,
		[ROAM_CLIENT_A_BYTES]		= MNL_TYPE_U64,
		[ROAM_CLIENT_A_DROPS]		= MNL_TYPE_U64,
		[ROAM_CLIENT_A_VIOLATIONS]	= MNL_TYPE_U64,
	};
	const struct nlattr *tb[ROAM_CLIENT_A_MAX + 1];
	int ret;

	memset(c, 0, sizeof(*c));
	ret = genl_attr_parse_nested(nest, policy, tb, ROAM_CLIENT_A_MAX);
	if (ret < 0)
		return ret;
	/* The key is what makes it a client. */
	if (!tb[ROAM_CLIENT_A_ADDR4])
		return -EBADMSG;
	c->addr = mnl_attr_get_u32(tb[ROAM_CLIENT_A_ADDR4]);
	c->has = ROAM_CF_ADDR;
	if (tb[ROAM_CLIENT_A_STATE]) {
		c->state = mnl_attr_get_u8(tb[ROAM_CLIENT_A_STATE]);
		c->has |= ROAM_CF_STATE;
	}
	if (tb[ROAM_CLIENT_A_RATE_PPS]) {
		c->rate_pps = mnl_attr_get_u64(tb[ROAM_CLIENT_A_RATE_PPS]);
		c->has |= ROAM_CF_PPS;
	}
	if (tb[ROAM_CLIENT_A_RATE_BPS]) {
		c->rate_bps = mnl_attr_get_u64(tb[ROAM_CLIENT_A_RATE_BPS]);
		c->has |= ROAM_CF_BPS;
	}
	if (tb[ROAM_CLIENT_A_PACKETS] && tb[ROAM_CLIENT_A_BYTES] &&
	    tb[ROAM_CLIENT_A_DROPS] && tb[ROAM_CLIENT_A_VIOLATIONS]) {
		c->packets = mnl_attr_get_u64(tb[ROAM_CLIENT_A_PACKETS]);
		c->bytes = mnl_attr_get_u64(tb[ROAM_CLIENT_A_BYTES]);
		c->drops = mnl_attr_get_u64(tb[ROAM_CLIENT_A_DROPS]);
		c->violations = mnl_attr_get_u64(tb[ROAM_CLIENT_A_VIOLATIONS]);
		c->has |= ROAM_CF_COUNTERS;
	}
	return 0;
}

/* The fields of one client, into the current object. */
void roam_client_out(struct out *o, const struct roam_client *c)
{
	char buf[INET_ADDRSTRLEN];
	const char *name;

	roam_format_addr(c->addr, buf, sizeof(buf));
	out_str(o, "addr", buf);
	if (c->has & ROAM_CF_STATE) {
		name = roam_state_name(c->state);
		if (name) {
			out_str(o, "state", name);
		} else {
			snprintf(buf, sizeof(buf), "%u", c->state);
			out_str(o, "state", buf);
		}
	}
	if (c->has & ROAM_CF_PPS)
		out_u64(o, "rate_pps", c->rate_pps);
	if (c->has & ROAM_CF_BPS)
		out_u64(o, "rate_bps", c->rate_bps);
	if (c->has & ROAM_CF_COUNTERS) {
		out_u64(o, "packets", c->packets);
		out_u64(o, "bytes", c->bytes);
		out_u64(o, "drops", c->drops);
		out_u64(o, "violations", c->violations);
	}
}

/* One CLIENT_GET dump message: an object named by the address. */
static int client_show_cb(const struct nlmsghdr *nlh, void *data)
{
	static const enum mnl_attr_data_type policy[ROAM_A_MAX + 1] = {
		[ROAM_A_CLIENT] = MNL_TYPE_NESTED,
	};
	const struct nlattr *tb[ROAM_A_MAX + 1];
	struct out *o = data;
	struct roam_client c;
	char key[INET_ADDRSTRLEN];
	int ret;

	ret = genl_attr_parse(nlh, policy, tb, ROAM_A_MAX);
	if (ret < 0)
		return ret;
	if (!tb[ROAM_A_CLIENT])
		return 0;
	ret = roam_client_parse_nest(tb[ROAM_A_CLIENT], &c);
	if (ret < 0)
		return ret;
	roam_format_addr(c.addr, key, sizeof(key));
	out_obj_begin(o, key);
	roam_client_out(o, &c);
	out_obj_end(o);
	return 0;
}

static int client_show(struct cli *cli, int argc, char **argv)
{
	struct roam_client c = { 0 };
	struct nlmsghdr *nlh;
	int ret;

	if (argc > 1)
		return cli_usage_error(cli, "unexpected argument '%s'", argv[1]);
	if (argc == 1) {
		if (roam_parse_addr(argv[0], &c.addr) || !c.addr)
			return cli_usage_error(cli, "bad client address '%s'", argv[0]);
		c.has = ROAM_CF_ADDR;
	}
	ret = cli_connect(cli);
	if (ret != CLI_OK)
		return ret;
	nlh = cli_req(cli, ROAM_CMD_CLIENT_GET);
	if (c.has)
		roam_client_put(nlh, &c);
	out_obj_begin(&cli->out, "clients");
	ret = genl_dump(&cli->gs, nlh, client_show_cb, &cli->out);
	out_obj_end(&cli->out);
	if (ret < 0) {
		out_free(&cli->out);
		return cli_error(cli, ret, "cannot list the clients");
	}
	return cli_flush(cli);
}

static int no_reply(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return 0;
}

static int client_set(struct cli *cli, int argc, char **argv)
{
	struct roam_client c;
	struct nlmsghdr *nlh;
	char err[128];
	int ret;

	if (roam_client_args(&c, argc, argv, err, sizeof(err)))
		return cli_usage_error(cli, "%s", err);
	ret = cli_connect(cli);
	if (ret != CLI_OK)
		return ret;
	nlh = cli_req(cli, ROAM_CMD_CLIENT_SET);
	roam_client_put(nlh, &c);
	ret = genl_doit(&cli->gs, nlh, no_reply, NULL);
	if (ret < 0)
		return cli_error(cli, ret, "cannot set client %s", argv[0]);
	return CLI_OK;
}

static int client_del(struct cli *cli, int argc, char **argv)
{
	struct roam_client c = { .has = ROAM_CF_ADDR };
	struct nlmsghdr *nlh;
	int ret;

	if (argc == 0)
		return cli_usage_error(cli, "client address missing");
	if (argc > 1)
		return cli_usage_error(cli, "unexpected argument '%s'", argv[1]);
	if (roam_parse_addr(argv[0], &c.addr) || !c.addr)
		return cli_usage_error(cli, "bad client address '%s'", argv[0]);
	ret = cli_connect(cli);
	if (ret != CLI_OK)
		return ret;
	nlh = cli_req(cli, ROAM_CMD_CLIENT_DEL);
	roam_client_put(nlh, &c);
	ret = genl_doit(&cli->gs, nlh, no_reply, NULL);
	if (ret < 0)
		return cli_error(cli, ret, "cannot delete client %s", argv[0]);
	return CLI_OK;
}

static int client_flush(struct cli *cli, int argc, char **argv)
{
	int ret;

	if (argc > 0)
		return cli_usage_error(cli, "unexpected argument '%s'", argv[0]);
	ret = cli_connect(cli);
	if (ret != CLI_OK)
		return ret;
	ret = genl_doit(&cli->gs, cli_req(cli, ROAM_CMD_CLIENT_FLUSH),
			no_reply, NULL);
	if (ret < 0)
		return cli_error(cli, ret, "cannot flush the clients");
	return CLI_OK;
}

static const struct cli_cmd client_cmds[] = {
	{ "show", client_show, "[ADDR]: list the clients, their contracts and counters" },
	{ "set", client_set, "ADDR [state allowed|warned|blocked] [rate [pps N] [bps N|Nkbit|Nmbit] | rate none]" },
	{ "del", client_del, "ADDR: forget a client" },
	{ "flush", client_flush, "forget every client" },
	{ NULL, NULL, NULL }
};

int roamctl_gate_client(struct cli *cli, int argc, char **argv)
{
	cli->obj = "gate client";
	return cli_dispatch(cli, client_cmds, argc, argv);
}
