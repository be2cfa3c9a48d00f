// SPDX-License-Identifier: GPL-2.0
/*
 * Per-namespace configuration: defaults and MTF_CMD_CONFIG_GET/SET.
 *
 * Writers hold mtf_net.cfg_lock and store field by field with
 * WRITE_ONCE(); the packet path reads single fields with READ_ONCE() and
 * never needs two of them to be consistent with each other.
 */

#include <net/genetlink.h>

#include "config.h"
#include "filter.h"
#include "hooks.h"
#include "mark.h"
#include "netlink.h"
#include "netns.h"
#include "path.h"

#define GRACE_MS_MAX	(24 * 3600 * 1000)	/* one day */
#define TABLE_MAX	(1U << 24)		/* paths or filters */

void mtf_config_net_init(struct net *net)
{
	struct mtf_net *mn = mtf_net(net);

	mutex_init(&mn->cfg_lock);
	mn->cfg = (struct mtf_config) {
		.router_addr = 0,
		.slots = MTF_MAX_SLOTS,
		.suffix_len = 2,
		.key_grace_ms = 60000,
		.path_max = 65536,
		.path_rate_thresh = 0,
		.filter_max = 1048576,
		.filter_timeout_ms = 1000,
		.path_new_rate = 10000,
		.path_new_burst = 10000,
		.account_local = false,
		.enable = false,
	};
}

/* Not const: 6.1's struct nla_policy points to a mutable range. */
static struct netlink_range_validation grace_range = {
	.max = GRACE_MS_MAX,
};

static struct netlink_range_validation table_range = {
	.min = 1,
	.max = TABLE_MAX,
};

/* The same cap as a filter's own lifetime (filter_nl.c). */
static struct netlink_range_validation timeout_range = {
	.max = MTF_FILTER_TIMEOUT_MS_MAX,
};

static const struct nla_policy cfg_policy[MTF_CFG_A_MAX + 1] = {
	[MTF_CFG_A_ROUTER_ADDR4] = { .type = NLA_BE32 },
	[MTF_CFG_A_SLOTS] = NLA_POLICY_RANGE(NLA_U8, 1, MTF_MAX_SLOTS),
	[MTF_CFG_A_KEY_GRACE_MS] = NLA_POLICY_FULL_RANGE(NLA_U32, &grace_range),
	[MTF_CFG_A_SUFFIX_LEN] = NLA_POLICY_MAX(NLA_U8, MTF_MAX_SLOTS),
	[MTF_CFG_A_PATH_MAX] = NLA_POLICY_FULL_RANGE(NLA_U32, &table_range),
	[MTF_CFG_A_PATH_RATE_THRESH] = { .type = NLA_U32 },
	[MTF_CFG_A_FILTER_MAX] = NLA_POLICY_FULL_RANGE(NLA_U32, &table_range),
	[MTF_CFG_A_FILTER_TIMEOUT_MS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &timeout_range),
	[MTF_CFG_A_PATHS] = { .type = NLA_REJECT,
			      .reject_message = "read-only attribute" },
	[MTF_CFG_A_FILTERS] = { .type = NLA_REJECT,
				.reject_message = "read-only attribute" },
	[MTF_CFG_A_KEY_ID] = { .type = NLA_REJECT,
			       .reject_message = "read-only attribute" },
	[MTF_CFG_A_ACCOUNT_LOCAL] = NLA_POLICY_MAX(NLA_U8, 1),
	[MTF_CFG_A_PATH_NEW_RATE] = NLA_POLICY_FULL_RANGE(NLA_U32, &table_range),
	[MTF_CFG_A_PATH_NEW_BURST] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &table_range),
	[MTF_CFG_A_ENABLE] = NLA_POLICY_MAX(NLA_U8, 1),
	[MTF_CFG_A_HOOKS] = { .type = NLA_REJECT,
			      .reject_message = "read-only attribute" },
};

const struct nla_policy mtf_nl_config_set_policy[MTF_A_MAX + 1] = {
	[MTF_A_CONFIG] = NLA_POLICY_NESTED(cfg_policy),
};

static size_t config_size(void)
{
	return nla_total_size(0) +			/* CONFIG */
	       5 * nla_total_size(sizeof(u8)) +	/* SLOTS, SUFFIX_LEN,
							 * ACCOUNT_LOCAL,
							 * ENABLE, HOOKS */
	       11 * nla_total_size(sizeof(u32));	/* the rest */
}

static int put_config(struct sk_buff *msg, struct net *net)
{
	struct mtf_net *mn = mtf_net(net);
	struct mtf_config cfg;
	struct nlattr *nest;

	mutex_lock(&mn->cfg_lock);
	cfg = mn->cfg;
	mutex_unlock(&mn->cfg_lock);

	nest = nla_nest_start(msg, MTF_A_CONFIG);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_be32(msg, MTF_CFG_A_ROUTER_ADDR4, cfg.router_addr) ||
	    nla_put_u8(msg, MTF_CFG_A_SLOTS, cfg.slots) ||
	    nla_put_u32(msg, MTF_CFG_A_KEY_GRACE_MS, cfg.key_grace_ms) ||
	    nla_put_u8(msg, MTF_CFG_A_SUFFIX_LEN, cfg.suffix_len) ||
	    nla_put_u32(msg, MTF_CFG_A_PATH_MAX, cfg.path_max) ||
	    nla_put_u32(msg, MTF_CFG_A_PATH_RATE_THRESH,
			cfg.path_rate_thresh) ||
	    nla_put_u32(msg, MTF_CFG_A_FILTER_MAX, cfg.filter_max) ||
	    nla_put_u32(msg, MTF_CFG_A_FILTER_TIMEOUT_MS,
			cfg.filter_timeout_ms) ||
	    nla_put_u32(msg, MTF_CFG_A_PATHS, mtf_path_count(net)) ||
	    nla_put_u32(msg, MTF_CFG_A_FILTERS, mtf_filter_count(net)) ||
	    nla_put_u32(msg, MTF_CFG_A_KEY_ID, mtf_mark_key_id(net)) ||
	    nla_put_u8(msg, MTF_CFG_A_ACCOUNT_LOCAL, cfg.account_local) ||
	    nla_put_u32(msg, MTF_CFG_A_PATH_NEW_RATE, cfg.path_new_rate) ||
	    nla_put_u32(msg, MTF_CFG_A_PATH_NEW_BURST, cfg.path_new_burst) ||
	    nla_put_u8(msg, MTF_CFG_A_ENABLE, cfg.enable) ||
	    nla_put_u8(msg, MTF_CFG_A_HOOKS, mtf_hooks_up(net))) {
		nla_nest_cancel(msg, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

int mtf_nl_config_get(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(config_size(), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &mtf_genl_family, 0,
				MTF_CMD_CONFIG_GET);
	if (!hdr || put_config(msg, genl_info_net(info))) {
		nlmsg_free(msg);
		GENL_SET_ERR_MSG(info, "config reply does not fit");
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/* Under cfg_lock: a failed enable leaves the flag as it was. */
static int set_enable(struct net *net, bool on,
		      struct netlink_ext_ack *extack)
{
	struct mtf_net *mn = mtf_net(net);
	bool old = mn->cfg.enable;
	int ret;

	WRITE_ONCE(mn->cfg.enable, on);
	ret = mtf_hooks_update(net);
	if (ret) {
		WRITE_ONCE(mn->cfg.enable, old);
		mtf_hooks_update(net);
		NL_SET_ERR_MSG(extack, "cannot register the netfilter hooks");
	}
	return ret;
}

int mtf_nl_config_set(struct sk_buff *skb, struct genl_info *info)
{
	struct net *net = genl_info_net(info);
	struct mtf_net *mn = mtf_net(net);
	struct nlattr *tb[MTF_CFG_A_MAX + 1];
	struct mtf_config *cfg = &mn->cfg;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, MTF_A_CONFIG))
		return -EINVAL;
	/* Already validated against cfg_policy with the message. */
	ret = nla_parse_nested(tb, MTF_CFG_A_MAX, info->attrs[MTF_A_CONFIG],
			       cfg_policy, info->extack);
	if (ret)
		return ret;

	mutex_lock(&mn->cfg_lock);
	if (tb[MTF_CFG_A_ROUTER_ADDR4])
		WRITE_ONCE(cfg->router_addr,
			   nla_get_be32(tb[MTF_CFG_A_ROUTER_ADDR4]));
	if (tb[MTF_CFG_A_SLOTS])
		WRITE_ONCE(cfg->slots, nla_get_u8(tb[MTF_CFG_A_SLOTS]));
	if (tb[MTF_CFG_A_KEY_GRACE_MS])
		WRITE_ONCE(cfg->key_grace_ms,
			   nla_get_u32(tb[MTF_CFG_A_KEY_GRACE_MS]));
	if (tb[MTF_CFG_A_SUFFIX_LEN])
		WRITE_ONCE(cfg->suffix_len,
			   nla_get_u8(tb[MTF_CFG_A_SUFFIX_LEN]));
	if (tb[MTF_CFG_A_PATH_MAX])
		WRITE_ONCE(cfg->path_max, nla_get_u32(tb[MTF_CFG_A_PATH_MAX]));
	if (tb[MTF_CFG_A_PATH_RATE_THRESH])
		WRITE_ONCE(cfg->path_rate_thresh,
			   nla_get_u32(tb[MTF_CFG_A_PATH_RATE_THRESH]));
	if (tb[MTF_CFG_A_FILTER_MAX])
		WRITE_ONCE(cfg->filter_max,
			   nla_get_u32(tb[MTF_CFG_A_FILTER_MAX]));
	if (tb[MTF_CFG_A_FILTER_TIMEOUT_MS])
		WRITE_ONCE(cfg->filter_timeout_ms,
			   nla_get_u32(tb[MTF_CFG_A_FILTER_TIMEOUT_MS]));
	if (tb[MTF_CFG_A_ACCOUNT_LOCAL])
		WRITE_ONCE(cfg->account_local,
			   nla_get_u8(tb[MTF_CFG_A_ACCOUNT_LOCAL]));
	if (tb[MTF_CFG_A_PATH_NEW_RATE])
		WRITE_ONCE(cfg->path_new_rate,
			   nla_get_u32(tb[MTF_CFG_A_PATH_NEW_RATE]));
	if (tb[MTF_CFG_A_PATH_NEW_BURST])
		WRITE_ONCE(cfg->path_new_burst,
			   nla_get_u32(tb[MTF_CFG_A_PATH_NEW_BURST]));
	if (tb[MTF_CFG_A_ENABLE])
		ret = set_enable(net, nla_get_u8(tb[MTF_CFG_A_ENABLE]),
				 info->extack);
	mutex_unlock(&mn->cfg_lock);
	return ret;
}
