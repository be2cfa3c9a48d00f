// SPDX-License-Identifier: GPL-2.0
/*
 * Generic netlink family MTF_GENL_NAME; the protocol is described in
 * include/uapi/linux/mtf.h.  Every command acts on the namespace of the
 * requesting socket.
 */

#include <net/genetlink.h>
#include <linux/mtf.h>

#include "config.h"
#include "dev.h"
#include "mark.h"
#include "filter.h"
#include "../common/genl_status.h"
#include "netlink.h"
#include "netns.h"
#include "path.h"
#include "version.h"


/* STATUS_GET takes no attributes: an empty strict policy rejects all. */
static const struct nla_policy status_get_policy[MTF_A_MAX + 1] = {
};

static const struct genl_status_attrs status_attrs = {
	.version = MTF_A_VERSION,
	.cookie = MTF_A_NETNS_COOKIE,
	.pad = MTF_A_PAD,
	.stats = MTF_A_STATS,
	.stat_pad = MTF_STAT_PAD,
	.stat_max = MTF_STAT_MAX,
	.stat_reserved = MTF_STAT_RESERVED_33,
};

static int status_get(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	u64 sum[__MTF_STAT_MAX];

	mtf_stats_read(mtf_net(net)->stats, sum);
	return genl_status_reply(info, &mtf_genl_family, MTF_CMD_STATUS_GET,
				 &status_attrs, MTF_VERSION,
				 compat_net_cookie(net), sum);
}

/*
 * Commands that change state, and those that show marks, carry
 * GENL_UNS_ADMIN_PERM: CAP_NET_ADMIN in the user namespace owning the
 * network namespace.  Marks are unforgeable only while unknown, and
 * paths, filters and path events are made of them, so only status,
 * configuration and interface roles are open to everybody.
 */
static const struct genl_ops genl_ops[] = {
	{
		.cmd = MTF_CMD_STATUS_GET,
		.doit = status_get,
		.policy = status_get_policy,
		.maxattr = MTF_A_MAX,
	},
	{
		.cmd = MTF_CMD_CONFIG_GET,
		.doit = mtf_nl_config_get,
		.policy = status_get_policy,	/* no attributes */
		.maxattr = MTF_A_MAX,
	},
	{
		.cmd = MTF_CMD_CONFIG_SET,
		.doit = mtf_nl_config_set,
		.policy = mtf_nl_config_set_policy,
		.maxattr = MTF_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = MTF_CMD_DEV_GET,
		.doit = mtf_nl_dev_get,
		.dumpit = mtf_nl_dev_dump,
		.policy = mtf_nl_dev_policy,
		.maxattr = MTF_A_MAX,
	},
	{
		.cmd = MTF_CMD_DEV_SET,
		.doit = mtf_nl_dev_set,
		.policy = mtf_nl_dev_policy,
		.maxattr = MTF_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = MTF_CMD_KEY_ROTATE,
		.doit = mtf_nl_key_rotate,
		.policy = mtf_nl_key_rotate_policy,
		.maxattr = MTF_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		/* Admin: marks are what an off-path node must not learn. */
		.cmd = MTF_CMD_MARK_GET,
		.doit = mtf_nl_mark_get,
		.policy = mtf_nl_mark_get_policy,
		.maxattr = MTF_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = MTF_CMD_PATH_GET,
		.start = mtf_nl_path_dump_start,
		.dumpit = mtf_nl_path_dump,
		.done = mtf_nl_path_dump_done,
		.policy = mtf_filter_none_policy,
		.maxattr = MTF_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = MTF_CMD_PATH_FLUSH,
		.doit = mtf_nl_path_flush,
		.policy = mtf_filter_none_policy,
		.maxattr = MTF_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = MTF_CMD_FILTER_ADD,
		.doit = mtf_nl_filter_add,
		.policy = mtf_filter_set_policy,
		.maxattr = MTF_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = MTF_CMD_FILTER_DEL,
		.doit = mtf_nl_filter_del,
		.policy = mtf_filter_set_policy,
		.maxattr = MTF_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = MTF_CMD_FILTER_GET,
		.start = mtf_nl_filter_dump_start,
		.dumpit = mtf_nl_filter_dump,
		.policy = mtf_filter_select_policy,
		.maxattr = MTF_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = MTF_CMD_FILTER_FLUSH,
		.doit = mtf_nl_filter_flush,
		.policy = mtf_filter_select_policy,
		.maxattr = MTF_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group genl_mcgrps[] = {
	/* Path rate events carry marks: admin only, like the commands. */
	{ .name = MTF_GENL_MCGRP_EVENTS, .flags = GENL_MCAST_CAP_NET_ADMIN },
};

/*
 * resv_start_op stays 0, as the kernel asks of new families: every
 * command, this first one included, gets strict attribute validation and
 * has its reserved header field and unknown nlmsg flags rejected.
 */
struct genl_family mtf_genl_family __ro_after_init = {
	.name = MTF_GENL_NAME,
	.version = MTF_GENL_VERSION,
	.module = THIS_MODULE,
	.netnsok = true,
	/* Handlers hold no shared state; no need for genl_mutex. */
	.parallel_ops = true,
	.resv_start_op = 0,
	.ops = genl_ops,
	.n_ops = ARRAY_SIZE(genl_ops),
	.mcgrps = genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(genl_mcgrps),
};

int __init mtf_genl_init(void)
{
	return genl_register_family(&mtf_genl_family);
}

void mtf_genl_uninit(void)
{
	genl_unregister_family(&mtf_genl_family);
}
