// SPDX-License-Identifier: GPL-2.0
/* Placeholder until the filter table lands: matches nothing. */
#include <net/genetlink.h>
#include "filter.h"

int mtf_filter_net_init(struct net *net) { return 0; }
void mtf_filter_net_exit(struct net *net) { }
bool mtf_filter_drop(struct net *net, const struct mtf_slot4 *slots,
		     unsigned int n, __be32 saddr, __be32 daddr,
		     unsigned int len) { return false; }
int mtf_nl_filter_add(struct sk_buff *skb, struct genl_info *info) { return -EOPNOTSUPP; }
int mtf_nl_filter_del(struct sk_buff *skb, struct genl_info *info) { return -EOPNOTSUPP; }
int mtf_nl_filter_flush(struct sk_buff *skb, struct genl_info *info) { return -EOPNOTSUPP; }
int mtf_nl_filter_dump(struct sk_buff *skb, struct netlink_callback *cb) { return -EOPNOTSUPP; }
u32 mtf_filter_count(struct net *net) { return 0; }
