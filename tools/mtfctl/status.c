// SPDX-License-Identifier: GPL-2.0
/* mtfctl status [show]: MTF_CMD_STATUS_GET. */
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
	[MTF_STAT_DROP_NESTED]		= "drop_nested",
	[MTF_STAT_FILTER_REKEYED]	= "filter_rekeyed",
	[MTF_STAT_PATH_REPLACED]	= "path_replaced",
	[MTF_STAT_PATH_RATELIMITED]	= "path_ratelimited",
	[MTF_STAT_PATH_GLOBAL_FULL]	= "path_global_full",
	[MTF_STAT_ICMP_QUOTE_STRIPPED]	= "icmp_quote_stripped",
	[MTF_STAT_ICMP_QUOTE_BAD]	= "icmp_quote_bad",
};

const struct stats_names mtf_stat_names = {
	.names = names,
	.n = sizeof(names) / sizeof(names[0]),
	.pad = MTF_STAT_PAD,
	/* Was pre_routing_up, a state: now config's "hooks". */
	.reserved = MTF_STAT_RESERVED_33,
};

static const struct genl_status_desc desc = {
	.cmd = MTF_CMD_STATUS_GET,
	.version = MTF_A_VERSION,
	.cookie = MTF_A_NETNS_COOKIE,
	.stats = MTF_A_STATS,
	.max = MTF_A_MAX,
	.names = &mtf_stat_names,
};

/* genl_cb_t for the STATUS_GET reply; copies out of the receive buffer. */
int mtf_status_parse(const struct nlmsghdr *nlh, void *status)
{
	return genl_status_parse(nlh, &desc, status);
}

static int status_show(struct cli *cli, int argc, char **argv)
{
	return genl_status_show(cli, &desc, mtf_status_parse, argc, argv);
}

static const struct cli_cmd status_cmds[] = {
	{ "show", status_show, "print the module version, namespace cookie and counters" },
	{ NULL, NULL, NULL }
};

int mtfctl_status(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, status_cmds, argc, argv);
}
