// SPDX-License-Identifier: GPL-2.0
/*
 * Netfilter hooks.  For now the gate only counts what arrives and lets
 * every packet through; the admission check for roaming clients will live
 * here.
 */

#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/skbuff.h>

#include "hooks.h"
#include "netns.h"

static unsigned int pre_routing_hook(void *priv, struct sk_buff *skb,
				     const struct nf_hook_state *state)
{
	/*
	 * A GRO-merged skb stands for several packets on the wire; count
	 * those, as the qdisc counters do.
	 */
	u64 segs = skb_is_gso(skb) ? skb_shinfo(skb)->gso_segs : 1;

	roam_stats_add(roam_net(state->net)->stats, ROAM_STAT_IN_PACKETS,
		       ROAM_STAT_IN_BYTES, segs, skb->len);
	return NF_ACCEPT;
}

/*
 * After defragmentation, so the gate will see whole datagrams, and before
 * raw and conntrack, so traffic it drops never creates connection state.
 */
static const struct nf_hook_ops hook_ops[] = {
	{
		.hook = pre_routing_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP_PRI_CONNTRACK_DEFRAG + 1,
	},
};

int roam_hooks_register(struct net *net)
{
	return nf_register_net_hooks(net, hook_ops, ARRAY_SIZE(hook_ops));
}

void roam_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, hook_ops, ARRAY_SIZE(hook_ops));
}
