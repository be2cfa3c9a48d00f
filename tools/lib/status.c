// SPDX-License-Identifier: GPL-2.0
/* The modules' STATUS_GET reply, parsed and printed (status.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "genl.h"
#include "status.h"

#define STATUS_ATTR_MAX 63

int genl_status_parse(const struct nlmsghdr *nlh,
		      const struct genl_status_desc *d,
		      struct genl_status *st)
{
	enum mnl_attr_data_type policy[STATUS_ATTR_MAX + 1] = { 0 };
	const struct nlattr *tb[STATUS_ATTR_MAX + 1];
	int ret;

	if (d->max > STATUS_ATTR_MAX)
		return -EINVAL;
	policy[d->version] = MNL_TYPE_NUL_STRING;
	policy[d->cookie] = MNL_TYPE_U64;
	policy[d->stats] = MNL_TYPE_NESTED;
	ret = genl_attr_parse(nlh, policy, tb, d->max);
	if (ret < 0)
		return ret;
	if (tb[d->version]) {
		snprintf(st->version, sizeof(st->version), "%s",
			 mnl_attr_get_str(tb[d->version]));
		st->has_version = true;
	}
	if (tb[d->cookie]) {
		st->netns_cookie = mnl_attr_get_u64(tb[d->cookie]);
		st->has_cookie = true;
	}
	if (tb[d->stats]) {
		ret = stats_parse(tb[d->stats], d->names, &st->stats);
		if (ret < 0)
			return ret;
		st->has_stats = true;
	}
	return 0;
}

int genl_status_show(struct cli *cli, const struct genl_status_desc *d,
		     genl_cb_t parse, int argc, char **argv)
{
	static struct genl_status st;
	int ret;

	if (argc > 0)
		return cli_usage_error(cli, "unexpected argument '%s'", argv[0]);
	ret = cli_connect(cli);
	if (ret != CLI_OK)
		return ret;
	memset(&st, 0, sizeof(st));
	ret = genl_doit(&cli->gs, cli_req(cli, d->cmd), parse, &st);
	if (ret < 0)
		return cli_error(cli, ret, "cannot get the status");
	if (st.has_version)
		out_str(&cli->out, "version", st.version);
	if (st.has_cookie)
		out_u64(&cli->out, "netns_cookie", st.netns_cookie);
	if (st.has_stats)
		stats_out(&cli->out, "stats", &st.stats, d->names);
	return cli_flush(cli);
}
