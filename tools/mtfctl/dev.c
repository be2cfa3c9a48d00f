// SPDX-License-Identifier: GPL-2.0
/*
 * mtfctl dev [show [DEV]]: MTF_CMD_DEV_GET (dump, or doit for one)
 * mtfctl dev DEV set ROLE on|off ...: MTF_CMD_DEV_SET
 *
 * DEV is a name, resolved in the target namespace, so only after -n has
 * been entered (cli_connect()).
 */
#include <errno.h>
#include <string.h>

#include "mtfctl.h"
#include "util.h"

static const struct {
	const char *arg, *key;
	uint32_t flag;
} roles[] = {
	{ "border-ingress", "border_ingress", MTF_DEV_F_BORDER_INGRESS },
	{ "strip-egress", "strip_egress", MTF_DEV_F_STRIP_EGRESS },
	{ "account", "account", MTF_DEV_F_ACCOUNT },
};

int mtf_dev_parse_nest(const struct nlattr *nest, struct mtf_dev *d)
{
	static const enum mnl_attr_data_type policy[MTF_DEV_A_MAX + 1] = {
		[MTF_DEV_A_IFINDEX]	= MNL_TYPE_U32,
		[MTF_DEV_A_IFNAME]	= MNL_TYPE_NUL_STRING,
		[MTF_DEV_A_FLAGS]	= MNL_TYPE_U32,
		[MTF_DEV_A_FLAGS_MASK]	= MNL_TYPE_U32,
	};
	const struct nlattr *tb[MTF_DEV_A_MAX + 1];
	int ret, i;

	memset(d, 0, sizeof(*d));
	ret = genl_attr_parse_nested(nest, policy, tb, MTF_DEV_A_MAX);
	if (ret < 0)
		return ret;
	for (i = 0; i <= MTF_DEV_A_MAX; i++)
		if (tb[i])
			d->has |= 1u << i;
	/* A device without its index cannot be named or set. */
	if (!tb[MTF_DEV_A_IFINDEX])
		return -EBADMSG;
	d->ifindex = mnl_attr_get_u32(tb[MTF_DEV_A_IFINDEX]);
	if (tb[MTF_DEV_A_IFNAME])
		snprintf(d->ifname, sizeof(d->ifname), "%s",
			 mnl_attr_get_str(tb[MTF_DEV_A_IFNAME]));
	if (tb[MTF_DEV_A_FLAGS])
		d->flags = mnl_attr_get_u32(tb[MTF_DEV_A_FLAGS]);
	if (tb[MTF_DEV_A_FLAGS_MASK])
		d->mask = mnl_attr_get_u32(tb[MTF_DEV_A_FLAGS_MASK]);
	return 0;
}

/* ROLE on|off pairs into flags and the mask of the roles named. */
int mtf_dev_args(int argc, char **argv, struct mtf_dev *d, struct mtf_perr *e)
{
	unsigned int i;
	bool on;

	if (argc == 0)
		return mtf_perr(e, "set needs ROLE on|off (border-ingress, strip-egress, account)");
	for (; argc > 0; argc -= 2, argv += 2) {
		for (i = 0; i < ARRAY_SIZE(roles); i++)
			if (!strcmp(argv[0], roles[i].arg))
				break;
		if (i == ARRAY_SIZE(roles))
			return mtf_perr(e, "unknown role '%s': want border-ingress, strip-egress or account",
					argv[0]);
		if (argc < 2)
			return mtf_perr(e, "'%s' needs on or off", argv[0]);
		if (d->mask & roles[i].flag)
			return mtf_perr(e, "'%s' given twice", argv[0]);
		if (mtf_parse_onoff(argv[1], &on, argv[0], e) < 0)
			return -EINVAL;
		d->mask |= roles[i].flag;
		if (on)
			d->flags |= roles[i].flag;
	}
	return 0;
}

static const char *dev_name(const struct mtf_dev *d, char *buf, size_t len)
{
	if (d->ifname[0])
		return d->ifname;
	snprintf(buf, len, "if%u", d->ifindex);
	return buf;
}

/* "eth1: border-ingress on strip-egress off account on", the set syntax. */
void mtf_dev_print(FILE *fp, const struct mtf_dev *d)
{
	char buf[16];
	unsigned int i;

	fprintf(fp, "%s:", dev_name(d, buf, sizeof(buf)));
	for (i = 0; i < ARRAY_SIZE(roles); i++)
		fprintf(fp, " %s %s", roles[i].arg,
			d->flags & roles[i].flag ? "on" : "off");
	if (d->flags & ~MTF_DEV_F_ALL)
		fprintf(fp, " flags 0x%x", d->flags & ~MTF_DEV_F_ALL);
	fputc('\n', fp);
}

void mtf_dev_out(struct out *o, const struct mtf_dev *d)
{
	char buf[16];
	unsigned int i;

	out_u64(o, "ifindex", d->ifindex);
	out_str(o, "ifname", dev_name(d, buf, sizeof(buf)));
	for (i = 0; i < ARRAY_SIZE(roles); i++)
		out_bool(o, roles[i].key, d->flags & roles[i].flag);
	/* Roles from a newer module, by bit. */
	if (d->flags & ~MTF_DEV_F_ALL)
		out_u64(o, "other_flags", d->flags & ~MTF_DEV_F_ALL);
}

static int dev_one(void *arg, const struct mtf_dev *d)
{
	struct cli *cli = arg;

	if (!cli->out.json) {
		mtf_dev_print(cli->out.fp, d);
		return 0;
	}
	mtf_dev_out(&cli->out, d);
	return out_list_elem(&cli->out);
}

/* In the target namespace: -n has been entered by cli_connect(). */
static int dev_index(struct cli *cli, const char *name, uint32_t *ifindex)
{
	*ifindex = if_nametoindex(name);
	if (!*ifindex)
		return cli_error(cli, -ENODEV, "cannot find device '%s'", name);
	return CLI_OK;
}

static int dev_show(struct cli *cli, const char *name)
{
	struct mtf_dump dump = { .dev = dev_one, .arg = cli };
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	uint32_t ifindex;
	int ret;

	ret = cli_connect(cli);
	if (ret != CLI_OK)
		return ret;
	if (name && dev_index(cli, name, &ifindex) != CLI_OK)
		return CLI_ERR;
	nlh = cli_req(cli, MTF_CMD_DEV_GET);
	out_list_begin(&cli->out);
	if (name) {
		nest = mnl_attr_nest_start(nlh, MTF_A_DEV);
		mnl_attr_put_u32(nlh, MTF_DEV_A_IFINDEX, ifindex);
		mnl_attr_nest_end(nlh, nest);
		ret = genl_doit(&cli->gs, nlh, mtf_dump_parse, &dump);
	} else {
		ret = genl_dump(&cli->gs, nlh, mtf_dump_parse, &dump);
	}
	if (ret < 0) {
		out_list_end(&cli->out, true);
		return cli_error(cli, ret, "cannot get the device roles");
	}
	if (out_list_end(&cli->out, false) < 0)
		return cli_error(cli, -EIO, "cannot write output");
	mtf_dump_warn(cli, &dump);
	return CLI_OK;
}

static int dev_set(struct cli *cli, const char *name, int argc, char **argv)
{
	struct mtf_dev d = { 0 };
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	struct mtf_perr e;
	int ret;

	if (mtf_dev_args(argc, argv, &d, &e) < 0)
		return mtfctl_usage(cli, &e);
	ret = cli_connect(cli);
	if (ret != CLI_OK)
		return ret;
	if (dev_index(cli, name, &d.ifindex) != CLI_OK)
		return CLI_ERR;
	nlh = cli_req(cli, MTF_CMD_DEV_SET);
	nest = mnl_attr_nest_start(nlh, MTF_A_DEV);
	mnl_attr_put_u32(nlh, MTF_DEV_A_IFINDEX, d.ifindex);
	mnl_attr_put_u32(nlh, MTF_DEV_A_FLAGS, d.flags);
	mnl_attr_put_u32(nlh, MTF_DEV_A_FLAGS_MASK, d.mask);
	mnl_attr_nest_end(nlh, nest);
	ret = genl_doit(&cli->gs, nlh, NULL, NULL);
	if (ret < 0)
		return cli_error(cli, ret, "cannot set the roles of '%s'", name);
	return CLI_OK;
}

/* Rows for usage only: dispatch is by hand, the device comes first. */
static const struct cli_cmd dev_cmds[] = {
	{ "show", NULL, "[DEV]  print the roles of every interface, or of DEV" },
	{ "set", NULL, "ROLE on|off [ROLE on|off ...], written: dev DEV set ...\n"
	  "             ROLE := border-ingress | strip-egress | account" },
	{ NULL, NULL, NULL }
};

static bool is_help(const char *s)
{
	return !strcmp(s, "help") || !strcmp(s, "-h") || !strcmp(s, "--help");
}

static int check_name(struct cli *cli, const char *name)
{
	if (strlen(name) >= IF_NAMESIZE || !name[0])
		return cli_usage_error(cli, "invalid device name '%s'", name);
	return CLI_OK;
}

int mtfctl_dev(struct cli *cli, int argc, char **argv)
{
	const char *name;

	cli->cmds = dev_cmds;
	if (argc == 0)
		return dev_show(cli, NULL);
	if (is_help(argv[0]))
		return cli_dispatch(cli, dev_cmds, argc, argv);
	if (!strcmp(argv[0], "show")) {
		if (argc > 2)
			return cli_usage_error(cli, "unexpected argument '%s'", argv[2]);
		if (argc == 2 && check_name(cli, argv[1]) != CLI_OK)
			return CLI_USAGE;
		return dev_show(cli, argc == 2 ? argv[1] : NULL);
	}
	if (!strcmp(argv[0], "set"))
		return cli_usage_error(cli, "the device comes first: dev DEV set ROLE on|off");
	name = argv[0];
	if (check_name(cli, name) != CLI_OK)
		return CLI_USAGE;
	if (argc == 1 || !strcmp(argv[1], "show")) {
		if (argc > 2)
			return cli_usage_error(cli, "unexpected argument '%s'", argv[2]);
		return dev_show(cli, name);
	}
	if (!strcmp(argv[1], "set"))
		return dev_set(cli, name, argc - 2, argv + 2);
	return cli_usage_error(cli, "unknown command '%s' for object 'dev'", argv[1]);
}
