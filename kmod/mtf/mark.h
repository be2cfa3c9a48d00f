/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-router marks: mark = lower 32 bits of SipHash-2-4(key, daddr), with
 * a per-namespace key that can be rotated; the previous key keeps
 * verifying for the configured grace period.
 */
#ifndef _MTF_MARK_H
#define _MTF_MARK_H

#include <net/netlink.h>
#include <linux/mtf.h>

struct net;
struct genl_info;
struct sk_buff;

int mtf_mark_net_init(struct net *net);
void mtf_mark_net_exit(struct net *net);

/* Packet path, under RCU: this router's mark for @daddr. */
__be32 mtf_mark(struct net *net, __be32 daddr);
/* Does @mark verify for @daddr under the current or, in grace, the
 * previous key?  Any context; takes the RCU read lock itself.
 */
bool mtf_mark_verify(struct net *net, __be32 daddr, __be32 mark);
u32 mtf_mark_key_id(struct net *net);

extern const struct nla_policy mtf_nl_key_rotate_policy[MTF_A_MAX + 1];
extern const struct nla_policy mtf_nl_mark_get_policy[MTF_A_MAX + 1];
int mtf_nl_key_rotate(struct sk_buff *skb, struct genl_info *info);
int mtf_nl_mark_get(struct sk_buff *skb, struct genl_info *info);

#endif /* _MTF_MARK_H */
