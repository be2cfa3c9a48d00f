/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MTF_CONFIG_H
#define _MTF_CONFIG_H

#include <net/netlink.h>
#include <linux/mtf.h>

struct net;
struct genl_info;
struct sk_buff;

void mtf_config_net_init(struct net *net);

extern const struct nla_policy mtf_nl_config_set_policy[MTF_A_MAX + 1];
int mtf_nl_config_get(struct sk_buff *skb, struct genl_info *info);
int mtf_nl_config_set(struct sk_buff *skb, struct genl_info *info);

#endif /* _MTF_CONFIG_H */
