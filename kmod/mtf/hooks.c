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
 * header.  To know "for this host" it routes the packet itself when it
 * is the namespace's last PRE_ROUTING hook (ip_rcv_finish() keeps that
 * route: the lookup moves, see route_now()), else it looks the
 * destination up in the local table: a cost for MTF packets only.
 * This hook comes up in a namespace with the first packet that carries
 * a path header to this host (LOCAL_IN below): a router that only
 * forwards, like most namespaces of a testbed, never has it, and every
 * packet it forwards skips one hook traversal (IPVS registers its hooks
 * with the first service for the same reason).
 *
 * LOCAL_IN, first of all (NF_IP_PRI_FIRST + 1): strips what PRE_ROUTING
 * did not (the hook was not up yet, or policy routing to a local table
 * other than the one inet_addr_type_dev_table() reads), before any INPUT
 * chain, so that the firewall and the sockets still see the original
 * packet; brings PRE_ROUTING up; counts what it lets through.
 * ip_local_deliver_finish() runs after this hook and reads
 * ip_hdr()->protocol and the network header length: the strip resets
 * both headers for it.
 *
 * Nothing here allocates or locks, except growing the headroom of a
 * packet that gets a header and segmenting a GSO packet first, both at
 * the inserting router only, and unsharing a cloned head before writing.
 */

#include <linux/inetdevice.h>
#include <linux/mutex.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_bridge.h>
#include <linux/skbuff.h>
#include <linux/workqueue.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/route.h>

#include "dev.h"
#include "filter.h"
#include "hooks.h"
#include "mark.h"
#include "netns.h"
#include "path.h"
#include "shim.h"

/*
 * For scratch space that is written before it is read: spares it the
 * memset of CONFIG_INIT_STACK_ALL_ZERO (a 120-byte "rep stos" per packet
 * showed in profiles).
 */
#if __has_attribute(__uninitialized__)
#define __mtf_scratch __attribute__((__uninitialized__))
#else
#define __mtf_scratch
#endif

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

static unsigned int drop(struct mtf_net *mn, enum mtf_stat why)
{
	mtf_stats_inc(mn->stats, why);
	return NF_DROP;
}

/*
 * The configured router address, else the ingress interface's first
 * primary global address: what inet_select_addr(in, 0, UNIVERSE) picks,
 * read under the hook's RCU without taking a read-side section of its
 * own (it showed in forwarding profiles).  Without one, that function's
 * fallback to the other interfaces.
 */
static __always_inline __be32 router_addr(struct mtf_net *mn,
					  const struct net_device *in)
{
	__be32 addr = READ_ONCE(mn->cfg.router_addr);
	const struct in_ifaddr *ifa;
	struct in_device *in_dev;

	if (addr)
		return addr;
	in_dev = __in_dev_get_rcu(in);
	if (in_dev) {
		in_dev_for_each_ifa_rcu(ifa, in_dev) {
			if (!(ifa->ifa_flags & IFA_F_SECONDARY) &&
			    ifa->ifa_scope == RT_SCOPE_UNIVERSE)
				return ifa->ifa_local;
		}
	}
	return inet_select_addr(in, 0, RT_SCOPE_UNIVERSE);
}

/*
 * Account, filter, strip: the steps after our slot (if any) is written.
 * @slots are the filled slots, in the packet or a copy: read before the
 * header goes, and only while this runs.
 */
static __always_inline unsigned int finish(struct net *net,
					   struct sk_buff *skb,
					   const struct mtf_shim *sh,
					   const struct mtf_slot4 *slots,
					   unsigned int n, unsigned int what)
{
	struct mtf_net *mn = mtf_net_rcu(net);
	const struct iphdr *iph = ip_hdr(skb);

	if (what & PH_ACCOUNT)
		mtf_path_account(net, slots, n, iph->daddr, skb->len,
				 segs_of(skb));
	if (mtf_filter_drop(mn, slots, n, iph->saddr, iph->daddr, skb->len))
		return NF_DROP;
	if (!(what & (PH_STRIP_EGRESS | PH_STRIP_LOCAL)) || !sh)
		return NF_ACCEPT;
	if (mtf_shim_strip(skb, sh))
		return drop(mn, MTF_STAT_DROP_NOMEM);
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
static unsigned int mtf_packet(struct sk_buff *skb,
			       const struct nf_hook_state *state,
			       unsigned int what)
{
	struct mtf_net *mn = mtf_net_rcu(state->net);
	struct mtf_slot4 buf[MTF_MAX_SLOTS] __mtf_scratch;
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
		return drop(mn, err);
	n = sh.ph.ptr;
	if (!(what & PH_WRITE))
		return finish(state->net, skb, &sh, shim_slots(skb, &sh), n,
			      what);

	if (n == sh.ph.size)
		return drop(mn, MTF_STAT_DROP_FULL);
	ours.addr = router_addr(mn, state->in);
	ours.mark = mtf_mark(state->net, ip_hdr(skb)->daddr);
	mtf_stats_inc(mn->stats, MTF_STAT_SLOT_WRITTEN);
	if (what & PH_STRIP_EGRESS) {
		/*
		 * The header leaves with this packet: our slot need only be
		 * in the path the filters see, not in the packet.
		 */
		memcpy(buf, shim_slots(skb, &sh), n * sizeof(buf[0]));
		buf[n] = ours;
		return finish(state->net, skb, &sh, buf, n + 1, what);
	}
	if (mtf_ensure_writable(skb, sh.ihl + sh.ph.len))
		return drop(mn, MTF_STAT_DROP_NOMEM);
	mtf_shim_write_slot(skb, &sh, ours.addr, ours.mark);
	return finish(state->net, skb, &sh, shim_slots(skb, &sh), n + 1,
		      what);
}

/*
 * Insert a header into one non-GSO packet that fits the egress MTU and
 * fill slot 0.  @slot0 is ours, computed once for all segments.
 */
static __always_inline unsigned int insert_one(struct sk_buff *skb,
			       const struct nf_hook_state *state,
			       const struct mtf_slot4 *slot0,
			       unsigned int what)
{
	struct mtf_net *mn = mtf_net_rcu(state->net);
	unsigned int size = READ_ONCE(mn->cfg.slots);
	enum mtf_insert_how how;
	struct mtf_shim sh;

	if (mtf_shim_insert(skb, size, LL_RESERVED_SPACE(state->out), &sh,
			    &how))
		return drop(mn, MTF_STAT_DROP_NOMEM);
	if (how == MTF_INSERT_EXPAND)
		mtf_stats_inc(mn->stats, MTF_STAT_HEADROOM_EXPAND);
	else if (how == MTF_INSERT_TAIL)
		mtf_stats_inc(mn->stats, MTF_STAT_INSERT_TAIL);
	mtf_shim_write_slot(skb, &sh, slot0->addr, slot0->mark);
	mtf_stats_inc(mn->stats, MTF_STAT_HDR_INSERTED);
	mtf_stats_inc(mn->stats, MTF_STAT_SLOT_WRITTEN);
	return finish(state->net, skb, NULL, slot0, 1, what);
}

/*
 * GSO: the header would sit between IP and TCP, where segmentation on
 * output cannot find TCP.  Segment here, in software as nf_queue does,
 * mark each segment and send it on ourselves; the hook consumed the
 * original.  Being the last FORWARD hook, okfn skips nothing.
 */
static unsigned int insert_gso(struct sk_buff *skb,
			       const struct nf_hook_state *state,
			       const struct mtf_slot4 *slot0,
			       unsigned int what)
{
	struct mtf_net *mn = mtf_net_rcu(state->net);
	struct sk_buff *segs, *seg, *next;

	segs = skb_gso_segment(skb, 0);
	if (IS_ERR_OR_NULL(segs))
		return drop(mn, MTF_STAT_DROP_NOMEM);
	mtf_stats_inc(mn->stats, MTF_STAT_GSO_SEGMENTED);
	consume_skb(skb);

	skb_list_walk_safe(segs, seg, next) {
		skb_mark_not_on_list(seg);
		if (insert_one(seg, state, slot0, what) == NF_ACCEPT)
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
static noinline unsigned int insert(struct sk_buff *skb,
			   const struct nf_hook_state *state,
			   unsigned int what)
{
	struct mtf_net *mn = mtf_net_rcu(state->net);
	const struct iphdr *iph = ip_hdr(skb);
	struct mtf_slot4 slot0;
	unsigned int hlen, mtu;

	/* Never put the header into a fragment. */
	if (mtf_shim_is_frag(skb)) {
		mtf_stats_inc(mn->stats, MTF_STAT_FRAG_UNMARKED);
		return unmarked(mn, skb, state);
	}
	slot0.addr = router_addr(mn, state->in);
	slot0.mark = mtf_mark(state->net, iph->daddr);

	/*
	 * Leaving MTF right away: the header would be inserted and stripped
	 * again.  Filter and account as if it had been, and leave the
	 * packet alone.
	 */
	if (what & PH_STRIP_EGRESS)
		return finish(state->net, skb, NULL, &slot0, 1, what);

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
			return drop(mn, MTF_STAT_PMTU_SENT);
		}
		mtf_stats_inc(mn->stats, MTF_STAT_TOO_BIG_UNMARKED);
		return unmarked(mn, skb, state);
	}

	if (skb_is_gso(skb))
		return insert_gso(skb, state, &slot0, what);
	return insert_one(skb, state, &slot0, what);
}

static unsigned int __forward_hook(struct sk_buff *skb,
				   const struct nf_hook_state *state)
{
	struct mtf_net *mn = mtf_net_rcu(state->net);
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
		return mtf_packet(skb, state, what);
	if (what & PH_WRITE)
		return insert(skb, state, what);
	return unmarked(mn, skb, state);
}

static unsigned int pre_routing_hook(void *priv, struct sk_buff *skb,
				     const struct nf_hook_state *state);

/*
 * Route the packet now, as ip_rcv_finish() would right after the hooks,
 * when no hook comes after this one in the namespace's PRE_ROUTING: then
 * nothing can change the addresses or the mark in between, and
 * ip_rcv_finish() keeps the route (it looks up only without one).  So
 * the lookup moves instead of happening twice, and "is it for this
 * host" is the route's type.  Not for bridged packets (br_netfilter
 * routes them itself) nor on VRF devices (routed after l3mdev_ip_rcv()).
 * A lookup error leaves the packet to ip_rcv_finish(), which repeats it
 * and drops.
 */
static bool route_now(struct sk_buff *skb, const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);
	const struct nf_hook_entries *e;

	if (skb_dst(skb) || netif_is_l3_slave(state->in) ||
	    netif_is_l3_master(state->in))
		return false;
#if IS_ENABLED(CONFIG_BRIDGE_NETFILTER)
	if (nf_bridge_info_exists(skb))
		return false;
#endif
	e = rcu_dereference(state->net->nf.hooks_ipv4[NF_INET_PRE_ROUTING]);
	if (!e || e->hooks[e->num_hook_entries - 1].hook != pre_routing_hook)
		return false;
	return !ip_route_input_noref(skb, iph->daddr, iph->saddr, iph->tos,
				     state->in) && skb_dst(skb);
}

static unsigned int __pre_routing_hook(struct sk_buff *skb,
				       const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);

	if (likely(iph->protocol != MTF_IPPROTO))
		return NF_ACCEPT;
	if (route_now(skb, state)) {
		if (skb_rtable(skb)->rt_type != RTN_LOCAL)
			return NF_ACCEPT;
	} else if (inet_addr_type_dev_table(state->net, state->in,
					    iph->daddr) != RTN_LOCAL) {
		return NF_ACCEPT;
	}
	return mtf_packet(skb, state, PH_STRIP_LOCAL | (mtf_path_local(
			  state->net, state->in) ? PH_ACCOUNT : 0));
}

static unsigned int __local_in_hook(struct sk_buff *skb,
				    const struct nf_hook_state *state)
{
	struct mtf_net *mn = mtf_net_rcu(state->net);
	unsigned int verdict;

	if (unlikely(ip_hdr(skb)->protocol == MTF_IPPROTO)) {
		if (!READ_ONCE(mn->hooks.pre_routing))
			schedule_work(&mn->hooks.work);
		verdict = mtf_packet(skb, state, PH_STRIP_LOCAL | (mtf_path_local(
				     state->net, state->in) ? PH_ACCOUNT : 0));
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
MTF_HOOK(pre_routing_hook)
MTF_HOOK(local_in_hook)

/* Always there: LOCAL_IN costs nothing to packets that are forwarded. */
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

/* Brought up per namespace by the first MTF packet for the host. */
static const struct nf_hook_ops pre_routing_ops = {
	.hook = pre_routing_hook,
	.pf = NFPROTO_IPV4,
	.hooknum = NF_INET_PRE_ROUTING,
	.priority = NF_IP_PRI_CONNTRACK - 1,
};

/* Serialises bringing PRE_ROUTING up against the namespace going. */
static DEFINE_MUTEX(hooks_lock);

static void pre_routing_work(struct work_struct *work)
{
	struct mtf_net *mn = container_of(work, struct mtf_net, hooks.work);
	int err;

	mutex_lock(&hooks_lock);
	if (!mn->hooks.pre_routing && !mn->hooks.dying) {
		err = nf_register_net_hook(mn->hooks.net, &pre_routing_ops);
		if (err)
			/* LOCAL_IN keeps stripping; the next packet retries. */
			net_warn_ratelimited("mtf: PRE_ROUTING hook: %d\n", err);
		else
			WRITE_ONCE(mn->hooks.pre_routing, true);
		if (!err) {
			/* Process context: keep softirqs off the counter. */
			local_bh_disable();
			mtf_stats_inc(mn->stats, MTF_STAT_PRE_ROUTING_UP);
			local_bh_enable();
		}
	}
	mutex_unlock(&hooks_lock);
}

int mtf_hooks_register(struct net *net)
{
	struct mtf_net *mn = mtf_net(net);

	mn->hooks.net = net;
	INIT_WORK(&mn->hooks.work, pre_routing_work);
	return nf_register_net_hooks(net, hook_ops, ARRAY_SIZE(hook_ops));
}

/*
 * pre_exit: no work can bring PRE_ROUTING up after this; one still
 * queued by a packet in flight is cancelled in mtf_hooks_net_exit(),
 * after the grace period that follows pre_exit.
 */
void mtf_hooks_unregister(struct net *net)
{
	struct mtf_net *mn = mtf_net(net);

	mutex_lock(&hooks_lock);
	mn->hooks.dying = true;
	if (mn->hooks.pre_routing)
		nf_unregister_net_hook(net, &pre_routing_ops);
	mutex_unlock(&hooks_lock);
	nf_unregister_net_hooks(net, hook_ops, ARRAY_SIZE(hook_ops));
}

void mtf_hooks_net_exit(struct net *net)
{
	cancel_work_sync(&mtf_net(net)->hooks.work);
}
