// SPDX-License-Identifier: GPL-2.0
/*
 * Path accounting: what the victim (or its gateway) sees.  One entry per
 * recorded path (all filled slots, marks included) and, when the path is
 * longer than the configured suffix length, one more per path suffix
 * (flagged as an aggregate): packets, bytes, EWMA rates, first and last
 * seen, last destination.  One packet is enough to create an entry.
 *
 * Table: an rhashtable, because entries are created on the packet path,
 * possibly on several CPUs at once, which its per-bucket locks handle
 * (rhashtable_lookup_get_insert_key() resolves the race of two CPUs
 * creating the same path), and because path_max changes at run time.  Its
 * growth is bounded by path_max, and a failed insert (-ENOMEM, -EBUSY
 * during a rehash) only costs the accounting of one packet.
 *
 * Packet path: an RCU lookup, then per-CPU counters; last seen and last
 * destination are written only when they change.  Allocation happens only
 * for a new path (GFP_ATOMIC, bounded by path_max; PATH_FULL beyond).
 *
 * A work item runs every MTF_PATH_TICK while entries exist: it updates the
 * rates, evicts idle entries (PATH_EVICTED) and sends the rate events.
 * Events come from there rather than from the packet path because the
 * rate is only known at a tick anyway, and building a netlink message in
 * softirq for every crossing packet would be work done on the attacker's
 * schedule.
 */

#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "filter.h"
#include "netlink.h"
#include "netns.h"
#include "path.h"

#define MTF_PATH_TICK		(HZ / 2)
/* Rates: EWMA with weight 1/4 per tick, kept with 8 fractional bits. */
#define MTF_EWMA_LOG		2
#define MTF_RATE_FRAC		8
/* Idle entries go after this long, or sooner when the table fills up. */
#define MTF_PATH_IDLE		(60 * HZ)
#define MTF_PATH_IDLE_FULL	(2 * HZ)

struct mtf_path_pcpu {
	u64_stats_t packets;
	u64_stats_t bytes;
	struct u64_stats_sync syncp;
};

struct mtf_path {
	struct rhash_head node;
	struct rcu_head rcu;
	struct mtf_path_pcpu __percpu *cnt;
	unsigned long first;		/* jiffies */
	unsigned long last;		/* jiffies */
	__be32 last_dst;
	/* Written by the tick only; dumps read them with READ_ONCE(). */
	unsigned long est_at;
	u64 est_packets;
	u64 est_bytes;
	u64 rate_pps;			/* << MTF_RATE_FRAC */
	u64 rate_bps;			/* << MTF_RATE_FRAC */
	bool over;			/* event sent, not re-armed yet */
	u8 n;
	bool suffix;
	struct mtf_slot4 slots[];
};

struct mtf_paths {
	struct rhashtable ht;
	struct net *net;
	atomic_t count;
	struct delayed_work tick;
};

/* What the packet path looks up. */
struct mtf_path_key {
	const struct mtf_slot4 *slots;
	u8 n;
	bool suffix;
};

static u32 slots_hash(const struct mtf_slot4 *slots, u8 n, bool suffix,
		      u32 seed)
{
	return jhash2((const u32 *)slots, n * 2, seed ^ (n << 1 | suffix));
}

static u32 path_key_hash(const void *data, u32 len, u32 seed)
{
	const struct mtf_path_key *key = data;

	return slots_hash(key->slots, key->n, key->suffix, seed);
}

static u32 path_obj_hash(const void *data, u32 len, u32 seed)
{
	const struct mtf_path *p = data;

	return slots_hash(p->slots, p->n, p->suffix, seed);
}

/* Every lookup and insert passes a struct mtf_path_key. */
static int path_cmp(struct rhashtable_compare_arg *arg, const void *obj)
{
	const struct mtf_path_key *key = arg->key;
	const struct mtf_path *p = obj;

	return p->n != key->n || p->suffix != key->suffix ||
	       memcmp(p->slots, key->slots, p->n * sizeof(p->slots[0]));
}

static const struct rhashtable_params path_params = {
	.head_offset = offsetof(struct mtf_path, node),
	.hashfn = path_key_hash,
	.obj_hashfn = path_obj_hash,
	.obj_cmpfn = path_cmp,
	.automatic_shrinking = true,
};

static void path_free(struct mtf_path *p)
{
	free_percpu(p->cnt);
	kfree(p);
}

static void path_free_rcu(struct rcu_head *head)
{
	path_free(container_of(head, struct mtf_path, rcu));
}

static void path_free_ht(void *ptr, void *arg)
{
	path_free(ptr);
}

static void stat_add(struct net *net, enum mtf_stat idx, u64 n)
{
	struct mtf_pcpu_stats *s;

	local_bh_disable();
	s = this_cpu_ptr(mtf_net(net)->stats);
	u64_stats_update_begin(&s->syncp);
	u64_stats_add(&s->cnt[idx], n);
	u64_stats_update_end(&s->syncp);
	local_bh_enable();
}

/* ---------------------------------------------------------------------- */
/* Packet path                                                             */
/* ---------------------------------------------------------------------- */

static struct mtf_path *path_create(struct mtf_net *mn, struct mtf_paths *ps,
				    const struct mtf_path_key *key)
{
	struct mtf_path *p, *old;
	int cpu;

	if (atomic_inc_return(&ps->count) > READ_ONCE(mn->cfg.path_max))
		goto full;
	p = kzalloc(struct_size(p, slots, key->n), GFP_ATOMIC | __GFP_NOWARN);
	if (!p)
		goto full;
	p->cnt = alloc_percpu_gfp(struct mtf_path_pcpu,
				  GFP_ATOMIC | __GFP_NOWARN);
	if (!p->cnt) {
		kfree(p);
		goto full;
	}
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(p->cnt, cpu)->syncp);
	p->first = jiffies;
	p->last = p->first;
	p->est_at = p->first;
	p->n = key->n;
	p->suffix = key->suffix;
	memcpy(p->slots, key->slots, key->n * sizeof(p->slots[0]));

	old = rhashtable_lookup_get_insert_key(&ps->ht, key, &p->node,
					       path_params);
	if (old) {
		/* Another CPU was first, or no room in the table now. */
		atomic_dec(&ps->count);
		path_free(p);
		return IS_ERR(old) ? NULL : old;
	}
	mtf_stats_inc(mn->stats, MTF_STAT_PATH_NEW);
	if (!delayed_work_pending(&ps->tick))
		queue_delayed_work(system_power_efficient_wq, &ps->tick,
				   MTF_PATH_TICK);
	return p;

full:
	/* Allocation failures count here too: both mean "not accounted". */
	atomic_dec(&ps->count);
	mtf_stats_inc(mn->stats, MTF_STAT_PATH_FULL);
	return NULL;
}

static void account_one(struct mtf_net *mn, struct mtf_paths *ps,
			const struct mtf_path_key *key, __be32 daddr,
			unsigned int len, unsigned int segs)
{
	struct mtf_path_pcpu *c;
	struct mtf_path *p;

	p = rhashtable_lookup(&ps->ht, key, path_params);
	if (unlikely(!p)) {
		p = path_create(mn, ps, key);
		if (!p)
			return;
	}
	c = this_cpu_ptr(p->cnt);
	u64_stats_update_begin(&c->syncp);
	u64_stats_add(&c->packets, segs);
	u64_stats_add(&c->bytes, len);
	u64_stats_update_end(&c->syncp);
	/* Shared cache line: write only on change. */
	if (READ_ONCE(p->last) != jiffies)
		WRITE_ONCE(p->last, jiffies);
	if (READ_ONCE(p->last_dst) != daddr)
		WRITE_ONCE(p->last_dst, daddr);
}

void mtf_path_account(struct net *net, const struct mtf_slot4 *slots,
		      unsigned int n, __be32 daddr, unsigned int len,
		      unsigned int segs)
{
	struct mtf_net *mn = mtf_net_rcu(net);
	struct mtf_paths *ps = READ_ONCE(mn->paths);
	struct mtf_path_key key;
	unsigned int k;

	if (!ps || !n)
		return;
	key.n = min_t(unsigned int, n, MTF_MAX_SLOTS);
	key.slots = slots;
	key.suffix = false;
	account_one(mn, ps, &key, daddr, len, segs);

	k = READ_ONCE(mn->cfg.suffix_len);
	if (k && k < key.n) {
		key.slots += key.n - k;
		key.n = k;
		key.suffix = true;
		account_one(mn, ps, &key, daddr, len, segs);
	}
}

/* ---------------------------------------------------------------------- */
/* Netlink: dump, flush, events                                            */
/* ---------------------------------------------------------------------- */

static void path_read(const struct mtf_path *p, u64 *packets, u64 *bytes)
{
	unsigned int start;
	u64 pk, by;
	int cpu;

	*packets = 0;
	*bytes = 0;
	for_each_possible_cpu(cpu) {
		const struct mtf_path_pcpu *c = per_cpu_ptr(p->cnt, cpu);

		do {
			start = u64_stats_fetch_begin(&c->syncp);
			pk = u64_stats_read(&c->packets);
			by = u64_stats_read(&c->bytes);
		} while (u64_stats_fetch_retry(&c->syncp, start));
		*packets += pk;
		*bytes += by;
	}
}

static u64 ms_since(unsigned long then)
{
	return jiffies_to_msecs(jiffies - then);
}

static int put_u64(struct sk_buff *skb, int type, u64 v)
{
	return nla_put_u64_64bit(skb, type, v, MTF_PATH_A_PAD);
}

static int put_path(struct sk_buff *skb, const struct mtf_path *p)
{
	struct nlattr *nest;
	u64 packets, bytes;

	path_read(p, &packets, &bytes);
	nest = nla_nest_start(skb, MTF_A_PATH);
	if (!nest ||
	    mtf_nl_put_slots(skb, MTF_PATH_A_SLOTS, p->slots, p->n) ||
	    nla_put_u8(skb, MTF_PATH_A_SUFFIX, p->suffix) ||
	    put_u64(skb, MTF_PATH_A_PACKETS, packets) ||
	    put_u64(skb, MTF_PATH_A_BYTES, bytes) ||
	    put_u64(skb, MTF_PATH_A_RATE_PPS,
		    READ_ONCE(p->rate_pps) >> MTF_RATE_FRAC) ||
	    put_u64(skb, MTF_PATH_A_RATE_BPS,
		    READ_ONCE(p->rate_bps) >> MTF_RATE_FRAC) ||
	    put_u64(skb, MTF_PATH_A_FIRST_MS, ms_since(p->first)) ||
	    put_u64(skb, MTF_PATH_A_LAST_MS, ms_since(READ_ONCE(p->last))) ||
	    nla_put_be32(skb, MTF_PATH_A_DST4, READ_ONCE(p->last_dst))) {
		if (nest)
			nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

static int fill_path(struct sk_buff *skb, struct netlink_callback *cb,
		     const struct mtf_path *p)
{
	void *hdr;

	hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &mtf_genl_family, NLM_F_MULTI, MTF_CMD_PATH_GET);
	if (!hdr)
		return -EMSGSIZE;
	if (put_path(skb, p)) {
		genlmsg_cancel(skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(skb, hdr);
	return 0;
}

/*
 * The walker lives across the dump's calls: cb->args[0] points to it,
 * cb->args[1] says that the entry it stopped on did not fit and must be
 * sent first.  A concurrent resize restarts the walk (rhashtable's
 * -EAGAIN), so a dump may repeat entries; it never loses one that stayed.
 */
int mtf_nl_path_dump_start(struct netlink_callback *cb)
{
	struct mtf_paths *ps = mtf_net(sock_net(cb->skb->sk))->paths;
	struct rhashtable_iter *iter;

	iter = kmalloc(sizeof(*iter), GFP_KERNEL);
	if (!iter)
		return -ENOMEM;
	rhashtable_walk_enter(&ps->ht, iter);
	cb->args[0] = (long)iter;
	cb->args[1] = 0;
	return 0;
}

int mtf_nl_path_dump_done(struct netlink_callback *cb)
{
	struct rhashtable_iter *iter = (struct rhashtable_iter *)cb->args[0];

	if (iter) {
		rhashtable_walk_exit(iter);
		kfree(iter);
	}
	return 0;
}

int mtf_nl_path_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct rhashtable_iter *iter = (struct rhashtable_iter *)cb->args[0];
	struct mtf_path *p;

	rhashtable_walk_start(iter);
	p = cb->args[1] ? rhashtable_walk_peek(iter) : rhashtable_walk_next(iter);
	cb->args[1] = 0;
	for (; p; p = rhashtable_walk_next(iter)) {
		if (IS_ERR(p)) {
			if (PTR_ERR(p) == -EAGAIN)
				continue;
			break;
		}
		if (fill_path(skb, cb, p)) {
			cb->args[1] = 1;
			break;
		}
	}
	rhashtable_walk_stop(iter);
	return skb->len;
}

static void path_remove(struct mtf_paths *ps, struct mtf_path *p)
{
	/* The tick and a flush may race for an entry: one of them wins. */
	if (rhashtable_remove_fast(&ps->ht, &p->node, path_params))
		return;
	atomic_dec(&ps->count);
	call_rcu(&p->rcu, path_free_rcu);
}

int mtf_nl_path_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct mtf_paths *ps = mtf_net(genl_info_net(info))->paths;
	struct rhashtable_iter iter;
	struct mtf_path *p;

	rhashtable_walk_enter(&ps->ht, &iter);
	rhashtable_walk_start(&iter);
	while ((p = rhashtable_walk_next(&iter))) {
		if (!IS_ERR(p))
			path_remove(ps, p);
		else if (PTR_ERR(p) != -EAGAIN)
			break;
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
	return 0;
}

/* From the tick, under RCU: hence GFP_ATOMIC, though not in softirq. */
static void send_event(struct mtf_paths *ps, const struct mtf_path *p)
{
	struct sk_buff *msg;
	void *hdr;

	stat_add(ps->net, MTF_STAT_PATH_EVENTS, 1);
	if (!genl_has_listeners(&mtf_genl_family, ps->net, 0))
		return;
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_ATOMIC);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &mtf_genl_family, 0,
			  MTF_CMD_EVENT_PATH_RATE);
	if (!hdr || put_path(msg, p)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast_netns(&mtf_genl_family, ps->net, msg, 0, 0,
				GFP_ATOMIC);
}

static u64 ewma(u64 avg, u64 sample)
{
	return avg - (avg >> MTF_EWMA_LOG) + (sample >> MTF_EWMA_LOG);
}

/* Returns true if @p is idle and should go. */
static bool path_tick(struct mtf_paths *ps, struct mtf_path *p,
		      unsigned long idle, u32 thresh)
{
	unsigned long now = jiffies, dt = now - p->est_at;
	u64 packets, bytes, pps;

	if (time_after(now, READ_ONCE(p->last) + idle))
		return true;
	/* A walk restarted by a resize may show an entry twice. */
	if (dt < MTF_PATH_TICK / 2)
		return false;
	path_read(p, &packets, &bytes);
	WRITE_ONCE(p->rate_pps, ewma(p->rate_pps,
		   div_u64((packets - p->est_packets) * HZ << MTF_RATE_FRAC, dt)));
	WRITE_ONCE(p->rate_bps, ewma(p->rate_bps,
		   div_u64((bytes - p->est_bytes) * 8 * HZ << MTF_RATE_FRAC, dt)));
	p->est_packets = packets;
	p->est_bytes = bytes;
	p->est_at = now;

	pps = p->rate_pps >> MTF_RATE_FRAC;
	if (thresh && !p->over && pps >= thresh) {
		p->over = true;
		send_event(ps, p);
	} else if (p->over && pps < thresh / 2) {
		p->over = false;
	}
	return false;
}

static void tick_work(struct work_struct *work)
{
	struct mtf_paths *ps = container_of(to_delayed_work(work),
					    struct mtf_paths, tick);
	struct mtf_net *mn = mtf_net(ps->net);
	u32 max = READ_ONCE(mn->cfg.path_max);
	u32 thresh = READ_ONCE(mn->cfg.path_rate_thresh);
	unsigned long idle = MTF_PATH_IDLE;
	struct rhashtable_iter iter;
	unsigned int evicted = 0;
	struct mtf_path *p;

	if (atomic_read(&ps->count) >= max - max / 8)
		idle = MTF_PATH_IDLE_FULL;
	rhashtable_walk_enter(&ps->ht, &iter);
	rhashtable_walk_start(&iter);
	while ((p = rhashtable_walk_next(&iter))) {
		if (IS_ERR(p)) {
			if (PTR_ERR(p) == -EAGAIN)
				continue;
			break;
		}
		if (path_tick(ps, p, idle, thresh)) {
			path_remove(ps, p);
			evicted++;
		}
	}
	rhashtable_walk_stop(&iter);
	rhashtable_walk_exit(&iter);
	if (evicted)
		stat_add(ps->net, MTF_STAT_PATH_EVICTED, evicted);
	if (atomic_read(&ps->count))
		queue_delayed_work(system_power_efficient_wq, &ps->tick,
				   MTF_PATH_TICK);
}

/* ---------------------------------------------------------------------- */
/* Life cycle                                                              */
/* ---------------------------------------------------------------------- */

u32 mtf_path_count(struct net *net)
{
	struct mtf_paths *ps = mtf_net(net)->paths;

	return ps ? atomic_read(&ps->count) : 0;
}

int mtf_path_net_init(struct net *net)
{
	struct mtf_paths *ps;
	int ret;

	ps = kzalloc(sizeof(*ps), GFP_KERNEL_ACCOUNT);
	if (!ps)
		return -ENOMEM;
	ret = rhashtable_init(&ps->ht, &path_params);
	if (ret) {
		kfree(ps);
		return ret;
	}
	ps->net = net;
	INIT_DELAYED_WORK(&ps->tick, tick_work);
	mtf_net(net)->paths = ps;
	return 0;
}

/* After the hooks are unregistered; see mtf_filter_net_exit(). */
void mtf_path_net_exit(struct net *net)
{
	struct mtf_net *mn = mtf_net(net);
	struct mtf_paths *ps = mn->paths;

	if (!ps)
		return;
	WRITE_ONCE(mn->paths, NULL);
	/* No packet still in a hook can queue the tick after this. */
	synchronize_rcu();
	cancel_delayed_work_sync(&ps->tick);
	rhashtable_free_and_destroy(&ps->ht, path_free_ht, NULL);
	kfree(ps);
}
