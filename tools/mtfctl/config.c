// SPDX-License-Identifier: GPL-2.0
/*
 * mtfctl config [show]: MTF_CMD_CONFIG_GET
 * mtfctl config set KEY VALUE ...: MTF_CMD_CONFIG_SET, only what is given
 */
#include <errno.h>
#include <string.h>

#include "mtfctl.h"
#include "util.h"

/* One table drives parsing, building, reading and printing. */
enum cfg_kind { U8, U32, MS, PPS, ADDR, BOOL };

static const struct cfg_field {
	uint16_t attr;
	const char *arg;	/* command-line keyword; NULL: read-only */
	const char *key;	/* output name */
	enum cfg_kind kind;
	uint32_t min, max;
	size_t off;
} fields[] = {
#define F(a, arg, key, kind, min, max, m) \
	{ a, arg, key, kind, min, max, offsetof(struct mtf_cfg, m) }
	F(MTF_CFG_A_ROUTER_ADDR4, "router-addr", "router_addr", ADDR, 0, 0, router_addr),
	F(MTF_CFG_A_SLOTS, "slots", "slots", U8, 1, MTF_MAX_SLOTS, slots),
	F(MTF_CFG_A_KEY_GRACE_MS, "key-grace", "key_grace_ms", MS, 0, UINT32_MAX, key_grace_ms),
	F(MTF_CFG_A_SUFFIX_LEN, "suffix-len", "suffix_len", U8, 0, MTF_MAX_SLOTS, suffix_len),
	F(MTF_CFG_A_PATH_MAX, "path-max", "path_max", U32, 0, UINT32_MAX, path_max),
	F(MTF_CFG_A_PATH_RATE_THRESH, "path-rate-threshold", "path_rate_threshold", PPS, 0, UINT32_MAX, path_rate_thresh),
	F(MTF_CFG_A_FILTER_MAX, "filter-max", "filter_max", U32, 0, UINT32_MAX, filter_max),
	F(MTF_CFG_A_FILTER_TIMEOUT_MS, "filter-timeout", "filter_timeout_ms", MS, 0, MTF_FILTER_TIMEOUT_MS_MAX, filter_timeout_ms),
	F(MTF_CFG_A_PATHS, NULL, "paths", U32, 0, 0, paths),
	F(MTF_CFG_A_FILTERS, NULL, "filters", U32, 0, 0, filters),
	F(MTF_CFG_A_KEY_ID, NULL, "key_id", U32, 0, 0, key_id),
	F(MTF_CFG_A_ACCOUNT_LOCAL, "account-local", "account_local", BOOL, 0, 1, account_local),
	F(MTF_CFG_A_PATH_NEW_RATE, "path-new-rate", "path_new_rate", U32, 1, 1u << 24, path_new_rate),
	F(MTF_CFG_A_PATH_NEW_BURST, "path-new-burst", "path_new_burst", U32, 1, 1u << 24, path_new_burst),
	F(MTF_CFG_A_ENABLE, "enable", "enable", BOOL, 0, 1, enable),
	F(MTF_CFG_A_HOOKS, NULL, "hooks", BOOL, 0, 1, hooks),
#undef F
};

static uint32_t *u32_at(struct mtf_cfg *c, const struct cfg_field *f)
{
	return (uint32_t *)((char *)c + f->off);
}

static uint8_t *u8_at(struct mtf_cfg *c, const struct cfg_field *f)
{
	return (uint8_t *)((char *)c + f->off);
}

static const struct cfg_field *field(uint16_t attr)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fields); i++)
		if (fields[i].attr == attr)
			return &fields[i];
	return NULL;
}

static int cfg_cb(const struct nlattr *attr, void *data)
{
	struct mtf_cfg *c = data;
	const struct cfg_field *f = field(mnl_attr_get_type(attr));

	if (!f)		/* newer than us */
		return 0;
	if (mnl_attr_validate(attr, f->kind == U8 || f->kind == BOOL ?
			      MNL_TYPE_U8 : MNL_TYPE_U32) < 0)
		return -EBADMSG;
	if (f->kind == U8 || f->kind == BOOL)
		*u8_at(c, f) = mnl_attr_get_u8(attr);
	else
		*u32_at(c, f) = mnl_attr_get_u32(attr);
	c->has |= 1u << f->attr;
	return 0;
}

int mtf_cfg_parse_nest(const struct nlattr *nest, struct mtf_cfg *c)
{
	memset(c, 0, sizeof(*c));
	return genl_attr_foreach(mnl_attr_get_payload(nest),
				 mnl_attr_get_payload_len(nest), cfg_cb, c);
}

/* genl_cb_t for the CONFIG_GET reply (and a CONFIG_SET request). */
int mtf_cfg_parse(const struct nlmsghdr *nlh, void *cfg)
{
	static const enum mnl_attr_data_type policy[MTF_A_MAX + 1] = {
		[MTF_A_CONFIG] = MNL_TYPE_NESTED,
	};
	const struct nlattr *tb[MTF_A_MAX + 1];
	int ret;

	ret = genl_attr_parse(nlh, policy, tb, MTF_A_MAX);
	if (ret < 0)
		return ret;
	if (!tb[MTF_A_CONFIG])
		return -EBADMSG;
	return mtf_cfg_parse_nest(tb[MTF_A_CONFIG], cfg);
}

static const struct cfg_field *field_by_arg(const char *arg)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fields); i++)
		if (fields[i].arg && !strcmp(fields[i].arg, arg))
			return &fields[i];
	return NULL;
}

static int cfg_value(const struct cfg_field *f, const char *s,
		     struct mtf_cfg *c, struct mtf_perr *e)
{
	uint64_t pps;
	uint32_t v;
	bool on;

	switch (f->kind) {
	case ADDR:
		if (!strcmp(s, "auto")) {
			c->router_addr = 0;
			return 0;
		}
		return mtf_parse_ip4(s, &c->router_addr, "router-addr", e);
	case MS:
		if (mtf_parse_ms(s, u32_at(c, f), f->arg, e) < 0)
			return -EINVAL;
		/* The kernel's policy range, so that its extack is not needed. */
		if (*u32_at(c, f) > f->max)
			return mtf_perr(e, "invalid %s '%s': at most %u ms",
					f->arg, s, f->max);
		return 0;
	case PPS:
		/* 0 turns events off, so not mtf_parse_rate()'s "> 0". */
		if (!strcmp(s, "0")) {
			*u32_at(c, f) = 0;
			return 0;
		}
		if (mtf_parse_rate(s, false, &pps, e) < 0 || pps > UINT32_MAX)
			return mtf_perr(e, "invalid %s '%s': want packets/s, 0-%u",
					f->arg, s, UINT32_MAX);
		*u32_at(c, f) = pps;
		return 0;
	case U8:
		if (mtf_parse_u32(s, f->min, f->max, &v, f->arg, e) < 0)
			return -EINVAL;
		*u8_at(c, f) = v;
		return 0;
	case U32:
		return mtf_parse_u32(s, f->min, f->max, u32_at(c, f), f->arg, e);
	case BOOL:
		if (mtf_parse_onoff(s, &on, f->arg, e) < 0)
			return -EINVAL;
		*u8_at(c, f) = on;
		return 0;
	}
	return -EINVAL;
}

/* KEY VALUE pairs; at least one, each at most once. */
int mtf_cfg_args(int argc, char **argv, struct mtf_cfg *c, struct mtf_perr *e)
{
	const struct cfg_field *f;

	memset(c, 0, sizeof(*c));
	if (argc == 0)
		return mtf_perr(e, "config set needs at least one setting");
	for (; argc > 0; argc -= 2, argv += 2) {
		f = field_by_arg(argv[0]);
		if (!f)
			return mtf_perr(e, "unknown setting '%s'", argv[0]);
		if (argc < 2)
			return mtf_perr(e, "'%s' needs a value", argv[0]);
		if (c->has & (1u << f->attr))
			return mtf_perr(e, "'%s' given twice", argv[0]);
		if (cfg_value(f, argv[1], c, e) < 0)
			return -EINVAL;
		c->has |= 1u << f->attr;
	}
	return 0;
}

int mtf_cfg_put(struct nlmsghdr *nlh, const struct mtf_cfg *c)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, MTF_A_CONFIG);
	struct mtf_cfg *cc = (struct mtf_cfg *)c;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		if (!(c->has & (1u << fields[i].attr)) || !fields[i].arg)
			continue;
		if (fields[i].kind == U8 || fields[i].kind == BOOL)
			mnl_attr_put_u8(nlh, fields[i].attr, *u8_at(cc, &fields[i]));
		else
			mnl_attr_put_u32(nlh, fields[i].attr, *u32_at(cc, &fields[i]));
	}
	mnl_attr_nest_end(nlh, nest);
	return 0;
}

void mtf_cfg_out(struct out *o, const struct mtf_cfg *c)
{
	struct mtf_cfg *cc = (struct mtf_cfg *)c;
	char buf[INET_ADDRSTRLEN];
	const struct cfg_field *f;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fields); i++) {
		f = &fields[i];
		if (!(c->has & (1u << f->attr)))
			continue;
		if (f->kind == ADDR)
			out_str(o, f->key, c->router_addr ?
				mtf_fmt_ip4(c->router_addr, buf) : "auto");
		else if (f->kind == BOOL)
			out_bool(o, f->key, *u8_at(cc, f));
		else if (f->kind == U8)
			out_u64(o, f->key, *u8_at(cc, f));
		else
			out_u64(o, f->key, *u32_at(cc, f));
	}
}

static int config_show(struct cli *cli, int argc, char **argv)
{
	struct mtf_cfg c;
	int ret;

	if (argc > 0)
		return cli_usage_error(cli, "unexpected argument '%s'", argv[0]);
	ret = cli_connect(cli);
	if (ret != CLI_OK)
		return ret;
	memset(&c, 0, sizeof(c));
	ret = genl_doit(&cli->gs, cli_req(cli, MTF_CMD_CONFIG_GET),
			mtf_cfg_parse, &c);
	if (ret < 0)
		return cli_error(cli, ret, "cannot get the configuration");
	mtf_cfg_out(&cli->out, &c);
	return cli_flush(cli);
}

static int config_set(struct cli *cli, int argc, char **argv)
{
	struct nlmsghdr *nlh;
	struct mtf_perr e;
	struct mtf_cfg c;
	int ret;

	if (mtf_cfg_args(argc, argv, &c, &e) < 0)
		return mtfctl_usage(cli, &e);
	ret = cli_connect(cli);
	if (ret != CLI_OK)
		return ret;
	nlh = cli_req(cli, MTF_CMD_CONFIG_SET);
	mtf_cfg_put(nlh, &c);
	ret = genl_doit(&cli->gs, nlh, NULL, NULL);
	if (ret < 0)
		return cli_error(cli, ret, "cannot change the configuration");
	return CLI_OK;
}

static const struct cli_cmd config_cmds[] = {
	{ "show", config_show, "print the namespace's settings and table sizes" },
	{ "set", config_set, "[router-addr A.B.C.D|auto] [slots N] [key-grace MS] [suffix-len N]\n"
	  "             [path-max N] [path-rate-threshold PPS] [filter-max N] [filter-timeout MS]\n"
	  "             [account-local on|off] [path-new-rate N] [path-new-burst N]\n"
	  "             [enable on|off]" },
	{ NULL, NULL, NULL }
};

int mtfctl_config(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, config_cmds, argc, argv);
}
