// SPDX-License-Identifier: GPL-2.0
/* Placeholder until the path table lands: accounts nothing. */
#include <net/genetlink.h>
#include "path.h"

int mtf_path_net_init(struct net *net) { return 0; }
void mtf_path_net_exit(struct net *net) { }
void mtf_path_account(struct net *net, const struct mtf_slot4 *slots,
		      unsigned int n, __be32 daddr, unsigned int len,
		      unsigned int segs) { }
int mtf_nl_path_dump(struct sk_buff *skb, struct netlink_callback *cb) { return -EOPNOTSUPP; }
int mtf_nl_path_flush(struct sk_buff *skb, struct genl_info *info) { return -EOPNOTSUPP; }
u32 mtf_path_count(struct net *net) { return 0; }
