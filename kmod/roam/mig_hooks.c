// SPDX-License-Identifier: GPL-2.0
/*
 * Netfilter hooks of the live TCP handoff, both roles in one place:
 *
 *   PRE_ROUTING, NF_IP_PRI_RAW - 10 (before conntrack): server side
 *	(negotiation, BLOCKED drops, confirmation), then client side
 *	(negotiation, MIGRATE verification, source translation);
 *   LOCAL_OUT, NF_IP_PRI_CONNTRACK + 1 (after conntrack): client side
 *	(MIGRATE-PERMITTED on SYNs, destination translation), then server
 *	side (MIGRATE-ACCEPT, MIGRATE).
 *
 * Conntrack thus sees a moved connection with the original server's
 * address in both directions, for its whole life.
 */

#include <linux/ip.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/skbuff.h>
#include <net/ip.h>

#include "mig.h"
#include "netns.h"

static bool is_tcp(const struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);

	return iph->protocol == IPPROTO_TCP && !ip_is_fragment(iph);
}

/* Bottom halves off: per-CPU counters, and locks the softirq path takes. */
static unsigned int mig_in(void *priv, struct sk_buff *skb,
			   const struct nf_hook_state *state)
{
	struct roam_net *rn = roam_net(state->net);
	const struct roam_mig_cfg *cfg;
	unsigned int verdict;

	if (!is_tcp(skb) || (state->in && (state->in->flags & IFF_LOOPBACK)))
		return NF_ACCEPT;
	local_bh_disable();
	cfg = rcu_dereference(rn->mig.cfg);
	verdict = roam_mig_server_in(rn, skb, cfg);
	if (verdict == NF_ACCEPT)
		verdict = roam_mig_client_in(rn, skb, cfg);
	local_bh_enable();
	return verdict;
}

static unsigned int mig_out(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state)
{
	struct roam_net *rn = roam_net(state->net);
	const struct roam_mig_cfg *cfg;
	unsigned int verdict;

	if (!is_tcp(skb) || (state->out && (state->out->flags & IFF_LOOPBACK)))
		return NF_ACCEPT;
	local_bh_disable();
	cfg = rcu_dereference(rn->mig.cfg);
	verdict = roam_mig_client_out(rn, skb, cfg);
	if (verdict == NF_ACCEPT)
		verdict = roam_mig_server_out(rn, skb, cfg);
	local_bh_enable();
	return verdict;
}

static const struct nf_hook_ops mig_ops[] = {
	{
		.hook = mig_in,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP_PRI_RAW - 10,
	},
	{
		.hook = mig_out,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_OUT,
		.priority = NF_IP_PRI_CONNTRACK + 1,
	},
};

int roam_mig_hooks_register(struct net *net)
{
	return nf_register_net_hooks(net, mig_ops, ARRAY_SIZE(mig_ops));
}

void roam_mig_hooks_unregister(struct net *net)
{
	nf_unregister_net_hooks(net, mig_ops, ARRAY_SIZE(mig_ops));
}
