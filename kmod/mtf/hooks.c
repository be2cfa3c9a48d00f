// SPDX-License-Identifier: GPL-2.0
/*
 * Netfilter hooks: the MTF packet path (Documentation/mtf-protocol.md).
 *
 * FORWARD, last of all hooks (NF_IP_PRI_LAST - 1): the local firewall
 * decides on the packet as it arrived, and when a GSO packet has to be
 * segmented before marking, each segment can go on with state->okfn()
 * without skipping any other hook.  Roles of the ingress interface:
 * border-ingress inserts a header or writes the next slot, account
 * records the path; of the egress interface: strip-egress removes the
 * header.  Every router validates MTF packets and applies its filters.
 *
 * PRE_ROUTING, just before conntrack (NF_IP_PRI_CONNTRACK - 1): a packet
 * with a path header for this host is accounted, filtered and stripped
 * here, so that conntrack, NAT, every nftables chain from mangle on and
 * the sockets only ever see the original packet (a conntrack entry for
 * protocol 253 would never see a reply, and "tcp dport" rules would not
 * match).  Only the raw table (-300) and defragmentation see it with the
 * header.  "For this host" is the ordinary local-address check,
 * inet_addr_type_dev_table(): one lookup in the local table, for MTF
 * packets only.  Registered with config enable only (see
 * pre_routing_ops).
 *
 * LOCAL_IN, first of all (NF_IP_PRI_FIRST + 1): strips what PRE_ROUTING
 * did not (without enable, or policy routing to a local table other than
 * the one inet_addr_type_dev_table() reads), before any INPUT chain, so
 * that the firewall and the sockets still see the original packet;
 * counts what it lets through.  ip_local_deliver_finish() runs after
 * this hook and reads ip_hdr()->protocol and the network header length:
 * the strip resets both headers for it.
 *
 * Opt-in: FORWARD and LOCAL_IN are registered in a namespace when it gets
 * its first interface role or config enable, PRE_ROUTING with enable
 * only, from the netlink handler that sets them, and unregistered when
 * they are gone (as IPVS registers its hooks with the first service).
 * A namespace without them passes protocol 253 like any other: no parse,
 * no drop, no strip, and its packets skip the hook calls.
 *
 * Nothing here allocates or locks, except growing the headroom of a
 * packet that gets a header and segmenting a GSO packet first, both at
 * the inserting router only, and unsharing a cloned head before writing.
 */

#include <linux/inetdevice.h>
#include <linux/mutex.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/rtnetlink.h>
#include <linux/skbuff.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/route.h>

#include "dev.h"
#include "filter.h"
#include "hooks.h"
#include "icmp.h"
#include "mark.h"
#include "netns.h"
#include "path.h"
#include "shim.h"

/* What to do with a packet's path header. */
enum {
	PH_WRITE = 0x1,		/* write our slot (border-ingress) */
	PH_ACCOUNT = 0x2,	/* account the path */
	PH_STRIP_EGRESS = 0x4,	/* strip: next hop does not run MTF */
	PH_STRIP_LOCAL = 0x8,	/* strip: delivered to this host */
};

static u32 segs_of(const struct sk_buff *skb)
{
	return skb_is_gso(skb) ? skb_shinfo(skb)->gso_segs : 1;
}

/*
 * A GRO-merged skb stands for several packets on the wire; count those,
 * as the qdisc byte/packet counters do, so that rates stay meaningful.
 */
static void account(struct mtf_net *mn, const struct sk_buff *skb,
		    enum mtf_stat packets, enum mtf_stat bytes)
{
	mtf_stats_add(mn->stats, packets, bytes, segs_of(skb), skb->len);
}

static unsigned int mtf_hook_drop(struct mtf_net *mn, enum mtf_stat why)
{
	mtf_stats_inc(mn->stats, why);
	return NF_DROP;
}

/*
 * The address in our slots: the configured one, else the one the kernel
 * would pick as source on the ingress interface.
 */
static __be32 mtf_router_addr(struct mtf_net *mn, const struct net_device *in)
{
	return READ_ONCE(mn->cfg.router_addr) ?:
	       inet_select_addr(in, 0, RT_SCOPE_UNIVERSE);
}

/*
 * Account, filter, strip: the steps after our slot (if any) is written.
 * @slots are the filled slots, in the packet or a copy: read before the
 * header goes, and only while this runs.
 */
static __always_inline unsigned int mtf_ph_finish(struct mtf_net *mn,
						  struct net *net,
						  struct sk_buff *skb,
						  const struct mtf_shim *sh,
						  const struct mtf_slot4 *slots,
						  unsigned int n,
						  unsigned int what)
{
	const struct iphdr *iph = ip_hdr(skb);

	if (what & PH_ACCOUNT)
		mtf_path_account(net, slots, n, iph->daddr, skb->len,
				 segs_of(skb));
	if (mtf_filter_drop(mn, slots, n, iph->saddr, iph->daddr, skb->len))
		return NF_DROP;
	if (!(what & (PH_STRIP_EGRESS | PH_STRIP_LOCAL)) || !sh)
		return NF_ACCEPT;
	if (mtf_shim_strip(skb, sh))
		return mtf_hook_drop(mn, MTF_STAT_DROP_NOMEM);
	mtf_stats_inc(mn->stats, what & PH_STRIP_LOCAL ?
			MTF_STAT_STRIPPED_LOCAL : MTF_STAT_STRIPPED_EGRESS);
	return NF_ACCEPT;
}

/* Forwarded without a path header: only unmarked filters apply. */
static __always_inline unsigned int unmarked(struct mtf_net *mn,
					     const struct sk_buff *skb,
					     const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);

	if (mtf_filter_drop_unmarked(mn, state->in->ifindex, iph->saddr,
				     iph->daddr, skb->len))
		return NF_DROP;
	return NF_ACCEPT;
}

static const struct mtf_slot4 *shim_slots(const struct sk_buff *skb,
					  const struct mtf_shim *sh)
{
	/* 4-byte aligned: the IPv4 header is, and so are its lengths. */
	return (const struct mtf_slot4 *)(mtf_shim_hdr(skb, sh) +
					  sizeof(struct mtf_hdr));
}

/* A packet that carries a path header (protocol MTF_IPPROTO). */
static unsigned int mtf_packet(struct mtf_net *mn, struct sk_buff *skb,
			       const struct nf_hook_state *state,
			       unsigned int what)
{
	struct mtf_slot4 buf[MTF_MAX_SLOTS];
	struct mtf_slot4 ours;
	struct mtf_shim sh;
	unsigned int n;
	int err;

	err = mtf_shim_parse(skb, &sh);
	/*
	 * IPv6 slots are well-formed but this version can neither write
	 * nor match them: letting them through unfiltered would be a way
	 * around every filter, so they are refused everywhere.
	 */
	if (!err && mtf_ph_v6(&sh.ph))
		err = MTF_STAT_DROP_BAD_VERSION;
	if (err)
		return mtf_hook_drop(mn, err);
	n = sh.ph.ptr;
	if (!(what & PH_WRITE))
		return mtf_ph_finish(mn, state->net, skb, &sh,
				     shim_slots(skb, &sh), n, what);

	if (n == sh.ph.size)
		return mtf_hook_drop(mn, MTF_STAT_DROP_FULL);
	ours.addr = mtf_router_addr(mn, state->in);
	ours.mark = mtf_mark(mn, ip_hdr(skb)->daddr);
	mtf_stats_inc(mn->stats, MTF_STAT_SLOT_WRITTEN);
	if (what & PH_STRIP_EGRESS) {
		/*
		 * The header leaves with this packet: our slot need only be
		 * in the path the filters see, not in the packet.
		 */
		memcpy(buf, shim_slots(skb, &sh), n * sizeof(buf[0]));
		buf[n] = ours;
		return mtf_ph_finish(mn, state->net, skb, &sh, buf, n + 1,
				     what);
	}
	if (mtf_ensure_writable(skb, sh.ihl + sh.ph.len))
		return mtf_hook_drop(mn, MTF_STAT_DROP_NOMEM);
	mtf_shim_write_slot(skb, &sh, ours.addr, ours.mark);
	return mtf_ph_finish(mn, state->net, skb, &sh, shim_slots(skb, &sh),
			     n + 1, what);
}

/*
 * Insert a header into one non-GSO packet that fits the egress MTU and
 * fill slot 0.  @slot0 is ours, computed once for all segments.
 */
static __always_inline unsigned int
insert_one(struct mtf_net *mn, struct sk_buff *skb,
	   const struct nf_hook_state *state, const struct mtf_slot4 *slot0,
	   unsigned int what)
{
	unsigned int size = READ_ONCE(mn->cfg.slots);
	enum mtf_insert_how how;
	struct mtf_shim sh;

	if (mtf_shim_insert(skb, size, LL_RESERVED_SPACE(state->out), &sh,
			    &how))
		return mtf_hook_drop(mn, MTF_STAT_DROP_NOMEM);
	if (how == MTF_INSERT_EXPAND)
		mtf_stats_inc(mn->stats, MTF_STAT_HEADROOM_EXPAND);
	else if (how == MTF_INSERT_TAIL)
		mtf_stats_inc(mn->stats, MTF_STAT_INSERT_TAIL);
	mtf_shim_write_slot(skb, &sh, slot0->addr, slot0->mark);
	mtf_stats_inc(mn->stats, MTF_STAT_HDR_INSERTED);
	mtf_stats_inc(mn->stats, MTF_STAT_SLOT_WRITTEN);
	return mtf_ph_finish(mn, state->net, skb, NULL, slot0, 1, what);
}

/*
 * GSO: the header would sit between IP and TCP, where segmentation on
 * output cannot find TCP.  Segment here, in software as nf_queue does,
 * mark each segment and send it on ourselves; the hook consumed the
 * original.  Being the last FORWARD hook, okfn skips nothing.
 */
static unsigned int insert_gso(struct mtf_net *mn, struct sk_buff *skb,
			       const struct nf_hook_state *state,
			       const struct mtf_slot4 *slot0,
			       unsigned int what)
{
	struct sk_buff *segs, *seg, *next;

	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs))
		return mtf_hook_drop(mn, MTF_STAT_DROP_NOMEM);
	mtf_stats_inc(mn->stats, MTF_STAT_GSO_SEGMENTED);
	consume_skb(skb);

	skb_list_walk_safe(segs, seg, next) {
		skb_mark_not_on_list(seg);
		if (insert_one(mn, seg, state, slot0, what) == NF_ACCEPT)
			state->okfn(state->net, state->sk, seg);
		else
			kfree_skb(seg);
	}
	return NF_STOLEN;
}

/* Would the packet, @hlen bytes longer, still fit the egress MTU? */
static bool fits(const struct sk_buff *skb, unsigned int hlen,
		 unsigned int mtu)
{
	if (mtu <= hlen)
		return false;
	if (skb_is_gso(skb))
		return skb_gso_validate_network_len(skb, mtu - hlen);
	return skb->len + hlen <= mtu;
}

/*
 * A packet without a path header arriving on a border-ingress interface.
 * Out of line, so that forward_hook() needs no stack frame of its own.
 */
static noinline unsigned int mtf_insert_hdr(struct mtf_net *mn,
					   struct sk_buff *skb,
					   const struct nf_hook_state *state,
					   unsigned int what)
{
	const struct iphdr *iph = ip_hdr(skb);
	struct mtf_slot4 slot0;
	unsigned int hlen, mtu;

	/* Never put the header into a fragment. */
	if (mtf_shim_is_frag(skb)) {
		mtf_stats_inc(mn->stats, MTF_STAT_FRAG_UNMARKED);
		return unmarked(mn, skb, state);
	}
	slot0.addr = mtf_router_addr(mn, state->in);
	slot0.mark = mtf_mark(mn, iph->daddr);

	/*
	 * Leaving MTF right away: the header would be inserted and stripped
	 * again.  Filter and account as if it had been, and leave the
	 * packet alone.
	 */
	if (what & PH_STRIP_EGRESS)
		return mtf_ph_finish(mn, state->net, skb, NULL, &slot0, 1,
				     what);

	hlen = MTF_HDR_LEN(READ_ONCE(mn->cfg.slots), false);
	mtu = ip_dst_mtu_maybe_forward(skb_dst(skb), true);
	if (!fits(skb, hlen, mtu)) {
		/*
		 * Fragmenting would put the header into fragments.  With DF,
		 * have the sender make room for it through path-MTU
		 * discovery; without, it goes on unmarked.
		 */
		if (iph->frag_off & htons(IP_DF) && !skb->ignore_df) {
			icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
				  htonl(mtu > hlen ? mtu - hlen : 0));
			return mtf_hook_drop(mn, MTF_STAT_PMTU_SENT);
		}
		mtf_stats_inc(mn->stats, MTF_STAT_TOO_BIG_UNMARKED);
		return unmarked(mn, skb, state);
	}

	if (skb_is_gso(skb))
		return insert_gso(mn, skb, state, &slot0, what);
	return insert_one(mn, skb, state, &slot0, what);
}

static unsigned int __forward_hook(struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	struct mtf_net *mn = mtf_net(state->net);
	u32 in = mtf_dev_roles_rcu(mn, state->in);
	u32 out = mtf_dev_roles_rcu(mn, state->out);
	unsigned int what = 0;

	account(mn, skb, MTF_STAT_FWD_PACKETS, MTF_STAT_FWD_BYTES);
	if (in & MTF_DEV_F_BORDER_INGRESS)
		what |= PH_WRITE;
	if (in & MTF_DEV_F_ACCOUNT)
		what |= PH_ACCOUNT;
	if (out & MTF_DEV_F_STRIP_EGRESS)
		what |= PH_STRIP_EGRESS;

	if (ip_hdr(skb)->protocol == MTF_IPPROTO)
		return mtf_packet(mn, skb, state, what);
	/*
	 * Before inserting: an ICMP error that gets a path header of its
	 * own has lost the one in its quote first (icmp.c).
	 */
	if (ip_hdr(skb)->protocol == IPPROTO_ICMP)
		mtf_icmp_unquote(mn, skb);
	if (what & PH_WRITE)
		return mtf_insert_hdr(mn, skb, state, what);
	return unmarked(mn, skb, state);
}

/* A packet with a path header delivered to this host. */
static unsigned int mtf_local_packet(struct mtf_net *mn, struct sk_buff *skb,
				     const struct nf_hook_state *state)
{
	unsigned int what = PH_STRIP_LOCAL;

	if (mtf_path_local(mn, state->in))
		what |= PH_ACCOUNT;
	return mtf_packet(mn, skb, state, what);
}

/*
 * The route itself is left to ip_rcv_finish(), after every PRE_ROUTING
 * hook, as for any other packet.
 */
static unsigned int __pre_routing_hook(struct sk_buff *skb,
				       const struct nf_hook_state *state)
{
	if (inet_addr_type_dev_table(state->net, state->in,
				     ip_hdr(skb)->daddr) != RTN_LOCAL)
		return NF_ACCEPT;
	return mtf_local_packet(mtf_net(state->net), skb, state);
}

static unsigned int __local_in_hook(struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	struct mtf_net *mn = mtf_net(state->net);
	unsigned int verdict;

	if (unlikely(ip_hdr(skb)->protocol == MTF_IPPROTO)) {
		verdict = mtf_local_packet(mn, skb, state);
		if (verdict != NF_ACCEPT)
			return verdict;
	}
	account(mn, skb, MTF_STAT_LOCAL_IN_PACKETS, MTF_STAT_LOCAL_IN_BYTES);
	return NF_ACCEPT;
}

/*
 * Hooks usually run in softirq, but not always: after an NFQUEUE verdict
 * nf_reinject() runs the later hooks in process context, preemptible
 * under PREEMPT_RCU.  The per-CPU state (counters, the mark cache, the
 * filter memo) needs this CPU to itself while it is used, so, as
 * ipt_do_table() does, the bodies run with bottom halves off.  In
 * softirq that is a preempt count add and sub.
 */
#define MTF_HOOK(name)							\
static unsigned int name(void *priv, struct sk_buff *skb,		\
			 const struct nf_hook_state *state)		\
{									\
	unsigned int verdict;						\
									\
	local_bh_disable();						\
	verdict = __##name(skb, state);					\
	local_bh_enable();						\
	return verdict;							\
}

MTF_HOOK(forward_hook)
MTF_HOOK(local_in_hook)

/* Only MTF packets pay more than this test, and the lookup. */
static unsigned int pre_routing_hook(void *priv, struct sk_buff *skb,
				     const struct nf_hook_state *state)
{
	unsigned int verdict;

	if (likely(ip_hdr(skb)->protocol != MTF_IPPROTO))
		return NF_ACCEPT;
	local_bh_disable();
	verdict = __pre_routing_hook(skb, state);
	local_bh_enable();
	return verdict;
}

/* With the first role or enable. */
static const struct nf_hook_ops hook_ops[] = {
	{
		.hook = forward_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_FORWARD,
		.priority = NF_IP_PRI_LAST - 1,
	},
	{
		.hook = local_in_hook,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP_PRI_FIRST + 1,
	},
};

/*
 * With enable only: a namespace that asked to run MTF as a host.  For a
 * router with roles the local-table lookup would be a second route lookup
 * for every MTF packet it forwards (bench/RESULTS.md); its own MTF
 * packets are stripped in LOCAL_IN.
 */
static const struct nf_hook_ops pre_routing_ops = {
	.hook = pre_routing_hook,
	.pf = NFPROTO_IPV4,
	.hooknum = NF_INET_PRE_ROUTING,
	.priority = NF_IP_PRI_CONNTRACK - 1,
};
/*
 * Serialises the hooks of every namespace: up or down (mtf_net.hooks),
 * a namespace going (dying) and the module going (stopped).  Taken under
 * RTNL (DEV_SET, the netdevice notifier) and under mtf_net.cfg_lock
 * (CONFIG_SET), never the other way round.
 */
static DEFINE_MUTEX(hooks_lock);
static bool hooks_stopped;

static bool hooks_allowed(struct mtf_net *mn)
{
	return !hooks_stopped && !mn->hooks.dying;
}

/* Under hooks_lock: FORWARD and LOCAL_IN up or down. */
static int set_base(struct net *net, struct mtf_net *mn, bool want)
{
	int ret = 0;

	if (want && !mn->hooks.up)
		ret = nf_register_net_hooks(net, hook_ops,
					    ARRAY_SIZE(hook_ops));
	else if (!want && mn->hooks.up)
		nf_unregister_net_hooks(net, hook_ops, ARRAY_SIZE(hook_ops));
	if (!ret)
		mn->hooks.up = want;
	return ret;
}

/* Under hooks_lock: PRE_ROUTING up or down. */
static int set_pre_routing(struct net *net, struct mtf_net *mn, bool want)
{
	int ret = 0;

	if (want && !mn->hooks.pre_routing)
		ret = nf_register_net_hook(net, &pre_routing_ops);
	else if (!want && mn->hooks.pre_routing)
		nf_unregister_net_hook(net, &pre_routing_ops);
	if (!ret)
		mn->hooks.pre_routing = want;
	return ret;
}

/*
 * Process context only: bring the hooks of @net up or down to match its
 * enable flag and roles, after either changed.  Reading both under
 * hooks_lock, the last caller sees the last change, whatever the order
 * in which concurrent callers got here.  On an error the caller undoes
 * its change and calls again, which only unregisters.
 */
int mtf_hooks_update(struct net *net)
{
	struct mtf_net *mn = mtf_net(net);
	bool enable;
	int ret;

	mutex_lock(&hooks_lock);
	enable = hooks_allowed(mn) && READ_ONCE(mn->cfg.enable);
	ret = set_base(net, mn, hooks_allowed(mn) &&
		       (enable || !xa_empty(&mn->devs)));
	if (!ret)
		ret = set_pre_routing(net, mn, enable);
	mutex_unlock(&hooks_lock);
	return ret;
}

bool mtf_hooks_up(struct net *net)
{
	bool up;

	mutex_lock(&hooks_lock);
	up = mtf_net(net)->hooks.up;
	mutex_unlock(&hooks_lock);
	return up;
}

/*
 * pre_exit: the hooks go for good.  Unregistering does not wait for
 * packets still inside them; the pernet core's grace period before exit
 * does.
 */
void mtf_hooks_net_pre_exit(struct net *net)
{
	struct mtf_net *mn = mtf_net(net);

	mutex_lock(&hooks_lock);
	mn->hooks.dying = true;
	set_pre_routing(net, mn, false);
	set_base(net, mn, false);
	mutex_unlock(&hooks_lock);
}

/*
 * Module exit, before the family goes: no namespace keeps or gets hooks,
 * so that, after a grace period, no packet can start a worker that uses
 * the family (the path tick sends events).
 */
void mtf_hooks_stop(void)
{
	struct net *net;

	mutex_lock(&hooks_lock);
	hooks_stopped = true;
	mutex_unlock(&hooks_lock);

	down_read(&net_rwsem);
	for_each_net(net)
		mtf_hooks_update(net);
	up_read(&net_rwsem);
	synchronize_net();
}
