// SPDX-License-Identifier: GPL-2.0
/* mtfctl status [show]: MTF_CMD_STATUS_GET. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "mtfctl.h"

static const char *const names[] = {
	[MTF_STAT_FWD_PACKETS]		= "fwd_packets",
	[MTF_STAT_FWD_BYTES]		= "fwd_bytes",
	[MTF_STAT_LOCAL_IN_PACKETS]	= "local_in_packets",
	[MTF_STAT_LOCAL_IN_BYTES]	= "local_in_bytes",
	[MTF_STAT_HDR_INSERTED]		= "hdr_inserted",
	[MTF_STAT_SLOT_WRITTEN]		= "slot_written",
	[MTF_STAT_STRIPPED_EGRESS]	= "stripped_egress",
	[MTF_STAT_STRIPPED_LOCAL]	= "stripped_local",
	[MTF_STAT_HEADROOM_EXPAND]	= "headroom_expand",
	[MTF_STAT_INSERT_TAIL]		= "insert_tail",
	[MTF_STAT_GSO_SEGMENTED]	= "gso_segmented",
	[MTF_STAT_PMTU_SENT]		= "pmtu_sent",
	[MTF_STAT_TOO_BIG_UNMARKED]	= "too_big_unmarked",
	[MTF_STAT_FRAG_UNMARKED]	= "frag_unmarked",
	[MTF_STAT_DROP_FULL]		= "drop_full",
	[MTF_STAT_DROP_TRUNCATED]	= "drop_truncated",
	[MTF_STAT_DROP_BAD_SIZE]	= "drop_bad_size",
	[MTF_STAT_DROP_BAD_PTR]		= "drop_bad_ptr",
	[MTF_STAT_DROP_BAD_VERSION]	= "drop_bad_version",
	[MTF_STAT_DROP_FRAGMENT]	= "drop_fragment",
	[MTF_STAT_DROP_NOMEM]		= "drop_nomem",
	[MTF_STAT_FILTER_MATCHED]	= "filter_matched",
	[MTF_STAT_FILTER_DROPPED]	= "filter_dropped",
	[MTF_STAT_FILTER_RATELIMITED]	= "filter_ratelimited",
	[MTF_STAT_FILTER_EXPIRED]	= "filter_expired",
	[MTF_STAT_FILTER_FULL]		= "filter_full",
	[MTF_STAT_PATH_NEW]		= "path_new",
	[MTF_STAT_PATH_EVICTED]		= "path_evicted",
	[MTF_STAT_PATH_FULL]		= "path_full",
	[MTF_STAT_PATH_EVENTS]		= "path_events",
};

const struct stats_names mtf_stat_names = {
	.names = names,
	.n = sizeof(names) / sizeof(names[0]),
	.pad = MTF_STAT_PAD,
};

/* genl_cb_t for the STATUS_GET reply; copies out of the receive buffer. */
int mtf_status_parse(const struct nlmsghdr *nlh, void *status)
{
	static const enum mnl_attr_data_type policy[MTF_A_MAX + 1] = {
		[MTF_A_VERSION]		= MNL_TYPE_NUL_STRING,
		[MTF_A_NETNS_COOKIE]	= MNL_TYPE_U64,
		[MTF_A_STATS]		= MNL_TYPE_NESTED,
	};
	const struct nlattr *tb[MTF_A_MAX + 1];
	struct mtf_status *st = status;
	int ret;

	ret = genl_attr_parse(nlh, policy, tb, MTF_A_MAX);
	if (ret < 0)
		return ret;
	if (tb[MTF_A_VERSION]) {
		snprintf(st->version, sizeof(st->version), "%s",
			 mnl_attr_get_str(tb[MTF_A_VERSION]));
		st->has_version = true;
	}
	if (tb[MTF_A_NETNS_COOKIE]) {
		st->netns_cookie = mnl_attr_get_u64(tb[MTF_A_NETNS_COOKIE]);
		st->has_cookie = true;
	}
	if (tb[MTF_A_STATS]) {
		ret = stats_parse(tb[MTF_A_STATS], &mtf_stat_names, &st->stats);
		if (ret < 0)
			return ret;
		st->has_stats = true;
	}
	return 0;
}

static int status_show(struct cli *cli, int argc, char **argv)
{
	static struct mtf_status st;
	int ret;

	if (argc > 0)
		return cli_usage_error(cli, "unexpected argument '%s'", argv[0]);
	ret = cli_connect(cli);
	if (ret != CLI_OK)
		return ret;
	memset(&st, 0, sizeof(st));
	ret = genl_doit(&cli->gs, cli_req(cli, MTF_CMD_STATUS_GET),
			mtf_status_parse, &st);
	if (ret < 0)
		return cli_error(cli, ret, "cannot get the status");
	if (st.has_version)
		out_str(&cli->out, "version", st.version);
	if (st.has_cookie)
		out_u64(&cli->out, "netns_cookie", st.netns_cookie);
	if (st.has_stats)
		stats_out(&cli->out, "stats", &st.stats, &mtf_stat_names);
	return cli_flush(cli);
}

static const struct cli_cmd status_cmds[] = {
	{ "show", status_show, "print the module version, namespace cookie and counters" },
	{ NULL, NULL, NULL }
};

int mtfctl_status(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, status_cmds, argc, argv);
}
