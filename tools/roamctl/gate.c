// SPDX-License-Identifier: GPL-2.0
/*
 * roamctl gate { show | set ... | client ... }: ROAM_CMD_GATE_GET/SET.
 * The argument parser, the request builder and the reply parser are
 * separate functions so that tests run them without a kernel.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
 * gate set [pool A,B|none] [ports P,Q|all] [active A|none] [window MS]
 *          [epoch N] [attack-pps N] [client-max N]
 * Each keyword at most once, at least one.  On error, err says why.
 */
int roam_gate_args(struct roam_gate *g, int argc, char *const *argv,
		   char *err, size_t errlen)
{
	uint64_t v;
	int i, ret;

	memset(g, 0, sizeof(*g));
	if (argc == 0)
		return arg_err(err, errlen, "gate set needs at least one of pool, ports, active, window, epoch, attack-pps, client-max");
	for (i = 0; i < argc; i += 2) {
		const char *kw = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		unsigned int bit;

		if (!strcmp(kw, "pool"))
			bit = ROAM_GF_POOL;
		else if (!strcmp(kw, "ports"))
			bit = ROAM_GF_PORTS;
		else if (!strcmp(kw, "active"))
			bit = ROAM_GF_ACTIVE;
		else if (!strcmp(kw, "window"))
			bit = ROAM_GF_WINDOW;
		else if (!strcmp(kw, "epoch"))
			bit = ROAM_GF_EPOCH;
		else if (!strcmp(kw, "attack-pps"))
			bit = ROAM_GF_ATTACK_PPS;
		else if (!strcmp(kw, "client-max"))
			bit = ROAM_GF_CLIENT_MAX;
		else
			return arg_err(err, errlen, "unknown gate setting '%s'", kw);
		if (g->has & bit)
			return arg_err(err, errlen, "'%s' given twice", kw);
		if (!val)
			return arg_err(err, errlen, "'%s' needs a value", kw);
		g->has |= bit;
		switch (bit) {
		case ROAM_GF_POOL:
			ret = roam_parse_addr_list(val, g->pool, ROAM_POOL_MAX,
						   &g->n_pool);
			if (ret == -ERANGE)
				return arg_err(err, errlen, "more than %d pool addresses", ROAM_POOL_MAX);
			if (ret)
				return arg_err(err, errlen, "bad pool '%s' (want A,B,... or none)", val);
			break;
		case ROAM_GF_PORTS:
			ret = roam_parse_ports(val, g->ports, ROAM_PORTS_MAX,
					       &g->n_ports);
			if (ret == -ERANGE)
				return arg_err(err, errlen, "more than %d service ports", ROAM_PORTS_MAX);
			if (ret)
				return arg_err(err, errlen, "bad ports '%s' (want tcp/21,udp/53,... or all)", val);
			break;
		case ROAM_GF_ACTIVE:
			if (!strcmp(val, "none"))
				g->active = 0;
			else if (roam_parse_addr(val, &g->active))
				return arg_err(err, errlen, "bad active address '%s'", val);
			break;
		case ROAM_GF_WINDOW:
			if (roam_parse_u64(val, UINT32_MAX, &v))
				return arg_err(err, errlen, "bad window '%s' (milliseconds)", val);
			g->window_ms = v;
			break;
		case ROAM_GF_EPOCH:
			if (roam_parse_u64(val, UINT64_MAX, &g->epoch))
				return arg_err(err, errlen, "bad epoch '%s'", val);
			break;
		case ROAM_GF_ATTACK_PPS:
			if (roam_parse_u64(val, UINT32_MAX, &v))
				return arg_err(err, errlen, "bad attack-pps '%s'", val);
			g->attack_pps = v;
			break;
		case ROAM_GF_CLIENT_MAX:
			if (roam_parse_u64(val, UINT32_MAX, &v) || !v)
				return arg_err(err, errlen, "bad client-max '%s'", val);
			g->client_max = v;
			break;
		}
	}
	return 0;
}

/* The ROAM_A_GATE nest of a GATE_SET request: only what was given. */
void roam_gate_put(struct nlmsghdr *nlh, const struct roam_gate *g)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, ROAM_A_GATE), *list;
	unsigned int i;

	if (g->has & ROAM_GF_POOL) {
		list = mnl_attr_nest_start(nlh, ROAM_GATE_A_POOL);
		for (i = 0; i < g->n_pool; i++)
			mnl_attr_put_u32(nlh, ROAM_GATE_A_ADDR4, g->pool[i]);
		mnl_attr_nest_end(nlh, list);
	}
	if (g->has & ROAM_GF_PORTS) {
		list = mnl_attr_nest_start(nlh, ROAM_GATE_A_PORTS);
		for (i = 0; i < g->n_ports; i++)
			mnl_attr_put_u32(nlh, ROAM_GATE_A_PORT, g->ports[i]);
		mnl_attr_nest_end(nlh, list);
	}
	if (g->has & ROAM_GF_WINDOW)
		mnl_attr_put_u32(nlh, ROAM_GATE_A_WINDOW_MS, g->window_ms);
	if (g->has & ROAM_GF_ACTIVE)
		mnl_attr_put_u32(nlh, ROAM_GATE_A_ACTIVE4, g->active);
	if (g->has & ROAM_GF_EPOCH)
		mnl_attr_put_u64(nlh, ROAM_GATE_A_EPOCH, g->epoch);
	if (g->has & ROAM_GF_ATTACK_PPS)
		mnl_attr_put_u32(nlh, ROAM_GATE_A_ATTACK_PPS, g->attack_pps);
	if (g->has & ROAM_GF_CLIENT_MAX)
		mnl_attr_put_u32(nlh, ROAM_GATE_A_CLIENT_MAX, g->client_max);
	mnl_attr_nest_end(nlh, nest);
}

struct list_ctx {
	uint16_t type;
	uint32_t *vals;
	unsigned int max, *n;
};

static int list_cb(const struct nlattr *attr, void *data)
{
	struct list_ctx *c = data;

	if (mnl_attr_get_type(attr) != c->type)
		return 0;	/* something newer: ignore */
	if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
		return -EBADMSG;
	if (*c->n == c->max)
		return -E2BIG;
	c->vals[(*c->n)++] = mnl_attr_get_u32(attr);
	return 0;
}

static int parse_list(const struct nlattr *nest, uint16_t type,
		      uint32_t *vals, unsigned int max, unsigned int *n)
{
	struct list_ctx c = { type, vals, max, n };

	*n = 0;
	return genl_attr_foreach(mnl_attr_get_payload(nest),
				 mnl_attr_get_payload_len(nest), list_cb, &c);
}

/* A ROAM_A_GATE nest: a GATE_GET reply or an ATTACK event. */
int roam_gate_parse_nest(const struct nlattr *nest, struct roam_gate *g)
{
	static const enum mnl_attr_data_type policy[ROAM_GATE_A_MAX + 1] = {
		[ROAM_GATE_A_POOL]		= MNL_TYPE_NESTED,
		[ROAM_GATE_A_PORTS]		= MNL_TYPE_NESTED,
		[ROAM_GATE_A_ACTIVE4]		= MNL_TYPE_U32,
		[ROAM_GATE_A_PREV4]		= MNL_TYPE_U32,
		[ROAM_GATE_A_WINDOW_MS]		= MNL_TYPE_U32,
		[ROAM_GATE_A_WINDOW_LEFT_MS]	= MNL_TYPE_U32,
		[ROAM_GATE_A_EPOCH]		= MNL_TYPE_U64,
		[ROAM_GATE_A_ATTACK_PPS]	= MNL_TYPE_U32,
		[ROAM_GATE_A_DROP_RATE]		= MNL_TYPE_U64,
		[ROAM_GATE_A_CLIENTS]		= MNL_TYPE_U32,
		[ROAM_GATE_A_CLIENT_MAX]	= MNL_TYPE_U32,
	};
	static const struct {
		uint16_t type;
		unsigned int bit;
		size_t off, size;
	} scalars[] = {
#define S(t, b, f) { t, b, offsetof(struct roam_gate, f), sizeof(((struct roam_gate *)0)->f) }
		S(ROAM_GATE_A_ACTIVE4, ROAM_GF_ACTIVE, active),
		S(ROAM_GATE_A_PREV4, ROAM_GF_PREV, prev),
		S(ROAM_GATE_A_WINDOW_MS, ROAM_GF_WINDOW, window_ms),
		S(ROAM_GATE_A_WINDOW_LEFT_MS, ROAM_GF_WINDOW_LEFT, window_left_ms),
		S(ROAM_GATE_A_EPOCH, ROAM_GF_EPOCH, epoch),
		S(ROAM_GATE_A_ATTACK_PPS, ROAM_GF_ATTACK_PPS, attack_pps),
		S(ROAM_GATE_A_DROP_RATE, ROAM_GF_DROP_RATE, drop_rate),
		S(ROAM_GATE_A_CLIENTS, ROAM_GF_CLIENTS, clients),
		S(ROAM_GATE_A_CLIENT_MAX, ROAM_GF_CLIENT_MAX, client_max),
#undef S
	};
	const struct nlattr *tb[ROAM_GATE_A_MAX + 1];
	unsigned int i;
	int ret;

	memset(g, 0, sizeof(*g));
	ret = genl_attr_parse_nested(nest, policy, tb, ROAM_GATE_A_MAX);
	if (ret < 0)
		return ret;
	if (tb[ROAM_GATE_A_POOL]) {
		ret = parse_list(tb[ROAM_GATE_A_POOL], ROAM_GATE_A_ADDR4,
				 g->pool, ROAM_POOL_MAX, &g->n_pool);
		if (ret < 0)
			return ret;
		g->has |= ROAM_GF_POOL;
	}
	if (tb[ROAM_GATE_A_PORTS]) {
		ret = parse_list(tb[ROAM_GATE_A_PORTS], ROAM_GATE_A_PORT,
				 g->ports, ROAM_PORTS_MAX, &g->n_ports);
		if (ret < 0)
			return ret;
		g->has |= ROAM_GF_PORTS;
	}
	for (i = 0; i < ARRAY_SIZE(scalars); i++) {
		const struct nlattr *a = tb[scalars[i].type];
		char *dst = (char *)g + scalars[i].off;

		if (!a)
			continue;
		if (scalars[i].size == sizeof(uint64_t)) {
			uint64_t v = mnl_attr_get_u64(a);

			memcpy(dst, &v, sizeof(v));
		} else {
			uint32_t v = mnl_attr_get_u32(a);

			memcpy(dst, &v, sizeof(v));
		}
		g->has |= scalars[i].bit;
	}
	return 0;
}

/* genl_cb_t for the GATE_GET reply. */
int roam_gate_parse(const struct nlmsghdr *nlh, void *gate)
{
	static const enum mnl_attr_data_type policy[ROAM_A_MAX + 1] = {
		[ROAM_A_GATE] = MNL_TYPE_NESTED,
	};
	const struct nlattr *tb[ROAM_A_MAX + 1];
	int ret;

	ret = genl_attr_parse(nlh, policy, tb, ROAM_A_MAX);
	if (ret < 0)
		return ret;
	if (!tb[ROAM_A_GATE])
		return -EBADMSG;
	return roam_gate_parse_nest(tb[ROAM_A_GATE], gate);
}

void roam_gate_out(struct out *o, const struct roam_gate *g)
{
	char buf[ROAM_POOL_MAX * 16 + 8];

	/* JSON: lists as arrays ("ports": [] is every port); text: one line. */
	if (g->has & ROAM_GF_POOL && o->json) {
		out_arr_begin(o, "pool");
		for (unsigned int i = 0; i < g->n_pool; i++) {
			roam_format_addr(g->pool[i], buf, sizeof(buf));
			out_str(o, NULL, buf);
		}
		out_arr_end(o);
	} else if (g->has & ROAM_GF_POOL) {
		roam_format_addrs(g->pool, g->n_pool, buf, sizeof(buf));
		out_str(o, "pool", buf);
	}
	if (g->has & ROAM_GF_PORTS && o->json) {
		out_arr_begin(o, "ports");
		for (unsigned int i = 0; i < g->n_ports; i++) {
			roam_format_ports(&g->ports[i], 1, buf, sizeof(buf));
			out_str(o, NULL, buf);
		}
		out_arr_end(o);
	} else if (g->has & ROAM_GF_PORTS) {
		roam_format_ports(g->ports, g->n_ports, buf, sizeof(buf));
		out_str(o, "ports", buf);
	}
	if (g->has & ROAM_GF_ACTIVE) {
		roam_format_addr(g->active, buf, sizeof(buf));
		out_str(o, "active", buf);
	}
	if (g->has & ROAM_GF_PREV) {
		roam_format_addr(g->prev, buf, sizeof(buf));
		out_str(o, "previous", buf);
	}
	if (g->has & ROAM_GF_WINDOW)
		out_u64(o, "window_ms", g->window_ms);
	if (g->has & ROAM_GF_WINDOW_LEFT)
		out_u64(o, "window_left_ms", g->window_left_ms);
	if (g->has & ROAM_GF_EPOCH)
		out_u64(o, "epoch", g->epoch);
	if (g->has & ROAM_GF_ATTACK_PPS)
		out_u64(o, "attack_pps", g->attack_pps);
	if (g->has & ROAM_GF_DROP_RATE)
		out_u64(o, "drop_rate", g->drop_rate);
	if (g->has & ROAM_GF_CLIENTS)
		out_u64(o, "clients", g->clients);
	if (g->has & ROAM_GF_CLIENT_MAX)
		out_u64(o, "client_max", g->client_max);
}

static int gate_show(struct cli *cli, int argc, char **argv)
{
	static struct roam_gate g;
	int ret;

	if (argc > 0)
		return cli_usage_error(cli, "unexpected argument '%s'", argv[0]);
	ret = cli_connect(cli);
	if (ret != CLI_OK)
		return ret;
	memset(&g, 0, sizeof(g));
	ret = genl_doit(&cli->gs, cli_req(cli, ROAM_CMD_GATE_GET),
			roam_gate_parse, &g);
	if (ret < 0)
		return cli_error(cli, ret, "cannot get the gate");
	roam_gate_out(&cli->out, &g);
	return cli_flush(cli);
}

static int no_reply(const struct nlmsghdr *nlh, void *data)
{
	(void)nlh;
	(void)data;
	return 0;
}

static int gate_set(struct cli *cli, int argc, char **argv)
{
	static struct roam_gate g;
	struct nlmsghdr *nlh;
	char err[128];
	int ret;

	if (roam_gate_args(&g, argc, argv, err, sizeof(err)))
		return cli_usage_error(cli, "%s", err);
	ret = cli_connect(cli);
	if (ret != CLI_OK)
		return ret;
	nlh = cli_req(cli, ROAM_CMD_GATE_SET);
	roam_gate_put(nlh, &g);
	ret = genl_doit(&cli->gs, nlh, no_reply, NULL);
	if (ret < 0)
		return cli_error(cli, ret, "cannot set the gate");
	return CLI_OK;
}

static const struct cli_cmd gate_cmds[] = {
	{ "show", gate_show, "print pool, ports, active server, window, epoch" },
	{ "set", gate_set, "[pool A,B|none] [ports tcp/21,..|all] [active A|none] [window MS] [epoch N] [attack-pps N] [client-max N]" },
	{ "client", roamctl_gate_client, "the client table: client { show | set | del | flush }" },
	{ NULL, NULL, NULL }
};

int roamctl_gate(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, gate_cmds, argc, argv);
}
