// SPDX-License-Identifier: GPL-2.0
/* roamctl status [show]: ROAM_CMD_STATUS_GET. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "roamctl.h"

static const char *const names[] = {
	[ROAM_STAT_IN_PACKETS]	= "in_packets",
	[ROAM_STAT_IN_BYTES]	= "in_bytes",
	[ROAM_STAT_PASS_ACTIVE]		= "pass_active",
	[ROAM_STAT_PASS_TRANSITION]	= "pass_transition",
	[ROAM_STAT_DROP_INACTIVE]	= "drop_inactive",
	[ROAM_STAT_DROP_BLOCKED]	= "drop_blocked",
	[ROAM_STAT_DROP_CONTRACT]	= "drop_contract",
	[ROAM_STAT_CLIENT_VIOLATIONS]	= "client_violations",
	[ROAM_STAT_ATTACK_EVENTS]	= "attack_events",
	[ROAM_STAT_CLIENT_FULL]		= "client_full",
};

const struct stats_names roam_stat_names = {
	.names = names,
	.n = sizeof(names) / sizeof(names[0]),
	.pad = ROAM_STAT_PAD,
};

/* genl_cb_t for the STATUS_GET reply; copies out of the receive buffer. */
int roam_status_parse(const struct nlmsghdr *nlh, void *status)
{
	static const enum mnl_attr_data_type policy[ROAM_A_MAX + 1] = {
		[ROAM_A_VERSION]		= MNL_TYPE_NUL_STRING,
		[ROAM_A_NETNS_COOKIE]	= MNL_TYPE_U64,
		[ROAM_A_STATS]		= MNL_TYPE_NESTED,
	};
	const struct nlattr *tb[ROAM_A_MAX + 1];
	struct roam_status *st = status;
	int ret;

	ret = genl_attr_parse(nlh, policy, tb, ROAM_A_MAX);
	if (ret < 0)
		return ret;
	if (tb[ROAM_A_VERSION]) {
		snprintf(st->version, sizeof(st->version), "%s",
			 mnl_attr_get_str(tb[ROAM_A_VERSION]));
		st->has_version = true;
	}
	if (tb[ROAM_A_NETNS_COOKIE]) {
		st->netns_cookie = mnl_attr_get_u64(tb[ROAM_A_NETNS_COOKIE]);
		st->has_cookie = true;
	}
	if (tb[ROAM_A_STATS]) {
		ret = stats_parse(tb[ROAM_A_STATS], &roam_stat_names,
				  &st->stats);
		if (ret < 0)
			return ret;
		st->has_stats = true;
	}
	return 0;
}

static int status_show(struct cli *cli, int argc, char **argv)
{
	static struct roam_status st;
	int ret;

	if (argc > 0)
		return cli_usage_error(cli, "unexpected argument '%s'", argv[0]);
	ret = cli_connect(cli);
	if (ret != CLI_OK)
		return ret;
	memset(&st, 0, sizeof(st));
	ret = genl_doit(&cli->gs, cli_req(cli, ROAM_CMD_STATUS_GET),
			roam_status_parse, &st);
	if (ret < 0)
		return cli_error(cli, ret, "cannot get the status");
	if (st.has_version)
		out_str(&cli->out, "version", st.version);
	if (st.has_cookie)
		out_u64(&cli->out, "netns_cookie", st.netns_cookie);
	if (st.has_stats)
		stats_out(&cli->out, "stats", &st.stats, &roam_stat_names);
	return cli_flush(cli);
}

static const struct cli_cmd status_cmds[] = {
	{ "show", status_show, "print the module version, namespace cookie and counters" },
	{ NULL, NULL, NULL }
};

int roamctl_status(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, status_cmds, argc, argv);
}
