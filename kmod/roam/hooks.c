// SPDX-License-Identifier: GPL-2.0
/*
 * The gate on the packet path.  For an IPv4 packet to a pool address (and
 * a service port, if ports are configured):
 *
 *   to the active server                        -> pass (PASS_ACTIVE)
 *   to the previous one, window still open      -> pass (PASS_TRANSITION)
 *   to any other pool address                   -> drop (DROP_INACTIVE)
 *
 * and a packet that would pass is then judged by its source's client
 * entry, if it has one: blocked -> DROP_BLOCKED, over its contract ->
 * DROP_CONTRACT.  Everything else is not the gate's business.
 *
 * No lock and no allocation: one RCU snapshot of the configuration, one
 * RCU hash lookup for the client, per-CPU counters.
 */

#include <linux/in.h>
#include <linux/ip.h>
#include <linux/netdevice.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/skbuff.h>
#include <net/ip.h>

#include "../common/mtf_pathhdr.h"
#include "client.h"
#include "gate.h"
#include "hooks.h"
#include "netns.h"

static bool proto_has_ports(u8 proto)
{
	switch (proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP:
	case IPPROTO_DCCP:
		return true;
	}
	return false;
}

/*
 * The transport protocol of @skb and where its header starts, looking
 * through an MTF path header (kmod/mtf): mtf.ko strips it after this
 * hook and delivers what it wrapped, so the gate must judge that, not
 * protocol 253.  False when the header cannot be parsed (a fragment, a
 * malformed or nested header): mtf.ko drops those, and the gate judges
 * them as service traffic of unknown port, by address.
 */
static bool transport_of(const struct sk_buff *skb, const struct iphdr *iph,
			 u8 *proto, unsigned int *off)
{
	unsigned int ihl = ip_hdrlen(skb);
	struct mtf_hdr _h;
	const u8 *h;
	struct mtf_ph ph;

	*proto = iph->protocol;
	*off = ihl;
	if (*proto != MTF_IPPROTO)
		return true;
	h = skb_header_pointer(skb, ihl, sizeof(_h), &_h);
	if (!h || mtf_ph_parse(h, skb->len - ihl, ip_is_fragment(iph), &ph))
		return false;
	*proto = ph.nexthdr;
	*off = ihl + ph.len;
	return true;
}

/*
 * Is this packet for one of the service ports?  The destination port is
 * bytes 2-3 of the transport header for every protocol with ports.
 *
 * Where the port cannot be known - a non-first fragment (without
 * conntrack nobody reassembles before us), a truncated header, a protocol
 * without ports - the packet counts as service traffic if its protocol
 * is one of the service protocols: judged by address and protocol.  So a
 * fragment flood to an inactive server is dropped too, at the price of
 * dropping the tails of fragmented non-service datagrams of a service
 * protocol sent to inactive pool addresses.  A path header that cannot
 * be looked through hides the protocol too: service traffic.
 */
static bool is_service(const struct roam_gate *gate, const struct sk_buff *skb,
		       const struct iphdr *iph)
{
	bool port_known = false;
	__be16 _ports[2];
	const __be16 *ports;
	unsigned int off;
	u16 dport = 0;
	u8 proto;
	int i;

	if (!transport_of(skb, iph, &proto, &off))
		return true;
	if (!(iph->frag_off & htons(IP_OFFSET)) && proto_has_ports(proto)) {
		ports = skb_header_pointer(skb, off, sizeof(_ports), _ports);
		if (ports) {
			dport = ntohs(ports[1]);
			port_known = true;
		}
	}
	for (i = 0; i < gate->n_ports; i++) {
		u32 p = gate->ports[i];

		if (p >> 16 != proto)
			continue;
		if (!port_known || !(p & 0xffff) || (p & 0xffff) == dport)
			return true;
	}
	return false;
}

/* The address part of the verdict; ROAM_STAT_UNSPEC: not for the gate. */
static enum roam_stat gate_judge(const struct roam_gate *gate,
				 const struct sk_buff *skb)
{
	const struct iphdr *iph = ip_hdr(skb);
	__be32 daddr = iph->daddr;
	enum roam_stat verdict;

	if (daddr == gate->active && daddr)
		verdict = ROAM_STAT_PASS_ACTIVE;
	else if (daddr == gate->prev && roam_gate_window_open(gate))
		verdict = ROAM_STAT_PASS_TRANSITION;
	else if (roam_gate_in_pool(gate, daddr))
		verdict = ROAM_STAT_DROP_INACTIVE;
	else
		return ROAM_STAT_UNSPEC;
	if (gate->n_ports && !is_service(gate, skb, iph))
		return ROAM_STAT_UNSPEC;
	return verdict;
}

static unsigned int judge(struct sk_buff *skb,
			  const struct nf_hook_state *state)
{
	struct roam_net *rn = roam_net(state->net);
	const struct roam_gate *gate;
	struct roam_client *c;
	enum roam_stat verdict;
	/*
	 * A GRO-merged skb stands for several packets on the wire; count
	 * those, as the qdisc counters do.
	 */
	u32 segs = skb_is_gso(skb) ? skb_shinfo(skb)->gso_segs : 1;

	roam_stats_add(rn->stats, ROAM_STAT_IN_PACKETS, ROAM_STAT_IN_BYTES,
		       segs, skb->len);
	/* Host-internal traffic (roamd probing its own service) is not. */
	if (state->in && (state->in->flags & IFF_LOOPBACK))
		return NF_ACCEPT;
	/* nf_hook() holds rcu_read_lock() around every hook. */
	gate = rcu_dereference(rn->gate);
	if (!gate->n_pool)
		return NF_ACCEPT;
	verdict = gate_judge(gate, skb);
	if (verdict == ROAM_STAT_UNSPEC)
		return NF_ACCEPT;
	/*
	 * Drops by address come first and need no client lookup: a flood
	 * at inactive servers costs one binary search per packet.
	 */
	if (verdict != ROAM_STAT_DROP_INACTIVE && READ_ONCE(rn->clients.n)) {
		c = roam_client_lookup(&rn->clients, ip_hdr(skb)->saddr);
		if (c)
			verdict = roam_client_judge(rn, c, skb, segs, verdict);
	}
	roam_stats_inc(rn->stats, verdict, segs);
	if (verdict == ROAM_STAT_PASS_ACTIVE ||
	    verdict == ROAM_STAT_PASS_TRANSITION)
		return NF_ACCEPT;
	return NF_DROP;
}

/*
 * Bottom halves off around the per-CPU counters and the client token
 * buckets: after an NFQUEUE verdict, nf_reinject() runs the hooks that
 * follow in process context (ipt_do_table() does the same).
 */
static unsigned int pre_routing_hook(void *priv, struct sk_buff *skb,
				     const struct nf_hook_state *state)
{
	unsigned int verdict;

	local_bh_disable();
	verdict = judge(skb, state);
	local_bh_enable();
	return verdict;
}

/*
 * After defragmentation, so the gate sees whole datagrams when conntrack
 * is loaded, and before raw and conntrack, so traffic it drops never
 * creates connection state.  PRE_ROUTING sees packets for this host and
 * packets it forwards alike: the same gate works on a pool server and on
 * a firewall in front of the pool.
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
