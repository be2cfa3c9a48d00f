// SPDX-License-Identifier: GPL-2.0
/*
 * Netfilter hooks.  For now they only count what they see and let every
 * packet through; the path marking of the filter will live here.
 */

#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/skbuff.h>

#include "hooks.h"
#include "netns.h"

/*
 * A GRO-merged skb stands for several packets on the wire; count those,
 * as the qdisc byte/packet counters do, so that rates stay meaningful.
 */
static void account(const struct nf_hook_state *state,
		    const struct sk_buff *skb, enum mtf_stat packets,
		    enum mtf_stat bytes)
{
	u64 segs = skb_is_gso(skb) ? skb_shinfo(skb)->gso_segs : 1;

	mtf_stats_add(mtf_net(state->net)->stats, packets, bytes, segs,
		      skb->len);
}

static unsigned int forward_hook(void *priv, struct sk_buff *skb,
				 const struct nf_hook_state *state)
{
	account(state, skb, MTF_STAT_FWD_PACKETS, MTF_STAT_FWD_BYTES);
	return NF_ACCEPT;
}

static unsigned int local_in_hook(void *priv, struct sk_buff *skb,
				  const struct nf_hook_state *state)
{
	account(state, skb, MTF_STAT_LOCAL_IN_PACKETS, MTF_STAT_LOCAL_IN_BYTES);
	return NF_ACCEPT;
}

/*
 * After the filter table: only traffic the local firewall accepts is seen
 * (and, later, marked).
 */
static const struct nf_hook_ops hook_ops[] = {
	{
		.hook = forward_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_FORWARD,
		.priority = NF_IP_PRI_FILTER + 1,
	},
	{
		.hook = local_in_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP_PRI_FILTER + 1,
	},
};

int mtf_hooks_register(struct net *net)
{
	return nf_register_net_hooks(net, hook_ops, ARRAY_SIZE(hook_ops));
}

void mtf_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, hook_ops, ARRAY_SIZE(hook_ops));
}
