/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flow filters keyed by recorded path suffix (+ optional source prefix)
 * and destination, with drop or token-bucket rate-limit actions.
 */
#ifndef _MTF_FILTER_H
#define _MTF_FILTER_H

#include <linux/types.h>
#include <net/netlink.h>
#include <linux/mtf.h>

#include "netns.h"

struct net;
struct genl_info;
struct sk_buff;
struct netlink_callback;

/* Module init/exit: the filter object caches. */
int mtf_filter_init(void);
void mtf_filter_uninit(void);

/* Namespace init/exit; exit runs after the hooks are unregistered. */
int mtf_filter_net_init(struct net *net);
void mtf_filter_net_exit(struct net *net);

bool __mtf_filter_drop(struct mtf_net *mn, const struct mtf_slot4 *slots,
		       unsigned int n, __be32 saddr, __be32 daddr,
		       unsigned int len);

/*
 * Packet path, under RCU with bottom halves disabled.  @slots are the
 * filled slots of the packet's path header (oldest first, @n of them,
 * 1..MTF_MAX_SLOTS, including this router's own slot if it just wrote
 * one), valid for the duration of the call.  Returns true if the packet
 * must be dropped.  Inline up to the lookup: a packet shorter than every
 * filter's suffix, or in a namespace without filters, costs no call.
 */
static inline bool mtf_filter_drop(struct mtf_net *mn,
				   const struct mtf_slot4 *slots,
				   unsigned int n, __be32 saddr, __be32 daddr,
				   unsigned int len)
{
	if (likely(!(READ_ONCE(mn->filter_kmask) & GENMASK(n, 1))))
		return false;
	return __mtf_filter_drop(mn, slots, n, saddr, daddr, len);
}

bool __mtf_filter_drop_unmarked(struct mtf_net *mn, u32 iif, __be32 saddr,
				__be32 daddr, unsigned int len);

/*
 * The same for a packet this router forwards without a path header
 * (a fragment, too big for one, or from an interface without the
 * border-ingress role), arrived on interface @iif: only unmarked
 * filters (suffix length 0, bit 0 of filter_kmask) can match it, and a
 * namespace without one pays a test and no call.
 */
static inline bool mtf_filter_drop_unmarked(struct mtf_net *mn, u32 iif,
					    __be32 saddr, __be32 daddr,
					    unsigned int len)
{
	if (likely(!(READ_ONCE(mn->filter_kmask) & BIT(0))))
		return false;
	return __mtf_filter_drop_unmarked(mn, iif, saddr, daddr, len);
}

/* Generic netlink handlers and policies (netlink.c wires them in). */
extern const struct nla_policy mtf_filter_set_policy[MTF_A_MAX + 1];
extern const struct nla_policy mtf_filter_none_policy[MTF_A_MAX + 1];
extern const struct nla_policy mtf_filter_select_policy[MTF_A_MAX + 1];
int mtf_nl_filter_add(struct sk_buff *skb, struct genl_info *info);
int mtf_nl_filter_del(struct sk_buff *skb, struct genl_info *info);
int mtf_nl_filter_flush(struct sk_buff *skb, struct genl_info *info);
int mtf_nl_filter_dump_start(struct netlink_callback *cb);
int mtf_nl_filter_dump(struct sk_buff *skb, struct netlink_callback *cb);
u32 mtf_filter_count(struct net *net);

struct mtf_keys;
unsigned int mtf_filter_rekey(struct net *net, const struct mtf_keys *k);

/* Puts @n slots as a nest @attrtype of MTF_A_SLOT nests (path.c too). */
int mtf_nl_put_slots(struct sk_buff *skb, int attrtype,
		     const struct mtf_slot4 *slots, unsigned int n);

#endif /* _MTF_FILTER_H */
