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
#include "netlink.h"
#include "netns.h"
#include "path.h"
#include "version.h"


/* STATUS_GET takes no attributes: an empty strict policy rejects all. */
static const struct nla_policy status_get_policy[MTF_A_MAX + 1] = {
};

static size_t status_size(void)
{
	size_t nstats = MTF_STAT_MAX - MTF_STAT_PAD;

	return nla_total_size(sizeof(MTF_VERSION)) +	/* VERSION */
	       nla_total_size_64bit(sizeof(u64)) +	/* NETNS_COOKIE */
	       nla_total_size(0) +			/* STATS */
	       nstats * nla_total_size_64bit(sizeof(u64));
}

static int put_stats(struct sk_buff *skb, struct net *net)
{
	u64 sum[__MTF_STAT_MAX];
	struct nlattr *nest;
	int i;

	nest = nla_nest_start(skb, MTF_A_STATS);
	if (!nest)
		return -EMSGSIZE;
	mtf_stats_read(mtf_net(net)->stats, sum);
	for (i = MTF_STAT_PAD + 1; i <= MTF_STAT_MAX; i++) {
		if (nla_put_u64_64bit(skb, i, sum[i], MTF_STAT_PAD)) {
			nla_nest_cancel(skb, nest);
			return -EMSGSIZE;
		}
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int status_get(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(status_size(), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	hdr = genlmsg_put_reply(msg, info, &mtf_genl_family, 0,
				MTF_CMD_STATUS_GET);
	if (!hdr)
		goto err_size;
	if (nla_put_string(msg, MTF_A_VERSION, MTF_VERSION) ||
	    nla_put_u64_64bit(msg, MTF_A_NETNS_COOKIE, compat_net_cookie(net),
			      MTF_A_PAD) ||
	    put_stats(msg, net))
		goto err_size;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_size:
	/* status_size() is wrong: a bug, but not one to crash over. */
	nlmsg_free(msg);
	GENL_SET_ERR_MSG(info, "status reply does not fit");
	return -EMSGSIZE;
}

/*
 * Read-only commands need no privilege.  Commands that change state will
 * carry GENL_UNS_ADMIN_PERM: CAP_NET_ADMIN in the user namespace owning
 * the network namespace.
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
		.dumpit = mtf_nl_filter_dump,
		.policy = mtf_filter_none_policy,
		.maxattr = MTF_A_MAX,
	},
	{
		.cmd = MTF_CMD_FILTER_FLUSH,
		.doit = mtf_nl_filter_flush,
		.policy = mtf_filter_none_policy,
		.maxattr = MTF_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group genl_mcgrps[] = {
	{ .name = MTF_GENL_MCGRP_EVENTS },
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
