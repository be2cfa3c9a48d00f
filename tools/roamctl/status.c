// SPDX-License-Identifier: GPL-2.0
/* roamctl status [show]: ROAM_CMD_STATUS_GET. */
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
	[ROAM_STAT_MIG_SYN_OPT]		= "mig_syn_opt",
	[ROAM_STAT_MIG_NOROOM]		= "mig_noroom",
	[ROAM_STAT_MIG_NEGOTIATED]	= "mig_negotiated",
	[ROAM_STAT_MIG_VERIFIED]	= "mig_verified",
	[ROAM_STAT_MIG_BAD_MAC]		= "mig_bad_mac",
	[ROAM_STAT_MIG_REPLAY]		= "mig_replay",
	[ROAM_STAT_MIG_NO_OPT]		= "mig_no_opt",
	[ROAM_STAT_MIG_XLAT_IN]		= "mig_xlat_in",
	[ROAM_STAT_MIG_XLAT_OUT]	= "mig_xlat_out",
	[ROAM_STAT_MIG_CCONN_FULL]	= "mig_cconn_full",
	[ROAM_STAT_MIG_ACCEPTED]	= "mig_accepted",
	[ROAM_STAT_MIG_OPT_ADDED]	= "mig_opt_added",
	[ROAM_STAT_MIG_DROP_BLOCKED]	= "mig_drop_blocked",
	[ROAM_STAT_MIG_CONFIRMED]	= "mig_confirmed",
	[ROAM_STAT_MIG_CONN_FULL]	= "mig_conn_full",
	[ROAM_STAT_MIG_EVENT_LOST]	= "mig_event_lost",
};

const struct stats_names roam_stat_names = {
	.names = names,
	.n = sizeof(names) / sizeof(names[0]),
	.pad = ROAM_STAT_PAD,
};

static const struct genl_status_desc desc = {
	.cmd = ROAM_CMD_STATUS_GET,
	.version = ROAM_A_VERSION,
	.cookie = ROAM_A_NETNS_COOKIE,
	.stats = ROAM_A_STATS,
	.max = ROAM_A_MAX,
	.names = &roam_stat_names,
};

/* genl_cb_t for the STATUS_GET reply; copies out of the receive buffer. */
int roam_status_parse(const struct nlmsghdr *nlh, void *status)
{
	return genl_status_parse(nlh, &desc, status);
}

static int status_show(struct cli *cli, int argc, char **argv)
{
	return genl_status_show(cli, &desc, roam_status_parse, argc, argv);
}

static const struct cli_cmd status_cmds[] = {
	{ "show", status_show, "print the module version, namespace cookie and counters" },
	{ NULL, NULL, NULL }
};

int roamctl_status(struct cli *cli, int argc, char **argv)
{
	return cli_dispatch(cli, status_cmds, argc, argv);
}
