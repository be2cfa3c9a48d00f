/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flow filters keyed by recorded path suffix (+ optional source prefix)
 * and destination, with drop or token-bucket rate-limit actions.
 */
#ifndef _MTF_FILTER_H
#define _MTF_FILTER_H

#include <linux/types.h>
#include <linux/mtf.h>

struct net;
struct genl_info;
struct sk_buff;
struct netlink_callback;

int mtf_filter_net_init(struct net *net);
void mtf_filter_net_exit(struct net *net);

/*
 * Packet path, under RCU with bottom halves disabled.  @slots are the
 * filled slots of the packet's path header (oldest first, @n of them,
 * including this router's own slot if it just wrote one), valid for the
 * duration of the call.  Returns true if the packet must be dropped.
 */
bool mtf_filter_drop(struct net *net, const struct mtf_slot4 *slots,
		     unsigned int n, __be32 saddr, __be32 daddr,
		     unsigned int len);

/* Generic netlink handlers (netlink.c wires them into the family). */
int mtf_nl_filter_add(struct sk_buff *skb, struct genl_info *info);
int mtf_nl_filter_del(struct sk_buff *skb, struct genl_info *info);
int mtf_nl_filter_flush(struct sk_buff *skb, struct genl_info *info);
int mtf_nl_filter_dump(struct sk_buff *skb, struct netlink_callback *cb);
u32 mtf_filter_count(struct net *net);

#endif /* _MTF_FILTER_H */
